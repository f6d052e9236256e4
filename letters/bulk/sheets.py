"""Cases from spreadsheets: a ``cases`` sheet (or CSV) with one row per case, and an ``evidence``
sheet (or CSV) with one row per document, matched by ``case_id``.

Each row becomes the same plain data a case file holds and is validated later by
``case_from_data``; every problem's field path is mapped back to where a caseworker sees it:
"cases, row 14, column recipient_name". A problem with a sheet as a whole (a column swletter does
not know, a column given twice) is an ``InputProblem``: said once, before any row, and no letter
is written from that sheet until it is fixed (the text in that column would be left out). An
evidence row whose case_id matches no case is one too, never counted as a case.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from letters.bulk.cells import read_cell
from letters.bulk.columns import (
    CASE_ID,
    CASEWORKER,
    EVIDENCE_SHEET,
    EXAMPLE_CASE_ID,
    Column,
    Parts,
    catalogue,
    cell_example,
    evidence_columns,
    header_for,
    parse_path,
)
from letters.bulk.mapping import NO_MAP, ColumnMap
from letters.bulk.tables import Cell, Table
from letters.case.model import clean_text
from letters.errors import Problem


@dataclass(frozen=True)
class InputProblem:
    """A problem with an input as a whole (a file that cannot be read, a sheet's columns) or a
    row that is not a case: said once, before the cases, and never counted as a case.

    ``holds_back``: no letter is written from ``source`` until it is fixed.
    """

    source: str
    message: str
    holds_back: bool = True


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
    caseworker: str = ""
    #: Its sheet has a problem with its columns (an ``InputProblem``): check it, write nothing.
    held_back: bool = False
    #: Cells refused while reading (formulas), as ``where`` names them: their own problem says
    #: what is wrong, so validation's "missing" for them is not said again.
    refused: tuple[str, ...] = ()

    def locate_all(self, problems: Sequence[Problem]) -> list[str]:
        """``locate`` for each problem that is not about a cell already refused."""
        refused = set(self.refused)
        return [self.locate(p) for p in problems
                if not refused or self.where(p.parts or parse_path(p.path)) not in refused]

    def locate(self, problem: Problem) -> str:
        """The problem as "cases, row 14, column recipient_name: …" for a caseworker."""
        where = self.where(problem.parts or parse_path(problem.path))
        message = problem.message.replace("next to the case file", "next to the spreadsheet")
        text = f"{where}: {message}"
        example = cell_example(problem.example)
        return f"{text} For example: {example}" if example else text

    def where(self, parts: Parts) -> str:
        """Where the field at ``parts`` is in the sheets: its row and column."""
        if len(parts) >= 2 and parts[0] == "evidence" and isinstance(parts[1], int):
            return self._evidence_place(parts)
        place = f"{self.sheet}, row {self.row}"
        if not parts or parts == ("grounds",):
            return place
        name = header_for(self._renumbered(parts))
        if catalogue().find(name) is None:
            # A whole record or list is meant: point at its first column.
            first = next((k for k in catalogue().known() if k.startswith(name + "_")), "")
            name = first or name
        shown = self.headers.get(name)
        return f"{place}, column {shown}" if shown else f"{place}, column {name} (add this column)"

    def _evidence_place(self, parts: Parts) -> str:
        index = int(parts[1])
        row = self.evidence_rows[index] if index < len(self.evidence_rows) else 0
        place = f"{self.evidence_sheet}, row {row}"
        if len(parts) >= 3:
            name = str(parts[2])
            shown = self.evidence_headers.get(name)
            place += f", column {shown}" if shown else f", column {name} (add this column)"
        return place

    def _renumbered(self, parts: Parts) -> Parts:
        """List positions as the sheet numbers them (child_2_… may be the first child)."""
        out: list[str | int] = []
        for i, part in enumerate(parts):
            out.append(self.slots.get(tuple(parts[: i + 1]), part + 1)
                       if isinstance(part, int) else part)
        if (len(out) > 1 and isinstance(out[-1], int)
                and catalogue().find(header_for(tuple(out[:-1]))) is not None):
            out.pop()  # a position inside one cell (an address line, an evidence id)
        return tuple(out)


# --------------------------------------------------------------------------------------------
# Headers


@dataclass
class _Header:
    index: int
    shown: str
    column: Column | None  # None for the charity's own columns
    number: int
    own: str = ""

    @property
    def canonical(self) -> str:
        if self.column is None:
            return self.own
        return self.column.header(self.number) if self.column.numbered else self.column.header()


def _headers(table: Table, columns: ColumnMap) -> tuple[list[_Header], list[str]]:
    """Match a cases sheet's headers to columns; problems for unknown or repeated ones."""
    out: list[_Header] = []
    problems: list[str] = []
    seen: set[str] = set()
    for index, raw in enumerate(table.headers):
        shown = raw.strip()
        name = columns.column(raw)
        if not name or name.startswith("#"):
            continue
        if name in seen:
            problems.append(f"{table.name}, column {shown}: the column appears twice; keep one "
                            "(the second would silently replace the first).")
            continue
        seen.add(name)
        if name in (CASE_ID, CASEWORKER):
            out.append(_Header(index, shown, None, 0, own=name))
            continue
        found = catalogue().find(name)
        if found is None:
            problems.append(_unknown_column(table.name, shown, name))
            continue
        out.append(_Header(index, shown, found[0], found[1]))
    if CASE_ID not in seen:
        problems.append(f"{table.name}, row 1: there is no {CASE_ID} column. The first row "
                        f"holds the column names, and {CASE_ID} gives each case its own id.")
    return out, problems


def _unknown_column(sheet: str, shown: str, name: str) -> str:
    match = difflib.get_close_matches(name, catalogue().known(), n=1, cutoff=0.6)
    hint = (f' Did you mean "{match[0]}"?' if match else
            " Run `swletter bulk-template` to see the columns, or start the column name with # "
            "to keep it for your own notes.")
    return (f"{sheet}, column {shown}: this is not a column swletter knows, so it would be left "
            f"out of the letters.{hint}")


# --------------------------------------------------------------------------------------------
# The evidence sheet


@dataclass
class _Evidence:
    """The evidence rows, by case_id, and what was found reading them."""

    sheet: str = EVIDENCE_SHEET
    by_id: dict[str, list[tuple[int, dict[str, Any]]]] = field(default_factory=dict)
    shown: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)  # with the sheet's columns
    cell_problems: dict[str, list[str]] = field(default_factory=dict)  # by case_id
    refused: dict[str, list[str]] = field(default_factory=dict)  # by case_id: the places


def _evidence_headers(table: Table, columns: ColumnMap, found: _Evidence) -> dict[str, int]:
    index: dict[str, int] = {}
    names = [CASE_ID, *(f.name for f in evidence_columns())]
    for i, raw in enumerate(table.headers):
        name = columns.column(raw, evidence=True)
        if not name or name.startswith("#"):
            continue
        if name not in names:
            match = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
            hint = (f' Did you mean "{match[0]}"?' if match
                    else f" The columns are: {', '.join(names)}.")
            found.problems.append(f"{table.name}, column {raw.strip()}: this is not a column "
                                  f"swletter knows.{hint}")
        elif name in index:
            found.problems.append(f"{table.name}, column {raw.strip()}: the column appears "
                                  "twice; keep one.")
        else:
            index[name] = i
            found.shown[name] = raw.strip()
    if CASE_ID not in index:
        found.problems.append(f"{table.name}, row 1: there is no {CASE_ID} column, so the "
                              "evidence cannot be matched to the cases.")
    return index


def _read_evidence(table: Table | None, columns: ColumnMap) -> _Evidence:
    found = _Evidence()
    if table is None:
        return found
    found.sheet = table.name
    index = _evidence_headers(table, columns, found)
    specs = {f.name: f for f in evidence_columns()}
    for number, cells in table.rows:
        if _blank(cells):
            continue
        case_id = _id_text(_cell(cells, index[CASE_ID])) if CASE_ID in index else ""
        if case_id.startswith("#"):
            continue
        item: dict[str, Any] = {}
        for name, i in index.items():
            if name == CASE_ID:
                continue
            read = read_cell(specs[name], _cell(cells, i))
            if read.problem:
                place = f"{table.name}, row {number}, column {found.shown[name]}"
                found.cell_problems.setdefault(case_id, []).append(f"{place}: {read.problem}")
                found.refused.setdefault(case_id, []).append(place)
            if read.value is not None:
                item[name] = read.value
        found.by_id.setdefault(case_id, []).append((number, item))
    return found


def _orphans(evidence: _Evidence, case_ids: set[str], source: str) -> list[InputProblem]:
    """An InputProblem for each evidence row whose case_id is in no cases sheet."""
    out: list[InputProblem] = []
    for case_id, items in evidence.by_id.items():
        if case_id in case_ids:
            continue
        what = (f'the case_id "{case_id}" is not in the cases sheet, so this evidence belongs '
                "to no letter. Check the id." if case_id else
                "the case_id is missing, so this evidence belongs to no letter.")
        column = evidence.shown.get(CASE_ID, CASE_ID)
        out.extend(InputProblem(source, f"{evidence.sheet}, row {number}, column {column}: "
                                f"{what}", holds_back=False) for number, _ in items)
    return out


# --------------------------------------------------------------------------------------------
# Rows → cases


def _blank(cells: tuple[Cell, ...]) -> bool:
    return all(c.value is None or (isinstance(c.value, str) and not c.value.strip())
               for c in cells)


def _cell(cells: tuple[Cell, ...], index: int) -> Cell:
    return cells[index] if index < len(cells) else Cell(None)


def _id_text(cell: Cell) -> str:
    value = cell.value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "" if value is None else clean_text(str(value))


@dataclass
class _Sheet:
    """One cases sheet being read: its headers, and what its rows share."""

    table: Table
    headers: list[_Header]
    label_prefix: str
    header_map: dict[str, str]
    held_back: bool

    def own(self, cells: tuple[Cell, ...], name: str) -> str:
        index = next((h.index for h in self.headers if h.own == name), None)
        return _id_text(_cell(cells, index)) if index is not None else ""


def cases_from_tables(case_tables: Sequence[Table], evidence: Table | None, *, source: str,
                      base_dir: str, columns: ColumnMap = NO_MAP,
                      ) -> tuple[list[SheetCase], list[InputProblem]]:
    """Every case row of ``case_tables`` as a ``SheetCase``, with its evidence rows attached,
    and the problems with the sheets as a whole.

    ``source`` names the file for labels ("clients.xlsx"); CSV tables are already named after
    their file. Case ids must be unique across the tables, since evidence is matched by them.
    ``columns`` maps the sheets' own column names to swletter's (``--columns``).
    """
    found = _read_evidence(evidence, columns)
    problems = [InputProblem(source, message) for message in found.problems]
    all_ids = _all_ids(case_tables, columns)
    cases: list[SheetCase] = []
    for table in case_tables:
        headers, header_problems = _headers(table, columns)
        problems.extend(InputProblem(source, message) for message in header_problems)
        sheet = _Sheet(table, headers,
                       table.name if table.name == source else f"{source}, {table.name}",
                       {h.canonical: h.shown for h in headers},
                       held_back=bool(header_problems or found.problems))
        cases.extend(_sheet_cases(sheet, found, all_ids, base_dir))
    problems.extend(_orphans(found, {c.case_id for c in cases if c.case_id}, source))
    return cases, problems


def _all_ids(case_tables: Sequence[Table], columns: ColumnMap) -> dict[str, list[str]]:
    """Where each case_id is used, across the tables ("cases, row 4")."""
    all_ids: dict[str, list[str]] = {}
    for table in case_tables:
        id_column = next((i for i, h in enumerate(table.headers)
                          if columns.column(h) == CASE_ID), None)
        if id_column is None:
            continue
        for number, cells in table.rows:
            if found := _id_text(_cell(cells, id_column)):
                all_ids.setdefault(found, []).append(f"{table.name}, row {number}")
    return all_ids


def _sheet_cases(sheet: _Sheet, evidence: _Evidence, all_ids: Mapping[str, list[str]],
                 base_dir: str) -> list[SheetCase]:
    cases = []
    for number, cells in sheet.table.rows:
        if _blank(cells):
            continue
        case_id = sheet.own(cells, CASE_ID)
        if case_id.startswith("#"):
            continue
        cases.append(_row_case(sheet, number, cells, case_id, evidence, all_ids, base_dir))
    return cases


def _id_problems(sheet: _Sheet, where: str, case_id: str,
                 all_ids: Mapping[str, list[str]]) -> list[str]:
    shown = sheet.header_map.get(CASE_ID, CASE_ID)
    if CASE_ID not in sheet.header_map:
        return []  # said once, as a problem with the sheet's columns
    if not case_id:
        return [f"{where}, column {shown}: this is required but missing. Give each case its "
                "own id. For example: C001"]
    if len(all_ids.get(case_id, ())) > 1:
        others = " and ".join(w for w in all_ids[case_id] if w != where)
        return [f"{where}, column {shown}: the case_id \"{case_id}\" is also used in {others}; "
                "each case needs its own id, since evidence is matched by it."]
    return []


def _row_case(sheet: _Sheet, number: int, cells: tuple[Cell, ...], case_id: str,
              evidence: _Evidence, all_ids: Mapping[str, list[str]], base_dir: str) -> SheetCase:
    where = f"{sheet.table.name}, row {number}"
    data, slots, problems, warnings, refused = _row_data(sheet, number, cells)
    problems = _id_problems(sheet, where, case_id, all_ids) + problems
    items = evidence.by_id.get(case_id, []) if case_id else []
    if items:
        data["evidence"] = [item for _, item in items]
    if case_id:
        problems.extend(evidence.cell_problems.get(case_id, []))
        refused.extend(evidence.refused.get(case_id, []))
    if case_id.upper() == EXAMPLE_CASE_ID:
        warnings.append(f"{where}: this is the example row that swletter bulk-template wrote, "
                        "for an invented family. Delete it once your own cases are in, so its "
                        "letter is not sent with yours.")
    child = _first_child(data)
    return SheetCase(
        label=f"{sheet.label_prefix}, row {number}", case_id=case_id, data=data,
        base_dir=base_dir, sheet=sheet.table.name, row=number, headers=sheet.header_map,
        evidence_sheet=evidence.sheet, evidence_rows=tuple(n for n, _ in items),
        evidence_headers=evidence.shown, slots=slots, problems=tuple(problems),
        warnings=tuple(warnings), name_hint="-".join(p for p in (case_id, child) if p),
        caseworker=sheet.own(cells, CASEWORKER), held_back=sheet.held_back,
        refused=tuple(refused),
    )


def _first_child(data: Mapping[str, Any]) -> str:
    children = data.get("children") or []
    if children and isinstance(children[0], dict):
        name = children[0].get("name")
        return name if isinstance(name, str) else ""
    return ""


def _row_data(sheet: _Sheet, number: int, cells: tuple[Cell, ...],
              ) -> tuple[dict[str, Any], dict[Parts, int], list[str], list[str], list[str]]:
    """One row as nested case data, the list slots it used, its cells' problems and warnings,
    and the places of the cells refused."""
    # Records always exist, so a missing required field is reported by its own column.
    data: dict[str, Any] = {"sender": {}, "recipient": {}, "social_worker": {}, "children": []}
    lists: dict[tuple[str, ...], dict[int, dict[str, Any]]] = {}
    problems: list[str] = []
    warnings: list[str] = []
    refused: list[str] = []
    for h in sheet.headers:
        if h.column is None:
            continue
        read = read_cell(h.column.spec, _cell(cells, h.index))
        where = f"{sheet.table.name}, row {number}, column {h.shown}"
        if read.problem:
            problems.append(f"{where}: {read.problem}")
            refused.append(where)
        if read.warning:
            warnings.append(f"{where}: {read.warning}")
        if read.value is None:
            continue
        parts = h.column.parts
        if h.column.numbered:
            split = parts.index(None)
            head = tuple(str(p) for p in parts[:split])
            item = lists.setdefault(head, {}).setdefault(h.number, {})
            _put(item, tuple(str(p) for p in parts[split + 1:]), read.value)
        else:
            _put(data, tuple(str(p) for p in parts), read.value)
    return data, _fill_lists(data, lists), problems, warnings, refused


def _fill_lists(data: dict[str, Any],
                lists: dict[tuple[str, ...], dict[int, dict[str, Any]]]) -> dict[Parts, int]:
    """Put each list's numbered items into ``data`` in order; the slot each position came from."""
    slots: dict[Parts, int] = {}
    for head, numbered in lists.items():
        items = []
        for position, slot in enumerate(sorted(numbered)):
            items.append(numbered[slot])
            slots[(*head, position)] = slot
        _put(data, head, items)
    return slots


def _put(target: dict[str, Any], parts: tuple[str, ...], value: Any) -> None:
    for part in parts[:-1]:
        target = target.setdefault(part, {})
    target[parts[-1]] = value


__all__ = [
    "InputProblem",
    "SheetCase",
    "cases_from_tables",
]
