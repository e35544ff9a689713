"""Scenario analysis of a CRM programme: cash flows with ramp-up, NPV, payback, uncertainty.

A CRM programme costs money now (set-up) and every year (licences, staff, campaign contacts)
and pays back through three levers on today's customer base: more accounts kept (retention),
more bought by each (account growth) and a cheaper way to serve them (cost to serve). Its
effects do not arrive at once: they ramp up over the first years.

The model (all yearly, in CNY; year 0 is today, year t = 1..T):

- ``ramp_t = min(t / ramp_years, 1)`` (1 from the first year when ``ramp_years = 0``);
- accounts kept to the end of year t: ``S_t = accounts x prod_{s<=t} r_s`` with
  ``r_s = retention`` without the programme and ``retention + ramp_s x retention_gain`` with
  it (accounts lost in a year earn nothing that year: a cautious simplification);
- margin per kept account: ``m = revenue_per_account x gross_margin_rate - cost_to_serve``;
- benefits of year t: ``(S_t^with - S_t^without) x m`` (retention),
  ``S_t^with x revenue_per_account x revenue_uplift x ramp_t x gross_margin_rate`` (growth),
  ``S_t^with x cost_to_serve_per_account x cost_to_serve_cut x ramp_t`` (cost to serve);
- costs: ``upfront_cost`` in year 0; ``running_cost + cost_per_account x S_t^with`` after.

NPV discounts year t's net cash flow by ``(1 + discount_rate)^t`` (year 0 undiscounted):
``NPV = sum_t CF_t / (1 + d)^t`` (Brealey, Myers & Allen 2020). :func:`simulate_programme`
draws the uncertain inputs (a normal with the estimate's standard error, or resampled
bootstrap draws) and returns the distribution of the NPV; :func:`tornado_table` moves one
input at a time between a low and a high value.

>>> round(npv([-100.0, 60.0, 60.0], 0.10), 2)   # -100 + 60/1.1 + 60/1.21
4.13
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping

import numpy as np
import pandas as pd

from kamlib import plot
from kamlib.errors import DataError, ParameterError
from kamlib.validation import (
    check_number,
    check_seed,
    require_columns,
    require_frame,
    require_numeric,
)

__all__ = [
    "PROGRAMME_INPUTS",
    "npv",
    "payback_period",
    "plot_cash_flows",
    "plot_npv_distribution",
    "plot_tornado",
    "programme_cash_flows",
    "programme_explorer",
    "programme_summary",
    "ramp_up",
    "simulate_programme",
    "summarise_draws",
    "tornado_table",
]

#: The inputs of the programme model, with what each means and its allowed range.
PROGRAMME_INPUTS = {
    "accounts": ("accounts on the books today", 0, None),
    "retention": ("share of accounts kept per year without the programme", 0, 1),
    "revenue_per_account": ("net revenue per kept account per year (CNY)", 0, None),
    "gross_margin_rate": ("gross margin / net revenue", -1, 1),
    "cost_to_serve_per_account": ("cost to serve per kept account per year (CNY)", 0, None),
    "retention_gain": ("points of retention added at full effect (0.01 = one point)", -1, 1),
    "revenue_uplift": ("relative rise in revenue per account at full effect", -1, None),
    "cost_to_serve_cut": ("share of cost to serve saved at full effect", -1, 1),
    "upfront_cost": ("set-up cost in year 0 (CNY)", 0, None),
    "running_cost": ("fixed running cost per year (CNY)", 0, None),
    "cost_per_account": ("programme cost per account served per year (CNY)", 0, None),
    "ramp_years": ("years until the full effect (0 = at once)", 0, None),
    "years": ("horizon in years", 1, 50),
    "discount_rate": ("yearly discount rate", 0, 1),
}

COMPONENTS = ("retention_gain", "growth_gain", "service_saving", "programme_cost")


# --- money over time --------------------------------------------------------------------------


def _flows(cash_flows, func: str) -> np.ndarray:
    if isinstance(cash_flows, str | bytes | Mapping) or cash_flows is None:
        raise ParameterError(
            f"{func}: 'cash_flows' must be a list or array of numbers (year 0 first), "
            f"got {cash_flows!r}."
        )
    if isinstance(cash_flows, numbers.Real):
        raise ParameterError(
            f"{func}: 'cash_flows' must be a list of yearly amounts, got one number "
            f"{cash_flows!r}. Pass e.g. [-100, 60, 60]."
        )
    values = np.asarray(cash_flows.to_numpy() if hasattr(cash_flows, "to_numpy") else cash_flows)
    if values.ndim != 1 or values.size == 0:
        raise ParameterError(f"{func}: 'cash_flows' must be a non-empty list of numbers.")
    if values.dtype == bool or not np.issubdtype(values.dtype, np.number):
        raise ParameterError(
            f"{func}: 'cash_flows' must hold numbers, found dtype {values.dtype}. "
            "Convert with pd.to_numeric(...) first."
        )
    values = values.astype(float)
    if not np.isfinite(values).all():
        raise ParameterError(f"{func}: 'cash_flows' has missing or infinite amounts. Fill them.")
    return values


def npv(cash_flows, rate: float) -> float:
    """Net present value of yearly cash flows, the first in year 0 (today, not discounted).

    ``NPV = sum_{t=0..T} CF_t / (1 + rate)^t``. (A spreadsheet's ``NPV()`` discounts its first
    amount too; add year 0 outside it to get this.)

    Parameters
    ----------
    cash_flows : list or array of float
        Amounts of years 0, 1, ..., T (negative = money out).
    rate : float
        Yearly discount rate, e.g. 0.10.

    Returns
    -------
    float

    Examples
    --------
    >>> npv([-1000.0, 500.0, 500.0, 500.0], 0.0)
    500.0
    """
    func = "kamlib.scenarios.npv"
    values = _flows(cash_flows, func)
    rate = check_number(rate, "rate", func, low=-1, low_inclusive=False)
    return float(np.sum(values / (1 + rate) ** np.arange(values.size)))


def payback_period(cash_flows, *, rate: float | None = None) -> float:
    """Years until the cumulative cash flow turns non-negative (linear within a year).

    With ``rate`` the flows are discounted first (discounted payback). Returns ``math.inf``
    when the money is never paid back within the flows given, and 0 when year 0 is not
    negative.

    Examples
    --------
    >>> payback_period([-1000.0, 400.0, 400.0, 400.0])   # 2 years + 200/400
    2.5
    >>> payback_period([-1000.0, 100.0, 100.0])
    inf
    """
    func = "kamlib.scenarios.payback_period"
    values = _flows(cash_flows, func)
    if rate is not None:
        rate = check_number(rate, "rate", func, low=-1, low_inclusive=False)
        values = values / (1 + rate) ** np.arange(values.size)
    # Rounding slack: 110 / 1.1 is 99.999... in floating point, and pays back 100.
    cumulative = np.cumsum(values)
    slack = 1e-9 * np.abs(values).max()
    if cumulative[0] >= -slack:
        return 0.0
    after = np.nonzero(cumulative >= -slack)[0]
    if after.size == 0:
        return math.inf
    t = int(after[0])
    # Part of year t needed: what was still owed at the end of t - 1 over year t's inflow.
    return float(min(t - 1 + (-cumulative[t - 1]) / values[t], t))


def ramp_up(years: int, ramp_years: float) -> np.ndarray:
    """Share of the full effect reached in years 1..years: ``min(t / ramp_years, 1)``.

    Examples
    --------
    >>> ramp_up(4, 2).tolist()
    [0.5, 1.0, 1.0, 1.0]
    >>> ramp_up(2, 0).tolist()
    [1.0, 1.0]
    """
    func = "kamlib.scenarios.ramp_up"
    years = check_number(years, "years", func, low=1, integer=True)
    ramp_years = check_number(ramp_years, "ramp_years", func, low=0)
    return _ramp(np.arange(1, years + 1, dtype=float), ramp_years)[0]


def _ramp(t: np.ndarray, ramp_years) -> np.ndarray:
    """(n, T) shares of the full effect for years t (T,) and ramp_years (n,)."""
    ramp = np.atleast_1d(np.asarray(ramp_years, dtype=float))[:, None]
    safe = np.where(ramp > 0, ramp, 1.0)
    return np.minimum(np.where(ramp > 0, t / safe, 1.0), 1.0)


# --- the programme model ------------------------------------------------------------------------


def _inputs(assumptions, func: str, *, many: bool = False) -> dict:
    """Checked inputs as float arrays (one value, or one per draw when ``many``)."""
    if not isinstance(assumptions, Mapping | pd.Series):
        raise ParameterError(
            f"{func}: 'assumptions' must be a dict of the inputs in "
            f"kamlib.scenarios.PROGRAMME_INPUTS, got {type(assumptions).__name__}."
        )
    given = dict(assumptions)
    missing = [k for k in PROGRAMME_INPUTS if k not in given]
    if missing:
        raise ParameterError(
            f"{func}: 'assumptions' lacks {missing}. Give every input of "
            "kamlib.scenarios.PROGRAMME_INPUTS (base_economics supplies the first five)."
        )
    out = {}
    for name, (meaning, low, high) in PROGRAMME_INPUTS.items():
        value = given[name]
        if many and not isinstance(value, numbers.Real):
            array = np.asarray(value, dtype=float)
        else:
            if isinstance(value, bool) or not isinstance(value, numbers.Real):
                raise ParameterError(
                    f"{func}: assumption '{name}' ({meaning}) must be a number, got {value!r}."
                )
            array = np.asarray([float(value)])
        bad = ~np.isfinite(array)
        if low is not None:
            bad |= array < low
        if high is not None:
            bad |= array > high
        if bad.any():
            hi = "inf" if high is None else high
            raise ParameterError(
                f"{func}: assumption '{name}' ({meaning}) must lie in [{low}, {hi}], found "
                f"{array[bad][0]!r}."
            )
        out[name] = array
    horizon = out["years"]
    if not np.allclose(horizon, horizon[0]) or horizon[0] != int(horizon[0]):
        raise ParameterError(f"{func}: assumption 'years' must be one whole number of years.")
    if ((out["retention"] + out["retention_gain"]) > 1).any() or (
        (out["retention"] + out["retention_gain"]) < 0
    ).any():
        raise ParameterError(
            f"{func}: retention + retention_gain must stay between 0 and 1; lower the gain."
        )
    return out


def _model(x: dict) -> dict:
    """Yearly components (n, T+1) for n sets of inputs: the whole model in numpy."""
    years = int(x["years"][0])
    t = np.arange(1, years + 1, dtype=float)
    n = max(v.size for v in x.values())
    col = {k: np.broadcast_to(v, (n,))[:, None] for k, v in x.items()}
    ramp = _ramp(t, np.broadcast_to(x["ramp_years"], (n,)))
    without = col["accounts"] * np.cumprod(np.broadcast_to(col["retention"], (n, years)), axis=1)
    with_rate = np.minimum(col["retention"] + ramp * col["retention_gain"], 1.0)
    kept = col["accounts"] * np.cumprod(with_rate, axis=1)
    margin = (
        col["revenue_per_account"] * col["gross_margin_rate"] - col["cost_to_serve_per_account"]
    )
    parts = {
        "accounts_without": without,
        "accounts_with": kept,
        "retention_gain": (kept - without) * margin,
        "growth_gain": kept
        * col["revenue_per_account"]
        * col["revenue_uplift"]
        * ramp
        * col["gross_margin_rate"],
        "service_saving": kept * col["cost_to_serve_per_account"] * col["cost_to_serve_cut"] * ramp,
        "programme_cost": -(col["running_cost"] + col["cost_per_account"] * kept),
    }
    zero = np.zeros((n, 1))
    out = {k: np.hstack([col["accounts"] if k.startswith("accounts") else zero, v])
           for k, v in parts.items()}  # fmt: skip
    out["programme_cost"][:, 0] = -col["upfront_cost"][:, 0]
    out["net_cash_flow"] = sum(out[k] for k in COMPONENTS)
    discount = (1 + col["discount_rate"]) ** np.arange(years + 1)
    out["discounted"] = out["net_cash_flow"] / discount
    return out


def programme_cash_flows(assumptions) -> pd.DataFrame:
    """The programme's cash flows year by year, from today (year 0) to the horizon.

    Parameters
    ----------
    assumptions : dict
        Every input of :data:`PROGRAMME_INPUTS` (see the module text for the model).

    Returns
    -------
    pandas.DataFrame
        Index ``year`` (0..T); columns ``accounts_without``, ``accounts_with`` (accounts kept
        to the end of the year), ``retention_gain``, ``growth_gain``, ``service_saving``,
        ``programme_cost`` (negative), ``net_cash_flow``, ``cumulative`` and ``discounted``
        (CNY).

    Examples
    --------
    >>> a = dict(accounts=100, retention=0.8, revenue_per_account=1000.0,
    ...          gross_margin_rate=0.3, cost_to_serve_per_account=100.0, retention_gain=0.1,
    ...          revenue_uplift=0.0, cost_to_serve_cut=0.0, upfront_cost=1000.0,
    ...          running_cost=0.0, cost_per_account=0.0, ramp_years=0, years=2,
    ...          discount_rate=0.0)
    >>> programme_cash_flows(a)["net_cash_flow"].round(2).tolist()  # (90-80) x 200, (81-64) x 200
    [-1000.0, 2000.0, 3400.0]
    """
    func = "kamlib.scenarios.programme_cash_flows"
    parts = _model(_inputs(assumptions, func))
    table = pd.DataFrame({k: v[0] for k, v in parts.items()})
    table["cumulative"] = table["net_cash_flow"].cumsum()
    table = table[[
        "accounts_without", "accounts_with", *COMPONENTS, "net_cash_flow", "cumulative",
        "discounted",
    ]]  # fmt: skip
    table.index.name = "year"
    return table


def programme_summary(assumptions) -> pd.Series:
    """NPV, payback and totals of the programme.

    Returns
    -------
    pandas.Series
        ``npv``, ``payback_years`` (undiscounted, ``inf`` if never), ``discounted_payback_years``,
        ``benefits`` and ``costs`` (undiscounted totals, costs positive) and ``benefit_cost_ratio``
        (present value of benefits / present value of costs).

    Examples
    --------
    >>> a = dict(accounts=100, retention=0.8, revenue_per_account=1000.0,
    ...          gross_margin_rate=0.3, cost_to_serve_per_account=100.0, retention_gain=0.1,
    ...          revenue_uplift=0.0, cost_to_serve_cut=0.0, upfront_cost=1000.0,
    ...          running_cost=0.0, cost_per_account=0.0, ramp_years=0, years=2,
    ...          discount_rate=0.0)
    >>> programme_summary(a)[["npv", "payback_years"]].round(2).tolist()
    [4400.0, 0.5]
    """
    func = "kamlib.scenarios.programme_summary"
    x = _inputs(assumptions, func)
    parts = _model(x)
    flows = parts["net_cash_flow"][0]
    rate = float(x["discount_rate"][0])
    discount = (1 + rate) ** np.arange(flows.size)
    benefits = sum(parts[k][0] for k in COMPONENTS[:3])
    costs = -parts["programme_cost"][0]
    pv_costs = float(np.sum(costs / discount))
    return pd.Series(
        {
            "npv": float(np.sum(parts["discounted"][0])),
            "payback_years": payback_period(flows),
            "discounted_payback_years": payback_period(flows, rate=rate),
            "benefits": float(benefits.sum()),
            "costs": float(costs.sum()),
            "benefit_cost_ratio": float(np.sum(benefits / discount)) / pv_costs
            if pv_costs > 0
            else math.inf,
        },
        name="value",
    )


# --- uncertainty --------------------------------------------------------------------------------


def simulate_programme(
    assumptions, uncertain, *, n_sims: int = 2000, seed: int = 0
) -> pd.DataFrame:
    """Monte Carlo over the uncertain inputs: the distribution of the programme's NPV.

    Parameters
    ----------
    assumptions : dict
        Every input of :data:`PROGRAMME_INPUTS` (the point estimates).
    uncertain : dict
        For each uncertain input, either ``(estimate, standard_error)``, drawn from a normal
        distribution (clipped to the input's allowed range), or an array of draws (e.g. the
        bootstrap draws of :func:`kamlib.profit_tree.bootstrap_economics`), resampled with
        replacement.
    n_sims : int, default 2000
    seed : int, default 0

    Returns
    -------
    pandas.DataFrame
        One row per simulation: the uncertain inputs drawn, ``npv`` and ``payback_years``.

    Examples
    --------
    >>> a = dict(accounts=100, retention=0.8, revenue_per_account=1000.0,
    ...          gross_margin_rate=0.3, cost_to_serve_per_account=100.0, retention_gain=0.1,
    ...          revenue_uplift=0.0, cost_to_serve_cut=0.0, upfront_cost=1000.0,
    ...          running_cost=0.0, cost_per_account=0.0, ramp_years=0, years=2,
    ...          discount_rate=0.0)
    >>> sims = simulate_programme(a, {"retention_gain": (0.1, 0.0)}, n_sims=10, seed=1)
    >>> sims["npv"].round(2).unique().tolist()
    [4400.0]
    """
    func = "kamlib.scenarios.simulate_programme"
    base = _inputs(assumptions, func)
    if not isinstance(uncertain, Mapping) or not uncertain:
        raise ParameterError(
            f"{func}: 'uncertain' must be a non-empty dict such as "
            "{'retention_gain': (0.02, 0.01)}, got " + repr(uncertain) + "."
        )
    n_sims = int(check_number(n_sims, "n_sims", func, low=1, integer=True))
    rng = np.random.default_rng(check_seed(seed, func))
    drawn = {}
    for name, spec in uncertain.items():
        if name not in PROGRAMME_INPUTS or name == "years":
            raise ParameterError(
                f"{func}: 'uncertain' names {name!r}, not an input that can vary; use one of "
                f"{[k for k in PROGRAMME_INPUTS if k != 'years']}."
            )
        _, low, high = PROGRAMME_INPUTS[name]
        if isinstance(spec, tuple) and len(spec) == 2:
            mean = check_number(spec[0], f"uncertain[{name!r}] estimate", func)
            se = check_number(spec[1], f"uncertain[{name!r}] standard error", func, low=0)
            values = rng.normal(mean, se, n_sims)
        else:
            pool = np.asarray(spec.to_numpy() if hasattr(spec, "to_numpy") else spec)
            if pool.ndim != 1 or pool.size == 0 or not np.issubdtype(pool.dtype, np.number):
                raise ParameterError(
                    f"{func}: uncertain[{name!r}] must be (estimate, standard_error) or a "
                    f"non-empty array of draws, got {spec!r}."
                )
            pool = pool.astype(float)
            if not np.isfinite(pool).all():
                raise ParameterError(f"{func}: uncertain[{name!r}] has missing draws.")
            values = rng.choice(pool, size=n_sims, replace=True)
        drawn[name] = np.clip(values, low, high)
    x = {**base, **drawn}
    gain = x["retention"] + x["retention_gain"]
    x["retention_gain"] = np.where(gain > 1, 1 - x["retention"], x["retention_gain"])
    parts = _model(x)
    flows = parts["net_cash_flow"]
    out = pd.DataFrame(drawn)
    out["npv"] = parts["discounted"].sum(axis=1)
    out["payback_years"] = [payback_period(row) for row in flows]
    out.index.name = "simulation"
    return out


def summarise_draws(draws, *, level: float = 0.95) -> pd.DataFrame:
    """Mean, standard deviation and a central interval of each column of simulated draws.

    Parameters
    ----------
    draws : pandas.DataFrame
        One row per draw (e.g. :func:`simulate_programme`, or
        :func:`kamlib.profit_tree.lever_values` on bootstrap draws).
    level : float, default 0.95
        Coverage of the percentile interval.

    Every numeric column is summarised (other columns are ignored). Infinite values are
    accepted (a payback that is never reached is ``inf``): they count in the percentiles and
    the share negative but not in the mean and standard deviation.

    Returns
    -------
    pandas.DataFrame
        One row per numeric column: ``mean``, ``sd``, ``low``, ``high`` and ``share_negative``
        (the share of draws below zero, e.g. the chance of losing money).

    Examples
    --------
    >>> summarise_draws(pd.DataFrame({"npv": [-1.0, 1.0, 2.0, 3.0]}))["share_negative"].tolist()
    [0.25]
    """
    func = "kamlib.scenarios.summarise_draws"
    require_frame(draws, func, name="draws")
    level = check_number(level, "level", func, low=0, high=1, low_inclusive=False,
                         high_inclusive=False)  # fmt: skip
    numeric = draws.select_dtypes("number")
    if numeric.empty:
        raise DataError(
            f"{func}: 'draws' has no numeric column to summarise; found columns "
            f"{list(draws.columns)}. Pass the draws of simulate_programme or lever_values."
        )
    if numeric.isna().any().any():
        bad = list(numeric.columns[numeric.isna().any()])
        raise DataError(
            f"{func}: column(s) {bad} of 'draws' have missing values; a draw without a value "
            "is a failed simulation. Drop or redo those draws."
        )
    finite = numeric.replace([np.inf, -np.inf], np.nan)
    tail = (1 - level) / 2
    return pd.DataFrame(
        {
            "mean": finite.mean(),
            "sd": finite.std(),
            # Percentiles without interpolation: a payback of "never" (inf) stays inf.
            "low": numeric.apply(lambda v: np.percentile(v, 100 * tail, method="inverted_cdf")),
            "high": numeric.apply(
                lambda v: np.percentile(v, 100 * (1 - tail), method="inverted_cdf")
            ),
            "share_negative": (numeric < 0).mean(),
        }
    )


def tornado_table(assumptions, ranges) -> pd.DataFrame:
    """NPV with each input moved alone to a low and a high value, widest swing first.

    Parameters
    ----------
    assumptions : dict
        Every input of :data:`PROGRAMME_INPUTS` (the base case).
    ranges : dict
        ``{input: (low, high)}`` for the inputs to test.

    Returns
    -------
    pandas.DataFrame
        Index ``input``; columns ``low``, ``high``, ``npv_low``, ``npv_high``, ``swing``
        (``|npv_high - npv_low|``) and ``base_npv``; sorted by swing, largest first.

    Examples
    --------
    >>> a = dict(accounts=100, retention=0.8, revenue_per_account=1000.0,
    ...          gross_margin_rate=0.3, cost_to_serve_per_account=100.0, retention_gain=0.1,
    ...          revenue_uplift=0.0, cost_to_serve_cut=0.0, upfront_cost=1000.0,
    ...          running_cost=0.0, cost_per_account=0.0, ramp_years=0, years=2,
    ...          discount_rate=0.0)
    >>> t = tornado_table(a, {"upfront_cost": (500.0, 1500.0), "retention_gain": (0.0, 0.2)})
    >>> t.index.tolist(), t["swing"].round(1).tolist()
    (['retention_gain', 'upfront_cost'], [11200.0, 1000.0])
    """
    func = "kamlib.scenarios.tornado_table"
    _inputs(assumptions, func)
    if not isinstance(ranges, Mapping) or not ranges:
        raise ParameterError(
            f"{func}: 'ranges' must be a non-empty dict such as "
            "{'retention_gain': (0.01, 0.03)}, got " + repr(ranges) + "."
        )
    base = programme_summary(assumptions)["npv"]
    rows = []
    for name, pair in ranges.items():
        if name not in PROGRAMME_INPUTS:
            raise ParameterError(f"{func}: 'ranges' names {name!r}, not a programme input.")
        if not isinstance(pair, tuple | list) or len(pair) != 2:
            raise ParameterError(f"{func}: ranges[{name!r}] must be (low, high), got {pair!r}.")
        low, high = (check_number(v, f"ranges[{name!r}]", func) for v in pair)
        values = []
        for value in (low, high):
            case = {**dict(assumptions), name: int(value) if name == "years" else value}
            try:
                values.append(programme_summary(case)["npv"])
            except ParameterError as exc:
                raise ParameterError(
                    f"{func}: ranges[{name!r}] = {pair!r} gives an impossible case: {exc}"
                ) from None
        rows.append((name, low, high, values[0], values[1]))
    table = pd.DataFrame(rows, columns=["input", "low", "high", "npv_low", "npv_high"])
    table["swing"] = (table["npv_high"] - table["npv_low"]).abs()
    table["base_npv"] = base
    return table.sort_values("swing", ascending=False, kind="stable").set_index("input")


# --- charts -------------------------------------------------------------------------------------


def _millions(value: float) -> str:
    """Yuan in millions with the sign in front: -1.6e6 -> '-¥1.6m'."""
    return ("-" if value < 0 else "") + f"¥{abs(value) / 1e6:,.1f}m"


def _short(value: float) -> str:
    """A bar label: three significant digits, thousands and millions as k and m."""
    for size, suffix in ((1e6, "m"), (1e3, "k")):
        if abs(value) >= size:
            return f"{value / size:.3g}{suffix}"
    return f"{value:.3g}"


def plot_tornado(table: pd.DataFrame, *, ax=None, labels: Mapping | None = None):
    """Draw a tornado chart: one bar per input from its low-value NPV to its high-value NPV.

    Parameters
    ----------
    table : pandas.DataFrame
        The output of :func:`tornado_table`.
    labels : dict, optional
        Words for the inputs, e.g. ``{"retention_gain": "Retention gain (points)"}``.

    Returns
    -------
    matplotlib.axes.Axes
    """
    func = "kamlib.scenarios.plot_tornado"
    require_frame(table, func, name="table")
    require_columns(table, ["low", "high", "npv_low", "npv_high", "base_npv"], func)
    for column in ("low", "high", "npv_low", "npv_high", "base_npv"):
        require_numeric(table, column, func)
    labels = dict(labels or {})
    ax = plot.get_ax(ax, figsize=(8.5, 0.5 * len(table) + 1.8))
    base = float(table["base_npv"].iloc[0])
    for i, (_, row) in enumerate(table.iterrows()):
        for value, npv_value, colour in ((row["low"], row["npv_low"], plot.BAD),
                                         (row["high"], row["npv_high"], plot.GOOD)):  # fmt: skip
            ax.barh(i, npv_value - base, left=base, color=colour, alpha=0.85)
            ax.text(npv_value, i, f" {_short(value)} ", va="center", fontsize=8,
                    ha="left" if npv_value >= base else "right")  # fmt: skip
    ax.axvline(base, color="#333333", linewidth=1)
    ax.margins(x=0.12)  # room for the value labels at the bars' ends
    ax.set_yticks(range(len(table)), [labels.get(n, str(n).replace("_", " ")) for n in table.index])
    ax.invert_yaxis()
    plot.money_axis(ax, "x")
    ax.grid(axis="y", visible=False)
    from matplotlib.patches import Patch

    ax.legend(handles=[Patch(color=plot.BAD, label="input at its low value"),
                       Patch(color=plot.GOOD, label="input at its high value")],
              loc="lower right", fontsize=8)  # fmt: skip
    plot.label(ax, "What the NPV depends on", "NPV of the programme (CNY)", "")
    return ax


def plot_cash_flows(flows: pd.DataFrame, *, ax=None, title: str | None = None):
    """Stacked yearly benefits and costs with the cumulative net cash flow as a line.

    Parameters
    ----------
    flows : pandas.DataFrame
        The output of :func:`programme_cash_flows`.

    Returns
    -------
    matplotlib.axes.Axes
    """
    func = "kamlib.scenarios.plot_cash_flows"
    require_frame(flows, func, name="flows")
    require_columns(flows, [*COMPONENTS, "cumulative"], func)
    for column in (*COMPONENTS, "cumulative"):
        require_numeric(flows, column, func)
    ax = plot.get_ax(ax)
    years = np.asarray(flows.index, dtype=float)
    names = {"retention_gain": "Accounts kept", "growth_gain": "Account growth",
             "service_saving": "Cheaper service", "programme_cost": "Programme cost"}  # fmt: skip
    colours = [plot.GOOD, plot.ACCENT, plot.MAIN, plot.BAD]
    up = np.zeros(len(flows))
    down = np.zeros(len(flows))
    for (column, word), colour in zip(names.items(), colours, strict=True):
        values = flows[column].astype(float).to_numpy()
        bottom = np.where(values >= 0, up, down)
        ax.bar(years, values, bottom=bottom, color=colour, label=word, width=0.6)
        up += np.clip(values, 0, None)
        down += np.clip(values, None, 0)
    ax.plot(years, flows["cumulative"], color="#333333", marker="o", label="Cumulative net")
    ax.axhline(0, color="#333333", linewidth=0.8)
    ax.set_xticks(years)
    plot.money_axis(ax)
    ax.legend(fontsize=8, ncols=2)
    plot.label(ax, title or "The programme's cash flows", "Year", "CNY")
    return ax


def plot_npv_distribution(draws: pd.DataFrame, *, ax=None, column: str = "npv"):
    """Histogram of simulated NPVs with the share below zero in the title.

    Returns
    -------
    matplotlib.axes.Axes
    """
    func = "kamlib.scenarios.plot_npv_distribution"
    require_frame(draws, func, name="draws")
    require_columns(draws, [column], func)
    values = pd.to_numeric(draws[column], errors="coerce")
    if values.isna().any() or not np.isfinite(values).all():
        raise DataError(f"{func}: column '{column}' must hold finite numbers.")
    ax = plot.get_ax(ax)
    ax.hist(values, bins=40, color=plot.MAIN, alpha=0.85)
    ax.axvline(0, color=plot.BAD, linewidth=1.2)
    ax.axvline(values.median(), color="#333333", linestyle="--", linewidth=1, label="median")
    plot.money_axis(ax, "x")
    ax.legend(fontsize=8)
    plot.label(ax, f"Simulated NPV: {float((values < 0).mean()):.0%} of draws lose money",
               "NPV (CNY)", "Simulations")  # fmt: skip
    return ax


# --- the what-if widget -----------------------------------------------------------------------

_SLIDERS = {
    # input: (low, high, step, words); the first slider has a plain readout (a test types in it)
    "retention_gain": (0.0, 0.05, 0.0025, "Retention gain"),
    "revenue_uplift": (0.0, 0.10, 0.005, "Revenue uplift"),
    "cost_to_serve_cut": (0.0, 0.20, 0.01, "Cost-to-serve cut"),
    "ramp_years": (0.0, 4.0, 0.5, "Ramp-up (years)"),
    "discount_rate": (0.0, 0.20, 0.01, "Discount rate"),
}


def programme_explorer(assumptions, *, cost_scale: float = 3.0):
    """What-if sliders for the programme: the cash-flow chart and its NPV redraw as they move.

    Sliders: retention gain, revenue uplift, cost-to-serve cut, ramp-up, discount rate, and the
    set-up and running costs (from 0 to ``cost_scale`` times the given ones). Needs
    ``ipywidgets`` (imported only here) and a live kernel.

    Parameters
    ----------
    assumptions : dict
        The starting inputs (every key of :data:`PROGRAMME_INPUTS`).
    cost_scale : float, default 3
        The cost sliders run from 0 to this multiple of the starting costs.

    Returns
    -------
    ipywidgets.VBox
    """
    func = "kamlib.scenarios.programme_explorer"
    _inputs(assumptions, func)
    cost_scale = check_number(cost_scale, "cost_scale", func, low=1)
    start = dict(assumptions)
    import ipywidgets as widgets  # optional, for the live workbook only
    import matplotlib.pyplot as plt
    from IPython.display import display

    controls = {}
    for name, (low, high, step, words) in _SLIDERS.items():
        value = float(np.clip(start[name], low, high))
        controls[name] = widgets.FloatSlider(
            value=value, min=low, max=high, step=step, description=words,
            readout_format=".4g", style={"description_width": "initial"},
            continuous_update=False,
        )  # fmt: skip
    for name, words in (("upfront_cost", "Set-up cost"), ("running_cost", "Running cost / yr")):
        top = max(float(start[name]) * cost_scale, 1000.0)
        controls[name] = widgets.FloatSlider(
            value=float(start[name]), min=0.0, max=top, step=top / 100, description=words,
            readout_format=",.0f", style={"description_width": "initial"},
            continuous_update=False,
        )  # fmt: skip
    out = widgets.Output()

    def redraw(_change=None):
        case = {**start, **{name: c.value for name, c in controls.items()}}
        with out:
            out.clear_output(wait=True)
            summary = programme_summary(case)
            fig, ax = plt.subplots(figsize=(7.5, 4.2))
            plot_cash_flows(programme_cash_flows(case), ax=ax)
            payback = summary["payback_years"]
            paid = "never paid back" if math.isinf(payback) else f"paid back in {payback:.1f} yr"
            ax.set_title(f"NPV {_millions(summary['npv'])}, {paid}")
            display(fig)
            plt.close(fig)

    for control in controls.values():
        control.observe(redraw, names="value")
    redraw()
    boxes = list(controls.values())
    return widgets.VBox([widgets.HBox(boxes[:4]), widgets.HBox(boxes[4:]), out])
