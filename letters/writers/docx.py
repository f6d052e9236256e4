"""The .docx writer: Markdown → WordprocessingML, on a base document prepared once per process
(``docx_base.py``). Each letter only needs a new ``word/document.xml`` body and
``word/numbering.xml`` (so every numbered list starts at 1); every other part is reused as it
is, already zipped (``docx_zip.py``).

The Markdown is read with markdown-it-py (CommonMark). Two HTML comments are directives from our
templates: ``<!-- signature -->`` leaves room for a signature before the next paragraph and
``<!-- page-break -->`` starts a new page. User text cannot produce them: it is escaped.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from letters.writers.blocks import NON_BREAKING_HYPHEN
from letters.writers.docx_base import DOCUMENT, NUMBERING, DocxBase, own_base, xml_text
from letters.writers.docx_zip import Entry, Packed, pack, packed_parts
from letters.writers.fastmd import fast_tokens

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

# --------------------------------------------------------------------------------------------
# Markdown → body XML


@functools.cache
def _parser() -> MarkdownIt:
    # Imported on first need: the letters' own Markdown rarely needs more than fast_tokens.
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark")


@dataclass
class _Body:
    base: DocxBase
    first_num_id: int
    paragraphs: list[str] = field(default_factory=list)
    lists: list[tuple[str, int, int]] = field(default_factory=list)  # (kind, numId, first para)
    new_nums: list[tuple[int, int]] = field(default_factory=list)  # (numId, start)
    next_style: str = ""
    next_page_break: bool = False
    heading_style: str = ""  # inside a heading: its style

    def paragraph(self, style: str, runs: str, *, num_id: int | None = None) -> None:
        if self.next_style and style == "Normal":
            style = self.next_style
        elif style == "Normal" and not self.next_page_break and num_id is None:
            self.paragraphs.append(f"<w:p>{runs}</w:p>")  # most paragraphs: no properties
            return
        self.next_style = ""
        props = []
        if style != "Normal":
            props.append(f'<w:pStyle w:val="{self.base.style(style)}"/>')
        if self.next_page_break:
            props.append("<w:pageBreakBefore/>")
            self.next_page_break = False
        if num_id is not None:
            props.append(f'<w:numPr><w:ilvl w:val="0"/><w:numId w:val="{num_id}"/></w:numPr>')
        ppr = f"<w:pPr>{''.join(props)}</w:pPr>" if props else ""
        self.paragraphs.append(f"<w:p>{ppr}{runs}</w:p>")


def _runs(children: Sequence[Any]) -> str:
    if len(children) == 1 and children[0].type == "text":  # most paragraphs: plain text
        return _run(children[0].content, 0, 0)
    out = []
    bold = italic = 0
    for tok in children:
        kind = tok.type
        if kind == "strong_open":
            bold += 1
        elif kind == "strong_close":
            bold -= 1
        elif kind == "em_open":
            italic += 1
        elif kind == "em_close":
            italic -= 1
        elif kind == "hardbreak":
            out.append("<w:r><w:br/></w:r>")
        elif kind == "softbreak":
            out.append(_run(" ", bold, italic))
        elif kind in ("text", "code_inline"):
            out.append(_run(tok.content, bold, italic))
    return "".join(out)


def _run(text: str, bold: int, italic: int) -> str:
    if not text:
        return ""
    body = xml_text(text)
    if NON_BREAKING_HYPHEN in body:
        # Word's own non-breaking hyphen (a reference kept whole, writers.unbroken): it reads
        # back as "-", and no line ends at it.
        body = body.replace(NON_BREAKING_HYPHEN,
                            '</w:t><w:noBreakHyphen/><w:t xml:space="preserve">')
    return _RUN_OPEN[bool(bold), bool(italic)] + body + "</w:t></w:r>"


#: A run's start, by (bold, italic).
_RUN_OPEN = {
    (False, False): '<w:r><w:t xml:space="preserve">',
    (True, False): '<w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">',
    (False, True): '<w:r><w:rPr><w:i/></w:rPr><w:t xml:space="preserve">',
    (True, True): '<w:r><w:rPr><w:b/><w:i/></w:rPr><w:t xml:space="preserve">',
}


def markdown_to_body(markdown: str, base: DocxBase, *, first_num_id: int,
                     new_page: bool = False) -> _Body:
    """Turn the letter's Markdown into paragraphs for ``base``."""
    body = _Body(base=base, first_num_id=first_num_id, next_page_break=new_page)
    # The letters' plain Markdown is read by a fast reader that gives markdown-it's tokens;
    # anything beyond that subset goes to markdown-it itself.
    tokens: Sequence[Any] = fast_tokens(markdown) or _parser().parse(markdown)
    for tok in tokens:
        on_token = _ON_TOKEN.get(tok.type)
        if on_token is not None:
            on_token(body, tok)
    return body


def _inline(body: _Body, tok: Any) -> None:
    """A paragraph's text: a heading, a list item, or a paragraph of its own."""
    runs = _runs(tok.children or [])
    if body.heading_style:
        body.paragraph(body.heading_style, runs)
    elif body.lists:
        _list_item(body, runs)
    else:
        body.paragraph("Normal", runs)


def _list_item(body: _Body, runs: str) -> None:
    list_kind, num_id, first = body.lists[-1]
    if list_kind == "bullet":
        body.paragraph("ListBullet", runs)
        return
    # A numbered list (the enclosures) stays on one page with its heading rather than leaving
    # a few items over on the next.
    if len(body.paragraphs) > first:
        _keep_with_next(body)
    body.paragraph("ListNumber", runs, num_id=num_id)


def _heading_open(body: _Body, tok: Any) -> None:
    body.heading_style = f"Heading{tok.tag[1]}"


def _heading_close(body: _Body, tok: Any) -> None:
    body.heading_style = ""


def _bullet_list_open(body: _Body, tok: Any) -> None:
    body.lists.append(("bullet", 0, len(body.paragraphs)))


def _ordered_list_open(body: _Body, tok: Any) -> None:
    """A numbered list: a numbering of its own (so it starts at 1, or at its ``start``)."""
    num_id = body.first_num_id + len(body.new_nums)
    body.new_nums.append((num_id, int(tok.attrGet("start") or 1)))
    body.lists.append(("ordered", num_id, len(body.paragraphs)))


def _list_close(body: _Body, tok: Any) -> None:
    body.lists.pop()


def _html_block(body: _Body, tok: Any) -> None:
    """Our templates' two directives; any other HTML block shows nothing."""
    directive = tok.content.strip()
    if directive == "<!-- signature -->":
        body.next_style = "SignatureSpace"
        # The close keeps with the name, and the paragraph before it with the close:
        # "Yours faithfully" never starts a page on its own.
        _keep_with_next(body)
        _keep_with_next(body, back=2)
    elif directive == "<!-- page-break -->":
        body.next_page_break = True


def _page_break(body: _Body, tok: Any) -> None:
    body.next_page_break = True


def _code(body: _Body, tok: Any) -> None:
    """Code shows as plain paragraphs, one a line."""
    for line in tok.content.splitlines():
        body.paragraph("Normal", _run(line, 0, 0))


#: What the writer does with each kind of token; other kinds (paragraph_open, …) add nothing.
_ON_TOKEN: dict[str, Callable[[_Body, Any], None]] = {
    "inline": _inline,
    "heading_open": _heading_open,
    "heading_close": _heading_close,
    "bullet_list_open": _bullet_list_open,
    "ordered_list_open": _ordered_list_open,
    "bullet_list_close": _list_close,
    "ordered_list_close": _list_close,
    "html_block": _html_block,
    "hr": _page_break,
    "fence": _code,
    "code_block": _code,
}


def _keep_with_next(body: _Body, back: int = 1) -> None:
    """Keep a paragraph (the last, or ``back`` from the end) on the same page as the next (a
    sign-off and its name)."""
    if len(body.paragraphs) >= back:
        last = body.paragraphs[-back]
        if "<w:keepNext/>" in last or not last.startswith("<w:p>"):
            return
        if last.startswith("<w:p><w:pPr>"):
            # keepNext follows pStyle in the schema's order; readers ignore it out of place.
            style = _PSTYLE.match(last, len("<w:p><w:pPr>"))
            at = style.end() if style else len("<w:p><w:pPr>")
            body.paragraphs[-back] = last[:at] + "<w:keepNext/>" + last[at:]
        else:
            body.paragraphs[-back] = ("<w:p><w:pPr><w:keepNext/></w:pPr>"
                                      + last[len("<w:p>"):])


_PSTYLE = re.compile(r'<w:pStyle w:val="[^"]*"/>')


def build_docx(markdown_letters: Iterable[str], base: DocxBase | None = None, *,
               title: str = "", author: str = "") -> bytes:
    """One .docx holding each Markdown letter in turn, each starting on a new page.

    With several letters each is its own section whose pages are numbered from 1, and "Page N
    of M" counts that letter's pages, so a printed letter never says "Page 4 of 9".
    ``title`` and ``author`` are the document's properties (see properties.py).
    """
    from letters.writers.properties import CORE, core_xml

    base = base or own_base("en")
    paragraphs: list[str] = []
    nums: list[tuple[int, int]] = []
    first = 1000  # well clear of the numbering ids a base document defines itself
    section = _restarting_section(base.document_tail)
    count = 0
    for count, markdown in enumerate(markdown_letters, start=1):
        if count > 1 and paragraphs:
            paragraphs[-1] = _with_section_break(paragraphs[-1], section)
        body = markdown_to_body(markdown, base, first_num_id=first + len(nums),
                                new_page=count > 1 and not section)
        paragraphs.extend(body.paragraphs)
        nums.extend(body.new_nums)
    tail = base.document_tail
    if count > 1 and section:
        tail = tail.replace(_SECTION.search(tail).group(0), section, 1)  # type: ignore[union-attr]
        base = _counting_per_section(base)
    document = base.document_head + "".join(paragraphs) + tail
    packed = packed_parts(base)
    return packed.zip_with((pack(DOCUMENT, document.encode("utf-8"), _LETTER_LEVEL),
                            _numbering_entry(base, packed, tuple(nums)),
                            pack(CORE, core_xml(title, author), _LETTER_LEVEL)))


#: zlib level for each letter's own text. Level 3 deflates document.xml in half the time of
#: the default 6 for ~180 more bytes in a 14.6 KiB letter; beyond 3 zlib's slower match search
#: starts, and below it the file grows without getting faster.
_LETTER_LEVEL = 3


def _numbering_entry(base: DocxBase, packed: Packed, nums: tuple[tuple[int, int], ...]) -> Entry:
    """``word/numbering.xml`` restarting each numbered list, zipped once per shape of letter.

    It depends only on the lists' ids and starts, which nearly every letter shares (one
    enclosures list numbered from 1), so in bulk it is compressed once, not once per letter.
    """
    entry = packed.numberings.get(nums)
    if entry is None:
        numbering = base.numbering_head + "".join(
            f'<w:num w:numId="{num_id}"><w:abstractNumId w:val="{base.list_number_abstract}"/>'
            f'<w:lvlOverride w:ilvl="0"><w:startOverride w:val="{start}"/></w:lvlOverride>'
            "</w:num>"
            for num_id, start in nums
            if base.list_number_abstract
        ) + base.numbering_tail
        entry = pack(NUMBERING, numbering.encode("utf-8"))
        if len(packed.numberings) >= 64:  # combined documents: many lists, each its own shape
            packed.numberings.clear()
        packed.numberings[nums] = entry
    return entry


_SECTION = re.compile(r"<w:sectPr\b.*?</w:sectPr>", re.S)


@functools.lru_cache(maxsize=16)
def _restarting_section(document_tail: str) -> str:
    """The base's section properties with page numbers starting again at 1 ("" if none)."""
    match = _SECTION.search(document_tail)
    if match is None:
        return ""
    section = re.sub(r"<w:pgNumType\b[^>]*/>", "", match.group(0))
    # Schema order: pgNumType comes before cols, docGrid and the rest.
    anchor = re.search(r"<w:(?:cols|formProt|vAlign|noEndnote|titlePg|textDirection|bidi|"
                       r"rtlGutter|docGrid|printerSettings|sectPrChange)\b|</w:sectPr>", section)
    assert anchor is not None
    return section[:anchor.start()] + '<w:pgNumType w:start="1"/>' + section[anchor.start():]


def _with_section_break(paragraph: str, section: str) -> str:
    """``paragraph`` ending a section: the next letter starts a new page and page 1."""
    if paragraph.startswith("<w:p><w:pPr>"):
        return paragraph.replace("</w:pPr>", section + "</w:pPr>", 1)
    return "<w:p><w:pPr>" + section + "</w:pPr>" + paragraph[len("<w:p>"):]


#: The words between "Page N" and the NUMPAGES field (" of ", " o "), with the field.
_OF_NUMPAGES = re.compile(rb'<w:r>(?:(?!</w:r>).)*?<w:t[^>]*>[^<]*</w:t></w:r>'
                          rb'<w:fldSimple w:instr=" NUMPAGES ">.*?</w:fldSimple>', re.S)


def _counting_per_section(base: DocxBase) -> DocxBase:
    """``base`` with headers and footers that number each letter's pages on their own.

    "Page N of M" becomes "Page N": the total would count every letter in the document, and
    LibreOffice cannot count a section's pages (SECTIONPAGES). A footer of another shape keeps
    its fields, with NUMPAGES turned into SECTIONPAGES, which Word counts per letter.
    """
    found = _PER_SECTION.get(id(base))
    if found is not None and found[0] is base:
        return found[1]
    parts = dict(base.parts)
    for name, data in base.parts.items():
        if re.fullmatch(r"word/(?:header|footer)\d*\.xml", name) and b"NUMPAGES" in data:
            data = _OF_NUMPAGES.sub(b"", data)
            parts[name] = data.replace(b"NUMPAGES", b"SECTIONPAGES")
    variant = dataclasses.replace(base, parts=parts)
    if len(_PER_SECTION) > 8:
        _PER_SECTION.clear()
    _PER_SECTION[id(base)] = (base, variant)
    return variant


_PER_SECTION: dict[int, tuple[DocxBase, DocxBase]] = {}
