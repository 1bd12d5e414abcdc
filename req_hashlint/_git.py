"""The only module that runs git.

Git runs hardened: no pager, no fsmonitor, no hooks, no external diff or textconv, no
optional locks, no prompts: every setting that could run a command is overridden on the
command line, which beats every config file. A hostile repository's config cannot make the
linter run a command, and git never writes. The user's own system and global config are
read (they are the user's, not the repository's), so their `safe.directory` entries, which
`actions/checkout` writes for container jobs, keep working.

No transport is allowed: ``GIT_ALLOW_PROTOCOL`` is set to an empty list, which overrides every
``protocol.*`` setting and reaches the git a partial clone's lazy fetch would start, so no
repository config (``protocol.<name>.allow``, a custom remote helper) can widen it. Git older
than ``MIN_GIT`` is refused: the hardening is proven (tests/test_git.py) from there on.

Every wait on git is bounded on its own (``git_timeout``): a read, a process exit. Nothing runs
a timer while the caller does something else, so a slow parse never kills an idle git.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import ModuleType

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

# The oldest git the hardening is proven with (tests/test_git.py runs it): 2.39.4, the security
# release of May 2024, and the same release of each later series before 2.44 honour
# GIT_NO_LAZY_FETCH and carry the fixes for hostile repositories; `cat-file -z` and
# `safe.bareRepository` are from 2.38. An older git is refused with one line.
MIN_GIT = (2, 39, 4)
_MIN_PATCH = {(2, 40): 2, (2, 41): 1, (2, 42): 2, (2, 43): 4}
MIN_GIT_TEXT = "2.39.4 (2.40.2, 2.41.1, 2.42.2, 2.43.4 in those series)"

# Any one wait on git (a read, a process exit) is bounded by this many seconds: a FIFO or a
# hung network filesystem inside a hostile `.git` cannot block the run (and the commit hook)
# forever. The environment variable sets another limit.
DEFAULT_TIMEOUT = 60.0
TIMEOUT_ENV = "REQ_HASHLINT_GIT_TIMEOUT"


class GitError(Exception):
    """git is missing or failed; the message is for the user."""


class GitTimeout(GitError):
    """git did not answer within the timeout and was stopped."""


def git_timeout() -> float:
    """Seconds any one wait on git may last: ``REQ_HASHLINT_GIT_TIMEOUT``, else 60."""
    raw = os.environ.get(TIMEOUT_ENV, "")
    if not raw.strip():
        return DEFAULT_TIMEOUT
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not 0 < value < 1e6:
        raise GitError(f"{TIMEOUT_ENV}={raw!r} is not a number of seconds (such as 60)")
    return value


def timeout_message(timeout: float) -> str:
    return (
        f"git did not answer within {timeout:g} s and was stopped (a FIFO or a hung filesystem "
        f"inside .git?); {TIMEOUT_ENV} sets the limit"
    )


def check_version(text: str) -> None:
    """Refuse a git older than MIN_GIT (``text``: what ``git version`` printed)."""
    m = re.match(r"git version (\d+)\.(\d+)(?:\.(\d+))?", text)
    if m is None:
        shown = text.strip().splitlines()[0][:60] if text.strip() else "nothing"
        raise GitError(f"`git version` printed {shown!r}: the git on PATH is not one req-hashlint can use")
    version = (int(m[1]), int(m[2]), int(m[3] or 0))
    if version < MIN_GIT or version[2] < _MIN_PATCH.get(version[:2], 0):
        raise GitError(
            f"git {'.'.join(map(str, version))} is too old: req-hashlint needs git {MIN_GIT_TEXT} "
            "or later, where its hardening is proven"
        )


# The caller's variables that point git at a repository (GIT_DIR, GIT_WORK_TREE,
# GIT_INDEX_FILE, GIT_OBJECT_DIRECTORY...) are dropped: each repository is found from its own
# directory, and a hook's GIT_INDEX_FILE is given back only to the repository whose git
# directory holds it (Roots.index_file), never to a submodule or another worktree.
_KEEP_ENV = frozenset(
    {
        "GIT_CONFIG_GLOBAL",  # the user's own config files (safe.directory lives there)
        "GIT_CONFIG_SYSTEM",
        "GIT_CONFIG_NOSYSTEM",
        "GIT_CEILING_DIRECTORIES",  # only ever narrows where git looks
    }
)


def _env(index_file: str | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_") or k in _KEEP_ENV}
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
            # An empty allow-list: every transport refused, whatever `protocol.*` or a remote
            # helper in any config says (it beats them all, and reaches a lazy fetch's git).
            "GIT_ALLOW_PROTOCOL": "",
            "LC_ALL": "C",
        }
    )
    if index_file is not None:
        env["GIT_INDEX_FILE"] = index_file
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


NO_GIT = "git is not installed or not on PATH"


def git_command(args: Sequence[str]) -> list[str]:
    exe = _which("git")
    if exe is None:
        raise GitError(NO_GIT)
    cmd = [exe, "--no-pager", "--no-optional-locks"]
    for c in _SAFE_CONFIG:
        cmd += ["-c", c]
    return [*cmd, *args]


class _Reader:
    """A pipe from git, read through its own buffer, every wait bounded by ``timeout`` seconds.

    A wait that runs out stops git (``kill``) and raises GitTimeout. The clock runs only while
    waiting for git: time the caller spends elsewhere is never counted.
    """

    def __init__(self, fd: int, timeout: float, kill: Callable[[], None]) -> None:
        self._fd = fd
        self._timeout = timeout
        self._kill = kill
        self._buf = b""
        self._pos = 0
        self.closed = False

    def fileno(self) -> int:
        return self._fd

    def _fill(self) -> bytes:
        """The next bytes git writes (b"" at the end), after at most ``timeout`` seconds."""
        import select

        if hasattr(select, "poll"):  # pragma: no branch - POSIX
            poller = select.poll()
            poller.register(self._fd, select.POLLIN)
            if not poller.poll(int(self._timeout * 1000)):
                self._kill()
                raise GitTimeout(timeout_message(self._timeout))
        return os.read(self._fd, _CHUNK)

    def readline(self) -> bytes:
        """One line with its newline; without one at the end of the output."""
        while True:
            end = self._buf.find(b"\n", self._pos)
            if end >= 0:
                line = self._buf[self._pos : end + 1]
                self._pos = end + 1
                return line
            data = self._fill()
            rest = self._buf[self._pos :]
            self._buf, self._pos = rest + data, 0
            if not data:
                self._buf = b""
                return rest

    def read(self, size: int = -1) -> bytes:
        """Up to ``size`` bytes (at least one, but for the end); all to the end for -1."""
        if size < 0:
            chunks = [self._buf[self._pos :]]
            self._buf, self._pos = b"", 0
            while True:
                data = self._fill()
                if not data:
                    return b"".join(chunks)
                chunks.append(data)
        if self._pos < len(self._buf):
            out = self._buf[self._pos : self._pos + size]
            self._pos += len(out)
            return out
        data = self._fill()
        if len(data) > size:
            self._buf, self._pos = data, size
            return data[:size]
        self._buf, self._pos = b"", 0
        return data

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            os.close(self._fd)


class _Process:
    """A git process with pipes: the part of ``subprocess.Popen`` this module uses.

    Started with ``os.posix_spawn`` where there is one: importing subprocess (with signal,
    threading, selectors, locale...) costs more than running git. ``git -C`` stands in
    for the working directory, which posix_spawn cannot set. Every wait on it is bounded by
    ``timeout`` seconds (``git_timeout``).
    """

    def __init__(
        self, args: Sequence[str], *, cwd: str, stdin: bool, index_file: str | None = None, timeout: float | None = None
    ) -> None:
        self._popen: subprocess.Popen[bytes] | None = None
        self.stdin: IO[bytes] | None = None
        self.stdout: _Reader | None = None
        self.stderr: _Reader | None = None
        self.returncode: int | None = None
        self.pid = -1
        self.timeout = git_timeout() if timeout is None else timeout
        cmd = git_command([])
        cmd += ["-C", cwd, *args]
        env = _env(index_file)
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
                self.stdin = self._popen.stdin
                assert self._popen.stdout is not None and self._popen.stderr is not None
                self.stdout = _Reader(self._popen.stdout.fileno(), self.timeout, self.kill)
                self.stderr = _Reader(self._popen.stderr.fileno(), self.timeout, self.kill)
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
        except OSError as exc:
            for fd in fds:
                os.close(fd)
            raise GitError(f"cannot run git: {exc.strerror or exc}") from None
        for fd in (r0, w1, w2):
            if fd >= 0:
                os.close(fd)
        self.stdin = open(w0, "wb") if stdin else None  # noqa: SIM115 (closed by _close)
        self.stdout = _Reader(r1, self.timeout, self.kill)
        self.stderr = _Reader(r2, self.timeout, self.kill)

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
                    self.returncode = os.waitstatus_to_exitcode(status)
                    break
                if deadline is not None and time.monotonic() >= deadline:
                    raise TimeoutError("git did not exit")
                time.sleep(pause)
                pause = min(pause * 2, 0.01)
        return self.returncode

    def finish(self) -> int:
        """Wait for the exit, at most the timeout; past it, stop git and raise GitTimeout."""
        try:
            return self.wait(self.timeout)
        except TimeoutError:
            self.kill()
            self.wait()
            raise GitTimeout(timeout_message(self.timeout)) from None

    def __del__(self) -> None:
        # A process started ahead (Roots.start) that the run never got to use: not left behind.
        if self._popen is None and self.pid > 0 and self.returncode is None:
            _close(self)
            try:
                os.kill(self.pid, 9)  # SIGKILL
                os.waitpid(self.pid, 0)
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
        """stdout and stderr to their ends, read together (neither pipe can fill and block git),
        each wait bounded by the timeout (GitTimeout: git was stopped)."""
        assert self.stdout is not None and self.stderr is not None
        if self._popen is not None:  # pragma: no cover - Windows
            try:
                out, err = self._popen.communicate(timeout=self.timeout)
            except __getattr__("subprocess").TimeoutExpired:
                self._popen.kill()
                self._popen.communicate()
                raise GitTimeout(timeout_message(self.timeout)) from None
            return out, err
        import select

        out_fd, err_fd = self.stdout.fileno(), self.stderr.fileno()
        chunks: dict[int, list[bytes]] = {out_fd: [], err_fd: []}
        poller = select.poll()
        for fd in chunks:
            poller.register(fd, select.POLLIN)
        left = len(chunks)
        while left:
            ready = poller.poll(int(self.timeout * 1000))
            if not ready:
                self.kill()
                _close(self)
                self.wait()
                raise GitTimeout(timeout_message(self.timeout))
            for fd, _ in ready:
                data = os.read(fd, 1 << 16)
                if data:
                    chunks[fd].append(data)
                else:
                    poller.unregister(fd)
                    left -= 1
        _close(self)
        self.finish()
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


def explain(message: str, root: str) -> str:
    """git's message, for the user: no absolute path of this machine, a hint where one helps."""
    if "dubious ownership" in message:
        return "git refuses to read this repository: another user owns it (git's safe.directory check)"
    for prefix in ("fatal: ", "error: "):
        message = message.removeprefix(prefix)
    for path in {root, os.path.realpath(root)}:
        message = message.replace(path, ".")
    return message


def run(args: Sequence[str], *, cwd: str, started: _Process | None = None, index_file: str | None = None) -> bytes:
    """Run git (or finish ``started``, the same command started earlier) and return its
    stdout; raise GitError with git's own first line on failure."""
    proc = started or _Process(args, cwd=cwd, stdin=False, index_file=index_file)
    stdout, stderr = proc.communicate()
    if proc.returncode != 0:
        msg = stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(explain(msg[0], cwd) if msg else f"git {args[0]} failed ({proc.returncode})")
    return stdout


def popen(args: Sequence[str], *, cwd: str, index_file: str | None = None) -> _Process:
    """Start git with pipes on stdin, stdout and stderr (read stderr only once it has exited)."""
    return _Process(args, cwd=cwd, stdin=True, index_file=index_file)


# Root-relative paths of the whole working tree, from wherever it is started (`:/` is the top).
_LS_FILES = ("ls-files", "-z", "--cached", "--others", "--exclude-standard", "--deduplicate", "--full-name", "--", ":/")
_REV_PARSE = ("rev-parse", "--show-toplevel", "--absolute-git-dir")


@dataclass(frozen=True, slots=True)
class Repo:
    """A repository as git reported it: its top directory (as the caller spells the path) and
    its git directory (for a linked worktree or a submodule, its own)."""

    root: str
    git_dir: str


class Roots:
    """Which repository holds a directory, as git itself says, for one run.

    git's answer honours ``safe.directory``; a ``.git`` that git does not accept (empty,
    another user's) is no repository. One ``git rev-parse`` per repository met, not per
    directory: a directory below one already answered, with no ``.git`` in between, has the
    same answer. A git that refuses or fails is a GitError, never "no repository"; no git
    installed at all is none, and ``no_git`` says so. ``start_version``/``check_version``: the
    version check (MIN_GIT), once per run, only in runs that read git objects.
    """

    def __init__(self) -> None:
        self._answers: dict[str, Repo | None] = {}
        self._asking: dict[str, _Process] = {}
        self._listing: dict[str, tuple[_Process, str | None]] = {}  # directory -> ls-files, its index
        self._version: _Process | None = None
        self._version_ok = False
        self.no_git: str | None = None  # why git is not used at all (not installed)
        index = os.environ.get("GIT_INDEX_FILE")
        self._index = os.path.abspath(index) if index else None

    def start(self, directory: str, *, listing: bool = False) -> None:
        """Ask git about ``directory`` now (and list its files with ``listing``): git works while
        the caller goes on, and ``find`` (``list_files``) only reads the answer. Problems are
        left for those to report."""
        directory = os.path.abspath(directory)
        try:
            known = self._known(directory)
            if known is None:
                return
            if known is not _UNKNOWN:
                assert isinstance(known, Repo)
                if listing and known.root not in self._listing:
                    self._listing[known.root] = self._start_listing(known.root, self.index_file(known))
                return
            if _which("git") is None:
                self.no_git = NO_GIT
                return
            if directory not in self._asking:
                self._asking[directory] = _Process(_REV_PARSE, cwd=directory, stdin=False)
            if listing and directory not in self._listing:
                self._listing[directory] = self._start_listing(directory, self._index)
        except GitError:
            return

    @staticmethod
    def _start_listing(directory: str, index_file: str | None) -> tuple[_Process, str | None]:
        return _Process(_LS_FILES, cwd=directory, stdin=False, index_file=index_file), index_file

    def _known(self, directory: str) -> Repo | object | None:
        """The answer for ``directory`` without asking git, or _UNKNOWN."""
        here = directory
        while True:
            if here in self._answers:
                return self._answers[here]
            if here in self._asking or os.path.lexists(os.path.join(here, ".git")):
                return _UNKNOWN  # a repository may start here: git decides
            parent = os.path.dirname(here)
            if parent == here:
                return _UNKNOWN
            here = parent

    def repo(self, directory: str) -> Repo | None:
        """The repository holding ``directory`` (None: none, or no git installed)."""
        directory = os.path.abspath(directory)
        known = self._known(directory)
        if known is not _UNKNOWN:
            assert known is None or isinstance(known, Repo)
            return known
        self.start(directory)
        if self.no_git is not None:
            return None
        proc = self._asking.pop(directory, None) or _Process(_REV_PARSE, cwd=directory, stdin=False)
        out, err = proc.communicate()
        found: Repo | None = None
        if proc.returncode != 0:
            lines = err.decode("utf-8", "replace").strip().splitlines()
            first = next((ln for ln in lines if ln.startswith(("fatal:", "error:"))), lines[0] if lines else "")
            if "not a git repository" not in first:
                raise GitError(explain(first, directory) if first else f"git rev-parse failed ({proc.returncode})")
        else:
            found = self._parse(directory, out)
        # every directory from here up to the root has the same answer
        here = directory
        while True:
            self._answers[here] = found
            if found is None or here == found.root:
                break
            parent = os.path.dirname(here)
            if parent == here or os.path.lexists(os.path.join(here, ".git")):
                break
            here = parent
        if found is not None:
            self._answers[found.root] = found
        return found

    def find(self, directory: str) -> str | None:
        """The root of the repository holding ``directory``; None outside one (or without git)."""
        repo = self.repo(directory)
        return repo.root if repo is not None else None

    @staticmethod
    def _parse(directory: str, out: bytes) -> Repo:
        lines = os.fsdecode(out).split("\n")
        if len(lines) != 3 or lines[2] or not all(os.path.isabs(p) and os.path.isdir(p) for p in lines[:2]):
            raise GitError("git rev-parse gave no usable repository root: is the git on PATH a working git?")
        top, git_dir = lines[0], lines[1]
        real_top = os.path.realpath(top)
        # The root as the caller spells paths (git resolves symlinks): the ancestor that is it.
        here = directory
        while os.path.realpath(here) != real_top:
            parent = os.path.dirname(here)
            if parent == here:
                if not os.path.realpath(directory).startswith(real_top.rstrip(os.sep) + os.sep):
                    raise GitError("git rev-parse named a repository root that does not hold the directory")
                return Repo(real_top, git_dir)
            here = parent
        return Repo(here, git_dir)

    def start_version(self, directory: str) -> None:
        """Start ``git version`` (once per run), to be checked by ``check_version``."""
        if self._version is None and not self._version_ok:
            self._version = _Process(("version",), cwd=directory, stdin=False)

    def check_version(self, directory: str) -> None:
        """Refuse a git older than MIN_GIT (GitError); asked once per run."""
        if self._version_ok:
            return
        self.start_version(directory)
        proc, self._version = self._version, None
        assert proc is not None
        out, _ = proc.communicate()
        check_version(out.decode("utf-8", "replace") if proc.returncode == 0 else "")
        self._version_ok = True

    def index_file(self, repo: Repo) -> str | None:
        """The caller's GIT_INDEX_FILE (a hook's) when it is ``repo``'s own, else None."""
        if self._index is None:
            return None
        if os.path.dirname(os.path.realpath(self._index)) == os.path.realpath(repo.git_dir):
            return self._index
        return None

    def list_files(self, root: str) -> list[str]:
        """Root-relative POSIX paths of tracked files and untracked files that are not ignored."""
        repo = self.repo(root)
        if repo is None:
            raise GitError("not a git repository")
        index = self.index_file(repo)
        started = None
        for directory, (proc, proc_index) in list(self._listing.items()):
            if proc_index == index and self._known(directory) == repo:
                started = proc
                del self._listing[directory]
                break
        out = run(_LS_FILES, cwd=repo.root, started=started, index_file=index)
        return [p for p in out.decode("utf-8", "surrogateescape").split("\0") if p]


_UNKNOWN = object()


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

    def __init__(self, root: str, *, max_bytes: int, index_file: str | None = None) -> None:
        self.root = root
        self.max_bytes = max_bytes
        self.index_file = index_file  # the index ``:0:path`` reads (Roots.index_file), else git's own
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
            self._proc = popen([*args, "-z"] if self._nul else args, cwd=self.root, index_file=self.index_file)
        return self._proc

    def _died(self) -> tuple[GitError, int]:
        """Why the process ended (and its exit code); remembered, so later requests fail at once."""
        proc, self._proc = self._proc, None
        self._pending.clear()
        assert proc is not None
        try:
            code = proc.finish()
            err = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
        except GitTimeout as exc:
            _close(proc)
            self._error = str(exc)
            return exc, -9
        except OSError:
            proc.kill()
            code, err = proc.wait(), ""
        _close(proc)
        lines = [ln.strip() for ln in err.splitlines() if ln.strip()]
        first = next((ln for ln in lines if ln.startswith(("fatal:", "error:"))), lines[0] if lines else "")
        self._error = self.explain(first) if first else f"git cat-file ended unexpectedly ({code})"
        return GitError(self._error), code

    def explain(self, message: str) -> str:
        """git's message, for the user: no absolute path of this machine, a hint where one helps."""
        return explain(message, self.root)

    def _stopped(self, exc: GitTimeout) -> GitTimeout:
        """git was stopped for its silence (_Reader): forget it, and fail every later request."""
        proc, self._proc = self._proc, None
        self._pending.clear()
        self._error = str(exc)
        if proc is not None:
            proc.kill()
            _close(proc)
            proc.wait()
        return exc

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
        """The object ``name`` (``REV^{commit}``, ``REV:path``, ``:0:./path``); None when missing.

        Raises GitError when git cannot run or the name cannot be asked for, GitTimeout when
        git did not answer in time (it is stopped, and every later request fails alike).
        """
        try:
            return self._get(name)
        except GitTimeout as exc:
            raise self._stopped(exc) from None

    def _get(self, name: str) -> GitObject | None:
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
        """``get`` for each name in turn, with the requests written ahead in batches (_get_many)."""
        try:
            out, error = self._get_many(names)
        except GitTimeout as exc:
            return [], self._stopped(exc)
        if isinstance(error, GitTimeout) and self._proc is not None:
            self._stopped(error)
        return out, error

    def _get_many(self, names: Sequence[str]) -> tuple[list[GitObject | None], GitError | None]:
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

    def _answer(self, raw: bytes, line: bytes, out: _Reader) -> GitObject | None:
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

    def _body(self, size: int, out: _Reader) -> bytes | None:
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
