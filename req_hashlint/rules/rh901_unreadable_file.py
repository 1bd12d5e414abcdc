"""RH901 unreadable-file."""

from __future__ import annotations

from collections.abc import Iterator

from .._model import Finding, Severity, Span
from ._base import Context, Rule


def _check_unreadable(ctx: Context) -> Iterator[Finding]:
    for node in ctx.graph.nodes.values():
        if node.read_error is not None and node.root:
            yield ctx.finding(RULE, node, Span(1, 1, 1, 1), f"cannot read this file: {node.read_error}")


RULE = Rule(
    code="RH901",
    severity=Severity.ERROR,
    summary="A file that cannot be read or decoded, or that a run over 50,000 files did not reach.",
    check=_check_unreadable,
    tags=("reliability",),
)
