"""Follow-up letters: the reminder, the request for reasons, and the complaint.

A follow-up is written from the same case file as the first letter and cites that letter by its
date and the case reference. The caller says what is known of the first letter
(``FirstLetter``): from the register when it has it (``letters.register.followups``), otherwise
from the date given or the case file's own date (``first_letter_given``). Composing a follow-up
never looks in the register itself.

Each kind has its own template (``followup_<kind>.md.j2``), overridable like the others, and its
own reply-by date: the case's working days for a reminder or a request for reasons, and the
first stage of the nation's complaints procedure for a complaint. The complaints routes are data
(``grounds/_complaints.toml``), stated exactly as the domain notes give them.
"""

from __future__ import annotations

import datetime as dt
import functools
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from letters.case.grounds import read_shared_data
from letters.case.model import Case, case_references
from letters.compose.documents import Rendered, document_kind
from letters.compose.language import DEFAULT as DEFAULT_LANGUAGE
from letters.compose.language import language
from letters.dates import add_working_days, long_date
from letters.errors import FollowUpError, GroundDefinitionError, Problem
from letters.templating.environment import case_context, render_template

KINDS = ("chaser", "reasons", "complaint")


@dataclass(frozen=True)
class ComplaintRoute:
    """A nation's children's social care complaints route, as a complaint letter states it."""

    jurisdiction: str
    route: str
    first_stage: str
    expect: str
    working_days: int
    next_stages: str = ""
    ombudsman: str = ""
    #: Where the procedure sets an acknowledgement for stage 1, the sentence asking for it.
    acknowledgement: str = ""
    #: What the letter adds at the end of its next steps (England: child-protection matters).
    note: str = ""
    #: The body the complaint goes to, named again inside a sentence ("the council", in
    #: Northern Ireland "the Trust").
    body_again: str = "the council"
    #: When the family asks for ``expect``, where the procedure counts from something other than
    #: the complaint (Wales: "within 10 working days of your acknowledgement"); empty: by the
    #: reply-by date.
    expect_when: str = ""


@functools.cache
def complaints_data(code: str = DEFAULT_LANGUAGE) -> dict[str, Any]:
    """``grounds/_complaints.toml``, in the words of the language ``code``: another language's
    file (``_complaints_cy.toml``) gives only the wording, laid over the English, so every
    number and stage is the English file's and the facts cannot differ between languages."""
    data = _read_complaints("_complaints.toml")
    if code == DEFAULT_LANGUAGE:
        return data
    where = f"grounds/_complaints_{code}.toml"
    words = _read_complaints(f"_complaints_{code}.toml")
    if set(words) != set(data):
        raise GroundDefinitionError(f"{where} must give the same parts of the UK as "
                                    "grounds/_complaints.toml")
    merged = {}
    for nation, spec in data.items():
        given = words[nation]
        steps = given.get("steps", [])
        if len(steps) != len(spec.get("steps", [])):
            raise GroundDefinitionError(f"{where} [{nation}] must give the words of each of the "
                                        f"{len(spec.get('steps', []))} steps")
        merged[nation] = {**spec, **{k: v for k, v in given.items() if k != "steps"},
                          "steps": [{**s, **w} for s, w in zip(spec.get("steps", []), steps,
                                                                 strict=True)]}
    return merged


def _read_complaints(name: str) -> dict[str, Any]:
    try:
        return tomllib.loads(read_shared_data(name))
    except tomllib.TOMLDecodeError as err:
        raise GroundDefinitionError(f"grounds/{name} is not valid TOML: {err}") from err


@functools.cache
def complaint_routes(code: str = DEFAULT_LANGUAGE) -> dict[str, ComplaintRoute]:
    """The complaints route of each part of the UK, from ``grounds/_complaints.toml``, in the
    words of the language ``code``."""
    where = "grounds/_complaints.toml"
    routes = {}
    for nation, spec in complaints_data(code).items():
        missing = [k for k in _ROUTE_KEYS if k not in spec]
        if missing:
            raise GroundDefinitionError(f"{where} [{nation}] is missing {', '.join(missing)}")
        routes[nation] = ComplaintRoute(
            nation, str(spec["route"]), str(spec["first_stage"]), str(spec["expect"]),
            int(spec["working_days"]), str(spec["next_stages"]), str(spec["ombudsman"]),
            str(spec.get("acknowledgement", "")), str(spec.get("note", "")),
            str(spec["body_again"]), str(spec.get("expect_when", "")))
    return routes


#: What every nation's route gives (other documents may read further keys of their own).
_ROUTE_KEYS = ("route", "first_stage", "expect", "working_days", "next_stages", "ombudsman",
               "body_again")


def complaint_route(jurisdiction: str, code: str = DEFAULT_LANGUAGE) -> ComplaintRoute:
    """The complaints route for one part of the UK, in the language ``code``."""
    try:
        return complaint_routes(code)[jurisdiction]
    except KeyError:
        raise GroundDefinitionError(
            f"grounds/_complaints.toml has no complaints route for {jurisdiction!r}."
        ) from None


@dataclass(frozen=True)
class FirstLetter:
    """The letter a follow-up cites, and what is known of what happened since.

    Without a register only ``date`` is known; with one, its reply-by date, the latest reminder
    sent and the latest reply recorded come too.
    """

    date: dt.date
    reply_by: dt.date | None = None
    register_id: int | None = None
    chased_on: dt.date | None = None
    reply_date: dt.date | None = None
    outcome: str | None = None
    reasons: str | None = None

    @property
    def unanswered(self) -> bool:
        """Whether the register follows this letter and records no reply to it: only then may
        a follow-up say that no reply has come (without a register nothing is known)."""
        return self.register_id is not None and self.outcome is None


@dataclass(frozen=True)
class FollowUp:
    """A follow-up letter planned: its kind, dates and what it cites."""

    case: Case
    kind: str
    date: dt.date
    reply_by: dt.date
    working_days: int
    first: FirstLetter
    salutation: str
    sign_off: str
    route: ComplaintRoute | None
    warnings: tuple[Problem, ...] = ()
    #: The language the letter is written in (``en``, ``cy``).
    language: str = DEFAULT_LANGUAGE


def compose_followup(case: Case, kind: str, first: FirstLetter, *,
                     today: dt.date | None = None, code: str = DEFAULT_LANGUAGE) -> FollowUp:
    """Plan a follow-up of ``kind`` to ``first``, dated ``today`` (the real date if left out).

    Raises ``FollowUpError`` when the dates cannot be right; returns warnings when the kind does
    not fit what the register knows (a reminder before the reply is due, say).
    """
    if kind not in KINDS:
        raise FollowUpError(f"there is no follow-up letter of kind {kind!r}. The kinds are: "
                            f"{', '.join(KINDS)}.")
    date = today or dt.date.today()
    if date <= first.date:
        raise FollowUpError(
            f"the follow-up is dated {long_date(date)}, which is not after the first letter "
            f"({long_date(first.date)}). Check the first letter's date, written as "
            f"{first.date.isoformat()}, or the follow-up's date."
        )
    route = complaint_route(case.jurisdiction, code) if kind == "complaint" else None
    days = route.working_days if route else case.response_within_working_days
    # A complaint goes to the council's complaints team, whose name the case does not give.
    reader = (None, None) if route else (case.recipient.title, case.recipient.name)
    salutation, sign_off = language(code).salutation(*reader)
    return FollowUp(
        case=case, kind=kind, date=date,
        reply_by=add_working_days(date, days, case.jurisdiction), working_days=days,
        first=first, salutation=salutation, sign_off=sign_off, route=route,
        warnings=case.warnings + _warnings(case, kind, first, date), language=code,
    )


def _warnings(case: Case, kind: str, first: FirstLetter, date: dt.date) -> tuple[Problem, ...]:
    """Advice when the kind asked for does not match what is known of the first letter."""
    found = []
    replied = (f"the register records a reply of {long_date(first.reply_date)} "
               f"({first.outcome})" if first.reply_date else "")
    not_due = (f"the reply to your letter of {long_date(first.date)} is not due until "
               f"{long_date(first.reply_by)}" if first.reply_by and date <= first.reply_by
               else "")
    if kind == "chaser":
        if not_due:
            found.append(f"{not_due}; a reminder usually waits until then.")
        if replied:
            found.append(f"{replied}; a reminder is for when no reply has come.")
    elif kind == "reasons" and first.register_id is not None:
        if first.outcome not in ("refused", "partial"):
            found.append("the register records no refusal of this request; a request for the "
                         "reasons is for a refusal. Record the reply first with "
                         "`swletter register reply`.")
        elif first.reasons == "given":
            found.append(f"{replied}, with reasons given.")
    elif kind == "complaint" and first.outcome == "granted":
        found.append(f"{replied}: the request was granted.")
    elif kind == "complaint" and first.unanswered:
        found.extend(_early_complaint(case, first, date, not_due))
    return tuple(Problem(text, file=case.source) for text in found)


def _early_complaint(case: Case, first: FirstLetter, date: dt.date, not_due: str) -> list[str]:
    """A complaint that says no reply came, written before a reply was due: to the first
    letter, or to the reminder the register records (which asked for a reply by its own date,
    the case's working days after it was sent)."""
    if not_due:
        return [f"{not_due}, but this complaint says that you have not received it; a "
                "complaint about a missing reply usually waits until then."]
    if first.chased_on is None:
        return []
    chaser_due = reminder_reply_by(case, first.chased_on)
    if date > chaser_due:
        return []
    return [f"the reminder you sent on {long_date(first.chased_on)} asked for a reply by "
            f"{long_date(chaser_due)}, but this complaint says that you have not received one; "
            "a complaint about a missing reply usually waits until then."]


def reminder_reply_by(case: Case, sent_on: dt.date) -> dt.date:
    """The reply-by date of a reminder sent on ``sent_on``: the case's working days after it,
    as the reminder itself states."""
    return add_working_days(sent_on, case.response_within_working_days, case.jurisdiction)


def followup_context(followup: FollowUp) -> dict[str, Any]:
    """Every variable the follow-up templates receive."""
    case = followup.case
    return {
        "followup": followup,
        "first": followup.first,
        "route": followup.route,
        **case_context(case, language(followup.language), followup.kind),
        "grounds": case.grounds,
    }



def make_followup(case: Case, kind: str, first: FirstLetter, *, today: dt.date | None = None,
                  template_dirs: Sequence[str] = (), code: str = DEFAULT_LANGUAGE) -> Rendered:
    """Compose and render a follow-up letter."""
    followup = compose_followup(case, kind, first, today=today, code=code)
    document = document_kind(kind)
    markdown = render_template(document.template, followup_context(followup),
                               template_dirs=template_dirs, code=code)
    names = [c.name for c in case.children]
    return Rendered(document, markdown,
                    title=language(code).subject(kind, names, case.case_reference),
                    language=code, document=followup, warnings=followup.warnings,
                    who=names[0] if names else "", date=followup.date,
                    author=case.sender.name, references=case_references(case))


def first_letter_given(case: Case, first_letter_date: dt.date | None, *,
                       not_in_register: str = "") -> tuple[FirstLetter, str]:
    """The first letter when no register has it: from ``first_letter_date`` (the
    --first-letter-date option), else the case file's own date; and which of them it was.

    ``not_in_register`` names the register that was looked in, for the message when neither is
    known.
    """
    if first_letter_date is not None:
        date, source = first_letter_date, "--first-letter-date"
    elif case.date is not None:
        date, source = case.date, "the case file's date"
    else:
        where = (f"the register {not_in_register} has no letter for this case, and "
                 if not_in_register else "")
        raise FollowUpError(
            f"{where}the case file {case.source} has no date, so swletter cannot tell when "
            "the first letter was written. Give its date, for example: "
            "--first-letter-date 2026-11-23"
        )
    reply_by = add_working_days(date, case.response_within_working_days, case.jurisdiction)
    return FirstLetter(date, reply_by), source
