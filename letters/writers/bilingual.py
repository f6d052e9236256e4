"""One document in two languages (``cy+en``): Welsh first, then English, each complete.

Councils in Wales send bilingual letters this way: the whole Welsh text, then the whole English
text, each starting on its own page. Each writer keeps the languages apart:

- .docx: each language is its own section, so each has its own header and footer ("Preifat a
  chyfrinachol … Tudalen 1 o 4", then "Private and confidential … Page 3 of 4"); the document's
  language is the first one, and every run of the second is tagged with its own language, so
  Word checks each language's spelling and a screen reader speaks each in its own voice. Pages
  are numbered through the whole document: it is one letter, and "of 4" counts what was sent.
  On a charity's letterhead the header and footer are the charity's own words, the same for
  both languages; only the page break and the language tags are added.
- .html: the page is in the first language; each later language is a ``<section lang=…>`` of
  its own that starts on a new printed page with that language's top line.
- .pdf: each language sets its own page header and footer, text language and region, and starts
  a new page (Typst starts a page when its settings change).
"""

from __future__ import annotations

import dataclasses
import functools
import html
import re
from collections.abc import Sequence

from letters.writers.docx_base import FOOTER, HEADER, DocxBase

#: ``(code, markdown)`` for each language, in order.
Parts = Sequence[tuple[str, str]]

_CONTENT_TYPES = "[Content_Types].xml"
_RELS = "word/_rels/document.xml.rels"
#: The second language's header and footer parts, and their relationship ids.
_SECOND_HEADER, _SECOND_FOOTER = "word/header2.xml", "word/footer2.xml"
_HEADER_ID, _FOOTER_ID = "rIdSwletterHeader2", "rIdSwletterFooter2"
_SECTION = re.compile(r"<w:sectPr\b.*?</w:sectPr>", re.S)


# --------------------------------------------------------------------------------------------
# .docx


def bilingual_docx(parts: Parts, *, title: str, author: str = "",
                   reference_docx: str | None = None) -> bytes:
    """The .docx of a document in two languages (see the module's docstring)."""
    from letters.writers import base_for
    from letters.writers.docx import _LETTER_LEVEL, _numbering_entry, markdown_to_body
    from letters.writers.docx_zip import pack, packed_parts
    from letters.writers.properties import CORE, core_xml

    (first_code, first_md), (second_code, second_md) = parts[0], parts[1]
    first = base_for(reference_docx, first_code)
    if reference_docx is None:
        base, first_section = _own_bilingual_base(first_code, second_code)
    else:
        base, first_section = first, ""
    body_one = markdown_to_body(first_md, base, first_num_id=1000)
    body_two = markdown_to_body(second_md, base, first_num_id=1000 + len(body_one.new_nums),
                                new_page=not first_section)
    paragraphs = list(body_one.paragraphs)
    if first_section and paragraphs:
        from letters.writers.docx import _with_section_break

        paragraphs[-1] = _with_section_break(paragraphs[-1], first_section)
    tag = _tag_of(second_code)
    paragraphs += [tag_runs(p, tag) for p in body_two.paragraphs]
    nums = (*body_one.new_nums, *body_two.new_nums)
    document = base.document_head + "".join(paragraphs) + base.document_tail
    packed = packed_parts(base)
    from letters.writers.docx_base import DOCUMENT

    return packed.zip_with((pack(DOCUMENT, document.encode("utf-8"), _LETTER_LEVEL),
                            _numbering_entry(base, packed, tuple(nums)),
                            pack(CORE, core_xml(title, author), _LETTER_LEVEL)))


def tag_runs(xml: str, tag: str) -> str:
    """Every text run in ``xml`` (paragraphs, a header) marked as in the language ``tag``."""
    lang = f'<w:lang w:val="{tag}"/>'
    # A run with properties gets the tag last among them (lang follows b, i and sz in the
    # schema's order); a run without gets properties holding only the tag.
    xml = re.sub(r"(<w:r>)(<w:rPr>)((?:(?!</w:rPr>).)*)(</w:rPr>)",
                 lambda m: m.group(1) + m.group(2) + re.sub(r"<w:lang [^>]*/>", "", m.group(3))
                 + lang + m.group(4), xml, flags=re.S)
    return re.sub(r"<w:r>(?=<w:t[ >])", f"<w:r><w:rPr>{lang}</w:rPr>", xml)


def _tag_of(code: str) -> str:
    from letters.compose.language import language

    return language(code).tag


@functools.cache
def _own_bilingual_base(first: str, second: str) -> tuple[DocxBase, str]:
    """swletter's own base in ``first``, with ``second``'s header and footer as extra parts
    used by the document's last section; and the first section's properties."""
    from letters.writers.docx_base import own_base

    one, two = own_base(first), own_base(second)
    tail = one.document_tail
    section = _SECTION.search(tail)
    if section is None:  # swletter's own base always has one
        raise ValueError("swletter's base document has no section properties")
    tag = _tag_of(second)
    parts = dict(one.parts)
    parts[_SECOND_HEADER] = tag_runs(two.parts[HEADER].decode("utf-8"), tag).encode("utf-8")
    parts[_SECOND_FOOTER] = tag_runs(two.parts[FOOTER].decode("utf-8"), tag).encode("utf-8")
    parts[_RELS] = parts[_RELS].replace(b"</Relationships>", (
        f'<Relationship Id="{_HEADER_ID}" Type="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships/header" Target="header2.xml"/>'
        f'<Relationship Id="{_FOOTER_ID}" Type="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships/footer" Target="footer2.xml"/>'
        "</Relationships>").encode())
    kind = "application/vnd.openxmlformats-officedocument.wordprocessingml."
    parts[_CONTENT_TYPES] = parts[_CONTENT_TYPES].replace(b"</Types>", (
        f'<Override PartName="/{_SECOND_HEADER}" ContentType="{kind}header+xml"/>'
        f'<Override PartName="/{_SECOND_FOOTER}" ContentType="{kind}footer+xml"/>'
        "</Types>").encode())
    # The last section (the second language) uses the new header and footer.
    last = re.sub(r'(<w:headerReference w:type="default" r:id=")[^"]*"', rf'\1{_HEADER_ID}"',
                  section.group(0))
    last = re.sub(r'(<w:footerReference w:type="default" r:id=")[^"]*"', rf'\1{_FOOTER_ID}"',
                  last)
    base = dataclasses.replace(one, parts=parts,
                               document_tail=tail[:section.start()] + last + tail[section.end():])
    return base, section.group(0)


# --------------------------------------------------------------------------------------------
# .html


def bilingual_html(parts: Parts, *, title: str) -> str:
    """The .html page of a document in two languages (see the module's docstring)."""
    from letters.compose.language import language
    from letters.writers.html import letter_body_html, markdown_to_html

    code, markdown = parts[0]
    page = markdown_to_html(markdown, title=title, language=code)
    sections = []
    for other, text in parts[1:]:
        lang = language(other)
        sections.append(
            f'<section lang="{html.escape(lang.tag)}" class="language">\n'
            f'<p class="confidential">{html.escape(lang.page("header"))}</p>\n'
            f"{letter_body_html(text)}</section>\n")
    return page.replace("</body>", "".join(sections) + "</body>", 1)


# --------------------------------------------------------------------------------------------
# .pdf


def bilingual_pdf(parts: Parts, *, title: str, author: str = "") -> bytes:
    """The .pdf of a document in two languages (see the module's docstring)."""
    from letters.writers.typst_pdf import letter_data, pdf_from_data

    # letter.typ reads only "parts" when it is present, so the first language's layout is
    # taken from its part rather than computed a second time.
    data = [letter_data(text, title=title, author=author, language=code) for code, text in parts]
    return pdf_from_data({**data[0], "parts": data})
