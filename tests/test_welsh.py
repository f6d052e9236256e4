"""Trustworthy Welsh (issue 18): the Welsh language data follows Welsh conventions and CLDR, every
fixed term is the glossary's and has a source, and a Welsh document has no English in it beyond
the family's own words.

These check whatever Welsh exists: the language data, swletter's Welsh templates
(``templates/*.cy.md.j2``) and questions (each ``*.cy.*`` file is found, not listed)."""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from letters import api
from letters.compose.language import Language, language
from letters.templating.helpers import Phrase

from .readers import pdf_text, require_poppler

CY = language("cy")
EN = language("en")
WELSH_CASE = Path(__file__).resolve().parent / "cases_cy" / "achos-llawn.yaml"


def _data(name: str) -> dict[str, Any]:
    return tomllib.loads(resources.files("letters.grounds").joinpath(name).read_text("utf-8"))


GLOSSARY = _data("_glossary_cy.toml")["term"]


# --------------------------------------------------------------------------------------------
# Welsh conventions in the language data


def test_welsh_dates_are_cldrs_without_ordinals() -> None:
    from babel import Locale

    assert CY.date(dt.date(2026, 12, 1)) == "1 Rhagfyr 2026"
    assert CY.date(dt.date(2026, 12, 1), "month") == "Rhagfyr 2026"
    assert CY.day(dt.date(2026, 12, 7)) == "Dydd Llun 7 Rhagfyr 2026"
    wide = Locale.parse("cy").months["format"]["wide"]
    assert [CY.date(dt.date(2026, m, 3)).split()[1] for m in range(1, 13)] == [
        wide[m] for m in range(1, 13)]


def test_welsh_lists_take_ac_before_a_vowel_sound() -> None:
    assert CY.join(["Osian", "Elin"]) == "Osian ac Elin"
    assert CY.join(["Elin", "Tomos"]) == "Elin a Tomos"
    assert CY.join(["Sam", "Lily", "Wil"]) == "Sam, Lily ac Wil"
    assert CY.join(["Sam", "Ŵyn"]) == "Sam ac Ŵyn"
    # Enclosure numbers, read in the decimal system: un, wyth, un deg un … begin with a vowel.
    assert CY.enclosure_label([2, 8]) == " (Amgaeadau 2 ac 8)"
    assert CY.enclosure_label([2, 3, 11]) == " (Amgaeadau 2, 3 ac 11)"
    assert CY.enclosure_label([3, 10]) == " (Amgaeadau 3 a 10)"
    assert CY.enclosure_label([4]) == " (Amgaead 4)"
    assert EN.join(["Sam", "Ava"]) == "Sam and Ava"  # English is unchanged


def test_welsh_counts_follow_babels_six_plural_categories() -> None:
    from babel import Locale

    categories = {n: Locale.parse("cy").plural_form(n) for n in (0, 1, 2, 3, 6, 10)}
    assert categories == {0: "zero", 1: "one", 2: "two", 3: "few", 6: "many", 10: "other"}
    assert {n: CY.plural(n) for n in categories} == categories
    assert CY.counted("working_days", 2) == "2 ddiwrnod gwaith"
    assert CY.counted("working_days", 10) == "10 diwrnod gwaith"
    assert CY.counted("working_days", 3) == "3 diwrnod gwaith"
    assert EN.counted("working_days", 1) == "1 working day"
    assert EN.counted("working_days", 10) == "10 working days"
    forms = _data("_language_cy.toml")["counts"]
    assert all(set(f) == {"zero", "one", "two", "few", "many", "other"} for f in forms.values())


def test_welsh_salutations_closes_and_possessives() -> None:
    assert CY.salutation("Ms", "Eleri Morgan") == ("Annwyl Ms Morgan", "Yn gywir")
    assert CY.salutation(None, "Eleri Morgan") == ("Annwyl Eleri Morgan", "Yn gywir")
    assert CY.salutation(None, None) == ("Annwyl Syr/Fadam", "Yn gywir")
    # No 's in Welsh: the owner follows the thing, unchanged ("lles Osian").
    assert CY.possessive("Osian") == "Osian"
    assert "'" not in CY.possessive("Tomos")


@pytest.mark.parametrize(("lang", "phrase"), [
    (CY, "Ebrill oedd y tro diwethaf i ni ei gweld"), (CY, "Tachwedd a Rhagfyr"),
    (CY, "Dydd Llun yn unig"), (EN, "April was the last visit"), (EN, "Monday visits stopped")])
def test_a_phrase_starting_with_a_month_or_day_keeps_its_capital(lang: Language,
                                                                 phrase: str) -> None:
    # A phrase inside a sentence has a plain capitalised first word lowered, but the name of a
    # month or a day of the week is written with a capital in Welsh as in English.
    assert Phrase([], lang)(phrase) == phrase
    assert Phrase([], lang)("Roedd hi yno") == "roedd hi yno"


def test_welsh_page_words_and_tag() -> None:
    assert CY.tag == "cy-GB"
    assert CY.page("header") == "Preifat a chyfrinachol"
    assert CY.footer_parts() == ("Tudalen ", " o ", "")


def test_every_document_kind_has_a_welsh_subject_and_title() -> None:
    from letters.compose.documents import document_kinds

    for kind in document_kinds():
        assert CY.subject(kind, ["Osian Prydderch"], "CP-1"), kind
    welsh, english = _data("_language_cy.toml"), _data("_language_en.toml")
    assert set(welsh["subjects"]) == set(english["subjects"])
    assert set(welsh["titles"]) == set(english["titles"])
    # A name is never put where Welsh would mutate it: not after "gan", "i", "dy" or "fy".
    for pattern in [*_data("_language_cy.toml")["subjects"].values(),
                    *_data("_language_cy.toml")["titles"].values()]:
        assert not re.search(r"\b(?:gan|i|dy|fy|a|ac)\s+\{(?:children|author|reference)\}",
                             pattern), pattern


def test_the_welsh_data_has_every_key_the_english_has() -> None:
    def keys(data: dict[str, Any], prefix: str = "") -> set[str]:
        out = set()
        for key, value in data.items():
            if isinstance(value, dict) and key not in ("counts", "language_choice"):
                out |= keys(value, f"{prefix}{key}.")
            else:
                out.add(prefix + key)
        return out

    english, welsh = _data("_language_en.toml"), _data("_language_cy.toml")
    # Welsh month and weekday names come from Babel; English ones are written out (and checked
    # against Babel by test_language.py).
    # [recognise] tells English text apart, for a letter meant to be in Welsh: Welsh needs none.
    missing = keys(english) - keys(welsh) - {"dates.months", "dates.weekdays",
                                             "recognise.common_words", "recognise.at_least"}
    assert missing == set()


# --------------------------------------------------------------------------------------------
# The glossary: a source for every term, and one Welsh word for one thing everywhere


def test_every_glossary_term_names_its_source_and_says_when_it_is_unconfirmed() -> None:
    assert len(GLOSSARY) >= 30
    for term in GLOSSARY:
        assert set(term) >= {"en", "cy", "forms", "avoid", "source", "confirmed"}, term["en"]
        assert len(term["source"]) > 30, term["en"]
        if not term["confirmed"]:
            assert re.search(r"not confirmed|could be found|no fixed|no published",
                             term["source"], re.I), term["en"]
    needed = {"social worker", "team manager", "children's services", "case reference",
              "enclosure", "complaint", "reply-by date", "supporting statement", "advocate",
              "Public Services Ombudsman for Wales", "Local Government and Social Care "
              "Ombudsman", "Scottish Public Services Ombudsman",
              "Northern Ireland Public Services Ombudsman",
              "Social Services and Well-being (Wales) Act 2014",
              "Welsh Language (Wales) Measure 2011", "Children Act 1989"}
    assert needed <= {t["en"] for t in GLOSSARY}


_MUTATIONS = {  # soft, nasal and aspirate forms of a word's first sound
    "p": ("b", "mh", "ph"), "t": ("d", "nh", "th"), "c": ("g", "ngh", "ch"), "b": ("f", "m"),
    "d": ("dd", "n"), "g": ("", "ng"), "m": ("f",), "ll": ("l",), "rh": ("r",),
}


def _forms(term: dict[str, Any]) -> set[str]:
    """A term, its listed forms, and each mutated form of them, lower-cased."""
    out = set()
    for word in (term["cy"], *term["forms"]):
        word = word.lower()
        out.add(word)
        for first in ("ll", "rh", *"ptcbdgm"):
            if word.startswith(first):
                out |= {new + word[len(first):] for new in _MUTATIONS[first]}
                break
    return out


def _welsh_texts() -> Iterator[tuple[str, str]]:
    """Every piece of Welsh swletter ships, with where it is: the Welsh data files, each Welsh
    template, and the Welsh message catalogue."""
    grounds = resources.files("letters.grounds")
    for entry in grounds.iterdir():
        if entry.name.endswith((".cy.toml", "_cy.toml")) and entry.name != "_glossary_cy.toml":
            yield entry.name, entry.read_text("utf-8")
    for entry in resources.files("letters.templates").iterdir():
        if ".cy." in entry.name:
            yield entry.name, entry.read_text("utf-8")
    catalogue = resources.files("letters").joinpath("locale/cy/LC_MESSAGES/swletter.po")
    if catalogue.is_file():
        yield "swletter.po", "\n".join(
            m.group(1) for m in re.finditer(r'^msgstr "(.*)"$', catalogue.read_text("utf-8"),
                                             re.M))


def test_no_welsh_text_uses_a_word_the_glossary_sets_aside() -> None:
    texts = list(_welsh_texts())
    assert {name for name, _ in texts} >= {"_language_cy.toml"}
    for name, text in texts:
        lowered = text.lower()
        for term in GLOSSARY:
            for word in term["avoid"]:
                found = rf"(?<!\w){re.escape(word.lower())}(?!\w)"
                if term.get("avoid_alone"):
                    # A close: wrong on a line of its own, or as a whole value in a data file.
                    found = rf'(?:^|")[ \t]*{re.escape(word.lower())}[ \t]*(?:$|")'
                assert not re.search(found, lowered, re.M), \
                    f"{name} says {word!r}; the glossary's word for {term['en']!r} is " \
                    f"{term['cy']!r}"


def _parallel(english: Any, welsh: Any, where: str = "") -> Iterator[tuple[str, str, str]]:
    """(where, English, Welsh) for each piece of text at the same place in two data files."""
    if isinstance(english, dict) and isinstance(welsh, dict):
        for key in english.keys() & welsh.keys():
            yield from _parallel(english[key], welsh[key], f"{where}.{key}")
    elif isinstance(english, list) and isinstance(welsh, list) and len(english) == len(welsh):
        for i, (e, w) in enumerate(zip(english, welsh, strict=True)):
            yield from _parallel(e, w, f"{where}[{i}]")
    elif isinstance(english, str) and isinstance(welsh, str):
        yield where, english, welsh


def _pairs() -> Iterator[tuple[str, str, str]]:
    """Every English text with its Welsh counterpart: the language files and the questions
    files side by side, and each Welsh template beside its English one."""
    for english, welsh in (("_language_en.toml", "_language_cy.toml"),
                           ("_complaints.toml", "_complaints_cy.toml"),
                           ("_questions.toml", "_questions.cy.toml"),
                           ("_web_en.toml", "_web_cy.toml")):
        grounds = resources.files("letters.grounds")
        if grounds.joinpath(welsh).is_file():
            yield from ((f"{welsh}{w}", e, c) for w, e, c in _parallel(_data(english),
                                                                        _data(welsh)))
    templates = resources.files("letters.templates")
    for entry in templates.iterdir():
        if ".cy." in entry.name:
            english_name = entry.name.replace(".cy.", ".")
            yield entry.name, _words_of(templates.joinpath(english_name).read_text("utf-8")), \
                _counted_words(_words_of(entry.read_text("utf-8")))


def _words_of(template: str) -> str:
    """A template without its comments ({# … #}), which no document prints."""
    return re.sub(r"\{#.*?#\}", " ", template, flags=re.S)


def _counted_words(template: str) -> str:
    """A Welsh template with each ``counted("working_days", n)`` as the words it prints: the
    language file's form for the count ("10 diwrnod gwaith"), itself checked against the
    glossary."""
    counts = _data("_language_cy.toml")["counts"]
    return re.sub(r'counted\("(\w+)",[^)]*\)',
                  lambda m: str(counts[m.group(1)]["other"]).format(n="N"), template)


def test_where_the_english_uses_a_glossary_term_the_welsh_uses_the_glossarys() -> None:
    checked = 0
    for where, english, welsh in _pairs():
        for term in GLOSSARY:
            if term.get("keep_english") and term["en"] == term["cy"]:
                continue
            if re.search(rf"(?<!\w){re.escape(term['en'])}s?(?!\w)", english, re.I):
                checked += 1
                welsh_text = " ".join(welsh.lower().split())
                assert any(f in welsh_text for f in _forms(term)), \
                    f"{where}: the English says {term['en']!r}, the Welsh should say " \
                    f"{term['cy']!r} (grounds/_glossary_cy.toml): {welsh!r}"
    assert checked >= 10


# --------------------------------------------------------------------------------------------
# No English in a Welsh document, beyond the family's own words


#: Common English words that are not also Welsh words (so "a", "i", "o", "am", "at", "is",
#: "to", "do", "all", "can" and "her", which Welsh has too, are left out).
ENGLISH = frozenset(" ".join((
    "the and of for with this that from your you my we our have has had been not please dear",
    "yours sincerely faithfully enclosure enclosures page private confidential reply request",
    "requests worker workers children child council letter which will would should by on in it",
    "as are was were be date born who what when if or but cannot there their they them he",
    "she his him its than then into about also more any because does did being",
    "social services team manager case reference statement supporting complaint working days",
    "day reminder reasons",
)).split())


def _family_words(case: Any) -> set[str]:
    """Every word of the case's own values (names, addresses, what the family wrote)."""
    from dataclasses import asdict, is_dataclass

    words: set[str] = set()

    def walk(value: Any) -> None:
        if isinstance(value, str):
            words.update(w.lower() for w in re.findall(r"[^\W\d_]+", value))
        elif is_dataclass(value) and not isinstance(value, type):
            walk(asdict(value))
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list | tuple):
            for item in value:
                walk(item)

    walk(case)
    return words


def _kept_english() -> set[str]:
    """The words of names the glossary keeps in English (a body with no Welsh name)."""
    return {w.lower() for t in GLOSSARY if t.get("keep_english")
            for w in re.findall(r"[^\W\d_]+", t["en"])}


#: The day the follow-ups are written, after the first letter's reply-by date.
LATER = dt.date(2026, 12, 14)


@pytest.fixture(scope="module")
def welsh_documents() -> dict[str, Any]:
    """Every kind of document swletter writes in Welsh, from a case whose family writes in
    Welsh, with swletter's own Welsh templates, and its anonymised copy (whose roles and
    "[… wedi'i dynnu]" come from the Welsh language file)."""
    from letters.compose.followup import FirstLetter

    case = api.read_case(WELSH_CASE)
    first = FirstLetter(dt.date(2026, 11, 23))
    documents: dict[str, Any] = {
        "request": api.render_request(case),
        **{kind: api.render_followup(case, kind, first, today=LATER)
           for kind in ("chaser", "reasons", "complaint")},
        "statement": api.draft_statement_for(case),
        "next_steps": api.render_next_steps(case),
        "redacted": api.render_redacted(case),
    }
    for sheet in api.render_easyread(case):
        documents[f"easyread-{sheet.who.split()[0].lower()}"] = sheet
    return {**documents, "case": case}


#: Every kind of Welsh document the test reads, and every format it is written in.
WELSH_KINDS = ["request", "chaser", "reasons", "complaint", "statement", "next_steps",
               "easyread-osian", "easyread-elin", "redacted"]


#: What is not prose: swletter's commands, which a sheet quotes as they are typed
#: (`swletter followup ACHOS --kind complaint`), the pictures' licence (CC BY-SA 4.0), and the
#: Easy Read sheet's Markdown marks of its pictures (<!-- picture: child -->).
NOT_PROSE = re.compile(r"swletter [a-z-]+(?: [A-Z]+)?(?: --[a-z-]+(?: [a-z]+)?)*|CC BY-SA"
                       r"|<!-- picture: \w+ -->")


def _english_in(text: str, case: Any) -> list[str]:
    allowed = _family_words(case) | _kept_english()
    text = NOT_PROSE.sub(" ", text)
    words = [w.lower() for w in re.findall(r"[^\W\d_]+", text)]
    return sorted({w for w in words if w in ENGLISH and w not in allowed})


@pytest.mark.parametrize("fmt", ["md", "html", "docx", "pdf"])
@pytest.mark.parametrize("kind", WELSH_KINDS)
def test_a_welsh_document_has_no_english_beyond_the_familys_words(
        welsh_documents: dict[str, Any], kind: str, fmt: str, tmp_path: Path) -> None:
    rendered = welsh_documents[kind]
    data = rendered.to_bytes(fmt)
    if fmt == "docx":
        import io
        import zipfile

        with zipfile.ZipFile(io.BytesIO(data)) as package:
            xml = " ".join(package.read(n).decode("utf-8") for n in package.namelist()
                           if n.startswith("word/") and n.endswith(".xml"))
        text = " ".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml))
    elif fmt == "pdf":
        require_poppler()
        path = tmp_path / "llythyr.pdf"
        path.write_bytes(data)
        text = pdf_text(path)
    elif fmt == "html":
        text = re.sub(r"<[^>]+>", " ", data.decode("utf-8").split("<body>", 1)[1])
    else:
        text = data.decode("utf-8")
    assert _english_in(text, welsh_documents["case"]) == []


def test_a_welsh_next_steps_calendar_has_no_english_beyond_the_familys_words(
        welsh_documents: dict[str, Any]) -> None:
    from icalendar import Calendar

    ics = api.next_steps_calendar(welsh_documents["next_steps"],
                                  stamp=dt.datetime(2026, 11, 23, 9, tzinfo=dt.UTC))
    calendar = Calendar.from_ical(ics)
    events = calendar.walk("VEVENT")
    assert len(events) > 3
    words = [str(calendar.get("x-wr-calname"))]
    words += [str(event.get(field)) for event in events for field in ("summary", "description")]
    assert any("Rhagfyr 2026" in text for text in words)  # the dates are Welsh too
    assert _english_in(" ".join(words), welsh_documents["case"]) == []


def test_the_english_word_check_finds_english() -> None:
    case = api.read_case(WELSH_CASE)
    assert _english_in("Yn gywir. Please reply by 3 Ebrill.", case) == ["by", "please", "reply"]


def test_a_welsh_easy_read_sheet_names_an_advocate_whose_role_is_in_welsh(
        welsh_documents: dict[str, Any]) -> None:
    # The case's advocate is "Catrin Owen, Eiriolwr Annibynnol".
    sheet = welsh_documents["easyread-osian"].markdown
    assert "Eiriolwr yw Catrin." in sheet
    assert "Gelli di ofyn am eiriolwr." not in sheet


def test_a_welsh_easy_read_sheet_describes_its_pictures_in_welsh(
        welsh_documents: dict[str, Any]) -> None:
    sheet = welsh_documents["easyread-osian"]
    page = sheet.to_bytes("html").decode("utf-8")
    assert 'alt="Amlen"' in page and 'alt="An envelope"' not in page
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(sheet.to_bytes("docx"))) as package:
        document = package.read("word/document.xml").decode("utf-8")
    assert 'descr="Amlen"' in document and 'descr="An envelope"' not in document
