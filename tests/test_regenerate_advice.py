"""RH101's fix advice runs as printed: real pip-tools and real uv, offline.

Each lock is compiled by the real tool from a local ``--find-links`` directory of tiny wheels
(``--no-index``: nothing reaches the network), its pin is bumped by hand the way RH101 finds
it, and the command the finding prints is run verbatim, after the one edit it asks for (the
pin in the ``.in`` file). The regenerated lock must then pass.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import Run, git
from .fidelity._backend import write_wheel

RunCli = Callable[..., Run]
BIN = Path(sys.executable).parent
COMMAND = re.compile(r"releasing the pin: `([^`]+)`")


def _env(tmp: Path, dists: Path) -> dict[str, str]:
    """No pip or uv configuration from the machine; uv gets the wheels the header cannot name."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "UV_"))}
    env.update(
        PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}",
        PIP_CONFIG_FILE=os.devnull,
        UV_NO_CONFIG="1",
        UV_CACHE_DIR=str(tmp / "uv-cache"),
        UV_FIND_LINKS=str(dists),
        UV_OFFLINE="1",
        HOME=str(tmp),
    )
    return env


@pytest.mark.slow
@pytest.mark.parametrize(
    "compile_cmd",
    [
        ["pip-compile", "-q", "--generate-hashes", "--no-index", "--find-links=../dists", "requirements.in",
         "-o", "requirements.txt"],
        ["uv", "pip", "compile", "-q", "--generate-hashes", "--no-index", "requirements.in", "-o",
         "requirements.txt"],
    ],
    ids=["pip-compile", "uv"],
)  # fmt: skip
def test_the_printed_command_regenerates_the_hashes(tmp_path: Path, run_cli: RunCli, compile_cmd: list[str]) -> None:
    dists = tmp_path / "dists"
    dists.mkdir()
    for version in ("1.0", "1.1"):
        write_wheel(str(dists), "tinyproj", version, [])
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    env = _env(tmp_path, dists)
    (repo / "requirements.in").write_text("tinyproj==1.0\n")
    subprocess.run(compile_cmd, cwd=repo, env=env, check=True, capture_output=True)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "lock")
    lock = repo / "requirements.txt"
    lock.write_text(lock.read_text().replace("tinyproj==1.0", "tinyproj==1.1"))  # a hand edit

    r = run_cli("--select=RH101", cwd=repo)
    assert r.code == 1, r.out
    message = r.lines[0]
    assert "if `requirements.in` pins tinyproj to another version, change it to ==1.1 first" in message
    command = COMMAND.search(message)
    assert command is not None, message
    assert "requirements.in" in command.group(1) and "requirements.txt" in command.group(1)

    (repo / "requirements.in").write_text("tinyproj==1.1\n")  # the edit the message asks for
    done = subprocess.run(shlex.split(command.group(1)), cwd=repo, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "tinyproj==1.1" in lock.read_text()
    r = run_cli(cwd=repo)
    assert (r.code, r.lines) == (0, []), r.out
