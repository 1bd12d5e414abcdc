"""The Simple API parsers: PEP 691 JSON and PEP 503 HTML pages to ServedFile tuples, and the
loopback index itself (real pip installs from it, and reads what the parsers read)."""

from __future__ import annotations

import html
import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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
                "dist-info-metadata": {"sha256": "AA"},
            },
            {"filename": "a-3.whl", "url": "/x/a-3.whl", "hashes": {}, "yanked": "bad build", "core-metadata": False},
            {
                "filename": "a-4.whl",
                "url": "a-4.whl",
                "hashes": {},
                "yanked": "",
                "core-metadata": None,
                "dist-info-metadata": True,
            },
            version="1.4",
        ),
        URL,
    )
    assert files[0] == ServedFile("a-1.whl", URL + "a-1.whl", {"sha256": "abcdef"}, None, "", {})
    assert files[1].url == "https://cdn.test/a-2.whl"  # credentials never kept
    assert files[1].metadata == {"sha256": "aa"}  # PEP 714's older key
    assert files[1].yanked is None
    assert files[2] == ServedFile("a-3.whl", "https://example.test/x/a-3.whl", {}, None, "bad build", None)
    assert files[3].yanked is None  # an empty reason in JSON is not yanked, for pip (Link.from_json)
    assert files[3].metadata == {}  # a null core-metadata falls back to the older key


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
    <a href="a-1.0.tar.gz#sha256=ABC" data-yanked="" data-core-metadata="true">a-1.0.tar.gz</a>
    <a href="../other/a-1.1.whl#egg=a&md5=ff" data-yanked="reason &lt;3" data-requires-python="&gt;=3.9">x</a>
    <a href="a-1.2.whl#SHA256=00" data-dist-info-metadata="sha256=CD" data-core-metadata="false">x</a>
    <a>no href</a><a href="https://user:pw@files.test/a-1.3.whl#sha512=00" data-yanked data-core-metadata>x</a>
    <a href="a-1.4.whl" data-core-metadata data-dist-info-metadata="sha256=EF">x</a>
    </body></html>"""
    files = parse_html(body, URL)
    assert files == (
        ServedFile("a-1.0.tar.gz", "https://files.test/base/a-1.0.tar.gz", {"sha256": "abc"}, None, "", {}),
        ServedFile("a-1.1.whl", "https://files.test/other/a-1.1.whl", {"md5": "ff"}, ">=3.9", "reason <3", None),
        # pip: hash names are lowercase only; "false" has no "=": metadata without hashes
        ServedFile("a-1.2.whl", "https://files.test/base/a-1.2.whl", {}, None, None, {}),
        # pip: an attribute without a value is absent (not yanked, no metadata)
        ServedFile("a-1.3.whl", "https://files.test/a-1.3.whl", {"sha512": "00"}, None, None, None),
        ServedFile("a-1.4.whl", "https://files.test/base/a-1.4.whl", {}, None, None, {"sha256": "ef"}),
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


# -- pip as the oracle: its own parser (pip._internal.index.collector.parse_links) -------------

_NAME = st.sampled_from(["sha256", "md5", "sha512", "SHA256", "blake2b", "egg"])
_HEX = st.text(alphabet="0123456789abcdefABCDEF", min_size=1, max_size=6)
_FRAGMENT = st.lists(st.tuples(_NAME, _HEX), max_size=2).map(lambda kv: "&".join(f"{k}={v}" for k, v in kv))
_HREF = st.builds(
    lambda path, frag: path + (f"#{frag}" if frag else ""),
    st.sampled_from(["a-1.0.tar.gz", "/files/a-1.0-py3-none-any.whl", "../x/a-2.whl", "https://cdn.test/p/a-3.zip"]),
    _FRAGMENT,
)
_VALUE = st.none() | st.sampled_from(["", "true", "false", "sha256=AB", "md5=cd", "nohash", "reason", ">=3.8"])
_ANCHOR = st.fixed_dictionaries(
    {"href": _HREF},
    optional={
        "data-yanked": _VALUE,
        "data-requires-python": _VALUE,
        "data-core-metadata": _VALUE,
        "data-dist-info-metadata": _VALUE,
    },
)


def _pip_links(body: bytes, ctype: str) -> list[object]:
    from pip._internal.index.collector import IndexContent, parse_links

    return list(parse_links(IndexContent(body, ctype, None, URL, cache_link_parsing=False)))  # pip caches by URL


def _as_pip_sees(f: ServedFile) -> tuple[object, ...]:
    from pip._internal.models.link import supported_hashes

    meta = None if f.metadata is None else supported_hashes(dict(f.metadata))
    return f.filename, f.hashes, f.requires_python, f.yanked, f.metadata is not None, meta


def _pip_sees(link: object) -> tuple[object, ...]:
    meta = link.metadata_file_data  # type: ignore[attr-defined]
    hashes = {k: v.lower() for k, v in link._hashes.items()}  # type: ignore[attr-defined]
    return (
        link.filename,  # type: ignore[attr-defined]
        hashes,
        link.requires_python,  # type: ignore[attr-defined]
        link.yanked_reason,  # type: ignore[attr-defined]
        meta is not None,
        None if meta is None or meta.hashes is None else {k: v.lower() for k, v in meta.hashes.items()},
    )


@settings(max_examples=60, deadline=None)
@given(anchors=st.lists(_ANCHOR, max_size=4))
def test_html_pages_read_as_pip_reads_them(anchors: list[dict[str, str | None]]) -> None:
    def tag(a: dict[str, str | None]) -> str:
        return "<a " + " ".join(k if v is None else f'{k}="{html.escape(v)}"' for k, v in a.items()) + ">x</a>"

    body = ("<html><body>" + "".join(tag(a) for a in anchors) + "</body></html>").encode()
    ours = [_as_pip_sees(f) for f in parse_html(body, URL)]
    theirs = [_pip_sees(link) for link in _pip_links(body, "text/html")]
    assert ours == theirs


_JSON_FILE = st.fixed_dictionaries(
    # lowercase names: an uppercase one is lowercased here on purpose (pip keeps it, unmatched)
    {
        "filename": st.just("a-1.0.tar.gz"),
        "url": _HREF,
        "hashes": st.dictionaries(_NAME.filter(str.islower), _HEX, max_size=2),
    },
    optional={
        "yanked": st.booleans() | st.sampled_from(["", "bad"]),
        "requires-python": st.sampled_from(["", ">=3.8"]),
        "core-metadata": st.none() | st.booleans() | st.just({"sha256": "AB"}),
        "dist-info-metadata": st.none() | st.booleans() | st.just({"md5": "cd"}),
    },
)


@settings(max_examples=60, deadline=None)
@given(files=st.lists(_JSON_FILE, max_size=3))
def test_json_pages_read_as_pip_reads_them(files: list[dict[str, object]]) -> None:
    body = json.dumps({"meta": {"api-version": "1.1"}, "name": "a", "files": files}).encode()
    ours = [_as_pip_sees(f._replace(filename=f.url.rsplit("/", 1)[-1].split("#")[0])) for f in parse_json(body, URL)]
    theirs = [_pip_sees(link) for link in _pip_links(body, "application/vnd.pypi.simple.v1+json")]
    assert ours == theirs
