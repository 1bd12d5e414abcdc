"""RH010 include-problem: anchored at the `-r`/`-c` token (option and value), in the including file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from req_hashlint._model import Severity

from ..conftest import H1
from .conftest import LintFn


@pytest.mark.parametrize(
    "line",
    [
        "-r missing.txt",
        "-rmissing.txt",
        "--requirement=missing.txt",
        "-c missing.txt",
        "--constraint missing.txt",
        "--requirem missing.txt",
    ],
)
def test_missing_target(lint_text: LintFn, line: str) -> None:
    r = lint_text(f"six==1.16.0 --hash=sha256:{H1}\n{line}\n")
    assert r.at("RH010") == [(2, 1)]
    f = r.one("RH010")
    assert (f.span.end_line, f.span.end_column) == (2, 1 + len(line))
    assert "does not exist" in f.message and "missing.txt" in f.message


def test_missing_target_in_an_included_file_is_reported_there(lint_text: LintFn) -> None:
    r = lint_text("-r sub/a.txt\n", files={"sub/a.txt": "# x\n  -r nope.txt\n"})
    assert r.where("RH010") == [("sub/a.txt", 2, 3)]
    assert "sub/nope.txt" in r.one("RH010").message  # where it looked, relative to the includer


def test_cycle(lint_text: LintFn) -> None:
    r = lint_text("-r a.txt\n", files={"a.txt": "-r b.txt\n", "b.txt": "-r a.txt\n"})
    assert r.where("RH010") == [("b.txt", 1, 1)]
    assert "cycle" in r.one("RH010").message


def test_self_include(lint_text: LintFn) -> None:
    r = lint_text("six==1.0\n-r requirements.txt\n")
    assert r.at("RH010") == [(2, 1)]


@pytest.mark.parametrize("target", ["../outside.txt", "sub/../../outside.txt"])
def test_outside_the_root_is_not_read(lint_text: LintFn, tmp_path: Path, target: str) -> None:
    (tmp_path / "outside.txt").write_text("six>=1\n")  # would give RH001 if it were read
    r = lint_text(f"-c {target}\n")
    assert r.codes() == ["RH010"]
    assert "outside" in r.one("RH010").message


def test_absolute_path_outside_is_not_read(lint_text: LintFn, tmp_path: Path) -> None:
    (tmp_path / "outside.txt").write_text("six>=1\n")
    r = lint_text(f"-r {tmp_path / 'outside.txt'}\n")
    assert r.codes() == ["RH010"]
    assert str(tmp_path) not in r.one("RH010").message.replace(f"-r {tmp_path / 'outside.txt'}", "")


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_symlink_leading_outside_is_not_read(lint_text: LintFn, tmp_path: Path) -> None:
    (tmp_path / "outside.txt").write_text("six>=1\n")
    top = tmp_path / "w"
    top.mkdir()
    (top / "link.txt").symlink_to(tmp_path / "outside.txt")
    r = lint_text("-r link.txt\n")
    assert r.codes() == ["RH010"]
    assert "symlink" in r.one("RH010").message


def test_url_include_is_a_warning_and_not_fetched(lint_text: LintFn) -> None:
    r = lint_text("-r https://example.com/requirements.txt\n-c http://example.com/c.txt\n")
    assert r.at("RH010") == [(1, 1), (2, 1)]
    assert r.severities("RH010") == [Severity.WARNING, Severity.WARNING]


def test_unreadable_target(lint_text: LintFn) -> None:
    r = lint_text("-r binary.txt\n", files={"binary.txt": b"\x00\x01\x02"})
    assert r.at("RH010") == [(1, 1)]
    assert "cannot be read" in r.one("RH010").message
    assert r.at("RH901") == []  # the includer reports it, at its -r line


def test_directory_target(lint_text: LintFn) -> None:
    r = lint_text("-r sub\n", files={"sub/x.txt": ""})
    assert r.at("RH010") == [(1, 1)]


def test_quiet_on_good_includes(lint_text: LintFn) -> None:
    r = lint_text(
        f"-r sub/base.txt\n-c constraints.txt\nsix==1.16.0 --hash=sha256:{H1}\n",
        files={"sub/base.txt": "-r ../common.txt\n", "common.txt": "", "constraints.txt": ""},
    )
    assert r.codes() == []
