"""RH002 missing-hash: anchored at the requirement; `always` and `when-any` hash modes."""

from __future__ import annotations

import pytest

from ..conftest import H1, H2, H3
from .conftest import LintFn

WHEEL = "https://files.example.com/six-1.16.0-py2.py3-none-any.whl"


@pytest.mark.parametrize(
    "req",
    [
        "six==1.16.0",
        "six>=1",
        WHEEL,
        f"six @ {WHEEL}",
        "./dist/six-1.16.0.tar.gz",
        "dist/six-1.16.0-py2.py3-none-any.whl",
        f"{WHEEL}#md5=0123456789abcdef0123456789abcdef",  # md5 does not count
        f"{WHEEL}#sha1=0123456789abcdef0123456789abcdef01234567",
    ],
)
def test_fires_without_a_hash(lint_text: LintFn, req: str) -> None:
    r = lint_text(f"\n\n   {req}\n")
    assert r.at("RH002") == [(3, 4)]


@pytest.mark.parametrize(
    "req",
    [
        f"six==1.16.0 --hash=sha256:{H1}",
        f"six==1.16.0 --hash sha256:{H1}",  # optparse's space form
        f"six==1.16.0 --hash='sha256:{H1}'",  # shell quoting
        f"six==1.16.0 --ha=sha256:{H1}",  # optparse's unique-prefix rule
        f"six==1.16.0 \\\n    --hash=sha256:{H1}",
        f"{WHEEL}#sha256={H1}",
        f"{WHEEL}#sha384={'a' * 96}",
        f"{WHEEL}#egg=six&sha512={'b' * 128}",
        f"six @ {WHEEL}#sha256={H1}",
        f"{WHEEL} --hash=sha256:{H1}",
        f"./dist/six-1.16.0.tar.gz --hash=sha256:{H1}",
    ],
)
def test_quiet_with_a_hash(lint_text: LintFn, req: str) -> None:
    assert lint_text(f"{req}\n").at("RH002") == []


def test_every_unhashed_entry_after_a_hashed_one(lint_text: LintFn) -> None:
    text = f"six==1.16.0 \\\n    --hash=sha256:{H1}\nidna==3.7\ncertifi==2024.2.2 ; python_version >= '3.8'\n"
    r = lint_text(text, require_hashes="when-any")
    assert r.at("RH002") == [(3, 1), (4, 1)]
    msg = r.findings[0].message
    assert "idna==3.7" in msg and "HashMissing" in msg and "--generate-hashes" in msg
    assert r.findings[0].project == "idna" and r.findings[0].version == "3.7"


def test_crlf_lines_count_like_lf(lint_text: LintFn) -> None:
    r = lint_text(f"six==1.16.0 \\\r\n    --hash=sha256:{H1}\r\nidna==3.7\r\n")
    assert r.at("RH002") == [(3, 1)]


def test_when_any_is_quiet_without_any_hash(lint_text: LintFn) -> None:
    assert lint_text("six==1.16.0\nidna==3.7\n", require_hashes="when-any").codes() == []


def test_when_any_turns_on_with_require_hashes_line(lint_text: LintFn) -> None:
    r = lint_text("--require-hashes\nsix==1.16.0\n", require_hashes="when-any")
    assert r.at("RH002") == [(2, 1)]


def test_when_any_turns_on_with_a_hash_in_an_included_file(lint_text: LintFn) -> None:
    r = lint_text(
        "six==1.16.0\n-r more.txt\n",
        files={"more.txt": f"idna==3.7 --hash=sha256:{H1}\n"},
        require_hashes="when-any",
    )
    assert r.where("RH002") == [("requirements.txt", 1, 1)]


def test_when_any_turns_on_with_a_hash_in_a_constraint_file(lint_text: LintFn) -> None:
    r = lint_text(
        "-c constraints.txt\nsix==1.16.0\n",
        files={"constraints.txt": f"six==1.16.0 --hash=sha256:{H1}\n"},
        require_hashes="when-any",
    )
    assert r.where("RH002") == [("requirements.txt", 2, 1)]


def test_when_any_hash_mode_of_one_root_does_not_leak_into_another(lint_text: LintFn) -> None:
    r = lint_text(
        files={"requirements.txt": f"six==1.16.0 --hash=sha256:{H1}\n", "requirements-dev.txt": "pytest==8.0.0\n"},
        roots=["requirements.txt", "requirements-dev.txt"],
        require_hashes="when-any",
    )
    assert r.codes() == []


def test_a_dropped_hash_does_not_turn_hash_mode_on(lint_text: LintFn) -> None:
    # the hash is on an option-only line: pip drops it, so nothing needs a hash under when-any
    r = lint_text(f"six==1.16.0\n    --hash=sha256:{H1}\n", require_hashes="when-any")
    assert r.at("RH002") == []
    assert r.at("RH005") == [(2, 5)]


def test_a_hash_on_an_editable_does_not_turn_hash_mode_on(lint_text: LintFn) -> None:
    r = lint_text(f"-e . --hash=sha256:{H1}\nsix==1.16.0\n", require_hashes="when-any")
    assert r.at("RH002") == []


def test_unhashed_constraint_entries_need_no_hash(lint_text: LintFn) -> None:
    r = lint_text(
        f"-c constraints.txt\nsix==1.16.0 --hash=sha256:{H1}\n",
        files={"constraints.txt": f"idna==3.7\ncertifi==2024.2.2 --hash=sha256:{H3}\n"},
    )
    assert r.codes() == []


def test_unhashable_entries_get_rh003_not_rh002(lint_text: LintFn) -> None:
    r = lint_text(f"six==1.16.0 --hash=sha256:{H1}\n-e .\ngit+https://example.com/r.git#egg=r\n./src\n")
    assert r.at("RH002") == []
    assert r.at("RH003") == [(2, 1), (3, 1), (4, 1)]


def test_url_message_says_how_to_hash_a_file(lint_text: LintFn) -> None:
    msg = lint_text(f"{WHEEL}\nidna==3.7 --hash=sha256:{H2}\n").one("RH002").message
    assert "pip hash" in msg and "#sha256=" in msg
