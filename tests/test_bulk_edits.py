"""`swletter bulk` run again after the spreadsheet changed: edits take, a changed case replaces
its own letter (the earlier one kept in previous/), the report describes every case as it now
stands, and one run at a time writes into a folder (issue 17, items 3 to 5; issue 14's
`--config` register)."""

from __future__ import annotations

import csv
import datetime as dt
import fcntl
import io
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cli import main
from letters.register.store import open_register

from .conftest import MINIMAL, ROOT, write_case
from .processes import SWLETTER
from .test_sheets import ROW, workbook

OTHER = {**ROW, "case_id": "C015", "child_1_name": "Ava Brown", "sender_name": "Sue Brown"}


@pytest.fixture(autouse=True)
def _no_register_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SWLETTER_REGISTER", raising=False)


def report(out: Path, name: str = "bulk-report.csv") -> dict[str, dict[str, str]]:
    """The report's rows by case_id."""
    rows = csv.DictReader(io.StringIO((out / name).read_text(encoding="utf-8-sig")))
    return {row["case_id"]: row for row in rows}


def run(runner: CliRunner, *args: str) -> Any:
    result = runner.invoke(main, ["bulk", *args])
    assert result.exit_code == 0, result.output
    return result


def test_a_fixed_phone_number_is_written_again_and_the_earlier_letter_kept(
        runner: CliRunner, tmp_path: Path) -> None:
    book = workbook(tmp_path / "clients.xlsx", [ROW, OTHER])
    out = tmp_path / "out"
    args = (str(book), "--out", str(out), "--format", "md")
    run(runner, *args)
    first = (out / "letter-c014-mia-green.md").read_text(encoding="utf-8")
    untouched = (out / "letter-c015-ava-brown.md").stat().st_mtime_ns

    workbook(book, [{**ROW, "sender_phone": "07700 900123"}, OTHER])
    again = run(runner, *args)

    assert again.stdout.startswith("Done: 1 written, 1 already done, 0 failed, of 2 cases")
    assert "You can contact me on 07700 900123." in \
        (out / "letter-c014-mia-green.md").read_text(encoding="utf-8")
    kept = out / "previous" / "letter-c014-mia-green.v1.md"
    assert kept.read_text(encoding="utf-8") == first
    assert (f"Rewritten: 1 letter whose case changed since it was written; each earlier letter "
            f"is kept in {out / 'previous'}.") in again.stdout
    rows = report(out)
    assert (rows["C014"]["status"], rows["C014"]["previous"]) == ("written", str(kept))
    assert (rows["C015"]["status"], rows["C015"]["previous"]) == ("already done", "")
    assert (out / "letter-c015-ava-brown.md").stat().st_mtime_ns == untouched
    # Run once more, nothing changed: nothing is written, nothing more is kept.
    third = run(runner, *args)
    assert third.stdout.startswith("Done: 0 written, 2 already done, 0 failed")
    assert sorted(p.name for p in (out / "previous").iterdir()) == [kept.name]


def test_a_corrected_name_leaves_one_letter_for_the_case(runner: CliRunner,
                                                         tmp_path: Path) -> None:
    book = workbook(tmp_path / "clients.xlsx", [ROW, OTHER])
    out, register = tmp_path / "out", tmp_path / "charity.sqlite"
    args = (str(book), "--out", str(out), "--format", "md", "--register", str(register))
    run(runner, *args)

    workbook(book, [{**ROW, "child_1_name": "Mia Greene"}, OTHER])
    again = run(runner, *args)

    assert again.stdout.startswith("Done: 1 written, 1 already done, 0 failed, of 2 cases")
    assert sorted(p.name for p in out.glob("*.md")) == ["letter-c014-mia-greene.md",
                                                        "letter-c015-ava-brown.md"]
    kept = out / "previous" / "letter-c014-mia-green.v1.md"
    assert "Mia Green " in kept.read_text(encoding="utf-8")
    assert report(out)["C014"]["previous"] == str(kept)
    # The register keeps both letters, and lists the request once, as it now stands.
    with open_register(register) as reg:
        assert [x.children for x in reg.letters()] == [
            ("Mia Green",), ("Ava Brown",), ("Mia Greene",)]
        assert [(s.request.children, s.request.charity_case_id)
                for s in reg.statuses(dt.date(2026, 11, 24))] == [
            (("Ava Brown",), "C015"), (("Mia Greene",), "C014")]


def test_a_case_changed_twice_keeps_each_earlier_version(runner: CliRunner,
                                                         tmp_path: Path) -> None:
    book = workbook(tmp_path / "clients.xlsx", [ROW])
    out = tmp_path / "out"
    args = (str(book), "--out", str(out), "--format", "md")
    run(runner, *args)
    for phone in ("01632 960001", "01632 960002"):
        workbook(book, [{**ROW, "sender_phone": phone}])
        run(runner, *args)
    versions = sorted(p.name for p in (out / "previous").iterdir())
    assert versions == ["letter-c014-mia-green.v1.md", "letter-c014-mia-green.v2.md"]
    assert "01632 960001" in (out / "previous" / versions[1]).read_text(encoding="utf-8")
    assert "01632 960002" in (out / "letter-c014-mia-green.md").read_text(encoding="utf-8")


def test_changed_templates_write_every_letter_again(runner: CliRunner, tmp_path: Path) -> None:
    book = workbook(tmp_path / "clients.xlsx", [ROW, OTHER])
    ours = tmp_path / "our-wording"
    assert runner.invoke(main, ["templates", "export", str(ours)]).exit_code == 0
    out = tmp_path / "out"
    args = (str(book), "--out", str(out), "--format", "md", "--templates", str(ours))
    run(runner, *args)
    assert run(runner, *args).stdout.startswith("Done: 0 written, 2 already done")

    template = ours / "change_request.md.j2"
    template.write_text(template.read_text(encoding="utf-8").replace(
        "Thank you for considering this request.", "Thank you for your time."), "utf-8")
    # A process of its own, as every swletter command is: one reads a template folder once.
    again = subprocess.run([*SWLETTER, "bulk", *args], capture_output=True, text=True,
                           check=True)

    assert again.stdout.startswith("Done: 2 written, 0 already done")
    assert all("Thank you for your time." in p.read_text(encoding="utf-8")
               for p in out.glob("*.md"))


def test_a_rerun_report_describes_every_case_as_it_stands(runner: CliRunner,
                                                         tmp_path: Path) -> None:
    shouting = {**OTHER, "communication_breakdown_summary": "The worker NEVER answers."}
    book = workbook(tmp_path / "clients.xlsx", [ROW, shouting])
    out = tmp_path / "out"
    args = (str(book), "--out", str(out), "--format", "md")
    run(runner, *args)
    before = report(out)

    run(runner, *args)

    after = report(out)
    assert [row["status"] for row in after.values()] == ["already done", "already done"]
    for case_id in ("C014", "C015"):
        assert after[case_id]["reply_by"] == before[case_id]["reply_by"] == "2026-12-07"
        assert after[case_id]["warnings"] == before[case_id]["warnings"]
        assert after[case_id]["advice"] == before[case_id]["advice"]
    assert "Warning (shouting)" in after["C015"]["advice"]


def test_a_second_run_into_the_same_folder_is_told_plainly(runner: CliRunner,
                                                           tmp_path: Path) -> None:
    write_case(tmp_path, MINIMAL)
    out = tmp_path / "out"
    (out / ".swletter").mkdir(parents=True)
    with open(out / ".swletter" / "bulk.lock", "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # as the first run holds it
        second = runner.invoke(main, ["bulk", str(tmp_path / "case.yaml"), "--out", str(out)])
    assert second.exit_code == 1
    assert second.output == (f"Error: another swletter bulk run is writing letters into {out} "
                             "right now. Wait for it to finish (or stop it), then run this "
                             "again; or give --out another folder.\n")
    assert list(out.glob("*.docx")) == []


def test_the_lock_goes_with_a_run_killed_outright(runner: CliRunner, tmp_path: Path) -> None:
    write_case(tmp_path, MINIMAL)
    out = tmp_path / "out"
    out.mkdir()
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time\nfrom pathlib import Path\n"
         "from letters.bulk.folder import lock_folder\n"
         f"with lock_folder(Path({str(out)!r})):\n    print('held', flush=True)\n"
         "    time.sleep(60)\n"], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        busy = runner.invoke(main, ["bulk", str(tmp_path / "case.yaml"), "--out", str(out)])
        assert "another swletter bulk run is writing letters into" in busy.output
        os.kill(holder.pid, signal.SIGKILL)
    finally:
        holder.kill()
        holder.communicate()  # waits, and closes its output
    assert runner.invoke(main, ["bulk", str(tmp_path / "case.yaml"), "--out",
                                str(out)]).exit_code == 0


def test_bulk_records_in_the_register_its_config_names(runner: CliRunner, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    charity = tmp_path / "charity"
    charity.mkdir()
    (charity / "charity.toml").write_text('register = "letters.sqlite"\n', encoding="utf-8")
    write_case(tmp_path, MINIMAL)
    monkeypatch.chdir(tmp_path)  # a folder with no swletter.toml of its own
    result = run(runner, str(tmp_path / "case.yaml"), "--out", "out", "--config",
                 str(charity / "charity.toml"))
    assert f"Register: {charity / 'letters.sqlite'} (1 new letter recorded)" in result.stdout
    with open_register(charity / "letters.sqlite") as register:
        assert [x.children for x in register.letters()] == [("Mia Green",)]
