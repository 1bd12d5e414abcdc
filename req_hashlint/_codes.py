"""Rule codes and names: the public contract, in one leaf module that imports nothing.

The registry of rules (``req_hashlint.rules``) is built from this list: the rule with code
``RH008`` and name ``shared-hash`` lives in ``req_hashlint/rules/rh008_shared_hash.py`` and
exports ``RULE``. Configuration and the command line validate codes and names here, without
importing a single rule. Codes are never renumbered or reused (docs/rules.md).
"""

from __future__ import annotations

# (code, name), in code order. Adding a rule: one line here, one module and its docs page, one test file.
CODES: tuple[tuple[str, str], ...] = (
    ("RH001", "unpinned-requirement"),
    ("RH002", "missing-hash"),
    ("RH003", "unhashable-requirement"),
    ("RH004", "invalid-hash"),
    ("RH005", "dangling-hash"),
    ("RH006", "broken-continuation"),
    ("RH007", "duplicate-requirement"),
    ("RH008", "shared-hash"),
    ("RH009", "ignored-option"),
    ("RH010", "include-problem"),
    ("RH011", "parse-error"),
    ("RH012", "uppercase-hash"),
    ("RH013", "single-environment-lock"),
    ("RH014", "filename-mismatch"),
    ("RH015", "removed-option"),
    ("RH016", "dropped-requirement"),
    ("RH101", "stale-hash"),
    ("RH102", "leftover-hash"),
    ("RH103", "rehashed-same-version"),
    ("RH104", "dropped-hash"),
    ("RH201", "insecure-index"),
    ("RH202", "credentials-in-url"),
    ("RH301", "hash-mismatch"),
    ("RH302", "unknown-hash"),
    ("RH303", "uncovered-environment"),
    ("RH304", "version-not-served"),
    ("RH305", "yanked-version"),
    ("RH306", "builds-from-source"),
    ("RH307", "unlisted-dependency"),
    ("RH308", "dependency-conflict"),
    ("RH309", "python-excluded"),
    ("RH901", "unreadable-file"),
    ("RH902", "base-unavailable"),
    ("RH903", "index-unavailable"),
)

NAME_OF: dict[str, str] = dict(CODES)
CODE_OF: dict[str, str] = {name: code for code, name in CODES}


def module_name(code: str) -> str:
    """``rh008_shared_hash`` for RH008: the module under ``req_hashlint.rules`` that holds it."""
    return f"{code.lower()}_{NAME_OF[code].replace('-', '_')}"


def lookup(code_or_name: str) -> str | None:
    """The code for a code or a name as a user writes it (any case), or None."""
    key = code_or_name.strip()
    if key.upper() in NAME_OF:
        return key.upper()
    return CODE_OF.get(key.lower())
