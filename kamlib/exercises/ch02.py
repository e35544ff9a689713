"""Chapter 2 exercises: identifying key accounts with experience, RFM and customer value.

Declarations only: each answer is the solution in the source notebook, recorded into the
answer key by ``python -m kamlib.exercises.answer_key``. Kinds of exercise in this chapter:
- by hand (a small made-up case, answer typed): 2.8, 2.9;
- multi-step (no worked example walks through it): 2.10;
- multiple choice (wrong options are misconceptions): 2.7, 2.11;
- memo graded by hand (rubric in the instructor guide): 2.12;
- the others vary a worked example (another year, region, cut-off or horizon).
"""

from kamlib.exercises.core import exercise

exercise(
    "2.1",
    kind="number",
    tol=0.5,
    title="recency of one account",
    hint=(
        "Recency counts the whole days from an account's last order up to the as-of date (section "
        "2 of the workbook)."
    ),
)

exercise(
    "2.2",
    kind="number",
    tol=0.5,
    title="class A in 2023",
    hint=(
        "Section 3 of the workbook, on one year's revenue: the account whose revenue carries the "
        "running total across 80% still belongs to class A."
    ),
)

exercise(
    "2.3",
    kind="set",
    title="accounts we can't lose",
    hint=(
        "Can't lose is the segment of low recency score and high FM (lecture section 2.3); the "
        "segment table of section 2 names it for every account."
    ),
)

exercise(
    "2.4",
    kind="number",
    tol=0.5,
    title="accounts to grow, with fixed thresholds",
    hint=(
        "Section 4 of the workbook splits both axes at their medians; look up in the function's "
        "help how to split them at amounts you choose. Grow is low current value with high "
        "potential."
    ),
)

exercise(
    "2.5",
    kind="number",
    title="agreement of two shorter lists",
    hint=(
        "Section 5 of the workbook ranks accounts both ways; shorten both lists, then the Jaccard "
        "index is the accounts on both lists over the accounts on either."
    ),
)

exercise(
    "2.6",
    kind="number",
    tol=0.5,
    title="the core list when potential counts in full",
    hint=(
        "Only the value list changes (lecture section 2.5: current + w x potential); rebuild it, "
        "then find the accounts common to the three lists."
    ),
)

exercise(
    "2.7",
    kind="choice",
    title="moving the as-of date",
    options={
        "a": (
            "Recency is not a property of the orders alone: it is measured from the as-of date, "
            "which has moved."
        ),
        "b": (
            "This treats the scores as fixed bands of days. Quantile scores come from how accounts "
            "rank against one another."
        ),
        "c": (
            "Frequency and monetary value here are totals of the orders up to the as-of date, not "
            "rates per month."
        ),
        "d": (
            "Right: every recency grows by the same 90 days, so the accounts keep their ranks, and "
            "quantile scores depend only on the ranks."
        ),
    },
    hint=(
        "Lecture section 2.7, 'Pitfalls': what does moving the as-of date do to each recency, and "
        "what do quantile scores depend on?"
    ),
)

exercise(
    "2.8",
    kind="text",
    title="by hand: an RFM code with ties",
    hint=(
        "Lecture section 2.3, 'From measures to scores': three accounts share one frequency, so "
        "they share one average rank, and the score comes from that rank's mid-point."
    ),
)

exercise(
    "2.9",
    kind="text",
    title="by hand: the segment of account V",
    hint=(
        "Work out FM, the average of F and M, and look carefully at where the middle band of FM "
        "begins (lecture section 2.3, 'From scores to segments')."
    ),
)

exercise(
    "2.10",
    kind="set",
    title="key accounts in danger",
    hint=(
        "Three conditions, from three places: the sales team's list (section 1), the segments "
        "(section 2) and the accounts table. Combine them as sets."
    ),
)

exercise(
    "2.11",
    kind="choice",
    title="comparing lists of different lengths",
    options={
        "a": (
            "Right: lists of 300 and 700 accounts can have a Jaccard index of at most 300/700, "
            "which these lists reach; agreement is measured on lists of equal length."
        ),
        "b": (
            "A longer list is not a better one; the number of accounts a method names is a choice "
            "of the analyst."
        ),
        "c": (
            "The Jaccard index cannot reach 1 when the lists have different lengths, so its value "
            "here says more about the lengths than about disagreement."
        ),
        "d": (
            "Shortening one list changes both the intersection and the union; the index depends on "
            "the lengths."
        ),
    },
    hint=(
        "Lecture section 2.6: what is the largest Jaccard index two lists of 300 and 700 accounts "
        "can have?"
    ),
)

exercise(
    "2.12",
    kind="manual",
    points=4,
    title="memo: which list for next year?",
)
