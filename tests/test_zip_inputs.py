"""Letterheads (.docx) and workbooks (.xlsx) are zip files anyone may have made.

A zip can lie about how large its parts are and hold any number of them; it can be damaged or
protected by a password, and the XML inside can be broken. Whatever it is, swletter answers in
its own words, naming the file (and the part or sheet where it knows it), within a small amount
of memory, and writes nothing. The bombs are built by tests/zip_bombs.py without ever making
their gigabytes; the runs that would unpack them go in a child process whose memory is capped,
so that a regression fails the test instead of filling the machine.
"""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main
from letters import safe_zip
from letters.bulk.plan import plan_bulk
from letters.safe_zip import MAX_ENTRIES

from .conftest import ROOT
from .test_reference_docx import make_reference
from .test_sheets import ROW, workbook
from .zip_bombs import (
    MIB,
    Entry,
    build_zip,
    honest_entries,
    lying_entry,
    zeros_stream,
)

#: Address space for the child process: far above what swletter needs (about 40 MiB resident),
#: far below the 2 GiB a bomb would take.
CHILD_MEMORY = 1024 * MIB
#: The most a refused bomb may cost, resident.
PEAK_MIB = 200

_CHILD = """
import atexit, resource, sys
limit = int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
report = sys.argv[2]

def peak():
    # VmHWM is this process's own peak; ru_maxrss can carry the parent's over the exec.
    try:
        with open("/proc/self/status") as status:
            kib = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    except OSError:
        kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with open(report, "w") as fh:
        fh.write(str(kib))

atexit.register(peak)
sys.argv = ["swletter", *sys.argv[3:]]
from cli import main
main()
"""


def run_capped(tmp_path: Path, *args: str) -> tuple[int, str, int]:
    """``swletter ARGS`` in a child with capped memory: exit code, output, peak MiB resident."""
    report = tmp_path / "peak.txt"
    done = subprocess.run([sys.executable, "-c", _CHILD, str(CHILD_MEMORY), str(report), *args],
                          capture_output=True, text=True, timeout=120, cwd=ROOT)
    peak_kib = int(report.read_text()) if report.exists() else 0
    return done.returncode, done.stdout + done.stderr, peak_kib // 1024


def letterhead_bytes(tmp_path: Path) -> bytes:
    return make_reference(tmp_path / "plain.docx").read_bytes()


def workbook_bytes(tmp_path: Path) -> bytes:
    return workbook(tmp_path / "plain.xlsx", [ROW]).read_bytes()


def replaced(package: bytes, part: str, entry: Entry) -> bytes:
    """``package`` rebuilt with ``part`` replaced by ``entry``."""
    return build_zip(entry if e.name == part else e for e in honest_entries(package))


def test_a_letterhead_that_lies_about_a_parts_size_is_refused_in_little_memory(
        tmp_path: Path, full_case: Path) -> None:
    # 2 MB on disk; the logo says 1,000 bytes and inflates to 2 GiB.
    bomb = tmp_path / "letterhead.docx"
    bomb.write_bytes(replaced(letterhead_bytes(tmp_path), "word/media/image1.png",
                              lying_entry("word/media/image1.png", 2048)))
    assert bomb.stat().st_size < 3 * MIB
    out = tmp_path / "letter.docx"
    code, output, peak = run_capped(tmp_path, "render", str(full_case), "-o", str(out),
                                    "--reference-docx", str(bomb))
    assert code == 1, output
    assert output == (
        f"Error: {bomb}: this Word document is damaged (the part word/media/image1.png): a file "
        "inside it unpacks to more than the package says it holds: it is damaged, or made to "
        'fill the computer\'s memory. Open it in Word or LibreOffice and save it again as "Word '
        'Document (.docx)".\n')
    assert 0 < peak < PEAK_MIB
    assert not out.exists()


def test_a_workbook_that_lies_about_a_parts_size_is_refused_in_little_memory(
        tmp_path: Path) -> None:
    # openpyxl reads xl/styles.xml whole: unchecked, it would inflate all 2 GiB first.
    book = tmp_path / "cases.xlsx"
    book.write_bytes(replaced(workbook_bytes(tmp_path), "xl/styles.xml",
                              lying_entry("xl/styles.xml", 2048)))
    code, output, peak = run_capped(tmp_path, "bulk", str(book), "--out", str(tmp_path / "out"),
                                    "--jobs", "1")
    assert code == 1, output
    assert (f"{book}: this workbook is damaged (the part xl/styles.xml): a file inside it "
            "unpacks to more than the package says it holds: it is damaged, or made to fill the "
            "computer's memory. Open it in your spreadsheet program and save it again as Excel "
            "Workbook (.xlsx).") in output
    assert "Traceback" not in output and "unexpected" not in output
    assert 0 < peak < PEAK_MIB
    assert list((tmp_path / "out").glob("*.docx")) == []


def test_a_letterhead_with_too_many_parts_is_refused(runner: CliRunner, full_case: Path,
                                                     tmp_path: Path) -> None:
    crowded = tmp_path / "letterhead.docx"
    crowded.write_bytes(build_zip([*honest_entries(letterhead_bytes(tmp_path)),
                                   *(Entry(f"word/x/{i}.xml", b"\x03\x00", 0, 0)
                                     for i in range(MAX_ENTRIES))]))
    result = runner.invoke(main, ["render", str(full_case), "-o", str(tmp_path / "l.docx"),
                                  "--reference-docx", str(crowded)])
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {crowded}: the document holds more than {MAX_ENTRIES:,} files inside; a "
        "letterhead holds a few dozen. Is this the right file?\n")


def test_a_workbook_with_too_many_parts_is_refused(tmp_path: Path) -> None:
    crowded = tmp_path / "cases.xlsx"
    crowded.write_bytes(build_zip([*honest_entries(workbook_bytes(tmp_path)),
                                   *(Entry(f"xl/x/{i}.xml", b"\x03\x00", 0, 0)
                                     for i in range(MAX_ENTRIES))]))
    plan = plan_bulk([str(crowded)])
    assert plan.jobs == []
    assert [p.message for p in plan.problems] == [
        f"{crowded}: this workbook holds more than {MAX_ENTRIES:,} files inside; a workbook of "
        "cases holds a few dozen. Is this the right file? If it is, open it in your spreadsheet "
        "program and save it again as Excel Workbook (.xlsx)."]


# --------------------------------------------------------------------------------------------
# safe_zip itself: limits no header can talk round


def test_an_entry_count_that_lies_does_not_get_past_the_limit() -> None:
    many = [Entry(f"x/{i}", b"\x03\x00", 0, 0) for i in range(MAX_ENTRIES + 1)]
    with pytest.raises(safe_zip.TooManyEntriesError):
        safe_zip.check_package(build_zip(many, declared_count=5), max_unpacked=MIB)
    # 150,000 entries are refused from the end record alone, before the directory is parsed.
    with pytest.raises(safe_zip.TooManyEntriesError):
        safe_zip.check_package(build_zip(Entry(f"{i}", b"\x03\x00", 0, 0)
                                         for i in range(150_000)), max_unpacked=MIB)


def test_declared_sizes_over_the_limit_are_refused_before_unpacking() -> None:
    with pytest.raises(safe_zip.TooLargeError) as caught:
        safe_zip.check_package(build_zip([lying_entry("a.xml", 1, declared_size=3 * MIB)]),
                               max_unpacked=2 * MIB)
    assert (caught.value.unpacked, caught.value.limit) == (3 * MIB, 2 * MIB)


def test_an_honest_package_reads_back_exactly() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", "<w:document/>" * 1000)
        archive.writestr("word/media/logo.png", b"\x89PNG" + bytes(range(256)) * 40,
                         compress_type=zipfile.ZIP_STORED)
        archive.writestr("word/empty/", b"")
    parts = safe_zip.read_package(out.getvalue(), max_unpacked=MIB)
    assert parts == {"word/document.xml": b"<w:document/>" * 1000,
                     "word/media/logo.png": b"\x89PNG" + bytes(range(256)) * 40}
    # A whole mebibyte of zeros, in one entry, exactly at the limit, is fine.
    exact = build_zip([Entry("zeros", zeros_stream(1), zlib.crc32(bytes(MIB)), MIB)])
    assert safe_zip.read_package(exact, max_unpacked=MIB) == {"zeros": bytes(MIB)}


@pytest.mark.parametrize(("entry", "error"), [
    (Entry("a.xml", b"\x00garbage", 0, 10), safe_zip.DamagedError),
    (Entry("a.xml", zeros_stream(1)[:100], zlib.crc32(bytes(MIB)), MIB), safe_zip.DamagedError),
    (Entry("a.xml", zeros_stream(1), 12345, MIB), safe_zip.DamagedError),
    (Entry("a.xml", b"BZh9", 0, 10, method=zipfile.ZIP_BZIP2), safe_zip.DamagedError),
    (Entry("a.xml", b"\x03\x00", 0, 0, flags=1), safe_zip.EncryptedError),
], ids=["bad-deflate", "cut-short", "bad-checksum", "bzip2", "encrypted"])
def test_damaged_and_encrypted_entries_are_named(entry: Entry,
                                                 error: type[safe_zip.PackageError]) -> None:
    with pytest.raises(error):
        safe_zip.check_package(build_zip([entry]), max_unpacked=2 * MIB)


# --------------------------------------------------------------------------------------------
# A damaged letterhead: swletter's words, the file and the part


def _letterhead_with(tmp_path: Path, part: str, entry: Entry) -> Path:
    path = tmp_path / "letterhead.docx"
    path.write_bytes(replaced(letterhead_bytes(tmp_path), part, entry))
    return path


def _plain(name: str, data: bytes) -> Entry:
    squeeze = zlib.compressobj(6, zlib.DEFLATED, -15)
    return Entry(name, squeeze.compress(data) + squeeze.flush(), zlib.crc32(data), len(data))


def _render_error(runner: CliRunner, case: Path, tmp_path: Path, reference: Path) -> str:
    out = tmp_path / "letter.docx"
    result = runner.invoke(main, ["render", str(case), "-o", str(out), "--reference-docx",
                                  str(reference)])
    assert result.exit_code == 1
    assert not out.exists()
    return result.output


SAVE_DOCX = 'Open it in Word or LibreOffice and save it again as "Word Document (.docx)".'


@pytest.mark.parametrize("part", ["word/header1.xml", "word/_rels/header1.xml.rels",
                                  "word/styles.xml", "[Content_Types].xml"])
def test_broken_xml_in_a_letterhead_names_the_file_and_part(runner: CliRunner, full_case: Path,
                                                            tmp_path: Path, part: str) -> None:
    reference = _letterhead_with(tmp_path, part, _plain(part, b"<w:hdr><w:p>not closed"))
    assert _render_error(runner, full_case, tmp_path, reference) == (
        f"Error: {reference}: this Word document is damaged: its part {part} cannot be read. "
        f"{SAVE_DOCX}\n")


def test_a_letterhead_with_a_damaged_part_names_it(runner: CliRunner, full_case: Path,
                                                   tmp_path: Path) -> None:
    reference = _letterhead_with(tmp_path, "word/footer1.xml",
                                 Entry("word/footer1.xml", b"\x00garbage", 0, 100))
    assert _render_error(runner, full_case, tmp_path, reference) == (
        f"Error: {reference}: this Word document is damaged (the part word/footer1.xml): a "
        f"file inside it is damaged. {SAVE_DOCX}\n")


def test_a_password_protected_letterhead_says_how_to_remove_the_password(
        runner: CliRunner, full_case: Path, tmp_path: Path) -> None:
    entries = honest_entries(letterhead_bytes(tmp_path))
    reference = tmp_path / "letterhead.docx"
    reference.write_bytes(build_zip(Entry(e.name, e.data, e.crc, e.declared_size, flags=1)
                                    for e in entries))
    assert _render_error(runner, full_case, tmp_path, reference) == (
        f"Error: {reference}: this document is protected by a password, so swletter cannot "
        "read it. Open it in Word or LibreOffice, remove the password (File ▸ Info ▸ Protect "
        "Document, or File ▸ Properties ▸ Security) and save it again as \"Word Document "
        '(.docx)".\n')


# --------------------------------------------------------------------------------------------
# A damaged workbook: swletter's words, the file and the sheet

SAVE_XLSX = "Open it in your spreadsheet program and save it again as Excel Workbook (.xlsx)."


def _failure(path: Path) -> str:
    plan = plan_bulk([str(path)])
    assert plan.jobs == [] and len(plan.problems) == 1
    return plan.problems[0].message


def _workbook_with(tmp_path: Path, part: str, data: bytes) -> Path:
    path = tmp_path / "cases.xlsx"
    path.write_bytes(replaced(workbook_bytes(tmp_path), part, _plain(part, data)))
    return path


def test_a_file_that_is_not_a_zip_is_not_a_workbook(tmp_path: Path) -> None:
    fake = tmp_path / "cases.xlsx"
    fake.write_text("case_id,sender_name\nC1,Tom Green\n", encoding="utf-8")
    assert _failure(fake) == (
        f"{fake}: this is not a readable .xlsx workbook: it is not a workbook file at all, or "
        f"its table of contents is damaged. {SAVE_XLSX}")


def test_an_old_xls_or_password_protected_workbook_gets_its_own_hint(tmp_path: Path) -> None:
    old = tmp_path / "cases.xlsx"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1024))
    assert _failure(old) == (
        f"{old}: this is not a readable .xlsx workbook: it is an older Excel .xls file, or "
        "protected by a password. Open it in your spreadsheet program and save it as Excel "
        "Workbook (.xlsx) without a password.")


@pytest.mark.parametrize(("part", "data"), [
    ("xl/workbook.xml", b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
                        b'main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
                        b'relationships"><sheets><sheet name="cases" sheetId="one" '
                        b'r:id="rId1"/></sheets></workbook>'),
    ("xl/_rels/workbook.xml.rels", b"<Relationships><not closed"),
    ("xl/styles.xml", b"<styleSheet"),
    ("[Content_Types].xml", b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                            b'content-types"/>'),
], ids=["wrong-value", "broken-xml", "cut-short", "no-workbook-part"])
def test_a_damaged_workbook_is_reported_in_swletters_words(tmp_path: Path, part: str,
                                                           data: bytes) -> None:
    book = _workbook_with(tmp_path, part, data)
    assert _failure(book) == (
        f"{book}: this is not a readable .xlsx workbook: it is damaged, or was not saved by a "
        f"spreadsheet program. {SAVE_XLSX}")


def test_a_damaged_sheet_is_named(tmp_path: Path) -> None:
    good = workbook_bytes(tmp_path)
    with zipfile.ZipFile(io.BytesIO(good)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml")
    book = _workbook_with(tmp_path, "xl/worksheets/sheet1.xml", sheet[: len(sheet) // 2])
    assert _failure(book) == (
        f'{book}: the sheet "cases" is damaged and cannot be read. {SAVE_XLSX}')


def test_a_workbook_with_an_encrypted_part_asks_for_it_without_a_password(
        tmp_path: Path) -> None:
    entries = [Entry(e.name, e.data, e.crc, e.declared_size, flags=int(e.name.endswith(
        "sheet1.xml"))) for e in honest_entries(workbook_bytes(tmp_path))]
    book = tmp_path / "cases.xlsx"
    book.write_bytes(build_zip(entries))
    assert _failure(book) == (
        f"{book}: this workbook is protected by a password, so swletter cannot read it. Save it "
        "again as Excel Workbook (.xlsx) without a password.")


@pytest.mark.filterwarnings("always")
def test_openpyxl_warnings_do_not_reach_the_user(runner: CliRunner, tmp_path: Path,
                                                 recwarn: pytest.WarningsRecorder) -> None:
    # Excel saves a drop-down list as an extension openpyxl warns it "will remove".
    good = workbook_bytes(tmp_path)
    with zipfile.ZipFile(io.BytesIO(good)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml")
    path = _workbook_with(tmp_path, "xl/worksheets/sheet1.xml", sheet.replace(
        b"</worksheet>", b'<extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}" '
        b'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">'
        b'<x14:dataValidations count="0"/></ext></extLst></worksheet>'))
    result = runner.invoke(main, ["bulk", str(path), "--out", str(tmp_path / "out"), "--jobs",
                                  "1"])
    assert result.exit_code == 0, result.output
    assert [str(w.message) for w in recwarn] == []


def test_the_memory_cap_in_these_tests_is_real(tmp_path: Path) -> None:
    """The child's cap does stop an allocation the size of an unchecked bomb."""
    code = ("import resource, sys\n"
            f"resource.setrlimit(resource.RLIMIT_AS, ({CHILD_MEMORY}, {CHILD_MEMORY}))\n"
            "try:\n    bytes(2 * 1024 ** 3)\nexcept MemoryError:\n    sys.exit(3)\n")
    assert subprocess.run([sys.executable, "-c", code], timeout=60).returncode == 3
