"""``python -m tests.fidelity``: a real command line (help, listing, choices, exit codes).

Run as a subprocess from the repository, as a developer runs it. ``--help`` used to start the
whole harness (minutes of pip runs); the timeouts make that a failure, not a hang.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from .conftest import REPO
from .fidelity.hand import HAND
from .fidelity.oracle import CURRENT, OLD
from .fidelity.scenarios import N_GENERATED


def fidelity(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tests.fidelity", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.mark.parametrize("args", [("--help",), ("-h",), ("run", "--help"), ("show", "--help")])
def test_help_prints_usage_and_runs_nothing(args: tuple[str, ...]) -> None:
    result = fidelity(*args, timeout=30)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: python -m tests.fidelity")
    assert "comparisons (pip" not in result.stdout  # no harness ran
    if args[0] == "run":
        assert "--pip VERSION" in result.stdout and CURRENT in result.stdout and OLD in result.stdout


def test_list_names_every_scenario_and_filters() -> None:
    everything = fidelity("--list")
    assert everything.returncode == 0, everything.stderr
    rows = [line.split("\t") for line in everything.stdout.splitlines()]
    assert len(rows) == len(HAND) + N_GENERATED
    assert [r[0] for r in rows[: len(HAND)]] == [s.id for s in HAND]
    hand = fidelity("--list", "--hand").stdout.splitlines()
    generated = fidelity("--list", "--generated").stdout.splitlines()
    assert len(hand) == len(HAND) and len(generated) == N_GENERATED


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("run", "no-such-scenario"), "unknown scenario: no-such-scenario"),
        (("show", "gen-0001", "nope-*"), "unknown scenario: nope-*"),
        (("run", "--pip", "1.0"), "invalid choice: '1.0'"),
        (("run", "--workers", "0"), "--workers must be at least 1"),
        (("show",), "show needs a SCENARIO"),
        (("frobnicate",), "invalid choice: 'frobnicate'"),
        (("--hand", "--generated"), "not allowed with argument"),
    ],
)
def test_usage_errors_exit_2_with_one_message(args: tuple[str, ...], message: str) -> None:
    result = fidelity(*args, timeout=30)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_show_prints_the_scenarios_a_pattern_chooses() -> None:
    result = fidelity("show", "gen-000[12]")
    assert result.returncode == 0, result.stderr
    assert [line for line in result.stdout.splitlines() if line.startswith("# ")] == [
        line for line in result.stdout.splitlines() if line.startswith("# gen-000")
    ]
    assert result.stdout.count("# gen-000") == 2 and "== requirements.txt" in result.stdout


@pytest.mark.slow
def test_run_one_scenario_on_one_pip() -> None:
    result = fidelity("run", "--pip", CURRENT, "hand-clean-lock", timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 scenarios, 3 comparisons (pip 26.3: 3); agreement 3/3" in result.stdout
    assert f"pip {OLD}" not in result.stdout
