"""RH201 insecure-index and RH202 credentials-in-url: anchored at the option or requirement."""

from __future__ import annotations

import pytest

from req_hashlint._model import Severity

from ..conftest import H1
from .conftest import LintFn


@pytest.mark.parametrize(
    "line",
    [
        "--index-url http://pypi.internal/simple",
        "-i http://pypi.internal/simple",
        "--extra-index-url=HTTP://pypi.internal/simple",
        "--find-links http://wheels.internal/",
        "-f http://wheels.internal/",
        "--trusted-host pypi.internal",
    ],
)
def test_insecure_index_fires(lint_text: LintFn, line: str) -> None:
    r = lint_text(f"# idx\n  {line}\n")
    assert r.at("RH201") == [(2, 3)]
    assert r.severities("RH201") == [Severity.WARNING]


@pytest.mark.parametrize(
    "line",
    [
        "--index-url https://pypi.org/simple",
        "--find-links ./wheels",
        "--find-links http://localhost:8080/wheels",
        "--index-url http://127.0.0.1:3141/simple",
    ],
)
def test_insecure_index_quiet(lint_text: LintFn, line: str) -> None:
    assert lint_text(f"{line}\n").at("RH201") == []


def test_insecure_index_in_an_included_file(lint_text: LintFn) -> None:
    r = lint_text("-r base.txt\n", files={"base.txt": "\n--extra-index-url http://mirror/simple\n"})
    assert r.where("RH201") == [("base.txt", 2, 1)]


@pytest.mark.parametrize(
    ("text", "where", "secret"),
    [
        ("--extra-index-url https://deploy:s3cr3t-pa55@pypi.internal/simple\n", (1, 1), "s3cr3t-pa55"),
        ("-i https://__token__:pypi-AgEIcHlwaS5vcmc@upload.pypi.org/simple\n", (1, 1), "pypi-AgEIcHlwaS5vcmc"),
        ("--index-url https://ghp_abcdefghijklmnopqrstuvwxyz0123456789@x.example/simple\n", (1, 1), "ghp_abcdefgh"),
        (f"# a\nsix @ https://user:hunter22@files.example/six-1.16.0.tar.gz --hash=sha256:{H1}\n", (2, 1), "hunter22"),
        ("-r https://bot:tok3n-value@raw.example/requirements.txt\n", (1, 1), "tok3n-value"),
        ("--find-links=https://u:p4ssw0rd@wheels.example/\n", (1, 1), "p4ssw0rd"),
    ],
)
def test_credentials_fire_and_are_redacted(lint_text: LintFn, text: str, where: tuple[int, int], secret: str) -> None:
    r = lint_text(text)
    assert r.at("RH202") == [where]
    assert r.severities("RH202") == [Severity.ERROR]
    for f in r.findings:
        assert secret not in f.message, f.code  # no rule's message shows the secret
    assert "****" in r.one("RH202").message


@pytest.mark.parametrize(
    "text",
    [
        "--extra-index-url https://${PIP_USER}:${PIP_TOKEN}@pypi.internal/simple\n",
        "--extra-index-url https://${PIP_TOKEN}@pypi.internal/simple\n",
        "--extra-index-url https://user@pypi.internal/simple\n",  # a user name alone is not a secret
        "-e git+ssh://git@github.com/org/lib.git#egg=lib\n",
        "--index-url https://pypi.org/simple\n",
    ],
)
def test_credentials_quiet(lint_text: LintFn, text: str) -> None:
    assert lint_text(text).at("RH202") == []
