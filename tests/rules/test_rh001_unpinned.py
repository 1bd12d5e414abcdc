"""RH001 unpinned-requirement: anchored at the requirement's first character on its first line."""

from __future__ import annotations

import pytest

from ..conftest import H1, H2
from .conftest import LintFn


@pytest.mark.parametrize(
    "req",
    [
        "six",
        "six>=1.16",
        "six~=1.16",
        "six!=1.15",
        "six==1.*",
        "six==1.16.*",
        "six==1.16.0,<2",
        "six>=1.16,<1.17",
        "six[extra]>=1",
        "six <2 ; python_version < '3.11'",
        "six==1.16.0 , !=1.15",
    ],
)
def test_fires_on_anything_but_one_exact_pin(lint_text: LintFn, req: str) -> None:
    r = lint_text(f"# header\n  {req} \\\n    --hash=sha256:{H1}\n")
    assert r.at("RH001") == [(2, 3)]
    assert r.one("RH001").project == "six"


@pytest.mark.parametrize(
    "req",
    [
        "six==1.16.0",
        "six===1.16.0",
        "six===whatever-legacy",
        "Six == 1.16.0",
        "torch==2.4.1+cpu",
        "six==1.16.0rc1.post2.dev3",
        "requests[socks,security]==2.31.0",
        "six==1.16.0 ; python_version < '3.11'",
        "six==1.16.0;python_version<'3.11'",
        "six==v1.16",  # packaging accepts a leading v
    ],
)
def test_quiet_on_exact_pins(lint_text: LintFn, req: str) -> None:
    r = lint_text(f"{req} --hash=sha256:{H1}\n")
    assert r.codes() == []


def test_wildcard_message_names_the_wildcard(lint_text: LintFn) -> None:
    msg = lint_text(f"urllib3==2.* --hash=sha256:{H1}\n").one("RH001").message
    assert "`==2.*`" in msg and "pin it to one version" in msg


def test_range_message_names_the_range_and_hashunpinned(lint_text: LintFn) -> None:
    msg = lint_text("flask>=2\n").one("RH001").message
    assert "flask" in msg and ">=2" in msg and "HashUnpinned" in msg


def test_urls_paths_and_editables_are_not_version_pins(lint_text: LintFn) -> None:
    r = lint_text(
        f"https://example.com/six-1.16.0-py2.py3-none-any.whl --hash=sha256:{H1}\n"
        f"six @ https://example.com/six-1.16.0.tar.gz --hash=sha256:{H2}\n"
        "./dist/pkg-1.0.tar.gz\n"
        "-e .\n"
        "git+https://github.com/org/lib@v1#egg=lib\n"
    )
    assert r.at("RH001") == []


def test_when_any_without_hash_mode_is_quiet(lint_text: LintFn) -> None:
    assert lint_text("six>=1\nidna\n", require_hashes="when-any").codes() == []


def test_when_any_with_hash_mode_fires(lint_text: LintFn) -> None:
    r = lint_text(f"six>=1\nidna==3.7 --hash=sha256:{H1}\n", require_hashes="when-any")
    assert r.at("RH001") == [(1, 1)]


def test_hashed_constraint_must_be_pinned(lint_text: LintFn) -> None:
    r = lint_text(
        f"-c constraints.txt\nsix==1.16.0 --hash=sha256:{H1}\n",
        files={"constraints.txt": f"idna>=3 --hash=sha256:{H2}\nurllib3>=2\ncertifi\n"},
    )
    # only the hashed constraint must be pinned; unhashed constraints are just bounds
    assert r.where("RH001") == [("constraints.txt", 1, 1)]


def test_unhashed_constraints_need_no_pin_even_in_hash_mode(lint_text: LintFn) -> None:
    r = lint_text(
        f"-c constraints.txt\nsix==1.16.0 --hash=sha256:{H1}\n",
        files={"constraints.txt": "urllib3<3\n"},
        require_hashes="when-any",
    )
    assert r.codes() == []


def test_parse_errors_are_not_also_unpinned(lint_text: LintFn) -> None:
    r = lint_text("requests=2.31.0\n")
    assert r.codes() == ["RH011"]


@pytest.mark.parametrize("line", ["six>=1.0", f"six>=1.0 --hash=sha256:{H1}", "six", "six==1.*"])
def test_the_message_nests_no_parentheses(lint_text: LintFn, line: str) -> None:
    """Issue 11.8: `(... (HashUnpinned))` read badly."""
    msg = lint_text(f"{line}\n").one("RH001").message
    depth = 0
    for c in msg:
        depth += {"(": 1, ")": -1}.get(c, 0)
        assert depth <= 1, msg
