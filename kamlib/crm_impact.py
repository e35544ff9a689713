"""Did the CRM system work? Before/after, difference-in-differences and event studies.

A CRM system that goes live region by region (a staggered rollout) invites a simple
comparison: resolution times before go-live against after. That comparison mixes the system's
effect with everything else that changed meanwhile (a slow trend, a busy season, which regions
went first). Difference-in-differences (双重差分) compares the change in regions that went live
with the change in regions that had not yet, over the same months:

* :func:`~kamlib.crm_panels.kpi_panel`, :func:`~kamlib.crm_panels.ticket_panel` (from :mod:`kamlib.crm_panels`) shape the data (region-month KPIs, or one row per
  ticket), :func:`before_after` and :func:`naive_estimate` give the simple comparisons;
* :func:`did_twfe` fits two-way fixed effects (region and month) with standard errors clustered
  by region (pyfixest), :func:`did_imputation` Gardner's two-stage estimator (``did2s``), which
  stays sound when the effect differs by region or grows with time since go-live, where TWFE can
  be badly biased; :func:`event_study` and :func:`plot_event_study` show the effect month by
  month around go-live;
* :func:`simulate_staggered` makes a rollout with a known, growing effect on which the
  estimators can be compared with the truth; :func:`compare_estimators` lines them up;
* how fast staff take the system up is in :mod:`kamlib.crm_adoption`.

>>> panel = simulate_staggered(seed=1, units_per_cohort=4, dynamic=0.0, effect=-0.3, noise=0.01)
>>> round(did_twfe(panel).estimate, 2)
-0.3
"""

from __future__ import annotations

import contextlib
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from kamlib import plot
from kamlib.crm_panels import _check_panel, _finish_panel, kpi_panel, survey_panel, ticket_panel
from kamlib.errors import FitError, ParameterError
from kamlib.validation import (
    check_number,
    require_columns,
    require_frame,
    require_numeric,
)

__all__ = [
    "DidResult",
    "before_after",
    "compare_estimators",
    "did_imputation",
    "did_twfe",
    "event_study",
    "kpi_panel",
    "naive_estimate",
    "plot_event_study",
    "plot_kpi_trends",
    "simulate_staggered",
    "survey_panel",
    "ticket_panel",
]


@dataclass(frozen=True)
class DidResult:
    """One estimate of the CRM effect.

    Attributes
    ----------
    estimator : str
        Which method produced it.
    estimate : float
        Effect on the outcome (on log hours: ``exp(estimate) - 1`` is the relative change).
    se, ci_low, ci_high : float
        Standard error and 95% confidence interval (NaN where the method gives none).
    n : int
        Observations used.
    """

    estimator: str
    estimate: float
    se: float
    ci_low: float
    ci_high: float
    n: int

    @property
    def pct(self) -> float:
        """The estimate as a relative change, ``exp(estimate) - 1`` (for log outcomes)."""
        return float(np.expm1(self.estimate))

    def as_dict(self) -> dict:
        """The fields and ``pct`` as a plain dict (one row of :func:`compare_estimators`)."""
        return {
            "estimator": self.estimator,
            "estimate": self.estimate,
            "se": self.se,
            "ci_low": self.ci_low,
            "ci_high": self.ci_high,
            "pct_change": self.pct,
            "n": self.n,
        }


# ---------------------------------------------------------------------------------------------
# Panels
# ---------------------------------------------------------------------------------------------


# ---------------------------------------------------------------------------------------------
# Simple comparisons
# ---------------------------------------------------------------------------------------------
def before_after(panel: pd.DataFrame, *, months: int | None = None) -> pd.DataFrame:
    """Each region's mean outcome before and after its go-live, and the change.

    Parameters
    ----------
    panel : pandas.DataFrame
        Output of :func:`~kamlib.crm_panels.kpi_panel` (or any panel with its columns).
    months : int, optional
        Compare only this many months on each side of go-live (default: all).

    Returns
    -------
    pandas.DataFrame
        Indexed by unit: ``before``, ``after``, ``change`` (after - before) and ``pct_change``
        (``exp(change) - 1``, the relative change when ``y`` is a log).

    Examples
    --------
    >>> panel = pd.DataFrame({"unit": ["E"] * 4, "time": pd.date_range("2023-01-01", periods=4,
    ...                       freq="MS"), "go_live": pd.Timestamp("2023-03-01"),
    ...                       "treated": [0, 0, 1, 1], "event_time": [-2, -1, 0, 1],
    ...                       "y": [3.0, 3.0, 2.5, 2.7]})
    >>> before_after(panel).round(2).to_dict("list")
    {'before': [3.0], 'after': [2.6], 'change': [-0.4], 'pct_change': [-0.33]}
    """
    func = "kamlib.crm_impact.before_after"
    panel = _check_panel(panel, func)
    if months is not None:
        months = check_number(months, "months", func, low=1, integer=True)
        panel = panel[(panel["event_time"] >= -months) & (panel["event_time"] < months)]
    means = panel.groupby(["unit", "treated"])["y"].mean().unstack("treated")
    out = pd.DataFrame({"before": means.get(0), "after": means.get(1)})
    out["change"] = out["after"] - out["before"]
    out["pct_change"] = np.expm1(out["change"])
    out.index.name = "unit"
    return out


def naive_estimate(panel: pd.DataFrame) -> DidResult:
    """The pooled before/after comparison: mean outcome when live minus when not live.

    It ignores that the regions differ in level (the first to go live may simply be the
    fastest) and that everything drifts over time, so it is biased whenever either holds.

    Parameters
    ----------
    panel : pandas.DataFrame
        A panel as :func:`~kamlib.crm_panels.kpi_panel` returns.

    Returns
    -------
    DidResult
        With no standard error (NaN).

    Examples
    --------
    >>> months = pd.to_datetime(["2023-01-01", "2023-02-01"] * 2)
    >>> panel = pd.DataFrame({"unit": ["E", "E", "W", "W"], "time": months,
    ...                       "go_live": pd.to_datetime(["2023-02-01"] * 2 + ["2023-03-01"] * 2),
    ...                       "treated": [0, 1, 0, 0], "event_time": [-1, 0, -2, -1],
    ...                       "y": [2.0, 1.0, 4.0, 4.0]})
    >>> round(naive_estimate(panel).estimate, 4)  # 1 - (2 + 4 + 4) / 3
    -2.3333
    """
    func = "kamlib.crm_impact.naive_estimate"
    panel = _check_panel(panel, func)
    means = panel.groupby("treated")["y"].mean()
    nan = float("nan")
    return DidResult("naive before/after", float(means[1] - means[0]), nan, nan, nan, len(panel))


# ---------------------------------------------------------------------------------------------
# Regression estimators (pyfixest)
# ---------------------------------------------------------------------------------------------
def _row(fit, name: str, estimator: str) -> DidResult:
    with _quiet():
        tidy = fit.tidy()
    if name not in tidy.index:
        raise FitError(f"kamlib.crm_impact: {estimator} gave no coefficient '{name}'.")
    r = tidy.loc[name]
    return DidResult(
        estimator,
        float(r["Estimate"]),
        float(r["Std. Error"]),
        float(r["2.5%"]),
        float(r["97.5%"]),
        int(fit._N),
    )


@contextlib.contextmanager
def _quiet():
    """Hide pyfixest's own notices (pandas deprecations, dropped singletons) from students."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", module=r"pyfixest(\.|$)")
        warnings.filterwarnings("ignore", category=UserWarning, message=".*singleton.*")
        yield


def _for_pyfixest(panel: pd.DataFrame) -> pd.DataFrame:
    """Fixed-effect columns as text: pyfixest's two-stage prediction mismatches datetime levels
    (the month effects of stage 1 were silently left out when ``time`` held datetimes)."""
    data = panel.copy()
    time = data["time"]
    data["time"] = (
        time.dt.strftime("%Y-%m-%d")
        if pd.api.types.is_datetime64_any_dtype(time)
        else time.astype(str)
    )
    data["unit"] = data["unit"].astype(str)
    return data


def did_twfe(
    panel: pd.DataFrame, *, controls: tuple[str, ...] = (), cluster: str = "unit"
) -> DidResult:
    """Difference-in-differences with two-way fixed effects: ``y ~ treated | unit + time``.

    The unit effects absorb lasting differences between regions, the time effects everything
    that moves all regions together (trend, season). Standard errors are clustered by
    ``cluster`` (CRV1): months of one region share shocks. With only five regions the clustered
    errors rest on few clusters and should be read with care.

    Under a staggered rollout TWFE also compares late regions with early ones that are already
    live. When the effect is the same everywhere and does not change over time this is harmless;
    when it grows with time since go-live, it biases the estimate, even to the wrong sign
    (Goodman-Bacon 2021). See :func:`did_imputation`.

    Parameters
    ----------
    panel : pandas.DataFrame
        A panel as :func:`~kamlib.crm_panels.kpi_panel` returns.
    controls : tuple of str
        Extra numeric columns to control for (e.g. ``("complaint",)`` for tickets).
    cluster : str
        Column to cluster the standard errors by (default ``unit``).

    Returns
    -------
    DidResult

    Examples
    --------
    >>> panel = simulate_staggered(seed=2, units_per_cohort=3, dynamic=0.0, effect=-0.2,
    ...                            noise=0.01)
    >>> round(did_twfe(panel).estimate, 2)
    -0.2
    """
    import pyfixest as pf

    func = "kamlib.crm_impact.did_twfe"
    panel = _check_panel(panel, func)
    require_columns(panel, [*controls, cluster], func)
    rhs = " + ".join(["treated", *controls])
    try:
        with _quiet():
            fit = pf.feols(
                f"y ~ {rhs} | unit + time", data=_for_pyfixest(panel), vcov={"CRV1": cluster}
            )
    except Exception as err:  # pyfixest raises many kinds; give one clear message
        raise FitError(f"{func}: the regression could not be fitted ({err}).") from err
    return _row(fit, "treated", "TWFE difference-in-differences")


def _identified(panel: pd.DataFrame, func: str, min_untreated: int = 1) -> pd.DataFrame:
    """Drop rows of periods with too few not-yet-live units to estimate that period's effect."""
    untreated_units = panel[panel["treated"] == 0].groupby("time")["unit"].nunique()
    rows_untreated = panel[panel["treated"] == 0].groupby("time").size()
    ok = panel["time"].map(untreated_units).fillna(0) >= min_untreated
    ok &= panel["time"].map(rows_untreated).fillna(0) >= 2
    if not ok.all():
        dropped = panel.loc[~ok, "time"]
        first, last = (
            (f"{dropped.min():%Y-%m-%d}", f"{dropped.max():%Y-%m-%d}")
            if pd.api.types.is_datetime64_any_dtype(dropped)
            else (dropped.min(), dropped.max())
        )
        warnings.warn(
            f"{func}: {int((~ok).sum())} row(s) from {dropped.nunique()} period(s) "
            f"({first} to {last}) were left out: in those periods fewer than two "
            "observations are not yet live, so what would have happened without the system "
            "cannot be estimated there.",
            UserWarning,
            stacklevel=3,
        )
    return panel[ok]


def did_imputation(panel: pd.DataFrame, *, cluster: str = "unit") -> DidResult:
    """Gardner's two-stage difference-in-differences (``did2s``), sound under staggered rollout.

    Stage 1 fits unit and time effects on the rows that are not yet live only; stage 2
    regresses the outcome net of those effects on ``treated``. Already-live regions never serve
    as controls, so an effect that differs by region or grows with time cannot bias the
    estimate (Gardner 2022; Borusyak, Jaravel and Spiess give the same point estimate). The
    estimate is the average effect over the live rows. Periods in which (almost) every unit is
    live are left out with a warning: without a not-yet-live unit that month, nothing shows
    what would have happened without the system.

    Parameters
    ----------
    panel : pandas.DataFrame
        A panel as :func:`~kamlib.crm_panels.kpi_panel` or :func:`~kamlib.crm_panels.ticket_panel` returns. Each period needs at
        least two not-yet-live observations (ticket-level data meet this easily).
    cluster : str
        Column to cluster the standard errors by.

    Returns
    -------
    DidResult

    Examples
    --------
    >>> panel = simulate_staggered(seed=3, units_per_cohort=3, dynamic=0.0, effect=-0.2,
    ...                            noise=0.01)
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     print(round(did_imputation(panel).estimate, 2))
    -0.2
    """
    import pyfixest as pf

    func = "kamlib.crm_impact.did_imputation"
    panel = _check_panel(panel, func)
    require_columns(panel, [cluster], func)
    data = _for_pyfixest(_identified(panel, func))
    if data["treated"].nunique() < 2:
        raise FitError(f"{func}: no live row is left once unidentified periods are removed.")
    data["treat"] = data["treated"].astype(bool)
    try:
        with _quiet():
            fit = pf.did2s(
                data,
                yname="y",
                first_stage="~ 0 | unit + time",
                second_stage="~ i(treat)",
                treatment="treat",
                cluster=cluster,
            )
    except ValueError as err:
        raise FitError(
            f"{func}: the two-stage estimator failed ({err}). This happens when a period or unit "
            "has a single not-yet-live observation; use finer data (ticket_panel) or fewer periods."
        ) from err
    return _row(fit, "treat::True", "two-stage DiD (did2s)")


def event_study(
    panel: pd.DataFrame,
    *,
    estimator: str = "did2s",
    window: tuple[int, int] = (-12, 12),
    cluster: str = "unit",
) -> pd.DataFrame:
    """The effect month by month around go-live (an event study).

    Event times outside ``window`` are pooled into its end points; the month before go-live
    (-1) is the reference. Before go-live the estimates should hover around 0 (no effect
    before the system exists: a check of parallel trends); after it they show how the effect
    builds up.

    Parameters
    ----------
    panel : pandas.DataFrame
        As for :func:`did_twfe` / :func:`did_imputation`.
    estimator : {"did2s", "twfe"}
        The two-stage estimator (default) or TWFE with event-time dummies.
    window : (int, int)
        First and last event time shown.
    cluster : str
        Column to cluster by.

    Returns
    -------
    pandas.DataFrame
        ``event_time``, ``estimate``, ``ci_low``, ``ci_high`` (95%), sorted by event time,
        with the reference month -1 as a row of zeros.

    Examples
    --------
    >>> panel = simulate_staggered(seed=4, units_per_cohort=3, dynamic=0.0, effect=-0.2,
    ...                            noise=0.01)
    >>> es = event_study(panel, estimator="twfe", window=(-3, 3))
    >>> es.set_index("event_time")["estimate"].round(1).tolist()
    [0.0, 0.0, 0.0, -0.2, -0.2, -0.2, -0.2]
    """
    import pyfixest as pf

    func = "kamlib.crm_impact.event_study"
    panel = _check_panel(panel, func)
    if estimator not in ("did2s", "twfe"):
        raise ParameterError(f"{func}: 'estimator' must be 'did2s' or 'twfe', got {estimator!r}.")
    if (
        not isinstance(window, tuple | list)
        or len(window) != 2
        or not all(isinstance(w, int | np.integer) for w in window)
        or not window[0] < -1 < 0 <= window[1]
    ):
        raise ParameterError(
            f"{func}: 'window' must be two whole numbers (first, last) with first < -1 and "
            f"last >= 0, got {window!r}."
        )
    data = _for_pyfixest(panel if estimator == "twfe" else _identified(panel, func))
    data["rel"] = data["event_time"].clip(window[0], window[1]).astype(float)
    try:
        with _quiet():
            if estimator == "twfe":
                fit = pf.feols(
                    "y ~ i(rel, ref=-1.0) | unit + time", data=data, vcov={"CRV1": cluster}
                )
            else:
                data["treat"] = data["treated"].astype(bool)
                fit = pf.did2s(
                    data,
                    yname="y",
                    first_stage="~ 0 | unit + time",
                    second_stage="~ i(rel, ref=-1.0)",
                    treatment="treat",
                    cluster=cluster,
                )
    except ValueError as err:
        raise FitError(f"{func}: the event study could not be fitted ({err}).") from err
    with _quiet():
        tidy = fit.tidy()
    rel = tidy.index.str.extract(r"rel::(-?\d+(?:\.\d+)?)", expand=False).astype(float)
    out = pd.DataFrame(
        {
            "event_time": rel.to_numpy(),
            "estimate": tidy["Estimate"].to_numpy(),
            "ci_low": tidy["2.5%"].to_numpy(),
            "ci_high": tidy["97.5%"].to_numpy(),
        }
    ).dropna(subset=["event_time"])
    ref = pd.DataFrame({"event_time": [-1.0], "estimate": [0.0], "ci_low": [0.0], "ci_high": [0.0]})
    out = pd.concat([out, ref], ignore_index=True).sort_values("event_time")
    out["event_time"] = out["event_time"].astype(int)
    return out.reset_index(drop=True)


def compare_estimators(panel: pd.DataFrame, *, truth: float | None = None) -> pd.DataFrame:
    """The naive, TWFE and two-stage estimates side by side (and their error, given the truth).

    Parameters
    ----------
    panel : pandas.DataFrame
        A panel as :func:`~kamlib.crm_panels.kpi_panel` or :func:`~kamlib.crm_panels.ticket_panel` returns.
    truth : float, optional
        The true average effect, if known, to show each estimate's error. When the panel has a
        ``true_effect`` column (:func:`simulate_staggered`) and ``truth`` is not given, each
        estimator is judged against the mean true effect over the live rows it used (the
        two-stage estimator leaves out periods with no not-yet-live unit).

    Returns
    -------
    pandas.DataFrame
        One row per estimator with the fields of :class:`DidResult`, ``pct_change`` and, with
        a truth, ``truth``, ``error`` (estimate - truth) and ``covers_truth`` (truth inside the
        95% CI).

    Examples
    --------
    >>> panel = simulate_staggered(seed=5, units_per_cohort=3, dynamic=0.0, effect=-0.2,
    ...                            noise=0.01)
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     table = compare_estimators(panel, truth=-0.2)
    >>> table["estimator"].tolist()
    ['naive before/after', 'TWFE difference-in-differences', 'two-stage DiD (did2s)']
    """
    func = "kamlib.crm_impact.compare_estimators"
    panel = _check_panel(panel, func)
    rows = [
        naive_estimate(panel).as_dict(),
        did_twfe(panel).as_dict(),
        did_imputation(panel).as_dict(),
    ]
    out = pd.DataFrame(rows)
    if truth is not None:
        out["truth"] = check_number(truth, "truth", func)
    elif "true_effect" in panel.columns:
        require_numeric(panel, "true_effect", func)
        live = panel[panel["treated"] == 1]["true_effect"].mean()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            used = _identified(panel, func)
        out["truth"] = [live, live, used.loc[used["treated"] == 1, "true_effect"].mean()]
    if "truth" in out.columns:
        out["error"] = out["estimate"] - out["truth"]
        out["covers_truth"] = (out["ci_low"] <= out["truth"]) & (out["truth"] <= out["ci_high"])
    return out


# ---------------------------------------------------------------------------------------------
# A rollout with a known effect
# ---------------------------------------------------------------------------------------------
def simulate_staggered(
    *,
    seed: int = 0,
    units_per_cohort: int = 10,
    go_live=(15, 18, 21, 24, 27),
    months: int = 36,
    effect: float = -0.1,
    dynamic: float = -0.03,
    cohort_spread: float = 0.0,
    trend: float = -0.004,
    noise: float = 0.1,
) -> pd.DataFrame:
    """A simulated staggered rollout whose true effect on every row is known.

    Units (e.g. branches) in five cohorts go live in months ``go_live`` (counted from 0); no
    unit stays untreated to the end, as at Huaxin. The outcome is

    ``y = unit level + trend * month + effect_it * live + noise``,

    with ``effect_it = effect + dynamic * months since go-live + cohort_spread * cohort index``.
    A non-zero ``dynamic`` makes the effect grow with time since go-live: the case where TWFE is
    biased and the two-stage estimator is not.

    Parameters
    ----------
    seed : int
        Random seed.
    units_per_cohort : int
        Units in each cohort.
    go_live : tuple of int
        Go-live month of each cohort (0 = first month).
    months : int
        Length of the panel.
    effect, dynamic, cohort_spread, trend, noise : float
        As in the formula above; ``noise`` is the standard deviation.

    Returns
    -------
    pandas.DataFrame
        A panel as :func:`~kamlib.crm_panels.kpi_panel` returns, plus ``true_effect`` (the effect on that row, 0
        before go-live) and ``cohort``. The true average effect on the live rows of any subset is
        ``subset.loc[subset.treated == 1, "true_effect"].mean()``.

    Examples
    --------
    >>> p = simulate_staggered(seed=0, units_per_cohort=2)
    >>> len(p), p["unit"].nunique()
    (360, 10)
    """
    func = "kamlib.crm_impact.simulate_staggered"
    seed = check_number(seed, "seed", func, low=0, integer=True)
    n = check_number(units_per_cohort, "units_per_cohort", func, low=1, integer=True)
    months = check_number(months, "months", func, low=2, integer=True)
    effect = check_number(effect, "effect", func)
    dynamic = check_number(dynamic, "dynamic", func)
    cohort_spread = check_number(cohort_spread, "cohort_spread", func)
    trend = check_number(trend, "trend", func)
    noise = check_number(noise, "noise", func, low=0)
    go_live = [
        check_number(g, "go_live month", func, low=1, high=months - 1, integer=True)
        for g in go_live
    ]
    if not go_live:
        raise ParameterError(f"{func}: 'go_live' is empty; give each cohort's go-live month.")
    rng = np.random.default_rng(seed)
    start = pd.Timestamp("2022-01-01")
    time = pd.date_range(start, periods=months, freq="MS")
    rows = []
    for c, g in enumerate(go_live):
        for u in range(n):
            level = rng.normal(3.0, 0.3)
            month = np.arange(months)
            live = month >= g
            true = np.where(live, effect + dynamic * (month - g) + cohort_spread * c, 0.0)
            y = level + trend * month + true + rng.normal(0, noise, months)
            rows.append(
                pd.DataFrame(
                    {
                        "unit": f"C{c + 1}-U{u + 1:02d}",
                        "time": time,
                        "go_live": time[g],
                        "y": y,
                        "true_effect": true,
                        "cohort": c + 1,
                    }
                )
            )
    frame = pd.concat(rows, ignore_index=True)
    panel = _finish_panel(frame["unit"], frame["time"], frame["go_live"], frame["y"], frame.index)
    panel["true_effect"] = frame["true_effect"].to_numpy()
    panel["cohort"] = frame["cohort"].to_numpy()
    return panel


def plot_kpi_trends(panel: pd.DataFrame, *, ax=None, ylabel: str = "Log of mean resolution hours"):
    """The outcome of each region over time, with its go-live month marked.

    Parameters
    ----------
    panel : pandas.DataFrame
        Output of :func:`~kamlib.crm_panels.kpi_panel`.
    ax : matplotlib Axes, optional
    ylabel : str
        Label of the outcome axis.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> plot_kpi_trends(simulate_staggered(units_per_cohort=1)).get_title()
    'Each region before and after its go-live (dashed line)'
    """
    func = "kamlib.crm_impact.plot_kpi_trends"
    panel = _check_panel(panel, func)
    ax = plot.get_ax(ax)
    for i, (unit, part) in enumerate(panel.groupby("unit", sort=False)):
        color = plot.PALETTE[i % len(plot.PALETTE)]
        ax.plot(part["time"], part["y"], color=color, label=unit, linewidth=1.2)
        ax.axvline(part["go_live"].iloc[0], color=color, linestyle="--", linewidth=0.9)
    ax.legend(loc="upper right", ncols=2, fontsize=8)
    return plot.label(ax, "Each region before and after its go-live (dashed line)", "Month", ylabel)


def plot_event_study(study: pd.DataFrame, *, truth=None, ax=None, label: str | None = None):
    """Event-study plot: the estimated effect by month relative to go-live, with 95% CIs.

    Parameters
    ----------
    study : pandas.DataFrame
        Output of :func:`event_study`.
    truth : float or pandas.Series, optional
        The true effect (one number, or a Series indexed by event time) to draw for comparison.
    ax : matplotlib Axes, optional
    label : str, optional
        Legend label of the estimates.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> es = pd.DataFrame({"event_time": [-2, -1, 0, 1], "estimate": [0.01, 0, -0.3, -0.3],
    ...                    "ci_low": [-0.05, 0, -0.4, -0.4], "ci_high": [0.07, 0, -0.2, -0.2]})
    >>> plot_event_study(es, truth=-0.3).get_xlabel()
    'Months relative to go-live (-1 = the month before)'
    """
    func = "kamlib.crm_impact.plot_event_study"
    require_frame(study, func, name="study")
    require_columns(study, ["event_time", "estimate", "ci_low", "ci_high"], func)
    for column in ("event_time", "estimate", "ci_low", "ci_high"):
        require_numeric(study, column, func)
    ax = plot.get_ax(ax)
    x = study["event_time"].to_numpy(dtype=float)
    ax.fill_between(x, study["ci_low"], study["ci_high"], color=plot.MAIN, alpha=0.18, linewidth=0)
    ax.plot(x, study["estimate"], color=plot.MAIN, marker="o", label=label or "estimate")
    ax.axhline(0, color=plot.MUTED, linewidth=0.8)
    ax.axvline(-0.5, color=plot.MUTED, linestyle=":", linewidth=0.9)
    if truth is not None:
        if isinstance(truth, pd.Series):
            ax.plot(
                truth.index,
                truth.to_numpy(),
                color=plot.ACCENT,
                linestyle="--",
                label="true effect",
            )
        else:
            truth = check_number(truth, "truth", func)
            after = x[x >= 0]
            ax.plot(
                after,
                np.full(len(after), truth),
                color=plot.ACCENT,
                linestyle="--",
                label="true effect",
            )
    ax.legend(loc="lower left")
    return plot.label(
        ax,
        "Effect of the CRM system by month around go-live",
        "Months relative to go-live (-1 = the month before)",
        "Effect on the outcome",
    )
