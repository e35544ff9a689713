"""Feedback and complaint handling: does a complaint resolved fast win the customer back?

The service-recovery idea says that a complaint handled well can leave a customer as satisfied
as one who never had a problem. These functions put it to the contact log and the survey:
:func:`complaint_outcomes` pairs each survey response with the account's complaints of the
year before, :func:`service_recovery_table` compares later satisfaction and retention of
non-complainers and of fast and slow resolutions, and :func:`recovery_effect` estimates the
slope per doubling of resolution time, naive and adjusted for region and year (the CRM rollout
shortened resolution times region by region). Accounts that complain differ from those that
do not, so the comparison that matters is among complainers.

>>> import pandas as pd
>>> from kamlib.service_recovery import service_recovery_table
>>> out = pd.DataFrame({"score": [5.0, 3.0], "complaints": [0, 1],
...     "mean_resolution_hours": [None, 12.0], "stayed_12m": [1.0, 1.0]})
>>> service_recovery_table(out)["responses"].tolist()
[1, 1, 0]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kamlib.errors import DataError, FitError, ParameterError
from kamlib.validation import (
    check_names,
    check_number,
    require_columns,
    require_dates,
    require_frame,
    require_known,
    require_no_missing,
    require_non_negative,
    require_numeric,
    require_optional_dates,
    require_unique,
)

__all__ = ["complaint_outcomes", "recovery_effect", "service_recovery_table"]


def _frames(func: str, **frames) -> None:
    for name, frame in frames.items():
        require_frame(frame, func, name=name)


def complaint_outcomes(
    contacts: pd.DataFrame,
    surveys: pd.DataFrame,
    accounts: pd.DataFrame,
    *,
    customer_col: str = "account_id",
    date_col: str = "interaction_date",
    type_col: str = "interaction_type",
    hours_col: str = "resolution_hours",
    survey_date_col: str = "survey_date",
    score_col: str = "csat",
    lost_col: str = "lost_date",
    region_col: str = "region",
    complaint: str = "complaint",
) -> pd.DataFrame:
    """Pair each survey response with the account's complaints of the 12 months before it.

    The response is the *later* satisfaction; ``stayed_12m`` says whether the account was
    still a customer 12 months after the survey (empty where the contact log does not reach
    that far).

    Parameters
    ----------
    contacts, surveys, accounts : pandas.DataFrame
        The course tables ``service_interactions``, ``surveys`` and ``accounts``.
    customer_col, date_col, type_col, hours_col, survey_date_col, score_col, lost_col, \
region_col : str
    complaint : str, default "complaint"
        The contact type that is a complaint.

    Returns
    -------
    pandas.DataFrame
        One row per response: ``account_id``, ``survey_year``, ``region``, ``score``,
        ``complaints`` (count), ``mean_resolution_hours`` (empty without complaints),
        ``stayed_12m`` (1.0, 0.0 or empty).

    Examples
    --------
    >>> contacts = pd.DataFrame({"account_id": ["A", "A"], "interaction_type":
    ...     ["complaint", "call"], "resolution_hours": [30.0, None],
    ...     "interaction_date": pd.to_datetime(["2023-05-01", "2023-06-01"])})
    >>> srv = pd.DataFrame({"account_id": ["A", "B"], "csat": [3, 5],
    ...     "survey_date": pd.to_datetime(["2023-11-03", "2023-11-09"])})
    >>> acc = pd.DataFrame({"account_id": ["A", "B"], "region": ["East", "West"],
    ...     "lost_date": pd.to_datetime([None, None])})
    >>> complaint_outcomes(contacts, srv, acc)[["complaints", "mean_resolution_hours"]].values.tolist()
    [[1.0, 30.0], [0.0, nan]]
    """
    func = "kamlib.service_recovery.complaint_outcomes"
    _frames(func, contacts=contacts, surveys=surveys, accounts=accounts)
    require_columns(contacts, [customer_col, date_col, type_col, hours_col], func)
    require_columns(surveys, [customer_col, survey_date_col, score_col], func)
    require_columns(accounts, [customer_col, lost_col, region_col], func)
    require_unique(accounts, customer_col, func)
    contact_dates = require_dates(contacts, date_col, func)
    survey_dates = require_dates(surveys, survey_date_col, func)
    score = require_numeric(surveys, score_col, func).astype(float)
    lost = require_optional_dates(accounts, lost_col, func)
    ids = accounts[customer_col].astype(str)
    for name, frame in (("contacts", contacts), ("surveys", surveys)):
        require_no_missing(frame, customer_col, func, what="id")
        require_known(frame, customer_col, ids, func, name=name)
    require_no_missing(contacts, type_col, func, what="contact type")
    require_no_missing(accounts, region_col, func, what="region")
    is_complaint = (contacts[type_col].astype(str) == complaint).to_numpy()
    hours = require_numeric(contacts.loc[is_complaint], hours_col, func).astype(float)
    if (hours < 0).any():
        raise DataError(f"{func}: column '{hours_col}' has negative resolution times; fix them.")
    pairs = pd.DataFrame(
        {
            "row": np.arange(len(surveys)),
            "day": survey_dates.to_numpy(),
            "id": surveys[customer_col].astype(str).to_numpy(),
        }
    ).merge(
        pd.DataFrame(
            {
                "id": contacts.loc[is_complaint, customer_col].astype(str).to_numpy(),
                "when": contact_dates[is_complaint].to_numpy(),
                "h": hours.to_numpy(),
            }
        )
    )
    pairs = pairs[
        (pairs["when"] < pairs["day"]) & (pairs["when"] >= pairs["day"] - pd.DateOffset(years=1))
    ]
    per_row = pairs.groupby("row")["h"].agg(["size", "mean"]).reindex(range(len(surveys)))
    lost_by = pd.Series(lost.to_numpy(), index=ids)
    region_by = pd.Series(accounts[region_col].to_numpy(), index=ids)
    account_ids = surveys[customer_col].astype(str)
    horizon = survey_dates + pd.DateOffset(years=1)
    gone = pd.Series(lost_by.reindex(account_ids).to_numpy(), index=surveys.index)
    stayed = (gone.isna() | (gone > horizon)).astype(float)
    stayed[(horizon > contact_dates.max()).to_numpy()] = np.nan
    return pd.DataFrame(
        {
            customer_col: account_ids.to_numpy(),
            "survey_year": survey_dates.dt.year.to_numpy(),
            "region": region_by.reindex(account_ids).to_numpy(),
            "score": score.to_numpy(),
            "complaints": per_row["size"].fillna(0).astype(float).to_numpy(),
            "mean_resolution_hours": per_row["mean"].astype(float).to_numpy(),
            "stayed_12m": stayed.to_numpy(),
        }
    )


def _outcomes(outcomes, func: str) -> pd.DataFrame:
    require_frame(outcomes, func, name="outcomes")
    require_columns(outcomes, ["score", "complaints", "mean_resolution_hours", "stayed_12m"], func)
    require_numeric(outcomes, "score", func)
    require_non_negative(outcomes, "complaints", func)
    require_numeric(outcomes, "mean_resolution_hours", func, allow_missing=True)
    require_numeric(outcomes, "stayed_12m", func, allow_missing=True)
    odd = outcomes["mean_resolution_hours"].isna() & (outcomes["complaints"] > 0)
    if odd.any() or (outcomes["mean_resolution_hours"] < 0).any():
        raise DataError(
            f"{func}: 'mean_resolution_hours' must be a non-negative number for every row with "
            "complaints. Build the table with complaint_outcomes."
        )
    return outcomes


def service_recovery_table(outcomes: pd.DataFrame, *, fast_hours: float = 24.0) -> pd.DataFrame:
    """Later satisfaction and retention of accounts without complaints, and of complainers
    whose complaints were resolved fast (mean at most ``fast_hours``) or slowly.

    Parameters
    ----------
    outcomes : pandas.DataFrame
        The table of :func:`complaint_outcomes`.
    fast_hours : float, default 24

    Returns
    -------
    pandas.DataFrame
        Index ``no complaint``, ``resolved fast``, ``resolved slowly``; ``responses``,
        ``mean_score``, ``score_se``, ``retention_12m`` (of the responses with a known
        outcome), ``retention_n``.

    Examples
    --------
    >>> out = pd.DataFrame({"score": [5.0, 4.0, 3.0, 2.0], "complaints": [0, 0, 1, 2],
    ...     "mean_resolution_hours": [None, None, 10.0, 50.0], "stayed_12m": [1.0, 1.0, 1.0, 0.0]})
    >>> service_recovery_table(out)["mean_score"].to_dict()
    {'no complaint': 4.5, 'resolved fast': 3.0, 'resolved slowly': 2.0}
    """
    func = "kamlib.service_recovery.service_recovery_table"
    data = _outcomes(outcomes, func)
    fast_hours = check_number(fast_hours, "fast_hours", func, low=0, low_inclusive=False)
    order = ["no complaint", "resolved fast", "resolved slowly"]
    group = np.select(
        [data["complaints"] == 0, data["mean_resolution_hours"] <= fast_hours],
        order[:2],
        order[2],
    )
    grouped = data.groupby(group)
    table = pd.DataFrame(
        {
            "responses": grouped.size(),
            "mean_score": grouped["score"].mean(),
            "score_se": grouped["score"].std(ddof=1) / np.sqrt(grouped.size()),
            "retention_12m": grouped["stayed_12m"].mean(),
            "retention_n": grouped["stayed_12m"].count(),
        }
    ).reindex(order)
    table["responses"] = table["responses"].fillna(0).astype(int)
    table["retention_n"] = table["retention_n"].fillna(0).astype(int)
    return table


def recovery_effect(
    outcomes: pd.DataFrame, *, outcome: str = "score", adjust_for=("region", "survey_year")
) -> pd.DataFrame:
    """How later satisfaction (or retention) moves with resolution time, among complainers.

    Least squares of the outcome on log2 of the mean resolution hours (so the slope is the
    change per *doubling* of the time), first alone (naive), then with the ``adjust_for``
    columns as categories. Region and year matter because the CRM rollout shortened
    resolution times region by region and year by year, and may have raised satisfaction by
    other routes. Retention (``outcome="stayed_12m"``) is a linear probability model on the
    responses with a known outcome. Adjusting removes only the confounding that is measured.

    Parameters
    ----------
    outcomes : pandas.DataFrame
        The table of :func:`complaint_outcomes`.
    outcome : {"score", "stayed_12m"}
        Later satisfaction or retention.
    adjust_for : sequence of str
        Columns of ``outcomes`` to hold constant (as categories).

    Returns
    -------
    pandas.DataFrame
        Index ``naive``, ``adjusted``; ``slope_per_doubling``, ``std_error``, ``ci_low``,
        ``ci_high`` (95%), ``n``.

    Examples
    --------
    >>> rng = np.random.default_rng(3)
    >>> h = rng.lognormal(3, 0.7, 600)
    >>> out = pd.DataFrame({"score": 4 - 0.3 * np.log2(h) + rng.normal(0, 0.3, 600),
    ...     "complaints": 1, "mean_resolution_hours": h, "stayed_12m": 1.0, "region": "East"})
    >>> round(float(recovery_effect(out, adjust_for=[]).loc["naive", "slope_per_doubling"]), 1)
    -0.3
    """
    import statsmodels.api as sm

    func = "kamlib.service_recovery.recovery_effect"
    data = _outcomes(outcomes, func)
    if outcome not in ("score", "stayed_12m"):
        raise ParameterError(f"{func}: 'outcome' must be 'score' or 'stayed_12m', got {outcome!r}.")
    adjust = check_names(adjust_for, "adjust_for", func, allow_empty=True)
    require_columns(data, adjust, func)
    keep = (data["complaints"] > 0) & data[outcome].notna()
    if (data.loc[keep, "mean_resolution_hours"] <= 0).any():
        raise DataError(f"{func}: resolution hours must be above 0 to take their logarithm.")
    sub = data[keep]
    if len(sub) < 3 + len(adjust):
        raise FitError(f"{func}: only {len(sub)} complaining responses with an outcome; too few.")
    for column in adjust:  # categories: any labels, but no gaps and no infinite numbers
        require_no_missing(sub, column, func, what="value")
        if pd.api.types.is_numeric_dtype(sub[column]):
            require_numeric(sub, column, func)
    x = pd.DataFrame({"log2_hours": np.log2(sub["mean_resolution_hours"].astype(float))})
    if x["log2_hours"].std() == 0:
        raise FitError(f"{func}: every complaint took the same time; nothing to compare.")
    y = sub[outcome].astype(float)
    rows = {}
    for name, cols in (("naive", []), ("adjusted", adjust)):
        dummies = (
            pd.get_dummies(sub[cols].astype(str), drop_first=True, dtype=float)
            if cols
            else pd.DataFrame(index=sub.index)
        )
        design = sm.add_constant(pd.concat([x, dummies], axis=1), has_constant="add")
        fit = sm.OLS(y.to_numpy(), design).fit(cov_type="HC1")
        low, high = fit.conf_int().loc["log2_hours"]
        rows[name] = {
            "slope_per_doubling": float(fit.params["log2_hours"]),
            "std_error": float(fit.bse["log2_hours"]),
            "ci_low": float(low),
            "ci_high": float(high),
            "n": len(y),
        }
    return pd.DataFrame(rows).T.astype({"n": "int64"})
