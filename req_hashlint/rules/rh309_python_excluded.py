"""RH309 python-excluded."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from .._model import Finding, Severity
from ._base import Context, Rule, environments_text, listing, pinned, quoted

if TYPE_CHECKING:
    from ..index._verdict import Verdict


def _check_python(ctx: Context) -> Iterator[Finding]:
    if ctx.evidence is None:
        return
    for v in ctx.verdicts:
        if v.excluded and v.node.file is not None and v.node.file.lock:
            yield from _lock(ctx, v)
        elif v.excluded:
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


def _lock(ctx: Context, v: Verdict) -> Iterator[Finding]:
    """A pylock.toml package: its own `requires-python`, or the Requires-Python of the file it
    installs there, excludes an environment's Python."""
    assert v.entry.locked is not None
    own = v.entry.locked.requires_python
    for spec in dict.fromkeys(s for _, s in v.excluded):
        envs = [env for env, s in v.excluded if s == spec]
        where = environments_text(envs)
        if spec == own:
            what = (
                f'the lock\'s `requires-python = "{quoted(spec, 80)}"` for {pinned(v.entry)} excludes {where}, '
                "where its marker holds: pip there refuses the whole lock (packaging's 'does not satisfy the "
                "Python version requirement')"
            )
        else:
            what = (
                f"{pinned(v.entry)} requires Python `{quoted(spec, 80)}` (the index's Requires-Python for the "
                f"file the lock installs there), which excludes {where}: pip there refuses the file ('requires a "
                "different Python')"
            )
        yield ctx.finding(RULE, v.node, v.entry.span, f"{what}; {_FIX}", entry=v.entry)


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
