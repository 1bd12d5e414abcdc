"""RH306 builds-from-source."""

from __future__ import annotations

from collections.abc import Iterator

from .._model import Finding, Severity
from ._base import REGENERATE, REGENERATE_LOCK, Context, Rule, environments_text, pinned


def _check_sdist(ctx: Context) -> Iterator[Finding]:
    if ctx.evidence is None:
        return
    for v in ctx.verdicts:
        lock = v.node.file is not None and v.node.file.lock
        # a lock's file is what Pylock.select takes there, from the lock's own files
        built = [p for p in v.picks if p.sdist and (p.hashed is True or (lock and p.hashed is None))]
        if not built:
            continue
        if lock and any(p.wheels for p in built):
            fix = f"the index serves wheels for them: lock them too ({REGENERATE_LOCK})"
        elif any(p.wheels for p in built):
            fix = f"add the hashes of its wheels ({REGENERATE})"
        else:
            fix = "pin a version that ships wheels for them, or accept the build"
        where = environments_text((p.env for p in built), of=len(v.picks))
        yield ctx.finding(
            RULE,
            v.node,
            v.entry.span,
            f"{pinned(v.entry)}: on {where}, {'the lock lists no wheel that' if lock else 'no hashed wheel'} installs, so pip builds "
            f"{built[0].file.filename} from source and installs its build dependencies with no hash check; {fix}",
            entry=v.entry,
        )


RULE = Rule(
    code="RH306",
    severity=Severity.WARNING,
    summary="For a target environment, the only hashed file pip can install is an sdist (`--index`).",
    check=_check_sdist,
    tags=("supply-chain", "security"),
    evidence=True,
)
