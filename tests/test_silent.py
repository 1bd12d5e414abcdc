"""No silent pass (issue 11.7): what the run ignores or cannot use, it says on stderr."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import CORPUS, DATA, H1, Run, git, write_tree

RunCli = Callable[..., Run]
CLEAN = f"six==1.16.0 --hash=sha256:{H1}\n"


@pytest.fixture
def work(tmp_path: Path) -> Path:
    top = tmp_path / "work"
    top.mkdir()
    return top


def test_stdin_filename_without_dash_is_a_usage_error(
    run_cli: RunCli, work: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_tree(work, {"requirements.txt": CLEAN})
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(b"six>=1\n")))
    for args in (["--stdin-filename", "foo.txt"], ["--stdin-filename", "foo.txt", "requirements.txt"]):
        r = run_cli("--no-config", *args, cwd=work)
        assert r.code == 2 and r.err.count("\n") == 1 and "`-`" in r.err, r.err


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_a_run_that_finds_no_file_says_so(run_cli: RunCli, work: Path, fmt: str) -> None:
    write_tree(work, {"notes.txt": "six>=1\n", "sub/README": "x\n"})
    for args in ([], ["sub"]):
        r = run_cli("--no-config", "--format", fmt, *args, cwd=work)
        assert r.code == 0
        assert "warning: no requirements file found" in r.err, r.err


def test_the_underscore_table_is_not_read_and_says_so(run_cli: RunCli, repo: Path) -> None:
    write_tree(repo, {"requirements.txt": "six>=1\n", "pyproject.toml": '[tool.req_hashlint]\nignore = ["RH"]\n'})
    r = run_cli("requirements.txt", cwd=repo)
    assert r.code == 1
    assert "pyproject.toml: [tool.req_hashlint] is not read; the table is [tool.req-hashlint]" in r.err
    (repo / "pyproject.toml").write_text('[tool.req-hashlint]\nfail-on = "error"\n')
    assert "req_hashlint" not in run_cli("requirements.txt", cwd=repo).err


def test_a_per_file_ignores_pattern_that_matches_nothing_is_named(run_cli: RunCli, repo: Path) -> None:
    table = '[tool.req-hashlint]\nper-file-ignores = { "requirements.txt" = ["RH001"], "docs/req*.txt" = ["RH002"] }\n'
    write_tree(repo, {"requirements.txt": "six>=1\n", "pyproject.toml": table})
    git(repo, "add", "-A")
    r = run_cli("--no-base", cwd=repo)
    assert r.code == 1
    assert "per-file-ignores: 'docs/req*.txt' matches no file" in r.err
    assert "'requirements.txt' matches" not in r.err


@pytest.mark.parametrize("target", [".git/config", ".git", "sub/../.git/HEAD", ".git/hooks"])
def test_nothing_in_git_is_linted_even_when_named(run_cli: RunCli, repo: Path, target: str) -> None:
    (repo / "sub").mkdir()
    r = run_cli("--no-config", target, cwd=repo)
    assert r.code == 2 and r.err.count("\n") == 1 and ".git" in r.err, r.err
    assert r.out == ""


@pytest.mark.parametrize(
    ("name", "text", "kind"),
    [
        ("pyproject.toml", None, "TOML"),
        ("config.yaml", "repos:\n  - repo: local\n    hooks: []\n", "YAML"),
        ("setup.py", "import setuptools\n\nsetuptools.setup(name='x')\n", "Python"),
        ("requirements.txt", "[project]\nname = 'x'\n[tool.x]\nkey = 1\n", "TOML"),
    ],
)
def test_a_file_that_is_plainly_not_requirements_gets_one_rh011(
    run_cli: RunCli, work: Path, name: str, text: str | None, kind: str
) -> None:
    body = text if text is not None else (Path(__file__).parent.parent / "pyproject.toml").read_text()
    write_tree(work, {name: body})
    r = run_cli("--no-config", "--no-base", name, cwd=work)
    assert r.code == 1
    assert len(r.lines) == 1, r.out
    assert " RH011 not a requirements file: it looks like " + kind in r.lines[0]


def test_no_real_requirements_file_looks_like_another_language() -> None:
    from req_hashlint._engine import not_requirements

    files = [p for p in (CORPUS, DATA / "fidelity") if p.exists() for p in p.rglob("*") if p.is_file()]
    assert len(files) > 20
    for path in files:
        assert not_requirements(path.name, path.read_text(encoding="utf-8", errors="replace")) is None, path
    # and a requirements file with a typo is linted line by line, not dismissed
    assert not_requirements("requirements.txt", "six=1.0\nidna==3.7\n") is None


# -- 11.8: one-line usage errors that name the mistake and the nearest right thing -----------


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--formt", "json"], "unknown option '--formt'; did you mean --format?"),
        (["--format", "jsn"], "did you mean json?"),
        (["--format", "xml"], "'github', 'json', 'sarif', 'text'"),
        (["--select", "RH999"], "--select: unknown rule code or name 'RH999'; did you mean RH903"),
        (
            ["--ignore", "RH0002"],
            "--ignore: unknown rule code or name 'RH0002'; did you mean RH002 (missing-hash)",
        ),
        (["--select", "missing-hsh"], "'missing-hsh'; did you mean missing-hash (RH002)?"),
        (["--base"], "expected one argument"),
    ],
)
def test_usage_errors_are_one_line_with_a_suggestion(run_cli: RunCli, work: Path, args: list[str], needle: str) -> None:
    write_tree(work, {"requirements.txt": CLEAN})
    r = run_cli("--no-config", *args, "requirements.txt", cwd=work) if args != ["--base"] else run_cli(*args)
    assert r.code == 2
    assert r.err.count("\n") == 1 and r.err.startswith("req-hashlint: error: "), r.err
    assert needle in r.err, r.err
    assert "usage:" not in r.err


def test_config_codes_name_the_code_and_the_key(run_cli: RunCli, work: Path) -> None:
    table = '[tool.req-hashlint]\nper-file-ignores = { "a.txt" = ["RH00Z"] }\n'
    write_tree(work, {"requirements.txt": CLEAN, "pyproject.toml": table})
    r = run_cli("requirements.txt", cwd=work)
    assert r.code == 2 and r.err.count("\n") == 1
    assert "pyproject.toml: unknown rule code or name 'RH00Z' in `per-file-ignores.a.txt`" in r.err, r.err
