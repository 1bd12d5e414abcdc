"""The live check: the project's own requirements-dev.txt against the real index (pypi.org).

req-hashlint runs with ``--index`` and no other index flag, with no ``PIP_*`` variable, so the
index is PyPI's simple API, as pip's default. The lock is uv's ``--generate-hashes`` output, so
every hash is one PyPI serves and every dependency is listed: no error-level RH3xx finding is
expected. An index that strips PEP 658 metadata (this machine's does) gets one RH903 note saying
the dependency checks were skipped, and that is no failure. Skipped with a reason when
pypi.org cannot be reached (a 3 s TCP connect) or when every project came back RH903.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from ..conftest import REPO

ERRORS = {"RH301", "RH303", "RH304", "RH307", "RH308", "RH309"}  # the error-level RH3xx rules


def reachable(host: str = "pypi.org", port: int = 443, timeout: float = 3.0) -> str | None:
    """None when a TCP connection opens within ``timeout``; else why not."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return None
    except OSError as exc:
        return f"{host}:{port} unreachable ({type(exc).__name__}: {exc})"


def projects_of(text: str) -> set[str]:
    return {line.split("==")[0].strip().lower() for line in text.splitlines() if "==" in line and line[:1].isalnum()}


@pytest.mark.slow
def test_requirements_dev_against_the_real_index(tmp_path: Path) -> None:
    why = reachable()
    if why is not None:
        pytest.skip(why)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "REQ_HASHLINT"))}
    env["PIP_CONFIG_FILE"] = os.devnull
    env["REQ_HASHLINT_CACHE_DIR"] = str(tmp_path / "cache")
    cmd = [sys.executable, "-m", "req_hashlint", "--index", "--no-base", "--format", "json", "requirements-dev.txt"]
    proc = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True, timeout=180)
    assert proc.returncode in (0, 1), proc.stderr
    assert "Traceback" not in proc.stderr, proc.stderr
    findings = json.loads(proc.stdout)["findings"]
    unavailable = {f["project"].lower() for f in findings if f["code"] == "RH903" and f.get("project")}
    listed = projects_of((REPO / "requirements-dev.txt").read_text(encoding="utf-8"))
    if listed and {p.replace("_", "-") for p in listed} <= {p.replace("_", "-") for p in unavailable}:
        pytest.skip("the index answered no project: " + next(f["message"] for f in findings if f["code"] == "RH903"))
    errors = [f for f in findings if f["code"] in ERRORS]
    assert errors == [], json.dumps(errors, indent=2)
    # the index answered: an RH903 here is the client's fault (a malformed answer, a bad status)
    # unless the network failed on the way (then the evidence is partial: skipped, with why)
    broken = [f["message"] for f in findings if f["code"] == "RH903" and "malformed" in f["message"]]
    assert broken == [], broken
    skipped = [f["message"] for f in findings if f["code"] == "RH903" and "no core metadata (PEP 658)" in f["message"]]
    assert len(skipped) <= 1, skipped  # one note per run, never one per project
    flaky = [f["message"] for f in findings if f["code"] == "RH903" and f["message"] not in skipped]
    if flaky:
        pytest.skip(f"{len(flaky)} of {len(listed)} projects unanswered: {flaky[0]}")


def test_a_kept_alive_connection_asks_for_a_second_page() -> None:
    """What the live check found: the second request on a reused connection failed
    (ResponseNotReady) for every response with a Content-Length, so ~40% of the projects of a
    lock came back RH903 "malformed response" from pypi.org."""
    from req_hashlint.index._http import Client

    from .server import IndexServer, wheel

    with IndexServer({"alpha": [wheel("alpha", "1.0")], "beta": [wheel("beta", "1.0")]}) as server:
        client = Client(timeout=10)
        try:
            bodies = [client.get(server.page_url(name)).body for name in ("alpha", "beta", "alpha")]
        finally:
            client.close()
    assert all(b"alpha-1.0" in bodies[i] for i in (0, 2)) and b"beta-1.0" in bodies[1]
    assert len(server.page_requests) == 3
