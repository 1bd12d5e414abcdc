"""``req-hashlint server``: the language server (LSP over stdio), on pygls (the ``server`` extra).

A buffer is linted as the command line lints that file name (a ``Run`` in the workspace folder): the
config the CLI reads there, includes read from disk, the diff rules against the git base, and the
buffer's unsaved text in place of the file's. The run is kept between keystrokes and started anew on
open and on save. Index evidence (``index = true``) is asked on open and on save only; a keystroke
re-lints offline (debounced) and keeps the last index findings. The command line never imports this.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, NamedTuple

from ._output import UsageError

if TYPE_CHECKING:
    import asyncio
    from collections.abc import Callable, Sequence
    from typing import NoReturn

    from lsprotocol import types as lsp
    from pygls.lsp.server import LanguageServer

    from ._model import Finding, Span
    from ._run import Run

DEBOUNCE_SECONDS = 0.2  # after a keystroke, before the re-lint
FIX_ALL = "source.fixAll.req-hashlint"
SOURCE = "req-hashlint"
EXTRA_MISSING = "the language server needs pygls: pip install 'req-hashlint[server]'"


def main(argv: Sequence[str]) -> int:
    """``req-hashlint server [--stdio]``: serve one editor over stdin and stdout until it exits."""
    import argparse

    class Parser(argparse.ArgumentParser):
        def error(self, message: str) -> NoReturn:
            raise UsageError(f"{message} (see req-hashlint server --help)")

    p = Parser(
        prog="req-hashlint server",
        description="Run the language server (LSP over stdin and stdout): diagnostics as you type, "
        "rule docs on hover, --fix's repairs as quick fixes. Settings come from the workspace's pyproject.toml.",
    )
    p.add_argument("--stdio", action="store_true", help="talk over stdin and stdout (the default and only transport)")
    try:
        p.parse_args(argv)
    except SystemExit as exc:  # --help
        return 0 if exc.code in (0, None) else 2
    try:
        import lsprotocol  # noqa: F401
        import pygls  # noqa: F401
    except ImportError:
        raise UsageError(EXTRA_MISSING) from None
    build().start_io()
    return 0


# -- linting one buffer, as the CLI lints that file ------------------------------------------------
class Linter:
    """Lints buffers as ``req-hashlint PATH`` run in the workspace folder lints the file. One ``Run`` is
    kept per folder between lints, so git's processes (the repository's, the base's ``cat-file``) start
    once, not on every keystroke; ``fresh`` starts a new one (config read again, the base resolved again),
    on open and on save. Thread-safe: one lint at a time."""

    __slots__ = ("args", "lock", "runs")

    def __init__(self) -> None:
        import threading

        from ._cli import _parser

        self.args = _parser().parse_args([])  # the command line's defaults
        self.lock = threading.Lock()
        self.runs: dict[str, tuple[Run, bool]] = {}  # folder -> its run, and its config's `index`

    def lint(self, path: str, text: str, cwd: str, *, index: bool = False, fresh: bool = False) -> list[Finding]:
        """The findings in ``text`` (the buffer of the file at ``path``), not suppressed; index rules only
        with ``index`` and ``index = true`` in config. Raises ``UsageError`` for a bad config, as the CLI."""
        from ._diff import BaseError
        from ._engine import Target
        from ._git import GitError, Roots
        from ._run import Run

        abspath = os.path.abspath(path)
        display = os.path.relpath(abspath, cwd) if abspath.startswith(os.path.join(cwd, "")) else abspath
        with self.lock:
            kept = self.runs.pop(cwd, None)
            if kept is not None and fresh:
                _close(kept[0])
                kept = None
            run = Run(self.args, ("server",), cwd, Roots()) if kept is None else kept[0]
            try:
                if kept is None:
                    run.roots.start(cwd, listing=False)
                    run.configure()
                    kept = (run, run.config.index)
                run.config.index = kept[1] and index
                run.targets = [Target(abspath, display, text)]
                result = run.lint({abspath: text})
            except (GitError, BaseError) as exc:  # git refused or failed; no such base: as the CLI says it
                _close(run)
                raise UsageError(str(exc)) from None
            except BaseException:
                _close(run)
                raise
            self.runs[cwd] = kept
        return [f for f in result.findings if f.path == display and not f.suppressed]

    def close(self) -> None:
        with self.lock:
            for run, _ in self.runs.values():
                _close(run)
            self.runs.clear()


def _close(run: Run) -> None:
    if run.sides is not None:
        run.sides.close()
    run.roots.close()


def fix_all(path: str, text: str, findings: list[Finding], relint: Callable[[str], list[Finding]]) -> str:
    """``text`` with every fix applied, then linted and fixed again while fixes apply, as ``--fix`` does."""
    from ._fix import fix_rounds

    texts, _ = fix_rounds(findings, lambda f: (path, text), lambda texts: relint(texts[path]))
    return texts.get(path, text)


# -- positions: spans count code points, LSP counts the negotiated unit --------------------------
class Lines:
    """A buffer's lines (split at LF, a CR before it dropped) and the client's column unit."""

    __slots__ = ("codec", "lines")

    def __init__(self, text: str, encoding: str) -> None:
        self.lines = [line[:-1] if line.endswith("\r") else line for line in text.split("\n")]
        self.codec = {"utf-8": "utf-8", "utf-16": "utf-16-le"}.get(encoding)  # None: utf-32, code points

    def position(self, line: int, column: int) -> lsp.Position:
        from lsprotocol import types as lsp

        text = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
        head = text[: max(column - 1, 0)]
        n = len(head) if self.codec is None else len(head.encode(self.codec)) // (2 if self.codec == "utf-16-le" else 1)
        return lsp.Position(line=line - 1, character=n)

    def range(self, span: Span) -> lsp.Range:
        from lsprotocol import types as lsp

        return lsp.Range(start=self.position(span.line, span.column), end=self.position(span.end_line, span.end_column))

    def offset_range(self, text: str, start: int, end: int) -> lsp.Range:
        """The range of ``text[start:end]``."""
        from lsprotocol import types as lsp

        def at(offset: int) -> lsp.Position:
            line = text.count("\n", 0, offset) + 1
            return self.position(line, offset - (text.rfind("\n", 0, offset) + 1) + 1)

        return lsp.Range(start=at(start), end=at(end))


def text_edit(old: str, new: str, lines: Lines) -> lsp.TextEdit:
    """One edit that turns ``old`` into ``new``: the span between their common head and tail (never
    splitting a CRLF)."""
    from lsprotocol import types as lsp

    limit = min(len(old), len(new))
    head = 0
    while head < limit and old[head] == new[head]:
        head += 1
    if head and old[head - 1] == "\r":
        head -= 1
    tail = 0
    while tail < limit - head and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    end = len(old) - tail
    if 0 < end < len(old) and old[end - 1] == "\r" and old[end] == "\n":
        tail -= 1
        end += 1
    return lsp.TextEdit(range=lines.offset_range(old, head, end), new_text=new[head : len(new) - tail])


# -- the server ------------------------------------------------------------------------------------
class Linted(NamedTuple):
    version: int | None
    text: str
    findings: list[Finding]
    diagnostics: list[lsp.Diagnostic]  # one per finding, in the same order


class State:
    """What the server holds per open document: the last lint, its index findings, the pending re-lint."""

    __slots__ = ("evidence", "linted", "linter", "pending", "running")

    def __init__(self) -> None:
        self.linter = Linter()
        self.linted: dict[str, Linted] = {}
        self.evidence: dict[str, list[Finding]] = {}  # uri -> index findings of the last open or save
        self.pending: dict[str, asyncio.Task[Linted | None]] = {}  # uri -> its debounced re-lint
        self.running: set[asyncio.Task[Linted | None]] = set()  # checks on open and save


def diagnostic(finding: Finding, lines: Lines, uri: str) -> lsp.Diagnostic:
    from lsprotocol import types as lsp

    from ._model import Severity
    from .reporters.sarif import RULES_DOC

    severity = {
        Severity.ERROR: lsp.DiagnosticSeverity.Error,
        Severity.WARNING: lsp.DiagnosticSeverity.Warning,
        Severity.NOTE: lsp.DiagnosticSeverity.Information,
    }[finding.severity]
    return lsp.Diagnostic(
        range=lines.range(finding.span),
        message=finding.message,
        severity=severity,
        code=finding.code,
        code_description=lsp.CodeDescription(href=f"{RULES_DOC}#{finding.code.lower()}-{finding.name}"),
        source=SOURCE,
        related_information=[
            lsp.DiagnosticRelatedInformation(
                location=lsp.Location(uri=uri, range=lines.range(r.span)), message=r.message
            )
            for r in finding.related
        ]
        or None,
    )


def _inside(pos: lsp.Position, rng: lsp.Range) -> bool:
    at = (pos.line, pos.character)
    return (rng.start.line, rng.start.character) <= at <= (rng.end.line, rng.end.character)


def build() -> LanguageServer:
    """The language server, its features registered."""
    import asyncio

    from lsprotocol import types as lsp
    from pygls.lsp.server import LanguageServer
    from pygls.uris import to_fs_path

    from . import __version__
    from ._redact import redact
    from .rules import BY_CODE

    server = LanguageServer("req-hashlint", __version__)
    state = State()

    def log(message: str, kind: lsp.MessageType = lsp.MessageType.Error) -> None:
        server.window_log_message(lsp.LogMessageParams(type=kind, message=redact(message)))

    def where(uri: str) -> tuple[str, str] | None:
        """The file's path and the directory the CLI would run in: its workspace folder, else its own
        (None: not a file, or not one to lint)."""
        path = to_fs_path(uri)
        if path is None:
            return None
        path = os.path.abspath(path)
        name = os.path.basename(path)
        if name.endswith(".toml") and not (name.startswith("pylock.") and name.count(".") <= 2):
            return None  # TOML that is no lock (pyproject.toml): a client attached to every TOML file
        folders = [to_fs_path(f.uri) for f in server.workspace.folders.values()]
        folders.append(server.workspace.root_path)
        found = [os.path.abspath(f) for f in folders if f and path.startswith(os.path.join(os.path.abspath(f), ""))]
        return path, max(found, key=len) if found else os.path.dirname(path)

    async def relint(uri: str, *, index: bool, delay: float = 0.0) -> Linted | None:
        """Lint the document as it is now and publish its diagnostics (unless it changed meanwhile)."""
        if delay:
            await asyncio.sleep(delay)
        located = where(uri)
        if located is None:
            return None
        doc = server.workspace.get_text_document(uri)
        version, text = doc.version, doc.source
        try:
            path, cwd = located
            found = await asyncio.to_thread(state.linter.lint, path, text, cwd, index=index, fresh=index)
        except UsageError as exc:
            log(f"req-hashlint: {located[0]}: {exc}")
            return None
        except Exception as exc:  # a bug: logged, and the server goes on
            log(f"req-hashlint: internal error linting {located[0]}: {type(exc).__name__}: {exc}")
            return None
        if uri not in server.workspace.text_documents:
            return None  # closed meanwhile
        if index:
            state.evidence[uri] = [f for f in found if BY_CODE[f.code].evidence]
        else:
            found = sorted({*found, *state.evidence.get(uri, ())}, key=lambda f: f.sort_key())
        now = server.workspace.get_text_document(uri)
        if now.version != version or now.source != text:
            if index:  # typed over while the index was asked: its findings join the buffer's re-lint
                schedule(uri, index=False)
            return None  # a newer re-lint is on its way
        lines = Lines(text, encoding())
        done = Linted(version, text, found, [diagnostic(f, lines, uri) for f in found])
        state.linted[uri] = done
        server.text_document_publish_diagnostics(
            lsp.PublishDiagnosticsParams(uri=uri, diagnostics=done.diagnostics, version=version)
        )
        return done

    def schedule(uri: str, *, index: bool, delay: float = 0.0) -> None:
        """A re-lint: it replaces the one waiting out its debounce (an index check, once started, runs on)."""
        pending = state.pending.pop(uri, None)
        if pending is not None:
            pending.cancel()
        task = asyncio.ensure_future(relint(uri, index=index, delay=delay))
        if index:
            state.running.add(task)
            task.add_done_callback(state.running.discard)
        else:
            state.pending[uri] = task
            task.add_done_callback(lambda t: state.pending.pop(uri, None) if state.pending.get(uri) is t else None)

    def encoding() -> str:
        """The client's column unit, as negotiated (UTF-16 unless it asked for another)."""
        chosen = server.workspace.position_encoding
        return str(getattr(chosen, "value", chosen) or "utf-16")

    async def current(uri: str) -> Linted | None:
        """The last lint, when it is of the text in the buffer now; else a lint now (offline)."""
        doc = server.workspace.get_text_document(uri)
        done = state.linted.get(uri)
        if done is not None and done.text == doc.source:
            return done
        return await relint(uri, index=False)

    @server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    def did_open(params: lsp.DidOpenTextDocumentParams) -> None:
        schedule(params.text_document.uri, index=True)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(params: lsp.DidChangeTextDocumentParams) -> None:
        schedule(params.text_document.uri, index=False, delay=DEBOUNCE_SECONDS)

    @server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
    def did_save(params: lsp.DidSaveTextDocumentParams) -> None:
        schedule(params.text_document.uri, index=True)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(params: lsp.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        pending = state.pending.pop(uri, None)
        if pending is not None:
            pending.cancel()
        state.linted.pop(uri, None)
        state.evidence.pop(uri, None)
        server.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    @server.feature(lsp.SHUTDOWN)
    def shutdown(params: None) -> None:
        state.linter.close()

    @server.feature(lsp.TEXT_DOCUMENT_HOVER)
    async def hover(params: lsp.HoverParams) -> lsp.Hover | None:
        from ._cli import _explain

        done = await current(params.text_document.uri)
        if done is None:
            return None
        hits = [
            (f, d) for f, d in zip(done.findings, done.diagnostics, strict=True) if _inside(params.position, d.range)
        ]
        if not hits:
            return None
        docs = "\n\n---\n\n".join(dict.fromkeys(f"# {_explain(f.code)}" for f, _ in hits))
        return lsp.Hover(contents=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value=docs), range=hits[0][1].range)

    @server.feature(
        lsp.TEXT_DOCUMENT_CODE_ACTION, lsp.CodeActionOptions(code_action_kinds=[lsp.CodeActionKind.QuickFix, FIX_ALL])
    )
    async def code_action(params: lsp.CodeActionParams) -> list[lsp.CodeAction] | None:
        from ._fix import fix_text

        uri = params.text_document.uri
        done, located = await current(uri), where(uri)
        if done is None or located is None:
            return None
        only = params.context.only
        lines = Lines(done.text, encoding())
        wanted = (params.range.start, params.range.end)
        actions: list[lsp.CodeAction] = []
        if not only or any(lsp.CodeActionKind.QuickFix.startswith(k) for k in only):
            for f, d in zip(done.findings, done.diagnostics, strict=True):
                if f.fix is None or not (
                    _inside(wanted[0], d.range) or _inside(d.range.start, lsp.Range(start=wanted[0], end=wanted[1]))
                ):
                    continue
                new, applied = fix_text(done.text, located[0], [f.fix])
                if applied:
                    edit = lsp.WorkspaceEdit(changes={uri: [text_edit(done.text, new, lines)]})
                    title = f"{f.code}: {f.fix.description}"
                    kind = lsp.CodeActionKind.QuickFix
                    actions.append(lsp.CodeAction(title=title, kind=kind, diagnostics=[d], edit=edit))
        if any(f.fix is not None for f in done.findings) and (not only or any(FIX_ALL.startswith(k) for k in only)):
            try:
                path, cwd = located
                new = await asyncio.to_thread(
                    fix_all, path, done.text, done.findings, lambda text: state.linter.lint(path, text, cwd)
                )
            except Exception as exc:  # a bug, or the config went bad meanwhile: no fix-all, the server goes on
                log(f"req-hashlint: fix all in {located[0]}: {type(exc).__name__}: {exc}")
                new = done.text
            if new != done.text:
                edit = lsp.WorkspaceEdit(changes={uri: [text_edit(done.text, new, lines)]})
                actions.append(lsp.CodeAction(title="req-hashlint: fix all in this file", kind=FIX_ALL, edit=edit))
        return actions

    return server
