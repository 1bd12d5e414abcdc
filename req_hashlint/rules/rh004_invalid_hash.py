"""RH004 invalid-hash."""

from __future__ import annotations

from collections.abc import Iterator

from .._model import Entry, Finding, Hash, Severity
from ._base import Context, Rule, describe, hash_problem, tools

_WEAK = (
    "{algo} is broken (collisions can be made), and pip accepts a file that matches any one of an "
    "artifact's hashes; record sha256 only"
)
_WEAK_ALONE = (
    "{algo} is broken (collisions can be made), and it is this file's only hash: pip accepts any "
    "file made to match it; record sha256"
)


def _alone(entry: Entry, h: Hash) -> bool:
    """Whether ``h`` is the only hash of its artifact (a pylock.toml wheel or sdist)."""
    if entry.locked is None:
        return False
    at = next((i for i, other in enumerate(entry.hashes) if other is h), -1)
    return any(at in a.hashes and len(a.hashes) == 1 for a in entry.locked.artifacts)


def _check_invalid(ctx: Context) -> Iterator[Finding]:
    for node, entry, h in ctx.odd_hashes:
        lock = node.file is not None and node.file.lock  # pylock.toml: any hashlib algorithm
        problem = hash_problem(h, lock=lock)
        if lock and problem is None and h.algo.lower() in ("md5", "sha1"):
            message = f"{describe(entry)}: {(_WEAK_ALONE if _alone(entry, h) else _WEAK).format(algo=h.algo)}"
            yield ctx.finding(RULE, node, h.span, message, entry=entry, severity=Severity.WARNING)
        elif lock and problem is not None:
            yield ctx.finding(RULE, node, h.span, f"{describe(entry)}: {problem}", entry=entry)
        elif problem is not None and not (node.file is not None and h.span in node.file.consequences):
            # (a value glued on by a broken continuation: RH006 reports it, issue 18.5)
            message = f"{describe(entry)}: {problem}; regenerate it ({tools(node)}, or `pip hash FILE`)"
            yield ctx.finding(RULE, node, h.span, message, entry=entry)


RULE = Rule(
    code="RH004",
    severity=Severity.ERROR,
    summary="A `--hash` value pip rejects or can never match, or one that cannot be verified (`${VAR}`).",
    check=_check_invalid,
    tags=("supply-chain", "reliability"),
)
