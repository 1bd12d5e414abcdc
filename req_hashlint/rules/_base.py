"""The rule unit and what a check sees.

A rule is a code, a name, a default severity, its user docs and a check. A check takes the
:class:`Context` (the whole run: every file reached, the include graphs, pip's hash mode,
and for diff rules the base version of each file) and yields :class:`Finding` objects. It
never prints and never formats; the reporters never decide.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from .._diff import Comparison, Stale, compare
from .._graph import Graph, Node
from .._model import Entry, EntryKind, Finding, Hash, Related, ReqFile, Severity, Span
from .._redact import redact
from .._versions import direction

REGENERATE = "pip-compile --generate-hashes, or uv pip compile --generate-hashes"


@dataclass(frozen=True, slots=True)
class Docs:
    """User docs, in Markdown: what it means, why it happens, how to fix it, an example."""

    what: str
    why: str
    fix: str
    example: str


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    name: str
    severity: Severity
    summary: str  # one line: what fires it
    docs: Docs
    check: Callable[[Context], Iterable[Finding]]
    tags: tuple[str, ...] = ()
    precision: str = "very-high"
    security_severity: float | None = None  # for GitHub code scanning, on security-relevant rules
    diff: bool = False  # needs the base version of files


@dataclass(slots=True)
class Context:
    graph: Graph
    require_hashes: str = "always"  # or "when-any"
    # abspath -> the file at the base revision (None: new at the base); a file missing
    # from the mapping has no base to compare with.
    base: Mapping[str, ReqFile | None] = field(default_factory=dict)
    # abspath -> why the file has no base to compare with (RH902)
    base_unavailable: Mapping[str, str] = field(default_factory=dict)
    _hash_mode: dict[str, bool] | None = None
    # facts several checks share, computed once per run (e.g. the entries with clean hashes)
    memo: dict[str, object] = field(default_factory=dict)

    # -- what checks iterate over -------------------------------------------------------
    def nodes(self) -> Iterator[Node]:
        """Every readable file of the run once per role (requirements or constraints)."""
        for node in self.graph.nodes.values():
            if node.file is not None:
                yield node

    def entries(self) -> Iterator[tuple[Node, Entry]]:
        for node in self.nodes():
            assert node.file is not None
            for entry in node.file.entries:
                yield node, entry

    def root_graphs(self) -> Iterator[list[Node]]:
        """Each root file's include graph, in the order pip reads it."""
        for keys in self.graph.members.values():
            yield [self.graph.nodes[k] for k in keys]

    # -- pip's hash mode ----------------------------------------------------------------
    def hash_mode_on(self, node: Node) -> bool:
        """Whether pip's hash-checking mode is on for an install that reads ``node``."""
        if self._hash_mode is None:
            mode: dict[str, bool] = {}
            for root, keys in self.graph.members.items():
                on = False
                for k in keys:
                    f = self.graph.nodes[k].file
                    if f is not None and (f.has_hash_option or f.require_hashes_option):
                        on = True
                        break
                mode[root] = on
            self._hash_mode = mode
        return any(self._hash_mode.get(r, False) for r in node.roots)

    def hashes_required(self, node: Node) -> bool:
        """Whether every requirement of ``node`` needs a hash under the configured mode."""
        return self.require_hashes == "always" or self.hash_mode_on(node)

    # -- building findings --------------------------------------------------------------
    @staticmethod
    def finding(
        rule: Rule,
        node: Node,
        span: Span,
        message: str,
        *,
        entry: Entry | None = None,
        severity: Severity | None = None,
        related: tuple[Related, ...] = (),
    ) -> Finding:
        return Finding(
            code=rule.code,
            name=rule.name,
            severity=rule.severity if severity is None else severity,
            path=node.display,
            span=span,
            message=message,
            project=label_name(entry) if entry is not None else None,
            version=entry.version if entry is not None else None,
            rel_path=node.rel,
            related=related,
        )


def label_name(entry: Entry) -> str | None:
    if entry.name:
        return entry.name
    return None


def describe(entry: Entry) -> str:
    """How a message names an entry: `name==1.0`, or the URL/path as written."""
    if entry.kind is EntryKind.NAMED and entry.name:
        return f"{entry.name}{entry.specifier}" if entry.specifier else entry.name
    text = redact(entry.text)  # before cutting it short: a cut secret is not recognizable
    if len(text) > 80:
        text = text[:77] + "..."
    return f"-e {text}" if entry.kind is EntryKind.EDITABLE else text


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


# -- shared by several rules ---------------------------------------------------------

UNHASHABLE_KINDS = (EntryKind.EDITABLE, EntryKind.VCS, EntryKind.DIRECTORY)
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


H_OLD = "sha256:1e61c37477a1626458e36f7b1d82aa5c9b094fa4802892072e49de9c60c4c926"
H_NEW = "sha256:82fee1fc78add43492d3a1898bfa6d8a904cc97d8427f683ed8e798d07761aa0"


def compared(ctx: Context) -> tuple[list[Node], Comparison]:
    """Every file of the run that has a base version, once, and their comparison.

    Computed once per run: the diff rules share it.
    """
    found = ctx.memo.get("diff-comparison")
    if isinstance(found, tuple):
        return found
    nodes: list[Node] = []
    files: list[tuple[ReqFile | None, ReqFile]] = []
    seen: set[str] = set()
    for node in ctx.nodes():
        if node.abspath in seen or node.abspath not in ctx.base:
            continue
        seen.add(node.abspath)
        assert node.file is not None
        nodes.append(node)
        files.append((ctx.base[node.abspath], node.file))
    out = (nodes, compare(files))
    ctx.memo["diff-comparison"] = out
    return out


def changed(s: Stale) -> str:
    """`rich bumped 14.3.4 -> 15.0.0` (or downgraded, or changed)."""
    words = {direction(old, s.new_version) for old in s.versions}
    word = words.pop() if len(words) == 1 else "changed"
    return f"{s.name} {word} {s.old_version} -> {s.new_version}"


def count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"
