"""fetch(): one request per (index, project), concurrent and bounded, merged per index list in
pip's order; every failure an Unavailable with its Cause; never an artifact; bounded memory."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from req_hashlint.index._fetch import Stats, fetch
from req_hashlint.index._model import Cause, Page, Unavailable

from .conftest import PROJECTS
from .server import Artifact, IndexServer, wheel

Make = Callable[..., IndexServer]
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _no_user_netrc(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("NETRC", raising=False)


def _one(index: IndexServer | str, project: str, tmp_path: Path, **kw: object) -> Page | Unavailable:
    url = index if isinstance(index, str) else index.url
    return fetch({(url,): [project]}, cache_dir=str(tmp_path / "cache"), **kw)[((url,), project)]  # type: ignore[arg-type]


def test_pages_from_json_and_from_an_html_only_index_are_the_same(make_index: Make, tmp_path: Path) -> None:
    j, h = make_index(), make_index(json=False)
    got = fetch({(j.url,): ["alpha", "beta", "gamma"], (h.url,): ["alpha", "beta", "gamma"]}, cache_dir="")
    for name in ("alpha", "beta", "gamma"):
        pj, ph = got[((j.url,), name)], got[((h.url,), name)]
        assert isinstance(pj, Page) and isinstance(ph, Page)
        assert [f._replace(url="") for f in pj.files] == [f._replace(url="") for f in ph.files]
        assert [f.hashes["sha256"] for f in pj.files] == [a.sha256 for a in PROJECTS[name]]
    assert h.request_headers[0]["accept"].startswith("application/vnd.pypi.simple.v1+json")
    assert j.artifact_requests == [] and h.artifact_requests == []


def test_index_lists_are_merged_in_order_and_a_404_is_no_files(make_index: Make) -> None:
    first = make_index({"alpha": [wheel("alpha", "2.0")]})
    second = make_index()
    both = (first.url, second.url)
    got = fetch({both: ["alpha", "beta", "nope"], (second.url,): ["alpha"]}, cache_dir="")
    alpha = got[(both, "alpha")]
    assert isinstance(alpha, Page) and alpha.indexes == both
    assert [f.filename for f in alpha.files] == ["alpha-2.0-py3-none-any.whl", *(a.filename for a in PROJECTS["alpha"])]
    assert [f.url.startswith(first.base) for f in alpha.files] == [True, False, False]
    beta = got[(both, "beta")]
    assert isinstance(beta, Page) and len(beta.files) == 2  # 404 on the first index
    assert got[(both, "nope")] == Page("nope", both, ())  # 404 everywhere
    # one request per (index, project), though alpha is asked for in two lists
    assert sorted(second.page_requests) == ["/simple/alpha/", "/simple/beta/", "/simple/nope/"]


@pytest.mark.parametrize(
    ("variants", "cause", "detail"),
    [
        ({"status": {"alpha": 503}}, Cause.STATUS, "HTTP 503"),
        ({"status": {"alpha": 500}}, Cause.STATUS, "HTTP 500"),
        ({"status": {"alpha": 401}}, Cause.STATUS, "HTTP 401"),
        ({"malformed": ["alpha"]}, Cause.MALFORMED, "invalid JSON"),
        ({"bodies": {"alpha": b'{"meta": {"api-version": "2.0"}, "files": []}'}}, Cause.MALFORMED, "api-version"),
        ({"bodies": {"alpha": b"x"}, "content_types": {"alpha": "text/plain"}}, Cause.MALFORMED, "content type"),
        ({"huge": {"alpha": 5 * 1024 * 1024}}, Cause.TOO_LARGE, "bytes"),
        ({"delay": {"alpha": 0.6}}, Cause.TIMEOUT, "timed out"),
        ({"redirects": {"/simple/alpha/": "http://127.0.0.1:1/simple/alpha/"}}, Cause.REDIRECT, "refused"),
    ],
)
def test_any_failure_on_any_index_makes_the_project_unavailable(
    make_index: Make, tmp_path: Path, variants: dict[str, object], cause: Cause, detail: str
) -> None:
    good, bad = make_index(), make_index(**variants)
    got = fetch({(good.url, bad.url): ["alpha", "beta"]}, cache_dir=str(tmp_path), timeout=0.3, max_bytes=1024 * 1024)
    alpha = got[((good.url, bad.url), "alpha")]
    assert isinstance(alpha, Unavailable) and alpha.cause is cause and detail in alpha.detail, alpha
    assert alpha.detail.startswith("127.0.0.1: ") and len(alpha.detail) < 120
    assert isinstance(got[((good.url, bad.url), "beta")], Page)
    assert good.artifact_requests == bad.artifact_requests == []
    if cause is not Cause.TIMEOUT:  # a failure is not cached: the next run asks again
        stats = Stats()
        fetch({(bad.url,): ["alpha"]}, cache_dir=str(tmp_path), timeout=0.3, max_bytes=1024 * 1024, stats=stats)
        assert stats.requests == 1


def test_an_index_named_twice_serves_each_file_once(index: IndexServer) -> None:
    twice = (index.url, index.url.rstrip("/"))
    page = fetch({twice: ["alpha"]}, cache_dir="")[(twice, "alpha")]
    assert isinstance(page, Page) and len(page.files) == 2 and page.indexes == twice


def test_an_index_url_that_is_no_url(tmp_path: Path) -> None:
    for bad in ("not a url", "http://[::1/simple/", "http://h:port/simple/", "file:///srv/simple/"):
        got = fetch({(bad,): ["alpha"]}, cache_dir=str(tmp_path))[((bad,), "alpha")]
        assert isinstance(got, Unavailable) and got.cause is Cause.CONNECTION, got


def test_no_index_and_no_server(tmp_path: Path) -> None:
    got = fetch({(): ["alpha"]}, cache_dir="")
    assert got[((), "alpha")] == Unavailable("alpha", Cause.NO_INDEX, "no index to ask")
    dead = _one("http://127.0.0.1:1/simple/", "alpha", tmp_path)
    assert isinstance(dead, Unavailable) and dead.cause is Cause.CONNECTION


def test_credentials_are_redacted_from_indexes_and_details(make_index: Make, tmp_path: Path) -> None:
    index = make_index(auth=("user", "t0ps3cret"), status={"beta": 503})
    url = f"http://user:t0ps3cret@127.0.0.1:{index.port}/simple/"
    got = fetch({(url,): ["alpha", "beta"]}, cache_dir=str(tmp_path))
    alpha, beta = got[((url,), "alpha")], got[((url,), "beta")]
    assert isinstance(alpha, Page) and alpha.files
    assert alpha.indexes == (f"http://user:****@127.0.0.1:{index.port}/simple/",)
    assert isinstance(beta, Unavailable)
    assert "t0ps3cret" not in repr(list(got.values()))  # the keys are the caller's own URLs
    assert all(h.get("authorization") == "Basic dXNlcjp0MHBzM2NyZXQ=" for h in index.request_headers)


def test_netrc_credentials_reach_the_index(make_index: Make, tmp_path: Path) -> None:
    index = make_index(auth=("n", "netrc-pw"))
    (tmp_path / ".netrc").write_text("machine 127.0.0.1\n  login n\n  password netrc-pw\n")
    page = _one(index, "alpha", tmp_path)
    assert isinstance(page, Page) and page.files and "netrc-pw" not in repr(page)


def test_requests_are_concurrent_and_bounded(make_index: Make) -> None:
    names = [f"p{i}" for i in range(12)]
    index = make_index({n: [wheel(n, "1.0")] for n in names}, delay=0.05)
    got = fetch({(index.url,): names}, cache_dir="", workers=4)
    assert all(isinstance(p, Page) and p.files for p in got.values())
    assert index.max_in_flight == 4
    serial = make_index({n: [wheel(n, "1.0")] for n in names[:3]}, delay=0.02)
    fetch({(serial.url,): names[:3]}, cache_dir="", workers=1)
    assert serial.max_in_flight == 1


def test_gzip_pages(make_index: Make, tmp_path: Path) -> None:
    index = make_index(gzip=True)
    page = _one(index, "beta", tmp_path)
    assert isinstance(page, Page) and len(page.files) == 2


@pytest.mark.skipif(sys.platform == "win32", reason="resource is POSIX")
def test_a_numpy_sized_page_stays_under_80_mb(make_index: Make, tmp_path: Path) -> None:
    """4,000 files on one page (numpy has about that many): the fetching process, a fresh
    interpreter, peaks under 80 MB RSS. Not a timing test."""
    files = [
        Artifact(f"numpy-1.{i // 40}.{i % 40}-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl", b"%d" % i,
                 requires_python=">=3.9", metadata=b"m", yanked=None if i % 7 else "")
        for i in range(4000)
    ]  # fmt: skip
    index = make_index({"numpy": files, "other": PROJECTS["alpha"]})
    script = textwrap.dedent(f"""
        import json, resource, sys
        from req_hashlint.index._fetch import Stats, fetch
        stats = Stats()
        got = fetch({{({index.url!r},): ["numpy", "other"]}}, cache_dir={str(tmp_path)!r}, stats=stats, timeout=120)
        again = fetch({{({index.url!r},): ["numpy", "other"]}}, cache_dir={str(tmp_path)!r}, timeout=120)
        page = got[(({index.url!r},), "numpy")]
        assert again == got
        # this process's own peak: Linux's VmHWM (ru_maxrss keeps the forking parent's peak
        # across exec, which is pytest's on a Python whose subprocess forks)
        try:
            with open("/proc/self/status") as status:
                kb = next(int(ln.split()[1]) for ln in status if ln.startswith("VmHWM:"))
        except OSError:
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            kb = rss if sys.platform != "darwin" else rss // 1024
        print(json.dumps({{"files": len(page.files), "kb": kb,
                          "bytes": stats.bytes}}))
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO, timeout=300)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["files"] == 4000 and out["bytes"] > 1_000_000
    assert out["kb"] < 80 * 1024, out


def test_file_urls_resolve_against_the_page_after_redirects(make_index: Make, tmp_path: Path) -> None:
    page = {"meta": {"api-version": "1.0"}, "files": [{"filename": "p-1.whl", "url": "../../f/p-1.whl", "hashes": {}}]}
    index = make_index(bodies={"p": json.dumps(page).encode()}, redirects={"/simple/p/": "/deep/er/p/"})
    for _ in range(2):  # fetched, then from the cache (which keeps the final URL)
        got = _one(index, "p", tmp_path)
        assert isinstance(got, Page) and got.files[0].url == f"{index.base}/deep/f/p-1.whl"
    assert index.page_requests == ["/simple/p/", "/deep/er/p/"]
