"""The language server as a subprocess (`python -m req_hashlint server`), driven by pytest-lsp's client
over stdio: initialize, didOpen, didChange, hover, codeAction, didSave, shutdown."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

pytest.importorskip("pygls")
pytest_asyncio = pytest.importorskip("pytest_asyncio")
pytest_lsp = pytest.importorskip("pytest_lsp")

from lsprotocol import types as lsp  # noqa: E402

from tests.conftest import H1, H2, git, git_env, write_tree  # noqa: E402

pytestmark = pytest.mark.asyncio(loop_scope="function")

UPPER = H1.upper()


def commit(repo: Path, files: dict[str, str]) -> None:
    write_tree(repo, files)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "c")


async def start(root: Path, encodings: list[lsp.PositionEncodingKind] | None = None) -> pytest_lsp.LanguageClient:
    config = pytest_lsp.ClientServerConfig(
        server_command=[sys.executable, "-m", "req_hashlint", "server"], server_env=git_env()
    )
    client = await config.start()
    general = lsp.GeneralClientCapabilities(position_encodings=encodings) if encodings else None
    await client.initialize_session(
        lsp.InitializeParams(
            capabilities=lsp.ClientCapabilities(general=general),
            root_uri=root.as_uri(),
            workspace_folders=[lsp.WorkspaceFolder(uri=root.as_uri(), name="w")],
        )
    )
    return client


@pytest_asyncio.fixture
async def client(repo: Path) -> AsyncIterator[pytest_lsp.LanguageClient]:
    commit(repo, {"README": "a HEAD for the diff rules\n"})
    c = await start(repo)
    yield c
    await c.shutdown_session()
    await c.stop()


async def diagnostics(client: pytest_lsp.LanguageClient, uri: str) -> list[lsp.Diagnostic]:
    """The next diagnostics published for ``uri``."""
    while True:
        params = await asyncio.wait_for(client.wait_for_notification(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS), 30)
        if params.uri == uri:
            return list(params.diagnostics)


def open_doc(client: pytest_lsp.LanguageClient, path: Path, text: str) -> str:
    uri = path.as_uri()
    client.text_document_did_open(
        lsp.DidOpenTextDocumentParams(
            lsp.TextDocumentItem(uri=uri, language_id="pip-requirements", version=1, text=text)
        )
    )
    return uri


def codes(found: list[lsp.Diagnostic]) -> list[tuple[str, int]]:
    return sorted((str(d.code), d.range.start.line + 1) for d in found)


async def test_diagnostics_of_the_unsaved_buffer_on_open_and_change(
    client: pytest_lsp.LanguageClient, repo: Path
) -> None:
    commit(
        repo, {"requirements.txt": f"alpha==1.0 --hash=sha256:{H1}\n", "base.txt": f"gamma==1.0 --hash=sha256:{H2}\n"}
    )
    # the file on disk is clean; the buffer's unsaved text is what is linted
    uri = open_doc(
        client, repo / "requirements.txt", f"-r base.txt\n-r missing.txt\nalpha==1.0 --hash=sha256:{H1}\nbeta==2.0\n"
    )
    found = await diagnostics(client, uri)
    # includes read from disk beside the buffer: base.txt exists, missing.txt does not
    assert codes(found) == [("RH002", 4), ("RH010", 2)]
    beta = next(d for d in found if d.code == "RH002")
    assert beta.source == "req-hashlint"
    assert beta.severity == lsp.DiagnosticSeverity.Error
    assert beta.range == lsp.Range(start=lsp.Position(line=3, character=0), end=lsp.Position(line=3, character=9))
    assert beta.code_description is not None
    assert beta.code_description.href.endswith("/docs/rules.md#rh002-missing-hash")
    assert "beta==2.0 has no --hash" in beta.message

    # one keystroke-sized change: the pin of alpha bumped (the diff rules compare with HEAD)
    client.text_document_did_change(
        lsp.DidChangeTextDocumentParams(
            text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[
                lsp.TextDocumentContentChangePartial(
                    range=lsp.Range(start=lsp.Position(line=2, character=9), end=lsp.Position(line=2, character=10)),
                    text="1",
                )
            ],
        )
    )
    found = await diagnostics(client, uri)
    assert codes(found) == [("RH002", 4), ("RH010", 2), ("RH101", 3)]

    def edit(version: int, text: str) -> None:
        client.text_document_did_change(
            lsp.DidChangeTextDocumentParams(
                text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=version),
                content_changes=[lsp.TextDocumentContentChangeWholeDocument(text=text)],
            )
        )

    # back to 1.0, then 1.1 again: the base (lexed once, kept between keystrokes) still compared
    edit(3, f"alpha==1.0 --hash=sha256:{H1}\n")
    assert codes(await diagnostics(client, uri)) == []
    bumped = f"alpha==1.1 --hash=sha256:{H1}\n"
    edit(4, bumped)
    assert codes(await diagnostics(client, uri)) == [("RH101", 1)]
    # committed: on save the base is asked again (HEAD moved), so the bump is no longer stale
    commit(repo, {"requirements.txt": bumped})
    client.text_document_did_save(lsp.DidSaveTextDocumentParams(text_document=lsp.TextDocumentIdentifier(uri=uri)))
    assert codes(await diagnostics(client, uri)) == []


async def test_config_from_the_workspace_pyproject(client: pytest_lsp.LanguageClient, repo: Path) -> None:
    commit(repo, {"pyproject.toml": '[tool.req-hashlint]\nignore = ["RH002"]\nrequire-hashes = "when-any"\n'})
    pyproject = open_doc(client, repo / "pyproject.toml", (repo / "pyproject.toml").read_text())  # not linted
    uri = open_doc(client, repo / "sub" / "requirements.txt", "beta==2.0\ndelta\n")
    assert codes(await diagnostics(client, uri)) == []  # when-any: no hash anywhere, no hash mode
    uri2 = open_doc(client, repo / "sub" / "requirements-2.txt", f"beta==2.0 --hash=sha256:{H1}\ndelta\n")
    # RH002 (delta has no hash) is ignored by the config; RH001 (delta unpinned) is not
    assert codes(await diagnostics(client, uri2)) == [("RH001", 2)]
    assert pyproject not in client.diagnostics


async def test_hover_shows_the_rule_docs(client: pytest_lsp.LanguageClient, repo: Path) -> None:
    uri = open_doc(client, repo / "requirements.txt", f"alpha==1.0 --hash=sha256:{H1}\nbeta==2.0\n")
    await diagnostics(client, uri)
    hover = await client.text_document_hover_async(
        lsp.HoverParams(text_document=lsp.TextDocumentIdentifier(uri=uri), position=lsp.Position(line=1, character=3))
    )
    assert hover is not None and isinstance(hover.contents, lsp.MarkupContent)
    assert hover.contents.kind == lsp.MarkupKind.Markdown
    assert hover.contents.value.startswith("# RH002 missing-hash (default severity: error")
    assert "## How to fix it" in hover.contents.value
    # a cause with consequences elsewhere in the file: SARIF's related locations, LSP's related information
    uri2 = open_doc(client, repo / "requirements-2.txt", f"six==1.16.0  # pinned for py2 \\\n    --hash=sha256:{H1}\n")
    (rh006,) = await diagnostics(client, uri2)
    assert rh006.code == "RH006" and rh006.related_information is not None
    (related,) = rh006.related_information
    assert related.location.uri == uri2 and related.location.range.start == lsp.Position(line=0, character=0)
    assert related.message == "pip reads this requirement without the hashes the comment swallows"
    nothing = await client.text_document_hover_async(
        lsp.HoverParams(text_document=lsp.TextDocumentIdentifier(uri=uri), position=lsp.Position(line=0, character=3))
    )
    assert nothing is None


def apply(text: str, edits: list[lsp.TextEdit]) -> str:
    """A client's application of edits (one here), UTF-16 columns."""
    lines = text.split("\n")

    def offset(p: lsp.Position) -> int:
        head = lines[p.line].encode("utf-16-le")[: 2 * p.character].decode("utf-16-le")
        return sum(len(ln) + 1 for ln in lines[: p.line]) + len(head)

    for e in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        text = text[: offset(e.range.start)] + e.new_text + text[offset(e.range.end) :]
    return text


async def test_code_actions_quick_fix_and_fix_all(client: pytest_lsp.LanguageClient, repo: Path) -> None:
    # two fixable findings (RH012 uppercase digests), a non-ASCII comment before them on the line
    text = f"alpha==1.0 --hash=sha256:{UPPER}  # é\nbeta==1.0 --hash=sha256:{H2.upper()}\n"
    uri = open_doc(client, repo / "requirements.txt", text)
    found = await diagnostics(client, uri)
    assert codes(found) == [("RH012", 1), ("RH012", 2)]
    first = next(d for d in found if d.range.start.line == 0)
    actions = await client.text_document_code_action_async(
        lsp.CodeActionParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri),
            range=first.range,
            context=lsp.CodeActionContext(diagnostics=[first]),
        )
    )
    assert actions is not None
    by_kind = {a.kind: a for a in actions if isinstance(a, lsp.CodeAction)}
    quick = by_kind[lsp.CodeActionKind.QuickFix]
    assert quick.title == "RH012: lowercase the hex digest"
    assert quick.edit is not None and quick.edit.changes is not None
    assert apply(text, list(quick.edit.changes[uri])) == text.replace(UPPER, H1)
    everything = by_kind["source.fixAll.req-hashlint"]
    assert everything.edit is not None and everything.edit.changes is not None
    assert apply(text, list(everything.edit.changes[uri])) == text.replace(UPPER, H1).replace(H2.upper(), H2)
    only = await client.text_document_code_action_async(
        lsp.CodeActionParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri),
            range=first.range,
            context=lsp.CodeActionContext(diagnostics=[], only=[lsp.CodeActionKind.SourceFixAll]),
        )
    )
    assert [a.kind for a in only or [] if isinstance(a, lsp.CodeAction)] == ["source.fixAll.req-hashlint"]


async def test_save_relints_and_bad_input_does_not_kill_the_server(
    client: pytest_lsp.LanguageClient, repo: Path
) -> None:
    path = repo / "requirements.txt"
    uri = open_doc(client, path, "alpha\n")
    assert codes(await diagnostics(client, uri)) == [("RH001", 1), ("RH002", 1)]
    # a broken config: logged, no diagnostics, the server lives on
    write_tree(repo, {"pyproject.toml": "[tool.req-hashlint]\nselect = [\n"})
    client.text_document_did_save(lsp.DidSaveTextDocumentParams(text_document=lsp.TextDocumentIdentifier(uri=uri)))
    for _ in range(100):
        if any("pyproject.toml" in m.message for m in client.log_messages):
            break
        await asyncio.sleep(0.05)
    assert any("pyproject.toml" in m.message for m in client.log_messages)
    write_tree(repo, {"pyproject.toml": '[tool.req-hashlint]\nignore = ["RH001"]\n'})
    client.text_document_did_save(lsp.DidSaveTextDocumentParams(text_document=lsp.TextDocumentIdentifier(uri=uri)))
    assert codes(await diagnostics(client, uri)) == [("RH002", 1)]
    # binary junk and a huge line: diagnostics (or none), never a dead server
    junk = open_doc(client, repo / "requirements-junk.txt", "\x00\ufffe" + "a" * 200_000 + "\n-r " + "../" * 500)
    await diagnostics(client, junk)
    assert codes(await diagnostics(client, open_doc(client, repo / "r3.txt", "beta\n"))) == [("RH002", 1)]


@pytest.mark.parametrize(
    ("encodings", "end"),
    [(None, 9), ([lsp.PositionEncodingKind.Utf32], 8), ([lsp.PositionEncodingKind.Utf8], 11)],
)
async def test_columns_in_the_unit_the_client_negotiated(
    repo: Path, encodings: list[lsp.PositionEncodingKind] | None, end: int
) -> None:
    client = await start(repo, encodings)
    try:
        uri = open_doc(client, repo / "requirements.txt", "-r 🐍.txt  # x\n")
        rh010 = next(d for d in await diagnostics(client, uri) if d.code == "RH010")
        assert rh010.range.end.character == end  # `-r 🐍.txt`: the snake is 2 UTF-16 units, 4 UTF-8 bytes
    finally:
        await client.shutdown_session()
        await client.stop()


async def test_index_checks_on_open_and_save_never_per_keystroke(repo: Path, tmp_path: Path) -> None:
    from tests.index.server import IndexServer, wheel

    a10, a11 = wheel("alpha", "1.0"), wheel("alpha", "1.1")
    env = {k: v for k, v in git_env().items() if not k.startswith("PIP_")}
    env["REQ_HASHLINT_CACHE_DIR"] = str(tmp_path / "cache")
    # no Cache-Control: every check asks the index again (a revalidation), so requests count checks
    with IndexServer({"alpha": [a10, a11]}, max_age=None) as index:
        commit(repo, {"pyproject.toml": f'[tool.req-hashlint]\nindex = true\nindex-url = "{index.url}"\n'})
        stale = f"alpha==1.1 --hash=sha256:{a10.sha256}\n"  # 1.0's hash under 1.1: only the index can tell
        (repo / "requirements.txt").write_text(stale)
        config = pytest_lsp.ClientServerConfig(
            server_command=[sys.executable, "-m", "req_hashlint", "server"], server_env=env
        )
        client = await config.start()
        try:
            await client.initialize_session(
                lsp.InitializeParams(capabilities=lsp.ClientCapabilities(), root_uri=repo.as_uri())
            )
            uri = open_doc(client, repo / "requirements.txt", stale)
            found = await diagnostics(client, uri)
            assert codes(found) == [("RH301", 1)]
            assert index.page_requests == ["/simple/alpha/"]
            # the index's fix (the hashes of 1.1's files) as a quick fix, with no further request
            actions = await client.text_document_code_action_async(
                lsp.CodeActionParams(
                    text_document=lsp.TextDocumentIdentifier(uri=uri),
                    range=found[0].range,
                    context=lsp.CodeActionContext(diagnostics=found, only=[lsp.CodeActionKind.QuickFix]),
                )
            )
            (quick,) = [a for a in actions or [] if isinstance(a, lsp.CodeAction)]
            assert quick.edit is not None and quick.edit.changes is not None
            assert apply(stale, list(quick.edit.changes[uri])) == stale.replace(a10.sha256, a11.sha256)
            assert index.page_requests == ["/simple/alpha/"]
            for version, text in enumerate([stale + "# a comment\n", stale + "# a comment, longer\n"], 2):
                client.text_document_did_change(
                    lsp.DidChangeTextDocumentParams(
                        text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=version),
                        content_changes=[lsp.TextDocumentContentChangeWholeDocument(text=text)],
                    )
                )
                # offline re-lint; the index finding of the open is kept meanwhile
                assert codes(await diagnostics(client, uri)) == [("RH301", 1)]
            assert index.page_requests == ["/simple/alpha/"]
            (repo / "requirements.txt").write_text(stale + "# a comment, longer\n")
            client.text_document_did_save(
                lsp.DidSaveTextDocumentParams(text_document=lsp.TextDocumentIdentifier(uri=uri))
            )
            assert codes(await diagnostics(client, uri)) == [("RH301", 1)]
            assert index.page_requests == ["/simple/alpha/", "/simple/alpha/"]
        finally:
            await client.shutdown_session()
            await client.stop()
