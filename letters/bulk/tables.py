"""Reading spreadsheets as tables: a CSV file, or the ``cases`` and ``evidence`` sheets of an
.xlsx workbook, each as its headers and rows of cells, exactly as they were typed.

Cell values are taken as the spreadsheet holds them (text, a number, a date); a formula is read
as its text, marked as a formula, and never calculated. Files are refused before they are
opened when they are far larger than a spreadsheet of cases (``MAX_SHEET_BYTES``), and a
workbook whose parts unpack to more than ``MAX_UNPACKED_SHEET_BYTES`` is refused before openpyxl
reads it (``workbook.py``).
"""

from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from letters.bulk.columns import CASES_SHEET, EVIDENCE_SHEET
from letters.errors import CaseError, Problem
from letters.files import FileReadError, FileTooLargeError, read_regular_file

#: Spreadsheets larger than this are refused before they are opened.
MAX_SHEET_BYTES = 50 * 1024 * 1024
#: An .xlsx workbook (a zip of XML files) whose parts add up to more than this unpacked is
#: refused before openpyxl reads it: a few kilobytes can unpack to gigabytes (a "zip bomb"),
#: and the sizes a zip declares are checked against what really comes out (workbook.py).
#: A workbook of 10,000 cases unpacks to a few tens of megabytes.
MAX_UNPACKED_SHEET_BYTES = 256 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Cell:
    """One cell: its value as the spreadsheet holds it, and whether it is a formula."""

    value: Any
    formula: bool = False


@dataclass(frozen=True)
class Table:
    """A sheet as read: its name as messages give it, headers, and rows with their numbers."""

    name: str
    headers: tuple[str, ...]
    rows: tuple[tuple[int, tuple[Cell, ...]], ...]


def _read_sheet(path: Path) -> bytes:
    """The bytes of a spreadsheet: an ordinary file of at most ``MAX_SHEET_BYTES``."""
    try:
        return read_regular_file(path, MAX_SHEET_BYTES)
    except FileTooLargeError as err:
        size = f"{err.size:,} bytes" if err.size is not None else \
            f"more than {MAX_SHEET_BYTES:,} bytes"
        raise CaseError([Problem(f"the file is {size}; a spreadsheet may be at most "
                                 f"{MAX_SHEET_BYTES:,} bytes. Split it into smaller files.")],
                        str(path)) from None
    except FileReadError as err:
        raise CaseError([Problem(err.reason)], str(path)) from None


def read_csv_table(path: str | os.PathLike[str]) -> Table:
    """A CSV file as a table named after the file. UTF-8, or Windows-1252 as Excel saves it."""
    p = Path(path)
    raw = _read_sheet(p)
    if b"\x00" in raw:
        raise CaseError([Problem("this is not a CSV text file. In your spreadsheet program use "
                                 "Save As, CSV UTF-8.")], str(p))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        records = list(reader)
    except csv.Error:
        # The one error left once NUL bytes are refused: a cell longer than the csv module
        # reads, which in practice is a quotation mark that is never closed.
        raise CaseError([Problem(
            f"this CSV cannot be read: a cell holds more than {csv.field_size_limit():,} "
            "characters. Usually a quotation mark (\") in a cell is not closed, so the rest of "
            "the file reads as one cell. Check the quotation marks, or save the file again "
            "from your spreadsheet program as CSV UTF-8.", line=reader.line_num)],
            str(p)) from None
    if not records:
        raise CaseError([Problem("the file is empty; the first row should hold the column "
                                 "names.", example="case_id,sender_name,…")], str(p))
    headers = tuple(records[0])
    # A CSV cell has no type: text that starts as a formula does is one the spreadsheet it is
    # opened in would calculate.
    rows = tuple((number, tuple(Cell(v, v.startswith("=")) for v in record))
                 for number, record in enumerate(records[1:], start=2))
    return Table(p.name, headers, rows)


def read_workbook_tables(path: str | os.PathLike[str]) -> tuple[Table, Table | None]:
    """The ``cases`` and (if present) ``evidence`` sheets of an .xlsx workbook.

    A workbook with a single sheet may call it anything; it is taken as the cases sheet.
    """
    from letters.bulk.workbook import open_workbook, reading_sheet

    p = Path(path)
    book = open_workbook(p, _read_sheet(p), max_unpacked=MAX_UNPACKED_SHEET_BYTES)
    try:
        by_name = {name.strip().lower(): name for name in book.sheetnames}
        if CASES_SHEET in by_name:
            cases_name = by_name[CASES_SHEET]
        elif len(book.sheetnames) == 1:
            cases_name = book.sheetnames[0]
        else:
            raise CaseError([Problem(f'there is no sheet called "{CASES_SHEET}" (the sheets are: '
                                     f"{', '.join(book.sheetnames)}). Rename the sheet holding "
                                     f'one row per case to "{CASES_SHEET}".')], str(p))
        with reading_sheet(p, cases_name):
            cases = _sheet_table(book[cases_name])
        evidence = None
        if EVIDENCE_SHEET in by_name:
            with reading_sheet(p, by_name[EVIDENCE_SHEET]):
                evidence = _sheet_table(book[by_name[EVIDENCE_SHEET]])
    finally:
        book.close()
    return cases, evidence


def _sheet_table(sheet: Any) -> Table:
    headers: tuple[str, ...] = ()
    rows = []
    for number, cells in enumerate(sheet.iter_rows(), start=1):
        values = tuple(Cell(c.value, getattr(c, "data_type", "") == "f") for c in cells)
        if number == 1:
            headers = tuple("" if c.value is None else str(c.value) for c in values)
        else:
            rows.append((number, values))
    return Table(sheet.title, headers, tuple(rows))
