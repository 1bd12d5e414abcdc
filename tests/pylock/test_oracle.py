"""Real pip 26.3 as the oracle for pylock.toml: `pip install -r pylock.toml` on tiny wheels served
by a loopback index, on locks written by real `pip lock` and real `uv export`, and on mutations of them.

Agreement, scenario by scenario:
- where req-hashlint reports an error of a rule about what pip refuses, pip refuses the lock;
- where it reports no error, pip installs exactly the packages the lock selects here (their
  names and versions), and refuses the same lock when the index serves other bytes under the
  same file names (tampered files).
RH202 (a credential in a URL) and the history rules are errors for other reasons and are not used.

uv (``uv pip install -r pylock.toml``, installed with the test dependencies) is the second oracle:
where req-hashlint reports no error, uv too installs exactly the selected packages and refuses
tampered files, except where ``UV_REFUSES`` records uv's own stricter reading. Where req-hashlint
reports an error, uv may well install: it has no hash-checking mode for a lock (it takes an empty
`hashes` table, a directory, a vcs source, an unknown algorithm), and the errors are pip's refusals.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from packaging.markers import Marker
from packaging.version import Version

from req_hashlint._engine import Target, enabled_rules, lint
from req_hashlint._model import Finding, Severity

from ..conftest import DATA
from ..fidelity import dists
from ..fidelity.oracle import isolated_env
from ..index.server import Artifact, IndexServer, sdist, wheel

LINUX = "cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64"
# The projects the index serves (tests/data/pylock/uv-export.toml was written by uv 0.13.8 from
# exactly these: the wheels' bytes are deterministic, so its hashes are theirs).
PROJECTS: dict[str, list[Artifact]] = {
    "alpha": [wheel("alpha", "1.0", requires=["beta>=2", 'delta; sys_platform == "win32"'])],
    "beta": [wheel("beta", "2.0"), sdist("beta", "2.0")],
    "gamma": [
        wheel("gamma", "3.0", tag=LINUX),
        wheel("gamma", "3.0", tag="cp311-cp311-win_amd64"),
        wheel("gamma", "3.0", tag="cp311-cp311-macosx_11_0_arm64"),
    ],
    "delta": [wheel("delta", "1.0")],
}
TAMPERED = {name: [a._replace(data=a.data + b"tampered") for a in arts] for name, arts in PROJECTS.items()}
ARTIFACT = {a.filename: a for arts in PROJECTS.values() for a in arts}
ALPHA = ARTIFACT["alpha-1.0-py3-none-any.whl"]
BETA_SDIST = ARTIFACT["beta-2.0.tar.gz"]
UV_EXPORT = DATA / "pylock" / "uv-export.toml"
# the rules whose errors say pip refuses the lock (RH202 and RH1xx are errors for other reasons)
REFUSAL_RULES = {"RH001", "RH002", "RH003", "RH004", "RH007", "RH008", "RH011", "RH014"}
SUPPORTED = sys.platform == "linux" and os.uname().machine == "x86_64" and sys.version_info[:2] == (3, 11)


class Bases(NamedTuple):
    server: IndexServer
    pip: str  # written by real `pip lock alpha gamma` here (one platform)
    uv: str  # written by real `uv export` (every platform), the index's address put in
    work: Path
    vcs_url: str
    commit: str


def _pip(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "pip", "--isolated", "--disable-pip-version-check", "--no-cache-dir", *args]
    return subprocess.run(cmd, cwd=cwd, env=isolated_env(), capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def bases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bases]:
    if not SUPPORTED:
        pytest.skip("the oracle's wheels are for CPython 3.11 on Linux x86_64")
    work = tmp_path_factory.mktemp("pylock-oracle")
    dists._write_project(work / "proj", "proj", "0.5")
    repo = work / "vee"
    dists._write_project(repo, "vee", "0.7")
    dists._git(repo, "init", "-q", "-b", "main")
    dists._git(repo, "add", "-A")
    dists._git(repo, "commit", "-q", "-m", "vee")
    commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=repo, capture_output=True, text=True).stdout.strip()
    with IndexServer(PROJECTS, allow_artifacts=True) as server:
        done = _pip("lock", "--index-url", server.url, "alpha", "gamma", "-o", "pylock.toml", cwd=work)
        assert done.returncode == 0, done.stderr
        pip_lock = (work / "pylock.toml").read_text()
        uv = UV_EXPORT.read_text().replace("http://127.0.0.1:PORT", server.base)
        yield Bases(server, pip_lock, uv, work, f"file://{repo}", commit)


# -- the scenarios: (base, mutation) ---------------------------------------------------------------


def _sub(old: str, new: str, count: int = 1) -> Callable[[str], str]:
    def apply(text: str) -> str:
        assert old in text, old
        return text.replace(old, new, count)

    return apply


def _hash_line(algo: str, digest: str) -> Callable[[str], str]:
    """Replace alpha's sha256 with ``algo = digest`` (both shapes write `sha256 = "..."`)."""
    return _sub(f'sha256 = "{ALPHA.sha256}"', f'{algo} = "{digest}"')


def _both(extra: str) -> Callable[[str], str]:
    """Add a second hash beside alpha's sha256, as the shape writes tables."""

    def apply(text: str) -> str:
        old = f'sha256 = "{ALPHA.sha256}"'
        sep = ", " if "hashes = {" in text else "\n"
        return _sub(old, f"{old}{sep}{extra}")(text)

    return apply


def _blocks(text: str) -> tuple[str, list[str]]:
    head, *blocks = re.split(r"\n(?=\[\[packages\]\]\n)", text)
    return head, blocks


def _block(text: str, name: str) -> str:
    return next(b for b in _blocks(text)[1] if f'\nname = "{name}"\n' in b)


def _append(block: Callable[[str], str]) -> Callable[[str], str]:
    return lambda text: text.rstrip("\n") + "\n\n" + block(text).strip("\n") + "\n"


def _replace_block(name: str, new: Callable[[str], str]) -> Callable[[str], str]:
    return lambda text: text.replace(_block(text, name), new(text).strip("\n") + "\n")


def _url(text: str, filename: str) -> str:
    m = re.search(rf'"(http://[^"]*/{re.escape(filename)})"', text)
    assert m is not None, filename
    return m.group(1)


def _with_marker(name: str, marker: str) -> Callable[[str], str]:
    return lambda text: _sub(f'name = "{name}"\nversion', f'name = "{name}"\nmarker = "{marker}"\nversion')(text)


def _vcs(commit: str) -> Callable[[Bases], str]:
    return lambda b: (
        f'[[packages]]\nname = "vee"\nvcs = {{ type = "git", url = "{b.vcs_url}", commit-id = "{commit or b.commit}" }}\n'
    )


def _beta_sdist_only(b: Bases, version: str) -> str:
    """beta locked with its sdist alone, under ``version``."""
    url = f"{b.server.base}/files/beta-2.0.tar.gz"
    return f'[[packages]]\nname = "beta"\nversion = "{version}"\nsdist = {{ url = "{url}", hashes = {{ sha256 = "{BETA_SDIST.sha256}" }} }}\n'


# Mutations of either base: id -> (mutation of the text, given the bases)
Mutation = Callable[[str, Bases], str]


def m(f: Callable[[str], str]) -> Mutation:
    return lambda text, _b: f(text)


MUTATIONS: dict[str, Mutation] = {
    "genuine": m(lambda t: t),
    "emptied-hash-table": m(lambda t: t.replace(f'sha256 = "{ALPHA.sha256}"', "")),
    "bumped-version-kept-hashes": m(_sub('name = "alpha"\nversion = "1.0"', 'name = "alpha"\nversion = "1.1"')),
    "bumped-version-equal-pep440": m(_sub('name = "alpha"\nversion = "1.0"', 'name = "alpha"\nversion = "1.0.0"')),
    "renamed-wheel-other-project": m(lambda t: t.replace("alpha-1.0-py3-none-any.whl", "alphb-1.0-py3-none-any.whl")),
    "renamed-wheel-other-version": m(lambda t: t.replace("alpha-1.0-py3-none-any.whl", "alpha-0.9-py3-none-any.whl")),
    "renamed-wheel-bad-filename": m(lambda t: t.replace("alpha-1.0-py3-none-any.whl", "alpha.whl")),
    "uppercase-hex": m(_hash_line("sha256", ALPHA.sha256.upper())),
    "missing-version": m(_sub('name = "alpha"\nversion = "1.0"\n', 'name = "alpha"\n')),
    "truncated-hex": m(_hash_line("sha256", ALPHA.sha256[:60])),
    "non-hex-digest": m(_hash_line("sha256", ALPHA.sha256[:63] + "z")),
    "empty-digest": m(_hash_line("sha256", "")),
    "md5-only": m(_hash_line("md5", hashlib.md5(ALPHA.data).hexdigest())),
    "sha1-only": m(_hash_line("sha1", hashlib.sha1(ALPHA.data).hexdigest())),
    "sha512-only": m(_hash_line("sha512", hashlib.sha512(ALPHA.data).hexdigest())),
    "blake2b-only": m(_hash_line("blake2b", hashlib.blake2b(ALPHA.data).hexdigest())),
    "sha3-256-only": m(_hash_line("sha3_256", hashlib.sha3_256(ALPHA.data).hexdigest())),
    "unknown-algorithm": m(_hash_line("whirl", ALPHA.sha256)),
    "wrong-md5-beside-sha256": m(_both(f'md5 = "{"0" * 32}"')),
    "second-sha256-style-hash": m(_both(f'sha384 = "{hashlib.sha384(ALPHA.data).hexdigest()}"')),
    "another-files-digest": m(_hash_line("sha256", ARTIFACT[f"gamma-3.0-{LINUX}.whl"].sha256)),
    "identical-duplicate": m(_append(lambda t: _block(t, "alpha"))),
    "duplicate-other-version": m(
        _append(
            lambda t: (
                _block(t, "alpha").replace('version = "1.0"', 'version = "0.9"').replace("alpha-1.0-", "alpha-0.9-")
            )
        )
    ),
    "duplicate-other-marker": m(
        lambda t: _with_marker("alpha", "sys_platform == 'linux'")(
            _append(
                lambda u: (
                    _with_marker("alpha", "sys_platform == 'win32'")(_block(u, "alpha"))
                    .replace("alpha-1.0-", "alpha-0.9-")
                    .replace('"1.0"', '"0.9"')
                    .replace(ALPHA.sha256, hashlib.sha256(b"alpha 0.9").hexdigest())
                )
            )(t)
        )
    ),
    "marker-excludes-alpha": m(_with_marker("alpha", "sys_platform == 'win32'")),
    "not-normalized-name": m(_sub('name = "alpha"', 'name = "Alpha"')),
    "toml-syntax-error": m(_sub("[[packages]]\n", "[[packages]\n")),
    "missing-created-by": m(lambda t: re.sub(r'created-by = "[^"]*"\n', "", t)),
    "lock-version-2": m(_sub('lock-version = "1.0"', 'lock-version = "2.0"')),
    "vcs-beside-wheels": m(
        _sub(
            'name = "alpha"\nversion = "1.0"\n',
            f'name = "alpha"\nversion = "1.0"\nvcs = {{ type = "git", url = "https://x.invalid/a.git", commit-id = "{"a" * 40}" }}\n',
        )
    ),
    "wrong-size": m(lambda t: re.sub(r"size = \d+", "size = 1", t) if "size = " in t else t),
    "comments-everywhere": m(
        lambda t: t.replace("\n[[packages]]\n", "\n# [[packages]] in a comment\n[[packages]]  # here\n")
    ),
    "plain-http-foreign-index": m(
        _sub(
            'name = "alpha"\nversion = "1.0"\n',
            'name = "alpha"\nversion = "1.0"\nindex = "http://pypi.invalid/simple/"\n',
        )
    ),
    "environments-declared": m(_sub("created-by = ", "environments = [\"sys_platform == 'linux'\"]\ncreated-by = ")),
    "archive-source": lambda t, b: _replace_block(
        "alpha",
        lambda u: (
            f'[[packages]]\nname = "alpha"\narchive = {{ url = "{_url(u, ALPHA.filename)}", hashes = {{ sha256 = "{ALPHA.sha256}" }} }}\n'
        ),
    )(t),
    "archive-empty-hashes": lambda t, b: _replace_block(
        "alpha",
        lambda u: f'[[packages]]\nname = "alpha"\narchive = {{ url = "{_url(u, ALPHA.filename)}", hashes = {{}} }}\n',
    )(t),
    "sdist-only": lambda t, b: _replace_block("beta", lambda u: _beta_sdist_only(b, "2.0"))(t),
    "sdist-other-version": lambda t, b: _replace_block("beta", lambda u: _beta_sdist_only(b, "2.1"))(t),
    "directory-beside-hashes": lambda t, b: _append(
        lambda u: '[[packages]]\nname = "proj"\ndirectory = { path = "proj" }\n'
    )(t),
    "editable-beside-hashes": lambda t, b: _append(
        lambda u: '[[packages]]\nname = "proj"\ndirectory = { path = "proj", editable = true }\n'
    )(t),
    "vcs-beside-hashes": lambda t, b: _append(lambda u: _vcs("")(b))(t),
}
# Locks of their own (not mutations of a base): id -> text, given the bases
OWN: dict[str, Callable[[Bases], str]] = {
    "vcs-full-commit-alone": lambda b: 'lock-version = "1.0"\ncreated-by = "x"\n\n' + _vcs("")(b),
    "vcs-branch-alone": lambda b: 'lock-version = "1.0"\ncreated-by = "x"\n\n' + _vcs("main")(b),
    "directory-alone": lambda b: (
        'lock-version = "1.0"\ncreated-by = "x"\n\n[[packages]]\nname = "proj"\ndirectory = { path = "proj" }\n'
    ),
}
SCENARIOS = [(base, mid) for base in ("pip", "uv") for mid in MUTATIONS] + [("own", oid) for oid in OWN]


def _lint(path: Path) -> list[Finding]:
    result = lint(
        [Target(str(path), path.name)], rules=enabled_rules([], [], diff=False), boundary=lambda p: str(path.parent)
    )
    return [f for f in result.findings if not f.suppressed]


def _selected(text: str) -> set[tuple[str, Version | None]]:
    """(name, version or None) of each package the lock selects here (its marker true)."""
    import tomllib

    out = set()
    for p in tomllib.loads(text)["packages"]:
        if "marker" in p and not Marker(p["marker"]).evaluate():
            continue
        out.add((p["name"], Version(p["version"]) if "version" in p else None))
    return out


def _installed(target: Path, wanted: set[tuple[str, Version | None]]) -> set[tuple[str, Version | None]]:
    found: set[tuple[str, Version | None]] = set()
    for info in target.glob("*.dist-info"):
        name, _, version = info.name.removesuffix(".dist-info").partition("-")
        name = name.replace("_", "-").lower()
        found.add((name, None if (name, None) in wanted else Version(version)))
    return found


def _find_uv() -> str | None:
    """uv: on PATH, or beside this interpreter (the test dependencies install it)."""
    beside = Path(sys.executable).parent / "uv"
    return shutil.which("uv") or os.environ.get("REQ_HASHLINT_UV") or (str(beside) if beside.exists() else None)


UV = _find_uv()
# Scenarios req-hashlint and pip accept that uv refuses, with uv's words (the second oracle):
UV_REFUSES = {
    # uv reads `blake2b` as BLAKE2b-256 (64 hex digits, PyPI's blake2b_256); PEP 751 names hashlib's (128)
    "pip-blake2b-only": "Invalid hash digest length",
    "uv-blake2b-only": "Invalid hash digest length",
    # uv checks each file's `size`; pip does not, and no linter can know a file's size offline
    "uv-wrong-size": "Size mismatch",
    # PEP 751 asks for the exact commit: RH003 warns; pip installs whatever `main` names then
    "own-vcs-branch-alone": "Object ID must be exactly 40 hex characters",
}


def _install(
    b: Bases, text: str, scenario: str, projects: dict[str, list[Artifact]], *, uv: bool = False
) -> tuple[int, Path, str]:
    """Install the lock into a fresh ``--target`` from the loopback index: real pip, or real uv."""
    where = b.work / (f"uv-{scenario}" if uv else scenario)
    shutil.rmtree(where, ignore_errors=True)
    where.mkdir()
    (where / "pylock.toml").write_text(text)
    if not (where / "proj").exists():
        shutil.copytree(b.work / "proj", where / "proj")
    b.server.projects = projects
    args = ["--index-url", b.server.url, "--target", str(where / "t"), "-r", "pylock.toml"]
    try:
        if uv:
            assert UV is not None
            env = {**isolated_env(), "UV_NO_CONFIG": "1", "UV_PYTHON_DOWNLOADS": "never", "UV_NO_CACHE": "1"}
            cmd = [UV, "pip", "install", "--python", sys.executable, *args]
            done = subprocess.run(cmd, cwd=where, env=env, capture_output=True, text=True, timeout=300)
        else:
            done = _pip("install", *args, cwd=where)
    finally:
        b.server.projects = dict(PROJECTS)
    return done.returncode, where / "t", done.stdout + done.stderr


def check(bases: Bases, base: str, scenario: str) -> dict[str, Any]:
    if base == "own":
        text = OWN[scenario](bases)
    else:
        text = MUTATIONS[scenario](bases.pip if base == "pip" else bases.uv, bases)
    name = f"{base}-{scenario}"
    where = bases.work / name
    where.mkdir(exist_ok=True)
    (where / "pylock.toml").write_text(text)
    findings = _lint(where / "pylock.toml")
    errors = sorted({f.code for f in findings if f.severity is Severity.ERROR})
    assert set(errors) <= REFUSAL_RULES, (name, errors)
    code, target, log = _install(bases, text, name, PROJECTS)
    record = {"scenario": name, "errors": errors, "pip": code, "codes": sorted({f.code for f in findings})}
    if errors:
        assert code != 0, f"{name}: req-hashlint reports {errors}, yet pip installs it:\n{log}"
        return record
    assert code == 0, f"{name}: req-hashlint reports no error, yet pip refuses it:\n{log}\n{findings}"
    wanted = _selected(text)
    assert _installed(target, wanted) == wanted, (name, log)
    hashed = any(k in text for k in ("hashes", "sha256")) and "vcs" not in text and "directory" not in text
    if hashed:
        code, _, log = _install(bases, text, name + "-tampered", TAMPERED)
        assert code != 0 and "THESE PACKAGES DO NOT MATCH THE HASHES" in log, (
            f"{name}: pip installs tampered files:\n{log}"
        )
        record["tampered"] = "refused"
    if UV is not None:  # uv too: the clean verdict installs exactly the selected set, tampered files never
        code, target, log = _install(bases, text, name, PROJECTS, uv=True)
        record["uv"] = code
        if name in UV_REFUSES:
            assert code != 0 and UV_REFUSES[name] in log, (name, log)
            return record
        assert code == 0 and _installed(target, wanted) == wanted, f"{name}: uv refuses it:\n{log}"
        if hashed:
            code, _, log = _install(bases, text, name + "-tampered", TAMPERED, uv=True)
            assert code != 0, f"{name}: uv installs tampered files:\n{log}"
    return record


SPOT = [("pip", "genuine"), ("uv", "emptied-hash-table"), ("uv", "bumped-version-kept-hashes"), ("pip", "md5-only")]


@pytest.mark.parametrize(("base", "scenario"), SPOT)
def test_oracle_spot_check(bases: Bases, base: str, scenario: str) -> None:
    check(bases, base, scenario)


@pytest.mark.slow
@pytest.mark.parametrize(("base", "scenario"), [s for s in SCENARIOS if s not in SPOT])
def test_oracle(bases: Bases, base: str, scenario: str) -> None:
    check(bases, base, scenario)


def test_there_are_at_least_60_scenarios() -> None:
    assert len(SCENARIOS) >= 60


def test_the_bases_are_what_pip_and_uv_write(bases: Bases) -> None:
    assert bases.pip.startswith('lock-version = "1.0"\ncreated-by = "pip"\n') and "[[packages.wheels]]" in bases.pip
    assert _lint_codes(bases, bases.pip) == ["RH013"]  # pip locks for this machine alone
    assert 'created-by = "uv"' in bases.uv and "wheels = [" in bases.uv
    assert _lint_codes(bases, bases.uv) == []
    uv = UV
    if uv is None:
        return  # the recorded export stands in (written by uv 0.13.8 from PROJECTS)
    proj = bases.work / "uvproj"
    proj.mkdir(exist_ok=True)
    (proj / "pyproject.toml").write_text(
        '[project]\nname = "app"\nversion = "0.1"\nrequires-python = ">=3.11"\ndependencies = ["alpha", "gamma"]\n'
    )
    env = {**isolated_env(), "UV_CACHE_DIR": str(proj / "cache"), "UV_NO_CONFIG": "1", "UV_PYTHON_DOWNLOADS": "never"}
    url = bases.server.url
    for args in (["lock"], ["export", "--format", "pylock.toml", "--no-emit-project", "-o", "pylock.toml"]):
        done = subprocess.run([uv, *args, "--default-index", url], cwd=proj, env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
    fresh = (proj / "pylock.toml").read_text()
    assert fresh.partition("lock-version")[2] == bases.uv.partition("lock-version")[2]


def _lint_codes(bases: Bases, text: str) -> list[str]:
    where = bases.work / "codes"
    where.mkdir(exist_ok=True)
    (where / "pylock.toml").write_text(text)
    return sorted(f.code for f in _lint(where / "pylock.toml"))


@pytest.mark.parametrize("base", ["pip", "uv"])
def test_a_fixed_repeat_installs(bases: Bases, base: str) -> None:
    """RH007's fix on a lock pip refuses (one project selected twice): pip installs the fixed lock."""
    text = MUTATIONS["identical-duplicate"](bases.pip if base == "pip" else bases.uv, bases)
    where = bases.work / f"fixed-repeat-{base}"
    where.mkdir(exist_ok=True)
    (where / "pylock.toml").write_text(text)
    assert _install(bases, text, f"refused-repeat-{base}", PROJECTS)[0] != 0
    done = subprocess.run(
        [sys.executable, "-m", "req_hashlint", "--no-config", "--no-base", "--fix", "pylock.toml"],
        cwd=where,
        env=isolated_env(),
        capture_output=True,
        text=True,
    )
    fixed = (where / "pylock.toml").read_text()
    assert "fixed 1 problem" in done.stderr and fixed != text, done.stdout + done.stderr
    code, target, log = _install(bases, fixed, f"fixed-repeat-{base}-install", PROJECTS)
    assert code == 0 and _installed(target, _selected(fixed)) == _selected(fixed), log
