"""`swletter new`: the guided interview, driven by answers piped in one per line.

Each test reads the way a parent would answer, in the order the questions come; the case file it
writes is then loaded with the same validation as `swletter render` uses.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import stat
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from cli import main
from letters.case.grounds import load_grounds
from letters.case.schema import CASE_FIELDS
from letters.case.validate import load_case, parse_case_text
from letters.case.writing import case_to_yaml
from letters.interview import (
    Accepted,
    Interview,
    Rejected,
    ToneConcern,
    ToneNote,
    load_answers,
    load_questions,
    tone_notes,
)

from .conftest import TODAY

# The part of the UK comes first, with no answer offered; then the questions about you.
ABOUT_YOU = ["england", "Jane Doe", "mother", "12 High Street, Hastings, TN34 1AA",
             "jane.doe@example.org", "07700 900123"]
CHILDREN = ["Sam Doe", "2 May 2017", "yes", "Lily Doe", "", "no"]
WORKER = ["John Smith", "Mr", "12/1/2026", "CP-2026-0413"]
MANAGER = ["Sarah Patel", "Ms", "Team Manager", "Children's Social Care",
           "East Sussex County Council", "County Hall, St Anne's Crescent, Lewes, BN7 1UE", ""]
# Grounds 1, 3, 4 and 5: communication, the child's views, a recommended worker, a complaint.
GROUNDS = ["1, 3, 4, 5"]
COMMUNICATION = ["Since April most of my emails about contact have gone unanswered.",
                 "I no longer feel able to share information openly."]
CHILD_VIEWS = ["1", "Sam has told his teacher that he would like someone new."]
RECOMMENDED = ["Amy Lee", "Ms", "the family support worker at Sam's school",
               "Ms Lee is known for clear, regular communication with families."]
COMPLAINT = ["1 October 2026", "COMP-998", "Missed visits."]
EVIDENCE = ["yes", "3 April 2026", "email", "My email asking about contact, with no reply.",
            "evidence/email.txt", "1", "yes",
            "10 November 2026", "statement", "Note from Sam's teacher about what Sam said.", "",
            "2", "no"]
STATEMENTS = ["yes", "Priya Shah", "Independent Advocate", "Children's Advocacy Service",
              "15 November 2026", "supports a change of social worker", "no"]
COPIES = ["yes", "David Brown", "Independent Reviewing Officer", "no"]
REPLY = ["10"]

FULL_RUN = (ABOUT_YOU + CHILDREN + WORKER + MANAGER + GROUNDS + COMMUNICATION + CHILD_VIEWS
            + RECOMMENDED + COMPLAINT + EVIDENCE + STATEMENTS + COPIES + REPLY)


def piped(*groups: list[str]) -> str:
    """Answers as they would be piped in: one per line, the groups in the order asked."""
    return "".join(line + "\n" for group in groups for line in group)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "evidence").mkdir()
    (tmp_path / "evidence" / "email.txt").write_text("My email of 3 April.", encoding="utf-8")
    return tmp_path


@pytest.fixture(autouse=True)
def _no_tone_checker(monkeypatch: pytest.MonkeyPatch) -> None:
    # The terminal uses whatever tone checker is installed; these tests pin "none" so that
    # they test the interview, and the tone tests below plug in their own.
    monkeypatch.setattr("letters.interview.default_tone_check", lambda: None)


def test_full_run_writes_a_valid_case_and_the_letter(runner: CliRunner, folder: Path) -> None:
    case_path = folder / "case.yaml"
    result = runner.invoke(main, ["new", "-o", str(case_path)],
                           input=piped(FULL_RUN, ["", "yes"]))
    assert result.exit_code == 0, result.output
    assert f"Saved your case in {case_path}." in result.output
    assert stat.S_IMODE(case_path.stat().st_mode) == 0o600
    case = load_case(case_path)
    assert case.sender.name == "Jane Doe"
    assert case.sender.address == ("12 High Street", "Hastings", "TN34 1AA")
    assert case.sender.phone == "07700 900123"
    assert [c.name for c in case.children] == ["Sam Doe", "Lily Doe"]
    assert case.children[0].date_of_birth == dt.date(2017, 5, 2)
    assert case.social_worker.allocated_since == dt.date(2026, 1, 12)
    assert (case.recipient.title, case.recipient.name) == ("Ms", "Sarah Patel")
    assert list(case.grounds) == ["communication_breakdown", "child_not_engaging",
                                  "recommended_worker", "complaint"]
    # Evidence ids are given for the parent, and cited where the parent said each one belongs.
    assert [(e.id, e.type, e.file) for e in case.evidence] == [
        ("E1", "email", "evidence/email.txt"), ("E2", "statement", None)]
    assert case.grounds["communication_breakdown"]["evidence"] == ("E1",)
    assert case.grounds["child_not_engaging"] == {
        "child": "Sam Doe", "views": "Sam has told his teacher that he would like someone new.",
        "evidence": ("E2",)}
    assert case.grounds["complaint"]["made_on"] == dt.date(2026, 10, 1)
    assert case.supporting_statements[0].author == "Priya Shah"
    assert case.copy_to[0].role == "Independent Reviewing Officer"
    # The summary is shown before the file is written, and the letter is offered and written.
    assert "Your answers" in result.output
    assert "Reason: A complaint has been made" in result.output
    letters = list(folder.glob("letter-sam-doe-*.docx"))
    assert len(letters) == 1
    assert f"Wrote {letters[0]}" in result.output


def test_the_case_file_has_comments_and_reads_back_the_same(runner: CliRunner,
                                                             folder: Path) -> None:
    case_path = folder / "case.yaml"
    runner.invoke(main, ["new", "-o", str(case_path)], input=piped(FULL_RUN, ["", "no"]))
    text = case_path.read_text(encoding="utf-8")
    assert "# You: the person writing and signing the letter.\nsender:\n" in text
    assert "  # A complaint has been made\n  complaint:\n" in text
    assert "incomplete" not in text
    assert "evidence: [E1]" in text


def test_bad_answers_are_explained_and_asked_again(runner: CliRunner, folder: Path) -> None:
    case_path = folder / "case.yaml"
    lines = piped([ABOUT_YOU[0], "", *ABOUT_YOU[1:]],         # an empty name first
                  ["Sam Doe", "31/02/2017", "2 May 2017", "maybe", "no"],
                  WORKER, MANAGER,
                  ["7", "1, 3, 4, 5"],
                  COMMUNICATION, CHILD_VIEWS[1:], RECOMMENDED,  # one child: not asked which
                  ["next week", *COMPLAINT],
                  ["yes", "3 April 2026", "emial", "email", "My email asking about contact.",
                   "evidence/missing.pdf", "evidence/email.txt", "1", "no"],
                  ["no", "no"], ["100", "10"], ["", "no"])
    result = runner.invoke(main, ["new", "-o", str(case_path)], input=lines)
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Sorry: An answer is needed here.\n  For example: Jane Doe" in out
    assert "Sorry: There is no 31 February; February has 28 days." in out
    assert "Sorry: Please answer yes or no." in out
    assert "Sorry: There is no 7 in the list; choose from 1 to 5." in out
    assert "Sorry: This is not a date I can read. Write the day, the month and the year" in out
    assert 'Sorry: "emial" is not one of email, letter' in out and 'Did you mean "email"?' in out
    assert 'Sorry: "evidence/missing.pdf" does not exist' in out
    assert "Sorry: 100 is out of range; use a number from 1 to 60." in out
    assert "Which child is this about?" not in out
    case = load_case(case_path)
    assert case.children[0].date_of_birth == dt.date(2017, 5, 2)
    assert case.grounds["recommended_worker"]["name"] == "Amy Lee"
    assert case.grounds["complaint"]["made_on"] == dt.date(2026, 10, 1)
    assert case.evidence[0].type == "email"
    assert case.response_within_working_days == 10


def test_a_child_who_is_not_in_the_case_is_refused(runner: CliRunner, folder: Path) -> None:
    case_path = folder / "case.yaml"
    lines = piped(ABOUT_YOU, CHILDREN, WORKER, MANAGER,
                  ["3", "Tom", "Sam doe", "", "no", "no", "no", "", ""])
    result = runner.invoke(main, ["new", "-o", str(case_path)], input=lines)
    assert result.exit_code == 0, result.output
    assert 'Sorry: "Tom" is not one of the children (Sam Doe, Lily Doe).' in result.output
    assert load_case(case_path).grounds["child_not_engaging"]["child"] == "Sam Doe"


def test_unknown_manager_gives_dear_sir_or_madam(runner: CliRunner, folder: Path) -> None:
    case_path = folder / "case.yaml"
    manager = ["I don't know", "", "", "Sefton Council", "Bootle Town Hall, Bootle, L20 7AE",
               ""]  # no title question: there is no name to put it with
    lines = piped(ABOUT_YOU, ["Mia Green", "", "no"], ["Karen White", "", "", ""], manager,
                  ["1", "We have not been able to agree how to keep in touch.", ""],
                  ["no", "no", "no", "", ""], ["no"])
    result = runner.invoke(main, ["new", "-o", str(case_path)], input=lines)
    assert result.exit_code == 0, result.output
    assert 'The letter will open "Dear Sir or Madam" and end "Yours faithfully".' in result.output
    assert "Do they use a title such as Ms" not in result.output
    case = load_case(case_path)
    assert case.recipient.name is None
    rendered = runner.invoke(main, ["render", str(case_path), "-o", "-", "--format", "md"])
    assert "Dear Sir or Madam" in rendered.output
    assert "Yours faithfully" in rendered.output


def test_stopped_run_is_saved_unfinished_and_resumed_with_from(runner: CliRunner,
                                                                folder: Path) -> None:
    case_path = folder / "case.yaml"
    first = ABOUT_YOU + CHILDREN + WORKER[:2]      # input ends in the middle of the worker
    stopped = runner.invoke(main, ["new", "-o", str(case_path)], input=piped(first))
    assert stopped.exit_code == 1
    assert (f"Stopped. Your answers so far are saved in {case_path} (marked unfinished)."
            in stopped.output)
    assert f"swletter new --from {case_path}" in stopped.output
    assert "incomplete: true" in case_path.read_text(encoding="utf-8")
    assert stat.S_IMODE(case_path.stat().st_mode) == 0o600

    # An unfinished case is not a letter yet, and says how to finish it.
    checked = runner.invoke(main, ["check", str(case_path)])
    assert checked.exit_code == 1
    assert (f'incomplete: this case is not finished: the questions were stopped before the end. '
            f'Run "swletter new --from {case_path}" to answer the rest') in checked.stderr

    # Resume: the summary of the answers so far comes first; Enter carries on where they stop.
    rest = WORKER[2:] + MANAGER + ["1", *COMMUNICATION, "no", "no", "no", "", "no"]
    resumed = runner.invoke(main, ["new", "--from", str(case_path)],
                            input=piped([""], rest, ["", "no"]))
    assert resumed.exit_code == 0, resumed.output
    before_questions = resumed.output.split("When did they become the social worker")[0]
    assert "1. Part of the UK: England" in before_questions
    assert "2. Name: Jane Doe" in before_questions
    assert "Child 1: Date of birth: 2 May 2017" in before_questions
    assert "What is your full name?" not in resumed.output  # nothing asked twice
    case = load_case(case_path)
    assert case.sender.phone == "07700 900123"
    assert [c.name for c in case.children] == ["Sam Doe", "Lily Doe"]
    assert case.social_worker.title == "Mr"
    assert "incomplete" not in case_path.read_text(encoding="utf-8")


def test_from_changes_one_answer_in_a_few_keystrokes(runner: CliRunner, folder: Path) -> None:
    case_path = folder / "case.yaml"
    runner.invoke(main, ["new", "-o", str(case_path)], input=piped(FULL_RUN, ["", "no"]))
    before = load_case(case_path)
    # The summary numbers every answer; "6" is the phone number. Type it, the new number, Enter.
    result = runner.invoke(main, ["new", "--from", str(case_path)],
                           input=piped(["6", "07700 900999", "", "no"]))
    assert result.exit_code == 0, result.output
    assert "6. Phone: 07700 900123" in result.output
    after = load_case(case_path)
    assert after.sender.phone == "07700 900999"
    assert after == dataclasses.replace(before, sender=dataclasses.replace(
        before.sender, phone="07700 900999"))


def test_from_keeps_fields_the_questions_do_not_ask(runner: CliRunner, folder: Path) -> None:
    case_path = folder / "case.yaml"
    case_path.write_text(
        "date: 2026-11-23\nsender: {name: Tom Green, address: [4 Mill Lane, Sefton]}\n"
        "recipient: {organisation: Sefton Council, address: [Bootle Town Hall]}\n"
        "social_worker: {name: Karen White}\nchildren: [{name: Mia Green}]\n"
        "grounds: {communication_breakdown: {summary: Most of my messages go unanswered.}}\n"
        "supporting_statements: [{author: Priya Shah, opinion: Mia needs a worker she trusts.,"
        " child_consent: yes}]\n", encoding="utf-8")
    rows = Interview(load_answers(case_path), today=TODAY).summary()
    role = next(r.number for r in rows if r.label == "Supporting statement 1: Role")
    answers = [str(role), "Independent Advocate", "", "no"]
    result = runner.invoke(main, ["new", "--from", str(case_path)], input=piped(answers))
    assert result.exit_code == 0, result.output
    case = load_case(case_path)
    assert case.supporting_statements[0].role == "Independent Advocate"
    assert case.date == dt.date(2026, 11, 23)
    assert case.supporting_statements[0].opinion == "Mia needs a worker she trusts."
    assert case.supporting_statements[0].child_consent == "yes"


def test_new_refuses_to_replace_an_existing_case(runner: CliRunner, folder: Path) -> None:
    case_path = folder / "case.yaml"
    case_path.write_text("sender: {name: Tom Green}\n", encoding="utf-8")
    result = runner.invoke(main, ["new", "-o", str(case_path)], input="Jane Doe\n")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        f"Error: {case_path} already exists. To change its answers, run: swletter new --from "
        f"{case_path}")
    assert case_path.read_text(encoding="utf-8") == "sender: {name: Tom Green}\n"


def test_stopping_before_any_answer_saves_nothing(runner: CliRunner, folder: Path) -> None:
    result = runner.invoke(main, ["new", "-o", str(folder / "case.yaml")], input="")
    assert result.exit_code == 1
    assert "Nothing was answered yet, so nothing was saved." in result.output
    assert not (folder / "case.yaml").exists()


# --------------------------------------------------------------------------------------------
# The tone checker's suggestions, offered on each free-text answer


def _fake_tone(text: str, path: str, kind: str, names: object,
               language: str = "en") -> tuple[tuple[ToneNote, ...], str | None]:
    if "USELESS" in text:
        return (ToneNote('"USELESS" is an insult.', "Say what you asked for and what happened."),
                ), text.replace("USELESS!!!", "not helpful.")
    return (), None


@pytest.mark.parametrize(("choice", "expected"), [
    ("a", "The visit was not helpful."),
    ("k", "The visit was USELESS!!!"),
    ("e\nThe visit on 12 March did not take place.", "The visit on 12 March did not take place."),
])
def test_tone_suggestion_accept_edit_or_keep(runner: CliRunner, folder: Path,
                                             monkeypatch: pytest.MonkeyPatch, choice: str,
                                             expected: str) -> None:
    monkeypatch.setattr("letters.interview.default_tone_check", lambda: _fake_tone)
    case_path = folder / "case.yaml"
    lines = piped(ABOUT_YOU, ["Mia Green", "", "no"], ["Karen White", "", "", ""],
                  ["", "", "", "Sefton Council", "Bootle Town Hall", ""],
                  ["1", "The visit was USELESS!!!", choice, ""], ["no", "no", "no", "", ""],
                  ["no"])
    result = runner.invoke(main, ["new", "-o", str(case_path)], input=lines)
    assert result.exit_code == 0, result.output
    assert '- "USELESS" is an insult.' in result.output
    assert 'Tidied wording: "The visit was not helpful."' in result.output
    summary = load_case(case_path).grounds["communication_breakdown"]["summary"]
    assert summary == expected


@dataclass(frozen=True)
class _Finding:
    """The fields of ``letters.advice.tone.Finding`` the interview reads."""

    category: str
    words: str
    message: str
    suggestion: str
    severity: str = "warning"


def test_tidied_wording_changes_only_what_keeps_the_meaning() -> None:
    text = "The visit was COMPLETELY missed!!! He is useless."
    notes, rewrite = tone_notes(text, [
        _Finding("shouting", "COMPLETELY", "in capitals", "Write it in ordinary letters."),
        _Finding("absolute", "COMPLETELY", "an absolute", "Leave the word out and let the facts "
                 "carry the weight."),
        _Finding("shouting", "!!!", "repeated punctuation", "Use one full stop."),
        _Finding("insult", "useless", "an insult", "Say what you asked for."),
        _Finding("child_views", "hate", "the child's own words", "", severity="note"),
    ])
    assert [n.message for n in notes] == ["in capitals", "an absolute", "repeated punctuation",
                                          "an insult"]
    # The insult is left for the person to reword, so no tidied wording is offered while it is
    # still there; the note about a child's words is not shown.
    assert rewrite is None
    notes, rewrite = tone_notes(text.replace(" He is useless.", ""), [
        _Finding("shouting", "COMPLETELY", "in capitals", "Write it in ordinary letters."),
        _Finding("absolute", "COMPLETELY", "an absolute", "Leave the word out and let the facts "
                 "carry the weight."),
        _Finding("shouting", "!!!", "repeated punctuation", "Use one full stop.")])
    assert rewrite == "The visit was missed."


def test_no_tidied_wording_when_nothing_can_be_tidied() -> None:
    notes, rewrite = tone_notes("He is a liar.", [_Finding("insult", "liar", "an insult", "")])
    assert len(notes) == 1
    assert rewrite is None


def test_the_engine_does_not_store_an_answer_with_a_tone_concern() -> None:
    interview = Interview(today=TODAY, tone_check=_fake_tone)
    for answer in [*ABOUT_YOU, "Mia Green", "", "no", "Karen White", "", "", "", "", "", "",
                   "Sefton Council", "Bootle Town Hall", "", "1"]:
        assert isinstance(interview.submit(answer), Accepted), interview.next_question()
    question = interview.next_question()
    assert question is not None and question.field_path == "grounds.communication_breakdown.summary"
    concern = interview.submit("It was USELESS!!!")
    assert isinstance(concern, ToneConcern)
    assert interview.next_question() == question           # still waiting for this answer
    assert "summary" not in interview.data["grounds"]["communication_breakdown"]
    assert isinstance(interview.submit(concern.text, check_tone=False), Accepted)
    assert interview.data["grounds"]["communication_breakdown"]["summary"] == "It was USELESS!!!"


# --------------------------------------------------------------------------------------------
# The engine on its own: what a web form would use


def test_questions_carry_their_field_help_and_example() -> None:
    interview = Interview(today=TODAY)
    assert isinstance(interview.submit("Wales"), Accepted)  # the part of the UK comes first
    first = interview.next_question()
    assert first is not None
    assert (first.field_path, first.text, first.example, first.required) == (
        "sender.name", "What is your full name?", "Jane Doe", True)
    rejected = interview.submit("   ")
    assert isinstance(rejected, Rejected)
    assert rejected.problem.path == "sender.name"
    assert rejected.problem.example == "Jane Doe"


def test_incidents_repeat_and_evidence_can_support_each_one() -> None:
    interview = Interview(today=TODAY, base_dir=".")
    answers = {
        "jurisdiction": "england", "sender.name": "Jane Doe",
        "sender.address": "1 High St, Hastings",
        "children.name": "Sam Doe", "social_worker.name": "John Smith",
        "recipient.organisation": "East Sussex County Council",
        "recipient.address": "County Hall, Lewes", "grounds": "2",
    }
    incidents = iter([("12 March 2026", "The visit did not take place.", "yes"),
                      ("20 May 2026", "The record of 5 May is not accurate.", "no")])
    evidence = iter([("12 March 2026", "text message", "My text on the day.", "1", "yes"),
                     ("5 May 2026", "letter", "Hospital letter for 5 May.", "2", "no")])
    current: tuple[str, ...] = ()
    while (q := interview.next_question()) is not None:
        if q.id in answers:
            answer = answers[q.id]
        elif q.id == "grounds.unprofessional_conduct.incidents.date":
            current = next(incidents)
            answer = current[0]
        elif q.id == "grounds.unprofessional_conduct.incidents.what":
            answer = current[1]
        elif q.id == "grounds.unprofessional_conduct.incidents.more":
            answer = current[2]
        elif q.id == "evidence.any":
            answer = "yes"
        elif q.id == "evidence.date":
            current = next(evidence)
            answer = current[0]
        elif q.id == "evidence.type":
            answer = current[1]
        elif q.id == "evidence.description":
            answer = current[2]
        elif q.id == "evidence.supports":
            assert [c.label for c in q.choices] == [
                "Incident on 12 March 2026: The visit did not take place.",
                "Incident on 20 May 2026: The record of 5 May is not accurate."]
            answer = current[3]
        elif q.id == "evidence.more":
            answer = current[4]
        elif q.kind in ("yesno", "flag"):
            answer = "no"
        else:
            answer = ""
        assert isinstance(interview.submit(answer), Accepted), (q.id, answer)
    incidents_data = interview.data["grounds"]["unprofessional_conduct"]["incidents"]
    assert [i["evidence"] for i in incidents_data] == [["E1"], ["E2"]]


def test_dropping_evidence_on_resume_removes_its_citations() -> None:
    data = parse_case_text(
        "sender: {name: Jane Doe, address: [1 High St]}\n"
        "recipient: {organisation: ESCC, address: [County Hall]}\n"
        "social_worker: {name: John Smith}\nchildren: [{name: Sam Doe}]\n"
        "grounds: {communication_breakdown: {summary: No replies., evidence: [E1, E2]}}\n"
        "evidence:\n  - {id: E1, date: 2026-04-03, type: email, description: Email.}\n"
        "  - {id: E2, date: 2026-04-04, type: email, description: Another.}\n", "case.yaml")
    interview = Interview(data, today=TODAY)
    assert interview.next_question() is None  # a whole case opens on the summary
    interview.go_to("evidence[1].more")
    assert isinstance(interview.submit("no"), Accepted)
    assert interview.next_question() is None  # nothing new to ask: back to the summary
    assert interview.data["grounds"]["communication_breakdown"]["evidence"] == ["E1"]
    assert [e["id"] for e in interview.data["evidence"]] == ["E1"]


def test_the_questions_cover_every_required_field_and_name_real_ones() -> None:
    questions = load_questions()
    asked = {(s.group + "." if s.group else "") + q.field
             for s in questions.sections for q in s.questions}
    for spec in CASE_FIELDS:
        for sub in spec.fields:
            if sub.required and spec.kind == "record":
                assert f"{spec.name}.{sub.name}" in asked
            if sub.required and spec.kind == "records" and spec.name != "evidence":
                assert f"{spec.name}.{sub.name}" in asked
    assert {"evidence.date", "evidence.type", "evidence.description"} <= asked  # id is given
    grounds = {g.id: g for g in load_grounds()}
    for ground_id, wording in questions.ground_wording.items():
        assert ground_id in grounds
        assert set(wording) <= {f.name for f in grounds[ground_id].fields}


@given(st.lists(st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1),
                min_size=1, max_size=4))
def test_yaml_writer_round_trips_any_text(lines: list[str]) -> None:
    data = {"sender": {"name": "Jane Doe", "address": lines},
            "grounds": {"communication_breakdown": {"summary": " ".join(lines)}}}
    read = parse_case_text(case_to_yaml(data, today=TODAY), "case.yaml")
    assert read["sender"]["address"] == lines
    assert read["grounds"]["communication_breakdown"]["summary"] == " ".join(lines)


def test_new_refuses_a_folder_that_does_not_exist(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["new", "-o", str(tmp_path / "nope" / "case.yaml")],
                           input="Jane Doe\n")
    assert result.exit_code == 2
    assert f"the folder {tmp_path / 'nope'} does not exist." in result.stderr
    assert "What is your full name?" not in result.output


def test_yaml_writer_keeps_awkward_text_exactly() -> None:
    awkward = ['yes', 'no', '2026-04-03', '- a dash', '# not a comment', 'key: value',
               "it's \"quoted\"", '[E1]', 'x' * 200 + ' with: colon # and hash', '07700 900123',
               'Ünïcödé – dash', '@at', '*star', '!bang', '%percent', '{brace}']
    data = {"sender": {"name": "Jane Doe", "address": awkward}}
    text = case_to_yaml(data, today=TODAY)
    assert yaml.safe_load(text)["sender"]["address"] == awkward
    assert parse_case_text(text, "case.yaml")["sender"]["address"] == awkward


def test_a_file_name_too_long_for_the_disk_is_explained(runner: CliRunner, folder: Path) -> None:
    case_path = folder / "case.yaml"
    lines = piped(ABOUT_YOU, ["Mia Green", "", "no"], ["Karen White", "", "", ""],
                  ["", "", "", "Sefton Council", "Bootle Town Hall", ""],
                  ["1", "Most of my messages go unanswered.", ""],
                  ["yes", "3 April 2026", "email", "My email.", "x" * 300, "", "yes", "no"],
                  ["no", "no", "", ""], ["no"])
    result = runner.invoke(main, ["new", "-o", str(case_path)], input=lines)
    assert result.exit_code == 0, result.output
    message = " ".join(result.output.split())  # as one line, however the terminal wrapped it
    assert (f'Sorry: "{"x" * 60}…" cannot be used as a file name (File name too long).'
            in message)
    assert load_case(case_path).evidence[0].file is None


# --------------------------------------------------------------------------------------------
# The state as data: what lets a web page or another process carry on


def _drive(answers: list[str]) -> list[tuple[str, str]]:
    """Answer ``answers`` in order through the engine; (JSON state, key asked) before each."""
    interview = Interview(today=TODAY, base_dir=".")
    seen = []
    for answer in answers:
        q = interview.next_question()
        assert q is not None
        seen.append((json.dumps(interview.state()), q.key))
        assert isinstance(interview.submit(answer), Accepted), (q.key, answer)
    assert interview.next_question() is None
    return seen


def test_state_saved_after_any_question_carries_on_at_the_same_place(folder: Path) -> None:
    run = [a if a != "evidence/email.txt" else "" for a in FULL_RUN]
    seen = _drive(run)
    assert len(seen) == len(run)
    for i, (state, key) in enumerate(seen):
        again = Interview.from_state(json.loads(state), today=TODAY)
        assert again.next_question().key == key  # type: ignore[union-attr]
        if i % 5:
            continue  # answering the rest from every fifth place is enough
        for answer in run[i:]:
            assert isinstance(again.submit(answer), Accepted)
        assert again.next_question() is None
    # ... and in a new process, from the JSON alone.
    sample = [state for state, _ in seen[::7]]
    script = ("import json, sys, datetime as dt\n"
              "from letters.interview import Interview\n"
              "for line in sys.stdin:\n"
              "    iv = Interview.from_state(json.loads(line), today=dt.date(2026, 11, 23))\n"
              "    print(iv.next_question().key)\n")
    out = subprocess.run([sys.executable, "-c", script], input="\n".join(sample), text=True,
                         capture_output=True, check=True).stdout.split()
    assert out == [key for _, key in seen[::7]]


def test_back_go_to_and_resume() -> None:
    interview = Interview(today=TODAY)
    for answer in ABOUT_YOU[:4]:
        interview.submit(answer)
    assert interview.next_question().key == "sender.email"  # type: ignore[union-attr]
    assert interview.back().key == "sender.address"  # type: ignore[union-attr]
    assert isinstance(interview.submit("1 New Street, Hastings"), Accepted)
    # Answered questions are not asked again: on to the first one not yet answered.
    assert interview.next_question().key == "sender.email"  # type: ignore[union-attr]
    interview.go_to("sender.name")
    assert interview.next_question().default == "Jane Doe"  # type: ignore[union-attr]
    interview.submit("")
    assert interview.next_question().key == "sender.email"  # type: ignore[union-attr]
    assert interview.first_unanswered() == "sender.email"
    with pytest.raises(KeyError):
        interview.go_to("no.such.question")


def test_a_damaged_state_is_refused_in_swletters_words() -> None:
    from letters.interview import StateError

    good = Interview(today=TODAY).state()
    for bad in ({}, {**good, "version": 99}, {**good, "answers": []}, {**good, "done": "x"}):
        with pytest.raises(StateError, match="damaged or from a newer swletter"):
            Interview.from_state(bad)


def test_a_case_file_of_the_wrong_shape_is_refused_in_swletters_words(
        runner: CliRunner, tmp_path: Path) -> None:
    # A list where a set of fields belongs once crashed the questions ("unexpected problem").
    case = tmp_path / "case.yaml"
    case.write_text("sender: [Jane Doe]\ngrounds: 3\n", encoding="utf-8")
    result = runner.invoke(main, ["new", "--from", str(case)], input="\n")
    assert result.exit_code == 1
    assert "  - line 1, sender: expected a set of fields" in result.output
    assert "  - line 2, grounds: expected a set of grounds, not text." in result.output
    assert "unexpected problem" not in result.output


def test_a_saved_state_of_the_wrong_shape_is_refused() -> None:
    from letters.interview import StateError, state_from_text

    good = Interview(today=TODAY).state()
    for answers in ({"sender": []}, {"children": "Sam"}, {"grounds": {"complaint": [1]}}):
        with pytest.raises(StateError):
            Interview.from_state({**good, "answers": answers})
    for text in ("[" * 5000, "{" + '"a": 1,' * 30_000 + '"b": 2}', "null"):
        with pytest.raises(StateError):
            state_from_text(text)


def test_without_a_folder_no_evidence_file_is_asked_for_or_looked_at(
        monkeypatch: pytest.MonkeyPatch) -> None:
    def no_disk(*args: object) -> str:
        raise AssertionError("looked at the disk")

    monkeypatch.setattr("letters.interview.engine.evidence_file_problem", no_disk)
    monkeypatch.setattr("letters.interview.plan.evidence_file_problem", no_disk)
    interview = Interview({"evidence": [{"date": "2026-04-03", "type": "email",
                                         "description": "x", "file": "/etc/shadow"}]},
                          base_dir=None, today=TODAY)
    keys = [s.key for s in interview.plan()]
    assert "evidence[1].description" in keys and "evidence[1].file" not in keys
    assert interview.data["evidence"][0]["file"] == "/etc/shadow"  # kept as it was


def test_an_address_over_several_lines_keeps_its_commas_and_blank_means_none() -> None:
    interview = Interview(today=TODAY)
    interview.submit("england")
    interview.submit("Jane Doe")
    interview.submit("")
    assert isinstance(interview.submit("Flat 2, 12 High Street\nHastings\n\nTN34 1AA"), Accepted)
    assert interview.data["sender"]["address"] == ["Flat 2, 12 High Street", "Hastings",
                                                   "TN34 1AA"]
    interview.go_to("sender.name")
    assert isinstance(interview.submit("", blank_keeps=False), Rejected)
    assert isinstance(interview.submit(""), Accepted)  # the terminal's Enter keeps it
    assert interview.data["sender"]["name"] == "Jane Doe"
