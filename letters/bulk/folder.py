"""The output folder of a bulk run: made owner-only, held by one run at a time, cleaned of the
partial copies a killed run left, and where a letter replaced by a newer one is kept.

- ``lock_folder`` takes an exclusive lock (``flock``) on a file inside the folder for the whole
  run. The kernel releases it however the run ends (even ``kill -9``), so a second run into the
  same folder is told plainly that another run is using it, and never a stale lock.
- ``keep_previous`` moves a case's earlier letter to ``previous/`` as a numbered version
  (``previous/letter-c014-mia-green.v1.docx``) when its case changed and the letter is written
  again: the folder holds one letter per case, and nothing written before is lost.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
from collections.abc import Iterator, Sequence
from pathlib import Path

from letters.errors import LettersError, OutputError
from letters.output import FILE_MODE, make_folder, shown_path, temporary_prefix

#: The folder, inside the output folder, where swletter keeps what it knows of the run.
STATE_FOLDER = ".swletter"
LOCK_FILE = "bulk.lock"
#: Where a case's earlier letters go when it is written again.
PREVIOUS_FOLDER = "previous"


class FolderInUseError(LettersError):
    """Raised when another ``swletter bulk`` run is writing into the same output folder."""


def ensure_out_dir(path: str | os.PathLike[str]) -> Path:
    """Create the output folder (owner-only) if needed; ``OutputError`` if that is impossible."""
    folder = Path(path)
    try:
        return make_folder(folder)
    except NotADirectoryError:
        raise OutputError(f"{shown_path(folder)} is a file, not a folder. Give --out a folder "
                          "name.") from None
    except OSError as err:
        raise OutputError(f"cannot create the folder {shown_path(folder)}: "
                          f"{err.strerror or err}.") from err


def state_folder(out_dir: Path) -> Path:
    """``DIR/.swletter``, made owner-only if it is not there yet."""
    try:
        return make_folder(out_dir / STATE_FOLDER)
    except OSError as err:
        raise OutputError(f"cannot create the folder {shown_path(out_dir / STATE_FOLDER)}: "
                          f"{err.strerror or err}.") from err


@contextlib.contextmanager
def lock_folder(out_dir: Path) -> Iterator[None]:
    """Hold the output folder for this run; ``FolderInUseError`` if another run holds it."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: no second-run protection
        yield
        return
    path = state_folder(out_dir) / LOCK_FILE
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), FILE_MODE)
    except OSError as err:
        raise OutputError(f"cannot use {shown_path(path)}: {err.strerror or err}.") from err
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise FolderInUseError(
                f"another swletter bulk run is writing letters into {shown_path(out_dir)} right "
                "now. Wait for it to finish (or stop it), then run this again; or give --out "
                "another folder.") from None
        yield
    finally:
        os.close(fd)  # closing the file releases the lock


def remove_stale_temporaries(out_dir: Path, names: Sequence[str]) -> int:
    """Delete the partial copies a killed run left behind for the letters called ``names``.

    ``write_atomic`` writes each letter to a hidden ``.NAME.XXXX.tmp`` beside it, then moves it
    into place; a process killed in between leaves that temporary file, which holds part of a
    letter (personal data) and would never be cleaned up. Returns how many were removed.
    """
    prefixes = tuple(temporary_prefix(name) for name in names if name)
    if not prefixes:
        return 0
    removed = 0
    for folder in (out_dir, out_dir / PREVIOUS_FOLDER):
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if (entry.name.startswith(prefixes) and entry.name.endswith(".tmp")
                    and entry.is_file(follow_symlinks=False)):
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(entry.path)
                    removed += 1
    return removed


def is_whole_letter(path: Path, fmt: str) -> bool:
    """Whether an existing letter is complete, not cut short by a crash before it reached disk.

    A .docx must end with the zip directory's end record, a .pdf with its end-of-file marker;
    any other letter must not be empty.
    """
    try:
        info = path.lstat()
        if not stat.S_ISREG(info.st_mode):
            return False  # not a letter at all: writing it will say so
        size = info.st_size
        if fmt == "pdf":
            with path.open("rb") as fh:
                fh.seek(max(0, size - 1024))
                return b"%%EOF" in fh.read()
        if fmt != "docx":
            return size > 0
        with path.open("rb") as fh:
            fh.seek(max(0, size - 22))
            return fh.read(4) == b"PK\x05\x06"
    except OSError:
        return False


def keep_previous(out_dir: Path, name: str, *, copy: bool = False) -> Path:
    """Move (or, with ``copy``, link) the letter ``name`` to the next free numbered version in
    ``previous/``; returns the version's path. ``OutputError`` if that cannot be done."""
    folder = out_dir / PREVIOUS_FOLDER
    source = out_dir / name
    try:
        make_folder(folder)
        target = _next_version(folder, name)
        if copy:
            os.link(source, target)  # refuses to replace a file that is already there
        else:
            os.rename(source, target)
    except OSError as err:
        raise OutputError(f"cannot keep the earlier letter {shown_path(source)} in "
                          f"{shown_path(folder)}: {err.strerror or err}.") from err
    return target


def _next_version(folder: Path, name: str) -> Path:
    stem, dot, suffix = name.rpartition(".")
    stem = stem if dot else name
    pattern = re.compile(re.escape(stem) + r"\.v(\d+)" + re.escape(dot + suffix if dot else ""))
    numbers = [int(m.group(1)) for entry in os.listdir(folder)
               if (m := pattern.fullmatch(entry))]
    return folder / f"{stem}.v{max(numbers, default=0) + 1}{dot}{suffix if dot else ''}"
