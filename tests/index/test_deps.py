"""The Requires-Dist reader of the dependency walk, against packaging's own Requirement."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from req_hashlint.index._deps import _Walk
from req_hashlint.index._environments import default_environments

ENVS = default_environments(None)

REAL = [
    'importlib-metadata>=4.6; python_version < "3.10"',
    'colorama; platform_system == "Windows"',
    "typing_extensions>=4.1.0",
    'requests[socks] (>=2.0,<3) ; extra == "http"',
    "urllib3 @ https://example.org/urllib3-2.0-py3-none-any.whl ; python_version >= '3.8'",
    "foo (==1.*)",
    "Zope.Interface~=5.0",
    "pywin32!=226,>=223; sys_platform == 'win32' and platform_python_implementation != 'PyPy'",
    "exceptiongroup>=1.0.0rc8; python_version < '3.11'",
    "a[b,c]>=1;extra=='x'",
]
INVALID = ["foo >= ", "foo; not a marker", "-foo", "foo bar", "foo (>=1", "foo[bar>=1", "", "foo ; python_version >"]


def same(text: str) -> None:
    walk = _Walk(ENVS)
    got = walk.dep(text)
    try:
        req = Requirement(text)
    except InvalidRequirement:
        assert got is None, text
        return
    assert got is not None, text
    assert got.name == canonicalize_name(req.name) and got.written == req.name
    assert got.specifier == req.specifier
    assert got.extras == frozenset(canonicalize_name(x) for x in req.extras)
    marker = str(req.marker) if req.marker is not None else ""
    assert walk.holds(got.marker or None) == walk.holds(marker or None)


@pytest.mark.parametrize("text", REAL + INVALID)
def test_reads_as_packaging_does(text: str) -> None:
    same(text)


NAMES = st.sampled_from(["foo", "Foo.Bar", "a", "x_y-z", "zope.interface", "A1"])
SPECS = st.lists(
    st.tuples(
        st.sampled_from(["==", ">=", "<", "!=", "~=", "==="]),
        st.sampled_from(["1", "1.0", "2.0rc1", "1.*", "3.0.post1"]),
    ),
    max_size=3,
).map(lambda ss: ",".join(op + v for op, v in ss))
MARKERS = st.sampled_from(
    ["", 'python_version < "3.11"', "sys_platform == 'win32'", 'extra == "fast"', "os_name=='nt' or extra=='x'"]
)


@settings(max_examples=300, deadline=None)
@given(
    name=NAMES,
    extras=st.lists(st.sampled_from(["fast", "Socks", "a_b"]), max_size=2),
    spec=SPECS,
    paren=st.booleans(),
    marker=MARKERS,
    space=st.sampled_from(["", " ", "  "]),
)
def test_generated_requirements_read_as_packaging_reads_them(
    name: str, extras: list[str], spec: str, paren: bool, marker: str, space: str
) -> None:
    text = name + (f"[{','.join(extras)}]" if extras else "") + space
    text += f"({spec})" if paren and spec else spec
    text += f"{space};{space}{marker}" if marker else ""
    same(text)
