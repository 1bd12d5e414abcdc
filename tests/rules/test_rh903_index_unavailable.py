"""RH903 index-unavailable: one note per cause (and its detail), naming the projects whose checks were skipped."""

from __future__ import annotations

import pytest

from req_hashlint._engine import enabled_rules
from req_hashlint.index._model import Cause, Unavailable
from req_hashlint.rules import RULES

from .conftest import LintFn, hashed, page, served


def test_one_per_project_and_cause_at_its_first_line(lint_text: LintFn) -> None:
    down = Unavailable("six", Cause.TIMEOUT, "no answer in 10 s")
    text = hashed("six==1.16.0", "a", marker="sys_platform == 'linux'") + hashed(
        "six==1.16.0", "b", marker="sys_platform != 'linux'"
    )
    r = lint_text(text, index={"six": down, "idna": Unavailable("idna", Cause.TIMEOUT, "")}, files={})
    assert r.at("RH903") == [(1, 1)]
    msg = r.one("RH903").message
    assert (
        msg
        == "the index could not be asked about six (timed out: no answer in 10 s); its index checks (RH3xx) were skipped"
    )


def test_two_projects_two_notes(lint_text: LintFn) -> None:
    text = hashed("six==1.16.0", "a") + hashed("idna==3.7", "b")
    index = {
        "six": Unavailable("six", Cause.STATUS, "HTTP 503"),
        "idna": Unavailable("idna", Cause.MALFORMED, "bad JSON"),
    }
    r = lint_text(text, index=index)
    assert r.at("RH903") == [(1, 1), (3, 1)]
    assert r.severities("RH903") == [r.severities("RH903")[0]] * 2 and r.severities("RH903")[0].label == "note"


@pytest.mark.parametrize(
    ("cause", "words"),
    [
        (Cause.FIND_LINKS, "pip reads --find-links (./wheels) for six, and files found there are not verifiable"),
        (Cause.NO_INDEX, "no index is used for six (--no-index)"),
        (Cause.CONNECTION, "the index could not be asked about six (connection failed: ./wheels)"),
    ],
)
def test_wording_per_cause(lint_text: LintFn, cause: Cause, words: str) -> None:
    r = lint_text(hashed("six==1.16.0", "a"), index={"six": Unavailable("six", cause, "./wheels")})
    assert words in r.one("RH903").message


def test_a_digest_the_index_does_not_give(lint_text: LintFn) -> None:
    p = page("six", served("six-1.16.0.tar.gz"))
    text = f"six==1.16.0 ; os_name == 'nt' --hash=sha384:{'ab' * 48}\nsix==1.16.0 ; os_name != 'nt' --hash=sha384:{'cd' * 48}\n"
    r = lint_text(text, index={"six": p})
    assert r.codes() == ["RH903"]
    assert "the index gives no sha384 digest for every file of six==1.16.0" in r.one("RH903").message


def test_every_index_rule_is_evidence_only() -> None:
    index_rules = {r.code for r in RULES if r.code.startswith("RH3") or r.code == "RH903"}
    assert index_rules == {"RH301", "RH302", "RH303", "RH304", "RH305", "RH306", "RH307", "RH308", "RH309", "RH903"}
    assert all(r.evidence for r in RULES if r.code in index_rules)
    assert not {r.code for r in enabled_rules([], [])} & index_rules
    assert {r.code for r in enabled_rules([], [], index=True)} >= index_rules
    assert not {r.code for r in RULES if r.evidence} - index_rules


def test_one_note_for_an_index_down_whatever_the_projects(lint_text: LintFn) -> None:
    text = "".join(hashed(f"p{i}==1.0", "a") for i in range(7))
    index = {f"p{i}": Unavailable(f"p{i}", Cause.CONNECTION, "pypi.example: host not found") for i in range(7)}
    r = lint_text(text, index=index)
    assert r.at("RH903") == [(1, 1)]
    assert r.one("RH903").message == (
        "the index could not be asked about 7 projects (p0, p1, p2, p3, p4 and 2 more) (connection failed: "
        "pypi.example: host not found); their index checks (RH3xx) were skipped"
    )


def test_quiet_without_evidence(lint_text: LintFn) -> None:
    assert lint_text(hashed("six==1.16.0", "a")).codes() == []
