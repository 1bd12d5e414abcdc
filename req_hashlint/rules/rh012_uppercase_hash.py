"""RH012 uppercase-hash."""

from __future__ import annotations

from collections.abc import Iterator

from .._model import Edit, Finding, Fix, Severity
from ._base import Context, Rule, describe


def _check_uppercase(ctx: Context) -> Iterator[Finding]:
    for node, entry, h in ctx.odd_hashes:
        if h.digest != h.digest.lower() and h not in ctx.malformed:
            message = (
                f"{describe(entry)}: the {h.algo} digest has uppercase letters; pip up to 24.1 compares "
                "digests case-sensitively and fails with HashMismatch; write it in lowercase"
            )
            s = h.span  # `--hash=sha256:AB..` in a requirements file, `"AB.."` in a pylock.toml
            written = ctx.line(node, s.line)[s.column - 1 : s.end_column - 1] if s.line == s.end_line else ""
            fix = (
                Fix("lowercase the hex digest", (Edit(s, written.replace(h.digest, h.digest.lower())),))
                if h.digest in written
                else None
            )
            yield ctx.finding(RULE, node, h.span, message, entry=entry, fix=fix)


RULE = Rule(
    code="RH012",
    severity=Severity.WARNING,
    summary="A hex digest with uppercase letters (pip up to 24.1 fails on it).",
    check=_check_uppercase,
    tags=("reliability",),
    fixable=True,
)
