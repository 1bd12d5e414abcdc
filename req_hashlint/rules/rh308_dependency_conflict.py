"""RH308 dependency-conflict."""

from __future__ import annotations

from collections.abc import Iterator

from .._model import Finding, Related, Severity
from ._base import REGENERATE_LOCK, Context, Rule, environments_text, pinned, quoted


def _check_conflicts(ctx: Context) -> Iterator[Finding]:
    if ctx.evidence is None:
        return
    for c in ctx.dependencies.conflicts:
        node, dependent = c.dependent
        where = environments_text(c.envs, of=len(ctx.environments))
        at = "" if node is c.node else f" ({node.display}:{dependent.span.line})"
        why = f"{pinned(dependent)} requires `{quoted(c.requirement, 120)}`"
        if c.declared:  # a pylock.toml package's own `dependencies`
            message = (
                f"{pinned(c.entry)} is not the `{quoted(c.requirement, 120)}` that {pinned(dependent)}{at} names "
                f"in its `dependencies`: the lock contradicts itself; {REGENERATE_LOCK}"
            )
            related = (Related(dependent.span, f"{pinned(dependent)}'s `dependencies` name {c.requirement}"),)
            yield ctx.finding(
                RULE, c.node, c.entry.span, message, entry=c.entry, related=related if node is c.node else ()
            )
            continue
        yield ctx.finding(
            RULE,
            c.node,
            c.entry.span,
            f"{pinned(c.entry)} does not satisfy `{quoted(c.requirement, 120)}`, which {pinned(dependent)}{at} "
            f"requires on {where}: pip cannot resolve this install (ResolutionImpossible); pin a version of "
            f"{c.entry.name} that {pinned(dependent)} accepts, or a version of {dependent.name} that accepts "
            f"{c.entry.version}, and regenerate the hashes",
            entry=c.entry,
            related=(Related(dependent.span, why),) if node is c.node else (),
        )


RULE = Rule(
    code="RH308",
    severity=Severity.ERROR,
    summary="A listed pin does not satisfy a pinned package's requirement on it (`--index`).",
    check=_check_conflicts,
    tags=("reliability",),
    evidence=True,
)
