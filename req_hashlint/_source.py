"""Reading requirements files: size limits, binary detection, and pip's decoding."""

from __future__ import annotations

import codecs
import os
import re
import stat

# A file larger than this is refused (RH901): no real requirements file comes close, and
# reading it would make memory and time unbounded.
MAX_FILE_BYTES = 16 * 1024 * 1024
# A physical line longer than this is refused (RH901); pip-compile lines are < 200.
MAX_LINE_CHARS = 1024 * 1024

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


def decode(data: bytes) -> str:
    """Decode like pip: a BOM, else a PEP 263 line in the first two lines, else UTF-8.

    pip falls back to the locale's encoding where UTF-8 fails; a linter that depends on the
    machine's locale would give different answers on different machines, so an invalid
    UTF-8 file without a coding line is refused instead.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _check_text(data[len(bom) :].decode(encoding))
            except UnicodeDecodeError as exc:
                raise ReadError(f"invalid {encoding} after its byte order mark: {exc.reason}") from None
    for line in data.split(b"\n", 2)[:2]:
        if line[0:1] == b"#":
            m = _PEP263_RE.search(line)
            if m is not None:
                encoding = m.group(1).decode("ascii")
                try:
                    codecs.lookup(encoding)
                except LookupError:
                    raise ReadError(f"unknown encoding {encoding!r} in its coding line") from None
                try:
                    return _check_text(data.decode(encoding))
                except UnicodeDecodeError as exc:
                    raise ReadError(f"invalid {encoding} (declared in its coding line): {exc.reason}") from None
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
    if "\x00" in text:
        raise ReadError("binary file (it contains NUL characters)")
    start = 0
    n = len(text)
    while start < n:
        end = text.find("\n", start)
        if end < 0:
            end = n
        if end - start > MAX_LINE_CHARS:
            raise ReadError(f"a line is longer than {MAX_LINE_CHARS:,} characters; not a requirements file")
        start = end + 1
    return text


def read_path(path: str) -> str:
    """Read and decode a working-tree file; regular files only, bounded in size."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        raise ReadError("no such file") from None
    except IsADirectoryError:
        raise ReadError("is a directory") from None
    except PermissionError:
        raise ReadError("permission denied") from None
    except OSError as exc:
        raise ReadError(exc.strerror or str(exc)) from None
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise ReadError("is a directory")
        if not stat.S_ISREG(st.st_mode):
            raise ReadError("not a regular file (a device, FIFO or socket)")
        if st.st_size > MAX_FILE_BYTES:
            raise ReadError(f"larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB; not a requirements file")
        chunks: list[bytes] = []
        total = 0
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            total += len(chunk)
            if total > MAX_FILE_BYTES:
                raise ReadError(f"larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB; not a requirements file")
            chunks.append(chunk)
    except OSError as exc:
        raise ReadError(exc.strerror or str(exc)) from None
    finally:
        os.close(fd)
    return decode(b"".join(chunks))
