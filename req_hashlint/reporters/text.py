"""``path:line:col: CODE message``, one line per finding; editors and people read it."""

from __future__ import annotations

import re

from .._model import Finding, Severity
from . import Report

# C0 and C1 controls, DEL, the line and paragraph separators, every bidirectional control
# (marks, embeddings, overrides, isolates) that can reorder a terminal line, and lone
# surrogates (an undecodable file name), which no UTF-8 stream or file can take.
# (compiled on first use, by re's cache: it costs more than the rest of a clean run's report,
# and printable ASCII, nearly every message, has none of these)
_UNSAFE = "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ud800-\udfff]"

_COLORS = {Severity.ERROR: "\x1b[1;31m", Severity.WARNING: "\x1b[1;33m", Severity.NOTE: "\x1b[1;36m"}
_BOLD, _DIM, _RESET = "\x1b[1m", "\x1b[2m", "\x1b[0m"


def neutralize(text: str) -> str:
    """Escape control characters so file content cannot forge lines or drive the terminal."""
    if text.isascii() and text.isprintable():
        return text
    unsafe = re.compile(_UNSAFE)
    if unsafe.search(text) is None:
        return text
    return unsafe.sub(
        lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}", text
    )


def line(finding: Finding, *, color: bool) -> str:
    path = neutralize(finding.path)
    where = f"{path}:{finding.span.line}:{finding.span.column}:"
    msg = neutralize(finding.message)
    if not color:
        return f"{where} {finding.code} {msg}"
    c = _COLORS[finding.severity]
    return f"{_BOLD}{where}{_RESET} {c}{finding.code}{_RESET} {msg} {_DIM}[{finding.name}]{_RESET}"


def render(report: Report) -> str:
    lines = [line(f, color=report.color) for f in report.findings if not f.suppressed]
    return "".join(ln + "\n" for ln in lines)


def summary(report: Report) -> str:
    shown = [f for f in report.findings if not f.suppressed]
    hidden = len(report.findings) - len(shown)
    files = f"{report.files_checked} file{'s' if report.files_checked != 1 else ''}"
    if not shown:
        text = f"No problems found in {files}."
    else:
        counts = []
        for sev in (Severity.ERROR, Severity.WARNING, Severity.NOTE):
            n = sum(1 for f in shown if f.severity is sev)
            if n:
                counts.append(f"{n} {sev.label}{'s' if n != 1 else ''}")
        text = f"Found {', '.join(counts)} in {files}."
    if hidden:
        text += f" ({hidden} suppressed)"
    return text
