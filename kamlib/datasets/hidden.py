"""The hidden traits of Huaxin's accounts: the simulated truth behind the course tables.

Every account of the course world was simulated from traits that no table shows (its wallet,
share of wallet, strategic fit, satisfaction, service demand, credit risk). Because the world is
simulated, a method can be judged by how far it recovers them: chapter 6 asks how well
segments found in the tables separate them. In real data these traits are unknown.

The traits are drawn in the first steps of ``kamlib.datasets.generate.simulate_b2b``, before
any order, so they are re-drawn here from the same random streams in well under a second
instead of re-running the whole simulation (about ten seconds); a test checks that both agree.

>>> from kamlib.datasets.hidden import hidden_account_traits
>>> traits = hidden_account_traits()
>>> traits.index[:2].tolist(), len(traits)
(['A0001', 'A0002'], 3000)
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from kamlib.validation import check_seed

__all__ = ["HIDDEN_TRAITS", "hidden_account_traits"]

#: What each column of :func:`hidden_account_traits` means (see datasets/true_parameters.json).
HIDDEN_TRAITS = {
    "wallet": "what the account spends per year on Huaxin's kind of supplies, with all suppliers "
    "(CNY)",
    "share": "share of wallet Huaxin wins (0-1)",
    "fit": "strategic fit, a latent score (mean 0, higher in the target industries)",
    "satisfaction": "satisfaction, a latent score (mean 0, sd 1)",
    "demand": "service demand, a latent score (mean 0, sd 1): drives cost to serve",
    "credit_risk": "credit risk, a latent score (mean 0, sd 1): drives late payment",
    "band": "size band as a number (0 Small, 1 Medium, 2 Large, 3 Enterprise)",
    "annual_revenue": "expected revenue per year with Huaxin, wallet x share (CNY)",
    "orders_per_year": "expected number of orders per year",
    "key": "True for the accounts the sales team treats as key accounts",
    "discount": "usual discount rate",
}


@lru_cache(maxsize=4)
def _traits(seed: int) -> pd.DataFrame:
    from kamlib.datasets.accounts import simulate_accounts, simulate_prospects
    from kamlib.datasets.world import spawn_streams

    # simulate_b2b spawns eight streams and uses the first two for prospects and accounts.
    streams = spawn_streams(seed, 8)
    prospects = simulate_prospects(streams[0])
    accounts, hidden = simulate_accounts(streams[1], prospects)
    table = hidden.drop(columns="categories")
    table.index = pd.Index(accounts["account_id"].to_numpy(), name="account_id")
    return table


def hidden_account_traits(seed: int | None = None) -> pd.DataFrame:
    """The hidden traits of every simulated account, indexed by ``account_id``.

    Parameters
    ----------
    seed : int, optional
        Seed of the course world; by default the seed the course datasets were made with.

    Returns
    -------
    pandas.DataFrame
        One row per account of ``accounts.csv`` (same order); the columns of
        :data:`HIDDEN_TRAITS` plus the five satisfaction drivers ``perf_*`` (latent scores).
        A fresh copy on each call (the draws are cached in the session).

    Examples
    --------
    >>> traits = hidden_account_traits()
    >>> bool(traits["share"].between(0, 1).all()), sorted(traits["band"].unique().tolist())
    (True, [0, 1, 2, 3])
    """
    from kamlib.datasets.world import SEED

    seed = check_seed(
        SEED if seed is None else seed, "kamlib.datasets.hidden.hidden_account_traits"
    )
    return _traits(seed).copy()
