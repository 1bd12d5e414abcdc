"""RH009 ignored-option: anchored at the option token (with its value)."""

from __future__ import annotations

import pytest

from req_hashlint._model import Severity

from ..conftest import H1, H2
from .conftest import LintFn, pos


@pytest.mark.parametrize(
    "opt",
    [
        "--index-url https://mirror.example/simple",
        "-i https://mirror.example/simple",
        "--extra-index-url=https://mirror.example/simple",
        "--pre",
        "--no-index",
        "--trusted-host mirror.example",
        "--find-links ./wheels",
        "--prefer-binary",
        "--require-hashes",
        "--no-require-hashes",
        "-c other.txt",  # `-r` there drops requirements: RH016
    ],
)
def test_global_option_on_a_requirement_line(lint_text: LintFn, opt: str) -> None:
    text = f"six==1.16.0 {opt} --hash=sha256:{H1}\n"
    r = lint_text(text, files={"other.txt": ""})
    assert r.at("RH009") == [(1, 13)]
    f = r.one("RH009")
    assert f.severity is Severity.WARNING
    assert (f.span.end_line, f.span.end_column) == (1, 13 + len(opt))
    assert "requirement line" in f.message


@pytest.mark.parametrize(
    "opt",
    [
        "--no-binary six",
        "--no-binary=:all:",
        "--only-binary :all:",
        "--only-bin=six",  # an optparse prefix
        "--all-releases six",
        "--only-final :all:",
        "--use-feature=fast-deps",
    ],
)
@pytest.mark.parametrize("editable", [False, True])
def test_an_option_pip_applies_to_the_whole_install_is_not_ignored(lint_text: LintFn, opt: str, editable: bool) -> None:
    """pip 23.3.2 to 26.3 apply these from a requirement line too (issue 18.1: `--no-binary six`
    on six's line makes pip install six's sdist); tests/fidelity/hand.py runs them through pip."""
    req = "-e ./six" if editable else f"six==1.16.0 --hash=sha256:{H1}"
    r = lint_text(f"{req} {opt}\n")
    assert r.at("RH009") == []
    assert r.at("RH011") == []


def test_option_after_a_continuation(lint_text: LintFn) -> None:
    text = f"six==1.16.0 \\\n    --hash=sha256:{H1} \\\n    --index-url https://mirror.example/simple\n"
    assert lint_text(text).at("RH009") == [(3, 5)]


def test_hash_on_an_editable_is_reported_once(lint_text: LintFn) -> None:
    # regression: it used to be reported twice at the same token
    text = f"-e . --hash=sha256:{H1}\n"
    r = lint_text(text)
    assert r.at("RH009") == [(1, 6)]
    assert "editable" in r.one("RH009").message


def test_second_include_on_a_line(lint_text: LintFn) -> None:
    text = "-r a.txt -c b.txt\n"
    r = lint_text(text, files={"a.txt": "", "b.txt": ""})
    assert r.at("RH009") == [pos(text, "-c b.txt")]
    assert "one include per line" in r.one("RH009").message


def test_config_settings_on_an_option_line(lint_text: LintFn) -> None:
    assert lint_text("--config-settings key=value\n").at("RH009") == [(1, 1)]


@pytest.mark.parametrize(
    "text",
    [
        f"six==1.16.0 --hash=sha256:{H1} --config-settings=editable_mode=compat\n",
        f"six==1.16.0 -C key=value --hash=sha256:{H1}\n",
        "-e ./pkg --config-settings editable_mode=strict\n",
        "--index-url https://pypi.org/simple\n--extra-index-url https://mirror.example/simple\n--pre\n",
        f"--only-binary=:all:\n--no-binary six\nsix==1.16.0 --hash=sha256:{H2}\n",
    ],
)
def test_quiet_where_pip_applies_the_option(lint_text: LintFn, text: str) -> None:
    assert lint_text(text).at("RH009") == []
