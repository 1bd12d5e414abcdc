"""RH902 base-unavailable."""

from __future__ import annotations

from collections.abc import Iterator

from .._model import Finding, Severity, Span
from ._base import Context, Rule


def _check_unavailable(ctx: Context) -> Iterator[Finding]:
    done: set[str] = set()
    for node in ctx.nodes():
        why = ctx.base_unavailable.get(node.abspath)
        if why is None or node.abspath in done:
            continue
        done.add(node.abspath)
        message = (
            f"the stale-hash checks (RH101-RH104) did not run for this file: {why}; they compare it with "
            "its version at a git base (--base, default HEAD)"
        )
        yield ctx.finding(RULE, node, Span(1, 1, 1, 1), message)


RULE = Rule(
    code="RH902",
    severity=Severity.NOTE,
    summary="The diff rules could not run for a file: the base revision is unavailable.",
    check=_check_unavailable,
    tags=("reliability",),
    diff=True,
)
