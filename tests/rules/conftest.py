"""Run the engine on text written to a temporary directory and look at the findings by position."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from req_hashlint._engine import Target, enabled_rules, lint
from req_hashlint._model import Finding, Severity

from ..conftest import write_tree


@dataclass
class Linted:
    findings: list[Finding]
    asked: tuple[str, ...] = ()  # the files whose core metadata was asked for (index evidence)

    def at(self, code: str) -> list[tuple[int, int]]:
        """(line, column) of every unsuppressed finding with ``code``, in order."""
        return [(f.span.line, f.span.column) for f in self.findings if f.code == code and not f.suppressed]

    def where(self, code: str) -> list[tuple[str, int, int]]:
        """(path, line, column) of every unsuppressed finding with ``code``."""
        return [(f.path, f.span.line, f.span.column) for f in self.findings if f.code == code and not f.suppressed]

    def codes(self) -> list[str]:
        """The codes of the unsuppressed findings, sorted, with repeats."""
        return sorted(f.code for f in self.findings if not f.suppressed)

    def suppressed(self) -> list[str]:
        return sorted(f.code for f in self.findings if f.suppressed)

    def one(self, code: str) -> Finding:
        hits = [f for f in self.findings if f.code == code and not f.suppressed]
        assert len(hits) == 1, hits
        return hits[0]

    def severities(self, code: str) -> list[Severity]:
        return [f.severity for f in self.findings if f.code == code and not f.suppressed]


LintFn = Callable[..., Linted]


@pytest.fixture
def lint_text(tmp_path: Path) -> LintFn:
    """lint_text(text, files={rel: text}, name=..., require_hashes=..., roots=[...]) -> Linted.

    Every file is written under one directory, which is also the boundary (the "repository
    root"); the root file is read from disk like any other, so its includes resolve.
    """
    top = tmp_path / "w"

    def _lint(
        text: str | None = None,
        *,
        files: Mapping[str, str | bytes] | None = None,
        name: str = "requirements.txt",
        require_hashes: str = "always",
        roots: list[str] | None = None,
        select: list[str] | None = None,
        per_file_ignores: Mapping[str, list[str]] | None = None,
        index: Mapping[str, Any] | None = None,
        environments: tuple[Any, ...] | None = None,
        metadata: Mapping[str, Any] | None = None,
    ) -> Linted:
        top.mkdir(exist_ok=True)
        all_files: dict[str, str | bytes] = dict(files or {})
        if text is not None:
            all_files[name] = text
        write_tree(top, all_files)
        targets = [Target(str(top / r), r) for r in (roots or [name])]
        if index is not None:  # index evidence: {project: Page | Unavailable}, one index list for every root
            return _lint_index(targets, top, index, environments, select or [], require_hashes, metadata)
        result = lint(
            targets,
            rules=enabled_rules(select or [], []),
            boundary=lambda _p: str(top),
            require_hashes=require_hashes,
            per_file_ignores=per_file_ignores,
        )
        return Linted(result.findings)

    return _lint


def _lint_index(
    targets: list[Target],
    top: Path,
    index: Mapping[str, Any],
    environments: tuple[Any, ...] | None,
    select: list[str],
    require_hashes: str,
    metadata: Mapping[str, Any] | None,
) -> Linted:
    """The index rules (and the others) over a graph whose every root reads ``index``.

    ``metadata``: a served file's name -> its core metadata (a list of Requires-Dist values, a
    :class:`Metadata` or an :class:`Unavailable`); any other file has none served (NO_METADATA).
    Without ``metadata`` no dependency is looked at (the other index rules' tests).
    """
    from req_hashlint import _graph
    from req_hashlint._source import read_path
    from req_hashlint.index._model import Cause, Evidence, Metadata, Unavailable
    from req_hashlint.rules import Context

    asked: list[str] = []

    def load(wanted: Any) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for _, project, f in wanted:
            asked.append(f.filename)
            got = (metadata or {}).get(f.filename)
            if isinstance(got, list):
                got = Metadata(tuple(got), None)
            out[f.url] = got if got is not None else Unavailable(project, Cause.NO_METADATA, f.filename)
        return out

    graph = _graph.build(
        [(t.abspath, t.display, t.text) for t in targets], boundary=lambda _p: str(top), reader=read_path
    )
    pages = {("I", name): page for name, page in index.items()}
    evidence = Evidence(pages, dict.fromkeys(graph.members, "I"), load if metadata is not None else None)
    ctx = Context(graph, require_hashes, evidence=evidence, environments=environments)
    rules = enabled_rules(select, [], diff=False, index=True)
    return Linted(sorted((f for r in rules for f in r.check(ctx)), key=Finding.sort_key), tuple(asked))


def pos(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    """1-based (line, column) of the ``nth`` occurrence of ``needle`` in ``text`` (LF/CRLF lines)."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    before = text[:start]
    line = before.count("\n") + 1
    col = start - (before.rfind("\n") + 1) + 1
    return line, col


def served(
    filename: str,
    *,
    yanked: str | None = None,
    requires_python: str | None = None,
    algos: tuple[str, ...] = ("sha256",),
) -> Any:
    """A file of a project page, its digests those of made-up bytes (its name): see ``digest``."""
    from req_hashlint.index._model import ServedFile

    hashes = {a: digest(filename, a) for a in algos}
    return ServedFile(filename, f"https://files.example/{filename}", hashes, requires_python, yanked)


def digest(filename: str, algo: str = "sha256") -> str:
    """The digest of the made-up content of ``filename`` (the same for ``served`` and a lock)."""
    import hashlib

    return hashlib.new(algo, f"content of {filename}".encode()).hexdigest()


def hashed(pin: str, *filenames: str, marker: str = "") -> str:
    """A lock entry listing the sha256 of each file."""
    hashes = "".join(f" \\\n    --hash=sha256:{digest(f)}" for f in filenames)
    return f"{pin}{' ; ' + marker if marker else ''}{hashes}\n"


def page(project: str, *files: Any) -> Any:
    from req_hashlint.index._model import Page

    return Page(project, ("https://index.example/simple/",), tuple(files))
