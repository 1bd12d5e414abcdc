"""RH006 broken-continuation: every variant, anchored at the offending `\\`, comment, marker or character."""

from __future__ import annotations

import pytest

from ..conftest import H1, H2, H3
from .conftest import LintFn, pos


def test_backslash_after_last_hash_glues_the_next_entry(lint_text: LintFn) -> None:
    text = (
        f"six==1.16.0 \\\n    --hash=sha256:{H1} \\\n"  # the stray `\` is on line 2
        f"idna==3.7 \\\n    --hash=sha256:{H2}\n"
        f"certifi==2024.2.2 --hash=sha256:{H3}\n"
    )
    r = lint_text(text)
    assert r.at("RH006") == [(2, 84)]
    f = r.one("RH006")
    assert (f.span.end_line, f.span.end_column) == (2, 85)
    assert "idna==3.7" in f.message and "line 3" in f.message
    assert r.codes() == ["RH006"]  # idna is silently gone: nothing else to say about it


def test_glued_entry_after_a_single_line_entry(lint_text: LintFn) -> None:
    text = f"six==1.16.0 --hash=sha256:{H1} \\\nidna==3.7 --hash=sha256:{H2}\n"
    assert lint_text(text).at("RH006") == [pos(text, "\\")]


def test_comment_before_backslash_swallows_the_hash_lines(lint_text: LintFn) -> None:
    text = f"six==1.16.0 \\\n    --hash=sha256:{H1} # wheel \\\n    --hash=sha256:{H2} \\\n    --hash=sha256:{H3}\n"
    r = lint_text(text)
    assert r.at("RH006") == [pos(text, "# wheel")]
    assert "next 2 lines, up to line 4," in r.one("RH006").message


def test_comment_on_the_requirement_line_before_backslash(lint_text: LintFn) -> None:
    """Issue 18.5 (c): pip sees six with no hash at all; that is a consequence, not an RH002."""
    text = f"six==1.16.0  # pinned for py2 \\\n    --hash=sha256:{H1}\n"
    r = lint_text(text)
    assert r.codes() == ["RH006"]
    f = r.one("RH006")
    assert (f.span.line, f.span.column) == (1, 14)
    assert "left with no --hash" in f.message and f.message.endswith("move the comment to its own line")
    assert [(x.span.line, x.span.column, x.message) for x in f.related] == [
        (1, 1, "pip reads this requirement without the hashes the comment swallows")
    ]


def test_comment_after_a_hash_before_backslash_leaves_the_other_hashes(lint_text: LintFn) -> None:
    text = f"six==1.16.0 \\\n    --hash=sha256:{H1} # wheel \\\n    --hash=sha256:{H2}\n"
    r = lint_text(text)
    assert r.codes() == ["RH006"]
    assert r.one("RH006").related == ()  # six keeps a hash: nothing else goes wrong


def test_backslash_followed_by_whitespace(lint_text: LintFn) -> None:
    text = f"six==1.16.0 \\ \n    --hash=sha256:{H1}\n"
    r = lint_text(text)
    assert r.at("RH006") == [(1, 13)]
    assert "followed by whitespace" in r.one("RH006").message
    assert r.at("RH005") == []  # the hash line read on its own is a related location (issue 18.5)
    assert [x.span.line for x in r.one("RH006").related] == [1, 2]


def test_backslash_followed_by_a_tab(lint_text: LintFn) -> None:
    text = f"six==1.16.0 --hash=sha256:{H1} \\\t\nidna==3.7 --hash=sha256:{H2}\n"
    assert lint_text(text).at("RH006") == [(1, 92)]


def test_no_space_before_backslash_glues_tokens(lint_text: LintFn) -> None:
    text = f"six==1.16.0\\\n--hash=sha256:{H1}\n"
    r = lint_text(text)
    assert r.at("RH006") == [(1, 12)]
    f = r.one("RH006")
    assert "`six==1.16.0--hash=sha256:" in f.message
    # issue 18.5 (a): pip cannot parse the result, said once, with the requirement as related
    assert r.codes() == ["RH006"]
    assert "line 1 does not parse, so pip refuses the whole file" in f.message
    assert f.message.endswith("put a space before the `\\`")
    assert [(x.span.line, x.span.column) for x in f.related] == [(1, 1)]


def test_no_space_before_backslash_between_hashes(lint_text: LintFn) -> None:
    """Issue 18.5 (b): two hashes glued into one value: RH006 alone, the value as related."""
    text = f"six==1.16.0 \\\n    --hash=sha256:{H1}\\\n--hash=sha256:{H2}\n"
    r = lint_text(text)
    assert r.codes() == ["RH006"]
    f = r.one("RH006")
    assert (f.span.line, f.span.column) == (2, 83)
    assert "the glued --hash is one value that no file matches" in f.message
    assert [(x.span.line, x.span.column, x.span.end_line) for x in f.related] == [(2, 5, 3)]
    assert "HashMismatch" in f.related[0].message


def test_no_space_before_backslash_is_fine_when_next_line_is_indented(lint_text: LintFn) -> None:
    text = f"six==1.16.0\\\n    --hash=sha256:{H1}\\\n    --hash=sha256:{H2}\n"
    assert lint_text(text).codes() == []


def test_marker_after_hashes(lint_text: LintFn) -> None:
    text = f"tomli==2.0.1 \\\n    --hash=sha256:{H1} \\\n    ; python_version < '3.11'\n"
    r = lint_text(text)
    assert r.at("RH006") == [(3, 5)]
    assert "marker" in r.one("RH006").message


def test_marker_after_hash_on_one_line(lint_text: LintFn) -> None:
    text = f"tomli==2.0.1 --hash=sha256:{H1} ; python_version < '3.11'\n"
    assert lint_text(text).at("RH006") == [pos(text, "; python")]


def test_marker_before_hashes_is_fine(lint_text: LintFn) -> None:
    text = f"tomli==2.0.1 ; python_version < '3.11' \\\n    --hash=sha256:{H1}\n"
    assert lint_text(text).codes() == []


@pytest.mark.parametrize("ch", ["\x0c", "\x0b", "\u2028", "\u2029", "\x85", "\r", "\x1c"])
def test_line_breaking_character_inside_a_line(lint_text: LintFn, ch: str) -> None:
    text = f"# header\nsix==1.16.0 --hash=sha256:{H1}{ch}idna==3.7 --hash=sha256:{H2}\n"
    r = lint_text(text)
    assert r.at("RH006") == [(2, 91)]
    assert f"U+{ord(ch):04X}" in r.one("RH006").message


def test_line_breaking_character_before_blank_or_comment_text_is_harmless(lint_text: LintFn) -> None:
    text = f"six==1.16.0 --hash=sha256:{H1}\x0c\n# page\x0c# two\n\x0cidna==3.7 --hash=sha256:{H2}\x0c# note\n"
    assert lint_text(text).codes() == []


def test_line_breaking_character_inside_a_comment_line_fires(lint_text: LintFn) -> None:
    # regression: pip reads the text after the form feed as a line of its own (here, a
    # requirement it cannot parse), although an editor shows it as part of the comment
    text = "# generated\x0cdo not edit\n"
    r = lint_text(text)
    assert r.at("RH006") == [(1, 12)]
    assert r.at("RH011") == [(1, 13)]


def test_crlf_is_a_line_end_not_a_lone_cr(lint_text: LintFn) -> None:
    text = f"six==1.16.0 \\\r\n    --hash=sha256:{H1}\r\n"
    assert lint_text(text).codes() == []


def test_well_formed_pip_compile_output_is_clean(lint_text: LintFn) -> None:
    text = (
        "#\n# This file is autogenerated by pip-compile\n#\n"
        f"idna==3.7 \\\n    --hash=sha256:{H1} \\\n    --hash=sha256:{H2}\n    # via requests\n"
        f"six==1.16.0 \\\n    --hash=sha256:{H3}\n    # via -r requirements.in\n"
    )
    assert lint_text(text).codes() == []


@pytest.mark.parametrize(
    ("swallowed", "says"),
    [
        (1, "so pip reads line 2 as part of the comment and ignores it;"),
        (2, "so pip reads the next 2 lines, up to line 3, as part of the comment and ignores them;"),
    ],
)
def test_the_swallowed_lines_are_counted_in_plain_words(lint_text: LintFn, swallowed: int, says: str) -> None:
    """Issue 11.8: no "the next 1 line", no parentheses inside parentheses."""
    hashes = [f"    --hash=sha256:{h}" for h in (H1, H2)[:swallowed]]
    text = "six==1.16.0 # pinned \\\n" + " \\\n".join(hashes) + "\n"
    msg = lint_text(text).one("RH006").message
    assert says in msg
    assert "(" not in msg


@pytest.mark.parametrize("blank", ["\t", " ", "  \t"])
def test_whitespace_after_a_backslash_is_one_finding_with_its_consequences(lint_text: LintFn, blank: str) -> None:
    """Issue 18.5: one cause, one finding. pip refuses the file (line 1 reads `six==1.16.0 \\`)
    and would drop lines 2-3's hashes; those are related locations, not findings of their own."""
    text = f"six==1.16.0 \\{blank}\n    --hash=sha256:{H1} \\\n    --hash=sha256:{H2}\nidna==3.7 --hash=sha256:{H3}\n"
    r = lint_text(text)
    assert r.codes() == ["RH006"]
    f = r.one("RH006")
    assert (f.span.line, f.span.column) == (1, 13)
    assert "line 1 does not parse" in f.message and "lines 2 and 3" in f.message
    assert [(x.span.line, x.span.column) for x in f.related] == [(1, 1), (2, 5), (3, 5)]


def test_whitespace_after_a_backslash_on_a_hash_line(lint_text: LintFn) -> None:
    text = f"six==1.16.0 \\\n    --hash=sha256:{H1} \\ \n    --hash=sha256:{H2}\n"
    r = lint_text(text)
    assert r.codes() == ["RH006"]
    assert [x.span.line for x in r.one("RH006").related] == [2, 3]
