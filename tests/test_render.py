"""User text is data: shown exactly as typed in every format, never run as a template."""

from __future__ import annotations

import html
import io
import re
from pathlib import Path

import docx
import pytest

from letters.case.validate import load_case
from letters.compose.request import make_letter
from letters.templating.helpers import escape_markdown

from .conftest import MINIMAL, TODAY, write_case

HOSTILE = [
    "*Bold*",
    "<script>alert(1)</script>",
    "{{ 7*7 }}",
    "{% raw %}",
    "# not a heading",
    "1. not a list",
    "- not a bullet",
    "> not a quote",
    "[a link](http://example.org)",
    "`code`",
    "back\\slash",
    "under_score_",
    "Tom &amp; Jerry & co",
    "=== not a heading",
    "+ plus",
    "2) also not a list",
    "![image](x.png)",
]


def _case_with_summary(tmp_path: Path, summary: str) -> Path:
    quoted = summary.replace("\\", "\\\\").replace('"', '\\"')
    text = MINIMAL.replace(
        "summary: We have not been able to agree how to keep in touch.",
        f'summary: "{quoted}"',
    )
    return write_case(tmp_path, text)


@pytest.mark.parametrize("text", HOSTILE)
def test_markdown_and_docx_show_user_text_literally(tmp_path: Path, text: str) -> None:
    rendered = make_letter(load_case(_case_with_summary(tmp_path, text)), today=TODAY)
    paragraphs = [p.text for p in docx.Document(io.BytesIO(rendered.to_bytes("docx"))).paragraphs]
    assert any(p.startswith(text) for p in paragraphs), paragraphs
    # The Markdown, read by a CommonMark parser, gives back the same characters.
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").parse(rendered.markdown)
    texts = ["".join(c.content for c in (t.children or []) if c.type == "text")
             for t in tokens if t.type == "inline"]
    assert any(t.startswith(text) for t in texts)
    # No user text turns into structure: the letter has the same headings whatever was typed.
    assert [t.tag for t in tokens if t.type == "heading_open"] == ["h2", "h2"]


@pytest.mark.parametrize("text", HOSTILE)
def test_html_shows_user_text_literally(tmp_path: Path, text: str) -> None:
    rendered = make_letter(load_case(_case_with_summary(tmp_path, text)), today=TODAY)
    page = rendered.to_bytes("html").decode("utf-8")
    assert "<script>" not in page
    paragraphs = [html.unescape(re.sub(r"<[^>]+>", "", p))
                  for p in re.findall(r"<p>(.*?)</p>", page, re.S)]
    assert any(p.startswith(text) for p in paragraphs), paragraphs


def test_template_syntax_in_user_text_is_not_evaluated(tmp_path: Path) -> None:
    rendered = make_letter(load_case(_case_with_summary(tmp_path, "{{ 7*7 }} {{ case }}")),
                           today=TODAY)
    assert "49" not in rendered.markdown
    assert "{{ 7\\*7 }} {{ case }}" in rendered.markdown


def test_escaping_leaves_ordinary_text_readable() -> None:
    assert escape_markdown("Since April, most calls (five) went unanswered.") == (
        "Since April, most calls (five) went unanswered.")
    assert escape_markdown("Children & Families") == "Children & Families"


@pytest.mark.parametrize("text", [
    "_it_", "*it*", "`it`", "[it](x)", "<b>it</b>", "&amp;", "a\\", "\\*", "# it", "+ it",
    "- it", "> it", "= it", "1. it", "2) it", "snake_case and x*y",
])
def test_each_markdown_character_alone_is_shown_as_typed(text: str) -> None:
    from markdown_it import MarkdownIt

    page = MarkdownIt("commonmark").render(escape_markdown(text))
    assert page.startswith("<p>")  # one paragraph: not a heading, list or quote
    assert html.unescape(re.sub(r"<[^>]+>", "", page)).strip() == text


def test_control_characters_never_reach_the_docx(tmp_path: Path) -> None:
    text = MINIMAL.replace("summary: We have not been able to agree how to keep in touch.",
                           'summary: "bell\\u0007 and \\u000bvt"')
    rendered = make_letter(load_case(write_case(tmp_path, text)), today=TODAY)
    data = rendered.to_bytes("docx")
    document = docx.Document(io.BytesIO(data))
    assert any(p.text.startswith("bell and vt") for p in document.paragraphs)


def test_enclosures_list_stays_on_one_page_with_its_heading(full_case: Path) -> None:
    import zipfile

    from docx.oxml.ns import qn

    from letters.case.validate import load_case as load

    data = make_letter(load(full_case), today=TODAY).to_bytes("docx")
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")
    from lxml import etree

    numbered = [p for p in etree.fromstring(xml).iter(qn("w:p"))
                if p.find(f"{qn('w:pPr')}/{qn('w:numPr')}") is not None]
    assert len(numbered) == 8
    for item in numbered:
        tags = [child.tag for child in item.find(qn("w:pPr"))]
        # keepNext must follow pStyle (the schema's order), or readers ignore it.
        expected = [qn("w:pStyle"), qn("w:keepNext"), qn("w:numPr")]
        assert tags == (expected if item is not numbered[-1] else [qn("w:pStyle"),
                                                                    qn("w:numPr")])
    # The sign-off keeps with the signer's name too.
    assert b'<w:p><w:pPr><w:keepNext/></w:pPr><w:r><w:t xml:space="preserve">Yours sincerely' in xml
