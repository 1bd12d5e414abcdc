"""``--index`` end to end: the real command, a real loopback index, real git repositories.

The command runs in-process (``run_cli``) with this machine's ``PIP_*`` variables cleared (pip's
environment counts: a ``PIP_FIND_LINKS`` would make every project unverifiable) and the page
cache in the test's own directory.
"""

from __future__ import annotations

import json
import re
import socket
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from req_hashlint.reporters import REPORTERS

from ..conftest import H1, Run, git
from ..test_sarif import assert_good_log
from .server import Artifact, IndexServer, sdist, wheel

RunCli = Callable[..., Run]

A10 = wheel("alpha", "1.0")
A11 = wheel("alpha", "1.1")
GAMMA = sdist("gamma", "1.0")
YANKED = wheel("yank", "1.0", yanked="broken build")
DELTA_LINUX = wheel("delta", "1.0", "cp310-cp310-manylinux_2_17_x86_64")
DELTA_WIN = wheel("delta", "1.0", "cp312-cp312-win_amd64")
PROJECTS: dict[str, list[Artifact]] = {
    "alpha": [A10, A11],
    "gamma": [GAMMA],
    "yank": [YANKED],
    "delta": [DELTA_LINUX, DELTA_WIN],
    "broken": [wheel("broken", "1.0")],
}


def pin(name: str, version: str, *files: Artifact | str) -> str:
    hashes = " ".join(f"--hash=sha256:{f if isinstance(f, str) else f.sha256}" for f in files)
    return f"{name}=={version} {hashes}\n"


pytestmark = pytest.mark.usefixtures("quiet_pip")  # no PIP_* of this machine; the cache in tmp


@pytest.fixture
def served(make_index: Callable[..., IndexServer]) -> IndexServer:
    return make_index(PROJECTS, status={"broken": 500})


def lines(run: Run, code: str | None = None) -> list[str]:
    return [ln for ln in run.lines if code is None or f": {code} " in ln]


def write(repo: Path, files: Mapping[str, str]) -> None:
    for name, text in files.items():
        (repo / name).write_text(text)


# -- what it finds ----------------------------------------------------------------------------


def test_a_stale_set_with_no_git_history_is_rh301_naming_the_version(
    run_cli: RunCli, repo: Path, served: IndexServer
) -> None:
    """The pin moved to 1.1 but the hashes are 1.0's, and git never saw the old line (RH101
    cannot tell): the index can."""
    write(repo, {"requirements.txt": f"--index-url {served.url}\n" + pin("alpha", "1.1", A10)})
    r = run_cli("--index", cwd=repo)
    assert r.code == 1
    (found,) = lines(r, "RH301")
    assert found.startswith("requirements.txt:2:1: RH301 alpha==1.1") and "1.0" in found
    assert lines(r, "RH101") == []
    assert served.artifact_requests == [] and served.page_requests == ["/simple/alpha/"]


def test_a_clean_lock_exits_0(run_cli: RunCli, repo: Path, served: IndexServer) -> None:
    write(repo, {"requirements.txt": f"-i {served.url}\n" + pin("alpha", "1.1", A11)})
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "lock")
    r = run_cli("--index", cwd=repo)
    assert (r.code, r.out) == (0, ""), r.out + r.err
    assert served.page_requests == ["/simple/alpha/"]


def test_without_index_the_same_stale_set_passes(run_cli: RunCli, repo: Path, served: IndexServer) -> None:
    """The offline default cannot see it (and asks nothing): what --index adds."""
    write(repo, {"requirements.txt": f"--index-url {served.url}\n" + pin("alpha", "1.1", A10)})
    r = run_cli("--no-base", cwd=repo)
    assert (r.code, r.out) == (0, "") and served.requests == []


def test_every_index_rule_end_to_end(run_cli: RunCli, repo: Path, served: IndexServer) -> None:
    text = f"--index-url {served.url}\n" + "".join(
        [
            pin("alpha", "1.1", A10),  # RH301
            pin("alpha", "1.0", A10, H1),  # RH302 (and RH007: one project twice)
            pin("delta", "1.0", DELTA_LINUX),  # RH303 on CPython 3.12 Windows
            pin("nope", "1.0", H1),  # RH304
            pin("yank", "1.0", YANKED),  # RH305
            pin("gamma", "1.0", GAMMA),  # RH306
            pin("broken", "1.0", H1),  # RH903: the index answers 500
        ]
    )
    write(repo, {"requirements.txt": text})
    r = run_cli("--index", "--no-base", cwd=repo)
    got = {ln.split(" ")[1]: ln for ln in r.lines}
    assert {"RH301", "RH302", "RH303", "RH304", "RH305", "RH306", "RH903"} <= set(got), r.out
    assert got["RH303"].startswith("requirements.txt:4:1: RH303") and "Windows" in got["RH303"]
    assert got["RH305"].startswith("requirements.txt:6:1: ") and "broken build" in got["RH305"]
    assert got["RH903"].startswith("requirements.txt:8:1: ") and "500" in got["RH903"]
    assert r.code == 1 and "Traceback" not in r.err
    assert served.artifact_requests == []
    # one request per project, whatever the number of lines naming it
    assert sorted(served.page_requests) == sorted(f"/simple/{p}/" for p in (*PROJECTS, "nope"))


def test_sarif_with_every_index_rule_validates(run_cli: RunCli, repo: Path, served: IndexServer) -> None:
    text = f"--index-url {served.url}\n" + pin("alpha", "1.1", A10) + pin("alpha", "1.0", A10, H1)
    text += pin("delta", "1.0", DELTA_LINUX) + pin("nope", "1.0", H1) + pin("yank", "1.0", YANKED)
    text += pin("gamma", "1.0", GAMMA) + pin("broken", "1.0", H1)
    write(repo, {"requirements.txt": text})
    r = run_cli("--index", "--no-base", "--format", "sarif", cwd=repo)
    log = assert_good_log(r.out, repo)
    ids = {res["ruleId"] for res in log["runs"][0]["results"]}
    assert {"RH301", "RH302", "RH303", "RH304", "RH305", "RH306", "RH903"} <= ids


def test_an_html_only_index(run_cli: RunCli, repo: Path, make_index: Callable[..., IndexServer]) -> None:
    html = make_index(PROJECTS, json=False)
    write(
        repo, {"requirements.txt": f"--index-url {html.url}\n" + pin("alpha", "1.1", A10) + pin("yank", "1.0", YANKED)}
    )
    r = run_cli("--index", "--no-base", cwd=repo)
    assert [ln.split(" ")[1] for ln in r.lines] == ["RH301", "RH305"], r.out
    assert "1.0" in lines(r, "RH301")[0] and "broken build" in lines(r, "RH305")[0]


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_an_unreachable_index_is_an_rh903_note_and_exit_0(run_cli: RunCli, repo: Path) -> None:
    url = f"http://127.0.0.1:{_closed_port()}/simple/"
    write(repo, {"requirements.txt": f"--index-url {url}\n" + pin("alpha", "1.1", A10) + pin("gamma", "1.0", GAMMA)})
    r = run_cli("--index", "--no-base", cwd=repo)
    assert r.code == 0 and "Traceback" not in r.out + r.err
    notes = lines(r, "RH903")  # one index down: one note, naming the projects it leaves unchecked
    assert len(notes) == 1 and "connection" in notes[0] and "2 projects (alpha and gamma)" in notes[0], r.out
    assert lines(r) == notes
    assert run_cli("--index", "--no-base", "--fail-on", "note", cwd=repo).code == 1


def test_no_index_and_find_links_are_not_verifiable(run_cli: RunCli, repo: Path, served: IndexServer) -> None:
    write(
        repo,
        {
            "requirements.txt": f"--index-url {served.url}\n--no-index\n" + pin("alpha", "1.1", A10),
            "requirements-fl.txt": f"-f ./wheels\n-i {served.url}\n" + pin("gamma", "1.0", GAMMA),
        },
    )
    r = run_cli("--index", "--no-base", cwd=repo)
    assert [ln.split(" ")[:2] for ln in r.lines] == [
        ["requirements-fl.txt:3:1:", "RH903"],
        ["requirements.txt:3:1:", "RH903"],
    ], r.out
    assert "--find-links" in r.lines[0] and "./wheels" in r.lines[0] and "--no-index" in r.lines[1]
    assert served.requests == []


# -- which index: the command line, the config, the files -------------------------------------


def test_the_command_line_index_and_a_file_that_replaces_it(
    run_cli: RunCli, repo: Path, make_index: Callable[..., IndexServer]
) -> None:
    """alpha 1.0 has other bytes on each index: each root is checked against the index pip
    uses for it (one fetch for both lists)."""
    other = wheel("alpha", "1.0", "py2.py3-none-any")  # another file of 1.0
    first, second = make_index({"alpha": [A10]}), make_index({"alpha": [other]})
    write(
        repo,
        {
            "requirements.txt": pin("alpha", "1.0", A10),  # the command line's index: first
            "requirements-b.txt": f"--index-url {second.url}\n" + pin("alpha", "1.0", other),  # replaced
            "requirements-c.txt": f"--index-url {second.url}\n" + pin("alpha", "1.0", A10),  # wrong there
        },
    )
    r = run_cli("--index", "--no-base", "--index-url", first.url, cwd=repo)
    assert [ln.split(" ")[:2] for ln in r.lines] == [["requirements-c.txt:2:1:", "RH301"]], r.out
    assert first.page_requests == ["/simple/alpha/"] and second.page_requests == ["/simple/alpha/"]


def test_extra_index_urls_add_files(run_cli: RunCli, repo: Path, make_index: Callable[..., IndexServer]) -> None:
    first, second = make_index({"alpha": [A10]}), make_index({"alpha": [A11]})
    write(repo, {"requirements.txt": pin("alpha", "1.1", A11)})
    r = run_cli("--index", "--no-base", "--index-url", first.url, "--extra-index-url", second.url, cwd=repo)
    assert (r.code, r.out) == (0, "")
    r = run_cli("--index", "--no-base", "--index-url", first.url, cwd=repo)
    assert [ln.split(" ")[1] for ln in r.lines] == ["RH304"]


def test_config_turns_it_on_and_names_the_index(run_cli: RunCli, repo: Path, served: IndexServer) -> None:
    write(
        repo,
        {
            "pyproject.toml": f'[tool.req-hashlint]\nindex = true\nindex-url = "{served.url}"\n',
            "requirements.txt": pin("alpha", "1.1", A10),
        },
    )
    r = run_cli("--no-base", cwd=repo)
    assert [ln.split(" ")[1] for ln in r.lines] == ["RH301"], r.out + r.err
    assert served.page_requests == ["/simple/alpha/"]


def test_pip_environment_variables_start_the_list(
    run_cli: RunCli, repo: Path, served: IndexServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PIP_INDEX_URL", served.url)
    write(repo, {"requirements.txt": pin("alpha", "1.1", A10)})
    r = run_cli("--index", "--no-base", cwd=repo)
    assert [ln.split(" ")[1] for ln in r.lines] == ["RH301"] and served.page_requests == ["/simple/alpha/"]


# -- target environments: requires-python and `environments` ----------------------------------


def test_requires_python_and_environments_choose_the_targets(run_cli: RunCli, repo: Path, served: IndexServer) -> None:
    """delta 1.0's only hashed file is a CPython 3.10 Linux wheel; its CPython 3.12 Windows wheel
    is not hashed. RH303 fires for CPython 3.12 on Windows only while that is a target."""
    write(repo, {"requirements.txt": f"-i {served.url}\n" + pin("delta", "1.0", DELTA_LINUX)})
    assert [ln.split(" ")[1] for ln in run_cli("--index", "--no-base", cwd=repo).lines] == ["RH303"]
    project = '[project]\nname = "x"\nrequires-python = ">=3.10,<3.12"\n'
    write(repo, {"pyproject.toml": project})
    assert run_cli("--index", "--no-base", cwd=repo).lines == []
    write(repo, {"pyproject.toml": "[tool.req-hashlint]\nenvironments = [\"sys_platform == 'linux'\"]\n"})
    assert run_cli("--index", "--no-base", cwd=repo).lines == []
    write(repo, {"pyproject.toml": "[tool.req-hashlint]\nenvironments = [\"sys_platform == 'win32'\"]\n"})
    assert [ln.split(" ")[1] for ln in run_cli("--index", "--no-base", cwd=repo).lines] == ["RH303"]


def test_an_invalid_requires_python_is_warned_about_and_left_out(
    run_cli: RunCli, repo: Path, served: IndexServer
) -> None:
    write(
        repo,
        {
            "pyproject.toml": '[project]\nname = "x"\nrequires-python = "three"\n',
            "requirements.txt": f"-i {served.url}\n" + pin("delta", "1.0", DELTA_LINUX),
        },
    )
    r = run_cli("--index", "--no-base", cwd=repo)
    assert [ln.split(" ")[1] for ln in r.lines] == ["RH303"]
    assert "requires-python 'three' is not a version specifier" in r.err


# -- credentials ------------------------------------------------------------------------------

SECRET = "s3cr3t-pw-zq9"


def test_credentials_reach_the_index_and_never_any_output(
    run_cli: RunCli, repo: Path, make_index: Callable[..., IndexServer], monkeypatch: pytest.MonkeyPatch
) -> None:
    private = make_index(PROJECTS, auth=("user", SECRET), status={"broken": 500})
    host = private.url.split("://", 1)[1]
    monkeypatch.setenv("THE_TOKEN", SECRET)
    write(
        repo,
        {
            # a file's index, its password from the environment as pip expands it
            "requirements.txt": f"--index-url http://user:${{THE_TOKEN}}@{host}\n"
            + pin("alpha", "1.1", A10)
            + pin("nope", "1.0", H1)
            + pin("broken", "1.0", H1),
            "requirements-cli.txt": pin("gamma", "1.0", A10),
        },
    )
    for fmt in sorted(REPORTERS):
        r = run_cli("--index", "--no-base", "--format", fmt, "--index-url", f"http://user:{SECRET}@{host}", cwd=repo)
        said = r.out + r.err
        assert SECRET not in said and "Traceback" not in said, fmt
        assert "RH301" in said and "RH304" in said and "RH903" in said, (fmt, said)
    # every page was asked with the credentials (an unauthorized one would be a 401 and RH903)
    assert private.page_requests and all("authorization" in h for h in private.request_headers)
    r = run_cli("--index", "--no-base", "--format", "json", "--index-url", f"http://user:{SECRET}@{host}", cwd=repo)
    found = json.loads(r.out)
    assert SECRET not in json.dumps(found)


# -- the cache --------------------------------------------------------------------------------


def test_a_warm_cache_asks_nothing_and_refresh_asks_again(
    run_cli: RunCli, repo: Path, served: IndexServer, quiet_pip: Path
) -> None:
    write(repo, {"requirements.txt": f"-i {served.url}\n" + pin("alpha", "1.1", A10) + pin("gamma", "1.0", GAMMA)})
    first = run_cli("--index", "--no-base", cwd=repo)
    assert sorted(served.page_requests) == ["/simple/alpha/", "/simple/gamma/"]
    assert any(quiet_pip.rglob("*")), "the pages are cached in REQ_HASHLINT_CACHE_DIR"
    served.clear()
    warm = run_cli("--index", "--no-base", cwd=repo)
    assert served.requests == [] and warm.out == first.out
    refreshed = run_cli("--index", "--no-base", "--refresh", cwd=repo)
    assert sorted(served.page_requests) == ["/simple/alpha/", "/simple/gamma/"] and refreshed.out == first.out


# -- the README's recipes ---------------------------------------------------------------------


def _readme_index_section() -> str:
    from ..conftest import REPO

    text = (REPO / "README.md").read_text(encoding="utf-8")
    start = text.index("## Index evidence")
    return text[start : text.index("\n## ", start + 1)]


def test_readme_index_workflow_is_hardened_and_runs_with_index() -> None:
    import yaml

    blocks = re.findall(r"^```yaml\n(.*?)^```$", _readme_index_section(), re.M | re.S)
    (workflow,) = [yaml.safe_load(b) for b in blocks if "jobs:" in b]
    assert workflow["permissions"] == {}
    (job,) = workflow["jobs"].values()
    assert job["permissions"] == {"contents": "read", "security-events": "write"}
    runs = [s["run"] for s in job["steps"] if "req_hashlint" in s.get("run", "")]
    assert runs == ["python -m req_hashlint --index --no-base --format sarif --output req-hashlint.sarif --exit-zero"]
    from req_hashlint._cli import _parser

    known = {o for a in _parser()._actions for o in a.option_strings}
    assert set(re.findall(r"(--[a-z-]+)", runs[0])) <= known
    uses = [s["uses"] for s in job["steps"] if "uses" in s]
    assert uses and all(re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", u) for u in uses)
    (upload,) = [s for s in job["steps"] if "upload-sarif" in s.get("uses", "")]
    assert upload["with"]["sarif_file"] == "req-hashlint.sarif"
    hook = [b for b in blocks if "id: req-hashlint" in b]
    assert hook and "args: [--index]" in hook[0]


@pytest.mark.parametrize(
    "url", ["http://[::1", "ftp://127.0.0.1/simple/", "not-a-url", "http://127.0.0.1:99999/simple/", "https://a b/"]
)
def test_any_index_url_is_a_note_never_a_crash(run_cli: RunCli, repo: Path, url: str) -> None:
    """A URL the HTTP layer cannot even parse (`http://[::1` raises inside it) is an RH903, exit 0."""
    write(repo, {"requirements.txt": pin("alpha", "1.1", A10)})
    r = run_cli("--index", "--no-base", "--index-url", url, cwd=repo)
    assert r.code == 0 and "Traceback" not in r.err and "internal error" not in r.err
    (note,) = r.lines
    assert note.startswith("requirements.txt:1:1: RH903 ") and "alpha" in note


def test_config_urls_expand_variables_and_stdin_is_checked(
    run_cli: RunCli,
    repo: Path,
    make_index: Callable[..., IndexServer],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The config's index URL takes ``${VAR}`` credentials (as pip's files do); stdin's text is a
    root file like any other."""
    import io
    import sys

    private = make_index(PROJECTS, auth=("user", SECRET))
    host = private.url.split("://", 1)[1]
    monkeypatch.setenv("THE_TOKEN", SECRET)
    write(repo, {"pyproject.toml": f'[tool.req-hashlint]\nindex-url = "http://user:${{THE_TOKEN}}@{host}"\n'})
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(pin("alpha", "1.1", A10).encode())))
    r = run_cli("--index", "--no-base", "-", cwd=repo)
    assert [ln.split(" ")[:2] for ln in r.lines] == [["-:1:1:", "RH301"]], r.out + r.err
    assert SECRET not in r.out + r.err and private.page_requests == ["/simple/alpha/"]


@pytest.mark.slow
def test_the_pre_commit_hook_with_index_args(
    tmp_path: Path,
    make_index: Callable[..., IndexServer],
    tmp_path_factory: pytest.TempPathFactory,
    worker_id: str,
) -> None:
    """The README's hook snippet, `args: [--index]` (with the index named), on a real `git commit`."""
    from ..precommit_support import _run, shared_site

    site = shared_site(tmp_path_factory, worker_id)  # its hook environment is installed already
    served = make_index(PROJECTS)
    repo = site.new_repo(tmp_path / "consumer", args=("--index", "--index-url", served.url))
    (repo / "requirements.txt").write_text(pin("alpha", "1.1", A10))
    site.git(repo, "add", "requirements.txt", ".pre-commit-config.yaml")
    env = {k: v for k, v in site.env.items() if not k.startswith("PIP_")}
    env["REQ_HASHLINT_CACHE_DIR"] = str(tmp_path / "cache")
    proc = _run(["git", "commit", "-m", "stale"], repo, env, check=False)
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0 and "requirements.txt:1:1: RH301 alpha==1.1" in out, out
    assert served.page_requests == ["/simple/alpha/"] and served.artifact_requests == []


def test_every_package_is_shipped() -> None:
    """pyproject.toml lists the packages by hand: `req_hashlint.index` was missing, and an
    installed --index failed with ModuleNotFoundError (the pre-commit test above found it)."""
    import sys

    from ..conftest import REPO

    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    listed = set(tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(REPO).parts) for p in (REPO / "req_hashlint").rglob("__init__.py")}
    assert found == listed
