"""RH015 removed-option."""

from __future__ import annotations

from collections.abc import Iterator

from .._model import Finding, IssueKind, Severity
from ._base import Context, Rule


def _check_removed(ctx: Context) -> Iterator[Finding]:
    for node, issue in ctx.issues(IssueKind.REMOVED_OPTION):
        since = "23.1" if issue.text == "--install-option" else "25.3"
        message = (
            f"`{issue.text}` was removed from pip; pip {since} and later reject the whole file "
            f"('no such option: {issue.text}'); pass build settings with `--config-settings` instead"
        )
        yield ctx.finding(RULE, node, issue.span, message)


RULE = Rule(
    code="RH015",
    severity=Severity.ERROR,
    summary="An option pip removed (`--install-option`, `--global-option`, `--build-option`).",
    check=_check_removed,
    tags=("reliability",),
)
