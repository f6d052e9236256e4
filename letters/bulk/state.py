"""What a bulk run remembers of each case's letter, in ``DIR/.swletter/letters.jsonl``: the
fingerprint of what the letter was made from, its file, its reply-by date and what the report
said about it.

A later run compares each case's fingerprint with the one remembered: the same, and the letter
is already done (the report still describes it: reply-by date, warnings, advice); different,
and the letter is written again. Nothing is remembered by file name, so an edit takes whatever
it changed, and a letter whose name changed replaces its own earlier letter.

The file is a journal: a run adds one line per letter as it goes (so a killed run loses at most
the letters of its last moments, which the next run checks against the files themselves), and
rewrites it whole, one line per case, when it finishes. It holds personal data (the letters'
file names carry the children's names) and is owner-only, like the letters.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO

from letters.bulk.folder import state_folder
from letters.errors import OutputError
from letters.files import FileMissingError, FileReadError, read_regular_file
from letters.output import FILE_MODE, shown_path, write_atomic

STATE_FILE = "letters.jsonl"
#: Far more than 10,000 cases need (about half a kilobyte each).
MAX_STATE_BYTES = 256 * 1024 * 1024
_FORMAT = {"swletter-bulk-state": 1}


@dataclass(frozen=True)
class Remembered:
    """One case's letter as a run left it."""

    fingerprint: str
    output: str  # the file name in the output folder
    reply_by: str = ""  # ISO date
    warnings: tuple[str, ...] = ()
    advice: tuple[str, ...] = ()
    faults: int = 0  # how many of the advice are warnings (not notes)


def _from_line(line: str) -> tuple[str, Remembered] | None:
    try:
        data = json.loads(line)
        entry = Remembered(
            fingerprint=str(data["fingerprint"]), output=str(data["output"]),
            reply_by=str(data.get("reply_by") or ""),
            warnings=tuple(str(w) for w in data.get("warnings", ())),
            advice=tuple(str(a) for a in data.get("advice", ())),
            faults=int(data.get("faults", 0)))
        return str(data["key"]), entry
    except (ValueError, KeyError, TypeError):
        return None  # a line cut short by a killed run, or not ours: as if never written


def _to_line(key: str, entry: Remembered) -> str:
    return json.dumps({"key": key, **asdict(entry)}, ensure_ascii=False) + "\n"


class State:
    """The remembered letters of one output folder, open for this run (which holds the lock)."""

    def __init__(self, out_dir: Path) -> None:
        self.path = state_folder(out_dir) / STATE_FILE
        self.entries: dict[str, Remembered] = self._read()
        self._journal: IO[str] | None = None
        #: Set when the file cannot be written (a full disk): the letters still are, and the
        #: next run, remembering less, compares them with what they should be.
        self.unwritable = False

    def _read(self) -> dict[str, Remembered]:
        try:
            text = read_regular_file(self.path, MAX_STATE_BYTES).decode("utf-8", "replace")
        except FileMissingError:
            return {}
        except FileReadError as err:
            raise OutputError(f"cannot read {shown_path(self.path)}: {err.reason} Delete it "
                              "(the letters are kept; the next run compares them).") from None
        entries = {}
        for line in text.splitlines():
            found = _from_line(line)
            if found is not None:
                entries[found[0]] = found[1]
        return entries

    def get(self, key: str) -> Remembered | None:
        return self.entries.get(key)

    def remember(self, key: str, entry: Remembered) -> None:
        """Note ``entry`` for the case ``key`` now, in the journal."""
        self.entries[key] = entry
        if self.unwritable:
            return
        try:
            if self._journal is None:
                fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT |
                             getattr(os, "O_NOFOLLOW", 0), FILE_MODE)
                self._journal = os.fdopen(fd, "a", encoding="utf-8")
            self._journal.write(_to_line(key, entry))
            self._journal.flush()
        except OSError:
            self.unwritable = True

    def save(self) -> None:
        """Rewrite the file whole, one line per case (the journal's repeats dropped)."""
        self.close()
        lines: Iterable[str] = (_to_line(k, e) for k, e in self.entries.items())
        data = (json.dumps(_FORMAT) + "\n" + "".join(lines)).encode("utf-8")
        try:
            write_atomic(self.path, data, force=True)
        except OutputError:
            self.unwritable = True  # what the journal holds is kept

    def close(self) -> None:
        if self._journal is not None:
            with contextlib.suppress(OSError):
                self._journal.close()
            self._journal = None
