"""The anonymised copy (`swletter redact`, `render --redacted`): nothing that names or locates
anyone survives in any part of the file, and what cannot be decided is listed to check."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import pytest

from letters import api
from letters.case.model import Case
from letters.compose.redact import child_labels, redact_case
from letters.compose.scrub import MONTHS, Person, Scrubber, shorten_dates
from letters.dates import long_date
from tests.conftest import CASES, GOLDEN, SHARED_EXAMPLES, TODAY
from tests.readers import pdf_text, require_poppler


def _golden_cases() -> list[Path]:
    found = []
    for golden in sorted(GOLDEN.glob("*.md")):
        stem = golden.stem
        for folder in (CASES, SHARED_EXAMPLES):
            for ext in (".yaml", ".json"):
                if (folder / f"{stem}{ext}").exists():
                    found.append(folder / f"{stem}{ext}")
    return found


GOLDEN_CASES = _golden_cases()


def _dates(case: Case) -> list[dt.date]:
    days = [case.date, case.social_worker.allocated_since,
            *(c.date_of_birth for c in case.children), *(e.date for e in case.evidence),
            *(s.date for s in case.supporting_statements)]

    def walk(value: object) -> None:
        if isinstance(value, dt.date):
            days.append(value)
        elif isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, tuple | list):
            for v in value:
                walk(v)

    walk(case.grounds)
    return [d for d in days if d is not None]


def identifying_strings(case: Case) -> list[str]:
    """Every original string an anonymised copy must not contain."""
    names = [case.sender.name, case.social_worker.name, *(c.name for c in case.children),
             *(s.author for s in case.supporting_statements), *(p.name for p in case.copy_to)]
    if case.recipient.name:
        names.append(case.recipient.name)
    if "recommended_worker" in case.grounds:
        names.append(case.grounds["recommended_worker"]["name"])
    parts = [p.strip(".,") for n in names for p in re.split(r"[\s-]+", n)]
    found = names + [p for p in parts if len(p) >= 3]
    found += [*case.sender.address, *case.recipient.address, case.recipient.organisation]
    found += [v for v in (case.sender.phone, case.sender.email, case.recipient.email,
                          case.case_reference, case.recipient.team) if v]
    if "complaint" in case.grounds and case.grounds["complaint"].get("reference"):
        found.append(case.grounds["complaint"]["reference"])
    for day in _dates(case):
        found += [long_date(day), day.isoformat(), f"{day.day} {MONTHS[day.month - 1]}"]
    return found


def _leaks(text: str, originals: list[str]) -> list[str]:
    return [o for o in originals
            if re.search(rf"(?<!\w){re.escape(o)}(?!\w)", text, re.IGNORECASE)]


def _docx_parts(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return "\n".join(zf.read(n).decode("utf-8") for n in zf.namelist()
                         if n.endswith((".xml", ".rels")))


@pytest.mark.parametrize("path", GOLDEN_CASES, ids=lambda p: p.stem)
def test_no_original_string_survives_in_any_part_of_the_docx_or_pdf(path: Path,
                                                                      tmp_path: Path) -> None:
    require_poppler()
    case = api.read_case(path)
    originals = identifying_strings(case)
    rendered = api.render_redacted(case, today=TODAY)
    for fmt in ("md", "html"):
        assert _leaks(api.document_bytes(rendered, fmt).decode("utf-8"), originals) == []
    assert _leaks(_docx_parts(api.document_bytes(rendered, "docx")), originals) == []
    pdf = tmp_path / "copy.pdf"
    pdf.write_bytes(api.document_bytes(rendered, "pdf"))
    assert _leaks(pdf_text(pdf), originals) == []
    # The PDF's own properties too (pdftotext reads only the pages).
    assert _leaks(api.document_bytes(rendered, "pdf").decode("latin-1"), originals) == []


def test_the_golden_cases_are_all_found() -> None:
    assert len(GOLDEN_CASES) == len(list(GOLDEN.glob("*.md")))


def test_people_become_roles_consistently(shared_examples: Path) -> None:
    text = api.render_redacted(api.read_case(shared_examples / "case-full.yaml"),
                               today=TODAY).markdown
    # Sam (born 2017) is older than Lily (born 2020): Child A and Child B, everywhere.
    assert "mother of Child A (born May 2017) and Child B (born September 2020)" in text
    assert "Note from Child A's class teacher about what Child A has said." in text
    assert "at the hospital with Child B that day" in text
    assert "## Child A's views" in text
    assert "talk to the social worker" in text  # "Mr Smith" in the parent's own words
    assert "I would ask that the suggested social worker be considered" in text
    assert "Dear Sir or Madam" in text and "Yours faithfully\n" in text
    assert "Supporting statement from the independent advocate" in text
    assert "cc the independent reviewing officer" in text
    # Dates keep only their month and year, the letter's own and those in free text.
    assert "\nNovember 2026\n" in text
    assert "I refused a visit in May;" in text
    assert "five unanswered calls in June" in text


def test_the_note_comes_first_and_metadata_names_no_one(shared_examples: Path) -> None:
    rendered = api.render_redacted(api.read_case(shared_examples / "case-full.yaml"),
                                   today=TODAY)
    assert rendered.markdown.startswith("**Anonymised copy.**")
    assert "identify someone only in combination" in rendered.markdown.split("\n\n")[0]
    with zipfile.ZipFile(io.BytesIO(api.document_bytes(rendered, "docx"))) as zf:
        core = zf.read("docProps/core.xml").decode("utf-8")
    assert "<dc:creator></dc:creator>" in core
    assert "Child A and Child B" in core
    assert rendered.file_name("docx") == "anonymised-letter.docx"


def test_children_are_lettered_eldest_first_or_in_order() -> None:
    from letters.case.model import Child

    older, younger = Child("Ann Roe", dt.date(2015, 1, 1)), Child("Bo Roe", dt.date(2018, 1, 1))
    assert child_labels((younger, older)) == {"Ann Roe": "Child A", "Bo Roe": "Child B"}
    undated = Child("Cy Roe")
    assert child_labels((younger, undated)) == {"Bo Roe": "Child A", "Cy Roe": "Child B"}


@pytest.fixture
def scrubber() -> Scrubber:
    return Scrubber([Person("Child A", ("Samuel Okoro",)), Person("the social worker",
                                                                  ("John Smith",)),
                     Person("the mother", ("Rose Okoro",)),
                     Person("the advocate", ("William Tate",))],
                    [("12 Mill Lane", "[address removed]")])


@pytest.mark.parametrize(("text", "expected"), [
    ("Sam's teacher saw it.", "Child A's teacher saw it."),
    ("SAMUEL was upset.", "Child A was upset."),
    ("Sammy told me.", "Child A told me."),
    ("I rang Mr Smith twice.", "I rang the social worker twice."),
    ("Mr J. Smith did not come.", "The social worker did not come."),
    ("JS did not come.", "The social worker did not come."),
    ("Notes signed J.S. say so.", "Notes signed the social worker say so."),
    ("Jack said no.", "The social worker said no."),  # John's nickname
    ("He came to 12 Mill Lane.", "He came to [address removed]."),
    ("Mail rose.okoro@example.org now.", "Mail [email removed] now."),
    ("Bill Tate rang.", "The advocate rang."),
    ("Call 07700 900123.", "Call [phone number removed]."),
    ("Ref CP-2026-0413 applies.", "Ref [reference removed] applies."),
    ("We live at TN34 1AA.", "We live at [postcode removed]."),
    ("Mrs Okoro and Mr Okoro", "[name removed] and [name removed]"),  # shared surname
    ("It was the same day.", "It was the same day."),  # "Sam" inside a word stays
])
def test_free_text_is_scrubbed(scrubber: Scrubber, text: str, expected: str) -> None:
    assert scrubber.scrub(text)[0] == expected


def test_a_name_that_is_a_word_is_left_in_small_letters_and_listed(scrubber: Scrubber) -> None:
    text, unsure = scrubber.scrub("Rose said she rose early.")
    assert text == "The mother said she rose early."
    assert [u.word for u in unsure] == ["rose"]
    # A nickname that is a word ("Will", for William) is only taken for a name mid-sentence.
    text, unsure = scrubber.scrub("Will you ask Will?")
    assert text == "Will you ask the advocate?"
    assert [u.word for u in unsure] == ["Will"]


def test_capitalised_words_that_may_be_names_are_listed(scrubber: Scrubber) -> None:
    text, unsure = scrubber.scrub("Her friend Tamsin from Hastings saw Dr Khan in May.")
    assert text == "Her friend Tamsin from Hastings saw Dr Khan in May."
    assert [u.word for u in unsure] == ["Tamsin", "Hastings", "Khan"]


@pytest.mark.parametrize(("text", "expected"), [
    ("on 5 May 2026", "in May 2026"),
    ("between 2 and 16 June", "in June"),
    ("the visit of 5th of May", "the visit of May"),
    ("on Monday 5 May", "in May"),
    ("on May 5th, 2026", "in May 2026"),
    # "dated May" reads as a date with its day missing: "from May" does not.
    ("dated 05/05/2026", "from May 2026"),
    ("dated 2026-05-05", "from May 2026"),
    ("Hospital letter dated 5 May", "Hospital letter from May"),
    # A sentence's own full stop after the month stays; a short form's goes.
    ("It was on 5 May. Then", "It was in May. Then"),
    ("on 5 Sept. 2026", "in September 2026"),
])
def test_dates_in_free_text_keep_month_and_year(text: str, expected: str) -> None:
    assert shorten_dates(text) == expected


@pytest.mark.parametrize(("text", "code", "expected"), [
    # A Welsh date in the family's words loses its day too, whatever the copy's language.
    ("Ni ddaeth hi ar 5 Mai 2026.", "en", "Ni ddaeth hi ym mis Mai 2026."),
    ("Gwelais hi 5 Mai.", "cy", "Gwelais hi Mai."),
    ("dydd Mawrth 12 Mawrth", "cy", "Mawrth"),
    ("llythyr dyddiedig 20 Mai 2026", "cy", "llythyr o fis Mai 2026"),
    # A date in figures takes the copy's language: no English month inside Welsh.
    ("Cofnod 05/05/2026", "cy", "Cofnod Mai 2026"),
    ("Record 05/05/2026", "en", "Record May 2026"),
])
def test_welsh_dates_are_shortened_in_welsh(text: str, code: str, expected: str) -> None:
    assert shorten_dates(text, code) == expected


def test_the_welsh_copy_scrubs_welsh_dates_and_mutates_the_second_child() -> None:
    case = api.read_case(CASES.parent / "cases_cy" / "achos-llawn.yaml")
    text = api.render_redacted(case, language="cy").markdown
    assert "Plentyn A a Phlentyn B" in text
    assert "Plentyn A a Plentyn B" not in text
    assert not re.search(r"\b\d{1,2} (Ionawr|Chwefror|Mawrth|Ebrill|Mai|Mehefin|Gorffennaf|Awst|"
                         r"Medi|Hydref|Tachwedd|Rhagfyr)\b", text)


def test_the_note_warns_that_shortened_dates_need_care(shared_examples: Path) -> None:
    text = api.render_redacted(api.read_case(shared_examples / "case-full.yaml")).markdown
    assert ("dates are shortened to the month and year, so a sentence that gave two dates in "
            "the same month may need reading with care.") in text
    assert "Hospital appointment letter for Child B from May." in text


def test_what_to_check_names_the_field(tmp_path: Path) -> None:
    case = api.read_case(CASES / "recommended-wales-christmas.yaml")
    problems = redact_case(case).to_check
    assert {p.path for p in problems} == {"grounds.recommended_worker.recommended_by"}
    assert any('"Ysgol"' in p.message for p in problems)


def test_cli_redact_writes_the_copy_and_lists_what_to_check(runner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from cli import main

    case = tmp_path / "case.yaml"
    case.write_bytes((CASES / "recommended-wales-christmas.yaml").read_bytes())
    result = runner.invoke(main, ["redact", str(case), "--format", "md"])
    assert result.exit_code == 0, result.output
    written = tmp_path / "anonymised-letter.md"
    assert "Wrote" in result.stdout and written.exists()
    assert 'Check: grounds.recommended_worker.recommended_by: "Ysgol"' in result.stderr
    again = runner.invoke(main, ["render", "--redacted", str(case), "-o", "-"])
    assert again.exit_code == 0
    assert again.stdout == written.read_text(encoding="utf-8")


def test_a_date_given_as_a_month_is_in_that_month_never_on_it(shared_examples: Path) -> None:
    # Issue 16: the copy read "On October 2026 I made a complaint" and "allocated on January
    # 2026". A month is a span of time: "in October 2026".
    text = " ".join(api.render_redacted(api.read_case(shared_examples / "case-full.yaml"),
                                        today=TODAY).markdown.split())
    assert re.findall(r"\b[Oo]n (?:January|February|March|April|May|June|July|August|September"
                      r"|October|November|December) \d{4}", text) == []
    assert "In October 2026 I made a complaint (reference" in text
    # The worker is "the social worker" here: the copy says when, not "is the social worker".
    assert "social worker is the social worker" not in text
    assert "Child A and Child B's social worker was allocated in January 2026." in text
    # "by December 2026" would read as before December: the reply is due within the month.
    assert ("Please could you reply to me in writing within 10 working days of the date of this "
            "letter.") in text


def test_a_single_event_in_the_copy_happened_in_its_month() -> None:
    from letters.case.validate import case_from_data

    case = case_from_data({
        "date": "2026-11-23", "jurisdiction": "england",
        "sender": {"name": "Tom Green", "relationship": "father", "address": ["4 Mill Lane"]},
        "recipient": {"organisation": "Sefton Council", "address": ["Oriel Road"]},
        "social_worker": {"name": "Karen White"}, "children": [{"name": "Mia Green"}],
        "grounds": {"unprofessional_conduct": {"incidents": [
            {"date": "2026-06-02", "what": "The planned visit was cancelled that morning."}]}},
    }, source="case.yaml")
    text = " ".join(api.render_redacted(case, today=TODAY).markdown.split())
    assert "I would like to set out what happened in June 2026." in text
    assert "In June 2026, the planned visit was cancelled that morning." in text
