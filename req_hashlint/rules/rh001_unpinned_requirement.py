"""RH001 unpinned-requirement."""

from __future__ import annotations

from collections.abc import Iterator

from .._model import EntryKind, Finding, Severity
from ._base import Context, Docs, Rule


def _check_unpinned(ctx: Context) -> Iterator[Finding]:
    for node, entry in ctx.entries():
        if entry.kind is not EntryKind.NAMED or entry.error or entry.version is not None:
            continue
        if node.constraint:
            if not entry.hashes:
                continue
        elif not ctx.hashes_required(node):
            continue
        spec = entry.specifier
        if not spec:
            why = "has no version"
        elif "*" in spec and spec.startswith("==") and "," not in spec:
            why = f"uses the wildcard `{spec}`, which pip accepts until the next matching release breaks its hashes"
        else:
            why = f"allows a range of versions, `{spec}`"
        if entry.hashes:
            tail = "its hashes match one version only, and pip < 26.1 and uv refuse a hashed range"
        else:
            tail = "pip's hash-checking mode refuses unpinned requirements (HashUnpinned)"
        yield ctx.finding(
            RULE,
            node,
            entry.span,
            f"{entry.name} {why}; {tail}; pin it to one version with `==`",
            entry=entry,
        )


RULE = Rule(
    code="RH001",
    name="unpinned-requirement",
    severity=Severity.ERROR,
    summary="A named requirement not pinned to exactly one `==V` (no wildcard) or `===V`.",
    docs=Docs(
        what=(
            "A requirement names a project without pinning it to exactly one version: a bare name, "
            "a range (`>=`, `<`, `~=`, `!=`), a wildcard (`==1.*`) or several specifiers. "
            "Constraint entries (reached through `-c`) are checked only when they carry hashes."
        ),
        why=(
            "A `--hash` describes the files of one release. pip's hash-checking mode, which any "
            "`--hash` in the install switches on, refuses requirements that are not pinned with `==` "
            "or `===`: *'In --require-hashes mode, all requirements must have their versions pinned "
            "with =='* (HashUnpinned). A wildcard such as `==1.*` gets past "
            "pip, but the day a new 1.x release appears, its files match none of the hashes. "
            "Hand-written `requirements.txt` files and `.in` files copied as locks are the usual source."
        ),
        fix=(
            "Pin every requirement to the version you tested, ideally by compiling the file: "
            "`pip-compile --generate-hashes requirements.in` or "
            "`uv pip compile --generate-hashes requirements.in -o requirements.txt`."
        ),
        example=(
            "```\n# fires\nrequests>=2.31\nflask\nurllib3==2.*\n\n# fine\nrequests==2.32.3 \\\n"
            "    --hash=sha256:70761cfe03c773ceb22aa2f671b4757976145175cdfca038c02654d061d6dcc6\n```"
        ),
    ),
    check=_check_unpinned,
    tags=("supply-chain", "reliability"),
)
