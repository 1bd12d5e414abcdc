"""The command: arguments, discovery, output, exit codes, stdin, colour, and never a traceback.

Runs happen in temporary directories that are not git repositories (the diff rules and their
RH902 notice belong to tests/test_diff.py; `_own` leaves their lines out).
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from req_hashlint import __version__
from req_hashlint._output import use_color
from req_hashlint.rules import RULES

from .conftest import H1, H2, Run, git

RunCli = Callable[..., Run]
_DIFF_LINE = re.compile(r": RH(1\d\d|902) ")


def _own(run: Run) -> list[str]:
    """The finding lines, without the diff rules' (RH1xx, RH902)."""
    return [ln for ln in run.lines if not _DIFF_LINE.search(ln)]


def _write(top: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        p = top / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
    return top


@pytest.fixture
def work(tmp_path: Path) -> Path:
    """A working directory outside any git repository."""
    top = tmp_path / "work"
    top.mkdir()
    return top


# -- output and exit codes -------------------------------------------------------------------


def test_findings_are_path_line_col_code_message_sorted(run_cli: RunCli, work: Path) -> None:
    _write(work, {"b/requirements.txt": "zz>=1 --hash=sha256:" + H1 + "\n", "a.txt": "six>=1\n-r b/requirements.txt\n"})
    r = run_cli("--no-config", "--no-base", "b/requirements.txt", "a.txt", cwd=work)
    assert r.code == 1
    lines = _own(r)
    assert [ln.split(" ", 2)[:2] for ln in lines] == [
        ["a.txt:1:1:", "RH001"],
        ["a.txt:1:1:", "RH002"],
        ["b/requirements.txt:1:1:", "RH001"],
    ]
    assert "six allows a range of versions" in lines[0]
    assert r.err == "Found 3 errors in 2 files.\n"


def test_clean_exit_zero_and_summary(run_cli: RunCli, work: Path) -> None:
    _write(work, {"requirements.txt": f"six==1.16.0 --hash=sha256:{H1}\n"})
    r = run_cli("--no-config", "--no-base", "requirements.txt", cwd=work)
    assert (r.code, r.out, r.err) == (0, "", "No problems found in 1 file.\n")


def test_paths_are_shown_as_given_and_includes_relative_to_the_working_directory(run_cli: RunCli, work: Path) -> None:
    _write(work, {"sub/requirements.txt": "-r ../base/base.txt\n", "base/base.txt": "six>=1\n"})
    r = run_cli("--no-config", "./sub//requirements.txt", cwd=work)
    assert [ln.split(" ")[0] for ln in _own(r)] == ["base/base.txt:1:1:", "base/base.txt:1:1:"]
    # outside git the working directory is the boundary: from sub/, ../base is not read
    r = run_cli("--no-config", "requirements.txt", cwd=work / "sub")
    assert [ln.split(" ")[:2] for ln in _own(r)] == [["requirements.txt:1:1:", "RH010"]]
    assert "outside" in r.out and str(work) not in r.out


def test_quiet_drops_the_summary(run_cli: RunCli, work: Path) -> None:
    _write(work, {"requirements.txt": "six>=1\n"})
    r = run_cli("--no-config", "-q", "requirements.txt", cwd=work)
    assert r.code == 1 and r.err == "" and len(_own(r)) == 2


def test_output_file(run_cli: RunCli, work: Path) -> None:
    _write(work, {"requirements.txt": "six>=1\n"})
    r = run_cli("--no-config", "--output", "report.txt", "requirements.txt", cwd=work)
    assert r.code == 1 and r.out == ""
    report = (work / "report.txt").read_text()
    assert "requirements.txt:1:1: RH001 " in report


def test_output_to_a_missing_directory_is_exit_2(run_cli: RunCli, work: Path) -> None:
    _write(work, {"requirements.txt": "six>=1\n"})
    r = run_cli("--no-config", "-o", "nope/report.txt", "requirements.txt", cwd=work)
    assert r.code == 2
    assert r.err.startswith("req-hashlint: error: nope/report.txt: cannot write")


@pytest.mark.parametrize(
    ("args", "code"),
    [
        ([], 1),  # default fail-on warning: a warning fails
        (["--fail-on", "warning"], 1),
        (["--fail-on", "error"], 0),
        (["--fail-on", "note"], 1),
        (["--exit-zero"], 0),
        (["--fail-on", "note", "--exit-zero"], 0),
    ],
)
def test_fail_on_with_a_warning(run_cli: RunCli, work: Path, args: list[str], code: int) -> None:
    _write(work, {"requirements.txt": f"--trusted-host mirror.example\nsix==1.16.0 --hash=sha256:{H1}\n"})
    r = run_cli("--no-config", *args, "requirements.txt", cwd=work)
    assert r.code == code
    assert [ln.split(" ")[1] for ln in _own(r)] == ["RH201"]  # shown whatever the exit code


@pytest.mark.parametrize(("args", "code"), [([], 0), (["--fail-on", "note"], 1), (["--fail-on", "error"], 0)])
def test_fail_on_with_a_note(run_cli: RunCli, work: Path, args: list[str], code: int) -> None:
    _write(work, {"requirements.txt": f"six==1.16.0 --hash=sha256:{H1} --hash=sha256:{H1}\n"})
    r = run_cli("--no-config", "--select", "RH0", *args, "requirements.txt", cwd=work)
    assert r.code == code
    assert [ln.split(" ")[1] for ln in _own(r)] == ["RH008"]


def test_suppressed_findings_do_not_count(run_cli: RunCli, work: Path) -> None:
    _write(work, {"requirements.txt": "six>=1  # req-hashlint: ignore\n"})
    r = run_cli("--no-config", "--select", "RH0", "requirements.txt", cwd=work)
    assert r.code == 0 and _own(r) == []
    assert "(2 suppressed)" in r.err


# -- select / ignore -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "codes"),
    [
        ([], ["RH001", "RH002", "RH009", "RH201"]),
        (["--select", "RH001"], ["RH001"]),
        (["--select", "RH00"], ["RH001", "RH002", "RH009"]),
        (["--select", "RH00", "--ignore", "RH002"], ["RH001", "RH009"]),
        (["--select", "RH0", "--ignore", "RH00"], []),
        (["--select", "RH00", "--ignore", "RH0"], ["RH001", "RH002", "RH009"]),  # the longer prefix wins
        (["--select", "RH001", "--ignore", "RH001"], []),  # a tie goes to ignore
        (["--ignore", "unpinned-requirement,missing-hash"], ["RH009", "RH201"]),
        (["--select", "insecure-index", "--select", "RH009"], ["RH009", "RH201"]),
        (["--select", "all", "--ignore", "RH2"], ["RH001", "RH002", "RH009"]),
        (["--select", "rh2"], ["RH201"]),
    ],
)
def test_select_and_ignore(run_cli: RunCli, work: Path, args: list[str], codes: list[str]) -> None:
    _write(work, {"requirements.txt": "--trusted-host x\nsix>=1 --pre\n"})
    r = run_cli("--no-config", *args, "requirements.txt", cwd=work)
    assert sorted({ln.split(" ")[1] for ln in _own(r)}) == codes


@pytest.mark.parametrize("bad", ["XX1", "RH0001", "RH777", "no-such-rule", "RH00x"])
def test_unknown_rule_is_a_usage_error(run_cli: RunCli, work: Path, bad: str) -> None:
    _write(work, {"requirements.txt": "six>=1\n"})
    r = run_cli("--no-config", "--select", bad, "requirements.txt", cwd=work)
    assert r.code == 2
    assert r.err.count("\n") == 1 and bad in r.err and "--list-rules" in r.err


# -- paths, discovery, stdin -----------------------------------------------------------------


def test_missing_path_is_exit_2(run_cli: RunCli, work: Path) -> None:
    _write(work, {"requirements.txt": "six==1\n"})
    r = run_cli("--no-config", "requirements.txt", "nope.txt", cwd=work)
    assert r.code == 2 and r.out == ""
    assert r.err == "req-hashlint: error: nope.txt: no such file or directory\n"


def test_a_file_argument_is_linted_whatever_its_name(run_cli: RunCli, work: Path) -> None:
    _write(work, {"deps.lock": "six>=1\n"})
    r = run_cli("--no-config", "--select", "RH001", "deps.lock", cwd=work)
    assert _own(r) == [r.lines[0]] and r.lines[0].startswith("deps.lock:1:1: RH001 ")


def test_no_paths_outside_git_walks_the_working_directory(run_cli: RunCli, work: Path) -> None:
    _write(
        work,
        {
            "requirements.txt": "a>=1\n",
            "requirements/dev.txt": "b>=1\n",
            "docs/constraints-docs.txt": "c>=1 --hash=sha256:" + H1 + "\n",
            "notes.txt": "d>=1\n",
            "requirements.in": "e>=1\n",
            ".venv/lib/requirements.txt": "f>=1\n",
            "node_modules/x/requirements.txt": "g>=1\n",
        },
    )
    r = run_cli("--no-config", "--select", "RH001", cwd=work)
    assert [ln.split(" ")[0] for ln in _own(r)] == [
        "docs/constraints-docs.txt:1:1:",
        "requirements.txt:1:1:",
        "requirements/dev.txt:1:1:",
    ]


def test_a_directory_argument_is_searched(run_cli: RunCli, work: Path) -> None:
    _write(work, {"a/requirements.txt": "a>=1\n", "b/requirements.txt": "b>=1\n", "a/other.txt": "c>=1\n"})
    r = run_cli("--no-config", "--select", "RH001", "a", cwd=work)
    assert [ln.split(" ")[0] for ln in _own(r)] == [os.path.join("a", "requirements.txt") + ":1:1:"]


def test_no_paths_in_git_lists_tracked_and_untracked_but_not_ignored(run_cli: RunCli, repo: Path) -> None:
    _write(
        repo,
        {
            ".gitignore": "build/\n",
            "requirements.txt": "a>=1\n",
            "sub/requirements-dev.txt": "b>=1\n",
            "build/requirements.txt": "c>=1\n",
            "constraints.txt": "",
        },
    )
    git(repo, "add", "requirements.txt")
    # RH0 only: the diff rules (and their notice about a repository with no commits) stay off
    r = run_cli("--no-config", "--select", "RH0", "--ignore", "RH002", cwd=repo)
    assert [ln.split(" ")[0] for ln in _own(r)] == ["requirements.txt:1:1:", "sub/requirements-dev.txt:1:1:"]


def _stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))


def test_stdin(run_cli: RunCli, work: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _stdin(monkeypatch, b"six>=1\n")
    r = run_cli("--no-config", "--select", "RH001", "-", cwd=work)
    assert r.code == 1
    assert [ln.split(" ")[0] for ln in _own(r)] == ["-:1:1:"]


def test_stdin_filename_names_it_and_anchors_its_includes(
    run_cli: RunCli, work: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(work, {"sub/base.txt": "idna>=3\n", "base.txt": "wrong>=1\n"})
    _stdin(monkeypatch, b"-r base.txt\nsix>=1  # req-hashlint: ignore[RH002]\n")
    r = run_cli("--no-config", "--select", "RH001,RH002", "--stdin-filename", "sub/requirements.txt", "-", cwd=work)
    assert [ln.split(" ")[:2] for ln in _own(r)] == [
        ["sub/base.txt:1:1:", "RH001"],
        ["sub/base.txt:1:1:", "RH002"],
        ["sub/requirements.txt:2:1:", "RH001"],
    ]


def test_stdin_with_a_bom_and_crlf(run_cli: RunCli, work: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _stdin(monkeypatch, b"\xef\xbb\xbf# x\r\nsix>=1\r\n")
    r = run_cli("--no-config", "--select", "RH001", "-", cwd=work)
    assert [ln.split(" ")[0] for ln in _own(r)] == ["-:2:1:"]


def test_undecodable_stdin_is_exit_2(run_cli: RunCli, work: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _stdin(monkeypatch, b"six # caf\xe9\n")
    r = run_cli("--no-config", "-", cwd=work)
    assert r.code == 2 and r.err.startswith("req-hashlint: error: stdin: not valid UTF-8")


def test_unreadable_file_is_rh901_not_a_crash(run_cli: RunCli, work: Path) -> None:
    (work / "requirements.txt").write_bytes(b"\x00\x01binary")
    r = run_cli("--no-config", "requirements.txt", cwd=work)
    assert r.code == 1
    assert [ln.split(" ")[:2] for ln in _own(r)] == [["requirements.txt:1:1:", "RH901"]]


# -- docs ------------------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["RH006", "rh006", "broken-continuation", " Broken-Continuation "])
def test_explain(run_cli: RunCli, key: str) -> None:
    r = run_cli("--explain", key)
    assert r.code == 0 and r.err == ""
    assert r.out.startswith("RH006 broken-continuation (default severity: error; --fix repairs some of its findings)\n")
    for heading in ("## What it means", "## Why it happens", "## How to fix it", "## Example"):
        assert heading in r.out
    # useful: it names every variant and shows a fix
    for needle in (
        "glues the next entry",
        "`#` comment before a `\\`",
        "followed by spaces",
        "marker",
        "U+2028",
        " \\`",
    ):
        assert needle in r.out, needle


def test_explain_unknown_is_exit_2(run_cli: RunCli) -> None:
    r = run_cli("--explain", "RH999")
    assert r.code == 2 and r.err == "req-hashlint: error: unknown rule 'RH999' (see --list-rules)\n"


def test_list_rules(run_cli: RunCli) -> None:
    r = run_cli("--list-rules")
    assert r.code == 0
    assert [ln.split()[:3] for ln in r.lines] == [[x.code, x.name, x.severity.label] for x in RULES]


def test_version(run_cli: RunCli) -> None:
    r = run_cli("--version")
    assert (r.code, r.out) == (0, f"req-hashlint {__version__}\n")


def test_help(run_cli: RunCli) -> None:
    r = run_cli("--help")
    assert r.code == 0 and "Exit codes: 0 clean, 1 findings" in r.out


def test_each_choice_list_lives_in_one_place(run_cli: RunCli, work: Path) -> None:
    """Every ``--format`` choice is a renderer; ``--fail-on`` and ``--require-hashes`` take
    exactly the values the config file takes."""
    from req_hashlint._config import FAIL_ON, REQUIRE_HASHES
    from req_hashlint.reporters import REPORTERS

    _write(work, {"requirements.txt": "idna==3.7\n"})
    for fmt in REPORTERS:
        r = run_cli("--no-config", "--no-base", "-q", "--format", fmt, "requirements.txt", cwd=work)
        assert r.code == 1 and "RH002" in r.out, fmt
    r = run_cli("--format", "yaml", "requirements.txt", cwd=work)
    assert r.code == 2 and f"choose from {', '.join(repr(f) for f in sorted(REPORTERS))}" in r.err
    for option, values in (("--fail-on", FAIL_ON), ("--require-hashes", REQUIRE_HASHES)):
        for value in values:
            assert run_cli("--no-config", "--no-base", "-q", option, value, "requirements.txt", cwd=work).code in (0, 1)
        r = run_cli(option, "sometimes", "requirements.txt", cwd=work)
        assert r.code == 2 and f"choose from {', '.join(repr(v) for v in values)}" in r.err


def test_bad_argument_is_exit_2(run_cli: RunCli) -> None:
    r = run_cli("--fail-on", "fatal")
    assert r.code == 2 and "invalid choice: 'fatal'" in r.err and "Traceback" not in r.err


# -- never a traceback -----------------------------------------------------------------------


def test_internal_error_is_one_line(run_cli: RunCli, work: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import req_hashlint._engine

    def boom(*_a: object, **_k: object) -> object:
        raise RuntimeError("kaboom")

    monkeypatch.setattr(req_hashlint._engine, "lint", boom)
    _write(work, {"requirements.txt": "six\n"})
    r = run_cli("--no-config", "requirements.txt", cwd=work)
    assert r.code == 2
    assert r.err == (
        "req-hashlint: internal error: RuntimeError: kaboom (please report it with the input that caused it)\n"
    )


def test_control_characters_from_the_file_are_escaped(run_cli: RunCli, work: Path) -> None:
    (work / "requirements.txt").write_text("six\x1b[2J==1.0\n")
    r = run_cli("--no-config", "--select", "RH011", "requirements.txt", cwd=work)
    assert "\x1b" not in r.out and "\\x1b[2J" in r.out


# -- colour ----------------------------------------------------------------------------------


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("choice", "env", "tty", "expected"),
    [
        ("auto", {}, True, True),
        ("auto", {}, False, False),
        ("auto", {"NO_COLOR": "1"}, True, False),
        ("auto", {"NO_COLOR": ""}, True, True),  # an empty NO_COLOR does not count
        ("auto", {"TERM": "dumb"}, True, False),
        ("always", {"NO_COLOR": "1"}, False, True),  # an explicit flag wins
        ("never", {}, True, False),
    ],
)
def test_use_color(
    monkeypatch: pytest.MonkeyPatch, choice: str, env: dict[str, str], tty: bool, expected: bool
) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    assert use_color(choice, _Tty() if tty else io.StringIO()) is expected


def test_color_always_and_never(run_cli: RunCli, work: Path) -> None:
    _write(work, {"requirements.txt": "six>=1\n"})
    colored = run_cli("--no-config", "--select", "RH001", "--color", "always", "requirements.txt", cwd=work)
    assert "\x1b[1;31mRH001\x1b[0m" in colored.out and "[unpinned-requirement]" in colored.out
    plain = run_cli("--no-config", "--select", "RH001", "--color", "never", "requirements.txt", cwd=work)
    assert "\x1b" not in plain.out
    to_file = run_cli(
        "--no-config", "--select", "RH001", "--color", "always", "-o", "r.txt", "requirements.txt", cwd=work
    )
    assert to_file.code == 1 and "\x1b" not in (work / "r.txt").read_text()


def _on_a_terminal(work: Path, env: dict[str, str]) -> str:
    """Run the real command with stdout on a pseudo-terminal; return what it printed there."""
    pty = pytest.importorskip("pty")
    master, slave = pty.openpty()
    try:
        full_env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
        full_env.update(TERM="xterm", **env)
        proc = subprocess.run(
            [sys.executable, "-m", "req_hashlint", "--no-config", "--select", "RH001", "requirements.txt"],
            cwd=work,
            stdout=slave,
            stderr=subprocess.DEVNULL,
            env=full_env,
            check=False,
            timeout=60,
        )
        os.close(slave)
        slave = -1
        chunks = []
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            if not chunk:
                break
            chunks.append(chunk)
        assert proc.returncode == 1
        return b"".join(chunks).decode()
    finally:
        os.close(master)
        if slave >= 0:
            os.close(slave)


def test_no_color_on_a_real_terminal(work: Path) -> None:
    _write(work, {"requirements.txt": "six>=1\n"})
    assert "\x1b[" in _on_a_terminal(work, {})
    assert "\x1b[" not in _on_a_terminal(work, {"NO_COLOR": "1"})


def test_python_dash_m(work: Path) -> None:
    _write(work, {"requirements.txt": f"six==1.16.0 --hash=sha256:{H1}\nidna==3.7 --hash=sha256:{H2}\n"})
    proc = subprocess.run(
        [sys.executable, "-m", "req_hashlint", "--no-config", "--select", "RH0", "requirements.txt"],
        cwd=work,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "", "No problems found in 1 file.\n")


def test_a_console_that_cannot_encode_gets_escapes_not_a_crash(tmp_path: Path) -> None:
    """A non-ASCII file name on an ASCII console (e.g. cp1252 on Windows) is escaped."""

    (tmp_path / "requirements-ü.txt").write_text("idna==3.7\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env["PYTHONIOENCODING"] = "ascii"
    proc = subprocess.run(
        [sys.executable, "-m", "req_hashlint", "--no-config", "--no-base", "requirements-ü.txt"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        check=False,
    )
    assert proc.returncode == 1, proc.stderr
    assert b"requirements-\\xfc.txt:1:1: RH002" in proc.stdout
    assert b"internal error" not in proc.stderr


# -- index evidence flags (tests/index/test_cli_index.py runs them against a real index) ------


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--refresh"], "--refresh does nothing without --index"),
        (["--index-url", "https://i.example/simple/"], "--index-url does nothing without --index"),
        (
            ["--extra-index-url", "https://a/", "--extra-index-url", "https://b/", "--refresh"],
            "--extra-index-url and --refresh do nothing without --index",
        ),
    ],
)
def test_index_flags_without_index_warn_once(run_cli: RunCli, work: Path, args: list[str], said: str) -> None:
    _write(work, {"requirements.txt": f"idna==3.7 --hash=sha256:{H1}\n"})
    r = run_cli("--no-base", *args, "requirements.txt", cwd=work)
    assert r.code == 0 and r.out == ""
    warnings = [ln for ln in r.err.splitlines() if "warning" in ln]
    assert warnings == [f"req-hashlint: warning: {said} (or `index = true`)"]


def test_index_flags_with_index_do_not_warn(run_cli: RunCli, work: Path) -> None:
    _write(work, {"requirements.txt": "# nothing pinned: no index is asked\n"})
    r = run_cli(
        "--no-base", "--index", "--refresh", "--index-url", "http://127.0.0.1:9/simple/", "requirements.txt", cwd=work
    )
    assert r.code == 0 and "warning" not in r.err


def test_a_secret_in_an_idle_index_url_is_never_echoed(run_cli: RunCli, work: Path) -> None:
    _write(work, {"requirements.txt": "--no-index\n"})
    r = run_cli("--index-url", "https://u:s3cr3t-idle@i.example/simple/", "requirements.txt", "missing.txt", cwd=work)
    assert r.code == 2 and "s3cr3t-idle" not in r.out + r.err


def test_the_hook_reads_index_urls_as_values(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """In the pre-commit entry, a URL after --index-url is the option's value, never a file."""
    from req_hashlint._cli import _hook_argv

    monkeypatch.chdir(tmp_path)
    (tmp_path / "requirements.txt").write_text("")
    got = _hook_argv(["--index", "--extra-index-url", "https://x/", "--index-url", "https://i/", "requirements.txt"])
    assert got == ["--index", "--extra-index-url", "https://x/", "--index-url", "https://i/", "--", "requirements.txt"]
