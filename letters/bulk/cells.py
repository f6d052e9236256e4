"""One cell's value as case data: what a spreadsheet holds (text, a number, a date, a formula)
turned into what a case file would say, and what a caseworker should hear about it.

- A date cell, or a date's serial number in a date column, is that date; text dates are read
  later by the case's own date reader (``typed_dates``: 23/11/2026, 23 November 2026 …), so a
  spreadsheet and a case file accept the same dates and give the same messages.
- A formula is refused: its text is not what the caseworker sees in the cell, and its value is
  never calculated. The row fails, naming the cell, until the value is pasted in its place.
- A phone number saved as a number has lost its leading 0 (``7700900123``). A UK number that
  lost it (ten digits, starting 1, 2, 3, 5, 7, 8 or 9) gets it back, with a warning; any other
  number in a phone column is kept as it is, with a warning to check it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from letters.bulk.tables import Cell
from letters.case.model import clean_text
from letters.case.schema import Field

_FLAGS = {"true": True, "yes": True, "false": False, "no": False}

#: The last serial number Excel has a date for (31 December 9999).
_LAST_SERIAL = 2958466

#: Ten digits that read as a UK number without its leading 0: a landline (01…, 02…, 03…), a
#: mobile (07…), a freephone or premium number (08…, 09…) or a personal number (05…).
_UK_WITHOUT_ZERO = re.compile(r"[1235789]\d{9}")


FORMULA_REFUSED = ("the cell holds a formula. swletter never calculates formulas and does not "
                   "put one in a letter: copy the cell and paste it back as a value (Paste "
                   "Special, Values), or type the value in.")


@dataclass(frozen=True)
class CellValue:
    """A cell read for a field: its value (None when empty or refused) and what to say."""

    value: Any = None
    problem: str = ""
    warning: str = ""


def read_cell(spec: Field, cell: Cell) -> CellValue:
    """``cell`` as case data for the field ``spec`` (the message names no place: the caller
    puts "cases, row 14, column sender_phone:" before it)."""
    if cell.formula:
        # The formula's text stands in for the value while the row is checked, so nothing else
        # is said about this cell (missing, say); the row fails on this problem alone.
        return CellValue(convert(spec, cell.value), problem=FORMULA_REFUSED)
    if spec.name == "phone":
        return _phone(cell.value)
    return CellValue(convert(spec, cell.value))


def convert(spec: Field, value: Any) -> Any:
    """A cell's value as case data for ``spec``: Excel's types turned into case-file values."""
    if isinstance(value, str):
        return _text(spec, value)
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, dt.datetime):
        if spec.kind == "date":
            return value.date()
        text = value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
        return [text] if spec.kind in ("lines", "evidence") else text
    if isinstance(value, dt.date):
        return value if spec.kind == "date" else value.isoformat()
    if isinstance(value, int | float):
        return _number(spec, value)
    return str(value)


def _text(spec: Field, value: str) -> Any:
    if not clean_text(value):
        return None
    if spec.kind == "lines":
        pieces = value.splitlines() if "\n" in value.strip() else value.split(",")
        return [p.strip() for p in pieces if p.strip()]
    if spec.kind == "evidence":
        return [p.strip() for p in re.split(r"[,;\n]", value) if p.strip()]
    if spec.kind == "flag" and value.strip().lower() in _FLAGS:
        return _FLAGS[value.strip().lower()]
    return value.strip()


def _number(spec: Field, value: int | float) -> Any:
    if spec.kind == "date" and 1 <= value < _LAST_SERIAL:
        from openpyxl.utils.datetime import from_excel

        return from_excel(value).date()
    number = int(value) if float(value).is_integer() else value
    if spec.kind == "int":
        return number
    text = str(number)
    return [text] if spec.kind in ("lines", "evidence") else text


def _phone(value: Any) -> CellValue:
    """A phone number as typed; one a spreadsheet stored as a number is put right or flagged."""
    if isinstance(value, str):
        text = value.strip()
        if _UK_WITHOUT_ZERO.fullmatch(text):
            return _zero_restored(text, "the phone number has 10 digits")
        return CellValue(text or None)
    if value is None or isinstance(value, bool):
        return CellValue(None if value is None else str(value))
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
        digits = str(int(value))
        if _UK_WITHOUT_ZERO.fullmatch(digits):
            return _zero_restored(digits, "the phone number is stored as a number, which has "
                                          "no leading 0")
        return CellValue(digits, warning="the phone number is stored as a number, so any "
                         "leading 0 or + is lost. Check it in the letter, and format the column "
                         "as text.")
    return CellValue(convert(Field("phone"), value),
                     warning="this is not a phone number as typed. Check it in the letter.")


def _zero_restored(digits: str, why: str) -> CellValue:
    # The number itself is not repeated: messages go into reports, and it is personal data.
    return CellValue("0" + digits, warning=f"{why}, so swletter put back the leading 0 it "
                     "lost. Check it in the letter, and format the column as text so the 0 "
                     "stays.")
