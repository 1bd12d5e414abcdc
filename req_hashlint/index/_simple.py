"""Simple Repository API pages to :class:`ServedFile` tuples: PEP 691 JSON and PEP 503 HTML.

Hash algorithms and digests are lowercased, file URLs made absolute against the page URL (or an
HTML ``<base href>``) with any credentials removed, ``yanked`` read per PEP 592/691 and the core
metadata per PEP 658/714. Anything unexpected is a :class:`MalformedPage` with a short reason.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit, urlunsplit

from ._model import ServedFile

JSON_TYPE = "application/vnd.pypi.simple.v1+json"
HTML_TYPES = ("application/vnd.pypi.simple.v1+html", "text/html")
# pip's Link: a hash in the URL is one of these names, lowercase, after `#` or `&`, up to `&`
_URL_HASH = re.compile(r"[#&](sha512|sha384|sha256|sha224|sha1|md5)=([^&]*)")


class MalformedPage(ValueError):
    """A page that is not a Simple API page we can read; ``str()`` is a short reason."""


def page_url(index: str, project: str) -> str:
    """The project page under an index URL, as pip builds it (normalized name, trailing slash)."""
    from packaging.utils import canonicalize_name

    base = index if index.endswith("/") else index + "/"
    return f"{base}{canonicalize_name(project)}/"


def _bare(url: str) -> str:
    parts = urlsplit(url)
    if "@" in parts.netloc:
        parts = parts._replace(netloc=parts.netloc.rpartition("@")[2])
    return urlunsplit(parts)


def _resolver(base: str) -> Callable[[str], str]:
    """``link`` made absolute against ``base``, credentials removed: ``urljoin`` but for the two
    common shapes (an absolute URL, an absolute path), which are 50 times faster this way."""
    parts = urlsplit(base)
    origin = f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}"

    def resolve(link: str) -> str:
        if "@" not in link and "/." not in link and "\\" not in link:
            if link.startswith(("https://", "http://")):
                return link
            if link.startswith("/") and not link.startswith("//"):
                return origin + link
        return _bare(urljoin(base, link))

    return resolve


def _version_ok(version: object) -> None:
    if not isinstance(version, str):
        raise MalformedPage("api-version is not a string")
    major = version.partition(".")[0]
    if major != "1":
        raise MalformedPage(f"unsupported api-version {version[:20]!r}")


def _hashes(value: object, what: str) -> dict[str, str]:
    if not isinstance(value, dict):
        raise MalformedPage(f"{what} is not an object")
    out: dict[str, str] = {}
    for algo, digest in value.items():
        if not isinstance(algo, str) or not isinstance(digest, str):
            raise MalformedPage(f"{what} holds a non-string")
        out[algo.lower()] = digest.lower()
    return out


def _metadata(value: object) -> dict[str, str] | None:
    if value is None or value is False:
        return None
    if value is True:
        return {}
    return _hashes(value, "core-metadata")


def parse_json(body: bytes, url: str) -> tuple[ServedFile, ...]:
    """The files of a PEP 691 JSON project page fetched from ``url``."""
    try:
        page: Any = json.loads(body, parse_constant=_no_constant)
    except (ValueError, RecursionError) as exc:  # UnicodeDecodeError is a ValueError
        raise MalformedPage(f"invalid JSON ({type(exc).__name__})") from None
    if not isinstance(page, dict):
        raise MalformedPage("the page is not a JSON object")
    meta = page.get("meta")
    if not isinstance(meta, dict):
        raise MalformedPage("no meta object")
    _version_ok(meta.get("api-version"))
    files = page.get("files")
    if not isinstance(files, list):
        raise MalformedPage("no files list")
    out: list[ServedFile] = []
    resolve = _resolver(url)
    for f in files:
        if not isinstance(f, dict):
            raise MalformedPage("a file entry is not an object")
        filename, link = f.get("filename"), f.get("url")
        if not isinstance(filename, str) or not isinstance(link, str):
            raise MalformedPage("a file entry has no filename or url string")
        if "hashes" not in f:
            raise MalformedPage("a file entry has no hashes")
        hashes = _hashes(f["hashes"], "hashes")
        if "#" in link or "&" in link:  # pip adds a hash in the URL to the listed ones (it wins)
            found = _URL_HASH.search(link)
            if found:
                hashes[found.group(1)] = found.group(2).lower()
        rp = f.get("requires-python")
        if rp is not None and not isinstance(rp, str):
            raise MalformedPage("requires-python is not a string")
        yanked = f.get("yanked", False)
        if isinstance(yanked, bool):
            reason = "" if yanked else None
        elif isinstance(yanked, str):
            reason = yanked or None  # pip reads an empty reason in JSON as not yanked
        else:
            raise MalformedPage("yanked is neither a boolean nor a string")
        meta_value = f.get("core-metadata")
        if meta_value is None:  # PEP 714: the older names, as pip falls back to them
            meta_value = f.get("dist-info-metadata")
        out.append(ServedFile(filename, resolve(link), hashes, rp or None, reason, _metadata(meta_value)))
    return tuple(out)


def _no_constant(name: str) -> None:
    raise ValueError(f"JSON constant {name}")


class _Anchors:
    """What an HTML page's tags say (fed by an HTMLParser, imported only for an HTML page)."""

    __slots__ = ("base", "based", "files", "version")

    def __init__(self, url: str) -> None:
        self.base = url
        self.based = False
        self.version: str | None = None
        self.files: list[ServedFile] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "base" and not self.based:
            href = dict(attrs).get("href")
            if href:
                self.base, self.based = urljoin(self.base, href), True
        elif tag == "meta":
            a = dict(attrs)
            if a.get("name") == "pypi:repository-version" and self.version is None:
                self.version = a.get("content") or ""
        elif tag == "a":
            self._anchor(dict(attrs))

    def _anchor(self, a: dict[str, str | None]) -> None:
        href = a.get("href")
        if not href:
            return
        link = _bare(urljoin(self.base, href.strip()))
        parts = urlsplit(link)
        filename = unquote(parts.path.rsplit("/", 1)[-1])
        if not filename:
            return
        found = _URL_HASH.search(link)
        hashes = {found.group(1): found.group(2).lower()} if found else {}
        # As pip reads an anchor (Link.from_element): an attribute written without a value is
        # absent, "true" is metadata without hashes, and a value without "=" too.
        reason = a.get("data-yanked")
        raw = a.get("data-core-metadata")
        if raw is None:
            raw = a.get("data-dist-info-metadata")
        metadata: dict[str, str] | None = None
        if raw is not None:
            algo, eq, digest = raw.partition("=")
            metadata = {algo.lower(): digest.lower()} if eq and raw != "true" else {}
        rp = a.get("data-requires-python")
        self.files.append(
            ServedFile(filename, urlunsplit(parts._replace(fragment="")), hashes, rp or None, reason, metadata)
        )


def parse_html(body: bytes, url: str) -> tuple[ServedFile, ...]:
    """The files of a PEP 503 HTML project page fetched from ``url``."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise MalformedPage("the HTML page is not UTF-8") from None
    from html.parser import HTMLParser

    anchors = _Anchors(url)

    class _Parser(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            anchors.handle_starttag(tag, attrs)

    parser = _Parser(convert_charrefs=True)
    try:
        parser.feed(text)
        parser.close()
    except (ValueError, AssertionError, RecursionError) as exc:
        raise MalformedPage(f"unreadable HTML ({type(exc).__name__})") from None
    if anchors.version is not None:
        _version_ok(anchors.version)
    return tuple(anchors.files)


def parse(body: bytes, url: str, content_type: str) -> tuple[ServedFile, ...]:
    """A page by its content type: PEP 691 JSON, else HTML; any other type is malformed."""
    ctype = content_type.partition(";")[0].strip().lower()
    if ctype == JSON_TYPE:
        return parse_json(body, url)
    if ctype in HTML_TYPES:
        return parse_html(body, url)
    raise MalformedPage(f"unexpected content type {ctype[:60]!r}" if ctype else "no content type")
