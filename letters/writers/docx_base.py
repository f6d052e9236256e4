"""The base document every .docx letter is written on: swletter's own (A4, UK margins, a
readable font, heading and list styles, the page header and footer), or a charity's letterhead
prepared by ``reference.py``, kept as the bytes of its parts and prepared once per process."""

from __future__ import annotations

import dataclasses
import functools
import io
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from importlib import resources

# XML 1.0 forbids these characters anywhere in a document; Word refuses a file containing them.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")

DOCUMENT = "word/document.xml"
STYLES = "word/styles.xml"
#: swletter's own header and footer (the base document's only ones).
HEADER, FOOTER = "word/header1.xml", "word/footer1.xml"
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


#: swletter's base document, as ``build_default_document`` makes it, shipped ready-made so that
#: a run need not import python-docx (a fifth of a second). Rebuild it after changing the
#: builder with ``python -m letters.writers.docx_base``; a test checks that the two agree.
BASE_FILE = "base.docx"


@functools.cache
def default_base() -> DocxBase:
    """swletter's own base document, read once per process."""
    data = resources.files("letters.writers").joinpath(BASE_FILE).read_bytes()
    return _without_optional_parts(prepare_base(data))


@functools.cache
def own_base(code: str) -> DocxBase:
    """swletter's own base document in the language ``code``: the page header and the footer's
    words ("Page … of …") in that language, and the language tag for spelling and screen
    readers (``en-GB``, so Word does not mark "organisation" as a mistake)."""
    from letters.compose.language import language

    lang = language(code)
    base = default_base()
    before, between, after = lang.footer_parts()
    parts = dict(base.parts)
    for name, old, new in ((HEADER, "Private and confidential", lang.page("header")),
                           (FOOTER, "Page ", before), (FOOTER, " of ", between)):
        text = parts[name].decode("utf-8")
        wrapped = f'<w:t xml:space="preserve">{old}</w:t>' if old.strip() != old \
            else f"<w:t>{old}</w:t>"
        if text.count(wrapped) != 1:
            raise ValueError(f"{BASE_FILE}: no single {old!r} in {name} to put into {code}")
        parts[name] = text.replace(wrapped, f'<w:t xml:space="preserve">{xml_text(new)}'
                                            "</w:t>").encode("utf-8")
    if after:
        raise ValueError(f"a footer with words after the page count is not supported ({code})")
    return with_language_tag(dataclasses.replace(base, parts=parts), lang.tag)


def with_language_tag(base: DocxBase, tag: str) -> DocxBase:
    """``base`` whose text is in the language ``tag`` (``en-GB``, ``cy-GB``) by default."""
    styles = base.parts.get(STYLES)
    if styles is None:
        return base
    text = styles.decode("utf-8")
    lang = f'<w:lang w:val="{tag}" w:eastAsia="{tag}" w:bidi="ar-SA"/>'
    defaults = re.search(r"<w:rPrDefault>.*?</w:rPrDefault>", text, re.S)
    if defaults is None:
        return base
    block = defaults.group(0)
    if "<w:lang " in block:
        new_block = re.sub(r"<w:lang [^>]*/>", lang, block, count=1)
    elif "</w:rPr>" in block:
        new_block = block.replace("</w:rPr>", lang + "</w:rPr>", 1)
    else:
        new_block = block.replace("<w:rPrDefault>", f"<w:rPrDefault><w:rPr>{lang}</w:rPr>", 1)
    text = text[:defaults.start()] + new_block + text[defaults.end():]
    return dataclasses.replace(base, parts={**base.parts, STYLES: text.encode("utf-8")})


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


def build_default_document() -> bytes:
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


if __name__ == "__main__":
    # Rebuild the shipped base document from build_default_document.
    target = resources.files("letters.writers").joinpath(BASE_FILE)
    with resources.as_file(target) as path:
        path.write_bytes(build_default_document())
        print(f"Wrote {path}")
