"""The book: it builds with warnings as errors, offline, with the pages and features readers need.

The build (``book_html`` in conftest.py, once per run) goes into a fresh temporary folder, so
every page is read again and any warning fails it; executed notebook outputs are reused from
the jupyter-cache in ``_build/`` (a notebook whose code changed is run again). The notebooks
themselves are tested in ``test_notebooks.py``.
"""

from __future__ import annotations

import pkgutil
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from helpers import toc_files

import kamlib

ROOT = Path(__file__).resolve().parents[1]

# A script, stylesheet or image fetched from another host: the book must work offline.
REMOTE = re.compile(
    r"""<(?:script|img|iframe)\b[^>]*\bsrc=["'](?:https?:)?//"""
    r"""|<link\b[^>]*\bhref=["'](?:https?:)?//""",
    re.IGNORECASE,
)


@pytest.fixture
def html(book_html) -> Path:
    """The book built once for the whole run (``book_html`` in conftest.py)."""
    return book_html


@pytest.mark.slow
def test_every_page_of_the_toc_is_built(html):
    missing = [f for f in toc_files() if not (html / f"{f}.html").is_file()]
    assert not missing
    assert (html / "index.html").is_file()


@pytest.mark.slow
def test_chapter_1_lecture_has_its_formulas_and_figure(html):
    page = (html / "book" / "01_overview.html").read_text(encoding="utf-8")
    assert "Key accounts and CRM: an overview" in page
    assert "Gini coefficient" in page and "Lorenz curve" in page
    assert 'class="math' in page  # the formulas went through the math renderer
    assert "ch01_lorenz_example.svg" in page
    assert (html / "_images" / "ch01_lorenz_example.svg").is_file()


@pytest.mark.slow
def test_chapter_1_workbook_shows_figures_and_folds_solutions(html):
    soup = BeautifulSoup(
        (html / "notebooks" / "01_meet_the_company.html").read_text(encoding="utf-8"),
        "html.parser",
    )
    article = soup.find("article")
    assert article.find("img") is not None, "the executed workbook shows no figure"
    # sphinx-exercise: each solution (the answer cell with its explaining comments) sits in a
    # "Solution to Exercise" dropdown; the nbgrader marker lines are dropped from the book.
    exercises = article.select("div.exercise")
    folded = [
        box
        for box in article.select("div.solution.dropdown")
        if "Solution to" in box.get_text()
        and box.select("div.cell")
        and "answer_1_" in box.get_text()
    ]
    assert exercises and len(folded) >= len(exercises) - 1, (len(exercises), len(folded))
    assert "### BEGIN SOLUTION" not in article.get_text()


@pytest.mark.slow
def test_nothing_is_loaded_from_the_internet(html):
    pages = sorted(html.rglob("*.html"))
    assert len(pages) >= len(toc_files())
    remote = {}
    for page in pages:
        found = REMOTE.findall(page.read_text(encoding="utf-8"))
        if found:
            remote[str(page.relative_to(html))] = found[:3]
    assert not remote, f"pages loading remote assets: {remote}"


@pytest.mark.slow
def test_math_and_search_work_offline(html):
    page = (html / "book" / "01_overview.html").read_text(encoding="utf-8")
    script = re.search(r'<script[^>]*src="([^"]*mathjax[^"]*)"', page, re.IGNORECASE)
    assert script, "no MathJax script on a page with formulas"
    assert (html / "book" / script.group(1).split("?")[0]).is_file()
    assert (html / "search.html").is_file()
    index = (html / "searchindex.js").read_text(encoding="utf-8")
    assert "gini" in index.lower() and "lorenz" in index.lower()


@pytest.mark.slow
def test_glossary_has_chapter_1_terms_with_chinese(html):
    soup = BeautifulSoup(
        (html / "book" / "glossary.html").read_text(encoding="utf-8"), "html.parser"
    )
    terms = [dt.get_text(" ", strip=True) for dt in soup.select("dl.glossary dt")]
    chinese = [t for t in terms if re.search(r"[\u4e00-\u9fff]", t)]
    assert len(chinese) >= 12
    assert any(t.startswith("Key account (大客户)") for t in terms)


def test_every_lecture_page_and_notebook_is_in_the_toc():
    # only_build_toc_files: a page missing from _toc.yml would silently not be built.
    listed = set(toc_files())
    pages = {f"book/{p.stem}" for p in (ROOT / "book").glob("*.md")}
    notebooks = {f"notebooks/{p.stem}" for p in (ROOT / "notebooks").glob("*.ipynb")}
    assert sorted((pages | notebooks) - listed) == []
    assert sorted(listed - pages - notebooks) == []  # and no entry points at a missing file


def test_every_kamlib_module_is_in_the_reference():
    reference = (ROOT / "book" / "kamlib_reference.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\.\. automodule:: (kamlib[\w.]*)", reference, re.MULTILINE))
    modules = {f"kamlib.{m.name}" for m in pkgutil.iter_modules(kamlib.__path__)}
    public = {m for m in modules if not m.rsplit(".", 1)[-1].startswith("_")}
    assert sorted(public - documented) == []
