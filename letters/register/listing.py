"""The register's requests as a person asks for them: all, the overdue ones, one caseworker's;
and written to a file (a spreadsheet, a calendar) that is never written over unasked.
"""

from __future__ import annotations

import datetime as dt
import os
import stat
from collections.abc import Sequence
from pathlib import Path

from letters.case.model import clean_text
from letters.errors import OutputError
from letters.output import shown_path, write_atomic
from letters.register.records import RegisteredLetter, RequestStatus
from letters.register.store import open_register


def list_requests(register: str | os.PathLike[str], *, today: dt.date, overdue: bool = False,
                  caseworker: str | None = None) -> list[RequestStatus]:
    """Every request in the register with its status on ``today``; only the overdue ones, and
    only ``caseworker``'s (case and spacing do not matter), when asked."""
    with open_register(register, read_only=True) as reg:
        statuses = reg.statuses(today)
    if overdue:
        statuses = [s for s in statuses if s.is_overdue]
    if caseworker is not None:
        wanted = _folded(caseworker)
        statuses = [s for s in statuses if _folded(s.request.caseworker or "") == wanted]
    return statuses


def _folded(name: str) -> str:
    return clean_text(name).casefold()


def void_letter(register: str | os.PathLike[str], letter_id: int, reason: str,
                today: dt.date) -> tuple[RegisteredLetter, RequestStatus | None]:
    """Mark letter ``letter_id`` void; the letter, and where its request now stands (None when
    the request itself was void)."""
    with open_register(register, create=False) as reg:
        letter = reg.void_letter(letter_id, clean_text(reason))
        head = letter.follows or letter.id
        return letter, next((s for s in reg.statuses(today)
                             if head in {x.id for x in (s.request, *s.letters)}), None)


def write_register_file(path: str | os.PathLike[str], data: bytes, *,
                        force: bool = False) -> Path:
    """Write an export or a calendar to ``path``: owner-only, atomically, never over an
    existing file without ``force``."""
    target = Path(path)
    try:
        info: os.stat_result | None = target.lstat()
    except OSError:
        info = None
    if info is not None and stat.S_ISREG(info.st_mode) and not force:
        raise OutputError(f"{shown_path(target)} already exists. Use --force to replace it, or "
                          "give another file name.")
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(f"the folder {shown_path(folder)} does not exist. Create it first, or "
                          "give another file name.")
    return write_atomic(target, data, force=force)


def open_statuses(statuses: Sequence[RequestStatus]) -> list[RequestStatus]:
    """The requests still awaiting a reply (each gets a calendar reminder)."""
    return [s for s in statuses if s.is_open]
