"""The ``req-hashlint`` command: its arguments, and ``main(argv) -> int``."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from . import __version__
from ._output import UsageError, err, silence_stdout, standard_streams, write_stdout

if TYPE_CHECKING:
    import argparse
    from typing import Any, NoReturn

COLORS = ("auto", "always", "never")
PRE_COMMIT_FLAG = "--pre-commit"


def _options() -> list[tuple[list[str], dict[str, Any]]]:
    """Every option: its flags and ``add_argument``'s keywords (``exclusive``: in the group of
    options that exclude each other). The one table the parser and ``_hook_argv`` read."""
    from ._config import FAIL_ON, REQUIRE_HASHES
    from .reporters import REPORTERS

    flag, codes = {"action": "store_true"}, {"action": "append", "default": [], "metavar": "CODES"}
    rows: list[tuple[str, dict[str, Any], str]] = [
        ("--select", codes, "comma-separated rule codes (prefixes) or names to enable"),
        ("--ignore", codes, "comma-separated rule codes (prefixes) or names to disable"),
        ("--fail-on", {"choices": FAIL_ON}, "lowest severity that makes the exit code 1 (default: warning)"),
        ("--exit-zero", flag, "exit 0 even when there are findings (for upload jobs)"),
        (
            "--require-hashes",
            {"choices": REQUIRE_HASHES},
            "'always': every requirement needs a hash (default); 'when-any': only when pip's hash mode is on",
        ),
        (
            "--base",
            {"metavar": "REV", "exclusive": True},
            "git revision to compare each file with for stale hashes (default: HEAD; pre-push: the from-ref)",
        ),
        ("--no-base", {**flag, "exclusive": True}, "turn the diff rules (RH101-RH104, RH902) off"),
        ("--staged", flag, "lint the files as staged in the git index"),
        (
            "--index",
            flag,
            "check each pinned hash against the files the index serves (asks the index; never downloads an artifact)",
        ),
        ("--index-url", {"metavar": "URL"}, "the index pip starts from (default: config, PIP_INDEX_URL, else PyPI)"),
        (
            "--extra-index-url",
            {"action": "append", "default": [], "metavar": "URL"},
            "another index pip asks (repeatable; default: config, else PIP_EXTRA_INDEX_URL)",
        ),
        ("--refresh", flag, "with --index: ask the index again instead of using cached pages"),
        ("--fix", flag, "repair what is mechanical in the files linted, then report what remains"),
        ("--diff", flag, "print the --fix changes as a unified diff and write nothing (exit 1 when there are any)"),
        ("--format", {"choices": sorted(REPORTERS), "default": "text"}, "output format (default: text)"),
        ("--output -o", {"metavar": "FILE"}, "write the report to FILE instead of stdout"),
        ("--config", {"metavar": "PATH"}, "read settings from this TOML file"),
        ("--no-config", flag, "ignore every config file"),
        ("--stdin-filename", {"metavar": "PATH"}, "the name to give stdin; its relative includes are read next to it"),
        ("--explain", {"metavar": "RULE"}, "print a rule's documentation and exit"),
        ("--list-rules", flag, "list every rule and exit"),
        ("--quiet -q", flag, "print findings only, no summary"),
        ("--color", {"choices": COLORS, "default": "auto"}, "colored text output (default: auto; honours NO_COLOR)"),
        (
            "--version",
            {"action": "version", "version": f"req-hashlint {__version__}"},
            "show program's version number and exit",
        ),
    ]
    return [(flags.split(), {**kwargs, "help": text}) for flags, kwargs, text in rows]


def _parser() -> argparse.ArgumentParser:
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
    table = _options()
    valued = {f for flags, kw in table if kw.get("action") not in ("store_true", "version") for f in flags}
    longs = [f for flags, _ in table for f in flags if f.startswith("--")] + ["--help"]
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


def _explain(key: str) -> str:
    from ._codes import lookup
    from .rules import BY_CODE

    code = lookup(key)
    if code is None:
        raise UsageError(f"unknown rule {key!r} (see --list-rules)")
    rule = BY_CODE[code]
    sections = "".join(f"\n\n## {heading}\n{body}" for heading, body in rule.docs.sections())
    fixable = "; --fix repairs some of its findings" if rule.fixable else "; not fixed by --fix"
    return f"{rule.code} {rule.name} (default severity: {rule.severity.label}{fixable})\n\n{rule.summary}{sections}\n"


def _list_rules() -> str:
    from .rules import RULES

    width = max(len(r.name) for r in RULES)
    return "".join(f"{r.code}  {r.name:<{width}}  {r.severity.label:<7}  {r.summary}\n" for r in RULES)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; return the exit code (0 clean, 1 findings, 2 an error told in one line)."""
    words = tuple(sys.argv[1:] if argv is None else argv)  # a stderr line that echoes one masks it
    standard_streams()
    try:
        hook = words[:1] == (PRE_COMMIT_FLAG,)  # the hook's entry: file names are never options
        try:
            args = _parser().parse_args(_hook_argv(words[1:]) if hook else words)
        except SystemExit as exc:  # --help, --version
            return 0 if exc.code in (0, None) else 2
        if args.explain:
            write_stdout(_explain(args.explain))
        elif args.list_rules:
            write_stdout(_list_rules())
        else:
            from ._run import Run

            return Run.start(args, words).execute()
        return 0
    except UsageError as exc:
        err(f"req-hashlint: error: {exc}", words)
    except KeyboardInterrupt:
        err("req-hashlint: interrupted", words)
        return 130
    except BrokenPipeError:  # the reader of our output has gone away
        silence_stdout()
    except RecursionError:
        err("req-hashlint: error: input nested too deeply", words)
    except MemoryError:
        err("req-hashlint: error: out of memory", words)
    except Exception as exc:  # a bug: still one line, never a traceback
        what = f"{type(exc).__name__}: {exc}"
        err(f"req-hashlint: internal error: {what} (please report it with the input that caused it)", words)
    return 2


def run() -> None:
    """The console script and ``python -m req_hashlint``."""
    sys.exit(main())
