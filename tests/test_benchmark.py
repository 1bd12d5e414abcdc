"""The benchmark script (benchmarks/bench.py) runs, at a tiny size: its numbers are not checked."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from .conftest import REPO


def test_the_benchmark_runs_at_a_tiny_size(tmp_path: Path) -> None:
    out = tmp_path / "results.md"
    cmd = [sys.executable, str(REPO / "benchmarks" / "bench.py"), "--scale", "0.01", "--runs", "1", "--warmup", "0"]
    cmd += ["--rss-runs", "1", "--runner", "module", "--env-as-is", "--output", str(out), "--index-runs", "1"]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr
    table = out.read_text(encoding="utf-8")
    for case in "012345678":
        assert f"\n| {case} | " in table, case
    assert "| git | exit |" in table  # git's processes are counted for every case
    assert "Linearity:" in table
    assert "pylock.toml: case 8 takes" in table
    # the index evidence cases (issue 13): a loopback index, cold, warm, a numpy-sized page
    assert "## Index evidence" in table
    for case in ("i0", "i1", "i2", "i3"):
        assert f"\n| {case} | " in table, case
    warm = next(line for line in table.splitlines() if line.startswith("| i2 | "))
    assert warm.split(" | ")[7] == "0", warm  # a fresh cache asks the index nothing
