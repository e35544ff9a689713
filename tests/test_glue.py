"""Numbers in prose are computed, never typed.

A lecture page (``book/intro.md``, ``book/NN_*.md``) quotes a number from the data only through
a myst-nb glue role (``{glue:text}`ch04_whale_peak:.0%```), whose value an executed cell
computes; a workbook notebook's markdown quotes no data number at all (JupyterLab would show a
glue role as raw text), its code prints them. These tests read the prose the way a reader does,
with the parts that legitimately hold numbers taken out:

- math (``$...$``, ``$$...$$``), inline code and code blocks, roles (glue, term, doc, ...);
- hand-worked examples, inside an admonition with the class ``by-hand``;
- sentences (and table rows) carrying a ``{cite:p}``/``{cite:t}`` role: figures from the
  literature;
- the numbers of ``ALLOWED`` below, each a policy of the course, never a result of the data.

What is left must hold no numeral that could be data: a percentage, a decimal, a number with
thousands separators or an integer of two or more digits.

The glue keys must also match: every key a page cites is defined by one of its cells (myst-nb
warns otherwise and the book build runs with -W; checked here as well, without a build), and
every key a page defines is cited, so no computed number is left unused.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LECTURES = sorted([ROOT / "book" / "intro.md", *(ROOT / "book").glob("[0-9][0-9]_*.md")])
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))

MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December"
    "|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)

# Numbers that are not data: each is a choice the course makes or a label. Keep this short;
# a number that comes out of the data must be glued (pages) or printed (notebooks) instead.
ALLOWED: list[tuple[str, str]] = [
    # Years of the data's span (2022-2024) and the hypothetical 2025 of an as-of exercise:
    # they name periods, they are not results.
    (r"\b20(?:22|23|24|25)\b", "years of the data"),
    # Day of the month in a date ("31 December", "1 Jan 2022"): a calendar label.
    (rf"\b\d{{1,2}}(?:st|nd|rd|th)? (?:{MONTHS})\b", "day of a date"),
    # Decades in the history of CRM ("the 1980s").
    (r"\b(?:1[89]|20)\d0s\b", "decades in the history"),
    # Labels: chapter, section, part, exercise numbers and ranges, an enumerated chapter title
    # ("10. Risk prevention"), the Python version and the licence's version.
    (
        r"\b(?:[Cc]hapters?|[Ss]ections?|[Pp]arts?|[Ee]xercises?|§)\s*\d+(?:\.\d+)*"
        r"(?:\s*(?:to|and|-|–)\s*\d+(?:\.\d+)*)?|(?<![\w.])\d{1,2}\.\s(?=[A-Z])"
        r"|Python \d\.\d+|(?:CC BY|Attribution) \d\.\d",
        "a label",
    ),
    # The length set for a written memo ("150 to 250 words"): a rule of the assignment.
    (r"\b\d+\s?(?:to|–|-)\s?\d+ words\b", "a memo's length"),
    # The course plan: 12 teaching weeks, 12 chapters.
    (r"\b12(?:-week| weeks| chapters)\b", "the course plan"),
    # Cuts the analyst chooses before reading the data: the top-20% share and its 80/20 rule
    # of thumb, and a top-N list ("the top 20 of the scorecard", "the top 10% of leads").
    (
        r"\btop[- ]\d+\s?%?|\b20% (?:of (?:the )?(?:accounts|customers)|rounded up)\b|\b80/20\b",
        "a chosen cut",
    ),
    # The ABC classification's cut-offs (80% and 95%, or 70% and 90%): a management choice,
    # allowed only in a sentence about ABC classes or cut-offs (see CONTEXT below).
    (r"\b(?:70|80|90|95)%", "ABC cut-offs"),
    # The life-cycle rules of chapter 5: lost after 365 quiet days, new for 90, at risk after
    # 120; thresholds the analyst sets.
    (r"\b(?:365|90|120|121)(?:[- ]days?\b)", "life-cycle thresholds"),
    # Periods the analyst picks: a horizon or window ("a 12-month CLV", "the last 12 months").
    (
        r"\b\d+-(?:week|month|quarter|year)\b|\b(?:last|next|over|first) \d+ "
        r"(?:weeks|months|quarters|years)\b",
        "a chosen horizon",
    ),
    # The discount rate the course assumes (10% a year): a finance department's choice.
    (r"\b10% a year\b|\bd = 10%", "the assumed discount rate"),
    # Scales: RFM's 5 x 5 x 5 = 125 codes and summed scores of 3 to 15; a score of 0 to 100.
    (r"\b125 (?:possible )?codes\b|\b3 to 15\b|\b0 (?:to|and) 100\b", "a scale"),
    # 100%, the whole: the reference level a share is read against (the whale curve rises
    # above it and ends on it), not a measured share.
    (r"(?<![\d.,])100%", "the whole"),
    # Saaty's acceptance limit for the consistency ratio.
    (r"\b0\.10\b", "the CR limit"),
]
# In a notebook's exercise prompt (a cell opening with "### Exercise"), a number in bold is
# a given of the question (e.g. "the **top 40**", "**below 0.5**"), never a result.
GIVEN = re.compile(r"\*\*[^*]*\d[^*]*\*\*")
# An entry named here applies only in a sentence that matches its context.
CONTEXT = {"ABC cut-offs": re.compile(r"\bABC\b|\bclass(?:es)? [ABC]\b|cut-offs?\b")}
ALLOWED_RE = re.compile("|".join(f"(?:{p})" for p, reason in ALLOWED if reason not in CONTEXT))
IN_CONTEXT = [(CONTEXT[reason], re.compile(p)) for p, reason in ALLOWED if reason in CONTEXT]

NUMERAL = re.compile(
    r"(?<![\w.,/])"
    r"(\d{1,3}(?:,\d{3})+(?:\.\d+)?%?|\d+\.\d+%?|\d+%|\d{2,})"
    r"(?![\w]|\.\d)"
)
ROLE = re.compile(r"\{[\w:.-]+\}`[^`]*`")
INLINE_CODE = re.compile(r"``.+?``|`[^`]*`")
INLINE_MATH = re.compile(r"\$[^$]+\$")
LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
SENTENCE_END = re.compile(r"(?<=[.!?:;])\s+(?=[A-Z(*\"“])")
FENCE = re.compile(r"^\s*(`{3,}|~{3,}|:{3,})\s*(\{[\w:-]+\})?(.*)$")
# Directives whose argument is a label (sphinx-exercise's gated solutions), not a title.
LABELLED = {
    "{solution-start}",
    "{solution-end}",
    "{exercise-start}",
    "{exercise-end}",
    "{solution}",
}
CODE_DIRECTIVES = {"{code-cell}", "{code-block}", "{code}", "{math}", "{glue:figure}"}
GLUE_USE = re.compile(r"\{glue(?::\w+)?\}`([A-Za-z0-9_]+)")
GLUE_DEF = re.compile(r"""\bglue\(\s*["']([A-Za-z0-9_]+)["']""")


def _prose_lines(text: str) -> list[tuple[int, str]]:
    """The lines of a MyST document a reader sees as prose, with their line numbers."""
    lines = text.splitlines()
    start = 0
    if lines and lines[0].strip() == "---":  # front matter
        end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), 0)
        start = end + 1
    stack: list[dict] = []  # open fences: char, length, hidden?
    in_math = False
    kept = []
    for number, line in enumerate(lines[start:], start=start + 1):
        stripped = line.strip()
        top = stack[-1] if stack else None
        if top and top["code"]:
            if re.fullmatch(re.escape(top["char"]) + f"{{{top['len']},}}", stripped):
                stack.pop()
            continue
        if top and top["options"]:
            if re.match(r"^:[\w-]+:", stripped):
                if re.match(r"^:class:.*\bby-hand\b", stripped):
                    top["hidden"] = True
                continue
            top["options"] = False
        fence = FENCE.match(line)
        if (
            fence
            and top
            and fence.group(1)[0] == top["char"]
            and len(fence.group(1)) >= top["len"]
            and not (fence.group(2) or fence.group(3).strip())
        ):
            stack.pop()
            continue
        if fence:
            marker, directive, rest = fence.groups()
            is_code = marker[0] != ":" and (directive is None or directive in CODE_DIRECTIVES)
            stack.append(
                {
                    "char": marker[0],
                    "len": len(marker),
                    "code": is_code,
                    "options": directive is not None,
                    "hidden": False,
                }
            )
            if directive and not is_code and rest.strip() and directive not in LABELLED:
                kept.append((number, rest))  # a title is prose
            continue
        if stripped.startswith("$$"):
            once = stripped.count("$$") >= 2 and len(stripped) > 2
            if not once:
                in_math = not in_math
            continue
        if in_math or any(f["hidden"] for f in stack):
            continue
        kept.append((number, line))
    return kept


def _units(text: str) -> list[tuple[int, str]]:
    """Sentences, list items and table rows of the prose, each with its first line number."""
    units: list[tuple[int, str]] = []
    block: list[tuple[int, str]] = []

    def flush():
        if block:
            joined, starts = "", []  # the offset where each line begins in the joined text
            for number, part in block:
                starts.append((len(joined), number))
                joined += part + " "
            position = 0
            for sentence in SENTENCE_END.split(joined):
                position = joined.index(sentence, position)
                line = max(number for offset, number in starts if offset <= position)
                units.append((line, sentence))
                position += len(sentence)
            block.clear()

    previous = None
    for number, line in _prose_lines(HTML_COMMENT.sub("", text)):
        stripped = line.strip()
        new_unit = (
            not stripped
            or stripped.startswith(("|", "#", "- ", "* ", "+ "))
            or re.match(r"^\d+\.\s", stripped)
            or (previous is not None and number != previous + 1)
        )
        if new_unit:
            flush()
        if stripped.startswith("|") or stripped.startswith("#"):
            units.append((number, stripped))
        elif stripped:
            block.append((number, stripped))
        previous = number
    flush()
    return units


def _clean(unit: str) -> str:
    unit = re.sub(r"^#+\s*(?:\d+(?:\.\d+)*\.?\s)?", "", unit)  # heading and its number
    unit = re.sub(r"^(?:[-*+]|\d+\.)\s+", "", unit)  # list marker
    unit = ROLE.sub(" ", unit)
    unit = INLINE_CODE.sub(" ", unit)
    unit = INLINE_MATH.sub(" ", unit)
    unit = LINK.sub(r"\1", unit)
    for context, pattern in IN_CONTEXT:
        if context.search(unit):
            unit = pattern.sub(" ", unit)
    return ALLOWED_RE.sub(" ", unit)


def typed_numbers(text: str, *, givens: bool = False) -> list[tuple[int, str, str]]:
    """(line, numeral, sentence) for each numeral in the prose that is neither glued,
    nor math, code, by-hand, cited, nor allowed."""
    found = []
    for number, unit in _units(text):
        if "{cite" in unit:
            continue
        if givens:
            unit = GIVEN.sub(" ", unit)
        for match in NUMERAL.finditer(_clean(unit)):
            found.append((number, match.group(1), unit.strip()))
    return found


EXERCISE_HEADING = re.compile(r"^###\s+Exercise\b(.*)$", re.MULTILINE)


def _notebook_markdown(path: Path) -> list[tuple[str, str]]:
    """(cell id, source) of each markdown cell, leaving out by-hand exercises: from an
    "### Exercise N.k: by hand: ..." heading to the next exercise heading, the numbers are a
    made-up case worked on paper (the notebook's form of a by-hand admonition)."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    kept, by_hand = [], False
    for i, cell in enumerate(cells):
        if cell["cell_type"] != "markdown":
            continue
        source = "".join(cell["source"])
        heading = EXERCISE_HEADING.search(source)
        if heading:
            by_hand = "by hand" in heading.group(1).lower()
        elif source.lstrip().startswith("## "):
            by_hand = False
        if not by_hand:
            kept.append((cell.get("id", str(i)), source))
    return kept


def _report(hits: list[str]) -> str:
    return "data numbers typed in prose (glue them, print them, or put them in a by-hand " + (
        "admonition):\n" + "\n".join(hits)
    )


@pytest.mark.parametrize("page", LECTURES, ids=lambda p: p.name)
def test_lecture_prose_quotes_no_typed_number(page):
    hits = [
        f"{page.name}:{line}: {numeral!r} in: {sentence[:140]}"
        for line, numeral, sentence in typed_numbers(page.read_text(encoding="utf-8"))
    ]
    assert not hits, _report(hits)


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_markdown_quotes_no_data_number(notebook):
    hits = []
    for cell_id, source in _notebook_markdown(notebook):
        if GLUE_USE.search(source):
            hits.append(f"{notebook.name} cell {cell_id}: a glue role (JupyterLab shows it raw)")
        prompt = source.lstrip().startswith("### Exercise")
        for _, numeral, sentence in typed_numbers(source, givens=prompt):
            hits.append(f"{notebook.name} cell {cell_id}: {numeral!r} in: {sentence[:140]}")
    assert not hits, _report(hits)


@pytest.mark.parametrize("page", LECTURES, ids=lambda p: p.name)
def test_every_glue_key_is_defined_and_used(page):
    text = page.read_text(encoding="utf-8")
    used, defined = set(GLUE_USE.findall(text)), set(GLUE_DEF.findall(text))
    chapter = page.name[:2]
    assert used <= defined, f"{page.name} cites glue keys no cell defines: {used - defined}"
    assert defined <= used, f"{page.name} computes glue keys it never cites: {defined - used}"
    wrong = {key for key in defined if chapter.isdigit() and not key.startswith(f"ch{chapter}_")}
    assert not wrong, f"{page.name}: glue keys must start with ch{chapter}_: {wrong}"


# The scanner itself, on small cases whose answer is known by reading them.
SAMPLE = """---
kernelspec:
  name: python3
---
# 1.4 A page

Huaxin has 3,000 accounts and the top 20% bring {glue:text}`ch01_top:.0%` of revenue.
The Gini is 0.62 in 2024, up from 2023.
Profits rose by 25% to 85% {cite:p}`reichheld1990`. Churn fell by 12%.

```{code-cell} ipython3
x = 12345
```

:::{admonition} Worked by hand: five accounts
:class: by-hand
A brings 50 of 100, so $S = 50\\%$ and 0.40.
:::

| Account | Revenue |
| --- | ---: |
| A | 1,200 |

$$
G = 0.40
$$

In chapter 10 and section 5.5, on 31 December 2024, with $k = 600$ and `n = 3000`.
"""


def test_scanner_finds_exactly_the_typed_data_numbers():
    found = [(line, numeral) for line, numeral, _ in typed_numbers(SAMPLE)]
    assert found == [(7, "3,000"), (8, "0.62"), (9, "12%"), (22, "1,200")]


def test_scanner_flags_a_number_typed_into_a_real_page():
    page = (ROOT / "book" / "01_overview.md").read_text(encoding="utf-8")
    before = len(typed_numbers(page))
    broken = page.replace("## Key takeaways\n", "## Key takeaways\n\nThe Gini was 0.47.\n", 1)
    assert len(typed_numbers(broken)) == before + 1
