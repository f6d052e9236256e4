"""What a letter may take from a letterhead .docx: an allow-list of parts and links.

A .docx is a zip of parts joined by relationships, and a letterhead can come from anyone. Some
parts make Word or LibreOffice act when the letter is opened or converted: fetch an image,
frame or template from a web address (telling whoever runs it who opened the letter, and when),
pull in another document, run macros or ActiveX controls, start an embedded program. So a letter
is built only from what a letterhead is:

- the main document's last section (page size, margins, which header and footer);
- styles, numbering, the font table (names; embedded font files stay behind), the theme, and
  settings without attached templates, mail merge, document variables or protection;
- headers and footers (and footnote separators) with their text, page-number fields and
  embedded images (PNG, JPEG, GIF, BMP, TIFF, EMF or WMF, checked by their bytes);
- web and email links (``http``, ``https``, ``mailto``), which open only when clicked.

Everything else stays behind: every part that no allowed relationship reaches (macros, ActiveX,
embedded objects, custom XML, comments, the reference's own document properties …), every
relationship that leaves the file other than such a link, every element that embeds or pulls
in content (sub-documents, ``altChunk``, OLE objects, controls, video), and fields other than
page numbers, dates, symbols and links (``INCLUDEPICTURE``, ``INCLUDETEXT``, ``LINK``, ``DDE``
keep the text they last showed, and do nothing). A picture whose only image was outside the
file is left out.
"""

from __future__ import annotations

import posixpath
import urllib.parse
from dataclasses import dataclass, field

from lxml import etree

from letters.errors import ConfigError, Problem
from letters.writers.letterhead_fields import neutralise_fields, safe_address

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
V = "urn:schemas-microsoft-com:vml"
O = "urn:schemas-microsoft-com:office:office"  # noqa: E741 - the namespace's usual prefix

CONTENT_TYPES = "[Content_Types].xml"
DOCUMENT = "word/document.xml"
CORE = "docProps/core.xml"
APP = "docProps/app.xml"

_WML = "application/vnd.openxmlformats-officedocument.wordprocessingml."
_PACKAGE_REL = "http://schemas.openxmlformats.org/package/2006/relationships"


@dataclass(frozen=True)
class _Role:
    """A kind of part: its content type, root element, and the links it may have."""

    content_type: str
    root: str
    links: frozenset[str] = frozenset()
    #: Parts found by their relationship's type, not by an id in the XML.
    implicit: frozenset[str] = frozenset()
    #: Where swletter's writer expects the part ("" to keep the reference's own name).
    canonical: str = ""


_XML_ROLES = {
    "document": _Role(_WML + "document.main+xml", f"{{{W}}}document",
                      frozenset({"styles", "numbering", "fontTable", "settings", "theme",
                                 "header", "footer", "footnotes", "endnotes", "image"}),
                      frozenset({"styles", "numbering", "fontTable", "settings", "theme",
                                 "footnotes", "endnotes"})),
    "styles": _Role(_WML + "styles+xml", f"{{{W}}}styles", canonical="word/styles.xml"),
    "numbering": _Role(_WML + "numbering+xml", f"{{{W}}}numbering", frozenset({"image"}),
                       canonical="word/numbering.xml"),
    "settings": _Role(_WML + "settings+xml", f"{{{W}}}settings"),
    "fontTable": _Role(_WML + "fontTable+xml", f"{{{W}}}fonts"),
    "theme": _Role("application/vnd.openxmlformats-officedocument.theme+xml",
                   f"{{{A}}}theme", frozenset({"image"})),
    "header": _Role(_WML + "header+xml", f"{{{W}}}hdr", frozenset({"image", "hyperlink"})),
    "footer": _Role(_WML + "footer+xml", f"{{{W}}}ftr", frozenset({"image", "hyperlink"})),
    "footnotes": _Role(_WML + "footnotes+xml", f"{{{W}}}footnotes",
                       frozenset({"image", "hyperlink"})),
    "endnotes": _Role(_WML + "endnotes+xml", f"{{{W}}}endnotes",
                      frozenset({"image", "hyperlink"})),
}

# Elements that embed or pull in content, run code, or hold data for something that does.
_REMOVE = {f"{{{W}}}{t}" for t in ("subDoc", "altChunk", "object", "control", "dataBinding",
                                    "fldData", "movie", "attachedTemplate")} | {
    f"{{{A}}}{t}" for t in ("videoFile", "audioFile", "quickTimeFile", "wavAudioFile", "snd")} | {
    f"{{{O}}}OLEObject", "{http://schemas.microsoft.com/office/word/2012/wordml}webVideoPr"}
# Elements whose link is their whole purpose: without it they go.
_UNLINKED_GO = {f"{{{W}}}{t}" for t in ("headerReference", "footerReference", "printerSettings",
                                         "embedRegular", "embedBold", "embedItalic",
                                         "embedBoldItalic")}
# An image reference; without one left, its picture goes.
_IMAGE_REFERENCES = {f"{{{A}}}blip", f"{{{V}}}imagedata"}
_PICTURES = (f"{{{W}}}drawing", f"{{{W}}}pict")
_LINK_ATTRIBUTES = {f"{{{O}}}relid"}
# Web addresses VML can carry outside any relationship.
_ADDRESS_ATTRIBUTES = ("href", "althref", "src")
_SETTINGS_REMOVED = {f"{{{W}}}{t}" for t in (
    "documentProtection", "writeProtection", "mailMerge", "attachedTemplate", "linkStyles",
    "docVars", "attachedSchema", "saveThroughXslt", "useXSLTWhenSaving", "saveXmlDataOnly",
    "alwaysMergeEmptyNamespace", "doNotValidateAgainstSchema", "showXMLTags")} | {
    # Where to find XML schemas: addresses Word may look up.
    "{http://schemas.openxmlformats.org/schemaLibrary/2006/main}schemaLibrary"}
_NOTE_KINDS = ("separator", "continuationSeparator", "continuationNotice")

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


@dataclass
class Rel:
    """One relationship kept: its id, type (the last part of its URI) and target."""

    id: str
    type: str
    target: str  # a part name, or an address for an external link
    external: bool = False


@dataclass
class Letterhead:
    """The parts of a reference .docx a letter may carry: XML trees and checked binaries."""

    trees: dict[str, etree._Element] = field(default_factory=dict)
    binaries: dict[str, bytes] = field(default_factory=dict)
    content_types: dict[str, str] = field(default_factory=dict)
    rels: dict[str, list[Rel]] = field(default_factory=dict)

    def part_for(self, role: str) -> str | None:
        """The name of the kept part of ``role`` (``"styles"``), if there is one."""
        wanted = _XML_ROLES[role].content_type
        return next((p for p, t in self.content_types.items() if t == wanted), None)

    def add_part(self, role: str, tree: etree._Element) -> None:
        """Add a part of ``role`` that the reference lacks, linked from the main document."""
        spec = _XML_ROLES[role]
        name = spec.canonical or f"word/{role}.xml"
        self.trees[name] = tree
        self.content_types[name] = spec.content_type
        rels = self.rels.setdefault(DOCUMENT, [])
        ids = {r.id for r in rels}
        number = 1
        while f"rIdLetter{number}" in ids:
            number += 1
        rels.append(Rel(f"rIdLetter{number}", role, name))

    def package(self) -> dict[str, bytes]:
        """Every zip entry's bytes: the kept parts, their relationships, content types, and
        the package's own links to the document and to swletter's document properties."""
        out: dict[str, bytes] = {CONTENT_TYPES: b""}
        for name, tree in self.trees.items():
            out[name] = _xml_bytes(tree)
        out.update(self.binaries)
        for source, rels in self.rels.items():
            if rels:
                out[_rels_name(source)] = _rels_bytes(source, rels)
        out["_rels/.rels"] = _rels_bytes("", [
            Rel("rId1", f"{R}/officeDocument", DOCUMENT),
            Rel("rId2", f"{_PACKAGE_REL}/metadata/core-properties", CORE),
            Rel("rId3", f"{R}/extended-properties", APP)])
        types = dict(self.content_types)
        types[CORE] = "application/vnd.openxmlformats-package.core-properties+xml"
        types[APP] = "application/vnd.openxmlformats-officedocument.extended-properties+xml"
        out[CONTENT_TYPES] = _content_types_bytes(types)
        return out


def parse_part(parts: dict[str, bytes], part: str, name: str) -> etree._Element:
    """``part`` of the reference as XML; a ``ConfigError`` naming the file and part if damaged."""
    try:
        return etree.fromstring(parts[part], _PARSER)
    except etree.XMLSyntaxError:
        raise ConfigError([Problem(
            f"this Word document is damaged: its part {part} cannot be read. Open it in Word or "
            'LibreOffice and save it again as "Word Document (.docx)".')], name) from None


def select_parts(parts: dict[str, bytes], document: etree._Element, name: str) -> Letterhead:
    """The allowed parts reached from ``document`` (the main document, its body already
    emptied), each cleaned of what it may not carry (see the module's docstring)."""
    declared = _declared_types(parts, name)
    lookup = {p.lower(): p for p in parts}
    kept = Letterhead()
    kept.trees[DOCUMENT] = document
    kept.content_types[DOCUMENT] = _XML_ROLES["document"].content_type
    # (the part's name in the reference, its name in the letter, its role, its XML)
    queue = [(DOCUMENT, DOCUMENT, "document", document)]
    taken: dict[tuple[str, str], str] = {}  # (part in the reference, role) → name kept
    while queue:
        original, source, role, tree = queue.pop(0)
        spec = _XML_ROLES[role]
        links = [rel for rel in _links(parts, original, name, spec, lookup)
                 if rel.external or (rel.target, rel.type) in taken
                 or _acceptable(parts[rel.target], rel.type, declared.get(rel.target))]
        if role == "settings":
            _clean_settings(tree)
        if role in ("footnotes", "endnotes"):
            _keep_separators_only(tree)
        _clean_xml(tree, {rel.id for rel in links})
        used = _used_ids(tree)
        kept_rels: list[Rel] = []
        for rel in links:
            implicit = rel.type in spec.implicit
            if rel.id not in used and not implicit:
                continue
            if implicit and any(k.type == rel.type for k in kept_rels):
                continue  # a second styles part, say: Word reads only one
            if rel.external:
                kept_rels.append(rel)
                continue
            target = taken.get((rel.target, rel.type))
            if target is None:
                target = _keep(parts, rel, kept, name)
                if target is None:
                    continue
                taken[(rel.target, rel.type)] = target
                if rel.type in _XML_ROLES:
                    queue.append((rel.target, target, rel.type, kept.trees[target]))
            kept_rels.append(Rel(rel.id, rel.type, target))
        kept.rels[source] = kept_rels
    return kept


def _acceptable(data: bytes, role: str, declared: str | None) -> bool:
    """Whether a part is what a relationship of type ``role`` says it is."""
    if role == "image":
        return image_type(data) is not None
    return declared == _XML_ROLES[role].content_type


def _keep(parts: dict[str, bytes], rel: Rel, kept: Letterhead, name: str) -> str | None:
    """Add the part ``rel`` points at to ``kept``; its name there, or None if it cannot be."""
    data = parts[rel.target]
    if rel.type == "image":
        kept.binaries[rel.target] = data
        kept.content_types[rel.target] = image_type(data) or ""
        return rel.target
    spec = _XML_ROLES[rel.type]
    target = spec.canonical or rel.target
    if target in kept.trees or target in kept.binaries:
        return None  # already kept in another role
    tree = parse_part(parts, rel.target, name)
    if tree.tag != spec.root:
        raise ConfigError([Problem(
            f"this Word document is damaged: its part {rel.target} is not what the document "
            'says it is. Open it in Word or LibreOffice and save it again as "Word Document '
            '(.docx)".')], name)
    kept.trees[target] = tree
    kept.content_types[target] = spec.content_type
    return target


def _links(parts: dict[str, bytes], source: str, name: str, spec: _Role,
           lookup: dict[str, str]) -> list[Rel]:
    """The relationships of ``source`` that its role allows, to parts that exist."""
    rels_part = _rels_name(source)
    if rels_part not in parts:
        return []
    root = parse_part(parts, rels_part, name)
    out = []
    for element in root.iter(f"{{{REL}}}Relationship"):
        rel_type = element.get("Type") or ""
        short = rel_type.rsplit("/", 1)[-1]
        if not rel_type.startswith(f"{R}/") or short not in spec.links | {"hyperlink"}:
            continue
        target = element.get("Target") or ""
        rel_id = element.get("Id") or ""
        if element.get("TargetMode") == "External":
            if short == "hyperlink" and safe_address(target):
                out.append(Rel(rel_id, short, target, external=True))
            continue
        if short == "hyperlink":
            continue  # a hyperlink to a part inside the package is no link a letter needs
        part = _resolve(source, target, lookup)
        if part is not None:
            out.append(Rel(rel_id, short, part))
    return out


def _resolve(source: str, target: str, lookup: dict[str, str]) -> str | None:
    """The part a relationship's target names, if it exists in the package."""
    target = urllib.parse.unquote(target.split("#", 1)[0])
    if not target:
        return None
    path = target.lstrip("/") if target.startswith("/") else posixpath.join(
        posixpath.dirname(source), target)
    path = posixpath.normpath(path)
    if path.startswith("..") or path.startswith("/") or path == ".":
        return None
    return lookup.get(path.lower())


# --------------------------------------------------------------------------------------------
# Cleaning a part's XML


def _clean_xml(root: etree._Element, kept_ids: set[str]) -> None:
    """Remove what embeds, pulls in or runs content; cut links to relationships not kept."""
    removed: list[etree._Element] = []
    for element in root.iter(etree.Element):
        if element.tag in _REMOVE:
            removed.append(element)
            continue
        bad = [a for a in element.attrib if _is_link(a) and element.get(a) not in kept_ids]
        if element.tag.startswith((f"{{{V}}}", f"{{{O}}}")):
            bad += [a for a in element.attrib
                    if etree.QName(a).localname in _ADDRESS_ATTRIBUTES]
        if not bad:
            continue
        if element.tag in _UNLINKED_GO:
            removed.append(element)
            continue
        if etree.QName(element).localname == "svgBlip":
            parent = element.getparent()  # an a:ext; the PNG beside it stays
            removed.append(parent if parent is not None else element)
            continue
        for attribute in bad:
            del element.attrib[attribute]
        if element.tag in _IMAGE_REFERENCES and not any(_is_link(a) for a in element.attrib):
            picture = next((p for p in element.iterancestors(*_PICTURES)), None)
            removed.append(picture if picture is not None else element)
    for element in removed:
        parent = element.getparent()
        if parent is not None:
            parent.remove(element)
    neutralise_fields(root)


def _is_link(attribute: str) -> bool:
    return attribute.startswith(f"{{{R}}}") or attribute in _LINK_ATTRIBUTES


def _used_ids(root: etree._Element) -> set[str]:
    return {value for element in root.iter(etree.Element)
            for attribute, value in element.attrib.items() if _is_link(attribute)}


def _clean_settings(settings: etree._Element) -> None:
    for element in list(settings):
        if element.tag in _SETTINGS_REMOVED:
            settings.remove(element)


def _keep_separators_only(notes: etree._Element) -> None:
    """Footnotes and endnotes: only the separator lines Word needs; the notes were the body's."""
    for note in list(notes):
        if note.get(f"{{{W}}}type") not in _NOTE_KINDS:
            notes.remove(note)


# --------------------------------------------------------------------------------------------
# Images, content types and relationships


def image_type(data: bytes) -> str | None:
    """The content type of an image a letterhead may carry, judged by its bytes; else None."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if data.startswith(b"BM"):
        return "image/bmp"
    if data.startswith((b"II*\x00", b"MM\x00*")):
        return "image/tiff"
    if data.startswith(b"\x01\x00\x00\x00") and data[40:44] == b" EMF":
        return "image/x-emf"
    if data.startswith((b"\xd7\xcd\xc6\x9a", b"\x01\x00\x09\x00", b"\x02\x00\x09\x00")):
        return "image/x-wmf"
    return None


def _declared_types(parts: dict[str, bytes], name: str) -> dict[str, str]:
    """Each part's content type as the reference's [Content_Types].xml gives it."""
    root = parse_part(parts, CONTENT_TYPES, name)
    defaults = {(d.get("Extension") or "").lower(): d.get("ContentType") or ""
                for d in root.iter(f"{{{CT}}}Default")}
    overrides = {(o.get("PartName") or "").lstrip("/").lower(): o.get("ContentType") or ""
                 for o in root.iter(f"{{{CT}}}Override")}
    out = {}
    for part in parts:
        extension = part.rsplit(".", 1)[-1].lower() if "." in part else ""
        found = overrides.get(part.lower(), defaults.get(extension))
        if found:
            out[part] = found
    return out


def _rels_name(part: str) -> str:
    folder, base = posixpath.split(part)
    return posixpath.join(folder, "_rels", f"{base}.rels")


def _rels_bytes(source: str, rels: list[Rel]) -> bytes:
    root = etree.Element(f"{{{REL}}}Relationships", nsmap={None: REL})
    folder = posixpath.dirname(source)
    for rel in rels:
        element = etree.SubElement(root, f"{{{REL}}}Relationship")
        element.set("Id", rel.id)
        element.set("Type", rel.type if "/" in rel.type else f"{R}/{rel.type}")
        if rel.external:
            element.set("Target", rel.target)
            element.set("TargetMode", "External")
        else:
            element.set("Target", posixpath.relpath(rel.target, folder or "."))
    return _xml_bytes(root)


def _content_types_bytes(types: dict[str, str]) -> bytes:
    root = etree.Element(f"{{{CT}}}Types", nsmap={None: CT})
    for extension, content_type in (
            ("rels", "application/vnd.openxmlformats-package.relationships+xml"),
            ("xml", "application/xml")):
        default = etree.SubElement(root, f"{{{CT}}}Default")
        default.set("Extension", extension)
        default.set("ContentType", content_type)
    for part, content_type in sorted(types.items()):
        override = etree.SubElement(root, f"{{{CT}}}Override")
        override.set("PartName", f"/{part}")
        override.set("ContentType", content_type)
    return _xml_bytes(root)


def _xml_bytes(root: etree._Element) -> bytes:
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))

