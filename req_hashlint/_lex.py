"""A physical-line lexer for pip requirements files, with pip 26 semantics.

It takes text, never a path, so working-tree, stdin and git-blob content share one code
path. Every token keeps its 1-based line and column; lines end at LF or CRLF only, as git
and editors count them.

The reading follows pip's ``req_file.py``: ``splitlines`` segments, continuation joining
(``\\`` at the end; a comment line ends a continuation), comment stripping
(``(^|\\s)#``), splitting the requirement from its options at the first space-separated
token that starts with ``-``, shell-style splitting of the options, and optparse's option
rules (unique prefixes, ``--opt=value`` and ``--opt value``, ``-rfile``).
"""

from __future__ import annotations

import re
from bisect import bisect_right

from ._model import (
    Consequence,
    Effect,
    Entry,
    Hash,
    HashBlock,
    Include,
    Issue,
    IssueKind,
    Option,
    Reason,
    ReqFile,
    Span,
)
from ._redact import excerpt, secret_spans
from ._reqparse import parse_entry
from ._source import ReadError

# pip: COMMENT_RE = re.compile(r"(^|\s+)#.*$"). The same matches, but a whitespace run is
# only tried from its start: otherwise a long run of spaces costs quadratic time.
_COMMENT_RE = re.compile(r"(^|(?<!\s)\s+)#")
_COMMENT_LINE_RE = re.compile(r"\s*#")
# Characters str.splitlines() breaks on, besides LF (already split) and CRLF.
# (compiled on first use, by re's own cache: a class beyond Latin-1 costs a quarter of a
# millisecond to compile, and files of plain ASCII never need it)
_PIP_BREAK = "[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]"
# only in a comment as pip sees one: `#` at the start or after whitespace (not in a URL fragment)
_SUPPRESS_RE = re.compile(r"(?:^|\s)#\s*req-hashlint:\s*ignore\b(?:\[([^\]]*)\])?", re.IGNORECASE)
_SIMPLE_OPTS_RE = re.compile(r"[^ \t\r\n]+")

# the long options of a requirements file (pip's req_file.SUPPORTED_OPTIONS and
# SUPPORTED_OPTIONS_REQ), and those of them that are flags (all others take a value)
_FLAGS = ("--no-index", "--prefer-binary", "--require-hashes", "--no-require-hashes", "--pre")
_VALUED = (
    "--index-url", "--extra-index-url", "--constraint", "--requirement", "--editable", "--find-links",
    "--no-binary", "--only-binary", "--all-releases", "--only-final", "--trusted-host", "--use-feature",
    "--hash", "--config-settings",
)  # fmt: skip
_TAKES_VALUE = {**dict.fromkeys(_FLAGS, False), **dict.fromkeys(_VALUED, True)}
# every long spelling optparse knows, for prefix matching
_LONG_WORDS: dict[str, str] = {name: name for name in _TAKES_VALUE}
_LONG_WORDS["--pypi-url"] = "--index-url"
_SHORT: dict[str, str] = {
    "-i": "--index-url",
    "-c": "--constraint",
    "-r": "--requirement",
    "-e": "--editable",
    "-f": "--find-links",
    "-C": "--config-settings",
}
# options pip has removed from requirements files (pip 26 rejects them as unknown)
REMOVED_OPTIONS = ("--install-option", "--global-option", "--build-option")
# options that apply to a requirement line; everything else there is dropped by pip
_REQ_LINE_OPTIONS = frozenset({"--hash", "--config-settings"})
_EDITABLE_LINE_OPTIONS = frozenset({"--config-settings"})
# options pip applies to the whole install wherever they are written, a requirement line
# included: their optparse callbacks (or, for --use-feature, a default list every parser
# shares) change the finder's settings while the line is parsed (pip 23.3.2 to 26.3; pip
# 23.3.2 does not know --all-releases and --only-final)
GLOBAL_FROM_ANY_LINE = frozenset({"--no-binary", "--only-binary", "--all-releases", "--only-final", "--use-feature"})


class _Line:
    """A logical line: joined text and the map from its offsets to file positions."""

    __slots__ = ("_length", "_pieces", "_text", "first_line", "last_line", "origins", "starts")

    def __init__(self) -> None:
        self._pieces: list[str] = []  # joined once, when read: `+=` would copy quadratically
        self._text: str | None = ""
        self._length = 0
        self.starts: list[int] = []  # offset in text where each piece starts
        self.origins: list[tuple[int, int]] = []  # (line, 0-based column) of each piece
        self.first_line = 0
        self.last_line = 0

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = "".join(self._pieces)
            self._pieces = [self._text]
        return self._text

    def add(self, piece: str, line: int, col0: int) -> None:
        if not self.starts:
            self.first_line = line
        self.starts.append(self._length)
        self.origins.append((line, col0))
        self._pieces.append(piece)
        self._length += len(piece)
        self._text = None
        self.last_line = line

    def pos(self, offset: int) -> tuple[int, int]:
        """(line, 1-based column) of the character at ``offset``."""
        i = max(bisect_right(self.starts, offset) - 1, 0)
        line, col0 = self.origins[i]
        return line, col0 + (offset - self.starts[i]) + 1

    def span(self, start: int, end: int) -> Span:
        line, col = self.pos(start)
        if end <= start:
            return Span(line, col, line, col + 1)
        end_line, end_col = self.pos(end - 1)
        return Span(line, col, end_line, end_col + 1)


def _segments(lines: list[str]) -> tuple[list[tuple[str, int, int]], list[Issue]]:
    """Physical lines (LF/CRLF), further cut where pip's splitlines cuts them."""
    segs: list[tuple[str, int, int]] = []
    issues: list[Issue] = []
    for lineno, line in enumerate(lines, start=1):
        start = 0
        for m in re.finditer(_PIP_BREAK, line):
            before, after = line[start : m.start()], line[m.end() :]
            # Harmless only when pip's extra line is blank or a comment; text after the break
            # inside a comment line becomes a line of its own (a requirement, to pip).
            if before.strip() and after.strip() and not _COMMENT_LINE_RE.match(after):
                span = Span(lineno, m.start() + 1, lineno, m.end() + 1)
                issues.append(Issue(IssueKind.LINE_BREAK_CHAR, span, m.group()))
            segs.append((before, lineno, start))
            start = m.end()
        segs.append((line[start:], lineno, start))
    return segs, issues


def _split_options(text: str) -> list[tuple[str, int, int]] | str:
    """shlex.split (POSIX mode), as pip does, with the raw [start, end) of every token; or
    shlex's complaint. ``text`` has no blank at either end."""
    if not any(c in text for c in "'\"\\"):
        return [(m.group(), m.start(), m.end()) for m in _SIMPLE_OPTS_RE.finditer(text)]
    import io
    import shlex  # only for the rare options with quotes or backslashes

    stream = io.StringIO(text)
    lexer = shlex.shlex(stream, posix=True)
    lexer.whitespace_split = True
    lexer.commenters = ""
    tokens: list[tuple[str, int, int]] = []
    start = 0
    try:
        while (token := lexer.get_token()) is not None:
            while text[start] in lexer.whitespace:
                start += 1
            end = stream.tell()  # past the blank that ended the token, unless it is the last one
            tokens.append((token, start, end if end == len(text) else end - 1))
            start = end
    except ValueError as exc:
        return str(exc)
    return tokens


def _match_long(word: str) -> str | list[str]:
    """optparse's unique-prefix match: the canonical name, or the candidates (0 or 2+)."""
    if word in _LONG_WORDS:
        return _LONG_WORDS[word]
    hits = sorted({w for w in _LONG_WORDS if w.startswith(word)})
    if len(hits) == 1:
        return _LONG_WORDS[hits[0]]
    return hits


class _LineResult:
    __slots__ = ("hashes", "options", "positionals")

    def __init__(self) -> None:
        self.options: list[Option] = []
        self.hashes: list[Hash] = []
        self.positionals: list[tuple[str, int, int]] = []


class _OptionError(Exception):
    """optparse refuses the options: (reason, the option as written, its choices, start, end)."""


def _parse_options(tokens: list[tuple[str, int, int]], base: int, line: _Line) -> _LineResult:
    """Emulate pip's optparse over the option tokens (offsets relative to ``base``), raising
    :class:`_OptionError` where it fails."""
    res = _LineResult()
    i, n = 0, len(tokens)
    while i < n:
        tok, s, e = tokens[i]
        i += 1
        if tok == "--":
            res.positionals.extend((t, base + ts, base + te) for t, ts, te in tokens[i:])
            break
        if tok == "-" or not tok.startswith("-"):
            res.positionals.append((tok, base + s, base + e))
            continue
        if tok.startswith("--"):
            word, eq, rest = tok.partition("=")
            inline = rest if eq else None
            match = word if word in REMOVED_OPTIONS else _match_long(word)
            if isinstance(match, list):
                reason = Reason.AMBIGUOUS if match else Reason.UNKNOWN
                raise _OptionError(reason, word, tuple(match), base + s, base + e)
            name = match
            takes_value = name in REMOVED_OPTIONS or _TAKES_VALUE[name]
            if inline is not None and not takes_value:
                raise _OptionError(Reason.TAKES_NO_VALUE, word, (), base + s, base + e)
        else:
            word, inline, takes_value = tok[:2], tok[2:] or None, True
            if word not in _SHORT:
                raise _OptionError(Reason.UNKNOWN, word, (), base + s, base + e)
            name = _SHORT[word]
        value = inline
        if takes_value and inline is None:
            if i < n:
                value, e = tokens[i][0], tokens[i][2]
                i += 1
            elif name not in REMOVED_OPTIONS:  # (a removed option is reported whatever follows)
                raise _OptionError(Reason.NEEDS_VALUE, word, (), base + s, base + e)
        span = line.span(base + s, base + e)
        if name == "--hash":
            assert value is not None
            res.hashes.append(Hash(value, span))
        res.options.append(Option(name, value, span, word))
    return res


def _join(segs: list[tuple[str, int, int]], issues: list[Issue]) -> list[tuple[_Line, list[tuple[int, int]], int]]:
    """pip's join_lines. Returns (line, continuation backslash (line, col0)s, comment-line piece index).

    A blank or comment line on its own yields nothing: a file of millions of them costs no memory.
    """
    out: list[tuple[_Line, list[tuple[int, int]], int]] = []
    cur: _Line | None = None
    conts: list[tuple[int, int]] = []
    for text, lineno, col0 in segs:
        is_comment = _COMMENT_LINE_RE.match(text) is not None
        if not text.endswith("\\") or is_comment:
            if not is_comment:
                stripped = text.rstrip()
                if stripped.endswith("\\") and _COMMENT_RE.search(stripped) is None:
                    bs = len(stripped) - len(stripped.rstrip("\\"))
                    span = Span(lineno, col0 + len(stripped) - bs + 1, lineno, col0 + len(stripped) + 1)
                    issues.append(Issue(IssueKind.BACKSLASH_WHITESPACE, span))
            if cur is None:
                if is_comment or not text.strip():
                    continue
                cur = _Line()
            comment_piece = len(cur.starts) if is_comment else -1
            if is_comment:
                cur.add(" ", lineno, col0)
            cur.add(text, lineno, col0)
            out.append((cur, conts, comment_piece))
            cur, conts = None, []
        else:
            if cur is None:
                cur = _Line()
            body = text.rstrip("\\")
            lead = len(body) - len(body.lstrip("\\"))
            conts.append((lineno, col0 + len(body)))
            cur.add(body.lstrip("\\"), lineno, col0 + lead)
    if cur is not None:
        out.append((cur, conts, -1))
    return out


def _suppressions(lines: list[str]) -> dict[int, frozenset[str]]:
    found: dict[int, frozenset[str]] = {}
    for lineno, text in enumerate(lines, start=1):
        m = _SUPPRESS_RE.search(text) if "req-hashlint" in text.lower() else None
        if m is not None:
            found[lineno] = frozenset(c.strip().upper() for c in (m.group(1) or "").split(",") if c.strip())
    return found


def _merge_suppressions(raw: dict[int, frozenset[str]], first: int, last: int, out: dict[int, frozenset[str]]) -> None:
    """A suppression on any physical line of a logical line covers all of its lines."""
    lines = range(first, last + 1)
    merged: frozenset[str] | None = None
    for ln in lines:
        if ln in raw:
            s = raw[ln]
            merged = s if merged is None else (frozenset() if not s or not merged else merged | s)
    if merged is not None:
        for ln in lines:
            out[ln] = merged


def lex(text: str, path: str, *, base: bool = False) -> ReqFile:
    """Lex ``text`` (already decoded, BOM removed) as the requirements file ``path``; ``base``:
    a version at the git base, whose entries alone are compared (a pylock.toml is not validated).

    Raises :class:`ReadError` for the one text no parser takes: a marker nested thousands
    deep overflows packaging's recursive parser (pip's too).
    """
    if path.endswith(".toml") and "pylock." in path:  # PEP 751: _pylock
        from ._pylock import is_pylock, parse

        if is_pylock(path):
            return parse(text, path, base=base)
    norm = text.replace("\r\n", "\n") if "\r" in text else text
    lines = norm.split("\n")
    if len(lines) > 1 and lines[-1] == "":
        lines.pop()
    if lines[-1].endswith("\r"):  # a CRLF with no LF yet: the file ends there
        lines[-1] = lines[-1][:-1]
    raw_supp = _suppressions(lines) if _may_suppress(norm) else {}
    out = _Out()
    try:
        if _has_pip_breaks(norm):  # lines that pip splits further: pip's reading, all of it
            segs, out.break_issues = _segments(lines)
            _read(segs, out)
        else:
            _read_lines(norm, lines, out)
    except RecursionError:
        raise ReadError("it is nested too deeply to parse (pip's parser fails on it too)") from None
    suppressions = dict(raw_supp)
    if raw_supp:
        for first, last in out.spans:
            _merge_suppressions(raw_supp, first, last, suppressions)
    return ReqFile(
        path=path,
        entries=tuple(out.entries),
        options=tuple(out.options),
        includes=tuple(out.includes),
        issues=_fold_consequences([*out.break_issues, *out.join_issues, *out.issues], out.entries),
        suppressions=suppressions,
        text=norm,
    )


class _Out:
    """What the reading of one file collects."""

    __slots__ = ("break_issues", "entries", "includes", "issues", "join_issues", "markers", "options", "spans")

    def __init__(self) -> None:
        self.entries: list[Entry] = []
        self.options: list[Option] = []
        self.includes: list[Include] = []
        self.break_issues: list[Issue] = []
        self.join_issues: list[Issue] = []
        self.issues: list[Issue] = []
        self.spans: list[tuple[int, int]] = []  # (first, last) line of each logical line
        self.markers: dict[str, str | tuple[str]] = {}  # parse_entry's cache


# The usual entry of a lock, matched whole: `name==version[ ; marker]`, its `--hash=` tokens
# on the same line or on continuation lines (` \` then a line break), the end of its last
# line, and the blank and comment lines after it. Nothing in it can be a token boundary pip
# draws differently: no tab, quote, `\` or `#` outside the places named, no ` -` but before
# `--hash=`. Any other logical line is read by ``_read``, pip's reading step by step.
_ENTRY = (
    r"[ ]*(?P<req>[A-Za-z0-9][A-Za-z0-9._\-\[\],<>=!~*+]*(?:[ ]*;[A-Za-z0-9_.'\"<>=!~(), ]*)?)"
    r"(?P<hashes>(?:(?:[ ]+\\\n[ ]*|[ ]+)--hash=[A-Za-z0-9:]+)*)"
    r"[ ]*(?:[ ]\#(?:[^\n]*[^\n\\])?)?(?:\n|\Z)"
    r"(?:[ ]*(?:\#[^\n]*)?\n)*"
)
_HASH_VALUE = r"--hash=([A-Za-z0-9:]+)"


def _read_lines(text: str, lines: list[str], out: _Out) -> None:
    """Read ``text`` (split into ``lines``, no character pip breaks lines at but LF)."""
    entry = re.compile(_ENTRY).match
    hash_values = re.compile(_HASH_VALUE).findall
    i, pos, n = 0, 0, len(lines)
    while i < n:
        m = entry(text, pos)
        if m is not None:
            req = m.group("req").rstrip(" ")
            start, hashes_start, hashes_end, end = m.start("req"), m.start("hashes"), m.end("hashes"), m.end()
            first = i + 1
            last = first + text.count("\n", start, hashes_end)
            column = start - pos + 1
            values = tuple(hash_values(text, hashes_start, hashes_end))
            out.entries.append(
                parse_entry(
                    req,
                    editable=False,
                    span=Span(first, column, first, column + len(req)),
                    first_line=first,
                    last_line=last,
                    hashes=HashBlock(text, hashes_start, first, values) if values else (),
                    options=(),
                    markers=out.markers,
                )
            )
            if last > first:
                out.spans.append((first, last))
            i += text.count("\n", pos, end) if end < len(text) else n
            pos = end
            continue
        j = i + 1  # one logical line: up to a physical line that does not continue
        while j < n and lines[j - 1].endswith("\\") and _COMMENT_LINE_RE.match(lines[j - 1]) is None:
            j += 1
        _read([(lines[k], k + 1, 0) for k in range(i, j)], out)
        pos += sum(len(lines[k]) + 1 for k in range(i, j))
        i = j


def _read(segs: list[tuple[str, int, int]], out: _Out) -> None:
    """pip's reading of these physical lines, step by step."""
    for line, conts, comment_piece in _join(segs, out.join_issues):
        if line.last_line > line.first_line:
            out.spans.append((line.first_line, line.last_line))
        _lex_line(line, conts, comment_piece, out)


def _has_pip_breaks(text: str) -> bool:
    """Any character pip's ``splitlines`` starts a line at, besides LF (cheaply for ASCII)."""
    if text.isascii():
        return any(c in text for c in "\r\x0b\x0c\x1c\x1d\x1e")
    return re.search(_PIP_BREAK, text) is not None


def _may_suppress(text: str) -> bool:
    """Whether a line may hold a suppression comment: `req-hashlint`, in any case."""
    if not text.isascii():  # (str.lower() could turn other letters into these)
        return re.search("req-hashlint", text, re.IGNORECASE) is not None
    return "req-hashlint" in text.lower()


def _fold_consequences(issues: list[Issue], entries: list[Entry]) -> tuple[Issue, ...]:
    """One cause, one issue (issue 18.5): what a broken continuation makes pip do elsewhere
    becomes the cause's ``effects``, and the issues that only say so are dropped.

    - a `\\` then blanks: pip reads the `\\` into its own line, which does not parse, then the
      next line on its own, whose hashes belong to no requirement;
    - a `\\` with no space before it: pip glues the tokens on either side, so the requirement
      does not parse, or two hashes become one value no file matches;
    - a comment before a `\\`: the hash lines it swallows leave the requirement with none.
    """
    causes = (IssueKind.BACKSLASH_WHITESPACE, IssueKind.GLUED_TOKENS, IssueKind.COMMENT_BEFORE_CONTINUATION)
    if not any(i.kind in causes for i in issues):
        return tuple(issues)
    covering: dict[int, Entry] = {}  # line -> the entry it is part of (in linear time: one line, one entry)
    for entry in entries:
        covering.update(dict.fromkeys(range(entry.first_line, entry.last_line + 1), entry))
    unparsed: dict[int, list[int]] = {}  # line -> the option errors on it
    dangling: dict[int, list[int]] = {}  # line -> the dangling hashes on it
    for j, i in enumerate(issues):
        if i.kind is IssueKind.OPTION_ERROR:
            for ln in range(i.span.line, i.span.end_line + 1):
                unparsed.setdefault(ln, []).append(j)
        elif i.kind is IssueKind.DANGLING_HASH:
            dangling.setdefault(i.span.line, []).append(j)
    out = list(issues)
    folded: set[int] = set()
    for k, cause in enumerate(issues):
        at = cause.span.line
        e = covering.get(at)
        effects: list[Effect] = []
        if cause.kind in (IssueKind.BACKSLASH_WHITESPACE, IssueKind.GLUED_TOKENS):
            glued = cause.kind is IssueKind.GLUED_TOKENS
            if e is not None and e.error is not None and at <= e.last_line - glued:
                effects.append(Effect(Consequence.UNPARSED_REQUIREMENT, e.error_span or e.span))
            if e is not None and glued:
                effects += [
                    Effect(Consequence.GLUED_HASH, h.span) for h in e.hashes if h.span.line <= at < h.span.end_line
                ]
            for j in unparsed.get(at, ()):
                if j not in folded:
                    effects.append(Effect(Consequence.UNPARSED_OPTIONS, issues[j].span))
                    folded.add(j)
            nxt = at + 1 if at + 1 in dangling or not effects else at + 2  # the hash lines read on their own
            while not glued and nxt in dangling:
                effects += [Effect(Consequence.DROPPED_HASH, issues[j].span) for j in dangling[nxt]]
                folded.update(dangling[nxt])
                nxt += 1
        elif cause.kind is IssueKind.COMMENT_BEFORE_CONTINUATION and e and e.error is None and not e.hash_values:
            effects.append(Effect(Consequence.LOST_HASHES, e.span))
        if effects:
            out[k] = cause._replace(effects=tuple(effects))
    return tuple(i for j, i in enumerate(out) if j not in folded)


def _lex_line(line: _Line, conts: list[tuple[int, int]], comment_piece: int, out: _Out) -> None:
    issues = out.issues
    text = line.text
    m = _COMMENT_RE.search(text)
    if m is not None and conts:
        _check_swallowed(line, m.end() - 1, comment_piece, issues)  # (m.end() - 1: the `#`)
    body = text if m is None else text[: m.start()]
    stripped = body.strip()
    if not stripped:
        return
    lo = len(body) - len(body.lstrip())
    if conts:
        _check_glued_tokens(line, conts, issues)

    # pip's break_args_options: split on single spaces; args end at the first "-" token.
    tokens = stripped.split(" ")
    k = next((i for i, tok in enumerate(tokens) if tok.startswith("-")), len(tokens))
    args, opt_text = " ".join(tokens[:k]), " ".join(tokens[k:])
    opt_base = lo + (len(args) + 1 if k else 0)

    split = _split_options(opt_text) if opt_text else []
    if isinstance(split, str):
        span = line.span(opt_base, opt_base + len(opt_text))
        issues.append(Issue(IssueKind.OPTION_ERROR, span, split, reason=Reason.UNSPLITTABLE))
        return
    try:
        res = _parse_options(split, opt_base, line)
    except _OptionError as exc:
        reason, word, choices, s, e = exc.args
        issues.append(Issue(IssueKind.OPTION_ERROR, line.span(s, e), word, reason=reason, choices=choices))
        return

    editables = [o for o in res.options if o.name == "--editable"]
    stray = _positional_issue(line, res, conts, bool(args) or bool(editables))
    if stray is not None:
        issues.append(stray)

    if args:
        allowed = _REQ_LINE_OPTIONS
        for o in editables:
            issues.append(Issue(IssueKind.DROPPED_REQUIREMENTS, o.span, o.written, reason=Reason.AFTER_REQUIREMENT))
        req_text = args.rstrip()
    elif editables:
        allowed = _EDITABLE_LINE_OPTIONS
        for o in editables[1:]:
            issues.append(Issue(IssueKind.DROPPED_REQUIREMENTS, o.span, o.written, reason=Reason.SECOND_EDITABLE))
        req_text = editables[0].value or ""
    else:
        _option_only_line(res, out.options, out.includes, issues)
        return

    per_line: list[Option] = []
    for o in res.options:
        if o.name in REMOVED_OPTIONS:
            issues.append(Issue(IssueKind.REMOVED_OPTION, o.span, o.name))
        elif o.name not in allowed and o.name not in GLOBAL_FROM_ANY_LINE and o.name not in ("--editable", "--hash"):
            # (a --hash here is on an editable: reported once, below)
            kind = IssueKind.DROPPED_REQUIREMENTS if o.name == "--requirement" else IssueKind.IGNORED_OPTION
            issues.append(Issue(kind, o.span, o.written, reason=Reason.ON_REQUIREMENT if args else Reason.ON_EDITABLE))
        if o.name != "--hash":
            per_line.append(o)
    span = line.span(lo, lo + len(req_text)) if args else editables[0].span
    out.entries.append(
        parse_entry(
            req_text,
            editable=not args,
            span=span,
            first_line=line.first_line,
            last_line=line.last_line,
            hashes=tuple(res.hashes) if args else (),
            options=tuple(per_line),
            markers=out.markers,
        )
    )
    if not args:
        for h in res.hashes:
            issues.append(Issue(IssueKind.IGNORED_OPTION, h.span, "--hash", reason=Reason.ON_EDITABLE))


def _option_only_line(res: _LineResult, options: list[Option], includes: list[Include], issues: list[Issue]) -> None:
    for h in res.hashes:
        issues.append(Issue(IssueKind.DANGLING_HASH, h.span))
    reqs = [o for o in res.options if o.name == "--requirement"]
    cons = [o for o in res.options if o.name == "--constraint"]
    followed = reqs[0] if reqs else (cons[0] if cons else None)
    for o in res.options:
        if o.name == "--hash":
            continue
        if o.name in REMOVED_OPTIONS:
            issues.append(Issue(IssueKind.REMOVED_OPTION, o.span, o.name))
        elif o is followed:
            includes.append(Include("-r" if o.name == "--requirement" else "-c", o.value or "", o.span))
        elif o.name in ("--requirement", "--constraint"):
            kind = IssueKind.DROPPED_REQUIREMENTS if o.name == "--requirement" else IssueKind.IGNORED_OPTION
            issues.append(Issue(kind, o.span, o.written, o.value or "", reason=Reason.SECOND_INCLUDE))
        elif o.name == "--config-settings":
            issues.append(Issue(IssueKind.IGNORED_OPTION, o.span, o.written, reason=Reason.WITHOUT_REQUIREMENT))
        else:
            options.append(o)


def _positional_issue(line: _Line, res: _LineResult, conts: list[tuple[int, int]], is_req_line: bool) -> Issue | None:
    """What the positional tokens among the options are to pip, if there are any."""
    if not res.positionals:
        return None
    tok, start, _ = res.positionals[0]
    span = line.span(start, res.positionals[-1][2])
    if tok.startswith(";"):
        return Issue(IssueKind.MARKER_AFTER_OPTIONS, span)
    words = [t for t, _, _ in res.positionals]
    if not any(t[:1].isalnum() or t[:1] in "./~\\" for t in words):
        # no token pip could read as a requirement (a name, a URL, a path): `(`, `,`, `)`...
        # pip ignores them, and nothing else goes missing
        return Issue(IssueKind.STRAY_TOKEN, span, " ".join(words))
    # the continuation backslash that ended the physical line before this token's, if any
    glue = max((c for c in conts if c[0] < span.line), default=None) if _starts_its_line(line, start) else None
    if glue is not None and is_req_line:
        gl, gc = glue
        return Issue(IssueKind.GLUED_ENTRY, Span(gl, gc + 1, gl, gc + 2), tok, lines=(span.line,))
    return Issue(IssueKind.STRAY_TEXT, span, " ".join(words))


def _starts_its_line(line: _Line, offset: int) -> bool:
    """Is the character at ``offset`` the first non-blank one of its physical line?"""
    i = bisect_right(line.starts, offset) - 1
    return not line.text[line.starts[max(i, 0)] : offset].strip()


def _check_glued_tokens(line: _Line, conts: list[tuple[int, int]], issues: list[Issue]) -> None:
    """`foo==1.0\\` + `--hash=...` reads as `foo==1.0--hash=...`: no space on either side."""
    text = line.text
    ends: dict[int, int] = {}  # physical line -> column of the first `\` that continues it
    for cont_line, cont_col in conts:
        ends.setdefault(cont_line, cont_col)
    secrets: list[tuple[int, int]] | None = None
    for idx in range(1, len(line.starts)):
        at = line.starts[idx]
        if at == 0 or at >= len(text):
            continue
        prev_line, _ = line.origins[idx - 1]
        cc = ends.get(prev_line)
        if cc is not None and not text[at - 1].isspace() and not text[at].isspace():
            if secrets is None:
                secrets = secret_spans(text)
            left, right = _glued(text, at, secrets)
            issues.append(Issue(IssueKind.GLUED_TOKENS, Span(prev_line, cc + 1, prev_line, cc + 2), left, right))


# How much of a glued token a message shows: a chain of glued lines makes one huge token.
_SHOWN = 80


def _glued(text: str, at: int, secrets: list[tuple[int, int]]) -> tuple[str, str]:
    """The whitespace-separated tokens that end and start at ``at`` (a long one cut short to the
    characters next to ``at``), secrets masked."""
    lo, hi = at, at
    while lo > 0 and at - lo <= _SHOWN and not text[lo - 1].isspace():
        lo -= 1
    while hi < len(text) and hi - at <= _SHOWN and not text[hi].isspace():
        hi += 1
    left = excerpt(text, lo, at, secrets) if at - lo <= _SHOWN else "..." + excerpt(text, at - _SHOWN, at, secrets)
    right = excerpt(text, at, hi, secrets) if hi - at <= _SHOWN else excerpt(text, at, at + _SHOWN, secrets) + "..."
    return left, right


def _check_swallowed(line: _Line, hash_at: int, comment_piece: int, issues: list[Issue]) -> None:
    """A `#` comment on a continued line cuts off everything joined after it."""
    i = bisect_right(line.starts, hash_at) - 1
    last = len(line.starts) if comment_piece < 0 else comment_piece
    ends = [*line.starts[1:], len(line.text)]  # where each piece ends
    lost = {line.origins[j][0] for j in range(i + 1, last) if line.text[line.starts[j] : ends[j]].strip()}
    if lost:
        span = line.span(hash_at, ends[i])
        issues.append(Issue(IssueKind.COMMENT_BEFORE_CONTINUATION, span, lines=tuple(sorted(lost))))
