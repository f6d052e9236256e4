"""The register's part in follow-up letters: finding the first letter a follow-up cites, with
what has happened since (reminders sent, the latest reply), and the requests overdue for one.

Composing a follow-up (``letters.compose.followup``) never looks in the register: it is given a
``FirstLetter``, made here when the register has the first letter.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from letters.case.model import Case
from letters.compose.followup import FirstLetter, first_letter_given
from letters.dates import long_date
from letters.errors import FollowUpError
from letters.register.records import OVERDUE, RegisteredLetter, RequestStatus
from letters.register.store import Register


@dataclass(frozen=True)
class FoundFirstLetter:
    """The letter a follow-up cites, where that came from, and its request in the register."""

    first: FirstLetter
    #: "the register", "--first-letter-date" or "the case file's date".
    source: str
    request: RegisteredLetter | None = None


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


def find_first_letter(register: Register, case: Case, *, today: dt.date,
                      first_letter_date: dt.date | None = None) -> FoundFirstLetter:
    """The first letter for ``case``: the newest request in the register for the same
    children, organisation and case reference; else from ``first_letter_date`` or the case
    file's date. ``FollowUpError`` when the date given contradicts the register's."""
    request = register.find_request(
        children=[c.name for c in case.children],
        recipient_organisation=case.recipient.organisation,
        case_reference=case.case_reference,
    )
    if request is None:
        first, source = first_letter_given(case, first_letter_date,
                                           not_in_register=str(register.path))
        return FoundFirstLetter(first, source)
    if first_letter_date is not None and first_letter_date != request.letter_date:
        raise FollowUpError(
            f"the register {register.path} has this case's letter of "
            f"{long_date(request.letter_date)} (letter {request.id}), but "
            f"--first-letter-date says {long_date(first_letter_date)}. Leave "
            "--first-letter-date out to cite the letter in the register."
        )
    status = register.request_status(request.id, today)
    first = (first_letter_from(status) if status is not None else
             FirstLetter(request.letter_date, request.reply_by, request.id))
    return FoundFirstLetter(first, "the register", request)


def overdue_requests(statuses: list[RequestStatus]) -> list[RequestStatus]:
    """The requests whose reply is overdue (to the request, or to its latest reminder); a
    complaint whose response is overdue is not among them: it has its own route."""
    return [s for s in statuses if s.status == OVERDUE]
