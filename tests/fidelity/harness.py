"""The differential: every scenario through real pip and through req-hashlint, compared.

Each scenario runs under pip twice (without and with ``--require-hashes``) and is linted
three ways, giving three comparisons per pip version:

- ``implicit``: pip without ``--require-hashes`` / req-hashlint ``require-hashes = "when-any"``
  (both switch hash checking on when a hash is present: the faithful pairing);
- ``required``: pip ``--require-hashes`` / req-hashlint ``"always"`` (the faithful pairing);
- ``implicit-always``: pip without the flag / req-hashlint's default ``"always"``, where
  req-hashlint is stricter by design (the ``always`` row of docs/stricter-than-pip.md).

The two directions, for one comparison:

1. every pip outcome (``oracle.classify``) must be matched by a finding of a rule that
   ``mapping.OUTCOMES`` lists for it;
2. every error-level finding must be explained by a pip outcome that lists its rule, or be a
   documented strictness (``mapping.stricter_rows``) for that pip version, or be
   unobservable (pip stopped on another requirement first, or on an earlier check of the same
   one, ``mapping.SHADOWS``). Unobservable findings are counted in the matrix.
"""

from __future__ import annotations

import json
import os
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from req_hashlint._model import Finding, Severity
from req_hashlint.rules import RULES, Rule

from . import oracle
from .dists import Fixtures
from .mapping import OUTCOMES, SHADOWS, Stricter, stricter_rows
from .oracle import Event, PipRun
from .pipcache import PipCache
from .scenarios import Rendered, Scenario, pip_sensitive, render

PAIRINGS = (("implicit", False, "when-any"), ("implicit-always", False, "always"), ("required", True, "always"))
PAIRING_TAGS = {"implicit-always": "implicit-mode"}


@dataclass
class Verdict:
    scenario: Scenario
    pip: str
    pairing: str
    run: PipRun
    events: list[Event]
    findings: list[Finding]
    caught: list[tuple[Event, Finding]] = field(default_factory=list)
    missed: list[Event] = field(default_factory=list)
    explained: list[tuple[Finding, str]] = field(default_factory=list)
    stricter: list[tuple[Finding, str]] = field(default_factory=list)
    unobserved: list[Finding] = field(default_factory=list)
    unexplained: list[Finding] = field(default_factory=list)

    @property
    def agrees(self) -> bool:
        return not self.missed and not self.unexplained


def lint(rendered: Rendered, sdir: Path, mode: str, rules: Sequence[Rule] = RULES) -> list[Finding]:
    """req-hashlint on the scenario's root file (its base versions given, for the diff rules)."""
    from req_hashlint._engine import Target
    from req_hashlint._engine import lint as run_lint
    from req_hashlint._lex import lex

    base = None
    if rendered.base is not None:
        base = {str(sdir / name): lex(text, name) for name, text in rendered.base.items()}
    result = run_lint(
        [Target(str(sdir / "requirements.txt"), "requirements.txt")],
        rules=rules,
        boundary=lambda _: str(sdir),
        require_hashes=mode,
        base=base,
    )
    return [f for f in result.findings if not f.suppressed]


def _intents_at(rendered: Rendered, f: Finding) -> set[int]:
    return {i for i, it in enumerate(rendered.intents) if it.file == f.path and it.first <= f.span.line <= it.last}


def _near(rendered: Rendered, f: Finding, e: Event) -> bool:
    """Is the finding about the requirement(s) the pip outcome concerns?

    It is on one of them, or on the line just before one (the `\\` that glued it to the entry
    above), or on no requirement at all (an option line, an include), or the outcome concerns
    the whole install. RH008 points at the second copy of a digest, wherever that is; a
    requirement dropped with its whole file is explained where that file is included.
    """
    if not e.where or f.code == "RH008":
        return True
    mine = _intents_at(rendered, f)
    if not mine or mine & set(e.where):
        return True
    if e.kind == "drop" and all(rendered.intents[i].file != f.path for i in e.where):
        return True  # a whole file dropped: the finding is where it is included
    return any(rendered.intents[i].file == f.path and rendered.intents[i].first == f.span.line + 1 for i in e.where)


def compare(
    s: Scenario,
    rendered: Rendered,
    run: PipRun,
    pairing: str,
    findings: list[Finding],
    rows: Sequence[Stricter],
    sdir: Path,
) -> Verdict:
    events = oracle.classify(run, rendered.intents, sdir)
    v = Verdict(s, run.version, pairing, run, events, findings)
    tags = s.all_tags() | ({PAIRING_TAGS[pairing]} if pairing in PAIRING_TAGS else set())
    for e in events:
        want = OUTCOMES[e.kind]
        hit = next(
            (f for f in findings if f.code in want and f.severity >= want[f.code] and _near(rendered, f, e)), None
        )
        if hit is None:
            v.missed.append(e)
        else:
            v.caught.append((e, hit))
    failures = [e for e in events if e.kind in oracle.FAILURES]
    for f in findings:
        if f.severity < Severity.ERROR:
            continue
        by = next((e.kind for e in events if f.code in OUTCOMES[e.kind]), None)
        if by is not None:
            v.explained.append((f, by))
            continue
        row = next((r for r in rows if r.excuses(f.code, tags, run.version)), None)
        if row is not None:
            v.stricter.append((f, row.case))
            continue
        mine = _intents_at(rendered, f)
        if failures and (
            any(not e.where for e in failures)  # pip refused the whole install
            or all(not (set(e.where) & mine) for e in failures)  # pip stopped on another requirement
            or any(f.code in SHADOWS.get(e.kind, ()) for e in failures if set(e.where) & mine)
        ):
            v.unobserved.append(f)
            continue
        v.unexplained.append(f)
    return v


def write(s: Scenario, fx: Fixtures, workdir: Path) -> tuple[Rendered, Path]:
    rendered = render(s, fx)
    sdir = workdir / s.id
    sdir.mkdir(parents=True, exist_ok=True)
    for name, text in rendered.texts.items():
        # a lone surrogate in a Raw text stands for a byte that is not UTF-8 (RH901)
        (sdir / name).write_bytes(text.encode("utf-8", "surrogateescape"))
    return rendered, sdir


def _pip_runs(orc: oracle.Oracle, items: list[tuple[Scenario, Path]], fx: Fixtures) -> dict[tuple[str, bool], PipRun]:
    jobs = []
    for s, sdir in items:
        out = sdir / f"pip-{orc.version}"
        out.mkdir(exist_ok=True)
        for flag in (False, True):
            stem = out / ("required" if flag else "implicit")
            file = sdir / "requirements.txt"
            args = oracle.install_args(stem.with_suffix(".json"), fx.find_links, file, require_hashes=flag)
            parse = {} if flag else {"parse": file, "parse_out": out / "parse.json"}
            jobs.append(
                oracle.Job(
                    f"{s.id}:{int(flag)}", fx.root, stem.with_suffix(".out"), stem.with_suffix(".err"), args, **parse
                )
            )
    rcs = {job.id: rc for job, rc in orc.run_all(jobs)}
    runs: dict[tuple[str, bool], PipRun] = {}
    for s, sdir in items:
        out = sdir / f"pip-{orc.version}"
        parse = json.loads((out / "parse.json").read_text()) if (out / "parse.json").exists() else {"error": "no parse"}
        for flag in (False, True):
            stem = out / ("required" if flag else "implicit")
            report_path = stem.with_suffix(".json")
            rc = rcs[f"{s.id}:{int(flag)}"]
            report = json.loads(report_path.read_text()) if rc == 0 and report_path.exists() else None
            installed = oracle.installed(report) if report is not None else None
            runs[(s.id, flag)] = PipRun(orc.version, flag, rc, stem.with_suffix(".err").read_text(), installed, parse)
    return runs


@dataclass
class Results:
    verdicts: list[Verdict]
    seconds: dict[str, float]  # wall time per phase


def run(
    scenarios: Sequence[Scenario],
    fx: Fixtures,
    workdir: Path,
    *,
    versions: Iterable[str] = (oracle.CURRENT, oracle.OLD),
    cache: Path,
    workers: int | None = None,
    rules: Sequence[Rule] = RULES,
    runs_cache: PipCache | None = None,
) -> Results:
    """Run every scenario on pip ``CURRENT`` (and the version-sensitive ones on the others).

    With ``runs_cache``, pip's runs are taken from it where their key matches; real pip runs the
    others, and what it says is put into the cache (``PipCache.save`` writes it).
    """
    rows = stricter_rows()
    written = {s.id: write(s, fx, workdir) for s in scenarios}
    linted: dict[tuple[str, str], list[Finding]] = {}
    results = Results([], {})
    for version in versions:
        chosen = [s for s in scenarios if version == oracle.CURRENT or pip_sensitive(s)]
        if not chosen:
            continue
        started = time.monotonic()
        runs: dict[tuple[str, bool], PipRun] = {}
        keys = {}
        for s in chosen:
            rendered, sdir = written[s.id]
            if runs_cache is not None:
                keys[s.id] = runs_cache.key(s, rendered, version, fx)
                if (hit := runs_cache.get(keys[s.id], sdir, fx)) is not None:
                    runs[(s.id, False)], runs[(s.id, True)] = hit
        todo = [(s, written[s.id][1]) for s in chosen if (s.id, False) not in runs]
        if todo:
            python = oracle.python_for(version, cache)
            with oracle.Oracle(python, version, workers or os.cpu_count() or 2) as orc:
                runs |= _pip_runs(orc, todo, fx)
            if runs_cache is not None:
                for s, sdir in todo:
                    runs_cache.put(keys[s.id], s, (runs[(s.id, False)], runs[(s.id, True)]), sdir, fx)
        results.seconds[f"pip {version} ({len(todo)} of {len(chosen)} scenarios run)"] = time.monotonic() - started
        started = time.monotonic()
        for s in chosen:
            rendered, sdir = written[s.id]
            for pairing, flag, mode in PAIRINGS:
                if (s.id, mode) not in linted:
                    linted[(s.id, mode)] = lint(rendered, sdir, mode, rules)
                v = compare(s, rendered, runs[(s.id, flag)], pairing, linted[(s.id, mode)], rows, sdir)
                results.verdicts.append(v)
        results.seconds[f"req-hashlint and comparison, pip {version}"] = time.monotonic() - started
    return results


# -- the agreement matrix ----------------------------------------------------------------


def agreement(verdicts: Sequence[Verdict]) -> tuple[int, int]:
    return sum(v.agrees for v in verdicts), len(verdicts)


def matrix(verdicts: Sequence[Verdict], fx: Fixtures | None = None) -> str:
    """The agreement matrix, and a reproducer for every disagreement."""
    out: list[str] = []
    agreed, total = agreement(verdicts)
    scenarios = {v.scenario.id for v in verdicts}
    versions = Counter(v.pip for v in verdicts)
    out.append(
        f"fidelity: {len(scenarios)} scenarios, {total} comparisons "
        f"({', '.join(f'pip {k}: {n}' for k, n in sorted(versions.items()))}); "
        f"agreement {agreed}/{total} = {100.0 * agreed / max(total, 1):.1f}%; "
        f"{sum(bool(v.stricter) for v in verdicts)} of them rest on a documented strictness"
    )
    by_outcome: dict[str, Counter[str]] = defaultdict(Counter)
    for v in verdicts:
        if not v.events:
            by_outcome["success"]["seen"] += 1
            by_outcome["success"]["agree" if v.agrees else "disagree"] += 1
        for e, _ in v.caught:
            by_outcome[e.kind]["seen"] += 1
            by_outcome[e.kind]["agree"] += 1
        for e in v.missed:
            by_outcome[e.kind]["seen"] += 1
            by_outcome[e.kind]["disagree"] += 1
    out.append("")
    out.append(f"{'pip outcome':<28} {'seen':>6} {'agree':>6} {'missed':>6}  rules (mapping.OUTCOMES)")
    for kind in ["success", *OUTCOMES]:
        c = by_outcome.get(kind)
        if not c:
            continue
        rules = ", ".join(OUTCOMES.get(kind, {})) or "-"
        out.append(f"{kind:<28} {c['seen']:>6} {c['agree']:>6} {c['disagree']:>6}  {rules}")
    by_rule: dict[str, Counter[str]] = defaultdict(Counter)
    for v in verdicts:
        for f, _ in v.explained:
            by_rule[f.code]["explained"] += 1
        for f, _ in v.stricter:
            by_rule[f.code]["stricter"] += 1
        for f in v.unobserved:
            by_rule[f.code]["unobserved"] += 1
        for f in v.unexplained:
            by_rule[f.code]["unexplained"] += 1
    out.append("")
    out.append(f"{'rule (error findings)':<28} {'fired':>6} {'pip':>6} {'table':>6} {'hidden':>6} {'unexpl':>6}")
    for code in sorted(by_rule):
        c = by_rule[code]
        fired = sum(c.values())
        out.append(
            f"{code:<28} {fired:>6} {c['explained']:>6} {c['stricter']:>6} {c['unobserved']:>6} {c['unexplained']:>6}"
        )
    cases = Counter(case for v in verdicts for _, case in v.stricter)
    if cases:
        out.append("")
        out.append(
            "stricter on purpose (docs/stricter-than-pip.md): " + ", ".join(f"{k} {n}" for k, n in cases.most_common())
        )
    bad = [v for v in verdicts if not v.agrees]
    if bad:
        out.append("")
        out.append(f"{len(bad)} disagreements:")
        for v in bad:
            out.append(reproducer(v, fx))
    return "\n".join(out) + "\n"


def reproducer(v: Verdict, fx: Fixtures | None = None) -> str:
    s = v.scenario
    lines = [
        f"--- {s.id} ({s.about or 'hand-written'}) on pip {v.pip}, pairing {v.pairing} "
        f"(pip {'with' if v.run.require_hashes else 'without'} --require-hashes)",
        f"    pip rc={v.run.rc}; outcome: "
        + ("; ".join(f"{e.kind} {e.detail}".strip() for e in v.events) or "success"),
        "    req-hashlint: "
        + (
            "; ".join(f"{f.path}:{f.span.line}:{f.span.column}: {f.code} [{f.severity.label}]" for f in v.findings)
            or "clean"
        ),
    ]
    for e in v.missed:
        lines.append(f"    MISSED: pip {e.kind} ({e.detail}) but no {'/'.join(OUTCOMES[e.kind]) or 'rule'} finding")
    for f in v.unexplained:
        lines.append(f"    UNEXPLAINED: {f.code} at {f.path}:{f.span.line}: {f.message}")
    lines.append(
        f"    reproduce: python -m tests.fidelity run {s.id}   (show the files: python -m tests.fidelity show {s.id})"
    )
    if fx is not None:
        for name, text in render(s, fx).texts.items():
            lines.append(f"    == {name}")
            lines.extend("    | " + ln.replace(fx.root.as_posix(), "$FIXTURES") for ln in text.splitlines())
    return "\n".join(lines)
