"""The fix engine: findings' edits applied to a file's text, and a hash block in the file's own style.

Not imported by a clean offline run: ``--fix`` and ``--diff`` import it, and so does a rule only when it
has a finding whose fix rewrites a hash block (``hash_fix``); the other rules build :class:`Fix` values
from ``_model`` alone, and the reporters read them from the findings.
"""

from __future__ import annotations

import contextlib
import os
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from itertools import pairwise

from ._model import Edit, Entry, Finding, Fix, IssueKind, ReqFile, Span

DEFAULT_INDENT = 4  # pip-compile's and uv's continuation lines: `    --hash=...`
MAX_ROUNDS = 10  # lint and fix again while fixes apply (one fix can make room for another)
MAX_CHECKS = 64  # lexes of one file's fixed text per round, to find the fixes that change another entry


def apply(text: str, fixes: Iterable[Fix]) -> tuple[str, int]:
    """``text`` with every fix applied whole, in file order (by its first edit); a fix with an edit that
    overlaps an applied one's (or inserts where one does) is skipped. Returns the text and how many applied.

    Spans count lines at LF, as the lexer does (a CRLF's CR is not a column); a ``\\n`` in an edit's text
    is written as the line break of the line the edit starts on, so a CRLF file stays CRLF.
    """
    new, applied = _apply(text, fixes)
    return new, len(applied)


def _apply(text: str, fixes: Iterable[Fix]) -> tuple[str, list[int]]:
    """``apply``, with the indexes of the fixes applied, in file order."""
    starts = [0]
    at = text.find("\n")
    while at >= 0:
        starts.append(at + 1)
        at = text.find("\n", at + 1)

    def offset(line: int, column: int) -> int:
        if line > len(starts):
            return len(text)
        end = text.find("\n", starts[line - 1])
        end = len(text) if end < 0 else end - text.endswith("\r", 0, end)
        return min(starts[line - 1] + column - 1, end)

    def newline(line: int) -> str:
        end = text.find("\n", starts[min(line, len(starts)) - 1])
        crlf = text.endswith("\r", 0, end) if end > 0 else "\r\n" in text
        return "\r\n" if crlf else "\n"

    placed: list[tuple[int, int, list[tuple[int, int, str]]]] = []
    for i, fix in enumerate(fixes):
        edits = []
        for e in fix.edits:
            s = e.span
            start, end = offset(s.line, s.column), offset(s.end_line, s.end_column)
            edits.append((start, max(start, end), e.text.replace("\n", newline(s.line)) if "\n" in e.text else e.text))
        if edits:
            placed.append((min(e[0] for e in edits), i, edits))
    taken: list[tuple[int, int]] = []  # applied (start, end), sorted, never overlapping
    chosen: list[tuple[int, int, str]] = []
    applied: list[int] = []
    for _, i, edits in sorted(placed, key=lambda p: p[:2]):
        if any(_clashes(taken, start, end) for start, end, _ in edits) or _self_clash(edits):
            continue
        for start, end, new in edits:
            taken.insert(bisect_right(taken, (start, end)), (start, end))
            chosen.append((start, end, new))
        applied.append(i)
    pieces, pos = [], 0
    for start, end, new in sorted(chosen, key=lambda c: (c[0], c[1])):
        pieces += [text[pos:start], new]
        pos = end
    pieces.append(text[pos:])
    return "".join(pieces), applied


def _clashes(taken: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether [start, end) overlaps an applied edit, or starts where one does. Applied edits never
    overlap, so their ends rise with their starts: the neighbours on either side are the ones to ask."""
    i = bisect_right(taken, (start, end))
    return any((start < e and s < end) or s == start for s, e in taken[max(i - 1, 0) : i + 1])


def _self_clash(edits: list[tuple[int, int, str]]) -> bool:
    ordered = sorted(edits)
    return any(b[0] < a[1] or b[0] == a[0] for a, b in pairwise(ordered))


def hash_indent(file: ReqFile, entry: Entry | None = None) -> str:
    """The indentation of a hash line: the entry's own, else the file's first entry's with hashes on
    continuation lines, else pip-compile's four spaces (a tab is written as a space: columns count)."""
    for e in (entry, *file.entries) if entry is not None else file.entries:
        if e is None or not e.hash_values:
            continue
        hashes = e.hashes
        on_own_line = [h for h in hashes if h.span.line > e.first_line]
        if on_own_line:
            return " " * (on_own_line[0].span.column - 1)
    return " " * DEFAULT_INDENT


def hash_lines(values: Iterable[str], indent: str) -> str:
    """The hashes, in the order given, one per continuation line (a space, a backslash, a line break, then
    ``indent`` and ``--hash=value``)."""
    return "".join(f" \\\n{indent}--hash={v}" for v in values)


def hash_fix(
    file: ReqFile, entry: Entry, values: Iterable[str], description: str, *, ordered: bool = False
) -> Fix | None:
    """A fix that makes ``entry``'s hashes exactly ``values`` (sorted, unless ``ordered``: as given), in the file's
    own layout (one per continuation line; on the requirement's line when all its hashes are there); the
    requirement, its marker, its other options and the comments after it are kept. None when another option
    sits among its hashes (no edit keeps that one in place)."""
    hashes = entry.hashes
    req = entry.span
    start = (req.end_line, req.end_column)
    values = list(dict.fromkeys(values)) if ordered else sorted(set(values))
    if hashes:
        first, last = hashes[0].span, hashes[-1].span
        for o in entry.options:
            o_end = (o.span.end_line, o.span.end_column)
            if o_end <= (first.line, first.column):
                start = max(start, o_end)
            elif (o.span.line, o.span.column) < (last.end_line, last.end_column):
                return None
        end = (last.end_line, last.end_column)
        if last.end_line == req.line:  # all on the requirement's line: kept so
            return Fix(description, (Edit(Span(*start, *end), "".join(f" --hash={v}" for v in values)),))
    else:
        end = start
    return Fix(description, (Edit(Span(*start, *end), hash_lines(values, hash_indent(file, entry))),))


# -- the safety check: every other entry reads as it did ----------------------------------


def fix_text(text: str, path: str, fixes: Sequence[Fix]) -> tuple[str, int]:
    """``text`` with the fixes that change no other entry as pip reads it; how many applied.

    The fixed text is lexed again: every entry no edit touches must be read as before (name,
    specifier, marker, URL, hashes, options, in order), and the file's own options and includes too.
    When the fixes together fail that, each half is tried, down to single fixes, each kept if it
    passes; after ``MAX_CHECKS`` lexes the fixes not yet settled are left out (a hostile file cannot
    make it lex thousands of times).
    """
    from ._lex import lex

    before = lex(text, path)
    _, applied = _apply(text, fixes)
    kept: list[Fix] = []
    budget = [MAX_CHECKS]

    def settle(group: list[Fix]) -> None:
        if not group or budget[0] <= 0:
            return
        budget[0] -= 1
        trial = [*kept, *group]  # (they did not overlap together: any of them apply together)
        if _keeps(before, _apply(text, trial)[0], trial):
            kept.extend(group)
        elif len(group) > 1:
            settle(group[: len(group) // 2])
            settle(group[len(group) // 2 :])

    settle([fixes[i] for i in applied])
    return apply(text, kept)


def fix_rounds(
    findings: Sequence[Finding],
    where: Callable[[Finding], tuple[str, str] | None],
    relint: Callable[[dict[str, str]], Sequence[Finding]],
) -> tuple[dict[str, str], int]:
    """Apply the findings' fixes, lint again, fix again while fixes apply (one fix can make room for
    another), at most ``MAX_ROUNDS`` times: ``--fix``, ``--diff`` and the editor's fix-all.

    ``where(finding)``: the file its fix edits and that file's text as read, or None when the file
    may not change; ``relint(texts)``: the findings with those files' texts. Returns each fixed
    file's text and how many fixes applied."""
    texts: dict[str, str] = {}
    count = 0
    for _ in range(MAX_ROUNDS):
        fixes: dict[str, list[Fix]] = {}
        read: dict[str, str] = {}
        for f in findings:
            fix = None if f.suppressed else f.fix
            found = where(f) if fix is not None else None
            if fix is not None and found is not None:
                read.setdefault(found[0], found[1])
                fixes.setdefault(found[0], []).append(fix)
        applied = 0
        for path, group in fixes.items():
            new, n = fix_text(texts.get(path, read[path]), path, list(dict.fromkeys(group)))
            if n:
                texts[path], applied = new, applied + n
        if not applied:
            break
        count += applied
        findings = relint(texts)
    return texts, count


def _view(e: Entry) -> tuple[object, ...]:
    """An entry as pip reads it."""
    options = tuple((o.name, o.value) for o in e.options)
    return (e.kind, e.text, e.name, e.specifier, e.marker, e.url, e.hash_values, e.url_hash, options, e.error)


def _keeps(before: ReqFile, text: str, fixes: Sequence[Fix]) -> bool:
    from ._lex import lex
    from ._source import ReadError

    try:
        after = lex(text, before.path)
    except ReadError:
        return False
    if [(o.name, o.value) for o in before.options] != [(o.name, o.value) for o in after.options]:
        return False
    if [(i.kind, i.target) for i in before.includes] != [(i.kind, i.target) for i in after.includes]:
        return False
    if before.lock:  # a pylock.toml: the fixed text must be TOML that packaging accepts as before
        errors = {(i.kind, i.text, i.value) for i in before.issues if i.kind is IssueKind.LOCK_ERROR}
        if any((i.kind, i.text, i.value) not in errors for i in after.issues if i.kind is IssueKind.LOCK_ERROR):
            return False
    touched: set[int] = set()
    for fix in fixes:
        for e in fix.edits:
            s = e.span
            touched.update(range(s.line, max(s.line, s.end_line - (s.end_column == 1)) + 1))
    views = iter(map(_view, after.entries))
    others = (e for e in before.entries if touched.isdisjoint(range(e.first_line, e.last_line + 1)))
    return all(any(v == w for v in views) for w in map(_view, others))  # in order, as a subsequence


# -- files: their encoding kept, written atomically ---------------------------------------


def encode(text: str, bom: bytes, encoding: str) -> bytes:
    """``text`` as it was read: the same encoding, the same BOM (a UTF-16 or -32 codec writes its own)."""
    data = text.encode(encoding)
    return data if data.startswith(bom) else bom + data


def write_atomically(path: str, data: bytes) -> None:
    """Replace the file at ``path`` by ``data``: a temporary file beside it, then a rename; its mode kept."""
    import stat
    import tempfile

    mode = stat.S_IMODE(os.stat(path).st_mode)
    fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(path)}.", suffix=".tmp", dir=os.path.dirname(path))
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def unified(rel: str, old: str, new: str) -> str:
    """A unified diff of one file, ``a/`` and ``b/`` paths, lines split at LF only (as git does)."""
    import difflib

    def lines(text: str) -> list[str]:
        out = [line + "\n" for line in text.split("\n")]
        out[-1] = out[-1][:-1]
        return out if out[-1] else out[:-1]

    diff = difflib.unified_diff(lines(old), lines(new), f"a/{rel}", f"b/{rel}")
    return "".join(d if d.endswith("\n") else d + "\n\\ No newline at end of file\n" for d in diff)
