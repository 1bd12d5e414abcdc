"""ARCHITECTURE.md stays true: every module of the package is listed there, in a line of its own
table, and every module listed exists. (One rule module per rule is covered by one pattern row.)"""

from __future__ import annotations

import re

from .conftest import REPO

_ROW = re.compile(r"^\| `(req_hashlint/[^`]+)` \|", re.M)
_RULE_MODULE = re.compile(r"req_hashlint/rules/rh\d{3}_[a-z0-9_]+\.py")
_RULE_ROW = "req_hashlint/rules/rhNNN_name.py"


def _listed() -> set[str]:
    return set(_ROW.findall((REPO / "ARCHITECTURE.md").read_text(encoding="utf-8")))


def _modules() -> set[str]:
    found = set()
    for path in (REPO / "req_hashlint").rglob("*.py"):
        rel = path.relative_to(REPO).as_posix()
        found.add(_RULE_ROW if _RULE_MODULE.fullmatch(rel) else rel)
    return found


def test_every_module_is_listed_in_architecture_md() -> None:
    missing = _modules() - _listed()
    assert not missing, f"add these to ARCHITECTURE.md's module table: {sorted(missing)}"


def test_every_module_listed_in_architecture_md_exists() -> None:
    stale = _listed() - _modules()
    assert not stale, f"ARCHITECTURE.md lists modules that do not exist: {sorted(stale)}"


def test_the_table_is_the_documents_module_list() -> None:
    # a module named only in prose would pass the checks above without being described
    text = (REPO / "ARCHITECTURE.md").read_text(encoding="utf-8")
    assert "## Modules" in text
    assert _listed(), "the module table is empty or its rows lost their `| `path` |` shape"


def test_every_package_ships_in_the_wheel() -> None:
    """pyproject.toml lists the packages a built wheel holds: a package left out works in an
    editable install and the tests, and is missing from what users install."""
    import sys

    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib

    listed = set(tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"])
    found = {
        p.parent.relative_to(REPO).as_posix().replace("/", ".") for p in (REPO / "req_hashlint").rglob("__init__.py")
    }
    assert listed == found
