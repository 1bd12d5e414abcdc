"""The rule unit and what a check sees.

A rule is a code, a name, a default severity, its user docs and a check. A check takes the
:class:`Context` (the whole run: every file reached, the include graphs, pip's hash mode,
and for diff rules the base version of each file) and yields :class:`Finding` objects. It
never prints and never formats; the reporters never decide.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from .._graph import Graph, Node
from .._model import Entry, EntryKind, Finding, Related, ReqFile, Severity, Span
from .._redact import redact

REGENERATE = "pip-compile --generate-hashes, or uv pip compile --generate-hashes"


@dataclass(frozen=True, slots=True)
class Docs:
    """User docs, in Markdown: what it means, why it happens, how to fix it, an example."""

    what: str
    why: str
    fix: str
    example: str


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    name: str
    severity: Severity
    summary: str  # one line: what fires it
    docs: Docs
    check: Callable[[Context], Iterable[Finding]]
    tags: tuple[str, ...] = ()
    precision: str = "very-high"
    security_severity: float | None = None  # for GitHub code scanning, on security-relevant rules
    diff: bool = False  # needs the base version of files


@dataclass(slots=True)
class Context:
    graph: Graph
    require_hashes: str = "always"  # or "when-any"
    # abspath -> the file at the base revision (None: new at the base); a file missing
    # from the mapping has no base to compare with.
    base: Mapping[str, ReqFile | None] = field(default_factory=dict)
    # abspath -> why the file has no base to compare with (RH902)
    base_unavailable: Mapping[str, str] = field(default_factory=dict)
    _hash_mode: dict[str, bool] | None = None
    # facts several checks share, computed once per run (e.g. the entries with clean hashes)
    memo: dict[str, object] = field(default_factory=dict)

    # -- what checks iterate over -------------------------------------------------------
    def nodes(self) -> Iterator[Node]:
        """Every readable file of the run once per role (requirements or constraints)."""
        for node in self.graph.nodes.values():
            if node.file is not None:
                yield node

    def entries(self) -> Iterator[tuple[Node, Entry]]:
        for node in self.nodes():
            assert node.file is not None
            for entry in node.file.entries:
                yield node, entry

    def root_graphs(self) -> Iterator[list[Node]]:
        """Each root file's include graph, in the order pip reads it."""
        for keys in self.graph.members.values():
            yield [self.graph.nodes[k] for k in keys]

    # -- pip's hash mode ----------------------------------------------------------------
    def hash_mode_on(self, node: Node) -> bool:
        """Whether pip's hash-checking mode is on for an install that reads ``node``."""
        if self._hash_mode is None:
            mode: dict[str, bool] = {}
            for root, keys in self.graph.members.items():
                on = False
                for k in keys:
                    f = self.graph.nodes[k].file
                    if f is not None and (f.has_hash_option or f.require_hashes_option):
                        on = True
                        break
                mode[root] = on
            self._hash_mode = mode
        return any(self._hash_mode.get(r, False) for r in node.roots)

    def hashes_required(self, node: Node) -> bool:
        """Whether every requirement of ``node`` needs a hash under the configured mode."""
        return self.require_hashes == "always" or self.hash_mode_on(node)

    # -- building findings --------------------------------------------------------------
    @staticmethod
    def finding(
        rule: Rule,
        node: Node,
        span: Span,
        message: str,
        *,
        entry: Entry | None = None,
        severity: Severity | None = None,
        related: tuple[Related, ...] = (),
    ) -> Finding:
        return Finding(
            code=rule.code,
            name=rule.name,
            severity=rule.severity if severity is None else severity,
            path=node.display,
            span=span,
            message=message,
            project=label_name(entry) if entry is not None else None,
            version=entry.version if entry is not None else None,
            rel_path=node.rel,
            related=related,
        )


def label_name(entry: Entry) -> str | None:
    if entry.name:
        return entry.name
    return None


def describe(entry: Entry) -> str:
    """How a message names an entry: `name==1.0`, or the URL/path as written."""
    if entry.kind is EntryKind.NAMED and entry.name:
        return f"{entry.name}{entry.specifier}" if entry.specifier else entry.name
    text = redact(entry.text)  # before cutting it short: a cut secret is not recognizable
    if len(text) > 80:
        text = text[:77] + "..."
    return f"-e {text}" if entry.kind is EntryKind.EDITABLE else text


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"
