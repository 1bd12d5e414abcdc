"""The logical view: what each requirement *is*, according to req-hashlint, pip and
pip-requirements-parser.

For a file (and what it includes), each reader gives one :class:`View` per requirement:
the file, the first line, the PEP 503 name, the specifier, the marker and the set of
hashes. :func:`differences` lists where req-hashlint's views differ from another reader's
and no finding of req-hashlint's explains it (a finding on the lines of that entry, or for
a line number shifted by an invisible line break, the RH006 finding that says so).

pip's views come from pip's own ``parse_requirements`` (``pip._internal.req.req_file``,
with ``PipSession()``) and ``install_req_from_parsed_requirement``, run in this process:
the pip pinned in the test lock.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from packaging.markers import Marker
from packaging.specifiers import SpecifierSet

_NORM_RE = re.compile(r"[-_.]+")
INVALID = frozenset({"<invalid>"})
_LINE_RE = re.compile(r"^-[rc] (.*) \(line (\d+)\)$")


@dataclass(frozen=True)
class View:
    file: str  # relative to the directory compared
    line: int
    constraint: bool
    name: str | None
    specifier: frozenset[str]
    marker: str | None
    hashes: frozenset[str]

    @property
    def key(self) -> tuple[str, int, bool]:
        return (self.file, self.line, self.constraint)

    def shown(self) -> str:
        spec = ",".join(sorted(self.specifier))
        return f"{self.name}{spec}{' ; ' + self.marker if self.marker else ''} [{len(self.hashes)} hashes]"


@dataclass
class Reading:
    """One reader's views of a file and its includes; ``error`` when it refused the file."""

    views: list[View] = field(default_factory=list)
    error: str | None = None
    unread: set[tuple[str, int]] = field(default_factory=set)  # (file, line) it does not read as pip does


def _name(name: str | None) -> str | None:
    return _NORM_RE.sub("-", name).lower() if name else None


def _spec(text: str) -> frozenset[str]:
    try:
        return frozenset(str(s) for s in SpecifierSet(text))
    except Exception:
        return frozenset({text})


def _marker(text: object) -> str | None:
    if text is None or text == "":
        return None
    try:
        return str(Marker(str(text)))
    except Exception:
        return str(text)


def _hashes(values: object) -> frozenset[str]:
    out = set()
    for v in values or ():  # type: ignore[attr-defined]
        algo, _, digest = str(v).partition(":")
        out.add(f"{algo}:{digest.lower()}")
    return frozenset(out)


def _rel(path: str | os.PathLike[str], root: Path) -> str:
    return Path(os.path.relpath(Path(path).resolve(), root.resolve())).as_posix()


@dataclass
class Ours:
    reading: Reading
    # file -> (line, code) of every finding; and the lines of each entry
    findings: dict[str, list[tuple[int, str]]]
    spans: dict[tuple[str, int], tuple[int, int]]  # (file, first line) -> (first, last)
    line_breaks: dict[str, list[int]]  # file -> lines with an invisible line-break character
    read: set[str] = field(default_factory=set)  # the files req-hashlint read


def ours(file: Path, root: Path) -> Ours:
    from req_hashlint._engine import Target, lint
    from req_hashlint._model import EntryKind, IssueKind
    from req_hashlint.rules import RULES

    _ARCHIVES = (EntryKind.URL, EntryKind.PATH)

    display = _rel(file, root)
    result = lint([Target(str(file), display)], rules=RULES, boundary=lambda _: str(root), require_hashes="when-any")
    out = Ours(Reading(), {}, {}, {})
    for f in result.findings:
        out.findings.setdefault(f.path, []).append((f.span.line, f.code))
    for node in result.graph.nodes.values():
        if node.file is None:
            continue
        rel = _rel(node.abspath, root)
        out.line_breaks[rel] = [i.span.line for i in node.file.issues if i.kind is IssueKind.LINE_BREAK_CHAR]
        out.read.add(rel)
        for e in node.file.entries:
            out.spans[(rel, e.first_line)] = (e.first_line, e.last_line)
            # a bare wheel URL or path is pinned by its file name (Entry.version): pip says `==V`
            bare = e.kind in _ARCHIVES and e.url is not None and e.text.startswith(e.url)
            spec = e.specifier or (f"=={e.version}" if e.version and bare else "")
            out.reading.views.append(
                View(
                    rel,
                    e.first_line,
                    node.constraint,
                    e.key,
                    _spec(spec),
                    _marker(e.marker),
                    _hashes(h.value for h in e.hashes),
                )
            )
    return out


def pips(file: Path, root: Path) -> Reading:
    """pip's own reading (the pip of this environment)."""
    from pip._internal.network.session import PipSession
    from pip._internal.req.constructors import install_req_from_parsed_requirement
    from pip._internal.req.req_file import parse_requirements

    reading = Reading()
    try:
        for parsed in parse_requirements(str(file), session=PipSession()):
            m = _LINE_RE.match(parsed.comes_from or "")
            assert m, parsed.comes_from
            hashes = _hashes(
                f"{algo}:{d}" for algo, ds in ((parsed.options or {}).get("hashes") or {}).items() for d in ds
            )
            try:
                ireq = install_req_from_parsed_requirement(parsed, isolated=True)
            except Exception:  # pip refuses it (a local path that is not there counts: see below)
                name, spec, marker = None, INVALID, None
            else:
                name = _name(ireq.req.name) if ireq.req is not None else None
                spec = _spec(str(ireq.req.specifier)) if ireq.req is not None else frozenset()
                marker = _marker(ireq.markers)
            reading.views.append(
                View(_rel(m.group(1), root), int(m.group(2)), parsed.constraint, name, spec, marker, hashes)
            )
    except Exception as exc:  # pip refuses the whole file
        reading.error = f"{type(exc).__name__}: {exc}"
    return reading


def requirements_parser(file: Path, root: Path) -> Reading:
    """pip-requirements-parser's reading."""
    from pip_requirements_parser import RequirementsFile

    reading = Reading()
    try:
        rf = RequirementsFile.from_file(str(file), include_nested=True)
    except Exception as exc:
        reading.error = f"{type(exc).__name__}: {exc}"
        return reading
    for r in rf.requirements:
        line = r.requirement_line
        reading.views.append(
            View(
                _rel(line.filename, root),
                line.line_number,
                bool(r.is_constraint),
                _name(r.name),
                _spec(str(r.specifier or "")),
                _marker(r.marker),
                _hashes(r.hash_options),
            )
        )
    # It refuses any global option on a requirement line, where pip drops it or, for
    # --no-binary and a few others, applies it to the whole install (issue 18.1): pip's
    # reading is the reference there, so those lines are left to the pip reader.
    invalid = [i for i in rf.invalid_lines if not i.error_message.startswith(_GLOBAL_ON_REQUIREMENT)]
    if invalid:
        first = invalid[0]
        reading.error = f"invalid line {first.requirement_line.line_number}: {first.error_message}"
    for i in rf.invalid_lines:
        if i.error_message.startswith(_GLOBAL_ON_REQUIREMENT):
            reading.unread.add((_rel(i.requirement_line.filename, root), i.requirement_line.line_number))
    return reading


_GLOBAL_ON_REQUIREMENT = "Invalid global options, not supported with a requirement spec"


@dataclass(frozen=True)
class Difference:
    reader: str
    file: str
    line: int
    ours: View | None
    theirs: View | None
    why: str

    def __str__(self) -> str:
        a = self.ours.shown() if self.ours else "nothing"
        b = self.theirs.shown() if self.theirs else "nothing"
        return f"{self.file}:{self.line}: req-hashlint reads {a}, {self.reader} reads {b} ({self.why})"


def differences(reader: str, theirs: Reading, mine: Ours) -> list[Difference]:
    """Where ``theirs`` differs from req-hashlint's reading with no finding to explain it."""

    rh010 = any(c == "RH010" for lines in mine.findings.values() for _, c in lines)

    def explained(file: str, line: int) -> bool:
        if file not in mine.read:  # an include req-hashlint does not follow, and says so
            return rh010
        first, last = mine.spans.get((file, line), (line, line))
        if any(first <= ln <= last for ln, _ in mine.findings.get(file, [])):
            return True
        return any(ln <= line for ln in mine.line_breaks.get(file, []))

    out: list[Difference] = []
    if theirs.error is not None:
        # the reader refused (part of) the file: req-hashlint must report an error there
        codes = {c for lines in mine.findings.values() for _, c in lines}
        # (RH006: a `\\` + whitespace names the line that does not parse, issue 18.5)
        if not codes & {"RH004", "RH006", "RH009", "RH010", "RH011", "RH015", "RH901"}:
            out.append(Difference(reader, "*", 0, None, None, f"it refuses the file ({theirs.error})"))
        return out
    ours_by = {v.key: v for v in mine.reading.views}
    theirs_by = {v.key: v for v in theirs.views}
    for key in sorted(set(ours_by) | set(theirs_by)):
        a, b = ours_by.get(key), theirs_by.get(key)
        if a == b or (key[0], key[1]) in theirs.unread:
            continue
        if a is not None and b is not None and b.specifier == INVALID and a.name is None and not a.specifier:
            continue  # a local path pip looks for on this disk (the corpus holds no projects)
        what = "missing" if a is None or b is None else _what(a, b)
        if not explained(key[0], key[1]):
            out.append(Difference(reader, key[0], key[1], a, b, what))
    return out


def _what(a: View, b: View) -> str:
    return ", ".join(f for f in ("name", "specifier", "marker", "hashes") if getattr(a, f) != getattr(b, f))
