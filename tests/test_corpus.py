"""Every file of the real-world corpus (tests/data/corpus/) is linted, and its findings match.

MANIFEST.tsv's `expected` column is a first guess. Where the guess is wrong the expectation
below says so, with the reason. Counts are per (file, code) over unsuppressed findings; a few
exact anchors pin the interesting ones down. Files reached through `-r`/`-c` are linted through
the including file (their findings reported at their own paths) and on their own.
"""

from __future__ import annotations

import collections

import pytest

from req_hashlint._engine import Target, enabled_rules, lint
from req_hashlint._model import Finding, Severity

from .conftest import CORPUS

# root file (corpus-relative) -> {(file the finding is in, code): count}; "" is the root itself.
# Under the default `require-hashes = "always"`.
EXPECTED: dict[str, dict[tuple[str, str], int]] = {
    "01_pypa-gh-action-pypi-publish_runtime.txt": {("", "RH002"): 33},
    "02_RedHatInsights-rhc-worker-playbook_requirements.txt": {},
    "03_mozilla-bedrock_docs.txt": {},
    # MANIFEST: "missing-hash: all 147". One of the 147 is the `bop-toolkit-lib @ git+...` VCS
    # reference: pip cannot hash a checkout, so it is RH003, which replaces RH001/RH002
    # (rules.md). 146 RH002, and RH003 for it and the two `-e` editables.
    "04_agimus-project-happypose_pypi.txt": {("", "RH002"): 146, ("", "RH003"): 3},
    # The three editables; the `-c tools/requirements.txt` constraints carry no hashes, and
    # unhashed constraints need none (they are only bounds).
    "05_certbot-certbot/05_certbot-certbot_readthedocs.org.requirements.txt": {("", "RH003"): 3},
    "05_certbot-certbot/tools/requirements.txt": {("", "RH002"): 189},
    # MANIFEST: "unpinned: 3 bare git+https URLs; missing-hash: all 4". RH001 is about named
    # requirements' version specifiers; a VCS URL is RH003 (VcsHashUnsupported), which replaces
    # RH001/RH002. So: RH003 x3 and RH002 for `ltc-scrypt==1.0` only.
    "06_simplecrypto-powerpool_requirements-hashes.txt": {("", "RH002"): 1, ("", "RH003"): 3},
    "07_escapewindow-dephash_requirements-prod.txt": {},
    "08_aws-aws-cli_bootstrap-win-lock.txt": {},
    "09_mozilla-bedrock_docs.txt": {},
    "10_bazelbuild-rules_python_requirements_linux.txt": {},
    "11_bazelbuild-rules_python_x86_64-unknown-linux-gnu-requirements.txt": {("", "RH002"): 9},
    "12_bazelbuild-rules_python_requirements.txt": {},
    "13_pyca-cryptography_uv-requirements.txt": {},
    # MANIFEST misses one: the included file pins `ruff ==0.14.3` (its line 4) and pip reads it
    # at the `-r` line, before this file's `ruff ==0.2.0` (line 6): a conflicting pin, RH007.
    "14_tiangolo-fastapi/14_tiangolo-fastapi_requirements-tests.txt": {
        ("", "RH001"): 8,
        ("", "RH002"): 14,
        ("", "RH003"): 1,
        ("", "RH007"): 1,
        ("14_tiangolo-fastapi/requirements-docs-tests.txt", "RH001"): 1,
        ("14_tiangolo-fastapi/requirements-docs-tests.txt", "RH002"): 2,
    },
    "14_tiangolo-fastapi/requirements-docs-tests.txt": {("", "RH001"): 1, ("", "RH002"): 2},
    "15_mozilla-addons-server_ci.txt": {},
    "16_mozilla-addons-server_yara-x.txt": {},
    # MANIFEST: "missing-hash: all 62". Two of them are VCS references (`name@ git+...`): RH003
    # replaces RH002 for those.
    "17_cisagov-manage.get.gov_requirements.txt": {("", "RH002"): 60, ("", "RH003"): 2},
    "18_0-EternalJunior-0-FastApiParser_requirements.txt": {("", "RH001"): 20, ("", "RH002"): 20, ("", "RH007"): 2},
    # `--no-use-wheel` (removed in pip 10) makes pip refuse the file: RH011 at that token.
    "19_davidfaulkner12-bwauth_requirements.txt": {("", "RH011"): 1},
    "20_tomrittervg-torflow_requirements.txt": {("", "RH002"): 3, ("", "RH011"): 1},
    # 48 named requirements (all unhashed, 31 not pinned) and two `-e git+...` editables.
    "21_mangalam-research-btw_requirements.txt": {("", "RH001"): 31, ("", "RH002"): 48, ("", "RH003"): 2},
    "22_mozilla-normandy/22_mozilla-normandy_dev.txt": {},
    "22_mozilla-normandy/constraints.txt": {},
    "22_mozilla-normandy/default.txt": {},
    "23_63689265-deploy-certificate-to-aliyun_requirements.lock.txt": {},
    # Not a requirements file. `downloads` is a valid bare requirement (RH001, RH002); the three
    # `Name:<tab>URL` lines are invalid requirements (RH011). (pip itself would take the `.zip`
    # line for a missing archive path and fail at install time; a parse error is the useful
    # report.)
    "24_0-Ahmed-Tamer-0-Spam_Classification_requirements.txt": {("", "RH001"): 1, ("", "RH002"): 1, ("", "RH011"): 3},
    "25_theupdateframework-python-tuf_requirements.txt": {},
    "26_googleapis-python-storage_requirements.txt": {},
    "27_bazelbuild-rules_python_requirements_lock.txt": {},
    "28_bazelbuild-rules_python_requirements.txt": {},
}

# Under `require-hashes = "when-any"` only the files pip would run in hash mode need hashes;
# none of the unhashed files has a `--hash` anywhere, so only the non-hash problems remain.
EXPECTED_WHEN_ANY: dict[str, dict[tuple[str, str], int]] = {
    "14_tiangolo-fastapi/14_tiangolo-fastapi_requirements-tests.txt": {("", "RH007"): 1},
    "18_0-EternalJunior-0-FastApiParser_requirements.txt": {("", "RH007"): 2},
    "19_davidfaulkner12-bwauth_requirements.txt": {("", "RH011"): 1},
    "20_tomrittervg-torflow_requirements.txt": {("", "RH011"): 1},
    "24_0-Ahmed-Tamer-0-Spam_Classification_requirements.txt": {("", "RH011"): 3},
}


def _lint(rel: str, require_hashes: str = "always") -> tuple[list[Finding], int]:
    result = lint(
        [Target(str(CORPUS / rel), rel)],
        rules=enabled_rules([], []),
        boundary=lambda _p: str(CORPUS),
        require_hashes=require_hashes,
    )
    return [f for f in result.findings if not f.suppressed], result.files_checked


def _counts(rel: str, findings: list[Finding]) -> dict[tuple[str, str], int]:
    c = collections.Counter(("" if f.path == rel else f.path, f.code) for f in findings)
    return dict(c)


def _manifest() -> list[str]:
    lines = (CORPUS / "MANIFEST.tsv").read_text(encoding="utf-8").splitlines()
    assert lines[0].split("\t")[:1] == ["file"]
    return [ln.split("\t", 1)[0] for ln in lines[1:] if ln.strip()]


def test_every_corpus_file_has_an_expectation() -> None:
    on_disk = {p.relative_to(CORPUS).as_posix() for p in CORPUS.rglob("*.txt")}
    assert on_disk == set(EXPECTED)
    assert set(_manifest()) == set(EXPECTED)


@pytest.mark.parametrize("rel", sorted(EXPECTED))
def test_corpus_file(rel: str) -> None:
    findings, _ = _lint(rel)
    assert _counts(rel, findings) == EXPECTED[rel]
    for f in findings:
        assert str(CORPUS) not in f.message  # no machine path in any message
        assert f.rel_path is not None and not f.rel_path.startswith("/")


@pytest.mark.parametrize("rel", sorted(EXPECTED))
def test_corpus_file_when_any(rel: str) -> None:
    findings, _ = _lint(rel, "when-any")
    assert _counts(rel, findings) == EXPECTED_WHEN_ANY.get(rel, {})


@pytest.mark.parametrize(
    ("rel", "files"),
    [
        ("05_certbot-certbot/05_certbot-certbot_readthedocs.org.requirements.txt", 2),
        ("14_tiangolo-fastapi/14_tiangolo-fastapi_requirements-tests.txt", 2),
        ("22_mozilla-normandy/22_mozilla-normandy_dev.txt", 3),  # dev -r default -c constraints
        ("22_mozilla-normandy/default.txt", 2),
    ],
)
def test_includes_are_followed(rel: str, files: int) -> None:
    assert _lint(rel)[1] == files


def _at(findings: list[Finding], code: str) -> list[tuple[str, int, int]]:
    return [(f.path.rsplit("/", 1)[-1], f.span.line, f.span.column) for f in findings if f.code == code]


def test_fastapi_conflicting_ruff_pin_is_reported_where_pip_meets_it_second() -> None:
    findings, _ = _lint("14_tiangolo-fastapi/14_tiangolo-fastapi_requirements-tests.txt")
    assert _at(findings, "RH007") == [("14_tiangolo-fastapi_requirements-tests.txt", 6, 1)]
    (dup,) = (f for f in findings if f.code == "RH007")
    assert "ruff==0.14.3" in dup.message and "requirements-docs-tests.txt:4" in dup.message
    assert _at(findings, "RH003") == [("14_tiangolo-fastapi_requirements-tests.txt", 1, 1)]
    assert _at(findings, "RH001")[:2] == [
        ("14_tiangolo-fastapi_requirements-tests.txt", 3, 1),
        ("14_tiangolo-fastapi_requirements-tests.txt", 4, 1),
    ]


def test_identical_duplicates_are_warnings() -> None:
    findings, _ = _lint("18_0-EternalJunior-0-FastApiParser_requirements.txt")
    dups = [(f.span.line, f.project, f.severity) for f in findings if f.code == "RH007"]
    assert dups == [(6, "fastapi", Severity.WARNING), (18, "openpyxl", Severity.WARNING)]


def test_removed_pip_option_is_a_parse_error_at_the_option() -> None:
    findings, _ = _lint("19_davidfaulkner12-bwauth_requirements.txt")
    (f,) = findings
    assert (f.code, f.span.line, f.span.column, f.span.end_column) == ("RH011", 1, 1, 15)
    assert "--no-use-wheel" in f.message


def _lines(findings: list[Finding], code: str) -> list[int]:
    return [f.span.line for f in findings if f.code == code and f.span.column == 1]


def test_vcs_and_editables_are_unhashable() -> None:
    findings, _ = _lint("06_simplecrypto-powerpool_requirements-hashes.txt")
    assert _lines(findings, "RH003") == [2, 6, 8]
    assert _lines(findings, "RH002") == [4]
    findings, _ = _lint("04_agimus-project-happypose_pypi.txt")
    assert _lines(findings, "RH003") == [3, 4, 13]


def test_notes_are_parse_errors() -> None:
    findings, _ = _lint("24_0-Ahmed-Tamer-0-Spam_Classification_requirements.txt")
    assert _lines(findings, "RH011") == [2, 3, 4]
    assert _lines(findings, "RH001") == [1]


def test_continuation_into_a_comment_line_is_clean() -> None:
    # old pip-compile: the last --hash ends with `\` and the next line is `# via ...`
    for rel in ("25_theupdateframework-python-tuf_requirements.txt", "22_mozilla-normandy/constraints.txt"):
        assert _lint(rel)[0] == []
