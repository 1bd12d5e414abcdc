"""RH016 dropped-requirement: an ignored `-r` or `-e`, anchored at it."""

from __future__ import annotations

import pytest

from req_hashlint._model import Severity

from ..conftest import H1
from .conftest import LintFn, pos


@pytest.mark.parametrize(
    ("text", "token"),
    [
        ("-r a.txt -r b.txt\n", "-r b.txt"),  # pip follows only the first include
        (f"delta==1.0 --hash=sha256:{H1} -r b.txt\n", "-r b.txt"),  # pip ignores -r on a requirement line
        ("-e ./a -e ./b\n", "-e ./b"),  # pip reads only the first -e
        ("delta==1.0 -e ./a\n", "-e ./a"),  # pip ignores -e on a requirement line
    ],
)
def test_an_ignored_include_or_editable(lint_text: LintFn, text: str, token: str) -> None:
    r = lint_text(text, files={"a.txt": "", "b.txt": ""}, require_hashes="when-any")
    assert r.at("RH016") == [pos(text, token)]
    assert r.at("RH009") == []
    f = r.one("RH016")
    assert f.severity is Severity.ERROR
    assert "never installs" in f.message


def test_an_ignored_constraints_file_is_rh009(lint_text: LintFn) -> None:
    text = "-r a.txt -c b.txt\n"
    r = lint_text(text, files={"a.txt": "", "b.txt": ""})
    assert r.at("RH016") == []
    assert r.at("RH009") == [pos(text, "-c b.txt")]
