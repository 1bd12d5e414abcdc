"""pylock.toml: which files are locks, the text to entries with positions, and RH011."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from packaging.pylock import is_valid_pylock_path

from req_hashlint._config import DEFAULT_FILES
from req_hashlint._model import EntryKind, IssueKind, Span
from req_hashlint._pylock import is_pylock, parse

from ..conftest import H1, H2, H3, H4, REPO, git, write_tree
from .conftest import lint_text

__all__ = ["lint_text"]

NAMES = [
    "pylock.toml",
    "pylock.dev.toml",
    "pylock.a-b_c.toml",
    "pylock.a.b.toml",
    "pylock..toml",
    "xpylock.toml",
    "pylock.toml.txt",
    "Pylock.toml",
    "pylock.toml.bak",
    "pylock-dev.toml",
    "pylock.dev.TOML",
    "my pylock.toml",
]


@pytest.mark.parametrize("name", NAMES)
def test_lock_names_are_packagings(name: str) -> None:
    """The lexer's dispatch, the default `files` and the hook's `files` agree with
    packaging.pylock.is_valid_pylock_path, in the top directory and below."""
    want = is_valid_pylock_path(Path(name))
    hook = re.search(r"^  files: (.*)$", (REPO / ".pre-commit-hooks.yaml").read_text(), re.M)
    assert hook is not None and hook.group(1) == DEFAULT_FILES
    for path in (name, f"sub/dir/{name}"):
        assert is_pylock(path) is want
        assert (re.search(DEFAULT_FILES, path) is not None) is want, path
    assert re.search(DEFAULT_FILES, "requirements/dev.txt") and re.search(DEFAULT_FILES, "constraints.txt")


UV = f"""\
lock-version = "1.0"
created-by = "uv"
requires-python = ">=3.10"

[[packages]]
name = "anyio"
version = "4.9.0"
index = "https://pypi.org/simple"
dependencies = [
    {{ name = "idna" }},  # a comment with ] and }} and "quotes"
]
sdist = {{ url = "https://x.invalid/anyio-4.9.0.tar.gz", upload-time = 2025-03-17T00:02:54Z, size = 1, hashes = {{ sha256 = "{H1}" }} }}
wheels = [
    {{ url = "https://x.invalid/anyio-4.9.0-py3-none-any.whl", upload-time = 2025-03-17 00:02:52Z, size = 2, hashes = {{ sha256 = "{H2}" }} }},
]

[[packages]]
name = "idna"
version = "3.10"
marker = 'python_version >= "3.10"'

[[packages.wheels]]
name = "idna-3.10-py3-none-any.whl"
url = '''https://x.invalid/idna-3.10-py3-none-any.whl'''
[packages.wheels.hashes]
"sha256" = "{H3}"

[[packages.wheels]]
name = "idna-3.10-py2.py3-none-any.whl"
path = "wheels/idna-3.10-py2.py3-none-any.whl"
hashes.sha256 = "{H4}"

[[packages]]
name = "proj"
vcs = {{ type = "git", url = "https://x.invalid/proj.git", commit-id = "{"a" * 40}" }}

[tool.x]
text = \"\"\"
[[packages]]
name = "not-a-package" \\\"\"\" \"\"\"\"
"""


def test_packages_become_entries_with_positions() -> None:
    f = parse(UV, "pylock.toml")
    assert f.lock and not f.issues and not f.options and not f.includes
    assert [(e.name, e.version, e.kind, e.marker) for e in f.entries] == [
        ("anyio", "4.9.0", EntryKind.NAMED, None),
        ("idna", "3.10", EntryKind.NAMED, 'python_version >= "3.10"'),
        ("proj", None, EntryKind.VCS, None),
    ]
    lines = UV.split("\n")
    anyio, idna, proj = f.entries
    assert (anyio.span, anyio.first_line, anyio.last_line) == (Span(5, 1, 5, 13), 5, 15)
    assert (idna.first_line, idna.last_line) == (17, 31)
    assert proj.url == f"git+https://x.invalid/proj.git@{'a' * 40}"
    assert [h.value for h in anyio.hashes] == [f"sha256:{H1}", f"sha256:{H2}"]
    assert [h.value for h in idna.hashes] == [f"sha256:{H3}", f"sha256:{H4}"]
    for entry in (anyio, idna):  # every hash's span is its quoted value in the text
        for h in entry.hashes:
            s = h.span
            assert s.line == s.end_line and lines[s.line - 1][s.column - 1 : s.end_column - 1] == f'"{h.digest}"'
    assert [(o.name, o.span.line) for o in anyio.options] == [("index", 8)]  # https file URLs: nothing to say
    assert not idna.options


def test_inline_packages_and_crlf() -> None:
    text = (
        'lock-version = "1.0"\r\ncreated-by = "x"\r\npackages = [\r\n'
        f'  {{ name = "a", version = "1", archive = {{ url = "https://x.invalid/a.zip", hashes = {{ sha512 = "{H1 * 2}" }} }} }},\r\n'
        f'  {{ name = "b", version = "2", sdist = {{ name = "b-2.tar.gz", url = "https://x.invalid/b-2.tar.gz", hashes = {{ sha256 = "{H2}" }} }} }},\r\n'
        "]\r\n"
    )
    f = parse(text, "pylock.toml")
    assert not f.issues
    a, b = f.entries
    assert (a.kind, a.url, a.span.line, a.span.column) == (EntryKind.URL, "https://x.invalid/a.zip", 4, 3)
    (h,) = b.hashes
    assert (b.kind, b.span.line, h.span.line) == (EntryKind.NAMED, 5, 5)
    assert text.split("\r\n")[4][h.span.column - 1 : h.span.end_column - 1] == f'"{H2}"'


@pytest.mark.parametrize(
    ("text", "span", "context", "message"),
    [
        ('lock-version = "1.0"\ncreated-by = "x"\n[[packages]\n', (3, 11), "", "Expected ']]'"),
        ('lock-version = "1.0"\ncreated-by = "x"\na = 1\na = 2\n', (4, 6), "", "Cannot overwrite a value"),
        ('created-by = "x"\npackages = []\n', (1, 1), "lock-version", "Missing required value"),
        ('lock-version = "2.0"\ncreated-by = "x"\npackages = []\n', (1, 1), "", "pylock version 2.0 is not supported"),
        (
            f'lock-version = "1.0"\ncreated-by = "x"\n[[packages]]\nname = "a"\ndirectory = {{ path = "a" }}\n[[packages]]\nname = "B_c"\nversion = "1"\nsdist = {{ url = "https://x.invalid/b_c-1.tar.gz", hashes = {{ sha256 = "{H1}" }} }}\n',
            (7, 8),
            "packages[1].name",
            "Name 'B_c' is not normalized",
        ),
        (
            f'lock-version = "1.0"\ncreated-by = "x"\n[[packages]]\nname = "a"\n\n[[packages.wheels]]\nname = "a.whl"\npath = "a.whl"\nhashes = {{ sha256 = "{H1}" }}\n',
            (6, 1),
            "packages[0].wheels[0]",
            "Invalid wheel filename 'a.whl'",
        ),
        (
            'lock-version = "1.0"\ncreated-by = "x"\n[[packages]]\nname = "a"\nversion = "1"\n',
            (3, 1),
            "packages[0]",
            "Exactly one of vcs, directory, archive must be set",
        ),
        (
            'lock-version = "1.0"\ncreated-by = "x"\nenvironments = ["python_version >"]\npackages = []\n',
            (3, 17),
            "environments[0]",
            "Expected",
        ),
    ],
)
def test_rh011_has_the_line_and_the_context_path(
    lint_text: object, text: str, span: tuple[int, int], context: str, message: str
) -> None:
    f = parse(text, "pylock.toml")
    (issue,) = [i for i in f.issues if i.kind is IssueKind.LOCK_ERROR]
    assert ((issue.span.line, issue.span.column), issue.text) == (span, context)
    assert message in issue.value
    found = lint_text(text, name="pylock.toml").one("RH011")  # type: ignore[operator]
    assert found.message.startswith("invalid pylock.toml: ")
    assert message in found.message and (f"`{context}`" in found.message) is bool(context)
    assert (found.span.line, found.span.column) == span


def test_discovery_finds_locks_at_any_depth(repo: Path, run_cli: object) -> None:
    bad = 'lock-version = "1.0"\n'  # no created-by, no packages: RH011 in each file found
    write_tree(
        repo,
        {"pylock.toml": bad, "a/b/pylock.dev.toml": bad, "a/pylock.a.b.toml": bad, "c/mypylock.toml": bad},
    )
    git(repo, "add", "-A")
    run = run_cli("--select", "RH011", cwd=repo)  # type: ignore[operator]
    found = sorted({line.split(":")[0] for line in run.lines if "RH011" in line})
    assert found == ["a/b/pylock.dev.toml", "pylock.toml"]
    assert run.code == 1


def test_an_old_packaging_is_one_clear_line(lint_text, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    import packaging

    monkeypatch.setattr(packaging, "__version__", "24.2")
    found = lint_text(UV, name="pylock.toml")
    assert found.codes() == ["RH901"]
    assert "needs packaging 26 or later (installed: 24.2)" in found.one("RH901").message


def test_imports_follow_the_file_kind(tmp_path: Path) -> None:
    """A lock imports the TOML parser and packaging.pylock, never the index modules (without
    --index); a requirements file imports neither."""
    import subprocess
    import sys

    lock = (REPO / "tests" / "data" / "pylock" / "uv-export.toml").read_text().replace("PORT", "8000")
    (tmp_path / "pylock.toml").write_text(lock)
    (tmp_path / "requirements.txt").write_text("six==1.16.0\n")
    watched = "('packaging.pylock', 'req_hashlint.index', 'req_hashlint._pylock', 'tomllib', 'tomli')"
    code = (
        "import sys\nfrom req_hashlint._cli import main\nrc = main(['--no-config', '--no-base', sys.argv[1]])\n"
        f"print(rc, sorted({{m.split('.')[0] if m.startswith('toml') else m for m in sys.modules if m.startswith({watched})}}))"
    )
    lines = []
    for name in ("pylock.toml", "requirements.txt"):
        done = subprocess.run(
            [sys.executable, "-c", code, name], cwd=tmp_path, capture_output=True, text=True, check=True
        )
        lines.append(done.stdout.strip().splitlines()[-1])
    toml = "tomllib" if sys.version_info >= (3, 11) else "tomli"
    assert lines[0] == f"0 {sorted(['packaging.pylock', 'req_hashlint._pylock', toml])}", lines
    assert lines[1].endswith(" []"), lines


def test_index_mode_asks_each_package_of_the_index_it_names(
    run_cli: object, repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With --index, a lock's package is asked of its own `index`, one without of the configured
    index, even with a --find-links source, which pip does not read for a lock (a requirements
    file beside it is then not verifiable: RH903); no artifact is ever requested."""
    from ..index.server import IndexServer, wheel

    for name in [k for k in __import__("os").environ if k.startswith("PIP_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("PIP_FIND_LINKS", str(repo))
    monkeypatch.setenv("REQ_HASHLINT_CACHE_DIR", str(repo / ".cache"))
    served = wheel("alpha", "1.0")
    with IndexServer({"alpha": [served]}) as index:
        (repo / "pylock.toml").write_text(UV.replace("https://pypi.org/simple", f"{index.base}/other/"))
        (repo / "requirements.txt").write_text(f"alpha==1.0 --hash=sha256:{'0' * 64}\n")
        run = run_cli("--index", "--index-url", index.url, "--no-base", "pylock.toml", "requirements.txt", cwd=repo)  # type: ignore[operator]
        assert sorted(index.page_requests) == ["/other/anyio/", "/simple/idna/"]
        assert index.artifact_requests == []
    lock = [line for line in run.lines if line.startswith("pylock.toml") and ": RH3" in line]
    assert lock and all(": RH304 " in line for line in lock), run.lines  # the index serves neither project
    assert any(line.startswith("requirements.txt") and ": RH903 " in line for line in run.lines)  # find-links


def test_a_base_version_is_read_for_its_entries_alone() -> None:
    """The git base's lock is compared by its entries: packaging is not asked to validate it."""
    from req_hashlint._lex import lex

    broken = UV.replace('created-by = "uv"', "created-by = 7")  # packaging refuses it (RH011)
    assert any(i.kind is IssueKind.LOCK_ERROR for i in lex(broken, "pylock.toml").issues)
    base = lex(broken, "pylock.toml", base=True)
    assert not base.issues and [e.name for e in base.entries] == [e.name for e in lex(UV, "pylock.toml").entries]
