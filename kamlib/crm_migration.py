"""Moving customer records into a new CRM system: profile, validate and clean the old export.

An old CRM export is typed by many hands over many years: the same company appears twice with
its name spelled differently, a region is ``"E"`` in one row and ``"华东"`` in the next, dates
come in five formats and a headcount reads ``"approx. 40"``. Before the records move into the
new system (数据迁移与清洗, data migration and cleaning) they are

* profiled (:func:`profile_export`): how many cells are empty, placeholders or in odd formats;
* checked against the target schema (:func:`target_schema`, :func:`validate_export`, with
  pandera's lazy validation), which lists every violation instead of stopping at the first;
* standardised (:func:`standardise_export` and the parsers it uses): one spelling for names,
  region and industry codes, phone numbers, dates, credit limits and headcounts.

Linking the clean records to today's accounts, and finding the duplicates, is the job of
:mod:`kamlib.record_linkage`.

>>> raw = pd.DataFrame({"legacy_id": ["L1", "L2"], "company": ["ANDA TOOLS CO LTD", "Anda Tools"],
...                     "region_code": ["华东", "E"], "created": ["2019-03-01", "20190301"]})
>>> clean = standardise_export(raw)
>>> clean[["company", "region", "created"]].to_dict("list")  # doctest: +NORMALIZE_WHITESPACE
{'company': ['Anda Tools Co., Ltd.', 'Anda Tools Co., Ltd.'], 'region': ['East', 'East'],
 'created': [Timestamp('2019-03-01 00:00:00'), Timestamp('2019-03-01 00:00:00')]}
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from kamlib.errors import DataError, ParameterError
from kamlib.validation import as_timestamp, require_columns, require_frame, require_unique

__all__ = [
    "AREA_CODE_REGION",
    "INDUSTRY_ALIASES",
    "LEGACY_TO_TARGET",
    "REGION_ALIASES",
    "name_key",
    "parse_amounts",
    "parse_dates",
    "parse_headcounts",
    "parse_phones",
    "profile_export",
    "standardise_export",
    "standardise_names",
    "target_schema",
    "validate_export",
]

REGIONS = ("East", "North", "South", "Central", "West")
INDUSTRIES = (
    "Automotive",
    "Electronics",
    "Food & beverage",
    "Construction",
    "Chemicals",
    "Logistics",
    "Healthcare",
    "Machinery",
)

#: Spellings of each region found when profiling the export (compared trimmed and case-folded).
REGION_ALIASES: dict[str, tuple[str, ...]] = {
    "East": ("east", "e", "east china", "华东"),
    "North": ("north", "n", "north china", "华北"),
    "South": ("south", "s", "south china", "华南"),
    "Central": ("central", "c", "central china", "华中"),
    "West": ("west", "w", "west china", "西部", "华西"),
}
#: Spellings and codes of each industry (compared trimmed and case-folded).
INDUSTRY_ALIASES: dict[str, tuple[str, ...]] = {
    "Automotive": ("automotive", "auto", "car parts"),
    "Electronics": ("electronics", "elec", "electronic"),
    "Food & beverage": ("food & beverage", "f&b", "food and beverage", "food"),
    "Construction": ("construction", "const", "building"),
    "Chemicals": ("chemicals", "chem", "chemical"),
    "Logistics": ("logistics", "log", "transport & logistics", "transport"),
    "Healthcare": ("healthcare", "health", "health care", "medical"),
    "Machinery": ("machinery", "mach", "machines"),
}
#: Telephone area codes of the regions' main cities (Shanghai, Beijing, Guangzhou, Wuhan,
#: Chengdu); a phone number tells the region when the region field is empty.
AREA_CODE_REGION = {"21": "East", "10": "North", "20": "South", "27": "Central", "28": "West"}


PLACEHOLDERS = {"", "n/a", "na", "-", "--", "unknown", "none", "null", "?"}
LEGACY_COLUMNS = ("legacy_id", "company", "region_code", "industry_code", "phone", "created")
_SUFFIX = re.compile(
    r"(company\s+limited|co\.?\s*,?\s*ltd\.?|co\.?\s+limited|limited|ltd\.?|有限公司)\s*$",
    re.IGNORECASE,
)
_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%d/%m/%Y", "%b %d, %Y", "%Y%m%d")


# ---------------------------------------------------------------------------------------------
# Checks
# ---------------------------------------------------------------------------------------------
def _check_export(raw, func: str, required: Iterable[str] = ("legacy_id",)) -> pd.DataFrame:
    require_frame(raw, func, name="export")
    require_columns(raw, list(required), func)
    return raw


def _check_series(values, func: str, name: str) -> pd.Series:
    if isinstance(values, pd.Series):
        return values
    if isinstance(values, list | tuple | np.ndarray):
        return pd.Series(list(values), dtype=object)
    raise DataError(
        f"{func}: '{name}' must be a pandas Series or a list of values, got "
        f"{type(values).__name__}. Pass one column of the export, e.g. export['{name}']."
    )


def _text(values: pd.Series) -> pd.Series:
    """Trimmed text with placeholders ('n/a', '-', 'unknown', ...) turned into missing."""
    text = values.astype("string").str.strip()
    return text.mask(text.str.lower().isin(PLACEHOLDERS))


def _lookup(values: pd.Series, aliases: Mapping[str, Iterable[str]]) -> pd.Series:
    table = {alias.casefold(): canon for canon, names in aliases.items() for alias in names}
    table |= {canon.casefold(): canon for canon in aliases}
    keys = _text(values).str.casefold()
    return pd.Series(
        [table.get(k) if isinstance(k, str) else None for k in keys],
        index=values.index,
        dtype=object,
    )


# ---------------------------------------------------------------------------------------------
# Standardising one column
# ---------------------------------------------------------------------------------------------
def name_key(values) -> pd.Series:
    """A company name reduced to what identifies it: lower case, no legal suffix, no punctuation.

    Used to compare names: ``"ANDA TOOLS CO., LTD."`` and ``"Anda Tools Company Limited"``
    have the same key. Missing names stay missing.

    Parameters
    ----------
    values : pandas.Series or list of str
        Company names as typed.

    Returns
    -------
    pandas.Series
        The keys (text), on the same index.

    Examples
    --------
    >>> name_key(["  ANDA TOOLS (East) CO., LTD. ", "Anda Tools (East) 有限公司", None]).tolist()
    ['anda tools east', 'anda tools east', None]
    """
    values = _check_series(values, "kamlib.crm_migration.name_key", "company")
    text = _text(values)
    keys = []
    for name in text:
        if not isinstance(name, str):
            keys.append(None)
            continue
        base = _SUFFIX.sub("", name.casefold()).strip(" ,.")
        base = re.sub(r"[^\w\s]", " ", base)
        keys.append(re.sub(r"\s+", " ", base).strip() or None)
    return pd.Series(keys, index=values.index, dtype=object)


def standardise_names(values) -> pd.Series:
    """Company names in one style: title case and the legal suffix written ``Co., Ltd.``.

    Parameters
    ----------
    values : pandas.Series or list of str
        Company names as typed.

    Returns
    -------
    pandas.Series
        Clean display names; missing stay missing.

    Examples
    --------
    >>> standardise_names(["hongtu machinery (central) co ltd", "ANDA TOOLS 有限公司"]).tolist()
    ['Hongtu Machinery (Central) Co., Ltd.', 'Anda Tools Co., Ltd.']
    """
    values = _check_series(values, "kamlib.crm_migration.standardise_names", "company")
    out = []
    for name in _text(values):
        if not isinstance(name, str):
            out.append(None)
            continue
        base = _SUFFIX.sub("", name).strip(" ,.")
        base = re.sub(r"\s+", " ", base)
        words = [w if "&" in w else w[:1].upper() + w[1:].lower() for w in base.split(" ")]
        words = [re.sub(r"^\((\w)", lambda m: "(" + m.group(1).upper(), w) for w in words]
        out.append(" ".join(words) + " Co., Ltd.")
    return pd.Series(out, index=values.index, dtype=object)


def parse_phones(values) -> pd.DataFrame:
    """Phone numbers in one format (``+86 21 5270 3876``) and the region their area code gives.

    Accepts ``+86 21 5270 3876``, ``021-52703876``, ``(021) 5270-3876`` and ``02152703876``;
    anything else (``"n/a"``, three digits) becomes missing.

    Parameters
    ----------
    values : pandas.Series or list of str
        Phone numbers as typed.

    Returns
    -------
    pandas.DataFrame
        ``phone`` (standard form or missing) and ``phone_region`` (from the area code, see
        :data:`AREA_CODE_REGION`; missing when the code is not one of them).

    Examples
    --------
    >>> parse_phones(["(021) 5270-3876", "+86 10 1494 3176", "194"]).to_dict("list")
    {'phone': ['+86 21 5270 3876', '+86 10 1494 3176', None], 'phone_region': ['East', 'North', None]}
    """
    values = _check_series(values, "kamlib.crm_migration.parse_phones", "phone")
    phones, regions = [], []
    for raw in _text(values):
        digits = re.sub(r"\D", "", raw) if isinstance(raw, str) else ""
        if digits.startswith("86") and len(digits) == 12:
            digits = "0" + digits[2:]
        if len(digits) == 11 and digits.startswith("0"):
            area, local = digits[1:3], digits[3:]
            phones.append(f"+86 {area} {local[:4]} {local[4:]}")
            regions.append(AREA_CODE_REGION.get(area))
        else:
            phones.append(None)
            regions.append(None)
    return pd.DataFrame(
        {
            "phone": pd.Series(phones, index=values.index, dtype=object),
            "phone_region": pd.Series(regions, index=values.index, dtype=object),
        }
    )


def parse_dates(values, *, latest=None) -> pd.Series:
    """Dates typed in several formats, as datetimes; impossible or empty ones become NaT.

    Tries ``2019-02-24``, ``2019/02/24``, ``24/02/2019``, ``Feb 24, 2019`` and ``20190224`` in
    turn. A value none of them reads (``"2019-13-30"``, ``"unknown"``) becomes NaT; so does a
    date after ``latest``.

    Parameters
    ----------
    values : pandas.Series or list of str
        Dates as typed.
    latest : date-like, optional
        The last plausible date (e.g. the day of the export).

    Returns
    -------
    pandas.Series
        datetime64 values on the same index.

    Raises
    ------
    DataError
        If not a single value can be read as a date (wrong column?).

    Examples
    --------
    >>> parse_dates(["2019-02-24", "24/02/2019", "Feb 24, 2019", "2019-13-24"]).dt.day.tolist()
    [24.0, 24.0, 24.0, nan]
    """
    func = "kamlib.crm_migration.parse_dates"
    values = _check_series(values, func, "created")
    text = _text(values.astype(object).map(lambda v: v if v is None else str(v)))
    parsed = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
    for fmt in _DATE_FORMATS:
        todo = parsed.isna() & text.notna()
        if todo.any():
            parsed[todo] = pd.to_datetime(text[todo], format=fmt, errors="coerce")
    if latest is not None:
        if isinstance(latest, bool | int | float | np.integer | np.floating):
            raise ParameterError(
                f"{func}: 'latest' must be a date such as '2022-12-31', got {latest!r}."
            )
        parsed = parsed.mask(parsed > as_timestamp(latest, "latest", func))
    if text.notna().any() and parsed.notna().sum() == 0:
        raise DataError(
            f"{func}: none of the {int(text.notna().sum())} filled value(s) is a date, e.g. "
            f"{text.dropna().head(3).tolist()}. Pass the column that holds dates, written like "
            "'2019-02-24', '2019/02/24', '24/02/2019', 'Feb 24, 2019' or '20190224'."
        )
    return parsed


def parse_amounts(values) -> pd.Series:
    """Money amounts such as ``"¥20,000"``, ``"RMB 20k"``, ``"CNY 20000"`` as yuan (float).

    Parameters
    ----------
    values : pandas.Series or list
        Amounts as typed (numbers pass through).

    Returns
    -------
    pandas.Series
        Amounts in yuan; ``"-"``, empty and unreadable cells are NaN.

    Examples
    --------
    >>> parse_amounts(["¥20,000", "RMB 370k", "80,000.00", "CNY 5000", "-"]).tolist()
    [20000.0, 370000.0, 80000.0, 5000.0, nan]
    """
    values = _check_series(values, "kamlib.crm_migration.parse_amounts", "credit_limit")
    out = []
    for raw in _text(values.astype(object).map(lambda v: v if v is None else str(v))):
        if not isinstance(raw, str):
            out.append(np.nan)
            continue
        text = re.sub(r"(?i)^(¥|rmb|cny)\s*", "", raw.replace(",", "")).strip()
        match = re.fullmatch(r"(\d+(?:\.\d+)?)\s*([kK]?)", text)
        if match is None:
            out.append(np.nan)
            continue
        out.append(float(match.group(1)) * (1000 if match.group(2) else 1))
    return pd.Series(out, index=values.index, dtype=float)


def parse_headcounts(values) -> pd.DataFrame:
    """Headcounts such as ``"238"``, ``"1,238"``, ``"approx. 40"``, ``"~42"``, ``"0.2k"``.

    Parameters
    ----------
    values : pandas.Series or list
        Headcounts as typed.

    Returns
    -------
    pandas.DataFrame
        ``employees`` (a whole number, or missing) and ``employees_approx`` (True when the
        source said "approx.", "~" or wrote thousands, so the number is rounded). A value that
        comes out as 0 (``"0.0k"``: fewer than 50 people) is missing: the count is unknown.

    Examples
    --------
    >>> parse_headcounts(["238", "approx. 40", "0.2k", "0.0k"]).to_dict("list")
    {'employees': [238, 40, 200, None], 'employees_approx': [False, True, True, True]}
    """
    values = _check_series(values, "kamlib.crm_migration.parse_headcounts", "employees")
    counts, approx = [], []
    for raw in _text(values.astype(object).map(lambda v: v if v is None else str(v))):
        if not isinstance(raw, str):
            counts.append(pd.NA)
            approx.append(False)
            continue
        rough = bool(re.match(r"(?i)^(approx\.?|about|~|ca\.?)", raw)) or raw.lower().endswith("k")
        text = re.sub(r"(?i)^(approx\.?|about|~|ca\.?)\s*", "", raw.replace(",", ""))
        match = re.fullmatch(r"(\d+(?:\.\d+)?)\s*([kK]?)", text)
        number = round(float(match.group(1)) * (1000 if match.group(2) else 1)) if match else 0
        counts.append(number if number > 0 else pd.NA)
        approx.append(rough)
    return pd.DataFrame(
        {"employees": pd.array(counts, dtype="Int64"), "employees_approx": approx},
        index=values.index,
    )


def _owners(values: pd.Series, known: Iterable[str] | None) -> pd.Series:
    text = _text(values).str.title()
    if known is None:
        return text.astype(object)
    known = {k.casefold(): k for k in known}
    out = []
    for name in text:
        if not isinstance(name, str):
            out.append(None)
            continue
        swapped = " ".join(name.split(" ")[::-1])
        out.append(known.get(name.casefold()) or known.get(swapped.casefold()) or name)
    return pd.Series(out, index=values.index, dtype=object)


# ---------------------------------------------------------------------------------------------
# The whole export
# ---------------------------------------------------------------------------------------------
def profile_export(export: pd.DataFrame) -> pd.DataFrame:
    """How full and how tidy each column of an export is.

    Parameters
    ----------
    export : pandas.DataFrame
        The raw export, one row per record.

    Returns
    -------
    pandas.DataFrame
        One row per column: ``empty`` (blank cells), ``placeholder`` (cells such as ``"n/a"``,
        ``"-"``, ``"unknown"``), ``distinct`` (different values after trimming), ``spellings``
        (different values once trimmed and case-folded: far fewer than ``distinct`` means the
        same thing typed many ways) and ``examples`` (the three most frequent values).

    Examples
    --------
    >>> raw = pd.DataFrame({"legacy_id": ["L1", "L2", "L3"], "region_code": ["E", " e", "n/a"]})
    >>> profile_export(raw).loc["region_code", ["empty", "placeholder", "distinct", "spellings"]]
    ... # doctest: +NORMALIZE_WHITESPACE
    empty          0
    placeholder    1
    distinct       3
    spellings      2
    Name: region_code, dtype: object
    """
    export = _check_export(export, "kamlib.crm_migration.profile_export", required=())
    rows = {}
    for column in export.columns:
        raw = export[column]
        text = raw.astype("string").str.strip()
        placeholder = text.str.lower().isin(PLACEHOLDERS - {""}).fillna(False)
        rows[column] = {
            "empty": int((raw.isna() | (text == "")).sum()),
            "placeholder": int(placeholder.sum()),
            "distinct": int(text.nunique()),
            "spellings": int(text.str.casefold().nunique()),
            "examples": text.value_counts().head(3).index.tolist(),
        }
    return pd.DataFrame.from_dict(rows, orient="index").astype(object)


def _is_plausible_date(value, latest: pd.Timestamp) -> bool:
    if isinstance(value, str):
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
            return False
        value = pd.to_datetime(value.strip(), format="%Y-%m-%d", errors="coerce")
    if not isinstance(value, pd.Timestamp | np.datetime64) or pd.isna(value):
        return False
    return pd.Timestamp("1990-01-01") <= pd.Timestamp(value) < latest


#: Names of the old export's columns in the target schema (used by :func:`validate_export`).
LEGACY_TO_TARGET = {
    "region_code": "region",
    "industry_code": "industry",
    "credit_limit": "credit_limit_cny",
}


def target_schema(*, latest="2023-01-01"):
    """The pandera schema the new CRM system expects of a migrated account record.

    Parameters
    ----------
    latest : date-like
        The last plausible creation date (the old system was switched off then).

    Returns
    -------
    pandera.pandas.DataFrameSchema
        Columns ``legacy_id`` (unique, like ``CRM-00001``), ``company`` (filled), ``region`` and
        ``industry`` (one of the course's levels), ``phone`` (``+86 dd dddd dddd`` or empty),
        ``created`` (a date before ``latest``), ``credit_limit_cny`` (0 or more, or empty),
        ``employees`` (1 or more, or empty).

    Examples
    --------
    >>> sorted(target_schema().columns)[:3]
    ['company', 'created', 'credit_limit_cny']
    """
    import pandera.pandas as pa

    func = "kamlib.crm_migration.target_schema"
    if isinstance(latest, bool | int | float | np.integer | np.floating):
        raise ParameterError(
            f"{func}: 'latest' must be a date such as '2023-01-01', got {latest!r}."
        )
    latest = as_timestamp(latest, "latest", func)
    return pa.DataFrameSchema(
        {
            "legacy_id": pa.Column(str, pa.Check.str_matches(r"^CRM-\d{5}$"), unique=True),
            "company": pa.Column(str, nullable=False),
            "region": pa.Column(str, pa.Check.isin(REGIONS), nullable=False),
            "industry": pa.Column(str, pa.Check.isin(INDUSTRIES), nullable=False),
            "phone": pa.Column(
                str, pa.Check.str_matches(r"^\+86 \d{2} \d{4} \d{4}$"), nullable=True
            ),
            "created": pa.Column(
                checks=pa.Check(
                    lambda v: _is_plausible_date(v, latest),
                    element_wise=True,
                    name=f"ISO date from 1990-01-01 to before {latest.date()}",
                ),
                nullable=False,
            ),
            "credit_limit_cny": pa.Column(float, pa.Check.ge(0), nullable=True, coerce=True),
            "employees": pa.Column("Int64", pa.Check.ge(1), nullable=True, coerce=True),
        },
        strict=False,
    )


def validate_export(table: pd.DataFrame, *, schema=None) -> pd.DataFrame:
    """Every violation of the target schema, one row each (pandera, lazy validation).

    Validation does not stop at the first problem: all failing cells are listed, so the
    migration team sees the whole clean-up job at once. A raw export fails on almost every
    column; after :func:`standardise_export` only the truly missing or impossible values remain.
    The old export's column names are read as their target names (:data:`LEGACY_TO_TARGET`:
    ``region_code`` is checked as ``region``, and so on), so a raw export is checked cell by cell.

    Parameters
    ----------
    table : pandas.DataFrame
        The records to check (raw or standardised).
    schema : pandera.pandas.DataFrameSchema, optional
        Default :func:`target_schema`.

    Returns
    -------
    pandas.DataFrame
        Columns ``column``, ``check`` (what was required), ``row`` (index label, or missing for a
        whole-column problem such as a missing column), ``legacy_id`` and ``value`` (what was
        found). No rows means the table fits the schema.

    Examples
    --------
    >>> t = pd.DataFrame({"legacy_id": ["CRM-00001", "X"], "company": ["Anda Tools", None]})
    >>> report = validate_export(t)
    >>> report.groupby("column").size().to_dict()  # doctest: +NORMALIZE_WHITESPACE
    {'company': 1, 'created': 1, 'credit_limit_cny': 1, 'employees': 1, 'industry': 1,
     'legacy_id': 1, 'phone': 1, 'region': 1}
    """
    import pandera.errors

    func = "kamlib.crm_migration.validate_export"
    require_frame(table, func, name="table")
    schema = target_schema() if schema is None else schema
    columns = ["column", "check", "row", "legacy_id", "value"]
    renames = {k: v for k, v in LEGACY_TO_TARGET.items() if v not in table.columns}
    table = table.rename(columns=renames)
    try:
        with warnings.catch_warnings():
            # pandas warns while pandera tries to read odd dates; the report lists them anyway
            warnings.simplefilter("ignore", UserWarning)
            schema.validate(table.copy(), lazy=True)
    except pandera.errors.SchemaErrors as err:
        cases = err.failure_cases
    else:
        return pd.DataFrame(columns=columns)
    ids = table["legacy_id"] if "legacy_id" in table.columns else pd.Series(dtype=object)
    rows = []
    for case in cases.itertuples(index=False):
        index = case.index if pd.notna(case.index) else None
        column = case.column if isinstance(case.column, str) else str(case.failure_case)
        rows.append(
            {
                "column": column,
                "check": str(case.check),
                "row": index,
                "legacy_id": ids.get(index) if index is not None else None,
                "value": case.failure_case,
            }
        )
    return pd.DataFrame(rows, columns=columns)


def standardise_export(
    export: pd.DataFrame, *, known_owners: Iterable[str] | None = None, latest="2023-01-01"
) -> pd.DataFrame:
    """One clean record per legacy record: every field in one spelling and one type.

    Nothing is dropped: a cell that cannot be read becomes missing (and stays visible to
    :func:`validate_export`), and a warning says how many cells of each column were unreadable.
    Empty cells are allowed in every column but ``legacy_id``: they stay missing (a record
    without a name goes to review when it is linked, one without a region is compared with all
    accounts).

    Parameters
    ----------
    export : pandas.DataFrame
        The old system's export with ``legacy_id``, ``company``, ``region_code``,
        ``industry_code``, ``phone`` and ``created``; ``credit_limit``, ``employees`` and
        ``owner`` are used when present.
    known_owners : iterable of str, optional
        Today's spelling of the account owners' names; a name typed given-name first is
        turned round to match.
    latest : date-like
        A creation date on or after this day is implausible and becomes missing.

    Returns
    -------
    pandas.DataFrame
        ``legacy_id``, ``company``, ``name_key`` (see :func:`name_key`), ``region`` (from the
        region field, else from the phone's area code), ``industry``, ``phone``, ``created``,
        ``credit_limit_cny``, ``employees``, ``employees_approx``, ``owner``, on the export's
        index.

    Raises
    ------
    DataError
        If a required column is missing, the export is empty, ``legacy_id`` repeats or has
        blanks, or no value of ``created`` is a date.

    Examples
    --------
    >>> raw = pd.DataFrame({"legacy_id": ["L1"], "company": ["anda tools co ltd"],
    ...                     "region_code": [None], "industry_code": ["MACH"],
    ...                     "phone": ["021-52703876"], "created": ["Mar 01, 2019"]})
    >>> standardise_export(raw).loc[0, ["company", "region", "industry", "phone"]].tolist()
    ['Anda Tools Co., Ltd.', 'East', 'Machinery', '+86 21 5270 3876']
    """
    func = "kamlib.crm_migration.standardise_export"
    _check_export(export, func, required=("legacy_id", "company", "region_code", "created"))
    if isinstance(latest, bool | int | float | np.integer | np.floating):
        raise ParameterError(
            f"{func}: 'latest' must be a date such as '2023-01-01', got {latest!r}."
        )
    latest = as_timestamp(latest, "latest", func)
    if export["legacy_id"].isna().any():
        raise DataError(
            f"{func}: column 'legacy_id' has {int(export['legacy_id'].isna().sum())} empty "
            "cell(s). Every record needs its number in the old system to be traced."
        )
    require_unique(export, "legacy_id", func)

    def get(column: str) -> pd.Series:
        if column in export.columns:
            return export[column]
        return pd.Series(None, index=export.index, dtype=object)

    phones = parse_phones(get("phone"))
    heads = parse_headcounts(get("employees"))
    region = _lookup(export["region_code"], REGION_ALIASES)
    clean = pd.DataFrame(
        {
            "legacy_id": export["legacy_id"].astype(str),
            "company": standardise_names(export["company"]),
            "name_key": name_key(export["company"]),
            "region": region.fillna(phones["phone_region"]),
            "industry": _lookup(get("industry_code"), INDUSTRY_ALIASES),
            "phone": phones["phone"],
            "created": parse_dates(
                export["created"], latest=pd.Timestamp(latest) - pd.Timedelta(days=1)
            ),
            "credit_limit_cny": parse_amounts(get("credit_limit")),
            "employees": heads["employees"],
            "employees_approx": heads["employees_approx"],
            "owner": _owners(get("owner"), known_owners),
        },
        index=export.index,
    )
    unreadable = {}
    for source, target in [
        ("region_code", "region"),
        ("industry_code", "industry"),
        ("phone", "phone"),
        ("created", "created"),
        ("credit_limit", "credit_limit_cny"),
        ("employees", "employees"),
    ]:
        if source in export.columns:
            filled = _text(export[source].astype(object).map(lambda v: v if v is None else str(v)))
            n = int((filled.notna() & clean[target].isna()).sum())
            if n:
                unreadable[source] = n
    if unreadable:
        listed = ", ".join(f"{k}: {v}" for k, v in unreadable.items())
        warnings.warn(
            f"{func}: cells that could not be read were set to missing ({listed}); no record "
            "was dropped. validate_export lists them row by row.",
            UserWarning,
            stacklevel=2,
        )
    return clean
