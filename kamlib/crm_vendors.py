"""Choosing a CRM system: a weighted decision matrix and how robust the choice is to the weights.

System selection (系统选型) starts from the needs analysis: the requirements the company cares
about, each weighted (often with the pairwise judgements of :mod:`kamlib.ahp`), and each
candidate system rated on each requirement. The weighted sum ranks the systems
(:func:`decision_matrix`); :func:`choice_sensitivity` moves one weight at a time and records
which system would win, and :func:`switch_points` says how far a weight can move before the
choice changes.

:func:`vendor_table` is a small, made-up shortlist for Huaxin (four fictional offers, ratings
from a workshop of the sales, service and IT leads, five-year cost in yuan).

>>> card = decision_matrix(vendor_table(), weights={"sales_fit": 1, "five_year_cost_cny": 1})
>>> card.index[0] in vendor_table()["vendor"].tolist()
True
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable

import numpy as np
import pandas as pd

from kamlib import plot
from kamlib.ahp import normalise_weights
from kamlib.errors import DataError, KamlibError, ParameterError
from kamlib.selection import scorecard
from kamlib.validation import check_number, require_columns, require_frame, require_numeric

__all__ = [
    "CRITERIA",
    "choice_sensitivity",
    "decision_matrix",
    "plot_choice_sensitivity",
    "switch_points",
    "vendor_table",
]

#: The requirements of Huaxin's needs analysis, as columns of :func:`vendor_table`: ratings on
#: a 1-5 scale (5 = best) and the five-year cost (licences, hosting, integration, training).
CRITERIA = {
    "sales_fit": "Account and opportunity management for key-account teams (1-5)",
    "service_fit": "Ticketing and service-level tracking for the service desk (1-5)",
    "marketing_fit": "Campaigns, segments and customer journeys (1-5)",
    "erp_integration": "Ready connection to the ERP's orders, invoices and credit limits (1-5)",
    "ease_of_use": "How quickly sales staff can work with it (usability test, 1-5)",
    "data_compliance": "Hosting in China and support for personal-information law (1-5)",
    "vendor_support": "Local implementation partners and vendor stability (1-5)",
    "five_year_cost_cny": "Licences, hosting, integration and training over five years (yuan)",
}
COST = "five_year_cost_cny"
RATINGS = [c for c in CRITERIA if c != COST]


def vendor_table() -> pd.DataFrame:
    """Huaxin's shortlist of four (fictional) CRM offers, rated on each requirement.

    * *Global Suite*: a large international cloud CRM, rich in features, costly, hosted abroad;
    * *Hualian Cloud*: a domestic cloud CRM, strong on hosting and local support;
    * *OpenDesk*: open-source CRM customised by an integrator, cheap licences, much integration;
    * *ERP Link*: the CRM module of Huaxin's ERP vendor, integrated, plainer to use.

    Ratings are the consensus of an imagined workshop of the sales, service and IT leads; the
    costs are rough five-year totals. They are teaching numbers, not a market survey.

    Returns
    -------
    pandas.DataFrame
        One row per vendor: ``vendor`` and the columns of :data:`CRITERIA`.

    Examples
    --------
    >>> vendor_table()["vendor"].tolist()
    ['Global Suite', 'Hualian Cloud', 'OpenDesk', 'ERP Link']
    """
    return pd.DataFrame(
        {
            "vendor": ["Global Suite", "Hualian Cloud", "OpenDesk", "ERP Link"],
            "sales_fit": [5, 4, 3, 3],
            "service_fit": [5, 4, 3, 3],
            "marketing_fit": [5, 3, 3, 2],
            "erp_integration": [3, 3, 2, 5],
            "ease_of_use": [4, 4, 3, 3],
            "data_compliance": [2, 5, 4, 4],
            "vendor_support": [3, 5, 2, 4],
            COST: [3_600_000, 2_400_000, 1_500_000, 1_900_000],
        }
    )


def _as(func: str, call, *args, **kwargs):
    """Run ``call`` so that its errors and warnings name ``func``, the function the user called."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = call(*args, **kwargs)
        except KamlibError as err:
            if str(err).startswith(func):
                raise
            raise type(err)(f"{func}: {err}") from None
    for w in caught:
        text = str(w.message)
        warnings.warn(
            text if text.startswith(func) else f"{func}: {text}", w.category, stacklevel=3
        )
    return result


def _check_sensitivity(sensitivity, func: str) -> None:
    require_frame(sensitivity, func, name="sensitivity")
    require_columns(sensitivity, ["criterion", "weight", "winner", "is_base"], func)
    require_numeric(sensitivity, "weight", func)
    for column in ("criterion", "winner", "is_base"):
        if sensitivity[column].isna().any():
            raise DataError(
                f"{func}: column '{column}' has {int(sensitivity[column].isna().sum())} missing "
                "value(s). Pass the table that choice_sensitivity returned."
            )
    if not sensitivity["is_base"].isin([True, False]).all():
        raise DataError(f"{func}: column 'is_base' must hold True/False only.")


def _scales(criteria: Iterable[str], cost_col: str, scale) -> dict:
    return {c: "minmax" if c == cost_col else scale for c in criteria}


def decision_matrix(
    vendors: pd.DataFrame,
    *,
    weights,
    cost_col: str = COST,
    scale: tuple[float, float] = (1, 5),
    id_col: str = "vendor",
) -> pd.DataFrame:
    """Score each vendor: the weighted sum of its ratings, on 0-100.

    Ratings are put on 0-1 with the fixed ``scale`` (a 5 is 1, a 1 is 0), so a vendor's score
    does not depend on which others are on the list; the cost is scaled from the cheapest (1)
    to the dearest (0) offer. Built on :func:`kamlib.selection.scorecard`.

    Parameters
    ----------
    vendors : pandas.DataFrame
        One row per vendor (e.g. :func:`vendor_table`).
    weights : mapping, pandas.Series or AHPResult
        ``{criterion: weight}``, e.g. the result of :func:`kamlib.ahp.ahp_weights`.
    cost_col : str
        The criterion where less is better (ignored if not weighted).
    scale : (float, float)
        Range of the ratings.
    id_col : str
        Column naming the vendors.

    Returns
    -------
    pandas.DataFrame
        Indexed by vendor, best first: each criterion's points, ``score`` and ``rank``.

    Examples
    --------
    >>> v = pd.DataFrame({"vendor": ["X", "Y"], "fit": [5, 3], "cost": [200.0, 100.0]})
    >>> card = decision_matrix(v, weights={"fit": 0.5, "cost": 0.5}, cost_col="cost")
    >>> card["score"].to_dict()  # Y: 0.5 * (3-1)/(5-1) * 100 + 50 (cheapest); X: 50 + 0
    {'Y': 75.0, 'X': 50.0}
    """
    func = "kamlib.crm_vendors.decision_matrix"
    require_frame(vendors, func, name="vendors")
    require_columns(vendors, [id_col], func)
    w = normalise_weights(weights, func=func)
    require_columns(vendors, list(w.index), func)
    if not isinstance(cost_col, str) or not isinstance(id_col, str):
        raise ParameterError(
            f"{func}: 'cost_col' and 'id_col' must be column names (text), got {cost_col!r} and "
            f"{id_col!r}."
        )
    if not isinstance(scale, tuple | list) or len(scale) != 2:
        raise ParameterError(f"{func}: 'scale' must be a (low, high) pair, got {scale!r}.")
    lower = [cost_col] if cost_col in w.index else []
    return _as(
        func,
        scorecard,
        vendors,
        weights=w,
        scales=_scales(w.index, cost_col, tuple(scale)),
        lower_is_better=lower,
        id_col=id_col,
    )


def _shift(weights: pd.Series, criterion: str, value: float) -> pd.Series:
    shifted = weights.astype(float).copy()
    others = shifted.index != criterion
    total = shifted[others].sum()
    shifted[others] = (
        shifted[others] / total * (1 - value) if total > 0 else (1 - value) / max(others.sum(), 1)
    )
    shifted[criterion] = value
    return shifted


def choice_sensitivity(
    vendors: pd.DataFrame,
    *,
    weights,
    grid: Iterable[float] | None = None,
    cost_col: str = COST,
    scale: tuple[float, float] = (1, 5),
    id_col: str = "vendor",
) -> pd.DataFrame:
    """Which vendor wins as each weight moves (the others keep their proportions).

    For each criterion and each value ``v`` of ``grid`` the criterion's weight is set to ``v``,
    the other weights are rescaled to sum to ``1 - v``, and the vendors are scored again.

    Parameters
    ----------
    vendors : pandas.DataFrame
        As for :func:`decision_matrix`.
    weights : mapping, pandas.Series or AHPResult
        The base weights.
    grid : iterable of float, optional
        Weights to try, in 0-1 (default 0, 0.05, ..., 1).
    cost_col, scale, id_col
        As for :func:`decision_matrix`.

    Returns
    -------
    pandas.DataFrame
        One row per (criterion, weight): ``criterion``, ``weight``, ``winner``,
        ``winner_score``, ``runner_up``, ``lead`` (winner's points ahead of the runner-up) and
        ``is_base``. ``attrs["base_winner"]`` holds the winner under the base weights.

    Examples
    --------
    >>> v = pd.DataFrame({"vendor": ["X", "Y"], "fit": [5, 3], "cost": [200.0, 100.0]})
    >>> s = choice_sensitivity(v, weights={"fit": 0.8, "cost": 0.2}, grid=[0, 1],
    ...                        cost_col="cost")
    >>> s[s["criterion"] == "fit"][["weight", "winner"]].to_dict("list")
    {'weight': [0.0, 0.8, 1.0], 'winner': ['Y', 'X', 'X']}
    """
    func = "kamlib.crm_vendors.choice_sensitivity"
    base = _as(
        func,
        decision_matrix,
        vendors,
        weights=weights,
        cost_col=cost_col,
        scale=scale,
        id_col=id_col,
    )
    if len(base) < 2:
        raise DataError(f"{func}: 'vendors' lists one vendor only; there is nothing to choose.")
    w = pd.Series(base.attrs["weights"], dtype=float)
    if grid is not None and not isinstance(grid, Iterable):
        raise ParameterError(f"{func}: 'grid' must be a list of weights in 0-1, got {grid!r}.")
    grid = np.round(np.linspace(0, 1, 21), 10) if grid is None else list(grid)
    if len(grid) == 0:
        raise ParameterError(f"{func}: 'grid' is empty. Give weights between 0 and 1 to try.")
    grid = [check_number(g, "grid value", func, low=0, high=1) for g in grid]
    rows = []
    for criterion in w.index:
        for value in sorted(set(grid) | {float(w[criterion])}):
            if len(w) == 1 and value == 0:
                continue
            card = _as(
                func,
                decision_matrix,
                vendors,
                weights=_shift(w, criterion, value),
                cost_col=cost_col,
                scale=scale,
                id_col=id_col,
            )
            rows.append(
                {
                    "criterion": criterion,
                    "weight": value,
                    "winner": card.index[0],
                    "winner_score": float(card["score"].iloc[0]),
                    "runner_up": card.index[1],
                    "lead": float(card["score"].iloc[0] - card["score"].iloc[1]),
                    "is_base": bool(np.isclose(value, w[criterion])),
                }
            )
    out = pd.DataFrame(rows)
    out.attrs["base_winner"] = base.index[0]
    return out


def switch_points(sensitivity: pd.DataFrame) -> pd.DataFrame:
    """How far each weight can move before another vendor wins.

    Parameters
    ----------
    sensitivity : pandas.DataFrame
        Output of :func:`choice_sensitivity`.

    Returns
    -------
    pandas.DataFrame
        One row per criterion: ``base_weight``, ``keeps_from`` and ``keeps_to`` (the range of
        grid weights around the base over which the base winner stays first), and
        ``winner_below`` / ``winner_above`` (who wins just outside that range; missing when the
        base winner keeps first place to the end of the grid).

    Examples
    --------
    >>> s = pd.DataFrame({"criterion": ["fit"] * 3, "weight": [0.0, 0.6, 1.0],
    ...                   "winner": ["Y", "X", "X"], "is_base": [False, True, False]})
    >>> s.attrs["base_winner"] = "X"
    >>> row = switch_points(s).loc["fit"]
    >>> float(row["keeps_from"]), float(row["keeps_to"]), row["winner_below"]
    (0.6, 1.0, 'Y')
    """
    func = "kamlib.crm_vendors.switch_points"
    _check_sensitivity(sensitivity, func)
    base_winner = sensitivity.attrs.get("base_winner")
    if base_winner is None:
        raise DataError(
            f"{func}: 'sensitivity' has no attrs['base_winner']; pass the table that "
            "choice_sensitivity returned."
        )
    rows = {}
    for criterion, part in sensitivity.groupby("criterion", sort=False):
        part = part.sort_values("weight").reset_index(drop=True)
        at = int(np.flatnonzero(part["is_base"].to_numpy())[0]) if part["is_base"].any() else 0
        lo = hi = at
        while lo > 0 and part.loc[lo - 1, "winner"] == base_winner:
            lo -= 1
        while hi < len(part) - 1 and part.loc[hi + 1, "winner"] == base_winner:
            hi += 1
        rows[criterion] = {
            "base_weight": float(part.loc[at, "weight"]),
            "keeps_from": float(part.loc[lo, "weight"]),
            "keeps_to": float(part.loc[hi, "weight"]),
            "winner_below": part.loc[lo - 1, "winner"] if lo > 0 else None,
            "winner_above": part.loc[hi + 1, "winner"] if hi < len(part) - 1 else None,
        }
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "criterion"
    return out


def plot_choice_sensitivity(sensitivity: pd.DataFrame, *, ax=None):
    """Winner by criterion and weight: a strip per criterion coloured by the winning vendor.

    Parameters
    ----------
    sensitivity : pandas.DataFrame
        Output of :func:`choice_sensitivity`.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> s = choice_sensitivity(vendor_table(), weights={"sales_fit": 1, "five_year_cost_cny": 1})
    >>> plot_choice_sensitivity(s).get_xlabel()
    'Weight of the criterion (the others keep their proportions)'
    """
    func = "kamlib.crm_vendors.plot_choice_sensitivity"
    _check_sensitivity(sensitivity, func)
    ax = plot.get_ax(ax)
    vendors = list(dict.fromkeys(sensitivity["winner"]))
    colour = {v: plot.PALETTE[i % len(plot.PALETTE)] for i, v in enumerate(vendors)}
    criteria = list(dict.fromkeys(sensitivity["criterion"]))
    for y, criterion in enumerate(criteria):
        part = sensitivity[sensitivity["criterion"] == criterion]
        ax.scatter(
            part["weight"], [y] * len(part), c=[colour[w] for w in part["winner"]], s=40, marker="s"
        )
        base = part[part["is_base"]]
        ax.scatter(base["weight"], [y] * len(base), facecolors="none", edgecolors="black", s=110)
    for v in vendors:
        ax.scatter([], [], c=colour[v], marker="s", label=v)
    ax.scatter([], [], facecolors="none", edgecolors="black", label="base weight")
    ax.set_yticks(range(len(criteria)), criteria)
    ax.set_xlim(-0.03, 1.03)
    ax.legend(title="Winner", loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return plot.label(
        ax,
        "Which CRM system wins as one weight moves",
        "Weight of the criterion (the others keep their proportions)",
        "Criterion",
    )
