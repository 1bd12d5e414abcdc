"""RH005 dangling-hash: a `--hash` on a line with no requirement, anchored at the token."""

from __future__ import annotations

from ..conftest import H1, H2
from .conftest import LintFn


def test_missing_backslash_leaves_the_hash_line_alone(lint_text: LintFn) -> None:
    r = lint_text(f"six==1.16.0\n    --hash=sha256:{H1}\n")
    assert r.at("RH005") == [(2, 5)]
    assert "only hash" in r.one("RH005").message
    assert r.at("RH002") == [(1, 1)]


def test_second_hash_line_without_backslash(lint_text: LintFn) -> None:
    r = lint_text(f"six==1.16.0 \\\n    --hash=sha256:{H1}\n    --hash=sha256:{H2}\n")
    assert r.at("RH005") == [(3, 5)]
    assert "only hash" not in r.one("RH005").message  # six's hash keeps hash mode on
    assert r.codes() == ["RH005"]


def test_hash_on_an_include_line(lint_text: LintFn) -> None:
    r = lint_text(f"-r other.txt --hash=sha256:{H1}\n", files={"other.txt": f"six==1.16.0 --hash=sha256:{H2}\n"})
    assert r.at("RH005") == [(1, 14)]


def test_hash_on_a_global_option_line(lint_text: LintFn) -> None:
    r = lint_text(f"--index-url https://pypi.org/simple --hash sha256:{H1}\n")
    assert r.at("RH005") == [(1, 37)]


def test_comment_line_ends_the_continuation(lint_text: LintFn) -> None:
    # pip: a comment line ends a continuation, so the hash below it stands alone
    r = lint_text(f"six==1.16.0 \\\n    # the only wheel\n    --hash=sha256:{H1}\n")
    assert r.at("RH005") == [(3, 5)]


def test_blank_line_inside_an_entry(lint_text: LintFn) -> None:
    r = lint_text(f"six==1.16.0 \\\n\n    --hash=sha256:{H1}\n")
    assert r.at("RH005") == [(3, 5)]


def test_quiet_when_joined(lint_text: LintFn) -> None:
    assert lint_text(f"six==1.16.0 \\\n    --hash=sha256:{H1} \\\n    --hash=sha256:{H2}\n").codes() == []


def test_quiet_when_backslash_leads_into_a_comment_line(lint_text: LintFn) -> None:
    # old pip-compile output: the last hash ends with `\` and the next line is `# via ...`
    assert lint_text(f"six==1.16.0 \\\n    --hash=sha256:{H1} \\\n    # via -r requirements.in\n").codes() == []
