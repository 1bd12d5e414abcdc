"""The Simple API parsers: PEP 691 JSON and PEP 503 HTML pages to ServedFile tuples, and the
loopback index itself (real pip installs from it, and reads what the parsers read)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from req_hashlint.index._model import ServedFile
from req_hashlint.index._simple import MalformedPage, page_url, parse, parse_html, parse_json

from .conftest import PROJECTS
from .server import Artifact, html_page, json_page, sdist, wheel

URL = "https://example.test/simple/alpha/"


def _page(*files: dict[str, object], version: object = "1.0") -> bytes:
    return json.dumps({"meta": {"api-version": version}, "name": "alpha", "files": list(files)}).encode()


def test_json_and_html_pages_of_the_same_files_agree() -> None:
    artifacts = [*PROJECTS["alpha"], *PROJECTS["beta"], *PROJECTS["gamma"]]
    from_json = parse_json(json_page("alpha", artifacts), URL)
    from_html = parse_html(html_page("alpha", artifacts), URL)
    assert from_json == from_html
    assert [f.filename for f in from_json] == [a.filename for a in artifacts]
    for f, a in zip(from_json, artifacts, strict=True):
        assert f.hashes == {"sha256": a.sha256}
        assert f.url == f"https://example.test/files/{a.filename}"  # absolute, against the page
        assert f.requires_python == a.requires_python
        assert f.yanked == a.yanked
        assert (f.metadata is None) == (a.metadata is None)
    assert from_json[1].requires_python == ">=3.8"
    assert from_json[2].yanked == "broken"
    assert from_json[-1].metadata is None  # the sdist: no PEP 658 file


def test_json_values_are_normalized() -> None:
    files = parse_json(
        _page(
            {
                "filename": "a-1.whl",
                "url": "a-1.whl",
                "hashes": {"SHA256": "ABCDEF"},
                "yanked": True,
                "core-metadata": True,
            },
            {
                "filename": "a-2.whl",
                "url": "https://u:pw@cdn.test/a-2.whl",
                "hashes": {},
                "data-dist-info-metadata": {"sha256": "AA"},
            },
            {"filename": "a-3.whl", "url": "/x/a-3.whl", "hashes": {}, "yanked": "bad build", "core-metadata": False},
            version="1.4",
        ),
        URL,
    )
    assert files[0] == ServedFile("a-1.whl", URL + "a-1.whl", {"sha256": "abcdef"}, None, "", {})
    assert files[1].url == "https://cdn.test/a-2.whl"  # credentials never kept
    assert files[1].metadata == {"sha256": "aa"}  # PEP 714's older key
    assert files[1].yanked is None
    assert files[2] == ServedFile("a-3.whl", "https://example.test/x/a-3.whl", {}, None, "bad build", None)


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"[]", "not a JSON object"),
        (b"{", "invalid JSON"),
        (b"\xff\xfe", "invalid JSON"),
        (b'{"meta": {"api-version": 1.0}, "files": []}', "not a string"),
        (b'{"files": []}', "no meta"),
        (_page(version="2.0"), "unsupported api-version"),
        (b'{"meta": {"api-version": "1.0"}, "files": {}}', "no files list"),
        (_page({"filename": "a", "url": "a"}), "no hashes"),
        (_page({"filename": "a", "url": "a", "hashes": []}), "not an object"),
        (_page({"filename": "a", "url": "a", "hashes": {"sha256": 1}}), "non-string"),
        (_page({"filename": 1, "url": "a", "hashes": {}}), "no filename"),
        (_page({"filename": "a", "url": "a", "hashes": {}, "yanked": 1}), "yanked"),
        (_page({"filename": "a", "url": "a", "hashes": {}, "requires-python": 3}), "requires-python"),
        (_page({"filename": "a", "url": "a", "hashes": {}, "core-metadata": "yes"}), "core-metadata"),
        (_page("a"), "not an object"),
        (
            b'{"meta": {"api-version": "1.0"}, "files": [{"filename": "a", "url": "a", "hashes": {"x": NaN}}]}',
            "invalid JSON",
        ),
    ],
)
def test_malformed_json_pages_give_a_short_reason(body: bytes, reason: str) -> None:
    with pytest.raises(MalformedPage, match=reason) as info:
        parse_json(body, URL)
    assert len(str(info.value)) < 80


def test_html_attributes_as_pip_reads_them() -> None:
    body = b"""<!DOCTYPE html><html><head><base href="https://files.test/base/">
    <meta name="pypi:repository-version" content="1.0"></head><body>
    <a href="a-1.0.tar.gz#SHA256=ABC" data-yanked data-core-metadata="true">a-1.0.tar.gz</a>
    <a href="../other/a-1.1.whl#md5=ff" data-yanked="reason &lt;3" data-requires-python="&gt;=3.9">x</a>
    <a href="a-1.2.whl" data-dist-info-metadata="sha256=CD" data-core-metadata="false">x</a>
    <a>no href</a><a href="https://user:pw@files.test/a-1.3.whl#sha512=00">x</a>
    </body></html>"""
    files = parse_html(body, URL)
    assert files == (
        ServedFile("a-1.0.tar.gz", "https://files.test/base/a-1.0.tar.gz", {"sha256": "abc"}, None, "", {}),
        ServedFile("a-1.1.whl", "https://files.test/other/a-1.1.whl", {"md5": "ff"}, ">=3.9", "reason <3", None),
        ServedFile("a-1.2.whl", "https://files.test/base/a-1.2.whl", {}, None, None, None),
        ServedFile("a-1.3.whl", "https://files.test/a-1.3.whl", {"sha512": "00"}, None, None, None),
    )


def test_html_of_an_unknown_major_version_or_not_utf8_is_malformed() -> None:
    with pytest.raises(MalformedPage, match="api-version"):
        parse_html(b'<meta name="pypi:repository-version" content="2.0"><a href="a.whl">a</a>', URL)
    with pytest.raises(MalformedPage, match="UTF-8"):
        parse_html(b"<a href='\xff'>x</a>", URL)


def test_parse_picks_the_parser_by_content_type() -> None:
    artifacts = PROJECTS["alpha"]
    assert parse(json_page("alpha", artifacts), URL, "application/vnd.pypi.simple.v1+json") == parse(
        html_page("alpha", artifacts), URL, "text/html; charset=utf-8"
    )
    assert parse(html_page("alpha", artifacts), URL, "application/vnd.pypi.simple.v1+html")
    for ctype in ("application/json", "text/plain", ""):
        with pytest.raises(MalformedPage):
            parse(json_page("alpha", artifacts), URL, ctype)


def test_page_url_normalizes_as_pip() -> None:
    assert page_url("https://i.test/simple", "Foo.Bar_baz") == "https://i.test/simple/foo-bar-baz/"
    assert page_url("https://i.test/simple/", "foo") == "https://i.test/simple/foo/"


def test_the_tiny_distributions_are_deterministic() -> None:
    assert wheel("alpha", "1.0") == wheel("alpha", "1.0")
    assert sdist("gamma", "1.0") == sdist("gamma", "1.0")
    assert wheel("alpha", "1.0").sha256 != wheel("alpha", "1.0", "cp311-cp311-win_amd64").sha256
    assert wheel("a", "1", serve_metadata=False).metadata is None


@pytest.mark.slow
def test_real_pip_installs_from_the_loopback_index(tmp_path: Path, make_index, pip_env: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    """The test index is a real index: pip resolves, checks the advertised hashes (with
    --require-hashes), installs a wheel and builds the sdist, and warns about the yanked pin."""
    index = make_index(allow_artifacts=True)
    beta: Artifact = PROJECTS["beta"][0]
    reqs = tmp_path / "r.txt"
    reqs.write_text(
        f"alpha==1.0 --hash=sha256:{PROJECTS['alpha'][0].sha256}\n"
        f"beta==1.0 --hash=sha256:{beta.sha256}\n"
        f"gamma==1.0 --hash=sha256:{PROJECTS['gamma'][0].sha256}\n"
    )
    cmd = [sys.executable, "-m", "pip", "install", "--target", str(tmp_path / "t"), "--index-url", index.url]
    cmd += ["--no-build-isolation", "--require-hashes", "-r", str(reqs)]
    done = subprocess.run(cmd, env=pip_env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "Reason for being yanked: broken" in done.stderr
    assert (tmp_path / "t" / "gamma").is_dir()
    assert all(not p.startswith("/files/") or p.endswith((".whl", ".tar.gz", ".metadata")) for p in index.requests)
