"""Which files a run lints when no file is named: the repository's files (as git lists them:
tracked, and untracked but not ignored) whose path matches ``files`` and not ``exclude``;
outside git, the files below the directory, walked."""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ._git import Roots

# Directories never walked when discovering files outside git.
SKIP_DIRS = frozenset({".git", ".hg", ".svn", ".venv", "venv", "node_modules", "__pycache__", ".tox", ".nox"})


def discover(
    cwd: str, root: str | None, files: str, exclude: str | None, *, under: str | None = None, roots: Roots
) -> list[str]:
    """Absolute paths of the files to lint: the repository's (``root``), or those below ``under``. The
    patterns match paths relative to ``root`` (outside git, ``cwd``). A git that fails to list a
    repository's files is an error, never an empty list."""
    pattern = re.compile(files)
    excl = re.compile(exclude) if exclude else None

    def wanted(rel: str) -> bool:
        return pattern.search(rel) is not None and not (excl is not None and excl.search(rel))

    found: list[str] = []
    if root is None:  # walked in order
        for dirpath, dirnames, filenames in os.walk(under or cwd):
            dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS and not d.startswith("."))
            for name in sorted(filenames):
                full = os.path.join(dirpath, name)
                if wanted(os.path.relpath(full, cwd).replace(os.sep, "/")):
                    found.append(full)
        return found
    inside = os.path.join(os.path.abspath(under), "") if under else ""
    for rel in roots.list_files(root):
        if wanted(rel):
            full = os.path.join(root, *rel.split("/"))
            if full.startswith(inside) and os.path.isfile(full):
                found.append(full)
    return sorted(found)


def display(path: str, cwd: str) -> str:
    """How a discovered file is shown: relative to the working directory, unless that climbs
    out more than one level."""
    try:
        rel = os.path.relpath(path, cwd)
    except ValueError:
        return path
    return path if rel.startswith(".." + os.sep + "..") else rel
