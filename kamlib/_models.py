"""Machinery shared by kamlib's models (BG/NBD, Gamma-Gamma, the look-alike model).

Not a topic module: :mod:`kamlib.bgnbd`, :mod:`kamlib.spend_model` and :mod:`kamlib.lookalike`
build on it.
It holds the scikit-learn style parameter handling, the maximum-likelihood fit (L-BFGS-B on the
log-parameters) with standard errors, and the checks of per-customer inputs given as numbers,
arrays or Series.
"""

from __future__ import annotations

import contextlib
import inspect
import warnings

import numpy as np
import pandas as pd

from kamlib.errors import DataError, FitError, NotFittedError, ParameterError
from kamlib.validation import _show, check_number, require_numeric


# --------------------------------------------------------------------------------------------
# Per-customer inputs
# --------------------------------------------------------------------------------------------
def dot(u, v) -> float:
    """Sum of u * v. einsum avoids BLAS, whose threads fight over a busy machine's cores."""
    return float(np.einsum("i,i->", u, v))


def as_column(value, name: str, func: str) -> pd.Series:
    """Wrap one input (number, array, Series) as a numeric Series, checked before any cast."""
    if np.ndim(value) > 1:
        raise DataError(
            f"{func}: '{name}' must be a number or one column of numbers, got a "
            f"{type(value).__name__} with {np.ndim(value)} dimensions. Pass one column, e.g. "
            f"summary['{name}']."
        )
    series = value if isinstance(value, pd.Series) else pd.Series(np.atleast_1d(value))
    if series.empty:
        raise DataError(f"{func}: '{name}' is empty. Pass at least one customer.")
    # A column of the user's table is reported by its own name (e.g. 'duration_holdout').
    label = value.name if isinstance(value, pd.Series) and isinstance(value.name, str) else name
    require_numeric(pd.DataFrame({label: series.to_numpy()}), label, func)
    return series


def example_rows(mask: np.ndarray, **columns) -> str:
    """'2 row(s), e.g. x=-1 (row 0); x=-3 (row 4)': the rows flagged by ``mask``, for messages."""
    rows = np.flatnonzero(mask)[:3]
    shown = "; ".join(
        ", ".join(f"{k}={v[i]:g}" for k, v in columns.items()) + f" (row {i})" for i in rows
    )
    return f"{int(mask.sum())} row(s), e.g. {shown}"


def check_counts(values: np.ndarray, func: str, *, hint: str = "") -> np.ndarray:
    """Fail unless the repeat-purchase counts ``values`` are whole numbers of at least 0.

    ``values`` are numeric (see :func:`as_column`); returns them as floats. Fractions are
    refused, not truncated.
    """
    hint = f" {hint}" if hint else ""
    if (values < 0).any():
        raise DataError(
            f"{func}: column 'frequency' has negative values in "
            f"{example_rows(values < 0, frequency=values)}. Frequency counts repeat purchases "
            f"and cannot be negative.{hint}"
        )
    values = np.asarray(values, dtype=float)
    fractional = values % 1 != 0
    if fractional.any():
        raise DataError(
            f"{func}: column 'frequency' must hold whole numbers; found fractions in "
            f"{example_rows(fractional, frequency=values)}. Count repeat purchases, not "
            f"amounts.{hint}"
        )
    return values


def shaped_output(values: np.ndarray, index, scalar: bool, name: str):
    """Return a float for scalar input, a Series when a pandas index is known, else an array."""
    if scalar:
        return float(np.asarray(values).ravel()[0])
    if index is not None and len(index) == len(values):
        return pd.Series(values, index=index, name=name)
    return values


def all_scalar(*values) -> bool:
    return all(np.ndim(v) == 0 for v in values)


#: Length of one time unit in days ("M" is an average calendar month).
UNIT_DAYS = {"D": 1.0, "W": 7.0, "M": 365.25 / 12}


def check_summary(frequency, recency, T, func: str):
    """Validate (frequency, recency, T) and return them as float arrays plus an index.

    Raises :class:`~kamlib.errors.DataError` naming the column for NaN or non-numeric values,
    negative or fractional frequencies, negative recency or T, recency above T, and a positive
    recency with zero repeat purchases. Returns ``(x, t_x, T, index)`` where ``index`` is the
    index of the first pandas input (or None).
    """
    cols = {
        "frequency": as_column(frequency, "frequency", func),
        "recency": as_column(recency, "recency", func),
        "T": as_column(T, "T", func),
    }
    sizes = {len(s) for s in cols.values()}
    if len(sizes) > 1:
        raise DataError(
            f"{func}: 'frequency', 'recency' and 'T' have different lengths "
            f"({', '.join(f'{k}: {len(v)}' for k, v in cols.items())}). Pass one value per "
            "customer for each."
        )
    hint = "Build the summary with kamlib.repeat_buying.rfm_summary(...)."
    x = check_counts(cols["frequency"].to_numpy(), func, hint=hint)
    t_x, t_end = (cols[k].to_numpy(dtype=float) for k in ("recency", "T"))
    for name, values in (("recency", t_x), ("T", t_end)):
        if (values < 0).any():
            raise DataError(
                f"{func}: column '{name}' has negative values in "
                f"{example_rows(values < 0, **{name: values})}. Times are measured forward from "
                f"each customer's first purchase; check the dates. {hint}"
            )
    too_late = t_x > t_end * (1 + 1e-12) + 1e-12
    if too_late.any():
        raise DataError(
            f"{func}: column 'recency' is larger than 'T' in "
            f"{example_rows(too_late, recency=t_x, T=t_end)}. The last purchase cannot come "
            f"after the end of the calibration period; check both use the same time unit. {hint}"
        )
    orphan = (x == 0) & (t_x > 0)
    if orphan.any():
        raise DataError(
            f"{func}: column 'recency' is positive for customers with frequency 0 in "
            f"{example_rows(orphan, frequency=x, recency=t_x)}. Without a repeat purchase the "
            f"last purchase is the first, so recency must be 0. {hint}"
        )
    index = next((s.index for s in (frequency, recency, T) if isinstance(s, pd.Series)), None)
    return x, t_x, t_end, index


def check_time(t, name: str, func: str) -> np.ndarray:
    """A length of time (one number or one per customer) as a float array; refuses negatives."""
    values = as_column(t, name, func).to_numpy(dtype=float)
    if (values < 0).any():
        raise ParameterError(
            f"{func}: '{name}' must be zero or positive (a length of time), got "
            f"{_show(values[values < 0][:3])}."
        )
    return values


# --------------------------------------------------------------------------------------------
# Parameters, fitting and standard errors
# --------------------------------------------------------------------------------------------
def _one_blas_thread():
    """Run BLAS single-threaded: L-BFGS-B makes tiny BLAS calls whose thread hand-offs cost
    ten times the work on a busy machine (threadpoolctl ships with scikit-learn)."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - only without scikit-learn
        return contextlib.nullcontext()
    return threadpool_limits(limits=1, user_api="blas")


class ParamsMixin:
    """``get_params``/``set_params`` as scikit-learn expects (no sklearn import at module load).

    The hyper-parameters are the arguments of the subclass's ``__init__``.
    """

    @classmethod
    def _param_names(cls) -> list[str]:
        signature = inspect.signature(cls.__init__)
        return [p for p in signature.parameters if p != "self"]

    def get_params(self, deep: bool = True) -> dict:
        """Hyper-parameters, as in scikit-learn."""
        return {name: getattr(self, name) for name in self._param_names()}

    def set_params(self, **params):
        """Set hyper-parameters, as in scikit-learn; returns self."""
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


class ProbabilityModel(ParamsMixin):
    """scikit-learn style parameter handling, fitting by L-BFGS-B and standard errors.

    A subclass names its parameters in ``_names`` and fits by calling :meth:`_optimise` with
    its mean negative log-likelihood.
    """

    _names: tuple[str, ...] = ()

    def __init__(self, penalizer=0.0, initial_params=None, max_iter=500):
        self.penalizer = penalizer
        self.initial_params = initial_params
        self.max_iter = max_iter

    @classmethod
    def from_params(cls, **params):
        """A model with given parameters, e.g. published or true ones, without fitting."""
        func = f"{cls.__name__}.from_params"
        if set(params) != set(cls._names):
            raise ParameterError(
                f"{func}: pass exactly the parameters {list(cls._names)}, got {sorted(params)}."
            )
        values = [check_number(params[k], k, func, low=0, low_inclusive=False) for k in cls._names]
        model = cls()
        model.params_ = pd.Series(values, index=list(cls._names), name="estimate")
        model.standard_errors_ = pd.Series(np.nan, index=list(cls._names), name="std_error")
        model.log_likelihood_ = np.nan
        model.n_customers_ = 0
        model.converged_ = True
        return model

    def _fitted(self, func: str) -> np.ndarray:
        if not hasattr(self, "params_"):
            name = func if "." in func else f"{type(self).__name__}.{func}"
            raise NotFittedError(
                f"{name}: this model is not fitted yet. Call "
                ".fit(summary) first, or build one with .from_params(...)."
            )
        return self.params_.to_numpy()

    def parameter_table(self) -> pd.DataFrame:
        """Estimates with standard errors and approximate 95% intervals (estimate +- 1.96 SE)."""
        self._fitted("parameter_table")
        se = self.standard_errors_
        return pd.DataFrame(
            {
                "estimate": self.params_,
                "std_error": se,
                "lower_95": self.params_ - 1.96 * se,
                "upper_95": self.params_ + 1.96 * se,
            }
        )

    def _check_hyper(self, func: str) -> tuple[float, np.ndarray | None, int]:
        """Checked (penalizer, log of initial_params or None, max_iter)."""
        penalizer = check_number(self.penalizer, "penalizer", func, low=0)
        max_iter = check_number(self.max_iter, "max_iter", func, low=1, integer=True)
        start = None
        if self.initial_params is not None:
            given = self.initial_params
            if isinstance(given, str) or not isinstance(given, dict | list | tuple | np.ndarray):
                raise ParameterError(
                    f"{func}: 'initial_params' must be a dict {{name: value}} or a list of "
                    f"{len(self._names)} values {list(self._names)}, got {given!r}."
                )
            if isinstance(given, dict):
                if set(given) != set(self._names):
                    raise ParameterError(
                        f"{func}: 'initial_params' needs the keys {list(self._names)}, got "
                        f"{sorted(given)}."
                    )
                given = [given[k] for k in self._names]
            values = list(given)
            if len(values) != len(self._names):
                raise ParameterError(
                    f"{func}: 'initial_params' needs {len(self._names)} values "
                    f"{list(self._names)}, got {len(values)}."
                )
            start = np.log(
                [
                    check_number(v, k, func, low=0, low_inclusive=False)
                    for k, v in zip(self._names, values, strict=True)
                ]
            )
        return penalizer, start, max_iter

    def _optimise(self, objective, start: np.ndarray, penalizer: float, max_iter: int, n: float):
        """Minimise ``objective(log_params) -> (mean negative log-lik, gradient)`` plus an L2
        penalty ``penalizer * sum(log_params**2)``; set the fitted attributes and return the
        log-parameters."""
        from scipy.optimize import minimize

        func = f"{type(self).__name__}.fit"

        def penalised(theta):
            value, grad = objective(theta)
            return value + penalizer * dot(theta, theta), grad + 2 * penalizer * theta

        bound = 25.0
        with np.errstate(all="ignore"), _one_blas_thread():
            result = minimize(
                penalised,
                start,
                jac=True,
                method="L-BFGS-B",
                bounds=[(-bound, bound)] * len(start),
                options={"maxiter": max_iter, "ftol": 1e-14, "gtol": 1e-8},
            )
        theta = result.x
        grad_norm = float(np.max(np.abs(result.jac))) if result.jac is not None else np.inf
        ok = np.isfinite(result.fun) and np.all(np.isfinite(theta))
        settled = result.success or grad_norm < 1e-5
        advice = (
            "Try a small penalizer (e.g. penalizer=0.001), more customers or a longer "
            "calibration period, and check the time unit of recency and T."
        )
        if not (ok and settled):
            raise FitError(
                f"{func}: the optimisation did not converge ({result.message}; "
                f"{result.nit} iterations, largest gradient {grad_norm:.2g}). {advice}"
            )
        at_edge = np.abs(theta) > bound - 1
        if at_edge.any():
            names = [k for k, e in zip(self._names, at_edge, strict=True) if e]
            raise FitError(
                f"{func}: parameter(s) {names} ran off to {np.exp(theta[at_edge])}, so the data "
                f"cannot pin them down (e.g. almost no repeat purchases). {advice}"
            )
        cov = self._log_covariance(penalised, theta, n)
        params = np.exp(theta)
        self.params_ = pd.Series(params, index=list(self._names), name="estimate")
        # Delta method: SE(theta) = theta * SE(log theta).
        self.standard_errors_ = pd.Series(
            params * np.sqrt(np.diag(cov)), index=list(self._names), name="std_error"
        )
        self.converged_ = True
        self.n_iter_ = int(result.nit)
        return theta

    def _log_covariance(self, penalised, theta: np.ndarray, n: float) -> np.ndarray:
        """Inverse Hessian of the total negative log-likelihood in log-parameters (numerical
        derivative of the analytic gradient, central differences)."""
        k = len(theta)
        hess = np.empty((k, k))
        step = 1e-5
        for j in range(k):
            up, down = theta.copy(), theta.copy()
            up[j] += step
            down[j] -= step
            hess[:, j] = (penalised(up)[1] - penalised(down)[1]) / (2 * step)
        hess = n * (hess + hess.T) / 2
        try:
            cov = np.linalg.inv(hess)
        except np.linalg.LinAlgError:
            cov = np.full((k, k), np.nan)
        if not np.all(np.diag(cov) > 0):
            warnings.warn(
                f"{type(self).__name__}.fit: the likelihood is flat around the estimate, so "
                "standard errors cannot be computed (reported as NaN).",
                UserWarning,
                stacklevel=3,
            )
            cov = np.full((k, k), np.nan)
        return cov
