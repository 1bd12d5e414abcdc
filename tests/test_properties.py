"""Property-based: whatever the text or bytes, the tool never raises, every finding points
inside its file, no URL secret comes out, and the same input gives the same bytes out.

Three levels, each below the last one's safety net: the lexer, the engine (``lint``, with
includes read from disk), and the whole command in-process (``main``, every format).

The example budget is fixed and the examples are derandomized (or seeded), so every run
tries the same cases: a quick share of them in every run, the whole budget in the ``slow``
runs, cut into seeded parts that xdist spreads over its workers (about a minute of CPU in
all). ``REQ_HASHLINT_HYPOTHESIS=explore`` runs twenty times as many, at random, for a local
hunt.
"""

from __future__ import annotations

import codecs
import contextlib
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from req_hashlint import _source
from req_hashlint._cli import main
from req_hashlint._engine import Target, enabled_rules, lint
from req_hashlint._lex import lex
from req_hashlint._model import Finding, ReqFile, Span
from req_hashlint.reporters import REPORTERS

from .conftest import H1, H2, inside
from .test_lexer import line_lengths

_COMMON = {
    "deadline": None,
    "database": None,  # nothing written into the tree
    "print_blob": True,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
}
settings.register_profile("req-hashlint-ci", derandomize=True, **_COMMON)  # type: ignore[arg-type]
settings.register_profile("req-hashlint-explore", derandomize=False, **_COMMON)  # type: ignore[arg-type]
EXPLORE = os.environ.get("REQ_HASHLINT_HYPOTHESIS") == "explore"
PROFILE = settings.get_profile("req-hashlint-explore" if EXPLORE else "req-hashlint-ci")


class Part(NamedTuple):
    """One run of a property: how many examples, and its seed (None: derandomized)."""

    examples: int
    seed: int | None

    def run(self, test: Callable[..., None], *args: object) -> None:
        test = settings(PROFILE, max_examples=self.examples * (20 if EXPLORE else 1))(test)
        if self.seed is not None and not EXPLORE:
            test = seed(self.seed)(test)
        test(*args)


def parts(examples: int, *, quick: int, shards: int) -> list[Any]:
    """``quick`` examples in every run; ``examples`` in all in the slow runs, in seeded shards."""
    slow = [
        pytest.param(Part(examples // shards, k), id=f"part{k}of{shards}", marks=pytest.mark.slow)
        for k in range(1, shards + 1)
    ]
    return [pytest.param(Part(quick, None), id="quick"), *slow]


# -- what files are made of ----------------------------------------------------------------

SECRET = "hunter2-zq9"  # only ever written as a URL's password or token
TOKEN = "ghp_" + "Zq9x" * 9
FILES = ("requirements.txt", "a.txt", "sub/c.txt")

_WORDS = [
    # requirements
    "six", "Django", "zope.interface", "a_b-c", "pkg[extra,other]", "x", "-", "_",
    "==", "===", ">=", "~=", "!=", "<", "=", "1.0", "1.16.0", "2!1.0rc1.post2.dev3+local.1", "1.*", "v1",
    '; python_version < "3.12"', ";sys_platform=='win32'", "; (os_name == 'nt' or (python_version>'3'))",
    "; extra == 'x'", "; bad marker", ";", "@", " @ ",
    "https://files.example/pkg-1.0-py3-none-any.whl", "git+https://g.example/r.git#egg=r", "file:///tmp/x",
    "./local/dir", "dist/pkg-1.0.tar.gz", f"https://files.example/x.zip#sha256={H1}", "C:\\dist\\p-1.0.whl",
    f"https://u:{SECRET}@files.example/s-1.0.tar.gz", f"https://{TOKEN}@github.com/o/r/",
    f"git+https://deploy:{SECRET}{'x' * 70}@g.example/r.git#egg=long",
    f"https://files.example/e.zip#egg=https://t:{SECRET}@h", f"https://user:{SECRET}@x@h/p.zip",
    # options
    "-r", "-c", "-e", "--requirement", "--constraint", "-i", "--index-url", "--extra-index-url", "-f",
    "--find-links", "--trusted-host", "--pre", "--no-binary", ":all:", "--only-binary", "--prefer-binary",
    "--require-hashes", "--no-index", "--use-feature", "--config-settings", "--install-option",
    "--global-option", "--", "--h", "--ind", "-Z", "--hash", "--hash=", f"--hash=sha256:{H1}",
    f"--hash=sha256:{H2.upper()}", "--hash=sha256:abc", "--hash=SHA256:00", "--hash=md5:00", "--hash=sha256",
    "--hash=${DIGEST}", f"--index-url=https://d:{SECRET}@pypi.example/simple", "http://mirror.example/simple",
    # include targets
    "a.txt", "sub/c.txt", "requirements.txt", "missing.txt", "../x.txt", "/etc/passwd", "/dev/zero",
    "sub/../a.txt", "https://x.example/r.txt", f"https://u:{SECRET}@x.example/r.txt", "${VAR}.txt", "sub",
    # glue
    " ", "  ", "\t", " \\", "\\", "\\\n", " \\\n", "\n", "\r\n", "\r", "\x0c", "\x0b", "\x85", "\u2028",
    "#", " #", " # comment", " # req-hashlint: ignore", " # req-hashlint: ignore[RH002,missing-hash]",
    "'", '"', "[", "]", ",", "${X}", "\x1b[31m", "\u202e", "é", "\ufeff", "\x00",
]  # fmt: skip

words = st.sampled_from(_WORDS)
lines = st.lists(st.one_of(words, words, words, st.text(max_size=6)), max_size=10).map("".join)
grammar_text = st.lists(lines, max_size=12).map("\n".join)
any_text = st.one_of(grammar_text, grammar_text, st.text(max_size=300))


@st.composite
def encoded(draw: st.DrawFn) -> bytes:
    """A file's bytes: text in an encoding pip reads, or arbitrary bytes."""
    text = draw(any_text)
    how = draw(st.sampled_from(["utf-8", "utf-8-bom", "utf-16", "utf-16-be-bom", "latin-1", "coding", "binary"]))
    if how == "binary":
        return draw(st.binary(max_size=300))
    if how == "coding":
        codec = draw(st.sampled_from(["utf-7", "zlib", "rot13", "undefined", "idna", "cp1252", "nope", "utf-16"]))
        return f"# -*- coding: {codec} -*-\n".encode() + text.encode("utf-8", "surrogatepass")
    if how == "utf-8-bom":
        return codecs.BOM_UTF8 + text.encode("utf-8", "surrogatepass")
    if how == "utf-16-be-bom":
        return codecs.BOM_UTF16_BE + text.encode("utf-16-be", "surrogatepass")
    if how == "latin-1":
        return b"# coding: latin-1\n" + text.encode("latin-1", "replace")
    return text.encode(how, "surrogatepass")


# -- where a position may point ------------------------------------------------------------


def check_span(span: Span, lengths: list[int], what: object) -> None:
    n = len(lengths)
    assert 1 <= span.line <= max(n, 1), (span, n, what)
    assert 1 <= span.column <= (lengths[span.line - 1] if n else 0) + 1, (span, lengths, what)
    assert span.line <= span.end_line <= max(n, 1), (span, n, what)
    assert span.end_line > span.line or span.end_column >= span.column, (span, what)


def spans_of(file: ReqFile) -> Iterator[tuple[Span, object]]:
    for e in file.entries:
        yield e.span, e
        if e.error_span is not None:
            yield e.error_span, e
        for h in e.hashes:
            yield h.span, h
        for o in e.options:
            yield o.span, o
    for o in file.options:
        yield o.span, o
    for i in file.includes:
        yield i.span, i
    for issue in file.issues:
        yield issue.span, issue


def no_secret(findings: list[Finding]) -> None:
    for f in findings:
        for text in (f.message, f.project, f.version, f.path, f.rel_path):
            assert SECRET not in (text or "") and TOKEN[:12] not in (text or ""), f


# -- the lexer -------------------------------------------------------------------------------


@pytest.mark.parametrize("part", parts(4000, quick=200, shards=2))
def test_the_lexer_never_raises_and_every_position_is_in_the_file(part: Part) -> None:
    part.run(given(any_text)(lexer_property))


def lexer_property(text: str) -> None:
    file = lex(text, "requirements.txt")
    lengths = line_lengths(text)
    for span, what in spans_of(file):
        check_span(span, lengths, what)
    for ln in file.suppressions:
        assert 1 <= ln <= len(lengths)


# -- the engine, with includes on disk -----------------------------------------------------


@pytest.fixture(scope="module")
def workdir() -> Iterator[Path]:
    top = Path(tempfile.mkdtemp(prefix="rh-prop-"))
    try:
        yield top
    finally:
        shutil.rmtree(top, ignore_errors=True)


def write_files(top: Path, texts: list[str]) -> dict[str, str]:
    (top / "sub").mkdir(exist_ok=True)
    files = dict(zip(FILES, texts, strict=True))
    for rel, text in files.items():
        (top / rel).write_text(text, encoding="utf-8", errors="surrogatepass")
    return files


@pytest.mark.parametrize("part", parts(2000, quick=100, shards=2))
def test_lint_never_raises_positions_are_in_their_file_and_no_secret_shows(workdir: Path, part: Part) -> None:
    files = st.lists(any_text, min_size=3, max_size=3)
    part.run(given(texts=files, require_hashes=st.sampled_from(["always", "when-any"]))(lint_property), workdir)


def lint_property(workdir: Path, texts: list[str], require_hashes: str) -> None:
    files = write_files(workdir, texts)
    rules = enabled_rules([], [], diff=False)

    def run() -> list[Finding]:
        targets = [
            Target(str(workdir / "requirements.txt"), "requirements.txt"),
            Target(str(workdir / "a.txt"), "a.txt"),
        ]
        return lint(targets, rules=rules, boundary=lambda _: str(workdir), require_hashes=require_hashes).findings

    findings = run()
    assert findings == sorted(findings, key=Finding.sort_key)
    for f in findings:
        assert f.path in files, f
        text = files[f.path]
        if f.code == "RH901":
            assert f.span == Span(1, 1, 1, 1)
            continue
        try:
            _source.decode(text.encode("utf-8", "surrogatepass"))
        except _source.ReadError:  # pragma: no cover - such a file is RH901 above
            raise
        check_span(f.span, line_lengths(text), f)
    no_secret(findings)
    assert run() == findings


# -- the whole command ---------------------------------------------------------------------


def run_main(args: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(args)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("part", parts(2000, quick=50, shards=4))
def test_the_command_never_fails_and_says_the_same_each_time(workdir: Path, part: Part) -> None:
    part.run(given(data=encoded())(command_property), workdir)


def command_property(workdir: Path, data: bytes) -> None:
    (workdir / "requirements.txt").write_bytes(data)
    with inside(workdir):
        outputs = {}
        for fmt in sorted(REPORTERS):
            first = run_main(["--format", fmt, "requirements.txt"])
            code, out, err = first
            assert code in (0, 1), err
            assert "internal error" not in err and "Traceback" not in err and "Traceback" not in out, err
            assert SECRET not in out + err and str(workdir) not in out + err
            assert run_main(["--format", fmt, "requirements.txt"]) == first  # deterministic
            outputs[fmt] = out
    doc = json.loads(outputs["json"])
    try:
        lengths = line_lengths(_source.decode(data))
    except _source.ReadError:
        assert [(f["code"], f["line"], f["column"]) for f in doc["findings"]] == [("RH901", 1, 1)]
        return
    for f in doc["findings"]:
        if f["path"] == "requirements.txt" and f["code"] not in ("RH901", "RH902"):
            span = Span(f["line"], f["column"], f["end_line"], f["end_column"])
            check_span(span, lengths, f)
    assert len(outputs["text"].splitlines()) == sum(not f["suppressed"] for f in doc["findings"])


def test_the_output_does_not_depend_on_the_hash_seed(tmp_path: Path) -> None:
    """Sets and dicts must not order the output: two interpreters with other hash seeds agree."""
    (tmp_path / "requirements.txt").write_text(
        f"six==1.16.0 --hash=sha256:{H1} --hash=sha256:{H1}\nSix==1.16.0 --hash=sha256:{H2}\n"
        f"idna==3.7 --hash=sha256:{H1}\n-r a.txt\n-r missing.txt\nx\x0cy\x0cz\n"
        "--index-url https://u:p@h/\n-e .\nsix==1.16.0 --hash=sha256:abc --hash=SHA256:00\n"
    )
    (tmp_path / "a.txt").write_text(f"idna==3.6 --hash=sha256:{H1}\n-c requirements.txt\n")
    for fmt in sorted(REPORTERS):
        outs = {
            subprocess.run(
                [sys.executable, "-m", "req_hashlint", "--format", fmt, "requirements.txt", "a.txt"],
                cwd=tmp_path,
                env={**os.environ, "PYTHONHASHSEED": seed},
                capture_output=True,
                check=False,
            ).stdout
            for seed in ("0", "1", "12345")
        }
        assert len(outs) == 1 and next(iter(outs)), fmt
