"""The server's Linter in-process: a buffer linted as `req-hashlint PATH` lints the file, a run kept
between keystrokes, and what the CLI calls an error raised as one (the server logs it)."""

from __future__ import annotations

from pathlib import Path

import pytest

from req_hashlint._output import UsageError
from req_hashlint._server import Linter
from tests.conftest import H1, git, write_tree


def commit(repo: Path, files: dict[str, str]) -> None:
    write_tree(repo, files)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "c")


def test_a_git_error_is_the_cli_error_and_the_next_lint_starts_over(repo: Path) -> None:
    commit(repo, {"requirements.txt": f"alpha==1.0 --hash=sha256:{H1}\n"})
    write_tree(repo, {"pyproject.toml": '[tool.req-hashlint]\nbase = "no-such-rev"\n'})
    linter = Linter()
    path = str(repo / "requirements.txt")
    try:
        with pytest.raises(UsageError, match="no-such-rev"):
            linter.lint(path, f"alpha==1.1 --hash=sha256:{H1}\n", str(repo), fresh=True)
        assert linter.runs == {}  # its git processes closed, nothing kept
        write_tree(repo, {"pyproject.toml": '[tool.req-hashlint]\nbase = "HEAD"\n'})
        found = linter.lint(path, f"alpha==1.1 --hash=sha256:{H1}\n", str(repo))
        assert [f.code for f in found] == ["RH101"]
        assert list(linter.runs) == [str(repo)]
        # kept: the config is read once per run, so a change waits for a fresh one (open, save)
        write_tree(repo, {"pyproject.toml": '[tool.req-hashlint]\nignore = ["RH101"]\n'})
        assert [f.code for f in linter.lint(path, f"alpha==1.2 --hash=sha256:{H1}\n", str(repo))] == ["RH101"]
        assert linter.lint(path, f"alpha==1.2 --hash=sha256:{H1}\n", str(repo), fresh=True) == []
    finally:
        linter.close()
    assert linter.runs == {}
