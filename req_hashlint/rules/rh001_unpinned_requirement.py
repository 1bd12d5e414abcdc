"""RH001 unpinned-requirement."""

from __future__ import annotations

from collections.abc import Iterator

from .._model import EntryKind, Finding, Severity
from ._base import Context, Rule


def _check_unpinned(ctx: Context) -> Iterator[Finding]:
    for node, entry in ctx.entries():
        if entry.kind is not EntryKind.NAMED or entry.error or entry.version is not None:
            continue
        if node.file is not None and node.file.lock:  # pip takes the version from the file names
            message = (
                f"{entry.name} has no `version`; pip takes it from each wheel's or sdist's file name, but a "
                "reviewer or another installer cannot tell which version the lock pins; add `version`"
            )
            yield ctx.finding(RULE, node, entry.span, message, entry=entry, severity=Severity.WARNING)
            continue
        if node.constraint:
            if not entry.hash_values:
                continue
        elif not ctx.hashes_required(node):
            continue
        spec = entry.specifier
        if not spec:
            why = "has no version"
        elif "*" in spec and spec.startswith("==") and "," not in spec:
            why = f"uses the wildcard `{spec}`, which pip accepts until the next matching release breaks its hashes"
        else:
            why = f"allows a range of versions, `{spec}`"
        if entry.hash_values:
            tail = "its hashes match one version only, and pip < 26.1 and uv refuse a hashed range"
        else:
            tail = "pip's hash-checking mode refuses unpinned requirements (HashUnpinned)"
        message = f"{entry.name} {why}; {tail}; pin it to one version with `==`"
        yield ctx.finding(RULE, node, entry.span, message, entry=entry)


RULE = Rule(
    code="RH001",
    severity=Severity.ERROR,
    summary="A named requirement not pinned to exactly one `==V` (no wildcard) or `===V`.",
    check=_check_unpinned,
    tags=("supply-chain", "reliability"),
)
