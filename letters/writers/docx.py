"""The .docx writer: Markdown → WordprocessingML, on a base document prepared once per process.

The base document (A4, UK margins, a readable font, heading and list styles, "Private and
confidential" in the header and "Page N of M" in the footer) is built with python-docx once and
kept as the bytes of its parts. Each letter then only needs a new ``word/document.xml`` body and
``word/numbering.xml`` (so every numbered list starts at 1); every other part is reused as it is.

The Markdown is read with markdown-it-py (CommonMark). Two HTML comments are directives from our
templates: ``<!-- signature -->`` leaves room for a signature before the next paragraph and
``<!-- page-break -->`` starts a new page. User text cannot produce them: it is escaped.
"""

from __future__ import annotations

import dataclasses
import functools
import io
import posixpath
import re
import struct
import zipfile
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import TYPE_CHECKING, Any

from letters.writers.fastmd import fast_tokens

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

# XML 1.0 forbids these characters anywhere in a document; Word refuses a file containing them.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")

DOCUMENT = "word/document.xml"
NUMBERING = "word/numbering.xml"

#: Twips (1/1440 inch): A4 is 210 × 297 mm; margins of 2.5 cm.
A4_WIDTH, A4_HEIGHT, MARGIN = 11906, 16838, 1418


def xml_text(text: str) -> str:
    """Text safe inside a WordprocessingML ``<w:t>``: invalid characters dropped, markup escaped."""
    # Most text needs nothing: printable text has none of the invalid characters. (These C
    # checks cost a third of the regex and replaces, which showed in bulk profiles.)
    if text.isprintable() and "&" not in text and "<" not in text and ">" not in text:
        return text
    text = _XML_INVALID.sub("", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@dataclass(frozen=True)
class DocxBase:
    """A prepared base document: every part's bytes, and the pieces a letter fills in."""

    parts: dict[str, bytes]
    document_head: str
    document_tail: str
    numbering_head: str
    numbering_tail: str
    list_number_abstract: str
    styles: dict[str, str] = field(default_factory=dict)

    def style(self, role: str) -> str:
        """The style id for a role (``Heading2``, ``ListNumber`` …), as this base names it."""
        return self.styles.get(role, role)


#: swletter's base document, as ``_build_default_document`` makes it, shipped ready-made so that
#: a run need not import python-docx (a fifth of a second). Rebuild it after changing the
#: builder with ``python -m letters.writers.docx``; a test checks that the two agree.
BASE_FILE = "base.docx"


@functools.cache
def default_base() -> DocxBase:
    """swletter's own base document, read once per process."""
    data = resources.files("letters.writers").joinpath(BASE_FILE).read_bytes()
    return _without_optional_parts(prepare_base(data))


#: Parts of python-docx's default template that a letter never uses: Word 2010's duplicate
#: styles (438 kB), a thumbnail of an empty page, and a bibliography data store. Leaving them
#: (and the table styles) out makes each letter a quarter of the size; Word, LibreOffice and
#: python-docx do not need them.
_OPTIONAL_PARTS = (
    "word/stylesWithEffects.xml",
    "docProps/thumbnail.jpeg",
    "customXml/item1.xml",
    "customXml/_rels/item1.xml.rels",
    "customXml/itemProps1.xml",
)


def _without_optional_parts(base: DocxBase) -> DocxBase:
    parts = {name: data for name, data in base.parts.items() if name not in _OPTIONAL_PARTS}
    for name, folder in (("[Content_Types].xml", ""), ("_rels/.rels", ""),
                         ("word/_rels/document.xml.rels", "word")):
        def keep(element: re.Match[str], folder: str = folder) -> str:
            target = re.search(r'(?:PartName|Target)="([^"]*)"', element.group(0))
            if target is None:
                return element.group(0)
            path = posixpath.normpath(posixpath.join(folder, target.group(1))).lstrip("/")
            return "" if path in _OPTIONAL_PARTS else element.group(0)

        text = re.sub(r"<(?:Override|Relationship)\b[^>]*/>", keep, parts[name].decode("utf-8"))
        parts[name] = text.encode("utf-8")
    # Letters have no tables: the template's hundred table styles are dead weight.
    styles = parts["word/styles.xml"].decode("utf-8")
    styles = re.sub(r'<w:style w:type="table"(?![^>]*w:default="1")[^>]*>.*?</w:style>', "",
                    styles, flags=re.S)
    parts["word/styles.xml"] = styles.encode("utf-8")
    return dataclasses.replace(base, parts=parts)


def _build_default_document() -> bytes:
    import docx
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn
    from docx.shared import Pt, RGBColor, Twips

    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Twips(A4_WIDTH), Twips(A4_HEIGHT)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Twips(MARGIN))

    styles = document.styles
    normal = styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(11)
    normal.paragraph_format.space_after = Pt(8)
    normal.paragraph_format.line_spacing = 1.15
    # East Asian font mapping too, so Word does not fall back to a theme font for some text.
    rfonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        rfonts.set(qn(attr), "Arial")
    for name, size in (("Heading 1", 14), ("Heading 2", 12), ("Heading 3", 11)):
        heading = styles[name]
        heading.font.name = "Arial"
        heading.font.size = Pt(size)
        heading.font.bold = True
        heading.font.italic = False
        heading.font.color.rgb = RGBColor(0, 0, 0)
        heading.paragraph_format.space_before = Pt(12)
        heading.paragraph_format.space_after = Pt(4)
        heading.paragraph_format.keep_with_next = True
        # The default template gives headings theme fonts, which win over a named font.
        heading_fonts = heading.element.get_or_add_rPr().get_or_add_rFonts()
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            heading_fonts.attrib.pop(qn(attr), None)
    for name in ("List Bullet", "List Number"):
        styles[name].paragraph_format.space_after = Pt(4)
    if "Signature Space" not in [s.name for s in styles]:
        sig = styles.add_style("Signature Space", WD_STYLE_TYPE.PARAGRAPH)
        sig.base_style = normal
        sig.paragraph_format.space_before = Pt(42)

    header = section.header.paragraphs[0]
    header.text = "Private and confidential"
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    header.runs[0].font.size = Pt(9)

    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    small = '<w:rPr><w:sz w:val="18"/></w:rPr>'
    w = nsdecls("w")
    for fragment in (
        f'<w:r {w}>{small}<w:t xml:space="preserve">Page </w:t></w:r>',
        f'<w:fldSimple {w} w:instr=" PAGE "><w:r>{small}<w:t>1</w:t></w:r></w:fldSimple>',
        f'<w:r {w}>{small}<w:t xml:space="preserve"> of </w:t></w:r>',
        f'<w:fldSimple {w} w:instr=" NUMPAGES "><w:r>{small}<w:t>1</w:t></w:r></w:fldSimple>',
    ):
        footer._p.append(parse_xml(fragment))

    props = document.core_properties
    props.author = "swletter"
    props.last_modified_by = "swletter"
    props.title = "Request for a change of social worker"
    props.comments = ""
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


_BODY = re.compile(r"(<w:body>)(.*?)(<w:sectPr\b.*</w:body>)", re.S)


def prepare_base(data: bytes) -> DocxBase:
    """Split a .docx into reusable parts and the document/numbering pieces each letter fills.

    The document properties are swletter's: each letter writes its own title and author
    (``build_docx``), and the extended properties say only which program wrote the file.
    """
    from letters.writers.properties import APP, APP_XML, CORE

    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        parts = {name: zf.read(name) for name in zf.namelist()}
    parts.pop(CORE, None)
    parts[APP] = APP_XML
    document = parts.pop(DOCUMENT).decode("utf-8")
    match = _BODY.search(document)
    if match is None:
        raise ValueError("the base document has no body section")
    head = document[: match.end(1)]
    tail = match.group(3) + document[match.end(3):]
    numbering = parts.pop(NUMBERING, b"").decode("utf-8") or _EMPTY_NUMBERING
    close = numbering.rindex("</w:numbering>")
    styles_xml = parts.get("word/styles.xml", b"").decode("utf-8")
    return DocxBase(
        parts=parts,
        document_head=head,
        document_tail=tail,
        numbering_head=numbering[:close],
        numbering_tail=numbering[close:],
        list_number_abstract=_list_number_abstract(numbering, styles_xml),
    )


_EMPTY_NUMBERING = (
    "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    '<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    "</w:numbering>"
)


def _list_number_abstract(numbering: str, styles_xml: str) -> str:
    """The abstract numbering behind the "List Number" style, so each list can restart it."""
    style = re.search(r'w:styleId="ListNumber".*?</w:style>', styles_xml, re.S)
    num_id = re.search(r'<w:numId w:val="(\d+)"', style.group(0)) if style else None
    if num_id:
        num = re.search(
            rf'<w:num w:numId="{num_id.group(1)}"[^>]*>\s*<w:abstractNumId w:val="(\d+)"', numbering
        )
        if num:
            return num.group(1)
    return ""


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
    return _RUN_OPEN[bool(bold), bool(italic)] + xml_text(text) + "</w:t></w:r>"


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
    heading_style = ""
    for tok in tokens:
        kind = tok.type
        # Paragraph text first: most tokens are.
        if kind == "inline":
            runs = _runs(tok.children or [])
            if heading_style:
                body.paragraph(heading_style, runs)
            elif body.lists:
                list_kind, num_id, first = body.lists[-1]
                if list_kind == "bullet":
                    body.paragraph("ListBullet", runs)
                else:
                    # A numbered list (the enclosures) stays on one page with its heading
                    # rather than leaving a few items over on the next.
                    if len(body.paragraphs) > first:
                        _keep_with_next(body)
                    body.paragraph("ListNumber", runs, num_id=num_id)
            else:
                body.paragraph("Normal", runs)
        elif kind == "heading_open":
            heading_style = f"Heading{tok.tag[1]}"
        elif kind == "heading_close":
            heading_style = ""
        elif kind == "bullet_list_open":
            body.lists.append(("bullet", 0, len(body.paragraphs)))
        elif kind == "ordered_list_open":
            num_id = first_num_id + len(body.new_nums)
            start = int(tok.attrGet("start") or 1)
            body.new_nums.append((num_id, start))
            body.lists.append(("ordered", num_id, len(body.paragraphs)))
        elif kind in ("bullet_list_close", "ordered_list_close"):
            body.lists.pop()
        elif kind == "html_block":
            directive = tok.content.strip()
            if directive == "<!-- signature -->":
                body.next_style = "SignatureSpace"
                _keep_with_next(body)
            elif directive == "<!-- page-break -->":
                body.next_page_break = True
        elif kind == "hr":
            body.next_page_break = True
        elif kind in ("fence", "code_block"):
            for line in tok.content.splitlines():
                body.paragraph("Normal", _run(line, 0, 0))
    return body


def _keep_with_next(body: _Body) -> None:
    """Keep the last paragraph on the same page as the next (a sign-off and its name)."""
    if body.paragraphs:
        last = body.paragraphs[-1]
        if last.startswith("<w:p><w:pPr>"):
            # keepNext follows pStyle in the schema's order; readers ignore it out of place.
            style = _PSTYLE.match(last, len("<w:p><w:pPr>"))
            at = style.end() if style else len("<w:p><w:pPr>")
            body.paragraphs[-1] = last[:at] + "<w:keepNext/>" + last[at:]
        else:
            body.paragraphs[-1] = "<w:p><w:pPr><w:keepNext/></w:pPr>" + last[len("<w:p>"):]


_PSTYLE = re.compile(r'<w:pStyle w:val="[^"]*"/>')


def build_docx(markdown_letters: Iterable[str], base: DocxBase | None = None, *,
               title: str = "", author: str = "") -> bytes:
    """One .docx holding each Markdown letter in turn, each starting on a new page.

    With several letters each is its own section whose pages are numbered from 1, and "Page N
    of M" counts that letter's pages, so a printed letter never says "Page 4 of 9".
    ``title`` and ``author`` are the document's properties (see properties.py).
    """
    from letters.writers.properties import CORE, core_xml

    base = base or default_base()
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
    packed = _packed_parts(base)
    return packed.zip_with((_pack(DOCUMENT, document.encode("utf-8"), _LETTER_LEVEL),
                            _numbering_entry(base, packed, tuple(nums)),
                            _pack(CORE, core_xml(title, author), _LETTER_LEVEL)))


#: zlib level for each letter's own text. Level 3 deflates document.xml in half the time of
#: the default 6 for ~180 more bytes in a 14.6 KiB letter; beyond 3 zlib's slower match search
#: starts, and below it the file grows without getting faster.
_LETTER_LEVEL = 3


def _numbering_entry(base: DocxBase, packed: _Packed, nums: tuple[tuple[int, int], ...]) -> _Entry:
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
        entry = _pack(NUMBERING, numbering.encode("utf-8"))
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


#: " of " and the NUMPAGES field after "Page N" in swletter's own footer.
_OF_NUMPAGES = re.compile(rb'<w:r>(?:(?!</w:r>).)*?<w:t[^>]*> of </w:t></w:r>'
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


# --------------------------------------------------------------------------------------------
# Zipping: the unchanged parts are compressed once per base, not once per letter

#: Every entry carries the same timestamp (1 January 1980, the zip format's first date), so the
#: same letter always gives the same bytes.
_DOS_TIME, _DOS_DATE = 0, (0 << 9) | (1 << 5) | 1


@dataclass(frozen=True)
class _Entry:
    """One zip entry, already deflated: its name, checksum, sizes and compressed bytes."""

    name: bytes
    flags: int
    crc: int
    size: int
    data: bytes

    def local(self) -> bytes:
        return struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, self.flags, zipfile.ZIP_DEFLATED,
                           _DOS_TIME, _DOS_DATE, self.crc, len(self.data), self.size,
                           len(self.name), 0) + self.name + self.data

    def central(self, offset: int) -> bytes:
        return struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, self.flags,
                           zipfile.ZIP_DEFLATED, _DOS_TIME, _DOS_DATE, self.crc,
                           len(self.data), self.size, len(self.name), 0, 0, 0, 0, 0,
                           offset) + self.name


def _pack(name: str, data: bytes, level: int = 6) -> _Entry:
    encoded = name.encode("utf-8")
    flags = 0 if encoded.isascii() else 0x800  # bit 11: the name is UTF-8
    squeeze = zlib.compressobj(level, zlib.DEFLATED, -15)
    return _Entry(encoded, flags, zlib.crc32(data), len(data),
                  squeeze.compress(data) + squeeze.flush())


@dataclass(frozen=True)
class _Packed:
    """The base's unchanged parts as ready-made zip bytes: local entries and directory."""

    head: bytes
    directory: bytes
    count: int
    #: The numbering part for each shape of letter seen, by its lists' (numId, start).
    numberings: dict[tuple[tuple[int, int], ...], _Entry] = field(default_factory=dict)

    def zip_with(self, entries: Sequence[_Entry]) -> bytes:
        """A whole .docx: the unchanged parts first, then ``entries`` (the letter's parts)."""
        body = [self.head]
        directory = [self.directory]
        offset = len(self.head)
        for entry in entries:
            local = entry.local()
            body.append(local)
            directory.append(entry.central(offset))
            offset += len(local)
        central = b"".join(directory)
        count = self.count + len(entries)
        end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, len(central), offset, 0)
        return b"".join(body) + central + end


_PACKED: dict[int, tuple[DocxBase, _Packed]] = {}


def _packed_parts(base: DocxBase) -> _Packed:
    """The compressed unchanged parts of ``base``, made on first use and kept per process."""
    found = _PACKED.get(id(base))
    if found is not None and found[0] is base:
        return found[1]
    # [Content_Types].xml first, as Word writes it; then the other parts in their own order.
    names = sorted(base.parts, key=lambda name: name != "[Content_Types].xml")
    head, directory = [], []
    offset = 0
    for name in names:
        entry = _pack(name, base.parts[name], 9)
        local = entry.local()
        head.append(local)
        directory.append(entry.central(offset))
        offset += len(local)
    packed = _Packed(b"".join(head), b"".join(directory), len(names))
    if len(_PACKED) > 8:  # a long-lived process given many reference documents
        _PACKED.clear()
    _PACKED[id(base)] = (base, packed)
    return packed


if __name__ == "__main__":
    # Rebuild the shipped base document from _build_default_document.
    target = resources.files("letters.writers").joinpath(BASE_FILE)
    with resources.as_file(target) as path:
        path.write_bytes(_build_default_document())
        print(f"Wrote {path}")
