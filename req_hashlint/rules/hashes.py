"""RH004 invalid-hash, RH005 dangling-hash, RH008 shared-hash, RH012 uppercase-hash."""

from __future__ import annotations

import re
from collections.abc import Iterator

from .._graph import Node
from .._model import Entry, Finding, Hash, IssueKind, Severity
from .._versions import same_version
from ._base import REGENERATE, Context, Docs, Rule, describe

LENGTHS = {"sha256": 64, "sha384": 96, "sha512": 128}
_HEX_RE = re.compile(r"[0-9a-fA-F]+")
_ENV_RE = re.compile(r"\$\{[A-Z0-9_]+\}")


# An entry whose every value is one of these (lowercase hex of the right length) gives RH004,
# RH008's hash checks and RH012 nothing to say: one match per entry settles the usual case.
# (A Hash's value is its algo, `:` and digest; without a colon it cannot match.)
_CLEAN = r"(?:sha256:[0-9a-f]{64}|sha384:[0-9a-f]{96}|sha512:[0-9a-f]{128})"
_CLEAN_VALUES = f"{_CLEAN}(?: {_CLEAN})*"  # (compiled on first use: most runs need only _all_sha256)
FAST = True  # off: every hash is checked one by one (tests/test_fastpath.py compares)


def _all_sha256(hashes: list[Hash]) -> bool:
    """Whether every hash is sha256 with 64 lowercase hex digits: a few passes in C, no match.

    (A lock's usual file; others take the regular expression.)
    """
    n = len(hashes)
    if "\n".join([h.algo for h in hashes]) != "\n".join(["sha256"] * n):
        return False
    digests = "\n".join([h.digest for h in hashes])
    return (
        len(digests) == 65 * n - 1
        and digests.count("\n") == n - 1
        and digests[64::65] == "\n" * (n - 1)  # so each digest is exactly 64 characters
        and digests.isascii()
        and not digests.encode("ascii").translate(None, b"0123456789abcdef\n")
    )


def clean_entries(ctx: Context) -> set[int]:
    """``id()`` of every entry whose hashes are all well-formed lowercase digests (once per run).

    One match per file settles a clean file (the usual case); a file with any other value is
    looked at entry by entry.
    """
    memo = ctx.memo.get("clean-hashes")
    if isinstance(memo, set):
        return memo
    found: set[int] = set()
    if FAST:
        match = re.compile(_CLEAN_VALUES).fullmatch
        for node in ctx.nodes():
            assert node.file is not None
            hashed = [e for e in node.file.entries if e.hashes]
            if not hashed:
                continue
            every = [h for e in hashed for h in e.hashes]
            if _all_sha256(every) or match(" ".join([h.value for h in every])):
                found.update(map(id, hashed))
            else:
                found.update(id(e) for e in hashed if match(" ".join([h.value for h in e.hashes])))
    ctx.memo["clean-hashes"] = found
    return found


def hash_problem(h: Hash) -> str | None:
    """Why pip rejects this value or can never match it; None when it is well-formed."""
    if m := _ENV_RE.search(h.value):
        return (
            f"`{h.value}` is unverifiable, not malformed: pip replaces `{m.group(0)}` with that "
            "environment variable at install time (and keeps the text as written when it is unset, "
            "which no file matches), so the file does not say which digest it pins, nothing can "
            "check it before the install, and it may differ between machines; write the digest itself"
        )
    if not h.has_colon:
        return (
            f"`--hash={h.value}` has no `algorithm:` prefix; pip refuses the whole file ('Arguments to "
            "--hash must be a hash name followed by a value, like --hash=sha256:abcde...')"
        )
    if h.algo not in LENGTHS:
        low = h.algo.lower()
        hint = f" (pip is case-sensitive: write `{low}`)" if low in LENGTHS else ""
        return (
            f"`{h.algo}` is not an algorithm pip accepts{hint}; pip refuses the whole file ('Allowed hash "
            "algorithms for --hash are sha256, sha384, sha512')"
        )
    if not h.digest:
        return f"`--hash={h.value}` has an empty digest; pip can never match it (HashMismatch)"
    if _HEX_RE.fullmatch(h.digest) is None:
        bad = next(c for c in h.digest if c not in "0123456789abcdefABCDEF")
        return f"the {h.algo} digest contains {bad!r}, which is not hexadecimal; pip can never match it (HashMismatch)"
    want = LENGTHS[h.algo]
    if len(h.digest) != want:
        return (
            f"the {h.algo} digest has {len(h.digest)} hex digits instead of {want} (truncated or pasted "
            "wrong); pip can never match it (HashMismatch)"
        )
    return None


def _check_invalid(ctx: Context) -> Iterator[Finding]:
    clean = clean_entries(ctx)
    for node, entry in ctx.entries():
        if id(entry) in clean:
            continue
        for h in entry.hashes:
            problem = hash_problem(h)
            if problem is not None:
                yield ctx.finding(
                    INVALID,
                    node,
                    h.span,
                    f"{describe(entry)}: {problem}; regenerate it ({REGENERATE}, or `pip hash FILE`)",
                    entry=entry,
                )


INVALID = Rule(
    code="RH004",
    name="invalid-hash",
    severity=Severity.ERROR,
    summary="A `--hash` value pip rejects or can never match, or one that cannot be verified (`${VAR}`).",
    docs=Docs(
        what=(
            "A `--hash` value is malformed: the algorithm is not `sha256`, `sha384` or `sha512` (pip is "
            "case-sensitive, so `SHA256` fails), the `:` is missing, the digest is empty, not "
            "hexadecimal, or not 64/96/128 digits long for its algorithm; or it is unverifiable: it "
            "contains a `${VAR}`, which pip replaces with that environment variable at install time."
        ),
        why=(
            "A bad algorithm or a missing `:` makes pip reject the whole file before it installs "
            "anything. A digest of the wrong length or with non-hex characters is accepted, but no "
            "file can ever match it, so pip fails late with *'THESE PACKAGES DO NOT MATCH THE HASHES "
            "FROM THE REQUIREMENTS FILE'*. A `${VAR}` may well expand to the right digest where the "
            "variable is set, but the file no longer says which digest it pins: review, the other "
            "rules and every machine without the variable see a value no file matches (pip keeps "
            "the text of an unset variable), so req-hashlint reports it as unverifiable, stricter "
            "than pip on purpose (docs/stricter-than-pip.md). Usual causes: a truncated paste, a "
            "merge conflict, a template variable, or a digest copied from a web page in base64."
        ),
        fix="Regenerate the hashes (`pip-compile --generate-hashes`, `uv pip compile --generate-hashes`) or take them from `pip hash FILE`.",
        example=(
            "```\n# fires\nsix==1.16.0 --hash=SHA256:1e61c37477a1626458e36f7b1d82aa5c9b094fa4802892072e49de9c60c4c926\n"
            "six==1.16.0 --hash=sha256:1e61c374\n```"
        ),
    ),
    check=_check_invalid,
    tags=("supply-chain", "reliability"),
)


def _check_dangling(ctx: Context) -> Iterator[Finding]:
    for node in ctx.nodes():
        assert node.file is not None
        dangling = [i for i in node.file.issues if i.kind is IssueKind.DANGLING_HASH]
        if not dangling:
            continue
        only = not ctx.hash_mode_on(node)
        for issue in dangling:
            tail = (
                "; it is the only hash, so pip's hash-checking mode stays off and everything installs unverified"
                if only
                else ""
            )
            yield ctx.finding(
                DANGLING,
                node,
                issue.span,
                f"{issue.detail}{tail}; join it to its requirement with a `\\` at the end of the line above",
            )


DANGLING = Rule(
    code="RH005",
    name="dangling-hash",
    severity=Severity.ERROR,
    summary="A `--hash` on a line with no requirement.",
    docs=Docs(
        what="A `--hash` stands on a line that has no requirement: the `\\` that should join it to the requirement above is missing, or it was written on an option-only line.",
        why=(
            "pip only logs *'... has --hash but no requirement, and will be ignored'* and moves on. "
            "The requirement above then has fewer hashes than intended, and if this was the only "
            "hash in the install, hash-checking mode never switches on: everything installs "
            "unverified. A hand edit that drops a trailing `\\`, or a blank line inside an entry, "
            "causes it."
        ),
        fix="End the requirement's line, and every hash line but the last, with ` \\`.",
        example=(
            "```\n# fires: the first line does not end with \\\nattrs==23.2.0\n"
            "    --hash=sha256:99b87a485a5820b23b879f04c2305b44b951b502fd64be915879d77a7e8fc6f1\n```"
        ),
    ),
    check=_check_dangling,
    tags=("security", "supply-chain"),
    security_severity=6.0,
)


# (normalized name or the text, version label, the entry): who lists a digest
_Owner = tuple[str, str, Entry]


def _same_owner(a: _Owner, b: _Owner) -> bool:
    return a[0] == b[0] and (a[1] == b[1] or (b[2].version is not None and same_version(a[1], b[1])))


def _entry_digests(entry: Entry, is_clean: bool) -> Iterator[tuple[str, Hash]]:
    """(lowercase digest, hash) of each well-formed hash of ``entry``."""
    for h in entry.hashes:
        if is_clean:
            yield h.digest, h
        elif h.algo in LENGTHS and hash_problem(h) is None:
            yield h.digest.lower(), h


def _hash_of(entry: Entry, digest: str) -> Hash:
    """The first well-formed hash of ``entry`` with this (lowercase) digest."""
    return next(h for d, h in _entry_digests(entry, False) if d == digest)


def _check_shared(ctx: Context) -> Iterator[Finding]:
    """Each file's digests are looked at once. Inside a file: repeats in one entry (one note per
    entry) and a digest under two owners. Across files: only the digests that some other file
    lists under another owner, per root over those digests alone."""
    clean = clean_entries(ctx)
    by_node: dict[tuple[str, bool], dict[str, _Owner]] = {}  # each file's digests and their first owner there
    first_node: dict[str, Node] = {}  # digest -> the first file listing it (as read)
    also: dict[str, list[Node]] = {}  # digest -> every file listing it, when more than one does
    for node in ctx.nodes():
        assert node.file is not None
        owners: dict[str, _Owner] = {}  # this file's: digest -> its first owner here
        for entry in node.file.entries:
            if not entry.hashes:
                continue
            owner = (entry.key or entry.text, entry.version or entry.specifier or entry.text, entry)
            is_clean = id(entry) in clean
            if is_clean:
                # the usual entry: distinct digests none of which is listed yet, settled by set
                # operations; anything else takes the loop below, hash by hash
                digests = [h.digest for h in entry.hashes]
                if len(set(digests)) == len(digests) and not owners.keys() & digests:
                    owners.update(dict.fromkeys(digests, owner))
                    continue
            counts: dict[str, int] = {}
            first_repeat: Hash | None = None
            for digest, h in _entry_digests(entry, is_clean):
                times_seen = counts[digest] = counts.get(digest, 0) + 1
                if times_seen > 1:
                    first_repeat = first_repeat or h
                    continue
                prev = owners.get(digest)
                if prev is None:
                    owners[digest] = owner
                elif not _same_owner(prev, owner):
                    yield _shared(ctx, node, owner, h, node, prev, digest)
            if first_repeat is not None:
                repeated = [c for c in counts.values() if c > 1]
                times = "twice" if max(repeated) == 2 else "more than once"
                what = f"the same {first_repeat.algo} digest" if len(repeated) == 1 else f"{len(repeated)} digests"
                yield ctx.finding(
                    SHARED,
                    node,
                    first_repeat.span,
                    f"{describe(entry)} lists {what} {times}; remove the repeat{'s' if len(repeated) > 1 else ''}",
                    entry=entry,
                    severity=Severity.NOTE,
                )
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
                    yield _shared(ctx, node, owner, _hash_of(owner[2], digest), seen[0], seen[1], digest)


def _shared(ctx: Context, node: Node, owner: _Owner, h: Hash, p_node: Node, prev: _Owner, digest: str) -> Finding:
    """RH008 at ``h``, a hash of ``owner`` whose digest ``prev`` lists first."""
    entry = owner[2]
    other = f"{prev[0]} {prev[1]}" if prev[0] != owner[0] else f"version {prev[1]}"
    line = _hash_of(prev[2], digest).span.line
    return ctx.finding(
        SHARED,
        node,
        h.span,
        f"{describe(entry)} lists a digest already listed for {other} at {p_node.display}:{line}; "
        f"one file cannot be both, so one of them was copied by mistake; regenerate the hashes ({REGENERATE})",
        entry=entry,
    )


SHARED = Rule(
    code="RH008",
    name="shared-hash",
    severity=Severity.ERROR,
    summary="One digest listed under two different projects or versions.",
    docs=Docs(
        what=(
            "The same digest appears under two different projects, or two different versions of one "
            "project, in one include graph. Digests repeated within one entry are a note, one per "
            "entry at its first repeat, saying how many repeat (some generators write every hash twice)."
        ),
        why=(
            "A digest identifies one file, and one file is one release of one project. When the "
            "digest shows up twice, one of the entries got the other's hashes, by a copy-paste or a "
            "bad merge, and pip will fail with HashMismatch for it (or, worse, the entry never had "
            "its own hashes checked by anyone)."
        ),
        fix="Regenerate the hashes for both entries (`pip-compile --generate-hashes`, `uv pip compile --generate-hashes`).",
        example=(
            "```\n# fires: the second entry reuses the first one's digest\n"
            "six==1.16.0 --hash=sha256:1e61c37477a1626458e36f7b1d82aa5c9b094fa4802892072e49de9c60c4c926\n"
            "idna==3.7 --hash=sha256:1e61c37477a1626458e36f7b1d82aa5c9b094fa4802892072e49de9c60c4c926\n```"
        ),
    ),
    check=_check_shared,
    tags=("supply-chain", "reliability"),
)


def _check_uppercase(ctx: Context) -> Iterator[Finding]:
    clean = clean_entries(ctx)
    for node, entry in ctx.entries():
        if id(entry) in clean:
            continue
        for h in entry.hashes:
            if h.digest != h.digest.lower() and hash_problem(h) is None:
                yield ctx.finding(
                    UPPERCASE,
                    node,
                    h.span,
                    f"{describe(entry)}: the {h.algo} digest has uppercase letters; pip up to 24.1 compares "
                    "digests case-sensitively and fails with HashMismatch; write it in lowercase",
                    entry=entry,
                )


UPPERCASE = Rule(
    code="RH012",
    name="uppercase-hash",
    severity=Severity.WARNING,
    summary="A hex digest with uppercase letters.",
    docs=Docs(
        what="A `--hash` digest is written with uppercase hex letters (`A`-`F`).",
        why=(
            "`hashlib` produces lowercase digests, and pip up to 24.1 compared them as strings, so an "
            "uppercase digest fails with HashMismatch there; pip 24.2 and later lower-case them first. "
            "Digests copied from tools that print uppercase (PowerShell's `Get-FileHash`, some "
            "registries' web pages) cause it."
        ),
        fix="Write the digest in lowercase.",
        example=(
            "```\n# fires\nsix==1.16.0 --hash=sha256:1E61C37477A1626458E36F7B1D82AA5C9B094FA4802892072E49DE9C60C4C926\n```"
        ),
    ),
    check=_check_uppercase,
    tags=("reliability",),
)

RULES = (INVALID, DANGLING, SHARED, UPPERCASE)
