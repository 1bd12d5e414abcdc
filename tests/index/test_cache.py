"""The on-disk cache, counted on the loopback index's requests: max-age respected, 304
revalidation, --refresh, credentials in the key, an unwritable directory, and corrupt or
hostile entries (hypothesis) never trusted, never a crash."""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from req_hashlint.index._cache import (
    FILES_TYPE,
    MAX_AGE_CAP,
    Cache,
    Entry,
    cache_key,
    decode_files,
    default_dir,
    encode_files,
    max_age_of,
)
from req_hashlint.index._fetch import Stats, fetch
from req_hashlint.index._http import ACCEPT
from req_hashlint.index._model import Page

from .server import IndexServer, wheel

Make = Callable[..., IndexServer]
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _get(index: IndexServer, cache: Path | str, *names: str, refresh: bool = False) -> tuple[dict[str, Page], Stats]:
    stats = Stats()
    got = fetch({(index.url,): names or ("alpha",)}, cache_dir=str(cache), refresh=refresh, stats=stats)
    pages = {k[1]: v for k, v in got.items()}
    assert all(isinstance(p, Page) for p in pages.values()), pages
    return pages, stats  # type: ignore[return-value]


def _entries(cache: Path) -> list[Path]:
    return sorted(p for p in (cache / "simple").rglob("*") if p.is_file())


def test_a_fresh_entry_asks_nothing(index: IndexServer, tmp_path: Path) -> None:
    first, stats = _get(index, tmp_path, "alpha", "beta")
    assert (stats.requests, stats.fresh) == (2, 0) and stats.bytes > 0
    again, stats = _get(index, tmp_path, "alpha", "beta")
    assert (stats.requests, stats.fresh, stats.bytes) == (0, 2, 0)
    assert again == first
    assert len(index.page_requests) == 2
    assert not [p for p in _entries(tmp_path) if p.name.startswith(".tmp")]  # atomic writes leave nothing


def test_a_stale_entry_is_revalidated_with_a_304(make_index: Make, tmp_path: Path) -> None:
    index = make_index(max_age=0)
    first, _ = _get(index, tmp_path)
    again, stats = _get(index, tmp_path)
    assert (stats.requests, stats.not_modified, stats.bytes) == (1, 1, 0)
    assert again == first
    sent = index.request_headers[-1]
    assert sent["if-none-match"].startswith('"') and "if-modified-since" in sent


def test_a_304_renews_the_freshness_it_brings(make_index: Make, tmp_path: Path) -> None:
    index = make_index(max_age=0)
    _get(index, tmp_path)
    index.max_age = 600
    _, stats = _get(index, tmp_path)
    assert stats.not_modified == 1
    _, stats = _get(index, tmp_path)
    assert stats.requests == 0  # fresh for the 600 s the 304 gave


def test_last_modified_alone_revalidates(make_index: Make, tmp_path: Path) -> None:
    index = make_index(max_age=0, etag=False)
    _get(index, tmp_path)
    _, stats = _get(index, tmp_path)
    assert stats.not_modified == 1
    assert "if-none-match" not in index.request_headers[-1]


def test_a_changed_page_replaces_the_entry(make_index: Make, tmp_path: Path) -> None:
    index = make_index(max_age=0)
    _get(index, tmp_path)
    index.projects["alpha"] = [*index.projects["alpha"], wheel("alpha", "2.0")]
    again, stats = _get(index, tmp_path)
    assert stats.not_modified == 0 and len(again["alpha"].files) == 3
    index.max_age = 600
    _get(index, tmp_path)  # stored fresh now
    _, stats = _get(index, tmp_path)
    assert stats.requests == 0


def test_refresh_bypasses_reading_but_still_writes(index: IndexServer, tmp_path: Path) -> None:
    _get(index, tmp_path)
    index.projects["alpha"] = [wheel("alpha", "3.0")]
    refreshed, stats = _get(index, tmp_path, refresh=True)
    assert stats.requests == 1 and "if-none-match" not in index.request_headers[-1]
    assert [f.filename for f in refreshed["alpha"].files] == ["alpha-3.0-py3-none-any.whl"]
    cached, stats = _get(index, tmp_path)
    assert stats.requests == 0 and cached == refreshed


def test_no_store_and_a_404_without_max_age_are_not_kept(make_index: Make, tmp_path: Path) -> None:
    index = make_index(headers={"alpha": {"Cache-Control": "no-store"}})
    index.max_age = None  # only the no-store header
    _get(index, tmp_path, "alpha", "nope")
    assert _entries(tmp_path) == []
    _, stats = _get(index, tmp_path, "alpha", "nope")
    assert stats.requests == 2


def test_credentials_are_part_of_the_key(make_index: Make, tmp_path: Path) -> None:
    index = make_index(auth=("u", "p"))
    url = f"http://u:p@127.0.0.1:{index.port}/simple/"
    got = fetch({(url,): ["alpha"]}, cache_dir=str(tmp_path))
    assert isinstance(got[((url,), "alpha")], Page)
    other = f"http://u:other@127.0.0.1:{index.port}/simple/"
    stats = Stats()
    denied = fetch({(other,): ["alpha"]}, cache_dir=str(tmp_path), stats=stats)
    assert stats.requests == 1  # not served from the entry the right password stored
    assert not isinstance(denied[((other,), "alpha")], Page)
    for entry in _entries(tmp_path):
        assert b"u:p" not in entry.read_bytes() and b"other" not in entry.read_bytes()
    bare = f"http://127.0.0.1:{index.port}/simple/alpha/"
    assert cache_key(bare, ACCEPT, ("u", "p")) != cache_key(bare, ACCEPT, None) != cache_key(bare, "x", None)


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0, reason="root writes anywhere")
def test_an_unwritable_cache_directory_only_disables_caching(index: IndexServer, tmp_path: Path) -> None:
    ro = tmp_path / "ro"
    ro.mkdir(mode=0o500)
    pages, _ = _get(index, ro)
    assert pages["alpha"].files


def test_a_cache_directory_that_is_a_file_only_disables_caching(index: IndexServer, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    pages, _ = _get(index, blocker, "alpha", "beta")
    assert pages["alpha"].files and pages["beta"].files
    _, stats = _get(index, blocker)
    assert stats.requests == 1


def test_max_age_of() -> None:
    assert max_age_of({"cache-control": "max-age=600, public"}) == 600
    assert max_age_of({"cache-control": "public, MAX-AGE=10"}) == 10
    assert max_age_of({"cache-control": "max-age=99999999999"}) == MAX_AGE_CAP
    assert max_age_of({"cache-control": "max-age=-5"}) == 0
    assert max_age_of({"cache-control": "max-age=nan"}) == 0
    assert max_age_of({"cache-control": "no-cache, max-age=60"}) == 0
    assert max_age_of({"cache-control": "no-store"}) is None
    assert max_age_of({}) == 0


def test_default_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("REQ_HASHLINT_CACHE_DIR", str(tmp_path / "c"))
    assert default_dir() == str(tmp_path / "c")
    monkeypatch.delenv("REQ_HASHLINT_CACHE_DIR")
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert default_dir() == str(tmp_path / "xdg" / "req-hashlint")
    monkeypatch.setenv("XDG_CACHE_HOME", "relative")  # not absolute: ignored, as the XDG spec says
    assert default_dir() == str(tmp_path / ".cache" / "req-hashlint")
    monkeypatch.setattr(sys, "platform", "darwin")
    assert default_dir() == str(tmp_path / "Library" / "Caches" / "req-hashlint")
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "local"))
    assert default_dir() == os.path.join(str(tmp_path / "local"), "req-hashlint", "Cache")


# -- entries on disk, untrusted ----------------------------------------------------------------


def _write_entry(cache: Cache, key: str, header: object, body: bytes) -> None:
    path = Path(cache.path(key))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(json.dumps(header).encode() + b"\n" + body)


def _header(**over: object) -> dict[str, object]:
    base: dict[str, object] = {
        "v": 1,
        "size": 2,
        "status": 200,
        "content_type": "application/vnd.pypi.simple.v1+json",
        "etag": None,
        "last_modified": None,
        "stored": time.time(),
        "max_age": 60,
    }
    return {**base, **over}


def test_a_valid_entry_round_trips(tmp_path: Path) -> None:
    cache = Cache(str(tmp_path))
    entry = Entry(200, "text/html", b"<a>", '"e"', "Wed, 01 Jan 2020 00:00:00 GMT", time.time(), 60.0)
    cache.store("ab" * 32, entry)
    assert cache.load("ab" * 32) == entry
    assert cache.load("cd" * 32) is None


@pytest.mark.parametrize(
    "over",
    [
        {"max_age": 10.0**12},  # years: capped at a day
        {"stored": time.time() + 86400 * 365 * 5},  # stored in the future: not trusted
        {"stored": -1},
        {"max_age": -60},
        {"v": 2},
        {"size": 3},  # truncated body
        {"size": 10**15},  # a claim too large to read
        {"status": 500},
        {"status": True},
        {"size": 2.0},
        {"etag": 5},
        {"content_type": None},
        {"stored": "now"},
    ],
)
def test_hostile_headers_are_ignored_or_bounded(tmp_path: Path, over: dict[str, object]) -> None:
    cache = Cache(str(tmp_path))
    _write_entry(cache, "k" * 64, _header(**over), b"{}")
    got = cache.load("k" * 64)
    if "max_age" in over and over["max_age"] == 10.0**12:
        assert got is not None and got.max_age == MAX_AGE_CAP
        assert not got.fresh(time.time() + MAX_AGE_CAP + 1)
    else:
        assert got is None


def test_nan_and_infinity_in_an_entry_are_ignored(tmp_path: Path) -> None:
    cache = Cache(str(tmp_path))
    for bad in (b"NaN", b"Infinity", b"-Infinity", b"1e999"):
        path = Path(cache.path("n" * 64))
        path.parent.mkdir(parents=True, exist_ok=True)
        header = json.dumps(_header()).encode().replace(b'"max_age": 60', b'"max_age": ' + bad)
        assert bad in header
        path.write_bytes(header + b"\n{}")
        assert cache.load("n" * 64) is None, bad


@pytest.mark.skipif(not hasattr(os, "symlink") or sys.platform == "win32", reason="symlinks")
def test_a_symlinked_entry_is_not_followed(tmp_path: Path) -> None:
    cache = Cache(str(tmp_path / "c"))
    real = tmp_path / "elsewhere"
    real.write_bytes(json.dumps(_header()).encode() + b"\n{}")
    path = Path(cache.path("s" * 64))
    path.parent.mkdir(parents=True)
    path.symlink_to(real)
    assert cache.load("s" * 64) is None


@SETTINGS
@given(junk=st.binary(max_size=300))
def test_random_bytes_in_an_entry_never_crash(tmp_path: Path, junk: bytes) -> None:
    cache = Cache(str(tmp_path))
    path = Path(cache.path("r" * 64))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(junk)
    got = cache.load("r" * 64)
    assert got is None or (0 <= got.max_age <= MAX_AGE_CAP and len(got.body) < 300)


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=10),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=10,
)


@settings(SETTINGS, max_examples=25)
@given(over=st.dictionaries(st.sampled_from(list(_header())), _JSON, max_size=4), body=st.binary(max_size=40))
def test_random_json_headers_never_crash_nor_outlive_a_day(
    tmp_path: Path, over: dict[str, object], body: bytes
) -> None:
    cache = Cache(str(tmp_path))
    _write_entry(cache, "j" * 64, _header(**over), body)
    got = cache.load("j" * 64)
    if got is not None:
        assert 0 <= got.max_age <= MAX_AGE_CAP and got.stored <= time.time() + 300
        assert not got.fresh(time.time() + MAX_AGE_CAP + 301)


def test_a_corrupt_entry_is_fetched_again(index: IndexServer, tmp_path: Path) -> None:
    first, _ = _get(index, tmp_path, "alpha", "beta")
    for i, path in enumerate(_entries(tmp_path)):
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 2] if i == 0 else b"\x00garbage\n" + data)
    again, stats = _get(index, tmp_path, "alpha", "beta")
    assert stats.requests == 2 and again == first
    _, stats = _get(index, tmp_path, "alpha", "beta")
    assert stats.requests == 0  # repaired


# -- the stored form: the parsed files, not the page --------------------------------------------


def test_the_parsed_files_are_stored_and_read_back_equal(index: IndexServer, tmp_path: Path) -> None:
    first, _ = _get(index, tmp_path, "alpha", "beta", "gamma")
    for path in _entries(tmp_path):
        header = json.loads(path.read_bytes().split(b"\n", 1)[0])
        assert header["content_type"] == FILES_TYPE
    again, stats = _get(index, tmp_path, "alpha", "beta", "gamma")
    assert stats.fresh == 3 and again == first
    files = [f for page in first.values() for f in page.files]
    assert decode_files(encode_files(files)) == tuple(files)


@pytest.mark.parametrize(
    "body",
    [b"{}", b"[[1,2,3,4,5,6]]", b'[["a","u",{},null,null]]', b'[["a","u",{"sha256":1},null,null,null]]',
     b'[["a","u",{},3,null,null]]', b'[["a","u",{},null,false,null]]', b'[["a","u",{},null,null,[]]]', b"[NaN]"],
)  # fmt: skip
def test_a_stored_file_list_of_the_wrong_shape_is_refused(body: bytes) -> None:
    with pytest.raises(ValueError):
        decode_files(body)


def test_a_hostile_stored_file_list_is_fetched_again(index: IndexServer, tmp_path: Path) -> None:
    first, _ = _get(index, tmp_path, "alpha")
    (path,) = _entries(tmp_path)
    bad = b'[["a","u",{"sha256":1},null,null,null]]'
    header = json.loads(path.read_bytes().split(b"\n", 1)[0]) | {"size": len(bad)}
    path.write_bytes(json.dumps(header).encode() + b"\n" + bad)
    again, stats = _get(index, tmp_path, "alpha")
    assert stats.requests == 1 and again == first


@SETTINGS
@given(rows=_JSON)
def test_random_stored_file_lists_never_crash(rows: object) -> None:
    try:
        files = decode_files(json.dumps(rows).encode())
    except ValueError:
        return
    assert all(isinstance(f.filename, str) and isinstance(f.url, str) for f in files)
