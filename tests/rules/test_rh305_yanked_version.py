"""RH305 yanked-version: the file pip would install is yanked (PEP 592)."""

from __future__ import annotations

from .conftest import LintFn, hashed, page, served


def test_yanked_with_a_reason(lint_text: LintFn) -> None:
    p = page("lib", served("lib-2.0-py3-none-any.whl", yanked="broken metadata, use 2.0.1"))
    r = lint_text(hashed("lib==2.0", "lib-2.0-py3-none-any.whl"), index={"lib": p})
    assert r.codes() == ["RH305"] and r.at("RH305") == [(1, 1)]
    msg = r.one("RH305").message
    assert "lib==2.0 is yanked (reason: 'broken metadata, use 2.0.1')" in msg
    assert "pip still installs lib-2.0-py3-none-any.whl, with only a warning" in msg
    assert " on CPython" not in msg  # everywhere


def test_yanked_without_a_reason(lint_text: LintFn) -> None:
    p = page("lib", served("lib-2.0-py3-none-any.whl", yanked=""))
    msg = lint_text(hashed("lib==2.0", "lib-2.0-py3-none-any.whl"), index={"lib": p}).one("RH305").message
    assert "is yanked (no reason given)" in msg


def test_a_yanked_file_pip_does_not_pick_is_quiet(lint_text: LintFn) -> None:
    # both hashed: pip prefers the file that is not yanked
    p = page("lib", served("lib-2.0-py3-none-any.whl", yanked="bad"), served("lib-2.0.tar.gz"))
    assert (
        lint_text(hashed("lib==2.0", "lib-2.0-py3-none-any.whl", "lib-2.0.tar.gz"), index={"lib": p}).at("RH305") == []
    )


def test_a_hashed_yanked_file_beats_an_unhashed_one(lint_text: LintFn) -> None:
    p = page("lib", served("lib-2.0-py3-none-any.whl", yanked="bad"), served("lib-2.0.tar.gz"))
    assert lint_text(hashed("lib==2.0", "lib-2.0-py3-none-any.whl"), index={"lib": p}).codes() == ["RH305"]


def test_only_some_environments(lint_text: LintFn) -> None:
    win = "lib-2.0-cp312-cp312-win_amd64.whl"
    p = page("lib", served(win, yanked="bad build"), served("lib-2.0-cp312-cp312-macosx_11_0_arm64.whl"))
    text = hashed("lib==2.0", win, "lib-2.0-cp312-cp312-macosx_11_0_arm64.whl")
    msg = lint_text(text, index={"lib": p}).one("RH305").message
    assert f"pip still installs {win} on CPython 3.12 on Windows x64" in msg


def test_the_reason_is_one_line_cut_short_and_masked(lint_text: LintFn) -> None:
    reason = "see https://user:s3cret@example.com/x\n\x1b[31m" + "x" * 500
    p = page("lib", served("lib-2.0.tar.gz", yanked=reason))
    msg = lint_text(hashed("lib==2.0", "lib-2.0.tar.gz"), index={"lib": p}).one("RH305").message
    assert "s3cret" not in msg and "\n" not in msg and "\x1b" not in msg
    quoted = msg.split("(reason: '")[1].split("')")[0]
    assert len(quoted) == 200 and quoted.endswith("...")


def test_unhashed_entries_are_judged_too(lint_text: LintFn) -> None:
    p = page("lib", served("lib-2.0.tar.gz", yanked="bad"))
    assert lint_text("lib==2.0\n", index={"lib": p}, require_hashes="when-any").codes() == ["RH305"]
