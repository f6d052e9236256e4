"""The fingerprint of what a letter is made from: its case, and the settings that shape it.

Two runs give a case the same fingerprint exactly when they would write the same letter: the
case data (a workbook row's values, or a case file's bytes), the defaults a settings file fills
in, and the settings that shape the letter — the format, the templates folder's files, the
letterhead's bytes and whether the document properties name the sender. A bulk run writes a
case's letter again when its fingerprint changed, and only then.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from letters.case.reading import MAX_CASE_BYTES
from letters.files import FileReadError, read_regular_file

if TYPE_CHECKING:
    from letters.bulk.plan import Job
    from letters.config import CaseDefaults

#: A template folder's files larger than this are not templates: hashed by size and date.
_LARGE = 32 * 1024 * 1024


@dataclass(frozen=True)
class LetterSettings:
    """The settings that shape every letter of a run."""

    fmt: str
    template_dirs: tuple[str, ...] = ()
    reference_docx: str | None = None
    case_defaults: CaseDefaults | None = None
    author_in_metadata: bool = True
    language: str | None = None
    default_language: str | None = None


def settings_fingerprint(settings: LetterSettings) -> str:
    """One hash of everything in ``settings`` that can change a letter."""
    digest = hashlib.sha256()
    defaults = settings.case_defaults
    digest.update(_canonical({
        "fmt": settings.fmt, "author_in_metadata": settings.author_in_metadata,
        "language": settings.language, "default_language": settings.default_language,
        "sender": dict(defaults.sender or {}) if defaults else None,
        "days": defaults.response_within_working_days if defaults else None,
    }))
    for folder in settings.template_dirs:
        _add_folder(digest, Path(folder))
    if settings.reference_docx:
        _add_file(digest, Path(settings.reference_docx))
    return digest.hexdigest()


def job_fingerprint(job: Job, settings_hash: str) -> str | None:
    """The fingerprint of ``job``'s letter, or None when its case file cannot be read (the
    job is then always done, and fails with the reason)."""
    digest = hashlib.sha256(settings_hash.encode("ascii"))
    if job.sheet_case is not None:
        digest.update(_canonical(job.sheet_case.data))
    else:
        try:
            digest.update(read_regular_file(job.case_file, MAX_CASE_BYTES))
        except FileReadError:
            return None
    return digest.hexdigest()


def _canonical(data: Any) -> bytes:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, default=_plain).encode("utf-8")


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple | set | frozenset):
        return sorted(value) if isinstance(value, set | frozenset) else list(value)
    return str(value)


def _add_folder(digest: Any, folder: Path) -> None:
    """Every file of a templates folder (the loader reads it flat), by name and contents."""
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        digest.update(b"\0unreadable folder\0")
        return
    for entry in entries:
        if entry.is_file():
            digest.update(entry.name.encode("utf-8", "replace") + b"\0")
            _add_file(digest, Path(entry.path))


def _add_file(digest: Any, path: Path) -> None:
    try:
        info = path.stat()
        if info.st_size > _LARGE:
            digest.update(f"{info.st_size}:{info.st_mtime_ns}".encode())
            return
        digest.update(path.read_bytes())
    except OSError:
        digest.update(b"\0unreadable\0")
    digest.update(b"\0")
