"""The server's positions and edits, in-process: spans (code points) to the client's unit, and the one
TextEdit that turns a buffer into its fixed text, CRLF kept whole."""

from __future__ import annotations

import pytest

pytest.importorskip("lsprotocol")

from lsprotocol import types as lsp

from req_hashlint._model import Span
from req_hashlint._server import Lines, text_edit


def apply(text: str, edit: lsp.TextEdit) -> str:
    """As a UTF-16 client applies it: lines end at CRLF or LF, columns count UTF-16 units."""
    starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]

    def offset(p: lsp.Position) -> int:
        line = text[starts[p.line] :].split("\n", 1)[0].removesuffix("\r")
        return starts[p.line] + len(line.encode("utf-16-le")[: 2 * p.character].decode("utf-16-le"))

    return text[: offset(edit.range.start)] + edit.new_text + text[offset(edit.range.end) :]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("a==1 --hash=sha256:AB\r\nb==2\r\n", "a==1 --hash=sha256:ab\r\nb==2\r\n"),
        ("a==1 \\\r\n  --hash=x\r\nb\r\n", "a==1\r\nb\r\n"),  # a line removed: the CRLF goes whole
        ("x\r\ny\r\n", "x\r\nz\r\ny\r\n"),  # a line added after a CRLF
        ("🐍 a==1 --hash=sha256:AB\n", "🐍 a==1 --hash=sha256:ab\n"),
        ("same\n", "same\n"),
    ],
)
def test_one_edit_turns_the_buffer_into_the_fixed_text(old: str, new: str) -> None:
    edit = text_edit(old, new, Lines(old, "utf-16"))
    assert apply(old, edit) == new


def test_spans_to_each_unit() -> None:
    text = "é🐍x==1\r\n"
    span = Span(1, 3, 1, 4)  # the x
    assert [Lines(text, enc).range(span).start.character for enc in ("utf-32", "utf-16", "utf-8")] == [2, 3, 6]
    assert Lines(text, "utf-16").range(Span(1, 1, 1, 99)).end.character == 7  # clamped before the CR
