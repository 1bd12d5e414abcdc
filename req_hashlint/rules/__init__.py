"""The rule catalogue: one module per rule, registered in code order from ``_codes.CODES``.

The rule RH008 shared-hash lives in ``rh008_shared_hash.py`` and exports ``RULE``; its user docs
are the page ``rh008_shared_hash.md`` beside it. Adding a rule: one line in ``_codes.CODES``, one
module and its docs page here, one test file in tests/rules. Codes are a public contract.
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


__all__ = ["BY_CODE", "RULES", "Context", "Docs", "Rule"]
