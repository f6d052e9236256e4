"""Letters on a charity's letterhead: a reference .docx gives the look, swletter gives the words.

Like pandoc's ``--reference-doc``: from a .docx made in Word or LibreOffice the letter takes the
styles (fonts, sizes, colours, spacing), the page setup, and the headers and footers with their
images (a letterhead and logo). The reference's own body text is dropped; the letter's body is
ours. The result is handed to ``prepare_base`` in ``docx.py``, the same seam swletter's own base
document goes through, so the .docx writer does not know where its base came from.

What is adapted, and why:

- the styles our body uses (headings, lists, the signature space) are added where the reference
  lacks them, built on the reference's own normal style so they take its font;
- numbered and bulleted list styles get a numbering definition if they have none, so lists are
  numbered in every letter;
- parts only the dropped body used (images, comments) are removed, and so are settings that
  would get in a family's way: document protection, mail merge and a link to the template file;
- the document properties are swletter's own, so a staff member's name in the reference's
  "Author" does not travel with every letter.

The reference is read once per process (per path and modification time).
"""

from __future__ import annotations

import dataclasses
import functools
import io
import os
import posixpath
import zipfile
from pathlib import Path

from lxml import etree

from ..errors import ConfigError, Problem
from .docx import DOCUMENT, NUMBERING, DocxBase, default_base, prepare_base

#: A letterhead is a few hundred kilobytes; anything far larger is probably the wrong file.
MAX_REFERENCE_BYTES = 20 * 1024 * 1024
#: Unpacked size limit, so a crafted file cannot fill memory ("zip bomb").
MAX_UNPACKED_BYTES = 100 * 1024 * 1024

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
_OFFICE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

STYLES = "word/styles.xml"
SETTINGS = "word/settings.xml"
CONTENT_TYPES = "[Content_Types].xml"
DOCUMENT_RELS = "word/_rels/document.xml.rels"
CORE = "docProps/core.xml"

_MAIN_DOCUMENT = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_MAIN_TEMPLATE = "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
_PART_TYPES = {
    STYLES: ("application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml",
             f"{_OFFICE_REL}/styles", "styles.xml"),
    NUMBERING: ("application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml",
                f"{_OFFICE_REL}/numbering", "numbering.xml"),
}

#: The paragraph styles our body uses: role (the style id swletter writes) → Word's style name.
ROLES = {
    "Heading1": "heading 1",
    "Heading2": "heading 2",
    "Heading3": "heading 3",
    "ListBullet": "list bullet",
    "ListNumber": "list number",
    "SignatureSpace": "signature space",
}

# Relationships only a document body uses; once the body is gone they point at nothing.
_BODY_ONLY_RELS = ("/image", "/hyperlink", "/comments", "/commentsExtended", "/commentsIds",
                   "/commentsExtensible", "/people", "/oleObject", "/package", "/chart",
                   "/diagramData", "/diagramLayout", "/diagramQuickStyle", "/diagramColors",
                   "/diagramDrawing", "/video", "/audio")
# Settings that would stop a family editing the letter, run a mail merge, or name a file on
# the charity's computer.
_UNWANTED_SETTINGS = ("documentProtection", "writeProtection", "mailMerge", "attachedTemplate",
                      "linkStyles")

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
    trees = {part: _parse(parts, part, name)
             for part in (DOCUMENT, STYLES, NUMBERING, DOCUMENT_RELS, SETTINGS, CONTENT_TYPES)
             if part in parts}
    document = trees[DOCUMENT]
    if document.nsmap.get("w") != W:
        raise ConfigError([Problem("this .docx was written by a program swletter cannot read "
                                   "a letterhead from. Open it in Word or LibreOffice and save "
                                   "it again as a Word document (.docx).")], name)
    _empty_body(document)
    styles_root = trees.get(STYLES)
    if styles_root is None:
        styles_root = etree.fromstring(default_base().parts[STYLES], _PARSER)
        _ensure_part(parts, trees, STYLES)
    numbering = trees.get(NUMBERING)
    if numbering is None:
        numbering = etree.fromstring(
            f'<w:numbering xmlns:w="{W}"></w:numbering>'.encode(), _PARSER)
        _ensure_part(parts, trees, NUMBERING)
    roles, list_number_abstract = _ensure_styles(styles_root, numbering)
    if SETTINGS in trees:
        _remove_unwanted_settings(trees[SETTINGS])
    _drop_unused_relationships(parts, trees)
    if CORE in default_base().parts:
        # swletter's own properties: no staff name or file history from the reference.
        parts[CORE] = default_base().parts[CORE]
    trees[STYLES] = styles_root
    trees[NUMBERING] = numbering
    for part, root in trees.items():
        parts[part] = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                     standalone=True)
    base = prepare_base(_zip(parts))
    return dataclasses.replace(base, styles=roles, list_number_abstract=list_number_abstract)


# --------------------------------------------------------------------------------------------
# Reading and checking


def _not_docx(name: str, why: str) -> ConfigError:
    return ConfigError([Problem(
        f"this is not a Word document (.docx): {why} Open it in Word or LibreOffice and save it "
        'as "Word Document (.docx)".')], name)


def _read_parts(data: bytes, name: str) -> dict[str, bytes]:
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise _not_docx(name, "it looks like an older Word .doc file.")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
            if sum(i.file_size for i in infos) > MAX_UNPACKED_BYTES:
                raise ConfigError([Problem("the document unpacks to more than "
                                           f"{MAX_UNPACKED_BYTES:,} bytes; a letterhead is far "
                                           "smaller. Is this the right file?")], name)
            parts = {i.filename: zf.read(i) for i in infos if not i.is_dir()}
    except zipfile.BadZipFile:
        raise _not_docx(name, "the file is not a .docx package.") from None
    except (zipfile.LargeZipFile, NotImplementedError, RuntimeError, EOFError, ValueError):
        # Encrypted (password-protected) or damaged archives.
        raise _not_docx(name, "the file is damaged or password-protected.") from None
    for needed in (CONTENT_TYPES, DOCUMENT):
        if needed not in parts:
            raise _not_docx(name, f"it has no {needed}.")
    return parts


def _parse(parts: dict[str, bytes], part: str, name: str) -> etree._Element:
    try:
        return etree.fromstring(parts[part], _PARSER)
    except etree.XMLSyntaxError:
        raise _not_docx(name, f"its {part} is damaged.") from None


def _check_main_document(parts: dict[str, bytes], name: str) -> None:
    """Accept a document or a template (.dotx); refuse macro-enabled files."""
    types = parts[CONTENT_TYPES].decode("utf-8", "replace")
    if "macroEnabled" in types or "word/vbaProject.bin" in parts:
        raise ConfigError([Problem("this document contains macros (.docm or .dotm); swletter "
                                   "does not use those as a letterhead. Save it as "
                                   '"Word Document (.docx)".')], name)
    if _MAIN_TEMPLATE in types:
        parts[CONTENT_TYPES] = types.replace(_MAIN_TEMPLATE, _MAIN_DOCUMENT).encode("utf-8")
    elif _MAIN_DOCUMENT not in types:
        raise _not_docx(name, "it has no Word main document.")


# --------------------------------------------------------------------------------------------
# The body


def _empty_body(document: etree._Element) -> None:
    """Drop the reference's own text, keeping its last section (page size, margins, headers)."""
    body = document.find(_w("body"))
    if body is None:
        body = etree.SubElement(document, _w("body"))
    children = list(body)
    section = children[-1] if children and children[-1].tag == _w("sectPr") else None
    for child in children:
        body.remove(child)
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
# Parts, relationships and settings


def _ensure_part(parts: dict[str, bytes], trees: dict[str, etree._Element], part: str) -> None:
    """Register a part we add in the content types and the document's relationships."""
    content_type, rel_type, target = _PART_TYPES[part]
    types = trees[CONTENT_TYPES]
    if not any(o.get("PartName") == f"/{part}" for o in types.findall(f"{{{CT}}}Override")):
        override = etree.SubElement(types, f"{{{CT}}}Override")
        override.set("PartName", f"/{part}")
        override.set("ContentType", content_type)
    rels = trees.get(DOCUMENT_RELS)
    if rels is None:
        rels = etree.fromstring(f'<Relationships xmlns="{REL}"></Relationships>'.encode(),
                                _PARSER)
        trees[DOCUMENT_RELS] = rels
    if not any(r.get("Type") == rel_type for r in rels):
        ids = {r.get("Id") for r in rels}
        number = 1
        while f"rIdLetter{number}" in ids:
            number += 1
        rel = etree.SubElement(rels, f"{{{REL}}}Relationship")
        rel.set("Id", f"rIdLetter{number}")
        rel.set("Type", rel_type)
        rel.set("Target", target)
    parts.setdefault(part, b"")


def _remove_unwanted_settings(settings: etree._Element) -> None:
    for tag in _UNWANTED_SETTINGS:
        for el in settings.findall(_w(tag)):
            settings.remove(el)


def _rels_name(part: str) -> str:
    folder, base = posixpath.split(part)
    return posixpath.join(folder, "_rels", f"{base}.rels")


def _targets(rels_part: str, rels: etree._Element) -> set[str]:
    """The part names a relationships part points at (internal targets only)."""
    source_dir = posixpath.dirname(posixpath.dirname(rels_part))
    out = set()
    for rel in rels:
        if rel.get("TargetMode") == "External":
            continue
        target = rel.get("Target") or ""
        out.add(target.lstrip("/") if target.startswith("/")
                else posixpath.normpath(posixpath.join(source_dir, target)))
    return out


def _drop_unused_relationships(parts: dict[str, bytes],
                               trees: dict[str, etree._Element]) -> None:
    """Remove what only the dropped body (or dropped settings) referred to."""
    document_xml = etree.tostring(trees[DOCUMENT]).decode("utf-8")
    settings_xml = etree.tostring(trees[SETTINGS]).decode("utf-8") if SETTINGS in trees else ""
    checks = [(DOCUMENT_RELS, document_xml, True), (_rels_name(SETTINGS), settings_xml, False)]
    for rels_part, owner_xml, body_only in checks:
        rels = trees.get(rels_part)
        if rels is None and rels_part in parts:
            rels = _parse(parts, rels_part, rels_part)
            trees[rels_part] = rels
        if rels is None:
            continue
        for rel in list(rels):
            used = f'"{rel.get("Id")}"' in owner_xml
            droppable = not body_only or (rel.get("Type") or "").endswith(_BODY_ONLY_RELS)
            if not used and droppable:
                rels.remove(rel)
    referenced: set[str] = set()
    for part in list(parts):
        if part.endswith(".rels"):
            tree = trees.get(part)
            if tree is None:
                tree = _parse(parts, part, part)
            referenced |= _targets(part, tree)
    orphan_prefixes = ("word/media/", "word/embeddings/", "word/charts/", "word/diagrams/",
                       "word/comments", "word/people.xml")
    types = trees[CONTENT_TYPES]
    for part in list(parts):
        if part.startswith(orphan_prefixes) and part not in referenced:
            del parts[part]
            trees.pop(part, None)
            rels_part = _rels_name(part)
            parts.pop(rels_part, None)
            trees.pop(rels_part, None)
            for override in types.findall(f"{{{CT}}}Override"):
                if override.get("PartName") == f"/{part}":
                    types.remove(override)


def _zip(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(CONTENT_TYPES, parts[CONTENT_TYPES])
        for name, data in parts.items():
            if name != CONTENT_TYPES:
                zf.writestr(name, data)
    return out.getvalue()
