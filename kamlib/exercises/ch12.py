"""Chapter 12 exercises: three cases (workbook 12a) and the capstone key-account plan.

Declarations only: each answer is the solution in the source notebook, recorded into the
answer key by ``python -m kamlib.exercises.answer_key``. Kinds of exercise in this chapter:

Workbook 12a, the cases:
- by hand (a small made-up case, answer typed): 12.1;
- variations of an exhibit (another year, another rule, another account): 12.2, 12.4, 12.6;
- multi-step (no exhibit walks through it): 12.5;
- multiple choice (wrong options are misconceptions): 12.3, 12.7;
- memo graded by hand (rubric in the instructor guide): 12.8.

Workbook 12 capstone, the key-account plan:
- 12.9 checks the fact base the plan starts from (a number);
- 12.10 to 12.14 are the plan's five parts, each an analysis (code) and a text graded by hand
  with the capstone rubric of the instructor guide (4 points each, 20 in all).
"""

from kamlib.exercises.core import exercise

exercise(
    "12.1",
    kind="number",
    tol=0.5,
    title="by hand: the cost of a smaller reward block",
    hint=(
        "Count the whole blocks each member can redeem under each rule (a remainder smaller "
        "than a block stays unredeemed), turn blocks into points and points into yuan."
    ),
)

exercise(
    "12.2",
    kind="number",
    tol=0.0005,
    title="members within reach of the proposed block in 2024",
    hint=(
        "Exhibit A2's steps for another year: add up each member's earned points of that year "
        "only, then take the share at or above the cut among those members."
    ),
)

exercise(
    "12.3",
    kind="choice",
    title="what would show that the new rule works",
    options={
        "a": (
            "Members who redeem are the ones who buy a lot (they reach a block), so they spend "
            "more with or without the rule: a comparison of redeemers with the others measures "
            "who redeems, not what rewards do (selection)."
        ),
        "b": (
            "Lower breakage means more points paid for: it is the cost of the change, not a sign "
            "that members value the programme more."
        ),
        "c": (
            "The cost is only half of the question: a rule that doubles the cost can still pay "
            "if it raises spending enough. The data described cannot tell."
        ),
        "d": (
            "Right: neither the redeemers' spending nor the cost says what the rule did; only a "
            "comparison with members who did not get the rule (best chosen at random) measures "
            "its effect."
        ),
        "e": (
            "Sales may rise for many reasons (a good year, more members, a campaign); without a "
            "comparison group the rise cannot be put down to the rule."
        ),
    },
    hint="Ask what would have happened to the same members without the new rule.",
)

exercise(
    "12.4",
    kind="set",
    title="tiers by potential alone",
    hint=(
        "Apply exhibit B2's cut-offs to another value of each client and compare the result "
        "with the tier the client has today."
    ),
)

exercise(
    "12.5",
    kind="number",
    tol=0.5,
    title="what Hengda never paid",
    hint=(
        "Read the ledger as of a later day: the open amount of each of the account's invoices "
        "on that day, added up (chapter 10, section 2)."
    ),
)

exercise(
    "12.6",
    kind="set",
    title="another lost key account: when was it on the warning list?",
    hint=(
        "Replay the warning list as in exhibit C4, for this account, at each quarter end up to "
        "its lost date, and keep the days its churn risk was high."
    ),
)

exercise(
    "12.7",
    kind="choice",
    title="the lesson of Hengda",
    options={
        "a": (
            "Exhibit C2 shows revenue holding up until the account left: revenue lags, it "
            "falls once the customer has decided."
        ),
        "b": (
            "Exhibits C3 and C4 show signals months before the loss: a low survey score and "
            "more complaints than the account's own baseline."
        ),
        "c": (
            "Right: the complaint and satisfaction flags rated Hengda high risk months before "
            "its orders fell; on an account of that value a warning calls for a visit and a "
            "recovery plan at once."
        ),
        "d": (
            "Look again at exhibit C5: apart from one small invoice left open, Hengda paid "
            "within days of the due date to the end; payment did not warn."
        ),
        "e": (
            "Exhibit C6 prices a lifetime of margin and a region's contribution, far more than "
            "one year's revenue: what a supplier may spend on keeping an account is set by its "
            "lifetime value."
        ),
    },
    hint="Put the exhibits side by side by date: which one moved first?",
)

exercise(
    "12.8",
    kind="manual",
    points=4,
    title="Memo to the key account director: why we lost Hengda, and what we change",
)

exercise(
    "12.9",
    kind="number",
    tol=0.0005,
    title="the fact base: the key accounts' share of 2024 profit",
    hint=(
        "Customer profit as in chapter 4 for 2024; add the profit of the accounts of the key "
        "sales tier and divide by the profit of all accounts (loss-makers included)."
    ),
)

exercise("12.10", kind="manual", points=4, title="Capstone part 1: which accounts")
exercise("12.11", kind="manual", points=4, title="Capstone part 2: what to offer")
exercise("12.12", kind="manual", points=4, title="Capstone part 3: what it will earn")
exercise("12.13", kind="manual", points=4, title="Capstone part 4: what could go wrong")
exercise("12.14", kind="manual", points=4, title="Capstone part 5: the plan on one page")
