"""Never leak, never reach out, never write: secrets, file opens, sockets, the tree, hostile git.

Everything runs the real command: in-process where the test watches from inside (audit
hooks, patched sockets), in real temporary git repositories.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import os
import socket
import stat
import subprocess
import sys
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from req_hashlint.reporters import REPORTERS

from .conftest import H1, H2, H3, H4, REPO, Run, git, git_env, partial_clone

RunCli = Callable[..., Run]


def commit_all(repo: Path, message: str = "c") -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


def everything_said(run: Run, *files: Path) -> str:
    both = run.out + run.err + "".join(f.read_text(encoding="utf-8") for f in files if f.exists())
    assert "Traceback" not in both and "internal error" not in both, both
    return both


# -- secrets ---------------------------------------------------------------------------------

LONG_TOKEN = "github_pat_11ABCDEFG0" + "x7Q" * 27  # 92 characters: longer than a message shows
SECRETS = {
    "index": "s3cr3t-index-pw",
    "extra": "pypi-AgEIcHlwaS5vcmcCJGZmZmZmZmZm",
    "user-only": "ghp_0123456789abcdefghijklmnopqrstuvwxyz",
    "include-url": "s3cr3t-include-url",
    "include-path": "s3cr3t-include-path",
    "requirement": "s3cr3t-requirement-url",
    "egg": "s3cr3t-in-the-egg",
    "long": LONG_TOKEN,
    "at-sign": "s3cr3t@with-an-at",
    "hash-sign": "s3cr3t#with-a-hash",
    "included-file": "s3cr3t-in-an-included-file",
    "base": "s3cr3t-at-the-base",
}


def secret_files(s: dict[str, str]) -> dict[str, str]:
    return {
        "requirements.txt": (
            f"--index-url https://deploy:{s['index']}@pypi.internal/simple\n"
            f"--extra-index-url https://__token__:{s['extra']}@upload.example/simple\n"
            f"--find-links https://{s['user-only']}@github.com/org/wheels/\n"
            f"-r https://u:{s['include-url']}@example.invalid/more.txt\n"
            f"-c sub/https://u:{s['include-path']}@example.invalid/c.txt\n"
            "-r base.txt\n"
            f"six @ https://u:{s['requirement']}@files.example/six-1.16.0-py2.py3-none-any.whl --hash=sha256:{H1}\n"
            f"https://files.example/pkg.zip#egg=https://tok:{s['egg']}@example.invalid\n"
            f"-e git+https://deploy:{s['long']}@git.example/r.git#egg=editable\n"
            f"https://files.example/a.zip --hash=sha256:{H2} --index-url https://u:{s['long']}@x.example/\n"
            f"https://user:{s['at-sign']}@files.example/at-1.0.tar.gz\n"
            f"https://user:{s['hash-sign']}@files.example/h.zip\n"
            f"attrs==23.2.0 --hash=sha256:{H4}\n"
        ),
        "base.txt": f"--extra-index-url https://ci:{s['included-file']}@mirror.example/simple\nidna==3.7\n",
    }


@pytest.fixture
def secret_repo(repo: Path) -> Path:
    """A repository whose files are full of secrets, with a base version that has others."""
    base = secret_files({k: SECRETS["base"] for k in SECRETS})
    base["requirements.txt"] = base["requirements.txt"].replace("attrs==23.2.0", "attrs==23.1.0")
    for rel, text in base.items():
        (repo / rel).write_text(text)
    commit_all(repo)
    for rel, text in secret_files(SECRETS).items():
        (repo / rel).write_text(text)
    return repo


@pytest.mark.parametrize("fmt", sorted(REPORTERS))
@pytest.mark.parametrize("extra", [[], ["--base", "HEAD"], ["--staged"], ["--no-base", "--color", "always"]])
def test_no_secret_appears_in_any_output(
    run_cli: RunCli, secret_repo: Path, tmp_path: Path, fmt: str, extra: list[str]
) -> None:
    out = tmp_path / "report"
    for args in ([], ["requirements.txt", "base.txt"]):
        r = run_cli("--format", fmt, *extra, *args, cwd=secret_repo)
        r2 = run_cli("--format", fmt, "--output", str(out), *extra, *args, cwd=secret_repo)
        assert r.code == r2.code == 1
        said = everything_said(r, out) + r2.err
        for name, secret in SECRETS.items():
            assert secret not in said, name
            assert secret[:12] not in said, name  # nor a cut-short piece of one
        assert "****" in said


def test_every_url_with_a_secret_is_rh202(run_cli: RunCli, secret_repo: Path) -> None:
    r = run_cli("--no-base", "--select", "RH202", cwd=secret_repo)
    where = {ln.split(": RH202", 1)[0] for ln in r.lines}
    # every line, the `#`-one too: pip's URL ends at the `#`, but the writer's secret does not
    assert where == {f"requirements.txt:{n}:1" for n in (1, 2, 3, 4, 5, 7, 8, 9, 12)} | {
        "requirements.txt:10:108",  # the --index-url on a requirement line
        "requirements.txt:11:1",
        "base.txt:1:1",
    }, where


def test_environment_variables_are_never_expanded(
    run_cli: RunCli, repo: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("RH_TEST_TOKEN", "expanded-value-zq7")
    (repo / "requirements.txt").write_text(
        "--index-url https://${RH_TEST_USER}:${RH_TEST_TOKEN}@pypi.internal/simple\n"
        "-r ${RH_TEST_TOKEN}/more.txt\n"
        "-r ${HOME}/.netrc\n"
        f"six==1.16.0 --hash=sha256:${{RH_TEST_TOKEN}}{H1[:20]}\n"
        "${RH_TEST_TOKEN}==1.0\n"
        "https://${RH_TEST_TOKEN}@files.example/x.zip\n"
    )
    for fmt in sorted(REPORTERS):
        r = run_cli("--no-base", "--format", fmt, cwd=repo)
        said = everything_said(r)
        assert "expanded-value-zq7" not in said and str(Path.home()) not in said
        assert "${RH_TEST_TOKEN}" in said.replace("$%7BRH_TEST_TOKEN%7D", "${RH_TEST_TOKEN}")


# -- nothing outside the root is opened --------------------------------------------------------

_OPENED: list[tuple[str, str]] = []
_AUDITING: list[bool] = []


def _audit(event: str, args: tuple[object, ...]) -> None:
    if _AUDITING and event in ("open", "os.listdir", "os.scandir"):
        path = args[0] if args else None
        if isinstance(path, (str, bytes, os.PathLike)):
            _OPENED.append((event, os.path.abspath(os.fsdecode(path))))


sys.addaudithook(_audit)  # (hooks cannot be removed; this one is idle outside `audited`)


@pytest.fixture
def audited() -> Iterator[list[tuple[str, str]]]:
    """The paths the process opens (files) or lists (directories) while the fixture is active."""
    for module in (  # imported lazily by the tool: their files are not the tool's reading
        "packaging.requirements",
        "packaging.markers",
        "packaging.specifiers",
        "packaging.version",
        "packaging.utils",
        "json",
        "hashlib",
        "urllib.parse",
        *(f"req_hashlint.reporters.{m}" for m in ("text", "jsonfmt", "sarif", "github")),
    ):
        importlib.import_module(module)
    _OPENED.clear()
    _AUDITING.append(True)
    try:
        yield _OPENED
    finally:
        _AUDITING.clear()


def _outside(paths: list[tuple[str, str]], root: Path) -> list[tuple[str, str]]:
    allowed = [os.path.realpath(p) for p in {sys.prefix, sys.base_prefix, sys.exec_prefix, REPO / "req_hashlint"}]
    real_root = os.path.realpath(root)
    out = []
    for event, path in paths:
        real = os.path.realpath(path)
        if real == real_root or real.startswith(real_root + os.sep) or real == os.devnull:
            continue
        if any(real.startswith(a + os.sep) for a in allowed):
            continue  # the interpreter and the tool's own modules
        out.append((event, path))
    return out


def test_nothing_outside_the_repository_is_opened(
    run_cli: RunCli, repo: Path, tmp_path: Path, audited: list[tuple[str, str]]
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("leaked-content-8fz==1.0\n")
    (repo / "link.txt").symlink_to(outside / "secret.txt")
    (repo / "linkdir").symlink_to(outside)
    (repo / "requirements-out.txt").symlink_to(outside / "secret.txt")  # a root that leaves
    (repo / "requirements-git.txt").symlink_to(".git/config")  # a root into .git
    includes = [
        "../outside/secret.txt",
        str(outside / "secret.txt"),
        "link.txt",
        "linkdir/secret.txt",
        "/dev/zero",
        "/proc/self/environ",
        "/etc/passwd",
        "../../../../../../../../etc/passwd",
        ".git/config",
        "sub/../.git/HEAD",
        "https://example.invalid/remote.txt",
    ]
    (repo / "requirements.txt").write_text("".join(f"-r {t}\n" for t in includes) + f"six==1.16.0 --hash=sha256:{H1}\n")
    commit_all(repo)
    audited.clear()  # what the test itself wrote does not count
    for args in ([], ["requirements.txt", "requirements-out.txt", "requirements-git.txt"], ["--staged"]):
        r = run_cli(*args, cwd=repo)
        said = everything_said(r)
        assert "leaked-content" not in said and "root:" not in said and "[core]" not in said
        rh010 = [ln for ln in r.lines if ": RH010 " in ln]
        assert len(rh010) == len(includes), r.out
        assert all(
            " points outside " in ln
            or " symlink that leads outside" in ln
            or ".git directory" in ln
            or "is a URL" in ln
            for ln in rh010
        )
        assert (
            "requirements-out.txt:1:1: RH901 cannot read this file: it is a symlink that leads outside the repository"
            in r.out
        )
        assert (
            "requirements-git.txt:1:1: RH901 cannot read this file: it is a symlink into the repository's .git directory"
            in r.out
        )
    assert audited, "the audit hook saw the run"
    assert any(path.endswith("requirements.txt") for _, path in audited)
    assert _outside(audited, repo) == []


def test_the_audit_sees_a_read_outside(tmp_path: Path, audited: list[tuple[str, str]]) -> None:
    """The audit above can fail: a read outside the root is caught."""
    (tmp_path / "x").write_text("x")
    audited.clear()
    (tmp_path / "x").read_text()
    assert _outside(audited, tmp_path / "repo") == [("open", str(tmp_path / "x"))]


# -- control characters ---------------------------------------------------------------------


def test_a_crafted_line_cannot_forge_a_finding_or_drive_the_terminal(run_cli: RunCli, repo: Path) -> None:
    forged = "requirements.txt:99:1: RH999 forged"
    (repo / "requirements.txt").write_text(
        f"six==1.16.0\r{forged}\n"  # a lone CR: pip starts a line there, terminals return
        "idna\x1b[2J\x1b[1;1H==3.7\n"  # clear the screen, move the cursor
        f"attrs==23.2.0\x0b\x1c\x85\u2028{forged}\n"
        "packaging\u202e==24.0\u2066\n"  # bidi override and isolate
        "pip\x08\x08\x08\x07==24.0\n"
        f"-r \x1b]0;title\x07{forged}.txt\n"
    )
    for color in ("never", "always"):
        r = run_cli("--no-base", "--color", color, cwd=repo)
        lines = r.out.splitlines()
        assert len(lines) == len(r.out.split("\n")) - 1  # nothing but LF ends a line
        assert not any(ln.startswith(forged) for ln in lines)
        assert all(ln.startswith(("requirements.txt:", "\x1b[1mrequirements.txt:")) for ln in lines)
        for bad in ("\r", "\x0b", "\x1c", "\x85", "\u2028", "\u202e", "\u2066", "\x08", "\x07", "\x1b]", "\x1b[2J"):
            assert bad not in r.out + r.err, repr(bad)
        ours = r.out.replace("\x1b[1m", "").replace("\x1b[0m", "").replace("\x1b[2m", "")
        for c in ("\x1b[1;31m", "\x1b[1;33m", "\x1b[1;36m"):
            ours = ours.replace(c, "")
        assert "\x1b" not in ours  # the only escapes are the tool's own colours
        assert "\\x1b[2J" in r.out and "\\u202e" in r.out and "\\x07" in r.out


def test_github_annotations_cannot_be_injected(run_cli: RunCli, repo: Path) -> None:
    (repo / "requirements.txt").write_text(
        "six==1.16.0\r::error file=x::forged\n"
        "idna%0A::warning::forged==3.7\n"
        "attrs\u2028::notice::forged==1\n"
        "-r ::error::x,title=y:.txt\n"
    )
    r = run_cli("--no-base", "--format", "github", cwd=repo)
    lines = r.out.splitlines()
    assert lines and all(ln.startswith(("::error file=", "::warning file=", "::notice file=")) for ln in lines)
    assert not any(ln.startswith("::error file=x") or "::forged" in ln.split("::", 2)[1] for ln in lines)
    assert "%0A::warning" not in r.out and "%250A::warning::forged" in r.out


# -- never reach out --------------------------------------------------------------------------


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Socket creation and name lookup fail, and every attempt is recorded (also by audit)."""
    attempts: list[str] = []

    class NoSocket(socket.socket):
        def __init__(self, *args: object, **kwargs: object) -> None:
            attempts.append(f"socket{args}")
            raise OSError("the network is off in this test")

    def refuse(name: str) -> Callable[..., object]:
        def _refuse(*args: object, **kwargs: object) -> object:
            attempts.append(f"{name}{args}")
            raise OSError("the network is off in this test")

        return _refuse

    monkeypatch.setattr(socket, "socket", NoSocket)
    for name in ("create_connection", "getaddrinfo", "gethostbyname", "socketpair"):
        monkeypatch.setattr(socket, name, refuse(name))
    yield attempts


_SOCKET_EVENTS: list[str] = []
sys.addaudithook(lambda e, a: _SOCKET_EVENTS.append(e) if _AUDITING and e.startswith("socket.") else None)


def test_the_socket_patch_sees_an_attempt(no_network: list[str], audited: object) -> None:
    """The test below can fail: a fetch is seen, and fails."""
    with pytest.raises(OSError):
        urllib.request.urlopen("https://example.invalid/requirements.txt", timeout=1)
    assert no_network


def test_nothing_tries_the_network(
    run_cli: RunCli, secret_repo: Path, tmp_path: Path, no_network: list[str], audited: object
) -> None:
    (secret_repo / "requirements-vcs.txt").write_text(
        "-r https://example.invalid/remote.txt\n-c http://example.invalid/c.txt\n"
        "-e git+https://example.invalid/r.git#egg=r\npkg @ https://example.invalid/p-1.0-py3-none-any.whl\n"
        "--find-links https://example.invalid/wheels/\n--trusted-host example.invalid\n"
    )
    _SOCKET_EVENTS.clear()
    for fmt in sorted(REPORTERS):
        for extra in ([], ["--base", "HEAD"], ["--staged"]):
            r = run_cli("--format", fmt, *extra, cwd=secret_repo)
            assert r.code == 1
            everything_said(r)
    assert no_network == [] and _SOCKET_EVENTS == []


# -- never write -----------------------------------------------------------------------------


def snapshot(root: Path) -> dict[str, tuple[int, int, int, str]]:
    """Every entry under ``root``, ``.git`` included: mode, size, mtime (ns) and content digest."""
    out: dict[str, tuple[int, int, int, str]] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = os.path.join(dirpath, name)
            st = os.lstat(path)
            if stat.S_ISLNK(st.st_mode):
                digest = os.readlink(path)
            elif stat.S_ISREG(st.st_mode):
                with open(path, "rb") as fh:
                    digest = hashlib.sha256(fh.read()).hexdigest()
            else:
                digest = ""
            out[os.path.relpath(path, root)] = (st.st_mode, st.st_size, st.st_mtime_ns, digest)
    st = os.lstat(root)
    out["."] = (st.st_mode, st.st_size, st.st_mtime_ns, "")
    return out


def test_a_run_changes_nothing_in_the_tree_or_in_git(run_cli: RunCli, repo: Path, tmp_path: Path) -> None:
    (repo / ".gitignore").write_text("ignored/\n")
    (repo / "requirements.txt").write_text(f"six==1.16.0 --hash=sha256:{H1}\n-r base.txt\n")
    (repo / "base.txt").write_text(f"idna==3.6 --hash=sha256:{H2}\n")
    commit_all(repo)
    (repo / "base.txt").write_text(f"idna==3.7 --hash=sha256:{H2}\n")  # RH101 against HEAD
    git(repo, "add", "base.txt")
    (repo / "requirements.txt").write_text(f"six==1.17.0 --hash=sha256:{H3}\n-r base.txt\n")  # unstaged
    (repo / "requirements-new.txt").write_text("untracked\n")
    (repo / "ignored").mkdir()
    (repo / "ignored" / "requirements.txt").write_text("x\n")
    before = snapshot(repo)
    report = tmp_path / "report"
    for args in (
        [],
        ["--base", "HEAD"],
        ["--staged"],
        ["--no-base"],
        ["requirements.txt", "base.txt"],
        ["--format", "sarif", "--output", str(report)],
        ["--format", "json"],
        ["--format", "github", "--staged"],
    ):
        r = run_cli(*args, cwd=repo)
        assert r.code == 1, (args, r.out, r.err)
        everything_said(r)
    assert "RH101" in r.out or "RH101" in report.read_text()
    assert snapshot(repo) == before


# -- hostile git configuration ------------------------------------------------------------------

_EVIL = """#!/bin/sh
touch "{markers}/ran-$(basename "$0")-$$"
exit 0
"""


# Config keys whose value git runs as a command (or hook path).
COMMAND_KEYS = (
    "core.fsmonitor",
    "core.pager",
    "core.sshCommand",
    "core.askPass",
    "core.editor",
    "core.alternateRefsCommand",
    "diff.external",
    "diff.evil.textconv",
    "diff.evil.command",
    "filter.evil.clean",
    "filter.evil.smudge",
    "filter.evil.process",
    "merge.evil.driver",
    "gpg.program",
    "pager.ls-files",
    "pager.cat-file",
)


def hostile_repo(repo: Path, markers: Path) -> Path:
    """A repository whose config, attributes and hooks try to run a command at every turn.

    The history is made first, with plain git; then the traps are set.
    """
    (repo / ".gitattributes").write_text("* filter=evil diff=evil merge=evil\n")
    (repo / "requirements.txt").write_text(f"six==1.16.0 --hash=sha256:{H1}\n")
    commit_all(repo)
    (repo / "requirements.txt").write_text(f"six==1.17.0 --hash=sha256:{H1}\n")  # staged: RH101
    git(repo, "add", "requirements.txt")
    (repo / "requirements.txt").write_text(f"six==1.17.0 --hash=sha256:{H2}\n")  # dirty: diffs, filters look
    markers.mkdir()
    evil = markers.parent / "evil.sh"
    evil.write_text(_EVIL.format(markers=markers))
    evil.chmod(0o755)
    hooks = markers.parent / "hooks"
    hooks.mkdir()
    for hook in ("post-index-change", "reference-transaction", "post-checkout", "pre-commit", "fsmonitor-watchman"):
        (hooks / hook).symlink_to(evil)
        (repo / ".git" / "hooks" / hook).symlink_to(evil)
    (markers.parent / "more.config").write_text(f"[core]\n\tfsmonitor = {evil}\n[diff]\n\texternal = {evil}\n")
    for key in COMMAND_KEYS:
        git(repo, "config", key, str(evil))
    for key, value in (
        ("core.hooksPath", str(hooks)),
        ("filter.evil.required", "true"),
        ("credential.helper", f"!{evil}"),
        ("alias.ls-files", f"!{evil}"),
        ("alias.cat-file", f"!{evil}"),
        ("core.untrackedCache", "true"),
        ("include.path", str(markers.parent / "more.config")),
    ):
        git(repo, "config", key, value)
    assert list(markers.iterdir()) == []
    return evil


def test_the_hostile_config_is_live_for_plain_git(repo: Path, tmp_path: Path) -> None:
    """The test below can fail: git itself runs these commands in this repository."""
    markers = tmp_path / "markers"
    hostile_repo(repo, markers)
    env = git_env()
    subprocess.run(["git", "status"], cwd=repo, env=env, capture_output=True, check=False)
    subprocess.run(["git", "diff"], cwd=repo, env=env, capture_output=True, check=False)
    assert list(markers.iterdir())


@pytest.mark.parametrize(
    "args",
    [[], ["--base", "HEAD"], ["--base", "HEAD", "--staged"], ["--staged"], ["requirements.txt"], ["--no-base"]],
    ids=["discovery+diff", "base", "base-staged", "staged", "file", "discovery"],
)
def test_a_hostile_repository_config_runs_nothing(run_cli: RunCli, repo: Path, tmp_path: Path, args: list[str]) -> None:
    markers = tmp_path / "markers"
    hostile_repo(repo, markers)
    before = snapshot(repo)
    r = run_cli(*args, cwd=repo)
    everything_said(r)
    assert r.code in (0, 1), r.err
    assert ("RH101" in r.out) == ("--staged" in args), r.out  # the diff ran (the index holds the bump)
    assert list(markers.iterdir()) == []
    assert snapshot(repo) == before


def test_a_partial_clone_never_fetches_a_missing_base(run_cli: RunCli, tmp_path: Path) -> None:
    """A missing blob in a partial clone is not fetched from its promisor remote.

    git fetches it lazily, through `remote.<name>.uploadpack` (a command) for a local remote,
    or over the network for a remote one, when a repository's config allows the protocol.
    """
    clone = partial_clone(tmp_path, f"six==1.16.0 --hash=sha256:{H1}\n", f"six==1.17.0 --hash=sha256:{H1}\n")
    markers = tmp_path / "markers"
    markers.mkdir()
    evil = tmp_path / "evil.sh"
    evil.write_text(_EVIL.format(markers=markers) + 'exec git-upload-pack "$@"\n')
    evil.chmod(0o755)
    git(clone, "config", "remote.origin.uploadpack", str(evil))
    for proto in ("file", "https", "http", "ssh", "git", "ext"):
        git(clone, "config", f"protocol.{proto}.allow", "always")
    r = run_cli("--base", "HEAD~1", cwd=clone)
    everything_said(r)
    assert list(markers.iterdir()) == []
    assert r.code == 2 and "HEAD~1" in r.err  # the base cannot be read: a usage error, said so
    r = run_cli(cwd=clone)  # the default base, HEAD, is in the clone: no fetch needed
    assert (r.code, r.out) == (0, "")
    assert list(markers.iterdir()) == []
    env = {**git_env(), "GIT_NO_LAZY_FETCH": "0"}
    subprocess.run(
        ["git", "cat-file", "-p", "HEAD~1:requirements.txt"], cwd=clone, env=env, capture_output=True, check=False
    )
    assert list(markers.iterdir()), "plain git runs the command: the test can fail"


def test_json_output_stays_one_valid_document(run_cli: RunCli, repo: Path) -> None:
    (repo / "requirements.txt").write_text('six"}]},{"code":"RH000","x":[{"==1\n-r "},{"code":"RH000".txt\n')
    r = run_cli("--no-base", "--format", "json", cwd=repo)
    doc = json.loads(r.out)
    assert doc["findings"] and {f["code"] for f in doc["findings"]} <= {"RH010", "RH011"}


# -- index evidence is opt-in: without --index, no index module and no request ---------------


def test_without_index_no_index_is_asked_and_no_index_module_is_loaded(repo: Path) -> None:
    """A live loopback index named everywhere (a file's --index-url, the command line, the
    config, PIP_INDEX_URL): without ``--index`` it sees no request, and nothing of
    ``req_hashlint.index`` but the pure data model is imported."""
    from .index.server import IndexServer, wheel

    alpha = wheel("alpha", "1.0")
    with IndexServer({"alpha": [alpha]}) as server:
        (repo / "requirements.txt").write_text(
            f"--index-url {server.url}\n--extra-index-url {server.url}\nalpha==1.0 --hash=sha256:{alpha.sha256}\n"
        )
        (repo / "pyproject.toml").write_text(
            f'[tool.req-hashlint]\nindex = false\nindex-url = "{server.url}"\nenvironments = ["os_name == \'posix\'"]\n'
        )
        commit_all(repo)
        script = (
            "import sys, json\n"
            "from req_hashlint._cli import main\n"
            "codes = [main(['--format', f, '--index-url', sys.argv[1], '--refresh']) for f in ('text', 'sarif')]\n"
            "mods = sorted(m for m in sys.modules if m.startswith('req_hashlint.index'))\n"
            "print(json.dumps({'codes': codes, 'modules': mods}), file=sys.stderr)\n"
        )
        env = {k: v for k, v in git_env().items() if not k.startswith("PIP_")}
        env.update(PIP_INDEX_URL=server.url, PYTHONPATH=str(REPO))
        done = subprocess.run(
            [sys.executable, "-c", script, server.url], cwd=repo, env=env, capture_output=True, text=True, timeout=60
        )
        report = json.loads(done.stderr.strip().splitlines()[-1])
        assert report["codes"] == [0, 0], done.stderr
        assert report["modules"] in ([], ["req_hashlint.index", "req_hashlint.index._model"])
        assert "req_hashlint.index._fetch" not in report["modules"]
        assert server.requests == []


def test_with_index_the_same_run_asks_the_index(repo: Path) -> None:
    """The test above can fail: with ``--index`` the same files make the index answer."""
    from .index.server import IndexServer, wheel

    alpha = wheel("alpha", "1.0")
    with IndexServer({"alpha": [alpha]}) as server:
        (repo / "requirements.txt").write_text(f"--index-url {server.url}\nalpha==1.0 --hash=sha256:{alpha.sha256}\n")
        commit_all(repo)
        env = {k: v for k, v in git_env().items() if not k.startswith("PIP_")}  # this machine's PIP_FIND_LINKS
        env.update(PYTHONPATH=str(REPO), REQ_HASHLINT_CACHE_DIR=str(repo.parent / "cache"))
        script = "import sys; from req_hashlint._cli import main; sys.exit(main(['--index']))"
        done = subprocess.run(
            [sys.executable, "-c", script], cwd=repo, env=env, capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 0, done.stdout + done.stderr
        assert server.page_requests == ["/simple/alpha/"]
