"""Fixtures for the index-evidence tests: loopback indexes started and stopped per test."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

from .server import Artifact, IndexServer, sdist, wheel

# A small index most tests can share: two wheels (one with metadata), a yanked one, an sdist.
PROJECTS: dict[str, list[Artifact]] = {
    "alpha": [wheel("alpha", "1.0", requires=["beta"]), wheel("alpha", "1.1", requires_python=">=3.8")],
    "beta": [wheel("beta", "1.0", yanked="broken"), wheel("beta", "1.1", "cp311-cp311-manylinux_2_17_x86_64")],
    "gamma": [sdist("gamma", "1.0")],
}


@pytest.fixture
def make_index() -> Iterator[Callable[..., IndexServer]]:
    """``make_index(projects=PROJECTS, **variants)``: a started IndexServer, stopped after the test."""
    with contextlib.ExitStack() as stack:

        def _make(projects: Mapping[str, Sequence[Artifact]] | None = None, **variants: Any) -> IndexServer:
            return stack.enter_context(IndexServer(PROJECTS if projects is None else projects, **variants))

        yield _make


@pytest.fixture
def index(make_index: Callable[..., IndexServer]) -> IndexServer:
    """The shared small index, with default variants."""
    return make_index()


@pytest.fixture
def quiet_pip(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """For an in-process run with ``--index``: this machine's ``PIP_*`` variables cleared (pip's
    environment counts: a ``PIP_FIND_LINKS`` makes every project unverifiable), and the cache in
    the test's own directory, which is returned."""
    import os

    for name in [k for k in os.environ if k.startswith("PIP_")]:
        monkeypatch.delenv(name)
    cache = tmp_path / "cache"
    monkeypatch.setenv("REQ_HASHLINT_CACHE_DIR", str(cache))
    return cache


@pytest.fixture
def pip_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Environment variables for running real pip against a loopback index and nothing else:
    no user, site or global pip config (this machine's may add indexes or find-links)."""
    import os

    home = tmp_path_factory.mktemp("piphome")
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "PIP_CONFIG_FILE": os.devnull,
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        "PIP_NO_CACHE_DIR": "1",
        "PIP_NO_INPUT": "1",
    }


__all__ = ["PROJECTS", "Artifact", "IndexServer", "sdist", "wheel"]
