"""RH306 builds-from-source: where the only hashed file pip can install is an sdist."""

from __future__ import annotations

from .conftest import LintFn, hashed, page, served

WHEELS = ("lib-1.0-py3-none-any.whl",)


def test_only_the_sdist_hashed_while_wheels_exist(lint_text: LintFn) -> None:
    p = page("lib", served(WHEELS[0]), served("lib-1.0.tar.gz"))
    r = lint_text(hashed("lib==1.0", "lib-1.0.tar.gz"), index={"lib": p})
    assert r.codes() == ["RH306"] and r.at("RH306") == [(1, 1)]
    msg = r.one("RH306").message
    assert "on all 35 target environments, no hashed wheel installs, so" in msg
    assert "pip builds lib-1.0.tar.gz from source" in msg and "no hash check" in msg
    assert "add the hashes of its wheels" in msg


def test_an_sdist_only_release(lint_text: LintFn) -> None:
    p = page("lib", served("lib-1.0.tar.gz"))
    msg = lint_text(hashed("lib==1.0", "lib-1.0.tar.gz"), index={"lib": p}).one("RH306").message
    assert "on all 35 target environments, no hashed wheel installs" in msg
    assert "pin a version that ships wheels" in msg


def test_a_hashed_wheel_beats_the_hashed_sdist(lint_text: LintFn) -> None:
    p = page("lib", served(WHEELS[0]), served("lib-1.0.tar.gz"))
    assert lint_text(hashed("lib==1.0", WHEELS[0], "lib-1.0.tar.gz"), index={"lib": p}).codes() == []


def test_only_where_no_hashed_wheel_applies(lint_text: LintFn) -> None:
    linux = "lib-1.0-cp312-cp312-manylinux_2_17_x86_64.whl"
    p = page("lib", served(linux), served("lib-1.0.tar.gz"))
    msg = lint_text(hashed("lib==1.0", linux, "lib-1.0.tar.gz"), index={"lib": p}).one("RH306").message
    assert "CPython 3.10-3.11 and 3.13-3.14 on Linux x86_64 (glibc)" in msg
    assert "(glibc) and CPython 3.10-3.14 on Linux aarch64 (glibc), Linux x86_64 (musl)," in msg
    assert "pin a version that ships wheels" in msg  # none of its wheels installs there


def test_an_unhashed_entry_is_not_judged(lint_text: LintFn) -> None:
    p = page("lib", served("lib-1.0.tar.gz"))
    assert lint_text("lib==1.0\n", index={"lib": p}, require_hashes="when-any").codes() == []
