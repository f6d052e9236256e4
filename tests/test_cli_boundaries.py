"""Inputs at the edges that once ended as "unexpected problem … bug in swletter" (issue 13,
item 11): each now gets a message a person can act on.

A date in the year 9999, a file name too long for the file system, a folder that cannot be
written or even looked into, a terminal that cannot show a character of the letter, and
output to a full device.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main
from letters.dates import add_working_days
from letters.errors import DateError

from .conftest import MINIMAL, write_case
from .processes import run_swletter

# --------------------------------------------------------------------------------------------
# Dates


@pytest.mark.parametrize(("old", "new", "line", "field"), [
    ("date: 2026-11-23", "date: 9999-12-31", 1, "date"),
    ("date: 2026-11-23", "date: 0001-01-01", 1, "date"),
    ("  - name: Mia Green\n", "  - name: Mia Green\n    date_of_birth: 9999-12-31\n", 12,
     "children[1].date_of_birth"),
], ids=["letter-9999", "letter-year-1", "birth-9999"])
def test_a_date_in_a_year_no_letter_can_use(runner: CliRunner, tmp_path: Path, old: str,
                                            new: str, line: int, field: str) -> None:
    case = write_case(tmp_path, MINIMAL.replace(old, new))
    result = runner.invoke(main, ["render", str(case), "-o", str(tmp_path / "letter.md")])
    assert result.exit_code == 1
    assert result.output.splitlines()[1].startswith(
        f"  - line {line}, {field}: the year is not one a letter can use: write a year from "
        "1900 to 2199.")
    assert not (tmp_path / "letter.md").exists()


def test_a_date_option_in_a_year_no_letter_can_use(runner: CliRunner, tmp_path: Path) -> None:
    case = write_case(tmp_path, MINIMAL)
    result = runner.invoke(main, ["followup", str(case), "--kind", "chaser",
                                  "--first-letter-date", "9999-12-31", "-o", "-"])
    assert result.exit_code == 2
    assert ("Invalid value for '--first-letter-date': 9999-12-31 is not in a year a letter can "
            "use: give a date from 1900 to 2199.") in result.output


def test_a_reply_by_date_past_the_last_date_there_is() -> None:
    assert add_working_days(dt.date(2199, 12, 31), 10, "england") == dt.date(2200, 1, 14)
    with pytest.raises(DateError, match=r"^20 December 9999 is too far in the future to count "
                                        r"a reply-by date from"):
        add_working_days(dt.date(9999, 12, 20), 10, "england")


# --------------------------------------------------------------------------------------------
# Where a letter cannot go


def test_a_file_name_too_long_for_the_file_system(runner: CliRunner, tmp_path: Path) -> None:
    case = write_case(tmp_path, MINIMAL)
    name = "a" * 300 + ".md"
    result = runner.invoke(main, ["render", str(case), "-o", str(tmp_path / name)])
    assert result.exit_code == 1
    assert result.output.startswith("Error: cannot write ")
    assert result.output.endswith(": the name is too long for the file system (a file name may "
                                  "have at most 255 bytes). Choose a shorter name with -o.\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["case.yaml"]


def test_a_name_almost_as_long_as_the_file_system_allows(runner: CliRunner,
                                                          tmp_path: Path) -> None:
    # The temporary file beside it must not need a longer name than the letter itself.
    case = write_case(tmp_path, MINIMAL)
    target = tmp_path / ("a" * 252 + ".md")
    result = runner.invoke(main, ["render", str(case), "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert target.is_file()


def test_a_folder_that_is_a_file(runner: CliRunner, tmp_path: Path) -> None:
    case = write_case(tmp_path, MINIMAL)
    (tmp_path / "notes").write_text("mine\n", encoding="utf-8")
    result = runner.invoke(main, ["render", str(case), "-o", str(tmp_path / "notes" / "x.md")])
    assert result.exit_code == 1
    assert result.output == (f"Error: {tmp_path / 'notes'} is a file, not a folder, so nothing "
                             "can be written inside it. Choose another name.\n")


@pytest.fixture
def locked_folder(tmp_path: Path) -> Iterator[Path]:
    """A folder with the given mode, its mode restored afterwards so it can be cleaned up."""
    folder = tmp_path / "locked"
    folder.mkdir()
    try:
        yield folder
    finally:
        folder.chmod(0o700)


@pytest.mark.parametrize(("mode", "args", "expected"), [
    # Not even searchable: looking for the letter's name in it fails.
    (0o000, ["render", "{case}", "-o", "{folder}/letter.md"],
     "Error: cannot write {folder}/letter.md: Permission denied."),
    (0o500, ["render", "{case}", "-o", "{folder}/letter.md"],
     "Error: cannot write in {folder}: Permission denied."),
    (0o000, ["example", "{folder}/example"],
     "Error: cannot create {folder}/example: Permission denied."),
    (0o500, ["templates", "export", "{folder}/templates"],
     "Error: cannot create {folder}/templates: Permission denied."),
    (0o500, ["bulk", "{case}", "--out", "{folder}/out"],
     "Error: cannot create the folder {folder}/out: Permission denied."),
], ids=["render-000", "render-500", "example-000", "templates-500", "bulk-500"])
def test_a_folder_the_user_cannot_write(tmp_path: Path, locked_folder: Path, mode: int,
                                        args: list[str], expected: str) -> None:
    # Run as a process that obeys file modes even when the tests run as root.
    case = write_case(tmp_path, MINIMAL)
    os.chmod(case, 0o644)
    locked_folder.chmod(mode)
    filled = [a.format(case=case, folder=locked_folder) for a in args]
    result = run_swletter(filled, obey_file_modes=True)
    assert result.returncode == 1
    assert result.stderr.decode() == expected.format(folder=locked_folder) + "\n"


# --------------------------------------------------------------------------------------------
# Standard output that cannot take the letter


@pytest.mark.parametrize("args", [["render", "{case}", "-o", "-", "--format", "md"],
                                  ["grounds"]], ids=["render", "grounds"])
def test_a_terminal_that_cannot_show_every_character(tmp_path: Path, args: list[str]) -> None:
    case = write_case(tmp_path, MINIMAL.replace("Tom Green", "Tomás Grünewald ‘Tom’ Green"))
    env = {**os.environ, "PYTHONIOENCODING": "latin-1"}
    result = run_swletter([a.format(case=case) for a in args], env=env)
    assert result.returncode == 0, result.stderr.decode("latin-1")
    shown = result.stdout.decode("latin-1")
    assert "unexpected problem" not in result.stderr.decode("latin-1")
    if args[0] == "render":
        assert "Tomás Grünewald ?Tom? Green" in shown  # what latin-1 has, and "?" for the rest
    else:
        assert "communication_breakdown ? Breakdown in communication" in shown


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("args", [["grounds"], ["render", "{case}", "-o", "-"],
                                  ["check", "{case}"], ["--help"]],
                         ids=["grounds", "render", "check", "help"])
def test_output_to_a_full_device(tmp_path: Path, args: list[str]) -> None:
    case = write_case(tmp_path, MINIMAL)
    # The existing /dev/full is opened for writing, and nothing else: no O_CREAT or O_TRUNC.
    full = os.open("/dev/full", os.O_WRONLY)
    try:
        result = run_swletter([a.format(case=case) for a in args], stdout=full)
    finally:
        os.close(full)
    assert result.returncode == 1
    assert result.stderr.decode() == ("Error: the output could not be written (No space left "
                                      "on device). If it goes to a file, is the disk full?\n")

