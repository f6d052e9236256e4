"""The language layer and the kinds of document: every word a document takes from its language,
one subject line everywhere, one way of naming files."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest

from letters.case.validate import load_case
from letters.compose.documents import document_kinds, file_name
from letters.compose.followup import KINDS, FirstLetter, make_followup
from letters.compose.language import language
from letters.compose.request import make_letter
from letters.compose.statement import draft_statement
from letters.errors import LettersError
from letters.templating.environment import localised

from .conftest import CASES, TODAY

EN = language("en")


def test_english_dates_lists_possessives_and_labels() -> None:
    assert EN.date(dt.date(2026, 11, 23)) == "23 November 2026"
    assert EN.date(dt.date(2027, 1, 1)) == "1 January 2027"
    assert [EN.join(n) for n in ([], ["Sam"], ["Sam", "Lily"], ["Sam", "Lily", "Ava"])] == [
        "", "Sam", "Sam and Lily", "Sam, Lily and Ava"]
    assert EN.possessive("James") == "James's"
    assert EN.enclosure_label([2]) == " (Enclosure 2)"
    assert EN.enclosure_label([2, 3, 5]) == " (Enclosures 2, 3 and 5)"
    assert EN.enclosure_label([]) == ""
    assert EN.tag == "en-GB"


def test_english_month_names_are_cldrs() -> None:
    from babel import Locale

    wide = Locale.parse("en_GB").months["format"]["wide"]
    assert [EN.date(dt.date(2026, m, 1)).split()[1] for m in range(1, 13)] == [
        wide[m] for m in range(1, 13)]


def test_three_children_read_the_same_in_the_title_and_the_letter() -> None:
    rendered = make_letter(load_case(CASES / "child-views-three-children.yaml"), today=TODAY)
    names = "Zofia Nowak, Adam Nowak and Ela Nowak"
    assert names in rendered.title
    assert f"**{rendered.title}**" in rendered.markdown
    page = rendered.to_bytes("html").decode("utf-8")
    assert re.search(r"<title>(.*)</title>", page).group(1) == rendered.title  # type: ignore[union-attr]


def test_every_follow_up_and_the_statement_carry_their_subject_line() -> None:
    case = load_case(CASES / "statement-full.yaml")
    for kind in KINDS:
        rendered = make_followup(case, kind, FirstLetter(dt.date(2026, 11, 2)), today=TODAY)
        assert f"**{rendered.title}**" in rendered.markdown
        assert rendered.file_name("docx").startswith(f"{kind}-")
    statement = draft_statement(case)
    assert statement.title == f"Supporting statement from {statement.document.statement.author}"


def test_one_naming_function_for_every_kind() -> None:
    kinds = document_kinds()
    assert set(kinds) == {"request", *KINDS, "statement", "next_steps", "easyread", "redacted"}
    day = dt.date(2026, 11, 23)
    assert file_name(kinds["request"], "docx", who="Zofia Nowak", date=day) == \
        "letter-zofia-nowak-2026-11-23.docx"
    assert file_name(kinds["chaser"], "pdf", who="Élan O'Brien", date=day) == \
        "chaser-elan-o-brien-2026-11-23.pdf"
    assert file_name(kinds["statement"], "md", who="Priya Shah", date=day) == \
        "statement-priya-shah.md"
    assert file_name(kinds["statement"], "md", who="???") == "statement-author.md"
    assert file_name(kinds["request"], "docx", who="Sam Doe", date=day, language="cy+en") == \
        "letter-sam-doe-2026-11-23-cy-en.docx"
    assert file_name(kinds["easyread"], "pdf", who="Sam Doe", date=day) == \
        "easy-read-sam-doe-2026-11-23.pdf"
    # An anonymised copy's name gives neither a name nor a date.
    assert file_name(kinds["redacted"], "docx") == "anonymised-letter.docx"


def test_templates_are_chosen_by_language() -> None:
    assert localised("change_request.md.j2", "en") == "change_request.md.j2"
    assert localised("change_request.md.j2", "cy") == "change_request.cy.md.j2"


def test_a_language_swletter_does_not_write_is_refused_by_name() -> None:
    with pytest.raises(LettersError, match='"fr" is not a language swletter writes'):
        language("fr")


def test_documents_are_tagged_british_english() -> None:
    import zipfile

    rendered = make_letter(load_case(CASES / "statement-full.yaml"), today=TODAY)
    with zipfile.ZipFile(io.BytesIO(rendered.to_bytes("docx"))) as package:
        styles = package.read("word/styles.xml").decode("utf-8")
    defaults = re.search(r"<w:rPrDefault>.*?</w:rPrDefault>", styles, re.S).group(0)  # type: ignore[union-attr]
    assert 'w:val="en-GB"' in defaults and "en-US" not in defaults
    assert '<html lang="en-GB">' in rendered.to_bytes("html").decode("utf-8")


def test_the_page_header_and_footer_come_from_the_language(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import dataclasses

    from letters.compose import language as layer
    from letters.writers.docx_base import own_base

    welsh_words = {**EN.data, "page": {"header": "Preifat a chyfrinachol",
                                       "footer": "Tudalen {page} o {pages}"}}
    welsh = dataclasses.replace(EN, code="cy", tag="cy-GB", data=welsh_words)
    real = layer.language
    monkeypatch.setattr(layer, "language", lambda code="en": welsh if code == "cy" else real(code))
    own_base.cache_clear()
    try:
        base = own_base("cy")
    finally:
        own_base.cache_clear()
    header = base.parts["word/header1.xml"].decode("utf-8")
    footer = base.parts["word/footer1.xml"].decode("utf-8")
    assert "Preifat a chyfrinachol" in header and "Private" not in header
    assert ">Tudalen </w:t>" in footer and "> o </w:t>" in footer and "Page" not in footer
    assert 'w:val="cy-GB"' in base.parts["word/styles.xml"].decode("utf-8")
