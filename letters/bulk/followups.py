"""Follow-ups in bulk: a reminder (or a complaint) for every request in the register whose reply
is overdue, written from the case the register kept with the request, on the same letterhead,
each recorded in the register as following its request.

One request that cannot be followed up (recorded by an earlier swletter without its case, say)
never stops the others: it is reported with the reason.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from letters.bulk.folder import ensure_out_dir
from letters.compose.documents import Rendered, in_language, in_languages
from letters.compose.followup import make_followup
from letters.config import Settings
from letters.dates import long_date
from letters.errors import LettersError
from letters.output import write_atomic
from letters.register.casedata import case_from_json
from letters.register.followups import first_letter_from, overdue_requests
from letters.register.records import RequestStatus, entry_for_case
from letters.register.store import Register, open_register

#: The follow-ups that can be written for overdue requests.
OVERDUE_KINDS = ("chaser", "complaint")


@dataclass(frozen=True)
class OverdueFollowUp:
    """One overdue request's follow-up: where it was written and its number in the register,
    or the problem that stopped it."""

    request_id: int
    charity_case_id: str = ""
    path: Path | None = None
    reply_by: dt.date | None = None
    letter_id: int | None = None
    problem: str = ""
    warnings: tuple[str, ...] = ()

    def describe(self) -> str:
        """One line for the screen (no personal details: the request's number and case id)."""
        which = f"request {self.request_id}" + (
            f" ({self.charity_case_id})" if self.charity_case_id else "")
        if self.path is None:
            return f"Not written for {which}: {self.problem}"
        reply = f", reply by {long_date(self.reply_by)}" if self.reply_by else ""
        return f"Wrote {self.path} for {which}{reply}; recorded as letter {self.letter_id}."


def write_overdue_followups(register_path: str, kind: str, out_dir: str, *,
                            settings: Settings | None = None, fmt: str = "docx",
                            today: dt.date | None = None,
                            force: bool = False) -> list[OverdueFollowUp]:
    """A follow-up of ``kind`` in ``out_dir`` for every overdue request in the register."""
    if kind not in OVERDUE_KINDS:
        raise ValueError(f"kind must be one of {OVERDUE_KINDS}, not {kind!r}")
    settings = settings or Settings()
    date = today or dt.date.today()
    folder = ensure_out_dir(out_dir)
    with open_register(register_path) as register:
        taken: set[str] = set()
        return [_one(register, status, kind, folder, taken, settings, fmt, date, force)
                for status in overdue_requests(register.statuses(date))]


def _one(register: Register, status: RequestStatus, kind: str, folder: Path, taken: set[str],
         settings: Settings, fmt: str, date: dt.date, force: bool) -> OverdueFollowUp:
    request = status.request
    own = request.charity_case_id or ""
    try:
        case = case_from_json(request.case_data, register=str(register.path),
                              letter_id=request.id)
        # In the language the request was written in (a reminder of a Welsh request is Welsh).
        # (The case's own language first, then the request's, then the settings'.)
        case, choice = in_language(case, case.language or request.language, settings.language)
        rendered = in_languages(choice, lambda code: make_followup(
            case, kind, first_letter_from(status), today=date,
            template_dirs=settings.template_dirs, code=code))
        path = write_atomic(folder / _name(rendered, fmt, own, taken),
                            rendered.to_bytes(fmt, reference_docx=settings.reference_docx,
                                              author_in_metadata=settings.author_in_metadata),
                            force=force)
        letter = rendered.document
        entry = entry_for_case(case, kind=kind, letter_date=letter.date, reply_by=letter.reply_by,
                               output_path=path, follows=request.id, charity_case_id=own,
                               caseworker=request.caseworker)
        registered, _ = register.record_letter(entry)
    except LettersError as err:
        return OverdueFollowUp(request.id, own, problem=str(err))
    return OverdueFollowUp(request.id, own, path, letter.reply_by, registered.id,
                           warnings=tuple(w.describe(with_file=False) for w in rendered.warnings))


def _name(rendered: Rendered, fmt: str, own: str, taken: set[str]) -> str:
    """The follow-up's file name, unique in this run (the charity's case id, then a number,
    set two families' letters apart)."""
    from letters.compose.documents import slug

    name = rendered.file_name(fmt)
    if name in taken and own:
        name = f"{slug(own)}-{name}"
    stem, number = name.removesuffix(f".{fmt}"), 2
    while name in taken:
        name = f"{stem}-{number}.{fmt}"
        number += 1
    taken.add(name)
    return name
