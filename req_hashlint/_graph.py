"""The include graph: ``-r`` and ``-c`` followed relative to the including file.

Nothing outside the root (the repository, or the working directory outside git) is ever
opened: a target that resolves outside it, through ``..``, an absolute path or a symlink,
is refused before any read. URL includes are never fetched. Traversal is iterative, so a
5,000-deep chain costs no recursion.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from ._dataclass import dataclass, field
from ._lex import lex
from ._model import Include, ReqFile, Span
from ._reqparse import url_scheme
from ._source import ReadError

# A chain deeper than this is refused: pip itself recurses and fails long before.
MAX_INCLUDE_DEPTH = 10_000
# At most this many distinct files are read for one run's include graphs.
MAX_FILES = 50_000


@dataclass(frozen=True, slots=True)
class IncludeProblem:
    """An include that was not followed (RH010 decides the finding)."""

    node_key: tuple[str, bool]  # the including node
    include: Include
    reason: str  # "url", "missing", "unreadable", "cycle", "outside", "depth"
    detail: str


@dataclass(slots=True)
class Node:
    """A file as reached in a run: as a requirements file, or as a constraints file."""

    abspath: str
    display: str
    rel: str  # root-relative POSIX path
    constraint: bool
    file: ReqFile | None
    read_error: str | None = None
    roots: list[str] = field(default_factory=list)  # abspaths of the root files reaching it
    included_by: tuple[str, Include] | None = None

    @property
    def key(self) -> tuple[str, bool]:
        return (self.abspath, self.constraint)


@dataclass(slots=True)
class Graph:
    nodes: dict[tuple[str, bool], Node] = field(default_factory=dict)
    # root abspath -> node keys of its include graph, in pip's reading order
    members: dict[str, list[tuple[str, bool]]] = field(default_factory=dict)
    problems: list[IncludeProblem] = field(default_factory=list)


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
    lexed: dict[str, ReqFile | str] = {}

    def load(abspath: str, display: str, rel: str, text: str | None) -> tuple[ReqFile | None, str | None]:
        cached = lexed.get(abspath)
        if cached is None:
            try:
                content = reader(abspath) if text is None else text
                cached = lex(content, display)
            except ReadError as exc:
                cached = str(exc)
            lexed[abspath] = cached
        if isinstance(cached, str):
            return None, cached
        if cached.path != display:
            cached = _with_path(cached, display)
        return cached, None

    for root_abs, root_display, root_text in roots:
        bound = boundary(root_abs)
        bound_real = os.path.realpath(bound)
        order: list[tuple[str, bool]] = []
        graph.members[root_abs] = order
        seen_here: set[tuple[str, bool]] = set()
        # stack of (abspath, display, constraint, chain of abspaths, text, included_by)
        stack: list[tuple[str, str, bool, tuple[str, ...], str | None, tuple[str, Include] | None]] = [
            (root_abs, root_display, False, (root_abs,), root_text, None)
        ]
        while stack:
            abspath, display, constraint, chain, text, inc_by = stack.pop()
            key = (abspath, constraint)
            node = graph.nodes.get(key)
            if node is None:
                if len(graph.nodes) >= MAX_FILES:
                    break
                file, err = load(abspath, display, rel_to(abspath, bound), text)
                node = Node(abspath, display, rel_to(abspath, bound), constraint, file, err, included_by=inc_by)
                graph.nodes[key] = node
            if root_abs not in node.roots:
                node.roots.append(root_abs)
            if key in seen_here:
                continue
            seen_here.add(key)
            order.append(key)
            if node.file is None:
                continue
            pending = []
            for inc in node.file.includes:
                target = _resolve(graph, node, inc, chain, bound, bound_real)
                if target is None:
                    continue
                t_abs, t_display = target
                pending.append(
                    (t_abs, t_display, constraint or inc.kind == "-c", (*chain, t_abs), None, (abspath, inc))
                )
            stack.extend(reversed(pending))
    return graph


def _resolve(
    graph: Graph,
    node: Node,
    inc: Include,
    chain: tuple[str, ...],
    bound: str,
    bound_real: str,
) -> tuple[str, str] | None:
    def problem(reason: str, detail: str) -> None:
        graph.problems.append(IncludeProblem(node.key, inc, reason, detail))

    target = inc.target
    scheme = url_scheme(target)
    if scheme is not None and len(scheme) > 1:
        problem("url", f"`{inc.kind} {target}` is a URL; it is never fetched, so its requirements are not checked")
        return None
    if not target:
        problem("missing", f"`{inc.kind}` has an empty file name")
        return None
    t_abs = os.path.normpath(os.path.join(os.path.dirname(node.abspath), target))
    t_display = os.path.normpath(os.path.join(os.path.dirname(node.display), target))
    if not _within(t_abs, bound):
        problem(
            "outside",
            f"`{inc.kind} {target}` points outside the repository; it is not followed, so nothing outside is read",
        )
        return None
    try:
        real = os.path.realpath(t_abs)
    except (OSError, RuntimeError, ValueError):
        problem("unreadable", f"`{inc.kind} {target}` cannot be resolved (a symlink loop?)")
        return None
    if not _within(real, bound_real):
        problem("outside", f"`{inc.kind} {target}` is a symlink that leads outside the repository; it is not followed")
        return None
    if t_abs in chain:
        cycle = " -> ".join(os.path.basename(p) for p in (*chain[chain.index(t_abs) :], t_abs))
        problem("cycle", f"`{inc.kind} {target}` makes an include cycle ({cycle}); pip refuses the file")
        return None
    if len(chain) >= MAX_INCLUDE_DEPTH:
        problem("depth", f"`{inc.kind} {target}` is {len(chain)} includes deep; not followed further")
        return None
    if not os.path.lexists(t_abs):
        problem(
            "missing", f"`{inc.kind} {target}` does not exist (looked for {rel_to(t_abs, bound)}); pip fails to open it"
        )
        return None
    return t_abs, t_display


def _with_path(file: ReqFile, display: str) -> ReqFile:
    from ._dataclass import replace

    return replace(file, path=display)


def include_span(problem: IncludeProblem) -> Span:
    return problem.include.span
