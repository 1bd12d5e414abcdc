"""The command's streams and its report file: one line per error, never a traceback, never a
write into a file the run reads, through a symlink or into ``.git``."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Sequence


class UsageError(Exception):
    """Bad arguments, config or I/O: exit 2 with this one line."""


def err(line: str, values: Sequence[str] = ()) -> None:
    """One line on stderr, if there is one: escaped, secrets (and ``values``, the command line's
    words) masked; never an exception."""
    from ._redact import safe_line

    stream = sys.stderr
    if stream is None:  # started with stderr closed: nowhere to say it
        return
    with contextlib.suppress(OSError, ValueError):
        stream.write(safe_line(line, values=tuple(values)) + "\n")
        stream.flush()


def standard_streams() -> None:
    """Give a closed stdin, stdout or stderr ``/dev/null``, so that no file the run opens (the
    ``--output`` report) takes its number and receives what git or Python would write there;
    and make stdout and stderr escape what the console cannot encode instead of failing."""
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            try:
                null = os.open(os.devnull, os.O_RDWR)
            except OSError:
                break
            if null != fd:
                os.dup2(null, fd)
                os.close(null)
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)  # None: closed at start
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):
                reconfigure(errors="backslashreplace")


def silence_stdout() -> None:
    """Point stdout at ``/dev/null`` after a write failed, so that the flush at exit does not fail
    again with a traceback."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


def write_stdout(text: str) -> None:
    stream = sys.stdout
    if stream is None:
        raise UsageError("cannot write to stdout: it is closed (--output FILE writes the report to a file)")
    try:
        stream.write(text)
        stream.flush()
    except BrokenPipeError:
        raise
    except (OSError, ValueError) as exc:
        silence_stdout()
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "it is closed"
        raise UsageError(f"cannot write to stdout: {reason}") from None


def read_stdin(limit: int) -> bytes:
    stream = sys.stdin
    if stream is None:
        raise UsageError("cannot read stdin: it is closed")
    try:
        return stream.buffer.read(limit)
    except (OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "it is closed"
        raise UsageError(f"cannot read stdin: {reason}") from None


def use_color(choice: str, stream: object) -> bool:
    if choice == "always":
        return True
    if choice == "never" or os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def in_dot_git(path: str) -> bool:
    return any(part.casefold() == ".git" for part in path.split(os.sep))


def write_report(path: str, data: bytes, *, top: str, protected: Sequence[str]) -> None:
    """Write ``data`` to ``path``, only as a new file or over a regular file that is not one of
    ``protected`` (the files the run read), never through a symlink (none at the end, none on the
    way below ``top``, the repository) and never into a ``.git`` directory."""
    import errno
    import stat

    def refuse(why: str) -> UsageError:
        return UsageError(f"{path}: cannot write the report there: {why}")

    full = os.path.abspath(path)
    parent, name = os.path.split(full)
    if not name or path.endswith(("/", os.sep)):
        raise refuse("it is a directory")
    if in_dot_git(full) or in_dot_git(os.path.realpath(full)):
        raise refuse("it is inside a .git directory, which the tool never writes to")
    top_abs = os.path.abspath(top)
    if parent.startswith(top_abs.rstrip(os.sep) + os.sep):  # each directory on the way below `top`
        here = top_abs
        for part in os.path.relpath(parent, top_abs).split(os.sep):
            here = os.path.join(here, part)
            if os.path.islink(here):
                raise refuse(f"{os.path.relpath(here)} is a symlink, and the report is never written through one")
    link = "it is a symlink, and the report is never written through one"
    special = "it is not a regular file (a directory, FIFO, socket or device)"
    flags = os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        try:
            st = os.lstat(full)
        except FileNotFoundError:
            fd = os.open(full, flags | os.O_CREAT | os.O_EXCL, 0o666)
        else:
            if stat.S_ISLNK(st.st_mode):
                raise refuse(link)
            if not stat.S_ISREG(st.st_mode):
                raise refuse(special)
            for other in protected:
                try:
                    o = os.stat(other)
                except OSError:
                    continue
                if (o.st_dev, o.st_ino) == (st.st_dev, st.st_ino):
                    raise refuse("it is a file this run reads, and the report never overwrites one")
            fd = os.open(full, flags)
            now = os.fstat(fd)
            if (now.st_dev, now.st_ino) != (st.st_dev, st.st_ino) or not stat.S_ISREG(now.st_mode):
                os.close(fd)
                raise refuse("it changed while the report was written")
            os.ftruncate(fd, 0)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise refuse(link) from None
        if exc.errno in (errno.EISDIR, errno.ENXIO):
            raise refuse(special) from None
        raise UsageError(f"{path}: cannot write: {exc.strerror or exc}") from None
    try:
        with open(fd, "wb", closefd=True) as fh:
            fh.write(data)
    except OSError as exc:
        raise UsageError(f"{path}: cannot write: {exc.strerror or exc}") from None
