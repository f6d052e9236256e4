"""The interview in Welsh (issue 18): `swletter new --language cy` and the web form in Welsh ask
every question, help text, example and message in Welsh, check answers with Welsh messages, and
write a case whose letter is in Welsh."""

from __future__ import annotations

import datetime as dt
import json
import re
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from flask import Flask

from cli import main
from letters.case.validate import load_case
from letters.config import Settings
from letters.interview import Interview, Rejected, load_questions
from letters.interview.plan import build_plan
from letters.web import create_app

from .conftest import TODAY
from .test_welsh import ENGLISH, GLOSSARY
from .web_parent import Parent, fields_for, text_of


def _data(name: str) -> dict[str, Any]:
    return tomllib.loads(resources.files("letters.grounds").joinpath(name).read_text("utf-8"))


# --------------------------------------------------------------------------------------------
# The Welsh questions file matches the English one


def _keys(data: Any, where: str = "") -> set[str]:
    """Every key of a questions file, sections by id and questions by field."""
    out: set[str] = set()
    if isinstance(data, dict):
        for key, value in data.items():
            out.add(f"{where}.{key}")
            out |= _keys(value, f"{where}.{key}")
    elif isinstance(data, list):
        for item in data:
            name = item.get("id") or item.get("field") if isinstance(item, dict) else None
            out |= _keys(item, f"{where}[{name}]")
    return out


#: What the English takes from elsewhere (a ground's own file, the case schema), and the Welsh
#: file gives in Welsh: ground titles, summaries and guidance, and the labels of choices.
WELSH_ONLY = re.compile(r"^\.grounds\b|\.choice_labels$")


def test_every_english_question_key_has_its_welsh_and_no_more() -> None:
    english, welsh = _keys(_data("_questions.toml")), _keys(_data("_questions.cy.toml"))
    assert english - welsh == set()
    assert {k for k in welsh - english if not WELSH_ONLY.search(k)} == set()
    # Every ground has its Welsh title, summary and guidance.
    from letters.case.grounds import load_grounds

    grounds = _data("_questions.cy.toml")["grounds"]
    assert {g.id for g in load_grounds()} == set(grounds)
    assert all(set(v) == {"title", "summary", "guidance"} for v in grounds.values())


def test_every_message_keeps_its_blanks_in_welsh() -> None:
    english, welsh = load_questions("en").messages, load_questions("cy").messages

    def blanks(text: str) -> set[str]:  # {item} and {Item} are the same word, as written
        return {b.lower() for b in re.findall(r"\{(\w+)\}", text)}

    for name, text in english.items():
        if isinstance(text, str):
            assert blanks(text) == blanks(welsh[name]), name


def _english_words(text: str) -> list[str]:
    """The common English words in ``text``, leaving out what is not prose: {blanks} the
    program fills in, swletter's commands and options, and the English names the glossary
    keeps (a body with no Welsh name)."""
    kept = {w.lower() for t in GLOSSARY if t.get("keep_english")
            for w in re.findall(r"[^\W\d_]+", t["en"])}
    text = re.sub(r"\{\w+\}|swletter [a-z -]+|--[a-z-]+", " ", text)
    return sorted({w for w in re.findall(r"[^\W\d_]+", text.lower())
                   if w in ENGLISH and w not in kept})


def _welsh_case_data() -> dict[str, Any]:
    from letters.interview import load_answers

    data = load_answers(Path(__file__).resolve().parent / "cases_cy" / "achos-llawn.yaml")
    data["grounds"]["unprofessional_conduct"]["cite_standard"] = True
    return data


def test_everything_a_welsh_interview_shows_is_welsh() -> None:
    steps = build_plan(_welsh_case_data(), base_dir=".", language="cy")
    questions = load_questions("cy")
    shown: list[tuple[str, str]] = []
    for step in steps:
        q = step.question
        for part in ("text", "help", "label", "web_text", "web_help", "example", "item",
                     "note", "default"):
            shown.append((f"{q.key}.{part}", getattr(q, part)))
        shown += [(f"{q.key}.choice", c.label + " " + c.explanation) for c in q.choices]
        shown += [(f"{q.section.id}.section", f"{q.section.title} {q.section.intro} "
                                              f"{q.section.web_intro}")]
    shown += [(f"messages.{k}", " ".join(v.values()) if isinstance(v, dict) else str(v))
              for k, v in questions.messages.items()]
    # The family's own answers are in Welsh too, so nothing shown may be English.
    found = {where: _english_words(text) for where, text in shown if _english_words(text)}
    assert found == {}
    assert len(steps) > 60


# --------------------------------------------------------------------------------------------
# Welsh messages from the code: validation, dates as typed


def _extracted() -> list[str]:
    from babel.messages.extract import extract_from_file

    root = Path(__file__).resolve().parent.parent / "letters"
    found = []
    # The modules that say sentences through letters.translations. (The interview's ``say`` is
    # the questions file's look-up of a message by its name: its words are data, checked above.)
    sayers = [p for p in sorted(root.rglob("*.py"))
              if "from letters.translations import" in p.read_text(encoding="utf-8")
              and p.parent.name != "interview"]
    assert len(sayers) >= 3
    for path in sayers:
        for _, message, _, _ in extract_from_file("python", str(path), keywords={"say": None}):
            if isinstance(message, str) and message not in found:
                found.append(message)
    return found


def test_every_sentence_the_code_says_has_its_welsh() -> None:
    from letters.translations import translations

    catalogue = translations("cy")
    messages = _extracted()
    assert len(messages) > 50
    for message in messages:
        welsh = catalogue.gettext(message)
        assert welsh != message, f"no Welsh for: {message}"
        assert set(re.findall(r"\{(\w+)\}", message)) == set(re.findall(r"\{(\w+)\}", welsh)), \
            message
        assert _english_words(welsh) == [], (message, welsh)


@pytest.mark.parametrize(("typed", "said"), [
    ("31 Chwefror 2026", "nid oes 31 Chwefror; mae 28 diwrnod ym mis Chwefror."),
    ("29/2/2027", "nid oes 29 Chwefror yn 2027: nid yw'n flwyddyn naid."),
    ("Ebrill 2026", "rhowch y diwrnod yn ogystal â'r mis a'r flwyddyn, fel 3 Ebrill 2026."),
    ("dydd Mercher", "nid yw hwn yn ddyddiad y gallaf ei ddarllen."),
])
def test_a_date_answer_is_refused_in_welsh(typed: str, said: str) -> None:
    interview = Interview(language="cy", today=TODAY, base_dir=None)
    interview.go_to("children[1].date_of_birth")
    outcome = interview.submit(typed)
    assert isinstance(outcome, Rejected)
    assert outcome.problem.message.lower().startswith(said.lower().rstrip("."))


@pytest.mark.parametrize(("typed", "read_as"), [
    ("3 Ebrill 2026", "2026-04-03"), ("dydd Gwener 3 Ebrill 2026", "2026-04-03"),
    ("3ydd o Fehefin 2026", "2026-06-03"), ("1af Mawrth 2026", "2026-03-01"),
    ("heddiw", TODAY.isoformat()),
])
def test_dates_typed_in_welsh_are_read(typed: str, read_as: str) -> None:
    from letters.case.typed_dates import read_date

    assert read_date(typed, today=TODAY).iso == read_as


def test_range_and_choice_problems_are_said_in_welsh() -> None:
    interview = Interview(language="cy", today=TODAY, base_dir=None)
    interview.go_to("response_within_working_days")
    outcome = interview.submit("99")
    assert isinstance(outcome, Rejected)
    assert outcome.problem.message == "mae 99 y tu allan i'r ystod; defnyddiwch rif o 1 i 60."
    interview.go_to("jurisdiction")
    outcome = interview.submit("7")
    assert isinstance(outcome, Rejected)
    assert outcome.problem.message == "nid oes rhif 7 yma; dewiswch rif o 1 i 4."
    interview.go_to("sender.name")
    outcome = interview.submit("")
    assert isinstance(outcome, Rejected) and outcome.problem.message == "mae angen ateb yma."


def test_the_case_a_welsh_web_form_sends_is_checked_in_welsh() -> None:
    from letters import api
    from letters.errors import CaseError

    with pytest.raises(CaseError) as err:
        api.read_case_data({"language": "cy"}, language="cy")
    messages = [p.message for p in err.value.problems]
    assert "mae angen hwn, ond mae ar goll." in messages
    assert any(m.startswith("mae angen o leiaf un sail") for m in messages)


# --------------------------------------------------------------------------------------------
# The tone check on Welsh: what needs no word list, and a note that says so


def test_the_tone_check_reads_welsh_for_capitals_punctuation_and_length_only() -> None:
    from letters.advice.tone import check_text

    text = ("Dywedodd Mr Huws ei fod yn gelwyddgi. Ni ddaeth i'r cyfarfod o GWBL!!! "
            + "A " * 35 + ".")
    found = check_text(text, language="cy", names=["Gareth Huws"])
    assert [(f.category, f.words) for f in found][:2] == [("shouting", "GWBL"),
                                                          ("shouting", "!!!")]
    assert found[0].message.startswith('"GWBL" mewn priflythrennau')
    assert any(f.category == "long_sentence" for f in found)
    # English words in Welsh text are not judged by the English lists either.
    assert check_text("Mae e'n liar.", language="cy") == []


def test_check_says_in_welsh_that_the_word_lists_are_english(tmp_path: Path) -> None:
    case = tmp_path / "achos.yaml"
    case.write_text((Path(__file__).resolve().parent / "cases_cy" / "achos-llawn.yaml")
                    .read_text(encoding="utf-8"), encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(case)])
    assert result.exit_code == 0, result.output
    assert "Mae rhestrau geiriau'r gwiriad tôn yn Saesneg" in result.output


# --------------------------------------------------------------------------------------------
# `swletter new --language cy`, from piped answers


NATION = ["2"]
YOU = ["Siân Prydderch", "mam", "12 Stryd y Bont, Aberaeron, SA46 0AA", "", ""]
CHILDREN = ["Osian Prydderch", "31 Chwefror 2016", "9 Mawrth 2016", "ie", "Elin Prydderch", "",
            "na"]
WORKER = ["Gareth Huws", "Mr", "12 Ionawr 2026", "CP-2026-0917"]
MANAGER = ["Eleri Morgan", "Ms", "Rheolwr Tîm", "", "Cyngor Sir Ceredigion",
           "Canolfan Rheidol, Rhodfa Padarn, Aberystwyth, SY23 3UE", "", ""]
GROUNDS = ["1, 3"]
COMMUNICATION = ["Ers mis Ebrill, nid yw fy negeseuon e-bost wedi cael ateb.", ""]
CHILD = ["1", "Mae Osian wedi dweud wrth ei athro yr hoffai gael rhywun newydd."]
EVIDENCE = ["ie", "3/4/2026", "e-bost", "Fy e-bost yn gofyn am gyswllt, na chafodd ateb.",
            "", "1", "na"]
REST = ["na", "na", "99", "10", "", "na"]


def test_a_welsh_interview_from_piped_answers_writes_a_welsh_case(tmp_path: Path) -> None:
    answers = "".join(line + "\n" for group in (NATION, YOU, CHILDREN, WORKER, MANAGER, GROUNDS,
                                                 COMMUNICATION, CHILD, EVIDENCE, REST)
                      for line in group)
    target = tmp_path / "achos.yaml"
    result = CliRunner().invoke(main, ["new", "--language", "cy", "-o", str(target)],
                                input=answers)
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Amdanoch chi" in out and "Beth yw eich enw llawn?" in out
    assert "Mae'n ddrwg gennyf: Nid oes 31 Chwefror" in out  # the date, refused in Welsh
    assert "Mae'n ddrwg gennyf: Mae 99 y tu allan i'r ystod" in out
    assert "(3 Ebrill 2026)" in out  # 3/4/2026, read back as a Welsh date
    assert "Wedi cadw eich achos yn" in out and "Pan fyddwch yn barod" in out
    case = load_case(target)
    assert case.language == "cy" and case.jurisdiction == "wales"
    assert case.children[0].date_of_birth == dt.date(2016, 3, 9)
    assert case.evidence[0].type == "email" and case.evidence[0].date == dt.date(2026, 4, 3)
    assert case.grounds["communication_breakdown"]["evidence"] == ("E1",)
    # The interview's own words are Welsh throughout; only the family's answers are theirs.
    spoken = "\n".join(line for line in out.splitlines() if not line.startswith("  Er "))
    assert _english_words(spoken.replace(str(tmp_path), "")) == []
    saved = yaml.safe_load(target.read_text(encoding="utf-8"))
    assert saved["language"] == "cy"


def test_new_from_a_welsh_case_carries_on_in_welsh(tmp_path: Path) -> None:
    target = tmp_path / "achos.yaml"
    target.write_text("language: cy+en\nsender: {name: Siân Prydderch}\nincomplete: true\n",
                      encoding="utf-8")
    result = CliRunner().invoke(main, ["new", "--from", str(target)], input="")
    assert "Eich atebion" in result.output and "Amdanoch chi" in result.output
    assert "Your answers" not in result.output


def test_a_saved_interview_state_keeps_its_language() -> None:
    interview = Interview(language="cy", today=TODAY, base_dir=None)
    state = json.loads(json.dumps(interview.state()))
    assert state["language"] == "cy" and state["answers"]["language"] == "cy"
    again = Interview.from_state(state, base_dir=None, today=TODAY)
    first = again.next_question()
    assert again.language == "cy" and first is not None
    assert first.text == "Ym mha ran o'r DU mae'r cyngor neu'r ymddiriedolaeth?"
    del state["language"]  # a state from before interviews had a language
    assert Interview.from_state(state, base_dir=None, today=TODAY).language == "en"
    from letters.interview import StateError

    with pytest.raises(StateError):
        Interview.from_state({**state, "language": "fr"}, base_dir=None, today=TODAY)


# --------------------------------------------------------------------------------------------
# The web form in Welsh


WEB_JOURNEY: list[tuple[str, Any]] = [
    ("jurisdiction", "2"),
    ("sender.name", "Siân Prydderch"),
    ("sender.relationship", "mam"),
    ("sender.address", "12 Stryd y Bont\nAberaeron\nSA46 0AA"),
    ("sender.email", ""),
    ("sender.phone", ""),
    ("children[1].name", "Osian Prydderch"),
    ("children[1].date_of_birth", ("9", "3", "2016")),
    ("children[1].more", "na"),
    ("social_worker.name", "Gareth Huws"),
    ("social_worker.title", "Mr"),
    ("social_worker.allocated_since", ("12", "Ionawr", "2026")),
    ("case_reference", "CP-2026-0917"),
    ("recipient.name", "Eleri Morgan"),
    ("recipient.title", "Ms"),
    ("recipient.role", "Rheolwr Tîm"),
    ("recipient.team", ""),
    ("recipient.organisation", "Cyngor Sir Ceredigion"),
    ("recipient.address", "Canolfan Rheidol\nRhodfa Padarn\nAberystwyth\nSY23 3UE"),
    ("recipient.email", ""),
    ("language", "2"),
    ("grounds", ["1"]),
    ("grounds.communication_breakdown.summary",
     "Ers mis Ebrill, nid yw fy negeseuon e-bost wedi cael ateb."),
    ("grounds.communication_breakdown.impact", ""),
    ("evidence.any", "ie"),
    ("evidence[1].date", ("3 Ebrill 2026", "", "")),
    ("evidence[1].type", "1"),
    ("evidence[1].description", "Fy e-bost yn gofyn am gyswllt, na chafodd ateb."),
    ("evidence[1].supports", "ie"),
    ("evidence[1].more", "na"),
    ("supporting_statements.any", "na"),
    ("copy_to.any", "na"),
    ("response_within_working_days", "10"),
]


@pytest.fixture
def welsh_app() -> Flask:
    return create_app(Settings(), today=lambda: TODAY)


def test_a_parent_completes_the_web_form_in_welsh(welsh_app: Flask) -> None:
    parent = Parent(welsh_app.test_client())
    parent.open("/")
    assert 'href="/?language=cy"' in parent.text and ">Cymraeg</a>" in parent.text
    parent.open("/?language=cy")
    assert '<html lang="cy-GB">' in parent.text
    assert parent.heading == "Ysgrifennu llythyr yn gofyn am newid gweithiwr cymdeithasol"
    assert 'href="/questions?language=cy"' in parent.text
    parent.open("/questions?language=cy")
    for key, value in WEB_JOURNEY:
        assert json.loads(parent.state())["at"] == key, (key, parent.heading)
        page = parent.answer(value)
        assert page.status_code == 200
        assert "Mae problem wedi codi" not in parent.text, (key, text_of(parent.text)[:2000])
        assert '<html lang="cy-GB">' in parent.text
    assert parent.heading == "Gwirio eich atebion"
    summary = text_of(parent.text)
    assert "Iaith y llythyr Cymraeg" in summary and "Rhan o'r DU Cymru" in summary
    parent.post("/letter")
    assert parent.heading == "Eich llythyr"
    preview = text_of(parent.text)
    assert "Annwyl Ms Morgan" in preview and "Yn gywir" in preview
    assert 'lang="cy-GB"' in parent.text
    word = parent.client.post("/download", data={**parent.hidden("/download"),
                                                 "format": "docx"})
    assert word.headers["Content-Disposition"] == \
        'attachment; filename="letter-osian-prydderch-2026-11-23-cy.docx"'
    # No page of the journey showed English words of its own.
    for page in parent.seen[2:]:
        body = page.split("<main", 1)[1].split("</main>", 1)[0]
        body = re.sub(r'<input type="hidden"[^>]*>', "", body)
        assert _english_words(text_of(body)) == [], text_of(body)[:500]


def test_a_welsh_web_page_says_problems_in_welsh(welsh_app: Flask) -> None:
    parent = Parent(welsh_app.test_client())
    parent.open("/questions?language=cy")
    for _, value in WEB_JOURNEY[:7]:
        parent.answer(value)
    assert json.loads(parent.state())["at"] == "children[1].date_of_birth"
    parent.post("/questions", fields_for(("31", "2", "2015")))
    assert "Mae problem wedi codi" in parent.text
    assert "Nid oes 31 Chwefror; mae 28 diwrnod ym mis Chwefror." in text_of(parent.text)
    assert ">Diwrnod</label>" in parent.text and ">Blwyddyn</label>" in parent.text


def test_yes_and_no_are_the_interviews_words_on_a_welsh_page(welsh_app: Flask) -> None:
    parent = Parent(welsh_app.test_client())
    parent.open("/questions?language=cy")
    for _, value in WEB_JOURNEY[:8]:
        parent.answer(value)
    assert 'value="ie"' in parent.text and ">Ie</label>" in parent.text
    assert 'value="na"' in parent.text and ">Na</label>" in parent.text


def test_the_web_pages_have_their_words_in_both_languages() -> None:
    assert set(_data("_web_en.toml")) == set(_data("_web_cy.toml"))
    templates = resources.files("letters.web").joinpath("pages")
    used = set()
    for page in templates.iterdir():
        used |= set(re.findall(r"\bw\.(\w+)", page.read_text("utf-8")))
        used |= set(re.findall(r"w\[\"(\w+)\"\]", page.read_text("utf-8")))
    assert used <= set(_data("_web_en.toml")) | {"format"}
