"""What a person asks of a bulk run (``swletter bulk``'s options, as data), and what a run tells
its caller as it goes. Kept apart from the run itself so that naming a request costs nothing to
import.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from letters.config import Settings
from letters.errors import LettersError

if TYPE_CHECKING:
    from letters.bulk.sheets import InputProblem

#: Inputs read as spreadsheets rather than case files.
SHEET_SUFFIXES = (".csv", ".xlsx", ".xlsm")


class BulkOptionError(LettersError):
    """Raised when the options of a bulk run cannot go together; ``option`` names the one to
    change (the command line shows it as a usage error)."""

    def __init__(self, message: str, option: str) -> None:
        super().__init__(message)
        self.option = option


@dataclass(frozen=True)
class BulkRequest:
    """What a person asks of a bulk run (``swletter bulk``'s options, as data)."""

    inputs: tuple[str, ...]
    out_dir: str | None = None
    settings: Settings = dataclasses.field(default_factory=Settings)
    fmt: str | None = None  # the settings' format, else docx
    jobs: int = 1  # worker processes; 0: one per CPU core
    force: bool = False
    report: str | None = None  # default: DIR/bulk-report.csv (or .json)
    report_format: str = "csv"
    combined: str | None = None
    evidence_csv: str | None = None
    columns: str | None = None  # a column-mapping file
    register: str | None = None
    dry_run: bool = False
    today: dt.date | None = None
    #: ``--language``: wins over each case file's ``language:`` (see ``letters.api``).
    language: str | None = None

    @property
    def letter_format(self) -> str:
        from letters.writers import FORMATS

        fmt = self.fmt or self.settings.format
        return fmt if fmt in FORMATS else "docx"

    def has_sheets(self) -> bool:
        """Whether any input is a spreadsheet (reading a large one takes a while)."""
        return any(Path(i).suffix.lower() in SHEET_SUFFIXES for i in self.inputs)


@dataclass(frozen=True)
class Progress:
    """What a run tells its caller as it goes: ``stage`` is "reading" (the inputs are being
    read), "planned" (``total`` cases; ``problems`` with the inputs) or "done" (``done`` cases
    of ``total`` so far)."""

    stage: str
    done: int = 0
    total: int = 0
    problems: tuple[InputProblem, ...] = ()


OnProgress = Callable[[Progress], None]


