"""RH902 base-unavailable."""

from __future__ import annotations

from collections.abc import Iterator

from .._model import Finding, Severity, Span
from ._base import Context, Docs, Rule


def _check_unavailable(ctx: Context) -> Iterator[Finding]:
    done: set[str] = set()
    for node in ctx.nodes():
        why = ctx.base_unavailable.get(node.abspath)
        if why is None or node.abspath in done:
            continue
        done.add(node.abspath)
        yield ctx.finding(
            RULE,
            node,
            Span(1, 1, 1, 1),
            f"the stale-hash checks (RH101-RH104) did not run for this file: {why}; they compare it with "
            "its version at a git base (--base, default HEAD)",
        )


RULE = Rule(
    code="RH902",
    name="base-unavailable",
    severity=Severity.NOTE,
    summary="The diff rules could not run for a file: the base revision is unavailable.",
    docs=Docs(
        what=(
            "The diff rules (RH101 to RH104) compare each file with its version at a git base, `HEAD` "
            "unless `--base` or the `base` setting says otherwise. For this file there is no base: it "
            "is not in a git repository, git is not installed, the repository has no commits yet, or "
            "its base version cannot be read."
        ),
        why=(
            "Without a base there is nothing to compare, so stale hashes cannot be found. With the "
            "default base this is only a note; with an explicit `--base` (or `base` setting) that does "
            "not resolve, as in a shallow CI clone, the run stops with exit code 2 instead, so that a "
            "misconfigured check cannot pass silently."
        ),
        fix=(
            "Run inside the git repository, commit once, or pass `--no-base` to turn the diff rules off. "
            "In CI, fetch the history the base needs (`actions/checkout` with `fetch-depth: 0`)."
        ),
        example="A requirements file linted in a directory that is not a git repository, or just after `git init`.",
    ),
    check=_check_unavailable,
    tags=("reliability",),
    diff=True,
)
