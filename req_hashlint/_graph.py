"""The include graph: ``-r`` and ``-c`` followed relative to the including file.

Nothing outside the root (the repository, or the working directory outside git) is ever
opened: a target that resolves outside it, through ``..``, an absolute path or a symlink,
is refused before any read. URL includes are never fetched. Traversal is iterative, so a
5,000-deep chain costs no recursion.

A file is one node (per role) however many paths reach it: nodes are keyed by the real
path, so symlinked directories (``a -> .``) cannot multiply one file into thousands, and
each file is read and lexed once per run. A budget that runs out is reported, never passed
over: a root left unread is an RH901, an include left unfollowed an RH010.
"""

from __future__ import annotations

import enum
import os
from collections.abc import Callable
from typing import NamedTuple

from ._lex import lex
from ._model import Include, ReqFile
from ._reqparse import url_scheme
from ._source import ReadError

# A chain deeper than this is refused: pip itself recurses and fails long before.
MAX_INCLUDE_DEPTH = 10_000
# At most this many distinct files are read for one run's include graphs.
MAX_FILES = 50_000
# At most this many (root, file) visits in one run: a 5,000-deep chain whose every file is
# also a root would otherwise make 12.5 million. Real repositories make a few thousand.
MAX_VISITS = 200_000


NodeKey = tuple[str, bool]  # (ident, whether it is read as a constraints file)


class Reason(enum.Enum):
    """Why an include is not followed."""

    URL = "url"  # never fetched
    EMPTY = "empty"  # `-r` with no file name
    OUTSIDE = "outside"  # `..` or an absolute path out of the repository
    SYMLINK_OUTSIDE = "symlink-outside"
    GIT_DIR = "git-dir"  # into `.git`, which is never read
    MISSING = "missing"  # fact: the path looked for, repository-relative
    UNREADABLE = "unreadable"  # fact: why it cannot be read
    CYCLE = "cycle"  # fact: the files of the cycle, `a.txt -> b.txt -> a.txt`
    TOO_DEEP = "too-deep"  # fact: how many includes deep
    FILE_BUDGET = "file-budget"  # fact: the most files a run reads (MAX_FILES), all read
    VISIT_BUDGET = "visit-budget"  # fact: the most (root, file) visits (MAX_VISITS), all made


class IncludeProblem(NamedTuple):
    """An include that is not followed, and why (RH010 words it)."""

    node_key: NodeKey  # the including node
    include: Include
    reason: Reason
    fact: str = ""


class Resolved(NamedTuple):
    """Where an include leads: the path as pip opens it, as shown, and its real path."""

    abspath: str
    display: str
    real: str


class Refused(NamedTuple):
    reason: Reason
    fact: str = ""


class Node:
    """A file as reached in a run: as a requirements file, or as a constraints file."""

    __slots__ = ("abspath", "constraint", "display", "file", "ident", "read_error", "rel", "root", "roots")

    def __init__(
        self,
        abspath: str,  # the path it was first reached by
        display: str,
        rel: str,  # root-relative POSIX path
        constraint: bool,
        file: ReqFile | None,
        read_error: str | None = None,
        *,
        root: bool = False,  # given to lint (its problems are an RH901), not only included
        ident: str = "",
    ) -> None:
        self.abspath = abspath
        self.display = display
        self.rel = rel
        self.constraint = constraint
        self.file = file
        self.read_error = read_error
        self.roots: list[str] = []  # idents of the root files reaching it
        self.root = root
        # what makes it one node: its real path (symlinks resolved), and for a file with
        # includes the real directory they resolve against (set by ``build``)
        self.ident = ident

    @property
    def key(self) -> NodeKey:
        return (self.ident or self.abspath, self.constraint)


class Graph:
    __slots__ = ("edges", "members", "nodes", "problems")

    def __init__(self) -> None:
        self.nodes: dict[NodeKey, Node] = {}
        # root node's ident -> node keys of its include graph, in pip's reading order
        self.members: dict[str, list[NodeKey]] = {}
        # (the including file's ident, include index) -> why it is not followed: one per include,
        # however many roots, roles or chains reach it (the first found)
        self.problems: dict[tuple[str, int], IncludeProblem] = {}
        # (including node key, include index) -> the key of the node it leads to, when followed
        self.edges: dict[tuple[NodeKey, int], NodeKey] = {}


Reader = Callable[[str], str]


def _within(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def rel_to(path: str, root: str) -> str:
    return os.path.relpath(path, root).replace(os.sep, "/")


def build(roots: list[tuple[str, str, str | None]], *, boundary: Callable[[str], str], reader: Reader) -> Graph:
    """Lex every root (abspath, display path, text or None to read it) and what it includes, reading
    nothing outside ``boundary(abspath)``."""
    graph = Graph()
    lexed: dict[str, ReqFile | str] = {}  # real path -> the lexed file, or why it cannot be read
    # (including node, include index, boundary) -> target: checked once per run, not once per root
    resolved: dict[tuple[NodeKey, int, str], Resolved | Refused] = {}
    reals = _Reals()
    visits = 0

    def load(real: str, abspath: str, display: str, text: str | None) -> ReqFile | str:
        if real not in lexed:
            try:
                lexed[real] = lex(reader(abspath) if text is None else text, display)
            except ReadError as exc:
                lexed[real] = str(exc)
        return lexed[real]

    def problem(node: Node, index: int, reason: Reason, fact: str = "") -> None:
        assert node.file is not None
        graph.problems.setdefault(
            (node.ident, index), IncludeProblem(node.key, node.file.includes[index], reason, fact)
        )

    def ident(real: str, abspath: str, file: ReqFile | None) -> str:
        """What makes a node: the real file, and for a file with includes the real directory they resolve
        against (pip resolves them beside the path it opened, so a file symlinked elsewhere includes others)."""
        if file is None or not file.includes:
            return real
        real_dir = reals.dir(os.path.dirname(abspath))
        return real if real_dir == os.path.dirname(real) else f"{real}\x00{real_dir}"

    for root_abs, root_display, root_text in roots:
        bound = boundary(root_abs)
        bound_real = reals.dir(bound)
        root_real = reals.path(root_abs) if root_text is None else os.path.normpath(root_abs)
        order: list[NodeKey] = []
        root_id = root_real
        seen_here: set[NodeKey] = set()
        chain: list[str] = []  # the nodes being followed (their idents), root first
        names: list[str] = []  # the same files as reached (for messages)
        on_chain: set[str] = set()
        # (real, abspath, display, constraint, text, including node, include index); None: the
        # last file of the chain is done
        stack: list[tuple[str, str, str, bool, str | None, Node | None, int] | None] = [
            (root_real, root_abs, root_display, False, root_text, None, 0)
        ]
        while stack:
            frame = stack.pop()
            if frame is None:
                on_chain.discard(chain.pop())
                names.pop()
                continue
            real, abspath, display, constraint, text, parent, index = frame
            if real not in lexed and len(lexed) >= MAX_FILES:
                if parent is not None:
                    problem(parent, index, Reason.FILE_BUDGET, f"{MAX_FILES:,}")
                    continue
                file: ReqFile | None = None
                err: str | None = f"not linted: this run already reads {MAX_FILES:,} files, the most it reads"
            else:
                escape = _escapes(abspath, real, bound, bound_real) if parent is None and text is None else None
                loaded = escape or load(real, abspath, display, text)
                file, err = (None, loaded) if isinstance(loaded, str) else (loaded, None)
            node_id = ident(real, abspath, file)
            key = (node_id, constraint)
            if parent is None:
                if node_id in graph.members:
                    break  # the same file given twice (or through a symlink): one root
                graph.members[node_id] = order
                root_id = node_id
            elif node_id in on_chain:
                at = chain.index(node_id)
                problem(parent, index, Reason.CYCLE, " -> ".join(os.path.basename(p) for p in (*names[at:], names[at])))
                continue
            elif len(chain) >= MAX_INCLUDE_DEPTH:
                problem(parent, index, Reason.TOO_DEEP, str(len(chain)))
                continue
            node = graph.nodes.get(key)
            if node is None:
                node = graph.nodes[key] = Node(
                    abspath, display, rel_to(abspath, bound), constraint, file, err, ident=node_id
                )
            if parent is None:
                node.root = True
            else:
                graph.edges[(parent.key, index)] = key
                if node.read_error is not None:
                    problem(parent, index, Reason.UNREADABLE, node.read_error)
            if key in seen_here:
                continue
            node.roots.append(root_id)
            seen_here.add(key)
            order.append(key)
            visits += 1
            if node.file is None or not node.file.includes:
                continue
            chain.append(node_id)
            names.append(abspath)
            on_chain.add(node_id)
            stack.append(None)
            pending = []
            for index, inc in enumerate(node.file.includes):
                cache_key = (node.key, index, bound)
                target = resolved.get(cache_key)
                if target is None:
                    target = resolved[cache_key] = _resolve(node, inc, bound, bound_real, reals)
                if isinstance(target, Refused):
                    problem(node, index, target.reason, target.fact)
                elif visits >= MAX_VISITS:
                    problem(node, index, Reason.VISIT_BUDGET, f"{MAX_VISITS:,}")
                else:
                    child_constraint = constraint or inc.kind == "-c"
                    pending.append((target.real, target.abspath, target.display, child_constraint, None, node, index))
            stack.extend(reversed(pending))
    return graph


class _Reals:
    """``realpath``, cached per directory: a file's real path is its real directory's path
    joined with its name, unless the file itself is a symlink (one ``lstat``)."""

    def __init__(self) -> None:
        self._dirs: dict[str, str] = {}

    def dir(self, folder: str) -> str:
        real = self._dirs.get(folder)
        if real is None:
            real = self._dirs[folder] = _realpath(folder)
        return real

    def path(self, abspath: str) -> str:
        """The real path; the path itself when it cannot be resolved (reading it reports why)."""
        folder, name = os.path.split(abspath)
        joined = os.path.join(self.dir(folder), name)
        return _realpath(joined) if os.path.islink(joined) else joined  # (islink never raises)


def _realpath(path: str) -> str:
    try:
        return os.path.realpath(path)
    except (OSError, RuntimeError, ValueError):
        return os.path.normpath(path)


def _in_git_dir(path: str, root: str) -> bool:
    """Whether ``path`` (inside ``root``) is in a ``.git`` directory: git's config can hold credentials."""
    return any(part.casefold() == ".git" for part in os.path.relpath(path, root).split(os.sep))


def _escapes(abspath: str, real: str, bound: str, bound_real: str) -> str | None:
    """Why a root file reached through a symlink is not read, or None."""
    if not _within(real, bound_real):
        return "it is a symlink that leads outside the repository; nothing outside is read"
    if _in_git_dir(real, bound_real) and not _in_git_dir(abspath, bound):
        return "it is a symlink into the repository's .git directory, which is never read"
    return None


def _resolve(node: Node, inc: Include, bound: str, bound_real: str, reals: _Reals) -> Resolved | Refused:
    """Where the include leads, or why it is not followed: all that does not depend on the chain that
    reached it, the same for every root, so checked once."""
    target = inc.target
    scheme = url_scheme(target)
    if scheme is not None and len(scheme) > 1:
        return Refused(Reason.URL)
    if not target:
        return Refused(Reason.EMPTY)
    t_abs = os.path.normpath(os.path.join(os.path.dirname(node.abspath), target))
    t_display = os.path.normpath(os.path.join(os.path.dirname(node.display), target))
    if not _within(t_abs, bound):
        return Refused(Reason.OUTSIDE)
    real = reals.path(t_abs)
    if not _within(real, bound_real):
        return Refused(Reason.SYMLINK_OUTSIDE)
    if _in_git_dir(t_abs, bound) or _in_git_dir(real, bound_real):
        return Refused(Reason.GIT_DIR)
    if not os.path.lexists(t_abs):
        return Refused(Reason.MISSING, rel_to(t_abs, bound))
    return Resolved(t_abs, t_display, real)
