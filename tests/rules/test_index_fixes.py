"""The fixes from the index (RH002 on a pin, RH301, RH302, RH303; RH101 in tests/index/test_fix_oracle.py):
the entry's hashes become the index's sha256 of every file of the pinned version, sorted, in the file's
own layout; nothing is guessed, and an entry pip reads otherwise than it looks is left alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from req_hashlint._fix import apply
from req_hashlint._lex import lex
from req_hashlint.rules import BY_CODE

from .conftest import Linted, LintFn, digest, hashed, page, served

A10, A10S = "alpha-1.0-py3-none-any.whl", "alpha-1.0.tar.gz"
A11, A11S = "alpha-1.1-py3-none-any.whl", "alpha-1.1.tar.gz"
ALPHA = page("alpha", *(served(f) for f in (A10, A10S, A11, A11S)))
INDEX = {"alpha": ALPHA}


def h(*files: str) -> list[str]:
    """The `--hash=` values of these files, sorted as the fix writes them."""
    return sorted(f"sha256:{digest(f)}" for f in files)


def block(pin: str, *files: str, indent: str = "    ") -> str:
    """An entry as the fix writes it: the pin, then one sorted hash per continuation line."""
    return pin + "".join(f" \\\n{indent}--hash={v}" for v in h(*files))


def fixed(text: str, linted: Linted) -> str:
    """The text after applying every fix the findings carry (as the engine does)."""
    out, _ = apply(text, [f.fix for f in linted.findings if f.fix is not None])
    return out


def test_a_stale_set_becomes_the_versions_hashes_keeping_marker_and_via(lint_text: LintFn) -> None:
    text = hashed("alpha==1.1", A10, A10S, marker="python_version >= '3.8'") + "    # via -r requirements.in\nbeta==2\n"
    linted = lint_text(text, index=INDEX, select=["RH301"])
    finding = linted.one("RH301")
    assert finding.fix is not None
    assert finding.fix.description == "set the hashes to the sha256 of the 2 files the index serves for alpha==1.1"
    out = fixed(text, linted)
    assert out == block("alpha==1.1 ; python_version >= '3.8'", A11, A11S) + "\n    # via -r requirements.in\nbeta==2\n"
    assert lint_text(out, index=INDEX, select=["RH3"]).codes() == []


def test_a_leftover_and_an_uncovered_environment_get_one_edit(lint_text: LintFn) -> None:
    """RH302 (a leftover hash of 1.0) and RH303 (Windows picks an unhashed wheel) on one entry carry
    the same fix; the engine applies it once."""
    wheels = [f"alpha-1.1-cp312-cp312-{p}.whl" for p in ("manylinux_2_17_x86_64", "win_amd64")]
    index = {"alpha": page("alpha", served(A10), *(served(w) for w in wheels))}
    text = f"alpha==1.1 --hash=sha256:{digest(wheels[0])} --hash=sha256:{digest(A10)}\n"
    linted = lint_text(text, index=index, select=["RH3"])
    assert linted.codes() == ["RH302", "RH303"]
    fixes = [f.fix for f in linted.findings]
    assert fixes[0] is not None and fixes[0] == fixes[1]
    out, applied = apply(text, [f for f in fixes if f is not None])
    assert applied == 1
    assert out == "alpha==1.1" + "".join(f" --hash={v}" for v in h(*wheels)) + "\n"  # a one-line entry stays so
    assert lint_text(out, index=index, select=["RH3"]).codes() == []


def test_the_entrys_own_layout_is_kept(lint_text: LintFn) -> None:
    text = f"alpha==1.1 \\\n        --hash=sha256:{digest(A10)}\n"
    out = fixed(text, lint_text(text, index=INDEX, select=["RH301"]))
    assert out == block("alpha==1.1", A11, A11S, indent="        ") + "\n"


def test_crlf_and_the_arbitrary_equality_pin(lint_text: LintFn) -> None:
    text = f"alpha===1.1 \\\r\n    --hash=sha256:{digest(A10)}\r\n"
    out = fixed(text, lint_text(text, index=INDEX, select=["RH301"]))
    assert out == block("alpha===1.1", A11, A11S).replace("\n", "\r\n") + "\r\n"


def test_a_pin_without_hashes_gets_them_with_the_index(lint_text: LintFn) -> None:
    text = f"alpha==1.0  # pinned\nalpha-two>=1\nbeta==1.0 \\\n  --hash=sha256:{digest('beta-1.0.tar.gz')}\n"
    index = {**INDEX, "beta": page("beta", served("beta-1.0.tar.gz"))}
    linted = lint_text(text, index=index, select=["RH002"])
    assert linted.at("RH002") == [(1, 1), (2, 1)]
    assert [f.fix is not None for f in linted.findings] == [True, False]  # `>=1`: no version to ask about
    out = fixed(text, linted)
    assert out.startswith(block("alpha==1.0", A10, A10S, indent="  ") + "  # pinned\nalpha-two>=1\n")
    # offline, no fix
    assert all(f.fix is None for f in lint_text(text, select=["RH002"]).findings)


@pytest.mark.parametrize(
    "why",
    [
        "a file without sha256",
        "a malformed sha256",
        "the version not served",
        "a glued entry",
        "a marker after hashes",
        "a dangling hash below",
    ],
)
def test_nothing_is_guessed_and_a_misread_entry_is_left_alone(why: str, lint_text: LintFn) -> None:
    index = INDEX
    text = hashed("alpha==1.1", A10)
    if why == "a file without sha256":
        index = {"alpha": page("alpha", served(A11), served(A11S, algos=("md5",)))}
        text = "alpha==1.1\n"  # RH002
    elif why == "a malformed sha256":
        bad = served(A11S)._replace(hashes={"sha256": "0 \\\n--index-url http://evil.example/"})
        index = {"alpha": page("alpha", served(A11), bad)}
        text = "alpha==1.1\n"
    elif why == "the version not served":
        text = hashed("alpha==2.0", A10)
    elif why == "a glued entry":  # a `\` after the last hash joins the next line into this entry
        text = hashed("alpha==1.1", A10).rstrip("\n") + " \\\nbeta==1.0\n"
    elif why == "a marker after hashes":
        text = f"alpha==1.1 --hash=sha256:{digest(A10)} ; python_version >= '3'\n"
    else:  # the `\` is missing: pip reads the hash line alone
        text = f"alpha==1.1 --hash=sha256:{digest(A10)}\n    --hash=sha256:{digest(A11)}\n"
    linted = lint_text(text, index=index)
    assert {f.code for f in linted.findings} & {"RH002", "RH301", "RH302", "RH303", "RH304"}, linted.findings
    mine = [f for f in linted.findings if f.code in ("RH002", "RH301", "RH302", "RH303", "RH304")]
    assert mine and all(f.fix is None for f in mine), linted.findings  # (RH005, RH006 fix a misread line first)


def test_a_neighbours_issue_does_not_block_the_fix(lint_text: LintFn) -> None:
    text = hashed("alpha==1.1", A10) + "beta==1.0 --index-url https://example.org/simple/\n"
    linted = lint_text(text, index=INDEX, select=["RH301", "RH009"])
    assert linted.codes() == ["RH009", "RH301"] and linted.one("RH301").fix is not None


def test_the_fixed_text_is_read_by_pip_as_it_looks(lint_text: LintFn) -> None:
    text = hashed("alpha==1.1", A10, A10S, marker="sys_platform != 'win32'") + hashed("gamma==1", "g.tar.gz")
    out = fixed(text, lint_text(text, index=INDEX, select=["RH301"]))
    before, after = lex(text, "r.txt"), lex(out, "r.txt")
    assert after.issues == ()
    assert [e.text for e in after.entries] == [e.text for e in before.entries]
    assert after.entries[0].hash_values == tuple(h(A11, A11S))
    assert after.entries[1].hash_values == before.entries[1].hash_values


def test_the_rules_say_they_are_fixable() -> None:
    for code in ("RH002", "RH101", "RH301", "RH302", "RH303"):
        assert BY_CODE[code].fixable, code
    assert not BY_CODE["RH304"].fixable


def test_no_fix_when_the_indexes_of_two_roots_serve_other_files(tmp_path: Path) -> None:
    """common.txt is read by two roots whose installs ask different indexes: fixed only when they agree."""
    from req_hashlint import _graph
    from req_hashlint._source import read_path
    from req_hashlint.index._model import Evidence
    from req_hashlint.rules import Context

    files = {"a.txt": "-r common.txt\n", "b.txt": "-r common.txt\n", "common.txt": hashed("alpha==1.1", A10)}
    for rel, text in files.items():
        (tmp_path / rel).write_text(text)
    other = page("alpha", served(A11), served("alpha-1.1-cp312-cp312-win_amd64.whl"))
    for second, fixed_too in ((ALPHA, True), (other, False)):
        graph = _graph.build(
            [(str(tmp_path / r), r, None) for r in ("a.txt", "b.txt")],
            boundary=lambda _p: str(tmp_path),
            reader=read_path,
        )
        roots = sorted(graph.members)
        evidence = Evidence({("I", "alpha"): ALPHA, ("J", "alpha"): second}, {roots[0]: "I", roots[1]: "J"})
        found = list(BY_CODE["RH301"].check(Context(graph, evidence=evidence)))
        assert found and all((f.fix is not None) is fixed_too for f in found), (second, found)
