"""RH005 dangling-hash."""

from __future__ import annotations

from collections.abc import Iterator

from .._model import Finding, IssueKind, Severity
from ._base import Context, Docs, Rule


def _check_dangling(ctx: Context) -> Iterator[Finding]:
    for node in ctx.nodes():
        assert node.file is not None
        dangling = [i for i in node.file.issues if i.kind is IssueKind.DANGLING_HASH]
        if not dangling:
            continue
        only = not ctx.hash_mode_on(node)
        for issue in dangling:
            tail = (
                "; it is the only hash, so pip's hash-checking mode stays off and everything installs unverified"
                if only
                else ""
            )
            yield ctx.finding(
                RULE,
                node,
                issue.span,
                f"this --hash is on a line with no requirement; pip warns and drops it{tail}; "
                "join it to its requirement with a `\\` at the end of the line above",
            )


RULE = Rule(
    code="RH005",
    severity=Severity.ERROR,
    summary="A `--hash` on a line with no requirement (pip drops it with a warning).",
    docs=Docs(
        what="A `--hash` stands on a line that has no requirement: the `\\` that should join it to the requirement above is missing, or it was written on an option-only line.",
        why=(
            "pip only logs *'... has --hash but no requirement, and will be ignored'* and moves on. "
            "The requirement above then has fewer hashes than intended, and if this was the only "
            "hash in the install, hash-checking mode never switches on: everything installs "
            "unverified. A hand edit that drops a trailing `\\`, or a blank line inside an entry, "
            "causes it."
        ),
        fix="End the requirement's line, and every hash line but the last, with ` \\`.",
        example=(
            "```\n# fires: the first line does not end with \\\nattrs==23.2.0\n"
            "    --hash=sha256:99b87a485a5820b23b879f04c2305b44b951b502fd64be915879d77a7e8fc6f1\n```"
        ),
    ),
    check=_check_dangling,
    tags=("security", "supply-chain"),
    security_severity=6.0,
)
