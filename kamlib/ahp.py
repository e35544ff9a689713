"""Weights of criteria from pairwise judgements: the Analytic Hierarchy Process (层次分析法).

Managers find it easier to say "strategic fit matters twice as much as margin" than to write
down a weight for every criterion. The Analytic Hierarchy Process (Saaty 1980) turns such
pairwise judgements into weights and checks that they hang together:

* :func:`pairwise_matrix` builds the full reciprocal matrix from the judgements above its
  diagonal;
* :func:`ahp_weights` takes its principal eigenvector as the weights and reports the
  consistency ratio (:class:`AHPResult`);
* :func:`hierarchy_weights` combines main criteria and their sub-criteria into one set of
  weights; :func:`normalise_weights` checks any weights and scales them to sum to 1.

The weights feed the key-account scorecard of :mod:`kamlib.selection`, which also re-exports
these names (``from kamlib.selection import ahp_weights`` keeps working).

>>> from kamlib import ahp
>>> result = ahp.ahp_weights([[1, 3, 5], [1 / 3, 1, 3], [1 / 5, 1 / 3, 1]])
>>> result.weights.round(3).tolist()
[0.637, 0.258, 0.105]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from kamlib.errors import DataError, ParameterError
from kamlib.validation import check_names, check_number

__all__ = [
    "CR_THRESHOLD",
    "RANDOM_INDEX",
    "AHPResult",
    "ahp_weights",
    "hierarchy_weights",
    "normalise_weights",
    "pairwise_matrix",
]

#: Saaty's random index RI(n), the mean consistency index of many random reciprocal matrices of
#: size n filled from the 1/9..9 scale, as tabulated in Saaty (1980). Matrices of size 1 and 2 are
#: always consistent, hence 0. Saaty (2008) prints a later table from larger simulations (0.52,
#: 0.89, 1.11, 1.25, 1.35, 1.40, 1.45, 1.49 for n = 3..10); the 1980 values are the ones most
#: software and textbooks use, and the ones the course's reference examples are computed with.
RANDOM_INDEX: dict[int, float] = {
    1: 0.0,
    2: 0.0,
    3: 0.58,
    4: 0.90,
    5: 1.12,
    6: 1.24,
    7: 1.32,
    8: 1.41,
    9: 1.45,
    10: 1.49,
}

#: Saaty's rule of thumb. Judgements with a consistency ratio below 0.10 are acceptable.
CR_THRESHOLD = 0.10


# ---------------------------------------------------------------------------------------------
# AHP
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class AHPResult:
    """Weights from a pairwise-comparison matrix and how consistent the judgements were.

    Attributes
    ----------
    weights : pandas.Series
        Priority of each criterion (positive, sums to 1), indexed by criterion name.
    lambda_max : float
        Largest eigenvalue of the matrix (equals n for perfectly consistent judgements).
    ci : float
        Consistency index ``(lambda_max - n) / (n - 1)``.
    ri : float
        Saaty's random index for this n (:data:`RANDOM_INDEX`).
    cr : float
        Consistency ratio ``ci / ri`` (0 when n = 2, where ``ri`` is 0).
    consistent : bool
        ``cr < 0.10``, Saaty's threshold for acceptable judgements.
    """

    weights: pd.Series
    lambda_max: float
    ci: float
    ri: float
    cr: float
    consistent: bool

    @property
    def n(self) -> int:
        """Number of criteria compared."""
        return len(self.weights)

    def summary(self) -> pd.Series:
        """The consistency figures as one small Series (handy to display in a notebook)."""
        return pd.Series(
            {
                "n": self.n,
                "lambda_max": self.lambda_max,
                "CI": self.ci,
                "RI": self.ri,
                "CR": self.cr,
                "consistent (CR < 0.10)": self.consistent,
            },
            dtype=object,
        )


def pairwise_matrix(judgements: Mapping, criteria: Iterable[str]) -> pd.DataFrame:
    """Build a full reciprocal comparison matrix from the judgements above its diagonal.

    Parameters
    ----------
    judgements : mapping
        ``{(a, b): value}``: how many times more important criterion ``a`` is than ``b`` on
        Saaty's 1-9 scale (use ``1/3`` when ``b`` is moderately more important than ``a``).
        Every pair of different criteria must be given exactly once, in either order.
    criteria : iterable of str
        The criteria, in the order of the matrix rows and columns.

    Returns
    -------
    pandas.DataFrame
        Square matrix with ones on the diagonal and ``a_ji = 1 / a_ij``.

    Examples
    --------
    >>> m = pairwise_matrix({("fit", "profit"): 3, ("fit", "tenure"): 5, ("profit", "tenure"): 3},
    ...                     ["fit", "profit", "tenure"])
    >>> m.round(3).to_numpy().tolist()
    [[1.0, 3.0, 5.0], [0.333, 1.0, 3.0], [0.2, 0.333, 1.0]]
    """
    func = "kamlib.ahp.pairwise_matrix"
    if not isinstance(judgements, Mapping):
        raise ParameterError(
            f"{func}: 'judgements' must be a dict {{(a, b): value}}, got "
            f"{type(judgements).__name__}."
        )
    names = check_names(criteria, "criteria", func)
    if len(names) < 2 or len(set(names)) != len(names):
        raise ParameterError(
            f"{func}: 'criteria' must list at least two different names, got {names!r}."
        )
    position = {name: i for i, name in enumerate(names)}
    matrix = np.eye(len(names))
    seen = set()
    for key, value in judgements.items():
        if not (isinstance(key, tuple) and len(key) == 2):
            raise ParameterError(f"{func}: each key must be a pair (a, b), got {key!r}.")
        a, b = key
        if a not in position or b not in position or a == b:
            raise ParameterError(
                f"{func}: pair {key!r} must name two different criteria from {names!r}."
            )
        value = check_number(value, f"judgements[{key!r}]", func, low=0, low_inclusive=False)
        pair = frozenset(key)
        if pair in seen:
            raise ParameterError(f"{func}: the pair {key!r} is given twice. Keep one judgement.")
        seen.add(pair)
        matrix[position[a], position[b]] = value
        matrix[position[b], position[a]] = 1.0 / value
    missing = [
        (a, b) for i, a in enumerate(names) for b in names[i + 1 :] if frozenset((a, b)) not in seen
    ]
    if missing:
        raise ParameterError(
            f"{func}: no judgement for {missing[:3]!r}"
            f"{' ...' if len(missing) > 3 else ''}. Compare every pair of criteria once."
        )
    return pd.DataFrame(matrix, index=names, columns=names)


def _as_matrix(matrix, criteria, func: str) -> tuple[np.ndarray, list[str]]:
    """Validate a pairwise matrix (before any coercion) and return it with its labels."""
    if isinstance(matrix, pd.DataFrame):
        if list(matrix.index) != list(matrix.columns):
            raise DataError(
                f"{func}: the matrix rows {list(matrix.index)!r} and columns "
                f"{list(matrix.columns)!r} must list the same criteria in the same order."
            )
        labels = [str(c) for c in matrix.columns]
        values = matrix.to_numpy()
    else:
        labels = None
        values = np.asarray(matrix, dtype=object)
    if values.ndim != 2 or values.shape[0] != values.shape[1]:
        raise DataError(
            f"{func}: the comparison matrix must be square (n x n), got shape {values.shape}. "
            "Give one row and one column per criterion."
        )
    flat = values.ravel()
    if any(
        isinstance(v, bool | np.bool_) or not isinstance(v, int | float | np.number) for v in flat
    ):
        raise DataError(f"{func}: the comparison matrix must hold numbers only.")
    values = values.astype(float)
    n = values.shape[0]
    if np.isnan(values).any() or np.isinf(values).any():
        raise DataError(f"{func}: the comparison matrix has missing or infinite entries.")
    if n < 2:
        raise DataError(
            f"{func}: the matrix compares {n} criterion; AHP needs at least two criteria."
        )
    if n > max(RANDOM_INDEX):
        raise DataError(
            f"{func}: {n} criteria compared at once; the random index is tabulated up to "
            f"{max(RANDOM_INDEX)}. Group the criteria into a hierarchy of smaller comparisons."
        )
    if (values <= 0).any():
        raise DataError(
            f"{func}: every comparison must be positive (1/9 ... 9), found "
            f"{values[values <= 0][:3].tolist()}."
        )
    if not np.allclose(np.diag(values), 1.0):
        raise DataError(
            f"{func}: the diagonal must be 1 (a criterion is as important as itself), found "
            f"{np.diag(values).round(3).tolist()}."
        )
    if criteria is not None:
        criteria = check_names(criteria, "criteria", func)
        if len(criteria) != n or len(set(criteria)) != n:
            raise ParameterError(
                f"{func}: 'criteria' must give {n} different names, got {criteria!r}."
            )
        if labels is not None and criteria != labels:
            raise ParameterError(
                f"{func}: 'criteria' {criteria!r} differ from the matrix labels {labels!r}."
            )
        labels = criteria
    return values, labels or [f"criterion_{i + 1}" for i in range(n)]


def ahp_weights(matrix, *, criteria: Iterable[str] | None = None, tol: float = 0.01) -> AHPResult:
    """Weights of criteria from a pairwise-comparison matrix (Analytic Hierarchy Process, 层次分析法).

    Entry ``a_ij`` says how many times more important criterion ``i`` is than ``j`` (Saaty's
    1-9 scale), with ``a_ji = 1 / a_ij``. The weights are the principal (Perron) eigenvector of
    the matrix, scaled to sum to 1. Its eigenvalue ``lambda_max`` is ``n`` when the judgements
    are perfectly consistent (``a_ij * a_jk = a_ik``) and grows with inconsistency, which the
    consistency index ``CI = (lambda_max - n) / (n - 1)`` and the consistency ratio
    ``CR = CI / RI(n)`` measure (Saaty 1980; 2008). ``RI`` is :data:`RANDOM_INDEX`; for n = 2
    every reciprocal matrix is consistent and CR is defined as 0.

    Parameters
    ----------
    matrix : array-like or pandas.DataFrame
        Square, positive, reciprocal matrix with ones on the diagonal (n from 2 to 10). A
        DataFrame's index and columns name the criteria.
    criteria : iterable of str, optional
        Names of the criteria (default: the DataFrame labels, else ``criterion_1``, ...).
    tol : float
        Largest accepted ``|a_ij * a_ji - 1|``; the default 0.01 accepts 1/3 typed as 0.333.

    Returns
    -------
    AHPResult
        ``weights`` (Series), ``lambda_max``, ``ci``, ``ri``, ``cr`` and ``consistent``.

    Raises
    ------
    ~kamlib.errors.DataError
        If the matrix is not square, holds NaN or non-positive values, its diagonal is not 1, it
        is not reciprocal, or n is below 2 or above 10.

    Examples
    --------
    >>> r = ahp_weights([[1, 3, 5], [1 / 3, 1, 3], [1 / 5, 1 / 3, 1]], criteria=["a", "b", "c"])
    >>> round(r.lambda_max, 3), round(r.cr, 3), r.consistent
    (3.039, 0.033, True)
    """
    func = "kamlib.ahp.ahp_weights"
    tol = check_number(tol, "tol", func, low=0, high=0.5)
    values, labels = _as_matrix(matrix, criteria, func)
    product = values * values.T
    worst = np.unravel_index(np.argmax(np.abs(product - 1)), product.shape)
    if abs(product[worst] - 1) > tol:
        i, j = worst
        raise DataError(
            f"{func}: the matrix is not reciprocal: a[{labels[i]}, {labels[j]}] = "
            f"{values[i, j]:.4g} but a[{labels[j]}, {labels[i]}] = {values[j, i]:.4g} "
            f"(should be {1 / values[i, j]:.4g}). Enter each judgement once and its inverse "
            "opposite it, e.g. with kamlib.ahp.pairwise_matrix."
        )
    n = len(labels)
    eigenvalues, eigenvectors = np.linalg.eig(values)
    top = int(np.argmax(eigenvalues.real))
    vector = np.abs(eigenvectors[:, top].real)  # the Perron vector has one sign; fix it positive
    weights = vector / vector.sum()
    lambda_max = float(eigenvalues[top].real)
    ci = max((lambda_max - n) / (n - 1), 0.0)  # round-off can put lambda_max a hair below n
    ri = RANDOM_INDEX[n]
    cr = ci / ri if ri > 0 else 0.0
    return AHPResult(
        weights=pd.Series(weights, index=pd.Index(labels, name="criterion"), name="weight"),
        lambda_max=lambda_max,
        ci=float(ci),
        ri=float(ri),
        cr=float(cr),
        consistent=bool(cr < CR_THRESHOLD),
    )


def hierarchy_weights(main, children: Mapping) -> pd.Series:
    """Global weights of the sub-criteria in a two-level AHP hierarchy.

    Each main criterion's weight is shared among its sub-criteria in proportion to their local
    weights: ``global = main weight x local weight``. A main criterion without children keeps
    its own weight under its own name.

    Parameters
    ----------
    main : AHPResult, pandas.Series or mapping
        Weights of the main criteria (e.g. strategic fit, contribution, stability).
    children : mapping
        ``{main criterion: AHPResult, Series or mapping of local weights}``.

    Returns
    -------
    pandas.Series
        One weight per leaf criterion, summing to 1.

    Examples
    --------
    >>> hierarchy_weights({"fit": 0.5, "contribution": 0.5},
    ...                   {"contribution": {"profit": 0.6, "margin": 0.4}}).tolist()
    [0.5, 0.3, 0.2]
    """
    func = "kamlib.ahp.hierarchy_weights"
    top = normalise_weights(main, func=func)
    if not isinstance(children, Mapping):
        raise ParameterError(
            f"{func}: 'children' must be a dict {{main criterion: local weights}}, got "
            f"{type(children).__name__}."
        )
    unknown = [k for k in children if str(k) not in top.index]
    if unknown:
        raise ParameterError(
            f"{func}: {unknown!r} in 'children' are not main criteria {list(top.index)!r}."
        )
    leaves = {}
    for name, weight in top.items():
        local = children.get(name)
        parts = {name: 1.0} if local is None else normalise_weights(local, func=func).to_dict()
        for leaf, share in parts.items():
            if leaf in leaves:
                raise ParameterError(f"{func}: the criterion {leaf!r} appears twice.")
            leaves[leaf] = weight * share
    return pd.Series(leaves, name="weight").rename_axis("criterion")


# ---------------------------------------------------------------------------------------------
# Any weights, checked and scaled to sum to 1
# ---------------------------------------------------------------------------------------------
def normalise_weights(weights, *, func: str = "kamlib.ahp.normalise_weights") -> pd.Series:
    """Check criterion weights and scale them to sum to 1.

    Parameters
    ----------
    weights : mapping or pandas.Series
        ``{criterion: weight}``; non-negative numbers, not all zero (e.g. slider positions).

    Returns
    -------
    pandas.Series
        The weights divided by their sum.

    Examples
    --------
    >>> normalise_weights({"fit": 2, "profit": 1, "tenure": 1}).tolist()
    [0.5, 0.25, 0.25]
    """
    if isinstance(weights, AHPResult):
        weights = weights.weights
    if not isinstance(weights, Mapping | pd.Series):
        raise ParameterError(
            f"{func}: 'weights' must be a dict or Series {{criterion: weight}}, got "
            f"{type(weights).__name__}."
        )
    series = pd.Series(dict(weights), dtype=object)
    if series.empty:
        raise ParameterError(f"{func}: 'weights' is empty. Give at least one criterion.")
    for name, value in series.items():
        check_number(value, f"weights[{name!r}]", func, low=0)
    series = series.astype(float)
    total = series.sum()
    if total <= 0:
        raise ParameterError(
            f"{func}: the weights are all zero. Give at least one positive weight."
        )
    series.index = series.index.astype(str)
    return (series / total).rename("weight")
