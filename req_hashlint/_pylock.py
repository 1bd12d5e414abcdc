"""pylock.toml (PEP 751): the lock's text to a ``ReqFile`` whose entries are its packages.

tomllib (tomli before 3.11) parses; a small scanner over the same text finds where each value
is (the TOML libraries give no positions); ``packaging.pylock`` (packaging 26 or later,
imported only here) validates. What pip would refuse becomes ``Issue`` facts for the rules.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Mapping
from typing import Any

from ._model import (
    Artifact,
    Entry,
    EntryKind,
    Hash,
    HashBlock,
    Issue,
    IssueKind,
    Locked,
    LockHead,
    Option,
    ReqFile,
    Span,
)
from ._reqparse import normalize_name
from ._source import ReadError

_Path = tuple[str | int, ...]

_NAME_RE = re.compile(r"pylock\.[^.]+\.toml")


def is_pylock(path: str) -> bool:
    """Whether the file is a PEP 751 lock by its name (``packaging.pylock.is_valid_pylock_path``)."""
    name = path.replace("\\", "/").rpartition("/")[2]
    return name == "pylock.toml" or _NAME_RE.fullmatch(name) is not None


# -- positions: a scanner over text tomllib has accepted ---------------------------------------
_BLANK = re.compile(r"(?:[ \t\r\n]|#[^\n]*)*")  # blanks, line ends and comments
_SPACE = re.compile(r"[ \t]*")
_BARE = re.compile(r"[A-Za-z0-9_-]+")
_BASIC = re.compile(r'"(?:[^"\\\n]|\\.)*"')
_LITERAL = re.compile(r"'[^'\n]*'")
_STRINGS = {
    '"""': re.compile(r'"""(?:[^\\]|\\.)*?""""{0,2}', re.S),
    "'''": re.compile(r"'''.*?''''{0,2}", re.S),
    '"': _BASIC,
    "'": _LITERAL,
}
_SCALAR = re.compile(r"\d{4}-\d\d-\d\d[Tt ]\d\d:\d\d[^\s,\]}#]*|[^\s,\]}#]+")
# A one-line inline table of strings and scalars, at most one table deep (a lock's artifact:
# `{ url = "...", size = 1, hashes = { sha256 = "..." } }`): where it ends, in one match. Each
# alternative starts with its own characters, so a failing match does not backtrack; a string
# followed by its own quote is the start of a multi-line one (`"""`), which is walked instead.
_ONE_LINE_STR = r""""(?:[^"\\\n]|\\.)*"(?!")|'[^'\n]*'(?!')"""
_PLAIN = r"""[^{}\[\]"'\n#]"""
_INLINE = re.compile(rf"\{{(?:{_PLAIN}|{_ONE_LINE_STR}|\{{(?:{_PLAIN}|{_ONE_LINE_STR})*\}})*\}}")
# An array of such tables, over lines, with comments (a lock's `wheels`), likewise in one match.
_ARRAY = re.compile(rf"\[(?:[ \t\r\n,]|#[^\n]*\n|{_INLINE.pattern})*\]")  # (a comment ends with its line)


class _Scan:
    """Where each value of a valid TOML document is: path -> (start, end) offsets; a table
    opened by a header has its header's offsets. A one-line inline table, and an array of them,
    is placed whole (``folded``); the places inside it are found when asked for (``unfold``)."""

    __slots__ = ("aot", "fold", "folded", "pos", "spans", "text")

    def __init__(self, text: str, *, fold: bool = True) -> None:
        self.text, self.pos, self.fold = text, 0, fold
        self.spans: dict[_Path, tuple[int, int]] = {}
        self.folded: set[_Path] = set()
        self.aot: dict[_Path, int] = {}  # array of tables -> how many so far
        table: _Path = ()
        while True:
            self.pos = _BLANK.match(text, self.pos).end()  # type: ignore[union-attr]
            if self.pos >= len(text):
                break
            start = self.pos
            if text.startswith("[[", start):
                self.pos += 2
                keys = self._keys()
                array = self._resolve(keys[:-1]) + keys[-1:]
                n = self.aot.get(array, 0)
                self.aot[array] = n + 1
                table = (*array, n)
                self.pos = text.index("]]", self.pos) + 2
            elif text[start] == "[":
                self.pos += 1
                table = self._resolve(self._keys())
                self.pos = text.index("]", self.pos) + 1
            else:
                keys = self._keys()
                self.pos = _SPACE.match(text, self.pos + 1).end()  # type: ignore[union-attr]  # past `=`
                self._value((*table, *keys))
                continue
            self.spans[table] = (start, self.pos)

    def _resolve(self, keys: _Path) -> _Path:
        path: _Path = ()
        for key in keys:
            path = (*path, key)
            if path in self.aot:
                path = (*path, self.aot[path] - 1)
        return path

    def _keys(self) -> _Path:
        text, keys = self.text, []
        while True:
            self.pos = _SPACE.match(text, self.pos).end()  # type: ignore[union-attr]
            c = text[self.pos]
            m = (_BASIC if c == '"' else _LITERAL if c == "'" else _BARE).match(text, self.pos)
            assert m is not None
            key = m.group()
            if c == '"':
                key = _unquote(key)
            elif c == "'":
                key = key[1:-1]
            keys.append(key)
            self.pos = _SPACE.match(text, m.end()).end()  # type: ignore[union-attr]
            if text[self.pos] != ".":
                return tuple(keys)
            self.pos += 1

    def unfold(self, path: _Path) -> None:
        """The places inside the folded value at ``path``."""
        self.folded.discard(path)
        self.pos, self.fold = self.spans[path][0], False
        self._value(path)

    def _value(self, path: _Path) -> None:
        text, start = self.text, self.pos
        c = text[start]
        if c in "[{" and self.fold and (m := (_INLINE if c == "{" else _ARRAY).match(text, start)) is not None:
            self.pos = m.end()
            self.spans[path] = (start, self.pos)
            self.folded.add(path)
            return
        if c in "[{":
            close, i = ("]", 0) if c == "[" else ("}", 0)
            self.pos += 1
            while True:
                self.pos = _BLANK.match(text, self.pos).end()  # type: ignore[union-attr]
                if text[self.pos] == close:
                    break
                if c == "[":
                    self._value((*path, i))
                    i += 1
                else:
                    keys = self._keys()
                    self.pos = _SPACE.match(text, self.pos + 1).end()  # type: ignore[union-attr]
                    self._value((*path, *keys))
                self.pos = _BLANK.match(text, self.pos).end()  # type: ignore[union-attr]
                if text[self.pos] == ",":
                    self.pos += 1
            self.pos += 1
        else:
            quote = text[start : start + 3] if text.startswith(('"""', "'''"), start) else c
            m = (_STRINGS.get(quote) or _SCALAR).match(text, start)
            assert m is not None
            self.pos = m.end()
        self.spans[path] = (start, self.pos)


def _unquote(key: str) -> str:
    if "\\" not in key:
        return key[1:-1]
    return str(_toml().loads(f"k = {key}")["k"])


def _toml() -> Any:
    try:
        import tomllib  # type: ignore[import-not-found, unused-ignore]
    except ImportError:  # Python 3.10
        import tomli as tomllib  # type: ignore[import-not-found, no-redef, unused-ignore]
    return tomllib


class _Doc:
    """The scanned positions as spans (None: a version at the git base, never placed)."""

    __slots__ = ("scan", "spans", "starts")

    def __init__(self, text: str, scan: _Scan | None) -> None:
        self.scan = scan
        self.spans = scan.spans if scan is not None else {}
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def at(self, offset: int) -> tuple[int, int]:
        line = bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1

    def span(self, path: _Path) -> Span:
        """Where the value at ``path`` is, or the nearest enclosing one that has a place."""
        if path not in self.spans and self.scan is not None and self.scan.folded:
            folded = next((path[:k] for k in range(len(path) - 1, 0, -1) if path[:k] in self.scan.folded), None)
            if folded is not None:
                self.scan.unfold(folded)
        while path not in self.spans and path:
            path = path[:-1]
        if not path:
            return Span(1, 1, 1, 1)
        start, end = self.spans[path]
        return Span(*self.at(start), *self.at(end))


def _path(context: str) -> _Path:
    """``packages[3].wheels[0]`` -> ("packages", 3, "wheels", 0)."""
    return tuple(int(i) if i else k for k, i in re.findall(r"([^.\[\]]+)|\[(\d+)\]", context))


# -- the lock --------------------------------------------------------------------------------
_ARTIFACTS = ("sdist", "wheels", "archive")


_ODD_URL = re.compile(r"[%?#\\]")


def _filename(artifact: Mapping[str, Any]) -> str | None:
    """An artifact's file name as packaging finds it: ``name``, else the path's or URL's last part."""
    name = artifact.get("name")
    if isinstance(name, str) and name:
        return name
    for key in ("path", "url"):
        value = artifact.get(key)
        if isinstance(value, str) and value and _ODD_URL.search(value) is None:
            return value.rpartition("/")[2] or None  # the usual URL or path
        if isinstance(value, str) and value:
            last = re.split(r"[/\\]", value.partition("?")[0].partition("#")[0])[-1]
            if key == "url":
                from urllib.parse import unquote

                last = unquote(last)
            return last or None
    return None


def parse(text: str, path: str, *, base: bool = False) -> ReqFile:
    """The lock ``text`` (file ``path``) as a ``ReqFile``: an ``Entry`` per package, its hashes the
    union of its artifacts'; TOML and PEP 751 errors, empty hash tables, file names naming
    another project or version and a one-platform lock as ``Issue``\\ s. ``base``: a version at
    the git base, whose entries alone are compared: nothing is validated or placed (no finding
    points into it, so its values are not scanned for positions)."""
    tomllib = _toml()
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        m = re.search(r"\(at line (\d+), column (\d+)\)$", message)
        span = Span(int(m.group(1)), int(m.group(2)), int(m.group(1)), int(m.group(2))) if m else Span(1, 1, 1, 1)
        why = re.sub(r"\s*\(at line.*\)$|\s*\(at end of document\)$", "", message)
        return ReqFile(path, (), (), (), (Issue(IssueKind.LOCK_ERROR, span, "", why),), lock=True)
    scan = None if base else _Scan(text)
    doc = _Doc(text, scan)
    spans = doc.spans
    issues: list[Issue] = []
    reported: set[int] = set()  # packages whose filename or hash problem is already an issue
    entries: list[Entry] = []
    packages = data.get("packages")
    packages = packages if isinstance(packages, list) else []
    ends: dict[int, int] = {}
    for p, (_, end) in spans.items():
        if len(p) > 1 and p[0] == "packages" and isinstance(p[1], int) and end > ends.get(p[1], -1):
            ends[p[1]] = end
    for i, pkg in enumerate(packages):
        if not isinstance(pkg, dict) or not isinstance(pkg.get("name"), str):
            continue
        entry = _entry(i, pkg, doc, ends.get(i), issues, checks=not base)
        if entry is not None:
            entries.append(entry)
    for issue in issues:
        p = _path(issue.text)
        reported.add(p[1] if len(p) > 1 and isinstance(p[1], int) else -1)
    if not base:
        issues += _validate(data, packages, doc, reported)
        issues += _single_environment(data, packages, doc)
    from ._lex import _may_suppress, _suppressions  # `# req-hashlint: ignore[...]` comments, as in requirements files

    suppressions = _suppressions(text.split("\n")) if _may_suppress(text) else {}
    text = text.replace("\r\n", "\n")
    return ReqFile(path, tuple(entries), (), (), tuple(issues), suppressions, text, lock=True, head=_head(data))


def _strings(value: object) -> tuple[str, ...]:
    return tuple(v for v in value if isinstance(v, str)) if isinstance(value, list) else ()


def _head(data: dict[str, Any]) -> LockHead:
    """Where the lock says it installs: its ``environments``, ``requires-python`` and ``default-groups``."""
    python = data.get("requires-python")
    return LockHead(
        _strings(data.get("environments")),
        python if isinstance(python, str) else None,
        _strings(data.get("default-groups")),
    )


def _entry(i: int, pkg: dict[str, Any], doc: _Doc, end: int | None, issues: list[Issue], *, checks: bool) -> Entry:
    """Package ``i`` as an entry; ``checks``: its problems as ``issues`` too."""
    name: str = pkg["name"]
    key = normalize_name(name)
    where: _Path = ("packages", i)
    version = pkg.get("version") if isinstance(pkg.get("version"), str) else None
    marker = pkg.get("marker") if isinstance(pkg.get("marker"), str) else None
    hashes: list[tuple[str, _Path]] = []
    options: list[Option] = []
    if isinstance(pkg.get("index"), str):
        options.append(Option("index", pkg["index"], doc.span((*where, "index")), "index"))
    arts: list[tuple[_Path, str, dict[str, Any]]] = []
    for kind in _ARTIFACTS:
        value = pkg.get(kind)
        if kind == "wheels" and isinstance(value, list):
            arts += [((*where, kind, j), kind, w) for j, w in enumerate(value) if isinstance(w, dict)]
        elif isinstance(value, dict):
            arts.append(((*where, kind), kind, value))
    artifacts: list[Artifact] = []
    for at, kind, art in arts:
        first, filename = len(hashes), _filename(art)
        url = art.get("url")
        if isinstance(url, str) and (url[:7].lower() == "http://" or "@" in url or " " in url):  # RH201, RH202
            options.append(Option("url", url, doc.span((*at, "url")), "url"))
        table = art.get("hashes")
        if isinstance(table, dict):
            if not table:
                issues.append(Issue(IssueKind.EMPTY_HASHES, doc.span((*at, "hashes")), _context(at), filename or kind))
            for algo, digest in table.items():
                if isinstance(digest, str):
                    hashes.append((f"{algo}:{digest}", (*at, "hashes", algo)))
        if kind != "archive":
            if checks:
                _check_filename(at, kind, art, filename, key, version, doc, issues)
            where_from = url if isinstance(url, str) else art.get("path")
            artifacts.append(
                Artifact(
                    filename or "",
                    kind == "sdist",
                    range(first, len(hashes)),
                    where_from if isinstance(where_from, str) else None,
                )
            )
    kind_of, url_of, source = EntryKind.NAMED, None, None
    vcs, directory, archive = pkg.get("vcs"), pkg.get("directory"), pkg.get("archive")
    if isinstance(vcs, dict):
        kind_of, source = EntryKind.VCS, doc.span((*where, "vcs"))
        url_of = f"{vcs.get('type')}+{vcs.get('url') or vcs.get('path')}@{vcs.get('commit-id') or ''}"
        if isinstance(vcs.get("url"), str):
            options.append(Option("url", vcs["url"], doc.span((*where, "vcs", "url")), "url"))
    elif isinstance(directory, dict):  # pip installs an editable one with `-e` (no single file to hash)
        kind_of = EntryKind.EDITABLE if directory.get("editable") is True else EntryKind.DIRECTORY
        url_of, source = str(directory.get("path")), doc.span((*where, "directory"))
    elif isinstance(archive, dict):
        kind_of, url_of = EntryKind.URL, str(archive.get("url") or archive.get("path"))
        source = doc.span((*where, "archive"))
    span = doc.span(where)
    deps = pkg.get("dependencies")
    python = pkg.get("requires-python")
    locked = Locked(
        tuple(artifacts),
        pkg["index"] if isinstance(pkg.get("index"), str) else None,
        python if isinstance(python, str) else None,
        tuple(
            (normalize_name(d["name"]), d["version"] if isinstance(d.get("version"), str) else None)
            for d in deps
            if isinstance(d, dict) and isinstance(d.get("name"), str)
        )
        if isinstance(deps, list)
        else None,
        source,
    )
    text = f"{name} @ {url_of}" if url_of is not None else (f"{name}=={version}" if version else name)
    last = doc.at(end)[0] if end is not None else span.end_line
    return Entry(
        kind=kind_of,
        text=text,
        span=span,
        first_line=span.line,
        last_line=max(last, span.end_line),
        name=name,
        key=key,
        version=version if kind_of is EntryKind.NAMED else None,
        specifier=f"=={version}" if version and kind_of is EntryKind.NAMED else "",
        marker=marker,
        url=url_of,
        found=_Hashes(doc, hashes),
        url_hash=None,
        options=tuple(options),
        error=None,
        locked=locked,
    )


class _Hashes(HashBlock):
    """A package's hashes, kept as strings; their spans are worked out when a finding needs them."""

    __slots__ = ("doc", "paths")

    def __init__(self, doc: _Doc, found: list[tuple[str, _Path]]) -> None:
        super().__init__("", 0, 0, tuple(v for v, _ in found))
        self.doc, self.paths = doc, [p for _, p in found]

    def hashes(self) -> tuple[Hash, ...]:
        if self._found is None:
            self._found = tuple(Hash(v, self.doc.span(p)) for v, p in zip(self.values, self.paths, strict=True))
        return self._found


def _context(path: _Path) -> str:
    return "".join(f"[{k}]" if isinstance(k, int) else f".{k}" for k in path).lstrip(".")


def _check_filename(
    at: _Path,
    kind: str,
    art: dict[str, Any],
    filename: str | None,
    key: str,
    version: str | None,
    doc: _Doc,
    issues: list[Issue],
) -> None:
    """RH014's fact: a wheel's or sdist's file name naming another project or version (a name
    that does not parse is left to packaging: RH011)."""
    shape = (_WHEEL_NAME if kind == "wheels" else _SDIST_NAME).fullmatch(filename or "")
    if shape is None:
        return  # not a file name packaging reads: RH011
    written, f_name, f_version = shape.group(), normalize_name(shape.group(1)), shape.group(2)
    if f_name == key and (version is None or f_version == version):  # the usual case, without parsing
        return
    from packaging.version import InvalidVersion, Version

    which = "name" if "name" in art else "url" if "url" in art else "path"
    span = doc.span((*at, which))
    if f_name != key:
        issues.append(Issue(IssueKind.FILENAME_MISMATCH, span, _context(at), written, choices=("name", f_name)))
        return
    try:
        same = version is None or Version(f_version) == Version(version)
    except InvalidVersion:
        return
    if not same:
        issues.append(Issue(IssueKind.FILENAME_MISMATCH, span, _context(at), written, choices=("version", f_version)))


_PACKAGING_FLOOR = 26
_TAG = r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*(?:-[A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)*){2}"
_WHEEL_NAME = re.compile(rf"([A-Za-z0-9._]+)-([^-]+)(?:-[0-9][^-]*)?-{_TAG}\.whl")
_SDIST_NAME = re.compile(r"(.+)-([^-]+)\.(?:tar\.gz|zip)")


def _validate(data: dict[str, Any], packages: list[Any], doc: _Doc, reported: set[int]) -> list[Issue]:
    """packaging's verdict on the lock, each package on its own (so that every broken one is named),
    as RH011 facts; the problems already reported as their own facts are not repeated."""
    import packaging

    try:
        major = int(packaging.__version__.partition(".")[0])
    except ValueError:
        major = 0
    if major < _PACKAGING_FLOOR:
        raise ReadError(
            f"linting pylock.toml needs packaging {_PACKAGING_FLOOR} or later (installed: "
            f"{packaging.__version__}); upgrade it: pip install 'packaging>={_PACKAGING_FLOOR}'"
        )
    listed = isinstance(data.get("packages"), list)
    head = {"lock-version": "1.0", "created-by": "req-hashlint"}
    todo: list[tuple[int | None, dict[str, Any]]] = [(None, {**data, "packages": []} if listed else data)]
    todo += [(i, {**head, "packages": [p]}) for i, p in enumerate(packages)]
    from packaging.pylock import Pylock, PylockValidationError

    def check(d: dict[str, Any], index: int | None) -> Issue | None:
        try:
            Pylock.from_dict(d)
        except PylockValidationError as exc:
            context = exc.context or ""
            if index is not None:
                context = re.sub(r"^packages\[0\]", f"packages[{index}]", context)
                if index in reported and (exc.message.startswith(("Name in ", "Version in ", "At least one hash"))):
                    return None
            return Issue(IssueKind.LOCK_ERROR, doc.span(_path(context)), context, exc.message)
        return None

    return [issue for i, d in todo if (issue := check(d, i)) is not None]


_PLATFORM_RE = re.compile(
    r"(?:(?:many|musl)?linux(?:\d+|_\d+_\d+)?_(?P<linux>.+))|macosx_\d+_\d+_(?P<mac>.+)|(?P<win>win32|win_.+)"
)


def _platforms(filename: str) -> set[str]:
    """The platforms a wheel is for (``linux x86_64``, ``macOS arm64``, ``Windows amd64``), empty
    for a pure one."""
    found: set[str] = set()
    for tag in filename[:-4].rpartition("-")[2].split("."):
        m = _PLATFORM_RE.fullmatch(tag)
        if m is None:
            if tag != "any":
                found.add(tag)
        elif m.group("linux"):
            found.add(f"Linux {m.group('linux')}")
        elif m.group("mac"):
            arch = m.group("mac")
            found |= {"macOS arm64", "macOS x86_64"} if arch == "universal2" else {f"macOS {arch}"}
        else:
            found.add("Windows " + m.group("win").removeprefix("win_").replace("win32", "x86"))
    return found


def _single_environment(data: dict[str, Any], packages: list[Any], doc: _Doc) -> list[Issue]:
    """RH013's fact: no ``environments``, the platform-specific wheels of the packages without a
    marker are all for one platform, and one of those packages has neither a pure wheel nor an
    sdist to fall back on elsewhere (``Pylock.select`` takes the sdist when no wheel matches)."""
    if data.get("environments"):
        return []
    platforms: set[str] = set()
    stranded: str | None = None  # a wheel of a package that installs nowhere else
    for pkg in packages:
        if not isinstance(pkg, dict) or pkg.get("marker"):
            continue  # (a marker may well say where its wheels are for)
        wheels = pkg.get("wheels")
        found: set[str] = set()
        pure = False
        first: str | None = None
        for w in wheels if isinstance(wheels, list) else ():
            filename = _filename(w) if isinstance(w, dict) else None
            if filename and filename.endswith(".whl"):
                here = _platforms(filename)
                pure = pure or not here
                first = first or (filename if here else None)
                found |= here
        platforms |= found
        if len(platforms) > 1:
            return []
        if found and not pure and not isinstance(pkg.get("sdist"), dict) and stranded is None:
            stranded = first
    if len(platforms) != 1 or stranded is None:
        return []
    anchor = "created-by" if "created-by" in data else "lock-version"
    return [Issue(IssueKind.SINGLE_ENVIRONMENT, doc.span((anchor,)), platforms.pop(), stranded)]
