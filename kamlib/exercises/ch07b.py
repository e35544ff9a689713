"""Chapter 7 (cases) exercises: the retailer's points programme and the bank's wealthy clients.

Declarations only: each answer is the solution in the source notebook
``notebooks/07b_membership_and_bank_cases.ipynb``, recorded into the answer key by
``python -m kamlib.exercises.answer_key``. Kinds of exercise in this workbook:
- by hand (a small made-up case, answer typed): 7.11 (breakage), 7.12 (a points liability);
- variations of a worked example: 7.13 (the liability with a dearer voucher), 7.17 (the private
  tier's profit at a dearer manager hour);
- multi-step (no worked example walks through it): 7.14 (points held in balances too small to
  redeem), 7.16 (the bank's growth targets);
- multiple choice (wrong options are misconceptions): 7.15, 7.18;
- memo graded by hand (rubric in the instructor guide): 7.19.
"""

from kamlib.exercises.core import exercise

exercise(
    "7.11",
    kind="number",
    tol=0.0005,
    title="by hand: breakage of one earning year",
    hint=(
        "Breakage counts the points of one earning year that expired, against all the points "
        "earned that year; redeemed points leave oldest first (section 2)."
    ),
)

exercise(
    "7.12",
    kind="number",
    tol=0.5,
    title="by hand: a points liability",
    hint=(
        "The liability is not the face value of the points: only the share expected to be "
        "redeemed will cost anything, at the cost of the reward per point (section 4)."
    ),
)

exercise(
    "7.13",
    kind="number",
    tol=1.0,
    title="the liability with a dearer voucher",
    hint=(
        "Only the value of a point changes; the outstanding points and the share expected to be "
        "redeemed stay as in section 4."
    ),
)

exercise(
    "7.14",
    kind="number",
    tol=0.002,
    title="points held in balances too small to redeem",
    hint=(
        "A member's balance on a day is the sum of all their ledger entries up to that day; "
        "compare each balance with the smallest reward, then weigh by points, not by members."
    ),
)

exercise(
    "7.15",
    kind="choice",
    title="what the redeemers' higher spending means",
    options={
        "a": (
            "This reads a comparison as an effect. Redeemers were chosen by their own buying: "
            "heavy buyers earn points faster and reach a reward first, so they spend more with "
            "or without the programme."
        ),
        "b": (
            "Matching on past spend removes part of the selection, not all of it: redeeming "
            "also needs a purchase in the period, which marks a member as still active, and "
            "the workbook's matched gap stays large although points change nothing in this "
            "simulation."
        ),
        "c": (
            "The difference in differences assumes both groups would have changed alike; heavy "
            "buyers drift back towards the average (regression to the mean), so its sign and "
            "size say nothing certain about the programme either."
        ),
        "d": (
            "Right: the gap is mostly selection, visible before anyone redeemed; only a random "
            "split (an offer to a random half, or a holdout kept out of the programme) measures "
            "what the programme causes."
        ),
        "e": (
            "Giving the redeemers more points rewards those who would buy anyway; without a "
            "control group nobody can tell whether the extra points change anything."
        ),
    },
    hint=(
        "Look at the gap before the period, when nobody had redeemed yet, and ask how members "
        "became redeemers (section 6)."
    ),
)

exercise(
    "7.16",
    kind="set",
    title="the bank's growth targets",
    hint=(
        "Two conditions at once, both on the client economics table: a small share of wallet "
        "and a large amount invested elsewhere (section 8)."
    ),
)

exercise(
    "7.17",
    kind="number",
    tol=1.0,
    title="the private tier's profit at a dearer manager hour",
    hint="Only the cost of a manager's hour changes; add up the private tier's profit again.",
)

exercise(
    "7.18",
    kind="choice",
    title="who should get the premium service",
    options={
        "a": (
            "Assets held today are one input, not the rule: the table shows private clients "
            "who cost more than they bring and wealthy clients kept in lower tiers because most "
            "of their money is elsewhere."
        ),
        "b": (
            "Dropping every loss-making client ignores that a client's cost to serve can be "
            "cut (fewer hours, fewer events) and that some losses buy a larger share of wallet "
            "later."
        ),
        "c": (
            "Revenue is not profit: the highest-revenue clients also take the most manager "
            "hours and events, and one private client earns the bank less than it costs."
        ),
        "d": (
            "Equal service for all wastes the managers' scarce hours: a manager serves a few "
            "clients well, so coverage must go where it earns most."
        ),
        "e": (
            "Right: premium service is an investment; it should go where revenue covers the "
            "cost to serve, or where a large headroom makes a higher share of wallet likely, "
            "and the bank should test the second bet on some clients before rolling it out."
        ),
    },
    hint=(
        "Compare, client by client, what the premium service costs with what the client brings "
        "now and could bring (section 8)."
    ),
)

exercise(
    "7.19",
    kind="manual",
    points=4,
    title="memo: does the points programme pay?",
)
