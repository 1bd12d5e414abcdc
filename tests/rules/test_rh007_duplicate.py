"""RH007 duplicate-requirement: the second entry in pip's reading order is the one reported."""

from __future__ import annotations

import pytest

from req_hashlint._model import Severity

from ..conftest import H1, H2, H3
from .conftest import LintFn


def test_conflicting_versions(lint_text: LintFn) -> None:
    r = lint_text(f"six==1.16.0 --hash=sha256:{H1}\n# again\n  Six==1.15.0 --hash=sha256:{H2}\n")
    assert r.at("RH007") == [(3, 3)]
    f = r.one("RH007")
    assert f.severity is Severity.ERROR
    assert "six==1.16.0" in f.message and "requirements.txt:1" in f.message


def test_normalized_names_collide(lint_text: LintFn) -> None:
    r = lint_text("zope.interface==6.0\nZope_Interface==6.1\n")
    assert r.at("RH007") == [(2, 1)]


def test_same_version_different_hashes(lint_text: LintFn) -> None:
    r = lint_text(f"six==1.16.0 --hash=sha256:{H1}\nsix==1.16.0 --hash=sha256:{H2}\n")
    assert r.at("RH007") == [(2, 1)]
    assert r.severities("RH007") == [Severity.ERROR]
    assert "different set of hashes" in r.one("RH007").message


def test_identical_repeat_is_a_warning(lint_text: LintFn) -> None:
    r = lint_text(f"six==1.16.0 --hash=sha256:{H1}\nsix==1.16.0 --hash=sha256:{H1.upper()}\nfastapi\nfastapi\n")
    assert r.at("RH007") == [(2, 1), (4, 1)]
    assert r.severities("RH007") == [Severity.WARNING, Severity.WARNING]


def test_equal_versions_written_differently_are_not_a_conflict(lint_text: LintFn) -> None:
    # regression: `==1.16` and `==1.16.0` name the same release; this is a repeat, not a conflict
    r = lint_text(f"six==1.16 --hash=sha256:{H1}\nsix==1.16.0 --hash=sha256:{H1}\n")
    assert r.severities("RH007") == [Severity.WARNING]
    assert r.at("RH008") == []


def test_disjoint_markers_are_not_duplicates(lint_text: LintFn) -> None:
    text = (
        f"torch==2.4.1 ; platform_machine != 'x86_64' --hash=sha256:{H1}\n"
        f"torch==2.4.1+cpu ; platform_machine == 'x86_64' --hash=sha256:{H2}\n"
    )
    assert lint_text(text).codes() == []


def test_same_marker_written_differently_is_a_duplicate(lint_text: LintFn) -> None:
    r = lint_text("six==1.16.0 ; python_version<'3.11'\nsix==1.15.0;python_version < \"3.11\"\n")
    assert r.at("RH007") == [(2, 1)]


def test_extras_do_not_separate_entries(lint_text: LintFn) -> None:
    r = lint_text("requests==2.31.0\nrequests[socks]==2.32.0\n")
    assert r.at("RH007") == [(2, 1)]


def test_duplicate_across_an_include_is_reported_where_pip_meets_it_second(lint_text: LintFn) -> None:
    # regression: pip reads base.txt's entries at the `-r` line, before the lines after it,
    # so the entry on line 3 of requirements.txt is the repeat (as in the fastapi corpus file)
    r = lint_text(
        "-e .\n-r base.txt\nruff==0.2.0\n",
        files={"base.txt": "httpx==0.27.0\nruff==0.14.3\n"},
    )
    assert r.where("RH007") == [("requirements.txt", 3, 1)]
    assert "ruff==0.14.3 at base.txt:2" in r.one("RH007").message


def test_entry_before_the_include_comes_first(lint_text: LintFn) -> None:
    r = lint_text("ruff==0.2.0\n-r base.txt\n", files={"base.txt": "ruff==0.14.3\n"})
    assert r.where("RH007") == [("base.txt", 1, 1)]


def test_nested_includes_in_pip_order(lint_text: LintFn) -> None:
    r = lint_text(
        "-r a.txt\nsix==1.0\n-r b.txt\n",
        files={"a.txt": "-r sub/c.txt\n", "sub/c.txt": "six==2.0\n", "b.txt": "six==3.0\n"},
    )
    assert r.where("RH007") == [("b.txt", 1, 1), ("requirements.txt", 2, 1)]
    assert all("sub/c.txt:1" in f.message for f in r.findings if f.code == "RH007")


def test_a_file_included_twice_is_not_its_own_duplicate(lint_text: LintFn) -> None:
    r = lint_text(
        "-r a.txt\n-r b.txt\n",
        files={"a.txt": "-r common.txt\n", "b.txt": "-r common.txt\n", "common.txt": "six==1.0\n"},
    )
    assert r.at("RH007") == []


def test_constraints_are_not_duplicates_of_requirements(lint_text: LintFn) -> None:
    r = lint_text("-c c.txt\nsix==1.16.0\n", files={"c.txt": "six==1.16.0\nsix>=1\n"})
    assert r.at("RH007") == []


def test_separate_roots_are_separate_installs(lint_text: LintFn) -> None:
    r = lint_text(
        files={"requirements.txt": "six==1.16.0\n", "requirements-dev.txt": f"six==1.15.0 --hash=sha256:{H3}\n"},
        roots=["requirements.txt", "requirements-dev.txt"],
    )
    assert r.at("RH007") == []


# -- identical repeats across files (issue 18.6) ----------------------------------------------


def test_an_identical_repeat_in_another_file_of_the_include_chain_is_no_finding(lint_text: LintFn) -> None:
    # each file of a `-r` chain is meant to install on its own; pip accepts identical repeats
    r = lint_text(
        f"-r base.txt\nsix==1.16.0 --hash=sha256:{H1}\nidna==3.7\n",
        files={"base.txt": f"Six==1.16.0 --hash=sha256:{H1}\n-r more.txt\n", "more.txt": "idna==3.7\n"},
    )
    assert r.at("RH007") == []


def test_a_repeat_inside_one_file_of_the_chain_stays_a_warning(lint_text: LintFn) -> None:
    r = lint_text("-r base.txt\nsix==1.16.0\n", files={"base.txt": "six==1.16.0\nidna==3.7\nidna==3.7\n"})
    assert r.where("RH007") == [("base.txt", 3, 1)]
    assert r.severities("RH007") == [Severity.WARNING]


def test_a_conflict_across_files_is_still_reported_where_pip_meets_it_second(lint_text: LintFn) -> None:
    r = lint_text(
        "-r base.txt\nsix==1.16.0\n",
        files={"base.txt": "six==1.16.0\n-r more.txt\n", "more.txt": "six==1.15.0\n"},
    )
    assert r.where("RH007") == [("more.txt", 1, 1)]
    assert "six==1.16.0 at base.txt:1" in r.one("RH007").message


# -- a constraint that excludes a pin (issue 11.9) ------------------------------------------


def test_a_constraint_pinning_another_version_conflicts(lint_text: LintFn) -> None:
    r = lint_text(
        f"-c constraints.txt\nalpha==1.0 --hash=sha256:{H1}\n",
        files={"constraints.txt": "# pins\nAlpha==1.1\n"},
    )
    assert r.where("RH007") == [("requirements.txt", 2, 1)]
    f = r.one("RH007")
    assert f.severity is Severity.ERROR
    assert "alpha==1.0 is excluded by the constraint Alpha==1.1 at constraints.txt:2" in f.message


@pytest.mark.parametrize(
    ("constraint", "fires"),
    [
        ("alpha>=1.0", False),
        ("alpha<2,!=1.1", False),
        ("alpha==1.0.0", False),  # the same release written differently
        ("alpha~=1.0", False),
        ("alpha>=1.1", True),
        ("alpha!=1.0", True),
        ("alpha<1.0", True),
        ("alpha==1.1 ; python_version >= '3'", True),  # the requirement applies everywhere
        ("beta==2.0", False),  # another project
        ("alpha", False),  # no bound at all
    ],
)
def test_a_constraint_range_conflicts_only_when_the_pin_is_outside_it(
    lint_text: LintFn, constraint: str, fires: bool
) -> None:
    r = lint_text("-c c.txt\nalpha==1.0\n", files={"c.txt": f"{constraint}\n"}, select=["RH007"])
    assert r.at("RH007") == ([(2, 1)] if fires else [])


def test_constraints_of_another_root_do_not_apply(lint_text: LintFn) -> None:
    r = lint_text(
        files={"requirements.txt": "alpha==1.0\n", "dev.txt": "-c c.txt\nbeta==1.0\n", "c.txt": "alpha==1.1\n"},
        roots=["requirements.txt", "dev.txt"],
        select=["RH007"],
    )
    assert r.at("RH007") == []


def test_a_constraint_reached_through_an_include_applies(lint_text: LintFn) -> None:
    r = lint_text(
        "-r base.txt\n",
        files={"base.txt": "-c sub/c.txt\nalpha==1.0\n", "sub/c.txt": "alpha==1.1\n"},
        select=["RH007"],
    )
    assert r.where("RH007") == [("base.txt", 2, 1)]
