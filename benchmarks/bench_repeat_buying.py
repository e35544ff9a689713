"""Speed and memory of fitting BG/NBD and Gamma-Gamma on 10k, 100k and 1M customers.

Customers are simulated from known parameters with whole-week data: a 78-week calibration
period, customers joining evenly across it (T = 1..78 weeks), recency rounded down to whole
weeks. Fit time is the best of ``--repeat`` runs (scipy import and the first call's set-up are
paid in a warm-up fit); peak memory is measured in a separate run with ``tracemalloc`` (numpy
reports its buffers to it), so tracing does not slow the timed runs.

Run:  .venv/bin/python benchmarks/bench_repeat_buying.py [--sizes 10000 100000 1000000]
Targets: 100k customers under 0.5 s and 1M under 3 s per BG/NBD fit on 2 cores.
"""

from __future__ import annotations

import argparse
import time
import tracemalloc

import numpy as np

from kamlib.repeat_buying import BetaGeoModel, simulate_bgnbd
from kamlib.spend_model import GammaGammaModel, simulate_gamma_gamma

BGNBD = {"r": 0.55, "alpha": 6.0, "a": 0.75, "b": 3.2}
GG = {"p": 5.5, "q": 3.2, "gamma": 120.0}


def make_data(n: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    t_end = rng.integers(1, 79, n).astype(float)
    summary = simulate_bgnbd(n, **BGNBD, T=t_end, seed=seed, whole_periods=True)
    spend = simulate_gamma_gamma(summary["frequency"], **GG, seed=seed + 1)
    summary["monetary_value"] = spend
    return summary


def best_time(fit, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fit()
        times.append(time.perf_counter() - start)
    return min(times)


def peak_mb(fit):
    """Peak traced memory of one call of ``fit`` in MB, and what the call returned."""
    tracemalloc.start()
    result = fit()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    warm = make_data(2000, seed=99)
    BetaGeoModel().fit(warm)
    GammaGammaModel().fit(warm)

    header = (
        f"{'customers':>10} {'distinct rows':>13} {'repeat buyers':>13} "
        f"{'BG/NBD s':>9} {'BG/NBD MB':>9} {'GG s':>7} {'GG MB':>7}  BG/NBD estimates"
    )
    print(header)
    print("-" * len(header))
    for n in args.sizes:
        data = make_data(n)

        def fit_bg(data=data):
            return BetaGeoModel().fit(data)

        def fit_gg(data=data):
            return GammaGammaModel().fit(data)

        t_bg = best_time(fit_bg, args.repeat)
        t_gg = best_time(fit_gg, args.repeat)
        m_bg, model = peak_mb(fit_bg)
        m_gg, _ = peak_mb(fit_gg)
        rows = len(data[["frequency", "recency", "T"]].drop_duplicates())
        buyers = int((data["frequency"] > 0).sum())
        estimates = ", ".join(f"{k}={v:.3g}" for k, v in model.params_.items())
        print(
            f"{n:>10,} {rows:>13,} {buyers:>13,} {t_bg:>9.3f} {m_bg:>9.1f} "
            f"{t_gg:>7.3f} {m_gg:>7.1f}  {estimates}"
        )
    print(
        "\nFit times are wall-clock, best of "
        f"{args.repeat}; memory is the peak traced during one fit (input data not counted)."
    )


if __name__ == "__main__":
    main()
