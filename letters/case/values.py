"""Checking one value of plain case data against its field's description (``schema.KINDS``):
text, dates, numbers, choices, evidence references, records and lists of them, each problem
said in the person's language with an example. ``letters.case.validate`` walks a whole case with
this; the guided interview checks each answer with it (``validate.check_value``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from letters.case.model import PathParts, clean_text, format_path
from letters.case.schema import Field
from letters.case.typed_dates import read_date
from letters.dates import FIRST_YEAR, LAST_YEAR
from letters.errors import MAX_PROBLEMS, Problem, shorten
from letters.translations import Say, say_en

#: A case whose text (every value, cleaned) adds up to more than this many characters is
#: refused, naming the field where the total passes it. The full example holds about 2,500; a
#: case with fifty incidents and a hundred pieces of evidence, described at length, about
#: 50,000. The limit keeps the tone advice and the letter itself within a second or so.
MAX_TEXT = 200_000


#: Says why an evidence ``file:`` cannot be used ("" when it can). Validation itself never
#: touches the file system: the caller that knows where files are passes one of these
#: (``files_beside`` for a case file on disk), and a web upload, which has no files, passes none.
EvidenceFiles = Callable[[str], str]


@dataclass
class Validator:
    base_dir: str
    evidence_files: EvidenceFiles | None = None
    #: Says a message in the person's language (``letters.translations``).
    say: Say = say_en
    #: The first ``MAX_PROBLEMS`` problems found; ``found`` counts them all.
    problems: list[tuple[PathParts, str, str]] = field(default_factory=list)
    found: int = 0
    #: Characters of text seen so far (``MAX_TEXT``).
    text: int = 0
    #: The problems that are a value of the wrong kind (a list where text belongs), which a
    #: program walking the data would trip over; see ``shape_problems``.
    mistyped: list[Problem] = field(default_factory=list)

    def count_text(self, parts: PathParts, text: str) -> None:
        """Add ``text`` to the case's total; past ``MAX_TEXT``, say so once, here."""
        before = self.text
        self.text += len(text)
        if self.text > MAX_TEXT >= before:
            limit, words = format(MAX_TEXT, ","), format(MAX_TEXT // 6, ",")
            self.add(parts, self.say(
                "the text of the case passes {limit} characters here (some {words} words), far "
                "more than a letter can use. A manager reads two or three pages: shorten the "
                "longest parts to what the manager needs to know, and enclose the rest as "
                "evidence.", limit=limit, words=words))

    def add(self, parts: PathParts, message: str | Callable[[], str],
            example: str = "") -> None:
        """Note a problem. A message that takes work to write (a "did you mean", a list of
        ids) is passed as a function, and written only for a problem that is kept."""
        self.found += 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append((parts, message if isinstance(message, str) else message(),
                                  example))

    def wrong_type(self, parts: PathParts, message: str, example: str = "") -> None:
        """Note a value of the wrong kind: a problem like any other, and one of shape."""
        self.add(parts, message, example)
        if len(self.mistyped) < MAX_PROBLEMS:
            self.mistyped.append(Problem(message=message, path=format_path(parts), parts=parts,
                                         example=example))

    @property
    def more(self) -> int:
        """How many problems were found beyond those kept."""
        return self.found - len(self.problems)

    # Each check returns the cleaned value, or None when absent or wrong. Text reaches the
    # checks already cleaned (``clean_text``).
    def value(self, spec: Field, raw: Any, parts: PathParts) -> Any:
        if isinstance(raw, str):
            raw = clean_text(raw)
            self.count_text(parts, raw)
        if raw is None or raw == "":
            if spec.required:
                self.add(parts, self.say("this is required but missing."), spec.example)
            return None if spec.kind not in ("records", "lines", "evidence") else ()
        return _CHECKS[spec.kind](self, spec, raw, parts)

    def _text(self, spec: Field, raw: Any, parts: PathParts) -> str | None:
        if isinstance(raw, str):
            return raw
        self.wrong_type(parts, self.say("expected text here, not {what}.",
                                        what=describe_value(raw, self.say)), spec.example)
        return None

    _child = _text

    def _lines(self, spec: Field, raw: Any, parts: PathParts) -> tuple[str, ...]:
        if not isinstance(raw, list):
            self.wrong_type(parts, self.say("expected a list of lines in square brackets, not "
                                            "{what}.", what=describe_value(raw, self.say)),
                            spec.example)
            return ()
        out = []
        for i, item in enumerate(raw):
            if isinstance(item, str):
                text = clean_text(item)
                self.count_text((*parts, i), text)
                if text:
                    out.append(text)
            else:
                self.wrong_type((*parts, i), self.say("expected text here, not {what}.",
                                                      what=describe_value(item, self.say)),
                                spec.example)
        if spec.required and not out and self.found == 0:
            self.add(parts, self.say("this needs at least one line."), spec.example)
        return tuple(out)

    def _date(self, spec: Field, raw: Any, parts: PathParts) -> dt.date | None:
        if isinstance(raw, dt.datetime):
            return self._in_range(spec, raw.date(), parts)
        if isinstance(raw, dt.date):
            return self._in_range(spec, raw, parts)
        if isinstance(raw, str):
            if _ISO_DATE.fullmatch(raw):  # the usual case, without the reader's work
                with contextlib.suppress(ValueError):
                    return self._in_range(spec, dt.date.fromisoformat(raw), parts)
            reading = read_date(raw, say=self.say)
            if reading.iso is not None:
                return self._in_range(spec, dt.date.fromisoformat(reading.iso), parts)
            # The whole date is never repeated: it may be a child's date of birth, and
            # messages end up in bulk reports. The line and field say where it is.
            self.add(parts, reading.problem, spec.example)
            return None
        self.wrong_type(parts, self.say("expected a date such as 2026-04-03 or 3 April 2026, not "
                                        "{what}.", what=describe_value(raw, self.say)),
                        spec.example)
        return None

    def _in_range(self, spec: Field, day: dt.date, parts: PathParts) -> dt.date | None:
        # A reply-by date counted from 9999-12-31 would fall after the last date there is.
        if FIRST_YEAR <= day.year <= LAST_YEAR:
            return day
        self.add(parts, self.say("the year is not one a letter can use: write a year from "
                                 "{first} to {last}. Check it for a slip of the keyboard.",
                                 first=FIRST_YEAR, last=LAST_YEAR), spec.example)
        return None

    def _int(self, spec: Field, raw: Any, parts: PathParts) -> int | None:
        number: int | None = None
        if isinstance(raw, int) and not isinstance(raw, bool):
            number = raw
        elif isinstance(raw, str) and _WHOLE_NUMBER.fullmatch(raw.strip()):
            number = int(raw.strip())
        if number is None:
            self.wrong_type(parts, self.say("expected a whole number, not {what}.",
                                            what=describe_value(raw, self.say)), spec.example)
            return None
        low, high = spec.minimum, spec.maximum
        if (low is not None and number < low) or (high is not None and number > high):
            self.add(parts, self.say("{number} is out of range; use a number from {low} to "
                                     "{high}.", number=number, low=low, high=high),
                     spec.example)
            return None
        return number

    def _flag(self, spec: Field, raw: Any, parts: PathParts) -> bool | None:
        if isinstance(raw, bool):
            return raw
        self.wrong_type(parts, self.say("expected true or false, not {what}.",
                                        what=describe_value(raw, self.say)), spec.example)
        return None

    def _choice(self, spec: Field, raw: Any, parts: PathParts) -> str | None:
        if not isinstance(raw, str):
            self.wrong_type(parts, self.say("expected one of {choices}, not {what}.",
                                            choices=_choices(spec),
                                            what=describe_value(raw, self.say)), spec.example)
            return None
        chosen = clean_text(raw).lower()
        if chosen in spec.choices:
            return chosen
        self.add(parts, lambda: self.say('"{shown}" is not one of {choices}.',
                                         shown=shorten(clean_text(raw)), choices=_choices(spec))
                 + did_you_mean(chosen, spec.choices, self.say), spec.example)
        return None

    def _evidence(self, spec: Field, raw: Any, parts: PathParts) -> tuple[str, ...]:
        items = [raw] if isinstance(raw, str) else raw
        if not isinstance(items, list):
            self.wrong_type(parts, self.say("expected a list of evidence ids, not {what}.",
                                            what=describe_value(raw, self.say)), spec.example)
            return ()
        out = []
        for i, item in enumerate(items):
            text = clean_text(item) if isinstance(item, str) else ""
            if text:
                self.count_text((*parts, i), text)
                out.append(text)
            else:
                # Empty text is a missing id; anything but text is the wrong kind of value.
                note = self.add if isinstance(item, str) else self.wrong_type
                note((*parts, i), self.say("expected an evidence id such as E1, not {what}.",
                                           what=describe_value(item, self.say)), spec.example)
        return tuple(out)

    def _record(self, spec: Field, raw: Any, parts: PathParts) -> dict[str, Any] | None:
        if not isinstance(raw, dict):
            self.wrong_type(parts, self.say("expected a set of fields ({fields}), not {what}.",
                                            fields=", ".join(spec.field_names),
                                            what=describe_value(raw, self.say)), spec.example)
            return None
        return self.fields(spec.fields, raw, parts)

    def _records(self, spec: Field, raw: Any, parts: PathParts) -> tuple[dict[str, Any], ...]:
        if not isinstance(raw, list):
            self.wrong_type(parts, self.say('expected a list (each item starting with "- "), not '
                                            "{what}.", what=describe_value(raw, self.say)),
                            spec.example)
            return ()
        if len(raw) < spec.min_items:
            self.add(parts, self.say("this needs at least {count} item.",
                                     count=spec.min_items), spec.example)
        out = []
        for i, item in enumerate(raw):
            record = self._record(spec, item, (*parts, i))
            if record is not None:
                out.append(record)
        return tuple(out)

    def fields(self, specs: Sequence[Field], raw: Mapping[Any, Any],
               parts: PathParts) -> dict[str, Any]:
        known = _by_name(specs)
        for key in raw:
            if key not in known:
                self.unknown(key, known, parts)
        out: dict[str, Any] = {}
        for spec in specs:
            value = self.value(spec, raw.get(spec.name), (*parts, spec.name))
            out[spec.name] = spec.default if value is None and spec.default is not None else value
        return out

    def unknown(self, key: Any, known: Mapping[str, Field], parts: PathParts) -> None:
        key_text = str(key)
        if len(self.problems) >= MAX_PROBLEMS:
            self.found += 1  # only counted: spare the search for a near name
            return
        hint = did_you_mean(key_text, list(known), self.say)
        match = difflib.get_close_matches(key_text, list(known), n=1, cutoff=0.6)
        example = known[match[0]].example if match else ""
        if not hint:
            hint = self.say(" The fields here are: {fields}.", fields=", ".join(known))
        self.add((*parts, key_text), self.say('"{key}" is not a field swletter knows, so it '
                                              "would be left out of the letter.",
                                              key=shorten(key_text)) + hint, example)


#: The check for each kind of field (schema.KINDS).
_CHECKS: dict[str, Callable[[Validator, Field, Any, PathParts], Any]] = {
    "text": Validator._text, "child": Validator._child, "lines": Validator._lines,
    "date": Validator._date, "int": Validator._int, "flag": Validator._flag,
    "choice": Validator._choice, "evidence": Validator._evidence,
    "record": Validator._record, "records": Validator._records,
}
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_WHOLE_NUMBER = re.compile(r"[0-9]{1,9}")
_FIELDS_BY_NAME: dict[int, tuple[Sequence[Field], dict[str, Field]]] = {}


def _by_name(specs: Sequence[Field]) -> dict[str, Field]:
    """``specs`` by name, worked out once per list of fields (they live as long as the process)."""
    cached = _FIELDS_BY_NAME.get(id(specs))
    if cached is None or cached[0] is not specs:
        if len(_FIELDS_BY_NAME) > 512:  # only if fields were made on the fly: stay bounded
            _FIELDS_BY_NAME.clear()
        cached = _FIELDS_BY_NAME[id(specs)] = (specs, {s.name: s for s in specs})
    return cached[1]


def describe_value(raw: Any, say: Say = say_en) -> str:
    if isinstance(raw, bool):
        return say("{value} (yes/no)", value=str(raw).lower())
    if isinstance(raw, int | float):
        return say("the number {number} (put text in quotes)", number=raw)
    if isinstance(raw, list):
        return say("a list")
    if isinstance(raw, dict):
        return say("a set of fields")
    if raw is None:
        return say("nothing")
    # Text is not quoted back: it may be a name or an address, and messages end up in bug
    # reports and bulk reports. The line and field say where it is.
    return say("text")


def _choices(spec: Field) -> str:
    return ", ".join(spec.choices)


def some_names(names: Sequence[str], say: Say = say_en, shown: int = 12) -> str:
    """``names`` joined with commas, the first ``shown`` of them and how many more."""
    if len(names) <= shown:
        return ", ".join(map(shorten, names))
    more = format(len(names) - shown, ",")
    return say("{names} and {count} more", names=", ".join(map(shorten, names[:shown])),
               count=more)


def did_you_mean(word: str, options: Sequence[str], say: Say = say_en) -> str:
    match = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return say(' Did you mean "{word}"?', word=match[0]) if match else ""
