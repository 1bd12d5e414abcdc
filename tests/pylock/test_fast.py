"""The fast reader is tomllib plus the scanner, or steps aside: proven on real shapes and their mutations."""

from __future__ import annotations

import random
import sys

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:  # the package reads TOML with tomli there too
    import tomli as tomllib

from req_hashlint._pylock import _Bail, _Fast, _Scan

from ..conftest import DATA
from .test_parse import UV

SHAPES = {
    "uv": (DATA / "pylock" / "uv-export.toml").read_text().replace("PORT", "8000"),
    "pip": (DATA / "pylock" / "pip-lock.toml").read_text(),
    "hand": UV,
}
ALPHABET = ['"', "'", "[", "]", "{", "}", ",", "=", ".", "#", "\n", " ", "\t", "\\", "-", ":", "0", "a", "T", "Z", "\r"]


def read(text: str) -> tuple[object, dict[object, tuple[int, int]]] | None:
    try:
        fast = _Fast(text)
        return fast.run(), fast.spans
    except (_Bail, IndexError):
        return None


def mutations(text: str, rng: random.Random) -> str:
    lines = text.split("\n")
    kind = rng.randrange(5)
    if kind == 0:  # delete a character
        at = rng.randrange(len(text))
        return text[:at] + text[at + 1 :]
    if kind == 1:  # insert a character TOML cares about
        at = rng.randrange(len(text))
        return text[:at] + rng.choice(ALPHABET) + text[at:]
    if kind == 2:  # repeat a line
        at = rng.randrange(len(lines))
        return "\n".join([*lines[: at + 1], lines[at], *lines[at + 1 :]])
    if kind == 3:  # swap two lines
        a, b = rng.randrange(len(lines)), rng.randrange(len(lines))
        lines[a], lines[b] = lines[b], lines[a]
        return "\n".join(lines)
    at = rng.randrange(len(text))  # replace a character
    return text[:at] + rng.choice(ALPHABET) + text[at + 1 :]


@pytest.mark.parametrize("shape", SHAPES)
def test_the_real_shapes_take_the_fast_way(shape: str) -> None:
    text = SHAPES[shape]
    found = read(text)
    if shape == "hand":  # literal and multi-line strings, quoted keys: tomllib's way
        assert found is None
        return
    assert found is not None
    data, spans = found
    assert data == tomllib.loads(text)
    scanned = _Scan(text).spans
    assert spans and all(scanned[p] == s for p, s in spans.items())


@pytest.mark.parametrize("shape", ["uv", "pip"])
def test_mutations_are_read_as_tomllib_reads_them_or_left_to_it(shape: str) -> None:
    rng = random.Random(shape)
    fast_ok = refused = 0
    for _ in range(1500):
        text = SHAPES[shape]
        for _ in range(rng.randrange(1, 4)):
            text = mutations(text, rng)
        found = read(text)
        try:
            want = tomllib.loads(text)
        except tomllib.TOMLDecodeError:
            assert found is None, text
            refused += 1
            continue
        if found is not None:
            fast_ok += 1
            data, spans = found
            assert data == want, text
            scanned = _Scan(text).spans
            assert all(scanned[p] == s for p, s in spans.items()), text
    assert fast_ok > 300 and refused > 300  # both ways are exercised


def _packages() -> list[dict[str, object]]:
    found: list[dict[str, object]] = []
    for text in (SHAPES["uv"], SHAPES["pip"], UV):
        found += tomllib.loads(text)["packages"]
    return found


def _mutate_package(pkg: dict[str, object], rng: random.Random) -> dict[str, object]:
    import copy

    pkg = copy.deepcopy(pkg)
    arts = [a for a in [pkg.get("sdist"), *(pkg.get("wheels") or [])] if isinstance(a, dict)]  # type: ignore[misc]
    kind = rng.randrange(9)
    if kind == 0:
        pkg["version"] = rng.choice(["1.0", "1.0a1", "01", "1..0", "", "1.0.0", "v1", 1, "3.0", "2.0"])
    elif kind == 1:
        pkg["name"] = rng.choice(["Alpha", "a_b", "a--b", "", "-a", "alpha", "beta", 3])
    elif kind == 2 and arts:
        art = rng.choice(arts)
        key = "name" if "name" in art else "url"
        text = str(art[key])
        at = rng.randrange(len(text))
        art[key] = text[:at] + rng.choice(["-", "_", "__", ".", "", "x", "1", ".whl"]) + text[at + 1 :]
    elif kind == 3 and arts:
        rng.choice(arts)[rng.choice(["size", "upload-time", "url", "path", "name"])] = rng.choice(
            [True, "3", -1, 0, None, ""]
        )
    elif kind == 4 and arts:
        rng.choice(arts)["hashes"] = rng.choice([{}, {"sha256": 1}, {"md5": "x"}, [], "x"])
    elif kind == 5:
        pkg[rng.choice(["vcs", "archive", "directory", "attestation-identities", "extra"])] = rng.choice(
            [{}, [{}], "x"]
        )
    elif kind == 6:
        pkg["marker"] = rng.choice(["os_name == 'nt'", "bad marker", "python_version >", "extra == 'x'", 3])
    elif kind == 7:
        pkg["requires-python"] = rng.choice([">=3.8", ">=x", "", "==3.*", 3])
    else:
        pkg[rng.choice(["dependencies", "index", "tool", "wheels", "sdist"])] = rng.choice(
            [[{}], ["x"], "x", {}, [], None]
        )
        pkg = {k: v for k, v in pkg.items() if v is not None}
    return pkg


def test_plain_packages_are_ones_packaging_accepts() -> None:
    """``_plain`` lets packaging off only where packaging would say nothing."""
    from packaging.pylock import Pylock, PylockValidationError

    from req_hashlint._pylock import _plain

    rng = random.Random(16)
    plain = asked = 0
    for _ in range(3000):
        pkg = rng.choice(_packages())
        for _ in range(rng.randrange(0, 3)):
            pkg = _mutate_package(pkg, rng)
        if _plain(pkg, {}):
            plain += 1
            Pylock.from_dict({"lock-version": "1.0", "created-by": "t", "packages": [pkg]})  # raises if wrong
        else:
            asked += 1
        if _plain(pkg, {}, reported=True):  # then packaging says nothing, or what RH014/RH002 report
            try:
                Pylock.from_dict({"lock-version": "1.0", "created-by": "t", "packages": [pkg]})
            except PylockValidationError as exc:
                assert exc.message.startswith(("Name in ", "Version in ", "At least one hash")), exc
    assert plain > 500 and asked > 500


MARKERS = [
    "sys_platform == 'win32'",
    "python_full_version < '3.11'",
    "(platform_machine == 'aarch64' and sys_platform == 'linux') or sys_platform == 'darwin'",
    'extra == "test" and python_version >= "3.9"',
    "os_name in 'nt posix'",
    "platform_system not in 'Windows'",
    "implementation_name == 'cpython' and (python_version < '3' or (os_name == 'nt'))",
]
SPECS = [">=3.11", ">=3.8, <4", "==3.*", "~=3.10", "!=3.9.1,>=3.8", ">=3.*", "~=3", "==3.11.*,<3.13"]


@pytest.mark.parametrize("key", ["marker", "requires-python"])
def test_a_plain_marker_or_specifier_is_one_packaging_parses(key: str) -> None:
    from packaging.markers import InvalidMarker, Marker
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    from req_hashlint._pylock import _SPEC_RE, _plain_marker

    rng = random.Random(key)
    seeds = MARKERS if key == "marker" else SPECS
    chars = ["(", ")", "'", '"', " ", "and", "or", "in", "not", "=", "<", "*", ",", ".", "3", "x", "\\"]
    plain = refused = 0
    for _ in range(4000):
        text = rng.choice(seeds)
        for _ in range(rng.randrange(0, 3)):
            at = rng.randrange(len(text) + 1)
            text = text[:at] + rng.choice(chars) + text[at + rng.randrange(2) :]
        if not (_plain_marker(text) if key == "marker" else _SPEC_RE.fullmatch(text)):
            refused += 1
            continue
        plain += 1
        try:
            Marker(text) if key == "marker" else SpecifierSet(text)
        except (InvalidMarker, InvalidSpecifier):
            pytest.fail(f"{text!r} is taken as plain, yet packaging refuses it")
    assert plain > 400 and refused > 400
