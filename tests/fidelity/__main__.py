"""``python -m tests.fidelity [run|show] [SCENARIO ...]``: the fidelity harness by hand.

``run`` builds the fixtures in a temporary directory, runs the scenarios (all of them, or
the ids given) through pip and req-hashlint, and prints the agreement matrix. ``show``
prints a scenario's files.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from . import dists, harness
from .hand import HAND
from .scenarios import generate, render


def main(argv: list[str]) -> int:
    command, ids = (argv[0], argv[1:]) if argv else ("run", [])
    everything = [*HAND, *generate()]
    chosen = [s for s in everything if not ids or s.id in ids]
    if ids and len(chosen) != len(set(ids)):
        known = {s.id for s in everything}
        print(f"unknown scenario: {', '.join(i for i in ids if i not in known)}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="fidelity-") as tmp:
        fx = dists.build(Path(tmp) / "fixtures")
        if command == "show":
            for s in chosen:
                print(f"# {s.id}: {s.about}")
                for name, text in render(s, fx).texts.items():
                    print(f"== {name}")
                    print(text.replace(fx.root.as_posix(), "$FIXTURES"), end="")
            return 0
        results = harness.run(chosen, fx, Path(tmp) / "scenarios", cache=Path(tempfile.gettempdir()) / "fidelity-venvs")
        print(harness.matrix(results.verdicts, fx), end="")
        for phase, seconds in results.seconds.items():
            print(f"{phase}: {seconds:.1f}s")
        return 0 if all(v.agrees for v in results.verdicts) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
