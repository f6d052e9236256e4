"""The outcome of a bulk run: one ``CaseResult`` per case, the ``BulkReport`` of the whole run,
and the report file (CSV, or JSON with the same rows) that describes every case as it now
stands — a letter written by an earlier run keeps its reply-by date, warnings and advice.

Report cells that a spreadsheet would run as a formula are neutralised (CSV injection).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import stat
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from letters.bulk.sheets import InputProblem
from letters.output import write_atomic

if TYPE_CHECKING:
    from letters.register.records import LetterEntry

WRITTEN, ALREADY_DONE, FAILED, NOT_DONE = "written", "already done", "failed", "not done"
#: Not written because its sheet's columns have a problem; and, in a check, ready to write.
HELD_BACK, READY = "held back", "ready"
#: The report's row for a problem with an input as a whole.
INPUT_PROBLEM = "input problem"

REPORT_HEADERS = ("case", "case_id", "status", "output", "reply_by", "problems", "warnings",
                  "advice", "previous")
#: The headers of reports written by earlier versions, still recognised as reports.
_OLD_HEADERS = (("case", "status", "output", "reply_by", "problems", "warnings"),)


@dataclass(frozen=True)
class LetterText:
    """A letter's words, kept for the combined file."""

    markdown: str
    title: str
    language: str = "en"


@dataclass(frozen=True)
class CaseResult:
    """The outcome for one case: small, so thousands of them cost little memory."""

    index: int
    label: str
    status: str
    output: str = ""
    problems: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    #: What `swletter check` says about the case (tone, readability, evidence), located.
    advice: tuple[str, ...] = ()
    #: How many of ``advice`` are warnings rather than notes.
    faults: int = 0
    reply_by: dt.date | None = None
    case_id: str = ""
    #: Where the case's earlier letter was kept, when this run wrote it again; and that
    #: letter's name, when it was not the name of the new one.
    previous: str = ""
    replaced: str = ""
    fingerprint: str = ""
    letter: LetterText | None = None  # only kept when the letters are also combined
    entry: LetterEntry | None = None  # what the register records, when asked to

    @property
    def ok(self) -> bool:
        return self.status not in (FAILED, NOT_DONE, HELD_BACK)

    @property
    def has_warnings(self) -> bool:
        return bool(self.warnings) or self.faults > 0

    def cells(self) -> dict[str, Any]:
        """The report's row: text, and lists for the many-line cells."""
        return {"case": self.label, "case_id": self.case_id, "status": self.status,
                "output": self.output,
                "reply_by": self.reply_by.isoformat() if self.reply_by else "",
                "problems": list(self.problems), "warnings": list(self.warnings),
                "advice": list(self.advice), "previous": self.previous}


@dataclass
class BulkReport:
    """Everything a bulk run (or a check of spreadsheets) found and did."""

    results: list[CaseResult] = field(default_factory=list)
    problems: list[InputProblem] = field(default_factory=list)
    dry_run: bool = False
    out_dir: Path | None = None
    elapsed: float = 0.0
    report_path: Path | None = None
    combined: Path | None = None
    combined_count: int = 0
    register: str | None = None
    recorded: int = 0
    #: The signal that stopped the run, or None; ``worker_stopped``: a worker process died.
    stopped_by: int | None = None
    worker_stopped: bool = False
    #: A stop signal that came while the report was being written (the run had finished).
    signal_after: int | None = None

    def count(self, *statuses: str) -> int:
        return sum(1 for r in self.results if r.status in statuses)

    @property
    def rewritten(self) -> int:
        return sum(1 for r in self.results if r.previous)

    @property
    def stopped(self) -> bool:
        return self.stopped_by is not None or self.worker_stopped

    @property
    def exit_status(self) -> int:
        """0 when every case is done and no input has a problem; 128 + the signal when
        stopped by one; else 1."""
        signum = self.stopped_by if self.stopped_by is not None else self.signal_after
        if signum is not None:
            return 128 + signum
        failed = self.count(FAILED, HELD_BACK, NOT_DONE) or self.problems
        return 1 if failed or self.worker_stopped else 0


# --------------------------------------------------------------------------------------------
# The report file

#: A spreadsheet program treats a cell starting with one of these as a formula.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(text: str) -> str:
    """A report cell that a spreadsheet shows as text, never runs as a formula (CSV injection).

    A leading apostrophe is what spreadsheet programs themselves use to mean "this is text".
    """
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def _problem_cells(problem: InputProblem) -> dict[str, Any]:
    return {"case": problem.source, "case_id": "", "status": INPUT_PROBLEM, "output": "",
            "reply_by": "", "problems": [problem.message], "warnings": [], "advice": [],
            "previous": ""}


def report_rows(report: BulkReport) -> list[dict[str, Any]]:
    """Every row of the report: the problems with the inputs first, then every case."""
    return [*(_problem_cells(p) for p in report.problems),
            *(r.cells() for r in sorted(report.results, key=lambda r: r.index))]


def report_csv(report: BulkReport) -> bytes:
    """The report as UTF-8 CSV (with a byte-order mark, so Excel reads the accents right)."""
    import csv

    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(REPORT_HEADERS)
    for row in report_rows(report):
        cells = ["\n".join(v) if isinstance(v, list) else v for v in
                 (row[h] for h in REPORT_HEADERS)]
        writer.writerow([neutralise_cell(cell) for cell in cells])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def report_json(report: BulkReport) -> bytes:
    """The report as JSON: the same rows as the CSV, and the run's totals."""
    data = {"summary": summary_data(report),
            "input_problems": [{"source": p.source, "message": p.message,
                                "holds_back": p.holds_back} for p in report.problems],
            "cases": [r.cells() for r in sorted(report.results, key=lambda r: r.index)]}
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def summary_data(report: BulkReport) -> dict[str, Any]:
    return {"cases": len(report.results), "written": report.count(WRITTEN),
            "rewritten": report.rewritten, "already_done": report.count(ALREADY_DONE),
            "failed": report.count(FAILED), "held_back": report.count(HELD_BACK),
            "not_done": report.count(NOT_DONE), "ready": report.count(READY),
            "input_problems": len(report.problems), "dry_run": report.dry_run}


def write_report(path: str | os.PathLike[str], report: BulkReport, *, fmt: str = "csv",
                 force: bool = False) -> Path:
    """Write the report atomically, owner-only.

    A previous report (recognised by its start) is replaced; any other existing file is only
    replaced with ``force``, so a mistyped ``--report`` cannot destroy a spreadsheet.
    """
    target = Path(path)
    data = report_json(report) if fmt == "json" else report_csv(report)
    return write_atomic(target, data, force=force or _is_report(target))


def _is_report(path: Path) -> bool:
    try:
        if not stat.S_ISREG(path.lstat().st_mode):
            return False  # a named pipe would never answer; writing will refuse it
        with path.open("rb") as fh:
            first = fh.readline(200).decode("utf-8", "replace").lstrip("\ufeff").strip()
    except OSError:
        return False
    headers = [",".join(h) for h in (REPORT_HEADERS, *_OLD_HEADERS)]
    return first in headers or (first == "{"  and _is_json_report(path))


def _is_json_report(path: Path) -> bool:
    try:
        data = json.loads(path.read_bytes()[: 64 * 1024 * 1024])
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and set(data) == {"summary", "input_problems", "cases"}


def with_unfinished(results: Sequence[CaseResult], jobs: Iterable[Any]) -> list[CaseResult]:
    """``results`` plus a "not done" row for every job an interrupted run did not reach."""
    done = {r.index for r in results}
    return [*results, *(CaseResult(j.index, j.label, NOT_DONE) for j in jobs
                        if j.index not in done)]
