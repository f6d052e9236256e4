"""The complaint follow-up (issue 16, item 10): a formal complaint that stands on its own, as
published complaint guidance describes (Coram Voice, Citizens Advice, the SPSO): to the
complaints team with a copy to the manager; each matter as facts; the outcome wanted; the
acknowledgement where the procedure sets one; the next stages and the ombudsman; the earlier
complaint stated as a fact; and no claim that no reply came unless the register records none.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from letters.case.model import Case
from letters.case.validate import load_case
from letters.compose.followup import FirstLetter, complaint_routes, make_followup
from letters.dates import add_working_days

from .conftest import CASES

FIRST = dt.date(2026, 11, 23)
LATER = dt.date(2026, 12, 10)


def _plain(markdown: str) -> str:
    return re.sub(r"\\(.)", r"\1", " ".join(markdown.split()))


def full_case(shared_examples: Path, tmp_path: Path, nation: str = "england") -> Case:
    text = (shared_examples / "case-full.yaml").read_text(encoding="utf-8")
    path = tmp_path / "case.yaml"
    path.write_text(text.replace("jurisdiction: england", f"jurisdiction: {nation}")
                    .replace("    file: evidence/2026-04-03-email.txt", ""), encoding="utf-8")
    return load_case(path)


def unanswered(nation: str = "england") -> FirstLetter:
    """A first letter the register follows, with no reply recorded."""
    return FirstLetter(FIRST, add_working_days(FIRST, 10, nation), register_id=1,
                       chased_on=dt.date(2026, 12, 8))


def complaint(case: Case, first: FirstLetter, today: dt.date = LATER) -> str:
    return _plain(make_followup(case, "complaint", first, today=today).markdown)


def test_a_formal_complaint_to_the_complaints_team_with_a_copy_to_the_manager(
        shared_examples: Path, tmp_path: Path) -> None:
    rendered = make_followup(full_case(shared_examples, tmp_path), "complaint", unanswered(),
                             today=LATER)
    text = _plain(rendered.markdown)
    assert rendered.title.startswith("Formal complaint: my request for a change of social worker")
    assert "The Complaints Team East Sussex County Council County Hall" in text
    assert "Dear Sir or Madam" in text and "Yours faithfully" in text
    assert "Dear Ms Patel" not in text
    assert text.endswith("cc Ms Sarah Patel, Team Manager cc David Brown, Independent Reviewing "
                         "Officer")
    assert "I am writing to make a formal complaint under" in text


def test_each_matter_is_stated_as_the_facts_of_the_case(shared_examples: Path,
                                                        tmp_path: Path) -> None:
    text = complaint(full_case(shared_examples, tmp_path), unanswered())
    # What happened: when, to whom, about whom.
    assert ("On 23 November 2026 I wrote to Ms Sarah Patel, Team Manager, to ask for a change of "
            "social worker for Sam and Lily, whose social worker is Mr John Smith.") in text
    # Each matter from the case's own words, not a heading for it.
    assert "**Communication with Mr Smith.** Since April my emails and calls" in text
    assert ("- 20 May 2026: The assessment records that I refused a visit on 5 May; I was at the "
            "hospital with Lily that day.") in text
    assert ("I no longer feel able to share information openly, which makes it harder to work "
            "with the plan for Sam and Lily.") in text
    assert "**Sam's views.** Sam has told me and his teacher" in text
    assert "the events I described" not in text
    # The outcome wanted.
    assert ("- a new social worker for Sam and Lily, with Amy Lee considered, as recommended by "
            "the family support worker at Sam's school") in text
    assert "- an explanation of how my request has been handled" in text
    assert "an apology" in text


def test_the_earlier_complaints_events_are_background_not_investigated_again(
        shared_examples: Path, tmp_path: Path) -> None:
    """The events before the earlier complaint are its subject: the new complaint lists them as
    background under the request letter's heading, and says so instead of calling itself
    separate while repeating them."""
    text = complaint(full_case(shared_examples, tmp_path), unanswered())
    assert "**Events that have affected the working relationship.** In date order:" in text
    assert "involving Mr Smith" not in text
    assert ("The events of 12 March 2026 and 20 May 2026 are the subject of my complaint of "
            "1 October 2026 (reference COMP-998), which was still being considered when I wrote "
            "on 23 November 2026; I do not ask for them to be investigated again here.") in text
    assert "This complaint is separate" not in text


def test_an_earlier_complaint_before_every_event_is_a_separate_fact(shared_examples: Path,
                                                                    tmp_path: Path) -> None:
    full_case(shared_examples, tmp_path)  # writes tmp_path / "case.yaml"
    path = tmp_path / "case.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("made_on: 2026-10-01",
                                                             "made_on: 2026-02-01"),
                    encoding="utf-8")
    text = complaint(load_case(path), unanswered())
    assert "the subject of my complaint" not in text
    assert ("This complaint is separate from the complaint I made on 1 February 2026 (reference "
            "COMP-998) about missed visits and the inaccurate record of 5 May.") in text


def test_no_reply_is_claimed_only_where_the_register_records_none(shared_examples: Path,
                                                                  tmp_path: Path) -> None:
    case = full_case(shared_examples, tmp_path)
    recorded = complaint(case, unanswered())
    assert "I have not received a reply." in recorded
    assert ("**My letter has not been answered.** Until my request is decided, the concerns I "
            "raised about Sam and Lily's support remain unresolved.") in recorded
    # Without a register nothing is known of a reply: the letter does not say none came.
    unknown = complaint(case, FirstLetter(FIRST, add_working_days(FIRST, 10, "england")))
    assert "not received" not in unknown and "not been answered" not in unknown
    refused = complaint(case, FirstLetter(FIRST, register_id=1, reply_date=dt.date(2026, 12, 3),
                                          outcome="refused", reasons="not-given"))
    assert "On 3 December 2026 the request was refused, and no reasons were given." in refused
    assert "**The decision was given without reasons.**" in refused
    assert "- the reasons for the decision, in writing" in refused
    assert "not received" not in refused


def test_a_complaint_before_the_reply_is_due_is_written_with_a_warning(shared_examples: Path,
                                                                      tmp_path: Path) -> None:
    case = full_case(shared_examples, tmp_path)
    early = make_followup(case, "complaint", unanswered(), today=dt.date(2026, 12, 1))
    assert [w.message for w in early.warnings] == [
        "the reply to your letter of 23 November 2026 is not due until 7 December 2026, but this "
        "complaint says that you have not received it; a complaint about a missing reply usually "
        "waits until then."]
    # After the reply-by dates, or when it does not say so, there is nothing to warn about.
    assert make_followup(case, "complaint", unanswered(), today=dt.date(2026, 12, 23)
                         ).warnings == ()
    assert make_followup(case, "complaint", FirstLetter(FIRST, dt.date(2026, 12, 7)),
                         today=dt.date(2026, 12, 1)).warnings == ()


def test_a_complaint_before_the_reminders_reply_is_due_is_written_with_a_warning(
        shared_examples: Path, tmp_path: Path) -> None:
    """The reminder of 8 December asked for a reply by 22 December (10 working days): a
    complaint saying no reply came, written before then, is early too."""
    case = full_case(shared_examples, tmp_path)
    early = make_followup(case, "complaint", unanswered(), today=LATER)
    assert [w.message for w in early.warnings] == [
        "the reminder you sent on 8 December 2026 asked for a reply by 22 December 2026, but "
        "this complaint says that you have not received one; a complaint about a missing reply "
        "usually waits until then."]
    on_the_day = make_followup(case, "complaint", unanswered(), today=dt.date(2026, 12, 22))
    assert len(on_the_day.warnings) == 1
    assert make_followup(case, "complaint", unanswered(), today=dt.date(2026, 12, 23)
                         ).warnings == ()


@pytest.mark.parametrize("nation", ["england", "wales", "scotland", "northern-ireland"])
def test_the_next_stages_and_the_ombudsman_of_the_nation(shared_examples: Path, tmp_path: Path,
                                                         nation: str) -> None:
    text = complaint(full_case(shared_examples, tmp_path, nation), unanswered(nation))
    route = complaint_routes()[nation]
    assert route.next_stages in text
    assert text.count("Ombudsman") == 1
    # An acknowledgement is asked for only where the procedure sets one for stage 1 (Wales).
    asked = "Please could you acknowledge this complaint within 2 working days"
    assert (asked in text) == (nation == "wales")
    # England alone notes that child-protection matters may take another route, and asks which.
    assert ("child protection enquiries (under section 47 of the Children Act 1989)" in text) == (
        nation == "england")
    if nation == "england":
        assert "falls under a different procedure, please tell me which one." in text


def test_a_complaint_about_one_event_and_without_the_other_grounds(tmp_path: Path) -> None:
    text = (CASES / "conduct-named-no-title.yaml").read_text(encoding="utf-8")
    path = tmp_path / "case.yaml"
    path.write_text(text, encoding="utf-8")
    case = load_case(path)
    letter = complaint(case, FirstLetter(FIRST, dt.date(2026, 12, 7)))
    assert "**Events that have affected the working relationship.** In date order:" in letter
    assert "I wrote to Alex Morgan, Service Manager, to ask" in letter
    assert "This complaint is separate" not in letter
    assert "cc Alex Morgan, Service Manager" in letter


def test_a_decision_with_reasons_is_asked_to_be_reconsidered(tmp_path: Path) -> None:
    path = tmp_path / "case.yaml"
    path.write_text((CASES / "child-views-three-children.yaml").read_text(encoding="utf-8"),
                    encoding="utf-8")
    partly = FirstLetter(FIRST, dt.date(2026, 12, 7), register_id=3,
                         reply_date=dt.date(2026, 12, 4), outcome="partial", reasons="given")
    text = complaint(load_case(path), partly)
    assert "On 4 December 2026 the request was agreed only in part." in text
    assert ("**The decision of 4 December 2026.** I ask that it be reconsidered, for the reasons "
            "I gave, which are set out below.") in text
    # The manager, known only by role, is copied in by role and team.
    assert "I wrote to the Team Manager of Children and Families, North Team, to ask" in text
    assert "cc Team Manager, Children and Families, North Team cc Helen Price" in text


@pytest.mark.parametrize("name", ["complaint-scotland-christmas", "recommended-wales-christmas"])
def test_a_complaint_always_says_what_it_is_about(tmp_path: Path, name: str) -> None:
    # Read as a complaints team would: a request that raised only an earlier complaint or a
    # suggested worker gave a complaint whose "What I am complaining about" held no matter.
    path = tmp_path / "case.yaml"
    path.write_text((CASES / f"{name}.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    case = load_case(path)
    first = FirstLetter(case.date, add_working_days(case.date, 10, case.jurisdiction))
    text = complaint(case, first, today=dt.date(2027, 1, 20))
    section = text.split("## What I am complaining about", 1)[1].split("## What I would like")[0]
    assert section.strip().startswith("**How my request has been handled.** I am not "
                                      "satisfied with how my request for a change of social "
                                      "worker for ")
    assert "sets out my reasons for the request with their evidence" in section
    assert "these matters" not in section


def test_one_matter_is_this_matter(tmp_path: Path) -> None:
    path = tmp_path / "case.yaml"
    path.write_text((CASES / "child-views-three-children.yaml").read_text(encoding="utf-8"),
                    encoding="utf-8")
    text = complaint(load_case(path), FirstLetter(FIRST, dt.date(2026, 12, 7)))
    assert "My letter of 23 November 2026 sets out this matter with its evidence" in text


def test_northern_irelands_complaint_names_the_trust_not_a_council(shared_examples: Path,
                                                                    tmp_path: Path) -> None:
    """In Northern Ireland children's social care is a Health and Social Care Trust's, so the
    complaint never calls the body that decides "the council"."""
    text = complaint(full_case(shared_examples, tmp_path, "northern-ireland"),
                     unanswered("northern-ireland"))
    assert "council" not in text.replace("County Council", "")
    assert "- if the Trust finds that something went wrong, an apology" in text
    assert "and that the decision is the Trust's." in text
    english = complaint(full_case(shared_examples, tmp_path), unanswered())
    assert "and that the decision is the council's." in english
