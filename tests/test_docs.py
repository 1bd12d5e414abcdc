"""The docs stay true: README, CHANGELOG, CI and the rule catalogue agree with the code."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from req_hashlint._codes import module_name
from req_hashlint._diff import HISTORY_DEPTH
from req_hashlint.rules import BY_CODE, RULES, Docs
from req_hashlint.rules._base import REGENERATE

from .conftest import REPO

RULES_DIR = REPO / "req_hashlint" / "rules"

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
    """Each registered rule has its page beside its module: its title, then the four sections."""
    for rule in RULES:
        page = (RULES_DIR / f"{module_name(rule.code)}.md").read_text(encoding="utf-8")
        assert page.startswith(f"# {rule.code} {rule.name}\n\n## What it means\n\n"), rule.code
        assert page.endswith("\n") and not page.endswith("\n\n"), rule.code
        d = rule.docs
        assert rule.summary and all(section.strip() for section in d), rule.code
        assert len(d.why) > 80, rule.code
        assert rule.code != rule.name
        assert page == f"# {rule.code} {rule.name}\n\n" + "\n".join(f"## {h}\n\n{b}\n" for h, b in d.sections())


def test_the_pages_say_what_the_code_does() -> None:
    """Values the pages used to interpolate from the code, written out now: they stay the same."""
    assert f"the last {HISTORY_DEPTH} commits before the base" in BY_CODE["RH103"].docs.what
    assert f"({REGENERATE})" in BY_CODE["RH102"].docs.fix


def test_every_docs_page_is_a_registered_rules_page() -> None:
    pages = {p.name for p in RULES_DIR.glob("*.md")}
    assert pages == {f"{module_name(r.code)}.md" for r in RULES}


@pytest.mark.parametrize(
    "page",
    [
        "# RH0 x\n\n## What it means\n\na\n\n## Why it happens\n\nb\n\n## Example\n\nd\n",  # one missing
        "# RH0 x\n\n## Why it happens\n\nb\n\n## What it means\n\na\n\n## How to fix it\n\nc\n\n## Example\n\nd\n",
        "# RH0 x\n\n## What it means\n\na\n\n## Why it happens\n\nb\n\n## How to fix it\n\nc\n\n## Example\n\nd\n"
        "## Notes\n\ne\n",  # one too many
        "",
    ],
)
def test_a_docs_page_without_its_four_sections_is_refused(page: str) -> None:
    with pytest.raises(ValueError, match="What it means, Why it happens, How to fix it, Example"):
        Docs.parse(page)


def test_a_docs_page_is_parsed_into_its_sections() -> None:
    page = "# RH0 x\n\n## What it means\n\na\n\nb\n\n## Why it happens\nc\n## How to fix it\n\n## Example\n\n```\n# d\n```\n"
    assert Docs.parse(page) == Docs("a\n\nb", "c", "", "```\n# d\n```")


# Runs the tool in a fresh interpreter and prints which docs pages it opened.
_OPENED_PAGES = """
import sys
opened = []
sys.addaudithook(lambda event, args: opened.append(str(args[0])) if event == "open" and str(args[0]).endswith(".md") else None)
from req_hashlint._cli import main
main(sys.argv[1:])
print("PAGES", len(opened))
"""


@pytest.mark.parametrize(("fmt", "reads_docs"), [("text", False), ("json", False), ("github", False), ("sarif", True)])
def test_docs_pages_are_read_only_when_shown(tmp_path: Path, fmt: str, reads_docs: bool) -> None:
    """A default run never opens the pages; SARIF carries every rule's docs, so it reads them all."""
    (tmp_path / "requirements.txt").write_text("six==1.16.0\n", encoding="utf-8")
    args = ["--no-base", "--format", fmt, "requirements.txt"]
    result = subprocess.run(
        [sys.executable, "-c", _OPENED_PAGES, *args], cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert result.stdout.splitlines()[-1] == f"PAGES {len(RULES) if reads_docs else 0}", result.stderr


def test_the_wheel_ships_every_docs_page(tmp_path: Path) -> None:
    """package-data carries the pages: build a wheel (from a copy: nothing written into the
    repository) and find every rule's page in it."""
    src = tmp_path / "src"
    shutil.copytree(REPO / "req_hashlint", src / "req_hashlint", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, src / name)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(src),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = tmp_path.glob("req_hashlint-*.whl")
    with zipfile.ZipFile(wheel) as zf:
        shipped = {n for n in zf.namelist() if n.endswith(".md")}
        assert shipped == {f"req_hashlint/rules/{module_name(r.code)}.md" for r in RULES}
        for rule in RULES:
            page = zf.read(f"req_hashlint/rules/{module_name(rule.code)}.md").decode("utf-8")
            assert Docs.parse(page) == rule.docs, rule.code


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
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    ids = re.findall(r"^- id: (\S+)$", text, re.M)
    assert ids == ["req-hashlint", "req-hashlint-fix"]
    for hook in ids:  # every hook id is documented
        assert f"id: {hook}\n" in readme, hook


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
