"""What happens next, for the parent: each nation's dates in its own working days, its words as
the domain notes give them, no claim the notes forbid, one page, and a calendar file."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path
from typing import Any

import icalendar
import pytest
import yaml
from click.testing import CliRunner
from pypdf import PdfReader

from cli import main
from letters import api
from letters.case.model import Case
from tests.conftest import SHARED_EXAMPLES

NATIONS = ("england", "wales", "scotland", "northern-ireland")
D = dt.date


def case_in(nation: str, **changes: Any) -> Case:
    data = yaml.safe_load((SHARED_EXAMPLES / "case-full.yaml").read_text(encoding="utf-8"))
    data.update(jurisdiction=nation, **changes)
    return api.read_case_data(data, source="case-full.yaml")


# Worked out by hand from the letter of Monday 23 November 2026 (10 working days), with each
# nation's bank holidays: Scotland's St Andrew's Day (Monday 30 November 2026) moves everything
# there a day; the reminder asks for a reply 10 working days after it is sent, and the complaint
# is taken to arrive the working day after that; Christmas, Boxing Day (Monday 28 December in
# lieu), 1 January and, in Scotland, 2 January (Monday 4 January in lieu) fall in the complaint
# stages.
EXPECTED = {
    "england": {"reply_by": D(2026, 12, 7), "chase": D(2026, 12, 8),
                "chaser_due": D(2026, 12, 22), "complain": D(2026, 12, 23),
                "due": [D(2027, 1, 11), D(2027, 2, 15)], "latest": [D(2027, 1, 25)]},
    "wales": {"reply_by": D(2026, 12, 7), "chase": D(2026, 12, 8),
              "chaser_due": D(2026, 12, 22), "complain": D(2026, 12, 23),
              "due": [D(2026, 12, 29), D(2027, 1, 13), D(2027, 2, 17)], "latest": []},
    "scotland": {"reply_by": D(2026, 12, 8), "chase": D(2026, 12, 9),
                 "chaser_due": D(2026, 12, 23), "complain": D(2026, 12, 24),
                 "due": [D(2027, 1, 6), D(2027, 1, 11), D(2027, 2, 3)], "latest": []},
    "northern-ireland": {"reply_by": D(2026, 12, 7), "chase": D(2026, 12, 8),
                         "chaser_due": D(2026, 12, 22), "complain": D(2026, 12, 23),
                         "due": [D(2027, 1, 4), D(2027, 2, 1)], "latest": []},
}


@pytest.mark.parametrize("nation", NATIONS)
def test_each_nations_dates_use_its_own_bank_holidays(nation: str) -> None:
    plan = api.render_next_steps(case_in(nation)).document
    want = EXPECTED[nation]
    assert (plan.reply_by, plan.chase_on, plan.chaser_reply_by, plan.complain_on) == \
        (want["reply_by"], want["chase"], want["chaser_due"], want["complain"])
    assert [s.due for s in plan.steps if s.due] == want["due"]
    assert [s.latest for s in plan.steps if s.latest][:1] == want["latest"]


def test_the_complaint_waits_for_the_reminders_reply_by_date() -> None:
    """Never complain the day you remind: the complaint step comes after the reminder's own
    reply-by date, and its timescales run from the day the body receives it."""
    text = " ".join(api.render_next_steps(case_in("northern-ireland")).markdown
                    .replace("*", "").split())
    assert ("It asks for a reply by Tuesday 22 December 2026.") in text
    assert ("If no reply has come by Tuesday 22 December 2026, you may decide to complain."
            in text)
    assert ("The timescales run from the day the Trust receives your complaint. These dates "
            "assume it receives it on Wednesday 23 December 2026") in text
    assert "You can also make a complaint today" not in api.next_steps_calendar(
        api.render_next_steps(case_in("england"))).decode("utf-8")


#: The words each nation's sheet must carry: DOMAIN.md's "Facts that are safe to state".
FACTS = {
    "england": ["Stage 1, local resolution", "within 10 working days (up to 20 working days)",
                "Stage 2, investigation", "within 25 working days (up to 65 working days)",
                "Stage 3, review panel", "the Local Government and Social Care Ombudsman",
                "section 26(3) of the Children Act 1989"],
    "wales": ["Stage 1, local resolution: the council acknowledges your complaint within 2 "
              "working days", "offers you a discussion, which is held within 10 working days "
              "of the acknowledgement", "Stage 2, independent investigation",
              "within 25 working days", "the Public Services Ombudsman for Wales"],
    "scotland": ["Stage 1, frontline resolution", "within 5 working days",
                 "Stage 2, investigation", "acknowledged within 3 working days",
                 "decision at stage 2 within 20 working days",
                 "the Scottish Public Services Ombudsman"],
    "northern-ireland": ["the Health and Social Care Trust", "Stage 1:",
                         "within 5 working days", "Stage 2:", "within 20 working days",
                         "the Northern Ireland Public Services Ombudsman"],
}

#: DOMAIN.md's "Claims never to make".
NEVER = [r"\bright to\b", r"\bentitled\b", r"legally bound", r"\bbound to\b",
         r"section 1\(3\)", r"welfare checklist", r"\border\b", r"\breplace",
         r"[A-Z]{5,}"]


@pytest.mark.parametrize("nation", NATIONS)
def test_the_words_are_the_safe_facts_and_never_a_forbidden_claim(nation: str) -> None:
    text = " ".join(api.render_next_steps(case_in(nation)).markdown.replace("*", "").split())
    for fact in FACTS[nation]:
        assert fact in text
    for other, facts in FACTS.items():
        if other != nation:
            assert facts[-1] not in text  # no other nation's ombudsman
    if nation != "england":
        assert "review panel" not in text  # abolished in Wales and Scotland; none in NI
    for pattern in NEVER:
        found = re.search(pattern, text.replace("CASE", ""),
                          0 if pattern.startswith("[A-Z]") else re.IGNORECASE)
        assert found is None, f"{nation} says {found.group(0)!r}"
    assert "These dates assume it receives it on" in text


@pytest.mark.parametrize("nation", NATIONS)
def test_the_sheet_is_one_page(nation: str) -> None:
    pdf = api.document_bytes(api.render_next_steps(case_in(nation)), "pdf")
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1


def test_what_to_keep() -> None:
    text = api.render_next_steps(case_in("england")).markdown
    assert "## What to keep" in text
    assert "A note of every phone call and visit" in text


@pytest.mark.parametrize("nation", NATIONS)
def test_the_calendar_parses_and_has_every_date(nation: str) -> None:
    rendered = api.render_next_steps(case_in(nation))
    calendar = icalendar.Calendar.from_ical(api.next_steps_calendar(rendered))
    days = sorted(e["dtstart"].dt for e in calendar.walk("VEVENT"))
    want = EXPECTED[nation]
    assert days == sorted([want["reply_by"], want["chase"], want["complain"], *want["due"]])
    assert all(e.walk("VALARM") for e in calendar.walk("VEVENT"))
    nameless = api.next_steps_calendar(rendered, with_names=False)
    assert b"Sam" not in nameless and b"Lily" not in nameless


def test_cli_writes_the_sheet_and_its_calendar_beside_the_case(tmp_path: Path) -> None:
    case = tmp_path / "case.yaml"
    case.write_bytes((SHARED_EXAMPLES / "case-full.yaml").read_bytes())
    (tmp_path / "evidence").mkdir()
    (tmp_path / "evidence" / "2026-04-03-email.txt").write_text("x", encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(main, ["next-steps", str(case), "--format", "md"])
    assert result.exit_code == 0, result.output
    sheet = tmp_path / "next-steps-sam-doe-2026-11-23.md"
    assert sheet.exists() and sheet.with_suffix(".ics").exists()
    again = runner.invoke(main, ["next-steps", str(case), "--format", "md", "--no-ics",
                                 "-o", str(tmp_path / "other.md")])
    assert again.exit_code == 0 and not (tmp_path / "other.ics").exists()
    shown = runner.invoke(main, ["next-steps", str(case), "-o", "-", "--ics",
                                 str(tmp_path / "dates.ics")])
    assert shown.exit_code == 0 and shown.stdout.startswith("# What happens next")
    assert (tmp_path / "dates.ics").exists()
