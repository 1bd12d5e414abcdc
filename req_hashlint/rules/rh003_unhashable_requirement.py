"""RH003 unhashable-requirement."""

from __future__ import annotations

import re
from collections.abc import Iterator

from .._graph import Node
from .._model import Entry, EntryKind, Finding, Severity
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


def _lock(ctx: Context, node: Node, entry: Entry) -> Iterator[Finding]:
    """A pylock.toml's `vcs` or `directory` package: pip refuses it where other packages have hashes
    (pip's hash-checking mode); a `vcs` is pinned by its `commit-id` unless that is no full commit id."""
    commit = (entry.url or "").rpartition("@")[2]
    at = entry.locked.source if entry.locked is not None and entry.locked.source is not None else entry.span
    if entry.kind is EntryKind.VCS and re.fullmatch(r"[0-9a-f]{40}|[0-9a-f]{64}", commit) is None:
        message = (
            f"{entry.name}: `commit-id = {commit!r}` is not a full commit id, so the lock does not pin the code: "
            "pip installs whatever it names at install time, and uv refuses the lock ('Object ID must be exactly "
            "40 hex characters'); record the full commit id (40 hex digits)"
        )
        yield ctx.finding(RULE, node, at, message, entry=entry, severity=Severity.WARNING)
    if ctx.hash_mode_on(node):
        refusal, fix = _REFUSAL[entry.kind]
        yield ctx.finding(RULE, node, at, f"{entry.name}: {refusal}; {fix}", entry=entry)


def _check_unhashable(ctx: Context) -> Iterator[Finding]:
    for node, entry in ctx.entries():
        if node.file is not None and node.file.lock:
            if entry.kind in UNHASHABLE_KINDS:
                yield from _lock(ctx, node, entry)
        elif entry.kind in UNHASHABLE_KINDS and not entry.error and ctx.hashes_required(node):
            refusal, fix = _REFUSAL[entry.kind]
            yield ctx.finding(RULE, node, entry.span, f"{describe(entry)}: {refusal}; {fix}", entry=entry)


RULE = Rule(
    code="RH003",
    severity=Severity.ERROR,
    summary="An editable, a VCS URL or a local directory: pip cannot hash-check it.",
    check=_check_unhashable,
    tags=("supply-chain", "reliability"),
)
