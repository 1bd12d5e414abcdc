"""RH015 removed-option."""

from __future__ import annotations

from collections.abc import Iterator

from .._model import Finding, IssueKind, Severity
from ._base import Context, Docs, Rule


def _check_removed(ctx: Context) -> Iterator[Finding]:
    for node in ctx.nodes():
        assert node.file is not None
        for issue in node.file.issues:
            if issue.kind is IssueKind.REMOVED_OPTION:
                since = "23.1" if issue.text == "--install-option" else "25.3"
                yield ctx.finding(
                    RULE,
                    node,
                    issue.span,
                    f"`{issue.text}` was removed from pip; pip {since} and later reject the whole file "
                    f"('no such option: {issue.text}'); pass build settings with `--config-settings` instead",
                )


RULE = Rule(
    code="RH015",
    severity=Severity.ERROR,
    summary="An option pip removed (`--install-option`, `--global-option`, `--build-option`).",
    docs=Docs(
        what=(
            "`--install-option` (removed in pip 23.1), `--global-option` or `--build-option` (removed "
            "in pip 25.3), on a requirement line or a line of its own."
        ),
        why=(
            "Current pip does not know these options: it stops with *'no such option'* before it "
            "installs anything, for every requirement of the file. Older pip accepted them and built "
            "the package from source with the given setup.py arguments. Files written for old pip "
            "versions, or copied from old instructions, carry them."
        ),
        fix="Pass build settings with `--config-settings` (`-C key=value`) instead, or drop the option.",
        example="```\n# fires\npsycopg2==2.9.9 --global-option=build_ext\n```",
    ),
    check=_check_removed,
    tags=("reliability",),
)
