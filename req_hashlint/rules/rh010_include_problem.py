"""RH010 include-problem."""

from __future__ import annotations

from collections.abc import Iterator

from .._graph import IncludeProblem, Reason
from .._model import Finding, Severity
from ._base import Context, Rule


def _sentence(p: IncludeProblem) -> str:
    inc = f"`{p.include.kind} {p.include.target}`"
    match p.reason:
        case Reason.URL:
            return f"{inc} is a URL; it is never fetched, so its requirements are not checked"
        case Reason.EMPTY:
            return f"`{p.include.kind}` has an empty file name"
        case Reason.OUTSIDE:
            return f"{inc} points outside the repository; it is not followed, so nothing outside is read"
        case Reason.SYMLINK_OUTSIDE:
            return f"{inc} is a symlink that leads outside the repository; it is not followed"
        case Reason.GIT_DIR:
            return f"{inc} points into the repository's .git directory, which is never read"
        case Reason.MISSING:
            return f"{inc} does not exist (looked for {p.fact}); pip fails to open it"
        case Reason.UNREADABLE:
            return f"{inc} cannot be read ({p.fact}); pip fails to open it"
        case Reason.CYCLE:
            return f"{inc} makes an include cycle ({p.fact}); pip refuses the file"
        case Reason.TOO_DEEP:
            return f"{inc} is {p.fact} includes deep; not followed further"
        case Reason.FILE_BUDGET:
            return (
                f"{inc} is not followed, so it is not checked: this run already reads {p.fact} files, the most it reads"
            )
        case Reason.VISIT_BUDGET:
            return (
                f"{inc} is not followed: this run's include graphs already reach {p.fact} files "
                "(counted once per root file)"
            )


def _check_includes(ctx: Context) -> Iterator[Finding]:
    for problem in ctx.graph.problems.values():
        node = ctx.graph.nodes[problem.node_key]
        if problem.reason is Reason.URL:
            yield ctx.finding(RULE, node, problem.include.span, _sentence(problem), severity=Severity.WARNING)
        else:
            yield ctx.finding(RULE, node, problem.include.span, _sentence(problem))


RULE = Rule(
    code="RH010",
    severity=Severity.ERROR,
    summary="A `-r`/`-c` target that is missing, unreadable, cyclic or outside the repository; a URL include is a warning.",
    check=_check_includes,
    tags=("reliability",),
)
