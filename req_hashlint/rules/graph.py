"""RH007 duplicate-requirement, RH010 include-problem."""

from __future__ import annotations

from collections.abc import Iterator

from .._graph import Node
from .._model import Entry, Finding, Severity
from ._base import Context, Docs, Rule, describe


def _hash_set(entry: Entry) -> frozenset[tuple[str, str]]:
    return frozenset((h.algo, h.digest.lower()) for h in entry.hashes)


def _check_duplicates(ctx: Context) -> Iterator[Finding]:
    for graph in ctx.root_graphs():
        first: dict[tuple[str, str | None], tuple[Node, Entry]] = {}
        for node in graph:
            if node.file is None or node.constraint:
                continue
            for entry in node.file.entries:
                if entry.key is None or entry.error:
                    continue
                k = (entry.key, entry.marker)
                prev = first.get(k)
                if prev is None:
                    first[k] = (node, entry)
                    continue
                p_node, p_entry = prev
                if p_node is node and p_entry is entry:
                    continue
                where = f"{p_node.display}:{p_entry.first_line}"
                if p_entry.specifier != entry.specifier or p_entry.url != entry.url:
                    msg = (
                        f"{describe(entry)} is already required as {describe(p_entry)} at {where}; "
                        "pip refuses conflicting pins ('Cannot install ... because these package versions "
                        "have conflicting dependencies'); keep one"
                    )
                    severity = None
                elif _hash_set(p_entry) != _hash_set(entry):
                    msg = (
                        f"{describe(entry)} is listed again (first at {where}) with a different set of "
                        "hashes; pip uses the first entry's hashes and uv the last one's; keep one entry "
                        "with the right hashes"
                    )
                    severity = None
                else:
                    msg = f"{describe(entry)} is listed again (identical to {where}); remove the repeat"
                    severity = Severity.WARNING
                yield ctx.finding(DUPLICATE, node, entry.span, msg, entry=entry, severity=severity)


DUPLICATE = Rule(
    code="RH007",
    name="duplicate-requirement",
    severity=Severity.ERROR,
    summary="The same project (and marker) appears twice with a different version or hash set.",
    docs=Docs(
        what=(
            "One project (PEP 503-normalized name, same environment marker) is required more than once "
            "in one include graph, with a different version, URL or set of hashes. An identical repeat "
            "is a warning. Entries with different markers (`torch==2.4.1 ; platform_machine != "
            "'x86_64'` and `torch==2.4.1+cpu ; platform_machine == 'x86_64'`) are not duplicates."
        ),
        why=(
            "Two pins of one project cannot both be installed, so pip fails to resolve. With equal "
            "pins and different hashes the tools disagree: pip checks against the first entry's "
            "hashes, uv against the last one's, so the same file passes with one tool and fails with "
            "the other. Merges of two branches and `-r` files that pin the same package cause it."
        ),
        fix="Keep one entry per project (and marker), with all the hashes of that release.",
        example="```\n# fires\nrequests==2.31.0\nRequests==2.32.3\n```",
    ),
    check=_check_duplicates,
    tags=("reliability",),
)


def _check_includes(ctx: Context) -> Iterator[Finding]:
    for problem in ctx.graph.problems:
        node = ctx.graph.nodes[problem.node_key]
        severity = Severity.WARNING if problem.reason == "url" else None
        yield ctx.finding(INCLUDE, node, problem.include.span, problem.detail, severity=severity)
    for node in ctx.graph.nodes.values():
        if node.read_error is not None and node.included_by is not None:
            parent_abs, inc = node.included_by
            parent = ctx.graph.nodes.get((parent_abs, False)) or ctx.graph.nodes.get((parent_abs, True))
            if parent is None:
                continue
            yield ctx.finding(
                INCLUDE,
                parent,
                inc.span,
                f"`{inc.kind} {inc.target}` cannot be read ({node.read_error}); pip fails to open it",
            )


INCLUDE = Rule(
    code="RH010",
    name="include-problem",
    severity=Severity.ERROR,
    summary="A `-r`/`-c` target that is missing, unreadable, cyclic or outside the repository.",
    docs=Docs(
        what=(
            "A `-r` or `-c` target does not exist, cannot be read, includes itself through a cycle, or "
            "resolves outside the repository root (through `..`, an absolute path or a symlink). Such "
            "a target is not followed, so nothing outside the project is ever read. A URL include "
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

RULES = (DUPLICATE, INCLUDE)
