"""`--index` on a pylock.toml against real pip 26.3, on the loopback index.

Each scenario is the lock real `uv export` wrote for the index's projects (tests/data/pylock), or a
mutation of it, with the index serving the genuine files or other ones. req-hashlint runs with
``--index`` (config ``environments`` set to this machine's environment, where pip runs), never
asking for an artifact; real pip then runs ``pip install -r pylock.toml``. Per scenario:

- req-hashlint reports exactly the expected RH3xx/RH903 codes;
- an error-level index finding <=> pip refuses the lock; with none, pip installs exactly the
  packages the lock selects here. One recorded exception: RH307/RH308 from the lock's own
  `dependencies` (stricter than pip, which does not read them; docs/stricter-than-pip.md).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NamedTuple

import pytest

from ..conftest import git
from ..fidelity.oracle import isolated_env
from ..index.server import Artifact, IndexServer, wheel
from .test_oracle import ALPHA, PROJECTS, SUPPORTED, TAMPERED, UV_EXPORT, _block, _installed, _pip, _selected, _sub

HERE = 'sys_platform == "linux" and platform_machine == "x86_64" and python_version == "3.11"'
ERRORS = frozenset({"RH301", "RH303", "RH304", "RH307", "RH308", "RH309"})
BETA_1 = wheel("beta", "1.0")
ALPHA_312 = wheel("alpha", "1.0", requires=["beta>=2", 'delta; sys_platform == "win32"'], requires_python=">=3.12")


class Scenario(NamedTuple):
    mutate: Callable[[str, str], str]  # (the uv lock with the index's address, that address) -> the lock
    codes: frozenset[str]  # the RH3xx/RH903 codes req-hashlint reports
    pip_ok: bool
    projects: dict[str, list[Artifact]] | None = None  # what the index serves (None: PROJECTS)


def _same(text: str, base: str) -> str:
    return text


def _drop(name: str) -> Callable[[str, str], str]:
    return lambda text, base: text.replace(_block(text, name), "").replace("\n\n\n", "\n\n")


def _s(old: str, new: str) -> Callable[[str, str], str]:
    return lambda text, base: _sub(old.replace("BASE", base), new.replace("BASE", base))(text)


def _and(*steps: Callable[[str, str], str]) -> Callable[[str, str], str]:
    def apply(text: str, base: str) -> str:
        for step in steps:
            text = step(text, base)
        return text

    return apply


def _served(**changes: list[Artifact]) -> dict[str, list[Artifact]]:
    return {**PROJECTS, **changes}


_ALPHA_HEAD = 'name = "alpha"\nversion = "1.0"\n'
_GAMMA_HEAD = 'name = "gamma"\nversion = "3.0"\n'
_BETA_SHA = "a5abda3e98a15a9b38c78987f947ee26a0a425038d2ba989184309836471db13"

SCENARIOS: dict[str, Scenario] = {
    "genuine": Scenario(_same, frozenset(), True),
    # the index serves other bytes under the lock's file names: every artifact mismatches
    "tampered-index": Scenario(_same, frozenset({"RH301"}), False, TAMPERED),
    # alpha's wheel listed with beta's wheel's digest (a copy-paste)
    "swapped-digest": Scenario(
        _s(f'sha256 = "{ALPHA.sha256}"', f'sha256 = "{_BETA_SHA}"'), frozenset({"RH301"}), False
    ),
    # alpha's own digest beside a second wheel the index does not serve (pip takes the py3 one)
    "unserved-wheel": Scenario(
        _s(
            'wheels = [{ url = "BASE/files/alpha-1.0-py3-none-any.whl"',
            'wheels = [{ url = "BASE/files/alpha-1.0-py2-none-any.whl", hashes = { sha256 = "'
            + "1" * 64
            + '" } }, { url = "BASE/files/alpha-1.0-py3-none-any.whl"',
        ),
        frozenset({"RH302"}),
        True,
    ),
    # beta dropped from the lock: alpha's metadata requires it, pip's hash-checking mode refuses it
    "dependency-dropped": Scenario(_drop("beta"), frozenset({"RH307"}), False),
    # beta locked at 1.0, which the index serves; alpha requires beta>=2
    "dependency-conflict": Scenario(
        _and(
            _s('name = "beta"\nversion = "2.0"', 'name = "beta"\nversion = "1.0"'),
            lambda text, base: re.sub(
                r'sdist = \{ url = "[^"]*beta-2.0.tar.gz".*\n', "", text.replace("beta-2.0-py3", "beta-1.0-py3")
            ).replace(_BETA_SHA, BETA_1.sha256),
        ),
        frozenset({"RH308"}),
        False,
        _served(beta=[BETA_1, *PROJECTS["beta"]]),
    ),
    # the lock's own `dependencies` (read instead of the metadata): complete, then naming a package it lacks
    "declared-dependencies": Scenario(
        _s(_ALPHA_HEAD, _ALPHA_HEAD + 'dependencies = [{ name = "beta" }, { name = "delta" }]\n'), frozenset(), True
    ),
    "declared-dependency-missing": Scenario(
        _s(_ALPHA_HEAD, _ALPHA_HEAD + 'dependencies = [{ name = "beta" }, { name = "omega" }]\n'),
        frozenset({"RH307"}),
        True,  # pip does not read `dependencies`: stricter than pip, on purpose
    ),
    "declared-dependency-version": Scenario(
        _s(_ALPHA_HEAD, _ALPHA_HEAD + 'dependencies = [{ name = "beta", version = "1.5" }]\n'),
        frozenset({"RH308"}),
        True,  # likewise
    ),
    # the package's own requires-python excludes this Python: packaging's select refuses the lock
    "package-requires-python": Scenario(
        _s(_GAMMA_HEAD, _GAMMA_HEAD + 'requires-python = ">=3.12"\n'), frozenset({"RH309"}), False
    ),
    # the wheel the lock installs here says Requires-Python >=3.12 (page and metadata)
    "file-requires-python": Scenario(
        _s(f'sha256 = "{ALPHA.sha256}"', f'sha256 = "{ALPHA_312.sha256}"'),
        frozenset({"RH309"}),
        False,
        _served(alpha=[ALPHA_312]),
    ),
    # yanked after locking: pip still installs the locked file
    "yanked": Scenario(
        _same,
        frozenset({"RH305"}),
        True,
        _served(alpha=[wheel("alpha", "1.0", requires=["beta>=2", 'delta; sys_platform == "win32"'], yanked="broken")]),
    ),
    # only beta's sdist is locked: pip builds it here
    "sdist-only": Scenario(
        lambda text, base: "\n".join(
            line for line in text.split("\n") if not line.startswith(f'wheels = [{{ url = "{base}/files/beta-2.0-py3')
        ),
        frozenset({"RH306", "RH903"}),  # an sdist has no core metadata: one note
        True,
    ),
    # the index no longer serves alpha 1.0 (the lock's URL answers 404)
    "version-gone": Scenario(
        _same, frozenset({"RH304"}), False, _served(alpha=[wheel("alpha", "2.0", requires=["beta>=2"])])
    ),
    # no core metadata served: the dependency checks are skipped with one note; pip installs
    "no-metadata": Scenario(
        _same,
        frozenset({"RH903"}),
        True,
        _served(
            alpha=[wheel("alpha", "1.0", requires=["beta>=2", 'delta; sys_platform == "win32"'], serve_metadata=False)]
        ),
    ),
    # a package names an index that cannot be reached: a note; pip installs from the lock's URLs
    "index-unreachable": Scenario(
        _s('index = "BASE/simple/"', 'index = "http://127.0.0.1:9/simple/"'), frozenset({"RH903"}), True
    ),
}


class Oracle(NamedTuple):
    server: IndexServer
    work: Path


@pytest.fixture(scope="module")
def oracle(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Oracle]:
    if not SUPPORTED:
        pytest.skip("the oracle's wheels are for CPython 3.11 on Linux x86_64")
    with IndexServer(PROJECTS, allow_artifacts=True) as server:
        yield Oracle(server, tmp_path_factory.mktemp("pylock-index"))


def _hashlint(where: Path, url: str, *args: str) -> tuple[int, list[dict[str, object]]]:
    env = {k: v for k, v in isolated_env().items() if not k.startswith("REQ_HASHLINT")}
    env["REQ_HASHLINT_CACHE_DIR"] = str(where / ".cache")
    cmd = [sys.executable, "-m", "req_hashlint", "--index", "--index-url", url, "--no-base", "--format", "json", *args]
    proc = subprocess.run([*cmd, "pylock.toml"], cwd=where, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode in (0, 1) and "Traceback" not in proc.stderr, proc.stderr
    return proc.returncode, json.loads(proc.stdout)["findings"]


def _lock(o: Oracle, name: str, environments: str | None = HERE) -> tuple[Path, str, Scenario]:
    s = SCENARIOS[name]
    where = o.work / name
    shutil.rmtree(where, ignore_errors=True)
    where.mkdir()
    git(where, "init", "-q", "-b", "main")
    text = s.mutate(UV_EXPORT.read_text().replace("http://127.0.0.1:PORT", o.server.base), o.server.base)
    (where / "pylock.toml").write_text(text)
    if environments is not None:
        (where / "pyproject.toml").write_text(f"[tool.req-hashlint]\nenvironments = [{json.dumps(environments)}]\n")
    return where, text, s


def check(o: Oracle, name: str) -> None:
    where, text, s = _lock(o, name)
    o.server.projects = dict(s.projects or PROJECTS)
    try:
        o.server.clear()
        _, findings = _hashlint(where, o.server.url)
        assert o.server.artifact_requests == [], "req-hashlint asked for an artifact"
        codes = {str(f["code"]) for f in findings if str(f["code"]).startswith(("RH3", "RH903"))}
        assert codes == s.codes, (name, findings)
        done = _pip(
            "install", "--index-url", o.server.url, "--target", str(where / "t"), "-r", "pylock.toml", cwd=where
        )
    finally:
        o.server.projects = dict(PROJECTS)
    log = done.stdout + done.stderr
    assert (done.returncode == 0) == s.pip_ok, f"{name}: pip exit {done.returncode}, expected ok={s.pip_ok}:\n{log}"
    declared = "dependencies = [" in text
    errors = {str(f["code"]) for f in findings if f["severity"] == "error"} & ERRORS
    assert bool(errors) == (not s.pip_ok) or declared, (name, errors, log)
    if s.pip_ok:
        wanted = _selected(text)
        assert _installed(where / "t", wanted) == wanted, (name, log)


SPOT = ["genuine", "swapped-digest", "dependency-dropped"]


@pytest.mark.parametrize("name", SPOT)
def test_index_oracle_spot_check(oracle: Oracle, name: str) -> None:
    check(oracle, name)


@pytest.mark.slow
@pytest.mark.parametrize("name", [n for n in SCENARIOS if n not in SPOT])
def test_index_oracle(oracle: Oracle, name: str) -> None:
    check(oracle, name)


# -- the default target environments (every platform), without pip -------------------------------
def _codes(o: Oracle, text: str, name: str, **served: list[Artifact]) -> list[tuple[str, int, str]]:
    where = o.work / name
    shutil.rmtree(where, ignore_errors=True)
    where.mkdir()
    git(where, "init", "-q", "-b", "main")
    (where / "pylock.toml").write_text(text)
    o.server.projects = _served(**served)
    try:
        _, findings = _hashlint(where, o.server.url)
    finally:
        o.server.projects = dict(PROJECTS)
    return [(str(f["code"]), int(str(f["line"])), str(f["message"])) for f in findings]


def _uv(o: Oracle) -> str:
    return UV_EXPORT.read_text().replace("http://127.0.0.1:PORT", o.server.base)


def test_a_platform_the_lock_lacks_is_rh303(oracle: Oracle) -> None:
    text = "\n".join(line for line in _uv(oracle).split("\n") if "gamma-3.0-cp311-cp311-win_amd64.whl" not in line)
    found = _codes(oracle, text, "uncovered")
    assert [c for c, _, _ in found] == ["RH303"], found
    _, line, message = found[0]
    assert text.split("\n")[line - 1] == "[[packages]]" and 'name = "gamma"' in text.split("\n")[line]
    assert "on CPython 3.11 on Windows x64, the lock lists no file that installs" in message
    assert "gamma-3.0-cp311-cp311-win_amd64.whl" in message


def test_a_one_platform_lock_is_rh013s_finding_alone(oracle: Oracle) -> None:
    """`pip lock` output (one platform, no `environments`): RH013 says it once, and the index rules
    judge it on that platform alone: no RH303 for gamma's other platforms, no RH307 for alpha's
    Windows-only dependency."""
    text = (Path(__file__).parent.parent / "data" / "pylock" / "pip-lock.toml").read_text()
    text = text.replace("http://127.0.0.1:8000", oracle.server.base)
    assert [c for c, _, _ in _codes(oracle, text, "pip-lock")] == ["RH013"]


def test_declared_environments_are_the_targets(oracle: Oracle) -> None:
    """A lock declaring `environments` is judged where one of them holds (elsewhere packaging's
    select refuses it anyway): a Linux-only lock lacks nothing."""
    text = "\n".join(
        line for line in _uv(oracle).split("\n") if not re.search(r"gamma-3.0-cp311-cp311-(win|macosx)", line)
    )
    text = text.replace(
        'requires-python = ">=3.11"', 'requires-python = ">=3.11"\nenvironments = ["sys_platform == \'linux\'"]'
    )
    assert _codes(oracle, text, "linux-only") == []


def test_markers_are_read_as_the_lock_reads_them(oracle: Oracle) -> None:
    """A package gated on a dependency group is installed only where the lock's default groups
    select it (PEP 751 `dependency_groups`): its missing dependency matters only then."""
    gated = _drop("beta")(_uv(oracle), oracle.server.base).replace(
        _ALPHA_HEAD, _ALPHA_HEAD + "marker = \"'dev' in dependency_groups\"\n"
    )
    assert _codes(oracle, gated, "gated") == []
    chosen = gated.replace('requires-python = ">=3.11"', 'requires-python = ">=3.11"\ndefault-groups = ["dev"]')
    assert [c for c, _, _ in _codes(oracle, chosen, "chosen")] == ["RH307"]


def test_a_wrong_digest_is_found_at_its_value(oracle: Oracle) -> None:
    """At the digest's own place, naming the served file it belongs to (an older release's)."""
    old = wheel("alpha", "0.9")
    text = _uv(oracle).replace(ALPHA.sha256, old.sha256)
    found = _codes(oracle, text, "at-value", alpha=[old, *PROJECTS["alpha"]])
    assert [c for c, _, _ in found] == ["RH301"], found
    _, line, message = found[0]
    assert old.sha256 in text.split("\n")[line - 1] and "alpha-1.0-py3-none-any.whl" in text.split("\n")[line - 1]
    assert message.startswith("alpha-1.0-py3-none-any.whl: the lock's sha256 is not the digest the index serves")
    assert "it is the digest of alpha-0.9-py3-none-any.whl" in message


def test_an_index_without_the_locks_algorithm_is_a_note(oracle: Oracle) -> None:
    """An artifact hashed only with sha512 on an index that gives sha256: nothing to compare, one RH903."""
    import hashlib

    digest = hashlib.sha512(ALPHA.data).hexdigest()
    text = _uv(oracle).replace(f'sha256 = "{ALPHA.sha256}"', f'sha512 = "{digest}"')
    found = _codes(oracle, text, "sha512")
    assert [c for c, _, _ in found] == ["RH903"], found
    assert "gives no sha512 digest" in found[0][2]


def test_fix_with_index_writes_nothing_into_a_lock(oracle: Oracle) -> None:
    """A digest other than the index's for a file of the same name is a broken lock or an index
    serving other bytes: only a person can tell, so `--fix --index` leaves the lock as it is."""
    where, _, _ = _lock(oracle, "swapped-digest", environments=None)
    before = (where / "pylock.toml").read_bytes()
    code, findings = _hashlint(where, oracle.server.url, "--fix")
    assert code == 1 and {f["code"] for f in findings} == {"RH301", "RH008"}, findings
    assert (where / "pylock.toml").read_bytes() == before


def test_a_lock_names_a_file_as_its_tool_writes_it(oracle: Oracle) -> None:
    """uv writes `send2trash-1.8.3-py3-none-any.whl` for the index's `Send2Trash-1.8.3-...`: the
    same file once its project part is normalized, checked against it (no RH302)."""
    served = wheel("Send2Trash", "1.0")
    assert served.filename == "Send2Trash-1.0-py3-none-any.whl"
    url = f"{oracle.server.base}/files/{served.filename}"
    text = (
        'lock-version = "1.0"\ncreated-by = "uv"\n\n[[packages]]\nname = "send2trash"\nversion = "1.0"\n'
        f'wheels = [{{ name = "send2trash-1.0-py3-none-any.whl", url = "{url}", '
        f'hashes = {{ sha256 = "{served.sha256}" }} }}]\n'
    )
    assert _codes(oracle, text, "normalized-name", send2trash=[served]) == []
    wrong = text.replace(served.sha256, "0" * 64)
    assert [c for c, _, _ in _codes(oracle, wrong, "normalized-name-wrong", send2trash=[served])] == ["RH301"]


def test_a_patch_level_requires_python_keeps_its_minor(oracle: Oracle) -> None:
    """`requires-python = ">=3.11.5"` is a lock for CPython 3.11 (and later), not against it: 3.11
    stays a target, and its missing Windows wheel is found."""
    text = "\n".join(line for line in _uv(oracle).split("\n") if "gamma-3.0-cp311-cp311-win_amd64.whl" not in line)
    text = text.replace('requires-python = ">=3.11"', 'requires-python = ">=3.11.5"')
    found = _codes(oracle, text, "patch-level")
    assert [c for c, _, _ in found] == ["RH303"] and "CPython 3.11 on Windows x64" in found[0][2], found


def test_a_one_platform_lock_is_judged_where_all_its_wheels_install(oracle: Oracle) -> None:
    """`pip lock` on CPython 3.11 for Linux: an abi3 wheel installs on every later Python too, a
    cp311 one on 3.11 alone; the lock is judged on 3.11, so the cp312 wheel the index also serves
    is no RH303."""
    abi3 = wheel("delta", "1.0", tag="cp39-abi3-manylinux_2_17_x86_64")
    cp312 = wheel("gamma", "3.0", tag="cp312-cp312-manylinux_2_17_x86_64")
    text = (Path(__file__).parent.parent / "data" / "pylock" / "pip-lock.toml").read_text()
    text = text.replace("http://127.0.0.1:8000", oracle.server.base)
    text += (
        f'\n[[packages]]\nname = "delta"\nversion = "1.0"\n\n[[packages.wheels]]\nname = "{abi3.filename}"\n'
        f'url = "{oracle.server.base}/files/{abi3.filename}"\n\n[packages.wheels.hashes]\nsha256 = "{abi3.sha256}"\n'
    )
    found = _codes(oracle, text, "one-python", delta=[abi3], gamma=[*PROJECTS["gamma"], cp312])
    assert [c for c, _, _ in found] == ["RH013"], found
