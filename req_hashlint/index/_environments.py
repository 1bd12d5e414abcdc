"""Target environments: where a lock must install (RH303, RH305, RH306).

An :class:`Environment` is one CPython minor version on one platform, as a pip running there sees
it: the PEP 508 marker values and the wheel tags it supports, in pip's priority order.

The platforms, and what a pip on a current machine of each reports:

- Linux x86_64 and aarch64 with glibc 2.39 (Ubuntu 24.04, GitHub's ``ubuntu-latest``):
  ``linux_<arch>`` (a wheel built there; packaging 26 puts it first), then ``manylinux_2_39``
  down to ``manylinux_2_17`` (``_2_5`` on x86_64), with the legacy aliases
  ``manylinux2014``/``2010``/``1`` beside their ``_2_17``/``_2_12``/``_2_5`` names;
- Linux x86_64 and aarch64 with musl 1.2 (Alpine): ``linux_<arch>``, then ``musllinux_1_2`` to
  ``_1_0``;
- macOS 15 on x86_64 and arm64 (``packaging.tags.mac_platforms((15, 0), arch)``);
- Windows x64 (``win_amd64``).

The Python is ``X.Y.0``, as pip's ``--python-version X.Y`` takes it (for ``Requires-Python``
and ``python_full_version``). The tag lists are long (~800 tags each): :meth:`Environment.tags`
builds one when asked, and a run asks once per environment (``_verdict``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from packaging.tags import Tag

PYTHONS = ((3, 10), (3, 11), (3, 12), (3, 13), (3, 14))
GLIBC = (2, 39)
MUSL = (1, 2)
MACOS = (15, 0)

_LEGACY = {17: "manylinux2014", 12: "manylinux2010", 5: "manylinux1"}


class _Platform(NamedTuple):
    label: str  # "Linux x86_64 (glibc)"
    system: str  # platform_system
    sys_platform: str
    os_name: str
    machine: str  # platform_machine
    arch: str  # as wheel platform tags spell it
    kind: str  # "glibc", "musl", "macos", "windows"


PLATFORMS = (
    _Platform("Linux x86_64 (glibc)", "Linux", "linux", "posix", "x86_64", "x86_64", "glibc"),
    _Platform("Linux aarch64 (glibc)", "Linux", "linux", "posix", "aarch64", "aarch64", "glibc"),
    _Platform("Linux x86_64 (musl)", "Linux", "linux", "posix", "x86_64", "x86_64", "musl"),
    _Platform("Linux aarch64 (musl)", "Linux", "linux", "posix", "aarch64", "aarch64", "musl"),
    _Platform("macOS x86_64", "Darwin", "darwin", "posix", "x86_64", "x86_64", "macos"),
    _Platform("macOS arm64", "Darwin", "darwin", "posix", "arm64", "arm64", "macos"),
    _Platform("Windows x64", "Windows", "win32", "nt", "AMD64", "amd64", "windows"),
)


def _platform_tags(p: _Platform) -> list[str]:
    """The platform parts of the tags pip supports there, most preferred first."""
    if p.kind == "glibc":
        oldest = 5 if p.arch == "x86_64" else 17
        out: list[str] = []
        for minor in range(GLIBC[1], oldest - 1, -1):
            out.append(f"manylinux_2_{minor}_{p.arch}")
            if minor in _LEGACY:
                out.append(f"{_LEGACY[minor]}_{p.arch}")
        return [f"linux_{p.arch}", *out]
    if p.kind == "musl":
        return [f"linux_{p.arch}", *(f"musllinux_1_{m}_{p.arch}" for m in range(MUSL[1], -1, -1))]
    if p.kind == "macos":
        from packaging.tags import mac_platforms

        return list(mac_platforms(MACOS, p.arch))
    return [f"win_{p.arch}"]


class Environment(NamedTuple):
    """One target: a CPython minor version on one platform."""

    python: tuple[int, int]
    platform: str  # "Linux x86_64 (glibc)", "macOS arm64", "Windows x64"
    markers: Mapping[str, str]  # PEP 508 marker values, for ``Marker.evaluate`` (``extra`` unset)
    platforms: tuple[str, ...]  # the platform tags pip supports there, most preferred first

    @property
    def name(self) -> str:
        """`CPython 3.12 on Linux x86_64 (glibc)`."""
        return f"CPython {self.python[0]}.{self.python[1]} on {self.platform}"

    @property
    def python_version(self) -> str:
        """`3.12.0`: what ``Requires-Python`` is checked against."""
        return f"{self.python[0]}.{self.python[1]}.0"

    def tags(self) -> list[Tag]:
        """The wheel tags pip supports there, in pip's priority order (long: build once per run)."""
        from packaging.tags import compatible_tags, cpython_tags

        interpreter = f"cp{self.python[0]}{self.python[1]}"
        return [
            *cpython_tags(self.python, [interpreter], self.platforms),
            *compatible_tags(self.python, interpreter, self.platforms),
        ]


def _environment(python: tuple[int, int], p: _Platform) -> Environment:
    version = f"{python[0]}.{python[1]}"
    markers = {
        "implementation_name": "cpython",
        "implementation_version": f"{version}.0",
        "os_name": p.os_name,
        "platform_machine": p.machine,
        "platform_python_implementation": "CPython",
        "platform_release": "",
        "platform_system": p.system,
        "platform_version": "",
        "python_full_version": f"{version}.0",
        "python_version": version,
        "sys_platform": p.sys_platform,
    }
    return Environment(python, p.label, markers, tuple(_platform_tags(p)))


def _pythons(requires_python: str | None) -> list[tuple[int, int]]:
    if requires_python is None:
        return list(PYTHONS)
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    try:
        spec = SpecifierSet(requires_python)
    except InvalidSpecifier as e:
        raise ValueError(f"requires-python {requires_python!r}: {e}") from None
    # a minor version counts when some release of it is admitted (`>=3.10.2` keeps 3.10)
    return [py for py in PYTHONS if any(spec.contains(f"{py[0]}.{py[1]}.{n}", prereleases=True) for n in (0, 99))]


def default_environments(requires_python: str | None) -> tuple[Environment, ...]:
    """CPython 3.10-3.14 (those ``requires_python`` admits) on every platform of ``PLATFORMS``.

    An invalid ``requires_python`` raises ValueError with packaging's message.
    """
    return tuple(_environment(py, p) for py in _pythons(requires_python) for p in PLATFORMS)


def select_environments(markers: Sequence[str], requires_python: str | None) -> tuple[Environment, ...]:
    """The default environments for which any of ``markers`` (PEP 508 expressions, as uv's
    ``environments`` setting) holds. An invalid marker raises ValueError with packaging's message."""
    from packaging.markers import InvalidMarker, Marker

    parsed: list[Marker] = []
    for text in markers:
        try:
            parsed.append(Marker(text))
        except InvalidMarker as e:
            first = str(e).splitlines()[0] if str(e) else "invalid"
            raise ValueError(f"{text!r} is not a PEP 508 marker: {first}") from None
    return tuple(
        env
        for env in default_environments(requires_python)
        if any(m.evaluate({**env.markers, "extra": ""}) for m in parsed)
    )
