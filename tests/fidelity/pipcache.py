"""pip's answers, kept: the runs of real pip the differential compares with, in a committed file.

Real pip stays the oracle; this file only remembers what it said. A scenario's two runs (without
and with ``--require-hashes``) and pip's own parse of its file are looked up by a key made of
everything that could change them:

- the pip version, and the Python (``major.minor``) and platform it runs on;
- how pip is run and the fixtures are built: the sources of ``_worker.py``, ``_backend.py`` and
  ``dists.py``, pip's arguments and its environment (``oracle.install_args``, ``oracle.PIP_ENV``),
  and every fixture's digests;
- the scenario's exact content: its files and their base versions as written, and what the
  author meant (its intents, tags and constraint files).

Any change to one of them misses, and real pip runs. Nothing here decides a verdict: the
outcome classifier, the mapping and the stricter-than-pip table run live on every run.

``REQ_HASHLINT_PIP_CACHE=rewrite`` runs real pip for every scenario and rewrites the file with
what it said (the test ``test_agreement_with_pip`` does, the only writer). Machine paths, the
fixtures' digests and pip's random temporary names are stored as placeholders, so the file is
the same on every machine whose fixtures have the same digests.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

from . import oracle
from .dists import Fixtures
from .oracle import PipRun
from .scenarios import Rendered, Scenario

HERE = Path(__file__).parent
FILE = HERE / "pip-runs.json"
ENV = "REQ_HASHLINT_PIP_CACHE"
FORMAT = 1
# what differs from one run to the next, or one machine to the next, and no verdict reads:
# tempfile names, uuid4().hex, where pip is installed (in a traceback)
_RANDOM_RE = re.compile(r"(pip-[a-z-]+?-)[a-z0-9_]{8}\b|(_)[0-9a-f]{32}\b|(?<=\")[^\"]*(/site-packages/)")


def oracle_fingerprint() -> str:
    """How pip is run and the fixtures are built, as one digest."""
    h = hashlib.sha256()
    for name in ("_worker.py", "_backend.py", "dists.py"):
        h.update((HERE / name).read_bytes())
    args = [oracle.install_args(Path("R"), Path("L"), Path("F"), require_hashes=flag) for flag in (False, True)]
    h.update(json.dumps([args, oracle.PIP_ENV, sys.platform, sys.version_info[:2]]).encode())
    return h.hexdigest()


class PipCache:
    """The runs in ``path``, looked up by key; ``rewrite`` starts empty and ``save`` writes them all."""

    def __init__(self, path: Path = FILE, *, rewrite: bool = False) -> None:
        self.path = path
        self.rewrite = rewrite
        self.runs: dict[str, dict[str, Any]] = {}
        self.made_here = False  # the file was written by this oracle (same pip runner, Python, platform)
        self.oracle = oracle_fingerprint()
        if not rewrite and path.exists():
            doc = json.loads(path.read_text(encoding="utf-8"))
            if doc.get("format") == FORMAT:
                self.runs = doc["runs"]
                self.made_here = doc.get("oracle") == self.oracle
        self.hits = 0
        self.misses = 0

    @classmethod
    def from_env(cls) -> PipCache:
        mode = os.environ.get(ENV, "")
        if mode not in ("", "rewrite"):
            raise ValueError(f"{ENV}={mode!r}: the only value is 'rewrite'")
        return cls(rewrite=mode == "rewrite")

    def key(self, s: Scenario, rendered: Rendered, version: str, fx: Fixtures) -> str:
        subs = _subs(fx, None)
        scenario = {
            "texts": _pack(rendered.texts, subs),
            "base": _pack(rendered.base, subs),
            "intents": [asdict(i) for i in rendered.intents],
            "tags": sorted(s.all_tags()),
            "constraints": sorted(s.constraints),
        }
        digests = sorted((f"{p}-{v}", a.digests) for (p, v), a in fx.artifacts.items())
        doc = json.dumps([version, self.oracle, digests, scenario], sort_keys=True)
        return hashlib.sha256(doc.encode()).hexdigest()

    def get(self, key: str, sdir: Path, fx: Fixtures) -> tuple[PipRun, PipRun] | None:
        """The scenario's runs without and with ``--require-hashes``, or None (a miss)."""
        entry = self.runs.get(key)
        if entry is None:
            self.misses += 1
            return None
        self.hits += 1
        e = _unpack(entry, _subs(fx, sdir))
        implicit, required = e["implicit"], e["required"]
        return (
            PipRun(e["pip"], False, implicit["rc"], implicit["stderr"], implicit["installed"], e["parse"]),
            PipRun(e["pip"], True, required["rc"], required["stderr"], required["installed"], e["parse"]),
        )

    def put(self, key: str, s: Scenario, runs: tuple[PipRun, PipRun], sdir: Path, fx: Fixtures) -> None:
        self.runs[key] = entry(s, runs, sdir, fx)

    def save(self) -> None:
        """Write every run put in this session, one scenario and pip version a line."""
        rows = sorted(self.runs.items(), key=lambda kv: (kv[1]["scenario"], kv[1]["pip"], kv[0]))
        lines = [f"{json.dumps(k)}: {json.dumps(v, sort_keys=True)}" for k, v in rows]
        python = "{}.{}".format(*sys.version_info[:2])
        meta = {"format": FORMAT, "about": "tests/fidelity/pipcache.py", "python": python, "platform": sys.platform}
        head = json.dumps({**meta, "oracle": self.oracle})[:-1] + ', "runs": {\n'
        self.path.write_text(head + ",\n".join(lines) + "\n}}\n", encoding="utf-8")


def entry(s: Scenario, runs: tuple[PipRun, PipRun], sdir: Path, fx: Fixtures) -> dict[str, Any]:
    """What the file keeps of a scenario's two runs on one pip, with placeholders for the machine."""
    implicit, required = runs
    raw = {
        "scenario": s.id,
        "pip": implicit.version,
        "parse": implicit.parse,
        **{
            name: {"rc": r.rc, "stderr": r.stderr, "installed": r.installed}
            for name, r in (("implicit", implicit), ("required", required))
        },
    }
    subs = _subs(fx, sdir)
    steady = _walk(raw, lambda text: _RANDOM_RE.sub(r"\1\2*\3", text))
    packed: dict[str, Any] = _pack(steady, subs)
    assert _unpack(packed, subs) == steady, "a placeholder clash"
    return packed


def _subs(fx: Fixtures, sdir: Path | None) -> list[tuple[str, str]]:
    """(machine text, placeholder) pairs, longest first: paths, then every fixture digest."""
    pairs = [(fx.root.as_posix(), "{fixtures}"), (str(fx.root.resolve()), "{fixtures}")]
    if sdir is not None:  # the scenario's directory, and the one above it (an include may go there)
        pairs += [(str(sdir), "{scenario}"), (str(sdir.resolve()), "{scenario}")]
        pairs += [(str(sdir.parent), "{scenarios}"), (str(sdir.parent.resolve()), "{scenarios}")]
    for (project, version), art in fx.artifacts.items():
        for algo, hexd in art.digests.items():
            pairs += [
                (hexd, f"{{{project}-{version}-{algo}}}"),
                (hexd.upper(), f"{{{project}-{version}-{algo}-upper}}"),
            ]
    return sorted(dict(pairs).items(), key=lambda p: -len(p[0]))


def _walk(obj: Any, fn: Any) -> Any:
    if isinstance(obj, str):
        return fn(obj)
    if isinstance(obj, list):
        return [_walk(x, fn) for x in obj]
    if isinstance(obj, dict):
        return {k: _walk(v, fn) for k, v in obj.items()}
    return obj


def _pack(obj: Any, subs: list[tuple[str, str]]) -> Any:
    def fn(text: str) -> str:
        for real, token in subs:
            text = text.replace(real, token)
        return text

    return _walk(obj, fn)


def _unpack(obj: Any, subs: list[tuple[str, str]]) -> Any:
    back = {token: real for real, token in reversed(subs)}  # (a path and its resolved form: either will do)
    pattern = re.compile("|".join(re.escape(t) for t in back)) if back else None

    def fn(text: str) -> str:
        return pattern.sub(lambda m: back[m.group(0)], text) if pattern else text

    return _walk(obj, fn)
