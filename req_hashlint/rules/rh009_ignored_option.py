"""RH009 ignored-option."""

from __future__ import annotations

from collections.abc import Iterator

from .._model import Finding, Issue, IssueKind, Reason, Severity
from ._base import Context, Docs, Rule


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
    for node in ctx.nodes():
        assert node.file is not None
        for issue in node.file.issues:
            if issue.kind is IssueKind.IGNORED_OPTION:
                yield ctx.finding(RULE, node, issue.span, ignored(issue))


RULE = Rule(
    code="RH009",
    severity=Severity.WARNING,
    summary="An option pip ignores where it is written.",
    docs=Docs(
        what=(
            "An option that has no effect where it is written: a global option (`--index-url`, "
            "`--extra-index-url`, `--no-index`, `--find-links`, `--trusted-host`, `--pre`, "
            "`--prefer-binary`, `--require-hashes`, `-c`) on a requirement line, a `--hash` on an "
            "editable, a `-c` beside another include on one line, `--config-settings` on a line of its own. "
            "An ignored `-r` or `-e`, which drops requirements, "
            "is RH016 dropped-requirement; an option pip removed is RH015 removed-option.\n\n"
            "Not reported: `--hash` and `--config-settings`, which apply to the line's requirement, "
            "and `--no-binary`, `--only-binary`, `--all-releases`, `--only-final` and "
            "`--use-feature`, which pip applies to the whole install from any line, a requirement "
            "line included (`six==1.16.0 --no-binary six` makes pip build six from its sdist)."
        ),
        why=(
            "On a requirement line pip keeps `--hash` and `--config-settings` for that requirement, "
            "applies the format, release and feature options to the whole install, and silently "
            "drops the rest, so the index you meant to use, or the extra file you meant to include, "
            "never takes effect."
        ),
        fix="Put global options and includes on lines of their own, one per line.",
        example="```\n# fires: the index is ignored on a requirement line\nsix==1.16.0 --index-url https://mirror.example/simple\n```",
    ),
    check=_check_ignored,
    tags=("reliability",),
)
