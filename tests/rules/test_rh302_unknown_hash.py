"""RH302 unknown-hash: some listed hashes match the version's files, others match none."""

from __future__ import annotations

from .conftest import LintFn, digest, hashed, page, pos, served

SIX = page(
    "six",
    served("six-1.15.0.tar.gz"),
    served("six-1.16.0-py2.py3-none-any.whl"),
    served("six-1.16.0.tar.gz"),
)
GOOD = ("six-1.16.0-py2.py3-none-any.whl", "six-1.16.0.tar.gz")


def test_a_typo_beside_good_hashes_fires_at_the_hash(lint_text: LintFn) -> None:
    typo = "ab" * 32
    text = hashed("six==1.16.0", *GOOD).rstrip("\n") + f" \\\n    --hash=sha256:{typo}\n"
    r = lint_text(text, index={"six": SIX})
    assert r.codes() == ["RH302"]
    assert r.at("RH302") == [pos(text, f"--hash=sha256:{typo}")]
    msg = r.one("RH302").message
    assert "matches no file the index serves for six==1.16.0" in msg and "a typo" in msg
    assert "pip installs with the hashes that match, so this one is a leftover or a mistake" in msg


def test_another_versions_file_is_named(lint_text: LintFn) -> None:
    text = hashed("six==1.16.0", GOOD[0], "six-1.15.0.tar.gz")
    msg = lint_text(text, index={"six": SIX}).one("RH302").message
    assert "it is the hash of six-1.15.0.tar.gz, a file of 1.15.0" in msg


def test_several_unknown_hashes_one_finding_with_related_locations(lint_text: LintFn) -> None:
    text = hashed("six==1.16.0", "six-1.15.0.tar.gz", GOOD[0], "typo-1")
    r = lint_text(text, index={"six": SIX})
    f = r.one("RH302")
    assert (f.span.line, f.span.column) == pos(text, f"--hash=sha256:{digest('six-1.15.0.tar.gz')}")
    assert "(1 other hash of this line likewise)" in f.message
    assert [(x.span.line, x.span.column) for x in f.related] == [pos(text, f"--hash=sha256:{digest('typo-1')}")]


def test_quiet_when_all_match_or_none_does(lint_text: LintFn) -> None:
    assert lint_text(hashed("six==1.16.0", *GOOD), index={"six": SIX}).codes() == []
    assert lint_text(hashed("six==1.16.0", "x", "y"), index={"six": SIX}).codes() == ["RH301"]


def test_a_hash_in_an_algorithm_the_index_lacks_is_not_unknown(lint_text: LintFn) -> None:
    text = hashed("six==1.16.0", *GOOD).rstrip("\n") + f" \\\n    --hash=sha512:{'cd' * 64}\n"
    assert lint_text(text, index={"six": SIX}).codes() == []


def test_uppercase_digests_compare_as_pip_compares_them(lint_text: LintFn) -> None:
    text = f"six==1.16.0 --hash=sha256:{digest(GOOD[0]).upper()} --hash=sha256:{digest(GOOD[1])}\n"
    assert lint_text(text, index={"six": SIX}, select=["RH3"]).codes() == []


def test_the_hash_of_an_egg_or_an_installer_is_no_unknown_hash(lint_text: LintFn) -> None:
    """Older locks (pip-tools, hashin) list every file of a release, eggs and Windows installers
    too; pip skips those files, so their hashes are leftovers that do no harm, not typos."""
    old = page(
        "pyasn1",
        served("pyasn1-0.4.3-py2.py3-none-any.whl"),
        served("pyasn1-0.4.3-py2.7.egg"),
        served("pyasn1-0.4.3.win32.exe"),
        served("pyasn1-0.4.3.tar.gz"),
    )
    files = ("pyasn1-0.4.3-py2.py3-none-any.whl", "pyasn1-0.4.3-py2.7.egg", "pyasn1-0.4.3.win32.exe")
    text = hashed("pyasn1==0.4.3", *files, "pyasn1-0.4.3.tar.gz")
    assert lint_text(text, index={"pyasn1": old}).codes() == []
    typo = hashed("pyasn1==0.4.3", *files, "typo-2")  # a real typo beside them still fires
    assert lint_text(typo, index={"pyasn1": old}).codes() == ["RH302"]
