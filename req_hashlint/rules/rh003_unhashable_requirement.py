"""RH003 unhashable-requirement."""

from __future__ import annotations

from collections.abc import Iterator

from .._model import EntryKind, Finding, Severity
from ._base import UNHASHABLE_KINDS, Context, Rule, describe

_REFUSAL = {
    EntryKind.EDITABLE: "pip refuses editables in hash-checking mode (there is no single file to hash)",
    EntryKind.VCS: "pip cannot hash-check a version-control checkout (VcsHashUnsupported)",
    EntryKind.DIRECTORY: "pip cannot hash-check a local directory (DirectoryUrlHashUnsupported)",
}


def _check_unhashable(ctx: Context) -> Iterator[Finding]:
    for node, entry in ctx.entries():
        if entry.kind not in UNHASHABLE_KINDS or entry.error:
            continue
        if not ctx.hashes_required(node):
            continue
        if entry.kind is EntryKind.EDITABLE:
            fix = "install it in a separate pip call (`pip install --no-deps -e ...`)"
        elif entry.kind is EntryKind.VCS:
            fix = "pin a released version with hashes, or a built archive URL with `#sha256=`"
        else:
            fix = "require a built archive with its hash, or install it in a separate pip call"
        yield ctx.finding(
            RULE,
            node,
            entry.span,
            f"{describe(entry)}: {_REFUSAL[entry.kind]}; {fix}",
            entry=entry,
        )


RULE = Rule(
    code="RH003",
    severity=Severity.ERROR,
    summary="An editable, a VCS URL or a local directory: pip cannot hash-check it.",
    check=_check_unhashable,
    tags=("supply-chain", "reliability"),
)
