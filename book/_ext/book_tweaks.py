"""Small Sphinx fixes for the course book, loaded through ``sphinx.local_extensions``.

- Search in English and Chinese: Sphinx's English index keeps a run of Chinese characters as one
  word, so a two-character word such as 客户 inside 大客户 or 客户终身价值 is never found (longer
  queries are matched inside words, two characters are not). The search language ``en-zh``
  indexes every pair of adjacent Chinese characters as well; everything else is English.
  (Sphinx's own ``zh`` search needs the jieba package and, without it, drops Chinese text.)
- sphinx-thebe 0.3.1 adds its inline settings script twice to every page, and the second copy
  stops with "Identifier 'THEBE_JS_URL' has already been declared". Each page keeps one copy.
"""

from __future__ import annotations

import re

from sphinx.search import languages
from sphinx.search.en import SearchEnglish

CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]{2,}")


class SearchEnglishChinese(SearchEnglish):
    """English search whose index also holds the character pairs of every Chinese run."""

    lang = "en-zh"
    language_name = "English with Chinese terms"

    def split(self, input: str) -> list[str]:
        words = super().split(input)
        for run in CJK_RUN.findall(input):
            words.extend(run[i : i + 2] for i in range(len(run) - 1))
        return words


def _one_copy_of_each_inline_script(app, pagename, templatename, context, doctree):
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, unique = set(), []
    for script in scripts:
        body = getattr(script, "attributes", {}).get("body")
        if body:
            if body in seen:
                continue
            seen.add(body)
        unique.append(script)
    context["script_files"] = unique


def setup(app):
    languages[SearchEnglishChinese.lang] = SearchEnglishChinese
    app.connect("html-page-context", _one_copy_of_each_inline_script)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
