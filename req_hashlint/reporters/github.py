"""GitHub Actions workflow commands: one ``::error``/``::warning``/``::notice`` per finding.

The runner reads each stdout line that starts with ``::`` as a command, so a finding must
stay on one line and its text must not end the properties early: ``%``, CR and LF are
escaped in the message, and ``:`` and ``,`` too in property values. Other control
characters are shown as escapes, as in the text format. Suppressed findings are left out.
"""

from __future__ import annotations

import re

from .._model import Finding, Severity
from .._redact import neutralize
from . import Report, repo_path

_SURROGATE_RE = re.compile("[\ud800-\udfff]")
COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTE: "notice"}


def escape_data(text: str) -> str:
    """A message: ``%``, CR and LF percent-encoded, other controls made visible."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    # A lone surrogate (an undecodable file name) cannot be written to a UTF-8 stream.
    return neutralize(_SURROGATE_RE.sub("\ufffd", text))


def escape_property(text: str) -> str:
    """A property value: like a message, plus ``:`` and ``,``, which delimit properties."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(finding: Finding) -> str:
    s = finding.span
    props = [("file", repo_path(finding)), ("line", str(s.line))]
    if s.end_line == s.line:
        props += [("col", str(s.column)), ("endColumn", str(s.end_column))]
    else:  # GitHub takes columns only on one line
        props.append(("endLine", str(s.end_line)))
    props.append(("title", f"{finding.code} {finding.name}"))
    joined = ",".join(f"{k}={escape_property(v)}" for k, v in props)
    return f"::{COMMANDS[finding.severity]} {joined}::{escape_data(finding.message)}"


def render(report: Report) -> str:
    return "".join(annotation(f) + "\n" for f in report.findings if not f.suppressed)
