"""The course datasets: regeneration, data cards, typed loading and the checks on bad input."""

import filecmp

import numpy as np
import pandas as pd
import pytest

from kamlib import datasets
from kamlib.datasets import cards, generate
from kamlib.errors import DataError, ParameterError

ORDERS_CSV = "order_id,account_id,order_date,channel,n_lines,gross_revenue_cny,discount_cny,net_revenue_cny,cogs_cny,expedited\n"
GOOD_ROW = "O1,A1,2024-01-05,online,2,100.0,10.0,90.0,60.0,False\n"


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory):
    out = tmp_path_factory.mktemp("regenerated")
    generate.generate(out, verbose=False)
    return out


def test_regeneration_is_byte_identical(regenerated):
    folder = datasets.data_dir()
    for name in [*datasets.names(), "true_parameters"]:
        suffix = ".json" if name == "true_parameters" else ".csv"
        assert filecmp.cmp(
            regenerated / f"{name}{suffix}", folder / f"{name}{suffix}", shallow=False
        ), name


def test_data_cards_match_the_files():
    committed = (datasets.data_dir() / "README.md").read_text(encoding="utf-8")
    assert committed == cards.render(), "run: python -m kamlib.datasets.cards"


def test_every_file_has_a_card_and_its_header_matches_the_schema():
    readme = (datasets.data_dir() / "README.md").read_text(encoding="utf-8")
    for name in datasets.names():
        header = (datasets.data_dir() / f"{name}.csv").open(encoding="utf-8").readline().strip()
        assert header.split(",") == datasets.schema(name).column_names
        assert f"\n## {name}\n" in readme


def test_datasets_stay_small():
    total = sum(p.stat().st_size for p in datasets.data_dir().glob("*.csv"))
    assert total < 25e6


@pytest.mark.parametrize("name", datasets.names())
def test_every_dataset_loads_typed(name):
    frame = datasets.load(name)
    spec = datasets.schema(name)
    assert list(frame.columns) == spec.column_names and len(frame) > 0
    for col in spec.columns:
        if col.kind == "date":
            assert pd.api.types.is_datetime64_any_dtype(frame[col.name])
        elif col.kind == "category":
            assert isinstance(frame[col.name].dtype, pd.CategoricalDtype)
        elif col.kind in ("money", "float"):
            assert frame[col.name].dtype == float


def test_loading_works_from_any_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert len(datasets.load("crm_kpis")) == 180  # 5 regions x 36 months


def test_tables_tell_one_story():
    orders, lines = datasets.load("orders"), datasets.load("order_lines")
    accounts, invoices = datasets.load("accounts"), datasets.load("invoices")
    per_order = lines.groupby("order_id")[["net_revenue_cny", "cogs_cny"]].sum()
    joined = orders.set_index("order_id").join(per_order.add_suffix("_lines"))
    np.testing.assert_allclose(
        joined["net_revenue_cny"], joined["net_revenue_cny_lines"], atol=0.05
    )
    np.testing.assert_allclose(joined["cogs_cny"], joined["cogs_cny_lines"], atol=0.05)
    assert set(orders["account_id"]) <= set(accounts["account_id"])
    assert (invoices["amount_cny"].to_numpy() == orders["net_revenue_cny"].to_numpy()).all()
    # Nobody orders before becoming a customer or after being lost.
    o = orders.merge(accounts[["account_id", "customer_since", "lost_date"]], on="account_id")
    assert (o["order_date"] >= o["customer_since"]).all()
    assert not (o["order_date"] > o["lost_date"]).any()
    # Payments never exceed what was invoiced.
    paid = datasets.load("payments").groupby("invoice_id")["amount_cny"].sum()
    owed = invoices.set_index("invoice_id")["amount_cny"].reindex(paid.index)
    assert (paid <= owed + 0.01).all()


def test_won_prospects_became_accounts_with_their_first_order():
    prospects, accounts, orders = (
        datasets.load("prospects"),
        datasets.load("accounts"),
        datasets.load("orders"),
    )
    won = prospects[prospects["converted"]]
    assert (
        won["account_id"].notna().all()
        and prospects.loc[~prospects["converted"], "account_id"].isna().all()
    )
    first = (
        orders.sort_values(["order_date", "order_id"])
        .drop_duplicates("account_id")
        .set_index("account_id")
    )
    np.testing.assert_allclose(
        won["first_order_cny"], first.loc[won["account_id"], "net_revenue_cny"]
    )
    since = accounts.set_index("account_id").loc[won["account_id"], "customer_since"]
    assert (since.to_numpy() > won["first_contact_date"].to_numpy()).all()


def test_campaign_is_randomised_within_size_band():
    campaign = datasets.load("campaign")
    counts = campaign.groupby(["size_band", "group"], observed=True).size().unstack()
    assert ((counts["treatment"] - counts["control"]).abs() <= 1).all()
    assert (campaign.loc[campaign["group"] == "control", "cost_cny"] == 0).all()


def test_true_parameters_are_published():
    truth = datasets.true_parameters()
    assert truth["membership"]["bgnbd"] == {"r": 0.55, "alpha": 6.0, "a": 0.75, "b": 3.2}
    assert truth["crm_rollout"]["effect_log_resolution_hours"] == -0.30
    assert truth["prospects"]["target_industries"] == ["Automotive", "Electronics", "Machinery"]


# --- Bad input: each problem gets a clear message -------------------------------------------
def _load_text(tmp_path, text, name="orders", **kw):
    path = tmp_path / "mine.csv"
    path.write_text(text, encoding="utf-8")
    return datasets.load(name, path=path, **kw)


def test_own_csv_of_the_same_kind_loads(tmp_path):
    frame = _load_text(tmp_path, ORDERS_CSV + GOOD_ROW)
    assert frame.loc[0, "order_date"] == pd.Timestamp("2024-01-05") and frame.loc[0, "n_lines"] == 2


@pytest.mark.parametrize(
    ("header", "row", "message"),
    [
        (
            ORDERS_CSV.replace(",expedited", ""),
            GOOD_ROW.replace(",False", ""),
            "missing column(s): expedited",
        ),
        (
            ORDERS_CSV.replace("\n", ",note\n"),
            GOOD_ROW.replace("\n", ",hi\n"),
            "unexpected column(s): note",
        ),
        (
            ORDERS_CSV,
            GOOD_ROW.replace(",2,", ",two,"),
            "'n_lines': 1 value(s) that are not numbers",
        ),
        (
            ORDERS_CSV,
            GOOD_ROW.replace(",2,", ",2.5,"),
            "'n_lines': 1 value(s) that are not whole numbers",
        ),
        (
            ORDERS_CSV,
            GOOD_ROW.replace("2024-01-05", "05/01/2024"),
            "'order_date': 1 value(s) that are not ISO dates",
        ),
        (ORDERS_CSV, GOOD_ROW.replace("90.0", "-90.0"), "'net_revenue_cny': 1 negative amount(s)"),
        (ORDERS_CSV, GOOD_ROW.replace("online", "fax"), "'channel': 1 value(s) outside"),
        (
            ORDERS_CSV,
            GOOD_ROW.replace("False", "maybe"),
            "'expedited': 1 value(s) that are not True/False",
        ),
        (ORDERS_CSV, GOOD_ROW.replace("A1", ""), "'account_id': 1 empty value(s)"),
        (ORDERS_CSV, GOOD_ROW * 2, "duplicate id(s) in order_id"),
    ],
)
def test_bad_csv_gets_a_clear_error(tmp_path, header, row, message):
    with pytest.raises(DataError) as info:
        _load_text(tmp_path, header + row)
    assert message in str(info.value)
    assert "kamlib.datasets.load('orders')" in str(info.value)


def test_every_problem_is_listed_at_once(tmp_path):
    row = GOOD_ROW.replace("2024-01-05", "yesterday").replace("90.0", "-1")
    with pytest.raises(DataError) as info:
        _load_text(tmp_path, ORDERS_CSV + row)
    assert "order_date" in str(info.value) and "net_revenue_cny" in str(info.value)


def test_extra_columns_can_be_kept_or_dropped(tmp_path):
    text = ORDERS_CSV.replace("\n", ",note\n") + GOOD_ROW.replace("\n", ",hi\n")
    assert "note" in _load_text(tmp_path, text, extra="keep").columns
    assert "note" not in _load_text(tmp_path, text, extra="drop").columns


def test_validate_checks_a_frame_in_memory_without_changing_it():
    orders = datasets.load("orders").head(50)
    before = orders.copy()
    assert datasets.validate(orders, "orders").equals(orders)
    pd.testing.assert_frame_equal(orders, before)
    broken = orders.assign(cogs_cny=-orders["cogs_cny"])
    with pytest.raises(DataError, match="cogs_cny"):
        datasets.validate(broken, "orders")
    with pytest.raises(DataError, match="expected a pandas DataFrame"):
        datasets.validate([1, 2], "orders")


def test_unknown_names_and_files_are_explained(tmp_path):
    with pytest.raises(ParameterError, match="no dataset called 'sales'"):
        datasets.load("sales")
    with pytest.raises(DataError, match="not found"):
        datasets.load("orders", path=tmp_path / "missing.csv")
    with pytest.raises(ParameterError, match="'extra' must be"):
        _load_text(tmp_path, ORDERS_CSV + GOOD_ROW, extra="ignore")


def test_data_dir_can_point_elsewhere(tmp_path, monkeypatch):
    monkeypatch.setenv(datasets.ENV_VAR, str(tmp_path / "nowhere"))
    with pytest.raises(DataError, match="KAMLIB_DATA"):
        datasets.load("orders")


def test_service_activity_counts_the_logged_contacts():
    # The contact rows of service_activity are the contacts of service_interactions by month.
    activity = datasets.load("service_activity")
    contacts = datasets.load("service_interactions")
    by_month = contacts.groupby(
        [
            contacts["account_id"],
            contacts["interaction_date"].dt.to_period("M").dt.to_timestamp().rename("month"),
            contacts["interaction_type"].astype(str).rename("activity"),
        ]
    ).size()
    logged = activity[activity["activity"].isin(contacts["interaction_type"].cat.categories)]
    logged = logged.assign(activity=logged["activity"].astype(str)).set_index(
        ["account_id", "month", "activity"]
    )["count"]
    pd.testing.assert_series_equal(
        logged.sort_index(), by_month.sort_index(), check_names=False, check_dtype=False
    )
    # One delivery per order at least, expedited ones exactly as flagged in orders.
    orders = datasets.load("orders")
    totals = activity.groupby(activity["activity"].astype(str))["count"].sum()
    assert totals["expedited_delivery"] == orders["expedited"].sum()
    assert totals["delivery"] >= (~orders["expedited"]).sum()


def test_service_demand_drives_the_operations_work():
    # Ground truth: a Poisson regression of each account's order changes (per order) on its
    # hidden service demand recovers the simulated effect.
    import statsmodels.api as sm

    tables, hidden = generate.simulate_b2b()
    activity, orders = tables["service_activity"], tables["orders"]
    truth = datasets.true_parameters()["service_activity"]["demand_effect_log_rate"]
    n_orders = orders.groupby("account_id").size()
    for kind in ("order_change", "technical_support"):
        rows = activity[activity["activity"] == kind]
        counts = rows.groupby("account_id")["count"].sum().reindex(n_orders.index, fill_value=0)
        demand = pd.Series(
            np.minimum(hidden["demand"].to_numpy(), 3.0), index=tables["accounts"]["account_id"]
        ).reindex(n_orders.index)
        exposure = (
            n_orders
            if kind == "order_change"
            else orders.groupby("account_id")["net_revenue_cny"].sum() / 1e4
        )
        fit = sm.GLM(
            counts.to_numpy(),
            sm.add_constant(demand.to_numpy()),
            family=sm.families.Poisson(),
            offset=np.log(exposure.to_numpy()),
        ).fit()
        assert fit.params[1] == pytest.approx(truth[kind], abs=0.1), kind


@pytest.mark.parametrize("seed", [-1, "2", True, 2.5, None])
def test_simulators_refuse_a_bad_seed(seed, tmp_path):
    from kamlib.datasets import generate, legacy, membership

    calls = {
        "generate.simulate_b2b": lambda: generate.simulate_b2b(seed),
        "generate.generate": lambda: generate.generate(tmp_path, seed=seed, verbose=False),
        "membership.simulate_membership": lambda: membership.simulate_membership(seed),
        "legacy.legacy_export": lambda: legacy.legacy_export(datasets.load("accounts"), seed=seed),
    }
    for name, call in calls.items():
        with pytest.raises(ParameterError, match=rf"kamlib\.datasets\.{name}: 'seed' must be"):
            call()
    assert not any(tmp_path.iterdir())  # nothing written
