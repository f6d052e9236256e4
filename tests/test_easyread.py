"""The Easy Read sheet for a child: short sentences, large sans-serif text, a picture on the left
of each point, written to the child by name, and the right advocacy words for their nation."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import docx
import pytest
import yaml
from click.testing import CliRunner

from cli import main
from letters import api
from letters.case.model import Case
from letters.compose.easyread import parse_sheet
from letters.errors import LettersError, TemplateError
from tests.conftest import CASES, SHARED_EXAMPLES, TODAY

NATIONS = ("england", "wales", "scotland", "northern-ireland")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
ENGLAND_ONLY = "The law says you can have an advocate to help you make a complaint."


def full_case(**changes: Any) -> Case:
    data = yaml.safe_load((SHARED_EXAMPLES / "case-full.yaml").read_text(encoding="utf-8"))
    data.update(changes)
    return api.read_case_data(data, source="case-full.yaml")


def sheet_docs(case: Case) -> list[Any]:
    return [docx.Document(io.BytesIO(api.document_bytes(s, "docx")))
            for s in api.render_easyread(case, today=TODAY)]


def sentences(document: Any) -> list[str]:
    texts = [p.text for p in document.paragraphs]
    texts += [p.text for t in document.tables for row in t.rows for cell in row.cells
              for p in cell.paragraphs]
    return [s for text in texts for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s]


def all_runs(document: Any) -> list[Any]:
    return list(document.element.body.iter(f"{W}r"))


EVERY_CASE = [SHARED_EXAMPLES / "case-full.yaml", SHARED_EXAMPLES / "case-minimal.yaml",
              *sorted(CASES.glob("*.yaml")), *sorted(CASES.glob("*.json"))]


@pytest.mark.parametrize("path", EVERY_CASE, ids=lambda p: p.stem)
def test_every_sentence_has_15_words_or_fewer(path: Path) -> None:
    for document in sheet_docs(api.read_case(path)):
        found = sentences(document)
        assert found
        long = [s for s in found if len(s.split()) > 15]
        assert long == []


@pytest.mark.parametrize("path", EVERY_CASE[:3], ids=lambda p: p.stem)
def test_every_run_is_16_point_or_larger_and_sans_serif(path: Path) -> None:
    for document in sheet_docs(api.read_case(path)):
        runs = [r for r in all_runs(document) if r.find(f"{W}t") is not None]
        assert runs
        for run in runs:
            size = run.find(f"{W}rPr/{W}sz")
            fonts = run.find(f"{W}rPr/{W}rFonts")
            assert size is not None and int(size.get(f"{W}val")) >= 32  # half-points
            assert fonts is not None and fonts.get(f"{W}ascii") == "Arial"


def test_each_point_has_its_picture_on_the_left_and_words_on_the_right() -> None:
    document = sheet_docs(full_case())[0]
    (table,) = document.tables
    assert len(table.rows) >= 8
    for row in table.rows:
        left, right = row.cells
        assert left._tc.findall(f".//{W}drawing"), "no picture on the left"
        assert not right._tc.findall(f".//{W}drawing")
        assert right.text.strip() and not left.text.strip()
    borders = table._tbl.tblPr.find(f"{W}tblBorders")
    assert borders is not None and {b.get(f"{W}val") for b in borders} == {"nil"}
    # Every picture is described for a screen reader.
    described = [d.get("descr") for d in table._tbl.iter(
        "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr")]
    assert all(described) and "An envelope" in described


def test_one_sheet_per_child_each_written_to_them_by_name() -> None:
    sheets = api.render_easyread(full_case(), today=TODAY)
    assert [s.who for s in sheets] == ["Sam Doe", "Lily Doe"]
    assert [s.file_name("docx") for s in sheets] == [
        "easy-read-sam-doe-2026-11-23.docx", "easy-read-lily-doe-2026-11-23.docx"]
    sam, lily = (s.markdown for s in sheets)
    assert sam.startswith("# Sam, this is about your social worker")
    assert "a new social worker for you and Lily." in sam
    assert lily.startswith("# Lily, this is about your social worker")
    assert "a new social worker for you and Sam." in lily
    # Sam's own views are Sam's: Lily's sheet does not tell her she said them.
    assert "You said it is hard to talk to John." in sam
    assert "You said" not in lily


def test_the_wording_follows_the_childs_age() -> None:
    older = full_case(children=[{"name": "Sam Doe", "date_of_birth": "2012-05-02"}])
    younger = full_case(children=[{"name": "Sam Doe", "date_of_birth": "2020-05-02"}])
    unknown = full_case(children=[{"name": "Sam Doe"}])
    text = {k: api.render_easyread(c, today=TODAY)[0].markdown
            for k, c in (("older", older), ("younger", younger), ("unknown", unknown))}
    assert "A social worker is someone whose job is to help children and families." in \
        text["older"]
    assert "A social worker helps children and families." in text["younger"]
    assert "The manager can say yes or no." in text["older"]
    # A younger child is told too that the answer may be no.
    assert "The manager can say yes or no." in text["younger"]
    assert text["unknown"] == text["older"]  # no date of birth: the fuller wording


@pytest.mark.parametrize("nation", NATIONS)
def test_advocacy_when_complaining_is_said_only_in_england(nation: str) -> None:
    text = api.render_easyread(full_case(jurisdiction=nation), today=TODAY)[0].markdown
    assert (ENGLAND_ONLY in text) == (nation == "england")
    assert "An advocate is someone who helps you say what you think." in text
    # Not every body has a children's complaints officer: the sheet promises people who help.
    assert "complaints officer" not in text
    assert ("The Trust has people who help children who are not happy." in text) == \
        (nation == "northern-ireland")
    assert ("The council has people who help children who are not happy." in text) == \
        (nation != "northern-ireland")


def test_the_parents_own_words_about_the_worker_never_appear() -> None:
    case = full_case()
    text = " ".join(s.markdown for s in api.render_easyread(case, today=TODAY))
    for data in case.grounds.values():
        for value in data.values():
            if isinstance(value, str) and len(value) > 30:
                assert value not in text
    for incident in case.grounds["unprofessional_conduct"]["incidents"]:
        assert incident["what"] not in text


def test_the_pdf_and_html_carry_the_pictures_and_their_credit(tmp_path: Path) -> None:
    from pypdf import PdfReader

    sheet = api.render_easyread(full_case(), today=TODAY)[0]
    reader = PdfReader(io.BytesIO(api.document_bytes(sheet, "pdf")))
    assert reader.metadata is not None and reader.metadata.title == sheet.title
    images = sum(len(page.images) for page in reader.pages)
    assert images == len(sheet.document.sheet.points)
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "OpenMoji" in text and "CC BY-SA 4.0" in text
    page = api.document_bytes(sheet, "html").decode("utf-8")
    assert page.count('<img src="data:image/png;base64,') == len(sheet.document.sheet.points)
    assert 'alt="An envelope"' in page and "CC BY-SA 4.0" in page


def test_a_template_that_is_not_a_sheet_is_a_clear_error() -> None:
    with pytest.raises(TemplateError, match="words before the first picture line"):
        parse_sheet("# Hello\n\nSome words\n")
    with pytest.raises(TemplateError, match="has no words after it"):
        parse_sheet("# Hello\n\n<!-- picture: letter -->\n")
    with pytest.raises(TemplateError, match=re.escape("no picture called 'rocket'. The "
                                                      "pictures are: advocate, calendar")):
        parse_sheet("# Hello\n\n<!-- picture: rocket -->\nWords.\n")


def test_cli_writes_a_sheet_per_child_and_o_needs_one_child(tmp_path: Path) -> None:
    case = tmp_path / "case.yaml"
    case.write_bytes((SHARED_EXAMPLES / "case-full.yaml").read_bytes())
    (tmp_path / "evidence").mkdir()
    (tmp_path / "evidence" / "2026-04-03-email.txt").write_text("x", encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(main, ["easyread", str(case), "--format", "md"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "easy-read-sam-doe-2026-11-23.md").exists()
    assert (tmp_path / "easy-read-lily-doe-2026-11-23.md").exists()
    result = runner.invoke(main, ["easyread", str(case), "-o", str(tmp_path / "x.docx")])
    assert result.exit_code == 2 and "choose one with --child" in result.output
    result = runner.invoke(main, ["easyread", str(case), "--child", "lily", "-o",
                                  str(tmp_path / "lily.docx")])
    assert result.exit_code == 0 and (tmp_path / "lily.docx").exists()


def test_an_unknown_child_is_refused_without_naming_anyone() -> None:
    with pytest.raises(LettersError, match="no child of the name given to --child") as err:
        api.render_easyread(full_case(), child="Zed")
    assert "Lily" not in str(err.value) and "Doe" not in str(err.value)
    assert "Zed" not in str(err.value)


def test_an_advocate_is_named_only_on_the_sheet_of_the_child_they_support() -> None:
    """Priya is Sam's advocate (the letter gives Sam's views): Lily's sheet does not name her,
    and tells Lily she can ask for an advocate too."""
    sam, lily = (s.markdown for s in api.render_easyread(full_case(), today=TODAY))
    assert "Priya is an advocate." in sam
    assert "Your mum or Priya can help you find them." in sam
    assert "Priya" not in lily
    assert "You can ask for an advocate too." in lily
    assert "Your mum can help you find them." in lily
