"""`[tool.req-hashlint]`: discovery, every key, the command line winning, and errors naming the key."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from req_hashlint._config import DEFAULT_FILES, Config, find_pyproject, load

from .conftest import H1, Run

RunCli = Callable[..., Run]
_DIFF_LINE = re.compile(r": RH(1\d\d|902) ")


def _codes(run: Run) -> list[str]:
    """(path, code) of every finding line but the diff rules' (see tests/test_diff.py)."""
    return [" ".join(ln.split(" ")[:2]) for ln in run.lines if not _DIFF_LINE.search(ln)]


@pytest.fixture
def work(tmp_path: Path) -> Path:
    top = tmp_path / "work"
    top.mkdir()
    (top / "requirements.txt").write_text("--trusted-host x\nsix>=1\n")
    return top


def _pyproject(where: Path, table: str, header: str = "[tool.req-hashlint]\n") -> None:
    where.mkdir(parents=True, exist_ok=True)
    (where / "pyproject.toml").write_text(f'[project]\nname = "x"\n\n{header}{table}')


ALL = [
    "requirements.txt:1:1: RH201",
    "requirements.txt:2:1: RH001",
    "requirements.txt:2:1: RH002",
]


# -- discovery -------------------------------------------------------------------------------


def test_no_config_means_defaults(run_cli: RunCli, work: Path) -> None:
    assert _codes(run_cli("requirements.txt", cwd=work)) == ALL


def test_pyproject_in_the_working_directory(run_cli: RunCli, work: Path) -> None:
    _pyproject(work, 'ignore = ["RH2", "missing-hash"]\n')
    r = run_cli("requirements.txt", cwd=work)
    assert _codes(r) == ["requirements.txt:2:1: RH001"]


def test_nearest_pyproject_with_the_table_up_to_the_repository_root(run_cli: RunCli, repo: Path) -> None:
    _pyproject(repo, 'require-hashes = "when-any"\n')
    _pyproject(repo / "sub", "", header="[tool.black]\n")  # nearer, but without our table
    deeper = repo / "sub" / "deeper"
    deeper.mkdir()
    (deeper / "requirements.txt").write_text("six>=1\n")
    r = run_cli("--select", "RH0", "requirements.txt", cwd=deeper)
    assert (r.code, _codes(r)) == (0, [])  # when-any: no hash anywhere, nothing to say


def test_outside_git_only_the_working_directory_is_searched(run_cli: RunCli, tmp_path: Path, work: Path) -> None:
    _pyproject(tmp_path, 'select = ["RH201"]\n')  # above the working directory: not read
    assert _codes(run_cli("requirements.txt", cwd=work)) == ALL


def test_find_pyproject_stops_at_stop(tmp_path: Path) -> None:
    _pyproject(tmp_path, "")
    inner = tmp_path / "a" / "b"
    inner.mkdir(parents=True)
    assert find_pyproject(str(inner), str(tmp_path)) == str(tmp_path / "pyproject.toml")
    assert find_pyproject(str(inner), str(tmp_path / "a")) is None


@pytest.mark.parametrize(
    "header",
    [
        "[tool.req-hashlint]\n",
        '[tool."req-hashlint"]\n',
        "[ tool . req-hashlint ]\n",
        "[tool.req-hashlint.per-file-ignores]\n",
    ],
)
def test_table_spellings_are_found(tmp_path: Path, header: str) -> None:
    _pyproject(tmp_path, "", header=header)
    assert find_pyproject(str(tmp_path), str(tmp_path)) is not None


def test_explicit_config_file_with_top_level_keys(run_cli: RunCli, work: Path) -> None:
    (work / "lint.toml").write_text('select = ["RH201"]\n')
    _pyproject(work, 'select = ["RH001"]\n')  # not read: --config wins
    assert _codes(run_cli("--config", "lint.toml", "requirements.txt", cwd=work)) == ["requirements.txt:1:1: RH201"]


def test_explicit_pyproject_path(run_cli: RunCli, work: Path, tmp_path: Path) -> None:
    _pyproject(tmp_path / "elsewhere", 'select = ["RH002"]\n')
    r = run_cli("--config", str(tmp_path / "elsewhere" / "pyproject.toml"), "requirements.txt", cwd=work)
    assert _codes(r) == ["requirements.txt:2:1: RH002"]


def test_no_config_ignores_the_pyproject(run_cli: RunCli, work: Path) -> None:
    _pyproject(work, 'select = ["RH201"]\nunknown-key = 1\n')
    assert _codes(run_cli("--no-config", "requirements.txt", cwd=work)) == ALL


# -- every key -------------------------------------------------------------------------------


def test_select_and_ignore_prefixes_and_names(run_cli: RunCli, work: Path) -> None:
    _pyproject(work, 'select = ["RH0", "insecure-index"]\nignore = ["RH002"]\n')
    assert _codes(run_cli("requirements.txt", cwd=work)) == [
        "requirements.txt:1:1: RH201",
        "requirements.txt:2:1: RH001",
    ]


def test_a_string_is_accepted_for_a_list(work: Path) -> None:
    _pyproject(work, 'select = "RH001"\n')
    assert load(None, cwd=str(work), stop=str(work)).select == ["RH001"]


@pytest.mark.parametrize(("value", "code"), [('"error"', 0), ('"warning"', 1)])
def test_fail_on(run_cli: RunCli, work: Path, value: str, code: int) -> None:
    (work / "requirements.txt").write_text(f"--trusted-host x\nsix==1.16.0 --hash=sha256:{H1}\n")
    _pyproject(work, f"fail-on = {value}\n")
    assert run_cli("requirements.txt", cwd=work).code == code


def test_require_hashes_when_any(run_cli: RunCli, work: Path) -> None:
    _pyproject(work, 'require-hashes = "when-any"\n')
    assert _codes(run_cli("requirements.txt", cwd=work)) == ["requirements.txt:1:1: RH201"]


def test_files_and_exclude_drive_discovery(run_cli: RunCli, work: Path) -> None:
    (work / "deps").mkdir()
    (work / "deps" / "main.lock").write_text("a>=1\n")
    (work / "deps" / "vendored.lock").write_text("b>=1\n")
    _pyproject(work, "files = '\\.lock$'\nexclude = 'vendored'\nselect = [\"RH001\"]\n")
    assert _codes(run_cli(cwd=work)) == ["deps/main.lock:1:1: RH001"]


def test_per_file_ignores(run_cli: RunCli, work: Path) -> None:
    (work / "docs").mkdir()
    (work / "docs" / "requirements.txt").write_text("sphinx>=7\n")
    _pyproject(work, '[tool.req-hashlint.per-file-ignores]\n"docs/*" = ["RH00", "insecure-index"]\n', header="")
    assert _codes(run_cli(cwd=work)) == ALL


def test_base_is_accepted(work: Path) -> None:
    _pyproject(work, 'base = "origin/main"\n')
    assert load(None, cwd=str(work), stop=str(work)).base == "origin/main"


def test_defaults() -> None:
    cfg = Config()
    assert (cfg.select, cfg.ignore, cfg.fail_on, cfg.require_hashes, cfg.files) == (
        [],
        [],
        "warning",
        "always",
        DEFAULT_FILES,
    )


# -- the command line wins -------------------------------------------------------------------


def test_cli_select_replaces_config_select_and_ignore(run_cli: RunCli, work: Path) -> None:
    # regression: an explicit --select RH002 was silenced by the config's ignore = ["RH002"]
    _pyproject(work, 'select = ["RH201"]\nignore = ["RH002"]\n')
    assert _codes(run_cli("--select", "RH002", "requirements.txt", cwd=work)) == ["requirements.txt:2:1: RH002"]


def test_cli_ignore_adds_to_config_ignore(run_cli: RunCli, work: Path) -> None:
    _pyproject(work, 'ignore = ["RH002"]\n')
    assert _codes(run_cli("--ignore", "RH001", "requirements.txt", cwd=work)) == ["requirements.txt:1:1: RH201"]


def test_cli_fail_on_and_require_hashes_win(run_cli: RunCli, work: Path) -> None:
    _pyproject(work, 'fail-on = "note"\nrequire-hashes = "when-any"\n')
    r = run_cli("--fail-on", "error", "--require-hashes", "always", "--select", "RH001", "requirements.txt", cwd=work)
    assert (r.code, _codes(r)) == (1, ["requirements.txt:2:1: RH001"])
    r = run_cli("--fail-on", "error", "--select", "RH201", "requirements.txt", cwd=work)
    assert (r.code, _codes(r)) == (0, ["requirements.txt:1:1: RH201"])


# -- errors: exit 2, one line, naming the key ------------------------------------------------


@pytest.mark.parametrize(
    ("table", "needle"),
    [
        ("selct = []\n", "unknown key `selct`"),
        ('fail-on = "fatal"\n', "`fail-on` must be one of error, warning, note, not 'fatal'"),
        ("fail-on = 1\n", "`fail-on`"),
        ('require-hashes = "sometimes"\n', "`require-hashes` must be one of always, when-any"),
        ("select = [1]\n", "`select` must be a list of strings"),
        ('select = ["RH999"]\n', "unknown rule code or name 'RH999' in `select`"),
        (
            'ignore = ["missing-hashes"]\n',
            "unknown rule code or name 'missing-hashes' in `ignore`; did you mean missing-hash",
        ),
        ("files = '(unclosed'\n", "`files` is not a valid regular expression"),
        ("exclude = 3\n", "`exclude` must be a string"),
        ('per-file-ignores = ["x"]\n', "`per-file-ignores` must be a table"),
        (
            'per-file-ignores = { "docs/*" = ["RH0x"] }\n',
            "unknown rule code or name 'RH0x' in `per-file-ignores.docs/*`",
        ),
        ('per-file-ignores = { "docs/*" = 5 }\n', "`per-file-ignores.docs/*` must be a list of strings"),
        ('base = "--upload-pack=evil"\n', "`base` must be a git revision"),
        ('base = ""\n', "`base` must be a git revision"),
        ("select = [\n", "invalid TOML"),
        ('index = "yes"\n', "`index` must be true or false"),
        ("index = 1\n", "`index` must be true or false"),
        ("index-url = 3\n", "`index-url` must be a URL"),
        ('index-url = " "\n', "`index-url` must be a URL"),
        ("extra-index-url = [1]\n", "`extra-index-url` must be a list of strings"),
        ('extra-index-url = [""]\n', "`extra-index-url` must be a URL"),
        ("environments = 3\n", "`environments` must be a list of strings"),
        ("environments = []\n", "`environments` is empty"),
        ("indexurl = 'x'\n", "unknown key `indexurl`"),
    ],
)
def test_bad_config_exits_2_naming_the_key(run_cli: RunCli, work: Path, table: str, needle: str) -> None:
    _pyproject(work, table)
    r = run_cli("requirements.txt", cwd=work)
    assert r.code == 2 and r.out == ""
    assert r.err.startswith("req-hashlint: error: ") and r.err.count("\n") == 1
    assert needle in r.err
    assert "pyproject.toml" in r.err and "Traceback" not in r.err


def test_table_that_is_not_a_table(run_cli: RunCli, work: Path) -> None:
    (work / "pyproject.toml").write_text('[tool]\nreq-hashlint = "yes"\n')
    r = run_cli("--config", "pyproject.toml", "requirements.txt", cwd=work)
    assert r.code == 2 and "must be a table" in r.err


def test_missing_config_file(run_cli: RunCli, work: Path) -> None:
    r = run_cli("--config", "nope.toml", "requirements.txt", cwd=work)
    assert (r.code, r.err) == (2, "req-hashlint: error: nope.toml: no such config file\n")


def test_config_not_utf8(run_cli: RunCli, work: Path) -> None:
    (work / "lint.toml").write_bytes(b'select = ["RH001"] # caf\xe9\n')
    r = run_cli("--config", "lint.toml", "requirements.txt", cwd=work)
    assert r.code == 2 and "lint.toml" in r.err


def test_a_pyproject_symlinked_out_of_the_repository_is_not_read(run_cli: RunCli, repo: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.toml"
    outside.write_text("[tool.req-hashlint]\nbad = 1\n")
    (repo / "pyproject.toml").symlink_to(outside)
    (repo / "requirements.txt").write_text("six>=1\n")
    run = run_cli("--no-base", "requirements.txt", cwd=repo)
    assert run.code == 1, run.err  # linted with the defaults, not "unknown key"
    assert "bad" not in run.err
    assert find_pyproject(str(repo), str(repo)) is None


def test_a_config_error_names_the_file_relative_to_the_working_directory(run_cli: RunCli, repo: Path) -> None:
    _pyproject(repo, "bad = 1\n")
    (repo / "sub").mkdir()
    run = run_cli("--no-base", cwd=repo / "sub")
    assert run.code == 2
    assert run.err.startswith("req-hashlint: error: ../pyproject.toml: unknown key `bad`"), run.err
    assert str(repo) not in run.err


def test_an_oversized_config_file_is_refused(run_cli: RunCli, work: Path) -> None:
    _pyproject(work, 'select = ["RH"]\n# ' + "x" * (5 * 1024 * 1024) + "\n")
    run = run_cli("--no-base", cwd=work)
    assert run.code == 2
    assert "pyproject.toml: larger than 4 MiB" in run.err


def test_stdin_includes_stay_in_the_working_directory_repository(
    run_cli: RunCli, repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "secret.txt").write_text("leaked-project==1.0\n")
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(b"-r secret.txt\n")))
    run = run_cli("--no-base", "--stdin-filename", str(elsewhere / "x.txt"), "-", cwd=repo)
    assert "RH010" in run.out and "outside the repository" in run.out
    assert "leaked-project" not in run.out


# -- index evidence keys (index, index-url, extra-index-url, environments) -------------------


def test_index_keys_are_read() -> None:
    from req_hashlint._config import from_table

    cfg = from_table(
        {
            "index": True,
            "index-url": " https://i.example/simple/ ",
            "extra-index-url": "https://x.example/simple/",
            "environments": ["sys_platform == 'linux'", "python_version >= '3.12'"],
        },
        "pyproject.toml",
    )
    assert cfg.index is True and cfg.index_url == "https://i.example/simple/"
    assert cfg.extra_index_url == ["https://x.example/simple/"]  # a string is a list of one
    assert cfg.environments == ["sys_platform == 'linux'", "python_version >= '3.12'"]
    empty = Config()
    assert (empty.index, empty.index_url, empty.extra_index_url, empty.environments) == (False, None, None, None)
    assert from_table({"extra-index-url": []}, "p").extra_index_url == []  # set, and empty: not pip's environment


@pytest.mark.parametrize(
    ("table", "needle"),
    [
        ("environments = [\"python_version >> '3'\"]\n", "`environments`: \"python_version >> '3'\" is not a PEP 508"),
        ('environments = ["os_name == "]\n', "`environments`"),
    ],
)
def test_a_bad_environments_marker_exits_2_in_index_mode(run_cli: RunCli, work: Path, table: str, needle: str) -> None:
    """Markers are parsed in index mode only: an offline run does not import packaging.markers."""
    _pyproject(work, table)
    (work / "requirements.txt").write_text("# nothing pinned: no index is asked\n")
    offline = run_cli("-q", "requirements.txt", cwd=work)
    assert offline.code == 0 and offline.err == ""
    r = run_cli("--index", "requirements.txt", cwd=work)
    assert r.code == 2 and r.out == "" and r.err.count("\n") == 1
    assert needle in r.err and "pyproject.toml" in r.err and "Traceback" not in r.err


def test_an_offline_run_with_environments_set_does_not_import_packaging_markers(work: Path) -> None:
    import subprocess
    import sys

    _pyproject(work, "environments = [\"sys_platform == 'linux'\"]\n")
    (work / "requirements.txt").write_text("six==1.16.0 --hash=sha256:" + "a" * 64 + "\n")
    code = (
        "import sys; from req_hashlint._cli import main; main(['-q', '--no-base', 'requirements.txt']); "
        "print(sorted(m for m in sys.modules if m.startswith(('packaging', 'req_hashlint.index'))))"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=work, capture_output=True, text=True, timeout=60)
    assert done.stdout.strip().splitlines()[-1] == "[]", done.stdout + done.stderr


def test_environments_that_select_nothing_are_a_usage_error_in_index_mode(run_cli: RunCli, work: Path) -> None:
    """A valid marker no target environment satisfies would silently check nothing."""
    _pyproject(work, "environments = [\"python_version == '2.7'\"]\n")
    (work / "requirements.txt").write_text("# nothing pinned: no index is asked\n")
    assert run_cli("requirements.txt", cwd=work).code == 0  # offline: environments are not used
    r = run_cli("--index", "requirements.txt", cwd=work)
    assert r.code == 2 and "`environments` selects none of the target environments" in r.err
