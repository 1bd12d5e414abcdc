"""The rule unit and what a check sees.

A rule is a code, a name, a default severity, a check, and its user docs on a page beside its
module (``rh008_shared_hash.md``), read only when shown. A check takes the
:class:`Context` (the whole run: every file reached, the include graphs, pip's hash mode,
and for diff rules the base version of each file) and yields :class:`Finding` objects. It
never prints and never formats; the reporters never decide.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import cached_property
from typing import TYPE_CHECKING, NamedTuple

from .._codes import NAME_OF, module_name
from .._diff import Comparison, Stale, compare
from .._graph import Graph, Node
from .._model import Entry, EntryKind, Finding, Fix, Hash, Issue, IssueKind, Related, ReqFile, Severity, Span
from .._redact import redact
from .._versions import direction

if TYPE_CHECKING:
    from ..index._deps import Dependencies
    from ..index._environments import Environment
    from ..index._model import Evidence, Unavailable
    from ..index._verdict import Judgement, Verdict

REGENERATE = "pip-compile --generate-hashes, or uv pip compile --generate-hashes"
LOCK_TOOLS = "uv export --format pylock.toml, pip lock, PDM"
REGENERATE_LOCK = f"regenerate the lock with the tool that wrote it ({LOCK_TOOLS})"


def tools(node: Node) -> str:
    """The commands that regenerate hashes in the node's file: a lock's tools, or pip-compile's."""
    return LOCK_TOOLS if node.file is not None and node.file.lock else REGENERATE


# The four sections of a rule's docs page (``rh008_shared_hash.md`` beside its module), in order.
HEADINGS = ("What it means", "Why it happens", "How to fix it", "Example")


class Docs(NamedTuple):
    """A rule's user docs, in Markdown: what it means, why it happens, how to fix it, an example."""

    what: str
    why: str
    fix: str
    example: str

    @classmethod
    def parse(cls, page: str) -> Docs:
        """The sections of a rule's docs page: a `# RH008 shared-hash` title, then the four headings."""
        split = re.split(r"^## (.*)\n", page, flags=re.M)
        if tuple(split[1::2]) != HEADINGS:
            raise ValueError(f"a rule's docs page has the sections {', '.join(HEADINGS)}, in this order")
        return cls(*(body.strip("\n") for body in split[2::2]))

    def sections(self) -> list[tuple[str, str]]:
        """(heading, body) of each section, in order."""
        return list(zip(HEADINGS, self, strict=True))


class Rule(NamedTuple):
    code: str  # its name is the one ``_codes.CODES`` gives it
    severity: Severity
    summary: str  # one line: what fires it
    check: Callable[[Context], Iterable[Finding]]
    tags: tuple[str, ...] = ()
    precision: str = "very-high"
    security_severity: float | None = None  # for GitHub code scanning, on security-relevant rules
    diff: bool = False  # needs the base version of files
    evidence: bool = False  # needs index evidence (``--index``); never enabled without it
    fixable: bool = False  # some of its findings carry a fix (``--fix``); its docs say which

    @property
    def name(self) -> str:
        return NAME_OF[self.code]

    @property
    def docs(self) -> Docs:
        """Read from the rule's page beside its module, only when asked (``--explain``, SARIF).

        Found by ``__file__``: importing ``importlib.resources`` would cost ~8 ms, as much as starting Python.
        """
        with open(os.path.join(os.path.dirname(__file__), f"{module_name(self.code)}.md"), encoding="utf-8") as f:
            return Docs.parse(f.read())


class Context:
    """One run, as the checks see it, and the facts several checks share (each computed once)."""

    def __init__(
        self,
        graph: Graph,
        require_hashes: str = "always",  # or "when-any"
        base: Mapping[str, ReqFile | None] | None = None,
        base_unavailable: Mapping[str, str] | None = None,
        evidence: Evidence | None = None,
        environments: tuple[Environment, ...] | None = None,
    ) -> None:
        self.graph = graph
        self.require_hashes = require_hashes
        # abspath -> the file at the base revision (None: new at the base); a file missing
        # from the mapping has no base to compare with
        self.base: Mapping[str, ReqFile | None] = base if base is not None else {}
        # abspath -> why the file has no base to compare with (RH902)
        self.base_unavailable: Mapping[str, str] = base_unavailable if base_unavailable is not None else {}
        # what the index serves (``--index``); None: index evidence was not asked for
        self.evidence = evidence
        self._environments = environments  # None: the defaults, built when first asked

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

    def issues(self, *kinds: IssueKind) -> Iterator[tuple[Node, Issue]]:
        """Every fact of these kinds the lexer noticed, with the file it is in."""
        for node in self.nodes():
            assert node.file is not None
            yield from ((node, issue) for issue in node.file.issues if issue.kind in kinds)

    def root_graphs(self) -> Iterator[list[Node]]:
        """Each root file's include graph, in the order pip reads it."""
        for keys in self.graph.members.values():
            yield [self.graph.nodes[k] for k in keys]

    # -- shared facts -------------------------------------------------------------------
    @cached_property
    def hash_mode(self) -> dict[str, bool]:
        """Root ident -> whether pip's hash-checking mode is on for its install (any `--hash`
        in its include graph, constraint files included, or a `--require-hashes` line)."""
        mode: dict[str, bool] = {}
        for root, keys in self.graph.members.items():
            files = (self.graph.nodes[k].file for k in keys)
            mode[root] = any(f is not None and (f.has_hash_option or f.require_hashes_option) for f in files)
        return mode

    def hash_mode_on(self, node: Node) -> bool:
        """Whether pip's hash-checking mode is on for an install that reads ``node``."""
        return any(self.hash_mode.get(r, False) for r in node.roots)

    def hashes_required(self, node: Node) -> bool:
        """Whether every requirement of ``node`` needs a hash under the configured mode."""
        return self.require_hashes == "always" or self.hash_mode_on(node)

    @cached_property
    def odd_hashes(self) -> list[tuple[Node, Entry, Hash]]:
        """Every hash not written as a lowercase digest of its algorithm's length (RH004, RH012)."""
        clean = re.compile(f"(?:{_CLEAN})(?: (?:{_CLEAN}))*").fullmatch  # one match per entry
        one = re.compile(_CLEAN).fullmatch
        odd: list[tuple[Node, Entry, Hash]] = []
        for node, entry in self.entries():
            values = entry.hash_values  # positions only for an entry with an odd value
            if values and not clean(" ".join(values)):
                odd += [(node, entry, h) for h in entry.hashes if not one(h.value)]
        return odd

    @cached_property
    def malformed(self) -> frozenset[Hash]:
        """The hashes pip rejects or can never match (RH004): no digest to compare (RH008)."""

        return frozenset(
            h for node, _, h in self.odd_hashes if hash_problem(h, lock=bool(node.file and node.file.lock))
        )

    @cached_property
    def diff(self) -> tuple[list[Node], Comparison]:
        """Every file of the run that has a base version, once, and their comparison (RH101-RH104)."""
        nodes: list[Node] = []
        files: list[tuple[ReqFile | None, ReqFile]] = []
        seen: set[str] = set()
        for node in self.nodes():
            if node.abspath in seen or node.abspath not in self.base:
                continue
            seen.add(node.abspath)
            assert node.file is not None
            nodes.append(node)
            files.append((self.base[node.abspath], node.file))
        return nodes, compare(files)

    # -- index evidence (``--index``): index modules are imported only when a rule asks ----
    @cached_property
    def environments(self) -> tuple[Environment, ...]:
        """The target environments (config ``environments``; else CPython 3.10-3.14 everywhere)."""
        if self._environments is not None:
            return self._environments
        from ..index._environments import default_environments

        return default_environments(None)

    @cached_property
    def judgement(self) -> Judgement:
        """Every pinned named entry judged against its index page, once (RH301-RH306, RH309, RH903)."""
        from ..index._model import Evidence
        from ..index._verdict import judge

        return judge(self.entries(), self.evidence or Evidence({}, {}), self.environments)

    @property
    def verdicts(self) -> tuple[Verdict, ...]:
        return self.judgement.verdicts

    @property
    def unavailable(self) -> tuple[tuple[Node, Entry, Unavailable], ...]:
        """The entries whose project's page could not be had, with why (RH903)."""
        return self.judgement.unavailable

    @cached_property
    def dependencies(self) -> Dependencies:
        """What pip installs for each root in hash-checking mode, from the core metadata of the
        files it picks, once (RH307, RH308, RH309, RH903). The metadata is asked for here."""
        from ..index._deps import dependencies
        from ..index._model import Evidence

        roots = [
            (root, [n for k in keys if (n := self.graph.nodes[k]).file is not None])
            for root, keys in self.graph.members.items()
            if self.require_hashes == "always" or self.hash_mode.get(root, False)
        ]
        return dependencies(roots, self.judgement, self.evidence or Evidence({}, {}), self.environments)

    # -- what fixes quote ----------------------------------------------------------------
    @cached_property
    def _lines(self) -> dict[str, list[str]]:
        return {}

    def line(self, node: Node, n: int) -> str:
        """Physical line ``n`` of ``node``'s file, without its line break ("" past the end)."""
        assert node.file is not None
        lines = self._lines.get(node.abspath)
        if lines is None:
            lines = self._lines[node.abspath] = node.file.text.split("\n")
        return lines[n - 1] if 0 < n <= len(lines) else ""

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
        fix: Fix | None = None,
    ) -> Finding:
        """A finding of ``rule``: at its default severity, or a milder one, never stronger."""
        return Finding(
            code=rule.code,
            name=rule.name,
            severity=rule.severity if severity is None else min(severity, rule.severity),
            path=node.display,
            span=span,
            message=message,
            project=entry.name or None if entry is not None else None,
            version=entry.version if entry is not None else None,
            rel_path=node.rel,
            related=related,
            fix=fix,
        )


def describe(entry: Entry) -> str:
    """How a message names an entry: `name==1.0`, or the URL/path as written."""
    if entry.kind is EntryKind.NAMED and entry.name:
        return f"{entry.name}{entry.specifier}" if entry.specifier else entry.name
    text = redact(entry.text)  # before cutting it short: a cut secret is not recognizable
    if len(text) > 80:
        text = text[:77] + "..."
    return f"-e {text}" if entry.kind is EntryKind.EDITABLE else text


def plural(n: int, one: str, many: str | None = None) -> str:
    """`1 hash`, `2 hashes`: ``many`` when adding an `s` is not the plural."""
    return f"{n} {one if n == 1 else many or one + 's'}"


# -- shared by several rules ---------------------------------------------------------

UNHASHABLE_KINDS = (EntryKind.EDITABLE, EntryKind.VCS, EntryKind.DIRECTORY)
LENGTHS = {"sha256": 64, "sha384": 96, "sha512": 128}

# A hash as generators write it: lowercase hex of its algorithm's length. Every other value is
# looked at by RH004, RH008 and RH012 (``Context.odd_hashes``).
_CLEAN = r"sha256:[0-9a-f]{64}|sha384:[0-9a-f]{96}|sha512:[0-9a-f]{128}"


def hash_problem(h: Hash, *, lock: bool = False) -> str | None:
    """Why pip rejects this value or can never match it; None when it is well-formed. ``lock``: a
    pylock.toml's hash (PEP 751: any hashlib algorithm with a fixed digest length, no ``${VAR}``)."""
    if not lock and (m := re.search(r"\$\{[A-Z0-9_]+\}", h.value)):
        return (
            f"`{h.value}` is unverifiable, not malformed: pip replaces `{m.group(0)}` with that "
            "environment variable at install time (and keeps the text as written when it is unset, "
            "which no file matches), so the file does not say which digest it pins, nothing can "
            "check it before the install, and it may differ between machines; write the digest itself"
        )
    if lock:
        import hashlib

        try:
            want = 2 * hashlib.new(h.algo).digest_size
        except (ValueError, TypeError):
            return f"`{h.algo}` is not a hashlib algorithm; pip cannot compute it and the install fails"
        if not want:
            return f"`{h.algo}` has no fixed digest length; pip cannot compare it and the install fails"
    elif not h.has_colon:
        return (
            f"`--hash={h.value}` has no `algorithm:` prefix; pip refuses the whole file ('Arguments to "
            "--hash must be a hash name followed by a value, like --hash=sha256:abcde...')"
        )
    elif h.algo not in LENGTHS:
        low = h.algo.lower()
        hint = f" (pip is case-sensitive: write `{low}`)" if low in LENGTHS else ""
        return (
            f"`{h.algo}` is not an algorithm pip accepts{hint}; pip refuses the whole file ('Allowed hash "
            "algorithms for --hash are sha256, sha384, sha512')"
        )
    else:
        want = LENGTHS[h.algo]
    if not h.digest:
        what = f"the {h.algo} digest is empty" if lock else f"`--hash={h.value}` has an empty digest"
        return f"{what}; pip can never match it (HashMismatch)"
    if re.fullmatch("[0-9a-fA-F]+", h.digest) is None:
        bad = next(c for c in h.digest if c not in "0123456789abcdefABCDEF")
        return f"the {h.algo} digest contains {bad!r}, which is not hexadecimal; pip can never match it (HashMismatch)"
    if len(h.digest) != want:
        return (
            f"the {h.algo} digest has {len(h.digest)} hex digits instead of {want} (truncated or pasted "
            "wrong); pip can never match it (HashMismatch)"
        )
    return None


def changed(s: Stale) -> str:
    """`rich bumped 14.3.4 -> 15.0.0` (or downgraded, or changed)."""
    words = {direction(old, s.new_version) for old in s.versions}
    word = words.pop() if len(words) == 1 else "changed"
    return f"{s.name} {word} {s.old_version} -> {s.new_version}"


# -- index evidence (RH3xx) ----------------------------------------------------------


def listing(items: list[str], most: int = 3) -> str:
    """`a`, `a and b`, `a, b and c`, `a, b, c and 12 more`."""
    if len(items) > most:
        items = [*items[:most], f"{len(items) - most} more"]
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _minors(pythons: list[tuple[int, int]]) -> str:
    """`3.10-3.14`, `3.10 and 3.12`: runs of consecutive minor versions."""
    runs: list[list[tuple[int, int]]] = []
    for py in sorted(set(pythons)):
        if runs and runs[-1][-1][0] == py[0] and runs[-1][-1][1] + 1 == py[1]:
            runs[-1].append(py)
        else:
            runs.append([py])
    text = (f"{r[0][0]}.{r[0][1]}" + (f"-{r[-1][0]}.{r[-1][1]}" if len(r) > 1 else "") for r in runs)
    return " and ".join(text)


def environments_text(envs: Iterable[Environment], of: int = 0) -> str:
    """`CPython 3.10-3.14 on macOS arm64 and Windows x64`: environments grouped, in order;
    `all 35 target environments` when they are all ``of`` (more than one)."""
    envs = list(envs)
    if of > 1 and len(envs) == of:
        return f"all {of} target environments"
    by_platform: dict[str, list[tuple[int, int]]] = {}
    for env in envs:
        by_platform.setdefault(env.platform, []).append(env.python)
    by_minors: dict[str, list[str]] = {}
    for platform, pythons in by_platform.items():
        by_minors.setdefault(_minors(pythons), []).append(platform)
    return listing([f"CPython {minors} on {listing(platforms, 7)}" for minors, platforms in by_minors.items()])


def pinned(entry: Entry) -> str:
    """`six==1.16.0` as a message names a judged entry."""
    return f"{entry.name}{entry.specifier}"


def quoted(text: str, most: int = 200) -> str:
    """Text from an index, for a message: one line, printable, credentials masked, cut short."""
    text = " ".join("".join(c if c.isprintable() else " " for c in redact(text)).split())
    return text if len(text) <= most else text[: most - 3] + "..."
