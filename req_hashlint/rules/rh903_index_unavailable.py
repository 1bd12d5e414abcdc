"""RH903 index-unavailable."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from .._model import Finding, Severity
from ._base import Context, Rule, listing, pinned, plural, quoted

if TYPE_CHECKING:
    from .._graph import Node
    from .._model import Entry
    from ..index._model import Unavailable

_SKIPPED = "its index checks (RH3xx) were skipped"
_SKIPPED_ALL = "their index checks (RH3xx) were skipped"


def _why(u: Unavailable, projects: list[str]) -> str:
    """Why ``projects`` (``u.project`` among them) have no evidence, for one cause and detail."""
    detail = quoted(u.detail) if u.detail else ""
    cause = u.cause.name
    one = len(projects) == 1
    who = projects[0] if one else f"{plural(len(projects), 'project')} ({listing(projects, 5)})"
    skipped = _SKIPPED if one else _SKIPPED_ALL
    if cause == "FIND_LINKS":
        where = f" ({detail})" if detail else ""
        return (
            f"pip reads --find-links{where} for {who}, and files found there are not verifiable "
            f"against an index; {skipped}"
        )
    if cause == "NO_INDEX":
        return (
            f"no index is used for {who} (--no-index): pip installs {'it' if one else 'them'} from --find-links "
            f"or local files, which are not verifiable; {skipped}"
        )
    detail = f": {detail}" if detail else ""
    return f"the index could not be asked about {who} ({u.cause.value}{detail}); {skipped}"


def _check_unavailable(ctx: Context) -> Iterator[Finding]:
    if ctx.evidence is None:
        return
    seen: set[tuple[str, str]] = set()
    # one note per cause and detail (an index down is one problem, however many projects it holds),
    # at the first entry it leaves unchecked
    groups: dict[tuple[str, str], tuple[Node, Entry, Unavailable, list[str]]] = {}
    for node, entry, u in ctx.unavailable:
        if (u.project, u.cause.name) in seen:
            continue
        seen.add((u.project, u.cause.name))
        groups.setdefault((u.cause.name, u.detail), (node, entry, u, []))[3].append(u.project)
    for node, entry, u, projects in groups.values():
        yield ctx.finding(RULE, node, entry.span, _why(u, projects), entry=entry)
    for v in ctx.verdicts:
        if v.verifiable or (v.page.project, "digests") in seen:
            continue
        seen.add((v.page.project, "digests"))
        algos = listing(sorted({h.partition(":")[0] for h in v.unchecked}))
        yield ctx.finding(
            RULE,
            v.node,
            v.entry.span,
            f"the index gives no {algos} digest for every file of {pinned(v.entry)}, so its "
            f"{plural(len(v.hashes), 'hash', 'hashes')} cannot be checked before the install; "
            "its hash checks (RH301-RH303, RH306) were skipped; list sha256 hashes, which indexes give",
            entry=v.entry,
        )

    skipped = [(node, entry, u) for node, entry, u in ctx.dependencies.unavailable if u.cause.name == "NO_METADATA"]
    for node, entry, u in ctx.dependencies.unavailable:
        if u.cause.name != "NO_METADATA" and (u.project, u.cause.name) not in seen:
            seen.add((u.project, u.cause.name))
            detail = f": {quoted(u.detail)}" if u.detail else ""
            yield ctx.finding(
                RULE,
                node,
                entry.span,
                f"the core metadata of {u.project} could not be had ({u.cause.value}{detail}); its dependency "
                "checks (RH307, RH308) were skipped",
                entry=entry,
            )
    if skipped:  # one note per run: a mirror that strips PEP 658 metadata lacks it for every project
        node, entry, _ = min(skipped, key=lambda s: (s[0].display, s[1].first_line))
        projects = sorted({u.project for _, _, u in skipped})
        names = listing(projects, 5)
        yield ctx.finding(
            RULE,
            node,
            entry.span,
            f"the index serves no core metadata (PEP 658) for the files pip would install of "
            f"{plural(len(projects), 'project')} ({names}), so their dependencies were not checked "
            "(RH307, RH308); req-hashlint never downloads an artifact to read it. pypi.org serves it for "
            "every wheel; a mirror or proxy may strip it, and an sdist-only release has none",
            entry=entry,
        )


RULE = Rule(
    code="RH903",
    severity=Severity.NOTE,
    summary="Index evidence was asked for but could not be had for a project (`--index`).",
    check=_check_unavailable,
    tags=("reliability",),
    evidence=True,
)
