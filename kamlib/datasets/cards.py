"""Write the data cards (``datasets/README.md``) from the schemas, the files and the truth.

Run ``python -m kamlib.datasets.cards`` after regenerating the data; a test checks that the
committed README is exactly what this module renders, so the cards never drift from the files.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from kamlib.datasets import data_dir
from kamlib.datasets.schemas import SCHEMAS

KIND_NAMES = {
    "id": "text id",
    "text": "text",
    "category": "category",
    "int": "integer",
    "float": "number",
    "money": "money",
    "date": "date",
    "bool": "True/False",
}

SIMULATION = {
    "accounts": (
        "Each account gets hidden traits: a wallet (its yearly spend on the supplier's categories, "
        "about 1,500 yuan x employees^0.9 x an industry factor x lognormal noise), a share of that "
        "wallet won by the supplier (higher with strategic fit and satisfaction), satisfaction "
        "(a weighted sum of five attribute performances, see `surveys`), service demand and credit "
        "risk. Accounts won before 2023 predate the prospect records; accounts won in 2023-2024 are "
        "the converted prospects. Each month an active account leaves with a hazard that falls "
        "with satisfaction, fit and size (`lost_date`). `sales_tier` is the sales managers' "
        "judgement: the top 10% on a noisy mix of revenue and tenure. `est_annual_spend_cny` is "
        "the wallet seen through a noisy estimate (lognormal, sd 0.3)."
    ),
    "orders": (
        "Orders arrive month by month as a Poisson process whose rate grows with the account's "
        "revenue (with seasonality: a dip around the Spring Festival, a peak in December, and 4% "
        "yearly growth); a new account orders on the day it is won. Order values follow the "
        "account's revenue per order with gamma noise. Totals are the sums of the order lines. "
        "Demanding accounts ask for expedited delivery more often."
    ),
    "order_lines": (
        "1 to 8 lines per order; each account buys categories by its own preference mix. "
        "Quantity = line value / unit price; discounts grow with size band (key accounts get 2 "
        "points more, 8% of lines carry a 5-point promotion); cost of goods is the list value "
        "times a category cost ratio."
    ),
    "service_interactions": (
        "Monthly Poisson counts per contact type while the account is active: visits grow with "
        "size and key status, calls, emails and tickets with size and service demand, tickets and "
        "complaints fall with satisfaction. Staff time is gamma distributed around a mean per "
        "type; cost = minutes / 60 x 180 yuan + a fixed cost (travel for visits, goodwill for "
        "complaints). Resolution hours are lognormal with a regional level, a slow downward "
        "trend, and a drop of 26% (log effect -0.30) once the region's CRM system is live. The "
        "same contacts, counted by account and month, are part of `service_activity`, the table "
        "that cost to serve is priced from."
    ),
    "service_activity": (
        "The volume behind activity-based costing, one row per account, month and activity "
        "used at least once. The five contact types are the contacts of `service_interactions` "
        "counted by month. The operations work is counted per order in the order's month: one "
        "delivery per order (expedited if the order is, see `orders`), plus extra standard "
        "deliveries when an order ships in parts; returns per delivery; order changes; and "
        "technical-support requests in proportion to the order's net revenue. Each rate is a "
        "base rate times exp(effect x service demand), so the most demanding accounts use many "
        "times the work of the others (demand is capped at 3 sd). What one unit of each "
        "activity truly costs is listed below (`activity_cost_cny`); "
        "`kamlib.profitability.DEFAULT_ACTIVITY_COSTS` holds the same prices."
    ),
    "surveys": (
        "Each November about 45% of active accounts answer. Attribute ratings reflect the "
        "account's hidden performance on each attribute (responsiveness improves once the "
        "region's CRM is live); CSAT and NPS reflect overall satisfaction, which the attributes "
        "drive with the weights under true parameters."
    ),
    "invoices": "One invoice per order, dated with the order and due after the account's terms.",
    "payments": (
        "Payment delay after the due date grows with the account's credit risk; 12% of invoices "
        "are paid in two parts; a few invoices are never paid (more for high-risk accounts and "
        "in the 90 days before an account leaves). Payments after 31 Dec 2024 are not recorded."
    ),
    "campaign": (
        "On 1 May 2024 the accounts that were active, customers for 6+ months and had ordered in "
        "the last 12 months were randomised, within size band, half to the relationship programme "
        "(account reviews, a dedicated contact, a volume rebate) and half to control. For 180 days "
        "the treated accounts' order rate was multiplied by the true lift of their size band and "
        "their churn hazard by 0.6. Revenue columns are computed from `orders`."
    ),
    "crm_kpis": (
        "Aggregated from `orders` and `service_interactions` by region and month. The new CRM "
        "system went live region by region (East first, West last); the true effect is a 26% "
        "cut in resolution time."
    ),
    "prospects": (
        "Leads first contacted in 2023-2024. Whether a lead converts follows a logistic model "
        "whose true coefficients are listed below (region and years in business have none). "
        "Leads that did not convert stop earlier in the funnel the weaker they are. Converted "
        "leads became accounts (`account_id`), with their first order on the day they were won."
    ),
    "legacy_crm": (
        "The accounts won before 2023 as typed into the old CRM system, with duplicates (8% of "
        "companies appear 2-3 times, some with a typo in the name) and faults in every column: "
        "spellings and codes, formats, impossible dates, currency signs, approximate headcounts "
        "and missing values."
    ),
    "legacy_crm_key": "The answer key for de-duplicating `legacy_crm`.",
    "members": (
        "Members join uniformly between January 2022 and June 2024, with a first purchase on "
        "the day they join. Their traits do not affect their buying."
    ),
    "member_purchases": (
        "After joining, each member buys as a BG/NBD customer: a Poisson purchase rate "
        "lambda ~ Gamma(r, alpha) per week while alive, dropping out after any repeat purchase with "
        "probability p ~ Beta(a, b). Basket values follow the Gamma-Gamma model (a member's "
        "mean basket does not depend on how often they buy). Observation ends on 31 Dec 2024."
    ),
    "member_points": (
        "One point per whole yuan spent; at a purchase, a member with 500+ points redeems all "
        "whole blocks of 500 with probability 0.35; points lapse on 31 December of the year "
        "after they were earned, oldest first."
    ),
}

TRUTH_KEYS = {
    "accounts": "accounts",
    "orders": "orders",
    "service_interactions": "service",
    "service_activity": "service_activity",
    "surveys": "accounts",
    "campaign": "campaign",
    "crm_kpis": "crm_rollout",
    "prospects": "prospects",
    "member_purchases": "membership",
    "member_points": "membership",
}

INTRO = """\
# The course datasets: data cards

All files are simulated (seed {seed}) by `python -m kamlib.datasets.generate`, which writes them
byte for byte as committed here; this page is written by `python -m kamlib.datasets.cards`.
Load any of them, typed and checked, with `kamlib.datasets.load("<name>")`; check your own CSV
of the same kind with `kamlib.datasets.load("<name>", path="your.csv")`. Money is in Chinese
yuan (CNY); dates are ISO (`YYYY-MM-DD`); empty cells are missing values. The true parameters of
the simulation are in `true_parameters.json` (`kamlib.datasets.true_parameters()`).

**Two worlds.** *Huaxin Industrial Supply (华信工业供应)*, a fictional distributor of
industrial supplies, and its business accounts from January 2022 to December 2024; and an
online retailer's membership programme (the consumer-side case of chapters 5 and 7).

| file | world | rows | size |
|---|---|---:|---:|
"""


def render(folder: Path | None = None) -> str:
    """The data-card page for the files in ``folder`` (default: the course datasets)."""
    folder = Path(folder) if folder is not None else data_dir()
    truth = json.loads((folder / "true_parameters.json").read_text(encoding="utf-8"))
    counts = {}
    for name in SCHEMAS:
        with open(folder / f"{name}.csv", encoding="utf-8") as f:
            counts[name] = sum(1 for _ in f) - 1
    parts = [INTRO.format(seed=truth["seed"])]
    for name, spec in SCHEMAS.items():
        size = (folder / f"{name}.csv").stat().st_size / 1e6
        parts.append(f"| `{name}.csv` | {spec.world} | {counts[name]:,} | {size:.2f} MB |\n")
    for name, spec in SCHEMAS.items():
        parts.append(_card(name, spec, counts[name], truth, folder))
    return "".join(parts)


def _card(name, spec, n_rows, truth, folder) -> str:
    key = ", ".join(f"`{k}`" for k in spec.key) or "none (duplicates are part of the lesson)"
    lines = [
        f"\n## {name}\n\n",
        f"*{spec.world}.* Each row is {spec.row}. {n_rows:,} rows; key: {key}.\n\n",
        "| column | type | unit | description |\n|---|---|---|---|\n",
    ]
    for col in spec.columns:
        kind = KIND_NAMES[col.kind] + (", may be empty" if col.nullable else "")
        desc = col.description + (f" ({', '.join(col.levels)})" if col.levels else "")
        lines.append(f"| `{col.name}` | {kind} | {col.unit} | {desc} |\n")
    lines.append(f"\n**How it was simulated.** {SIMULATION[name]}\n")
    if spec.notes:
        lines.append(f"\n{spec.notes}\n")
    if name == "service_activity":
        lines.append(_whale_note(folder))
    if name == "surveys":
        lines.append(_satisfaction_note(folder))
    if name in TRUTH_KEYS:
        block = json.dumps(truth[TRUTH_KEYS[name]], indent=2, ensure_ascii=False)
        lines.append(
            f"\n**True parameters** (`true_parameters.json`, key `{TRUTH_KEYS[name]}`):\n\n```json\n{block}\n```\n"
        )
    return "".join(lines)


WHALE_YEAR = 2024


def whale_figures(folder: Path | None = None) -> dict:
    """Chapter 4's whale-curve figures for ``WHALE_YEAR``, measured on the files in ``folder``.

    Customer profit by :func:`kamlib.profitability.customer_profit` with the default activity
    prices; returns the cost to serve as a share of net revenue, the whale curve's peak height
    and rank, and the number and share of loss-making accounts.
    """
    from kamlib import datasets, profitability

    folder = Path(folder) if folder is not None else data_dir()
    tables = {n: datasets.load(n, path=folder / f"{n}.csv") for n in ("accounts", "orders")}
    activity = datasets.load("service_activity", path=folder / "service_activity.csv")
    profit = profitability.customer_profit(
        tables["accounts"], tables["orders"], activity, period=WHALE_YEAR
    )
    summary = profitability.whale_summary(profit)
    return {
        "year": WHALE_YEAR,
        "n_accounts": int(summary["n_customers"]),
        "cost_to_serve_share": float(profit["cost_to_serve"].sum() / profit["net_revenue"].sum()),
        "peak_height": float(summary["peak_height"]),
        "peak_rank": int(summary["peak_rank"]),
        "peak_customer_share": float(summary["peak_customer_share"]),
        "n_loss_makers": int(summary["n_loss_makers"]),
        "loss_maker_share": float(summary["loss_maker_share"]),
    }


def _whale_note(folder) -> str:
    w = whale_figures(folder)
    return (
        f"\n**What the data show** (chapter 4; {w['year']}, default activity prices, "
        f"`kamlib.profitability.customer_profit`): cost to serve is "
        f"{w['cost_to_serve_share']:.1%} of net revenue; the whale curve peaks at "
        f"{w['peak_height']:.0%} of total profit with the {w['peak_rank']:,} most profitable "
        f"accounts ({w['peak_customer_share']:.0%} of {w['n_accounts']:,} on the books); "
        f"{w['n_loss_makers']:,} accounts ({w['loss_maker_share']:.1%}) lose money.\n"
    )


def satisfaction_figures(folder: Path | None = None) -> dict:
    """Chapter 4's satisfaction links (per CSAT point), measured and implied by the truth.

    Every survey answer before the last year is paired with the next year
    (:func:`kamlib.loyalty.satisfaction_outcomes`); the links are those of
    :func:`kamlib.loyalty.satisfaction_links`. The truth's links are per sd of the hidden
    satisfaction; on the CSAT scale they shrink by the slope of satisfaction on CSAT
    (the CSAT loading divided by the variance of CSAT).
    """
    from kamlib import datasets, loyalty

    folder = Path(folder) if folder is not None else data_dir()
    tables = {
        n: datasets.load(n, path=folder / f"{n}.csv") for n in ("surveys", "accounts", "orders")
    }
    outcomes = loyalty.satisfaction_outcomes(
        tables["surveys"], tables["accounts"], tables["orders"]
    )
    links = loyalty.satisfaction_links(outcomes)
    truth = json.loads((folder / "true_parameters.json").read_text(encoding="utf-8"))["accounts"]
    factor = truth["survey_scores"]["csat_loading"] / outcomes["score"].var()
    true_links = truth["satisfaction_links"]
    return {
        "n_answers": len(outcomes),
        "retention": float(links.loc["retention", "estimate"]),
        "retention_se": float(links.loc["retention", "std_error"]),
        "retention_true": float(true_links["churn_log_hazard_ratio"] * factor),
        "share": float(links.loc["share_of_wallet", "estimate"]),
        "share_se": float(links.loc["share_of_wallet", "std_error"]),
        "share_true": float(true_links["share_of_wallet_log_odds"] * factor),
    }


def _satisfaction_note(folder) -> str:
    f = satisfaction_figures(folder)
    return (
        f"\n**What the data show** (chapter 4; `kamlib.loyalty`, {f['n_answers']:,} answers "
        "paired with the next year): per point of CSAT, the log hazard ratio of leaving is "
        f"{f['retention']:.2f} (standard error {f['retention_se']:.2f}; the truth implies "
        f"{f['retention_true']:.2f}) and the log-odds of the share of wallet rise by "
        f"{f['share']:.2f} (standard error {f['share_se']:.2f}; the truth implies "
        f"{f['share_true']:.2f}).\n"
    )


if __name__ == "__main__":
    target = data_dir() / "README.md"
    target.write_text(render(), encoding="utf-8")
    print(f"wrote {target}", file=sys.stderr)
