"""Target environments: tags in pip's order, requires-python and marker selection."""

from __future__ import annotations

import platform
import re
import sys

import pytest
from packaging.tags import Tag, compatible_tags, cpython_tags, mac_platforms

from req_hashlint.index._environments import GLIBC, PLATFORMS, default_environments, select_environments


def _env(name: str):  # type: ignore[no-untyped-def]
    return next(e for e in default_environments(None) if e.name == name)


def test_defaults_are_five_pythons_on_seven_platforms() -> None:
    envs = default_environments(None)
    assert len(envs) == 35 and len({e.name for e in envs}) == 35
    assert {e.python for e in envs} == {(3, 10), (3, 11), (3, 12), (3, 13), (3, 14)}
    assert [e.platform for e in envs[:7]] == [p.label for p in PLATFORMS]
    assert envs[0].name == "CPython 3.10 on Linux x86_64 (glibc)"


def test_glibc_tags_in_pips_order() -> None:
    tags = _env("CPython 3.12 on Linux x86_64 (glibc)").tags()
    assert tags[0] == Tag("cp312", "cp312", "linux_x86_64")
    order = [t.platform for t in tags if t.interpreter == "cp312" and t.abi == "cp312"]
    assert order[:3] == ["linux_x86_64", "manylinux_2_39_x86_64", "manylinux_2_38_x86_64"]
    i = order.index("manylinux_2_17_x86_64")
    assert order[i + 1] == "manylinux2014_x86_64" and order[-1] == "manylinux1_x86_64"
    assert "manylinux1_x86_64" in order and "musllinux_1_2_x86_64" not in order
    # a cp312 wheel beats abi3, abi3 beats a pure wheel, and py3-none-any is last but one family
    rank = {t: n for n, t in reversed(list(enumerate(tags)))}
    assert rank[Tag("cp312", "cp312", "manylinux_2_17_x86_64")] < rank[Tag("cp312", "abi3", "manylinux_2_39_x86_64")]
    assert rank[Tag("cp39", "abi3", "manylinux_2_17_x86_64")] < rank[Tag("py3", "none", "any")]
    assert Tag("cp313", "cp313", "manylinux_2_17_x86_64") not in rank
    assert tags == [
        *cpython_tags((3, 12), ["cp312"], list(_env("CPython 3.12 on Linux x86_64 (glibc)").platforms)),
        *compatible_tags((3, 12), "cp312", list(_env("CPython 3.12 on Linux x86_64 (glibc)").platforms)),
    ]


def test_aarch64_glibc_starts_at_2_17() -> None:
    plats = _env("CPython 3.12 on Linux aarch64 (glibc)").platforms
    assert plats[0] == "linux_aarch64" and plats[-2:] == ("manylinux_2_17_aarch64", "manylinux2014_aarch64")


def test_musl_macos_windows_platforms() -> None:
    assert _env("CPython 3.13 on Linux x86_64 (musl)").platforms == (
        "linux_x86_64",
        "musllinux_1_2_x86_64",
        "musllinux_1_1_x86_64",
        "musllinux_1_0_x86_64",
    )
    assert _env("CPython 3.13 on macOS arm64").platforms == tuple(mac_platforms((15, 0), "arm64"))
    assert "macosx_10_9_x86_64" in _env("CPython 3.13 on macOS x86_64").platforms
    assert _env("CPython 3.13 on Windows x64").platforms == ("win_amd64",)


def test_marker_values() -> None:
    win = _env("CPython 3.11 on Windows x64").markers
    assert (win["sys_platform"], win["platform_machine"], win["os_name"], win["python_version"]) == (
        "win32",
        "AMD64",
        "nt",
        "3.11",
    )
    mac = _env("CPython 3.14 on macOS arm64").markers
    assert (mac["sys_platform"], mac["platform_system"], mac["python_full_version"]) == ("darwin", "Darwin", "3.14.0")


@pytest.mark.parametrize(
    ("requires", "pythons"),
    [
        (">=3.12", [(3, 12), (3, 13), (3, 14)]),
        (">=3.10.2,<3.13", [(3, 10), (3, 11), (3, 12)]),
        ("~=3.11.0", [(3, 11)]),
        ("<3.10", []),
        ("", [(3, 10), (3, 11), (3, 12), (3, 13), (3, 14)]),
    ],
)
def test_requires_python_keeps_the_admitted_minors(requires: str, pythons: list[tuple[int, int]]) -> None:
    assert sorted({e.python for e in default_environments(requires)}) == pythons


def test_an_invalid_requires_python_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="requires-python"):
        default_environments(">=three")


def test_markers_select_any_that_holds() -> None:
    envs = select_environments(
        ["sys_platform == 'win32'", "platform_machine == 'arm64' and python_version >= '3.13'"], ">=3.11"
    )
    assert [e.name for e in envs] == [
        "CPython 3.11 on Windows x64",
        "CPython 3.12 on Windows x64",
        "CPython 3.13 on macOS arm64",
        "CPython 3.13 on Windows x64",
        "CPython 3.14 on macOS arm64",
        "CPython 3.14 on Windows x64",
    ]
    assert select_environments([], None) == ()
    assert len(select_environments(["sys_platform == 'linux'"], None)) == 20


def test_an_invalid_marker_is_a_value_error_with_packagings_message() -> None:
    with pytest.raises(ValueError, match="Expected"):
        select_environments(["sys_platform = 'linux'"], None)


def _glibc_minor(platform_tag: str) -> int:
    m = re.match(r"manylinux_2_(\d+)_", platform_tag)
    return int(m.group(1)) if m else 0


@pytest.mark.skipif(
    sys.platform != "linux" or platform.machine() not in ("x86_64", "aarch64") or platform.libc_ver()[0] != "glibc",
    reason="pip's own tags are this machine's: a glibc Linux on x86_64 or aarch64 is needed",
)
def test_the_tags_are_those_real_pip_supports_here() -> None:
    """pip's own supported tags (its vendored packaging, this interpreter and glibc) are ours for the
    same Python and machine, up to the glibc version each assumes."""
    from pip._internal.utils.compatibility_tags import get_supported

    python = sys.version_info[:2]
    if python not in [e.python for e in default_environments(None)]:
        pytest.skip("this Python is not a target")
    here = int(platform.libc_ver()[1].split(".")[1])
    pips = [str(t) for t in get_supported() if _glibc_minor(t.platform) <= GLIBC[1]]
    name = f"CPython {python[0]}.{python[1]} on Linux {platform.machine()} (glibc)"
    ours = [str(t) for t in _env(name).tags() if _glibc_minor(t.platform) <= here]
    assert ours == pips
