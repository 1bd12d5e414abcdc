"""A real package index on the loopback interface, for the index-evidence tests.

``IndexServer`` is a ``ThreadingHTTPServer`` on ``127.0.0.1:0`` serving the Simple Repository
API: ``/simple/<normalized>/`` as PEP 691 JSON when the ``Accept`` header asks for it, else as
PEP 503 HTML; ``/files/<filename>`` for the artifacts (refused with 403 unless
``allow_artifacts``, and always recorded in ``artifact_requests``) and ``/files/<filename>.metadata``
for PEP 658 metadata. Pages carry ``ETag``, ``Last-Modified`` and ``Cache-Control: max-age`` and
conditional requests get 304. Keyword ``variants`` make it hostile: statuses, redirects, delays,
huge or malformed bodies, gzip, required Basic auth.

``wheel()`` and ``sdist()`` build tiny valid distributions in memory (deterministic bytes) that
real pip installs: the wheel as is, the sdist with the tiny in-tree backend of the fidelity
harness (``requires = []``).

Any page path ``/<prefix>/<name>/`` serves project ``<name>`` (so a redirect to another path of
the same server lands on a page too); the root ``/simple/`` lists the projects.
"""

from __future__ import annotations

import base64
import gzip as _gzip
import hashlib
import html
import io
import json as _json
import socket
import tarfile
import threading
import time
from collections.abc import Collection, Mapping, Sequence
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import unquote, urlsplit

from packaging.utils import canonicalize_name

from ..fidelity import _backend

JSON_TYPE = "application/vnd.pypi.simple.v1+json"
HTML_TYPE = "application/vnd.pypi.simple.v1+html"
LAST_MODIFIED = 1577836800  # 2020-01-01, fixed: the pages are deterministic
_BACKEND = Path(__file__).resolve().parent.parent / "fidelity" / "_backend.py"
_PYPROJECT = '[build-system]\nrequires = []\nbuild-backend = "tiny_backend"\nbackend-path = ["."]\n'


class Artifact(NamedTuple):
    filename: str  # e.g. "alpha-1.0-py3-none-any.whl", "gamma-1.0.tar.gz"
    data: bytes  # the file's bytes (its sha256 is what the page advertises)
    requires_python: str | None = None
    yanked: str | None = None  # None: not yanked; "": yanked with no reason; else the reason
    metadata: bytes | None = None  # a PEP 658 .metadata file served beside it (None: none)
    metadata_hash: str | None = None  # advertised sha256 of the metadata; None: the true one

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


# -- tiny distributions ------------------------------------------------------------------------


def metadata_text(
    name: str, version: str, requires: Sequence[str] = (), extras: Mapping[str, Sequence[str]] | None = None
) -> str:
    return _backend.metadata_text(name, version, list(requires), {k: list(v) for k, v in (extras or {}).items()})


def wheel(
    name: str,
    version: str,
    tag: str = "py3-none-any",
    requires: Sequence[str] = (),
    extras: Mapping[str, Sequence[str]] | None = None,
    *,
    requires_python: str | None = None,
    yanked: str | None = None,
    serve_metadata: bool = True,
) -> Artifact:
    """A tiny valid wheel ``<name>-<version>-<tag>.whl`` (METADATA, WHEEL, RECORD), with its
    METADATA served beside it (PEP 658) unless ``serve_metadata=False``."""
    module = name.replace("-", "_").replace(".", "_")
    info = f"{module}-{version}.dist-info"
    meta = metadata_text(name, version, requires, extras)
    if requires_python:
        meta = meta.replace(f"Version: {version}\n", f"Version: {version}\nRequires-Python: {requires_python}\n", 1)
    purelib = "true" if tag.endswith("-any") else "false"
    tags = "".join(f"Tag: {t}\n" for t in _expand_tag(tag))
    files = {
        f"{module}/__init__.py": f"__version__ = {version!r}\n",
        f"{info}/METADATA": meta,
        f"{info}/WHEEL": f"Wheel-Version: 1.0\nGenerator: tiny\nRoot-Is-Purelib: {purelib}\n{tags}",
    }
    return Artifact(
        f"{module}-{version}-{tag}.whl",
        _backend.wheel_bytes(files, info),
        requires_python=requires_python,
        yanked=yanked,
        metadata=meta.encode() if serve_metadata else None,
    )


def _expand_tag(tag: str) -> list[str]:
    py, abi, plat = tag.split("-")
    return [f"{p}-{a}-{q}" for p in py.split(".") for a in abi.split(".") for q in plat.split(".")]


def sdist(name: str, version: str, *, requires_python: str | None = None, yanked: str | None = None) -> Artifact:
    """A tiny valid sdist ``<name>-<version>.tar.gz`` built by the fidelity harness's backend."""
    top = f"{name.replace('-', '_')}-{version}"
    files = {
        "pyproject.toml": _PYPROJECT,
        "tiny.json": _json.dumps({"name": name, "version": version, "requires": []}) + "\n",
        "tiny_backend.py": _BACKEND.read_text(),
        "PKG-INFO": f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n",
    }
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tf:
        for rel, text in sorted(files.items()):
            data = text.encode()
            info = tarfile.TarInfo(f"{top}/{rel}")
            info.size, info.mtime, info.mode = len(data), LAST_MODIFIED, 0o644
            tf.addfile(info, io.BytesIO(data))
    out = io.BytesIO()
    with _gzip.GzipFile(filename="", fileobj=out, mode="wb", mtime=0) as gz:
        gz.write(raw.getvalue())
    return Artifact(f"{top}.tar.gz", out.getvalue(), requires_python=requires_python, yanked=yanked)


# -- the pages ---------------------------------------------------------------------------------


def _metadata_value(a: Artifact) -> dict[str, str] | bool:
    if a.metadata is None:
        return False
    return {"sha256": a.metadata_hash or hashlib.sha256(a.metadata).hexdigest()}


def json_page(name: str, artifacts: Sequence[Artifact]) -> bytes:
    """The PEP 691 (API 1.1) page of one project; file URLs are absolute paths (/files/...)."""
    files: list[dict[str, Any]] = []
    for a in artifacts:
        entry: dict[str, Any] = {
            "filename": a.filename,
            "url": f"/files/{a.filename}",
            "hashes": {"sha256": a.sha256},
            "requires-python": a.requires_python,
            "size": len(a.data),
            "yanked": (a.yanked or True) if a.yanked is not None else False,
        }
        meta = _metadata_value(a)
        entry["core-metadata"] = meta
        entry["data-dist-info-metadata"] = meta
        files.append(entry)
    page = {"meta": {"api-version": "1.1"}, "name": name, "files": files, "versions": []}
    return _json.dumps(page).encode()


def html_page(name: str, artifacts: Sequence[Artifact]) -> bytes:
    """The PEP 503 page of one project, with PEP 592, 658 and 714 attributes."""
    out = [
        "<!DOCTYPE html>\n<html>\n<head>\n",
        '<meta name="pypi:repository-version" content="1.1">\n',
        f"<title>Links for {html.escape(name)}</title>\n</head>\n<body>\n<h1>Links for {html.escape(name)}</h1>\n",
    ]
    for a in artifacts:
        attrs = [f'href="{html.escape(f"/files/{a.filename}#sha256={a.sha256}")}"']
        if a.requires_python is not None:
            attrs.append(f'data-requires-python="{html.escape(a.requires_python)}"')
        if a.yanked is not None:
            attrs.append(f'data-yanked="{html.escape(a.yanked)}"')
        if a.metadata is not None:
            value = f"sha256={a.metadata_hash or hashlib.sha256(a.metadata).hexdigest()}"
            attrs.append(f'data-core-metadata="{value}" data-dist-info-metadata="{value}"')
        out.append(f"<a {' '.join(attrs)}>{html.escape(a.filename)}</a><br/>\n")
    out.append("</body>\n</html>\n")
    return "".join(out).encode()


def root_page(names: Collection[str], as_json: bool) -> bytes:
    if as_json:
        return _json.dumps({"meta": {"api-version": "1.1"}, "projects": [{"name": n} for n in sorted(names)]}).encode()
    links = "".join(f'<a href="/simple/{n}/">{n}</a><br/>\n' for n in sorted(names))
    return f"<!DOCTYPE html>\n<html><body>\n{links}</body></html>\n".encode()


# -- the server --------------------------------------------------------------------------------


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as a real index
    timeout = 10  # an idle keep-alive connection ends its thread
    server: _Server

    def setup(self) -> None:
        super().setup()
        # headers and body go out in two writes: without this, Nagle and delayed ACKs add 40 ms
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self.server.index._handle(self)

    def do_HEAD(self) -> None:
        self.server.index._handle(self)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    # socketserver's backlog of 5 overflows with 8 concurrent connections on a busy machine, and a
    # dropped SYN costs a 1 s retransmit, which no real index imposes
    request_queue_size = 128
    index: IndexServer


class IndexServer:
    """A Simple API index on 127.0.0.1, as a context manager.

    ``variants`` (all optional):

    - ``max_age`` (int | None, 600): ``Cache-Control: max-age``; None sends no Cache-Control;
    - ``etag`` / ``last_modified`` (bool, True): send the validators (and honour them);
    - ``status`` ({project: int}): answer that status for the project's page (401 adds
      ``WWW-Authenticate``); a project absent from ``projects`` is 404;
    - ``redirects`` ({path: location}, compared without the query): answer 302 (or
      ``redirect_status``) with that ``Location`` (absolute URL or path);
    - ``delay`` (float, or {project: float}): sleep that long before answering a page;
    - ``huge`` ({project: int}): a page of that many bytes, streamed (``huge_length=False``: no
      Content-Length, the connection closes at the end);
    - ``malformed`` (projects): a truncated JSON body (with the JSON content type);
    - ``bodies`` ({project: bytes}), ``content_types`` ({project: str}), ``headers``
      ({project: {name: value}}): raw body, content type, extra headers for hostile tests;
    - ``gzip`` (bool, False): gzip-encode the pages when the request accepts gzip;
      ``gzip_always`` (bool, False): even when it does not;
    - ``auth`` ((user, password) | None): require that Basic auth on every page (401 otherwise);
    - ``content_length`` (bool, True): False sends pages without Content-Length, ended by closing
      the connection (as HTTP/1.0 servers do);
    - ``drip`` ({project: float}): send the page 16 bytes at a time, that many seconds apart
      (each read is quick, the whole response is not).
    """

    def __init__(
        self,
        projects: Mapping[str, Sequence[Artifact]],
        *,
        json: bool = True,
        html: bool = True,
        allow_artifacts: bool = False,
        max_age: int | None = 600,
        etag: bool = True,
        last_modified: bool = True,
        status: Mapping[str, int] | None = None,
        redirects: Mapping[str, str] | None = None,
        redirect_status: int = 302,
        delay: float | Mapping[str, float] = 0.0,
        huge: Mapping[str, int] | None = None,
        huge_length: bool = True,
        malformed: Collection[str] = (),
        bodies: Mapping[str, bytes] | None = None,
        content_types: Mapping[str, str] | None = None,
        headers: Mapping[str, Mapping[str, str]] | None = None,
        gzip: bool = False,
        gzip_always: bool = False,
        auth: tuple[str, str] | None = None,
        auth_files: bool = False,
        content_length: bool = True,
        drip: Mapping[str, float] | None = None,
    ) -> None:
        self.projects: dict[str, list[Artifact]] = {canonicalize_name(k): list(v) for k, v in projects.items()}
        self.json, self.html, self.allow_artifacts = json, html, allow_artifacts
        self.max_age, self.etag, self.last_modified = max_age, etag, last_modified
        self.status = {canonicalize_name(k): v for k, v in (status or {}).items()}
        self.redirects = dict(redirects or {})
        self.redirect_status = redirect_status
        self.delay = delay
        self.huge = {canonicalize_name(k): v for k, v in (huge or {}).items()}
        self.huge_length = huge_length
        self.malformed = {canonicalize_name(k) for k in malformed}
        self.bodies = {canonicalize_name(k): v for k, v in (bodies or {}).items()}
        self.content_types = {canonicalize_name(k): v for k, v in (content_types or {}).items()}
        self.headers = {canonicalize_name(k): dict(v) for k, v in (headers or {}).items()}
        self.gzip, self.gzip_always = gzip, gzip_always
        self.auth = auth
        self.auth_files = auth_files  # the files (and .metadata) need the auth too, as on a private index
        self.content_length = content_length
        self.drip = {canonicalize_name(k): v for k, v in (drip or {}).items()}
        self.requests: list[str] = []  # every path requested (with its query), in order
        self.artifact_requests: list[str] = []  # /files/ paths other than .metadata
        self.request_headers: list[dict[str, str]] = []  # each request's headers, in order
        self.peers: list[int] = []  # each request's client port (one per connection kept alive)
        self.in_flight = 0
        self.max_in_flight = 0  # the most requests being answered at once
        self._lock = threading.Lock()
        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        self._httpd.index = self
        self.port: int = self._httpd.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.url = f"{self.base}/simple/"
        self._thread: threading.Thread | None = None

    def __enter__(self) -> IndexServer:
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(5)

    def page_url(self, project: str) -> str:
        return f"{self.url}{canonicalize_name(project)}/"

    @property
    def page_requests(self) -> list[str]:
        """The requests for project pages (not the root, artifacts or metadata)."""
        with self._lock:
            return [
                p for p in self.requests if not p.startswith("/files/") and urlsplit(p).path.strip("/").count("/") >= 1
            ]

    def clear(self) -> None:
        with self._lock:
            self.requests.clear()
            self.artifact_requests.clear()
            self.request_headers.clear()
            self.peers.clear()
            self.max_in_flight = 0

    # -- answering -----------------------------------------------------------------------------

    def _handle(self, h: _Handler) -> None:
        with self._lock:
            self.requests.append(h.path)
            self.request_headers.append({k.lower(): v for k, v in h.headers.items()})
            self.peers.append(h.client_address[1])
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            self._answer(h)
        finally:
            with self._lock:
                self.in_flight -= 1

    def _answer(self, h: _Handler) -> None:
        path = urlsplit(h.path).path
        if path in self.redirects:
            self._send(h, self.redirect_status, b"", "text/plain", {"Location": self.redirects[path]})
            return
        parts = [p for p in path.split("/") if p]
        if self.auth is not None and self.auth_files and not self._authorized(h):
            self._send(h, 401, b"unauthorized\n", "text/plain", {"WWW-Authenticate": 'Basic realm="index"'})
            return
        if parts and parts[0] == "files":
            self._file(h, unquote("/".join(parts[1:])))  # pip percent-encodes `+`: 1.0%2Blocal
            return
        if self.auth is not None and not self._authorized(h):
            self._send(h, 401, b"unauthorized\n", "text/plain", {"WWW-Authenticate": 'Basic realm="index"'})
            return
        accept = h.headers.get("Accept", "")
        if len(parts) <= 1:
            as_json = self.json and JSON_TYPE in accept
            self._send(h, 200, root_page(self.projects, as_json), JSON_TYPE if as_json else "text/html")
            return
        name = parts[-1]
        canonical = canonicalize_name(name)
        if canonical != name:  # as PyPI: the normalized page is the page
            self._send(h, 301, b"", "text/plain", {"Location": "/" + "/".join([*parts[:-1], canonical]) + "/"})
            return
        self._project(h, name, accept)

    def _authorized(self, h: _Handler) -> bool:
        assert self.auth is not None
        want = "Basic " + base64.b64encode(f"{self.auth[0]}:{self.auth[1]}".encode()).decode()
        return h.headers.get("Authorization") == want

    def _project(self, h: _Handler, name: str, accept: str) -> None:
        delay = self.delay.get(name, 0.0) if isinstance(self.delay, Mapping) else self.delay
        if delay:
            time.sleep(delay)
        extra = dict(self.headers.get(name, {}))
        if name in self.status:
            code = self.status[name]
            if code == 401:
                extra.setdefault("WWW-Authenticate", 'Basic realm="index"')
            self._send(h, code, f"status {code}\n".encode(), "text/plain", extra)
            return
        if name in self.huge:
            self._huge(h, self.huge[name])
            return
        if name in self.drip and name in self.projects:
            self._drip(h, json_page(name, self.projects[name]), self.drip[name])
            return
        if name in self.bodies:
            ctype = self.content_types.get(name, JSON_TYPE)
            self._send(h, 200, self.bodies[name], ctype, extra, cacheable=True)
            return
        if name not in self.projects:
            self._send(h, 404, b"not found\n", "text/plain", extra)
            return
        if self.json and (JSON_TYPE in accept or not self.html):
            body, ctype = json_page(name, self.projects[name]), JSON_TYPE
            if name in self.malformed:
                body = body[: max(1, len(body) // 2)]
        elif self.html:
            body = html_page(name, self.projects[name])
            ctype = HTML_TYPE if HTML_TYPE in accept else "text/html"
        else:
            self._send(h, 406, b"not acceptable\n", "text/plain", extra)
            return
        self._send(h, 200, body, self.content_types.get(name, ctype), extra, cacheable=True)

    def _file(self, h: _Handler, filename: str) -> None:
        if filename.endswith(".metadata"):
            target = filename[: -len(".metadata")]
            for files in self.projects.values():
                for a in files:
                    if a.filename == target and a.metadata is not None:
                        self._send(h, 200, a.metadata, "application/octet-stream")
                        return
            self._send(h, 404, b"not found\n", "text/plain")
            return
        with self._lock:
            self.artifact_requests.append(h.path)
        if not self.allow_artifacts:
            self._send(h, 403, b"artifact requests are refused by this test index\n", "text/plain")
            return
        for files in self.projects.values():
            for a in files:
                if a.filename == filename:
                    self._send(h, 200, a.data, "application/octet-stream")
                    return
        self._send(h, 404, b"not found\n", "text/plain")

    def _huge(self, h: _Handler, size: int) -> None:
        h.send_response(200)
        h.send_header("Content-Type", JSON_TYPE)
        if self.huge_length:
            h.send_header("Content-Length", str(size))
        else:
            h.send_header("Connection", "close")
            h.close_connection = True
        h.end_headers()
        head = b'{"meta": {"api-version": "1.1"}, "name": "huge", "files": ['
        chunk = b" " * 65536
        try:
            h.wfile.write(head[:size])
            left = size - len(head)
            while left > 0:
                h.wfile.write(chunk[: min(left, len(chunk))])
                left -= len(chunk)
        except OSError:  # the client stopped reading: what a bounded client does
            h.close_connection = True

    def _drip(self, h: _Handler, body: bytes, pause: float) -> None:
        h.send_response(200)
        h.send_header("Content-Type", JSON_TYPE)
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        try:
            for i in range(0, len(body), 16):
                h.wfile.write(body[i : i + 16])
                h.wfile.flush()
                time.sleep(pause)
        except OSError:
            h.close_connection = True

    def _send(
        self,
        h: _Handler,
        code: int,
        body: bytes,
        ctype: str,
        extra: Mapping[str, str] | None = None,
        *,
        cacheable: bool = False,
    ) -> None:
        headers: dict[str, str] = {}
        if cacheable:
            tag = '"' + hashlib.sha256(body + ctype.encode()).hexdigest()[:32] + '"'
            if self.etag:
                headers["ETag"] = tag
            if self.last_modified:
                headers["Last-Modified"] = formatdate(LAST_MODIFIED, usegmt=True)
            if self.max_age is not None:
                headers["Cache-Control"] = f"max-age={self.max_age}, public"
            headers["Vary"] = "Accept, Accept-Encoding"
            if self._not_modified(h, tag):
                code, body = 304, b""
        headers.update(extra or {})
        accepts_gzip = "gzip" in h.headers.get("Accept-Encoding", "")
        if body and code != 304 and cacheable and (self.gzip_always or (self.gzip and accepts_gzip)):
            body = _gzip.compress(body, mtime=0)
            headers["Content-Encoding"] = "gzip"
        h.send_response(code)
        h.send_header("Content-Type", ctype)
        if code != 304 and (self.content_length or not cacheable):
            h.send_header("Content-Length", str(len(body)))
        elif code != 304:
            h.send_header("Connection", "close")
            h.close_connection = True
        for k, v in headers.items():
            h.send_header(k, v)
        h.end_headers()
        if h.command != "HEAD" and code != 304:
            try:
                h.wfile.write(body)
            except OSError:
                h.close_connection = True

    def _not_modified(self, h: _Handler, tag: str) -> bool:
        inm = h.headers.get("If-None-Match")
        if inm is not None:
            return self.etag and tag in [t.strip() for t in inm.split(",")]
        ims = h.headers.get("If-Modified-Since")
        if ims and self.last_modified:
            try:
                return parsedate_to_datetime(ims).timestamp() >= LAST_MODIFIED
            except (TypeError, ValueError):
                return False
        return False
