"""RH013 single-environment-lock."""

from __future__ import annotations

from collections.abc import Iterator

from .._model import Finding, IssueKind, Severity
from ._base import Context, Rule


def _check_single_environment(ctx: Context) -> Iterator[Finding]:
    for node, issue in ctx.issues(IssueKind.SINGLE_ENVIRONMENT):
        message = (
            f"this lock declares no `environments`, yet every platform-specific wheel in it is for {issue.text} "
            f"(`{issue.value}`...), the shape of `pip lock` output; an install on another platform finds no "
            "file it can use and fails; lock for every target (`uv export --format pylock.toml`) or declare "
            "`environments`"
        )
        yield ctx.finding(RULE, node, issue.span, message)


RULE = Rule(
    code="RH013",
    severity=Severity.WARNING,
    summary="A pylock.toml with no `environments` whose wheels cover one platform only (the shape of `pip lock`).",
    check=_check_single_environment,
    tags=("reliability",),
)
