"""Frozen data shared by the lexer, the rules and the reporters.

Nothing here does I/O or formats output.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


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


@dataclass(frozen=True, slots=True)
class Span:
    """1-based line and column; ``end_column`` is exclusive; columns count code points."""

    line: int
    column: int
    end_line: int
    end_column: int


@dataclass(frozen=True, slots=True)
class Hash:
    """One ``--hash`` value, as written."""

    value: str  # the text after ``--hash=`` / ``--hash ``
    algo: str  # before the first ``:`` ("" when there is no colon)
    digest: str  # after the first ``:``
    has_colon: bool
    span: Span  # the whole ``--hash=algo:hex`` token


@dataclass(frozen=True, slots=True)
class Option:
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


@dataclass(frozen=True, slots=True)
class Entry:
    """A logical requirement line."""

    kind: EntryKind
    text: str  # the requirement as pip sees it (after joining and comment removal)
    span: Span  # requirement-level anchor
    first_line: int
    last_line: int
    name: str | None  # as written (or derived from a wheel file name / egg fragment)
    key: str | None  # PEP 503-normalized name
    version: str | None  # the exact pin (``==V`` without wildcard or ``===V``), else None
    specifier: str  # the specifier as written by packaging ("" when none)
    marker: str | None  # normalized marker text
    url: str | None
    hashes: tuple[Hash, ...]
    url_hash: tuple[str, str] | None  # (algo, digest) from a #sha256=... fragment
    options: tuple[Option, ...]  # every option token on the line other than --hash
    error: str | None  # packaging's (or pip's) explanation when the text does not parse
    error_span: Span | None = None


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
        return any(e.hashes for e in self.entries)


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
