"""Repeat buying of customers without a contract: the customer summary and holdout checks.

When customers buy "whenever they like" (an online shop, a membership programme) nobody tells
the firm that they have left. Buying models such as BG/NBD (:mod:`kamlib.bgnbd`) read each
customer's purchase log as three numbers, the number of repeat purchases (``frequency``), the
time from the first to the last purchase (``recency``) and the time from the first purchase to
the end of the calibration period (``T``).

This module builds that summary from a purchase log (:func:`rfm_summary`), keeping a holdout
period apart, and checks a fitted model on the holdout (:func:`tracking_table`,
:func:`holdout_comparison` and their charts). The model itself
(:class:`~kamlib.bgnbd.BetaGeoModel`, :func:`~kamlib.bgnbd.simulate_bgnbd`) lives in
:mod:`kamlib.bgnbd`; spend per purchase (the Gamma-Gamma model) and customer lifetime value in
:mod:`kamlib.spend_model`. All their names are re-exported here, so
``kamlib.repeat_buying.BetaGeoModel`` and ``kamlib.repeat_buying.GammaGammaModel`` keep working.

>>> log = pd.DataFrame({"member_id": ["A", "A", "B"],
...                     "purchase_date": ["2024-01-01", "2024-01-15", "2024-01-08"],
...                     "amount_cny": [10.0, 30.0, 20.0]})
>>> rfm_summary(log, calibration_end="2024-01-29")["frequency"].tolist()
[1, 0]
"""

from __future__ import annotations

import warnings

import matplotlib.dates as mdates
import numpy as np
import pandas as pd

from kamlib import plot
from kamlib._models import UNIT_DAYS
from kamlib.bgnbd import BetaGeoModel, simulate_bgnbd
from kamlib.errors import DataError, ParameterError
from kamlib.spend_model import (
    GammaGammaModel,
    customer_lifetime_value,
    simulate_gamma_gamma,
    spend_frequency_correlation,
)
from kamlib.validation import (
    _show,
    as_binary,
    as_timestamp,
    check_choice,
    check_flag,
    check_number,
    require_columns,
    require_dates,
    require_frame,
    require_no_missing,
    require_non_negative,
    require_numeric,
)

__all__ = [
    "BetaGeoModel",
    "GammaGammaModel",
    "customer_lifetime_value",
    "holdout_comparison",
    "plot_holdout_comparison",
    "plot_tracking",
    "rfm_summary",
    "simulate_bgnbd",
    "simulate_gamma_gamma",
    "spend_frequency_correlation",
    "tracking_table",
]

_HERE = "kamlib.repeat_buying"


# --------------------------------------------------------------------------------------------
# The customer summary
# --------------------------------------------------------------------------------------------
def rfm_summary(
    transactions: pd.DataFrame,
    *,
    customer_col: str = "member_id",
    date_col: str = "purchase_date",
    value_col: str = "amount_cny",
    calibration_end,
    observation_end=None,
    freq: str = "W",
) -> pd.DataFrame:
    """Summarise a purchase log into the per-customer numbers the buying models need.

    Parameters
    ----------
    transactions : DataFrame
        One row per purchase: customer id, purchase date and basket value.
    customer_col, date_col, value_col : str
        Column names (defaults: the course's ``member_purchases`` table).
    calibration_end : date
        Last day of the calibration period (inclusive). Models are fitted on purchases up to
        this day.
    observation_end : date, optional
        Last day of a holdout period (inclusive); adds the holdout columns.
    freq : {"D", "W", "M"}
        Time unit of ``recency``, ``T`` and ``duration_holdout``: days, weeks (7 days) or
        average months (365.25/12 days).

    Returns
    -------
    DataFrame
        Indexed by customer (sorted), with columns

        * ``frequency``: repeat purchases in the calibration period, i.e. the number of
          distinct purchase **days** minus one (several purchases on the same day count as one
          purchase, their values summed: the *same-day rule*);
        * ``recency``: time from the first to the last purchase day, in ``freq`` units;
        * ``T``: time from the first purchase day to ``calibration_end``;
        * ``monetary_value``: mean value of the repeat purchase days (the first purchase is
          left out, as the Gamma-Gamma model expects); NaN when ``frequency`` is 0;
        * with ``observation_end``: ``frequency_holdout`` (purchase days in
          (calibration_end, observation_end]) and ``duration_holdout`` (its length).

        Customers whose first purchase comes after ``calibration_end`` cannot be summarised;
        they are left out with a ``UserWarning`` and counted in
        ``summary.attrs["excluded_customers"]``. Purchases after ``observation_end`` (or
        after ``calibration_end`` when there is no holdout) are ignored.
        ``summary.attrs["time_unit"]`` records ``freq``.

    Examples
    --------
    >>> log = pd.DataFrame({
    ...     "member_id": ["A", "A", "A", "A", "B"],
    ...     "purchase_date": pd.to_datetime(
    ...         ["2024-01-01", "2024-01-01", "2024-01-15", "2024-02-12", "2024-01-29"]),
    ...     "amount_cny": [10.0, 5.0, 30.0, 50.0, 20.0],
    ... })
    >>> rfm_summary(log, calibration_end="2024-02-26")  # doctest: +NORMALIZE_WHITESPACE
               frequency  recency    T  monetary_value
    member_id
    A                  2      6.0  8.0            40.0
    B                  0      0.0  4.0             NaN
    """
    func = f"{_HERE}.rfm_summary"
    log = _purchase_log(transactions, customer_col, date_col, func, value_col=value_col)
    check_choice(freq, "freq", func, UNIT_DAYS)
    cal_end, obs_end = _period_ends(calibration_end, observation_end, func)
    unit = UNIT_DAYS[freq]
    first = log.groupby("customer", sort=True)["day"].min()
    late = first > cal_end
    n_late = int(late.sum())
    if n_late == len(first):
        raise DataError(
            f"{func}: all {n_late} customer(s) made their first purchase after calibration_end "
            f"({cal_end.date()}; the first purchase in the log is on {first.min().date()}), so "
            "there is no one to summarise. Choose a later calibration_end."
        )
    log = log[log["day"] <= obs_end]
    # Same-day rule: all purchases of a customer on one day form one purchase.
    daily = log.groupby(["customer", "day"], sort=True, observed=True)["value"].sum().reset_index()
    if n_late:
        warnings.warn(
            f"{func}: {n_late} customer(s) made their first purchase after calibration_end "
            f"({cal_end.date()}) and are left out of the summary, e.g. "
            f"{_show(first.index[late][:3])}. They are counted in "
            "summary.attrs['excluded_customers'].",
            UserWarning,
            stacklevel=2,
        )
    first = first[~late]
    calib = daily[daily["day"] <= cal_end]
    grouped = calib.groupby("customer", sort=True)
    n_days = grouped["day"].count()
    last = grouped["day"].max()
    total = grouped["value"].sum()
    first_value = grouped["value"].first()  # days are sorted, so this is the first purchase
    frequency = (n_days - 1).astype(np.int64)
    with np.errstate(invalid="ignore", divide="ignore"):
        monetary = ((total - first_value) / frequency).where(frequency > 0)
    summary = pd.DataFrame(
        {
            "frequency": frequency,
            "recency": (last - first).dt.days / unit,
            "T": (cal_end - first).dt.days / unit,
            "monetary_value": monetary.astype(float),
        }
    )
    if observation_end is not None:
        hold = daily[(daily["day"] > cal_end) & daily["customer"].isin(summary.index)]
        counts = hold.groupby("customer")["day"].count()
        summary["frequency_holdout"] = counts.reindex(summary.index, fill_value=0).astype(np.int64)
        summary["duration_holdout"] = (obs_end - cal_end).days / unit
    summary.index.name = customer_col
    summary.attrs.update(
        {
            "time_unit": freq,
            "calibration_end": str(cal_end.date()),
            "excluded_customers": n_late,
        }
    )
    return summary


def _purchase_log(transactions, customer_col, date_col, func, *, value_col=None) -> pd.DataFrame:
    """The checked purchase log as columns ``customer``, ``day`` (date at midnight) and, with
    ``value_col``, ``value``."""
    require_frame(transactions, func, name="transactions")
    require_columns(
        transactions, [customer_col, date_col, *([value_col] if value_col else [])], func
    )
    log = {"customer": require_no_missing(transactions, customer_col, func, what="customer id")}
    if value_col:
        log["value"] = require_non_negative(transactions, value_col, func).astype(float)
    log["day"] = require_dates(transactions, date_col, func).dt.normalize()
    return pd.DataFrame({k: v.to_numpy() for k, v in log.items()})


def _period_ends(calibration_end, observation_end, func, *, need_holdout=False):
    """End of the calibration and of the holdout period (the same day without a holdout)."""
    cal_end = as_timestamp(calibration_end, "calibration_end", func).normalize()
    if observation_end is None and not need_holdout:
        return cal_end, cal_end
    obs_end = as_timestamp(observation_end, "observation_end", func).normalize()
    if obs_end <= cal_end:
        raise ParameterError(
            f"{func}: 'observation_end' ({obs_end.date()}) must come after "
            f"'calibration_end' ({cal_end.date()}). Pass a later end of the holdout period."
        )
    return cal_end, obs_end


# --------------------------------------------------------------------------------------------
# Checking a fit on a holdout period
# --------------------------------------------------------------------------------------------
def _require_fitted_bgnbd(model, func: str) -> None:
    if not isinstance(model, BetaGeoModel):
        raise ParameterError(f"{func}: 'model' must be a fitted BetaGeoModel, got {model!r}.")
    model._fitted(func)  # raises NotFittedError


def tracking_table(
    model: BetaGeoModel,
    transactions: pd.DataFrame,
    *,
    calibration_end,
    observation_end,
    customer_col: str = "member_id",
    date_col: str = "purchase_date",
    freq: str = "W",
) -> pd.DataFrame:
    """Actual versus expected cumulative repeat purchases, period by period.

    The customers are those of :func:`rfm_summary` with the same ``calibration_end`` (first
    purchase on or before it), with the same-day rule. For each period end g (every ``freq``
    back from ``observation_end``), the expected count is the sum over customers of
    E[X(g - first purchase)], the model's unconditional expectation; up to ``calibration_end``
    this shows the in-sample fit, after it a forecast.

    Parameters
    ----------
    model : BetaGeoModel
        Fitted on the calibration summary, with time in ``freq`` units.
    transactions : DataFrame
        The purchase log.
    calibration_end, observation_end : date
        End of the calibration period and of the holdout period (both inclusive).
    customer_col, date_col : str
        Column names.
    freq : {"D", "W", "M"}
        Length of one period; must be the time unit the model was fitted in.

    Returns
    -------
    DataFrame
        Indexed by ``period_end`` (a date), with ``actual`` and ``expected`` cumulative repeat
        purchases, ``actual_in_period``, ``expected_in_period`` and ``holdout`` (True after
        ``calibration_end``).
    """
    func = f"{_HERE}.tracking_table"
    _require_fitted_bgnbd(model, func)
    # One row per customer and purchase day (the same-day rule), up to the holdout's end.
    days = _purchase_log(transactions, customer_col, date_col, func).drop_duplicates()
    check_choice(freq, "freq", func, UNIT_DAYS)
    cal_end, obs_end = _period_ends(calibration_end, observation_end, func, need_holdout=True)
    days = days[days["day"] <= obs_end]
    first = days.groupby("customer")["day"].transform("min")
    days, first = days[first <= cal_end], first[first <= cal_end]
    if days.empty:
        raise DataError(
            f"{func}: no customer made a first purchase on or before {cal_end.date()}. "
            "Choose a later calibration_end."
        )
    origin = first.min()
    first_day = (days.groupby("customer")["day"].min() - origin).dt.days.to_numpy()
    repeat_day = np.sort((days["day"] - origin).dt.days[days["day"] > first].to_numpy())
    unit = UNIT_DAYS[freq]
    last = (obs_end - origin).days
    steps = np.arange(int(np.floor(last / unit)), -1, -1)
    grid = np.floor(last - steps * unit).astype(int)
    grid = grid[grid > 0]
    actual = np.searchsorted(repeat_day, grid, side="right")
    # E[X(t)] on every whole day offset, summed over the customers' first-purchase days: the
    # expected count on day g is sum_k cohort[k] * curve[g - k], a convolution.
    curve = np.asarray(model.expected_purchases(np.arange(last + 1) / unit))
    cohort = np.bincount(first_day, minlength=last + 1).astype(float)
    expected = np.convolve(cohort, curve)[grid]
    period_end = origin + pd.to_timedelta(grid, unit="D")
    return pd.DataFrame(
        {
            "actual": actual.astype(np.int64),
            "expected": expected,
            "actual_in_period": np.diff(actual, prepend=0).astype(np.int64),
            "expected_in_period": np.diff(expected, prepend=0.0),
            "holdout": period_end > cal_end,
        },
        index=pd.DatetimeIndex(period_end, name="period_end"),
    )


def plot_tracking(table: pd.DataFrame, *, cumulative: bool = True, ax=None):
    """Chart actual against expected repeat purchases from :func:`tracking_table`."""
    func = f"{_HERE}.plot_tracking"
    require_frame(table, func, name="table")
    require_columns(table, ["actual", "expected", "holdout"], func)
    cumulative = check_flag(cumulative, "cumulative", func)
    columns = ["actual", "expected"] if cumulative else ["actual_in_period", "expected_in_period"]
    require_columns(table, columns, func)
    for column in columns:
        require_numeric(table, column, func)
    as_binary(table["holdout"], "holdout", func)
    ax = plot.get_ax(ax)
    if cumulative:
        actual, expected = table["actual"], table["expected"]
        ylabel = "Repeat purchases so far"
    else:
        require_columns(table, ["actual_in_period", "expected_in_period"], func)
        actual, expected = table["actual_in_period"], table["expected_in_period"]
        ylabel = "Repeat purchases in the period"
    ax.plot(table.index, actual, color=plot.MAIN, lw=2, label="Actual")
    ax.plot(table.index, expected, color=plot.ACCENT, lw=2, ls="--", label="BG/NBD expected")
    calib = table.index[~table["holdout"].to_numpy()]
    if len(calib) and table["holdout"].any():
        ax.axvline(calib[-1], color=plot.MUTED, ls=":", lw=1.5)
        ax.text(
            calib[-1],
            0.02,
            "end of calibration ",
            transform=ax.get_xaxis_transform(),  # x in dates, y as a share of the height
            ha="right",
            va="bottom",
            color=plot.MUTED,
            fontsize=9,
        )
    if isinstance(table.index, pd.DatetimeIndex):
        locator = mdates.AutoDateLocator()
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax.legend(loc="upper left")
    return plot.label(ax, "Repeat purchases: actual vs model", "Period ending", ylabel)


def holdout_comparison(
    model: BetaGeoModel, summary: pd.DataFrame, *, max_frequency: int = 7
) -> pd.DataFrame:
    """Actual versus predicted holdout purchases, grouped by calibration frequency.

    For each customer the model predicts E[Y(t) | x, t_x, T] for the holdout length t
    (``duration_holdout``); customers are grouped by calibration frequency, with every
    frequency of ``max_frequency`` or more in the last group.

    Parameters
    ----------
    model : BetaGeoModel
        Fitted on the calibration columns of ``summary``.
    summary : DataFrame
        From :func:`rfm_summary` with ``observation_end`` (needs ``frequency_holdout`` and
        ``duration_holdout``).
    max_frequency : int, default 7
        Frequencies at or above it are pooled (the row labelled ``max_frequency`` means
        "that many or more").

    Returns
    -------
    DataFrame
        Indexed by ``frequency`` (calibration repeat purchases), with ``customers``,
        ``actual`` and ``predicted`` mean holdout purchases per customer.
    """
    func = f"{_HERE}.holdout_comparison"
    _require_fitted_bgnbd(model, func)
    require_frame(summary, func, name="summary")
    require_columns(
        summary, ["frequency", "recency", "T", "frequency_holdout", "duration_holdout"], func
    )
    max_frequency = check_number(max_frequency, "max_frequency", func, low=1, integer=True)
    require_non_negative(summary, "frequency_holdout", func)
    require_non_negative(summary, "duration_holdout", func)
    predicted = model._conditional(
        summary["duration_holdout"], summary["frequency"], summary["recency"], summary["T"], func
    )
    group = np.minimum(summary["frequency"].to_numpy(), max_frequency).astype(np.int64)
    frame = pd.DataFrame(
        {
            "frequency": group,
            "actual": summary["frequency_holdout"].to_numpy(dtype=float),
            "predicted": np.asarray(predicted),
        }
    )
    table = frame.groupby("frequency").agg(
        customers=("actual", "size"), actual=("actual", "mean"), predicted=("predicted", "mean")
    )
    table.attrs["max_frequency"] = max_frequency
    return table


def plot_holdout_comparison(table: pd.DataFrame, *, ax=None):
    """Chart :func:`holdout_comparison`: actual and predicted holdout purchases by frequency."""
    func = f"{_HERE}.plot_holdout_comparison"
    require_frame(table, func, name="table")
    require_columns(table, ["actual", "predicted"], func)
    for column in ("actual", "predicted"):
        require_non_negative(table, column, func)
    ax = plot.get_ax(ax)
    labels = [str(v) for v in table.index]
    if table.attrs.get("max_frequency") == table.index[-1]:
        labels[-1] += "+"
    pos = np.arange(len(table))
    ax.plot(pos, table["actual"], marker="o", color=plot.MAIN, lw=2, label="Actual")
    ax.plot(pos, table["predicted"], marker="s", color=plot.ACCENT, lw=2, ls="--", label="BG/NBD")
    ax.set_xticks(pos, labels)
    ax.legend(loc="upper left")
    return plot.label(
        ax,
        "Holdout purchases by past buying",
        "Repeat purchases in the calibration period",
        "Mean purchases per customer in the holdout",
    )
