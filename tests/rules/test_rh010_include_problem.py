"""RH010 include-problem: anchored at the `-r`/`-c` token (option and value), in the including file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from req_hashlint import _graph
from req_hashlint._model import Severity
from req_hashlint.rules import BY_CODE, Context

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


def _build(top: Path, roots: list[str]) -> _graph.Graph:
    from req_hashlint._source import read_path

    return _graph.build([(str(top / r), r, None) for r in roots], boundary=lambda _p: str(top), reader=read_path)


def test_an_unreadable_include_is_one_problem_and_one_finding(tmp_path: Path) -> None:
    """Reached from two roots and in both roles, an unreadable include is still one fact and one
    finding, at its `-r` line; nothing downstream needs to drop a duplicate."""
    (tmp_path / "bad.txt").write_bytes(b"\xff\xfe\x00binary")
    (tmp_path / "common.txt").write_text("-r bad.txt\n")
    (tmp_path / "a.txt").write_text("-r common.txt\n")
    (tmp_path / "b.txt").write_text("-c common.txt\n-r common.txt\n")
    graph = _build(tmp_path, ["a.txt", "b.txt"])
    problems = list(graph.problems.values())
    assert [(p.reason, p.include.target) for p in problems] == [(_graph.Reason.UNREADABLE, "bad.txt")]
    assert problems[0].fact  # why it cannot be read
    found = list(BY_CODE["RH010"].check(Context(graph)))
    assert [(f.path, f.span.line) for f in found] == [("common.txt", 1)]
    assert "bad.txt` cannot be read" in found[0].message
    assert list(BY_CODE["RH901"].check(Context(graph))) == []  # an included file's problem is RH010's


def test_each_refusal_is_a_reason_with_its_facts(tmp_path: Path) -> None:
    (tmp_path / "r.txt").write_text("-r missing.txt\n-r ../out.txt\n-r https://example.org/r.txt\n-r loop.txt\n")
    (tmp_path / "loop.txt").write_text("-r r.txt\n")
    graph = _build(tmp_path, ["r.txt"])
    got = sorted((p.reason.value, p.fact) for p in graph.problems.values())
    assert got == [
        ("cycle", "r.txt -> loop.txt -> r.txt"),
        ("missing", "missing.txt"),
        ("outside", ""),
        ("url", ""),
    ]


def test_a_symlinked_file_and_directory_resolve_to_the_real_file(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "base.txt").write_text(f"six==1.16.0 --hash=sha256:{H1}\n")
    (tmp_path / "link").symlink_to("real")
    (tmp_path / "alias.txt").symlink_to("real/base.txt")
    (tmp_path / "r.txt").write_text("-r link/base.txt\n-r alias.txt\n")
    graph = _build(tmp_path, ["r.txt"])
    assert not graph.problems
    files = {n.ident for n in graph.nodes.values()}
    assert files == {os.path.realpath(tmp_path / "r.txt"), os.path.realpath(tmp_path / "real" / "base.txt")}
