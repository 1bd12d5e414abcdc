"""The registry is the list in ``_codes.CODES``: one module per rule, each exporting ``RULE``."""

from __future__ import annotations

import ast
import pkgutil
from importlib import import_module
from pathlib import Path

import pytest

import req_hashlint.rules
from req_hashlint._codes import CODES, module_name
from req_hashlint._graph import Graph, Node
from req_hashlint._model import Severity, Span
from req_hashlint.rules import BY_CODE, RULES, Context, Rule


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


def _severities_asked(module: str) -> list[str]:
    """The ``severity=`` each ``ctx.finding(...)`` call of a rule module asks for, as written."""
    source = Path(import_module(f"req_hashlint.rules.{module}").__file__ or "").read_text(encoding="utf-8")
    asked = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "finding":
            asked += [ast.unparse(k.value) for k in node.keywords if k.arg == "severity"]
    return asked


@pytest.mark.parametrize(("code", "name"), CODES)
def test_no_finding_is_stronger_than_its_rules_default(code: str, name: str) -> None:
    """One code, one default severity: a finding may be milder, never stronger (docs/rules.md).

    Every path that asks for another severity names it as ``Severity.X``, so this reads them all.
    """
    rule = BY_CODE[code]
    for written in _severities_asked(module_name(code)):
        assert written.startswith("Severity."), (code, written)
        assert Severity[written.removeprefix("Severity.")] < rule.severity, (code, written)


def test_a_stronger_severity_asked_for_is_clamped_to_the_default() -> None:
    graph = Graph()
    node = Node("/r/requirements.txt", "requirements.txt", "requirements.txt", False, None)
    rule = BY_CODE["RH012"]  # a warning
    ctx = Context(graph)
    at = Span(1, 1, 1, 2)
    assert ctx.finding(rule, node, at, "m", severity=Severity.ERROR).severity is Severity.WARNING
    assert ctx.finding(rule, node, at, "m", severity=Severity.NOTE).severity is Severity.NOTE
    assert ctx.finding(rule, node, at, "m").severity is Severity.WARNING


def test_the_rules_and_reporters_define_no_dataclasses() -> None:
    """Rule, Docs and Report are NamedTuples: every `@dataclass` costs start-up time (issue 12)."""
    package = Path(req_hashlint.rules.__file__ or "").parent.parent
    for path in [*(package / "rules").glob("*.py"), *(package / "reporters").glob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = [node.module or ""] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names]
                assert "dataclasses" not in names, path.name
