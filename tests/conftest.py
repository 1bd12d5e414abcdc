"""Shared fixtures: real temporary git repositories and a helper to run the CLI in-process."""

from __future__ import annotations

import contextlib
import os
import subprocess
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

from req_hashlint._cli import main

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "tests" / "data"
CORPUS = DATA / "corpus"
SARIF_SCHEMA = DATA / "schemas" / "sarif-schema-2.1.0.json"

# A few real sha256 digests (of nothing in particular) for writing fixtures.
H1 = "1e61c37477a1626458e36f7b1d82aa5c9b094fa4802892072e49de9c60c4c926"
H2 = "82fee1fc78add43492d3a1898bfa6d8a904cc97d8427f683ed8e798d07761aa0"
H3 = "028ff3aadf0609c1fd278d8ea3089299412a7a8b9bd005dd08b9f8285bcb5cfa"
H4 = "99b87a485a5820b23b879f04c2305b44b951b502fd64be915879d77a7e8fc6f1"


@dataclass
class Run:
    code: int
    out: str
    err: str

    @property
    def lines(self) -> list[str]:
        return [ln for ln in self.out.splitlines() if ln]


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    def _run(*args: str, cwd: Path | None = None) -> Run:
        if cwd is not None:
            monkeypatch.chdir(cwd)
        code = main(list(args))
        cap = capsys.readouterr()
        return Run(code, cap.out, cap.err)

    yield _run


def git_env() -> dict[str, str]:
    """The environment for test git commands: a fixed identity, no user or system config."""
    return {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.invalid",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.invalid",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }


def git(cwd: Path, *args: str) -> str:
    out = subprocess.run(["git", *args], cwd=cwd, env=git_env(), check=True, capture_output=True, text=True)
    return out.stdout


def write_tree(root: Path, files: Mapping[str, str | bytes]) -> Path:
    """Write ``files`` (relative path -> text or bytes) under ``root``; text keeps its line ends."""
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", newline="")
    return root


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """An empty real git repository with an initial branch `main`."""
    path = tmp_path / "repo"
    path.mkdir()
    git(path, "init", "-q", "-b", "main")
    return path


@contextlib.contextmanager
def inside(path: Path) -> Iterator[None]:
    """Run the block with ``path`` as the working directory (``contextlib.chdir`` is 3.11+)."""
    old = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(old)


def partial_clone(tmp_path: Path, *versions: str) -> Path:
    """A `blob:none` clone (in ``tmp_path / "clone"``) of a repository whose requirements.txt
    was committed once per text of ``versions``: only the last commit's blobs are in the clone,
    the older ones are missing (a lazy fetch from the promisor remote would get them)."""
    origin = tmp_path / "origin"
    origin.mkdir()
    git(origin, "init", "-q", "-b", "main")
    git(origin, "config", "uploadpack.allowFilter", "true")
    for text in versions:
        (origin / "requirements.txt").write_text(text)
        git(origin, "add", "-A")
        git(origin, "commit", "-qm", "c")
    clone = tmp_path / "clone"
    git(
        tmp_path,
        "-c",
        "protocol.file.allow=always",
        "clone",
        "-q",
        "--filter=blob:none",
        f"file://{origin}",
        str(clone),
    )
    return clone
