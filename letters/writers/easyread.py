"""The Easy Read sheet's files: .docx, .html and .pdf laid out as UK Easy Read guidance asks.

Each point is a row of a two-column table without borders: the picture on the left, its
sentences on the right, one to a line. Text is 16 pt Arial (or a sans-serif with its metrics),
the heading 24 pt; a row is never split across pages. The pictures (``letters/pictures``,
OpenMoji, CC BY-SA 4.0) are credited at the foot of each page, as their licence asks.

The .docx is built with python-docx (a table and pictures are beyond the letter writer's
needs), its properties then set as every swletter document's are (``properties.py``); the .pdf
is typeset by Typst from ``easyread.typ`` with the sheet passed as data, as the letter is.
"""

from __future__ import annotations

import base64
import functools
import html
import io
import json
import threading
import zipfile
from importlib import resources
from typing import TYPE_CHECKING, Any

from letters.errors import PdfError
from letters.writers.properties import APP, APP_XML, CORE, core_xml

if TYPE_CHECKING:
    from letters.compose.easyread import Sheet

FONT = "Arial"
TEXT_PT = 16
HEADING_PT = 24
CREDIT_PT = 12
PICTURE_CM = 2.5


@functools.cache
def picture(name: str) -> bytes:
    """The PNG of the picture called ``name``."""
    return resources.files("letters.pictures").joinpath(f"{name}.png").read_bytes()


@functools.cache
def _descriptions(code: str) -> dict[str, str]:
    from letters.compose.language import language

    return dict(language(code).data.get("easyread", {}).get("pictures", {}))


def describe(name: str, lang: str = "en-GB") -> str:
    """What a picture shows, for a screen reader, in the sheet's language (its tag, "cy-GB")."""
    return _descriptions(lang.partition("-")[0]).get(name, name)


def sheet_bytes(sheet: Sheet, fmt: str, *, title: str, author: str = "",
                lang: str = "en-GB") -> bytes:
    """The sheet as a docx, html or pdf file."""
    if fmt == "docx":
        return sheet_docx(sheet, title=title, author=author, lang=lang)
    if fmt == "html":
        return sheet_html(sheet, title=title, lang=lang).encode("utf-8")
    if fmt == "pdf":
        return sheet_pdf(sheet, title=title, author=author, lang=lang)
    raise ValueError(f"unknown format {fmt!r}; expected docx, md, html or pdf")


# -- .docx --------------------------------------------------------------------------------------


def _font(run: Any, size: int, *, bold: bool = False) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.name = FONT
    run.font.size = Pt(size)
    run.font.bold = bold
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)


def _no_borders(table: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.append(borders)


def _keep_row_together(row: Any) -> None:
    from docx.oxml import OxmlElement

    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def sheet_docx(sheet: Sheet, *, title: str, author: str = "", lang: str = "en-GB") -> bytes:
    """The sheet as a .docx: the heading, then a borderless two-column table of points."""
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt, RGBColor

    document = docx.Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2))
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(TEXT_PT)
    rpr = normal.element.get_or_add_rPr()
    rpr.get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    language = rpr.makeelement(qn("w:lang"), {qn("w:val"): lang})
    rpr.append(language)
    heading = document.add_heading(level=1)
    _font(heading.add_run(sheet.heading), HEADING_PT, bold=True)
    heading.runs[0].font.color.rgb = RGBColor(0, 0, 0)
    table = document.add_table(rows=0, cols=2)
    table.autofit = False
    _no_borders(table)
    widths = (Cm(3.5), Cm(21 - 2 * 2 - 3.5))  # A4 less the 2 cm margins
    for column, column_width in zip(table.columns, widths, strict=True):
        column.width = column_width
    for point in sheet.points:
        row = table.add_row()
        _keep_row_together(row)
        left, right = row.cells
        left.width, right.width = widths
        for cell in row.cells:
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        run = left.paragraphs[0].add_run()
        shape = run.add_picture(io.BytesIO(picture(point.picture)), width=Cm(PICTURE_CM))
        shape._inline.docPr.set("descr", describe(point.picture, lang))
        for i, sentence in enumerate(point.sentences):
            paragraph = right.paragraphs[0] if i == 0 else right.add_paragraph()
            paragraph.paragraph_format.space_after = Pt(6)
            _font(paragraph.add_run(sentence), TEXT_PT)
        row.cells[1].paragraphs[-1].paragraph_format.space_after = Pt(14)
    if sheet.credit:
        footer = section.footer.paragraphs[0]
        _font(footer.add_run(sheet.credit), CREDIT_PT)
    out = io.BytesIO()
    document.save(out)
    return _with_own_properties(out.getvalue(), title, author)


def _with_own_properties(data: bytes, title: str, author: str) -> bytes:
    """The .docx with swletter's own properties (title and author only), as every letter has
    them: python-docx's template carries its own author and dates."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            if item.filename == CORE:
                target.writestr(item, core_xml(title, author))
            elif item.filename == APP:
                target.writestr(item, APP_XML)
            else:
                target.writestr(item, source.read(item.filename))
    return out.getvalue()


# -- .html --------------------------------------------------------------------------------------

_STYLE = (
    "body{font-family:Arial,'Liberation Sans',Helvetica,sans-serif;font-size:16pt;"
    "line-height:1.4;max-width:17cm;margin:2em auto;padding:0 1em;color:#000;background:#fff}"
    "h1{font-size:24pt}table{border-collapse:collapse;width:100%}"
    "td{border:none;vertical-align:middle;padding:0 0 14pt 0}td.picture{width:3.5cm}"
    "img{width:2.5cm;height:2.5cm}td p{margin:0 0 6pt 0}"
    "footer{font-size:12pt;color:#333;margin-top:2em}"
)


def sheet_html(sheet: Sheet, *, title: str, lang: str = "en-GB") -> str:
    """The sheet as one self-contained web page (its pictures inside it)."""
    esc = html.escape
    rows = []
    for point in sheet.points:
        data = base64.b64encode(picture(point.picture)).decode("ascii")
        words = "".join(f"<p>{esc(s)}</p>" for s in point.sentences)
        rows.append(f'<tr><td class="picture"><img src="data:image/png;base64,{data}" '
                    f'alt="{esc(describe(point.picture, lang))}"></td><td>{words}</td></tr>')
    credit = f"<footer>{esc(sheet.credit)}</footer>" if sheet.credit else ""
    return (f'<!DOCTYPE html>\n<html lang="{esc(lang)}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{esc(title)}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n"
            f"<h1>{esc(sheet.heading)}</h1>\n<table>\n" + "\n".join(rows) +
            f"\n</table>\n{credit}\n</body>\n</html>\n")


# -- .pdf ---------------------------------------------------------------------------------------

TEMPLATE = "easyread.typ"
_LOCK = threading.Lock()


@functools.cache
def _compiler() -> Any:
    import typst

    return typst.Compiler()


def sheet_pdf(sheet: Sheet, *, title: str, author: str = "", lang: str = "en-GB") -> bytes:
    """The sheet typeset by Typst: tagged, titled, in its language."""
    import typst

    code, _, region = lang.partition("-")
    names = sorted({p.picture for p in sheet.points})
    data = {"title": title, "author": author, "lang": code, "region": region or "GB",
            "heading": sheet.heading, "credit": sheet.credit,
            "pictures": {n: list(picture(n)) for n in names},
            "points": [{"picture": p.picture, "alt": describe(p.picture, lang),
                        "sentences": list(p.sentences)} for p in sheet.points]}
    inputs = {"sheet": json.dumps(data, ensure_ascii=False)}
    source = resources.files("letters.writers").joinpath(TEMPLATE).read_bytes()
    with _LOCK:
        try:
            pdf = _compiler().compile(source, format="pdf", sys_inputs=inputs,
                                      pdf_standards=["ua-1"])
        except typst.TypstError:
            try:
                pdf = _compiler().compile(source, format="pdf", sys_inputs=inputs)
            except typst.TypstError as err:
                raise PdfError("swletter could not typeset this Easy Read sheet as a PDF. "
                               "Write a .docx instead (--format docx), and please report "
                               "this problem.") from err
    if not isinstance(pdf, bytes):
        raise TypeError(f"typst returned {type(pdf).__name__} for a PDF")
    return pdf
