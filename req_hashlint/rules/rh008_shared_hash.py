"""RH008 shared-hash."""

from __future__ import annotations

from collections.abc import Iterator

from .._graph import Node
from .._model import Entry, Finding, Fix, Hash, Severity, normalized_hash
from .._versions import same_version
from ._base import Context, Rule, describe, tools

# (normalized name or the text, version label, the entry): who lists a digest
_Owner = tuple[str, str, Entry]


def _same_owner(a: _Owner, b: _Owner) -> bool:
    return a[0] == b[0] and (a[1] == b[1] or (b[2].version is not None and same_version(a[1], b[1])))


def _digests(entry: Entry, malformed: frozenset[str]) -> list[tuple[str, int]]:
    """(lowercase digest, index) of each well-formed hash of ``entry``: values only, so a lock's
    hash positions are worked out only for a hash a finding points at."""
    return [(v.partition(":")[2].lower(), i) for i, v in enumerate(entry.hash_values) if v not in malformed]


def _hash_of(entry: Entry, digest: str, malformed: frozenset[str]) -> Hash:
    """The first well-formed hash of ``entry`` with this (lowercase) digest."""
    return entry.hashes[next(i for d, i in _digests(entry, malformed) if d == digest)]


def _check_shared(ctx: Context) -> Iterator[Finding]:
    """Each file's digests are looked at once. Inside a file: repeats in one entry (one note per
    entry) and a digest under two owners. Across files: only the digests that some other file
    lists under another owner, per root over those digests alone."""
    malformed = frozenset(h.value for h in ctx.malformed)  # a value is malformed wherever it is
    by_node: dict[tuple[str, bool], dict[str, _Owner]] = {}  # each file's digests and their first owner there
    first_node: dict[str, Node] = {}  # digest -> the first file listing it (as read)
    also: dict[str, list[Node]] = {}  # digest -> every file listing it, when more than one does
    for node in ctx.nodes():
        assert node.file is not None
        owners: dict[str, _Owner] = {}  # this file's: digest -> its first owner here
        for entry in node.file.entries:
            if not entry.hash_values:
                continue
            owner = (entry.key or entry.text, entry.version or entry.specifier or entry.text, entry)
            counts: dict[str, int] = {}
            first_repeat: int | None = None
            for digest, i in _digests(entry, malformed):
                times_seen = counts[digest] = counts.get(digest, 0) + 1
                if times_seen > 1:
                    first_repeat = i if first_repeat is None else first_repeat
                    continue
                prev = owners.get(digest)
                if prev is None:
                    owners[digest] = owner
                elif not _same_owner(prev, owner):
                    yield _shared_finding(ctx, node, owner, entry.hashes[i], node, prev, digest, malformed)
            if first_repeat is not None:
                repeat = entry.hashes[first_repeat]
                repeated = [c for c in counts.values() if c > 1]
                times = "twice" if max(repeated) == 2 else "more than once"
                what = f"the same {repeat.algo} digest" if len(repeated) == 1 else f"{len(repeated)} digests"
                message = f"{describe(entry)} lists {what} {times}; remove the repeat{'s' if len(repeated) > 1 else ''}"
                fix = _without_repeats(node, entry, malformed)
                yield ctx.finding(RULE, node, repeat.span, message, entry=entry, severity=Severity.NOTE, fix=fix)
        by_node[node.key] = owners
        common = owners.keys() & first_node.keys()
        for digest in common:
            also.setdefault(digest, [first_node[digest]]).append(node)
        first_node.update(dict.fromkeys(owners.keys() - common if common else owners, node))
    contested: dict[tuple[str, bool], list[str]] = {}
    for digest, listers in also.items():
        owner0 = by_node[listers[0].key][digest]
        if any(not _same_owner(owner0, by_node[n.key][digest]) for n in listers):
            for lister in listers:
                contested.setdefault(lister.key, []).append(digest)
    if not contested:
        return
    for graph in ctx.root_graphs():
        firsts: dict[str, tuple[Node, _Owner]] = {}
        for node in graph:
            for digest in contested.get(node.key, ()):
                owner = by_node[node.key][digest]
                seen = firsts.get(digest)
                if seen is None:
                    firsts[digest] = (node, owner)
                elif seen[0] is not node and not _same_owner(seen[1], owner):
                    h = _hash_of(owner[2], digest, malformed)
                    yield _shared_finding(ctx, node, owner, h, seen[0], seen[1], digest, malformed)


def _without_repeats(node: Node, entry: Entry, malformed: frozenset[str]) -> Fix | None:
    """The entry with each digest listed once (the first time); a malformed value is kept as it is."""
    from .._fix import hash_fix  # (only when there is something to fix)

    assert node.file is not None
    seen: set[str] = set()
    keep = []
    for value in entry.hash_values:
        key = value if value in malformed else normalized_hash(value)
        if key not in seen:
            seen.add(key)
            keep.append(value)
    return hash_fix(node.file, entry, keep, "remove the repeated digests", ordered=True)


def _shared_finding(
    ctx: Context, node: Node, owner: _Owner, h: Hash, p_node: Node, prev: _Owner, digest: str, malformed: frozenset[str]
) -> Finding:
    """RH008 at ``h``, a hash of ``owner`` whose digest ``prev`` lists first."""
    other = f"{prev[0]} {prev[1]}" if prev[0] != owner[0] else f"version {prev[1]}"
    line = _hash_of(prev[2], digest, malformed).span.line
    message = (
        f"{describe(owner[2])} lists a digest already listed for {other} at {p_node.display}:{line}; "
        f"one file cannot be both, so one of them was copied by mistake; regenerate the hashes ({tools(node)})"
    )
    return ctx.finding(RULE, node, h.span, message, entry=owner[2])


RULE = Rule(
    code="RH008",
    severity=Severity.ERROR,
    summary="One digest listed under two projects or versions; digests repeated in one entry are one note per entry.",
    check=_check_shared,
    tags=("supply-chain", "reliability"),
    fixable=True,
)
