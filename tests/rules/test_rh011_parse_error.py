"""RH011 parse-error: invalid requirements at the requirement, option errors at the option."""

from __future__ import annotations

import pytest

from req_hashlint._model import Severity

from ..conftest import H1, H2
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


# -- issue 18.2: an egg fragment that is not a project name alone ---------------------------
@pytest.mark.parametrize(
    ("line", "fix"),
    [
        (f"silme @ https://example.invalid/v0.9.3.zip#egg=silme==0.9.3 --hash=sha256:{H1}", "remove it"),
        (f"https://example.invalid/v0.9.3.zip#egg=silme==0.9.3 --hash=sha256:{H1}", "remove it"),
        (f"https://example.invalid/a.zip#sha256={H1}&egg=silme>=1", "remove it"),
        (f"https://example.invalid/a.zip#egg=silme[fast] --hash=sha256:{H1}", "name[extra] @ URL"),
        (f"https://example.invalid/a.zip#egg= --hash=sha256:{H1}", "drop the fragment"),
        ("-e git+https://example.invalid/silme.git#egg=silme==0.9.3", "remove it"),
        ("git+https://example.invalid/silme.git@v1#egg=silme_", "drop the fragment"),
    ],
)
def test_an_egg_fragment_pip_refuses(lint_text: LintFn, line: str, fix: str) -> None:
    """pip 26.3 refuses the whole file: 'invalid-egg-fragment' (models/link.py, hand-rh011-egg-*)."""
    r = lint_text(f"{line}\n")
    f = r.one("RH011")
    assert (f.span.line, f.span.column) == (1, 1)
    assert "invalid-egg-fragment" in f.message and "pip 25.0 and later" in f.message and fix in f.message


@pytest.mark.parametrize(
    "line",
    [
        f"https://example.invalid/a.zip#egg=silme --hash=sha256:{H1}",
        f"https://example.invalid/a.zip#egg=Silme_Core.x-2 --hash=sha256:{H1}",
        f"https://example.invalid/a.zip#sha256={H1}&egg=silme",
        f"silme @ https://example.invalid/a.zip#sha256={H1}",
    ],
)
def test_an_egg_fragment_pip_accepts(lint_text: LintFn, line: str) -> None:
    assert lint_text(f"{line}\n").at("RH011") == []


# -- issue 18.3: a stray token pip ignores -------------------------------------------------
def test_a_stray_token_after_a_hash_is_named_not_the_continuation(lint_text: LintFn) -> None:
    """pip ignores the `(` and reads both entries as they look: a warning on the `(`."""
    text = f"six==1.16.0 \\\n    --hash=sha256:{H1} (\nidna==3.7 \\\n    --hash=sha256:{H2}\n"
    r = lint_text(text)
    assert r.codes() == ["RH011"]
    f = r.one("RH011")
    assert (f.span.line, f.span.column) == pos(text, "(")
    assert f.severity is Severity.WARNING
    assert "`(`" in f.message and "\\" not in f.message


@pytest.mark.parametrize("stray", ["(", ")", ",", "( )"])
def test_a_stray_token_on_its_own_continued_line(lint_text: LintFn, stray: str) -> None:
    text = f"six==1.16.0 \\\n    --hash=sha256:{H1} \\\n    {stray}\nidna==3.7 --hash=sha256:{H2}\n"
    r = lint_text(text)
    assert r.codes() == ["RH011"] and r.severities("RH011") == [Severity.WARNING]
    assert r.at("RH011") == [(3, 5)]


def test_a_requirement_among_the_options_stays_an_error(lint_text: LintFn) -> None:
    text = f"six==1.16.0 --hash=sha256:{H1} idna==3.7\n"
    r = lint_text(text)
    assert r.severities("RH011") == [Severity.ERROR]
