"""Points programme economics: a ledger worked by hand, the simulated truth, bad input."""

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest

from kamlib import datasets
from kamlib import loyalty_programme as lp
from kamlib.errors import DataError, ParameterError

# The toy ledger (kamlib.loyalty_programme.toy_ledger), worked on paper:
# A: 2022-03-01 +300, 2022-06-01 +400 then -500 (balance 700), 2023-12-31 -200 (2022 points),
#    2024-02-01 +100.
# B: 2022-05-01 +600 (eligible, no redemption), 2023-01-10 +200 then -500 (all from 2022),
#    2023-12-31 -100 (the rest of 2022), 2024-12-31 -200 (the 2023 points).
# C: 2023-04-01 +250, 2024-05-01 +300 (balance 550: eligible, no redemption),
#    2024-12-31 -250 (the 2023 points); 300 outstanding.
# Cohort 2022: earned 700 + 600 = 1300, redeemed 500 + 500 = 1000, expired 200 + 100 = 300.
# Cohort 2023: earned 200 + 250 = 450, redeemed 0, expired 200 + 250 = 450.
# Cohort 2024: earned 100 + 300 = 400, all outstanding.


@pytest.fixture
def ledger():
    return lp.toy_ledger()


def test_points_by_year_by_hand(ledger):
    table = lp.points_by_year(ledger)
    assert table.index.tolist() == [2022, 2023, 2024]
    assert table["earned"].tolist() == [1300, 450, 400]
    assert table["redeemed"].tolist() == [500, 500, 0]
    assert table["expired"].tolist() == [0, 300, 450]
    # 1300 - 500 = 800; 800 + 450 - 500 - 300 = 450; 450 + 400 - 450 = 400.
    assert table["outstanding"].tolist() == [800, 450, 400]


def test_points_by_year_fills_a_quiet_year():
    quiet = lp.toy_ledger().assign(
        entry_date=lambda d: d["entry_date"].where(d["entry_date"].dt.year != 2023)
    )
    quiet = quiet.dropna(subset=["entry_date"])
    quiet = quiet[quiet["member_id"] == "A"]
    quiet = quiet[quiet["entry_type"] == "earn"]
    table = lp.points_by_year(quiet)
    assert table.index.tolist() == [2022, 2023, 2024]
    assert table.loc[2023].tolist() == [0, 0, 0, 700]


def test_points_by_cohort_by_hand(ledger):
    table = lp.points_by_cohort(ledger)
    assert table["earned"].tolist() == [1300, 450, 400]
    assert table["redeemed"].tolist() == [1000, 0, 0]
    assert table["expired"].tolist() == [300, 450, 0]
    assert table["outstanding"].tolist() == [0, 0, 400]
    assert table["closed"].tolist() == [True, True, False]
    np.testing.assert_allclose(table["breakage"], [300 / 1300, 1.0, 0.0])
    np.testing.assert_allclose(table["redeemed_share"], [1000 / 1300, 0.0, 0.0])


def test_points_by_cohort_at_an_earlier_date(ledger):
    # On 2023-12-31 the 2023 points are still live (they lapse a year later) and C's and A's
    # 2024 entries have not happened.
    table = lp.points_by_cohort(ledger, at="2023-12-31")
    assert table.index.tolist() == [2022, 2023]
    assert table["outstanding"].tolist() == [0, 450]
    assert table["closed"].tolist() == [True, False]


def test_expiry_years_moves_the_lapse_date(ledger):
    table = lp.points_by_cohort(ledger, expiry_years=2)
    assert table["closed"].tolist() == [True, False, False]
    assert lp.breakage_rate(ledger, expiry_years=2) == pytest.approx(300 / 1300)


def test_breakage_rate_by_hand(ledger):
    # Closed cohorts 2022 and 2023: (300 + 450) / (1300 + 450) = 750 / 1750 = 3/7.
    assert lp.breakage_rate(ledger) == pytest.approx(3 / 7)
    assert lp.breakage_rate(ledger, at="2023-12-31") == pytest.approx(300 / 1300)
    with pytest.raises(DataError, match="breakage_rate.*no earning cohort is closed"):
        lp.breakage_rate(ledger, at="2023-06-30")


def test_later_redemption_share_by_hand(ledger):
    # Held on 2022-12-31: A 200 (later expired), B 600 (500 redeemed in 2023, 100 expired).
    assert lp.later_redemption_share(ledger, "2022-12-31") == pytest.approx(500 / 800)
    # Held on 2022-06-15: A 200, B 600, the same points.
    assert lp.later_redemption_share(ledger, "2022-06-15") == pytest.approx(0.625)
    # Held on 2024-06-30: C's 300 points of 2024 are still unsettled at the ledger's end.
    with pytest.raises(DataError, match="later_redemption_share.*neither redeemed nor expired"):
        lp.later_redemption_share(ledger, "2024-06-30")
    with pytest.raises(DataError, match="no member held points"):
        lp.later_redemption_share(ledger, "2021-12-31")


def test_points_liability_by_hand(ledger):
    result = lp.points_liability(ledger, "2024-12-31", value_per_point=0.02)
    # 400 points x 0.02 = 8 yuan face value; history date 2022-12-31: share 0.625 -> 5 yuan.
    assert result["outstanding_points"] == 400
    assert result["face_value_cny"] == pytest.approx(8.0)
    assert result["redemption_share"] == pytest.approx(0.625)
    assert result["breakage"] == pytest.approx(0.375)
    assert result["liability_cny"] == pytest.approx(5.0)
    assert result.attrs["history_date"] == pd.Timestamp("2022-12-31")
    given = lp.points_liability(ledger, "2023-12-31", value_per_point=0.02, redemption_share=0.5)
    # 450 outstanding x 0.02 x 0.5 = 4.5.
    assert given["liability_cny"] == pytest.approx(4.5)


def test_redemption_probability_by_hand(ledger):
    result = lp.redemption_probability(ledger)
    # Eligible days: A 2022-06-01 (700, redeemed), B 2022-05-01 (600), B 2023-01-10 (800,
    # redeemed), C 2024-05-01 (250 + 300 = 550). 2 of 4.
    assert result["eligible_days"] == 4
    assert result["redemption_days"] == 2
    assert result["probability"] == pytest.approx(0.5)
    # With rewards from 600 points only B's two days and A's day qualify.
    assert lp.redemption_probability(ledger, block=600)["probability"] == pytest.approx(2 / 3)
    with pytest.raises(DataError, match="no member ever reached 1000"):
        lp.redemption_probability(ledger, block=1000)


def test_programme_cost_by_hand(ledger):
    cost = lp.programme_cost(ledger, value_per_point=0.02, running_cost_cny=10.0)
    # Breakage 3/7 from the closed cohorts: 2022 points cost 1300 x 0.02 x 4/7.
    assert cost.attrs["breakage"] == pytest.approx(3 / 7)
    np.testing.assert_allclose(cost["redemption_cost_cny"], [10.0, 10.0, 0.0])
    np.testing.assert_allclose(cost["points_cost_cny"], np.array([1300, 450, 400]) * 0.02 * 4 / 7)
    np.testing.assert_allclose(cost["total_cost_cny"], cost["points_cost_cny"] + 10.0)
    given = lp.programme_cost(ledger, value_per_point=0.01, breakage=0.0)
    np.testing.assert_allclose(given["points_cost_cny"], [13.0, 4.5, 4.0])


def test_break_even_uplift_by_hand():
    # Cost 100 at a 25% margin needs 400 of extra sales; without the programme revenue would
    # have been 1100 - 400 = 700, so members must spend 400 / 700 = 57.1% more.
    result = lp.break_even_uplift(100.0, 1100.0, margin_rate=0.25)
    assert result["incremental_revenue_needed_cny"] == pytest.approx(400.0)
    assert result["baseline_revenue_cny"] == pytest.approx(700.0)
    assert result["break_even_uplift"] == pytest.approx(4 / 7)
    assert lp.break_even_uplift(0.0, 50.0, margin_rate=0.3)["break_even_uplift"] == 0.0
    with pytest.raises(ParameterError, match="break_even_uplift.*cannot pay"):
        lp.break_even_uplift(300.0, 1000.0, margin_rate=0.25)
    for bad in ({"margin_rate": 0.0}, {"margin_rate": 1.5}, {"margin_rate": "0.25"}):
        with pytest.raises(ParameterError, match="margin_rate"):
            lp.break_even_uplift(100.0, 1100.0, **bad)
    with pytest.raises(ParameterError, match="cost_cny"):
        lp.break_even_uplift(-1.0, 1100.0, margin_rate=0.25)


def test_redeemer_spend_by_hand(ledger):
    purchases = lp.toy_purchases()
    # Period 2023-01-01..2023-07-01 (181 days): before from 2022-07-04, after to 2023-12-28.
    # A and B bought before 2022-07-04; C joined in 2023 and is left out.
    table = lp.redeemer_spend(purchases, ledger, start="2023-01-01", end="2023-07-01")
    assert table["member_id"].tolist() == ["A", "B"]
    assert table["redeemer"].tolist() == [False, True]
    assert table["spend_before"].tolist() == [0.0, 0.0]
    assert table["spend_during"].tolist() == [0.0, 200.5]
    # A longer period: 2022-12-01..2024-01-01 (396 days); the before window starts
    # 2021-10-31, the after window ends 2025-01-31, past the data.
    with pytest.raises(ParameterError, match="past the data's last date"):
        lp.redeemer_spend(purchases, ledger, start="2022-12-01", end="2024-01-01")
    with pytest.raises(ParameterError, match="must come after"):
        lp.redeemer_spend(purchases, ledger, start="2023-07-01", end="2023-01-01")
    with pytest.raises(DataError, match="no member bought before"):
        lp.redeemer_spend(purchases, ledger, start="2022-03-15", end="2022-04-01")


def test_redeemer_spend_windows_by_hand(ledger):
    # Period 2022-05-15..2022-06-15 (31 days): before 2022-04-14..05-15 (B's 600.5), during
    # (A's 400.5, A redeems), after 2022-06-15..07-16 (nothing). Only A joined before 04-14.
    table = lp.redeemer_spend(lp.toy_purchases(), ledger, start="2022-05-15", end="2022-06-15")
    assert table.to_dict("list") == {
        "member_id": ["A"],
        "redeemer": [True],
        "spend_before": [0.0],
        "spend_during": [400.5],
        "spend_after": [0.0],
    }


def test_redeemer_gap_by_hand():
    spend = pd.DataFrame(
        {
            "redeemer": [True, False, False, True, False, True],
            "spend_before": [10.0, 20.0, 30.0, 300.0, 200.0, 400.0],
            "spend_after": [30.0, 20.0, 30.0, 400.0, 250.0, 500.0],
        }
    )
    gap = lp.redeemer_gap(spend, n_bins=2)
    # Naive: redeemers (30 + 400 + 500) / 3 = 310, others (20 + 30 + 250) / 3 = 100 -> 210.
    assert gap["naive_gap_after"] == pytest.approx(210.0)
    # Before: (10 + 300 + 400) / 3 - (20 + 30 + 200) / 3 = 710/3 - 250/3.
    assert gap["gap_before"] == pytest.approx(460 / 3)
    # Changes: redeemers 20, 100, 100 (mean 220/3); others 0, 0, 50 (50/3): 170/3.
    assert gap["difference_in_differences"] == pytest.approx(170 / 3)
    # Bins by spend before: low {10, 20, 30}: redeemer 30 vs others 25 -> 5, one redeemer;
    # high {200, 300, 400}: redeemers 450 vs 250 -> 200, two redeemers. (5 + 2 x 200) / 3.
    assert gap["matched_gap_after"] == pytest.approx(405 / 3)
    assert (gap["redeemers"], gap["others"]) == (3, 3)
    with pytest.raises(DataError, match="both redeemers and other members"):
        lp.redeemer_gap(spend.assign(redeemer=True))
    with pytest.raises(DataError, match="'redeemer' must be True/False"):
        lp.redeemer_gap(spend.assign(redeemer=1))
    with pytest.raises(ParameterError, match="n_bins"):
        lp.redeemer_gap(spend, n_bins=1)


def test_plot_points_by_year(ledger):
    ax = lp.plot_points_by_year(lp.points_by_year(ledger))
    assert ax.get_title() == "Points earned, redeemed and expired"
    assert len(ax.patches) == 9  # three years x three bars
    with pytest.raises(DataError, match="plot_points_by_year.*'outstanding'"):
        lp.plot_points_by_year(lp.points_by_year(ledger).drop(columns="outstanding"))


# ---------------------------------------------------------------------------------------------
# The simulated retailer: the estimates recover the rules it was simulated with
# ---------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def course():
    return {
        "ledger": datasets.load("member_points"),
        "purchases": datasets.load("member_purchases"),
        "truth": datasets.true_parameters()["membership"]["points"],
    }


def test_redemption_probability_recovers_the_simulated_one(course):
    truth = course["truth"]
    result = lp.redemption_probability(course["ledger"], block=truth["redeem_block"])
    se = np.sqrt(0.35 * 0.65 / result["eligible_days"])  # about 0.003
    assert abs(result["probability"] - truth["redeem_probability"]) < 4 * se


def test_cohorts_follow_the_simulated_expiry_rule(course):
    ledger = course["ledger"]
    table = lp.points_by_cohort(ledger)
    # Points earned in Y lapse on 31 Dec of Y + 1: the expiry entries dated 31 Dec Y + 1 are
    # exactly cohort Y's expired points, and closed cohorts have nothing left.
    expired = ledger[ledger["entry_type"] == "expire"]
    assert (expired["entry_date"].dt.strftime("%m-%d") == "12-31").all()
    by_date = -expired.groupby(expired["entry_date"].dt.year - 1)["points"].sum()
    for cohort, points in by_date.items():
        assert table.loc[cohort, "expired"] == points
    assert table.loc[table["closed"], "outstanding"].eq(0).all()
    assert table["closed"].tolist() == [True, True, False]
    assert table.loc[2024, "expired"] == 0
    rate = lp.breakage_rate(ledger)
    closed = table[table["closed"]]
    assert rate == pytest.approx(closed["expired"].sum() / closed["earned"].sum())
    assert 0 < rate < 1


def test_the_redeemers_were_heavier_buyers_before(course):
    spend = lp.redeemer_spend(
        course["purchases"], course["ledger"], start="2024-01-01", end="2024-07-01"
    )
    gap = lp.redeemer_gap(spend)
    # Points do not change buying in the simulation, yet redeemers already spent far more
    # before the period: selection, not an effect.
    assert gap["gap_before"] > 0.5 * gap["naive_gap_after"] > 0


# ---------------------------------------------------------------------------------------------
# Bad input and unchanged input
# ---------------------------------------------------------------------------------------------
LEDGER_FUNCTIONS = [
    lambda d: lp.points_by_year(d),
    lambda d: lp.points_by_cohort(d),
    lambda d: lp.breakage_rate(d),
    lambda d: lp.later_redemption_share(d, "2022-12-31"),
    lambda d: lp.points_liability(d, "2024-12-31", value_per_point=0.02),
    lambda d: lp.redemption_probability(d),
    lambda d: lp.programme_cost(d, value_per_point=0.02),
    lambda d: lp.redeemer_spend(lp.toy_purchases(), d, start="2023-01-01", end="2023-07-01"),
]


@pytest.mark.parametrize("call", LEDGER_FUNCTIONS)
def test_bad_ledgers_are_refused(call, ledger):
    with pytest.raises(DataError, match="must be a pandas DataFrame"):
        call(ledger.to_dict("list"))
    with pytest.raises(DataError, match="has no rows"):
        call(ledger.iloc[:0])
    with pytest.raises(DataError, match="'points' not found"):
        call(ledger.drop(columns="points"))
    nan = ledger.astype({"points": float})
    nan.loc[0, "points"] = np.nan
    with pytest.raises(DataError, match="missing value"):
        call(nan)
    with pytest.raises(DataError, match="wrong sign"):
        call(ledger.assign(points=ledger["points"].abs()))
    with pytest.raises(DataError, match="entry types"):
        call(ledger.replace({"entry_type": {"expire": "lapse"}}))
    with pytest.raises(DataError, match="holds numbers, not dates"):
        call(ledger.assign(entry_date=ledger["entry_date"].dt.strftime("%Y%m%d").astype(int)))
    overdrawn = ledger.copy()
    overdrawn.loc[3, "points"] = -900  # A redeems 900 of 700
    with pytest.raises(DataError, match="goes below zero"):
        call(overdrawn)


def test_missing_member_ids_are_dropped_with_a_warning(ledger):
    gap = ledger.copy()
    gap.loc[gap["member_id"] == "C", "member_id"] = None
    with pytest.warns(UserWarning, match="points_by_year: 3 row"):
        table = lp.points_by_year(gap)
    assert table["earned"].tolist() == [1300, 200, 100]


@pytest.mark.parametrize("value", [0, -0.02, "0.02", np.nan])
def test_bad_values_per_point(value, ledger):
    with pytest.raises(ParameterError, match="value_per_point"):
        lp.points_liability(ledger, "2024-12-31", value_per_point=value)
    with pytest.raises(ParameterError, match="value_per_point"):
        lp.programme_cost(ledger, value_per_point=value)


def test_bad_parameters(ledger):
    with pytest.raises(ParameterError, match="redemption_share"):
        lp.points_liability(ledger, "2024-12-31", value_per_point=0.02, redemption_share=1.2)
    with pytest.raises(ParameterError, match="'at' must be a date"):
        lp.points_liability(ledger, 20241231, value_per_point=0.02)
    with pytest.raises(ParameterError, match="breakage"):
        lp.programme_cost(ledger, value_per_point=0.02, breakage=-0.1)
    with pytest.raises(ParameterError, match="running_cost_cny"):
        lp.programme_cost(ledger, value_per_point=0.02, running_cost_cny=-5)
    with pytest.raises(ParameterError, match="block"):
        lp.redemption_probability(ledger, block=0)
    with pytest.raises(ParameterError, match="expiry_years"):
        lp.points_by_cohort(ledger, expiry_years=1.5)
    negative = lp.toy_purchases()
    negative.loc[0, "amount_cny"] = -3.0
    with pytest.raises(DataError, match="redeemer_spend.*negative"):
        lp.redeemer_spend(negative, ledger, start="2023-01-01", end="2023-07-01")


def test_inputs_are_unchanged(ledger):
    purchases = lp.toy_purchases()
    before_ledger, before_purchases = ledger.copy(deep=True), purchases.copy(deep=True)
    for call in LEDGER_FUNCTIONS:
        call(ledger)
    lp.redeemer_spend(purchases, ledger, start="2023-01-01", end="2023-07-01")
    spend = pd.DataFrame(
        {"redeemer": [True, False], "spend_before": [1.0, 2.0], "spend_after": [3.0, 1.0]}
    )
    spend_before = spend.copy(deep=True)
    with pytest.warns(UserWarning, match="redeemer_gap: no group"):
        assert np.isnan(lp.redeemer_gap(spend, n_bins=2)["matched_gap_after"])
    years = lp.points_by_year(ledger)
    years_before = years.copy(deep=True)
    lp.plot_points_by_year(years)
    pd.testing.assert_frame_equal(ledger, before_ledger)
    pd.testing.assert_frame_equal(purchases, before_purchases)
    pd.testing.assert_frame_equal(spend, spend_before)
    pd.testing.assert_frame_equal(years, years_before)


# ---------------------------------------------------------------------------------------------
# A ledger simulated here, with its own bookkeeping as the truth
# ---------------------------------------------------------------------------------------------
def _lapse(rows, buckets, expired_truth, member, before):
    """Points earned in year Y lapse on 31 December of Y + 1 (the simulator's own books)."""
    for year in sorted(buckets):
        when = pd.Timestamp(year=year + 1, month=12, day=31)
        if when < before and buckets[year] > 0:
            rows.append((member, when, "expire", -buckets[year]))
            expired_truth[year] = expired_truth.get(year, 0) + buckets[year]
            buckets[year] = 0


def _simulate_ledger(p_redeem: float, seed: int, n_members: int = 400, block: int = 300):
    """Purchases over 2021-2024; redeem whole blocks with ``p_redeem``; points lapse at the
    end of the year after earning. Returns the ledger, the true points expired per cohort and
    the share of eligible purchases with a redemption."""
    rng = np.random.default_rng(seed)
    rows, expired_truth, eligible, redeemed = [], {}, 0, 0
    for m in range(n_members):
        member = f"M{m}"
        days = np.unique(rng.integers(0, 4 * 365, rng.integers(1, 25)))  # one purchase a day
        buckets: dict[int, int] = {}
        for day in days:
            date = pd.Timestamp("2021-01-01") + pd.Timedelta(days=int(day))
            _lapse(rows, buckets, expired_truth, member, date)
            points = int(rng.integers(20, 400))
            buckets[date.year] = buckets.get(date.year, 0) + points
            rows.append((member, date, "earn", points))
            balance = sum(buckets.values())
            if balance >= block:
                eligible += 1
                if rng.random() < p_redeem:
                    redeemed += 1
                    spend = block * (balance // block)
                    rows.append((member, date, "redeem", -spend))
                    for year in sorted(buckets):
                        used = min(spend, buckets[year])
                        buckets[year] -= used
                        spend -= used
        _lapse(rows, buckets, expired_truth, member, pd.Timestamp("2025-01-01"))
    ledger = pd.DataFrame(rows, columns=["member_id", "entry_date", "entry_type", "points"])
    return ledger.sample(frac=1, random_state=seed), expired_truth, redeemed / eligible


@pytest.mark.parametrize("p_redeem", [0.2, 0.7])
def test_a_simulated_ledger_is_read_back_exactly(p_redeem):
    ledger, expired_truth, share = _simulate_ledger(p_redeem, seed=int(p_redeem * 10))
    # The redemption probability: exactly the simulated share of eligible days (one purchase a
    # day), and close to the probability drawn with.
    result = lp.redemption_probability(ledger, block=300)
    assert result["probability"] == pytest.approx(share)
    se = np.sqrt(p_redeem * (1 - p_redeem) / result["eligible_days"])
    assert abs(result["probability"] - p_redeem) < 4 * se
    # Expired points per earning cohort, traced oldest first, equal the simulator's own books.
    cohorts = lp.points_by_cohort(ledger, at="2024-12-31")
    for year, points in expired_truth.items():
        assert cohorts.loc[year, "expired"] == points
    total = cohorts["redeemed"] + cohorts["expired"] + cohorts["outstanding"]
    assert (cohorts["earned"] == total).all()
    # The shuffled rows are sorted back: the yearly table's balance is the ledger's sum.
    assert lp.points_by_year(ledger)["outstanding"].iloc[-1] == ledger["points"].sum()
    closed = cohorts[cohorts["closed"]]
    assert lp.breakage_rate(ledger) == pytest.approx(
        sum(expired_truth.get(y, 0) for y in closed.index) / closed["earned"].sum()
    )
