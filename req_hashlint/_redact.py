"""Credentials in URLs: finding them, and redacting them from every message."""

from __future__ import annotations

import re

# scheme://userinfo@ ; userinfo has no '/', '@' or whitespace
_USERINFO_RE = re.compile(r"(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*://)(?P<userinfo>[^/@\s?#]*)@")
_ENV_ONLY_RE = re.compile(r"(?:\$\{[A-Z0-9_]+\})+")
_TOKEN_PREFIXES = ("ghp_", "gho_", "ghs_", "ghu_", "github_pat_", "glpat-", "pypi-", "__token__")
_TOKENISH_RE = re.compile(r"[A-Za-z0-9_\-.~%]{20,}")
MASK = "****"


def _is_env(part: str) -> bool:
    return _ENV_ONLY_RE.fullmatch(part) is not None


def secret_part(scheme: str, userinfo: str) -> str | None:
    """The part of ``userinfo`` that is a secret, or None.

    A password is a secret unless it is a ``${VAR}`` reference. A user name alone is one
    only over http(s) when it looks like a token (``__token__``, ``ghp_...``, a long random
    string); ``git@`` in an ssh URL is not.
    """
    user, colon, password = userinfo.partition(":")
    if colon:
        return password if password and not _is_env(password) else None
    if not user or _is_env(user):
        return None
    if scheme.lower().rstrip(":/").split("+")[-1] not in ("http", "https"):
        return None
    if user.startswith(_TOKEN_PREFIXES) or _TOKENISH_RE.fullmatch(user):
        return user
    return None


def find_credentials(text: str) -> list[tuple[int, int]]:
    """[start, end) offsets of every secret in ``text``."""
    found: list[tuple[int, int]] = []
    for m in _USERINFO_RE.finditer(text):
        secret = secret_part(m.group("scheme"), m.group("userinfo"))
        if secret is None:
            continue
        start = m.end("userinfo") - len(secret)
        found.append((start, m.end("userinfo")))
    return found


def redact(text: str) -> str:
    """``text`` with every URL secret (password or token) replaced by ``****``."""
    if "@" not in text:
        return text

    def sub(m: re.Match[str]) -> str:
        scheme, userinfo = m.group("scheme"), m.group("userinfo")
        user, colon, password = userinfo.partition(":")
        if colon:
            if password and not _is_env(password):
                return f"{scheme}{user}:{MASK}@"
            return m.group()
        if secret_part(scheme, userinfo) is not None:
            return f"{scheme}{MASK}@"
        return m.group()

    return _USERINFO_RE.sub(sub, text)
