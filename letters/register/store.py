"""The register: a record of every letter swletter writes and of the replies to them.

A register is one SQLite file (no server), created on first use with owner-only permissions
(``opening.py``). Its tables are append-only — triggers refuse any change or deletion: ``letters``
(one row per letter written: when, for which case, which grounds, the reply-by date, the output
file and its SHA-256, its kind, and the case it was written from), ``replies`` (one row per reply
recorded) and ``voids`` (letters marked void, with the reason). A reply entered wrongly is
corrected by recording the reply again: the latest one counts, and both stay. A letter written
by mistake is marked void: it stays on record, and every list leaves it out.

Recording is idempotent: a letter is keyed by its output path and SHA-256, so a batch that is
killed and run again records each letter exactly once. Writes run in ``BEGIN IMMEDIATE``
transactions in WAL mode, so several processes can record into one register without losing or
doubling a row. Every value read back is checked, and a damaged record is named
(``problems.py``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from letters.errors import RegisterError
from letters.register import opening
from letters.register.opening import SCHEMA_VERSION as SCHEMA_VERSION
from letters.register.opening import check_place, connect_to_read, connect_to_write
from letters.register.problems import sqlite_problem
from letters.register.records import (
    KINDS,
    OUTCOMES,
    REASONS,
    encode_entry,
    letter_from_row,
    reply_from_row,
)
from letters.register.records import LETTER_SELECT as _LETTER_SELECT
from letters.register.records import REPLY_COLUMNS as _REPLY_COLUMNS
from letters.register.records import LetterEntry as LetterEntry
from letters.register.records import RegisteredLetter as RegisteredLetter
from letters.register.records import Reply as Reply
from letters.register.records import RequestStatus as RequestStatus
from letters.register.records import entry_for_case as entry_for_case
from letters.register.records import entry_for_earlier_letter as entry_for_earlier_letter
from letters.register.records import sha256_file as sha256_file
from letters.register.statuses import request_statuses


class Register:
    """An open register. Use ``open_register(path)``, ideally as a context manager."""

    def __init__(self, path: Path, connection: sqlite3.Connection,
                 clock: Callable[[], dt.datetime]) -> None:
        self.path = path
        self._db = connection
        self._clock = clock

    # -- lifetime

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Register:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writing

    def record_letter(self, entry: LetterEntry) -> tuple[RegisteredLetter, bool]:
        """Record a letter written; returns it and whether it is new.

        The same output file with the same contents is recorded once however often this is
        called, so re-running an interrupted batch leaves no duplicates.
        """
        if entry.kind not in KINDS:
            raise ValueError(f"unknown letter kind {entry.kind!r}")
        with self._write() as db:
            cursor = db.execute(
                "INSERT INTO letters (recorded_at, kind, letter_date, reply_by, case_reference,"
                " children, recipient_organisation, grounds, output_path, sha256, jurisdiction,"
                " follows, case_data, charity_case_id, caseworker, replaces, language)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (output_path, sha256) DO NOTHING",
                encode_entry(entry, self._now()),
            )
            created = cursor.rowcount == 1
            row = db.execute(f"{_LETTER_SELECT} WHERE l.output_path = ? AND l.sha256 = ?",
                             (entry.output_path, entry.sha256)).fetchone()
        return letter_from_row(row, self.path), created

    def record_reply(self, letter_id: int, *, reply_date: dt.date, outcome: str,
                     reasons: str | None = None, note: str | None = None) -> Reply:
        """Record a reply to letter ``letter_id`` (or a correction of an earlier one).

        The reply answers that letter's whole request as it stands now: a reply that arrives
        after a chaser was sent answers the chaser too.
        """
        if outcome not in OUTCOMES:
            raise ValueError(f"unknown outcome {outcome!r}")
        if reasons is not None and reasons not in REASONS:
            raise ValueError(f"unknown reasons value {reasons!r}")
        with self._write() as db:
            letter = self._get_letter(letter_id)
            if reply_date < letter.letter_date:
                from letters.dates import long_date

                raise RegisterError(
                    f"the reply date {long_date(reply_date)} is before letter {letter_id}'s date "
                    f"({long_date(letter.letter_date)}). Check the date, written as "
                    f"{letter.letter_date.isoformat()}."
                )
            # Every letter written so far, of this request included, is answered by now.
            newest = self._read("SELECT MAX(id) FROM letters")[0][0]
            cursor = db.execute(
                "INSERT INTO replies (letter_id, recorded_at, reply_date, outcome, reasons, note,"
                " answers_through) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (letter_id, self._now(), reply_date.isoformat(), outcome, reasons, note, newest),
            )
            row = db.execute(f"SELECT {_REPLY_COLUMNS} FROM replies WHERE id = ?",
                             (cursor.lastrowid,)).fetchone()
        return reply_from_row(row, self.path)

    def void_letter(self, letter_id: int, reason: str) -> RegisteredLetter:
        """Mark letter ``letter_id`` void (it stays in the register; lists leave it out)."""
        if not reason.strip():
            raise ValueError("a letter is marked void with a reason")
        with self._write() as db:
            letter = self._get_letter(letter_id)
            if letter.void_reason is not None:
                raise RegisterError(f"letter {letter_id} in the register {self.path} is already "
                                    "void.")
            db.execute("INSERT INTO voids (letter_id, recorded_at, reason) VALUES (?, ?, ?)",
                       (letter_id, self._now(), reason))
            return self._get_letter(letter_id)

    # -- reading

    def letters(self) -> list[RegisteredLetter]:
        """Every letter recorded, oldest first (void ones too: see ``void_reason``)."""
        rows = self._read(f"{_LETTER_SELECT} ORDER BY l.id")
        return [letter_from_row(r, self.path) for r in rows]

    def replies(self) -> list[Reply]:
        """Every reply recorded, oldest first (corrections included)."""
        rows = self._read(f"SELECT {_REPLY_COLUMNS} FROM replies ORDER BY id")
        return [reply_from_row(r, self.path) for r in rows]

    def outputs(self) -> set[str]:
        """The (absolute) paths of every letter recorded."""
        return {row[0] for row in self._read("SELECT DISTINCT output_path FROM letters")}

    def request_at(self, output_path: str | os.PathLike[str]) -> RegisteredLetter | None:
        """The newest request letter written to ``output_path`` (made absolute), if any."""
        rows = self._read(f"{_LETTER_SELECT} WHERE l.kind = 'request' AND l.output_path = ?"
                          " ORDER BY l.id DESC LIMIT 1", (str(Path(output_path).resolve()),))
        return letter_from_row(rows[0], self.path) if rows else None

    def letter(self, letter_id: int) -> RegisteredLetter:
        """Letter number ``letter_id``; ``RegisterError`` naming the register if there is none."""
        return self._get_letter(letter_id)

    def find_request(self, *, children: Sequence[str], recipient_organisation: str,
                     case_reference: str | None) -> RegisteredLetter | None:
        """The newest request letter for this case (same children, organisation and reference)
        that is not void."""
        rows = self._read(
            f"{_LETTER_SELECT} WHERE l.kind = 'request' AND l.children = ?"
            " AND l.recipient_organisation = ? AND l.case_reference IS ? AND v.id IS NULL"
            " ORDER BY l.letter_date, l.id",
            (json.dumps(list(children), ensure_ascii=False), recipient_organisation,
             case_reference),
        )
        return letter_from_row(rows[-1], self.path) if rows else None

    def statuses(self, today: dt.date) -> list[RequestStatus]:
        """Every request with its follow-ups and its status on ``today``, oldest first
        (``statuses.py``: versions, void letters)."""
        return request_statuses(self.letters(), self.replies(), today, self.path)

    def request_status(self, request_id: int, today: dt.date) -> RequestStatus | None:
        """The status of one request (``None`` if it is not a listed request)."""
        for status in self.statuses(today):
            if status.request.id == request_id:
                return status
        return None

    # -- internals

    def _now(self) -> str:
        return self._clock().astimezone(dt.UTC).isoformat(timespec="seconds")

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: taken up front (IMMEDIATE), so writers queue, never clash."""
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as err:
            raise self._problem(err) from err
        try:
            yield self._db
        except sqlite3.Error as err:
            self._rollback()
            raise self._problem(err) from err
        except BaseException:
            self._rollback()
            raise
        try:
            self._db.execute("COMMIT")
        except sqlite3.Error as err:
            self._rollback()
            raise self._problem(err) from err

    def _rollback(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self._db.execute("ROLLBACK")

    def _problem(self, err: sqlite3.Error) -> RegisterError:
        return sqlite_problem(err, self.path, waited=opening.BUSY_TIMEOUT)

    def _read(self, sql: str, params: Sequence[object] = ()) -> list[sqlite3.Row]:
        try:
            return self._db.execute(sql, params).fetchall()
        except sqlite3.Error as err:
            raise self._problem(err) from err

    def _get_letter(self, letter_id: int) -> RegisteredLetter:
        rows = self._read(f"{_LETTER_SELECT} WHERE l.id = ?", (letter_id,))
        if not rows:
            raise RegisterError(
                f"there is no letter {letter_id} in the register {self.path}. "
                "`swletter register list` shows each request's number."
            )
        return letter_from_row(rows[0], self.path)


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def open_register(path: str | os.PathLike[str], *, create: bool = True, read_only: bool = False,
                  clock: Callable[[], dt.datetime] = _utc_now) -> Register:
    """Open the register at ``path``, creating it (owner-only) or upgrading it as needed.

    Opened to write, it is checked to be writable (not read-only, not held by another program)
    before anything else happens, so a command that writes a letter and records it finds out
    before the letter is written. With ``create=False`` a missing register is an error rather
    than a new empty file. ``read_only=True`` (for commands that only read it) writes nothing:
    a register the user may only read, or one another swletter is writing to, can be listed;
    only a register made by an earlier swletter is upgraded first, which needs it writable.
    ``clock`` stands in for the time of recording in tests.
    """
    target = Path(path)
    check_place(target, must_exist=read_only or not create)
    if read_only:
        db = connect_to_read(target)
        if db is not None:
            return Register(target, db, clock)
    return Register(target, connect_to_write(target), clock)
