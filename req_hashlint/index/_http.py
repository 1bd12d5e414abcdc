"""The only module that opens a connection: GET a project page, bounded in time and size.

The standard library's ``http.client``: one keep-alive connection per scheme, host and port in
each worker thread, gzip decoded with ``zlib`` under the same size bound as the body (no zip
bomb), redirects followed only to https or back to the scheme, host and port the user named,
credentials from the URL's userinfo or ``~/.netrc`` sent as Basic auth and dropped when the host
changes. Every failure is an :class:`HttpError` carrying a :class:`Cause` and a short detail
that never holds a credential.
"""

from __future__ import annotations

import base64
import contextlib
import os
import threading
import time
import zlib
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, NamedTuple
from urllib.parse import unquote, urljoin, urlsplit, urlunsplit

from .._redact import redact
from ._model import Cause

if TYPE_CHECKING:
    import http.client
    import socket

# http.client (with ssl, socket and email) is imported by the first request, not with this
# module: a warm run, every page fresh in the cache, never needs it.

MAX_BYTES = 64 * 1024 * 1024
MAX_REDIRECTS = 5
ACCEPT = "application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.01"
_CHUNK = 256 * 1024
_REDIRECTS = (301, 302, 303, 307, 308)
_RETURNED = (200, 203, 304, 404, 410)  # the statuses the caller reads; any other is STATUS


class HttpError(Exception):
    """A request that gave no usable answer: why (``cause``) and a short redacted ``detail``."""

    def __init__(self, cause: Cause, detail: str) -> None:
        self.cause = cause
        self.detail = redact(detail)
        super().__init__(self.detail)


class Response(NamedTuple):
    status: int  # 200, 203, 304, 404 or 410
    headers: Mapping[str, str]  # names lowercased
    body: bytes  # decoded (gzip removed); empty for a 304
    url: str  # the final URL, credentials removed


class Target(NamedTuple):
    scheme: str
    host: str
    port: int

    @property
    def origin(self) -> str:
        return f"{self.scheme}://{self.host}:{self.port}"


def split_auth(url: str) -> tuple[str, tuple[str, str] | None]:
    """``url`` without its userinfo, and the (user, password) it held (percent-decoded, as pip
    reads them), or None. A user alone has an empty password."""
    parts = urlsplit(url)
    netloc = parts.netloc
    if "@" not in netloc:
        return url, None
    userinfo, _, host = netloc.rpartition("@")
    user, _, password = userinfo.partition(":")
    return urlunsplit(parts._replace(netloc=host)), (unquote(user), unquote(password))


def target(url: str) -> Target:
    """The scheme, host and port a URL (without userinfo) connects to; ValueError if none."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise ValueError(f"unsupported scheme {scheme!r}")
    host = parts.hostname
    if not host:
        raise ValueError("no host")
    port = parts.port  # ValueError for a bad port
    return Target(scheme, host, port or (443 if scheme == "https" else 80))


def redirect_allowed(named: Target, to: Target) -> bool:
    """The redirect policy: to https anywhere, or to the very scheme, host and port the user named."""
    return to.scheme == "https" or to == named


def next_auth(
    named: Target,
    to: Target,
    original: tuple[str, str] | None,
    netrc_for: Callable[[str], tuple[str, str] | None],
) -> tuple[str, str] | None:
    """The credentials a redirected request carries: the user's own on the host they named, and
    on any other host only what ``~/.netrc`` holds for it (the Authorization never follows)."""
    return original if to.host == named.host else netrc_for(to.host)


def netrc_auth(host: str, path: str | None = None) -> tuple[str, str] | None:
    """(login, password) for ``host`` from ``path`` (default ``$NETRC``, else ``~/.netrc``), or
    None. A missing, unreadable or broken file is no credentials, never an error."""
    import netrc

    if path is None:
        path = os.environ.get("NETRC") or os.path.join(os.path.expanduser("~"), ".netrc")
    try:
        if not os.path.isfile(path):
            return None
        found = netrc.netrc(path).authenticators(host)
    except Exception:  # a broken netrc (parse error, permissions, encoding) is ignored
        return None
    if not found:
        return None
    login, _account, password = found
    return (login or "", password or "")


def basic(auth: tuple[str, str]) -> str:
    return "Basic " + base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode("ascii")


class Client:
    """GETs with keep-alive connections: one per (scheme, host, port) in each thread."""

    __slots__ = ("_all", "_local", "_lock", "_netrc", "max_bytes", "timeout", "user_agent")

    def __init__(self, *, timeout: float = 15.0, max_bytes: int = MAX_BYTES, user_agent: str = "req-hashlint") -> None:
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.user_agent = user_agent
        self._local = threading.local()
        self._netrc: dict[str, tuple[str, str] | None] = {}
        self._all: list[http.client.HTTPConnection] = []  # every connection opened, for close()
        self._lock = threading.Lock()

    def close(self) -> None:
        """Close every connection; call it when no thread uses the client any more."""
        with self._lock:
            conns, self._all = self._all, []
        for conn in conns:
            conn.close()

    def credentials(self, url: str) -> tuple[str, str] | None:
        """The credentials a request to ``url`` carries: its userinfo, else ``~/.netrc``'s."""
        bare, auth = split_auth(url)
        if auth is not None:
            return auth
        try:
            host = target(bare).host
        except ValueError:
            return None
        return self._netrc_for(host)

    def _netrc_for(self, host: str) -> tuple[str, str] | None:
        with self._lock:
            if host not in self._netrc:
                self._netrc[host] = netrc_auth(host)
            return self._netrc[host]

    def get(
        self, url: str, headers: Mapping[str, str] | None = None, *, auth: tuple[str, str] | None = None
    ) -> Response:
        """GET ``url`` (credentials in its userinfo, else ``auth``, else ``~/.netrc``'s),
        following allowed redirects."""
        bare, found = split_auth(url)
        auth = found or auth
        try:
            named = target(bare)
        except ValueError as exc:
            raise HttpError(Cause.CONNECTION, f"invalid index URL: {exc}") from None
        if auth is None:
            auth = self._netrc_for(named.host)
        original = auth
        deadline = time.monotonic() + self.timeout
        current, where = bare, named
        for _hop in range(MAX_REDIRECTS + 1):
            send = {"User-Agent": self.user_agent, "Accept-Encoding": "gzip", "Accept": ACCEPT, **(headers or {})}
            if auth is not None:
                send["Authorization"] = basic(auth)
            status, head, body = self._request(where, current, send, deadline)
            if status not in _REDIRECTS:
                if status not in _RETURNED:
                    raise HttpError(Cause.STATUS, f"{where.host}: HTTP {status}")
                return Response(status, head, body, current)
            location = head.get("location")
            if not location:
                raise HttpError(Cause.MALFORMED, f"{where.host}: HTTP {status} without a Location")
            nxt, _ = split_auth(urljoin(current, location.strip()))  # never credentials from a Location
            try:
                to = target(nxt)
            except ValueError as exc:
                raise HttpError(Cause.REDIRECT, f"{where.host}: redirect to an invalid URL ({exc})") from None
            if not redirect_allowed(named, to):
                raise HttpError(
                    Cause.REDIRECT, f"{where.host}: redirect to {to.origin} refused (not https, not {named.origin})"
                )
            auth = next_auth(named, to, original, self._netrc_for)
            current, where = nxt, to
        raise HttpError(Cause.REDIRECT, f"{named.host}: more than {MAX_REDIRECTS} redirects")

    # -- one exchange --------------------------------------------------------------------------

    def _connection(self, where: Target, timeout: float) -> tuple[http.client.HTTPConnection, bool]:
        import http.client

        conns: dict[Target, http.client.HTTPConnection] | None = getattr(self._local, "conns", None)
        if conns is None:
            conns = self._local.conns = {}
        conn = conns.get(where)
        if conn is not None:
            return conn, True
        if where.scheme == "https":
            import ssl

            conn = http.client.HTTPSConnection(
                where.host, where.port, timeout=timeout, context=ssl.create_default_context()
            )
        else:
            conn = http.client.HTTPConnection(where.host, where.port, timeout=timeout)
        conns[where] = conn
        with self._lock:
            self._all.append(conn)
        return conn, False

    def _drop(self, where: Target) -> None:
        conns: dict[Target, http.client.HTTPConnection] = getattr(self._local, "conns", {})
        conn = conns.pop(where, None)
        if conn is not None:
            conn.close()

    def _request(
        self, where: Target, url: str, send: Mapping[str, str], deadline: float
    ) -> tuple[int, dict[str, str], bytes]:
        import http.client

        parts = urlsplit(url)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        for attempt in (0, 1):
            left = deadline - time.monotonic()
            if left <= 0:
                raise HttpError(Cause.TIMEOUT, f"{where.host}: timed out after {self.timeout:g} s")
            conn, reused = self._connection(where, left)
            try:
                if conn.sock is not None:
                    conn.sock.settimeout(left)
                else:
                    conn.timeout = left
                conn.request("GET", path, headers=dict(send))
                sock = conn.sock
                resp = conn.getresponse()
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError) as exc:
                self._drop(where)
                if reused and attempt == 0:  # the server closed an idle keep-alive connection
                    continue
                raise HttpError(Cause.CONNECTION, f"{where.host}: {_why(exc)}") from None
            except BaseException as exc:
                self._drop(where)
                raise _mapped(where, exc, self.timeout) from None
            try:
                status, head, body = self._read(where, resp, sock, deadline)
            except BaseException as exc:
                self._drop(where)
                raise _mapped(where, exc, self.timeout) from None
            if resp.will_close:
                self._drop(where)
            return status, head, body
        raise HttpError(Cause.CONNECTION, f"{where.host}: connection closed")  # pragma: no cover

    def _read(
        self, where: Target, resp: http.client.HTTPResponse, sock: socket.socket | None, deadline: float
    ) -> tuple[int, dict[str, str], bytes]:
        head = {k.lower(): v for k, v in resp.getheaders()}
        status = resp.status
        if status in _REDIRECTS or status not in (200, 203):
            # Drain a small body to keep the connection; a big one closes it.
            length = head.get("content-length", "")
            if length.isdigit() and int(length) <= 65536:
                resp.read()
            else:
                resp.close()
                self._drop(where)
            return status, head, b""
        length = head.get("content-length", "")
        if length.isdigit() and int(length) > self.max_bytes:
            raise HttpError(Cause.TOO_LARGE, f"{where.host}: {int(length)} bytes (limit {self.max_bytes})")
        encoding = head.get("content-encoding", "identity").strip().lower()
        if encoding not in ("identity", "gzip", "x-gzip", ""):
            raise HttpError(Cause.MALFORMED, f"{where.host}: unsupported Content-Encoding {encoding[:40]!r}")
        inflate = zlib.decompressobj(16 + zlib.MAX_WBITS) if encoding in ("gzip", "x-gzip") else None
        out: list[bytes] = []
        total = 0
        raw = 0
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError
            if sock is not None:
                with contextlib.suppress(OSError):
                    sock.settimeout(left)
            chunk = resp.read1(_CHUNK)  # one receive: the deadline is checked between them
            if not chunk:
                resp.read()  # marks the response done, so the connection can be reused
                break
            raw += len(chunk)
            if raw > self.max_bytes:
                raise HttpError(Cause.TOO_LARGE, f"{where.host}: more than {self.max_bytes} bytes")
            if inflate is None:
                out.append(chunk)
                total += len(chunk)
            else:
                data = chunk
                while data:
                    piece = inflate.decompress(data, self.max_bytes - total + 1)
                    total += len(piece)
                    if total > self.max_bytes:
                        raise HttpError(Cause.TOO_LARGE, f"{where.host}: more than {self.max_bytes} bytes decompressed")
                    out.append(piece)
                    data = inflate.unconsumed_tail
                    if inflate.eof:
                        break
            if total > self.max_bytes:
                raise HttpError(Cause.TOO_LARGE, f"{where.host}: more than {self.max_bytes} bytes")
        if inflate is not None and not inflate.eof:
            raise HttpError(Cause.MALFORMED, f"{where.host}: truncated gzip body")
        return status, head, b"".join(out)


def _why(exc: BaseException) -> str:
    import http.client
    import socket

    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, socket.gaierror):
        return "host not found"
    if isinstance(exc, (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError)):
        return "connection closed by the server"
    if isinstance(exc, http.client.IncompleteRead):
        return "incomplete response"
    name = type(exc).__name__
    text = str(exc).splitlines()[0][:120] if str(exc) else ""
    return f"{name}: {text}" if text else name


def _mapped(where: Target, exc: BaseException, timeout: float) -> BaseException:
    """An exception from one exchange as an HttpError (KeyboardInterrupt and the like pass)."""
    import http.client

    if isinstance(exc, HttpError):
        return exc
    if not isinstance(exc, Exception):
        return exc
    if isinstance(exc, TimeoutError):  # socket.timeout is TimeoutError since 3.10
        return HttpError(Cause.TIMEOUT, f"{where.host}: timed out after {timeout:g} s")
    if isinstance(exc, zlib.error):
        return HttpError(Cause.MALFORMED, f"{where.host}: bad gzip body")
    if isinstance(exc, http.client.IncompleteRead):
        return HttpError(Cause.CONNECTION, f"{where.host}: incomplete response")
    if isinstance(exc, http.client.HTTPException):
        return HttpError(Cause.MALFORMED, f"{where.host}: {_why(exc)}")
    if isinstance(exc, OSError):
        return HttpError(Cause.CONNECTION, f"{where.host}: {_why(exc)}")
    return HttpError(Cause.MALFORMED, f"{where.host}: {_why(exc)}")
