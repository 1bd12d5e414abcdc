"""The ``req-hashlint`` command."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Sequence
from types import SimpleNamespace

from . import __version__
from ._model import Severity

TYPE_CHECKING = False  # not typing's, which costs more to import than the flag saves
if TYPE_CHECKING:
    import argparse
    from typing import NoReturn

    from ._git import _Process

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
# Directories never walked when discovering files outside git.
_SKIP_DIRS = frozenset({".git", ".hg", ".svn", ".venv", "venv", "node_modules", "__pycache__", ".tox", ".nox"})


class UsageError(Exception):
    """Bad arguments, config or I/O: exit 2 with this one line."""


def _parser() -> argparse.ArgumentParser:
    """The command line (keep ``_quick_args`` in step: tests/test_fastpath.py checks they agree)."""
    import argparse

    from .reporters import REPORTERS

    class Parser(argparse.ArgumentParser):
        def error(self, message: str) -> NoReturn:
            # argparse echoes the arguments it rejects: through the same step as our own errors
            super().error(_safe(message))

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
    p.add_argument(
        "--select",
        action="append",
        default=[],
        metavar="CODES",
        help="comma-separated rule codes (prefixes) or names to enable",
    )
    p.add_argument(
        "--ignore",
        action="append",
        default=[],
        metavar="CODES",
        help="comma-separated rule codes (prefixes) or names to disable",
    )
    p.add_argument(
        "--fail-on",
        choices=("error", "warning", "note"),
        help="lowest severity that makes the exit code 1 (default: warning)",
    )
    p.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are findings (for upload jobs)")
    p.add_argument(
        "--require-hashes",
        choices=("always", "when-any"),
        dest="require_hashes",
        help="'always': every requirement needs a hash (default); 'when-any': only when pip's hash mode is on",
    )
    base = p.add_mutually_exclusive_group()
    base.add_argument(
        "--base",
        metavar="REV",
        help="git revision to compare each file with for stale hashes (default: HEAD; pre-push: the from-ref)",
    )
    base.add_argument("--no-base", action="store_true", help="turn the diff rules (RH101-RH103, RH902) off")
    p.add_argument("--staged", action="store_true", help="lint the files as staged in the git index")
    p.add_argument("--format", choices=sorted(REPORTERS), default="text", help="output format (default: text)")
    p.add_argument("--output", "-o", metavar="FILE", help="write the report to FILE instead of stdout")
    p.add_argument("--config", metavar="PATH", help="read settings from this TOML file")
    p.add_argument("--no-config", action="store_true", help="ignore every config file")
    p.add_argument(
        "--stdin-filename", metavar="PATH", help="the name to give stdin; its relative includes are read next to it"
    )
    p.add_argument("--explain", metavar="RULE", help="print a rule's documentation and exit")
    p.add_argument("--list-rules", action="store_true", help="list every rule and exit")
    p.add_argument("--quiet", "-q", action="store_true", help="print findings only, no summary")
    p.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="colored text output (default: auto; honours NO_COLOR)",
    )
    p.add_argument("--version", action="version", version=f"req-hashlint {__version__}")
    return p


# The usual command lines (pre-commit's list of files, plain options) are read without
# argparse, whose import and parser cost a fifth of Python's own start-up. Anything else
# (help, abbreviations, `-ofile`, `--`, a value starting with `-`, a mistake) goes to argparse.
_QUICK_FLAGS = {
    "--exit-zero": "exit_zero",
    "--no-base": "no_base",
    "--staged": "staged",
    "--no-config": "no_config",
    "--list-rules": "list_rules",
    "--quiet": "quiet",
    "-q": "quiet",
}
_QUICK_VALUES = {
    "--select": "select",
    "--ignore": "ignore",
    "--fail-on": "fail_on",
    "--require-hashes": "require_hashes",
    "--base": "base",
    "--format": "format",
    "--output": "output",
    "-o": "output",
    "--config": "config",
    "--stdin-filename": "stdin_filename",
    "--explain": "explain",
    "--color": "color",
}
_QUICK_CHOICES = {
    "fail_on": ("error", "warning", "note"),
    "require_hashes": ("always", "when-any"),
    "color": ("auto", "always", "never"),
}


def _quick_args(argv: Sequence[str]) -> SimpleNamespace | None:
    """What ``_parser().parse_args(argv)`` gives, for the usual command lines; else None."""
    from .reporters import REPORTERS

    values: dict[str, object] = {
        "paths": [],
        "select": [],
        "ignore": [],
        "fail_on": None,
        "exit_zero": False,
        "require_hashes": None,
        "base": None,
        "no_base": False,
        "staged": False,
        "format": "text",
        "output": None,
        "config": None,
        "no_config": False,
        "stdin_filename": None,
        "explain": None,
        "list_rules": False,
        "quiet": False,
        "color": "auto",
    }
    paths: list[str] = []
    lists: dict[str, list[str]] = {"select": [], "ignore": []}
    paths_done = False  # argparse takes the paths as one run of words
    i, n = 0, len(argv)
    while i < n:
        word = argv[i]
        i += 1
        if word == "-" or not word.startswith("-"):
            if paths_done:
                return None
            paths.append(word)
            continue
        paths_done = bool(paths)
        flag = _QUICK_FLAGS.get(word)
        if flag is not None:
            values[flag] = True
            continue
        name, eq, value = word.partition("=") if word.startswith("--") else (word, "", "")
        dest = _QUICK_VALUES.get(name)
        if dest is None:
            return None
        if not eq:
            if i >= n:
                return None
            value = argv[i]
            i += 1
        if not value or value.startswith("-"):
            return None
        if value not in _QUICK_CHOICES.get(dest, (value,)) or (dest == "format" and value not in REPORTERS):
            return None
        if dest in lists:
            lists[dest].append(value)
        else:
            values[dest] = value
    if values["base"] is not None and values["no_base"]:
        return None  # mutually exclusive: argparse says so
    values.update(lists, paths=paths)
    return SimpleNamespace(**values)


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


def _discover(
    cwd: str,
    root: str | None,
    files: str,
    exclude: str | None,
    under: str | None = None,
    listing: tuple[str, _Process | None] | None = None,
) -> list[str]:
    """Absolute paths of the files to lint (the repository's, or below ``under``).

    ``listing``: the repository root and the ``git ls-files`` started for it (_start_listing).
    """
    pattern = re.compile(files)
    excl = re.compile(exclude) if exclude else None
    if root is not None:
        from ._git import GitError, list_files

        try:
            rels = list_files(root, listing[1] if listing is not None and listing[0] == root else None)
        except GitError:
            rels = None
        if rels is not None:
            out = []
            prefix = os.path.abspath(under) if under else None
            for rel in rels:
                if not pattern.search(rel) or (excl and excl.search(rel)):
                    continue
                full = os.path.join(root, *rel.split("/"))
                if prefix and not (full == prefix or full.startswith(prefix.rstrip(os.sep) + os.sep)):
                    continue
                if os.path.isfile(full):
                    out.append(full)
            return sorted(out)
    return _walk(under or cwd, pattern, excl, root or cwd)


def _start_listing() -> tuple[str, _Process | None] | None:
    """Start git listing the repository's files before the rest is imported: it runs meanwhile."""
    from ._git import find_root, start_listing

    try:
        root = find_root(os.getcwd())
    except OSError:
        return None
    return (root, start_listing(root)) if root is not None else None


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
        except (OSError, ValueError):
            pass
    os._exit(code)


# The command line's words, which stderr lines may echo (``_safe``).
_ARGV: tuple[str, ...] = ()


def _safe(text: str) -> str:
    """``text`` fit for stderr: one line, escaped, its secrets masked (``_redact.safe_line``)."""
    from ._redact import safe_line

    return safe_line(text, values=_ARGV)


def _say(text: str) -> None:
    """Write one message to stderr; every stderr line of the tool goes through here."""
    print(_safe(text), file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; return the exit code. Never lets a traceback out."""
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
        _say(f"req-hashlint: error: {exc}")
        return EXIT_ERROR
    except KeyboardInterrupt:
        _say("req-hashlint: interrupted")
        return 130
    except BrokenPipeError:
        # Silence the flush at exit: the reader of our output has gone away.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_ERROR
    except RecursionError:
        _say("req-hashlint: error: input nested too deeply")
        return EXIT_ERROR
    except MemoryError:
        _say("req-hashlint: error: out of memory")
        return EXIT_ERROR
    except Exception as exc:  # a bug: still one line, never a traceback
        _say(
            f"req-hashlint: internal error: {type(exc).__name__}: {exc} "
            "(please report it with the input that caused it)"
        )
        return EXIT_ERROR
    finally:
        git = sys.modules.get("req_hashlint._git")
        if git is not None:
            git.disarm()


def _main(argv: Sequence[str] | None) -> int:
    args: argparse.Namespace | SimpleNamespace | None = _quick_args(sys.argv[1:] if argv is None else argv)
    if args is None:
        try:
            args = _parser().parse_args(argv)
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else EXIT_ERROR
            return EXIT_CLEAN if code == 0 else EXIT_ERROR

    if args.explain:
        sys.stdout.write(_explain(args.explain))
        return EXIT_CLEAN
    if args.list_rules:
        sys.stdout.write(_list_rules())
        return EXIT_CLEAN
    listing = _start_listing() if not args.paths else None

    from . import _config, _source
    from ._engine import Target, enabled_rules, lint
    from ._git import find_root
    from ._source import MAX_FILE_BYTES, ReadError, decode

    try:
        cwd = os.getcwd()
    except OSError as exc:  # the working directory was deleted under us
        raise UsageError(f"cannot use the working directory: {exc.strerror or exc}") from None
    root = find_root(cwd)
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

    targets: list[Target] = []
    if not args.paths:
        for path in _discover(cwd, root, cfg.files, cfg.exclude, listing=listing):
            targets.append(Target(path, _display(path, cwd)))
    for raw in args.paths:
        if raw == "-":
            name = args.stdin_filename or "-"
            abspath = os.path.abspath(args.stdin_filename) if args.stdin_filename else os.path.join(cwd, "<stdin>")
            data = sys.stdin.buffer.read(MAX_FILE_BYTES + 1)
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
        if os.path.isdir(raw):
            for path in _discover(cwd, find_root(raw), cfg.files, cfg.exclude, under=raw):
                targets.append(Target(path, _display(path, cwd)))
            continue
        targets.append(Target(os.path.abspath(raw), os.path.normpath(raw)))

    stdin_paths = {t.abspath for t in targets if t.text is not None}

    def boundary(abspath: str) -> str:
        if abspath in stdin_paths:
            # stdin's includes stay inside the working directory's repository, wherever
            # --stdin-filename says it lives
            return find_root(cwd) or cwd
        r = find_root(os.path.dirname(abspath))
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
            _diff.sides_for(base=args.base, config_base=cfg.base, staged=args.staged, environ=os.environ)
            if targets and (diff or args.staged)
            else None
        )
        with sides or _diff.Sides():
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

    from .reporters import Report, render
    from .rules import RULES

    out_stream = sys.stdout
    color = args.format == "text" and args.output is None and _use_color(args.color, out_stream)
    report = Report(tuple(result.findings), RULES, result.files_checked, __version__, color=color)
    text = render(args.format, report)
    if args.output:
        try:
            with open(args.output, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(text)
        except OSError as exc:
            raise UsageError(f"{args.output}: cannot write: {exc.strerror or exc}") from None
    else:
        out_stream.write(text)
        out_stream.flush()
    if not args.quiet and args.format == "text":
        from .reporters.text import summary

        _say(summary(report))

    if args.exit_zero:
        return EXIT_CLEAN
    failing = any(not f.suppressed and f.severity >= fail_on for f in result.findings)
    return EXIT_FINDINGS if failing else EXIT_CLEAN
