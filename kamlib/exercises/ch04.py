"""Chapter 4 exercises: customer profit, activity-based cost to serve and the whale curve.

Declarations only: each answer is the solution in the source notebook, recorded into the
answer key by ``python -m kamlib.exercises.answer_key``. Kinds of exercise in this chapter:
- by hand (a small made-up case, answer typed): 4.7;
- multi-step (no worked example walks through it): 4.8;
- multiple choice (wrong options are misconceptions): 4.6;
- memo graded by hand (rubric in the instructor guide): 4.9;
- the others vary a worked example (another year, region, cut-off or horizon).
"""

from kamlib.exercises.core import exercise

exercise(
    "4.1",
    kind="number",
    title="the cost of serving in 2023",
    hint=(
        "Section 2 of the workbook prices every activity of one year; do it for the year asked and "
        "add up over all accounts."
    ),
)

exercise(
    "4.2",
    kind="number",
    tol=0.5,
    title="loss-makers in 2023",
    hint=(
        "Section 1 of the workbook builds one year's profit table, after cost to serve and "
        "acquisition cost; count the accounts below zero."
    ),
)

exercise(
    "4.3",
    kind="number",
    title="where the 2023 whale peaks",
    hint=(
        "The whale curve peaks at the last profitable account (lecture section 4.4); section 3 of "
        "the workbook summarises the curve of one year."
    ),
)

exercise(
    "4.4",
    kind="number",
    title="Small accounts in the East",
    hint=(
        "Region and size band belong to the accounts table: bring them to the profit table, keep "
        "the slice asked for, then take the share below zero."
    ),
)

exercise(
    "4.5",
    kind="number",
    tol=0.5,
    title="somewhat dearer service",
    hint=(
        "Section 5 of the workbook recomputes the year's profit with every price scaled by one "
        "factor; do the same for this factor."
    ),
)

exercise(
    "4.6",
    kind="choice",
    title="what to do with a loss-maker",
    options={
        "a": (
            "A loss-making account is not always one to drop; letting it go is the last step, once "
            "cheaper service, pricing and growth have failed."
        ),
        "b": (
            "The dearest activity per unit is not necessarily what drives this account's cost; "
            "look at how much of each activity it uses."
        ),
        "c": (
            "Changing the allocation hides the cost without removing it; activity-based costing "
            "was introduced to see such differences."
        ),
        "d": (
            "Right: the loss comes from how the account is served; diagnose the activities behind "
            "it, change or price them, and measure again before deciding about the relationship."
        ),
        "e": (
            "Revenue is not profit: the margin left after the cost to serve is what the account "
            "contributes."
        ),
    },
    hint="Ask what drives the account's cost before deciding anything about the relationship.",
)

exercise(
    "4.7",
    kind="number",
    tol=0.5,
    title="by hand: the profit of one account",
    hint=(
        "Lecture section 4.2 lists the lines from gross revenue down to profit; do not forget the "
        "discount and the acquisition cost."
    ),
)

exercise(
    "4.8",
    kind="number",
    tol=0.5,
    title="loss-makers two years running",
    hint=(
        "The profit table can leave the acquisition cost out (see its help, and lecture section "
        "4.2 on where acquisition cost goes); find the loss-makers of each year and compare the "
        "two groups."
    ),
)

exercise(
    "4.9",
    kind="manual",
    points=4,
    title="memo: what to do about the loss-making accounts",
)
