"""Tiny real distributions of made-up projects, and their real digests.

``build(root)`` writes, under ``root``:

- ``dists/``: the find-links directory. Wheels ``alpha`` 1.0 and 1.1 (both depend on
  ``beta``), ``beta`` 1.0, ``delta`` 1.0 (extra ``fast`` pulls in ``beta``), and the sdist
  ``gamma-1.0.tar.gz``, built by the tiny in-tree backend (``requires = []``), so pip
  builds its metadata offline.
- ``localproj/``: a project directory (``localproj`` 0.1), for directory and editable
  requirements.
- ``vcs/vcsproj/``: a git repository holding the project ``vcsproj`` 0.1, for ``git+file:``.

Everything is written deterministically (fixed timestamps), so the digests are stable.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import shutil
import subprocess
import tarfile
from dataclasses import dataclass, field
from pathlib import Path

from ._backend import write_wheel

ALGOS = ("sha256", "sha384", "sha512")
BACKEND = Path(__file__).with_name("_backend.py")
PYPROJECT = '[build-system]\nrequires = []\nbuild-backend = "tiny_backend"\nbackend-path = ["."]\n'
# project -> version -> (requires, extras)
WHEELS: dict[str, dict[str, tuple[list[str], dict[str, list[str]]]]] = {
    "alpha": {"1.0": (["beta"], {}), "1.1": (["beta"], {})},
    "beta": {"1.0": ([], {})},
    "delta": {"1.0": ([], {"fast": ["beta"]})},
}
SDISTS = {"gamma": "1.0"}
LOCAL = ("localproj", "0.1")
VCS = ("vcsproj", "0.1")


@dataclass(frozen=True)
class Artifact:
    project: str
    version: str
    path: Path
    digests: dict[str, str]  # algo -> lowercase hex

    @property
    def url(self) -> str:
        return self.path.as_uri()


@dataclass
class Fixtures:
    root: Path
    artifacts: dict[tuple[str, str], Artifact] = field(default_factory=dict)

    @property
    def find_links(self) -> Path:
        return self.root / "dists"

    @property
    def local_dir(self) -> Path:
        return self.root / LOCAL[0]

    @property
    def vcs_url(self) -> str:
        return f"git+{(self.root / 'vcs' / VCS[0]).as_uri()}#egg={VCS[0]}"

    def artifact(self, project: str, version: str) -> Artifact:
        return self.artifacts[(project, version)]

    def digest(self, project: str, version: str, algo: str = "sha256") -> str:
        return self.artifacts[(project, version)].digests[algo]


def digests(path: Path) -> dict[str, str]:
    """sha256, sha384, sha512 (and md5, for the weak-fragment case) of a file."""
    data = path.read_bytes()
    return {algo: hashlib.new(algo, data).hexdigest() for algo in (*ALGOS, "md5")}


def _project_files(name: str, version: str) -> dict[str, str]:
    return {
        "pyproject.toml": PYPROJECT,
        "tiny.json": json.dumps({"name": name, "version": version, "requires": []}) + "\n",
        "tiny_backend.py": BACKEND.read_text(),
    }


def _write_project(directory: Path, name: str, version: str) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    for rel, text in _project_files(name, version).items():
        (directory / rel).write_text(text)


def _write_sdist(directory: Path, name: str, version: str) -> Path:
    top = f"{name}-{version}"
    files = _project_files(name, version)
    files["PKG-INFO"] = f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n"
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tf:
        for rel, text in sorted(files.items()):
            data = text.encode()
            info = tarfile.TarInfo(f"{top}/{rel}")
            info.size, info.mtime, info.mode = len(data), 1577836800, 0o644
            tf.addfile(info, io.BytesIO(data))
    path = directory / f"{top}.tar.gz"
    with path.open("wb") as fh, gzip.GzipFile(filename="", fileobj=fh, mode="wb", mtime=0) as gz:
        gz.write(raw.getvalue())
    return path


def _git(cwd: Path, *args: str) -> None:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(cwd),
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.invalid",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.invalid",
        "GIT_AUTHOR_DATE": "2020-01-01T00:00:00Z",
        "GIT_COMMITTER_DATE": "2020-01-01T00:00:00Z",
    }
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)


def build(root: Path) -> Fixtures:
    """Write every fixture under ``root`` (created if needed) and return their digests."""
    fx = Fixtures(root)
    dists = fx.find_links
    if dists.exists():
        shutil.rmtree(dists)
    dists.mkdir(parents=True)
    for project, versions in WHEELS.items():
        for version, (requires, extras) in versions.items():
            path = dists / write_wheel(str(dists), project, version, requires, extras)
            fx.artifacts[(project, version)] = Artifact(project, version, path, digests(path))
    for project, version in SDISTS.items():
        path = _write_sdist(dists, project, version)
        fx.artifacts[(project, version)] = Artifact(project, version, path, digests(path))
    _write_project(fx.local_dir, *LOCAL)
    repo = root / "vcs" / VCS[0]
    if not (repo / ".git").exists():
        _write_project(repo, *VCS)
        _git(repo, "init", "-q", "-b", "main")
        _git(repo, "add", ".")
        _git(repo, "commit", "-q", "-m", "vcsproj 0.1")
    return fx
