"""`--fix --index` against real pip, on the loopback index (issue 15's proof).

For every RH3xx scenario of tests/index/scenarios.py and for RH1xx cases made in a real git
repository, the real command (``python -m req_hashlint --fix --index``, in a subprocess, with
the loopback index as ``--index-url``, its page cache in the test's directory, no ``PIP_*``
variable) fixes the file. Then:

- the file changed exactly when a fixable finding (RH002 on a pin, RH101, RH301, RH302, RH303,
  and RH012 offline) was reported, and none is reported after the fix; an unfixable one (RH304,
  an index without sha256) leaves the file byte-identical;
- fixing the fixed file changes nothing;
- real pip (``pip download --require-hashes``, ``--no-deps`` but in the dependency scenarios,
  with ``--platform`` standing in for other machines, as tests/index/test_oracle.py asks it)
  installs the fixed file from the index in every environment of the scenario, unless
  req-hashlint still reports an error pip fails on (RH304, RH307, RH308, RH309: not a hash
  problem, not fixed);
- an index serving other bytes under a fixed file's name is refused by pip (HashMismatch).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import NamedTuple

import pytest

from ..conftest import git
from ..fidelity.oracle import CURRENT, isolated_env, python_for
from . import scenarios as S
from .server import IndexServer
from .test_oracle import PIP_CACHE, Built, build, observed, pip, predicted, write

FIXABLE = frozenset({"RH002", "RH101", "RH301", "RH302", "RH303"})
CHANGES = FIXABLE | {"RH012"}  # and the offline fix a scenario calls for (upper-case digests)


class Fixed(NamedTuple):
    before: dict[str, bytes]  # relative path -> bytes, before the fix
    after: dict[str, bytes]
    codes_before: frozenset[str]  # every code a plain `--index` run reports
    codes_after: frozenset[str]  # every code the `--fix` run reports as remaining
    code: int  # the `--fix` run's exit code
    stderr: str


def hashlint(where: Path, url: str, *args: str) -> tuple[int, frozenset[str], str]:
    """The real command in a subprocess: its exit code, the codes it reports (unsuppressed), stderr."""
    env = {k: v for k, v in isolated_env().items() if not k.startswith("REQ_HASHLINT")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # req-hashlint runs from its bytecode cache, as installed
    env["REQ_HASHLINT_CACHE_DIR"] = str(where.parent / f"{where.name}-cache")
    cmd = [sys.executable, "-m", "req_hashlint", "--index", "--index-url", url, "--format", "json", *args]
    proc = subprocess.run(cmd, cwd=where, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode in (0, 1), proc.stderr
    assert "Traceback" not in proc.stderr, proc.stderr
    found = json.loads(proc.stdout)["findings"]
    return proc.returncode, frozenset(f["code"] for f in found if not f.get("suppressed")), proc.stderr


def snapshot(where: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(where.iterdir()) if p.is_file() and p.suffix == ".txt"}


def fix(where: Path, url: str, *args: str) -> Fixed:
    """Lint, then fix, then fix again (which must change nothing)."""
    before = snapshot(where)
    _, codes_before, _ = hashlint(where, url, *args)
    code, codes_after, stderr = hashlint(where, url, "--fix", *args)
    after = snapshot(where)
    again, codes_again, _ = hashlint(where, url, "--fix", *args)
    assert snapshot(where) == after, "fixing the fixed file changed it"
    assert (again, codes_again) == (code, codes_after)
    return Fixed(before, after, codes_before, codes_after, code, stderr)


def check(fixed: Fixed) -> None:
    """The fix's contract, whatever pip says: a change exactly when a fixable finding was there."""
    assert not fixed.codes_after & CHANGES, fixed
    if fixed.codes_before & CHANGES:
        assert fixed.after != fixed.before, fixed
    else:
        assert fixed.after == fixed.before, fixed


@pytest.fixture(scope="module")
def pip_python() -> str:
    return python_for(CURRENT, PIP_CACHE)


@pytest.fixture(scope="module")
def built() -> Iterator[dict[str, Built]]:
    yield {s.name: build(s) for s in S.SCENARIOS}


def fix_scenario(scenario: S.Scenario, built: Built, where: Path) -> Fixed:
    write(scenario, built, where)
    with IndexServer(built.projects, json=scenario.json, html=scenario.html) as server:
        fixed = fix(where, server.url, "--no-base")
        assert server.artifact_requests == []
    return fixed


def slow_but(fast: set[str], items: dict[str, object]) -> list[object]:
    """Parameters marked slow but those named in ``fast`` (the subset every run checks)."""
    assert fast <= items.keys()
    return [pytest.param(v, id=k, marks=() if k in fast else pytest.mark.slow) for k, v in items.items()]


# -- the fix, without pip: every scenario ---------------------------------------------------
FAST = {"one-typo-beside-good-hashes", "constraint-file-carries-stale-hashes", "version-not-served", "clean-lock"}


@pytest.mark.parametrize("scenario", slow_but(FAST, {s.name: s for s in S.SCENARIOS}))
def test_the_fix_changes_a_file_exactly_when_a_fixable_finding_is_reported(
    scenario: S.Scenario, built: dict[str, Built], tmp_path: Path
) -> None:
    fixed = fix_scenario(scenario, built[scenario.name], tmp_path / "repo")
    check(fixed)
    if "RH304" in scenario.expected:  # not served: nothing is guessed
        assert fixed.after == fixed.before and "RH304" in fixed.codes_after


# -- the fix, then pip -------------------------------------------------------------------------
class Row(NamedTuple):
    scenario: str
    env: str
    codes: frozenset[str]  # req-hashlint's, after the fix, for this environment alone
    says: str  # so pip ...
    pip: str  # pip did
    error: str

    @property
    def agrees(self) -> bool:
        # with --only-binary :all: (standing in for another machine) pip never builds an sdist
        return self.says == self.pip or (
            self.says == "picks an sdist" and "native" not in self.env and self.error == "NoMatchingDistribution"
        )


def pip_rows(python: str, scenario: S.Scenario, built: Built, root: Path) -> list[Row]:
    """Fix the scenario's files once (every default environment), then per environment of the
    scenario: req-hashlint's verdict there alone (``environments``) and what real pip does."""
    fixed = fix_scenario(scenario, built, root / "fixed")
    check(fixed)
    rows = []
    with IndexServer(built.projects, json=scenario.json, html=scenario.html, allow_artifacts=True) as server:
        for env in scenario.envs:
            where = write(scenario, built, root / env.name.replace("/", "-"), env.marker)
            for name, data in fixed.after.items():
                (where / name).write_bytes(data)
            _, codes, _ = hashlint(where, server.url, "--no-base")
            assert not codes & FIXABLE, (env, codes)
            result = pip(python, where, server.url, env, scenario.deps)
            rows.append(
                Row(scenario.name, env.name, codes, predicted(codes), observed(result, built.yanked), result.error)
            )
    return rows


def table(rows: list[Row]) -> str:
    lines = ["scenario | environment | req-hashlint after the fix | so pip ... | pip did | pip's error"]
    for r in rows:
        codes = ",".join(sorted(r.codes)) or "clean"
        lines.append(
            f"{r.scenario} | {r.env} | {codes} | {r.says} | {r.pip} | {r.error}{'' if r.agrees else '  <-- DISAGREE'}"
        )
    return "\n".join(lines)


# a fix that turns pip's failure into an install, on one machine each
SMALL = {"stale-set-from-another-version": "native", "forty-files-windows-unhashed": "windows-x64/3.13"}


@pytest.mark.parametrize("name", slow_but({"stale-set-from-another-version"}, {n: n for n in SMALL}))
def test_pip_fails_before_the_fix_and_installs_after(
    name: str, pip_python: str, built: dict[str, Built], tmp_path: Path
) -> None:
    """The spot check that always runs."""
    scenario = next(s for s in S.SCENARIOS if s.name == name)._replace(envs=(S.env(SMALL[name]),))
    with IndexServer(built[name].projects, allow_artifacts=True) as server:
        before = pip(pip_python, write(scenario, built[name], tmp_path / "before"), server.url, scenario.envs[0])
    assert not before.ok and before.error == "HashMismatch", before.stderr[-2000:]
    rows = pip_rows(pip_python, scenario, built[name], tmp_path)
    assert [r.pip for r in rows] == ["succeeds"] and all(r.agrees for r in rows), table(rows)


@pytest.mark.slow
def test_pip_installs_every_fixed_file_everywhere(pip_python: str, built: dict[str, Built], tmp_path: Path) -> None:
    with ThreadPoolExecutor(max(2, min(6, os.cpu_count() or 2))) as pool:
        done = pool.map(lambda s: pip_rows(pip_python, s, built[s.name], tmp_path / s.name), S.SCENARIOS)
        rows = [r for rs in done for r in rs]
    agreed = sum(r.agrees for r in rows)
    assert agreed == len(rows), f"{agreed}/{len(rows)} agree\n" + table(rows)
    # after the fix, pip fails only where no hash is to blame: the version is not served, no file
    # admits that Python, a dependency is unlisted or conflicts
    failing = {s.name for s in S.SCENARIOS if s.expected & {"RH304", "RH307", "RH308", "RH309"}}
    assert {r.scenario for r in rows if r.pip == "fails" and r.says == "fails"} <= failing, table(rows)


# -- RH1xx: a real git history -------------------------------------------------------------------
A10, A10S, A11, A11S = (S.A10, S.A10S, S.A11, S.A11S)
ALPHA_BUILT = build(S.Scenario("alpha", S.ALPHA, "", frozenset(), ()))


def lines(pin: str, *files: S.File) -> str:
    return pin + "".join(f" \\\n    H({f.filename})" for f in files) + "\n"


# name: (the file at the base, the file now, the diff codes reported before the fix)
HISTORY = {
    "RH101 a bump kept the old hashes": (
        lines("alpha==1.0", A10, A10S),
        lines("alpha==1.1", A10, A10S),
        {"RH101", "RH301"},
    ),
    "RH102 a bump kept an old hash beside the new": (
        lines("alpha==1.0", A10),
        lines("alpha==1.1", A10, A11, A11S),
        {"RH102", "RH302"},
    ),
    "RH103 a hash of the same version replaced": (
        lines("alpha==1.1", A11, A11S),
        f"alpha==1.1 \\\n    H({A11.filename}) \\\n    TYPO\n",
        {"RH103", "RH302"},
    ),
    "RH104 a hash of the same version dropped": (  # pip still installs the wheel: nothing to fix
        lines("alpha==1.1", A11, A11S),
        lines("alpha==1.1", A11),
        {"RH104"},
    ),
}


def history(repo: Path, base: str, now: str) -> Path:
    git(repo, "init", "-q", "-b", "main")
    (repo / "requirements.txt").write_text(S.render(base, ALPHA_BUILT.data), encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "base")
    (repo / "requirements.txt").write_text(S.render(now, ALPHA_BUILT.data), encoding="utf-8")
    return repo


def fix_history(case: str, where: Path) -> Fixed:
    base, now, codes = HISTORY[case]
    where.mkdir()
    history(where, base, now)
    with IndexServer(ALPHA_BUILT.projects) as server:
        fixed = fix(where, server.url)
    assert codes <= fixed.codes_before, fixed
    check(fixed)
    return fixed


@pytest.mark.parametrize(
    "case",
    slow_but(
        {"RH101 a bump kept the old hashes", "RH103 a hash of the same version replaced"}, {c: c for c in HISTORY}
    ),
)
def test_a_diff_finding_is_fixed_from_the_index(case: str, tmp_path: Path) -> None:
    fixed = fix_history(case, tmp_path / "repo")
    if "RH104" in case:
        assert fixed.after == fixed.before and "RH104" in fixed.codes_after
    else:
        text = fixed.after["requirements.txt"].decode()
        assert text == S.render(lines("alpha==1.1", *sorted((A11, A11S), key=lambda f: digest(f))), ALPHA_BUILT.data)
        assert not fixed.codes_after & {"RH101", "RH102", "RH103", "RH301", "RH302"}, fixed


def digest(f: S.File) -> str:
    import hashlib

    return hashlib.sha256(ALPHA_BUILT.data[f.filename]).hexdigest()


def test_rh101_without_the_index_is_not_fixed(tmp_path: Path) -> None:
    """A diff rule knows the hashes are stale, not what they should be: no fix without `--index`."""
    base, now, _ = HISTORY["RH101 a bump kept the old hashes"]
    (tmp_path / "repo").mkdir()
    repo = history(tmp_path / "repo", base, now)
    before = (repo / "requirements.txt").read_bytes()
    env = {k: v for k, v in isolated_env().items() if not k.startswith("REQ_HASHLINT")}
    cmd = [sys.executable, "-m", "req_hashlint", "--fix", "--format", "json"]
    proc = subprocess.run(cmd, cwd=repo, env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1, proc.stderr
    assert "RH101" in {f["code"] for f in json.loads(proc.stdout)["findings"]}
    assert (repo / "requirements.txt").read_bytes() == before


@pytest.mark.slow
@pytest.mark.parametrize("case", HISTORY, ids=str)
def test_pip_installs_the_fixed_history(case: str, pip_python: str, tmp_path: Path) -> None:
    where = tmp_path / "repo"
    fix_history(case, where)
    with IndexServer(ALPHA_BUILT.projects, allow_artifacts=True) as server:
        for env in (S.env("native"), S.env("windows-x64/3.12")):
            result = pip(pip_python, where, server.url, env)
            subprocess.run(["rm", "-rf", str(where / "dest")], check=True)
            assert result.ok, result.stderr[-2000:]


# -- tampering -------------------------------------------------------------------------------------
class Tampered(IndexServer):
    """An index whose pages advertise the true digests but whose files have other bytes."""

    swap: dict[str, bytes]

    def _file(self, h: object, filename: str) -> None:
        if filename in self.swap:
            with self._lock:
                self.artifact_requests.append(filename)
            self._send(h, 200, self.swap[filename], "application/octet-stream")  # type: ignore[arg-type]
            return
        super()._file(h, filename)  # type: ignore[arg-type]


@pytest.mark.parametrize("lying", slow_but({"the file only"}, {k: k for k in ("the file only", "the page too")}))
def test_pip_refuses_a_tampered_artifact_after_the_fix(
    lying: str, pip_python: str, built: dict[str, Built], tmp_path: Path
) -> None:
    scenario = next(s for s in S.SCENARIOS if s.name == "stale-set-from-another-version")
    where = tmp_path / "repo"
    fixed = fix_scenario(scenario, built[scenario.name], where)
    assert fixed.after != fixed.before
    # every file of 1.1 under its name with other bytes (a page that lied about one file only
    # would leave pip the other, whose hash is listed and right)
    swap = {f.filename: built[scenario.name].data[f.filename] + b"tampered" for f in (A11, A11S)}
    if lying == "the file only":
        server: IndexServer = Tampered(built[scenario.name].projects, allow_artifacts=True)
        server.swap = swap  # type: ignore[attr-defined]
    else:
        projects = {
            name: [a._replace(data=swap[a.filename]) if a.filename in swap else a for a in arts]
            for name, arts in built[scenario.name].projects.items()
        }
        server = IndexServer(projects, allow_artifacts=True)
    with server:
        result = pip(pip_python, where, server.url, S.env("native"))
        assert server.artifact_requests  # pip did download it
    assert not result.ok and result.error == "HashMismatch", result.stderr[-2000:]


# -- nothing guessed ---------------------------------------------------------------------------------
def test_an_index_without_sha256_leaves_the_file_byte_identical(tmp_path: Path) -> None:
    """An index giving only md5 digests: RH002 stays, unfixed; the file is not rewritten."""
    digest = "0123456789abcdef0123456789abcdef"
    files = [{"filename": A11.filename, "url": f"/files/{A11.filename}", "hashes": {"md5": digest}}]
    body = json.dumps({"meta": {"api-version": "1.1"}, "name": "alpha", "files": files}).encode()
    where = tmp_path / "repo"
    where.mkdir()
    git(where, "init", "-q", "-b", "main")
    (where / "requirements.txt").write_bytes(b"alpha==1.1\r\n# the end, no final newline")
    with IndexServer({"alpha": []}, bodies={"alpha": body}) as server:
        fixed = fix(where, server.url, "--no-base")
    assert "RH002" in fixed.codes_before and "RH002" in fixed.codes_after
    assert fixed.after == fixed.before


def test_a_misread_entry_is_repaired_offline_first_then_from_the_index(tmp_path: Path) -> None:
    """A marker after the hashes (RH006): the index fix waits for the offline one, in a later round."""
    where = tmp_path / "repo"
    where.mkdir()
    git(where, "init", "-q", "-b", "main")
    text = S.render(f"alpha==1.1 H({A10.filename}) ; python_version >= '3'\n", ALPHA_BUILT.data)
    (where / "requirements.txt").write_text(text, encoding="utf-8")
    with IndexServer(ALPHA_BUILT.projects) as server:
        fixed = fix(where, server.url, "--no-base")
    assert {"RH006", "RH301"} <= fixed.codes_before and not fixed.codes_after & CHANGES, fixed
    hashes = " ".join(f"--hash=sha256:{d}" for d in sorted(digest(f) for f in (A11, A11S)))
    assert fixed.after["requirements.txt"].decode() == f"alpha==1.1 ; python_version >= '3' {hashes}\n"
