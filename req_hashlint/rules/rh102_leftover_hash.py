"""RH102 leftover-hash."""

from __future__ import annotations

from collections.abc import Iterator

from .._model import Finding, Severity, normalized_hash
from ._base import Context, Rule, changed, plural, tools


def _check_leftover(ctx: Context) -> Iterator[Finding]:
    nodes, comparison = ctx.diff
    for s in comparison.stale:
        kept = s.stale
        added = s.hashes - kept
        if not added:
            continue
        first = next(h for h in s.entry.hashes if h.normalized in kept)
        node = nodes[s.at]
        message = (
            f"{changed(s)} and got {plural(len(added), 'new --hash value')}, but {len(kept)} of {s.old_version}'s "
            f"{'hashes are' if len(kept) > 1 else 'hash is'} still listed (this is the first); remove "
            f"{'them' if len(kept) > 1 else 'it'}, or regenerate the entry ({tools(node)})"
        )
        from .._fix import hash_fix  # (only when there is something to fix)

        assert node.file is not None
        keep = [v for v in s.entry.hash_values if normalized_hash(v) not in kept]
        fix = hash_fix(node.file, s.entry, keep, f"remove {s.old_version}'s hashes", ordered=True)
        yield ctx.finding(RULE, node, first.span, message, entry=s.entry, fix=fix)


RULE = Rule(
    code="RH102",
    severity=Severity.WARNING,
    summary="The version changed and new hashes were added, but some old-version hashes are still listed.",
    check=_check_leftover,
    tags=("supply-chain",),
    diff=True,
    fixable=True,
)
