"""RH007 duplicate-requirement, RH010 include-problem."""

from __future__ import annotations

import os
from collections.abc import Iterator

from .._graph import Node
from .._model import Entry, Finding, Severity
from .._reqparse import same_version
from ._base import Context, Docs, Rule, describe


def _hash_set(entry: Entry) -> frozenset[tuple[str, str]]:
    return frozenset((h.algo, h.digest.lower()) for h in entry.hashes)


def _same_requirement(a: Entry, b: Entry) -> bool:
    """Same version (``==1.16`` is ``==1.16.0``) or specifier, and same URL."""
    if a.url != b.url:
        return False
    if a.version is not None and b.version is not None:
        return same_version(a.version, b.version)
    return a.specifier == b.specifier


# (line, 0 for an include / 1 for an entry, node, the entry, the include's target)
_Item = tuple[int, int, Node, Entry | None, str | None]


def _pip_order(graph: list[Node]) -> Iterator[tuple[Node, Entry]]:
    """The requirement entries of one root's include graph in pip's reading order.

    pip reads a ``-r`` file's entries where its ``-r`` line stands, before the lines after
    it; each file is read once here (the graph does not follow a file twice either).
    """
    by_key = {n.key: n for n in graph if not n.constraint}
    if not graph or graph[0].key not in by_key:
        return
    seen = {graph[0].key}
    stack: list[Iterator[_Item]] = []

    def items(node: Node) -> Iterator[_Item]:
        assert node.file is not None
        merged: list[_Item] = [(e.first_line, 1, node, e, None) for e in node.file.entries]
        merged += [(i.span.line, 0, node, None, i.target) for i in node.file.includes if i.kind == "-r"]
        return iter(sorted(merged, key=lambda t: (t[0], t[1])))

    if graph[0].file is not None:
        stack.append(items(graph[0]))
    while stack:
        item = next(stack[-1], None)
        if item is None:
            stack.pop()
            continue
        _, _, node, entry, target = item
        if entry is not None:
            yield node, entry
            continue
        assert target is not None
        key = (os.path.normpath(os.path.join(os.path.dirname(node.abspath), target)), False)
        child = by_key.get(key)
        if child is not None and key not in seen and child.file is not None:
            seen.add(key)
            stack.append(items(child))


def _check_duplicates(ctx: Context) -> Iterator[Finding]:
    for graph in ctx.root_graphs():
        first: dict[tuple[str, str | None], tuple[Node, Entry]] = {}
        for node, entry in _pip_order(graph):
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
            if not _same_requirement(p_entry, entry):
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
