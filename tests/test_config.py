"""swletter.toml: a charity's settings, and which of file, case and command line wins."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main
from letters.config import CaseDefaults, Settings, load_settings, setting_keys

from .conftest import MINIMAL, write_case

CHARITY = """\
[sender]
name = "Hillside Family Support"
address = ["1 Park Row", "Leeds", "LS1 5AB"]
phone = "0113 496 0000"
"""

NO_SENDER = MINIMAL.replace(
    "sender:\n  name: Tom Green\n  address: [4 Mill Lane, Sefton, L30 2PA]\n", "")


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working folder of its own, where swletter looks for swletter.toml."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def render_md(runner: CliRunner, *args: str) -> str:
    result = runner.invoke(main, ["render", *args, "-o", "-"])
    assert result.exit_code == 0, result.output
    return result.stdout  # the letter; advice goes to stderr


def test_swletter_toml_in_the_working_folder_is_used(runner: CliRunner, workdir: Path) -> None:
    (workdir / "swletter.toml").write_text(CHARITY + "", encoding="utf-8")
    case = write_case(workdir, NO_SENDER)
    letter = render_md(runner, str(case))
    assert letter.startswith("Hillside Family Support  \n1 Park Row  \nLeeds  \nLS1 5AB")
    assert "You can contact me on 0113 496 0000." in letter


def test_a_family_writing_with_the_charitys_address(runner: CliRunner, workdir: Path) -> None:
    (workdir / "swletter.toml").write_text(CHARITY, encoding="utf-8")
    text = MINIMAL.replace("  address: [4 Mill Lane, Sefton, L30 2PA]\n",
                           "  relationship: father\n")
    letter = render_md(runner, str(write_case(workdir, text)))
    # The family signs; replies go to the charity.
    assert letter.startswith("Tom Green  \n1 Park Row  \nLeeds  \nLS1 5AB")
    assert "I am writing as the father of Mia Green" in letter
    assert letter.rstrip().endswith("Tom Green")


def test_a_familys_own_address_is_never_mixed_with_the_charitys(runner: CliRunner,
                                                                workdir: Path) -> None:
    (workdir / "swletter.toml").write_text(CHARITY, encoding="utf-8")
    letter = render_md(runner, str(write_case(workdir, MINIMAL)))
    assert letter.startswith("Tom Green  \n4 Mill Lane  \nSefton  \nL30 2PA")
    assert "Park Row" not in letter and "0113 496 0000" not in letter


def test_working_days_from_the_file_unless_the_case_says(runner: CliRunner,
                                                         workdir: Path) -> None:
    (workdir / "swletter.toml").write_text("response_within_working_days = 15\n",
                                           encoding="utf-8")
    from_file = render_md(runner, str(write_case(workdir, MINIMAL)))
    assert "by 14 December 2026, which is 15 working days" in from_file
    own = write_case(workdir, MINIMAL + "response_within_working_days: 10\n", "own.yaml")
    assert "by 7 December 2026, which is 10 working days" in render_md(runner, str(own))


def test_the_command_line_wins_over_the_file(runner: CliRunner, workdir: Path) -> None:
    for name in ("house", "other"):
        folder = workdir / name
        folder.mkdir()
        (folder / "ground_communication_breakdown.md.j2").write_text(
            f"## Communication\n\nWording from {name}.\n", encoding="utf-8")
    (workdir / "swletter.toml").write_text('templates = "house"\nformat = "html"\n',
                                           encoding="utf-8")
    case = write_case(workdir, MINIMAL)
    result = runner.invoke(main, ["render", str(case)])
    assert result.exit_code == 0, result.output
    html = (workdir / "letter-mia-green-2026-11-23.html").read_text(encoding="utf-8")
    assert "Wording from house." in html
    result = runner.invoke(main, ["render", str(case), "--format", "md", "--templates", "other"])
    assert result.exit_code == 0, result.output
    md = (workdir / "letter-mia-green-2026-11-23.md").read_text(encoding="utf-8")
    assert "Wording from other." in md and "Wording from house." not in md
    # An -o name's extension also beats the file's format.
    result = runner.invoke(main, ["render", str(case), "-o", "named.docx"])
    assert result.exit_code == 0, result.output
    assert (workdir / "named.docx").read_bytes()[:2] == b"PK"


def test_config_option_paths_are_relative_to_the_file(runner: CliRunner, workdir: Path) -> None:
    charity = workdir / "charity"
    (charity / "wording").mkdir(parents=True)
    (charity / "wording" / "ground_communication_breakdown.md.j2").write_text(
        "## Communication\n\nHouse wording.\n", encoding="utf-8")
    (charity / "settings.toml").write_text('templates = "wording"\n' + CHARITY,
                                           encoding="utf-8")
    # A swletter.toml in the working folder is ignored when --config names another file.
    (workdir / "swletter.toml").write_text('format = "html"\n', encoding="utf-8")
    case = write_case(workdir, NO_SENDER)
    letter = render_md(runner, str(case), "--config", str(charity / "settings.toml"))
    assert "House wording." in letter
    assert letter.startswith("Hillside Family Support")


def test_check_uses_the_sender_defaults(runner: CliRunner, workdir: Path) -> None:
    case = write_case(workdir, NO_SENDER)
    without = runner.invoke(main, ["check", str(case)])
    assert without.exit_code == 1
    (workdir / "swletter.toml").write_text(CHARITY, encoding="utf-8")
    with_file = runner.invoke(main, ["check", str(case)])
    assert with_file.exit_code == 0, with_file.output


def test_every_problem_in_the_file_is_reported_with_its_line(runner: CliRunner,
                                                             workdir: Path) -> None:
    (workdir / "swletter.toml").write_text(
        'referense_docx = "letterhead.docx"\nformat = "pdf "\nresponse_within_working_days = 99\n'
        '[sender]\nname = "Hillside"\nadress = ["1 Park Row"]\n', encoding="utf-8")
    result = runner.invoke(main, ["render", str(write_case(workdir, MINIMAL))])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "Error: swletter.toml has 3 problems:",
        '  - line 1: "referense_docx" is not a setting swletter knows. Did you mean '
        '"reference_docx"? For example: reference_docx = "letterhead.docx"',
        "  - line 3, response_within_working_days: 99 is out of range; use a number from 1 to "
        "60. For example: response_within_working_days = 15",
        '  - line 6, sender.adress: "adress" is not a sender field. Did you mean "address"? The '
        "sender fields are: name, relationship, address, email, phone, keep_relationship. For "
        "example: address = "
        '["12 High Street", "Hastings", "TN34 1AA"]',
    ]


def test_a_missing_reference_docx_in_the_file(runner: CliRunner, workdir: Path) -> None:
    (workdir / "swletter.toml").write_text('reference_docx = "letterhead.docx"\n',
                                           encoding="utf-8")
    result = runner.invoke(main, ["render", str(write_case(workdir, MINIMAL))])
    assert result.exit_code == 1
    assert result.output == (
        f'Error: swletter.toml: line 1, reference_docx: "letterhead.docx" is not a file (looked '
        f"for {workdir.resolve() / 'letterhead.docx'}). For example: reference_docx = "
        '"letterhead.docx"\n')


def test_a_file_that_is_not_toml(runner: CliRunner, workdir: Path) -> None:
    (workdir / "swletter.toml").write_text("format = docx\n", encoding="utf-8")
    result = runner.invoke(main, ["render", str(write_case(workdir, MINIMAL))])
    assert result.exit_code == 1
    assert result.output == (
        "Error: swletter.toml: line 1: this is not valid TOML: Invalid value. Text needs "
        'quotes, lists square brackets. For example: reference_docx = "letterhead.docx"\n')


def test_no_file_means_swletters_defaults(tmp_path: Path) -> None:
    assert load_settings(cwd=tmp_path) == Settings()


def test_every_setting_is_documented() -> None:
    for name, spec in setting_keys().items():
        assert spec.metadata["help"], name
        assert spec.metadata["example"].startswith(name), name


def test_case_defaults_leave_the_case_data_unchanged() -> None:
    data = {"sender": {"name": "Tom Green"}}
    merged = CaseDefaults(sender={"name": "Hillside", "address": ["1 Park Row"]}).apply(data)
    assert merged["sender"] == {"name": "Tom Green", "address": ["1 Park Row"]}
    assert data == {"sender": {"name": "Tom Green"}}


def test_the_readme_documents_every_setting() -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Settings in swletter.toml", 1)[1].split("\n## ", 1)[0]
    for name in setting_keys():
        assert f"| `{name}` |" in section, f"README: describe the setting {name}"
