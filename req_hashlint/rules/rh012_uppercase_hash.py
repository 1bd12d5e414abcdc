"""RH012 uppercase-hash."""

from __future__ import annotations

from collections.abc import Iterator

from .._model import Finding, Severity
from ._base import Context, Docs, Rule, describe


def _check_uppercase(ctx: Context) -> Iterator[Finding]:
    for node, entry, h in ctx.odd_hashes:
        if h.digest != h.digest.lower() and h not in ctx.malformed:
            yield ctx.finding(
                RULE,
                node,
                h.span,
                f"{describe(entry)}: the {h.algo} digest has uppercase letters; pip up to 24.1 compares "
                "digests case-sensitively and fails with HashMismatch; write it in lowercase",
                entry=entry,
            )


RULE = Rule(
    code="RH012",
    name="uppercase-hash",
    severity=Severity.WARNING,
    summary="A hex digest with uppercase letters (pip up to 24.1 fails on it).",
    docs=Docs(
        what="A `--hash` digest is written with uppercase hex letters (`A`-`F`).",
        why=(
            "`hashlib` produces lowercase digests, and pip up to 24.1 compared them as strings, so an "
            "uppercase digest fails with HashMismatch there; pip 24.2 and later lower-case them first. "
            "Digests copied from tools that print uppercase (PowerShell's `Get-FileHash`, some "
            "registries' web pages) cause it."
        ),
        fix="Write the digest in lowercase.",
        example=(
            "```\n# fires\nsix==1.16.0 --hash=sha256:1E61C37477A1626458E36F7B1D82AA5C9B094FA4802892072E49DE9C60C4C926\n```"
        ),
    ),
    check=_check_uppercase,
    tags=("reliability",),
)
