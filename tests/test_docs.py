"""The docs stay true: README, CHANGELOG, CI and the rule catalogue agree with the code."""

from __future__ import annotations

import os
import re

from req_hashlint.rules import RULES

from .conftest import REPO

# REQ_HASHLINT_UPDATE_GOLDEN=1 rewrites the README's rule table and the "Rule by rule" section of
# docs/rules.md from the registry, as it does the reporters' goldens.
UPDATE = os.environ.get("REQ_HASHLINT_UPDATE_GOLDEN") == "1"
ROW = re.compile(r"^\| (RH\d{3}) \| ([a-z-]+) \| (error|warning|note) \|", re.M)


def github_slug(heading: str) -> str:
    """The anchor GitHub gives a Markdown heading."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def heading_anchors(markdown: str) -> set[str]:
    return {github_slug(m.group(1)) for m in re.finditer(r"^#{1,6} (.+)$", markdown, re.M)}


def test_readme_test_command_is_what_ci_runs() -> None:
    ci = (REPO / ".ci" / "run").read_text()
    m = re.search(r"^TEST_CMD='(.+)'$", ci, re.M)
    assert m, "CI defines TEST_CMD"
    assert m.group(1) in (REPO / "README.md").read_text()


def test_every_rule_is_in_the_readme_and_changelog() -> None:
    readme = (REPO / "README.md").read_text()
    changelog = (REPO / "CHANGELOG.md").read_text()
    for rule in RULES:
        assert f"| {rule.code} | {rule.name} | {rule.severity.label} |" in readme, rule.code
        assert rule.code in changelog, rule.code


def test_catalogue_matches_the_design_contract() -> None:
    """Codes, names and default severities are the public contract in rules.md."""
    text = (REPO / "docs" / "rules.md").read_text()
    contract = {
        m.group(1): (m.group(2), m.group(3))
        for m in re.finditer(r"^\| (RH\d{3}) \| ([a-z-]+) \| (error|warning|note) \|", text, re.M)
    }
    ours = {r.code: (r.name, r.severity.label) for r in RULES}
    for code, (name, severity) in ours.items():
        assert contract.get(code) == (name, severity), code


def test_every_rule_has_complete_docs() -> None:
    for rule in RULES:
        d = rule.docs
        assert rule.summary and d.what and d.why and d.fix and d.example, rule.code
        assert len(d.why) > 80, rule.code
        assert rule.code != rule.name


def test_precommit_hook_manifest() -> None:
    text = (REPO / ".pre-commit-hooks.yaml").read_text()
    for needle in (
        "id: req-hashlint",
        "language: python",
        "entry: req-hashlint",
        r"files: (requirements|constraints).*\.txt$",
        "require_serial: true",
        "minimum_pre_commit_version:",
    ):
        assert needle in text


def test_every_rule_has_a_heading_in_the_catalogue() -> None:
    """SARIF's helpUri points at `### RH001 unpinned-requirement`; each heading matches its row."""
    text = (REPO / "docs" / "rules.md").read_text(encoding="utf-8")
    rows = {
        m.group(1): (m.group(2), m.group(3))
        for m in re.finditer(r"^\| (RH\d{3}) \| ([a-z-]+) \| (error|warning|note) \|", text, re.M)
    }
    headings = {
        m.group(1): (m.group(2), m.group(3))
        for m in re.finditer(r"^### (RH\d{3}) ([a-z-]+)\n\nDefault severity: (error|warning|note)\.", text, re.M)
    }
    assert headings == {code: rows[code] for code in headings}  # each heading agrees with its row
    anchors = heading_anchors(text)
    for rule in RULES:
        assert f"{rule.code.lower()}-{rule.name}" in anchors, rule.code
    for target in re.findall(r"\]\(#([^)]+)\)", text):  # the page's own links land
        assert target in anchors, target


def test_github_slug() -> None:
    assert github_slug("RH001 unpinned-requirement") == "rh001-unpinned-requirement"
    assert github_slug("Index rules (RH3xx): only with `--index`; the index's own") == (
        "index-rules-rh3xx-only-with---index-the-indexs-own"
    )


def test_the_tool_passes_on_its_own_repository() -> None:
    """The Quick start's first command (and .ci/run, and the self-lint workflow) lint this repository."""
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "req_hashlint", "--no-base"], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr
    assert "python -m pip install . && python -m req_hashlint\n" in (REPO / "README.md").read_text()


def readme_rule_table() -> str:
    assert all("|" not in r.summary for r in RULES)
    rows = [f"| {r.code} | {r.name} | {r.severity.label} | {r.summary} |" for r in RULES]
    return "\n".join(["| code | name | default | what fires it |", "| --- | --- | --- | --- |", *rows]) + "\n"


def rule_by_rule(catalogue: str) -> str:
    """One heading per code of the contract tables: the registry's docs for each rule the tool
    has, a pointer to its row for a code that is reserved (planned)."""
    docs = {r.code: r for r in RULES}
    out: list[str] = []
    group = ""
    for line in catalogue.splitlines():
        if line.startswith("## "):
            group = line[3:]
        m = ROW.match(line)
        if m is None:
            continue
        code, name, severity = m.groups()
        where = f"[{group.split(':')[0]}](#{github_slug(group)})"
        rule = docs.get(code)
        if rule is None:
            out.append(
                f"### {code} {name}\n\nDefault severity: {severity}. Planned; what fires it: its row under {where}.\n"
            )
            continue
        d = rule.docs
        out.append(
            f"### {code} {name}\n\nDefault severity: {severity}. {rule.summary} Its row: {where}.\n\n"
            f"**What it means.** {d.what}\n\n**Why it happens.** {d.why}\n\n**How to fix it.** {d.fix}\n\n"
            f"**Example.**\n\n{d.example}\n"
        )
    return "\n".join(out)


def _check_generated(path: str, old: str, new: str) -> None:
    if UPDATE and new != old:
        (REPO / path).write_text(new, encoding="utf-8")
        return
    assert new == old, f"{path} differs from the registry; rerun with REQ_HASHLINT_UPDATE_GOLDEN=1"


def test_readme_rule_table_is_the_registry() -> None:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    m = re.search(r"^## Rules\n\n((?:\|.*\n)+)", text, re.M)
    assert m, "README has a `## Rules` table"
    _check_generated("README.md", text, text[: m.start(1)] + readme_rule_table() + text[m.end(1) :])


def test_rule_by_rule_section_is_the_registry() -> None:
    """docs/rules.md's `### RH001 unpinned-requirement` sections (SARIF's helpUri anchors) are
    generated from the registry: what, why, fix and example, as `--explain` prints them."""
    text = (REPO / "docs" / "rules.md").read_text(encoding="utf-8")
    at = text.index("\n### ", text.index("\n## Rule by rule\n"))
    _check_generated("docs/rules.md", text, text[: at + 1] + rule_by_rule(text))


def test_every_registry_rule_has_a_contract_row() -> None:
    rows = {m.group(1) for m in ROW.finditer((REPO / "docs" / "rules.md").read_text(encoding="utf-8"))}
    assert {r.code for r in RULES} <= rows
