"""RH003 unhashable-requirement."""

from __future__ import annotations

from collections.abc import Iterator

from .._model import EntryKind, Finding, Severity
from ._base import UNHASHABLE_KINDS, Context, Docs, Rule, describe

_REFUSAL = {
    EntryKind.EDITABLE: "pip refuses editables in hash-checking mode (there is no single file to hash)",
    EntryKind.VCS: "pip cannot hash-check a version-control checkout (VcsHashUnsupported)",
    EntryKind.DIRECTORY: "pip cannot hash-check a local directory (DirectoryUrlHashUnsupported)",
}


def _check_unhashable(ctx: Context) -> Iterator[Finding]:
    for node, entry in ctx.entries():
        if entry.kind not in UNHASHABLE_KINDS or entry.error:
            continue
        if not ctx.hashes_required(node):
            continue
        if entry.kind is EntryKind.EDITABLE:
            fix = "install it in a separate pip call (`pip install --no-deps -e ...`)"
        elif entry.kind is EntryKind.VCS:
            fix = "pin a released version with hashes, or a built archive URL with `#sha256=`"
        else:
            fix = "require a built archive with its hash, or install it in a separate pip call"
        yield ctx.finding(
            RULE,
            node,
            entry.span,
            f"{describe(entry)}: {_REFUSAL[entry.kind]}; {fix}",
            entry=entry,
        )


RULE = Rule(
    code="RH003",
    name="unhashable-requirement",
    severity=Severity.ERROR,
    summary="An editable, a VCS URL or a local directory: pip cannot hash-check it.",
    docs=Docs(
        what=(
            "The requirement is an editable (`-e`), a version-control URL (`git+`, `hg+`, `svn+`, "
            "`bzr+`), or a local directory (`.`, `./pkg`, a `file:` URL to a folder). None of these "
            "is a file with a fixed digest."
        ),
        why=(
            "In hash-checking mode pip refuses them outright: editables with *'The editable "
            "requirement ... cannot be installed when requiring hashes, because there is no single "
            "file to hash'*, VCS URLs with VcsHashUnsupported, directories with "
            "DirectoryUrlHashUnsupported. Development requirements files often mix `-e .` into a "
            "hashed lock."
        ),
        fix=(
            "Keep the lock for third-party packages only and install the project in a second step "
            "(`pip install --require-hashes -r requirements.txt` then `pip install --no-deps -e .`). "
            "For a VCS dependency, pin a released version or a built archive URL with `#sha256=`."
        ),
        example="```\n# fires\n-e .\ngit+https://github.com/org/lib@v1.2#egg=lib\n./vendor/pkg\n```",
    ),
    check=_check_unhashable,
    tags=("supply-chain", "reliability"),
)
