"""The on-disk cache of project pages: max-age freshness, ETag and Last-Modified revalidation.

One file per (URL without credentials, Accept header, credential identity) under
``<cache dir>/simple/``: a JSON header line (validators, time stored, max-age, status, content
type, body length), then the body. Writes are atomic (a temporary file, then ``os.replace``).
Nothing read back is trusted: a corrupt, truncated, oversized or hostile entry is no entry, and
no entry is fresh past a day whatever max-age it claims. A directory that cannot be written
only turns caching off.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import os
import sys
import time
from collections.abc import Iterable, Mapping
from typing import NamedTuple

from ._model import ServedFile

MAX_AGE_CAP = 86400.0  # never fresh longer than a day, whatever the server (or the file) says
_CLOCK_SKEW = 300.0  # an entry stored in the future beyond this is not trusted
_HEADER_MAX = 16 * 1024
_FORMAT = 1
# An entry's content type when its body is the parsed files (what is stored after a page parsed):
# reading them back is 4 times faster than parsing the page again, and they are smaller.
FILES_TYPE = "application/x-req-hashlint-files"


class Entry(NamedTuple):
    status: int  # 200 or 404
    content_type: str
    body: bytes
    etag: str | None
    last_modified: str | None
    stored: float  # time.time() when stored or last revalidated
    max_age: float  # seconds, already capped
    url: str = ""  # the URL the body came from, after redirects ("": the URL asked)

    def fresh(self, now: float) -> bool:
        return self.stored <= now + _CLOCK_SKEW and now - self.stored < self.max_age

    def validators(self) -> dict[str, str]:
        """The conditional-request headers this entry can be revalidated with."""
        out = {}
        if self.etag:
            out["If-None-Match"] = self.etag
        if self.last_modified:
            out["If-Modified-Since"] = self.last_modified
        return out


def encode_files(files: Iterable[ServedFile]) -> bytes:
    """The files as an entry's compact body (:data:`FILES_TYPE`)."""
    rows = [
        [
            f.filename,
            f.url,
            dict(f.hashes),
            f.requires_python,
            f.yanked,
            None if f.metadata is None else dict(f.metadata),
        ]
        for f in files
    ]
    return json.dumps(rows, separators=(",", ":")).encode()


def decode_files(body: bytes) -> tuple[ServedFile, ...]:
    """The files of a compact body; ValueError when any field is not what it should be."""
    rows = json.loads(body, parse_constant=_reject)
    if type(rows) is not list:
        raise ValueError("not a list")
    out = []
    for row in rows:
        if type(row) is not list or len(row) != 6:
            raise ValueError("not a row")
        filename, url, hashes, requires_python, yanked, metadata = row
        if not (type(filename) is str and type(url) is str and _text_map(hashes)):
            raise ValueError("bad name, url or hashes")
        if not (_text_or_none(requires_python) and _text_or_none(yanked) and (metadata is None or _text_map(metadata))):
            raise ValueError("bad requires-python, yanked or metadata")
        out.append(ServedFile(filename, url, hashes, requires_python, yanked, metadata))
    return tuple(out)


def _text_map(value: object) -> bool:
    # a JSON object's keys are always strings
    return type(value) is dict and all(type(v) is str for v in value.values())


def _text_or_none(value: object) -> bool:
    return value is None or type(value) is str


def default_dir() -> str:
    """``REQ_HASHLINT_CACHE_DIR``, else the platform's user cache directory for req-hashlint."""
    explicit = os.environ.get("REQ_HASHLINT_CACHE_DIR")
    if explicit:
        return explicit
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or os.path.join(os.path.expanduser("~"), "AppData", "Local")
        return os.path.join(base, "req-hashlint", "Cache")
    if sys.platform == "darwin":
        return os.path.join(os.path.expanduser("~"), "Library", "Caches", "req-hashlint")
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg and os.path.isabs(xdg):
        return os.path.join(xdg, "req-hashlint")
    return os.path.join(os.path.expanduser("~"), ".cache", "req-hashlint")


def cache_key(url: str, accept: str, auth: tuple[str, str] | None) -> str:
    """The entry's name: the URL (credentials already removed), the Accept header and, when the
    request carries credentials, a hash of them (a page seen with one identity is not served
    to another)."""
    identity = hashlib.sha256(f"{auth[0]}\0{auth[1]}".encode()).hexdigest() if auth else ""
    return hashlib.sha256(f"{url}\n{accept}\n{identity}".encode()).hexdigest()


def max_age_of(headers: Mapping[str, str]) -> float | None:
    """Seconds a response may be used without asking again (capped at a day); None: no-store."""
    directives = [d.strip().lower() for d in headers.get("cache-control", "").split(",")]
    if "no-store" in directives:
        return None
    if "no-cache" in directives:
        return 0.0
    for d in directives:
        name, eq, value = d.partition("=")
        if eq and name.strip() == "max-age":
            value = value.strip().strip('"')
            if value.isdigit():
                return min(float(value), MAX_AGE_CAP)
            return 0.0
    return 0.0


class Cache:
    """Entries under ``<directory>/simple/``; ``directory=None`` turns the cache off."""

    __slots__ = ("enabled", "max_bytes", "root")

    def __init__(self, directory: str | None, *, max_bytes: int = 64 * 1024 * 1024) -> None:
        self.root = os.path.join(directory, "simple") if directory else ""
        self.enabled = bool(directory)
        self.max_bytes = max_bytes

    def path(self, key: str) -> str:
        return os.path.join(self.root, key[:2], key)

    def load(self, key: str) -> Entry | None:
        """The entry under ``key``, or None when absent or not to be trusted."""
        if not self.enabled:
            return None
        try:
            fd = os.open(self.path(key), os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0))
        except OSError:
            return None
        try:
            with os.fdopen(fd, "rb") as fh:
                header = fh.readline(_HEADER_MAX)
                if not header.endswith(b"\n"):
                    return None
                meta = _header(header)
                if meta is None or meta[0] > self.max_bytes:
                    return None
                body = fh.read(meta[0] + 1)
        except (OSError, ValueError):
            return None
        size, status, ctype, etag, last_modified, stored, max_age, url = meta
        if len(body) != size:
            return None
        return Entry(status, ctype, body, etag, last_modified, stored, max_age, url)

    def store(self, key: str, entry: Entry) -> None:
        """Write ``entry`` atomically; any failure turns caching off for this run."""
        if not self.enabled or len(entry.body) > self.max_bytes:
            return
        header = {
            "v": _FORMAT,
            "size": len(entry.body),
            "status": entry.status,
            "content_type": entry.content_type,
            "etag": entry.etag,
            "last_modified": entry.last_modified,
            "stored": entry.stored,
            "max_age": entry.max_age,
            "url": entry.url,
        }
        line = json.dumps(header, ensure_ascii=True).encode() + b"\n"
        if len(line) > _HEADER_MAX:
            return
        import tempfile

        final = self.path(key)
        tmp = ""
        try:
            os.makedirs(os.path.dirname(final), mode=0o700, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=os.path.dirname(final))
            with os.fdopen(fd, "wb") as fh:
                fh.write(line)
                fh.write(entry.body)
            os.replace(tmp, final)
        except OSError:
            self.enabled = False
            if tmp:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)


def _header(line: bytes) -> tuple[int, int, str, str | None, str | None, float, float, str] | None:
    """The header line's fields when every one has its type and a sane value, else None."""
    try:
        meta = json.loads(line, parse_constant=_reject)
    except (ValueError, RecursionError):
        return None
    if not isinstance(meta, dict) or meta.get("v") != _FORMAT:
        return None
    size, status, ctype = meta.get("size"), meta.get("status"), meta.get("content_type")
    etag, lm, stored, max_age = meta.get("etag"), meta.get("last_modified"), meta.get("stored"), meta.get("max_age")
    url = meta.get("url", "")
    if type(size) is not int or size < 0 or type(status) is not int or status not in (200, 404):
        return None
    if (
        not isinstance(ctype, str)
        or not isinstance(url, str)
        or not all(v is None or isinstance(v, str) for v in (etag, lm))
    ):
        return None
    if not all(type(v) in (int, float) for v in (stored, max_age)):
        return None
    stored_f, age_f = float(stored), float(max_age)  # type: ignore[arg-type]
    if not (math.isfinite(stored_f) and math.isfinite(age_f)) or stored_f < 0 or age_f < 0:
        return None
    if stored_f > time.time() + _CLOCK_SKEW:
        return None
    return size, status, ctype, etag, lm, stored_f, min(age_f, MAX_AGE_CAP), url


def _reject(name: str) -> None:
    raise ValueError(name)
