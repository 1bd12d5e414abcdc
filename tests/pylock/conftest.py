"""The rules' fixture (``lint_text``), for pylock.toml files."""

from __future__ import annotations

from ..rules.conftest import lint_text

__all__ = ["lint_text"]
