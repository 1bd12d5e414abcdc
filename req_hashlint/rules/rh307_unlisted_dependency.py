"""RH307 unlisted-dependency."""

from __future__ import annotations

from collections.abc import Iterator

from .._model import Finding, Severity
from ._base import REGENERATE_LOCK, Context, Rule, environments_text, pinned, quoted


def _check_dependencies(ctx: Context) -> Iterator[Finding]:
    if ctx.evidence is None:
        return
    for m in ctx.dependencies.missing:
        where = environments_text(m.envs, of=len(ctx.environments))
        how = f"is {m.listed}" if m.listed else "is not listed"
        if m.declared:  # a pylock.toml package's own `dependencies`
            message = (
                f"{pinned(m.entry)}'s own `dependencies` name `{quoted(m.requirement, 120)}`, which this lock "
                f"does not have: the lock contradicts itself (pip reads {m.entry.name}'s core metadata, not these "
                f"tables, and if it needs {m.dependency} on {where}, its hash-checking mode refuses to take it "
                f"from outside the lock); {REGENERATE_LOCK}"
            )
        elif m.node.file is not None and m.node.file.lock:
            message = (
                f"{pinned(m.entry)} requires `{quoted(m.requirement, 120)}` on {where} (its core metadata), and "
                f"{m.dependency} {how} in this lock: pip's hash-checking mode refuses to take it from outside "
                f"the lock; {REGENERATE_LOCK}"
            )
        else:
            message = (
                f"{pinned(m.entry)} requires `{quoted(m.requirement, 120)}` on {where}, and {m.dependency} {how} "
                "in this install: pip's hash-checking mode refuses it there (it installs only what is pinned with "
                f"`==` and hashed); add {m.dependency} pinned, with its hashes (and its marker, if it is needed "
                "only there), or regenerate the lock for every target platform (uv pip compile --universal "
                "--generate-hashes)"
            )
        yield ctx.finding(RULE, m.node, m.entry.span, message, entry=m.entry)


RULE = Rule(
    code="RH307",
    severity=Severity.ERROR,
    summary="A dependency of a pinned package is not listed pinned and hashed (`--index`).",
    check=_check_dependencies,
    tags=("reliability", "portability"),
    evidence=True,
)
