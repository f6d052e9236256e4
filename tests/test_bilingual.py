"""Letters in Welsh, and in Welsh and English (issue 18): choosing the language, each writer
keeping the languages apart, a missing Welsh template named rather than English printed, and the
register keeping each request's language for its follow-ups.

The Welsh wording is swletter's own Welsh templates (``templates/*.cy.md.j2``); a charity's
``--templates`` folder can give its own, and a Welsh template missing from it is named."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main
from letters import api
from letters.compose.documents import Rendered
from letters.compose.followup import FirstLetter
from letters.config import Settings
from letters.errors import TemplateError

from .conftest import TODAY, write_case
from .readers import pdf_pages, require_poppler, require_programs

WELSH_CASE = Path(__file__).resolve().parent / "cases_cy" / "achos-llawn.yaml"


@pytest.fixture(scope="module")
def in_welsh() -> Settings:
    """swletter's own settings: its Welsh templates are shipped with it."""
    return Settings()


def _parts(docx: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(docx)) as package:
        return {name: package.read(name).decode("utf-8") for name in package.namelist()
                if name.endswith((".xml", ".rels"))}


def _text(xml: str) -> str:
    return "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml))


# --------------------------------------------------------------------------------------------
# Which language: the option, then the case file, then swletter.toml, then English


@pytest.mark.parametrize(("option", "in_case", "in_settings", "chosen"), [
    (None, None, None, "en"),
    (None, None, "cy", "cy"),
    (None, "cy+en", "cy", "cy+en"),
    ("en", "cy", "cy", "en"),
    ("cy", None, "en", "cy"),
])
def test_the_option_wins_then_the_case_then_the_settings(
        option: str | None, in_case: str | None, in_settings: str | None, chosen: str) -> None:
    case = dataclasses.replace(api.read_case(WELSH_CASE), language=in_case)
    assert api.language_for(case, option, settings=Settings(language=in_settings)) == chosen


def test_a_case_files_language_is_checked_like_any_field(tmp_path: Path) -> None:
    from letters.errors import CaseError

    path = write_case(tmp_path, WELSH_CASE.read_text(encoding="utf-8").replace(
        "language: cy", "language: welsh"))
    with pytest.raises(CaseError) as err:
        api.read_case(path)
    problem = err.value.problems[0]
    assert problem.path == "language" and problem.line is not None
    assert '"welsh" is not one of en, cy, cy+en' in problem.message


def test_swletter_toml_gives_the_default_language(tmp_path: Path) -> None:
    from letters.config import load_settings
    from letters.errors import ConfigError

    (tmp_path / "swletter.toml").write_text('language = "cy"\n', encoding="utf-8")
    assert load_settings(cwd=tmp_path).language == "cy"
    (tmp_path / "swletter.toml").write_text('language = "Welsh"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match='"Welsh" is not a language swletter writes; use one '
                                          "of en, cy, cy"):
        load_settings(cwd=tmp_path)


# --------------------------------------------------------------------------------------------
# A Welsh document: Welsh words and tags in every format


def test_a_welsh_letter_takes_its_words_from_the_welsh_language(in_welsh: Settings) -> None:
    rendered = api.render_request(api.read_case(WELSH_CASE), settings=in_welsh)
    assert rendered.language == "cy"
    assert rendered.file_name("docx") == "letter-osian-prydderch-2026-11-23-cy.docx"
    assert rendered.title == ("Cais am newid gweithiwr cymdeithasol ar gyfer Osian Prydderch ac "
                              "Elin Prydderch (cyfeirnod achos CP-2026-0917)")
    text = rendered.markdown
    assert "23 Tachwedd 2026" in text and "Annwyl Ms Morgan" in text and "Yn gywir" in text
    assert "(Amgaeadau 1 a 2)" in text and "(Amgaead 3)" in text
    assert "sef 10 diwrnod gwaith ar ôl dyddiad y llythyr hwn" in text
    assert "1. 3 Ebrill 2026 — E-bost:" in text
    assert "Hoffwn gael eich ateb yn Gymraeg" in text


def test_a_welsh_docx_is_tagged_welsh_with_a_welsh_header_and_footer(
        in_welsh: Settings) -> None:
    rendered = api.render_request(api.read_case(WELSH_CASE), settings=in_welsh)
    parts = _parts(rendered.to_bytes("docx"))
    assert 'w:val="cy-GB"' in re.search(r"<w:rPrDefault>.*?</w:rPrDefault>",
                                         parts["word/styles.xml"], re.S).group(0)  # type: ignore[union-attr]
    assert _text(parts["word/header1.xml"]) == "Preifat a chyfrinachol"
    assert _text(parts["word/footer1.xml"]).startswith("Tudalen 1 o ")


def test_a_welsh_pdf_and_html_say_they_are_welsh(in_welsh: Settings, tmp_path: Path) -> None:
    require_poppler()
    from pypdf import PdfReader

    rendered = api.render_request(api.read_case(WELSH_CASE), settings=in_welsh)
    page = rendered.to_bytes("html").decode("utf-8")
    assert '<html lang="cy-GB">' in page and "Preifat a chyfrinachol" in page
    pdf = tmp_path / "llythyr.pdf"
    pdf.write_bytes(rendered.to_bytes("pdf"))
    first = pdf_pages(pdf)[0]
    pages = len(pdf_pages(pdf))
    assert "Preifat a chyfrinachol" in first and f"Tudalen 1 o {pages}" in first
    assert PdfReader(pdf).trailer["/Root"]["/Lang"] == "cy-GB"


# --------------------------------------------------------------------------------------------
# Welsh then English, each complete, in one document


@pytest.fixture(scope="module")
def bilingual(in_welsh: Settings) -> Rendered:
    return api.render_request(api.read_case(WELSH_CASE), settings=in_welsh, language="cy+en")


def test_a_bilingual_letter_is_the_welsh_letter_then_the_english_one(bilingual: Rendered) -> None:
    rendered = bilingual
    assert rendered.language == "cy+en"
    welsh, english = rendered.parts
    assert (welsh.language, english.language) == ("cy", "en")
    assert rendered.title == f"{welsh.title} / {english.title}"
    assert rendered.file_name("pdf").endswith("-2026-11-23-cy-en.pdf")
    markdown = rendered.markdown
    assert markdown.index("Annwyl Ms Morgan") < markdown.index("<!-- page-break -->") \
        < markdown.index("Dear Ms Morgan")
    assert "Rwyf wedi ysgrifennu'r llythyr hwn yn Gymraeg ac yn Saesneg" in welsh.markdown
    # One letter: the same dates and enclosures in both halves.
    assert welsh.document.reply_by == english.document.reply_by


def test_each_half_has_the_language_choice_in_its_own_language() -> None:
    from letters.compose.language import language
    from letters.templating.environment import language_context

    case = dataclasses.replace(api.read_case(WELSH_CASE), language="cy+en")
    welsh, english = (language_context(case, language(code)) for code in ("cy", "en"))
    assert welsh["language"] == "cy" and english["language"] == "en"
    assert welsh["languages"] == english["languages"] == "cy+en"
    assert welsh["bilingual"] and english["bilingual"]
    assert welsh["language_choice"].startswith("Rwyf wedi ysgrifennu'r llythyr hwn yn Gymraeg")
    assert english["language_choice"].startswith("I have written this letter in Welsh and in "
                                                 "English. I would like your reply in Welsh")
    alone = language_context(dataclasses.replace(case, language="en"), language("en"))
    assert alone["language_choice"] == "" and not alone["bilingual"]


def test_a_bilingual_docx_gives_each_language_its_section_header_and_tag(
        bilingual: Rendered) -> None:
    parts = _parts(bilingual.to_bytes("docx"))
    document = parts["word/document.xml"]
    sections = re.findall(r"<w:sectPr\b.*?</w:sectPr>", document, re.S)
    assert len(sections) == 2
    rels = parts["word/_rels/document.xml.rels"]
    headers = []
    for section in sections:
        rid = re.search(r'<w:headerReference w:type="default" r:id="([^"]+)"', section).group(1)  # type: ignore[union-attr]
        target = re.search(rf'Id="{rid}"[^>]*Target="([^"]+)"', rels).group(1)  # type: ignore[union-attr]
        headers.append(_text(parts[f"word/{target}"]))
    assert headers == ["Preifat a chyfrinachol", "Private and confidential"]
    footer2 = re.search(r'Id="rIdSwletterFooter2"[^>]*Target="([^"]+)"', rels).group(1)  # type: ignore[union-attr]
    assert _text(parts[f"word/{footer2}"]).startswith("Page 1 of ")
    # The English half's text runs say they are English; the Welsh half's take the default.
    # The first section ends with the paragraph whose properties hold its sectPr.
    end = document.index("</w:p>", document.index(sections[0])) + len("</w:p>")
    welsh, english = document[:end], document[end:]
    assert "Dear Ms Morgan" in _text(english) and "Annwyl Ms Morgan" in _text(welsh)
    assert 'w:val="en-GB"' not in welsh
    runs = re.findall(r"<w:r>.*?</w:r>", english, re.S)
    text_runs = [r for r in runs if "<w:t" in r]
    assert text_runs and all('<w:lang w:val="en-GB"/>' in r for r in text_runs)


def test_a_bilingual_docx_opens_in_libreoffice_welsh_pages_first(
        bilingual: Rendered, tmp_path: Path) -> None:
    require_programs()
    from letters.writers.pdf import docx_to_pdf

    pdf = tmp_path / "dwyieithog.pdf"
    pdf.write_bytes(docx_to_pdf(bilingual.to_bytes("docx")))
    pages = pdf_pages(pdf)
    total = len(pages)
    assert "Preifat a chyfrinachol" in pages[0] and f"Tudalen 1 o {total}" in pages[0]
    assert "Private and confidential" in pages[-1] and f"Page {total} of {total}" in pages[-1]
    english_from = next(i for i, p in enumerate(pages) if "Dear Ms Morgan" in p)
    assert all("Private" not in p for p in pages[:english_from])
    assert all("Preifat" not in p for p in pages[english_from:])


def test_a_bilingual_pdf_changes_header_footer_and_language_with_the_text(
        bilingual: Rendered, tmp_path: Path) -> None:
    require_poppler()
    pdf = tmp_path / "dwyieithog.pdf"
    pdf.write_bytes(bilingual.to_bytes("pdf"))
    pages = pdf_pages(pdf)
    english_from = next(i for i, p in enumerate(pages) if "Dear Ms Morgan" in p)
    assert english_from > 0
    assert all("Preifat a chyfrinachol" in p and "Tudalen" in p for p in pages[:english_from])
    assert all("Private and confidential" in p and "Page" in p for p in pages[english_from:])
    assert f"Page {len(pages)} of {len(pages)}" in pages[-1]


def test_a_bilingual_html_page_marks_the_english_half_as_english(bilingual: Rendered) -> None:
    page = bilingual.to_bytes("html").decode("utf-8")
    assert page.startswith("<!DOCTYPE html>\n<html lang=\"cy-GB\">")
    welsh, _, english = page.partition('<section lang="en-GB" class="language">')
    assert "Annwyl Ms Morgan" in welsh and "Dear Ms Morgan" not in welsh
    assert english.lstrip().startswith('<p class="confidential">Private and confidential</p>')
    assert "Dear Ms Morgan" in english


# --------------------------------------------------------------------------------------------
# A template missing in Welsh is an error naming it, never English in its place


def test_a_charitys_own_welsh_template_is_used_before_swletters(tmp_path: Path,
                                                               runner: CliRunner) -> None:
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "change_request.cy.md.j2").write_text(
        "{{ letter.salutation }}\n\nLlythyr yr elusen ar gyfer {{ children_names }}.\n\n"
        "{{ letter.sign_off }}\n", encoding="utf-8")
    rendered = api.render_request(api.read_case(WELSH_CASE), settings=Settings(templates=folder))
    assert "Llythyr yr elusen ar gyfer Osian Prydderch ac Elin Prydderch." in rendered.markdown
    # The English half of a bilingual letter is still swletter's own English.
    both = api.render_request(api.read_case(WELSH_CASE), settings=Settings(templates=folder),
                              language="cy+en")
    assert "Llythyr yr elusen" in both.parts[0].markdown
    assert "Dear Ms Morgan" in both.parts[1].markdown


def test_a_missing_welsh_template_is_named_and_no_english_is_written(
        tmp_path: Path, runner: CliRunner) -> None:
    # A charity's Welsh letter includes a part it has written only in English.
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "change_request.cy.md.j2").write_text(
        '{{ letter.salutation }}\n\n{% include "our_footer.md.j2" %}\n', encoding="utf-8")
    (folder / "our_footer.md.j2").write_text("With our thanks.\n", encoding="utf-8")
    case = write_case(tmp_path, WELSH_CASE.read_text(encoding="utf-8"))
    with pytest.raises(TemplateError, match=r"our_footer\.cy\.md\.j2"):
        api.render_request(api.read_case(case), settings=Settings(templates=folder))
    result = runner.invoke(main, ["render", str(case), "--templates", str(folder)])
    assert result.exit_code == 1
    assert "our_footer.cy.md.j2" in result.output
    assert "With our thanks" not in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["case.yaml", "templates"]


def test_swletter_ships_a_welsh_template_for_every_document_template() -> None:
    from importlib import resources

    names = {e.name for e in resources.files("letters.templates").iterdir()}
    english = {n for n in names if n.endswith(".md.j2") and ".cy." not in n}
    assert len(english) >= 17
    assert {n for n in english if n.replace(".md.j2", ".cy.md.j2") not in names} == set()


# --------------------------------------------------------------------------------------------
# The register keeps each request's language, and follow-ups use it


def test_the_register_records_the_language_and_a_reminder_keeps_it(
        tmp_path: Path, runner: CliRunner) -> None:
    from letters.register.store import open_register

    text = WELSH_CASE.read_text(encoding="utf-8").replace("language: cy\n", "")
    case = write_case(tmp_path, text)
    register = tmp_path / "letters.sqlite"
    first = runner.invoke(main, ["render", str(case), "--language", "cy", "--format", "md",
                                 "--register", str(register)])
    assert first.exit_code == 0, first.output
    # The case file says no language: the reminder is in Welsh because the request was.
    chaser = runner.invoke(main, ["followup", str(case), "--kind", "chaser", "--format", "md",
                                  "--date", "2026-12-14", "--register", str(register)])
    assert chaser.exit_code == 0, chaser.output
    written = tmp_path / "chaser-osian-prydderch-2026-12-14-cy.md"
    assert "nodyn atgoffa" in written.read_text(encoding="utf-8")
    with open_register(register) as reg:
        assert [(x.kind, x.language) for x in reg.letters()] == [("request", "cy"),
                                                                ("chaser", "cy")]


def test_an_earlier_register_reads_as_english_letters(tmp_path: Path) -> None:
    import sqlite3

    from letters.register.opening import MIGRATIONS
    from letters.register.store import open_register

    path = tmp_path / "old.sqlite"
    with sqlite3.connect(path) as db:
        for step in MIGRATIONS[:2]:
            db.executescript(step)
        db.execute("PRAGMA user_version = 2")
        db.execute("INSERT INTO letters (recorded_at, kind, letter_date, reply_by, children,"
                   " recipient_organisation, grounds, output_path, sha256) VALUES"
                   " ('2026-11-23T10:00:00+00:00', 'request', '2026-11-23', '2026-12-07',"
                   " '[\"Mia Green\"]', 'Sefton Council', '[]', '/tmp/x.docx', 'ab')")
    with open_register(path) as reg:
        assert [x.language for x in reg.letters()] == ["en"]


def test_a_followup_in_welsh_and_english_is_one_document(in_welsh: Settings) -> None:
    rendered = api.render_followup(api.read_case(WELSH_CASE), "reasons",
                                   FirstLetter(dt.date(2026, 11, 2)), settings=in_welsh,
                                   today=TODAY, language="cy+en")
    assert rendered.title.endswith(": a request for the reasons")
    assert rendered.title.startswith("Cais am newid gweithiwr cymdeithasol")
    assert [p.language for p in rendered.parts] == ["cy", "en"]


def test_every_document_command_takes_language(runner: CliRunner) -> None:
    for command in ("render", "check", "followup", "statement", "next-steps", "redact",
                    "easyread", "bundle", "bulk"):
        result = runner.invoke(main, [command, "--help"])
        assert "--language en|cy|cy+en" in result.output, command


def test_the_cli_languages_are_the_engines() -> None:
    import cli
    from letters.compose.language import CHOICES
    from letters.config import _case_field

    assert cli.LANGUAGES == CHOICES == _case_field("language").choices


# --------------------------------------------------------------------------------------------
# Advice on a Welsh letter reads the Welsh letter


def _padded_to(rendered: Rendered, words: int) -> str:
    """The letter with filler words before its list of enclosures, so that the words before
    the list number ``words``."""
    body, heading, enclosures = rendered.markdown.partition("\n## Amgaeadau")
    assert heading, "the Welsh letter has its list of enclosures"
    filler = " ".join(["gair"] * (words - len(body.split())))
    return f"{body}\n\n{filler}{heading}{enclosures}"


@pytest.mark.parametrize("choice", ["cy", "cy+en"])
def test_a_welsh_letters_length_leaves_out_its_list_of_enclosures(
        in_welsh: Settings, choice: str) -> None:
    from letters.advice.shape import MAX_WORDS

    rendered = api.render_request(api.read_case(WELSH_CASE), settings=in_welsh, language=choice)
    welsh = rendered.parts[0] if rendered.parts else rendered

    def length_advice(words: int) -> list[str]:
        letter = dataclasses.replace(welsh, markdown=_padded_to(welsh, words))
        if rendered.parts:
            letter = dataclasses.replace(rendered, parts=(letter, *rendered.parts[1:]))
        return [f.message for f in api.review(letter, whole_letter=False)
                if f.category == "length"]

    # The list of enclosures is long enough to tip the letter over the limit if it counted.
    assert len(welsh.markdown.partition("\n## Amgaeadau")[2].split()) > 10
    assert length_advice(MAX_WORDS - 5) == []
    (message,) = length_advice(MAX_WORDS + 5)
    assert message.startswith("the letter is long")
