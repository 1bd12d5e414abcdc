"""Run the engine on text written to a temporary directory and look at the findings by position."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

from req_hashlint._engine import Target, enabled_rules, lint
from req_hashlint._model import Finding, Severity

from ..conftest import write_tree


@dataclass
class Linted:
    findings: list[Finding]

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
    ) -> Linted:
        top.mkdir(exist_ok=True)
        all_files: dict[str, str | bytes] = dict(files or {})
        if text is not None:
            all_files[name] = text
        write_tree(top, all_files)
        targets = [Target(str(top / r), r) for r in (roots or [name])]
        result = lint(
            targets,
            rules=enabled_rules(select or [], []),
            boundary=lambda _p: str(top),
            require_hashes=require_hashes,
            per_file_ignores=per_file_ignores,
        )
        return Linted(result.findings)

    return _lint


def pos(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    """1-based (line, column) of the ``nth`` occurrence of ``needle`` in ``text`` (LF/CRLF lines)."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    before = text[:start]
    line = before.count("\n") + 1
    col = start - (before.rfind("\n") + 1) + 1
    return line, col
