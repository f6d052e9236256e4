"""Every letter of a run in one file to print: a .docx or a .pdf, each letter starting on a new
page with the same page header and footer as the letter on its own, its pages numbered from 1
("Page 2 of 3" counts that letter's pages).

- .docx: one document, each letter its own section (``writers.docx.build_docx``).
- .pdf in swletter's own layout: each letter typeset as it is on its own, the PDFs put one
  after the other (pypdf), so every page is exactly the single letter's page.
- .pdf on a charity's letterhead: the combined .docx converted by LibreOffice, as the single
  letters are.

Its properties name no author: the letters may be from different senders.
"""

from __future__ import annotations

import io
import os
from collections.abc import Sequence
from pathlib import Path

from letters.bulk.report import LetterText
from letters.compose.language import languages_of
from letters.output import write_atomic

TITLE = "Requests for a change of social worker"
#: The kinds of combined file, by file ending.
COMBINED_SUFFIXES = (".docx", ".pdf")


def combined_bytes(letters: Sequence[LetterText], fmt: str, *,
                   reference_docx: str | None = None) -> bytes:
    """The letters in one ``fmt`` (docx or pdf) file."""
    from letters.writers import base_for, pdf_needs_libreoffice
    from letters.writers.docx import build_docx

    if fmt == "pdf" and not pdf_needs_libreoffice(reference_docx):
        return _merged_pdfs(letters)
    first = languages_of(letters[0].language)[0] if letters else "en"
    data = build_docx([x.markdown for x in letters], base=base_for(reference_docx, first),
                      title=TITLE)
    if fmt == "pdf":
        from letters.writers.pdf import docx_to_pdf

        return docx_to_pdf(data)
    return data


def _merged_pdfs(letters: Sequence[LetterText]) -> bytes:
    from pypdf import PdfWriter
    from pypdf.generic import NameObject, TextStringObject

    from letters.writers.typst_pdf import markdown_to_pdf

    writer = PdfWriter()
    for letter in letters:
        writer.append(io.BytesIO(markdown_to_pdf(letter.markdown, title=letter.title,
                                                 language=languages_of(letter.language)[0])))
    writer.add_metadata({"/Title": TITLE})
    languages = {letter.language for letter in letters}
    if len(languages) == 1 and "+" not in (code := languages.pop()):
        root = getattr(writer, "root_object", None) or writer._root_object
        from letters.compose.language import language

        root[NameObject("/Lang")] = TextStringObject(language(code).tag)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def write_combined(path: str | os.PathLike[str], letters: Sequence[LetterText], *,
                   force: bool = False, reference_docx: str | None = None) -> Path:
    """Write ``letters`` into one file at ``path`` (a .docx or .pdf, by its ending)."""
    fmt = Path(path).suffix.lower().lstrip(".")
    return write_atomic(path, combined_bytes(letters, fmt, reference_docx=reference_docx),
                        force=force)
