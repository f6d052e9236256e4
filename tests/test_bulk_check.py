"""Spreadsheets checked as `swletter check` checks a case: the same advice for every row, UK
dates, a sheet's column problems said once, bad data caught, `check SHEET` and `bulk --dry-run`
writing nothing, a JSON report, and a CRM's own column names mapped (issue 17, items 1, 2, 6, 7,
10, 13 and 14)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner

from cli import main
from letters.bulk.template import all_headers, csv_bytes, flatten_case
from letters.case.validate import parse_case_text

from .conftest import MINIMAL, write_case
from .test_sheets import ROW, workbook

ANGRY = "The worker is a LIAR and totally incompetent!!!"


@pytest.fixture(autouse=True)
def _no_register_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SWLETTER_REGISTER", raising=False)


def report_rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def raw_workbook(path: Path, headers: list[str], rows: list[list[Any]],
                 evidence: list[list[Any]] = ()) -> Path:
    """A workbook cell by cell, headers as given (repeated ones too)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "cases"
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    if evidence:
        ev = book.create_sheet("evidence")
        for row in evidence:
            ev.append(row)
    book.save(path)
    return path


# --------------------------------------------------------------------------------------------
# Item 1: the same advice as `swletter check`, for every row


def test_every_row_gets_the_advice_check_gives(runner: CliRunner, tmp_path: Path) -> None:
    text = MINIMAL.replace("We have not been able to agree how to keep in touch.", ANGRY)
    case = write_case(tmp_path, text)
    checked = runner.invoke(main, ["check", str(case), "--format", "json"])
    findings = json.loads(checked.stdout)["findings"]
    assert len([f for f in findings if f["category"] in ("insult", "absolute", "shouting")]) == 5
    row, _ = flatten_case("C1", parse_case_text(text, "case.yaml"))
    sheet = tmp_path / "cases.csv"
    sheet.write_bytes(csv_bytes(all_headers([row]), [row]))

    result = runner.invoke(main, ["bulk", str(sheet), "--out", str(tmp_path / "out"),
                                  "--format", "md"])

    assert result.exit_code == 0, result.output
    (written,) = report_rows(tmp_path / "out" / "bulk-report.csv")
    advice = written["advice"].split("\n")
    assert len(advice) == len(findings)
    column = {"grounds.communication_breakdown.summary":
              "cases.csv, row 2, column communication_breakdown_summary",
              "grounds.communication_breakdown.impact":
              "cases.csv, row 2, column communication_breakdown_impact (add this column)",
              "sender.relationship": "cases.csv, row 2, column sender_relationship "
                                     "(add this column)"}
    for line, finding in zip(advice, findings, strict=True):
        words = f'"{finding["words"]}": ' if finding["words"] and \
            f'"{finding["words"]}"' not in finding["message"] else ""
        head = f"{finding['severity'].capitalize()} ({finding['category'].replace('_', ' ')})"
        assert line == (f"{column[finding['path']]}: {head}: {words}{finding['message']} "
                        f"Suggestion: {finding['suggestion']}")
    assert "Warnings: 1 of the letters written has warnings to read in the report" \
        in result.stdout


# --------------------------------------------------------------------------------------------
# Item 2: UK dates, in a CSV and as Excel dates


def test_uk_dates_in_a_csv_are_read_and_an_impossible_one_is_named(runner: CliRunner,
                                                                    tmp_path: Path) -> None:
    rows = [{**ROW, "date": "23/11/2026", "child_1_date_of_birth": "2/5/2017"},
            {**ROW, "case_id": "C015", "date": "31/02/2026"}]
    sheet = tmp_path / "cases.csv"
    sheet.write_bytes(csv_bytes(all_headers(rows), rows))

    result = runner.invoke(main, ["bulk", str(sheet), "--out", str(tmp_path / "out"),
                                  "--format", "md"])

    assert result.exit_code == 1
    letter = (tmp_path / "out" / "letter-c014-mia-green.md").read_text(encoding="utf-8")
    assert "23 November 2026" in letter and "(born 2 May 2017)" in letter
    assert ("  - cases.csv, row 3, column date: there is no 31 February; February has 28 days."
            in result.stderr)


@pytest.mark.parametrize("date", [dt.datetime(2026, 11, 23), dt.date(2026, 11, 23), 46349],
                         ids=["date cell", "date", "serial number"])
def test_excel_dates_in_a_workbook(runner: CliRunner, tmp_path: Path, date: Any) -> None:
    book = workbook(tmp_path / "clients.xlsx", [{**ROW, "date": date,
                                                 "child_1_date_of_birth": date}])
    # A date in a date column is a date, however Excel holds it; the child "born" the day of
    # the letter is no slip of the keyboard.
    result = runner.invoke(main, ["bulk", str(book), "--out", str(tmp_path / "out"),
                                  "--format", "md"])
    assert result.exit_code == 0, result.output
    letter = (tmp_path / "out" / "letter-c014-mia-green.md").read_text(encoding="utf-8")
    assert "23 November 2026" in letter and "(born 23 November 2026)" in letter


# --------------------------------------------------------------------------------------------
# Item 6: a sheet's column problems, once; evidence for no case is no case


def test_a_column_problem_is_said_once_before_any_row(runner: CliRunner, tmp_path: Path) -> None:
    headers = [*ROW, "recipent_name", "worker_name"]
    rows = [[*({**ROW, "case_id": f"C{n}"}.values()), "Sarah Patel", "Karen White"]
            for n in range(1, 4)]
    evidence = [["case_id", "id", "date", "type", "description"],
                ["C9", "E1", dt.date(2026, 4, 3), "email", "For no case."]]
    book = raw_workbook(tmp_path / "clients.xlsx", headers, rows, evidence)
    out = tmp_path / "out"

    result = runner.invoke(main, ["bulk", str(book), "--out", str(out)])

    assert result.exit_code == 1
    misspelt = ('cases, column recipent_name: this is not a column swletter knows, so it would '
                'be left out of the letters. Did you mean "recipient_name"?')
    repeated = ("cases, column worker_name: the column appears twice; keep one (the second "
                "would silently replace the first).")
    orphan = ('evidence, row 2, column case_id: the case_id "C9" is not in the cases sheet, so '
              "this evidence belongs to no letter. Check the id.")
    assert result.stderr.splitlines()[:5] == [
        f"3 problems with {book}:", f"  - {misspelt}", f"  - {repeated}", f"  - {orphan}",
        f"  No letter is written from {book} until this is fixed (its rows are still "
        "checked, below)."]
    assert result.output.count("recipent_name") == 1
    assert result.stdout.startswith("Done: 0 written, 0 already done, 0 failed, of 3 cases")
    assert "Held back: 3 cases, not written until the problems with the spreadsheet's " \
        "columns are fixed (see above)." in result.stdout
    assert list(out.glob("*.docx")) == []
    rows_out = report_rows(out / "bulk-report.csv")
    assert [(r["status"], r["problems"]) for r in rows_out[:3]] == [
        ("input problem", misspelt), ("input problem", repeated), ("input problem", orphan)]
    assert [r["status"] for r in rows_out[3:]] == ["held back"] * 3


# --------------------------------------------------------------------------------------------
# Item 7: bad data


def test_a_phone_number_saved_as_a_number_gets_its_zero_back_with_a_warning(
        runner: CliRunner, tmp_path: Path) -> None:
    book = workbook(tmp_path / "clients.xlsx", [{**ROW, "sender_phone": 7700900017}])
    out = tmp_path / "out"
    result = runner.invoke(main, ["bulk", str(book), "--out", str(out), "--format", "md"])
    assert result.exit_code == 0, result.output
    letter = (out / "letter-c014-mia-green.md").read_text(encoding="utf-8")
    assert "You can contact me on 07700900017." in letter
    (row,) = report_rows(out / "bulk-report.csv")
    assert row["warnings"] == (
        "cases, row 2, column sender_phone: the phone number is stored as a number, which has "
        "no leading 0, so swletter put back the leading 0 it lost. Check it in the letter, and "
        "format the column as text so the 0 stays.")
    assert "7700900017" not in row["warnings"]  # a phone number is personal data


def test_a_child_born_after_the_letter_is_an_error(runner: CliRunner, tmp_path: Path) -> None:
    book = workbook(tmp_path / "clients.xlsx", [{**ROW, "child_1_date_of_birth": "3/4/2030"}])
    result = runner.invoke(main, ["bulk", str(book), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert ("  - cases, row 2, column child_1_date_of_birth: this date of birth is after the "
            "date of the letter, so it cannot be right. Check the year for a slip of the "
            "keyboard. For example: 2017-05-02") in result.stderr.splitlines()
    born = "  - name: Mia Green\n    date_of_birth: 2030-04-03"
    case = write_case(tmp_path, MINIMAL.replace("  - name: Mia Green", born))
    checked = runner.invoke(main, ["check", str(case)])
    assert checked.exit_code == 1
    assert "children[1].date_of_birth: this date of birth is after the date of the letter" \
        in checked.output
    assert "2030" not in checked.output  # a child's date of birth is not repeated


# --------------------------------------------------------------------------------------------
# Item 10: check a spreadsheet, write nothing


def _mixed(tmp_path: Path) -> Path:
    return workbook(tmp_path / "clients.xlsx", [
        ROW,
        {**ROW, "case_id": "C015", "recipient_organisation": None},
        {**ROW, "case_id": "C016", "communication_breakdown_summary": ANGRY},
    ])


def test_check_a_workbook_reports_every_row_and_writes_nothing(runner: CliRunner,
                                                               tmp_path: Path) -> None:
    book = _mixed(tmp_path)
    before = sorted(tmp_path.rglob("*"))

    result = runner.invoke(main, ["check", str(book)])

    assert result.exit_code == 1
    assert sorted(tmp_path.rglob("*")) == before
    lines = result.stdout.splitlines()
    assert f"{book}, cases, row 3: not ready, 1 problem to fix." in lines
    assert ("  - cases, row 3, column recipient_organisation: this is required but missing. "
            "For example: East Sussex County Council") in lines
    assert f"{book}, cases, row 4: ready; read the advice before sending." in lines
    assert sum(1 for line in lines if "column communication_breakdown_summary: Warning" in line
               ) == 5
    assert lines[-1].startswith("Checked 3 cases: 2 ready to write, 1 with problems.")

    dry = runner.invoke(main, ["bulk", str(book), "--dry-run"])
    assert (dry.exit_code, dry.stdout) == (1, result.stdout)
    out = tmp_path / "out"
    assert runner.invoke(main, ["bulk", str(book), "--dry-run", "--out", str(out)]).stdout == \
        result.stdout
    assert not out.exists()

    as_json = json.loads(runner.invoke(main, ["check", str(book), "--format", "json"]).stdout)
    assert [c["status"] for c in as_json["cases"]] == ["ready", "failed", "ready"]
    assert as_json["summary"]["dry_run"] is True


def test_check_a_csv_with_its_evidence(runner: CliRunner, tmp_path: Path) -> None:
    rows = [{**ROW, "communication_breakdown_evidence": "E1"}]
    cases, evidence = tmp_path / "cases.csv", tmp_path / "evidence.csv"
    cases.write_bytes(csv_bytes(all_headers(rows), rows))
    evidence.write_bytes(csv_bytes(["case_id", "id", "date", "type", "description"], [
        {"case_id": "C014", "id": "E1", "date": "3/4/2026", "type": "email",
         "description": "My email about contact."}]))
    alone = runner.invoke(main, ["check", str(cases)])
    assert alone.exit_code == 1
    assert 'cites "E1", but there is no evidence with that id.' in alone.stdout
    together = runner.invoke(main, ["check", str(cases), "--evidence", str(evidence)])
    assert together.exit_code == 0, together.output
    assert together.stdout.splitlines()[-1].startswith("Checked 1 case: 1 ready to write")


# --------------------------------------------------------------------------------------------
# Item 14: a JSON report with the same rows


def test_a_json_report_has_the_same_rows_as_the_csv(runner: CliRunner, tmp_path: Path) -> None:
    book = _mixed(tmp_path)
    a, b = tmp_path / "a", tmp_path / "b"
    runner.invoke(main, ["bulk", str(book), "--out", str(a), "--format", "md"])
    runner.invoke(main, ["bulk", str(book), "--out", str(b), "--format", "md",
                         "--format-report", "json"])
    assert not (b / "bulk-report.csv").exists()
    data = json.loads((b / "bulk-report.json").read_text(encoding="utf-8"))
    from_csv = report_rows(a / "bulk-report.csv")
    assert len(data["cases"]) == len(from_csv) == 3
    for row, case in zip(from_csv, data["cases"], strict=True):
        for key, value in row.items():
            shown = case[key]
            if isinstance(shown, list):
                shown = "\n".join(shown)
            assert shown == value.replace(str(a), str(b)), key
    assert data["summary"] | {"dry_run": False} == {
        "cases": 3, "written": 2, "rewritten": 0, "already_done": 0, "failed": 1,
        "held_back": 0, "not_done": 0, "ready": 0, "input_problems": 0, "dry_run": False}


# --------------------------------------------------------------------------------------------
# Item 13: a CRM export's own column names


CRM_MAP = """\
# Our case-management system's export
[cases]
"Client Ref" = "case_id"
"Key Worker" = "caseworker"
"Parent name" = "sender_name"
"Child" = "child_1_name"

[evidence]
"Client Ref" = "case_id"
"""


def test_a_column_map_reads_a_crm_export(runner: CliRunner, tmp_path: Path) -> None:
    renamed = {"Client Ref": "C014", "Key Worker": "Alex Morgan", "Parent name": "Tom Green",
               "Child": "Mia Green"}
    row = {k: v for k, v in ROW.items()
           if k not in ("case_id", "sender_name", "child_1_name")} | renamed
    book = workbook(tmp_path / "export.xlsx", [row, {**row, "Client Ref": "C015",
                                                     "Key Worker": "Sam Patel",
                                                     "Child": "Ava Brown"}])
    mapping = tmp_path / "map.toml"
    mapping.write_text(CRM_MAP, encoding="utf-8")
    register = tmp_path / "charity.sqlite"
    out = tmp_path / "out"

    unmapped = runner.invoke(main, ["check", str(book)])
    assert 'cases, column Client Ref: this is not a column swletter knows' in unmapped.stdout
    result = runner.invoke(main, ["bulk", str(book), "--columns", str(mapping), "--out",
                                  str(out), "--register", str(register)])

    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.glob("*.docx")) == ["letter-c014-mia-green.docx",
                                                          "letter-c015-ava-brown.docx"]
    listed = runner.invoke(main, ["register", "list", "--register", str(register),
                                  "--caseworker", "alex morgan", "--format", "json",
                                  "--as-of", "2026-11-24"])
    [mine] = json.loads(listed.stdout)
    assert (mine["charity_case_id"], mine["caseworker"], mine["children"]) == (
        "C014", "Alex Morgan", "Mia Green")
    export = tmp_path / "sam.csv"
    assert runner.invoke(main, ["register", "export", str(export), "--register",
                                str(register), "--caseworker", "Sam Patel"]).exit_code == 0
    rows = list(csv.DictReader(io.StringIO(export.read_text(encoding="utf-8-sig"))))
    assert [(r["Your case id"], r["Caseworker"]) for r in rows] == [("C015", "Sam Patel")]


def test_a_column_map_with_a_mistake_names_its_line(runner: CliRunner, tmp_path: Path) -> None:
    book = workbook(tmp_path / "clients.xlsx", [ROW])
    mapping = tmp_path / "map.toml"
    mapping.write_text(CRM_MAP.replace('"sender_name"', '"sender_nmae"'), encoding="utf-8")
    result = runner.invoke(main, ["bulk", str(book), "--columns", str(mapping), "--out",
                                  str(tmp_path / "out")])
    assert result.exit_code == 1
    assert result.output == (
        f'Error: {mapping}: line 5: [cases] "Parent name": "sender_nmae" is not a column '
        'swletter knows. Did you mean "sender_name"?\n')
