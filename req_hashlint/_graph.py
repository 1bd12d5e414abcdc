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

import os
from collections.abc import Callable
from dataclasses import dataclass, field

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


@dataclass(frozen=True, slots=True)
class IncludeProblem:
    """An include that was not followed (RH010 decides the finding)."""

    node_key: tuple[str, bool]  # the including node
    include: Include
    reason: str  # "url", "missing", "unreadable", "cycle", "outside", "depth", "budget"
    detail: str


@dataclass(slots=True)
class Node:
    """A file as reached in a run: as a requirements file, or as a constraints file."""

    abspath: str  # the path it was first reached by
    display: str
    rel: str  # root-relative POSIX path
    constraint: bool
    file: ReqFile | None
    read_error: str | None = None
    roots: list[str] = field(default_factory=list)  # idents of the root files reaching it
    included_by: tuple[tuple[str, bool], Include] | None = None  # (the including node's key, the include)
    # what makes it one node: its real path (symlinks resolved), and for a file with includes
    # the real directory they resolve against (set by ``build``)
    ident: str = ""

    @property
    def key(self) -> tuple[str, bool]:
        return (self.ident or self.abspath, self.constraint)


@dataclass(slots=True)
class Graph:
    nodes: dict[tuple[str, bool], Node] = field(default_factory=dict)
    # root node's ident -> node keys of its include graph, in pip's reading order
    members: dict[str, list[tuple[str, bool]]] = field(default_factory=dict)
    problems: list[IncludeProblem] = field(default_factory=list)
    # (including node key, include index) -> the key of the node it leads to, when followed
    edges: dict[tuple[tuple[str, bool], int], tuple[str, bool]] = field(default_factory=dict)


Reader = Callable[[str], str]


def _within(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def rel_to(path: str, root: str) -> str:
    rel = os.path.relpath(path, root)
    return rel.replace(os.sep, "/")


def build(
    roots: list[tuple[str, str, str | None]],
    *,
    boundary: Callable[[str], str],
    reader: Reader,
) -> Graph:
    """Lex every root and what it includes.

    ``roots`` holds (abspath, display path, text or None to read it). ``boundary(abspath)``
    gives the directory nothing may be read outside of.
    """
    graph = Graph()
    lexed: dict[str, ReqFile | str] = {}  # real path -> the lexed file, or why it cannot be read
    # (including node, include index, boundary) -> target: checked once per run, not once per root
    resolved: dict[tuple[tuple[str, bool], int, str], tuple[bool, str, str, str]] = {}
    reported: set[tuple[tuple[str, bool], int, str]] = set()
    visits = 0

    def load(real: str, abspath: str, display: str, text: str | None) -> tuple[ReqFile | None, str | None]:
        cached = lexed.get(real)
        if cached is None:
            try:
                content = reader(abspath) if text is None else text
                cached = lex(content, display)
            except ReadError as exc:
                cached = str(exc)
            lexed[real] = cached
        if isinstance(cached, str):
            return None, cached
        return cached, None

    def problem(node: Node, index: int, reason: str, detail: str) -> None:
        if (node.key, index, reason) not in reported:
            reported.add((node.key, index, reason))
            assert node.file is not None
            graph.problems.append(IncludeProblem(node.key, node.file.includes[index], reason, detail))

    def ident(real: str, abspath: str, file: ReqFile | None) -> str:
        """What makes a node: the real file, and for a file with includes also the real
        directory they resolve against (pip resolves them next to the path it opened, so a
        file symlinked into another directory includes other files)."""
        if file is None or not file.includes:
            return real
        folder = os.path.dirname(abspath)
        real_dir = dirs.get(folder)
        if real_dir is None:
            real_dir = dirs[folder] = _real(folder)
        return real if real_dir == os.path.dirname(real) else f"{real}\x00{real_dir}"

    dirs: dict[str, str] = {}
    for root_abs, root_display, root_text in roots:
        bound = boundary(root_abs)
        bound_real = os.path.realpath(bound)
        root_real = _real(root_abs) if root_text is None else os.path.normpath(root_abs)
        order: list[tuple[str, bool]] = []
        root_id = root_real
        seen_here: set[tuple[str, bool]] = set()
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
            inc = parent.file.includes[index] if parent is not None and parent.file is not None else None
            if real not in lexed and len(lexed) >= MAX_FILES:
                if parent is not None and inc is not None:
                    problem(
                        parent,
                        index,
                        "budget",
                        f"`{inc.kind} {inc.target}` is not followed, so it is not checked: this run already "
                        f"reads {MAX_FILES:,} files, the most it reads",
                    )
                    continue
                file: ReqFile | None = None
                err: str | None = f"not linted: this run already reads {MAX_FILES:,} files, the most it reads"
            else:
                escape = _escapes(abspath, real, bound, bound_real) if parent is None and text is None else None
                file, err = (None, escape) if escape else load(real, abspath, display, text)
            node_id = ident(real, abspath, file)
            key = (node_id, constraint)
            if parent is None:
                if node_id in graph.members:
                    break  # the same file given twice (or through a symlink): one root
                graph.members[node_id] = order
                root_id = node_id
            elif inc is not None:
                if node_id in on_chain:
                    at = chain.index(node_id)
                    cycle = " -> ".join(os.path.basename(p) for p in (*names[at:], names[at]))
                    problem(
                        parent,
                        index,
                        "cycle",
                        f"`{inc.kind} {inc.target}` makes an include cycle ({cycle}); pip refuses the file",
                    )
                    continue
                if len(chain) >= MAX_INCLUDE_DEPTH:
                    problem(
                        parent,
                        index,
                        "depth",
                        f"`{inc.kind} {inc.target}` is {len(chain)} includes deep; not followed further",
                    )
                    continue
            node = graph.nodes.get(key)
            if node is None:
                inc_by = None if parent is None or inc is None else (parent.key, inc)
                node = Node(
                    abspath, display, rel_to(abspath, bound), constraint, file, err, included_by=inc_by, ident=node_id
                )
                graph.nodes[key] = node
            elif parent is None:
                node.included_by = None  # also a root: its problems are reported as a root's (RH901)
            if parent is not None and inc is not None:
                graph.edges[(parent.key, index)] = key
                if node.read_error is not None:
                    detail = f"`{inc.kind} {inc.target}` cannot be read ({node.read_error}); pip fails to open it"
                    problem(parent, index, "unreadable", detail)
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
                if cache_key not in resolved:
                    resolved[cache_key] = _resolve(node, inc, bound, bound_real)
                ok, t_abs, t_display, t_real = resolved[cache_key]
                if not ok:
                    problem(node, index, t_abs, t_display)  # (reason, detail)
                elif visits >= MAX_VISITS:
                    problem(
                        node,
                        index,
                        "depth",
                        f"`{inc.kind} {inc.target}` is not followed: this run's include graphs already reach "
                        f"{MAX_VISITS:,} files (counted once per root file)",
                    )
                else:
                    pending.append((t_real, t_abs, t_display, constraint or inc.kind == "-c", None, node, index))
            stack.extend(reversed(pending))
    return graph


def _real(abspath: str) -> str:
    """The real path (symlinks resolved); the path itself when it cannot be resolved (reading it
    reports why)."""
    try:
        return os.path.realpath(abspath)
    except (OSError, RuntimeError, ValueError):
        return os.path.normpath(abspath)


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


def _resolve(
    node: Node,
    inc: Include,
    bound: str,
    bound_real: str,
) -> tuple[bool, str, str, str]:
    """(True, abspath, display path, real path) of the include's target, or (False, reason, detail, "").

    Everything that does not depend on the chain that reached the include: the same for
    every root, so checked once.
    """
    target = inc.target
    scheme = url_scheme(target)
    if scheme is not None and len(scheme) > 1:
        return (
            False,
            "url",
            f"`{inc.kind} {target}` is a URL; it is never fetched, so its requirements are not checked",
            "",
        )
    if not target:
        return False, "missing", f"`{inc.kind}` has an empty file name", ""
    t_abs = os.path.normpath(os.path.join(os.path.dirname(node.abspath), target))
    t_display = os.path.normpath(os.path.join(os.path.dirname(node.display), target))
    if not _within(t_abs, bound):
        return (
            False,
            "outside",
            f"`{inc.kind} {target}` points outside the repository; it is not followed, so nothing outside is read",
            "",
        )
    try:
        real = os.path.realpath(t_abs)
    except (OSError, RuntimeError, ValueError):
        return False, "unreadable", f"`{inc.kind} {target}` cannot be resolved (a symlink loop?)", ""
    if not _within(real, bound_real):
        return (
            False,
            "outside",
            f"`{inc.kind} {target}` is a symlink that leads outside the repository; it is not followed",
            "",
        )
    if _in_git_dir(t_abs, bound) or _in_git_dir(real, bound_real):
        return (
            False,
            "outside",
            f"`{inc.kind} {target}` points into the repository's .git directory, which is never read",
            "",
        )
    if not os.path.lexists(t_abs):
        return (
            False,
            "missing",
            f"`{inc.kind} {target}` does not exist (looked for {rel_to(t_abs, bound)}); pip fails to open it",
            "",
        )
    return True, t_abs, t_display, real
