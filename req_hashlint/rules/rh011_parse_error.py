"""RH011 parse-error."""

from __future__ import annotations

from collections.abc import Iterator

from .._model import Finding, IssueKind, Severity
from ._base import Context, Docs, Rule


def _check_parse(ctx: Context) -> Iterator[Finding]:
    for node in ctx.nodes():
        assert node.file is not None
        # a parse error another finding names as its consequence is reported there (issue 18.5)
        folded = {r.span for issue in node.file.issues for r in issue.related}
        for issue in node.file.issues:
            if issue.kind is IssueKind.OPTION_ERROR:
                yield ctx.finding(
                    RULE,
                    node,
                    issue.span,
                    f"pip cannot parse this line ({issue.detail}) and refuses the whole file",
                )
            elif issue.kind is IssueKind.STRAY_TEXT:
                yield ctx.finding(RULE, node, issue.span, issue.detail)
            elif issue.kind is IssueKind.STRAY_TOKEN:  # pip reads the file as it looks
                yield ctx.finding(RULE, node, issue.span, issue.detail, severity=Severity.WARNING)
        for entry in node.file.entries:
            if entry.error is not None and (entry.error_span or entry.span) not in folded:
                yield ctx.finding(
                    RULE,
                    node,
                    entry.error_span or entry.span,
                    f"invalid requirement `{entry.text}`: {entry.error}",
                    entry=entry,
                )


RULE = Rule(
    code="RH011",
    name="parse-error",
    severity=Severity.ERROR,
    summary="A line pip cannot parse, or an `#egg=` fragment pip 25+ refuses; a stray token pip ignores (`(`) is a warning.",
    docs=Docs(
        what=(
            "A line pip cannot read: an invalid requirement (the message carries packaging's "
            "explanation), an invalid marker, an unknown option, an option missing its value, "
            "unbalanced quotes, or text after the options that pip silently ignores. A stray "
            "token that cannot be a requirement (`(`, `,`) is only a warning: pip ignores it and "
            "reads the line as it looks. A file that is plainly not a requirements file (TOML, "
            "YAML, INI or Python, by its name's suffix or the shape of its lines) gets one RH011 "
            "that says so instead of one per line."
        ),
        why=(
            "pip reads the whole file before it installs anything, so one bad line stops every "
            "install with *'Invalid requirement'* or *'no such option'*. Typical causes: a `=` where "
            "`==` was meant, notes pasted into the file, options from old pip versions "
            "(`--no-use-wheel`), or two requirements written on one line."
        ),
        fix="Correct the line as the message says; one requirement per line, options after it.",
        example="```\n# fires\nrequests=2.31.0\n--no-use-wheel\n```",
    ),
    check=_check_parse,
    tags=("reliability",),
)
