"""Look-alike scoring of prospects: which leads resemble the accounts that converted.

A look-alike model (:class:`LookalikeModel`) is a logistic regression of "placed a first
order" on what the supplier knows about a lead (industry, region, headcount, website visits,
trade-show attendance, lead source). Its probability of converting ranks new leads, so sales
calls go to the most promising first; :func:`evaluate` judges it on later leads with ROC AUC
and a gains table (:mod:`kamlib.gains`). The profile of today's best accounts and the sales
funnel are in :mod:`kamlib.prospects`, which also re-exports these names.

>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> leads = pd.DataFrame({"visits": rng.poisson(3, 200)})
>>> leads["converted"] = rng.random(200) < leads["visits"] / 10
>>> model = LookalikeModel(categorical=(), log_numeric=(), numeric=("visits",), boolean=())
>>> bool(model.fit(leads).coef_["visits"] > 0)
True
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from kamlib._models import ParamsMixin
from kamlib.errors import DataError, NotFittedError, ParameterError
from kamlib.gains import _draw_gains, _draw_lift, _gains
from kamlib.validation import (
    as_binary,
    as_called_by,
    check_mapping,
    check_names,
    check_number,
    require_columns,
    require_frame,
    require_no_missing,
    require_numeric,
)

__all__ = [
    "PROSPECT_COLUMNS",
    "LookalikeEvaluation",
    "LookalikeModel",
    "evaluate",
    "gains_table",
    "plot_gains",
    "plot_lift",
]

_FILL_UNKNOWN = "Fill them (e.g. with 'unknown') first."
_HERE = "kamlib.lookalike"


class LookalikeModel(ParamsMixin):
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
    columns_ : dict
        The trait columns by kind, as checked by ``fit`` (one name counts as a list of one).
    signs_ : dict
        For each ``numeric`` column, True if it had no negative value in the training data;
        such a column must stay non-negative when new prospects are scored.

    Notes
    -----
    ``numeric`` traits may be negative when fitting (a change, a balance); a trait that was
    never negative in training (a count of visits) is refused when negative in new data.

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
    def _columns(self, func: str) -> dict[str, list[str]]:
        """The trait columns by kind, checked (one name counts as a list of one)."""
        return {
            kind: check_names(getattr(self, kind), kind, func, allow_empty=True)
            for kind in ("categorical", "log_numeric", "numeric", "boolean")
        }

    def _design_frame(self, X: pd.DataFrame, func: str) -> pd.DataFrame:
        """Validate the trait columns and return them ready for the pipeline."""
        require_frame(X, func, name="X")
        cols = self._columns(func)
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
            out[column] = as_binary(X[column], column, func).astype(float)
        return pd.DataFrame(out, index=X.index)

    def _check_fitted(self, func: str) -> None:
        if not hasattr(self, "pipeline_"):
            raise NotFittedError(
                f"{func}: this LookalikeModel is not fitted yet. Call .fit(prospects) first."
            )

    # -- scikit-learn API ----------------------------------------------------------------------
    def fit(self, X: pd.DataFrame, y=None):
        """Fit on prospects ``X`` with outcome ``y`` (default: column ``target`` of ``X``)."""
        func = "kamlib.lookalike.LookalikeModel.fit"
        check_number(self.C, "C", func, low=0, low_inclusive=False)
        check_number(self.max_iter, "max_iter", func, low=1, integer=True)
        design = self._design_frame(X, func)
        y_name = "y"
        if y is None:
            require_columns(X, [self.target], func)
            y, y_name = X[self.target], self.target
        if np.ndim(y) != 1 or len(y) != len(X):
            raise DataError(
                f"{func}: 'y' has {np.size(y)} values for {len(X)} prospects. Pass one outcome "
                "per prospect (a list, array or Series)."
            )
        outcome = as_binary(y, y_name, func)
        if outcome.all() or not outcome.any():
            raise DataError(
                f"{func}: every prospect has the same outcome; the model needs both converted "
                "and not converted prospects."
            )
        from sklearn.compose import ColumnTransformer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import Pipeline
        from sklearn.preprocessing import FunctionTransformer, OneHotEncoder, StandardScaler

        cols = self._columns(func)
        reference = {}
        if self.reference_levels is not None:
            reference = check_mapping(
                self.reference_levels, "reference_levels", func, example="{'industry': 'Retail'}"
            )
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
        # Traits never negative in training (counts, years) must not turn negative later.
        self.signs_ = {c: bool((design[c] >= 0).all()) for c in cols["numeric"]}
        self.columns_ = cols
        self._raw_scale(design)
        return self

    def _raw_scale(self, design: pd.DataFrame) -> None:
        """Coefficients and their covariance on the original scale of each trait."""
        prepare = self.pipeline_.named_steps["prepare"]
        logit = self.pipeline_.named_steps["logit"]
        names, means, scales = [], [], []
        cols = self.columns_
        for column in cols["categorical"]:
            names += [f"{column}[{level}]" for level in self.levels_[column][1:]]
        means += [0.0] * len(names)
        scales += [1.0] * len(names)
        if cols["log_numeric"]:
            scaler = prepare.named_transformers_["log"].named_steps["scale"]
            names += [f"log({c})" for c in cols["log_numeric"]]
            means += list(scaler.mean_)
            scales += list(scaler.scale_)
        if cols["numeric"]:
            scaler = prepare.named_transformers_["number"]
            names += cols["numeric"]
            means += list(scaler.mean_)
            scales += list(scaler.scale_)
        names += cols["boolean"]
        means += [0.0] * len(cols["boolean"])
        scales += [1.0] * len(cols["boolean"])
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
        """Probability of not converting and of converting, one row per prospect.

        A numeric trait that was never negative in the training data (visits, years) must not
        be negative here either: such a value is refused as a data error.
        """
        return self._proba(X, f"{_HERE}.LookalikeModel.predict_proba")

    def _proba(self, X: pd.DataFrame, func: str) -> np.ndarray:
        self._check_fitted(func)
        design = self._design_frame(X, func)
        for column in self.columns_["numeric"]:
            values = design[column]
            if self.signs_[column] and (values < 0).any():
                raise DataError(
                    f"{func}: column '{column}' has {int((values < 0).sum())} negative value(s), "
                    "but it was never negative in the data the model was fitted on (a count "
                    "such as website visits cannot be). Correct those rows."
                )
        return self.pipeline_.predict_proba(design)

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        """True where the probability of converting is at least one half."""
        return self._proba(X, f"{_HERE}.LookalikeModel.predict")[:, 1] >= 0.5

    def score_prospects(self, X: pd.DataFrame) -> pd.Series:
        """Probability of converting as a Series aligned with ``X`` (handy for ranking leads)."""
        proba = self._proba(X, f"{_HERE}.LookalikeModel.score_prospects")
        return pd.Series(proba[:, 1], index=X.index, name="p_convert")

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
        self._check_fitted("kamlib.lookalike.LookalikeModel.coefficients")
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
# Evaluation on held-out prospects: ROC AUC and the gains table
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class LookalikeEvaluation:
    """How well a look-alike model ranks held-out prospects.

    Attributes
    ----------
    auc : float
        ROC AUC: the chance that a random converter scores above a random non-converter
        (0.5 = no better than chance, 1 = perfect ranking).
    gains : pandas.DataFrame
        :func:`gains_table` of the held-out prospects (columns in the words of prospecting).
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
    func = "kamlib.lookalike.evaluate"
    if not hasattr(model, "predict_proba"):
        raise ParameterError(f"{func}: 'model' must be a fitted LookalikeModel, got {model!r}.")
    require_frame(prospects, func, name="prospects")
    require_columns(prospects, [target], func)
    outcome = as_binary(prospects[target], target, func)
    if outcome.all() or not outcome.any():
        raise DataError(
            f"{func}: every held-out prospect has the same outcome; AUC needs converters and "
            "non-converters."
        )
    if isinstance(model, LookalikeModel):
        scores = model._proba(prospects, func)[:, 1]
    else:
        with as_called_by(func):
            scores = model.predict_proba(prospects)[:, 1]
    from sklearn.metrics import roc_auc_score

    return LookalikeEvaluation(
        auc=float(roc_auc_score(outcome, scores)),
        gains=_prospect_gains(outcome, scores, n_bins, func),
        base_rate=float(outcome.mean()),
        n=len(outcome),
    )


#: Columns of :func:`kamlib.gains.gains_table` and their names in the words of prospecting.
PROSPECT_COLUMNS = {
    "cases": "prospects",
    "events": "conversions",
    "event_rate": "conversion_rate",
    "cum_share_cases": "cum_share_prospects",
    "cum_share_events": "cum_share_conversions",
}


def _prospect_gains(y_true, scores, n_bins, func: str) -> pd.DataFrame:
    return _gains(y_true, scores, n_bins, func).rename(columns=PROSPECT_COLUMNS)


def gains_table(y_true, scores, *, n_bins: int = 10) -> pd.DataFrame:
    """Gains and lift by score band, in the words of prospecting (prospects, conversions).

    The table of :func:`kamlib.gains.gains_table` with its columns renamed by
    :data:`PROSPECT_COLUMNS`: ``band``, ``prospects``, ``conversions``, ``conversion_rate``,
    ``lift``, ``cum_share_prospects``, ``cum_share_conversions`` and ``cum_lift``.

    Examples
    --------
    >>> gains_table([True, False, False, True], [0.9, 0.7, 0.4, 0.2], n_bins=2)["conversions"]
    0    1
    1    1
    Name: conversions, dtype: int64
    """
    return _prospect_gains(y_true, scores, n_bins, f"{_HERE}.gains_table")


def plot_gains(gains: pd.DataFrame, *, ax=None, label: str = "Look-alike model"):
    """Cumulative gains curve of :func:`gains_table`: conversions reached by calling the
    best-scored leads first (:func:`kamlib.gains.plot_gains` in the words of prospecting).

    Returns
    -------
    matplotlib.axes.Axes
    """
    words = (
        "Gains: calling the best-scored leads first",
        "Share of prospects contacted (best scores first)",
        "Share of all conversions reached",
    )
    columns = ("cum_share_prospects", "cum_share_conversions")
    return _draw_gains(gains, ax, label, words, *columns, f"{_HERE}.plot_gains")


def plot_lift(gains: pd.DataFrame, *, ax=None):
    """Bar chart of lift per score band of :func:`gains_table` (1 = leads picked at random).

    Returns
    -------
    matplotlib.axes.Axes
    """
    title, ylabel = "Lift by score band", "Conversion rate / overall rate"
    return _draw_lift(gains, ax, title, ylabel, f"{_HERE}.plot_lift")
