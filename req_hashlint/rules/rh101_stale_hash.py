"""RH101 stale-hash."""

from __future__ import annotations

from collections.abc import Iterator

from .._diff import BaseFiles, Stale
from .._graph import Node
from .._model import Finding, Severity
from ._base import Context, Rule, changed, plural
from .rh301_hash_mismatch import index_fixes

_TOOLS = ("pip-compile ", "uv pip compile ")
_VALUED = frozenset({"-o", "--output-file", "-c", "--constraint", "-r", "--requirement", "-P", "--upgrade-package"})


def header_command(text: str) -> str | None:
    """The `pip-compile ...` or `uv pip compile ...` command a compiled lock's header comment
    says made it (`#    pip-compile --generate-hashes --output-file=requirements.txt requirements.in`)."""
    for line in text.splitlines()[:41]:
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
    nodes, comparison = ctx.diff
    fix = index_fixes(ctx)  # only with `--index` evidence for the entry
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
        message = (
            f"{changed(s)} but its {values} {state}, so pip will reject {s.new_version}'s files (HashMismatch); "
            f"regenerate them: {_regenerate(ctx, nodes[s.at], s)}"
        )
        yield ctx.finding(RULE, nodes[s.at], s.entry.span, message, entry=s.entry, fix=fix(nodes[s.at], s.entry))


RULE = Rule(
    code="RH101",
    severity=Severity.ERROR,
    summary="The pinned version changed since the base, but the hashes did not.",
    check=_check_stale,
    tags=("reliability", "supply-chain"),
    diff=True,
    fixable=True,
)
