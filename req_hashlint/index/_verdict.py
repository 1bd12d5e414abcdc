"""The judgement of each pinned entry against what the index serves (RH301-RH306, RH309, RH903).

For every named entry pinned to one version (``==V`` or ``===V``) and the page pip would read
for it: the files of that version, which listed hashes match them, and, per target environment
where the entry's marker holds, the file pip would pick, ordered as pip's
``CandidateEvaluator._sort_key`` orders candidates (a listed hash first, then not yanked, then
the version, local versions above, then the tag's priority, a wheel above an sdist).

Computed once per run (``Context.verdicts``); the rules only read it. Pure: no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, NamedTuple

from .._model import LockHead
from ._environments import Environment
from ._model import Evidence, Page, ServedFile, Unavailable

if TYPE_CHECKING:
    from packaging.specifiers import SpecifierSet
    from packaging.tags import Tag
    from packaging.version import Version

    from .._graph import Node
    from .._model import Artifact, Entry

# pip's archive extensions besides `.whl` (``pip._internal.utils.filetypes``), the usual first
_SDIST = (".tar.gz", ".zip", ".tar.bz2", ".tar.lzma", ".tar.xz", ".tar.lz", ".tbz", ".txz", ".tlz", ".tgz", ".tar")
_DIGEST = {
    "sha256": re.compile("[0-9a-f]{64}"),
    "sha384": re.compile("[0-9a-f]{96}"),
    "sha512": re.compile("[0-9a-f]{128}"),
}


class Pick(NamedTuple):
    """The file pip would install in one environment."""

    env: Environment
    file: ServedFile
    hashed: bool | None  # a listed hash matches it; None: the index gives no digest to compare
    sdist: bool
    wheels: bool  # some wheel of the version installs there (hashed or not)


class Unknown(NamedTuple):
    """A listed hash no file of the pinned version has, and the served file that has it, if any."""

    hash: str  # `algo:hex`
    version: str | None  # the version of the served file with this digest
    filename: str | None


class Checked(NamedTuple):
    """A pylock.toml artifact against the served file of the same name (RH301, RH302)."""

    artifact: Artifact
    served: ServedFile | None  # None: the index serves no file of that name
    right: bool  # one of its digests is the served file's (pip accepts the file)
    wrong: tuple[int, ...]  # its digests (as positions in the entry's hashes) the served file has another of
    owner: ServedFile | None  # the served file the first wrong digest belongs to, if any


class Verdict(NamedTuple):
    """One entry (in one file of the graph) judged against one page."""

    node: Node
    entry: Entry
    page: Page
    files: tuple[ServedFile, ...]  # the pinned version's wheels and sdists
    hashes: tuple[str, ...]  # the well-formed listed hashes (`algo:hex`), as pip compares them
    matched: frozenset[str]  # those matching a file of the version
    unknown: tuple[Unknown, ...]  # those matching none
    unchecked: tuple[str, ...]  # unmatched, and some file has no digest in its algorithm to compare
    picks: tuple[Pick, ...]  # per environment where the marker holds and some file applies
    nearby: tuple[str, ...]  # no file of the version: the served versions just below and above it
    latest: str | None  # no file of the version: the latest served (None: none served)
    # where the marker holds and files apply but every one's Requires-Python excludes the
    # environment's Python (pip fails there): each environment, and the Requires-Python
    excluded: tuple[tuple[Environment, str], ...] = ()
    source: str = ""  # the key of the index list the page came from (``Evidence.source_of``)
    # a pylock.toml package (``hashes`` is then empty: each artifact is judged on its own): each
    # artifact against the served file of its name, and the environments where the lock lists
    # no file that installs while the index serves one (with the file pip would want there)
    artifacts: tuple[Checked, ...] = ()
    uncovered: tuple[tuple[Environment, ServedFile], ...] = ()

    @property
    def verifiable(self) -> bool:
        """Whether the index's digests can say if the hashes are right (else RH903)."""
        return bool(self.matched) or not self.unchecked


class Judgement(NamedTuple):
    verdicts: tuple[Verdict, ...]
    unavailable: tuple[tuple[Node, Entry, Unavailable], ...]


class _Parsed(NamedTuple):
    file: ServedFile
    version: Version
    tags: frozenset[Tag] | None  # None: an sdist
    build: tuple[int, str] | tuple[()]


class _PageIndex:
    """One page's files grouped by the version their names write, and its digests."""

    __slots__ = ("by_name", "by_raw", "digests", "page", "unused")

    def __init__(self, page: Page) -> None:
        self.page = page
        # the version as a file's name writes it -> the files (a wheel's second field, an sdist's last)
        self.by_raw: dict[str, list[ServedFile]] = {}
        self.digests: dict[tuple[str, str], tuple[str, ServedFile]] | None = None
        self.by_name: dict[str, ServedFile] | None = None
        self.unused: list[ServedFile] = []  # files pip never installs: eggs, Windows installers...
        by_raw = self.by_raw
        for f in page.files:
            name = f.filename
            if name.endswith(".whl"):
                parts = name.split("-", 2)
                if len(parts) == 3:
                    by_raw.setdefault(parts[1], []).append(f)
                continue
            ext = next((e for e in _SDIST if name.endswith(e)), None)
            if ext is None:
                self.unused.append(f)
            else:
                by_raw.setdefault(name[: -len(ext)].rpartition("-")[2], []).append(f)

    def named(self, filename: str) -> ServedFile | None:
        """The served file of this name (the first, as pip reads a page), if any; else the one
        whose name is the same once its project part is normalized (uv writes
        `send2trash-1.8.3-py3-none-any.whl` for PyPI's `Send2Trash-1.8.3-py3-none-any.whl`)."""
        if self.by_name is None:
            self.by_name = {}
            for f in self.page.files:
                self.by_name.setdefault(f.filename, f)
            for f in self.page.files:
                self.by_name.setdefault(_same_file(f.filename), f)
        return self.by_name.get(filename) or self.by_name.get(_same_file(filename))

    def with_digest(self, algo: str, digest: str) -> tuple[str, ServedFile] | None:
        """The file with this digest, and the version its name writes ("" for a file pip never
        installs), if the page serves one."""
        if self.digests is None:
            self.digests = {(a, d): ("", f) for f in self.unused for a, d in f.hashes.items()}
            self.digests.update(
                ((a, d), (raw, f)) for raw, fs in self.by_raw.items() for f in fs for a, d in f.hashes.items()
            )
        return self.digests.get((algo, digest))


class _Judge:
    """The run's caches: parsed versions, tag priorities, markers and Requires-Python."""

    __slots__ = ("envs", "indexes", "markers", "names", "python", "ranks", "tags", "versions")

    def __init__(self, envs: tuple[Environment, ...]) -> None:
        self.envs = envs
        self.indexes: dict[tuple[str, str], _PageIndex] = {}
        self.versions: dict[str, Version | None] = {}
        self.markers: dict[tuple[str | None, frozenset[str], tuple[str, ...] | None], tuple[bool, ...]] = {}
        self.python: dict[tuple[str | None, bool], tuple[bool, ...]] = {}
        # tag -> (environment index, rank: 0 is pip's first choice there) for each environment supporting it
        self.ranks: dict[Tag, list[tuple[int, int]]] | None = None
        # a wheel name's parts as packaging reads them, each once per run (a lock's wheels share a
        # handful of tag strings and each project's name): name part -> normalized name (None:
        # invalid); (build part, tag string) -> (build, tags) (None: invalid)
        self.names: dict[str, str | None] = {}
        self.tags: dict[tuple[str | None, str], tuple[tuple[int, str] | tuple[()], frozenset[Tag]] | None] = {}

    def version(self, raw: str) -> Version | None:
        if raw not in self.versions:
            from packaging.version import InvalidVersion, Version

            try:
                self.versions[raw] = Version(raw)
            except InvalidVersion:
                self.versions[raw] = None
        return self.versions[raw]

    def holds(
        self, marker: str | None, extras: frozenset[str] = frozenset(), groups: tuple[str, ...] | None = None
    ) -> tuple[bool, ...]:
        """Per environment: whether the marker holds with ``extra`` any of "" and ``extras`` (a
        top-level line: "" alone; a dependency of ``pkg[a]``: "" or "a", as pip evaluates it).
        ``groups``: a pylock.toml package's marker, evaluated as ``Pylock.select`` evaluates it (no
        extras, the lock's default dependency groups)."""
        key = (marker, extras, groups)
        found = self.markers.get(key)
        if found is not None:
            return found
        if not marker:
            found = (True,) * len(self.envs)
        else:
            from packaging.markers import Marker

            m = Marker(marker)  # parsed already (the lexer's, or packaging's Requirement)
            try:
                if groups is not None:
                    lock = {"extras": frozenset[str](), "dependency_groups": frozenset(groups)}
                    found = tuple(m.evaluate({**e.markers, **lock}, context="lock_file") for e in self.envs)
                else:
                    found = tuple(
                        any(m.evaluate({**e.markers, "extra": x}) for x in ("", *sorted(extras))) for e in self.envs
                    )
            except ValueError:  # a comparison packaging cannot make (`python_version ~= "x"`): judge it
                found = (True,) * len(self.envs)
        self.markers[key] = found
        return found

    def selects(self, marker: str | None, head: LockHead) -> tuple[bool, ...]:
        """Per environment: whether ``Pylock.select`` takes a package with this marker from a lock
        with ``head``: the lock installs there at all (one of its `environments` holds, its
        `requires-python` admits some release of the Python; elsewhere packaging refuses it) and
        the marker holds (no extras, the lock's default dependency groups)."""
        python = self.admits(head.requires_python, minor=True)
        holds = self.holds(marker, groups=head.default_groups)
        anywhere = [self.holds(m) for m in head.environments]
        return tuple(
            python[i] and holds[i] and (not anywhere or any(h[i] for h in anywhere)) for i in range(len(self.envs))
        )

    def admits(self, requires_python: str | None, *, minor: bool = False) -> tuple[bool, ...]:
        """Per environment: whether pip there keeps a file with this Requires-Python (an invalid one:
        yes). ``minor``: whether some release of its Python is admitted (3.13.0 to 3.13.99): a lock's
        `requires-python = ">=3.13.5"` is made for CPython 3.13, not against it."""
        key = (requires_python, minor)
        if key not in self.python:
            from packaging.specifiers import InvalidSpecifier, SpecifierSet

            try:
                spec = SpecifierSet(requires_python or "")
            except InvalidSpecifier:
                self.python[key] = (True,) * len(self.envs)
            else:
                patches = (0, 99) if minor else (0,)  # (an environment is its Python's x.y.0)
                self.python[key] = tuple(
                    any(spec.contains(f"{e.python[0]}.{e.python[1]}.{n}") for n in patches) for e in self.envs
                )
        return self.python[key]

    def index(self, key: tuple[str, str], page: Page) -> _PageIndex:
        found = self.indexes.get(key)
        if found is None:
            found = self.indexes[key] = _PageIndex(page)
        return found

    def tag_ranks(self, platforms: set[str]) -> dict[Tag, list[tuple[int, int]]]:
        """Each supported tag's rank in each environment, built once, from tag lists holding only
        the platforms the judged wheels name: removing a platform keeps the others' order."""
        if self.ranks is None:
            self.ranks = {}
            for i, env in enumerate(self.envs):
                # none kept: one no wheel can name (packaging reads an empty list as "this machine's")
                kept = env._replace(platforms=tuple(p for p in env.platforms if p in platforms) or ("-",))
                seen: set[Tag] = set()
                for rank, tag in enumerate(kept.tags()):
                    if tag not in seen:
                        seen.add(tag)
                        self.ranks.setdefault(tag, []).append((i, rank))
        return self.ranks


def _pin(entry: Entry) -> SpecifierSet | None:
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    try:
        return SpecifierSet(entry.specifier)
    except InvalidSpecifier:
        return None


def _parse(run: _Judge, f: ServedFile, project: str, version: Version) -> _Parsed | None:
    """The file as pip reads it, or None when pip skips it (another project, a bad name). A
    wheel's name is read by packaging's ``parse_wheel_filename``, its name part and its build and
    tag parts each once per run (the version part is ``version``, already parsed)."""
    from packaging.utils import InvalidWheelFilename, parse_sdist_filename, parse_wheel_filename

    name = f.filename
    if name.endswith(".whl"):
        parts = name[:-4].split("-")
        if len(parts) not in (5, 6):
            return None
        if parts[0] not in run.names:
            try:
                run.names[parts[0]] = parse_wheel_filename(f"{parts[0]}-0-py3-none-any.whl")[0]
            except InvalidWheelFilename:
                run.names[parts[0]] = None
        key = (parts[2] if len(parts) == 6 else None, "-".join(parts[-3:]))
        if key not in run.tags:
            try:
                _, _, build, tags = parse_wheel_filename(
                    "-".join(p for p in ("x", "0", *key) if p is not None) + ".whl"
                )
                run.tags[key] = (build, tags)
            except InvalidWheelFilename:
                run.tags[key] = None
        found = run.tags[key]
        if run.names[parts[0]] != project or found is None:
            return None
        return _Parsed(f, version, found[1], found[0])
    try:
        stem = name[: -len(next(e for e in _SDIST if name.endswith(e)))]
        sdist, _ = parse_sdist_filename(stem + ".tar.gz")
    except ValueError:
        return None
    return _Parsed(f, version, None, ()) if sdist == project else None


def _same_file(filename: str) -> str:
    """A wheel's or an sdist's file name with its project part normalized as PEP 503 does, and
    lowercased ("\x00" in front: never a file's own name)."""
    if filename.endswith(".whl"):
        name, sep, rest = filename.partition("-")
    else:
        name, sep, rest = filename.rpartition("-")
    return "\x00" + re.sub(r"[-_.]+", "-", name).lower() + sep + rest.lower()


def _well_formed(value: str) -> bool:
    algo, _, digest = value.partition(":")
    check = _DIGEST.get(algo)
    return check is not None and check.fullmatch(digest) is not None


_SDIST_RANK = 1 << 30

# pip's ``_sort_key``: a listed hash, not yanked, the version, the tag's priority, the build tag
_Key = tuple[bool, bool, "Version", int, "tuple[int, str] | tuple[()]"]


class _Pending(NamedTuple):
    node: Node
    entry: Entry
    key: tuple[str, str]
    page: Page
    files: list[_Parsed]
    nearby: tuple[tuple[str, ...], str | None]
    # a pylock.toml package: each artifact as read (None: a name pip cannot read), and the served
    # file of its name (None: not served)
    locked: tuple[tuple[Artifact, _Parsed | None, ServedFile | None], ...] | None = None


def _nearby(judge: _Judge, index: _PageIndex, pin: str) -> tuple[tuple[str, ...], str | None]:
    """The served versions just below and above ``pin``, and the latest."""
    served = sorted({v for raw in index.by_raw if (v := judge.version(raw)) is not None})
    if not served:
        return (), None
    wanted = judge.version(pin)
    near: list[Version] = []
    if wanted is not None:
        below = [v for v in served if v < wanted]
        above = [v for v in served if v > wanted]
        near = ([below[-1]] if below else []) + ([above[0]] if above else [])
    return tuple(map(str, near)), str(served[-1])


def judge(
    entries: Iterable[tuple[Node, Entry]], evidence: Evidence, environments: tuple[Environment, ...]
) -> Judgement:
    """Every pinned named entry against its page: verdicts, and the entries whose page is missing."""
    from .._model import EntryKind, normalized_hash

    run = _Judge(environments)
    pending: list[_Pending] = []
    unavailable: list[tuple[Node, Entry, Unavailable]] = []
    platforms: set[str] = set()
    pages: Mapping[tuple[str, str], Page | Unavailable] = evidence.pages
    for node, entry in entries:
        if entry.kind is not EntryKind.NAMED or entry.error or entry.version is None or entry.key is None:
            continue
        lock = node.file is not None and node.file.lock
        if lock:
            head = node.file.head if node.file is not None and node.file.head else LockHead()
            if entry.locked is None or not entry.locked.artifacts or not any(run.selects(entry.marker, head)):
                continue
            found = evidence.lock_source.get(entry.locked.index_url or "")
            keys = dict.fromkeys([found] if found is not None else [])
        elif not any(run.holds(entry.marker)):
            continue  # pip installs it in no target environment
        else:
            keys = dict.fromkeys(evidence.source_of[r] for r in node.roots if r in evidence.source_of)
        for source in keys:
            key = (source, entry.key)
            answer = pages.get(key)
            if answer is None:
                continue  # not asked about
            if isinstance(answer, Unavailable):
                unavailable.append((node, entry, answer))
                continue
            spec = _pin(entry)
            if spec is None:
                continue
            index = run.index(key, answer)
            files: list[_Parsed] = []
            for raw, group in index.by_raw.items():
                version = run.version(raw)
                if version is None or not spec.contains(version, prereleases=True):
                    continue
                for f in group:
                    parsed = _parse(run, f, answer.project, version)
                    if parsed is not None:
                        files.append(parsed)
                        if parsed.tags is not None:
                            platforms.update(t.platform for t in parsed.tags)
            nearby = ((), None) if files else _nearby(run, index, entry.version)
            locked = _artifacts(run, entry, index, answer.project, platforms) if lock else None
            pending.append(_Pending(node, entry, key, answer, files, nearby, locked))
    ranks = run.tag_ranks(platforms) if pending else {}
    verdicts = []
    one_platform: dict[str, tuple[bool, ...]] = {}  # a lock of one platform (RH013) -> where it installs
    for p in pending:
        if p.locked is not None:
            verdicts.append(_lock_verdict(run, p, ranks, _one_platform(run, p, pending, ranks, one_platform)))
            continue
        listed = tuple(dict.fromkeys(h for h in map(normalized_hash, p.entry.hash_values) if _well_formed(h)))
        by_algo: dict[str, set[str]] = {}
        for h in listed:
            algo, _, digest = h.partition(":")
            by_algo.setdefault(algo, set()).add(digest)
        matched: set[str] = set()
        status: list[bool | None] = []  # per file: a listed hash matches it; None: no digest to compare
        for pf in p.files:
            hit, known = False, True
            for algo, digests in by_algo.items():
                served = pf.file.hashes.get(algo)
                if served is None:
                    known = False
                elif served in digests:
                    matched.add(f"{algo}:{served}")
                    hit = True
            status.append(True if hit else (False if known else None))
        unknown: list[Unknown] = []
        unchecked: list[str] = []
        index = run.indexes[p.key]
        for h in listed:
            if h in matched:
                continue
            algo, _, digest = h.partition(":")
            if all(algo in f.file.hashes for f in p.files):
                other = index.with_digest(algo, digest)
                if other is None:
                    unknown.append(Unknown(h, None, None))
                elif not other[0]:
                    continue  # an egg's or an installer's, which pip skips: old locks list them, harmlessly
                else:
                    v = run.version(other[0])
                    unknown.append(Unknown(h, str(v) if v is not None else other[0], other[1].filename))
            else:
                unchecked.append(h)
        picks, excluded = _picks(run, p, status, ranks, bool(listed))
        verdicts.append(
            Verdict(
                p.node,
                p.entry,
                p.page,
                tuple(f.file for f in p.files),
                listed,
                frozenset(matched),
                tuple(unknown),
                tuple(unchecked),
                picks,
                *p.nearby,
                excluded,
                p.key[0],
            )
        )
    return Judgement(tuple(verdicts), tuple(unavailable))


def _picks(
    run: _Judge, p: _Pending, status: list[bool | None], ranks: dict[Tag, list[tuple[int, int]]], hashed: bool
) -> tuple[tuple[Pick, ...], tuple[tuple[Environment, str], ...]]:
    """Per environment where the marker holds: the file pip's ``_sort_key`` puts first; and the
    environments where files apply but Requires-Python removes every one (pip fails there)."""
    if not p.files:
        return (), ()
    holds = run.holds(p.entry.marker)
    envs = range(len(run.envs))
    best: list[_Key | None] = [None] * len(run.envs)
    chosen = [-1] * len(run.envs)
    wheels = [False] * len(run.envs)
    python: list[str | None] = [None] * len(run.envs)  # a Requires-Python that removed a file there
    for n, f in enumerate(p.files):
        admits = run.admits(f.file.requires_python)
        if f.tags is None:
            where = [(i, _SDIST_RANK) for i in envs]  # pip: an sdist ranks below every supported tag
        else:
            where = list(_ranks(f, ranks).items())
        allowed, fresh = status[n] is True, f.file.yanked is None
        for i, rank in where:
            if not (holds[i] and admits[i]):
                if holds[i] and python[i] is None:
                    python[i] = f.file.requires_python
                continue
            if f.tags is not None:
                wheels[i] = True
            key: _Key = (allowed, fresh, f.version, -rank, f.build)
            current = best[i]
            if current is None or key > current:
                best[i], chosen[i] = key, n
    picks = []
    for i in envs:
        if chosen[i] >= 0:
            f = p.files[chosen[i]]
            picks.append(Pick(run.envs[i], f.file, status[chosen[i]] if hashed else None, f.tags is None, wheels[i]))
    excluded = tuple((run.envs[i], spec) for i in envs if chosen[i] < 0 and (spec := python[i]) is not None)
    return tuple(picks), excluded


def _artifacts(
    run: _Judge, entry: Entry, index: _PageIndex, project: str, platforms: set[str]
) -> tuple[tuple[Artifact, _Parsed | None, ServedFile | None], ...]:
    """A pylock.toml package's artifacts as ``Pylock.select`` reads them, each with the served file
    of its name."""
    assert entry.locked is not None and entry.version is not None
    version = run.version(entry.version)
    out = []
    for a in entry.locked.artifacts:
        served = index.named(a.filename)
        f = served or ServedFile(a.filename, a.url or "", {})
        parsed = _parse(run, f, project, version) if version is not None else None
        if parsed is not None and parsed.tags is not None:
            platforms.update(t.platform for t in parsed.tags)
        out.append((a, parsed, served))
    return tuple(out)


def _ranks(f: _Parsed, ranks: dict[Tag, list[tuple[int, int]]]) -> dict[int, int]:
    """A wheel's best rank (0: pip's first choice) in each environment it installs in, by index."""
    assert f.tags is not None
    found: dict[int, int] = {}
    for tag in f.tags:
        for i, rank in ranks.get(tag, ()):
            if rank < found.get(i, _SDIST_RANK):
                found[i] = rank
    return found


def _one_platform(
    run: _Judge,
    p: _Pending,
    pending: list[_Pending],
    ranks: dict[Tag, list[tuple[int, int]]],
    found: dict[str, tuple[bool, ...]],
) -> tuple[bool, ...] | None:
    """For a lock of one platform (no `environments`, platform wheels for one platform: RH013's
    finding, once): the environments its platform wheels install in, the only ones it is judged
    in. None for any other lock."""
    from .._model import IssueKind

    file = p.node.file
    if file is None or not any(i.kind is IssueKind.SINGLE_ENVIRONMENT for i in file.issues):
        return None
    ident = p.node.ident
    if ident not in found:
        # where each package with only platform-specific wheels installs one of them; where all do
        # is what the lock was made for (`pip lock` on CPython 3.13 for Windows: cp313 there alone)
        each: list[set[int]] = []
        for q in pending:
            if q.node.ident != ident or q.locked is None or q.entry.marker:
                continue
            wheels = [parsed for _, parsed, _ in q.locked if parsed is not None and parsed.tags is not None]
            if wheels and all(any(t.platform != "any" for t in w.tags or ()) for w in wheels):
                each.append({i for w in wheels for i in _ranks(w, ranks)})
        where = set.intersection(*each) if each else set()
        where = where or set().union(*each)  # (no environment has them all: each platform they name)
        found[ident] = tuple(i in where for i in range(len(run.envs)))
    return found[ident]


def _check(a: Artifact, served: ServedFile | None, values: tuple[str, ...], index: _PageIndex) -> Checked:
    """An artifact's digests against the served file of its name."""
    from .._model import normalized_hash

    if served is None:
        return Checked(a, None, False, (), None)
    right, wrong, owner = False, [], None
    for i in a.hashes:
        algo, _, digest = normalized_hash(values[i]).partition(":")
        got = served.hashes.get(algo)
        if got is None:
            continue
        if got == digest:
            right = True
            continue
        wrong.append(i)
        if owner is None and (other := index.with_digest(algo, digest)) is not None:
            owner = other[1]
    return Checked(a, served, right, tuple(wrong), owner)


def _lock_verdict(
    run: _Judge, p: _Pending, ranks: dict[Tag, list[tuple[int, int]]], only: tuple[bool, ...] | None
) -> Verdict:
    """A pylock.toml package: each artifact against the served file of its name, and per target
    environment the artifact ``Pylock.select`` takes there (the wheel whose tag ranks first, else
    the sdist), as pip installs it from the artifact's own URL."""
    assert p.locked is not None and p.entry.locked is not None
    entry, locked = p.entry, p.entry.locked
    checks = [_check(a, served, entry.hash_values, run.indexes[p.key]) for a, _, served in p.locked]
    unchecked = [
        entry.hash_values[i] for c in checks if c.served and not (c.right or c.wrong) for i in c.artifact.hashes
    ]
    head = p.node.file.head if p.node.file is not None and p.node.file.head else LockHead()
    where = run.selects(entry.marker, head)
    if only is not None:
        where = tuple(a and b for a, b in zip(where, only, strict=True))
    python = run.admits(locked.requires_python, minor=True)
    # each locked wheel's and each served file's best rank per environment (an sdist: every one)
    mine = [_ranks(q, ranks) if q is not None and q.tags is not None else None for _, q, _ in p.locked]
    theirs = [(f, _ranks(f, ranks) if f.tags is not None else None) for f in p.files]
    sdist = next((n for n, (a, _, _) in enumerate(p.locked) if a.sdist), -1)
    picks: list[Pick] = []
    excluded: list[tuple[Environment, str]] = []
    uncovered: list[tuple[Environment, ServedFile]] = []
    for i, env in enumerate(run.envs):
        if not where[i]:
            continue
        if not python[i]:  # Pylock.select refuses the environment for it
            excluded.append((env, locked.requires_python or ""))
            continue
        wheels = [(r[i], n) for n, r in enumerate(mine) if r is not None and i in r]
        n = min(wheels)[1] if wheels else sdist
        served_wheels = [(r[i], f.file.filename, f.file) for f, r in theirs if r is not None and i in r]
        if n < 0:  # nothing of the lock installs here: RH303 when the index serves a file that does
            there = min(served_wheels, key=lambda w: w[:2])[2] if served_wheels else None
            there = there or next((f.file for f, r in theirs if r is None), None)
            if there is not None:
                uncovered.append((env, there))
            continue
        a, _, served = p.locked[n]
        if served is not None and not run.admits(served.requires_python, minor=True)[i]:
            excluded.append((env, served.requires_python or ""))  # pip refuses the file's metadata
            continue
        c = checks[n]
        hashed = True if c.right else (None if served is not None and not c.wrong else False)
        f = served or ServedFile(a.filename, a.url or "", {})
        picks.append(Pick(env, f, hashed, a.sdist, bool(served_wheels)))
    return Verdict(
        p.node,
        entry,
        p.page,
        tuple(f.file for f in p.files),
        (),
        frozenset(),
        (),
        tuple(unchecked),
        tuple(picks),
        *p.nearby,
        tuple(excluded),
        p.key[0],
        tuple(checks),
        tuple(uncovered),
    )
