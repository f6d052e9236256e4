"""Case files: reading YAML or JSON, validating every field, and the ``Case`` model.

Validation collects every problem before raising one ``CaseError``, so a user fixes a file in one
pass. Each problem names the file, the line (for YAML), the field path such as
``evidence[2].date`` (items counted from 1), what is wrong and an example of what is right.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import json
import os
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from .date_input import read_date
from .errors import CaseError, Problem
from .nations import CaseNation, settle_nation
from .registry import Ground, load_grounds
from .schema import CASE_FIELDS, GROUNDS_EXAMPLE, Field

if TYPE_CHECKING:
    from .config import CaseDefaults

#: Case files larger than this are refused before they are parsed.
MAX_CASE_BYTES = 2 * 1024 * 1024

#: Lists and fields nested deeper than this are refused before the YAML is built. A case file
#: needs about six levels (grounds, a ground, its incidents, an incident, its evidence). The
#: limit sits far below any YAML library's own (libyaml stops at 1,000 since PyYAML 6.0.4; the
#: pure-Python reader has none and libyaml's older composer crashed the process), so swletter's
#: check always speaks first and in its own words.
MAX_NESTING = 100

PathParts = tuple[str | int, ...]

# Characters that must never reach a document: C0/C1 controls (XML 1.0 forbids most of them),
# bidirectional overrides that can reorder the text around them, non-characters and lone
# surrogates. Tabs and line breaks are folded into spaces by ``clean_text``.
_UNWANTED = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufffe\uffff\ud800-\udfff]"
)


def clean_text(value: str) -> str:
    """User text as it will appear in a letter: control characters removed, white space folded.

    Line breaks inside a field join into one paragraph; nothing else is changed.
    """
    # Most text needs no change: every unwanted character and every white space but " " is
    # unprintable, so printable text without doubled or outer spaces is already clean.
    if value.isprintable() and "  " not in value and value[:1] != " " and value[-1:] != " ":
        return value
    return " ".join(_UNWANTED.sub("", value).split())


# --------------------------------------------------------------------------------------------
# The model


@dataclass(frozen=True)
class Sender:
    name: str
    address: tuple[str, ...]
    relationship: str | None = None
    email: str | None = None
    phone: str | None = None


@dataclass(frozen=True)
class Recipient:
    organisation: str
    address: tuple[str, ...]
    title: str | None = None
    name: str | None = None
    role: str | None = None
    team: str | None = None
    email: str | None = None


@dataclass(frozen=True)
class SocialWorker:
    name: str
    title: str | None = None
    allocated_since: dt.date | None = None


@dataclass(frozen=True)
class Child:
    name: str
    date_of_birth: dt.date | None = None


@dataclass(frozen=True)
class Evidence:
    id: str
    date: dt.date
    type: str
    description: str
    file: str | None = None


@dataclass(frozen=True)
class SupportingStatement:
    author: str
    role: str | None = None
    organisation: str | None = None
    date: dt.date | None = None
    summary: str | None = None
    # The author's own parts, which `swletter statement` drafts and `check` lists when missing.
    relationship: str | None = None
    child_views: str | None = None
    opinion: str | None = None
    child_consent: str | None = None


@dataclass(frozen=True)
class CopyTo:
    name: str
    role: str | None = None


@dataclass(frozen=True)
class Case:
    """A validated case: everything a letter needs, user text already cleaned.

    ``grounds`` maps each raised ground's id to its fields (every declared field present, absent
    ones as None). ``source`` is the file it came from, for messages. ``jurisdiction_source``
    says where the part of the UK came from: ``"case file"``, ``"recipient"`` (the file does not
    say; found from the recipient's council or postcode) or ``"default"`` (England: neither
    tells). ``warnings`` are advice about the case itself that every letter from it repeats.
    """

    sender: Sender
    recipient: Recipient
    social_worker: SocialWorker
    children: tuple[Child, ...]
    grounds: dict[str, dict[str, Any]]
    date: dt.date | None = None
    jurisdiction: str = "england"
    case_reference: str | None = None
    evidence: tuple[Evidence, ...] = ()
    supporting_statements: tuple[SupportingStatement, ...] = ()
    copy_to: tuple[CopyTo, ...] = ()
    response_within_working_days: int = 10
    jurisdiction_source: str = "case file"
    source: str = ""
    base_dir: str = field(default="", compare=False)
    warnings: tuple[Problem, ...] = field(default=(), compare=False)


# --------------------------------------------------------------------------------------------
# Reading files


class _CaseLoader(yaml.CSafeLoader if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader):  # type: ignore[misc]
    """Safe YAML loading that keeps every value as the user typed it.

    Only null and true/false are interpreted; numbers and dates stay text so that a phone number
    keeps its leading zero and ``2026-02-30`` becomes a clear validation error rather than a
    crash. ``_plain_data`` turns its nodes into data, refusing duplicate keys and aliases
    (``&a``/``*a``, the "billion laughs" bomb).
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicates: list[tuple[str, int]] = []


class _NotPlainDataError(Exception):
    """YAML that is valid but uses what a case file may not (aliases, tags, complex keys)."""

    def __init__(self, message: str, mark: yaml.Mark | None) -> None:
        super().__init__(message)
        self.message = message
        self.line = mark.line + 1 if mark else None


_NULL_TAG, _BOOL_TAG = "tag:yaml.org,2002:null", "tag:yaml.org,2002:bool"
_STR_TAG = "tag:yaml.org,2002:str"


def _plain_data(node: yaml.Node, seen: set[int], duplicates: list[tuple[str, int]]) -> Any:
    """Plain Python data from a YAML node tree: text, true/false, null, lists and mappings.

    This does what ``_CaseLoader``'s constructor methods describe, in one pass over the nodes
    libyaml built, which takes a third of the time of PyYAML's general constructor: bulk runs
    read thousands of case files. A node met twice is an alias; any other tag is refused.
    """
    if id(node) in seen:
        raise _NotPlainDataError("aliases (*name) are not allowed in a case file", node.start_mark)
    seen.add(id(node))
    if isinstance(node, yaml.ScalarNode):
        if node.tag == _STR_TAG:
            return node.value
        if node.tag == _NULL_TAG:
            return None
        if node.tag == _BOOL_TAG:
            return node.value.lower() == "true"
        raise _NotPlainDataError(f"YAML tags such as {node.tag} are not allowed in a case file",
                                 node.start_mark)
    if isinstance(node, yaml.SequenceNode):
        return [_plain_data(item, seen, duplicates) for item in node.value]
    mapping: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            raise _NotPlainDataError("a field name must be a plain word, not a list or a set of "
                                     "fields", key_node.start_mark)
        key = _plain_data(key_node, seen, duplicates)
        if key in mapping:
            duplicates.append((str(key), key_node.start_mark.line + 1))
        mapping[key] = _plain_data(value_node, seen, duplicates)
    return mapping


_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")


def _plain_resolvers() -> dict[str, list[tuple[str, re.Pattern[str]]]]:
    """YAML's implicit types cut down to null and true/false (not yes/no/on/off)."""
    table: dict[str, list[tuple[str, re.Pattern[str]]]] = {}
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items():
        kept = [(tag, rx) for tag, rx in resolvers if tag == _NULL_TAG]
        if first in "tTfF":
            kept.append((_BOOL_TAG, _BOOL))
        if kept:
            table[first] = kept
    return table


_CaseLoader.yaml_implicit_resolvers = _plain_resolvers()


def read_case_text(path: Path) -> str:
    """The text of a case file, or a ``CaseError`` saying why it cannot be read as text."""
    name = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_CASE_BYTES:
            raise CaseError(
                [Problem(f"the file is {size:,} bytes; a case file may be at most "
                         f"{MAX_CASE_BYTES:,} bytes (2 MiB). Is this the right file?")],
                name,
            )
        raw = path.read_bytes()
    except FileNotFoundError:
        raise CaseError([Problem("the file does not exist.")], name) from None
    except IsADirectoryError:
        raise CaseError([Problem("this is a folder, not a case file.")], name) from None
    except OSError as err:
        raise CaseError([Problem(f"the file cannot be read ({err.strerror}).")], name) from None
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise CaseError([Problem("the file is saved as UTF-16 text. Save it again as UTF-8 "
                                 "(in most editors: Save As, Encoding: UTF-8).")], name)
    if b"\x00" in raw:
        raise CaseError([Problem("this is not a text file. A case file is YAML or JSON text.",
                                 example="sender: {name: Jane Doe}")], name)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise CaseError(
            [Problem("the file is not UTF-8 text. Save it again as UTF-8 "
                     "(in most editors: Save As, Encoding: UTF-8).", line=line)],
            name,
        ) from None
    if not text.strip():
        raise CaseError([Problem("the file is empty.", example=GROUNDS_EXAMPLE)], name)
    return text


def _is_json(path: Path, text: str) -> bool:
    return path.suffix.lower() == ".json" or (
        path.suffix.lower() not in (".yaml", ".yml") and text.lstrip().startswith("{")
    )


def parse_case_text(text: str, name: str, *, as_json: bool = False) -> Any:
    """Parse case text as JSON or YAML into plain data; ``CaseError`` on syntax problems."""
    if as_json:
        return _parse_json(text, name)
    _check_nesting(text, name)
    loader = _CaseLoader(text)
    try:
        node = loader.get_single_node()
        data = None if node is None else _plain_data(node, set(), loader.duplicates)
    except _NotPlainDataError as err:
        raise CaseError([Problem(f"{err.message}.", line=err.line)], name) from None
    except yaml.YAMLError as err:
        raise CaseError([_yaml_problem(err, text)], name) from None
    except RecursionError:
        raise CaseError([Problem(_TOO_DEEP)], name) from None
    finally:
        loader.dispose()
    if loader.duplicates:
        raise CaseError(
            [Problem(f'"{key}" appears more than once in the same place; the second would '
                     "silently replace the first. Keep one.", line=line)
             for key, line in loader.duplicates],
            name,
        )
    return data


_TOO_DEEP = (f"lists or fields are nested more than {MAX_NESTING:,} levels deep; a case file "
             "needs only a few. Is this the right file?")
_NESTING_EVENTS = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
#: A YAML library that gives up on a file already this deeply nested is taken to have hit its
#: own nesting limit: no real case file comes near it, and the user hears swletter's words.
_SUSPICIOUSLY_DEEP = 32
#: What starts a line, before its content: indentation and block markers ("- ", "? ", ": ").
_LINE_LEAD = re.compile(r"^[ \-?:]*", re.M)
_BRACKETS = re.compile(r"[\[\]{}]")


def _flow_depth(text: str) -> tuple[int, int]:
    """How deeply brackets nest in ``text``, and where they first nest deepest (an index).

    Counted on the characters alone, quotes ignored, so a bracket inside a quoted value can
    only make the figure larger. Only a file with many brackets pays for the count.
    """
    if text.count("[") + text.count("{") <= MAX_NESTING:
        return text.count("[") + text.count("{"), 0
    depth = deepest = at = 0
    for match in _BRACKETS.finditer(text):
        depth = depth + 1 if match.group() in "[{" else max(depth - 1, 0)
        if depth > deepest:
            deepest, at = depth, match.start()
            if deepest > MAX_NESTING:
                break
    return deepest, at


def _check_nesting(text: str, name: str) -> None:
    """Refuse YAML nested deeper than ``MAX_NESTING`` before a library builds it, so memory and
    stack stay bounded and the user hears swletter's words whatever limit the library has.

    Flow nesting (brackets) is counted on the characters. A block level needs a deeper
    indentation, except that at one column a mapping may hold a sequence and a "- " may start a
    compact level, so two levels per leading column (spaces and markers) bounds it; only a file
    past that bound is scanned event by event.
    """
    flow, at = _flow_depth(text)
    if flow > MAX_NESTING:
        raise CaseError([Problem(_TOO_DEEP, line=text.count("\n", 0, at) + 1)], name)
    lead = max(map(len, _LINE_LEAD.findall(text)), default=0)
    if flow + 2 * (lead + 1) <= MAX_NESTING:
        return
    depth = 0
    mark: Any = None
    try:
        for event in yaml.parse(text, Loader=_CaseLoader):
            if isinstance(event, _NESTING_EVENTS):
                depth += 1
                mark = event.start_mark
                if depth > MAX_NESTING:
                    break
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
        else:
            return
    except yaml.YAMLError:
        if depth < _SUSPICIOUSLY_DEEP:
            return  # an ordinary syntax error: parsing proper reports it with its line
    raise CaseError([Problem(_TOO_DEEP, line=mark.line + 1 if mark else None)], name)


#: The reading problems people meet in hand-edited YAML, each as (what the library's own report
#: contains, what swletter says). A report not listed gets the general advice alone, so a new
#: library wording can only make the message less specific, never wrong.
_YAML_TROUBLE = (
    ("mapping values are not allowed",
     "a colon (:) appears where a new field cannot start. If a value contains a colon followed "
     'by a space, put the whole value in quotes, as in summary: "Visits: none since May"'),
    ("quoted scalar", "a quotation mark is opened but not closed"),
    ("flow", "a bracket [ or { is opened but not closed, or a value inside it needs quotes"),
    ("could not find expected ':'",
     "a line has no colon after its field name, or a quotation mark is not closed"),
    ("alias", "* or & starts a value; put the value in quotes"),
    ("anchor", "* or & starts a value; put the value in quotes"),
    ("block", "the indentation does not line up with the lines around it"),
)


def _yaml_problem(err: yaml.YAMLError, text: str) -> Problem:
    """A YAML library's error as swletter's own advice, with the line where it is known."""
    mark = getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)
    line = mark.line + 1 if mark else None
    report = f"{getattr(err, 'context', '')} {getattr(err, 'problem', '')}" \
        if isinstance(err, yaml.MarkedYAMLError) else ""
    if line is not None and "\t" in _leading_space(text, line):
        what = "a tab is used to indent this line; YAML needs spaces"
    else:
        what = next((says for sign, says in _YAML_TROUBLE if sign in report), "")
    where = f" (column {mark.column + 1})" if mark else ""
    advice = (f": {what}." if what else ". Check the indentation and that every value after a "
              "colon is on the same line or indented below it.")
    return Problem(f"this is not valid YAML{where}{advice}", line=line,
                   example="children:\n    - name: Sam Doe")


def _leading_space(text: str, line: int) -> str:
    """The white space that starts line ``line`` (1-based) of ``text``."""
    lines = text.split("\n", line)
    here = lines[line - 1] if len(lines) >= line else ""
    return here[: len(here) - len(here.lstrip(" \t"))]


def _parse_json(text: str, name: str) -> Any:
    duplicates: list[str] = []

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in items:
            if key in out:
                duplicates.append(key)
            out[key] = value
        return out

    try:
        data = json.loads(text, object_pairs_hook=pairs)
    except json.JSONDecodeError as err:
        raise CaseError([Problem(
            f"this is not valid JSON (column {err.colno}). Check for a missing comma between "
            "fields, a comma after the last one, a name without double quotes, or a quotation "
            "mark or bracket that is not closed.", line=err.lineno,
            example='{"sender": {"name": "Jane Doe"}}')], name) from None
    except RecursionError:
        raise CaseError([Problem("this JSON is nested too deeply to be a case file.")],
                        name) from None
    except ValueError:
        # Python refuses to read integers of more than 4,300 digits (a denial-of-service guard).
        raise CaseError([Problem("this JSON holds a number thousands of digits long; no field "
                                 "of a case file needs one.")], name) from None
    if duplicates:
        raise CaseError(
            [Problem(f'"{key}" appears more than once in the same object; the second would '
                     "silently replace the first. Keep one.") for key in duplicates],
            name,
        )
    return data


def load_case(path: str | os.PathLike[str], *, defaults: CaseDefaults | None = None) -> Case:
    """Read, validate and return the case in ``path`` (YAML or JSON).

    ``defaults`` (from swletter.toml) fill in what the file leaves out, such as a charity's
    address. Raises ``CaseError`` listing every problem, each with its line where the file is YAML.
    """
    p = Path(path)
    name = str(path)
    text = read_case_text(p)
    as_json = _is_json(p, text)
    data = parse_case_text(text, name, as_json=as_json)
    if defaults is not None:
        data = defaults.apply(data)
    try:
        return case_from_data(data, source=name, base_dir=str(p.parent))
    except CaseError as err:
        if as_json:
            raise
        root = _yaml_lines(text)
        located = [_locate(prob, root) for prob in err.problems]
        located.sort(key=lambda prob: prob.line if prob.line is not None else 0)
        raise CaseError(located, name) from None


# --------------------------------------------------------------------------------------------
# Validation


@dataclass
class _Validator:
    base_dir: str
    problems: list[tuple[PathParts, str, str]] = field(default_factory=list)

    def add(self, parts: PathParts, message: str, example: str = "") -> None:
        self.problems.append((parts, message, example))

    # Each check returns the cleaned value, or None when absent or wrong. Text reaches the
    # checks already cleaned (``clean_text``).
    def value(self, spec: Field, raw: Any, parts: PathParts) -> Any:
        if isinstance(raw, str):
            raw = clean_text(raw)
        if raw is None or raw == "":
            if spec.required:
                self.add(parts, "this is required but missing.", spec.example)
            return None if spec.kind not in ("records", "lines", "evidence") else ()
        return _CHECKS[spec.kind](self, spec, raw, parts)

    def _text(self, spec: Field, raw: Any, parts: PathParts) -> str | None:
        if isinstance(raw, str):
            return raw
        self.add(parts, f"expected text here, not {_describe(raw)}.", spec.example)
        return None

    _child = _text

    def _lines(self, spec: Field, raw: Any, parts: PathParts) -> tuple[str, ...]:
        if not isinstance(raw, list):
            self.add(parts, f"expected a list of lines in square brackets, not {_describe(raw)}.",
                     spec.example)
            return ()
        out = []
        for i, item in enumerate(raw):
            if isinstance(item, str):
                text = clean_text(item)
                if text:
                    out.append(text)
            else:
                self.add((*parts, i), f"expected text here, not {_describe(item)}.",
                         spec.example)
        if spec.required and not out and len(self.problems) == 0:
            self.add(parts, "this needs at least one line.", spec.example)
        return tuple(out)

    def _date(self, spec: Field, raw: Any, parts: PathParts) -> dt.date | None:
        if isinstance(raw, dt.datetime):
            return raw.date()
        if isinstance(raw, dt.date):
            return raw
        if isinstance(raw, str):
            if _ISO_DATE.fullmatch(raw):  # the usual case, without the reader's work
                with contextlib.suppress(ValueError):
                    return dt.date.fromisoformat(raw)
            reading = read_date(raw)
            if reading.iso is not None:
                return dt.date.fromisoformat(reading.iso)
            # The whole date is never repeated: it may be a child's date of birth, and
            # messages end up in bulk reports. The line and field say where it is.
            self.add(parts, reading.problem, spec.example)
            return None
        self.add(parts, f"expected a date such as 2026-04-03 or 3 April 2026, not "
                 f"{_describe(raw)}.", spec.example)
        return None

    def _int(self, spec: Field, raw: Any, parts: PathParts) -> int | None:
        number: int | None = None
        if isinstance(raw, int) and not isinstance(raw, bool):
            number = raw
        elif isinstance(raw, str) and _WHOLE_NUMBER.fullmatch(raw.strip()):
            number = int(raw.strip())
        if number is None:
            self.add(parts, f"expected a whole number, not {_describe(raw)}.", spec.example)
            return None
        low, high = spec.minimum, spec.maximum
        if (low is not None and number < low) or (high is not None and number > high):
            self.add(parts, f"{number} is out of range; use a number from {low} to {high}.",
                     spec.example)
            return None
        return number

    def _flag(self, spec: Field, raw: Any, parts: PathParts) -> bool | None:
        if isinstance(raw, bool):
            return raw
        self.add(parts, f"expected true or false, not {_describe(raw)}.", spec.example)
        return None

    def _choice(self, spec: Field, raw: Any, parts: PathParts) -> str | None:
        if not isinstance(raw, str):
            self.add(parts, f"expected one of {_choices(spec)}, not {_describe(raw)}.",
                     spec.example)
            return None
        chosen = clean_text(raw).lower()
        if chosen in spec.choices:
            return chosen
        self.add(parts, f'"{clean_text(raw)}" is not one of {_choices(spec)}.'
                 + _did_you_mean(chosen, spec.choices), spec.example)
        return None

    def _evidence(self, spec: Field, raw: Any, parts: PathParts) -> tuple[str, ...]:
        items = [raw] if isinstance(raw, str) else raw
        if not isinstance(items, list):
            self.add(parts, f"expected a list of evidence ids, not {_describe(raw)}.",
                     spec.example)
            return ()
        out = []
        for i, item in enumerate(items):
            if isinstance(item, str) and clean_text(item):
                out.append(clean_text(item))
            else:
                self.add((*parts, i), f"expected an evidence id such as E1, not "
                         f"{_describe(item)}.", spec.example)
        return tuple(out)

    def _record(self, spec: Field, raw: Any, parts: PathParts) -> dict[str, Any] | None:
        if not isinstance(raw, dict):
            self.add(parts, f"expected a set of fields ({', '.join(spec.field_names)}), not "
                     f"{_describe(raw)}.", spec.example)
            return None
        return self.fields(spec.fields, raw, parts)

    def _records(self, spec: Field, raw: Any, parts: PathParts) -> tuple[dict[str, Any], ...]:
        if not isinstance(raw, list):
            self.add(parts, f"expected a list (each item starting with \"- \"), not "
                     f"{_describe(raw)}.", spec.example)
            return ()
        if len(raw) < spec.min_items:
            self.add(parts, f"this needs at least {spec.min_items} item.", spec.example)
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
        hint = _did_you_mean(key_text, list(known))
        match = difflib.get_close_matches(key_text, list(known), n=1, cutoff=0.6)
        example = known[match[0]].example if match else ""
        if not hint:
            hint = f" The fields here are: {', '.join(known)}."
        self.add((*parts, key_text), f'"{key_text}" is not a field swletter knows, so it would '
                 f"be left out of the letter.{hint}", example)


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


def _describe(raw: Any) -> str:
    if isinstance(raw, bool):
        return f"{str(raw).lower()} (yes/no)"
    if isinstance(raw, int | float):
        return f"the number {raw} (put text in quotes)"
    if isinstance(raw, list):
        return "a list"
    if isinstance(raw, dict):
        return "a set of fields"
    if raw is None:
        return "nothing"
    # Text is not quoted back: it may be a name or an address, and messages end up in bug
    # reports and bulk reports. The line and field say where it is.
    return "text"


def _choices(spec: Field) -> str:
    return ", ".join(spec.choices)


def _did_you_mean(word: str, options: Sequence[str]) -> str:
    match = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f' Did you mean "{match[0]}"?' if match else ""


def case_from_data(data: Any, *, source: str = "", base_dir: str = ".") -> Case:
    """Validate plain data (as parsed from a case file) and build a ``Case``.

    Raises ``CaseError`` with every problem found; problems carry field paths but no lines.
    """
    v = _Validator(base_dir=base_dir)
    if not isinstance(data, dict):
        raise CaseError(
            [Problem(f"a case file is a set of fields such as sender: and children:, not "
                     f"{_describe(data)}.", example="sender: {name: Jane Doe}", file=source)],
            source,
        )
    grounds_registry = load_grounds()
    core = v.fields(CASE_FIELDS, {k: val for k, val in data.items() if k != "grounds"}, ())
    if core.get("incomplete"):
        again = f"swletter new --from {source}" if source else "swletter new --from CASE"
        v.add(("incomplete",), "this case is not finished: the questions were stopped before the "
              f'end. Run "{again}" to answer the rest, or, once every part is filled in, delete '
              "this line.")
    grounds = _validate_grounds(v, data.get("grounds"), grounds_registry)
    _cross_check(v, core, grounds, grounds_registry)
    if v.problems:
        raise CaseError(
            [Problem(message=m, path=format_path(p), parts=p, file=source, example=e)
             for p, m, e in v.problems],
            source,
        )
    stated = data.get("jurisdiction")
    nation = settle_nation(core["jurisdiction"] if isinstance(stated, str) and stated.strip()
                           else None, core["recipient"]["organisation"],
                           core["recipient"]["address"], file=source)
    return _build_case(core, grounds, nation, source=source, base_dir=base_dir)


def format_path(parts: PathParts) -> str:
    """``("evidence", 1, "date")`` → ``evidence[2].date`` (items counted from 1)."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part + 1}]"
        else:
            out += f".{part}" if out else part
    return out


def _validate_grounds(v: _Validator, raw: Any, registry: tuple[Ground, ...]) -> dict[str, Any]:
    by_id = {g.id: g for g in registry}
    if raw is None:
        v.add(("grounds",), "at least one ground is needed: the reasons for asking for a "
              f"change. The grounds are: {', '.join(by_id)}.", GROUNDS_EXAMPLE)
        return {}
    if not isinstance(raw, dict):
        v.add(("grounds",), f"expected a set of grounds, not {_describe(raw)}.", GROUNDS_EXAMPLE)
        return {}
    if not raw:
        v.add(("grounds",), "at least one ground is needed.", GROUNDS_EXAMPLE)
    out: dict[str, Any] = {}
    for key, value in raw.items():
        ground = by_id.get(key)
        if ground is None:
            hint = _did_you_mean(str(key), list(by_id)) or f" The grounds are: {', '.join(by_id)}."
            v.add(("grounds", str(key)), f'"{key}" is not a ground swletter knows, so it would be '
                  f"left out of the letter.{hint}", GROUNDS_EXAMPLE)
            continue
        record = v.value(Field(ground.id, "record", required=True, fields=ground.fields,
                               example=_ground_example(ground)), value, ("grounds", key))
        if record is not None:
            out[key] = record
    # The letter raises grounds in the canonical order, whatever order the file gives.
    return {g.id: out[g.id] for g in registry if g.id in out}


def _ground_example(ground: Ground) -> str:
    required = [f for f in ground.fields if f.required] or list(ground.fields[:1])
    return f"{ground.id}: {{{', '.join(f.example for f in required)}}}"


def evidence_file_problem(base_dir: str, file: str) -> str:
    """Why an evidence ``file`` (relative to the case file's folder) is not usable, or ""."""
    try:
        if Path(base_dir, file).is_file():
            return ""
    except OSError as err:  # a name too long for the file system, say: not a file we can use
        shown = file if len(file) <= 60 else file[:60] + "…"
        return f'"{shown}" cannot be used as a file name ({err.strerror}). Check it.'
    return (f'"{file}" does not exist (looked for it next to the case file). Check the '
            "spelling, or leave file out.")


def check_value(spec: Field, raw: Any, *, path: PathParts = (),
                base_dir: str = ".") -> tuple[Any, list[Problem]]:
    """Check one value against its field description, as a case file's value would be.

    Returns the cleaned value (None when absent or wrong) and the problems found. This lets a
    front end such as the guided interview check each answer as it is given, with exactly the
    rules and messages of a case file.
    """
    v = _Validator(base_dir=base_dir)
    value = v.value(spec, raw, path)
    return value, [Problem(message=m, path=format_path(p), parts=p, example=e)
                   for p, m, e in v.problems]


def _cross_check(v: _Validator, core: dict[str, Any], grounds: dict[str, Any],
                 registry: tuple[Ground, ...]) -> None:
    evidence = core["evidence"]
    ids: dict[str, int] = {}
    for i, item in enumerate(evidence):
        if item["id"] is None:
            continue
        if item["id"] in ids:
            v.add(("evidence", i, "id"), f'the id "{item["id"]}" is already used by '
                  f"evidence[{ids[item['id']] + 1}]; each piece of evidence needs its own id.",
                  f"id: E{len(evidence) + 1}")
        else:
            ids[item["id"]] = i
        if item["file"]:
            missing = evidence_file_problem(v.base_dir, item["file"])
            if missing:
                v.add(("evidence", i, "file"), missing, "file: evidence/2026-04-03-email.txt")
    children = [c["name"] for c in core["children"] if c["name"]]
    by_id = {g.id: g for g in registry}
    for gid, data in grounds.items():
        for parts, spec, value in _walk(by_id[gid].fields, data, ("grounds", gid)):
            if spec.kind == "evidence":
                for j, ref in enumerate(value):
                    if ref not in ids:
                        known = ", ".join(ids) if ids else "none yet"
                        v.add((*parts, j), f'cites "{ref}", but there is no evidence with that '
                              f"id.{_did_you_mean(ref, list(ids))} Evidence ids: {known}.",
                              f"evidence: [{{id: {ref}, date: 2026-04-03, type: email, "
                              "description: …}]")
            elif spec.kind == "child" and children and value not in children:
                # The children's names are not repeated: messages must not carry personal data.
                v.add(parts, "this is not the name of one of the children in this case. Write "
                      "it exactly as it is written under children:.", spec.example)


def _walk(specs: Sequence[Field], data: Mapping[str, Any],
          parts: PathParts) -> Iterator[tuple[PathParts, Field, Any]]:
    """Every present value under ``data`` with its path and field description."""
    for spec in specs:
        value = data.get(spec.name)
        if value is None or value == ():
            continue
        here = (*parts, spec.name)
        if spec.kind == "record":
            yield from _walk(spec.fields, value, here)
        elif spec.kind == "records":
            for i, item in enumerate(value):
                yield from _walk(spec.fields, item, (*here, i))
        else:
            yield here, spec, value


def iter_user_text(case: Case) -> Iterator[tuple[str, str]]:
    """Every piece of free text the user wrote in a case, as (field path, text).

    Names and addresses are left out: the tone checker reads what the user says, not who they are.
    """
    by_id = {g.id: g for g in load_grounds()}
    for gid, data in case.grounds.items():
        for parts, spec, value in _walk(by_id[gid].fields, data, ("grounds", gid)):
            if spec.kind == "text":
                yield format_path(parts), value
    for i, ev in enumerate(case.evidence):
        yield format_path(("evidence", i, "description")), ev.description
    for i, st in enumerate(case.supporting_statements):
        if st.summary:
            yield format_path(("supporting_statements", i, "summary")), st.summary


def _build_case(core: dict[str, Any], grounds: dict[str, Any], nation: CaseNation, *,
                source: str, base_dir: str) -> Case:
    return Case(
        date=core["date"],
        jurisdiction=nation.nation,
        jurisdiction_source=nation.source,
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


# --------------------------------------------------------------------------------------------
# Lines for YAML problems (worked out only when there is an error)


def _yaml_lines(text: str) -> yaml.Node | None:
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except (yaml.YAMLError, RecursionError):  # no lines then, but the problems still stand
        return None


def _locate(prob: Problem, root: yaml.Node | None) -> Problem:
    parts = prob.parts
    if root is None or not parts:
        return prob
    node: yaml.Node = root
    line: int | None = None  # a missing top-level field has no line of its own
    for part in parts:
        if isinstance(node, yaml.MappingNode) and isinstance(part, str):
            for key_node, value_node in node.value:
                if key_node.value == part:
                    line = key_node.start_mark.line + 1
                    node = value_node
                    break
            else:
                break
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if part >= len(node.value):
                break
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            break
    return prob.located(line=line)
