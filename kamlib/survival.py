"""Survival: how long accounts stay, Kaplan-Meier curves and a Cox model of what shortens it.

The clock is the account's **tenure** (months since it was won). The data only watch accounts
from ``start`` (2022-01-01 in the course data) to ``end``: an account won in 2015 enters the
study at a tenure of seven years, having *survived* until then (delayed entry, or left
truncation), and an account still a customer at ``end`` is *censored*: we know it stayed at
least that long, not how long. Both are handled by the estimators of statsmodels:

- :func:`km_table` wraps :class:`statsmodels.duration.survfunc.SurvfuncRight` (Kaplan-Meier,
  Greenwood standard errors) and adds log-log confidence bands, by group;
- :func:`fit_cox` wraps :class:`statsmodels.duration.hazard_regression.PHReg` (Cox
  proportional hazards) into a tidy table of hazard ratios;
- :func:`ph_check` tests the proportional-hazards assumption from the model's Schoenfeld
  residuals (their correlation with the rank of the event time, as in Grambsch and Therneau).

>>> import pandas as pd
>>> acc = pd.DataFrame({"account_id": ["A", "B"],
...     "customer_since": pd.to_datetime(["2021-01-01", "2023-01-01"]),
...     "lost_date": pd.to_datetime(["2022-07-01", None])})
>>> survival_data(acc, start="2022-01-01", end="2023-12-31").round(1).to_dict("list")
{'entry_months': [12.0, 0.0], 'duration_months': [17.9, 12.0], 'lost': [True, False]}
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from kamlib import plot
from kamlib.credit_risk import _dates, _name
from kamlib.errors import DataError, FitError, ParameterError
from kamlib.validation import (
    as_timestamp,
    check_names,
    check_number,
    require_columns,
    require_frame,
    require_no_missing,
    require_numeric,
    require_optional_dates,
    require_unique,
)

__all__ = ["fit_cox", "km_table", "ph_check", "plot_km", "survival_data"]

DAYS_PER_MONTH = 365.25 / 12


def survival_data(
    accounts: pd.DataFrame,
    *,
    start="2022-01-01",
    end="2024-12-31",
    customer_col: str = "account_id",
    since_col: str = "customer_since",
    lost_col: str = "lost_date",
) -> pd.DataFrame:
    """Each account's tenure when the study first saw it, when it left or was last seen.

    Parameters
    ----------
    accounts : pandas.DataFrame
        Account id, the date it was won and its lost date (empty: still a customer).
    start, end : str or Timestamp
        The first and last day the data watch the accounts. Accounts won after ``end`` or lost
        before ``start`` are left out (with a warning saying how many).
    customer_col, since_col, lost_col : str
        Columns of ``accounts``.

    Returns
    -------
    pandas.DataFrame
        Index ``customer_col``; ``entry_months`` (tenure on ``start``, 0 if won later),
        ``duration_months`` (tenure when lost, or on ``end``) and ``lost`` (True if lost, False
        if censored). Months are 365.25/12 days.

    Examples
    --------
    >>> import pandas as pd
    >>> acc = pd.DataFrame({"account_id": ["A"], "customer_since": pd.to_datetime(["2022-03-01"]),
    ...                     "lost_date": pd.NaT})
    >>> s = survival_data(acc, start="2022-01-01", end="2022-12-31")
    >>> s.loc["A", ["entry_months", "duration_months"]].astype(float).round(2).tolist()
    [0.0, 10.02]
    """
    func = "kamlib.survival.survival_data"
    first = as_timestamp(start, "start", func)
    last = as_timestamp(end, "end", func)
    if last <= first:
        raise ParameterError(f"{func}: 'end' ({last:%Y-%m-%d}) must come after 'start'.")
    for name, value in (("customer_col", customer_col), ("since_col", since_col),
                        ("lost_col", lost_col)):  # fmt: skip
        _name(value, name, func)
    require_frame(accounts, func, name="accounts")
    require_columns(accounts, [customer_col, since_col, lost_col], func)
    require_no_missing(accounts, customer_col, func, what="account id")
    require_unique(accounts, customer_col, func)
    since = _dates(accounts, since_col, func)
    lost = require_optional_dates(accounts, lost_col, func).astype("datetime64[ns]")
    if (lost < since).any():
        raise DataError(
            f"{func}: {int((lost < since).sum())} account(s) were lost before they were won "
            f"('{lost_col}' before '{since_col}'). Fix those dates."
        )
    keep = (since < last) & ~(lost < first)
    if (~keep).any():
        warnings.warn(
            f"{func}: {int((~keep).sum())} account(s) left out: won on or after 'end' or lost "
            "before 'start', so the study never watched them.",
            UserWarning,
            stacklevel=2,
        )
    since, lost = since[keep], lost[keep]
    gone = lost.notna() & (lost <= last)
    exit_day = lost.where(gone, last)
    entry = ((first - since).dt.days.clip(lower=0)) / DAYS_PER_MONTH
    duration = (exit_day - since).dt.days / DAYS_PER_MONTH
    # Lost on the day it was won: give it half a day, so the account has some time at risk.
    duration = np.maximum(duration, entry + 0.5 / DAYS_PER_MONTH)
    index = pd.Index(accounts.loc[keep, customer_col].astype(str), name=customer_col)
    return pd.DataFrame(
        {
            "entry_months": entry.to_numpy(dtype=float),
            "duration_months": np.asarray(duration, dtype=float),
            "lost": gone.to_numpy(dtype=bool),
        },
        index=index,
    )


def _survival_columns(data, func, duration_col, event_col, entry_col):
    require_frame(data, func, name="data")
    for name, value in (("duration_col", duration_col), ("event_col", event_col)):
        _name(value, name, func)
    if entry_col is not None:
        _name(entry_col, "entry_col", func)
    require_columns(data, [duration_col, event_col] + ([entry_col] if entry_col else []), func)
    time = require_numeric(data, duration_col, func).to_numpy(dtype=float)
    if not np.isfinite(time).all() or (time <= 0).any():
        raise DataError(
            f"{func}: column '{duration_col}' must hold durations above 0 (no gaps, no inf); "
            f"found {time[~np.isfinite(time) | (time <= 0)][:3].tolist()}."
        )
    from kamlib.validation import as_binary

    event = as_binary(data[event_col], event_col, func)
    entry = None
    if entry_col is not None:
        entry = require_numeric(data, entry_col, func).to_numpy(dtype=float)
        if not np.isfinite(entry).all() or (entry < 0).any() or (entry >= time).any():
            raise DataError(
                f"{func}: column '{entry_col}' must hold entry times of 0 or more, each before "
                f"the account's '{duration_col}'. Check the rows where it is not."
            )
    return time, event, entry


def km_table(
    data: pd.DataFrame,
    *,
    by: str | None = None,
    duration_col: str = "duration_months",
    event_col: str = "lost",
    entry_col: str | None = "entry_months",
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Kaplan-Meier survival curves (by group) with pointwise confidence bands.

    At each event time t the estimate multiplies by (1 - events / at risk), where the accounts
    at risk are those that entered before t and had not left or been censored before t. The
    bands use the log-log transform of the Greenwood standard error, so they stay in 0-1.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per account, e.g. from :func:`survival_data` joined with a segment column.
    by : str, optional
        A column of groups (size band, sales tier ...): one curve each.
    duration_col, event_col, entry_col : str
        Exit time, whether it was an event (True) or censoring (False), and the entry time
        (``None`` if everyone is watched from time 0).
    alpha : float, default 0.05
        1 - confidence level of the bands.

    Returns
    -------
    pandas.DataFrame
        Per group and event time: ``group``, ``time``, ``at_risk``, ``events``, ``survival``,
        ``lower``, ``upper``.

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.DataFrame({"t": [2.0, 3, 3, 5, 7, 8], "lost": [1, 0, 1, 1, 0, 1]})
    >>> km_table(d, duration_col="t", entry_col=None)[["time", "at_risk", "survival"]].round(3)
       time  at_risk  survival
    0   2.0        6     0.833
    1   3.0        5     0.667
    2   5.0        3     0.444
    3   8.0        1     0.000
    """
    from scipy import stats
    from statsmodels.duration.survfunc import SurvfuncRight

    func = "kamlib.survival.km_table"
    a = check_number(alpha, "alpha", func, low=0, high=1, low_inclusive=False,
                     high_inclusive=False)  # fmt: skip
    time, event, entry = _survival_columns(data, func, duration_col, event_col, entry_col)
    if by is not None:
        _name(by, "by", func)
        require_columns(data, [by], func)
        require_no_missing(data, by, func, what="group")
        groups = data[by].to_numpy()
    else:
        groups = np.full(len(data), "all accounts", dtype=object)
    z = stats.norm.ppf(1 - a / 2)
    parts = []
    for group in pd.unique(groups):
        rows = groups == group
        if not event[rows].any():
            continue  # no event: the curve stays at 1 and has no step to show
        fit = SurvfuncRight(time[rows], event[rows].astype(float),
                            entry=None if entry is None else entry[rows])  # fmt: skip
        s, se = np.asarray(fit.surv_prob), np.asarray(fit.surv_prob_se)
        with np.errstate(divide="ignore", invalid="ignore"):
            width = z * se / (s * np.abs(np.log(s)))
            lower, upper = s ** np.exp(width), s ** np.exp(-width)
        # Where the transform is undefined (survival 0 after the last leaver) the band is 0.
        lower = np.where(np.isfinite(lower) & (s > 0), lower, 0.0)
        upper = np.where(np.isfinite(upper), upper, np.where(s == 0, 0.0, 1.0))
        parts.append(
            pd.DataFrame(
                {
                    "group": group,
                    "time": fit.surv_times,
                    "at_risk": fit.n_risk.astype("int64"),
                    "events": fit.n_events.astype("int64"),
                    "survival": s,
                    "lower": lower,
                    "upper": upper,
                }
            )  # fmt: skip
        )
    if not parts:
        raise DataError(f"{func}: no account in 'data' has an event ('{event_col}' all False).")
    return pd.concat(parts, ignore_index=True)


def plot_km(table: pd.DataFrame, *, ax=None, time_label: str = "Tenure (months)"):
    """Step curves of :func:`km_table`, one per group, with shaded confidence bands.

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.DataFrame({"t": [2.0, 3, 3, 5, 7, 8], "lost": [1, 0, 1, 1, 0, 1]})
    >>> plot_km(km_table(d, duration_col="t", entry_col=None)).get_ylabel()
    'Share of accounts still customers'
    """
    func = "kamlib.survival.plot_km"
    require_frame(table, func, name="table")
    require_columns(table, ["group", "time", "survival", "lower", "upper"], func)
    for column in ("time", "survival", "lower", "upper"):
        values = require_numeric(table, column, func)
        if np.isinf(values.to_numpy(dtype=float)).any() or (values < 0).any():
            raise DataError(
                f"{func}: column '{column}' must hold finite values of 0 or more; pass the "
                "output of km_table."
            )
    require_no_missing(table, "group", func, what="group")
    ax = plot.get_ax(ax)
    for k, (group, part) in enumerate(table.groupby("group", sort=False)):
        color = plot.PALETTE[k % len(plot.PALETTE)]
        t = np.concatenate([[0.0], part["time"].to_numpy(dtype=float)])
        s = np.concatenate([[1.0], part["survival"].to_numpy(dtype=float)])
        lo = np.concatenate([[1.0], part["lower"].to_numpy(dtype=float)])
        hi = np.concatenate([[1.0], part["upper"].to_numpy(dtype=float)])
        ax.step(t, s, where="post", color=color, label=str(group))
        ax.fill_between(t, lo, hi, step="post", color=color, alpha=0.15, linewidth=0)
    plot.share_axis(ax, "y")
    ax.legend(loc="lower left")
    return plot.label(
        ax, "Kaplan-Meier: how long accounts stay", time_label, "Share of accounts still customers"
    )


def _cox(data, covariates, func, duration_col, event_col, entry_col):
    from statsmodels.duration.hazard_regression import PHReg

    names = check_names(covariates, "covariates", func)
    time, event, entry = _survival_columns(data, func, duration_col, event_col, entry_col)
    require_columns(data, names, func)
    X = np.column_stack([require_numeric(data, c, func).to_numpy(dtype=float) for c in names])
    bad = ~np.isfinite(X)
    if bad.any():
        column = names[int(np.flatnonzero(bad.any(axis=0))[0])]
        raise DataError(
            f"{func}: column '{column}' has {int(bad.any(axis=1).sum())} missing or infinite "
            "value(s) among the covariates; fill them in or drop those accounts first."
        )
    if event.sum() < len(names) + 1:
        raise DataError(
            f"{func}: {int(event.sum())} event(s) cannot identify {len(names)} covariate(s)."
        )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = PHReg(time, X, status=event.astype(float), entry=entry).fit()
    if not np.all(np.isfinite(result.params)) or not np.all(np.isfinite(result.bse)):
        raise FitError(
            f"{func}: the Cox model did not converge (a covariate may be constant or separate "
            "leavers from stayers perfectly)."
        )
    return names, result


def fit_cox(
    data: pd.DataFrame,
    covariates,
    *,
    duration_col: str = "duration_months",
    event_col: str = "lost",
    entry_col: str | None = "entry_months",
    alpha: float = 0.05,
) -> pd.DataFrame:
    """A Cox proportional-hazards model: how much each covariate multiplies the hazard of leaving.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per account with the survival columns and the numeric ``covariates``.
    covariates : sequence of str
        Columns entered in the model (standardise them first to compare per SD).
    duration_col, event_col, entry_col : str
        As in :func:`km_table`.
    alpha : float, default 0.05
        1 - confidence level of the intervals.

    Returns
    -------
    pandas.DataFrame
        Index the covariates; ``coef`` (log hazard ratio), ``se``, ``lower``, ``upper``,
        ``hazard_ratio`` (exp(coef)) and ``p_value``. ``attrs`` hold ``accounts`` and
        ``events``.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(0)
    >>> x = rng.normal(size=400)
    >>> t = rng.exponential(1 / np.exp(0.7 * x))
    >>> d = pd.DataFrame({"t": np.minimum(t, 2.0), "lost": t < 2.0, "x": x})
    >>> round(float(fit_cox(d, ["x"], duration_col="t", entry_col=None).loc["x", "coef"]), 1)
    0.7
    """
    from scipy import stats

    func = "kamlib.survival.fit_cox"
    a = check_number(alpha, "alpha", func, low=0, high=1, low_inclusive=False,
                     high_inclusive=False)  # fmt: skip
    names, result = _cox(data, covariates, func, duration_col, event_col, entry_col)
    coef, se = np.asarray(result.params), np.asarray(result.bse)
    z = stats.norm.ppf(1 - a / 2)
    table = pd.DataFrame(
        {"coef": coef, "se": se, "lower": coef - z * se, "upper": coef + z * se,
         "hazard_ratio": np.exp(coef), "p_value": 2 * stats.norm.sf(np.abs(coef / se))},
        index=pd.Index(names, name="covariate"),
    )  # fmt: skip
    table.attrs = {"accounts": int(len(data)), "events": int(data[event_col].astype(bool).sum())}
    return table


def ph_check(
    data: pd.DataFrame,
    covariates,
    *,
    duration_col: str = "duration_months",
    event_col: str = "lost",
    entry_col: str | None = "entry_months",
) -> pd.DataFrame:
    """Does each covariate's effect stay the same over time? Schoenfeld residuals against time.

    For each event, the Schoenfeld residual of a covariate is the leaver's value minus the
    risk-weighted mean of those at risk then. Under proportional hazards the residuals do not
    trend with time; the check correlates them with the rank of the event time (a Pearson
    test of the correlation, the rank transform of Grambsch and Therneau's test).

    Returns
    -------
    pandas.DataFrame
        Index the covariates; ``correlation``, ``p_value`` and ``verdict`` ("no sign of
        change over time" if p >= 0.05, else "effect changes over time").

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(1)
    >>> x = rng.normal(size=500)
    >>> t = rng.exponential(1 / np.exp(0.5 * x))
    >>> d = pd.DataFrame({"t": t, "lost": True, "x": x})
    >>> ph_check(d, ["x"], duration_col="t", entry_col=None).loc["x", "verdict"]
    'no sign of change over time'
    """
    from scipy import stats

    func = "kamlib.survival.ph_check"
    names, result = _cox(data, covariates, func, duration_col, event_col, entry_col)
    resid = np.asarray(result.schoenfeld_residuals, dtype=float)
    time = data[duration_col].to_numpy(dtype=float)
    rows = np.isfinite(resid).all(axis=1)
    rank = stats.rankdata(time[rows])
    out = []
    for k, name in enumerate(names):
        r, p = stats.pearsonr(rank, resid[rows, k])
        out.append({"covariate": name, "correlation": float(r), "p_value": float(p)})
    table = pd.DataFrame(out).set_index("covariate")
    table["verdict"] = np.where(
        table["p_value"] >= 0.05, "no sign of change over time", "effect changes over time"
    )
    return table
