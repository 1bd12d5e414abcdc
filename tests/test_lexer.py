"""The lexer: every token's position, pip 26's reading of the format, and a spot check against pip.

The full differential harness lives in tests/fidelity/; this file keeps a small, fast sample.
"""

from __future__ import annotations

import codecs
import logging
import re
from pathlib import Path

import pytest

from req_hashlint._lex import lex
from req_hashlint._model import EntryKind, Issue, IssueKind, ReqFile, Span
from req_hashlint._source import ReadError, decode

from .conftest import H1, H2, H3

WHEEL = "https://files.example.com/packages/six-1.16.0-py2.py3-none-any.whl"


def one(text: str) -> ReqFile:
    return lex(text, "requirements.txt")


def line_lengths(text: str) -> list[int]:
    """Code points per line, lines ending at LF (a CR before it, or at the very end, is no part).

    An empty file is one empty line, as editors show it.
    """
    raw = text.split("\n")
    if len(raw) > 1 and raw[-1] == "":
        raw.pop()
    return [len(ln) - ln.endswith("\r") for ln in raw]


def kinds(f: ReqFile) -> list[IssueKind]:
    return [i.kind for i in f.issues]


def issue(f: ReqFile, kind: IssueKind) -> Issue:
    found = [i for i in f.issues if i.kind is kind]
    assert len(found) == 1, f.issues
    return found[0]


# -- positions ----------------------------------------------------------------------------


def test_entry_spans_and_lines_over_a_continuation() -> None:
    text = f"# c\n\n  six==1.16.0 \\\n    --hash=sha256:{H1} \\\n    --hash sha256:{H2}\n"
    f = one(text)
    (e,) = f.entries
    assert e.span == Span(3, 3, 3, 14)
    assert (e.first_line, e.last_line) == (3, 5)
    assert [h.span for h in e.hashes] == [Span(4, 5, 4, 83), Span(5, 5, 5, 83)]
    assert [(h.algo, h.digest, h.has_colon) for h in e.hashes] == [("sha256", H1, True), ("sha256", H2, True)]
    assert line_lengths(text) == [3, 0, 15, 84, 82]


def test_requirement_span_ends_at_the_requirement_text() -> None:
    (e,) = one(f"six[socks] == 1.16.0 ; python_version < '3.11' --hash=sha256:{H1}\n").entries
    assert e.span == Span(1, 1, 1, 47)
    assert e.text == "six[socks] == 1.16.0 ; python_version < '3.11'"


def test_columns_count_code_points() -> None:
    text = f"# caf\u00e9 \u2603\nsix==1.16.0 --hash=sha256:{H1}  # \u00e9\u00e9 \U0001f600\nidna>=3\n"
    assert one(text).entries[0].hashes[0].span.column == 13
    assert line_lengths(text)[0] == 8  # code points, not bytes


def test_option_and_include_spans() -> None:
    f = one("--index-url https://pypi.org/simple\n-rbase.txt\n  --constraint=c.txt\n-i https://x/simple\n")
    assert [(o.name, o.value, o.written, o.span) for o in f.options] == [
        ("--index-url", "https://pypi.org/simple", "--index-url", Span(1, 1, 1, 36)),
        ("--index-url", "https://x/simple", "-i", Span(4, 1, 4, 20)),
    ]
    assert [(i.kind, i.target, i.span) for i in f.includes] == [
        ("-r", "base.txt", Span(2, 1, 2, 11)),
        ("-c", "c.txt", Span(3, 3, 3, 21)),
    ]


def test_crlf_ends_lines_and_is_not_part_of_tokens() -> None:
    text = f"six==1.16.0 \\\r\n    --hash=sha256:{H1}\r\nidna==3.7\r\n"
    f = one(text)
    assert [e.text for e in f.entries] == ["six==1.16.0", "idna==3.7"]
    assert f.entries[0].hashes[0].digest == H1
    assert f.entries[1].span == Span(3, 1, 3, 10)
    assert line_lengths(text) == [13, 82, 9]


def test_no_final_newline() -> None:
    assert one("six==1.16.0").entries[0].span == Span(1, 1, 1, 12)
    assert line_lengths("six==1.16.0") == [11]


# -- pip's reading: continuations, comments, option scoping ---------------------------------


def test_comment_needs_whitespace_before_the_hash_sign() -> None:
    f = one("six==1.16.0 # a comment\nidna==3.7#fragment-like\n")
    assert [e.text for e in f.entries] == ["six==1.16.0", "idna==3.7#fragment-like"]
    assert f.entries[1].error is not None


def test_comment_line_ends_a_continuation_and_joins_it() -> None:
    f = one(f"six==1.16.0 \\\n  # via foo\n  --hash=sha256:{H1}\n")
    assert f.entries[0].hashes == ()
    assert (f.entries[0].first_line, f.entries[0].last_line) == (1, 2)
    assert kinds(f) == [IssueKind.DANGLING_HASH]


def test_backslashes_are_stripped_from_both_ends_of_continued_lines_like_pip() -> None:
    # pip: line.strip("\\") on a line that ends with `\`; the last line is kept as it is
    f = one(f"six==1.16.0 \\\n\\--hash=sha256:{H1} \\\n\\--hash=sha256:{H2}\n")
    # the last line keeps its `\`, but shlex reads `\-` in the options as `-`
    assert [h.digest for h in f.entries[0].hashes] == [H1, H2]


def test_glued_tokens_across_a_backslash() -> None:
    f = one(f"six==1.16.0\\\n--hash=sha256:{H1}\n")
    assert f.entries[0].text == f"six==1.16.0--hash=sha256:{H1}"
    assert issue(f, IssueKind.GLUED_TOKENS).span == Span(1, 12, 1, 13)


def test_glued_entry_is_dropped_like_pip_does() -> None:
    f = one(f"six==1.16.0 --hash=sha256:{H1} \\\nidna==3.7 --hash=sha256:{H2}\n")
    assert [e.name for e in f.entries] == ["six"]
    assert [h.digest for h in f.entries[0].hashes] == [H1, H2]
    assert issue(f, IssueKind.GLUED_ENTRY).span == Span(1, 92, 1, 93)


def test_hash_forms_and_optparse_spellings() -> None:
    f = one(f"six==1.16.0 --hash=sha256:{H1} --hash sha256:{H2} --has='sha256:{H3}' --ha \"sha384:{'ab' * 48}\" -- \n")
    assert [h.value for h in f.entries[0].hashes] == [
        f"sha256:{H1}",
        f"sha256:{H2}",
        f"sha256:{H3}",
        f"sha384:{'ab' * 48}",
    ]
    assert [h.span.column for h in f.entries[0].hashes] == [13, 92, 171, 251]


def test_hash_without_colon() -> None:
    (h,) = one(f"six==1.16.0 --hash={H1}\n").entries[0].hashes
    assert (h.algo, h.digest, h.has_colon) == ("", "", False)


def test_env_var_references_are_kept_verbatim() -> None:
    f = one("six==1.16.0 --hash=sha256:${SIX_SHA}\nhttps://${HOST}/six-1.16.0-py2.py3-none-any.whl\n")
    assert f.entries[0].hashes[0].digest == "${SIX_SHA}"
    assert f.entries[1].url == "https://${HOST}/six-1.16.0-py2.py3-none-any.whl"


def test_global_options_only_on_option_lines() -> None:
    f = one(f"--pre\nsix==1.16.0 --pre --hash=sha256:{H1}\n--require-hashes\n")
    assert [o.name for o in f.options] == ["--pre", "--require-hashes"]
    assert f.require_hashes_option
    assert [o.name for o in f.entries[0].options] == ["--pre"]
    assert issue(f, IssueKind.IGNORED_OPTION).span == Span(2, 13, 2, 18)


def test_marker_after_options_is_not_a_marker() -> None:
    f = one(f"six==1.16.0 --hash=sha256:{H1} ; python_version < '3'\n")
    assert f.entries[0].marker is None
    assert issue(f, IssueKind.MARKER_AFTER_OPTIONS).span == Span(1, 92, 1, 114)


@pytest.mark.parametrize("ch", ["\x0c", "\x0b", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029", "\r"])
def test_pip_splits_lines_where_editors_do_not(ch: str) -> None:
    text = f"six==1.16.0{ch}idna==3.7\nurllib3==2.2.0\n"
    f = one(text)
    assert [(e.name, e.first_line) for e in f.entries] == [("six", 1), ("idna", 1), ("urllib3", 2)]
    assert len(line_lengths(text)) == 2
    assert issue(f, IssueKind.LINE_BREAK_CHAR).span == Span(1, 12, 1, 13)


# -- what a requirement is -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind", "name", "version", "url_hash"),
    [
        ("six==1.16.0", EntryKind.NAMED, "six", "1.16.0", None),
        ("Six == 1.16.0", EntryKind.NAMED, "Six", "1.16.0", None),
        ("six===1.16.0", EntryKind.NAMED, "six", "1.16.0", None),
        ("six==1.*", EntryKind.NAMED, "six", None, None),
        ("torch==2.4.1+cpu", EntryKind.NAMED, "torch", "2.4.1+cpu", None),
        ("six>=1,<2", EntryKind.NAMED, "six", None, None),
        (WHEEL, EntryKind.URL, "six", "1.16.0", None),
        (f"{WHEEL}#sha256={H1}", EntryKind.URL, "six", "1.16.0", ("sha256", H1)),
        (
            f"six @ https://example.com/six-1.16.0.tar.gz#sha512={'a' * 128}",
            EntryKind.URL,
            "six",
            None,
            ("sha512", "a" * 128),
        ),
        ("git+https://github.com/org/lib@v1#egg=lib", EntryKind.VCS, "lib", None, None),
        ("lib@ git+https://github.com/org/lib@0123abc", EntryKind.VCS, "lib", None, None),
        ("./dist/pkg-1.0.tar.gz", EntryKind.PATH, None, None, None),
        ("dist\\pkg-1.0-py3-none-any.whl", EntryKind.PATH, "pkg", "1.0", None),
        ("./vendor/pkg", EntryKind.DIRECTORY, None, None, None),
        (".", EntryKind.DIRECTORY, None, None, None),
        ("file:///srv/pkg", EntryKind.DIRECTORY, None, None, None),
        ("file:///srv/pkg-1.0.zip", EntryKind.URL, None, None, None),
    ],
)
def test_classification(
    text: str, kind: EntryKind, name: str | None, version: str | None, url_hash: tuple[str, str] | None
) -> None:
    (e,) = one(f"{text}\n").entries
    assert (e.kind, e.name, e.version, e.url_hash, e.error) == (kind, name, version, url_hash, None)


@pytest.mark.parametrize(
    ("line", "text", "url"),
    [
        ("-e .", ".", None),
        ("-e./pkg", "./pkg", None),
        ("--editable=./pkg", "./pkg", None),
        ("--edit ./pkg", "./pkg", None),
        (
            "-e git+https://github.com/org/lib#egg=lib",
            "git+https://github.com/org/lib#egg=lib",
            "git+https://github.com/org/lib#egg=lib",
        ),
        ("-e '.[dev]'", ".[dev]", None),
    ],
)
def test_editable_forms(line: str, text: str, url: str | None) -> None:
    (e,) = one(f"{line}\n").entries
    assert (e.kind, e.text, e.url) == (EntryKind.EDITABLE, text, url)
    assert e.span.column == 1 and e.span.end_column == len(line) + 1


def test_url_marker_needs_semicolon_space() -> None:
    # pip splits a URL's marker at "; " only; a bare ";" stays part of the URL
    spaced, glued = one(f"{WHEEL}; python_version < '3'\n{WHEEL};python_version<'3'\n").entries
    assert (spaced.url, spaced.marker) == (WHEEL, 'python_version < "3"')
    assert (glued.url, glued.marker) == (f"{WHEEL};python_version<'3'", None)


def test_named_marker_splits_at_any_semicolon() -> None:
    (e,) = one("six==1.16.0;python_version<'3.11'\n").entries
    assert (e.version, e.marker) == ("1.16.0", 'python_version < "3.11"')


def test_names_are_pep503_normalized_in_the_key() -> None:
    (e,) = one("Zope_Interface.Extra==6.0\n").entries
    assert (e.name, e.key) == ("Zope_Interface.Extra", "zope-interface-extra")


# -- suppressions ----------------------------------------------------------------------------


def test_suppressions_cover_every_physical_line_of_the_entry() -> None:
    f = one(f"a==1 \\\n  --hash=sha256:{H1}  # req-hashlint: ignore[RH004, missing-hash]\nb==1\n")
    assert f.suppressions == {1: frozenset({"RH004", "MISSING-HASH"}), 2: frozenset({"RH004", "MISSING-HASH"})}


def test_bare_suppression_wins_over_codes() -> None:
    f = one(f"a==1 \\\n  --hash=sha256:{H1} \\\n  # req-hashlint: ignore[RH004]\n  # req-hashlint: ignore\n")
    assert f.suppressions[1] == frozenset({"RH004"})  # the second comment line is its own line
    assert 4 not in f.suppressions or f.suppressions[4] == frozenset()


# -- decoding (pip's BOM / PEP 263 / UTF-8) --------------------------------------------------


@pytest.mark.parametrize(
    ("data", "text"),
    [
        (codecs.BOM_UTF8 + b"six\n", "six\n"),
        (codecs.BOM_UTF16_LE + "six\n".encode("utf-16-le"), "six\n"),
        (codecs.BOM_UTF16_BE + "six\n".encode("utf-16-be"), "six\n"),
        (codecs.BOM_UTF32_LE + "six\n".encode("utf-32-le"), "six\n"),
        ("# -*- coding: latin-1 -*-\n# caf\xe9\n".encode("latin-1"), "# -*- coding: latin-1 -*-\n# caf\xe9\n"),
        ("#!x\n# coding=cp1252\n# \u20ac\n".encode("cp1252"), "#!x\n# coding=cp1252\n# \u20ac\n"),
        ("# caf\u00e9\n".encode(), "# caf\u00e9\n"),
    ],
)
def test_decode(data: bytes, text: str) -> None:
    assert decode(data) == text


@pytest.mark.parametrize(
    "data",
    [b"\xff\xfe\x00\xd8", b"six\x00", b"# caf\xe9\n", b"# coding: klingon\n", b"six  # coding: latin-1\n\xe9"],
)
def test_decode_refuses(data: bytes) -> None:
    with pytest.raises(ReadError):
        decode(data)


# -- spot check against pip 26's own parser ---------------------------------------------------

PIP_CASES = [
    f"six==1.16.0 \\\n    --hash=sha256:{H1} \\\nidna==3.7 \\\n    --hash=sha256:{H2}\n",
    f"six==1.16.0 \\\n    --hash=sha256:{H1} # c \\\n    --hash=sha256:{H2}\n",
    f"six==1.16.0 \\ \n    --hash=sha256:{H1}\n",
    f"six==1.16.0 --hash sha256:{H1} --ha='sha256:{H2}'\n",
    f"six==1.16.0 ; python_version < '3.11' --hash=sha256:{H1}\n",
    f"six==1.16.0 --hash=sha256:{H1} ; python_version < '3.11'\n",
    f"{WHEEL}; python_version<'3' --hash=sha256:{H1}\n",
    f"six @ https://example.com/six-1.16.0.tar.gz ; python_version<'3' --hash=sha256:{H1}\n",
    f"requests[socks,security]==2.31.0;python_version>='3.8' --hash=sha256:{H1}\n",
    "six===1.16.0\nsix==1.*\ntorch==2.4.1+cpu\nfoo >= 1.0, < 2 ; sys_platform == 'win32'\n",
    f"six==1.16.0 \\\r\n    --hash=sha256:{H1}\r\nidna==3.7\r\n",
    f"# comment\n\nsix==1.16.0 \\\n  # interrupt\n  --hash=sha256:{H1}\n",
    f"zope.interface==6.0 \\\n    --hash=sha256:{H1}\\\n    --hash=sha256:{H2}\\\n    # via x\nnext==1\n",
    "-e git+https://github.com/org/lib@v1#egg=lib\n--pre\nDjango >= 1.11.16 , < 2\n",
    f"six==1.16.0 --pre --hash=sha256:{H1} -C k=v\n--index-url https://pypi.org/simple\nidna==3.7\n",
    f"\\\\six==1.16.0 \\\n\\\\--hash=sha256:{H1}\\\\\n",
    f"six==1.16.0 \\\n\\--hash=sha256:{H1} \\\n\\--hash=sha256:{H2}\n",
    "six==1.16.0 # x \\\nidna==3.7\n",
]


def _pip_view(path: Path) -> list[tuple[str | None, str, str | None, list[str], int]]:
    from pip._internal.network.session import PipSession
    from pip._internal.req.constructors import install_req_from_parsed_requirement
    from pip._internal.req.req_file import parse_requirements
    from pip._vendor.packaging.utils import canonicalize_name

    out = []
    for pr in parse_requirements(str(path), PipSession(), finder=None):
        ir = install_req_from_parsed_requirement(pr)
        spec = str(ir.req.specifier) if ir.req else ""
        hashes = sorted(f"{algo}:{d}" for algo, ds in (pr.options or {}).get("hashes", {}).items() for d in ds)
        m = re.search(r"\(line (\d+)\)", pr.comes_from)
        assert m
        name = canonicalize_name(ir.name) if ir.name else None
        out.append((name, spec, str(ir.markers) if ir.markers else None, hashes, int(m.group(1))))
    return out


def _our_view(text: str) -> list[tuple[str | None, str, str | None, list[str], int]]:
    out = []
    for e in lex(text, "r.txt").entries:
        spec = e.specifier
        if e.kind is EntryKind.URL and not e.specifier and e.version and " @" not in e.text and "@ " not in e.text:
            spec = f"=={e.version}"  # pip pins a bare wheel URL to its file name's version
        out.append((e.key, spec, e.marker, sorted(h.value for h in e.hashes), e.first_line))
    return out


@pytest.mark.parametrize("text", PIP_CASES, ids=[f"case{i}" for i in range(len(PIP_CASES))])
def test_logical_view_matches_pip(text: str, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.ERROR)
    path = tmp_path / "r.txt"
    path.write_bytes(text.encode())
    ours = [v for v, e in zip(_our_view(text), lex(text, "r.txt").entries, strict=True) if e.error is None]
    try:
        pips = _pip_view(path)
    except Exception:  # pip refuses the file; so must we (some entry has an error)
        assert any(e.error for e in lex(text, "r.txt").entries)
        return
    assert ours == pips
