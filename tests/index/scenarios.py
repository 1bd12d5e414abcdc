"""The RH3xx scenarios as data: what the index serves, the requirements text, what is expected.

A :class:`Scenario` names the files a loopback index serves (:class:`File`: built into tiny real
wheels and sdists by the test index's ``wheel``/``sdist`` helpers), the requirements text, the
RH3xx/RH903 codes req-hashlint must report with ``--index``, and the environments in which real
pip is asked (:data:`PLATFORMS`; ``native`` is this machine, where pip also considers sdists).

The requirements text is a template. ``H(filename)`` becomes ``--hash=sha256:<digest of that
served file>``, ``H512(filename)`` the same with sha512 (which the index does not advertise), ``HUP(filename)``
the sha256 digest in upper case,
``TYPO`` a well-formed digest of nothing served.

What the environments of a scenario leave out, on purpose (pip cannot stand in for them):
- pip evaluates an entry's marker on the machine it runs on, never for ``--platform``, so an
  environment a marker excludes is not asked (req-hashlint skips it too);
- an environment for which the version serves no file at all is not counted by req-hashlint
  (RH309, issue 14, is the rule for a Requires-Python that excludes a target), so pip is not
  asked there either;
- with ``--only-binary :all:`` pip never builds, so RH306 (an sdist picked) is checked in the
  ``native`` environment only.
"""

from __future__ import annotations

import hashlib
import re
import sys
from collections.abc import Callable, Iterable, Mapping
from typing import NamedTuple

from packaging.utils import canonicalize_name

TYPO = "3f1a5b7c9d2e4f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8"  # no file has it


class File(NamedTuple):
    """One served file: a wheel (``tag``) or, with ``tag=None``, an sdist."""

    project: str
    version: str
    tag: str | None = "py3-none-any"
    requires_python: str | None = None
    yanked: str | None = None  # None: not yanked; "": yanked without a reason; else the reason
    requires: tuple[str, ...] = ()  # its Requires-Dist (in the wheel and its served .metadata)
    extras: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (extra, its Requires-Dist)

    @property
    def filename(self) -> str:
        """As the loopback index's ``wheel()``/``sdist()`` name them (an sdist keeps the dots)."""
        if self.tag is None:
            return f"{self.project.replace('-', '_')}-{self.version}.tar.gz"
        return f"{self.project.replace('-', '_').replace('.', '_')}-{self.version}-{self.tag}.whl"


class Platform(NamedTuple):
    """A target environment as pip stands in for it, and as a config ``environments`` marker."""

    platforms: tuple[str, ...]  # pip's --platform values; () for this machine
    marker: str  # selects req-hashlint's default environments of that platform


def _glibc(arch: str) -> tuple[str, ...]:
    """What pip on glibc 2.39 supports (as req-hashlint's default Linux environments assume)."""
    return (*(f"manylinux_2_{m}_{arch}" for m in range(39, 16, -1)), f"manylinux2014_{arch}")


PLATFORMS: dict[str, Platform] = {
    "linux-x86_64": Platform(_glibc("x86_64"), "sys_platform == 'linux' and platform_machine == 'x86_64'"),
    "linux-aarch64": Platform(_glibc("aarch64"), "sys_platform == 'linux' and platform_machine == 'aarch64'"),
    "musl-x86_64": Platform(
        ("musllinux_1_2_x86_64", "musllinux_1_1_x86_64"),
        "sys_platform == 'linux' and platform_machine == 'x86_64'",
    ),
    "musl-aarch64": Platform(
        ("musllinux_1_2_aarch64", "musllinux_1_1_aarch64"),
        "sys_platform == 'linux' and platform_machine == 'aarch64'",
    ),
    # pip expands a macOS platform to the older versions and the universal variants
    "macos-x86_64": Platform(("macosx_15_0_x86_64",), "sys_platform == 'darwin' and platform_machine == 'x86_64'"),
    "macos-arm64": Platform(("macosx_15_0_arm64",), "sys_platform == 'darwin' and platform_machine == 'arm64'"),
    "windows-x64": Platform(("win_amd64",), "sys_platform == 'win32'"),
    "native": Platform((), "sys_platform == 'linux' and platform_machine == 'x86_64'"),
}
NATIVE_PYTHON = f"{sys.version_info[0]}.{sys.version_info[1]}"


class Env(NamedTuple):
    platform: str  # a key of PLATFORMS
    python: str  # "3.12"

    @property
    def name(self) -> str:
        return f"{self.platform}/py{self.python}"

    @property
    def marker(self) -> str:
        return f"{PLATFORMS[self.platform].marker} and python_version == '{self.python}'"


def env(spec: str) -> Env:
    """``"windows-x64/3.12"`` or ``"native"``."""
    if spec == "native":
        return Env("native", NATIVE_PYTHON)
    platform, python = spec.split("/")
    # "native/3.10": pip runs on that CPython (found by pyenv), which evaluates the dependencies'
    # markers for itself: pip evaluates a Requires-Dist marker for the interpreter it runs on,
    # never for --platform or --python-version
    assert platform in PLATFORMS, platform
    return Env(platform, python)


class Scenario(NamedTuple):
    name: str
    files: tuple[File, ...]
    requirements: str  # the template (see the module docstring)
    expected: frozenset[str]  # RH3xx and RH903 codes req-hashlint reports (with the default environments)
    envs: tuple[Env, ...]  # where pip is asked
    json: bool = True  # the index serves PEP 691 JSON
    html: bool = True  # the index serves PEP 503 HTML
    extra_files: Mapping[str, str] = {}  # more files beside requirements.txt (templates too)
    message_has: tuple[str, ...] = ()  # words the findings' messages must hold
    deps: bool = False  # pip resolves dependencies (else --no-deps): the RH307/RH308 scenarios

    def projects(self) -> dict[str, list[File]]:
        out: dict[str, list[File]] = {}
        for f in self.files:
            out.setdefault(canonicalize_name(f.project), []).append(f)
        return out


_HASH = re.compile(r"\bH(256|512|UP)?\(([^)\s]+)\)")


def render(template: str, data: Mapping[str, bytes]) -> str:
    """The template with each ``H(filename)`` replaced by the served file's digest (``H512``:
    sha512; ``HUP``: sha256 in upper case)."""

    def one(m: re.Match[str]) -> str:
        algo = "sha512" if m[1] == "512" else "sha256"
        digest = hashlib.new(algo, data[m[2]]).hexdigest()
        return f"--hash={algo}:{digest.upper() if m[1] == 'UP' else digest}"

    return _HASH.sub(one, template).replace("TYPO", f"--hash=sha256:{TYPO}")


def _envs(*specs: str) -> tuple[Env, ...]:
    return tuple(env(s) for s in specs)


# -- the 40-file version: 5 CPythons x 8 platforms ------------------------------------------
PYTHONS = ("310", "311", "312", "313", "314")
WHEEL_PLATFORMS = (
    "manylinux_2_17_x86_64.manylinux2014_x86_64",
    "manylinux_2_17_aarch64.manylinux2014_aarch64",
    "musllinux_1_2_x86_64",
    "musllinux_1_2_aarch64",
    "macosx_10_9_x86_64",
    "macosx_11_0_arm64",
    "win_amd64",
    "win32",
)


def forty(project: str, version: str) -> tuple[File, ...]:
    return tuple(File(project, version, f"cp{py}-cp{py}-{plat}") for py in PYTHONS for plat in WHEEL_PLATFORMS)


def hash_lines(files: Iterable[File], keep: Callable[[File], bool] = lambda f: True) -> str:
    return " \\\n".join(f"    H({f.filename})" for f in files if keep(f))


def _not_windows(f: File) -> bool:
    return f.tag is None or "win" not in f.tag


A10 = File("alpha", "1.0")
A10S = File("alpha", "1.0", None)
A11 = File("alpha", "1.1")
A11S = File("alpha", "1.1", None)
ALPHA = (A10, A10S, A11, A11S)
B10 = File("beta", "1.0")
NP = forty("numpyish", "2.1.0")
NP_OLD = forty("numpyish", "2.0.0")[:8]
LINUX_ONLY = tuple(File("linuxonly", "1.0", f"cp{py}-cp{py}-manylinux_2_17_x86_64") for py in PYTHONS)
EVERYWHERE = ("linux-x86_64/3.12", "windows-x64/3.10", "macos-arm64/3.14", "native")

APP = File("app", "1.0", requires=("dep>=2",))
APP_SUB = File("app", "1.1", requires=("dep>=2",))
APP_X = File("app", "1.2", extras=(("fast", ("dep",)),))
APP_OLD = File("app", "1.3", requires=('dep ; python_version < "3.11"',))
APP_WIN = File("app", "1.4", requires=('dep ; sys_platform == "win32"',))
DEP1 = File("dep", "1.0")
DEP2 = File("dep", "2.0")
DEP_SUB = File("dep", "2.1", requires=("sub",))
SUB = File("sub", "0.1")

SCENARIOS: tuple[Scenario, ...] = (
    Scenario(
        "clean-lock",
        (*ALPHA, B10),
        f"alpha==1.1 H({A11.filename}) H({A11S.filename})\nbeta==1.0 H({B10.filename})\n",
        frozenset(),
        _envs(*EVERYWHERE),
    ),
    Scenario(
        "clean-wheel-only-hashed",
        ALPHA,
        f"alpha==1.0 H({A10.filename})\n",
        frozenset(),
        _envs("linux-aarch64/3.13", "macos-x86_64/3.10", "native"),
    ),
    Scenario(
        "stale-set-from-another-version",
        ALPHA,
        f"alpha==1.1 \\\n    H({A10.filename}) \\\n    H({A10S.filename})\n",
        frozenset({"RH301"}),
        _envs("linux-x86_64/3.12", "windows-x64/3.13", "native"),
        message_has=("1.0",),
    ),
    Scenario(
        "one-typo-beside-good-hashes",
        ALPHA,
        f"alpha==1.1 H({A11.filename}) TYPO H({A11S.filename})\n",
        frozenset({"RH302"}),
        _envs("linux-x86_64/3.11", "macos-arm64/3.12", "native"),
    ),
    Scenario(
        "leftover-hash-of-another-version",
        ALPHA,
        f"alpha==1.1 H({A11.filename}) H({A10.filename})\n",
        frozenset({"RH302"}),
        _envs("windows-x64/3.12", "native"),
        message_has=("1.0",),
    ),
    Scenario(
        "forty-files-windows-unhashed",
        NP,
        f"numpyish==2.1.0 \\\n{hash_lines(NP, _not_windows)}\n",
        frozenset({"RH303"}),
        _envs(
            "linux-x86_64/3.10",
            "linux-aarch64/3.14",
            "musl-x86_64/3.12",
            "musl-aarch64/3.13",
            "macos-x86_64/3.11",
            "macos-arm64/3.14",
            "windows-x64/3.10",
            "windows-x64/3.13",
            "native",
        ),
        message_has=("Windows",),
    ),
    Scenario(
        "forty-files-all-hashed",
        (*NP, *NP_OLD),
        f"numpyish==2.1.0 \\\n{hash_lines(NP)}\n",
        frozenset(),
        _envs("windows-x64/3.14", "musl-aarch64/3.10", "macos-x86_64/3.13", "native"),
    ),
    Scenario(
        "marker-excludes-windows",
        NP,
        f"numpyish==2.1.0 ; sys_platform != 'win32' \\\n{hash_lines(NP, _not_windows)}\n",
        frozenset(),
        _envs("linux-x86_64/3.13", "macos-arm64/3.11", "native"),
    ),
    Scenario(
        "linux-only-project",
        LINUX_ONLY,
        f"linuxonly==1.0 \\\n{hash_lines(LINUX_ONLY)}\n",
        frozenset(),
        _envs("linux-x86_64/3.10", "linux-x86_64/3.14", "native"),
    ),
    Scenario(
        "only-sdist-hashed-while-wheels-exist",
        ALPHA,
        f"alpha==1.0 H({A10S.filename})\n",
        frozenset({"RH306", "RH903"}),  # RH903: the sdist pip picks has no metadata served
        _envs("native"),
    ),
    Scenario(
        "sdist-only-release",
        (File("gamma", "1.0", None),),
        f"gamma==1.0 H({File('gamma', '1.0', None).filename})\n",
        frozenset({"RH306", "RH903"}),  # RH903: the sdist pip picks has no metadata served
        _envs("native"),
    ),
    Scenario(
        "version-not-served",
        ALPHA,
        f"alpha==2.0 H({A11.filename})\n",
        frozenset({"RH304"}),
        _envs("linux-x86_64/3.12", "native"),
    ),
    Scenario(
        "project-not-served",
        ALPHA,
        "nosuchproject==1.0 TYPO\n",
        frozenset({"RH304"}),
        _envs("native"),
    ),
    Scenario(
        "yanked-with-reason",
        (File("alpha", "1.0", yanked="broken build, use 1.1"), A11),
        f"alpha==1.0 H({A10.filename})\n",
        frozenset({"RH305"}),
        _envs("linux-x86_64/3.12", "native"),
        message_has=("broken build, use 1.1",),
    ),
    Scenario(
        "yanked-without-reason",
        (File("alpha", "1.0", yanked=""), File("alpha", "1.0", None, yanked=""), A11),
        f"alpha==1.0 H({A10.filename}) H({A10S.filename})\n",
        frozenset({"RH305"}),
        _envs("windows-x64/3.11", "native"),
    ),
    Scenario(
        "local-version-served-for-plain-pin",
        (File("beta", "1.0+local"), File("beta", "0.9")),
        f"beta==1.0 H({File('beta', '1.0+local').filename})\n",
        frozenset(),
        _envs("linux-x86_64/3.12", "native"),
    ),
    Scenario(
        "local-version-hashes-of-plain-file",
        (File("beta", "1.0+local"), B10),
        f"beta==1.0 H({B10.filename})\n",
        frozenset(),
        _envs("macos-arm64/3.12", "native"),
    ),
    Scenario(
        "arbitrary-equality",
        ALPHA,
        f"alpha===1.0 H({A10.filename}) H({A10S.filename})\n",
        frozenset(),
        _envs("linux-x86_64/3.12", "native"),
    ),
    Scenario(
        "arbitrary-equality-is-a-string",
        ALPHA,
        f"alpha===1.0.0 H({A10.filename}) H({A10S.filename})\n",
        frozenset({"RH304"}),
        _envs("linux-x86_64/3.12", "native"),
    ),
    Scenario(
        "html-only-clean",
        (*ALPHA, B10),
        f"alpha==1.1 H({A11.filename})\nbeta==1.0 H({B10.filename})\n",
        frozenset(),
        _envs("windows-x64/3.12", "native"),
        json=False,
    ),
    Scenario(
        "html-only-stale-and-yanked",
        (A10, File("alpha", "1.1", yanked="bad metadata"), B10),
        f"alpha==1.1 H({A11.filename})\nbeta==1.0 H({A10.filename})\n",
        frozenset({"RH301", "RH305"}),
        _envs("linux-x86_64/3.12", "native"),
        json=False,
        message_has=("bad metadata",),
    ),
    Scenario(
        "requires-python-drops-the-wheel",
        (File("delta", "1.0", requires_python=">=3.12"), File("delta", "1.0", None)),
        f"delta==1.0 H({File('delta', '1.0').filename})\n",
        frozenset({"RH303"}),
        _envs("linux-x86_64/3.12", "windows-x64/3.13", "linux-x86_64/3.10", "native"),
    ),
    Scenario(
        "requires-python-excludes-old-pythons-everywhere",  # RH309: no file pip may install there
        (File("delta", "1.0", requires_python=">=3.12"),),
        f"delta==1.0 H({File('delta', '1.0').filename})\n",
        frozenset({"RH309"}),
        _envs("linux-x86_64/3.12", "linux-x86_64/3.10", "windows-x64/3.11", "macos-arm64/3.14"),
    ),
    Scenario(
        "requires-python-of-the-project-excludes-old-pythons",
        (File("delta", "1.0", requires_python=">=3.12"), File("delta", "1.0", None)),
        f"delta==1.0 H({File('delta', '1.0').filename})\n",
        frozenset(),
        _envs("linux-x86_64/3.12", "macos-arm64/3.14"),
        extra_files={"pyproject.toml": '[project]\nname = "app"\nversion = "0"\nrequires-python = ">=3.12"\n'},
    ),
    # the unhashed pins get RH002 (docs/stricter-than-pip.md, `hashes-in-constraints`); only the
    # index codes are compared here
    Scenario(
        "constraint-file-carries-the-hashes",
        (*ALPHA, B10),
        "-c constraints.txt\nalpha==1.1\nbeta==1.0\n",
        frozenset(),
        _envs("linux-x86_64/3.12", "native"),
        extra_files={"constraints.txt": f"alpha==1.1 H({A11.filename})\nbeta==1.0 H({B10.filename})\n"},
    ),
    Scenario(
        "constraint-file-carries-stale-hashes",
        (*ALPHA, B10),
        "-c constraints.txt\nalpha==1.1\n",
        frozenset({"RH301"}),
        _envs("linux-x86_64/3.12", "native"),
        extra_files={"constraints.txt": f"alpha==1.1 H({A10.filename}) H({A10S.filename})\n"},
    ),
    Scenario(
        "algorithm-the-index-lacks",
        ALPHA,
        f"alpha==1.1 H512({A11.filename}) H512({A11S.filename})\n",
        frozenset({"RH903"}),
        _envs("linux-x86_64/3.12", "native"),
    ),
    Scenario(
        "two-projects-one-stale",
        (*ALPHA, B10, File("beta", "1.1")),
        f"alpha==1.0 H({A10.filename})\nbeta==1.1 H({B10.filename})\n",
        frozenset({"RH301"}),
        _envs("linux-x86_64/3.12", "native"),
        message_has=("1.0",),
    ),
    Scenario(
        "yanked-wheel-beside-a-hashed-sdist",
        (File("alpha", "1.0", yanked="bad wheel"), A10S),
        f"alpha==1.0 H({A10.filename}) H({A10S.filename})\n",
        frozenset(
            {"RH306", "RH903"}
        ),  # RH903: the sdist pip picks has no metadata served  # pip prefers the file that is not yanked, whatever its kind
        _envs("native"),
    ),
    Scenario(
        "only-win32-hashed-on-windows-x64",
        (File("eps", "1.0", "cp312-cp312-win32"), File("eps", "1.0", "cp312-cp312-win_amd64")),
        f"eps==1.0 H({File('eps', '1.0', 'cp312-cp312-win32').filename})\n",
        frozenset({"RH303"}),
        _envs("windows-x64/3.12"),
        message_has=("Windows",),
    ),
    Scenario(
        "abi3-wheel-hashed-older-pythons-not",
        (
            File("zeta", "3.0", "cp312-abi3-manylinux_2_17_x86_64"),
            File("zeta", "3.0", "cp310-cp310-manylinux_2_17_x86_64"),
            File("zeta", "3.0", "cp311-cp311-manylinux_2_17_x86_64"),
        ),
        f"zeta==3.0 H({File('zeta', '3.0', 'cp312-abi3-manylinux_2_17_x86_64').filename})\n",
        frozenset({"RH303"}),
        _envs("linux-x86_64/3.10", "linux-x86_64/3.12", "linux-x86_64/3.14", "native"),
    ),
    Scenario(
        "hashed-pure-wheel-beats-unhashed-platform-wheel",
        (File("eta", "1.0"), File("eta", "1.0", "cp312-cp312-manylinux_2_17_x86_64")),
        f"eta==1.0 H({File('eta', '1.0').filename})\n",
        frozenset(),  # pip prefers a file whose hash is listed over a better tag
        _envs("linux-x86_64/3.12", "windows-x64/3.12", "native"),
    ),
    Scenario(
        "local-and-plain-both-hashed",
        (File("beta", "1.0+local"), B10),
        f"beta==1.0 H({B10.filename}) H({File('beta', '1.0+local').filename})\n",
        frozenset(),
        _envs("linux-x86_64/3.12", "native"),
    ),
    Scenario(
        "html-only-requires-python",
        (File("delta", "1.0", requires_python=">=3.12"), File("delta", "1.0", None)),
        f"delta==1.0 H({File('delta', '1.0').filename})\n",
        frozenset({"RH303"}),
        _envs("linux-x86_64/3.13", "linux-x86_64/3.10", "native"),
        json=False,
    ),
    Scenario(
        "upper-case-digests",
        ALPHA,
        f"alpha==1.1 HUP({A11.filename}) HUP({A11S.filename})\n",
        frozenset(),  # pip >= 24.2 compares digests in lower case
        _envs("linux-x86_64/3.12", "native"),
    ),
    Scenario(
        "sha256-beside-an-unverifiable-sha512",
        ALPHA,
        f"alpha==1.1 H({A11.filename}) H512({A11S.filename})\n",
        frozenset(),  # the index gives no sha512: that hash is neither right nor wrong
        _envs("windows-x64/3.12", "native"),
    ),
    Scenario(
        "zero-padded-pin",
        ALPHA,
        f"alpha==1.0.0 H({A10.filename}) H({A10S.filename})\n",
        frozenset(),  # PEP 440: 1.0.0 == 1.0
        _envs("linux-x86_64/3.12", "native"),
    ),
    Scenario(
        "dotted-name",
        (File("zope.interface", "5.0"), File("zope.interface", "5.0", None)),
        f"Zope.Interface==5.0 H({File('zope.interface', '5.0').filename}) "
        f"H({File('zope.interface', '5.0', None).filename})\n",
        frozenset(),
        _envs("macos-arm64/3.13", "native"),
    ),
    Scenario(
        "dotted-name-sdist-only-hashed",
        (File("zope.interface", "5.0"), File("zope.interface", "5.0", None)),
        f"zope-interface==5.0 H({File('zope.interface', '5.0', None).filename})\n",
        frozenset({"RH306", "RH903"}),  # RH903: the sdist pip picks has no metadata served
        _envs("native"),
    ),
    Scenario(
        "pre-release-pin",
        (File("theta", "2.0rc1"), File("theta", "1.9")),
        f"theta==2.0rc1 H({File('theta', '2.0rc1').filename})\n",
        frozenset(),
        _envs("macos-x86_64/3.12", "native"),
    ),
    # -- dependencies from the core metadata (RH307, RH308): pip resolves, from this machine ------
    *(
        Scenario(
            name,
            files,
            text,
            frozenset(codes),
            _envs(*envs),
            extra_files=extra,
            message_has=words,
            deps=True,
        )
        for name, files, text, codes, envs, extra, words in (
            (
                "dep-listed",
                (APP, DEP2),
                f"app==1.0 H({APP.filename})\ndep==2.0 H({DEP2.filename})\n",
                (),
                ("native",),
                {},
                (),
            ),
            (
                "dep-unlisted",
                (APP, DEP2),
                f"app==1.0 H({APP.filename})\n",
                {"RH307"},
                ("native",),
                {},
                ("app==1.0 requires `dep>=2`",),
            ),
            (
                "dep-of-a-dep-unlisted",
                (APP_SUB, DEP_SUB, SUB),
                f"app==1.1 H({APP_SUB.filename})\ndep==2.1 H({DEP_SUB.filename})\n",
                {"RH307"},
                ("native",),
                {},
                ("dep==2.1 requires `sub`",),
            ),
            ("dep-by-an-extra", (APP_X, DEP2), f"app[fast]==1.2 H({APP_X.filename})\n", {"RH307"}, ("native",), {}, ()),
            ("dep-extra-not-asked", (APP_X, DEP2), f"app==1.2 H({APP_X.filename})\n", (), ("native",), {}, ()),
            (
                "dep-for-old-pythons-only",
                (APP_OLD, DEP2),
                f"app==1.3 H({APP_OLD.filename})\n",
                {"RH307"},
                ("native/3.10", "native/3.11", "native/3.13"),
                {},
                ("on CPython 3.10 on",),
            ),
            (
                "dep-for-windows-only",
                (APP_WIN, DEP2),
                f"app==1.4 H({APP_WIN.filename})\n",
                {"RH307"},
                ("native",),
                {},
                ("on CPython 3.10-3.14 on Windows x64",),
            ),
            (
                "dep-listed-for-windows",
                (APP_WIN, DEP2),
                f"app==1.4 H({APP_WIN.filename})\ndep==2.0 ; sys_platform == 'win32' H({DEP2.filename})\n",
                (),
                ("native",),
                {},
                (),
            ),
            (
                "dep-conflict",
                (APP, DEP1, DEP2),
                f"app==1.0 H({APP.filename})\ndep==1.0 H({DEP1.filename})\n",
                {"RH308"},
                ("native",),
                {},
                ("dep==1.0 does not satisfy `dep>=2`",),
            ),
            (
                "dep-in-hashed-constraints",
                (APP, DEP2),
                f"-c constraints.txt\napp==1.0 H({APP.filename})\n",
                (),
                ("native",),
                {"constraints.txt": f"dep==2.0 H({DEP2.filename})\n"},
                (),
            ),
            (
                "dep-in-unhashed-constraints",
                (APP, DEP2),
                f"-c constraints.txt\napp==1.0 H({APP.filename})\n",
                {"RH307"},
                ("native",),
                {"constraints.txt": "dep==2.0\n"},
                ("constrained without a hash",),
            ),
        )
    ),
)
