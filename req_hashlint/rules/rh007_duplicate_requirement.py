"""RH007 duplicate-requirement."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from .._graph import Graph, Node, NodeKey
from .._model import Edit, Entry, Finding, Fix, Severity, Span
from .._versions import same_version
from ._base import Context, Rule, describe

_Key = tuple[str, str | None]  # (normalized name, marker)


def _pip_order(
    graph: Graph, root: NodeKey, items: Callable[[Node], list[tuple[int, int, int]]]
) -> Iterator[Node | int]:
    """One root's requirement files in pip's reading order, interleaved with their entries.

    Yields a node when pip starts reading it, then the indexes (into ``items(node)``' entries)
    as pip meets them: pip reads a ``-r`` file's entries where its ``-r`` line stands, before
    the lines after it; each file is read once here (the graph does not follow a file twice
    either). ``items(node)`` is (line, 0 for an include / 1 for an entry, index), sorted.
    """
    first = graph.nodes.get(root)
    if first is None or first.file is None or first.constraint:
        return
    seen = {root}
    stack: list[tuple[Node, Iterator[tuple[int, int, int]]]] = [(first, iter(items(first)))]
    yield first
    while stack:
        node, it = stack[-1]
        item = next(it, None)
        if item is None:
            stack.pop()
            if stack:
                yield stack[-1][0]
            continue
        _, is_entry, index = item
        if is_entry:
            yield index
            continue
        key = graph.edges.get((node.key, index))
        child = graph.nodes.get(key) if key is not None else None
        if child is not None and key not in seen and not child.constraint and child.file is not None:
            seen.add(child.key)
            stack.append((child, iter(items(child))))
            yield child


def _differs(a: Entry, b: Entry) -> str | None:
    """How ``b`` differs from ``a``: "version" (another URL, version or specifier; ``==1.16`` is
    ``==1.16.0``), "hashes", or None when it is identical."""
    if a.url != b.url:
        return "version"
    if a.version is not None and b.version is not None:
        if not same_version(a.version, b.version):
            return "version"
    elif a.specifier != b.specifier:
        return "version"
    return "hashes" if a.hash_set != b.hash_set else None


def _check_duplicates(ctx: Context) -> Iterator[Finding]:
    """Each file's entries are looked at once: repeats inside a file per file, and across files
    only the projects whose entries differ, per root (in pip's order) over those entries alone."""
    firsts: dict[NodeKey, dict[_Key, Entry]] = {}
    for node in ctx.nodes():
        if node.constraint:
            continue
        assert node.file is not None
        seen: dict[_Key, Entry] = {}
        for entry in node.file.entries:
            if entry.key is None or entry.error:
                continue
            k = (entry.key, entry.marker)
            prev = seen.get(k)
            if prev is None:
                seen[k] = entry
            else:
                yield _duplicate(ctx, node, entry, node, prev)
        firsts[node.key] = seen
    yield from _across_files(ctx, firsts)
    yield from _against_constraints(ctx, firsts)


def _across_files(ctx: Context, firsts: dict[NodeKey, dict[_Key, Entry]]) -> Iterator[Finding]:
    graph = ctx.graph
    where: dict[_Key, list[Entry]] = {}
    for by_key in firsts.values():
        for k, entry in by_key.items():
            where.setdefault(k, []).append(entry)
    contested = {
        k for k, entries in where.items() if len(entries) > 1 and any(_differs(entries[0], e) for e in entries)
    }
    if not contested:
        return
    cache: dict[NodeKey, tuple[list[tuple[int, int, int]], list[Entry]]] = {}

    def plan(node: Node) -> tuple[list[tuple[int, int, int]], list[Entry]]:
        got = cache.get(node.key)
        if got is None:
            assert node.file is not None
            entries = [e for k, e in firsts.get(node.key, {}).items() if k in contested]
            merged = [(e.first_line, 1, i) for i, e in enumerate(entries)]
            merged += [(inc.span.line, 0, i) for i, inc in enumerate(node.file.includes) if inc.kind == "-r"]
            got = cache[node.key] = (sorted(merged), entries)
        return got

    for root in graph.members:
        first: dict[_Key, tuple[Node, Entry]] = {}
        current: Node | None = None
        for step in _pip_order(graph, (root, False), lambda n: plan(n)[0]):
            if isinstance(step, Node):
                current = step
                continue
            assert current is not None
            entry = plan(current)[1][step]
            k = (entry.key or "", entry.marker)
            prev = first.get(k)
            if prev is None:
                first[k] = (current, entry)
            elif _differs(prev[1], entry):
                yield _duplicate(ctx, current, entry, prev[0], prev[1])


def _duplicate(ctx: Context, node: Node, entry: Entry, p_node: Node, p_entry: Entry) -> Finding:
    """RH007 for ``entry``, which pip meets after ``p_entry``."""
    where = f"{p_node.display}:{p_entry.first_line}"
    how = _differs(p_entry, entry)
    if how is None and node.file is not None and node.file.lock:  # pip refuses a lock selecting it twice
        msg = f"{describe(entry)} is listed again (identical to {where}); pip refuses the lock ('Multiple packages with the name'); remove the repeat"
        return ctx.finding(RULE, node, entry.span, msg, entry=entry, fix=_repeated_package(ctx, node, entry, p_entry))
    if how is None:
        msg = f"{describe(entry)} is listed again (identical to {where}); remove the repeat"
        last = entry.last_line  # with the indented comments under it (pip-compile's `# via`)
        while (below := ctx.line(node, last + 1)).lstrip().startswith("#") and below[:1] in " \t":
            last += 1
        fix = Fix("remove the repeat", (Edit(Span(entry.first_line, 1, last + 1, 1), ""),))
        return ctx.finding(RULE, node, entry.span, msg, entry=entry, severity=Severity.WARNING, fix=fix)
    if how == "version":
        msg = (
            f"{describe(entry)} is already required as {describe(p_entry)} at {where}; "
            "pip refuses conflicting pins ('Cannot install ... because these package versions "
            "have conflicting dependencies'); keep one"
        )
    else:
        msg = (
            f"{describe(entry)} is listed again (first at {where}) with a different set of "
            "hashes; pip uses the first entry's hashes and uv the last one's; keep one entry "
            "with the right hashes"
        )
    return ctx.finding(RULE, node, entry.span, msg, entry=entry)


def _repeated_package(ctx: Context, node: Node, entry: Entry, first: Entry) -> Fix | None:
    """A pylock.toml's repeated `[[packages]]` table, written line for line as the first one:
    removed with the blank line before it. None when the two tables are written differently (one
    may hold what the other lacks: a person chooses)."""
    size = entry.last_line - entry.first_line
    if size != first.last_line - first.first_line or any(
        ctx.line(node, entry.first_line + k) != ctx.line(node, first.first_line + k) for k in range(size + 1)
    ):
        return None
    start = (
        entry.first_line - 1
        if entry.first_line > 1 and not ctx.line(node, entry.first_line - 1).strip()
        else entry.first_line
    )
    return Fix("remove the repeated package", (Edit(Span(start, 1, entry.last_line + 1, 1), ""),))


def _against_constraints(ctx: Context, firsts: dict[NodeKey, dict[_Key, Entry]]) -> Iterator[Finding]:
    """A pinned requirement that a constraint of the same install excludes: pip cannot resolve it.

    Decided once per (requirements file, constraints file) pair that some root reads together.
    """
    graph = ctx.graph
    pairs: dict[tuple[NodeKey, NodeKey], None] = {}
    for keys in graph.members.values():
        req_keys = [k for k in keys if not k[1] and k in firsts]
        for c_key in keys:
            if c_key[1] and graph.nodes[c_key].file is not None:
                for r_key in req_keys:
                    pairs[(r_key, c_key)] = None
    constraints: dict[NodeKey, dict[str, list[Entry]]] = {}
    for r_key, c_key in pairs:
        by_name = constraints.get(c_key)
        if by_name is None:
            c_file = graph.nodes[c_key].file
            assert c_file is not None
            by_name = constraints[c_key] = {}
            for con in c_file.entries:
                if con.key is not None and not con.error and con.url is None and con.specifier:
                    by_name.setdefault(con.key, []).append(con)
        if not by_name:
            continue
        for entry, c in ((e, c) for (name, _), e in firsts[r_key].items() for c in by_name.get(name, ())):
            if entry.version is None or entry.url is not None:
                continue
            if c.marker is not None and entry.marker is not None and c.marker != entry.marker:
                continue  # (both conditional, on different conditions: not decided here)
            if _satisfies(entry.version, c.specifier) is False:
                message = (
                    f"{describe(entry)} is excluded by the constraint {describe(c)} at "
                    f"{graph.nodes[c_key].display}:{c.first_line}; pip cannot satisfy both ('Cannot install ... "
                    "because these package versions have conflicting dependencies'); make them agree"
                )
                yield ctx.finding(RULE, graph.nodes[r_key], entry.span, message, entry=entry)


def _satisfies(version: str, specifier: str) -> bool | None:
    """Whether the pinned ``version`` is in ``specifier``; None when either does not parse."""
    from packaging.specifiers import InvalidSpecifier, SpecifierSet
    from packaging.version import InvalidVersion, Version

    try:
        return SpecifierSet(specifier).contains(Version(version), prereleases=True)
    except (InvalidSpecifier, InvalidVersion):
        return None


RULE = Rule(
    code="RH007",
    severity=Severity.ERROR,
    summary="One project (and marker) listed twice with another version or hash set, or a `-c` constraint that excludes a pin; an identical repeat inside one file is a warning, identical entries in different `-r` files are fine.",
    check=_check_duplicates,
    tags=("reliability",),
    fixable=True,
)
