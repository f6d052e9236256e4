"""Writers turn the letter's canonical Markdown into the file a family sends."""

from __future__ import annotations

FORMATS = ("docx", "md", "html", "pdf")


def letter_bytes(markdown: str, fmt: str, *, title: str = "Letter") -> bytes:
    """The letter in ``fmt`` (docx, md, html or pdf) as the bytes of a file.

    A pdf needs LibreOffice; without it this raises ``PdfError`` saying how to install it.
    """
    if fmt == "md":
        return markdown.encode("utf-8")
    if fmt == "html":
        from .html import markdown_to_html

        return markdown_to_html(markdown, title=title).encode("utf-8")
    if fmt == "docx":
        from .docx import build_docx

        return build_docx([markdown])
    if fmt == "pdf":
        from .docx import build_docx
        from .pdf import docx_to_pdf

        return docx_to_pdf(build_docx([markdown]))
    raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
