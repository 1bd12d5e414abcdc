"""RH309 python-excluded."""

from __future__ import annotations

from collections.abc import Iterator

from .._model import Finding, Severity
from ._base import Context, Rule, environments_text, listing, pinned, quoted


def _check_python(ctx: Context) -> Iterator[Finding]:
    if ctx.evidence is None:
        return
    for v in ctx.verdicts:
        if v.excluded:
            specs = listing([f"`{quoted(s, 80)}`" for s in dict.fromkeys(spec for _, spec in v.excluded)])
            where = environments_text((env for env, _ in v.excluded), of=len(v.picks) + len(v.excluded))
            yield ctx.finding(
                RULE,
                v.node,
                v.entry.span,
                f"{pinned(v.entry)} requires Python {specs}, which excludes {where}: pip there finds no file it "
                f"may install and fails ('requires a different Python'); {_FIX}",
                entry=v.entry,
            )
    for node, entry, spec, envs in ctx.dependencies.excluded:
        yield ctx.finding(
            RULE,
            node,
            entry.span,
            f"{pinned(entry)} requires Python `{quoted(spec, 80)}` (its core metadata), which excludes "
            f"{environments_text(envs, of=len(ctx.environments))}: pip there refuses the file it picked "
            f"('requires a different Python'); {_FIX}",
            entry=entry,
        )


_FIX = (
    "pin a version that supports those Pythons, or narrow `environments` (or the project's "
    "requires-python) to the Pythons you install on"
)


RULE = Rule(
    code="RH309",
    severity=Severity.ERROR,
    summary="The pinned version's Requires-Python excludes a target environment's Python (`--index`).",
    check=_check_python,
    tags=("reliability",),
    evidence=True,
)
