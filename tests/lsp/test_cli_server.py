"""`req-hashlint server` as a subcommand: its --help, the one-line error without the extra, and a CLI
whose own runs import nothing of the server."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import H1, git, git_env


def python(code: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True, timeout=60, env=git_env()
    )


def test_server_help(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "req_hashlint", "server", "--help"], cwd=tmp_path, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("usage: req-hashlint server [-h] [--stdio]")
    assert "language server" in done.stdout
    wrong = subprocess.run(
        [sys.executable, "-m", "req_hashlint", "server", "--tcp"], cwd=tmp_path, capture_output=True, text=True
    )
    assert wrong.returncode == 2
    assert wrong.stderr.splitlines() == [
        "req-hashlint: error: unrecognized arguments: --tcp (see req-hashlint server --help)"
    ]


def test_without_the_extra_one_line_and_exit_2(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "sys.modules['pygls'] = None  # as if the extra were not installed: `import pygls` fails\n"
        "from req_hashlint._cli import main\n"
        "sys.exit(main(['server']))\n"
    )
    done = python(code, tmp_path)
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        "req-hashlint: error: the language server needs pygls: pip install 'req-hashlint[server]'"
    ]
    assert done.stdout == ""


def test_the_cli_imports_nothing_of_the_server(repo: Path) -> None:
    (repo / "requirements.txt").write_text(f"alpha==1.0 --hash=sha256:{H1}\nbeta\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "c")
    code = (
        "import sys, json\n"
        "from req_hashlint._cli import main\n"
        "codes = [main([]), main(['--help']), main(['--explain', 'RH002']), main(['--format', 'sarif'])]\n"
        "heavy = ('pygls', 'lsprotocol', 'cattrs', 'asyncio', 'req_hashlint._server')\n"
        "mods = sorted(m for m in sys.modules if m.split('.')[0] in heavy or m == 'req_hashlint._server')\n"
        "print(json.dumps({'codes': codes, 'modules': mods}), file=sys.stderr)\n"
    )
    done = python(code, repo)
    report = json.loads(done.stderr.strip().splitlines()[-1])
    assert report["codes"] == [1, 0, 0, 1]
    assert report["modules"] == []


def test_the_same_check_sees_the_server(tmp_path: Path) -> None:
    """The test above can fail: importing the server module brings pygls in."""
    code = "import sys\nimport req_hashlint._server as s\ns.build()\nprint('pygls' in sys.modules, file=sys.stderr)\n"
    done = python(code, tmp_path)
    assert done.stderr.strip().splitlines()[-1] == "True"
