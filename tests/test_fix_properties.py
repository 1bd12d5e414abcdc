"""Property-based: fixing is idempotent (fixing a fixed file changes nothing), `--diff` shows exactly what
`--fix` writes.

Files are generated from entries with the fixable defects (uppercase digests, a missing ` \\`, a `\\` that
glues the next requirement, blanks after a `\\`, a marker after the hashes, a repeated digest, an identical
repeat), in LF or CRLF, among comments, blank lines and words of every other kind (tests/test_properties.py).
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from .conftest import H1, H2, H3, H4, inside
from .test_fix_offline import by_eye, pip_reads
from .test_properties import _WORDS, Part, parts, run_main

DIGESTS = [H1, H2, H3, H4]


@pytest.fixture
def workdir() -> Iterator[Path]:
    top = Path(tempfile.mkdtemp(prefix="rh-fix-prop-"))
    try:
        yield top
    finally:
        shutil.rmtree(top, ignore_errors=True)


@st.composite
def entry(draw: st.DrawFn) -> str:
    name = draw(st.sampled_from(["six", "idna", "Django", "zope.interface", "a_b"]))
    version = draw(st.sampled_from(["1.0", "2.31.0", "1.16"]))
    marker = draw(st.sampled_from(["", " ; python_version < '3.12'", ";sys_platform=='win32'"]))
    hashes = [
        f"--hash=sha256:{d.upper() if draw(st.booleans()) else d}"
        for d in draw(st.lists(st.sampled_from(DIGESTS), min_size=0, max_size=3))
    ]
    where = draw(st.sampled_from(["front", "back"]))
    req = f"{name}=={version}{marker if where == 'front' else ''}"
    tail = f" {marker.strip()}" if marker and where == "back" else ""
    layout = draw(st.sampled_from(["one-line", "continued", "missing", "blanks", "glue"]))
    if layout == "one-line" or not hashes:
        return " ".join([req, *hashes]) + tail + "\n"
    sep = {"continued": " \\\n    ", "missing": "\n    ", "blanks": " \\  \n    "}.get(layout, " \\\n    ")
    text = req + sep + sep.join(hashes) + tail
    return text + (" \\\n" if layout == "glue" else "\n")


@st.composite
def files(draw: st.DrawFn, noise: bool = True) -> str:
    parts_: list[str] = []
    for _ in range(draw(st.integers(1, 6))):
        kinds = ["entry", "entry", "entry", "repeat", "comment", "blank", *(["noise"] if noise else [])]
        kind = draw(st.sampled_from(kinds))
        if kind == "entry" or (kind == "repeat" and not parts_):
            parts_.append(draw(entry()))
        elif kind == "repeat":
            parts_.append(draw(st.sampled_from(parts_)))
        elif kind == "comment":
            parts_.append("    # via something\n")
        elif kind == "blank":
            parts_.append("\n")
        else:
            parts_.append(" ".join(draw(st.lists(st.sampled_from(_WORDS), max_size=4))) + "\n")
    text = "".join(parts_)
    return text.replace("\n", "\r\n") if draw(st.booleans()) else text


def fix_property(workdir: Path, text: str) -> None:
    path = workdir / "requirements.txt"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    with inside(workdir):
        diff_code, diff, _ = run_main(["--diff", "--no-config", "--no-base", "-q", "requirements.txt"])
        code, _, _ = run_main(["--fix", "--no-config", "--no-base", "-q", "requirements.txt"])
        assert code in (0, 1) and diff_code in (0, 1)
        once = path.read_bytes()
        assert (diff_code == 1) == (once != text.encode("utf-8", "surrogatepass")), diff
        # idempotent: a second --fix writes nothing, and --diff has nothing to show
        run_main(["--fix", "--no-config", "--no-base", "-q", "requirements.txt"])
        assert path.read_bytes() == once
        again = run_main(["--diff", "--no-config", "--no-base", "-q", "requirements.txt"])
        assert again[:2] == (0, "")


@pytest.mark.parametrize("part", parts(800, quick=60, shards=2))
def test_fixing_is_idempotent_and_diff_shows_what_fix_writes(workdir: Path, part: Part) -> None:
    part.run(given(text=files())(fix_property), workdir)


def pip_property(workdir: Path, text: str) -> None:
    """After the fix, pip reads what the file appears to list, unless a finding that says otherwise remains."""
    path = workdir / "requirements.txt"
    path.write_bytes(text.encode())
    with inside(workdir):
        _, out, _ = run_main(["--fix", "--no-config", "--no-base", "requirements.txt"])
    if not re.search(r": RH0(0[5-7]|11) ", out):
        fixed = path.read_bytes().decode()
        assert pip_reads(path) == by_eye(fixed), (fixed, out)


@pytest.mark.parametrize("part", parts(300, quick=40, shards=1))
def test_after_fixing_pip_reads_what_the_file_appears_to_list(workdir: Path, part: Part) -> None:
    part.run(given(text=files(noise=False))(pip_property), workdir)
