"""RH309 python-excluded: every file of the pin excludes some target environment's Python."""

from __future__ import annotations

from .conftest import LintFn, hashed, page, served

PURE = "lib-2.3-py3-none-any.whl"


def test_fires_where_requires_python_removes_every_file(lint_text: LintFn) -> None:
    p = page("lib", served(PURE, requires_python=">=3.12"), served("lib-2.3.tar.gz", requires_python=">=3.12"))
    r = lint_text(hashed("lib==2.3", PURE, "lib-2.3.tar.gz"), index={"lib": p})
    assert r.codes() == ["RH309"] and r.at("RH309") == [(1, 1)]
    msg = r.one("RH309").message
    assert "lib==2.3 requires Python `>=3.12`, which excludes CPython 3.10-3.11 on" in msg
    assert "'requires a different Python'" in msg and "3.12" not in msg.split("excludes")[1].split(":")[0]


def test_every_environment_excluded(lint_text: LintFn) -> None:
    p = page("lib", served(PURE, requires_python="<3"))
    msg = lint_text(hashed("lib==2.3", PURE), index={"lib": p}).one("RH309").message
    assert "which excludes all 35 target environments" in msg


def test_a_file_that_admits_the_python_is_installed_instead(lint_text: LintFn) -> None:
    # the wheel needs 3.12, the sdist does not: pip builds the sdist on 3.10 and 3.11 (RH306's business)
    p = page("lib", served(PURE, requires_python=">=3.12"), served("lib-2.3.tar.gz"))
    r = lint_text(hashed("lib==2.3", PURE, "lib-2.3.tar.gz"), index={"lib": p})
    assert "RH309" not in r.codes() and "RH306" in r.codes()


def test_a_marker_that_excludes_those_pythons_is_quiet(lint_text: LintFn) -> None:
    p = page("lib", served(PURE, requires_python=">=3.12"))
    text = hashed("lib==2.3", PURE, marker='python_version >= "3.12"')
    assert lint_text(text, index={"lib": p}).codes() == []


def test_environments_narrowed_to_the_supported_pythons_are_quiet(lint_text: LintFn) -> None:
    from req_hashlint.index._environments import select_environments

    p = page("lib", served(PURE, requires_python=">=3.12"))
    envs = select_environments(['python_version >= "3.12"'], None)
    assert lint_text(hashed("lib==2.3", PURE), index={"lib": p}, environments=envs).codes() == []
    assert lint_text(hashed("lib==2.3", PURE), index={"lib": p}).codes() == ["RH309"]


def test_a_version_with_no_file_is_rh304_not_rh309(lint_text: LintFn) -> None:
    p = page("lib", served("lib-2.2-py3-none-any.whl", requires_python=">=3.12"))
    assert lint_text(hashed("lib==2.3", PURE), index={"lib": p}).codes() == ["RH304"]
