"""--fix on pylock.toml: what is mechanical (RH012's lowercase digest) is fixed in place; a fix that
would leave TOML or PEP 751 that pip refuses is never written."""

from __future__ import annotations

from pathlib import Path

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
