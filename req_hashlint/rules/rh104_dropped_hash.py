"""RH104 dropped-hash."""

from __future__ import annotations

from collections.abc import Iterator

from .._model import Finding, Severity
from ._base import H_NEW, H_OLD, REGENERATE, Context, Docs, Rule, plural


def _check_dropped(ctx: Context) -> Iterator[Finding]:
    nodes, comparison = ctx.diff
    for r in comparison.releases:
        if r.added:
            continue
        # Only algorithms still listed for the release: dropping the sha512 line of a file
        # whose sha256 stays drops no file.
        algos = {h.algo for _, e in r.entries for h in e.hashes}
        removed = [v for v in r.removed if v.split(":", 1)[0] in algos]
        if not removed:
            continue
        index, entry = r.entries[0]
        name = entry.name or r.key
        n = len(removed)
        yield ctx.finding(
            RULE,
            nodes[index],
            entry.span,
            f"{name} {entry.version} is the same version as at the base, but "
            f"{plural(n, 'of its --hash values was', 'of its --hash values were')} removed and none added: "
            f"pip can no longer install the {'file' if n == 1 else 'files'} behind "
            f"{'it' if n == 1 else 'them'}, so it builds from another file (often the sdist) or fails "
            "on a platform whose only hashed file was dropped; restore the hashes (regenerate the "
            f"entry: {REGENERATE}), or suppress this finding if the files were meant to go",
            entry=entry,
        )


RULE = Rule(
    code="RH104",
    name="dropped-hash",
    severity=Severity.WARNING,
    summary="The version is unchanged since the base, and hashes were only removed.",
    docs=Docs(
        what=(
            "Compared with the files at the git base, a requirement's pinned version is the same, and "
            "some of the `--hash` values the base listed for that release are now listed nowhere in the "
            "run, with none added. Hashes are pooled per release (project and version) over every file "
            "of the run, so moving a hash to another entry of the same release is no finding, and neither is "
            "dropping every hash of one algorithm while another stays (the same files, hashed fewer ways)."
        ),
        why=(
            "Each hash is one file pip may install. Drop a wheel's hash and pip quietly picks another "
            "file that still matches, often the sdist, which it builds from source (with build "
            "dependencies installed unchecked), or fails with HashMismatch on a platform whose only "
            "file was that wheel. A hand edit, a merge that lost lines, or a lock regenerated on a "
            "narrower platform set leaves it, and the linter saw nothing wrong with the file."
        ),
        fix=(
            f"Regenerate the entry ({REGENERATE}) or restore the dropped lines. If the files were "
            "dropped on purpose (a platform you no longer support), suppress the finding on that entry "
            "(`# req-hashlint: ignore[dropped-hash]`) for this change."
        ),
        example=(
            f"```\n# at the base\nrich==14.0.0 \\\n    --hash={H_OLD} \\\n    --hash={H_NEW}\n\n"
            f"# now: fires, the second file's hash is gone\nrich==14.0.0 \\\n    --hash={H_OLD}\n```"
        ),
    ),
    check=_check_dropped,
    tags=("reliability", "supply-chain"),
    diff=True,
)
