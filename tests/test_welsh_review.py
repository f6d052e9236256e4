"""What a Welsh second reader found in the Welsh letters, and what stops it coming back: English
answers in a letter meant to be in Welsh alone, a language-choice sentence that fits Wales only,
the English half of a bilingual letter that forgot the family's language choice, "y plant"
after a vowel, and an Easy Read sheet that promised a reply."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path

from click.testing import CliRunner

from cli import main
from letters import api
from letters.case.model import Case
from letters.compose.followup import FirstLetter

from .conftest import SHARED_EXAMPLES, TODAY

CASES_CY = Path(__file__).resolve().parent / "cases_cy"
WELSH_CASE = CASES_CY / "achos-llawn.yaml"
THREE_CHILDREN = CASES_CY / "tri-phlentyn.yaml"
ENGLISH_CASE = SHARED_EXAMPLES / "case-full.yaml"
FIRST, LATER = FirstLetter(TODAY), dt.date(2026, 12, 14)


def _in(path: Path, choice: str) -> Case:
    return dataclasses.replace(api.read_case(path), language=choice)


# English answers in a letter to be written in Welsh alone


def test_check_warns_when_a_welsh_letter_would_print_english_answers() -> None:
    findings = api.check(_in(ENGLISH_CASE, "cy"), today=TODAY).findings
    english = [f for f in findings if f.category == "language" and f.is_fault]
    assert len(english) == 1
    assert "grounds.communication_breakdown.summary" in english[0].message
    assert "cy+en" in english[0].suggestion
    # The letter is still written, in Welsh.
    assert api.render_request(_in(ENGLISH_CASE, "cy"), today=TODAY).markdown.count("Annwyl") == 1


def test_welsh_answers_or_a_bilingual_letter_give_no_such_warning() -> None:
    for case in (api.read_case(WELSH_CASE), api.read_case(THREE_CHILDREN),
                 _in(ENGLISH_CASE, "cy+en"), _in(ENGLISH_CASE, "en")):
        findings = api.check(case, today=TODAY).findings
        assert [f for f in findings if f.category == "language" and f.is_fault] == [], case


def test_swletter_check_warns_of_english_answers_for_a_letter_in_welsh() -> None:
    result = CliRunner().invoke(main, ["check", "--language", "cy", str(ENGLISH_CASE)])
    output = " ".join(result.output.split())
    assert "mae geiriau'r teulu ei hun yn edrych yn Saesneg" in output
    assert "language: cy+en" in output
    welsh = CliRunner().invoke(main, ["check", str(WELSH_CASE)])
    assert "yn edrych yn Saesneg" not in welsh.output


# The language choice: what the Welsh Language Standards allow in Wales, and outside it


def test_outside_wales_the_letter_only_welcomes_a_reply_in_welsh() -> None:
    for choice, written in (("cy", "Rwyf wedi ysgrifennu'r llythyr hwn yn Gymraeg."),
                            ("cy+en", "Rwyf wedi ysgrifennu'r llythyr hwn yn Gymraeg ac yn "
                                      "Saesneg.")):
        letter = api.render_request(_in(ENGLISH_CASE, choice), today=TODAY)
        assert f"{written} Byddwn yn croesawu ateb yn Gymraeg os oes modd." in letter.markdown
        assert "cofnodi" not in letter.markdown and "record Welsh" not in letter.markdown
    english = api.render_request(_in(ENGLISH_CASE, "cy+en"), today=TODAY).parts[1].markdown
    assert "I would welcome a reply in Welsh if possible." in english


def test_in_wales_the_letter_asks_for_a_welsh_reply_and_a_record_of_the_choice() -> None:
    letter = api.render_request(api.read_case(WELSH_CASE), today=TODAY)
    assert "gofynnaf i chi gofnodi mai'r Gymraeg yw fy newis iaith" in letter.markdown


def test_the_english_half_of_a_bilingual_letter_says_the_language_choice_too() -> None:
    case = _in(WELSH_CASE, "cy+en")
    asked = "I would like your reply in Welsh, and ask you to record Welsh as my language choice"
    request = api.render_request(case, today=TODAY)
    assert asked in request.parts[1].markdown
    for kind in ("chaser", "reasons", "complaint"):
        followup = api.render_followup(case, kind, FIRST, today=LATER, language="cy+en")
        assert asked in followup.parts[1].markdown, kind
    # A letter in English alone says nothing about languages.
    alone = api.render_request(_in(WELSH_CASE, "en"), today=TODAY).markdown
    assert "Welsh" not in alone


# "y plant" after a word ending in a vowel becomes "'r plant"


def test_the_children_together_take_the_elided_article_after_a_vowel() -> None:
    case = api.read_case(THREE_CHILDREN)
    letter = api.render_request(case, today=TODAY).markdown
    for words in ("sy'n cefnogi'r plant", "Nid yw'r plant yn teimlo",
                  "yr hyn y mae'r plant wedi'i ddweud", "Mae cynlluniau'r plant"):
        assert words in letter, words
    complaint = api.render_followup(case, "complaint", FIRST, today=LATER).markdown
    assert "Nid yw'r plant yn teimlo" in complaint
    for text in (letter, complaint):
        # No word ending in a vowel is followed by "y plant" anywhere.
        assert not re.search(r"\b\w*[aeiouwyâêîôûŵŷ]\s+y plant", text), text


def test_a_kinship_carer_writes_as_a_relative_of_the_children() -> None:
    letter = api.render_request(api.read_case(THREE_CHILDREN), today=TODAY).markdown
    assert "Rwy'n ysgrifennu fel gofalwr sy'n berthynas i Elis Rees" in letter


# The Easy Read sheet tells the child what was asked, not what will happen


def test_the_easy_read_sheets_say_a_reply_was_asked_for_not_promised() -> None:
    welsh = api.render_easyread(api.read_case(WELSH_CASE), today=TODAY)[0].markdown
    assert "Mae dy fam wedi gofyn i'r rheolwr ateb erbyn 7 Rhagfyr 2026." in welsh
    assert "Bydd y rheolwr yn ateb" not in welsh
    english = api.render_easyread(api.read_case(ENGLISH_CASE), today=TODAY)[0].markdown
    assert "has asked the manager to write back by" in english
    assert "The manager will write back" not in english


# The anonymised copy in Welsh names people by Welsh roles


def test_the_welsh_anonymised_copy_uses_welsh_roles_and_placeholders() -> None:
    copy = api.render_redacted(api.read_case(WELSH_CASE), today=TODAY).markdown
    assert "ar gyfer Plentyn A a Phlentyn B" in copy
    assert "\\[cyfeiriad wedi'i dynnu\\]" in copy and "\\[e-bost wedi'i dynnu\\]" in copy
    assert "Mae eiriolwr annibynnol wedi ysgrifennu datganiad ategol" in copy
    assert "Child A" not in copy and "removed" not in copy and "the social worker" not in copy
    english = api.render_redacted(api.read_case(ENGLISH_CASE), today=TODAY).markdown
    assert "Child A" in english and "\\[address removed\\]" in english
