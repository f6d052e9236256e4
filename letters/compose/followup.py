"""Follow-up letters: the reminder, the request for reasons, and the complaint.

A follow-up is written from the same case file as the first letter and cites that letter by its
date and the case reference. Where the first letter is in the register, its date, reply-by date
and any reply come from there; otherwise the caller says when it was written (``FirstLetter``).

Each kind has its own template (``followup_<kind>.md.j2``), overridable like the others, and its
own reply-by date: the case's working days for a reminder or a request for reasons, and the
first stage of the nation's complaints procedure for a complaint. The complaints routes are data
(``grounds/_complaints.toml``), stated exactly as the domain notes give them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import os
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from letters.case.grounds import read_shared_data
from letters.case.model import Case
from letters.case.validate import load_case
from letters.compose.documents import Rendered, document_kind, in_languages
from letters.compose.language import DEFAULT as DEFAULT_LANGUAGE
from letters.compose.language import choose_language, language
from letters.config import Settings
from letters.dates import add_working_days, long_date
from letters.errors import FollowUpError, GroundDefinitionError, Problem
from letters.output import check_target, write_atomic
from letters.register.store import RegisteredLetter, RequestStatus, entry_for_case, open_register
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


@functools.cache
def complaint_routes() -> dict[str, ComplaintRoute]:
    """The complaints route of each part of the UK, from ``grounds/_complaints.toml``."""
    where = "grounds/_complaints.toml"
    try:
        data = tomllib.loads(read_shared_data("_complaints.toml"))
    except tomllib.TOMLDecodeError as err:
        raise GroundDefinitionError(f"{where} is not valid TOML: {err}") from err
    routes = {}
    for nation, spec in data.items():
        missing = [k for k in ("route", "first_stage", "expect", "working_days") if k not in spec]
        if missing:
            raise GroundDefinitionError(f"{where} [{nation}] is missing {', '.join(missing)}")
        routes[nation] = ComplaintRoute(nation, str(spec["route"]), str(spec["first_stage"]),
                                        str(spec["expect"]), int(spec["working_days"]))
    return routes


def complaint_route(jurisdiction: str) -> ComplaintRoute:
    """The complaints route for one part of the UK."""
    try:
        return complaint_routes()[jurisdiction]
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


def first_letter_from(status: RequestStatus) -> FirstLetter:
    """The first letter of a request in the register, with its reminders and latest reply."""
    chasers = [x.letter_date for x in status.letters if x.kind == "chaser"]
    reply = status.reply
    return FirstLetter(
        date=status.request.letter_date,
        reply_by=status.request.reply_by,
        register_id=status.request.id,
        chased_on=max(chasers) if chasers else None,
        reply_date=reply.reply_date if reply else None,
        outcome=reply.outcome if reply else None,
        reasons=reply.reasons if reply else None,
    )


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
    route = complaint_route(case.jurisdiction) if kind == "complaint" else None
    days = route.working_days if route else case.response_within_working_days
    salutation, sign_off = language(code).salutation(case.recipient.title, case.recipient.name)
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
    if kind == "chaser":
        if first.reply_by and date <= first.reply_by:
            found.append(f"the reply to your letter of {long_date(first.date)} is not due until "
                         f"{long_date(first.reply_by)}; a reminder usually waits until then.")
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
    return tuple(Problem(text, file=case.source) for text in found)


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
                    author=case.sender.name)


@dataclass(frozen=True)
class WrittenFollowUp:
    """A follow-up written to a file, and where its first letter's details came from."""

    path: Path
    rendered: Rendered
    #: "the register", "--first-letter-date" or "the case file's date".
    first_source: str
    registered: RegisteredLetter | None = None
    newly_recorded: bool = False


def write_followup(case_path: str | os.PathLike[str], kind: str, *, fmt: str = "docx",
                   output: str | os.PathLike[str] | None = None, force: bool = False,
                   register_path: str | os.PathLike[str] | None = None,
                   first_letter_date: dt.date | None = None, today: dt.date | None = None,
                   settings: Settings | None = None,
                   language: str | None = None) -> WrittenFollowUp:
    """Write a follow-up for a case file and, with a register, record it there.

    The first letter is found in the register (the newest request for the same children,
    organisation and case reference). Without a register entry, ``first_letter_date`` gives
    its date; failing that, the case file's own ``date`` (the date the first letter was
    written with). The default output sits next to the case file. ``settings`` (swletter.toml
    and the options) supply case defaults, template folders and the reference .docx, as for
    the first letter.

    The language is ``language`` (``--language``), else the case file's, else the language the
    first letter was written in (the register keeps it: a reminder of a Welsh request is in
    Welsh), else the settings', else English.
    """
    settings = settings or Settings()
    case = load_case(case_path, defaults=settings.case_defaults)
    date = today or dt.date.today()
    template_dirs = settings.template_dirs
    if register_path is None:
        first, source = _first_without_register(case, first_letter_date)
        choice = choose_language(language, case.language, settings.language)
        rendered = _in_language(case, kind, first, date, template_dirs, choice)
        path = _write(rendered, case_path, fmt, output, force, settings)
        return WrittenFollowUp(path, rendered, source)
    with open_register(register_path) as register:
        request = register.find_request(
            children=[c.name for c in case.children],
            recipient_organisation=case.recipient.organisation,
            case_reference=case.case_reference,
        )
        if request is None:
            first, source = _first_without_register(case, first_letter_date, register_path)
        else:
            if first_letter_date is not None and first_letter_date != request.letter_date:
                raise FollowUpError(
                    f"the register {register_path} has this case's letter of "
                    f"{long_date(request.letter_date)} (letter {request.id}), but "
                    f"--first-letter-date says {long_date(first_letter_date)}. Leave "
                    "--first-letter-date out to cite the letter in the register."
                )
            status = register.request_status(request.id, date)
            first = (first_letter_from(status) if status is not None else
                     FirstLetter(request.letter_date, request.reply_by, request.id))
            source = "the register"
        choice = choose_language(language, case.language, request.language if request else None,
                                 settings.language)
        rendered = _in_language(case, kind, first, date, template_dirs, choice)
        path = _write(rendered, case_path, fmt, output, force, settings)
        written = rendered.document
        entry = entry_for_case(written.case, kind=kind, letter_date=written.date,
                               reply_by=written.reply_by, output_path=path,
                               follows=request.id if request else None)
        registered, created = register.record_letter(entry)
    return WrittenFollowUp(path, rendered, source, registered, created)


def _in_language(case: Case, kind: str, first: FirstLetter, date: dt.date,
                 template_dirs: Sequence[str], choice: str) -> Rendered:
    """The follow-up in the language ``choice`` (``cy+en``: Welsh then English, as one)."""
    case = dataclasses.replace(case, language=choice)
    return in_languages(choice, lambda code: make_followup(
        case, kind, first, today=date, template_dirs=template_dirs, code=code))


def _first_without_register(case: Case, first_letter_date: dt.date | None,
                            register_path: str | os.PathLike[str] | None = None,
                            ) -> tuple[FirstLetter, str]:
    """The first letter when the register does not have it: from the option or the case file."""
    if first_letter_date is not None:
        date, source = first_letter_date, "--first-letter-date"
    elif case.date is not None:
        date, source = case.date, "the case file's date"
    else:
        where = (f"the register {register_path} has no letter for this case, and "
                 if register_path else "")
        raise FollowUpError(
            f"{where}the case file {case.source} has no date, so swletter cannot tell when "
            "the first letter was written. Give its date, for example: "
            "--first-letter-date 2026-11-23"
        )
    reply_by = add_working_days(date, case.response_within_working_days, case.jurisdiction)
    return FirstLetter(date, reply_by), source


def _write(rendered: Rendered, case_path: str | os.PathLike[str], fmt: str,
           output: str | os.PathLike[str] | None, force: bool, settings: Settings) -> Path:
    target = Path(output) if output else Path(case_path).parent / rendered.file_name(fmt)
    # Checked before a slow conversion (a PDF takes seconds); never over the case file itself.
    check_target(target, force=force, protect=(case_path,))
    data = rendered.to_bytes(fmt, reference_docx=settings.reference_docx,
                             author_in_metadata=settings.author_in_metadata)
    return write_atomic(target, data, force=force, protect=(case_path,))
