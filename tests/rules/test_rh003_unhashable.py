"""RH003 unhashable-requirement: editables, VCS URLs and local directories; it replaces RH001/RH002."""

from __future__ import annotations

import pytest

from ..conftest import H1
from .conftest import LintFn


@pytest.mark.parametrize(
    ("line", "col", "refusal"),
    [
        ("-e .", 1, "editables"),
        ("  --editable=./pkg", 3, "editables"),
        ("-e git+https://github.com/org/lib@v1#egg=lib", 1, "editables"),
        ("-e./pkg", 1, "editables"),
        ("git+https://github.com/org/lib@0123abc#egg=lib", 1, "VcsHashUnsupported"),
        ("lib @ git+https://github.com/org/lib@0123abc", 1, "VcsHashUnsupported"),
        ("lib@ git+ssh://git@github.com/org/lib", 1, "VcsHashUnsupported"),
        ("hg+https://hg.example.com/lib#egg=lib", 1, "VcsHashUnsupported"),
        ("svn+svn://svn.example.com/lib#egg=lib", 1, "VcsHashUnsupported"),
        ("bzr+https://bzr.example.com/lib#egg=lib", 1, "VcsHashUnsupported"),
        (".", 1, "DirectoryUrlHashUnsupported"),
        ("./vendor/pkg", 1, "DirectoryUrlHashUnsupported"),
        ("../sibling", 1, "DirectoryUrlHashUnsupported"),
        ("file:///srv/src/pkg", 1, "DirectoryUrlHashUnsupported"),
        ("./pkg[extra]", 1, "DirectoryUrlHashUnsupported"),
    ],
)
def test_fires(lint_text: LintFn, line: str, col: int, refusal: str) -> None:
    r = lint_text(f"six==1.16.0 --hash=sha256:{H1}\n{line}\n")
    assert r.at("RH003") == [(2, col)]
    assert refusal in r.one("RH003").message
    assert r.at("RH001") == [] and r.at("RH002") == []  # RH003 replaces them


@pytest.mark.parametrize(
    "line",
    [
        "./dist/pkg-1.0.tar.gz",  # an archive is a file: hashable
        "https://example.com/pkg-1.0.tar.gz",
        "file:///srv/dist/pkg-1.0-py3-none-any.whl",
        "pkg==1.0",
    ],
)
def test_quiet_on_hashable_files(lint_text: LintFn, line: str) -> None:
    assert lint_text(f"{line} --hash=sha256:{H1}\n").codes() == []


def test_when_any_without_hash_mode_is_quiet(lint_text: LintFn) -> None:
    assert lint_text("-e .\n./vendor/pkg\n", require_hashes="when-any").codes() == []


def test_when_any_with_hash_mode_fires(lint_text: LintFn) -> None:
    r = lint_text(f"-e .\nsix==1.16.0 --hash=sha256:{H1}\n", require_hashes="when-any")
    assert r.at("RH003") == [(1, 1)]


def test_editable_span_covers_the_option_and_its_value(lint_text: LintFn) -> None:
    span = lint_text("-e ./pkg\n").one("RH003").span
    assert (span.line, span.column, span.end_line, span.end_column) == (1, 1, 1, 9)
