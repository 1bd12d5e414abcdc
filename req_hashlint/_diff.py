"""Each file against its version at a git base: reading the old side, pairing entries.

The old side of every file reached (roots and ``-r``/``-c`` includes) comes from one
``git cat-file --batch`` process per repository for the whole run (``_git.CatFile``), so
git runs a constant number of times whatever the number of files. Base blobs are decoded
and lexed by the same code as the working tree. A file renamed since the base is not
followed through the rename: it is new at the base, and gets the file rules only.

Pairing (the diff rules' contract): an old entry and a new entry are the same requirement
when their normalized name and marker match (extras ignored); a name that appears exactly
once on each side pairs even if its marker changed. Hashes are compared as sets of
``algo:digest`` (digest lowercased), so reformatting or reordering changes nothing.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping

from ._dataclass import dataclass, field
from ._git import CatFile, GitError, GitObject, GitTimeout, Roots
from ._graph import Graph
from ._lex import lex
from ._model import Entry, ReqFile
from ._reqparse import compare_versions
from ._source import MAX_FILE_BYTES, ReadError, decode, read_path

DEFAULT_BASE = "HEAD"


class BaseError(Exception):
    """An explicitly requested base that cannot be used; a usage error (exit 2)."""


# -- pairing and comparing ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Change:
    """A pinned requirement at the base and now, with its hash sets."""

    old: Entry
    new: Entry
    old_hashes: frozenset[str]
    new_hashes: frozenset[str]
    same_version: bool

    @property
    def name(self) -> str:
        return self.new.name or self.new.key or "?"

    @property
    def old_version(self) -> str:
        assert self.old.version is not None
        return self.old.version

    @property
    def new_version(self) -> str:
        assert self.new.version is not None
        return self.new.version


def hash_value(algo: str, digest: str) -> str:
    return f"{algo}:{digest.lower()}"


def hash_set(entry: Entry) -> frozenset[str]:
    return frozenset(hash_value(h.algo, h.digest) for h in entry.hashes)


def pair(old: Iterable[Entry], new: Iterable[Entry]) -> Iterator[tuple[Entry, Entry]]:
    """(old, new) entries that are the same requirement."""
    olds = _by_key(old)
    for key, news in _by_key(new).items():
        before = olds.get(key)
        if not before:
            continue
        if len(before) == 1 and len(news) == 1:
            yield before[0], news[0]
            continue
        by_marker: dict[str | None, list[Entry]] = {}
        for e in before:
            by_marker.setdefault(e.marker, []).append(e)
        for n in news:
            candidates = by_marker.get(n.marker)
            if candidates:
                yield candidates.pop(0), n


def _by_key(entries: Iterable[Entry]) -> dict[str, list[Entry]]:
    out: dict[str, list[Entry]] = {}
    for e in entries:
        if e.key and e.error is None:
            out.setdefault(e.key, []).append(e)
    return out


def changes(old: ReqFile, new: ReqFile) -> Iterator[Change]:
    """Every paired entry pinned on both sides and hashed on at least one."""
    for o, n in pair(old.entries, new.entries):
        if o.version is None or n.version is None or not (o.hashes or n.hashes):
            continue
        if o is n or (o.version == n.version and [h.value for h in o.hashes] == [h.value for h in n.hashes]):
            continue  # untouched: the common case, settled without building sets
        yield Change(o, n, hash_set(o), hash_set(n), same_version(o.version, n.version))


def same_version(a: str, b: str) -> bool:
    """PEP 440 equality (``1.0`` is ``1.0.0``); packaging is imported only when the strings differ."""
    if a == b:
        return True
    order = compare_versions(a, b)
    if order is not None:
        return order == 0
    from packaging.version import InvalidVersion, Version

    try:
        return Version(a) == Version(b)
    except InvalidVersion:
        return False


def direction(a: str, b: str) -> str:
    """How a message words ``a -> b``: bumped, downgraded, or changed."""
    order = compare_versions(a, b)
    if order is not None:
        return "bumped" if order < 0 else "downgraded"
    from packaging.version import InvalidVersion, Version

    try:
        return "bumped" if Version(b) > Version(a) else "downgraded"
    except InvalidVersion:
        return "changed"


# -- the sides, from git ------------------------------------------------------------------


@dataclass(slots=True)
class _Repo:
    cat: CatFile
    base_oid: str | None = None
    problem: str | None = None  # why the base is unavailable here
    new_oid: str | None = None  # the new side's commit (pre-push to-ref), when there is one


@dataclass(slots=True)
class Sides:
    """Where the old side (and, with ``--staged`` or pre-push, the new side) comes from.

    ``origin`` names where an explicit base was asked for (``--base``, the config key,
    ``PRE_COMMIT_FROM_REF``); None for the default ``HEAD``, whose absence is a note (RH902)
    instead of a usage error. ``new`` is None to read the working tree, ``""`` for the git
    index, or a revision (pre-push's to-ref).
    """

    base: str = DEFAULT_BASE
    origin: str | None = None
    new: str | None = None
    roots: Roots = field(default_factory=Roots)  # which repository holds a file, as git says
    _repos: dict[str, _Repo] = field(default_factory=dict)
    _texts: dict[str, str] = field(default_factory=dict)  # abspath -> the new side's text
    _started: dict[str, CatFile] = field(default_factory=dict)  # root -> git started ahead (start)

    def close(self) -> None:
        for repo in self._repos.values():
            repo.cat.close()
        for cat in self._started.values():
            cat.close()

    def __enter__(self) -> Sides:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- repositories ----------------------------------------------------------------------
    def _root(self, abspath: str) -> tuple[str | None, str]:
        """The repository holding ``abspath`` and its root-relative POSIX path."""
        root = self.roots.find(os.path.dirname(abspath))
        if root is None:
            return None, ""
        return root, os.path.relpath(abspath, root).replace(os.sep, "/")

    def _repo(self, root: str) -> _Repo:
        repo = self._repos.get(root)
        if repo is None:
            cat = self._started.pop(root, None) or self._cat(root)
            repo = self._repos[root] = _Repo(cat)
            self._resolve(repo)
        return repo

    def _cat(self, root: str) -> CatFile:
        self.roots.start_version(root)  # checked in _resolve, before any answer is used
        repo = self.roots.repo(root)
        index = self.roots.index_file(repo) if repo is not None else None
        return CatFile(root, max_bytes=MAX_FILE_BYTES, index_file=index)

    def start(self, root: str) -> None:
        """Start git for ``root`` now and ask it for the revisions ahead: it resolves them while
        the working tree is read and lexed (``_resolve`` then only reads the answers)."""
        if root in self._repos or root in self._started:
            return
        cat = self._started[root] = self._cat(root)
        cat.send([f"{rev}^{{commit}}" for rev in (self.base, self.new) if rev])

    def _resolve(self, repo: _Repo) -> None:
        self.roots.check_version(repo.cat.root)
        try:
            obj = repo.cat.get(f"{self.base}^{{commit}}")
            if self.new:
                new = repo.cat.get(f"{self.new}^{{commit}}")
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
        elif self.base == DEFAULT_BASE:
            repo.problem = "the repository has no commits yet"
        else:  # pragma: no cover - only the default base is implicit
            repo.problem = f"{self.base} does not name a commit"

    # -- the new side ------------------------------------------------------------------------
    def read_new(self, abspath: str) -> str:
        """The new side of ``abspath`` (from the index or the to-ref, else the working tree),
        remembered so that a file unchanged since the base is not lexed twice."""
        text = self._texts[abspath] = self._read_new(abspath)
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
                rev = "" if self.new == "" else repo.new_oid
                obj = repo.cat.get(_object_name(rev, rel)) if rev is not None else None
            except GitTimeout as exc:
                raise BaseError(f"{exc}: {os.path.relpath(abspath)} could not be read from git") from None
            except GitError as exc:
                raise ReadError(f"cannot read it from git: {exc}") from None
            if obj is not None and obj.type == "blob":
                if obj.data is None:
                    raise ReadError(f"larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB; not a requirements file")
                return decode(obj.data)
        return read_path(abspath)

    # -- the old side ------------------------------------------------------------------------
    def _prefetch(self, graph: Graph) -> dict[tuple[str, str], GitObject | GitError | None]:
        """The base objects of every file, asked of git in batches (see CatFile.get_many).

        ``load`` takes its answers from here, and asks git itself for anything missing, so it
        behaves as if it asked object by object; an error is kept for the name it belongs to.
        """
        out: dict[tuple[str, str], GitObject | GitError | None] = {}
        for root, names in _prefetch_names(self, graph).items():
            got, error = self._repos[root].cat.get_many(names)
            out.update(((root, name), obj) for name, obj in zip(names, got, strict=False))
            if error is not None:
                out[(root, names[len(got)])] = error
        return out

    def load(self, graph: Graph) -> tuple[dict[str, ReqFile | None], dict[str, str]]:
        """Every reached file at the base (None: new there), and why some have none (RH902)."""
        files: dict[str, ReqFile | None] = {}
        unavailable: dict[str, str] = {}
        fetched = self._prefetch(graph)
        for node in graph.nodes.values():
            if node.file is None or node.abspath in files or node.abspath in unavailable:
                continue
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
            try:
                name = f"{repo.base_oid}:{rel}"
                obj = fetched.pop((root, name)) if (root, name) in fetched else repo.cat.get(name)
                if isinstance(obj, GitError):
                    raise obj
            except GitTimeout as exc:
                raise BaseError(f"{exc}: {node.display} was not compared with {self.base}") from None
            except GitError as exc:
                if self.origin is not None:
                    raise BaseError(f"{self.origin} {self.base}: {node.display}: {exc}") from None
                unavailable[node.abspath] = str(exc)
                continue
            if obj is None or obj.type != "blob":
                files[node.abspath] = None  # new at the base (or not a file there)
                continue
            try:
                if obj.data is None:
                    raise ReadError(f"larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB")
                text = decode(obj.data)
                new = self._texts.get(node.abspath)
                if new is not None and _same_text(new, text):
                    files[node.abspath] = node.file  # unchanged: nothing to compare
                else:
                    files[node.abspath] = lex(text, node.display)
            except ReadError as exc:
                unavailable[node.abspath] = f"at the base it cannot be read: {exc}"
        return files, unavailable


def _prefetch_names(sides: Sides, graph: Graph) -> dict[str, list[str]]:
    """The base objects ``load`` will ask for, in its order: the files of the first
    repository, up to the first file that is elsewhere or that it would refuse (so that
    every error still comes from ``load``, at the file it belongs to)."""
    names: dict[str, list[str]] = {}
    seen: set[str] = set()
    for node in graph.nodes.values():
        if node.file is None or node.abspath in seen:
            continue
        seen.add(node.abspath)
        root, rel = sides._root(node.abspath)
        if root is None or (names and root not in names):
            break
        repo = sides._repo(root)
        if repo.problem is not None:
            break
        names.setdefault(root, []).append(f"{repo.base_oid}:{rel}")
    return names


def missing_base(root: str, rev: str, origin: str) -> str:
    """Why ``rev`` names no commit here, and advice that works: a branch of a remote this clone
    has not fetched, history a shallow clone lacks, or a name that is nowhere (with near ones).
    Only on this error path does git run more (three short commands); the tool never fetches."""
    import difflib

    from ._git import run

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


def _object_name(rev: str, rel: str) -> str:
    """``rev:rel`` for cat-file, never ambiguous: the index (``rev`` "") as stage 0 with a
    ``./`` path (``:0:requirements.txt`` is no file named ``0:requirements.txt``, ``:/x`` no
    search), a commit by its object id, whose ``:`` ends at the first colon."""
    return f":0:./{rel}" if rev == "" else f"{rev}:{rel}"


def _same_text(a: str, b: str) -> bool:
    """Equal but for CRLF/LF line ends (``core.autocrlf``), which the lexer reads alike."""
    return a == b or a.replace("\r\n", "\n") == b.replace("\r\n", "\n")


def check_revision(rev: str, origin: str) -> str:
    """A revision as given by the user, refused when it cannot be sent to git."""
    if not rev.strip() or any(c in rev for c in "\0\n\r"):
        raise BaseError(f"{origin} {rev!r} is not a git revision (such as HEAD~1 or origin/main)")
    return rev


def pre_push_refs(environ: Mapping[str, str]) -> tuple[str, str] | None:
    """pre-commit's pre-push from- and to-ref, when both are set."""
    from_ref = environ.get("PRE_COMMIT_FROM_REF", "")
    to_ref = environ.get("PRE_COMMIT_TO_REF", "")
    return (from_ref, to_ref) if from_ref and to_ref else None


def sides_for(
    *, base: str | None, config_base: str | None, staged: bool, environ: Mapping[str, str], roots: Roots | None = None
) -> Sides:
    """The sides a run compares: ``--base`` > pre-push's from-ref > the ``base`` setting > HEAD.

    The new side is the working tree; the index with ``--staged``; under pre-push, the
    to-ref (what is being pushed).
    """
    push = pre_push_refs(environ)
    if base is not None:
        rev, origin = base, "--base"
    elif push is not None:
        rev, origin = push[0], "PRE_COMMIT_FROM_REF"
    elif config_base is not None:
        rev, origin = config_base, "the `base` setting"
    else:
        rev, origin = DEFAULT_BASE, None
    check_revision(rev, origin or "--base")
    new = "" if staged else (push[1] if push is not None else None)
    return Sides(base=rev, origin=origin, new=new, roots=roots or Roots())
