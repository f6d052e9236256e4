"""Cases from spreadsheets: a ``cases`` sheet (or CSV) with one row per case, and an ``evidence``
sheet (or CSV) with one row per document, matched by ``case_id``.

The columns are not a second schema: they are worked out from ``CASE_FIELDS`` and the fields of
each ground in ``grounds/*.toml``, so a new ground brings its own columns. A field path becomes a
column name by joining its parts with underscores: ``recipient.name`` → ``recipient_name``,
``grounds.complaint.made_on`` → ``complaint_made_on``. A list becomes numbered columns
(``children[2].name`` → ``child_2_name``). Each row becomes the same plain data a case file
holds and is validated by ``case_from_data``, and every problem's field path is mapped back to
where a caseworker sees it: "cases, row 14, column recipient_name".

Cell values are taken as typed: a formula is read as its text and never calculated.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import functools
import io
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from letters.case.grounds import load_grounds
from letters.case.model import clean_text
from letters.case.schema import CASE_FIELDS, Field
from letters.errors import CaseError, OutputError, Problem
from letters.files import FileReadError, FileTooLargeError, read_regular_file
from letters.output import write_atomic

CASES_SHEET = "cases"
EVIDENCE_SHEET = "evidence"
CASE_ID = "case_id"

#: Shorter column prefixes for some case-file fields, as a caseworker would name the columns.
ALIASES = {
    "social_worker": "worker",
    "children": "child",
    "supporting_statements": "statement",
    "copy_to": "cc",
}

#: How many numbered slots ``bulk-template`` offers for each list (more can be added).
TEMPLATE_SLOTS = {"children": 3, "supporting_statements": 2, "copy_to": 2}
DEFAULT_SLOTS = 3

#: The case_id of the filled example row in the workbook ``swletter bulk-template`` writes.
EXAMPLE_CASE_ID = "EXAMPLE-1"

#: Spreadsheets larger than this are refused before they are opened.
MAX_SHEET_BYTES = 50 * 1024 * 1024
#: An .xlsx workbook (a zip of XML files) whose parts add up to more than this unpacked is
#: refused before openpyxl reads it: a few kilobytes can unpack to gigabytes (a "zip bomb"),
#: and the sizes a zip declares are checked against what really comes out (workbook_file.py).
#: A workbook of 10,000 cases unpacks to a few tens of megabytes.
MAX_UNPACKED_SHEET_BYTES = 256 * 1024 * 1024

Parts = tuple[str | int, ...]


@dataclass(frozen=True)
class Column:
    """One column of the ``cases`` sheet: the case-file path it fills and that field's rules.

    ``parts`` holds ``None`` where a list item's number goes (``("children", None, "name")``).
    """

    parts: tuple[str | None, ...]
    spec: Field
    note: str

    @property
    def numbered(self) -> bool:
        return None in self.parts

    def header(self, number: int = 1) -> str:
        return header_for(tuple(number if p is None else p for p in self.parts))


def header_for(parts: Parts) -> str:
    """The column name for a field path; list indexes in ``parts`` are counted from 1."""
    tokens: list[str] = []
    for i, part in enumerate(parts):
        if i == 0 and part == "grounds":
            continue
        if isinstance(part, int):
            tokens.append(str(part))
        else:
            tokens.append(ALIASES.get(part, part) if i == 0 else part)
    return "_".join(tokens)


def _columns_for(specs: Sequence[Field], parts: tuple[str | None, ...],
                 in_list: bool) -> Iterator[Column]:
    for spec in specs:
        here = (*parts, spec.name)
        if spec.kind == "record":
            yield from _columns_for(spec.fields, here, in_list)
        elif spec.kind == "records" and not in_list:
            yield from _columns_for(spec.fields, (*here, None), True)
        elif spec.kind == "records":
            # A list inside a list has no flat form; such a ground needs a case file.
            continue
        else:
            context = "list" if in_list else "ground" if parts[:1] == ("grounds",) else ""
            yield Column(here, spec, _note(spec, context))


def _note(spec: Field, context: str = "") -> str:
    need = "Optional"
    if spec.required:
        need = {"list": "Required for each N used", "ground": "Required for this ground"}.get(
            context, "Required")
    how = {
        "date": " A date cell, or text such as 2026-11-23.",
        "lines": " One line per line break in the cell, or separated by commas.",
        "evidence": " Evidence ids from the evidence sheet, separated by commas, such as E1, E2.",
        "int": " A whole number.",
        "choice": f" One of: {', '.join(spec.choices)}.",
        "child": " Spelled as in a child_N_name column.",
        "flag": " TRUE or FALSE.",
    }.get(spec.kind, "")
    return f"{need}. {spec.help}{how}".strip()


#: Case-file fields with no column: evidence has its own sheet, and "incomplete" marks a case
#: file that ``swletter new`` left unfinished.
_NOT_COLUMNS = ("evidence", "incomplete")


@functools.cache
def case_columns() -> tuple[Column, ...]:
    """Every column of the ``cases`` sheet, in the order ``bulk-template`` writes them."""
    core = [f for f in CASE_FIELDS if f.name not in _NOT_COLUMNS]
    columns = list(_columns_for(core, (), False))
    for ground in load_grounds():
        columns.extend(_columns_for(ground.fields, ("grounds", ground.id), False))
    return tuple(columns)


def evidence_columns() -> tuple[Field, ...]:
    """The fields of one evidence row (after ``case_id``)."""
    spec = next(f for f in CASE_FIELDS if f.name == "evidence")
    return spec.fields


def column_notes() -> list[tuple[str, str, str]]:
    """(sheet, column, note) for every column: the README's and the template's reference."""
    out = [(CASES_SHEET, CASE_ID, _CASE_ID_NOTE)]
    for col in case_columns():
        out.append((CASES_SHEET, col.header(1).replace("_1_", "_N_") if col.numbered
                    else col.header(), col.note))
    out.append((EVIDENCE_SHEET, CASE_ID, "Required. The case_id of the case in the cases sheet "
                "this document belongs to."))
    for spec in evidence_columns():
        out.append((EVIDENCE_SHEET, spec.name, _evidence_note(spec)))
    return out


def _evidence_note(spec: Field) -> str:
    return _note(spec).replace("relative to the case file", "relative to the spreadsheet's folder")


def columns_markdown() -> str:
    """The README's table of every spreadsheet column (regenerate it when a ground changes)."""
    lines = ["| sheet | column | what goes in it |", "|---|---|---|"]
    lines += [f"| {sheet} | `{column}` | {note.replace('|', '/')} |"
              for sheet, column, note in column_notes()]
    return "\n".join(lines)


_CASE_ID_NOTE = ("Required. A short id of your own for each case, unique in the sheet, such as "
                 "C001. Evidence rows are matched to the case by it. Rows whose case_id starts "
                 "with # are skipped.")


class _Catalogue:
    """Finds the column for a header as typed, including numbered ones (``child_4_name``)."""

    def __init__(self) -> None:
        self.exact: dict[str, Column] = {}
        self.numbered: list[tuple[re.Pattern[str], Column]] = []
        for col in case_columns():
            if col.numbered:
                split = col.parts.index(None)
                prefix = header_for(tuple(p for p in col.parts[:split] if p is not None))
                rest = "_".join(str(p) for p in col.parts[split + 1:])
                self.numbered.append((re.compile(rf"{re.escape(prefix)}_(\d+)_{re.escape(rest)}"),
                                      col))
            else:
                self.exact[col.header()] = col

    def find(self, header: str) -> tuple[Column, int] | None:
        if header in self.exact:
            return self.exact[header], 0
        for pattern, col in self.numbered:
            m = pattern.fullmatch(header)
            if m and int(m.group(1)) >= 1:
                return col, int(m.group(1))
        return None

    def known(self) -> list[str]:
        return [*self.exact, *(c.header(1) for _, c in self.numbered)]


@functools.cache
def _catalogue() -> _Catalogue:
    return _Catalogue()


def normalise_header(text: str) -> str:
    """``"Recipient name "`` → ``recipient_name``: what a caseworker types, as a column key."""
    return re.sub(r"[\s\-]+", "_", text.strip().lower())


# --------------------------------------------------------------------------------------------
# Reading tables


@dataclass(frozen=True, slots=True)
class Cell:
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
    rows = tuple((number, tuple(Cell(v) for v in record))
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


# --------------------------------------------------------------------------------------------
# Rows → case data


@dataclass(frozen=True)
class SheetCase:
    """One row of a cases sheet as plain case data, with where each value came from.

    Small and picklable: it travels to a worker process, which validates it there.
    """

    label: str  # "clients.xlsx, cases, row 14": the case as a caseworker finds it
    case_id: str
    data: dict[str, Any]
    base_dir: str
    sheet: str
    row: int
    headers: dict[str, str]  # canonical column name → as typed in the sheet
    evidence_sheet: str = ""
    evidence_rows: tuple[int, ...] = ()
    evidence_headers: dict[str, str] = field(default_factory=dict)
    slots: dict[Parts, int] = field(default_factory=dict)  # ("children", 0) → 1 (child_1_…)
    problems: tuple[str, ...] = ()  # found while reading the sheet
    warnings: tuple[str, ...] = ()
    name_hint: str = ""  # the case id and first child, for the letter's file name

    def locate(self, problem: Problem) -> str:
        """The problem as "cases, row 14, column recipient_name: …" for a caseworker."""
        where = self.where(problem.parts or parse_path(problem.path))
        message = problem.message.replace("next to the case file", "next to the spreadsheet")
        text = f"{where}: {message}"
        example = cell_example(problem.example)
        return f"{text} For example: {example}" if example else text

    def where(self, parts: Parts) -> str:
        if len(parts) >= 2 and parts[0] == "evidence" and isinstance(parts[1], int):
            row = self.evidence_rows[parts[1]] if parts[1] < len(self.evidence_rows) else 0
            place = f"{self.evidence_sheet}, row {row}"
            if len(parts) >= 3:
                name = str(parts[2])
                shown = self.evidence_headers.get(name)
                place += f", column {shown}" if shown else f", column {name} (add this column)"
            return place
        place = f"{self.sheet}, row {self.row}"
        if not parts or parts == ("grounds",):
            return place
        renumbered: list[str | int] = []
        for i, part in enumerate(parts):
            if isinstance(part, int):
                renumbered.append(self.slots.get(tuple(parts[: i + 1]), part + 1))
            else:
                renumbered.append(part)
        if (len(renumbered) > 1 and isinstance(renumbered[-1], int)
                and _catalogue().find(header_for(tuple(renumbered[:-1]))) is not None):
            renumbered.pop()  # a position inside one cell (an address line, an evidence id)
        name = header_for(tuple(renumbered))
        if _catalogue().find(name) is None:
            # A whole record or list is meant: point at its first column.
            first = next((k for k in _catalogue().known() if k.startswith(name + "_")), "")
            name = first or name
        shown = self.headers.get(name)
        return f"{place}, column {shown}" if shown else f"{place}, column {name} (add this column)"


def parse_path(path: str) -> Parts:
    """``evidence[2].date`` → ``("evidence", 1, "date")``: the inverse of ``format_path``."""
    parts: list[str | int] = []
    for name, index in re.findall(r"([^.\[\]]+)|\[(\d+)\]", path):
        parts.append(int(index) - 1 if index else name)
    return tuple(parts)


def cell_example(example: str) -> str:
    """A case-file example (``date: 2026-04-03``) as what goes in a cell (``2026-04-03``)."""
    m = re.fullmatch(r"[A-Za-z_]+: (.*)", example.strip(), re.S)
    value = m.group(1) if m else example
    if "{" in value or "\n" in value:
        return ""
    if value.startswith("[") and value.endswith("]"):
        value = value[1:-1]
    return value.strip('"')


_FLAGS = {"true": True, "yes": True, "false": False, "no": False}


def _convert(spec: Field, cell: Cell) -> Any:
    """A cell's value as case data for ``spec``: Excel's types turned into case-file values."""
    value = cell.value
    if isinstance(value, str):
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
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, dt.datetime):
        if spec.kind == "date":
            return value.date()
        text = value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
        return [text] if spec.kind in ("lines", "evidence") else text
    if isinstance(value, dt.date):
        return value if spec.kind == "date" else value.isoformat()
    if isinstance(value, int | float):
        if spec.kind == "date" and 1 <= value < 2958466:
            from openpyxl.utils.datetime import from_excel

            return from_excel(value).date()
        number = int(value) if float(value).is_integer() else value
        if spec.kind == "int":
            return number
        text = str(number)
        return [text] if spec.kind in ("lines", "evidence") else text
    return str(value)


@dataclass
class _Header:
    index: int
    shown: str
    column: Column | None
    number: int


def _headers(table: Table) -> tuple[list[_Header], list[str], dict[str, str]]:
    """Match a cases sheet's headers to columns; problems for unknown or repeated ones."""
    out: list[_Header] = []
    problems: list[str] = []
    shown_by_name: dict[str, str] = {}
    for index, raw in enumerate(table.headers):
        shown = raw.strip()
        name = normalise_header(raw)
        if not name or name.startswith("#"):
            continue
        if name in shown_by_name:
            problems.append(f"{table.name}, column {shown}: the column appears twice; keep one "
                            "(the second would silently replace the first).")
            continue
        shown_by_name[name] = shown
        if name == CASE_ID:
            out.append(_Header(index, shown, None, 0))
            continue
        found = _catalogue().find(name)
        if found is None:
            match = difflib.get_close_matches(name, _catalogue().known(), n=1, cutoff=0.6)
            hint = (f' Did you mean "{match[0]}"?' if match else
                    " Run `swletter bulk-template` to see the columns, or start the column "
                    "name with # to keep it for your own notes.")
            problems.append(f"{table.name}, column {shown}: this is not a column swletter knows, "
                            f"so it would be left out of the letters.{hint}")
            continue
        out.append(_Header(index, shown, found[0], found[1]))
    if CASE_ID not in shown_by_name:
        problems.append(f"{table.name}, row 1: there is no {CASE_ID} column. The first row "
                        f"holds the column names, and {CASE_ID} gives each case its own id.")
    return out, problems, shown_by_name


def _evidence_headers(table: Table) -> tuple[dict[str, int], list[str], dict[str, str]]:
    index: dict[str, int] = {}
    shown: dict[str, str] = {}
    problems = []
    names = [CASE_ID, *(f.name for f in evidence_columns())]
    for i, raw in enumerate(table.headers):
        name = normalise_header(raw)
        if not name or name.startswith("#"):
            continue
        if name not in names:
            match = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
            hint = (f' Did you mean "{match[0]}"?' if match
                    else f" The columns are: {', '.join(names)}.")
            problems.append(f"{table.name}, column {raw.strip()}: this is not a column swletter "
                            f"knows.{hint}")
            continue
        if name in index:
            problems.append(f"{table.name}, column {raw.strip()}: the column appears twice; keep "
                            "one.")
            continue
        index[name] = i
        shown[name] = raw.strip()
    if CASE_ID not in index:
        problems.append(f"{table.name}, row 1: there is no {CASE_ID} column, so the evidence "
                        "cannot be matched to the cases.")
    return index, problems, shown


def _cell(cells: tuple[Cell, ...], index: int) -> Cell:
    return cells[index] if index < len(cells) else Cell(None)


def _id_text(cell: Cell) -> str:
    value = cell.value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "" if value is None else clean_text(str(value))


@dataclass(frozen=True)
class OrphanRow:
    """An evidence row whose case_id matches no case: reported so nothing is lost silently."""

    label: str
    problem: str


def cases_from_tables(case_tables: Sequence[Table], evidence: Table | None, *, source: str,
                      base_dir: str) -> tuple[list[SheetCase], list[OrphanRow]]:
    """Every case row of ``case_tables`` as a ``SheetCase``, with its evidence rows attached.

    ``source`` names the file for labels ("clients.xlsx"); CSV tables are already named after
    their file. Case ids must be unique across the tables, since evidence is matched by them.
    """
    evidence_by_id: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    evidence_problems: list[str] = []
    evidence_shown: dict[str, str] = {}
    evidence_name = evidence.name if evidence else EVIDENCE_SHEET
    formula_warnings: dict[str, list[str]] = {}
    if evidence is not None:
        index, evidence_problems, evidence_shown = _evidence_headers(evidence)
        specs = {f.name: f for f in evidence_columns()}
        for number, cells in evidence.rows:
            if all(c.value is None or (isinstance(c.value, str) and not c.value.strip())
                   for c in cells):
                continue
            case_id = _id_text(_cell(cells, index[CASE_ID])) if CASE_ID in index else ""
            if case_id.startswith("#"):
                continue
            item: dict[str, Any] = {}
            for name, i in index.items():
                if name == CASE_ID:
                    continue
                cell = _cell(cells, i)
                value = _convert(specs[name], cell)
                if cell.formula:
                    formula_warnings.setdefault(case_id, []).append(_formula_warning(
                        evidence.name, number, evidence_shown[name], cell.value))
                if value is not None:
                    item[name] = value
            evidence_by_id.setdefault(case_id, []).append((number, item))

    cases: list[SheetCase] = []
    seen_ids: dict[str, str] = {}
    all_ids: dict[str, list[str]] = {}
    for table in case_tables:
        id_column = next((i for i, h in enumerate(table.headers)
                          if normalise_header(h) == CASE_ID), None)
        for number, cells in table.rows:
            if id_column is not None and (found := _id_text(_cell(cells, id_column))):
                all_ids.setdefault(found, []).append(f"{table.name}, row {number}")
    for table in case_tables:
        label_prefix = table.name if table.name == source else f"{source}, {table.name}"
        headers, sheet_problems, shown = _headers(table)
        sheet_problems = sheet_problems + evidence_problems
        id_index = next((h.index for h in headers if h.column is None), None)
        # One map for the whole sheet, shared by its rows (thousands of rows, one copy).
        header_map = {CASE_ID: shown.get(CASE_ID, CASE_ID),
                      **{_canonical(h): h.shown for h in headers if h.column is not None}}
        for number, cells in table.rows:
            if all(c.value is None or (isinstance(c.value, str) and not c.value.strip())
                   for c in cells):
                continue
            case_id = _id_text(_cell(cells, id_index)) if id_index is not None else ""
            if case_id.startswith("#"):
                continue
            problems = list(sheet_problems)
            where = f"{table.name}, row {number}"
            if id_index is not None and not case_id:
                problems.append(f"{where}, column {shown[CASE_ID]}: this is required but "
                                "missing. Give each case its own id. For example: C001")
            elif len(all_ids.get(case_id, ())) > 1:
                others = " and ".join(w for w in all_ids[case_id] if w != where)
                problems.append(f"{where}, column {shown[CASE_ID]}: the case_id \"{case_id}\" is "
                                f"also used in {others}; each case needs its own id, "
                                "since evidence is matched by it.")
            if case_id and case_id not in seen_ids:
                seen_ids[case_id] = where
            data, slots, warnings = _row_data(table.name, number, headers, cells)
            items = evidence_by_id.get(case_id, []) if case_id else []
            if items:
                data["evidence"] = [item for _, item in items]
            warnings.extend(formula_warnings.get(case_id, []) if case_id else [])
            if case_id.upper() == EXAMPLE_CASE_ID:
                warnings.append(f"{where}: this is the example row that swletter bulk-template "
                                "wrote, for an invented family. Delete it once your own cases "
                                "are in, so its letter is not sent with yours.")
            child = _first_child(data)
            cases.append(SheetCase(
                label=f"{label_prefix}, row {number}",
                case_id=case_id,
                data=data,
                base_dir=base_dir,
                sheet=table.name,
                row=number,
                headers=header_map,
                evidence_sheet=evidence_name,
                evidence_rows=tuple(n for n, _ in items),
                evidence_headers=evidence_shown,
                slots=slots,
                problems=tuple(problems),
                warnings=tuple(warnings),
                name_hint="-".join(p for p in (case_id, child) if p),
            ))
    orphans = []
    for case_id, items in evidence_by_id.items():
        if case_id in seen_ids:
            continue
        for number, _ in items:
            what = (f'the case_id "{case_id}" is not in the cases sheet, so this evidence '
                    "belongs to no letter. Check the id." if case_id else
                    "the case_id is missing, so this evidence belongs to no letter.")
            orphans.append(OrphanRow(f"{source}, {evidence_name}, row {number}"
                                     if evidence_name != source else
                                     f"{evidence_name}, row {number}",
                                     f"{evidence_name}, row {number}, column "
                                     f"{evidence_shown.get(CASE_ID, CASE_ID)}: {what}"))
    return cases, orphans


def _canonical(h: _Header) -> str:
    assert h.column is not None
    return h.column.header(h.number) if h.column.numbered else h.column.header()


def _formula_warning(sheet: str, row: int, column: str, value: Any) -> str:
    return (f"{sheet}, row {row}, column {column}: the cell holds a formula ({value}); swletter "
            "never calculates formulas, so it used the formula's text. Paste the value instead.")


def _first_child(data: Mapping[str, Any]) -> str:
    children = data.get("children") or []
    if children and isinstance(children[0], dict):
        name = children[0].get("name")
        return name if isinstance(name, str) else ""
    return ""


def _row_data(sheet: str, number: int, headers: Sequence[_Header],
              cells: tuple[Cell, ...]) -> tuple[dict[str, Any], dict[Parts, int], list[str]]:
    """One row as nested case data, the list slots it used, and formula warnings."""
    # Records always exist, so a missing required field is reported by its own column.
    data: dict[str, Any] = {"sender": {}, "recipient": {}, "social_worker": {}, "children": []}
    lists: dict[tuple[str, ...], dict[int, dict[str, Any]]] = {}
    warnings: list[str] = []
    for h in headers:
        if h.column is None:
            continue
        cell = _cell(cells, h.index)
        value = _convert(h.column.spec, cell)
        if cell.formula:
            warnings.append(_formula_warning(sheet, number, h.shown, cell.value))
        if value is None:
            continue
        parts = h.column.parts
        if h.column.numbered:
            split = parts.index(None)
            head = tuple(str(p) for p in parts[:split])
            item = lists.setdefault(head, {}).setdefault(h.number, {})
            _put(item, tuple(str(p) for p in parts[split + 1:]), value)
        else:
            _put(data, tuple(str(p) for p in parts), value)
    slots: dict[Parts, int] = {}
    for head, numbered in lists.items():
        items = []
        for position, slot in enumerate(sorted(numbered)):
            items.append(numbered[slot])
            slots[(*head, position)] = slot
        _put(data, head, items)
    return data, slots, warnings


def _put(target: dict[str, Any], parts: tuple[str, ...], value: Any) -> None:
    for part in parts[:-1]:
        target = target.setdefault(part, {})
    target[parts[-1]] = value


# --------------------------------------------------------------------------------------------
# Case data → rows (the template's example row, tests and benchmarks)


def flatten_case(case_id: str, data: Mapping[str, Any]) -> tuple[dict[str, Any],
                                                                 list[dict[str, Any]]]:
    """A case file's data as one cases row (column → value) and its evidence rows.

    The inverse of reading a row: reading the rows back gives the same letter.
    """
    row: dict[str, Any] = {CASE_ID: case_id}
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
    out = [CASE_ID]
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
                   if (found := _catalogue().find(key)) and _list_of(found[0]) == _list_of(col)]
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
    row, evidence = flatten_case(EXAMPLE_CASE_ID, example)
    headers = template_headers()
    notes_by = {}
    for col in case_columns():
        if col.numbered:
            for n in range(1, _template_slots(col) + 1):
                notes_by[col.header(n)] = col.note
        else:
            notes_by[col.header()] = col.note
    notes = {CASE_ID: "# Notes (this row is skipped). " + _CASE_ID_NOTE, **notes_by}
    evidence_headers = [CASE_ID, *(f.name for f in evidence_columns())]
    evidence_notes = {CASE_ID: "# Notes (this row is skipped). The case_id of the case this "
                      "document belongs to.",
                      **{f.name: _evidence_note(f) for f in evidence_columns()}}
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
            write_atomic(p, _csv_bytes(headers, [notes, row]), force=force),
            write_atomic(ev_path, _csv_bytes(ev_headers, [ev_notes, *evidence]), force=force),
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


def _csv_bytes(headers: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow([_csv_text(row.get(h)) for h in headers])
    # A byte-order mark so Excel opens the file as UTF-8.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def csv_bytes(headers: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> bytes:
    """Rows as UTF-8 CSV that Excel opens correctly (used for templates, tests, benchmarks)."""
    return _csv_bytes(headers, rows)


def workbook_bytes(headers: Sequence[str], rows: Iterable[Mapping[str, Any]],
                   evidence_headers: Sequence[str], evidence_rows: Iterable[Mapping[str, Any]],
                   *, notes_row: bool = False) -> bytes:
    """A workbook with ``cases`` and ``evidence`` sheets holding ``rows``.

    Every cell is written as a value (text, number or date), never as a formula: text starting
    with "=" is stored as text.
    """
    import openpyxl
    from openpyxl.styles import Alignment, Font

    book = openpyxl.Workbook(write_only=False)
    sheets = [(book.active, CASES_SHEET, headers, rows),
              (book.create_sheet(), EVIDENCE_SHEET, evidence_headers, evidence_rows)]
    for sheet, title, heads, body in sheets:
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
                elif isinstance(value, dt.date):
                    cell.number_format = "yyyy-mm-dd"
                if notes_row and number == 2:
                    cell.font = Font(italic=True, color="555555")
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.freeze_panes = "B2"
        for column, head in enumerate(heads, start=1):
            letter = sheet.cell(row=1, column=column).column_letter
            sheet.column_dimensions[letter].width = max(14, min(40, len(head) + 2))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def describe_problems(case: SheetCase, problems: Iterable[Problem]) -> list[str]:
    """Each problem of ``case`` as a caseworker-facing line (sheet, row, column, what, example)."""
    return [case.locate(p) for p in problems]


__all__ = [
    "CASES_SHEET",
    "EVIDENCE_SHEET",
    "Column",
    "OrphanRow",
    "SheetCase",
    "Table",
    "case_columns",
    "cases_from_tables",
    "column_notes",
    "describe_problems",
    "flatten_case",
    "read_csv_table",
    "read_workbook_tables",
    "write_template",
]
