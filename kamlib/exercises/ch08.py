"""Chapter 8 exercises: choosing, implementing and evaluating a CRM system.

Declarations only: each answer is the solution in the source notebook, recorded into the
answer key by ``python -m kamlib.exercises.answer_key``. Kinds of exercise in this chapter:
- by hand (a small made-up case, answer typed): 8.1, 8.2;
- worked-example variations: 8.3 (other error costs), 8.7 (a revised rating);
- multi-step (no worked example walks through it): 8.4;
- multiple choice (wrong options are misconceptions): 8.5, 8.6;
- memo graded by hand (rubric in the instructor guide): 8.8.
"""

from kamlib.exercises.core import exercise

exercise(
    "8.1",
    kind="number",
    tol=0.005,
    title="difference-in-differences by hand",
    hint=(
        "Take each region's change over the year, then compare the two changes: the region not "
        "yet live shows what would have happened anyway (lecture section on difference-in-"
        "differences)."
    ),
)

exercise(
    "8.2",
    kind="number",
    tol=0.0005,
    title="recall of a matching by hand",
    hint=(
        "Recall divides the right matches by the records that truly have an account, not by the "
        "records matched (that would be precision)."
    ),
)

exercise(
    "8.3",
    kind="number",
    tol=0.005,
    title="when a false merge costs more",
    hint=(
        "Section 3 prices the threshold curve; only one of the three costs changes, the curve "
        "itself does not."
    ),
)

exercise(
    "8.4",
    kind="number",
    tol=0.0005,
    title="the effect on complaints",
    hint=(
        "Section 4 builds the ticket panel, which marks complaints; the estimator gives a log "
        "effect, which the result turns into a relative change."
    ),
)

exercise(
    "8.5",
    kind="choice",
    options={
        "a": "A log scale turns a change into a relative one; it does not make it larger, and "
        "both comparisons here use the same scale.",
        "b": "Right: resolution times fell slowly in every region, live or not; the naive "
        "comparison adds that fall to the system's effect, while difference-in-differences "
        "removes it with the month effects.",
        "c": "Fewer observations make an estimate less precise, not biased in one direction; "
        "and the naive comparison uses the same rows.",
        "d": "Clustering changes the standard errors, never the estimate itself.",
        "e": "At Huaxin the first region to go live was the fastest, not the slowest; and a "
        "region's own level is removed by comparing it with itself.",
    },
    hint="Look at the regions' curves before any of them went live (section 4).",
)

exercise(
    "8.6",
    kind="choice",
    options={
        "a": "TWFE handles any number of groups; the problem is which of them it uses as controls.",
        "b": "More noise widens the interval but does not shift the estimate one way; the bias "
        "stays with many more units.",
        "c": "Right: under a staggered rollout TWFE also compares later regions with regions "
        "already live; a still-growing effect there looks like a trend and is subtracted, "
        "biasing the estimate towards zero or beyond.",
        "d": "That is what the two-stage estimator does, and it is why that estimator needs a "
        "region not yet live in every month.",
        "e": "Clustered standard errors change the interval, never the estimate.",
    },
    hint="Think about which regions serve as the comparison group for a region that goes live late.",
)

exercise(
    "8.7",
    kind="number",
    tol=0.05,
    title="a second demonstration",
    hint=(
        "Section 1 scores the offers with the decision matrix; change the one rating on a copy "
        "of the table and score again with the same weights."
    ),
)

exercise(
    "8.8",
    kind="manual",
    points=4,
    title="Memo to the board: did the CRM project pay off?",
)
