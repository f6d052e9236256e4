"""The interview's questions as data: what a front end shows, and the questions file behind it.

``grounds/_questions.toml`` lists the sections and questions in the order they are asked, the
plainer wording for each ground's fields, and the interview's own sentences (``[messages]``).
Anything a question does not say is taken from the field's description in the case schema.

Each language has its own questions file with the same keys: ``_questions.cy.toml`` asks the
same questions in Welsh. Where the English takes words from the case schema or a ground's file
(a ground's title, summary and guidance; the labels of a field's choices), the Welsh file gives
its own (``[grounds.<id>]``, ``choice_labels``), so nothing English is left in a Welsh
interview.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from letters.case.grounds import Ground, read_shared_data
from letters.case.model import format_path
from letters.compose.language import LANGUAGES as WRITTEN_LANGUAGES
from letters.errors import GroundDefinitionError
from letters.text import capital

PathParts = tuple[str | int, ...]

#: Kinds of question beyond the case-field kinds: yes/no, the choice of grounds, and which of
#: the chosen grounds a piece of evidence supports.
YESNO, GROUNDS, CITES = "yesno", "grounds", "cites"


@dataclass(frozen=True)
class Section:
    """A group of questions under one heading, such as "About you"."""

    id: str
    title: str
    intro: str = ""
    #: The intro where the terminal's wording does not fit a web page (Enter, Ctrl-C).
    web_intro: str = ""


@dataclass(frozen=True)
class Choice:
    """One numbered option of a question."""

    number: int
    value: str
    label: str
    explanation: str = ""


@dataclass(frozen=True)
class Question:
    """One question, with everything a front end needs to ask it.

    ``key`` names this question's place in the interview (``children[2].name``), and is what a
    front end hands back to go to it again. ``path`` is where the answer goes in the case data
    (empty for yes/no questions that steer the interview). ``default`` is the answer already
    given, in the form the person would type it; an empty answer keeps it.
    """

    id: str
    text: str
    kind: str
    section: Section
    key: str = ""
    path: PathParts = ()
    item: str = ""
    label: str = ""
    help: str = ""
    example: str = ""
    required: bool = False
    choices: tuple[Choice, ...] = ()
    multiple: bool = False
    default: str = ""
    note: str = ""
    tone: str = ""
    #: Whether a month and year alone is an answer (a date that need not be exact).
    month_ok: bool = False
    #: The question and its help on a web page, where the terminal's wording speaks of
    #: pressing Enter or typing commas (empty: the same as ``text`` and ``help``).
    web_text: str = ""
    web_help: str = ""

    @property
    def field_path(self) -> str:
        """The case-file field this question fills, as ``evidence[2].date``."""
        return format_path(self.path)


@dataclass(frozen=True)
class QuestionSpec:
    """One question as the questions file gives it (any part left out comes from the field)."""

    field: str
    text: str = ""
    label: str = ""
    help: str = ""
    example: str = ""
    required: bool | None = None
    when: str = ""
    dont_know: tuple[str, ...] = ()
    not_future: bool = False
    tone: str = ""
    kind: str = ""
    choice_labels: tuple[str, ...] = ()
    month_ok: bool = False
    web_text: str = ""
    web_help: str = ""
    #: Asked only where the case file is in a folder on this computer (an evidence file's
    #: name): not in the web form, which has no folder and keeps nothing.
    needs_folder: bool = False
    #: False: the field's default is never offered as the answer (the part of the UK must be
    #: chosen, not assumed).
    offer_default: bool = True


@dataclass(frozen=True)
class SectionSpec:
    """A section as the questions file gives it; ``group`` repeats it for each item of a list."""

    id: str
    title: str = ""
    intro: str = ""
    web_intro: str = ""
    kind: str = ""
    group: str = ""
    item: str = ""
    min: int = 0
    first: str = ""
    more: str = ""
    text: str = ""
    web_text: str = ""
    label: str = ""
    example: str = ""
    questions: tuple[QuestionSpec, ...] = ()


@dataclass(frozen=True)
class Questions:
    """The parsed questions file: sections in order, plainer wording for ground fields, and the
    interview's own sentences by name, in one language."""

    sections: tuple[SectionSpec, ...]
    ground_wording: Mapping[str, Mapping[str, Any]]
    messages: Mapping[str, Any]
    #: The language the questions are in (``en``, ``cy``).
    language: str = "en"
    #: A ground's title, summary and guidance in this language, where they are not the ground
    #: file's own (English) words.
    grounds_text: Mapping[str, Mapping[str, str]] = dataclasses.field(default_factory=dict)

    def ground_text(self, ground: Ground, part: str) -> str:
        """A ground's ``title``, ``summary`` or ``guidance`` in the questions' language."""
        given = self.grounds_text.get(ground.id, {}).get(part)
        return str(given) if given else str(getattr(ground, part))

    def date(self, day: dt.date) -> str:
        """A date as the person reads it in this language: "3 April 2026", "3 Ebrill 2026"."""
        from letters.compose.language import language

        return language(self.language).date(day)

    def answer(self, value: Any, kind: str) -> str:
        """A stored value as the person would type it, in the questions' language."""
        from letters.interview.answers import answer_text

        return answer_text(value, kind, date_text=self.date,
                           yes_no=(self.say("yes"), self.say("no")))

    def fill(self, text: str, context: Mapping[str, str]) -> str:
        """``{child}``-style blanks filled in; one with no value reads as a plain phrase."""
        return fill(text, context, self.messages.get("blanks", {}))

    def say(self, name: str, **values: Any) -> str:
        """The message called ``name`` with its ``{blanks}`` filled in."""
        return str(self.messages[name]).format(**values)

    def words(self, name: str) -> tuple[str, ...]:
        """A list of words from the messages (such as the ways to say yes)."""
        return tuple(str(w) for w in self.messages[name])

    def yes_no(self, text: str) -> bool | None:
        """An answer to a yes/no question: True for one of the language's ways to say yes
        ("yes", "y", "ie" …), False for a way to say no, None for anything else. Case, spaces
        and a closing "." or "!" do not matter."""
        word = text.strip().lower().rstrip(".!")
        if word in self.words("yes_words"):
            return True
        if word in self.words("no_words"):
            return False
        return None


#: The languages an interview can be held in (every language swletter writes; each has its
#: questions file): ``letters.compose.language.LANGUAGES``.
LANGUAGES = WRITTEN_LANGUAGES

_QKEYS = set(QuestionSpec.__dataclass_fields__)
_SKEYS = set(SectionSpec.__dataclass_fields__) - {"questions"} | {"question"}


def questions_file(language: str = "en") -> str:
    """The questions file of ``language``: ``_questions.toml``, ``_questions.cy.toml``."""
    return "_questions.toml" if language == "en" else f"_questions.{language}.toml"


@functools.cache
def load_questions(language: str = "en") -> Questions:
    """The interview's questions in ``language``, read once per process from
    ``grounds/_questions.toml`` (English) or ``grounds/_questions.<code>.toml``."""
    if language not in LANGUAGES:
        raise ValueError(f"no questions in {language!r}; the languages are {LANGUAGES}")
    where = f"grounds/{questions_file(language)}"
    try:
        data = tomllib.loads(read_shared_data(questions_file(language)))
    except tomllib.TOMLDecodeError as err:
        raise GroundDefinitionError(f"{where} is not valid TOML: {err}") from err
    sections = []
    for i, raw in enumerate(data.get("section", [])):
        unknown = set(raw) - _SKEYS
        if unknown or "id" not in raw:
            raise GroundDefinitionError(
                f"{where}: section {i + 1} needs an id and may only have {sorted(_SKEYS)}; "
                f"found {sorted(unknown) or 'no id'}")
        questions = []
        for j, q in enumerate(raw.get("question", [])):
            bad = set(q) - _QKEYS
            if bad or "field" not in q:
                raise GroundDefinitionError(
                    f"{where}: section {raw['id']!r} question {j + 1} needs a field and may "
                    f"only have {sorted(_QKEYS)}; found {sorted(bad) or 'no field'}")
            questions.append(question_spec(q["field"], q))
        fields = {k: v for k, v in raw.items() if k != "question"}
        sections.append(SectionSpec(**fields, questions=tuple(questions)))
    return Questions(tuple(sections), data.get("ground", {}), data.get("messages", {}),
                     language, data.get("grounds", {}))


def question_spec(name: str, wording: Mapping[str, Any]) -> QuestionSpec:
    """A question for the field ``name`` from its wording in the questions file."""
    plain = {k: v for k, v in wording.items() if k in _QKEYS and not isinstance(v, dict)}
    plain["dont_know"] = tuple(plain.get("dont_know", ()))
    plain["choice_labels"] = tuple(plain.get("choice_labels", ()))
    return QuestionSpec(**{**plain, "field": name})


def paragraphs(text: str) -> str:
    """A TOML block of text as one paragraph per blank-line-separated block."""
    return "\n\n".join(" ".join(block.split()) for block in text.strip().split("\n\n") if block)


def fill(text: str, context: Mapping[str, str],
         fallback: Mapping[str, str] | None = None) -> str:
    """``{child}``-style blanks filled in; a blank with no value reads as a plain phrase
    (``fallback``: the questions file's ``[messages.blanks]``)."""
    if fallback is None:
        fallback = load_questions().messages.get("blanks", {})
    return re.sub(r"\{(\w+)\}", lambda m: context.get(m.group(1), fallback.get(m.group(1), "")),
                  text)


def label_for(name: str) -> str:
    """``date_of_birth`` → "Date of birth"; ``text message`` → "Text message"."""
    return capital(name.replace("_", " "))
