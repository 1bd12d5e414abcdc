"""RH016 dropped-requirement."""

from __future__ import annotations

from collections.abc import Iterator

from .._model import Finding, IssueKind, Severity
from ._base import Context, Docs, Rule
from .rh009_ignored_option import ignored


def _check_dropped(ctx: Context) -> Iterator[Finding]:
    for node in ctx.nodes():
        assert node.file is not None
        for issue in node.file.issues:
            if issue.kind is IssueKind.DROPPED_REQUIREMENTS:
                message = f"{ignored(issue)}; pip never installs what it names, without a word"
                yield ctx.finding(RULE, node, issue.span, message)


RULE = Rule(
    code="RH016",
    severity=Severity.ERROR,
    summary="A `-r` or `-e` pip ignores where it is written: what it names is never installed.",
    docs=Docs(
        what=(
            "A `-r` or `-e` that pip ignores: on a requirement line (`six==1.16.0 -r extra.txt`), a "
            "second `-r` on one line (pip follows only the first include), or a second `-e` on one "
            "line (pip reads only the first). An ignored `-c` is RH009 ignored-option."
        ),
        why=(
            "pip drops the option without a word, so the requirements file, or the editable, it names "
            "is never installed, and nothing fails until the missing package is imported. Two "
            "includes joined onto one line by an edit or a merge, or an include appended to a "
            "requirement's line, cause it."
        ),
        fix="Put each `-r` and `-e` on a line of its own.",
        example="```\n# fires: pip never reads b.txt\n-r a.txt -r b.txt\n```",
    ),
    check=_check_dropped,
    tags=("reliability",),
)
