"""Which indexes pip asks, per root file: ``index/_sources.py`` against real pip.

Each scenario is a requirements file (and what it includes), what pip is given (command line,
environment), and the indexes pip asks for the project, as real pip showed them: three loopback
indexes A, B and C, and ``pip download --no-deps -r file`` against them; which of them received
the request for the project's page is pip's answer. ``test_pip_agrees`` runs real pip for every
scenario (slow); ``test_pip_spot_check`` always runs it for the one that matters most (a file's
``--index-url`` beats the command line's).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import NamedTuple

import pytest

from req_hashlint import _graph
from req_hashlint._source import read_path
from req_hashlint.index import _sources
from req_hashlint.index._sources import PYPI, Sources, expand, start

from .server import IndexServer, wheel


class Scenario(NamedTuple):
    files: Mapping[str, str]  # name -> text ({A}, {B}, {C}: the indexes' URLs); the root is "req.txt"
    cli: tuple[str, ...]  # pip's (and req-hashlint's) index options
    env: Mapping[str, str]  # PIP_* and other variables
    expected: tuple[str, ...]  # the indexes asked, in pip's order (letters)


PIN = "alpha==1.0\n"
SCENARIOS: dict[str, Scenario] = {
    "cli-only": Scenario({"req.txt": PIN}, ("--index-url", "{A}"), {}, ("A",)),
    "cli-extra": Scenario({"req.txt": PIN}, ("--index-url", "{A}", "--extra-index-url", "{B}"), {}, ("A", "B")),
    "file-replaces": Scenario({"req.txt": "--index-url {B}\n" + PIN}, ("--index-url", "{A}"), {}, ("B",)),
    "file-short-i-replaces-extras": Scenario(
        {"req.txt": "-i {B}\n" + PIN}, ("--index-url", "{A}", "--extra-index-url", "{C}"), {}, ("B",)
    ),
    "extra-appends": Scenario({"req.txt": "--extra-index-url {B}\n" + PIN}, ("--index-url", "{A}"), {}, ("A", "B")),
    "replace-then-extra": Scenario(
        {"req.txt": "--index-url {B}\n--extra-index-url {C}\n" + PIN}, ("--index-url", "{A}"), {}, ("B", "C")
    ),
    "extra-then-replace": Scenario(
        {"req.txt": "--extra-index-url {C}\n--index-url {B}\n" + PIN}, ("--index-url", "{A}"), {}, ("B",)
    ),
    "one-line-extra-then-replace": Scenario(
        {"req.txt": "--extra-index-url {C} --index-url {B}\n" + PIN}, ("--index-url", "{A}"), {}, ("B", "C")
    ),
    "no-index-clears": Scenario({"req.txt": "--no-index\n" + PIN}, ("--index-url", "{A}"), {}, ()),
    "no-index-then-index": Scenario(
        {"req.txt": "--no-index\n--index-url {B}\n--extra-index-url {C}\n" + PIN}, ("--index-url", "{A}"), {}, ()
    ),
    "env-vars": Scenario(
        {"req.txt": PIN}, (), {"PIP_INDEX_URL": "{A}", "PIP_EXTRA_INDEX_URL": "{B}  {C}"}, ("A", "B", "C")
    ),
    "env-index-file-replaces": Scenario({"req.txt": "-i {B}\n" + PIN}, (), {"PIP_INDEX_URL": "{A}"}, ("B",)),
    "cli-index-env-extra": Scenario(
        {"req.txt": PIN}, ("--index-url", "{A}"), {"PIP_EXTRA_INDEX_URL": "{B}"}, ("A", "B")
    ),
    "cli-beats-env": Scenario({"req.txt": PIN}, ("--index-url", "{A}"), {"PIP_INDEX_URL": "{B}"}, ("A",)),
    "env-var-in-file": Scenario(
        {"req.txt": "--index-url ${{THE_INDEX}}\n" + PIN}, ("--index-url", "{A}"), {"THE_INDEX": "{C}"}, ("C",)
    ),
    "include-replaces-after": Scenario(
        {"req.txt": "--extra-index-url {C}\n-r inc.txt\n" + PIN, "inc.txt": "--index-url {B}\n"},
        ("--index-url", "{A}"),
        {},
        ("B",),
    ),
    "include-then-extra": Scenario(
        {"req.txt": "-r inc.txt\n--extra-index-url {C}\n" + PIN, "inc.txt": "--index-url {B}\n"},
        ("--index-url", "{A}"),
        {},
        ("B", "C"),
    ),
    "constraints-file-counts": Scenario(
        {"req.txt": "-c con.txt\n" + PIN, "con.txt": "--extra-index-url {B}\n"}, ("--index-url", "{A}"), {}, ("A", "B")
    ),
}


def fill(text: str, urls: Mapping[str, str]) -> str:
    return text.format(**urls)


@pytest.fixture
def indexes() -> Iterator[dict[str, IndexServer]]:
    servers = {k: IndexServer({"alpha": [wheel("alpha", "1.0")]}, allow_artifacts=True) for k in "ABC"}
    for s in servers.values():
        s.__enter__()
    yield servers
    for s in servers.values():
        s.__exit__(None, None, None)


def write(tmp: Path, scenario: Scenario, urls: Mapping[str, str]) -> Path:
    for name, text in scenario.files.items():
        (tmp / name).write_text(fill(text, urls))
    return tmp / "req.txt"


def ours(root: Path, scenario: Scenario, urls: Mapping[str, str]) -> Sources:
    graph = _graph.build([(str(root), "req.txt", None)], boundary=lambda p: str(root.parent), reader=read_path)
    env = {k: fill(v, urls) for k, v in scenario.env.items()}
    cli = [fill(w, urls) for w in scenario.cli]
    index_url = cli[cli.index("--index-url") + 1] if "--index-url" in cli else None
    extras = [cli[i + 1] for i, w in enumerate(cli) if w == "--extra-index-url"]
    begin = start(index_url=index_url, extra_index_urls=extras, environ=env)
    (found,) = _sources.sources(graph, begin, env).values()
    return found


def letters(urls: Mapping[str, str], found: tuple[str, ...]) -> tuple[str, ...]:
    back = {u: k for k, u in urls.items()}
    return tuple(back.get(u, u) for u in found)


def pip_asks(
    root: Path, scenario: Scenario, servers: Mapping[str, IndexServer], pip_env: Mapping[str, str]
) -> set[str]:
    urls = {k: s.url for k, s in servers.items()}
    env = {**pip_env, **{k: fill(v, urls) for k, v in scenario.env.items()}}
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--disable-pip-version-check"]
    cmd += ["-d", str(root.parent / "dl"), "-r", str(root), *(fill(w, urls) for w in scenario.cli)]
    subprocess.run(cmd, env=env, capture_output=True, timeout=120, check=False)
    return {k for k, s in servers.items() if any("/alpha/" in p for p in s.page_requests)}


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_sources_as_pip_decides(name: str, tmp_path: Path) -> None:
    scenario = SCENARIOS[name]
    urls = {k: f"http://127.0.0.1:{9000 + i}/simple/" for i, k in enumerate("ABC")}
    root = write(tmp_path, scenario, urls)
    found = ours(root, scenario, urls)
    assert letters(urls, found.indexes) == scenario.expected
    assert found.no_index == ("no-index" in name)


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_pip_agrees(name: str, tmp_path: Path, indexes: dict[str, IndexServer], pip_env: dict[str, str]) -> None:
    scenario = SCENARIOS[name]
    root = write(tmp_path, scenario, {k: s.url for k, s in indexes.items()})
    assert pip_asks(root, scenario, indexes, pip_env) == set(scenario.expected)


def test_pip_spot_check(tmp_path: Path, indexes: dict[str, IndexServer], pip_env: dict[str, str]) -> None:
    """A file's --index-url beats the command line's, in real pip and here."""
    scenario = SCENARIOS["include-then-extra"]
    urls = {k: s.url for k, s in indexes.items()}
    root = write(tmp_path, scenario, urls)
    asked = pip_asks(root, scenario, indexes, pip_env)
    assert asked == {"B", "C"}
    assert set(letters(urls, ours(root, scenario, urls).indexes)) == asked
    assert indexes["A"].page_requests == []


def test_default_is_pypi() -> None:
    assert start(environ={}) == _sources.Start(PYPI)
    assert start(config_index_url="https://c/simple/", config_extra_index_urls=["https://d/"], environ={}) == (
        _sources.Start("https://c/simple/", ("https://d/",))
    )
    # the command line beats the config, option by option; the config beats the environment
    env = {"PIP_INDEX_URL": "https://e/", "PIP_EXTRA_INDEX_URL": "https://f/ https://g/"}
    got = start(index_url="https://a/", config_extra_index_urls=["https://d/"], environ=env)
    assert got == _sources.Start("https://a/", ("https://d/",))
    assert start(config_extra_index_urls=[], environ=env).extra_index_urls == ()
    assert start(environ=env) == _sources.Start("https://e/", ("https://f/", "https://g/"))


def test_environment_find_links_and_no_index() -> None:
    got = start(environ={"PIP_FIND_LINKS": "/wheels  https://h/links/", "PIP_NO_INDEX": "yes"})
    assert got.find_links == ("/wheels", "https://h/links/") and got.no_index


def test_find_links_in_a_file(tmp_path: Path) -> None:
    urls = {"A": "https://a/simple/"}
    scenario = Scenario({"req.txt": "-f ./wheels\n--find-links=https://h/\n" + PIN}, (), {}, ())
    found = ours(write(tmp_path, scenario, urls), scenario, urls)
    assert found.find_links == ("./wheels", "https://h/") and found.indexes == (PYPI,)


@pytest.mark.parametrize(
    ("value", "env", "expected"),
    [
        ("https://${USER_X}:${TOKEN}@h/simple/", {"USER_X": "u", "TOKEN": "t"}, "https://u:t@h/simple/"),
        ("https://${TOKEN}@h/", {}, "https://${TOKEN}@h/"),  # unset: left as written
        ("https://${TOKEN}@h/", {"TOKEN": ""}, "https://${TOKEN}@h/"),  # empty: left too, as pip does
        ("https://${token}@h/", {"token": "t"}, "https://${token}@h/"),  # lower case: never expanded
        ("https://$TOKEN@h/", {"TOKEN": "t"}, "https://$TOKEN@h/"),  # only ${...}
        ("${A}${A}/x", {"A": "y"}, "yy/x"),
    ],
)
def test_expand_as_pip(value: str, env: dict[str, str], expected: str) -> None:
    assert expand(value, env) == expected


def test_expand_matches_pip_itself() -> None:
    """pip's own expand_env_variables is the oracle for ${VAR}."""
    from pip._internal.req.req_file import expand_env_variables

    env = {"A_1": "one", "B": "", "c": "three"}
    line = "--index-url https://${A_1}:${B}@${c}/${A_1}/${MISSING}/"
    saved = dict(os.environ)
    try:
        os.environ.update(env)
        ((_, theirs),) = list(expand_env_variables([(1, line)]))
    finally:
        os.environ.clear()
        os.environ.update(saved)
    assert expand(line, env) == theirs


def test_a_diamond_is_read_as_pip_reads_it(tmp_path: Path) -> None:
    """pip reads a file each time it is included: the second `-r common.txt` replaces again."""
    urls = {k: f"https://{k.lower()}/simple/" for k in "ABC"}
    files = {
        "req.txt": "-r common.txt\n--index-url {C}\n-r common.txt\n" + PIN,
        "common.txt": "--index-url {B}\n",
    }
    scenario = Scenario(files, (), {}, ())
    assert letters(urls, ours(write(tmp_path, scenario, urls), scenario, urls).indexes) == ("B",)


def test_each_root_has_its_own(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("-i https://a/simple/\n" + PIN)
    (tmp_path / "b.txt").write_text(PIN)
    graph = _graph.build(
        [(str(tmp_path / n), n, None) for n in ("a.txt", "b.txt")], boundary=lambda p: str(tmp_path), reader=read_path
    )
    found = _sources.sources(graph, start(environ={}), {})
    assert sorted(s.indexes for s in found.values()) == [("https://a/simple/",), (PYPI,)]


# -- the plan: what the run asks, grouped by index list --------------------------------------


def _graph_of(tmp_path: Path, files: Mapping[str, str], roots: tuple[str, ...]) -> _graph.Graph:
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    return _graph.build(
        [(str(tmp_path / n), n, None) for n in roots], boundary=lambda p: str(tmp_path), reader=read_path
    )


def test_plan_groups_pinned_projects_by_index_list(tmp_path: Path) -> None:
    files = {
        "a.txt": "-i https://u:s3cr3t@a.example/simple/\nAlpha==1.0\nbeta===2.0\ngamma>=1\n-e ./local\n-r common.txt\n",
        "b.txt": "-r common.txt\ndelta==1.*\n",
        "c.txt": "-i https://u:s3cr3t@a.example/simple/\nzeta==3\n",
        "common.txt": "Epsilon_X==4 ; python_version >= '3'\nurl @ https://x.example/u-1.0.tar.gz\n",
    }
    graph = _graph_of(tmp_path, files, ("a.txt", "b.txt", "c.txt"))
    got = _sources.plan(graph, start(environ={}), {})
    private = ("https://u:s3cr3t@a.example/simple/",)
    assert got.wanted == {private: {"alpha", "beta", "epsilon-x", "zeta"}, (PYPI,): {"epsilon-x"}}
    assert sorted(got.keys.values()) == ["indexes-1", "indexes-2"]
    assert all("s3cr3t" not in k and "example" not in k for k in got.keys.values())  # opaque keys
    roots = {graph.nodes[graph.members[r][0]].display: k for r, k in got.source_of.items()}
    assert roots["a.txt"] == roots["c.txt"] == got.keys[private] and roots["b.txt"] == got.keys[(PYPI,)]
    assert got.unverifiable == {}


def test_plan_find_links_and_no_index_are_not_verifiable(tmp_path: Path) -> None:
    from req_hashlint.index._model import Cause

    files = {
        "fl.txt": "--find-links https://u:s3cr3t-fl@w.example/wheels/\nalpha==1.0\n",
        "none.txt": "--no-index\nbeta==1.0\n",
        "plain.txt": "gamma==1.0\n",
    }
    graph = _graph_of(tmp_path, files, ("fl.txt", "none.txt", "plain.txt"))
    got = _sources.plan(graph, start(environ={}), {})
    assert got.wanted == {(PYPI,): {"gamma"}}
    causes = {cause: (detail, projects) for cause, detail, projects in got.unverifiable.values()}
    detail, projects = causes[Cause.FIND_LINKS]
    assert projects == {"alpha"} and detail == "https://u:****@w.example/wheels/"
    assert "s3cr3t" not in detail
    assert causes[Cause.NO_INDEX][1] == {"beta"}
    assert set(got.source_of.values()) == {*got.unverifiable, *got.keys.values()}
    # pip's environment counts, and the message says where the location came from
    env = {"PIP_FIND_LINKS": "/opt/wheels"}
    got = _sources.plan(graph, start(environ=env), env)
    assert got.wanted == {} and {d for _, d, _ in got.unverifiable.values()} == {
        "/opt/wheels from PIP_FIND_LINKS, https://u:****@w.example/wheels/",
        "/opt/wheels from PIP_FIND_LINKS",
    }
