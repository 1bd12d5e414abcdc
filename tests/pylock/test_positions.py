"""Positions in a pylock.toml: a one-line inline table, and an array of them, is placed whole by
one match and unfolded when a finding asks for a place inside it. Whatever is asked, the answer is
the one the scanner gives walking every value (``fold=False``), on generated TOML that tomllib
accepts: strings holding braces, brackets, quotes, escapes and `#`, multi-line strings, comments,
nested tables and arrays."""

from __future__ import annotations

import string
import sys

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from req_hashlint._pylock import _Doc, _Path, _Scan

from ..conftest import REPO

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

TEXT = st.text(alphabet=string.printable.replace("\r", "").replace("\x0b", "").replace("\x0c", ""), max_size=12)
ONE_LINE = TEXT.map(lambda s: s.replace("\n", ""))


def _basic(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t") + '"'


SCALAR = st.one_of(
    ONE_LINE.map(_basic),
    ONE_LINE.filter(lambda s: "'" not in s).map(lambda s: f"'{s}'"),
    TEXT.filter(lambda s: '"""' not in s and "\\" not in s and not s.endswith('"')).map(lambda s: f'"""{s}"""'),
    TEXT.filter(lambda s: "'''" not in s and not s.endswith("'")).map(lambda s: f"'''{s}'''"),
    st.integers(-5, 10**6).map(str),
    st.sampled_from(["true", "false", "2025-03-17T00:02:54Z", "2025-03-17 00:02:52Z", "1.5", "inf"]),
)
KEY = st.one_of(st.sampled_from(["url", "size", "hashes", "name", "a-b", "x_1"]), ONE_LINE.map(_basic))


def _table(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    pairs = st.lists(st.tuples(KEY, inner), max_size=4, unique_by=lambda kv: kv[0])
    return pairs.map(lambda kvs: "{ " + ", ".join(f"{k} = {v}" for k, v in kvs) + " }" if kvs else "{}")


def _array(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    item = st.tuples(inner, st.sampled_from(["", ' # a comment ] } "', "\n", "\n    "]))
    return st.lists(item, max_size=3).map(lambda xs: "[" + "".join(f"\n    {v},{c}" for v, c in xs) + "\n]")


VALUE = st.recursive(SCALAR, lambda inner: st.one_of(_table(inner), _array(inner)), max_leaves=12)
PACKAGE = st.lists(st.tuples(KEY, VALUE), min_size=1, max_size=5, unique_by=lambda kv: kv[0])


def _every_place(text: str) -> None:
    whole = _Scan(text, fold=False).spans
    walked, folded = _Doc(text, _Scan(text, fold=False)), _Doc(text, _Scan(text))
    paths: list[_Path] = sorted(whole, key=repr)
    for path in paths:  # (each unfolds what it needs, in any order)
        assert folded.span(path) == walked.span(path), path
    assert folded.spans == whole  # everything asked for is now placed, and nothing else differs


@settings(max_examples=300, deadline=None)
@given(st.lists(PACKAGE, min_size=1, max_size=3))
def test_folded_places_are_the_walked_ones(packages: list[list[tuple[str, str]]]) -> None:
    text = 'lock-version = "1.0"\ncreated-by = "x"\n'
    for keys in packages:
        text += "\n[[packages]]\n" + "".join(f"{k} = {v}\n" for k, v in keys)
    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        assume(False)
    _every_place(text)


@pytest.mark.parametrize("name", ["uv-export.toml", "pip-lock.toml"])
def test_the_real_shapes(name: str) -> None:
    _every_place((REPO / "tests" / "data" / "pylock" / name).read_text(encoding="utf-8"))


def test_a_clean_lock_is_not_unfolded() -> None:
    """Parsing places each package and its top-level keys; the artifacts stay whole until asked."""
    from req_hashlint._pylock import parse

    text = (REPO / "tests" / "data" / "pylock" / "uv-export.toml").read_text(encoding="utf-8")
    text = text.replace("http://127.0.0.1:PORT", "https://example.org")  # (an http URL is RH201's: placed)
    lock = parse(text, "pylock.toml")
    assert not lock.issues
    assert all(not any(isinstance(k, str) and k == "url" for k in p) for p in lock.entries[0].found.doc.spans)  # type: ignore[union-attr]
    first = lock.entries[0].hashes[0]  # asked: unfolded, placed at the digest itself
    line = text.split("\n")[first.span.line - 1]
    assert line[first.span.column - 1 :].startswith('"92dae4fd')
