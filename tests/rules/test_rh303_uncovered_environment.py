"""RH303 uncovered-environment: a target environment where no file it could install is hashed."""

from __future__ import annotations

from req_hashlint.index._environments import select_environments

from .conftest import LintFn, hashed, page, served

PYS = ("cp310", "cp311", "cp312", "cp313", "cp314")
PLATS = {
    "linux": "manylinux_2_17_x86_64.manylinux2014_x86_64",
    "arm": "manylinux_2_17_aarch64.manylinux2014_aarch64",
    "musl": "musllinux_1_2_x86_64",
    "mac-arm": "macosx_11_0_arm64",
    "mac-x86": "macosx_10_9_x86_64",
    "win": "win_amd64",
}


def wheels(*kinds: str, project: str = "fast", version: str = "1.0") -> list[str]:
    return [f"{project}-{version}-{py}-{py}-{PLATS[k]}.whl" for py in PYS for k in kinds]


# 30 wheels, no sdist, none for musl aarch64: that environment is never counted
FAST = page("fast", *map(served, wheels(*PLATS)))


def test_fires_for_windows_only_and_names_the_file_pip_picks(lint_text: LintFn) -> None:
    text = hashed("fast==1.0", *wheels("linux", "arm", "musl", "mac-arm", "mac-x86"))
    r = lint_text(text, index={"fast": FAST})
    assert r.codes() == ["RH303"] and r.at("RH303") == [(1, 1)]
    msg = r.one("RH303").message
    assert "on CPython 3.10-3.14 on Windows x64, pip picks" in msg and "whose hash is not listed" in msg
    assert "pip picks fast-1.0-cp310-cp310-win_amd64.whl (and 4 other files elsewhere), whose hash" in msg
    assert "HashMismatch" in msg


def test_quiet_when_every_file_is_hashed(lint_text: LintFn) -> None:
    assert lint_text(hashed("fast==1.0", *wheels(*PLATS)), index={"fast": FAST}).codes() == []


def test_a_marker_that_excludes_the_environment(lint_text: LintFn) -> None:
    text = hashed("fast==1.0", *wheels("linux", "arm", "musl", "mac-arm", "mac-x86"), marker="sys_platform != 'win32'")
    assert lint_text(text, index={"fast": FAST}).codes() == []


def test_environments_setting_limits_the_targets(lint_text: LintFn) -> None:
    text = hashed("fast==1.0", *wheels("linux", "arm", "musl", "mac-arm", "mac-x86"))
    linux = select_environments(["sys_platform == 'linux'"], None)
    assert lint_text(text, index={"fast": FAST}, environments=linux).codes() == []
    win313 = select_environments(["sys_platform == 'win32' and python_version == '3.13'"], None)
    msg = lint_text(text, index={"fast": FAST}, environments=win313).one("RH303").message
    assert "CPython 3.13 on Windows x64" in msg and "fast-1.0-cp313-cp313-win_amd64.whl" in msg


def test_several_groups(lint_text: LintFn) -> None:
    text = hashed("fast==1.0", *wheels("linux", "arm", "musl"))
    msg = lint_text(text, index={"fast": FAST}).one("RH303").message
    assert "CPython 3.10-3.14 on macOS x86_64, macOS arm64 and Windows x64" in msg


def test_an_unhashed_sdist_is_what_pip_picks_where_no_wheel_applies(lint_text: LintFn) -> None:
    p = page("fast", *map(served, wheels("linux")), served("fast-1.0.tar.gz"))
    msg = lint_text(hashed("fast==1.0", *wheels("linux")), index={"fast": p}).one("RH303").message
    assert "pip picks fast-1.0.tar.gz, whose hash is not listed" in msg
    assert (
        "Linux aarch64 (glibc), Linux x86_64 (musl), Linux aarch64 (musl), macOS x86_64, macOS arm64 and Windows x64"
        in msg
    )


def test_requires_python_removes_a_file(lint_text: LintFn) -> None:
    # the hashed wheel needs 3.12: on 3.10 and 3.11 pip skips it and builds the unhashed sdist
    p = page("pure", served("pure-2.0-py3-none-any.whl", requires_python=">=3.12"), served("pure-2.0.tar.gz"))
    msg = lint_text(hashed("pure==2.0", "pure-2.0-py3-none-any.whl"), index={"pure": p}).one("RH303").message
    assert msg.count("CPython 3.10-3.11 on") == 1 and "3.12" not in msg
    assert "pip picks pure-2.0.tar.gz, whose hash is not listed" in msg
    # without the requires-python, the hashed wheel applies everywhere
    p = page("pure", served("pure-2.0-py3-none-any.whl"), served("pure-2.0.tar.gz"))
    assert lint_text(hashed("pure==2.0", "pure-2.0-py3-none-any.whl"), index={"pure": p}).codes() == []


def test_a_hashed_sdist_covers_every_environment_rh306_says_so(lint_text: LintFn) -> None:
    p = page("fast", *map(served, wheels("linux")), served("fast-1.0.tar.gz"))
    r = lint_text(hashed("fast==1.0", "fast-1.0.tar.gz", *wheels("linux")), index={"fast": p})
    assert r.codes() == ["RH306"]


def test_no_hash_matching_at_all_is_rh301_alone(lint_text: LintFn) -> None:
    r = lint_text(hashed("fast==1.0", "fast-0.9.tar.gz"), index={"fast": FAST})
    assert r.codes() == ["RH301"]


def test_a_linux_only_release_is_not_flagged_elsewhere(lint_text: LintFn) -> None:
    linux = wheels("linux")
    p = page("fast", *map(served, linux))
    assert lint_text(hashed("fast==1.0", *linux), index={"fast": p}).codes() == []
    msg = lint_text(hashed("fast==1.0", *linux[1:]), index={"fast": p}).one("RH303").message
    assert "on CPython 3.10 on Linux x86_64 (glibc), pip picks" in msg
