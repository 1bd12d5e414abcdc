"""RH004 invalid-hash."""

from __future__ import annotations

from collections.abc import Iterator

from .._model import Finding, Severity
from ._base import REGENERATE, Context, Docs, Rule, describe, hash_problem


def _check_invalid(ctx: Context) -> Iterator[Finding]:
    for node, entry, h in ctx.odd_hashes:
        problem = hash_problem(h)
        glued = node.file is not None and h.span in node.file.consequences  # RH006 reports it (issue 18.5)
        if problem is not None and not glued:
            yield ctx.finding(
                RULE,
                node,
                h.span,
                f"{describe(entry)}: {problem}; regenerate it ({REGENERATE}, or `pip hash FILE`)",
                entry=entry,
            )


RULE = Rule(
    code="RH004",
    severity=Severity.ERROR,
    summary="A `--hash` value pip rejects or can never match, or one that cannot be verified (`${VAR}`).",
    docs=Docs(
        what=(
            "A `--hash` value is malformed: the algorithm is not `sha256`, `sha384` or `sha512` (pip is "
            "case-sensitive, so `SHA256` fails), the `:` is missing, the digest is empty, not "
            "hexadecimal, or not 64/96/128 digits long for its algorithm; or it is unverifiable: it "
            "contains a `${VAR}`, which pip replaces with that environment variable at install time."
        ),
        why=(
            "A bad algorithm or a missing `:` makes pip reject the whole file before it installs "
            "anything. A digest of the wrong length or with non-hex characters is accepted, but no "
            "file can ever match it, so pip fails late with *'THESE PACKAGES DO NOT MATCH THE HASHES "
            "FROM THE REQUIREMENTS FILE'*. A `${VAR}` may well expand to the right digest where the "
            "variable is set, but the file no longer says which digest it pins: review, the other "
            "rules and every machine without the variable see a value no file matches (pip keeps "
            "the text of an unset variable), so req-hashlint reports it as unverifiable, stricter "
            "than pip on purpose (docs/stricter-than-pip.md). Usual causes: a truncated paste, a "
            "merge conflict, a template variable, or a digest copied from a web page in base64."
        ),
        fix="Regenerate the hashes (`pip-compile --generate-hashes`, `uv pip compile --generate-hashes`) or take them from `pip hash FILE`.",
        example=(
            "```\n# fires\nsix==1.16.0 --hash=SHA256:1e61c37477a1626458e36f7b1d82aa5c9b094fa4802892072e49de9c60c4c926\n"
            "six==1.16.0 --hash=sha256:1e61c374\n```"
        ),
    ),
    check=_check_invalid,
    tags=("supply-chain", "reliability"),
)
