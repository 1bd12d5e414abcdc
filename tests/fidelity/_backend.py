"""A tiny PEP 517/660 build backend, and the wheel writer the fixtures share with it.

Copied into every fixture sdist, project directory and git repository as
``tiny_backend.py`` (``requires = []``, ``backend-path = ["."]``), so pip can build them
offline with build isolation and no setuptools. The fixture builder imports
:func:`write_wheel` from here too: one wheel format for both.

The project is described by ``tiny.json`` next to it: ``{"name", "version", "requires",
"extras"}``. Standard library only; it runs under whatever Python pip runs.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import zipfile

_EPOCH = (2020, 1, 1, 0, 0, 0)


def metadata_text(name: str, version: str, requires: list[str], extras: dict[str, list[str]]) -> str:
    lines = ["Metadata-Version: 2.1", f"Name: {name}", f"Version: {version}"]
    lines += [f"Requires-Dist: {r}" for r in requires]
    for extra, reqs in sorted(extras.items()):
        lines.append(f"Provides-Extra: {extra}")
        lines += [f'Requires-Dist: {r} ; extra == "{extra}"' for r in reqs]
    return "\n".join(lines) + "\n"


def _dist_info(name: str, version: str) -> str:
    return f"{name.replace('-', '_')}-{version}.dist-info"


def write_wheel(
    directory: str,
    name: str,
    version: str,
    requires: list[str] | None = None,
    extras: dict[str, list[str]] | None = None,
) -> str:
    """Write ``name-version-py3-none-any.whl`` (METADATA, WHEEL, RECORD); return its file name."""
    module = name.replace("-", "_")
    info = _dist_info(name, version)
    files = {
        f"{module}/__init__.py": f"__version__ = {version!r}\n",
        f"{info}/METADATA": metadata_text(name, version, requires or [], extras or {}),
        f"{info}/WHEEL": "Wheel-Version: 1.0\nGenerator: tiny_backend\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
    }
    filename = f"{module}-{version}-py3-none-any.whl"
    with open(os.path.join(directory, filename), "wb") as fh:
        fh.write(wheel_bytes(files, info))
    return filename


def wheel_bytes(files: dict[str, str], info: str) -> bytes:
    """A wheel's zip holding ``files`` (path -> text) and its ``info``/RECORD, deterministically."""
    raw = io.BytesIO()
    record = []
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as zf:
        for path, text in files.items():
            data = text.encode()
            zf.writestr(zipfile.ZipInfo(path, _EPOCH), data)
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
            record.append(f"{path},sha256={digest},{len(data)}")
        record.append(f"{info}/RECORD,,")
        zf.writestr(zipfile.ZipInfo(f"{info}/RECORD", _EPOCH), "\n".join(record) + "\n")
    return raw.getvalue()


# -- the PEP 517 / PEP 660 hooks ----------------------------------------------------------


def _project() -> dict[str, object]:
    with open("tiny.json", encoding="utf-8") as fh:
        data: dict[str, object] = json.load(fh)
    return data


def _wheel(directory: str) -> str:
    p = _project()
    return write_wheel(directory, str(p["name"]), str(p["version"]), list(p.get("requires", [])))  # type: ignore[call-overload]


def _metadata(directory: str) -> str:
    p = _project()
    info = _dist_info(str(p["name"]), str(p["version"]))
    os.makedirs(os.path.join(directory, info), exist_ok=True)
    with open(os.path.join(directory, info, "METADATA"), "w", encoding="utf-8") as fh:
        fh.write(metadata_text(str(p["name"]), str(p["version"]), list(p.get("requires", [])), {}))  # type: ignore[call-overload]
    return info


def get_requires_for_build_wheel(config_settings: object = None) -> list[str]:
    return []


def prepare_metadata_for_build_wheel(metadata_directory: str, config_settings: object = None) -> str:
    return _metadata(metadata_directory)


def build_wheel(wheel_directory: str, config_settings: object = None, metadata_directory: object = None) -> str:
    return _wheel(wheel_directory)


get_requires_for_build_editable = get_requires_for_build_wheel
prepare_metadata_for_build_editable = prepare_metadata_for_build_wheel
build_editable = build_wheel
