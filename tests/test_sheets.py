"""Spreadsheets as input: columns from the schema and ground files, cell values as Excel holds
them, and every problem placed where a caseworker sees it (sheet, row, column)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner

from cli import main
from letters.bulk.columns import case_columns, column_notes
from letters.bulk.letter import CHECK, BulkOptions, Task, do_task
from letters.bulk.plan import plan_bulk
from letters.bulk.report import FAILED
from letters.bulk.sheets import cases_from_tables
from letters.bulk.tables import read_csv_table, read_workbook_tables
from letters.bulk.template import template_headers
from letters.case.grounds import load_grounds
from letters.case.validate import case_from_data

from .conftest import TODAY

#: The least a row needs, as a caseworker would type it.
ROW: dict[str, Any] = {
    "case_id": "C014",
    "date": "2026-11-23",
    "sender_name": "Tom Green",
    "sender_address": "4 Mill Lane, Sefton, L30 2PA",
    "recipient_organisation": "Sefton Council",
    "recipient_address": "Bootle Town Hall\nOriel Road\nBootle, Merseyside\nL20 7AE",
    "worker_name": "Karen White",
    "child_1_name": "Mia Green",
    "communication_breakdown_summary": "Most of my messages go unanswered.",
}


def workbook(path: Path, rows: list[dict[str, Any]], evidence: list[dict[str, Any]] = (),
             cases_title: str = "cases") -> Path:
    """An .xlsx written cell by cell with openpyxl, as a spreadsheet program would."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = cases_title
    headers = list(dict.fromkeys(k for row in rows for k in row))
    sheet.append(headers)
    for row in rows:
        sheet.append([row.get(h) for h in headers])
    if evidence:
        ev = book.create_sheet("evidence")
        ev_headers = list(dict.fromkeys(k for row in evidence for k in row))
        ev.append(ev_headers)
        for row in evidence:
            ev.append([row.get(h) for h in ev_headers])
    book.save(path)
    return path


def read_rows(book: Path) -> tuple[list[Any], list[Any]]:
    cases, evidence = read_workbook_tables(book)
    return cases_from_tables([cases], evidence, source=book.name, base_dir=str(book.parent))


def run_rows(tmp_path: Path, rows: list[dict[str, Any]],
             evidence: list[dict[str, Any]] = ()) -> list[Any]:
    """Plan and render every row of a workbook; the results, in row order."""
    book = workbook(tmp_path / "clients.xlsx", rows, evidence)
    options = BulkOptions(out_dir=str(tmp_path), fmt="md", today=TODAY, keep_markdown=True)
    return [do_task(Task(job, CHECK), options) for job in plan_bulk([str(book)], fmt="md").jobs]


def test_a_row_becomes_the_same_case_as_a_case_file(tmp_path: Path) -> None:
    cases, orphans = read_rows(workbook(tmp_path / "c.xlsx", [ROW]))
    assert orphans == []
    case = case_from_data(cases[0].data)
    assert case.sender.address == ("4 Mill Lane", "Sefton", "L30 2PA")
    # Line breaks in a cell win over commas: a comma may sit inside an address line.
    assert case.recipient.address == ("Bootle Town Hall", "Oriel Road", "Bootle, Merseyside",
                                      "L20 7AE")
    assert case.social_worker.name == "Karen White"
    assert [c.name for c in case.children] == ["Mia Green"]
    assert case.date == dt.date(2026, 11, 23)


@pytest.mark.parametrize("value", [dt.datetime(2026, 3, 12), dt.date(2026, 3, 12), "2026-03-12",
                                   46093])
def test_dates_as_excel_dates_serial_numbers_or_iso_text(tmp_path: Path, value: Any) -> None:
    row = {**ROW, "unprofessional_conduct_incidents_1_date": value,
           "unprofessional_conduct_incidents_1_what": "The visit did not take place."}
    (result,) = run_rows(tmp_path, [row])
    assert result.status != FAILED, result.problems
    assert result.letter is not None and "12 March 2026" in result.letter.markdown
    case = case_from_data(read_rows(tmp_path / "clients.xlsx")[0][0].data)
    assert case.grounds["unprofessional_conduct"]["incidents"][0]["date"] == dt.date(2026, 3, 12)


def test_problems_name_sheet_row_and_column(tmp_path: Path) -> None:
    rows = [ROW, {**ROW, "case_id": "C015", "recipient_organisation": None,
                  "child_1_name": None, "child_2_name": "Ava Green",
                  "child_2_date_of_birth": "2020-13-01", "jurisdiction": "Englnd"}]
    results = run_rows(tmp_path, rows)
    assert results[0].status == "ready"  # checked, not written
    assert results[1].status == FAILED
    assert results[1].label == f"{tmp_path / 'clients.xlsx'}, cases, row 3"
    assert list(results[1].problems) == [
        'cases, row 3, column jurisdiction: "Englnd" is not one of england, wales, scotland, '
        'northern-ireland. Did you mean "england"? For example: wales',
        "cases, row 3, column recipient_organisation: this is required but missing. "
        "For example: East Sussex County Council",
        "cases, row 3, column child_2_date_of_birth: the month must be from 1 to 12. "
        "For example: 2017-05-02",
    ]


def test_a_missing_column_is_named_so_it_can_be_added(tmp_path: Path) -> None:
    row = {k: v for k, v in ROW.items() if k != "worker_name"}
    (result,) = run_rows(tmp_path, [row])
    assert result.problems == ("cases, row 2, column worker_name (add this column): this is "
                               "required but missing. For example: John Smith",)


def test_evidence_rows_are_matched_by_case_id_and_located(tmp_path: Path) -> None:
    row = {**ROW, "communication_breakdown_evidence": "E1, E2"}
    evidence = [
        {"case_id": "C014", "id": "E1", "date": dt.date(2026, 4, 3), "type": "email",
         "description": "My email about contact."},
        {"case_id": "C014", "id": "E2", "date": "3 April", "type": "phone",
         "description": "Call log."},
        {"case_id": "C099", "id": "E1", "date": dt.date(2026, 4, 3), "type": "email",
         "description": "For a case that is not in the sheet."},
    ]
    results = run_rows(tmp_path, [row], evidence)
    assert [r.status for r in results] == [FAILED]  # the evidence row for no case is no case
    assert list(results[0].problems) == [
        "evidence, row 3, column date: give the year as well, such as 3 April 2026. "
        "For example: 2026-04-03",
        'evidence, row 3, column type: "phone" is not one of email, letter, text message, call '
        "log, record, report, statement, note, other. For example: email",
    ]
    problems = plan_bulk([str(tmp_path / "clients.xlsx")]).problems
    assert [(p.message, p.holds_back) for p in problems] == [
        ('evidence, row 4, column case_id: the case_id "C099" is not in the cases sheet, so '
         "this evidence belongs to no letter. Check the id.", False)]


def test_unknown_and_repeated_columns_hold_the_sheet_back_rather_than_drop_text(
        tmp_path: Path) -> None:
    row = {**ROW, "recipent_name": "Sarah Patel", "# our notes": "called on Monday"}
    (result,) = run_rows(tmp_path, [row])
    assert (result.status, result.problems) == ("held back", ())
    problems = plan_bulk([str(tmp_path / "clients.xlsx")]).problems
    assert [(p.message, p.holds_back) for p in problems] == [
        ('cases, column recipent_name: this is not a column swletter knows, so it would be '
         'left out of the letters. Did you mean "recipient_name"?', True)]


def test_duplicate_and_missing_case_ids(tmp_path: Path) -> None:
    rows = [ROW, {**ROW, "case_id": None}, dict(ROW)]
    results = run_rows(tmp_path, rows)
    assert [r.status for r in results] == [FAILED, FAILED, FAILED]
    assert results[0].problems[0] == ('cases, row 2, column case_id: the case_id "C014" is also '
                                      "used in cases, row 4; each case needs its own id, since "
                                      "evidence is matched by it.")
    assert results[1].problems[0] == ("cases, row 3, column case_id: this is required but "
                                      "missing. Give each case its own id. For example: C001")


def test_formula_cells_are_refused_never_calculated_nor_used_as_text(tmp_path: Path) -> None:
    evidence = [{"case_id": "C014", "id": "E1", "date": dt.date(2026, 4, 3), "type": "email",
                 "description": '=CONCATENATE("My email ", "about contact")'}]
    (result,) = run_rows(tmp_path, [{**ROW, "case_reference": "=1+1",
                                     "communication_breakdown_evidence": "E1"}], evidence)
    assert result.status == FAILED and result.letter is None
    refused = ("the cell holds a formula. swletter never calculates formulas and does not put "
               "one in a letter: copy the cell and paste it back as a value (Paste Special, "
               "Values), or type the value in.")
    assert result.problems == (f"cases, row 2, column case_reference: {refused}",
                               f"evidence, row 2, column description: {refused}")


def test_numbers_typed_into_text_columns_stay_text(tmp_path: Path) -> None:
    (result,) = run_rows(tmp_path, [{**ROW, "sender_phone": 7700900123,
                                     "response_within_working_days": 15.0}])
    assert result.status != FAILED, result.problems


def test_rows_starting_with_hash_and_blank_rows_are_skipped(tmp_path: Path) -> None:
    rows = [{**ROW, "case_id": "# notes row"}, {k: None for k in ROW}, ROW]
    results = run_rows(tmp_path, rows)
    assert [r.label.rsplit(", ", 1)[1] for r in results] == ["row 4"]


def test_a_single_sheet_may_have_any_name_but_two_need_a_cases_sheet(tmp_path: Path) -> None:
    book = workbook(tmp_path / "one.xlsx", [ROW], cases_title="Sheet1")
    assert len(plan_bulk([str(book)]).jobs) == 1
    book = workbook(tmp_path / "two.xlsx", [ROW], [{"case_id": "C014"}], cases_title="Families")
    plan = plan_bulk([str(book)])
    assert plan.jobs == []
    assert [p.message for p in plan.problems] == [
        f'{book}: there is no sheet called "cases" (the sheets are: Families, evidence). Rename '
        'the sheet holding one row per case to "cases".']


def test_a_file_that_is_not_a_workbook_is_reported_not_raised(tmp_path: Path) -> None:
    fake = tmp_path / "fake.xlsx"
    fake.write_text("not a zip", encoding="utf-8")
    (problem,) = plan_bulk([str(fake)]).problems
    assert "this is not a readable .xlsx workbook" in problem.message


def test_csv_saved_by_excel_in_windows_1252_is_read(tmp_path: Path) -> None:
    path = tmp_path / "cases.csv"
    path.write_bytes("case_id,sender_name\r\nC1,Zoë Brontë\r\n".encode("cp1252"))
    table = read_csv_table(path)
    assert table.headers == ("case_id", "sender_name")
    assert table.rows[0][1][1].value == "Zoë Brontë"


def test_headers_are_forgiving_about_case_and_spaces(tmp_path: Path) -> None:
    row = {("Case ID" if k == "case_id" else k.replace("_", " ").title()): v
           for k, v in ROW.items()}
    (result,) = run_rows(tmp_path, [row])
    assert result.status != FAILED, result.problems


def test_every_ground_field_has_a_column() -> None:
    headers = set(template_headers())
    for ground in load_grounds():
        for spec in ground.fields:
            if spec.kind == "records":
                for sub in spec.fields:
                    assert f"{ground.id}_{spec.name}_1_{sub.name}" in headers
            else:
                assert f"{ground.id}_{spec.name}" in headers


def test_every_column_has_a_note_for_the_template_and_readme() -> None:
    notes = column_notes()
    assert all(note.startswith(("Required", "Optional.")) for _, _, note in notes)
    # case_id and caseworker, and the evidence sheet
    assert len(notes) == len(case_columns()) + 2 + 6


def test_readme_documents_every_spreadsheet_column() -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Letters in bulk (for charities)", 1)[1].split("\n## ", 1)[0]
    for _, column, _ in column_notes():
        assert f"`{column}`" in section, column


def test_template_workbook_has_headers_notes_and_an_example(runner: CliRunner,
                                                            tmp_path: Path) -> None:
    result = runner.invoke(main, ["bulk-template", str(tmp_path / "cases.xlsx")])
    assert result.exit_code == 0
    book = openpyxl.load_workbook(tmp_path / "cases.xlsx")
    assert book.sheetnames == ["cases", "evidence"]
    rows = list(book["cases"].iter_rows(values_only=True))
    assert list(rows[0]) == template_headers()
    assert rows[0][:2] == ("case_id", "caseworker")  # the charity's own columns come first
    assert str(rows[1][0]).startswith("# Notes (this row is skipped).")
    assert rows[2][:2] == ("EXAMPLE-1", "Alex Morgan")
    # The phone column is text, so a number typed into it keeps its leading 0.
    phone = book["cases"].cell(row=1, column=rows[0].index("sender_phone") + 1).column_letter
    assert book["cases"].column_dimensions[phone].number_format == "@"
    evidence = list(book["evidence"].iter_rows(values_only=True))
    assert evidence[0] == ("case_id", "id", "date", "type", "description", "file")
    assert [r[1] for r in evidence[2:]] == ["E1", "E2", "E3", "E4", "E5", "E6", "E7"]


def test_the_template_example_row_is_flagged_so_its_letter_is_not_sent(
        runner: CliRunner, tmp_path: Path) -> None:
    book = tmp_path / "cases.xlsx"
    runner.invoke(main, ["bulk-template", str(book)])
    result = runner.invoke(main, ["bulk", str(book), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert ("Warnings: 1 of the letters written has warnings to read in the report before "
            "sending.") in result.stdout
    report = (tmp_path / "out" / "bulk-report.csv").read_text(encoding="utf-8-sig")
    assert "cases, row 3: this is the example row that swletter bulk-template wrote" in report
