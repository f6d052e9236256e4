"""Opening a register file: created owner-only on first use, checked to be a swletter register,
and upgraded by ordered migrations when an earlier swletter made it.

The schema is versioned with ``PRAGMA user_version``; each migration takes it from version N-1
to N, so a later release can always read an earlier register. Opened to write, a register is
proved writable (not read-only, not held by another program for more than ``BUSY_TIMEOUT``
seconds) before anything else happens; opened to read, nothing is written (SQLite's
``mode=ro``), so a register the user may only read can still be listed.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from letters.errors import RegisterError
from letters.register.problems import primary_code, sqlite_problem

#: ``PRAGMA application_id``: marks an SQLite file as a swletter register ("SWLR").
APPLICATION_ID = 0x53574C52

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
    # 3: each letter keeps the case it was written from (for follow-ups written from the
    # register), the charity's own case id and caseworker, and the request it replaces (a
    # changed case written again); a letter can be marked void, with a reason, never deleted.
    f"""
    ALTER TABLE letters ADD COLUMN case_data TEXT;
    ALTER TABLE letters ADD COLUMN charity_case_id TEXT;
    ALTER TABLE letters ADD COLUMN caseworker TEXT;
    ALTER TABLE letters ADD COLUMN replaces INTEGER REFERENCES letters(id);
    CREATE INDEX letters_output ON letters(output_path);
    CREATE TABLE voids (
        id INTEGER PRIMARY KEY,
        letter_id INTEGER NOT NULL UNIQUE REFERENCES letters(id),
        recorded_at TEXT NOT NULL,
        reason TEXT NOT NULL
    );
    CREATE TRIGGER voids_no_update BEFORE UPDATE ON voids
        BEGIN SELECT RAISE(ABORT, '{_APPEND_ONLY}'); END;
    CREATE TRIGGER voids_no_delete BEFORE DELETE ON voids
        BEGIN SELECT RAISE(ABORT, '{_APPEND_ONLY}'); END;
    """,
    # 4: each letter keeps the language it was written in (en, cy, cy+en): the family's
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


def check_place(target: Path, *, must_exist: bool) -> None:
    """Say plainly when ``target`` cannot be a register: a folder, a missing file or folder."""
    folder = target.parent if str(target.parent) else Path(".")
    if target.is_dir():
        raise RegisterError(f"{target} is a folder; give a file name for the register, "
                            "such as letters.sqlite.")
    if must_exist and not target.exists():
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


def connect_to_read(target: Path) -> sqlite3.Connection | None:
    """A connection that cannot write to the register, or None when the register was made by
    an earlier swletter and must be upgraded (opened to write) first."""
    db = _connect_read_only(target)
    try:
        version = check_register(db, target)
    except BaseException:
        db.close()
        raise
    if version == SCHEMA_VERSION:
        return db
    db.close()
    return None


def connect_to_write(target: Path) -> sqlite3.Connection:
    """A connection to the register at ``target``, created (owner-only) and upgraded as
    needed, after proving it can be written."""
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
    return db


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


def check_register(db: sqlite3.Connection, target: Path) -> int:
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
        version = check_register(db, target)
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
