"""Chapter 6 exercises: segmentation and positioning.

Declarations only: each answer is the solution in the source notebook, recorded into the
answer key by ``python -m kamlib.exercises.answer_key``. Kinds of exercise in this chapter:
- by hand (a small made-up case, answer typed): 6.1, 6.2;
- 6.3 varies a worked example (the segmentation one year earlier);
- multi-step (no worked example walks through it): 6.4;
- multiple choice (wrong options are misconceptions): 6.5, 6.6;
- memo graded by hand (rubric in the instructor guide): 6.7.
"""

from kamlib.exercises.core import exercise

exercise(
    "6.1",
    kind="number",
    tol=0.005,
    title="by hand: which centre does an account join?",
    hint=(
        "Turn the account's two values into z-scores first (value minus mean, divided by the "
        "standard deviation); k-means then assigns it to the centre at the smaller squared "
        "distance, the sum of the squared differences."
    ),
)

exercise(
    "6.2",
    kind="number",
    tol=0.005,
    title="by hand: one account's silhouette",
    hint=(
        "a is the mean distance to the other members of the account's own segment; b is the "
        "mean distance to the members of the nearest other segment (the smaller of the two "
        "means), not of all other accounts."
    ),
)

exercise(
    "6.3",
    kind="number",
    tol=0.01,
    title="the costly segment one year earlier",
    hint=(
        "Build the features as of the end of 2023 and segment them as in sections 1 to 3. "
        "Segment numbers follow revenue per account, so find the costly segment by its profile, "
        "not by its number."
    ),
)

exercise(
    "6.4",
    kind="number",
    tol=0.01,
    title="what the costly segment would earn if served like the core",
    hint=(
        "An account's cost to serve is its rate per yuan times its revenue. The saving is the "
        "gap between its rate and the core partners' typical rate, times its revenue, for the "
        "accounts above that rate only; give millions of yuan."
    ),
)

exercise(
    "6.5",
    kind="choice",
    title="choosing k",
    options={
        "a": (
            "One view is not enough: the silhouette is nearly flat between two and four "
            "segments, and two segments only say big and small."
        ),
        "b": (
            "The within-segment spread always falls as k grows (with one account per segment it "
            "is zero); only the bend, the elbow, carries information."
        ),
        "c": (
            "Merging real segments is stable too, so a stable cut at two proves little; "
            "stability rules out too many segments, not too few, and no statistic proves "
            "natural groups."
        ),
        "d": (
            "Right: the elbow, the silhouette and the stability point to four together, four "
            "segments call for different actions, and the low silhouettes say the segments cut "
            "a continuum."
        ),
        "e": (
            "k-means splits the accounts differently for each k; the segments and their "
            "strategies change with it."
        ),
    },
    hint="Read the three views together; ask what each can and cannot tell you.",
)

exercise(
    "6.6",
    kind="choice",
    title="what the segments do not show",
    options={
        "a": (
            "Right: behaviour in one year says little about how satisfied an account is, so "
            "satisfaction must be measured and used next to the segments."
        ),
        "b": (
            "Satisfaction drives share of wallet and churn (chapters 4 and 9); it simply leaves "
            "little trace in the features the segments were formed on."
        ),
        "c": (
            "More segments cut the same features more finely; what the features do not contain, "
            "no number of segments can find."
        ),
        "d": (
            "Any clustering of these features has the same limit: the information is not in "
            "them, whatever the algorithm."
        ),
        "e": (
            "Similar segment means hide large differences inside each segment; the strategy for "
            "an unhappy core partner is not the one for a happy one."
        ),
    },
    hint="Ask what the features describe, and whether satisfaction is among them.",
)

exercise(
    "6.7",
    kind="manual",
    points=4,
    title="Memo to the sales director: four segments and what we do with each",
)
