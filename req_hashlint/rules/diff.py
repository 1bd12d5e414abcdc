"""RH101 stale-hash, RH102 leftover-hash, RH103 rehashed-same-version, RH104 dropped-hash,
RH902 base-unavailable.

Each file is compared with its own version at the git base (``Context.base``); the pairing
and the comparison live in ``_diff``. A file new at the base gets the file rules only.
"""

from __future__ import annotations

from collections.abc import Iterator

from .._diff import (
    HISTORY_DEPTH,
    BaseFiles,
    Comparison,
    Release,
    Stale,
    compare,
    hash_set,
    hash_value,
)
from .._graph import Node
from .._model import Finding, ReqFile, Severity, Span
from .._versions import direction, version_key
from ._base import REGENERATE, Context, Docs, Rule, plural

_H_OLD = "sha256:1e61c37477a1626458e36f7b1d82aa5c9b094fa4802892072e49de9c60c4c926"
_H_NEW = "sha256:82fee1fc78add43492d3a1898bfa6d8a904cc97d8427f683ed8e798d07761aa0"


def _compared(ctx: Context) -> tuple[list[Node], Comparison]:
    """Every file of the run that has a base version, once, and their comparison.

    Computed once per run: the diff rules share it.
    """
    found = ctx.memo.get("diff-comparison")
    if isinstance(found, tuple):
        return found
    nodes: list[Node] = []
    files: list[tuple[ReqFile | None, ReqFile]] = []
    seen: set[str] = set()
    for node in ctx.nodes():
        if node.abspath in seen or node.abspath not in ctx.base:
            continue
        seen.add(node.abspath)
        assert node.file is not None
        nodes.append(node)
        files.append((ctx.base[node.abspath], node.file))
    out = (nodes, compare(files))
    ctx.memo["diff-comparison"] = out
    return out


def _changed(s: Stale) -> str:
    """`rich bumped 14.3.4 -> 15.0.0` (or downgraded, or changed)."""
    words = {direction(old, s.new_version) for old in s.versions}
    word = words.pop() if len(words) == 1 else "changed"
    return f"{s.name} {word} {s.old_version} -> {s.new_version}"


_TOOLS = ("pip-compile ", "uv pip compile ")
_VALUED = frozenset({"-o", "--output-file", "-c", "--constraint", "-r", "--requirement", "-P", "--upgrade-package"})


def header_command(text: str) -> str | None:
    """The `pip-compile ...` or `uv pip compile ...` command a compiled lock's header comment
    says made it (`#    pip-compile --generate-hashes --output-file=requirements.txt requirements.in`)."""
    for n, line in enumerate(text.splitlines()):
        if n > 40:
            break
        line = line.strip()
        if not line:
            continue
        if not line.startswith("#"):
            break
        body = line.lstrip("#").strip()
        if body.startswith(_TOOLS) and "\\" not in body:
            return body
    return None


def _inputs(command: str) -> list[str]:
    """The input files a header's command names (`requirements.in`, `pyproject.toml`, ...)."""
    import shlex

    try:
        words = shlex.split(command)
    except ValueError:
        return []
    words = words[1:] if words[0] == "pip-compile" else words[3:]
    out: list[str] = []
    skip = False
    for w in words:
        if skip:
            skip = False
        elif w in _VALUED:
            skip = True
        elif not w.startswith("-"):
            out.append(w)
    return out


def _regenerate(ctx: Context, node: Node, s: Stale) -> str:
    pin = f"{s.name}=={s.new_version}"
    text = ctx.base.text(node.abspath) if isinstance(ctx.base, BaseFiles) else None
    command = header_command(text) if text is not None else None
    if command is not None:
        inputs = _inputs(command)
        where = " and ".join(f"`{i}`" for i in inputs) if inputs else "its input"
        return (
            f"if {where} pins {s.name} to another version, change it to =={s.new_version} first; then "
            f"re-run the command this file's header names, releasing the pin: `{command} -P {pin}` "
            "(a plain re-run keeps the hashes already written for a pin)"
        )
    return (
        "with the command that made this file, releasing the pin and naming its input and output "
        f"(`pip-compile --generate-hashes -P {pin} requirements.in -o requirements.txt`, or `uv pip compile "
        f"--generate-hashes -P {pin} requirements.in -o requirements.txt`, after changing any other pin of "
        f"{s.name} in the input), or by hand: `pip hash` each file of {pin}"
    )


def _check_stale(ctx: Context) -> Iterator[Finding]:
    nodes, comparison = _compared(ctx)
    for s in comparison.stale:
        if s.stale != s.hashes:
            continue
        n = len(s.hashes)
        values = plural(n, "--hash value")
        state = (
            f"{'are' if n > 1 else 'is'} unchanged from {s.old_version}"
            if s.unchanged
            else f"{'were all' if n > 1 else 'was'} already listed for {s.old_version}"
        )
        yield ctx.finding(
            STALE,
            nodes[s.index],
            s.entry.span,
            f"{_changed(s)} but its "
            f"{values} {state}, so pip will reject {s.new_version}'s files (HashMismatch); "
            f"regenerate them: {_regenerate(ctx, nodes[s.index], s)}",
            entry=s.entry,
        )


STALE = Rule(
    code="RH101",
    name="stale-hash",
    severity=Severity.ERROR,
    summary="The pinned version changed since the base, but the hashes did not.",
    docs=Docs(
        what=(
            "Compared with the files at the git base (`--base`, default `HEAD`), every `--hash` a "
            "requirement lists is one the base lists under another version of the same project, and "
            "none is listed there under this version: the pinned version changed, the hashes still "
            "describe the old version's files. A digest is one file, and a file is one version of one "
            "project, so no pairing of entries is needed: a split by marker, a merge, a rewritten "
            "marker, a rename (`Foo_Bar` is `foo-bar`) or a move to another file of the run changes "
            "nothing."
        ),
        why=(
            "pip downloads the new version, hashes it, finds none of the listed values and stops with "
            "*'THESE PACKAGES DO NOT MATCH THE HASHES FROM THE REQUIREMENTS FILE'*, after the download "
            "and only in CI or at deploy time. A hand edit of the version, a bot that bumps the pin "
            "without the hashes, a merge that took one side's version and the other side's hashes, "
            "and pip-compile's `--reuse-hashes` (on by default: a version edited by hand in a compiled "
            "file keeps its old hashes on the next run, and uv does the same) all produce it."
        ),
        fix=(
            "Regenerate the entry's hashes for the new version, releasing the pin so the old hashes are "
            "not reused. First change the pin in the input (`requirements.in`) if it names the old "
            "version: `-P` cannot override it. Then re-run the command the lock's header names with "
            "`-P NAME==VERSION` added, input and output included: `pip-compile --generate-hashes "
            "requirements.in -o requirements.txt -P NAME==VERSION` or `uv pip compile --generate-hashes "
            "requirements.in -o requirements.txt -P NAME==VERSION` (the finding prints the command "
            "from the header when there is one). For a hand-written file, `pip hash` each file of the "
            "new release."
        ),
        example=(
            f"```\n# at the base\nrich==14.3.4 \\\n    --hash={_H_OLD}\n\n"
            f"# now: fires, the hash is 14.3.4's\nrich==15.0.0 \\\n    --hash={_H_OLD}\n```"
        ),
    ),
    check=_check_stale,
    tags=("reliability", "supply-chain"),
    diff=True,
)


def _check_leftover(ctx: Context) -> Iterator[Finding]:
    nodes, comparison = _compared(ctx)
    for s in comparison.stale:
        kept = s.stale
        added = s.hashes - kept
        if not added:
            continue
        first = next(h for h in s.entry.hashes if hash_value(h.algo, h.digest) in kept)
        yield ctx.finding(
            LEFTOVER,
            nodes[s.index],
            first.span,
            f"{_changed(s)} and got "
            f"{plural(len(added), 'new --hash value')}, but {len(kept)} of {s.old_version}'s "
            f"{'hashes are' if len(kept) > 1 else 'hash is'} still listed (this is the first); remove "
            f"{'them' if len(kept) > 1 else 'it'}, or regenerate the entry ({REGENERATE})",
            entry=s.entry,
        )


LEFTOVER = Rule(
    code="RH102",
    name="leftover-hash",
    severity=Severity.WARNING,
    summary="The version changed and new hashes were added, but some old-version hashes are still listed.",
    docs=Docs(
        what=(
            "Compared with the files at the git base, a requirement's pinned version changed and hashes "
            "for the new version were added, but some hashes the base lists only under other versions "
            "of the project (the old version's files) are still listed."
        ),
        why=(
            "pip installs, since one listed hash matches, so nothing fails; but every leftover value "
            "is a file the lock still vouches for that it no longer means, the entry no longer says "
            "which files were reviewed, and the next stale-hash check has less to go on. A bump made "
            "by appending the new hashes to the old entry, or a merge of two regenerated versions, "
            "leaves them."
        ),
        fix=f"Delete the old version's hash lines, or regenerate the entry ({REGENERATE}).",
        example=(
            f"```\n# at the base\nrich==14.3.4 \\\n    --hash={_H_OLD}\n\n"
            f"# now: fires on the first --hash\nrich==15.0.0 \\\n    --hash={_H_OLD} \\\n    --hash={_H_NEW}\n```"
        ),
    ),
    check=_check_leftover,
    tags=("supply-chain",),
    diff=True,
)


def _check_rehashed(ctx: Context) -> Iterator[Finding]:
    nodes, comparison = _compared(ctx)
    for r in comparison.releases:
        # Only algorithms listed on both sides: moving from sha256 to sha512 replaces nothing.
        both = {v.split(":", 1)[0] for v in r.removed} & {v.split(":", 1)[0] for v in r.added}
        removed = {v for v in r.removed if v.split(":", 1)[0] in both}
        added = {v for v in r.added if v.split(":", 1)[0] in both}
        if not removed or not added or _repaired(ctx, nodes, r, removed):
            continue
        for index, entry in r.entries:
            first = next((h for h in entry.hashes if hash_value(h.algo, h.digest) in added), None)
            if first is None:
                continue
            name = entry.name or r.key
            yield ctx.finding(
                REHASHED,
                nodes[index],
                first.span,
                f"{name} {entry.version} is the same version as at the base, but "
                f"{_count(len(removed), 'hash was', 'hashes were')} "
                f"removed and {_count(len(added), 'was', 'were')} added (this is the first): the files "
                f"behind an unchanged version changed (a re-upload, a mirror serving other files, or "
                f"tampering); check where the new hash came from (`pip download {name}=={entry.version} "
                "--no-deps` and `pip hash`) before trusting it; once verified, end this line with "
                "`# req-hashlint: ignore[rehashed-same-version]`, or commit with `SKIP=req-hashlint`",
                entry=entry,
            )


def _repaired(ctx: Context, nodes: list[Node], r: Release, removed: set[str]) -> bool:
    """Whether the hashes removed were themselves stale at the base: each is listed under another
    version of the project in an earlier version of a file that holds the release (git history,
    the last ``HISTORY_DEPTH`` changes of the file before the base). Asked only when RH103
    would otherwise fire, so the common path runs no git."""
    if not isinstance(ctx.base, BaseFiles):
        return False
    earlier: set[str] = set()
    for abspath in dict.fromkeys(nodes[i].abspath for i, _ in r.entries):
        for f in ctx.base.earlier(abspath):
            for e in f.entries:
                if e.key == r.key and e.version is not None and version_key(e.version) != r.version:
                    earlier.update(hash_set(e))
    return removed <= earlier


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


REHASHED = Rule(
    code="RH103",
    name="rehashed-same-version",
    severity=Severity.WARNING,
    summary="The version is unchanged since the base, yet a hash was removed and another added.",
    docs=Docs(
        what=(
            "Compared with the file at the git base, a requirement's pinned version is the same, yet a "
            "hash was removed and another added: the files accepted for an unchanged release changed. "
            "Only adding hashes (a new wheel for an existing release) is no finding, and neither is a "
            "switch to another algorithm. Nor is a repair: when every hash removed was itself stale at "
            "the base, listed under another version of the project in an earlier version of the file "
            f"(git history: the last {HISTORY_DEPTH} commits before the base that changed it, read only "
            "when the rule would otherwise fire), the base was wrong and the change corrects it."
        ),
        why=(
            "Released files on PyPI are immutable, so the same version with other digests means the "
            "artifacts came from somewhere else: a package re-uploaded under the same version on another "
            "index, a mirror or proxy serving rebuilt files, a lock generated against a different "
            "index, or a tampered file. It is worth a look before the new digest becomes trusted."
        ),
        fix=(
            "Find where the new digest came from: download the release from the index you trust "
            "(`pip download NAME==VERSION --no-deps`), `pip hash` it, and keep only digests you can "
            "reproduce. Once verified, end the line the finding points at with "
            "`# req-hashlint: ignore[rehashed-same-version]`, or skip the hook for this one commit "
            "(`SKIP=req-hashlint git commit`)."
        ),
        example=(
            f"```\n# at the base\nrich==14.3.4 \\\n    --hash={_H_OLD}\n\n"
            f"# now: fires\nrich==14.3.4 \\\n    --hash={_H_NEW}\n```"
        ),
    ),
    check=_check_rehashed,
    tags=("security", "supply-chain"),
    security_severity=5.0,
    precision="medium",
    diff=True,
)


def _check_dropped(ctx: Context) -> Iterator[Finding]:
    nodes, comparison = _compared(ctx)
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
            DROPPED,
            nodes[index],
            entry.span,
            f"{name} {entry.version} is the same version as at the base, but "
            f"{_count(n, 'of its --hash values was', 'of its --hash values were')} removed and none added: "
            f"pip can no longer install the {'file' if n == 1 else 'files'} behind "
            f"{'it' if n == 1 else 'them'}, so it builds from another file (often the sdist) or fails "
            "on a platform whose only hashed file was dropped; restore the hashes (regenerate the "
            f"entry: {REGENERATE}), or suppress this finding if the files were meant to go",
            entry=entry,
        )


DROPPED = Rule(
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
            f"```\n# at the base\nrich==14.0.0 \\\n    --hash={_H_OLD} \\\n    --hash={_H_NEW}\n\n"
            f"# now: fires, the second file's hash is gone\nrich==14.0.0 \\\n    --hash={_H_OLD}\n```"
        ),
    ),
    check=_check_dropped,
    tags=("reliability", "supply-chain"),
    diff=True,
)


def _check_unavailable(ctx: Context) -> Iterator[Finding]:
    done: set[str] = set()
    for node in ctx.nodes():
        why = ctx.base_unavailable.get(node.abspath)
        if why is None or node.abspath in done:
            continue
        done.add(node.abspath)
        yield ctx.finding(
            UNAVAILABLE,
            node,
            Span(1, 1, 1, 1),
            f"the stale-hash checks (RH101-RH104) did not run for this file: {why}; they compare it with "
            "its version at a git base (--base, default HEAD)",
        )


UNAVAILABLE = Rule(
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

RULES = (STALE, LEFTOVER, REHASHED, DROPPED, UNAVAILABLE)
