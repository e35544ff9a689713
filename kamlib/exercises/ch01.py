"""Chapter 1 exercises: meet the company and measure how concentrated its revenue is.

Declarations only: each answer is the solution in the source notebook, recorded into the
answer key by ``python -m kamlib.exercises.answer_key``. Kinds of exercise in this chapter:
- by hand (a small made-up case, answer typed): 1.6, 1.7;
- multi-step (no worked example walks through it): 1.8;
- multiple choice (wrong options are misconceptions): 1.5;
- memo graded by hand (rubric in the instructor guide): 1.9;
- the others vary a worked example (another year, region, cut-off or horizon).
"""

from kamlib.exercises.core import exercise

exercise(
    "1.1",
    kind="number",
    tol=0.5,
    title="accounts that lapsed",
    hint=(
        "An account has lapsed if it is among the 2023 buyers and not among the 2024 buyers: think "
        "of two sets of account ids."
    ),
)

exercise(
    "1.2",
    kind="number",
    title="the top 10% in 2023",
    hint=(
        "Lecture section 1.4: rank the accounts by that year's revenue, largest first, and cut "
        "after a tenth of them (the number of accounts is rounded up)."
    ),
)

exercise(
    "1.3",
    kind="number",
    title="concentration in one region",
    hint=(
        "The region belongs to the account, not to the order: select the region's accounts first, "
        "then measure concentration as in section 2."
    ),
)

exercise(
    "1.4",
    kind="set",
    title="the ten largest accounts of 2022",
    hint="The Pareto table of section 2 ranks the accounts; build it for the right year.",
)

exercise(
    "1.5",
    kind="choice",
    title="reading a Gini coefficient of 0",
    options={
        "a": (
            "This reverses the scale: a Gini coefficient close to 1 is the case where a handful of "
            "accounts, in the extreme one, carry the business."
        ),
        "b": (
            "The 80/20 rule is a rule of thumb for strong concentration, not the zero point of the "
            "Gini scale. Picture the Lorenz curve of a Gini of 0."
        ),
        "c": (
            "Right: a Gini coefficient of 0 means the Lorenz curve is the diagonal, so every "
            "account brings the same revenue."
        ),
        "d": (
            "The Gini coefficient compares accounts with one another within one period; it says "
            "nothing about change over time."
        ),
        "e": (
            "Whether an account is key is a judgement of its strategic importance (lecture section "
            "1.1), not something a concentration measure decides."
        ),
    },
    hint=(
        "Lecture section 1.4: what does the Lorenz curve look like when the area between it and "
        "the line of equality is zero?"
    ),
)

exercise(
    "1.6",
    kind="number",
    tol=0.005,
    title="by hand: the top-20% share of six accounts",
    hint=(
        "First decide how many accounts make up the top 20% of six; the lecture rounds that number "
        "up."
    ),
)

exercise(
    "1.7",
    kind="number",
    tol=0.005,
    title="by hand: the Gini coefficient of the six accounts",
    hint=(
        "Lecture section 1.4 gives two routes to the Gini coefficient; both start by sorting the "
        "accounts from the smallest."
    ),
)

exercise(
    "1.8",
    kind="number",
    title="do the top accounts stay on top?",
    hint=(
        "Build one year's top-20% group the way section 2 ranks accounts, repeat for the other "
        "year, and compare the two groups as sets."
    ),
)

exercise(
    "1.9",
    kind="manual",
    points=4,
    title="memo: how dependent are we on our largest accounts?",
)
