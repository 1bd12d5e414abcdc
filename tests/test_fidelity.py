"""Fidelity: every verdict of req-hashlint proved against real pip (issue 5).

The harness lives in ``tests/fidelity/``: tiny real distributions (``dists``), pip as the
oracle and the outcome classifier (``oracle``), the scenario grammar and its seeded
generator (``scenarios``, ``hand``), the outcome-to-rule table (``mapping``) and the
stricter-than-pip table it reads from ``docs/stricter-than-pip.md``. ``python -m
tests.fidelity run [ID ...]`` runs it by hand and prints the agreement matrix.

The differential takes pip's runs from ``tests/fidelity/pip-runs.json`` where their key (pip
version, Python, how pip runs, the scenario's exact content) matches, and runs real pip for the
rest; ``REQ_HASHLINT_PIP_CACHE=rewrite`` runs real pip for everything and rewrites the file
(``fidelity/pipcache.py``). The spot check always runs real pip and compares it with the file.

The tests that run pip are ``slow`` (the main CI Python only); the others run everywhere.
"""

from __future__ import annotations

import hashlib
import os
import tarfile
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

from req_hashlint._engine import Target, lint
from req_hashlint._model import Finding, Severity
from req_hashlint.rules import BY_CODE, RULES

from .conftest import CORPUS, REPO, Run, git
from .fidelity import dists, harness, logical, oracle, pipcache
from .fidelity.hand import HAND
from .fidelity.mapping import OUTCOMES, SHADOWS, stricter_rows
from .fidelity.scenarios import (
    FAULTS,
    FORMS,
    HASHES,
    MUTATIONS,
    N_GENERATED,
    SPECS,
    Raw,
    Scenario,
    Want,
    generate,
    render,
)

SCENARIOS = [*HAND, *generate()]
# rules with no pip behaviour to compare with: a note about the git state of the run
NOT_ABOUT_PIP = {"RH902"}


@pytest.fixture(scope="session")
def fixtures(tmp_path_factory: pytest.TempPathFactory) -> dists.Fixtures:
    return dists.build(tmp_path_factory.mktemp("fidelity") / "fixtures")


@pytest.fixture(scope="session")
def venvs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One venv per pip version for the whole session (shared by xdist workers)."""
    base = tmp_path_factory.getbasetemp()
    return (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "fidelity-venvs"


# -- the fixtures are real distributions ---------------------------------------------------


def test_fixture_digests_are_the_files_digests(fixtures: dists.Fixtures) -> None:
    for art in fixtures.artifacts.values():
        data = art.path.read_bytes()
        for algo in dists.ALGOS:
            assert art.digests[algo] == hashlib.new(algo, data).hexdigest()
    assert fixtures.digest("alpha", "1.0") != fixtures.digest("alpha", "1.1")


def test_fixture_wheels_carry_metadata_and_a_record(fixtures: dists.Fixtures) -> None:
    with zipfile.ZipFile(fixtures.artifact("alpha", "1.1").path) as zf:
        meta = zf.read("alpha-1.1.dist-info/METADATA").decode()
        record = zf.read("alpha-1.1.dist-info/RECORD").decode()
    assert "Name: alpha\nVersion: 1.1\nRequires-Dist: beta\n" in meta
    assert "alpha/__init__.py,sha256=" in record
    with zipfile.ZipFile(fixtures.artifact("delta", "1.0").path) as zf:
        assert 'Requires-Dist: beta ; extra == "fast"' in zf.read("delta-1.0.dist-info/METADATA").decode()
    with tarfile.open(fixtures.artifact("gamma", "1.0").path) as tf:
        assert "gamma-1.0/tiny_backend.py" in tf.getnames()


def test_fixtures_are_deterministic(fixtures: dists.Fixtures, tmp_path: Path) -> None:
    again = dists.build(tmp_path / "again")
    assert {k: a.digests for k, a in again.artifacts.items()} == {k: a.digests for k, a in fixtures.artifacts.items()}


# -- the scenarios: a seeded grammar, every rule's territory ---------------------------------


def test_generated_scenarios_are_many_and_reproducible(fixtures: dists.Fixtures) -> None:
    first, second = generate(), generate()
    assert len(first) == N_GENERATED >= 300
    assert [render(s, fixtures).texts for s in first] == [render(s, fixtures).texts for s in second]
    ids = [s.id for s in SCENARIOS]
    assert len(ids) == len(set(ids))


def test_the_grammar_is_covered() -> None:
    tags = set().union(*(s.all_tags() for s in generate()))
    for word in [
        *(f"spec-{x}" for x in SPECS),
        *(f"hashes-{x}" for x in HASHES),
        *(f"form-{x}" for x in FORMS),
        *(f"fault-{x}" for x in FAULTS),
        *(f"{axis}-{value}" for axis, value in MUTATIONS),
        "marker-false",
        "hashed-range",
        "uppercase",
        "constraint-hashed",
    ]:
        assert word in tags, word


def test_every_rule_has_hand_scenarios() -> None:
    for rule in RULES:
        if rule.code in NOT_ABOUT_PIP or rule.evidence:  # index rules: tests/index's oracle against pip
            continue
        if rule.code in ("RH013", "RH014"):  # pylock.toml only: tests/pylock's oracle against pip
            continue
        assert any(s.id.startswith(f"hand-{rule.code.lower()}-") for s in HAND), rule.code


def test_the_tables_name_real_rules_and_grammar_words() -> None:
    for kind, rules in OUTCOMES.items():
        assert set(rules) <= set(BY_CODE), kind
    for kind, rules in SHADOWS.items():
        assert kind in OUTCOMES and rules <= set(BY_CODE)
    rows = stricter_rows()
    assert {r.case for r in rows} >= {"wildcard-pin", "hashed-range", "always", "hashes-in-constraints"}
    words = set().union(*(s.all_tags() for s in SCENARIOS)) | set(harness.PAIRING_TAGS.values())
    for row in rows:
        assert row.rules <= set(BY_CODE), row.case
        assert row.when & words, f"{row.case}: no scenario carries any of {sorted(row.when)}"
    hashed_range = next(r for r in rows if r.case == "hashed-range")
    assert not hashed_range.excuses("RH001", frozenset({"hashed-range"}), oracle.OLD)  # 23.3.2 fails
    assert hashed_range.excuses("RH001", frozenset({"hashed-range"}), oracle.CURRENT)


# -- the logical view: req-hashlint reads what pip and pip-requirements-parser read --------


def _readers(file: Path, root: Path) -> list[logical.Difference]:
    mine = logical.ours(file, root)
    return logical.differences("pip", logical.pips(file, root), mine) + logical.differences(
        "pip-requirements-parser", logical.requirements_parser(file, root), mine
    )


@pytest.mark.parametrize("shard", range(4))  # in four parts, for xdist to spread
def test_logical_view_of_every_fixture(
    fixtures: dists.Fixtures, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shard: int
) -> None:
    monkeypatch.chdir(fixtures.root)  # pip finds ./localproj and ./dists/... from here
    found = []
    for s in SCENARIOS[shard::4]:
        _, sdir = harness.write(s, fixtures, tmp_path)
        found += [f"{s.id}: {d}" for d in _readers(sdir / "requirements.txt", sdir)]
    assert found == []


def test_logical_view_of_the_real_corpus() -> None:
    files = sorted(p for p in CORPUS.rglob("*.txt"))
    assert len(files) >= 29
    found = [f"{p.relative_to(CORPUS)}: {d}" for p in files for d in _readers(p, CORPUS)]
    assert found == []


def test_a_reading_difference_without_a_finding_is_reported(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("alpha==1.0\n")
    mine = logical.ours(tmp_path / "requirements.txt", tmp_path)
    theirs = logical.Reading([replace(mine.reading.views[0], marker='python_version < "3"')])
    (diff,) = logical.differences("pip", theirs, mine)
    assert (diff.line, diff.why) == (1, "marker")


# -- the kept pip runs: any change misses ---------------------------------------------------


def test_a_kept_run_misses_on_any_change(fixtures: dists.Fixtures, tmp_path: Path) -> None:
    kept = pipcache.PipCache(tmp_path / "runs.json")
    s = Scenario("t", {"requirements.txt": (Raw("alpha==1.0 {h[alpha-1.0]}", (Want("alpha", hashes=1),)),)})
    key = kept.key(s, render(s, fixtures), oracle.CURRENT, fixtures)
    assert kept.key(s, render(s, fixtures), oracle.CURRENT, fixtures) == key

    def key_of(**change: object) -> str:
        t = replace(s, **change)  # type: ignore[arg-type]
        return kept.key(t, render(t, fixtures), oracle.CURRENT, fixtures)

    changed = [
        key_of(files={"requirements.txt": (Raw("alpha==1.0 {h[alpha-1.1]}", (Want("alpha", hashes=1),)),)}),
        key_of(files={"requirements.txt": (Raw("alpha==1.0 {h[alpha-1.0]}", (Want("alpha", installs=False),)),)}),
        key_of(tags=frozenset({"pip-baseline"})),
        key_of(base={"requirements.txt": (Raw("alpha==1.1"),)}),
        kept.key(s, render(s, fixtures), oracle.OLD, fixtures),
    ]
    assert key not in changed and len(set(changed)) == len(changed)
    assert kept.get(key, tmp_path, fixtures) is None and kept.misses == 1


def test_a_kept_run_reads_back_as_pip_said_it_elsewhere(fixtures: dists.Fixtures, tmp_path: Path) -> None:
    """Paths, digests and pip's temporary names are placeholders: the runs move between machines."""
    s = next(s for s in HAND if s.id == "hand-clean-lock")
    sdir = tmp_path / "here" / s.id
    digest = fixtures.digest("alpha", "1.0")
    stderr = f"{sdir}/requirements.txt: {digest} {digest.upper()} /tmp/pip-install-abcd1234/x_{'0' * 32}\n"
    parse = {"requirements": [{"file": f"{sdir.parent}/x.txt", "hashes": [f"sha256:{digest}"]}]}
    runs = (
        oracle.PipRun("26.3", False, 1, stderr, None, parse),
        oracle.PipRun("26.3", True, 0, "", {"alpha": True}, parse),
    )
    kept = pipcache.PipCache(tmp_path / "runs.json", rewrite=True)
    kept.put("k", s, runs, sdir, fixtures)
    kept.save()
    text = (tmp_path / "runs.json").read_text()
    assert str(tmp_path) not in text and digest not in text and "abcd1234" not in text
    elsewhere = pipcache.PipCache(tmp_path / "runs.json")
    there = tmp_path / "there" / s.id
    back = elsewhere.get("k", there, fixtures)
    assert back is not None and elsewhere.hits == 1
    assert back[0].stderr == stderr.replace(str(sdir), str(there)).replace("abcd1234", "*").replace("0" * 32, "*")
    assert back[0].parse == {"requirements": [{"file": f"{there.parent}/x.txt", "hashes": [f"sha256:{digest}"]}]}
    assert (back[1].rc, back[1].installed, back[1].require_hashes) == (0, {"alpha": True}, True)


# -- fixes found by the harness (no pip needed to pin them) ----------------------------------


def _lint(tmp_path: Path, text: str, **files: str) -> list[Finding]:
    for name, content in {"requirements.txt": text, **files}.items():
        (tmp_path / name).write_text(content)
    root = tmp_path / "requirements.txt"
    return lint([Target(str(root), "requirements.txt")], rules=RULES, boundary=lambda _: str(tmp_path)).findings


@pytest.mark.parametrize(
    ("text", "column"),
    [
        ("-r a.txt -r b.txt\n", 10),  # pip follows the first include only
        ("delta==1.0 -r b.txt\n", 12),  # pip ignores -r on a requirement line
        ("-e ./a -e ./b\n", 8),  # pip reads the first -e only
        ("delta==1.0 -e ./a\n", 12),  # pip ignores -e on a requirement line
    ],
)
def test_an_ignored_include_or_editable_is_an_error(tmp_path: Path, text: str, column: int) -> None:
    """pip drops what they name without a word (hand-rh016-two-includes-one-line & co)."""
    found = [f for f in _lint(tmp_path, text, **{"a.txt": "", "b.txt": ""}) if f.code == "RH016"]
    assert [(f.span.line, f.span.column, f.severity) for f in found] == [(1, column, Severity.ERROR)]
    assert "never installs" in found[0].message


def test_an_ignored_constraints_file_stays_a_warning(tmp_path: Path) -> None:
    found = [f for f in _lint(tmp_path, "-r a.txt -c b.txt\n", **{"a.txt": "", "b.txt": ""}) if f.code == "RH009"]
    assert [f.severity for f in found] == [Severity.WARNING]


def test_install_option_names_the_pip_that_removed_it(tmp_path: Path) -> None:
    """pip 23.3.2 already says 'no such option: --install-option' (hand-rh015-install-option)."""
    (f,) = [f for f in _lint(tmp_path, "six==1.16.0 --install-option=--x\n") if f.code == "RH015"]
    assert "pip 23.1 and later" in f.message


# -- the differential against real pip (slow) ------------------------------------------------


@pytest.mark.slow
def test_agreement_with_pip(
    fixtures: dists.Fixtures, venvs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    kept = pipcache.PipCache.from_env()
    results = harness.run(SCENARIOS, fixtures, tmp_path, cache=venvs, runs_cache=kept)
    if kept.rewrite:
        kept.save()
    report = harness.matrix(results.verdicts, fixtures)
    with capsys.disabled():
        print("\n" + report.split("\ndisagreements:", 1)[0])
        print(
            f"pip runs: {kept.hits} scenarios from {kept.path.name}, {kept.misses} through real pip"
            + (f" (rewritten: {kept.path.name})" if kept.rewrite else f" ({pipcache.ENV}=rewrite refreshes the file)")
        )
    bad = [v for v in results.verdicts if not v.agrees]
    assert not bad, "\n".join(harness.reproducer(v, fixtures) for v in bad[:20])
    by_pip = {v.pip for v in results.verdicts}
    assert by_pip == {oracle.CURRENT, oracle.OLD}
    # every documented strictness is exercised, and every pip outcome but the unknown one
    used = {case for v in results.verdicts for _, case in v.stricter}
    assert used == {r.case for r in stricter_rows()}
    seen = {e.kind for v in results.verdicts for e in v.events}
    assert seen == set(OUTCOMES) - {"other-failure"}


# The cache's spot check: a sample of every kind of pip outcome, on both pips.
SPOT_CHECK = (
    "hand-clean-lock",  # success, an sdist built (and on pip 23.3.2)
    "hand-rh012-uppercase",  # pip 23.3.2: HashMismatch; pip 26.3: success
    "hand-rh003-vcs",  # a git clone into a random temporary directory
    "hand-rh006-glue-next",  # a requirement silently dropped
    "hand-rh011-unknown-option",  # a parse error
)


@pytest.mark.slow
def test_the_kept_pip_runs_are_what_real_pip_says(fixtures: dists.Fixtures, venvs: Path, tmp_path: Path) -> None:
    """Real pip, every time, on the sample: it agrees with req-hashlint and with the file."""
    kept = pipcache.PipCache()
    chosen = [s for s in SCENARIOS if s.id in SPOT_CHECK]
    assert len(chosen) == len(SPOT_CHECK)
    fresh = harness.run(chosen, fixtures, tmp_path, cache=venvs)  # no cache: real pip for all
    assert [v for v in fresh.verdicts if not v.agrees] == []
    assert {v.pip for v in fresh.verdicts} == {oracle.CURRENT, oracle.OLD}
    assert {e.kind for v in fresh.verdicts for e in v.events} >= {"HashMismatch", "drop", "parse-error"}
    pairs: dict[tuple[str, str], dict[bool, oracle.PipRun]] = {}
    for v in fresh.verdicts:
        pairs.setdefault((v.scenario.id, v.pip), {})[v.run.require_hashes] = v.run
    missing = []
    for (sid, pip), runs in pairs.items():
        s = next(s for s in chosen if s.id == sid)
        stored = kept.runs.get(kept.key(s, render(s, fixtures), pip, fixtures))
        if stored is None:
            missing.append(f"{sid} on pip {pip}")
            continue
        assert pipcache.entry(s, (runs[False], runs[True]), tmp_path / sid, fixtures) == stored, f"{sid} on pip {pip}"
    if kept.made_here:  # the file was written by this very oracle: the whole sample is in it
        assert missing == [], f"not in {kept.path.name}; {pipcache.ENV}=rewrite refreshes it"


def _overeager(ctx: object) -> list[Finding]:
    """A broken RH004: every hash is invalid."""
    from req_hashlint.rules import Context

    assert isinstance(ctx, Context)
    rule = BY_CODE["RH004"]
    return [ctx.finding(rule, node, h.span, "bogus") for node, entry in ctx.entries() for h in entry.hashes]


@pytest.mark.slow
def test_the_harness_catches_a_linter_that_misses_or_invents(
    fixtures: dists.Fixtures, venvs: Path, tmp_path: Path
) -> None:
    chosen = [s for s in HAND if s.id in ("hand-rh006-glue-next", "hand-clean-lock")]
    without_rh006 = [r for r in RULES if r.code != "RH006"]
    kept = pipcache.PipCache()
    one = {"cache": venvs, "versions": [oracle.CURRENT], "runs_cache": kept}
    results = harness.run(chosen, fixtures, tmp_path / "a", rules=without_rh006, **one)  # type: ignore[arg-type]
    glued = [v for v in results.verdicts if v.scenario.id == "hand-rh006-glue-next"]
    assert glued and all(any(e.kind == "drop" for e in v.missed) for v in glued)
    broken = [r._replace(check=_overeager) if r.code == "RH004" else r for r in RULES]
    results = harness.run(chosen, fixtures, tmp_path / "b", rules=broken, **one)  # type: ignore[arg-type]
    clean = [v for v in results.verdicts if v.scenario.id == "hand-clean-lock"]
    assert clean and all(v.unexplained and v.unexplained[0].code == "RH004" for v in clean)


@pytest.mark.slow
def test_a_stale_bump_is_caught_before_pip_downloads_it(
    fixtures: dists.Fixtures, venvs: Path, repo: Path, run_cli: object
) -> None:
    """The base holds alpha==1.0 with 1.0's hashes; the new file alpha==1.1 with the same hashes."""
    s = next(s for s in HAND if s.id == "hand-rh101-stale-bump")
    rendered = render(s, fixtures)
    assert rendered.base is not None
    (repo / "requirements.txt").write_text(rendered.base["requirements.txt"])
    git(repo, "add", "requirements.txt")
    git(repo, "commit", "-q", "-m", "alpha 1.0")
    (repo / "requirements.txt").write_text(rendered.texts["requirements.txt"])

    r: Run = run_cli("--no-config", "--base", "HEAD", "requirements.txt", cwd=repo)  # type: ignore[operator]
    stale = [ln for ln in r.lines if " RH101 " in ln]
    assert (
        r.code == 1
        and stale == [stale[0]]
        and stale[0].startswith("requirements.txt:1:1: RH101 alpha bumped 1.0 -> 1.1")
    )

    with oracle.Oracle(oracle.python_for(oracle.CURRENT, venvs), oracle.CURRENT, 1) as orc:
        runs = harness._pip_runs(orc, [(s, repo)], fixtures)
    for flag in (False, True):
        events = oracle.classify(runs[(s.id, flag)], rendered.intents, repo)
        assert [(e.kind, e.where) for e in events] == [("HashMismatch", (0,))]


def test_the_readme_states_the_agreement() -> None:
    readme = (REPO / "README.md").read_text()
    assert "## Agreement with pip" in readme
    assert "docs/stricter-than-pip.md" in readme
