"""The registry is the list in ``_codes.CODES``: one module per rule, each exporting ``RULE``."""

from __future__ import annotations

import pkgutil
from importlib import import_module

import req_hashlint.rules
from req_hashlint._codes import CODES, module_name
from req_hashlint.rules import RULES, Rule


def test_every_module_exports_the_rule_of_its_registry_line() -> None:
    for code, name in CODES:
        rule = import_module(f"req_hashlint.rules.{module_name(code)}").RULE
        assert isinstance(rule, Rule), code
        assert (rule.code, rule.name) == (code, name)
    assert [(r.code, r.name) for r in RULES] == list(CODES)


def test_every_rule_module_is_registered() -> None:
    found = {m.name for m in pkgutil.iter_modules(req_hashlint.rules.__path__) if not m.name.startswith("_")}
    assert found == {module_name(code) for code, _ in CODES}


def test_module_name() -> None:
    assert module_name("RH008") == "rh008_shared_hash"
    assert module_name("RH103") == "rh103_rehashed_same_version"
