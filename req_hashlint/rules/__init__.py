"""The rule catalogue: an explicit, ordered registry. Codes are a public contract."""

from __future__ import annotations

from . import diff, graph, hashes, notices, pins, security, syntax
from ._base import Context, Docs, Rule

_ALL: tuple[Rule, ...] = (
    *pins.RULES,
    *hashes.RULES,
    *syntax.RULES,
    *graph.RULES,
    *security.RULES,
    *diff.RULES,
    *notices.RULES,
)

RULES: tuple[Rule, ...] = tuple(sorted(_ALL, key=lambda r: r.code))
BY_CODE: dict[str, Rule] = {r.code: r for r in RULES}
BY_NAME: dict[str, Rule] = {r.name: r for r in RULES}


def lookup(code_or_name: str) -> Rule | None:
    key = code_or_name.strip()
    return BY_CODE.get(key.upper()) or BY_NAME.get(key.lower())


__all__ = ["BY_CODE", "BY_NAME", "RULES", "Context", "Docs", "Rule", "lookup"]
