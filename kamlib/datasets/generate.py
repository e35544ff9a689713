"""Simulate the course world and write the course CSV files.

One fictional B2B distributor of industrial supplies, Huaxin Industrial Supply (华信工业供应),
sells to about 3,000 business accounts from January 2022 to December 2024. Each account carries
hidden traits (size, wallet, share of wallet, strategic fit, satisfaction, service demand, credit
risk) that drive every table, so the tables tell one story: satisfied accounts buy a larger share
of their wallet and leave less often, demanding accounts cost more to serve, risky accounts pay
late. A second, consumer-side world (an online retailer's membership programme) is simulated in
:mod:`kamlib.datasets.membership`; the messy legacy CRM export in :mod:`kamlib.datasets.legacy`.

Run ``python -m kamlib.datasets.generate`` to rewrite ``datasets/`` (byte for byte the committed
files). The true parameters are written to ``datasets/true_parameters.json``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pandas as pd

from kamlib.datasets.accounts import simulate_accounts, simulate_prospects
from kamlib.datasets.campaign import campaign_table, crm_kpi_table
from kamlib.datasets.finance import simulate_invoices_payments
from kamlib.datasets.orders import simulate_order_lines
from kamlib.datasets.schemas import SCHEMAS
from kamlib.datasets.service import simulate_interactions, simulate_service_activity
from kamlib.datasets.surveys import simulate_surveys
from kamlib.datasets.timeline import simulate_months
from kamlib.datasets.world import SEED, TARGET_INDUSTRIES, spawn_streams, truth
from kamlib.validation import check_seed

__all__ = ["SEED", "TARGET_INDUSTRIES", "generate", "simulate_b2b", "truth"]


def simulate_b2b(seed: int = SEED) -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
    """Simulate the B2B world: its tables keyed by dataset name, and the hidden account traits."""
    seed = check_seed(seed, "kamlib.datasets.generate.simulate_b2b")
    streams = spawn_streams(seed, 8)  # spawned streams do not depend on how many are spawned
    r_prospects, r_accounts, r_months, r_lines, r_service, r_surveys, r_pay, r_activity = streams
    prospects = simulate_prospects(r_prospects)
    acc, hidden = simulate_accounts(r_accounts, prospects)
    orders, contacts, lost, group = simulate_months(r_months, acc, hidden)
    orders, lines = simulate_order_lines(r_lines, orders, hidden)
    acc["lost_date"] = lost
    service = simulate_interactions(r_service, contacts, acc, hidden)
    activity = simulate_service_activity(r_activity, orders, service, acc, hidden)
    surveys = simulate_surveys(r_surveys, acc, hidden, lost)
    invoices, payments = simulate_invoices_payments(r_pay, orders, acc, hidden, lost)
    campaign = campaign_table(acc, group, orders)
    kpis = crm_kpi_table(acc, orders, service)
    # Link won prospects to the account they became and to its first order.
    account_of = acc.dropna(subset=["prospect_id"]).set_index("prospect_id")["account_id"]
    prospects["account_id"] = prospects["prospect_id"].map(account_of)
    first_order = orders.sort_values(["order_date", "order_id"]).drop_duplicates("acc")
    first_value = pd.Series(
        first_order["net_revenue_cny"].to_numpy(),
        index=acc["account_id"].to_numpy()[first_order["acc"].to_numpy()],
    )
    prospects["first_order_cny"] = prospects["account_id"].map(first_value)
    orders.insert(1, "account_id", acc["account_id"].to_numpy()[orders["acc"].to_numpy()])
    tables = {
        "accounts": acc,
        "orders": orders,
        "order_lines": lines,
        "service_interactions": service,
        "service_activity": activity,
        "surveys": surveys,
        "invoices": invoices,
        "payments": payments,
        "campaign": campaign,
        "crm_kpis": kpis,
        "prospects": prospects,
    }
    return {name: table[SCHEMAS[name].column_names] for name, table in tables.items()}, hidden


def generate(out_dir: str | Path | None = None, *, seed: int = SEED, verbose: bool = True) -> dict:
    """Simulate both worlds and write every course CSV plus ``true_parameters.json``.

    Parameters
    ----------
    out_dir : path-like, optional
        Where to write; by default the repository's ``datasets/`` folder.
    seed : int
        Master seed; the same seed always gives byte-identical files.
    verbose : bool
        Print one line per file written.

    Returns
    -------
    dict
        The true parameters (also written as JSON).
    """
    seed = check_seed(seed, "kamlib.datasets.generate.generate")
    from kamlib.datasets import data_dir
    from kamlib.datasets.legacy import legacy_export
    from kamlib.datasets.membership import MEMBERSHIP_TRUTH, simulate_membership

    out = Path(out_dir) if out_dir is not None else data_dir()
    out.mkdir(parents=True, exist_ok=True)
    tables, _hidden = simulate_b2b(seed)
    tables.update(legacy_export(tables["accounts"], seed=seed))
    tables.update(simulate_membership(seed))
    for name, table in tables.items():
        path = out / f"{name}.csv"
        _write_csv(table, path)
        if verbose:
            print(
                f"wrote {path.name:<26} {len(table):>7,} rows  {path.stat().st_size / 1e6:6.2f} MB",
                file=sys.stderr,
            )
    params = truth() | {"membership": MEMBERSHIP_TRUTH}
    with open(out / "true_parameters.json", "w", encoding="utf-8") as f:
        json.dump(params, f, indent=2, ensure_ascii=False)
        f.write("\n")
    return params


def _write_csv(table: pd.DataFrame, path: Path) -> None:
    """Write with ISO dates and plain numbers, so files are identical run after run."""
    out = table.copy()
    for column in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[column]):
            out[column] = out[column].dt.strftime("%Y-%m-%d")
    out.to_csv(path, index=False, lineterminator="\n")


if __name__ == "__main__":
    generate(sys.argv[1] if len(sys.argv) > 1 else None)
