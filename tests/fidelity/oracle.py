"""Real pip as the oracle: one venv per pip version, workers that run it in parallel.

pip always runs isolated from this machine's configuration: ``PIP_CONFIG_FILE=/dev/null``,
no ``PIP_*`` variable, ``--isolated``, no cache, ``--no-index --find-links DIR``. The pip of
the test environment (26.3, pinned in ``requirements-dev.txt``) is used as it is; other
versions get a venv of their own, created once per session from a hashed pin
(``tests/fidelity/pip-VERSION.txt``) and reused by every test of the session.
"""

from __future__ import annotations

import json
import os
import queue
import re
import subprocess
import sys
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .scenarios import Intent

HERE = Path(__file__).parent
WORKER = HERE / "_worker.py"
CURRENT = "26.3"  # the pip pinned in requirements-dev.txt
OLD = "23.3.2"  # the last pip before lowercased digests (24.2) and re-pinned hashed ranges (26.1)


# What pip runs with, over this environment without any PIP_* variable.
PIP_ENV = {
    "PIP_CONFIG_FILE": os.devnull,
    "PYTHONDONTWRITEBYTECODE": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
    "REQ_HASHLINT_FIDELITY_ALGO": "sha256",  # hand.ENV_ALGO: pip expands ${VAR} in --hash
}


def isolated_env() -> dict[str, str]:
    """This environment without any pip configuration."""
    return {**{k: v for k, v in os.environ.items() if not k.startswith("PIP_")}, **PIP_ENV}


def pip_version(python: str) -> str:
    out = subprocess.run(
        [python, "-c", "import pip; print(pip.__version__)"],
        env=isolated_env(),
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip()


def python_for(version: str, cache: Path) -> str:
    """An interpreter whose ``pip`` is ``version``: this one, or a venv made once in ``cache``."""
    import fcntl  # POSIX, like the fork-server below: the pip-running tests need both

    if pip_version(sys.executable) == version:
        return sys.executable
    cache.mkdir(parents=True, exist_ok=True)
    venv = cache / f"pip-{version}"
    python = venv / "bin" / "python"
    done = venv / ".ready"
    with (cache / f"pip-{version}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # xdist workers share the cache
        if not done.exists():
            pin = HERE / f"pip-{version}.txt"
            subprocess.run([sys.executable, "-m", "venv", "--clear", "--without-pip", str(venv)], check=True)
            # The machine's own pip configuration (its index) is used for this one download.
            install = ["install", "-q", "--no-deps", "--require-hashes", "-r", str(pin)]
            subprocess.run([sys.executable, "-m", "pip", "--python", str(python), *install], check=True)
            assert pip_version(str(python)) == version
            done.touch()
    return str(python)


@dataclass(frozen=True)
class Job:
    """``pip <args>`` in ``cwd``; then, with ``parse``, pip's own parse of that file to ``parse_out``."""

    id: str
    cwd: Path
    stdout: Path
    stderr: Path
    args: tuple[str, ...]
    parse: Path | None = None
    parse_out: Path | None = None

    def payload(self) -> str:
        data: dict[str, object] = {
            "id": self.id,
            "cwd": str(self.cwd),
            "stdout": str(self.stdout),
            "stderr": str(self.stderr),
            "args": list(self.args),
        }
        if self.parse is not None:
            data["parse"] = str(self.parse)
            data["parse_out"] = str(self.parse_out)
        return json.dumps(data) + "\n"


class Oracle:
    """``size`` worker processes of one pip version; ``run_all`` spreads jobs over them."""

    def __init__(self, python: str, version: str, size: int) -> None:
        self.python = python
        self.version = version
        self.size = size
        self._idle: queue.Queue[subprocess.Popen[str]] = queue.Queue()
        self._all: list[subprocess.Popen[str]] = []
        self.seconds: dict[str, float] = {}  # job id -> how long pip took
        for _ in range(size):
            proc = subprocess.Popen(
                [python, str(WORKER)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                env=isolated_env(),
                text=True,
            )
            assert proc.stdout is not None
            ready = proc.stdout.readline()
            if not ready:
                raise RuntimeError(f"the pip {version} worker did not start ({python})")
            self._all.append(proc)
            self._idle.put(proc)

    def run(self, job: Job) -> int:
        proc = self._idle.get()
        try:
            assert proc.stdin is not None and proc.stdout is not None
            proc.stdin.write(job.payload())
            proc.stdin.flush()
            answer = json.loads(proc.stdout.readline())
            assert answer["id"] == job.id
            self.seconds[job.id] = answer["seconds"]
            rc: int = answer["rc"]
            return rc
        finally:
            self._idle.put(proc)

    def run_all(self, jobs: Iterable[Job]) -> Iterator[tuple[Job, int]]:
        with ThreadPoolExecutor(self.size) as pool:
            todo = list(jobs)
            yield from zip(todo, pool.map(self.run, todo), strict=True)

    def close(self) -> None:
        for proc in self._all:
            assert proc.stdin is not None
            proc.stdin.close()
        for proc in self._all:
            proc.wait(timeout=30)

    def __enter__(self) -> Oracle:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def install_args(report: Path, find_links: Path, file: Path, *, require_hashes: bool) -> tuple[str, ...]:
    """The oracle command: a dry-run install of ``file``, offline, with a JSON report."""
    args = [
        "--isolated",
        "--no-cache-dir",
        "--disable-pip-version-check",
        "--no-input",
        "install",
        "--dry-run",
        "--ignore-installed",
        "--report",
        str(report),
        "--no-index",
        "--find-links",
        str(find_links),
        "-r",
        str(file),
    ]
    if require_hashes:
        args.append("--require-hashes")
    return tuple(args)


# -- what pip did ---------------------------------------------------------------------


@dataclass(frozen=True)
class Event:
    """One thing pip did wrong (or was made to do wrong) in a run; see mapping.OUTCOMES."""

    kind: str
    where: tuple[int, ...] = ()  # indices of the intents it concerns; () for the whole install
    detail: str = ""


@dataclass(frozen=True)
class PipRun:
    """What ``classify`` reads of one pip run (and all that the cache of pip's runs keeps)."""

    version: str
    require_hashes: bool
    rc: int
    stderr: str
    installed: dict[str, bool] | None  # the report's installs (normalized name: requested); None: no report
    parse: dict[str, Any]  # pip's own parse of the file (_worker._parse)


def installed(report: dict[str, Any]) -> dict[str, bool]:
    """From ``--report``: each project pip would install, and whether it was requested."""
    return {_norm(i["metadata"]["name"]): bool(i.get("requested")) for i in report["install"]}


_FAILURES = (
    ("HashMismatch", "THESE PACKAGES DO NOT MATCH THE HASHES"),
    ("HashMissing", "Hashes are required in --require-hashes mode, but they are missing"),
    ("HashUnpinned", "all requirements must have their versions pinned with =="),
    ("VcsHashUnsupported", "we don't have a way to hash version control repositories"),
    ("DirectoryUrlHashUnsupported", "because they point to directories"),
    ("editable-refused", "cannot be installed when requiring hashes, because there is no single file to hash"),
    ("include-error", "Could not open requirements file"),
    ("include-error", "recursively references itself"),
    ("include-error", "RecursionError"),
    ("conflict", "ResolutionImpossible"),
    ("unreadable", "UnicodeDecodeError"),
    # pip < 25.3 accepts --global-option / --build-option and gives up binaries for them
    ("build-option", "due to the presence of --build-option / --global-option"),
    ("parse-error", "Invalid requirement"),
    ("parse-error", "no such option"),
    ("parse-error", "option requires"),
    ("parse-error", "requires 1 argument"),
    ("parse-error", "Allowed hash algorithms for --hash"),
    ("parse-error", "Arguments to --hash must be a hash name"),
    ("parse-error", "is not a valid editable requirement"),
    ("parse-error", "Invalid URL"),
    ("parse-error", "invalid-egg-fragment"),  # pip >= 25.0: an #egg= that is not a project name
)
FAILURES = frozenset(kind for kind, _ in _FAILURES) | {"other-failure"}
HASH_FAILURES = frozenset(
    {
        "HashMismatch",
        "HashMissing",
        "HashUnpinned",
        "VcsHashUnsupported",
        "DirectoryUrlHashUnsupported",
        "editable-refused",
    }
)


def _is(kind: str, line: str) -> bool:
    return any(needle in line for k, needle in _FAILURES if k == kind)


_ITEM_RE = re.compile(r"^ {4}(\S.*?)(?: from \S+)?(?: \(from (.*)\))?:?$")
_NAME_RE = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)")
_FROM_LINE_RE = re.compile(r"^-[rc] (.+) \(line (\d+)\)$")
_IGNORED_RE = re.compile(r"(\S+) line (\d+) has --hash but no requirement")


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def classify(run: PipRun, intents: list[Intent], root: Path) -> list[Event]:
    """pip's outcome against the author's intent: an empty list means pip did what was meant."""
    events: list[Event] = []
    by_name: dict[str, list[int]] = {}
    for i, it in enumerate(intents):
        by_name.setdefault(it.name, []).append(i)
    parsed = [r for r in run.parse.get("requirements", []) if "error" not in r]
    parsed_names = {r.get("name") for r in parsed if not r["constraint"]}

    def at(file: str, line: int) -> tuple[int, ...]:
        rel = _rel(file, root)
        return tuple(i for i, it in enumerate(intents) if it.file == rel and it.first <= line <= it.last)

    if run.rc != 0:
        kinds = [kind for kind, needle in _FAILURES if needle in run.stderr]
        if not kinds:
            tail = " / ".join(ln.strip() for ln in run.stderr.splitlines() if ln.strip())[-400:]
            return [Event("other-failure", (), tail)]
        kind = kinds[0]
        if kind in HASH_FAILURES:
            found = list(_hash_failure(kind, run.stderr, intents, by_name, parsed_names, at))
            events.extend(found or [Event("other-failure", (), f"{kind} without a requirement named")])
        else:
            events.append(Event(kind, (), next(ln for ln in run.stderr.splitlines() if _is(kind, ln))))
    elif run.installed is not None:
        installed = run.installed
        for i, it in enumerate(intents):
            if it.constraint:
                continue
            if it.installs and not installed.get(it.name):
                events.append(Event("drop", (i,), f"{it.name} (line {it.first}) is not installed as requested"))
            wanted_elsewhere = any(intents[k].installs for k in by_name[it.name])
            if not it.installs and installed.get(it.name) and not wanted_elsewhere:
                events.append(Event("unwanted", (i,), f"{it.name} is installed although its marker is false"))
        hash_mode = run.require_hashes or run.parse.get("require_hashes") or any(r["has_hash_options"] for r in parsed)
        if not hash_mode and any(it.hashes for it in intents) and "error" not in run.parse:
            events.append(Event("unverified", (), "installed with hash checking off, though the files list hashes"))
    for m in _IGNORED_RE.finditer(run.stderr):
        events.append(Event("hash-ignored", at(m.group(1), int(m.group(2))), m.group(0)))
    if "error" not in run.parse:
        events.extend(_parse_events(intents, parsed, root))
    return _dedupe(events)


def _hash_failure(
    kind: str,
    stderr: str,
    intents: list[Intent],
    by_name: dict[str, list[int]],
    parsed_names: set[str | None],
    at: Callable[[str, int], tuple[int, ...]],
) -> Iterator[Event]:
    lines = stderr.splitlines()
    start = next(i for i, ln in enumerate(lines) if _is(kind, ln))
    items = []
    if kind == "editable-refused":  # one line: "The editable requirement X (from -r F (line N)) cannot ..."
        m = re.search(r"requirement (.*?) \((from .*?\))\) cannot", lines[start])
        items = [f"    {m.group(1)} ({m.group(2)})"] if m else []
    for ln in lines[start + 1 :]:
        if ln.startswith("ERROR"):
            break
        if ln.startswith("    ") and not ln.startswith("        "):
            items.append(ln)
    for ln in items:
        m = _ITEM_RE.match(ln)
        if not m:
            continue
        item, origin = m.group(1), m.group(2) or ""
        nm = _NAME_RE.match(item.split(" @ ", 1)[0])
        name = _norm(nm.group(1)) if nm and "://" not in item.split(" ", 1)[0] else ""
        head, _, tail = origin.rpartition("->")
        own = _NAME_RE.match(head)
        if head and own and _norm(own.group(1)) == name:
            origin = tail  # `delta[fast]==1.0->-r F (line N)`: the file's own requirement, with extras
        fm = _FROM_LINE_RE.match(origin)
        constrained = tuple(i for i in by_name.get(name, ()) if intents[i].constraint)  # their hashes apply too
        if fm:
            yield Event(kind, at(fm.group(1), int(fm.group(2))) + constrained, item)
        elif "->" in origin or (kind == "HashMissing" and name and name not in parsed_names):
            # pip fails on a dependency: the file's own requirement for it was dropped
            if name in by_name:
                yield Event("drop", tuple(by_name[name]), f"{kind} on {item} as a dependency ({origin})")
            else:
                yield Event("other-failure", (), f"{kind} on a dependency not in the lock: {item}")
        else:
            mine = tuple(i for i in by_name.get(name, ()) if not intents[i].constraint)
            yield Event(kind, mine + constrained, item)


def _parse_events(intents: list[Intent], parsed: list[dict[str, Any]], root: Path) -> Iterator[Event]:
    """What pip's own parser made of each written requirement (matched by file and name, in order)."""
    pool: dict[str, list[dict[str, Any]]] = {}
    for r in parsed:
        pool.setdefault(_rel(r.get("file") or "", root), []).append(r)
    for i, it in enumerate(intents):
        candidates = pool.get(it.file, [])
        r = next((c for c in candidates if c.get("name") == it.name), None)
        if r is None:  # a directory or editable: pip names it only after building it
            r = next((c for c in candidates if c.get("name") is None and c.get("line") == it.first), None)
        if r is None:
            yield Event("drop", (i,), f"pip's parse has no requirement {it.name} in {it.file}")
            continue
        candidates.remove(r)
        if it.marker and r.get("marker") is None:
            yield Event("marker-lost", (i,), f"pip's parse of {it.file}:{it.first} has no marker")
        if len(r["hashes"]) < it.hashes:
            yield Event(
                "hash-lost", (i,), f"pip's parse of {it.file}:{it.first} has {len(r['hashes'])} of {it.hashes} hashes"
            )


def _rel(file: str, root: Path) -> str:
    path = Path(file)
    if not path.is_absolute():
        path = root / path
    return Path(os.path.relpath(path.resolve(), root.resolve())).as_posix()


def _dedupe(events: list[Event]) -> list[Event]:
    seen: set[tuple[str, tuple[int, ...]]] = set()
    out = []
    for e in events:
        if (e.kind, e.where) not in seen:
            seen.add((e.kind, e.where))
            out.append(e)
    return out
