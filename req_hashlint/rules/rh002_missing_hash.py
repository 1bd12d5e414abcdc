"""RH002 missing-hash."""

from __future__ import annotations

from collections.abc import Iterator

from .._model import EntryKind, Finding, IssueKind, Severity
from ._base import UNHASHABLE_KINDS, Context, Rule, describe, tools
from .rh301_hash_mismatch import index_fixes

_STRONG = ("sha256", "sha384", "sha512")


def _check_missing(ctx: Context) -> Iterator[Finding]:
    fix = index_fixes(ctx)  # a named pin with `--index`: the hashes of its files
    for node, issue in ctx.issues(IssueKind.EMPTY_HASHES):  # pylock.toml: uv wrote these until 0.12.11
        message = (
            f"`{issue.value}` ({issue.text}) has an empty `hashes` table; PEP 751 requires at least one hash, "
            "so pip refuses the whole lock; regenerate the lock with a tool that records hashes"
        )
        yield ctx.finding(RULE, node, issue.span, message)
    for node, entry in ctx.entries():
        if node.file is not None and node.file.lock:
            continue  # a lock's package with no hash has its empty tables (above) or RH011
        if node.constraint or entry.error or entry.kind in UNHASHABLE_KINDS or entry.hash_values:
            continue
        if entry.url_hash is not None and entry.url_hash[0] in _STRONG:
            continue
        if not ctx.hashes_required(node):
            continue
        if node.file is not None and entry.span in node.file.consequences:
            continue  # a comment before a `\` swallowed the hashes: RH006 reports the cause (issue 18.5)
        what = describe(entry)
        if entry.kind is EntryKind.NAMED:
            how = f"regenerate the hashes ({tools(node)})"
        else:
            how = "add `--hash=sha256:<digest>` of that file (`pip hash FILE`) or a `#sha256=` URL fragment"
        if ctx.hash_mode_on(node):
            effect = "pip's hash-checking mode is on, so it refuses this (HashMissing)"
        else:
            effect = "pip installs whatever the index serves"
        yield ctx.finding(
            RULE,
            node,
            entry.span,
            f"{what} has no --hash; {effect}; {how}",
            entry=entry,
            fix=fix(node, entry) if entry.kind is EntryKind.NAMED and entry.version is not None else None,
        )


RULE = Rule(
    code="RH002",
    severity=Severity.ERROR,
    summary="A requirement has no `--hash` (and, for a URL, no `#sha256=` fragment).",
    check=_check_missing,
    tags=("security", "supply-chain"),
    security_severity=5.0,
    fixable=True,
)
