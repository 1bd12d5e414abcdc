"""The rule catalogue: one module per rule, registered in code order from ``_codes.CODES``.

The rule RH008 shared-hash lives in ``rh008_shared_hash.py`` and exports ``RULE``. Adding a
rule: one line in ``_codes.CODES``, one module here, one test file. Codes are a public contract.
"""

from __future__ import annotations

from importlib import import_module

from .._codes import CODES, module_name
from ._base import Context, Docs, Rule


def _load(code: str) -> Rule:
    rule = import_module(f"{__name__}.{module_name(code)}").RULE
    assert isinstance(rule, Rule), code
    return rule


RULES: tuple[Rule, ...] = tuple(_load(code) for code, _ in CODES)
BY_CODE: dict[str, Rule] = {r.code: r for r in RULES}
BY_NAME: dict[str, Rule] = {r.name: r for r in RULES}


def lookup(code_or_name: str) -> Rule | None:
    key = code_or_name.strip()
    return BY_CODE.get(key.upper()) or BY_NAME.get(key.lower())


__all__ = ["BY_CODE", "BY_NAME", "RULES", "Context", "Docs", "Rule", "lookup"]
