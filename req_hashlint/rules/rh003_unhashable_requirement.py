"""RH003 unhashable-requirement."""

from __future__ import annotations

from collections.abc import Iterator

from .._model import EntryKind, Finding, Severity
from ._base import UNHASHABLE_KINDS, Context, Rule, describe

# why pip refuses each kind, and the fix
_REFUSAL = {
    EntryKind.EDITABLE: (
        "pip refuses editables in hash-checking mode (there is no single file to hash)",
        "install it in a separate pip call (`pip install --no-deps -e ...`)",
    ),
    EntryKind.VCS: (
        "pip cannot hash-check a version-control checkout (VcsHashUnsupported)",
        "pin a released version with hashes, or a built archive URL with `#sha256=`",
    ),
    EntryKind.DIRECTORY: (
        "pip cannot hash-check a local directory (DirectoryUrlHashUnsupported)",
        "require a built archive with its hash, or install it in a separate pip call",
    ),
}


def _check_unhashable(ctx: Context) -> Iterator[Finding]:
    for node, entry in ctx.entries():
        if entry.kind in UNHASHABLE_KINDS and not entry.error and ctx.hashes_required(node):
            refusal, fix = _REFUSAL[entry.kind]
            yield ctx.finding(RULE, node, entry.span, f"{describe(entry)}: {refusal}; {fix}", entry=entry)


RULE = Rule(
    code="RH003",
    severity=Severity.ERROR,
    summary="An editable, a VCS URL or a local directory: pip cannot hash-check it.",
    check=_check_unhashable,
    tags=("supply-chain", "reliability"),
)
