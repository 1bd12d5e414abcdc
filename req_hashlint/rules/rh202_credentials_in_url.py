"""RH202 credentials-in-url."""

from __future__ import annotations

from collections.abc import Iterator

from .._graph import Node
from .._model import Finding, Severity, Span
from .._redact import find_credentials, redact
from ._base import Context, Rule


def _credential_findings(ctx: Context, node: Node, text: str, span: Span, *, whole: bool = True) -> Iterator[Finding]:
    """RH202 for ``text``: one value (``whole``: an option's value as pip's shlex gives it, an
    include's target), or a requirement line, whose URLs end at whitespace."""
    if find_credentials(text, whole=whole):
        if node.file is not None and node.file.lock:  # pip reads a lock's URLs as they are written
            how = "use a keyring or netrc (pip does not expand `${VARIABLE}` in a pylock.toml)"
        else:
            how = "reference it as `${VARIABLE}` (pip expands it at install time), or use a keyring or netrc"
        message = (
            f"`{redact(text, whole=whole)}` carries a password or token in its URL; anyone who can read the file, "
            f"its history or CI logs can use it; {how}, and revoke the exposed secret"
        )
        yield ctx.finding(RULE, node, span, message)


def _check_credentials(ctx: Context) -> Iterator[Finding]:
    for node in ctx.nodes():
        assert node.file is not None
        for opt in node.file.options:
            if opt.value:
                yield from _credential_findings(ctx, node, opt.value, opt.span)
        for inc in node.file.includes:
            yield from _credential_findings(ctx, node, inc.target, inc.span)
        for entry in node.file.entries:
            yield from _credential_findings(ctx, node, entry.text, entry.span, whole=False)
            for o in entry.options:
                if o.value:
                    yield from _credential_findings(ctx, node, o.value, o.span)


RULE = Rule(
    code="RH202",
    severity=Severity.ERROR,
    summary="A URL carries a password or token in its userinfo (always shown redacted).",
    check=_check_credentials,
    tags=("security",),
    security_severity=8.0,
)
