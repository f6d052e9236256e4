"""The register for a charity: hints that name real options, dates read as people type them,
void letters, follow-ups in bulk from the cases the register kept, and a register made by an
earlier swletter upgraded with nothing lost (issue 17, items 8, 9, 11 and 13)."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from cli import main
from letters.register.store import SCHEMA_VERSION, open_register

from .conftest import MINIMAL, write_case
from .test_reference_docx import HEADER_TEXT, make_reference
from .test_sheets import ROW, workbook


@pytest.fixture(autouse=True)
def _no_register_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SWLETTER_REGISTER", raising=False)


def _ok(result: object) -> None:
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]


def _family(tmp_path: Path, runner: CliRunner) -> tuple[Path, Path]:
    case = write_case(tmp_path, MINIMAL)
    register = tmp_path / "letters.sqlite"
    _ok(runner.invoke(main, ["render", str(case), "--register", str(register)]))
    return case, register


def _listed(runner: CliRunner, register: Path, as_of: str) -> list[dict[str, str]]:
    result = runner.invoke(main, ["register", "list", "--register", str(register), "--as-of",
                                  as_of, "--format", "json"])
    _ok(result)
    return list(json.loads(result.stdout))


# --------------------------------------------------------------------------------------------
# Item 8: hints that name real options; dates as people type them


@pytest.mark.parametrize("command", ["export", "ics"])
def test_an_existing_file_is_refused_with_the_option_that_exists(
        runner: CliRunner, tmp_path: Path, command: str) -> None:
    _, register = _family(tmp_path, runner)
    target = tmp_path / ("report.csv" if command == "export" else "replies.ics")
    target.write_text("mine\n", encoding="utf-8")
    result = runner.invoke(main, ["register", command, str(target), "--register",
                                  str(register)])
    assert result.exit_code == 1
    assert result.output == (f"Error: {target} already exists. Use --force to replace it, or "
                             "give another file name.\n")
    assert target.read_text(encoding="utf-8") == "mine\n"
    missing = tmp_path / "no-such-folder" / target.name
    result = runner.invoke(main, ["register", command, str(missing), "--register",
                                  str(register)])
    assert result.output == (f"Error: the folder {missing.parent} does not exist. Create it "
                             "first, or give another file name.\n")


def test_a_date_that_does_not_exist_is_named_in_swletters_words(runner: CliRunner,
                                                                tmp_path: Path) -> None:
    _, register = _family(tmp_path, runner)
    result = runner.invoke(main, ["register", "reply", "1", "--date", "2026-02-30",
                                  "--outcome", "refused", "--register", str(register)])
    assert result.exit_code == 2
    assert ("there is no 30 February; February has 28 days. Write the date such as 2026-12-03 "
            "or 3 December 2026.") in result.output
    assert "%Y" not in result.output
    # A date as people type it is read as a case file's dates are.
    _ok(runner.invoke(main, ["register", "reply", "1", "--date", "3 December 2026",
                             "--outcome", "refused", "--register", str(register)]))
    with open_register(register) as reg:
        assert [r.reply_date for r in reg.replies()] == [dt.date(2026, 12, 3)]


# --------------------------------------------------------------------------------------------
# Item 9: void letters


def test_a_follow_up_of_the_wrong_kind_is_voided_and_the_request_falls_back(
        runner: CliRunner, tmp_path: Path) -> None:
    case, register = _family(tmp_path, runner)
    wrong = runner.invoke(main, ["followup", str(case), "--kind", "reasons", "--date",
                                 "2026-12-08", "--register", str(register)])
    _ok(wrong)
    assert "the register records no refusal" in wrong.stderr
    assert [r["latest"] for r in _listed(runner, register, "2026-12-09")] == [
        "reasons 2 of 2026-12-08"]

    voided = runner.invoke(main, ["register", "void", "2", "--reason",
                                  "Sent by mistake: no refusal yet", "--register",
                                  str(register), "--as-of", "2026-12-09"])
    _ok(voided)
    assert voided.stdout == (
        "Letter 2 (reasons of 2026-12-08) is now void: it is kept in the register, and left "
        "out of every list.\nRequest 1 now stands at: overdue (latest letter: request 1).\n")
    [row] = _listed(runner, register, "2026-12-09")
    assert (row["status"], row["latest"], row["letters"]) == (
        "overdue", "request 1 of 2026-11-23", "request 1")
    with open_register(register) as reg:  # kept, never deleted
        assert [(x.id, x.void_reason) for x in reg.letters()] == [
            (1, None), (2, "Sent by mistake: no refusal yet")]
        with pytest.raises(sqlite3.DatabaseError):
            reg._db.execute("DELETE FROM voids")  # append-only, as every table

    again = runner.invoke(main, ["register", "void", "2", "--reason", "twice", "--register",
                                 str(register)])
    assert again.exit_code == 1
    assert again.output == f"Error: letter 2 in the register {register} is already void.\n"


def test_a_void_request_leaves_every_list_and_export(runner: CliRunner, tmp_path: Path) -> None:
    _, register = _family(tmp_path, runner)
    _ok(runner.invoke(main, ["register", "void", "1", "--reason", "Never sent",
                             "--register", str(register)]))
    assert _listed(runner, register, "2026-12-09") == []
    export = tmp_path / "report.csv"
    exported = runner.invoke(main, ["register", "export", str(export), "--register",
                                    str(register)])
    assert exported.stdout == f"Wrote {export} (0 requests).\n"
    calendar = runner.invoke(main, ["register", "ics", str(tmp_path / "r.ics"), "--register",
                                    str(register)])
    assert calendar.stdout == f"Wrote {tmp_path / 'r.ics'} (0 reply-by dates).\n"


# --------------------------------------------------------------------------------------------
# Item 11: follow-ups in bulk, from the cases the register kept


def test_overdue_requests_get_chasers_on_the_letterhead_from_the_register_alone(
        runner: CliRunner, tmp_path: Path) -> None:
    letterhead = make_reference(tmp_path / "letterhead.docx")
    book = workbook(tmp_path / "clients.xlsx", [
        {**ROW, "caseworker": "Alex Morgan"},
        {**ROW, "case_id": "C015", "child_1_name": "Ava Brown", "caseworker": "Sam Patel"},
        {**ROW, "case_id": "C016", "child_1_name": "Leo Stone", "date": "2026-12-01"},
    ])
    register = tmp_path / "charity.sqlite"
    _ok(runner.invoke(main, ["bulk", str(book), "--out", str(tmp_path / "letters"),
                             "--register", str(register), "--reference-docx", str(letterhead)]))
    book.unlink()  # the follow-ups need nothing but the register

    out = tmp_path / "chasers"
    result = runner.invoke(main, ["followup", "--register", str(register), "--overdue",
                                  "--kind", "chaser", "--out", str(out), "--date", "2026-12-09",
                                  "--reference-docx", str(letterhead)])

    _ok(result)
    assert result.stdout.splitlines() == [
        f"Wrote {out / 'chaser-mia-green-2026-12-09.docx'} for request 1 (C014), reply by "
        "23 December 2026; recorded as letter 4.",
        f"Wrote {out / 'chaser-ava-brown-2026-12-09.docx'} for request 2 (C015), reply by "
        "23 December 2026; recorded as letter 5.",
        f"2 follow-ups written for 2 overdue requests in the register {register}."]
    chaser = docx.Document(str(out / "chaser-mia-green-2026-12-09.docx"))
    assert HEADER_TEXT in chaser.sections[0].header.paragraphs[0].text
    text = "\n".join(p.text for p in chaser.paragraphs)
    assert "I wrote to you on 23 November 2026" in text and "Mia Green" in text
    rows = _listed(runner, register, "2026-12-10")
    assert [(r["latest"], r["status"], r["caseworker"]) for r in rows] == [
        ("chaser 4 of 2026-12-09", "awaiting reply", "Alex Morgan"),
        ("chaser 5 of 2026-12-09", "awaiting reply", "Sam Patel"),
        ("request 3 of 2026-12-01", "awaiting reply", "")]
    # Nothing is overdue now: a second run writes nothing.
    again = runner.invoke(main, ["followup", "--register", str(register), "--overdue",
                                 "--kind", "chaser", "--out", str(out), "--date", "2026-12-09"])
    assert again.stdout == f"No request in the register {register} is overdue.\n"


def test_a_request_recorded_without_its_case_is_named_and_the_others_written(
        runner: CliRunner, tmp_path: Path) -> None:
    register = tmp_path / "charity.sqlite"
    for name in ("Mia Green", "Ava Brown"):
        folder = tmp_path / name.split()[0]
        folder.mkdir()
        case = write_case(folder, MINIMAL.replace("Mia Green", name))
        _ok(runner.invoke(main, ["render", str(case), "--register", str(register)]))
    db = sqlite3.connect(register)  # as an earlier swletter recorded it: no case kept
    db.execute("DROP TRIGGER letters_no_update")
    db.execute("UPDATE letters SET case_data = NULL WHERE id = 1")
    db.commit()
    db.close()
    out = tmp_path / "chasers"
    result = runner.invoke(main, ["followup", "--register", str(register), "--overdue",
                                  "--kind", "chaser", "--out", str(out), "--date", "2026-12-09"])
    assert result.exit_code == 1
    assert result.stderr == (
        f"Not written for request 1: the register {register} has no case kept with letter 1: it "
        "was recorded by an earlier swletter. Write its follow-up from the case file: swletter "
        f"followup CASE --kind chaser --register {register}\n")
    assert [p.name for p in out.iterdir()] == ["chaser-ava-brown-2026-12-09.docx"]


def test_overdue_takes_no_case_and_needs_a_folder(runner: CliRunner, tmp_path: Path) -> None:
    case, register = _family(tmp_path, runner)
    both = runner.invoke(main, ["followup", str(case), "--overdue", "--kind", "chaser",
                                "--register", str(register), "--out", str(tmp_path / "x")])
    assert both.exit_code == 2
    assert f"--overdue writes from the register's cases; leave out {case}." in both.output
    nowhere = runner.invoke(main, ["followup", "--overdue", "--kind", "chaser", "--register",
                                   str(register)])
    assert nowhere.exit_code == 2
    assert "--overdue needs --out DIR: the folder for the follow-ups." in nowhere.output
    reasons = runner.invoke(main, ["followup", "--overdue", "--kind", "reasons", "--register",
                                   str(register), "--out", str(tmp_path / "x")])
    assert reasons.exit_code == 2
    assert "with --overdue the kind is chaser (a reminder) or complaint" in reasons.output


def test_the_case_kept_gives_the_same_letter(runner: CliRunner, tmp_path: Path,
                                             full_case: Path) -> None:
    from letters import api
    from letters.register.casedata import case_from_json, case_json, case_to_data

    case = api.read_case(full_case)
    kept = case_from_json(case_json(case), register="r", letter_id=1)
    today = dt.date(2026, 11, 23)
    assert api.render_request(kept, today=today).markdown == \
        api.render_request(case, today=today).markdown
    assert "base_dir" not in case_to_data(case)


# --------------------------------------------------------------------------------------------
# The register's own upgrade


V2 = """
PRAGMA application_id = 1398230098;
CREATE TABLE letters (id INTEGER PRIMARY KEY, recorded_at TEXT NOT NULL, kind TEXT NOT NULL,
    letter_date TEXT NOT NULL, reply_by TEXT NOT NULL, case_reference TEXT,
    children TEXT NOT NULL, recipient_organisation TEXT NOT NULL, grounds TEXT NOT NULL,
    output_path TEXT NOT NULL, sha256 TEXT NOT NULL,
    jurisdiction TEXT NOT NULL DEFAULT 'england', follows INTEGER REFERENCES letters(id),
    UNIQUE (output_path, sha256));
CREATE TABLE replies (id INTEGER PRIMARY KEY, letter_id INTEGER NOT NULL REFERENCES letters(id),
    recorded_at TEXT NOT NULL, reply_date TEXT NOT NULL, outcome TEXT NOT NULL, reasons TEXT,
    note TEXT, answers_through INTEGER);
INSERT INTO letters VALUES (1, '2026-11-23T10:00:00+00:00', 'request', '2026-11-23',
    '2026-12-07', 'CP-1', '["Sam Doe"]', 'East Sussex County Council',
    '["communication_breakdown"]', '/letters/one.docx', 'aa', 'england', NULL);
INSERT INTO letters VALUES (2, '2026-12-08T10:00:00+00:00', 'chaser', '2026-12-08',
    '2026-12-22', 'CP-1', '["Sam Doe"]', 'East Sussex County Council',
    '["communication_breakdown"]', '/letters/two.docx', 'bb', 'england', 1);
PRAGMA user_version = 2;
"""


def test_a_version_2_register_is_upgraded_keeping_everything(tmp_path: Path) -> None:
    path = tmp_path / "v2.sqlite"
    db = sqlite3.connect(path)
    db.executescript(V2)
    db.close()
    with open_register(path) as register:
        assert [(x.id, x.kind, x.follows, x.case_data, x.caseworker, x.void_reason)
                for x in register.letters()] == [(1, "request", None, None, None, None),
                                                 (2, "chaser", 1, None, None, None)]
        [status] = register.statuses(dt.date(2026, 12, 10))
        assert (status.request.id, status.latest.id, status.status) == (1, 2, "awaiting reply")
        register.void_letter(2, "sent twice")
        [status] = register.statuses(dt.date(2026, 12, 10))
        assert (status.latest.id, status.status) == (1, "overdue")
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 4
    db.close()
