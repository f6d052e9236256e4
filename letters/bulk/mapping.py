"""A column-mapping file: a CRM export's column names → swletter's, so nobody renames columns
by hand before every run (``swletter bulk --columns map.toml``)::

    # Our case-management system's export, as swletter reads it
    [cases]
    "Client Ref" = "case_id"
    "Key Worker" = "caseworker"
    "Parent/carer name" = "sender_name"

    [evidence]
    "Client Ref" = "case_id"

Headers are matched as the sheets' own are: case, spaces and hyphens do not matter. A header the
file does not name is read as it is. Each problem in the file is named with its line.
"""

from __future__ import annotations

import difflib
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from letters.bulk.columns import (
    CASE_ID,
    CASES_SHEET,
    EVIDENCE_SHEET,
    catalogue,
    evidence_columns,
    normalise_header,
)
from letters.errors import ConfigError, Problem
from letters.files import FileReadError, read_regular_file

#: A mapping file is a few lines; anything far larger is the wrong file.
MAX_MAP_BYTES = 256 * 1024

_EXAMPLE = '"Client Ref" = "case_id"'


@dataclass(frozen=True)
class ColumnMap:
    """Header (normalised) → swletter's column, for the cases and the evidence sheets."""

    cases: dict[str, str] = field(default_factory=dict)
    evidence: dict[str, str] = field(default_factory=dict)
    source: str = ""

    def column(self, header: str, *, evidence: bool = False) -> str:
        """swletter's name for a header as typed, normalised (the header itself if unmapped)."""
        name = normalise_header(header)
        return (self.evidence if evidence else self.cases).get(name, name)


NO_MAP = ColumnMap()


def read_column_map(path: str | os.PathLike[str]) -> ColumnMap:
    """The mapping in ``path``; ``ConfigError`` listing every problem, with its line."""
    name = os.fspath(path)
    try:
        text = read_regular_file(Path(path), MAX_MAP_BYTES).decode("utf-8-sig")
    except FileReadError as err:
        raise ConfigError([Problem(err.reason)], name) from None
    except UnicodeDecodeError:
        raise ConfigError([Problem("the file is not UTF-8 text. Save it again as UTF-8.")],
                          name) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        line = re.search(r"at line (\d+)", str(err))
        raise ConfigError([Problem(
            "this is not a column-mapping file swletter can read: each line is a column name "
            "in your spreadsheet, =, and swletter's name for it, both in quotes, under [cases] "
            "or [evidence].", line=int(line.group(1)) if line else None, example=_EXAMPLE)],
            name) from None
    problems: list[Problem] = []
    tables: dict[str, dict[str, str]] = {CASES_SHEET: {}, EVIDENCE_SHEET: {}}
    for key, value in data.items():
        if key not in tables:
            problems.append(_bad_table(key, value, text))
            continue
        tables[key] = _read_table(key, value, text, problems)
    if problems:
        raise ConfigError(problems, name)
    return ColumnMap(tables[CASES_SHEET], tables[EVIDENCE_SHEET], name)


def _bad_table(key: str, value: Any, text: str) -> Problem:
    if not isinstance(value, dict):
        return Problem(f'"{key}" is outside a table: put each column under [cases] or '
                       "[evidence].", line=_line_of(text, key), example=f"[cases]\n{_EXAMPLE}")
    match = difflib.get_close_matches(key, (CASES_SHEET, EVIDENCE_SHEET), n=1, cutoff=0.6)
    hint = f' Did you mean "[{match[0]}]"?' if match else ""
    return Problem(f'[{key}] is not a sheet swletter reads; the tables are [cases] and '
                   f"[evidence].{hint}", line=_line_of(text, key))


def _read_table(sheet: str, table: Any, text: str, problems: list[Problem]) -> dict[str, str]:
    if not isinstance(table, dict):
        problems.append(Problem(f"{sheet} should be a table, [{sheet}], of column names.",
                                line=_line_of(text, sheet), example=f"[{sheet}]\n{_EXAMPLE}"))
        return {}
    out: dict[str, str] = {}
    mapped_to: dict[str, str] = {}
    for header, target in table.items():
        line = _line_of(text, header)
        wanted = normalise_header(target) if isinstance(target, str) else ""
        if not _is_column(sheet, wanted):
            problems.append(_unknown_target(sheet, header, target, line))
        elif wanted in mapped_to:
            problems.append(Problem(f'[{sheet}] "{header}" and "{mapped_to[wanted]}" are both '
                                    f'given as {wanted}; each column of swletter\'s comes from '
                                    "one column of yours.", line=line))
        else:
            mapped_to[wanted] = header
            out[normalise_header(header)] = wanted
    return out


def _known(sheet: str) -> list[str]:
    if sheet == EVIDENCE_SHEET:
        return [CASE_ID, *(f.name for f in evidence_columns())]
    return catalogue().known()


def _is_column(sheet: str, name: str) -> bool:
    return catalogue().is_column(name) if sheet == CASES_SHEET else name in _known(sheet)


def _unknown_target(sheet: str, header: str, target: Any, line: int | None) -> Problem:
    if not isinstance(target, str):
        return Problem(f'[{sheet}] "{header}": swletter\'s column name goes in quotes.',
                       line=line, example=_EXAMPLE)
    wanted = normalise_header(target)
    match = difflib.get_close_matches(wanted, _known(sheet), n=1, cutoff=0.6)
    hint = f' Did you mean "{match[0]}"?' if match else \
        " Run `swletter bulk-template` to see the columns."
    return Problem(f'[{sheet}] "{header}": "{target}" is not a column swletter knows.{hint}',
                   line=line)


def _line_of(text: str, key: str) -> int | None:
    """The line where ``key`` is given (quoted or bare, as a key or a table name)."""
    pattern = re.compile(rf'^\s*\[?\s*(?:"{re.escape(key)}"|\'{re.escape(key)}\'|'
                         rf"{re.escape(key)})\s*[=\]]", re.M)
    match = pattern.search(text)
    return text.count("\n", 0, match.start()) + 1 if match else None
