"""Chapter 0 exercises: the Python and pandas primer.

Declarations only: each answer is the solution in the source notebook, recorded into the
answer key by ``python -m kamlib.exercises.answer_key``. Kinds of exercise in this chapter:
- by hand (a small made-up case, answer typed): 0.5;
- multi-step (no worked example walks through it): 0.7;
- multiple choice (wrong options are misconceptions): 0.6;
- the others vary a worked example (another year, region, cut-off or horizon).
"""

from kamlib.exercises.core import exercise

exercise(
    "0.1",
    kind="number",
    tol=0.5,
    title="accounts in one region",
    hint="Section 3 keeps the rows of one region with a filter; count the rows that are left.",
)

exercise(
    "0.2",
    kind="number",
    title="revenue of one year",
    hint="Section 4 keeps the orders of one year; add up the net revenue of what is left.",
)

exercise(
    "0.3",
    kind="text",
    title="the industry with the most accounts",
    hint=(
        "Section 3 counts the accounts of each region; do the same for the industry column. Give "
        "the name as text, in quotes."
    ),
)

exercise(
    "0.4",
    kind="number",
    title="the average order of 2024",
    hint=(
        "Keep the orders of 2024 as in section 4, then take the average, not the total, of the net "
        "revenue column."
    ),
)

exercise(
    "0.5",
    kind="number",
    tol=0.005,
    title="by hand: predict what Python computes",
    hint="sum adds up the values of a list; then it is one division of two totals.",
)

exercise(
    "0.6",
    kind="choice",
    title="what a filter does",
    options={
        "a": "A filter does not change the table it reads from; it makes a new one.",
        "b": (
            "Right: a filter makes a new table with the rows where the condition holds, and leaves "
            "the original as it was."
        ),
        "c": (
            "That describes the condition inside the brackets, not the result of using it to keep "
            "rows."
        ),
        "d": "A filter keeps every row where the condition holds, not only the first.",
        "e": "`==` compares, it does not assign: a single `=` stores a value.",
    },
    hint="Section 3: what goes inside the square brackets, and what comes out?",
)

exercise(
    "0.7",
    kind="number",
    title="the East region's share of 2024 revenue",
    hint=(
        "Three steps from sections 3 and 4: find the East accounts' ids, keep the 2024 orders of "
        "those accounts, and divide their revenue by all 2024 revenue."
    ),
)
