"""RH006 broken-continuation, RH009 ignored-option, RH011 parse-error."""

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
    return _issues(ctx, CONTINUATION, _CONTINUATION_KINDS)


CONTINUATION = Rule(
    code="RH006",
    name="broken-continuation",
    severity=Severity.ERROR,
    summary="A line continuation (or a marker) that pip reads differently from how it looks.",
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


def _check_ignored(ctx: Context) -> Iterator[Finding]:
    for node in ctx.nodes():
        assert node.file is not None
        for issue in node.file.issues:
            if issue.kind is IssueKind.IGNORED_OPTION:
                yield ctx.finding(IGNORED, node, issue.span, issue.detail)
            elif issue.kind is IssueKind.DROPPED_REQUIREMENTS:
                yield ctx.finding(
                    IGNORED,
                    node,
                    issue.span,
                    f"{issue.detail}; pip never installs what it names, without a word",
                    severity=Severity.ERROR,
                )
            elif issue.kind is IssueKind.REMOVED_OPTION:
                since = "23.1" if issue.detail == "--install-option" else "25.3"
                yield ctx.finding(
                    IGNORED,
                    node,
                    issue.span,
                    f"`{issue.detail}` was removed from pip; pip {since} and later reject the whole file "
                    f"('no such option: {issue.detail}'); pass build settings with `--config-settings` instead",
                    severity=Severity.ERROR,
                )


IGNORED = Rule(
    code="RH009",
    name="ignored-option",
    severity=Severity.WARNING,
    summary="An option pip ignores on this line, or no longer knows.",
    docs=Docs(
        what=(
            "An option that has no effect where it is written: a global option (`--index-url`, "
            "`--extra-index-url`, `--no-index`, `--find-links`, `--trusted-host`, `--pre`, "
            "`--prefer-binary`, `--require-hashes`, `-r`, `-c`, `-e`) on a requirement line, a "
            "`--hash` on an editable, a second `-r`/`-c`/`-e` on one line; or an option pip removed "
            "(`--install-option`, `--global-option`, `--build-option`), which current pip rejects "
            "outright. Both an option pip removed and an ignored `-r` or `-e` (a requirement, or a "
            "file of them, that pip silently never installs) are reported as errors.\n\n"
            "Not reported: `--hash` and `--config-settings`, which apply to the line's requirement, "
            "and `--no-binary`, `--only-binary`, `--all-releases`, `--only-final` and "
            "`--use-feature`, which pip applies to the whole install from any line, a requirement "
            "line included (`six==1.16.0 --no-binary six` makes pip build six from its sdist)."
        ),
        why=(
            "On a requirement line pip keeps `--hash` and `--config-settings` for that requirement, "
            "applies the format, release and feature options to the whole install, and silently "
            "drops the rest, so the index you meant to use, or the extra file you meant to include, "
            "never takes effect. Removed options make pip stop with *'no such option'*."
        ),
        fix="Put global options and includes on lines of their own, one per line. Replace removed build options with `--config-settings`.",
        example="```\n# fires: the index is ignored on a requirement line\nsix==1.16.0 --index-url https://mirror.example/simple\n```",
    ),
    check=_check_ignored,
    tags=("reliability",),
)


def _check_parse(ctx: Context) -> Iterator[Finding]:
    for node in ctx.nodes():
        assert node.file is not None
        # a parse error another finding names as its consequence is reported there (issue 18.5)
        folded = {r.span for issue in node.file.issues for r in issue.related}
        for issue in node.file.issues:
            if issue.kind is IssueKind.OPTION_ERROR:
                yield ctx.finding(
                    PARSE,
                    node,
                    issue.span,
                    f"pip cannot parse this line ({issue.detail}) and refuses the whole file",
                )
            elif issue.kind is IssueKind.STRAY_TEXT:
                yield ctx.finding(PARSE, node, issue.span, issue.detail)
            elif issue.kind is IssueKind.STRAY_TOKEN:  # pip reads the file as it looks
                yield ctx.finding(PARSE, node, issue.span, issue.detail, severity=Severity.WARNING)
        for entry in node.file.entries:
            if entry.error is not None and (entry.error_span or entry.span) not in folded:
                yield ctx.finding(
                    PARSE,
                    node,
                    entry.error_span or entry.span,
                    f"invalid requirement `{entry.text}`: {entry.error}",
                    entry=entry,
                )


PARSE = Rule(
    code="RH011",
    name="parse-error",
    severity=Severity.ERROR,
    summary="A line pip cannot parse.",
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

RULES = (CONTINUATION, IGNORED, PARSE)
