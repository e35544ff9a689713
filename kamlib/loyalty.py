"""Satisfaction, loyalty and profit: does a satisfied account stay, buy more and earn more?

The service-profit chain says that satisfaction drives loyalty (the customer stays and gives
the supplier a larger share of its wallet) and loyalty drives profit. These functions put the
claim to the data: each survey response is paired with what the account did in the following
year (:func:`satisfaction_outcomes`), the outcomes are tabulated by score
(:func:`loyalty_by_score`) and the links are estimated with simple regressions
(:func:`satisfaction_links`).

>>> import pandas as pd
>>> from kamlib.loyalty import loyalty_by_score
>>> outcomes = pd.DataFrame({"score": [2, 2, 4, 4], "stayed": [False, True, True, True],
...     "share_of_wallet_next": [None, 0.2, 0.4, 0.6]})
>>> loyalty_by_score(outcomes)[["retention", "mean_share_of_wallet"]].to_dict("index")
{2: {'retention': 0.5, 'mean_share_of_wallet': 0.2}, 4: {'retention': 1.0, 'mean_share_of_wallet': 0.5}}
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from kamlib.errors import DataError, FitError, ParameterError
from kamlib.validation import (
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

__all__ = ["loyalty_by_score", "satisfaction_links", "satisfaction_outcomes"]

#: Share of wallet is clipped to [SHARE_CLIP, 1 - SHARE_CLIP] before taking its log-odds.
SHARE_CLIP = 0.01


def _years(survey_years, dates: pd.Series, last_year: int, func: str) -> list[int]:
    if survey_years is None:
        years = sorted(int(y) for y in dates.dt.year.unique() if y < last_year)
        if not years:
            raise DataError(
                f"{func}: no survey year has a following year of orders (orders end in "
                f"{last_year}). Pass survey_years whose next year the orders cover."
            )
        return years
    if isinstance(survey_years, int | np.integer) and not isinstance(survey_years, bool):
        survey_years = [survey_years]
    try:
        years = [int(check_number(y, "survey_years", func, integer=True)) for y in survey_years]
    except TypeError:
        raise ParameterError(
            f"{func}: 'survey_years' must be a year such as 2023 or a list of years, "
            f"got {survey_years!r}."
        ) from None
    late = [y for y in years if y >= last_year]
    if late:
        raise ParameterError(
            f"{func}: survey year(s) {late} have no following year of orders (orders end in "
            f"{last_year}). Choose earlier years."
        )
    return years


def satisfaction_outcomes(
    surveys: pd.DataFrame,
    accounts: pd.DataFrame,
    orders: pd.DataFrame,
    activity: pd.DataFrame | None = None,
    *,
    survey_years=None,
    score_col: str = "csat",
    customer_col: str = "account_id",
    survey_date_col: str = "survey_date",
    lost_col: str = "lost_date",
    wallet_col: str = "est_annual_spend_cny",
    order_date_col: str = "order_date",
    net_col: str = "net_revenue_cny",
) -> pd.DataFrame:
    """Pair each survey response with what the account did in the year after the survey.

    Parameters
    ----------
    surveys, accounts, orders : pandas.DataFrame
        The course tables ``surveys``, ``accounts`` and ``orders`` (or yours with the same
        columns).
    activity : pandas.DataFrame, optional
        The course table ``service_activity``; with it, the next year's profit is added
        (:func:`kamlib.profitability.customer_profit` with the default activity prices).
    survey_years : int or list of int, optional
        Which surveys to use; by default every year before the last year of orders.
    score_col : str, default "csat"
        The satisfaction score (any numeric survey column, e.g. ``"nps"``).
    customer_col, survey_date_col, lost_col, wallet_col, order_date_col, net_col : str
        Column names.

    Returns
    -------
    pandas.DataFrame
        One row per account and survey year (an account answering twice in a year gets the
        mean of its scores): ``account_id``, ``survey_year``, ``score``, ``stayed`` (still a
        customer at the end of the next year), ``net_revenue_next`` (its net revenue in the
        next year), ``share_of_wallet_next`` (that revenue over the wallet estimate, for the
        accounts that stayed; empty for the others) and, with ``activity``, ``profit_next``.

    Examples
    --------
    >>> import pandas as pd
    >>> surveys = pd.DataFrame({"account_id": ["A", "B"], "csat": [5, 2],
    ...     "survey_date": pd.to_datetime(["2023-11-05", "2023-11-20"])})
    >>> accounts = pd.DataFrame({"account_id": ["A", "B"], "est_annual_spend_cny": [1000.0, 500.0],
    ...     "lost_date": pd.to_datetime([None, "2024-06-30"])})
    >>> orders = pd.DataFrame({"account_id": ["A", "A", "B"], "net_revenue_cny": [300.0, 200.0, 50.0],
    ...     "order_date": pd.to_datetime(["2024-02-01", "2024-09-01", "2024-03-01"])})
    >>> out = satisfaction_outcomes(surveys, accounts, orders)
    >>> out[["account_id", "score", "stayed", "share_of_wallet_next"]].to_dict("records")
    [{'account_id': 'A', 'score': 5.0, 'stayed': True, 'share_of_wallet_next': 0.5}, {'account_id': 'B', 'score': 2.0, 'stayed': False, 'share_of_wallet_next': nan}]
    """
    func = "kamlib.loyalty.satisfaction_outcomes"
    for name, frame in (("surveys", surveys), ("accounts", accounts), ("orders", orders)):
        require_frame(frame, func, name=name)
    require_columns(surveys, [customer_col, survey_date_col, score_col], func)
    require_columns(accounts, [customer_col, lost_col, wallet_col], func)
    require_columns(orders, [customer_col, order_date_col, net_col], func)
    require_unique(accounts, customer_col, func)
    score = require_numeric(surveys, score_col, func).astype(float)
    survey_dates = require_dates(surveys, survey_date_col, func)
    order_dates = require_dates(orders, order_date_col, func)
    lost = require_optional_dates(accounts, lost_col, func)
    wallet = require_non_negative(accounts, wallet_col, func).astype(float)
    net = require_non_negative(orders, net_col, func).astype(float)
    ids = pd.Index(accounts[customer_col].astype(str))
    for name, frame in (("surveys", surveys), ("orders", orders)):
        require_no_missing(frame, customer_col, func, what="id")
        require_known(frame, customer_col, ids, func, name=name)
    years = _years(survey_years, survey_dates, int(order_dates.dt.year.max()), func)

    lost_by = pd.Series(lost.to_numpy(), index=ids)
    wallet_by = pd.Series(wallet.to_numpy(), index=ids)
    buyer = orders[customer_col].astype(str)
    parts = []
    for year in years:
        inside = (survey_dates.dt.year == year).to_numpy()
        if not inside.any():
            raise DataError(f"{func}: no survey response is dated in {year}. Check survey_years.")
        scores = score[inside].groupby(surveys.loc[inside, customer_col].astype(str)).mean()
        who = scores.index
        end = pd.Timestamp(f"{year + 1}-12-31")
        gone = lost_by.reindex(who)
        stayed = (gone.isna() | (gone > end)).to_numpy()
        next_year = (order_dates.dt.year == year + 1).to_numpy()
        revenue = net[next_year].groupby(buyer[next_year]).sum().reindex(who, fill_value=0.0)
        with np.errstate(divide="ignore", invalid="ignore"):
            share = revenue.to_numpy() / wallet_by.reindex(who).to_numpy()
        part = pd.DataFrame(
            {
                customer_col: who.to_numpy(),
                "survey_year": year,
                "score": scores.to_numpy(),
                "stayed": stayed,
                "net_revenue_next": revenue.to_numpy(),
                "share_of_wallet_next": np.where(stayed, share, np.nan),
            }
        )
        if activity is not None:
            from kamlib.profitability import customer_profit

            profit = customer_profit(accounts, orders, activity, period=year + 1)["profit"]
            part["profit_next"] = profit.reindex(who).fillna(0.0).to_numpy()
        parts.append(part)
    return pd.concat(parts, ignore_index=True)


def _outcome_frame(outcomes, score_col: str, func: str) -> pd.DataFrame:
    require_frame(outcomes, func, name="outcomes")
    require_columns(outcomes, [score_col, "stayed", "share_of_wallet_next"], func)
    require_numeric(outcomes, score_col, func)
    stayed = require_no_missing(outcomes, "stayed", func)
    if not pd.api.types.is_bool_dtype(stayed):
        raise DataError(
            f"{func}: column 'stayed' must hold True/False, found dtype {stayed.dtype}. "
            "Build the table with satisfaction_outcomes."
        )
    require_numeric(outcomes, "share_of_wallet_next", func, allow_missing=True)
    return outcomes


def loyalty_by_score(outcomes: pd.DataFrame, *, score_col: str = "score") -> pd.DataFrame:
    """Retention, share of wallet and profit of the next year, by satisfaction score.

    Parameters
    ----------
    outcomes : pandas.DataFrame
        The table of :func:`satisfaction_outcomes`.
    score_col : str, default "score"
        The score to group by (scores with decimals are grouped as they are).

    Returns
    -------
    pandas.DataFrame
        Index = score; columns ``responses``, ``retention`` (share that stayed),
        ``mean_share_of_wallet`` (of those that stayed) and, if the outcomes hold profit,
        ``mean_profit`` and ``median_profit`` (CNY, next year, all responses).
    """
    func = "kamlib.loyalty.loyalty_by_score"
    data = _outcome_frame(outcomes, score_col, func)
    groups = data.groupby(score_col)
    table = pd.DataFrame(
        {
            "responses": groups.size(),
            "retention": groups["stayed"].mean(),
            "mean_share_of_wallet": groups["share_of_wallet_next"].mean(),
        }
    )
    if "profit_next" in data.columns:
        table["mean_profit"] = groups["profit_next"].mean()
        table["median_profit"] = groups["profit_next"].median()
    table.index.name = score_col
    return table


def satisfaction_links(
    outcomes: pd.DataFrame, *, score_col: str = "score", covariates=()
) -> pd.DataFrame:
    """Estimate how much one more point of satisfaction changes loyalty and profit.

    Three regressions on the score (plus any ``covariates``), each on the rows it needs:

    - ``retention``: leaving within the next year, a binomial model with the complementary
      log-log link. Its slope is the log of the **hazard ratio** of leaving per score point
      (exp(slope) = how the monthly chance of leaving is multiplied), the scale of a
      proportional-hazards churn model; negative when satisfied accounts leave less.
    - ``share_of_wallet``: least squares on the log-odds of the next year's share of wallet
      (clipped to [0.01, 0.99]), accounts that stayed.
    - ``profit`` (if the outcomes hold ``profit_next``): median regression of the next year's
      profit in CNY, every response (an account that left earns little or nothing). The
      median, because a few very large winners and losers (the two ends of the whale curve)
      swamp the mean.

    Parameters
    ----------
    outcomes : pandas.DataFrame
        The table of :func:`satisfaction_outcomes` (extra columns may serve as covariates).
    score_col : str, default "score"
        The satisfaction measure.
    covariates : sequence of str
        Other numeric columns of ``outcomes`` to hold constant (e.g. log headcount).

    Returns
    -------
    pandas.DataFrame
        Index ``retention``, ``share_of_wallet`` (and ``profit``); columns ``estimate`` (the
        slope of the score), ``std_error``, ``ci_low``, ``ci_high`` (95%) and ``n`` (rows used).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(1)
    >>> s = rng.normal(0, 1, 4000)
    >>> share = 1 / (1 + np.exp(-(-0.6 + 0.4 * s + rng.normal(0, 0.5, 4000))))
    >>> left = rng.random(4000) < 1 - np.exp(-0.15 * np.exp(-0.5 * s))
    >>> links = satisfaction_links(pd.DataFrame({"score": s, "stayed": ~left,
    ...     "share_of_wallet_next": np.where(left, np.nan, share)}))
    >>> links["estimate"].round(1).to_dict()
    {'retention': -0.5, 'share_of_wallet': 0.4}
    """
    import statsmodels.api as sm

    func = "kamlib.loyalty.satisfaction_links"
    if isinstance(covariates, str):
        covariates = [covariates]
    covariates = list(covariates)
    data = _outcome_frame(outcomes, score_col, func)
    require_columns(data, covariates, func)
    for column in covariates:
        require_numeric(data, column, func)
    x = sm.add_constant(data[[score_col, *covariates]].astype(float), has_constant="add")
    stay = data["stayed"].to_numpy()
    rows = {}
    left = (~data["stayed"]).astype(float).to_numpy()
    if left.min() == left.max():
        raise FitError(
            f"{func}: every account {'left' if left[0] else 'stayed'}, so the retention link "
            "cannot be estimated. Use more survey years or more accounts."
        )
    link = sm.families.links.CLogLog()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # statsmodels' notes on link classes are not for users
        fit = sm.GLM(left, x, family=sm.families.Binomial(link=link)).fit()
    rows["retention"] = _slope(fit, score_col, len(left))
    share = data.loc[stay, "share_of_wallet_next"]
    keep = share.notna().to_numpy()
    if keep.sum() < len(covariates) + 3:
        raise FitError(
            f"{func}: only {int(keep.sum())} accounts that stayed have a share of wallet; "
            "too few to estimate the share-of-wallet link."
        )
    clipped = share[keep].clip(SHARE_CLIP, 1 - SHARE_CLIP)
    y = np.log(clipped / (1 - clipped)).to_numpy()
    rows["share_of_wallet"] = _slope(sm.OLS(y, x[stay][keep]).fit(), score_col, len(y))
    if "profit_next" in data.columns:
        profit = require_numeric(data, "profit_next", func).to_numpy()
        fit = sm.QuantReg(profit, x).fit(q=0.5)
        rows["profit"] = _slope(fit, score_col, len(profit))
    return pd.DataFrame(rows).T.astype({"n": "int64"})


def _slope(fit, name: str, n: int) -> dict:
    low, high = fit.conf_int().loc[name]
    return {
        "estimate": float(fit.params[name]),
        "std_error": float(fit.bse[name]),
        "ci_low": float(low),
        "ci_high": float(high),
        "n": n,
    }
