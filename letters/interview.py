"""The guided interview: plain questions, one at a time, that build a case file.

The questions are data (``grounds/_questions.toml``, plus each ground's own fields); this module
walks them and checks every answer as it is given, with the case file's own rules
(``letters.case.check_value``). It never prints and never reads the keyboard: a front end asks
``next_question()``, shows it however it likes, and hands the answer to ``submit()``, which says
whether the answer was accepted, what was wrong with it (and an example of a right one), or that
the tone checker has a civil suggestion. The terminal (``swletter new``) is one such front end; a
web form could be another, asking exactly the same questions.

The answers build plain case data (the same dictionaries a case file is parsed into), so an
interview can start from an existing case file and offer each answer as the default, and can be
saved at any point, marked ``incomplete``, without losing anything.
"""

from __future__ import annotations

import copy
import datetime as dt
import difflib
import functools
import importlib
import re
import tomllib
from collections.abc import Callable, Generator, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .case import check_value, clean_text, evidence_file_problem, format_path
from .casefile import case_to_yaml, prune_empty
from .compose import salutation_for
from .dates import long_date
from .errors import CaseError, GroundDefinitionError, Problem
from .output import write_atomic
from .registry import Ground, load_grounds, read_shared_data
from .schema import CASE_FIELDS, Field

PathParts = tuple[str | int, ...]

#: Kinds of question beyond the case-field kinds: yes/no, the choice of grounds, and which of
#: the chosen grounds a piece of evidence supports.
YESNO, GROUNDS, CITES = "yesno", "grounds", "cites"

_YES = ("y", "yes", "yeah", "yep")
_NO = ("n", "no", "nope")


# --------------------------------------------------------------------------------------------
# What a front end sees


@dataclass(frozen=True)
class Section:
    """A group of questions under one heading, such as "About you"."""

    id: str
    title: str
    intro: str = ""


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

    ``path`` is where the answer goes in the case data (empty for yes/no questions that steer the
    interview). ``default`` is the answer already given (from ``--from`` or before), in the form
    the person would type it; an empty answer to a question with a default keeps it.
    """

    id: str
    text: str
    kind: str
    section: Section
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

    @property
    def field_path(self) -> str:
        """The case-file field this question fills, as ``evidence[2].date``."""
        return format_path(self.path)


@dataclass(frozen=True)
class Accepted:
    """The answer was taken. ``note`` confirms how it was understood ("3 April 2026")."""

    value: Any
    note: str = ""


@dataclass(frozen=True)
class Rejected:
    """The answer was not taken; ``problem`` says why and gives an example. Ask again."""

    problem: Problem


@dataclass(frozen=True)
class ToneNote:
    """One thing the tone checker noticed in an answer, with its civil suggestion."""

    message: str
    suggestion: str = ""


@dataclass(frozen=True)
class ToneConcern:
    """The answer is valid, but the tone checker has suggestions. Nothing is stored yet.

    The front end offers them, then submits ``rewrite`` (when there is one, to accept it), an
    edited answer (checked again), or the original ``text`` with ``check_tone=False`` (to keep
    the person's own words).
    """

    text: str
    notes: tuple[ToneNote, ...]
    rewrite: str | None = None


Outcome = Accepted | Rejected | ToneConcern

#: A tone checker as the interview uses it: (text, field path, kind, people's names) ->
#: (notes, a tidied wording or None).
ToneCheck = Callable[[str, str, str, Sequence[str]], tuple[tuple[ToneNote, ...], str | None]]


# --------------------------------------------------------------------------------------------
# The questions file


@dataclass(frozen=True)
class _QSpec:
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


@dataclass(frozen=True)
class _SectionSpec:
    id: str
    title: str = ""
    intro: str = ""
    kind: str = ""
    group: str = ""
    item: str = ""
    min: int = 0
    first: str = ""
    more: str = ""
    text: str = ""
    label: str = ""
    example: str = ""
    questions: tuple[_QSpec, ...] = ()


@dataclass(frozen=True)
class Questions:
    """The parsed questions file: sections in order, and plainer wording for ground fields."""

    sections: tuple[_SectionSpec, ...]
    ground_wording: Mapping[str, Mapping[str, Any]]


_QKEYS = set(_QSpec.__dataclass_fields__)
_SKEYS = set(_SectionSpec.__dataclass_fields__) - {"questions"} | {"question"}


@functools.cache
def load_questions() -> Questions:
    """The interview's questions, read once per process from ``grounds/_questions.toml``."""
    where = "grounds/_questions.toml"
    try:
        data = tomllib.loads(read_shared_data("_questions.toml"))
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
                    f"{where}: section {raw['id']!r} question {j + 1} needs a field and may only "
                    f"have {sorted(_QKEYS)}; found {sorted(bad) or 'no field'}")
            questions.append(_QSpec(**{**q, "dont_know": tuple(q.get("dont_know", ())),
                                       "choice_labels": tuple(q.get("choice_labels", ()))}))
        fields = {k: v for k, v in raw.items() if k != "question"}
        sections.append(_SectionSpec(**fields, questions=tuple(questions)))
    return Questions(tuple(sections), data.get("ground", {}))


# --------------------------------------------------------------------------------------------
# Reading answers


_MONTHS = {name: i + 1 for i, name in enumerate(
    ("january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"))}
_MONTHS.update({name[:3]: n for name, n in list(_MONTHS.items())})
_MONTHS["sept"] = 9


def parse_date(text: str, *, today: dt.date) -> str | None:
    """A date as people in the UK write it, as ``YYYY-MM-DD`` text; None if it is not one.

    Accepts 2026-04-03, 3/4/2026 and 03.04.26 (day first, as in the UK), 3 April 2026,
    3rd Apr 2026, April 3 2026, and "today". The result is only checked for being a real date
    by the case validator, so 31/2/2026 gives the same message as in a case file.
    """
    t = text.strip().lower().replace(",", " ")
    if t == "today":
        return today.isoformat()
    if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", t):
        y, m, d = (int(x) for x in t.split("-"))
        return f"{y:04d}-{m:02d}-{d:02d}"
    match = re.fullmatch(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})", t)
    if match:
        d, m, y = (int(x) for x in match.groups())
        return f"{_full_year(y, today):04d}-{m:02d}-{d:02d}"
    words = t.split()
    if len(words) == 3:
        day_first = re.fullmatch(r"(\d{1,2})(?:st|nd|rd|th)?", words[0])
        month_first = re.fullmatch(r"(\d{1,2})(?:st|nd|rd|th)?", words[1])
        if day_first and words[1].rstrip(".") in _MONTHS and words[2].isdigit():
            d, m = int(day_first.group(1)), _MONTHS[words[1].rstrip(".")]
        elif month_first and words[0].rstrip(".") in _MONTHS and words[2].isdigit():
            d, m = int(month_first.group(1)), _MONTHS[words[0].rstrip(".")]
        else:
            return None
        return f"{_full_year(int(words[2]), today):04d}-{m:02d}-{d:02d}"
    return None


def _full_year(year: int, today: dt.date) -> int:
    if year >= 100:
        return year
    # Two-digit years: the most recent year ending so (a birth date in 2009 written "09").
    full = 2000 + year
    return full - 100 if full > today.year + 1 else full


def _numbers(text: str) -> list[str] | None:
    """``"1, 3"`` / ``"1 3"`` / ``"1 and 3"`` → ``["1", "3"]``; None if something else is there."""
    parts = [p for p in re.split(r"[\s,;&]+|\band\b", text.strip().lower()) if p]
    return parts if parts and all(p.isdigit() for p in parts) else None


def _answer_text(value: Any, kind: str) -> str:
    """A stored value as the person would type it (to offer as the default)."""
    if value is None or value == [] or value == {}:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.date):
        return long_date(value)
    if kind == "date" and isinstance(value, str):
        try:
            return long_date(dt.date.fromisoformat(value.strip()))
        except ValueError:
            return value
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


# --------------------------------------------------------------------------------------------
# The tone checker, when it is installed


def default_tone_check() -> ToneCheck | None:
    """The tone checker from ``letters.tone``, adapted for the interview; None if absent.

    Imported lazily: the interview works without it, and picks it up as soon as it exists.
    """
    try:
        tone = importlib.import_module("letters.tone")
    except ImportError:
        return None
    check_text = getattr(tone, "check_text", None)
    if check_text is None:
        return None

    def check(text: str, path: str, kind: str,
              names: Sequence[str]) -> tuple[tuple[ToneNote, ...], str | None]:
        return tone_notes(text, check_text(text, path=path, kind=kind, names=names))

    return check


_REPEATED = re.compile(r"([!?])[!?]+")


def tone_notes(text: str, findings: Sequence[Any]) -> tuple[tuple[ToneNote, ...], str | None]:
    """The tone checker's warnings as notes, and a tidied wording where one can be made safely.

    Only what changes no meaning is rewritten: capitals used for shouting, repeated "!" or "?",
    and words the checker says to leave out ("completely"). Insults or claims about motive need
    the person's own rewording, so the notes explain them. Findings that are only notes (a
    child's own words) are not put to the person.
    """
    notes = []
    rewrite = text
    for finding in findings:
        if str(getattr(finding, "severity", "warning")) != "warning":
            continue
        notes.append(ToneNote(str(getattr(finding, "message", finding)),
                              str(getattr(finding, "suggestion", "") or "")))
        words = str(getattr(finding, "words", "") or "")
        category = str(getattr(finding, "category", ""))
        suggestion = str(getattr(finding, "suggestion", ""))
        # Matched without regard to case: an earlier fix may have lower-cased the same word.
        if not words or words.lower() not in rewrite.lower():
            continue
        if category == "shouting":
            if _REPEATED.fullmatch(words):
                rewrite = rewrite.replace(words, "." if words[0] == "!" else "?", 1)
            elif words.isupper():
                rewrite = re.sub(rf"\b{re.escape(words)}\b", words.lower(), rewrite, count=1)
        elif suggestion.lower().startswith("leave the word out"):
            rewrite = re.sub(rf"\s*\b{re.escape(words)}\b", "", rewrite, count=1,
                             flags=re.IGNORECASE)
    rewrite = clean_text(rewrite.replace(" .", ".").replace("..", "."))
    if rewrite and rewrite[0].islower() and text[:1].isupper():
        rewrite = rewrite[0].upper() + rewrite[1:]
    return tuple(notes), (rewrite if rewrite != clean_text(text) else None)


# --------------------------------------------------------------------------------------------
# The interview


@dataclass
class _Ask:
    """A question being asked, with what is needed to check its answer."""

    question: Question
    spec: Field
    qspec: _QSpec


@dataclass
class Interview:
    """A guided interview over case data. Drive it with ``next_question()`` and ``submit()``.

    ``data`` is an existing case's data (from ``load_answers``) to edit, or None to start afresh;
    it is copied, and ``data`` on the interview is the case so far, ready to save at any point.
    ``base_dir`` is the folder the case file will be in (evidence files are relative to it).
    """

    data: dict[str, Any] = field(default_factory=dict)
    base_dir: str = "."
    today: dt.date = field(default_factory=dt.date.today)
    tone_check: ToneCheck | None = None
    _steps: Generator[_Ask, Any, None] | None = field(default=None, init=False, repr=False)
    _current: _Ask | None = field(default=None, init=False, repr=False)
    _started: bool = field(default=False, init=False, repr=False)

    def __post_init__(self) -> None:
        self.data = copy.deepcopy(dict(self.data)) if self.data else {}
        self.data.pop("incomplete", None)
        self._questions = load_questions()
        self._grounds = load_grounds()

    # -- driving it -------------------------------------------------------------------------

    def next_question(self) -> Question | None:
        """The question to ask now, or None when the interview is over."""
        if not self._started:
            self._started = True
            self._steps = self._walk()
            self._current = next(self._steps, None)
        return self._current.question if self._current else None

    @property
    def finished(self) -> bool:
        return self.next_question() is None

    @property
    def has_answers(self) -> bool:
        """Whether anything has been answered (or was loaded) that is worth saving."""
        return bool(prune_empty(self.data))

    def submit(self, answer: str, *, check_tone: bool = True) -> Outcome:
        """Check ``answer`` to the current question; store it and move on when it is right."""
        ask = self._current if self._started else None
        if ask is None:
            if self.next_question() is None:
                raise RuntimeError("the interview is over; there is no question to answer")
            ask = self._current
            assert ask is not None
        outcome = self._check(ask, answer)
        if not isinstance(outcome, Accepted):
            return outcome
        q = ask.question
        if (check_tone and q.tone and self.tone_check is not None
                and isinstance(outcome.value, str) and outcome.value):
            notes, rewrite = self.tone_check(outcome.value, q.field_path, q.tone,
                                             self._names())
            if notes:
                return ToneConcern(outcome.value, notes, rewrite)
        assert self._steps is not None
        try:
            self._current = self._steps.send(outcome.value)
        except StopIteration:
            self._current = None
        return outcome

    def _names(self) -> list[str]:
        """Everyone named in the case, so the tone checker never mistakes a name for a word."""
        names = []
        for key in ("sender", "recipient", "social_worker"):
            person = self.data.get(key)
            if isinstance(person, dict) and isinstance(person.get("name"), str):
                names.append(person["name"])
        for key, name_field in (("children", "name"), ("copy_to", "name"),
                                ("supporting_statements", "author")):
            for item in self.data.get(key) or []:
                if isinstance(item, dict) and isinstance(item.get(name_field), str):
                    names.append(item[name_field])
        return names

    # -- checking one answer ----------------------------------------------------------------

    def _check(self, ask: _Ask, answer: str) -> Outcome:
        q, spec, qs = ask.question, ask.spec, ask.qspec
        text = answer.strip() or q.default  # an empty answer keeps the answer already given

        def reject(message: str) -> Rejected:
            return Rejected(Problem(message, path=q.field_path, example=q.example))

        if q.kind in (YESNO, "flag"):
            word = text.lower().rstrip(".!")
            if word in _YES:
                return Accepted(True)
            if word in _NO:
                return Accepted(False)
            return reject("please answer yes or no.")
        if not text or (text == "-" and not q.required):
            if q.required:
                return reject("an answer is needed here.")
            return Accepted(None)
        if qs.dont_know and text.lower().rstrip(".!") in qs.dont_know:
            return Accepted(None)
        if q.kind in (GROUNDS, CITES):
            return self._check_numbers(q, text, reject)
        raw: Any = text
        note = ""
        if q.kind in ("choice", "child"):
            number = text.rstrip(".")
            by_label = {c.label.lower(): c for c in q.choices}
            if number.isdigit():
                if not 1 <= int(number) <= len(q.choices):
                    return reject(f"there is no {number} here; choose a number from 1 to "
                                  f"{len(q.choices)}.")
                raw = q.choices[int(number) - 1].value
                note = q.choices[int(number) - 1].label
            elif text.lower() in by_label:
                raw = by_label[text.lower()].value
            if q.kind == "child":
                names = [c.value for c in q.choices]
                matches = [n for n in names if clean_text(n).lower() == clean_text(raw).lower()]
                if not matches:
                    close = difflib.get_close_matches(clean_text(raw), names, n=1)
                    hint = f' Did you mean "{close[0]}"?' if close else ""
                    return reject(f'"{clean_text(raw)}" is not one of the children '
                                  f"({', '.join(names)}).{hint}")
                raw = matches[0]
        elif q.kind == "lines":
            raw = [part for part in (p.strip() for p in text.split(",")) if part]
        elif q.kind == "date":
            iso = parse_date(text, today=self.today)
            if iso is None:
                return reject(f'"{text}" is not a date I can read. Write it as day, month and '
                              "year.")
            raw = iso
        value, problems = check_value(spec, raw, path=q.path, base_dir=self.base_dir)
        if problems:
            # Messages quote the value as read; quote it as the person typed it.
            return reject(problems[0].message.replace(f'"{raw}"', f'"{text}"'))
        if q.kind == "date":
            if qs.not_future and value > self.today:
                return reject(f"{long_date(value)} is after today ({long_date(self.today)}). "
                              "Check the year.")
            note = long_date(value)
        if q.kind == "lines" and not value:
            return reject("an answer is needed here.")
        if spec.name == "file" and q.path[:1] == ("evidence",):
            missing = evidence_file_problem(self.base_dir, value)
            if missing:
                return reject(missing.replace("next to the case file",
                                              f"in {Path(self.base_dir).resolve()}")
                              .replace("or leave file out", "or press Enter to leave it out"))
        return Accepted(value, note)

    def _check_numbers(self, q: Question, text: str,
                       reject: Callable[[str], Rejected]) -> Outcome:
        numbers = _numbers(text)
        if numbers is None:
            by_value = {c.value: c for c in q.choices}
            words = [w for w in re.split(r"[\s,]+", text) if w]
            if words and all(w in by_value for w in words):
                numbers = [str(by_value[w].number) for w in words]
            else:
                return reject(f'"{text}" is not a list of numbers. Type the numbers of the ones '
                              "that apply, separated by commas.")
        chosen = []
        for n in numbers:
            if not 1 <= int(n) <= len(q.choices):
                return reject(f"there is no {n} in the list; choose from 1 to {len(q.choices)}.")
            value = q.choices[int(n) - 1].value
            if value not in chosen:
                chosen.append(value)
        if q.kind == GROUNDS:
            chosen = [c.value for c in q.choices if c.value in chosen]  # the letter's order
        return Accepted(chosen, ", ".join(c.label for c in q.choices if c.value in chosen))

    # -- walking the questions --------------------------------------------------------------

    def _walk(self) -> Generator[_Ask, Any, None]:
        for spec in self._questions.sections:
            section = Section(spec.id, spec.title, _para(spec.intro))
            if spec.kind == GROUNDS:
                yield from self._ask_grounds(spec, section)
            elif spec.kind == "ground_details":
                for ground in self._chosen_grounds():
                    yield from self._ask_ground(ground)
            elif spec.group:
                yield from self._ask_group(spec, section, self.data, (spec.group,),
                                           _core_field(spec.group), spec.questions)
            else:
                for qs in spec.questions:
                    parts = tuple(qs.field.split("."))
                    yield from self._ask_field(qs, _core_field(qs.field), section, self.data,
                                               parts)

    def _ask_field(self, qs: _QSpec, spec: Field, section: Section, item: dict[str, Any],
                   path: PathParts, *, item_label: str = "", context: Mapping[str, str] = {},
                   ) -> Generator[_Ask, Any, None]:
        """Ask for one field; ``path`` is its place in the case, the last part its key."""
        container = _container(self.data, path)
        key = path[-1]
        assert isinstance(key, str)
        if qs.when and not _lookup(self.data, item, qs.when):
            container.pop(key, None)  # an answer that no longer applies (a title with no name)
            return
        kind = qs.kind or spec.kind
        existing = container.get(key)
        default, note = self._default_for(spec, existing, kind, path)
        if kind == "flag":
            default = "yes" if existing is True else "no"
        if kind == "choice" and default:
            default = next((label for value, label in zip(spec.choices, _choice_labels(
                qs, spec), strict=True) if value == default), default)
        choices: tuple[Choice, ...] = ()
        if kind == "choice":
            choices = tuple(Choice(i + 1, value, label) for i, (value, label) in enumerate(
                zip(spec.choices, _choice_labels(qs, spec), strict=True)))
        if not default and spec.default is not None:
            default = _answer_text(spec.default, kind)
            default = next((c.label for c in choices if c.value == default), default)
        required = spec.required if qs.required is None else qs.required
        required = required or kind == "flag"  # a yes/no question always has its answer
        question = Question(
            id=_question_id(path), text=_fill(qs.text or spec.help, context), kind=kind,
            section=section, path=path, item=item_label, label=qs.label or _label(spec.name),
            help=_fill(qs.help, context),
            example="yes" if kind == "flag" else qs.example or _answer_example(spec.example),
            required=required,
            choices=choices, default=default, note=note, tone=qs.tone,
        )
        value = yield _Ask(question, spec, qs)
        if value is None or value == [] or value == () or value is False:
            container.pop(key, None)
        else:
            container[key] = list(value) if isinstance(value, tuple) else value

    def _default_for(self, spec: Field, existing: Any, kind: str,
                     path: PathParts) -> tuple[str, str]:
        """The existing answer to offer, or a note saying why it cannot be offered."""
        if existing is None or existing == [] or existing == "":
            return "", ""
        _, problems = check_value(spec, existing, path=path, base_dir=self.base_dir)
        if not problems and spec.name == "file" and isinstance(existing, str):
            missing = evidence_file_problem(self.base_dir, existing)
            if missing:
                problems = [Problem(missing)]
        if problems:
            shown = _answer_text(existing, "")
            return "", f'The case file has "{shown}" here, but {problems[0].message}'
        return _answer_text(existing, kind), ""

    def _ask_group(self, spec: _SectionSpec, section: Section, parent: dict[str, Any],
                   path: PathParts, field_spec: Field, questions: Sequence[_QSpec],
                   *, context: Mapping[str, str] = {}) -> Generator[_Ask, Any, None]:
        """Ask the questions of a list (children, evidence …) once per item."""
        key = path[-1]
        assert isinstance(key, str)
        items = parent.get(key)
        if not isinstance(items, list):
            items = []
        items[:] = [i for i in items if isinstance(i, dict)]
        parent[key] = items
        item_word = spec.item or _label(field_spec.name)
        minimum = max(spec.min, field_spec.min_items)
        if minimum == 0:
            any_items = yield self._yesno(f"{'.'.join(map(str, path))}.any", spec.first or
                                          f"Do you want to add {item_word.lower()}s?", section,
                                          bool(items))
            if not any_items:
                self._drop_items(key, items, 0)
                parent.pop(key, None)
                return
        i = 0
        while True:
            if i == len(items):
                items.append({})
            item = items[i]
            if key == "evidence" and not item.get("id"):
                item["id"] = _next_id(items)
            label = f"{item_word} {i + 1}"
            for qs in questions:
                ctx = {**context, **self._context(item)}  # {child} once the name is known
                sub = field_spec.sub(qs.field)
                if qs.kind == CITES:
                    yield from self._ask_cites(qs, section, item, (*path, i), label)
                    continue
                if sub is None:
                    raise GroundDefinitionError(
                        f"grounds/_questions.toml: {format_path(path)} has no field {qs.field!r}")
                yield from self._ask_field(qs, sub, section, item, (*path, i, qs.field),
                                           item_label=label, context=ctx)
            more = yield self._yesno(f"{'.'.join(map(str, path))}.more", spec.more or
                                     f"Is there another {item_word.lower()}?", section,
                                     i + 1 < len(items), item=label)
            if not more:
                self._drop_items(key, items, i + 1)
                return
            i += 1

    def _drop_items(self, key: str, items: list[Any], keep: int) -> None:
        dropped = items[keep:]
        del items[keep:]
        if key == "evidence":
            gone = {e.get("id") for e in dropped if isinstance(e, dict)}
            for target, _ in self._cite_targets():
                refs = _target_refs(self.data, target)
                refs[:] = [r for r in refs if r not in gone]
                if not refs:
                    _container(self.data, target).pop(str(target[-1]), None)

    def _yesno(self, qid: str, text: str, section: Section, default: bool,
               item: str = "") -> _Ask:
        q = Question(id=qid, text=text, kind=YESNO, section=section, item=item,
                     default="yes" if default else "no", example="yes", required=True)
        return _Ask(q, Field(qid), _QSpec(field=""))

    # -- grounds ---------------------------------------------------------------------------

    def _ask_grounds(self, spec: _SectionSpec, section: Section) -> Generator[_Ask, Any, None]:
        current = self.data.get("grounds") if isinstance(self.data.get("grounds"), dict) else {}
        assert isinstance(current, dict)
        choices = tuple(Choice(i + 1, g.id, g.title, g.summary)
                        for i, g in enumerate(self._grounds))
        default = ", ".join(str(c.number) for c in choices if c.value in current)
        q = Question(id="grounds", text=spec.text, kind=GROUNDS, section=section,
                     path=("grounds",), label=spec.label or "Reasons", example=spec.example,
                     required=True, choices=choices, multiple=True, default=default)
        chosen = yield _Ask(q, Field("grounds"), _QSpec(field="grounds"))
        kept: dict[str, Any] = {gid: current.get(gid) if isinstance(current.get(gid), dict) else {}
                for gid in chosen}
        # Keep any grounds this swletter does not know, so an edit never loses them.
        known = {g.id for g in self._grounds}
        kept.update({k: v for k, v in current.items() if k not in known})
        self.data["grounds"] = kept

    def _chosen_grounds(self) -> list[Ground]:
        chosen = self.data.get("grounds") or {}
        return [g for g in self._grounds if g.id in chosen]

    def _ask_ground(self, ground: Ground) -> Generator[_Ask, Any, None]:
        section = Section(f"ground.{ground.id}", f"Reason: {ground.title}", _para(ground.guidance))
        wording = self._questions.ground_wording.get(ground.id, {})
        data = self.data["grounds"][ground.id]
        children = [str(c["name"]) for c in self.data.get("children") or []
                    if isinstance(c, dict) and c.get("name")]
        path: PathParts = ("grounds", ground.id)
        for spec in ground.fields:
            qs = _qspec(spec.name, wording.get(spec.name, {}))
            context = {"child": self._child_for(data, children)}
            if spec.kind == "evidence":
                continue  # asked with each piece of evidence: "which reasons does it support?"
            if spec.kind == "child":
                if len(children) < 2:
                    data.pop(spec.name, None)
                    continue
                yield from self._ask_child(qs, spec, section, data, (*path, spec.name), children)
            elif spec.kind == "records":
                sub_wording = wording.get(spec.name, {})
                group = _SectionSpec(id=spec.name, item=sub_wording.get("item", _label(spec.name)),
                                     more=sub_wording.get("more", ""),
                                     min=spec.min_items or (1 if spec.required else 0))
                subs = tuple(_qspec(sub.name, sub_wording.get(sub.name, {}))
                             for sub in spec.fields if sub.kind != "evidence")
                yield from self._ask_group(group, section, data, (*path, spec.name), spec, subs,
                                           context=context)
            elif spec.kind == "record":
                continue  # no ground has one; a record inside a ground is edited in the file
            else:
                yield from self._ask_field(qs, spec, section, data, (*path, spec.name),
                                           context=context)

    def _ask_child(self, qs: _QSpec, spec: Field, section: Section, data: dict[str, Any],
                   path: PathParts, children: list[str]) -> Generator[_Ask, Any, None]:
        choices = tuple(Choice(i + 1, name, name) for i, name in enumerate(children))
        existing = data.get(spec.name)
        default = existing if existing in children else ""
        note = (f'The case file has "{existing}" here, which is not one of the children.'
                if existing and not default else "")
        q = Question(id=_question_id(path), text=qs.text or spec.help, kind="child",
                     section=section, path=path, label=qs.label or "Child",
                     example=children[0], choices=choices, default=default, note=note,
                     help="Press Enter if it is about all of them." if not qs.help else qs.help)
        value = yield _Ask(q, spec, qs)
        if value is None:
            data.pop(spec.name, None)
        else:
            data[spec.name] = value

    def _child_for(self, data: Mapping[str, Any], children: list[str]) -> str:
        chosen = data.get("child") if isinstance(data.get("child"), str) else None
        names = [chosen] if chosen else children
        first = [n.split()[0] for n in names if n and n.split()]
        if len(first) > 1:
            return "each child"
        return first[0] if first else "your child"

    # -- evidence and what it supports ------------------------------------------------------

    def _cite_targets(self) -> list[tuple[PathParts, str]]:
        """Every place in the chosen grounds that can cite evidence, with a label for it."""
        targets: list[tuple[PathParts, str]] = []
        grounds = self.data.get("grounds") or {}
        for ground in self._grounds:
            data = grounds.get(ground.id)
            if not isinstance(data, dict):
                continue
            for spec in ground.fields:
                if spec.kind == "evidence":
                    targets.append((("grounds", ground.id, spec.name), ground.title))
                elif spec.kind == "records" and isinstance(data.get(spec.name), list):
                    for i, record in enumerate(data[spec.name]):
                        sub = next((s for s in spec.fields if s.kind == "evidence"), None)
                        if sub is None or not isinstance(record, dict):
                            continue
                        targets.append(((("grounds", ground.id, spec.name, i, sub.name)),
                                        _record_label(spec, record, i)))
        return targets

    def _ask_cites(self, qs: _QSpec, section: Section, item: dict[str, Any], path: PathParts,
                   label: str) -> Generator[_Ask, Any, None]:
        targets = self._cite_targets()
        evidence_id = item.get("id")
        if not targets or not isinstance(evidence_id, str):
            return
        choices = tuple(Choice(i + 1, format_path(t), lab) for i, (t, lab) in enumerate(targets))
        default = ", ".join(str(c.number) for c, (t, _) in zip(choices, targets, strict=True)
                            if evidence_id in _target_refs(self.data, t, create=False))
        if len(targets) == 1:
            text = f"Does it support your reason: {targets[0][1]}?"
            q = Question(id="evidence.supports", text=text, kind=YESNO, section=section,
                         path=(*path, "supports"), item=label, label=qs.label or "Supports",
                         default="yes" if default or not item.get("description") else "no",
                         example="yes", required=True)
            yes = yield _Ask(q, Field("supports"), qs)
            chosen = [choices[0].value] if yes else []
        else:
            q = Question(id="evidence.supports", text=qs.text, kind=CITES, section=section,
                         path=(*path, "supports"), item=label, label=qs.label or "Supports",
                         example=qs.example, choices=choices, multiple=True, default=default)
            chosen = (yield _Ask(q, Field("supports"), qs)) or []
        for target, _ in targets:
            refs = _target_refs(self.data, target)
            if format_path(target) in chosen:
                if evidence_id not in refs:
                    refs.append(evidence_id)
            elif evidence_id in refs:
                refs.remove(evidence_id)
            if not refs:
                _container(self.data, target).pop(str(target[-1]), None)

    def _context(self, item: Mapping[str, Any]) -> dict[str, str]:
        name = item.get("name")
        return {"child": name.split()[0]} if isinstance(name, str) and name.split() else {}

    # -- the end ---------------------------------------------------------------------------

    def summary(self) -> list[tuple[str, list[tuple[str, str]]]]:
        """The answers as (heading, [(label, answer)]) for the person to look over."""
        return list(_summary(self))


# --------------------------------------------------------------------------------------------
# Helpers


def _para(text: str) -> str:
    """A TOML block of text as one paragraph per blank-line-separated block."""
    return "\n\n".join(" ".join(block.split()) for block in text.strip().split("\n\n") if block)


def _fill(text: str, context: Mapping[str, str]) -> str:
    """``{child}``-style blanks filled in; a blank with no value reads as a plain phrase."""
    fallback = {"child": "your child", "worker": "the social worker", "n": ""}
    return re.sub(r"\{(\w+)\}", lambda m: context.get(m.group(1), fallback.get(m.group(1), "")),
                  text)


def _choice_labels(qs: _QSpec, spec: Field) -> list[str]:
    """How each of a field's choices is shown: the questions file's labels, else capitalised."""
    given = list(qs.choice_labels)
    return [given[i] if i < len(given) else _label(c) for i, c in enumerate(spec.choices)]


def _label(name: str) -> str:
    """``date_of_birth`` → "Date of birth"; ``text message`` → "Text message"."""
    text = name.replace("_", " ")
    return text[:1].upper() + text[1:]


def _answer_example(example: str) -> str:
    """A schema example such as ``name: Jane Doe`` as the answer someone would type."""
    return example.split(": ", 1)[1] if ": " in example else example


def _question_id(path: PathParts) -> str:
    return ".".join(p for p in path if isinstance(p, str))


def _qspec(name: str, wording: Mapping[str, Any]) -> _QSpec:
    plain = {k: v for k, v in wording.items() if k in _QKEYS and not isinstance(v, dict)}
    plain["dont_know"] = tuple(plain.get("dont_know", ()))
    plain["choice_labels"] = tuple(plain.get("choice_labels", ()))
    return _QSpec(**{**plain, "field": name})


def _core_field(dotted: str) -> Field:
    """The schema's description of a core case field such as ``sender.name``."""
    spec: Field | None = None
    for part in dotted.split("."):
        spec = next((f for f in CASE_FIELDS if f.name == part), None) if spec is None \
            else spec.sub(part)
        if spec is None:
            raise GroundDefinitionError(
                f"grounds/_questions.toml: {dotted!r} is not a field of a case file")
    assert spec is not None
    return spec


def _container(data: dict[str, Any], path: PathParts) -> dict[str, Any]:
    """The dictionary that holds the last part of ``path``, created on the way if needed."""
    node: Any = data
    for part in path[:-1]:
        if isinstance(part, int):
            node = node[part]
        else:
            if not isinstance(node.get(part), dict | list):
                node[part] = {}
            node = node[part]
    assert isinstance(node, dict)
    return node


def _target_refs(data: dict[str, Any], target: PathParts, *, create: bool = True) -> list[Any]:
    container = _container(data, target)
    refs = container.get(str(target[-1]))
    if isinstance(refs, str):
        refs = [refs]
    if not isinstance(refs, list):
        refs = []
    if create:
        container[str(target[-1])] = refs
    return refs


def _lookup(data: Mapping[str, Any], item: Mapping[str, Any], dotted: str) -> Any:
    """The value at ``dotted``, looked for in the current item first, then from the top."""
    for start in (item, data):
        node: Any = start
        for part in dotted.split("."):
            node = node.get(part) if isinstance(node, Mapping) else None
        if node:
            return node
    return None


def _next_id(items: Sequence[Mapping[str, Any]]) -> str:
    used = {str(i.get("id")) for i in items}
    n = 1
    while f"E{n}" in used:
        n += 1
    return f"E{n}"


def _record_label(spec: Field, record: Mapping[str, Any], i: int) -> str:
    """"Incident on 12 March 2026: The agreed home visit …" for an item of a ground's list."""
    word = _label(spec.name).rstrip("s")
    when = record.get("date")
    text = _answer_text(when, "date")
    head = f"{word} on {text}" if text else f"{word} {i + 1}"
    what = next((str(v) for k, v in record.items() if isinstance(v, str) and k != "date"), "")
    if len(what) > 50:
        what = what[:50].rsplit(" ", 1)[0] + " …"
    return f"{head}: {what}" if what else head


def _summary(iv: Interview) -> Iterator[tuple[str, list[tuple[str, str]]]]:
    data = iv.data
    for spec in iv._questions.sections:
        if spec.kind == GROUNDS:
            chosen = iv._chosen_grounds()
            yield spec.title, [("", g.title) for g in chosen]
        elif spec.kind == "ground_details":
            for ground in iv._chosen_grounds():
                yield f"Reason: {ground.title}", list(_ground_rows(iv, ground))
        elif spec.group:
            items = [i for i in data.get(spec.group) or [] if isinstance(i, dict)]
            rows: list[tuple[str, str]] = []
            for i, item in enumerate(items):
                parts: list[str] = []
                for qs in spec.questions:
                    if qs.kind == CITES:
                        value = ", ".join(label for target, label in iv._cite_targets()
                                          if item.get("id") in _target_refs(
                                              data, target, create=False))
                    else:
                        value = _answer_text(item.get(qs.field), "date")
                    if value:
                        label = (qs.label or _label(qs.field)).lower()
                        parts.append(value if not parts else f"{label}: {value}")
                rows.append((f"{spec.item} {i + 1}", "; ".join(parts)))
            yield spec.title, rows or [("", "none")]
        else:
            rows = []
            for qs in spec.questions:
                value = _lookup(data, {}, qs.field)
                if value is None and qs.field == "recipient.name":
                    greeting, _ = salutation_for(None, None)
                    rows.append((qs.label or "Name", f'not known (the letter opens "{greeting}")'))
                    continue
                text = _answer_text(value, "date")
                spec_field = _core_field(qs.field)
                if spec_field.kind == "choice" and text:
                    text = dict(zip(spec_field.choices, _choice_labels(qs, spec_field),
                                    strict=True)).get(text, text)
                if qs.field == "response_within_working_days" and not text:
                    text = "10"
                if text:
                    rows.append((qs.label or _label(qs.field), text))
            yield spec.title, rows


def _ground_rows(iv: Interview, ground: Ground) -> Iterator[tuple[str, str]]:
    data = iv.data["grounds"].get(ground.id) or {}
    wording = iv._questions.ground_wording.get(ground.id, {})
    rows = []
    for spec in ground.fields:
        value = data.get(spec.name)
        words = wording.get(spec.name, {})
        label = words.get("label") or _label(spec.name)
        if spec.kind == "evidence" or not value:
            continue  # evidence is shown with each piece of evidence, under what it supports
        if spec.kind == "records" and isinstance(value, list):
            for i, record in enumerate(value):
                if not isinstance(record, dict):
                    continue
                when = _answer_text(record.get("date"), "date")
                what = "; ".join(str(v) for k, v in record.items()
                                 if isinstance(v, str) and k != "date")
                rows.append((f"{words.get('item', 'Item')} {i + 1}",
                             f"{when}: {what}" if when else what))
        else:
            rows.append((label, _answer_text(value, spec.kind)))
    yield from rows or [("", "no details given")]


# --------------------------------------------------------------------------------------------
# Reading and saving answers


def load_answers(path: str | Path) -> dict[str, Any]:
    """An existing case file's data, unchecked, to edit with ``--from`` (even if unfinished)."""
    from .case import parse_case_text, read_case_text

    p = Path(path)
    text = read_case_text(p)
    as_json = p.suffix.lower() == ".json" or text.lstrip().startswith("{")
    data = parse_case_text(text, str(path), as_json=as_json)
    if not isinstance(data, dict):
        raise CaseError([Problem("a case file is a set of fields such as sender: and children:.",
                                 example="sender: {name: Jane Doe}")], str(path))
    return data


def save_answers(data: Mapping[str, Any], path: str | Path, *, finished: bool,
                 force: bool = False, today: dt.date | None = None) -> Path:
    """Write the answers as a commented YAML case file, atomically and owner-only.

    An unfinished interview is saved with ``incomplete: true``, which ``load_case`` reports
    (pointing to ``swletter new --from``) until the questions have been answered.
    """
    text = case_to_yaml(dict(data), incomplete=not finished, source=str(path),
                        today=today or dt.date.today())
    return write_atomic(path, text.encode("utf-8"), force=force)
