"""No false alarm on a real universal lock: this project's own requirements-dev.txt (uv pip compile
--universal --generate-hashes), judged with the real core metadata of every distribution installed
in the running environment (their .dist-info/METADATA files, read by the same reader as the
index's .metadata files).

The index is made up from the lock itself: each listed hash becomes one served pure wheel of that
version, so every environment picks a hashed file. Distributions not installed here (colorama on
Linux, tomli on 3.11+, another Python's pins) have no metadata: one RH903 note, never an alarm.
"""

from __future__ import annotations

import importlib.metadata as im

from packaging.utils import canonicalize_name

from req_hashlint._lex import lex
from req_hashlint.index._metadata import parse_metadata
from req_hashlint.index._model import Metadata, Page, ServedFile

from ..conftest import REPO
from .conftest import LintFn


def test_the_project_lock_with_its_real_metadata_has_no_dependency_finding(lint_text: LintFn) -> None:
    text = (REPO / "requirements-dev.txt").read_text(encoding="utf-8")
    files: dict[str, list[ServedFile]] = {}
    metadata: dict[str, Metadata] = {}
    installed = {(canonicalize_name(d.metadata["Name"]), d.version): d for d in im.distributions()}
    for entry in lex(text, "requirements-dev.txt").entries:
        assert entry.key is not None and entry.version is not None
        dist = installed.get((entry.key, entry.version))
        meta = dist.read_text("METADATA") if dist is not None else None
        for n, value in enumerate(entry.hash_values):
            name = f"{entry.key.replace('-', '_')}-{entry.version}-{n}-py3-none-any.whl"
            f = ServedFile(name, f"https://files.example/{name}", {"sha256": value.partition(":")[2]}, metadata={})
            files.setdefault(entry.key, []).append(f)
            if meta is not None:
                metadata[name] = parse_metadata(meta.encode())
    assert len(metadata) > 100, "the running environment has the lock's distributions installed"
    pages = {key: Page(key, ("https://index.example/simple/",), tuple(fs)) for key, fs in files.items()}
    r = lint_text(text, index=pages, metadata=metadata)
    assert r.codes() in ([], ["RH903"]), [(f.code, f.message) for f in r.findings]
    walked = {m.partition("-")[0] for m in r.asked}
    assert {"pytest", "pre_commit", "jsonschema", "mypy"} <= walked
    # the control: without iniconfig (pytest's dependency), pytest's entry says so
    lines = text.splitlines(keepends=True)
    first = last = next(i for i, line in enumerate(lines) if line.startswith("iniconfig=="))
    while lines[last].rstrip().endswith("\\"):
        last += 1
    without = "".join(lines[:first] + lines[last + 1 :])
    r = lint_text(without, index=pages, metadata=metadata)
    found = [f for f in r.findings if f.code == "RH307"]
    assert len(found) == 1 and found[0].message.startswith("pytest=="), [f.message for f in r.findings]
    assert "requires `iniconfig" in found[0].message
