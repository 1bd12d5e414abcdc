"""The include graph at scale (issues 10.4, 10.9): one file is one node, budgets that run out
are errors, and the whole-graph checks look at each file's entries once however many roots
read it."""

from __future__ import annotations

import hashlib
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from req_hashlint import _graph
from req_hashlint._engine import Target, enabled_rules, lint
from req_hashlint._model import Entry, ReqFile

from .conftest import H1, Run, git, write_tree

RunCli = Callable[..., Run]
needs_symlinks = pytest.mark.skipif(sys.platform == "win32", reason="symlinks")


def _commit(repo: Path) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "x")


@needs_symlinks
def test_symlinked_directories_do_not_multiply_one_file(
    run_cli: RunCli, repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`a -> .` and `b -> .` made 2^n paths of one file until the budget ran out, and the bad
    file after them passed unlinted (the budget is lowered here only to keep the old failure
    quick; one file is one node, so the real budget is never near)."""
    monkeypatch.setattr(_graph, "MAX_FILES", 500)
    (repo / "a").symlink_to(".")
    (repo / "b").symlink_to(".")
    write_tree(
        repo,
        {
            "base.txt": "-r a/base.txt\n-r b/base.txt\n",
            "requirements.txt": "-r base.txt\n",
            "zz-requirements.txt": "six>=1\n",
        },
    )
    _commit(repo)
    r = run_cli("--no-base", cwd=repo)
    assert r.code == 1
    assert "zz-requirements.txt:1:1: RH001" in r.out  # linted, not skipped
    cycles = [ln for ln in r.lines if "RH010" in ln]
    assert cycles == [
        "base.txt:1:1: RH010 `-r a/base.txt` makes an include cycle (base.txt -> base.txt); pip refuses the file",
        "base.txt:2:1: RH010 `-r b/base.txt` makes an include cycle (base.txt -> base.txt); pip refuses the file",
    ]
    assert "in 3 files" in r.err


@needs_symlinks
def test_symlink_aliases_of_one_file_are_one_file(run_cli: RunCli, repo: Path) -> None:
    """200 committed symlinks to one file: read, lexed and reported once, at its first path."""
    write_tree(repo, {"requirements.txt": "six>=1\n"})
    for i in range(200):
        (repo / f"requirements-{i:03d}.txt").symlink_to("requirements.txt")
    _commit(repo)
    r = run_cli("--no-base", "--select", "RH001", cwd=repo)
    assert len(r.lines) == 1 and r.lines[0].startswith("requirements-000.txt:1:1: RH001 "), r.lines
    assert "in 1 file." in r.err


@needs_symlinks
def test_a_file_symlinked_into_another_directory_includes_from_there(lint_text_dir: Path) -> None:
    """pip resolves includes next to the path it opened: the same file through a symlink in
    another directory includes other files, so it stays a node of its own there."""
    top = lint_text_dir
    write_tree(top, {"real/base.txt": "-r pins.txt\n", "real/pins.txt": "six==1.0\n", "pins.txt": "six>=1\n"})
    (top / "link.txt").symlink_to("real/base.txt")
    write_tree(top, {"requirements.txt": "-r link.txt\n-r real/base.txt\n"})
    found = lint(
        [Target(str(top / "requirements.txt"), "requirements.txt")],
        rules=enabled_rules(["RH001", "RH007"], []),
        boundary=lambda _p: str(top),
    ).findings
    assert [(f.path, f.code) for f in found] == [("pins.txt", "RH001"), (os.path.join("real", "pins.txt"), "RH007")]


@pytest.fixture
def lint_text_dir(tmp_path: Path) -> Path:
    top = tmp_path / "w"
    top.mkdir()
    return top


def test_an_exhausted_file_budget_names_what_was_not_linted(
    run_cli: RunCli, repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_graph, "MAX_FILES", 3)
    digest = hashlib.sha256(b"x").hexdigest()
    write_tree(
        repo,
        {
            "requirements-a.txt": f"-r inc.txt\nsix==1.0 --hash=sha256:{digest}\n",
            "inc.txt": f"idna==1.0 --hash=sha256:{H1}\n",
            "requirements-b.txt": "-r more.txt\n",
            "more.txt": "",
            "requirements-c.txt": "bad>=1\n",
        },
    )
    _commit(repo)
    r = run_cli("--no-base", cwd=repo)
    assert r.code == 1  # never a pass
    assert r.lines == [
        "requirements-b.txt:1:1: RH010 `-r more.txt` is not followed, so it is not checked: this run already "
        "reads 3 files, the most it reads",
        "requirements-c.txt:1:1: RH901 cannot read this file: not linted: this run already reads 3 files, the "
        "most it reads",
    ]


def test_outside_git_discovery_does_not_walk_into_symlinked_directories(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    top = tmp_path / "plain"
    write_tree(top, {"requirements.txt": "six>=1\n"})
    if sys.platform != "win32":
        (top / "a").symlink_to(".")
        (top / "b").symlink_to(".")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    r = run_cli("--no-base", "--select", "RH001", cwd=top)
    assert len(r.lines) == 1 and "in 1 file." in r.err


# -- linear work: each file's entries are looked at a bounded number of times ---------------


class _Counted(tuple[Entry, ...]):
    """A file's entries that count how often a check walks them."""

    walks = 0

    def __iter__(self) -> Iterator[Entry]:
        type(self).walks += 1
        return super().__iter__()


def test_two_hundred_roots_sharing_one_lock_walk_its_entries_a_bounded_number_of_times(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """RH007 and RH008 ran once per root over every included entry: 200 roots sharing a 10 MB
    lock took 278 s. Now the lock's entries are walked a fixed number of times, whatever the
    number of roots (and the findings are the same, at the right paths)."""
    digests = [hashlib.sha256(str(i).encode()).hexdigest() for i in range(300)]
    files = {"lock.txt": "".join(f"pkg{i}==1.0 --hash=sha256:{d}\n" for i, d in enumerate(digests))}
    for k in range(200):
        files[f"svc{k:03d}/requirements.txt"] = (
            f"-r ../lock.txt\n"
            f"pkg{k}==2.0\n"  # RH007: lock.txt pins 1.0
            f"own{k}==1.0 --hash=sha256:{digests[k]}\n"  # RH008: lock.txt lists it for pkg{k}
            f"pkg{k + 1}==1.0 --hash=sha256:{digests[k + 1]}\n"  # an identical repeat: no finding
        )
    write_tree(tmp_path, files)
    real_lex = _graph.lex

    def counted_lex(text: str, path: str) -> ReqFile:
        file = real_lex(text, path)
        return file._replace(entries=_Counted(file.entries)) if path == "lock.txt" else file

    monkeypatch.setattr(_graph, "lex", counted_lex)
    targets = [Target(str(tmp_path / "lock.txt"), "lock.txt")]
    targets += [Target(str(tmp_path / k), k) for k in sorted(files) if k != "lock.txt"]
    result = lint(targets, rules=enabled_rules(["RH007", "RH008"], []), boundary=lambda _p: str(tmp_path))
    assert _Counted.walks <= 10, _Counted.walks
    rh007 = [(f.path, f.span.line) for f in result.findings if f.code == "RH007"]
    assert rh007 == [(os.path.join(f"svc{k:03d}", "requirements.txt"), 2) for k in range(200)]
    rh008 = [
        (f.path, f.span.line, f.message.split(" at ")[1].split(";")[0]) for f in result.findings if f.code == "RH008"
    ]
    assert rh008 == [("lock.txt", k + 1, f"svc{k:03d}/requirements.txt:3") for k in range(200)]
