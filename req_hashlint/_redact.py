"""Credentials in URLs: finding them, and redacting them from every message and stderr line.

What pip sends is the oracle (``pip._internal.utils.misc.split_auth_from_netloc`` after
``urllib.parse.urlsplit``): the netloc runs from ``//`` to the first ``/``, ``?`` or ``#``, and
its userinfo is everything before the netloc's LAST ``@``, whatever characters it holds
(``\\``, ``@``, ``:``, spaces in a quoted option value). A password written with a raw ``/``,
``?`` or ``#`` (``https://user:pa/ss@host/``) makes pip read no userinfo at all (``pa`` is a
bad port), but it is still the writer's secret: when the netloc is ``name:X`` with no ``@`` and
``X`` is not a port, the userinfo runs on to the URL's last ``@``. So does a userinfo that
already holds a raw ``@`` (``user:p@ss/word@host``). Masking more than pip would is the safe way
to be wrong; a ``${VAR}`` reference is never a secret.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._model import Finding, ReqFile

# A scheme is at most 32 characters: unbounded, a long word with a `:` costs quadratic time.
# Detection wants `scheme://`; redaction also takes a URL whose `//` a path normalization made
# `/` or `\` (an include's path).
# (These are compiled on first use, by re's own cache: most runs meet no `@` and never need them.)
_URL = r"[A-Za-z][A-Za-z0-9+.-]{0,31}://"
_LOOSE_URL = r"[A-Za-z][A-Za-z0-9+.-]{0,31}:[/\\]+"
# Where a URL ends in free text: at whitespace, unless a backslash escapes it (shlex).
_WORD = r"(?s)[^\s\\]*(?:\\.[^\s\\]*)*\\?"
_NETLOC_END = r"[/?#]"
# A netloc with a `:` that is a host and a port, not `user:password`: a name or an IPv6
# literal, and digits (`https://u:/pw@h` is a password, though urllib reads an empty port).
_HOST = r"(?:[^:\[]*|\[[0-9A-Fa-f:.]*\])(?::[0-9]+)?"
# The texts of a finding that can carry a file's content.
_FINDING_TEXTS = ("message", "project", "version", "path", "rel_path")
_ENV_ONLY = r"(?:\$\{[A-Z0-9_]+\})+"  # pip's ${VAR}, and only that
_TOKEN_PREFIXES = ("ghp_", "gho_", "ghs_", "ghu_", "github_pat_", "glpat-", "pypi-", "__token__")
_TOKENISH = r"[A-Za-z0-9_\-.~%]{20,}"
MASK = "****"


def _is_env(part: str) -> bool:
    return re.fullmatch(_ENV_ONLY, part) is not None


def _http(scheme: str) -> bool:
    return scheme.lower().rstrip(":/\\").split("+")[-1] in ("http", "https")


def secret_part(scheme: str, userinfo: str, *, report: bool = True) -> str | None:
    """The part of ``userinfo`` that is a secret, or None.

    A password is a secret unless it is empty or a ``${VAR}`` reference. A user name alone
    is a token pip sends over http(s): redaction (``report=False``) masks every one, as pip's
    own ``redact_auth_from_url`` does. RH202 (``report=True``) reports one with a token's
    prefix (``ghp_...``, ``pypi-...``) whatever the scheme, or over http(s) one that looks
    like a token (``__token__``, a long random string); ``git@`` in an ssh URL is neither.
    """
    user, colon, password = userinfo.partition(":")
    if colon:
        return password if password and not _is_env(password) else None
    if not user or _is_env(user):
        return None
    if user.startswith(_TOKEN_PREFIXES):
        return user
    if not _http(scheme):
        return None
    return user if not report or re.fullmatch(_TOKENISH, user) else None


class _Scan:
    """Facts about ``text`` found once and reused by every URL in it: each search below runs
    forward, so a line of many URLs costs linear time, not quadratic."""

    __slots__ = ("host_re", "netloc_end_re", "next_at", "next_nl", "text", "word_end", "word_last_at", "word_re")

    def __init__(self, text: str) -> None:
        self.text = text
        self.word_re, self.netloc_end_re, self.host_re = re.compile(_WORD), re.compile(_NETLOC_END), re.compile(_HOST)
        self.word_end = self.word_last_at = self.next_at = self.next_nl = -1

    def word(self, start: int) -> tuple[int, int]:
        """The end of the word that ``start`` is in (free text: URLs end at whitespace) and
        the offset of the word's last ``@`` (-1: none)."""
        if start >= self.word_end:
            m = self.word_re.match(self.text, start)
            self.word_end = m.end() if m is not None else start
            self.word_last_at = self.text.rfind("@", start, self.word_end)
        return self.word_end, self.word_last_at

    def at_after(self, pos: int) -> int:
        """The first ``@`` on the same line at or after ``pos``, or -1."""
        text, n = self.text, len(self.text)  # n: none left in the text
        if self.next_at < pos:
            found = text.find("@", pos)
            self.next_at = found if found >= 0 else n
        if self.next_nl < pos:
            found = text.find("\n", pos)
            self.next_nl = found if found >= 0 else n
        return self.next_at if self.next_at < self.next_nl else -1  # (an `@` is never a line end)


def _userinfo_end(scan: _Scan, start: int, end: int, last_at: int, *, free: bool) -> tuple[int, int]:
    """The offset of the ``@`` that ends the userinfo of the URL whose authority starts at
    ``start`` and which ends at ``end`` (its last ``@``: ``last_at``), -1 when it has none;
    and the end of its netloc."""
    text = scan.text
    netloc_end = scan.netloc_end_re.search(text, start, end)
    stop = netloc_end.start() if netloc_end is not None else end
    at = text.rfind("@", start, stop)
    if at >= 0:
        colon = text.find(":", start, at)
        if colon < 0 or text.find("@", start, at) < 0:
            return at, stop  # what pip sends, exactly
    elif text.find(":", start, stop) < 0 or scan.host_re.fullmatch(text, start, stop):
        return -1, stop  # a host (and port): no userinfo
    # `name:X` with a raw `/`, `?`, `#` or `@` in X: the secret runs to the URL's last `@`
    last = last_at if last_at >= stop else -1
    if last < 0 and at < 0 and free:
        # a password with a space in it (a quoted option value), echoed in free text
        first = scan.at_after(end)
        if first >= 0:
            last = scan.word(first)[1]
    return max(last, at), stop


def _spans(url: str, text: str, *, report: bool, whole: bool) -> list[tuple[int, int]]:
    found: list[tuple[int, int]] = []
    scan = _Scan(text)
    pattern = re.compile(url)
    last_in_text = text.rfind("@")
    pos = 0
    while True:
        m = pattern.search(text, pos)
        if m is None:
            return found
        start = m.end()
        if whole:
            end, last_at = len(text), last_in_text if last_in_text >= start else -1
        elif m.start() > 0 and text[m.start() - 1] in "\"'":  # a quoted URL ends at its quote
            q = text.find(text[m.start() - 1], start)
            end = q if q >= 0 else len(text)
            last_at = text.rfind("@", start, end)
        else:
            end, last_at = scan.word(start)
        if last_at < 0 and whole:
            return found
        at, stop = _userinfo_end(scan, start, end, last_at, free=not whole)
        if at < 0:
            # No URL that starts inside this one's netloc has a userinfo either (it would end
            # at the same `/`, `?` or `#`, with no `@` before it). Its scheme may start there.
            pos = max(start, stop - 33)
            continue
        secret = secret_part(m.group(), text[start:at], report=report)
        if secret is not None:
            found.append((at - len(secret), at))
        pos = at + 1


def find_credentials(text: str, *, whole: bool = False) -> list[tuple[int, int]]:
    """[start, end) offsets of every secret in ``text`` (what RH202 reports). ``whole``: ``text``
    is one URL value (an option's value, an include target), which may hold spaces."""
    return _spans(_URL, text, report=True, whole=whole) if "@" in text else []


def secret_spans(text: str, *, whole: bool = False) -> list[tuple[int, int]]:
    """[start, end) offsets of everything redaction masks in ``text``, in order."""
    return _spans(_LOOSE_URL, text, report=False, whole=whole) if "@" in text else []


def excerpt(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> str:
    """``text[start:end]`` with every secret, or the part of one inside it, masked. ``spans``
    come from the whole ``text``: a piece may hold a secret whose URL it no longer shows."""
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


def redact(text: str, *, whole: bool = False) -> str:
    """``text`` with every URL secret (password or token) replaced by ``****`` (``whole``: as
    for :func:`find_credentials`)."""
    spans = secret_spans(text, whole=whole)
    return excerpt(text, 0, len(text), spans) if spans else text


def _mask(text: str, values: tuple[str, ...]) -> str:
    """``text`` redacted, each of ``values`` in it first masked as one whole URL."""
    for value in values:
        if value in text:
            masked = redact(value, whole=True)
            if masked != value:
                text = text.replace(value, masked)
    return redact(text)


def spaced_values(file: ReqFile | None) -> tuple[str, ...]:
    """The URL values of ``file`` that hold whitespace: an option's value or an include's
    target that pip's shlex read whole from quotes. A message that echoes one shows the space,
    where a URL in free text would end; each is masked as one URL (``redacted_fields``)."""
    if file is None:
        return ()
    found = [i.target for i in file.includes]
    found += [o.value for o in file.options if o.value]
    found += [o.value for e in file.entries for o in e.options if o.value]
    return tuple(v for v in found if "@" in v and len(v.split(None, 1)) > 1)


def redacted_fields(finding: Finding, values: tuple[str, ...] = ()) -> dict[str, Any]:
    """The texts of ``finding`` that hold a secret, masked (``values``: its file's ``spaced_values``)."""
    out: dict[str, Any] = {}
    for name in _FINDING_TEXTS:
        value = getattr(finding, name)
        if value and "@" in value:
            masked = _mask(value, values)
            if masked != value:
                out[name] = masked
    return out


# -- escaping: what the terminal, a CI log or GitHub's runner sees -----------------------------

# C0 and C1 controls, DEL, the line and paragraph separators, every bidirectional control
# (marks, embeddings, overrides, isolates) that can reorder a terminal line, and lone
# surrogates (an undecodable file name), which no UTF-8 stream or file can take.
# (compiled on first use, by re's cache: it costs more than the rest of a clean run's report,
# and printable ASCII, nearly every message, has none of these)
UNSAFE = "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ud800-\udfff]"


def neutralize(text: str) -> str:
    """Escape control characters so file content cannot forge lines or drive the terminal."""
    if text.isascii() and text.isprintable():
        return text
    unsafe = re.compile(UNSAFE)
    if unsafe.search(text) is None:
        return text
    return unsafe.sub(
        lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}", text
    )


def safe_path(path: str) -> str:
    """``path`` escaped to start a printed line: never a CI runner's command (GitHub's ``::``
    or ``##[``, Azure's ``##vso[`` after leading whitespace); such a path is shown as ``./path``."""
    path = neutralize(path)
    return "./" + path if path.lstrip().startswith(("::", "##")) else path


def safe_line(text: str, *, values: tuple[str, ...] = ()) -> str:
    """One line for stderr: secrets masked, controls escaped, never a workflow command.
    ``values`` (command-line words) are each masked as one URL, a secret with a space too."""
    return safe_path(_mask(text, tuple(v for v in values if "@" in v)))
