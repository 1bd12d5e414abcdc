"""RH201 insecure-index, RH202 credentials-in-url."""

from __future__ import annotations

from collections.abc import Iterator

from .._graph import Node
from .._model import Finding, Severity, Span
from .._redact import find_credentials, redact
from ._base import Context, Docs, Rule

_INDEX_OPTIONS = ("--index-url", "--extra-index-url", "--find-links")
# pip's own secure origins: no warning for these over plain http
_LOCAL_HOSTS = ("localhost", "127.", "[::1]")


def _host(url: str) -> str:
    rest = url.split("://", 1)[1] if "://" in url else url
    rest = rest.split("/", 1)[0].rsplit("@", 1)[-1]
    return rest.lower()


def _check_insecure(ctx: Context) -> Iterator[Finding]:
    for node in ctx.nodes():
        assert node.file is not None
        for opt in node.file.options:
            if opt.name == "--trusted-host":
                yield ctx.finding(
                    INSECURE,
                    node,
                    opt.span,
                    f"`--trusted-host {opt.value}` turns off TLS certificate checks for that host; "
                    "serve the index over https with a valid certificate instead",
                )
            elif opt.name in _INDEX_OPTIONS and opt.value and opt.value.lower().startswith("http://"):
                host = _host(opt.value)
                if host.startswith(_LOCAL_HOSTS):
                    continue
                yield ctx.finding(
                    INSECURE,
                    node,
                    opt.span,
                    f"`{opt.written} {redact(opt.value, whole=True)}` uses plain http, so anyone on the network path can "
                    "serve other files (hashes still protect hashed entries); use https",
                )


INSECURE = Rule(
    code="RH201",
    name="insecure-index",
    severity=Severity.WARNING,
    summary="An index or find-links location over plain http, or `--trusted-host`.",
    docs=Docs(
        what="`--index-url`, `--extra-index-url` or `--find-links` uses `http://`, or `--trusted-host` is set.",
        why=(
            "Over plain http, or with certificate checks turned off, a machine on the network path "
            "can answer with files of its choosing. Hashes protect the entries that have them; every "
            "unhashed entry, and every package that resolution pulls in, is exposed."
        ),
        fix="Use an `https://` index with a valid certificate and drop `--trusted-host`.",
        example="```\n# fires\n--index-url http://pypi.internal/simple\n--trusted-host pypi.internal\n```",
    ),
    check=_check_insecure,
    tags=("security", "supply-chain"),
    security_severity=5.3,
)


def _credential_findings(ctx: Context, node: Node, text: str, span: Span, *, whole: bool = True) -> Iterator[Finding]:
    """RH202 for ``text``: one value (``whole``: an option's value as pip's shlex gives it, an
    include's target), or a requirement line, whose URLs end at whitespace."""
    if "@" not in text:
        return
    for _ in find_credentials(text, whole=whole)[:1]:
        yield ctx.finding(
            CREDENTIALS,
            node,
            span,
            f"`{redact(text, whole=whole)}` carries a password or token in its URL; anyone who can read the file, "
            "its history or CI logs can use it; reference it as `${VARIABLE}` (pip expands it at "
            "install time), or use a keyring or netrc, and revoke the exposed secret",
        )


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


CREDENTIALS = Rule(
    code="RH202",
    name="credentials-in-url",
    severity=Severity.ERROR,
    summary="A URL carries a password or token in its userinfo.",
    docs=Docs(
        what=(
            "A URL in the file (an index, find-links, include or requirement URL) carries a password or "
            "token: `https://user:secret@host/...`, `https://__token__@host/...`. A `${VAR}` reference "
            "is fine. The secret is never printed: every output format shows it as `****`."
        ),
        why=(
            "Requirements files are committed, copied into images and echoed in CI logs. A secret "
            "in one is readable by everyone who can read any of those, for as long as the history "
            "lives."
        ),
        fix=(
            "Write `https://${PIP_USER}:${PIP_TOKEN}@host/simple` (pip expands `${VAR}` from the "
            "environment), or configure a keyring or `.netrc`. Revoke the exposed secret."
        ),
        example="```\n# fires\n--extra-index-url https://deploy:s3cr3t@pypi.internal/simple\n```",
    ),
    check=_check_credentials,
    tags=("security",),
    security_severity=8.0,
)

RULES = (INSECURE, CREDENTIALS)
