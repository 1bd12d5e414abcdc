"""The offline fixes, rule by rule, through the command (`--fix`, `--diff`), and pip's reading of the result.

Each fixed file is read by pip's own parser (the test oracle of tests/fidelity/logical.py): after the fix,
pip reads exactly the entries the file appears to list (a naive reading by eye: a requirement line and the
hashes indented below it), which it did not before.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import H1, H2, H3, H4, Run, git
from .fidelity import logical

RunCli = Callable[..., Run]
UP1 = H1.upper()


def fix(run_cli: RunCli, tmp_path: Path, text: str, *args: str, name: str = "requirements.txt") -> tuple[str, Run]:
    path = tmp_path / name
    path.write_bytes(text.encode())
    r = run_cli("--fix", "--no-base", "--no-config", *args, name, cwd=tmp_path)
    return path.read_bytes().decode(), r


def by_eye(text: str) -> list[tuple[str, frozenset[str], str | None, frozenset[str]]]:
    """What the file appears to list: each unindented requirement line, its marker (wherever the entry
    writes it), and every `--hash` on it and on the indented lines below it."""
    out: list[tuple[str, frozenset[str], str | None, frozenset[str]]] = []
    for line in text.splitlines():
        hashes = re.findall(r"--hash=(\S+)", line)
        rest = re.sub(r"--hash=\S+", "", line).rstrip(" \\")
        if line[:1].isalnum():
            name, _, marker = rest.partition(";")
            m = re.match(r"([A-Za-z0-9._-]+)(.*)", name.strip())
            assert m is not None
            out.append((logical._name(m.group(1)) or "", logical._spec(m.group(2).strip()), None, frozenset()))
            rest = f";{marker}" if marker else ""
        if out and rest.strip().startswith(";"):
            out[-1] = (*out[-1][:2], logical._marker(rest.strip()[1:].strip()), out[-1][3])
        if hashes and out:
            out[-1] = (*out[-1][:3], out[-1][3] | logical._hashes(hashes))
    return out


def pip_reads(path: Path) -> list[tuple[str, frozenset[str], str | None, frozenset[str]]]:
    reading = logical.pips(path, path.parent)
    assert reading.error is None, reading.error
    return [(v.name or "", v.specifier, v.marker, v.hashes) for v in reading.views]


# (rule, the text, the fixed text)
CASES = {
    "RH012": (f"six==1.16.0 \\\n    --hash=sha256:{UP1}\n", f"six==1.16.0 \\\n    --hash=sha256:{H1}\n"),
    "RH006-marker": (
        f"six==1.16.0 --hash=sha256:{H1} ; python_version < '3.12'\n",
        f"six==1.16.0 ; python_version < '3.12' --hash=sha256:{H1}\n",
    ),
    "RH006-marker-own-line": (
        f"six==1.16.0 \\\n    --hash=sha256:{H1} \\\n    --hash=sha256:{H2} \\\n    ; python_version < '3.12'\nidna==3.7 --hash=sha256:{H3}\n",
        f"six==1.16.0 ; python_version < '3.12' \\\n    --hash=sha256:{H1} \\\n    --hash=sha256:{H2}\nidna==3.7 --hash=sha256:{H3}\n",
    ),
    "RH006-glued": (
        f"six==1.16.0 \\\n    --hash=sha256:{H1} \\\nidna==3.7 \\\n    --hash=sha256:{H2}\n",
        f"six==1.16.0 \\\n    --hash=sha256:{H1}\nidna==3.7 \\\n    --hash=sha256:{H2}\n",
    ),
    "RH006-blanks": (
        f"six==1.16.0 \\  \n    --hash=sha256:{H1}\nidna==3.7 --hash=sha256:{H2}\n",
        f"six==1.16.0 \\\n    --hash=sha256:{H1}\nidna==3.7 --hash=sha256:{H2}\n",
    ),
    "RH005": (
        f"six==1.16.0\n    --hash=sha256:{H1}\nidna==3.7 --hash=sha256:{H2}\n",
        f"six==1.16.0 \\\n    --hash=sha256:{H1}\nidna==3.7 --hash=sha256:{H2}\n",
    ),
    "RH005-chain": (
        f"six==1.16.0\n    --hash=sha256:{H1}\n    --hash=sha256:{H2}\n    --hash=sha256:{H3}\n",
        f"six==1.16.0 \\\n    --hash=sha256:{H1} \\\n    --hash=sha256:{H2} \\\n    --hash=sha256:{H3}\n",
    ),
    "RH008": (
        f"six==1.16.0 \\\n    --hash=sha256:{H2} \\\n    --hash=sha256:{H1} \\\n    --hash=sha256:{H2}\n",
        f"six==1.16.0 \\\n    --hash=sha256:{H2} \\\n    --hash=sha256:{H1}\n",
    ),
    "RH007": (
        f"six==1.16.0 --hash=sha256:{H1}\nidna==3.7 --hash=sha256:{H2}\nsix==1.16.0 --hash=sha256:{H1}\n",
        f"six==1.16.0 --hash=sha256:{H1}\nidna==3.7 --hash=sha256:{H2}\n",
    ),
    "RH007-via": (
        f"six==1.16.0 \\\n    --hash=sha256:{H1}\n    # via a\nsix==1.16.0 \\\n    --hash=sha256:{H1}\n    # via b\n"
        f"    #   c\n# a comment of the file\nidna==3.7 --hash=sha256:{H2}\n",
        f"six==1.16.0 \\\n    --hash=sha256:{H1}\n    # via a\n# a comment of the file\nidna==3.7 --hash=sha256:{H2}\n",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_offline_fix(run_cli: RunCli, tmp_path: Path, case: str) -> None:
    before, want = CASES[case]
    got, r = fix(run_cli, tmp_path, before)
    assert got == want
    assert r.code == 0, r.out  # nothing remains
    assert re.search(r"req-hashlint: fixed \d+ problems? in 1 file\n", r.err), r.err
    # fixing again changes nothing and says nothing
    again, r2 = fix(run_cli, tmp_path, got)
    assert again == got and r2.code == 0 and "fixed" not in r2.err


@pytest.mark.parametrize("case", sorted(CASES))
def test_after_the_fix_pip_reads_what_the_file_appears_to_list(run_cli: RunCli, tmp_path: Path, case: str) -> None:
    before, _ = CASES[case]
    path = tmp_path / "requirements.txt"
    path.write_text(before)
    broken = pip_reads(path) != by_eye(before)
    got, _ = fix(run_cli, tmp_path, before)
    assert pip_reads(path) == by_eye(got)
    if case not in ("RH012", "RH008", "RH007", "RH007-via"):  # these read alike before (the defect is elsewhere)
        assert broken, "pip read the file as it looks before the fix: the case proves nothing"


def test_rh102_removes_the_old_versions_hashes(run_cli: RunCli, repo: Path) -> None:
    path = repo / "requirements.txt"
    path.write_text(f"six==1.15.0 \\\n    --hash=sha256:{H1} \\\n    --hash=sha256:{H2}\n")
    git(repo, "add", "requirements.txt")
    git(repo, "commit", "-q", "-m", "base")
    path.write_text(f"six==1.16.0 \\\n    --hash=sha256:{H1} \\\n    --hash=sha256:{H3} \\\n    --hash=sha256:{H2}\n")
    r = run_cli("--fix", "--no-config", "requirements.txt", cwd=repo)
    assert path.read_text() == f"six==1.16.0 \\\n    --hash=sha256:{H3}\n"
    assert r.code == 0 and "RH102" not in r.out, r.out


def test_what_cannot_be_fixed_is_reported_and_the_rest_fixed(run_cli: RunCli, tmp_path: Path) -> None:
    got, r = fix(run_cli, tmp_path, f"six==1.16.0 --hash=sha256:{UP1}\nidna==3.7\n")
    assert got == f"six==1.16.0 --hash=sha256:{H1}\nidna==3.7\n"
    assert r.code == 1 and "RH002" in r.out and "RH012" not in r.out
    assert "fixed 1 problem in 1 file" in r.err


def test_a_suppressed_finding_is_not_fixed(run_cli: RunCli, tmp_path: Path) -> None:
    text = f"six==1.16.0 --hash=sha256:{UP1}  # req-hashlint: ignore[RH012]\n"
    got, r = fix(run_cli, tmp_path, text)
    assert got == text and r.code == 0 and "fixed" not in r.err


LEFT_ALONE = {
    # what a person must decide: each case is reported, and the file is not touched
    "a marker after the hashes of an entry with a marker": (
        f"six==1.16.0 ; python_version > '3' --hash=sha256:{H1} ; sys_platform == 'linux'\n",
        "RH006",
    ),
    "a marker with options among its words": (f"six==1.16.0 --hash=sha256:{H1} ; --pre python_version>'3'\n", "RH006"),
    # removing them would glue idna onto six: not a fix
    "blanks after a backslash before a requirement": (
        f"six==1.16.0 --hash=sha256:{H1} \\ \nidna==3.7 --hash=sha256:{H2}\n",
        "RH006",
    ),
    "a dangling hash below a comment": (f"six==1.16.0  # pinned\n    --hash=sha256:{H1}\n", "RH005"),
    "identical entries with different hashes": (
        f"six==1.16.0 --hash=sha256:{H1}\nsix==1.16.0 --hash=sha256:{H4}\n",
        "RH007",
    ),
}


@pytest.mark.parametrize("case", LEFT_ALONE, ids=str)
def test_what_a_person_must_decide_is_left(case: str, run_cli: RunCli, tmp_path: Path) -> None:
    text, code = LEFT_ALONE[case]
    got, r = fix(run_cli, tmp_path, text)
    assert got == text and code in r.out
