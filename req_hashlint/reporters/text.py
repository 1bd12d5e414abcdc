"""``path:line:col: CODE message``, one line per finding; editors and people read it.

Paths and messages are escaped (``_redact.neutralize``): no control character, line break or
bidirectional control gets through, and a path that would start a CI runner's command
(``::error ...``) is shown as ``./path``.
"""

from __future__ import annotations

from collections import Counter

from .._model import Finding, Severity
from .._redact import neutralize, safe_path
from . import Report

_COLORS = {Severity.ERROR: "\x1b[1;31m", Severity.WARNING: "\x1b[1;33m", Severity.NOTE: "\x1b[1;36m"}
_BOLD, _DIM, _RESET = "\x1b[1m", "\x1b[2m", "\x1b[0m"


def line(finding: Finding, *, color: bool) -> str:
    path = safe_path(finding.path)  # every line starts with it: never with a workflow command
    where = f"{path}:{finding.span.line}:{finding.span.column}:"
    msg = neutralize(finding.message)
    if not color:
        return f"{where} {finding.code} {msg}"
    c = _COLORS[finding.severity]
    return f"{_BOLD}{where}{_RESET} {c}{finding.code}{_RESET} {msg} {_DIM}[{finding.name}]{_RESET}"


def render(report: Report) -> str:
    return "".join(line(f, color=report.color) + "\n" for f in report.findings if not f.suppressed)


def summary(report: Report) -> str:
    shown = [f for f in report.findings if not f.suppressed]
    hidden = len(report.findings) - len(shown)
    files = f"{report.files_checked} file{'s' if report.files_checked != 1 else ''}"
    if not shown:
        text = f"No problems found in {files}."
    else:
        tally = sorted(Counter(f.severity for f in shown).items(), reverse=True)  # errors first
        counts = [f"{n} {sev.label}{'s' if n != 1 else ''}" for sev, n in tally]
        text = f"Found {', '.join(counts)} in {files}."
    if hidden:
        text += f" ({hidden} suppressed)"
    fixable = sum(f.fix is not None for f in shown)
    if fixable:
        text += f" {fixable} fixable with --fix (--diff shows how)."
    return text
