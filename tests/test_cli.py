"""The command line: exit codes, exact messages, and files written (or not) as promised."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main

from .conftest import MINIMAL, write_case


def test_render_writes_docx_next_to_the_case(runner: CliRunner, tmp_path: Path) -> None:
    case = write_case(tmp_path, MINIMAL)
    result = runner.invoke(main, ["render", str(case)])
    assert result.exit_code == 0, result.output
    out = tmp_path / "letter-mia-green-2026-11-23.docx"
    assert result.stdout == f"Wrote {out} (reply by 7 December 2026).\n"
    assert out.read_bytes()[:2] == b"PK"
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


@pytest.mark.parametrize(("fmt", "marker"), [("md", "# "), ("html", "<!DOCTYPE html>")])
def test_render_other_formats(runner: CliRunner, tmp_path: Path, fmt: str, marker: str) -> None:
    case = write_case(tmp_path, MINIMAL)
    result = runner.invoke(main, ["render", str(case), "--format", fmt])
    assert result.exit_code == 0, result.output
    text = (tmp_path / f"letter-mia-green-2026-11-23.{fmt}").read_text(encoding="utf-8")
    assert marker in text
    assert "Dear Sir or Madam" in text


def test_format_follows_the_output_name(runner: CliRunner, tmp_path: Path) -> None:
    case = write_case(tmp_path, MINIMAL)
    result = runner.invoke(main, ["render", str(case), "-o", str(tmp_path / "mine.html")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "mine.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_format_and_output_name_must_agree(runner: CliRunner, tmp_path: Path) -> None:
    case = write_case(tmp_path, MINIMAL)
    result = runner.invoke(main, ["render", str(case), "-o", "x.md", "--format", "docx"])
    assert result.exit_code == 2
    assert ("Error: Invalid value for --format: --format docx does not match the file name x.md. "
            "Use a .docx name, or leave --format out.") in result.output
    assert not Path("x.md").exists()


def test_render_to_stdout_is_markdown(runner: CliRunner, tmp_path: Path) -> None:
    case = write_case(tmp_path, MINIMAL)
    result = runner.invoke(main, ["render", str(case), "-o", "-"])
    assert result.exit_code == 0
    assert result.stdout.startswith("Tom Green  \n4 Mill Lane")
    assert "Yours faithfully" in result.stdout
    assert sorted(os.listdir(tmp_path)) == ["case.yaml"]


def test_docx_cannot_go_to_stdout(runner: CliRunner, tmp_path: Path) -> None:
    case = write_case(tmp_path, MINIMAL)
    result = runner.invoke(main, ["render", str(case), "-o", "-", "--format", "docx"])
    assert result.exit_code == 2
    assert "a .docx cannot be written to the screen" in result.output


def test_existing_letter_is_never_overwritten_without_force(runner: CliRunner,
                                                            tmp_path: Path) -> None:
    case = write_case(tmp_path, MINIMAL)
    out = tmp_path / "letter.md"
    out.write_text("my edited letter")
    result = runner.invoke(main, ["render", str(case), "-o", str(out)])
    assert result.exit_code == 1
    assert result.stderr == (f"Error: {out} already exists. Use --force to replace it, or choose "
                             "another name with -o.\n")
    assert out.read_text() == "my edited letter"
    result = runner.invoke(main, ["render", str(case), "-o", str(out), "--force"])
    assert result.exit_code == 0
    assert "Dear Sir or Madam" in out.read_text()


def test_invalid_case_writes_nothing_and_names_every_problem(runner: CliRunner,
                                                             tmp_path: Path) -> None:
    case = write_case(tmp_path, MINIMAL.replace("2026-11-23", "2026-02-30").replace(
        "name: Mia Green", "nme: Mia Green"))
    result = runner.invoke(main, ["render", str(case)])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"Error: {case} has 3 problems:",
        "  - line 1, date: there is no 30 February; February has 28 days. For example: "
        "date: 2026-11-23",
        '  - line 11, children[1].nme: "nme" is not a field swletter knows, so it would be left '
        'out of the letter. Did you mean "name"? For example: name: Sam Doe',
        "  - line 11, children[1].name: this is required but missing. For example: name: Sam Doe",
    ]
    assert sorted(os.listdir(tmp_path)) == ["case.yaml"]


def test_missing_case_file(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["render", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 1
    missing = tmp_path / "nope.yaml"
    assert result.stderr == f"Error: {missing} has 1 problem:\n  - the file does not exist.\n"


def test_output_folder_must_exist(runner: CliRunner, tmp_path: Path) -> None:
    case = write_case(tmp_path, MINIMAL)
    result = runner.invoke(main, ["render", str(case), "-o", str(tmp_path / "no" / "x.docx")])
    assert result.exit_code == 1
    assert result.stderr == (f"Error: the folder {tmp_path / 'no'} does not exist. Create it "
                             "first, or use -o.\n")


def test_check_valid_case(runner: CliRunner, full_case: Path) -> None:
    result = runner.invoke(main, ["check", str(full_case)])
    assert result.exit_code == 0, result.output
    assert "is valid" in result.output


def test_check_invalid_case_exits_1(runner: CliRunner, tmp_path: Path) -> None:
    case = write_case(tmp_path, MINIMAL.replace("Englnd", "").replace(
        "organisation: Sefton Council", "organisaton: Sefton Council"))
    result = runner.invoke(main, ["check", str(case)])
    assert result.exit_code == 1
    assert 'Did you mean "organisation"?' in result.stderr


def test_unexpected_failure_is_a_short_message_not_a_traceback(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import letters.api
    import letters.compose.request

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom with Mia Green's details")

    monkeypatch.setattr(letters.compose.request, "compose_letter", broken)
    case = write_case(tmp_path, MINIMAL)
    result = runner.invoke(main, ["render", str(case)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "Mia Green" not in result.output
    assert result.stderr.startswith("Error: swletter hit an unexpected problem (RuntimeError). "
                                    "This is a bug in swletter, not in your file.")


def test_grounds_lists_all_five_in_order(runner: CliRunner) -> None:
    result = runner.invoke(main, ["grounds"])
    assert result.exit_code == 0
    ids = [line.split(". ", 1)[1].split(" — ")[0] for line in result.output.splitlines()
           if line[:1].isdigit()]
    assert ids == ["communication_breakdown", "unprofessional_conduct", "child_not_engaging",
                   "recommended_worker", "complaint"]


def test_grounds_shows_one_grounds_guidance(runner: CliRunner) -> None:
    result = runner.invoke(main, ["grounds", "unprofessional_conduct"])
    assert result.exit_code == 0
    assert "in date order" in result.output
    assert "incidents (required)" in result.output
    assert "date (required)" in result.output


def test_unknown_ground_suggests_the_nearest(runner: CliRunner) -> None:
    result = runner.invoke(main, ["grounds", "complain"])
    assert result.exit_code == 2
    assert 'there is no ground "complain". Did you mean "complaint"?' in result.output


def test_example_writes_a_case_that_renders(runner: CliRunner, tmp_path: Path) -> None:
    folder = tmp_path / "my-case"
    result = runner.invoke(main, ["example", str(folder)])
    assert result.exit_code == 0, result.output
    assert (folder / "evidence" / "2026-04-03-email.txt").is_file()
    result = runner.invoke(main, ["render", str(folder / "case.yaml")])
    assert result.exit_code == 0, result.output
    assert (folder / "letter-sam-doe-2026-11-23.docx").is_file()
    again = runner.invoke(main, ["example", str(folder)])
    assert again.exit_code == 1
    assert "already exists. Use --force to replace it, or choose another folder." in again.stderr


def test_shipped_example_is_the_shared_full_example(full_case: Path) -> None:
    from importlib import resources

    shipped = resources.files("letters.example").joinpath("case.yaml").read_text(encoding="utf-8")
    assert shipped == full_case.read_text(encoding="utf-8")


def test_a_reader_that_stops_early_is_not_reported_as_a_bug(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `swletter render case.yaml -o - | head` closes the pipe while swletter is still writing.
    import letters.api
    import letters.compose.request

    def reader_gone(*args: object, **kwargs: object) -> None:
        raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr(letters.api, "make_letter", reader_gone)
    result = runner.invoke(main, ["render", str(write_case(tmp_path, MINIMAL)), "-o", "-"])
    assert result.exit_code == 1
    assert result.stderr == ""
