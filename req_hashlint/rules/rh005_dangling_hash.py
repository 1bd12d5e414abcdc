"""RH005 dangling-hash."""

from __future__ import annotations

import re
from collections.abc import Iterator

from .._graph import Node
from .._model import Edit, EntryKind, Finding, Fix, IssueKind, Severity, Span
from ._base import Context, Rule

_UNVERIFIED = "; it is the only hash, so pip's hash-checking mode stays off and everything installs unverified"


def _check_dangling(ctx: Context) -> Iterator[Finding]:
    reach: dict[str, dict[int, bool]] = {}  # per file: line -> whether it is a requirement's last line, or
    # a line of hashes alone below one
    for node, issue in ctx.issues(IssueKind.DANGLING_HASH):
        tail = "" if ctx.hash_mode_on(node) else _UNVERIFIED
        message = (
            f"this --hash is on a line with no requirement; pip warns and drops it{tail}; "
            "join it to its requirement with a `\\` at the end of the line above"
        )
        yield ctx.finding(RULE, node, issue.span, message, fix=_join_above(ctx, node, issue.span, reach))


_HASHES_ONLY = re.compile(r"[ \t]*(?:--hash=\S+[ \t]*)+")


def _join_above(ctx: Context, node: Node, span: Span, reach: dict[str, dict[int, bool]]) -> Fix | None:
    """Add ` \\` to the line above when the hash starts its line and the lines above it, up to a
    requirement's last line, hold hashes alone (each such hash is fixed by its own finding)."""
    assert node.file is not None
    n = span.line
    if ctx.line(node, n)[: span.column - 1].strip():
        return None
    known = reach.get(node.abspath)
    if known is None:
        known = reach[node.abspath] = dict.fromkeys(
            (e.last_line for e in node.file.entries if e.kind is not EntryKind.EDITABLE), True
        )
    walked, k = [], n - 1
    while k > 0 and k not in known and _HASHES_ONLY.fullmatch(ctx.line(node, k)):
        walked.append(k)
        k -= 1
    ok = known.get(k, False)
    known.update(dict.fromkeys(walked, ok))
    above = ctx.line(node, n - 1)
    if not ok or above.rstrip().endswith("\\") or re.search(r"(?:^|\s)#", above):
        return None
    end = len(above.rstrip()) + 1
    return Fix("add the missing ` \\` to the line above", (Edit(Span(n - 1, end, n - 1, len(above) + 1), " \\"),))


RULE = Rule(
    code="RH005",
    severity=Severity.ERROR,
    summary="A `--hash` on a line with no requirement (pip drops it with a warning).",
    check=_check_dangling,
    tags=("security", "supply-chain"),
    security_severity=6.0,
    fixable=True,
)
