"""RH002 missing-hash."""

from __future__ import annotations

from collections.abc import Iterator

from .._model import EntryKind, Finding, Severity
from ._base import REGENERATE, UNHASHABLE_KINDS, Context, Docs, Rule, describe

_STRONG = ("sha256", "sha384", "sha512")


def _check_missing(ctx: Context) -> Iterator[Finding]:
    for node, entry in ctx.entries():
        if node.constraint or entry.error or entry.kind in UNHASHABLE_KINDS or entry.hashes:
            continue
        if entry.url_hash is not None and entry.url_hash[0] in _STRONG:
            continue
        if not ctx.hashes_required(node):
            continue
        if node.file is not None and entry.span in node.file.consequences:
            continue  # a comment before a `\` swallowed the hashes: RH006 reports the cause (issue 18.5)
        what = describe(entry)
        if entry.kind is EntryKind.NAMED:
            how = f"regenerate the hashes ({REGENERATE})"
        else:
            how = "add `--hash=sha256:<digest>` of that file (`pip hash FILE`) or a `#sha256=` URL fragment"
        if ctx.hash_mode_on(node):
            effect = "pip's hash-checking mode is on, so it refuses this (HashMissing)"
        else:
            effect = "pip installs whatever the index serves"
        yield ctx.finding(
            RULE,
            node,
            entry.span,
            f"{what} has no --hash; {effect}; {how}",
            entry=entry,
        )


RULE = Rule(
    code="RH002",
    severity=Severity.ERROR,
    summary="A requirement has no `--hash` (and, for a URL, no `#sha256=` fragment).",
    docs=Docs(
        what=(
            "A requirement (named, a direct URL, or an archive path) has no `--hash`, and a URL has no "
            "`#sha256=`/`#sha384=`/`#sha512=` fragment either. With the default "
            '`require-hashes = "always"` every requirement needs one; with `"when-any"` only when '
            "pip's hash mode is on for the include graph (any `--hash` anywhere in it, constraint "
            "files included, or a `--require-hashes` line)."
        ),
        why=(
            "As soon as one requirement in an install carries a `--hash`, pip checks every one and "
            "stops with *'Hashes are required in --require-hashes mode, but they are missing from some "
            "requirements'* (HashMissing) for each that has none, one run at a time, after the "
            "downloads. It happens when a line is added by hand to a compiled file, when a file "
            "without hashes is included with `-r`, or when hashes were never generated."
        ),
        fix=(
            "Regenerate the file with hashes: `pip-compile --generate-hashes`, or "
            "`uv pip compile --generate-hashes`. For one file, `pip hash FILE` (or `pip download` then "
            "`pip hash`) prints the `--hash=sha256:...` to add."
        ),
        example=(
            "```\n# fires (another entry has a hash, so pip requires one here too)\nidna==3.7\n\n"
            "# fine\nidna==3.7 \\\n    --hash=sha256:028ff3aadf0609c1fd278d8ea3089299412a7a8b9bd005dd08b9f8285bcb5cfa\n```"
        ),
    ),
    check=_check_missing,
    tags=("security", "supply-chain"),
    security_severity=5.0,
)
