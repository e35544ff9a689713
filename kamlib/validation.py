"""Checks shared by every kamlib function.

Each helper raises :class:`~kamlib.errors.DataError` or :class:`~kamlib.errors.ParameterError`
with a message of the form ``"<function>: <what is wrong>. <how to fix it>"``. They validate
before they coerce and never modify what they are given.
"""

from __future__ import annotations

import contextlib
import math
import numbers
import warnings
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from kamlib.errors import DataError, KamlibError, ParameterError


def _show(values: Iterable, limit: int = 5) -> str:
    values = list(values)
    shown = ", ".join(repr(v) for v in values[:limit])
    return shown + (f", ... ({len(values)} in all)" if len(values) > limit else "")


def require_frame(data, func: str, *, name: str = "data", allow_empty: bool = False):
    """Fail unless ``data`` is a pandas DataFrame (non-empty unless ``allow_empty``)."""
    if not isinstance(data, pd.DataFrame):
        raise DataError(
            f"{func}: '{name}' must be a pandas DataFrame, got {type(data).__name__}. "
            "Load a table with kamlib.datasets.load(...) or pd.read_csv(...)."
        )
    if not allow_empty and data.empty:
        raise DataError(f"{func}: '{name}' has no rows. Pass a table with at least one row.")
    return data


def require_columns(data: pd.DataFrame, columns: Iterable[str], func: str) -> None:
    """Fail if any of ``columns`` is not a column name (text) or is missing from ``data``.

    A name given as a list, a number or None (``customer_col=["account_id"]``) is refused with
    a :class:`~kamlib.errors.ParameterError` before the table is looked at.
    """
    columns = list(columns)
    for column in columns:
        if not isinstance(column, str):
            hint = (
                f" Pass one name, e.g. {column[0]!r}."
                if isinstance(column, list | tuple) and column and isinstance(column[0], str)
                else ""
            )
            raise ParameterError(
                f"{func}: a column name must be text, got {column!r} "
                f"({type(column).__name__}).{hint} Each *_col argument names one column."
            )
    missing = [c for c in columns if c not in data.columns]
    if missing:
        raise DataError(
            f"{func}: column(s) {_show(missing)} not found; the table has {_show(data.columns, 12)}. "
            "Rename your columns or pass their names with the *_col keyword arguments."
        )


def require_numeric(data: pd.DataFrame, column: str, func: str, *, allow_missing=False):
    """Fail unless ``column`` holds numbers (bool is not a number here)."""
    series = data[column]
    if not pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series):
        sample = series.dropna().head(3).tolist()
        raise DataError(
            f"{func}: column '{column}' must be numeric, found dtype {series.dtype} "
            f"(e.g. {_show(sample)}). Convert it with pd.to_numeric(...) first."
        )
    if not allow_missing and series.isna().any():
        n = int(series.isna().sum())
        raise DataError(
            f"{func}: column '{column}' has {n} missing value(s). "
            "Fill or drop those rows before calling this function."
        )
    if np.isinf(series.to_numpy(dtype=float, na_value=np.nan)).any():
        raise DataError(f"{func}: column '{column}' has infinite values. Remove or cap them.")
    return series


def require_non_negative(data: pd.DataFrame, column: str, func: str):
    """Fail unless ``column`` is numeric and has no negative value."""
    series = require_numeric(data, column, func)
    negative = series < 0
    if negative.any():
        raise DataError(
            f"{func}: column '{column}' has {int(negative.sum())} negative value(s), "
            f"e.g. {_show(series[negative].head(3).tolist())}. Amounts and counts cannot be "
            "negative here; correct or remove those rows."
        )
    return series


def require_dates(data: pd.DataFrame, column: str, func: str) -> pd.Series:
    """Return ``column`` as datetimes, failing on missing or unparseable entries."""
    series = data[column]
    if series.isna().any():
        raise DataError(
            f"{func}: column '{column}' has {int(series.isna().sum())} missing date(s). "
            "Fill or drop those rows first."
        )
    if pd.api.types.is_datetime64_any_dtype(series):
        return series
    _refuse_numeric_dates(series, column, func)
    parsed = pd.to_datetime(series, errors="coerce", format="mixed")
    bad = parsed.isna()
    if bad.any():
        raise DataError(
            f"{func}: column '{column}' has {int(bad.sum())} value(s) that are not dates, "
            f"e.g. {_show(series[bad].head(3).tolist())}. Use ISO dates such as '2024-03-31'."
        )
    return parsed


def _refuse_numeric_dates(series: pd.Series, column: str, func: str) -> None:
    """Numbers are not dates: pandas would read 20240131 as nanoseconds after 1970."""
    numbers_in = series.map(lambda v: isinstance(v, numbers.Number) and not pd.isna(v))
    if (
        pd.api.types.is_numeric_dtype(series)
        or pd.api.types.is_bool_dtype(series)
        or (series.dtype == object and numbers_in.any())
    ):
        sample = series[numbers_in].head(3).tolist() if series.dtype == object else None
        sample = sample or series.dropna().head(3).tolist()
        raise DataError(
            f"{func}: column '{column}' holds numbers, not dates (e.g. {_show(sample)}). "
            "Numbers such as 20240131 would be read as nanoseconds after 1970; convert the "
            f"column first, e.g. pd.to_datetime(data['{column}'].astype(str), format='%Y%m%d'), "
            "or use ISO dates such as '2024-01-31'."
        )


def require_unique(data: pd.DataFrame, column: str, func: str) -> None:
    """Fail if ``column`` repeats a value (used for id columns)."""
    duplicated = data[column].duplicated(keep=False)
    if duplicated.any():
        raise DataError(
            f"{func}: column '{column}' should identify each row once, but "
            f"{_show(data.loc[duplicated, column].unique())} appear more than once. "
            "Remove or merge the duplicate rows."
        )


def check_number(
    value,
    name: str,
    func: str,
    *,
    low: float | None = None,
    high: float | None = None,
    low_inclusive: bool = True,
    high_inclusive: bool = True,
    integer: bool = False,
) -> float:
    """Return ``value`` as a float (or int) after checking its type and range."""
    kind = numbers.Integral if integer else numbers.Real
    if isinstance(value, bool) or not isinstance(value, kind):
        wanted = "a whole number" if integer else "a number"
        raise ParameterError(
            f"{func}: '{name}' must be {wanted}, got {value!r} ({type(value).__name__})."
        )
    if not integer and not math.isfinite(value):
        raise ParameterError(f"{func}: '{name}' must be finite, got {value!r}.")
    too_low = low is not None and (value < low if low_inclusive else value <= low)
    too_high = high is not None and (value > high if high_inclusive else value >= high)
    if too_low or too_high:
        lo = "(-inf" if low is None else ("[" if low_inclusive else "(") + f"{low}"
        hi = "inf)" if high is None else f"{high}" + ("]" if high_inclusive else ")")
        raise ParameterError(f"{func}: '{name}' must lie in {lo}, {hi}, got {value!r}.")
    return int(value) if integer else float(value)


def check_choice(value, name: str, func: str, choices: Iterable) -> object:
    """Fail unless ``value`` is one of ``choices``."""
    choices = list(choices)
    if value not in choices:
        raise ParameterError(
            f"{func}: '{name}' must be one of {_show(choices, 10)}, got {value!r}."
        )
    return value


def as_timestamp(value, name: str, func: str) -> pd.Timestamp:
    """Parse a date given as a string, date or Timestamp.

    Numbers are refused: ``20241231`` would otherwise be read as nanoseconds after 1970.
    """
    if isinstance(value, numbers.Number):
        raise ParameterError(
            f"{func}: '{name}' must be a date such as '2024-12-31', got the number {value!r}. "
            "Write the date as text ('2024-12-31') or a pd.Timestamp."
        )
    try:
        stamp = pd.Timestamp(value)
    except (TypeError, ValueError):
        stamp = pd.NaT
    if pd.isna(stamp):
        raise ParameterError(
            f"{func}: '{name}' must be a date such as '2024-12-31', got {value!r}."
        )
    return stamp


def require_no_missing(
    data: pd.DataFrame,
    column: str,
    func: str,
    *,
    what: str = "value",
    fix: str = "Fill them in or remove those rows first.",
) -> pd.Series:
    """Fail if ``column`` has empty cells; ``what`` names one entry (e.g. "account id")."""
    series = data[column]
    n_missing = int(series.isna().sum())
    if n_missing:
        raise DataError(f"{func}: column '{column}' has {n_missing} missing {what}(s). {fix}")
    return series


def require_optional_dates(data: pd.DataFrame, column: str, func: str) -> pd.Series:
    """Return ``column`` as datetimes where empty cells stay missing (NaT), e.g. a lost date.

    Unlike :func:`require_dates`, empty cells are allowed; a filled cell that is not a date fails.
    """
    series = data[column]
    if pd.api.types.is_datetime64_any_dtype(series):
        return series
    _refuse_numeric_dates(series, column, func)
    parsed = pd.to_datetime(series, errors="coerce", format="mixed")
    bad = parsed.isna() & series.notna()
    if bad.any():
        raise DataError(
            f"{func}: column '{column}' has {int(bad.sum())} value(s) that are not dates, "
            f"e.g. {_show(series[bad].head(3).tolist())}. Use ISO dates such as '2024-03-31' "
            "and leave the cell empty where there is no date."
        )
    return parsed


def require_known(
    data: pd.DataFrame,
    column: str,
    known: Iterable,
    func: str,
    *,
    name: str = "data",
    reference: str = "accounts",
) -> None:
    """Fail if ``column`` holds ids that are not in ``known`` (the ids of table ``reference``).

    Ids are compared as text, so 7 and "7" match; empty cells are left to
    :func:`require_no_missing`.
    """
    known = pd.Index(list(known)).astype(str)
    unknown = pd.Index(data[column].dropna().astype(str).unique()).difference(known)
    if len(unknown):
        raise DataError(
            f"{func}: {len(unknown)} value(s) of '{column}' in '{name}' are not in '{reference}' "
            f"(e.g. {_show(unknown)}). Pass the {reference} table that matches '{name}'."
        )


def as_binary(values, name: str, func: str) -> np.ndarray:
    """A 0/1 or True/False outcome (list, array or Series) as a bool array.

    Fails on missing values and on anything other than 0, 1, True and False.
    """
    series = pd.Series(values)
    if series.isna().any():
        raise DataError(
            f"{func}: '{name}' has {int(series.isna().sum())} missing value(s). Every case "
            "needs an outcome: fill them in or remove those rows."
        )
    if pd.api.types.is_bool_dtype(series):
        return series.to_numpy(dtype=bool)
    if pd.api.types.is_numeric_dtype(series) and series.isin([0, 1]).all():
        return series.to_numpy() == 1
    raise DataError(
        f"{func}: '{name}' must be True/False or 0/1, found e.g. "
        f"{_show(series[~series.isin([0, 1, True, False])].head(3).tolist())}."
    )


# ---------------------------------------------------------------------------------------------
# Arguments that are not tables: seeds, flags, lists of names, dicts
# ---------------------------------------------------------------------------------------------
def check_seed(seed, func: str, *, name: str = "seed") -> int:
    """A random seed: a whole number of at least 0 (``True``, ``-1``, ``"2"`` and 2.5 fail)."""
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise ParameterError(
            f"{func}: '{name}' must be a whole number of 0 or more, got {seed!r} "
            f"({type(seed).__name__}). The same seed gives the same random draws, e.g. {name}=1."
        )
    return int(seed)


def check_flag(value, name: str, func: str) -> bool:
    """A yes/no switch: only ``True`` or ``False`` (a string such as ``"no"`` is refused)."""
    if not isinstance(value, bool | np.bool_):
        raise ParameterError(
            f"{func}: '{name}' must be True or False, got {value!r} ({type(value).__name__})."
            + (
                " A non-empty string counts as True in Python; write False."
                if isinstance(value, str)
                else ""
            )
        )
    return bool(value)


def check_names(value, name: str, func: str, *, allow_empty: bool = False) -> list[str]:
    """A list of names (columns, criteria): one string counts as a list of one.

    Refuses numbers, dicts and lists holding anything but text, so a string is never read as
    its letters.
    """
    if isinstance(value, str):
        return [value]
    if isinstance(value, Mapping) or not isinstance(value, Iterable):
        raise ParameterError(
            f"{func}: '{name}' must be a list of names, got {value!r} ({type(value).__name__}). "
            "Pass e.g. ['industry', 'region']."
        )
    names = list(value)
    odd = [v for v in names if not isinstance(v, str)]
    if odd:
        raise ParameterError(
            f"{func}: '{name}' must hold names (text), found {_show(odd)}. Pass e.g. "
            "['industry', 'region']."
        )
    if not names and not allow_empty:
        raise ParameterError(f"{func}: '{name}' is empty. Name at least one.")
    return names


def check_mapping(value, name: str, func: str, *, example: str = "{'key': value}") -> dict:
    """A dict (or other mapping) argument, refused with an example when it is not one."""
    if not isinstance(value, Mapping):
        raise ParameterError(
            f"{func}: '{name}' must be a dict such as {example}, got {value!r} "
            f"({type(value).__name__})."
        )
    return dict(value)


@contextlib.contextmanager
def as_called_by(func: str):
    """Report errors and warnings of kamlib functions called inside as those of ``func``.

    A public function that builds on another (a chart on its table) wraps the inner call, so
    the message names the function the user called::

        with as_called_by("kamlib.concentration.plot_pareto"):
            table = decile_table(data)
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            yield
        except KamlibError as exc:
            renamed = _renamed(str(exc), func)
            if renamed is None:
                raise
            raise type(exc)(renamed) from exc
        finally:
            held = list(caught)
    for record in held:
        message = str(record.message)
        text = _renamed(message, func) or message
        warnings.warn(text, record.category, stacklevel=3)


def _renamed(message: str, func: str) -> str | None:
    """``message`` with its leading "<kamlib function>: " replaced by ``func``, or None."""
    head, sep, rest = message.partition(": ")
    if sep and head != func and " " not in head and ("kamlib." in head or "." in head):
        return f"{func}: {rest}"
    return None


def drop_missing_keys(
    data: pd.DataFrame, column: str, func: str, *, what: str = "account id", value_col=None
) -> pd.DataFrame:
    """Drop rows whose ``column`` is empty, with a warning that says how many and why."""
    missing = data[column].isna()
    if not missing.any():
        return data
    lost = ""
    if value_col is not None:
        values = pd.to_numeric(data[value_col], errors="coerce")
        total = float(values.sum())
        dropped = float(values[missing].sum())
        share = f", {dropped / total:.1%} of the total" if total else ""
        lost = f"; their {value_col} ({dropped:,.2f}{share}) is left out"
    warnings.warn(
        f"{func}: {int(missing.sum())} row(s) have no {what} in column '{column}'{lost}. "
        f"Fill in the {what}s to count those rows.",
        UserWarning,
        stacklevel=3,
    )
    return data.loc[~missing]
