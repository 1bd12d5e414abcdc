"""RH012 uppercase-hash: a warning anchored at the `--hash` token."""

from __future__ import annotations

from req_hashlint._model import Severity

from ..conftest import H1, H2
from .conftest import LintFn, pos


def test_fires_on_uppercase_hex(lint_text: LintFn) -> None:
    text = f"six==1.16.0 \\\n    --hash=sha256:{H2} \\\n    --hash=sha256:{H1[:10].upper()}{H1[10:]}\n"
    r = lint_text(text)
    assert r.at("RH012") == [(3, 5)]
    assert r.severities("RH012") == [Severity.WARNING]
    assert "lowercase" in r.one("RH012").message


def test_quiet_on_lowercase(lint_text: LintFn) -> None:
    assert lint_text(f"six==1.16.0 --hash=sha256:{H1}\n").codes() == []


def test_an_invalid_digest_is_rh004_only(lint_text: LintFn) -> None:
    text = f"six==1.16.0 --hash=sha256:{H1.upper()[:20]}\n"
    r = lint_text(text)
    assert r.codes() == ["RH004"]
    assert r.at("RH004") == [pos(text, "--hash")]
