"""RH004 invalid-hash."""

from __future__ import annotations

from collections.abc import Iterator

from .._model import Finding, Severity
from ._base import REGENERATE, Context, Rule, describe, hash_problem


def _check_invalid(ctx: Context) -> Iterator[Finding]:
    for node, entry, h in ctx.odd_hashes:
        if node.file is not None and node.file.lock:  # pylock.toml: any hashlib algorithm
            from .._pylock import hash_problem as lock_problem

            found = lock_problem(h)
            if found is not None and found[1]:  # md5, sha1: weak
                yield ctx.finding(
                    RULE, node, h.span, f"{describe(entry)}: {found[0]}", entry=entry, severity=Severity.WARNING
                )
            elif found is not None:
                yield ctx.finding(RULE, node, h.span, f"{describe(entry)}: {found[0]}", entry=entry)
            continue
        problem = hash_problem(h)
        glued = node.file is not None and h.span in node.file.consequences  # RH006 reports it (issue 18.5)
        if problem is not None and not glued:
            message = f"{describe(entry)}: {problem}; regenerate it ({REGENERATE}, or `pip hash FILE`)"
            yield ctx.finding(RULE, node, h.span, message, entry=entry)


RULE = Rule(
    code="RH004",
    severity=Severity.ERROR,
    summary="A `--hash` value pip rejects or can never match, or one that cannot be verified (`${VAR}`).",
    check=_check_invalid,
    tags=("supply-chain", "reliability"),
)
