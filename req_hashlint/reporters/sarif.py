"""SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.

One run. The driver carries the whole static rule catalogue in code order, so a rule's
``ruleIndex`` is the same in every log. Locations are repository-root-relative URIs under
``%SRCROOT%``; nothing machine-specific (absolute paths, user names, times) is written, so
two runs on the same tree give byte-identical logs.
"""

from __future__ import annotations

import json
import re
from hashlib import sha256
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from .._model import Finding, Severity, Span
from . import Report, repo_path

if TYPE_CHECKING:
    from ..rules import Rule

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
INFORMATION_URI = "https://github.com/req-hashlint/req-hashlint"
# Each rule's helpUri: its heading in the rule catalogue (GitHub's anchor for `### RH001 name` in docs/rules.md).
RULES_DOC = f"{INFORMATION_URI}/blob/main/docs/rules.md"
# The analysis category: GitHub keeps one set of alerts per category. The upload action's
# `category` input only applies to runs without one, so workflows should use the same name.
AUTOMATION_ID = "req-hashlint/"
# Versioned: a change to what the fingerprint covers gets a new key, never a new meaning.
FINGERPRINT_KEY = "reqHashlint/v1"
ROOT = "%SRCROOT%"

LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTE: "note"}
# Characters a path segment may keep as they are (RFC 3986 pchar, minus ':' which would read
# as a scheme in a relative reference's first segment).
_URI_SAFE = "/-._~!$&'()*+,;=@"
_DIGITS_RE = re.compile(r"\d+")
_CODE_SPAN_RE = re.compile(r"`([^`\n]*)`")
# Outside code spans, every ASCII character that can start or end Markdown (emphasis, links,
# images, HTML, entities, strikethrough, tables, math, mentions, autolinks, block markers) is
# backslash-escaped, so no text from a requirements file renders as anything but itself.
_MD_ESCAPE = re.compile(r"([\\`*_{}\[\]()#+\-.!<>|~&@:$])")


def uri(path: str) -> str:
    """A relative URI reference for a POSIX path: percent-encoded UTF-8 (raw bytes kept)."""
    return quote(path.encode("utf-8", "surrogateescape"), safe=_URI_SAFE)


def plain(markdown: str) -> str:
    """Markdown as plain text: code-span backticks and code-fence lines dropped.

    SARIF viewers show ``text`` as it is (GitHub prints the backticks), so every ``text``
    is plain and Markdown goes only into ``markdown``.
    """
    lines = [line for line in markdown.split("\n") if not line.lstrip().startswith("```")]
    return _CODE_SPAN_RE.sub(r"\1", "\n".join(lines))


def _code_span(content: str) -> str:
    if not content:
        return ""
    if content.startswith(" ") and content.endswith(" ") and content.strip(" "):
        content = f" {content} "  # CommonMark strips one space from each side of such a span
    return f"`{content}`"


def message_markdown(message: str) -> str:
    """A finding's message as Markdown: its `code spans` kept, everything else literal.

    The message quotes the file (names, URLs, options), which may hold Markdown of its own;
    escaped, it cannot become a link, an image, HTML or a mention. A backtick from the file
    that leaves one unpaired is escaped too.
    """
    parts = message.split("`")
    out = []
    for i, part in enumerate(parts):
        if i % 2 == 0:
            out.append(_MD_ESCAPE.sub(r"\\\1", part))
        elif i == len(parts) - 1:  # an opening backtick with no partner
            out.append("\\`" + _MD_ESCAPE.sub(r"\\\1", part))
        else:
            out.append(_code_span(part))
    return "".join(out)


def _rule(rule: Rule) -> dict[str, Any]:
    docs = rule.docs
    sections = docs.sections()
    text = "\n\n".join(f"{title}\n{plain(body)}" for title, body in sections)
    markdown = "\n\n".join(f"## {title}\n\n{body}" for title, body in sections)
    properties: dict[str, Any] = {"tags": list(rule.tags), "precision": rule.precision}
    if rule.security_severity is not None:
        properties["security-severity"] = f"{rule.security_severity:.1f}"
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": plain(rule.summary), "markdown": rule.summary},
        "fullDescription": {"text": plain(docs.what), "markdown": docs.what},
        "helpUri": f"{RULES_DOC}#{rule.code.lower()}-{rule.name}",
        "help": {"text": f"{rule.code} {rule.name}: {plain(rule.summary)}\n\n{text}", "markdown": markdown},
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": properties,
    }


def _artifact(finding: Finding) -> dict[str, Any]:
    return {"uri": uri(repo_path(finding)), "uriBaseId": ROOT}


def _region(s: Span) -> dict[str, int]:
    return {"startLine": s.line, "startColumn": s.column, "endLine": s.end_line, "endColumn": s.end_column}


def _location(finding: Finding, s: Span) -> dict[str, Any]:
    return {"physicalLocation": {"artifactLocation": _artifact(finding), "region": _region(s)}}


def fingerprints(findings: tuple[Finding, ...]) -> list[str]:
    """A fingerprint per finding that does not change when lines move.

    It covers the rule, the repository path and the project (PEP 503-normalized). A finding
    about no project (an option, a stray `--hash`) uses its message with every number masked
    instead (messages name lines, which move). Findings that still collide (one rule twice on
    one project in one file) are told apart by their order in the file.
    """
    seen: dict[tuple[str, ...], int] = {}
    out = []
    for f in findings:
        if f.project is not None:
            key: tuple[str, ...] = (f.code, repo_path(f), "project", re.sub(r"[-_.]+", "-", f.project).lower())
        else:
            key = (f.code, repo_path(f), "message", _DIGITS_RE.sub("#", f.message))
        n = seen.get(key, 0)
        seen[key] = n + 1
        material = "\0".join((*key, str(n))).encode("utf-8", "surrogatepass")
        out.append(sha256(material).hexdigest())
    return out


def _result(finding: Finding, index: dict[str, int], fingerprint: str) -> dict[str, Any]:
    result: dict[str, Any] = {"ruleId": finding.code}
    if finding.code in index:
        result["ruleIndex"] = index[finding.code]
    result.update(
        {
            "level": LEVELS[finding.severity],
            "message": {"text": plain(finding.message), "markdown": message_markdown(finding.message)},
            "locations": [_location(finding, finding.span)],
            "partialFingerprints": {FINGERPRINT_KEY: fingerprint},
        }
    )
    if finding.related:
        # the consequences of the finding's cause, each where it happens (issue 18.5)
        result["relatedLocations"] = [
            {"id": n, **_location(finding, rel.span), "message": {"text": rel.message}}
            for n, rel in enumerate(finding.related)
        ]
    if finding.fix is not None:
        # SARIF 2.1.0 §3.55: each edit deletes a region (empty: an insertion point) and inserts text there
        replacements = [
            {"deletedRegion": _region(e.span), "insertedContent": {"text": e.text}} for e in finding.fix.edits
        ]
        result["fixes"] = [
            {
                "description": {"text": finding.fix.description},
                "artifactChanges": [{"artifactLocation": _artifact(finding), "replacements": replacements}],
            }
        ]
    if finding.suppressed:
        result["suppressions"] = [{"kind": "inSource"}]
    return result


def _notification(finding: Finding, index: dict[str, int]) -> dict[str, Any]:
    """A file the tool could not read: the analysis of that file did not happen."""
    rule: dict[str, Any] = {"id": finding.code}
    if finding.code in index:
        rule["index"] = index[finding.code]
    return {
        "level": "error",
        "message": {"text": f"{repo_path(finding)}: {plain(finding.message)}"},
        "locations": [{"physicalLocation": {"artifactLocation": _artifact(finding)}}],
        "associatedRule": rule,
    }


def build(report: Report) -> dict[str, Any]:
    """The SARIF log as a JSON-ready dict."""
    index = {rule.code: i for i, rule in enumerate(report.rules)}
    prints = fingerprints(report.findings)
    invocation: dict[str, Any] = {"executionSuccessful": True}
    unreadable = [_notification(f, index) for f in report.findings if f.code == "RH901"]
    if unreadable:
        invocation["toolExecutionNotifications"] = unreadable
    run = {
        "tool": {
            "driver": {
                "name": "req-hashlint",
                "version": report.tool_version,
                "semanticVersion": report.tool_version,
                "informationUri": INFORMATION_URI,
                "rules": [_rule(r) for r in report.rules],
            }
        },
        "automationDetails": {"id": AUTOMATION_ID},
        "invocations": [invocation],
        "columnKind": "unicodeCodePoints",
        "results": [_result(f, index, fp) for f, fp in zip(report.findings, prints, strict=True)],
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def render(report: Report) -> str:
    # ASCII only: the log is valid whatever the console encoding, and a lone surrogate from
    # an undecodable file name cannot make the write fail.
    return json.dumps(build(report), indent=2, ensure_ascii=True) + "\n"
