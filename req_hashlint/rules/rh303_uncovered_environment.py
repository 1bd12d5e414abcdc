"""RH303 uncovered-environment."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from .._model import Finding, Severity
from ._base import LOCK_TOOLS, REGENERATE, Context, Rule, environments_text, pinned, plural
from .rh301_hash_mismatch import index_fixes

if TYPE_CHECKING:
    from ..index._verdict import Verdict


def _check_uncovered(ctx: Context) -> Iterator[Finding]:
    if ctx.evidence is None:
        return
    fix = index_fixes(ctx)
    for v in ctx.verdicts:
        yield from _lock(ctx, v)
        if not v.matched:
            continue  # none matches anywhere: RH301 (or nothing to say)
        uncovered = [p for p in v.picks if p.hashed is False]
        if not uncovered:
            continue
        files = list(dict.fromkeys(p.file.filename for p in uncovered))
        others = f" (and {plural(len(files) - 1, 'other file')} elsewhere)" if len(files) > 1 else ""
        where = environments_text((p.env for p in uncovered), of=len(v.picks))
        yield ctx.finding(
            RULE,
            v.node,
            v.entry.span,
            f"{pinned(v.entry)}: on {where}, pip picks {files[0]}{others}, whose hash is not "
            f"listed, and fails (HashMismatch); add the hashes of every file of "
            f"{v.entry.version} ({REGENERATE}), or set `environments` to the platforms you install on",
            entry=v.entry,
            fix=fix(v.node, v.entry),
        )


def _lock(ctx: Context, v: Verdict) -> Iterator[Finding]:
    """A pylock.toml package: environments where it lists no file that installs, while the index
    serves one (a lock of one platform is judged on that platform alone: RH013 is its finding)."""
    if not v.uncovered:
        return
    files = list(dict.fromkeys(f.filename for _, f in v.uncovered))
    others = f" (and {plural(len(files) - 1, 'other file')} elsewhere)" if len(files) > 1 else ""
    where = environments_text(env for env, _ in v.uncovered)
    yield ctx.finding(
        RULE,
        v.node,
        v.entry.span,
        f"{pinned(v.entry)}: on {where}, the lock lists no file that installs, while the index serves "
        f"{files[0]}{others}; pip there fails ('No wheel found matching the provided tags'); regenerate the "
        f"lock for every target platform ({LOCK_TOOLS}), or declare `environments` to the platforms you "
        "install on",
        entry=v.entry,
    )


RULE = Rule(
    code="RH303",
    severity=Severity.ERROR,
    summary="For a target environment, no file it could install is hashed (`--index`).",
    check=_check_uncovered,
    tags=("reliability", "portability"),
    evidence=True,
    fixable=True,
)
