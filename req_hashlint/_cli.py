"""The ``req-hashlint`` command."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Sequence

from . import __version__
from ._model import Severity

TYPE_CHECKING = False  # not typing's, which costs more to import than the flag saves
if TYPE_CHECKING:
    import argparse
    from typing import Any, NoReturn

    from ._git import Roots

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
# Directories never walked when discovering files outside git.
_SKIP_DIRS = frozenset({".git", ".hg", ".svn", ".venv", "venv", "node_modules", "__pycache__", ".tox", ".nox"})


class UsageError(Exception):
    """Bad arguments, config or I/O: exit 2 with this one line."""


COLORS = ("auto", "always", "never")
PRE_COMMIT_FLAG = "--pre-commit"


def _options() -> list[tuple[tuple[str, ...], dict[str, Any]]]:
    """Every option: its flags and ``add_argument``'s keywords (``exclusive``: in the group of
    options that exclude each other). The one table the parser and the hook's reader (``_hook_argv``) use."""
    from ._config import FAIL_ON, REQUIRE_HASHES
    from .reporters import REPORTERS

    codes = "comma-separated rule codes (prefixes) or names to"
    return [
        (("--select",), {"action": "append", "default": [], "metavar": "CODES", "help": f"{codes} enable"}),
        (("--ignore",), {"action": "append", "default": [], "metavar": "CODES", "help": f"{codes} disable"}),
        (
            ("--fail-on",),
            {"choices": FAIL_ON, "help": "lowest severity that makes the exit code 1 (default: warning)"},
        ),
        (("--exit-zero",), {"action": "store_true", "help": "exit 0 even when there are findings (for upload jobs)"}),
        (
            ("--require-hashes",),
            {
                "choices": REQUIRE_HASHES,
                "help": "'always': every requirement needs a hash (default); "
                "'when-any': only when pip's hash mode is on",
            },
        ),
        (
            ("--base",),
            {
                "exclusive": True,
                "metavar": "REV",
                "help": "git revision to compare each file with for stale hashes "
                "(default: HEAD; pre-push: the from-ref)",
            },
        ),
        (
            ("--no-base",),
            {"exclusive": True, "action": "store_true", "help": "turn the diff rules (RH101-RH104, RH902) off"},
        ),
        (("--staged",), {"action": "store_true", "help": "lint the files as staged in the git index"}),
        (
            ("--format",),
            {"choices": sorted(REPORTERS), "default": "text", "help": "output format (default: text)"},
        ),
        (("--output", "-o"), {"metavar": "FILE", "help": "write the report to FILE instead of stdout"}),
        (("--config",), {"metavar": "PATH", "help": "read settings from this TOML file"}),
        (("--no-config",), {"action": "store_true", "help": "ignore every config file"}),
        (
            ("--stdin-filename",),
            {"metavar": "PATH", "help": "the name to give stdin; its relative includes are read next to it"},
        ),
        (("--explain",), {"metavar": "RULE", "help": "print a rule's documentation and exit"}),
        (("--list-rules",), {"action": "store_true", "help": "list every rule and exit"}),
        (("--quiet", "-q"), {"action": "store_true", "help": "print findings only, no summary"}),
        (
            ("--color",),
            {"choices": COLORS, "default": "auto", "help": "colored text output (default: auto; honours NO_COLOR)"},
        ),
        (("--version",), {"action": "version", "version": f"req-hashlint {__version__}"}),
    ]


def _parser() -> argparse.ArgumentParser:
    """The command line, built from ``_options``."""
    import argparse

    longs = [flag for flags, _ in _options() for flag in flags if flag.startswith("--")]

    class Parser(argparse.ArgumentParser):
        def error(self, message: str) -> NoReturn:  # one line, not the usage block
            raise UsageError(_with_suggestion(message, [*longs, "--help"]))

    p = Parser(
        prog="req-hashlint",
        description="Lint pip requirements files for hash-checking problems, offline, before pip meets them.",
        epilog="Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage, config or I/O error.",
    )
    p.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="files or directories to lint; '-' reads stdin (default: the repository's requirements files)",
    )
    exclusive = p.add_mutually_exclusive_group()
    for flags, kwargs in _options():
        (exclusive if kwargs.pop("exclusive", False) else p).add_argument(*flags, **kwargs)
    return p


def _with_suggestion(message: str, options: Sequence[str]) -> str:
    """argparse's message, with the nearest option or choice, and where help is."""
    import difflib

    hint = ""
    prefix = "unrecognized arguments: "
    if message.startswith(prefix):
        unknown = message[len(prefix) :].split(" ")
        first = next((w for w in unknown if w.startswith("-")), unknown[0])
        name = first.split("=", 1)[0]
        near = difflib.get_close_matches(name, options, n=1, cutoff=0.6) if name.startswith("-") else []
        what = "unknown option" if name.startswith("-") else "unexpected argument"
        message = f"{what} {first!r}"
        hint = f"; did you mean {near[0]}?" if near else ""
    else:
        found = re.search(r"invalid choice: '([^']*)' \(choose from (.*)\)", message)
        if found:
            choices = re.findall(r"'([^']*)'", found.group(2))
            near = difflib.get_close_matches(found.group(1), choices, n=1, cutoff=0.5)
            hint = f"; did you mean {near[0]}?" if near else ""
    return f"{message}{hint} (see --help)"


def _hook_argv(words: Sequence[str]) -> list[str]:
    """The command line as pre-commit builds it (after the entry's ``--pre-commit``): the
    hook's ``args``, then file names, with no ``--`` between. Options are read until the first
    word that names an existing file (or is not an option, or is ``--``); that word and every
    word after it are paths, so a committed file named ``--output=requirements.txt`` is linted,
    never read as an option."""
    valued = {f for flags, kw in _options() if kw.get("action") not in ("store_true", "version") for f in flags}
    longs = [f for flags, _ in _options() for f in flags if f.startswith("--")] + ["--help"]
    options: list[str] = []
    i, n = 0, len(words)
    while i < n:
        word = words[i]
        if word == "--":
            i += 1
            break
        if word == "-" or not word.startswith("-") or os.path.lexists(word):
            break
        options.append(word)
        i += 1
        if word.startswith("--"):
            if "=" in word:
                continue
            near = [o for o in longs if o.startswith(word)]
            name = word if word in longs else (near[0] if len(near) == 1 else None)
        else:
            name = word  # `-ofile` carries its value
        if name in valued and i < n:
            options.append(words[i])
            i += 1
    # "-" from pre-commit is a file of that name, not stdin
    files = [os.path.join(os.curdir, w) if w == "-" else w for w in words[i:]]
    return [*options, "--", *files]


def _split_codes(values: Sequence[str]) -> list[str]:
    return [c for v in values for c in v.split(",") if c.strip()]


def _use_color(choice: str, stream: object) -> bool:
    if choice == "always":
        return True
    if choice == "never" or os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def _explain(key: str) -> str:
    from .rules import lookup

    rule = lookup(key)
    if rule is None:
        raise UsageError(f"unknown rule {key!r} (see --list-rules)")
    d = rule.docs
    return (
        f"{rule.code} {rule.name} (default severity: {rule.severity.label})\n\n"
        f"{rule.summary}\n\n"
        f"## What it means\n{d.what}\n\n## Why it happens\n{d.why}\n\n"
        f"## How to fix it\n{d.fix}\n\n## Example\n{d.example}\n"
    )


def _list_rules() -> str:
    from .rules import RULES

    width = max(len(r.name) for r in RULES)
    return "".join(f"{r.code}  {r.name:<{width}}  {r.severity.label:<7}  {r.summary}\n" for r in RULES)


def _walk(top: str, pattern: re.Pattern[str], exclude: re.Pattern[str] | None, rel_base: str) -> list[str]:
    found: list[str] = []
    for dirpath, dirnames, filenames in os.walk(top):
        dirnames[:] = sorted(d for d in dirnames if d not in _SKIP_DIRS and not d.startswith("."))
        for name in sorted(filenames):
            full = os.path.join(dirpath, name)
            rel = os.path.relpath(full, rel_base).replace(os.sep, "/")
            if pattern.search(rel) and not (exclude and exclude.search(rel)):
                found.append(full)
    return found


MATCH_CPU_SECONDS = 3.0  # of CPU time for matching `files`/`exclude` against every path


class _TooSlow(Exception):
    pass


def _too_slow(signum: int, frame: object) -> None:
    raise _TooSlow


class bounded_matching:
    """Stop the matching of the ``files`` and ``exclude`` patterns after ``MATCH_CPU_SECONDS`` of
    CPU time (a polynomial blow-up such as ``.*.*.*.*x`` that the check at config load lets by)
    with a usage error. POSIX main thread only (SIGVTALRM: git's watchdog keeps SIGALRM)."""

    def __init__(self, files: str, exclude: str | None) -> None:
        self.files, self.exclude = files, exclude
        self.previous: object = None
        self.armed = False

    def __enter__(self) -> None:
        import signal

        if not hasattr(signal, "setitimer"):  # pragma: no cover - Windows
            return
        try:
            self.previous = signal.signal(signal.SIGVTALRM, _too_slow)
        except ValueError:  # not the main thread
            return
        signal.setitimer(signal.ITIMER_VIRTUAL, MATCH_CPU_SECONDS)
        self.armed = True

    def __exit__(self, kind: object, exc: object, tb: object) -> None:
        if self.armed:
            import signal

            signal.setitimer(signal.ITIMER_VIRTUAL, 0)
            previous = self.previous if self.previous is not None else signal.SIG_DFL
            signal.signal(signal.SIGVTALRM, previous)  # type: ignore[arg-type]
            self.armed = False
        if isinstance(exc, _TooSlow):
            which = "`files` or `exclude`" if self.exclude else "`files`"
            raise UsageError(
                f"{which} took more than {MATCH_CPU_SECONDS:g} s to match the repository's paths "
                f"(a pattern that backtracks, such as `.*.*.*x`); simplify it"
            ) from None


def _discover(
    cwd: str,
    root: str | None,
    files: str,
    exclude: str | None,
    under: str | None = None,
    roots: Roots | None = None,
) -> list[str]:
    """Absolute paths of the files to lint (the repository's, or below ``under``).

    A git that fails to list a repository's files is an error, never an empty list.
    """
    pattern = re.compile(files)
    excl = re.compile(exclude) if exclude else None
    if root is not None and roots is not None:
        rels = roots.list_files(root)
        out = []
        prefix = os.path.abspath(under) if under else None
        with bounded_matching(files, exclude):
            kept = [rel for rel in rels if pattern.search(rel) and not (excl and excl.search(rel))]
        for rel in kept:
            full = os.path.join(root, *rel.split("/"))
            if prefix and not (full == prefix or full.startswith(prefix.rstrip(os.sep) + os.sep)):
                continue
            if os.path.isfile(full):
                out.append(full)
        return sorted(out)
    with bounded_matching(files, exclude):
        return _walk(under or cwd, pattern, excl, root or cwd)


def _start_listing(*, listing: bool) -> Roots:
    """Ask git for the repository (and its files) before the rest is imported: it runs meanwhile."""
    from ._git import Roots

    roots = Roots()
    try:  # noqa: SIM105 (contextlib is not imported for this)
        roots.start(os.getcwd(), listing=listing)
    except OSError:
        pass  # the working directory is gone: _main says so
    return roots


def _display(path: str, cwd: str) -> str:
    try:
        rel = os.path.relpath(path, cwd)
    except ValueError:
        return path
    return path if rel.startswith(".." + os.sep + "..") else rel


# The run's results, kept alive when the process is about to end (``run``): freeing them one
# object at a time costs a few milliseconds per thousand lines, for memory the system takes
# back at exit anyway.
_KEEP: list[object] = []
_HARD_EXIT = False


def run() -> None:
    """The program (the console script and ``python -m req_hashlint``): ``main``, then exit.

    The exit skips the interpreter's teardown, and the cyclic garbage collector stays off
    (the run makes no cycles worth collecting): both are pure cost for a short process.
    """
    global _HARD_EXIT
    import gc

    from . import _git

    gc.disable()
    _HARD_EXIT = True
    _git.REAP = False  # git's processes end with this one
    code = main()
    for stream in (sys.stdout, sys.stderr):
        try:  # noqa: SIM105 (contextlib is not imported for this)
            stream.flush()
        except (OSError, ValueError, AttributeError):  # failing, closed, or None (closed at start)
            pass
    os._exit(code)


def _err(line: str) -> None:
    """One line on stderr, if there is one: never on stdout, never an exception."""
    stream = sys.stderr
    if stream is None:  # started with stderr closed: nowhere to say it
        return
    try:
        stream.write(_safe(line) + "\n")
        stream.flush()
    except (OSError, ValueError):
        pass


def _warn(message: str) -> None:
    _err(f"req-hashlint: warning: {message}")


def _standard_fds() -> None:
    """Give a closed stdin, stdout or stderr ``/dev/null``, so that no file the run opens (the
    ``--output`` report) takes its number and receives what git or Python would write there."""
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            try:
                null = os.open(os.devnull, os.O_RDWR)
            except OSError:
                return
            if null != fd:
                os.dup2(null, fd)
                os.close(null)


def _write_stdout(text: str) -> None:
    stream = sys.stdout
    if stream is None:
        raise UsageError("cannot write to stdout: it is closed (--output FILE writes the report to a file)")
    try:
        stream.write(text)
        stream.flush()
    except BrokenPipeError:
        raise
    except (OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "it is closed"
        raise UsageError(f"cannot write to stdout: {reason}") from None


def _read_stdin(limit: int) -> bytes:
    stream = sys.stdin
    if stream is None:
        raise UsageError("cannot read stdin: it is closed")
    try:
        return stream.buffer.read(limit)
    except (OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "it is closed"
        raise UsageError(f"cannot read stdin: {reason}") from None


def _in_dot_git(path: str) -> bool:
    return any(part.casefold() == ".git" for part in path.split(os.sep))


def write_report(path: str, data: bytes, *, top: str, protected: Sequence[str]) -> None:
    """Write ``data`` to ``path``, only as a new file or over a regular file that is not one of
    ``protected`` (the files the run read), never through a symlink (none at the end, none on the
    way below ``top``, the repository) and never into a ``.git`` directory."""
    import stat

    def refuse(why: str) -> UsageError:
        return UsageError(f"{path}: cannot write the report there: {why}")

    full = os.path.abspath(path)
    parent, name = os.path.split(full)
    if not name or path.endswith(("/", os.sep)):
        raise refuse("it is a directory")
    if _in_dot_git(full) or _in_dot_git(os.path.realpath(full)):
        raise refuse("it is inside a .git directory, which the tool never writes to")
    top_abs = os.path.abspath(top)
    if parent == top_abs or parent.startswith(top_abs.rstrip(os.sep) + os.sep):
        here = top_abs
        for part in os.path.relpath(parent, top_abs).split(os.sep):
            if part in ("", os.curdir):
                continue
            here = os.path.join(here, part)
            if os.path.islink(here):
                raise refuse(f"{os.path.relpath(here)} is a symlink, and the report is never written through one")
    flags = os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        try:
            st = os.lstat(full)
        except FileNotFoundError:
            st = None
        if st is None:
            fd = os.open(full, flags | os.O_CREAT | os.O_EXCL, 0o666)
        else:
            if stat.S_ISLNK(st.st_mode):
                raise refuse("it is a symlink, and the report is never written through one")
            if not stat.S_ISREG(st.st_mode):
                raise refuse("it is not a regular file (a directory, FIFO, socket or device)")
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
        import errno

        if exc.errno == errno.ELOOP:
            raise refuse("it is a symlink, and the report is never written through one") from None
        if exc.errno in (errno.EISDIR, errno.ENXIO):
            raise refuse("it is not a regular file (a directory, FIFO, socket or device)") from None
        raise UsageError(f"{path}: cannot write: {exc.strerror or exc}") from None
    try:
        with open(fd, "wb", closefd=True) as fh:
            fh.write(data)
    except OSError as exc:
        raise UsageError(f"{path}: cannot write: {exc.strerror or exc}") from None


# The command line's words, which stderr lines may echo (``_safe``).
_ARGV: tuple[str, ...] = ()


def _safe(text: str) -> str:
    """``text`` fit for stderr: one line, escaped, its secrets masked (``_redact.safe_line``)."""
    from ._redact import safe_line

    return safe_line(text, values=_ARGV)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; return the exit code. Never lets a traceback out."""
    _standard_fds()
    for stream in (sys.stdout, sys.stderr):
        # A console that cannot encode a file name or message gets an escape, not a crash.
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            try:  # noqa: SIM105 (contextlib is not imported for this)
                reconfigure(errors="backslashreplace")
            except (ValueError, OSError):
                pass
    global _ARGV
    _ARGV = tuple(sys.argv[1:] if argv is None else argv)
    try:
        return _main(argv)
    except UsageError as exc:
        _err(f"req-hashlint: error: {exc}")
        return EXIT_ERROR
    except KeyboardInterrupt:
        _err("req-hashlint: interrupted")
        return 130
    except BrokenPipeError:
        # Silence the flush at exit: the reader of our output has gone away.
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError, AttributeError):
            pass
        return EXIT_ERROR
    except RecursionError:
        _err("req-hashlint: error: input nested too deeply")
        return EXIT_ERROR
    except MemoryError:
        _err("req-hashlint: error: out of memory")
        return EXIT_ERROR
    except Exception as exc:  # a bug: still one line, never a traceback
        git = sys.modules.get("req_hashlint._git")
        if git is not None and isinstance(exc, git.GitError):  # git refused, failed or hung
            _err(f"req-hashlint: error: {exc}")
            return EXIT_ERROR
        _err(
            f"req-hashlint: internal error: {type(exc).__name__}: {exc} "
            "(please report it with the input that caused it)"
        )
        return EXIT_ERROR


def _main(argv: Sequence[str] | None) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    if words[:1] == [PRE_COMMIT_FLAG]:  # the hook's entry: file names are never options
        words = _hook_argv(words[1:])
    try:
        args = _parser().parse_args(words)
    except SystemExit as exc:  # --help, --version
        return EXIT_CLEAN if exc.code in (0, None) else EXIT_ERROR

    if args.explain:
        _write_stdout(_explain(args.explain))
        return EXIT_CLEAN
    if args.list_rules:
        _write_stdout(_list_rules())
        return EXIT_CLEAN
    roots = _start_listing(listing=not args.paths)

    from . import _config, _source
    from ._engine import Target, enabled_rules, lint
    from ._source import MAX_FILE_BYTES, ReadError, decode

    try:
        cwd = os.getcwd()
    except OSError as exc:  # the working directory was deleted under us
        raise UsageError(f"cannot use the working directory: {exc.strerror or exc}") from None
    root = roots.find(cwd)  # git's answer: config is never read from above it
    try:
        cfg = _config.load(args.config, cwd=cwd, stop=root or cwd, enabled=not args.no_config)
        select = cfg.select
        ignore = cfg.ignore
        if args.select:
            # the command line wins: an explicit --select starts over, without the config's ignore
            select = _config.validate_codes("--select", "select", _split_codes(args.select))
            ignore = []
        if args.ignore:
            ignore = [*ignore, *_config.validate_codes("--ignore", "ignore", _split_codes(args.ignore))]
    except _config.ConfigError as exc:
        raise UsageError(str(exc)) from None
    fail_on = Severity.parse(args.fail_on or cfg.fail_on)
    require_hashes = args.require_hashes or cfg.require_hashes

    for warning in cfg.warnings:
        _warn(warning)
    if args.stdin_filename and "-" not in args.paths:
        raise UsageError("--stdin-filename names stdin, which is read only when `-` is among the paths")

    targets: list[Target] = []
    if not args.paths:
        for path in _discover(cwd, root, cfg.files, cfg.exclude, roots=roots):
            targets.append(Target(path, _display(path, cwd)))
    for raw in args.paths:
        if raw == "-":
            name = args.stdin_filename or "-"
            abspath = os.path.abspath(args.stdin_filename) if args.stdin_filename else os.path.join(cwd, "<stdin>")
            data = _read_stdin(MAX_FILE_BYTES + 1)
            if len(data) > MAX_FILE_BYTES:
                raise UsageError(f"stdin: larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB; not a requirements file")
            try:
                text = decode(data)
            except ReadError as exc:
                raise UsageError(f"stdin: {exc}") from None
            targets.append(Target(abspath, name, text))
            continue
        if not os.path.lexists(raw):
            raise UsageError(f"{raw}: no such file or directory")
        if _in_dot_git(os.path.abspath(raw)):  # a symlink into .git is RH901, as in the graph
            raise UsageError(f"{raw}: inside a .git directory, which is never read (git keeps credentials there)")
        if os.path.isdir(raw):
            for path in _discover(cwd, roots.find(raw), cfg.files, cfg.exclude, under=raw, roots=roots):
                targets.append(Target(path, _display(path, cwd)))
            continue
        targets.append(Target(os.path.abspath(raw), os.path.normpath(raw)))

    stdin_paths = {t.abspath for t in targets if t.text is not None}

    def boundary(abspath: str) -> str:
        if abspath in stdin_paths:
            # stdin's includes stay inside the working directory's repository, wherever
            # --stdin-filename says it lives
            return root or cwd
        r = roots.find(os.path.dirname(abspath))
        if r is not None:
            return r
        if abspath.startswith(cwd.rstrip(os.sep) + os.sep):
            return cwd
        return os.path.dirname(abspath)

    from . import _diff

    rules = enabled_rules(select, ignore, diff=not args.no_base)
    diff = any(r.diff for r in rules)
    try:
        sides = (
            _diff.sides_for(base=args.base, config_base=cfg.base, staged=args.staged, environ=os.environ, roots=roots)
            if targets and (diff or args.staged)
            else None
        )
        with sides or _diff.Sides(roots=roots):
            if sides is not None and root is not None and any(t.abspath.startswith(root + os.sep) for t in targets):
                sides.start(root)  # git resolves the base while the files are read and lexed
            result = lint(
                targets,
                rules=rules,
                boundary=boundary,
                require_hashes=require_hashes,
                per_file_ignores=cfg.per_file_ignores,
                reader=sides.read_new if sides is not None else _source.read_path,
                base=sides.load if sides is not None and diff else None,
            )
    except _diff.BaseError as exc:
        raise UsageError(str(exc)) from None
    if _HARD_EXIT:
        _KEEP.append(result)
    if result.files_checked == 0:
        where = "in the paths given" if args.paths else f"matching `files` ({cfg.files})"
        _warn(f"no requirements file found {where}; nothing was linted")
    if not args.paths:  # only a run over the whole repository can tell a pattern matches nothing
        for pattern in result.unmatched_ignores:
            _warn(f"per-file-ignores: {pattern!r} matches no file of this run, so it ignores nothing")

    from .reporters import Report, render
    from .rules import RULES

    color = args.format == "text" and args.output is None and _use_color(args.color, sys.stdout)
    report = Report(tuple(result.findings), RULES, result.files_checked, __version__, color=color)
    text = render(args.format, report)
    if args.output:
        read = [n.abspath for n in result.graph.nodes.values()]
        if cfg.source is not None:
            read.append(os.path.join(cwd, cfg.source))
        write_report(args.output, text.encode("utf-8", "backslashreplace"), top=root or cwd, protected=read)
    else:
        _write_stdout(text)
    if not args.quiet and args.format == "text":
        from .reporters.text import summary

        _err(summary(report))

    if args.exit_zero:
        return EXIT_CLEAN
    failing = any(not f.suppressed and f.severity >= fail_on for f in result.findings)
    return EXIT_FINDINGS if failing else EXIT_CLEAN
