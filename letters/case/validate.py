"""Case files: validating every field of plain case data and building the ``Case``
(``letters.case.model``); reading a file's text into plain data is ``letters.case.reading``.

Validation collects every problem before raising one ``CaseError``, so a user fixes a file in one
pass: the first ``errors.MAX_PROBLEMS`` of them, and how many more. Each problem names the file,
the line (for YAML), the field path such as ``evidence[2].date`` (items counted from 1), what is
wrong and an example of what is right. Each pass over the data is linear in its size.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import functools
import os
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from letters.case.grounds import Ground, load_grounds
from letters.case.model import (
    Case,
    Child,
    CopyTo,
    Evidence,
    PathParts,
    Recipient,
    Sender,
    SocialWorker,
    SupportingStatement,
    clean_text,
    format_path,
    walk_fields,
)
from letters.case.nations import CaseNation, settle_nation

# The limits and readers were long defined here, and are still imported from here.
from letters.case.reading import MAX_CASE_BYTES as MAX_CASE_BYTES
from letters.case.reading import MAX_NESTING as MAX_NESTING
from letters.case.reading import MAX_VALUES as MAX_VALUES
from letters.case.reading import find_lines, is_json, locate
from letters.case.reading import parse_case_text as parse_case_text
from letters.case.reading import read_case_text as read_case_text
from letters.case.schema import CASE_FIELDS, GROUNDS_EXAMPLE, Field
from letters.case.typed_dates import read_date
from letters.dates import FIRST_YEAR, LAST_YEAR
from letters.errors import MAX_PROBLEMS, CaseError, Problem, shorten
from letters.translations import Say, say_en, sayer

if TYPE_CHECKING:
    from letters.config import CaseDefaults

# --------------------------------------------------------------------------------------------
# Reading files (the text and its syntax: case_reading.py)


def load_case(path: str | os.PathLike[str], *, defaults: CaseDefaults | None = None) -> Case:
    """Read, validate and return the case in ``path`` (YAML or JSON).

    ``defaults`` (from swletter.toml) fill in what the file leaves out, such as a charity's
    address. Raises ``CaseError`` listing every problem, each with its line where the file is YAML.
    """
    p = Path(path)
    name = str(path)
    text = read_case_text(p)
    as_json = is_json(p, text)
    data = parse_case_text(text, name, as_json=as_json)
    if defaults is not None:
        data = defaults.apply(data)
    try:
        return case_from_data(data, source=name, base_dir=str(p.parent),
                              evidence_files=files_beside(str(p.parent)))
    except CaseError as err:
        if as_json:
            raise
        lines = find_lines(text, (prob.parts for prob in err.problems))
        located = [locate(prob, lines) for prob in err.problems]
        located.sort(key=lambda prob: prob.line if prob.line is not None else 0)
        raise CaseError(located, name, more=err.more) from None


# --------------------------------------------------------------------------------------------
# Validation

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
class _Validator:
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
                                        what=_describe(raw, self.say)), spec.example)
        return None

    _child = _text

    def _lines(self, spec: Field, raw: Any, parts: PathParts) -> tuple[str, ...]:
        if not isinstance(raw, list):
            self.wrong_type(parts, self.say("expected a list of lines in square brackets, not "
                                            "{what}.", what=_describe(raw, self.say)),
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
                                                      what=_describe(item, self.say)),
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
                                        "{what}.", what=_describe(raw, self.say)), spec.example)
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
                                            what=_describe(raw, self.say)), spec.example)
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
                                        what=_describe(raw, self.say)), spec.example)
        return None

    def _choice(self, spec: Field, raw: Any, parts: PathParts) -> str | None:
        if not isinstance(raw, str):
            self.wrong_type(parts, self.say("expected one of {choices}, not {what}.",
                                            choices=_choices(spec),
                                            what=_describe(raw, self.say)), spec.example)
            return None
        chosen = clean_text(raw).lower()
        if chosen in spec.choices:
            return chosen
        self.add(parts, lambda: self.say('"{shown}" is not one of {choices}.',
                                         shown=shorten(clean_text(raw)), choices=_choices(spec))
                 + _did_you_mean(chosen, spec.choices, self.say), spec.example)
        return None

    def _evidence(self, spec: Field, raw: Any, parts: PathParts) -> tuple[str, ...]:
        items = [raw] if isinstance(raw, str) else raw
        if not isinstance(items, list):
            self.wrong_type(parts, self.say("expected a list of evidence ids, not {what}.",
                                            what=_describe(raw, self.say)), spec.example)
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
                                           what=_describe(item, self.say)), spec.example)
        return tuple(out)

    def _record(self, spec: Field, raw: Any, parts: PathParts) -> dict[str, Any] | None:
        if not isinstance(raw, dict):
            self.wrong_type(parts, self.say("expected a set of fields ({fields}), not {what}.",
                                            fields=", ".join(spec.field_names),
                                            what=_describe(raw, self.say)), spec.example)
            return None
        return self.fields(spec.fields, raw, parts)

    def _records(self, spec: Field, raw: Any, parts: PathParts) -> tuple[dict[str, Any], ...]:
        if not isinstance(raw, list):
            self.wrong_type(parts, self.say('expected a list (each item starting with "- "), not '
                                            "{what}.", what=_describe(raw, self.say)),
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
        hint = _did_you_mean(key_text, list(known), self.say)
        match = difflib.get_close_matches(key_text, list(known), n=1, cutoff=0.6)
        example = known[match[0]].example if match else ""
        if not hint:
            hint = self.say(" The fields here are: {fields}.", fields=", ".join(known))
        self.add((*parts, key_text), self.say('"{key}" is not a field swletter knows, so it '
                                              "would be left out of the letter.",
                                              key=shorten(key_text)) + hint, example)


#: The check for each kind of field (schema.KINDS).
_CHECKS: dict[str, Callable[[_Validator, Field, Any, PathParts], Any]] = {
    "text": _Validator._text, "child": _Validator._child, "lines": _Validator._lines,
    "date": _Validator._date, "int": _Validator._int, "flag": _Validator._flag,
    "choice": _Validator._choice, "evidence": _Validator._evidence,
    "record": _Validator._record, "records": _Validator._records,
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


def _describe(raw: Any, say: Say = say_en) -> str:
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


def _some(names: Sequence[str], say: Say = say_en, shown: int = 12) -> str:
    """``names`` joined with commas, the first ``shown`` of them and how many more."""
    if len(names) <= shown:
        return ", ".join(map(shorten, names))
    more = format(len(names) - shown, ",")
    return say("{names} and {count} more", names=", ".join(map(shorten, names[:shown])),
               count=more)


def _did_you_mean(word: str, options: Sequence[str], say: Say = say_en) -> str:
    match = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return say(' Did you mean "{word}"?', word=match[0]) if match else ""


def case_from_data(data: Any, *, source: str = "", base_dir: str = ".",
                   evidence_files: EvidenceFiles | None = None, language: str = "en") -> Case:
    """Validate plain data (as parsed from a case file) and build a ``Case``.

    ``evidence_files`` checks each evidence ``file:`` (see ``EvidenceFiles``); without it the
    names are taken as given. Raises ``CaseError`` with every problem found; problems carry
    field paths but no lines, and are said in ``language`` (the web form's, say).
    """
    v = _Validator(base_dir=base_dir, evidence_files=evidence_files, say=sayer(language))
    if not isinstance(data, dict):
        raise CaseError([Problem(_not_a_case(data, v.say), example="sender: {name: Jane Doe}",
                                 file=source)], source)
    grounds_registry = load_grounds()
    core = v.fields(CASE_FIELDS, {k: val for k, val in data.items() if k != "grounds"}, ())
    if core.get("incomplete"):
        again = f"swletter new --from {source}" if source else "swletter new --from CASE"
        v.add(("incomplete",), v.say('this case is not finished: the questions were stopped '
                                     'before the end. Run "{command}" to answer the rest, or, '
                                     "once every part is filled in, delete this line.",
                                     command=again))
    grounds = _validate_grounds(v, data.get("grounds"), grounds_registry)
    _cross_check(v, core, grounds, grounds_registry)
    if v.problems:
        raise CaseError(
            [Problem(message=m, path=format_path(p), parts=p, file=source, example=e)
             for p, m, e in v.problems],
            source, more=v.more,
        )
    stated = data.get("jurisdiction")
    nation = settle_nation(core["jurisdiction"] if isinstance(stated, str) and stated.strip()
                           else None, core["recipient"]["organisation"],
                           core["recipient"]["address"], file=source)
    return _build_case(core, grounds, nation, source=source, base_dir=base_dir)


def _validate_grounds(v: _Validator, raw: Any, registry: tuple[Ground, ...]) -> dict[str, Any]:
    by_id = {g.id: g for g in registry}
    if raw is None:
        v.add(("grounds",), v.say("at least one ground is needed: the reasons for asking for a "
                                  "change. The grounds are: {grounds}.",
                                  grounds=", ".join(by_id)), GROUNDS_EXAMPLE)
        return {}
    if not isinstance(raw, dict):
        v.wrong_type(("grounds",), v.say("expected a set of grounds, not {what}.",
                                         what=_describe(raw, v.say)), GROUNDS_EXAMPLE)
        return {}
    if not raw:
        v.add(("grounds",), v.say("at least one ground is needed."), GROUNDS_EXAMPLE)
    out: dict[str, Any] = {}
    for key, value in raw.items():
        ground = by_id.get(key)
        if ground is None:
            v.add(("grounds", str(key)), functools.partial(_unknown_ground, key, by_id, v.say),
                  GROUNDS_EXAMPLE)
            continue
        record = v.value(Field(ground.id, "record", required=True, fields=ground.fields,
                               example=_ground_example(ground)), value, ("grounds", key))
        if record is not None:
            out[key] = record
    # The letter raises grounds in the canonical order, whatever order the file gives.
    return {g.id: out[g.id] for g in registry if g.id in out}


def _unknown_ground(key: Any, by_id: Mapping[str, Ground], say: Say = say_en) -> str:
    hint = _did_you_mean(str(key), list(by_id), say) or say(" The grounds are: {grounds}.",
                                                             grounds=", ".join(by_id))
    return say('"{key}" is not a ground swletter knows, so it would be left out of the letter.',
               key=shorten(str(key))) + hint


def _unknown_evidence(ref: str, ids: Mapping[str, int], say: Say = say_en) -> str:
    known = _some(list(ids), say) if ids else say("none yet")
    return (say('cites "{ref}", but there is no evidence with that id.', ref=shorten(ref))
            + _did_you_mean(ref, list(ids), say) + say(" Evidence ids: {ids}.", ids=known))


def _not_a_case(data: Any, say: Say) -> str:
    return say("a case file is a set of fields such as sender: and children:, not {what}.",
               what=_describe(data, say))


def _ground_example(ground: Ground) -> str:
    required = [f for f in ground.fields if f.required] or list(ground.fields[:1])
    return f"{ground.id}: {{{', '.join(f.example for f in required)}}}"


def shape_problems(data: Any) -> list[Problem]:
    """Where plain case data holds a value of the wrong kind (a list where a set of fields
    belongs, a number where text does): what a case file must not have before a program walks
    it, such as the guided interview over an uploaded file or a web page's saved answers.
    Missing or unfinished answers are not problems of shape."""
    if not isinstance(data, dict):
        return [Problem(_not_a_case(data, say_en), example="sender: {name: Jane Doe}")]
    v = _Validator(base_dir=".")
    v.fields(CASE_FIELDS, {k: val for k, val in data.items() if k != "grounds"}, ())
    if data.get("grounds") is not None:
        _validate_grounds(v, data["grounds"], load_grounds())
    return v.mistyped


def evidence_file_problem(base_dir: str, file: str, language: str = "en", *,
                          asked_in: str | None = None) -> str:
    """Why an evidence ``file`` (relative to the case file's folder) is not usable, or "".
    ``asked_in``: the folder, when the guided interview asks for the file's name there."""
    say = sayer(language)
    try:
        if Path(base_dir, file).is_file():
            return ""
    except OSError as err:  # a name too long for the file system, say: not a file we can use
        return say('"{file}" cannot be used as a file name ({reason}). Check it.',
                   file=shorten(file, 60), reason=err.strerror)
    if asked_in is not None:
        return say('"{file}" does not exist (looked for it in {folder}). Check the spelling, or '
                   "press Enter to leave it out.", file=shorten(file, 60), folder=asked_in)
    return say('"{file}" does not exist (looked for it next to the case file). Check the '
               "spelling, or leave file out.", file=shorten(file, 60))


def files_beside(base_dir: str) -> EvidenceFiles:
    """Evidence files checked on disk, relative to ``base_dir`` (the case file's folder)."""
    return functools.partial(evidence_file_problem, base_dir)


def check_value(spec: Field, raw: Any, *, path: PathParts = (), base_dir: str = ".",
                language: str = "en") -> tuple[Any, list[Problem]]:
    """Check one value against its field description, as a case file's value would be.

    Returns the cleaned value (None when absent or wrong) and the problems found, said in
    ``language``. This lets a front end such as the guided interview check each answer as it
    is given, with exactly the rules and messages of a case file.
    """
    v = _Validator(base_dir=base_dir, say=sayer(language))
    value = v.value(spec, raw, path)  # one value: its first MAX_PROBLEMS problems are plenty
    return value, [Problem(message=m, path=format_path(p), parts=p, example=e)
                   for p, m, e in v.problems]


def _born_after_the_letter(v: _Validator, core: dict[str, Any]) -> None:
    """A child's date of birth after the letter's date (today, when the case gives none) is a
    slip of the keyboard. (The date is not repeated: it is a child's date of birth.)"""
    letter_date = core["date"] or dt.date.today()
    for i, child in enumerate(core["children"]):
        born = child.get("date_of_birth")
        if born is not None and born > letter_date:
            v.add(("children", i, "date_of_birth"), "this date of birth is after the date of "
                  "the letter, so it cannot be right. Check the year for a slip of the "
                  "keyboard.", "date_of_birth: 2017-05-02")


def _cross_check(v: _Validator, core: dict[str, Any], grounds: dict[str, Any],
                 registry: tuple[Ground, ...]) -> None:
    _born_after_the_letter(v, core)
    evidence = core["evidence"]
    ids: dict[str, int] = {}
    for i, item in enumerate(evidence):
        if item["id"] is None:
            continue
        if item["id"] in ids:
            other = format_path(("evidence", ids[item["id"]]))
            v.add(("evidence", i, "id"), v.say('the id "{id}" is already used by {other}; each '
                                               "piece of evidence needs its own id.",
                                               id=shorten(item["id"]), other=other),
                  f"id: E{len(evidence) + 1}")
        else:
            ids[item["id"]] = i
        if item["file"] and v.evidence_files is not None:
            missing = v.evidence_files(item["file"])
            if missing:
                v.add(("evidence", i, "file"), missing, "file: evidence/2026-04-03-email.txt")
    children = [c["name"] for c in core["children"] if c["name"]]
    by_id = {g.id: g for g in registry}
    for gid, data in grounds.items():
        for parts, spec, value in walk_fields(by_id[gid].fields, data, ("grounds", gid)):
            if spec.kind == "evidence":
                for j, ref in enumerate(value):
                    if ref not in ids:
                        v.add((*parts, j), functools.partial(_unknown_evidence, ref, ids, v.say),
                              f"evidence: [{{id: {shorten(ref)}, date: 2026-04-03, type: email, "
                              "description: …}]")
            elif spec.kind == "child" and children and value not in children:
                # The children's names are not repeated: messages must not carry personal data.
                v.add(parts, v.say("this is not the name of one of the children in this case. "
                                   "Write it exactly as it is written under children:."),
                      spec.example)


def _build_case(core: dict[str, Any], grounds: dict[str, Any], nation: CaseNation, *,
                source: str, base_dir: str) -> Case:
    return Case(
        date=core["date"],
        jurisdiction=nation.nation,
        jurisdiction_source=nation.source,
        language=core["language"],
        warnings=nation.warnings,
        sender=Sender(**core["sender"]),
        recipient=Recipient(**core["recipient"]),
        social_worker=SocialWorker(**core["social_worker"]),
        case_reference=core["case_reference"],
        children=tuple(Child(**c) for c in core["children"]),
        grounds=grounds,
        evidence=tuple(Evidence(**e) for e in core["evidence"]),
        supporting_statements=tuple(SupportingStatement(**s)
                                    for s in core["supporting_statements"]),
        copy_to=tuple(CopyTo(**c) for c in core["copy_to"]),
        response_within_working_days=core["response_within_working_days"],
        source=source,
        base_dir=base_dir,
    )
