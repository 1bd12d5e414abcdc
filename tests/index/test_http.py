"""The HTTP layer against the real loopback index: headers sent, keep-alive, gzip, bounds,
statuses, timeouts, the redirect policy and credentials (userinfo, ~/.netrc), never leaked."""

from __future__ import annotations

import gzip
import os
import random
import socket
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from req_hashlint import __version__
from req_hashlint.index._http import (
    ACCEPT,
    Client,
    HttpError,
    Target,
    next_auth,
    redirect_allowed,
    split_auth,
    target,
)
from req_hashlint.index._model import Cause

from .server import JSON_TYPE, IndexServer

Make = Callable[..., IndexServer]
UA = f"req-hashlint/{__version__}"


def _client(**kw: object) -> Client:
    return Client(user_agent=UA, **kw)  # type: ignore[arg-type]


def _fails(client: Client, url: str, cause: Cause) -> str:
    with pytest.raises(HttpError) as info:
        client.get(url)
    assert info.value.cause is cause, info.value.detail
    return info.value.detail


@pytest.fixture(autouse=True)
def _no_user_netrc(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("NETRC", raising=False)


def test_a_page_with_the_headers_pip_sends(index: IndexServer) -> None:
    resp = _client().get(index.page_url("alpha"))
    assert resp.status == 200
    assert resp.headers["content-type"] == JSON_TYPE
    assert b'"alpha-1.0-py3-none-any.whl"' in resp.body
    sent = index.request_headers[0]
    assert sent["accept"] == ACCEPT
    assert ACCEPT == "application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.01"
    assert sent["accept-encoding"] == "gzip"
    assert sent["user-agent"] == UA
    assert "authorization" not in sent


def test_one_keep_alive_connection_per_host(index: IndexServer) -> None:
    client = _client()
    for name in ("alpha", "beta", "gamma", "nope"):
        client.get(index.page_url(name))
    client.close()
    assert len(index.peers) == 4 and len(set(index.peers)) == 1


def test_a_404_is_an_answer(index: IndexServer) -> None:
    assert _client().get(index.page_url("nope")).status == 404


def test_gzip_is_decoded(make_index: Make) -> None:
    index = make_index(gzip=True)
    plain = _client().get(make_index().page_url("alpha")).body
    resp = _client().get(index.page_url("alpha"))
    assert resp.headers["content-encoding"] == "gzip"
    assert resp.body == plain


def test_a_gzip_bomb_is_too_large_and_a_truncated_gzip_malformed(make_index: Make) -> None:
    bomb = gzip.compress(b" " * (8 * 1024 * 1024))
    assert len(bomb) < 64 * 1024
    index = make_index(
        bodies={"bomb": bomb, "cut": gzip.compress(b"{}" * 1000)[:-20], "ok": gzip.compress(b"{}")},
        headers={n: {"Content-Encoding": "gzip"} for n in ("bomb", "cut", "ok")},
    )
    client = _client(max_bytes=1024 * 1024)
    assert "decompressed" in _fails(client, index.page_url("bomb"), Cause.TOO_LARGE)
    _fails(client, index.page_url("cut"), Cause.MALFORMED)
    assert client.get(index.page_url("ok")).body == b"{}"


def test_the_bytes_received_are_bounded_too(make_index: Make) -> None:
    noise = random.Random(13).randbytes(16384)  # incompressible: its gzip is larger than itself
    assert len(gzip.compress(noise)) > len(noise)
    for length in (True, False):  # refused by its Content-Length, or while reading
        index = make_index(
            bodies={"n": gzip.compress(noise)}, headers={"n": {"Content-Encoding": "gzip"}}, content_length=length
        )
        detail = _fails(_client(max_bytes=len(noise)), index.page_url("n"), Cause.TOO_LARGE)
        assert ("more than" in detail) is not length
        assert _client(max_bytes=len(noise) + 100).get(index.page_url("n")).body == noise


def test_an_unknown_content_encoding_is_malformed(make_index: Make) -> None:
    index = make_index(bodies={"br": b"xx"}, headers={"br": {"Content-Encoding": "br"}})
    _fails(_client(), index.page_url("br"), Cause.MALFORMED)


@pytest.mark.parametrize("length", [True, False])
def test_a_huge_page_is_too_large(make_index: Make, length: bool) -> None:
    index = make_index(huge={"huge": 4 * 1024 * 1024}, huge_length=length)
    detail = _fails(_client(max_bytes=256 * 1024), index.page_url("huge"), Cause.TOO_LARGE)
    assert ("4194304 bytes" in detail) is length  # a declared length is refused before reading


@pytest.mark.parametrize("code", [500, 503, 401, 403, 429])
def test_a_bad_status(make_index: Make, code: int) -> None:
    index = make_index(status={"alpha": code})
    assert _fails(_client(), index.page_url("alpha"), Cause.STATUS) == f"127.0.0.1: HTTP {code}"


def test_a_slow_server_times_out(make_index: Make) -> None:
    index = make_index(delay={"slow": 0.6})
    client = _client(timeout=0.2)
    assert "timed out after 0.2 s" in _fails(client, index.page_url("slow"), Cause.TIMEOUT)
    assert client.get(index.page_url("alpha")).status == 200  # the client recovers


def test_a_server_that_drips_times_out_on_the_whole_response(make_index: Make) -> None:
    index = make_index(drip={"alpha": 0.05})  # each read is quick; the page would take 4 s
    started = time.monotonic()
    assert "timed out" in _fails(_client(timeout=0.3), index.page_url("alpha"), Cause.TIMEOUT)
    assert time.monotonic() - started < 2.0


def test_no_server_is_a_connection_failure() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    assert "refused" in _fails(_client(), f"http://127.0.0.1:{port}/simple/a/", Cause.CONNECTION)
    _fails(_client(), "ftp://127.0.0.1/simple/a/", Cause.CONNECTION)
    _fails(_client(), "http://127.0.0.1:99999/simple/a/", Cause.CONNECTION)


def test_a_server_that_closes_an_idle_connection_is_retried(index: IndexServer) -> None:
    client = _client()
    client.get(index.page_url("alpha"))
    for conn in list(client._all):  # the server side closing the keep-alive connection
        assert conn.sock is not None
        conn.sock.shutdown(socket.SHUT_RDWR)
    assert client.get(index.page_url("beta")).status == 200


# -- redirects ---------------------------------------------------------------------------------


def test_a_redirect_on_the_same_host_is_followed(make_index: Make) -> None:
    index = make_index(redirects={"/simple/old/": "/mirror/alpha/", "/simple/abs/": "{base}/simple/beta/"})
    index.redirects["/simple/abs/"] = f"{index.base}/simple/beta/"
    client = _client()
    resp = client.get(index.page_url("old"))
    assert resp.status == 200 and b"alpha-1.0" in resp.body
    assert resp.url == f"{index.base}/mirror/alpha/"
    assert b"beta-1.0" in client.get(index.page_url("abs")).body
    assert index.requests == ["/simple/old/", "/mirror/alpha/", "/simple/abs/", "/simple/beta/"]


def test_a_redirect_to_another_port_over_http_is_refused(make_index: Make) -> None:
    other = make_index()
    index = make_index(redirects={"/simple/alpha/": f"http://user:pa55word@127.0.0.1:{other.port}/simple/alpha/"})
    detail = _fails(_client(), "http://u:s3cret@" + index.page_url("alpha")[7:], Cause.REDIRECT)
    assert f"127.0.0.1:{other.port}" in detail and "pa55word" not in detail and "s3cret" not in detail
    assert other.requests == []


def test_more_than_five_redirects_are_refused(make_index: Make) -> None:
    hops = {f"/simple/r{i}/": f"/simple/r{i + 1}/" for i in range(6)}
    index = make_index(redirects={**hops, "/simple/r6/": "/simple/alpha/"})
    assert "more than 5" in _fails(_client(), index.page_url("r0"), Cause.REDIRECT)
    assert len(index.requests) == 6
    five = {f"/simple/r{i}/": f"/simple/r{i + 1}/" for i in range(4)}  # r0 -> r4: four redirects
    ok = make_index(redirects={**five, "/simple/r4/": "/simple/alpha/"})  # and the fifth
    assert _client().get(ok.page_url("r0")).status == 200


def test_a_redirect_without_location_is_malformed(make_index: Make) -> None:
    index = make_index(redirects={"/simple/alpha/": ""})
    _fails(_client(), index.page_url("alpha"), Cause.MALFORMED)


def test_the_redirect_policy() -> None:
    named = target("http://idx.test:8080/simple/")
    assert redirect_allowed(named, target("https://cdn.test/x/"))
    assert redirect_allowed(named, target("http://idx.test:8080/other/"))
    assert not redirect_allowed(named, target("http://idx.test:8081/x/"))
    assert not redirect_allowed(named, target("http://cdn.test:8080/x/"))
    secure = target("https://idx.test/simple/")
    assert secure == Target("https", "idx.test", 443)
    assert not redirect_allowed(secure, target("http://idx.test/simple/"))  # a downgrade
    assert not redirect_allowed(secure, target("http://idx.test:443/simple/"))


def test_the_authorization_never_follows_to_another_host() -> None:
    named = target("https://idx.test/simple/")
    user = ("u", "p")
    netrc = {"cdn.test": ("n", "q")}
    assert next_auth(named, target("https://idx.test/other/"), user, netrc.get) == user  # same host: kept
    assert next_auth(named, target("https://evil.test/x/"), user, netrc.get) is None  # another host: dropped
    assert next_auth(named, target("https://cdn.test/x/"), user, netrc.get) == ("n", "q")  # its own netrc only


# -- credentials -------------------------------------------------------------------------------


def test_split_auth() -> None:
    assert split_auth("https://u%40x:p%3Aw@h.test/s/") == ("https://h.test/s/", ("u@x", "p:w"))
    assert split_auth("https://tok@h.test/s/") == ("https://h.test/s/", ("tok", ""))
    assert split_auth("https://h.test/s/") == ("https://h.test/s/", None)


def test_userinfo_credentials_reach_the_server_as_basic_auth(make_index: Make) -> None:
    index = make_index(auth=("user", "s3cret"))
    assert "s3cret" not in _fails(_client(), index.page_url("alpha"), Cause.STATUS)
    url = f"http://user:s3cret@127.0.0.1:{index.port}/simple/alpha/"
    assert _client().get(url).status == 200
    assert index.request_headers[-1]["authorization"] == "Basic dXNlcjpzM2NyZXQ="
    wrong = f"http://user:wr0ng-pass@127.0.0.1:{index.port}/simple/alpha/"
    detail = _fails(_client(), wrong, Cause.STATUS)
    assert "wr0ng" not in detail and detail == "127.0.0.1: HTTP 401"


def test_netrc_credentials(make_index: Make, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    index = make_index(auth=("nuser", "n3trc-pass"))
    netrc = tmp_path / ".netrc"
    netrc.write_text("machine 127.0.0.1 login nuser password n3trc-pass\n")
    netrc.chmod(0o600)
    assert _client().get(index.page_url("alpha")).status == 200  # ~/.netrc, HOME is tmp_path
    other = tmp_path / "other-netrc"
    other.write_text("machine 127.0.0.1 login nuser password wrong\n")
    monkeypatch.setenv("NETRC", str(other))
    assert "wrong" not in _fails(_client(), index.page_url("alpha"), Cause.STATUS)
    monkeypatch.delenv("NETRC")
    url = f"http://nuser:n3trc-pass@127.0.0.1:{index.port}/simple/alpha/"
    netrc.write_text("machine 127.0.0.1 login x password y\n")
    assert _client().get(url).status == 200  # the URL's userinfo wins over netrc


@pytest.mark.parametrize(
    "content",
    [
        b"machine 127.0.0.1 login",
        b"\xff\xfe\x00garbage",
        b"macro x\n",
        b'machine "unclosed',
        b"default login a password",
    ],
)
def test_a_broken_netrc_is_ignored(index: IndexServer, tmp_path: Path, content: bytes) -> None:
    (tmp_path / ".netrc").write_bytes(content)
    assert _client().get(index.page_url("alpha")).status == 200


def test_a_netrc_that_is_a_directory_is_ignored(index: IndexServer, tmp_path: Path) -> None:
    os.mkdir(tmp_path / ".netrc")
    assert _client().get(index.page_url("alpha")).status == 200
