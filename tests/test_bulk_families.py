"""A charity's day, as issue 17 tells it: a workbook of 200 families with the usual mistakes
gives, in one `swletter check`, one message per real problem; with the mistakes fixed, one
`swletter bulk` writes every letter, with the tone advice in the report."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from typing import Any

import openpyxl
from click.testing import CliRunner

from cli import main

FAMILIES = 200
ANGRY = "The worker is a LIAR and totally incompetent!!!"
#: A row `swletter check` has nothing to say about.
CLEAN = {
    "case_id": "", "caseworker": "Alex Morgan", "date": "23/11/2026",
    "sender_name": "", "sender_relationship": "father",
    "sender_address": "4 Mill Lane, Sefton, L30 2PA", "sender_phone": "07700 900017",
    "recipient_organisation": "Sefton Council",
    "recipient_address": "Bootle Town Hall\nOriel Road\nBootle\nL20 7AE",
    "worker_title": "Ms", "worker_name": "Karen White", "child_1_name": "",
    "child_1_date_of_birth": dt.date(2017, 5, 2),
    "communication_breakdown_summary": "Most of my messages have gone unanswered since "
                                       "March, so we cannot plan visits together.",
    "communication_breakdown_impact": "My daughter no longer knows when she will be visited.",
}


def _family(n: int) -> dict[str, Any]:
    return {**CLEAN, "case_id": f"C{n:03d}", "sender_name": f"Tom Green{n:03d}",
            "child_1_name": f"Mia Green{n:03d}"}


#: The mistakes of the issue, by row (a row's number in the sheet is its index + 2).
MISTAKES: dict[int, dict[str, Any]] = {
    9: {"date": "31/02/2026"},                            # a date that does not exist
    19: {"sender_phone": 7700900017},                     # a phone number saved as a number
    29: {"child_1_date_of_birth": dt.date(2030, 4, 3)},   # a child born after the letter
    39: {"communication_breakdown_summary": '=CONCATENATE("Most of ", "my messages")'},
    49: {"communication_breakdown_summary": ANGRY},       # tone: kept, advice in the report
    59: {"jurisdiction": "Englnd"},
}


def _workbook(path: Path, *, mistakes: bool) -> Path:
    rows = [_family(n) for n in range(FAMILIES)]
    rows[1]["communication_breakdown_evidence"] = "E1"
    if mistakes:
        for index, change in MISTAKES.items():
            rows[index] = {**rows[index], **change}
    else:
        rows[49] = {**rows[49], **MISTAKES[49]}
    headers = list(dict.fromkeys(k for row in rows for k in row))
    extra = ["recipent_team", "worker_title"] if mistakes else []  # misspelt; given twice
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "cases"
    sheet.append(headers + extra)
    for row in rows:
        sheet.append([row.get(h) for h in headers] + (["Children's Services", "Ms"]
                                                        if mistakes else []))
        if isinstance(row.get("communication_breakdown_summary"), str) and \
                row["communication_breakdown_summary"].startswith("="):
            cell = sheet.cell(row=sheet.max_row,
                              column=headers.index("communication_breakdown_summary") + 1)
            cell.value = row["communication_breakdown_summary"]  # a real formula cell
    evidence = book.create_sheet("evidence")
    evidence.append(["case_id", "id", "date", "type", "description"])
    evidence.append(["C001", "E1", "3/4/2026", "email", "My email asking about visits."])
    if mistakes:
        evidence.append(["C999", "E1", "3/4/2026", "email", "For a family not in the sheet."])
    book.save(path)
    return path


def _messages(output: str) -> list[str]:
    return [line.removeprefix("  - ") for line in output.splitlines()
            if line.startswith("  - ")]


def test_200_families_one_check_then_one_run(runner: CliRunner, tmp_path: Path) -> None:
    book = _workbook(tmp_path / "families.xlsx", mistakes=True)

    checked = runner.invoke(main, ["check", str(book)])

    assert checked.exit_code == 1
    formula = ("the cell holds a formula. swletter never calculates formulas and does not put "
               "one in a letter: copy the cell and paste it back as a value (Paste Special, "
               "Values), or type the value in.")
    tone = [line for line in _messages(checked.stdout) if "(insult)" in line
            or "(absolute)" in line or "(shouting)" in line]
    assert len(tone) == 5 and all(line.startswith(
        "cases, row 51, column communication_breakdown_summary: Warning (") for line in tone)
    assert sorted(set(_messages(checked.stdout)) - set(tone)) == sorted([
        'cases, column recipent_team: this is not a column swletter knows, so it would be left '
        'out of the letters. Did you mean "recipient_team"?',
        "cases, column worker_title: the column appears twice; keep one (the second would "
        "silently replace the first).",
        'evidence, row 3, column case_id: the case_id "C999" is not in the cases sheet, so this '
        "evidence belongs to no letter. Check the id.",
        "cases, row 11, column date: there is no 31 February; February has 28 days. For "
        "example: 2026-11-23",
        "cases, row 21, column sender_phone: the phone number is stored as a number, which has "
        "no leading 0, so swletter put back the leading 0 it lost. Check it in the letter, and "
        "format the column as text so the 0 stays.",
        "cases, row 31, column child_1_date_of_birth: this date of birth is after the date of "
        "the letter, so it cannot be right. Check the year for a slip of the keyboard. For "
        "example: 2017-05-02",
        f"cases, row 41, column communication_breakdown_summary: {formula}",
        'cases, row 61, column jurisdiction: "Englnd" is not one of england, wales, scotland, '
        'northern-ireland. Did you mean "england"? For example: wales',
    ])
    # One message per real problem: nothing said twice, nothing about the other 193 rows.
    assert len(_messages(checked.stdout)) == len(set(_messages(checked.stdout))) == 8 + 5
    assert checked.stdout.splitlines()[-1].startswith(
        f"Checked {FAMILIES} cases: 0 ready to write, 4 with problems, 196 held back. "
        "3 problems with the inputs.")
    assert not (tmp_path / "letters").exists()

    fixed = _workbook(tmp_path / "families.xlsx", mistakes=False)
    out = tmp_path / "letters"
    result = runner.invoke(main, ["bulk", str(fixed), "--out", str(out)])

    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"Done: {FAMILIES} written, 0 already done, 0 failed, of "
                                    f"{FAMILIES} cases")
    assert len(list(out.glob("*.docx"))) == FAMILIES
    rows = list(csv.DictReader(io.StringIO((out / "bulk-report.csv").read_text("utf-8-sig"))))
    assert [r["status"] for r in rows] == ["written"] * FAMILIES
    advised = {r["case_id"]: r["advice"].split("\n") for r in rows if r["advice"]}
    assert list(advised) == ["C049"]
    assert [line.split(": ")[1] for line in advised["C049"]] == [
        "Warning (insult)", "Warning (insult)", "Warning (absolute)", "Warning (shouting)",
        "Warning (shouting)"]
    assert "Warnings: 1 of the letters written has warnings to read in the report" \
        in result.stdout
