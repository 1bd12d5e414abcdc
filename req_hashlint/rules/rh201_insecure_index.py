"""RH201 insecure-index."""

from __future__ import annotations

from collections.abc import Iterator

from .._model import Finding, Severity
from .._redact import redact
from ._base import Context, Rule

_INDEX_OPTIONS = ("--index-url", "--extra-index-url", "--find-links")
# pip's own secure origins: no warning for these over plain http
_LOCAL_HOSTS = ("localhost", "127.", "[::1]")


def _host(url: str) -> str:
    return url.split("://", 1)[-1].split("/", 1)[0].rsplit("@", 1)[-1].lower()


def _check_insecure(ctx: Context) -> Iterator[Finding]:
    for node in ctx.nodes():
        assert node.file is not None
        for opt in node.file.options:
            if opt.name == "--trusted-host":
                message = (
                    f"`--trusted-host {opt.value}` turns off TLS certificate checks for that host; "
                    "serve the index over https with a valid certificate instead"
                )
            elif opt.name in _INDEX_OPTIONS and opt.value and opt.value.lower().startswith("http://"):
                if _host(opt.value).startswith(_LOCAL_HOSTS):
                    continue
                message = (
                    f"`{opt.written} {redact(opt.value, whole=True)}` uses plain http, so anyone on the network "
                    "path can serve other files (hashes still protect hashed entries); use https"
                )
            else:
                continue
            yield ctx.finding(RULE, node, opt.span, message)
        for entry in node.file.entries if node.file.lock else ():  # pylock.toml: `index` and artifact URLs
            for opt in entry.options:
                if (opt.value or "").lower().startswith("http://") and not _host(opt.value or "").startswith(
                    _LOCAL_HOSTS
                ):
                    what = "index" if opt.name == "index" else "file"
                    message = (
                        f"{entry.name}'s {what} `{redact(opt.value or '', whole=True)}` uses plain http, so anyone on the "
                        "network path can serve other files (the hashes still protect its files); use https"
                    )
                    yield ctx.finding(RULE, node, opt.span, message)


RULE = Rule(
    code="RH201",
    severity=Severity.WARNING,
    summary="An index or find-links location over plain http, or `--trusted-host`.",
    check=_check_insecure,
    tags=("security", "supply-chain"),
    security_severity=5.3,
)
