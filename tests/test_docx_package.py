"""The .docx package a letter is written into holds together after its parts were trimmed and
zipped by hand: every relationship and content type points at a part that exists."""

from __future__ import annotations

import io
import posixpath
import re
import zipfile

import docx

from letters.writers.docx import build_docx

LETTER = "Jane Doe  \n12 High Street\n\n## Enclosures\n\n1. One\n2. Two\n"


def test_every_relationship_and_content_type_points_at_a_part() -> None:
    package = zipfile.ZipFile(io.BytesIO(build_docx([LETTER])))
    assert package.testzip() is None
    names = set(package.namelist())
    assert names.isdisjoint({"word/stylesWithEffects.xml", "docProps/thumbnail.jpeg"})
    types = package.read("[Content_Types].xml").decode()
    for part in re.findall(r'PartName="/([^"]+)"', types):
        assert part in names, part
    for rels in (n for n in names if n.endswith(".rels")):
        folder = posixpath.dirname(posixpath.dirname(rels))
        for target, mode in re.findall(r'Target="([^"]+)"(?: TargetMode="(\w+)")?',
                                       package.read(rels).decode()):
            if mode != "External":
                assert posixpath.normpath(posixpath.join(folder, target)) in names, target


def test_letter_opens_in_python_docx_with_its_styles() -> None:
    document = docx.Document(io.BytesIO(build_docx([LETTER])))
    assert [p.style.name for p in document.paragraphs] == ["Normal", "Heading 2",
                                                           "List Number", "List Number"]
    assert document.paragraphs[0].text == "Jane Doe\n12 High Street"


def test_the_same_letter_gives_the_same_bytes() -> None:
    # Fixed zip timestamps: a re-run writes an identical file.
    assert build_docx([LETTER]) == build_docx([LETTER])


def test_shipped_base_document_matches_its_builder() -> None:
    from importlib import resources

    from letters.writers.docx_base import BASE_FILE, build_default_document, prepare_base

    shipped = resources.files("letters.writers").joinpath(BASE_FILE).read_bytes()
    assert prepare_base(shipped) == prepare_base(build_default_document()), (
        "letters/writers/base.docx is out of date: run python -m letters.writers.docx_base")


def _list_starts(data: bytes) -> list[str]:
    numbering = zipfile.ZipFile(io.BytesIO(data)).read("word/numbering.xml").decode()
    return re.findall(r'<w:startOverride w:val="(\d+)"/>', numbering)


def test_each_letter_numbers_its_own_lists_after_others_in_the_same_run() -> None:
    # The numbering part is reused between letters with the same lists; a letter with other
    # lists must still get its own (here: an enclosures list continuing at 3, then two lists).
    assert _list_starts(build_docx([LETTER])) == ["1"]
    assert _list_starts(build_docx(["3. Three\n4. Four\n"])) == ["3"]
    assert _list_starts(build_docx([LETTER, "3. Three\n4. Four\n"])) == ["1", "3"]
    assert _list_starts(build_docx(["No lists at all."])) == []
    assert _list_starts(build_docx([LETTER])) == ["1"]
