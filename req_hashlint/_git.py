"""The only module that runs git.

Git runs hardened: no pager, no fsmonitor, no hooks, no external diff or textconv, no
optional locks, no prompts: every setting that could run a command is overridden on the
command line, which beats every config file. A hostile repository's config cannot make the
linter run a command, and git never writes. The user's own system and global config are
read (they are the user's, not the repository's), so their `safe.directory` entries, which
`actions/checkout` writes for container jobs, keep working.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Sequence
from types import ModuleType

from ._dataclass import dataclass

TYPE_CHECKING = False  # not typing's (its import costs more than this module)
if TYPE_CHECKING:
    import subprocess
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
    # a repository's own `protocol.<name>.allow` wins over `protocol.allow`: a partial clone
    # would fetch a missing blob through it (and `remote.<name>.uploadpack` is a command)
    "protocol.file.allow=never",
    "protocol.git.allow=never",
    "protocol.ssh.allow=never",
    "protocol.http.allow=never",
    "protocol.https.allow=never",
    "protocol.ext.allow=never",
    "gc.auto=0",
    "maintenance.auto=false",
    "safe.bareRepository=explicit",
)


# Wait for git to exit when done with it; off when the whole process is about to end (the
# system reaps the child then), which saves the wait for git's own exit.
REAP = True


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
            "GIT_CONFIG_GLOBAL",  # the user's own config files (safe.directory lives there)
            "GIT_CONFIG_SYSTEM",
            "GIT_CONFIG_NOSYSTEM",
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
            "GIT_EXTERNAL_DIFF": "",
            "GIT_ASKPASS": "",
            "SSH_ASKPASS": "",
            "GIT_NO_REPLACE_OBJECTS": "1",
            "GIT_NO_LAZY_FETCH": "1",  # a partial clone's missing objects stay missing
            "LC_ALL": "C",
        }
    )
    return env


def __getattr__(name: str) -> ModuleType:
    # `_git.shutil` and `_git.subprocess` for tests, without importing either on every run
    if name in ("shutil", "subprocess"):
        return __import__(name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _which(name: str) -> str | None:
    """``shutil.which(name)`` on POSIX, without importing shutil (and bz2, lzma, fnmatch...)."""
    if os.name != "posix":  # pragma: no cover - PATHEXT and the like
        import shutil

        return shutil.which(name)
    path = os.environ.get("PATH")
    if path is None:
        path = os.confstr("CS_PATH") or os.defpath
    for directory in path.split(os.pathsep):
        candidate = os.path.join(directory, name)
        if os.path.exists(candidate) and os.access(candidate, os.F_OK | os.X_OK) and not os.path.isdir(candidate):
            return candidate
    return None


def git_command(args: Sequence[str]) -> list[str]:
    exe = _which("git")
    if exe is None:
        raise GitError("git is not installed or not on PATH")
    cmd = [exe, "--no-pager", "--no-optional-locks"]
    for c in _SAFE_CONFIG:
        cmd += ["-c", c]
    return [*cmd, *args]


# A git that has not finished within this many seconds of the run's first git process is
# killed: a FIFO or a hung network filesystem inside a hostile `.git` would otherwise block the
# run (and the commit hook) forever. The run then goes on without what git would have told.
GIT_DEADLINE_SECONDS = 60
_live: set[int] = set()  # pids of git processes not yet waited for
_watchdog = {"armed": False, "fired": False}
TIMEOUT_MESSAGE = "git did not answer in time and was stopped (a FIFO or a hung filesystem inside .git?)"


def _on_alarm(signum: int, frame: object) -> None:
    _watchdog["fired"] = True
    for pid in list(_live):
        try:  # noqa: SIM105 (contextlib is not imported for this)
            os.kill(pid, 9)  # SIGKILL: its pipes close, and the blocked read returns
        except OSError:
            pass


def _arm() -> None:
    """Start the deadline once per run, where signals can be used (the main thread, POSIX)."""
    if _watchdog["armed"]:
        return
    import signal

    if not hasattr(signal, "setitimer"):  # pragma: no cover - Windows
        return
    try:
        signal.signal(signal.SIGALRM, _on_alarm)
    except ValueError:  # not the main thread: no watchdog
        return
    signal.setitimer(signal.ITIMER_REAL, GIT_DEADLINE_SECONDS)
    _watchdog["armed"] = True


def disarm() -> None:
    """Stop the deadline at the end of a run (the process may go on: tests, editors)."""
    if not _watchdog["armed"]:
        return
    import signal

    signal.setitimer(signal.ITIMER_REAL, 0)
    signal.signal(signal.SIGALRM, signal.SIG_DFL)
    _watchdog["armed"] = False
    _watchdog["fired"] = False


def timed_out() -> bool:
    return _watchdog["fired"]


class _Process:
    """A git process with pipes: the part of ``subprocess.Popen`` this module uses.

    Started with ``os.posix_spawn`` where there is one: importing subprocess (with signal,
    threading, selectors, locale...) costs more than running git. ``git -C`` stands in
    for the working directory, which posix_spawn cannot set.
    """

    def __init__(self, args: Sequence[str], *, cwd: str, stdin: bool) -> None:
        self._popen: subprocess.Popen[bytes] | None = None
        self.stdin: IO[bytes] | None = None
        self.stdout: IO[bytes] | None = None
        self.stderr: IO[bytes] | None = None
        self.returncode: int | None = None
        self.pid = -1
        cmd = git_command([])
        cmd += ["-C", cwd, *args]
        env = _env()
        fds: list[int] = []
        try:
            r0, w0 = os.pipe() if stdin else (-1, -1)
            r1, w1 = os.pipe()
            r2, w2 = os.pipe()
            fds = [fd for fd in (r0, w0, r1, w1, r2, w2) if fd >= 0]
            if not hasattr(os, "posix_spawn") or min(fds) < 3:  # pragma: no cover - Windows; a closed stdio fd
                for fd in fds:
                    os.close(fd)
                fds = []
                self._popen = _popen(cmd, env=env, stdin=stdin)
                self.stdin, self.stdout, self.stderr = self._popen.stdin, self._popen.stdout, self._popen.stderr
                return
            self.pid = os.posix_spawn(
                cmd[0],
                cmd,
                env,
                file_actions=[
                    (os.POSIX_SPAWN_DUP2, r0, 0) if stdin else (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
                    (os.POSIX_SPAWN_DUP2, w1, 1),
                    (os.POSIX_SPAWN_DUP2, w2, 2),
                ],
            )
            _live.add(self.pid)
            _arm()
        except OSError as exc:
            for fd in fds:
                os.close(fd)
            raise GitError(f"cannot run git: {exc.strerror or exc}") from None
        for fd in (r0, w1, w2):
            if fd >= 0:
                os.close(fd)
        self.stdin = open(w0, "wb") if stdin else None  # noqa: SIM115 (closed by _close)
        self.stdout = open(r1, "rb")  # noqa: SIM115
        self.stderr = open(r2, "rb")  # noqa: SIM115

    def wait(self, timeout: float | None = None) -> int:
        """The exit code; TimeoutError when it has not exited after ``timeout`` seconds."""
        if self._popen is not None:  # pragma: no cover - Windows
            try:
                return int(self._popen.wait(timeout))
            except __getattr__("subprocess").TimeoutExpired:
                raise TimeoutError("git did not exit") from None
        if self.returncode is None:
            deadline = None if timeout is None else time.monotonic() + timeout
            pause = 0.00005  # git exits within a fraction of a millisecond of its input's end
            while True:
                pid, status = os.waitpid(self.pid, 0 if deadline is None else os.WNOHANG)
                if pid:
                    _live.discard(self.pid)
                    self.returncode = os.waitstatus_to_exitcode(status)
                    break
                if deadline is not None and time.monotonic() >= deadline:
                    raise TimeoutError("git did not exit")
                time.sleep(pause)
                pause = min(pause * 2, 0.01)
        return self.returncode

    def __del__(self) -> None:
        # A process started ahead (start_listing) that the run never got to use: not left behind.
        if self._popen is None and self.pid > 0 and self.returncode is None:
            _close(self)
            try:
                os.kill(self.pid, 9)  # SIGKILL
                os.waitpid(self.pid, 0)
                _live.discard(self.pid)
            except OSError:  # pragma: no cover - it had just exited, or was waited for
                pass

    def kill(self) -> None:
        if self._popen is not None:  # pragma: no cover - Windows
            self._popen.kill()
        elif self.returncode is None:
            try:  # noqa: SIM105 (contextlib is not imported for this)
                os.kill(self.pid, 9)  # SIGKILL
            except ProcessLookupError:  # pragma: no cover - it had just exited
                pass

    def communicate(self) -> tuple[bytes, bytes]:
        """stdout and stderr to their ends, read together (neither pipe can fill and block git)."""
        assert self.stdout is not None and self.stderr is not None
        if self._popen is not None:  # pragma: no cover - Windows
            out, err = self._popen.communicate()
            return out, err
        import select

        out_fd, err_fd = self.stdout.fileno(), self.stderr.fileno()
        chunks: dict[int, list[bytes]] = {out_fd: [], err_fd: []}
        poller = select.poll()
        for fd in chunks:
            poller.register(fd, select.POLLIN)
        left = len(chunks)
        while left:
            for fd, _ in poller.poll():
                data = os.read(fd, 1 << 16)
                if data:
                    chunks[fd].append(data)
                else:
                    poller.unregister(fd)
                    left -= 1
        _close(self)
        self.wait()
        return b"".join(chunks[out_fd]), b"".join(chunks[err_fd])


def _popen(cmd: list[str], *, env: dict[str, str], stdin: bool) -> subprocess.Popen[bytes]:  # pragma: no cover
    """The fallback where posix_spawn is missing (Windows) or unsafe (a closed stdio fd)."""
    import subprocess

    return subprocess.Popen(
        cmd,
        stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )


def run(args: Sequence[str], *, cwd: str, started: _Process | None = None) -> bytes:
    """Run git (or finish ``started``, the same command started earlier) and return its
    stdout; raise GitError with git's own first line on failure."""
    proc = started or _Process(args, cwd=cwd, stdin=False)
    stdout, stderr = proc.communicate()
    if proc.returncode != 0:
        if timed_out():
            raise GitError(TIMEOUT_MESSAGE)
        msg = stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(msg[0] if msg else f"git {args[0]} failed ({proc.returncode})")
    return stdout


def popen(args: Sequence[str], *, cwd: str) -> _Process:
    """Start git with pipes on stdin, stdout and stderr (read stderr only once it has exited)."""
    return _Process(args, cwd=cwd, stdin=True)


_LS_FILES = ("ls-files", "-z", "--cached", "--others", "--exclude-standard", "--deduplicate")


def start_listing(root: str) -> _Process | None:
    """Start ``list_files`` now, to finish it later: git lists while the caller goes on."""
    try:
        return _Process(_LS_FILES, cwd=root, stdin=False)
    except GitError:
        return None  # list_files tries again, and says why


def list_files(root: str, started: _Process | None = None) -> list[str]:
    """Root-relative POSIX paths of tracked files and untracked files that are not ignored."""
    out = run(_LS_FILES, cwd=root, started=started)
    return [p for p in out.decode("utf-8", "surrogateescape").split("\0") if p]


# `<oid> <type> <size>`, and the answers of --follow-symlinks for links it does not follow.
_HEADER_RE = re.compile(rb"([0-9a-f]{40}|[0-9a-f]{64}) ([a-z]+) ([0-9]+)")
_LINK_RE = re.compile(rb"(symlink|dangling|loop|notdir) ([0-9]+)")
_CHUNK = 1 << 20
# Requests written at once by get_many: well under a pipe's buffer (64 KiB on Linux, 16 KiB
# on some BSDs), so the write completes even while git waits for its answers to be read.
_BATCH_BYTES = 8 * 1024


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
        self._proc: _Process | None = None
        self._nul = True
        self._error: str | None = None
        self._pending: list[bytes] = []  # requests written ahead (send), answers not read yet

    # -- the process ----------------------------------------------------------------------
    def _start(self) -> _Process:
        if self._error is not None:
            raise GitError(self._error)
        if self._proc is None:
            args = ["cat-file", "--batch", "--follow-symlinks"]
            self._proc = popen([*args, "-z"] if self._nul else args, cwd=self.root)
        return self._proc

    def _died(self) -> tuple[GitError, int]:
        """Why the process ended (and its exit code); remembered, so later requests fail at once."""
        proc, self._proc = self._proc, None
        self._pending.clear()
        assert proc is not None
        try:
            code = proc.wait(timeout=10)
            err = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
        except OSError:  # TimeoutError too
            proc.kill()
            code, err = proc.wait(), ""
        _close(proc)
        if timed_out():
            err = TIMEOUT_MESSAGE
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
        self._pending.clear()
        if proc is None:
            return
        _close(proc)  # git exits at the end of its input
        if not REAP:
            return
        try:
            proc.wait(timeout=10)
        except TimeoutError:
            proc.kill()
            proc.wait()

    def __enter__(self) -> CatFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- requests ---------------------------------------------------------------------------
    def send(self, names: Sequence[str]) -> None:
        """Ask for ``names`` ahead: git starts and looks them up while the caller does something
        else, and ``get`` then only reads the answers (asked in the same order; anything else
        drains them). A problem is left for ``get`` to find and report."""
        raws = [name.encode("utf-8", "surrogateescape") for name in names]
        if self._pending or any(b"\0" in raw for raw in raws) or sum(map(len, raws)) > _BATCH_BYTES:
            return
        try:
            proc = self._start()
        except GitError:
            return
        if not self._nul:
            return
        assert proc.stdin is not None
        try:
            proc.stdin.write(b"".join(raw + b"\0" for raw in raws))
            proc.stdin.flush()
        except OSError:
            return  # it died: the next request says why
        self._pending.extend(raws)

    def _drain(self, proc: _Process) -> None:
        """Read (and drop) the answers to requests written ahead that nobody asked for."""
        assert proc.stdout is not None
        while self._pending:
            raw = self._pending.pop(0)
            line = proc.stdout.readline()
            if not line.endswith(b"\n"):
                self._pending.clear()
                return  # it died: the next read says why
            self._answer(raw, line[:-1], proc.stdout)

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
                if self._pending and self._pending[0] == raw:
                    del self._pending[0]  # written ahead by send(): its answer is next
                else:
                    self._drain(proc)
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

    def get_many(self, names: Sequence[str]) -> tuple[list[GitObject | None], GitError | None]:
        """``get`` for each name in turn, with the requests written ahead in batches.

        One round trip per batch instead of per object: with many files, waiting for git
        object by object costs more than the rest of the run. Returns the answers for a
        prefix of ``names`` and the error that ended it (None: ask the rest with ``get``, as
        for a name it refuses, or a git older than 2.38, which reads one name at a time).
        """
        out: list[GitObject | None] = []
        i = 0
        while i < len(names):
            try:
                proc = self._start()
            except GitError as exc:
                return out, exc
            if not self._nul:
                return out, None
            try:
                self._drain(proc)
            except GitError as exc:
                return out, exc
            batch: list[bytes] = []
            size = 0
            while i + len(batch) < len(names) and size < _BATCH_BYTES:
                raw = names[i + len(batch)].encode("utf-8", "surrogateescape")
                if b"\0" in raw:
                    break
                batch.append(raw)
                size += len(raw) + 1
            if not batch:
                return out, None
            assert proc.stdin is not None and proc.stdout is not None
            try:
                # (a batch fits in the pipe: git cannot block on its answers while we write)
                proc.stdin.write(b"".join(raw + b"\0" for raw in batch))
                proc.stdin.flush()
            except OSError:
                pass  # it died: the first readline says so
            for raw in batch:
                try:
                    line = proc.stdout.readline()
                except OSError:
                    line = b""
                if not line.endswith(b"\n"):
                    error, code = self._died()
                    if code == 129 and not out:  # git older than 2.38: no `-z`; `get` restarts it
                        self._nul, self._error = False, None
                        return out, None
                    return out, error
                try:
                    out.append(self._answer(raw, line[:-1], proc.stdout))
                except GitError as exc:
                    return out, exc
            i += len(batch)
        return out, None

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


def _close(proc: _Process) -> None:
    for stream in (proc.stdin, proc.stdout, proc.stderr):
        if stream is not None:
            try:  # noqa: SIM105 (contextlib is not imported for this)
                stream.close()
            except OSError:
                pass
