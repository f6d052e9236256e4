"""The fast Markdown reader gives the .docx writer exactly what markdown-it gives it."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import letters.writers.docx as docx_writer
from letters.templating.helpers import escape_markdown
from letters.writers.docx import markdown_to_body
from letters.writers.docx_base import default_base
from letters.writers.fastmd import fast_tokens

from .conftest import GOLDEN


def body_xml(markdown: str, *, fast: bool) -> list[str]:
    with pytest.MonkeyPatch.context() as m:
        if not fast:
            m.setattr(docx_writer, "fast_tokens", lambda _text: None)
        body = markdown_to_body(markdown, default_base(), first_num_id=1000)
    return [*body.paragraphs, repr(body.new_nums)]


@pytest.mark.parametrize("golden", sorted(GOLDEN.glob("*.md")), ids=lambda p: p.name)
def test_golden_letters_read_the_same_and_take_the_fast_path(
        golden: Path) -> None:
    markdown = golden.read_text(encoding="utf-8")
    assert fast_tokens(markdown) is not None  # otherwise bulk letters lose their speed
    assert body_xml(markdown, fast=True) == body_xml(
        markdown, fast=False)


@pytest.mark.parametrize("markdown", [
    "See [the council](https://example.org).",
    "Use `code` here.",
    "> a quote",
    "1) first\n2) second",
    "Some *emphasis* here.",
    "Title\n=====",
    "    indented code",
    "- - -",
    "<!-- signature -->\nName right below",
    "text\n2. not a list",
    "- # heading in an item",
    "&#128; and &#0;",
    "&notanentity;",
    # markdown-it's own rules for a backslash ending a line, and for white space other than
    # spaces ending a paragraph or before a closing **.
    "Three backslashes \\\\\\\nnext line",
    "A backslash then spaces \\  \nnext line",
    "**Bold over\n**",
    "Ends in an em space\u2003",
    "**Bold before a no-break space\u00a0**",
    "## Heading\u00a0",
    "-     indented code in a list item",
    "1.     indented code in a numbered item",
])
def test_anything_beyond_the_subset_goes_to_markdown_it(markdown: str) -> None:
    assert fast_tokens(markdown) is None
    assert body_xml(markdown, fast=True) == body_xml(
        markdown, fast=False)


@pytest.mark.parametrize("markdown", [
    "**Private and confidential**\n\nMs Sarah Patel  \nTeam Manager",
    "## Enclosures\n\n1. 3 April 2026 — email: x\n2. 5 May 2026 — letter: y\n\nAfter.",
    "- a\n- b\n\n- c\n\nPara\n- interrupting list",
    "3. starts at three\n4. next",
    "A & B &amp; C &#61; D &ndash; e\\*f\\_g \\[h\\] &lt;i>",
    "Line ending in a backslash \\",
    "1. one\nlazy continuation\n2. two",
])
def test_the_subset_reads_like_markdown_it(markdown: str) -> None:
    assert fast_tokens(markdown) is not None
    assert body_xml(markdown, fast=True) == body_xml(
        markdown, fast=False)


# Any text a user can type, escaped as the templates escape it, in the places letters put it.
_pieces = st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from(
    [*"*_`[]<>&#=+-.!\\|~ 1234567890", "&amp;", "&#61;", "**", "1. ", "- ", "&ndash;"])
user_text = st.lists(_pieces, min_size=1, max_size=40).map(
    lambda t: " ".join("".join(t).split())).filter(bool)


@settings(max_examples=300, deadline=None)
@given(st.lists(user_text, min_size=3, max_size=3))
def test_escaped_user_text_reads_the_same(texts: list[str]) -> None:
    a, b, c = (escape_markdown(t) for t in texts)
    markdown = (f"{a}  \n{b}\n\n**Request about {c}**\n\n## {a}\n\n- 1 May 2026: {b}\n"
                f"- {c}\n\n1. {a}\n2. {b}\n\n<!-- signature -->\n\n{c}\n")
    assert body_xml(markdown, fast=True) == body_xml(
        markdown, fast=False)
