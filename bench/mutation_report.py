"""How many mutants of the pure scheduler the builder tests kill (issue 9: at least 95 %).

Run by `make mutation` after `mutmut run` (mutmut's configuration is in pyproject.toml:
builder/schedule.py and builder/cues.py, with tests/builder as the runner). Reads mutmut's
results from mutants/*.meta, prints the score and every survivor with its diff, and marks
the survivors known to be equivalent (no behaviour can tell them apart) with the reason.
Exits 1 below the target.

    .venv-mutation/bin/python bench/mutation_report.py
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from mutmut.__main__ import status_by_exit_code

TARGET = 0.95

# Survivors no test can kill, because the program behaves the same: mutant -> why.
EQUIVALENT: dict[str, str] = {}


def results() -> dict[str, str]:
    """Mutant name -> status (killed, survived, no tests, timeout, ...)."""
    found = {}
    for meta in sorted(Path("mutants").rglob("*.meta")):
        for name, code in json.loads(meta.read_text())["exit_code_by_key"].items():
            found[name] = status_by_exit_code[code]
    return found


def main() -> int:
    found = results()
    if not found:
        print("No mutation results; run `make mutation`.", file=sys.stderr)
        return 1
    killed = [n for n, s in found.items() if s in ("killed", "timeout")]
    alive = sorted(n for n in found if n not in killed)
    score = len(killed) / len(found)
    for name in alive:
        note = f"   equivalent: {EQUIVALENT[name]}" if name in EQUIVALENT else ""
        print(f"--- {name} ({found[name]}){note}")
        if name not in EQUIVALENT:
            diff = subprocess.run([sys.executable, "-m", "mutmut", "show", name],
                                  capture_output=True, text=True).stdout
            print(diff.strip())
    unexplained = [n for n in alive if n not in EQUIVALENT]
    print(f"\n{len(killed)} of {len(found)} mutants killed: {score:.1%} (target {TARGET:.0%}); "
          f"{len(alive) - len(unexplained)} equivalent, {len(unexplained)} unexplained.")
    return 0 if score >= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
