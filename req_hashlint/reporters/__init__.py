"""Reporters: pure functions of the findings and the rule catalogue, returning text.

Every ``--format`` choice maps to exactly one renderer here. Reporters never decide what
is a problem; they only lay findings out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .._model import Finding
from ..rules import Rule


@dataclass(frozen=True, slots=True)
class Report:
    """Everything a reporter may look at."""

    findings: tuple[Finding, ...]  # sorted; suppressed ones included
    rules: tuple[Rule, ...]  # the full, static catalogue in code order
    files_checked: int
    tool_version: str
    color: bool = False


Renderer = Callable[[Report], str]


def repo_path(finding: Finding) -> str:
    """The finding's file as a repository-root-relative POSIX path (machine formats use it).

    Never absolute: a finding without a root-relative path falls back to its display path,
    or to the file name when that is absolute.
    """
    if finding.rel_path is not None:
        return finding.rel_path
    path = finding.path.replace("\\", "/")
    return path.rsplit("/", 1)[-1] if path.startswith("/") or path[1:3] == ":/" else path


def _lazy(module: str) -> Renderer:
    """A renderer that imports its module on first use: start-up time is a feature."""

    def renderer(report: Report) -> str:
        # (__import__, not importlib.import_module: importing importlib costs more than the report)
        fn: Renderer = __import__(f"{__name__}.{module}", fromlist=["render"]).render
        return fn(report)

    renderer.__name__ = renderer.__qualname__ = f"render_{module}"
    return renderer


REPORTERS: dict[str, Renderer] = {
    "github": _lazy("github"),
    "json": _lazy("jsonfmt"),
    "sarif": _lazy("sarif"),
    "text": _lazy("text"),
}


def render(fmt: str, report: Report) -> str:
    return REPORTERS[fmt](report)
