"""Inline suppressions (any physical line of the entry), per-file-ignores, and select."""

from __future__ import annotations

import pytest

from ..conftest import H1, H2
from .conftest import LintFn


def test_bare_ignore_silences_every_rule_on_the_entry(lint_text: LintFn) -> None:
    r = lint_text("six>=1  # req-hashlint: ignore\nidna>=3\n")
    assert r.suppressed() == ["RH001", "RH002"]
    assert r.at("RH001") == [(2, 1)] and r.at("RH002") == [(2, 1)]


@pytest.mark.parametrize(
    "comment",
    [
        "# req-hashlint: ignore[RH002]",
        "# req-hashlint: ignore[missing-hash]",
        "# req-hashlint: ignore[rh002]",
        "#req-hashlint:ignore[ RH002 , RH012 ]",
        "# REQ-HASHLINT: IGNORE[Missing-Hash]",
        "# pinned on purpose  # req-hashlint: ignore[RH002]",
    ],
)
def test_ignore_with_codes_or_names(lint_text: LintFn, comment: str) -> None:
    r = lint_text(f"six>=1  {comment}\n")
    assert r.suppressed() == ["RH002"]
    assert r.codes() == ["RH001"]


def test_ignore_on_the_last_line_covers_a_finding_on_the_first(lint_text: LintFn) -> None:
    text = (
        f"six>=1 \\\n    --hash=sha256:{H1} \\\n    --hash=sha256:{H2}  # req-hashlint: ignore[unpinned-requirement]\n"
    )
    r = lint_text(text)
    assert r.suppressed() == ["RH001"] and r.codes() == []


def test_ignore_on_the_first_line_covers_a_hash_finding_on_a_later_line(lint_text: LintFn) -> None:
    # the comment line below ends pip's continuation, but it belongs to the entry, like `# via`
    text = f"six==1.16.0 \\\n    --hash=sha256:{H1[:10]} \\\n    # req-hashlint: ignore[RH004]\n"
    r = lint_text(text)
    assert r.suppressed() == ["RH004"] and r.codes() == []


def test_ignore_does_not_reach_the_next_entry(lint_text: LintFn) -> None:
    r = lint_text("# req-hashlint: ignore\nsix>=1\n")
    assert r.suppressed() == []
    assert r.codes() == ["RH001", "RH002"]


def test_ignore_in_an_included_file_applies_there(lint_text: LintFn) -> None:
    r = lint_text("-r base.txt\nsix>=1\n", files={"base.txt": "idna>=3  # req-hashlint: ignore\n"})
    assert r.where("RH001") == [("requirements.txt", 2, 1)]
    assert r.suppressed() == ["RH001", "RH002"]


def test_other_codes_are_not_suppressed(lint_text: LintFn) -> None:
    r = lint_text("six>=1  # req-hashlint: ignore[RH004,RH012]\n")
    assert r.suppressed() == []


def test_not_a_suppression_unless_pip_sees_a_comment(lint_text: LintFn) -> None:
    # regression: a `#` glued to text (a URL fragment) is not a comment for pip, so it
    # must not silence anything
    r = lint_text("evil @ https://example.com/evil-1.0.tar.gz#req-hashlint:ignore\n")
    assert r.suppressed() == []
    assert r.codes() == ["RH002"]


def test_per_file_ignores_match_globs_and_prefixes(lint_text: LintFn) -> None:
    r = lint_text(
        files={"docs/requirements.txt": "sphinx>=7\n", "requirements.txt": "six>=1\n"},
        roots=["docs/requirements.txt", "requirements.txt"],
        per_file_ignores={"docs/*.txt": ["RH00"]},
    )
    assert r.where("RH001") == [("requirements.txt", 1, 1)]
    assert r.where("RH002") == [("requirements.txt", 1, 1)]


def test_per_file_ignores_drop_only_the_listed_codes(lint_text: LintFn) -> None:
    r = lint_text("six>=1\n", per_file_ignores={"requirements.txt": ["RH002"]})
    assert r.codes() == ["RH001"]


@pytest.mark.parametrize(
    ("select", "codes"),
    [
        (["RH001"], ["RH001"]),
        (["RH00"], ["RH001", "RH002", "RH009"]),
        (["RH2"], ["RH201"]),
        (["RH"], ["RH001", "RH002", "RH009", "RH201"]),
    ],
)
def test_select_prefixes(lint_text: LintFn, select: list[str], codes: list[str]) -> None:
    r = lint_text("--trusted-host x\nsix>=1 --pre\n", select=select)
    assert r.codes() == codes
