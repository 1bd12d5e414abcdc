"""RH009 ignored-option."""

from __future__ import annotations

from collections.abc import Iterator

from .._model import Finding, Issue, IssueKind, Reason, Severity
from ._base import Context, Rule


def ignored(issue: Issue) -> str:
    """Why pip ignores the option of an IGNORED_OPTION or DROPPED_REQUIREMENTS issue."""
    written = issue.text
    if issue.reason is Reason.SECOND_INCLUDE:
        return (
            "pip follows only one include per line (the first -r, else the first -c) "
            f"and silently drops `{written} {issue.value}`; put each on its own line"
        )
    if issue.reason is Reason.SECOND_EDITABLE:
        return "pip reads only the first `-e` of a line and drops this one"
    if issue.reason is Reason.AFTER_REQUIREMENT:
        return f"pip ignores `{written}` on a line that already has a requirement"
    if issue.reason is Reason.WITHOUT_REQUIREMENT:
        return f"pip ignores `{written}` on a line with no requirement"
    if written == "--hash":
        return "pip ignores --hash on an editable requirement"
    where = "an editable requirement" if issue.reason is Reason.ON_EDITABLE else "a requirement line"
    return f"pip silently ignores `{written}` on {where}; put it on a line of its own"


def _check_ignored(ctx: Context) -> Iterator[Finding]:
    for node, issue in ctx.issues(IssueKind.IGNORED_OPTION):
        yield ctx.finding(RULE, node, issue.span, ignored(issue))


RULE = Rule(
    code="RH009",
    severity=Severity.WARNING,
    summary=(
        "An option pip ignores where it is written. On a requirement line pip keeps `--hash` and "
        "`--config-settings` for it and applies `--no-binary`, `--only-binary`, `--all-releases`, "
        "`--only-final` and `--use-feature` to the whole install: none of these is reported."
    ),
    check=_check_ignored,
    tags=("reliability",),
)
