"""RH304 version-not-served: the index serves no file of the pinned version."""

from __future__ import annotations

from req_hashlint.index._model import Cause, Unavailable

from .conftest import LintFn, hashed, page, served

SIX = page(
    "six",
    served("six-1.14.0.tar.gz"),
    served("six-1.15.0-py2.py3-none-any.whl"),
    served("six-1.16.0.tar.gz"),
    served("six-1.17.0.tar.gz"),
)


def test_fires_and_names_the_versions_near_it_and_the_latest(lint_text: LintFn) -> None:
    r = lint_text("\n" + hashed("six==1.15.5", "six-1.15.0-py2.py3-none-any.whl"), index={"six": SIX})
    assert r.codes() == ["RH304"] and r.at("RH304") == [(2, 1)]
    msg = r.one("RH304").message
    assert "serves no file of 1.15.5 (near it: 1.15.0 and 1.16.0; the latest: 1.17.0)" in msg
    assert "No matching distribution found" in msg and "https://index.example/simple/" in msg


def test_above_the_latest(lint_text: LintFn) -> None:
    msg = lint_text(hashed("six==2.0", "six-1.17.0.tar.gz"), index={"six": SIX}).one("RH304").message
    assert "(the latest: 1.17.0)" in msg and "near it" not in msg


def test_a_project_the_index_does_not_serve(lint_text: LintFn) -> None:
    msg = lint_text(hashed("nosuch==1.0", "x.tar.gz"), index={"nosuch": page("nosuch")}).one("RH304").message
    assert "serves no installable file of nosuch at all" in msg


def test_quiet_when_the_version_is_served(lint_text: LintFn) -> None:
    assert lint_text(hashed("six==1.16.0", "six-1.16.0.tar.gz"), index={"six": SIX}).at("RH304") == []


def test_files_pip_never_reads_do_not_count(lint_text: LintFn) -> None:
    # an egg, an installer and another project's wheel on the page: pip skips them all
    p = page(
        "six", served("six-1.16.0-py2.7.egg"), served("six-1.16.0.win32.exe"), served("sixer-1.16.0-py3-none-any.whl")
    )
    assert lint_text(hashed("six==1.16.0", "six-1.16.0-py2.7.egg"), index={"six": p}).codes() == ["RH304"]


def test_every_archive_format_pip_reads_counts(lint_text: LintFn) -> None:
    for name in ("six-1.16.0.zip", "six-1.16.0.tar.bz2", "six-1.16.0.tgz"):
        r = lint_text(hashed("six==1.16.0", name), index={"six": page("six", served(name))})
        assert r.codes() == ["RH306"], name  # served, hashed, and an sdist


def test_prereleases_are_matched_when_pinned(lint_text: LintFn) -> None:
    p = page("six", served("six-2.0.0rc1-py3-none-any.whl"))
    assert lint_text(hashed("six==2.0.0rc1", "six-2.0.0rc1-py3-none-any.whl"), index={"six": p}).codes() == []


def test_unpinned_and_unavailable_entries_are_not_judged(lint_text: LintFn) -> None:
    r = lint_text("six>=1\n", index={"six": SIX}, require_hashes="when-any")
    assert r.codes() == []
    down = Unavailable("six", Cause.TIMEOUT, "after 10 s")
    assert lint_text(hashed("six==9.9", "a"), index={"six": down}).codes() == ["RH903"]


def test_a_project_not_asked_about_is_skipped(lint_text: LintFn) -> None:
    assert lint_text(hashed("idna==3.7", "a"), index={"six": SIX}).codes() == []
