"""Evaluating a relationship campaign: A/B differences, the effects behind them, uplift and ROI.

A randomised campaign gives every treated account an offer and holds back a control group.
Three estimands answer three questions, and each function below says which it targets:

* the **intention-to-treat difference** (:func:`ab_difference`): what the campaign did to the
  mean outcome (e.g. revenue in the window) of the accounts it was aimed at, whatever they did;
* the **order-rate ratio** (:func:`order_rate_ratio`): orders per active day, treated over
  control, among accounts while they are still customers;
* the **hazard ratio** (:func:`hazard_ratio`): the risk of losing an account per day, treated
  over control.

:func:`implied_uplift` puts the last two back together as a revenue uplift, so the ITT figure
can be explained; :func:`campaign_roi` sets the margin the campaign earned against its cost.
Tests, intervals and power come from statsmodels. Ranking accounts by predicted uplift is in
:mod:`kamlib.uplift`.

>>> import pandas as pd
>>> toy = pd.DataFrame({"group": ["treatment"] * 3 + ["control"] * 3,
...                     "revenue_post_cny": [12.0, 14.0, 16.0, 10.0, 11.0, 12.0]})
>>> float(ab_difference(toy, outcome_col="revenue_post_cny")["difference"])
3.0
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from kamlib.errors import DataError, ParameterError
from kamlib.validation import (
    as_binary,
    check_mapping,
    check_names,
    check_number,
    drop_missing_keys,
    require_columns,
    require_dates,
    require_frame,
    require_no_missing,
    require_non_negative,
    require_numeric,
    require_optional_dates,
    require_unique,
)

__all__ = [
    "ab_difference",
    "ab_power",
    "campaign_roi",
    "campaign_window",
    "hazard_ratio",
    "implied_uplift",
    "order_rate_ratio",
    "uplift_by_segment",
]

_MOD = "kamlib.campaigns."


# ---------------------------------------------------------------------------------------------
# Shared checks
# ---------------------------------------------------------------------------------------------
def _treated(data, group_col, treatment, control, func) -> np.ndarray:
    """True for treatment rows, False for control; any other label or one empty arm fails."""
    require_columns(data, [group_col], func)
    require_no_missing(data, group_col, func, what="group label")
    labels = data[group_col].astype(str)
    odd = sorted(set(labels) - {str(treatment), str(control)})
    if odd:
        raise DataError(
            f"{func}: column '{group_col}' may only hold {treatment!r} and {control!r}, found "
            f"{odd[:3]}. Name the arms with treatment= and control=, or drop the other rows."
        )
    treated = (labels == str(treatment)).to_numpy()
    if treated.sum() < 2 or (~treated).sum() < 2:
        raise DataError(
            f"{func}: each arm needs at least two accounts; found {int(treated.sum())} in "
            f"{treatment!r} and {int((~treated).sum())} in {control!r}."
        )
    return treated


def _alpha(alpha, func) -> float:
    return check_number(alpha, "alpha", func, low=0, high=0.5, low_inclusive=False)


def _numeric_frame(data, columns, func) -> pd.DataFrame:
    """Columns as a float design matrix: numbers as they are, categories as 0/1 dummies.

    The first category of each text column is the reference (no dummy), so a model with an
    intercept stays identified.
    """
    parts = []
    for column in columns:
        series = data[column]
        if pd.api.types.is_bool_dtype(series):
            parts.append(series.astype(float).rename(column))
        elif pd.api.types.is_numeric_dtype(series):
            parts.append(require_numeric(data, column, func).astype(float))
        else:
            require_no_missing(data, column, func, what="category")
            as_numbers = pd.to_numeric(series, errors="coerce")
            if as_numbers.notna().any():
                raise DataError(
                    f"{func}: column '{column}' mixes numbers and text (e.g. "
                    f"{series[as_numbers.isna()].head(3).tolist()}). Convert it with "
                    "pd.to_numeric(...) if it holds numbers, or make every value a label."
                )
            dummies = pd.get_dummies(series.astype(str), prefix=column, drop_first=True)
            parts.append(dummies.astype(float))
    return pd.concat(parts, axis=1)


# ---------------------------------------------------------------------------------------------
# The campaign's window, account by account
# ---------------------------------------------------------------------------------------------
def campaign_window(
    campaign: pd.DataFrame,
    accounts: pd.DataFrame,
    orders: pd.DataFrame,
    *,
    window_days: int = 180,
    customer_col: str = "account_id",
    start_col: str = "start_date",
    lost_col: str = "lost_date",
    date_col: str = "order_date",
) -> pd.DataFrame:
    """The campaign's accounts with their orders, active days and losses in the window.

    The window runs from each account's start date for ``window_days`` days; an equally long
    window before the start gives the pre-period orders.

    Parameters
    ----------
    campaign : pandas.DataFrame
        One row per account in the test (``datasets.load("campaign")``).
    accounts : pandas.DataFrame
        Accounts with their lost date (empty while still a customer).
    orders : pandas.DataFrame
        Orders with account and date.
    window_days : int
        Length of the campaign window in days (180 in the course data).

    Returns
    -------
    pandas.DataFrame
        The campaign's columns plus ``orders_pre`` and ``orders_post`` (orders in the window
        before and in the campaign window), ``days_active`` (days in the window before the
        account was lost, else ``window_days``) and ``lost_in_window`` (True if the account
        left during the window).

    Examples
    --------
    >>> camp = pd.DataFrame({"account_id": ["A", "B"], "group": ["treatment", "control"],
    ...                      "start_date": pd.to_datetime(["2024-05-01"] * 2)})
    >>> acc = pd.DataFrame({"account_id": ["A", "B"],
    ...                     "lost_date": pd.to_datetime([None, "2024-05-11"])})
    >>> orders = pd.DataFrame({"account_id": ["A", "A", "B"],
    ...                        "order_date": pd.to_datetime(["2024-04-01", "2024-06-01",
    ...                                                      "2024-05-03"])})
    >>> campaign_window(camp, acc, orders, window_days=30)[
    ...     ["account_id", "orders_pre", "orders_post", "days_active", "lost_in_window"]]
      account_id  orders_pre  orders_post  days_active  lost_in_window
    0          A           1            0           30           False
    1          B           0            1           10            True
    """
    func = _MOD + "campaign_window"
    for name, table in (("campaign", campaign), ("accounts", accounts), ("orders", orders)):
        require_frame(table, func, name=name)
    window_days = check_number(window_days, "window_days", func, low=1, integer=True)
    require_columns(campaign, [customer_col, start_col], func)
    require_columns(accounts, [customer_col, lost_col], func)
    require_columns(orders, [customer_col, date_col], func)
    orders = drop_missing_keys(orders, customer_col, func)
    require_no_missing(campaign, customer_col, func, what="account id")
    require_unique(campaign, customer_col, func)
    require_unique(accounts, customer_col, func)
    start = require_dates(campaign, start_col, func)
    order_dates = require_dates(orders, date_col, func)
    lost_dates = require_optional_dates(accounts, lost_col, func)
    lost_of = pd.Series(lost_dates.to_numpy(), index=accounts[customer_col].astype(str))
    ids = campaign[customer_col].astype(str)
    missing = ~ids.isin(lost_of.index)
    if missing.any():
        raise DataError(
            f"{func}: {int(missing.sum())} campaign account(s) are not in 'accounts' (e.g. "
            f"{ids[missing].head(3).tolist()}). Pass the accounts table that matches."
        )
    lost = pd.to_datetime(ids.map(lost_of)).to_numpy()
    start_of = pd.Series(start.to_numpy(), index=ids.to_numpy())
    o = pd.DataFrame({"id": orders[customer_col].astype(str), "date": order_dates.to_numpy()})
    o = o[o["id"].isin(start_of.index)]
    offset = (o["date"] - o["id"].map(start_of)).dt.days
    post = o[(offset >= 0) & (offset < window_days)].groupby("id").size()
    pre = o[(offset < 0) & (offset >= -window_days)].groupby("id").size()
    end = start.to_numpy() + np.timedelta64(window_days, "D")
    starts = start.to_numpy()
    lost_in = ~pd.isna(lost) & (lost >= starts) & (lost < end)
    if (~pd.isna(lost) & (lost < starts)).any():
        n = int((~pd.isna(lost) & (lost < starts)).sum())
        raise DataError(
            f"{func}: {n} campaign account(s) were lost before the campaign started. A campaign "
            "is randomised among active accounts: check the lost dates or the start dates."
        )
    days = np.where(lost_in, (lost - starts).astype("timedelta64[D]").astype(float), window_days)
    out = campaign.copy()
    out["orders_pre"] = ids.map(pre).fillna(0).astype(int).to_numpy()
    out["orders_post"] = ids.map(post).fillna(0).astype(int).to_numpy()
    out["days_active"] = days.astype(int)
    out["lost_in_window"] = lost_in
    return out


# ---------------------------------------------------------------------------------------------
# Intention-to-treat differences and power
# ---------------------------------------------------------------------------------------------
def ab_difference(
    data: pd.DataFrame,
    *,
    outcome_col: str = "revenue_post_cny",
    covariates=None,
    group_col: str = "group",
    treatment: str = "treatment",
    control: str = "control",
    alpha: float = 0.05,
) -> pd.Series:
    """Intention-to-treat difference in a mean outcome, treatment minus control, with its CI.

    Estimand: the difference in the mean outcome between all accounts assigned to the campaign
    and all held back (ITT), whether or not they stayed customers. Without covariates the
    interval is Welch's t interval (unequal variances); with ``covariates`` (e.g. revenue
    before the start) it is the coefficient of the treatment in a least-squares regression
    with robust (HC1) errors, which targets the same difference with a narrower interval when
    the covariates predict the outcome. If neither arm varies (every account still active, say)
    the interval and p-value are NaN.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per account with its group and outcome.
    outcome_col : str
        The outcome (revenue, orders, a 0/1 or True/False flag: its mean is a share).
    covariates : list of str, optional
        Columns measured before the start; text columns enter as dummies.
    alpha : float
        1 - confidence level (0.05 for 95% intervals).

    Returns
    -------
    pandas.Series
        ``mean_treatment``, ``mean_control``, ``difference``, ``ci_low``, ``ci_high``,
        ``p_value``, ``relative_uplift`` (difference / control mean), ``n_treatment``,
        ``n_control``.

    Examples
    --------
    >>> toy = pd.DataFrame({"group": ["treatment"] * 3 + ["control"] * 3,
    ...                     "y": [12.0, 14.0, 16.0, 10.0, 11.0, 12.0]})
    >>> ab_difference(toy, outcome_col="y")[["difference", "relative_uplift"]].round(3).tolist()
    [3.0, 0.273]
    """
    func = _MOD + "ab_difference"
    return _ab(data, outcome_col, covariates, group_col, treatment, control, alpha, func)


def _ab(data, outcome_col, covariates, group_col, treatment, control, alpha, func) -> pd.Series:
    import statsmodels.api as sm
    from statsmodels.stats.weightstats import CompareMeans, DescrStatsW

    require_frame(data, func)
    alpha = _alpha(alpha, func)
    require_columns(data, [outcome_col], func)
    if pd.api.types.is_bool_dtype(data[outcome_col]):
        y = data[outcome_col].to_numpy(dtype=float)  # a True/False flag counts as 1/0
    else:
        y = require_numeric(data, outcome_col, func).to_numpy(dtype=float)
    treated = _treated(data, group_col, treatment, control, func)
    yt, yc = y[treated], y[~treated]
    if covariates is None:
        compare = CompareMeans(DescrStatsW(yt), DescrStatsW(yc))
        # Neither arm varies (e.g. every account still active): no interval, NaN.
        with np.errstate(invalid="ignore", divide="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            low, high = compare.tconfint_diff(alpha=alpha, usevar="unequal")
            p_value = compare.ttest_ind(usevar="unequal")[1]
        difference = yt.mean() - yc.mean()
    else:
        names = check_names(covariates, "covariates", func)
        require_columns(data, names, func)
        design = _numeric_frame(data, names, func)
        design.insert(0, "treated", treated.astype(float))
        design = sm.add_constant(design.reset_index(drop=True), has_constant="add")
        fit = sm.OLS(y, design).fit(cov_type="HC1")
        difference = float(fit.params["treated"])
        low, high = fit.conf_int(alpha=alpha).loc["treated"]
        p_value = fit.pvalues["treated"]
    control_mean = yc.mean()
    return pd.Series(
        {
            "mean_treatment": float(yt.mean()),
            "mean_control": float(control_mean),
            "difference": float(difference),
            "ci_low": float(low),
            "ci_high": float(high),
            "p_value": float(p_value),
            "relative_uplift": float(difference / control_mean) if control_mean else np.nan,
            "n_treatment": int(treated.sum()),
            "n_control": int((~treated).sum()),
        }
    )


def uplift_by_segment(
    data: pd.DataFrame,
    *,
    outcome_col: str = "revenue_post_cny",
    segment_col: str = "size_band",
    group_col: str = "group",
    treatment: str = "treatment",
    control: str = "control",
    alpha: float = 0.05,
) -> pd.DataFrame:
    """The ITT difference of :func:`ab_difference` within each segment (Welch intervals).

    Each segment's accounts were randomised like the rest, so each row is a small A/B test of
    its own; with few accounts its interval is wide. Segments whose arm has fewer than two
    accounts are refused.

    Returns
    -------
    pandas.DataFrame
        One row per segment (in the column's order) with the columns of :func:`ab_difference`.

    Examples
    --------
    >>> toy = pd.DataFrame({"seg": ["a"] * 4 + ["b"] * 4,
    ...                     "group": ["treatment", "treatment", "control", "control"] * 2,
    ...                     "y": [5.0, 7.0, 4.0, 4.0, 1.0, 3.0, 2.0, 2.0]})
    >>> uplift_by_segment(toy, outcome_col="y", segment_col="seg")["difference"].tolist()
    [2.0, 0.0]
    """
    func = _MOD + "uplift_by_segment"
    require_frame(data, func)
    require_columns(data, [segment_col, outcome_col, group_col], func)
    require_no_missing(data, segment_col, func, what="segment")
    rows = {}
    for segment, part in data.groupby(segment_col, observed=True, sort=True):
        rows[segment] = _ab(part, outcome_col, None, group_col, treatment, control, alpha, func)
    table = pd.DataFrame(rows).T
    table.index.name = segment_col
    table[["n_treatment", "n_control"]] = table[["n_treatment", "n_control"]].astype(int)
    return table.reset_index()


def ab_power(
    data: pd.DataFrame,
    *,
    effect: float,
    outcome_col: str = "revenue_post_cny",
    group_col: str = "group",
    treatment: str = "treatment",
    control: str = "control",
    alpha: float = 0.05,
    power: float = 0.8,
) -> pd.Series:
    """Power of a two-sided t test to detect ``effect`` with these groups, and the size needed.

    The outcome's spread is the pooled standard deviation of the two arms; the effect size is
    ``effect / sd`` (Cohen's d). Computed with statsmodels' ``TTestIndPower``.

    Parameters
    ----------
    effect : float
        The difference in means worth detecting, in the outcome's units (e.g. 5,000 yuan).
    power : float
        The wanted power for the sample size (0.8: the test finds a real effect 8 times in 10).

    Returns
    -------
    pandas.Series
        ``effect``, ``sd_pooled``, ``effect_size``, ``power`` (with the groups as they are) and
        ``n_per_group_needed`` (equal groups, for the wanted power).

    Examples
    --------
    >>> toy = pd.DataFrame({"group": ["treatment", "control"] * 50,
    ...                     "y": [1.0, 0.0, 0.0, 1.0] * 25})
    >>> res = ab_power(toy, outcome_col="y", effect=0.5)
    >>> round(float(res["effect_size"]), 3), int(res["n_per_group_needed"])
    (0.99, 18)
    """
    from statsmodels.stats.power import TTestIndPower

    func = _MOD + "ab_power"
    require_frame(data, func)
    effect = check_number(effect, "effect", func)
    if effect == 0:
        raise ParameterError(f"{func}: 'effect' must not be 0: no test can detect no effect.")
    alpha = _alpha(alpha, func)
    power = check_number(
        power, "power", func, low=0, high=1, low_inclusive=False, high_inclusive=False
    )
    require_columns(data, [outcome_col], func)
    y = require_numeric(data, outcome_col, func).to_numpy(dtype=float)
    treated = _treated(data, group_col, treatment, control, func)
    nt, nc = int(treated.sum()), int((~treated).sum())
    pooled = ((nt - 1) * y[treated].var(ddof=1) + (nc - 1) * y[~treated].var(ddof=1)) / (
        nt + nc - 2
    )
    sd = float(np.sqrt(pooled))
    if sd == 0:
        raise DataError(f"{func}: column '{outcome_col}' does not vary, so power is undefined.")
    d = abs(effect) / sd
    analysis = TTestIndPower()
    achieved = analysis.power(effect_size=d, nobs1=nt, alpha=alpha, ratio=nc / nt)
    needed = analysis.solve_power(effect_size=d, power=power, alpha=alpha, ratio=1.0)
    return pd.Series(
        {
            "effect": effect,
            "sd_pooled": sd,
            "effect_size": d,
            "power": float(achieved),
            "n_per_group_needed": int(np.ceil(needed)),
        }
    )


# ---------------------------------------------------------------------------------------------
# The two effects behind the revenue: order rate and hazard of loss
# ---------------------------------------------------------------------------------------------
def _window_checks(window, by, group_col, treatment, control, func, extra=()):
    require_frame(window, func, name="window")
    columns = ["orders_post", "days_active", "lost_in_window", *extra]
    require_columns(window, columns + ([by] if by is not None else []), func)
    for column in ("orders_post", "days_active", *[c for c in extra if c != "lost_in_window"]):
        require_non_negative(window, column, func)
    lost = as_binary(window["lost_in_window"], "lost_in_window", func)
    treated = _treated(window, group_col, treatment, control, func)
    if by is not None:
        require_no_missing(window, by, func, what="segment")
    return treated, lost


def order_rate_ratio(
    window: pd.DataFrame,
    *,
    by: str | None = "size_band",
    adjust: bool = True,
    group_col: str = "group",
    treatment: str = "treatment",
    control: str = "control",
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Orders per active day, treated over control: the order-rate ratio, with its CI.

    Estimand: the ratio of order rates among accounts **while they are still customers** (each
    account's orders over its days active in the window), not the revenue of everyone
    assigned. A Poisson regression of ``orders_post`` on the treatment with the log of the
    active days as offset; robust (HC0) errors allow for accounts that order at different
    rates. With ``adjust=True`` it also takes ``log(1 + orders_pre)``, which removes much of
    the accounts' own differences and narrows the interval (randomisation keeps the target the
    same). Accounts lost on the first day (0 active days) carry no information and are left out.

    Parameters
    ----------
    window : pandas.DataFrame
        Output of :func:`campaign_window`.
    by : str or None
        A segment column: one row per segment plus ``"All"`` (with the segments as fixed
        effects); None for ``"All"`` only.
    adjust : bool
        Adjust for the orders before the start.

    Returns
    -------
    pandas.DataFrame
        ``segment``, ``n_treatment``, ``n_control``, ``orders_per_30d_treatment``,
        ``orders_per_30d_control``, ``rate_ratio``, ``ci_low``, ``ci_high``, ``p_value``.

    Examples
    --------
    >>> w = pd.DataFrame({"group": ["treatment"] * 3 + ["control"] * 3,
    ...                   "orders_post": [2, 3, 1, 1, 2, 0], "orders_pre": [1] * 6,
    ...                   "days_active": [30] * 6, "lost_in_window": [False] * 6})
    >>> float(order_rate_ratio(w, by=None)["rate_ratio"].round(3).iloc[0])
    2.0
    """
    func = _MOD + "order_rate_ratio"
    alpha = _alpha(alpha, func)
    if not isinstance(adjust, bool):
        raise ParameterError(f"{func}: 'adjust' must be True or False, got {adjust!r}.")
    extra = ("orders_pre",) if adjust else ()
    treated, _ = _window_checks(window, by, group_col, treatment, control, func, extra)
    frame = window.assign(_treated=treated.astype(float))
    frame = frame[frame["days_active"] > 0]
    rows = []
    if by is not None:
        for segment, part in frame.groupby(by, observed=True, sort=True):
            rows.append(_rate_row(str(segment), part, adjust, None, alpha, func))
    rows.append(_rate_row("All", frame, adjust, by, alpha, func))
    return pd.DataFrame(rows)


def _rate_row(segment, part, adjust, fixed, alpha, func) -> dict:
    import statsmodels.api as sm

    t = part["_treated"].to_numpy() == 1
    if t.sum() < 2 or (~t).sum() < 2:
        raise DataError(f"{func}: segment {segment!r} needs at least two accounts in each arm.")
    design = pd.DataFrame({"treated": part["_treated"].to_numpy(dtype=float)})
    if adjust:
        design["log_orders_pre"] = np.log1p(part["orders_pre"].to_numpy(dtype=float))
    if fixed is not None:
        dummies = pd.get_dummies(part[fixed].astype(str), drop_first=True).astype(float)
        design = pd.concat([design, dummies.reset_index(drop=True)], axis=1)
    # A covariate that does not vary in this segment says nothing and would make the fit fail.
    design = design.loc[:, (design.nunique() > 1) | (design.columns == "treated")]
    design = sm.add_constant(design, has_constant="add")
    y = part["orders_post"].to_numpy(dtype=float)
    days = part["days_active"].to_numpy(dtype=float)
    if y[t].sum() == 0 or y[~t].sum() == 0:
        raise DataError(f"{func}: segment {segment!r} has an arm without any order in the window.")
    fit = sm.GLM(y, design, family=sm.families.Poisson(), offset=np.log(days)).fit(cov_type="HC0")
    low, high = np.exp(fit.conf_int(alpha=alpha).loc["treated"])
    return {
        "segment": segment,
        "n_treatment": int(t.sum()),
        "n_control": int((~t).sum()),
        "orders_per_30d_treatment": 30 * y[t].sum() / days[t].sum(),
        "orders_per_30d_control": 30 * y[~t].sum() / days[~t].sum(),
        "rate_ratio": float(np.exp(fit.params["treated"])),
        "ci_low": float(low),
        "ci_high": float(high),
        "p_value": float(fit.pvalues["treated"]),
    }


def hazard_ratio(
    window: pd.DataFrame,
    *,
    strata: str | None = None,
    group_col: str = "group",
    treatment: str = "treatment",
    control: str = "control",
    alpha: float = 0.05,
) -> pd.Series:
    """The hazard ratio of losing an account, treated over control (Cox model), with its CI.

    Estimand: the ratio of the daily risk of leaving, for an account still a customer, between
    the arms during the window (a proportional-hazards model, statsmodels ``PHReg``; time is
    the days active, an account not lost is censored at the window's end). ``strata`` lets each
    segment have its own baseline risk. An account lost on the first day counts as lost at
    half a day.

    Returns
    -------
    pandas.Series
        ``hazard_ratio``, ``ci_low``, ``ci_high``, ``p_value``, ``losses_treatment``,
        ``losses_control``, ``n_treatment``, ``n_control``.

    Examples
    --------
    >>> w = pd.DataFrame({"group": ["treatment"] * 4 + ["control"] * 4,
    ...                   "orders_post": [1] * 8,
    ...                   "days_active": [180, 180, 100, 180, 50, 180, 90, 120],
    ...                   "lost_in_window": [False, False, True, False, True, False, True, True]})
    >>> res = hazard_ratio(w)
    >>> int(res["losses_treatment"]), int(res["losses_control"]), bool(res["hazard_ratio"] < 1)
    (1, 3, True)
    """
    from statsmodels.duration.hazard_regression import PHReg

    func = _MOD + "hazard_ratio"
    alpha = _alpha(alpha, func)
    treated, lost = _window_checks(window, strata, group_col, treatment, control, func)
    if lost.sum() == 0:
        raise DataError(f"{func}: no account was lost in the window, so no hazard to compare.")
    time = np.maximum(window["days_active"].to_numpy(dtype=float), 0.5)
    groups = None if strata is None else window[strata].astype(str).to_numpy()
    fit = PHReg(time, treated.astype(float)[:, None], status=lost.astype(int), strata=groups).fit()
    low, high = np.exp(fit.conf_int(alpha=alpha)[0])
    return pd.Series(
        {
            "hazard_ratio": float(np.exp(fit.params[0])),
            "ci_low": float(low),
            "ci_high": float(high),
            "p_value": float(fit.pvalues[0]),
            "losses_treatment": int(lost[treated].sum()),
            "losses_control": int(lost[~treated].sum()),
            "n_treatment": int(treated.sum()),
            "n_control": int((~treated).sum()),
        }
    )


def implied_uplift(
    window: pd.DataFrame,
    *,
    rate_lift,
    hazard_ratio: float,
    by: str = "size_band",
    outcome_col: str = "revenue_post_cny",
    window_days: int = 180,
    group_col: str = "group",
    treatment: str = "treatment",
    control: str = "control",
) -> pd.DataFrame:
    """The revenue uplift that an order-rate lift and a hazard ratio imply, next to the observed.

    Revenue in the window = days active x orders per day x revenue per order. The campaign
    multiplies the orders per day by ``rate_lift`` and the daily risk of loss by
    ``hazard_ratio``. With the control arm's daily loss rate ``lam`` (losses over days active)
    and a constant risk, an account's expected share of the window still active is
    ``f(lam) = (1 - exp(-lam W)) / (lam W)``; so the treated arm's expected revenue is the
    control mean x ``rate_lift`` x ``f(lam * hazard_ratio) / f(lam)``, if the campaign leaves
    the revenue per order alone.

    Parameters
    ----------
    window : pandas.DataFrame
        Output of :func:`campaign_window`.
    rate_lift : float or dict
        One lift for all, or ``{segment: lift}`` (e.g. the true lifts, or the estimated ones).
    hazard_ratio : float
        Multiplier of the risk of loss (below 1: the campaign keeps accounts).

    Returns
    -------
    pandas.DataFrame
        One row per segment plus ``"All"``: ``n_treatment``, ``mean_control``,
        ``exposure_ratio``, ``implied_ratio``, ``implied_uplift_per_account``,
        ``observed_uplift_per_account`` (treated mean minus control mean) and the two totals
        over the treated accounts (``implied_total``, ``observed_total``); and the observed
        ratio of means split into ``observed_exposure_ratio`` (days active),
        ``observed_rate_ratio`` (orders per day) and ``observed_value_ratio`` (revenue per
        order), whose product is the treated mean over the control mean.

    Examples
    --------
    >>> w = pd.DataFrame({"seg": ["a"] * 4, "group": ["treatment", "treatment", "control",
    ...                   "control"], "revenue_post_cny": [120.0, 100.0, 100.0, 100.0],
    ...                   "orders_post": [1] * 4, "days_active": [180] * 4,
    ...                   "lost_in_window": [False] * 4})
    >>> r = implied_uplift(w, rate_lift=1.1, hazard_ratio=0.6, by="seg")
    >>> r[["implied_uplift_per_account", "observed_uplift_per_account"]].round(2).iloc[0].tolist()
    [10.0, 10.0]
    """
    func = _MOD + "implied_uplift"
    treated, lost = _window_checks(window, by, group_col, treatment, control, func, (outcome_col,))
    hazard_ratio = check_number(hazard_ratio, "hazard_ratio", func, low=0, low_inclusive=False)
    window_days = check_number(window_days, "window_days", func, low=1, integer=True)
    segments = window[by].astype(str)
    if isinstance(rate_lift, dict | pd.Series):
        lifts = {str(k): v for k, v in check_mapping(dict(rate_lift), "rate_lift", func).items()}
        missing = sorted(set(segments) - set(lifts))
        if missing:
            raise ParameterError(f"{func}: 'rate_lift' has no lift for segment(s) {missing[:3]}.")
    else:
        one = check_number(rate_lift, "rate_lift", func, low=0, low_inclusive=False)
        lifts = {s: one for s in set(segments)}
    for key, value in lifts.items():
        check_number(value, f"rate_lift[{key!r}]", func, low=0, low_inclusive=False)
    y = window[outcome_col].to_numpy(dtype=float)
    days = window["days_active"].to_numpy(dtype=float)
    rows = []
    order = window[by].drop_duplicates().sort_values().astype(str).tolist()
    for segment in order:
        inside = (segments == segment).to_numpy()
        t, c = inside & treated, inside & ~treated
        if t.sum() == 0 or c.sum() == 0:
            raise DataError(f"{func}: segment {segment!r} needs accounts in both arms.")
        lam = lost[c].sum() / days[c].sum() if days[c].sum() else 0.0
        exposure = _share_active(lam * hazard_ratio, window_days) / _share_active(lam, window_days)
        ratio = float(lifts[segment]) * exposure
        mean_c = y[c].mean()
        orders = window["orders_post"].to_numpy(dtype=float)
        rows.append(
            {
                "segment": segment,
                "n_treatment": int(t.sum()),
                "mean_control": mean_c,
                "exposure_ratio": exposure,
                "implied_ratio": ratio,
                "implied_uplift_per_account": mean_c * (ratio - 1),
                "observed_uplift_per_account": y[t].mean() - mean_c,
                # The observed ratio of means, split exactly into its three factors.
                "observed_exposure_ratio": days[t].mean() / days[c].mean(),
                "observed_rate_ratio": _ratio(
                    orders[t].sum() / days[t].sum(), orders[c].sum() / days[c].sum()
                ),
                "observed_value_ratio": _ratio(
                    y[t].sum() / orders[t].sum(), y[c].sum() / orders[c].sum()
                ),
            }
        )
    table = pd.DataFrame(rows)
    table["implied_total"] = table["implied_uplift_per_account"] * table["n_treatment"]
    table["observed_total"] = table["observed_uplift_per_account"] * table["n_treatment"]
    n = table["n_treatment"].sum()
    total = {
        "segment": "All",
        "n_treatment": int(n),
        "mean_control": np.nan,
        "exposure_ratio": np.nan,
        "implied_ratio": np.nan,
        "implied_uplift_per_account": table["implied_total"].sum() / n,
        "observed_uplift_per_account": table["observed_total"].sum() / n,
        "implied_total": table["implied_total"].sum(),
        "observed_total": table["observed_total"].sum(),
        "observed_exposure_ratio": np.nan,
        "observed_rate_ratio": np.nan,
        "observed_value_ratio": np.nan,
    }
    return pd.concat([table, pd.DataFrame([total])], ignore_index=True)


def _ratio(a: float, b: float) -> float:
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(np.divide(a, b)) if b else np.nan


def _share_active(lam: float, days: int) -> float:
    """Expected share of ``days`` still active with a constant daily risk ``lam``."""
    x = lam * days
    return 1.0 if x < 1e-12 else float((1 - np.exp(-x)) / x)


# ---------------------------------------------------------------------------------------------
# Return on the campaign
# ---------------------------------------------------------------------------------------------
def campaign_roi(incremental_revenue: float, cost: float, *, margin_rate: float) -> pd.Series:
    """Return on a campaign: the margin on its extra revenue, less its cost, over its cost.

    ``ROI = (incremental_revenue x margin_rate - cost) / cost``. Revenue is not profit: only the
    margin on the extra revenue pays for the campaign.

    Parameters
    ----------
    incremental_revenue : float
        Extra revenue caused by the campaign (e.g. ITT difference x treated accounts); may be
        negative.
    cost : float
        What the campaign cost (more than 0).
    margin_rate : float
        Gross margin per yuan of revenue, between 0 and 1.

    Returns
    -------
    pandas.Series
        ``incremental_revenue``, ``incremental_margin``, ``cost``, ``net_gain``, ``roi``.

    Examples
    --------
    >>> campaign_roi(100_000, 20_000, margin_rate=0.3)["roi"]
    np.float64(0.5)
    """
    func = _MOD + "campaign_roi"
    revenue = check_number(incremental_revenue, "incremental_revenue", func)
    cost = check_number(cost, "cost", func, low=0, low_inclusive=False)
    margin_rate = check_number(margin_rate, "margin_rate", func, low=0, high=1)
    margin = revenue * margin_rate
    return pd.Series(
        {
            "incremental_revenue": revenue,
            "incremental_margin": margin,
            "cost": cost,
            "net_gain": margin - cost,
            "roi": (margin - cost) / cost,
        }
    )
