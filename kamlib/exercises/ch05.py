"""Chapter 5 exercises, first workbook (05a): life cycle, cohorts, closed-form and Markov CLV.

Declarations only: each answer is the solution in the source notebook, recorded into the
answer key by ``python -m kamlib.exercises.answer_key``. Kinds of exercise in this chapter:
- by hand (a small made-up case, answer typed): 5.9;
- multi-step (no worked example walks through it): 5.11;
- multiple choice (wrong options are misconceptions): 5.10;
- memo graded by hand (rubric in the instructor guide): 5.12;
- the others vary a worked example (another year, region, cut-off or horizon).
"""

from kamlib.exercises.core import exercise

exercise(
    "5.1",
    kind="number",
    tol=0.5,
    title="accounts at risk in September",
    hint=(
        "Section 1 of the workbook places the accounts in stages on one date; use the date asked, "
        "with the default rules."
    ),
)

exercise(
    "5.2",
    kind="number",
    title="yearly cohorts, two years on",
    hint=(
        "Section 3 of the workbook builds quarterly cohorts from the accounts won since 2022; "
        "change the length of the period and read the row and the column asked for."
    ),
)

exercise(
    "5.3",
    kind="number",
    title="the lifetime value of a Large account",
    hint=(
        "Two inputs to build from the orders (a margin and a retention rate, both for Large "
        "accounts only), then the closed form of lecture section 5.3 with a 10-year horizon."
    ),
)

exercise(
    "5.4",
    kind="number",
    title="a quiet quarter in the migration model",
    hint=(
        "Section 6 of the workbook values every state over 20 quarters and with no end; shorten "
        "the horizon and read the state asked for."
    ),
)

exercise(
    "5.9",
    kind="number",
    tol=25,
    title="by hand: a three-year CLV",
    hint=(
        "Lecture section 5.3, the box 'Worked by hand: closed-form CLV': the first margin is "
        "certain, each later one needs the account to have stayed, and every one is discounted to "
        "today."
    ),
)

exercise(
    "5.10",
    kind="choice",
    title="what five points of retention are worth",
    options={
        "a": (
            "The CLV is not proportional to the retention rate: retention sits in the denominator, "
            "1 + d - r."
        ),
        "b": (
            "Right: with no end the CLV is m / (1 + d - r), and 0.30 / 0.25 = 1.2 for every "
            "margin: a 20% rise, worth more yuan where the margin is larger."
        ),
        "c": (
            "The gain from retention scales with the margin; a higher retention does not add a "
            "fixed amount to every account."
        ),
        "d": (
            "Retention and margin are not equally strong levers; compare what each does to m / (1 "
            "+ d - r)."
        ),
        "e": (
            "The start-of-year convention multiplies every CLV by the same factor (1 + d), so it "
            "does not change a percentage comparison."
        ),
    },
    hint="Write the CLV with no end for both retention rates and divide one by the other.",
)

exercise(
    "5.11",
    kind="number",
    title="what winning back quiet accounts is worth",
    hint=(
        "Two things from section 6: how many accounts are in each quiet state today, and what an "
        "account is worth in each state. The gain of one account is the difference between two "
        "state values."
    ),
)

exercise(
    "5.12",
    kind="manual",
    points=4,
    title="memo: how much may we spend to win and to keep an account?",
)
