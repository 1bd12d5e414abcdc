"""RH005 dangling-hash."""

from __future__ import annotations

from collections.abc import Iterator

from .._model import Finding, IssueKind, Severity
from ._base import Context, Rule

_UNVERIFIED = "; it is the only hash, so pip's hash-checking mode stays off and everything installs unverified"


def _check_dangling(ctx: Context) -> Iterator[Finding]:
    for node, issue in ctx.issues(IssueKind.DANGLING_HASH):
        tail = "" if ctx.hash_mode_on(node) else _UNVERIFIED
        message = (
            f"this --hash is on a line with no requirement; pip warns and drops it{tail}; "
            "join it to its requirement with a `\\` at the end of the line above"
        )
        yield ctx.finding(RULE, node, issue.span, message)


RULE = Rule(
    code="RH005",
    severity=Severity.ERROR,
    summary="A `--hash` on a line with no requirement (pip drops it with a warning).",
    check=_check_dangling,
    tags=("security", "supply-chain"),
    security_severity=6.0,
)
