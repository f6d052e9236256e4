"""A letter's document properties are its own: its subject line as title, its sender as author.

Word, LibreOffice and PDF readers show them (File ▸ Properties), and they travel with every
copy of the letter, so nothing else may be there: not swletter's base document's history, not a
letterhead's author, company or manager. A charity can leave the sender out too.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
from click.testing import CliRunner

from cli import main

from .readers import pdf_info, require_programs
from .test_reference_docx import make_reference

SUBJECT = ("Request for a change of social worker for Sam Doe and Lily Doe (case reference "
           "CP-2026-0413)")


def test_a_letter_names_its_sender_as_author_and_its_subject_as_title(
        runner: CliRunner, full_case: Path, tmp_path: Path) -> None:
    out = tmp_path / "letter.docx"
    result = runner.invoke(main, ["render", str(full_case), "-o", str(out)])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out) as package:
        core, app = package.read("docProps/core.xml"), package.read("docProps/app.xml")
    properties = docx.Document(str(out)).core_properties
    assert (properties.title, properties.author, properties.last_modified_by) == (
        SUBJECT, "Jane Doe", "Jane Doe")
    assert properties.created is None and properties.comments == ""
    # Nothing left over from swletter's base document (made on a Mac, from Normal.dotm).
    assert b"Macintosh" not in app and b"Normal.dotm" not in app
    assert b"<dc:creator>swletter" not in core


def test_the_privacy_setting_leaves_the_author_out(runner: CliRunner, full_case: Path,
                                                   tmp_path: Path) -> None:
    letterhead = make_reference(tmp_path / "letterhead.docx")
    settings = tmp_path / "swletter.toml"
    settings.write_text("[privacy]\nauthor_in_metadata = false\n", encoding="utf-8")
    with_letterhead = ("--reference-docx", str(letterhead))
    for name, extra in (("plain.docx", ()), ("on-letterhead.docx", with_letterhead)):
        out = tmp_path / name
        result = runner.invoke(main, ["render", str(full_case), "-o", str(out),
                                      "--config", str(settings), *extra])
        assert result.exit_code == 0, result.output
        properties = docx.Document(str(out)).core_properties
        assert (properties.title, properties.author, properties.last_modified_by) == (
            SUBJECT, "", ""), name
        with zipfile.ZipFile(out) as package:
            assert b"Jane Doe" not in package.read("docProps/core.xml")


def test_a_privacy_setting_that_is_not_true_or_false_is_refused(runner: CliRunner,
                                                                full_case: Path,
                                                                tmp_path: Path) -> None:
    (tmp_path / "swletter.toml").write_text('[privacy]\nauthor_in_metadata = "no"\n',
                                            encoding="utf-8")
    result = runner.invoke(main, ["render", str(full_case), "-o", str(tmp_path / "l.docx"),
                                  "--config", str(tmp_path / "swletter.toml")])
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {tmp_path / 'swletter.toml'}: line 2, privacy.author_in_metadata: "
        'privacy.author_in_metadata is true or false, without quotes, not "no". For example: '
        "author_in_metadata = false\n")


def test_a_statement_names_its_author(runner: CliRunner, full_case: Path,
                                      tmp_path: Path) -> None:
    out = tmp_path / "statement.docx"
    result = runner.invoke(main, ["statement", str(full_case), "-o", str(out)])
    assert result.exit_code == 0, result.output
    properties = docx.Document(str(out)).core_properties
    assert properties.author == "Priya Shah"
    assert properties.title == "Supporting statement from Priya Shah"


def test_a_letterheads_author_company_and_manager_are_not_carried(
        runner: CliRunner, full_case: Path, tmp_path: Path) -> None:
    plain = make_reference(tmp_path / "plain.docx")  # its author: Pat Staffmember
    letterhead = tmp_path / "letterhead.docx"
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(letterhead, "w") as package:
        for name in source.namelist():
            if name != "docProps/app.xml":
                package.writestr(name, source.read(name))
        package.writestr("docProps/app.xml", (
            b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns="http'
            b'://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Manager>'
            b"Pat Manager</Manager><Company>Hillside Secret Company</Company></Properties>"))
    out = tmp_path / "letter.docx"
    result = runner.invoke(main, ["render", str(full_case), "-o", str(out), "--reference-docx",
                                  str(letterhead)])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out) as package:
        for name in package.namelist():
            data = package.read(name)
            for detail in (b"Pat Staffmember", b"Pat Manager", b"Hillside Secret Company"):
                assert detail not in data, (detail, name)
    properties = docx.Document(str(out)).core_properties
    assert (properties.title, properties.author) == (SUBJECT, "Jane Doe")


def test_a_pdf_without_the_author_names_nobody(runner: CliRunner, full_case: Path,
                                               tmp_path: Path) -> None:
    require_programs()
    settings = tmp_path / "swletter.toml"
    settings.write_text("[privacy]\nauthor_in_metadata = false\n", encoding="utf-8")
    out = tmp_path / "letter.pdf"
    result = runner.invoke(main, ["render", str(full_case), "-o", str(out), "--config",
                                  str(settings)])
    assert result.exit_code == 0, result.output
    info = pdf_info(out)
    assert info["Title"] == SUBJECT
    assert "Author" not in info
