"""Frozen data shared by the lexer, the rules and the reporters.

Nothing here does I/O or formats output.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import NamedTuple


class Severity(enum.IntEnum):
    """A finding's severity; the order is the order of ``--fail-on``."""

    NOTE = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        return cls[text.upper()]


class Span(NamedTuple):
    """1-based line and column; ``end_column`` is exclusive; columns count code points."""

    line: int
    column: int
    end_line: int
    end_column: int


class Hash(NamedTuple):
    """One ``--hash`` value, as written, and where its whole ``--hash=algo:hex`` token is."""

    value: str  # the text after ``--hash=`` / ``--hash ``
    span: Span

    @property
    def algo(self) -> str:
        """Before the first ``:`` ("" when there is no colon)."""
        algo, colon, _ = self.value.partition(":")
        return algo if colon else ""

    @property
    def digest(self) -> str:
        """After the first ``:``."""
        return self.value.partition(":")[2]

    @property
    def has_colon(self) -> bool:
        return ":" in self.value


class HashBlock(NamedTuple):
    """An entry's ``--hash=`` tokens, found by one match and kept as strings until asked for.

    ``text[start:]`` holds the tokens in order (each written ``--hash=value``), and
    ``text[start]`` is on line ``line``; ``locate`` works out their spans.
    """

    text: str
    start: int
    line: int
    values: tuple[str, ...]

    def locate(self) -> tuple[Hash, ...]:
        text, pos, line = self.text, self.start, self.line
        out = []
        for value in self.values:
            at = text.index("--hash=", pos)
            line += text.count("\n", pos, at)
            column = at - text.rfind("\n", 0, at)
            out.append(Hash(value, Span(line, column, line, column + 7 + len(value))))
            pos = at + 7 + len(value)
        return tuple(out)


class Option(NamedTuple):
    """An option token on a logical line (``--index-url URL``, ``-r file``...)."""

    name: str  # canonical long name, e.g. "--index-url"; as written when unknown
    value: str | None
    span: Span
    written: str  # the option as written, e.g. "-i" or "--ind"


class EntryKind(enum.Enum):
    NAMED = "named"  # name[extras] specifier ; marker
    URL = "url"  # a direct URL (bare or ``name @ url``)
    VCS = "vcs"  # git+, hg+, svn+, bzr+ URL
    PATH = "path"  # a local archive path
    DIRECTORY = "directory"  # a local directory (or a file: URL that is not an archive)
    EDITABLE = "editable"  # -e / --editable


class Entry:
    """A logical requirement line. Read-only by convention; ``hashes`` is worked out on first use."""

    __slots__ = (
        "_block",
        "_hashes",
        "error",
        "error_span",
        "first_line",
        "hash_values",
        "key",
        "kind",
        "last_line",
        "marker",
        "name",
        "options",
        "span",
        "specifier",
        "text",
        "url",
        "url_hash",
        "version",
    )

    def __init__(
        self,
        kind: EntryKind,
        text: str,  # the requirement as pip sees it (after joining and comment removal)
        span: Span,  # requirement-level anchor
        first_line: int,
        last_line: int,
        name: str | None,  # as written (or derived from a wheel file name / egg fragment)
        key: str | None,  # PEP 503-normalized name
        version: str | None,  # the exact pin (``==V`` without wildcard or ``===V``), else None
        specifier: str,  # the specifier as written by packaging ("" when none)
        marker: str | None,  # normalized marker text
        url: str | None,
        hashes: tuple[Hash, ...] | HashBlock,
        url_hash: tuple[str, str] | None,  # (algo, digest) from a #sha256=... fragment
        options: tuple[Option, ...],  # every option token on the line other than --hash
        error: str | None,  # packaging's (or pip's) explanation when the text does not parse
        error_span: Span | None = None,
    ) -> None:
        self.kind = kind
        self.text = text
        self.span = span
        self.first_line = first_line
        self.last_line = last_line
        self.name = name
        self.key = key
        self.version = version
        self.specifier = specifier
        self.marker = marker
        self.url = url
        self.url_hash = url_hash
        self.options = options
        self.error = error
        self.error_span = error_span
        if isinstance(hashes, HashBlock):
            self._block: HashBlock | None = hashes
            self._hashes: tuple[Hash, ...] | None = None
            self.hash_values: tuple[str, ...] = hashes.values
        else:
            self._block = None
            self._hashes = hashes
            self.hash_values = tuple(h.value for h in hashes)

    @property
    def hashes(self) -> tuple[Hash, ...]:
        """Every ``--hash`` with its span (``hash_values`` has the values alone, cheaply)."""
        if self._hashes is None:
            assert self._block is not None
            self._hashes = self._block.locate()
        return self._hashes

    @property
    def hash_set(self) -> frozenset[str]:
        """The hashes as ``algo:digest`` with the digest lowercased (what pip compares)."""
        out = set()
        for value in self.hash_values:
            algo, colon, digest = value.partition(":")
            out.add(f"{algo}:{digest.lower()}" if colon else ":")
        return frozenset(out)

    def __repr__(self) -> str:
        return f"Entry({self.kind.name}, {self.text!r}, lines {self.first_line}-{self.last_line}, hashes={self.hash_values!r}, error={self.error!r})"


class IssueKind(enum.Enum):
    """Structural facts the lexer notices; rules decide what they mean."""

    DANGLING_HASH = "dangling-hash"
    GLUED_ENTRY = "glued-entry"  # a trailing \ joined the next requirement into this one
    COMMENT_BEFORE_CONTINUATION = "comment-before-continuation"
    BACKSLASH_WHITESPACE = "backslash-whitespace"
    GLUED_TOKENS = "glued-tokens"  # `foo==1.0\` + `--hash` -> `foo==1.0--hash`
    MARKER_AFTER_OPTIONS = "marker-after-options"
    STRAY_TEXT = "stray-text"  # a positional token among the options
    STRAY_TOKEN = "stray-token"  # punctuation among the options that cannot be a requirement: pip ignores it
    OPTION_ERROR = "option-error"  # unknown option, missing value, unsplittable quotes
    IGNORED_OPTION = "ignored-option"  # dropped by pip on this line
    DROPPED_REQUIREMENTS = "dropped-requirements"  # an ignored -r or -e: what it names is never installed
    REMOVED_OPTION = "removed-option"  # --install-option, --global-option, --build-option
    LINE_BREAK_CHAR = "line-break-char"  # a character pip splits lines on but editors do not


@dataclass(frozen=True, slots=True)
class Related:
    """A place a finding's cause has consequences at, and what happens there."""

    span: Span
    message: str


@dataclass(frozen=True, slots=True)
class Issue:
    kind: IssueKind
    span: Span
    detail: str  # a human explanation of the fact, used in messages
    related: tuple[Related, ...] = ()  # what this cause makes pip do elsewhere (folded in, not reported)


@dataclass(frozen=True, slots=True)
class Include:
    kind: str  # "-r" or "-c"
    target: str
    span: Span  # the option token and its value


@dataclass(frozen=True, slots=True)
class ReqFile:
    """One lexed requirements file."""

    path: str
    entries: tuple[Entry, ...]
    options: tuple[Option, ...]  # options on option-only lines
    includes: tuple[Include, ...]
    issues: tuple[Issue, ...]
    # physical line -> codes/names suppressed on it; an empty frozenset suppresses all
    suppressions: dict[int, frozenset[str]] = field(default_factory=dict)
    line_count: int = 0
    line_lengths: tuple[int, ...] = ()  # code points per physical line (no line break)

    @property
    def require_hashes_option(self) -> bool:
        return any(o.name == "--require-hashes" for o in self.options)

    @property
    def has_hash_option(self) -> bool:
        return any(e.hash_values for e in self.entries)


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    name: str
    severity: Severity
    path: str  # display path (relative to the working directory, as given)
    span: Span
    message: str
    project: str | None = None
    version: str | None = None
    suppressed: bool = False
    rel_path: str | None = None  # POSIX path relative to the repository root (for SARIF)
    related: tuple[Related, ...] = ()  # consequences of the same cause (SARIF relatedLocations)

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.path, self.span.line, self.span.column, self.code, self.message)
