"""The command's I/O: where `--output` may write, closed or full streams (issue 10.1, 10.11)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import H1, Run, git, write_tree

RunCli = Callable[..., Run]
REPORT = "req-hashlint.sarif"
TRUSTED = "--trusted-host $(touch pwned)\nsix==1.16.0 --hash=sha256:" + H1 + "\n"


def _committed(repo: Path, files: dict[str, str]) -> Path:
    write_tree(repo, files)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "x")
    return repo


# -- 10.1: --output never goes through a symlink, into .git, or onto a file the run reads -----


def test_output_symlink_out_of_the_repository_is_refused(run_cli: RunCli, repo: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("precious\n")
    missing = tmp_path / "created-outside.txt"
    _committed(repo, {"requirements.txt": TRUSTED})
    (repo / REPORT).symlink_to(outside)
    (repo / "new.sarif").symlink_to(missing)
    for name in (REPORT, "new.sarif"):
        r = run_cli("--format", "sarif", "--output", name, cwd=repo)
        assert r.code == 2, r.err
        assert r.err.count("\n") == 1 and "symlink" in r.err and "Traceback" not in r.err
    assert outside.read_text() == "precious\n"
    assert not missing.exists()


def test_output_symlink_to_a_linted_file_is_refused(run_cli: RunCli, repo: Path) -> None:
    _committed(repo, {"requirements.txt": TRUSTED})
    (repo / REPORT).symlink_to("requirements.txt")
    r = run_cli("--output", REPORT, cwd=repo)
    assert r.code == 2 and "symlink" in r.err
    assert (repo / "requirements.txt").read_text() == TRUSTED


def test_output_symlink_to_a_git_hook_never_becomes_hook_code(run_cli: RunCli, repo: Path) -> None:
    hook = repo / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\nexit 0\n")
    hook.chmod(0o755)
    _committed(repo, {"requirements.txt": TRUSTED})
    (repo / "report.txt").symlink_to(".git/hooks/pre-commit")
    for target in ("report.txt", ".git/hooks/pre-commit", ".git/report.txt"):
        r = run_cli("--output", target, cwd=repo)
        assert r.code == 2, (target, r.err)
        assert r.err.count("\n") == 1
    assert hook.read_text() == "#!/bin/sh\nexit 0\n"
    assert not (repo / ".git" / "report.txt").exists()


def test_output_through_a_symlinked_directory_is_refused(run_cli: RunCli, repo: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    _committed(repo, {"requirements.txt": TRUSTED})
    (repo / "reports").symlink_to(outside)
    (repo / "hooks").symlink_to(".git/hooks")
    for target in (f"reports/{REPORT}", "hooks/pre-commit"):
        r = run_cli("--output", target, cwd=repo)
        assert r.code == 2, (target, r.err)
        assert "symlink" in r.err or ".git" in r.err
    assert list(outside.iterdir()) == []
    assert not (repo / ".git" / "hooks" / "pre-commit").exists()


def test_output_onto_a_file_the_run_lints_is_refused(run_cli: RunCli, repo: Path) -> None:
    files = {"requirements.txt": "-r base.txt\n", "base.txt": "six==1.16.0 --hash=sha256:" + H1 + "\n"}
    _committed(repo, files)
    (repo / "again.txt").hardlink_to(repo / "base.txt")
    for target in ("requirements.txt", "base.txt", "./sub/../base.txt", "again.txt"):
        r = run_cli("requirements.txt", "--output", target, cwd=repo)
        assert r.code == 2, (target, r.err)
        assert "reads" in r.err
    assert (repo / "requirements.txt").read_text() == files["requirements.txt"]
    assert (repo / "base.txt").read_text() == files["base.txt"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX FIFOs")
def test_output_onto_a_fifo_device_or_directory_is_refused_without_blocking(run_cli: RunCli, repo: Path) -> None:
    _committed(repo, {"requirements.txt": TRUSTED})
    os.mkfifo(repo / "fifo")
    (repo / "dir").mkdir()
    for target in ("fifo", "dir", "dir/", os.devnull):
        r = run_cli("--output", target, cwd=repo)
        assert r.code == 2, (target, r.err)
        assert "not a regular file" in r.err or "directory" in r.err
    assert stat.S_ISFIFO(os.lstat(repo / "fifo").st_mode)


def test_output_to_a_regular_or_new_file_still_works(run_cli: RunCli, repo: Path, tmp_path: Path) -> None:
    _committed(repo, {"requirements.txt": TRUSTED})
    (repo / "old.txt").write_text("x" * 10_000)
    assert run_cli("--output", "old.txt", cwd=repo).code == 1
    assert (repo / "old.txt").read_text().startswith("requirements.txt:1:")
    elsewhere = tmp_path / "out" / "report.json"
    elsewhere.parent.mkdir()
    assert run_cli("--format", "json", "--output", str(elsewhere), cwd=repo).code == 1
    assert elsewhere.read_text().startswith("{")


# -- 10.11: closed and full streams ------------------------------------------------------------


def _sh(cwd: Path, redirect: str, *args: str) -> subprocess.CompletedProcess[bytes]:
    """The command in a real process, with the shell redirection ``redirect`` (``>&-``...)."""
    return subprocess.run(
        ["sh", "-c", f'exec "$@" {redirect}', "sh", sys.executable, "-m", "req_hashlint", "--no-config", *args],
        cwd=cwd,
        capture_output=True,
        check=False,
        timeout=60,
    )


@pytest.fixture
def work(tmp_path: Path) -> Path:
    top = tmp_path / "work"
    write_tree(top, {"requirements.txt": "six>=1\n"})
    return top


@pytest.mark.parametrize(
    ("redirect", "args", "needle"),
    [
        (">&-", ["requirements.txt"], b"stdout: it is closed"),
        (">&-", ["--list-rules"], b"stdout: it is closed"),
        ("> /dev/full", ["requirements.txt"], b"stdout: No space left on device"),
        ("<&-", ["-"], b"stdin: it is closed"),
    ],
)
def test_closed_or_full_stream_is_one_line_and_exit_2(
    work: Path, redirect: str, args: list[str], needle: bytes
) -> None:
    if redirect.endswith("/dev/full") and not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full")
    proc = _sh(work, redirect, *args)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.count(b"\n") == 1 and needle in proc.stderr, proc.stderr
    assert b"Traceback" not in proc.stderr and b"internal error" not in proc.stderr


def test_closed_stdout_with_output_file_works(work: Path) -> None:
    proc = _sh(work, ">&-", "--output", "report.txt", "requirements.txt")
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr.startswith(b"Found 2 errors") and b"Traceback" not in proc.stderr
    assert (work / "report.txt").read_text().startswith("requirements.txt:1:1: RH001")


def test_closed_stderr_never_sends_errors_to_stdout(work: Path) -> None:
    proc = _sh(work, "2>&-", "--output", "report.txt", "requirements.txt")
    assert (proc.returncode, proc.stdout) == (1, b"")
    proc = _sh(work, "2>&- >&-", "nope.txt")
    assert proc.returncode == 2


# -- 10.7: in the hook's command line, a file name is never an option ------------------------


@pytest.mark.parametrize(
    "args",
    [[], ["--ignore", "RH001"], ["--ignore=RH001", "-q"], ["--ign", "RH001"], ["-o", "report.txt"], ["--"]],
)
def test_pre_commit_file_names_are_never_options(run_cli: RunCli, work: Path, args: list[str]) -> None:
    write_tree(work, {"--output=requirements.txt": "idna>=3\n", "-": "idna>=3\n"})
    before = (work / "requirements.txt").read_text()
    r = run_cli("--pre-commit", *args, "--output=requirements.txt", "-", "requirements.txt", cwd=work)
    assert r.code == 1, r.err
    assert (work / "requirements.txt").read_text() == before
    text = r.out or (work / "report.txt").read_text()
    for name in ("--output=requirements.txt", "-", "requirements.txt"):
        assert f"\n{name}:1:1: RH002 " in "\n" + text, text
    assert ("RH001" in text) == (not any(a.startswith("--ign") for a in args))
