"""RH301 hash-mismatch: no listed hash matches a file of the pinned version (PEP 440 equality)."""

from __future__ import annotations

from .conftest import LintFn, digest, hashed, page, served

SIX = page(
    "six",
    served("six-1.15.0-py2.py3-none-any.whl"),
    served("six-1.15.0.tar.gz"),
    served("six-1.16.0-py2.py3-none-any.whl"),
    served("six-1.16.0.tar.gz"),
)


def test_fires_when_no_hash_matches_and_names_the_version_they_belong_to(lint_text: LintFn) -> None:
    text = "# lock\n" + hashed("six==1.16.0", "six-1.15.0-py2.py3-none-any.whl", "six-1.15.0.tar.gz")
    r = lint_text(text, index={"six": SIX})
    assert r.at("RH301") == [(2, 1)]
    msg = r.one("RH301").message
    assert "none of its 2 hashes matches a file the index serves for 1.16.0 (2 files)" in msg
    assert "they are the hashes of 1.15.0's files" in msg and "HashMismatch" in msg
    assert r.codes() == ["RH301"]


def test_quiet_when_the_hashes_match(lint_text: LintFn) -> None:
    text = hashed("six==1.16.0", "six-1.16.0-py2.py3-none-any.whl", "six-1.16.0.tar.gz")
    assert lint_text(text, index={"six": SIX}).codes() == []


def test_one_matching_hash_is_enough(lint_text: LintFn) -> None:
    # pip accepts the wheel: the sdist's hash missing is RH306's or nothing, never RH301
    text = hashed("six==1.16.0", "six-1.16.0-py2.py3-none-any.whl")
    assert lint_text(text, index={"six": SIX}).at("RH301") == []


def test_a_hash_of_no_file_at_all_names_no_version(lint_text: LintFn) -> None:
    text = f"six==1.16.0 --hash=sha256:{'ab' * 32}\n"
    msg = lint_text(text, index={"six": SIX}).one("RH301").message
    assert "its hash matches no file the index serves for 1.16.0" in msg and "hashes of" not in msg


def test_a_served_local_version_counts_for_the_public_pin(lint_text: LintFn) -> None:
    # pip's `==1.0` admits `1.0+cpu` (PEP 440): its files' hashes are right
    torchish = page("torchish", served("torchish-1.0+cpu-py3-none-any.whl"), served("torchish-2.0-py3-none-any.whl"))
    assert (
        lint_text(hashed("torchish==1.0", "torchish-1.0+cpu-py3-none-any.whl"), index={"torchish": torchish}).codes()
        == []
    )
    r = lint_text(hashed("torchish==1.0", "torchish-2.0-py3-none-any.whl"), index={"torchish": torchish})
    assert "they are the hashes of 2.0's files" in r.one("RH301").message


def test_zero_padding_is_equal_but_arbitrary_equality_is_text(lint_text: LintFn) -> None:
    p = page("pad", served("pad-1.0.0-py3-none-any.whl"))
    assert lint_text(hashed("pad==1.0", "pad-1.0.0-py3-none-any.whl"), index={"pad": p}).codes() == []
    wrong = f"pad==1.0 --hash=sha256:{digest('other')}\n"
    assert lint_text(wrong, index={"pad": p}).at("RH301") == [(1, 1)]
    # `===1.0` is the text `1.0`: the file of 1.0.0 is not that version (RH304, not RH301)
    r = lint_text(hashed("pad===1.0", "pad-1.0.0-py3-none-any.whl"), index={"pad": p})
    assert r.codes() == ["RH304"]
    assert lint_text(hashed("pad===1.0.0", "pad-1.0.0-py3-none-any.whl"), index={"pad": p}).codes() == []


def test_an_algorithm_the_index_lacks_is_not_a_mismatch(lint_text: LintFn) -> None:
    text = f"six==1.16.0 --hash=sha512:{'ab' * 64}\n"
    r = lint_text(text, index={"six": SIX})
    assert r.at("RH301") == [] and r.at("RH903") == [(1, 1)]
    assert "sha512" in r.one("RH903").message


def test_the_same_algorithm_only_is_compared(lint_text: LintFn) -> None:
    p = page("six", served("six-1.16.0.tar.gz", algos=("sha256", "sha512")))
    ok = f"six==1.16.0 --hash=sha512:{digest('six-1.16.0.tar.gz', 'sha512')}\n"
    assert lint_text(ok, index={"six": p}).codes() == ["RH306"]
    # the sha256 digest written as sha384 matches nothing (and the index gives no sha384)
    odd = f"six==1.16.0 --hash=sha384:{'ab' * 48}\n"
    assert lint_text(odd, index={"six": p}).codes() == ["RH903"]


def test_each_line_of_one_project_gets_its_own(lint_text: LintFn) -> None:
    old = "six-1.15.0.tar.gz"
    text = hashed("six==1.16.0", old, marker="sys_platform == 'linux'") + hashed(
        "six==1.16.0", old, marker="sys_platform != 'linux'"
    )
    assert lint_text(text, index={"six": SIX}).at("RH301") == [(1, 1), (3, 1)]


def test_a_constraint_file_entry_is_judged_too(lint_text: LintFn) -> None:
    r = lint_text(
        "-c constraints.txt\nsix\n",
        files={"constraints.txt": hashed("six==1.16.0", "six-1.15.0.tar.gz")},
        index={"six": SIX},
        require_hashes="when-any",
    )
    assert r.where("RH301") == [("constraints.txt", 1, 1)]


def test_off_without_evidence(lint_text: LintFn) -> None:
    text = hashed("six==1.16.0", "six-1.15.0.tar.gz")
    assert lint_text(text).at("RH301") == []


def test_an_entry_no_target_environment_installs_is_not_judged(lint_text: LintFn) -> None:
    text = hashed("six==1.16.0", "six-1.15.0.tar.gz", marker="python_version < '3.8'")
    assert lint_text(text, index={"six": SIX}).codes() == []
    text = hashed("six==1.16.0", "six-1.15.0.tar.gz", marker="python_version < '3.11'")
    assert lint_text(text, index={"six": SIX}).codes() == ["RH301"]
