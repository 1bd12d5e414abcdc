"""End to end: the real pre-commit hook, installed from a snapshot of this checkout, blocks a stale bump.

Slow (pre-commit builds the hook's virtualenv once per module, from PyPI or the machine's
pip configuration); runs on the main CI Python only.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import H1, H2, H3, REPO, git, git_env

pytestmark = pytest.mark.slow


def _entry(version: str, *hashes: str) -> str:
    return " \\\n    ".join([f"rich=={version}", *(f"--hash=sha256:{h}" for h in hashes)]) + "\n"


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A one-commit git repository holding this checkout's working tree (tracked and new files)."""
    snap = tmp_path_factory.mktemp("snapshot")
    out = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO,
        check=True,
        capture_output=True,
    ).stdout
    for rel in filter(None, out.decode("utf-8", "surrogateescape").split("\0")):
        src = REPO / rel
        if src.is_file():
            dst = snap / rel
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dst)
    git(snap, "init", "-q", "-b", "main")
    git(snap, "add", "-A")
    git(snap, "commit", "-qm", "snapshot", "--no-verify")
    return snap, git(snap, "rev-parse", "HEAD").strip()


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


@pytest.fixture
def hooked(tmp_path: Path, hook_repo: tuple[Path, str], pre_commit_home: Path) -> Iterator[Path]:
    """A user's repository with the hook installed for commits and pushes, and a bare remote."""
    snap, sha = hook_repo
    user = tmp_path / "user"
    user.mkdir()
    git(user, "init", "-q", "-b", "main")
    (user / ".pre-commit-config.yaml").write_text(
        "default_install_hook_types: [pre-commit, pre-push]\n"
        f"repos:\n  - repo: {snap}\n    rev: {sha}\n    hooks:\n      - id: req-hashlint\n"
    )
    env = _env(pre_commit_home)
    subprocess.run([sys.executable, "-m", "pre_commit", "install"], cwd=user, env=env, check=True, capture_output=True)
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(remote))
    git(user, "remote", "add", "origin", str(remote))
    yield user


def _env(home: Path) -> dict[str, str]:
    env = {**git_env(), "PRE_COMMIT_HOME": str(home), "PRE_COMMIT_COLOR": "never"}
    env.pop("PRE_COMMIT", None)
    return env


def _git(repo: Path, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """git with hooks live; returns the result instead of raising."""
    return subprocess.run(["git", *args], cwd=repo, env=_env(home), capture_output=True, text=True, check=False)


def test_a_commit_with_a_stale_bump_is_blocked(hooked: Path, pre_commit_home: Path) -> None:
    req = hooked / "requirements.txt"
    req.write_text(_entry("14.3.4", H1, H2))
    _git(hooked, pre_commit_home, "add", "-A")
    first = _git(hooked, pre_commit_home, "commit", "-m", "lock")
    assert first.returncode == 0, first.stdout + first.stderr  # no commits yet: a note, not a failure

    req.write_text(_entry("15.0.0", H1, H2))
    _git(hooked, pre_commit_home, "add", "requirements.txt")
    # An unstaged fix does not count: pre-commit stashes it and lints what is committed.
    req.write_text(_entry("15.0.0", H3))
    blocked = _git(hooked, pre_commit_home, "commit", "-m", "bump")
    out = blocked.stdout + blocked.stderr
    assert blocked.returncode != 0, out
    assert "requirements.txt:1:1: RH101 rich bumped 14.3.4 -> 15.0.0 but its 2 --hash values are unchanged" in out
    assert "Traceback" not in out
    assert _git(hooked, pre_commit_home, "rev-list", "--count", "HEAD").stdout.strip() == "1"
    assert req.read_text() == _entry("15.0.0", H3)  # the unstaged change is back

    _git(hooked, pre_commit_home, "add", "requirements.txt")
    fixed = _git(hooked, pre_commit_home, "commit", "-m", "bump")
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr


def test_a_push_with_a_stale_bump_is_blocked(hooked: Path, pre_commit_home: Path) -> None:
    req = hooked / "requirements.txt"
    req.write_text(_entry("14.3.4", H1, H2))
    _git(hooked, pre_commit_home, "add", "-A")
    assert _git(hooked, pre_commit_home, "commit", "-m", "lock").returncode == 0
    pushed = _git(hooked, pre_commit_home, "push", "-q", "origin", "main")
    assert pushed.returncode == 0, pushed.stdout + pushed.stderr

    # Two commits that skipped the commit hook: a stale bump, then something unrelated.
    req.write_text(_entry("15.0.0", H1, H2))
    _git(hooked, pre_commit_home, "commit", "-qam", "bump", "--no-verify")
    (hooked / "README").write_text("x\n")
    _git(hooked, pre_commit_home, "add", "README")
    _git(hooked, pre_commit_home, "commit", "-qm", "docs", "--no-verify")
    blocked = _git(hooked, pre_commit_home, "push", "origin", "main")
    out = blocked.stdout + blocked.stderr
    assert blocked.returncode != 0, out
    assert "RH101 rich bumped 14.3.4 -> 15.0.0" in out

    req.write_text(_entry("15.0.0", H3))
    _git(hooked, pre_commit_home, "commit", "-qam", "regenerate", "--no-verify")
    ok = _git(hooked, pre_commit_home, "push", "origin", "main")
    assert ok.returncode == 0, ok.stdout + ok.stderr
