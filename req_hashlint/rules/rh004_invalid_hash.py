"""RH004 invalid-hash."""

from __future__ import annotations

from collections.abc import Iterator

from .._model import Finding, Severity
from ._base import Context, Rule, describe, hash_problem, tools

_WEAK = (
    "{algo} is broken (collisions can be made), and pip accepts a file that matches any one of an "
    "artifact's hashes; record sha256 only"
)


def _check_invalid(ctx: Context) -> Iterator[Finding]:
    for node, entry, h in ctx.odd_hashes:
        lock = node.file is not None and node.file.lock  # pylock.toml: any hashlib algorithm
        problem = hash_problem(h, lock=lock)
        if lock and problem is None and h.algo.lower() in ("md5", "sha1"):
            message = f"{describe(entry)}: {_WEAK.format(algo=h.algo)}"
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
