"""Chapter 9 (b) exercises: predicting churn, survival and whom to retain.

Declarations only: each answer is the solution in the source notebook, recorded into the
answer key by ``python -m kamlib.exercises.answer_key``. Kinds of exercise in this workbook:
- by hand (a small made-up case, answer typed): 9.11, 9.12;
- variations of a worked example (another horizon, another segment): 9.13, 9.14;
- multi-step (no worked example walks through it): 9.15;
- multiple choice (wrong options are misconceptions): 9.16, 9.17;
- memo graded by hand (rubric in the instructor guide): 9.18.
"""

from kamlib.exercises.core import exercise

exercise(
    "9.11",
    kind="number",
    tol=0.005,
    title="by hand: a Kaplan-Meier estimate",
    hint=(
        "Step down only at months where an account left, by (1 - leavers / accounts at risk); "
        "a censored account makes no step but is no longer at risk afterwards (section 3)."
    ),
)

exercise(
    "9.12",
    kind="number",
    tol=1.0,
    title="by hand: expected value saved",
    hint=(
        "The offer saves value only if the account would have left and the offer works; its "
        "cost is paid either way (section 4)."
    ),
)

exercise(
    "9.13",
    kind="number",
    tol=0.01,
    title="a six-month horizon",
    hint=(
        "Build both data sets with the shorter horizon (the label function takes it), fit on "
        "the earlier date only and measure how well it ranks the accounts of the later one."
    ),
)

exercise(
    "9.14",
    kind="number",
    tol=0.002,
    title="key accounts' survival",
    hint=(
        "The survival table already carries the tier; a Kaplan-Meier estimate at 60 months is "
        "the value of the last step at or before 60 months of the key accounts' curve."
    ),
)

exercise(
    "9.15",
    kind="number",
    tol=1.0,
    title="a retention budget for key accounts only",
    hint=(
        "Keep only the key accounts before choosing (choosing among all accounts and then "
        "dropping the others spends the budget differently); the value actually saved counts "
        "only the targeted accounts that did leave, less every offer's cost."
    ),
)

exercise(
    "9.16",
    kind="choice",
    title="why a time split",
    options={
        "a": (
            "More training data does not make a test honest: the random split lets the model "
            "see the very period it is judged on."
        ),
        "b": (
            "As-of features stop leakage inside one snapshot, but a random split still trains "
            "on the outcomes of the period it tests (and on the same accounts)."
        ),
        "c": (
            "Any model used to predict the future must be tested on a later period than it "
            "learnt from, whatever its kind."
        ),
        "d": (
            "Right: on the scoring day the future is unknown; a time split reproduces that, a "
            "random split mixes both years and the same accounts into training and test."
        ),
        "e": (
            "The size of the test set changes how precise the AUC is, not whether it is optimistic."
        ),
    },
    hint="Ask what the model could have known on the day it is used (section 1).",
)

exercise(
    "9.17",
    kind="choice",
    title="churn score or expected value",
    options={
        "a": (
            "A likely leaver worth little saves little: the expected value saved multiplies "
            "the probability by the value at risk and takes off the offer's cost."
        ),
        "b": (
            "A modest AUC still ranks far better than chance (the top tenth's lift shows it); "
            "picking at random throws that away."
        ),
        "c": (
            "Right: lift counts churners, not yuan; rank by P(churn) x value at risk x "
            "P(offer works) - cost."
        ),
        "d": (
            "Value alone spends the budget on large accounts that mostly stay; the offer saves "
            "nothing on an account that was not leaving."
        ),
        "e": (
            "Gains and lift judge any ranking against its events: leads that convert or "
            "accounts that leave."
        ),
    },
    hint="Compare what the three rules of section 4 actually saved.",
)

exercise(
    "9.18",
    kind="manual",
    points=4,
    title="memo: whom do we make a retention offer to?",
)
