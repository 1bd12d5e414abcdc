"""The one lexer, proven by behaviour: what it reads does not depend on how an entry is laid
out, requirements and markers read as packaging reads them, and pip agrees on generated locks.

(tests/test_properties.py checks that no input makes the lexer raise or point outside the file.)
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from packaging.markers import Marker
from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from req_hashlint._lex import lex
from req_hashlint._model import Entry, ParseError, ReqFile

from .conftest import H1, H2, H3
from .test_lexer import _our_view, _pip_view

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

NAME = st.from_regex(r"[A-Za-z0-9]([A-Za-z0-9._-]{0,8}[A-Za-z0-9])?", fullmatch=True)
VERSION = st.one_of(
    st.from_regex(
        r"[0-9]{1,3}(\.[0-9]{1,3}){0,3}((a|b|rc)[0-9]{1,2})?(\.post[0-9])?(\.dev[0-9])?(\+[a-z0-9]{1,3})?",
        fullmatch=True,
    ),
    st.from_regex(
        r"v?[0-9]{1,2}(\.[0-9]{1,2}){0,2}([-_.]?(alpha|a|b|c|pre|rc|RC)[-_.]?[0-9]?)?(-[0-9]|[-_.]?(post|r)[0-9]?)?(\.\*)?",
        fullmatch=True,
    ),
    st.text(alphabet="0123456789.+-_abcrv*!", max_size=8),
)
MARKERS = [
    'python_version >= "3.10" and python_version < "4.0"',
    "python_version >= '2.7' and python_version not in '3.0, 3.1, 3.2, 3.3, 3.4'",
    "python_full_version < '3.11' and sys_platform != 'emscripten' and sys_platform != 'win32'",
    "(platform_machine == 'aarch64' and sys_platform == 'linux') or sys_platform == 'darwin'",
    "implementation_name == 'pypy'",
    "platform_python_implementation != 'PyPy'",
    "os_name=='nt' or ((python_version<'3' and os_name=='nt'))",
    "'3' < python_version",
    "extra == 'socks'",
    "python_version <> '3'",  # invalid: pip refuses the file
    "python_versionx == '3'",  # invalid
]
DIGESTS = [H1, H2, H3, H1.upper(), "ab", ""]
HASH = st.builds(
    lambda a, d: f"{a}:{d}", st.sampled_from(["sha256", "sha512", "md5", "SHA256"]), st.sampled_from(DIGESTS)
)
GOOD_HASH = st.sampled_from([f"sha256:{H1}", f"sha256:{H2}", f"sha256:{H3}"])
WS = st.sampled_from(["", " ", "  "])


def reading(file: ReqFile) -> list[tuple[object, ...]]:
    """What pip takes from a file: each requirement, its pin, marker and hashes, and errors."""
    return [(e.kind, e.key, e.specifier, e.version, e.marker, e.url, e.hash_values, e.error) for e in file.entries]


def check_hash_spans(text: str, entry: Entry) -> None:
    """``hash_values`` are the values of ``hashes``, and each span covers its `--hash` token."""
    assert entry.hash_values == tuple(h.value for h in entry.hashes)
    lines = text.replace("\r\n", "\n").split("\n")
    for h in entry.hashes:
        if h.span.line == h.span.end_line:
            token = lines[h.span.line - 1][h.span.column - 1 : h.span.end_column - 1]
            assert token.startswith("--") and token.rstrip("'\"").endswith(h.value), (token, h)


# -- layouts: one reading whatever the shape of the entry ------------------------------------


@st.composite
def entries(draw: st.DrawFn, hashes: st.SearchStrategy[str] = HASH) -> tuple[str, list[str]]:
    head = f"{draw(NAME)}=={draw(VERSION)}"
    if draw(st.booleans()):
        head += f"{draw(WS)};{draw(WS)}{draw(st.sampled_from(MARKERS))}"
    return head, draw(st.lists(hashes, max_size=4))


LAYOUTS = [
    # a lock's usual shapes
    lambda head, hashes: " \\\n".join([head, *(f"    --hash={h}" for h in hashes)]) + "\n",
    lambda head, hashes: " ".join([head, *(f"--hash={h}" for h in hashes)]) + "\n",
    lambda head, hashes: " \\\n".join([head, *(f"    --hash={h}" for h in hashes)]) + "\n    # via x\n\n",
    # shapes only pip's step-by-step reading takes: a tab, quotes, `--hash value`, a comment line
    lambda head, hashes: " \\\n".join([head, *(f" --hash '{h}'" for h in hashes)]) + "\t# c\n",
    lambda head, hashes: " \\\n".join([head, *(f'  --hash "{h}"' for h in hashes)]) + " \\\n  # c\n",
    lambda head, hashes: "\r\n".join(" \\\n".join([head, *(f"--hash={h}" for h in hashes)]).split("\n")) + "\r\n",
]


@SETTINGS
@given(entries(), st.permutations(range(len(LAYOUTS))))
@example(("six==1.16.0 ; python_version < '3.11'", [f"sha256:{H1}", f"sha256:{H2}"]), list(range(len(LAYOUTS))))
@example(("six==1.16.0", []), list(range(len(LAYOUTS))))
def test_the_reading_does_not_depend_on_the_layout(entry: tuple[str, list[str]], order: list[int]) -> None:
    head, hashes = entry
    readings = []
    for k in order:
        text = "# top\n" + LAYOUTS[k](head, hashes) + "idna==3.7\n"
        file = lex(text, "requirements.txt")
        assert [e.first_line for e in file.entries] == [2, file.entries[1].first_line]
        assert file.entries[0].span.column == 1 and file.entries[0].text == head
        for e in file.entries:
            check_hash_spans(text, e)
        readings.append(reading(file))
    assert all(r == readings[0] for r in readings)


# -- requirements and markers read as packaging reads them -----------------------------------


def packaging_reading(text: str) -> tuple[str, str, str | None] | None:
    try:
        req = Requirement(text)
    except InvalidRequirement:
        return None
    return req.name, str(req.specifier), str(req.marker) if req.marker else None


@pytest.mark.filterwarnings("ignore::DeprecationWarning", "ignore::SyntaxWarning")  # packaging's literal_eval
@SETTINGS
@given(NAME, WS, VERSION, WS, st.none() | st.sampled_from(MARKERS))
@example("six", "", "1.16.0", "", None)
@example("Six_Pkg.x", " ", "1.0.POST1", "", None)
@example("six", "", "1.0-1", "", "python_version<'3'")
def test_requirements_read_as_packaging_reads_them(
    name: str, w1: str, version: str, w2: str, marker: str | None
) -> None:
    text = f"{name}{w1}=={w2}{version}" + (f" ; {marker}" if marker else "")
    assume(" -" not in text)  # pip reads that as an option
    (e,) = lex(text + "\n", "r.txt").entries
    want = packaging_reading(text)
    if want is None:
        assert e.error is not None
        return
    assert (e.name, e.specifier, e.marker, e.error) == (*want, None)
    (spec,) = Requirement(text).specifier
    assert e.version == (None if spec.version.endswith(".*") else spec.version)
    assert e.key == canonicalize_name(name)


def test_markers_are_normalized_by_packaging() -> None:
    text = "".join(f"p{k}==1.0 ; {m}\n" for k, m in enumerate(MARKERS[:9]))
    assert [e.marker for e in lex(text, "r.txt").entries] == [str(Marker(m)) for m in MARKERS[:9]]


@pytest.mark.parametrize("marker", MARKERS[-2:])
def test_an_invalid_marker_is_an_error(marker: str) -> None:
    (e,) = lex(f"six==1.16.0 ; {marker} --hash=sha256:{H1}\n", "r.txt").entries
    assert e.error is not None and e.error_kind is ParseError.MARKER


@SETTINGS
@given(NAME)
def test_name_normalization(name: str) -> None:
    (e,) = lex(f"{name}==1.0\n", "r.txt").entries
    assert e.key == canonicalize_name(name)


def test_hash_set_is_what_pip_compares() -> None:
    (e,) = lex(f"six==1.16.0 --hash=sha256:{H1} --hash=sha256:{H1.upper()} --hash={H2}\n", "r.txt").entries
    assert e.hash_set == frozenset({f"sha256:{H1}", ":"})


# -- pip agrees on generated locks ------------------------------------------------------------


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(entries(GOOD_HASH), min_size=1, max_size=4),
    st.lists(st.integers(0, len(LAYOUTS) - 1), min_size=4, max_size=4),
)
def test_pip_reads_generated_locks_the_same(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, items: list[tuple[str, list[str]]], layouts: list[int]
) -> None:
    caplog.set_level(logging.ERROR)
    text = "".join(LAYOUTS[k](head, hashes) for (head, hashes), k in zip(items, layouts, strict=False))
    path = tmp_path / "r.txt"
    path.write_bytes(text.encode())
    file = lex(text, "r.txt")
    try:
        pips = _pip_view(path)
    except Exception:  # pip refuses the file; so must we
        assert any(e.error for e in file.entries)
        return
    assert not any(e.error for e in file.entries)
    assert _our_view(text) == pips


# issue 18.5: the defects RH006 reports once, with their consequences; pip reads them as we do
ONE_CAUSE = {
    "glued requirement and hash": f"six==1.16.0\\\n--hash=sha256:{H1}\nidna==3.7\n",
    "glued hashes": f"six==1.16.0 \\\n    --hash=sha256:{H1}\\\n--hash=sha256:{H2}\n",
    "comment before a backslash": f"six==1.16.0  # pinned \\\n    --hash=sha256:{H1}\nidna==3.7\n",
    "backslash then a tab": f"six==1.16.0 \\\t\n    --hash=sha256:{H1}\n",
}


@pytest.mark.parametrize("text", ONE_CAUSE.values(), ids=ONE_CAUSE.keys())
def test_pip_reads_the_one_cause_cases_as_we_do(text: str, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.ERROR)
    path = tmp_path / "r.txt"
    path.write_bytes(text.encode())
    file = lex(text, "r.txt")
    assert [i.effects != () for i in file.issues] == [True]  # one cause, its consequences folded in
    try:
        pips = _pip_view(path)
    except Exception:  # pip refuses the file: so does the cause's finding (a parse error it names)
        assert any(e.error for e in file.entries)
        return
    assert _our_view(text) == pips
