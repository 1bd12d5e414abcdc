"""The only module that runs git.

Git runs hardened: no pager, no fsmonitor, no hooks, no external diff or textconv, no
optional locks, no prompts, and the system and global config ignored. A hostile
repository's config cannot make the linter run a command, and git never writes.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Sequence

# Config that could run a command or write, neutralized on every invocation.
_SAFE_CONFIG = (
    "core.fsmonitor=false",
    "core.untrackedCache=false",
    "core.pager=cat",
    "core.hooksPath=/dev/null",
    "core.sshCommand=false",
    "core.askPass=",
    "credential.helper=",
    "diff.external=",
    "protocol.allow=never",
    "gc.auto=0",
    "maintenance.auto=false",
    "safe.bareRepository=explicit",
)


class GitError(Exception):
    """git is missing or failed; the message is for the user."""


def find_root(start: str) -> str | None:
    """The nearest directory at or above ``start`` holding ``.git`` (a repository or worktree)."""
    here = os.path.abspath(start)
    while True:
        if os.path.exists(os.path.join(here, ".git")):
            return here
        parent = os.path.dirname(here)
        if parent == here:
            return None
        here = parent


def _env() -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("GIT_")
        or k
        in (
            "GIT_DIR",
            "GIT_WORK_TREE",
            "GIT_INDEX_FILE",
            "GIT_OBJECT_DIRECTORY",
            "GIT_ALTERNATE_OBJECT_DIRECTORIES",
            "GIT_COMMON_DIR",
        )
    }
    env.update(
        {
            "GIT_OPTIONAL_LOCKS": "0",
            "GIT_PAGER": "cat",
            "PAGER": "cat",
            "GIT_TERMINAL_PROMPT": "0",
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_CONFIG_GLOBAL": os.devnull,
            "GIT_EXTERNAL_DIFF": "",
            "GIT_ASKPASS": "",
            "SSH_ASKPASS": "",
            "GIT_NO_REPLACE_OBJECTS": "1",
            "LC_ALL": "C",
        }
    )
    return env


def git_command(args: Sequence[str]) -> list[str]:
    exe = shutil.which("git")
    if exe is None:
        raise GitError("git is not installed or not on PATH")
    cmd = [exe, "--no-pager", "--no-optional-locks"]
    for c in _SAFE_CONFIG:
        cmd += ["-c", c]
    return [*cmd, *args]


def run(args: Sequence[str], *, cwd: str, input: bytes | None = None) -> bytes:
    """Run git and return its stdout; raise GitError with git's own first line on failure."""
    try:
        proc = subprocess.run(
            git_command(args),
            cwd=cwd,
            input=input,
            stdin=None if input is not None else subprocess.DEVNULL,
            capture_output=True,
            env=_env(),
            check=False,
        )
    except OSError as exc:
        raise GitError(f"cannot run git: {exc.strerror or exc}") from None
    if proc.returncode != 0:
        msg = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(msg[0] if msg else f"git {args[0]} failed ({proc.returncode})")
    return proc.stdout


def popen(args: Sequence[str], *, cwd: str) -> subprocess.Popen[bytes]:
    try:
        return subprocess.Popen(
            git_command(args),
            cwd=cwd,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=_env(),
        )
    except OSError as exc:
        raise GitError(f"cannot run git: {exc.strerror or exc}") from None


def list_files(root: str) -> list[str]:
    """Root-relative POSIX paths of tracked files and untracked files that are not ignored."""
    out = run(["ls-files", "-z", "--cached", "--others", "--exclude-standard", "--deduplicate"], cwd=root)
    return [p for p in out.decode("utf-8", "surrogateescape").split("\0") if p]
