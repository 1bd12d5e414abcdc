"""SARIF 2.1.0: the OASIS schema, GitHub's ingestion rules, fingerprints, URIs.

Every scenario's log is validated against tests/data/schemas/sarif-schema-2.1.0.json with
jsonschema's Draft4Validator and checked against the rules GitHub code scanning applies on
upload; the checker is itself tested on broken logs, so a pass means something.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from req_hashlint import __version__
from req_hashlint.reporters.sarif import AUTOMATION_ID, FINGERPRINT_KEY, INFORMATION_URI, message_markdown, plain, uri
from req_hashlint.rules import RULES

from .conftest import H1, H2, H3, REPO, SARIF_SCHEMA, Run, git, write_tree
from .test_reporters import NO_BASE, run_scenario

RunCli = Callable[..., Run]
LEVELS = {"error", "warning", "note", "none"}
PRECISIONS = {"very-high", "high", "medium", "low"}


@cache
def _validator() -> jsonschema.Draft4Validator:
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator.check_schema(schema)
    return jsonschema.Draft4Validator(schema)


def schema_errors(log: Any) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in _validator().iter_errors(log)]


def _locations(result: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for loc in result.get("locations", []):
        yield "location", loc
    for loc in result.get("relatedLocations", []):
        yield "related location", loc


def ingestion_problems(log: dict[str, Any]) -> list[str]:
    """What GitHub code scanning rejects or shows badly, plus our own one-location contract."""
    problems = []
    if log.get("version") != "2.1.0" or len(log.get("runs", [])) != 1:
        problems.append("one SARIF 2.1.0 run")
    for run in log.get("runs", []):
        rules = run["tool"]["driver"].get("rules", [])
        ids = [r.get("id") for r in rules]
        if len(set(ids)) != len(ids):
            problems.append("rule ids are not unique")
        for r in rules:
            props = r.get("properties", {})
            sev = props.get("security-severity")
            if sev is not None and not (
                isinstance(sev, str) and re.fullmatch(r"\d+(\.\d+)?", sev) and float(sev) <= 10
            ):
                problems.append(f"{r.get('id')}: security-severity {sev!r} is not a numeric string in 0-10")
            if props.get("precision", "high") not in PRECISIONS:
                problems.append(f"{r.get('id')}: precision {props.get('precision')!r}")
            if not all(isinstance(t, str) and t for t in props.get("tags", [])):
                problems.append(f"{r.get('id')}: tags must be non-empty strings")
        if "results" not in run:
            problems.append("no results array")
        for i, res in enumerate(run.get("results", [])):
            where = f"result {i}"
            if res.get("ruleId") not in ids:
                problems.append(f"{where}: ruleId {res.get('ruleId')!r} is not in the catalogue")
            if "ruleIndex" in res and (
                not 0 <= res["ruleIndex"] < len(rules) or rules[res["ruleIndex"]]["id"] != res.get("ruleId")
            ):
                problems.append(f"{where}: ruleIndex does not point at ruleId")
            if res.get("level", "warning") not in LEVELS:
                problems.append(f"{where}: level {res.get('level')!r}")
            if not res.get("message", {}).get("text"):
                problems.append(f"{where}: empty message")
            if len(res.get("locations", [])) != 1:
                problems.append(f"{where}: not exactly one location")
            fps = res.get("partialFingerprints", {})
            if FINGERPRINT_KEY not in fps or "primaryLocationLineHash" in fps:
                problems.append(f"{where}: partialFingerprints must hold {FINGERPRINT_KEY} and no line hash")
            for kind, loc in _locations(res):
                if kind == "related location" and not loc.get("message", {}).get("text"):
                    problems.append(f"{where}: a related location without a message")
                phys = loc.get("physicalLocation", {})
                art = phys.get("artifactLocation", {})
                u = art.get("uri", "")
                if not u or u.startswith("/") or re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", u):
                    problems.append(f"{where}: {kind} uri {u!r} is empty, absolute or has a scheme")
                if art.get("uriBaseId") != "%SRCROOT%":
                    problems.append(f"{where}: {kind} uriBaseId is not %SRCROOT%")
                region = phys.get("region", {})
                corners = [region.get(k) for k in ("startLine", "startColumn", "endLine", "endColumn")]
                if not all(isinstance(c, int) and c >= 1 for c in corners):
                    problems.append(f"{where}: {kind} region lines and columns must be integers >= 1")
                elif corners[2:] < corners[:2]:
                    problems.append(f"{where}: {kind} region ends before it starts")
    return problems


def assert_good_log(text: str, tmp_path: Path | None = None) -> dict[str, Any]:
    log: dict[str, Any] = json.loads(text)
    assert schema_errors(log) == []
    assert ingestion_problems(log) == []
    if tmp_path is not None:
        for form in {str(tmp_path), str(tmp_path.resolve()), tmp_path.as_uri()}:
            assert form not in text
    return log


# -- the checker catches what it claims to ---------------------------------------------------


def _result_of(log: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = log["runs"][0]["results"][0]
    return result


def _region(log: dict[str, Any]) -> dict[str, Any]:
    region: dict[str, Any] = _result_of(log)["locations"][0]["physicalLocation"]["region"]
    return region


def _set_uri(value: str) -> Callable[[dict[str, Any]], None]:
    def mutate(log: dict[str, Any]) -> None:
        _result_of(log)["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] = value

    return mutate


BREAKAGES: dict[str, Callable[[dict[str, Any]], None]] = {
    "empty uri": _set_uri(""),
    "absolute uri": _set_uri("/home/me/requirements.txt"),
    "file uri": _set_uri("file:///home/me/requirements.txt"),
    "column 0": lambda log: _region(log).update(startColumn=0),
    "end before start": lambda log: _region(log).update(startColumn=5, endLine=_region(log)["startLine"], endColumn=2),
    "duplicate rule id": lambda log: log["runs"][0]["tool"]["driver"]["rules"].append(
        log["runs"][0]["tool"]["driver"]["rules"][0]
    ),
    "wrong ruleIndex": lambda log: _result_of(log).update(ruleIndex=_result_of(log)["ruleIndex"] + 1),
    "numeric security-severity": lambda log: next(
        r for r in log["runs"][0]["tool"]["driver"]["rules"] if "security-severity" in r["properties"]
    )["properties"].update({"security-severity": 5.0}),
    "related location without a message": lambda log: _result_of(log).update(
        relatedLocations=[copy.deepcopy(_result_of(log)["locations"][0])]
    ),
    "line hash": lambda log: _result_of(log)["partialFingerprints"].update(primaryLocationLineHash="abc:1"),
    "two locations": lambda log: _result_of(log)["locations"].append(_result_of(log)["locations"][0]),
    "no results": lambda log: log["runs"][0].pop("results"),
}


@pytest.mark.parametrize("breakage", sorted(BREAKAGES))
def test_the_ingestion_checker_catches(run_cli: RunCli, tmp_path: Path, breakage: str) -> None:
    log = assert_good_log(run_scenario(run_cli, tmp_path, "findings", "sarif").out)
    BREAKAGES[breakage](log)
    assert ingestion_problems(log) != []


def test_the_schema_catches_a_bad_log(run_cli: RunCli, tmp_path: Path) -> None:
    log = assert_good_log(run_scenario(run_cli, tmp_path, "findings", "sarif").out)
    _result_of(log)["level"] = "fatal"
    del log["runs"][0]["tool"]["driver"]["name"]
    assert len(schema_errors(log)) == 2


# -- one scenario per rule -------------------------------------------------------------------

# code -> (files, paths to lint); each fires its rule (and maybe others).
RULE_SCENARIOS: dict[str, dict[str, str | bytes]] = {
    "RH001": {"requirements.txt": f"requests>=2 --hash=sha256:{H1}\n"},
    "RH002": {"requirements.txt": "idna==3.7\n"},
    "RH003": {"requirements.txt": "-e .\n"},
    "RH004": {"requirements.txt": "six==1.16.0 --hash=sha256:abc\n"},
    "RH005": {"requirements.txt": f"six==1.16.0 --hash=sha256:{H1}\n--hash=sha256:{H2}\n"},
    "RH006": {"requirements.txt": f"six==1.16.0 \\\n    --hash=sha256:{H1} \\\nidna==3.7 \\\n    --hash=sha256:{H2}\n"},
    "RH007": {"requirements.txt": f"six==1.16.0 --hash=sha256:{H1}\nsix==1.17.0 --hash=sha256:{H2}\n"},
    "RH008": {"requirements.txt": f"six==1.16.0 --hash=sha256:{H1}\nidna==3.7 --hash=sha256:{H1}\n"},
    "RH009": {"requirements.txt": f"six==1.16.0 --pre --hash=sha256:{H1}\n"},
    "RH010": {"requirements.txt": "-r missing.txt\n"},
    "RH011": {"requirements.txt": "not a requirement\n"},
    "RH012": {"requirements.txt": f"six==1.16.0 --hash=sha256:{H1.upper()}\n"},
    "RH013": {
        "pylock.toml": 'lock-version = "1.0"\ncreated-by = "pip"\n[[packages]]\nname = "a"\nversion = "1"\n'
        f'wheels = [{{ url = "https://x.invalid/a-1-cp312-cp312-win_amd64.whl", hashes = {{ sha256 = "{H1}" }} }}]\n'
    },
    "RH014": {
        "pylock.toml": 'lock-version = "1.0"\ncreated-by = "pip"\n[[packages]]\nname = "a"\nversion = "2"\n'
        f'wheels = [{{ url = "https://x.invalid/a-1-py3-none-any.whl", hashes = {{ sha256 = "{H1}" }} }}]\n'
    },
    "RH015": {"requirements.txt": f"six==1.16.0 --install-option=--x --hash=sha256:{H1}\n"},
    "RH016": {"requirements.txt": "-r a.txt -r b.txt\n", "a.txt": "", "b.txt": ""},
    "RH201": {"requirements.txt": f"--index-url http://pypi.example.org/simple\nsix==1.16.0 --hash=sha256:{H1}\n"},
    "RH202": {"requirements.txt": f"https://user:s3cret@example.org/pkg-1.0.tar.gz#sha256={H1}\n"},
    "RH901": {"requirements.txt": b"\x00\x01binary"},
}
# Diff rules: (the file at the base commit, the file in the working tree, extra arguments).
DIFF_SCENARIOS: dict[str, tuple[str | None, str, tuple[str, ...]]] = {
    "RH101": (f"six==1.16.0 --hash=sha256:{H1}\n", f"six==1.17.0 --hash=sha256:{H1}\n", ("--base", "HEAD")),
    "RH102": (
        f"six==1.16.0 --hash=sha256:{H1}\n",
        f"six==1.17.0 --hash=sha256:{H1} --hash=sha256:{H2}\n",
        ("--base", "HEAD"),
    ),
    "RH103": (f"six==1.16.0 --hash=sha256:{H1}\n", f"six==1.16.0 --hash=sha256:{H3}\n", ("--base", "HEAD")),
    "RH104": (f"six==1.16.0 --hash=sha256:{H1} --hash=sha256:{H3}\n", f"six==1.16.0 --hash=sha256:{H1}\n", ()),
    "RH902": (None, f"six==1.16.0 --hash=sha256:{H1}\n", ()),  # a repository with no commit yet
}


# index rules need an index: tests/index runs them end to end, SARIF included
OFFLINE = [r for r in RULES if not r.evidence]


def test_every_rule_has_a_scenario() -> None:
    assert {r.code for r in OFFLINE} <= set(RULE_SCENARIOS) | set(DIFF_SCENARIOS)
    assert {r.code for r in OFFLINE if not r.diff} == set(RULE_SCENARIOS)


def _rule_log(run_cli: RunCli, tmp_path: Path, code: str) -> Run:
    rule = next(r for r in RULES if r.code == code)
    if not rule.diff:
        root = write_tree(tmp_path / "work", RULE_SCENARIOS[code])
        return run_cli("--no-config", *NO_BASE, "--format", "sarif", next(iter(RULE_SCENARIOS[code])), cwd=root)
    old, new, extra = DIFF_SCENARIOS[code]
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    if old is not None:
        (root / "requirements.txt").write_text(old)
        git(root, "add", "requirements.txt")
        git(root, "commit", "-q", "-m", "base")
    (root / "requirements.txt").write_text(new)
    return run_cli("--no-config", "--format", "sarif", *extra, "requirements.txt", cwd=root)


@pytest.mark.parametrize("code", [r.code for r in OFFLINE])
def test_sarif_per_rule_is_valid_and_ingestible(run_cli: RunCli, tmp_path: Path, code: str) -> None:
    result = _rule_log(run_cli, tmp_path, code)
    assert result.code in (0, 1), result.err
    log = assert_good_log(result.out, tmp_path)
    run = log["runs"][0]
    fired = [r for r in run["results"] if r["ruleId"] == code]
    assert fired, f"the {code} scenario does not fire it"
    rules = run["tool"]["driver"]["rules"]
    for res in fired:
        assert rules[res["ruleIndex"]]["id"] == code
        uri = next(iter(RULE_SCENARIOS.get(code, {"requirements.txt": ""})))
        assert res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == uri
    if code == "RH202":
        assert "s3cret" not in result.out


def test_sarif_from_the_real_corpus(run_cli: RunCli, tmp_path: Path) -> None:
    from .conftest import CORPUS

    files = sorted(p.relative_to(CORPUS).as_posix() for p in CORPUS.rglob("*") if p.is_file() and p.suffix != ".tsv")
    tree = write_tree(tmp_path / "corpus", {f: (CORPUS / f).read_bytes() for f in files})
    result = run_cli("--no-config", *NO_BASE, "--format", "sarif", *files, cwd=tree)
    log = assert_good_log(result.out, tmp_path)
    assert len(log["runs"][0]["results"]) > 100


# -- the log's shape -------------------------------------------------------------------------


def test_driver_carries_the_whole_catalogue(run_cli: RunCli, tmp_path: Path) -> None:
    log = assert_good_log(run_scenario(run_cli, tmp_path, "clean", "sarif").out)
    run = log["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "req-hashlint"
    assert driver["semanticVersion"] == __version__
    assert driver["informationUri"] == INFORMATION_URI
    assert INFORMATION_URI in (REPO / "pyproject.toml").read_text()
    assert [r["id"] for r in driver["rules"]] == [r.code for r in RULES]
    for sarif_rule, rule in zip(driver["rules"], RULES, strict=True):
        assert sarif_rule["name"] == rule.name != sarif_rule["id"]
        assert sarif_rule["shortDescription"] == {"text": plain(rule.summary), "markdown": rule.summary}
        assert sarif_rule["fullDescription"] == {"text": plain(rule.docs.what), "markdown": rule.docs.what}
        for part in (rule.docs.what, rule.docs.why, rule.docs.fix, rule.docs.example):
            assert plain(part) in sarif_rule["help"]["text"] and part in sarif_rule["help"]["markdown"]
        assert "`" not in sarif_rule["help"]["text"] + sarif_rule["shortDescription"]["text"], rule.code
        assert "## How to fix it" in sarif_rule["help"]["markdown"]
        assert sarif_rule["helpUri"] == f"{INFORMATION_URI}/blob/main/docs/rules.md#{rule.code.lower()}-{rule.name}"
        assert sarif_rule["defaultConfiguration"]["level"] == rule.severity.label
        props = sarif_rule["properties"]
        assert props["tags"] == list(rule.tags) and props["precision"] == rule.precision
        if rule.security_severity is None:
            assert "security-severity" not in props
        else:
            assert float(props["security-severity"]) == rule.security_severity
    assert any("security" in r.tags and r.security_severity for r in RULES)
    assert run["columnKind"] == "unicodeCodePoints"
    assert run["automationDetails"]["id"] == AUTOMATION_ID
    assert run["invocations"] == [{"executionSuccessful": True}]
    assert run["results"] == []


def test_unreadable_file_is_a_tool_execution_notification(run_cli: RunCli, tmp_path: Path) -> None:
    log = assert_good_log(run_scenario(run_cli, tmp_path, "unreadable", "sarif").out, tmp_path)
    run = log["runs"][0]
    (note,) = run["invocations"][0]["toolExecutionNotifications"]
    assert note["level"] == "error"
    assert note["message"]["text"].startswith("requirements-bin.txt: cannot read this file")
    assert note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "requirements-bin.txt"
    rules = run["tool"]["driver"]["rules"]
    assert rules[note["associatedRule"]["index"]]["id"] == note["associatedRule"]["id"] == "RH901"
    assert [r["ruleId"] for r in run["results"]] == ["RH901"]


def test_suppressed_findings_stay_with_an_in_source_suppression(run_cli: RunCli, tmp_path: Path) -> None:
    log = assert_good_log(run_scenario(run_cli, tmp_path, "findings", "sarif").out)
    results = log["runs"][0]["results"]
    suppressed = [r for r in results if "suppressions" in r]
    assert len(suppressed) == 1
    assert suppressed[0]["ruleId"] == "RH002" and suppressed[0]["suppressions"] == [{"kind": "inSource"}]
    assert suppressed[0]["locations"][0]["physicalLocation"]["region"]["startLine"] == 8


def test_levels_follow_each_findings_severity(run_cli: RunCli, tmp_path: Path) -> None:
    log = assert_good_log(run_scenario(run_cli, tmp_path, "findings", "sarif").out)
    levels = {(r["ruleId"], r["level"]) for r in log["runs"][0]["results"]}
    # RH008 is an error rule whose same-entry repeat is a note: the result says so.
    assert {("RH008", "note"), ("RH201", "warning"), ("RH004", "error")} <= levels


def test_regions_are_the_spans(run_cli: RunCli, tmp_path: Path) -> None:
    sarif = assert_good_log(run_scenario(run_cli, tmp_path / "s", "findings", "sarif").out)
    as_json = json.loads(run_scenario(run_cli, tmp_path / "j", "findings", "json").out)["findings"]
    regions = [r["locations"][0]["physicalLocation"]["region"] for r in sarif["runs"][0]["results"]]
    spans = [
        {"startLine": f["line"], "startColumn": f["column"], "endLine": f["end_line"], "endColumn": f["end_column"]}
        for f in as_json
    ]
    assert regions == spans
    assert any(r["endLine"] > r["startLine"] for r in regions)


# -- URIs ------------------------------------------------------------------------------------


def test_uri_percent_encoding() -> None:
    assert uri("requirements.txt") == "requirements.txt"
    assert uri("sub dir/r\u00e9qs #1%.txt") == "sub%20dir/r%C3%A9qs%20%231%25.txt"
    assert uri("c:/x?.txt") == "c%3A/x%3F.txt"  # never read as a scheme or a query
    assert uri("req/dev+test~1.txt") == "req/dev+test~1.txt"
    assert uri("bad-\udcff.txt") == "bad-%FF.txt"  # an undecodable name keeps its byte


def test_uris_are_repository_relative_from_a_subdirectory(run_cli: RunCli, tmp_path: Path, repo: Path) -> None:
    sub = repo / "services" / "api"
    write_tree(sub, {"requirements.txt": "idna==3.7\n", "requirements-dev.txt": "-r requirements.txt\n"})
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "add")
    for args in (("requirements-dev.txt",), (str(sub / "requirements-dev.txt"),), ()):
        result = run_cli("--no-config", "--format", "sarif", *args, cwd=sub)
        log = assert_good_log(result.out, tmp_path)
        uris = {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            for r in log["runs"][0]["results"]
            if r["ruleId"] == "RH002"
        }
        assert uris == {"services/api/requirements.txt"}, args
        for fmt in ("json", "github"):
            out = run_cli("--no-config", "--format", fmt, *args, cwd=sub).out
            assert "services/api/requirements.txt" in out and str(tmp_path) not in out, (fmt, args)


def test_output_file_holds_the_log(run_cli: RunCli, tmp_path: Path) -> None:
    root = write_tree(tmp_path / "w", {"requirements.txt": "idna==3.7\n"})
    args = ("--format", "sarif", "--output", "out.sarif", "--exit-zero", "requirements.txt")
    result = run_cli("--no-config", *NO_BASE, *args, cwd=root)
    assert result.code == 0 and result.out == "" and result.err == ""
    log = assert_good_log((root / "out.sarif").read_text(encoding="utf-8"), tmp_path)
    assert [r["ruleId"] for r in log["runs"][0]["results"]] == ["RH002"]


# -- fingerprints ----------------------------------------------------------------------------


def _fingerprints(run_cli: RunCli, root: Path, text: str, path: str = "requirements.txt") -> list[tuple[str, int, str]]:
    write_tree(root, {path: text})
    log = assert_good_log(run_cli("--no-config", *NO_BASE, "--format", "sarif", path, cwd=root).out)
    return [
        (
            r["ruleId"],
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
            r["partialFingerprints"][FINGERPRINT_KEY],
        )
        for r in log["runs"][0]["results"]
    ]


FINGERPRINT_FILE = f"""\
--index-url http://a.example.org/simple
--extra-index-url http://b.example.org/simple
six==1.16.0 --hash=sha256:{H1}
idna==3.7
requests>=2 --hash=sha256:abc --hash=sha256:xyz
"""


def test_fingerprints_are_stable_when_lines_move_and_unique(run_cli: RunCli, tmp_path: Path) -> None:
    before = _fingerprints(run_cli, tmp_path, FINGERPRINT_FILE)
    moved = FINGERPRINT_FILE.replace("six==", "# a new comment\n\n# and another\nsix==")
    after = _fingerprints(run_cli, tmp_path, moved)
    # Two findings of one rule on one project (two bad hashes on requests) and two findings
    # about no project (two http indexes) are still told apart.
    codes = [code for code, _, _ in before]
    assert codes.count("RH004") == 2 and codes.count("RH201") == 2
    assert len({fp for _, _, fp in before}) == len(before)
    assert {(c, fp) for c, _, fp in before} == {(c, fp) for c, _, fp in after}
    assert [line for _, line, _ in before] != [line for _, line, _ in after]


def test_fingerprints_follow_the_project_not_its_version(run_cli: RunCli, tmp_path: Path) -> None:
    one = dict((c, fp) for c, _, fp in _fingerprints(run_cli, tmp_path, "idna==3.7\n"))
    bumped = dict((c, fp) for c, _, fp in _fingerprints(run_cli, tmp_path, "# bumped\nidna==3.8\n"))
    other = dict((c, fp) for c, _, fp in _fingerprints(run_cli, tmp_path, "attrs==3.7\n"))
    assert one["RH002"] == bumped["RH002"] != other["RH002"]


def test_fingerprints_differ_between_files_and_rules(run_cli: RunCli, tmp_path: Path) -> None:
    a = _fingerprints(run_cli, tmp_path, "idna>=3.7\n")
    b = _fingerprints(run_cli, tmp_path, "idna>=3.7\n", "sub/requirements.txt")
    assert {c for c, _, _ in a} == {"RH001", "RH002"}
    assert len({fp for *_, fp in a + b}) == 4


# -- text for people, Markdown only where it is rendered -------------------------------------


def test_help_uris_point_at_headings_that_exist_in_the_rule_catalogue(run_cli: RunCli, tmp_path: Path) -> None:
    from .test_docs import heading_anchors

    anchors = heading_anchors((REPO / "docs" / "rules.md").read_text(encoding="utf-8"))
    log = assert_good_log(run_scenario(run_cli, tmp_path, "clean", "sarif").out)
    prefix = f"{INFORMATION_URI}/blob/main/docs/rules.md#"
    for rule in log["runs"][0]["tool"]["driver"]["rules"]:
        assert rule["helpUri"].startswith(prefix), rule["id"]
        assert rule["helpUri"].removeprefix(prefix) in anchors, rule["id"]


def test_result_messages_are_plain_text_with_markdown_beside(run_cli: RunCli, tmp_path: Path) -> None:
    """GitHub shows message.text as it is: backticks there would be printed literally."""
    sarif = assert_good_log(run_scenario(run_cli, tmp_path / "s", "findings", "sarif").out)
    as_json = json.loads(run_scenario(run_cli, tmp_path / "j", "findings", "json").out)["findings"]
    results = sarif["runs"][0]["results"]
    assert any("`" in f["message"] for f in as_json)  # the scenario has code spans to strip
    for res, f in zip(results, as_json, strict=True):
        assert "`" not in res["message"]["text"], res["message"]["text"]
        assert res["message"]["text"] == f["message"].replace("`", "")
        assert res["message"]["markdown"] == message_markdown(f["message"])
    for note in sarif["runs"][0]["invocations"][0].get("toolExecutionNotifications", []):
        assert "`" not in note["message"]["text"]


def _unescape(markdown: str) -> str:
    return re.sub(r"\\(.)", r"\1", markdown)


def _outside_code_spans(markdown: str) -> list[str]:
    """The stretches a CommonMark reader sees outside code spans (single-backtick spans)."""
    return re.split(r"(?<!\\)`[^`]*`", markdown)


@pytest.mark.parametrize(
    "message",
    [
        "idna==3.7 has no --hash; regenerate it (`pip hash FILE`)",
        "invalid requirement `[click](https://evil.example/x) ![i](https://evil.example/i.png)`: bad",
        "`--trusted-host <img src=x onerror=alert(1)>` turns off TLS",
        "x [y](https://evil.example) <b>z</b> @someone $a$ **b** ~~c~~ | d # e &amp; f http://g.example",
        "a `back`tick` too many, and `one` fine",
        "`  padded  ` and `` and `",
    ],
)
def test_message_markdown_keeps_file_text_literal(message: str) -> None:
    md = message_markdown(message)
    outside = _outside_code_spans(md)
    for stretch in outside:
        # Every Markdown-active character outside a code span is escaped: nothing from the
        # file can become a link, an image, HTML, emphasis, math or a mention.
        assert not re.search(r"(?<!\\)[\[\]()<>*_~|#&@$!`]", stretch.replace("\\\\", "")), (md, stretch)
    # What a reader sees is the plain text: the message without its code-span backticks.
    spans = re.findall(r"(?<!\\)`([^`]*)`", md)
    seen = "".join(_unescape(s) + (spans[i].strip(" ") if i < len(spans) else "") for i, s in enumerate(outside))
    assert seen.replace(" ", "") == plain(message).replace(" ", "")


def test_plain_drops_code_spans_and_fences() -> None:
    assert plain("use `pip hash FILE` now") == "use pip hash FILE now"
    assert plain("```\nsix==1.0 \\\n```") == "six==1.0 \\"
    assert plain("an unpaired ` stays") == "an unpaired ` stays"
