"""A readable text dump of a .docx (page setup, header, footer, and style + text per paragraph).

Golden files compare this dump, never the .docx bytes: zip timestamps differ on every save.
"""

from __future__ import annotations

import io

import docx
from docx.shared import Mm


def dump_docx(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    section = document.sections[0]
    width, height = round(section.page_width / Mm(1)), round(section.page_height / Mm(1))
    margins = [round(getattr(section, f"{side}_margin") / Mm(1))
               for side in ("top", "right", "bottom", "left")]
    out = [
        f"page: {width} x {height} mm, margins {margins} mm",
        f"header: {' | '.join(p.text for p in section.header.paragraphs)}",
        f"footer: {' | '.join(_with_fields(p) for p in section.footer.paragraphs)}",
        "",
    ]
    for paragraph in document.paragraphs:
        text = "".join(f"**{run.text}**" if run.bold else run.text for run in paragraph.runs)
        out.append(f"[{paragraph.style.name}] {text.replace(chr(10), ' ⏎ ')}")
    return "\n".join(out) + "\n"


def _with_fields(paragraph: docx.text.paragraph.Paragraph) -> str:
    """Footer text with field codes shown as {PAGE}, so "Page N of M" is visible in the dump."""
    parts = []
    for child in paragraph._p.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "fldSimple":
            instr = child.get(docx.oxml.ns.qn("w:instr"), "").strip()
            parts.append("{" + instr + "}")
        elif tag == "r":
            parts.append("".join(t.text or "" for t in child.iter(docx.oxml.ns.qn("w:t"))))
    return "".join(parts)
