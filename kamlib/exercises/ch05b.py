"""Chapter 5 exercises, second workbook (05b): BG/NBD, Gamma-Gamma and CLV per member.

Declarations only: each answer is the solution in the source notebook, recorded into the
answer key by ``python -m kamlib.exercises.answer_key``. Kinds of exercise in this chapter:
- by hand (a small made-up case, answer typed): 5.13;
- multi-step (no worked example walks through it): 5.15;
- multiple choice (wrong options are misconceptions): 5.14;
- the others vary a worked example (another year, region, cut-off or horizon).
"""

from kamlib.exercises.core import exercise

exercise(
    "5.5",
    kind="number",
    title="how much buying rates differ",
    hint="The fitted parameters of section 2 and the formula in the question are all you need.",
)

exercise(
    "5.6",
    kind="number",
    title="the holdout forecast",
    hint=(
        "The model predicts each member's expected purchases over a length of time you give it; "
        "the summary table says how long each member's holdout is. Add up over members."
    ),
)

exercise(
    "5.7",
    kind="number",
    tol=0.5,
    title="frequent buyers who have probably left",
    hint=(
        "Section 4 of the workbook gives every member a probability alive; combine it with the "
        "frequency condition."
    ),
)

exercise(
    "5.8",
    kind="number",
    title="the membership's two-year value",
    hint=(
        "Section 6 of the workbook values each member over 12 months; lengthen the horizon and add "
        "up over members."
    ),
)

exercise(
    "5.13",
    kind="number",
    tol=0.002,
    title="by hand: the probability alive of one member",
    hint=(
        "Work from the inside out: the ratio a / (b + x - 1), then the ratio of the two times "
        "raised to the power r + x, then the whole fraction."
    ),
)

exercise(
    "5.14",
    kind="choice",
    title="reading a probability alive",
    options={
        "a": (
            "Right: the probability alive is the chance that the member has not yet dropped out "
            "for good, at the end of the calibration period, given its purchase history."
        ),
        "b": (
            "That is an expected number of purchases, another output of the model, which also "
            "depends on the member's buying rate and the length of the period."
        ),
        "c": (
            "Being alive is not the same as buying soon: an active member with a low buying rate "
            "may not buy for months."
        ),
        "d": (
            "That is a description of past frequency; the probability alive is the model's "
            "inference from frequency and recency together."
        ),
        "e": (
            "The probability refers to the end of the calibration period; an active member can "
            "still drop out after any later purchase."
        ),
    },
    hint="Lecture section 5.6, 'Probability alive': at which moment, and about what?",
)

exercise(
    "5.15",
    kind="number",
    title="whom to send the catalogue",
    hint=(
        "Rank the members by what the model expects them to buy in the holdout, keep the best "
        "tenth, then compare what they actually bought with what everyone bought (the idea of a "
        "gains table)."
    ),
)
