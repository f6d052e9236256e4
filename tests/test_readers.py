"""Every golden and example letter opens in LibreOffice and reads correctly from its PDF.

The change-request letters of every case with a golden letter and of the shipped example, the
follow-up letters (each kind, each nation) and the advocates' supporting statements.

The .docx is what families send and print, so it is checked with the program many of them use:
LibreOffice converts each letter to PDF (all in one run, since starting it costs seconds), and
poppler's pdftotext and pdfinfo read the result back. Under CI=true a missing LibreOffice or
poppler is a failure, not a skip (see tests/readers.py and .ci/run).
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from letters.case.validate import load_case
from letters.compose.documents import Rendered
from letters.compose.request import make_letter
from letters.dates import long_date
from letters.example import write_example
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
    pdf: Path
    facts: tuple[str, ...]
    sign_off: str = ""
    signer: str = ""


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Converted]:
    """Each letter rendered to .docx and converted to PDF by one LibreOffice run."""
    require_programs()
    folder = tmp_path_factory.mktemp("readers")
    sources = {path.stem: path for path in CASE_FILES}
    sources[SHIPPED_EXAMPLE] = write_example(folder / "example")[0]
    documents: dict[str, tuple[bytes, Converted]] = {}
    for name, path in sources.items():
        rendered = make_letter(load_case(path), today=TODAY)
        letter = rendered.document
        documents[name] = (rendered.to_bytes("docx"), Converted(
            folder / f"{name}.pdf", tuple(_facts(rendered)), letter.sign_off,
            letter.case.sender.name))
    documents.update(_followups(folder))
    documents.update(_statements(folder))
    pdfs = docxs_to_pdfs([data for data, _ in documents.values()])
    for (_, item), pdf in zip(documents.values(), pdfs, strict=True):
        item.pdf.write_bytes(pdf)
    return {name: item for name, (_, item) in documents.items()}


def _followups(folder: Path) -> dict[str, tuple[bytes, Converted]]:
    """Each follow-up with a golden letter, in the same nations (see tests/test_followup.py)."""
    from letters.compose.followup import KINDS, make_followup

    from .test_followup import FOLLOWUP_DATE, NATIONS, first_letter_for, full_case_in

    examples = folder / "followup-examples"
    shutil.copytree(SHARED_EXAMPLES, examples)
    out = {}
    for kind in KINDS:
        for nation in NATIONS:
            rendered = make_followup(full_case_in(examples, nation), kind,
                                     first_letter_for(kind, nation), today=FOLLOWUP_DATE)
            f = rendered.document
            # Wales's complaint gives its timescale from the acknowledgement, not a date.
            reply_by = () if f.route and f.route.expect_when else (long_date(f.reply_by),)
            facts = (f.case.sender.name, f.case.recipient.organisation, long_date(f.date),
                     long_date(f.first.date), *reply_by, f.salutation, f.sign_off,
                     *(c.name for c in f.case.children))
            out[f"followup-{kind}-{nation}"] = (rendered.to_bytes("docx"), Converted(
                folder / f"followup-{kind}-{nation}.pdf", facts, f.sign_off, f.case.sender.name))
    return out


def _statements(folder: Path) -> dict[str, tuple[bytes, Converted]]:
    """The advocate's supporting statement for every case that has one."""
    from letters.compose.statement import draft_statement

    out = {}
    for path in CASE_FILES:
        case = load_case(path)
        if not case.supporting_statements:
            continue
        draft = draft_statement(case)
        # A statement speaks about the child the advocate knows, not necessarily every child.
        facts = (draft.document.statement.author, case.children[0].name)
        out[f"statement-{path.stem}"] = (draft.to_bytes("docx"), Converted(
            folder / f"statement-{path.stem}.pdf", facts))
    return out


def _squeeze(text: str) -> str:
    # A fact may wrap anywhere in the PDF ("CP-⏎2026-0413"), so compare without white space.
    return re.sub(r"\s+", "", text)


def _facts(rendered: Rendered) -> list[str]:
    """What a manager must be able to read: who, about whom, when, the enclosures, the sign-off."""
    letter = rendered.document
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


def _names() -> list[str]:
    from letters.compose.followup import KINDS

    from .test_followup import NATIONS

    letters = [p.stem for p in CASE_FILES] + [SHIPPED_EXAMPLE]
    followups = [f"followup-{kind}-{nation}" for kind in KINDS for nation in NATIONS]
    statements = [f"statement-{p.stem}" for p in CASE_FILES
                  if load_case(p).supporting_statements]
    return letters + followups + statements


NAMES = _names()


@pytest.mark.parametrize("name", NAMES)
def test_document_reads_correctly_from_its_pdf(converted: dict[str, Converted],
                                               name: str) -> None:
    item = converted[name]
    text = _squeeze(pdf_text(item.pdf))
    missing = [fact for fact in item.facts if _squeeze(fact) not in text]
    assert missing == []
    if item.sign_off:
        # The sign-off comes after everything the letter argues, the writer's name after it.
        sign_off = text.rindex(_squeeze(item.sign_off))
        assert text.find(_squeeze(item.signer), sign_off) > sign_off


@pytest.mark.parametrize("name", NAMES)
def test_document_is_a4_and_a_sensible_length(converted: dict[str, Converted], name: str) -> None:
    info = pdf_info(converted[name].pdf)
    assert is_a4(info), info.get("Page size")
    assert 1 <= int(info["Pages"]) <= 4


def test_full_example_fits_on_a_few_pages(converted: dict[str, Converted]) -> None:
    assert 2 <= int(pdf_info(converted["case-full"].pdf)["Pages"]) <= 4
    assert int(pdf_info(converted["case-minimal"].pdf)["Pages"]) == 1
