"""swletter's own PDFs: typeset in the process (no LibreOffice), tagged and accessible, A4 like the
.docx, and every word of the letter printed as typed.

The PDFs are read back with poppler's pdftotext (as a person's PDF reader would extract them)
and with pypdf for their structure: the tags a screen reader follows, the language, the title.
"""

from __future__ import annotations

import io
import os
import re
import signal
import stat
import subprocess
import sys
import textwrap
import threading
import unicodedata
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import pypdf
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from markdown_it import MarkdownIt

import letters.writers.blocks as blocks
from cli import main
from letters.case.model import clean_text
from letters.case.validate import case_from_data, load_case
from letters.compose.request import make_letter
from letters.writers import letter_bytes
from letters.writers.blocks import letter_blocks
from letters.writers.pdf import SOFFICE_ENV
from letters.writers.typst_pdf import markdown_to_pdf

from .conftest import GOLDEN, MINIMAL, ROOT, SHARED_EXAMPLES, TODAY, write_case
from .readers import is_a4, pdf_info, pdf_pages, require_poppler
from .test_hostile import HOSTILE, hostile_case
from .test_privacy import no_network  # noqa: F401  (a fixture)
from .test_property import well_typed_cases

# --------------------------------------------------------------------------------------------
# Reading a PDF back


def squeeze(text: str) -> str:
    """``text`` without white space or invisible format characters (direction marks, joiners).

    Lines wrap differently in a PDF than in the Markdown (pdftotext also puts a space where a
    line broke after "www."), and a PDF's text need not carry characters that draw nothing.
    """
    return "".join(c for c in text if not c.isspace() and unicodedata.category(c) != "Cf")


def body_pages(path: Path) -> list[str]:
    """Each page's text without its header and footer, after checking they are the .docx's."""
    pages = pdf_pages(path)
    bodies = []
    for number, page in enumerate(pages, start=1):
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        assert lines[0] == "Private and confidential", f"page {number} has no header"
        assert lines[-1] == f"Page {number} of {len(pages)}", f"page {number}'s footer"
        bodies.append("\n".join(lines[1:-1]))
    return bodies


def markdown_blocks(markdown: str) -> list[str]:
    """The text of each paragraph, heading and list item of the letter, in order."""
    blocks = []
    for token in MarkdownIt("commonmark").parse(markdown):
        if token.type == "inline":
            blocks.append("".join(" " if child.type.endswith("break") else child.content
                                  for child in token.children or []))
    return blocks


def assert_in_order(blocks: list[str], text: str) -> None:
    """Every block appears in ``text``, each after the one before."""
    flat = squeeze(text)
    at = 0
    for block in blocks:
        found = flat.find(squeeze(block), at)
        assert found >= 0, f"missing or out of order: {block!r}"
        at = found + len(squeeze(block))


def structure(path: Path) -> tuple[pypdf.PdfReader, list[tuple[str, str]]]:
    """The PDF and its tags, in reading order: (role, title) for each structure element."""
    reader = pypdf.PdfReader(path)
    tags: list[tuple[str, str]] = []

    def walk(node: Any) -> None:
        node = node.get_object()
        if isinstance(node, pypdf.generic.ArrayObject):
            for child in node:
                walk(child)
        elif isinstance(node, pypdf.generic.DictionaryObject):
            if "/S" in node:
                tags.append((str(node["/S"]), str(node.get("/T", ""))))
            if "/K" in node:
                walk(node["/K"])

    root = reader.trailer["/Root"]
    if "/StructTreeRoot" in root:
        walk(root["/StructTreeRoot"])
    return reader, tags


def declares_pdf_ua(reader: pypdf.PdfReader) -> bool:
    """Whether the PDF says it meets PDF/UA-1 (in its XMP metadata)."""
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode("utf-8")
    return re.search(r"<pdfuaid:part>1</pdfuaid:part>|pdfuaid:part=\"1\"", xmp) is not None


@pytest.fixture
def no_libreoffice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No LibreOffice to be found (swletter looks only where this points): swletter's own PDFs
    must not need it."""
    monkeypatch.setenv(SOFFICE_ENV, str(tmp_path / "no-libreoffice-here" / "soffice"))


# --------------------------------------------------------------------------------------------
# The full example


def test_the_full_example_prints_every_paragraph_in_order(runner: CliRunner, tmp_path: Path,
                                                          full_case: Path,
                                                          no_libreoffice: None) -> None:
    require_poppler()
    out = tmp_path / "letter.pdf"
    result = runner.invoke(main, ["render", str(full_case), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"Wrote {out} (reply by ")
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    markdown = (GOLDEN / "case-full.md").read_text(encoding="utf-8")
    pages = body_pages(out)
    assert_in_order(markdown_blocks(markdown), "\n".join(pages))
    info = pdf_info(out)
    assert is_a4(info)
    assert 2 <= int(info["Pages"]) <= 4
    # Nothing but the letter is left beside it.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["letter.pdf"]


def test_the_pdf_is_tagged_in_british_english_with_the_letters_title(full_case: Path,
                                                                      tmp_path: Path) -> None:
    rendered = make_letter(load_case(full_case), today=TODAY)
    out = tmp_path / "letter.pdf"
    out.write_bytes(rendered.to_bytes("pdf"))
    reader, tags = structure(out)
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en-GB"
    assert root["/MarkInfo"]["/Marked"].value is True
    assert "/StructTreeRoot" in root
    assert declares_pdf_ua(reader)
    assert root["/ViewerPreferences"]["/DisplayDocTitle"].value is True  # shown, not file name
    assert reader.metadata is not None
    assert reader.metadata.title == rendered.title
    assert "(case reference CP-2026-0413)" in rendered.title
    assert reader.metadata.author == "Jane Doe"  # the sender, as the .docx says
    # The headings are real headings, in the letter's order, at the top of the outline.
    headings = [line[3:] for line in rendered.markdown.splitlines() if line.startswith("## ")]
    assert [title for role, title in tags if role.startswith("/H")] == headings
    assert {role for role, _ in tags if role.startswith("/H")} == {"/H1"}
    # The events and the enclosures are lists: one list item per event or enclosure.
    assert [role for role, _ in tags].count("/L") == 2
    assert [role for role, _ in tags].count("/LI") == 2 + 8
    for page in reader.pages:
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == \
            (595, 842)


def test_the_supporting_statements_headings_nest(runner: CliRunner, tmp_path: Path,
                                                full_case: Path, no_libreoffice: None) -> None:
    require_poppler()
    out = tmp_path / "statement.pdf"
    result = runner.invoke(main, ["statement", str(full_case), "-o", str(out)])
    assert result.exit_code == 0, result.output
    reader, tags = structure(out)
    roles = [role for role, _ in tags if role.startswith("/H")]
    assert roles[0] == "/H1"  # "Supporting statement"
    assert set(roles[1:]) == {"/H2"}
    assert declares_pdf_ua(reader)
    text = "\n".join(body_pages(out))
    assert "Priya Shah" in text
    assert "Sam Doe" in text


# --------------------------------------------------------------------------------------------
# User text is data

#: Typst's own markup and code, which must print as typed and never run.
TYPST_HOSTILE = ('#eval("1+1") #panic("x") #set page(width: 1cm) *b* _i_ $x^2$ <label> @ref '
                 '] [ \\ // not a comment /* nor this */ `raw` = Heading #{ "code" } ~ -- ...')

#: Emoji need an emoji font, which a computer may not have; see the test below.
PRINTABLE_HOSTILE = [text for text in HOSTILE if not text.startswith("emoji")]


@pytest.mark.parametrize("text", [TYPST_HOSTILE, *PRINTABLE_HOSTILE])
def test_hostile_text_in_every_field_prints_literally(text: str, tmp_path: Path) -> None:
    require_poppler()
    data, typed = hostile_case(text)
    case = case_from_data(data, source="case.yaml", base_dir=str(SHARED_EXAMPLES))
    out = tmp_path / "letter.pdf"
    out.write_bytes(make_letter(case, today=TODAY).to_bytes("pdf"))
    seen = squeeze("".join(body_pages(out)))
    for path, value in typed.items():
        assert squeeze(clean_text(value)) in seen, f"the PDF lost {'.'.join(map(str, path))}"
    assert is_a4(pdf_info(out))


def test_characters_no_font_can_draw_still_give_a_tagged_pdf(tmp_path: Path) -> None:
    # A character from a private-use plane: no font has it, so PDF/UA-1 (every character
    # drawable) cannot be met. The letter is still written, tagged, and says no more than that.
    out = tmp_path / "letter.pdf"
    out.write_bytes(markdown_to_pdf("Dear Ms Patel\n\nA mark \U0010fffd here.\n",
                                    title="A letter"))
    reader, tags = structure(out)
    assert not declares_pdf_ua(reader)
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"
    assert ("/P", "") in tags
    require_poppler()
    assert "Dear Ms Patel" in "".join(body_pages(out))


# --------------------------------------------------------------------------------------------
# Layout: what must stay together

FULL_MARKDOWN = (GOLDEN / "case-full.md").read_text(encoding="utf-8")


def _page_of(pages: list[str], text: str) -> int:
    return next(i for i, page in enumerate(pages) if text in page)


def _layouts(tmp_path: Path) -> Iterator[list[str]]:
    """The pages of the letter's end (the sign-off, the enclosures) as more and more paragraphs
    come before it, a line at a time, until it has moved down over a page break and more."""
    require_poppler()
    end = FULL_MARKDOWN[FULL_MARKDOWN.index("Yours sincerely"):]
    out = tmp_path / "letter.pdf"
    for fillers in range(8, 40):
        markdown = "Dear Ms Patel\n\n" + "Another paragraph.\n\n" * fillers + end
        out.write_bytes(markdown_to_pdf(markdown, title="A letter"))
        yield body_pages(out)


def test_yours_sincerely_stays_with_the_name_under_it(tmp_path: Path) -> None:
    moved = set()
    for pages in _layouts(tmp_path):
        close = _page_of(pages, "Yours sincerely")
        assert "Jane Doe" in pages[close].split("Yours sincerely")[1]
        moved.add(close)
    assert len(moved) == 2  # the close did reach the next page on the way


def test_the_enclosures_stay_together_with_their_heading(tmp_path: Path) -> None:
    moved = set()
    for pages in _layouts(tmp_path):
        heading = _page_of(pages, "Enclosures\n")
        after = squeeze(pages[heading].split("Enclosures\n", 1)[1])
        assert "1.3April2026" in after
        assert "8.15November2026" in after
        moved.add(heading)
    assert len(moved) == 2


def test_a_list_too_long_for_a_page_runs_on_rather_than_being_cut(tmp_path: Path) -> None:
    require_poppler()
    items = "".join(f"{n}. 3 April 2026 — email: message number {n} about contact, with no "
                    "reply, described at enough length to fill two lines of the page.\n"
                    for n in range(1, 61))
    markdown = FULL_MARKDOWN.split("## Enclosures")[0] + "## Enclosures\n\n" + items
    out = tmp_path / "letter.pdf"
    out.write_bytes(markdown_to_pdf(markdown, title="A letter"))
    text = squeeze("".join(body_pages(out)))
    for n in range(1, 61):
        assert squeeze(f"message number {n} about contact") in text


# --------------------------------------------------------------------------------------------
# Running it


def test_bulk_pdfs_need_no_libreoffice(runner: CliRunner, tmp_path: Path,
                                       no_libreoffice: None) -> None:
    require_poppler()
    cases = tmp_path / "cases"
    cases.mkdir()
    write_case(cases, MINIMAL, name="mia.yaml")
    write_case(cases, MINIMAL.replace("Mia Green", "Noah Green"), name="noah.yaml")
    out = tmp_path / "out"
    result = runner.invoke(main, ["bulk", str(cases), "--out", str(out), "--format", "pdf",
                                  "--jobs", "2"])
    assert result.exit_code == 0, result.output
    pdfs = sorted(out.glob("*.pdf"))
    assert [p.name for p in pdfs] == ["letter-mia.pdf", "letter-noah.pdf"]
    for pdf, child in zip(pdfs, ("Mia Green", "Noah Green"), strict=True):
        assert child in "".join(body_pages(pdf))
        assert stat.S_IMODE(pdf.stat().st_mode) == 0o600
    again = runner.invoke(main, ["bulk", str(cases), "--out", str(out), "--format", "pdf"])
    assert "0 written, 2 already done, 0 failed" in again.output


def test_bulk_workers_start_in_a_process_that_has_typeset_a_pdf(tmp_path: Path) -> None:
    # Typst keeps threads once it has run; worker processes forked from such a process (a
    # charity's script, a web server) waited for them forever. Run in a process of its own,
    # so a hang is stopped, with its workers, and reported.
    cases = tmp_path / "cases"
    cases.mkdir()
    write_case(cases, MINIMAL, name="mia.yaml")
    write_case(cases, MINIMAL.replace("Mia Green", "Noah Green"), name="noah.yaml")
    out = tmp_path / "out"
    script = textwrap.dedent(f"""
        from letters.bulk.folder import ensure_out_dir
        from letters.bulk.letter import BulkOptions, Task
        from letters.bulk.plan import plan_bulk
        from letters.bulk.pool import run_tasks
        from letters.writers.typst_pdf import markdown_to_pdf

        markdown_to_pdf("Dear Ms Patel\\n", title="A letter typeset first")
        tasks = [Task(job) for job in plan_bulk([{str(cases)!r}], fmt="pdf").jobs]
        ensure_out_dir({str(out)!r})
        options = BulkOptions(out_dir={str(out)!r}, fmt="pdf")
        print([result.status for result in run_tasks(tasks, options, workers=2)])
    """)
    proc = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True)
    try:
        stdout, stderr = proc.communicate(timeout=90)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        pytest.fail("the bulk workers never finished: they waited for the parent's threads")
    assert proc.returncode == 0, stderr
    assert stdout.strip() == "['written', 'written']"
    assert sorted(p.name for p in out.glob("*.pdf")) == ["letter-mia.pdf", "letter-noah.pdf"]


def test_letters_typeset_at_once_on_threads_each_get_their_own_text() -> None:
    # A web server makes PDFs on several threads: each must hold its own letter, never a
    # neighbour's, and none may fail because another is being typeset.
    names = [f"Child{n} Green" for n in range(8)]
    results: dict[str, bytes] = {}
    errors: list[BaseException] = []

    def typeset(name: str) -> None:
        try:
            for _ in range(3):
                results[name] = letter_bytes(f"Dear Ms Patel\n\nThis is about {name}.\n", "pdf",
                                             title=name)
        except BaseException as err:  # reported below, with the thread's own error
            errors.append(err)

    threads = [threading.Thread(target=typeset, args=(name,)) for name in names]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    for name in names:
        metadata = pypdf.PdfReader(io.BytesIO(results[name])).metadata
        assert metadata is not None
        assert metadata.title == name


def test_no_network(runner: CliRunner, tmp_path: Path, full_case: Path,
                    no_network: list[str]) -> None:  # noqa: F811  (the imported fixture)
    result = runner.invoke(main, ["render", str(full_case), "-o", str(tmp_path / "letter.pdf")])
    assert result.exit_code == 0, result.output
    assert no_network == []
    # Typst itself (not Python's sockets) would reach the network only to fetch a package the
    # template imports, and would read files only where the template asks: ours asks neither.
    template = resources.files("letters.writers").joinpath("letter.typ").read_text("utf-8")
    code = "\n".join(line for line in template.splitlines() if not line.lstrip().startswith("//"))
    for call in ("#import", "#include", "read(", "image(", "plugin(", "@preview"):
        assert call not in code



# --------------------------------------------------------------------------------------------
# The document model


@pytest.mark.parametrize("golden", sorted(GOLDEN.glob("**/*.md")), ids=lambda p: p.name)
def test_every_golden_letter_gives_the_same_blocks_from_either_reader(
        golden: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    markdown = golden.read_text(encoding="utf-8")
    fast = letter_blocks(markdown)
    monkeypatch.setattr(blocks, "fast_tokens", lambda _text: None)
    assert letter_blocks(markdown) == fast


def test_the_sign_off_holds_the_close_and_the_name() -> None:
    model = letter_blocks("Yours sincerely\n\n<!-- signature -->\n\nJane Doe\n")
    assert model == [{"kind": "sign-off",
                      "close": {"kind": "paragraph", "runs": [{"text": "Yours sincerely"}]},
                      "signed": {"kind": "paragraph", "runs": [{"text": "Jane Doe"}]}}]


def test_a_list_item_of_two_paragraphs_is_one_item() -> None:
    (block,) = letter_blocks("1. First\n\n   more of the first\n2. Second\n")
    assert block["items"] == [[[{"text": "First"}], [{"text": "more of the first"}]],
                              [[{"text": "Second"}]]]


def test_a_letter_typst_cannot_typeset_is_a_clear_error_and_no_file(
        runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import letters.writers.typst_pdf as typst_pdf

    # A broken layout stands in for anything Typst may refuse: the person gets swletter's
    # words (never Typst's, which quote the letter) and no half-made file.
    monkeypatch.setattr(typst_pdf, "_template", lambda: b'#panic(sys.inputs.letter)')
    case = write_case(tmp_path, MINIMAL)
    out = tmp_path / "letter.pdf"
    result = runner.invoke(main, ["render", str(case), "-o", str(out)])
    assert result.exit_code == 1
    assert result.output.startswith("Error: swletter could not typeset this letter as a PDF. "
                                    "Write a .docx instead (--format docx)")
    assert "Mia Green" not in result.output
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["case.yaml"]


@settings(max_examples=25)
@given(well_typed_cases())
def test_any_well_typed_case_gives_a_tagged_pdf(
        generated: tuple[dict[str, Any], dict[tuple[Any, ...], str]]) -> None:
    # Generated text reaches every field (any Unicode, markup of every kind): the PDF is made,
    # tagged and in British English. (Its words are checked above on the hostile strings; a
    # generated character may have no glyph in any font, and so no text in the PDF.)
    data, _ = generated
    case = case_from_data(data, source="case.yaml", base_dir=str(SHARED_EXAMPLES))
    reader = pypdf.PdfReader(io.BytesIO(make_letter(case, today=TODAY).to_bytes("pdf")))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en-GB"
    assert root["/MarkInfo"]["/Marked"].value is True
    assert len(reader.pages) >= 1
