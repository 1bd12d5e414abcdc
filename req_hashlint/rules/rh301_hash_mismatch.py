"""RH301 hash-mismatch."""

from __future__ import annotations

from collections.abc import Iterator

from .._model import Finding, Severity
from ._base import REGENERATE, Context, Rule, listing, pinned, plural


def _check_mismatch(ctx: Context) -> Iterator[Finding]:
    if ctx.evidence is None:
        return
    for v in ctx.verdicts:
        if not v.files or not v.hashes or v.matched or v.unchecked:
            continue
        others = sorted({u.version for u in v.unknown if u.version is not None})
        if others:
            some = "they are" if all(u.version is not None for u in v.unknown) else "some are"
            whose = listing([f"{o}'s" for o in others])
            belong = f"; {some} the hashes of {whose} files (the pin changed, the hashes did not)"
        else:
            belong = ""
        n = len(v.hashes)
        listed = "its hash matches no file" if n == 1 else f"none of its {n} hashes matches a file"
        yield ctx.finding(
            RULE,
            v.node,
            v.entry.span,
            f"{pinned(v.entry)}: {listed} the index serves for {v.entry.version} "
            f"({plural(len(v.files), 'file')}){belong}; pip refuses every file "
            f"(HashMismatch); regenerate the hashes ({REGENERATE})",
            entry=v.entry,
        )


RULE = Rule(
    code="RH301",
    severity=Severity.ERROR,
    summary="No listed hash matches any file the index serves for the pinned version (`--index`).",
    check=_check_mismatch,
    tags=("reliability", "supply-chain"),
    evidence=True,
)
