"""Hostile and broken input: a clear message, the documented exit code, no traceback, bounded cost.

Every case runs the real command (in-process, or in a subprocess where a hang or the
memory is the point) on real files in a temporary git repository.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import stat
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from req_hashlint import _discover, _engine, _graph, _source
from req_hashlint._engine import Target, enabled_rules, lint
from req_hashlint._lex import lex
from req_hashlint._source import MAX_LINES, MAX_WORDS, ReadError, read_path

from .conftest import H1, REPO, Run, git

RunCli = Callable[..., Run]
CLEAN = f"six==1.16.0 --hash=sha256:{H1}\n"


def sane(run: Run, *machine_paths: Path) -> Run:
    """No traceback, no internal error, no absolute path of this machine in the output."""
    both = run.out + run.err
    assert "Traceback" not in both and "internal error" not in both, both
    for path in machine_paths:
        for form in {str(path), os.path.realpath(path)}:
            assert form not in both, form
    return run


def codes(run: Run) -> list[str]:
    return sorted({ln.split(": ", 1)[1].split(" ", 1)[0] for ln in run.lines})


@pytest.fixture
def lint_repo(run_cli: RunCli, repo: Path, tmp_path: Path) -> Callable[..., Run]:
    """Run the command in ``repo`` (no diff: these files have no history) and check its hygiene."""

    def _run(*args: str) -> Run:
        return sane(run_cli("--no-base", *args, cwd=repo), tmp_path)

    return _run


# -- broken encodings ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"six==1.16.0\x00\x01\x02\xff\xfe" * 10, "binary file (it contains NUL bytes)"),
        (
            b"six==1.16.0  # caf\xe9\n",
            "not valid UTF-8 (byte 0xe9 at offset 18); save it as UTF-8 or declare its encoding in a "
            "'# -*- coding: NAME -*-' first line",
        ),
        (
            codecs.BOM_UTF16_LE + "six==1.16.0\n".encode("utf-16-le")[:-1],
            "invalid utf-16 after its byte order mark: truncated data",
        ),
        (b"# -*- coding: latin-1 -*-\nsix==1.16.0\x00\n", "binary file (it contains NUL characters)"),
        (b"# coding: no-such-codec\nsix\n", "unknown encoding 'no-such-codec' in its coding line"),
    ],
)
def test_undecodable_files_are_rh901(lint_repo: Callable[..., Run], repo: Path, data: bytes, message: str) -> None:
    (repo / "requirements.txt").write_bytes(data)
    r = lint_repo("requirements.txt")
    assert r.code == 1
    assert r.lines == [f"requirements.txt:1:1: RH901 cannot read this file: {message}"]


@pytest.mark.parametrize("codec", ["zlib", "rot13", "hex", "base64", "uu", "undefined", "punycode", "idna"])
def test_a_coding_line_naming_no_text_encoding_is_rh901_not_a_crash(
    lint_repo: Callable[..., Run], repo: Path, codec: str
) -> None:
    """Regression: bytes.decode("zlib") raised LookupError, "undefined" a UnicodeError."""
    (repo / "requirements.txt").write_bytes(f"# coding: {codec}\n-r x\n".encode())
    r = lint_repo("requirements.txt")
    assert r.code == 1
    assert codes(r) == ["RH901"] or codec == "idna", r.out  # idna decodes this text
    assert codec in r.out or codec == "idna"


@pytest.mark.parametrize(
    "data",
    [
        codecs.BOM_UTF16_LE + CLEAN.encode("utf-16-le"),
        codecs.BOM_UTF16_BE + CLEAN.replace("\n", "\r\n").encode("utf-16-be"),
        codecs.BOM_UTF32_LE + CLEAN.encode("utf-32-le"),
        codecs.BOM_UTF8 + CLEAN.encode(),
        f"# -*- coding: latin-1 -*-\n{CLEAN}# café\n".encode("latin-1"),
        f"#!/usr/bin/env pip\n# vim: set fileencoding=cp1252 :\n{CLEAN}# naïve “quotes”\n".encode("cp1252"),
    ],
)
def test_declared_encodings_are_read_as_pip_reads_them(lint_repo: Callable[..., Run], repo: Path, data: bytes) -> None:
    (repo / "requirements.txt").write_bytes(data)
    r = lint_repo("requirements.txt")
    assert (r.code, r.out) == (0, ""), r.out
    assert "No problems found in 1 file." in r.err


def test_lone_surrogates_from_a_utf7_file_and_a_file_name_reach_every_output(
    run_cli: RunCli, repo: Path, tmp_path: Path
) -> None:
    """Regression: `--output` with a lone surrogate in a finding was an internal error."""
    (repo / "requirements-u7.txt").write_bytes(b"# coding: utf-7\nsix==1+2AA-\n")
    name = os.fsdecode(b"requirements-\xff.txt")
    (repo / name).write_text("six\n")
    for fmt in ("text", "json", "sarif", "github"):
        out = tmp_path / f"report.{fmt}"
        r = sane(run_cli("--no-base", "--format", fmt, "-o", str(out), cwd=repo), tmp_path)
        assert r.code == 1, fmt
        text = out.read_text(encoding="utf-8")
        assert "requirements-u7.txt" in text and "requirements-" in text.replace("requirements-u7.txt", ""), fmt
    assert "requirements-\\udcff.txt:1:1: RH001" in (tmp_path / "report.text").read_text()


# -- sizes: refused early, or linted in bounded memory and time -------------------------------


# The command as `python -m req_hashlint` runs it, reporting its own peak RSS as it ends: the
# kernel's ru_maxrss of a child also counts the forking test process's memory.
_MEASURED = """
import os, sys
from req_hashlint._cli import main
code = main()
try:
    with open("/proc/self/status") as fh:
        peak = next((ln.split()[1] for ln in fh if ln.startswith("VmHWM:")), "-1024")
except OSError:
    peak = "-1024"
with open(os.environ["RH_TEST_PEAK"], "w") as fh:
    fh.write(peak)
sys.exit(code)
"""


def measure(args: list[str], cwd: Path, *, stdin: Path | None = None, timeout: float = 600) -> tuple[Run, float, int]:
    """Run the command in a subprocess: its result, wall time (s) and peak RSS (MiB; -1 unknown)."""
    peak = cwd.parent / "peak"
    with open(stdin or os.devnull, "rb") as inp:
        start = time.monotonic()
        try:
            proc = subprocess.run(
                [sys.executable, "-c", _MEASURED, *args],
                cwd=cwd,
                stdin=inp,
                capture_output=True,
                timeout=timeout,
                env={**os.environ, "RH_TEST_PEAK": str(peak)},
                check=False,
            )
        except subprocess.TimeoutExpired:
            pytest.fail(f"req-hashlint {' '.join(args)} ran longer than {timeout} s")
        seconds = time.monotonic() - start
    rss = int(peak.read_text()) // 1024
    run = Run(proc.returncode, proc.stdout.decode(), proc.stderr.decode())
    print(f"req-hashlint {' '.join(args)[:60]}: exit {run.code}, {seconds:.1f} s, peak RSS {rss} MiB")
    return sane(run, cwd), seconds, rss


def big(path: Path, unit: str, count: int) -> Path:
    with open(path, "w") as fh:
        for _ in range(count // 10_000):
            fh.write(unit * 10_000)
        fh.write(unit * (count % 10_000))
    return path


def test_a_50_mb_file_is_refused_without_reading_it(repo: Path) -> None:
    big(repo / "requirements.txt", CLEAN, 50 * 1024 * 1024 // len(CLEAN) + 1)
    r, _, rss = measure(["--no-base", "requirements.txt"], repo)
    assert r.code == 1
    assert r.lines == ["requirements.txt:1:1: RH901 cannot read this file: larger than 16 MiB; not a requirements file"]
    assert rss < 200, rss


def test_a_single_10_mb_line_is_refused(repo: Path) -> None:
    (repo / "requirements.txt").write_text("a" * (10 * 1024 * 1024) + "\n")
    r, _, rss = measure(["--no-base", "requirements.txt"], repo)
    assert r.code == 1
    assert "a line is longer than 1,048,576 characters; not a requirements file" in r.out
    assert rss < 300, rss


def test_stdin_from_dev_zero_is_refused_at_the_size_limit(repo: Path) -> None:
    r, _, _ = measure(["--no-base", "-"], repo, stdin=Path("/dev/zero"))
    assert r.code == 2
    assert r.err == "req-hashlint: error: stdin: larger than 16 MiB; not a requirements file\n"


@pytest.mark.parametrize(
    ("unit", "count", "message"),
    [
        ("\n", MAX_LINES + 1, "more than 200,000 lines"),
        ("\r\n", MAX_LINES + 1, "more than 200,000 lines"),
        ("a\x0c", MAX_LINES + 1, "more than 200,000 lines"),  # pip starts a line at a form feed
        ("--hash=a ", MAX_WORDS + 1, "more than 400,000 words"),
    ],
)
def test_too_many_lines_or_words_are_refused(
    lint_repo: Callable[..., Run], repo: Path, unit: str, count: int, message: str
) -> None:
    big(repo / "requirements.txt", unit, count)
    r = lint_repo("requirements.txt")
    assert r.code == 1
    assert r.lines == [f"requirements.txt:1:1: RH901 cannot read this file: {message}; not a requirements file"]


def test_lines_joined_by_continuations_count_as_one_line(lint_repo: Callable[..., Run], repo: Path) -> None:
    big(repo / "requirements.txt", "x" * 1000 + " \\\r\n", 1100)
    r = lint_repo("requirements.txt")
    assert r.lines == [
        "requirements.txt:1:1: RH901 cannot read this file: lines joined by `\\` make one longer than "
        "1,048,576 characters; not a requirements file"
    ]


def test_a_file_with_too_many_findings_gives_one_rh901(
    lint_repo: Callable[..., Run], repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_engine, "MAX_FINDINGS_PER_FILE", 20)
    (repo / "requirements.txt").write_text("".join(f"p{i}\n" for i in range(10)))  # RH001 and RH002 each
    (repo / "requirements-dev.txt").write_text("".join(f"p{i}\n" for i in range(11)))
    r = lint_repo("requirements.txt", "requirements-dev.txt")
    assert r.code == 1
    assert len([ln for ln in r.lines if ln.startswith("requirements.txt:")]) == 20  # at the cap: all shown
    assert [ln for ln in r.lines if ln.startswith("requirements-dev.txt:")] == [
        "requirements-dev.txt:1:1: RH901 not linted: it has more than 20 problems; is it a requirements file?"
    ]
    r = lint_repo("--ignore", "RH901", "requirements-dev.txt")
    assert (r.code, r.out) == (0, "")


def test_a_crlf_file_at_the_line_limit_is_read(lint_repo: Callable[..., Run], repo: Path) -> None:
    """CRLF counts as one line break, not two."""
    big(repo / "requirements.txt", "\r\n", MAX_LINES - 1)
    assert lint_repo("requirements.txt").code == 0


@pytest.mark.slow
def test_100000_entries_are_linted_in_bounded_memory_and_time(repo: Path) -> None:
    with open(repo / "requirements.txt", "w") as fh:
        for i in range(100_000):
            digest = hashlib.sha256(str(i).encode()).hexdigest()
            fh.write(f"pkg{i}==1.0 \\\n    --hash=sha256:{digest}\n")
    r, seconds, rss = measure(["--no-base", "requirements.txt"], repo)
    assert (r.code, r.out) == (0, "")
    assert rss < 1024 and seconds < 300, (rss, seconds)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("unit", "count"),
    [
        ("a\n", MAX_LINES - 1),  # the costliest line: packaging parses it, three findings
        ("a==1 " + "--hash=a " * 1999 + "\n", MAX_WORDS // 2000),  # the costliest word
    ],
    ids=["bare-names", "bad-hashes"],
)
def test_the_worst_files_within_the_bounds_stay_bounded(repo: Path, unit: str, count: int) -> None:
    """Just inside every limit: refused by the findings cap with one RH901, in bounded memory.

    SARIF is the costliest report (its 600,000 results took 4 GB before the cap).
    """
    big(repo / "requirements.txt", unit, count)
    r, seconds, rss = measure(["--no-base", "--format", "sarif", "requirements.txt"], repo)
    assert r.code == 1
    assert "not linted: it has more than 10,000 problems" in r.out
    assert rss < 1024 and seconds < 300, (rss, seconds)


# Lines of 400,000 characters: linear work takes well under a second; the quadratic
# expressions these replaced took from minutes to hours on them.
LONG = 400_000


@pytest.mark.parametrize(
    "line",
    [
        " " * LONG + "x",  # `(^|\s+)#` tried every start inside a run of blanks
        "six==1.16.0 " + "\t" * LONG + "# c",
        "a" * LONG + "@",  # the URL scheme was unbounded
        "a." * (LONG // 2) + "://x@",
        "a @ " + "x" * LONG,
        "a[" + "x[" * (LONG // 2),  # `^(.+)(\[[^\]]+\])$`
        "a" + "[x" * (LONG // 2) + "[]",
        "six==1.16.0 " + "\\\n" * 20_000,  # a continuation chain: `+=` and a scan per piece
        "six==1.16.0\\\n" * 20_000,  # glued tokens: a split of the whole line per piece
    ],
    ids=["blanks", "tabs", "word-at", "dotted-at", "at-url", "brackets", "brackets-closed", "chain", "glued-chain"],
)
def test_long_lines_cost_linear_time(lint_repo: Callable[..., Run], repo: Path, line: str) -> None:
    (repo / "requirements.txt").write_text(line + "\n")
    start = time.monotonic()
    r = lint_repo("requirements.txt")
    assert r.code == 1
    assert time.monotonic() - start < 60  # a generous ceiling; the old code took far longer


def test_a_marker_nested_thousands_deep_is_rh901_not_an_exit_2(lint_repo: Callable[..., Run], repo: Path) -> None:
    """Regression: packaging's recursive parser raised RecursionError, and the run exited 2."""
    (repo / "requirements.txt").write_text("six==1.16.0 ; " + "(" * 5000 + 'os_name == "nt"' + ")" * 5000 + "\n")
    (repo / "requirements-b.txt").write_text("-r requirements.txt\n" + CLEAN)
    r = lint_repo("requirements.txt", "requirements-b.txt")
    assert r.code == 1
    assert "requirements.txt:1:1: RH901 cannot read this file: it is nested too deeply to parse" in r.out
    assert "requirements-b.txt:1:1: RH010 `-r requirements.txt` cannot be read (it is nested too deeply" in r.out


def test_a_marker_nested_thousands_deep_at_the_base_is_a_note(run_cli: RunCli, repo: Path, tmp_path: Path) -> None:
    """Regression: the base version went through the same parser, and every later run exited 2."""
    (repo / "requirements.txt").write_text("six==1.16.0 ; " + "(" * 5000 + 'os_name == "nt"' + ")" * 5000 + "\n")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "deep")
    (repo / "requirements.txt").write_text(CLEAN)
    r = sane(run_cli(cwd=repo), tmp_path)
    assert r.code == 0
    assert r.lines == [
        "requirements.txt:1:1: RH902 the stale-hash checks (RH101-RH104) did not run for this file: at the base "
        "it cannot be read: it is nested too deeply to parse (pip's parser fails on it too); they compare it "
        "with its version at a git base (--base, default HEAD)"
    ]
    with pytest.raises(ReadError, match="nested too deeply"):
        lex("a ; " + "(" * 5000 + "os_name == 'nt'" + ")" * 5000, "requirements.txt")


# -- the include graph -----------------------------------------------------------------------


def chain(top: Path, n: int, name: Callable[[int], str]) -> None:
    for i in range(n):
        include = f"-r {name(i + 1)}\n" if i < n - 1 else ""
        digest = hashlib.sha256(str(i).encode()).hexdigest()
        (top / name(i)).write_text(f"{include}pkg{i}==1.0 --hash=sha256:{digest}\n")


def test_a_5000_deep_include_chain(repo: Path) -> None:
    chain(repo, 5000, lambda i: f"r{i}.txt")
    (repo / "requirements.txt").write_text("-r r0.txt\n")
    r, seconds, rss = measure(["--no-base", "requirements.txt"], repo)
    assert (r.code, r.out) == (0, ""), r.out
    assert "No problems found in 5001 files." in r.err
    assert rss < 500 and seconds < 120, (rss, seconds)


def test_a_chain_whose_every_file_is_a_root_stops_at_the_visit_budget(
    lint_repo: Callable[..., Run], repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each root's graph is walked on its own: n roots of one chain are n*(n+1)/2 visits.

    The budget keeps that bounded (the real one, 200,000, is hit by a 630-file chain).
    """
    monkeypatch.setattr(_graph, "MAX_VISITS", 500)
    chain(repo, 50, lambda i: f"requirements-{i}.txt")  # 1,275 visits
    r = lint_repo()
    assert r.code == 1
    capped = [ln for ln in r.lines if "this run's include graphs already reach 500 files" in ln]
    assert capped and all(": RH010 `-r requirements-" in ln for ln in capped)
    assert len(r.lines) == len(capped)  # nothing else: every file was read and found clean


@pytest.mark.slow
def test_a_5000_file_chain_of_roots_is_bounded(repo: Path) -> None:
    chain(repo, 5000, lambda i: f"requirements-{i}.txt")
    r, seconds, rss = measure(["--no-base"], repo)
    assert r.code == 1 and "include graphs already reach 200,000 files" in r.out
    assert rss < 500 and seconds < 300, (rss, seconds)


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"requirements.txt": "-r requirements.txt\n"}, "requirements.txt -> requirements.txt"),
        (
            {"requirements.txt": "-r a.txt\n", "a.txt": "-c requirements.txt\n"},
            "requirements.txt -> a.txt -> requirements.txt",
        ),
        (
            {"requirements.txt": "-r a.txt\n", "a.txt": "-r sub/b.txt\n", "sub/b.txt": "-r ../a.txt\n"},
            "a.txt -> b.txt -> a.txt",
        ),
    ],
)
def test_include_cycles(lint_repo: Callable[..., Run], repo: Path, files: dict[str, str], expected: str) -> None:
    for rel, text in files.items():
        (repo / rel).parent.mkdir(exist_ok=True)
        (repo / rel).write_text(text)
    r = lint_repo("requirements.txt")
    assert r.code == 1
    assert [
        ln for ln in r.lines if "RH010" in ln and f"makes an include cycle ({expected}); pip refuses the file" in ln
    ]
    assert codes(r) == ["RH010"]


def test_includes_through_symlinks_inside_the_repository_are_followed(
    lint_repo: Callable[..., Run], repo: Path
) -> None:
    (repo / "real").mkdir()
    (repo / "real" / "base.txt").write_text("six==1.16.0\n")
    (repo / "linkdir").symlink_to("real")
    (repo / "link.txt").symlink_to("real/base.txt")
    (repo / "requirements.txt").write_text("-r link.txt\n-c linkdir/base.txt\n")
    r = lint_repo("requirements.txt")
    assert r.code == 1
    assert "link.txt:1:1: RH002 six==1.16.0 has no --hash" in r.out  # read, at the path as included
    assert "RH010" not in r.out


def test_symlink_loops(lint_repo: Callable[..., Run], repo: Path) -> None:
    (repo / "self.txt").symlink_to("self.txt")
    (repo / "ping.txt").symlink_to("pong.txt")
    (repo / "pong.txt").symlink_to("ping.txt")
    (repo / "requirements.txt").write_text("-r self.txt\n-r ping.txt\n")
    r = lint_repo("requirements.txt", "self.txt")
    assert r.code == 1
    assert "requirements.txt:1:1: RH010 `-r self.txt` cannot be read" in r.out
    assert "requirements.txt:2:1: RH010 `-r ping.txt` cannot be read" in r.out
    assert "self.txt:1:1: RH901 cannot read this file: too many levels of symbolic links" in r.out


# -- what is not a regular file ----------------------------------------------------------------


def test_a_directory_given_as_a_file(lint_repo: Callable[..., Run], repo: Path) -> None:
    (repo / "requirements").mkdir()
    (repo / "requirements.txt").write_text("-r requirements\n-c requirements/\n")
    r = lint_repo("requirements.txt")
    assert r.code == 1
    assert r.lines == [
        "requirements.txt:1:1: RH010 `-r requirements` cannot be read (is a directory); pip fails to open it",
        "requirements.txt:2:1: RH010 `-c requirements/` cannot be read (is a directory); pip fails to open it",
    ]


def test_a_directory_named_like_a_requirements_file_is_not_discovered(
    lint_repo: Callable[..., Run], repo: Path
) -> None:
    (repo / "requirements.txt").mkdir()
    (repo / "requirements.txt" / "constraints.txt").write_text(CLEAN)
    git(repo, "add", ".")
    r = lint_repo()
    assert (r.code, r.out) == (0, "")
    assert "No problems found in 1 file." in r.err


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a file whatever its mode")
def test_an_unreadable_file(lint_repo: Callable[..., Run], repo: Path) -> None:
    (repo / "requirements.txt").write_text("-r secret.txt\n")
    (repo / "secret.txt").write_text(CLEAN)
    (repo / "secret.txt").chmod(0)
    r = lint_repo("requirements.txt", "secret.txt")
    assert r.lines == [
        "requirements.txt:1:1: RH010 `-r secret.txt` cannot be read (permission denied); pip fails to open it",
        "secret.txt:1:1: RH901 cannot read this file: permission denied",
    ]


def test_an_unreadable_file_as_root_sees_it(
    lint_repo: Callable[..., Run], repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Root reads any file, so the kernel's refusal is stood in for: os.open fails for that path."""
    (repo / "requirements.txt").write_text("-r secret.txt\n")
    (repo / "secret.txt").write_text(CLEAN)
    real_open = os.open

    def refusing_open(path: str | os.PathLike[str], flags: int, *args: int, **kwargs: object) -> int:
        if os.path.basename(os.fspath(path)) == "secret.txt":
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_open(path, flags, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(_source.os, "open", refusing_open)
    r = lint_repo("requirements.txt", "secret.txt")
    assert r.lines == [
        "requirements.txt:1:1: RH010 `-r secret.txt` cannot be read (permission denied); pip fails to open it",
        "secret.txt:1:1: RH901 cannot read this file: permission denied",
    ]


def test_fifos_are_refused_without_hanging(repo: Path) -> None:
    """A FIFO given, included or found: opened without blocking, refused as no regular file."""
    os.mkfifo(repo / "requirements-fifo.txt")
    (repo / "requirements.txt").write_text("-r requirements-fifo.txt\n")
    r, _, _ = measure(["--no-base", "requirements-fifo.txt", "requirements.txt"], repo, timeout=60)
    assert r.lines == [
        "requirements-fifo.txt:1:1: RH901 cannot read this file: not a regular file (a device, FIFO or socket)",
        "requirements.txt:1:1: RH010 `-r requirements-fifo.txt` cannot be read "
        "(not a regular file (a device, FIFO or socket)); pip fails to open it",
    ]
    r, _, _ = measure(["--no-base"], repo, timeout=60)  # discovery (git does not list a FIFO)
    assert r.code == 1 and "RH010 `-r requirements-fifo.txt` cannot be read" in r.out


@pytest.mark.parametrize(
    ("target", "reason"),
    [
        ("/dev/zero", "points outside the repository; it is not followed, so nothing outside is read"),
        ("/proc/self/environ", "points outside the repository; it is not followed, so nothing outside is read"),
        ("zero-link", "is a symlink that leads outside the repository; it is not followed"),
        ("environ-link", "is a symlink that leads outside the repository; it is not followed"),
    ],
)
def test_devices_and_proc_files_are_never_read(
    lint_repo: Callable[..., Run], repo: Path, target: str, reason: str
) -> None:
    (repo / "zero-link").symlink_to("/dev/zero")
    (repo / "environ-link").symlink_to("/proc/self/environ")
    (repo / "requirements.txt").write_text(f"-r {target}\n")
    r = lint_repo("requirements.txt")
    assert r.lines == [f"requirements.txt:1:1: RH010 `-r {target}` {reason}"]


def test_a_device_given_on_the_command_line(lint_repo: Callable[..., Run]) -> None:
    r = lint_repo("/dev/zero")
    assert r.lines == ["/dev/zero:1:1: RH901 cannot read this file: not a regular file (a device, FIFO or socket)"]


# -- things changing under the run --------------------------------------------------------------


def test_a_file_deleted_between_discovery_and_reading(
    lint_repo: Callable[..., Run], repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (repo / "requirements.txt").write_text(CLEAN)
    (repo / "requirements-dev.txt").write_text(CLEAN)
    discover = _discover.discover

    def discover_then_delete(*args: object, **kwargs: object) -> list[str]:
        found = discover(*args, **kwargs)  # type: ignore[arg-type]
        (repo / "requirements-dev.txt").unlink()
        return found

    monkeypatch.setattr(_discover, "discover", discover_then_delete)
    r = lint_repo()
    assert r.code == 1
    assert r.lines == ["requirements-dev.txt:1:1: RH901 cannot read this file: no such file"]


def test_an_include_deleted_between_resolving_and_reading(repo: Path) -> None:
    (repo / "requirements.txt").write_text("-r base.txt\n")
    (repo / "base.txt").write_text(CLEAN)

    def reader(path: str) -> str:
        if path.endswith("base.txt"):
            os.unlink(path)
        return read_path(path)

    result = lint(
        [Target(str(repo / "requirements.txt"), "requirements.txt")],
        rules=enabled_rules([], [], diff=False),
        boundary=lambda _: str(repo),
        reader=reader,
    )
    assert [(f.code, f.message) for f in result.findings] == [
        ("RH010", "`-r base.txt` cannot be read (no such file); pip fails to open it")
    ]


def test_the_working_directory_deleted(run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Regression: os.getcwd() raised FileNotFoundError, an internal error."""
    gone = tmp_path / "gone"
    gone.mkdir()
    monkeypatch.chdir(gone)  # (and back at the end)
    gone.rmdir()
    r = sane(run_cli())
    assert r.code == 2
    assert r.err == "req-hashlint: error: cannot use the working directory: No such file or directory\n"


def test_read_path_reads_a_file_up_to_the_limit_and_refuses_one_past_it(tmp_path: Path) -> None:
    """The size decides before the content: a sparse file of exactly the limit is read (and is
    binary), one byte more is too large."""
    at, past = tmp_path / "at", tmp_path / "past"
    with open(at, "wb") as fh:
        fh.truncate(_source.MAX_FILE_BYTES)
    with open(past, "wb") as fh:
        fh.truncate(_source.MAX_FILE_BYTES + 1)
    with pytest.raises(ReadError, match="binary file"):
        read_path(str(at))
    with pytest.raises(ReadError, match="larger than 16 MiB"):
        read_path(str(past))


def test_read_path_refuses_what_is_not_a_regular_file(tmp_path: Path) -> None:
    """The reader below the engine: each refusal is a ReadError with a message for the user."""
    os.mkfifo(tmp_path / "fifo")
    sock = tmp_path / "sock"
    import socket

    with socket.socket(socket.AF_UNIX) as s:
        s.bind(str(sock))
        for path, message in (
            (tmp_path / "fifo", "not a regular file"),
            (sock, "no such device or address"),  # opening a socket: ENXIO
            (tmp_path, "is a directory"),
            (tmp_path / "missing", "no such file"),
            (Path("/dev/null"), "not a regular file"),
        ):
            with pytest.raises(ReadError, match=message):
                read_path(str(path))
    assert stat.S_ISSOCK(os.lstat(sock).st_mode)


def test_the_package_is_not_in_the_repository_under_test() -> None:
    """The audits here rely on the tool's own files living outside the temporary repositories."""
    assert (REPO / "req_hashlint" / "_cli.py").is_file()


@pytest.mark.parametrize("args", [["requirements.txt"], []], ids=["cat-file", "discovery"])
def test_a_fifo_inside_git_cannot_hang_the_run(
    repo: Path, run_cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    """git blocks forever opening a FIFO in .git; it is stopped, and the comparison it could not
    make is an error naming the timeout (exit 2), never a silent pass."""
    (repo / "requirements.txt").write_text("six==1.0\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "base")
    os.mkfifo(repo / ".git" / "objects" / "info" / "alternates")
    monkeypatch.setenv("REQ_HASHLINT_GIT_TIMEOUT", "1")
    started = time.monotonic()
    run = run_cli(*args, cwd=repo)
    assert time.monotonic() - started < 30
    assert run.code == 2, run.err
    assert run.out == ""
    assert "internal error" not in run.err and "Traceback" not in run.err
    assert "git did not answer within 1 s" in run.err and "compared with HEAD" in run.err
    assert len(run.err.splitlines()) == 1
