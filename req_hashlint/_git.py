"""The only module that runs git.

Git runs hardened: every setting that could run a command (pager, fsmonitor, hooks, external
diff, textconv, prompts) is overridden on the command line, which beats every config file, so
a hostile repository's config cannot make the linter run a command, and git never writes. The
user's own system and global config are read, so their `safe.directory` entries (which
`actions/checkout` writes for container jobs) keep working.

No transport is allowed: an empty ``GIT_ALLOW_PROTOCOL`` overrides every ``protocol.*`` setting
and reaches the git a partial clone's lazy fetch would start. Git older than ``MIN_GIT`` is
refused: the hardening is proven (tests/test_git.py) from there on.

Every wait on git is bounded (``git_timeout``), and the clock runs only while waiting. The
processes belong to the object that started them (``Roots``, ``CatFile``), whose ``close()``
stops and reaps them.
"""

from __future__ import annotations

import contextlib
import os
import re
import selectors
import subprocess
from collections.abc import Sequence
from typing import NamedTuple

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

# The oldest git the hardening is proven with (tests/test_git.py runs it): 2.39.4, the security
# release of May 2024, and the same release of each later series before 2.44 honour
# GIT_NO_LAZY_FETCH and carry the fixes for hostile repositories; `cat-file -z` and
# `safe.bareRepository` are from 2.38. An older git is refused with one line.
MIN_GIT = (2, 39, 4)
_MIN_PATCH = {(2, 40): 2, (2, 41): 1, (2, 42): 2, (2, 43): 4}
MIN_GIT_TEXT = "2.39.4 (2.40.2, 2.41.1, 2.42.2, 2.43.4 in those series)"

# Any one wait on git (a read, a process exit), in seconds: a FIFO or a hung filesystem inside
# a hostile `.git` cannot block the run (and the commit hook) forever.
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
    value = -1.0
    with contextlib.suppress(ValueError):
        value = float(raw)
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
_KEEP_ENV = (
    "GIT_CONFIG_GLOBAL",  # the user's own config files (safe.directory lives there)
    "GIT_CONFIG_SYSTEM",
    "GIT_CONFIG_NOSYSTEM",
    "GIT_CEILING_DIRECTORIES",  # only ever narrows where git looks
)


def _env(index_file: str | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_") or k in _KEEP_ENV}
    env |= {
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
    if index_file is not None:
        env["GIT_INDEX_FILE"] = index_file
    return env


class NoGit(GitError):
    """git is not installed, or not on PATH."""


def git_command(args: Sequence[str]) -> list[str]:
    """The hardened ``git args``; subprocess finds git on PATH (on POSIX, never in the working directory)."""
    return ["git", "--no-pager", "--no-optional-locks", *(w for c in _SAFE_CONFIG for w in ("-c", c)), *args]


Process = subprocess.Popen[bytes]


def _spawn(args: Sequence[str], *, cwd: str, stdin: bool = False, index_file: str | None = None) -> Process:
    """Start git in ``cwd`` (``-C``) with stdout and stderr piped, and stdin with ``stdin``."""
    try:
        return subprocess.Popen(
            git_command(["-C", cwd, *args]),
            stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=_env(index_file),
        )
    except FileNotFoundError:
        raise NoGit("git is not installed or not on PATH") from None
    except OSError as exc:
        raise GitError(f"cannot run git: {exc.strerror or exc}") from None


def _stop(proc: Process) -> None:
    """Kill git if it still runs, close its pipes and reap it."""
    with contextlib.suppress(OSError):
        proc.kill()  # (nothing once it has been waited for)
    for stream in (proc.stdin, proc.stdout, proc.stderr):
        if stream is not None:
            with contextlib.suppress(OSError):  # unwritten requests to a git that is gone
                stream.close()
    proc.wait()


def _finish(proc: Process, timeout: float) -> tuple[bytes, bytes]:
    """stdout and stderr, and the exit, within ``timeout`` seconds (else GitTimeout)."""
    try:
        return proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _stop(proc)
        raise GitTimeout(timeout_message(timeout)) from None


def explain(message: str, root: str) -> str:
    """git's message, for the user: no absolute path of this machine, a hint where one helps."""
    if "dubious ownership" in message:
        return "git refuses to read this repository: another user owns it (git's safe.directory check)"
    for prefix in ("fatal: ", "error: "):
        message = message.removeprefix(prefix)
    for path in {root, os.path.realpath(root)}:
        message = message.replace(path, ".")
    return message


def _failure(stderr: bytes, root: str, fallback: str) -> GitError:
    """git's own first error line, for the user (``fallback`` when git said nothing)."""
    lines = [ln.strip() for ln in stderr.decode("utf-8", "replace").splitlines() if ln.strip()]
    first = next((ln for ln in lines if ln.startswith(("fatal:", "error:"))), lines[0] if lines else "")
    return GitError(explain(first, root) if first else fallback)


def run(
    args: Sequence[str], *, cwd: str, started: Process | None = None, index_file: str | None = None, timeout: float = 0
) -> bytes:
    """git's stdout (``started``: the same command, started earlier); GitError with git's first line."""
    timeout = timeout or git_timeout()  # a bad setting is refused before git starts
    proc = started or _spawn(args, cwd=cwd, index_file=index_file)
    stdout, stderr = _finish(proc, timeout)
    if proc.returncode != 0:
        raise _failure(stderr, cwd, f"git {args[0]} failed ({proc.returncode})")
    return stdout


# Root-relative paths of the whole working tree, from wherever it is started (`:/` is the top).
_LS_FILES = ("ls-files", "-z", "--cached", "--others", "--exclude-standard", "--deduplicate", "--full-name", "--", ":/")
_REV_PARSE = ("rev-parse", "--show-toplevel", "--absolute-git-dir")


class Repo(NamedTuple):
    root: str  # its top directory, as the caller spells the path
    git_dir: str  # for a linked worktree or a submodule, its own


class Roots:
    """Which repository holds a directory, as git itself says (honouring ``safe.directory``).

    One ``git rev-parse`` per repository met: a directory below one already answered, with no
    ``.git`` in between, has the same answer. A git that refuses or fails is a GitError, never
    "no repository"; no git installed is none, and ``no_git`` says so. ``close()`` stops and
    reaps what was started ahead and never waited for.
    """

    def __init__(self, *, timeout: float | None = None) -> None:
        self._answers: dict[str, Repo | None] = {}
        self._asking: dict[str, Process] = {}
        self._listing: dict[str, tuple[Process, str | None]] = {}  # directory -> ls-files, its index
        self._version: Process | None = None
        self._version_ok = False
        self._timeout = timeout
        self.no_git: str | None = None  # why git is not used at all (not installed)
        index = os.environ.get("GIT_INDEX_FILE")
        self._index = os.path.abspath(index) if index else None

    @property
    def timeout(self) -> float:  # ``git_timeout``, read once
        if self._timeout is None:
            self._timeout = git_timeout()
        return self._timeout

    def close(self) -> None:
        procs = [*self._asking.values(), *(proc for proc, _ in self._listing.values()), self._version]
        self._asking.clear()
        self._listing.clear()
        self._version = None
        for proc in filter(None, procs):
            _stop(proc)

    def start(self, directory: str, *, listing: bool = False) -> None:
        """Ask git about ``directory`` (and list its files) now; ``find`` and ``list_files`` read the answers."""
        directory = os.path.abspath(directory)
        try:
            _ = self.timeout  # a bad setting: nothing starts (``repo`` reports it)
            known = self._known(directory)
            if known is None:
                return
            if isinstance(known, Repo):
                directory, index = known.root, self.index_file(known)
            else:  # which repository is not known yet: the caller's index, as given
                index = self._index
                if directory not in self._asking:
                    self._asking[directory] = _spawn(_REV_PARSE, cwd=directory)
            if listing and directory not in self._listing:
                self._listing[directory] = (_spawn(_LS_FILES, cwd=directory, index_file=index), index)
        except NoGit as exc:
            self.no_git = str(exc)
        except GitError:
            return

    def _known(self, directory: str) -> Repo | object | None:
        """The answer for ``directory`` without asking git (remembered for the directories walked), or _UNKNOWN."""
        here = directory
        walked: list[str] = []
        while True:
            if here in self._answers:
                found = self._answers[here]
                self._answers.update(dict.fromkeys(walked, found))
                return found
            if here in self._asking or os.path.lexists(os.path.join(here, ".git")):
                return _UNKNOWN  # a repository may start here: git decides
            walked.append(here)
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
        timeout = self.timeout  # a bad setting is refused before git starts (and none has started)
        try:
            out = run(_REV_PARSE, cwd=directory, started=self._asking.pop(directory, None), timeout=timeout)
            found = self._parse(directory, out)
        except GitError as exc:
            if "not a git repository" not in str(exc):
                self.close()  # the run ends with this error: git started ahead is stopped now
                raise
            found = None
        self._answers[directory] = found  # (``_known`` gives the directories in between theirs)
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
        real_top, git_dir = os.path.realpath(lines[0]), lines[1]
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
        """Start ``git version`` (once per run) for ``check_version``."""
        if self._version is None and not self._version_ok:
            _ = self.timeout  # a bad setting is refused before git starts
            self._version = _spawn(("version",), cwd=directory)

    def check_version(self, directory: str) -> None:
        """Refuse a git older than MIN_GIT (GitError); asked once per run."""
        if self._version_ok:
            return
        self.start_version(directory)
        proc, self._version = self._version, None
        assert proc is not None
        out, _ = _finish(proc, self.timeout)
        check_version(out.decode("utf-8", "replace") if proc.returncode == 0 else "")
        self._version_ok = True

    def index_file(self, repo: Repo) -> str | None:
        """The caller's GIT_INDEX_FILE (a hook's) when it is ``repo``'s own, else None."""
        if self._index and os.path.dirname(os.path.realpath(self._index)) == os.path.realpath(repo.git_dir):
            return self._index
        return None

    def list_files(self, root: str) -> list[str]:
        """Root-relative POSIX paths of tracked files and untracked files that are not ignored."""
        repo = self.repo(root)
        if repo is None:
            raise GitError("not a git repository")
        index = self.index_file(repo)
        ahead = next((d for d, (_, i) in self._listing.items() if i == index and self._known(d) == repo), None)
        started = self._listing.pop(ahead)[0] if ahead is not None else None
        out = run(_LS_FILES, cwd=repo.root, started=started, index_file=index, timeout=self.timeout)
        return [p for p in out.decode("utf-8", "surrogateescape").split("\0") if p]


_UNKNOWN = object()


# `<oid> <type> <size>`, and the answers of --follow-symlinks for links it does not follow.
_HEADER_RE = re.compile(rb"([0-9a-f]{40}|[0-9a-f]{64}) ([a-z]+) ([0-9]+)")
_LINK_RE = re.compile(rb"(symlink|dangling|loop|notdir) ([0-9]+)")
_CHUNK = 1 << 20
# Requests written and not yet answered, at most: well under a pipe's buffer (64 KiB on Linux,
# 16 KiB on some BSDs), so a write completes even while git waits for its answers to be read.
_BATCH_BYTES = 8 * 1024


class _Reader:
    """A pipe from git, read through a buffer; each wait is bounded by ``timeout`` s (GitTimeout)."""

    def __init__(self, fd: int, timeout: float) -> None:
        self._fd = fd
        self._timeout = timeout
        self._selector = selectors.DefaultSelector()
        self._selector.register(fd, selectors.EVENT_READ)
        self._buf = b""
        self._pos = 0

    def close(self) -> None:
        self._selector.close()  # (the pipe is its process's to close)

    def ready(self) -> bool:
        """Whether something can be read without waiting."""
        return self._pos < len(self._buf) or bool(self._selector.select(0))

    def _fill(self) -> bytes:
        """The next bytes git writes (b"" at the end), after at most ``timeout`` seconds."""
        if not self._selector.select(self._timeout):
            raise GitTimeout(timeout_message(self._timeout))
        return os.read(self._fd, _CHUNK)

    def readline(self) -> bytes:
        """One line with its newline; without one at the end of the output."""
        while (end := self._buf.find(b"\n", self._pos)) < 0:
            data = self._fill()
            self._buf, self._pos = self._buf[self._pos :] + data, 0
            if not data:
                rest, self._buf = self._buf, b""
                return rest
        line, self._pos = self._buf[self._pos : end + 1], end + 1
        return line

    def read(self, size: int) -> bytes:
        """Up to ``size`` bytes: at least one, but at the end."""
        if self._pos >= len(self._buf):
            self._buf, self._pos = self._fill(), 0
        out = self._buf[self._pos : self._pos + size]
        self._pos += len(out)
        return out


class GitObject(NamedTuple):
    oid: str  # "" for a symlink --follow-symlinks did not follow
    type: str  # "blob", "tree", "commit", "tag"; "symlink", "dangling", "loop", "notdir"
    size: int
    data: bytes | None  # None when only its header was asked for, or it is over the reader's limit


_Request = tuple[bytes, bool]  # (object name, with its contents)


class CatFile:
    """One ``git cat-file --batch-command`` process for a whole run, started on the first request. Requests
    are NUL-terminated (``-z``), so any path works; no ``--filters`` or ``--textconv``: those can run commands."""

    def __init__(
        self, root: str, *, max_bytes: int, index_file: str | None = None, timeout: float | None = None
    ) -> None:
        self.root = root
        self.max_bytes = max_bytes
        self.index_file = index_file  # the index ``:0:path`` reads (Roots.index_file), else git's own
        self._timeout = timeout
        self._proc: Process | None = None
        self._out: _Reader | None = None
        self._error: GitError | None = None  # why git is gone, for every later request
        self._pending: dict[_Request, None] = {}  # written, in order, answers not read yet
        self._ready: dict[_Request, GitObject | None] = {}  # answers read ahead of their ask

    # -- the process ----------------------------------------------------------------------
    def _start(self) -> tuple[Process, _Reader]:
        if self._error is not None:
            raise type(self._error)(str(self._error))
        if self._proc is None or self._out is None:
            timeout = self._timeout = git_timeout() if self._timeout is None else self._timeout
            args = ["cat-file", "--batch-command", "--follow-symlinks", "-z"]
            self._proc = _spawn(args, cwd=self.root, stdin=True, index_file=self.index_file)
            assert self._proc.stdout is not None
            self._out = _Reader(self._proc.stdout.fileno(), timeout)
        return self._proc, self._out

    def _forget(self) -> Process | None:
        proc, self._proc = self._proc, None
        if self._out is not None:
            self._out.close()
            self._out = None
        self._pending.clear()
        self._ready.clear()
        return proc

    def _died(self) -> GitError:
        """Why the process ended; remembered, so later requests fail at once."""
        proc = self._forget()
        assert proc is not None and self._timeout is not None
        try:
            _, err = _finish(proc, self._timeout)
            self._error = _failure(err, self.root, f"git cat-file ended unexpectedly ({proc.returncode})")
        except GitTimeout as exc:
            self._error = exc
        return self._error

    def close(self) -> None:
        """End git (at the end of its input) and reap it; stop it when it does not end."""
        proc = self._forget()
        if proc is None:
            return
        assert self._timeout is not None
        try:
            _finish(proc, self._timeout)
        except (GitTimeout, OSError, ValueError):
            _stop(proc)

    # -- requests ---------------------------------------------------------------------------
    def answered(self) -> bool:
        """Whether git has begun to answer (the next answer can be read without waiting)."""
        return self._out is not None and self._out.ready()

    def send(self, names: Sequence[str], *, contents: bool = True) -> None:
        """Ask for ``names`` ahead; what would wait for room, and any problem, is left for ``ask``."""
        requests = [(name.encode("utf-8", "surrogateescape"), contents) for name in names]
        with contextlib.suppress(GitError):
            proc, _ = self._start()
            self._write(proc, [r for r in requests if b"\0" not in r[0] and r not in self._ready])

    def _write(self, proc: Process, requests: Sequence[_Request]) -> list[_Request]:
        """Write what fits of ``requests`` within _BATCH_BYTES unanswered, and return the rest."""
        size = sum(len(name) + 10 for name, _ in self._pending)
        batch: list[bytes] = []
        rest = list(requests)
        while rest and (not self._pending or size + len(rest[0][0]) + 10 <= _BATCH_BYTES):
            name, contents = req = rest.pop(0)
            if req in self._pending:
                continue
            self._pending[req] = None
            batch.append((b"contents " if contents else b"info ") + name + b"\0")
            size += len(name) + 10
        if batch:
            assert proc.stdin is not None
            with contextlib.suppress(OSError):  # it died: reading the answer says why
                proc.stdin.write(b"".join(batch))
                proc.stdin.flush()
        return rest

    def get(self, name: str, *, contents: bool = True) -> GitObject | None:
        """The object ``name`` (``REV^{commit}``, ``REV:path``, ``:0:./path``); None when missing."""
        return self.ask([name], contents=contents)[0]

    def ask(self, names: Sequence[str], *, contents: bool = True) -> list[GitObject | None]:
        """The objects ``names`` (None where missing; with ``contents=False`` no data), one round trip a
        batch. GitError when git cannot run or a name cannot be asked for, GitTimeout when it is silent."""
        requests = [(name.encode("utf-8", "surrogateescape"), contents) for name in names]
        if any(b"\0" in name for name, _ in requests):
            raise GitError("a name with a NUL character cannot be looked up")
        try:
            want = dict.fromkeys(requests)
            found = {r: self._ready.pop(r) for r in want if r in self._ready}
            unsent = [r for r in want if r not in found]
            while len(found) < len(want):
                proc, out = self._start()
                unsent = self._write(proc, unsent)
                request, obj = self._read(out)
                (found if request in want else self._ready)[request] = obj
        except GitTimeout as exc:  # git is stopped for its silence, and every later request fails
            gone = self._forget()
            self._error = exc
            if gone is not None:
                _stop(gone)
            raise
        return [found[r] for r in requests]

    def _read(self, out: _Reader) -> tuple[_Request, GitObject | None]:
        """The answer to the oldest request written."""
        request = next(iter(self._pending))
        del self._pending[request]
        try:
            line = out.readline()
        except OSError:  # pragma: no cover - the pipe broke
            line = b""
        if not line.endswith(b"\n"):
            raise self._died()
        return request, self._answer(request, line[:-1], out)

    def _answer(self, request: _Request, line: bytes, out: _Reader) -> GitObject | None:
        name, contents = request
        m = _HEADER_RE.fullmatch(line)
        if m is not None:
            size = int(m.group(3))
            data = self._body(size, out) if contents else None
            return GitObject(m.group(1).decode("ascii"), m.group(2).decode("ascii"), size, data)
        m = _LINK_RE.fullmatch(line)
        if m is not None:  # followed by the link's target (or the name), asked or not
            size = int(m.group(2))
            return GitObject("", m.group(1).decode("ascii"), size, self._body(size, out))
        # `<name> missing` or `<name> ambiguous`; the name is echoed, line breaks and all.
        buf = line
        while len(buf) <= len(name) and name.startswith(buf + b"\n"):
            more = out.readline()
            if not more.endswith(b"\n"):
                raise self._died()
            buf += b"\n" + more[:-1]
        if buf.startswith(name) and buf[len(name) :] in (b" missing", b" ambiguous"):
            return None
        self.close()
        self._error = GitError("unexpected output from git cat-file")
        raise self._error

    def _body(self, size: int, out: _Reader) -> bytes | None:
        """Read ``size`` bytes and the newline after them; drop them when over the limit."""
        keep = size <= self.max_bytes
        chunks: list[bytes] = []
        left = size + 1
        while left:
            chunk = out.read(min(left, _CHUNK))
            if not chunk:
                raise self._died()
            left -= len(chunk)
            if keep:
                chunks.append(chunk)
        return b"".join(chunks)[:-1] if keep else None
