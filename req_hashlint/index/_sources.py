"""Which indexes pip asks for each root file's install, decided as pip decides it.

The starting list is what the user gives pip (``start``): ``--index-url`` and
``--extra-index-url`` on req-hashlint's command line, else in its config, else
``PIP_INDEX_URL`` / ``PIP_EXTRA_INDEX_URL`` (each option on its own, as pip takes each from
its command line, else its environment), else PyPI. The include graph's option lines then
apply on top, in pip's reading order, exactly as pip's ``handle_option_line`` applies them:

- ``--index-url`` (``-i``) replaces the list, so a file's index beats the command line's;
- ``--extra-index-url`` appends to it;
- ``--no-index`` clears it, and every later index line is ignored;
- ``--find-links`` (``-f``) adds a source that is no index: its files cannot be verified.

pip reads an included file where its ``-r``/``-c`` line stands, and reads it again each time it
is included; so does ``walk``. ``${NAME}`` in a file's option value is expanded from the
environment as pip expands it (``[A-Z0-9_]`` only; unset or empty: left as written).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, NamedTuple

from .._model import EntryKind
from ._model import Cause

if TYPE_CHECKING:
    from .._graph import Graph, Node, NodeKey
    from .._model import Option

PYPI = "https://pypi.org/simple/"
_INDEX_OPTIONS = frozenset(("--index-url", "--extra-index-url", "--no-index", "--find-links"))
_ENV_VAR = r"\$\{([A-Z0-9_]+)\}"  # pip's ENV_VAR_RE
_TRUE = ("y", "yes", "t", "true", "on", "1")  # pip's strtobool for a flag from the environment
# The most (file, include) steps one root's walk takes: pip re-reads a file each time it is
# included, so a diamond-shaped graph could otherwise multiply the work.
MAX_STEPS = 100_000


class Start(NamedTuple):
    """What pip is given before it reads any file."""

    index_url: str
    extra_index_urls: tuple[str, ...] = ()
    find_links: tuple[str, ...] = ()
    no_index: bool = False


class Sources(NamedTuple):
    """Where pip looks for a root file's projects."""

    indexes: tuple[str, ...]  # in pip's order, without duplicates; credentials kept (for the request)
    find_links: tuple[str, ...] = ()  # --find-links locations (files from there are not verifiable)
    no_index: bool = False  # --no-index was read (or given)


def start(
    *,
    index_url: str | None = None,
    extra_index_urls: Sequence[str] = (),
    config_index_url: str | None = None,
    config_extra_index_urls: Sequence[str] | None = None,
    environ: Mapping[str, str],
) -> Start:
    """The starting list: each option from the command line, else the config, else pip's
    environment variable, else its default."""
    env_index = environ.get("PIP_INDEX_URL") or None
    env_extra = tuple(environ.get("PIP_EXTRA_INDEX_URL", "").split())
    extra: tuple[str, ...]
    if extra_index_urls:
        extra = tuple(extra_index_urls)
    elif config_extra_index_urls is not None:
        extra = tuple(config_extra_index_urls)
    else:
        extra = env_extra
    return Start(
        index_url=index_url or config_index_url or env_index or PYPI,
        extra_index_urls=extra,
        find_links=tuple(environ.get("PIP_FIND_LINKS", "").split()),
        no_index=environ.get("PIP_NO_INDEX", "").strip().lower() in _TRUE,
    )


def expand(value: str, environ: Mapping[str, str]) -> str:
    """``${NAME}`` replaced by the variable's value as pip does: only upper-case letters,
    digits and ``_``; an unset or empty variable is left as written."""
    if "${" not in value:
        return value
    for name in dict.fromkeys(re.findall(_ENV_VAR, value)):
        found = environ.get(name)
        if found:
            value = value.replace(f"${{{name}}}", found)
    return value


class _State:
    __slots__ = ("find_links", "indexes", "no_index")

    def __init__(self, begin: Start) -> None:
        self.no_index = begin.no_index
        self.indexes: list[str] = [] if begin.no_index else [begin.index_url, *begin.extra_index_urls]
        self.find_links = list(begin.find_links)

    def apply(self, line: Sequence[Option], environ: Mapping[str, str]) -> None:
        """One option line, as ``handle_option_line`` applies the options pip parsed from it."""
        index_url: str | None = None
        extras: list[str] = []
        for opt in line:
            value = expand(opt.value or "", environ)
            if opt.name == "--no-index":
                self.no_index = True
                self.indexes = []
            elif opt.name == "--index-url":
                index_url = value  # the last one on the line wins (argparse's store)
            elif opt.name == "--extra-index-url":
                extras.append(value)
            elif opt.name == "--find-links":
                self.find_links.append(value)
        if self.no_index:
            return
        if index_url:
            self.indexes = [index_url]
        self.indexes += extras

    def sources(self) -> Sources:
        return Sources(tuple(dict.fromkeys(self.indexes)), tuple(self.find_links), self.no_index)


def _events(node: Node) -> list[tuple[int, int, tuple[Option, ...] | int]]:
    """A file's index option lines and includes, in the order pip reads them:
    (line, column, the options of one line | the include's index)."""
    file = node.file
    if file is None:
        return []
    lines: dict[int, list[Option]] = {}
    for opt in file.options:
        if opt.name in _INDEX_OPTIONS:
            lines.setdefault(opt.span.line, []).append(opt)
    events: list[tuple[int, int, tuple[Option, ...] | int]] = [
        (line, opts[0].span.column, tuple(opts)) for line, opts in lines.items()
    ]
    events += [(inc.span.line, inc.span.column, i) for i, inc in enumerate(file.includes)]
    events.sort(key=lambda e: (e[0], e[1]))
    return events


def walk(graph: Graph, root: str, begin: Start, environ: Mapping[str, str]) -> Sources:
    """The sources pip uses for the install of root file ``root`` (a ``Graph.members`` key)."""
    state = _State(begin)
    keys = graph.members.get(root)
    if not keys:
        return state.sources()
    events: dict[NodeKey, list[tuple[int, int, tuple[Option, ...] | int]]] = {}
    steps = 0
    chain: set[NodeKey] = set()

    def visit(key: NodeKey) -> Iterator[NodeKey]:
        """Apply ``key``'s option lines up to each include it follows; yield that include's node."""
        node = graph.nodes[key]
        if key not in events:
            events[key] = _events(node)
        for _line, _col, what in events[key]:
            if isinstance(what, int):
                target = graph.edges.get((key, what))
                if target is not None and target not in chain:
                    yield target
            else:
                state.apply(what, environ)

    # iterative depth-first: pip recurses into an include where its line stands
    stack: list[tuple[NodeKey, Iterator[NodeKey]]] = [(keys[0], visit(keys[0]))]
    chain.add(keys[0])
    while stack:
        key, it = stack[-1]
        child = next(it, None)
        if child is None:
            stack.pop()
            chain.discard(key)
            continue
        steps += 1
        if steps > MAX_STEPS:
            break
        chain.add(child)
        stack.append((child, visit(child)))
    return state.sources()


def sources(graph: Graph, begin: Start, environ: Mapping[str, str]) -> dict[str, Sources]:
    """Every root file's sources (``Graph.members``' keys)."""
    return {root: walk(graph, root, begin, environ) for root in graph.members}


class Plan(NamedTuple):
    """What to ask the indexes, and how each root file finds its answers (``Evidence``)."""

    wanted: dict[tuple[str, ...], set[str]]  # index list -> the projects to ask it about
    keys: dict[tuple[str, ...], str]  # index list -> its opaque key (never a URL)
    source_of: dict[str, str]  # root ident -> the key of its index list
    # key -> (why its projects cannot be verified, detail, those projects), for roots pip
    # serves from --find-links or from no index at all
    unverifiable: dict[str, tuple[Cause, str, set[str]]]
    # a pylock.toml package's `index` ("" when it has none) -> the key of the index list asked about it
    lock_source: dict[str, str]


def pinned(graph: Graph, root: str) -> set[str]:
    """The projects of ``root``'s include graph named and pinned to one version (``==``/``===``)."""
    out: set[str] = set()
    for key in graph.members.get(root, ()):
        file = graph.nodes[key].file
        if file is None or file.lock:  # a pylock.toml's packages name their own index: ``_locks``
            continue
        for entry in file.entries:
            if entry.kind is EntryKind.NAMED and entry.version and entry.key and entry.error is None:
                out.add(entry.key)
    return out


def plan(graph: Graph, begin: Start, environ: Mapping[str, str]) -> Plan:
    """Group every root's pinned projects by the index list pip uses for its install."""
    from .._redact import redact

    result = Plan({}, {}, {}, {}, {})
    for root, found in sources(graph, begin, environ).items():
        keys = graph.members.get(root)
        if keys and (file := graph.nodes[keys[0]].file) is not None and file.lock:
            result.source_of[root] = ""  # its packages each name their own index (``lock_source``)
            continue
        projects = pinned(graph, root)
        if found.find_links:
            links = list(dict.fromkeys(found.find_links))
            shown = [redact(f, whole=True) + (" from PIP_FIND_LINKS" if f in begin.find_links else "") for f in links]
            more = f" and {len(links) - 3} more" if len(links) > 3 else ""
            cause, detail = Cause.FIND_LINKS, ", ".join(shown[:3]) + more
        elif not found.indexes:
            cause, detail = Cause.NO_INDEX, "PIP_NO_INDEX" if begin.no_index else "--no-index"
        else:
            key = result.keys.setdefault(found.indexes, f"indexes-{len(result.keys) + 1}")
            result.wanted.setdefault(found.indexes, set()).update(projects)
            result.source_of[root] = key
            continue
        key = f"{cause.name.lower()}-{len(result.unverifiable) + 1}"
        result.unverifiable[key] = (cause, detail, projects)
        result.source_of[root] = key
    _locks(graph, begin, result)
    return result


def _locks(graph: Graph, begin: Start, result: Plan) -> None:
    """A pylock.toml's packages from an index, each asked of the index it names (its `index`),
    else of the list pip is given (``--find-links`` aside: pip installs a lock from its artifacts'
    URLs, never from a find-links source, so the index's answer is the evidence to compare)."""
    start_list = _State(begin).sources().indexes  # what pip is given, before any file is read
    for node in graph.nodes.values():
        file = node.file
        if file is None or not file.lock:
            continue
        for entry in file.entries:
            locked = entry.locked
            if (
                locked is None
                or not locked.artifacts  # a vcs, directory or archive source: no file on an index
                or entry.kind is not EntryKind.NAMED
                or entry.key is None
                or entry.version is None  # RH001's
            ):
                continue
            given = locked.index_url or ""
            indexes = (given,) if given else start_list
            if indexes:
                key = result.keys.setdefault(indexes, f"indexes-{len(result.keys) + 1}")
                result.wanted.setdefault(indexes, set()).add(entry.key)
            else:
                key = result.lock_source.get(given) or f"no_index-{len(result.unverifiable) + 1}"
                result.unverifiable.setdefault(key, (Cause.NO_INDEX, "PIP_NO_INDEX", set()))[2].add(entry.key)
            result.lock_source[given] = key
