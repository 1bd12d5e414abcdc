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


def _file_ignored(finding: Finding, per_file: Mapping[str, Sequence[str]]) -> bool:
    import fnmatch  # only with per-file-ignores: not on every run's import path

    rel = finding.rel_path or finding.path
    for pattern, codes in per_file.items():
        matches = fnmatch.fnmatchcase(rel, pattern) or fnmatch.fnmatchcase(finding.path, pattern)
        if matches and any(finding.code.startswith(c) for c in codes):
            return True
    return False


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
    out: set[Finding] = set()
    per_path: dict[str, int] = {}
    for rule in rules:
        for finding in rule.check(ctx):
            if per_file_ignores and _file_ignored(finding, per_file_ignores):
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
        out = {f for f in out if f.path not in over} | _too_many(over, graph, rules, per_file_ignores or {})
    files = {n.ident.partition("\x00")[0] or os.path.normcase(n.abspath) for n in graph.nodes.values()}
    return Result(sorted(out, key=Finding.sort_key), len(files), graph)


def _too_many(
    paths: set[str], graph: _graph.Graph, rules: Sequence[Rule], per_file_ignores: Mapping[str, Sequence[str]]
) -> set[Finding]:
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
    return {f for f in found if not _file_ignored(f, per_file_ignores)}
