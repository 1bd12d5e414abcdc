"""RH901 unreadable-file: a root file that cannot be read or decoded, at 1:1."""

from __future__ import annotations

import codecs

import pytest

from ..conftest import H1
from .conftest import LintFn


@pytest.mark.parametrize(
    ("data", "why"),
    [
        (b"six==1.16.0\x00\n", "binary"),
        (b"six==1.16.0  # caf\xe9\n", "not valid UTF-8"),
        (b"# -*- coding: nope -*-\nsix\n", "unknown encoding"),
        (codecs.BOM_UTF16_LE + b"\x00\xd8", "utf-16"),  # a lone surrogate
    ],
)
def test_fires(lint_text: LintFn, data: bytes, why: str) -> None:
    r = lint_text(files={"requirements.txt": data})
    assert r.codes() == ["RH901"]
    assert r.at("RH901") == [(1, 1)]
    assert why in r.one("RH901").message


def test_directory(lint_text: LintFn) -> None:
    r = lint_text(files={"requirements.txt/x": ""})
    assert r.codes() == ["RH901"]
    assert "directory" in r.one("RH901").message


@pytest.mark.parametrize(
    "data",
    [
        codecs.BOM_UTF8 + f"six==1.16.0 --hash=sha256:{H1}\n".encode(),
        codecs.BOM_UTF16_LE + f"six==1.16.0 --hash=sha256:{H1}\n".encode("utf-16-le"),
        f"# -*- coding: latin-1 -*-\nsix==1.16.0 --hash=sha256:{H1}  # caf\xe9\n".encode("latin-1"),
        f"#!/not/a/script\n# vim: set fileencoding=cp1252 :\nsix==1.16.0 --hash=sha256:{H1} # \u20ac\n".encode(
            "cp1252"
        ),
    ],
)
def test_bom_and_coding_lines_decode(lint_text: LintFn, data: bytes) -> None:
    assert lint_text(files={"requirements.txt": data}).codes() == []


def test_bom_does_not_shift_columns(lint_text: LintFn) -> None:
    r = lint_text(files={"requirements.txt": codecs.BOM_UTF8 + b"six>=1\n"})
    assert r.at("RH001") == [(1, 1)]


def test_coding_line_on_line_three_is_ignored(lint_text: LintFn) -> None:
    data = "# a\n# b\n# -*- coding: latin-1 -*-\nsix  # caf\xe9\n".encode("latin-1")
    assert lint_text(files={"requirements.txt": data}).codes() == ["RH901"]
