"""Core metadata (PEP 658/714) from a real loopback index: asked once per file pip would pick,
verified against the advertised hash, cached under it, never the artifact (RH307, RH308, RH903)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from req_hashlint.index._metadata import load, parse_metadata
from req_hashlint.index._model import Cause, Metadata, ServedFile, Unavailable

from ..conftest import Run
from .server import Artifact, IndexServer, sdist, wheel

RunCli = Callable[..., Run]

APP = wheel("app", "1.0", requires=["dep>=2", 'winonly ; sys_platform == "win32"'])
DEP = wheel("dep", "2.0")
OLD_DEP = wheel("dep", "1.0")
WINONLY = wheel("winonly", "0.4")
BARE = wheel("bare", "1.0", requires=["dep"], serve_metadata=False)
SDIST = sdist("plain", "1.0")
PROJECTS: dict[str, list[Artifact]] = {
    "app": [APP],
    "dep": [OLD_DEP, DEP],
    "winonly": [WINONLY],
    "bare": [BARE],
    "plain": [SDIST],
}


def pin(name: str, version: str, *files: Artifact, marker: str = "") -> str:
    hashes = " ".join(f"--hash=sha256:{f.sha256}" for f in files)
    return f"{name}=={version}{' ; ' + marker if marker else ''} {hashes}\n"


pytestmark = pytest.mark.usefixtures("quiet_pip")  # no PIP_* of this machine; the cache in tmp


def findings(run: Run) -> list[dict[str, object]]:
    assert "Traceback" not in run.err, run.err
    return [f for f in json.loads(run.out)["findings"] if str(f["code"]).startswith(("RH3", "RH903"))]


def lint(run_cli: RunCli, repo: Path, server: IndexServer, text: str, *more: str) -> list[dict[str, object]]:
    (repo / "requirements.txt").write_text(text)
    return findings(run_cli("--index", "--no-base", "--format", "json", "--index-url", server.url, *more, cwd=repo))


def test_a_lock_missing_a_windows_dependency(
    run_cli: RunCli, repo: Path, make_index: Callable[..., IndexServer]
) -> None:
    index = make_index(PROJECTS)
    found = lint(run_cli, repo, index, pin("app", "1.0", APP) + pin("dep", "2.0", DEP))
    assert [(f["code"], f["line"]) for f in found] == [("RH307", 1)]
    assert 'requires `winonly ; sys_platform == "win32"` on CPython 3.10-3.14 on Windows x64' in str(
        found[0]["message"]
    )
    assert index.artifact_requests == []
    assert sorted(r for r in index.requests if r.endswith(".metadata")) == [
        f"/files/{APP.filename}.metadata",
        f"/files/{DEP.filename}.metadata",
    ]


def test_a_conflict_and_the_fixed_lock(run_cli: RunCli, repo: Path, make_index: Callable[..., IndexServer]) -> None:
    index = make_index(PROJECTS)
    win = pin("winonly", "0.4", WINONLY, marker='sys_platform == "win32"')
    found = lint(run_cli, repo, index, pin("app", "1.0", APP) + pin("dep", "1.0", OLD_DEP) + win)
    assert [(f["code"], f["line"]) for f in found] == [("RH308", 2)]
    assert lint(run_cli, repo, index, pin("app", "1.0", APP) + pin("dep", "2.0", DEP) + win) == []


def test_the_metadata_is_cached_under_its_hash(
    run_cli: RunCli, repo: Path, make_index: Callable[..., IndexServer], quiet_pip: Path
) -> None:
    index = make_index(PROJECTS, max_age=600)
    text = pin("app", "1.0", APP) + pin("dep", "2.0", DEP)
    first = lint(run_cli, repo, index, text)
    index.clear()
    assert lint(run_cli, repo, index, text) == first and index.requests == []
    # the cache is checked again: an entry edited on disk is asked for anew, and not believed
    for path in quiet_pip.rglob("*"):
        if path.is_file() and b"Requires-Dist: dep>=2" in path.read_bytes():
            path.write_bytes(path.read_bytes().replace(b"Requires-Dist: dep>=2", b"Requires-Dist: dep>=9"))
    assert lint(run_cli, repo, index, text) == first
    assert index.requests == [f"/files/{APP.filename}.metadata"]


def test_metadata_that_does_not_match_its_hash_is_refused(
    run_cli: RunCli, repo: Path, make_index: Callable[..., IndexServer]
) -> None:
    forged = APP._replace(metadata=b"Metadata-Version: 2.1\nName: app\nVersion: 1.0\n")  # no dependency at all
    index = make_index({**PROJECTS, "app": [forged._replace(metadata_hash=APP.metadata_hash or _sha(APP.metadata))]})
    found = lint(run_cli, repo, index, pin("app", "1.0", forged))
    assert [f["code"] for f in found] == ["RH903"]
    msg = str(found[0]["message"])
    assert "the core metadata of app could not be had (metadata does not match its advertised hash" in msg
    assert "dependency checks (RH307, RH308) were skipped" in msg


def test_metadata_not_served_is_one_note_for_the_run(
    run_cli: RunCli, repo: Path, make_index: Callable[..., IndexServer]
) -> None:
    index = make_index(PROJECTS)
    found = lint(run_cli, repo, index, pin("bare", "1.0", BARE) + pin("plain", "1.0", SDIST))
    notes = [f for f in found if f["code"] == "RH903"]
    assert len(notes) == 1 and sorted(str(f["code"]) for f in found) == ["RH306", "RH903"]
    assert "no core metadata (PEP 658) for the files pip would install of 2 projects (bare and plain)" in str(
        notes[0]["message"]
    )
    assert index.artifact_requests == [] and not any(r.endswith(".metadata") for r in index.requests)


def test_an_html_index_advertises_it_too(run_cli: RunCli, repo: Path, make_index: Callable[..., IndexServer]) -> None:
    index = make_index(PROJECTS, json=False)
    found = lint(run_cli, repo, index, pin("app", "1.0", APP) + pin("dep", "2.0", DEP))
    assert [f["code"] for f in found] == ["RH307"]


def test_credentials_of_the_index_reach_its_metadata(
    run_cli: RunCli, repo: Path, make_index: Callable[..., IndexServer]
) -> None:
    secret = "s3cr3t-metadata"
    index = make_index(PROJECTS, auth=("user", secret), auth_files=True)
    host = index.url.split("://", 1)[1]
    (repo / "requirements.txt").write_text(pin("app", "1.0", APP) + pin("dep", "2.0", DEP))
    r = run_cli("--index", "--no-base", "--format", "json", "--index-url", f"http://user:{secret}@{host}", cwd=repo)
    assert secret not in r.out + r.err
    assert [f["code"] for f in findings(r)] == ["RH307"]  # asked and answered, with the credentials
    assert any(p.endswith(".metadata") for p in index.requests)


def test_ignoring_the_dependency_rules_asks_for_no_metadata(
    run_cli: RunCli, repo: Path, make_index: Callable[..., IndexServer]
) -> None:
    index = make_index(PROJECTS)
    found = lint(run_cli, repo, index, pin("app", "1.0", APP), "--ignore", "RH307,RH308,RH309,RH903")
    assert found == [] and not any(r.endswith(".metadata") for r in index.requests)


def _sha(data: bytes | None) -> str:
    import hashlib

    assert data is not None
    return hashlib.sha256(data).hexdigest()


# -- the pieces ---------------------------------------------------------------------------------


def test_parse_reads_the_headers_as_pip_does() -> None:
    body = (
        b"Metadata-Version: 2.3\r\nName: x\r\nrequires-dist: a>=1\r\nRequires-Dist: b ;\r\n"
        b'  extra == "y"\r\nRequires-Python: >=3.9\r\n\r\nRequires-Dist: not-a-header\n'
    )
    assert parse_metadata(body) == Metadata(("a>=1", 'b ; extra == "y"'), ">=3.9")
    assert parse_metadata(b"") == Metadata((), None)
    # a first line that is no header ends the headers there, for pip's email parser and for this one
    assert parse_metadata(b"\xff\xfe garbage\nRequires-Dist: ok\n") == Metadata((), None)
    assert parse_metadata(b"Name: x\nRequires-Dist: caf\xc3\xa9\n") == Metadata(("café",), None)


def test_load_answers_every_file_and_never_raises(make_index: Callable[..., IndexServer], tmp_path: Path) -> None:
    index = make_index(PROJECTS, status={"app": 500})
    url = index.base + "/files/"
    files = [
        (
            "k",
            "dep",
            ServedFile(
                DEP.filename, url + DEP.filename, {"sha256": DEP.sha256}, metadata={"sha256": _sha(DEP.metadata)}
            ),
        ),
        ("k", "gone", ServedFile("gone-1.0-py3-none-any.whl", url + "gone-1.0-py3-none-any.whl", {}, metadata={})),
        ("k", "bare", ServedFile(BARE.filename, url + BARE.filename, {}, metadata=None)),
        ("k", "odd", ServedFile("odd.whl", "http://[::1", {}, metadata={})),
    ]
    got = load(files, {"k": (index.url,)}, cache_dir=str(tmp_path))
    assert got[files[0][2].url] == Metadata((), None)
    assert isinstance(gone := got[files[1][2].url], Unavailable) and gone.cause is Cause.STATUS and "404" in gone.detail
    assert got[files[2][2].url] == Unavailable("bare", Cause.NO_METADATA, BARE.filename)
    assert isinstance(got[files[3][2].url], Unavailable)
    assert index.artifact_requests == []
