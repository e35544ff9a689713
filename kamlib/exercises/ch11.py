"""Chapter 11 exercises: the profit tree, the value of the levers and a CRM programme's case.

Declarations only: each answer is the solution in the source notebook, recorded into the
answer key by ``python -m kamlib.exercises.answer_key``. Kinds of exercise in this chapter:
- by hand (a small made-up case, answer typed): 11.1, 11.3, 11.6, 11.7;
- variations of a worked example (another year; another move and discount rate): 11.2, 11.4;
- multi-step (no worked example walks through it): 11.5, 11.8;
- multiple choice (wrong options are misconceptions): 11.9, 11.10;
- memo graded by hand (rubric in the instructor guide): 11.11.
"""

from kamlib.exercises.core import exercise

exercise(
    "11.1",
    kind="number",
    tol=1.0,
    title="by hand: a small firm's profit tree",
    hint=(
        "Start from last year's margin of the accounts kept and add or take away each leaf once; "
        "falls in margin and every cost enter with a minus sign (workbook section 1)."
    ),
)

exercise(
    "11.2",
    kind="number",
    tol=1.0,
    title="the account-growth branch in 2023",
    hint=(
        "The tree of section 1 explains one year against the year before; build it for the "
        "other year and read the branch's total, rises and falls together."
    ),
)

exercise(
    "11.3",
    kind="number",
    tol=5.0,
    title="by hand: what one point of retention is worth",
    hint=(
        "Value the base with the retention formula m / (1 + d - r) per account, once at today's "
        "retention and once a point higher, and multiply the difference by the accounts."
    ),
)

exercise(
    "11.4",
    kind="number",
    tol=1000.0,
    title="two points of retention at another discount rate",
    hint=(
        "Section 2 values one point at the course's discount rate; change both the size of the "
        "move and the rate, on the same base economics."
    ),
)

exercise(
    "11.5",
    kind="number",
    tol=0.01,
    title="how often the cost cut beats a retention point",
    hint=(
        "Both levers are valued on every bootstrap draw of section 2; compare them draw by draw, "
        "not by their averages."
    ),
)

exercise(
    "11.6",
    kind="number",
    tol=0.05,
    title="by hand: the NPV of a small cash-flow table",
    hint=("Year 0 is today and is not discounted; year t is divided by (1 + rate) to the power t."),
)

exercise(
    "11.7",
    kind="number",
    tol=0.5,
    title="by hand: the payback period of the same table",
    hint=(
        "Add the flows year by year without discounting; in the year the total turns positive, "
        "take the part of that year's inflow needed to cover what was still owed, then count "
        "the years in months."
    ),
)

exercise(
    "11.8",
    kind="number",
    tol=0.0005,
    title="break-even retention gain if the growth effect does not last",
    hint=(
        "Set the programme's growth effect to zero and search for the retention gain at which "
        "the NPV of section 4 is exactly zero (the NPV rises with the gain)."
    ),
)

exercise(
    "11.9",
    kind="choice",
    title="reading the tornado chart",
    options={
        "a": (
            "A bar's width is not a probability: it is how far the NPV moves when that input "
            "goes from the low to the high value you gave it, the others held at the base case."
        ),
        "b": (
            "The swing says how sensitive the NPV is to the input over its range, not how much of "
            "the NPV that lever earns: a small benefit with a wide range can swing a lot."
        ),
        "c": (
            "Right: the NPV moves most when this input moves across its stated range, so better "
            "evidence on it (a longer test, a second campaign wave) is worth the most."
        ),
        "d": (
            "One input at a time hides joint moves: several inputs at their low ends together "
            "can take the NPV far lower than any single bar; that is what the simulation is for."
        ),
        "e": (
            "Uncertain inputs are not removed from a business case: they are the reason to "
            "measure them better, or to design the programme so it can stop early."
        ),
    },
    hint=(
        "A tornado bar moves one input between its low and high values and holds the rest; "
        "ask what that does and does not tell you."
    ),
)

exercise(
    "11.10",
    kind="choice",
    title="what the bootstrap interval of a retention point means",
    options={
        "a": (
            "The interval is about one number, the value of the whole base's extra point of "
            "retention; it says nothing about the spread of single accounts' values."
        ),
        "b": (
            "The bootstrap values a point of retention if it is gained; whether the programme "
            "can gain it is a separate question, answered by the campaign's measured effect."
        ),
        "c": (
            "The discount rate is a choice held fixed in the bootstrap; a different rate moves "
            "the whole interval, it is not inside it."
        ),
        "d": (
            "More resamples make the interval's ends more precise (less Monte Carlo noise); they "
            "do not make it narrower, because its width comes from the accounts observed."
        ),
        "e": (
            "Right: the accounts of one year are a sample of how the base behaves, so the "
            "retention rate and margins are estimates; resampling accounts shows how much the "
            "value could differ for that reason alone."
        ),
    },
    hint="Ask what the bootstrap resamples, and what it holds fixed.",
)

exercise(
    "11.11",
    kind="manual",
    points=4,
    title="Memo to the managing director: should we fund the CRM programme?",
)
