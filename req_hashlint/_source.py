"""Reading requirements files: size limits, binary detection, and pip's decoding."""

from __future__ import annotations

import codecs
import os
import re
import stat
from itertools import islice

# A file larger than this is refused (RH901): no real requirements file comes close, and
# reading it would make memory and time unbounded.
MAX_FILE_BYTES = 16 * 1024 * 1024
# A physical line longer than this is refused (RH901); pip-compile lines are < 200.
MAX_LINE_CHARS = 1024 * 1024
# More lines than this (counting the other characters pip starts a line at) are refused
# (RH901): the largest real lock files have a few ten thousand. Each line costs the lexer
# and the rules about 3 KB and 60 us at worst, so this bounds one file's memory and time.
MAX_LINES = 200_000
# As many whitespace-separated words (a `--hash` each, at worst): 400,000 is twice what
# 100,000 entries with a hash each need.
MAX_WORDS = 400_000
_EXTRA_BREAKS = "\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_WORD_RE = re.compile(r"\S+")
_ASCII_SPACES = " \t\r\x0b\x0c\x1c\x1d\x1e\x1f"  # what `\s` matches among ASCII characters, but \n

# pip's order: UTF-16 LE is a prefix of UTF-32 LE.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF16, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
)
_PEP263_RE = re.compile(rb"coding[:=]\s*([-\w.]+)")


class ReadError(Exception):
    """A file that cannot be read or decoded; the message is for the user."""


def encoding_of(data: bytes) -> tuple[bytes, str, bool]:
    """The BOM, the encoding pip reads ``data`` with, and whether a PEP 263 line declares it:
    a BOM, else a coding line in the first two lines, else UTF-8."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return bom, encoding, False
    for line in data.split(b"\n", 2)[:2]:
        m = _PEP263_RE.search(line) if line[0:1] == b"#" else None
        if m is not None:
            return b"", m.group(1).decode("ascii"), True
    return b"", "utf-8", False


def decode(data: bytes) -> str:
    """Decode like pip: a BOM, else a PEP 263 line in the first two lines, else UTF-8.

    pip falls back to the locale's encoding where UTF-8 fails; a linter that depends on the
    machine's locale would give different answers on different machines, so an invalid
    UTF-8 file without a coding line is refused instead.
    """
    bom, encoding, declared = encoding_of(data)
    if bom:
        try:
            return _check_text(data[len(bom) :].decode(encoding))
        except UnicodeDecodeError as exc:
            raise ReadError(f"invalid {encoding} after its byte order mark: {exc.reason}") from None
    if declared:
        try:
            return _check_text(data.decode(encoding))
        except LookupError:  # no such codec, or one not for text (zlib, hex, rot13...)
            raise ReadError(f"unknown encoding {encoding!r} in its coding line") from None
        except UnicodeError as exc:  # UnicodeDecodeError, and idna's or punycode's errors
            reason = exc.reason if isinstance(exc, UnicodeDecodeError) else str(exc)
            raise ReadError(f"invalid {encoding} (declared in its coding line): {reason}") from None
    if b"\x00" in data:
        raise ReadError("binary file (it contains NUL bytes)")
    try:
        return _check_text(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ReadError(
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "save it as UTF-8 or declare its encoding in a '# -*- coding: NAME -*-' first line"
        ) from None


def _check_text(text: str) -> str:
    """Refuse text no requirements file looks like, before the lexer spends memory on it."""
    if "\x00" in text:
        raise ReadError("binary file (it contains NUL characters)")
    n = len(text)
    # (a character's `in` is a fast scan, its count a slow one: only the characters there are counted)
    newlines = text.count("\n")
    lines = newlines + _count(text, _EXTRA_BREAKS) - (text.count("\r\n") if "\r" in text else 0)
    if lines > MAX_LINES:
        raise ReadError(f"more than {MAX_LINES:,} lines; not a requirements file")
    # Each word needs a character and a separator: a short text cannot have too many, nor can
    # one with fewer separators (counted in C for ASCII text; the word count itself is slow).
    if (
        n > 2 * MAX_WORDS
        and (not text.isascii() or newlines + _count(text, _ASCII_SPACES) >= MAX_WORDS)
        and sum(1 for _ in islice(_WORD_RE.finditer(text), MAX_WORDS + 1)) > MAX_WORDS
    ):
        raise ReadError(f"more than {MAX_WORDS:,} words; not a requirements file")
    # Every run of lines joined by `\` within bounds (the usual case, settled in a few searches:
    # 0.01 ms where the loop takes 24 ms on a 1.5 MB lock). Else the loop finds the line too long.
    start = 0 if n > MAX_LINE_CHARS and not _joined_within(text, MAX_LINE_CHARS) else n
    joined = 0  # the length of the lines joined by `\` so far
    while start < n:
        end = text.find("\n", start)
        if end < 0:
            end = n
        if end - start > MAX_LINE_CHARS:
            raise ReadError(f"a line is longer than {MAX_LINE_CHARS:,} characters; not a requirements file")
        joined += end - start
        if joined > MAX_LINE_CHARS:
            raise ReadError(
                f"lines joined by `\\` make one longer than {MAX_LINE_CHARS:,} characters; not a requirements file"
            )
        if not text.endswith("\\", start, end - (end > start and text[end - 1] == "\r")):
            joined = 0
        start = end + 1
    return text


def _count(text: str, chars: str) -> int:
    """How many of ``chars`` ``text`` holds."""
    return sum(text.count(c) for c in chars if c in text)


def _joined_within(text: str, limit: int) -> bool:
    """Whether each stretch of ``limit`` characters holds a line end without `\\`, so no run of lines
    joined by `\\` is longer (a sufficient test: False leaves the exact answer to ``_check_text``'s loop)."""
    n, p = len(text), 0
    while n - p > limit:
        e = text.rfind("\n", p, p + limit + 1)
        while e >= p and (text[e - 1 : e] == "\\" or text[e - 2 : e] == "\\\r"):
            e = text.rfind("\n", p, e)  # joined to the next line: look further back
        if e < p:
            return False
        p = e + 1
    return True


def _reason(exc: OSError) -> str:
    """The system's reason, as the other messages word theirs; never the path (it may be absolute)."""
    reason = exc.strerror or type(exc).__name__
    return reason[:1].lower() + reason[1:]


def read_path(path: str) -> str:
    """Read and decode a working-tree file; regular files only, bounded in size."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        raise ReadError("no such file") from None
    except OSError as exc:  # "is a directory", "permission denied"...
        raise ReadError(_reason(exc)) from None
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise ReadError("is a directory")
        if not stat.S_ISREG(st.st_mode):
            raise ReadError("not a regular file (a device, FIFO or socket)")
        too_large = f"larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB; not a requirements file"
        if st.st_size > MAX_FILE_BYTES:
            raise ReadError(too_large)
        # One read: a regular file gives all it holds, so more than its size means it grew
        # meanwhile (or is one the system writes as it is read, in /proc): then read to its end.
        data = os.read(fd, st.st_size + 1)
        while len(data) > st.st_size and len(data) <= MAX_FILE_BYTES:
            more = os.read(fd, MAX_FILE_BYTES + 1 - len(data))
            if not more:
                break
            data += more
        if len(data) > MAX_FILE_BYTES:
            raise ReadError(too_large)
    except OSError as exc:
        raise ReadError(_reason(exc)) from None
    finally:
        os.close(fd)
    return decode(data)
