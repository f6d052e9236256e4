"""Follow-up letters: each kind for each part of the UK against golden letters, the complaints
route and first-stage timescale exactly as the domain notes state them, and nothing they forbid.

Regenerate the golden letters with `pytest tests/test_followup.py --update-golden`, then read
every diff before committing it.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
from pathlib import Path

import docx
import pytest

from letters.api import read_case, write_followup
from letters.case.model import Case
from letters.case.validate import load_case
from letters.compose.followup import (
    KINDS,
    FirstLetter,
    complaint_routes,
    make_followup,
)
from letters.dates import add_working_days, long_date
from letters.errors import FollowUpError

from .conftest import GOLDEN

NATIONS = ("england", "wales", "scotland", "northern-ireland")
FIRST_DATE = dt.date(2026, 11, 23)
#: Follow-ups in the golden letters are dated here: after the first letter's reply-by date.
FOLLOWUP_DATE = dt.date(2026, 12, 10)


@pytest.fixture
def case_folder(shared_examples: Path, tmp_path: Path) -> Path:
    """A copy of the shared examples (the full case needs its evidence folder beside it)."""
    folder = tmp_path / "examples"
    shutil.copytree(shared_examples, folder)
    for path in folder.rglob("*"):
        path.chmod(0o700 if path.is_dir() else 0o600)
    return folder


def full_case_in(folder: Path, nation: str) -> Case:
    """The shared full case, moved to ``nation``."""
    text = (folder / "case-full.yaml").read_text(encoding="utf-8")
    path = folder / f"case-{nation}.yaml"
    path.write_text(text.replace("jurisdiction: england", f"jurisdiction: {nation}"),
                    encoding="utf-8")
    return load_case(path)


def first_letter_for(kind: str, nation: str) -> FirstLetter:
    """What the register would know when each kind is written."""
    reply_by = add_working_days(FIRST_DATE, 10, nation)
    if kind == "chaser":
        return FirstLetter(FIRST_DATE, reply_by, register_id=1)
    if kind == "reasons":
        return FirstLetter(FIRST_DATE, reply_by, register_id=1, reply_date=dt.date(2026, 12, 3),
                           outcome="refused", reasons="not-given")
    return FirstLetter(FIRST_DATE, reply_by, register_id=1, chased_on=dt.date(2026, 12, 8))


@pytest.mark.parametrize("nation", NATIONS)
@pytest.mark.parametrize("kind", KINDS)
def test_followup_matches_golden(case_folder: Path, kind: str, nation: str,
                                 update_golden: bool) -> None:
    rendered = make_followup(full_case_in(case_folder, nation), kind,
                             first_letter_for(kind, nation), today=FOLLOWUP_DATE)
    golden = GOLDEN / "followup" / f"{kind}-{nation}.md"
    if update_golden:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(rendered.markdown, encoding="utf-8")
    assert golden.exists(), f"{golden} is missing: run pytest --update-golden and read it"
    assert rendered.markdown == golden.read_text(encoding="utf-8")


def _plain(markdown: str) -> str:
    """The letter's words on one line each paragraph, without Markdown's escapes."""
    return re.sub(r"\\(.)", r"\1", " ".join(markdown.split()))


# What the domain notes ("Facts that are safe to state") give as each nation's route and first
# stage, checked word for word in the complaint letter.
ROUTE_FACTS = {
    "england": [
        "section 26(3) of the Children Act 1989",
        "the Children Act 1989 Representations Procedure (England) Regulations 2006",
        "Stage 1 of that procedure is local resolution, with a timescale of 10 working days "
        "(up to 20 working days).",
    ],
    "wales": [
        # The regulations by their full titles, and the stage as regulations 15 and 16 set it.
        "within the framework of the Social Services and Well-being (Wales) Act 2014: the Social "
        "Services Complaints Procedure (Wales) Regulations 2014 (SI 2014/1794) and the "
        "Representations Procedure (Wales) Regulations 2014 (SI 2014/1795)",
        "Stage 1 of that procedure is local resolution: the council acknowledges a complaint "
        "within 2 working days of receiving it and offers to discuss it, and the discussion is "
        "held within 10 working days of the acknowledgement (regulations 15 and 16).",
        # The discussion counts from the acknowledgement, not from the letter's date.
        "I would be grateful for the discussion to be held within 10 working days of your "
        "acknowledgement.",
        "Please could you acknowledge this complaint within 2 working days of receiving it",
    ],
    "scotland": [
        "the social work model complaints handling procedure",
        "Stage 1 of that procedure is frontline resolution, with a timescale of 5 working days.",
    ],
    "northern-ireland": [
        "the complaints procedure of the Health and Social Care Trust",
        "That procedure has two stages; stage 1 has a timescale of 5 working days.",
    ],
}


@pytest.mark.parametrize("nation", NATIONS)
def test_complaint_names_the_nations_route_and_first_stage(case_folder: Path,
                                                           nation: str) -> None:
    text = _plain(make_followup(full_case_in(case_folder, nation), "complaint",
                                first_letter_for("complaint", nation),
                                today=FOLLOWUP_DATE).markdown)
    for fact in ROUTE_FACTS[nation]:
        assert fact in text
    # No other nation's route leaks in.
    for other, facts in ROUTE_FACTS.items():
        if other != nation:
            assert facts[0] not in text


# "Claims never to make", and the later stages a letter must not go into on its own: only a
# complaint names them, and only in its nation's words from grounds/_complaints.toml (the
# domain notes' facts), which are taken out of the text before it is searched.
FORBIDDEN = [
    r"\bright to\b", r"\bentitled\b", r"legally bound", r"\bmust\b", r"\bobliged\b",
    r"section 1\(3\)", r"welfare checklist", r"ombudsman", r"review panel", r"\bpanel\b",
    r"stage 2", r"stage 3", r"\binvestigation\b", r"\bcourt\b", r"\breplace",
    r"[A-Z]{4,}",  # no capitals for emphasis
]


@pytest.mark.parametrize("nation", NATIONS)
@pytest.mark.parametrize("kind", KINDS)
def test_followups_make_no_forbidden_claim(case_folder: Path, kind: str, nation: str) -> None:
    text = _plain(make_followup(full_case_in(case_folder, nation), kind,
                                first_letter_for(kind, nation), today=FOLLOWUP_DATE).markdown)
    if kind == "complaint":
        route = complaint_routes()[nation]
        assert route.next_stages in text
        assert route.ombudsman in route.next_stages
        text = text.replace(route.next_stages, "")
    for pattern in FORBIDDEN:
        found = re.search(pattern, text.replace("CP-2026-0413", "").replace("COMP-998", ""),
                          re.IGNORECASE if not pattern.startswith("[A-Z]") else 0)
        assert found is None, f"{kind}/{nation} says {found.group(0)!r}"
    # Every follow-up accepts that the family cannot insist (chaser: by asking, not demanding).
    if kind != "chaser":
        assert "families cannot insist on a particular social worker" in text


def test_complaint_routes_cover_every_nation() -> None:
    assert set(complaint_routes()) == set(NATIONS)
    # Wales: an acknowledgement within 2 working days, then the discussion within 10 more.
    assert {n: r.working_days for n, r in complaint_routes().items()} == {
        "england": 10, "wales": 12, "scotland": 5, "northern-ireland": 5}
    # Review panels were abolished in Wales and Scotland; no route may mention one there.
    for nation in ("wales", "scotland"):
        route = complaint_routes()[nation]
        assert "panel" not in " ".join((route.route, route.first_stage, route.next_stages,
                                        route.note, route.acknowledgement)).lower()


@pytest.mark.parametrize(("kind", "nation", "reply_by"), [
    # 10 working days from 10 December 2026 (the case's own number of days).
    ("chaser", "england", "24 December 2026"),
    ("reasons", "scotland", "24 December 2026"),
    # A complaint's reply-by date is the first stage's timescale: 5 working days in Scotland,
    # and in Northern Ireland, 10 in England, 12 in Wales (the acknowledgement, then the
    # discussion; counted past Christmas Day and Boxing Day, observed on 28 December).
    ("complaint", "scotland", "17 December 2026"),
    ("complaint", "northern-ireland", "17 December 2026"),
    ("complaint", "england", "24 December 2026"),
    ("complaint", "wales", "30 December 2026"),
])
def test_each_followup_has_its_own_reply_by_date(case_folder: Path, kind: str, nation: str,
                                                 reply_by: str) -> None:
    rendered = make_followup(full_case_in(case_folder, nation), kind,
                             first_letter_for(kind, nation), today=FOLLOWUP_DATE)
    text = _plain(rendered.markdown)
    assert long_date(rendered.document.reply_by) == reply_by
    # Wales's letter gives the timescale as the regulations count it (from the
    # acknowledgement); its reply-by date is the register's alone.
    assert (f"by {reply_by}, which is" in text) == ((kind, nation) != ("complaint", "wales"))
    # And it cites the first letter by its date and the case reference.
    assert "23 November 2026" in text
    assert "case reference CP-2026-0413" in text


def test_chaser_before_the_reply_is_due_is_written_with_a_warning(case_folder: Path) -> None:
    rendered = make_followup(full_case_in(case_folder, "england"), "chaser",
                             first_letter_for("chaser", "england"), today=dt.date(2026, 12, 1))
    assert [w.message for w in rendered.warnings] == [
        "the reply to your letter of 23 November 2026 is not due until 7 December 2026; a "
        "reminder usually waits until then."
    ]


def test_reasons_letter_warns_when_the_register_records_no_refusal(case_folder: Path) -> None:
    rendered = make_followup(full_case_in(case_folder, "england"), "reasons",
                             FirstLetter(FIRST_DATE, register_id=1), today=FOLLOWUP_DATE)
    assert "records no refusal" in rendered.warnings[0].message


def test_followup_dated_before_the_first_letter_is_refused(case_folder: Path) -> None:
    with pytest.raises(FollowUpError, match="not after the first letter"):
        make_followup(full_case_in(case_folder, "england"), "chaser",
                      FirstLetter(FIRST_DATE), today=FIRST_DATE)


def test_user_text_is_printed_as_typed_never_run(tmp_path: Path) -> None:
    case = tmp_path / "case.yaml"
    case.write_text(
        "date: 2026-11-23\n"
        "sender: {name: '{{ 7*7 }} *Ann* Lee', address: ['1 Road', 'Leeds']}\n"
        "recipient: {organisation: Leeds City Council, address: ['Civic Hall']}\n"
        "social_worker: {name: Kim Ray}\n"
        "children: [{name: Zoe Lee}]\n"
        "grounds: {communication_breakdown: {summary: Calls go unanswered.}}\n",
        encoding="utf-8",
    )
    rendered = make_followup(load_case(case), "chaser", FirstLetter(FIRST_DATE),
                             today=FOLLOWUP_DATE)
    assert "{{ 7\\*7 }} \\*Ann\\* Lee" in rendered.markdown
    assert "49" not in rendered.markdown


def test_a_charity_template_replaces_ours_by_name(case_folder: Path, tmp_path: Path) -> None:
    ours = tmp_path / "ours"
    ours.mkdir()
    (ours / "followup_chaser.md.j2").write_text(
        "Dear {{ followup.salutation }}: our reminder of {{ first.date }}, reply by "
        "{{ followup.reply_by }}.\n", encoding="utf-8")
    rendered = make_followup(full_case_in(case_folder, "england"), "chaser",
                             first_letter_for("chaser", "england"), today=FOLLOWUP_DATE,
                             template_dirs=[str(ours)])
    assert rendered.markdown == (
        "Dear Dear Ms Patel: our reminder of 23 November 2026, reply by 24 December 2026.\n")


def test_without_a_register_the_case_files_date_is_the_first_letters(case_folder: Path) -> None:
    written = write_followup(read_case(case_folder / "case-full.yaml"), "chaser", fmt="docx",
                             output=None, folder=case_folder, today=FOLLOWUP_DATE)
    assert written.first_source == "the case file's date"
    assert written.path == case_folder / "chaser-sam-doe-2026-12-10.docx"
    document = docx.Document(io.BytesIO(written.path.read_bytes()))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "I wrote to you on 23 November 2026, under case reference CP-2026-0413," in text
    assert written.path.stat().st_mode & 0o777 == 0o600


def test_a_case_without_a_date_needs_the_first_letters_date(tmp_path: Path) -> None:
    case = tmp_path / "case.yaml"
    case.write_text(
        "sender: {name: Ann Lee, address: ['1 Road', 'Leeds']}\n"
        "recipient: {organisation: Leeds City Council, address: ['Civic Hall']}\n"
        "social_worker: {name: Kim Ray}\n"
        "children: [{name: Zoe Lee}]\n"
        "grounds: {communication_breakdown: {summary: Calls go unanswered.}}\n",
        encoding="utf-8",
    )
    with pytest.raises(FollowUpError) as err:
        write_followup(read_case(case), "chaser", fmt="docx", output=None, folder=tmp_path,
                       today=FOLLOWUP_DATE)
    assert str(err.value).endswith("For example: --first-letter-date 2026-11-23") or \
        str(err.value).endswith("example: --first-letter-date 2026-11-23")
    written = write_followup(read_case(case), "chaser", fmt="docx", output=None,
                             folder=tmp_path, today=FOLLOWUP_DATE,
                             first_letter_date=dt.date(2026, 11, 2))
    assert "I wrote to you on 2 November 2026 to ask" in _plain(written.rendered.markdown)
    assert not list(tmp_path.glob(".*.tmp"))


def test_the_reasons_letter_asks_for_a_second_look_only_once_the_reasons_are_known(
        case_folder: Path) -> None:
    """The reasons are not yet known, so the letter cannot ask for the decision to be
    reconsidered in their light: it asks for a second look once it has them."""
    text = " ".join(make_followup(full_case_in(case_folder, "england"), "reasons",
                                  first_letter_for("reasons", "england"),
                                  today=FOLLOWUP_DATE).markdown.split())
    assert ("Once I have your reasons, I would ask you to look again at the decision in the "
            "light of what I set out in my letter:") in text
    assert "reconsidered in light of the reasons I gave" not in text


def test_wales_names_each_set_of_regulations_once(case_folder: Path) -> None:
    text = _plain(make_followup(full_case_in(case_folder, "wales"), "complaint",
                                first_letter_for("complaint", "wales"),
                                today=FOLLOWUP_DATE).markdown)
    assert text.count("SI 2014/1794") == 1
    assert text.count("Social Services Complaints Procedure (Wales) Regulations 2014") == 1
    assert "12 working days" not in text


def test_englands_child_protection_caveat_comes_last_and_asks(case_folder: Path) -> None:
    text = _plain(make_followup(full_case_in(case_folder, "england"), "complaint",
                                first_letter_for("complaint", "england"),
                                today=FOLLOWUP_DATE).markdown)
    caveat = ("Complaints about child protection enquiries (under section 47 of the Children Act "
              "1989) and child protection conferences may fall outside the statutory procedure. "
              "If the council considers that any part of this complaint falls under a different "
              "procedure, please tell me which one.")
    assert caveat in text
    assert text.index(caveat) > text.index("## What happened")
    assert text.index(caveat) > text.index("Local Government and Social Care Ombudsman")
