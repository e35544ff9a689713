"""Chapter 9 (a) exercises: measuring satisfaction and loyalty, drivers and complaints.

Declarations only: each answer is the solution in the source notebook, recorded into the
answer key by ``python -m kamlib.exercises.answer_key``. Kinds of exercise in this workbook:
- by hand (a small made-up case, answer typed): 9.1, 9.2, 9.3;
- variations of a worked example (another group, another outcome): 9.4, 9.5;
- multi-step (no worked example walks through it): 9.6, 9.7;
- multiple choice (wrong options are misconceptions): 9.8, 9.9;
- memo graded by hand (rubric in the instructor guide): 9.10.
The churn workbook's exercises (9.11 onwards) are declared in ``ch09b.py``.
"""

from kamlib.exercises.core import exercise

exercise(
    "9.1",
    kind="number",
    tol=0.05,
    title="by hand: the NPS of twenty customers",
    hint=(
        "Promoters answer 9 or 10, detractors 0 to 6; passives count in the total but in "
        "neither share (workbook section 1)."
    ),
)

exercise(
    "9.2",
    kind="number",
    tol=0.05,
    title="by hand: the standard error of that NPS",
    hint=(
        "The NPS is a difference of two shares of one sample: the variance of one answer is "
        "p + d - (p - d)^2, not p(1 - p) + d(1 - d); the result is in points, times 100."
    ),
)

exercise(
    "9.3",
    kind="number",
    tol=0.5,
    title="by hand: how many answers for a precise NPS?",
    hint=(
        "Set z x 100 x sqrt(V / n) equal to the half-width and solve for n; round up to a "
        "whole answer."
    ),
)

exercise(
    "9.4",
    kind="number",
    tol=0.05,
    title="the key accounts' NPS",
    hint=(
        "Keep the answers of one survey year and of the accounts whose sales tier is key "
        "(the tier is in the accounts table), then summarise as in section 1."
    ),
)

exercise(
    "9.5",
    kind="number",
    tol=0.0005,
    title="drivers of the recommendation score",
    hint="Section 2's driver analysis takes the outcome column as a keyword.",
)

exercise(
    "9.6",
    kind="set",
    title="where to concentrate for small accounts",
    hint=(
        "Both importance and performance must come from the small accounts' answers alone; "
        "the size band is in the accounts table."
    ),
)

exercise(
    "9.7",
    kind="number",
    tol=0.0005,
    title="responsiveness before and after the CRM went live",
    hint=(
        "Each answer needs its account's region and that region's go-live date; an answer is "
        "'live' when it is dated on or after the go-live day."
    ),
)

exercise(
    "9.8",
    kind="choice",
    title="reading a change of the NPS",
    options={
        "a": (
            "A rise can be sampling noise: with about 120 answers per survey the standard error "
            "of a change is about 10 points."
        ),
        "b": (
            "The NPS is not the share of promoters: it is promoters minus detractors, in points."
        ),
        "c": (
            "Right: with p = d = 1/3 the minimum detectable change for two surveys of 120 is "
            "about 30 points, so a change of 5 is well within the noise."
        ),
        "d": (
            "CSAT from the same small sample is just as noisy; two noisy measures that agree "
            "are still not proof."
        ),
        "e": (
            "The answers move in steps of one on a 0-10 scale, and the score is a difference of "
            "shares: it can take almost any value."
        ),
    },
    hint="Work out the standard error of a change between two surveys of this size.",
)

exercise(
    "9.9",
    kind="choice",
    title="what the complaint comparison shows",
    options={
        "a": (
            "The handling did not cause the gap: dissatisfied accounts complain more, so they "
            "were less satisfied before any complaint was handled."
        ),
        "b": (
            "The gap mixes selection (who complains) with any effect; it cannot price a complaint."
        ),
        "c": (
            "The gap compares complainers with non-complainers; whether fast resolution helps "
            "is a comparison among complainers."
        ),
        "d": (
            "Right: complaining selects dissatisfied accounts, so the fair test compares fast "
            "and slow resolution among complainers, holding region and year constant."
        ),
        "e": (
            "The paradox compares well-recovered complainers with customers who had no "
            "problem; a raw gap between all complainers and the rest does not test it."
        ),
    },
    hint="Ask who complains in the first place (section 3).",
)

exercise(
    "9.10",
    kind="manual",
    points=4,
    title="Memo to the sales director: what to do about satisfaction",
)
