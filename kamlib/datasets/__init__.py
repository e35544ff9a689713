"""The course datasets: load them typed and checked, or check your own table of the same kind.

>>> from kamlib import datasets
>>> accounts = datasets.load("accounts")
>>> accounts["size_band"].cat.categories.tolist()
['Small', 'Medium', 'Large', 'Enterprise']

The same checks apply to your own CSV (``datasets.load("orders", path="my_orders.csv")``) or
to a DataFrame you already have (``datasets.validate(frame, "orders")``). Every problem found is
listed in one :class:`~kamlib.errors.DataError`.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pandas as pd

from kamlib.datasets.schemas import SCHEMAS, Column, Schema
from kamlib.errors import DataError, ParameterError

__all__ = ["data_dir", "load", "names", "schema", "true_parameters", "validate"]

ENV_VAR = "KAMLIB_DATA"
ORDERED = {"size_band", "stage_reached", "age_band", "city_tier"}
_TRUE = {"true", "1", "yes"}
_FALSE = {"false", "0", "no"}


def names() -> list[str]:
    """Names of the course tables, in the order of the data cards."""
    return list(SCHEMAS)


def schema(name: str, *, func: str = "kamlib.datasets.schema") -> Schema:
    """The :class:`~kamlib.datasets.schemas.Schema` of table ``name``."""
    if not isinstance(name, str) or name not in SCHEMAS:
        raise ParameterError(
            f"{func}: no dataset called {name!r}. Choose one of: {', '.join(SCHEMAS)}."
        )
    return SCHEMAS[name]


def data_dir() -> Path:
    """Folder holding the course CSV files (``$KAMLIB_DATA`` if set, else the repo's datasets/)."""
    folder = Path(os.environ.get(ENV_VAR) or Path(__file__).resolve().parents[2] / "datasets")
    if not folder.is_dir():
        raise DataError(
            f"kamlib.datasets.data_dir: folder {folder} not found. Run from a clone of the course "
            f"repository, or set the {ENV_VAR} environment variable to the folder with the CSVs."
        )
    return folder


def true_parameters() -> dict:
    """The parameters the simulation used (the 'truth' methods should recover)."""
    file = data_dir() / "true_parameters.json"
    if not file.is_file():
        raise DataError(
            f"kamlib.datasets.true_parameters: {file} not found. The true parameters ship with "
            f"the course datasets; point {ENV_VAR} at the course's datasets/ folder."
        )
    with open(file, encoding="utf-8") as f:
        return json.load(f)


def load(name: str, path: str | os.PathLike | None = None, *, extra: str = "error") -> pd.DataFrame:
    """Load a course table, or your own CSV of the same kind, as a typed, checked DataFrame.

    Parameters
    ----------
    name : str
        Kind of table, one of :func:`names` (e.g. ``"orders"``).
    path : path-like, optional
        Your own CSV file. By default the course file ``<data_dir>/<name>.csv``.
    extra : {"error", "drop", "keep"}
        What to do with columns the schema does not know.

    Returns
    -------
    pandas.DataFrame
        Columns in schema order (then any kept extras); dates as ``datetime64``, categories as
        ``Categorical``, whole numbers as ``int64`` (``Int64`` where empty cells are allowed).

    Raises
    ------
    DataError
        Listing every problem: missing or extra columns, values of the wrong type, bad dates,
        negative money, labels outside the allowed set, duplicate ids.
    """
    func = "kamlib.datasets.load"
    spec = schema(name, func=func)
    if path is not None and not isinstance(path, str | os.PathLike):
        raise ParameterError(
            f"{func}: 'path' must be a file name such as 'my_orders.csv', got {path!r} "
            f"({type(path).__name__})."
        )
    file = Path(path) if path is not None else data_dir() / f"{name}.csv"
    if not file.is_file():
        raise DataError(f"{func}: file {file} not found for dataset {name!r}.")
    try:
        raw = pd.read_csv(file, dtype=str, keep_default_na=False, na_values=[""])
    except pd.errors.EmptyDataError as exc:
        raise DataError(f"{func}: {file} is empty. A CSV needs a header line.") from exc
    except (UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise DataError(
            f"{func}: {file} cannot be read as a CSV text file ({type(exc).__name__}). Save it "
            "from your spreadsheet as CSV UTF-8."
        ) from exc
    return _validate(raw, spec, extra, f"{func}({name!r})")


def validate(data: pd.DataFrame, name: str, *, extra: str = "error") -> pd.DataFrame:
    """Check an in-memory table against schema ``name`` and return a typed copy."""
    if not isinstance(data, pd.DataFrame):
        raise DataError(
            f"kamlib.datasets.validate: expected a pandas DataFrame, got {type(data).__name__}."
        )
    spec = schema(name, func="kamlib.datasets.validate")
    # Back to text as in a CSV, so a frame and a file pass through the very same checks.
    raw = data.copy()
    for column in raw.columns:
        if pd.api.types.is_datetime64_any_dtype(raw[column]):
            raw[column] = raw[column].dt.strftime("%Y-%m-%d")
        else:
            raw[column] = raw[column].astype(object).map(str, na_action="ignore")
    return _validate(raw, spec, extra, f"kamlib.datasets.validate({name!r})")


def _validate(raw: pd.DataFrame, spec: Schema, extra: str, where: str) -> pd.DataFrame:
    if extra not in ("error", "drop", "keep"):
        raise ParameterError(f"{where}: 'extra' must be 'error', 'drop' or 'keep', got {extra!r}.")
    problems: list[str] = []
    if raw.empty:
        problems.append("the table has no rows")
    missing = [c for c in spec.column_names if c not in raw.columns]
    unknown = [c for c in raw.columns if c not in spec.column_names]
    if missing:
        problems.append(f"missing column(s): {', '.join(missing)}")
    if unknown and extra == "error":
        problems.append(
            f"unexpected column(s): {', '.join(map(str, unknown))} "
            "(drop them, or pass extra='drop' or extra='keep')"
        )
    out = {
        col.name: _convert(raw[col.name], col, problems) for col in spec.columns if col.name in raw
    }
    if not problems and spec.key:
        dup = raw.duplicated(subset=list(spec.key), keep=False)
        if dup.any():
            shown = raw.loc[dup, list(spec.key)].head(3).to_dict("records")
            problems.append(
                f"duplicate id(s) in {', '.join(spec.key)}: {int(dup.sum())} rows, e.g. {shown}"
            )
    if problems:
        listing = "\n  - ".join(problems)
        raise DataError(
            f"{where}: the table does not match the {spec.name!r} schema:\n  - {listing}\n"
            f"See datasets/README.md for the expected columns."
        )
    frame = pd.DataFrame(out, index=pd.RangeIndex(len(raw)))
    if extra == "keep":
        for column in unknown:
            frame[column] = raw[column].to_numpy()
    return frame


def _sample(values: pd.Series) -> str:
    return ", ".join(repr(v) for v in values.head(3).tolist())


def _convert(values: pd.Series, col: Column, problems: list[str]) -> pd.Series | None:
    """Turn a column of text into its kind, adding a line to ``problems`` for each fault."""
    name = col.name
    empty = values.isna() | (values.astype(str).str.strip() == "")
    if empty.any() and not col.nullable:
        problems.append(
            f"column '{name}': {int(empty.sum())} empty value(s) where a value is required"
        )
    text = values.where(~empty)
    present = ~empty
    if col.kind in ("id", "text"):
        return text.astype("str").where(present)
    if col.kind == "category":
        bad = present & ~text.isin(col.levels)
        if bad.any():
            problems.append(
                f"column '{name}': {int(bad.sum())} value(s) outside {list(col.levels)}, "
                f"e.g. {_sample(text[bad])}"
            )
        valid = text.where(present & ~bad)
        return pd.Categorical(valid, categories=list(col.levels), ordered=name in ORDERED)
    if col.kind == "bool":
        lowered = text.str.lower()
        bad = present & ~lowered.isin(_TRUE | _FALSE)
        if bad.any():
            problems.append(
                f"column '{name}': {int(bad.sum())} value(s) that are not True/False, "
                f"e.g. {_sample(text[bad])}"
            )
            return None
        result = lowered.isin(_TRUE)
        return result.astype("boolean").where(present) if col.nullable else result
    if col.kind == "date":
        parsed = pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")
        bad = present & parsed.isna()
        if bad.any():
            problems.append(
                f"column '{name}': {int(bad.sum())} value(s) that are not ISO dates (YYYY-MM-DD), "
                f"e.g. {_sample(text[bad])}"
            )
        return parsed
    number = pd.to_numeric(text, errors="coerce")
    bad = present & number.isna()
    if bad.any():
        problems.append(
            f"column '{name}': {int(bad.sum())} value(s) that are not numbers, e.g. {_sample(text[bad])}"
        )
        return None
    if col.kind == "int":
        fractional = present & (number % 1 != 0)
        if fractional.any():
            problems.append(
                f"column '{name}': {int(fractional.sum())} value(s) that are not whole numbers, "
                f"e.g. {_sample(text[fractional])}"
            )
            return None
    infinite = present & np.isinf(number)
    if infinite.any():
        problems.append(
            f"column '{name}': {int(infinite.sum())} infinite value(s), e.g. "
            f"{_sample(text[infinite])}; give a finite number"
        )
        return None
    _check_range(number[present], col, problems)
    if empty.any() and not col.nullable:
        return None  # reported above; an integer column cannot hold the gap
    if col.kind == "int":
        return number.astype("Int64") if col.nullable else number.astype(np.int64)
    return number.astype(float)


def _check_range(number: pd.Series, col: Column, problems: list[str]) -> None:
    if col.kind == "money" and (number < 0).any():
        problems.append(
            f"column '{col.name}': {int((number < 0).sum())} negative amount(s), "
            f"e.g. {_sample(number[number < 0])}; money columns cannot be negative"
        )
        return
    if col.low is not None and (number < col.low).any():
        problems.append(
            f"column '{col.name}': value(s) below {col.low}, e.g. {_sample(number[number < col.low])}"
        )
    if col.high is not None and (number > col.high).any():
        problems.append(
            f"column '{col.name}': value(s) above {col.high}, e.g. {_sample(number[number > col.high])}"
        )
