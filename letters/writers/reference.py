"""Letters on a charity's letterhead: a reference .docx gives the look, swletter gives the words.

Like pandoc's ``--reference-doc``: from a .docx made in Word or LibreOffice the letter takes the
styles (fonts, sizes, colours, spacing), the page setup, and the headers and footers with their
images (a letterhead and logo). The reference's own body text is dropped; the letter's body is
ours. The result is handed to ``prepare_base`` in ``docx.py``, the same seam swletter's own base
document goes through, so the .docx writer does not know where its base came from.

What is adapted, and why:

- only an allow-list of parts and links is carried (``letterhead_parts.py``): a letterhead
  can come from anyone, and nothing in it may make Word or LibreOffice fetch an address, pull
  in another file or run code when a family or a manager opens the letter;
- the styles our body uses (headings, lists, the signature space) are added where the reference
  lacks them, built on the reference's own normal style so they take its font;
- numbered and bulleted list styles get a numbering definition if they have none, so lists are
  numbered in every letter;
- the document properties are swletter's own (``properties.py``), so a staff member's name or
  the charity's company and manager fields do not travel with every letter.

The file is unpacked within limits that do not trust its own headers (``letters.safe_zip``),
and read once per process (per path and modification time).
"""

from __future__ import annotations

import dataclasses
import functools
import io
import os
import zipfile
from collections.abc import Callable
from pathlib import Path

from lxml import etree

from letters import safe_zip
from letters.errors import ConfigError, Problem
from letters.writers.docx_base import DOCUMENT, DocxBase, default_base, prepare_base
from letters.writers.letterhead_parts import CONTENT_TYPES, Letterhead, parse_part, select_parts

#: A letterhead is a few hundred kilobytes; anything far larger is probably the wrong file.
MAX_REFERENCE_BYTES = 20 * 1024 * 1024
#: Unpacked size limit, so a crafted file cannot fill memory ("zip bomb").
MAX_UNPACKED_BYTES = 100 * 1024 * 1024

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

_MAIN_DOCUMENT = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_MAIN_TEMPLATE = "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"

#: The paragraph styles our body uses: role (the style id swletter writes) → Word's style name.
ROLES = {
    "Heading1": "heading 1",
    "Heading2": "heading 2",
    "Heading3": "heading 3",
    "ListBullet": "list bullet",
    "ListNumber": "list number",
    "SignatureSpace": "signature space",
}

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, remove_blank_text=False,
                          huge_tree=False)


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def reference_base(path: str | os.PathLike[str]) -> DocxBase:
    """The base document for letters on the letterhead in ``path`` (read once per process).

    Raises ``ConfigError`` naming the file when it is missing or is not a usable .docx.
    """
    name = os.fspath(path)
    target = Path(path)
    try:
        stat = target.stat()
    except FileNotFoundError:
        raise ConfigError([Problem("the reference .docx does not exist. Check the path "
                                   "given with --reference-docx or in swletter.toml.")],
                          name) from None
    except OSError as err:
        raise ConfigError([Problem(f"the reference .docx cannot be read ({err.strerror}).")],
                          name) from None
    if target.is_dir():
        raise ConfigError([Problem("this is a folder; --reference-docx needs a .docx file.")],
                          name)
    return _reference_base(str(target.resolve()), stat.st_mtime_ns, stat.st_size, name)


@functools.lru_cache(maxsize=8)
def _reference_base(resolved: str, mtime_ns: int, size: int, name: str) -> DocxBase:
    # mtime_ns and size are part of the cache key: an edited letterhead is read again.
    if size > MAX_REFERENCE_BYTES:
        raise ConfigError([Problem(f"the file is {size:,} bytes; a reference .docx may be at most "
                                   f"{MAX_REFERENCE_BYTES:,} bytes. Is this the right file?")],
                          name)
    try:
        data = Path(resolved).read_bytes()
    except OSError as err:
        raise ConfigError([Problem(f"the reference .docx cannot be read ({err.strerror}).")],
                          name) from None
    return adapt_reference(data, name)


def adapt_reference(data: bytes, name: str = "reference .docx") -> DocxBase:
    """Turn the bytes of a reference .docx into a ``DocxBase`` for letters (see module doc)."""
    parts = _read_parts(data, name)
    _check_main_document(parts, name)
    document = parse_part(parts, DOCUMENT, name)
    if document.nsmap.get("w") != W:
        raise _unreadable(name)
    _empty_body(document)
    letterhead = select_parts(parts, document, name)
    styles = _part(letterhead, "styles",
                   lambda: etree.fromstring(default_base().parts["word/styles.xml"], _PARSER))
    numbering = _part(letterhead, "numbering", lambda: etree.fromstring(
        f'<w:numbering xmlns:w="{W}"></w:numbering>'.encode(), _PARSER))
    roles, list_number_abstract = _ensure_styles(styles, numbering)
    try:
        base = prepare_base(_zip(letterhead.package()))
    except ValueError:  # a body swletter cannot find where to put the letter in
        raise _unreadable(name) from None
    return dataclasses.replace(base, styles=roles, list_number_abstract=list_number_abstract)


def _part(letterhead: Letterhead, role: str,
          make: Callable[[], etree._Element]) -> etree._Element:
    """The letterhead's part of ``role``, added (from ``make``) when the reference has none."""
    name = letterhead.part_for(role)
    if name is not None:
        return letterhead.trees[name]
    tree = make()
    letterhead.add_part(role, tree)
    return tree


# --------------------------------------------------------------------------------------------
# Reading and checking


def _unreadable(name: str) -> ConfigError:
    return ConfigError([Problem("this .docx was written by a program swletter cannot read a "
                                "letterhead from. Open it in Word or LibreOffice and save it "
                                "again as a Word document (.docx).")], name)


def _not_docx(name: str, why: str) -> ConfigError:
    return ConfigError([Problem(
        f"this is not a Word document (.docx): {why} Open it in Word or LibreOffice and save it "
        'as "Word Document (.docx)".')], name)


def _read_parts(data: bytes, name: str) -> dict[str, bytes]:
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise _not_docx(name, "it looks like an older Word .doc file.")
    try:
        parts = safe_zip.read_package(data, max_unpacked=MAX_UNPACKED_BYTES)
    except safe_zip.NotZipError:
        raise _not_docx(name, "the file is not a .docx package.") from None
    except safe_zip.EncryptedError:
        raise ConfigError([Problem(
            "this document is protected by a password, so swletter cannot read it. Open it in "
            "Word or LibreOffice, remove the password (File ▸ Info ▸ Protect Document, or "
            'File ▸ Properties ▸ Security) and save it again as "Word Document (.docx)".')],
            name) from None
    except safe_zip.TooLargeError as err:
        raise ConfigError([Problem(
            f"the document unpacks to {err.unpacked:,} bytes; a letterhead may unpack to at most "
            f"{err.limit:,} bytes (one with a logo is usually well under a megabyte). Is this "
            "the right file?")], name) from None
    except safe_zip.TooManyEntriesError as err:
        raise ConfigError([Problem(
            f"the document holds more than {err.limit:,} files inside; a letterhead holds a few "
            "dozen. Is this the right file?")], name) from None
    except safe_zip.PackageError as err:
        where = f" (the part {err.part})" if err.part else ""
        raise ConfigError([Problem(
            f"this Word document is damaged{where}: {err}. Open it in Word or LibreOffice and "
            'save it again as "Word Document (.docx)".')], name) from None
    for needed in (CONTENT_TYPES, DOCUMENT):
        if needed not in parts:
            raise _not_docx(name, f"it has no {needed}.")
    return parts


def _check_main_document(parts: dict[str, bytes], name: str) -> None:
    """Accept a document or a template (.dotx); refuse macro-enabled files."""
    parse_part(parts, CONTENT_TYPES, name)  # a damaged one is named as such
    types = parts[CONTENT_TYPES].decode("utf-8", "replace")
    if "macroEnabled" in types or "word/vbaProject.bin" in parts:
        raise ConfigError([Problem("this document contains macros (.docm or .dotm); swletter "
                                   "does not use those as a letterhead. Save it as "
                                   '"Word Document (.docx)".')], name)
    if _MAIN_DOCUMENT not in types and _MAIN_TEMPLATE not in types:
        raise _not_docx(name, "it has no Word main document.")


# --------------------------------------------------------------------------------------------
# The body


def _empty_body(document: etree._Element) -> None:
    """Drop the reference's own text, keeping its last section (page size, margins, headers)."""
    old = document.find(_w("body"))
    children = list(old) if old is not None else []
    section = children[-1] if children and children[-1].tag == _w("sectPr") else None
    for extra in document.findall(_w("body")):
        document.remove(extra)
    # A new body element, so it is written as the plain <w:body> prepare_base looks for.
    body = etree.SubElement(document, _w("body"))
    if section is None:
        section = etree.fromstring(
            f'<w:sectPr xmlns:w="{W}"><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1418" '
            'w:right="1418" w:bottom="1418" w:left="1418" w:header="709" w:footer="709" '
            'w:gutter="0"/></w:sectPr>', _PARSER)
    body.append(section)


# --------------------------------------------------------------------------------------------
# Styles and numbering


def _ensure_styles(styles: etree._Element,
                   numbering: etree._Element) -> tuple[dict[str, str], str]:
    """Make sure every style our body uses exists; return role → style id and the numbered
    list's abstract numbering id."""
    paragraph_styles = [s for s in styles.findall(_w("style"))
                        if s.get(_w("type")) == "paragraph"]
    by_id = {s.get(_w("styleId")): s for s in paragraph_styles}
    by_name: dict[str, etree._Element] = {}
    for s in paragraph_styles:
        name_el = s.find(_w("name"))
        if name_el is not None:
            by_name.setdefault((name_el.get(_w("val")) or "").lower(), s)
    normal = next((s.get(_w("styleId")) for s in paragraph_styles
                   if s.get(_w("default")) in ("1", "true", "on")), None)
    roles: dict[str, str] = {}
    found: dict[str, etree._Element] = {}
    for role, word_name in ROLES.items():
        style = by_name.get(word_name)
        if style is None and role in by_id:
            style = by_id[role]
        if style is None:
            style_id = role if role not in by_id else f"{role}Letter"
            style = etree.fromstring(_style_xml(role, style_id, normal), _PARSER)
            styles.append(style)
        roles[role] = style.get(_w("styleId")) or role
        found[role] = style
    _ensure_list(found["ListBullet"], numbering, "bullet")
    abstract = _ensure_list(found["ListNumber"], numbering, "decimal")
    return roles, abstract


def _style_xml(role: str, style_id: str, normal: str | None) -> bytes:
    """A style for ``role`` that sets only what it must, so it takes the reference's font."""
    based = (f'<w:basedOn w:val="{normal}"/><w:next w:val="{normal}"/>' if normal else "")
    if role.startswith("Heading"):
        level = int(role[-1])
        size = {1: 28, 2: 24, 3: 22}[level]  # half-points: 14, 12 and 11 pt
        ppr = (f'<w:pPr><w:keepNext/><w:spacing w:before="240" w:after="80"/>'
               f'<w:outlineLvl w:val="{level - 1}"/></w:pPr>')
        rpr = f'<w:rPr><w:b/><w:bCs/><w:sz w:val="{size}"/><w:szCs w:val="{size}"/></w:rPr>'
        extra = f'<w:uiPriority w:val="9"/><w:qFormat/>{ppr}{rpr}'
    elif role == "SignatureSpace":
        extra = '<w:pPr><w:spacing w:before="840"/></w:pPr>'
    else:  # list styles; the numbering is linked in by _ensure_list
        extra = '<w:pPr><w:spacing w:after="80"/><w:contextualSpacing/></w:pPr>'
    return (f'<w:style xmlns:w="{W}" w:type="paragraph" w:customStyle="'
            f'{"1" if role == "SignatureSpace" else "0"}" w:styleId="{style_id}">'
            f'<w:name w:val="{ROLES[role] if role != "SignatureSpace" else "Signature Space"}"/>'
            f"{based}{extra}</w:style>").encode()


def _ensure_list(style: etree._Element, numbering: etree._Element, kind: str) -> str:
    """Link ``style`` to a numbering definition if it has none; return its abstract id."""
    nums = {n.get(_w("numId")): n for n in numbering.findall(_w("num"))}
    abstracts = {a.get(_w("abstractNumId")) for a in numbering.findall(_w("abstractNum"))}
    ppr = style.find(_w("pPr"))
    num_id_el = ppr.find(f"{_w('numPr')}/{_w('numId')}") if ppr is not None else None
    if num_id_el is not None:
        num = nums.get(num_id_el.get(_w("val")))
        link = num.find(_w("abstractNumId")) if num is not None else None
        if link is not None and link.get(_w("val")) in abstracts:
            return str(link.get(_w("val")))
    abstract_id = str(max((int(a) for a in abstracts if a and a.isdigit()), default=0) + 1)
    num_id = str(max((int(n) for n in nums if n and n.isdigit()), default=0) + 1)
    text, fmt = ("•", "bullet") if kind == "bullet" else ("%1.", "decimal")
    abstract = etree.fromstring(
        f'<w:abstractNum xmlns:w="{W}" w:abstractNumId="{abstract_id}">'
        '<w:multiLevelType w:val="singleLevel"/><w:lvl w:ilvl="0"><w:start w:val="1"/>'
        f'<w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
        '<w:pPr><w:ind w:left="720" w:hanging="360"/></w:pPr></w:lvl></w:abstractNum>'.encode(),
        _PARSER)
    num = etree.fromstring(
        f'<w:num xmlns:w="{W}" w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/>'
        "</w:num>".encode(), _PARSER)
    # The schema wants every abstractNum before the first num, and numIdMacAtCleanup last.
    children = list(numbering)
    first_num = next((i for i, c in enumerate(children) if c.tag == _w("num")), None)
    cleanup = next((i for i, c in enumerate(children) if c.tag == _w("numIdMacAtCleanup")), None)
    numbering.insert(first_num if first_num is not None else
                     (cleanup if cleanup is not None else len(children)), abstract)
    if cleanup is not None:
        numbering.insert(cleanup + 1, num)
    else:
        numbering.append(num)
    if ppr is None:
        ppr = etree.SubElement(style, _w("pPr"))
        # pPr belongs after name/basedOn/next/… and before rPr.
        rpr = style.find(_w("rPr"))
        if rpr is not None:
            rpr.addprevious(ppr)
    num_pr = ppr.find(_w("numPr"))
    if num_pr is None:
        num_pr = etree.Element(_w("numPr"))
        ppr.insert(_ppr_index(ppr), num_pr)
    for child in list(num_pr):
        num_pr.remove(child)
    etree.SubElement(num_pr, _w("numId")).set(_w("val"), num_id)
    return abstract_id


def _ppr_index(ppr: etree._Element) -> int:
    """Where numPr goes in a pPr: after pStyle, keepNext, keepLines, pageBreakBefore,
    framePr and widowControl, which come first in the schema."""
    before = {_w(t) for t in ("pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr",
                              "widowControl")}
    index = 0
    for i, child in enumerate(ppr):
        if child.tag in before:
            index = i + 1
    return index


# --------------------------------------------------------------------------------------------
# Packing


def _zip(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(CONTENT_TYPES, parts[CONTENT_TYPES])
        for name, data in parts.items():
            if name != CONTENT_TYPES:
                zf.writestr(name, data)
    return out.getvalue()
