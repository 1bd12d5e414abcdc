"""The git layer: one hardened `git cat-file --batch` process, its protocol, and its refusals."""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import stat
import sys
import time
import zlib
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest

from req_hashlint import _git
from req_hashlint._git import CatFile, GitError, GitTimeout

from .conftest import Run, git, partial_clone, write_tree

REAL_GIT = shutil.which("git")


def _commit_all(repo: Path, files: dict[str, bytes]) -> None:
    for rel, data in files.items():
        p = repo / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "c")


def _shim(tmp_path: Path, body: str) -> Path:
    """A directory holding a `git` script (for PATH) that runs ``body`` (sh) before the real git."""
    d = tmp_path / "shim"
    d.mkdir(exist_ok=True)
    script = d / "git"
    script.write_text(f'#!/bin/sh\n{body}\nexec "{REAL_GIT}" "$@"\n')
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return d


def test_blobs_commits_trees_and_missing_objects(repo: Path) -> None:
    _commit_all(repo, {"a.txt": b"one\n", "d/b.txt": b"two\r\n"})
    with closing(CatFile(str(repo), max_bytes=1024)) as cat:
        head = cat.get("HEAD^{commit}")
        assert head is not None and head.type == "commit" and len(head.oid) in (40, 64)
        blob = cat.get(f"{head.oid}:a.txt")
        assert blob is not None and (blob.type, blob.data) == ("blob", b"one\n")
        assert cat.get("HEAD:d/b.txt").data == b"two\r\n"  # type: ignore[union-attr]
        tree = cat.get("HEAD:d")
        assert tree is not None and tree.type == "tree"
        assert cat.get("HEAD:nope.txt") is None
        assert cat.get("no-such-branch^{commit}") is None
        assert cat.get(":a.txt").data == b"one\n"  # type: ignore[union-attr]  # the index
        # Still in sync after every kind of answer.
        assert cat.get("HEAD:a.txt").data == b"one\n"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "name",
    [
        "with space.txt",
        "ünïcødé/requirements-é.txt",
        "new\nline.txt",
        "tab\tand'quote\".txt",
        " lead.txt",
        "trail .txt",
    ],
)
def test_any_path_can_be_asked_for(repo: Path, name: str) -> None:
    _commit_all(repo, {name: b"x==1\n", "other.txt": b"y\n"})
    with closing(CatFile(str(repo), max_bytes=1024)) as cat:
        obj = cat.get(f"HEAD:{name}")
        assert obj is not None and obj.data == b"x==1\n"
        assert cat.get(f"HEAD:{name}.missing") is None  # the echoed name is read in full
        assert cat.get("HEAD:other.txt").data == b"y\n"  # type: ignore[union-attr]


def test_an_ambiguous_short_name_is_none(repo: Path) -> None:
    """Write loose blobs until two share a 4-digit prefix, then ask for that prefix."""
    objects = repo / ".git" / "objects"
    seen: dict[str, str] = {}
    prefix = None
    i = 0
    while prefix is None:
        data = f"blob {len(str(i))}\0{i}".encode()
        oid = hashlib.sha1(data).hexdigest()
        d = objects / oid[:2]
        d.mkdir(exist_ok=True)
        (d / oid[2:]).write_bytes(zlib.compress(data))
        if oid[:4] in seen:
            prefix = oid[:4]
        seen[oid[:4]] = oid
        i += 1
    _commit_all(repo, {"a.txt": b"a\n"})
    with closing(CatFile(str(repo), max_bytes=1024)) as cat:
        assert cat.get(prefix) is None
        assert cat.get("HEAD:a.txt").data == b"a\n"  # type: ignore[union-attr]


def test_a_blob_over_the_limit_is_skipped_and_the_stream_stays_in_sync(repo: Path) -> None:
    big = b"x" * 5000 + b"\n"
    _commit_all(repo, {"big.txt": big, "small.txt": b"s\n"})
    with closing(CatFile(str(repo), max_bytes=4096)) as cat:
        obj = cat.get("HEAD:big.txt")
        assert obj is not None and obj.type == "blob" and obj.size == len(big) and obj.data is None
        assert cat.get("HEAD:small.txt").data == b"s\n"  # type: ignore[union-attr]


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks")
def test_symlinks_are_followed_inside_the_tree_only(repo: Path) -> None:
    (repo / "real.txt").write_bytes(b"r\n")
    os.symlink("real.txt", repo / "link.txt")
    os.symlink("../../etc/passwd", repo / "out.txt")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "c")
    with closing(CatFile(str(repo), max_bytes=1024)) as cat:
        assert cat.get("HEAD:link.txt").data == b"r\n"  # type: ignore[union-attr]
        out = cat.get("HEAD:out.txt")
        assert out is not None and out.type == "symlink" and out.data == b"../../etc/passwd"
        assert cat.get("HEAD:real.txt").data == b"r\n"  # type: ignore[union-attr]


def test_not_a_repository_is_a_git_error_without_the_machines_paths(tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    plain.mkdir()
    with closing(CatFile(str(plain), max_bytes=1024)) as cat:
        with pytest.raises(GitError) as exc:
            cat.get("HEAD^{commit}")
        assert "not a git repository" in str(exc.value)
        assert str(tmp_path) not in str(exc.value)
        with pytest.raises(GitError):  # remembered: no second process
            cat.get("HEAD:x")


def test_git_missing_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with closing(CatFile(str(tmp_path), max_bytes=1024)) as cat, pytest.raises(GitError, match="git is not installed"):
        cat.get("HEAD^{commit}")


def test_git_runs_hardened_whatever_the_repository_config_says(repo: Path, tmp_path: Path) -> None:
    """A hostile `.git/config` (and attributes) must not make the linter run a command."""
    (repo / ".gitattributes").write_text("* filter=evil diff=evil\n")
    _commit_all(repo, {"requirements.txt": b"six==1.16.0\n"})
    (repo / "requirements.txt").write_text("six==1.17.0\n")  # a dirty file: fsmonitor and filters would look
    pwned = tmp_path / "pwned"
    cmd = f"sh -c 'touch {pwned}'"
    for key, value in (
        ("core.fsmonitor", cmd),
        ("core.pager", cmd),
        ("core.hooksPath", str(tmp_path)),
        ("core.sshCommand", cmd),
        ("diff.external", cmd),
        ("filter.evil.smudge", cmd),
        ("filter.evil.clean", cmd),
        ("filter.evil.process", cmd),
        ("filter.evil.required", "true"),
        ("diff.evil.textconv", cmd),
        ("core.askPass", cmd),
        ("credential.helper", f"!{cmd}"),
        ("alias.cat-file", f"!{cmd}"),
    ):
        git(repo, "config", key, value)
    assert not pwned.exists()
    files = _git.Roots().list_files(str(repo))
    assert "requirements.txt" in files
    with closing(CatFile(str(repo), max_bytes=1024)) as cat:
        assert cat.get("HEAD:requirements.txt").data == b"six==1.16.0\n"  # type: ignore[union-attr]
        assert cat.get(":requirements.txt").data == b"six==1.16.0\n"  # type: ignore[union-attr]
    assert not pwned.exists()


def test_the_environment_keeps_only_the_repository_location_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GIT_EXTERNAL_DIFF", "evil")
    monkeypatch.setenv("GIT_CONFIG_PARAMETERS", "'core.fsmonitor'='evil'")
    monkeypatch.setenv("GIT_CONFIG_COUNT", "1")
    monkeypatch.setenv("GIT_INDEX_FILE", "/x/index")
    monkeypatch.setenv("GIT_DIR", "/x")
    monkeypatch.setenv("GIT_WORK_TREE", "/y")
    env = _git._env()
    assert "GIT_CONFIG_PARAMETERS" not in env and "GIT_CONFIG_COUNT" not in env
    assert env["GIT_EXTERNAL_DIFF"] == "" and env["GIT_OPTIONAL_LOCKS"] == "0"
    # the caller's repository variables are dropped; an index is given per repository (Roots)
    assert not {"GIT_INDEX_FILE", "GIT_DIR", "GIT_WORK_TREE"} & set(env)
    assert _git._env("/r/.git/index")["GIT_INDEX_FILE"] == "/r/.git/index"
    cmd = _git.git_command(["cat-file"])
    assert "core.fsmonitor=false" in cmd and "core.hooksPath=/dev/null" in cmd and "--no-pager" in cmd


def test_explain_removes_the_repository_path() -> None:
    root, dubious = "/some/where/repo", "fatal: detected dubious ownership in repository at '/some/where/repo'"
    assert _git.explain("fatal: bad object in /some/where/repo/.git", root) == "bad object in ./.git"
    assert "safe.directory" in _git.explain(dubious, root)
    assert "/some/where" not in _git.explain(dubious, root)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to chown to another user")
def test_global_safe_directory_is_honoured_for_a_repository_owned_by_another_user(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """actions/checkout in a container writes `safe.directory` to the global config."""
    import pwd

    (repo / "requirements.txt").write_text("idna==3.7\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "base")
    nobody = pwd.getpwnam("nobody")
    for path in [repo, *repo.rglob("*")]:
        os.lchown(path, nobody.pw_uid, nobody.pw_gid)
    gitconfig = tmp_path / "gitconfig"
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(gitconfig))
    gitconfig.write_text("")
    with pytest.raises(GitError, match=r"another user owns it|dubious ownership|safe\.directory"):
        _git.Roots().list_files(str(repo))
    gitconfig.write_text(f"[safe]\n\tdirectory = {repo}\n")
    assert _git.Roots().list_files(str(repo)) == ["requirements.txt"]


# -- the repository is what git says it is (issues 10.3, 10.14) ------------------------------

RunCli = Callable[..., Run]
BAD = "six\n"  # unpinned and unhashed: RH001, RH002


def test_a_dot_git_that_git_rejects_is_no_root(run_cli: RunCli, tmp_path: Path) -> None:
    """An empty `.git` above the project (another user's /tmp/.git) does not make a root: its
    pyproject.toml cannot silence the rules, and `-r ../x` cannot read beside the project."""
    (tmp_path / ".git").mkdir()
    write_tree(
        tmp_path,
        {
            "pyproject.toml": '[tool.req-hashlint]\nignore = ["RH"]\n',
            "other/notes.txt": "s3cr3t-notes==1.0\n",
            "project/requirements.txt": BAD + "-r ../other/notes.txt\n",
        },
    )
    r = run_cli("--no-base", cwd=tmp_path / "project")
    assert r.code == 1, r.err
    codes = {ln.split(": ")[1].split()[0] for ln in r.lines}
    assert {"RH001", "RH002", "RH010"} <= codes, r.out  # the config above was not read
    assert "s3cr3t-notes" not in r.out + r.err  # the include outside the boundary was not read


def test_outside_a_repository_the_boundary_is_the_working_directory(run_cli: RunCli, tmp_path: Path) -> None:
    write_tree(tmp_path, {"notes.txt": "s3cr3t==1.0\n", "p/requirements.txt": "-r ../notes.txt\n"})
    r = run_cli("--no-base", "requirements.txt", cwd=tmp_path / "p")
    assert r.code == 1 and "RH010" in r.out and "s3cr3t" not in r.out + r.err


def test_the_root_is_gits_toplevel_from_a_subdirectory(run_cli: RunCli, repo: Path) -> None:
    write_tree(repo, {"pyproject.toml": '[tool.req-hashlint]\nignore = ["RH002"]\n', "a/b/requirements.txt": BAD})
    r = run_cli("--no-base", cwd=repo / "a" / "b")
    assert r.code == 1 and [ln.split(": ")[1].split()[0] for ln in r.lines] == ["RH001"], r.out


@pytest.mark.parametrize(
    "body",
    ["exit 0", 'echo "fatal: something broke" >&2; exit 1', 'echo "/nowhere"; echo "/nowhere/.git"; exit 0'],
    ids=["silent", "failing", "lying"],
)
@pytest.mark.parametrize("args", [[], ["--no-base"], ["--no-base", "requirements.txt"]], ids=["diff", "plain", "file"])
def test_a_broken_git_is_an_error_never_an_empty_pass(
    run_cli: RunCli, repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: str, args: list[str]
) -> None:
    (repo / "requirements.txt").write_text(BAD)
    d = tmp_path / "fake"
    d.mkdir()
    (d / "git").write_text(f"#!/bin/sh\n{body}\n")
    (d / "git").chmod(0o755)
    monkeypatch.setenv("PATH", f"{d}{os.pathsep}{os.environ['PATH']}")
    r = run_cli(*args, cwd=repo)
    assert r.code == 2 and r.out == "", (r.out, r.err)
    assert len(r.err.splitlines()) == 1 and r.err.startswith("req-hashlint: error: ")
    assert "internal error" not in r.err and str(tmp_path) not in r.err


def test_no_git_installed_outside_a_repository_is_a_plain_linter(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_tree(tmp_path, {"p/requirements.txt": BAD})
    monkeypatch.setenv("PATH", str(tmp_path / "nothing-here"))
    r = run_cli("--no-base", cwd=tmp_path / "p")
    assert r.code == 1 and "requirements.txt:1:1: RH001" in r.out


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to chown to another user")
@pytest.mark.parametrize("args", [[], ["--no-base"], ["--no-base", "requirements.txt"]], ids=["diff", "plain", "file"])
def test_a_repository_git_refuses_is_an_error(
    run_cli: RunCli, repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    """safe.directory: git refuses another user's repository, and so does the linter (exit 2),
    instead of walking it as plain files (which would read its config and lint ignored files)."""
    import pwd

    write_tree(repo, {"requirements.txt": BAD, ".gitignore": "ignored/\n", "ignored/requirements.txt": BAD})
    nobody = pwd.getpwnam("nobody")
    for path in [repo, *repo.rglob("*")]:
        os.lchown(path, nobody.pw_uid, nobody.pw_gid)
    gitconfig = tmp_path / "gitconfig"
    gitconfig.write_text("")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(gitconfig))
    r = run_cli(*args, cwd=repo)
    assert r.code == 2 and r.out == "", (r.out, r.err)
    assert "another user owns it" in r.err and len(r.err.splitlines()) == 1 and str(repo) not in r.err
    gitconfig.write_text(f"[safe]\n\tdirectory = {repo}\n")
    r = run_cli(*args, cwd=repo)
    assert r.code == 1 and "ignored" not in r.out, r.err


# -- every wait on git is bounded on its own (issue 10.8) ------------------------------------


def _stale_bump(repo: Path) -> None:
    """requirements.txt bumped since HEAD with its hash unchanged: RH101 when compared."""
    _commit_all(repo, {"requirements.txt": f"six==1.16.0 --hash=sha256:{'a' * 64}\n".encode()})
    (repo / "requirements.txt").write_text(f"six==1.17.0 --hash=sha256:{'a' * 64}\n")


def test_a_fifo_as_head_ends_the_run_with_an_error_naming_the_timeout(repo: Path) -> None:
    """A real process: before, `ls-files` was stopped after 60 s and `cat-file` then blocked forever."""
    import subprocess

    _stale_bump(repo)
    (repo / ".git" / "HEAD").unlink()
    os.mkfifo(repo / ".git" / "HEAD")
    env = {**os.environ, "REQ_HASHLINT_GIT_TIMEOUT": "1"}
    started = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "req_hashlint"], cwd=repo, env=env, capture_output=True, text=True, timeout=30
    )
    assert time.monotonic() - started < 15
    assert proc.returncode == 2 and proc.stdout == "", proc.stderr
    assert proc.stderr.startswith("req-hashlint: error: git did not answer within 1 s")
    assert "REQ_HASHLINT_GIT_TIMEOUT" in proc.stderr and len(proc.stderr.splitlines()) == 1


def test_a_comparison_lost_to_a_timeout_is_an_error_not_a_note(
    repo: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The base blob is a FIFO: git blocks reading it. Before, RH101 became an RH902 note, exit 0."""
    _stale_bump(repo)
    oid = git(repo, "rev-parse", "HEAD:requirements.txt").strip()
    loose = repo / ".git" / "objects" / oid[:2] / oid[2:]
    loose.unlink()
    os.mkfifo(loose)
    monkeypatch.setenv("REQ_HASHLINT_GIT_TIMEOUT", "1")
    r = run_cli(cwd=repo)
    assert r.code == 2 and r.out == "", (r.out, r.err)
    assert "git did not answer within 1 s" in r.err
    assert "requirements.txt was not compared with HEAD" in r.err and len(r.err.splitlines()) == 1


def test_time_spent_elsewhere_never_stops_git(repo: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch) -> None:
    """git is started ahead and left idle while the files are read: a slow read (a parse of more
    than the timeout) must not cost the comparison."""
    from req_hashlint import _diff

    _stale_bump(repo)
    slow_read = _diff.read_path

    def read_path(path: str) -> str:
        time.sleep(1.5)
        return slow_read(path)

    monkeypatch.setattr(_diff, "read_path", read_path)
    monkeypatch.setenv("REQ_HASHLINT_GIT_TIMEOUT", "1")
    r = run_cli(cwd=repo)
    assert r.code == 1 and "RH101" in r.out, (r.out, r.err)


@pytest.mark.parametrize("value", ["0", "-1", "soon", "nan", "inf"])
def test_a_bad_timeout_setting_is_one_line(
    repo: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    _stale_bump(repo)
    monkeypatch.setenv("REQ_HASHLINT_GIT_TIMEOUT", value)
    r = run_cli(cwd=repo)
    assert r.code == 2 and "REQ_HASHLINT_GIT_TIMEOUT" in r.err and len(r.err.splitlines()) == 1


# -- index and base paths are never ambiguous (issue 10.12) ----------------------------------

STALE_OLD = f"six==1.16.0 --hash=sha256:{'a' * 64}\n"
STALE_NEW = f"six==1.17.0 --hash=sha256:{'a' * 64}\n"


@pytest.mark.parametrize(
    "name",
    ["0:requirements.txt", "1:requirements.txt", ":/requirements.txt", ":requirements.txt", "a:b/requirements.txt",
     "ünï:cødé-requirements.txt", "HEAD:requirements.txt"],
)  # fmt: skip
def test_staged_and_base_paths_are_read_as_the_file_they_name(run_cli: RunCli, repo: Path, name: str) -> None:
    """`:0:requirements.txt` is stage 0 of requirements.txt, `:/x` a commit-message search: a
    file named so was read as another (or not at all), so a stale hash in it passed."""
    decoy = name.split(":")[-1].lstrip("/")
    _commit_all(repo, {name: STALE_OLD.encode(), decoy: STALE_OLD.encode(), "requirements.txt": STALE_OLD.encode()})
    (repo / name).write_text(STALE_NEW)
    git(repo, "add", "-A")
    (repo / name).write_text(STALE_OLD)  # the working tree differs: only the index holds the bump
    r = run_cli("--staged", name, cwd=repo)
    assert r.code == 1 and "RH101" in r.out, (r.out, r.err)
    (repo / name).write_text(STALE_NEW)
    git(repo, "add", "-A")
    r = run_cli(name, cwd=repo)  # the base side, `<commit>:<path>`
    assert r.code == 1 and "RH101" in r.out, (r.out, r.err)


# -- hardening: transports, git's version, the caller's GIT_* (issue 10.6) -------------------


@pytest.mark.parametrize("transport", ["helper", "ftp"])
def test_repository_config_cannot_widen_the_protocol_allow_list(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, transport: str
) -> None:
    """`protocol.<name>.allow=always` in the repository beat `protocol.allow=never`; without
    GIT_NO_LAZY_FETCH (older git ignores it) the lazy fetch ran a custom remote helper or
    connected out. GIT_ALLOW_PROTOCOL="" beats every config."""
    import socket
    import subprocess

    clone = partial_clone(tmp_path, STALE_OLD, STALE_NEW)  # HEAD~1's blob is missing
    marker = tmp_path / "helper-ran"
    helpers = tmp_path / "helpers"
    helpers.mkdir()
    (helpers / "git-remote-evil").write_text(f'#!/bin/sh\ntouch "{marker}"\nexit 1\n')
    (helpers / "git-remote-evil").chmod(0o755)
    monkeypatch.setenv("PATH", f"{helpers}{os.pathsep}{os.environ['PATH']}")
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    server.settimeout(0.5)
    if transport == "helper":
        git(clone, "config", "remote.origin.url", "evil::somewhere")
        git(clone, "config", "protocol.evil.allow", "always")
    else:
        git(clone, "config", "remote.origin.url", f"ftp://127.0.0.1:{server.getsockname()[1]}/repo")
        git(clone, "config", "protocol.ftp.allow", "always")

    def reached_out(env: dict[str, str]) -> bool:
        cmd = _git.git_command(["-C", str(clone), "cat-file", "-p", "HEAD~1:requirements.txt"])
        # a connection to the silent server waits: it was made, which is what counts
        with contextlib.suppress(subprocess.TimeoutExpired):
            subprocess.run(cmd, env=env, capture_output=True, timeout=10, check=False)
        try:
            server.accept()[0].close()
            return True
        except OSError:
            return marker.exists()

    env = {k: v for k, v in _git._env().items() if k != "GIT_NO_LAZY_FETCH"}  # as an older git
    try:
        assert not reached_out(env)
        env.pop("GIT_ALLOW_PROTOCOL", None)
        assert reached_out(env), "without the allow-list git reaches out: the test can fail"
    finally:
        server.close()


@pytest.mark.parametrize(
    ("version", "ok"),
    [("2.30.9", False), ("2.39.3", False), ("2.39.4", True), ("2.40.1", False), ("2.40.2", True),
     ("2.43.3", False), ("2.43.4", True), ("2.44.0", True), ("2.47.1.windows.1", True),
     ("2.39.5 (Apple Git-154)", True), ("3.0", True)],
)  # fmt: skip
def test_the_minimum_git_version(version: str, ok: bool) -> None:
    if ok:
        _git.check_version(f"git version {version}\n")
    else:
        with pytest.raises(GitError, match=rf"git {re.escape(version)} is too old: .*needs git 2\.39\.4"):
            _git.check_version(f"git version {version}\n")


@pytest.mark.parametrize("args", [[], ["--staged"], ["--base", "HEAD"]])
def test_an_older_git_is_refused_with_one_line(
    run_cli: RunCli, repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    _stale_bump(repo)
    shim = _shim(tmp_path, 'for a in "$@"; do [ "$a" = version ] && { echo "git version 2.37.1"; exit 0; }; done')
    monkeypatch.setenv("PATH", f"{shim}{os.pathsep}{os.environ['PATH']}")
    r = run_cli(*args, cwd=repo)
    assert r.code == 2 and r.out == "", (r.out, r.err)
    assert (
        r.err
        == f"req-hashlint: error: git 2.37.1 is too old: req-hashlint needs git {_git.MIN_GIT_TEXT} or later, where its hardening is proven\n"
    )


def test_a_hooks_git_dir_does_not_reach_a_linked_worktree(
    run_cli: RunCli, repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """GIT_DIR (and GIT_INDEX_FILE) of the main worktree made the linked worktree compare with
    the main worktree's HEAD: a false RH101."""
    _commit_all(repo, {"requirements.txt": STALE_OLD.encode()})
    wt = tmp_path / "wt"
    git(repo, "worktree", "add", "-q", "-b", "feature", str(wt))
    _commit_all(wt, {"requirements.txt": STALE_NEW.encode()})  # committed there: nothing to compare
    assert run_cli(cwd=wt).code == 0
    monkeypatch.setenv("GIT_DIR", str(repo / ".git"))
    monkeypatch.setenv("GIT_INDEX_FILE", str(repo / ".git" / "index"))
    for args in ([], ["--staged"]):
        r = run_cli(*args, cwd=wt)
        assert (r.code, r.out) == (0, ""), (args, r.out, r.err)


def test_a_hooks_index_is_used_for_its_own_repository_only(
    run_cli: RunCli, repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A partial commit's temporary index (GIT_INDEX_FILE in a hook) is read for the repository
    it belongs to, and never for a submodule, which has its own index."""
    sub_origin = tmp_path / "sub"
    sub_origin.mkdir()
    git(sub_origin, "init", "-q", "-b", "main")
    _commit_all(sub_origin, {"reqs.txt": STALE_OLD.encode()})
    _commit_all(repo, {"requirements.txt": b"-r sub/reqs.txt\n"})
    git(repo, "-c", "protocol.file.allow=always", "submodule", "add", "-q", str(sub_origin), "sub")
    git(repo, "commit", "-qm", "sub")
    (repo / "sub" / "reqs.txt").write_text(STALE_NEW)
    git(repo / "sub", "add", "reqs.txt")  # staged in the submodule's own index: RH101 there
    (repo / "sub" / "reqs.txt").write_text(STALE_OLD)
    # the hook's temporary index: a copy of the superproject's, with a bumped requirements.txt
    shutil.copy(repo / ".git" / "index", repo / ".git" / "next-index-1.lock")
    env_index = str(repo / ".git" / "next-index-1.lock")
    monkeypatch.setenv("GIT_INDEX_FILE", env_index)
    r = run_cli("--staged", "--select", "RH101", cwd=repo)
    assert r.code == 1 and [ln.split(":")[0] for ln in r.lines] == ["sub/reqs.txt"], (r.out, r.err)
    roots = _git.Roots()
    top, sub = roots.repo(str(repo)), roots.repo(str(repo / "sub"))
    assert top is not None and sub is not None
    assert roots.index_file(top) == env_index and roots.index_file(sub) is None


# -- --base messages (issue 11.8) --------------------------------------------------------------


def test_a_base_that_exists_nowhere_is_told_apart_with_near_names(run_cli: RunCli, repo: Path) -> None:
    _stale_bump(repo)
    git(repo, "branch", "release-1.2")
    r = run_cli("--base", "mian", cwd=repo)
    assert r.code == 2 and "--base mian does not name a commit in this repository" in r.err
    assert "no branch, tag or commit here has that name; did you mean main?" in r.err
    assert "shallow" not in r.err and "git fetch" not in r.err
    r = run_cli("--base", "release-1.3", cwd=repo)
    assert "did you mean release-1.2?" in r.err and len(r.err.splitlines()) == 1


def test_a_shallow_single_branch_clone_gets_a_fetch_that_works(run_cli: RunCli, repo: Path, tmp_path: Path) -> None:
    """`git clone --depth 1 --branch feature`: `git fetch origin main` creates no origin/main;
    the advice given must, and then the comparison runs (a real clone of a local repository)."""
    _commit_all(repo, {"requirements.txt": STALE_OLD.encode()})
    git(repo, "checkout", "-q", "-b", "feature")
    _commit_all(repo, {"requirements.txt": STALE_NEW.encode()})  # the stale bump, on the branch
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", "--branch", "feature", f"file://{repo}", str(clone))
    r = run_cli("--base", "origin/main", cwd=clone)
    assert r.code == 2 and r.out == "", r.err
    assert "this clone has not fetched main from origin" in r.err and "main:refs/remotes/origin/main" in r.err
    command = re.search(r"`(git fetch [^`]*)`", r.err)
    assert command is not None, r.err
    git(clone, *command.group(1).split()[1:])  # the advice, as given
    r = run_cli("--base", "origin/main", cwd=clone)
    assert r.code == 1 and "RH101" in r.out, (r.out, r.err)
    r = run_cli("--base", "HEAD~1", cwd=clone)  # history the shallow clone lacks
    assert r.code == 2 and "shallow clone" in r.err and "git fetch --deepen=100" in r.err


# -- the reader of git's answers: every wait bounded ------------------------------------------


def test_the_reader_gives_lines_and_sized_reads_across_writes() -> None:
    r, w = os.pipe()
    reader = _git._Reader(r, timeout=5)
    try:
        os.write(w, b"first\nsec")
        assert reader.ready()
        assert reader.readline() == b"first\n"
        os.write(w, b"ond\n0123456789")
        assert reader.readline() == b"second\n"
        assert reader.read(4) == b"0123" and reader.read(100) == b"456789"
        os.close(w)
        w = -1
        assert reader.read(1) == b"" and reader.readline() == b""
    finally:
        reader.close()
        os.close(r)
        if w >= 0:
            os.close(w)


def test_the_reader_stops_waiting_after_the_timeout() -> None:
    r, w = os.pipe()
    reader = _git._Reader(r, timeout=0.3)
    os.write(w, b"no line end")
    assert reader.read(2) == b"no" and reader.ready()  # the rest is buffered
    started = time.monotonic()
    with pytest.raises(GitTimeout, match=r"within 0\.3 s"):
        reader.readline()  # the rest of the line never comes
    assert time.monotonic() - started < 5
    reader.close()
    os.close(r)
    os.close(w)


def test_a_cat_file_that_stops_answering_is_stopped_and_every_later_request_fails(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A git that never answers: the wait ends at the timeout, git is
    killed and reaped by the CatFile, and later requests fail at once without a new process."""
    log = tmp_path / "calls.log"
    shim = _shim(tmp_path, f'echo "$*" >> "{log}"\ncase "$*" in *cat-file*) exec sleep 60;; esac')
    monkeypatch.setenv("PATH", f"{shim}{os.pathsep}{os.environ['PATH']}")
    with closing(CatFile(str(repo), max_bytes=1024, timeout=0.5)) as cat:
        with pytest.raises(GitTimeout):
            cat.get("HEAD^{commit}")
        with pytest.raises(GitTimeout):
            cat.ask(["HEAD:a", "HEAD:b"])
    assert len(log.read_text().splitlines()) == 1
