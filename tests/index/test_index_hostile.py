"""Hostile index responses (hypothesis): random bodies, content types, headers and statuses from a
real loopback server never crash fetch(), never exceed the size bound and never leak a credential;
random JSON and HTML never crash the parsers (a page or MalformedPage, nothing else)."""

from __future__ import annotations

import contextlib
import gzip
import json
import string
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from req_hashlint.index._fetch import fetch
from req_hashlint.index._model import Cause, Page, ServedFile, Unavailable
from req_hashlint.index._simple import MalformedPage, parse_html, parse_json

from .server import JSON_TYPE, IndexServer

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
URL = "https://example.test/simple/p/"
CTYPES = st.sampled_from(
    [
        JSON_TYPE,
        "application/vnd.pypi.simple.v1+html",
        "text/html",
        "text/html; charset=utf-8",
        "application/json",
        "",
        "x/y",
    ]
)
_HEADER_TEXT = st.text(
    alphabet=string.printable.replace("\r", "").replace("\n", "").replace("\x0b", "").replace("\x0c", ""), max_size=40
)


def _check_files(files: tuple[ServedFile, ...]) -> None:
    for f in files:
        assert isinstance(f.filename, str) and isinstance(f.url, str)
        assert all(k == k.lower() and v == v.lower() for k, v in f.hashes.items())
        assert f.yanked is None or isinstance(f.yanked, str)
        assert f.metadata is None or isinstance(f.metadata, dict)


def _fetch_one(index: IndexServer, tmp: Path | str, project: str = "p", **kw: object) -> Page | Unavailable:
    got = fetch({(index.url,): [project]}, cache_dir=str(tmp), timeout=2.0, **kw)  # type: ignore[arg-type]
    (answer,) = got.values()
    return answer


@pytest.fixture(autouse=True)
def _no_user_netrc(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("NETRC", raising=False)


# -- the parsers -------------------------------------------------------------------------------

_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=8), c, max_size=3),
    max_leaves=12,
)
_FILE = st.fixed_dictionaries(
    {"filename": st.text(max_size=10) | _JSON, "url": st.text(max_size=20) | _JSON},
    optional={
        "hashes": st.dictionaries(st.text(max_size=6), st.text(max_size=6) | _JSON, max_size=2) | _JSON,
        "yanked": _JSON,
        "requires-python": _JSON,
        "core-metadata": _JSON,
        "dist-info-metadata": _JSON,
    },
)
_PAGE = st.fixed_dictionaries(
    {"meta": st.fixed_dictionaries({"api-version": st.sampled_from(["1.0", "1.1", "2.0", "1"]) | _JSON}) | _JSON},
    optional={"files": st.lists(_FILE, max_size=4) | _JSON, "name": _JSON},
)


@SETTINGS
@given(page=_PAGE | _JSON)
def test_random_json_pages_parse_or_are_malformed(page: object) -> None:
    try:
        files = parse_json(json.dumps(page).encode(), URL)
    except MalformedPage as exc:
        assert 0 < len(str(exc)) < 100
        return
    _check_files(files)


@SETTINGS
@given(body=st.binary(max_size=200))
def test_random_bytes_as_json_are_malformed_or_a_page(body: bytes) -> None:
    with contextlib.suppress(MalformedPage):
        _check_files(parse_json(body, URL))


_ATTR = st.sampled_from(
    ["href", "data-yanked", "data-requires-python", "data-core-metadata", "data-dist-info-metadata", "x"]
)
_TAG = st.builds(
    lambda tag, attrs, text: (
        f"<{tag} " + " ".join(f'{k}="{v}"' if v is not None else k for k, v in attrs) + f">{text}</{tag}>"
    ),
    st.sampled_from(["a", "base", "meta", "A", "p"]),
    st.lists(st.tuples(_ATTR, st.none() | st.text(max_size=20)), max_size=4),
    st.text(max_size=10),
)


@SETTINGS
@given(parts=st.lists(_TAG | st.text(max_size=20), max_size=8))
def test_random_html_pages_parse_or_are_malformed(parts: list[str]) -> None:
    try:
        files = parse_html("".join(parts).encode("utf-8", "surrogatepass"), URL)
    except MalformedPage:
        return
    _check_files(files)


# -- the whole path, against a real server -----------------------------------------------------


def test_random_responses_never_crash(tmp_path: Path) -> None:
    with IndexServer({}) as index:

        @SETTINGS
        @given(
            body=st.binary(max_size=300) | _PAGE.map(lambda p: json.dumps(p).encode()),
            ctype=CTYPES,
            zipped=st.booleans(),
            headers=st.dictionaries(
                st.sampled_from(
                    ["Content-Encoding", "Cache-Control", "ETag", "Last-Modified", "Content-Type", "X-Junk"]
                ),
                _HEADER_TEXT,
                max_size=3,
            ),
            status=st.sampled_from([200, 200, 203, 204, 301, 304, 404, 410, 418, 500]),
        )
        def check(body: bytes, ctype: str, zipped: bool, headers: dict[str, str], status: int) -> None:
            index.bodies["p"] = gzip.compress(body, mtime=0) if zipped else body
            index.content_types["p"] = ctype
            index.headers["p"] = {**headers, **({"Content-Encoding": "gzip"} if zipped else {})}
            index.status.pop("p", None)
            if status != 200:
                index.status["p"] = status
            for _ in range(2):  # the second run meets whatever the first one cached
                answer = _fetch_one(index, tmp_path)
                assert isinstance(answer, (Page, Unavailable))
                if isinstance(answer, Page):
                    _check_files(answer.files)
                else:
                    assert answer.cause in (Cause.MALFORMED, Cause.STATUS, Cause.REDIRECT, Cause.CONNECTION)
                    assert 0 < len(answer.detail) < 200
            assert index.artifact_requests == []

        check()


def test_the_size_bound_holds_for_any_size(tmp_path: Path) -> None:
    with IndexServer({}) as index:

        @settings(SETTINGS, max_examples=25)
        @given(
            size=st.integers(0, 300_000), limit=st.integers(1, 200_000), zipped=st.booleans(), declared=st.booleans()
        )
        def check(size: int, limit: int, zipped: bool, declared: bool) -> None:
            body = b'{"meta": {"api-version": "1.0"}, "files": []}'
            body += b" " * max(0, size - len(body))
            wire = len(body)
            if zipped:
                index.bodies["p"], index.headers["p"] = gzip.compress(body, mtime=0), {"Content-Encoding": "gzip"}
                wire = len(index.bodies["p"])
            else:
                index.bodies.pop("p", None)
                index.huge["p"], index.huge_length = len(body), declared
            answer = _fetch_one(index, "", max_bytes=limit)
            if max(len(body), wire) > limit:  # both the bytes received and the bytes decoded are bounded
                assert isinstance(answer, Unavailable) and answer.cause is Cause.TOO_LARGE, answer
            else:
                assert isinstance(answer, (Page, Unavailable))
                assert not isinstance(answer, Unavailable) or answer.cause is Cause.MALFORMED
            index.huge.pop("p", None)

        check()


_SECRET = st.text(alphabet=string.ascii_letters + string.digits + "-_.~", min_size=8, max_size=24)


def test_credentials_never_leak_whatever_the_index_answers(tmp_path: Path) -> None:
    with IndexServer({}) as index, IndexServer({}) as other:

        @settings(SETTINGS, max_examples=30)
        @given(
            user=st.sampled_from(["user", "__token__", "x"]),
            secret=_SECRET,
            status=st.sampled_from([200, 401, 403, 404, 500, 503]),
            redirect=st.sampled_from(["", "other", "same", "loop"]),
            body=st.binary(max_size=60),
        )
        def check(user: str, secret: str, status: int, redirect: str, body: bytes) -> None:
            index.bodies["p"] = body
            index.status.clear()
            index.redirects.clear()
            if status != 200:
                index.status["p"] = status
            if redirect == "other":
                index.redirects["/simple/p/"] = f"http://{user}:{secret}@127.0.0.1:{other.port}/simple/p/"
            elif redirect == "same":
                index.redirects["/simple/p/"] = "/x/p/"
            elif redirect == "loop":
                index.redirects["/simple/p/"] = "/simple/p/"
            url = f"http://{user}:{secret}@127.0.0.1:{index.port}/simple/"
            got = fetch({(url,): ["p"]}, cache_dir=str(tmp_path), timeout=2.0)
            answer = got[((url,), "p")]
            assert secret not in repr(answer)
            if isinstance(answer, Page):
                assert answer.indexes == (f"http://{user}:****@127.0.0.1:{index.port}/simple/",)
            assert other.requests == []  # an http redirect to another port is never followed

        check()
    for entry in (tmp_path / "simple").rglob("*") if (tmp_path / "simple").exists() else []:
        if entry.is_file():
            assert b"@127.0.0.1" not in entry.read_bytes()
