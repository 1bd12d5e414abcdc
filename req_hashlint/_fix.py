"""The fix engine: findings' edits applied to a file's text, and a hash block in the file's own style.

Imported only for ``--fix`` and ``--diff``; the rules build :class:`Fix` values from ``_model`` alone.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from itertools import pairwise

from ._model import Edit, Entry, Fix, ReqFile, Span

DEFAULT_INDENT = 4  # pip-compile's and uv's continuation lines: `    --hash=...`


def apply(text: str, fixes: Iterable[Fix]) -> tuple[str, int]:
    """``text`` with every fix applied whole, in file order (by its first edit); a fix with an edit that
    overlaps an applied one's (or inserts where one does) is skipped. Returns the text and how many applied.

    Spans count lines at LF, as the lexer does (a CRLF's CR is not a column); a ``\\n`` in an edit's text
    is written as the line break of the line the edit starts on, so a CRLF file stays CRLF.
    """
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
    for fix in fixes:
        edits = []
        for e in fix.edits:
            s = e.span
            start, end = offset(s.line, s.column), offset(s.end_line, s.end_column)
            edits.append((start, max(start, end), e.text.replace("\n", newline(s.line)) if "\n" in e.text else e.text))
        if edits:
            placed.append((min(e[0] for e in edits), len(placed), edits))
    taken: list[tuple[int, int]] = []  # applied (start, end), sorted, never overlapping
    chosen: list[tuple[int, int, str]] = []
    applied = 0
    for _, _, edits in sorted(placed, key=lambda p: p[:2]):
        if any(_clashes(taken, start, end) for start, end, _ in edits) or _self_clash(edits):
            continue
        for start, end, new in edits:
            taken.insert(bisect_right(taken, (start, end)), (start, end))
            chosen.append((start, end, new))
        applied += 1
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
    """The hashes, sorted and once each, one per continuation line: `` \\\\\\n    --hash=...`` each."""
    return "".join(f" \\\n{indent}--hash={v}" for v in sorted(set(values)))


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
    indent = hash_indent(file, entry)
    return Fix(description, (Edit(Span(*start, *end), "".join(f" \\\n{indent}--hash={v}" for v in values)),))
