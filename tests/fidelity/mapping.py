"""The one table from pip's outcomes to req-hashlint's rules, and the stricter-than-pip table.

``OUTCOMES`` says, for each thing pip can do wrong, which rules explain it. Both directions
of the differential read it: when pip shows an outcome, req-hashlint must report one of its
rules (at error level unless the table says otherwise); when req-hashlint reports an error,
pip must show an outcome whose rules include it.

The exceptions (req-hashlint stricter than pip on purpose) are not here: they are the table
in ``docs/stricter-than-pip.md``, read by :func:`stricter_rows`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from packaging.specifiers import SpecifierSet
from packaging.version import Version

from req_hashlint._model import Severity

DOC = Path(__file__).resolve().parents[2] / "docs" / "stricter-than-pip.md"

E, W = Severity.ERROR, Severity.WARNING

# pip outcome -> {rule: the lowest severity that counts as reporting it}
OUTCOMES: dict[str, dict[str, Severity]] = {
    # pip refuses the whole file before installing anything
    "parse-error": {"RH011": E, "RH004": E, "RH006": E, "RH015": E, "RH016": E},
    "include-error": {"RH010": E},
    # pip's hash-checking errors
    "HashMissing": {"RH002": E, "RH006": E},  # RH006: a comment before a `\` ate the hashes (issue 18.5)
    # RH001: a range or wildcard whose hashes are of an older release than pip picks;
    # RH012: pip < 24.2 compares digests case-sensitively (the contract makes it a warning,
    # because current pip accepts it).
    "HashMismatch": {"RH004": E, "RH008": E, "RH101": E, "RH001": E, "RH012": W},
    "HashUnpinned": {"RH001": E},
    "VcsHashUnsupported": {"RH003": E},
    "DirectoryUrlHashUnsupported": {"RH003": E},
    "editable-refused": {"RH003": E},
    "conflict": {"RH007": E},
    "unreadable": {"RH010": E, "RH901": E},  # pip cannot decode a file it reads
    "build-option": {"RH015": E},  # pip < 25.3: --global-option forces builds from source
    # pip misbehaves without failing
    "drop": {"RH006": E, "RH011": E, "RH016": E},  # a written requirement is not installed
    "unwanted": {"RH006": E},  # installed although its marker is false here
    "marker-lost": {"RH006": E},  # pip's parse has no marker where one was written
    "hash-ignored": {
        "RH005": E,
        "RH006": E,
    },  # pip: "has --hash but no requirement, and will be ignored" (RH006: after a `\` + whitespace)
    "hash-lost": {"RH005": E, "RH006": E},  # pip's parse has fewer hashes than were written
    "unverified": {"RH005": E, "RH006": E},  # installed with hash checking off, though the file hashes
    # anything else pip fails with: never explained, always a disagreement to look at
    "other-failure": {},
}

# pip checks a requirement in this order and stops at the first failure: a later check on
# the same requirement cannot be observed. outcome -> rules it hides on that requirement.
SHADOWS: dict[str, frozenset[str]] = {
    # a failing candidate stops pip before the resolver can see a conflict (RH007)
    "HashUnpinned": frozenset({"RH002", "RH007"}),
    "HashMissing": frozenset({"RH007"}),
    "HashMismatch": frozenset({"RH007"}),
    "parse-error": frozenset({"RH001", "RH002", "RH003", "RH004", "RH005", "RH007", "RH008", "RH012"}),
    "include-error": frozenset({"RH001", "RH002", "RH003", "RH004", "RH005", "RH007", "RH008"}),
}


@dataclass(frozen=True)
class Stricter:
    """One row of docs/stricter-than-pip.md."""

    case: str
    rules: frozenset[str]
    when: frozenset[str]  # grammar tags; the row applies when the scenario has any of them
    fails: SpecifierSet | None  # the pip versions that do fail; None: no pip version
    fails_text: str
    why: str

    def excuses(self, rule: str, tags: frozenset[str], pip: str) -> bool:
        """Is ``rule`` firing without a pip failure on ``pip`` a documented strictness?"""
        if rule not in self.rules or not (self.when & tags):
            return False
        return self.fails is None or Version(pip) not in self.fails


_ROW_RE = re.compile(r"^\|(.+)\|\s*$")
_CODE_RE = re.compile(r"`([^`]+)`")
_PIP_RE = re.compile(r"`pip ([^`]+)`")


def stricter_rows(path: Path = DOC) -> list[Stricter]:
    """The table under the heading "## The table" (columns: case, rules, when, pip that fails, why)."""
    text = path.read_text(encoding="utf-8")
    section = text.split("## The table", 1)[1].split("\n## ", 1)[0]
    rows: list[Stricter] = []
    for line in section.splitlines():
        m = _ROW_RE.match(line.strip())
        if not m:
            continue
        cells = [c.strip() for c in m.group(1).split("|")]
        if len(cells) != 5 or cells[0] in ("case", "") or set(cells[0]) <= {"-", " "}:
            continue
        case, rules, when, fails, why = cells
        spec = _PIP_RE.findall(fails)
        rows.append(
            Stricter(
                case=case.strip("`"),
                rules=frozenset(r.strip() for r in rules.split(",")),
                when=frozenset(_CODE_RE.findall(when)),
                fails=SpecifierSet(spec[0]) if spec else None,
                fails_text=fails,
                why=why,
            )
        )
    return rows
