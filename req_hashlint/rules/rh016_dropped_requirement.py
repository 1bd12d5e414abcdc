"""RH016 dropped-requirement."""

from __future__ import annotations

from collections.abc import Iterator

from .._model import Finding, IssueKind, Severity
from ._base import Context, Rule
from .rh009_ignored_option import ignored


def _check_dropped(ctx: Context) -> Iterator[Finding]:
    for node, issue in ctx.issues(IssueKind.DROPPED_REQUIREMENTS):
        message = f"{ignored(issue)}; pip never installs what it names, without a word"
        yield ctx.finding(RULE, node, issue.span, message)


RULE = Rule(
    code="RH016",
    severity=Severity.ERROR,
    summary="A `-r` or `-e` pip ignores where it is written: what it names is never installed.",
    check=_check_dropped,
    tags=("reliability",),
)
