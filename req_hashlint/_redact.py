"""Credentials in URLs: finding them, and redacting them from every message."""

from __future__ import annotations

import re
from bisect import bisect_right

TYPE_CHECKING = False  # not typing's: importing typing costs more than this module
if TYPE_CHECKING:
    from typing import Any

    from ._model import Finding

# scheme://userinfo@ ; the userinfo ends at the authority's last '@', as pip (urllib) reads it:
# `https://user:p@ss@host` has the password `p@ss`.
# A scheme is at most 32 characters: unbounded, a long word with an `@` costs quadratic time.
_USERINFO_RE = re.compile(r"(?P<scheme>[A-Za-z][A-Za-z0-9+.-]{0,31}://)(?P<userinfo>[^/\s?#]*)@")
# Redaction casts a wider net than detection: a URL whose `//` a path normalization made `/`
# or `\` (an include's path), and a userinfo holding `?` or `#` (pip would cut the URL there,
# but the writer meant it as part of the secret).
_REDACT_RE = re.compile(r"(?P<scheme>[A-Za-z][A-Za-z0-9+.-]{0,31}:[/\\]+)(?P<userinfo>[^/\\\s]*)@")
# The texts of a finding that can carry a file's content.
_FINDING_TEXTS = ("message", "project", "version", "path", "rel_path")
_ENV_ONLY_RE = re.compile(r"(?:\$\{[A-Z0-9_]+\})+")
_TOKEN_PREFIXES = ("ghp_", "gho_", "ghs_", "ghu_", "github_pat_", "glpat-", "pypi-", "__token__")
_TOKENISH_RE = re.compile(r"[A-Za-z0-9_\-.~%]{20,}")
MASK = "****"


def _is_env(part: str) -> bool:
    return _ENV_ONLY_RE.fullmatch(part) is not None


def secret_part(scheme: str, userinfo: str) -> str | None:
    """The part of ``userinfo`` that is a secret, or None.

    A password is a secret unless it is a ``${VAR}`` reference. A user name alone is one
    when it has a token's prefix (``ghp_...``, ``pypi-...``) whatever the scheme, or over
    http(s) when it looks like a token (``__token__``, a long random string); ``git@`` in an
    ssh URL is not.
    """
    user, colon, password = userinfo.partition(":")
    if colon:
        return password if password and not _is_env(password) else None
    if not user or _is_env(user):
        return None
    if user.startswith(_TOKEN_PREFIXES):
        return user
    if scheme.lower().rstrip(":/\\").split("+")[-1] not in ("http", "https"):
        return None
    return user if _TOKENISH_RE.fullmatch(user) else None


def _spans(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    found: list[tuple[int, int]] = []
    for m in pattern.finditer(text):
        secret = secret_part(m.group("scheme"), m.group("userinfo"))
        if secret is not None:
            found.append((m.end("userinfo") - len(secret), m.end("userinfo")))
    return found


def find_credentials(text: str) -> list[tuple[int, int]]:
    """[start, end) offsets of every secret in ``text`` (what RH202 reports)."""
    return _spans(_USERINFO_RE, text)


def secret_spans(text: str) -> list[tuple[int, int]]:
    """[start, end) offsets of everything redaction masks in ``text``, in order."""
    return _spans(_REDACT_RE, text) if "@" in text else []


def excerpt(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> str:
    """``text[start:end]`` with every secret, or the part of one inside it, masked.

    ``spans`` comes from :func:`secret_spans` on the whole of ``text``: a piece cut out of a
    long line may hold a secret whose URL it no longer shows, which no pattern would find.
    """
    out: list[str] = []
    pos = start
    for s, e in spans[bisect_right(spans, start, key=lambda span: span[1]) :]:
        if s >= end:
            break
        out.append(text[pos : max(s, pos)])
        out.append(MASK)
        pos = min(e, end)
    out.append(text[pos:end])
    return "".join(out)


def redact(text: str) -> str:
    """``text`` with every URL secret (password or token) replaced by ``****``."""
    spans = secret_spans(text)
    return excerpt(text, 0, len(text), spans) if spans else text


def redacted_fields(finding: Finding) -> dict[str, Any]:
    """The texts of ``finding`` that hold a secret, each with it masked (empty: none do)."""
    out: dict[str, Any] = {}
    for name in _FINDING_TEXTS:
        value = getattr(finding, name)
        if value and "@" in value:
            masked = redact(value)
            if masked != value:
                out[name] = masked
    return out
