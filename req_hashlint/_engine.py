"""The flow from inputs to findings: include graph, rules, suppressions, redaction."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping, Sequence

from . import _graph
from ._dataclass import dataclass, replace
from ._model import Finding, ReqFile, Span
from ._redact import redacted_fields
from ._source import read_path
from .rules import RULES, Context, Rule

# A file with more findings than this is no requirements file: they give way to one RH901,
# so a hostile file's report stays small (a SARIF result takes several KB to build).
MAX_FINDINGS_PER_FILE = 10_000
# The diff rules' old side: (abspath -> file at the base or None, abspath -> why there is none).
BaseLoader = Callable[[_graph.Graph], tuple[Mapping[str, ReqFile | None], Mapping[str, str]]]


@dataclass(frozen=True, slots=True)
class Target:
    """A root file to lint: its absolute path, how to show it, and its text if already read."""

    abspath: str
    display: str
    text: str | None = None


@dataclass(slots=True)
class Result:
    findings: list[Finding]  # sorted; suppressed ones included (``suppressed=True``)
    files_checked: int
    graph: _graph.Graph
    unmatched_ignores: tuple[str, ...] = ()  # per-file-ignores patterns that matched no file


def selected(code: str, select: Sequence[str], ignore: Sequence[str]) -> bool:
    """flake8/ruff semantics: the longest matching prefix wins; a tie goes to ignore."""
    sel = max((len(p) for p in select if code.startswith(p)), default=-1) if select else 0
    ign = max((len(p) for p in ignore if code.startswith(p)), default=-1)
    return sel >= 0 and sel > ign


def enabled_rules(select: Sequence[str], ignore: Sequence[str], *, diff: bool = True) -> list[Rule]:
    return [r for r in RULES if selected(r.code, select, ignore) and (diff or not r.diff)]


def _suppressed(finding: Finding, file: ReqFile | None) -> bool:
    if file is None or not file.suppressions:
        return False
    codes = file.suppressions.get(finding.span.line)
    if codes is None:
        return False
    return not codes or finding.code in codes or finding.name.upper() in codes


class FileIgnores:
    """``per-file-ignores``, compiled once: each path is matched against the patterns once (a
    literal pattern is one dictionary lookup), whatever the number of findings on it."""

    def __init__(self, per_file: Mapping[str, Sequence[str]]) -> None:
        import fnmatch  # only with per-file-ignores: not on every run's import path
        import re

        self.patterns = list(per_file)
        self.codes = [tuple(codes) for codes in per_file.values()]
        self.literal: dict[str, list[int]] = {}
        self.globs: list[tuple[int, Callable[[str], object]]] = []
        for i, pattern in enumerate(self.patterns):
            if any(ch in pattern for ch in "*?["):
                self.globs.append((i, re.compile(fnmatch.translate(pattern)).match))
            else:
                self.literal.setdefault(pattern, []).append(i)
        self.matched: set[int] = set()
        self._cache: dict[tuple[str, str | None], tuple[str, ...]] = {}

    def prefixes(self, path: str, rel: str | None) -> tuple[str, ...]:
        """The code prefixes ignored in the file shown as ``path`` (repository path ``rel``)."""
        key = (path, rel)
        hit = self._cache.get(key)
        if hit is None:
            found: set[int] = set()
            for name in {rel or path, path}:
                found.update(self.literal.get(name, ()))
                found.update(i for i, match in self.globs if match(name))
            self.matched |= found
            hit = self._cache[key] = tuple(c for i in sorted(found) for c in self.codes[i])
        return hit

    def ignored(self, finding: Finding) -> bool:
        return any(finding.code.startswith(c) for c in self.prefixes(finding.path, finding.rel_path))

    def unmatched(self) -> list[str]:
        return [p for i, p in enumerate(self.patterns) if i not in self.matched]


def lint(
    targets: Iterable[Target],
    *,
    rules: Sequence[Rule],
    boundary: Callable[[str], str],
    require_hashes: str = "always",
    per_file_ignores: Mapping[str, Sequence[str]] | None = None,
    reader: Callable[[str], str] = read_path,
    base: Mapping[str, ReqFile | None] | BaseLoader | None = None,
) -> Result:
    """Lint ``targets``. ``base`` maps a file's abspath to its base version (None: new there),
    or is called with the include graph to give that mapping and why some files have none."""
    roots = [(t.abspath, t.display, t.text) for t in targets]
    graph = _graph.build(roots, boundary=boundary, reader=reader)
    base_files, unavailable = base(graph) if callable(base) else (base or {}, {})
    ctx = Context(graph=graph, require_hashes=require_hashes, base=base_files, base_unavailable=unavailable)
    files_by_display = {n.display: n.file for n in graph.nodes.values()}
    ignores = FileIgnores(per_file_ignores) if per_file_ignores else None
    out: set[Finding] = set()
    per_path: dict[str, int] = {}
    for rule in rules:
        for finding in rule.check(ctx):
            if ignores is not None and ignores.ignored(finding):
                continue
            if _suppressed(finding, files_by_display.get(finding.path)):
                finding = replace(finding, suppressed=True)
            masked = redacted_fields(finding)  # a secret in a message, project name or path
            finding = replace(finding, **masked) if masked else finding
            if finding not in out:
                per_path[finding.path] = n = per_path.get(finding.path, 0) + 1
                if n <= MAX_FINDINGS_PER_FILE:
                    out.add(finding)
    over = {path for path, n in per_path.items() if n > MAX_FINDINGS_PER_FILE}
    if over:
        out = {f for f in out if f.path not in over} | _too_many(over, graph, rules, ignores)
    files = {os.path.normcase(n.abspath) for n in graph.nodes.values()}
    unmatched: tuple[str, ...] = ()
    if ignores is not None:
        for node in graph.nodes.values():
            ignores.prefixes(node.display, node.rel)
        unmatched = tuple(ignores.unmatched())
    return Result(sorted(out, key=Finding.sort_key), len(files), graph, unmatched)


def _too_many(paths: set[str], graph: _graph.Graph, rules: Sequence[Rule], ignores: FileIgnores | None) -> set[Finding]:
    """One RH901 for each file with too many findings (none when RH901 is not selected)."""
    notice = next((r for r in rules if r.code == "RH901"), None)
    if notice is None:
        return set()
    rel = {n.display: n.rel for n in graph.nodes.values()}
    found = {
        Finding(
            code=notice.code,
            name=notice.name,
            severity=notice.severity,
            path=path,
            span=Span(1, 1, 1, 1),
            message=f"not linted: it has more than {MAX_FINDINGS_PER_FILE:,} problems; is it a requirements file?",
            rel_path=rel.get(path),
        )
        for path in paths
    }
    return {f for f in found if ignores is None or not ignores.ignored(f)}
