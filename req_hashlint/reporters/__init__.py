"""Reporters: pure functions of the findings and the rule catalogue, returning text.

Every ``--format`` choice maps to exactly one renderer here. Reporters never decide what
is a problem; they only lay findings out.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from .._model import Finding
    from ..rules import Rule


class Report(NamedTuple):
    """Everything a reporter may look at."""

    findings: tuple[Finding, ...]  # sorted; suppressed ones included
    rules: tuple[Rule, ...]  # the full, static catalogue in code order
    files_checked: int
    tool_version: str
    color: bool = False


def repo_path(finding: Finding) -> str:
    """The finding's file as a repository-root-relative POSIX path (machine formats use it).

    Never absolute: a finding without a root-relative path falls back to its display path,
    or to the file name when that is absolute.
    """
    if finding.rel_path is not None:
        return finding.rel_path
    path = finding.path.replace("\\", "/")
    return path.rsplit("/", 1)[-1] if path.startswith("/") or path[1:3] == ":/" else path


# Every ``--format`` choice: the module (in this package) whose ``render`` lays it out,
# imported only when chosen (start-up time is a feature).
REPORTERS = {"github": "github", "json": "jsonfmt", "sarif": "sarif", "text": "text"}


def render(fmt: str, report: Report) -> str:
    text: str = importlib.import_module(f"{__name__}.{REPORTERS[fmt]}").render(report)
    return text
