"""RH301 hash-mismatch."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from .._model import Entry, Finding, Fix, IssueKind, ReqFile, Severity, Span
from ._base import REGENERATE, REGENERATE_LOCK, Context, Rule, listing, pinned, plural

if TYPE_CHECKING:
    from .._graph import Node
    from ..index._verdict import Verdict

_SHA256 = re.compile("[0-9a-f]{64}").fullmatch


def index_fixes(ctx: Context) -> Callable[[Node, Entry], Fix | None]:
    """For one check (RH002, RH101, RH301-RH303): an entry's fix from the index, which makes its
    hashes exactly the index's sha256 of every file of the pinned version, sorted, in the file's own
    layout (the same edit whichever rule asks). None without ``--index`` evidence for the entry, when
    the version is not served, when a file has no sha256 (nothing is guessed), when the indexes of
    its roots disagree, or when pip reads the entry's lines otherwise than they look (a lexer issue)."""
    groups: dict[tuple[str, Span], list[Verdict]] | None = None
    hashed: dict[str, ReqFile] = {}  # a file with only its entries that list hashes: their layout is the file's

    def fix(node: Node, entry: Entry) -> Fix | None:
        nonlocal groups
        if ctx.evidence is None or node.file is None or node.file.lock:
            return None  # (a pylock.toml's hashes are per artifact: regenerate it with its tool)
        if groups is None:
            groups = {}
            for v in ctx.verdicts:
                groups.setdefault((v.node.abspath, v.entry.span), []).append(v)
        found = groups.get((node.abspath, entry.span), [])
        digests = {frozenset(f.hashes.get("sha256") for f in v.files) for v in found}
        if len(digests) != 1 or not found[0].files:
            return None
        values = digests.pop()
        # only well-formed digests are written: a hostile index's text never reaches the file
        if not all(d is not None and _SHA256(d) for d in values) or entry.span in node.file.consequences:
            return None
        for i in node.file.issues:  # on its lines, or a hash line below it that pip reads alone
            if entry.first_line <= i.span.line <= entry.last_line or (
                i.span.line == entry.last_line + 1 and i.kind is IssueKind.DANGLING_HASH
            ):
                return None
        from .._fix import hash_fix

        file = node.file
        if not entry.hash_values:  # its layout is the file's: asked of the entries with hashes alone (linear)
            if node.abspath not in hashed:
                hashed[node.abspath] = file._replace(entries=tuple(e for e in file.entries if e.hash_values))
            file = hashed[node.abspath]
        what = f"set the hashes to the sha256 of the {plural(len(values), 'file')} the index serves for {pinned(entry)}"
        return hash_fix(file, entry, (f"sha256:{d}" for d in values), what)

    return fix


def _check_mismatch(ctx: Context) -> Iterator[Finding]:
    if ctx.evidence is None:
        return
    fix = index_fixes(ctx)
    for v in ctx.verdicts:
        yield from _artifacts(ctx, v)
        if not v.files or not v.hashes or v.matched or v.unchecked:
            continue
        others = sorted({u.version for u in v.unknown if u.version is not None})
        if others:
            some = "they are" if all(u.version is not None for u in v.unknown) else "some are"
            whose = listing([f"{o}'s" for o in others])
            belong = f"; {some} the hashes of {whose} files (the pin changed, the hashes did not)"
        else:
            belong = ""
        n = len(v.hashes)
        listed = "its hash matches no file" if n == 1 else f"none of its {n} hashes matches a file"
        yield ctx.finding(
            RULE,
            v.node,
            v.entry.span,
            f"{pinned(v.entry)}: {listed} the index serves for {v.entry.version} "
            f"({plural(len(v.files), 'file')}){belong}; pip refuses every file "
            f"(HashMismatch); regenerate the hashes ({REGENERATE})",
            entry=v.entry,
            fix=fix(v.node, v.entry),
        )


def _artifacts(ctx: Context, v: Verdict) -> Iterator[Finding]:
    """A pylock.toml's artifacts: each whose digests are all other than the served file's of its name."""
    for c in v.artifacts:
        if c.served is None or c.right or not c.wrong:
            continue
        h = v.entry.hashes[c.wrong[0]]
        served = c.served.hashes.get(h.algo, "")
        whose = f"; it is the digest of {c.owner.filename}" if c.owner is not None else ""
        yield ctx.finding(
            RULE,
            v.node,
            h.span,
            f"{c.artifact.filename}: the lock's {h.algo} is not the digest the index serves for that file "
            f"({served[:12]}...){whose}; pip downloads it and refuses it (HashMismatch) wherever the lock "
            f"installs this file; {REGENERATE_LOCK}",
            entry=v.entry,
        )


RULE = Rule(
    code="RH301",
    severity=Severity.ERROR,
    summary="No listed hash matches any file the index serves for the pinned version (`--index`).",
    check=_check_mismatch,
    tags=("reliability", "supply-chain"),
    evidence=True,
    fixable=True,
)
