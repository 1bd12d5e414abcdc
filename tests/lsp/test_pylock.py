"""A pylock.toml buffer (PEP 751) gets its diagnostics through the same entry point as a requirements
file. Skipped until the pylock.toml support (issue 16) is in the package."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

if importlib.util.find_spec("req_hashlint._pylock") is None:
    pytest.skip("no pylock.toml support in this build (issue 16)", allow_module_level=True)

from tests.conftest import H1, H2
from tests.lsp.test_server import client, codes, diagnostics, open_doc

__all__ = ["client"]
pytestmark = pytest.mark.asyncio(loop_scope="function")

LOCK = f"""lock-version = "1.0"
created-by = "uv"

[[packages]]
name = "a"
version = "1.0"
wheels = [{{ url = "https://x.invalid/a-1.0-py3-none-any.whl", hashes = {{ sha256 = "{H1}" }} }}]

[[packages]]
name = "b"
version = "1.0"
wheels = [{{ url = "https://x.invalid/b-1.0-py3-none-any.whl", hashes = {{}} }}]
"""


async def test_pylock_buffer_diagnostics(client, repo: Path) -> None:  # type: ignore[no-untyped-def]
    uri = open_doc(client, repo / "pylock.toml", LOCK)
    found = await diagnostics(client, uri)
    assert codes(found) == [("RH002", 12)]  # b's empty hashes table, on the unsaved text
    (rh002,) = found
    assert rh002.range.start.character == LOCK.split("\n")[11].index("{}")
    uri2 = open_doc(client, repo / "pylock.dev.toml", LOCK.replace("hashes = {}", f'hashes = {{ sha256 = "{H2}" }}'))
    assert codes(await diagnostics(client, uri2)) == []  # no RH011 "not a requirements file" on a lock
