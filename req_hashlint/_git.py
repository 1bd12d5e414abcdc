"""The only module that runs git.

Git runs hardened: no pager, no fsmonitor, no hooks, no external diff or textconv, no
optional locks, no prompts, and the system and global config ignored. A hostile
repository's config cannot make the linter run a command, and git never writes.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO

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
    """Start git with pipes on stdin, stdout and stderr (read stderr only once it has exited)."""
    try:
        return subprocess.Popen(
            git_command(args),
            cwd=cwd,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=_env(),
        )
    except OSError as exc:
        raise GitError(f"cannot run git: {exc.strerror or exc}") from None


def list_files(root: str) -> list[str]:
    """Root-relative POSIX paths of tracked files and untracked files that are not ignored."""
    out = run(["ls-files", "-z", "--cached", "--others", "--exclude-standard", "--deduplicate"], cwd=root)
    return [p for p in out.decode("utf-8", "surrogateescape").split("\0") if p]


# `<oid> <type> <size>`, and the answers of --follow-symlinks for links it does not follow.
_HEADER_RE = re.compile(rb"([0-9a-f]{40}|[0-9a-f]{64}) ([a-z]+) ([0-9]+)")
_LINK_RE = re.compile(rb"(symlink|dangling|loop|notdir) ([0-9]+)")
_CHUNK = 1 << 20


@dataclass(frozen=True, slots=True)
class GitObject:
    """One object as ``git cat-file --batch`` printed it."""

    oid: str  # "" for a symlink --follow-symlinks did not follow
    type: str  # "blob", "tree", "commit", "tag"; "symlink", "dangling", "loop", "notdir"
    size: int
    data: bytes | None  # None when it is larger than the reader's limit (read and dropped)


class CatFile:
    """One ``git cat-file --batch`` process for a whole run, asked one object at a time.

    Requests are NUL-terminated (``-z``, git >= 2.38), so any path works; an older git
    rejects ``-z`` and is restarted once without it, and then a name holding a line break
    cannot be asked for. No ``--filters`` or ``--textconv``: those can run commands. The
    process starts on the first request, so a run that needs no object spawns nothing.
    """

    def __init__(self, root: str, *, max_bytes: int) -> None:
        self.root = root
        self.max_bytes = max_bytes
        self._proc: subprocess.Popen[bytes] | None = None
        self._nul = True
        self._error: str | None = None

    # -- the process ----------------------------------------------------------------------
    def _start(self) -> subprocess.Popen[bytes]:
        if self._error is not None:
            raise GitError(self._error)
        if self._proc is None:
            args = ["cat-file", "--batch", "--follow-symlinks"]
            self._proc = popen([*args, "-z"] if self._nul else args, cwd=self.root)
        return self._proc

    def _died(self) -> tuple[GitError, int]:
        """Why the process ended (and its exit code); remembered, so later requests fail at once."""
        proc, self._proc = self._proc, None
        assert proc is not None
        try:
            code = proc.wait(timeout=10)
            err = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
        except (subprocess.TimeoutExpired, OSError):
            proc.kill()
            code, err = proc.wait(), ""
        _close(proc)
        lines = [ln.strip() for ln in err.splitlines() if ln.strip()]
        first = next((ln for ln in lines if ln.startswith(("fatal:", "error:"))), lines[0] if lines else "")
        self._error = self.explain(first) if first else f"git cat-file ended unexpectedly ({code})"
        return GitError(self._error), code

    def explain(self, message: str) -> str:
        """git's message, for the user: no absolute path of this machine, a hint where one helps."""
        if "dubious ownership" in message:
            return "git refuses to read this repository: another user owns it (git's safe.directory check)"
        for prefix in ("fatal: ", "error: "):
            message = message.removeprefix(prefix)
        for path in {self.root, os.path.realpath(self.root)}:
            message = message.replace(path, ".")
        return message

    def close(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        _close(proc)  # git exits at the end of its input
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()

    def __enter__(self) -> CatFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- requests ---------------------------------------------------------------------------
    def get(self, name: str) -> GitObject | None:
        """The object ``name`` (``REV^{commit}``, ``REV:path``, ``:path``); None when missing.

        Raises GitError when git cannot run or the name cannot be asked for.
        """
        raw = name.encode("utf-8", "surrogateescape")
        if b"\0" in raw:
            raise GitError("a name with a NUL character cannot be looked up")
        while True:
            proc = self._start()
            if not self._nul and (b"\n" in raw or b"\r" in raw):
                raise GitError("this git is older than 2.38 and cannot look up a path with a line break")
            assert proc.stdin is not None and proc.stdout is not None
            try:
                proc.stdin.write(raw + (b"\0" if self._nul else b"\n"))
                proc.stdin.flush()
                line = proc.stdout.readline()
            except OSError:
                line = b""
            if line.endswith(b"\n"):
                return self._answer(raw, line[:-1], proc.stdout)
            error, code = self._died()
            if self._nul and code == 129:
                # A usage error: git older than 2.38 has no `-z`; start once more without it.
                self._nul, self._error = False, None
                continue
            raise error

    def _answer(self, raw: bytes, line: bytes, out: IO[bytes]) -> GitObject | None:
        m = _HEADER_RE.fullmatch(line)
        if m is not None:
            size = int(m.group(3))
            return GitObject(m.group(1).decode("ascii"), m.group(2).decode("ascii"), size, self._body(size, out))
        m = _LINK_RE.fullmatch(line)
        if m is not None:
            size = int(m.group(2))
            return GitObject("", m.group(1).decode("ascii"), size, self._body(size, out))
        # `<name> missing` or `<name> ambiguous`; the name is echoed, line breaks and all.
        buf = line
        while len(buf) <= len(raw) and raw.startswith(buf + b"\n"):
            more = out.readline()
            if not more.endswith(b"\n"):
                raise self._died()[0]
            buf += b"\n" + more[:-1]
        if buf.startswith(raw) and buf[len(raw) :] in (b" missing", b" ambiguous"):
            return None
        self.close()
        self._error = "unexpected output from git cat-file"
        raise GitError(self._error)

    def _body(self, size: int, out: IO[bytes]) -> bytes | None:
        """Read ``size`` bytes and the newline after them; drop them when over the limit."""
        keep = size <= self.max_bytes
        chunks: list[bytes] = []
        left = size + 1
        while left:
            chunk = out.read(min(left, _CHUNK))
            if not chunk:
                raise self._died()[0]
            left -= len(chunk)
            if keep:
                chunks.append(chunk)
        if not keep:
            return None
        data = b"".join(chunks)
        return data[:-1]


def _close(proc: subprocess.Popen[bytes]) -> None:
    for stream in (proc.stdin, proc.stdout, proc.stderr):
        if stream is not None:
            with contextlib.suppress(OSError):
                stream.close()
