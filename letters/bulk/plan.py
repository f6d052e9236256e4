"""Planning a bulk run: the inputs (case files, folders of case files, CSV files, .xlsx
workbooks) turned into ``Job``s, one per case, before any work starts.

Each job has a safe output file name and a key: the case's identity in the output folder (its
case file, or its workbook row's case_id), by which a later run knows the case again whatever
its letter is called, so a changed case replaces its own letter and never gains a second one.
Both are the same on every run with the same inputs. What is wrong with an input as a whole (a
workbook that cannot be read, a sheet's columns, an evidence row for no case) is an
``InputProblem``, said once and never counted as a case.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from letters.bulk.mapping import NO_MAP, ColumnMap
from letters.bulk.sheets import InputProblem, SheetCase, cases_from_tables
from letters.bulk.tables import Table, read_csv_table, read_workbook_tables
from letters.compose.documents import slug
from letters.errors import CaseError, more_problems

#: File endings read as case files when a folder is given.
CASE_SUFFIXES = (".yaml", ".yml", ".json")
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


@dataclass(frozen=True)
class Job:
    """One case to turn into a letter, with its output file name chosen in advance.

    Exactly one of ``case_file`` and ``sheet_case`` is set.
    """

    index: int
    label: str
    output: str = ""
    case_file: str = ""
    sheet_case: SheetCase | None = None
    #: The case's identity in the output folder, the same on every run.
    key: str = ""


@dataclass(frozen=True)
class Plan:
    """Every case to write, and the problems with the inputs as a whole."""

    jobs: list[Job]
    problems: list[InputProblem] = field(default_factory=list)


@dataclass(frozen=True)
class _Source:
    label: str
    case_file: str = ""
    sheet_case: SheetCase | None = None
    names: tuple[str, ...] = ()  # candidate file stems, plain first, then more qualified
    keys: tuple[str, ...] = ()  # the same: plain, then qualified


@dataclass
class _Found:
    sources: list[_Source] = field(default_factory=list)
    problems: list[InputProblem] = field(default_factory=list)
    seen: set[Path] = field(default_factory=set)
    csv_tables: list[tuple[Path, Table]] = field(default_factory=list)


def plan_bulk(inputs: Sequence[str | os.PathLike[str]], *, fmt: str = "docx",
              evidence_csv: str | os.PathLike[str] | None = None,
              reserved: Iterable[str] = (), columns: ColumnMap = NO_MAP) -> Plan:
    """A ``Job`` per case found in ``inputs``, each with a unique, safe output file name.

    A folder contributes its ``.yaml``/``.yml``/``.json`` files (not its subfolders), sorted by
    name. ``evidence_csv`` holds the evidence for the CSV inputs; ``columns`` maps the sheets'
    column names to swletter's. Inputs that cannot be read become problems rather than stopping
    the plan. ``reserved`` names (such as the report file's) are never given to a letter.
    """
    found = _Found()
    for raw in inputs:
        _add_input(found, Path(raw), columns)
    if found.csv_tables or evidence_csv:
        _add_csv_sources(found, evidence_csv, columns)
    return Plan(_name_jobs(found.sources, fmt, reserved), found.problems)


def _add_input(found: _Found, path: Path, columns: ColumnMap) -> None:
    suffix = path.suffix.lower()
    if path.is_dir():
        _add_folder(found, path)
    elif suffix == ".csv":
        try:
            found.csv_tables.append((path, read_csv_table(path)))
        except CaseError as err:
            found.problems.extend(_problems(err, str(path)))
    elif suffix in WORKBOOK_SUFFIXES:
        _add_workbook(found, path, columns)
    elif suffix == ".xls":
        found.problems.append(InputProblem(str(path), (
            f"{path}: this is the old Excel .xls format. Open it and save it as Excel Workbook "
            "(.xlsx), or as CSV.")))
    else:
        _add_case_file(found, path)


def _add_folder(found: _Found, path: Path) -> None:
    files = sorted(p for p in path.iterdir()
                   if p.suffix.lower() in CASE_SUFFIXES and not p.name.startswith(".")
                   and p.is_file())
    for file in files:
        _add_case_file(found, file)
    if not files:
        found.problems.append(InputProblem(str(path), (
            f"{path}: there are no case files (.yaml, .yml or .json) in this folder. "
            "Spreadsheets are given by name, such as cases.xlsx.")))


def _add_case_file(found: _Found, path: Path) -> None:
    key = path.resolve()
    if key in found.seen:
        return
    found.seen.add(key)
    stem = slug(path.stem) or "case"
    parent = slug(key.parent.name)
    qualified = f"{parent}-{stem}" if parent else stem
    found.sources.append(_Source(str(path), case_file=str(path),
                                 names=(f"letter-{stem}", f"letter-{qualified}"),
                                 keys=(f"file:{key}",)))


def _add_workbook(found: _Found, path: Path, columns: ColumnMap) -> None:
    try:
        cases_table, evidence_table = read_workbook_tables(path)
    except CaseError as err:
        found.problems.extend(_problems(err, str(path)))
        return
    cases, problems = cases_from_tables([cases_table], evidence_table, source=str(path),
                                        base_dir=str(path.parent), columns=columns)
    found.sources.extend(_sheet_source(c, path) for c in cases)
    found.problems.extend(problems)


def _add_csv_sources(found: _Found, evidence_csv: str | os.PathLike[str] | None,
                     columns: ColumnMap) -> None:
    evidence: Table | None = None
    evidence_failed = False
    if evidence_csv is not None:
        try:
            evidence = read_csv_table(evidence_csv)
        except CaseError as err:
            found.problems.extend(_problems(err, str(evidence_csv)))
            evidence_failed = True
    if not found.csv_tables:
        return
    # Paths and folders of the CSV files: evidence files are looked for beside the first.
    first = found.csv_tables[0][0]
    cases, problems = cases_from_tables([t for _, t in found.csv_tables], evidence,
                                        source=first.name, base_dir=str(first.parent),
                                        columns=columns)
    found.problems.extend(problems)
    by_name = {t.name: p for p, t in found.csv_tables}
    for case in cases:
        if evidence_failed:
            case = _held_back(case)
        found.sources.append(_sheet_source(case, by_name.get(case.sheet, first)))


def _held_back(case: SheetCase) -> SheetCase:
    from dataclasses import replace

    return replace(case, held_back=True)


def _sheet_source(case: SheetCase, path: Path) -> _Source:
    stem = slug(case.name_hint) or "case"
    book = slug(path.stem)
    ident = case.case_id or case.label
    return _Source(case.label, sheet_case=case,
                   names=(f"letter-{stem}", f"letter-{book}-{stem}" if book else f"letter-{stem}"),
                   keys=(f"case:{ident}", f"case:{book}:{ident}"))


def _problems(err: CaseError, source: str) -> list[InputProblem]:
    lines = [f"{err.file}: {p.describe(with_file=False)}" if err.file else p.describe()
             for p in err.problems]
    if err.more:
        lines.append(more_problems(err.more))
    return [InputProblem(source, line) for line in lines]


def _name_jobs(sources: list[_Source], fmt: str, reserved: Iterable[str]) -> list[Job]:
    """Give every source a distinct file name and key, the same on every run with the same
    inputs.

    Sources whose plain names clash all take their qualified name (the folder or workbook in
    front); any clash left is settled by a number, in plan order. Keys likewise.
    """
    taken = {name.lower() for name in reserved}
    plain_names = _counts(s.names[0] for s in sources)
    plain_keys = _counts(s.keys[0] for s in sources)
    keys_taken: set[str] = set()
    jobs = []
    for index, s in enumerate(sources):
        stem = s.names[0] if plain_names[s.names[0]] == 1 else s.names[-1]
        output = _unique(stem, f".{fmt}", taken, lower=True)
        key = _unique(s.keys[0] if plain_keys[s.keys[0]] == 1 else s.keys[-1], "", keys_taken)
        jobs.append(Job(index, s.label, output, s.case_file, s.sheet_case, key))
    return jobs


def _counts(items: Iterable[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for item in items:
        out[item] = out.get(item, 0) + 1
    return out


def _unique(stem: str, suffix: str, taken: set[str], *, lower: bool = False) -> str:
    """``stem + suffix``, or with -2, -3 … before the suffix until it is not in ``taken``."""
    name, number = f"{stem}{suffix}", 2
    while (name.lower() if lower else name) in taken:
        name = f"{stem}-{number}{suffix}"
        number += 1
    taken.add(name.lower() if lower else name)
    return name
