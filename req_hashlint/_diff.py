"""Each file against its version at a git base: reading the old side, comparing entries.

The old side of every file reached (roots and includes) comes from one ``git cat-file``
process per repository for the whole run (``_git.CatFile``), decoded and lexed by the same
code as the working tree. A file renamed since the base is new at the base.

Comparing (the diff rules' contract): every file of the run is compared as one pool, so no
pairing of entries is needed. A digest is a file, and a file is one version of one project:
a digest the base lists under project P at version W (and never at V) cannot match P at V.
So an entry of P at V is stale when its hashes are such digests (RH101 when all are, RH102
when some are), however entries were split by marker, merged, renamed or moved between files.
A release (P, V) listed at both sides compares its digests pooled over the run: some replaced
is RH103, some only removed is RH104. Hashes compare as ``algo:digest`` (digest lowercased).
"""

from __future__ import annotations

import contextlib
import os
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import NamedTuple

from ._git import CatFile, GitError, GitObject, GitTimeout, Roots, run
from ._graph import Graph, Node
from ._lex import lex
from ._model import Entry, ReqFile
from ._source import MAX_FILE_BYTES, ReadError, decode, read_path
from ._versions import version_key

DEFAULT_BASE = "HEAD"
# Files of their base blob's size are hashed to compare blob ids only from this many bytes in
# all: hashlib's import costs about 3 ms, and each byte not read back from git saves about 3 ns
# (measured on benchmark case 4: 200 files of 13.6 KB, 180 unchanged, load 22.7 -> 14.4 ms).
HASH_FROM_BYTES = 1 << 20
# How many earlier versions of a file (commits before the base that changed it) RH103 reads
# to tell a repair of stale hashes from a re-hash; read only when RH103 would otherwise fire.
HISTORY_DEPTH = 20


class BaseError(Exception):
    """An explicitly requested base that cannot be used; a usage error (exit 2)."""


# -- comparing ---------------------------------------------------------------------------


class Stale(NamedTuple):
    """A pinned entry now, some of whose hashes the base knows only as another version's."""

    at: int  # which of the compared files holds the entry now
    entry: Entry
    hashes: frozenset[str]  # every hash the entry lists
    stale: frozenset[str]  # those listed at the base under other versions of P, never under V
    versions: tuple[str, ...]  # those other versions, as the base writes them (most hashes first)
    unchanged: bool  # the entry lists exactly what the base listed for that one other version

    @property
    def name(self) -> str:
        return self.entry.name or self.entry.key or "?"

    @property
    def new_version(self) -> str:
        assert self.entry.version is not None
        return self.entry.version

    @property
    def old_version(self) -> str:
        return " and ".join(self.versions)


class Release(NamedTuple):
    """A project at one version, listed at the base and now, whose hashes (pooled) changed."""

    key: str
    version: str
    entries: tuple[tuple[int, Entry], ...]  # its entries now, in the files that changed
    removed: frozenset[str]  # listed at the base, listed nowhere now
    added: frozenset[str]  # listed now, not at the base, and not another version's


class Comparison(NamedTuple):
    stale: tuple[Stale, ...] = ()
    releases: tuple[Release, ...] = ()


def _pinned(file: ReqFile) -> Iterator[tuple[Entry, str, str, frozenset[str]]]:
    """Each entry pinned with hashes, with its project, its version and its hashes."""
    for e in file.entries:
        if e.key and e.version is not None and e.error is None and e.hash_values:
            yield e, e.key, e.version, e.hash_set


def compare(files: Sequence[tuple[ReqFile | None, ReqFile]]) -> Comparison:
    """Every file of a run at the base (None: new there) and now, compared as one pool (see
    the module's docstring). A file unchanged since the base is the same ReqFile on both sides."""
    if all(old is new for old, new in files):
        return Comparison()
    # At the base: digest -> {(project, version key)}, and (project, version key) -> digests.
    owners: dict[str, set[tuple[str, str]]] = {}
    before: dict[tuple[str, str], set[str]] = {}
    written: dict[tuple[str, str], str] = {}  # how the base writes each version
    for base_file in {id(old): old for old, _new in files if old is not None}.values():  # each file once
        for _e, key, version, hashes in _pinned(base_file):
            rel = (key, version_key(version))
            written.setdefault(rel, version)
            before.setdefault(rel, set()).update(hashes)
            for v in hashes:
                owners.setdefault(v, set()).add(rel)
    stale: list[Stale] = []
    after: dict[tuple[str, str], set[str]] = {}
    changed: dict[tuple[str, str], list[tuple[int, Entry]]] = {}
    done: set[int] = set()
    for index, (old, new) in enumerate(files):
        if id(new) in done:
            continue
        done.add(id(new))
        for e, key, version, hashes in _pinned(new):
            rel = (key, version_key(version))
            after.setdefault(rel, set()).update(hashes)
            if old is new:
                continue
            changed.setdefault(rel, []).append((index, e))
            found = _stale(rel, hashes, owners)
            if found:  # its other versions, most of its stale hashes first
                count = Counter(ver for versions in found.values() for ver in versions)
                order = sorted(count, key=lambda ver: (-count[ver], ver))
                unchanged = len(order) == 1 and set(found) == hashes and before.get((key, order[0])) == set(hashes)
                versions = tuple(written[(key, ver)] for ver in order)
                stale.append(Stale(index, e, hashes, frozenset(found), versions, unchanged))
    releases: list[Release] = []
    for rel, entries in changed.items():
        then = before.get(rel)
        if then is None:
            continue
        now = after[rel]
        removed = frozenset(then - now)
        added = frozenset(v for v in now - then if not _stale(rel, {v}, owners))
        if removed or added:
            releases.append(Release(rel[0], rel[1], tuple(entries), removed, added))
    return Comparison(tuple(stale), tuple(releases))


def _stale(
    rel: tuple[str, str], hashes: Iterable[str], owners: Mapping[str, set[tuple[str, str]]]
) -> dict[str, list[str]]:
    """Each of ``hashes`` the base lists under other versions of ``rel``'s project, never under ``rel``, with
    those versions (as version keys)."""
    out: dict[str, list[str]] = {}
    for v in hashes:
        known = owners.get(v)
        if not known or rel in known:
            continue
        versions = [ver for key, ver in known if key == rel[0]]
        if versions:
            out[v] = versions
    return out


# -- the sides, from git ------------------------------------------------------------------


class BaseFiles(dict[str, "ReqFile | None"]):
    """Every reached file at the base (abspath -> ReqFile, None: new there), and its earlier versions."""

    def __init__(self, sides: Sides) -> None:
        super().__init__()
        self._sides = sides
        self._earlier: dict[str, tuple[ReqFile, ...]] = {}

    def text(self, abspath: str) -> str | None:
        """The new side's text of a file the run read (such as the command a lock's header names)."""
        return self._sides._texts.get(abspath)

    def earlier(self, abspath: str) -> tuple[ReqFile, ...]:
        found = self._earlier.get(abspath)
        if found is None:
            found = self._earlier[abspath] = self._sides.earlier(abspath)
        return found


class _Repo:
    __slots__ = ("base_oid", "cat", "new_oid", "problem", "resolved")

    def __init__(self, cat: CatFile) -> None:
        self.cat = cat
        self.resolved = False  # the revisions' answers are read (``Sides._repo``)
        self.base_oid: str | None = None
        self.problem: str | None = None  # why the base is unavailable here
        self.new_oid: str | None = None  # the new side's commit (pre-push to-ref), when there is one


class Sides:
    """Where the old side (and, with ``--staged`` or pre-push, the new side) comes from.

    ``origin`` names where an explicit base was asked for; None for the default ``HEAD``, whose
    absence is a note (RH902), not a usage error. ``new`` is None for the working tree, ``""``
    for the git index, or a revision (pre-push's to-ref).
    """

    def __init__(
        self, base: str = DEFAULT_BASE, origin: str | None = None, new: str | None = None, roots: Roots | None = None
    ) -> None:
        self.base = base
        self.origin = origin
        self.new = new
        self.roots = roots or Roots()  # which repository holds a file, as git says
        self._repos: dict[str, _Repo] = {}
        self._texts: dict[str, str] = {}  # abspath -> the new side's text
        self._oids: dict[str, str] = {}  # abspath -> the new side's blob id, read from git
        self._lexed: dict[tuple[str, str], ReqFile] = {}  # (blob id, display) -> lexed: a Sides kept between lints

    def close(self) -> None:
        for repo in self._repos.values():
            repo.cat.close()

    # -- repositories ----------------------------------------------------------------------
    def _root(self, abspath: str) -> tuple[str | None, str]:
        """The repository holding ``abspath`` and its root-relative POSIX path."""
        root = self.roots.find(os.path.dirname(abspath))
        if root is None:
            return None, ""
        return root, os.path.relpath(abspath, root).replace(os.sep, "/")

    def _repo(self, root: str) -> _Repo:
        """The repository at ``root``, its revisions resolved."""
        self.start(root)
        repo = self._repos[root]
        if not repo.resolved:
            repo.resolved = True
            self._resolve(repo)
        return repo

    def start(self, root: str) -> None:
        """Start git for ``root`` and ask for the revisions now, while the files are read and lexed."""
        if root not in self._repos:
            self.roots.start_version(root)  # checked in _resolve, before any answer is used
            repo = self.roots.repo(root)
            index = self.roots.index_file(repo) if repo is not None else None
            cat = CatFile(root, max_bytes=MAX_FILE_BYTES, index_file=index, timeout=self.roots.timeout)
            self._repos[root] = _Repo(cat)
            cat.send([f"{rev}^{{commit}}" for rev in (self.base, self.new) if rev], contents=False)

    def _resolve(self, repo: _Repo) -> None:
        self.roots.check_version(repo.cat.root)
        try:
            obj = repo.cat.get(f"{self.base}^{{commit}}", contents=False)
            if self.new:
                new = repo.cat.get(f"{self.new}^{{commit}}", contents=False)
                repo.new_oid = new.oid if new is not None else None
        except GitTimeout as exc:
            raise BaseError(f"{exc}: no file was compared with {self.base}") from None
        except GitError as exc:
            if self.origin is not None:
                raise BaseError(f"{self.origin} {self.base}: git cannot read the repository: {exc}") from None
            repo.problem = str(exc)
            return
        if obj is not None:
            repo.base_oid = obj.oid
        elif self.origin is not None:
            raise BaseError(missing_base(repo.cat.root, self.base, self.origin))
        else:  # the implicit base is HEAD
            repo.problem = "the repository has no commits yet"

    # -- the new side ------------------------------------------------------------------------
    def read_new(self, abspath: str) -> str:
        """The new side of ``abspath`` (from the index or the to-ref, else the working tree),
        remembered so that a file unchanged since the base is not lexed twice."""
        text = self._texts[abspath] = self._read_new(abspath)
        # The base blob's id is asked for now when the base is known without waiting, else ``load`` asks.
        root, rel = self._root(abspath)
        started = self._repos.get(root) if root is not None else None
        if root is not None and started is not None and (started.resolved or started.cat.answered()):
            repo = self._repo(root)
            if repo.base_oid is not None:
                repo.cat.send([f"{repo.base_oid}:{rel}"], contents=False)
        return text

    def _read_new(self, abspath: str) -> str:
        root, rel = self._root(abspath)
        if root is not None and self.new == "" and os.path.islink(abspath):
            # The index holds a symlink's target path, not the file: ask for the file it
            # leads to (when that is in the same repository), as --follow-symlinks does for trees.
            target_root, rel = self._root(os.path.realpath(abspath))
            root = root if target_root == root else None
        if root is not None and self.new is not None:
            repo = self._repo(root)  # a git too old, or stopped for its silence: the run ends
            try:
                # The index as stage 0 with a `./` path (`:0:requirements.txt` is no file named `0:requirements.txt`,
                # `:/x` no search); a commit by its id, whose `:` ends at the first colon.
                rev = "" if self.new == "" else repo.new_oid
                obj = repo.cat.get(f":0:./{rel}" if rev == "" else f"{rev}:{rel}") if rev is not None else None
            except GitTimeout as exc:
                raise BaseError(f"{exc}: {os.path.relpath(abspath)} could not be read from git") from None
            except GitError as exc:
                raise ReadError(f"cannot read it from git: {exc}") from None
            if obj is not None and obj.type == "blob":
                if obj.data is None:
                    raise ReadError(f"larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB; not a requirements file")
                self._oids[abspath] = obj.oid
                return decode(obj.data)
        return read_path(abspath)

    # -- the old side ------------------------------------------------------------------------
    def earlier(self, abspath: str) -> tuple[ReqFile, ...]:
        """``abspath`` as the last ``HISTORY_DEPTH`` commits before the base that changed it left it,
        newest first (empty when git has no such history or cannot tell)."""
        root, rel = self._root(abspath)
        repo = self._repos.get(root) if root is not None else None
        if root is None or repo is None or repo.base_oid is None:
            return ()
        args = ["--literal-pathspecs", "rev-list", f"--max-count={HISTORY_DEPTH + 1}", repo.base_oid, "--", rel]
        try:
            out = run(args, cwd=root)
            commits = out.decode("ascii", "replace").split()[1:]  # the first holds the base version
            found: list[ReqFile] = []
            for obj in repo.cat.ask([f"{c}:{rel}" for c in commits]):
                if obj is not None and obj.type == "blob" and obj.data is not None:
                    with contextlib.suppress(ReadError):
                        found.append(lex(decode(obj.data), rel, base=True))
        except GitError:
            return ()
        return tuple(found)

    def load(self, graph: Graph) -> tuple[dict[str, ReqFile | None], dict[str, str]]:
        """Every reached file at the base (None: new there), and why some have none (RH902)."""
        files: dict[str, ReqFile | None] = BaseFiles(self)
        unavailable: dict[str, str] = {}
        wanted: dict[str, list[tuple[Node, str]]] = {}  # root -> its files and their paths there
        seen: set[str] = set()
        for node in graph.nodes.values():
            if node.file is None or node.abspath in seen:
                continue
            seen.add(node.abspath)
            root, rel = self._root(node.abspath)
            if root is None:
                why = self.roots.no_git or f"{node.display} is not in a git repository"
                if self.origin is not None:
                    raise BaseError(f"{self.origin} {self.base}: {why}")
                unavailable[node.abspath] = self.roots.no_git or "it is not in a git repository"
                continue
            repo = self._repo(root)
            if repo.problem is not None:
                unavailable[node.abspath] = repo.problem
                continue
            wanted.setdefault(root, []).append((node, rel))
        for root, nodes in wanted.items():
            try:
                self._load(self._repos[root], nodes, files, unavailable)
            except GitError as exc:
                display = next(n.display for n, _ in nodes if n.abspath not in files and n.abspath not in unavailable)
                if isinstance(exc, GitTimeout):
                    raise BaseError(f"{exc}: {display} was not compared with {self.base}") from None
                if self.origin is not None:
                    raise BaseError(f"{self.origin} {self.base}: {display}: {exc}") from None
                for node, _ in nodes:
                    if node.abspath not in files:
                        unavailable.setdefault(node.abspath, str(exc))
        return files, unavailable

    def _load(
        self, repo: _Repo, nodes: list[tuple[Node, str]], files: dict[str, ReqFile | None], unavailable: dict[str, str]
    ) -> None:
        """The base versions of ``nodes``: every blob's id, and the data of those whose id is not the new side's."""
        infos = repo.cat.ask([f"{repo.base_oid}:{rel}" for _, rel in nodes], contents=False)
        blobs: list[tuple[Node, GitObject]] = []
        same_size: dict[str, bytes] = {}  # abspath -> the new side's bytes, of its base blob's size
        for (node, _), info in zip(nodes, infos, strict=True):
            if info is None or info.type != "blob":
                files[node.abspath] = None  # new at the base (or not a file there)
            elif info.size > MAX_FILE_BYTES:
                unavailable[node.abspath] = f"at the base it cannot be read: larger than {MAX_FILE_BYTES >> 20} MiB"
            else:
                blobs.append((node, info))
                text = self._texts.get(node.abspath)
                data = _blob_bytes(text) if text is not None and node.abspath not in self._oids else None
                if data is not None and len(data) == info.size:
                    same_size[node.abspath] = data
        hashing = sum(map(len, same_size.values())) >= HASH_FROM_BYTES
        changed: list[tuple[Node, str]] = []
        for node, info in blobs:
            oid = self._oids.get(node.abspath)
            if oid is None and hashing and node.abspath in same_size:
                oid = _blob_id(same_size[node.abspath], len(info.oid))
            if oid == info.oid:
                files[node.abspath] = node.file  # unchanged: nothing to read or compare
            else:
                changed.append((node, info.oid))
        for (node, _), blob in zip(changed, repo.cat.ask([oid for _, oid in changed]), strict=True):
            if blob is None or blob.data is None:  # pragma: no cover - gone since git named it
                files[node.abspath] = None
                continue
            try:
                text = decode(blob.data)
                new = self._texts.get(node.abspath)
                # equal but for CRLF/LF line ends (``core.autocrlf``), which the lexer reads alike
                same = new is not None and (new == text or new.replace("\r\n", "\n") == text.replace("\r\n", "\n"))
                key = (blob.oid, node.display)
                if not same and key not in self._lexed:
                    self._lexed[key] = lex(text, node.display, base=True)
                files[node.abspath] = node.file if same else self._lexed[key]
            except ReadError as exc:
                unavailable[node.abspath] = f"at the base it cannot be read: {exc}"


def _blob_id(data: bytes, hex_length: int) -> str:
    """git's id of a blob holding ``data``: sha1, or sha256 in a repository of 64-digit ids."""
    import hashlib

    algo = hashlib.sha1 if hex_length == 40 else hashlib.sha256
    return algo(b"blob %d\0%s" % (len(data), data), usedforsecurity=False).hexdigest()


def _blob_bytes(text: str) -> bytes | None:
    """Bytes ``_source.decode`` reads as ``text``: its UTF-8, unless a byte order mark or a coding line
    would make ``decode`` read them otherwise (None: that cannot be told without reading the blob)."""
    second = text.find("\n", text.find("\n") + 1)
    if text.startswith("\ufeff") or "coding" in (text if second < 0 else text[:second]):
        return None
    return text.encode("utf-8")  # (decode's UTF-8 gives no lone surrogates)


def missing_base(root: str, rev: str, origin: str) -> str:
    """Why ``rev`` names no commit here, and advice that works: a branch of a remote this clone
    has not fetched, history a shallow clone lacks, or a name that is nowhere (with near ones).
    Only on this error path does git run more (three short commands); the tool never fetches."""
    import difflib

    def lines(*args: str) -> list[str]:
        try:
            return run(args, cwd=root).decode("utf-8", "replace").split()
        except GitError:
            return []

    shallow = lines("rev-parse", "--is-shallow-repository") == ["true"]
    refs = lines("for-each-ref", "--format=%(refname:short)")
    remote, _, branch = rev.partition("/")
    if branch and remote in lines("remote") and rev not in refs:
        depth = "--depth=1 " if shallow else ""
        advice = (
            f"this clone has not fetched {branch} from {remote} (a single-branch or shallow clone); "
            f"fetch it with `git fetch {depth}{remote} {branch}:refs/remotes/{remote}/{branch}`"
        )
    elif shallow:
        advice = (
            "this is a shallow clone and its history may end before it; fetch more with "
            "`git fetch --deepen=100` or `git fetch --unshallow` (actions/checkout: `fetch-depth: 0`)"
        )
    else:
        advice = "no branch, tag or commit here has that name"
    near = difflib.get_close_matches(rev, [r for r in refs if r != rev], n=3, cutoff=0.6)
    hint = f"; did you mean {', '.join(near)}?" if near else ""
    return f"{origin} {rev} does not name a commit in this repository: {advice}{hint} (or pass --no-base)"


def sides_for(
    *, base: str | None, config_base: str | None, staged: bool, environ: Mapping[str, str], roots: Roots | None = None
) -> Sides:
    """The sides a run compares: ``--base`` > pre-push's from-ref > the ``base`` setting > HEAD, against
    the working tree (the index with ``--staged``; under pre-push, the to-ref, what is being pushed)."""
    from_ref, to_ref = environ.get("PRE_COMMIT_FROM_REF", ""), environ.get("PRE_COMMIT_TO_REF", "")
    push = (from_ref, to_ref) if from_ref and to_ref else None  # pre-commit's pre-push refs
    if base is not None:
        rev, origin = base, "--base"
    elif push is not None:
        rev, origin = push[0], "PRE_COMMIT_FROM_REF"
    elif config_base is not None:
        rev, origin = config_base, "the `base` setting"
    else:
        rev, origin = DEFAULT_BASE, None
    if not rev.strip() or any(c in rev for c in "\0\n\r"):  # it could not be sent to git
        raise BaseError(f"{origin or '--base'} {rev!r} is not a git revision (such as HEAD~1 or origin/main)")
    new = "" if staged else (push[1] if push is not None else None)
    return Sides(base=rev, origin=origin, new=new, roots=roots)
