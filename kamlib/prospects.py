"""Finding new key accounts: the persona of today's best accounts, look-alike scoring, the funnel.

Mining potential customers (潜在客户挖掘) starts from the accounts a supplier already values
most. Their customer profile (客户画像, :func:`persona`) says which industries, regions and sizes
to look for; a look-alike model (:class:`LookalikeModel`) scores new leads by how likely they
are to place a first order, and is judged on later leads with ROC AUC and a gains table
(:func:`evaluate`, :func:`gains_table`); the sales funnel (销售漏斗, :func:`funnel`) shows where
leads from market research (市场调研), trade shows (行业展会) and other sources drop out.

>>> import pandas as pd
>>> from kamlib import prospects
>>> leads = pd.DataFrame({"stage_reached": ["lead", "contacted", "won", "qualified"]})
>>> prospects.funnel(leads)["reached"].tolist()
[4, 3, 2, 1, 1]
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from kamlib import plot
from kamlib.datasets.schemas import FUNNEL_STAGES
from kamlib.errors import DataError, NotFittedError, ParameterError
from kamlib.validation import (
    check_number,
    require_columns,
    require_frame,
    require_no_missing,
    require_numeric,
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
    Numeric features are cut into ``bins`` equal-count bands over all accounts first.

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
    if isinstance(features, str):
        features = [features]
    features = list(features)
    if not features:
        raise ParameterError(f"{func}: 'features' is empty. Name at least one column.")
    require_columns(accounts, features, func)
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
# Look-alike model
# ---------------------------------------------------------------------------------------------
class _ParamsMixin:
    """``get_params``/``set_params`` as scikit-learn expects (no sklearn import at module load)."""

    @classmethod
    def _param_names(cls) -> list[str]:
        signature = inspect.signature(cls.__init__)
        return [p for p in signature.parameters if p != "self"]

    def get_params(self, deep: bool = True) -> dict:
        return {name: getattr(self, name) for name in self._param_names()}

    def set_params(self, **params):
        valid = self._param_names()
        for name, value in params.items():
            if name not in valid:
                raise ParameterError(
                    f"{type(self).__name__}.set_params: unknown parameter {name!r}; "
                    f"valid ones are {valid}."
                )
            setattr(self, name, value)
        return self

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items())
        return f"{type(self).__name__}({args})"


def _as_binary(values, name: str, func: str) -> np.ndarray:
    """A 0/1 outcome as a bool array; fails on missing or other values."""
    series = pd.Series(values)
    if series.isna().any():
        raise DataError(f"{func}: '{name}' has {int(series.isna().sum())} missing value(s).")
    if pd.api.types.is_bool_dtype(series):
        return series.to_numpy(dtype=bool)
    if pd.api.types.is_numeric_dtype(series) and series.isin([0, 1]).all():
        return series.to_numpy() == 1
    raise DataError(
        f"{func}: '{name}' must be True/False or 0/1, found e.g. "
        f"{series[~series.isin([0, 1, True, False])].head(3).tolist()}."
    )


class LookalikeModel(_ParamsMixin):
    """Look-alike scoring of prospects: a logistic regression of conversion on lead traits.

    The model (a scikit-learn ``Pipeline``) one-hot encodes the categorical traits (dropping a
    reference level), takes the log of ``log_numeric`` columns (e.g. headcount), standardises
    every number and fits a logistic regression (L2 penalty with strength ``1/C``). Its
    probability of converting ranks new leads: sales calls go to the most "look-alike" leads
    first. :meth:`coefficients` reports the effects on the original scale (per log-unit of
    headcount, per website visit, ...) with Wald standard errors and p-values.

    Parameters
    ----------
    categorical : tuple of str
        Category columns, one-hot encoded.
    log_numeric : tuple of str
        Positive numeric columns entered as their natural log.
    numeric : tuple of str
        Numeric columns entered as they are.
    boolean : tuple of str
        True/False columns entered as 0/1.
    reference_levels : dict, optional
        ``{column: level}``: the level every other level of that column is compared with
        (default: the first level of the column, in category order).
    target : str
        Column with the outcome when ``fit`` gets no ``y``.
    C : float
        Inverse penalty strength; large values (e.g. 1e4) give plain maximum likelihood.
    max_iter : int
        Iterations allowed to the solver.

    Attributes
    ----------
    pipeline_ : sklearn.pipeline.Pipeline
        The fitted pipeline (``ColumnTransformer`` then ``LogisticRegression``).
    coef_ : pandas.Series
        Effects on the log-odds of converting, original scale, one per design term.
    intercept_ : float
        Log-odds for a lead at the reference levels with zero for every number (log 1 for
        ``log_numeric``).
    levels_ : dict
        Levels of each categorical column, reference first.
    n_train_ : int
        Number of prospects the model was fitted on.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> leads = pd.DataFrame({"employees": rng.integers(5, 5000, 400),
    ...                       "source": rng.choice(["web", "fair"], 400)})
    >>> leads["converted"] = rng.random(400) < np.where(leads["source"] == "fair", 0.6, 0.2)
    >>> model = LookalikeModel(categorical=("source",), log_numeric=("employees",), numeric=(),
    ...                        boolean=()).fit(leads)
    >>> bool(model.coef_["source[web]"] < 0)
    True
    """

    def __init__(
        self,
        *,
        categorical=("industry", "region", "lead_source"),
        log_numeric=("employees",),
        numeric=("years_in_business", "website_visits"),
        boolean=("attended_event",),
        reference_levels=None,
        target="converted",
        C=1.0,
        max_iter=1000,
    ):
        self.categorical = categorical
        self.log_numeric = log_numeric
        self.numeric = numeric
        self.boolean = boolean
        self.reference_levels = reference_levels
        self.target = target
        self.C = C
        self.max_iter = max_iter

    # -- helpers -------------------------------------------------------------------------------
    def _columns(self) -> dict[str, list[str]]:
        return {
            "categorical": list(self.categorical),
            "log_numeric": list(self.log_numeric),
            "numeric": list(self.numeric),
            "boolean": list(self.boolean),
        }

    def _design_frame(self, X: pd.DataFrame, func: str) -> pd.DataFrame:
        """Validate the trait columns and return them ready for the pipeline."""
        require_frame(X, func, name="X")
        cols = self._columns()
        every = [c for group in cols.values() for c in group]
        if not every:
            raise ParameterError(f"{func}: the model has no features. Name at least one column.")
        require_columns(X, every, func)
        out = {}
        for column in cols["categorical"]:
            values = require_no_missing(X, column, func, fix=_FILL_UNKNOWN)
            out[column] = values.astype(str).to_numpy(dtype=object)
        for column in cols["log_numeric"]:
            values = require_numeric(X, column, func)
            if (values <= 0).any():
                raise DataError(
                    f"{func}: column '{column}' must be positive to take its log, found "
                    f"{int((values <= 0).sum())} value(s) <= 0."
                )
            out[column] = values.to_numpy(dtype=float)
        for column in cols["numeric"]:
            out[column] = require_numeric(X, column, func).to_numpy(dtype=float)
        for column in cols["boolean"]:
            out[column] = _as_binary(X[column], column, func).astype(float)
        return pd.DataFrame(out, index=X.index)

    def _check_fitted(self, func: str) -> None:
        if not hasattr(self, "pipeline_"):
            raise NotFittedError(
                f"{func}: this LookalikeModel is not fitted yet. Call .fit(prospects) first."
            )

    # -- scikit-learn API ----------------------------------------------------------------------
    def fit(self, X: pd.DataFrame, y=None):
        """Fit on prospects ``X`` with outcome ``y`` (default: column ``target`` of ``X``)."""
        func = "kamlib.prospects.LookalikeModel.fit"
        check_number(self.C, "C", func, low=0, low_inclusive=False)
        check_number(self.max_iter, "max_iter", func, low=1, integer=True)
        design = self._design_frame(X, func)
        if y is None:
            require_columns(X, [self.target], func)
            y = X[self.target]
        if len(y) != len(X):
            raise DataError(f"{func}: 'y' has {len(y)} values for {len(X)} prospects.")
        outcome = _as_binary(y, "y", func)
        if outcome.all() or not outcome.any():
            raise DataError(
                f"{func}: every prospect has the same outcome; the model needs both converted "
                "and not converted prospects."
            )
        from sklearn.compose import ColumnTransformer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import Pipeline
        from sklearn.preprocessing import FunctionTransformer, OneHotEncoder, StandardScaler

        cols = self._columns()
        reference = dict(self.reference_levels or {})
        unknown = [c for c in reference if c not in cols["categorical"]]
        if unknown:
            raise ParameterError(
                f"{func}: 'reference_levels' names {unknown!r}, which are not categorical columns."
            )
        levels = {}
        for column in cols["categorical"]:
            original = X[column]
            if isinstance(original.dtype, pd.CategoricalDtype):
                seen = set(original.astype(str))
                order = [str(v) for v in original.cat.categories if str(v) in seen]
            else:
                order = sorted(set(design[column]))
            ref = str(reference.get(column, order[0]))
            if ref not in order:
                raise ParameterError(
                    f"{func}: reference level {ref!r} of '{column}' does not occur in the data; "
                    f"choose one of {order!r}."
                )
            levels[column] = [ref] + [v for v in order if v != ref]

        parts = []
        if cols["categorical"]:
            encoder = OneHotEncoder(
                categories=[levels[c] for c in cols["categorical"]],
                drop="first",
                handle_unknown="ignore",
                sparse_output=False,
            )
            parts.append(("category", encoder, cols["categorical"]))
        if cols["log_numeric"]:
            log_scale = Pipeline(
                [
                    ("log", FunctionTransformer(np.log, feature_names_out="one-to-one")),
                    ("scale", StandardScaler()),
                ]
            )
            parts.append(("log", log_scale, cols["log_numeric"]))
        if cols["numeric"]:
            parts.append(("number", StandardScaler(), cols["numeric"]))
        if cols["boolean"]:
            parts.append(("flag", "passthrough", cols["boolean"]))
        pipeline = Pipeline(
            [
                ("prepare", ColumnTransformer(parts)),
                ("logit", LogisticRegression(C=float(self.C), max_iter=int(self.max_iter))),
            ]
        )
        pipeline.fit(design, outcome)
        self.pipeline_ = pipeline
        self.levels_ = levels
        self.classes_ = np.array([False, True])
        self.n_train_ = len(design)
        self.feature_names_in_ = np.array(list(design.columns), dtype=object)
        self._raw_scale(design)
        return self

    def _raw_scale(self, design: pd.DataFrame) -> None:
        """Coefficients and their covariance on the original scale of each trait."""
        prepare = self.pipeline_.named_steps["prepare"]
        logit = self.pipeline_.named_steps["logit"]
        names, means, scales = [], [], []
        for column in self.categorical:
            names += [f"{column}[{level}]" for level in self.levels_[column][1:]]
        means += [0.0] * len(names)
        scales += [1.0] * len(names)
        if self.log_numeric:
            scaler = prepare.named_transformers_["log"].named_steps["scale"]
            names += [f"log({c})" for c in self.log_numeric]
            means += list(scaler.mean_)
            scales += list(scaler.scale_)
        if self.numeric:
            scaler = prepare.named_transformers_["number"]
            names += list(self.numeric)
            means += list(scaler.mean_)
            scales += list(scaler.scale_)
        names += list(self.boolean)
        means += [0.0] * len(self.boolean)
        scales += [1.0] * len(self.boolean)
        means, scales = np.array(means), np.array(scales)

        # Covariance of (intercept, slopes) on the standardised design: inverse Hessian of the
        # penalised log-likelihood that LogisticRegression maximises.
        z = prepare.transform(design)
        z1 = np.column_stack([np.ones(len(z)), z])
        p = logit.predict_proba(z)[:, 1]
        hessian = z1.T @ (z1 * (p * (1 - p))[:, None])
        hessian[1:, 1:] += np.eye(z.shape[1]) / float(self.C)
        cov_std = np.linalg.pinv(hessian)
        theta_std = np.concatenate([logit.intercept_, logit.coef_[0]])

        # theta_raw = T @ theta_std: slopes divided by their scale, intercept shifted by means.
        k = len(names)
        transform = np.zeros((k + 1, k + 1))
        transform[0, 0] = 1.0
        transform[0, 1:] = -means / scales
        transform[1:, 1:] = np.diag(1.0 / scales)
        theta = transform @ theta_std
        cov = transform @ cov_std @ transform.T
        index = ["intercept", *names]
        self.coef_ = pd.Series(theta[1:], index=names, name="coefficient")
        self.intercept_ = float(theta[0])
        self.cov_ = pd.DataFrame(cov, index=index, columns=index)

    def predict_proba(self, X: pd.DataFrame) -> np.ndarray:
        """Probability of not converting and of converting, one row per prospect."""
        func = "kamlib.prospects.LookalikeModel.predict_proba"
        self._check_fitted(func)
        return self.pipeline_.predict_proba(self._design_frame(X, func))

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        """True where the probability of converting is at least one half."""
        return self.predict_proba(X)[:, 1] >= 0.5

    def score_prospects(self, X: pd.DataFrame) -> pd.Series:
        """Probability of converting as a Series aligned with ``X`` (handy for ranking leads)."""
        return pd.Series(self.predict_proba(X)[:, 1], index=X.index, name="p_convert")

    def coefficients(self) -> pd.DataFrame:
        """Effects on the log-odds of converting, with Wald standard errors and p-values.

        Returns
        -------
        pandas.DataFrame
            Indexed by term (``intercept``, ``industry[Electronics]``, ``log(employees)``, ...),
            columns ``coefficient``, ``std_error``, ``z``, ``p_value`` (two-sided) and
            ``odds_ratio`` (``exp(coefficient)``: how the odds of converting multiply per unit).
            Category terms compare a level with the reference level in ``levels_``. The
            standard errors include the small L2 penalty, so they are exact only as ``C`` grows.
        """
        self._check_fitted("kamlib.prospects.LookalikeModel.coefficients")
        from scipy.stats import norm

        estimate = pd.concat([pd.Series({"intercept": self.intercept_}), self.coef_])
        se = np.sqrt(np.diag(self.cov_.to_numpy()))
        z = estimate.to_numpy() / se
        return pd.DataFrame(
            {
                "coefficient": estimate.to_numpy(),
                "std_error": se,
                "z": z,
                "p_value": 2 * norm.sf(np.abs(z)),
                "odds_ratio": np.exp(estimate.to_numpy()),
            },
            index=pd.Index(estimate.index, name="term"),
        )


# ---------------------------------------------------------------------------------------------
# Evaluation: ROC AUC and the gains table
# ---------------------------------------------------------------------------------------------
def gains_table(y_true, scores, *, n_bins: int = 10) -> pd.DataFrame:
    """Gains and lift by score band: how many conversions the best-scored leads capture.

    Prospects are sorted by score, highest first (ties keep their input order), and cut into
    ``n_bins`` bands of equal size (sizes differ by at most one); band 1 holds the top scores.

    Parameters
    ----------
    y_true : array-like of bool or 0/1
        Whether each prospect converted.
    scores : array-like of float
        The model's score (e.g. probability of converting), same length.
    n_bins : int
        Number of bands (default 10: deciles).

    Returns
    -------
    pandas.DataFrame
        One row per band: ``band``, ``prospects``, ``conversions``, ``conversion_rate``,
        ``lift`` (band rate / overall rate), ``cum_share_prospects``,
        ``cum_share_conversions`` (share of all conversions captured so far, the gains curve)
        and ``cum_lift`` (``cum_share_conversions / cum_share_prospects``).

    Examples
    --------
    >>> g = gains_table([1, 1, 0, 1, 0, 0, 0, 0, 0, 0], [.9, .8, .7, .6, .5, .4, .3, .2, .1, 0],
    ...                 n_bins=5)
    >>> g[["band", "conversions", "cum_share_conversions", "lift"]].round(3)
       band  conversions  cum_share_conversions   lift
    0     1            2                  0.667  3.333
    1     2            1                  1.000  1.667
    2     3            0                  1.000  0.000
    3     4            0                  1.000  0.000
    4     5            0                  1.000  0.000
    """
    func = "kamlib.prospects.gains_table"
    n_bins = check_number(n_bins, "n_bins", func, low=2, integer=True)
    outcome = _as_binary(
        np.asarray(y_true).ravel() if not isinstance(y_true, pd.Series) else y_true, "y_true", func
    )
    score = pd.Series(scores)
    if len(score) != len(outcome):
        raise DataError(f"{func}: 'scores' has {len(score)} values for {len(outcome)} outcomes.")
    require_numeric(pd.DataFrame({"scores": score.to_numpy()}), "scores", func)
    if len(outcome) < n_bins:
        raise DataError(
            f"{func}: {len(outcome)} prospects cannot fill {n_bins} bands. Use fewer bands."
        )
    if not outcome.any():
        raise DataError(f"{func}: no prospect converted, so there are no conversions to capture.")
    order = np.argsort(-score.to_numpy(dtype=float), kind="stable")
    n = len(outcome)
    band = np.arange(n) * n_bins // n + 1
    frame = pd.DataFrame({"band": band, "converted": outcome[order]})
    table = frame.groupby("band").agg(
        prospects=("converted", "size"), conversions=("converted", "sum")
    )
    table = table.reset_index()
    base_rate = outcome.mean()
    table["conversion_rate"] = table["conversions"] / table["prospects"]
    table["lift"] = table["conversion_rate"] / base_rate
    table["cum_share_prospects"] = table["prospects"].cumsum() / n
    table["cum_share_conversions"] = table["conversions"].cumsum() / outcome.sum()
    table["cum_lift"] = table["cum_share_conversions"] / table["cum_share_prospects"]
    table["conversions"] = table["conversions"].astype(int)
    return table


@dataclass(frozen=True)
class LookalikeEvaluation:
    """How well a look-alike model ranks held-out prospects.

    Attributes
    ----------
    auc : float
        ROC AUC: the chance that a random converter scores above a random non-converter
        (0.5 = no better than chance, 1 = perfect ranking).
    gains : pandas.DataFrame
        :func:`gains_table` of the held-out prospects.
    base_rate : float
        Share of the held-out prospects that converted.
    n : int
        Number of held-out prospects.
    """

    auc: float
    gains: pd.DataFrame
    base_rate: float
    n: int


def evaluate(
    model: LookalikeModel, prospects: pd.DataFrame, *, target: str = "converted", n_bins: int = 10
) -> LookalikeEvaluation:
    """Score held-out prospects with a fitted model: ROC AUC and the gains table.

    Parameters
    ----------
    model : LookalikeModel
        A fitted model (or any object with ``predict_proba``).
    prospects : pandas.DataFrame
        Prospects the model did not see, with the trait columns and ``target``.
    target : str
        Outcome column (default ``"converted"``).
    n_bins : int
        Bands of the gains table (default 10).

    Returns
    -------
    LookalikeEvaluation
    """
    func = "kamlib.prospects.evaluate"
    if not hasattr(model, "predict_proba"):
        raise ParameterError(f"{func}: 'model' must be a fitted LookalikeModel, got {model!r}.")
    require_frame(prospects, func, name="prospects")
    require_columns(prospects, [target], func)
    outcome = _as_binary(prospects[target], target, func)
    if outcome.all() or not outcome.any():
        raise DataError(
            f"{func}: every held-out prospect has the same outcome; AUC needs converters and "
            "non-converters."
        )
    scores = model.predict_proba(prospects)[:, 1]
    from sklearn.metrics import roc_auc_score

    return LookalikeEvaluation(
        auc=float(roc_auc_score(outcome, scores)),
        gains=gains_table(outcome, scores, n_bins=n_bins),
        base_rate=float(outcome.mean()),
        n=len(outcome),
    )


def plot_gains(gains: pd.DataFrame, *, ax=None, label: str = "Look-alike model"):
    """Cumulative gains curve: share of conversions captured by calling the top-scored leads.

    Returns
    -------
    matplotlib.axes.Axes
    """
    func = "kamlib.prospects.plot_gains"
    require_frame(gains, func, name="gains")
    require_columns(gains, ["cum_share_prospects", "cum_share_conversions"], func)
    ax = plot.get_ax(ax)
    x = np.concatenate([[0.0], gains["cum_share_prospects"].to_numpy(dtype=float)])
    y = np.concatenate([[0.0], gains["cum_share_conversions"].to_numpy(dtype=float)])
    ax.plot(x, y, marker="o", color=plot.MAIN, label=label)
    ax.plot([0, 1], [0, 1], linestyle="--", color=plot.MUTED, label="Random order")
    plot.label(
        ax,
        "Gains: calling the best-scored leads first",
        "Share of prospects contacted (best scores first)",
        "Share of all conversions reached",
    )
    plot.share_axis(ax, "x")
    plot.share_axis(ax, "y")
    ax.legend(loc="lower right")
    return ax


def plot_lift(gains: pd.DataFrame, *, ax=None):
    """Bar chart of lift per score band (1 = as good as picking leads at random).

    Returns
    -------
    matplotlib.axes.Axes
    """
    func = "kamlib.prospects.plot_lift"
    require_frame(gains, func, name="gains")
    require_columns(gains, ["band", "lift"], func)
    ax = plot.get_ax(ax)
    colors = [plot.GOOD if v >= 1 else plot.MUTED for v in gains["lift"]]
    ax.bar(gains["band"].astype(str), gains["lift"], color=colors)
    ax.axhline(1.0, color="black", linewidth=1)
    plot.label(
        ax,
        "Lift by score band",
        "Score band (1 = highest scores)",
        "Conversion rate / overall rate",
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
    stages = [str(s) for s in stages]
    if len(stages) < 2 or len(set(stages)) != len(stages):
        raise ParameterError(
            f"{func}: 'stages' must list at least two different stages in order, got {stages!r}."
        )
    require_columns(prospects, [stage_col] + ([by] if by else []), func)
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
    if by:
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
