"""What can go wrong with a register file, in words its owner can act on.

A register is an ordinary file: it can be read-only, sit on a read-only disk or in a folder the
user cannot write, be held by another swletter (or a database viewer) for a long time, or have
been edited by another program. SQLite reports each as an error code; ``sqlite_problem`` turns
the code into a ``RegisterError`` naming the register, and ``RowReader`` checks every value read
from a row, so a damaged record is named (which letter, which field) instead of ending as an
unexpected problem.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
from collections.abc import Collection

from letters.errors import RegisterError

_BUSY = (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
_READ_ONLY = (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM, sqlite3.SQLITE_AUTH)


def primary_code(err: sqlite3.Error) -> int | None:
    """SQLite's primary result code for ``err`` (``SQLITE_BUSY`` …), where it gives one."""
    code = getattr(err, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


def sqlite_problem(err: sqlite3.Error, path: os.PathLike[str] | str, *,
                   waited: float) -> RegisterError:
    """The ``RegisterError`` to raise for an SQLite error on the register at ``path``.

    ``waited`` is how long SQLite waited for a lock before giving up (the busy timeout).
    """
    code = primary_code(err)
    if code in _BUSY:
        return RegisterError(
            f"the register {path} is being used by another swletter (or another program that "
            f"has it open), and was still busy after {waited:g} seconds. Try again when it has "
            "finished."
        )
    if code in _READ_ONLY:
        return RegisterError(
            f"the register {path} cannot be written: the file, or the folder or disk it is on, "
            "is read-only. Make it writable, or give another --register file."
        )
    if code == sqlite3.SQLITE_CANTOPEN:
        return RegisterError(
            f"cannot open the register {path}. Check that you can read and write it and the "
            "folder it is in."
        )
    if code in (sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT):
        return RegisterError(
            f"{path} is not a swletter register, or it is damaged. Give the path of a register "
            "swletter made, or a new file name to start one."
        )
    if code == sqlite3.SQLITE_FULL:
        return RegisterError(f"could not save to the register {path}: the disk is full.")
    if code == sqlite3.SQLITE_IOERR:
        return RegisterError(f"could not read or write the register {path}: the disk reported "
                             "an error. Check the disk, or give another --register file.")
    return RegisterError(f"could not use the register {path} ({err}).")


class RowReader:
    """Reads one record's values, checking each is what swletter writes there.

    ``record`` names the record in messages ("letter 3", "reply 2 (to letter 1)").
    """

    def __init__(self, path: os.PathLike[str] | str, record: str, row: sqlite3.Row) -> None:
        self.path, self.record, self.row = path, record, row

    def damaged(self, field: str, what: str) -> RegisterError:
        return RegisterError(
            f"the register {self.path} has a damaged record: in {self.record}, {field} {what}. "
            "Was it changed with another program? Put it back as swletter wrote it, or use a "
            "backup copy of the register."
        )

    def number(self, field: str) -> int:
        value = self.row[field]
        if not isinstance(value, int):
            raise self.damaged(field, "is not a whole number")
        return value

    def optional_number(self, field: str) -> int | None:
        return None if self.row[field] is None else self.number(field)

    def text(self, field: str) -> str:
        value = self.row[field]
        if not isinstance(value, str):
            raise self.damaged(field, "is not text")
        return value

    def optional_text(self, field: str) -> str | None:
        return None if self.row[field] is None else self.text(field)

    def choice(self, field: str, choices: Collection[str]) -> str:
        value = self.text(field)
        if value not in choices:
            raise self.damaged(field, f"is {value[:40]!r}, not one of: {', '.join(choices)}")
        return value

    def optional_choice(self, field: str, choices: Collection[str]) -> str | None:
        return None if self.row[field] is None else self.choice(field, choices)

    def date(self, field: str) -> dt.date:
        value = self.row[field]
        try:
            return dt.date.fromisoformat(value)
        except (TypeError, ValueError):
            shown = repr(value[:40]) if isinstance(value, str) else "not text"
            raise self.damaged(field, f"is {shown}, not a date such as 2026-11-23") from None

    def names(self, field: str) -> tuple[str, ...]:
        """A JSON list of text, as swletter stores children and grounds. (The value is not
        shown: it may hold children's names.)"""
        try:
            value = json.loads(self.row[field])
        except (TypeError, ValueError):
            value = None
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.damaged(field, 'is not a list as swletter writes it (["Sam Doe"])')
        return tuple(value)
