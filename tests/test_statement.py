"""`swletter statement`: a draft supporting statement an advocate can finish and sign."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from cli import main
from letters.case.validate import load_case
from letters.compose.statement import draft_statement, statement_todo

from .conftest import CASES, MINIMAL, write_case

PROMPT_MARK = "**\\["  # a prompt: bold, in square brackets (escaped in the Markdown)


def test_full_statement_has_every_part_and_no_prompts() -> None:
    draft = draft_statement(load_case(CASES / "statement-full.yaml"))
    text = draft.markdown
    assert draft.document.missing == ()
    assert PROMPT_MARK not in text
    assert "From: Nadia Karim  \nIndependent Advocate  \nLeeds Advocacy for Children" in text
    # In the advocate's own voice: the family's request is context, not what it argues for.
    # It opens with the child: who the author is to Tobi, what Tobi wants, then the letter.
    assert ("From: Nadia Karim  \nIndependent Advocate  \nLeeds Advocacy for Children\n\n"
            "I am Tobi's independent advocate. I am independent of children's services. Tobi "
            "would like a new social worker, and has asked me to tell you so. Grace Bello, Tobi's "
            "mother, has written to ask for a change of social worker in place of Ms Helen Price, "
            "and encloses this statement with that letter. In this statement I set out what Tobi "
            "has told me, and my own view.") in text
    assert "in support of the request" not in text
    assert "best interests" not in text
    assert "## How I know Tobi\n\nI have been Tobi's independent advocate since February" in text
    # The child's words, which the author put in straight quotation marks, in the statement's own.
    assert "“I don't want to talk to her any more. She writes down things I didn't say.”" in text
    assert "Tobi needs a worker he trusts enough to say how he feels." in text
    assert "Tobi agreed to this statement being shared with children's services." in text
    assert "Signed:\n\n<!-- signature -->\n\nNadia Karim" in text
    assert text.rstrip().endswith("Date: 18 November 2026")


@pytest.mark.parametrize(("consent", "sentence"), [
    ("yes", "Tobi agreed to this statement being shared with children's services."),
    ("no", "Tobi did not agree to this statement being shared. It is not to be sent to "
           "children's services, and the family's letter does not enclose it."),
    ("not asked", "Tobi has not been asked whether this statement may be shared. It is not to be "
                  "sent to children's services until Tobi agrees, and the family's letter does not "
                  "enclose it."),
])
def test_consent_is_stated_plainly(tmp_path: Path, consent: str, sentence: str) -> None:
    text = (CASES / "statement-full.yaml").read_text(encoding="utf-8")
    case = write_case(tmp_path, text.replace("child_consent: yes", f"child_consent: {consent}"))
    assert sentence in draft_statement(load_case(case)).markdown


def test_bad_consent_is_a_case_error_with_the_choices(runner: CliRunner, tmp_path: Path) -> None:
    text = (CASES / "statement-full.yaml").read_text(encoding="utf-8")
    case = write_case(tmp_path, text.replace("child_consent: yes", "child_consent: maybe"))
    result = runner.invoke(main, ["statement", str(case)])
    assert result.exit_code == 1
    assert ('supporting_statements[1].child_consent: "maybe" is not one of yes, no, not asked. '
            "For example: child_consent: yes") in result.stderr


def test_missing_parts_become_marked_prompts() -> None:
    draft = draft_statement(load_case(CASES / "statement-bare.yaml"))
    text = draft.markdown
    assert "From: Chloe Adams  \n\\[Your role, such as Independent Advocate\\]  \n" in text
    assert ("**\\[Describe how you know Ada and Jan: in what role, for how long, and how often "
            "you meet\\]**") in text
    assert ("**\\[Say what Ada and Jan have told you about the social worker, in their own words "
            "where you can\\]**") in text
    assert ("**\\[Say why, in your view, a change of social worker would help Ada and "
            "Jan\\]**") in text
    assert ("**\\[Say whether Ada and Jan agreed to this statement being shared: yes, no, or not "
            "asked\\]**") in text
    assert "Date: **\\[Date\\]**" in text
    assert [m.field for m in draft.document.missing] == [
        "role", "organisation", "relationship", "child_views", "opinion", "child_consent", "date"]


def test_child_views_fall_back_to_the_letter_and_ask_to_be_checked(full_case: Path) -> None:
    draft = draft_statement(load_case(full_case))
    text = draft.markdown
    # The family's words are attributed to them: their "me" never reads as the advocate.
    assert ("In the family's letter, Jane Doe, Sam's mother, writes: “Sam has told me and his "
            "teacher that he does not feel able to talk to Mr Smith and that he would like someone "
            "new.”") in text
    assert ("**\\[These are the family's words. Say what Sam has told you yourself, in Sam's own "
            "words where you can, and keep the family's words only if Sam has told you the "
            "same\\]**") in text
    # Dated 15 November, it quotes a letter of 23 November: time runs backwards.
    assert [(w.path, w.message) for w in draft.warnings] == [(
        "supporting_statements[1].date",
        "the statement quotes the family's letter of 23 November 2026, but it is dated 15 "
        "November 2026, before the letter. Date it on or after the letter, or give the child's "
        "views as the author heard them (child_views).")]


def test_user_text_is_escaped_not_obeyed(tmp_path: Path) -> None:
    text = (CASES / "statement-full.yaml").read_text(encoding="utf-8").replace(
        "every two weeks.", "every {{ 7 * 7 }} weeks <b>*bold*</b>.")
    draft = draft_statement(load_case(write_case(tmp_path, text)))
    assert "every {{ 7 \\* 7 }} weeks &lt;b>\\*bold\\*&lt;/b>." in draft.markdown


def test_statement_docx_is_written_next_to_the_case(runner: CliRunner, tmp_path: Path) -> None:
    case = write_case(tmp_path, (CASES / "statement-full.yaml").read_text(encoding="utf-8"))
    result = runner.invoke(main, ["statement", str(case)])
    assert result.exit_code == 0, result.output
    out = tmp_path / "statement-nadia-karim.docx"
    assert result.output == (f"Wrote {out}: a draft statement for Nadia Karim to complete and "
                             "sign.\n")
    paragraphs = [p.text for p in docx.Document(str(out)).paragraphs]
    assert "Supporting statement" in paragraphs
    assert "Tobi agreed to this statement being shared with children's services." in paragraphs
    again = runner.invoke(main, ["statement", str(case)])
    assert again.exit_code == 1
    assert "already exists. Use --force to replace it" in again.stderr


def test_statement_lists_what_is_left(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "s.md"
    result = runner.invoke(main, ["statement", str(CASES / "statement-bare.yaml"), "-o", str(out)])
    assert result.exit_code == 0
    assert result.output.splitlines()[1] == (
        "Still to complete (marked in [square brackets]): your role; your organisation; how the "
        "author knows Ada and Jan; what Ada and Jan have said, in their own words; why a change "
        "would help Ada and Jan; whether Ada and Jan agreed to the statement being shared; the "
        "date.")
    assert out.read_text(encoding="utf-8").startswith("# Supporting statement\n")


def test_by_picks_an_author_and_suggests_a_near_name(runner: CliRunner, tmp_path: Path) -> None:
    case = write_case(tmp_path, MINIMAL + (
        "supporting_statements:\n  - author: Priya Shah\n  - author: Ben Carter\n"
        "    role: Class Teacher\n"))
    picked = runner.invoke(main, ["statement", str(case), "--by", "ben carter", "-o", "-",
                                  "--format", "md"])
    assert picked.exit_code == 0
    assert "From: Ben Carter  \nClass Teacher" in picked.output
    by_surname = runner.invoke(main, ["statement", str(case), "--by", "Shah", "-o", "-",
                                      "--format", "md"])
    assert "From: Priya Shah" in by_surname.output
    wrong = runner.invoke(main, ["statement", str(case), "--by", "Ben Cartr"])
    assert wrong.exit_code == 2
    assert wrong.stderr.splitlines()[-1] == (
        f'Error: Invalid value for --by: no supporting statement in {case} is by "Ben Cartr". '
        'Did you mean "Ben Carter"? The authors are: Priya Shah, Ben Carter.')


def test_a_case_without_statements_says_how_to_add_one(runner: CliRunner, tmp_path: Path) -> None:
    case = write_case(tmp_path, MINIMAL)
    result = runner.invoke(main, ["statement", str(case)])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[1] == (
        "  - supporting_statements: there is no supporting statement to draft: add the person "
        "who will write it under supporting_statements. For example: supporting_statements: "
        "[{author: Priya Shah, role: Independent Advocate}]")


def test_check_lists_what_the_statement_still_needs(runner: CliRunner) -> None:
    result = runner.invoke(main, ["check", str(CASES / "statement-bare.yaml")])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    start = lines.index("Still to complete in the supporting statement by Chloe Adams:")
    assert lines[start + 1:start + 5] == [
        "  - how the author knows Ada and Jan (relationship)",
        "  - what Ada and Jan have said, in their own words (child_views)",
        "  - why a change would help Ada and Jan (opinion)",
        "  - whether Ada and Jan agreed to the statement being shared (child_consent)",
    ]


def test_check_says_nothing_when_the_statement_is_complete(runner: CliRunner) -> None:
    assert statement_todo(load_case(CASES / "statement-full.yaml")) == []
    result = runner.invoke(main, ["check", str(CASES / "statement-full.yaml")])
    assert "Still to complete" not in result.output


def test_statement_fields_leave_the_letter_unchanged(runner: CliRunner) -> None:
    result = runner.invoke(main, ["render", str(CASES / "statement-full.yaml"), "-o", "-",
                                  "--format", "md"])
    assert result.exit_code == 0
    assert ("1. 18 November 2026 — Supporting statement from Nadia Karim, Independent Advocate, "
            "Leeds Advocacy for Children: sets out Tobi's wish for a new social worker"
            ) in result.output
    assert "She writes down things" not in result.output


def test_the_authors_contact_is_under_the_signature(tmp_path: Path) -> None:
    text = (CASES / "statement-full.yaml").read_text(encoding="utf-8")
    case = write_case(tmp_path, text.replace(
        "    child_consent: yes",
        '    child_consent: yes\n    phone: "0113 496 0000"\n    email: nadia@example.org'))
    markdown = draft_statement(load_case(case)).markdown
    assert ("<!-- signature -->\n\nNadia Karim  \nIndependent Advocate  \nLeeds Advocacy for "
            "Children  \n0113 496 0000  \nnadia@example.org\n\nDate:") in markdown


def test_without_the_childs_agreement_the_statement_claims_no_wish_and_no_enclosure(
        tmp_path: Path) -> None:
    text = (CASES / "statement-full.yaml").read_text(encoding="utf-8")
    case = write_case(tmp_path, text.replace("child_consent: yes", "child_consent: not asked"))
    markdown = draft_statement(load_case(case)).markdown
    assert "asked me to tell you" not in markdown
    assert "encloses this statement" not in markdown
    assert ("I am Tobi's independent advocate. I am independent of children's services. Grace "
            "Bello, Tobi's mother, has asked for a new social worker for Tobi in place of Ms "
            "Helen Price.") in markdown


def test_for_several_children_the_request_is_not_narrowed_to_one(shared_examples: Path) -> None:
    """The statement is about Sam, whose views the letter gives; the request is for both."""
    markdown = draft_statement(load_case(shared_examples / "case-full.yaml")).markdown
    assert ("**Request for a change of social worker for Sam Doe and Lily Doe (case reference "
            "CP-2026-0413)**") in markdown
    assert "has asked for a new social worker for Sam and Lily in place of" in markdown
    assert "I am Sam's independent advocate." in markdown


def test_a_quotation_inside_the_familys_words_takes_single_curly_marks(tmp_path: Path) -> None:
    text = (CASES / "statement-full.yaml").read_text(encoding="utf-8")
    text = text.replace("    views: Tobi has told me that he does not want to meet Ms Price again.",
                        "    views: 'Tobi told his teacher: \"I don''t feel listened to.\"'")
    text = text.replace("    child_views: >-\n      \"I don't want to talk to her any more. She "
                        "writes down things I didn't say.\"\n", "")
    case = write_case(tmp_path, text)
    markdown = draft_statement(load_case(case)).markdown
    assert "writes: “Tobi told his teacher: ‘I don't feel listened to.’”" in markdown
    assert '"' not in markdown.split("writes:")[1].split("\n")[0]
