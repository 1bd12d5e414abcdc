"""RH015 removed-option: anchored at the option token (with its value)."""

from __future__ import annotations

import pytest

from req_hashlint._model import Severity

from ..conftest import H1
from .conftest import LintFn


@pytest.mark.parametrize("opt", ["--install-option=--prefix=/x", "--global-option build_ext", "--build-option=--x"])
def test_removed_options_are_errors(lint_text: LintFn, opt: str) -> None:
    text = f"six==1.16.0 {opt} --hash=sha256:{H1}\n"
    r = lint_text(text)
    assert r.at("RH015") == [(1, 13)]
    assert r.at("RH009") == []
    assert r.severities("RH015") == [Severity.ERROR]
    assert "was removed from pip" in r.one("RH015").message


def test_removed_option_on_its_own_line(lint_text: LintFn) -> None:
    r = lint_text("--global-option=--no-user-cfg\n")
    assert r.at("RH015") == [(1, 1)]
    assert "pip 25.3 and later" in r.one("RH015").message


def test_install_option_names_the_pip_that_removed_it(lint_text: LintFn) -> None:
    assert "pip 23.1 and later" in lint_text("six==1.16.0 --install-option=--x\n").one("RH015").message


def test_config_settings_is_no_removed_option(lint_text: LintFn) -> None:
    assert lint_text(f"six==1.16.0 -C key=value --hash=sha256:{H1}\n").at("RH015") == []
