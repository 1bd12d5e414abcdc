"""RH014 filename-mismatch."""

from __future__ import annotations

from collections.abc import Iterator

from .._model import Finding, IssueKind, Severity
from ._base import Context, Rule


def _check_filename(ctx: Context) -> Iterator[Finding]:
    for node, issue in ctx.issues(IssueKind.FILENAME_MISMATCH):
        which, named = issue.choices
        entry = (
            next((e for e in node.file.entries if e.first_line <= issue.span.line <= e.last_line), None)
            if node.file
            else None
        )
        package = f"{entry.name} {entry.version or ''}".strip() if entry is not None else "its package"
        message = (
            f"`{issue.value}` ({issue.text}) names {which} {named!r}, not that of its package ({package}); pip "
            "refuses the whole lock (packaging's 'not consistent with package'); regenerate the lock, or fix the entry"
        )
        yield ctx.finding(RULE, node, issue.span, message, entry=entry)


RULE = Rule(
    code="RH014",
    severity=Severity.ERROR,
    summary="A pylock.toml wheel or sdist whose file name names another project or version than its package.",
    check=_check_filename,
    tags=("reliability", "supply-chain"),
)
