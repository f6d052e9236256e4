"""Every golden and example letter opens in LibreOffice and reads correctly from its PDF.

The .docx is what families send and print, so it is checked with the program many of them use:
LibreOffice converts each letter to PDF (all in one run, since starting it costs seconds), and
poppler's pdftotext and pdfinfo read the result back. Under CI=true a missing LibreOffice or
poppler is a failure, not a skip (see tests/readers.py and .ci/run).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from letters.case import load_case
from letters.dates import long_date
from letters.examples import write_example
from letters.letter import RenderedLetter, make_letter
from letters.writers.pdf import docxs_to_pdfs

from .conftest import CASES, SHARED_EXAMPLES, TODAY
from .readers import is_a4, pdf_info, pdf_text, require_programs

# Every case with a golden letter: the shared examples and each case in tests/cases/.
CASE_FILES = [
    SHARED_EXAMPLES / "case-full.yaml",
    SHARED_EXAMPLES / "case-minimal.yaml",
    *sorted(p for p in CASES.glob("*") if p.suffix in (".yaml", ".yml", ".json")),
]
SHIPPED_EXAMPLE = "shipped-example"


@dataclass(frozen=True)
class Converted:
    rendered: RenderedLetter
    pdf: Path


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Converted]:
    """Each letter rendered to .docx and converted to PDF by one LibreOffice run."""
    require_programs()
    folder = tmp_path_factory.mktemp("readers")
    sources = {path.stem: path for path in CASE_FILES}
    sources[SHIPPED_EXAMPLE] = write_example(folder / "example")[0]
    letters = {name: make_letter(load_case(path), today=TODAY) for name, path in sources.items()}
    pdfs = docxs_to_pdfs([r.to_bytes("docx") for r in letters.values()])
    out = {}
    for (name, rendered), data in zip(letters.items(), pdfs, strict=True):
        pdf = folder / f"{name}.pdf"
        pdf.write_bytes(data)
        out[name] = Converted(rendered, pdf)
    return out


def _squeeze(text: str) -> str:
    # A fact may wrap anywhere in the PDF ("CP-⏎2026-0413"), so compare without white space.
    return re.sub(r"\s+", "", text)


def _facts(rendered: RenderedLetter) -> list[str]:
    """What a manager must be able to read: who, about whom, when, the enclosures, the sign-off."""
    letter = rendered.letter
    case = letter.case
    facts = [case.sender.name, case.recipient.organisation, case.social_worker.name,
             long_date(letter.date), long_date(letter.reply_by), letter.salutation,
             letter.sign_off]
    facts += [child.name for child in case.children]
    if case.case_reference:
        facts.append(case.case_reference)
    if letter.enclosures:
        facts.append("Enclosures")
    for enclosure in letter.enclosures:
        if enclosure.evidence is not None:
            facts += [long_date(enclosure.evidence.date), enclosure.evidence.description]
        elif enclosure.statement is not None:
            facts.append(enclosure.statement.author)
    return facts


NAMES = [p.stem for p in CASE_FILES] + [SHIPPED_EXAMPLE]


@pytest.mark.parametrize("name", NAMES)
def test_letter_reads_correctly_from_its_pdf(converted: dict[str, Converted], name: str) -> None:
    item = converted[name]
    text = _squeeze(pdf_text(item.pdf))
    missing = [fact for fact in _facts(item.rendered) if _squeeze(fact) not in text]
    assert missing == []
    # The sign-off comes after everything the letter argues, and the writer's name after it.
    sign_off = text.rindex(_squeeze(item.rendered.letter.sign_off))
    assert text.find(_squeeze(item.rendered.letter.case.sender.name), sign_off) > sign_off


@pytest.mark.parametrize("name", NAMES)
def test_letter_is_a4_and_a_sensible_length(converted: dict[str, Converted], name: str) -> None:
    info = pdf_info(converted[name].pdf)
    assert is_a4(info), info.get("Page size")
    assert 1 <= int(info["Pages"]) <= 4


def test_full_example_fits_on_a_few_pages(converted: dict[str, Converted]) -> None:
    assert 2 <= int(pdf_info(converted["case-full"].pdf)["Pages"]) <= 4
    assert int(pdf_info(converted["case-minimal"].pdf)["Pages"]) == 1
