"""What the register holds: a letter's entry, a letter as stored, a reply, and a request with
where it stands; and how each is made from a row (every value checked, since a register is an
ordinary file another program may have changed).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from letters.compose.language import CHOICES
from letters.errors import RegisterError
from letters.register.problems import RowReader

if TYPE_CHECKING:
    from letters.case.model import Case

KINDS = ("request", "chaser", "reasons", "complaint")
OUTCOMES = ("granted", "refused", "partial")
REASONS = ("given", "not-given")
#: The languages a letter can be written in.
LANGUAGES = CHOICES

# The status of a request, as `swletter register list` shows it.
AWAITING = "awaiting reply"
OVERDUE = "overdue"
GRANTED = "granted"
PARTLY_GRANTED = "partly granted"
REFUSED = "refused"
REFUSED_WITHOUT_REASONS = "refused without reasons"
COMPLAINT_OPEN = "complaint open"
COMPLAINT_OVERDUE = "complaint overdue"
#: Statuses in which a reply is still awaited: these get calendar reminders.
OPEN_STATUSES = (AWAITING, OVERDUE, COMPLAINT_OPEN, COMPLAINT_OVERDUE)


@dataclass(frozen=True)
class LetterEntry:
    """What the register records about one letter written."""

    kind: str
    letter_date: dt.date
    reply_by: dt.date
    children: tuple[str, ...]
    recipient_organisation: str
    grounds: tuple[str, ...]
    output_path: str
    sha256: str
    case_reference: str | None = None
    jurisdiction: str = "england"
    follows: int | None = None
    #: The case the letter was written from, as JSON (``casedata.py``): what a follow-up is
    #: written from later. Personal data, like the rest of the register.
    case_data: str | None = None
    #: The charity's own id for the case and its caseworker (a spreadsheet's columns).
    charity_case_id: str | None = None
    caseworker: str | None = None
    #: The request letter this one replaces (the same case, its letter written again).
    replaces: int | None = None
    #: The language the letter was written in: ``en``, ``cy`` or ``cy+en``.
    language: str = "en"


@dataclass(frozen=True)
class RegisteredLetter(LetterEntry):
    """A letter as stored: its entry plus its number in the register and when it was recorded.

    ``void_reason`` is set when the letter was marked void: kept, but left out of every list.
    """

    id: int = 0
    recorded_at: str = ""
    void_reason: str | None = None


@dataclass(frozen=True)
class Reply:
    """A reply recorded against a letter. It answers every letter of the request up to and
    including ``answers_through`` (the newest letter of the request when it was recorded)."""

    id: int
    letter_id: int
    recorded_at: str
    reply_date: dt.date
    outcome: str
    reasons: str | None
    note: str | None
    answers_through: int


@dataclass(frozen=True)
class RequestStatus:
    """One request and its follow-ups, with where it stands on a given day."""

    request: RegisteredLetter
    letters: tuple[RegisteredLetter, ...]
    reply: Reply | None
    status: str

    @property
    def latest(self) -> RegisteredLetter:
        """The newest letter of the request: the one a reply is awaited to."""
        return self.letters[-1]

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_overdue(self) -> bool:
        return self.status in (OVERDUE, COMPLAINT_OVERDUE)


def sha256_file(path: str | os.PathLike[str]) -> str:
    """The SHA-256 of a file, in hex: proof later of exactly which letter was sent."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def entry_for_case(case: Case, *, kind: str, letter_date: dt.date, reply_by: dt.date,
                   output_path: str | os.PathLike[str], follows: int | None = None,
                   data: bytes | None = None, charity_case_id: str | None = None,
                   caseworker: str | None = None, replaces: int | None = None) -> LetterEntry:
    """The register entry for a letter about ``case`` that has just been written to a file.

    The path is stored absolute, and the hash is of the bytes written (``data``, or the file
    when they are not given), so the entry proves later exactly which letter went out. The
    case itself is kept too, so that a follow-up can be written from the register alone.
    """
    from letters.register.casedata import case_json

    path = Path(output_path).resolve()
    try:
        digest = hashlib.sha256(data).hexdigest() if data is not None else sha256_file(path)
    except OSError as err:
        raise RegisterError(f"cannot read {path} to record it: {err.strerror}.") from err
    return LetterEntry(
        kind=kind, letter_date=letter_date, reply_by=reply_by,
        children=tuple(c.name for c in case.children),
        recipient_organisation=case.recipient.organisation, grounds=tuple(case.grounds),
        output_path=str(path), sha256=digest, case_reference=case.case_reference,
        jurisdiction=case.jurisdiction, follows=follows, case_data=case_json(case),
        charity_case_id=charity_case_id or None, caseworker=caseworker or None,
        replaces=replaces, language=case.language or "en",
    )


def entry_for_earlier_letter(case: Case, output_path: str | os.PathLike[str], *,
                             charity_case_id: str | None = None,
                             caseworker: str | None = None) -> LetterEntry:
    """The entry for a request letter written earlier and never recorded (a batch killed
    between writing a letter and recording it, or first run without a register).

    A case without a date was dated the day it was written: the file's modification date.
    """
    from letters.dates import add_working_days

    path = Path(output_path)
    try:
        written = dt.date.fromtimestamp(path.stat().st_mtime)
    except OSError as err:
        raise RegisterError(f"cannot read {path} to record it: {err.strerror}.") from err
    letter_date = case.date or written
    reply_by = add_working_days(letter_date, case.response_within_working_days,
                                case.jurisdiction)
    return entry_for_case(case, kind="request", letter_date=letter_date, reply_by=reply_by,
                          output_path=path, charity_case_id=charity_case_id,
                          caseworker=caseworker)


# --------------------------------------------------------------------------------------------
# Rows

LETTER_COLUMNS = ("id, recorded_at, kind, letter_date, reply_by, case_reference, children,"
                  " recipient_organisation, grounds, output_path, sha256, jurisdiction, follows,"
                  " case_data, charity_case_id, caseworker, replaces, language")
#: The letters' columns with each letter's void reason (NULL when it is not void).
LETTER_SELECT = (f"SELECT {', '.join('l.' + c.strip() for c in LETTER_COLUMNS.split(','))},"
                 " v.reason AS void_reason FROM letters l LEFT JOIN voids v ON v.letter_id = l.id")
REPLY_COLUMNS = ("id, letter_id, recorded_at, reply_date, outcome, reasons, note,"
                 " answers_through")


def letter_from_row(row: sqlite3.Row, path: Path) -> RegisteredLetter:
    """A letter as stored, every value checked (a register can be edited by other programs)."""
    read = RowReader(path, f"letter {row['id']}", row)
    return RegisteredLetter(
        id=read.number("id"),
        recorded_at=read.text("recorded_at"),
        kind=read.choice("kind", KINDS),
        letter_date=read.date("letter_date"),
        reply_by=read.date("reply_by"),
        case_reference=read.optional_text("case_reference"),
        children=read.names("children"),
        recipient_organisation=read.text("recipient_organisation"),
        grounds=read.names("grounds"),
        output_path=read.text("output_path"),
        sha256=read.text("sha256"),
        jurisdiction=read.text("jurisdiction"),
        follows=read.optional_number("follows"),
        case_data=read.optional_text("case_data"),
        charity_case_id=read.optional_text("charity_case_id"),
        caseworker=read.optional_text("caseworker"),
        replaces=read.optional_number("replaces"),
        language=read.choice("language", LANGUAGES),
        void_reason=read.optional_text("void_reason"),
    )


def reply_from_row(row: sqlite3.Row, path: Path) -> Reply:
    read = RowReader(path, f"reply {row['id']} (to letter {row['letter_id']})", row)
    return Reply(
        id=read.number("id"),
        letter_id=read.number("letter_id"),
        recorded_at=read.text("recorded_at"),
        reply_date=read.date("reply_date"),
        outcome=read.choice("outcome", OUTCOMES),
        reasons=read.optional_choice("reasons", REASONS),
        note=read.optional_text("note"),
        answers_through=read.number("answers_through"),
    )


def encode_entry(entry: LetterEntry, recorded_at: str) -> tuple[object, ...]:
    """The values of an INSERT INTO letters (recorded_at, then ``LETTER_COLUMNS`` after id)."""
    return (recorded_at, entry.kind, entry.letter_date.isoformat(), entry.reply_by.isoformat(),
            entry.case_reference, json.dumps(list(entry.children), ensure_ascii=False),
            entry.recipient_organisation, json.dumps(list(entry.grounds)), entry.output_path,
            entry.sha256, entry.jurisdiction, entry.follows, entry.case_data,
            entry.charity_case_id, entry.caseworker, entry.replaces, entry.language)
