"""Fields in a letterhead: which may stay, and what the others leave behind.

A field is an instruction Word or LibreOffice carries out when it opens or prints a document.
Page numbers and dates are what a letterhead needs; others fetch a picture or text from an
address (``INCLUDEPICTURE``, ``INCLUDETEXT``), link to another program's data (``LINK``,
``DDE``, ``DDEAUTO``) or show a file's path on the charity's computer (``FILENAME``). Those lose
their instruction and keep the text they last showed, so the letterhead looks as it did.
"""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass, field

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

#: Fields that number pages, date the letter, show a symbol or the letter's title; a link.
_FIELDS = ("PAGE", "NUMPAGES", "SECTIONPAGES", "SECTION", "DATE", "TIME", "SYMBOL", "TITLE",
           "HYPERLINK")
#: Addresses a link may open when clicked.
_LINK_SCHEMES = ("http", "https", "mailto")


def safe_address(address: str) -> bool:
    """Whether ``address`` is a web or email address (never a file, a share or a program)."""
    if any(c.isspace() and c != " " for c in address) or not address.isprintable():
        return False
    return urllib.parse.urlsplit(address.strip()).scheme.lower() in _LINK_SCHEMES


def _allowed(instruction: str) -> bool:
    words = instruction.split()
    if not words or words[0].upper() not in _FIELDS:
        return False
    if words[0].upper() == "HYPERLINK":
        address = next((w.strip('"') for w in words[1:] if not w.startswith("\\")), "")
        return safe_address(address)
    return True


@dataclass
class _Field:
    """A field being read: its markers and instruction text, and whether its result began."""

    elements: list[etree._Element]
    instruction: list[str] = field(default_factory=list)
    in_result: bool = False


def neutralise_fields(root: etree._Element) -> None:
    """Fields outside ``_FIELDS`` keep the text they last showed and lose their instruction."""
    for simple in list(root.iter(f"{{{W}}}fldSimple")):
        if not _allowed(simple.get(f"{{{W}}}instr") or ""):
            _unwrap(simple)
    doomed: list[etree._Element] = []
    fields: list[_Field] = []  # open fields, innermost last
    for element in root.iter(f"{{{W}}}fldChar", f"{{{W}}}instrText", f"{{{W}}}delInstrText"):
        if element.tag != f"{{{W}}}fldChar":
            if fields and not fields[-1].in_result:
                fields[-1].elements.append(element)
                fields[-1].instruction.append(element.text or "")
            continue
        kind = element.get(f"{{{W}}}fldCharType")
        if kind == "begin":
            fields.append(_Field([element]))
        elif fields:
            fields[-1].elements.append(element)
            if kind == "separate":
                fields[-1].in_result = True
            elif kind == "end":
                done = fields.pop()
                if not _allowed("".join(done.instruction)):
                    doomed.extend(done.elements)
    for unclosed in fields:
        if not _allowed("".join(unclosed.instruction)):
            doomed.extend(unclosed.elements)
    for element in doomed:
        parent = element.getparent()
        if parent is not None:
            parent.remove(element)


def _unwrap(element: etree._Element) -> None:
    parent = element.getparent()
    if parent is None:
        return
    index = parent.index(element)
    for offset, child in enumerate(list(element)):
        parent.insert(index + offset, child)
    parent.remove(element)
