"""The fix engine's seam: edits applied whole and in file order, and a hash block in the file's own style."""

from __future__ import annotations

from req_hashlint._fix import apply, hash_fix, hash_indent, hash_lines
from req_hashlint._lex import lex
from req_hashlint._model import Edit, Fix, Span

A, B, C = "sha256:" + "a" * 64, "sha256:" + "b" * 64, "sha256:" + "c" * 64


def fix(*edits: tuple[int, int, int, int, str]) -> Fix:
    return Fix("test", tuple(Edit(Span(*e[:4]), e[4]) for e in edits))


def test_edits_replace_their_spans_and_count_the_fixes() -> None:
    text = "abc\ndef\n"
    out, n = apply(text, [fix((2, 1, 2, 2, "D")), fix((1, 2, 1, 4, "BC"))])
    assert (out, n) == ("aBC\nDef\n", 2)


def test_a_whole_line_is_deleted_with_its_line_break_and_insertions_work() -> None:
    assert apply("a\nb\nc\n", [fix((2, 1, 3, 1, ""))]) == ("a\nc\n", 1)
    assert apply("a\nb", [fix((2, 1, 3, 1, ""))]) == ("a\n", 1)  # the last line, no final newline
    assert apply("a\n", [fix((1, 2, 1, 2, " x"))]) == ("a x\n", 1)


def test_an_overlapping_fix_is_skipped_whole_and_the_earlier_one_wins() -> None:
    first = fix((1, 1, 1, 3, "XY"))
    second = fix((1, 2, 1, 4, "??"), (2, 1, 2, 2, "!"))  # overlaps the first: its other edit is not made
    assert apply("abcd\nef\n", [second, first]) == ("XYcd\nef\n", 1)


def test_two_insertions_at_one_place_clash_and_a_fix_overlapping_itself_is_skipped() -> None:
    assert apply("ab\n", [fix((1, 2, 1, 2, "1")), fix((1, 2, 1, 2, "2"))]) == ("a1b\n", 1)
    assert apply("ab\n", [fix((1, 1, 1, 3, "x"), (1, 2, 1, 2, "y"))]) == ("ab\n", 0)
    # adjacent edits do not overlap
    assert apply("ab\n", [fix((1, 1, 1, 2, "A")), fix((1, 2, 1, 3, "B"))]) == ("AB\n", 2)


def test_a_fix_of_several_edits_applies_them_all() -> None:
    # a marker moved: deleted at the end, inserted in front
    text = "foo==1 --hash=x ;python_version<'4'\n"
    out, n = apply(text, [fix((1, 7, 1, 7, " ;python_version<'4'"), (1, 16, 1, 36, ""))])
    assert (out, n) == ("foo==1 ;python_version<'4' --hash=x\n", 1)


def test_crlf_stays_crlf_and_a_cr_is_not_a_column() -> None:
    text = "foo==1 \\\r\n    --hash=X\r\nbar==2\r\n"
    out, _ = apply(text, [fix((2, 18, 2, 18, " \\\n    --hash=Y")), fix((3, 1, 4, 1, ""))])
    assert out == "foo==1 \\\r\n    --hash=X \\\r\n    --hash=Y\r\n"
    lf, _ = apply("a\nb\n", [fix((1, 2, 1, 2, "\nc"))])
    assert lf == "a\nc\nb\n"


def test_edits_past_a_line_end_stop_at_it() -> None:
    assert apply("ab\ncd\n", [fix((1, 2, 1, 99, "Z"))]) == ("aZ\ncd\n", 1)
    assert apply("ab", [fix((5, 1, 6, 1, "!"))]) == ("ab!", 1)


def test_no_fixes_leave_the_text_as_it_is() -> None:
    assert apply("x\r\n", []) == ("x\r\n", 0)
    assert apply("x\n", [Fix("nothing", ())]) == ("x\n", 0)


def test_hash_lines_are_one_per_continuation_line() -> None:
    assert hash_lines([B, A], "    ") == f" \\\n    --hash={B} \\\n    --hash={A}"


def test_hash_indent_is_the_entrys_own_else_the_files_else_four_spaces() -> None:
    text = f"a==1\nb==1 \\\n  --hash={A}\nc==1 \\\n      --hash={B}\n"
    f = lex(text, "r.txt")
    a, _, c = f.entries
    assert hash_indent(f, c) == "      "
    assert hash_indent(f, a) == "  "  # the file's first entry with hash lines
    assert hash_indent(lex("a==1\nb==1 --hash=" + A + "\n", "r.txt")) == "    "


def test_hash_fix_replaces_the_hashes_keeping_the_marker_and_the_via_comment() -> None:
    text = f"foo==1.0 ; python_version >= '3.8' \\\n    --hash={C} \\\n    --hash={B}\n    # via bar\nbaz==2\n"
    f = lex(text, "r.txt")
    new = hash_fix(f, f.entries[0], [B, A], "refresh the hashes")
    assert new is not None
    out, n = apply(text, [new])
    assert n == 1
    assert out == f"foo==1.0 ; python_version >= '3.8' \\\n    --hash={A} \\\n    --hash={B}\n    # via bar\nbaz==2\n"
    again = lex(out, "r.txt")
    assert again.entries[0].hash_values == (A, B) and again.entries[0].marker == f.entries[0].marker


def test_hash_fix_adds_hashes_to_an_entry_without_and_keeps_a_one_line_entry_on_one_line() -> None:
    text = f"foo==1.0  # pinned\nbar==2 --hash={C}\n"
    f = lex(text, "r.txt")
    fixes = [hash_fix(f, e, [A], "add") for e in f.entries]
    out, n = apply(text, [x for x in fixes if x is not None])
    assert n == 2
    assert out == f"foo==1.0 \\\n    --hash={A}  # pinned\nbar==2 --hash={A}\n"
    assert [e.hash_values for e in lex(out, "r.txt").entries] == [(A,), (A,)]


def test_hash_fix_keeps_options_before_the_hashes_and_refuses_one_among_them() -> None:
    text = f"foo==1 --config-settings k=v --hash={A}\n"
    f = lex(text, "r.txt")
    new = hash_fix(f, f.entries[0], [B], "x")
    assert new is not None
    assert apply(text, [new])[0] == f"foo==1 --config-settings k=v --hash={B}\n"
    among = lex(f"foo==1 --hash={A} --config-settings k=v --hash={B}\n", "r.txt")
    assert hash_fix(among, among.entries[0], [C], "x") is None


def test_hash_fix_keeps_the_order_given_when_asked() -> None:
    text = f"foo==1 \\\n  --hash={C} \\\n  --hash={A} \\\n  --hash={C}\n"
    f = lex(text, "r.txt")
    new = hash_fix(f, f.entries[0], [C, A], "drop the repeat", ordered=True)
    assert new is not None
    assert apply(text, [new])[0] == f"foo==1 \\\n  --hash={C} \\\n  --hash={A}\n"


def test_the_safety_check_finds_the_harmful_fix_among_many_and_is_bounded() -> None:
    import time

    from req_hashlint._fix import fix_text

    n = 1000
    text = "".join(f"p{i}==1 --hash={A}\n" for i in range(n))
    width = len(f"p0==1 --hash={A}")

    def upper(i: int) -> Fix:  # harmless: p{i} -> P{i}
        return fix((i + 1, 1, i + 1, 2, "P"))

    def glue(i: int) -> Fix:  # harmful: joins the next entry onto this one
        return fix((i + 1, width + len(str(i)), i + 1, width + len(str(i)), " \\"))

    # (an entry a fix edits is that fix's to change: the glued entry, p1003, is not one of them)
    out, applied = fix_text(text, "r.txt", [*map(upper, range(0, n, 4)), glue(502)])
    assert applied == n // 4 and out.count("\nP") == n // 4 - 1 and " \\" not in out
    start = time.perf_counter()
    out, applied = fix_text(text, "r.txt", [glue(i) for i in range(0, n - 1, 2)])  # every one harmful
    assert (out, applied) == (text, 0)
    assert time.perf_counter() - start < 20  # at most MAX_CHECKS lexes, not one per fix


def test_the_diff_splits_at_lf_only_and_marks_a_missing_final_newline() -> None:
    from req_hashlint._fix import unified

    assert unified("r.txt", "a\x0cb\nc", "a\x0cb\nC") == (
        "--- a/r.txt\n+++ b/r.txt\n@@ -1,2 +1,2 @@\n a\x0cb\n-c\n\\ No newline at end of file\n+C\n"
        "\\ No newline at end of file\n"
    )
    assert unified("r.txt", "x\n", "x\n") == ""
