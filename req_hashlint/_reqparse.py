"""Turn a requirement's text into an :class:`Entry`, the way pip reads it.

pip's ``parse_req_from_line``: a URL (http, https, file, ftp or a VCS scheme) splits its
marker at ``"; "``; anything else at the first ``";"``. A text that looks like a path is a
local directory, or an archive when it ends like one; the rest is a PEP 508 requirement,
parsed by ``packaging``, and so is every marker. packaging is imported lazily: it costs
more CPU to import than a whole ``python -c pass``, and ``name==version``, a lock's usual
line, never needs it (one regular expression, which accepts only versions packaging keeps
as written, settles it).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, NamedTuple

from ._model import Entry, EntryKind, Hash, HashBlock, Option, ParseError, Span

if TYPE_CHECKING:
    from packaging.requirements import Requirement

_NAME = r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?"
# The usual spellings of a PEP 440 version (lowercase, normalized separators): every string
# it matches is a version packaging accepts and keeps as written. Anything else, such as
# ``1.0-1``, ``v1.0`` or ``1.0.RC1``, goes to packaging. (Cheap to compile: no IGNORECASE.)
_VERSION = r"[0-9]+(?:\.[0-9]+)*(?:(?:a|b|rc)[0-9]+)?(?:\.post[0-9]+)?(?:\.dev[0-9]+)?(?:\+[a-z0-9]+(?:\.[a-z0-9]+)*)?"
_PIN_RE = re.compile(rf"({_NAME})[ \t]*==[ \t]*({_VERSION})[ \t]*")
_NORMALIZE_RE = re.compile(r"[-_.]+")
_SCHEME_RE = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
# (these and the other patterns are compiled on first use, by re's cache)
_EGG = r"[#&]egg=([^&]*)"
_URL_HASH = r"[#&](sha512|sha384|sha256|sha224|sha1|md5)=([^&]*)"
# pip's Link._project_name_re: what an egg fragment may hold (a project name alone)
_EGG_NAME = r"^([A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])$"

URL_SCHEMES = frozenset({"http", "https", "file", "ftp"})
VCS_SCHEMES = frozenset(
    {
        "bzr+file", "bzr+ftp", "bzr+http", "bzr+https", "bzr+lp", "bzr+sftp", "bzr+ssh",
        "git+file", "git+git", "git+http", "git+https", "git+ssh",
        "hg+file", "hg+http", "hg+https", "hg+ssh", "hg+static-http",
        "svn+file", "svn+http", "svn+https", "svn+ssh", "svn+svn",
    }
)  # fmt: skip
ARCHIVE_EXTENSIONS = (
    ".zip", ".whl", ".tar.bz2", ".tbz", ".tar.xz", ".txz", ".tlz", ".tar.lz", ".tar.lzma",
    ".tar.gz", ".tgz", ".tar",
)  # fmt: skip


def normalize_name(name: str) -> str:
    """PEP 503 normalization."""
    if "_" not in name and "." not in name and "--" not in name:
        return name.lower()  # no run of separators to collapse
    return _NORMALIZE_RE.sub("-", name).lower()


def url_scheme(text: str) -> str | None:
    """The scheme as ``urllib.parse.urlsplit`` sees it, lowercased, or None."""
    m = _SCHEME_RE.match(text)
    return m.group(1).lower() if m else None


def is_url(text: str) -> bool:
    scheme = url_scheme(text)
    return scheme is not None and (scheme in URL_SCHEMES or scheme in VCS_SCHEMES)


def is_archive(path: str) -> bool:
    return path.lower().endswith(ARCHIVE_EXTENSIONS)


def _without_extras(text: str) -> str:
    r"""``text`` without a trailing ``[extras]``, as ``re.match(r"^(.+)(\[[^\]]+\])$")`` splits it.

    In linear time: that expression takes quadratic time on a long run of ``[``.
    """
    close = len(text) - 1
    if close < 2 or text[close] != "]":
        return text
    start = text.rfind("[", max(1, text.rfind("]", 0, close) + 1), close - 1)
    return text[:start] if start > 0 else text


def _looks_like_path(text: str) -> bool:
    return "/" in text or "\\" in text or text.startswith(".")


def _plausible_path(text: str) -> bool:
    """Could this name a file or folder? (pip asks the disk; a linter only looks at the text.)"""
    if any(c.isspace() for c in text):
        return False
    colon = text.find(":")
    return colon < 0 or (colon == 1 and re.match(r"[A-Za-z]:[\\/]", text) is not None)


def _url_parts(url: str) -> tuple[str | None, tuple[str, str] | None]:
    """(project name from ``#egg=`` or a wheel file name, (algo, digest) fragment)."""
    m = re.search(_URL_HASH, url)
    frag_hash = (m.group(1), m.group(2)) if m else None
    egg = re.search(_EGG, url)
    if egg and egg.group(1):
        return egg.group(1).split("[", 1)[0] or None, frag_hash
    return _wheel(url)[0], frag_hash


def _wheel(url_or_path: str) -> tuple[str | None, str | None]:
    """The project name and version in a wheel file name (pip pins a wheel URL to that version)."""
    path = url_or_path.split("#", 1)[0].split("?", 1)[0]
    parts = path.rstrip("/").replace("\\", "/").rsplit("/", 1)[-1].split("-")
    if len(parts) >= 5 and parts[-1].lower().endswith(".whl"):
        return parts[0], parts[1]
    return None, None


def bad_egg_fragment(url: str) -> str | None:
    """A URL's ``#egg=value`` when the value is not a project name alone (pip refuses it), or None.

    pip 25.0 and later build a ``Link`` for every URL requirement and raise
    ``InvalidEggFragment`` for it (``models/link.py``): same search, same name pattern.
    """
    egg = re.search(_EGG, url)
    if egg is None or re.match(_EGG_NAME, egg.group(1), re.IGNORECASE) is not None:
        return None
    return f"#egg={egg.group(1)}"


def _requirement(text: str) -> Requirement | str:
    from packaging.requirements import InvalidRequirement, Requirement

    try:
        return Requirement(text)
    except InvalidRequirement as exc:
        return str(exc).split("\n", 1)[0]


def _marker(text: str, seen: dict[str, str | tuple[str]]) -> str | tuple[str]:
    """The normalized marker, or (error,). ``seen`` holds the markers already parsed in this
    file: a lock repeats a handful of them on hundreds of lines."""
    found = seen.get(text)
    if found is None:
        from packaging.markers import InvalidMarker, Marker

        try:
            found = str(Marker(text))
        except InvalidMarker as exc:
            found = (str(exc).split("\n", 1)[0],)
        seen[text] = found
    return found


def _exact_pin(req: Requirement) -> str | None:
    match list(req.specifier):
        case [spec] if spec.operator == "===" or (spec.operator == "==" and not spec.version.endswith(".*")):
            return spec.version
    return None


class _Parsed(NamedTuple):
    """What the text of a requirement says (the rest of an :class:`Entry` is where it is)."""

    kind: EntryKind
    name: str | None = None
    version: str | None = None
    specifier: str = ""
    marker: str | None = None
    url: str | None = None
    url_hash: tuple[str, str] | None = None
    error: str | None = None
    error_kind: ParseError | None = None
    extras: frozenset[str] = frozenset()


def parse_entry(
    text: str,
    *,
    editable: bool,
    span: Span,
    first_line: int,
    last_line: int,
    hashes: tuple[Hash, ...] | HashBlock,
    options: tuple[Option, ...],
    markers: dict[str, str | tuple[str]],
) -> Entry:
    """Classify and parse one requirement the way pip's ``parse_req_from_line`` does.

    ``markers`` caches the markers parsed so far (one dict per file).
    """
    p = _classify(text, editable, markers)
    return Entry(
        p.kind, text, span, first_line, last_line, p.name, normalize_name(p.name) if p.name else None,
        p.version, p.specifier, p.marker, p.url, hashes, p.url_hash, options, p.error, span if p.error else None,
        p.error_kind, p.extras,
    )  # fmt: skip


def _classify(text: str, editable: bool, markers: dict[str, str | tuple[str]]) -> _Parsed:
    if editable:
        if not is_url(text):
            return _Parsed(EntryKind.EDITABLE)
        name, frag = _url_parts(text)
        egg = bad_egg_fragment(text)
        kind = ParseError.EGG_FRAGMENT if egg is not None else None
        return _Parsed(EntryKind.EDITABLE, name=name, url=text, url_hash=frag, error=egg, error_kind=kind)

    url = is_url(text)
    req_part, sep, marker_text = text.partition("; " if url else ";")
    req_part = req_part.strip()
    marker: str | None = None
    if sep and marker_text.strip():
        parsed = _marker(marker_text.strip(), markers)
        if isinstance(parsed, tuple):
            if url:
                return _Parsed(EntryKind.URL, url=req_part, error=parsed[0], error_kind=ParseError.MARKER)
            return _Parsed(EntryKind.NAMED, error=parsed[0], error_kind=ParseError.MARKER)
        marker = parsed
    if url:
        return _url_entry(req_part, marker)
    m = _PIN_RE.fullmatch(req_part)
    if m is not None:  # `name==version`: never a path (no slash, no leading dot)
        return _Parsed(EntryKind.NAMED, m.group(1), m.group(2), f"=={m.group(2)}", marker)
    bare = _without_extras(req_part)
    if _looks_like_path(req_part) and _plausible_path(req_part):
        if is_archive(bare):
            at = req_part.split("@", 1)
            if not (len(at) == 2 and not _looks_like_path(at[0])):
                name, frag = _url_parts(bare)
                return _Parsed(EntryKind.PATH, name, _wheel(bare)[1], marker=marker, url=bare, url_hash=frag)
        elif "@" not in req_part or _looks_like_path(req_part.split("@", 1)[0]):
            return _Parsed(EntryKind.DIRECTORY, marker=marker, url=bare)

    req = _requirement(req_part)
    if isinstance(req, str):
        return _Parsed(EntryKind.NAMED, error=req, error_kind=ParseError.REQUIREMENT)
    if req.marker is not None and marker is None:
        marker = str(req.marker)
    if req.url:
        return _url_entry(req.url, marker, name=req.name, specifier=str(req.specifier))
    extras = frozenset(map(normalize_name, req.extras))
    return _Parsed(EntryKind.NAMED, req.name, _exact_pin(req), str(req.specifier), marker, extras=extras)


def _url_entry(url: str, marker: str | None, name: str | None = None, specifier: str = "") -> _Parsed:
    scheme = url_scheme(url) or ""
    derived, frag = _url_parts(url)
    name = name or derived
    if scheme in VCS_SCHEMES:
        kind = EntryKind.VCS
    elif scheme == "file" and not is_archive(url.split("#", 1)[0].split("?", 1)[0]):
        kind = EntryKind.DIRECTORY
    else:
        kind = EntryKind.URL
    egg = bad_egg_fragment(url)
    if egg is None:
        return _Parsed(kind, name, _wheel(url)[1] if kind is EntryKind.URL else None, specifier, marker, url, frag)
    kind = EntryKind.VCS if kind is EntryKind.VCS else EntryKind.URL
    return _Parsed(kind, name, None, specifier, marker, url, frag, egg, ParseError.EGG_FRAGMENT)
