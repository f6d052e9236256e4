"""Writers turn the letter's canonical Markdown into the file a family sends."""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from letters.writers.blocks import NON_BREAKING_HYPHEN

if TYPE_CHECKING:
    from letters.writers.docx_base import DocxBase

FORMATS = ("docx", "md", "html", "pdf")


def letter_bytes(markdown: str, fmt: str, *, title: str = "Letter", author: str = "",
                 reference_docx: str | os.PathLike[str] | None = None,
                 language: str = "en", references: Sequence[str] = (),
                 parts: Sequence[tuple[str, str]] = ()) -> bytes:
    """The letter in ``fmt`` (docx, md, html or pdf) as the bytes of a file.

    ``reference_docx`` gives a docx or pdf the look of a charity's letterhead (see reference.py).
    ``title`` and ``author`` are a docx's or pdf's document properties (see properties.py).
    ``language`` (``en``, ``cy``) gives the document its language tag and, on swletter's own
    layout, the words of its header and footer.

    A pdf is typeset in this process (typst_pdf.py); on a reference .docx it is that .docx
    converted by LibreOffice, and without LibreOffice this raises ``PdfError`` saying how to
    install it (see ``pdf_needs_libreoffice``).

    ``references`` (a case reference such as ``CP-2026-0413``) are kept whole on a printed page:
    in a docx or pdf their hyphens become non-breaking ones (U+2011), so a line never ends at
    one. The .md and .html keep the text exactly as typed.

    ``parts`` make a document in two languages: ``(code, markdown)`` for each, in order (see
    ``bilingual.py``); ``markdown`` is then their joined text, which is what the .md holds.
    """
    if fmt == "md":
        return without_directives(markdown).encode("utf-8")
    if len(parts) > 1:
        if fmt != "html":
            parts = [(code, unbroken(text, references)) for code, text in parts]
        return _bilingual_bytes(parts, fmt, title=title, author=author,
                                reference_docx=reference_docx)
    if fmt == "html":
        from letters.writers.html import markdown_to_html

        return markdown_to_html(markdown, title=title, language=language).encode("utf-8")
    markdown = unbroken(markdown, references)
    if fmt == "docx":
        from letters.writers.docx import build_docx

        return build_docx([markdown], base=base_for(reference_docx, language), title=title,
                          author=author)
    if fmt == "pdf":
        if not pdf_needs_libreoffice(reference_docx):
            from letters.writers.typst_pdf import markdown_to_pdf

            return markdown_to_pdf(markdown, title=title, author=author, language=language)
        from letters.writers.docx import build_docx
        from letters.writers.pdf import docx_to_pdf

        return docx_to_pdf(build_docx([markdown], base=base_for(reference_docx, language),
                                      title=title, author=author))
    raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")


def without_directives(markdown: str) -> str:
    """The Markdown as a file a person reads: the signature directive becomes the blank lines
    it stands for (Markdown readers show nothing for it, but a text editor shows the comment)."""
    return markdown.replace("<!-- signature -->\n\n", "\n\n")


def unbroken(markdown: str, references: Sequence[str]) -> str:
    """``markdown`` with each of ``references``, where it stands as a whole word, written with
    non-breaking hyphens."""
    from letters.templating.helpers import escape_markdown

    for reference in {r for r in references if r and "-" in r}:
        shown = escape_markdown(reference)
        # A function, not a string, as the replacement: a reference's backslashes are its own.
        markdown = re.sub(rf"(?<![\w-]){re.escape(shown)}(?![\w-])",
                          functools.partial(_whole, shown), markdown)
    return markdown


def _whole(reference: str, _: re.Match[str]) -> str:
    return reference.replace("-", NON_BREAKING_HYPHEN)


def _bilingual_bytes(parts: Sequence[tuple[str, str]], fmt: str, *, title: str, author: str,
                     reference_docx: str | os.PathLike[str] | None) -> bytes:
    from letters.writers import bilingual

    if fmt == "html":
        return bilingual.bilingual_html(parts, title=title).encode("utf-8")
    if fmt == "pdf" and not pdf_needs_libreoffice(reference_docx):
        return bilingual.bilingual_pdf(parts, title=title, author=author)
    if fmt not in ("docx", "pdf"):
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    reference = os.fspath(reference_docx) if reference_docx is not None else None
    data = bilingual.bilingual_docx(parts, title=title, author=author, reference_docx=reference)
    if fmt == "pdf":
        from letters.writers.pdf import docx_to_pdf

        return docx_to_pdf(data)
    return data


def pdf_needs_libreoffice(reference_docx: str | os.PathLike[str] | None) -> bool:
    """Whether a PDF is made by LibreOffice: only on a charity's letterhead, which only a word
    processor can reproduce exactly. swletter's own layout is typeset in this process."""
    return reference_docx is not None


def base_for(reference_docx: str | os.PathLike[str] | None, language: str = "en") -> DocxBase:
    """The base document for ``reference_docx``, or swletter's own, in ``language`` (each made
    once per process)."""
    if reference_docx is None:
        from letters.writers.docx_base import own_base

        return own_base(language)
    from letters.writers.reference import reference_base

    return _reference_in(reference_base(reference_docx), language)


_REFERENCES: dict[tuple[int, str], tuple[DocxBase, DocxBase]] = {}


def _reference_in(base: DocxBase, language: str) -> DocxBase:
    """A charity's letterhead with the language tag of ``language``; its own words unchanged."""
    from letters.compose.language import language as language_of
    from letters.writers.docx_base import with_language_tag

    found = _REFERENCES.get((id(base), language))
    if found is None or found[0] is not base:
        if len(_REFERENCES) > 16:
            _REFERENCES.clear()
        found = _REFERENCES[id(base), language] = (
            base, with_language_tag(base, language_of(language).tag))
    return found[1]
