"""Chapter 0 exercises: the Python and pandas primer.

Declarations only: each answer is the solution in the source notebook
(``notebooks/00_python_primer.ipynb``), recorded into the answer key by
``python -m kamlib.exercises.answer_key``. All four ask for one step of the primer applied to
another region, year or column, so their answers are never printed above them:
- 0.1 filter rows and count them;
- 0.2 filter by year and add up a column;
- 0.3 count the values of a column and name the most frequent;
- 0.4 average a column over a filtered table.
"""

from kamlib.exercises.core import exercise

exercise(
    "0.1",
    kind="number",
    tol=0.5,
    title="accounts in one region",
    hint=(
        "Section 3 keeps the rows of one region with a filter; count the rows that are left "
        "with len."
    ),
)

exercise(
    "0.2",
    kind="number",
    title="revenue of one year",
    hint=(
        "Section 4 keeps the orders of one year with .dt.year; add up the net revenue column of "
        "what is left."
    ),
)

exercise(
    "0.3",
    kind="text",
    title="the industry with the most accounts",
    hint=(
        "Section 3 counts the accounts of each region with value_counts; do the same for the "
        "industry column and read the first line. Give the name as text, in quotes."
    ),
)

exercise(
    "0.4",
    kind="number",
    title="the average order of 2024",
    hint=(
        "Keep the orders of 2024 as in section 4, then take the mean, not the sum, of the net "
        "revenue column."
    ),
)
