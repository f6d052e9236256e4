"""A charity's letterhead: a reference .docx gives the letter its look, never its words."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.shared import Cm

from cli import main
from letters.errors import ConfigError
from letters.writers.reference import reference_base

HEADER_TEXT = "Hillside Family Support · 1 Park Row, Leeds LS1 5AB"
SAMPLE_BODY = "Sample paragraph from the letterhead file"


def png_bytes(width: int = 24, height: int = 12) -> bytes:
    """A small solid-colour PNG, built byte by byte (no image library needed)."""
    raw = b"".join(b"\x00" + bytes((20, 90, 160)) * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw))
            + chunk(b"IEND", b""))


def make_reference(path: Path, *, drop_styles: tuple[str, ...] = (),
                   settings_xml: str = "") -> Path:
    """A letterhead as a charity would make it: Georgia, a header with a logo, wide margins."""
    document = docx.Document()
    document.styles["Normal"].font.name = "Georgia"
    section = document.sections[0]
    section.left_margin = Cm(3)
    header = section.header.paragraphs[0]
    header.add_run().add_picture(io.BytesIO(png_bytes()), width=Cm(2))
    header.add_run(HEADER_TEXT)
    section.footer.paragraphs[0].text = "Registered charity 1234567"
    document.add_paragraph(SAMPLE_BODY)
    document.core_properties.author = "Pat Staffmember"
    for name in drop_styles:
        element = document.styles[name].element
        element.getparent().remove(element)
    if settings_xml:
        document.settings.element.append(parse_xml(settings_xml))
    document.save(str(path))
    return path


def render_with(runner: CliRunner, case: Path, out: Path,
                reference: Path) -> docx.document.Document:
    result = runner.invoke(main, ["render", str(case), "-o", str(out),
                                  "--reference-docx", str(reference)])
    assert result.exit_code == 0, result.output
    return docx.Document(str(out))


def test_letter_takes_header_logo_font_and_margins(runner: CliRunner, full_case: Path,
                                                   tmp_path: Path) -> None:
    reference = make_reference(tmp_path / "letterhead.docx")
    letter = render_with(runner, full_case, tmp_path / "letter.docx", reference)

    section = letter.sections[0]
    assert HEADER_TEXT in "".join(p.text for p in section.header.paragraphs)
    assert section.footer.paragraphs[0].text == "Registered charity 1234567"
    logos = [rel.target_part.blob for rel in section.header.part.rels.values()
             if rel.reltype == RT.IMAGE]
    assert logos == [png_bytes()]
    assert letter.styles["Normal"].font.name == "Georgia"
    # Page setup is the reference's (3 cm as Word stores it, in twentieths of a point).
    assert section.left_margin == docx.Document(str(reference)).sections[0].left_margin
    assert section.left_margin != letter_without_reference_margin()

    body = "\n".join(p.text for p in letter.paragraphs)
    assert "Request for a change of social worker for Sam Doe and Lily Doe" in body
    assert SAMPLE_BODY not in body
    # The reference's author does not travel with every letter.
    assert letter.core_properties.author != "Pat Staffmember"


def letter_without_reference_margin() -> int:
    from letters.writers.docx_base import MARGIN

    return int(docx.shared.Twips(MARGIN))


def test_missing_styles_are_added_in_the_reference_font(runner: CliRunner, full_case: Path,
                                                        tmp_path: Path) -> None:
    reference = make_reference(tmp_path / "plain.docx",
                               drop_styles=("Heading 2", "List Number", "List Bullet"))
    out = tmp_path / "letter.docx"
    letter = render_with(runner, full_case, out, reference)

    headings = [p for p in letter.paragraphs if p.style.name.lower() == "heading 2"]
    assert [p.text for p in headings][:1] == ["Communication"]
    heading_style = letter.styles["Heading 2"]
    # Our heading sets no font of its own, so it is in the charity's Georgia.
    assert heading_style.font.name is None
    assert heading_style.base_style.name == "Normal"
    numbered = [p for p in letter.paragraphs if p.style.name.lower() == "list number"]
    assert numbered, "the incidents are a numbered list"
    with zipfile.ZipFile(out) as zf:
        numbering = zf.read("word/numbering.xml").decode("utf-8")
        types = zf.read("[Content_Types].xml").decode("utf-8")
        rels = zf.read("word/_rels/document.xml.rels").decode("utf-8")
    assert 'w:numFmt w:val="decimal"' in numbering
    assert "/word/numbering.xml" in types
    assert "numbering.xml" in rels


def test_protection_and_mail_merge_are_not_carried(runner: CliRunner, full_case: Path,
                                                   tmp_path: Path) -> None:
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    reference = make_reference(
        tmp_path / "locked.docx",
        settings_xml=f'<w:documentProtection xmlns:w="{w}" w:edit="readOnly" w:enforcement="1"/>')
    out = tmp_path / "letter.docx"
    render_with(runner, full_case, out, reference)
    with zipfile.ZipFile(out) as zf:
        settings = zf.read("word/settings.xml").decode("utf-8")
    assert "documentProtection" not in settings


def test_a_reference_without_lists_still_numbers_lists(tmp_path: Path) -> None:
    reference = make_reference(tmp_path / "ref.docx", drop_styles=("List Number",))
    base = reference_base(reference)
    assert base.list_number_abstract
    assert base.style("ListNumber") == "ListNumber"


def test_the_reference_is_read_once_until_it_changes(tmp_path: Path) -> None:
    reference = make_reference(tmp_path / "ref.docx")
    first = reference_base(reference)
    assert reference_base(reference) is first
    document = docx.Document(str(reference))
    document.sections[0].header.paragraphs[0].add_run(" — new phone number")
    document.save(str(reference))
    assert reference_base(reference) is not first


def test_a_file_that_is_not_a_docx_is_refused_naming_it(runner: CliRunner, full_case: Path,
                                                         tmp_path: Path) -> None:
    fake = tmp_path / "letterhead.docx"
    fake.write_text("not really a document", encoding="utf-8")
    result = runner.invoke(main, ["render", str(full_case), "-o", str(tmp_path / "l.docx"),
                                  "--reference-docx", str(fake)])
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == (
        f"Error: {fake}: this is not a Word document (.docx): the file is not a .docx package. "
        'Open it in Word or LibreOffice and save it as "Word Document (.docx)".')
    assert not (tmp_path / "l.docx").exists()


def test_an_old_doc_file_gets_its_own_hint(tmp_path: Path) -> None:
    old = tmp_path / "letterhead.doc"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    with pytest.raises(ConfigError, match=r"letterhead\.doc: .*older Word \.doc file"):
        reference_base(old)


def test_a_macro_document_is_refused(tmp_path: Path) -> None:
    reference = make_reference(tmp_path / "ref.docx")
    macro = tmp_path / "macro.docx"
    with zipfile.ZipFile(reference) as src, zipfile.ZipFile(macro, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item))
        dst.writestr("word/vbaProject.bin", b"\x00")
    with pytest.raises(ConfigError, match="contains macros"):
        reference_base(macro)


def test_a_word_template_dotx_is_accepted(tmp_path: Path) -> None:
    reference = make_reference(tmp_path / "ref.docx")
    template = tmp_path / "letterhead.dotx"
    main_doc = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    main_tpl = "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
    with zipfile.ZipFile(reference) as src, zipfile.ZipFile(template, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "[Content_Types].xml":
                data = data.replace(main_doc.encode(), main_tpl.encode())
            dst.writestr(item, data)
    base = reference_base(template)
    assert main_doc.encode() in base.parts["[Content_Types].xml"]


def test_signature_space_style_is_added_when_missing(tmp_path: Path) -> None:
    reference = make_reference(tmp_path / "ref.docx")
    assert "Signature Space" not in [s.name for s in docx.Document(str(reference)).styles
                                     if s.type == WD_STYLE_TYPE.PARAGRAPH]
    base = reference_base(reference)
    assert b'w:styleId="SignatureSpace"' in base.parts["word/styles.xml"]


def header_text(path: Path) -> str:
    return "".join(p.text for p in docx.Document(str(path)).sections[0].header.paragraphs)


def test_bulk_letters_and_the_combined_file_are_on_the_letterhead(runner: CliRunner,
                                                                  full_case: Path,
                                                                  tmp_path: Path) -> None:
    reference = make_reference(tmp_path / "letterhead.docx")
    wording = tmp_path / "wording"
    wording.mkdir()
    (wording / "ground_complaint.md.j2").write_text("## Complaint\n\nHouse wording.\n",
                                                    encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(main, ["bulk", str(full_case), "--out", str(out), "--combined",
                                  str(tmp_path / "all.docx"), "--reference-docx", str(reference),
                                  "--templates", str(wording)])
    assert result.exit_code == 0, result.output
    (letter,) = out.glob("*.docx")
    assert HEADER_TEXT in header_text(letter)
    assert "House wording." in [p.text for p in docx.Document(str(letter)).paragraphs]
    assert HEADER_TEXT in header_text(tmp_path / "all.docx")


def test_the_supporting_statement_is_on_the_letterhead(runner: CliRunner, full_case: Path,
                                                       tmp_path: Path) -> None:
    reference = make_reference(tmp_path / "letterhead.docx")
    out = tmp_path / "statement.docx"
    result = runner.invoke(main, ["statement", str(full_case), "-o", str(out),
                                  "--reference-docx", str(reference)])
    assert result.exit_code == 0, result.output
    assert HEADER_TEXT in header_text(out)
    assert docx.Document(str(out)).styles["Normal"].font.name == "Georgia"


def test_a_body_with_its_own_namespaces_is_still_a_letterhead(tmp_path: Path) -> None:
    reference = make_reference(tmp_path / "plain.docx")
    odd = tmp_path / "letterhead.docx"
    with zipfile.ZipFile(reference) as src, zipfile.ZipFile(odd, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "word/document.xml":
                data = data.replace(b"<w:body>", b'<w:body xmlns:x="urn:x" x:mark="1">')
            dst.writestr(item, data)
    base = reference_base(odd)
    assert base.document_head.endswith("<w:body>")
