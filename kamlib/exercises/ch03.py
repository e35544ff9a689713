"""Chapter 3 exercises: selecting key accounts (AHP, scorecard, sensitivity) and prospecting.

Declarations only: each answer is the solution in the source notebook, recorded into the
answer key by ``python -m kamlib.exercises.answer_key``. Kinds of exercise in this chapter:
- by hand (a small made-up case, answer typed): 3.8, 3.9;
- multi-step (no worked example walks through it): 3.10;
- multiple choice (wrong options are misconceptions): 3.11;
- memo graded by hand (rubric in the instructor guide): 3.12;
- the others vary a worked example (another year, region, cut-off or horizon).
"""

from kamlib.exercises.core import exercise

exercise(
    "3.1",
    kind="number",
    title="the director changes her mind",
    hint=(
        "Section 2 of the workbook builds the contribution matrix; change the one judgement and "
        "read the consistency ratio, CR = CI / RI (lecture section 3.3)."
    ),
)

exercise(
    "3.2",
    kind="number",
    title="the global weight of share of wallet, revised",
    hint=(
        "A measure's global weight is its main criterion's weight times its local weight (lecture "
        "section 3.3, 'Hierarchies')."
    ),
)

exercise(
    "3.3",
    kind="set",
    title="the top 10 with min-max scales only",
    hint=(
        "Lecture section 3.2 describes the scales; the scorecard of section 3 of the workbook "
        "takes the scale as a setting, for each criterion or for all at once."
    ),
)

exercise(
    "3.4",
    kind="number",
    title="a scorecard without strategic fit",
    hint=(
        "Section 4 of the workbook moves one weight at a time and compares top lists; here the "
        "list is longer and only one setting of one weight matters."
    ),
)

exercise(
    "3.5",
    kind="number",
    title="how over-represented are enterprises among the very best?",
    hint=(
        "Lift = share among the best / share among all (lecture section 3.5); the profile of "
        "section 5 of the workbook, for a shorter list of the best."
    ),
)

exercise(
    "3.6",
    kind="number",
    title="calling the top quarter",
    hint=(
        "The gains table of section 6 of the workbook, with quarters instead of deciles: read the "
        "cumulative share of conversions in the best band."
    ),
)

exercise(
    "3.7",
    kind="number",
    title="from qualified to proposal for referrals",
    hint=(
        "A step conversion divides the leads that reached a stage by those that reached the stage "
        "before (lecture section 3.5, 'The sales funnel')."
    ),
)

exercise(
    "3.8",
    kind="number",
    tol=0.002,
    title="by hand: is this director consistent?",
    hint=(
        "Lecture section 3.3, the box 'Worked by hand: AHP weights and consistency': the same "
        "three steps (weights, lambda_max from A times w, then CI and CR) on this matrix."
    ),
)

exercise(
    "3.9",
    kind="number",
    tol=0.05,
    title="by hand: a scorecard with a criterion where less is better",
    hint=(
        "Lecture section 3.2: put each criterion on a 0-1 scale where 1 is best first; a criterion "
        "where less is better is flipped."
    ),
)

exercise(
    "3.10",
    kind="number",
    title="the sales team's hundred calls",
    hint=(
        "Score the later leads with the fitted model, keep the best-scored hundred, and compare "
        "their conversion rate with everyone's (lift, lecture section 3.5)."
    ),
)

exercise(
    "3.11",
    kind="choice",
    title="what a consistency ratio of 0 tells you",
    options={
        "a": (
            "Consistency only says the judgements agree with one another; consistent judgements "
            "can still be wrong for the business."
        ),
        "b": (
            "Equal weights are one consistent case among many; a CR of 0 does not fix the size of "
            "the weights."
        ),
        "c": (
            "Two criteria always give a CR of 0, but three or more can too, when the judgements "
            "hang together exactly."
        ),
        "d": (
            "How much the list moves is a question of sensitivity, which depends on the accounts' "
            "data, not on how consistent the judgements were."
        ),
        "e": (
            "Right: a CR of 0 means lambda_max = n, which happens exactly when the judgements "
            "agree with one another; it does not say the weights suit the business."
        ),
    },
    hint="Lecture section 3.3, 'Consistency': what does lambda_max equal n mean?",
)

exercise(
    "3.12",
    kind="manual",
    points=4,
    title="memo: should the scorecard keep strategic fit?",
)
