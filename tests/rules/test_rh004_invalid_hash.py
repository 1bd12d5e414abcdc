"""RH004 invalid-hash: anchored at the whole `--hash` token."""

from __future__ import annotations

import pytest

from ..conftest import H1, H2
from .conftest import LintFn, pos


@pytest.mark.parametrize(
    ("value", "why"),
    [
        (f"SHA256:{H1}", "case-sensitive"),
        (f"Sha256:{H1}", "case-sensitive"),
        (f"md5:{H1[:32]}", "not an algorithm pip accepts"),
        (f"sha1:{H1[:40]}", "not an algorithm pip accepts"),
        (f"sha224:{H1[:56]}", "not an algorithm pip accepts"),
        (H1, "no `algorithm:` prefix"),
        ("sha256:", "empty digest"),
        (f"sha256:{H1[:-1]}g", "not hexadecimal"),
        (f"sha256:{H1[:10]}", "10 hex digits instead of 64"),
        (f"sha256:{H1}0", "65 hex digits instead of 64"),
        (f"sha384:{H1}", "64 hex digits instead of 96"),
        (f"sha512:{H1}", "64 hex digits instead of 128"),
        ("sha256:${DIGEST}", "environment variable"),
        ("sha256:${A}${B}", "environment variable"),
        ("sha256:ZnJvbWJhc2U2NA==", "not hexadecimal"),  # a base64 digest pasted
    ],
)
def test_fires(lint_text: LintFn, value: str, why: str) -> None:
    text = f"six==1.16.0 \\\n    --hash=sha256:{H2} \\\n    --hash={value}\n"
    r = lint_text(text)
    assert r.at("RH004") == [(3, 5)]
    f = r.one("RH004")
    assert why in f.message and "six==1.16.0" in f.message
    assert (f.span.end_line, f.span.end_column) == (3, 5 + len(f"--hash={value}"))


@pytest.mark.parametrize("value", ["sha256:${DIGEST}", "${ALGO}:" + H1, "sha256:${A}${B}"])
def test_an_environment_variable_is_unverifiable_not_invalid(lint_text: LintFn, value: str) -> None:
    """pip expands `${VAR}` in `--hash`: the value may match where the variable is set."""
    f = lint_text(f"six==1.16.0 --hash={value}\n").one("RH004")
    assert "is unverifiable, not malformed" in f.message
    assert "pip replaces `${" in f.message and "environment variable at install time" in f.message
    assert "never match" not in f.message and "invalid" not in f.message


@pytest.mark.parametrize(
    "value",
    [f"sha256:{H1}", f"sha384:{'0a' * 48}", f"sha512:{'f0' * 64}", f"sha256:{H1.upper()}"],
)
def test_quiet_on_valid_values(lint_text: LintFn, value: str) -> None:
    assert lint_text(f"six==1.16.0 --hash={value}\n").at("RH004") == []


def test_space_form_token_spans_option_and_value(lint_text: LintFn) -> None:
    text = f"six==1.16.0 --hash md5:{H1[:32]}\n"
    f = lint_text(text).one("RH004")
    assert (f.span.line, f.span.column, f.span.end_column) == (1, 13, 13 + len(f"--hash md5:{H1[:32]}"))


def test_quoted_value_is_unquoted_before_checking(lint_text: LintFn) -> None:
    text = f"six==1.16.0 --hash 'sha256:{H1}' --hash=\"SHA256:{H2}\"\n"
    r = lint_text(text)
    assert r.at("RH004") == [pos(text, '--hash="SHA256')]


def test_prefix_spelling_is_checked_too(lint_text: LintFn) -> None:
    assert lint_text(f"six==1.16.0 --has=sha1:{H1[:40]}\n").at("RH004") == [(1, 13)]


def test_invalid_hash_in_a_constraint_file(lint_text: LintFn) -> None:
    r = lint_text("-c c.txt\n", files={"c.txt": f"six==1.16.0 --hash=sha256:{H1[:63]}\n"})
    assert r.where("RH004") == [("c.txt", 1, 13)]
