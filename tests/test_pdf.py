"""`--format pdf` on a charity's letterhead: LibreOffice makes the PDF from the .docx on the
reference .docx; without it, a clear message. (swletter's own PDFs need no LibreOffice:
tests/test_typst_pdf.py.)

The tests with the real LibreOffice fail in CI when it is missing and are skipped elsewhere
(see tests/readers.py). The failure paths use a stand-in ``soffice`` script instead.
"""

from __future__ import annotations

import io
import stat
import sys
import tempfile
import time
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from docx.shared import Mm

from cli import main
from letters.errors import PdfError
from letters.writers.pdf import SOFFICE_ENV, docx_to_pdf

from .conftest import MINIMAL, TODAY, write_case
from .readers import is_a4, pdf_info, pdf_text, require_programs
from .test_reference_docx import HEADER_TEXT, make_reference


def _fake_soffice(folder: Path, body: str) -> Path:
    script = folder / "soffice"
    script.write_text("#!/bin/sh\n" + body + "\n", encoding="utf-8")
    script.chmod(stat.S_IRWXU)
    return script


def _letterhead(tmp_path: Path) -> list[str]:
    """``--reference-docx`` and a charity's letterhead, in a folder of its own."""
    folder = tmp_path / "letterhead"
    folder.mkdir(exist_ok=True)
    path = make_reference(folder / "letterhead.docx")
    letterhead = docx.Document(str(path))  # python-docx's default page is US Letter: a UK
    section = letterhead.sections[0]       # charity's letterhead is A4
    section.page_width, section.page_height = Mm(210), Mm(297)
    letterhead.save(str(path))
    return ["--reference-docx", str(path)]


def _running(pid: int) -> bool:
    """True while ``pid`` is alive (a killed process not yet reaped is a zombie, "Z")."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "\nState:\tZ" not in status


def test_render_pdf_is_an_a4_letter_readable_by_pdftotext(runner: CliRunner, tmp_path: Path,
                                                          full_case: Path) -> None:
    require_programs()
    letterhead = _letterhead(tmp_path)
    out = tmp_path / "out" / "letter.pdf"
    out.parent.mkdir()
    result = runner.invoke(main, ["render", str(full_case), "-o", str(out), *letterhead])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"Wrote {out} (reply by ")
    assert out.read_bytes().startswith(b"%PDF-")
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    text = pdf_text(out)
    for fact in ("Dear Ms Patel", "Sam Doe", "Lily Doe", "Mr John Smith", "Yours sincerely",
                 "Jane Doe", "7 December 2026", HEADER_TEXT):
        assert fact in text
    info = pdf_info(out)
    assert is_a4(info)
    assert 2 <= int(info["Pages"]) <= 4
    # Nothing but the letter is left beside it (LibreOffice worked in a private folder).
    assert sorted(p.name for p in out.parent.iterdir()) == ["letter.pdf"]


def test_a_pdf_on_a_letterhead_is_tagged_for_screen_readers(tmp_path: Path,
                                                           full_case: Path) -> None:
    # Issue 16: a screen reader got no headings or reading order from LibreOffice's PDF.
    require_programs()
    from pypdf import PdfReader

    from letters import api

    reference = _letterhead(tmp_path)[1]
    rendered = api.render_request(api.read_case(full_case), today=TODAY)
    data = rendered.to_bytes("pdf", reference_docx=reference)
    root = PdfReader(io.BytesIO(data)).trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "en-GB"


def test_pdf_without_libreoffice_says_how_to_install_it(runner: CliRunner, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    case = write_case(tmp_path, MINIMAL)
    letterhead = _letterhead(tmp_path)
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.delenv(SOFFICE_ENV, raising=False)
    result = runner.invoke(main, ["render", str(case), "--format", "pdf", *letterhead])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0] == ("Error: PDF output needs LibreOffice, which is not installed (or not on "
                        "PATH). Install it, then run the command again:")
    assert "  Debian/Ubuntu: sudo apt-get install libreoffice-writer-nogui" in lines
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bin", "case.yaml", "letterhead"]


def test_pdf_is_not_written_to_the_screen(runner: CliRunner, tmp_path: Path) -> None:
    case = write_case(tmp_path, MINIMAL)
    result = runner.invoke(main, ["render", str(case), "--format", "pdf", "-o", "-"])
    assert result.exit_code == 2
    assert "a .pdf cannot be written to the screen" in result.output


def test_existing_pdf_is_refused_before_libreoffice_starts(runner: CliRunner, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    case = write_case(tmp_path, MINIMAL)
    called = tmp_path / "called"
    monkeypatch.setenv(SOFFICE_ENV, str(_fake_soffice(tmp_path, f"touch {called}")))
    out = tmp_path / "letter.pdf"
    out.write_bytes(b"the family's own copy")
    result = runner.invoke(main, ["render", str(case), "-o", str(out), *_letterhead(tmp_path)])
    assert result.exit_code == 1
    assert result.output == (f"Error: {out} already exists. Use --force to replace it, or "
                             "choose another name with -o.\n")
    assert out.read_bytes() == b"the family's own copy"
    assert not called.exists()


def test_a_hung_libreoffice_is_stopped_and_leaves_nothing(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    pid_file = tmp_path / "pid"
    # The stand-in starts a child that would outlive it, as soffice.bin outlives soffice.
    script = _fake_soffice(tmp_path, f"sleep 60 & echo $! > {pid_file}; wait")
    monkeypatch.setenv(SOFFICE_ENV, str(script))
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    with pytest.raises(PdfError, match=r"took longer than 3 seconds .* and was stopped"):
        docx_to_pdf(b"PK not really a docx", timeout=3)
    child = int(pid_file.read_text())
    # SIGKILL is delivered asynchronously: give the child a moment to die.
    for _ in range(100):
        if not _running(child):
            break
        time.sleep(0.05)
    assert not _running(child)
    assert list(scratch.iterdir()) == []  # the private folder with the letter is gone


def test_a_conversion_that_makes_no_pdf_is_an_error(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(SOFFICE_ENV, str(_fake_soffice(tmp_path, "exit 0")))
    with pytest.raises(PdfError, match="LibreOffice could not turn the letter into a PDF"):
        docx_to_pdf(b"PK")


def _two_cases_and_a_broken_one(folder: Path) -> Path:
    cases = folder / "cases"
    cases.mkdir()
    write_case(cases, MINIMAL, name="green.yaml")
    write_case(cases, MINIMAL.replace("Mia Green", "Noah Green"), name="noah.yaml")
    write_case(cases, "sender: [\n", name="broken.yaml")
    return cases


def test_bulk_pdf_writes_a_pdf_per_good_case(runner: CliRunner, tmp_path: Path) -> None:
    require_programs()
    cases = _two_cases_and_a_broken_one(tmp_path)
    letterhead = _letterhead(tmp_path)
    out = tmp_path / "out"
    result = runner.invoke(main, ["bulk", str(cases), "--out", str(out), "--format", "pdf",
                                  *letterhead])
    assert result.exit_code == 1, result.output  # one case failed; the others are written
    pdfs = sorted(out.glob("*.pdf"))
    assert [p.name for p in pdfs] == ["letter-green.pdf", "letter-noah.pdf"]
    assert "Mia Green" in pdf_text(pdfs[0])
    assert "Noah Green" in pdf_text(pdfs[1])
    assert HEADER_TEXT in pdf_text(pdfs[1])
    for pdf in pdfs:
        assert stat.S_IMODE(pdf.stat().st_mode) == 0o600
        assert is_a4(pdf_info(pdf))
    again = runner.invoke(main, ["bulk", str(cases), "--out", str(out), "--format", "pdf",
                                 *letterhead])
    assert "0 written, 2 already done, 1 failed" in again.output


def test_bulk_pdf_without_libreoffice_stops_before_any_work(
        runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cases = _two_cases_and_a_broken_one(tmp_path)
    letterhead = _letterhead(tmp_path)
    monkeypatch.setenv("PATH", str(tmp_path / "no-programs-here"))
    monkeypatch.delenv(SOFFICE_ENV, raising=False)
    out = tmp_path / "out"
    result = runner.invoke(main, ["bulk", str(cases), "--out", str(out), "--format", "pdf",
                                  *letterhead])
    assert result.exit_code == 1
    assert result.output.startswith("Error: PDF output needs LibreOffice")
    assert result.output.count("PDF output needs LibreOffice") == 1
    assert not out.exists()


_COUNTING_SOFFICE = """\
import sys, zipfile
from pathlib import Path

# A stand-in for LibreOffice: logs how many letters each start was given, and makes a "PDF"
# for each, except for a letter that mentions Unconvertible.
args = sys.argv[1:]
out = Path(args[args.index("--outdir") + 1])
out.mkdir(parents=True, exist_ok=True)
inputs = [a for a in args if a.endswith(".docx")]
with open(sys.argv[0] + ".log", "a") as log:
    log.write(f"{len(inputs)}\\n")
for name in inputs:
    text = zipfile.ZipFile(name).read("word/document.xml").decode()
    if "Unconvertible" not in text:
        pdf = b"%PDF-1.4\\n" + text.encode() + b"\\n%%EOF\\n"
        (out / (Path(name).stem + ".pdf")).write_bytes(pdf)
"""


def _counting_soffice(folder: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    script = folder / "soffice.py"
    script.write_text(f"#!{sys.executable}\n" + _COUNTING_SOFFICE, encoding="utf-8")
    script.chmod(stat.S_IRWXU)
    monkeypatch.setenv(SOFFICE_ENV, str(script))
    return Path(str(script) + ".log")


def _children(folder: Path, names: list[str], summary: str = "") -> Path:
    folder.mkdir()
    for name in names:
        text = MINIMAL.replace("Mia Green", f"{name} Green")
        if summary and name == names[1]:
            text = text.replace("We have not been able to agree how to keep in touch.", summary)
        write_case(folder, text, name=f"{name.lower()}.yaml")
    return folder


def test_bulk_pdf_starts_libreoffice_once_for_many_letters(
        runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    log = _counting_soffice(tmp_path, monkeypatch)
    cases = _children(tmp_path / "cases", ["Ava", "Ben", "Cal", "Dan", "Eve"])
    result = runner.invoke(main, ["bulk", str(cases), "--out", str(tmp_path / "out"),
                                  "--format", "pdf", *_letterhead(tmp_path)])
    assert result.exit_code == 0, result.output
    assert log.read_text().split() == ["5"]  # one start of LibreOffice, five letters
    pdfs = sorted((tmp_path / "out").glob("*.pdf"))
    assert [p.name for p in pdfs] == [f"letter-{n}.pdf" for n in ("ava", "ben", "cal", "dan",
                                                                   "eve")]
    for pdf, name in zip(pdfs, ("Ava", "Ben", "Cal", "Dan", "Eve"), strict=True):
        assert f"{name} Green".encode() in pdf.read_bytes()  # each file holds its own letter


def test_bulk_pdf_a_letter_libreoffice_cannot_convert_fails_alone(
        runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    log = _counting_soffice(tmp_path, monkeypatch)
    cases = _children(tmp_path / "cases", ["Ava", "Ben", "Cal"],
                      summary="Unconvertible so far, we cannot agree how to keep in touch.")
    out = tmp_path / "out"
    result = runner.invoke(main, ["bulk", str(cases), "--out", str(out), "--format", "pdf",
                                  "--report", str(tmp_path / "report.csv"),
                                  *_letterhead(tmp_path)])
    assert result.exit_code == 1, result.output
    assert "2 written, 0 already done, 1 failed" in result.output
    # The three together failed, so each was tried on its own.
    assert log.read_text().split() == ["3", "1", "1", "1"]
    assert sorted(p.name for p in out.glob("*.pdf")) == ["letter-ava.pdf", "letter-cal.pdf"]
    report = (tmp_path / "report.csv").read_text(encoding="utf-8-sig")
    assert "ben.yaml,,failed,,,LibreOffice could not turn the letter into a PDF" in report


def test_statement_pdf(runner: CliRunner, tmp_path: Path, full_case: Path) -> None:
    require_programs()
    out = tmp_path / "statement.pdf"
    result = runner.invoke(main, ["statement", str(full_case), "-o", str(out),
                                  *_letterhead(tmp_path)])
    assert result.exit_code == 0, result.output
    text = pdf_text(out)
    assert HEADER_TEXT in text
    assert "Priya Shah" in text
    assert "Sam Doe" in text
    assert is_a4(pdf_info(out))


@pytest.mark.parametrize(("ci", "outcome"), [("true", pytest.fail.Exception),
                                             ("", pytest.skip.Exception)], ids=["ci", "local"])
def test_missing_readers_fail_in_ci_and_skip_elsewhere(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch,
                                                       ci: str, outcome: type) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv(SOFFICE_ENV, raising=False)
    monkeypatch.setenv("CI", ci)
    with pytest.raises(outcome, match="libreoffice-writer-nogui"):
        require_programs()
