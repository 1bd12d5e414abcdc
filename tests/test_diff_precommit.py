"""End to end: the real pre-commit hook, installed from a snapshot of this checkout, blocks a stale bump.

Slow (pre-commit builds the hook's virtualenv once per run, shared with tests/test_precommit.py
through tests/precommit_support.py); runs on the main CI Python only.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import H1, H2, H3
from .precommit_support import PrecommitSite, shared_site

pytestmark = pytest.mark.slow


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> PrecommitSite:
    return shared_site(tmp_path_factory, worker_id)


def _entry(version: str, *hashes: str) -> str:
    return " \\\n    ".join([f"rich=={version}", *(f"--hash=sha256:{h}" for h in hashes)]) + "\n"


def _hooked(site: PrecommitSite, tmp_path: Path) -> Path:
    """A user's repository with the hook installed for commits and pushes, and a bare remote."""
    repo = site.new_repo(tmp_path / "user", hook_types=("pre-commit", "pre-push"))
    remote = tmp_path / "remote.git"
    site.git(tmp_path, "init", "-q", "--bare", "-b", "main", str(remote))
    site.git(repo, "remote", "add", "origin", str(remote))
    return repo


def test_a_commit_with_a_stale_bump_is_blocked(site: PrecommitSite, tmp_path: Path) -> None:
    repo = _hooked(site, tmp_path)
    req = repo / "requirements.txt"
    req.write_text(_entry("14.3.4", H1, H2))
    site.git(repo, "add", "-A")
    first = site.git(repo, "commit", "-m", "lock", check=False)
    assert first.returncode == 0, first.stdout + first.stderr  # no commits yet: a note, not a failure

    req.write_text(_entry("15.0.0", H1, H2))
    site.git(repo, "add", "requirements.txt")
    # An unstaged fix does not count: pre-commit stashes it and lints what is committed.
    req.write_text(_entry("15.0.0", H3))
    blocked = site.git(repo, "commit", "-m", "bump", check=False)
    out = blocked.stdout + blocked.stderr
    assert blocked.returncode != 0, out
    assert "requirements.txt:1:1: RH101 rich bumped 14.3.4 -> 15.0.0 but its 2 --hash values are unchanged" in out
    assert "Traceback" not in out
    assert site.git(repo, "rev-list", "--count", "HEAD").stdout.strip() == "1"
    assert req.read_text() == _entry("15.0.0", H3)  # the unstaged change is back

    site.git(repo, "add", "requirements.txt")
    fixed = site.git(repo, "commit", "-m", "bump", check=False)
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr


def test_a_push_with_a_stale_bump_is_blocked(site: PrecommitSite, tmp_path: Path) -> None:
    """pre-push: the base is the remote's commit, so a bump committed with --no-verify is caught."""
    repo = _hooked(site, tmp_path)
    req = repo / "requirements.txt"
    req.write_text(_entry("14.3.4", H1, H2))
    site.git(repo, "add", "-A")
    site.git(repo, "commit", "-m", "lock")
    site.git(repo, "push", "-q", "origin", "main")

    # Two commits that skipped the commit hook: a stale bump, then something unrelated, so
    # HEAD itself already holds the bump and only the from-ref can show it.
    req.write_text(_entry("15.0.0", H1, H2))
    site.git(repo, "commit", "-qam", "bump", "--no-verify")
    (repo / "README").write_text("x\n")
    site.git(repo, "add", "README")
    site.git(repo, "commit", "-qm", "docs", "--no-verify")
    blocked = site.git(repo, "push", "origin", "main", check=False)
    out = blocked.stdout + blocked.stderr
    assert blocked.returncode != 0, out
    assert "RH101 rich bumped 14.3.4 -> 15.0.0" in out

    req.write_text(_entry("15.0.0", H3))
    site.git(repo, "commit", "-qam", "regenerate", "--no-verify")
    ok = site.git(repo, "push", "origin", "main", check=False)
    assert ok.returncode == 0, ok.stdout + ok.stderr
