"""The CI recipes work: the workflows are sound, and their shell catches a stale bump.

The base-picking script is in the README and in .github/workflows/req-hashlint.yml verbatim.
It is taken from there and run with bash, as GitHub runs a step, in scratch clones shaped like
the ones actions/checkout makes (``git init``, a fetch of one commit, a detached HEAD) of a
real local "remote", with a stale bump (RH101) in what is pushed or proposed.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from .conftest import H1, REPO, git, git_env

WORKFLOWS = REPO / ".github" / "workflows"
SELF_LINT = WORKFLOWS / "req-hashlint.yml"
RELEASE = WORKFLOWS / "release.yml"
URL = "https://github.com/req-hashlint/req-hashlint"
ZERO = "0" * 40


def _load(path: Path) -> dict[str, Any]:
    doc: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    # YAML 1.1 reads the key `on` as True.
    if True in doc:
        doc["on"] = doc.pop(True)
    return doc


def _readme() -> str:
    return (REPO / "README.md").read_text(encoding="utf-8")


def _blocks(lang: str) -> list[str]:
    return re.findall(rf"^```{lang}\n(.*?)^```$", _readme(), re.M | re.S)


def _lint_step(doc: dict[str, Any]) -> dict[str, Any]:
    (step,) = [s for s in doc["jobs"]["req-hashlint"]["steps"] if s.get("name") == "req-hashlint"]
    return step


# -- the workflows -----------------------------------------------------------------------------


@pytest.mark.parametrize("path", sorted(WORKFLOWS.glob("*.yml")), ids=lambda p: p.name)
def test_workflows_are_hardened(path: Path) -> None:
    """What zizmor asks: pinned actions, least permissions, no credentials left, no injection."""
    text = path.read_text(encoding="utf-8")
    doc = _load(path)
    assert doc["permissions"] == {}, "no permission at the top: each job says what it needs"
    for name, job in doc["jobs"].items():
        assert "permissions" in job, name
        assert "write-all" not in str(job["permissions"]) and "read-all" not in str(job["permissions"]), name
        for step in job["steps"]:
            if "run" in step:
                assert "${{" not in step["run"], f"{name}: expand GitHub values through env:, not in run:"
            if str(step.get("uses", "")).startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] is False, name
    uses = re.findall(r"^\s*-?\s*uses: (\S+)(.*)$", text, re.M)
    assert uses
    for action, rest in uses:
        assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", action), f"{action} is not pinned to a commit"
        assert re.fullmatch(r"\s+# v\d+(\.\d+)*", rest), f"{action} has no version comment"


def test_self_lint_workflow_lints_this_repository_and_uploads_sarif() -> None:
    doc = _load(SELF_LINT)
    assert set(doc["on"]) == {"push", "pull_request"}
    job = doc["jobs"]["req-hashlint"]
    assert job["permissions"] == {"contents": "read", "security-events": "write"}
    steps = job["steps"]
    assert steps[0]["with"]["fetch-depth"] == 0
    assert any(s.get("run") == "python -m pip install ." for s in steps)
    lint = _lint_step(doc)
    assert (
        lint["run"]
        .rstrip()
        .endswith('python -m req_hashlint --base "$base" --format sarif --output req-hashlint.sarif --exit-zero')
    )
    (upload,) = [s for s in steps if "upload-sarif" in s.get("uses", "")]
    assert upload["with"] == {"sarif_file": "req-hashlint.sarif", "category": "req-hashlint"}
    assert steps.index(upload) > steps.index(lint)


def test_readme_shows_the_self_lint_workflow_with_an_install_that_works_today() -> None:
    """The README's workflow is the project's own, but for the install step."""
    (shown,) = [yaml.safe_load(b) for b in _blocks("yaml") if "upload-sarif" in b and "--index" not in b]
    shown["on"] = shown.pop(True)
    ours = _load(SELF_LINT)
    install = f'python -m pip install "req-hashlint @ git+{URL}@main"'
    steps = shown["jobs"]["req-hashlint"]["steps"]
    (user_install,) = [s for s in steps if str(s.get("run", "")).startswith("python -m pip install")]
    assert user_install["run"] == install
    user_install["run"] = "python -m pip install ."
    assert shown == ours
    readme = _readme()
    assert install in readme and f"{URL}" in (REPO / "pyproject.toml").read_text()
    # Nothing points at a release or a tag that does not exist yet.
    assert "rev: v0." not in readme
    assert not re.search(r"^\s*(python -m )?pip install req-hashlint\s*$", readme, re.M)
    assert f"pre-commit try-repo {URL} req-hashlint" in readme
    assert ".github/workflows/req-hashlint.yml" in readme and ".github/workflows/release.yml" in readme


def test_release_workflow_builds_checks_and_publishes_with_trusted_publishing() -> None:
    doc = _load(RELEASE)
    assert doc["on"] == {"push": {"tags": ["v*"]}}
    build, publish = doc["jobs"]["build"], doc["jobs"]["publish"]
    assert build["permissions"] == {"contents": "read"}
    runs = "\n".join(s.get("run", "") for s in build["steps"])
    assert "python -m build\n" in runs and "python -m twine check --strict dist/*" in runs
    assert '"$TAG" = "v$version"' in runs  # the tag and __version__ agree
    assert publish["needs"] == "build"
    assert publish["permissions"] == {"id-token": "write"}
    assert publish["environment"]["name"] == "pypi"
    assert publish["steps"][-1]["uses"].startswith("pypa/gh-action-pypi-publish@")
    assert "password" not in str(publish), "trusted publishing needs no token"


# -- the recipe, run -----------------------------------------------------------------------------


def _recipe_from_workflow() -> tuple[str, dict[str, str]]:
    step = _lint_step(_load(SELF_LINT))
    return step["run"], step["env"]


def _recipe_from_readme_annotations() -> str:
    (block,) = [b for b in _blocks("sh") if "--format github" in b and "merge-base" in b]
    return block


def test_the_recipe_is_the_same_in_the_readme_and_the_workflow() -> None:
    workflow, _ = _recipe_from_workflow()
    script = workflow.rstrip("\n").rsplit("\n", 1)[0]
    assert script in _readme()
    assert _recipe_from_readme_annotations().startswith(script + "\n")


OLD = f"six==1.16.0 \\\n    --hash=sha256:{H1}\n"
STALE = f"six==1.17.0 \\\n    --hash=sha256:{H1}\n"


def _commit(repo: Path, files: dict[str, str], message: str) -> str:
    for name, text in files.items():
        (repo / name).write_text(text)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "HEAD").strip()


def _checkout(remote: Path, work: Path, sha: str, ref: str, depth: int) -> Path:
    """A clone as actions/checkout makes it: fetch one commit (or all history), detach."""
    work.mkdir()
    git(work, "init", "-q")
    git(work, "remote", "add", "origin", remote.as_uri())
    if depth == 0:
        git(work, "fetch", "-q", "origin", "+refs/heads/*:refs/remotes/origin/*", "+refs/tags/*:refs/tags/*")
        git(work, "fetch", "-q", "origin", f"+{sha}:{ref}")
    else:
        git(work, "fetch", "-q", "--no-tags", f"--depth={depth}", "origin", f"+{sha}:{ref}")
    git(work, "checkout", "-q", "--detach", sha)
    return work


def _run(script: str, cwd: Path, github: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run a step's script as GitHub does (bash -e), its env: expressions filled from ``github``."""
    _, step_env = _recipe_from_workflow()
    env = dict(git_env())
    for var, expr in step_env.items():
        m = re.fullmatch(r"\$\{\{ (github\.[\w.]+) \}\}", expr)
        assert m, expr
        env[var] = github.get(m.group(1), "")
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"  # python is the venv's
    return subprocess.run(["bash", "-e", "-c", script], cwd=cwd, env=env, capture_output=True, text=True)


def _events(tmp_path: Path, depth: int) -> dict[str, tuple[Path, dict[str, str]]]:
    """Three events, each with a stale bump of six in what it checks, and its checkout."""
    remote = tmp_path / "remote"
    remote.mkdir()
    git(remote, "init", "-q", "-b", "main")
    c1 = _commit(remote, {"requirements.txt": OLD, "README": "1\n"}, "c1")
    # push to main: before = c1; the push brings the bump (c2) and an unrelated commit (c3),
    # so comparing with HEAD^ (or HEAD) would miss it.
    c2 = _commit(remote, {"requirements.txt": STALE}, "bump six")
    c3 = _commit(remote, {"README": "3\n"}, "c3")
    # a pull request from `pr` (off c1), its merge ref made after main moved on
    git(remote, "checkout", "-q", "-b", "pr", c1)
    _commit(remote, {"requirements.txt": STALE, "notes": "n\n"}, "bump six in a PR")
    git(remote, "checkout", "-q", "main")
    git(remote, "reset", "-q", "--hard", c1)
    c2b = _commit(remote, {"README": "2b\n"}, "main moves on")
    git(remote, "merge", "-q", "--no-ff", "-m", "merge pr", "pr")
    merge = git(remote, "rev-parse", "HEAD").strip()
    git(remote, "update-ref", "refs/pull/1/merge", merge)
    git(remote, "update-ref", "refs/heads/pushed", c3)
    git(remote, "reset", "-q", "--hard", c2b)  # main, as the pull request targets it
    # a new branch whose first push carries a stale bump
    git(remote, "checkout", "-q", "-b", "newbranch", c2b)
    n1 = _commit(remote, {"requirements.txt": STALE}, "bump on a new branch")
    git(remote, "checkout", "-q", "main")
    del c2
    events = {
        "pull_request": (
            _checkout(remote, tmp_path / "pr", merge, "refs/remotes/pull/1/merge", depth),
            {"github.event_name": "pull_request", "github.base_ref": "main"},
        ),
        "push": (
            _checkout(remote, tmp_path / "push", c3, "refs/remotes/origin/pushed", depth),
            {"github.event_name": "push", "github.event.before": c1},
        ),
        "push of a new branch": (
            _checkout(remote, tmp_path / "new", n1, "refs/remotes/origin/newbranch", depth),
            {"github.event_name": "push", "github.event.before": ZERO},
        ),
    }
    for _, github in events.values():
        github["github.event.repository.default_branch"] = "main"
    return events


EVENTS = ("pull_request", "push", "push of a new branch")


@pytest.mark.parametrize("depth", [1, 0], ids=["shallow", "fetch-depth-0"])
def test_the_workflow_recipe_reports_a_stale_bump_on_every_event(tmp_path: Path, depth: int) -> None:
    script, _ = _recipe_from_workflow()
    for event, (work, github) in _events(tmp_path, depth).items():
        result = _run(script, work, github)
        assert result.returncode == 0, (event, result.stderr)
        log = json.loads((work / "req-hashlint.sarif").read_text(encoding="utf-8"))
        fired = [(r["ruleId"], r["message"]["text"]) for r in log["runs"][0]["results"]]
        assert [code for code, _ in fired] == ["RH101"], (event, fired, result.stderr)
        assert "six bumped 1.16.0 -> 1.17.0" in fired[0][1], event


def test_the_readme_annotations_recipe_reports_a_stale_bump(tmp_path: Path) -> None:
    script = _recipe_from_readme_annotations()
    for event, (work, github) in _events(tmp_path, 1).items():
        result = _run(script, work, github)
        assert result.returncode == 1, (event, result.stderr)
        assert re.search(r"^::error file=requirements\.txt,.*RH101 stale-hash::six bumped", result.stdout, re.M), (
            event,
            result.stdout,
        )


def test_without_a_base_ci_compares_the_commit_with_itself(tmp_path: Path) -> None:
    """Why the recipe exists: the default base is HEAD, the very commit CI checks."""
    for event, (work, _) in _events(tmp_path, 1).items():
        result = _run("python -m req_hashlint --format github", work, {})
        assert "RH101" not in result.stdout, event
