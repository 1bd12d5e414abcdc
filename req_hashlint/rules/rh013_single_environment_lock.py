"""RH013 single-environment-lock."""

from __future__ import annotations

from collections.abc import Iterator

from .._model import Finding, IssueKind, Severity
from ._base import Context, Rule


def _check_single_environment(ctx: Context) -> Iterator[Finding]:
    for node, issue in ctx.issues(IssueKind.SINGLE_ENVIRONMENT):
        message = (
            f"this lock declares no `environments`, yet every platform-specific wheel in it is for {issue.text}, "
            f"the shape of `pip lock` output, and some packages have no sdist or pure wheel to fall back on "
            f"(`{issue.value}`): an install on another platform finds no file it can use for them and fails; "
            "lock for every target (`uv export --format pylock.toml`, `uv pip compile --universal`) or declare "
            "`environments`"
        )
        yield ctx.finding(RULE, node, issue.span, message)


RULE = Rule(
    code="RH013",
    severity=Severity.WARNING,
    summary=(
        "A pylock.toml with no `environments` whose wheels cover one platform only (the shape of `pip lock`), "
        "some packages with no sdist to fall back on."
    ),
    check=_check_single_environment,
    tags=("reliability",),
)
