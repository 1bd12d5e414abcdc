"""RH006 broken-continuation."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator

from .._graph import Node
from .._model import Consequence, Edit, Finding, Fix, Issue, IssueKind, Related, Severity, Span
from ._base import Context, Rule

# what each consequence of a broken continuation is, where it happens (SARIF relatedLocations)
_EFFECTS = {
    Consequence.UNPARSED_REQUIREMENT: "pip reads the `\\` as part of this requirement, which does not parse",
    Consequence.UNPARSED_OPTIONS: "pip reads the `\\` as part of these options, which do not parse",
    Consequence.DROPPED_HASH: "pip reads this --hash on a line with no requirement and drops it",
    Consequence.GLUED_HASH: "pip reads this --hash and the next as one value, which no file matches (HashMismatch)",
    Consequence.LOST_HASHES: "pip reads this requirement without the hashes the comment swallows",
}


def _lines(lines: list[int]) -> str:
    return " and ".join(", ".join(map(str, lines)).rsplit(", ", 1))


def _message(issue: Issue) -> str:
    kind = issue.kind
    if kind is IssueKind.GLUED_ENTRY:
        return (
            f"this `\\` joins line {issue.lines[0]} onto the requirement above, so pip silently drops "
            f"`{issue.text}` and gives its hashes to the requirement above; remove the `\\` after the last --hash"
        )
    if kind is IssueKind.COMMENT_BEFORE_CONTINUATION:
        n, last = len(issue.lines), issue.lines[-1]
        what = (
            f"line {last} as part of the comment and ignores it"
            if n == 1
            else f"the next {n} lines, up to line {last}, as part of the comment and ignores them"
        )
        cause = f"this comment comes before the `\\`, so pip reads {what}"
        fix = "move the comment to its own line"
    elif kind is IssueKind.BACKSLASH_WHITESPACE:
        cause = (
            "the `\\` is followed by whitespace, so pip does not continue the line and reads the next line on its own"
        )
        fix = ""
    elif kind is IssueKind.GLUED_TOKENS:
        left, right = issue.text, issue.value
        cause = f"no space before this `\\`, so pip glues `{left}` and `{right}` into `{left}{right}`"
        fix = "put a space before the `\\`"
    elif kind is IssueKind.MARKER_AFTER_OPTIONS:
        return (
            "the environment marker comes after the options, so pip drops it and installs the requirement "
            "everywhere; move `; marker` before the first --hash"
        )
    else:  # LINE_BREAK_CHAR
        return (
            f"pip starts a new line at the invisible character U+{ord(issue.text):04X}, so the text after it is "
            "read as a separate line"
        )
    kinds = {e.kind for e in issue.effects}
    parts = []
    if kinds & {Consequence.UNPARSED_REQUIREMENT, Consequence.UNPARSED_OPTIONS}:
        parts.append(f"line {issue.span.line} does not parse, so pip refuses the whole file")
    if Consequence.GLUED_HASH in kinds:
        parts.append("the glued --hash is one value that no file matches")
    dropped = sorted({e.span.line for e in issue.effects if e.kind is Consequence.DROPPED_HASH})
    if len(dropped) == 1:
        parts.append(f"the --hash on line {dropped[0]} belongs to no requirement")
    elif dropped:
        parts.append(f"the hashes on lines {_lines(dropped)} belong to no requirement")
    if Consequence.LOST_HASHES in kinds:
        parts.append("so the requirement is left with no --hash, which pip refuses in hash-checking mode")
    return "; ".join(filter(None, [cause, *parts, fix]))


_KINDS = frozenset(
    {
        IssueKind.GLUED_ENTRY,
        IssueKind.COMMENT_BEFORE_CONTINUATION,
        IssueKind.BACKSLASH_WHITESPACE,
        IssueKind.GLUED_TOKENS,
        IssueKind.MARKER_AFTER_OPTIONS,
        IssueKind.LINE_BREAK_CHAR,
    }
)


def _check_continuation(ctx: Context) -> Iterator[Finding]:
    firsts: dict[str, list[int]] = {}  # per file: the first line of each entry
    for node, issue in ctx.issues(*_KINDS):
        related = tuple(Related(e.span, _EFFECTS[e.kind]) for e in issue.effects)
        yield ctx.finding(RULE, node, issue.span, _message(issue), related=related, fix=_fix(ctx, node, issue, firsts))


def _fix(ctx: Context, node: Node, issue: Issue, firsts: dict[str, list[int]]) -> Fix | None:
    """Three of the causes are mechanical to repair; the others need a person to decide."""
    s, kind = issue.span, issue.kind
    line = ctx.line(node, s.line)
    if kind is IssueKind.GLUED_ENTRY:  # remove the `\` (and the blanks before it)
        keep = len(line[: s.column - 1].rstrip())
        return Fix(
            "remove the `\\` that joins the next requirement",
            (Edit(Span(s.line, keep + 1, s.line, len(line) + 1), ""),),
        )
    if kind is IssueKind.BACKSLASH_WHITESPACE and not line[s.end_column - 1 :].strip():
        if not ctx.line(node, s.line + 1).lstrip().startswith("--hash"):
            return None  # joining the next line would change more than this entry
        return Fix("remove the blanks after the `\\`", (Edit(Span(s.line, s.end_column, s.line, len(line) + 1), ""),))
    if kind is IssueKind.MARKER_AFTER_OPTIONS and s.end_line == s.line:
        assert node.file is not None
        if node.abspath not in firsts:
            firsts[node.abspath] = [e.first_line for e in node.file.entries]
        i = bisect_right(firsts[node.abspath], s.line) - 1
        entry = node.file.entries[i] if i >= 0 else None
        if entry is None or entry.last_line < s.line or entry.marker is not None or entry.error is not None:
            return None
        marker, before = line[s.column - 1 : s.end_column - 1], line[: s.column - 1]
        if any(word.startswith("-") for word in marker.split()):  # options among its words: not one marker
            return None
        if before.strip() or s.line == entry.first_line:  # the marker and blanks before it go
            cut = Span(s.line, len(before.rstrip()) + 1, s.line, s.end_column)
        else:  # a line of its own: it goes with the `\` that joins it
            above = ctx.line(node, s.line - 1)
            cut = Span(s.line - 1, len(above.rstrip().rstrip("\\").rstrip()) + 1, s.line, s.end_column)
        at = Span(entry.span.end_line, entry.span.end_column, entry.span.end_line, entry.span.end_column)
        return Fix("move the marker in front of the first --hash", (Edit(at, f" {marker}"), Edit(cut, "")))
    return None


RULE = Rule(
    code="RH006",
    severity=Severity.ERROR,
    summary=(
        "A `\\` or a marker that pip reads differently from how it looks; reported once, where the cause "
        "is, with what it makes pip do on other lines in its message (and as SARIF related locations)."
    ),
    check=_check_continuation,
    tags=("supply-chain", "reliability"),
    fixable=True,
)
