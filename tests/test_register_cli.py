"""The register and follow-ups from the command line: what a parent and a charity type, the
exit codes and exact messages, and the exports read back by the tools people open them with."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import stat
from pathlib import Path

import icalendar
import openpyxl
import pytest
from click.testing import CliRunner

from cli import main
from letters.register.store import open_register

from .conftest import MINIMAL, write_case


@pytest.fixture(autouse=True)
def _no_register_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SWLETTER_REGISTER", raising=False)


def _ok(result: object) -> None:
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]


def _family(tmp_path: Path, runner: CliRunner) -> tuple[Path, Path]:
    """Tom writes his request on 23 November 2026 with a register."""
    case = write_case(tmp_path, MINIMAL.replace("recipient:", "case_reference: SEF-77\nrecipient:"))
    register = tmp_path / "letters.sqlite"
    result = runner.invoke(main, ["render", str(case), "--register", str(register)])
    _ok(result)
    assert result.stdout.endswith(f"Recorded as letter 1 in the register {register}.\n")
    return case, register


def test_parent_sees_overdue_and_writes_the_chaser_in_one_command(runner: CliRunner,
                                                                  tmp_path: Path) -> None:
    case, register = _family(tmp_path, runner)
    listing = runner.invoke(main, ["register", "list", "--register", str(register),
                                   "--as-of", "2026-12-08"])
    _ok(listing)
    lines = listing.stdout.splitlines()
    assert lines[0].split() == ["ID", "Status", "Sent", "Latest", "letter", "Reply", "by",
                                "Case", "reference", "Children", "Organisation"]
    assert lines[2].split() == ["1", "overdue", "2026-11-23", "request", "1", "of",
                                "2026-11-23", "2026-12-07", "SEF-77", "Mia", "Green",
                                "Sefton", "Council"]

    chaser = runner.invoke(main, ["followup", str(case), "--kind", "chaser", "--date",
                                  "2026-12-08", "--register", str(register)])
    _ok(chaser)
    out = tmp_path / "chaser-mia-green-2026-12-08.docx"
    assert chaser.stdout == (
        f"Wrote {out} (reply by 22 December 2026), citing your letter of 23 November 2026 "
        f"(from the register).\nRecorded as letter 2 in the register {register}.\n")
    assert stat.S_IMODE(out.stat().st_mode) == 0o600

    # The chaser now awaits its own reply.
    listing = runner.invoke(main, ["register", "list", "--register", str(register),
                                   "--as-of", "2026-12-09", "--format", "json"])
    _ok(listing)
    [row] = json.loads(listing.stdout)
    assert (row["status"], row["latest"], row["reply_by"], row["letters"]) == (
        "awaiting reply", "chaser 2 of 2026-12-08", "2026-12-22", "request 1; chaser 2")


def test_reply_then_reasons_letter_then_complaint(runner: CliRunner, tmp_path: Path) -> None:
    case, register = _family(tmp_path, runner)
    reply = runner.invoke(main, ["register", "reply", "1", "--date", "2026-12-03", "--outcome",
                                 "refused", "--reasons", "not-given", "--register",
                                 str(register)])
    _ok(reply)
    assert reply.stdout == ("Recorded the reply to letter 1: refused, no reasons given.\n"
                            "Next: swletter followup CASE --kind reasons asks for the reasons "
                            "in writing.\n")
    reasons = runner.invoke(main, ["followup", str(case), "--kind", "reasons", "--date",
                                   "2026-12-04", "--format", "md", "--register", str(register)])
    _ok(reasons)
    text = (tmp_path / "reasons-mia-green-2026-12-04.md").read_text(encoding="utf-8")
    assert ("Thank you for your reply of 3 December 2026 to my letter of 23 November 2026 "
            "(case reference SEF-77)") in text
    assert reasons.stderr == ""  # a refusal is on record, so no warning

    complaint = runner.invoke(main, ["followup", str(case), "--kind", "complaint", "--date",
                                     "2026-12-21", "-o", str(tmp_path / "complaint.md"),
                                     "--register", str(register)])
    _ok(complaint)
    text = (tmp_path / "complaint.md").read_text(encoding="utf-8")
    assert "section 26(3) of the Children Act 1989" in text
    assert "On 3 December 2026 the request was refused, and no reasons were given." in text

    listing = runner.invoke(main, ["register", "list", "--register", str(register),
                                   "--as-of", "2026-12-22", "--format", "csv"])
    _ok(listing)
    [row] = list(csv.DictReader(io.StringIO(listing.stdout)))
    assert (row["Status"], row["Letters"], row["Last reply"]) == (
        "complaint open", "request 1; reasons 2; complaint 3",
        "2026-12-03 refused, no reasons given")


def test_overdue_filter_for_a_charity(runner: CliRunner, tmp_path: Path) -> None:
    register = tmp_path / "charity.sqlite"
    for n, date in enumerate(["2026-11-02", "2026-11-23"]):
        folder = tmp_path / f"family{n}"
        folder.mkdir()
        case = write_case(folder, MINIMAL.replace("2026-11-23", date)
                          .replace("Mia Green", f"Child {n}"))
        _ok(runner.invoke(main, ["render", str(case), "--register", str(register)]))
    result = runner.invoke(main, ["register", "list", "--overdue", "--register", str(register),
                                  "--as-of", "2026-12-01", "--format", "json"])
    _ok(result)
    assert [(r["id"], r["children"], r["status"]) for r in json.loads(result.stdout)] == [
        ("1", "Child 0", "overdue")]
    result = runner.invoke(main, ["register", "list", "--overdue", "--register", str(register),
                                  "--as-of", "2026-11-16"])  # Child 0's reply-by date
    _ok(result)
    assert result.stdout == "No overdue requests.\n"


def test_register_path_from_the_environment(runner: CliRunner, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    register = tmp_path / "env.sqlite"
    monkeypatch.setenv("SWLETTER_REGISTER", str(register))
    case = write_case(tmp_path, MINIMAL)
    _ok(runner.invoke(main, ["render", str(case)]))
    result = runner.invoke(main, ["register", "list", "--format", "json"])
    _ok(result)
    assert len(json.loads(result.stdout)) == 1


def test_register_errors_are_one_clear_line(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["register", "list"])
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == (
        'Error: no register given. Use --register FILE, set SWLETTER_REGISTER=FILE, or add '
        'register = "letters.sqlite" to swletter.toml.')

    missing = tmp_path / "none.sqlite"
    result = runner.invoke(main, ["register", "list", "--register", str(missing)])
    assert result.exit_code == 1
    assert result.output == (
        f"Error: the register {missing} does not exist yet. It is made when a letter is first "
        f"written with it, as in: swletter render CASE --register {missing}\n")
    assert not missing.exists()

    _, register = _family(tmp_path, runner)
    result = runner.invoke(main, ["register", "reply", "9", "--date", "2026-12-03",
                                  "--outcome", "granted", "--register", str(register)])
    assert result.exit_code == 1
    assert result.output == (f"Error: there is no letter 9 in the register {register}. "
                             "`swletter register list` shows each request's number.\n")

    # Dates as people type them, as in a case file.
    result = runner.invoke(main, ["register", "reply", "1", "--date", "3/12/2026",
                                  "--outcome", "granted", "--register", str(register)])
    assert result.exit_code == 0, result.output


def test_followup_without_a_register_and_a_conflicting_date(runner: CliRunner,
                                                            tmp_path: Path) -> None:
    case, register = _family(tmp_path, runner)
    plain = runner.invoke(main, ["followup", str(case), "--kind", "chaser", "--date",
                                 "2026-12-10", "--first-letter-date", "2026-11-20",
                                 "--format", "md"])
    _ok(plain)
    assert "citing your letter of 20 November 2026 (from --first-letter-date)" in plain.stdout
    clash = runner.invoke(main, ["followup", str(case), "--kind", "chaser", "--date",
                                 "2026-12-11", "--first-letter-date", "2026-11-20",
                                 "--register", str(register)])
    assert clash.exit_code == 1
    assert clash.output == (
        f"Error: the register {register} has this case's letter of 23 November 2026 (letter 1), "
        "but --first-letter-date says 20 November 2026. Leave --first-letter-date out to cite "
        "the letter in the register.\n")
    assert not (tmp_path / "chaser-mia-green-2026-12-11.docx").exists()


def test_rendering_again_records_the_same_letter_once(runner: CliRunner,
                                                      tmp_path: Path) -> None:
    case, register = _family(tmp_path, runner)
    again = runner.invoke(main, ["render", str(case), "--register", str(register)])
    assert again.exit_code == 1  # the letter exists; nothing new is recorded
    result = runner.invoke(main, ["register", "list", "--register", str(register),
                                  "--format", "json", "--as-of", "2026-11-24"])
    assert [r["id"] for r in json.loads(result.stdout)] == ["1"]


def _charity_register(tmp_path: Path, runner: CliRunner) -> Path:
    """A register where one family's note starts like a spreadsheet formula."""
    _, register = _family(tmp_path, runner)
    _ok(runner.invoke(main, ["register", "reply", "1", "--date", "2026-12-03", "--outcome",
                             "partial", "--reasons", "given", "--note",
                             '=HYPERLINK("http://example.invalid","x")',
                             "--register", str(register)]))
    return register


def test_csv_export_reads_back_and_is_safe_in_a_spreadsheet(runner: CliRunner,
                                                            tmp_path: Path) -> None:
    register = _charity_register(tmp_path, runner)
    out = tmp_path / "report.csv"
    result = runner.invoke(main, ["register", "export", str(out), "--register", str(register)])
    _ok(result)
    assert result.stdout == f"Wrote {out} (1 request).\n"
    with out.open(encoding="utf-8-sig", newline="") as fh:
        [row] = list(csv.DictReader(fh))
    assert (row["ID"], row["Status"], row["Children"], row["Case reference"]) == (
        "1", "partly granted", "Mia Green", "SEF-77")
    assert row["Note"] == '\'=HYPERLINK("http://example.invalid","x")'
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_xlsx_export_reads_back_with_text_not_formulas(runner: CliRunner,
                                                       tmp_path: Path) -> None:
    register = _charity_register(tmp_path, runner)
    out = tmp_path / "report.xlsx"
    _ok(runner.invoke(main, ["register", "export", str(out), "--register", str(register)]))
    sheet = openpyxl.load_workbook(out)["register"]
    rows = list(sheet.iter_rows(values_only=True))
    header, row = rows[0], dict(zip(rows[0], rows[1], strict=True))
    assert header[:3] == ("ID", "Status", "Sent")
    assert (row["Status"], row["Last reply"]) == ("partly granted",
                                                  "2026-12-03 partial, reasons given")
    note = sheet.cell(row=2, column=header.index("Note") + 1)
    assert note.data_type == "s" and note.value == '=HYPERLINK("http://example.invalid","x")'


def test_export_needs_a_csv_or_xlsx_name(runner: CliRunner, tmp_path: Path) -> None:
    register = _charity_register(tmp_path, runner)
    result = runner.invoke(main, ["register", "export", "report.ods", "--register",
                                  str(register)])
    assert result.exit_code == 2
    assert "Invalid value for FILE: report.ods should end in .csv or .xlsx." in result.output


def test_ics_has_a_reminder_for_every_open_reply_by_date(runner: CliRunner,
                                                         tmp_path: Path) -> None:
    case, register = _family(tmp_path, runner)
    # A second family whose request was granted: no reminder for it.
    other = tmp_path / "other"
    other.mkdir()
    other_case = write_case(other, MINIMAL.replace("Mia Green", "Ava Stone"))
    _ok(runner.invoke(main, ["render", str(other_case), "--register", str(register)]))
    _ok(runner.invoke(main, ["register", "reply", "2", "--date", "2026-11-30", "--outcome",
                             "granted", "--register", str(register)]))
    _ok(runner.invoke(main, ["followup", str(case), "--kind", "chaser", "--date", "2026-12-08",
                             "--register", str(register)]))
    out = tmp_path / "replies.ics"
    result = runner.invoke(main, ["register", "ics", str(out), "--register", str(register)])
    _ok(result)
    assert result.stdout == f"Wrote {out} (1 reply-by date).\n"

    calendar = icalendar.Calendar.from_ical(out.read_bytes())
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    [event] = events
    assert event.decoded("dtstart") == dt.date(2026, 12, 22)  # the chaser's reply-by date
    assert str(event["summary"]) == "Reply due for Mia Green (SEF-77)"
    [alarm] = list(event.walk("VALARM"))
    assert alarm.decoded("trigger") == -dt.timedelta(hours=15)

    private = tmp_path / "private.ics"
    _ok(runner.invoke(main, ["register", "ics", str(private), "--without-names",
                             "--register", str(register)]))
    assert b"Mia" not in private.read_bytes()
    [event] = list(icalendar.Calendar.from_ical(private.read_bytes()).walk("VEVENT"))
    assert str(event["summary"]) == "Reply due (SEF-77)"


def test_register_named_in_swletter_toml(runner: CliRunner, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "swletter.toml").write_text('register = "records/letters.sqlite"\n',
                                           encoding="utf-8")
    (tmp_path / "records").mkdir()
    case = write_case(tmp_path, MINIMAL)
    result = runner.invoke(main, ["render", str(case)])
    _ok(result)
    register = tmp_path / "records" / "letters.sqlite"
    assert result.stdout.endswith(f"Recorded as letter 1 in the register {register}.\n")
    listing = runner.invoke(main, ["register", "list", "--format", "json"])
    _ok(listing)
    assert [r["children"] for r in json.loads(listing.stdout)] == ["Mia Green"]
    # --register on the command line wins over the settings file.
    other = tmp_path / "other.sqlite"
    _ok(runner.invoke(main, ["followup", str(case), "--kind", "chaser", "--date",
                             "2026-12-10", "--first-letter-date", "2026-11-23",
                             "--register", str(other)]))
    with open_register(other) as reg:
        assert [x.kind for x in reg.letters()] == ["chaser"]
    with open_register(register) as reg:
        assert [x.kind for x in reg.letters()] == ["request"]


def test_reasons_go_with_a_refusal_not_a_grant(runner: CliRunner, tmp_path: Path) -> None:
    _, register = _family(tmp_path, runner)
    result = runner.invoke(main, ["register", "reply", "1", "--date", "2026-12-03", "--outcome",
                                  "granted", "--reasons", "not-given", "--register",
                                  str(register)])
    assert result.exit_code == 2
    assert ("Error: Invalid value for --reasons: --reasons is for a refusal or a partial "
            "outcome.") in result.output
    with open_register(register) as reg:
        assert reg.replies() == []
