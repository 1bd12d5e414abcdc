"""RH901 unreadable-file."""

from __future__ import annotations

from collections.abc import Iterator

from .._model import Finding, Severity, Span
from ._base import Context, Docs, Rule


def _check_unreadable(ctx: Context) -> Iterator[Finding]:
    for node in ctx.graph.nodes.values():
        if node.read_error is not None and node.included_by is None:
            yield ctx.finding(RULE, node, Span(1, 1, 1, 1), f"cannot read this file: {node.read_error}")


RULE = Rule(
    code="RH901",
    name="unreadable-file",
    severity=Severity.ERROR,
    summary="A file that cannot be read or decoded, or that a run over 50,000 files did not reach.",
    docs=Docs(
        what=(
            "A file given to the linter cannot be read or decoded: it is binary, not valid in its "
            "declared encoding (UTF-8 unless a BOM or a `# -*- coding: ... -*-` line says otherwise), "
            "a directory or device, too large, or permission is denied. Also a file no requirements "
            "file looks like, refused before it is parsed (over 16 MiB, 200,000 lines, 400,000 words, "
            "or a line over 1 MiB), or that gave more than 10,000 findings; a file that is a "
            "symlink leading outside the repository or into `.git`, which is never read; and a file "
            "not linted because the run already read 50,000 files (one file counts once, however "
            "many paths or symlinks reach it)."
        ),
        why=(
            "pip could not read it either, or would read it with the machine's locale encoding and "
            "get something else on another machine. A file saved by an editor in UTF-16 without a "
            "BOM, or a binary file matching the `files` pattern, causes it."
        ),
        fix="Save the file as UTF-8 (or add a coding line), or exclude it with the `exclude` setting.",
        example="A `requirements.txt` saved as Windows-1252 with an `é` in a comment and no coding line.",
    ),
    check=_check_unreadable,
    tags=("reliability",),
)
