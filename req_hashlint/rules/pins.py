"""RH001 unpinned-requirement, RH002 missing-hash, RH003 unhashable-requirement."""

from __future__ import annotations

from collections.abc import Iterator

from .._model import EntryKind, Finding, Severity
from ._base import REGENERATE, Context, Docs, Rule, describe

_UNHASHABLE = (EntryKind.EDITABLE, EntryKind.VCS, EntryKind.DIRECTORY)
_STRONG = ("sha256", "sha384", "sha512")


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
            UNPINNED,
            node,
            entry.span,
            f"{entry.name} {why}; {tail}; pin it to one version with `==`",
            entry=entry,
        )


UNPINNED = Rule(
    code="RH001",
    name="unpinned-requirement",
    severity=Severity.ERROR,
    summary="A named requirement is not pinned to one exact version (`==V` or `===V`).",
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


def _check_missing(ctx: Context) -> Iterator[Finding]:
    for node, entry in ctx.entries():
        if node.constraint or entry.error or entry.kind in _UNHASHABLE or entry.hashes:
            continue
        if entry.url_hash is not None and entry.url_hash[0] in _STRONG:
            continue
        if not ctx.hashes_required(node):
            continue
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
            MISSING,
            node,
            entry.span,
            f"{what} has no --hash; {effect}; {how}",
            entry=entry,
        )


MISSING = Rule(
    code="RH002",
    name="missing-hash",
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

_REFUSAL = {
    EntryKind.EDITABLE: "pip refuses editables in hash-checking mode (there is no single file to hash)",
    EntryKind.VCS: "pip cannot hash-check a version-control checkout (VcsHashUnsupported)",
    EntryKind.DIRECTORY: "pip cannot hash-check a local directory (DirectoryUrlHashUnsupported)",
}


def _check_unhashable(ctx: Context) -> Iterator[Finding]:
    for node, entry in ctx.entries():
        if entry.kind not in _UNHASHABLE or entry.error:
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
            UNHASHABLE,
            node,
            entry.span,
            f"{describe(entry)}: {_REFUSAL[entry.kind]}; {fix}",
            entry=entry,
        )


UNHASHABLE = Rule(
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

RULES = (UNPINNED, MISSING, UNHASHABLE)
