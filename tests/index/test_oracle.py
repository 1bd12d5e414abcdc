"""The RH3xx verdicts against real pip, on the loopback index (tests/index/scenarios.py).

For every scenario, req-hashlint runs with ``--index`` against a loopback index that refuses
artifacts, and must report exactly the expected RH3xx/RH903 codes without asking for one.

Then the differential (slow): in every environment a scenario names, real pip downloads the
requirements from an index that serves the artifacts (``pip download --no-deps
--require-hashes``, with ``--platform``/``--python-version``/``--only-binary :all:`` standing in
for other machines), and req-hashlint judges the same environment alone (config
``environments`` set to that environment's marker). The agreement rule, per environment:

- req-hashlint reports an error-level RH301/RH303/RH304/RH309 <=> pip fails;
- otherwise pip succeeds, and RH305 <=> pip picked a yanked file, RH306 <=> pip picked an sdist.

A clean verdict therefore means pip succeeds in every environment. 100% agreement is asserted;
on failure the whole table is printed. ``python -m tests.index.test_oracle [SCENARIO ...]`` runs
the differential by hand and prints the table.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import NamedTuple

import pytest

from req_hashlint.rules import RULES

from ..conftest import git_env
from ..fidelity.oracle import CURRENT, isolated_env, python_for
from . import scenarios as S
from .server import Artifact, IndexServer, sdist, wheel

INDEX_CODES = ("RH3", "RH903")
INDEX_RULES = frozenset(r.code for r in RULES if r.evidence)
ERRORS = frozenset({"RH301", "RH303", "RH304", "RH307", "RH308", "RH309"})
PIP_CACHE = Path(tempfile.gettempdir()) / "req-hashlint-fidelity"


Index = IndexServer


# -- building a scenario ----------------------------------------------------------------------
def artifact(f: S.File) -> Artifact:
    if f.tag is None:
        art = sdist(f.project, f.version, requires_python=f.requires_python, yanked=f.yanked)
    else:
        extras = {extra: list(reqs) for extra, reqs in f.extras}
        art = wheel(f.project, f.version, f.tag, f.requires, extras, requires_python=f.requires_python, yanked=f.yanked)
    assert art.filename == f.filename, (art.filename, f.filename)
    return art


class Built(NamedTuple):
    projects: dict[str, list[Artifact]]
    data: dict[str, bytes]  # filename -> bytes
    yanked: frozenset[str]  # filenames served as yanked


def build(scenario: S.Scenario) -> Built:
    projects = {name: [artifact(f) for f in files] for name, files in scenario.projects().items()}
    data = {a.filename: a.data for arts in projects.values() for a in arts}
    yanked = frozenset(a.filename for arts in projects.values() for a in arts if a.yanked is not None)
    return Built(projects, data, yanked)


def write(scenario: S.Scenario, built: Built, where: Path, environments: str | None = None) -> Path:
    """The scenario's files in a fresh git repository ``where``; with ``environments`` (a marker),
    a pyproject.toml that restricts req-hashlint to it."""
    where.mkdir(parents=True)
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=where, env=git_env(), check=True)
    (where / "requirements.txt").write_text(S.render(scenario.requirements, built.data), encoding="utf-8")
    pyproject = ""
    for rel, text in scenario.extra_files.items():
        if rel == "pyproject.toml":
            pyproject = text
            continue
        (where / rel).write_text(S.render(text, built.data), encoding="utf-8")
    if environments is not None:
        pyproject += f"\n[tool.req-hashlint]\nenvironments = [{json.dumps(environments)}]\n"
    if pyproject:
        (where / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    return where


# -- req-hashlint ------------------------------------------------------------------------------
class Verdict(NamedTuple):
    codes: frozenset[str]  # RH3xx and RH903 codes
    messages: tuple[str, ...]
    stderr: str


def hashlint(where: Path, url: str) -> Verdict:
    env = {k: v for k, v in isolated_env().items() if not k.startswith("REQ_HASHLINT")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # req-hashlint runs from its bytecode cache, as installed
    env["REQ_HASHLINT_CACHE_DIR"] = str(where / ".cache")
    cmd = [sys.executable, "-m", "req_hashlint", "--index", "--index-url", url, "--no-base", "--format", "json"]
    proc = subprocess.run([*cmd, "requirements.txt"], cwd=where, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode in (0, 1), proc.stderr
    assert "Traceback" not in proc.stderr, proc.stderr
    findings = [f for f in json.loads(proc.stdout)["findings"] if f["code"].startswith(INDEX_CODES)]
    return Verdict(frozenset(f["code"] for f in findings), tuple(f["message"] for f in findings), proc.stderr)


# -- pip -----------------------------------------------------------------------------------------
class PipResult(NamedTuple):
    ok: bool
    error: str  # HashMismatch, NoMatchingDistribution, HashMissing, other; "" when ok
    picked: tuple[str, ...]  # the files pip downloaded
    stderr: str


_PIP_ERRORS = (
    ("HashMismatch", "THESE PACKAGES DO NOT MATCH THE HASHES"),
    ("HashMissing", "Hashes are required in --require-hashes mode"),
    ("NoMatchingDistribution", "No matching distribution found"),
    ("HashUnpinned", "all requirements must have their versions pinned with =="),
    ("ResolutionImpossible", "ResolutionImpossible"),
)


@functools.lru_cache
def _pip_dir(python: str) -> str:
    """The directory ``python`` imports pip from."""
    return subprocess.run(
        [python, "-c", "import os, pip; print(os.path.dirname(os.path.dirname(pip.__file__)))"],
        capture_output=True,
        text=True,
        check=True,
        env=isolated_env(),
    ).stdout.strip()


def interpreter(env: S.Env, python: str) -> list[str] | None:
    """How to run pip for ``env``: ``python``'s, or for "native/3.X" that CPython (from pyenv)
    running the same pip (pure Python) from its directory; None when this machine has no such
    CPython."""
    if env.platform != "native" or env.python == S.NATIVE_PYTHON:
        return [python]
    found = sorted(Path.home().glob(f".pyenv/versions/{env.python}.*/bin/python"))
    if not found:
        return None
    code = f"import sys; sys.path.insert(0, {_pip_dir(python)!r}); from pip._internal.cli.main import main; sys.exit(main())"
    return [str(found[-1]), "-I", "-c", code]


def pip_command(python: str, where: Path, dest: Path, url: str, env: S.Env, deps: bool = False) -> list[str]:
    run = interpreter(env, python)
    assert run is not None, env
    cmd = [*(run if len(run) > 1 else [python, "-m", "pip"]), "--isolated", "--no-cache-dir"]
    cmd += ["--disable-pip-version-check", "--no-input", "--retries", "0", "--timeout", "20", "download"]
    cmd += [*(() if deps else ("--no-deps",)), "--require-hashes", "-d", str(dest)]
    cmd += ["-r", str(where / "requirements.txt"), "--index-url", url]
    if env.platform != "native":
        for p in S.PLATFORMS[env.platform].platforms:
            cmd += ["--platform", p]
        cmd += ["--python-version", env.python, "--only-binary", ":all:"]
    return cmd


def pip(python: str, where: Path, url: str, env: S.Env, deps: bool = False) -> PipResult:
    dest = where / "dest"
    proc = subprocess.run(
        pip_command(python, where, dest, url, env, deps),
        cwd=where,
        env=isolated_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    picked = tuple(sorted(p.name for p in dest.iterdir())) if dest.is_dir() else ()
    if proc.returncode == 0:
        return PipResult(True, "", picked, proc.stderr)
    error = next((kind for kind, needle in _PIP_ERRORS if needle in proc.stderr), "other")
    return PipResult(False, error, picked, proc.stderr)


# -- the agreement rule ----------------------------------------------------------------------
def predicted(codes: frozenset[str]) -> str:
    """What req-hashlint's verdict for one environment says pip does there."""
    if codes & ERRORS:
        return "fails"
    if "RH305" in codes:
        return "picks a yanked file"
    if "RH306" in codes:
        return "picks an sdist"
    return "succeeds"


def observed(result: PipResult, yanked: frozenset[str]) -> str:
    if not result.ok:
        return "fails"
    if any(name in yanked for name in result.picked):
        return "picks a yanked file"
    if any(name.endswith(".tar.gz") for name in result.picked):
        return "picks an sdist"
    return "succeeds"


@pytest.fixture(scope="module")
def pip_python() -> str:
    return python_for(CURRENT, PIP_CACHE)


@pytest.fixture(scope="module")
def index_pages() -> Iterator[dict[str, Built]]:
    yield {s.name: build(s) for s in S.SCENARIOS}


# -- the tests --------------------------------------------------------------------------------
def test_the_scenarios_are_well_formed() -> None:
    assert len(S.SCENARIOS) >= 20
    names = [s.name for s in S.SCENARIOS]
    assert len(set(names)) == len(names)
    covered: set[str] = set()
    for s in S.SCENARIOS:
        served = {f.filename for f in s.files}
        for text in (s.requirements, *s.extra_files.values()):
            for m in S._HASH.finditer(text):
                assert m[2] in served, (s.name, m[2])
        assert s.envs, s.name
        assert s.expected <= INDEX_RULES, s.name
        if "RH306" in s.expected:  # pip builds only where it is not told --only-binary :all:
            assert all(e.platform == "native" for e in s.envs), s.name
        covered |= s.expected
    assert covered == INDEX_RULES  # every index rule fires in some scenario, checked against pip
    assert any(not s.json for s in S.SCENARIOS)  # an HTML-only index
    assert any(not s.expected for s in S.SCENARIOS)
    assert len(S.NP) == 40 and len({f.tag for f in S.NP}) == 40


def test_rendering_puts_the_served_digests_in(index_pages: dict[str, Built]) -> None:
    built = index_pages["clean-lock"]
    text = S.render(S.SCENARIOS[0].requirements, built.data)
    assert hashlib.sha256(built.data[S.A11.filename]).hexdigest() in text
    assert "H(" not in text
    assert S.render("x==1 TYPO", {}) == f"x==1 --hash=sha256:{S.TYPO}"


@pytest.mark.parametrize("scenario", S.SCENARIOS, ids=lambda s: s.name)
def test_req_hashlint_reports_the_expected_codes_without_an_artifact_request(
    scenario: S.Scenario, index_pages: dict[str, Built], tmp_path: Path
) -> None:
    built = index_pages[scenario.name]
    where = write(scenario, built, tmp_path / "repo")
    with Index(built.projects, json=scenario.json, html=scenario.html) as server:
        verdict = hashlint(where, server.url)
        assert server.artifact_requests == []
        assert server.requests, "req-hashlint asked the index nothing"
        assert all(r.startswith("/simple/") or r.endswith(".metadata") for r in server.requests), server.requests
    assert verdict.codes == scenario.expected, (verdict.messages, verdict.stderr)
    for word in scenario.message_has:
        assert any(word in m for m in verdict.messages), (word, verdict.messages)


class Row(NamedTuple):
    scenario: str
    env: str
    codes: frozenset[str]
    says: str
    pip: str
    error: str
    picked: tuple[str, ...]

    @property
    def agrees(self) -> bool:
        return self.says == self.pip


def judge(python: str, scenario: S.Scenario, built: Built, env: S.Env, root: Path) -> Row:
    where = write(scenario, built, root / f"{scenario.name}-{env.name.replace('/', '-')}", env.marker)
    with Index(built.projects, json=scenario.json, html=scenario.html, allow_artifacts=True) as server:
        verdict = hashlint(where, server.url)
        assert server.artifact_requests == [], "req-hashlint asked for an artifact"
        result = pip(python, where, server.url, env, scenario.deps)
    says = predicted(verdict.codes)
    return Row(
        scenario.name, env.name, verdict.codes, says, observed(result, built.yanked), result.error, result.picked
    )


def table(rows: list[Row]) -> str:
    lines = ["scenario | environment | req-hashlint | so pip ... | pip did | pip's error | files"]
    for r in rows:
        mark = "" if r.agrees else "  <-- DISAGREE"
        codes = ",".join(sorted(r.codes)) or "clean"
        lines.append(f"{r.scenario} | {r.env} | {codes} | {r.says} | {r.pip} | {r.error} | {' '.join(r.picked)}{mark}")
    return "\n".join(lines)


def run_differential(
    python: str, scenarios: Mapping[str, S.Scenario], index_pages: dict[str, Built], root: Path
) -> list[Row]:
    jobs = [(s, e) for s in scenarios.values() for e in s.envs if interpreter(e, python) is not None]
    with ThreadPoolExecutor(max(2, min(6, os.cpu_count() or 2))) as pool:
        return list(pool.map(lambda j: judge(python, j[0], index_pages[j[0].name], j[1], root), jobs))


def test_a_stale_set_fails_pip_as_rh301_says(pip_python: str, index_pages: dict[str, Built], tmp_path: Path) -> None:
    """The spot check that always runs: one scenario, this machine, real pip."""
    scenario = next(s for s in S.SCENARIOS if s.name == "stale-set-from-another-version")
    row = judge(pip_python, scenario, index_pages[scenario.name], S.env("native"), tmp_path)
    assert row.codes == {"RH301"} and row.pip == "fails" and row.error == "HashMismatch", table([row])


@pytest.mark.slow
def test_every_verdict_agrees_with_pip(pip_python: str, index_pages: dict[str, Built], tmp_path: Path) -> None:
    rows = run_differential(pip_python, {s.name: s for s in S.SCENARIOS}, index_pages, tmp_path)
    agreed = sum(r.agrees for r in rows)
    assert agreed == len(rows), f"{agreed}/{len(rows)} agree\n" + table(rows)
    # pip's failures are the ones the rules name
    for r in rows:
        if "RH304" in r.codes or "RH309" in r.codes:
            assert r.error == "NoMatchingDistribution", table([r])
        elif "RH301" in r.codes:
            assert r.error == "HashMismatch", table([r])
        elif "RH307" in r.codes:
            assert r.error in ("HashUnpinned", "HashMissing"), table([r])
        elif "RH308" in r.codes:
            assert r.error == "ResolutionImpossible", table([r])
    # every kind of outcome was seen
    assert {r.pip for r in rows} == {"fails", "succeeds", "picks a yanked file", "picks an sdist"}


# -- which index: the file's option lines over the command line, as pip applies them ---------
ORDER_CASES = {
    # name: (requirements text, RH3xx/RH903 codes, what pip does); {A} is the command line's index
    # (it serves another build of alpha 1.0), {B} the one whose file the hash is of
    "the command line's index": ("alpha==1.0 H\n", {"RH301"}, "fails"),
    "a file's --index-url replaces it": ("--index-url {B}\nalpha==1.0 H\n", set(), "succeeds"),
    "a file's --extra-index-url adds to it": ("--extra-index-url {B}\nalpha==1.0 H\n", set(), "succeeds"),
    "a file's -i after --extra-index-url": ("--extra-index-url {A}\n-i {B}\nalpha==1.0 H\n", set(), "succeeds"),
    # no index at all: req-hashlint says it could not ask (a note, no claim); pip finds nothing
    "a file's --no-index": ("--no-index\nalpha==1.0 H\n", {"RH903"}, "fails"),
}


@pytest.mark.parametrize("case", ORDER_CASES, ids=str)
def test_the_index_pip_asks_is_the_one_judged(case: str, pip_python: str, tmp_path: Path) -> None:
    text, codes, outcome = ORDER_CASES[case]
    good = wheel("alpha", "1.0")
    other = wheel("alpha", "1.0", requires=("beta",))  # the same file name, other bytes
    assert good.sha256 != other.sha256
    with Index({"alpha": [other]}, allow_artifacts=True) as a, Index({"alpha": [good]}, allow_artifacts=True) as b:
        where = tmp_path / "repo"
        where.mkdir()
        subprocess.run(["git", "init", "-q", "-b", "main"], cwd=where, env=git_env(), check=True)
        body = text.replace("{A}", a.url).replace("{B}", b.url).replace(" H\n", f" --hash=sha256:{good.sha256}\n")
        (where / "requirements.txt").write_text(body, encoding="utf-8")
        verdict = hashlint(where, a.url)
        assert a.artifact_requests == b.artifact_requests == []
        result = pip(pip_python, where, a.url, S.env("native"))
    assert verdict.codes == codes, (verdict.messages, verdict.stderr)
    assert observed(result, frozenset()) == outcome, result.stderr[-2000:]
    if codes & ERRORS or not codes:  # RH903 makes no claim about what pip does
        assert predicted(verdict.codes) == outcome


def main(argv: list[str]) -> int:
    """``python -m tests.index.test_oracle [SCENARIO ...]``: the differential by hand, its table
    printed; exit 1 on a disagreement."""
    chosen = {s.name: s for s in S.SCENARIOS if not argv or s.name in argv}
    if not chosen:
        print(f"no such scenario; known: {', '.join(s.name for s in S.SCENARIOS)}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="req-hashlint-oracle-") as root:
        built = {name: build(s) for name, s in chosen.items()}
        rows = run_differential(python_for(CURRENT, PIP_CACHE), chosen, built, Path(root))
    print(table(rows))
    agreed = sum(r.agrees for r in rows)
    print(f"\n{agreed}/{len(rows)} agree ({len(chosen)} scenarios)")
    return 0 if agreed == len(rows) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
