"""Writers turn the letter's canonical Markdown into the file a family sends."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from letters.writers.docx_base import DocxBase

FORMATS = ("docx", "md", "html", "pdf")


def letter_bytes(markdown: str, fmt: str, *, title: str = "Letter", author: str = "",
                 reference_docx: str | os.PathLike[str] | None = None) -> bytes:
    """The letter in ``fmt`` (docx, md, html or pdf) as the bytes of a file.

    ``reference_docx`` gives a docx or pdf the look of a charity's letterhead (see reference.py).
    ``title`` and ``author`` are a docx's or pdf's document properties (see properties.py).

    A pdf is typeset in this process (typst_pdf.py); on a reference .docx it is that .docx
    converted by LibreOffice, and without LibreOffice this raises ``PdfError`` saying how to
    install it (see ``pdf_needs_libreoffice``).
    """
    if fmt == "md":
        return markdown.encode("utf-8")
    if fmt == "html":
        from letters.writers.html import markdown_to_html

        return markdown_to_html(markdown, title=title).encode("utf-8")
    if fmt == "docx":
        from letters.writers.docx import build_docx

        return build_docx([markdown], base=base_for(reference_docx), title=title,
                          author=author)
    if fmt == "pdf":
        if not pdf_needs_libreoffice(reference_docx):
            from letters.writers.typst_pdf import markdown_to_pdf

            return markdown_to_pdf(markdown, title=title, author=author)
        from letters.writers.docx import build_docx
        from letters.writers.pdf import docx_to_pdf

        return docx_to_pdf(build_docx([markdown], base=base_for(reference_docx), title=title,
                                      author=author))
    raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")


def pdf_needs_libreoffice(reference_docx: str | os.PathLike[str] | None) -> bool:
    """Whether a PDF is made by LibreOffice: only on a charity's letterhead, which only a word
    processor can reproduce exactly. swletter's own layout is typeset in this process."""
    return reference_docx is not None


def base_for(reference_docx: str | os.PathLike[str] | None) -> DocxBase | None:
    """The base document for ``reference_docx`` (read once per process), or None for ours."""
    if reference_docx is None:
        return None
    from letters.writers.reference import reference_base

    return reference_base(reference_docx)
