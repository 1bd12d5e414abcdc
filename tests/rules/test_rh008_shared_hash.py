"""RH008 shared-hash: one digest under two projects or versions; twice in one entry is a note."""

from __future__ import annotations

from req_hashlint._model import Severity

from ..conftest import H1, H2, H3
from .conftest import LintFn, pos


def test_same_digest_under_two_projects(lint_text: LintFn) -> None:
    text = f"six==1.16.0 --hash=sha256:{H1}\nidna==3.7 \\\n    --hash=sha256:{H2} \\\n    --hash=sha256:{H1}\n"
    r = lint_text(text)
    assert r.at("RH008") == [(4, 5)]
    f = r.one("RH008")
    assert f.severity is Severity.ERROR
    assert "six" in f.message and "requirements.txt:1" in f.message


def test_same_digest_under_two_versions(lint_text: LintFn) -> None:
    text = f"six==1.16.0 ; python_version < '3' --hash=sha256:{H1}\nsix==1.15.0 ; python_version >= '3' --hash=sha256:{H1}\n"
    r = lint_text(text)
    assert r.at("RH008") == [pos(text, "--hash", 1)]
    assert "version 1.16.0" in r.one("RH008").message


def test_same_digest_across_an_include(lint_text: LintFn) -> None:
    r = lint_text(
        f"six==1.16.0 --hash=sha256:{H1}\n-r more.txt\n",
        files={"more.txt": f"idna==3.7 --hash=sha256:{H1.upper()}\n"},
    )
    assert r.where("RH008") == [("more.txt", 1, 11)]


def test_same_digest_twice_in_one_entry_is_a_note(lint_text: LintFn) -> None:
    text = f"six==1.16.0 \\\n    --hash=sha256:{H1} \\\n    --hash=sha256:{H1}\n"
    r = lint_text(text)
    assert r.at("RH008") == [(3, 5)]
    assert r.severities("RH008") == [Severity.NOTE]


def test_an_entry_that_lists_every_digest_twice_gives_one_note(lint_text: LintFn) -> None:
    # issue 18.4: some generators write every hash twice; one note per entry, at the first repeat
    digests = [f"{i:064x}" for i in range(1, 48)]
    lines = [f"    --hash=sha256:{d}" for d in digests * 2]
    text = "six==1.16.0 \\\n" + " \\\n".join(lines) + "\nidna==3.7 --hash=sha256:" + H3 + "\n"
    r = lint_text(text)
    assert r.at("RH008") == [(49, 5)]  # the 48th hash line: the first repeat
    f = r.one("RH008")
    assert f.severity is Severity.NOTE
    assert "six==1.16.0 lists 47 digests twice; remove the repeats" in f.message


def test_a_digest_listed_three_times_is_more_than_twice(lint_text: LintFn) -> None:
    text = f"six==1.16.0 --hash=sha256:{H1} --hash=sha256:{H2} --hash=sha256:{H1} --hash=sha256:{H1}\n"
    r = lint_text(text)
    assert r.at("RH008") == [pos(text, "--hash", 2)]
    assert "lists the same sha256 digest more than once; remove the repeat" in r.one("RH008").message


def test_a_digest_shared_across_files_is_reported_once_for_many_roots(lint_text: LintFn) -> None:
    files = {f"svc{i}/requirements.txt": f"-r ../lock.txt\nidna==3.7 --hash=sha256:{H2}\n" for i in range(5)}
    files["lock.txt"] = f"six==1.16.0 --hash=sha256:{H1}\n"
    files["extra.txt"] = f"-r lock.txt\nidna==3.7 --hash=sha256:{H1}\n"
    r = lint_text(files=files, roots=[*sorted(k for k in files if k.startswith("svc")), "extra.txt"])
    # (files are taken in the order the graph reaches them: the root first)
    assert r.where("RH008") == [("lock.txt", 1, 13)]
    assert "idna 3.7 at extra.txt:2" in r.one("RH008").message


def test_quiet_on_distinct_digests(lint_text: LintFn) -> None:
    text = f"six==1.16.0 --hash=sha256:{H1} --hash=sha256:{H2}\nidna==3.7 --hash=sha256:{H3}\n"
    assert lint_text(text).codes() == []


def test_quiet_when_a_constraint_repeats_the_requirement(lint_text: LintFn) -> None:
    r = lint_text(
        f"-c constraints.txt\nsix==1.16.0 --hash=sha256:{H1}\n",
        files={"constraints.txt": f"Six==1.16.0 --hash=sha256:{H1}\n"},
    )
    assert r.codes() == []


def test_separate_roots_do_not_share(lint_text: LintFn) -> None:
    r = lint_text(
        files={
            "a/requirements.txt": f"six==1.16.0 --hash=sha256:{H1}\n",
            "b/requirements.txt": f"idna==3.7 --hash=sha256:{H1}\n",
        },
        roots=["a/requirements.txt", "b/requirements.txt"],
    )
    assert r.codes() == []


def test_invalid_digests_are_left_to_rh004(lint_text: LintFn) -> None:
    text = f"six==1.16.0 --hash=sha256:{H1[:10]}\nidna==3.7 --hash=sha256:{H1[:10]}\n"
    assert lint_text(text).codes() == ["RH004", "RH004"]


def test_constraint_pin_written_differently_is_the_same_version(lint_text: LintFn) -> None:
    # regression: `==1.16` and `==1.16.0` are one release, so one digest under both is fine
    r = lint_text(
        f"-c constraints.txt\nsix==1.16 --hash=sha256:{H1}\n",
        files={"constraints.txt": f"six==1.16.0 --hash=sha256:{H1}\n"},
    )
    assert r.codes() == []
