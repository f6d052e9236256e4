"""The guided interview: plain questions, one at a time, that build a case file.

It never prints and never reads the keyboard. A front end asks ``next_question()``, shows it
however it likes, and hands the answer to ``submit()``, which says whether the answer was
accepted, what was wrong with it (and an example of a right one), or that the tone checker has a
civil suggestion. The terminal (``swletter new``) and the web form are two such front ends,
asking exactly the same questions.

The whole state is data: the answers (plain case data, as a case file is parsed into), the key
of the question being asked, and the keys of the questions answered. ``state()`` gives it as
JSON-ready data and ``Interview.from_state`` carries on from it, in another request or another
process. ``go_to(key)``, ``back()`` and ``resume()`` move about; after a changed answer the
interview goes on to any question that change brought in, then back to the summary.
"""

from __future__ import annotations

import copy
import datetime as dt
import difflib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from letters.case.model import clean_text
from letters.case.typed_dates import read_date
from letters.case.validate import check_value, evidence_file_problem, shape_problems
from letters.case.writing import prune_empty
from letters.compose.language import language, languages_of
from letters.errors import Problem
from letters.interview.answers import numbers_in
from letters.interview.casedata import child_names
from letters.interview.outcomes import Accepted, Outcome, Rejected, SummaryRow, ToneConcern
from letters.interview.plan import Step, build_plan
from letters.interview.questions import (
    CITES,
    GROUNDS,
    LANGUAGES,
    YESNO,
    Question,
    Questions,
    load_questions,
)
from letters.interview.wording import CaseNames, ToneCheck
from letters.text import capital
from letters.translations import Say, sayer

#: The most items a list of the answers may hold (children, evidence, a ground's incidents)
#: for the interview to take them. Each piece of evidence is asked which incident it supports,
#: so the work grows with their product: 200 of each is a fraction of a second a page, where
#: thousands would let one small web request take minutes. A real case has a few dozen.
MAX_ITEMS = 200

#: The version of ``Interview.state()``'s shape, so a saved state from a later swletter is
#: refused rather than misread.
STATE_VERSION = 1


class _Refused(Exception):
    """An answer that cannot be taken; the message says why (a ``Rejected`` to the caller)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class StateError(ValueError):
    """A saved interview state that cannot be carried on from (damaged, or from a later
    swletter). Front ends say so and start again from the answers, which are a case file."""


@dataclass
class Interview:
    """A guided interview over case data. Drive it with ``next_question()`` and ``submit()``.

    ``data`` is an existing case's data (from ``load_answers``) to edit, or empty to start
    afresh; it is copied. With existing data the interview opens on the summary (``finished``
    is true until ``go_to`` or ``resume``), counting as answered every question up to the last
    one the data answers — all of them, unless the data is marked ``incomplete``.
    ``base_dir`` is the folder the case file is in (evidence files are relative to it); None
    where there is no such folder (the web form): the evidence file question is not asked, and
    nothing on this computer is looked at.

    ``language`` is the interview's (``en``, ``cy``): its questions, messages and the way it
    shows dates. A new interview in Welsh starts with the letter's language set to Welsh too
    (an answer the person can change).
    """

    data: dict[str, Any] = field(default_factory=dict)
    base_dir: str | None = "."
    today: dt.date = field(default_factory=dt.date.today)
    tone_check: ToneCheck | None = None
    language: str = "en"
    at: str | None = field(default=None, init=False)
    done: set[str] = field(default_factory=set, init=False)

    def __post_init__(self) -> None:
        given = copy.deepcopy(dict(self.data)) if self.data else {}
        unfinished = bool(given.pop("incomplete", False))
        self.data = given
        self.questions: Questions = load_questions(self.language)
        self.say_problem: Say = sayer(self.language)
        if not prune_empty(given) and self.language != "en":
            given["language"] = self.language
        steps = self.plan()
        if not prune_empty({k: v for k, v in given.items() if k != "language"}):
            self.at = steps[0].key
            return
        last = max((i for i, s in enumerate(steps) if s.answered), default=-1)
        self.done = {s.key for s in (steps[: last + 1] if unfinished else steps)}

    # -- the state as data -----------------------------------------------------------------

    def state(self) -> dict[str, Any]:
        """Everything needed to carry on later, as JSON-ready data."""
        return {"version": STATE_VERSION, "answers": copy.deepcopy(self.data), "at": self.at,
                "done": sorted(self.done), "language": self.language}

    @classmethod
    def from_state(cls, state: Mapping[str, Any], *, base_dir: str | None = ".",
                   today: dt.date | None = None,
                   tone_check: ToneCheck | None = None) -> Interview:
        """The interview ``state()`` described, ready to carry on at the same question.

        The state is checked as an uploaded case file is (``shape_problems``): a state that
        came back from a web page may have been changed on the way.
        """
        answers, at, done = state.get("answers"), state.get("at"), state.get("done")
        # A state from before interviews had a language is in English.
        language = state.get("language", "en")
        if (state.get("version") != STATE_VERSION or not isinstance(answers, dict)
                or not (at is None or isinstance(at, str)) or not isinstance(done, list)
                or not all(isinstance(k, str) for k in done) or shape_problems(answers)
                or longest_list(answers) > MAX_ITEMS or language not in LANGUAGES):
            raise StateError("the saved answers are damaged or from a newer swletter")
        interview = cls(base_dir=base_dir, today=today or dt.date.today(),
                        tone_check=tone_check, language=language)
        interview.data = copy.deepcopy(answers)
        interview.done = set(done)
        interview.at = at
        return interview

    # -- where the interview is --------------------------------------------------------------

    def plan(self) -> list[Step]:
        """Every question for the answers as they stand (see ``letters.interview.plan``)."""
        return build_plan(self.data, base_dir=self.base_dir, language=self.language)

    def _step(self) -> Step | None:
        if self.at is None:
            return None
        steps = self.plan()
        found = next((s for s in steps if s.key == self.at), None)
        if found is None:  # the question no longer applies: carry on from the first not done
            self.at = next((s.key for s in steps if s.key not in self.done), None)
            found = next((s for s in steps if s.key == self.at), None)
        return found

    def next_question(self) -> Question | None:
        """The question to ask now, or None when it is time for the summary."""
        step = self._step()
        return step.question if step else None

    @property
    def finished(self) -> bool:
        """Whether there is no question to ask now: the summary is next."""
        return self.next_question() is None

    @property
    def has_answers(self) -> bool:
        """Whether anything has been answered (or was loaded) that is worth saving."""
        return bool(prune_empty(self.data))

    def go_to(self, key: str) -> Question:
        """Go to the question ``key`` (from a summary row or a Change link) to answer again."""
        for step in self.plan():
            if step.key == key:
                self.at = key
                return step.question
        raise KeyError(key)

    def back(self) -> Question | None:
        """Go to the question before this one (the last one, from the summary)."""
        steps = self.plan()
        keys = [s.key for s in steps]
        here = keys.index(self.at) if self.at in keys else len(keys)
        if here == 0:
            return steps[0].question if steps else None
        self.at = keys[here - 1]
        return steps[here - 1].question

    def first_unanswered(self) -> str | None:
        """The key of the first question not answered yet, or None when all are."""
        return next((s.key for s in self.plan() if s.key not in self.done), None)

    def resume(self) -> Question | None:
        """Carry on where the answers stop (the summary, when every question is answered)."""
        self.at = self.first_unanswered()
        return self.next_question()

    # -- answering ---------------------------------------------------------------------------

    def submit(self, answer: str, *, check_tone: bool = True,
               blank_keeps: bool = True) -> Outcome:
        """Check ``answer`` to the current question; store it and move on when it is right.

        In a terminal an empty answer keeps the one already given (``blank_keeps``); a web
        form shows that answer in the field, so there an empty field means no answer.
        """
        step = self._step()
        if step is None:
            raise RuntimeError("there is no question to answer: the summary is next")
        outcome = self._check(step, answer, blank_keeps=blank_keeps)
        if not isinstance(outcome, Accepted):
            return outcome
        q = step.question
        if (check_tone and q.tone and self.tone_check is not None
                and isinstance(outcome.value, str) and outcome.value):
            notes, rewrite = self.tone_check(outcome.value, q.field_path, q.tone, self._names(),
                                             self.language)
            if notes:
                return ToneConcern(outcome.value, notes, rewrite)
        before = [s.key for s in self.plan()]
        step.store(self.data, _as_data(outcome.value))
        self.done.add(step.key)
        self._advance(step.key, before.index(step.key))
        return outcome

    def _advance(self, key: str, old_index: int) -> None:
        """Move to the first question after ``key`` not answered yet (None: the summary)."""
        keys = [s.key for s in self.plan()]
        start = keys.index(key) + 1 if key in keys else old_index
        self.at = next((k for k in keys[start:] if k not in self.done), None)

    def _names(self) -> CaseNames:
        """Everyone named in the case, so the tone checker never mistakes a name for a word,
        with the child and the worker its examples name."""
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
        worker = self.data.get("social_worker")
        worker = worker if isinstance(worker, dict) else {}
        name, title = worker.get("name"), worker.get("title")
        shown = (f"{title} {name.split()[-1]}" if isinstance(title, str) and title else name) \
            if isinstance(name, str) and name.split() else ""
        children = [c for c in child_names(self.data) if c.split()]
        child = language().first_names(children)[0] if children else ""
        return CaseNames.of(names, child=child, worker=shown)

    def _check(self, step: Step, answer: str, *, blank_keeps: bool = True) -> Outcome:
        q = step.question
        text = answer.strip()
        if blank_keeps:
            text = text or q.default  # an empty answer keeps the answer already given
        try:
            early = self._check_plain(step, text)
            if early is not None:
                return early
            raw, note = self._read(q, text)
            return self._check_value(step, text, raw, note)
        except _Refused as refused:
            return Rejected(Problem(refused.message, path=q.field_path, example=q.example))

    def _check_plain(self, step: Step, text: str) -> Outcome | None:
        """Yes/no, nothing, "I don't know" and lists of numbers: answers that need no reading."""
        q, qs = step.question, step.qspec
        if q.kind in (YESNO, "flag"):
            said = self.questions.yes_no(text)
            if said is None:
                raise _Refused(self.questions.say("yes_or_no"))
            return Accepted(said)
        if not text or (text == "-" and not q.required):
            if q.required:
                raise _Refused(self.questions.say("answer_needed"))
            return Accepted(None)
        if qs.dont_know and text.lower().rstrip(".!") in qs.dont_know:
            return Accepted(None)
        if q.kind in (GROUNDS, CITES):
            return self._check_numbers(q, text)
        return None

    def _read(self, q: Question, text: str) -> tuple[Any, str]:
        """The answer as the case file would hold it, and a note of how it was understood."""
        if q.kind in ("choice", "child"):
            return self._read_choice(q, text)
        if q.kind == "lines":
            # One line per line where there are line breaks (a web form's box), else commas.
            parts = text.splitlines() if "\n" in text or "\r" in text else text.split(",")
            return [part for part in (p.strip() for p in parts) if part], ""
        if q.kind == "date":
            reading = read_date(text, today=self.today, month_ok=q.month_ok,
                                say=self.say_problem)
            if reading.iso is None:
                raise _Refused(capital(reading.problem))
            return reading.iso, ""
        return text, ""

    def _read_choice(self, q: Question, text: str) -> tuple[Any, str]:
        say = self.questions.say
        raw, note = text, ""
        number = text.rstrip(".")
        by_label = {c.label.lower(): c for c in q.choices}
        if number.isdigit():
            if not 1 <= int(number) <= len(q.choices):
                raise _Refused(say("no_such_number", number=number, last=len(q.choices)))
            raw, note = q.choices[int(number) - 1].value, q.choices[int(number) - 1].label
        elif text.lower() in by_label:
            raw = by_label[text.lower()].value
        if q.kind != "child":
            return raw, note
        names = [c.value for c in q.choices]
        matches = [n for n in names if clean_text(n).lower() == clean_text(raw).lower()]
        if not matches:
            close = difflib.get_close_matches(clean_text(raw), names, n=1)
            raise _Refused(say("not_a_child", shown=clean_text(raw), children=", ".join(names))
                           + (say("did_you_mean", word=close[0]) if close else ""))
        return matches[0], note

    def _check_value(self, step: Step, text: str, raw: Any, note: str) -> Outcome:
        """The case file's own rules for the field, then what only an interview checks."""
        q, spec, say = step.question, step.spec, self.questions.say
        value, problems = check_value(spec, raw, path=q.path, language=self.language)
        if problems:
            # Messages quote the value as read; quote it as the person typed it.
            raise _Refused(problems[0].message.replace(f'"{raw}"', f'"{text}"'))
        if q.kind == "date" and isinstance(value, dt.date):
            if step.qspec.not_future and value > self.today:
                raise _Refused(say("date_after_today", date=self.questions.date(value),
                                   today=self.questions.date(self.today)))
            note = self.questions.date(value)
        if q.kind == "lines" and not value:
            raise _Refused(say("answer_needed"))
        if spec.name == "file" and q.path[:1] == ("evidence",) and self.base_dir is not None:
            missing = evidence_file_problem(self.base_dir, value, self.language,
                                            asked_in=str(Path(self.base_dir).resolve()))
            if missing:
                raise _Refused(missing)
        return Accepted(value, note)

    def _check_numbers(self, q: Question, text: str) -> Outcome:
        say = self.questions.say

        def reject(message: str) -> Rejected:
            return Rejected(Problem(message, path=q.field_path, example=q.example))

        numbers = numbers_in(text)
        if numbers is None:
            by_value = {c.value: c for c in q.choices}
            words = [w for w in re.split(r"[\s,]+", text) if w]
            if not words or not all(w in by_value for w in words):
                return reject(say("not_numbers", shown=text))
            numbers = [str(by_value[w].number) for w in words]
        chosen = []
        for n in numbers:
            if not 1 <= int(n) <= len(q.choices):
                return reject(say("not_in_list", number=n, last=len(q.choices)))
            value = q.choices[int(n) - 1].value
            if value not in chosen:
                chosen.append(value)
        if q.kind == GROUNDS:
            chosen = [c.value for c in q.choices if c.value in chosen]  # the letter's order
        return Accepted(chosen, ", ".join(c.label for c in q.choices if c.value in chosen))

    # -- the summary -------------------------------------------------------------------------

    def summary(self) -> list[SummaryRow]:
        """The answers, one row per question, each with the key that goes back to it."""
        rows: list[SummaryRow] = []
        for step in self.plan():
            if not step.in_summary:
                continue
            q = step.question
            label = f"{q.item}: {q.label}" if q.item and q.kind != YESNO else q.label
            rows.append(SummaryRow(len(rows) + 1, q.section.title, label,
                                   self._shown(step), step.key))
        return rows

    def _shown(self, step: Step) -> str:
        q, value = step.question, step.value
        say = self.questions.say
        if q.kind == YESNO:
            return say("yes") if value else say("no")
        if q.kind == GROUNDS:
            return ", ".join(c.label for c in q.choices if c.value in (value or [])) \
                or say("none_given")
        if q.kind == CITES:
            return ", ".join(value or []) or say("none_given")
        if value in (None, "", [], ()):
            if q.id == "recipient.name":
                return say("manager_not_known")
            return say("none_given") if not q.default else q.default
        if q.kind == "choice":
            return next((c.label for c in q.choices if c.value == value), str(value))
        return self.questions.answer(value, q.kind)


def _as_data(value: Any) -> Any:
    """An accepted value as a case file holds it (JSON-ready: dates as 2026-04-03)."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return value


def interview_language(data: Mapping[str, Any]) -> str:
    """The language to carry on a case's interview in: the language of its letter (Welsh for
    ``cy`` and ``cy+en``), else English."""
    chosen = languages_of(str(data.get("language") or "en"))[0]
    return chosen if chosen in LANGUAGES else "en"


def longest_list(data: Any) -> int:
    """The number of items in the longest list anywhere in ``data`` (plain data)."""
    longest, pending = 0, [data]
    while pending:
        value = pending.pop()
        if isinstance(value, dict):
            pending.extend(value.values())
        elif isinstance(value, list):
            longest = max(longest, len(value))
            pending.extend(value)
    return longest


def state_to_text(state: Mapping[str, Any]) -> str:
    """``Interview.state()`` as compact JSON text (for a web page's hidden field, say)."""
    return json.dumps(state, ensure_ascii=False, separators=(",", ":"))


def state_from_text(text: str) -> dict[str, Any]:
    """A state that ``state_to_text`` wrote, read within the limits of a case file (its size,
    nesting and number of values), so that text from anywhere costs bounded work;
    ``StateError`` if it is not one. ``Interview.from_state`` then checks what it holds."""
    from letters.case.reading import MAX_CASE_BYTES, parse_case_text
    from letters.errors import CaseError

    damaged = StateError("the saved answers are damaged or from a newer swletter")
    if len(text) > MAX_CASE_BYTES:
        raise damaged
    try:
        data = parse_case_text(text, "state", as_json=True)
    except CaseError:
        raise damaged from None
    if not isinstance(data, dict):
        raise damaged
    return data


def summary_sections(rows: Sequence[SummaryRow]) -> list[tuple[str, list[SummaryRow]]]:
    """Summary rows grouped under their section titles, in order."""
    out: list[tuple[str, list[SummaryRow]]] = []
    for row in rows:
        if not out or out[-1][0] != row.section:
            out.append((row.section, []))
        out[-1][1].append(row)
    return out
