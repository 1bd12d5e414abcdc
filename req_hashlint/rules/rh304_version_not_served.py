"""RH304 version-not-served."""

from __future__ import annotations

from collections.abc import Iterator

from .._model import Finding, Severity
from ._base import REGENERATE_LOCK, Context, Rule, listing, pinned


def _check_not_served(ctx: Context) -> Iterator[Finding]:
    if ctx.evidence is None:
        return
    for v in ctx.verdicts:
        if v.files:
            continue
        where = listing(list(v.page.indexes)) if v.page.indexes else "the index"
        if v.latest is None:
            served = f"{where} serves no installable file of {v.page.project} at all"
            fix = "check the project's name and the index, or remove the line"
        else:
            served = f"{where} serves no file of {v.entry.version}"
            near = " and ".join(n for n in v.nearby if n != v.latest)
            served += f" (near it: {near}; the latest: {v.latest})" if near else f" (the latest: {v.latest})"
            fix = "pin a version the index serves"
        if v.node.file is not None and v.node.file.lock:  # pip downloads the lock's own URLs
            yield ctx.finding(
                RULE,
                v.node,
                v.entry.span,
                f"{pinned(v.entry)}: {served}, so none of the lock's files can be checked against it, and "
                "URLs on that index fail ('404 Not Found'); check the package's `index` and version, or "
                f"{REGENERATE_LOCK}",
                entry=v.entry,
            )
            continue
        yield ctx.finding(
            RULE,
            v.node,
            v.entry.span,
            f"{pinned(v.entry)}: {served}; pip fails with 'No matching distribution found'; {fix}",
            entry=v.entry,
        )


RULE = Rule(
    code="RH304",
    severity=Severity.ERROR,
    summary="The index serves no file of the pinned version (`--index`).",
    check=_check_not_served,
    tags=("reliability",),
    evidence=True,
)
