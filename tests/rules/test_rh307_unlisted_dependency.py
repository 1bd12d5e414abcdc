"""RH307 unlisted-dependency: a dependency pip would install is not listed pinned and hashed."""

from __future__ import annotations

from req_hashlint.index._model import Cause, Metadata, Unavailable

from .conftest import LintFn, hashed, page, served

APP = "app-1.0-py3-none-any.whl"
DEP = "dep-2.0-py3-none-any.whl"
WIN = "winonly-0.4-py3-none-any.whl"
INDEX = {
    "app": page("app", served(APP)),
    "dep": page("dep", served(DEP)),
    "winonly": page("winonly", served(WIN)),
}


def test_an_unlisted_dependency_fires_on_its_dependent(lint_text: LintFn) -> None:
    text = "# lock\n" + hashed("app==1.0", APP)
    r = lint_text(text, index=INDEX, metadata={APP: ["dep>=2"]})
    assert r.codes() == ["RH307"] and r.at("RH307") == [(2, 1)]
    msg = r.one("RH307").message
    assert msg.startswith("app==1.0 requires `dep>=2` on all 35 target environments, and dep is not listed")
    assert "hash-checking mode refuses it" in msg and "add dep pinned, with its hashes" in msg
    assert r.asked == (APP,)


def test_a_listed_pinned_hashed_dependency_is_quiet(lint_text: LintFn) -> None:
    text = hashed("app==1.0", APP) + hashed("dep==2.0", DEP)
    r = lint_text(text, index=INDEX, metadata={APP: ["dep>=2"], DEP: []})
    assert r.codes() == []
    assert sorted(r.asked) == [APP, DEP]


def test_a_marker_conditional_dependency_names_only_its_environments(lint_text: LintFn) -> None:
    # click's `colorama; platform_system == "Windows"`, resolved on Linux and dropped
    text = hashed("app==1.0", APP)
    r = lint_text(text, index=INDEX, metadata={APP: ['winonly ; platform_system == "Windows"']})
    msg = r.one("RH307").message
    assert "on CPython 3.10-3.14 on Windows x64, and winonly is not listed" in msg


def test_environments_without_the_platform_are_quiet(lint_text: LintFn) -> None:
    from req_hashlint.index._environments import select_environments

    envs = select_environments(["sys_platform == 'linux'"], None)
    meta = {APP: ['winonly ; platform_system == "Windows"']}
    assert lint_text(hashed("app==1.0", APP), index=INDEX, metadata=meta, environments=envs).codes() == []


def test_a_dependency_listed_for_other_platforms_only_says_so(lint_text: LintFn) -> None:
    text = hashed("app==1.0", APP) + hashed("dep==2.0", DEP, marker='sys_platform == "linux"')
    r = lint_text(text, index=INDEX, metadata={APP: ["dep"], DEP: []})
    msg = r.one("RH307").message
    assert 'and dep is listed only where `sys_platform == "linux"`' in msg
    assert "macOS" in msg and "Windows" in msg and "Linux" not in msg


def test_an_extra_pulls_in_its_dependencies(lint_text: LintFn) -> None:
    meta = {APP: ['dep ; extra == "fast"']}
    assert lint_text(hashed("app==1.0", APP), index=INDEX, metadata=meta).codes() == []
    r = lint_text(hashed("app[Fast]==1.0", APP), index=INDEX, metadata=meta)
    assert r.codes() == ["RH307"] and 'requires `dep ; extra == "fast"`' in r.one("RH307").message


def test_dependencies_of_dependencies_and_their_extras(lint_text: LintFn) -> None:
    # app needs dep[win]; dep's extra `win` needs winonly: pip installs all three
    text = hashed("app==1.0", APP) + hashed("dep==2.0", DEP)
    meta = {APP: ["dep[win]>=2"], DEP: ['winonly ; extra == "win"']}
    r = lint_text(text, index=INDEX, metadata=meta)
    assert r.codes() == ["RH307"] and r.at("RH307") == [(3, 1)]
    assert r.one("RH307").message.startswith('dep==2.0 requires `winonly ; extra == "win"`')


def test_a_constraint_pinned_and_hashed_counts_as_pip_takes_its_hashes(lint_text: LintFn) -> None:
    meta = {APP: ["dep"], DEP: []}
    files = {"c.txt": hashed("dep==2.0", DEP)}
    r = lint_text(hashed("app==1.0", APP) + "-c c.txt\n", files=files, index=INDEX, metadata=meta)
    assert r.codes() == []


def test_a_constraint_without_a_hash_does_not(lint_text: LintFn) -> None:
    meta = {APP: ["dep"], DEP: []}
    r = lint_text(hashed("app==1.0", APP) + "-c c.txt\n", files={"c.txt": "dep==2.0\n"}, index=INDEX, metadata=meta)
    assert "and dep is constrained without a hash in this install" in r.one("RH307").message


def test_a_listed_but_unpinned_dependency_is_rh001s_not_rh307s(lint_text: LintFn) -> None:
    text = hashed("app==1.0", APP) + hashed("dep>=2", DEP)
    r = lint_text(text, index=INDEX, metadata={APP: ["dep"]})
    assert "RH307" not in r.codes() and "RH001" in r.codes()


def test_each_install_is_walked_on_its_own(lint_text: LintFn) -> None:
    # dep is listed in one root file only; the lock both include is judged once per install
    files = {
        "lock.txt": hashed("app==1.0", APP),
        "a.txt": "-r lock.txt\n" + hashed("dep==2.0", DEP),
        "b.txt": "-r lock.txt\n",
    }
    r = lint_text(files=files, roots=["a.txt", "b.txt"], index=INDEX, metadata={APP: ["dep"], DEP: []})
    assert r.where("RH307") == [("lock.txt", 1, 1)]


def test_files_without_hash_mode_are_not_walked_when_hashes_are_optional(lint_text: LintFn) -> None:
    meta = {APP: ["dep"]}
    assert lint_text("app==1.0\n", index=INDEX, metadata=meta, require_hashes="when-any").codes() == []


def test_a_self_dependency_and_a_bad_requires_dist_are_ignored(lint_text: LintFn) -> None:
    meta = {APP: ["app[extra]", "not a requirement (", "dep ; python_version ~= 'x'"]}
    r = lint_text(hashed("app==1.0", APP), index=INDEX, metadata=meta)
    assert r.codes() == ["RH307"] and "`dep ; python_version ~= 'x'`" in r.one("RH307").message


def test_metadata_not_served_is_one_note_per_run(lint_text: LintFn) -> None:
    text = hashed("app==1.0", APP) + hashed("dep==2.0", DEP) + hashed("winonly==0.4", WIN)
    r = lint_text(text, index=INDEX, metadata={APP: ["dep"]})
    assert r.codes() == ["RH903"] and r.at("RH903") == [(3, 1)]
    msg = r.one("RH903").message
    assert "serves no core metadata (PEP 658) for the files pip would install of 2 projects (dep and winonly)" in msg
    assert "never downloads an artifact" in msg


def test_metadata_refused_for_its_hash_is_a_note_per_project(lint_text: LintFn) -> None:
    bad = Unavailable("app", Cause.BAD_METADATA, f"{APP}.metadata has sha256 00..., the page advertises 11...")
    r = lint_text(hashed("app==1.0", APP), index=INDEX, metadata={APP: bad})
    msg = r.one("RH903").message
    assert msg.startswith("the core metadata of app could not be had (metadata does not match its advertised hash")
    assert "dependency checks (RH307, RH308) were skipped" in msg


def test_requires_python_in_the_metadata_is_rh309(lint_text: LintFn) -> None:
    r = lint_text(hashed("app==1.0", APP), index=INDEX, metadata={APP: Metadata((), ">=3.12")})
    assert r.codes() == ["RH309"]
    assert "app==1.0 requires Python `>=3.12` (its core metadata), which excludes CPython 3.10-3.11 on" in (
        r.one("RH309").message
    )


def test_an_extra_that_asks_for_more_of_its_own_extras(lint_text: LintFn) -> None:
    # `app[all]` requires `app[fast]`, whose extra needs dep: pip installs dep
    meta = {APP: ['app[fast] ; extra == "all"', 'dep ; extra == "fast"']}
    assert lint_text(hashed("app==1.0", APP), index=INDEX, metadata=meta).codes() == []
    r = lint_text(hashed("app[all]==1.0", APP), index=INDEX, metadata=meta)
    assert r.codes() == ["RH307"] and 'requires `dep ; extra == "fast"`' in r.one("RH307").message


def test_a_dependency_installed_editable_is_rh003s_not_rh307s(lint_text: LintFn) -> None:
    text = hashed("app==1.0", APP) + "-e git+https://example.org/dep.git#egg=dep\n"
    r = lint_text(text, index=INDEX, metadata={APP: ["dep"]})
    assert "RH307" not in r.codes() and "RH003" in r.codes()
