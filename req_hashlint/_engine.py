"""The flow from inputs to findings: include graph, rules, suppressions, redaction."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, NamedTuple

from . import _graph
from ._model import Finding, ReqFile, Span
from ._redact import redacted_fields, spaced_values
from ._source import read_path
from .rules import RULES, Context, Rule

if TYPE_CHECKING:
    from .index._environments import Environment
    from .index._model import Evidence

# A file with more findings than this is no requirements file: they give way to one RH901,
# so a hostile file's report stays small (a SARIF result takes several KB to build).
MAX_FINDINGS_PER_FILE = 10_000
# The diff rules' old side: (abspath -> file at the base or None, abspath -> why there is none).
BaseLoader = Callable[[_graph.Graph], tuple[Mapping[str, ReqFile | None], Mapping[str, str]]]
# The index rules' evidence (``--index``), asked for once the include graph is known.
EvidenceLoader = Callable[[_graph.Graph], "Evidence"]


class Target(NamedTuple):
    """A root file to lint: its absolute path, how to show it, and its text if already read."""

    abspath: str
    display: str
    text: str | None = None


class Result(NamedTuple):
    findings: list[Finding]  # sorted; suppressed ones included (``suppressed=True``)
    files_checked: int
    graph: _graph.Graph
    unmatched_ignores: tuple[str, ...] = ()  # per-file-ignores patterns that matched no file


def selected(code: str, select: Sequence[str], ignore: Sequence[str]) -> bool:
    """flake8/ruff semantics: the longest matching prefix wins; a tie goes to ignore."""
    sel = max((len(p) for p in select if code.startswith(p)), default=-1) if select else 0
    ign = max((len(p) for p in ignore if code.startswith(p)), default=-1)
    return sel >= 0 and sel > ign


def enabled_rules(
    select: Sequence[str], ignore: Sequence[str], *, diff: bool = True, index: bool = False
) -> list[Rule]:
    """The rules selected; diff rules only with ``diff``, index rules only with ``index``."""
    return [r for r in RULES if selected(r.code, select, ignore) and (diff or not r.diff) and (index or not r.evidence)]


def _suppressed(finding: Finding, file: ReqFile | None) -> bool:
    codes = file.suppressions.get(finding.span.line) if file is not None else None
    return codes is not None and (not codes or finding.code in codes or finding.name.upper() in codes)


class FileIgnores:
    """``per-file-ignores``, compiled once; each path is matched against the patterns once,
    whatever the number of findings on it."""

    def __init__(self, per_file: Mapping[str, Sequence[str]]) -> None:
        import fnmatch  # only with per-file-ignores: not on every run's import path
        import re

        self.patterns = [(pattern, re.compile(fnmatch.translate(pattern)).match) for pattern in per_file]
        self.codes = [tuple(codes) for codes in per_file.values()]
        self.matched: set[int] = set()
        self._cache: dict[tuple[str, str | None], tuple[str, ...]] = {}

    def prefixes(self, path: str, rel: str | None) -> tuple[str, ...]:
        """The code prefixes ignored in the file shown as ``path`` (repository path ``rel``)."""
        hit = self._cache.get((path, rel))
        if hit is None:
            found = {i for i, (_, match) in enumerate(self.patterns) if match(rel or path) or match(path)}
            self.matched |= found
            hit = self._cache[(path, rel)] = tuple(c for i in sorted(found) for c in self.codes[i])
        return hit

    def ignored(self, finding: Finding) -> bool:
        return any(finding.code.startswith(c) for c in self.prefixes(finding.path, finding.rel_path))

    def unmatched(self) -> list[str]:
        return [p for i, (p, _) in enumerate(self.patterns) if i not in self.matched]


# What a file that is plainly not a requirements file looks like (issue 11.7): its name's
# suffix, and lines of another language's shape. A requirements line never has these shapes:
# it starts with a project name, an option, a path or a URL, and `=` comes only in `==`/`===`.
_SUFFIXES = {".toml": "TOML", ".yaml": "YAML", ".yml": "YAML", ".py": "Python", ".cfg": "INI", ".ini": "INI"}
_SHAPES = (  # (pattern, language, strong): a strong shape alone is telling, a weak one only with a suffix
    (r"\[[A-Za-z0-9_.\-\"' ]+\]\s*(?:#.*)?", "TOML", True),  # a table header: [project]
    (r"(?:import \w|from [\w.]+ import |def \w+\(|class \w+[(:]|if __name__ ).*", "Python", True),
    (r"[A-Za-z_][\w.-]*\s*=(?!=)\s*\S.*", "TOML", False),  # key = value
    (r"(?:- )?[A-Za-z_][\w.-]*:(?:\s.*)?", "YAML", False),  # key: value, - key:
)


def not_requirements(name: str, text: str) -> tuple[str, int] | None:
    """``(language, line)`` when ``text`` is plainly not a requirements file: one line of
    another language's shape in a file named ``*.toml``/``.yaml``/``.yml``/``.py``/``.cfg``/
    ``.ini``, or, whatever the name, at least two such lines that are half of its lines or more
    (comments and blank lines aside), one of them a table header or Python. When in doubt,
    None: the file is linted as it is."""
    import re

    shapes = [(re.compile(p), kind, strong) for p, kind, strong in _SHAPES]
    suffix = _SUFFIXES.get(os.path.splitext(name)[1].lower())
    meaningful = 0
    hits: list[tuple[str, int]] = []
    strong_hit = False
    for number, line in enumerate(text.splitlines()[:1000], 1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        meaningful += 1
        shape = next(((k, st) for rx, k, st in shapes if rx.fullmatch(stripped)), None)
        if shape is not None:
            hits.append((suffix or shape[0], number))
            strong_hit = strong_hit or shape[1]
    if not hits:
        return None
    if suffix is not None or (strong_hit and len(hits) >= 2 and 2 * len(hits) >= meaningful):
        return hits[0]
    return None


def lint(
    targets: Iterable[Target],
    *,
    rules: Sequence[Rule],
    boundary: Callable[[str], str],
    require_hashes: str = "always",
    per_file_ignores: Mapping[str, Sequence[str]] | None = None,
    reader: Callable[[str], str] = read_path,
    base: Mapping[str, ReqFile | None] | BaseLoader | None = None,
    evidence: Evidence | EvidenceLoader | None = None,
    environments: tuple[Environment, ...] | None = None,
) -> Result:
    """Lint ``targets``. ``base`` maps a file's abspath to its base version (None: new there),
    or is called with the include graph to give that mapping and why some files have none.
    ``evidence`` (index mode) is what the indexes serve, or is called with the include graph
    to ask them; ``environments`` are the index rules' targets (None: the default ones)."""
    targets = list(targets)
    graph = _graph.build([(t.abspath, t.display, t.text) for t in targets], boundary=boundary, reader=reader)
    base_files, unavailable = base(graph) if callable(base) else (base or {}, {})
    served = evidence(graph) if callable(evidence) else evidence
    ctx = Context(graph, require_hashes, base_files, unavailable, evidence=served, environments=environments)
    nodes = {n.display: n for n in graph.nodes.values()}  # findings name their file by display path
    ignores = FileIgnores(per_file_ignores) if per_file_ignores else None
    out: set[Finding] = set()
    per_path: dict[str, int] = {}
    spaced: dict[str, tuple[str, ...]] = {}  # per path: URL values a message may echo with a space
    for rule in rules:
        for finding in rule.check(ctx):
            if ignores is not None and ignores.ignored(finding):
                continue
            node = nodes.get(finding.path)
            file = node.file if node is not None else None
            if _suppressed(finding, file):
                finding = finding._replace(suppressed=True)
            if "@" in finding.message and finding.path not in spaced:
                spaced[finding.path] = spaced_values(file)
            masked = redacted_fields(finding, spaced.get(finding.path, ()))  # a secret in any text
            finding = finding._replace(**masked) if masked else finding
            if finding not in out:
                per_path[finding.path] = n = per_path.get(finding.path, 0) + 1
                if n <= MAX_FINDINGS_PER_FILE:
                    out.add(finding)
    given = {t.abspath: t.text for t in targets}
    parse_error = next((r for r in rules if r.code == "RH011"), None)
    for path in sorted({f.path for f in out if f.code == "RH011"}):
        assert parse_error is not None
        if (nodes[path].file or ReqFile("", (), (), (), ())).lock:
            continue  # a pylock.toml: TOML on purpose
        text = given.get(nodes[path].abspath)
        with contextlib.suppress(Exception):  # unreadable now: linted as it is
            text = reader(nodes[path].abspath) if text is None else text
        verdict = not_requirements(path, text) if text is not None else None
        if verdict is not None:  # one RH011 that says so instead of one per line
            kind, line = verdict
            message = (
                f"not a requirements file: it looks like {kind} (line {line}); "
                "pip reads only requirements lines, so lint only requirements files"
            )
            out = {f for f in out if f.path != path} | {
                ctx.finding(parse_error, nodes[path], Span(line, 1, line, 1), message)
            }
    notice = next((r for r in rules if r.code == "RH901"), None)
    for path in sorted(p for p, n in per_path.items() if n > MAX_FINDINGS_PER_FILE):
        out = {f for f in out if f.path != path}
        message = f"not linted: it has more than {MAX_FINDINGS_PER_FILE:,} problems; is it a requirements file?"
        found = ctx.finding(notice, nodes[path], Span(1, 1, 1, 1), message) if notice is not None else None
        if found is not None and (ignores is None or not ignores.ignored(found)):
            out.add(found)
    files = {n.ident.partition("\x00")[0] or os.path.normcase(n.abspath) for n in graph.nodes.values()}
    unmatched: tuple[str, ...] = ()
    if ignores is not None:
        for node in graph.nodes.values():
            ignores.prefixes(node.display, node.rel)
        unmatched = tuple(ignores.unmatched())
    return Result(sorted(out, key=Finding.sort_key), len(files), graph, unmatched)
