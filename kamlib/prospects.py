"""Finding new key accounts: the persona of today's best accounts, look-alike scoring, the funnel.

Mining potential customers (潜在客户挖掘) starts from the accounts a supplier already values
most. Their customer profile (客户画像, :func:`persona`) says which industries, regions and sizes
to look for; a look-alike model (:class:`~kamlib.lookalike.LookalikeModel`) scores new leads by
how likely they are to place a first order, and is judged on later leads with ROC AUC and a
gains table (:func:`~kamlib.lookalike.evaluate`, :func:`~kamlib.lookalike.gains_table`); the
sales funnel (销售漏斗, :func:`funnel`) shows where leads from market research (市场调研),
trade shows (行业展会) and other sources drop out.

The look-alike model and its evaluation live in :mod:`kamlib.lookalike` (general gains tables
and lift in :mod:`kamlib.gains`); their names are re-exported here, so
``prospects.LookalikeModel`` and ``prospects.evaluate`` work as before.

>>> import pandas as pd
>>> from kamlib import prospects
>>> leads = pd.DataFrame({"stage_reached": ["lead", "contacted", "won", "qualified"]})
>>> prospects.funnel(leads)["reached"].tolist()
[4, 3, 2, 1, 1]
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np
import pandas as pd

from kamlib import plot
from kamlib.datasets.schemas import FUNNEL_STAGES
from kamlib.errors import DataError, ParameterError
from kamlib.lookalike import (
    LookalikeEvaluation,
    LookalikeModel,
    evaluate,
    gains_table,
    plot_gains,
    plot_lift,
)
from kamlib.validation import (
    check_names,
    check_number,
    require_columns,
    require_frame,
    require_no_missing,
    require_non_negative,
    require_numeric,
    require_unique,
)

__all__ = [
    "LookalikeEvaluation",
    "LookalikeModel",
    "evaluate",
    "funnel",
    "gains_table",
    "persona",
    "plot_funnel",
    "plot_gains",
    "plot_lift",
    "plot_persona",
]

_FILL_UNKNOWN = "Fill them (e.g. with 'unknown') first."


# ---------------------------------------------------------------------------------------------
# Persona of the best accounts
# ---------------------------------------------------------------------------------------------
def _best_mask(accounts: pd.DataFrame, best, id_col: str, func: str) -> np.ndarray:
    """Turn a boolean mask or a list of ids into a boolean array aligned with ``accounts``."""
    if isinstance(best, pd.Series) and pd.api.types.is_bool_dtype(best):
        if best.isna().any():
            raise DataError(f"{func}: the 'best' mask has missing values. Use True/False only.")
        if not best.index.equals(accounts.index):
            raise DataError(
                f"{func}: the 'best' mask has a different index from 'accounts'. Build it from "
                "the same table, e.g. accounts['account_id'].isin(top_ids)."
            )
        return best.to_numpy(dtype=bool)
    if isinstance(best, np.ndarray) and best.dtype == bool:
        if len(best) != len(accounts):
            raise DataError(
                f"{func}: the 'best' mask has {len(best)} entries for {len(accounts)} accounts."
            )
        return best
    if isinstance(best, str) or not isinstance(best, Iterable):
        raise ParameterError(
            f"{func}: 'best' must be a boolean mask or a list of account ids, got "
            f"{type(best).__name__}."
        )
    ids = list(best)
    keys = accounts[id_col] if id_col in accounts.columns else accounts.index.to_series()
    unknown = sorted(set(ids) - set(keys))
    if unknown:
        raise DataError(
            f"{func}: {len(unknown)} id(s) in 'best' are not in the accounts table, e.g. "
            f"{unknown[:3]!r}. Pass ids from column '{id_col}'."
        )
    return keys.isin(ids).to_numpy()


def _bands(values: pd.Series, bins: int) -> pd.Series:
    """Cut a numeric column into (up to) ``bins`` equal-count bands labelled by their range."""
    codes, edges = pd.qcut(values, q=bins, labels=False, retbins=True, duplicates="drop")
    labels = [f"{edges[i]:,.4g} to {edges[i + 1]:,.4g}" for i in range(len(edges) - 1)]
    return pd.Series(
        pd.Categorical.from_codes(codes.astype(int), categories=labels, ordered=True),
        index=values.index,
    )


def persona(
    accounts: pd.DataFrame,
    best,
    *,
    features: Iterable[str] = ("industry", "region", "size_band", "employees"),
    id_col: str = "account_id",
    bins: int = 4,
) -> pd.DataFrame:
    """Customer profile (客户画像) of the best accounts compared with the rest, with lift.

    For each feature and each of its levels the table gives how common the level is among the
    best accounts, among the rest and overall. ``lift = share_best / share_all``: above 1 the
    level is over-represented among the best accounts (a trait to look for in prospects).
    Numeric features are cut into ``bins`` equal-count bands over all accounts first, with
    their values as they are (the course schema's ranges, such as at least one employee, are
    checked by :func:`kamlib.datasets.validate`).

    Parameters
    ----------
    accounts : pandas.DataFrame
        One row per account with the ``features`` columns (no missing values).
    best : boolean Series/array or iterable of ids
        Which accounts are the best ones: a mask aligned with ``accounts`` or ids from
        ``id_col``. There must be at least one best account and one other.
    features : iterable of str
        Columns to profile: categories, booleans or numbers.
    bins : int
        Number of bands for numeric features (default 4: quartiles).

    Returns
    -------
    pandas.DataFrame
        Tidy table with columns ``feature``, ``level``, ``n_best``, ``n_rest``, ``share_best``,
        ``share_rest``, ``share_all`` and ``lift``; shares add to 1 within a feature and group.

    Examples
    --------
    >>> accounts = pd.DataFrame({"account_id": list("ABCD"), "region": ["E", "E", "W", "W"]})
    >>> profile = persona(accounts, ["A", "B", "C"], features=["region"])
    >>> profile[["level", "share_best", "lift"]]
      level  share_best      lift
    0     E    0.666667  1.333333
    1     W    0.333333  0.666667
    """
    func = "kamlib.prospects.persona"
    require_frame(accounts, func, name="accounts")
    features = check_names(features, "features", func)
    require_columns(accounts, features, func)
    if isinstance(id_col, str) and id_col in accounts.columns:
        require_no_missing(accounts, id_col, func, what="account id")
        require_unique(accounts, id_col, func)
    bins = check_number(bins, "bins", func, low=2, high=20, integer=True)
    mask = _best_mask(accounts, best, id_col, func)
    n_best, n_rest = int(mask.sum()), int((~mask).sum())
    if n_best == 0 or n_rest == 0:
        raise DataError(
            f"{func}: 'best' selects {n_best} of {len(accounts)} accounts; a profile compares "
            "the best accounts with the rest, so both groups need at least one account."
        )
    rows = []
    for feature in features:
        column = require_no_missing(
            accounts, feature, func, fix="Fill them (e.g. with 'unknown') before profiling."
        )
        if pd.api.types.is_datetime64_any_dtype(column):
            raise DataError(
                f"{func}: column '{feature}' holds dates. Turn it into a number first, e.g. "
                "years as a customer."
            )
        numeric = pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column)
        if numeric:
            require_numeric(accounts, feature, func)  # no infinite values
        elif column.map(type).nunique() > 1:  # numbers and text mixed in one column
            raise DataError(
                f"{func}: column '{feature}' mixes numbers and text (e.g. "
                f"{column.drop_duplicates().head(3).tolist()}). Convert it to one type first."
            )
        levels = _bands(column.astype(float), bins) if numeric else column
        best_counts = levels[mask].value_counts(sort=False)
        rest_counts = levels[~mask].value_counts(sort=False)
        table = pd.DataFrame({"n_best": best_counts, "n_rest": rest_counts}).fillna(0)
        table = table[(table["n_best"] + table["n_rest"]) > 0]
        if not isinstance(levels.dtype, pd.CategoricalDtype):
            table = table.sort_index()
        for level, row in table.iterrows():
            share_best = row["n_best"] / n_best
            share_all = (row["n_best"] + row["n_rest"]) / len(accounts)
            rows.append(
                {
                    "feature": feature,
                    "level": str(level),
                    "n_best": int(row["n_best"]),
                    "n_rest": int(row["n_rest"]),
                    "share_best": share_best,
                    "share_rest": row["n_rest"] / n_rest,
                    "share_all": share_all,
                    "lift": share_best / share_all,
                }
            )
    return pd.DataFrame(rows)


def plot_persona(profile: pd.DataFrame, *, ax=None, title: str | None = None):
    """Horizontal bars of lift per feature level; bars right of 1 mark traits of the best.

    Parameters
    ----------
    profile : pandas.DataFrame
        Output of :func:`persona`.

    Returns
    -------
    matplotlib.axes.Axes
    """
    func = "kamlib.prospects.plot_persona"
    require_frame(profile, func, name="profile")
    require_columns(profile, ["feature", "level", "lift", "share_best"], func)
    for column in ("feature", "level"):
        require_no_missing(profile, column, func, what="label")
    for column in ("lift", "share_best"):
        require_non_negative(profile, column, func)
    labels = (profile["feature"] + ": " + profile["level"]).tolist()
    lift = profile["lift"].to_numpy(dtype=float)
    ax = plot.get_ax(ax, figsize=(7.5, max(3.0, 0.27 * len(profile) + 1.2)))
    positions = np.arange(len(profile))[::-1]
    colors = [plot.GOOD if v > 1 else plot.MUTED for v in lift]
    ax.barh(positions, lift, color=colors)
    ax.axvline(1.0, color="black", linewidth=1)
    ax.set_yticks(positions)
    ax.set_yticklabels(labels, fontsize=8.5)
    ax.grid(axis="y", visible=False)
    for y, value, share in zip(positions, lift, profile["share_best"], strict=True):
        ax.text(value, y, f" {share:.0%}", va="center", fontsize=7.5)
    plot.label(
        ax,
        title or "Profile of the best accounts",
        "Lift = share among the best / share among all (label: share among the best)",
        "",
    )
    return ax


# ---------------------------------------------------------------------------------------------
# The sales funnel
# ---------------------------------------------------------------------------------------------
def funnel(
    prospects: pd.DataFrame,
    *,
    stage_col: str = "stage_reached",
    stages: Iterable[str] = FUNNEL_STAGES,
    by: str | None = None,
) -> pd.DataFrame:
    """Sales funnel (销售漏斗): how many prospects reached each stage and the conversion rates.

    ``stage_col`` holds the furthest stage a prospect reached, so a prospect counts as having
    reached every stage up to and including that one.

    Parameters
    ----------
    prospects : pandas.DataFrame
        One row per prospect.
    stage_col : str
        Column with the furthest stage reached (default ``"stage_reached"``).
    stages : iterable of str
        The stages in order (default lead, contacted, qualified, proposal, won).
    by : str, optional
        A column to split the funnel by, e.g. ``"lead_source"``.

    Returns
    -------
    pandas.DataFrame
        One row per stage (per group when ``by`` is given, the group in the first column):
        ``stage``, ``reached`` (count), ``step_conversion`` (reached / reached at the previous
        stage; 1 for the first stage, NaN if no one reached the previous stage) and
        ``cumulative_conversion`` (reached / reached at the first stage).

    Examples
    --------
    >>> leads = pd.DataFrame({"stage_reached": ["lead", "won", "proposal", "lead"]})
    >>> funnel(leads)
           stage  reached  step_conversion  cumulative_conversion
    0       lead        4              1.0                   1.00
    1  contacted        2              0.5                   0.50
    2  qualified        2              1.0                   0.50
    3   proposal        2              1.0                   0.50
    4        won        1              0.5                   0.25
    """
    func = "kamlib.prospects.funnel"
    require_frame(prospects, func, name="prospects")
    if isinstance(stages, str):
        raise ParameterError(f"{func}: 'stages' must be a list of stage names, got a string.")
    stages = check_names(stages, "stages", func)
    if len(stages) < 2 or len(set(stages)) != len(stages):
        raise ParameterError(
            f"{func}: 'stages' must list at least two different stages in order, got {stages!r}."
        )
    require_columns(prospects, [stage_col] + ([by] if by is not None else []), func)
    stage = require_no_missing(
        prospects,
        stage_col,
        func,
        what="stage",
        fix="Every prospect reached at least the first stage; fill them in.",
    )
    text = stage.astype(str)
    bad = ~text.isin(stages)
    if bad.any():
        raise DataError(
            f"{func}: column '{stage_col}' has {int(bad.sum())} value(s) that are not stages "
            f"{stages!r}, e.g. {sorted(set(text[bad]))[:3]!r}. Fix the labels or pass 'stages'."
        )
    if by is not None:
        require_no_missing(prospects, by, func, fix=_FILL_UNKNOWN)
    depth = text.map({s: i for i, s in enumerate(stages)}).to_numpy()

    def one(depths: np.ndarray) -> pd.DataFrame:
        reached = np.array([(depths >= i).sum() for i in range(len(stages))])
        previous = np.concatenate([[reached[0]], reached[:-1]]).astype(float)
        with np.errstate(divide="ignore", invalid="ignore"):
            step = np.where(previous > 0, reached / previous, np.nan)
            cumulative = np.where(reached[0] > 0, reached / reached[0], np.nan)
        return pd.DataFrame(
            {
                "stage": stages,
                "reached": reached.astype(int),
                "step_conversion": step,
                "cumulative_conversion": cumulative,
            }
        )

    if by is None:
        return one(depth)
    groups = prospects[by]
    keys = (
        [k for k in groups.cat.categories if (groups == k).any()]
        if isinstance(groups.dtype, pd.CategoricalDtype)
        else sorted(groups.unique())
    )
    parts = []
    for key in keys:
        part = one(depth[(groups == key).to_numpy()])
        part.insert(0, by, key)
        parts.append(part)
    return pd.concat(parts, ignore_index=True)


def plot_funnel(table: pd.DataFrame, *, ax=None, by: str | None = None):
    """Draw the funnel: centred bars per stage (overall), or cumulative conversion per group.

    A conversion rate left empty (NaN: no one reached the stage before) is not drawn; stage
    names and counts must be complete and counts non-negative.

    Parameters
    ----------
    table : pandas.DataFrame
        Output of :func:`funnel` (with ``by`` when it was split by a column).
    by : str, optional
        The grouping column, if any: then one line per group shows the share of its leads
        that reach each stage.

    Returns
    -------
    matplotlib.axes.Axes
    """
    func = "kamlib.prospects.plot_funnel"
    require_frame(table, func, name="table")
    require_columns(table, ["stage", "reached", "step_conversion", "cumulative_conversion"], func)
    require_no_missing(table, "stage", func, what="stage name")
    require_non_negative(table, "reached", func)
    for column in ("step_conversion", "cumulative_conversion"):
        # NaN is a stage no one reached the step before (see funnel); it is drawn as a gap.
        require_numeric(table, column, func, allow_missing=True)
        if (table[column] < 0).any():
            raise DataError(f"{func}: column '{column}' has negative rates. Pass funnel's output.")
    ax = plot.get_ax(ax)
    if by is not None:
        require_columns(table, [by], func)
        for i, (key, part) in enumerate(table.groupby(by, sort=False, observed=True)):
            ax.plot(
                part["stage"],
                part["cumulative_conversion"],
                marker="o",
                color=plot.PALETTE[i % len(plot.PALETTE)],
                label=str(key),
            )
        plot.label(
            ax,
            f"Share of leads reaching each stage, by {by.replace('_', ' ')}",
            "Funnel stage",
            "Share of the group's leads",
        )
        plot.share_axis(ax)
        ax.legend(title=by.replace("_", " "))
        return ax
    if table["stage"].duplicated().any():
        raise DataError(
            f"{func}: the table repeats stages; it was split by a column. Pass by='<column>'."
        )
    reached = table["reached"].to_numpy(dtype=float)
    widest = max(reached.max(), 1.0)
    positions = np.arange(len(table))[::-1]
    ax.barh(positions, reached, left=-reached / 2, color=plot.MAIN, height=0.8)
    for y, count, step in zip(positions, reached, table["step_conversion"], strict=True):
        note = "" if y == positions[0] or math.isnan(step) else f"  ({step:.0%} of previous)"
        ax.text(count / 2 + widest * 0.02, y, f"{count:,.0f}{note}", va="center", fontsize=9)
    ax.set_yticks(positions)
    ax.set_yticklabels(table["stage"].astype(str))
    ax.set_xticks([])
    ax.set_xlim(-widest * 0.55, widest * 1.05)
    ax.grid(False)
    ax.spines["bottom"].set_visible(False)
    plot.label(ax, "Sales funnel: leads reaching each stage", "", "")
    return ax
