"""RH011 parse-error."""

from __future__ import annotations

import re
from collections.abc import Iterator

from .._model import Entry, Finding, Issue, IssueKind, ParseError, Reason, Severity
from ._base import Context, Rule


def _option_error(issue: Issue) -> str:
    """optparse's (or shlex's) words for what does not parse, as pip prints them."""
    word = issue.text
    if issue.reason is Reason.UNSPLITTABLE:
        return f"pip cannot split the options ({word}); check the quotes"
    if issue.reason is Reason.AMBIGUOUS:
        return f"ambiguous option: {word} ({', '.join(issue.choices)}?)"
    if issue.reason is Reason.NEEDS_VALUE:
        return f"{word} option requires 1 argument"
    if issue.reason is Reason.TAKES_NO_VALUE:
        return f"{word} option does not take a value"
    return f"no such option: {word}"


def _hint(text: str) -> str:
    """What most likely went wrong in a requirement packaging refuses, or ""."""
    req = text.partition(";")[0].strip()
    if re.search(r"\s-", req) and not re.search(r" -", req):
        return " (pip splits the options off at a space only: put a space, not a tab, before the option)"
    if "${" in req:
        return " (it uses a ${VARIABLE} that pip expands at install time; its value is unknown here)"
    if "=" in req and "://" not in req and not any(op in req for op in ("==", ">=", "<=", "!=", "~=")):
        return " (= is not a valid operator; did you mean ==?)"
    return ""


def _entry_error(entry: Entry) -> str:
    if entry.error_kind is ParseError.MARKER:
        return f"invalid marker: {entry.error}"
    if entry.error_kind is not ParseError.EGG_FRAGMENT:
        return f"{entry.error}{_hint(entry.text)}"
    value = (entry.error or "").removeprefix("#egg=")
    if any(c in value for c in "=<>!~"):
        fix = "pip ignores a version in a URL's egg fragment anyway; remove it, or write `name @ URL`"
    elif "[" in value:
        fix = "write the extras as `name[extra] @ URL`"
    else:
        fix = "write `name @ URL` and drop the fragment"
    return (
        f"the egg fragment `#egg={value}` is not a project name alone; pip 25.0 and later refuse "
        f"the whole file (invalid-egg-fragment); {fix}"
    )


def _check_parse(ctx: Context) -> Iterator[Finding]:
    for node in ctx.nodes():
        assert node.file is not None
        # a parse error another finding names as its consequence is reported there (issue 18.5)
        folded = node.file.consequences
        for issue in node.file.issues:
            if issue.kind is IssueKind.OPTION_ERROR:
                message = f"pip cannot parse this line ({_option_error(issue)}) and refuses the whole file"
                yield ctx.finding(RULE, node, issue.span, message)
            elif issue.kind is IssueKind.STRAY_TEXT:
                message = (
                    f"pip silently ignores `{issue.text}` after the options; one requirement per line, "
                    "and options after the requirement"
                )
                yield ctx.finding(RULE, node, issue.span, message)
            elif issue.kind is IssueKind.LOCK_ERROR:  # pylock.toml: TOML or PEP 751
                where = f" (at `{issue.text}`)" if issue.text else ""
                message = f"invalid pylock.toml: {issue.value}{where}; pip refuses the whole file and installs nothing"
                yield ctx.finding(RULE, node, issue.span, message)
            elif issue.kind is IssueKind.STRAY_TOKEN:  # pip reads the file as it looks
                message = f"pip ignores the stray `{issue.text}` among the options; delete it"
                yield ctx.finding(RULE, node, issue.span, message, severity=Severity.WARNING)
        for entry in node.file.entries:
            span = entry.error_span or entry.span
            if entry.error is not None and span not in folded:
                message = f"invalid requirement `{entry.text}`: {_entry_error(entry)}"
                yield ctx.finding(RULE, node, span, message, entry=entry)


RULE = Rule(
    code="RH011",
    severity=Severity.ERROR,
    summary="A line pip cannot parse, or an `#egg=` fragment pip 25+ refuses; a stray token pip ignores (`(`) is a warning.",
    check=_check_parse,
    tags=("reliability",),
)
