"""One invocation of the command, from its parsed arguments to its exit code.

A ``Run`` owns what the invocation holds: the settings (config, then the command line), the
files to lint, and the git processes it starts (``roots``: repository lookups and listings;
``sides``: the base's ``cat-file``), which it closes when it ends, whatever happens.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

from . import __version__
from ._config import Config
from ._git import Roots
from ._output import UsageError, err, in_dot_git, read_stdin, use_color, write_report, write_stdout

if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable, Iterable, Mapping

    from ._diff import Sides
    from ._engine import Result, Target
    from ._graph import Graph, Node
    from ._model import Finding
    from .index._environments import Environment
    from .index._model import Evidence

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
MATCH_CPU_SECONDS = 3.0  # of CPU time for matching `files`/`exclude` against the repository's paths


class _TooSlow(Exception):
    pass


class Run:
    def __init__(self, args: argparse.Namespace, argv: tuple[str, ...], cwd: str, roots: Roots) -> None:
        self.args = args
        self.argv = argv  # the command line's words: a stderr line that echoes one masks it
        self.cwd = cwd
        self.roots = roots
        self.root: str | None = None  # the repository holding the working directory
        self.config = Config()  # the settings in effect: the command line wins
        self.targets: list[Target] = []
        self.stdin_path: str | None = None  # the path stdin's text stands for
        self.sides: Sides | None = None
        self.served: tuple[frozenset[str], Evidence] | None = None  # the projects asked about, and the answers

    @classmethod
    def start(cls, args: argparse.Namespace, argv: tuple[str, ...]) -> Run:
        """Ask git for the repository (and its files) first: git works while the rest is imported."""
        roots = Roots()
        try:
            cwd = os.getcwd()
        except OSError as exc:  # the working directory was deleted under us
            raise UsageError(f"cannot use the working directory: {exc.strerror or exc}") from None
        roots.start(cwd, listing=not args.paths)
        return cls(args, argv, cwd, roots)

    def execute(self) -> int:
        from ._diff import BaseError
        from ._git import GitError
        from ._model import Severity

        args = self.args
        fixing = args.fix or args.diff
        changed: dict[str, tuple[str, str]] = {}
        try:
            self.configure()
            if fixing:
                self.check_fixing()
            self.collect()
            if fixing:
                result, changed = self.fix()
            else:
                result = self.lint()
            if not args.diff:
                self.report(result)
        except (GitError, BaseError) as exc:  # git refused, failed or hung; no such base
            raise UsageError(str(exc)) from None
        finally:
            if self.sides is not None:
                self.sides.close()
            self.roots.close()
        if args.diff:
            return EXIT_FINDINGS if changed else EXIT_CLEAN
        if changed and self.argv[:1] == ("--pre-commit",):  # pre-commit's fixer convention: add them again
            return EXIT_FINDINGS
        fail_on = Severity.parse(self.config.fail_on)
        failing = any(not f.suppressed and f.severity >= fail_on for f in result.findings)
        return EXIT_FINDINGS if failing and not args.exit_zero else EXIT_CLEAN

    def warn(self, message: str) -> None:
        err(f"req-hashlint: warning: {message}", self.argv)

    def configure(self) -> None:
        """The config file's settings (never read from above the repository), then the command line's."""
        from ._config import ConfigError, load, validate_codes

        args = self.args
        self.root = self.roots.find(self.cwd)
        try:
            cfg = load(args.config, cwd=self.cwd, stop=self.root or self.cwd, enabled=not args.no_config)
            if args.select:  # an explicit --select starts over, without the config's ignore
                cfg.select, cfg.ignore = validate_codes("--select", "select", _split_codes(args.select)), []
            if args.ignore:
                cfg.ignore = [*cfg.ignore, *validate_codes("--ignore", "ignore", _split_codes(args.ignore))]
        except ConfigError as exc:
            raise UsageError(str(exc)) from None
        cfg.fail_on = args.fail_on or cfg.fail_on
        cfg.require_hashes = args.require_hashes or cfg.require_hashes
        cfg.index = args.index or cfg.index
        self.config = cfg
        for warning in cfg.warnings:
            self.warn(warning)
        idle = [f for f, v in (("--index-url", args.index_url), ("--extra-index-url", args.extra_index_url),
                               ("--refresh", args.refresh)) if v]  # fmt: skip
        if idle and not cfg.index:
            what = " and ".join(idle)
            self.warn(f"{what} {'does' if len(idle) == 1 else 'do'} nothing without --index (or `index = true`)")

    def collect(self) -> None:
        """The files to lint: the paths given (``-``: stdin), else the repository's matching ``files``."""
        from ._engine import Target

        args = self.args
        if args.stdin_filename and "-" not in args.paths:
            raise UsageError("--stdin-filename names stdin, which is read only when `-` is among the paths")
        if not args.paths:
            self.targets = self._discover(self.root)
        for raw in args.paths:
            if raw == "-":
                self.targets.append(self._stdin())
            elif not os.path.lexists(raw):
                raise UsageError(f"{raw}: no such file or directory")
            elif in_dot_git(os.path.abspath(raw)):  # a symlink into .git is RH901, as in the graph
                raise UsageError(f"{raw}: inside a .git directory, which is never read (git keeps credentials there)")
            elif os.path.isdir(raw):
                self.targets += self._discover(self.roots.find(raw), under=raw)
            else:
                self.targets.append(Target(os.path.abspath(raw), os.path.normpath(raw)))

    def _stdin(self) -> Target:
        from ._engine import Target
        from ._source import MAX_FILE_BYTES, ReadError, decode

        name = self.args.stdin_filename
        data = read_stdin(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:
            raise UsageError(f"stdin: larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB; not a requirements file")
        try:
            text = decode(data)
        except ReadError as exc:
            raise UsageError(f"stdin: {exc}") from None
        self.stdin_path = os.path.abspath(name) if name else os.path.join(self.cwd, "<stdin>")
        return Target(self.stdin_path, name or "-", text)

    def _discover(self, root: str | None, under: str | None = None) -> list[Target]:
        """``files``/``exclude`` matched against the paths, stopped after ``MATCH_CPU_SECONDS`` of
        CPU time (a polynomial blow-up such as ``.*.*.*x``, which the config check lets by). The
        CPU timer (SIGVTALRM, POSIX main thread only) is restored when matching ends."""
        import signal

        from . import _discover
        from ._engine import Target

        cfg = self.config

        def match() -> list[Target]:
            found = _discover.discover(self.cwd, root, cfg.files, cfg.exclude, under=under, roots=self.roots)
            return [Target(p, _discover.display(p, self.cwd)) for p in found]

        try:
            previous = signal.signal(signal.SIGVTALRM, _too_slow)
        except (ValueError, AttributeError):  # not the main thread; no such signal (Windows)
            return match()
        try:
            signal.setitimer(signal.ITIMER_VIRTUAL, MATCH_CPU_SECONDS)
            return match()
        except _TooSlow:
            which = "`files` or `exclude`" if cfg.exclude else "`files`"
            raise UsageError(
                f"{which} took more than {MATCH_CPU_SECONDS:g} s to match the repository's paths "
                "(a pattern that backtracks, such as `.*.*.*x`); simplify it"
            ) from None
        finally:
            signal.setitimer(signal.ITIMER_VIRTUAL, 0)
            signal.signal(signal.SIGVTALRM, signal.SIG_DFL if previous is None else previous)

    def boundary(self, abspath: str) -> str:
        """The directory ``abspath``'s includes may not leave: its repository, else the working
        directory (or its own outside that). Stdin's: the working directory's repository."""
        if abspath == self.stdin_path:
            return self.root or self.cwd
        root = self.roots.find(os.path.dirname(abspath))
        if root is not None:
            return root
        return self.cwd if abspath.startswith(os.path.join(self.cwd, "")) else os.path.dirname(abspath)

    def lint(self, texts: Mapping[str, str] | None = None) -> Result:
        """Lint the targets (``texts``: abspath -> the text to read instead of the file's, for ``--fix``)."""
        from ._diff import sides_for
        from ._engine import enabled_rules, lint
        from ._source import read_path

        args, cfg = self.args, self.config
        rules = enabled_rules(cfg.select, cfg.ignore, diff=not args.no_base, index=cfg.index)
        diff = any(r.diff for r in rules)
        index = any(r.evidence for r in rules)
        environments = self.environments() if index else None
        if self.targets and (diff or args.staged) and self.sides is None:
            self.sides = sides_for(
                base=args.base, config_base=cfg.base, staged=args.staged, environ=os.environ, roots=self.roots
            )
            if self.root is not None and any(t.abspath.startswith(self.root + os.sep) for t in self.targets):
                self.sides.start(self.root)  # git resolves the base while the files are read and lexed
        sides = self.sides
        reader: Callable[[str], str] = sides.read_new if sides is not None else read_path
        targets = self.targets
        if texts:
            targets = [t._replace(text=texts[t.abspath]) if t.abspath in texts else t for t in targets]
            reader = _overlay(reader, texts, sides)
        return lint(
            targets,
            rules=rules,
            boundary=self.boundary,
            require_hashes=cfg.require_hashes,
            per_file_ignores=cfg.per_file_ignores,
            reader=reader,
            base=sides.load if sides is not None and diff else None,
            evidence=self.evidence_once if index else None,
            environments=environments,
        )

    def evidence_once(self, graph: Graph) -> Evidence:
        """The index is asked once per run, unless a fix makes pip read a project it did not (``--fix``
        lints again: most fixes change hashes, not which projects are pinned)."""
        keys = frozenset(e.key for n in graph.nodes.values() if n.file is not None for e in n.file.entries if e.key)
        if self.served is None or not keys <= self.served[0]:
            self.served = (keys, self.evidence(graph))
        return self.served[1]

    # -- ``--fix`` and ``--diff`` ------------------------------------------------------------------
    def check_fixing(self) -> None:
        args = self.args
        if args.fix and not args.diff and "-" in args.paths:
            raise UsageError("--fix cannot write to stdin; use --diff to see the fixes")
        if args.staged or (os.environ.get("PRE_COMMIT_FROM_REF") and os.environ.get("PRE_COMMIT_TO_REF")):
            what = "--staged" if args.staged else "a pre-push run"
            raise UsageError(f"--fix and --diff change the working tree's files; they cannot be used with {what}")

    def fix(self) -> tuple[Result, dict[str, tuple[str, str]]]:
        """Lint, apply the findings' fixes to each file it may change, lint again, while fixes apply (a fix
        can make room for another). Returns the last result and each changed file's text before and after;
        ``--fix`` writes them, ``--diff`` prints them."""
        from ._fix import fix_rounds

        first: dict[str, tuple[str, bytes, str] | None] = {}  # abspath -> (text, BOM, encoding) as read
        result = self.lint()
        shown: dict[str, Node] = {}

        def where(f: Finding) -> tuple[str, str] | None:
            if not shown:
                shown.update((n.display, n) for n in result.graph.nodes.values() if n.file is not None)
            node = shown.get(f.path)
            if node is None:
                return None
            if node.abspath not in first:
                first[node.abspath] = self.fixable(node)
            read = first[node.abspath]
            return None if read is None else (node.abspath, read[0])

        def relint(texts: dict[str, str]) -> list[Finding]:
            nonlocal result
            result = self.lint(texts)
            shown.clear()
            return result.findings

        texts, count = fix_rounds(result.findings, where, relint)
        first_read = {a: r for a, r in first.items() if r is not None}
        changed = {a: (first_read[a][0], t) for a, t in texts.items() if t != first_read[a][0]}
        if self.args.diff:
            self.print_diff(result, changed)
        else:
            self.write_fixed(result, {a: first_read[a] for a in changed}, texts)
        if changed and not self.args.quiet:
            from .rules._base import plural

            did = "would fix" if self.args.diff else "fixed"
            err(f"req-hashlint: {did} {plural(count, 'problem')} in {plural(len(changed), 'file')}", self.argv)
        return result, changed

    def fixable(self, node: Node) -> tuple[str, bytes, str] | None:
        """The file's text, BOM and encoding, when ``--fix`` may change it: a regular file under its
        boundary (the repository), reached through no symlink, whose text is the one linted; stdin only
        with ``--diff``."""
        import stat

        from ._source import MAX_FILE_BYTES, ReadError, decode, encoding_of

        assert node.file is not None
        if node.abspath == self.stdin_path:
            given = next((t.text for t in self.targets if t.abspath == node.abspath), None)
            return (given, b"", "utf-8") if given is not None and self.args.diff else None
        top = self.boundary(node.abspath)
        rel = os.path.relpath(node.abspath, top)
        if rel == os.pardir or rel.startswith(os.pardir + os.sep) or os.path.isabs(rel):
            return None
        at = top
        for part in rel.split(os.sep):
            at = os.path.join(at, part)
            if os.path.islink(at):
                return None
        try:  # (never blocking on a FIFO put there since, never following a symlink put there since)
            fd = os.open(node.abspath, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0))
            try:
                data = os.read(fd, MAX_FILE_BYTES + 1) if stat.S_ISREG(os.fstat(fd).st_mode) else b""
            finally:
                os.close(fd)
            text = decode(data)
        except (OSError, ReadError):
            return None
        if text.replace("\r\n", "\n") != node.file.text:  # changed since it was linted
            return None
        return (text, *encoding_of(data)[:2])

    def print_diff(self, result: Result, changed: dict[str, tuple[str, str]]) -> None:
        from ._fix import unified

        rel = {n.abspath: n.rel or n.display for n in result.graph.nodes.values()}
        write_stdout("".join(unified(rel.get(a, a).replace(os.sep, "/"), *changed[a]) for a in sorted(changed)))

    def write_fixed(self, result: Result, files: dict[str, tuple[str, bytes, str]], texts: dict[str, str]) -> None:
        """Each fixed file, written atomically in its own encoding, BOM and line ends (kept by the edits)."""
        from ._fix import encode, write_atomically
        from ._source import ReadError, decode

        shown = {n.abspath: n.display for n in result.graph.nodes.values()}
        for abspath, (_, bom, encoding) in sorted(files.items()):
            where = shown.get(abspath, abspath)
            try:
                data = encode(texts[abspath], bom, encoding)
                if decode(data) != texts[abspath]:
                    raise ValueError
            except (ValueError, ReadError):  # (UnicodeError is a ValueError)
                self.warn(f"{where}: its fixes cannot be written in its encoding ({encoding}); left as it was")
                continue
            try:
                write_atomically(abspath, data)
            except OSError as exc:
                raise UsageError(f"{where}: cannot write the fixes: {exc.strerror or exc}") from None

    # -- index evidence (``--index``): nothing here runs, or is imported, without it --------------
    def environments(self) -> tuple[Environment, ...]:
        """The index rules' target environments: config ``environments`` (PEP 508 markers), over
        CPython versions the root project's ``requires-python`` admits."""
        from .index._environments import default_environments, select_environments

        cfg = self.config
        requires_python = self._requires_python()
        where = cfg.source or "config"
        try:
            if cfg.environments is None:
                return default_environments(requires_python)
            chosen = select_environments(cfg.environments, requires_python)
        except ValueError as exc:
            raise UsageError(f"{where}: `environments`: {exc}") from None
        if not chosen:
            raise UsageError(
                f"{where}: `environments` selects none of the target environments "
                "(CPython 3.10-3.14 on Linux, macOS and Windows, within the project's requires-python)"
            )
        return chosen

    def _requires_python(self) -> str | None:
        """``[project] requires-python`` of the repository root's pyproject.toml (an invalid one
        is warned about and left out)."""
        from ._config import ConfigError, _toml_load

        path = os.path.join(self.root or self.cwd, "pyproject.toml")
        if not os.path.isfile(path):
            return None
        try:
            project = _toml_load(path, "pyproject.toml").get("project")
        except ConfigError:
            return None  # (its own tools report it)
        value = project.get("requires-python") if isinstance(project, dict) else None
        if not isinstance(value, str):
            return None
        from packaging.specifiers import InvalidSpecifier, SpecifierSet

        try:
            SpecifierSet(value)
        except InvalidSpecifier:
            self.warn(f"pyproject.toml: requires-python {value!r} is not a version specifier; it is not used")
            return None
        return value

    def evidence(self, graph: Graph) -> Evidence:
        """Ask the indexes pip would ask about every project pinned to one version, once for all
        root files; whatever goes wrong becomes an RH903 per project, never a crash."""
        from ._redact import redact
        from .index import _sources
        from .index._model import Cause, Evidence, Metadata, Page, ServedFile, Unavailable

        args, cfg = self.args, self.config
        env = os.environ
        begin = _sources.start(
            index_url=args.index_url,
            extra_index_urls=args.extra_index_url,
            config_index_url=_sources.expand(cfg.index_url, env) if cfg.index_url else None,
            config_extra_index_urls=None
            if cfg.extra_index_url is None
            else [_sources.expand(u, env) for u in cfg.extra_index_url],
            environ=env,
        )
        plan = _sources.plan(graph, begin, env)
        pages: dict[tuple[str, str], Page | Unavailable] = {}
        for key, (cause, detail, projects) in plan.unverifiable.items():
            for project in projects:
                pages[(key, project)] = Unavailable(project, cause, detail)
        answers: dict[tuple[tuple[str, ...], str], Page | Unavailable] = {}
        failure = ""
        if any(plan.wanted.values()):
            try:
                from .index._fetch import fetch

                answers = fetch(plan.wanted, cache_dir=None, refresh=args.refresh)
            except Exception as exc:  # a bug or a surprise of the network layer: RH903, never a traceback
                failure = redact(f"unexpected error while asking the index ({type(exc).__name__}: {exc})")
        for indexes, projects in plan.wanted.items():
            key = plan.keys[indexes]
            for project in projects:
                answer = answers.get((indexes, project))
                pages[(key, project)] = answer or Unavailable(
                    project, Cause.MALFORMED, failure or "the index gave no answer for it"
                )
        lists = {key: urls for urls, key in plan.keys.items()}

        def metadata(wanted: Iterable[tuple[str, str, ServedFile]]) -> Mapping[str, Metadata | Unavailable]:
            asked = list(wanted)
            try:
                from .index._metadata import load

                return load(asked, lists, cache_dir=None)
            except Exception as exc:  # a bug or a surprise of the network layer: RH903, never a traceback
                why = redact(f"unexpected error while asking the index ({type(exc).__name__}: {exc})")
                return {f.url: Unavailable(project, Cause.MALFORMED, why) for _, project, f in asked}

        return Evidence(pages, plan.source_of, metadata, plan.lock_source)

    def report(self, result: Result) -> None:
        from .reporters import Report, render
        from .rules import RULES

        args, cfg = self.args, self.config
        if result.files_checked == 0:
            where = "in the paths given" if args.paths else f"matching `files` ({cfg.files})"
            self.warn(f"no requirements file found {where}; nothing was linted")
        if not args.paths:  # only a run over the whole repository can tell a pattern matches nothing
            for pattern in result.unmatched_ignores:
                self.warn(f"per-file-ignores: {pattern!r} matches no file of this run, so it ignores nothing")
        color = args.format == "text" and args.output is None and use_color(args.color, sys.stdout)
        report = Report(tuple(result.findings), RULES, result.files_checked, __version__, color=color)
        text = render(args.format, report)
        if args.output:
            read = [n.abspath for n in result.graph.nodes.values()]
            if cfg.source is not None:
                read.append(os.path.join(self.cwd, cfg.source))
            write_report(
                args.output, text.encode("utf-8", "backslashreplace"), top=self.root or self.cwd, protected=read
            )
        else:
            write_stdout(text)
        if not args.quiet and args.format == "text":
            from .reporters.text import summary

            err(summary(report), self.argv)


def _overlay(reader: Callable[[str], str], texts: Mapping[str, str], sides: Sides | None) -> Callable[[str], str]:
    """``reader``, but the fixed text of a file ``--fix`` has changed (the diff rules compare that one too)."""

    def read(abspath: str) -> str:
        text = reader(abspath)
        if abspath in texts:
            text = texts[abspath]
            if sides is not None:
                sides._texts[abspath] = text
        return text

    return read


def _split_codes(values: list[str]) -> list[str]:
    return [c for v in values for c in v.split(",") if c.strip()]


def _too_slow(signum: int, frame: object) -> None:
    raise _TooSlow
