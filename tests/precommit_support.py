"""Real pre-commit, installed into temporary git repositories, running this checkout's hook.

A *site* is built once per test session (and shared by pytest-xdist workers through a lock):

- a snapshot of this checkout's working tree (tracked files and untracked ones git does not
  ignore, so uncommitted changes are included), committed in a temporary git repository that
  serves as the hook's `repo:`, with that commit as `rev:`;
- one PRE_COMMIT_HOME, so pre-commit builds the hook's virtualenv (a `pip install` of the
  snapshot: only `packaging` and the build backend come from the package index) once.

Tests then make consumer repositories with :meth:`PrecommitSite.new_repo` and run real `git
commit` / `git push` in them. Git never reads the machine's global or system config.

    @pytest.fixture(scope="session")
    def site(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> PrecommitSite:
        return shared_site(tmp_path_factory, worker_id)

    def test_x(site: PrecommitSite, tmp_path: Path) -> None:
        repo = site.new_repo(tmp_path / "r")
        (repo / "requirements.txt").write_text("six==1.16.0\\n")
        site.git(repo, "add", "requirements.txt")
        proc = site.git(repo, "commit", "-m", "x", check=False)
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from .conftest import REPO, git_env

HOOK_ID = "req-hashlint"
# generous: the first run creates a virtualenv and pip-installs the hook
INSTALL_TIMEOUT = 600
RUN_TIMEOUT = 120


def clean_env(home: Path) -> dict[str, str]:
    """The environment for git and pre-commit: conftest's git identity and isolation, no other
    GIT_* variable from outside (a GIT_DIR from an enclosing hook would redirect every command),
    and pre-commit's and virtualenv's state under ``home``."""
    keep = {"GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL"}
    keep |= {"GIT_CONFIG_GLOBAL", "GIT_CONFIG_NOSYSTEM"}
    env = {k: v for k, v in git_env().items() if k in keep or not k.startswith(("GIT_", "PRE_COMMIT"))}
    env.update(
        {
            "GIT_TERMINAL_PROMPT": "0",
            "PRE_COMMIT_HOME": str(home / "pre-commit"),
            "PRE_COMMIT_COLOR": "never",
            "VIRTUALENV_OVERRIDE_APP_DATA": str(home / "virtualenv"),
            "PIP_DISABLE_PIP_VERSION_CHECK": "1",
            "PIP_NO_INPUT": "1",
            "NO_COLOR": "1",
        }
    )
    return env


def _run(
    args: Sequence[str], cwd: Path, env: dict[str, str], *, check: bool = True, timeout: float = RUN_TIMEOUT
) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(list(args), cwd=cwd, env=env, capture_output=True, text=True, check=False, timeout=timeout)
    if check and proc.returncode != 0:
        raise AssertionError(f"{' '.join(args)} exited {proc.returncode}\n{proc.stdout}\n{proc.stderr}")
    return proc


def snapshot(dest: Path, env: dict[str, str]) -> str:
    """Commit this checkout's working tree (as it is now) into a new repository at ``dest``."""
    listed = _run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], REPO, env).stdout.split("\0")
    dest.mkdir(parents=True)
    for rel in filter(None, listed):
        src = REPO / rel
        if not src.is_file() or src.is_symlink():
            continue  # deleted in the working tree, or a link we do not need
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, target)
    _run(["git", "init", "-q", "-b", "main"], dest, env)
    _run(["git", "add", "-A"], dest, env)
    _run(["git", "commit", "-q", "--no-verify", "-m", "snapshot of the working tree"], dest, env)
    return _run(["git", "rev-parse", "HEAD"], dest, env).stdout.strip()


@dataclass(frozen=True)
class PrecommitSite:
    root: Path
    hook_repo: Path
    rev: str
    env: dict[str, str]

    def config(self, *, args: Sequence[str] = (), stages: Sequence[str] = (), hook_id: str = HOOK_ID) -> str:
        """A `.pre-commit-config.yaml` using this checkout's hook."""
        lines = [
            "repos:",
            f"  - repo: {self.hook_repo.as_posix()}",
            f"    rev: {self.rev}",
            "    hooks:",
            f"      - id: {hook_id}",
        ]
        if args:
            lines.append("        args: [" + ", ".join(f"'{a}'" for a in args) + "]")
        if stages:
            lines.append("        stages: [" + ", ".join(stages) + "]")
        return "\n".join(lines) + "\n"

    def new_repo(
        self,
        path: Path,
        *,
        args: Sequence[str] = (),
        stages: Sequence[str] = (),
        hook_types: Sequence[str] = ("pre-commit",),
        hook_id: str = HOOK_ID,
    ) -> Path:
        """A fresh git repository with the hook installed by `pre-commit install`."""
        path.mkdir(parents=True)
        self.git(path, "init", "-q", "-b", "main")
        (path / ".pre-commit-config.yaml").write_text(self.config(args=args, stages=stages, hook_id=hook_id))
        types = [a for t in hook_types for a in ("--hook-type", t)]
        self.pre_commit(path, "install", *types)
        return path

    def git(self, repo: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        """git in ``repo``; hooks installed there run with this site's PRE_COMMIT_HOME."""
        return _run(["git", *args], repo, self.env, check=check, timeout=INSTALL_TIMEOUT)

    def pre_commit(self, repo: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return _run([sys.executable, "-m", "pre_commit", *args], repo, self.env, check=check, timeout=INSTALL_TIMEOUT)


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    import fcntl

    with open(path, "a+") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def build_site(root: Path) -> PrecommitSite:
    """The site under ``root``: made by the first caller, reused by the rest (a file lock)."""
    root.mkdir(parents=True, exist_ok=True)
    env = clean_env(root)
    hook_repo = root / "hook-repo"
    done = root / "rev"
    with _locked(root / "lock"):
        if not done.exists():
            if hook_repo.exists():
                shutil.rmtree(hook_repo)  # a half-made snapshot from an interrupted run
            rev = snapshot(hook_repo, env)
            site = PrecommitSite(root, hook_repo, rev, env)
            # build the hook's environment once, here, under the lock
            warm = root / "warm"
            if warm.exists():
                shutil.rmtree(warm)
            site.new_repo(warm)
            site.pre_commit(warm, "install-hooks")
            done.write_text(rev)
        rev = done.read_text().strip()
    return PrecommitSite(root, hook_repo, rev, env)


def shared_site(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> PrecommitSite:
    """One site per test run, shared by every xdist worker. Use it from a session fixture:

    @pytest.fixture(scope="session")
    def site(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> PrecommitSite:
        return shared_site(tmp_path_factory, worker_id)
    """
    base = tmp_path_factory.getbasetemp()
    if worker_id != "master":
        base = base.parent  # the run's directory, common to all workers
    return build_site(base / "precommit-site")
