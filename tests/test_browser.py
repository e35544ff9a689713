"""The built book in a real browser: headless Chromium against the book served on loopback.

Every page of the table of contents loads without a console error and without a request to
another machine, its figures are shown at a real size, the search finds glossary terms in
English and Chinese, solutions are folded until a reader opens them, and the download button
offers the notebook. The book is the one ``book_html`` builds once per run (conftest.py); when a
check fails, a screenshot of the page is saved under ``_build/test-artifacts/`` and its path is
in the failure message.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import quote

import pytest
from helpers import toc_files

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow

# Pages whose figures are drawn by executed code: each must show at least one.
PAGES_WITH_FIGURES = ("notebooks/01_meet_the_company", "book/01_overview")
# Something to open: an answer cell folded by myst-nb (``hide-input``) or a sphinx-exercise
# solution (a dropdown admonition or a details element), whichever the book uses.
SOLUTION_TOGGLES = "details.hide, details.solution, div.solution.dropdown, details.sd-dropdown"
# The workbook page used for toggles and downloads.
WORKBOOK = "notebooks/01_meet_the_company"


def _open(tab, url: str):
    response = tab.page.goto(url, wait_until="networkidle")
    assert response is not None and response.ok, f"{url}: HTTP {response and response.status}"
    return tab.page


# For every image of the article: whether it loaded, its drawn size, and whether a reader would
# see it without opening anything (an image inside a closed toggle is not expected to show).
IMAGES_JS = """() => Array.from(document.querySelectorAll('article img')).map((img) => {
  img.scrollIntoView();
  const box = img.getBoundingClientRect();
  const style = getComputedStyle(img);
  return {
    src: (img.getAttribute('src') || '(no src)').slice(0, 80),
    loaded: img.complete && img.naturalWidth > 0,
    width: box.width, height: box.height,
    folded: img.closest('details:not([open]), .toggle-hidden') !== null,
    hidden: style.visibility === 'hidden' || style.display === 'none',
  };
})"""


@pytest.mark.parametrize("name", toc_files())
def test_page_loads_cleanly_with_visible_figures(name, book_url, offline_page, screenshot):
    tab = offline_page()
    page = _open(tab, f"{book_url}/{name}.html")
    images = page.evaluate(IMAGES_JS)
    problems = [f"error: {e}" for e in tab.errors]
    problems += [f"request to another machine: {url}" for url in tab.remote]
    problems += [f"image not loaded: {i['src']}" for i in images if not i["loaded"]]
    problems += [
        f"image not shown ({i['width']:.0f}x{i['height']:.0f} px): {i['src']}"
        for i in images
        if not i["folded"] and (i["hidden"] or i["width"] < 10 or i["height"] < 10)
    ]
    if name in PAGES_WITH_FIGURES and not [i for i in images if not i["folded"]]:
        problems.append("no figure shown on a page that draws figures")
    if page.title() == "" or page.locator("article h1").count() == 0:
        problems.append("the page has no title or no heading")
    assert not problems, "\n".join([*problems, f"screenshot: {screenshot(page, name)}"])


@pytest.mark.parametrize(
    "query",
    [
        "Lorenz curve",
        "基尼系数",  # a whole Chinese term (Gini coefficient)
        "流失",  # two characters inside the term 客户流失 (churn)
    ],
    ids=["english", "chinese-term", "chinese-word"],
)
def test_search_finds_a_glossary_term(query, book_url, offline_page, screenshot):
    tab = offline_page()
    page = _open(tab, f"{book_url}/search.html?q={quote(query)}")
    summary = page.locator("#search-results p.search-summary")
    summary.wait_for(timeout=15_000)
    links = page.locator("#search-results ul.search li a").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    glossary = [link for link in links if link.startswith("book/glossary.html")]
    found = f"search for {query!r}: {summary.inner_text()} {links[:8]}"
    assert glossary, f"{found}\nno glossary result; screenshot: {screenshot(page, query)}"
    # The result leads to the glossary, where the query is part of a defined term.
    page.goto(f"{book_url}/{glossary[0]}", wait_until="networkidle")
    terms = page.locator("dl.glossary dt", has_text=query)
    assert terms.count() > 0, f"{found}\nno glossary term with {query!r}"
    assert not tab.errors and not tab.remote, (tab.errors, tab.remote)


def test_a_solution_is_folded_and_opens_on_click(book_url, offline_page, screenshot):
    tab = offline_page()
    page = _open(tab, f"{book_url}/{WORKBOOK}.html")
    toggles = page.locator(SOLUTION_TOGGLES).filter(has_text="SOLUTION")
    if toggles.count() == 0:  # sphinx-exercise solutions carry the class, not the marker text
        toggles = page.locator(".solution.dropdown, details.solution")
    assert toggles.count() > 0, f"no solution toggle; screenshot: {screenshot(page, 'none')}"
    toggle = toggles.first
    toggle.scroll_into_view_if_needed()
    body = toggle.locator(
        ":scope > :not(summary):not(.admonition-title):not(button), "
        ":scope > .toggle-details__container, :scope > .cell_input"
    ).first
    hidden_before = not body.is_visible()
    if toggle.evaluate("e => e.tagName") == "DETAILS":
        toggle.locator(":scope > summary").click()
    else:
        toggle.locator("button.toggle-button, .admonition-title").first.click()
    body.wait_for(state="visible", timeout=5_000)
    assert hidden_before, f"the solution was open at load; screenshot: {screenshot(page, 'open')}"
    assert body.is_visible(), f"the solution did not open; screenshot: {screenshot(page, 'shut')}"
    assert not tab.errors, tab.errors


def test_download_button_offers_the_notebook(book_url, offline_page, screenshot):
    tab = offline_page()
    page = _open(tab, f"{book_url}/{WORKBOOK}.html")
    page.locator(".dropdown-download-buttons > button").click()
    item = page.locator(".dropdown-download-buttons a", has_text=".ipynb")
    item.wait_for(state="visible", timeout=5_000)
    href = item.get_attribute("href")
    assert href.endswith(".ipynb"), f"{href}; screenshot: {screenshot(page, 'download')}"
    response = page.request.get(page.url.rsplit("/", 1)[0] + "/" + href)
    assert response.ok, response.status
    notebook = json.loads(response.text())
    assert notebook["nbformat"] == 4
    assert any("check(" in "".join(cell["source"]) for cell in notebook["cells"])


# Workbooks with a widget (a kamlib explorer or ipywidgets): the book cannot run it.
WIDGET_CALL = re.compile(r"\b\w+_explorer\(|ipywidgets")


def _widget_pages() -> list[str]:
    pages = []
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        nb = json.loads(path.read_text(encoding="utf-8"))
        code = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
        if WIDGET_CALL.search(code):
            pages.append(f"notebooks/{path.stem}")
    return pages


# The cell after the one that builds the widget: its figure, and whether its code shows.
AFTER_WIDGET_JS = """() => {
  const cells = Array.from(document.querySelectorAll('article div.cell'));
  const at = cells.findIndex((c) => /_explorer\\(|ipywidgets/.test(c.textContent));
  if (at < 0 || at + 1 >= cells.length) return null;
  const next = cells[at + 1];
  const img = next.querySelector('img');
  if (img) img.scrollIntoView();
  const box = img ? img.getBoundingClientRect() : {width: 0, height: 0};
  const input = next.querySelector('.cell_input');
  return {width: box.width, height: box.height, loaded: !!img && img.naturalWidth > 0,
          code_shown: !!input && input.offsetParent !== null};
}"""


@pytest.mark.parametrize("name", _widget_pages())
def test_a_widget_page_shows_its_static_series(name, book_url, offline_page, screenshot):
    # Readers of the book see the widget's chart at several settings, without a kernel.
    tab = offline_page()
    page = _open(tab, f"{book_url}/{name}.html")
    after = page.evaluate(AFTER_WIDGET_JS)
    shot = screenshot(page, "widget") if not after or not after["loaded"] else ""
    assert after is not None, f"no cell after the widget on {name}; screenshot: {shot}"
    assert after["loaded"] and after["width"] > 300 and after["height"] > 200, (after, shot)
    assert not after["code_shown"], "the static series shows its code (tag it remove-input)"
