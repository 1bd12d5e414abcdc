"""Frozen data shared by the lexer, the rules and the reporters.

Nothing here does I/O or formats output.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from types import MappingProxyType
from typing import NamedTuple

_NONE: Mapping[int, frozenset[str]] = MappingProxyType({})


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
        return self.value.partition(":")[2]

    @property
    def has_colon(self) -> bool:
        return ":" in self.value

    @property
    def normalized(self) -> str:
        """``algo:digest`` with the digest lowercased: what pip compares."""
        return normalized_hash(self.value)


def normalized_hash(value: str) -> str:
    """A ``--hash`` value as pip compares it: ``algo:digest``, the digest lowercased."""
    algo, colon, digest = value.partition(":")
    return f"{algo}:{digest.lower()}" if colon else ":"


class HashBlock:
    """An entry's ``--hash=`` tokens, found by one match and kept as strings until asked for.

    ``text[start:]`` holds the tokens in order (each written ``--hash=value``), and
    ``text[start]`` is on line ``line``; ``hashes()`` works out their spans, once.
    """

    __slots__ = ("_found", "line", "start", "text", "values")

    def __init__(self, text: str, start: int, line: int, values: tuple[str, ...]) -> None:
        self.text, self.start, self.line, self.values = text, start, line, values
        self._found: tuple[Hash, ...] | None = None

    def hashes(self) -> tuple[Hash, ...]:
        if self._found is None:
            text, pos, line = self.text, self.start, self.line
            out = []
            for value in self.values:
                at = text.index("--hash=", pos)
                line += text.count("\n", pos, at)
                column = at - text.rfind("\n", 0, at)
                out.append(Hash(value, Span(line, column, line, column + 7 + len(value))))
                pos = at + 7 + len(value)
            self._found = tuple(out)
        return self._found


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


class ParseError(enum.Enum):
    """What in a requirement's text pip refuses (``Entry.error`` has the parser's explanation)."""

    REQUIREMENT = "requirement"  # packaging refuses it
    MARKER = "marker"  # packaging refuses its marker
    EGG_FRAGMENT = "egg-fragment"  # a URL's #egg= is not a project name alone (error: its value)


class Artifact(NamedTuple):
    """A wheel or an sdist of a pylock.toml package (``Locked.artifacts``)."""

    filename: str  # "" when none can be found
    sdist: bool
    hashes: range  # where its hashes are among the entry's (``hash_values``)
    url: str | None  # as written (``path`` when there is no ``url``)


class Locked(NamedTuple):
    """What a pylock.toml says of a package beyond its entry (``Entry.locked``)."""

    artifacts: tuple[Artifact, ...]  # its sdist, then its wheels (an ``archive`` is the entry's URL)
    index_url: str | None  # the package's ``index``
    requires_python: str | None  # the package's ``requires-python``
    # each of its ``dependencies`` tables as (normalized name, version or None); None: not given
    dependencies: tuple[tuple[str, str | None], ...] | None
    source: Span | None = None  # where its `vcs`, `directory` or `archive` table is


class LockHead(NamedTuple):
    """A pylock.toml's top-level facts about where it installs (``ReqFile.head``)."""

    environments: tuple[str, ...] = ()  # marker expressions; empty: not declared
    requires_python: str | None = None
    default_groups: tuple[str, ...] = ()


class Entry(NamedTuple):
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
    found: tuple[Hash, ...] | HashBlock  # the hashes, or where one match found them
    url_hash: tuple[str, str] | None  # (algo, digest) from a #sha256=... fragment
    options: tuple[Option, ...]  # every option token on the line other than --hash
    error: str | None  # the parser's explanation when the text does not parse
    error_span: Span | None = None
    error_kind: ParseError | None = None
    extras: frozenset[str] = frozenset()  # `name[a,b]`'s extras, normalized as markers compare them
    locked: Locked | None = None  # a pylock.toml package: its artifacts, index and dependencies

    @property
    def hashes(self) -> tuple[Hash, ...]:
        """Every ``--hash`` with its span (``hash_values`` has the values alone, cheaply)."""
        return self.found if isinstance(self.found, tuple) else self.found.hashes()

    @property
    def hash_values(self) -> tuple[str, ...]:
        return self.found.values if isinstance(self.found, HashBlock) else tuple(h.value for h in self.found)

    @property
    def hash_set(self) -> frozenset[str]:
        """The hashes as ``algo:digest`` with the digest lowercased (what pip compares)."""
        values = self.hash_values
        joined = " ".join(values)
        if joined == joined.lower() and all(":" in v for v in values):  # the usual: already so
            return frozenset(values)
        return frozenset(map(normalized_hash, values))


class IssueKind(enum.Enum):
    """Structural facts the lexer notices; the rules decide what they mean and word them."""

    DANGLING_HASH = "dangling-hash"  # a --hash on a line with no requirement
    GLUED_ENTRY = "glued-entry"  # a trailing \ joined the next line's requirement (text) into this entry
    COMMENT_BEFORE_CONTINUATION = "comment-before-continuation"  # lines: what the comment swallows
    BACKSLASH_WHITESPACE = "backslash-whitespace"  # a \ then blanks: not a continuation
    GLUED_TOKENS = "glued-tokens"  # `foo==1.0\` + `--hash`: text and value glued into one token
    MARKER_AFTER_OPTIONS = "marker-after-options"
    STRAY_TEXT = "stray-text"  # a positional token (text) among the options
    STRAY_TOKEN = "stray-token"  # punctuation (text) among the options: pip ignores it
    OPTION_ERROR = "option-error"  # the options do not parse (reason; text: the option)
    IGNORED_OPTION = "ignored-option"  # dropped by pip where it is (reason; text: the option as written)
    DROPPED_REQUIREMENTS = "dropped-requirements"  # an ignored -r or -e (reason, text, value)
    REMOVED_OPTION = "removed-option"  # --install-option, --global-option, --build-option (text)
    LINE_BREAK_CHAR = "line-break-char"  # a character (text) pip splits lines at but editors do not
    # pylock.toml only (text: the context path, e.g. packages[3].wheels[0])
    LOCK_ERROR = "lock-error"  # TOML or PEP 751 refuses it (value: the parser's message)
    EMPTY_HASHES = "empty-hashes"  # an artifact's `hashes` table is empty (value: its file name)
    FILENAME_MISMATCH = "filename-mismatch"  # value: the file name; choices: ("name"|"version", what it names)
    SINGLE_ENVIRONMENT = "single-environment"  # no `environments`, wheels for one platform (text), value: a wheel


class Reason(enum.Enum):
    """Why pip refuses an option, or drops it where it is written."""

    UNKNOWN = "unknown"  # no such option
    AMBIGUOUS = "ambiguous"  # a prefix of several options (choices)
    NEEDS_VALUE = "needs-value"
    TAKES_NO_VALUE = "takes-no-value"
    UNSPLITTABLE = "unsplittable"  # shell-style splitting fails (text: shlex's complaint)
    ON_REQUIREMENT = "on-requirement"  # an option of its own line on a requirement line
    ON_EDITABLE = "on-editable"  # ... on an editable's line
    WITHOUT_REQUIREMENT = "without-requirement"  # a requirement's option on an option-only line
    SECOND_INCLUDE = "second-include"  # pip follows the first -r (else -c) of a line only
    SECOND_EDITABLE = "second-editable"  # pip reads the first -e of a line only
    AFTER_REQUIREMENT = "after-requirement"  # a -e on a line that has a requirement


class Consequence(enum.Enum):
    """What a cause makes pip do at another place."""

    UNPARSED_REQUIREMENT = "unparsed-requirement"  # the requirement there does not parse
    UNPARSED_OPTIONS = "unparsed-options"  # the options there do not parse
    DROPPED_HASH = "dropped-hash"  # the --hash there is read on a line with no requirement
    GLUED_HASH = "glued-hash"  # the --hash there is read as one value with the next token
    LOST_HASHES = "lost-hashes"  # the requirement there is left with no --hash


class Effect(NamedTuple):
    kind: Consequence
    span: Span


class Issue(NamedTuple):
    kind: IssueKind
    span: Span
    text: str = ""  # the offending text as written (an option, a stray token, a character...)
    value: str = ""  # a second text: the token glued on the right, the value of a dropped include
    reason: Reason | None = None
    choices: tuple[str, ...] = ()  # the options an ambiguous prefix names
    lines: tuple[int, ...] = ()  # the lines a dropped requirement or a swallowing comment is on
    effects: tuple[Effect, ...] = ()  # what this cause makes pip do elsewhere (folded in, not reported)


class Related(NamedTuple):
    """A place a finding's cause has consequences at, and what happens there."""

    span: Span
    message: str


class Include(NamedTuple):
    kind: str  # "-r" or "-c"
    target: str
    span: Span  # the option token and its value


class ReqFile(NamedTuple):
    """One lexed requirements file."""

    path: str
    entries: tuple[Entry, ...]
    options: tuple[Option, ...]  # options on option-only lines
    includes: tuple[Include, ...]
    issues: tuple[Issue, ...]
    # physical line -> codes/names suppressed on it; an empty frozenset suppresses all
    suppressions: Mapping[int, frozenset[str]] = _NONE  # never mutated
    text: str = ""  # the text as lexed, CRLF read as LF (fixes quote it: ``Context.line``)
    lock: bool = False  # a pylock.toml (PEP 751): entries are its packages
    head: LockHead | None = None  # a pylock.toml's `environments`, `requires-python`, `default-groups`

    @property
    def require_hashes_option(self) -> bool:
        return any(o.name == "--require-hashes" for o in self.options)

    @property
    def consequences(self) -> frozenset[Span]:
        """Where an issue's cause has effects: reported with the cause, not on their own."""
        return frozenset(e.span for issue in self.issues for e in issue.effects)

    @property
    def has_hash_option(self) -> bool:
        return any(e.hash_values for e in self.entries)


class Edit(NamedTuple):
    """Replace the text at ``span`` (1-based lines and columns, end exclusive, as in :class:`Span`;
    ``Span(n, 1, n + 1, 1)`` is line ``n`` with its line break) by ``text`` (``\n`` for a line break:
    written as the file's own)."""

    span: Span
    text: str


class Fix(NamedTuple):
    """What a finding's fix does (imperative, e.g. "lowercase the hex digest") and its edits, applied whole."""

    description: str
    edits: tuple[Edit, ...]


class Finding(NamedTuple):
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
    fix: Fix | None = None  # the edits that repair it (``--fix``, ``--diff``), when mechanical

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.path, self.span.line, self.span.column, self.code, self.message)
