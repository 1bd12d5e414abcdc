"""RH006 broken-continuation."""

from __future__ import annotations

from collections.abc import Iterator

from .._model import Finding, IssueKind, Severity
from ._base import Context, Docs, Rule

_CONTINUATION_KINDS = frozenset(
    {
        IssueKind.GLUED_ENTRY,
        IssueKind.COMMENT_BEFORE_CONTINUATION,
        IssueKind.BACKSLASH_WHITESPACE,
        IssueKind.GLUED_TOKENS,
        IssueKind.MARKER_AFTER_OPTIONS,
        IssueKind.LINE_BREAK_CHAR,
    }
)


def _issues(ctx: Context, rule: Rule, kinds: frozenset[IssueKind]) -> Iterator[Finding]:
    for node in ctx.nodes():
        assert node.file is not None
        for issue in node.file.issues:
            if issue.kind in kinds:
                yield ctx.finding(rule, node, issue.span, issue.detail, related=issue.related)


def _check_continuation(ctx: Context) -> Iterator[Finding]:
    return _issues(ctx, RULE, _CONTINUATION_KINDS)


RULE = Rule(
    code="RH006",
    name="broken-continuation",
    severity=Severity.ERROR,
    summary="A `\\` or a marker that pip reads differently from how it looks.",
    docs=Docs(
        what=(
            "A continuation that pip reads differently from how it looks:\n\n"
            "- a `\\` after an entry's last hash that glues the next entry's line onto it (pip "
            "silently drops that requirement and gives its hashes to the one above);\n"
            "- a `#` comment before a `\\` (the following hash lines become part of the comment);\n"
            "- a `\\` followed by spaces (not a continuation at all);\n"
            "- a `\\` with no space before it, that glues two tokens (`foo==1.0\\` + `--hash=...` "
            "reads as `foo==1.0--hash=...`);\n"
            "- an environment marker written after the hashes (pip drops it);\n"
            "- an invisible line-breaking character (form feed, U+2028, a lone CR) that pip splits "
            "lines at but editors do not."
        ),
        why=(
            "pip joins lines ending in `\\` before anything else, then cuts comments, then splits the "
            "requirement from its options at the first ` -` token. Each of these edits survives "
            "review because the file still looks right, and pip passes over every one of them "
            "without an error: requirements vanish, hashes move, markers are ignored."
        ),
        fix=(
            "End every line of an entry but the last with ` \\` (a space, then the backslash, then "
            "the line break); put comments on their own lines; write the marker right after the "
            'version (`pkg==1.0 ; python_version < "3.12" \\`).'
        ),
        example=(
            "```\n# fires: the trailing \\ swallows idna's line into six's entry\n"
            "six==1.16.0 \\\n    --hash=sha256:1e61c37477a1626458e36f7b1d82aa5c9b094fa4802892072e49de9c60c4c926 \\\n"
            "idna==3.7 \\\n    --hash=sha256:82fee1fc78add43492d3a1898bfa6d8a904cc97d8427f683ed8e798d07761aa0\n\n"
            "# fires: the marker after the hash is dropped\n"
            'tomli==2.0.1 --hash=sha256:939de3e7a6161af0c887ef91b7d41a53e7c5a1ca976325f429cb46ea9bc30ecc ; python_version < "3.11"\n```'
        ),
    ),
    check=_check_continuation,
    tags=("supply-chain", "reliability"),
)
