"""Chapter 7 exercises: relationship marketing, acquisition and retention, cross-selling, campaigns.

Declarations only: each answer is the solution in the source notebook, recorded into the
answer key by ``python -m kamlib.exercises.answer_key``. Kinds of exercise in this chapter:
- by hand (a small made-up case, answer typed): 7.1, 7.2, 7.3;
- variations of a worked example (another outcome, another grouping): 7.4, 7.5;
- multi-step (no worked example walks through them): 7.6, 7.7;
- multiple choice (wrong options are misconceptions): 7.8, 7.9;
- memo graded by hand (rubric in the instructor guide): 7.10.
Exercises 7.11 and later belong to the chapter's cases workbook (ch07b).
"""

from kamlib.exercises.core import exercise

exercise(
    "7.1",
    kind="number",
    tol=0.005,
    title="by hand: the lift of a basket rule",
    hint=(
        "Confidence is the share of the baskets with the antecedent that also hold the "
        "consequent; lift divides it by the consequent's share of all baskets."
    ),
)

exercise(
    "7.2",
    kind="number",
    tol=0.005,
    title="by hand: the ROI of a small campaign",
    hint=(
        "Only the margin on the extra revenue pays for a campaign; the return is what is left "
        "after the cost, over the cost."
    ),
)

exercise(
    "7.3",
    kind="number",
    tol=1,
    title="by hand: what five points of retention are worth",
    hint=(
        "Work out the lifetime value at each retention rate with the closed form of chapter 5 "
        "(first margin at the end of the first year) and take the difference."
    ),
)

exercise(
    "7.4",
    kind="number",
    tol=0.002,
    title="the campaign's effect on the share of accounts still ordering",
    hint=(
        "Section 4's intention-to-treat comparison works for any outcome of every assigned "
        "account, a True/False one too; its difference is then in shares."
    ),
)

exercise(
    "7.5",
    kind="number",
    tol=0.001,
    title="the order-rate ratio of the key accounts",
    hint=(
        "The order-rate ratio can be taken within any grouping of the accounts; the sales tier "
        "is in the accounts table, not in the campaign's."
    ),
)

exercise(
    "7.6",
    kind="number",
    tol=100,
    title="what the Medium band's campaign gained at the low end of its interval",
    hint=(
        "The band's own interval, the band's own margin rate on its treated accounts' orders in "
        "the window, and the band's own cost: extra margin at the low end minus the cost."
    ),
)

exercise(
    "7.7",
    kind="number",
    tol=100,
    title="what the campaign paid per account it kept",
    hint=(
        "How many treated accounts would have been lost at the control arm's rate, and how many "
        "were? The difference is the accounts kept; set the campaign's whole cost against it."
    ),
)

exercise(
    "7.8",
    kind="choice",
    title="which estimate answers which question",
    options={
        "a": (
            "Randomisation makes the arms alike before the start; it does not make the three "
            "estimates measure the same thing. Each answers its own question."
        ),
        "b": (
            "Dropping the accounts that left would compare survivors with survivors: the "
            "campaign kept more treated accounts, so the comparison would no longer be between "
            "like groups, and the revenue of keeping them would be lost from the estimate."
        ),
        "c": (
            "A ratio and a difference can be compared once both are in money: the revenue "
            "uplift is the control revenue times the implied ratio minus one."
        ),
        "d": (
            "Right: the ITT difference counts everything the campaign did to the revenue of "
            "every account assigned (more orders while active, fewer losses, and chance "
            "differences in order value); the order-rate ratio looks only at orders per active "
            "day, so the two need the exposure and order-value factors to line up."
        ),
        "e": (
            "The hazard ratio is about losses, but losses change revenue: a kept account goes "
            "on ordering. It belongs in the revenue story, through the days active."
        ),
    },
    hint=(
        "Write revenue in the window as days active x orders per day x revenue per order, and "
        "ask which factor each estimate measures."
    ),
)

exercise(
    "7.9",
    kind="choice",
    title="reading lifts below and above one",
    options={
        "a": (
            "A lift below 1 at the order level does not mean the categories sell badly: every "
            "category sells on many orders. It says two of them appear together less often than "
            "if they were independent."
        ),
        "b": (
            "Right: each account buys mostly its own few categories, so two categories on one "
            "order are rarer than independence predicts (lift below 1), while an account that "
            "orders often buys many categories over two years (lift above 1). The lift reflects "
            "how the baskets are built, not a product affinity; only the later period can show "
            "whether a rule helps."
        ),
        "c": (
            "A rule with lift below 1 predicts the consequent less well than its own share; "
            "offering it first would do worse than offering the most popular category."
        ),
        "d": (
            "Lifts above 1 from account baskets come from accounts that buy a lot buying "
            "everything; they do not prove that one category leads to another. The test on 2024 "
            "purchases is what judges an offer."
        ),
        "e": (
            "The lifts are estimated from two full years of orders; their direction is not "
            "noise, it comes from how the baskets are made."
        ),
    },
    hint=(
        "Think about what one order of one account holds, and what two years of an account "
        "that orders often hold."
    ),
)

exercise(
    "7.10",
    kind="manual",
    points=4,
    title="Memo to the sales director: the 2024 campaign and the next one",
)
