"""End to end in a real editor: headless Neovim's built-in LSP client starts `req-hashlint server`,
opens a requirements file and prints the diagnostics it received. Skipped when `nvim` is not installed
(.ci/run installs it when it can)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import H1, git, git_env

pytest.importorskip("pygls")
NVIM = shutil.which("nvim")


@pytest.mark.skipif(NVIM is None, reason="nvim is not installed")
def test_neovim_receives_the_diagnostics(repo: Path, tmp_path: Path) -> None:
    assert NVIM is not None
    (repo / "requirements.txt").write_text(f"alpha==1.0 --hash=sha256:{H1}\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "c")
    (repo / "requirements.txt").write_text(f"alpha==1.1 --hash=sha256:{H1}\nbeta==2.0\n")
    out = tmp_path / "diagnostics.txt"
    env = {
        **git_env(),
        "RHL_FILE": str(repo / "requirements.txt"),
        "RHL_OUT": str(out),
        "RHL_PYTHON": sys.executable,
        "RHL_ROOT": str(repo),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_STATE_HOME": str(tmp_path / "state"),
    }
    lua = Path(__file__).with_name("nvim_client.lua")
    done = subprocess.run(
        [NVIM, "--headless", "--clean", "-u", "NONE", "-c", f"luafile {lua}"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    received = out.read_text().splitlines() if out.exists() else []
    print("\n".join(received))  # what Neovim received, in the test's output
    assert done.returncode == 0, (done.stdout, done.stderr, received)
    assert [line.split(" ", 3)[:3] for line in received] == [
        ["1:1", "req-hashlint", "RH101"],
        ["2:1", "req-hashlint", "RH002"],
    ]
    assert received[1].endswith(
        "beta==2.0 has no --hash; pip's hash-checking mode is on, so it refuses this (HashMissing); regenerate the hashes (pip-compile --generate-hashes, or uv pip compile --generate-hashes)"
    )
