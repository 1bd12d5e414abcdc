"""RH010 include-problem."""

from __future__ import annotations

from collections.abc import Iterator

from .._model import Finding, Severity
from ._base import Context, Docs, Rule


def _check_includes(ctx: Context) -> Iterator[Finding]:
    for problem in ctx.graph.problems:
        node = ctx.graph.nodes[problem.node_key]
        if problem.reason == "url":
            yield ctx.finding(RULE, node, problem.include.span, problem.detail, severity=Severity.WARNING)
        else:
            yield ctx.finding(RULE, node, problem.include.span, problem.detail)
    for node in ctx.graph.nodes.values():
        if node.read_error is not None and node.included_by is not None:
            parent_key, inc = node.included_by
            parent = ctx.graph.nodes.get(parent_key)
            if parent is None:
                continue
            yield ctx.finding(
                RULE,
                parent,
                inc.span,
                f"`{inc.kind} {inc.target}` cannot be read ({node.read_error}); pip fails to open it",
            )


RULE = Rule(
    code="RH010",
    name="include-problem",
    severity=Severity.ERROR,
    summary="A `-r`/`-c` target that is missing, unreadable, cyclic or outside the repository; a URL include is a warning.",
    docs=Docs(
        what=(
            "A `-r` or `-c` target does not exist, cannot be read, includes itself through a cycle, or "
            "resolves outside the repository root (through `..`, an absolute path or a symlink). Such "
            "a target is not followed, so nothing outside the project is ever read. Also an include "
            "not followed because the run's budget (10,000 deep, 50,000 files) is spent. A URL include "
            "(`-r https://...`) is a warning: it is never fetched, so it is not checked."
        ),
        why=(
            "pip resolves includes relative to the including file and stops with *'Could not open "
            "requirements file'* or *'... recursively references itself'*. Files moved or renamed "
            "without updating the `-r` line are the usual cause."
        ),
        fix="Point the include at the file's path relative to the including file, inside the repository.",
        example="```\n# fires when base.txt is missing\n-r base.txt\n-c ../../outside/constraints.txt\n```",
    ),
    check=_check_includes,
    tags=("reliability",),
)
