"""The spreadsheet to fill in (``swletter bulk-template``), and case data written as rows: the
template's example row, and the workbooks tests and benchmarks make.

``flatten_case`` is the inverse of reading a row: reading the rows back gives the same letter.
Every cell is written as a value (text, a number or a date), never as a formula.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from letters.bulk.columns import (
    CASE_ID,
    CASE_ID_NOTE,
    CASES_SHEET,
    CASEWORKER,
    CASEWORKER_NOTE,
    EVIDENCE_SHEET,
    EXAMPLE_CASE_ID,
    OWN_COLUMNS,
    Column,
    case_columns,
    catalogue,
    evidence_columns,
    evidence_note,
)
from letters.case.schema import Field
from letters.errors import OutputError
from letters.output import write_atomic

#: How many numbered slots ``bulk-template`` offers for each list (more can be added).
TEMPLATE_SLOTS = {"children": 3, "supporting_statements": 2, "copy_to": 2}
DEFAULT_SLOTS = 3

#: The caseworker of the template's example row (an invented person, as the family is).
EXAMPLE_CASEWORKER = "Alex Morgan"


def flatten_case(case_id: str, data: Mapping[str, Any], *,
                 caseworker: str = "") -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A case file's data as one cases row (column → value) and its evidence rows."""
    row: dict[str, Any] = {CASE_ID: case_id}
    if caseworker:
        row[CASEWORKER] = caseworker
    for col in case_columns():
        if col.numbered:
            split = col.parts.index(None)
            items = _get(data, tuple(str(p) for p in col.parts[:split])) or []
            for n, item in enumerate(items, start=1):
                value = _get(item, tuple(str(p) for p in col.parts[split + 1:]))
                if value is not None:
                    row[col.header(n)] = _cell_value(col.spec, value)
        else:
            value = _get(data, tuple(str(p) for p in col.parts))
            if value is not None:
                row[col.header()] = _cell_value(col.spec, value)
    evidence = []
    for item in data.get("evidence") or []:
        evidence.append({CASE_ID: case_id, **{f.name: _cell_value(f, item[f.name])
                                              for f in evidence_columns() if f.name in item}})
    return row, evidence


def _get(data: Any, parts: tuple[str, ...]) -> Any:
    for part in parts:
        if not isinstance(data, Mapping):
            return None
        data = data.get(part)
    return data


def _cell_value(spec: Field, value: Any) -> Any:
    if isinstance(value, list):
        text = [str(v) for v in value]
        return "\n".join(text) if any("," in t for t in text) else ", ".join(text)
    if spec.kind == "date" and isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    return value


def _ordered_headers(slots_for: Callable[[Column], int]) -> list[str]:
    """Column names in the template's order; a list's columns go item by item
    (child_1_name, child_1_date_of_birth, child_2_name …)."""
    out = list(OWN_COLUMNS)
    columns = case_columns()
    i = 0
    while i < len(columns):
        col = columns[i]
        if not col.numbered:
            out.append(col.header())
            i += 1
            continue
        head = col.parts[: col.parts.index(None)]
        group = []
        while (i < len(columns) and columns[i].numbered
               and columns[i].parts[: columns[i].parts.index(None)] == head):
            group.append(columns[i])
            i += 1
        for n in range(1, slots_for(col) + 1):
            out.extend(c.header(n) for c in group)
    return out


def all_headers(rows: Iterable[Mapping[str, Any]]) -> list[str]:
    """The columns ``rows`` use, in the template's order."""
    used = {key for row in rows for key in row}

    def slots(col: Column) -> int:
        numbers = [found[1] for key in used
                   if (found := catalogue().find(key)) and _list_of(found[0]) == _list_of(col)]
        return max(numbers, default=0)

    return [h for h in _ordered_headers(slots) if h in used]


def _list_of(col: Column) -> tuple[str | None, ...]:
    return col.parts[: col.parts.index(None)] if col.numbered else col.parts


def _template_slots(col: Column) -> int:
    list_name = str(col.parts[col.parts.index(None) - 1])
    return TEMPLATE_SLOTS.get(list_name, DEFAULT_SLOTS)


def template_headers() -> list[str]:
    """Every column ``bulk-template`` writes, with the template's number of list slots."""
    return _ordered_headers(_template_slots)


def _template_rows() -> tuple[list[str], dict[str, Any], dict[str, str],
                              list[str], list[dict[str, Any]], dict[str, str]]:
    from importlib import resources

    from letters.case.validate import parse_case_text

    text = resources.files("letters.example").joinpath("case.yaml").read_text("utf-8")
    example = parse_case_text(text, "example")
    for item in example.get("evidence") or []:
        item.pop("file", None)  # the template has no evidence folder beside it
    row, evidence = flatten_case(EXAMPLE_CASE_ID, example, caseworker=EXAMPLE_CASEWORKER)
    headers = template_headers()
    notes_by = {}
    for col in case_columns():
        if col.numbered:
            for n in range(1, _template_slots(col) + 1):
                notes_by[col.header(n)] = col.note
        else:
            notes_by[col.header()] = col.note
    notes = {CASE_ID: "# Notes (this row is skipped). " + CASE_ID_NOTE,
             CASEWORKER: CASEWORKER_NOTE, **notes_by}
    evidence_headers = [CASE_ID, *(f.name for f in evidence_columns())]
    evidence_notes = {CASE_ID: "# Notes (this row is skipped). The case_id of the case this "
                      "document belongs to.",
                      **{f.name: evidence_note(f) for f in evidence_columns()}}
    return headers, row, notes, evidence_headers, evidence, evidence_notes


def write_template(path: str | os.PathLike[str], *, force: bool = False) -> list[Path]:
    """Write an empty cases sheet (and evidence sheet) with headers, a notes row and an example.

    For .xlsx one workbook with both sheets; for .csv the cases file and ``<name>-evidence.csv``.
    """
    p = Path(path)
    headers, row, notes, ev_headers, evidence, ev_notes = _template_rows()
    if p.suffix.lower() == ".csv":
        ev_path = p.with_name(f"{p.stem}-evidence.csv")
        return [
            write_atomic(p, csv_bytes(headers, [notes, row]), force=force),
            write_atomic(ev_path, csv_bytes(ev_headers, [ev_notes, *evidence]), force=force),
        ]
    if p.suffix.lower() != ".xlsx":
        raise OutputError(f"{p}: the template is written as .xlsx or .csv; use one of those "
                          "endings, such as cases.xlsx.")
    return [write_atomic(p, workbook_bytes(headers, [notes, row], ev_headers,
                                           [ev_notes, *evidence], notes_row=True), force=force)]


def _csv_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def csv_bytes(headers: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> bytes:
    """Rows as UTF-8 CSV that Excel opens correctly (used for templates, tests, benchmarks)."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow([_csv_text(row.get(h)) for h in headers])
    # A byte-order mark so Excel opens the file as UTF-8.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def workbook_bytes(headers: Sequence[str], rows: Iterable[Mapping[str, Any]],
                   evidence_headers: Sequence[str], evidence_rows: Iterable[Mapping[str, Any]],
                   *, notes_row: bool = False) -> bytes:
    """A workbook with ``cases`` and ``evidence`` sheets holding ``rows``.

    Every cell is written as a value (text, number or date), never as a formula: text starting
    with "=" is stored as text.
    """
    import openpyxl

    book = openpyxl.Workbook(write_only=False)
    sheets = [(book.active, CASES_SHEET, headers, rows),
              (book.create_sheet(), EVIDENCE_SHEET, evidence_headers, evidence_rows)]
    for sheet, title, heads, body in sheets:
        _fill_sheet(sheet, title, heads, body, notes_row=notes_row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _fill_sheet(sheet: Any, title: str, heads: Sequence[str], body: Iterable[Mapping[str, Any]],
                *, notes_row: bool) -> None:
    from openpyxl.styles import Alignment, Font

    sheet.title = title
    sheet.append(list(heads))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for number, row in enumerate(body, start=2):
        for column, head in enumerate(heads, start=1):
            value = row.get(head)
            if value is None:
                continue
            cell = sheet.cell(row=number, column=column)
            cell.value = value
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula, whatever the text starts with
                if head.endswith("phone"):
                    cell.number_format = "@"
            elif isinstance(value, dt.date):
                cell.number_format = "dd/mm/yyyy"
            if notes_row and number == 2:
                cell.font = Font(italic=True, color="555555")
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "B2"
    for column, head in enumerate(heads, start=1):
        letter = sheet.cell(row=1, column=column).column_letter
        sheet.column_dimensions[letter].width = max(14, min(40, len(head) + 2))
        if head.endswith("phone"):
            # A phone column is text, so a number typed in keeps its leading 0.
            sheet.column_dimensions[letter].number_format = "@"
