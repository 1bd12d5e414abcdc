"""File names that pre-commit passes are never read as options, whatever the hook's `args`
(issue 10.7): real pre-commit, a real `git commit`, this checkout's hook."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import H1
from .precommit_support import PrecommitSite, shared_site

pytestmark = pytest.mark.slow

HASHED = f"six==1.16.0 \\\n    --hash=sha256:{H1}\n"


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> PrecommitSite:
    return shared_site(tmp_path_factory, worker_id)


@pytest.mark.parametrize(
    "args",
    [
        (),
        ("--ignore", "RH001"),
        ("--ignore=RH001", "--fail-on", "warning"),
        ("--select", "RH0", "--"),
    ],
)
def test_a_file_named_like_an_option_is_linted_not_obeyed(
    site: PrecommitSite, tmp_path: Path, args: tuple[str, ...]
) -> None:
    repo = site.new_repo(tmp_path / "consumer", args=args)
    unpinned = "idna>=3\n"
    (repo / "requirements.txt").write_text(HASHED + unpinned)
    (repo / "--output=requirements.txt").write_text(unpinned)
    (repo / "--exit-zero-requirements.txt").write_text(unpinned)
    site.git(repo, "add", "--", "requirements.txt", "--output=requirements.txt", "--exit-zero-requirements.txt")
    site.git(repo, "add", ".pre-commit-config.yaml")
    proc = site.git(repo, "commit", "-m", "x", check=False)
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0, out  # blocked: nothing turned the hook off
    assert (repo / "requirements.txt").read_text() == HASHED + unpinned  # not truncated
    for name in ("requirements.txt:3:1", "--output=requirements.txt:1:1", "--exit-zero-requirements.txt:1:1"):
        assert f"{name}: RH002 " in out, out  # each file linted as a file
    # the user's args still apply
    assert ("RH001" in out) == (args == () or args[0] == "--select"), out
