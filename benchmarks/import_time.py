"""How long `import kamlib` takes in a fresh Python interpreter (budget: 0.5 s).

Run from the repository root: ``.venv/bin/python benchmarks/import_time.py``. Each of the five
runs starts a new interpreter, so nothing is already imported or cached in memory; the median
of the five is printed. The exit status is 1 when the median is over the budget.
"""

from __future__ import annotations

import statistics
import subprocess
import sys

RUNS = 5
BUDGET_SECONDS = 0.5
TIMER = "import time; t = time.perf_counter(); import kamlib; print(time.perf_counter() - t)"


def one_run() -> float:
    done = subprocess.run([sys.executable, "-c", TIMER], capture_output=True, text=True, check=True)
    return float(done.stdout.strip())


def main() -> int:
    one_run()  # warm the disk cache once, so the runs measure Python, not the first disk read
    times = [one_run() for _ in range(RUNS)]
    median = statistics.median(times)
    runs = ", ".join(f"{t:.3f}" for t in times)
    verdict = "within" if median <= BUDGET_SECONDS else "OVER"
    print(f"import kamlib: median {median:.3f} s over {RUNS} fresh interpreters ({runs})")
    print(f"{verdict} the budget of {BUDGET_SECONDS} s")
    return 0 if median <= BUDGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
