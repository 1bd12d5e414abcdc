"""RH102 leftover-hash."""

from __future__ import annotations

from collections.abc import Iterator

from .._model import Finding, Severity
from ._base import REGENERATE, Context, Rule, changed, plural


def _check_leftover(ctx: Context) -> Iterator[Finding]:
    nodes, comparison = ctx.diff
    for s in comparison.stale:
        kept = s.stale
        added = s.hashes - kept
        if not added:
            continue
        first = next(h for h in s.entry.hashes if h.normalized in kept)
        message = (
            f"{changed(s)} and got {plural(len(added), 'new --hash value')}, but {len(kept)} of {s.old_version}'s "
            f"{'hashes are' if len(kept) > 1 else 'hash is'} still listed (this is the first); remove "
            f"{'them' if len(kept) > 1 else 'it'}, or regenerate the entry ({REGENERATE})"
        )
        yield ctx.finding(RULE, nodes[s.at], first.span, message, entry=s.entry)


RULE = Rule(
    code="RH102",
    severity=Severity.WARNING,
    summary="The version changed and new hashes were added, but some old-version hashes are still listed.",
    check=_check_leftover,
    tags=("supply-chain",),
    diff=True,
)
