"""Every fast path gives exactly what the slow path gives (issue 7).

The fast paths: the lexer's reading of plain entries (``_lex._lex_fast``) and its reuse of
unchanged entries when a file's base version is lexed after it; ``name==version`` and
markers without packaging (``_reqparse``); version comparison without packaging; the rules'
one-match check of clean hashes; the command line without argparse; and the dataclass
stand-in (``_dataclass``). Each is compared with the slow path (the reference code, or
packaging, argparse and dataclasses themselves) on the real-world corpus, the fidelity
scenarios, the benchmark's generated files, hypothesis-generated input, and tricky cases.
"""

from __future__ import annotations

import copy
import dataclasses
import importlib.util
import itertools
import pickle
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from packaging.markers import InvalidMarker, Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name, canonicalize_version
from packaging.version import InvalidVersion, Version

from req_hashlint import _cli, _dataclass, _diff, _lex, _reqparse, _source
from req_hashlint._engine import Target, enabled_rules, lint
from req_hashlint._model import ReqFile, Span
from req_hashlint._source import ReadError, read_path
from req_hashlint.rules import hashes

from .conftest import CORPUS, H1, H2, H3, REPO

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@contextmanager
def slow_paths() -> Iterator[None]:
    """Every fast path off: the reference code alone."""
    flags = (_lex, _reqparse, hashes)
    saved = [m.FAST for m in flags]
    for m in flags:
        m.FAST = False
    try:
        yield
    finally:
        for m, v in zip(flags, saved, strict=True):
            m.FAST = v


def slow_lex(text: str, path: str = "requirements.txt") -> ReqFile:
    with slow_paths():
        return _lex.lex(text, path)


def fast_lex(text: str, path: str = "requirements.txt") -> ReqFile:
    _lex._MEMO.pop(path, None)
    return _lex.lex(text, path)


def assert_same(text: str, path: str = "requirements.txt") -> None:
    fast, slow = fast_lex(text, path), slow_lex(text, path)
    assert fast.entries == slow.entries
    assert fast.issues == slow.issues
    assert fast == slow


# -- the lexer ------------------------------------------------------------------------------


def corpus_texts() -> list[tuple[str, str]]:
    out = []
    for p in sorted(CORPUS.rglob("*")):
        if p.is_file():
            try:
                out.append((p.name, read_path(str(p))))
            except ReadError:
                continue
    return out


@pytest.mark.parametrize(("name", "text"), corpus_texts(), ids=lambda v: v if len(v) < 80 else "")
def test_lexer_on_the_corpus(name: str, text: str) -> None:
    assert_same(text, name)
    assert_same(text.replace("\n", "\r\n"), name)


def _bench() -> object:
    spec = importlib.util.spec_from_file_location("bench", REPO / "benchmarks" / "bench.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("bench", module)
    spec.loader.exec_module(module)
    return module


def test_lexer_on_the_benchmark_inputs() -> None:
    bench = _bench()
    for text in (bench.pip_compile(40, seed=1), bench.uv_export(40, seed=3)):
        assert_same(text)
        assert_same(bench.bump(text, 7))


class _FakeArtifact:
    def __init__(self, project: str, version: str) -> None:
        self.path = Path("/fixtures/dists") / f"{project}-{version}-py3-none-any.whl"
        self.url = self.path.as_uri()
        self.digests = {
            algo: (f"{project}{version}{algo}".encode().hex() * 20)[:n]
            for algo, n in (("sha256", 64), ("sha384", 96), ("sha512", 128))
        }


class _FakeFixtures:
    """What the fidelity scenarios need to render: fixed digests and URLs, no files."""

    root = Path("/fixtures")

    def artifact(self, project: str, version: str) -> _FakeArtifact:
        return _FakeArtifact(project, version)

    def digest(self, project: str, version: str, algo: str = "sha256") -> str:
        return _FakeArtifact(project, version).digests[algo]

    @property
    def find_links(self) -> Path:
        return self.root / "dists"

    @property
    def local_dir(self) -> Path:
        return self.root / "localproj"

    @property
    def vcs_url(self) -> str:
        return "git+file:///fixtures/vcs/vcsproj#egg=vcsproj"


def test_lexer_on_the_fidelity_scenarios() -> None:
    from .fidelity import scenarios

    fx = _FakeFixtures()
    count = 0
    for s in scenarios.generate():
        rendered = scenarios.render(s, fx)
        for name, text in [*rendered.texts.items(), *(rendered.base or {}).items()]:
            assert_same(text, name)
            count += 1
    assert count > 300


# Pieces of requirements files, chosen to sit on every edge of the fast path: its plain
# shape, and each way out of it (tabs, quotes, `#` and `\` in odd places, other options,
# non-ASCII and invisible characters, comment lines inside a continuation, ...).
HEADS = [
    "six==1.16.0",
    "Six_Pkg.x==1.0.post1",
    "zope.interface==6.0rc1",
    "a==1.0 ; python_version < '3.8'",
    'b==2 ;python_version<"3" and os_name == "nt"',
    "c>=1.0",
    "d",
    "e[x]==1.0",
    "f @ https://example.com/f-1.0-py3-none-any.whl",
    "./local",
    "-e .",
    "git+https://example.com/y#egg=y",
    "g==1.0;sys_platform=='win32'",
    "h==v1.0",
    "i===1.0",
    "j==1.*",
    "k == 1.0",
    "foo-==1.0",
    "x==1.0 --index-url http://example.com",
    "y==1.0 -r other.txt",
    "z==1.0\t--hash=sha256:ab",
    "é==1.0",
    "n==1.0 ; extra == 'x'",
    "m==1.0 ; platform_version == 'a -b'",
    "p==1.0 # trailing",
    "q==1.0#glued",
    "r=1.0",
    "s==1.0 ; (os_name == 'a' or os_name == 'b') and python_version >= '3'",
]
HASHES = [
    f"--hash=sha256:{H1}",
    f"--hash=sha256:{H2.upper()}",
    "--hash=sha256:",
    "--hash=md5:ab",
    "--hash=sha256",
    f"--hash sha256:{H3}",
    "--hash='sha256:ab'",
    "--hash=sha256:a#b",
    "--has=sha256:ab",
    "--hash=${HASH}",
    "--hash=sha256:\u00e9",
]
ENDINGS = ["", " \\", "\\", " \\\\", " \\ ", "  # c", " # c \\", "#c", " \\\t", "   ", "\t"]
INDENTS = ["", "    ", "\t", "\u00a0", "  "]
STANDALONE = [
    "",
    "   ",
    "# comment",
    "    # via six",
    "# req-hashlint: ignore",
    "six==1.16.0  # req-hashlint: ignore[RH002]",
    "--index-url https://example.com/simple",
    "-r base.txt",
    f"    --hash=sha256:{H1}",
    "\t",
    "a\x0cb",
    "c\rd",
    "\u2028",
    "--trusted-host example.com",
    "-e git+https://example.com/z#egg=z",
]

piece = st.builds(
    lambda indent, body, end: indent + body + end,
    st.sampled_from(INDENTS),
    st.one_of(
        st.sampled_from(HEADS),
        st.sampled_from(HASHES),
        st.lists(st.sampled_from(HASHES), min_size=2, max_size=3).map(" ".join),
        st.tuples(st.sampled_from(HEADS), st.sampled_from(HASHES)).map(" ".join),
    ),
    st.sampled_from(ENDINGS),
)
line = st.one_of(piece, st.sampled_from(STANDALONE))
file_text = st.builds(
    lambda lines, eol, final: eol.join(lines) + (eol if final else ""),
    st.lists(line, max_size=14),
    st.sampled_from(["\n", "\n", "\r\n"]),
    st.booleans(),
)


@SETTINGS
@given(file_text)
@example(f"six==1.16.0 \\\n    --hash=sha256:{H1} # wheel \\\n    --hash=sha256:{H2}\n")
@example(f"six==1.16.0 \\\n    --hash=sha256:{H1} \\\nidna==3.7 \\\n    --hash=sha256:{H2}\n")
@example(f"six==1.16.0 \\\n    # via x\n    --hash=sha256:{H1}\n")
@example("six==1.16.0 \\")
@example(f"six==1.16.0 \\\n\n    --hash=sha256:{H1}\n")
@example(f"six==1.16.0 \\\n    --hash=sha256:{H1} --hash=sha256:{H2} \\\n    --hash=sha256:{H3}  # c\n")
def test_lexer_on_generated_files(text: str) -> None:
    assert_same(text)


@SETTINGS
@given(file_text, st.lists(st.tuples(st.integers(0, 20), line), max_size=4))
def test_lexer_reuses_only_what_did_not_change(text: str, edits: list[tuple[int, str]]) -> None:
    """A file lexed after another version of itself (the diff's base) is still read in full."""
    lines = text.split("\n")
    for at, new in edits:
        lines[at % len(lines)] = new
    changed = "\n".join(lines)
    _lex._MEMO.pop("requirements.txt", None)
    _lex.lex(text, "requirements.txt")
    again = _lex.lex(changed, "requirements.txt")
    assert again == slow_lex(changed)


def test_an_unchanged_file_is_the_same_object() -> None:
    text = f"six==1.16.0 \\\n    --hash=sha256:{H1}\n"
    first = fast_lex(text)
    assert _lex.lex(text, "requirements.txt") is first
    assert _lex.lex(text, "other.txt") == slow_lex(text, "other.txt")


# -- requirements and markers -----------------------------------------------------------

NAME = st.from_regex(r"[A-Za-z0-9]([A-Za-z0-9._-]{0,8}[A-Za-z0-9])?", fullmatch=True)
VERSION = st.one_of(
    st.from_regex(
        r"[0-9]{1,3}(\.[0-9]{1,3}){0,3}((a|b|rc)[0-9]{1,2})?(\.post[0-9])?(\.dev[0-9])?(\+[a-z0-9]{1,3})?",
        fullmatch=True,
    ),
    st.from_regex(
        r"v?[0-9]{1,2}(\.[0-9]{1,2}){0,2}([-_.]?(alpha|a|b|c|pre|preview|rc|RC)[-_.]?[0-9]?)?(-[0-9]|[-_.]?(post|rev|r)[0-9]?)?(\.\*)?",
        fullmatch=True,
    ),
    st.text(alphabet="0123456789.+-_abcrv*!", max_size=8),
)
VARIABLES = [
    "python_version",
    "python_full_version",
    "os_name",
    "sys_platform",
    "platform_release",
    "platform_system",
    "platform_version",
    "platform_machine",
    "platform_python_implementation",
    "implementation_name",
    "implementation_version",
    "extra",
    "extras",
    "os.name",
    "platform.machine",
    "python_implementation",
    "dependency_groups",
    "Python_Version",
    "python_versionx",
    "foo",
]
OPS = ["<", "<=", "==", "!=", ">=", ">", "~=", "===", "in", "not in", "not  in", "=", "<>", "notin"]
WS = st.sampled_from(["", " ", "  ", "\t"])
VALUE = st.builds(
    lambda q, s: f"{q}{s}{q}",
    st.sampled_from(["'", '"']),
    st.text(alphabet="3.8 win32 x86_64-LinuxPyPy\"'\\é()", max_size=8),
)
ATOM = st.builds(
    lambda a, w1, op, w2, b: f"{a}{w1}{op}{w2}{b}",
    st.one_of(st.sampled_from(VARIABLES), VALUE),
    WS,
    st.sampled_from(OPS),
    WS,
    st.one_of(VALUE, st.sampled_from(VARIABLES)),
)
MARKER = st.recursive(
    ATOM,
    lambda inner: st.one_of(
        st.builds(
            lambda a, w1, op, w2, b: f"{a}{w1}{op}{w2}{b}",
            inner,
            WS,
            st.sampled_from(["and", "or", "AND", "andor"]),
            WS,
            inner,
        ),
        st.builds(lambda w1, m, w2: f"({w1}{m}{w2})", WS, inner, WS),
    ),
    max_leaves=5,
)
CORPUS_MARKERS = [
    'python_version >= "3.10" and python_version < "4.0"',
    "python_version >= '2.7' and python_version not in '3.0, 3.1, 3.2, 3.3, 3.4'",
    "python_full_version < '3.11' and sys_platform != 'emscripten' and sys_platform != 'win32'",
    "(platform_machine == 'aarch64' and sys_platform == 'linux') or sys_platform == 'darwin'",
    "implementation_name == 'pypy'",
    "python_version ~= '3.7'",
    "platform_python_implementation != 'PyPy'",
    "os_name=='nt' or ((python_version<'3' and os_name=='nt'))",
    "((python_version<'3'))",
    "python_version<'3'and(os_name=='a')",
    "'3' < python_version",
]


def packaging_marker(text: str) -> str | None:
    try:
        return str(Marker(text))
    except InvalidMarker:
        return None


@pytest.mark.filterwarnings("ignore::DeprecationWarning", "ignore::SyntaxWarning")  # packaging's literal_eval
@SETTINGS
@given(st.one_of(MARKER, st.sampled_from(CORPUS_MARKERS), st.text(max_size=20)))
def test_markers_without_packaging(text: str) -> None:
    fast = _reqparse.fast_marker(text)
    if fast is not None:
        assert fast == packaging_marker(text)


def test_markers_of_the_corpus_take_the_fast_path() -> None:
    for text in CORPUS_MARKERS[:7]:  # the real-world ones
        assert _reqparse.fast_marker(text) == packaging_marker(text)
    # packaging releases print `((a and b))` inside a group differently: left to packaging
    assert _reqparse.fast_marker("os_name=='nt' or ((python_version<'3' and os_name=='nt'))") is None


@SETTINGS
@given(NAME, WS, VERSION, WS)
def test_name_equals_version_without_packaging(name: str, w1: str, version: str, w2: str) -> None:
    text = f"{name}{w1}=={w2}{version}"
    m = _reqparse._FAST_RE.fullmatch(text)
    if m is None:
        return
    req = Requirement(text)
    assert (m.group(1), f"=={m.group(2)}") == (req.name, str(req.specifier))
    (spec,) = req.specifier
    assert spec.version == m.group(2)


REQUIREMENT = st.one_of(
    st.builds(
        lambda n, v, w, m: f"{n}=={v}{w};{w}{m}", NAME, VERSION, WS, st.one_of(MARKER, st.sampled_from(CORPUS_MARKERS))
    ),
    st.builds(lambda n, w, v: f"{n}{w}=={w}{v}", NAME, WS, VERSION),
    st.sampled_from([h for h in HEADS if not h.startswith("-")]),
)


def parse(text: str) -> object:
    span = Span(1, 1, 1, len(text) + 1)
    return _reqparse.parse_entry(text, editable=False, span=span, first_line=1, last_line=1, hashes=(), options=())


@pytest.mark.filterwarnings("ignore::DeprecationWarning", "ignore::SyntaxWarning")  # packaging's literal_eval
@SETTINGS
@given(REQUIREMENT)
def test_requirements_without_packaging(text: str) -> None:
    fast = parse(text)
    with slow_paths():
        assert fast == parse(text)


@SETTINGS
@given(NAME)
def test_name_normalization(name: str) -> None:
    assert _reqparse.normalize_name(name) == canonicalize_name(name)


@SETTINGS
@given(VERSION, VERSION)
@example("1.16", "1.16.0")
@example("2.0", "10.0")
def test_versions_compared_without_packaging(a: str, b: str) -> None:
    order = _reqparse.compare_versions(a, b)
    if order is None:
        return
    va, vb = Version(a), Version(b)
    assert order == (va > vb) - (va < vb)
    assert _reqparse.same_version(a, b) == (canonicalize_version(a) == canonicalize_version(b))
    assert _diff.direction(a, b) == ("bumped" if vb > va else "downgraded")


def test_same_version_falls_back_to_packaging() -> None:
    assert _reqparse.same_version("1.0rc1", "1.0.0rc1")
    assert not _reqparse.same_version("1.0", "1.0.post1")
    with pytest.raises(InvalidVersion):
        Version("not a version")
    assert _diff.direction("1.0", "not a version") == "changed"


# -- whole runs: findings with the fast paths on and off ---------------------------------


def lint_both(tmp_path: Path, text: str, base: str | None = None) -> None:
    path = tmp_path / "requirements.txt"
    path.write_text(text, encoding="utf-8", newline="")
    rules = enabled_rules([], [])

    def run() -> list[object]:
        _lex._MEMO.clear()
        base_files = {str(path): _lex.lex(base, "requirements.txt")} if base is not None else None
        result = lint(
            [Target(str(path), "requirements.txt")], rules=rules, boundary=lambda _: str(tmp_path), base=base_files
        )
        return result.findings

    fast = run()
    with slow_paths():
        slow = run()
    assert fast == slow


@pytest.mark.parametrize(("name", "text"), corpus_texts()[:40], ids=lambda v: v if len(v) < 80 else "")
def test_findings_on_the_corpus(tmp_path: Path, name: str, text: str) -> None:
    lint_both(tmp_path, text)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(file_text, file_text)
@example(
    f"a==1.0 \\\n    --hash=sha256:{H1} \\\n    --hash=sha256:{H2}\nb==1.0 --hash=sha256:{H1}\n",
    f"a==0.9 \\\n    --hash=sha256:{H1}\n",
)
@example(f"a==1.0 --hash=sha256:{H1} --hash=sha256:{H1.upper()}\n", "")
def test_findings_on_generated_files(tmp_path: Path, text: str, base: str) -> None:
    lint_both(tmp_path, text, base)
    lint_both(tmp_path, text, text.replace("==1.", "==0."))


# -- the input checks ----------------------------------------------------------------------


def reference_check_text(text: str) -> str:
    """``_source._check_text`` before it had fast paths (commit 80d64ab), word for word."""
    if "\x00" in text:
        raise _source.ReadError("binary file (it contains NUL characters)")
    n = len(text)
    lines = text.count("\n") + sum(text.count(c) for c in _source._EXTRA_BREAKS) - text.count("\r\n")
    if lines > _source.MAX_LINES:
        raise _source.ReadError(f"more than {_source.MAX_LINES:,} lines; not a requirements file")
    # Each word needs a character and a separator: a short text cannot have too many.
    if (
        n > 2 * _source.MAX_WORDS
        and sum(1 for _ in itertools.islice(_source._WORD_RE.finditer(text), _source.MAX_WORDS + 1)) > _source.MAX_WORDS
    ):
        raise _source.ReadError(f"more than {_source.MAX_WORDS:,} words; not a requirements file")
    start = 0 if n > _source.MAX_LINE_CHARS else n
    joined = 0  # the length of the lines joined by `\` so far
    while start < n:
        end = text.find("\n", start)
        if end < 0:
            end = n
        if end - start > _source.MAX_LINE_CHARS:
            raise _source.ReadError(
                f"a line is longer than {_source.MAX_LINE_CHARS:,} characters; not a requirements file"
            )
        joined += end - start
        if joined > _source.MAX_LINE_CHARS:
            raise _source.ReadError(
                f"lines joined by `\\` make one longer than {_source.MAX_LINE_CHARS:,} characters; not a requirements file"
            )
        if not text.endswith("\\", start, end - (end > start and text[end - 1] == "\r")):
            joined = 0
        start = end + 1
    return text


@SETTINGS
@given(st.text(alphabet=["a", "b", " ", "\\", "\n", "\r", "\t", "\x0c", "\x1c", "\u2028", "\u00e9"], max_size=80))
@example("aaaa\\\naaaa\\\r\naa")
@example("a" * 20)
def test_input_checks_without_the_slow_loops(text: str) -> None:
    """With small limits, so that generated text reaches them: the same verdict and message."""

    def verdict(check: Callable[[str], str]) -> str:
        try:
            check(text)
        except _source.ReadError as exc:
            return str(exc)
        return "ok"

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(_source, "MAX_LINE_CHARS", 9)
        mp.setattr(_source, "MAX_WORDS", 5)
        mp.setattr(_source, "MAX_LINES", 12)
        assert verdict(_source._check_text) == verdict(reference_check_text)


@SETTINGS
@given(st.text(max_size=30) | st.text(alphabet="ab \t\x1b\x7f\x85\u061c\u202e\u2028\udc80", max_size=30))
@example("requirements.txt:1:1: RH002 idna==3.7 has no --hash")
def test_escaping_for_the_terminal_without_the_regex(text: str) -> None:
    from req_hashlint.reporters import text as reporter

    def escape(m: re.Match[str]) -> str:
        return f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}"

    assert reporter.neutralize(text) == re.sub(reporter._UNSAFE, escape, text)


@SETTINGS
@given(st.text(max_size=20) | st.text(alphabet="a/~%:@ \u00e9\udc80", max_size=20))
def test_sarif_uris_and_fingerprints_without_urllib_or_hashlib(path: str) -> None:
    import hashlib
    from urllib.parse import quote

    from req_hashlint.reporters import sarif

    assert sarif.uri(path) == quote(path.encode("utf-8", "surrogateescape"), safe=sarif._URI_SAFE)
    data = path.encode("utf-8", "surrogatepass")
    assert sarif.sha256(data).hexdigest() == hashlib.sha256(data).hexdigest()


# -- the command line --------------------------------------------------------------------

WORDS = [
    "requirements.txt",
    "b.txt",
    "-",
    "-q",
    "--quiet",
    "--qui",
    "--format",
    "sarif",
    "--format=json",
    "--format=bogus",
    "--format=",
    "--select",
    "RH1",
    "--ignore=RH2",
    "--base",
    "HEAD~1",
    "--no-base",
    "--staged",
    "--exit-zero",
    "-o",
    "out.txt",
    "-oout.txt",
    "--color",
    "never",
    "--fail-on=note",
    "--require-hashes",
    "when-any",
    "--no-config",
    "--config",
    "--stdin-filename=x.txt",
    "--explain",
    "--list-rules",
    "--",
    "-x",
    "--help",
]


@SETTINGS
@given(st.lists(st.sampled_from(WORDS), max_size=6))
@example([])
@example(["a.txt", "-q", "b.txt"])
@example(["--base", "x", "--no-base"])
def test_command_line_without_argparse(argv: list[str]) -> None:
    quick = _cli._quick_args(argv)
    if quick is None:
        return
    parser = _cli._parser()
    try:
        reference = vars(parser.parse_args(argv))
    except SystemExit:  # pragma: no cover - the quick reading gives None for every mistake
        pytest.fail(f"argparse refuses {argv} but the quick reading took it")
    assert vars(quick) == reference


def test_the_usual_command_lines_skip_argparse() -> None:
    for argv in ([], ["requirements.txt", "dev/requirements.txt"], ["--format", "sarif"], ["-q", "--no-base", "x"]):
        assert _cli._quick_args(argv) is not None


# -- the dataclass stand-in --------------------------------------------------------------


def _pair() -> tuple[type, type, type, type]:
    def make(dec: object, fld: object) -> tuple[type, type]:
        @dec(frozen=True, slots=True)
        class Point:
            x: int
            y: int
            label: str = "p"
            tags: tuple[str, ...] = fld(default_factory=tuple)

            @property
            def total(self) -> int:
                return self.x + self.y

        @dec(slots=True)
        class Box:
            items: list[int] = fld(default_factory=list)
            size: int = 0

        return Point, Box

    real_point, real_box = make(dataclasses.dataclass, dataclasses.field)
    ours_point, ours_box = make(_dataclass.dataclass, _dataclass.field)
    for cls, name in ((real_point, "RealPoint"), (real_box, "RealBox"), (ours_point, "OurPoint"), (ours_box, "OurBox")):
        cls.__name__ = cls.__qualname__ = name
        setattr(sys.modules[__name__], name, cls)  # picklable
    return real_point, real_box, ours_point, ours_box


def test_dataclass_stand_in_behaves_like_dataclasses() -> None:
    real_point, real_box, ours_point, ours_box = _pair()
    for point, box in ((real_point, real_box), (ours_point, ours_box)):
        p = point(1, 2)
        assert p == point(1, 2) and p != point(1, 3) and p != (1, 2, "p", ())
        assert hash(p) == hash(point(1, 2)) == hash((1, 2, "p", ()))
        assert repr(p).endswith("Point(x=1, y=2, label='p', tags=())")
        assert point(x=1, y=2, label="q").label == "q"
        assert p.total == 3 and point.__match_args__ == ("x", "y", "label", "tags")
        assert not hasattr(p, "__dict__")
        with pytest.raises(dataclasses.FrozenInstanceError, match="cannot assign to field 'x'"):
            p.x = 5
        with pytest.raises(dataclasses.FrozenInstanceError, match="cannot delete field 'x'"):
            del p.x
        with pytest.raises((AttributeError, TypeError)):  # (Python 3.11's own frozen slots raise TypeError)
            p.other = 1
        assert dataclasses.is_dataclass(p)
        assert [f.name for f in dataclasses.fields(p)] == ["x", "y", "label", "tags"]
        assert dataclasses.asdict(p) == {"x": 1, "y": 2, "label": "p", "tags": ()}
        assert dataclasses.replace(p, y=7) == point(1, 7)
        assert _dataclass.replace(p, y=7) == point(1, 7)
        assert pickle.loads(pickle.dumps(p)) == p and copy.deepcopy(p) == p and copy.copy(p) == p
        for args, kwargs in (((), {}), ((1, 2, "a", (), 5), {}), ((1,), {"x": 2}), ((1, 2), {"zz": 3})):
            with pytest.raises(TypeError):
                point(*args, **kwargs)
        b = box()
        b.size = 3
        assert b == box([], 3) and b.items is not box().items
        with pytest.raises(TypeError, match="unhashable"):
            hash(b)
    assert repr(real_point(1, 2)).replace("Real", "Our") == repr(ours_point(1, 2))


def test_every_class_of_the_package_is_a_dataclass_with_its_fields() -> None:
    import req_hashlint._config
    import req_hashlint._diff
    import req_hashlint._engine
    import req_hashlint._git
    import req_hashlint._graph
    import req_hashlint._model
    import req_hashlint.reporters
    import req_hashlint.rules._base

    found = 0
    for module in (
        req_hashlint._model,
        req_hashlint._graph,
        req_hashlint._engine,
        req_hashlint._config,
        req_hashlint._git,
        req_hashlint._diff,
        req_hashlint.reporters,
        req_hashlint.rules._base,
    ):
        for value in vars(module).values():
            if isinstance(value, type) and "_dc_names" in vars(value):
                found += 1
                annotations = vars(value)["__annotations__"]
                assert [f.name for f in dataclasses.fields(value)] == list(annotations), value
                assert value.__slots__ == tuple(annotations), value
    assert found >= 15
