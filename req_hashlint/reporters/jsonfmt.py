"""A versioned JSON document: ``{"version": 1, "findings": [...]}``, a stable interface.

Version 1 is frozen: fields may be added, none removed, renamed or given another meaning;
anything else gets ``"version": 2``. The README documents every field.
"""

from __future__ import annotations

import json
from typing import Any

from .._model import Edit, Finding
from . import Report, repo_path

VERSION = 1


def _finding(f: Finding) -> dict[str, Any]:
    s = f.span
    return {
        "path": repo_path(f),
        "line": s.line,
        "column": s.column,
        "end_line": s.end_line,
        "end_column": s.end_column,
        "code": f.code,
        "name": f.name,
        "severity": f.severity.label,
        "message": f.message,
        "project": f.project,
        "version": f.version,
        "suppressed": f.suppressed,
        "fix": None if f.fix is None else {"description": f.fix.description, "edits": [_edit(e) for e in f.fix.edits]},
    }


def _edit(e: Edit) -> dict[str, Any]:
    s = e.span
    return {"line": s.line, "column": s.column, "end_line": s.end_line, "end_column": s.end_column, "text": e.text}


def render(report: Report) -> str:
    doc = {"version": VERSION, "findings": [_finding(f) for f in report.findings]}
    # ASCII only, like the SARIF log: valid whatever the console encoding.
    return json.dumps(doc, indent=2, ensure_ascii=True) + "\n"
