"""`swletter bulk`: many letters at once, nothing lost, the same letters from any input."""

from __future__ import annotations

import csv
import io
import os
import shutil
import stat
import zipfile
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from cli import main
from letters.bulk.plan import plan_bulk
from letters.bulk.report import neutralise_cell
from letters.bulk.template import all_headers, csv_bytes, flatten_case, workbook_bytes
from letters.case.validate import parse_case_text

from .conftest import MINIMAL, write_case

FIRST_NAMES = ["Sam", "Lily", "Noah", "Ava", "Leo", "Isla", "Alfie", "Maya", "Theo", "Ruby"]
EVIDENCE_HEADERS = ["case_id", "id", "date", "type", "description", "file"]


def make_cases(folder: Path, full_text: str, count: int) -> list[Path]:
    """``count`` valid case files: the full example with a different family each time."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copytree(Path(__file__).resolve().parents[2] / "shared" / "examples" / "evidence",
                    folder / "evidence", dirs_exist_ok=True)
    paths = []
    for i in range(count):
        first = FIRST_NAMES[i % len(FIRST_NAMES)]
        surname = f"Doe{i:03d}"
        text = (full_text.replace("Sam Doe", f"{first} {surname}")
                .replace("Jane Doe", f"Jane {surname}")
                .replace("CP-2026-0413", f"CP-2026-{i:04d}"))
        paths.append(write_case(folder, text, f"case-{i:03d}.yaml"))
    return paths


def report_rows(path: Path) -> list[dict[str, str]]:
    text = path.read_text(encoding="utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def sheets_from(case_files: list[Path]) -> tuple[list[dict], list[dict]]:
    rows, evidence = [], []
    for path in case_files:
        data = parse_case_text(path.read_text(encoding="utf-8"), str(path))
        row, items = flatten_case(path.stem, data)
        rows.append(row)
        evidence.extend(items)
    return rows, evidence


def letters_by_reference(folder: Path) -> dict[str, str]:
    """Each Markdown letter in ``folder`` keyed by its case reference line, to compare sets."""
    out = {}
    for path in folder.glob("*.md"):
        text = path.read_text(encoding="utf-8")
        out[text.split("CP-2026-")[1][:4]] = text
    return out


@pytest.fixture
def full_text(full_case: Path) -> str:
    return full_case.read_text(encoding="utf-8")


def test_folder_with_a_broken_file_writes_every_good_letter_and_reports_the_bad(
        runner: CliRunner, tmp_path: Path, full_text: str) -> None:
    cases = tmp_path / "cases"
    make_cases(cases, full_text, 30)
    write_case(cases, MINIMAL.replace("  name: Tom Green\n", ""), "broken.yaml")
    out = tmp_path / "out"

    result = runner.invoke(main, ["bulk", str(cases), "--out", str(out)])

    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert sorted(p.name for p in out.glob("*.docx")) == [f"letter-case-{i:03d}.docx"
                                                          for i in range(30)]
    assert result.stdout.splitlines()[0].startswith(
        "Done: 30 written, 0 already done, 1 failed, of 31 cases, in ")
    assert f"Failed: {cases / 'broken.yaml'}" in result.stderr
    assert "  - line 2, sender.name: this is required but missing. For example: name: Jane Doe" \
        in result.stderr.splitlines()
    rows = report_rows(out / "bulk-report.csv")
    assert len(rows) == 31
    broken = [r for r in rows if r["status"] == "failed"]
    assert [r["case"] for r in broken] == [str(cases / "broken.yaml")]
    assert broken[0]["problems"] == ("line 2, sender.name: this is required but missing. "
                                     "For example: name: Jane Doe")
    assert all(r["status"] == "written" and Path(r["output"]).is_file()
               for r in rows if r is not broken[0])
    # Every letter opens and is the right family's.
    letter = docx.Document(str(out / "letter-case-007.docx"))
    assert "Maya Doe007" in "\n".join(p.text for p in letter.paragraphs)


def test_all_cases_good_exits_0(runner: CliRunner, tmp_path: Path, full_text: str) -> None:
    make_cases(tmp_path / "cases", full_text, 3)
    result = runner.invoke(main, ["bulk", str(tmp_path / "cases"), "--out",
                                  str(tmp_path / "out"), "--format", "md"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Done: 3 written, 0 already done, 0 failed, of 3 cases, in ")
    assert result.stderr == ""


def test_workbook_gives_the_same_letters_as_the_case_files(
        runner: CliRunner, tmp_path: Path, full_text: str) -> None:
    files = make_cases(tmp_path / "cases", full_text, 12)
    rows, evidence = sheets_from(files)
    book = tmp_path / "cases" / "clients.xlsx"  # beside the evidence folder the files name
    book.write_bytes(workbook_bytes(all_headers(rows), rows, EVIDENCE_HEADERS, evidence))

    from_files = runner.invoke(main, ["bulk", *map(str, files), "--out", str(tmp_path / "a"),
                                      "--format", "md"])
    from_book = runner.invoke(main, ["bulk", str(book), "--out", str(tmp_path / "b"),
                                     "--format", "md"])

    assert from_files.exit_code == 0, from_files.output
    assert from_book.exit_code == 0, from_book.output
    a, b = letters_by_reference(tmp_path / "a"), letters_by_reference(tmp_path / "b")
    assert len(a) == 12
    assert a == b


def test_csv_with_evidence_file_gives_the_same_letters(
        runner: CliRunner, tmp_path: Path, full_text: str) -> None:
    files = make_cases(tmp_path / "cases", full_text, 4)
    rows, evidence = sheets_from(files)
    cases_csv, evidence_csv = tmp_path / "cases" / "cases.csv", tmp_path / "cases" / "ev.csv"
    cases_csv.write_bytes(csv_bytes(all_headers(rows), rows))
    evidence_csv.write_bytes(csv_bytes(EVIDENCE_HEADERS, evidence))

    from_files = runner.invoke(main, ["bulk", *map(str, files), "--out", str(tmp_path / "a"),
                                      "--format", "md"])
    from_csv = runner.invoke(main, ["bulk", str(cases_csv), "--evidence", str(evidence_csv),
                                    "--out", str(tmp_path / "b"), "--format", "md"])

    assert from_files.exit_code == from_csv.exit_code == 0, from_csv.output
    assert len(letters_by_reference(tmp_path / "a")) == 4
    assert letters_by_reference(tmp_path / "a") == letters_by_reference(tmp_path / "b")


def test_csv_without_its_evidence_names_the_missing_ids(
        runner: CliRunner, tmp_path: Path, full_text: str) -> None:
    files = make_cases(tmp_path / "cases", full_text, 1)
    rows, _ = sheets_from(files)
    cases_csv = tmp_path / "cases.csv"
    cases_csv.write_bytes(csv_bytes(all_headers(rows), rows))
    result = runner.invoke(main, ["bulk", str(cases_csv), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert ("  - cases.csv, row 2, column communication_breakdown_evidence: cites \"E1\", but "
            "there is no evidence with that id. Evidence ids: none yet."
            in result.stderr.splitlines())


def test_output_names_are_safe_distinct_and_stable(tmp_path: Path) -> None:
    for family in ("green", "brown"):
        (tmp_path / family).mkdir()
        write_case(tmp_path / family, MINIMAL, "case.yaml")
    rows = [
        {"case_id": "../../etc/passwd", "child_1_name": "Mia Green"},
        {"case_id": "C2", "child_1_name": "Mia Green"},
        {"case_id": "C3", "child_1_name": "Mia Green"},
        {"case_id": "c3", "child_1_name": "Mia Green"},
    ]
    book = tmp_path / "book.xlsx"
    book.write_bytes(workbook_bytes(["case_id", "child_1_name"], rows, EVIDENCE_HEADERS, []))
    inputs = [str(tmp_path / "green"), str(tmp_path / "brown"), str(book)]

    names = [job.output for job in plan_bulk(inputs, fmt="md", reserved=["bulk-report.csv"]).jobs]

    assert names == [
        "letter-green-case.md",
        "letter-brown-case.md",
        "letter-etc-passwd-mia-green.md",
        "letter-c2-mia-green.md",
        "letter-book-c3-mia-green.md",
        "letter-book-c3-mia-green-2.md",
    ]
    assert all("/" not in n and "\\" not in n and ".." not in n for n in names)
    assert names == [job.output for job in plan_bulk(inputs, fmt="md").jobs]


def test_rerun_skips_letters_already_written_and_writes_the_rest(
        runner: CliRunner, tmp_path: Path, full_text: str) -> None:
    make_cases(tmp_path / "cases", full_text, 5)
    out = tmp_path / "out"
    args = ["bulk", str(tmp_path / "cases"), "--out", str(out), "--format", "md"]
    assert runner.invoke(main, args).exit_code == 0
    # An interrupted run: one letter never written, another one the user has edited.
    (out / "letter-case-004.md").unlink()
    (out / "letter-case-001.md").write_text("edited by hand", encoding="utf-8")

    again = runner.invoke(main, args)

    assert again.exit_code == 0
    assert again.stdout.startswith("Done: 1 written, 4 already done, 0 failed, of 5 cases")
    assert (out / "letter-case-004.md").is_file()
    assert (out / "letter-case-001.md").read_text(encoding="utf-8") == "edited by hand"
    statuses = [r["status"] for r in report_rows(out / "bulk-report.csv")]
    assert statuses == ["already done"] * 4 + ["written"]


def test_force_replaces_existing_letters(runner: CliRunner, tmp_path: Path,
                                         full_text: str) -> None:
    make_cases(tmp_path / "cases", full_text, 2)
    out = tmp_path / "out"
    args = ["bulk", str(tmp_path / "cases"), "--out", str(out), "--format", "md"]
    runner.invoke(main, args)
    (out / "letter-case-001.md").write_text("old", encoding="utf-8")

    result = runner.invoke(main, [*args, "--force"])

    assert result.stdout.startswith("Done: 2 written, 0 already done, 0 failed")
    assert "Lily Doe001" in (out / "letter-case-001.md").read_text(encoding="utf-8")


def test_jobs_spread_over_processes_give_the_same_letters(
        runner: CliRunner, tmp_path: Path, full_text: str) -> None:
    make_cases(tmp_path / "cases", full_text, 8)
    write_case(tmp_path / "cases", "not: [valid", "bad.yaml")
    one = runner.invoke(main, ["bulk", str(tmp_path / "cases"), "--out", str(tmp_path / "a"),
                               "--format", "md", "--jobs", "1"])
    two = runner.invoke(main, ["bulk", str(tmp_path / "cases"), "--out", str(tmp_path / "b"),
                               "--format", "md", "--jobs", "2"])
    assert one.exit_code == two.exit_code == 1
    assert letters_by_reference(tmp_path / "a") == letters_by_reference(tmp_path / "b")
    strip = [(r["case"], r["status"], Path(r["output"]).name, r["problems"])
             for r in report_rows(tmp_path / "a" / "bulk-report.csv")]
    assert strip == [(r["case"], r["status"], Path(r["output"]).name, r["problems"])
                     for r in report_rows(tmp_path / "b" / "bulk-report.csv")]


def test_combined_docx_holds_every_letter_with_lists_restarting(
        runner: CliRunner, tmp_path: Path, full_text: str) -> None:
    make_cases(tmp_path / "cases", full_text, 3)
    combined = tmp_path / "all.docx"
    result = runner.invoke(main, ["bulk", str(tmp_path / "cases"), "--out", str(tmp_path / "out"),
                                  "--combined", str(combined)])
    assert result.exit_code == 0, result.output
    assert f"Combined 3 letters into {combined}." in result.stdout
    document = docx.Document(str(combined))
    text = "\n".join(p.text for p in document.paragraphs)
    assert all(f"{name} Doe00{i}" in text for i, name in enumerate(FIRST_NAMES[:3]))
    assert text.count("Request for a change of social worker") == 3
    package = zipfile.ZipFile(combined)
    xml = package.read("word/document.xml").decode()
    # Each letter is its own section, starting a new page numbered 1; the footer says "Page N"
    # (a total would count every letter's pages).
    assert xml.count('<w:pgNumType w:start="1"/>') == 3
    footer = package.read("word/footer1.xml").decode()
    assert "NUMPAGES" not in footer and " PAGE " in footer
    numbering = package.read("word/numbering.xml").decode()
    # Each letter's enclosure list is its own numbered list starting again at 1.
    assert numbering.count('<w:startOverride w:val="1"/>') >= 3


def test_combined_also_covers_letters_already_written(
        runner: CliRunner, tmp_path: Path, full_text: str) -> None:
    make_cases(tmp_path / "cases", full_text, 2)
    args = ["bulk", str(tmp_path / "cases"), "--out", str(tmp_path / "out")]
    runner.invoke(main, args)
    result = runner.invoke(main, [*args, "--combined", str(tmp_path / "all.docx")])
    assert "Combined 2 letters" in result.stdout


def test_report_cells_cannot_run_as_formulas(runner: CliRunner, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write_case(tmp_path, "sender: [1", "=HYPERLINK(1).yaml")
    write_case(tmp_path, "sender: [1", "+cmd.yaml")
    result = runner.invoke(main, ["bulk", "=HYPERLINK(1).yaml", "+cmd.yaml", "--out", "out"])
    assert result.exit_code == 1
    cases = [r["case"] for r in report_rows(tmp_path / "out" / "bulk-report.csv")]
    assert cases == ["'=HYPERLINK(1).yaml", "'+cmd.yaml"]


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_neutralise_cell_makes_formula_starts_text(text: str) -> None:
    assert neutralise_cell(text) == "'" + text
    assert neutralise_cell("Sam Doe") == "Sam Doe"


def test_report_is_owner_only_and_never_replaces_another_file(
        runner: CliRunner, tmp_path: Path) -> None:
    write_case(tmp_path, MINIMAL, "case.yaml")
    precious = tmp_path / "precious.csv"
    precious.write_text("my own data\n", encoding="utf-8")
    args = ["bulk", str(tmp_path / "case.yaml"), "--out", str(tmp_path / "out"), "--format", "md"]

    refused = runner.invoke(main, [*args, "--report", str(precious)])
    assert refused.exit_code == 1
    assert precious.read_text(encoding="utf-8") == "my own data\n"

    first = runner.invoke(main, args)
    report = tmp_path / "out" / "bulk-report.csv"
    assert first.exit_code == 0
    assert stat.S_IMODE(os.stat(report).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(tmp_path / "out" / "letter-case.md").st_mode) == 0o600
    # A previous report is replaced on the next run.
    again = runner.invoke(main, args)
    assert again.exit_code == 0
    assert [r["status"] for r in report_rows(report)] == ["already done"]


def test_bad_options_are_usage_errors(runner: CliRunner, tmp_path: Path) -> None:
    write_case(tmp_path, MINIMAL, "case.yaml")
    result = runner.invoke(main, ["bulk", str(tmp_path / "case.yaml"), "--out",
                                  str(tmp_path / "out"), "--combined", str(tmp_path / "all.txt")])
    assert result.exit_code == 2
    assert "the combined file is a .docx or a .pdf; give a name such as all.docx." \
        in result.output
    result = runner.invoke(main, ["bulk", str(tmp_path / "case.yaml"), "--out",
                                  str(tmp_path / "out"), "--evidence", str(tmp_path / "case.yaml")])
    assert result.exit_code == 2
    assert "--evidence goes with CSV inputs" in result.output


@pytest.mark.parametrize("name", ["cases.xlsx", "cases.csv"])
def test_bulk_template_example_row_renders(runner: CliRunner, tmp_path: Path, name: str) -> None:
    target = tmp_path / name
    made = runner.invoke(main, ["bulk-template", str(target)])
    assert made.exit_code == 0, made.output
    args = ["bulk", str(target), "--out", str(tmp_path / "out"), "--format", "md"]
    if name.endswith(".csv"):
        assert (tmp_path / "cases-evidence.csv").is_file()
        args += ["--evidence", str(tmp_path / "cases-evidence.csv")]

    result = runner.invoke(main, args)

    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Done: 1 written, 0 already done, 0 failed, of 1 case,")
    letter = (tmp_path / "out" / "letter-example-1-sam-doe.md").read_text(encoding="utf-8")
    assert "Sam Doe" in letter and "(Enclosures 1 and 2)" in letter


def test_bulk_template_refuses_to_overwrite(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "cases.xlsx"
    target.write_bytes(b"keep")
    result = runner.invoke(main, ["bulk-template", str(target)])
    assert result.exit_code == 1
    assert target.read_bytes() == b"keep"
    assert "already exists. Use --force to replace it" in result.output


def test_rerun_rewrites_letters_an_interrupted_run_left_incomplete(
        runner: CliRunner, tmp_path: Path, full_text: str) -> None:
    make_cases(tmp_path / "cases", full_text, 3)
    out = tmp_path / "out"
    args = ["bulk", str(tmp_path / "cases"), "--out", str(out)]
    assert runner.invoke(main, args).exit_code == 0
    # A power cut before the letters reached the disk: one empty, one cut short.
    (out / "letter-case-000.docx").write_bytes(b"")
    whole = (out / "letter-case-001.docx").read_bytes()
    (out / "letter-case-001.docx").write_bytes(whole[: len(whole) // 2])

    again = runner.invoke(main, args)

    assert again.exit_code == 0
    assert again.stdout.startswith("Done: 2 written, 1 already done, 0 failed")
    assert (out / "letter-case-001.docx").read_bytes()[-22:-18] == b"PK\x05\x06"
    docx.Document(str(out / "letter-case-000.docx"))
    rows = report_rows(out / "bulk-report.csv")
    assert rows[0]["warnings"].startswith("the letter left by an earlier run was incomplete")


def test_a_folder_without_case_files_is_a_failure_not_an_empty_success(
        runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = runner.invoke(main, ["bulk", str(tmp_path / "empty"), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert (f"  - {tmp_path / 'empty'}: there are no case files (.yaml, .yml or .json) in this "
            "folder. Spreadsheets are given by name, such as cases.xlsx."
            in result.stderr.splitlines())
