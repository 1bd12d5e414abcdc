"""The diff rules (RH101-RH104, RH902): each file against its version at a git base.

Real git repositories in temporary directories; the CLI runs in-process.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import stat
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from req_hashlint import _git
from req_hashlint._diff import HISTORY_DEPTH, compare
from req_hashlint._lex import lex
from req_hashlint._versions import same_version

from .conftest import H1, H2, H3, H4, Run, git, inside

RunCli = Callable[..., Run]
LINE_RE = re.compile(r"^(.*):(\d+):(\d+): (RH\d{3}) (.*)$")
DIFF = "--select=RH1,RH902"


def digest(n: int) -> str:
    return hashlib.sha256(str(n).encode()).hexdigest()


def entry(name: str, version: str, *hashes: str, marker: str = "") -> str:
    """A pip-compile style entry: one hash per continuation line."""
    head = f"{name}=={version}" + (f" ; {marker}" if marker else "")
    return " \\\n    ".join([head, *(f"--hash=sha256:{h}" for h in hashes)]) + "\n"


def write(repo: Path, rel: str, text: str, *, newline: str = "") -> Path:
    p = repo / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    with open(p, "w", encoding="utf-8", newline=newline) as fh:
        fh.write(text)
    return p


def commit(repo: Path, files: dict[str, str] | None = None, msg: str = "c") -> str:
    for rel, text in (files or {}).items():
        write(repo, rel, text)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", msg, "--allow-empty")
    return git(repo, "rev-parse", "HEAD").strip()


def found(run: Run) -> list[tuple[str, int, int, str]]:
    out = []
    for line in run.lines:
        m = LINE_RE.match(line)
        assert m, line
        out.append((m.group(1), int(m.group(2)), int(m.group(3)), m.group(4)))
    return out


def messages(run: Run, code: str) -> list[str]:
    return [m.group(5) for ln in run.lines if (m := LINE_RE.match(ln)) and m.group(4) == code]


# -- pairing and versions (pure) --------------------------------------------------------------


def _stale(old: str, new: str) -> list[tuple[str | None, str | None, tuple[str, ...], bool]]:
    """(project, version now, versions the stale hashes belong to, all stale) per stale entry."""
    got = compare([(lex(old, "o"), lex(new, "n"))])
    return [(s.entry.key, s.entry.version, s.versions, s.stale == s.hashes) for s in got.stale]


def test_no_pairing_needed_names_are_normalized_and_extras_ignored() -> None:
    old = "Foo_Bar[x]==1.0 --hash=sha256:" + H1 + "\n"
    assert _stale(old, "foo-bar==1.1 --hash=sha256:" + H1 + "\n") == [("foo-bar", "1.1", ("1.0",), True)]
    assert _stale(old, "foo.bar[y]==1.0.0 --hash=sha256:" + H1 + "\n") == []  # the same version


def test_a_hash_listed_under_the_version_itself_is_never_stale() -> None:
    """Split by marker, one side keeping the old version: only the side with a new version fires."""
    old = entry("numpy", "1.26", H1, H2)
    new = entry("numpy", "1.26", H1, H2, marker="python_version < '3.12'") + entry(
        "numpy", "2.0", H1, H2, marker="python_version >= '3.12'"
    )
    assert _stale(old, new) == [("numpy", "2.0", ("1.26",), True)]
    # A digest the base lists under two versions of the project proves nothing about either.
    both = entry("numpy", "1.26", H1, marker="python_version < '3.12'") + entry(
        "numpy", "2.0", H1, marker="python_version >= '3.12'"
    )
    assert _stale(both, entry("numpy", "2.0", H1)) == []


def test_a_digest_of_another_project_is_not_this_ones_stale_hash() -> None:
    assert _stale(entry("six", "1.0", H1), entry("rich", "2.0", H1)) == []


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [("1.0", "1.0", True), ("1.0", "1.0.0", True), ("1.0", "1.0.1", False), ("1.0", "1.0+cpu", False),
     ("2024.1", "2024.01", True), ("not a version", "not a version", True), ("x", "y", False)],
)  # fmt: skip
def test_versions_compare_by_pep_440(a: str, b: str, same: bool) -> None:
    assert same_version(a, b) is same


# -- each rule firing and not firing -------------------------------------------------------------


def test_rh101_a_bump_with_unchanged_hashes(repo: Path, run_cli: RunCli) -> None:
    commit(repo, {"requirements.txt": "# lock\n" + entry("rich", "14.3.4", H1, H2) + entry("six", "1.16.0", H3)})
    write(repo, "requirements.txt", "# lock\n" + entry("rich", "15.0.0", H1, H2) + entry("six", "1.16.0", H3))
    r = run_cli(cwd=repo)
    assert r.code == 1
    assert found(r) == [("requirements.txt", 2, 1, "RH101")]
    assert messages(r, "RH101") == [
        "rich bumped 14.3.4 -> 15.0.0 but its 2 --hash values are unchanged from 14.3.4, so pip will reject "
        "15.0.0's files (HashMismatch); regenerate them: with the command that made this file, releasing the "
        "pin and naming its input and output (`pip-compile --generate-hashes -P rich==15.0.0 requirements.in -o "
        "requirements.txt`, or `uv pip compile --generate-hashes -P rich==15.0.0 requirements.in -o "
        "requirements.txt`, after changing any other pin of rich in the input), or by hand: `pip hash` each "
        "file of rich==15.0.0"
    ]


def test_rh101_hashes_reformatted_and_reordered_are_still_the_old_ones(repo: Path, run_cli: RunCli) -> None:
    commit(repo, {"requirements.txt": entry("rich", "14.3.4", H1, H2)})
    write(repo, "requirements.txt", f"\n\nrich==15.0.0 --hash=sha256:{H2.upper()} --hash=sha256:{H1}  # bumped\n")
    r = run_cli(DIFF, cwd=repo)
    assert found(r) == [("requirements.txt", 3, 1, "RH101")]


def test_rh101_a_subset_of_the_old_hashes_and_a_downgrade(repo: Path, run_cli: RunCli) -> None:
    commit(repo, {"requirements.txt": entry("rich", "15.0.0", H1, H2)})
    write(repo, "requirements.txt", entry("rich", "14.3.4", H2))
    r = run_cli(DIFF, cwd=repo)
    assert found(r) == [("requirements.txt", 1, 1, "RH101")]
    assert messages(r, "RH101")[0].startswith(
        "rich downgraded 15.0.0 -> 14.3.4 but its 1 --hash value was already listed for 15.0.0"
    )


@pytest.mark.parametrize(
    "now",
    [
        entry("rich", "15.0.0", H3, H4),  # regenerated
        entry("rich", "14.3.4", H1, H2),  # unchanged
        entry("rich", "14.3.4.0", H1, H2),  # the same version, written differently
        "rich==15.0.0\n",  # no hashes at all: RH002's business
        entry("rich-cli", "15.0.0", H1, H2),  # another project
    ],
)
def test_rh101_does_not_fire(repo: Path, run_cli: RunCli, now: str) -> None:
    commit(repo, {"requirements.txt": entry("rich", "14.3.4", H1, H2)})
    write(repo, "requirements.txt", now)
    r = run_cli(DIFF, cwd=repo)
    assert "RH101" not in [f[3] for f in found(r)]


@pytest.mark.parametrize(
    ("before", "now", "lines"),
    [
        pytest.param(  # the case: one entry split in two by complementary markers
            entry("rich", "14.3.4", H1, H2),
            entry("rich", "15.0.0", H1, H2, marker="sys_platform == 'win32'")
            + entry("rich", "15.0.0", H1, H2, marker="sys_platform != 'win32'"),
            [1, 4],
            id="split",
        ),
        pytest.param(  # split, one side bumped with another version's hashes
            entry("rich", "14.3.4", H1, H2),
            entry("rich", "14.3.4", H1, H2, marker="sys_platform == 'win32'")
            + entry("rich", "15.0.1", H1, marker="sys_platform != 'win32'"),
            [4],
            id="split-one-side",
        ),
        pytest.param(  # two marker entries merged into one
            entry("numpy", "1.26.4", H1, marker="python_version < '3.12'")
            + entry("numpy", "2.0.0", H2, marker="python_version >= '3.12'"),
            entry("numpy", "2.1.0", H1, H2),
            [1],
            id="merge",
        ),
        pytest.param(  # the markers rewritten, the project listed twice on each side
            entry("six", "1.16.0", H1, marker="sys_platform == 'win32'")
            + entry("six", "1.15.0", H2, marker="sys_platform != 'win32'"),
            entry("six", "1.17.0", H1, marker="os_name == 'nt'") + entry("six", "1.17.0", H2, marker="os_name != 'nt'"),
            [1, 3],
            id="marker-rewrite",
        ),
        pytest.param(  # renamed by normalization
            entry("Foo_Bar", "1.0", H1, H2),
            entry("foo-bar", "1.1", H2, H1),
            [1],
            id="renamed",
        ),
    ],
)
def test_rh101_however_the_entries_were_split_or_merged(
    repo: Path, run_cli: RunCli, before: str, now: str, lines: list[int]
) -> None:
    commit(repo, {"requirements.txt": before})
    write(repo, "requirements.txt", now)
    r = run_cli(DIFF, cwd=repo)
    assert found(r) == [("requirements.txt", n, 1, "RH101") for n in lines]
    assert r.code == 1


def test_rh101_an_entry_moved_to_another_file_of_the_include_graph(repo: Path, run_cli: RunCli) -> None:
    commit(
        repo,
        {"requirements.txt": "-r base.txt\n" + entry("rich", "14.3.4", H1, H2), "base.txt": entry("six", "1.16.0", H3)},
    )
    write(repo, "requirements.txt", "-r base.txt\n")
    write(repo, "base.txt", entry("six", "1.16.0", H3) + entry("rich", "15.0.0", H1, H2))
    r = run_cli(DIFF, cwd=repo)
    assert found(r) == [("base.txt", 3, 1, "RH101")]
    assert "rich bumped 14.3.4 -> 15.0.0 but its 2 --hash values are unchanged from 14.3.4" in r.out
    # Moved into a file that is new at the base: the same.
    write(repo, "base.txt", entry("six", "1.16.0", H3))
    write(repo, "requirements.txt", "-r base.txt\n-r more.txt\n")
    write(repo, "more.txt", entry("rich", "15.0.0", H1, H2))
    assert found(run_cli(DIFF, cwd=repo)) == [("more.txt", 1, 1, "RH101")]


def test_rh102_after_a_merge_of_two_marker_entries(repo: Path, run_cli: RunCli) -> None:
    commit(
        repo,
        {
            "requirements.txt": entry("numpy", "1.26.4", H1, marker="python_version < '3.12'")
            + entry("numpy", "2.1.0", H2, marker="python_version >= '3.12'")
        },
    )
    write(repo, "requirements.txt", entry("numpy", "2.1.0", H2, H1))
    r = run_cli(DIFF, cwd=repo)
    assert found(r) == [("requirements.txt", 3, 5, "RH102")]
    assert "numpy bumped 1.26.4 -> 2.1.0 and got 1 new --hash value, but 1 of 1.26.4's hash" in r.out


def test_rh102_old_hashes_left_next_to_new_ones(repo: Path, run_cli: RunCli) -> None:
    commit(repo, {"requirements.txt": entry("idna", "3.6", H1, H2)})
    write(repo, "requirements.txt", entry("idna", "3.7", H3, H2, H4))
    r = run_cli(DIFF, cwd=repo)
    assert found(r) == [("requirements.txt", 3, 5, "RH102")]  # the first leftover --hash token
    assert messages(r, "RH102") == [
        "idna bumped 3.6 -> 3.7 and got 2 new --hash values, but 1 of 3.6's hash is still listed (this is the "
        "first); remove it, or regenerate the entry (pip-compile --generate-hashes, or uv pip compile "
        "--generate-hashes)"
    ]
    assert r.code == 1  # a warning fails at the default --fail-on


@pytest.mark.parametrize(
    "now", [entry("idna", "3.7", H3, H4), entry("idna", "3.6", H1, H2, H3), entry("idna", "3.7", H1, H2)]
)
def test_rh102_does_not_fire(repo: Path, run_cli: RunCli, now: str) -> None:
    commit(repo, {"requirements.txt": entry("idna", "3.6", H1, H2)})
    write(repo, "requirements.txt", now)
    assert "RH102" not in [f[3] for f in found(run_cli(DIFF, cwd=repo))]


def test_rh103_same_version_with_a_hash_replaced(repo: Path, run_cli: RunCli) -> None:
    commit(repo, {"requirements.txt": entry("urllib3", "2.2.1", H1, H2)})
    write(repo, "requirements.txt", entry("urllib3", "2.2.1", H1, H3))
    r = run_cli(DIFF, cwd=repo)
    assert found(r) == [("requirements.txt", 3, 5, "RH103")]  # the added --hash token
    msg = messages(r, "RH103")[0]
    assert msg.startswith("urllib3 2.2.1 is the same version as at the base, but 1 hash was removed and 1 was added")
    assert "tampering" in msg and "pip download urllib3==2.2.1 --no-deps" in msg


@pytest.mark.parametrize(
    "now",
    [
        entry("urllib3", "2.2.1", H1, H2, H3),  # a new wheel for the same release
        entry("urllib3", "2.2.1", H1),  # a platform dropped
        entry("urllib3", "2.2.1", H2, H1),  # reordered
        entry("urllib3", "2.2.1.0", H2, H1),  # the same version, written differently
        "urllib3==2.2.1 \\\n    --hash=sha512:" + "a" * 128 + "\n",  # another algorithm
    ],
)
def test_rh103_does_not_fire(repo: Path, run_cli: RunCli, now: str) -> None:
    commit(repo, {"requirements.txt": entry("urllib3", "2.2.1", H1, H2)})
    write(repo, "requirements.txt", now)
    assert "RH103" not in [f[3] for f in found(run_cli(DIFF, cwd=repo))]


def test_rh103_a_repair_of_stale_hashes_is_no_finding(repo: Path, run_cli: RunCli) -> None:
    """The issue's case: HEAD holds click==8.1.8 with 8.1.7's hashes; committing the right ones."""
    commit(repo, {"requirements.txt": entry("six", "1.16.0", H4) + entry("click", "8.1.7", H1, H2)})
    commit(repo, {"README": "x\n"})
    commit(repo, {"requirements.txt": entry("six", "1.16.0", H4) + entry("click", "8.1.8", H1, H2)}, "bump")
    write(repo, "requirements.txt", entry("six", "1.16.0", H4) + entry("click", "8.1.8", H3, digest(1)))
    r = run_cli(cwd=repo)
    assert (r.code, r.lines) == (0, [])
    # A hash replaced that was not stale (H3 is no other version's in the history) stands.
    commit(repo, {"requirements.txt": entry("click", "8.1.8", H1, H3)}, "half-fixed")
    write(repo, "requirements.txt", entry("click", "8.1.8", H1, digest(2)))
    assert [f[3] for f in found(run_cli(DIFF, cwd=repo))] == ["RH103"]


def test_rh103_names_the_way_past_it(repo: Path, run_cli: RunCli) -> None:
    commit(repo, {"requirements.txt": entry("urllib3", "2.2.1", H1, H2)})
    write(repo, "requirements.txt", entry("urllib3", "2.2.1", H1, H3))
    msg = messages(run_cli(DIFF, cwd=repo), "RH103")[0]
    assert msg.endswith(
        "once verified, end this line with `# req-hashlint: ignore[rehashed-same-version]`, or commit with "
        "`SKIP=req-hashlint`"
    )
    write(
        repo,
        "requirements.txt",
        entry("urllib3", "2.2.1", H1, H3).replace(H3, H3 + "  # req-hashlint: ignore[rehashed-same-version]"),
    )
    r = run_cli(cwd=repo)
    assert (r.code, r.lines) == (0, [])


def test_rh103_reads_history_only_when_it_would_fire(
    repo: Path, run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    commit(repo, {"requirements.txt": entry("click", "8.1.7", H1)})
    for n in range(HISTORY_DEPTH + 1):
        commit(repo, {"requirements.txt": entry("click", "8.1.8", H1) + f"# {n}\n"})  # the bump is deeper
    log = _counting_git(tmp_path, monkeypatch)
    write(repo, "requirements.txt", entry("click", "8.1.8", H3))
    assert [f[3] for f in found(run_cli(DIFF, cwd=repo))] == ["RH103"]  # beyond the depth: it stands
    assert [" rev-list " in c for c in log.read_text().splitlines()].count(True) == 1
    # Within the depth, the same change is a repair.
    git(repo, "reset", "-q", "--hard", "HEAD~1")
    write(repo, "requirements.txt", entry("click", "8.1.8", H3))
    assert found(run_cli(DIFF, cwd=repo)) == []
    log.write_text("")
    write(repo, "requirements.txt", entry("click", "8.1.8", H1, H3))  # only added: no history read
    assert found(run_cli(DIFF, cwd=repo)) == []
    assert "rev-list" not in log.read_text()


def test_rh104_a_hash_dropped_under_an_unchanged_version(repo: Path, run_cli: RunCli) -> None:
    """The issue's case: rich==14.0.0 loses its wheel's hash and keeps the sdist's."""
    commit(repo, {"requirements.txt": entry("six", "1.16.0", H4) + entry("rich", "14.0.0", H1, H2)})
    write(repo, "requirements.txt", entry("six", "1.16.0", H4) + entry("rich", "14.0.0", H2))
    r = run_cli(cwd=repo)
    assert found(r) == [("requirements.txt", 3, 1, "RH104")]
    assert r.code == 1  # a warning fails at the default --fail-on
    assert messages(r, "RH104") == [
        "rich 14.0.0 is the same version as at the base, but 1 of its --hash values was removed and none "
        "added: pip can no longer install the file behind it, so it builds from another file (often the "
        "sdist) or fails on a platform whose only hashed file was dropped; restore the hashes (regenerate "
        "the entry: pip-compile --generate-hashes, or uv pip compile --generate-hashes), or suppress this "
        "finding if the files were meant to go"
    ]
    assert "RH104" in run_cli("--format", "json", cwd=repo).out


@pytest.mark.parametrize(
    "now",
    [
        entry("rich", "14.0.0", H1, H2, H3),  # a new wheel for the same release
        entry("rich", "14.0.0", H2, H1),  # reordered
        entry("rich", "14.0.0", H1, marker="sys_platform == 'win32'")  # split by marker, nothing lost
        + entry("rich", "14.0.0", H2, marker="sys_platform != 'win32'"),
        entry("rich", "14.1.0", H3),  # bumped: the old release's hashes go with it
        entry("six", "1.16.0", H4),  # the project removed
        entry("rich", "14.0.0", H1, H3),  # replaced: RH103's business
        "rich==14.0.0 \\\n    --hash=sha512:" + "a" * 128 + "\n",  # another algorithm
    ],
)
def test_rh104_does_not_fire(repo: Path, run_cli: RunCli, now: str) -> None:
    commit(repo, {"requirements.txt": entry("rich", "14.0.0", H1, H2)})
    write(repo, "requirements.txt", now)
    assert "RH104" not in [f[3] for f in found(run_cli(DIFF, cwd=repo))]


def test_rh104_an_algorithm_dropped_is_no_file_dropped(repo: Path, run_cli: RunCli) -> None:
    h512 = "b" * 128
    commit(repo, {"requirements.txt": f"rich==14.0.0 --hash=sha256:{H1} --hash=sha512:{h512}\n"})
    write(repo, "requirements.txt", f"rich==14.0.0 --hash=sha256:{H1}\n")
    assert found(run_cli(DIFF, cwd=repo)) == []
    write(repo, "requirements.txt", f"rich==14.0.0 --hash=sha512:{h512}\n")
    assert found(run_cli(DIFF, cwd=repo)) == []


def test_rh104_a_hash_moved_to_another_file_of_the_run_is_not_dropped(repo: Path, run_cli: RunCli) -> None:
    commit(repo, {"requirements.txt": "-r win.txt\n" + entry("rich", "14.0.0", H1, H2), "win.txt": "\n"})
    write(repo, "requirements.txt", "-r win.txt\n" + entry("rich", "14.0.0", H1))
    write(repo, "win.txt", entry("rich", "14.0.0", H2, marker="sys_platform == 'win32'"))
    assert [f[3] for f in found(run_cli(DIFF, cwd=repo))] == []
    write(repo, "win.txt", "\n")
    assert found(run_cli(DIFF, cwd=repo)) == [("requirements.txt", 2, 1, "RH104")]


def test_the_reuse_hashes_trap_in_a_compiled_file(repo: Path, run_cli: RunCli) -> None:
    """A version changed by hand in a pip-compile output keeps its hashes (and pip-compile keeps them)."""
    header = "#\n# This file is autogenerated by pip-compile with Python 3.11\n# by the following command:\n#\n"
    header += "#    pip-compile --generate-hashes requirements.in\n#\n"
    before = (
        header
        + entry("certifi", "2024.2.2", digest(1), digest(2))
        + "    # via requests\n"
        + entry("charset-normalizer", "3.3.2", digest(3), digest(4), digest(5))
        + "    # via requests\n"
        + entry("requests", "2.31.0", digest(6), digest(7))
        + "    # via -r requirements.in\n"
        + entry("urllib3", "2.2.1", digest(8), digest(9))
        + "    # via requests\n"
    )
    commit(repo, {"requirements.in": "requests\n", "requirements.txt": before})
    after = before.replace("requests==2.31.0", "requests==2.32.3")
    write(repo, "requirements.txt", after)
    r = run_cli(cwd=repo)
    line = after.splitlines().index("requests==2.32.3 \\") + 1
    assert found(r) == [("requirements.txt", line, 1, "RH101")]
    assert "requests bumped 2.31.0 -> 2.32.3" in r.out
    assert (
        "regenerate them: if `requirements.in` pins requests to another version, change it to ==2.32.3 first; "
        "then re-run the command this file's header names, releasing the pin: `pip-compile --generate-hashes "
        "requirements.in -P requests==2.32.3`"
    ) in r.out
    # Once regenerated, nothing.
    write(repo, "requirements.txt", after.replace(digest(6), digest(60)).replace(digest(7), digest(70)))
    assert run_cli(cwd=repo).code == 0


def test_a_suppression_comment_silences_a_diff_finding(repo: Path, run_cli: RunCli) -> None:
    commit(repo, {"requirements.txt": entry("rich", "14.3.4", H1)})
    write(repo, "requirements.txt", f"rich==15.0.0 \\\n    --hash=sha256:{H1}  # req-hashlint: ignore[stale-hash]\n")
    r = run_cli(DIFF, cwd=repo)
    assert (r.code, r.lines) == (0, [])


def test_no_base_turns_the_diff_rules_off(repo: Path, run_cli: RunCli) -> None:
    commit(repo, {"requirements.txt": entry("rich", "14.3.4", H1)})
    write(repo, "requirements.txt", entry("rich", "15.0.0", H1))
    assert found(run_cli(cwd=repo)) == [("requirements.txt", 1, 1, "RH101")]
    r = run_cli("--no-base", cwd=repo)
    assert (r.code, r.lines) == (0, [])
    assert run_cli("--no-base", "--base", "HEAD", cwd=repo).code == 2


# -- which files, which base ---------------------------------------------------------------------


def test_a_file_new_at_the_base_gets_the_file_rules_only(repo: Path, run_cli: RunCli) -> None:
    commit(repo, {"other.txt": "x\n"})
    write(repo, "requirements.txt", entry("rich", "15.0.0", H1) + "six>=1\n")
    r = run_cli(cwd=repo)
    assert [f[3] for f in found(r)] == ["RH001", "RH002"]


def test_a_renamed_file_is_treated_as_new(repo: Path, run_cli: RunCli) -> None:
    """Documented in the README: no rename detection, so a rename plus a bump is not compared."""
    commit(repo, {"requirements.txt": entry("rich", "14.3.4", H1)})
    git(repo, "mv", "requirements.txt", "requirements-prod.txt")
    write(repo, "requirements-prod.txt", entry("rich", "15.0.0", H1))
    assert run_cli(DIFF, cwd=repo).lines == []


def test_included_files_are_compared_with_their_own_base(repo: Path, run_cli: RunCli) -> None:
    commit(
        repo,
        {
            "requirements.txt": "-r requirements/base.txt\n-c constraints.txt\n" + entry("six", "1.16.0", H1),
            "requirements/base.txt": entry("idna", "3.6", H2),
            "constraints.txt": entry("urllib3", "2.2.1", H3),
        },
    )
    write(repo, "requirements/base.txt", entry("idna", "3.7", H2))
    write(repo, "constraints.txt", entry("urllib3", "2.2.2", H3))
    r = run_cli(DIFF, "requirements.txt", cwd=repo)
    assert found(r) == [
        ("constraints.txt", 1, 1, "RH101"),
        (os.path.join("requirements", "base.txt"), 1, 1, "RH101"),
    ]


def test_staged_reads_the_index(repo: Path, run_cli: RunCli) -> None:
    commit(repo, {"requirements.txt": entry("rich", "14.3.4", H1)})
    write(repo, "requirements.txt", entry("rich", "15.0.0", H1))
    git(repo, "add", "requirements.txt")
    write(repo, "requirements.txt", entry("rich", "15.0.0", H2))  # fixed on disk, not staged
    assert run_cli(DIFF, cwd=repo).lines == []
    r = run_cli(DIFF, "--staged", cwd=repo)
    assert found(r) == [("requirements.txt", 1, 1, "RH101")]
    # And the other way round: a clean index, a stale working tree.
    git(repo, "add", "requirements.txt")
    write(repo, "requirements.txt", entry("rich", "15.0.0", H1))
    assert run_cli(DIFF, "--staged", cwd=repo).lines == []
    assert found(run_cli(DIFF, cwd=repo)) == [("requirements.txt", 1, 1, "RH101")]


def test_staged_falls_back_to_the_working_tree_for_an_untracked_file(repo: Path, run_cli: RunCli) -> None:
    commit(repo, {"x.txt": "x\n"})
    write(repo, "requirements.txt", "six>=1\n")
    r = run_cli("--staged", "--select=RH001", cwd=repo)
    assert found(r) == [("requirements.txt", 1, 1, "RH001")]


def test_base_on_a_branch(repo: Path, run_cli: RunCli) -> None:
    commit(repo, {"requirements.txt": entry("rich", "14.3.4", H1)})
    git(repo, "checkout", "-qb", "feature")
    commit(repo, {"requirements.txt": entry("rich", "15.0.0", H1)}, "bump")
    commit(repo, {"README": "more\n"}, "unrelated")
    assert run_cli(DIFF, cwd=repo).lines == []  # HEAD already has the bump
    r = run_cli(DIFF, "--base", "main", cwd=repo)
    assert found(r) == [("requirements.txt", 1, 1, "RH101")]
    assert found(run_cli(DIFF, "--base=HEAD~2", cwd=repo)) == [("requirements.txt", 1, 1, "RH101")]


def test_base_from_the_config(repo: Path, run_cli: RunCli) -> None:
    commit(repo, {"requirements.txt": entry("rich", "14.3.4", H1)})
    git(repo, "checkout", "-qb", "feature")
    commit(repo, {"requirements.txt": entry("rich", "15.0.0", H1)}, "bump")
    write(repo, "pyproject.toml", '[tool.req-hashlint]\nbase = "main"\n')
    assert found(run_cli(DIFF, cwd=repo)) == [("requirements.txt", 1, 1, "RH101")]
    assert run_cli(DIFF, "--base", "HEAD", cwd=repo).lines == []  # the command line wins
    write(repo, "pyproject.toml", '[tool.req-hashlint]\nbase = "origin/main"\n')
    r = run_cli(DIFF, cwd=repo)
    assert r.code == 2 and "the `base` setting origin/main does not name a commit" in r.err


def test_pre_push_compares_the_to_ref_with_the_from_ref(
    repo: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """pre-commit's pre-push stage: the base is the from-ref, the new side what is being pushed."""
    old = commit(repo, {"requirements.txt": entry("rich", "14.3.4", H1)})
    git(repo, "checkout", "-qb", "feature")
    new = commit(repo, {"requirements.txt": entry("rich", "15.0.0", H1)}, "bump")
    git(repo, "checkout", "-q", "main")  # pushing a branch that is not checked out
    monkeypatch.setenv("PRE_COMMIT_FROM_REF", old)
    monkeypatch.setenv("PRE_COMMIT_TO_REF", new)
    r = run_cli(DIFF, "requirements.txt", cwd=repo)
    assert found(r) == [("requirements.txt", 1, 1, "RH101")]
    monkeypatch.setenv("PRE_COMMIT_FROM_REF", new)  # nothing changed between the refs
    assert run_cli(DIFF, "requirements.txt", cwd=repo).lines == []
    monkeypatch.setenv("PRE_COMMIT_FROM_REF", "0" * 40)
    r = run_cli(DIFF, "requirements.txt", cwd=repo)
    assert r.code == 2 and "PRE_COMMIT_FROM_REF" in r.err


def test_detached_head(repo: Path, run_cli: RunCli) -> None:
    first = commit(repo, {"requirements.txt": entry("rich", "14.3.4", H1)})
    commit(repo, {"README": "x\n"})
    git(repo, "checkout", "-q", "--detach", first)
    write(repo, "requirements.txt", entry("rich", "15.0.0", H1))
    assert found(run_cli(DIFF, cwd=repo)) == [("requirements.txt", 1, 1, "RH101")]


def test_a_worktree(repo: Path, run_cli: RunCli, tmp_path: Path) -> None:
    commit(repo, {"requirements.txt": entry("rich", "14.3.4", H1)})
    git(repo, "checkout", "-qb", "feature")
    commit(repo, {"requirements.txt": entry("rich", "14.3.5", H2)}, "regenerated")
    wt = tmp_path / "wt"
    git(repo, "worktree", "add", "-q", str(wt), "main")
    write(wt, "requirements.txt", entry("rich", "15.0.0", H1))
    assert found(run_cli(DIFF, cwd=wt)) == [("requirements.txt", 1, 1, "RH101")]  # the worktree's own HEAD
    write(wt, "requirements.txt", entry("rich", "15.0.0", H2))
    assert found(run_cli(DIFF, "--base", "feature", cwd=wt)) == [("requirements.txt", 1, 1, "RH101")]


def test_core_autocrlf_and_crlf_files(repo: Path, run_cli: RunCli) -> None:
    git(repo, "config", "core.autocrlf", "true")
    text = entry("six", "1.16.0", H3) + entry("rich", "14.3.4", H1, H2)
    write(repo, "requirements.txt", text.replace("\n", "\r\n"))
    write(repo, "constraints.txt", entry("idna", "3.6", H4).replace("\n", "\r\n"))
    commit(repo)
    assert b"\r\n" not in git(repo, "cat-file", "-p", "HEAD:requirements.txt").encode()  # stored with LF
    write(repo, "requirements.txt", text.replace("14.3.4", "15.0.0").replace("\n", "\r\n"))
    write(repo, "constraints.txt", entry("idna", "3.7", H4).replace("\n", "\r\n"))
    r = run_cli(DIFF, cwd=repo)
    assert found(r) == [("constraints.txt", 1, 1, "RH101"), ("requirements.txt", 3, 1, "RH101")]


def test_crlf_committed_as_is(repo: Path, run_cli: RunCli) -> None:
    git(repo, "config", "core.autocrlf", "false")
    commit(repo, {"requirements.txt": entry("rich", "14.3.4", H1).replace("\n", "\r\n")})
    write(repo, "requirements.txt", entry("rich", "15.0.0", H1))  # and now LF
    assert found(run_cli(DIFF, cwd=repo)) == [("requirements.txt", 1, 1, "RH101")]
    write(repo, "requirements.txt", entry("rich", "14.3.4", H1))  # only the line endings changed
    assert run_cli(DIFF, cwd=repo).lines == []


def test_running_from_a_subdirectory(repo: Path, run_cli: RunCli) -> None:
    commit(repo, {"requirements.txt": entry("rich", "14.3.4", H1), "sub/deeper/requirements.txt": entry("a", "1", H2)})
    write(repo, "requirements.txt", entry("rich", "15.0.0", H1))
    write(repo, "sub/deeper/requirements.txt", entry("a", "2", H2))
    sub = repo / "sub"
    r = run_cli(DIFF, cwd=sub)
    assert found(r) == [
        (os.path.join("..", "requirements.txt"), 1, 1, "RH101"),
        (os.path.join("deeper", "requirements.txt"), 1, 1, "RH101"),
    ]
    assert found(run_cli(DIFF, "deeper/requirements.txt", cwd=sub)) == [
        (os.path.join("deeper", "requirements.txt"), 1, 1, "RH101")
    ]


@pytest.mark.parametrize(
    "rel", ["with space/requirements dev.txt", "ünï/requirements-é.txt", "odd'\"/requirements$(x).txt"]
)
def test_paths_with_spaces_and_non_ascii(repo: Path, run_cli: RunCli, rel: str) -> None:
    commit(repo, {rel: entry("rich", "14.3.4", H1)})
    write(repo, rel, entry("rich", "15.0.0", H1))
    assert found(run_cli(DIFF, cwd=repo)) == [(rel.replace("/", os.sep), 1, 1, "RH101")]
    assert found(run_cli(DIFF, "--staged", rel, cwd=repo)) == []
    git(repo, "add", "-A")
    assert found(run_cli(DIFF, "--staged", rel, cwd=repo)) == [(rel.replace("/", os.sep), 1, 1, "RH101")]


def test_a_path_with_a_newline(repo: Path, run_cli: RunCli) -> None:
    rel = "requirements\nprod.txt"
    commit(repo, {rel: entry("rich", "14.3.4", H1)})
    write(repo, rel, entry("rich", "15.0.0", H1))
    r = run_cli(DIFF, rel, cwd=repo)
    assert r.code == 1 and "RH101 rich bumped" in r.out


def test_a_file_unreadable_at_the_base_is_a_note(repo: Path, run_cli: RunCli) -> None:
    (repo / "requirements.txt").write_bytes(b"\xff\xfe\x00bin\x00")
    commit(repo)
    write(repo, "requirements.txt", entry("rich", "15.0.0", H1))
    r = run_cli(DIFF, cwd=repo)
    assert found(r) == [("requirements.txt", 1, 1, "RH902")]
    assert "at the base it cannot be read" in r.out and r.code == 0


# -- no base ---------------------------------------------------------------------------------------


def test_no_commits_yet_is_a_note_per_file(repo: Path, run_cli: RunCli) -> None:
    write(repo, "requirements.txt", "-r more.txt\n" + entry("rich", "15.0.0", H1))
    write(repo, "more.txt", entry("six", "1.16.0", H2))
    r = run_cli(cwd=repo)
    assert r.code == 0
    assert found(r) == [("more.txt", 1, 1, "RH902"), ("requirements.txt", 1, 1, "RH902")]
    assert "the repository has no commits yet" in messages(r, "RH902")[0]
    r = run_cli("--base", "HEAD", cwd=repo)
    assert r.code == 2 and "--base HEAD does not name a commit" in r.err


def test_not_a_git_repository(tmp_path: Path, run_cli: RunCli) -> None:
    plain = tmp_path / "plain"
    write(plain, "requirements.txt", entry("rich", "15.0.0", H1))
    r = run_cli(cwd=plain)
    assert (r.code, found(r)) == (0, [("requirements.txt", 1, 1, "RH902")])
    assert "it is not in a git repository" in r.out
    r = run_cli("--base", "main", cwd=plain)
    assert r.code == 2 and "not in a git repository" in r.err and "Traceback" not in r.err


def test_git_not_installed(repo: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch) -> None:
    commit(repo, {"requirements.txt": entry("rich", "14.3.4", H1)})
    write(repo, "requirements.txt", entry("rich", "15.0.0", H1))
    monkeypatch.setenv("PATH", str(repo / "nothing-here"))
    r = run_cli(cwd=repo)
    assert r.code == 0 and found(r) == [("requirements.txt", 1, 1, "RH902")]
    assert "git is not installed or not on PATH" in r.out
    r = run_cli("--base", "main", cwd=repo)
    assert r.code == 2 and "git is not installed" in r.err


def test_a_shallow_clone_without_the_base(repo: Path, run_cli: RunCli, tmp_path: Path) -> None:
    commit(repo, {"requirements.txt": entry("rich", "14.3.4", H1)})
    commit(repo, {"requirements.txt": entry("rich", "15.0.0", H2)})
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repo}", str(clone))
    write(clone, "requirements.txt", entry("rich", "15.0.1", H2))
    assert found(run_cli(DIFF, cwd=clone)) == [("requirements.txt", 1, 1, "RH101")]  # HEAD is there
    r = run_cli(DIFF, "--base", "HEAD~1", cwd=clone)
    assert r.code == 2 and r.out == ""
    assert "--base HEAD~1 does not name a commit in this repository" in r.err
    assert "fetch-depth: 0" in r.err and "git fetch --deepen" in r.err
    assert "Traceback" not in r.err and str(tmp_path) not in r.err


@pytest.mark.parametrize("rev", ["", "a\nb", "x\0y"])
def test_a_base_that_cannot_be_a_revision_is_a_usage_error(repo: Path, run_cli: RunCli, rev: str) -> None:
    commit(repo, {"requirements.txt": entry("rich", "14.3.4", H1)})
    r = run_cli("--base", rev, cwd=repo)
    assert r.code == 2 and "is not a git revision" in r.err


# -- git runs a constant number of times ------------------------------------------------------------


def _counting_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    log = tmp_path / "git-calls.log"
    shim = tmp_path / "shim"
    shim.mkdir()
    script = shim / "git"
    script.write_text(f'#!/bin/sh\necho "$*" >> "{log}"\nexec "{shutil.which("git")}" "$@"\n')
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{shim}{os.pathsep}{os.environ['PATH']}")
    return log


@pytest.mark.parametrize("staged", [False, True])
def test_git_runs_a_constant_number_of_times(
    repo: Path, run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, staged: bool
) -> None:
    log = _counting_git(tmp_path, monkeypatch)
    flags = ["--staged"] if staged else []

    def calls(n: int) -> list[str]:
        files = {f"requirements/r{i}-requirements.txt": entry(f"p{i}", "1.0", digest(i)) for i in range(n)}
        files["requirements.txt"] = "".join(f"-r requirements/r{i}-requirements.txt\n" for i in range(n))
        commit(repo, files)
        for i in range(n):
            write(repo, f"requirements/r{i}-requirements.txt", entry(f"p{i}", "2.0", digest(i)))
        git(repo, "add", "-A")
        log.write_text("")
        r = run_cli(DIFF, *flags, cwd=repo)
        assert len(found(r)) == n and {f[3] for f in found(r)} == {"RH101"}
        return log.read_text().splitlines()

    one = calls(1)
    thirty = calls(30)
    assert sorted(one) == sorted(thirty)  # the same calls (started side by side: any order)
    assert [c for c in one if c.startswith("--no-pager")] == one  # every call is hardened
    # the root (rev-parse), discovery (ls-files), the version check and one cat-file --batch
    assert sorted(_command(c) for c in one) == ["cat-file", "ls-files", "rev-parse", "version"], one


def _command(logged: str) -> str:
    """The git command of a logged call (after the hardening options and ``-C DIR``)."""
    words = logged.split()
    i = words.index("-C") + 2 if "-C" in words else 0
    return words[i]


def test_no_git_process_when_the_diff_rules_are_off(
    repo: Path, run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    commit(repo, {"requirements.txt": entry("rich", "14.3.4", H1)})
    log = _counting_git(tmp_path, monkeypatch)
    run_cli("--no-base", "requirements.txt", cwd=repo)
    run_cli("--select", "RH001", "requirements.txt", cwd=repo)
    assert [_command(c) for c in log.read_text().splitlines()] == ["rev-parse"] * 2  # only the root
    log.write_text("")
    run_cli("requirements.txt", cwd=repo)
    assert sorted(_command(c) for c in log.read_text().splitlines()) == ["cat-file", "rev-parse", "version"]


def test_a_file_unchanged_since_the_base_is_not_lexed_again(repo: Path) -> None:
    from req_hashlint._diff import Sides
    from req_hashlint._graph import build

    commit(repo, {"a-requirements.txt": entry("rich", "14.3.4", H1), "b-requirements.txt": entry("six", "1", H2)})
    write(repo, "a-requirements.txt", entry("rich", "14.3.4", H1).replace("\n", "\r\n"))  # line ends only
    write(repo, "b-requirements.txt", entry("six", "2", H2))
    roots = [(str(repo / n), n, None) for n in ("a-requirements.txt", "b-requirements.txt")]
    with closing(Sides()) as sides:
        graph = build(roots, boundary=lambda _p: str(repo), reader=sides.read_new)
        files, unavailable = sides.load(graph)
    nodes = {n.display: n for n in graph.nodes.values()}
    assert unavailable == {}
    assert files[str(repo / "a-requirements.txt")] is nodes["a-requirements.txt"].file
    old_b = files[str(repo / "b-requirements.txt")]
    assert old_b is not None and old_b is not nodes["b-requirements.txt"].file
    assert [e.version for e in old_b.entries] == ["1"]


@pytest.mark.skipif(not hasattr(os, "symlink") or os.name == "nt", reason="symlinks")
def test_a_symlinked_requirements_file(repo: Path, run_cli: RunCli) -> None:
    """The base follows the link inside the tree; --staged reads the staged file the link leads to."""
    commit(repo, {"requirements/prod.txt": entry("rich", "14.3.4", H1)})
    os.symlink(os.path.join("requirements", "prod.txt"), repo / "requirements.txt")
    commit(repo)
    write(repo, "requirements/prod.txt", entry("rich", "15.0.0", H1))
    r = run_cli(DIFF, "requirements.txt", cwd=repo)
    assert found(r) == [("requirements.txt", 1, 1, "RH101")]
    assert run_cli(DIFF, "--staged", "requirements.txt", cwd=repo).lines == []
    git(repo, "add", "-A")
    assert found(run_cli(DIFF, "--staged", "requirements.txt", cwd=repo)) == [("requirements.txt", 1, 1, "RH101")]


@pytest.mark.parametrize(
    ("header", "command", "inputs"),
    [
        (
            "#\n# This file is autogenerated by pip-compile with Python 3.11\n# by the following command:\n#\n"
            "#    pip-compile --generate-hashes --output-file=requirements.txt requirements.in\n#\n",
            "pip-compile --generate-hashes --output-file=requirements.txt requirements.in",
            ["requirements.in"],
        ),
        (
            "# This file was autogenerated by uv via the following command:\n"
            "#    uv pip compile --generate-hashes requirements.in -o requirements.txt -c constraints.txt\n",
            "uv pip compile --generate-hashes requirements.in -o requirements.txt -c constraints.txt",
            ["requirements.in"],
        ),
        ("# a hand-written lock\n", None, []),
        ("six==1.0\n#    pip-compile requirements.in\n", None, []),  # not a header: after an entry
    ],
)
def test_the_header_names_the_command_and_its_inputs(header: str, command: str | None, inputs: list[str]) -> None:
    from req_hashlint.rules.rh101_stale_hash import _inputs, header_command

    assert header_command(header + entry("six", "1.0", H1)) == command
    if command is not None:
        assert _inputs(command) == inputs


# -- base blobs: their ids first, their data only where the file changed ----------------------


def _load(
    repo: Path, names: list[str], monkeypatch: pytest.MonkeyPatch, *, hash_from: int = 0, **sides: str
) -> tuple[dict, dict, list]:
    """``Sides.load`` over ``names``: (base files, the new side's files, the requests git got),
    the new sides hashed from ``hash_from`` bytes of files of their base blob's size."""
    from req_hashlint import _diff
    from req_hashlint._diff import Sides
    from req_hashlint._graph import build

    monkeypatch.setattr(_diff, "HASH_FROM_BYTES", hash_from)

    asked: list[tuple[str, bool]] = []
    ask = _git.CatFile.ask

    def logged(self: _git.CatFile, names: list[str], *, contents: bool = True) -> list[_git.GitObject | None]:
        asked.extend((n, contents) for n in names)
        return ask(self, names, contents=contents)

    monkeypatch.setattr(_git.CatFile, "ask", logged)
    roots = [(str(repo / n), n, None) for n in names]
    with inside(repo), closing(Sides(**sides)) as s:  # type: ignore[arg-type]
        graph = build(roots, boundary=lambda _p: str(repo), reader=s.read_new)
        files, unavailable = s.load(graph)
    assert unavailable == {}
    nodes = {n.display: n.file for n in graph.nodes.values()}
    return {n: files[str(repo / n)] for n in names}, nodes, asked


@pytest.mark.parametrize("object_format", ["sha1", "sha256"])
def test_the_base_data_is_read_only_for_files_whose_blob_id_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, object_format: str
) -> None:
    repo = tmp_path / object_format
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main", f"--object-format={object_format}")
    commit(repo, {"same.txt": entry("rich", "14.3.4", H1), "bumped.txt": entry("six", "1", H2)})
    write(repo, "bumped.txt", entry("six", "2", H2))
    base, now, asked = _load(repo, ["same.txt", "bumped.txt"], monkeypatch)
    assert base["same.txt"] is now["same.txt"]  # unchanged: not read, not lexed again
    old = base["bumped.txt"]
    assert old is not None and [e.version for e in old.entries] == ["1"]
    bumped_oid = git(repo, "rev-parse", "HEAD:bumped.txt").strip()
    assert [name for name, contents in asked if contents] == [bumped_oid]  # one blob's data
    assert len(bumped_oid) == (40 if object_format == "sha1" else 64)


def test_staged_files_compare_by_the_index_blob_id(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    commit(repo, {"a.txt": entry("rich", "14.3.4", H1), "b.txt": entry("six", "1", H2)})
    write(repo, "a.txt", entry("rich", "15.0.0", H1))  # in the working tree only: the index is unchanged
    write(repo, "b.txt", entry("six", "2", H2))
    git(repo, "add", "b.txt")
    base, now, asked = _load(repo, ["a.txt", "b.txt"], monkeypatch, new="")
    assert base["a.txt"] is now["a.txt"] and base["b.txt"] is not now["b.txt"]
    assert [name for name, contents in asked if contents and ":" not in name] == [
        git(repo, "rev-parse", "HEAD:b.txt").strip()
    ]


def test_a_file_read_through_its_coding_line_is_compared_as_text(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The base blob holds the UTF-8 of the working file's text, under a latin-1 coding line:
    the same id as that text's UTF-8, yet another text (read as latin-1). Not "unchanged"."""
    text = "# -*- coding: latin-1 -*-\n# café\n" + entry("rich", "14.3.4", H1)
    commit(repo, {"a.txt": text, "b.txt": "\ufeff" + entry("six", "1", H2)})
    (repo / "a.txt").write_bytes(text.encode("latin-1"))
    (repo / "b.txt").write_bytes(entry("six", "1", H2).encode())  # the byte order mark dropped
    base, now, _ = _load(repo, ["a.txt", "b.txt"], monkeypatch)
    old = base["a.txt"]
    assert old is not None and old is not now["a.txt"]
    assert base["b.txt"] is now["b.txt"]  # the same text: unchanged, though its bytes differ


def test_below_the_hashing_threshold_the_base_data_is_read_and_compared_as_text(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A few small files: hashlib's import would cost more than reading their blobs back."""
    commit(repo, {"same.txt": entry("rich", "14.3.4", H1), "bumped.txt": entry("six", "1", H2)})
    write(repo, "bumped.txt", entry("six", "2", H2))
    base, now, asked = _load(repo, ["same.txt", "bumped.txt"], monkeypatch, hash_from=1 << 20)
    assert base["same.txt"] is now["same.txt"] and base["bumped.txt"] is not now["bumped.txt"]
    assert len([name for name, contents in asked if contents]) == 2


@given(st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=6), st.integers(0, 2))
def test_a_plain_release_has_packagings_canonical_form(numbers: list[int], zeros: int) -> None:
    from packaging.utils import canonicalize_version

    from req_hashlint._versions import version_key

    written = ".".join(f"{n:0{zeros + 1}d}" for n in numbers)  # leading zeros too: 01.002
    assert version_key(written) == canonicalize_version(written)
    assert version_key(written + ".0") == canonicalize_version(written + ".0")


@pytest.mark.parametrize(
    "text",
    [
        *("1.0rc1", "1.0.post1", "1.0+local", "v1.0", "1..0", ".1", "1.", "²", "1.0-1", "junk", "2.9.0.post0"),
        *("1!2.0.0rc1.post2.dev3+abc.0", "10!0.0", "2!2.0", "1.0.0-RC1", "0.0.0.dev0", "1.0.0+1.0.0"),
    ],
)
def test_every_other_version_goes_through_packaging(text: str) -> None:
    from packaging.utils import canonicalize_version

    from req_hashlint._versions import version_key

    assert version_key(text) == canonicalize_version(text)


@given(
    st.integers(0, 3),
    st.lists(st.integers(0, 20), min_size=1, max_size=4),
    st.sampled_from(["", "a1", "b0", "rc2", "-RC3", "c1", "alpha4"]),
    st.sampled_from(["", ".post0", ".post7", "-1", "post2"]),
    st.sampled_from(["", ".dev0", ".dev5", "dev1"]),
    st.sampled_from(["", "+local", "+1.0.0", "+Ubuntu-2"]),
)
def test_any_version_has_packagings_canonical_form(
    epoch: int, release: list[int], pre: str, post: str, dev: str, local: str
) -> None:
    from packaging.utils import canonicalize_version

    from req_hashlint._versions import version_key

    text = f"{f'{epoch}!' if epoch else ''}{'.'.join(map(str, release))}{pre}{post}{dev}{local}"
    assert version_key(text) == canonicalize_version(text)
