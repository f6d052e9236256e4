"""The letter plan: enclosure numbers, salutations, reply-by dates, ground order."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from letters.case.validate import load_case
from letters.compose.request import compose_letter, make_letter
from letters.dates import add_working_days, long_date

from .conftest import CASES, MINIMAL, TODAY, write_case


def test_enclosures_follow_first_citation_then_statements(full_case: Path) -> None:
    letter = compose_letter(load_case(full_case), today=TODAY)
    numbers = [(e.number, e.evidence.id if e.evidence else e.statement.author)  # type: ignore[union-attr]
               for e in letter.enclosures]
    assert numbers == [(1, "E1"), (2, "E2"), (3, "E3"), (4, "E4"), (5, "E5"), (6, "E6"),
                       (7, "E7"), (8, "Priya Shah")]


def test_incidents_are_cited_in_date_order() -> None:
    letter = make_letter(load_case(CASES / "conduct-named-no-title.yaml"), today=TODAY)
    md = letter.markdown
    # Incidents are given out of order in the file; the letter lists them by date and numbers
    # the evidence in the order the letter first cites it.
    assert md.index("2 June 2026") < md.index("14 September 2026") < md.index("20 October 2026")
    # The citation goes before the user's full stop, or after the text when there is none.
    assert "without a new date being offered (Enclosure 1)." in md
    assert "moved (Enclosure 2)." in md
    assert "attendance is 97% (Enclosures 3 and 4)." in md


def test_uncited_evidence_is_listed_after_cited_and_warned() -> None:
    letter = compose_letter(load_case(CASES / "complaint-scotland-christmas.yaml"), today=TODAY)
    assert [(e.number, e.evidence.id, e.cited) for e in letter.enclosures] == [  # type: ignore[union-attr]
        (1, "E1", True), (2, "E2", False)]
    (warning,) = [w for w in letter.warnings if w.path.startswith("evidence")]
    assert warning.path == "evidence[2]"
    assert 'evidence "E2" is listed but no ground cites it' in warning.message


def test_evidence_cited_twice_keeps_its_first_number(tmp_path: Path) -> None:
    text = MINIMAL.replace("    summary:", "    evidence: [E2, E1]\n    summary:") + """\
  complaint:
    made_on: 2026-10-01
    summary: Missed visits.
    evidence: [E1, E3]
evidence:
  - {id: E1, date: 2026-01-01, type: email, description: One.}
  - {id: E2, date: 2026-01-02, type: email, description: Two.}
  - {id: E3, date: 2026-01-03, type: email, description: Three.}
"""
    rendered = make_letter(load_case(write_case(tmp_path, text)), today=TODAY)
    ids = [e.evidence.id for e in rendered.document.enclosures]  # type: ignore[union-attr]
    assert ids == ["E2", "E1", "E3"]
    assert "keep in touch (Enclosures 1 and 2)." in rendered.markdown
    assert "about missed visits (Enclosures 2 and 3)." in rendered.markdown


@pytest.mark.parametrize(
    ("title", "name", "expected"),
    [
        ("Ms", "Sarah Patel", ("Dear Ms Patel", "Yours sincerely")),
        (None, "Alex Morgan", ("Dear Alex Morgan", "Yours sincerely")),
        ("Ms", None, ("Dear Sir or Madam", "Yours faithfully")),
        (None, None, ("Dear Sir or Madam", "Yours faithfully")),
    ],
)
def test_salutation_and_sign_off_match(title: str | None, name: str | None,
                                       expected: tuple[str, str]) -> None:
    from letters.compose.language import language

    assert language("en").salutation(title, name) == expected


def test_long_dates_are_uk_style() -> None:
    assert long_date(dt.date(2026, 11, 23)) == "23 November 2026"
    assert long_date(dt.date(2027, 1, 4)) == "4 January 2027"


@pytest.mark.parametrize(
    ("jurisdiction", "start", "days", "expected"),
    [
        # Monday 23 November 2026: ten working days, counted from the next day.
        ("england", dt.date(2026, 11, 23), 10, dt.date(2026, 12, 7)),
        # Scotland: St Andrew's Day (Monday 30 November) is a bank holiday.
        ("scotland", dt.date(2026, 11, 23), 10, dt.date(2026, 12, 8)),
        # Across Christmas: 25 Dec, 28 Dec (Boxing Day observed), 1 Jan.
        ("wales", dt.date(2026, 12, 18), 10, dt.date(2027, 1, 6)),
        ("england", dt.date(2026, 12, 18), 10, dt.date(2027, 1, 6)),
        # Scotland also has 2 January (a Saturday in 2027, observed Monday 4 January).
        ("scotland", dt.date(2026, 12, 18), 10, dt.date(2027, 1, 7)),
        # A letter dated on a Saturday starts counting on the Monday.
        ("northern-ireland", dt.date(2026, 11, 21), 1, dt.date(2026, 11, 23)),
    ],
)
def test_reply_by_skips_weekends_and_that_nations_bank_holidays(
    jurisdiction: str, start: dt.date, days: int, expected: dt.date
) -> None:
    assert add_working_days(start, days, jurisdiction) == expected


def test_letter_date_defaults_to_today(tmp_path: Path) -> None:
    case = load_case(write_case(tmp_path, MINIMAL.replace("date: 2026-11-23\n", "")))
    letter = compose_letter(case, today=dt.date(2026, 12, 1))
    assert letter.date == dt.date(2026, 12, 1)
    assert letter.reply_by == dt.date(2026, 12, 15)


def test_response_days_are_configurable() -> None:
    rendered = make_letter(load_case(CASES / "communication-northern-ireland.json"), today=TODAY)
    assert rendered.document.reply_by == dt.date(2026, 12, 14)
    assert "by 14 December 2026, which is 15 working days from the date of this letter" in (
        rendered.markdown)


def test_a_letter_without_the_writers_relationship_is_flagged(minimal_case: Path) -> None:
    letter = compose_letter(load_case(minimal_case), today=TODAY)
    assert [w.path for w in letter.warnings] == ["sender.relationship"]
    assert "the manager needs to know who is asking" in letter.warnings[0].message


@pytest.mark.parametrize(
    ("text", "ids", "expected"),
    [
        ("No reply came.", ["E1"], "No reply came (Enclosure 1)."),
        ("No reply came", ["E1"], "No reply came (Enclosure 1)."),
        # A sentence ending inside a quotation: its full stop moves after the citation.
        ('She said: "No."', ["E1"], 'She said: "No" (Enclosure 1).'),
        ("Why was I not told?", [], "Why was I not told?"),
        ("Missed visits (see my diary)", [], "Missed visits (see my diary)."),
        ("Visits stopped (see my diary).", [], "Visits stopped (see my diary)."),
    ],
)
def test_user_sentences_end_with_their_citation(text: str, ids: list[str], expected: str) -> None:
    from letters.compose.language import language
    from letters.templating.helpers import with_citation

    assert with_citation(text, language("en").enclosure_label([1] if ids else [])) == expected


@pytest.mark.parametrize(("jurisdiction", "quoted"), [("england", True), ("wales", False)])
def test_professional_standard_is_quoted_only_on_request_and_only_in_england(
    tmp_path: Path, jurisdiction: str, quoted: bool
) -> None:
    text = "jurisdiction: " + jurisdiction + "\n" + MINIMAL + """\
  unprofessional_conduct:
    cite_standard: true
    incidents:
      - {date: 2026-03-12, what: The visit did not take place.}
"""
    md = make_letter(load_case(write_case(tmp_path, text)), today=TODAY).markdown
    assert ("Social Work England's professional standard 2" in md) is quoted
    without = make_letter(load_case(write_case(tmp_path, text.replace(
        "    cite_standard: true\n", ""))), today=TODAY).markdown
    assert "Social Work England" not in without
