"""RH302 unknown-hash."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from .._model import Finding, Related, Severity, normalized_hash
from ._base import REGENERATE, REGENERATE_LOCK, Context, Rule, pinned, plural
from .rh301_hash_mismatch import index_fixes

if TYPE_CHECKING:
    from ..index._verdict import Unknown, Verdict


def _check_unknown(ctx: Context) -> Iterator[Finding]:
    if ctx.evidence is None:
        return
    fix = index_fixes(ctx)
    for v in ctx.verdicts:
        yield from _artifacts(ctx, v)
        if not v.files or not v.matched or not v.unknown:
            continue
        whose = {u.hash: u for u in v.unknown}
        spans = [h for h in v.entry.hashes if normalized_hash(h.value) in whose]
        if not spans:
            continue
        first = whose[normalized_hash(spans[0].value)]
        if first.version is not None:
            what = f"it is the hash of {first.filename}, a file of {first.version}"
        else:
            what = "the index serves no file with it (a typo, or a file removed from the index)"
        more = len(spans) - 1
        also = f" ({plural(more, 'other hash', 'other hashes')} of this line likewise)" if more else ""
        related = tuple(
            Related(h.span, f"matches no file of {v.entry.version} either" + _other(whose[normalized_hash(h.value)]))
            for h in spans[1:]
        )
        yield ctx.finding(
            RULE,
            v.node,
            spans[0].span,
            f"this hash matches no file the index serves for {pinned(v.entry)}: {what}{also}; pip installs with "
            f"the {'hash that matches' if len(v.matched) == 1 else 'hashes that match'}, so this one is a leftover or a "
            f"mistake; remove it or regenerate the hashes ({REGENERATE})",
            entry=v.entry,
            related=related,
            fix=fix(v.node, v.entry),
        )


def _artifacts(ctx: Context, v: Verdict) -> Iterator[Finding]:
    """A pylock.toml's artifacts: one digest right and another wrong, or a file the index does not
    serve (while it serves the version)."""
    for c in v.artifacts:
        hashes = [v.entry.hashes[i] for i in c.artifact.hashes]
        if c.served is not None and c.right and c.wrong:
            h = v.entry.hashes[c.wrong[0]]
            yield ctx.finding(
                RULE,
                v.node,
                h.span,
                f"{c.artifact.filename}: the lock's {h.algo} is not the digest the index serves for that file, "
                "while another of its digests is; pip accepts the file "
                f"by the digest that matches, so this one is a mistake; {REGENERATE_LOCK}",
                entry=v.entry,
            )
        elif c.served is None and v.files and hashes:
            yield ctx.finding(
                RULE,
                v.node,
                hashes[0].span,
                f"the index serves no file named {c.artifact.filename} for {pinned(v.entry)} (it serves "
                f"{plural(len(v.files), 'other file')} of it), so its hash cannot be checked; a file removed from "
                f"the index, or a name changed by hand; {REGENERATE_LOCK}",
                entry=v.entry,
            )


def _other(u: Unknown) -> str:
    return f" (a file of {u.version})" if u.version is not None else ""


RULE = Rule(
    code="RH302",
    severity=Severity.WARNING,
    summary="Some listed hashes match the pinned version's files and some match none (`--index`).",
    check=_check_unknown,
    tags=("supply-chain",),
    evidence=True,
    fixable=True,
)
