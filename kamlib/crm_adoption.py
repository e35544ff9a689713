"""Training and adoption: how fast staff take up a new CRM system after go-live.

A CRM system only changes results when people use it. Adoption (培训与推广, training and
promotion) is tracked as the share of the staff who work with accounts and use the system each
week, month by month after their region went live. The course data hold no log-in records, so
:func:`adoption_table` builds a small illustrative table from stated adoption curves
(:data:`ADOPTION`); :func:`plot_adoption` draws it.

>>> adoption_table(months=2)["region"].unique().tolist()
['East', 'South', 'North', 'Central', 'West']
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kamlib import plot
from kamlib.errors import DataError
from kamlib.validation import check_number, require_columns, require_frame, require_numeric

__all__ = ["ADOPTION", "adoption_table", "plot_adoption"]

#: Staff who work with accounts in each region, and how fast they took the system up: the
#: share of staff using it weekly after m months is ``ceiling / (1 + exp(-speed * (m - mid)))``.
#: Illustrative numbers for the teaching case (the KPI data do not record logins).
ADOPTION = {
    "East": {"staff": 48, "ceiling": 0.95, "speed": 0.9, "mid": 2.0},
    "South": {"staff": 34, "ceiling": 0.90, "speed": 0.7, "mid": 2.5},
    "North": {"staff": 36, "ceiling": 0.85, "speed": 0.6, "mid": 3.5},
    "Central": {"staff": 24, "ceiling": 0.90, "speed": 1.0, "mid": 1.5},
    "West": {"staff": 20, "ceiling": 0.75, "speed": 0.5, "mid": 4.0},
}


def adoption_table(*, months: int = 9, seed: int = 8) -> pd.DataFrame:
    """Weekly active users of the new CRM system per region, month by month after go-live.

    An illustrative table (the course data hold no log-in records) built from :data:`ADOPTION`:
    each month every staff member uses the system with the region's adoption probability.

    Parameters
    ----------
    months : int
        Months after go-live to cover (0 = the go-live month).
    seed : int
        Random seed (the table is the same for the same seed).

    Returns
    -------
    pandas.DataFrame
        ``region``, ``months_since_go_live``, ``staff``, ``active_users`` and ``share_active``.

    Examples
    --------
    >>> t = adoption_table(months=3)
    >>> t.groupby("region")["months_since_go_live"].max().unique().tolist()
    [2]
    """
    func = "kamlib.crm_adoption.adoption_table"
    months = check_number(months, "months", func, low=1, high=60, integer=True)
    seed = check_number(seed, "seed", func, low=0, integer=True)
    rng = np.random.default_rng(seed)
    rows = []
    for region, p in ADOPTION.items():
        for m in range(months):
            share = p["ceiling"] / (1 + np.exp(-p["speed"] * (m - p["mid"])))
            active = int(rng.binomial(p["staff"], share))
            rows.append(
                {
                    "region": region,
                    "months_since_go_live": m,
                    "staff": p["staff"],
                    "active_users": active,
                    "share_active": active / p["staff"],
                }
            )
    return pd.DataFrame(rows)


def plot_adoption(table: pd.DataFrame, *, ax=None):
    """Adoption curves: share of staff using the CRM system, by months since go-live.

    Parameters
    ----------
    table : pandas.DataFrame
        Output of :func:`adoption_table` (``region``, ``months_since_go_live``,
        ``share_active``).
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> plot_adoption(adoption_table(months=3)).get_xlabel()
    'Months since the region went live'
    """
    func = "kamlib.crm_adoption.plot_adoption"
    require_frame(table, func, name="table")
    require_columns(table, ["region", "months_since_go_live", "share_active"], func)
    require_numeric(table, "share_active", func)
    require_numeric(table, "months_since_go_live", func)
    if table["region"].isna().any():
        raise DataError(f"{func}: column 'region' has missing values; name every row's region.")
    ax = plot.get_ax(ax)
    for region, part in table.groupby("region", sort=False):
        ax.plot(part["months_since_go_live"], part["share_active"], marker="o", label=region)
    plot.share_axis(ax)
    ax.set_ylim(0, 1.02)
    ax.legend(title="Region", loc="lower right")
    return plot.label(
        ax,
        "Adoption: staff using the CRM system each week",
        "Months since the region went live",
        "Share of staff active",
    )
