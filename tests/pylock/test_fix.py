"""--fix on pylock.toml: what is mechanical (RH012's lowercase digest) is fixed in place; a fix that
would leave TOML or PEP 751 that pip refuses is never written."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from req_hashlint._fix import fix_text
from req_hashlint._model import Edit, Fix, Span

from ..conftest import REPO, Run

LOCK = (REPO / "tests" / "data" / "pylock" / "uv-export.toml").read_text(encoding="utf-8").replace("PORT", "8000")
DIGEST = "92dae4fd4b1381a2a8b4968e79b5a9a19a92dfc586152fcf1be30cd295329b62"


def test_an_uppercase_digest_is_lowercased_in_place(run_cli: object, repo: Path) -> None:
    (repo / "pylock.toml").write_text(LOCK.replace(DIGEST, DIGEST.upper()))
    run = run_cli("--no-base", "--fix", "--select", "RH012", "pylock.toml", cwd=repo)  # type: ignore[operator]
    assert isinstance(run, Run) and run.code == 0, run.out + run.err
    assert (repo / "pylock.toml").read_text() == LOCK
    again = run_cli("--no-base", "--diff", "pylock.toml", cwd=repo)  # type: ignore[operator]
    assert again.out == ""


def test_a_fix_that_breaks_the_lock_is_not_written() -> None:
    one = LOCK[: LOCK.index('[[packages]]\nname = "beta"')]  # one package: no other entry to compare
    line = next(i for i, text in enumerate(one.splitlines(), 1) if DIGEST in text)
    col = one.splitlines()[line - 1].index(f'"{DIGEST}"') + 1
    breaking = Fix("drop the digest", (Edit(Span(line, col, line, col + 66), ""),))  # `sha256 = }`: no TOML
    fixed, applied = fix_text(one, "pylock.toml", [breaking])
    assert (fixed, applied) == (one, 0)
    harmless = Fix("same digest", (Edit(Span(line, col, line, col + 66), f'"{DIGEST}"'),))
    assert fix_text(one, "pylock.toml", [harmless]) == (one, 1)


def _repeat(text: str, name: str, change: Callable[[str], str] = lambda block: block) -> str:
    """``text`` with package ``name``'s table written again at the end (through ``change``)."""
    blocks = re.split(r"\n(?=\[\[packages\]\]\n)", text)
    block = next(b for b in blocks if f'\nname = "{name}"\n' in b)
    return text.rstrip("\n") + "\n\n" + change(block.strip("\n")) + "\n"


PIP_LOCK = (REPO / "tests" / "data" / "pylock" / "pip-lock.toml").read_text(encoding="utf-8")


@pytest.mark.parametrize(("lock", "name"), [(LOCK, "alpha"), (LOCK, "gamma"), (PIP_LOCK, "beta")])
def test_a_repeated_package_is_removed(run_cli: object, repo: Path, lock: str, name: str) -> None:
    """RH007: pip refuses a lock that selects one project twice; the repeat, written line for line as
    the first (inline tables or `[[packages.wheels]]` sub-tables), goes with its blank line."""
    (repo / "pylock.toml").write_text(_repeat(lock, name))
    run = run_cli("--no-base", "--fix", "pylock.toml", cwd=repo)  # type: ignore[operator]
    assert isinstance(run, Run) and "fixed 1 problem" in run.err, run.out + run.err
    assert (repo / "pylock.toml").read_text() == lock


def test_a_repeat_written_otherwise_is_left_to_a_person(run_cli: object, repo: Path) -> None:
    """The same package, version and files, but one table says more: no fix chooses for you."""
    text = _repeat(
        LOCK, "alpha", lambda block: block.replace('version = "1.0"\n', 'version = "1.0"\nrequires-python = ">=3"\n')
    )
    (repo / "pylock.toml").write_text(text)
    run = run_cli("--no-base", "--diff", "pylock.toml", cwd=repo)  # type: ignore[operator]
    assert isinstance(run, Run) and run.out == "" and run.code == 0
    assert "RH007" in run_cli("--no-base", "pylock.toml", cwd=repo).out  # type: ignore[operator]
