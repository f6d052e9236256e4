"""`swletter bulk --combined all.pdf`: one file to print, each letter starting on a new page with
the same page header and footer as the letter on its own (issue 17, item 12)."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner
from pypdf import PdfReader

from cli import main

from .conftest import MINIMAL, SHARED_EXAMPLES, write_case
from .readers import pdf_pages, require_poppler, require_programs
from .test_reference_docx import make_reference


def _cases(folder: Path) -> Path:
    """Three short letters and the full example (three pages on its own)."""
    folder.mkdir()
    for name in ("Ava", "Ben", "Cal"):
        write_case(folder, MINIMAL.replace("Mia Green", f"{name} Green"), f"{name.lower()}.yaml")
    shutil.copy(SHARED_EXAMPLES / "case-full.yaml", folder / "full.yaml")
    shutil.copytree(SHARED_EXAMPLES / "evidence", folder / "evidence")
    return folder


def test_a_combined_pdf_is_the_single_letters_page_for_page(runner: CliRunner,
                                                            tmp_path: Path) -> None:
    require_poppler()
    cases = _cases(tmp_path / "cases")
    out, combined = tmp_path / "out", tmp_path / "all.pdf"
    result = runner.invoke(main, ["bulk", str(cases), "--out", str(out), "--format", "pdf",
                                  "--combined", str(combined)])
    assert result.exit_code == 0, result.output
    assert f"Combined 4 letters into {combined}." in result.stdout

    pages = pdf_pages(combined)
    singles = [pdf_pages(out / f"letter-{name}.pdf") for name in ("ava", "ben", "cal", "full")]
    assert [len(s) for s in singles] == [1, 1, 1, 3]
    # Every page of the combined file is a single letter's page: each letter starts on a page
    # of its own, with its own header and footer, and counts its own pages.
    assert pages == [page for single in singles for page in single]
    footers = [" ".join(page.split()[-4:]) for page in pages]
    assert footers == ["Page 1 of 1"] * 3 + ["Page 1 of 3", "Page 2 of 3", "Page 3 of 3"]
    assert all("Private and confidential" in page for page in pages)
    reader = PdfReader(combined)
    assert reader.metadata is not None
    assert reader.metadata.title == "Requests for a change of social worker"
    assert reader.metadata.author is None  # the letters may be from different senders
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"


def test_a_combined_pdf_on_a_letterhead_has_its_header_on_every_page(
        runner: CliRunner, tmp_path: Path) -> None:
    require_programs()
    cases = _cases(tmp_path / "cases")
    letterhead = make_reference(tmp_path / "letterhead.docx")
    combined = tmp_path / "all.pdf"
    result = runner.invoke(main, ["bulk", str(cases), "--out", str(tmp_path / "out"),
                                  "--combined", str(combined), "--reference-docx",
                                  str(letterhead)])
    assert result.exit_code == 0, result.output
    pages = pdf_pages(combined)
    assert len(pages) >= 4
    assert all("Hillside Family Support" in page and "Registered charity 1234567" in page
               for page in pages)
    # Each letter starts on a page of its own.
    starts = [n for n, page in enumerate(pages) if "Dear " in page]
    assert len(starts) == 4
    assert all("Request for a change of social worker" in pages[n] for n in starts)
