"""Output formats: golden files, the JSON interface, GitHub annotations, the format registry.

Goldens live in tests/golden/; ``REQ_HASHLINT_UPDATE_GOLDEN=1`` rewrites them from the
current output (then review the diff). Scenarios run in temporary directories outside git,
so they never depend on a git base.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from req_hashlint import __version__
from req_hashlint._cli import _parser
from req_hashlint._model import Finding, Severity, Span
from req_hashlint.reporters import REPORTERS, Report, render, repo_path
from req_hashlint.reporters.github import annotation, escape_data, escape_property
from req_hashlint.reporters.sarif import AUTOMATION_ID
from req_hashlint.rules import RULES

from .conftest import H1, H2, REPO, Run, write_tree

GOLDEN = Path(__file__).resolve().parent / "golden"
UPDATE = os.environ.get("REQ_HASHLINT_UPDATE_GOLDEN") == "1"
FORMATS = {"text": "txt", "json": "json", "sarif": "sarif", "github": "github"}
RunCli = Callable[..., Run]

# One file with a finding of every severity, a suppressed one, a span over two lines, a
# redacted secret, and `::` and `%` from the file inside a message; a second file whose
# name needs percent-encoding.
FINDINGS_TXT = f"""\
# a comment line
--index-url http://pypi.example.org/simple
six==1.16.0 \\
    --hash=sha256:{H1} \\
    --hash=sha256:{H1}
requests \\
    ==2.31.0
legacy==1.0  # req-hashlint: ignore[RH002]
Django==4.2 --hash=SHA256:{H2}
bad::error::name%0A ==1
https://user:s3cret@example.org/pkg-1.0.tar.gz
"""
SUB = "sub dir/requirements-\u00fc #1.txt"

SCENARIOS: dict[str, tuple[dict[str, str | bytes], tuple[str, ...]]] = {
    "findings": (
        {"requirements.txt": FINDINGS_TXT, SUB: "attrs==23.1.0\n"},
        ("requirements.txt", SUB),
    ),
    "clean": ({"requirements.txt": f"six==1.16.0 --hash=sha256:{H1}\n"}, ("requirements.txt",)),
    "unreadable": (
        {"requirements.txt": f"six==1.16.0 --hash=sha256:{H1}\n", "requirements-bin.txt": b"\x00\x01\x02binary"},
        ("requirements.txt", "requirements-bin.txt"),
    ),
}
EXIT = {"findings": 1, "clean": 0, "unreadable": 1}


# Scenarios never depend on a git base (RH902).
NO_BASE = ("--no-base",)


def run_scenario(run_cli: RunCli, tmp_path: Path, name: str, fmt: str, *extra: str) -> Run:
    files, paths = SCENARIOS[name]
    root = write_tree(tmp_path / name, files)
    return run_cli("--no-config", *NO_BASE, "-q", "--format", fmt, *extra, *paths, cwd=root)


def _stable(scenario: str, fmt: str, text: str) -> str:
    """The output without the tool's version, so a release does not touch the goldens.

    Only the clean run's SARIF golden holds the rule catalogue (a docs change touches one
    golden); the others have it elided.
    """
    for key in ("version", "semanticVersion"):
        text = text.replace(f'"{key}": "{__version__}"', f'"{key}": "<tool version>"')
    if fmt == "sarif" and scenario != "clean":
        log = json.loads(text)
        log["runs"][0]["tool"]["driver"]["rules"] = ["<the catalogue, as in clean.sarif>"]
        text = json.dumps(log, indent=2, ensure_ascii=True) + "\n"
    return text


def check_golden(name: str, actual: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(exist_ok=True)
        path.write_text(actual, encoding="utf-8", newline="\n")
        return
    assert path.exists(), f"{path.name} is missing; run with REQ_HASHLINT_UPDATE_GOLDEN=1 to create it"
    expected = path.read_text(encoding="utf-8")
    assert actual == expected, (
        f"{path.name} differs; if the change is intended, rerun with REQ_HASHLINT_UPDATE_GOLDEN=1"
    )


@pytest.mark.parametrize("fmt", sorted(FORMATS))
@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_golden(run_cli: RunCli, tmp_path: Path, scenario: str, fmt: str) -> None:
    result = run_scenario(run_cli, tmp_path, scenario, fmt)
    assert result.code == EXIT[scenario], result.err
    assert result.err == ""
    check_golden(f"{scenario}.{FORMATS[fmt]}", _stable(scenario, fmt, result.out))


def test_goldens_have_no_strays() -> None:
    """Every golden file belongs to a scenario and a format (renamed ones are removed)."""
    expected = {f"{s}.{ext}" for s in SCENARIOS for ext in FORMATS.values()}
    assert {p.name for p in GOLDEN.iterdir()} == expected


@pytest.mark.parametrize(
    ("extra", "expected"),
    [((), 1), (("--exit-zero",), 0), (("--select", "RH201"), 1), (("--select", "RH201", "--fail-on", "error"), 0)],
)
def test_exit_code_is_the_same_in_every_format(
    run_cli: RunCli, tmp_path: Path, extra: tuple[str, ...], expected: int
) -> None:
    codes = {fmt: run_scenario(run_cli, tmp_path / fmt, "findings", fmt, *extra).code for fmt in FORMATS}
    assert set(codes.values()) == {expected}, codes


# -- the format registry ---------------------------------------------------------------------


def _sample_findings() -> tuple[Finding, ...]:
    span = Span(3, 1, 3, 12)
    return (
        Finding("RH002", "missing-hash", Severity.ERROR, "r.txt", span, "idna==3.7 has no --hash", "idna", "3.7"),
        Finding("RH201", "insecure-index", Severity.WARNING, "r.txt", Span(1, 1, 1, 5), "plain http", rel_path="r.txt"),
        Finding("RH002", "missing-hash", Severity.ERROR, "r.txt", span, "hidden", suppressed=True, rel_path="r.txt"),
    )


def test_every_format_choice_maps_to_a_reporter() -> None:
    fmt_action = next(a for a in _parser()._actions if a.dest == "format")
    assert fmt_action.choices is not None
    assert sorted(fmt_action.choices) == sorted(REPORTERS) == sorted(FORMATS)
    report = Report(_sample_findings(), RULES, 1, __version__)
    for fmt in fmt_action.choices:
        out = render(fmt, report)
        assert isinstance(out, str) and out.endswith("\n"), fmt
        assert "idna==3.7 has no --hash" in out, fmt


def test_a_format_module_is_imported_only_when_chosen(tmp_path: Path) -> None:
    """The text run (the pre-commit hook) never pays for json or another format's module."""
    (tmp_path / "requirements.txt").write_text(f"six==1.16.0 --hash=sha256:{H1}\n")
    probe = (
        "import sys\nfrom req_hashlint._cli import main\n"
        "code = main(sys.argv[1:])\n"
        "print(sorted(m for m in sys.modules if m == 'json' or m.startswith('req_hashlint.reporters.')))\n"
    )
    seen = {}
    for fmt in ("text", "sarif"):
        proc = subprocess.run(
            [sys.executable, "-c", probe, "--no-config", *NO_BASE, "-q", "--format", fmt, "requirements.txt"],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=True,
        )
        seen[fmt] = proc.stdout.splitlines()[-1]
    assert seen["text"] == "['req_hashlint.reporters.text']"
    assert seen["sarif"] == "['json', 'req_hashlint.reporters.sarif']"


# -- JSON ------------------------------------------------------------------------------------

JSON_FIELDS = {
    "path": str,
    "line": int,
    "column": int,
    "end_line": int,
    "end_column": int,
    "code": str,
    "name": str,
    "severity": str,
    "message": str,
    "project": (str, type(None)),
    "version": (str, type(None)),
    "suppressed": bool,
    "fix": (dict, type(None)),
}


def test_json_document_is_the_documented_interface(run_cli: RunCli, tmp_path: Path) -> None:
    doc = json.loads(run_scenario(run_cli, tmp_path, "findings", "json").out)
    assert set(doc) == {"version", "findings"} and doc["version"] == 1
    for f in doc["findings"]:
        assert set(f) == set(JSON_FIELDS), f
        for key, kind in JSON_FIELDS.items():
            assert isinstance(f[key], kind), (key, f)
        assert f["severity"] in ("error", "warning", "note")
    by_code = {(f["code"], f["project"]): f for f in doc["findings"]}
    assert by_code[("RH002", "legacy")]["suppressed"] is True
    assert by_code[("RH004", "Django")]["version"] == "4.2"
    assert by_code[("RH201", None)]["version"] is None
    assert by_code[("RH002", "attrs")]["path"] == "sub dir/requirements-\u00fc #1.txt"
    # Every field the README promises is named there.
    readme = (REPO / "README.md").read_text()
    for key in JSON_FIELDS:
        assert f"`{key}`" in readme, key


def test_json_keeps_the_text_order_and_all_findings(run_cli: RunCli, tmp_path: Path) -> None:
    as_json = json.loads(run_scenario(run_cli, tmp_path / "j", "findings", "json").out)["findings"]
    as_text = run_scenario(run_cli, tmp_path / "t", "findings", "text").lines
    shown = [
        f"{f['path']}:{f['line']}:{f['column']}: {f['code']} {f['message']}" for f in as_json if not f["suppressed"]
    ]
    assert shown == as_text
    assert len(as_json) == len(as_text) + 1  # the suppressed one


def test_repo_path_is_never_absolute() -> None:
    def f(path: str, rel: str | None) -> Finding:
        return Finding("RH002", "missing-hash", Severity.ERROR, path, Span(1, 1, 1, 2), "m", rel_path=rel)

    assert repo_path(f("/abs/dir/requirements.txt", "dir/requirements.txt")) == "dir/requirements.txt"
    assert repo_path(f("/abs/dir/requirements.txt", None)) == "requirements.txt"
    assert repo_path(f("C:\\work\\requirements.txt", None)) == "requirements.txt"
    assert repo_path(f("sub\\requirements.txt", None)) == "sub/requirements.txt"


# -- GitHub annotations ----------------------------------------------------------------------


def parse_command(line: str) -> tuple[str, dict[str, str], str]:
    """Read a line as the Actions runner does (ActionCommand.TryParseV2) and unescape it."""

    def unescape(text: str, *, prop: bool) -> str:
        pairs = [("%0D", "\r"), ("%0A", "\n")]
        if prop:
            pairs += [("%3A", ":"), ("%2C", ",")]
        for enc, raw in [*pairs, ("%25", "%")]:
            text = text.replace(enc, raw)
        return text

    line = line.lstrip()
    assert line.startswith("::"), line
    end = line.index("::", 2)
    info = line[2:end]
    name, _, props_text = info.partition(" ")
    props = {}
    for part in filter(None, props_text.strip().split(",")):
        key, sep, value = part.partition("=")
        if sep and key and value:
            props[key] = unescape(value, prop=True)
    return name, props, unescape(line[end + 2 :], prop=False)


SPAN = Span(2, 3, 2, 9)


def _finding(message: str, *, path: str = "r.txt", span: Span = SPAN, **kw: Any) -> Finding:
    return Finding("RH011", "parse-error", Severity.ERROR, path, span, message, rel_path=path, **kw)


@pytest.mark.parametrize(
    "message",
    [
        "100% sure",
        "%0A%25%",
        "a\nb",
        "a\r\nb\rc",
        "x\n::error file=evil.txt,line=1::injected",
        "::warning::also injected",
        "a::b::c",
        "ends with a newline\n",
        "\n::add-mask::secret\n",
    ],
)
def test_a_message_cannot_break_or_inject_an_annotation(message: str) -> None:
    report = Report((_finding(message),), RULES, 1, __version__)
    out = render("github", report)
    assert out.count("\n") == 1 and "\r" not in out
    name, props, data = parse_command(out.rstrip("\n"))
    assert name == "error"
    assert props == {"file": "r.txt", "line": "2", "col": "3", "endColumn": "9", "title": "RH011 parse-error"}
    assert data == message


@pytest.mark.parametrize("path", ["a,line=99.txt", "x::error::y.txt", "50%,b:c\nd.txt", "dir/re\rq.txt"])
def test_a_path_cannot_break_the_properties(path: str) -> None:
    name, props, _ = parse_command(annotation(_finding("m", path=path)))
    assert name == "error"
    assert props["file"] == path and props["line"] == "2" and props["title"] == "RH011 parse-error"


def test_escaping_functions() -> None:
    assert escape_data("50%\r\n:,") == "50%25%0D%0A:,"
    assert escape_property("50%\r\n:,") == "50%25%0D%0A%3A%2C"
    # Other controls are made visible, as in the text format: no terminal escapes in the log.
    assert escape_data("a\x1b[31mb\u202e") == "a\\x1b[31mb\\u202e"
    assert escape_data("bad \udcff name") == "bad \ufffd name"


@pytest.mark.parametrize(
    ("severity", "command"), [(Severity.ERROR, "error"), (Severity.WARNING, "warning"), (Severity.NOTE, "notice")]
)
def test_annotation_level_follows_the_severity(severity: Severity, command: str) -> None:
    f = Finding("RH008", "shared-hash", severity, "r.txt", Span(1, 1, 1, 2), "m", rel_path="r.txt")
    assert annotation(f).startswith(f"::{command} file=r.txt,")


def test_annotation_leaves_columns_out_across_lines() -> None:
    _, props, _ = parse_command(annotation(_finding("m", span=Span(6, 1, 7, 13))))
    assert props == {"file": "r.txt", "line": "6", "endLine": "7", "title": "RH011 parse-error"}


def test_github_format_end_to_end(run_cli: RunCli, tmp_path: Path) -> None:
    result = run_scenario(run_cli, tmp_path, "findings", "github")
    parsed = [parse_command(ln) for ln in result.out.splitlines()]
    as_json = json.loads(run_scenario(run_cli, tmp_path / "j", "findings", "json").out)["findings"]
    shown = [f for f in as_json if not f["suppressed"]]
    # One command per unsuppressed finding, whatever the file held; nothing else on stdout.
    assert len(parsed) == len(shown)
    for (name, props, data), f in zip(parsed, shown, strict=True):
        assert name == {"error": "error", "warning": "warning", "note": "notice"}[f["severity"]]
        assert props["file"] == f["path"] and props["line"] == str(f["line"])
        assert props["title"] == f"{f['code']} {f['name']}"
        assert data == f["message"]
    assert {"notice", "warning", "error"} <= {p[0] for p in parsed}
    assert any("bad::error::name%0A" in p[2] for p in parsed)


# -- the README's recipes stay true ----------------------------------------------------------


def _readme_blocks(lang: str) -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## Output formats") : text.index("\n## ", text.index("## Output formats") + 1)]
    return re.findall(rf"^```{lang}\n(.*?)^```", section, re.M | re.S)


def test_readme_workflow_uploads_sarif_with_the_base_branch() -> None:
    import yaml

    workflows = [yaml.safe_load(b) for b in _readme_blocks("yaml") if "jobs:" in b]
    assert len(workflows) == 1
    (job,) = workflows[0]["jobs"].values()
    assert job["permissions"]["security-events"] == "write"
    steps = job["steps"]
    checkout = next(s for s in steps if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0
    runs = [s for s in steps if "req_hashlint" in s.get("run", "") and "--format" in s["run"]]
    assert runs and all("--format sarif --output req-hashlint.sarif --exit-zero" in s["run"] for s in runs)
    # One step for every event: its script picks the base (tests/test_ci_recipes.py runs it).
    (lint,) = runs
    assert lint["env"]["BASE_REF"] == "${{ github.base_ref }}" and '--base "$base"' in lint["run"]
    upload = next(s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif@"))
    assert upload["with"]["sarif_file"] == "req-hashlint.sarif"
    assert upload["with"]["category"] + "/" == AUTOMATION_ID
    # Every option the workflow passes is one the command knows.
    known = {o for a in _parser()._actions for o in a.option_strings}
    for step in runs:
        for line in step["run"].splitlines():
            if "req_hashlint" in line:
                assert set(re.findall(r"(--[a-z-]+)", line)) <= known


def test_readme_problem_matcher_reads_the_text_format() -> None:
    tasks = [json.loads(b) for b in _readme_blocks("json") if "problemMatcher" in b]
    assert len(tasks) == 1
    pattern = tasks[0]["tasks"][0]["problemMatcher"]["pattern"]
    regexp = re.compile(pattern["regexp"])
    lines = (GOLDEN / "findings.txt").read_text(encoding="utf-8").splitlines()
    as_json = json.loads((GOLDEN / "findings.json").read_text(encoding="utf-8"))["findings"]
    shown = [f for f in as_json if not f["suppressed"]]
    assert len(lines) == len(shown) > 5
    for line, f in zip(lines, shown, strict=True):
        m = regexp.match(line)
        assert m is not None, line
        assert m.group(pattern["file"]) == f["path"]
        assert (m.group(pattern["line"]), m.group(pattern["column"])) == (str(f["line"]), str(f["column"]))
        assert (m.group(pattern["code"]), m.group(pattern["message"])) == (f["code"], f["message"])


def test_readme_names_every_format() -> None:
    section = (REPO / "README.md").read_text(encoding="utf-8").split("## Output formats", 1)[1]
    for fmt in REPORTERS:
        assert f"| `{fmt}`" in section, fmt
