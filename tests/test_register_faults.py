"""A register that cannot be written, is held by another program, or was damaged (issue 13,
item 9): found out before a letter is written, read where reading is all that is asked, and
named plainly.

Root may write a read-only file, and the tests may run as root: the tests with read-only files
and folders run swletter without that power (tests/processes.py), and first check that it
really cannot write there, so they prove what they say.
"""

from __future__ import annotations

import json
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner

import letters.register.opening
from cli import main
from letters.register.store import open_register

from .conftest import MINIMAL, write_case
from .processes import run_bound_by_permissions, swletter_bound_by_permissions


@pytest.fixture(autouse=True)
def _no_register_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SWLETTER_REGISTER", raising=False)


def _family(folder: Path, runner: CliRunner, register: Path) -> Path:
    """Tom's case, with his request of 23 November 2026 recorded as letter 1."""
    case = write_case(folder, MINIMAL)
    first = runner.invoke(main, ["render", str(case), "-o", str(folder / "request.docx"),
                                 "--register", str(register)])
    assert first.exit_code == 0, first.output
    return case


def _letters_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*.docx"))


@contextmanager
def _held_by_another_program(register: Path) -> Iterator[None]:
    """Another connection holds the register's write lock, as a second swletter or a database
    viewer in the middle of a change would."""
    other = sqlite3.connect(register, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        yield
    finally:
        other.execute("ROLLBACK")
        other.close()


def test_a_register_in_use_is_waited_for_then_named_and_no_letter_is_written(
        runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(letters.register.opening, "BUSY_TIMEOUT", 0.5)  # the bound, made short
    register = tmp_path / "letters.sqlite"
    case = _family(tmp_path, runner, register)
    busy = (f"Error: the register {register} is being used by another swletter (or another "
            "program that has it open), and was still busy after 0.5 seconds. Try again when "
            "it has finished.\n")
    with _held_by_another_program(register):
        render = runner.invoke(main, ["render", str(case), "-o", str(tmp_path / "again.docx"),
                                      "--register", str(register)])
        assert (render.exit_code, render.stderr) == (1, busy)
        followup = runner.invoke(main, ["followup", str(case), "--kind", "chaser", "-o",
                                        str(tmp_path / "chaser.docx"), "--date", "2026-12-10",
                                        "--register", str(register)])
        assert (followup.exit_code, followup.stderr) == (1, busy)
        bulk = runner.invoke(main, ["bulk", str(case), "--out", str(tmp_path / "out"),
                                    "--register", str(register)])
        assert (bulk.exit_code, bulk.stderr) == (1, busy)
        reply = runner.invoke(main, ["register", "reply", "1", "--date", "2026-12-03",
                                     "--outcome", "granted", "--register", str(register)])
        assert (reply.exit_code, reply.stderr) == (1, busy)
        assert _letters_in(tmp_path) == ["request.docx"]
        # Reading needs no lock: the list, the export and the calendar still work.
        listing = runner.invoke(main, ["register", "list", "--format", "json",
                                       "--register", str(register)])
        assert listing.exit_code == 0, listing.output
        assert [row["children"] for row in json.loads(listing.stdout)] == ["Mia Green"]
        export = runner.invoke(main, ["register", "export", str(tmp_path / "report.csv"),
                                      "--register", str(register)])
        assert export.exit_code == 0, export.output


@pytest.mark.parametrize("where", ["missing-folder", "file-as-folder"])
def test_a_register_that_cannot_be_made_is_found_before_the_letter(
        runner: CliRunner, tmp_path: Path, where: str) -> None:
    case = write_case(tmp_path, MINIMAL)
    if where == "file-as-folder":
        (tmp_path / "records").write_text("a file, not a folder", encoding="utf-8")
    register = tmp_path / "records" / "letters.sqlite"
    out = tmp_path / "letter.docx"
    result = runner.invoke(main, ["render", str(case), "-o", str(out), "--register",
                                  str(register)])
    records = register.parent
    assert result.exit_code == 1
    assert result.stdout == ""  # not "Wrote …"
    assert result.stderr == (
        f"Error: the folder {records} for the register does not exist. Create it first, or "
        "give another --register path.\n" if where == "missing-folder" else
        f"Error: {records} is a file, so it cannot hold the register {register}. Give another "
        "--register path.\n")
    assert not out.exists()


def _made_read_only(path: Path, mode: int) -> Path:
    path.chmod(mode)
    return path


@pytest.fixture
def read_only_register(runner: CliRunner, tmp_path: Path,
                       request: pytest.FixtureRequest) -> Iterator[tuple[Path, Path]]:
    """Tom's case and his register with one letter; the register file read-only (0400), or
    the folder it is in read-only (0500), as the test's parameter says."""
    records = tmp_path / "records"
    records.mkdir()
    register = records / "letters.sqlite"
    case = _family(tmp_path, runner, register)
    target = register if request.param == "file" else records
    _made_read_only(target, 0o400 if request.param == "file" else 0o500)
    # The proof that the test means something: swletter's process really cannot write there.
    probe = run_bound_by_permissions(
        [sys.executable, "-c", f"open({str(register)!r}, 'r+b').close()"
         if request.param == "file" else f"open({str(records / 'x')!r}, 'w').close()"],
        tmp_path)
    assert "PermissionError" in probe.stderr, probe
    try:
        yield case, register
    finally:
        target.chmod(0o700)


@pytest.mark.parametrize("read_only_register", ["file", "folder"], indirect=True)
def test_a_read_only_register_is_read_and_refused_for_writing_before_the_letter(
        tmp_path: Path, read_only_register: tuple[Path, Path]) -> None:
    case, register = read_only_register
    refused = (f"Error: the register {register} cannot be written: the file, or the folder or "
               "disk it is on, is read-only. Make it writable, or give another --register "
               "file.\n")
    render = swletter_bound_by_permissions(
        ["render", str(case), "-o", str(tmp_path / "again.docx"), "--register", str(register)],
        tmp_path)
    assert (render.returncode, render.stdout, render.stderr) == (1, "", refused)
    followup = swletter_bound_by_permissions(
        ["followup", str(case), "--kind", "chaser", "--date", "2026-12-10", "-o",
         str(tmp_path / "chaser.docx"), "--register", str(register)], tmp_path)
    assert (followup.returncode, followup.stderr) == (1, refused)
    bulk = swletter_bound_by_permissions(
        ["bulk", str(case), "--out", str(tmp_path / "out"), "--register", str(register)],
        tmp_path)
    assert (bulk.returncode, bulk.stderr) == (1, refused)
    assert _letters_in(tmp_path) == ["request.docx"]
    # Listing, exporting and the calendar only read it: they work.
    listing = swletter_bound_by_permissions(
        ["register", "list", "--format", "json", "--register", str(register)], tmp_path)
    assert listing.returncode == 0, listing.stderr
    assert [row["children"] for row in json.loads(listing.stdout)] == ["Mia Green"]
    for command in (["register", "export", str(tmp_path / "report.csv")],
                    ["register", "ics", str(tmp_path / "replies.ics")]):
        done = swletter_bound_by_permissions([*command, "--register", str(register)],
                                             tmp_path)
        assert done.returncode == 0, done.stderr
        assert done.stdout.startswith("Wrote ")


def _insert(register: Path, sql: str, values: tuple[object, ...]) -> None:
    """Add a row as another program could (the register refuses changes, not additions)."""
    db = sqlite3.connect(register)
    db.execute(sql, values)
    db.commit()
    db.close()


_LETTER = ("INSERT INTO letters (recorded_at, kind, letter_date, reply_by, children,"
           " recipient_organisation, grounds, output_path, sha256)"
           " VALUES (?, ?, ?, ?, ?, 'Sefton Council', '[]', ?, 'ab12')")


@pytest.mark.parametrize(("values", "problem"), [
    (("2026-11-24T10:00:00+00:00", "request", "2026-13-45", "2026-12-08", '["Ann Lee"]'),
     "in letter 2, letter_date is '2026-13-45', not a date such as 2026-11-23."),
    (("2026-11-24T10:00:00+00:00", "request", "2026-11-24", "2026-12-08", '["Ann Lee"'),
     'in letter 2, children is not a list as swletter writes it (["Sam Doe"]).'),
    (("2026-11-24T10:00:00+00:00", "memo", "2026-11-24", "2026-12-08", '["Ann Lee"]'),
     "in letter 2, kind is 'memo', not one of: request, chaser, reasons, complaint."),
    ((b"2026-11-24", "request", "2026-11-24", "2026-12-08", '["Ann Lee"]'),
     "in letter 2, recorded_at is not text."),
], ids=["bad-date", "bad-json", "bad-kind", "number-for-text"])
def test_a_damaged_letter_record_is_named_with_the_register_and_the_letter(
        runner: CliRunner, tmp_path: Path, values: tuple[object, ...], problem: str) -> None:
    register = tmp_path / "letters.sqlite"
    case = _family(tmp_path, runner, register)
    _insert(register, _LETTER, (*values, "/letters/other.docx"))
    expected = (f"Error: the register {register} has a damaged record: {problem} Was it "
                "changed with another program? Put it back as swletter wrote it, or use a "
                "backup copy of the register.\n")
    for command in (["register", "list"], ["register", "export", str(tmp_path / "r.csv")],
                    ["followup", str(case), "--kind", "chaser", "--date", "2026-12-10"]):
        result = runner.invoke(main, [*command, "--register", str(register)])
        assert (result.exit_code, result.stderr) == (1, expected), command
    assert not (tmp_path / "r.csv").exists()


def test_a_damaged_reply_record_is_named(runner: CliRunner, tmp_path: Path) -> None:
    register = tmp_path / "letters.sqlite"
    _family(tmp_path, runner, register)
    _insert(register, "INSERT INTO replies (letter_id, recorded_at, reply_date, outcome,"
            " answers_through) VALUES (1, '2026-12-04T09:00:00+00:00', '3 Dec', 'granted', 1)",
            ())
    result = runner.invoke(main, ["register", "list", "--register", str(register)])
    assert result.exit_code == 1
    assert result.stderr.startswith(
        f"Error: the register {register} has a damaged record: in reply 1 (to letter 1), "
        "reply_date is '3 Dec', not a date such as 2026-11-23.")


def test_reading_opens_the_register_read_only(tmp_path: Path, runner: CliRunner) -> None:
    register = tmp_path / "letters.sqlite"
    _family(tmp_path, runner, register)
    with open_register(register, read_only=True) as reg:
        assert [letter.id for letter in reg.letters()] == [1]
        with pytest.raises(sqlite3.OperationalError):  # SQLite itself refuses any change
            reg._db.execute("PRAGMA user_version = 7")
