"""Gains tables and lift: how many of the wanted cases the best-scored customers hold.

Any model that scores customers (a look-alike model for new leads, a churn model for existing
accounts) is judged by what its ranking buys the team that acts on it: if sales calls, or
retention offers, go to the best-scored customers first, how many of the converters, or of the
churners, do they reach? Sort the customers by score, cut them into equal bands and count the
*events* (conversions, churns) in each band:

* **lift** is a band's event rate over the overall rate (1 = no better than a random order);
* the **cumulative gains curve** plots the share of all events reached against the share of
  customers contacted, best scores first.

:func:`gains_table` builds the table in general words (``cases``, ``events``);
:func:`plot_gains` and :func:`plot_lift` draw it. :mod:`kamlib.prospects` uses it with the
words of the look-alike chapter (``prospects``, ``conversions``).

>>> g = gains_table([1, 0, 1, 0], [0.9, 0.8, 0.7, 0.1], n_bins=2)
>>> g[["band", "events", "lift"]]
   band  events  lift
0     1       1   1.0
1     2       1   1.0
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kamlib import plot
from kamlib.errors import DataError
from kamlib.validation import (
    as_binary,
    check_number,
    require_columns,
    require_frame,
    require_numeric,
)

__all__ = ["gains_table", "plot_gains", "plot_lift"]


def gains_table(y_true, scores, *, n_bins: int = 10) -> pd.DataFrame:
    """Gains and lift by score band: how many of the events the best-scored cases hold.

    Cases are sorted by score, highest first (ties keep their input order), and cut into
    ``n_bins`` bands of equal size (sizes differ by at most one); band 1 holds the top scores.

    Parameters
    ----------
    y_true : array-like of bool or 0/1
        Whether the event happened for each case (converted, churned, ...).
    scores : array-like of float
        The model's score (e.g. probability of the event), same length.
    n_bins : int
        Number of bands (default 10: deciles).

    Returns
    -------
    pandas.DataFrame
        One row per band: ``band``, ``cases``, ``events``, ``event_rate``, ``lift`` (band rate
        / overall rate), ``cum_share_cases``, ``cum_share_events`` (share of all events
        captured so far, the gains curve) and ``cum_lift``
        (``cum_share_events / cum_share_cases``).

    Raises
    ------
    ~kamlib.errors.DataError
        If the outcomes are not True/False or 0/1, the scores are not finite numbers, the
        lengths differ, there are fewer cases than bands, or no event happened.

    Examples
    --------
    >>> g = gains_table([1, 1, 0, 1, 0, 0, 0, 0, 0, 0], [.9, .8, .7, .6, .5, .4, .3, .2, .1, 0],
    ...                 n_bins=5)
    >>> g[["band", "events", "cum_share_events", "lift"]].round(3)
       band  events  cum_share_events   lift
    0     1       2             0.667  3.333
    1     2       1             1.000  1.667
    2     3       0             1.000  0.000
    3     4       0             1.000  0.000
    4     5       0             1.000  0.000
    """
    func = "kamlib.gains.gains_table"
    return _gains(y_true, scores, n_bins, func)


def _gains(y_true, scores, n_bins, func: str) -> pd.DataFrame:
    """The gains table of :func:`gains_table`, with messages naming ``func``."""
    n_bins = check_number(n_bins, "n_bins", func, low=2, integer=True)
    if np.ndim(y_true) != 1 or np.ndim(scores) != 1:
        raise DataError(
            f"{func}: 'y_true' and 'scores' must each be one column of values (a list, array or "
            f"Series), got {type(y_true).__name__} and {type(scores).__name__}."
        )
    outcome = as_binary(y_true, "y_true", func)
    score = pd.Series(np.asarray(scores))
    if len(score) != len(outcome):
        raise DataError(
            f"{func}: 'scores' has {len(score)} values for {len(outcome)} outcomes. Pass one "
            "score per case."
        )
    require_numeric(pd.DataFrame({"scores": score.to_numpy()}), "scores", func)
    if len(outcome) < n_bins:
        raise DataError(
            f"{func}: {len(outcome)} cases cannot fill {n_bins} bands. Use fewer bands."
        )
    if not outcome.any():
        raise DataError(
            f"{func}: no case in 'y_true' is 1/True (no conversion, no churn...), so the "
            "bands have no event to capture. Check the outcome column."
        )
    order = np.argsort(-score.to_numpy(dtype=float), kind="stable")
    n = len(outcome)
    band = np.arange(n) * n_bins // n + 1
    frame = pd.DataFrame({"band": band, "event": outcome[order]})
    table = frame.groupby("band").agg(cases=("event", "size"), events=("event", "sum"))
    table = table.reset_index()
    table["event_rate"] = table["events"] / table["cases"]
    table["lift"] = table["event_rate"] / outcome.mean()
    table["cum_share_cases"] = table["cases"].cumsum() / n
    table["cum_share_events"] = table["events"].cumsum() / outcome.sum()
    table["cum_lift"] = table["cum_share_events"] / table["cum_share_cases"]
    table["events"] = table["events"].astype(int)
    return table


def _share_column(gains: pd.DataFrame, column: str, func: str) -> np.ndarray:
    """A cumulative share column as floats, refusing NaN and values outside 0-1."""
    values = require_numeric(gains, column, func).to_numpy(dtype=float)
    if ((values < 0) | (values > 1)).any():
        raise DataError(
            f"{func}: column '{column}' must hold shares between 0 and 1, found "
            f"{values[(values < 0) | (values > 1)][:3].tolist()}. Pass the output of "
            "gains_table."
        )
    return values


def plot_gains(
    gains: pd.DataFrame,
    *,
    ax=None,
    label: str = "Model",
    title: str = "Gains: acting on the best-scored customers first",
    xlabel: str = "Share of customers contacted (best scores first)",
    ylabel: str = "Share of all events reached",
    x_col: str = "cum_share_cases",
    y_col: str = "cum_share_events",
):
    """Cumulative gains curve: share of the events reached by contacting the top-scored cases.

    Parameters
    ----------
    gains : pandas.DataFrame
        Output of :func:`gains_table`.
    label, title, xlabel, ylabel : str
        The curve's legend entry and the chart's words (say "churners", "leads", ...).
    x_col, y_col : str
        The cumulative share columns (defaults: those of :func:`gains_table`).

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> ax = plot_gains(gains_table([1, 0, 1, 0], [0.9, 0.8, 0.7, 0.1], n_bins=2))
    >>> ax.get_xlabel()
    'Share of customers contacted (best scores first)'
    """
    return _draw_gains(
        gains, ax, label, (title, xlabel, ylabel), x_col, y_col, "kamlib.gains.plot_gains"
    )


def _draw_gains(gains, ax, label, words, x_col, y_col, func: str):
    """Draw :func:`plot_gains` with messages naming ``func``."""
    require_frame(gains, func, name="gains")
    require_columns(gains, [x_col, y_col], func)
    x = np.concatenate([[0.0], _share_column(gains, x_col, func)])
    y = np.concatenate([[0.0], _share_column(gains, y_col, func)])
    ax = plot.get_ax(ax)
    ax.plot(x, y, marker="o", color=plot.MAIN, label=str(label))
    ax.plot([0, 1], [0, 1], linestyle="--", color=plot.MUTED, label="Random order")
    plot.label(ax, *words)
    plot.share_axis(ax, "x")
    plot.share_axis(ax, "y")
    ax.legend(loc="lower right")
    return ax


def plot_lift(
    gains: pd.DataFrame,
    *,
    ax=None,
    title: str = "Lift by score band",
    ylabel: str = "Event rate / overall rate",
):
    """Bar chart of lift per score band (1 = as good as picking customers at random).

    Parameters
    ----------
    gains : pandas.DataFrame
        Output of :func:`gains_table` (columns ``band`` and ``lift``).
    title, ylabel : str
        The chart's words.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> ax = plot_lift(gains_table([1, 0, 1, 0], [0.9, 0.8, 0.7, 0.1], n_bins=2))
    >>> ax.get_title()
    'Lift by score band'
    """
    return _draw_lift(gains, ax, title, ylabel, "kamlib.gains.plot_lift")


def _draw_lift(gains, ax, title, ylabel, func: str):
    """Draw :func:`plot_lift` with messages naming ``func``."""
    require_frame(gains, func, name="gains")
    require_columns(gains, ["band", "lift"], func)
    require_numeric(gains, "band", func)
    lift = require_numeric(gains, "lift", func)
    if (lift < 0).any():
        raise DataError(
            f"{func}: column 'lift' has negative values; a lift is a ratio of rates. Pass the "
            "output of gains_table."
        )
    ax = plot.get_ax(ax)
    colors = [plot.GOOD if v >= 1 else plot.MUTED for v in lift]
    ax.bar(gains["band"].astype(str), lift, color=colors)
    ax.axhline(1.0, color="black", linewidth=1)
    plot.label(ax, title, "Score band (1 = highest scores)", ylabel)
    return ax
