"""No config can make a run take more than seconds (issue 10.10)."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

import req_hashlint._config as config

from .conftest import Run, git, write_tree

RunCli = Callable[..., Run]


@pytest.mark.parametrize("key", ["files", "exclude"])
@pytest.mark.parametrize(
    "pattern",
    [
        r"(a+)+$",
        r"(a|aa)+$",
        r"(a?a?)+$",
        r"(?:x{2,9})*y",
        r"(a*)\1$",
        r"(?P<x>a+)(?P=x)",
        r"((a)+b){2,}",
        r"([^/]+/)*requirements\.txt",
        r"(?:a{,5})+",
    ],
)
def test_a_catastrophic_pattern_is_refused_at_load(key: str, pattern: str) -> None:
    with pytest.raises(config.ConfigError, match=f"`{key}` can take exponential time"):
        config.from_table({key: pattern}, "pyproject.toml")


@pytest.mark.parametrize(
    "pattern",
    [
        r"(requirements|constraints).*\.txt$",
        r"^vendor/",
        r"^(?:dev|test)/req[^/]*\.txt$",
        r"(ab)+c",
        r"a+b*c?",
        r"(a+)?x",  # repeated at most once
        r"(?:a+){1}b",
        r"[(\]]+(x)",  # a set is skipped whole: its `(` and `]` open nothing
        r"[\1]+",  # an octal escape in a set, not a backreference
        r"x(?=a+)b{2}",
    ],
)
def test_ordinary_patterns_are_accepted(pattern: str) -> None:
    assert config.backtracking_risk(pattern) is None
    assert config.from_table({"files": pattern, "exclude": pattern}, "x").files == pattern


def _cli(cwd: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "req_hashlint", *args], cwd=cwd, capture_output=True, text=True, timeout=timeout
    )


def test_a_hanging_pattern_in_a_repository_exits_2_quickly(repo: Path) -> None:
    """The old code hung for ever on `(a+)+$` against a long name; a polynomial blow-up that the
    load-time check lets by is stopped while matching."""
    long = "requirements-" + "a" * 60 + "b.txt"  # matches the default `files`: `exclude` runs on it
    write_tree(repo, {"requirements.txt": "six>=1\n", long: "six>=1\n"})
    git(repo, "add", "-A")
    for table in ('exclude = "(a+)+$"', 'files = ".*.*.*.*.*.*.*.*.*.*.*x$"'):
        (repo / "pyproject.toml").write_text(f"[tool.req-hashlint]\n{table}\n")
        start = time.monotonic()
        proc = _cli(repo, timeout=40)  # the old code never ended
        assert proc.returncode == 2, proc.stderr
        assert proc.stderr.count("\n") == 1 and ("exponential" in proc.stderr or "simplify" in proc.stderr)
        assert time.monotonic() - start < 30


def test_the_matching_timer_is_the_runs_and_is_restored(run_cli: RunCli, repo: Path) -> None:
    """The CPU timer that bounds matching is armed only while matching, and the handler that
    was there before is back when the run ends."""
    import signal

    def mine(signum: int, frame: object) -> None:  # pragma: no cover - never fires
        raise AssertionError

    write_tree(repo, {"requirements.txt": "six>=1\n"})
    git(repo, "add", "-A")
    before = signal.signal(signal.SIGVTALRM, mine)
    try:
        assert run_cli("--no-base", "-q", cwd=repo).code == 1
        assert signal.getsignal(signal.SIGVTALRM) is mine
        assert signal.getitimer(signal.ITIMER_VIRTUAL) == (0.0, 0.0)
    finally:
        signal.signal(signal.SIGVTALRM, before)


def test_per_file_ignores_cost_once_per_file_not_per_finding(run_cli: RunCli, tmp_path: Path) -> None:
    """999 glob patterns and 5,000 findings: each path is matched once (the old code matched every
    pattern against every finding, 10 million fnmatch calls: over 20 s here)."""
    work = tmp_path / "w"
    pats = ", ".join(f'"dir/*/*/x{i}*" = ["RH00"]' for i in range(1, 1000))
    write_tree(
        work,
        {
            "requirements.txt": "".join(f"p{i}>=1\n" for i in range(5000)),
            "pyproject.toml": f'[tool.req-hashlint]\nper-file-ignores = {{ {pats}, "requirements.txt" = ["RH001"] }}\n',
        },
    )
    start = time.monotonic()
    r = run_cli("-q", "--no-base", "requirements.txt", cwd=work)
    assert time.monotonic() - start < 8
    assert r.code == 1 and len(r.lines) == 5000 and all(" RH002 " in ln for ln in r.lines)


def test_too_many_per_file_ignores_is_a_config_error() -> None:
    table = {"per-file-ignores": {f"x{i}": ["RH001"] for i in range(1001)}}
    with pytest.raises(config.ConfigError, match="more than 1,000 patterns"):
        config.from_table(table, "pyproject.toml")
    with pytest.raises(config.ConfigError, match="longer than"):
        config.from_table({"files": "a" * 5000}, "pyproject.toml")
