"""Chapter 10 exercises: dependence, credit risk, early warning and the risk register.

Declarations only: each answer is the solution in the source notebook, recorded into the
answer key by ``python -m kamlib.exercises.answer_key``. Kinds of exercise in this chapter:
- by hand (a small made-up case, answer typed): 10.1, 10.2, 10.3;
- multi-step (no worked example walks through it): 10.5;
- multiple choice (wrong options are misconceptions): 10.6;
- memo graded by hand (rubric in the instructor guide): 10.7;
- 10.4 varies a worked example (another size of the top group).
"""

from kamlib.exercises.core import exercise

exercise(
    "10.1",
    kind="number",
    tol=0.5,
    title="by hand: the HHI of five accounts",
    hint=(
        "The HHI squares each share written in percent (40, not 0.4) and adds the squares "
        "(workbook section 1)."
    ),
)

exercise(
    "10.2",
    kind="number",
    tol=0.5,
    title="by hand: ageing a small ledger",
    hint=(
        "Only what is still open counts: subtract each invoice's payments first, then count the "
        "days from its due date (not its issue date) to 30 June."
    ),
)

exercise(
    "10.3",
    kind="number",
    tol=0.05,
    title="by hand: count-back DSO",
    hint=(
        "Start with the most recent month and take away whole months' sales while they fit in "
        "the receivables; the last month counts only the part the remainder covers."
    ),
)

exercise(
    "10.4",
    kind="number",
    tol=0.0005,
    title="profit from the twenty most profitable accounts",
    hint=(
        "Section 1 ranks accounts by the value whose share it measures; here that value is "
        "profit, and the total includes the accounts that lose money."
    ),
)

exercise(
    "10.5",
    kind="set",
    title="a credit-hold list",
    hint=(
        "Two tables of section 2 each answer one of the two conditions, both as of the same "
        "date; the list needs both conditions at once."
    ),
)

exercise(
    "10.6",
    kind="choice",
    title="reading a warning list's precision",
    options={
        "a": (
            "That is recall, the share of lost accounts the list caught. Precision is the share "
            "of the warned accounts that were lost."
        ),
        "b": (
            "Right: precision is the share of warned accounts that were in fact lost (about one "
            "in eight); against a base rate of 6% the list finds them at twice the rate of a "
            "random list (a lift of 2)."
        ),
        "c": (
            "This ignores the base rate: when only 6% of accounts leave, a list on which 12% "
            "leave is twice as good as chance, and a call costs little against a lost account."
        ),
        "d": (
            "This confuses precision with accuracy over all accounts; precision looks only at "
            "the accounts on the list."
        ),
        "e": (
            "Precision describes the warned accounts, not the whole customer base; 6% of all "
            "accounts were lost."
        ),
    },
    hint="Precision looks only at the accounts on the list; compare it with the base rate.",
)

exercise(
    "10.7",
    kind="manual",
    points=4,
    title="Memo to the managing director: our risks with key accounts",
)
