"""The .pdf writer for swletter's own layout: Typst typesets the letter in this process.

A PDF in milliseconds, without LibreOffice: the ``typst`` package is the Typst compiler in a
wheel (no program to install, no network). The letter's Markdown becomes a small document model
(blocks.py), passed to one template (``letter.typ``, shipped beside this module) as JSON through
Typst's ``sys.inputs``: user text is data the template prints, never Typst markup, so nothing a
family types can change the layout or run code.

The PDF is tagged (headings, paragraphs, lists, emphasis are marked for screen readers), says
it is in British English, carries the letter's title, and is checked by Typst against PDF/UA-1,
the accessibility standard. A letter whose text has a character no installed font can draw (an
emoji, say) cannot meet PDF/UA-1; it is still written, tagged, without claiming the standard.

A charity's reference .docx (its letterhead) is not this layout: those letters still go through
LibreOffice (pdf.py), the only way to match the letterhead exactly.
"""

from __future__ import annotations

import functools
import json
import threading
from importlib import resources
from typing import TYPE_CHECKING, Any, Final

from letters.errors import PdfError
from letters.writers.blocks import letter_blocks

if TYPE_CHECKING:
    import typst

TEMPLATE = "letter.typ"

#: The accessibility standard each PDF is checked against (when its text allows; see above).
PDF_STANDARD: Final = "ua-1"


def markdown_to_pdf(markdown: str, *, title: str, author: str = "",
                    language: str = "en") -> bytes:
    """The letter's Markdown typeset as a tagged PDF (bytes), its language tag, header and
    footer in ``language``'s words."""
    return pdf_from_data(letter_data(markdown, title=title, author=author, language=language))


def pdf_from_data(letter: dict[str, Any]) -> bytes:
    """The PDF of a letter given as ``letter.typ``'s data (``letter_data``; a document in two
    languages has each language's data under ``parts``)."""
    return _compile(json.dumps(letter, ensure_ascii=False))


def letter_data(markdown: str, *, title: str, author: str = "",
                language: str = "en") -> dict[str, Any]:
    """The letter as the data ``letter.typ`` reads: its blocks, and the words and language tag
    of ``language``."""
    from letters.compose.language import language as language_of

    lang = language_of(language)
    code, region = lang.region
    before, between, after = lang.footer_parts()
    return {"title": title, "author": author, "lang": code, "region": region,
            "words": {"confidential": lang.page("header"), "page": before, "of": between,
                      "after": after},
            "blocks": letter_blocks(markdown)}


#: One compiler is kept per process (it holds the fonts, found once); it compiles one letter at
#: a time, so threads (a web server's) take turns.
_LOCK = threading.Lock()


@functools.cache
def _compiler() -> typst.Compiler:
    import typst

    return typst.Compiler()


def has_run() -> bool:
    """Whether Typst has started in this process (and with it, threads a fork would lose)."""
    return _compiler.cache_info().currsize > 0


@functools.cache
def _template() -> bytes:
    return resources.files("letters.writers").joinpath(TEMPLATE).read_bytes()


def _compile(letter_json: str) -> bytes:
    import typst

    inputs = {"letter": letter_json}
    # The template is given on every call: a Compiler made with it compiles it only once.
    source = _template()
    with _LOCK:
        compiler = _compiler()
        try:
            pdf: Any = compiler.compile(source, format="pdf", sys_inputs=inputs,
                                        pdf_standards=[PDF_STANDARD])
        except typst.TypstError:
            # Most likely a character no font has, which PDF/UA-1 forbids: the same PDF, tagged
            # but not claiming the standard. (Typst's message is not repeated: it quotes the
            # letter's text.)
            try:
                pdf = compiler.compile(source, format="pdf", sys_inputs=inputs, pdf_standards=[])
            except typst.TypstError as err:
                raise PdfError(
                    "swletter could not typeset this letter as a PDF. Write a .docx instead "
                    "(--format docx) and save it as PDF from your word processor, and please "
                    "report this problem."
                ) from err
    if not isinstance(pdf, bytes):  # a list of pages is only for image formats
        raise TypeError(f"typst returned {type(pdf).__name__} for a PDF")
    return pdf
