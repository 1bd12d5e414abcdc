"""RH305 yanked-version."""

from __future__ import annotations

from collections.abc import Iterator

from .._model import Finding, Severity
from ._base import Context, Rule, environments_text, pinned, quoted


def _check_yanked(ctx: Context) -> Iterator[Finding]:
    if ctx.evidence is None:
        return
    for v in ctx.verdicts:
        yanked = [p for p in v.picks if p.file.yanked is not None]
        if not yanked:
            continue
        reason = next((p.file.yanked for p in yanked if p.file.yanked), "")
        why = f" (reason: {quoted(reason)!r})" if reason else " (no reason given)"
        where = "" if len(yanked) == len(v.picks) else f" on {environments_text(p.env for p in yanked)}"
        yield ctx.finding(
            RULE,
            v.node,
            v.entry.span,
            f"{pinned(v.entry)} is yanked{why}: pip still installs {yanked[0].file.filename}{where}, with only a "
            "warning; pin a version that is not yanked",
            entry=v.entry,
        )


RULE = Rule(
    code="RH305",
    severity=Severity.WARNING,
    summary="The file a target environment would install is yanked (PEP 592) (`--index`).",
    check=_check_yanked,
    tags=("reliability", "supply-chain"),
    evidence=True,
)
