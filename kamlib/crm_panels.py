"""The data of a CRM rollout, shaped as a panel: one row per unit and period, or per ticket.

The estimators of :mod:`kamlib.crm_impact` all read the same panel layout (columns ``unit``,
``time``, ``go_live``, ``treated``, ``event_time`` and the outcome ``y``):

* :func:`kpi_panel` from the region-month KPI table (``crm_kpis``);
* :func:`ticket_panel` from the service log, one row per resolved ticket;
* :func:`survey_panel` from the survey answers, one row per answer.

The functions are also importable from :mod:`kamlib.crm_impact`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kamlib.errors import DataError, ParameterError
from kamlib.validation import (
    require_columns,
    require_dates,
    require_frame,
    require_no_missing,
    require_numeric,
    require_unique,
)

__all__ = ["kpi_panel", "survey_panel", "ticket_panel"]

PANEL_COLUMNS = ("unit", "time", "go_live", "treated", "event_time", "y")


def _months_between(later: pd.Series, earlier: pd.Series) -> np.ndarray:
    return ((later.dt.year - earlier.dt.year) * 12 + later.dt.month - earlier.dt.month).to_numpy()


def _finish_panel(unit, time, go_live, y, index) -> pd.DataFrame:
    panel = pd.DataFrame(
        {"unit": np.asarray(unit).astype(str), "time": time, "go_live": go_live, "y": y},
        index=index,
    ).reset_index(drop=True)
    panel["treated"] = (panel["time"] >= panel["go_live"]).astype(int)
    panel["event_time"] = _months_between(panel["time"], panel["go_live"])
    return panel[list(PANEL_COLUMNS)]


def kpi_panel(
    kpis: pd.DataFrame,
    *,
    outcome: str = "avg_resolution_hours",
    log: bool = True,
    region_col: str = "region",
    month_col: str = "month",
    go_live_col: str = "go_live_month",
) -> pd.DataFrame:
    """The monthly KPI table as a region-month panel for the estimators.

    Parameters
    ----------
    kpis : pandas.DataFrame
        One row per region and month (the course's ``crm_kpis``).
    outcome : str
        The KPI to study (default ``avg_resolution_hours``).
    log : bool
        Take its logarithm, so effects read as relative changes (default True; needs values > 0).
    region_col, month_col, go_live_col : str
        Column names.

    Returns
    -------
    pandas.DataFrame
        ``unit`` (region), ``time`` (month), ``go_live``, ``treated`` (1 once live),
        ``event_time`` (months since go-live, negative before) and ``y`` (the outcome).

    Examples
    --------
    >>> kpis = pd.DataFrame({"region": ["E", "E"], "month": ["2023-03-01", "2023-04-01"],
    ...                      "go_live_month": ["2023-04-01"] * 2,
    ...                      "avg_resolution_hours": [20.0, 15.0]})
    >>> kpi_panel(kpis)[["treated", "event_time"]].to_dict("list")
    {'treated': [0, 1], 'event_time': [-1, 0]}
    """
    func = "kamlib.crm_impact.kpi_panel"
    require_frame(kpis, func, name="kpis")
    require_columns(kpis, [region_col, month_col, go_live_col, outcome], func)
    if not isinstance(log, bool):
        raise ParameterError(f"{func}: 'log' must be True or False, got {log!r}.")
    require_no_missing(kpis, region_col, func, what="region")
    y = require_numeric(kpis, outcome, func).astype(float)
    if log and (y <= 0).any():
        raise DataError(
            f"{func}: column '{outcome}' has {int((y <= 0).sum())} value(s) of 0 or less, which "
            "have no logarithm. Pass log=False or remove those rows."
        )
    month = require_dates(kpis, month_col, func)
    go_live = require_dates(kpis, go_live_col, func)
    return _finish_panel(kpis[region_col], month, go_live, np.log(y) if log else y, kpis.index)


def ticket_panel(
    interactions: pd.DataFrame,
    accounts: pd.DataFrame,
    go_live: dict,
    *,
    types=("ticket", "complaint"),
) -> pd.DataFrame:
    """One row per ticket: log resolution hours, the account's region and its go-live month.

    Finer than the monthly averages: each month has many tickets, so the month effects of the
    two-stage estimator are never fitted on a single observation.

    Parameters
    ----------
    interactions : pandas.DataFrame
        The contact log with ``account_id``, ``interaction_date``, ``interaction_type`` and
        ``resolution_hours``.
    accounts : pandas.DataFrame
        ``account_id`` and ``region``.
    go_live : dict
        ``{region: go-live date}`` (in the course: ``true_parameters()["crm_rollout"]["go_live"]``).
    types : tuple of str
        Interaction types that have a resolution time.

    Returns
    -------
    pandas.DataFrame
        As :func:`kpi_panel`, with ``time`` the ticket's month, ``y`` its log hours, plus
        ``complaint`` (1 for complaints, which take longer).

    Examples
    --------
    >>> log = pd.DataFrame({"account_id": ["T01", "T01"], "interaction_type": ["ticket"] * 2,
    ...                     "interaction_date": pd.to_datetime(["2023-03-05", "2023-04-09"]),
    ...                     "resolution_hours": [20.0, 10.0]})
    >>> acc = pd.DataFrame({"account_id": ["T01"], "region": ["East"]})
    >>> ticket_panel(log, acc, {"East": "2023-04-01"})[["treated", "event_time"]].to_dict("list")
    {'treated': [0, 1], 'event_time': [-1, 0]}
    """
    func = "kamlib.crm_impact.ticket_panel"
    require_frame(interactions, func, name="interactions")
    cols = ["account_id", "interaction_date", "interaction_type", "resolution_hours"]
    require_columns(interactions, cols, func)
    require_frame(accounts, func, name="accounts")
    require_columns(accounts, ["account_id", "region"], func)
    if not isinstance(go_live, dict) or not go_live:
        raise ParameterError(
            f"{func}: 'go_live' must be a non-empty dict {{region: date}}, got {go_live!r}."
        )
    require_no_missing(interactions, "interaction_type", func, what="interaction type")
    require_unique(accounts, "account_id", func)
    tickets = interactions[interactions["interaction_type"].isin(list(types))]
    if tickets.empty:
        raise DataError(f"{func}: no interaction of type {list(types)}; nothing to study.")
    hours = require_numeric(tickets, "resolution_hours", func).astype(float)
    if (hours <= 0).any():
        raise DataError(
            f"{func}: 'resolution_hours' has {int((hours <= 0).sum())} value(s) of 0 or less."
        )
    day = require_dates(tickets, "interaction_date", func)
    region = tickets["account_id"].map(accounts.set_index("account_id")["region"]).astype(object)
    unknown = region.isna() | ~region.isin(list(go_live))
    if unknown.any():
        raise DataError(
            f"{func}: {int(unknown.sum())} ticket(s) belong to accounts or regions missing from "
            f"'accounts' or 'go_live' (e.g. {tickets.loc[unknown, 'account_id'].head(3).tolist()})."
        )
    start = pd.to_datetime(region.map(go_live))
    month = day.dt.to_period("M").dt.to_timestamp()
    panel = _finish_panel(region, month, start, np.log(hours), tickets.index)
    panel["complaint"] = (tickets["interaction_type"].to_numpy() == "complaint").astype(int)
    return panel


def survey_panel(
    surveys: pd.DataFrame,
    accounts: pd.DataFrame,
    go_live: dict,
    *,
    outcome: str = "responsiveness",
) -> pd.DataFrame:
    """Survey answers as a panel: region, survey year, live or not when the account answered.

    Parameters
    ----------
    surveys : pandas.DataFrame
        ``account_id``, ``survey_date`` and the rating ``outcome``.
    accounts : pandas.DataFrame
        ``account_id`` and ``region``.
    go_live : dict
        ``{region: go-live date}``.
    outcome : str
        The rating to study (e.g. ``responsiveness``, ``csat``).

    Returns
    -------
    pandas.DataFrame
        As :func:`kpi_panel` with ``time`` the first day of the survey's year, ``treated`` 1 if
        the region was live on the survey date, ``y`` the rating.

    Examples
    --------
    >>> s = pd.DataFrame({"account_id": ["T01", "T01"], "responsiveness": [3, 4],
    ...                   "survey_date": pd.to_datetime(["2022-11-05", "2023-11-05"])})
    >>> acc = pd.DataFrame({"account_id": ["T01"], "region": ["East"]})
    >>> survey_panel(s, acc, {"East": "2023-04-01"})["treated"].tolist()
    [0, 1]
    """
    func = "kamlib.crm_impact.survey_panel"
    require_frame(surveys, func, name="surveys")
    require_columns(surveys, ["account_id", "survey_date", outcome], func)
    require_frame(accounts, func, name="accounts")
    require_columns(accounts, ["account_id", "region"], func)
    if not isinstance(go_live, dict) or not go_live:
        raise ParameterError(f"{func}: 'go_live' must be a non-empty dict {{region: date}}.")
    require_unique(accounts, "account_id", func)
    y = require_numeric(surveys, outcome, func).astype(float)
    day = require_dates(surveys, "survey_date", func)
    region = surveys["account_id"].map(accounts.set_index("account_id")["region"]).astype(object)
    if region.isna().any() or not region.isin(list(go_live)).all():
        raise DataError(f"{func}: some surveyed accounts have no region listed in 'go_live'.")
    start = pd.to_datetime(region.map(go_live))
    panel = _finish_panel(region, day.dt.to_period("Y").dt.to_timestamp(), start, y, surveys.index)
    panel["treated"] = (day.to_numpy() >= start.to_numpy()).astype(int)
    return panel


def _check_panel(panel, func: str) -> pd.DataFrame:
    """Validate a panel; return a copy with ``time`` and ``go_live`` as datetimes."""
    require_frame(panel, func, name="panel")
    require_columns(panel, list(PANEL_COLUMNS), func)
    for column in PANEL_COLUMNS:
        require_no_missing(
            panel, column, func, fix="Build the panel with kpi_panel or ticket_panel."
        )
    for column in ("y", "event_time"):
        require_numeric(panel, column, func)
    panel = panel.copy()
    for column in ("time", "go_live"):
        if pd.api.types.is_numeric_dtype(panel[column]):
            raise DataError(
                f"{func}: column '{column}' holds numbers, not dates. Use dates such as "
                "'2023-04-01' (kpi_panel and ticket_panel build them)."
            )
        panel[column] = require_dates(panel, column, func)
    treated = panel["treated"]
    if not treated.isin([0, 1]).all():
        raise DataError(f"{func}: column 'treated' must hold 0/1 (or False/True) only.")
    if treated.nunique() < 2:
        raise DataError(
            f"{func}: every row has treated = {int(treated.iloc[0])}; an effect needs rows both "
            "before and after go-live."
        )
    return panel
