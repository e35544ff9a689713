"""The old CRM system's export of the accounts: the same companies, typed by many hands.

Made from the clean accounts won before 2023 (when the new CRM replaced the old one) by adding
the faults a real export has: duplicate records of one company with its name spelled
differently, region and industry in several spellings and codes, phone numbers in several
formats, dates in several formats (some impossible), amounts with currency signs and
separators, approximate headcounts, swapped name order, and missing values. The answer key
(``legacy_crm_key``) gives the account each record belongs to.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kamlib.validation import check_seed

REGION_SPELLINGS = {
    "East": ["East", "E", "east", "EAST CHINA", "华东", " East "],
    "North": ["North", "N", "north", "NORTH CHINA", "华北"],
    "South": ["South", "S", "south china", "华南", "South "],
    "Central": ["Central", "C", "central", "华中", "CENTRAL CHINA"],
    "West": ["West", "W", "west", "西部", "WEST CHINA"],
}
INDUSTRY_SPELLINGS = {
    "Automotive": ["Automotive", "AUTO", "automotive", "Auto"],
    "Electronics": ["Electronics", "ELEC", "electronic", "Electronics "],
    "Food & beverage": ["Food & beverage", "F&B", "Food and Beverage", "FOOD"],
    "Construction": ["Construction", "CONST", "construction", "Building"],
    "Chemicals": ["Chemicals", "CHEM", "chemical", "Chemical"],
    "Logistics": ["Logistics", "LOG", "logistics", "Transport & logistics"],
    "Healthcare": ["Healthcare", "HEALTH", "health care", "Medical"],
    "Machinery": ["Machinery", "MACH", "machinery", "Machines"],
}
AREA_CODES = {"East": "21", "North": "10", "South": "20", "Central": "27", "West": "28"}
SUFFIXES = ["Co., Ltd.", "Co. Ltd", "Co Ltd", "Company Limited", "Co.,Ltd", "有限公司"]


def _pick(rng, options):
    return options[rng.integers(len(options))]


def _name(rng, clean: str, duplicate: bool) -> str:
    base = clean.removesuffix(" Co., Ltd.")
    if duplicate and rng.random() < 0.5 and len(base) > 6:  # a typo: two letters swapped
        i = int(rng.integers(1, len(base) - 2))
        base = base[:i] + base[i + 1] + base[i] + base[i + 2 :]
    name = f"{base} {_pick(rng, SUFFIXES)}"
    style = rng.random()
    if style < 0.12:
        name = name.upper()
    elif style < 0.2:
        name = name.lower()
    elif style < 0.28:
        name = f"  {name} "
    return name


def _phone(rng, region: str) -> str | None:
    area, local = AREA_CODES[region], f"{rng.integers(10_000_000, 99_999_999)}"
    formats = [
        f"+86 {area} {local[:4]} {local[4:]}",
        f"0{area}-{local}",
        f"(0{area}) {local[:4]}-{local[4:]}",
        f"0{area}{local}",
        "n/a",
        local[:3],
    ]
    return formats[int(rng.choice(6, p=[0.3, 0.3, 0.15, 0.17, 0.04, 0.04]))]


def _date(rng, day: pd.Timestamp) -> str:
    formats = [
        day.strftime("%Y-%m-%d"),
        day.strftime("%Y/%m/%d"),
        day.strftime("%d/%m/%Y"),
        day.strftime("%b %d, %Y"),
        day.strftime("%Y%m%d"),
        f"{day.year}-{13 + int(rng.integers(0, 3))}-{day.day:02d}",  # impossible month
        "unknown",
    ]
    return formats[int(rng.choice(7, p=[0.35, 0.2, 0.15, 0.12, 0.1, 0.04, 0.04]))]


def _money(rng, value: float) -> str:
    v = int(value)
    formats = [f"¥{v:,}", f"{v}", f"{v:,}.00", f"RMB {v // 1000}k", f"CNY {v}", "-"]
    return formats[int(rng.choice(6, p=[0.3, 0.25, 0.2, 0.1, 0.1, 0.05]))]


def _headcount(rng, value: int) -> str:
    formats = [
        f"{value}",
        f"{value:,}",
        f"approx. {round(value, -1)}",
        f"~{value}",
        f"{value / 1000:.1f}k",
    ]
    return formats[int(rng.choice(5, p=[0.5, 0.2, 0.1, 0.1, 0.1]))]


def _owner(rng, name: str) -> str:
    family, given = name.split(" ")
    return _pick(rng, [name, name, name.upper(), name.lower(), f"{given} {family}"])


def legacy_export(accounts: pd.DataFrame, *, seed: int) -> dict[str, pd.DataFrame]:
    """Build the messy export and its answer key from the clean accounts table."""
    seed = check_seed(seed, "kamlib.datasets.legacy.legacy_export")
    rng = np.random.default_rng([seed, 3])
    old = accounts[accounts["customer_since"] < pd.Timestamp("2023-01-01")]
    copies = 1 + (rng.random(len(old)) < 0.08) * rng.integers(1, 3, len(old))
    rows, keys = [], []
    for (_, acc), n_copies in zip(old.iterrows(), copies, strict=True):
        for copy in range(n_copies):
            missing = rng.random(8) < np.array([0.01, 0.03, 0.04, 0.05, 0.03, 0.05, 0.06, 0.03])
            record = {
                "company": _name(rng, acc["account_name"], copy > 0),
                "region_code": _pick(rng, REGION_SPELLINGS[acc["region"]]),
                "industry_code": _pick(rng, INDUSTRY_SPELLINGS[acc["industry"]]),
                "phone": _phone(rng, acc["region"]),
                "created": _date(rng, acc["customer_since"]),
                "credit_limit": _money(rng, acc["credit_limit_cny"]),
                "employees": _headcount(rng, int(acc["employees"])),
                "owner": _owner(rng, acc["account_owner"]),
            }
            for field, gone in zip(record, missing, strict=True):
                if gone:
                    record[field] = None
            rows.append(record)
            keys.append(acc["account_id"])
    order = rng.permutation(len(rows))
    legacy_ids = [f"CRM-{i:05d}" for i in range(1, len(rows) + 1)]
    export = pd.DataFrame([rows[i] for i in order])
    export.insert(0, "legacy_id", legacy_ids)
    key = pd.DataFrame({"legacy_id": legacy_ids, "account_id": [keys[i] for i in order]})
    return {"legacy_crm": export, "legacy_crm_key": key}
