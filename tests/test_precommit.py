"""End to end: this checkout's hook, installed by real pre-commit, guards a real `git commit`.

Slow (the first use builds the hook's virtualenv, pip-installing `packaging` from the index),
so marked `slow`; the site is built once per run and shared (tests/precommit_support.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import H1, H2
from .precommit_support import PrecommitSite, shared_site

pytestmark = pytest.mark.slow


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> PrecommitSite:
    return shared_site(tmp_path_factory, worker_id)


HASHED = f"six==1.16.0 \\\n    --hash=sha256:{H1}\n"


def _commit(site: PrecommitSite, repo: Path, *paths: str) -> tuple[int, str]:
    site.git(repo, "add", *paths)
    proc = site.git(repo, "commit", "-m", "update requirements", check=False)
    return proc.returncode, proc.stdout + proc.stderr


def _head(site: PrecommitSite, repo: Path) -> str | None:
    proc = site.git(repo, "rev-parse", "--verify", "-q", "HEAD", check=False)
    return proc.stdout.strip() or None


def test_manifest_is_valid(site: PrecommitSite) -> None:
    site.pre_commit(site.hook_repo, "validate-manifest", ".pre-commit-hooks.yaml")


def test_commit_with_a_missing_hash_is_blocked(site: PrecommitSite, tmp_path: Path) -> None:
    repo = site.new_repo(tmp_path / "consumer")
    (repo / "requirements.txt").write_text(HASHED + "idna==3.7\n")
    code, out = _commit(site, repo, "requirements.txt", ".pre-commit-config.yaml")
    assert code != 0, out
    assert "req-hashlint" in out and "Failed" in out
    assert "requirements.txt:3:1: RH002 idna==3.7 has no --hash" in out
    assert "HashMissing" in out
    assert _head(site, repo) is None  # nothing was committed


def test_clean_file_commits_and_later_breakage_is_blocked(site: PrecommitSite, tmp_path: Path) -> None:
    repo = site.new_repo(tmp_path / "consumer")
    (repo / "requirements.txt").write_text(HASHED)
    code, out = _commit(site, repo, "requirements.txt", ".pre-commit-config.yaml")
    assert code == 0, out
    assert "req-hashlint" in out and "Passed" in out
    first = _head(site, repo)
    assert first is not None

    # a hand edit glues a new entry onto the last hash line: RH006, blocked
    (repo / "requirements.txt").write_text(HASHED.rstrip("\n") + f" \\\nidna==3.7 \\\n    --hash=sha256:{H2}\n")
    code, out = _commit(site, repo, "requirements.txt")
    assert code != 0, out
    assert "requirements.txt:2:" in out and "RH006" in out
    assert _head(site, repo) == first


def test_files_the_hook_does_not_match_are_skipped(site: PrecommitSite, tmp_path: Path) -> None:
    repo = site.new_repo(tmp_path / "consumer")
    (repo / "notes.txt").write_text("six\n")  # not a requirements file by the hook's `files`
    code, out = _commit(site, repo, "notes.txt", ".pre-commit-config.yaml")
    assert code == 0, out
    assert "req-hashlint" in out and "(no files to check)Skipped" in out


def test_hook_args_reach_the_command(site: PrecommitSite, tmp_path: Path) -> None:
    repo = site.new_repo(tmp_path / "consumer", args=["--require-hashes", "when-any"])
    (repo / "requirements.txt").write_text("six==1.16.0\n")  # no hash anywhere: fine under when-any
    code, out = _commit(site, repo, "requirements.txt", ".pre-commit-config.yaml")
    assert code == 0, out


def test_the_fix_hook_modifies_the_file_fails_and_passes_once_added(site: PrecommitSite, tmp_path: Path) -> None:
    """pre-commit's fixer convention: the hook fixes the file and fails; `git add` again, and it passes."""
    repo = site.new_repo(tmp_path / "consumer", hook_id="req-hashlint-fix")
    upper = HASHED.replace(H1, H1.upper())
    (repo / "requirements.txt").write_text(upper)
    code, out = _commit(site, repo, "requirements.txt", ".pre-commit-config.yaml")
    assert code != 0, out
    assert "req-hashlint (fix)" in out and "Failed" in out and "files were modified by this hook" in out
    assert (repo / "requirements.txt").read_text() == HASHED  # the digest lowercased
    assert _head(site, repo) is None
    code, out = _commit(site, repo, "requirements.txt", ".pre-commit-config.yaml")
    assert code == 0, out
    assert "req-hashlint (fix)" in out and "Passed" in out
    assert _head(site, repo) is not None


def test_the_fix_hook_still_blocks_what_it_cannot_fix(site: PrecommitSite, tmp_path: Path) -> None:
    repo = site.new_repo(tmp_path / "consumer", hook_id="req-hashlint-fix")
    (repo / "requirements.txt").write_text(HASHED + "idna==3.7\n")
    code, out = _commit(site, repo, "requirements.txt", ".pre-commit-config.yaml")
    assert code != 0, out
    assert "RH002 idna==3.7 has no --hash" in out and "files were modified" not in out
    assert (repo / "requirements.txt").read_text() == HASHED + "idna==3.7\n"
