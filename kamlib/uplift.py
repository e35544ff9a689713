"""Uplift modelling: whom a campaign moves most, and how to judge a ranking by its Qini curve.

An A/B test says what a campaign did on average (:mod:`kamlib.campaigns`). To target the next
one, rank accounts by their predicted **uplift** (the difference the campaign makes to each):
:func:`two_model_uplift` fits one model on the treated and one on the control accounts and
takes the difference of their predictions. No single account shows its own uplift, so the
ranking is judged on groups: :func:`qini_curve` adds up the incremental outcome of the top
accounts, treated minus control scaled to the same number, and :func:`qini_area` measures how
far it runs above the random line. Written by hand: scikit-uplift is ruled out for this course
(its metrics warn under scikit-learn 1.9 and its plotting import is broken).

>>> q = qini_curve([10, 0, 4, 2], [1, 0, 1, 0], [0.9, 0.8, 0.7, 0.1])
>>> float(q["incremental_outcome"].iloc[-1])
12.0
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kamlib import plot
from kamlib.campaigns import _numeric_frame, _treated
from kamlib.errors import DataError, ParameterError
from kamlib.validation import (
    as_binary,
    as_called_by,
    check_names,
    check_number,
    check_seed,
    require_columns,
    require_frame,
    require_numeric,
)

__all__ = ["cross_fitted_uplift", "plot_qini", "qini_area", "qini_curve", "two_model_uplift"]

_MOD = "kamlib.uplift."


# ---------------------------------------------------------------------------------------------
# Uplift modelling: two models, the Qini curve and its area
# ---------------------------------------------------------------------------------------------
def two_model_uplift(
    train: pd.DataFrame,
    score: pd.DataFrame,
    *,
    features,
    outcome_col: str = "revenue_post_cny",
    group_col: str = "group",
    treatment: str = "treatment",
    control: str = "control",
    estimator=None,
) -> pd.Series:
    """Predicted uplift per account: a model of the treated minus a model of the control.

    One regression is fitted on the treated accounts of ``train``, one on its control accounts
    (the "two-model" or T-learner approach); each account of ``score`` gets the difference of
    their predictions. Fit and score on different accounts (e.g. two halves) so the Qini curve
    judges the ranking honestly.

    Parameters
    ----------
    train, score : pandas.DataFrame
        Accounts to fit on (with group and outcome) and accounts to score (features only).
    features : list of str
        Pre-campaign columns; text columns enter as 0/1 dummies.
    estimator : scikit-learn regressor, optional
        Cloned for each arm; default ``LinearRegression()``.

    Returns
    -------
    pandas.Series
        ``predicted_uplift`` with ``score``'s index.

    Examples
    --------
    >>> tr = pd.DataFrame({"x": [1.0, 2, 3, 1, 2, 3], "group": ["treatment"] * 3 + ["control"] * 3,
    ...                    "y": [2.0, 4, 6, 1, 2, 3]})
    >>> two_model_uplift(tr, pd.DataFrame({"x": [1.0, 4.0]}), features=["x"], outcome_col="y"
    ...                  ).round(6).tolist()
    [1.0, 4.0]
    """
    from sklearn.base import clone
    from sklearn.linear_model import LinearRegression

    func = _MOD + "two_model_uplift"
    require_frame(train, func, name="train")
    require_frame(score, func, name="score")
    names = check_names(features, "features", func)
    require_columns(train, [*names, outcome_col], func)
    require_columns(score, names, func)
    y = require_numeric(train, outcome_col, func).to_numpy(dtype=float)
    treated = _treated(train, group_col, treatment, control, func)
    both = pd.concat([train[names], score[names]], ignore_index=True)
    design = _numeric_frame(both, names, func).to_numpy()
    x_train, x_score = design[: len(train)], design[len(train) :]
    base = LinearRegression() if estimator is None else estimator
    if not hasattr(base, "fit") or not hasattr(base, "predict"):
        raise ParameterError(f"{func}: 'estimator' must be a scikit-learn regressor.")
    model_t = clone(base).fit(x_train[treated], y[treated])
    model_c = clone(base).fit(x_train[~treated], y[~treated])
    uplift = model_t.predict(x_score) - model_c.predict(x_score)
    return pd.Series(uplift, index=score.index, name="predicted_uplift")


def cross_fitted_uplift(
    data: pd.DataFrame,
    *,
    features,
    outcome_col: str = "revenue_post_cny",
    group_col: str = "group",
    treatment: str = "treatment",
    control: str = "control",
    n_folds: int = 2,
    seed: int = 0,
    estimator=None,
) -> pd.Series:
    """Two-model uplift for every account, each scored by models fitted on the other accounts.

    The accounts are split at random into ``n_folds`` folds of (nearly) equal size; the
    accounts of each fold get the :func:`two_model_uplift` of models fitted on all the other
    folds. So every account has a prediction, and none was fitted on itself: the Qini curve of
    these scores judges the ranking as it would work on new accounts.

    Parameters
    ----------
    data : pandas.DataFrame
        Accounts with group, outcome and features.
    features : list of str
        Pre-campaign columns; text columns enter as 0/1 dummies.
    n_folds : int
        Number of folds (2 or more).
    seed : int
        Seed of the random split.
    estimator : scikit-learn regressor, optional
        As in :func:`two_model_uplift`.

    Returns
    -------
    pandas.Series
        ``predicted_uplift`` with ``data``'s index.

    Examples
    --------
    >>> d = pd.DataFrame({"x": [1.0, 2, 3, 4] * 4,
    ...                   "group": (["treatment"] * 4 + ["control"] * 4) * 2})
    >>> d["y"] = d["x"] * (d["group"] == "treatment") + d["x"]
    >>> cross_fitted_uplift(d, features=["x"], outcome_col="y", seed=1).round(6).tolist()[:4]
    [1.0, 2.0, 3.0, 4.0]
    """
    func = _MOD + "cross_fitted_uplift"
    require_frame(data, func)
    n_folds = check_number(n_folds, "n_folds", func, low=2, integer=True)
    seed = check_seed(seed, func)
    if len(data) < 2 * n_folds:
        raise DataError(
            f"{func}: {len(data)} accounts cannot fill {n_folds} folds for fitting. Use fewer "
            "folds or more accounts."
        )
    fold = np.random.default_rng(seed).permutation(len(data)) % n_folds
    frame = data.reset_index(drop=True)  # positions, so a repeated index label does no harm
    uplift = np.empty(len(frame))
    with as_called_by(func):
        for k in range(n_folds):
            inside = fold == k
            uplift[inside] = two_model_uplift(
                frame[~inside],
                frame[inside],
                features=features,
                outcome_col=outcome_col,
                group_col=group_col,
                treatment=treatment,
                control=control,
                estimator=estimator,
            ).to_numpy()
    return pd.Series(uplift, index=data.index, name="predicted_uplift")


def qini_curve(outcome, treated, scores) -> pd.DataFrame:
    """The Qini curve: incremental outcome gained by targeting the best-scored accounts first.

    Sort by score (highest first, ties in input order). After the top ``k`` accounts, with
    ``n_t`` treated and ``n_c`` control among them and outcome sums ``Y_t`` and ``Y_c``, the
    incremental outcome is ``Y_t - Y_c * n_t / n_c`` (just ``Y_t`` while no control account is
    in):
    what the treated among the top ``k`` gained over what control accounts like them did.
    The ``random`` column is the straight line a random order gives on average.

    Parameters
    ----------
    outcome : array-like of float
        Outcome per account (revenue, a 0/1 flag ...).
    treated : array-like of bool or 0/1
        Whether the account was in the treatment arm.
    scores : array-like of float
        Predicted uplift (or any score) per account.

    Returns
    -------
    pandas.DataFrame
        A first row at zero, then one row per account: ``n_targeted``, ``share_targeted``,
        ``n_treatment``, ``n_control``, ``incremental_outcome``, ``random``.

    Examples
    --------
    >>> q = qini_curve([10, 0, 4, 2], [1, 0, 1, 0], [0.9, 0.8, 0.7, 0.1])
    >>> q["incremental_outcome"].tolist()
    [0.0, 10.0, 10.0, 14.0, 12.0]
    """
    func = _MOD + "qini_curve"
    t, y, s = _qini_inputs(outcome, treated, scores, func)
    order = np.argsort(-s, kind="stable")
    t, y = t[order], y[order]
    n_t, n_c = np.cumsum(t), np.cumsum(~t)
    y_t, y_c = np.cumsum(np.where(t, y, 0.0)), np.cumsum(np.where(t, 0.0, y))
    # While no control account is in, nothing is subtracted (the usual convention).
    gain = y_t - np.where(n_c > 0, y_c * n_t / np.maximum(n_c, 1), 0.0)
    n = len(y)
    share = np.arange(1, n + 1) / n
    curve = pd.DataFrame(
        {
            "n_targeted": np.arange(0, n + 1),
            "share_targeted": np.concatenate([[0.0], share]),
            "n_treatment": np.concatenate([[0], n_t]),
            "n_control": np.concatenate([[0], n_c]),
            "incremental_outcome": np.concatenate([[0.0], gain]),
        }
    )
    curve["random"] = curve["share_targeted"] * gain[-1]
    return curve


def _qini_inputs(outcome, treated, scores, func):
    for name, values in (("outcome", outcome), ("treated", treated), ("scores", scores)):
        if isinstance(values, str | dict | pd.DataFrame) or np.ndim(values) != 1:
            raise DataError(
                f"{func}: '{name}' must be one column of values (a list, array or Series), "
                f"got {type(values).__name__}."
            )
    t = as_binary(treated, "treated", func)
    y = pd.DataFrame({"outcome": np.asarray(outcome)})
    s = pd.DataFrame({"scores": np.asarray(scores)})
    if not (len(y) == len(t) == len(s)):
        raise DataError(
            f"{func}: 'outcome', 'treated' and 'scores' have {len(y)}, {len(t)} and {len(s)} "
            "values. Pass one of each per account."
        )
    y = require_numeric(y, "outcome", func).to_numpy(dtype=float)
    s = require_numeric(s, "scores", func).to_numpy(dtype=float)
    if t.sum() == 0 or (~t).sum() == 0:
        raise DataError(f"{func}: 'treated' needs both treated and control accounts.")
    return t, y, s


def qini_area(curve: pd.DataFrame) -> float:
    """Area between a Qini curve and its random line (trapezoids over the share targeted).

    Positive: the ranking finds the accounts that gain most before the others; 0: no better
    than random; negative: worse. In the outcome's units (e.g. yuan) times the share.

    Examples
    --------
    >>> q = qini_curve([10, 0, 4, 2], [1, 0, 1, 0], [0.9, 0.8, 0.7, 0.1])
    >>> qini_area(q)
    4.0
    """
    func = _MOD + "qini_area"
    require_frame(curve, func, name="curve")
    require_columns(curve, ["share_targeted", "incremental_outcome", "random"], func)
    x = require_numeric(curve, "share_targeted", func).to_numpy(dtype=float)
    gap = require_numeric(curve, "incremental_outcome", func).to_numpy(
        dtype=float
    ) - require_numeric(curve, "random", func).to_numpy(dtype=float)
    if len(x) < 2 or np.any(np.diff(x) < 0) or x.min() < 0 or x.max() > 1:
        raise DataError(
            f"{func}: 'share_targeted' must rise from 0 to 1 over two rows or more. Pass the "
            "output of qini_curve."
        )
    return float(np.sum((gap[1:] + gap[:-1]) / 2 * np.diff(x)))


def plot_qini(curve: pd.DataFrame, *, ax=None, label: str = "Uplift model", unit: str = "yuan"):
    """Draw a Qini curve and its random line.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> ax = plot_qini(qini_curve([10, 0, 4, 2], [1, 0, 1, 0], [0.9, 0.8, 0.7, 0.1]))
    >>> ax.get_xlabel()
    'Share of accounts targeted (highest predicted uplift first)'
    """
    with as_called_by(_MOD + "plot_qini"):
        qini_area(curve)  # the same checks
    ax = plot.get_ax(ax)
    ax.plot(curve["share_targeted"], curve["incremental_outcome"], label=label, color=plot.MAIN)
    ax.plot(curve["share_targeted"], curve["random"], "--", color=plot.MUTED, label="Random order")
    ax.axhline(0, color="black", linewidth=0.6)
    plot.label(
        ax,
        "Qini curve: extra outcome from targeting the best-ranked first",
        "Share of accounts targeted (highest predicted uplift first)",
        f"Incremental outcome ({unit})",
    )
    plot.share_axis(ax, "x")
    ax.legend(loc="best")
    return ax
