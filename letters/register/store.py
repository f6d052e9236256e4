"""The register: a record of every letter swletter writes and of the replies to them.

A register is one SQLite file (no server), created on first use with owner-only permissions. It
holds two append-only tables: ``letters`` (one row per letter written: when, for which case, which
grounds, the reply-by date, the output file and its SHA-256, and its kind) and ``replies`` (one
row per reply recorded). Nothing is ever updated or deleted — triggers refuse it — so a reply
entered wrongly is corrected by recording the reply again: the latest one counts, and both stay.

Recording is idempotent: a letter is keyed by its output path and SHA-256, so a batch that is
killed and run again records each letter exactly once. Writes run in ``BEGIN IMMEDIATE``
transactions in WAL mode, so several processes can record into one register without losing or
doubling a row.

Opening a register to write checks that it can be written (not read-only, not held by another
program for more than ``BUSY_TIMEOUT`` seconds) before a letter is; commands that only read open
it read-only (SQLite's ``mode=ro``), so they work on a register the user may only read. Every
value read back is checked, and a damaged record is named (``register_problems.py``).

The schema is versioned with ``PRAGMA user_version`` and upgraded by ordered migrations when an
older register is opened, so a later release can always read an earlier register.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from letters.errors import RegisterError
from letters.register.problems import RowReader, primary_code, sqlite_problem

if TYPE_CHECKING:
    from letters.case.model import Case

#: ``PRAGMA application_id``: marks an SQLite file as a swletter register ("SWLR").
APPLICATION_ID = 0x53574C52

KINDS = ("request", "chaser", "reasons", "complaint")
#: The languages a letter can be written in (``letters.compose.language.CHOICES``).
LANGUAGES = ("en", "cy", "cy+en")
OUTCOMES = ("granted", "refused", "partial")
REASONS = ("given", "not-given")

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

_APPEND_ONLY = "the register keeps every record: nothing is changed or deleted"

# Each migration takes the register from version N-1 to N. Never edit a released migration:
# add a new one, so a register made by any earlier release can be opened.
MIGRATIONS: tuple[str, ...] = (
    # 1: letters and replies.
    f"""
    PRAGMA application_id = {APPLICATION_ID};
    CREATE TABLE letters (
        id INTEGER PRIMARY KEY,
        recorded_at TEXT NOT NULL,
        kind TEXT NOT NULL,
        letter_date TEXT NOT NULL,
        reply_by TEXT NOT NULL,
        case_reference TEXT,
        children TEXT NOT NULL,
        recipient_organisation TEXT NOT NULL,
        grounds TEXT NOT NULL,
        output_path TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        UNIQUE (output_path, sha256)
    );
    CREATE TABLE replies (
        id INTEGER PRIMARY KEY,
        letter_id INTEGER NOT NULL REFERENCES letters(id),
        recorded_at TEXT NOT NULL,
        reply_date TEXT NOT NULL,
        outcome TEXT NOT NULL,
        reasons TEXT,
        note TEXT
    );
    """,
    # 2: follow-up letters point at the request they follow; each letter keeps its part of the
    # UK (bank holidays, complaints route); a reply says up to which letter it answers; and the
    # tables become append-only.
    f"""
    ALTER TABLE letters ADD COLUMN jurisdiction TEXT NOT NULL DEFAULT 'england';
    ALTER TABLE letters ADD COLUMN follows INTEGER REFERENCES letters(id);
    ALTER TABLE replies ADD COLUMN answers_through INTEGER;
    UPDATE replies SET answers_through = letter_id;
    CREATE INDEX letters_follows ON letters(follows);
    CREATE INDEX replies_letter ON replies(letter_id);
    CREATE TRIGGER letters_no_update BEFORE UPDATE ON letters
        BEGIN SELECT RAISE(ABORT, '{_APPEND_ONLY}'); END;
    CREATE TRIGGER letters_no_delete BEFORE DELETE ON letters
        BEGIN SELECT RAISE(ABORT, '{_APPEND_ONLY}'); END;
    CREATE TRIGGER replies_no_update BEFORE UPDATE ON replies
        BEGIN SELECT RAISE(ABORT, '{_APPEND_ONLY}'); END;
    CREATE TRIGGER replies_no_delete BEFORE DELETE ON replies
        BEGIN SELECT RAISE(ABORT, '{_APPEND_ONLY}'); END;
    """,
    # 3: each letter keeps the language it was written in (en, cy, cy+en): the family's
    # language choice, which their follow-ups keep (the Welsh Language Standards ask a council
    # to record it; the family's own record says what they chose).
    """
    ALTER TABLE letters ADD COLUMN language TEXT NOT NULL DEFAULT 'en';
    """,
)

#: The schema version this swletter writes.
SCHEMA_VERSION = len(MIGRATIONS)

#: How long to wait for another process holding the register (seconds) before saying so. Each
#: swletter holds it for a moment per letter, so a longer wait means something else has it.
BUSY_TIMEOUT = 5.0


# --------------------------------------------------------------------------------------------
# Records


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
    #: The language the letter was written in: ``en``, ``cy`` or ``cy+en``.
    language: str = "en"


@dataclass(frozen=True)
class RegisteredLetter(LetterEntry):
    """A letter as stored: its entry plus its number in the register and when it was recorded."""

    id: int = 0
    recorded_at: str = ""


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
                   data: bytes | None = None) -> LetterEntry:
    """The register entry for a letter about ``case`` that has just been written to a file.

    The path is stored absolute, and the hash is of the bytes written (``data``, or the file
    when they are not given), so the entry proves later exactly which letter went out.
    """
    path = Path(output_path).resolve()
    try:
        digest = hashlib.sha256(data).hexdigest() if data is not None else sha256_file(path)
    except OSError as err:
        raise RegisterError(f"cannot read {path} to record it: {err.strerror}.") from err
    return LetterEntry(
        kind=kind,
        letter_date=letter_date,
        reply_by=reply_by,
        children=tuple(c.name for c in case.children),
        recipient_organisation=case.recipient.organisation,
        grounds=tuple(case.grounds),
        output_path=str(path),
        sha256=digest,
        case_reference=case.case_reference,
        jurisdiction=case.jurisdiction,
        follows=follows,
        language=case.language or "en",
    )


def entry_for_earlier_letter(case: Case, output_path: str | os.PathLike[str]) -> LetterEntry:
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
                          output_path=path)


def status_for(letters: Sequence[RegisteredLetter], replies: Sequence[Reply],
               today: dt.date) -> tuple[str, Reply | None]:
    """Where a request stands on ``today``, from its letters (oldest first) and replies.

    The newest reply that answers the newest letter decides the outcome; without one, the
    newest letter is awaiting its reply, overdue once its reply-by date has passed.
    """
    latest = letters[-1]
    answering = [r for r in replies if r.answers_through >= latest.id]
    if answering:
        reply = max(answering, key=lambda r: r.id)
        if reply.outcome == "granted":
            return GRANTED, reply
        if reply.outcome == "partial":
            return PARTLY_GRANTED, reply
        if reply.reasons == "not-given":
            return REFUSED_WITHOUT_REASONS, reply
        return REFUSED, reply
    late = today > latest.reply_by
    if latest.kind == "complaint":
        return (COMPLAINT_OVERDUE if late else COMPLAINT_OPEN), _newest(replies)
    return (OVERDUE if late else AWAITING), _newest(replies)


def _newest(replies: Sequence[Reply]) -> Reply | None:
    return max(replies, key=lambda r: r.id) if replies else None


# --------------------------------------------------------------------------------------------
# The register


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
                " follows, language) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (output_path, sha256) DO NOTHING",
                (self._now(), entry.kind, entry.letter_date.isoformat(),
                 entry.reply_by.isoformat(), entry.case_reference,
                 json.dumps(list(entry.children), ensure_ascii=False),
                 entry.recipient_organisation,
                 json.dumps(list(entry.grounds)), entry.output_path, entry.sha256,
                 entry.jurisdiction, entry.follows, entry.language),
            )
            created = cursor.rowcount == 1
            row = db.execute(f"SELECT {_LETTER_COLUMNS} FROM letters"
                             " WHERE output_path = ? AND sha256 = ?",
                             (entry.output_path, entry.sha256)).fetchone()
        return _letter(row, self.path), created

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
        return _reply(row, self.path)

    # -- reading

    def letters(self) -> list[RegisteredLetter]:
        """Every letter recorded, oldest first."""
        rows = self._read(f"SELECT {_LETTER_COLUMNS} FROM letters ORDER BY id")
        return [_letter(r, self.path) for r in rows]

    def replies(self) -> list[Reply]:
        """Every reply recorded, oldest first (corrections included)."""
        rows = self._read(f"SELECT {_REPLY_COLUMNS} FROM replies ORDER BY id")
        return [_reply(r, self.path) for r in rows]

    def has_output(self, output_path: str | os.PathLike[str]) -> bool:
        """Whether any letter written to ``output_path`` (made absolute) is recorded."""
        rows = self._read("SELECT 1 FROM letters WHERE output_path = ? LIMIT 1",
                          (str(Path(output_path).resolve()),))
        return bool(rows)

    def letter(self, letter_id: int) -> RegisteredLetter:
        """Letter number ``letter_id``; ``RegisterError`` naming the register if there is none."""
        return self._get_letter(letter_id)

    def find_request(self, *, children: Sequence[str], recipient_organisation: str,
                     case_reference: str | None) -> RegisteredLetter | None:
        """The newest request letter for this case (same children, organisation and reference)."""
        rows = self._read(
            f"SELECT {_LETTER_COLUMNS} FROM letters WHERE kind = 'request' AND children = ?"
            " AND recipient_organisation = ? AND case_reference IS ? ORDER BY letter_date, id",
            (json.dumps(list(children), ensure_ascii=False), recipient_organisation,
             case_reference),
        )
        return _letter(rows[-1], self.path) if rows else None

    def statuses(self, today: dt.date) -> list[RequestStatus]:
        """Every request with its follow-ups and its status on ``today``, oldest first.

        A request whose file was later written again (``--force``) is shown once, as its newest
        version; the older row stays in the register.
        """
        letters = self.letters()
        replies = self.replies()
        by_id = {x.id: x for x in letters}
        for stray in (r for r in replies if r.letter_id not in by_id):
            raise RegisterError(
                f"the register {self.path} has a damaged record: reply {stray.id} is to letter "
                f"{stray.letter_id}, which is not in the register. Was it changed with another "
                "program? Use a backup copy of the register."
            )
        newest_at_path: dict[str, int] = {}
        for letter in letters:
            if letter.kind == "request":
                newest_at_path[letter.output_path] = letter.id
        # Each request stands for itself, or for the newest request written to the same file.
        current = {x.id: newest_at_path[x.output_path] for x in letters if x.kind == "request"}

        def request_of(letter_id: int) -> int:
            # A follow-up belongs to the request it follows; one whose first letter is not in
            # the register (written by hand, say) stands as a request of its own.
            head = by_id[letter_id].follows or letter_id
            return current.get(head, head) if head in by_id else letter_id

        by_request: dict[int, list[RegisteredLetter]] = {}
        for letter in letters:
            if letter.kind == "request" and current[letter.id] != letter.id:
                continue  # an older version of a request whose file was written again
            by_request.setdefault(request_of(letter.id), []).append(letter)
        out = []
        for request_id, chain in by_request.items():
            chain_replies = [r for r in replies if request_of(r.letter_id) == request_id]
            status, reply = status_for(chain, chain_replies, today)
            out.append(RequestStatus(by_id[request_id], tuple(chain), reply, status))
        return out

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
        return sqlite_problem(err, self.path, waited=BUSY_TIMEOUT)

    def _read(self, sql: str, params: Sequence[object] = ()) -> list[sqlite3.Row]:
        try:
            return self._db.execute(sql, params).fetchall()
        except sqlite3.Error as err:
            raise self._problem(err) from err

    def _get_letter(self, letter_id: int) -> RegisteredLetter:
        rows = self._read(f"SELECT {_LETTER_COLUMNS} FROM letters WHERE id = ?", (letter_id,))
        if not rows:
            raise RegisterError(
                f"there is no letter {letter_id} in the register {self.path}. "
                "`swletter register list` shows each request's number."
            )
        return _letter(rows[0], self.path)


_LETTER_COLUMNS = ("id, recorded_at, kind, letter_date, reply_by, case_reference, children,"
                   " recipient_organisation, grounds, output_path, sha256, jurisdiction, follows,"
                   " language")
_REPLY_COLUMNS = ("id, letter_id, recorded_at, reply_date, outcome, reasons, note,"
                  " answers_through")


def _letter(row: sqlite3.Row, path: Path) -> RegisteredLetter:
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
        language=read.choice("language", LANGUAGES),
    )


def _reply(row: sqlite3.Row, path: Path) -> Reply:
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


# --------------------------------------------------------------------------------------------
# Opening


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
    folder = target.parent if str(target.parent) else Path(".")
    if target.is_dir():
        raise RegisterError(f"{target} is a folder; give a file name for the register, "
                            "such as letters.sqlite.")
    if (read_only or not create) and not target.exists():
        raise RegisterError(
            f"the register {target} does not exist yet. It is made when a letter is first "
            f"written with it, as in: swletter render CASE --register {target}"
        )
    if folder.exists() and not folder.is_dir():
        raise RegisterError(f"{folder} is a file, so it cannot hold the register {target}. "
                            "Give another --register path.")
    if not folder.is_dir():
        raise RegisterError(f"the folder {folder} for the register does not exist. Create it "
                            "first, or give another --register path.")
    if read_only:
        db = _connect_read_only(target)
        try:
            version = _check_register(db, target)
        except BaseException:
            db.close()
            raise
        if version == SCHEMA_VERSION:
            return Register(target, db, clock)
        db.close()  # made by an earlier swletter: upgrade it below
    _create_owner_only(target)
    try:
        db = sqlite3.connect(target, timeout=BUSY_TIMEOUT, isolation_level=None)
    except sqlite3.Error as err:
        raise sqlite_problem(err, target, waited=BUSY_TIMEOUT) from err
    db.row_factory = sqlite3.Row
    try:
        db.execute("PRAGMA foreign_keys = ON")
        db.execute("PRAGMA journal_mode = WAL")
        # In WAL mode NORMAL never corrupts the register; a power cut may lose the last few
        # records, which the next run of a batch records again (recording is idempotent).
        db.execute("PRAGMA synchronous = NORMAL")
        _migrate(db, target)
    except sqlite3.Error as err:
        db.close()
        raise sqlite_problem(err, target, waited=BUSY_TIMEOUT) from err
    except BaseException:
        db.close()
        raise
    return Register(target, db, clock)


def _connect_read_only(target: Path) -> sqlite3.Connection:
    """A connection that cannot write to the register (SQLite's ``mode=ro``).

    SQLite reads a register in WAL mode through files beside it (-wal, -shm), which it must be
    able to create. In a folder the user cannot write, a register with no unsaved changes
    waiting in a -wal file is read as it stands (``immutable``): no one can be writing to it
    there, for a writer would need those files too.
    """
    uri = target.resolve().as_uri()
    wal = target.with_name(target.name + "-wal")
    pending = wal.exists() and wal.stat().st_size > 0
    for query in ("?mode=ro", "?mode=ro&immutable=1"):
        db = None
        try:
            db = sqlite3.connect(uri + query, uri=True, timeout=BUSY_TIMEOUT,
                                 isolation_level=None)
            db.row_factory = sqlite3.Row
            db.execute("SELECT count(*) FROM sqlite_master").fetchone()
            return db
        except sqlite3.Error as err:
            if db is not None:
                db.close()
            code = primary_code(err)
            if query.endswith("immutable=1") or code not in (sqlite3.SQLITE_READONLY,
                                                               sqlite3.SQLITE_CANTOPEN):
                raise sqlite_problem(err, target, waited=BUSY_TIMEOUT) from err
            if pending:
                raise RegisterError(
                    f"cannot read the register {target}: it has changes not yet saved into it "
                    f"(in {wal.name}), and SQLite cannot finish saving them because the folder "
                    "is read-only. Open it once where it can be written, or copy the folder "
                    "somewhere you can write."
                ) from err
    raise AssertionError("unreachable")  # pragma: no cover


def _create_owner_only(target: Path) -> None:
    """Create an empty register file readable only by its owner, if there is none yet.

    SQLite gives its -wal and -shm files the database file's permissions, so they stay
    owner-only too.
    """
    try:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    except OSError as err:
        raise RegisterError(f"cannot create the register {target}: {err.strerror}.") from err
    os.close(fd)


def _check_register(db: sqlite3.Connection, target: Path) -> int:
    """The register's schema version, after checking it is a register this swletter reads."""
    try:
        version: int = db.execute("PRAGMA user_version").fetchone()[0]
        app_id = db.execute("PRAGMA application_id").fetchone()[0]
        tables = db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    except sqlite3.Error as err:
        raise sqlite_problem(err, target, waited=BUSY_TIMEOUT) from err
    if (version == 0 and tables) or (version > 0 and app_id != APPLICATION_ID):
        raise RegisterError(
            f"{target} is an SQLite file but not a swletter register. Give the path of a "
            "register swletter made, or a new file name to start one."
        )
    if version > SCHEMA_VERSION:
        raise RegisterError(
            f"{target} was written by a newer swletter (register version {version}; this "
            f"swletter reads up to version {SCHEMA_VERSION}). Upgrade swletter to use it."
        )
    return version


def _migrate(db: sqlite3.Connection, target: Path) -> None:
    """Bring the register up to ``SCHEMA_VERSION`` in one transaction, after proving that it
    can be written: a read-only register is found out here, before any letter is written."""
    db.execute("BEGIN IMMEDIATE")  # waits up to BUSY_TIMEOUT for another writer
    try:
        version = _check_register(db, target)
        db.execute(f"PRAGMA user_version = {version}")  # a write: fails if the file cannot be
        for number in range(version + 1, SCHEMA_VERSION + 1):
            for statement in _statements(MIGRATIONS[number - 1]):
                db.execute(statement)
            db.execute(f"PRAGMA user_version = {number}")
    except BaseException:
        with contextlib.suppress(sqlite3.Error):
            db.execute("ROLLBACK")
        raise
    db.execute("COMMIT" if version < SCHEMA_VERSION else "ROLLBACK")


def _statements(script: str) -> Iterator[str]:
    """Split a migration into statements (``executescript`` would commit our transaction)."""
    buffer = ""
    for line in script.strip().splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                yield buffer.strip()
            buffer = ""
    if buffer.strip():
        raise ValueError(f"incomplete statement in a migration: {buffer.strip()[:60]}")
