"""Golden Welsh letters (issue 18): the full example case, and a case whose family writes in
Welsh, rendered in Welsh (cy) and in Welsh and English (cy+en) to .md and .html (compared
exactly), .docx (a text dump of every section: its header, footer and each paragraph's style and
text) and .pdf (each page's text); and the follow-ups, statement and "what happens next" sheet in
Welsh as Markdown.

Regenerate with `pytest tests/test_welsh_golden.py --update-golden`, then read every diff
before committing it; `scripts/render-welsh` writes the same letters for a Welsh speaker to read.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest

from letters import api
from letters.compose.documents import Rendered
from letters.compose.followup import FirstLetter

from .conftest import GOLDEN, SHARED_EXAMPLES, TODAY
from .docx_dump import _with_fields, dump_docx
from .readers import pdf_pages, require_poppler, require_programs

WELSH_GOLDEN = GOLDEN / "cy"
WELSH_CASE = Path(__file__).resolve().parent / "cases_cy" / "achos-llawn.yaml"
#: The full example (the family writes in English) and the Welsh family's case.
CASES = {"case-full": SHARED_EXAMPLES / "case-full.yaml", "achos-llawn": WELSH_CASE}
CHOICES = ("cy", "cy+en")
#: The first letter the follow-ups cite (the request's own date, so the set reads as one
#: story), and the day they are written, after its reply-by date.
FIRST, LATER = dt.date(2026, 11, 23), dt.date(2026, 12, 14)


def _compare(actual: str, golden: Path, update: bool) -> None:
    if update:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(actual, encoding="utf-8")
    assert golden.exists(), f"{golden} is missing: run pytest --update-golden and read the result"
    assert actual == golden.read_text(encoding="utf-8")


_LETTERS: dict[tuple[str, str], Rendered] = {}


def _letter(case: str, choice: str) -> Rendered:
    if (case, choice) not in _LETTERS:
        _LETTERS[case, choice] = api.render_request(api.read_case(CASES[case]), today=TODAY,
                                                    language=choice)
    return _LETTERS[case, choice]


def _name(case: str, choice: str, ext: str) -> Path:
    return WELSH_GOLDEN / f"{case}.{choice.replace('+', '-')}.{ext}"


def dump_sections(data: bytes) -> str:
    """The docx dump, with the header and footer of every section (a letter in Welsh and
    English has one section for each language)."""
    import docx

    document = docx.Document(io.BytesIO(data))
    out = [dump_docx(data)]
    for i, section in enumerate(document.sections, start=1):
        header = " | ".join(p.text for p in section.header.paragraphs)
        footer = " | ".join(_with_fields(p) for p in section.footer.paragraphs)
        out.append(f"section {i}: header: {header}; footer: {footer}")
    return "\n".join(out) + "\n"


def pdf_dump(data: bytes, folder: Path) -> str:
    """Each page's text, a line per line of text, lines without their layout spaces."""
    path = folder / "llythyr.pdf"
    path.write_bytes(data)
    pages = []
    for n, page in enumerate(pdf_pages(path), start=1):
        lines = [" ".join(line.split()) for line in page.splitlines()]
        pages.append(f"--- page {n}\n" + "\n".join(line for line in lines if line))
    return "\n".join(pages) + "\n"


@pytest.mark.parametrize("choice", CHOICES)
@pytest.mark.parametrize("case", CASES)
def test_welsh_markdown_matches_golden(case: str, choice: str, update_golden: bool) -> None:
    _compare(_letter(case, choice).markdown, _name(case, choice, "md"), update_golden)


@pytest.mark.parametrize("choice", CHOICES)
@pytest.mark.parametrize("case", CASES)
def test_welsh_html_matches_golden(case: str, choice: str, update_golden: bool) -> None:
    page = _letter(case, choice).to_bytes("html").decode("utf-8")
    _compare(page, _name(case, choice, "html"), update_golden)


@pytest.mark.parametrize("choice", CHOICES)
@pytest.mark.parametrize("case", CASES)
def test_welsh_docx_matches_golden(case: str, choice: str, update_golden: bool) -> None:
    _compare(dump_sections(_letter(case, choice).to_bytes("docx")),
             _name(case, choice, "docx.txt"), update_golden)


@pytest.mark.parametrize("choice", CHOICES)
@pytest.mark.parametrize("case", CASES)
def test_welsh_pdf_matches_golden(case: str, choice: str, update_golden: bool,
                                  tmp_path: Path) -> None:
    require_poppler()
    _compare(pdf_dump(_letter(case, choice).to_bytes("pdf"), tmp_path),
             _name(case, choice, "pdf.txt"), update_golden)


def _other_documents(case: Any) -> dict[str, Rendered]:
    first = FirstLetter(FIRST)
    return {
        **{kind: api.render_followup(case, kind, first, today=LATER, language="cy")
           for kind in ("chaser", "reasons", "complaint")},
        "statement": api.draft_statement_for(case, language="cy"),
        "next-steps": api.render_next_steps(case, today=TODAY, language="cy"),
        "easyread": api.render_easyread(case, today=TODAY, language="cy")[0],
    }


@pytest.mark.parametrize("case", CASES)
def test_every_other_welsh_document_matches_golden(case: str, update_golden: bool) -> None:
    for kind, rendered in _other_documents(api.read_case(CASES[case])).items():
        _compare(rendered.markdown, WELSH_GOLDEN / f"{case}.{kind}.cy.md", update_golden)


def test_the_full_example_in_welsh_and_english_opens_in_libreoffice(tmp_path: Path) -> None:
    require_programs()
    from letters.writers.pdf import docx_to_pdf

    letter = _letter("case-full", "cy+en")
    path = tmp_path / "dwyieithog.pdf"
    path.write_bytes(docx_to_pdf(letter.to_bytes("docx")))
    pages = pdf_pages(path)
    total = len(pages)
    english_from = next(i for i, p in enumerate(pages) if "Dear Ms Patel" in p)
    # Welsh pages first, each with the Welsh header and footer; the English starts on a page
    # of its own, with the English header and footer; the page count runs through both.
    assert 0 < english_from < total
    assert "Annwyl Ms Patel" in pages[0]
    for n, page in enumerate(pages, start=1):
        welsh = n <= english_from
        assert ("Preifat a chyfrinachol" if welsh else "Private and confidential") in page
        assert (f"Tudalen {n} o {total}" if welsh else f"Page {n} of {total}") in page
    assert "Yours sincerely" in pages[-1] or any("Yours sincerely" in p
                                                  for p in pages[english_from:])


def test_render_welsh_writes_every_welsh_document_of_the_examples(tmp_path: Path) -> None:
    import subprocess
    import sys

    from .conftest import ROOT

    out = tmp_path / "cymraeg"
    run = subprocess.run([sys.executable, str(ROOT / "scripts" / "render-welsh"), str(out)],
                         capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    assert "Not written" not in run.stderr
    written = {p.name for p in out.iterdir()}
    for name in ("letter-cy", "letter-cy+en", "chaser-cy", "reasons-cy", "complaint-cy",
                 "statement-cy", "next-steps-cy", "redacted-cy", "easyread-1-cy"):
        for fmt in ("md", "docx", "pdf"):
            assert f"achos-llawn-{name}.{fmt}" in written, (name, fmt)
    # The Welsh golden letter is what the script writes for a Welsh speaker to read (the .md
    # file leaves the signature's place blank).
    golden = (WELSH_GOLDEN / "achos-llawn.cy.md").read_text(encoding="utf-8")
    assert (out / "achos-llawn-letter-cy.md").read_text(encoding="utf-8") == \
        golden.replace("<!-- signature -->", "")
