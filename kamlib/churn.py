"""Predicting churn: an as-of feature table, labels from a later window, a model and its checks.

A churn model is only honest if it could have been used on the day it scores. So every
feature is computed **as of** a date from data dated on or before it (the early-warning
signals of :func:`kamlib.early_warning.warning_signals`, plus tenure, size, fit, the surveys'
scores and the service activity of the last year), and the label is what happened **after**
it: was the account lost within ``horizon_days``? A time-based split trains on one as-of date
and tests on a later one whose label window still lies inside the data.

- :func:`churn_features` and :func:`churn_labels` build the two halves of a data set;
- :class:`ChurnModel` wraps a scikit-learn pipeline (impute, standardise, logistic
  regression); its :meth:`~ChurnModel.drivers` are the coefficients per standard deviation;
- :func:`evaluate_churn` (AUC, Brier score, top-band lift through :mod:`kamlib.gains`),
  :func:`calibration_table` and :func:`plot_calibration` judge the scores on held-out accounts.

>>> from kamlib import toy
>>> f = churn_features(toy.accounts(), toy.orders(), as_of="2024-12-31", lost_col=None)
>>> f.loc["T03", ["tenure_years", "orders_year", "days_since_order"]].round(2).tolist()
[0.91, 2.0, 80.0]
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from kamlib import early_warning, plot
from kamlib._models import ParamsMixin
from kamlib.credit_risk import _dates, _name
from kamlib.errors import DataError, NotFittedError, ParameterError
from kamlib.validation import (
    as_called_by,
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

__all__ = [
    "CHURN_FEATURES",
    "ChurnModel",
    "calibration_table",
    "churn_features",
    "churn_labels",
    "evaluate_churn",
    "plot_calibration",
]

#: The numeric features the default pipeline reads (columns of :func:`churn_features`).
CHURN_FEATURES = (
    "tenure_years",
    "log_employees",
    "strategic_fit",
    "key_account",
    "orders_year",
    "revenue_year",
    "days_since_order",
    "order_rate_ratio",
    "complaints_recent",
    "complaints_baseline",
    "days_late_recent",
    "csat_mean",
    "nps_latest",
    "n_flags",
)

_WARNING_COLUMNS = (
    "orders_recent", "orders_baseline", "order_rate_ratio", "revenue_ratio", "complaints_recent",
    "complaints_baseline", "days_late_recent", "days_late_previous", "csat_latest",
    "csat_previous", "n_flags", "churn_risk",
)  # fmt: skip


def churn_features(
    accounts: pd.DataFrame,
    orders: pd.DataFrame,
    *,
    as_of,
    interactions: pd.DataFrame | None = None,
    surveys: pd.DataFrame | None = None,
    invoices: pd.DataFrame | None = None,
    payments: pd.DataFrame | None = None,
    activity: pd.DataFrame | None = None,
    activity_types=("return", "technical_support", "expedited_delivery"),
    recent_days: int = 90,
    baseline_days: int = 270,
    customer_col: str = "account_id",
    since_col: str = "customer_since",
    lost_col: str | None = "lost_date",
    employees_col: str = "employees",
    fit_col: str = "strategic_fit",
    tier_col: str = "sales_tier",
    date_col: str = "order_date",
    value_col: str = "net_revenue_cny",
    cogs_col: str = "cogs_cny",
) -> pd.DataFrame:
    """One row per account on the books at ``as_of``: what could be known about it that day.

    The early-warning signals (:func:`kamlib.early_warning.warning_signals`, with its recent and
    baseline windows) are joined with the account's tenure, size, strategic fit and tier, its
    last year of orders and margin, its days since the last order, the mean CSAT and latest
    NPS of its surveys, and its counts of ``activity_types`` in the 12 whole months before
    ``as_of``. Nothing dated after ``as_of`` is read: cutting the data at ``as_of`` gives the
    same table.

    Parameters
    ----------
    accounts, orders : pandas.DataFrame
        The course tables (or yours with the same columns).
    as_of : str or Timestamp
        The scoring date.
    interactions, surveys, invoices, payments : pandas.DataFrame, optional
        Passed to :func:`~kamlib.early_warning.warning_signals`; a table not given leaves its
        columns out (surveys: also ``csat_mean`` and ``nps_latest``).
    activity : pandas.DataFrame, optional
        ``service_activity`` (``account_id``, ``month``, ``activity``, ``count``).
    activity_types : sequence of str
        Activities counted, one column ``<type>_year`` each.
    recent_days, baseline_days : int, default 90 and 270
        The early-warning windows (their sum, 360 days, fits the first year of data).
    customer_col, since_col, lost_col, employees_col, fit_col, tier_col : str
        Columns of ``accounts`` (``lost_col=None`` if there are no lost dates).
    date_col, value_col, cogs_col : str
        Columns of ``orders``.

    Returns
    -------
    pandas.DataFrame
        Index ``customer_col``. Columns: the warning signals (``orders_recent`` ...
        ``n_flags``, ``churn_risk``), ``tenure_years``, ``log_employees`` (natural log),
        ``strategic_fit``, ``key_account`` (1 or 0), ``orders_year``, ``revenue_year``,
        ``margin_year`` (net revenue less cost of goods, last 365 days), ``days_since_order``
        (empty if the account never ordered), and with surveys ``csat_mean``, ``nps_latest``
        (empty if never surveyed), with activity ``<type>_year``.

    Examples
    --------
    >>> from kamlib import toy
    >>> f = churn_features(toy.accounts(), toy.orders(), as_of="2024-06-30", lost_col=None)
    >>> f["orders_year"].astype(int).to_dict()    # T04 ordered only in August
    {'T01': 3, 'T02': 1, 'T03': 1, 'T04': 0}
    >>> float(f.loc["T01", "margin_year"])        # (450-300) + (400-280) + (450-310)
    410.0
    """
    func = "kamlib.churn.churn_features"
    stamp = as_timestamp(as_of, "as_of", func)
    for name, value in (
        ("customer_col", customer_col), ("since_col", since_col),
        ("employees_col", employees_col), ("fit_col", fit_col), ("tier_col", tier_col),
        ("date_col", date_col), ("value_col", value_col), ("cogs_col", cogs_col),
    ):  # fmt: skip
        _name(value, name, func)
    types = check_names(activity_types, "activity_types", func)
    require_frame(accounts, func, name="accounts")
    require_frame(orders, func, name="orders")
    require_columns(accounts, [customer_col, employees_col, fit_col, tier_col], func)
    require_columns(orders, [cogs_col], func)
    with as_called_by(func):
        signals = early_warning.warning_signals(
            accounts, orders, as_of=stamp, interactions=interactions, surveys=surveys,
            invoices=invoices, payments=payments, recent_days=recent_days,
            baseline_days=baseline_days, customer_col=customer_col, since_col=since_col,
            lost_col=lost_col, date_col=date_col, value_col=value_col,
        )  # fmt: skip
    ids = signals.index
    out = signals[[c for c in _WARNING_COLUMNS if c in signals.columns]].copy()
    acc = accounts.assign(_id=accounts[customer_col].astype(str)).set_index("_id").loc[ids]
    employees = require_numeric(acc, employees_col, func).astype(float)
    if (employees <= 0).any():
        raise DataError(
            f"{func}: column '{employees_col}' must hold head counts above 0, found "
            f"{employees[employees <= 0].tolist()[:3]}. Fix those accounts."
        )
    since = _dates(acc, since_col, func)
    out["tenure_years"] = ((stamp - since).dt.days / 365.25).to_numpy()
    out["log_employees"] = np.log(employees.to_numpy())
    out["strategic_fit"] = require_numeric(acc, fit_col, func).astype(float).to_numpy()
    require_no_missing(acc, tier_col, func, what="sales tier")
    out["key_account"] = acc[tier_col].eq("key").astype("int64").to_numpy()
    out = out.join(_order_history(orders, ids, stamp, customer_col, date_col, value_col,
                                  cogs_col, func))  # fmt: skip
    if surveys is not None:
        out = out.join(_survey_scores(surveys, ids, stamp, customer_col, func))
    if activity is not None:
        out = out.join(_activity_counts(activity, ids, stamp, types, customer_col, func))
    return out


def _order_history(orders, ids, stamp, customer_col, date_col, value_col, cogs_col, func):
    when = _dates(orders, date_col, func)
    value = require_numeric(orders, value_col, func).astype(float)
    cogs = require_numeric(orders, cogs_col, func).astype(float)
    frame = pd.DataFrame(
        {"id": orders[customer_col].astype(str).to_numpy(), "date": when.to_numpy(),
         "value": value.to_numpy(), "margin": (value - cogs).to_numpy()}
    )  # fmt: skip
    frame = frame[frame["date"] <= stamp]
    year = frame[frame["date"] > stamp - pd.Timedelta(days=365)].groupby("id")
    last = frame.groupby("id")["date"].max().reindex(ids)
    return pd.DataFrame(
        {
            "orders_year": year.size().reindex(ids, fill_value=0).astype("int64"),
            "revenue_year": year["value"].sum().reindex(ids, fill_value=0.0),
            "margin_year": year["margin"].sum().reindex(ids, fill_value=0.0),
            "days_since_order": (stamp - last).dt.days.astype(float),
        },
        index=ids,
    )


def _survey_scores(surveys, ids, stamp, customer_col, func):
    require_frame(surveys, func, name="surveys")
    require_columns(surveys, [customer_col, "survey_date", "csat", "nps"], func)
    require_no_missing(surveys, customer_col, func, what="account id")
    when = _dates(surveys, "survey_date", func)
    frame = pd.DataFrame(
        {"id": surveys[customer_col].astype(str).to_numpy(), "date": when.to_numpy(),
         "csat": require_numeric(surveys, "csat", func).astype(float).to_numpy(),
         "nps": require_numeric(surveys, "nps", func).astype(float).to_numpy()}
    )  # fmt: skip
    frame = frame[frame["date"] <= stamp].sort_values(["id", "date"], kind="stable")
    by = frame.groupby("id")
    return pd.DataFrame(
        {"csat_mean": by["csat"].mean().reindex(ids), "nps_latest": by["nps"].last().reindex(ids)},
        index=ids,
    )


def _activity_counts(activity, ids, stamp, types, customer_col, func):
    require_frame(activity, func, name="activity")
    require_columns(activity, [customer_col, "month", "activity", "count"], func)
    require_no_missing(activity, customer_col, func, what="account id")
    require_no_missing(activity, "activity", func, what="activity type")
    month = _dates(activity, "month", func)
    count = require_numeric(activity, "count", func).astype(float)
    # A month counts only once it is over (its last day on or before as_of) and only if it
    # lies wholly inside the 12 months before as_of.
    month_end = month + pd.offsets.MonthEnd(0)
    keep = (month_end <= stamp) & (month > stamp - pd.DateOffset(months=12))
    keep &= activity["activity"].isin(types)
    part = pd.DataFrame(
        {"id": activity[customer_col].astype(str), "type": activity["activity"], "n": count}
    )[keep.to_numpy()]
    table = part.pivot_table(index="id", columns="type", values="n", aggfunc="sum")
    table = table.reindex(index=ids, columns=types).fillna(0.0)
    table.columns = [f"{t}_year" for t in types]
    return table


def churn_labels(
    accounts: pd.DataFrame,
    *,
    as_of,
    observed_until,
    horizon_days: int = 365,
    customer_col: str = "account_id",
    since_col: str = "customer_since",
    lost_col: str = "lost_date",
) -> pd.Series:
    """Whether each account on the books at ``as_of`` was lost within ``horizon_days`` after it.

    Parameters
    ----------
    accounts : pandas.DataFrame
        With the account id, the date it was won and its lost date (empty: still a customer).
    as_of : str or Timestamp
        The scoring date of the features.
    observed_until : str or Timestamp
        The last day the lost dates are known for (the end of the data). The label window
        ``(as_of, as_of + horizon_days]`` must end by then, otherwise accounts lost after the
        data end would count as kept.
    horizon_days : int, default 365
        Length of the label window.
    customer_col, since_col, lost_col : str
        Columns of ``accounts``.

    Returns
    -------
    pandas.Series
        Boolean, named ``churned``, indexed by account id (the accounts won on or before
        ``as_of`` and not lost on or before it).

    Examples
    --------
    >>> import pandas as pd
    >>> acc = pd.DataFrame({"account_id": ["A", "B", "C", "D"],
    ...     "customer_since": pd.to_datetime(["2020-01-01"] * 3 + ["2024-03-01"]),
    ...     "lost_date": pd.to_datetime(["2023-05-01", "2024-02-01", None, None])})
    >>> churn_labels(acc, as_of="2023-12-31", observed_until="2024-12-31").to_dict()
    {'B': True, 'C': False}
    """
    func = "kamlib.churn.churn_labels"
    stamp = as_timestamp(as_of, "as_of", func)
    until = as_timestamp(observed_until, "observed_until", func)
    horizon = check_number(horizon_days, "horizon_days", func, low=1, integer=True)
    for name, value in (("customer_col", customer_col), ("since_col", since_col),
                        ("lost_col", lost_col)):  # fmt: skip
        _name(value, name, func)
    window_end = stamp + pd.Timedelta(days=horizon)
    if window_end > until:
        raise ParameterError(
            f"{func}: the label window ends on {window_end:%Y-%m-%d}, after the data end "
            f"('observed_until' {until:%Y-%m-%d}); accounts lost later would count as kept. "
            "Choose an earlier 'as_of' or a shorter 'horizon_days'."
        )
    require_frame(accounts, func, name="accounts")
    require_columns(accounts, [customer_col, since_col, lost_col], func)
    require_no_missing(accounts, customer_col, func, what="account id")
    require_unique(accounts, customer_col, func)
    since = _dates(accounts, since_col, func)
    lost = require_optional_dates(accounts, lost_col, func).astype("datetime64[ns]")
    if (lost.notna() & (lost < since)).any():
        raise DataError(
            f"{func}: {int((lost < since).sum())} account(s) were lost before they were won "
            f"('{lost_col}' before '{since_col}'). Fix those dates."
        )
    on_books = ((since <= stamp) & (lost.isna() | (lost > stamp))).to_numpy()
    churned = (lost > stamp) & (lost <= window_end)
    index = pd.Index(accounts[customer_col].astype(str), name=customer_col)
    return pd.Series(churned.to_numpy()[on_books], index=index[on_books], name="churned")


class ChurnModel(ParamsMixin):
    """A churn model: fill gaps (median, plus a was-missing column), standardise, logit.

    A scikit-learn pipeline inside a model that follows scikit-learn's contract (parameters in
    ``__init__``, ``fit`` returns the model, fitted attributes end in ``_``). Standardising
    makes each coefficient the change in log odds of churning per standard deviation of its
    feature, so :meth:`drivers` can rank them.

    Parameters
    ----------
    features : sequence of str
        Numeric columns of the feature table (default :data:`CHURN_FEATURES`). Empty cells are
        accepted: they are filled with the training median, and a was-missing column is added
        for every feature that had gaps in training.
    C : float, default 1.0
        Inverse strength of the L2 penalty of :class:`~sklearn.linear_model.LogisticRegression`.
    max_iter : int
        Iterations of the solver.

    Attributes
    ----------
    pipeline_ : sklearn.pipeline.Pipeline
        The fitted pipeline (``pipeline_.predict_proba`` works on the same columns).
    churn_rate_ : float
        Share of churners in the training data.

    Examples
    --------
    >>> import pandas as pd
    >>> X = pd.DataFrame({"csat": [1.0, 2, None, 4, 5, 5], "fit": [1.0, 2, 3, 3, 4, 5]})
    >>> model = ChurnModel(["csat", "fit"]).fit(X, [1, 1, 0, 0, 0, 0])
    >>> p = model.predict_churn(X)
    >>> bool(p.iloc[0] > p.iloc[5])
    True
    """

    def __init__(self, features=CHURN_FEATURES, C: float = 1.0, max_iter: int = 2000):
        self.features = features
        self.C = C
        self.max_iter = max_iter

    def _columns(self, func: str) -> list[str]:
        features = list(self.features) if isinstance(self.features, tuple) else self.features
        return check_names(features, "features", func)

    def _design(self, X, func: str) -> pd.DataFrame:
        require_frame(X, func, name="X")
        columns = self._columns(func)
        require_columns(X, columns, func)
        for column in columns:
            require_numeric(X, column, func, allow_missing=True)
        return X[columns].astype(float)

    def _check_fitted(self, func: str) -> None:
        if not hasattr(self, "pipeline_"):
            raise NotFittedError(
                f"{func}: this ChurnModel is not fitted yet. Call .fit(X, y) first."
            )

    def fit(self, X: pd.DataFrame, y):
        """Fit on the feature table ``X`` and the churn labels ``y`` (one per row).

        Examples
        --------
        >>> import pandas as pd
        >>> X = pd.DataFrame({"csat": [1.0, 2, 4, 5]})
        >>> ChurnModel(["csat"]).fit(X, [1, 0, 1, 0]).churn_rate_
        0.5
        """
        from sklearn.compose import ColumnTransformer
        from sklearn.impute import SimpleImputer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import Pipeline
        from sklearn.preprocessing import StandardScaler

        from kamlib.validation import as_binary

        func = "kamlib.churn.ChurnModel.fit"
        C = check_number(self.C, "C", func, low=0, low_inclusive=False)
        max_iter = check_number(self.max_iter, "max_iter", func, low=1, integer=True)
        design = self._design(X, func)
        if isinstance(y, str) or np.ndim(y) != 1 or len(y) != len(design):
            raise DataError(
                f"{func}: 'y' has {np.size(y)} values for {len(design)} rows of X. Pass one "
                "churn label (True/False or 0/1) per row."
            )
        outcome = as_binary(y, "y", func)
        if outcome.all() or not outcome.any():
            raise DataError(
                f"{func}: 'y' needs both churned and kept accounts; found {int(outcome.sum())} "
                f"churned of {len(outcome)}."
            )
        empty = [c for c in design.columns if design[c].isna().all()]
        if empty:
            raise DataError(
                f"{func}: feature(s) {empty} have no value at all in X; drop them from 'features'."
            )
        numeric = Pipeline(
            [("fill", SimpleImputer(strategy="median", add_indicator=True)),
             ("scale", StandardScaler())]
        )  # fmt: skip
        prepare = ColumnTransformer(
            [("num", numeric, list(design.columns))], verbose_feature_names_out=False
        )
        pipe = Pipeline([("prepare", prepare),
                         ("model", LogisticRegression(C=C, max_iter=max_iter))])  # fmt: skip
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # constant columns scale to 0, harmlessly
            pipe.fit(design, outcome)
        self.pipeline_ = pipe
        self.churn_rate_ = float(outcome.mean())
        return self

    def predict_proba(self, X: pd.DataFrame) -> np.ndarray:
        """Probabilities of staying and of churning, one row per row of ``X`` (as scikit-learn).

        Examples
        --------
        >>> import pandas as pd
        >>> X = pd.DataFrame({"csat": [1.0, 2, 4, 5]})
        >>> ChurnModel(["csat"]).fit(X, [1, 1, 0, 0]).predict_proba(X).sum(axis=1).round(6).tolist()
        [1.0, 1.0, 1.0, 1.0]
        """
        func = "kamlib.churn.ChurnModel.predict_proba"
        self._check_fitted(func)
        return self.pipeline_.predict_proba(self._design(X, func))

    def predict_churn(self, X: pd.DataFrame) -> pd.Series:
        """The probability of churning, as a Series named ``p_churn`` with the index of ``X``.

        Examples
        --------
        >>> import pandas as pd
        >>> X = pd.DataFrame({"csat": [1.0, 2, 4, 5]}, index=["A", "B", "C", "D"])
        >>> p = ChurnModel(["csat"]).fit(X, [1, 1, 0, 0]).predict_churn(X)
        >>> p.idxmax(), p.name      # the least satisfied account is the likeliest to leave
        ('A', 'p_churn')
        """
        func = "kamlib.churn.ChurnModel.predict_churn"
        self._check_fitted(func)
        p = self.pipeline_.predict_proba(self._design(X, func))[:, 1]
        return pd.Series(p, index=X.index, name="p_churn")

    def drivers(self) -> pd.DataFrame:
        """Coefficients: change in log odds of churn per SD of each feature, largest first.

        Returns
        -------
        pandas.DataFrame
            ``feature`` (``missingindicator_<name>`` for the was-missing columns),
            ``coefficient``, ``odds_ratio`` and ``direction`` ("more churn" or "less churn").

        Examples
        --------
        >>> import pandas as pd
        >>> X = pd.DataFrame({"csat": [1.0, 2, 3, 4, 5, 5, 2, 4], "fit": [3.0, 1, 2, 3, 2, 1, 3, 2]})
        >>> model = ChurnModel(["csat", "fit"]).fit(X, [1, 1, 0, 0, 0, 0, 1, 0])
        >>> model.drivers().iloc[0][["feature", "direction"]].tolist()
        ['csat', 'less churn']
        """
        self._check_fitted("kamlib.churn.ChurnModel.drivers")
        names = list(self.pipeline_[:-1].get_feature_names_out())
        coef = np.asarray(self.pipeline_.named_steps["model"].coef_, dtype=float).ravel()
        table = pd.DataFrame({"feature": names, "coefficient": coef, "odds_ratio": np.exp(coef)})
        table["direction"] = np.where(coef > 0, "more churn", "less churn")
        order = np.argsort(-np.abs(coef), kind="stable")
        return table.iloc[order].reset_index(drop=True)


def _scored(y_true, p_churn, func):
    from kamlib.validation import as_binary

    if np.ndim(y_true) != 1 or np.ndim(p_churn) != 1:
        raise DataError(
            f"{func}: 'y_true' and 'p_churn' must each be one column of values (a list, array "
            f"or Series), got {type(y_true).__name__} and {type(p_churn).__name__}."
        )
    y = as_binary(y_true, "y_true", func)
    p = pd.Series(np.asarray(p_churn, dtype=object))
    if len(p) != len(y):
        raise DataError(f"{func}: 'p_churn' has {len(p)} values for {len(y)} outcomes.")
    p = require_numeric(pd.DataFrame({"p_churn": p.infer_objects()}), "p_churn", func)
    p = p.to_numpy(dtype=float)
    if not np.isfinite(p).all() or ((p < 0) | (p > 1)).any():
        raise DataError(
            f"{func}: 'p_churn' must hold probabilities between 0 and 1, found "
            f"{p[~np.isfinite(p) | (p < 0) | (p > 1)][:3].tolist()}."
        )
    if y.all() or not y.any():
        raise DataError(
            f"{func}: 'y_true' needs both churned and kept accounts to judge a score; found "
            f"{int(y.sum())} churned of {len(y)}."
        )
    return y, p


def evaluate_churn(y_true, p_churn, *, n_bins: int = 10) -> pd.Series:
    """How good are the churn probabilities on held-out accounts: ranking and level.

    Parameters
    ----------
    y_true : array-like of bool or 0/1
        Whether each account churned in the label window.
    p_churn : array-like of float
        The predicted probabilities, same order.
    n_bins : int, default 10
        Bands of the gains table (deciles).

    Returns
    -------
    pandas.Series
        ``accounts``, ``churned``, ``churn_rate`` (observed), ``mean_predicted``, ``auc``
        (probability a churner is scored above a stayer), ``brier`` (mean squared error of
        the probabilities), ``brier_base`` (the Brier score of predicting the observed rate for
        everyone), ``top_band_lift`` (churn rate in the top band over the overall rate) and
        ``top_band_share`` (share of churners in the top band).

    Examples
    --------
    >>> r = evaluate_churn([1, 0, 1, 0], [0.9, 0.2, 0.6, 0.4], n_bins=2)
    >>> r[["auc", "brier", "top_band_lift"]].round(4).tolist()    # (.01+.04+.16+.16)/4
    [1.0, 0.0925, 2.0]
    """
    from sklearn.metrics import brier_score_loss, roc_auc_score

    from kamlib.gains import _gains

    func = "kamlib.churn.evaluate_churn"
    n_bins = check_number(n_bins, "n_bins", func, low=2, integer=True)
    y, p = _scored(y_true, p_churn, func)
    gains = _gains(y, p, n_bins, func)
    rate = float(y.mean())
    return pd.Series(
        {
            "accounts": len(y),
            "churned": int(y.sum()),
            "churn_rate": rate,
            "mean_predicted": float(p.mean()),
            "auc": float(roc_auc_score(y, p)),
            "brier": float(brier_score_loss(y, p)),
            "brier_base": rate * (1 - rate),
            "top_band_lift": float(gains["lift"].iloc[0]),
            "top_band_share": float(gains["cum_share_events"].iloc[0]),
        },
        dtype=object,
    )


def calibration_table(y_true, p_churn, *, n_bins: int = 10) -> pd.DataFrame:
    """Predicted against observed churn in bands of equal size (band 1 = lowest scores).

    A calibrated score has ``mean_predicted`` close to ``observed_rate`` in every band.

    Returns
    -------
    pandas.DataFrame
        ``band``, ``accounts``, ``mean_predicted``, ``observed_rate``, ``expected_churners``
        (sum of the probabilities) and ``churned``.

    Examples
    --------
    >>> t = calibration_table([0, 0, 1, 0, 1, 1], [0.1, 0.2, 0.3, 0.5, 0.8, 0.9], n_bins=3)
    >>> t[["band", "mean_predicted", "observed_rate"]].round(2).values.tolist()
    [[1.0, 0.15, 0.0], [2.0, 0.4, 0.5], [3.0, 0.85, 1.0]]
    """
    func = "kamlib.churn.calibration_table"
    n_bins = check_number(n_bins, "n_bins", func, low=2, integer=True)
    y, p = _scored(y_true, p_churn, func)
    if len(y) < n_bins:
        raise DataError(f"{func}: {len(y)} accounts cannot fill {n_bins} bands. Use fewer bands.")
    order = np.argsort(p, kind="stable")
    band = np.empty(len(p), dtype="int64")
    band[order] = np.arange(len(p)) * n_bins // len(p) + 1
    frame = pd.DataFrame({"band": band, "p": p, "y": y.astype(float)})
    table = frame.groupby("band").agg(
        accounts=("y", "size"), mean_predicted=("p", "mean"), observed_rate=("y", "mean"),
        expected_churners=("p", "sum"), churned=("y", "sum"),
    )  # fmt: skip
    table["churned"] = table["churned"].astype("int64")
    return table.reset_index()


def plot_calibration(table: pd.DataFrame, *, ax=None, label: str = "Churn model"):
    """Reliability curve: observed churn rate against the mean predicted probability per band.

    Examples
    --------
    >>> t = calibration_table([0, 0, 1, 0, 1, 1], [0.1, 0.2, 0.3, 0.5, 0.8, 0.9], n_bins=3)
    >>> plot_calibration(t).get_xlabel()
    'Mean predicted probability of churn'
    """
    func = "kamlib.churn.plot_calibration"
    require_frame(table, func, name="table")
    require_columns(table, ["mean_predicted", "observed_rate"], func)
    x = require_numeric(table, "mean_predicted", func).to_numpy(dtype=float)
    y = require_numeric(table, "observed_rate", func).to_numpy(dtype=float)
    if not (np.isfinite(x).all() and np.isfinite(y).all()) or (x < 0).any() or (y < 0).any():
        raise DataError(
            f"{func}: 'mean_predicted' and 'observed_rate' must be shares between 0 and 1; "
            "pass the output of calibration_table."
        )
    ax = plot.get_ax(ax, figsize=(5.5, 5))
    top = max(float(x.max()), float(y.max()), 0.05) * 1.1
    ax.plot([0, top], [0, top], linestyle="--", color=plot.MUTED, label="Perfect calibration")
    ax.plot(x, y, marker="o", color=plot.MAIN, label=str(label))
    plot.share_axis(ax, "x")
    plot.share_axis(ax, "y")
    ax.legend(loc="upper left")
    return plot.label(
        ax,
        "Calibration: predicted against observed churn",
        "Mean predicted probability of churn",
        "Observed churn rate",
    )
