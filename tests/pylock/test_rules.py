"""The rules on pylock.toml: existing codes where their meaning fits, RH013 and RH014, positions."""

from __future__ import annotations

from pathlib import Path

import pytest

from req_hashlint._model import Severity

from ..conftest import H1, H2, H3, H4, git, write_tree
from .conftest import lint_text

__all__ = ["lint_text"]

HEAD = 'lock-version = "1.0"\ncreated-by = "uv"\n'


def wheel(name: str, version: str, digest: str = H1, tag: str = "py3-none-any", extra: str = "") -> str:
    file = f"{name.replace('-', '_')}-{version}-{tag}.whl"
    return f'{{ url = "https://x.invalid/{file}", hashes = {{ sha256 = "{digest}" }}{extra} }}'


def package(name: str, version: str | None = "1.0", *wheels: str, more: str = "") -> str:
    text = f'\n[[packages]]\nname = "{name}"\n'
    text += f'version = "{version}"\n' if version else ""
    text += more
    if wheels:
        text += "wheels = [\n" + "".join(f"    {w},\n" for w in wheels) + "]\n"
    return text


def lines_of(text: str, needle: str) -> list[int]:
    return [i for i, line in enumerate(text.split("\n"), 1) if needle in line]


def test_a_clean_lock_has_no_findings(lint_text) -> None:  # type: ignore[no-untyped-def]
    text = HEAD + package("a", "1.0", wheel("a", "1.0", H1)) + package("b", "2.0", wheel("b", "2.0", H2))
    assert lint_text(text, name="pylock.toml").codes() == []
    # requirements-file rules stay silent on TOML: no RH005/RH006/RH009/RH011 for `key = value`
    assert lint_text(text, name="sub/pylock.dev.toml").codes() == []


def test_rh002_points_at_the_empty_hashes_table(lint_text) -> None:  # type: ignore[no-untyped-def]
    text = (
        HEAD
        + package("a", "1.0", '{ url = "https://x.invalid/a-1.0-py3-none-any.whl", hashes = {} }')
        + package(
            "b",
            "1.0",
            more='[[packages.wheels]]\nurl = "https://x.invalid/b-1.0-py3-none-any.whl"\n[packages.wheels.hashes]\n',
        )
        + package(
            "c", "1.0", wheel("c", "1.0", H3), '{ url = "https://x.invalid/c-1.0-py2-none-any.whl", hashes = {} }'
        )
    )
    found = lint_text(text, name="pylock.toml")
    assert found.codes() == ["RH002", "RH002", "RH002"]  # packaging's own complaint is not repeated as RH011
    a, b, c = (f for f in found.findings if f.code == "RH002")
    line = lines_of(text, "a-1.0-py3")[0]
    assert (a.span.line, a.span.column) == (line, text.split("\n")[line - 1].index("{}") + 1)
    assert (b.span.line, b.span.column) == (lines_of(text, "[packages.wheels.hashes]")[0], 1)
    assert "`c-1.0-py2-none-any.whl` (packages[2].wheels[1]) has an empty `hashes` table" in c.message


@pytest.mark.parametrize(
    ("algo", "digest", "severity", "words"),
    [
        ("sha256", H1[:60], Severity.ERROR, "60 hex digits instead of 64"),
        ("sha256", H1[:63] + "g", Severity.ERROR, "'g', which is not hexadecimal"),
        ("md5", H1[:32], Severity.WARNING, "md5 is broken"),
        ("sha1", H1[:40], Severity.WARNING, "sha1 is broken"),
        ("sha1", H1[:41], Severity.ERROR, "41 hex digits instead of 40"),
        ("whirl", H1, Severity.ERROR, "`whirl` is not a hashlib algorithm"),
        ("shake_128", H1, Severity.ERROR, "no fixed digest length"),
        ("blake2b", H1 * 2, None, ""),
        ("sha3_256", H1, None, ""),
        ("sha512", H1 * 2, None, ""),
    ],
)
def test_rh004_allows_any_hashlib_algorithm_of_its_length(  # type: ignore[no-untyped-def]
    lint_text, algo: str, digest: str, severity: Severity | None, words: str
) -> None:
    hashes = f'hashes = {{ {algo} = "{digest}" }}'
    text = HEAD + package("a", "1.0", f'{{ url = "https://x.invalid/a-1.0-py3-none-any.whl", {hashes} }}')
    found = lint_text(text, name="pylock.toml")
    if severity is None:
        assert found.codes() == []
        return
    f = found.one("RH004")
    assert f.severity is severity and words in f.message
    line = text.split("\n")[f.span.line - 1]
    assert line[f.span.column - 1 : f.span.end_column - 1] == f'"{digest}"'


def test_rh004_a_weak_hash_alone_or_beside_a_strong_one(lint_text) -> None:  # type: ignore[no-untyped-def]
    """sha1 alone: any file made to match it passes; beside sha256: pip takes either."""
    alone = HEAD + package("a", "1.0", wheel("a", "1.0").replace(f'sha256 = "{H1}"', f'sha1 = "{H1[:40]}"'))
    assert "it is this file's only hash" in lint_text(alone, name="pylock.toml").one("RH004").message
    both = HEAD + package(
        "a", "1.0", wheel("a", "1.0").replace(f'sha256 = "{H1}"', f'sha256 = "{H1}", sha1 = "{H1[:40]}"')
    )
    assert "matches any one of an artifact's hashes" in lint_text(both, name="pylock.toml").one("RH004").message


def test_rh012_uppercase_digest(lint_text) -> None:  # type: ignore[no-untyped-def]
    text = HEAD + package("a", "1.0", wheel("a", "1.0", H1.upper()))
    f = lint_text(text, name="pylock.toml").one("RH012")
    assert f.severity is Severity.WARNING and f.span.line == lines_of(text, H1.upper())[0]


def test_rh003_vcs_and_directory(lint_text) -> None:  # type: ignore[no-untyped-def]
    full, short = "a" * 40, "a" * 7
    vcs = 'vcs = {{ type = "git", url = "https://x.invalid/p.git", commit-id = "{}" }}\n'
    pinned = HEAD + package("p", None, more=vcs.format(full))
    assert lint_text(pinned, name="pylock.toml").codes() == []  # the commit pins it; no hashes anywhere
    short_lock = HEAD + package("p", None, more=vcs.format(short))
    found = lint_text(short_lock, name="pylock.toml").one("RH003")
    line = short_lock.split("\n")[found.span.line - 1]  # at the `vcs` table itself
    assert "is not a full commit id" in found.message and line[found.span.column - 1 :].startswith("{ type")
    assert found.severity is Severity.WARNING  # pip installs it, whatever the branch names then
    hashed = pinned + package("a", "1.0", wheel("a", "1.0"))
    assert "VcsHashUnsupported" in lint_text(hashed, name="pylock.toml").one("RH003").message
    local = HEAD + package("d", None, more='directory = { path = "src/d" }\n')
    assert lint_text(local, name="pylock.toml").codes() == []  # no hashes anywhere: pip installs it
    found = lint_text(local + package("a", "1.0", wheel("a", "1.0")), name="pylock.toml").one("RH003")
    assert "DirectoryUrlHashUnsupported" in found.message and found.severity is Severity.ERROR
    assert found.span.line == lines_of(local, "directory =")[0]
    # an editable directory: pip installs it with -e, and refuses that for want of a single file to hash
    editable = local.replace('path = "src/d" }', 'path = "src/d", editable = true }')
    found = lint_text(editable + package("a", "1.0", wheel("a", "1.0")), name="pylock.toml").one("RH003")
    assert "pip refuses editables in hash-checking mode" in found.message and "Directory" not in found.message


def test_rh007_same_name_and_marker_twice(lint_text) -> None:  # type: ignore[no-untyped-def]
    a1 = package("a", "1.0", wheel("a", "1.0", H1), more="marker = \"sys_platform == 'linux'\"\n")
    a1_win = package("a", "1.0", wheel("a", "1.0", H1), more="marker = \"sys_platform == 'win32'\"\n")
    a2 = package("a", "2.0", wheel("a", "2.0", H2), more="marker = \"sys_platform == 'linux'\"\n")
    assert lint_text(HEAD + a1 + a1_win, name="pylock.toml").codes() == []  # one file, two environments
    same = lint_text(HEAD + a1 + a1, name="pylock.toml")
    assert same.severities("RH007") == [Severity.ERROR]  # pip refuses a lock selecting one name twice
    assert same.one("RH007").span.line == lines_of(HEAD + a1 + a1, "[[packages]]")[1]
    assert lint_text(HEAD + a1 + a2, name="pylock.toml").severities("RH007") == [Severity.ERROR]


def test_rh201_rh202_on_index_and_urls(lint_text) -> None:  # type: ignore[no-untyped-def]
    text = HEAD + package(
        "a",
        "1.0",
        '{ url = "http://x.invalid/a-1.0-py3-none-any.whl", hashes = { sha256 = "' + H1 + '" } }',
        '{ url = "http://127.0.0.1:8000/a-1.0-py2-none-any.whl", hashes = { sha256 = "' + H2 + '" } }',
        '{ url = "https://u:s3cret@x.invalid/a-1.0-py1-none-any.whl", hashes = { sha256 = "' + H3 + '" } }',
        more='index = "http://pypi.invalid/simple"\n',
    )
    found = lint_text(text, name="pylock.toml")
    assert found.at("RH201") == [(lines_of(text, "index =")[0], 9), (lines_of(text, "http://x.invalid")[0], 13)]
    assert "a's index `http://pypi.invalid/simple` uses plain http" in found.findings[0].message
    f = found.one("RH202")
    assert f.span.line == lines_of(text, "s3cret")[0] and "s3cret" not in f.message
    # pip reads a lock's URLs as written: no `${VARIABLE}` advice there
    assert "pip does not expand `${VARIABLE}` in a pylock.toml" in f.message and "pip expands" not in f.message


def test_rh001_a_package_without_version_is_a_warning(lint_text) -> None:  # type: ignore[no-untyped-def]
    f = lint_text(HEAD + package("a", None, wheel("a", "1.0")), name="pylock.toml").one("RH001")
    assert f.severity is Severity.WARNING and "has no `version`" in f.message


LINUX = "cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64"


@pytest.mark.parametrize(
    ("tags", "environments", "fires"),
    [
        ([LINUX, "py3-none-any"], "", True),
        ([LINUX, "cp311-cp311-manylinux_2_28_x86_64"], "", True),
        ([LINUX, "cp312-cp312-manylinux_2_17_aarch64"], "", False),
        ([LINUX, "cp312-cp312-win_amd64"], "", False),
        (["cp312-cp312-macosx_11_0_universal2"], "", False),
        (["cp312-cp312-macosx_11_0_arm64"], "", True),
        (["py3-none-any"], "", False),
        ([LINUX], "environments = [\"sys_platform == 'linux'\"]\n", False),
    ],
)
def test_rh013_single_environment_lock(lint_text, tags: list[str], environments: str, fires: bool) -> None:  # type: ignore[no-untyped-def]
    head = 'lock-version = "1.0"\n' + environments + 'created-by = "pip"\n'
    digests = (H1, H2, H3, H4)
    text = head + "".join(package(f"p{i}", "1.0", wheel(f"p{i}", "1.0", digests[i], tag=t)) for i, t in enumerate(tags))
    found = lint_text(text, name="pylock.toml")
    assert found.codes() == (["RH013"] if fires else [])
    if fires:
        f = found.one("RH013")
        assert f.severity is Severity.WARNING and f.span.line == lines_of(text, "created-by")[0]


def test_rh013_a_package_with_a_fallback_installs_elsewhere(lint_text) -> None:  # type: ignore[no-untyped-def]
    """packaging's `Pylock.select` takes the sdist where no wheel matches (pip builds it there): a
    one-platform lock whose platform packages all have an sdist (`uv pip compile` output) is no
    RH013; one package without is, and the message names its wheel. A package with a marker says
    where it is for (pywin32 on Windows alone) and does not count."""
    head = 'lock-version = "1.0"\ncreated-by = "uv"\n'
    sdist = 'sdist = {{ url = "https://x.invalid/{0}-1.0.tar.gz", hashes = {{ sha256 = "{1}" }} }}\n'
    linux = "cp312-cp312-manylinux_2_17_x86_64"
    a = package("a", "1.0", wheel("a", "1.0", H1, tag=linux), more=sdist.format("a", H2))
    b = package("b", "1.0", wheel("b", "1.0", H3, tag=linux), more=sdist.format("b", H4))
    assert lint_text(head + a + b, name="pylock.toml").codes() == []
    c = package("c", "1.0", wheel("c", "1.0", H4, tag=linux))
    found = lint_text(head + a + b + c, name="pylock.toml").one("RH013")
    assert f"c-1.0-{linux}.whl" in found.message and "no sdist or pure wheel to fall back on" in found.message
    win = package(
        "pywin32",
        "1.0",
        wheel("pywin32", "1.0", "e" * 64, tag="cp312-cp312-win_amd64"),
        more="marker = \"sys_platform == 'win32'\"\n",
    )
    assert lint_text(head + a + c + win, name="pylock.toml").codes() == ["RH013"]  # still Linux alone


@pytest.mark.parametrize(
    ("name", "version", "file", "words"),
    [
        ("idna", "3.11", "idna-3.10-py3-none-any.whl", "names version '3.10'"),
        ("idna", "3.10", "idnb-3.10-py3-none-any.whl", "names name 'idnb'"),
        ("idna", "3.10", "idna-3.11.tar.gz", "names version '3.11'"),
        ("idna", "3.10", "idna-3.10.0-py3-none-any.whl", None),
        ("zope-interface", "7.0", "zope.interface-7.0.tar.gz", None),
        ("zope-interface", "7.0", "zope_interface-7.0-py3-none-any.whl", None),
    ],
)
def test_rh014_filename_mismatch(lint_text, name: str, version: str, file: str, words: str | None) -> None:  # type: ignore[no-untyped-def]
    key = "sdist" if file.endswith(".tar.gz") else "wheels"
    art = f'{{ name = "{file}", url = "https://x.invalid/{file}", hashes = {{ sha256 = "{H4}" }} }}'
    body = f"sdist = {art}\n" if key == "sdist" else f"wheels = [\n  {art},\n]\n"
    text = HEAD + f'[[packages]]\nname = "{name}"\nversion = "{version}"\n' + body
    found = lint_text(text, name="pylock.toml")
    if words is None:
        assert found.codes() == []
        return
    assert found.codes() == ["RH014"]  # and no RH011: packaging's complaint is this one
    f = found.one("RH014")
    assert words in f.message and f.severity is Severity.ERROR
    assert (f.span.line, f.project) == (lines_of(text, file)[0], name)


def test_a_suppression_comment_works(lint_text) -> None:  # type: ignore[no-untyped-def]
    text = HEAD.replace('"uv"', '"pip"  # req-hashlint: ignore[RH013]') + package(
        "a", "1.0", wheel("a", "1.0", tag=LINUX)
    )
    found = lint_text(text, name="pylock.toml")
    assert found.codes() == [] and found.suppressed() == ["RH013"]


def test_rh101_to_rh104_against_the_git_base(repo: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    old = HEAD + package("a", "1.0", wheel("a", "1.0", H1)) + package("b", "1.0", wheel("b", "1.0", H2))
    write_tree(repo, {"pylock.toml": old})
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "lock")
    # a bumped with its old hash kept (RH101); b re-hashed at the same version (RH103)
    new = (
        HEAD
        + package("a", "2.0", more=f"wheels = [\n    {wheel('a', '2.0', H1)},\n]\n")
        + package("b", "1.0", wheel("b", "1.0", H3))
    )
    write_tree(repo, {"pylock.toml": new})
    run = run_cli("--select", "RH1", cwd=repo)
    codes = sorted(line.split(" ")[1] for line in run.lines if line.startswith("pylock.toml:"))
    assert codes == ["RH101", "RH103"], run.out
    assert run.lines[0].startswith("pylock.toml:4:1: RH101 a bumped 1.0 -> 2.0")  # at its [[packages]] header
    assert run.lines[1].startswith(f"pylock.toml:{lines_of(new, H3)[0]}:")  # RH103 at the new hash
