"""RH102 leftover-hash."""

from __future__ import annotations

from collections.abc import Iterator

from .._model import Finding, Severity
from ._base import H_NEW, H_OLD, REGENERATE, Context, Docs, Rule, changed, plural


def _check_leftover(ctx: Context) -> Iterator[Finding]:
    nodes, comparison = ctx.diff
    for s in comparison.stale:
        kept = s.stale
        added = s.hashes - kept
        if not added:
            continue
        first = next(h for h in s.entry.hashes if h.normalized in kept)
        yield ctx.finding(
            RULE,
            nodes[s.at],
            first.span,
            f"{changed(s)} and got "
            f"{plural(len(added), 'new --hash value')}, but {len(kept)} of {s.old_version}'s "
            f"{'hashes are' if len(kept) > 1 else 'hash is'} still listed (this is the first); remove "
            f"{'them' if len(kept) > 1 else 'it'}, or regenerate the entry ({REGENERATE})",
            entry=s.entry,
        )


RULE = Rule(
    code="RH102",
    severity=Severity.WARNING,
    summary="The version changed and new hashes were added, but some old-version hashes are still listed.",
    docs=Docs(
        what=(
            "Compared with the files at the git base, a requirement's pinned version changed and hashes "
            "for the new version were added, but some hashes the base lists only under other versions "
            "of the project (the old version's files) are still listed."
        ),
        why=(
            "pip installs, since one listed hash matches, so nothing fails; but every leftover value "
            "is a file the lock still vouches for that it no longer means, the entry no longer says "
            "which files were reviewed, and the next stale-hash check has less to go on. A bump made "
            "by appending the new hashes to the old entry, or a merge of two regenerated versions, "
            "leaves them."
        ),
        fix=f"Delete the old version's hash lines, or regenerate the entry ({REGENERATE}).",
        example=(
            f"```\n# at the base\nrich==14.3.4 \\\n    --hash={H_OLD}\n\n"
            f"# now: fires on the first --hash\nrich==15.0.0 \\\n    --hash={H_OLD} \\\n    --hash={H_NEW}\n```"
        ),
    ),
    check=_check_leftover,
    tags=("supply-chain",),
    diff=True,
)
