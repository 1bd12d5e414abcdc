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


def _text(report: Report) -> str:
    from .text import render

    return render(report)


REPORTERS: dict[str, Renderer] = {
    "text": _text,
}


def render(fmt: str, report: Report) -> str:
    return REPORTERS[fmt](report)
