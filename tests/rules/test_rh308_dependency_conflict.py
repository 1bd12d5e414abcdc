"""RH308 dependency-conflict: a listed pin outside a dependent's specifier."""

from __future__ import annotations

from .conftest import LintFn, hashed, page, served

APP = "app-1.0-py3-none-any.whl"
DEP = "dep-1.5-py3-none-any.whl"
INDEX = {"app": page("app", served(APP)), "dep": page("dep", served(DEP))}


def test_fires_on_the_pin_and_points_at_the_dependent(lint_text: LintFn) -> None:
    text = hashed("app==1.0", APP) + hashed("dep==1.5", DEP)
    r = lint_text(text, index=INDEX, metadata={APP: ["dep>=2,<3"], DEP: []})
    assert r.codes() == ["RH308"] and r.at("RH308") == [(3, 1)]
    f = r.one("RH308")
    assert f.message.startswith("dep==1.5 does not satisfy `dep>=2,<3`, which app==1.0 requires on all 35")
    assert "ResolutionImpossible" in f.message
    assert [(x.span.line, x.message) for x in f.related] == [(1, "app==1.0 requires `dep>=2,<3`")]


def test_a_satisfying_pin_is_quiet_and_prereleases_count_when_pinned(lint_text: LintFn) -> None:
    pre = "dep-2.0rc1-py3-none-any.whl"
    index = {**INDEX, "dep": page("dep", served(DEP), served(pre))}
    assert (
        lint_text(
            hashed("app==1.0", APP) + hashed("dep==1.5", DEP), index=index, metadata={APP: ["dep>=1"], DEP: []}
        ).codes()
        == []
    )
    text = hashed("app==1.0", APP) + hashed("dep==2.0rc1", pre)
    assert lint_text(text, index=index, metadata={APP: ["dep>=1.9"], pre: []}).codes() == []


def test_only_where_the_requirement_applies(lint_text: LintFn) -> None:
    text = hashed("app==1.0", APP) + hashed("dep==1.5", DEP)
    r = lint_text(text, index=INDEX, metadata={APP: ['dep>=2 ; python_version >= "3.13"'], DEP: []})
    assert "which app==1.0 requires on CPython 3.13-3.14 on" in r.one("RH308").message


def test_in_another_file_the_dependent_is_named_with_its_place(lint_text: LintFn) -> None:
    files = {"base.txt": hashed("app==1.0", APP)}
    r = lint_text(
        "-r base.txt\n" + hashed("dep==1.5", DEP), files=files, index=INDEX, metadata={APP: ["dep<1"], DEP: []}
    )
    f = r.one("RH308")
    assert "which app==1.0 (base.txt:1) requires" in f.message and f.related == ()
