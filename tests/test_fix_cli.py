"""`--fix` and `--diff` as a command: what is written and how, what is never touched, exit codes,
the machine formats' fixes, and the safety check that drops a fix changing another entry."""

from __future__ import annotations

import codecs
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from req_hashlint._fix import fix_text
from req_hashlint._model import Edit, Fix, Span

from .conftest import H1, H2, REPO, Run
from .test_sarif import schema_errors

RunCli = Callable[..., Run]
UP1 = H1.upper()
BROKEN = f"six==1.16.0 --hash=sha256:{UP1}\n"
FIXED = f"six==1.16.0 --hash=sha256:{H1}\n"


def write(path: Path, data: bytes | str) -> Path:
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


def test_diff_prints_a_unified_diff_writes_nothing_and_exits_1(run_cli: RunCli, tmp_path: Path) -> None:
    path = write(tmp_path / "requirements.txt", BROKEN)
    r = run_cli("--diff", "--no-config", "requirements.txt", cwd=tmp_path)
    assert r.code == 1
    assert r.out == (
        "--- a/requirements.txt\n+++ b/requirements.txt\n@@ -1 +1 @@\n"
        f"-six==1.16.0 --hash=sha256:{UP1}\n+six==1.16.0 --hash=sha256:{H1}\n"
    )
    assert "would fix 1 problem in 1 file" in r.err
    assert path.read_text() == BROKEN
    write(path, FIXED)
    r = run_cli("--diff", "--no-config", "requirements.txt", cwd=tmp_path)
    assert (r.code, r.out, r.err) == (0, "", "")


def test_diff_wins_over_fix_and_reads_stdin(run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path / "requirements.txt", BROKEN)
    r = run_cli("--fix", "--diff", "--no-config", "requirements.txt", cwd=tmp_path)
    assert r.code == 1 and r.out.startswith("--- a/requirements.txt") and path.read_text() == BROKEN
    import io

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(BROKEN.encode())))
    r = run_cli("--diff", "--no-config", "-", cwd=tmp_path)
    assert r.code == 1 and f"+six==1.16.0 --hash=sha256:{H1}\n" in r.out


def test_fix_with_stdin_or_staged_is_a_usage_error(run_cli: RunCli, tmp_path: Path) -> None:
    r = run_cli("--fix", "--no-config", "-", cwd=tmp_path)
    assert r.code == 2 and "--fix cannot write to stdin" in r.err
    write(tmp_path / "requirements.txt", BROKEN)
    r = run_cli("--fix", "--staged", "--no-config", "requirements.txt", cwd=tmp_path)
    assert r.code == 2 and "cannot be used with --staged" in r.err


@pytest.mark.parametrize(
    ("label", "encode"),
    [
        ("crlf", lambda t: t.replace("\n", "\r\n").encode()),
        ("crlf, no final newline", lambda t: t.replace("\n", "\r\n").rstrip("\r\n").encode()),
        ("no final newline", lambda t: t.rstrip("\n").encode()),
        ("utf-8 bom", lambda t: codecs.BOM_UTF8 + t.encode()),
        ("utf-16", lambda t: t.encode("utf-16")),
        ("utf-16-be bom", lambda t: codecs.BOM_UTF16_BE + t.encode("utf-16-be")),
        ("latin-1 coding line", lambda t: ("# -*- coding: latin-1 -*-\n# caf\u00e9\n" + t).encode("latin-1")),
    ],
)
def test_the_file_keeps_its_encoding_bom_line_ends_and_final_newline(
    run_cli: RunCli, tmp_path: Path, label: str, encode: Callable[[str], bytes]
) -> None:
    text = f"six==1.16.0 \\\n    --hash=sha256:{UP1}\nidna==3.7 --hash=sha256:{H2.upper()}\n"
    path = write(tmp_path / "requirements.txt", encode(text))
    r = run_cli("--fix", "--no-config", "requirements.txt", cwd=tmp_path)
    assert r.code == 0, (label, r.out, r.err)
    assert path.read_bytes() == encode(text.replace(UP1, H1).replace(H2.upper(), H2)), label


def test_the_mode_is_kept_and_the_write_is_a_rename(run_cli: RunCli, tmp_path: Path) -> None:
    path = write(tmp_path / "requirements.txt", BROKEN)
    path.chmod(0o640)
    before = path.stat().st_ino
    r = run_cli("--fix", "--no-config", "requirements.txt", cwd=tmp_path)
    assert r.code == 0 and path.read_text() == FIXED
    assert path.stat().st_mode & 0o777 == 0o640
    assert path.stat().st_ino != before  # a new file renamed over the old one
    assert sorted(p.name for p in tmp_path.iterdir()) == ["requirements.txt"]  # no temporary file left


def test_an_include_is_fixed_too(run_cli: RunCli, tmp_path: Path) -> None:
    write(tmp_path / "requirements.txt", "-r base.txt\n")
    base = write(tmp_path / "base.txt", BROKEN)
    r = run_cli("--fix", "--no-config", "requirements.txt", cwd=tmp_path)
    assert r.code == 0 and base.read_text() == FIXED


def test_no_file_is_written_through_a_symlink(run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    real = write(tmp_path / "real" / "requirements.txt", BROKEN)
    (tmp_path / "requirements.txt").symlink_to("real/requirements.txt")
    (tmp_path / "linked").symlink_to("real", target_is_directory=True)
    for name in ("requirements.txt", "linked/requirements.txt"):
        r = run_cli("--fix", "--no-config", name, cwd=tmp_path)
        assert r.code == 1 and "RH012" in r.out and "fixed" not in r.err, (name, r.out)
    assert real.read_text() == BROKEN
    r = run_cli("--fix", "--no-config", "real/requirements.txt", cwd=tmp_path)  # the file itself: fixed
    assert r.code == 0 and real.read_text() == FIXED


def test_the_hook_fails_when_it_changed_a_file(run_cli: RunCli, tmp_path: Path) -> None:
    path = write(tmp_path / "requirements.txt", BROKEN)
    r = run_cli("--pre-commit", "--fix", "--no-config", "requirements.txt", cwd=tmp_path)
    assert r.code == 1 and path.read_text() == FIXED
    r = run_cli("--pre-commit", "--fix", "--no-config", "requirements.txt", cwd=tmp_path)
    assert r.code == 0


def test_quiet_says_nothing_on_stderr(run_cli: RunCli, tmp_path: Path) -> None:
    write(tmp_path / "requirements.txt", BROKEN)
    r = run_cli("--fix", "-q", "--no-config", "requirements.txt", cwd=tmp_path)
    assert (r.code, r.err) == (0, "")


def test_json_and_sarif_carry_the_fix(run_cli: RunCli, tmp_path: Path) -> None:
    write(tmp_path / "requirements.txt", BROKEN)
    r = run_cli("--format", "json", "--no-config", "requirements.txt", cwd=tmp_path)
    (finding,) = [f for f in json.loads(r.out)["findings"] if f["code"] == "RH012"]
    edit = {"line": 1, "column": 13, "end_line": 1, "end_column": 13 + 7 + 71, "text": f"--hash=sha256:{H1}"}
    assert finding["fix"] == {"description": "lowercase the hex digest", "edits": [edit]}
    r = run_cli("--format", "sarif", "--no-config", "requirements.txt", cwd=tmp_path)
    log = json.loads(r.out)
    assert schema_errors(log) == []
    (result,) = [x for x in log["runs"][0]["results"] if x["ruleId"] == "RH012"]
    (change,) = result["fixes"][0]["artifactChanges"]
    assert change["artifactLocation"]["uri"] == "requirements.txt"
    assert change["replacements"] == [
        {
            "deletedRegion": {"startLine": 1, "startColumn": 13, "endLine": 1, "endColumn": 91},
            "insertedContent": {"text": f"--hash=sha256:{H1}"},
        }
    ]


def test_explain_says_whether_a_rule_is_fixable(run_cli: RunCli) -> None:
    assert "; --fix repairs some of its findings)" in run_cli("--explain", "RH012").out.split("\n")[0]
    assert "; not fixed by --fix)" in run_cli("--explain", "RH001").out.split("\n")[0]


def test_a_fix_that_changes_another_entry_is_dropped() -> None:
    text = f"six==1.16.0 --hash=sha256:{H1}\nidna==3.7 --hash=sha256:{H2}\n"
    lower = Fix("fine", (Edit(Span(1, 1, 1, 4), "SIX"),))
    # a `\` at the end of line 1 glues idna onto six: pip would read idna differently
    glue = Fix("harmful", (Edit(Span(1, 91, 1, 91), " \\"),))
    assert fix_text(text, "r.txt", [glue]) == (text, 0)
    assert fix_text(text, "r.txt", [lower, glue]) == ("SIX" + text[3:], 1)
    # an option line changed is refused too
    opts = "--index-url https://a.example/simple\nsix==1\n"
    assert fix_text(opts, "r.txt", [Fix("x", (Edit(Span(1, 13, 1, 14), "b"),))]) == (opts, 0)


def test_the_offline_run_does_not_import_the_fix_engine(tmp_path: Path) -> None:
    write(tmp_path / "requirements.txt", BROKEN + "idna==3.7\n")
    code = (
        "import sys; from req_hashlint._cli import main; main(['--no-config', '--format', 'sarif', "
        "'requirements.txt']); print('req_hashlint._fix' in sys.modules, file=sys.stderr)"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, env=env)
    assert proc.stderr.strip().endswith("False"), proc.stderr


def test_the_summary_says_how_many_findings_fix_can_fix(run_cli: RunCli, tmp_path: Path) -> None:
    write(tmp_path / "requirements.txt", BROKEN + "idna==3.7\n")
    r = run_cli("--no-config", "--no-base", "requirements.txt", cwd=tmp_path)
    assert r.err == "Found 1 error, 1 warning in 1 file. 1 fixable with --fix (--diff shows how).\n"


def test_the_readme_fixing_table_names_every_fixable_rule() -> None:
    from req_hashlint.rules import RULES

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Fixing\n", 1)[1].split("\n## ", 1)[0]
    rows = dict(re.findall(r"^\| (RH\d{3}) \| (.*) \|$", section, re.M))
    fixable = {r.code for r in RULES if r.fixable}
    assert fixable <= rows.keys()
    assert {code for code, fix in rows.items() if "with `--index`" not in fix} <= fixable
