"""RH011 parse-error: invalid requirements at the requirement, option errors at the option."""

from __future__ import annotations

import pytest

from ..conftest import H1
from .conftest import LintFn, pos


@pytest.mark.parametrize(
    ("line", "hint"),
    [
        ("requests=2.31.0", "did you mean =="),
        ("requests==2.31.0 ; python_version", "invalid marker"),
        ("six==1.16.0 ; python_version <> '3'", "invalid marker"),
        ("foo bar", "Expected"),
        ("pkg==${VERSION}", "${VARIABLE}"),
        ("GloVe:\thttps://nlp.example/glove.zip", "Expected"),
    ],
)
def test_invalid_requirement(lint_text: LintFn, line: str, hint: str) -> None:
    r = lint_text(f"# x\n  {line}\n")
    assert r.at("RH011") == [(2, 3)]
    msg = r.one("RH011").message
    assert hint in msg and "invalid requirement" in msg


@pytest.mark.parametrize(
    ("line", "token", "detail"),
    [
        ("--no-use-wheel", "--no-use-wheel", "no such option: --no-use-wheel"),
        ("six==1.0 --bogus", "--bogus", "no such option: --bogus"),
        ("six==1.0 -x", "-x", "no such option: -x"),
        ("six==1.0 --hash", "--hash", "requires 1 argument"),
        ("-r", "-r", "requires 1 argument"),
        ("--pre=yes", "--pre=yes", "does not take a value"),
        ("six==1.0 --HASH=sha256:00", "--HASH=sha256:00", "no such option"),
        ("six==1.0 --hash='sha256:00", "--hash='sha256:00", "No closing quotation"),
        ("six==1.0 --e=x", "--e=x", "ambiguous option"),
        ("--req x.txt", "--req", "ambiguous option: --req (--require-hashes, --requirement?)"),
    ],
)
def test_option_errors(lint_text: LintFn, line: str, token: str, detail: str) -> None:
    text = f"{line}\n"
    r = lint_text(text)
    assert r.at("RH011") == [pos(text, token)]
    assert detail in r.one("RH011").message


def test_text_after_the_options(lint_text: LintFn) -> None:
    text = f"six==1.16.0 --hash=sha256:{H1} idna==3.7\n"
    r = lint_text(text)
    assert r.at("RH011") == [pos(text, "idna")]
    assert "ignores `idna==3.7`" in r.one("RH011").message


def test_tab_before_hash_makes_it_part_of_the_requirement(lint_text: LintFn) -> None:
    # pip splits requirement from options at spaces only: `\t--hash` stays in the requirement
    r = lint_text(f"six==1.16.0\t--hash=sha256:{H1}\n")
    assert r.at("RH011") == [(1, 1)]
    assert "put a space, not a tab, before the option" in r.one("RH011").message
    r = lint_text(f"six==1.16.0 \\\n\t--hash=sha256:{H1}\n")  # a tab-indented continuation line
    assert r.at("RH011") == [(1, 1)]
    assert "not a tab" in r.one("RH011").message


def test_valid_lines_are_quiet(lint_text: LintFn) -> None:
    text = (
        f"six==1.16.0 --hash=sha256:{H1}\n"
        f"idna==3.7; --hash=sha256:{H1[::-1]}\n"  # pip accepts an empty marker
        "--index-url=https://pypi.org/simple\n"
        "--only-binary=:all:\n"
        "-f ./wheels\n"
        "--use-feature=truststore\n"
    )
    assert lint_text(text).at("RH011") == []
