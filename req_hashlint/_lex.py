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
from collections.abc import Callable, Container

from ._model import (
    Entry,
    Hash,
    Include,
    Issue,
    IssueKind,
    Option,
    Related,
    ReqFile,
    Span,
)
from ._redact import excerpt, secret_spans
from ._reqparse import parse_entry, pinned_entry
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

# canonical long option -> takes a value
_TAKES_VALUE: dict[str, bool] = {
    "--index-url": True,
    "--extra-index-url": True,
    "--no-index": False,
    "--constraint": True,
    "--requirement": True,
    "--editable": True,
    "--find-links": True,
    "--no-binary": True,
    "--only-binary": True,
    "--prefer-binary": False,
    "--require-hashes": False,
    "--no-require-hashes": False,
    "--pre": False,
    "--all-releases": True,
    "--only-final": True,
    "--trusted-host": True,
    "--use-feature": True,
    "--hash": True,
    "--config-settings": True,
}
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
        i = bisect_right(self.starts, offset) - 1
        if i < 0:
            i = 0
        line, col0 = self.origins[i]
        return line, col0 + (offset - self.starts[i]) + 1

    def span(self, start: int, end: int) -> Span:
        line, col = self.pos(start)
        if end <= start:
            return Span(line, col, line, col + 1)
        end_line, end_col = self.pos(end - 1)
        return Span(line, col, end_line, end_col + 1)


def _segments(text: str) -> tuple[list[tuple[str, int, int]], list[int], list[Issue]]:
    """Physical lines (LF/CRLF), further cut where pip's splitlines cuts them."""
    segs: list[tuple[str, int, int]] = []
    issues: list[Issue] = []
    raw = text.split("\n")
    if raw and raw[-1] == "" and len(raw) > 1:
        raw.pop()
    lengths: list[int] = []
    for lineno, line in enumerate(raw, start=1):
        if line.endswith("\r"):
            line = line[:-1]
        lengths.append(len(line))
        if re.search(_PIP_BREAK, line) is None:
            segs.append((line, lineno, 0))
            continue
        start = 0
        for m in re.finditer(_PIP_BREAK, line):
            before, after = line[start : m.start()], line[m.end() :]
            # Harmless only when pip's extra line is blank or a comment; text after the break
            # inside a comment line becomes a line of its own (a requirement, to pip).
            if before.strip() and after.strip() and not _COMMENT_LINE_RE.match(after):
                ch = m.group()
                issues.append(
                    Issue(
                        IssueKind.LINE_BREAK_CHAR,
                        Span(lineno, m.start() + 1, lineno, m.end() + 1),
                        f"pip starts a new line at the invisible character U+{ord(ch):04X}, "
                        "so the text after it is read as a separate line",
                    )
                )
            segs.append((before, lineno, start))
            start = m.end()
        segs.append((line[start:], lineno, start))
    return segs, lengths, issues


def _split_options(text: str) -> list[tuple[str, int, int]] | str:
    """shlex.split (POSIX mode) with the raw [start, end) of every token, or an error."""
    if not any(c in text for c in "'\"\\"):
        return [(m.group(), m.start(), m.end()) for m in _SIMPLE_OPTS_RE.finditer(text)]
    tokens: list[tuple[str, int, int]] = []
    i, n = 0, len(text)
    ws = " \t\r\n"
    while i < n:
        while i < n and text[i] in ws:
            i += 1
        if i >= n:
            break
        start = i
        buf: list[str] = []
        while i < n and text[i] not in ws:
            c = text[i]
            if c == "\\":
                if i + 1 < n:
                    buf.append(text[i + 1])
                    i += 2
                else:
                    return "No escaped character"
            elif c == "'":
                j = text.find("'", i + 1)
                if j < 0:
                    return "No closing quotation"
                buf.append(text[i + 1 : j])
                i = j + 1
            elif c == '"':
                i += 1
                while True:
                    if i >= n:
                        return "No closing quotation"
                    c = text[i]
                    if c == '"':
                        i += 1
                        break
                    if c == "\\" and i + 1 < n and text[i + 1] in '\\"$`\n':
                        buf.append(text[i + 1])
                        i += 2
                        continue
                    buf.append(c)
                    i += 1
            else:
                buf.append(c)
                i += 1
        tokens.append(("".join(buf), start, i))
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
    __slots__ = ("error", "hashes", "options", "positionals")

    def __init__(self) -> None:
        self.options: list[Option] = []
        self.hashes: list[Hash] = []
        self.positionals: list[tuple[str, int, int]] = []
        self.error: tuple[str, int, int] | None = None


def _parse_options(tokens: list[tuple[str, int, int]], base: int, line: _Line) -> _LineResult:
    """Emulate pip's optparse over the option tokens. Offsets are relative to ``base``."""
    res = _LineResult()
    i, n = 0, len(tokens)
    while i < n:
        tok, s, e = tokens[i]
        i += 1
        if tok == "--":
            res.positionals.extend((t, base + ts, base + te) for t, ts, te in tokens[i:])
            break
        if tok.startswith("--"):
            word, eq, inline = tok.partition("=")
            if word in REMOVED_OPTIONS:
                value: str | None = inline if eq else None
                if not eq and i < n:
                    value, e = tokens[i][0], tokens[i][2]
                    i += 1
                res.options.append(Option(word, value, line.span(base + s, base + e), word))
                continue
            match = _match_long(word)
            if isinstance(match, list):
                if match:
                    msg = f"ambiguous option: {word} ({', '.join(match)}?)"
                else:
                    msg = f"no such option: {word}"
                res.error = (msg, base + s, base + e)
                return res
            name = match
            if _TAKES_VALUE[name]:
                if eq:
                    value = inline
                elif i < n:
                    value, e = tokens[i][0], tokens[i][2]
                    i += 1
                else:
                    res.error = (f"{word} option requires 1 argument", base + s, base + e)
                    return res
            else:
                if eq:
                    res.error = (f"{word} option does not take a value", base + s, base + e)
                    return res
                value = None
            _add_option(res, name, value, word, line.span(base + s, base + e))
        elif tok.startswith("-") and tok != "-":
            short = tok[:2]
            if short not in _SHORT:
                res.error = (f"no such option: {short}", base + s, base + e)
                return res
            name = _SHORT[short]
            if len(tok) > 2:
                value = tok[2:]
            elif i < n:
                value, e = tokens[i][0], tokens[i][2]
                i += 1
            else:
                res.error = (f"{short} option requires 1 argument", base + s, base + e)
                return res
            _add_option(res, name, value, short, line.span(base + s, base + e))
        else:
            res.positionals.append((tok, base + s, base + e))
    return res


def _add_option(res: _LineResult, name: str, value: str | None, written: str, span: Span) -> None:
    if name == "--hash":
        assert value is not None
        algo, colon, digest = value.partition(":")
        res.hashes.append(Hash(value, algo if colon else "", digest, bool(colon), span))
    res.options.append(Option(name, value, span, written))


def _join(
    segs: list[tuple[str, int, int]], issues: list[Issue], keep: Container[int] = ()
) -> list[tuple[_Line, list[tuple[int, int]], int]]:
    """pip's join_lines. Returns (line, continuation backslash (line, col0)s, comment-line piece index).

    A blank or comment line on its own yields nothing (unless its line is in ``keep``, the
    lines with a suppression comment): a file of millions of them costs no memory.
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
                    issues.append(
                        Issue(
                            IssueKind.BACKSLASH_WHITESPACE,
                            Span(lineno, col0 + len(stripped) - bs + 1, lineno, col0 + len(stripped) + 1),
                            "the `\\` is followed by whitespace, so pip does not continue the line "
                            "and reads the next line on its own",
                        )
                    )
            if cur is not None:
                comment_piece = len(cur.starts) if is_comment else -1
                if is_comment:
                    cur.add(" ", lineno, col0)
                cur.add(text, lineno, col0)
                out.append((cur, conts, comment_piece))
                cur, conts = None, []
            elif not text.strip() or (is_comment and lineno not in keep):
                continue
            else:
                line = _Line()
                line.add(text, lineno, col0)
                out.append((line, [], -1))
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


def _suppressions(segs: list[tuple[str, int, int]]) -> dict[int, frozenset[str]]:
    found: dict[int, frozenset[str]] = {}
    for text, lineno, _ in segs:
        if "req-hashlint" not in text.lower():
            continue
        m = _SUPPRESS_RE.search(text)
        if m is None:
            continue
        codes = frozenset(c.strip().upper() for c in (m.group(1) or "").split(",") if c.strip())
        prev = found.get(lineno)
        if prev is not None and (not prev or not codes):
            found[lineno] = frozenset()
        else:
            found[lineno] = (prev or frozenset()) | codes
    return found


# -- the fast path ---------------------------------------------------------------------------
# Most of a lock is `name==version [; marker] \` followed by `    --hash=algo:hex \` lines
# and `# via` comments. ``_lex_fast`` reads those logical lines directly, and hands every
# other logical line (options, includes, editables, URLs, anything with quotes in its
# options, tabs, non-ASCII text, a `#` or `\` out of the usual places...) to the code below,
# the reference. tests/test_fastpath.py proves the two give equal ReqFiles; FAST = False
# turns the fast path off.

FAST = True
_SUPPRESS_HINT_RE = re.compile("req-hashlint", re.IGNORECASE)
# path -> the text last lexed under that name, its lines, its fast entries by first line
# index (with their end), and its ReqFile. The base version of a file, lexed right after
# it, reuses every unchanged entry; an unchanged file is the same ReqFile.
_MEMO: dict[str, tuple[str, list[str], dict[int, tuple[int, Entry]], ReqFile]] = {}
_MEMO_SIZE = 256


# The usual continuation line: indentation, one `--hash=` (printable ASCII, no quote, `#` or
# `\`), then ` \` (group 3: the entry goes on) or blanks or a comment not ending in `\`
# (group 4: it ends).
_HASH_LINE_RE = re.compile(r"( *)--hash=([!$-&(-\[\]-~]*)(?:( +\\)|( +#(?:.*[^\\])?| *))")


def _slot_setters() -> tuple[Callable[[object, object], None], ...] | None:
    """The slot setters of Span and Hash, when they have exactly the fields the fast path sets.

    Every hash line makes a Span and a Hash; setting their slots directly, without an
    ``__init__`` call, saves a third of the line's cost. (Anything else: the constructors.)
    """
    span_fields = ("line", "column", "end_line", "end_column")
    hash_fields = ("value", "algo", "digest", "has_colon", "span")
    if getattr(Span, "__slots__", None) != span_fields or getattr(Hash, "__slots__", None) != hash_fields:
        return None  # pragma: no cover - the model changed: use the constructors
    return (
        *(vars(Span)[f].__set__ for f in span_fields),
        *(vars(Hash)[f].__set__ for f in hash_fields),
    )


_SLOTS = _slot_setters()


def _plain_piece(line: str) -> tuple[str, bool] | None:
    """One physical line of a plain entry: its text without the ` \\` or the comment, and
    whether the entry goes on; None when the line is not plain (then pip's reading is slow's)."""
    if line.endswith("\\"):
        if not line.endswith(" \\"):
            return None
        body = line[:-1]
        if "#" in body:
            return None
        cont = True
    else:
        body = line
        h = body.find("#")
        if h >= 0:
            if h == 0 or body[h - 1] != " ":
                return None
            body = body[:h]
        cont = False
    if not (body.isascii() and body.isprintable()) or "\\" in body:
        return None
    return body, cont


def _fast_entry(lines: list[str], i: int) -> tuple[Entry, int] | None:
    """The requirement starting on line ``i`` (its first character alphanumeric) and the line
    after it, when it is in the plain shape."""
    piece = _plain_piece(lines[i])
    if piece is None:
        return None
    body, cont = piece
    p = body.find(" -")  # pip's requirement ends at the first token starting with `-`
    req_text = (body if p < 0 else body[:p]).rstrip(" ")
    hashes: list[Hash] = []
    if p >= 0 and not _fast_hashes(body, i + 1, hashes, p):
        return None
    k = i + 1
    n = len(lines)
    hash_line = _HASH_LINE_RE.fullmatch
    new = object.__new__
    if _SLOTS is not None:
        s_line, s_col, s_end_line, s_end_col, h_value, h_algo, h_digest, h_colon, h_span = _SLOTS
    while cont:
        if k >= n:
            return None  # the file ends in a continuation
        line = lines[k]
        k += 1
        m = hash_line(line)
        if m is not None:
            value = m.group(2)
            col = m.end(1) + 1
            algo, colon, digest = value.partition(":")
            if _SLOTS is None:  # pragma: no cover - the model changed
                hashes.append(
                    Hash(value, algo if colon else "", digest, bool(colon), Span(k, col, k, col + 7 + len(value)))
                )
            else:  # the same objects, slot by slot
                span = new(Span)
                s_line(span, k)
                s_col(span, col)
                s_end_line(span, k)
                s_end_col(span, col + 7 + len(value))
                made = new(Hash)
                h_value(made, value)
                h_algo(made, algo if colon else "")
                h_digest(made, digest)
                h_colon(made, colon != "")
                h_span(made, span)
                hashes.append(made)
            cont = m.lastindex == 3
            continue
        piece = _plain_piece(line)  # any other piece of the entry
        if piece is None or not _fast_hashes(piece[0], k, hashes, 0):
            return None
        cont = piece[1]
    span = Span(i + 1, 1, i + 1, len(req_text) + 1)
    entry = pinned_entry(req_text, span, i + 1, k, tuple(hashes)) or parse_entry(
        req_text, editable=False, span=span, first_line=i + 1, last_line=k, hashes=tuple(hashes), options=()
    )
    return entry, k


def _fast_hashes(body: str, lineno: int, out: list[Hash], start: int) -> bool:
    """Append the `--hash=` tokens of ``body[start:]``; False when it holds anything else."""
    at = start
    for tok in body[start:].split(" "):
        if tok:
            if not tok.startswith("--hash=") or "'" in tok or '"' in tok:
                return False
            value = tok[7:]
            algo, colon, digest = value.partition(":")
            out.append(
                Hash(value, algo if colon else "", digest, bool(colon), Span(lineno, at + 1, lineno, at + len(tok) + 1))
            )
        at += len(tok) + 1
    return True


def _no_pip_breaks(text: str) -> bool:
    """No character pip's ``splitlines`` starts a line at (besides LF), cheaply for ASCII."""
    if text.isascii():
        return not (
            "\r" in text or "\x0b" in text or "\x0c" in text or "\x1c" in text or "\x1d" in text or "\x1e" in text
        )
    return re.search(_PIP_BREAK, text) is None


def _may_suppress(text: str) -> bool:
    """Whether a line may hold a suppression comment: `req-hashlint`, in any case."""
    if not text.isascii():  # (str.lower() could turn other letters into these)
        return _SUPPRESS_HINT_RE.search(text) is not None
    return "req-hashlint" in text.lower()


def _lex_fast(text: str, path: str) -> ReqFile | None:
    """``lex`` for a file with no line break pip would see but git would not; else None."""
    memo = _MEMO.get(path)
    if memo is not None and memo[0] == text:
        return memo[3]
    norm = text.replace("\r\n", "\n") if "\r" in text else text
    if not _no_pip_breaks(norm):
        return None
    lines = norm.split("\n")
    if lines[-1] == "" and len(lines) > 1:
        lines.pop()
    n = len(lines)
    raw_supp: dict[int, frozenset[str]] = {}
    if _may_suppress(norm):
        raw_supp = _suppressions([(t, k + 1, 0) for k, t in enumerate(lines)])
    prev_lines, prev_blocks = (memo[1], memo[2]) if memo is not None else ([], {})
    blocks: dict[int, tuple[int, Entry]] = {}
    entries: list[Entry] = []
    options: list[Option] = []
    includes: list[Include] = []
    join_issues: list[Issue] = []
    line_issues: list[Issue] = []
    suppressions: dict[int, frozenset[str]] = {}
    comment_line = _COMMENT_LINE_RE.match
    i = 0
    while i < n:
        line = lines[i]
        if not line or (line[0] == " " and not line.strip()):
            i += 1
            continue
        if line[0] == "#" or (line[0] == " " and comment_line(line)):
            j = i + 1  # a comment line on its own: nothing but its suppression
        else:
            prev = prev_blocks.get(i)
            if prev is not None and prev_lines[i : prev[0]] == lines[i : prev[0]]:
                found: tuple[Entry, int] | None = (prev[1], prev[0])  # unchanged since the last lex
            else:
                found = _fast_entry(lines, i) if line[0].isalnum() else None
            if found is not None:
                entry, j = found
                entries.append(entry)
                blocks[i] = (j, entry)
            else:
                j = i + 1
                if line.endswith("\\"):
                    while j < n:
                        j += 1
                        t = lines[j - 1]
                        if not t.endswith("\\") or comment_line(t):
                            break
                segs = [(lines[k], k + 1, 0) for k in range(i, j)]
                for logical, conts, comment_piece in _join(segs, join_issues):
                    _lex_line(logical, conts, comment_piece, entries, options, includes, line_issues)
        if raw_supp:
            _merge_suppressions(raw_supp, i + 1, j, suppressions)
        i = j
    file = ReqFile(
        path=path,
        entries=tuple(entries),
        options=tuple(options),
        includes=tuple(includes),
        issues=_fold_consequences([*join_issues, *line_issues], entries),
        suppressions=suppressions,
        line_count=n,
        line_lengths=tuple(map(len, lines)),
    )
    if len(_MEMO) >= _MEMO_SIZE:
        _MEMO.clear()
    _MEMO[path] = (text, lines, blocks, file)
    return file


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


def lex(text: str, path: str) -> ReqFile:
    """Lex ``text`` (already decoded, BOM removed) as the requirements file ``path``.

    Raises :class:`ReadError` for the one text no parser takes: a marker nested thousands
    deep overflows packaging's recursive parser (pip's too).
    """
    try:
        return _lex(text, path)
    except RecursionError:
        raise ReadError("it is nested too deeply to parse (pip's parser fails on it too)") from None


def _lex(text: str, path: str) -> ReqFile:
    if FAST:
        fast = _lex_fast(text, path)
        if fast is not None:
            return fast
    segs, lengths, issues = _segments(text)
    raw_supp = _suppressions(segs)
    entries: list[Entry] = []
    options: list[Option] = []
    includes: list[Include] = []
    suppressions: dict[int, frozenset[str]] = {}

    for line, conts, comment_piece in _join(segs, issues, raw_supp):
        if raw_supp:
            _merge_suppressions(raw_supp, line.first_line, line.last_line, suppressions)
        _lex_line(line, conts, comment_piece, entries, options, includes, issues)

    return ReqFile(
        path=path,
        entries=tuple(entries),
        options=tuple(options),
        includes=tuple(includes),
        issues=_fold_consequences(issues, entries),
        suppressions=suppressions,
        line_count=len(lengths),
        line_lengths=tuple(lengths),
    )


def _fold_consequences(issues: list[Issue], entries: list[Entry]) -> tuple[Issue, ...]:
    """One cause, one issue: what a `\\` followed by whitespace makes pip do next goes into
    its ``related`` (issue 18.5). pip reads its own line with the `\\` in it, which fails to
    parse, then the next line on its own, whose hashes it drops."""
    causes = [k for k, i in enumerate(issues) if i.kind is IssueKind.BACKSLASH_WHITESPACE]
    if not causes:
        return tuple(issues)
    out = list(issues)
    folded: set[int] = set()
    for k in causes:
        cause = issues[k]
        at = cause.span.line
        related: list[Related] = []
        for e in entries:
            if e.error is not None and e.first_line <= at <= e.last_line:
                related.append(
                    Related(
                        e.error_span or e.span, "pip reads the `\\` as part of this requirement, which does not parse"
                    )
                )
        nxt = at + 1
        for j, other in enumerate(issues):
            if j in folded or j == k:
                continue
            if other.kind is IssueKind.OPTION_ERROR and other.span.line <= at <= other.span.end_line:
                related.append(Related(other.span, "pip reads the `\\` as part of these options, which do not parse"))
                folded.add(j)
            elif other.kind is IssueKind.DANGLING_HASH and other.span.line == nxt:
                related.append(Related(other.span, "pip reads this --hash on a line with no requirement and drops it"))
                folded.add(j)
                nxt = other.span.end_line + 1 if other.span.end_line > other.span.line else nxt
            elif other.kind is IssueKind.DANGLING_HASH and other.span.line == nxt + 1 and related:
                related.append(Related(other.span, "pip reads this --hash on a line with no requirement and drops it"))
                folded.add(j)
                nxt += 1
        if related:
            parts = []
            if any(r.message.startswith("pip reads the") for r in related):
                parts.append(f"line {at} does not parse, so pip refuses the whole file")
            dropped = sorted({r.span.line for r in related if "--hash" in r.message})
            if dropped:
                where = " and ".join(", ".join(map(str, dropped)).rsplit(", ", 1))
                parts.append(
                    f"the hashes on lines {where} belong to no requirement"
                    if len(dropped) > 1
                    else f"the --hash on line {where} belongs to no requirement"
                )
            out[k] = Issue(cause.kind, cause.span, f"{cause.detail}: {'; '.join(parts)}", tuple(related))
    return tuple(i for j, i in enumerate(out) if j not in folded)


def _lex_line(
    line: _Line,
    conts: list[tuple[int, int]],
    comment_piece: int,
    entries: list[Entry],
    options: list[Option],
    includes: list[Include],
    issues: list[Issue],
) -> None:
    text = line.text
    m = _COMMENT_RE.search(text)
    cut = len(text)
    if m is not None:
        cut = m.start()
        hash_at = m.end() - 1
        if conts:
            _check_swallowed(line, hash_at, comment_piece, issues)
    body = text[:cut]
    stripped = body.strip()
    if not stripped:
        return
    lo = len(body) - len(body.lstrip())
    if conts:
        _check_glued_tokens(line, conts, issues)

    # pip's break_args_options: split on single spaces; args end at the first "-" token.
    tokens = stripped.split(" ")
    k = 0
    args_len = 0
    for tok in tokens:
        if tok.startswith("-"):
            break
        args_len += len(tok) + 1
        k += 1
    args = " ".join(tokens[:k])
    opt_text = " ".join(tokens[k:])
    opt_base = lo + (args_len if k else 0)

    split = _split_options(opt_text) if opt_text else []
    if isinstance(split, str):
        issues.append(
            Issue(
                IssueKind.OPTION_ERROR,
                line.span(opt_base, opt_base + len(opt_text)),
                f"pip cannot split the options ({split}); check the quotes",
            )
        )
        return
    res = _parse_options(split, opt_base, line)
    if res.error is not None:
        msg, s, e = res.error
        issues.append(Issue(IssueKind.OPTION_ERROR, line.span(s, e), msg))
        return

    editables = [o for o in res.options if o.name == "--editable"]
    is_req_line = bool(args) or bool(editables)
    _check_positionals(line, res, conts, is_req_line, issues)

    if args:
        allowed = _REQ_LINE_OPTIONS
        for o in editables:
            issues.append(
                Issue(
                    IssueKind.DROPPED_REQUIREMENTS,
                    o.span,
                    f"pip ignores `{o.written}` on a line that already has a requirement",
                )
            )
        req_text, req_start = args.rstrip(), lo
    elif editables:
        allowed = _EDITABLE_LINE_OPTIONS
        first = editables[0]
        for o in editables[1:]:
            issues.append(
                Issue(
                    IssueKind.DROPPED_REQUIREMENTS,
                    o.span,
                    "pip reads only the first `-e` of a line and drops this one",
                )
            )
        req_text = first.value or ""
        req_start = -1
    else:
        _option_only_line(res, options, includes, issues)
        return

    per_line: list[Option] = []
    for o in res.options:
        if o.name in REMOVED_OPTIONS:
            issues.append(Issue(IssueKind.REMOVED_OPTION, o.span, o.name))
        elif o.name not in allowed and o.name not in GLOBAL_FROM_ANY_LINE and o.name not in ("--editable", "--hash"):
            # (a --hash here is on an editable: reported once, below)
            where = "an editable requirement" if not args else "a requirement line"
            issues.append(
                Issue(
                    IssueKind.DROPPED_REQUIREMENTS if o.name == "--requirement" else IssueKind.IGNORED_OPTION,
                    o.span,
                    f"pip silently ignores `{o.written}` on {where}; put it on a line of its own",
                )
            )
        if o.name != "--hash":
            per_line.append(o)
    if req_start >= 0:
        span = line.span(req_start, req_start + len(req_text))
        editable_span = None
    else:
        editable_span = editables[0].span
        span = editable_span
    entries.append(
        parse_entry(
            req_text,
            editable=not args,
            span=span,
            first_line=line.first_line,
            last_line=line.last_line,
            hashes=tuple(res.hashes) if args else (),
            options=tuple(per_line) if args else tuple(o for o in per_line if o.name != "--hash"),
        )
    )
    if not args and res.hashes:
        for h in res.hashes:
            issues.append(
                Issue(
                    IssueKind.IGNORED_OPTION,
                    h.span,
                    "pip ignores --hash on an editable requirement",
                )
            )


def _option_only_line(res: _LineResult, options: list[Option], includes: list[Include], issues: list[Issue]) -> None:
    for h in res.hashes:
        issues.append(
            Issue(
                IssueKind.DANGLING_HASH,
                h.span,
                "this --hash is on a line with no requirement; pip warns and drops it",
            )
        )
    reqs = [o for o in res.options if o.name == "--requirement"]
    cons = [o for o in res.options if o.name == "--constraint"]
    followed = reqs[0] if reqs else (cons[0] if cons else None)
    for o in res.options:
        if o.name == "--hash":
            continue
        if o.name in REMOVED_OPTIONS:
            issues.append(Issue(IssueKind.REMOVED_OPTION, o.span, o.name))
            continue
        if o.name in ("--requirement", "--constraint"):
            if o is followed:
                includes.append(Include("-r" if o.name == "--requirement" else "-c", o.value or "", o.span))
            else:
                issues.append(
                    Issue(
                        IssueKind.DROPPED_REQUIREMENTS if o.name == "--requirement" else IssueKind.IGNORED_OPTION,
                        o.span,
                        "pip follows only one include per line (the first -r, else the first -c) "
                        f"and silently drops `{o.written} {o.value}`; put each on its own line",
                    )
                )
            continue
        if o.name == "--config-settings":
            issues.append(
                Issue(
                    IssueKind.IGNORED_OPTION,
                    o.span,
                    f"pip ignores `{o.written}` on a line with no requirement",
                )
            )
            continue
        options.append(o)


def _check_positionals(
    line: _Line,
    res: _LineResult,
    conts: list[tuple[int, int]],
    is_req_line: bool,
    issues: list[Issue],
) -> None:
    if not res.positionals:
        return
    tok, start, _ = res.positionals[0]
    end = res.positionals[-1][2]
    if tok.startswith(";"):
        issues.append(
            Issue(
                IssueKind.MARKER_AFTER_OPTIONS,
                line.span(start, end),
                "the environment marker comes after the options, so pip drops it and installs "
                "the requirement everywhere; move `; marker` before the first --hash",
            )
        )
        return
    span = line.span(start, end)
    words = [t for t, _, _ in res.positionals]
    if not any(_may_be_requirement(t) for t in words):
        # `(`, `,`, `)`...: pip ignores them, and nothing else goes missing
        shown = " ".join(words)
        issues.append(
            Issue(
                IssueKind.STRAY_TOKEN,
                span,
                f"pip ignores the stray `{shown}` among the options; delete it",
            )
        )
        return
    glue = _continuation_before(conts, span.line) if _starts_its_line(line, start) else None
    if glue is not None and is_req_line:
        gl, gc = glue
        issues.append(
            Issue(
                IssueKind.GLUED_ENTRY,
                Span(gl, gc + 1, gl, gc + 2),
                f"this `\\` joins line {span.line} onto the requirement above, so pip silently "
                f"drops `{tok}` and gives its hashes to the requirement above; "
                "remove the `\\` after the last --hash",
            )
        )
        return
    what = " ".join(words)
    issues.append(
        Issue(
            IssueKind.STRAY_TEXT,
            span,
            f"pip silently ignores `{what}` after the options; one requirement per line, "
            "and options after the requirement",
        )
    )


def _may_be_requirement(token: str) -> bool:
    """Could pip have read this token as a requirement (a name, a URL, a path)?"""
    return token[:1].isalnum() or token[:1] in "./~\\"


def _starts_its_line(line: _Line, offset: int) -> bool:
    """Is the character at ``offset`` the first non-blank one of its physical line?"""
    i = bisect_right(line.starts, offset) - 1
    return not line.text[line.starts[max(i, 0)] : offset].strip()


def _continuation_before(conts: list[tuple[int, int]], lineno: int) -> tuple[int, int] | None:
    """The continuation backslash that ended the physical line before ``lineno``, if any."""
    best: tuple[int, int] | None = None
    for cl, cc in conts:
        if cl < lineno:
            best = (cl, cc)
    return best


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
        if cc is None:
            continue
        if not text[at - 1].isspace() and not text[at].isspace():
            if secrets is None:
                secrets = secret_spans(text)
            left, right = _token_end(text, at, secrets), _token_start(text, at, secrets)
            issues.append(
                Issue(
                    IssueKind.GLUED_TOKENS,
                    Span(prev_line, cc + 1, prev_line, cc + 2),
                    f"no space before this `\\`, so pip glues `{left}` and `{right}` into "
                    f"`{left}{right}`; put a space before the `\\`",
                )
            )


# How much of a glued token a message shows: a chain of glued lines makes one huge token.
_SHOWN = 80


def _token_end(text: str, at: int, secrets: list[tuple[int, int]]) -> str:
    """The whitespace-separated token that ends at ``at`` (its tail when long), secrets masked."""
    lo = at
    while lo > 0 and at - lo <= _SHOWN and not text[lo - 1].isspace():
        lo -= 1
    if at - lo <= _SHOWN:
        return excerpt(text, lo, at, secrets)
    return "..." + excerpt(text, at - _SHOWN, at, secrets)


def _token_start(text: str, at: int, secrets: list[tuple[int, int]]) -> str:
    """The whitespace-separated token that starts at ``at`` (its head when long), secrets masked."""
    hi = at
    while hi < len(text) and hi - at <= _SHOWN and not text[hi].isspace():
        hi += 1
    if hi - at <= _SHOWN:
        return excerpt(text, at, hi, secrets)
    return excerpt(text, at, at + _SHOWN, secrets) + "..."


def _check_swallowed(line: _Line, hash_at: int, comment_piece: int, issues: list[Issue]) -> None:
    """A `#` comment on a continued line cuts off everything joined after it."""
    i = bisect_right(line.starts, hash_at) - 1
    last = len(line.starts) if comment_piece < 0 else comment_piece
    lost = [
        line.origins[j][0]
        for j in range(i + 1, last)
        if line.text[line.starts[j] : (line.starts[j + 1] if j + 1 < len(line.starts) else None)].strip()
    ]
    if not lost:
        return
    ln, col = line.pos(hash_at)
    piece_end = line.starts[i + 1] if i + 1 < len(line.starts) else len(line.text)
    end_ln, end_col = line.pos(piece_end - 1)
    n = len(set(lost))
    if n == 1:
        what = f"line {max(lost)} as part of the comment and ignores it"
    else:
        what = f"the next {n} lines, up to line {max(lost)}, as part of the comment and ignores them"
    issues.append(
        Issue(
            IssueKind.COMMENT_BEFORE_CONTINUATION,
            Span(ln, col, end_ln, end_col + 1),
            f"this comment comes before the `\\`, so pip reads {what}; move the comment to its own line",
        )
    )
