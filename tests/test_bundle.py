"""The evidence bundle: the letter, an index, every enclosure stamped in order; a file that
cannot be included is listed as provided separately, never dropped."""

from __future__ import annotations

import builtins
import io
import os
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from PIL import Image
from pypdf import PdfReader, PdfWriter

from cli import main
from letters import api
from letters.writers import enclosures
from tests.conftest import SHARED_EXAMPLES, TODAY
from tests.readers import pdf_pages, require_poppler


def pdf_with_pages(count: int, *, password: str | None = None, rotate: int = 0) -> bytes:
    writer = PdfWriter()
    for _ in range(count):
        page = writer.add_blank_page(width=595, height=842)
        if rotate:
            page.rotate(rotate)
    if password:
        writer.encrypt(password)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def picture(fmt: str, mode: str = "RGB", size: tuple[int, int] = (400, 300)) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, (200, 30, 30, 128) if mode == "RGBA" else "red").save(out, fmt)
    return out.getvalue()


EML = (b"From: Jane Doe <jane@example.org>\r\nTo: Council <team@example.gov.uk>\r\n"
       b"Subject: Contact on Friday\r\nDate: Fri, 3 Apr 2026 09:00:00 +0100\r\n"
       b"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=XX\r\n\r\n"
       b"--XX\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nPlease confirm the visit.\r\n"
       b"--XX\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; "
       b"filename=plan.pdf\r\n\r\nxx\r\n--XX--\r\n")

#: (id, file name, bytes, pages expected in the bundle or the reason it is left out)
EVIDENCE: list[tuple[str, str | None, bytes, int | str]] = [
    ("E1", "two-pages.pdf", pdf_with_pages(2), 2),
    ("E2", "photo.jpg", picture("JPEG"), 1),
    ("E3", "see-through.png", picture("PNG", "RGBA"), 1),
    ("E4", "note.txt", b"A note about the visit.\n\nIt did not happen.\n", 1),
    ("E5", "email.eml", EML, 1),
    ("E6", "locked.pdf", pdf_with_pages(1, password="secret"), "protected by a password"),
    ("E7", "damaged.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\ntrailer<<>>\n%%EOF",
     "could not read it as a PDF"),
    ("E8", "sheet.xyz", b"data", "cannot put a .xyz file into a PDF"),
    ("E9", None, b"", "names no file for it"),
    ("E10", "sideways.pdf", pdf_with_pages(1, rotate=90), 1),
]


def make_case(folder: Path, evidence: list[tuple[str, str | None, bytes, int | str]]) -> Path:
    data: dict[str, Any] = yaml.safe_load(
        (SHARED_EXAMPLES / "case-minimal.yaml").read_text(encoding="utf-8"))
    data["evidence"] = []
    for ev_id, name, content, _ in evidence:
        entry = {"id": ev_id, "date": "2026-04-03", "type": "other",
                 "description": f"Evidence {ev_id}."}
        if name:
            (folder / name).write_bytes(content)
            entry["file"] = name
        data["evidence"].append(entry)
    first = next(iter(data["grounds"]))
    data["grounds"][first]["evidence"] = [e[0] for e in evidence]
    path = folder / "case.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def test_every_enclosure_is_included_or_listed_with_its_reason(tmp_path: Path) -> None:
    made = api.render_bundle(api.read_case(make_case(tmp_path, EVIDENCE)), today=TODAY)
    parts = {p.number: p for p in made.parts}
    assert sorted(parts) == list(range(1, len(EVIDENCE) + 1))  # nothing dropped
    for number, (_, _, _, expected) in enumerate(EVIDENCE, start=1):
        if isinstance(expected, int):
            assert parts[number].pages == expected and parts[number].first is not None
        else:
            assert parts[number].first is None and expected in parts[number].reason
    included = sum(p.pages for p in made.parts)
    assert made.pages == made.letter_pages + 1 + included == len(PdfReader(
        io.BytesIO(made.pdf)).pages)


def test_pages_are_stamped_and_numbered_through_the_bundle(tmp_path: Path) -> None:
    require_poppler()
    made = api.render_bundle(api.read_case(make_case(tmp_path, EVIDENCE)), today=TODAY)
    path = tmp_path / "bundle.pdf"
    path.write_bytes(made.pdf)
    pages = pdf_pages(path)
    assert len(pages) == made.pages
    for number, text in enumerate(pages, start=1):
        assert f"Bundle page {number} of {made.pages}" in text
    for part in made.parts:
        if part.first is None:
            continue
        for i in range(part.pages):
            assert f"Enclosure {part.number} — page {i + 1} of {part.pages}" in \
                pages[part.first + i - 1]
    # The enclosures follow in the letter's order, the index right after the letter.
    index = " ".join(pages[made.letter_pages].split())
    assert "Enclosures in this bundle" in index
    assert f"The letter pages 1–{made.letter_pages}" in index
    assert "Provided separately: the PDF is protected by a password" in index
    assert "Provided separately: the case file names no file for it" in index
    firsts = [p.first for p in made.parts if p.first is not None]
    assert firsts == sorted(firsts) and firsts[0] == made.letter_pages + 2
    # What each converted file says is there.
    assert "A note about the visit." in pages[made.parts[3].first - 1]  # type: ignore[operator]
    email = pages[made.parts[4].first - 1]  # type: ignore[operator]
    assert "Subject: Contact on Friday" in email and "Please confirm the visit." in email
    assert "Attachments, not included here: plan.pdf" in email


def test_a_file_outside_the_case_folder_is_never_read(tmp_path: Path) -> None:
    folder = tmp_path / "case"
    folder.mkdir()
    secret = tmp_path / "private.txt"
    secret.write_text("NOT FOR THE BUNDLE", encoding="utf-8")
    (folder / "link.txt").symlink_to(secret)
    case = make_case(folder, [("E1", None, b"", "")])
    text = case.read_text(encoding="utf-8")
    case.write_text(text.replace("id: E1", "id: E1\n  file: link.txt"), encoding="utf-8")
    made = api.render_bundle(api.read_case(case), today=TODAY)
    assert made.parts[0].reason == "the file is outside the case file's folder"
    assert b"NOT FOR THE BUNDLE" not in made.pdf


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX-only")
def test_a_named_pipe_is_listed_not_waited_for(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.txt")
    result = enclosures.convert(tmp_path, "pipe.txt", text_to_pdf=lambda t: pytest.fail())
    assert isinstance(result, enclosures.Unavailable)
    assert "not an ordinary file" in result.reason


def test_a_huge_picture_and_a_huge_file_are_refused(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(enclosures, "MAX_PIXELS", 100 * 100)
    (tmp_path / "big.png").write_bytes(picture("PNG", size=(200, 200)))
    result = enclosures.convert(tmp_path, "big.png", text_to_pdf=lambda t: pytest.fail())
    assert result == enclosures.Unavailable("the picture is too large to include")
    monkeypatch.setattr(enclosures, "MAX_FILE_BYTES", 1024 * 1024)
    (tmp_path / "big.pdf").write_bytes(b"%PDF-" + b"0" * (1024 * 1024))
    result = enclosures.convert(tmp_path, "big.pdf", text_to_pdf=lambda t: pytest.fail())
    assert result == enclosures.Unavailable("the file is larger than 1 MB")


def test_heic_photos_are_included(tmp_path: Path) -> None:
    pillow_heif = pytest.importorskip("pillow_heif")  # swletter[heic]; the dev extra has it
    pillow_heif.register_heif_opener()
    out = io.BytesIO()
    Image.new("RGB", (64, 48), "blue").save(out, "HEIF")
    (tmp_path / "photo.heic").write_bytes(out.getvalue())
    included = enclosures.convert(tmp_path, "photo.heic", text_to_pdf=lambda t: pytest.fail())
    assert isinstance(included, enclosures.Converted) and included.pages == 1


def test_without_pillow_heif_a_heic_photo_says_what_to_install(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "photo.heic").write_bytes(b"\x00\x00\x00\x18ftypheic")
    real_import = builtins.__import__

    def no_heif(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "pillow_heif":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_heif)
    left_out = enclosures.convert(tmp_path, "photo.heic", text_to_pdf=lambda t: pytest.fail())
    assert isinstance(left_out, enclosures.Unavailable) and "pillow-heif" in left_out.reason


def test_cli_writes_the_bundle_and_says_what_is_provided_separately(tmp_path: Path) -> None:
    case = make_case(tmp_path, EVIDENCE[:1] + EVIDENCE[5:6])
    runner = CliRunner()
    result = runner.invoke(main, ["bundle", str(case), "-o", str(tmp_path / "b.pdf")])
    assert result.exit_code == 0, result.output
    assert re.search(r"Wrote .*b\.pdf: \d+ pages, 1 enclosure included\.", result.stdout)
    assert "Enclosure 2 is provided separately: the PDF is protected by a password." in \
        result.stderr
    again = runner.invoke(main, ["bundle", str(case), "-o", str(tmp_path / "b.pdf")])
    assert again.exit_code == 1 and "already exists" in again.output
    default = runner.invoke(main, ["bundle", str(case)])
    assert default.exit_code == 0
    assert len(list(tmp_path.glob("bundle-mia-green-*.pdf"))) == 1  # beside the case file
