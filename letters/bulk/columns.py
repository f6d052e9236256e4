"""The columns of a spreadsheet of cases: worked out from the case-file fields and the grounds.

The columns are not a second schema: they come from ``CASE_FIELDS`` and the fields of each ground
in ``grounds/*.toml``, so a new ground brings its own columns. A field path becomes a column name
by joining its parts with underscores: ``recipient.name`` → ``recipient_name``,
``grounds.complaint.made_on`` → ``complaint_made_on``. A list becomes numbered columns
(``children[2].name`` → ``child_2_name``).

Two columns are the charity's own rather than the letter's: ``case_id`` (its id for the case, by
which evidence rows are matched) and ``caseworker`` (who looks after the case). Neither is
printed in a letter; both are kept in the register.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from letters.case.grounds import load_grounds
from letters.case.schema import CASE_FIELDS, Field

CASES_SHEET = "cases"
EVIDENCE_SHEET = "evidence"
CASE_ID = "case_id"
CASEWORKER = "caseworker"
#: The charity's own columns of the cases sheet, in the order the template gives them.
OWN_COLUMNS = (CASE_ID, CASEWORKER)

#: Shorter column prefixes for some case-file fields, as a caseworker would name the columns.
ALIASES = {
    "social_worker": "worker",
    "children": "child",
    "supporting_statements": "statement",
    "copy_to": "cc",
}

#: The case_id of the filled example row in the workbook ``swletter bulk-template`` writes.
EXAMPLE_CASE_ID = "EXAMPLE-1"

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


_HOW = {
    "date": " A date cell, or text such as 23/11/2026 or 2026-11-23.",
    "lines": " One line per line break in the cell, or separated by commas.",
    "evidence": " Evidence ids from the evidence sheet, separated by commas, such as E1, E2.",
    "int": " A whole number.",
    "child": " Spelled as in a child_N_name column.",
    "flag": " TRUE or FALSE.",
}


def _note(spec: Field, context: str = "") -> str:
    need = "Optional"
    if spec.required:
        need = {"list": "Required for each N used", "ground": "Required for this ground"}.get(
            context, "Required")
    how = f" One of: {', '.join(spec.choices)}." if spec.kind == "choice" else \
        _HOW.get(spec.kind, "")
    if spec.name == "phone":
        how = " Format the column as text, so the leading 0 is kept."
    return f"{need}. {spec.help}{how}".strip()


#: Case-file fields with no column: evidence has its own sheet, and "incomplete" marks a case
#: file that ``swletter new`` left unfinished.
_NOT_COLUMNS = ("evidence", "incomplete")


@functools.cache
def case_columns() -> tuple[Column, ...]:
    """Every column of the ``cases`` sheet that fills a case-file field, in the template's
    order (the charity's own columns, ``OWN_COLUMNS``, come before them)."""
    core = [f for f in CASE_FIELDS if f.name not in _NOT_COLUMNS]
    columns = list(_columns_for(core, (), False))
    for ground in load_grounds():
        columns.extend(_columns_for(ground.fields, ("grounds", ground.id), False))
    return tuple(columns)


def evidence_columns() -> tuple[Field, ...]:
    """The fields of one evidence row (after ``case_id``)."""
    spec = next(f for f in CASE_FIELDS if f.name == "evidence")
    return spec.fields


CASE_ID_NOTE = ("Required. A short id of your own for each case, unique in the sheet, such as "
                "C001. Evidence rows are matched to the case by it, and the register keeps it. "
                "Rows whose case_id starts with # are skipped.")
CASEWORKER_NOTE = ("Optional. Who at your organisation looks after the case. Not printed in "
                   "the letter: the register keeps it, so that `swletter register list "
                   "--caseworker NAME` lists that caseworker's requests.")
EVIDENCE_CASE_ID_NOTE = ("Required. The case_id of the case in the cases sheet this document "
                         "belongs to.")


def column_notes() -> list[tuple[str, str, str]]:
    """(sheet, column, note) for every column: the README's and the template's reference."""
    out = [(CASES_SHEET, CASE_ID, CASE_ID_NOTE), (CASES_SHEET, CASEWORKER, CASEWORKER_NOTE)]
    for col in case_columns():
        out.append((CASES_SHEET, col.header(1).replace("_1_", "_N_") if col.numbered
                    else col.header(), col.note))
    out.append((EVIDENCE_SHEET, CASE_ID, EVIDENCE_CASE_ID_NOTE))
    for spec in evidence_columns():
        out.append((EVIDENCE_SHEET, spec.name, evidence_note(spec)))
    return out


def evidence_note(spec: Field) -> str:
    return _note(spec).replace("relative to the case file", "relative to the spreadsheet's folder")


def columns_markdown() -> str:
    """The README's table of every spreadsheet column (regenerate it when a ground changes)."""
    lines = ["| sheet | column | what goes in it |", "|---|---|---|"]
    lines += [f"| {sheet} | `{column}` | {note.replace('|', '/')} |"
              for sheet, column, note in column_notes()]
    return "\n".join(lines)


class Catalogue:
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
        """The column a (normalised) header names and its list number (0 when not a list)."""
        if header in self.exact:
            return self.exact[header], 0
        for pattern, col in self.numbered:
            m = pattern.fullmatch(header)
            if m and int(m.group(1)) >= 1:
                return col, int(m.group(1))
        return None

    def known(self) -> list[str]:
        """Every column name, the numbered ones with 1 (for "did you mean")."""
        return [*OWN_COLUMNS, *self.exact, *(c.header(1) for _, c in self.numbered)]

    def is_column(self, header: str) -> bool:
        return header in OWN_COLUMNS or self.find(header) is not None


@functools.cache
def catalogue() -> Catalogue:
    return Catalogue()


def normalise_header(text: str) -> str:
    """``"Recipient name "`` → ``recipient_name``: what a caseworker types, as a column key."""
    return re.sub(r"[\s\-]+", "_", text.strip().lower())


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
