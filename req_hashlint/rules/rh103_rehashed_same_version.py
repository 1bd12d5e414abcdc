"""RH103 rehashed-same-version."""

from __future__ import annotations

from collections.abc import Iterator

from .._diff import BaseFiles, Release
from .._graph import Node
from .._model import Finding, Severity
from .._versions import version_key
from ._base import Context, Rule, plural


def _check_rehashed(ctx: Context) -> Iterator[Finding]:
    nodes, comparison = ctx.diff
    for r in comparison.releases:
        # Only algorithms listed on both sides: moving from sha256 to sha512 replaces nothing.
        both = {v.split(":", 1)[0] for v in r.removed} & {v.split(":", 1)[0] for v in r.added}
        removed = {v for v in r.removed if v.split(":", 1)[0] in both}
        added = {v for v in r.added if v.split(":", 1)[0] in both}
        if not removed or not added or _repaired(ctx, nodes, r, removed):
            continue
        for index, entry in r.entries:
            first = next((h for h in entry.hashes if h.normalized in added), None)
            if first is None:
                continue
            name = entry.name or r.key
            message = (
                f"{name} {entry.version} is the same version as at the base, but "
                f"{plural(len(removed), 'hash was', 'hashes were')} "
                f"removed and {plural(len(added), 'was', 'were')} added (this is the first): the files "
                f"behind an unchanged version changed (a re-upload, a mirror serving other files, or "
                f"tampering); check where the new hash came from (`pip download {name}=={entry.version} "
                "--no-deps` and `pip hash`) before trusting it; once verified, end this line with "
                "`# req-hashlint: ignore[rehashed-same-version]`, or commit with `SKIP=req-hashlint`"
            )
            yield ctx.finding(RULE, nodes[index], first.span, message, entry=entry)


def _repaired(ctx: Context, nodes: list[Node], r: Release, removed: set[str]) -> bool:
    """Whether the hashes removed were themselves stale at the base: each is listed under another
    version of the project in an earlier version of a file that holds the release (git history,
    the last ``HISTORY_DEPTH`` changes of the file before the base). Asked only when RH103
    would otherwise fire, so the common path runs no git."""
    if not isinstance(ctx.base, BaseFiles):
        return False
    earlier: set[str] = set()
    for abspath in dict.fromkeys(nodes[i].abspath for i, _ in r.entries):
        for f in ctx.base.earlier(abspath):
            for e in f.entries:
                if e.key == r.key and e.version is not None and version_key(e.version) != r.version:
                    earlier.update(e.hash_set)
    return removed <= earlier


RULE = Rule(
    code="RH103",
    severity=Severity.WARNING,
    summary="The version is unchanged since the base, yet a hash was removed and another added.",
    check=_check_rehashed,
    tags=("security", "supply-chain"),
    security_severity=5.0,
    precision="medium",
    diff=True,
)
