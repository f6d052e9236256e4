"""Letters a manager takes seriously (issue 16): the right nation, facts whose dates run
forwards, the child in every reason in the family's words, short names that are names, a
statement in the advocate's voice that honours the child's consent, tidied wording that keeps
nothing it flagged, and the small things a careful reader notices.

The complaint letter has its own tests (test_complaint.py); the golden letters show the whole
wording (test_golden.py, test_followup.py).
"""

from __future__ import annotations

import copy
import io
import re
import zipfile
from typing import Any

import pytest

from letters.advice.review import check_case
from letters.advice.shape import MAX_INCIDENTS, letter_length
from letters.api import check
from letters.case.validate import case_from_data
from letters.compose.request import make_letter
from letters.compose.statement import draft_statement
from letters.errors import CaseError
from letters.interview import Accepted, Interview, Rejected
from letters.interview.plan import build_plan
from letters.interview.wording import CaseNames, default_tone_check
from letters.writers.blocks import letter_blocks

from .conftest import TODAY

BASE: dict[str, Any] = {
    "date": "2026-11-23",
    "jurisdiction": "england",
    "sender": {"name": "Tom Green", "relationship": "father",
               "address": ["4 Mill Lane", "Sefton", "L30 2PA"]},
    "recipient": {"organisation": "Sefton Council",
                  "address": ["Bootle Town Hall", "Oriel Road", "Bootle", "L20 7AE"]},
    "social_worker": {"title": "Ms", "name": "Karen White"},
    "case_reference": "SEF-2026-0091",
    "children": [{"name": "Mia Green", "date_of_birth": "2015-03-01"}],
    "grounds": {"communication_breakdown": {
        "summary": "Most of my messages about contact go unanswered.",
        "impact": "Mia does not know when she will next see her grandmother."}},
}

CONDUCT = {"incidents": [{"date": "2026-03-12", "what": "The agreed home visit did not take place "
                          "and no one told me it was cancelled."}]}


def case_with(**changes: Any) -> Any:
    """The base case with top-level fields replaced (a value of None removes the field)."""
    data = copy.deepcopy(BASE)
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return case_from_data(data, source="case.yaml")


def letter_of(**changes: Any) -> Any:
    return make_letter(case_with(**changes), today=TODAY)


def plain(markdown: str) -> str:
    return re.sub(r"\\(.)", r"\1", " ".join(markdown.split()))


# --------------------------------------------------------------------------------------------
# 1. The right nation: asked first, with no answer offered; questions that do not apply skipped


def test_the_interview_asks_the_part_of_the_uk_first_and_offers_no_answer() -> None:
    interview = Interview(today=TODAY)
    first = interview.next_question()
    assert first is not None
    assert (first.id, first.default, first.required) == ("jurisdiction", "", True)
    assert [c.label for c in first.choices] == ["England", "Wales", "Scotland",
                                                "Northern Ireland"]
    # Enter does not pick England: a part of the UK must be chosen.
    assert isinstance(interview.submit(""), Rejected)
    assert isinstance(interview.submit("Wales"), Accepted)
    assert interview.data["jurisdiction"] == "wales"


def _questions(data: dict[str, Any]) -> list[str]:
    return [step.question.id for step in build_plan(data)]


def test_the_social_work_england_standard_is_asked_only_in_england() -> None:
    conduct = {"unprofessional_conduct": {**copy.deepcopy(CONDUCT), "cite_standard": True}}
    standard = "grounds.unprofessional_conduct.cite_standard"
    assert standard in _questions({"jurisdiction": "england", "grounds": conduct})
    welsh = {"jurisdiction": "wales", "grounds": copy.deepcopy(conduct)}
    assert standard not in _questions(welsh)
    # An answer given before the part of the UK changed is dropped, not kept unseen.
    assert "cite_standard" not in welsh["grounds"]["unprofessional_conduct"]
    # Not yet said: the recipient tells (Cardiff is in Wales).
    cardiff = {"recipient": {"organisation": "Cardiff Council"}, "grounds": copy.deepcopy(conduct)}
    assert standard not in _questions(cardiff)


def test_the_standard_is_left_out_of_a_welsh_letter_with_a_warning() -> None:
    rendered = letter_of(
        jurisdiction=None,
        recipient={"organisation": "Cardiff Council", "address": ["County Hall", "CF10 4UW"]},
        grounds={"unprofessional_conduct": {**CONDUCT, "cite_standard": True}})
    assert rendered.document.case.jurisdiction == "wales"
    assert "Social Work England" not in rendered.markdown
    (warning,) = [w for w in rendered.warnings if w.path.endswith("cite_standard")]
    assert warning.message == ("this applies only to letters to a council in England, and this "
                               "case's is in Wales, so the letter leaves it out.")


# --------------------------------------------------------------------------------------------
# 2. Time that runs backwards


def test_dates_after_the_letter_are_each_a_warning() -> None:
    rendered = letter_of(
        social_worker={"name": "Karen White", "allocated_since": "2026-12-01"},
        grounds={"unprofessional_conduct": {"incidents": [
            {"date": "2027-03-12", "what": "The visit did not take place.", "evidence": ["E1"]}]},
                 "complaint": {"made_on": "2026-12-02", "summary": "Missed visits."}},
        evidence=[{"id": "E1", "date": "2027-03-12", "type": "note", "description": "My diary."}])
    found = {w.path: w.message for w in rendered.warnings}
    assert found["social_worker.allocated_since"] == (
        "The worker's allocation is dated 1 December 2026, after the letter (23 November 2026). "
        "Check the year, and the letter's own date (date:, today's date when left out): a letter "
        "can only describe what had happened by the day it is dated.")
    assert found["grounds.unprofessional_conduct.incidents[1].date"].startswith(
        "This is dated 12 March 2027, after the letter (23 November 2026).")
    assert found["grounds.complaint.made_on"].startswith("This is dated 2 December 2026, after")
    assert found["evidence[1].date"].startswith("This evidence is dated 12 March 2027, after")


def test_a_child_born_after_the_letter_is_an_error() -> None:
    with pytest.raises(CaseError) as err:
        case_with(children=[{"name": "Mia Green", "date_of_birth": "2026-11-24"}])
    (problem,) = err.value.problems
    assert (problem.path, problem.message) == (
        "children[1].date_of_birth", "this date of birth is after the date of the letter, so it "
        "cannot be right. Check the year for a slip of the keyboard.")
    # The date itself is not repeated: a child's date of birth stays out of messages.
    assert "2026" not in problem.message


def test_a_statement_dated_after_the_letter_is_enclosed_with_a_warning() -> None:
    rendered = letter_of(supporting_statements=[
        {"author": "Priya Shah", "date": "2026-11-30", "child_consent": "yes"}])
    (warning,) = [w for w in rendered.warnings if w.path.startswith("supporting")]
    assert warning.message.startswith(
        "the letter encloses the supporting statement from Priya Shah, but the statement is "
        "dated 30 November 2026, after the letter (23 November 2026).")


# --------------------------------------------------------------------------------------------
# 4. Every ground says how it affects the child


def test_conduct_says_how_it_affected_the_child() -> None:
    grounds = {"unprofessional_conduct": {**CONDUCT, "impact": "Mia waited at the window all "
                                          "afternoon."}}
    text = plain(letter_of(grounds=grounds).markdown)
    assert "Mia waited at the window all afternoon." in text


def test_a_letter_whose_only_ground_is_conduct_still_speaks_about_the_child() -> None:
    rendered = letter_of(grounds={"unprofessional_conduct": copy.deepcopy(CONDUCT)})
    section = plain(rendered.markdown.split("## An event", 1)[1].split("## What I am asking")[0])
    assert "Mia's plans depend on a social worker our family can trust." in section
    assert "rely on" not in rendered.markdown
    # And check suggests saying how, naming the child.
    (note,) = [f for f in check_case(rendered.document.case) if f.category == "child"]
    assert (note.path, note.severity) == ("grounds.unprofessional_conduct.impact", "note")
    assert "has affected Mia." in note.message


def test_the_interview_asks_how_the_events_affected_the_child() -> None:
    data = {"jurisdiction": "england", "children": [{"name": "Mia Green"}],
            "grounds": {"unprofessional_conduct": copy.deepcopy(CONDUCT)}}
    (step,) = [s for s in build_plan(data) if s.question.id == "grounds.unprofessional_conduct"
               ".impact"]
    assert step.question.text == "How have these events affected Mia? (optional)"


# --------------------------------------------------------------------------------------------
# 5. No stock paragraph; names said once; one event is one event


THREE = [{"name": "Yusuf Khan"}, {"name": "Maryam Khan"}, {"name": "Idris Khan"}]


def test_many_children_are_named_once_then_called_the_children() -> None:
    rendered = letter_of(children=THREE, grounds={
        **BASE["grounds"], "child_not_engaging": {"child": "Maryam Khan",
                                                  "views": "Maryam says she feels unheard."}})
    text = plain(rendered.markdown)
    assert "Yusuf, Maryam and Idris" not in text
    assert "The children's social worker is Ms Karen White." in text
    assert "welfare is at the centre of this request" not in text
    assert "I ask that you give real weight to Maryam's own views in this decision." in text


def test_one_event_reads_as_one_event() -> None:
    text = plain(letter_of(grounds={"unprofessional_conduct": copy.deepcopy(CONDUCT)}).markdown)
    assert "## An event that has affected the working relationship" in text
    assert "the following events" not in text
    assert ("On 12 March 2026, the agreed home visit did not take place and no one told me it "
            "was cancelled.") in text


def test_a_complaint_already_made_reads_as_one_sentence() -> None:
    text = plain(letter_of(grounds={"complaint": {
        "made_on": "2026-10-01", "reference": "COMP-998",
        "summary": "Missed visits and the inaccurate record of 5 May."}}).markdown)
    assert ("On 1 October 2026 I made a complaint (reference COMP-998) about missed visits and "
            "the inaccurate record of 5 May.") in text
    assert "In brief" not in text


# --------------------------------------------------------------------------------------------
# 6. A short name is a name


def test_numbered_children_keep_their_whole_names() -> None:
    text = plain(letter_of(children=[{"name": "Child 1"}, {"name": "Child 2"}]).markdown)
    assert "Child 1 and Child 2's social worker is Ms Karen White." in text
    assert "Child and Child" not in text


def test_children_with_the_same_first_name_are_called_by_their_full_names() -> None:
    text = plain(letter_of(children=[{"name": "Sam Doe"}, {"name": "Sam Green"}]).markdown)
    assert "Sam Doe and Sam Green's social worker" in text


# --------------------------------------------------------------------------------------------
# 7. A letter longer than a manager will read


def test_a_long_letter_is_advised_to_be_summarised() -> None:
    incidents = [{"date": f"2026-0{1 + i % 9}-{10 + i}", "what": "The visit was cancelled."}
                 for i in range(MAX_INCIDENTS + 1)]
    rendered = letter_of(grounds={"unprofessional_conduct": {"incidents": incidents}})
    (finding,) = letter_length(rendered.document.case, rendered.markdown)
    assert finding.message.startswith(f"the letter is long ({MAX_INCIDENTS + 1} incidents).")
    assert "group incidents that repeat" in finding.suggestion
    short = letter_of()
    assert list(letter_length(short.document.case, short.markdown)) == []


# --------------------------------------------------------------------------------------------
# 8. The family's word for their relationship, in the letter's register


@pytest.mark.parametrize(("word", "written"), [("Mum", "mother"), ("dad", "father"),
                                                ("nan", "grandmother"), ("Grandad", "grandfather"),
                                                ("kinship carer", "kinship carer")])
def test_relationship_words_become_the_letters(word: str, written: str) -> None:
    sender = {**BASE["sender"], "relationship": word}
    assert f"I am writing as the {written} of Mia Green" in plain(letter_of(sender=sender).markdown)


def test_the_family_can_keep_their_own_word() -> None:
    sender = {**BASE["sender"], "relationship": "Nan"}
    case = case_with(sender=sender)
    (note,) = [f for f in check_case(case) if f.path == "sender.relationship"]
    assert note.message == 'the letter says "grandmother" for "Nan", as a formal letter would.'
    assert note.suggestion == "To keep your own word, add under sender: keep_relationship: true"
    kept = letter_of(sender={**sender, "keep_relationship": True})
    assert "I am writing as the Nan of Mia Green" in plain(kept.markdown)


# --------------------------------------------------------------------------------------------
# 9. The advocate's statement: the child's consent is binding


@pytest.mark.parametrize("consent", ["no", "not asked"])
def test_without_the_childs_agreement_the_statement_is_not_enclosed(consent: str) -> None:
    statements = [{"author": "Priya Shah", "role": "Independent Advocate", "date": "2026-11-20",
                   "child_consent": consent}]
    case = case_with(supporting_statements=statements)
    rendered = make_letter(case, today=TODAY)
    assert "Priya Shah" not in rendered.markdown
    assert "statement" not in rendered.markdown.lower()
    report = check(case, today=TODAY, whole_letter=False)
    (finding,) = [f for f in report.findings if f.path.startswith("supporting_statements")]
    assert finding.path == "supporting_statements[1].child_consent"
    assert finding.message.startswith("the supporting statement from Priya Shah is not enclosed, "
                                      "and the letter does not mention it")
    # The statement is still drafted for the advocate, saying it is not to be shared.
    assert "It is not to be sent to children's services" in draft_statement(case).markdown


def test_with_the_childs_agreement_the_statement_is_enclosed() -> None:
    rendered = letter_of(supporting_statements=[{"author": "Priya Shah", "date": "2026-11-20",
                                                 "child_consent": "yes"}])
    assert "Supporting statement from Priya Shah" in rendered.markdown


# --------------------------------------------------------------------------------------------
# 11. Tidied wording never keeps what it flagged, and the advice uses the family's names


def _tone(text: str) -> tuple[list[str], str | None]:
    check_tone = default_tone_check()
    assert check_tone is not None
    names = CaseNames.of(["Mia Green", "Karen White"], child="Mia", worker="Ms White")
    notes, rewrite = check_tone(text, "grounds.x", "prose", names)
    return [n.suggestion for n in notes], rewrite


def test_no_tidied_wording_keeps_a_flagged_word_or_its_capitals() -> None:
    # "IT" is an abbreviation, but here it is shouted with the rest; "disgraceful" is an insult
    # only the writer can reword, so nothing is offered.
    assert _tone("IT IS DISGRACEFUL.")[1] is None
    assert _tone("He NEVER replies.")[1] is None
    # What can be tidied is, with a capital where a sentence starts, and checked again.
    assert _tone("The visit was missed. NOBODY TOLD ME!!")[1] == (
        "The visit was missed. Nobody told me.")


def test_welsh_answers_are_never_tidied_into_an_insult() -> None:
    check_tone = default_tone_check()
    assert check_tone is not None
    names = CaseNames.of(["Osian Jones", "Siân Hughes"], child="Osian", worker="Ms Hughes")

    def tidied(text: str) -> str | None:
        return check_tone(text, "grounds.x", "prose", names, "cy")[1]

    # Welsh has no word lists here: a word shouted in Welsh may be an insult once lowered
    # ("diwerth", worthless), so it is left for the writer to reword.
    assert tidied("Mae hi'n DDIWERTH!!!") is None
    # English typed into the Welsh form is read against the English lists before it is
    # offered: "He is USELESS!!!" was offered as "He is useless.".
    assert tidied("He is USELESS!!!") is None
    assert tidied("He is useless!!!") is None
    # What needs no word list is still tidied.
    assert tidied("Ni ddaeth i'r cyfarfod!!!") == "Ni ddaeth i'r cyfarfod."


def test_the_advice_names_the_familys_own_child_and_worker() -> None:
    suggestions, _ = _tone("She is a liar and I ALWAYS chase her.")
    text = " ".join(suggestions)
    assert "with Mia that day" in text and "Ms White did not come" in text
    for sample in ("Lily", "Sam", "Mr Smith"):
        assert sample not in text
    case = case_with(grounds={"communication_breakdown": {"summary": "She is a liar."}})
    (insult,) = [f for f in check_case(case) if f.category == "insult"]
    assert "I was at the hospital with Mia that day" in insult.suggestion


# --------------------------------------------------------------------------------------------
# 12. Small things a reader notices


def test_the_team_email_is_used() -> None:
    recipient = {**BASE["recipient"], "email": "north.team@example.gov.uk"}
    assert "By email to north.team@example.gov.uk" in letter_of(recipient=recipient).markdown


def test_a_statement_without_a_date_is_listed_with_a_warning() -> None:
    rendered = letter_of(supporting_statements=[{"author": "Chloe Adams"}])
    (warning,) = [w for w in rendered.warnings if w.path.startswith("supporting")]
    assert warning.message.startswith("the letter lists the supporting statement from Chloe Adams "
                                      "as enclosed, but the statement has no date yet.")


def test_the_signature_directive_is_not_shown_in_md_or_html() -> None:
    rendered = letter_of()
    md = rendered.to_bytes("md").decode("utf-8")
    html = rendered.to_bytes("html").decode("utf-8")
    assert "<!--" not in md and "<!--" not in html
    assert "Yours faithfully\n\n\n\nTom Green" in md           # room to sign, as blank lines
    assert '<div class="signature"></div>' in html


def test_a_solicitor_copied_into_a_first_request_is_a_note() -> None:
    case = case_with(copy_to=[{"name": "Ann Lee", "role": "Solicitor"}])
    (note,) = [f for f in check_case(case) if f.path == "copy_to[1]"]
    assert (note.words, note.severity) == ("Solicitor", "note")
    assert note.message.startswith("a copy to a solicitor can make a first request read as the "
                                   "start of a legal dispute")


def test_enclosures_are_labelled_consistently() -> None:
    evidence = [{"id": "E1", "date": "2026-04-03", "type": "email", "description": "My email."},
                {"id": "E2", "date": "2026-04-05", "type": "other", "description": "A diary."}]
    grounds = {"communication_breakdown": {**BASE["grounds"]["communication_breakdown"],
                                           "evidence": ["E1", "E2"]}}
    text = letter_of(evidence=evidence, grounds=grounds).markdown
    assert "1. 3 April 2026 — Email: My email." in text
    assert "2. 5 April 2026 — A diary." in text
    assert "other:" not in text


def test_the_close_is_kept_with_the_paragraph_before_it() -> None:
    rendered = letter_of()
    with zipfile.ZipFile(io.BytesIO(rendered.to_bytes("docx"))) as zf:
        body = zf.read("word/document.xml").decode("utf-8")
    for text in ("I have kept a copy of this letter.", "Yours faithfully"):
        paragraph = body[body.rindex("<w:p>", 0, body.index(text)):body.index(text)]
        assert "<w:keepNext/>" in paragraph, text
    (sign_off,) = [b for b in letter_blocks(rendered.markdown) if b["kind"] == "sign-off"]
    assert sign_off["before"]["runs"][0]["text"].startswith("I have kept a copy of this letter.")
    assert sign_off["close"]["runs"] == [{"text": "Yours faithfully"}]


def test_a_case_reference_never_breaks_at_its_hyphen() -> None:
    rendered = letter_of()
    assert "SEF-2026-0091" in rendered.to_bytes("md").decode("utf-8")   # as typed
    with zipfile.ZipFile(io.BytesIO(rendered.to_bytes("docx"))) as zf:
        body = zf.read("word/document.xml").decode("utf-8")
    assert "SEF</w:t><w:noBreakHyphen/><w:t xml:space=\"preserve\">2026" in body
    from letters.writers import unbroken
    runs = [r for b in letter_blocks(unbroken(rendered.markdown, ["SEF-2026-0091"]))
            for r in b.get("runs", ())]
    assert {"text": "SEF-2026-0091)", "whole": True, "bold": True} in runs



def test_a_statement_from_an_author_without_a_role_reads_as_a_sentence() -> None:
    rendered = letter_of(grounds={"child_not_engaging": {"views": "Mia says she feels unheard."}},
                         supporting_statements=[{"author": "Chloe Adams", "date": "2026-11-20"}])
    assert "Chloe Adams has written a statement about what Mia has said (Enclosure 1)." in \
        plain(rendered.markdown)


def test_the_full_letter_says_openly_once_and_why_the_events_are_raised_once(
        shared_examples: Any) -> None:
    """A second reader found "openly" three times in a row (once in the family's own words) and
    the list of events bracketed by two sentences that both say why it is there."""
    from letters.case.validate import load_case

    text = " ".join(make_letter(load_case(shared_examples / "case-full.yaml"), today=TODAY)
                    .markdown.split())
    assert text.count("openly") == 1  # the family's own "share information openly"
    assert "I describe them to explain why trust has been lost, not to blame anyone." in text
    assert "I raise them because" not in text
    assert "Sam and Lily's plans depend on a social worker our family can trust." in text


def test_one_childs_views_still_ask_for_one_worker_for_every_child() -> None:
    """Three children, only Zofia's views: the request names all three, together."""
    from letters.case.validate import load_case

    from .conftest import CASES

    text = " ".join(make_letter(load_case(CASES / "child-views-three-children.yaml"),
                                today=TODAY).markdown.split())
    assert ("I ask for one new social worker for all three children, so that they keep the "
            "same worker.") in text
    # One child alone: nothing to add.
    one = letter_of(grounds={"child_not_engaging": {"child": "Mia Green",
                                                    "views": "I don't want to see him."}})
    assert "one new social worker for" not in one.markdown


def test_the_suggested_worker_is_named_with_their_title_as_the_follow_ups_do() -> None:
    from letters.case.validate import load_case

    from .conftest import CASES

    text = " ".join(make_letter(load_case(CASES / "recommended-wales-christmas.yaml"),
                                today=TODAY).markdown.split())
    assert "I would ask that Ms Bethan Rees be considered" in text
    assert "and for Ms Bethan Rees to be considered." in text
