"""``python -m tests.fidelity``: the fidelity harness by hand (``--help`` says how).

``run`` builds the fixtures in a temporary directory, runs the chosen scenarios through pip and
req-hashlint, and prints the agreement matrix; ``show`` prints scenarios' files; ``--list``
lists the scenarios. Exit codes: 0 when every verdict agrees (or for ``show``/``--list``), 1 on
a disagreement, 2 on a usage error (an unknown scenario or pip version, a bad option).
"""

from __future__ import annotations

import argparse
import fnmatch
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from .hand import HAND
from .oracle import CURRENT, OLD
from .scenarios import Scenario, generate

PIPS = (CURRENT, OLD)


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m tests.fidelity",
        description=(
            "Compare req-hashlint's verdicts with real pip's on the fidelity scenarios "
            "(hand-written for every rule, and generated from a seeded grammar)."
        ),
        epilog="Exit codes: 0 agreement (or nothing to run), 1 a disagreement, 2 a usage error.",
    )
    p.add_argument("--list", action="store_true", help="list the chosen scenarios (id and what it is about) and exit")
    sub = p.add_subparsers(dest="command", metavar="{run,show}")

    def choose(q: argparse.ArgumentParser, *, ids: bool = True) -> None:
        if ids:
            q.add_argument("ids", nargs="*", metavar="SCENARIO", help="scenario ids or glob patterns (default: all)")
        kind = q.add_mutually_exclusive_group()
        kind.add_argument("--hand", action="store_true", help="only the hand-written scenarios")
        kind.add_argument("--generated", action="store_true", help="only the generated scenarios")

    choose(p, ids=False)
    run = sub.add_parser("run", help="run the scenarios through pip and req-hashlint (the default)")
    choose(run)
    run.add_argument(
        "--pip",
        action="append",
        choices=PIPS,
        metavar="VERSION",
        help=(
            f"a pip version to compare with: {CURRENT} (every scenario) or {OLD} (the version-sensitive "
            f"ones; its venv is made once, from the hashed pin beside the harness); repeatable; "
            f"default: both"
        ),
    )
    run.add_argument("--workers", type=int, metavar="N", help="pip processes at once (default: the CPU count)")
    show = sub.add_parser("show", help="print the scenarios' files")
    choose(show)
    return p


def _chosen(args: argparse.Namespace) -> list[Scenario] | str:
    """The scenarios the arguments name, or the error message."""
    pool = [*HAND] if args.hand else generate() if args.generated else [*HAND, *generate()]
    if not getattr(args, "ids", None):
        return pool
    chosen: list[Scenario] = []
    unknown = []
    for pattern in args.ids:
        hits = [s for s in pool if fnmatch.fnmatchcase(s.id, pattern)]
        if not hits:
            unknown.append(pattern)
        chosen.extend(s for s in hits if s not in chosen)
    if unknown:
        return f"unknown scenario: {', '.join(unknown)} (--list shows them)"
    return chosen


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    chosen = _chosen(args)
    if isinstance(chosen, str):
        print(f"{parser.prog}: error: {chosen}", file=sys.stderr)
        return 2
    if args.list:
        for s in chosen:
            print(f"{s.id}\t{s.about}")
        return 0
    if args.command == "show" and not args.ids:  # (only a subcommand has ids)
        print(f"{parser.prog}: error: show needs a SCENARIO (--list shows them)", file=sys.stderr)
        return 2
    if args.command == "run" and args.workers is not None and args.workers < 1:
        print(f"{parser.prog}: error: --workers must be at least 1", file=sys.stderr)
        return 2

    from . import dists, harness  # builds distributions and runs pip: only when asked to
    from .scenarios import render

    with tempfile.TemporaryDirectory(prefix="fidelity-") as tmp:
        fx = dists.build(Path(tmp) / "fixtures")
        if args.command == "show":
            for s in chosen:
                print(f"# {s.id}: {s.about}")
                for name, text in render(s, fx).texts.items():
                    print(f"== {name}")
                    print(text.replace(fx.root.as_posix(), "$FIXTURES"), end="")
            return 0
        versions = tuple(dict.fromkeys(getattr(args, "pip", None) or PIPS))
        results = harness.run(
            chosen,
            fx,
            Path(tmp) / "scenarios",
            versions=versions,
            cache=Path(tempfile.gettempdir()) / "fidelity-venvs",
            workers=getattr(args, "workers", None),
        )
        print(harness.matrix(results.verdicts, fx), end="")
        for phase, seconds in results.seconds.items():
            print(f"{phase}: {seconds:.1f}s")
        return 0 if all(v.agrees for v in results.verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
