"""RH104 dropped-hash."""

from __future__ import annotations

from collections.abc import Iterator

from .._model import Finding, Severity
from ._base import Context, Rule, plural, tools


def _check_dropped(ctx: Context) -> Iterator[Finding]:
    nodes, comparison = ctx.diff
    for r in comparison.releases:
        if r.added:
            continue
        # Only algorithms still listed for the release: dropping the sha512 line of a file
        # whose sha256 stays drops no file.
        algos = {h.algo for _, e in r.entries for h in e.hashes}
        removed = [v for v in r.removed if v.split(":", 1)[0] in algos]
        if not removed:
            continue
        index, entry = r.entries[0]
        name = entry.name or r.key
        n = len(removed)
        message = (
            f"{name} {entry.version} is the same version as at the base, but "
            f"{plural(n, 'of its --hash values was', 'of its --hash values were')} removed and none added: "
            f"pip can no longer install the {'file' if n == 1 else 'files'} behind "
            f"{'it' if n == 1 else 'them'}, so it builds from another file (often the sdist) or fails "
            "on a platform whose only hashed file was dropped; restore the hashes (regenerate the "
            f"entry: {tools(nodes[index])}), or suppress this finding if the files were meant to go"
        )
        yield ctx.finding(RULE, nodes[index], entry.span, message, entry=entry)


RULE = Rule(
    code="RH104",
    severity=Severity.WARNING,
    summary="The version is unchanged since the base, and hashes were only removed.",
    check=_check_dropped,
    tags=("reliability", "supply-chain"),
    diff=True,
)
