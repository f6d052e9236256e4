"""Reading a case file: bytes → text → plain data (dicts, lists, text, true/false, null).

Every step is one pass with bounded work, whatever the file holds: the file is at most
``MAX_CASE_BYTES``; YAML is built from libyaml's event stream, which stops at the first value
past ``MAX_VALUES`` or the first level past ``MAX_NESTING``, so no tree of millions of nodes is
ever built; problems are kept up to ``errors.MAX_PROBLEMS`` and the rest only counted. Lines
for problems are found, only when there are problems, by a second pass over the events.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import ComposerError

from letters.case.schema import GROUNDS_EXAMPLE
from letters.errors import MAX_PROBLEMS, CaseError, Problem, shorten
from letters.files import FileReadError, FileTooLargeError, NotAFileError, read_regular_file

#: Case files larger than this are refused before they are parsed.
MAX_CASE_BYTES = 2 * 1024 * 1024

#: Lists and fields nested deeper than this are refused as soon as the reader meets them. A
#: case file needs about six levels (grounds, a ground, its incidents, an incident, its
#: evidence). The limit sits far below any YAML library's own (libyaml stops at 1,000 since
#: PyYAML 6.0.4; the pure-Python reader has none), so swletter's check always speaks first.
MAX_NESTING = 100

#: A case file holding more values than this (field names, field values and list items, each
#: counted once) is refused when the reader reaches the first one past it. The full example
#: holds about 250; a case with 500 pieces of evidence about 4,000. The limit keeps every later
#: step (checking, tone advice, the letter itself) within a second or two and a few hundred
#: megabytes, whatever shape the file has.
MAX_VALUES = 20_000

PathParts = tuple[str | int, ...]

_TOO_DEEP = (f"lists or fields are nested more than {MAX_NESTING:,} levels deep; a case file "
             "needs only a few. Is this the right file?")
_TOO_MANY = (f"the file holds more than {MAX_VALUES:,} values (field names, values and list "
             "items); a case file needs a few hundred, or a few thousand with a great deal of "
             "evidence. Is this the right file?")
#: A YAML library that gives up on a file already this deeply nested is taken to have hit its
#: own nesting limit: no real case file comes near it, and the user hears swletter's words.
_SUSPICIOUSLY_DEEP = 32


def read_case_text(path: Path) -> str:
    """The text of a case file, or a ``CaseError`` saying why it cannot be read as text."""
    name = str(path)
    try:
        raw = read_regular_file(path, MAX_CASE_BYTES)
    except FileTooLargeError as err:
        size = f"{err.size:,} bytes" if err.size is not None else \
            f"more than {MAX_CASE_BYTES:,} bytes"
        raise CaseError(
            [Problem(f"the file is {size}; a case file may be at most {MAX_CASE_BYTES:,} bytes "
                     "(2 MiB). Is this the right file?")],
            name,
        ) from None
    except NotAFileError as err:
        reason = "this is a folder, not a case file." if err.kind == "a folder" else err.reason
        raise CaseError([Problem(reason)], name) from None
    except FileReadError as err:
        raise CaseError([Problem(err.reason)], name) from None
    return case_text(raw, name)


def case_text(raw: bytes, name: str) -> str:
    """A case file's bytes as text (an upload's, say), or a ``CaseError`` saying why they are
    not a text file swletter can read. The caller has already kept them to ``MAX_CASE_BYTES``."""
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


def is_json(path: Path, text: str) -> bool:
    """Whether a case file's text is to be read as JSON (by its name, else by its first
    character)."""
    return path.suffix.lower() == ".json" or (
        path.suffix.lower() not in (".yaml", ".yml") and text.lstrip().startswith("{")
    )


def parse_case_text(text: str, name: str, *, as_json: bool = False) -> Any:
    """Parse case text as JSON or YAML into plain data; ``CaseError`` on syntax problems."""
    if as_json:
        return _parse_json(text, name)
    try:
        data, duplicates, more = _build(text)
    except _NotPlainDataError as err:
        raise CaseError([Problem(err.message, line=err.line)], name) from None
    except yaml.YAMLError as err:
        raise CaseError([_yaml_problem(err, text)], name) from None
    if duplicates:
        raise CaseError(
            [Problem(f'"{shorten(key)}" appears more than once in the same place; the second '
                     "would silently replace the first. Keep one.", line=line)
             for key, line in duplicates],
            name, more=more,
        )
    return data


# --------------------------------------------------------------------------------------------
# YAML, from libyaml's events


class _CaseLoader(yaml.CSafeLoader if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader):  # type: ignore[misc]
    """libyaml's parser where the PyYAML wheel has it (only its events are used)."""


class _NotPlainDataError(Exception):
    """YAML that is valid but uses what a case file may not (aliases, tags, complex keys), or
    is nested too deeply or holds too many values."""

    def __init__(self, message: str, mark: Any, *, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = mark.line + 1 if mark else line


_NULL_TAG, _BOOL_TAG = "tag:yaml.org,2002:null", "tag:yaml.org,2002:bool"
_STR_TAG = "tag:yaml.org,2002:str"
# YAML's implicit types cut down to null and true/false (not yes/no/on/off, numbers or dates):
# a phone number keeps its leading zero, and 2026-02-30 is a clear validation error later.
_NULLS = frozenset(("", "~", "null", "Null", "NULL"))
_BOOLS = {"true": True, "True": True, "TRUE": True,
          "false": False, "False": False, "FALSE": False}
_KEY = object()  # in ``keys``: the next value of this mapping is a key
_Scalar, _MapStart, _SeqStart = yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent
_Ends = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


def _scalar(event: Any) -> Any:
    """A scalar as plain data: text, or null and true/false where written plainly."""
    tag, value = event.tag, event.value
    if tag is None or tag == "!":
        if event.implicit[0]:  # written plainly, not in quotes
            if value in _NULLS:
                return None
            return _BOOLS.get(value, value)
        return value
    if tag == _STR_TAG:
        return value
    if tag == _NULL_TAG:
        return None
    if tag == _BOOL_TAG:
        return value.lower() == "true"
    raise _NotPlainDataError(f"YAML tags such as {tag} are not allowed in a case file.",
                             event.start_mark)


def _build(text: str) -> tuple[Any, list[tuple[str, int]], int]:
    """Plain data from YAML text, the duplicate keys found (up to ``MAX_PROBLEMS``, as
    (key, line)) and how many more there were.

    One pass over the parser's events with an explicit stack, so nesting costs no recursion
    and the pass stops at the first level past ``MAX_NESTING`` or value past ``MAX_VALUES``.
    Aliases (``*a``, the "billion laughs" bomb) and tags other than str, null and bool are
    refused; a mapping's key must be a scalar.
    """
    builder = _Builder()
    try:
        # yaml.parse looked up on each call, so a test can swap the reader.
        for event in yaml.parse(text, Loader=_CaseLoader):
            builder.feed(event)
    except yaml.YAMLError as err:
        _too_deep_or_raise(err, text, builder)
        raise
    return builder.root, builder.duplicates, builder.more


class _Builder:
    """The state of ``_build``'s pass: the containers still open and what has been seen."""

    def __init__(self) -> None:
        self.root: Any = None
        self.containers: list[Any] = []  # the lists and dicts still open, innermost last
        self.keys: list[Any] = []  # for each open dict: _KEY, or the key whose value is next
        self.duplicates: list[tuple[str, int]] = []
        self.more = 0
        self.anchors: dict[str, Any] = {}
        self.count = 0
        self.documents = 0
        self.last_start: Any = None

    def feed(self, event: Any) -> None:
        cls = event.__class__
        if cls is _Scalar:
            self._add(_scalar(event), event, cls)
        elif cls is _MapStart:
            self._add({}, event, cls)
        elif cls is _SeqStart:
            self._add([], event, cls)
        elif cls in _Ends:
            if self.containers.pop().__class__ is dict:
                self.keys.pop()
        else:
            self._other(event, cls)

    def _other(self, event: Any, cls: type) -> None:
        """An alias (refused) or the start of a document (only one allowed); others pass."""
        if cls is yaml.AliasEvent:
            if event.anchor in self.anchors:
                raise _NotPlainDataError("aliases (*name) are not allowed in a case file.",
                                         event.start_mark)
            raise ComposerError(None, None, f"found undefined alias {event.anchor!r}",
                                event.start_mark)
        if cls is yaml.DocumentStartEvent:
            self.documents += 1
            if self.documents > 1:
                raise ComposerError("expected a single document in the stream", None,
                                    "but found another document", event.start_mark)

    def _add(self, value: Any, event: Any, cls: type) -> None:
        """Count ``value``, put it in the open container (or as the next key), and open it
        when it is a list or mapping. The usual paths are inline: bulk reads thousands."""
        self.count += 1
        if self.count > MAX_VALUES:
            raise _NotPlainDataError(_TOO_MANY, event.start_mark)
        if event.anchor is not None:
            self._anchor(event)
        containers = self.containers
        if not containers:
            self.root = value
        elif containers[-1].__class__ is list:
            containers[-1].append(value)
        elif self.keys[-1] is _KEY:
            self._key(containers[-1], value, event, cls)
            return
        else:
            containers[-1][self.keys[-1]] = value
            self.keys[-1] = _KEY
        if cls is not _Scalar:
            self.last_start = event.start_mark
            containers.append(value)
            if cls is _MapStart:
                self.keys.append(_KEY)
            if len(containers) > MAX_NESTING:
                raise _NotPlainDataError(_TOO_DEEP, event.start_mark)

    def _anchor(self, event: Any) -> None:
        anchor = event.anchor
        if anchor in self.anchors:
            raise ComposerError(f"found duplicate anchor {anchor!r}; first occurrence",
                                self.anchors[anchor], "second occurrence", event.start_mark)
        self.anchors[anchor] = event.start_mark

    def _key(self, parent: dict[Any, Any], value: Any, event: Any, cls: type) -> None:
        if cls is not _Scalar:
            raise _NotPlainDataError("a field name must be a plain word, not a list or a set "
                                     "of fields.", event.start_mark)
        if value in parent:
            if len(self.duplicates) < MAX_PROBLEMS:
                self.duplicates.append((str(value), event.start_mark.line + 1))
            else:
                self.more += 1
        self.keys[-1] = value


def _too_deep_or_raise(err: yaml.YAMLError, text: str, builder: _Builder) -> None:
    """A library that gives up on a file this deep has hit a nesting limit of its own; the
    user hears swletter's words. libyaml reads up to 1,024 characters ahead in brackets, so it
    can give up on "[[[[…" before it has passed on a single level: there, count the brackets up
    to where it stopped. Otherwise the caller re-raises the library's error."""
    if len(builder.containers) >= _SUSPICIOUSLY_DEEP:
        raise _NotPlainDataError(_TOO_DEEP, builder.last_start) from None
    mark = getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)
    if mark is not None:
        end = text.find("\n", mark.index)
        depth, at = _flow_depth(text[: len(text) if end < 0 else end])
        if depth > MAX_NESTING:
            raise _NotPlainDataError(_TOO_DEEP, None,
                                     line=text.count("\n", 0, at) + 1) from None


_BRACKETS = re.compile(r"[\[\]{}]")


def _flow_depth(text: str) -> tuple[int, int]:
    """How deeply brackets nest in ``text``, and where they first pass ``MAX_NESTING`` (or nest
    deepest), as an index. Quotes are ignored: this is only asked of text that did not parse.
    """
    depth = deepest = at = 0
    for match in _BRACKETS.finditer(text):
        depth = depth + 1 if match.group() in "[{" else max(depth - 1, 0)
        if depth > deepest:
            deepest, at = depth, match.start()
            if deepest > MAX_NESTING:
                break
    return deepest, at


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


def find_lines(text: str, paths: Iterable[PathParts]) -> dict[PathParts, int]:
    """The line of each field or list item that ``paths`` lead through, as far as the file has
    them: ``("evidence", 1, "date")`` finds ``("evidence",)``, ``("evidence", 1)`` and, if
    present, ``("evidence", 1, "date")``. A field's line is that of its name; an item's, that
    of its start. One pass over the events of text ``parse_case_text`` has already read.
    """
    wanted = {parts[:i] for parts in paths for i in range(1, len(parts) + 1)}
    found: dict[PathParts, int] = {}
    if not wanted:
        return found
    here: list[PathParts] = []  # the path of each open list or dict
    state: list[Any] = []  # for a list: the next item's index; for a dict: _KEY, or its key
    try:
        events: Iterator[Any] = yaml.parse(text, Loader=_CaseLoader)
        for event in events:
            cls = event.__class__
            if cls in _Ends:
                here.pop()
                state.pop()
                continue
            if cls is not _Scalar and cls is not _MapStart and cls is not _SeqStart:
                continue
            path: PathParts = ()
            if here:
                at = state[-1]
                if at.__class__ is int:
                    path = (*here[-1], at)
                    state[-1] = at + 1
                    if path in wanted and path not in found:
                        found[path] = event.start_mark.line + 1
                elif at is _KEY:
                    key = event.value if cls is _Scalar else None
                    state[-1] = key
                    if key is not None and (*here[-1], key) in wanted:
                        found.setdefault((*here[-1], key), event.start_mark.line + 1)
                    continue
                else:
                    path = (*here[-1], at)
                    state[-1] = _KEY
            if cls is _MapStart:
                here.append(path)
                state.append(_KEY)
            elif cls is _SeqStart:
                here.append(path)
                state.append(0)
    except yaml.YAMLError:  # cannot happen for text already read; the lines found still stand
        pass
    return found


def locate(problem: Problem, lines: dict[PathParts, int]) -> Problem:
    """``problem`` with the line of the deepest part of its field path the file has."""
    parts = problem.parts
    for end in range(len(parts), 0, -1):
        line = lines.get(parts[:end])
        if line is not None:
            return problem.located(line=line)
    return problem


# --------------------------------------------------------------------------------------------
# JSON


def _parse_json(text: str, name: str) -> Any:
    duplicates: list[str] = []
    more = 0

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        nonlocal more
        out: dict[str, Any] = {}
        for key, value in items:
            if key in out:
                if len(duplicates) < MAX_PROBLEMS:
                    duplicates.append(key)
                else:
                    more += 1
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
        raise CaseError([Problem(_TOO_DEEP)], name) from None
    except ValueError:
        # Python refuses to read integers of more than 4,300 digits (a denial-of-service guard).
        raise CaseError([Problem("this JSON holds a number thousands of digits long; no field "
                                 "of a case file needs one.")], name) from None
    if duplicates:
        raise CaseError(
            [Problem(f'"{shorten(key)}" appears more than once in the same object; the second '
                     "would silently replace the first. Keep one.") for key in duplicates],
            name, more=more,
        )
    _check_json_shape(data, name)
    return data


def _check_json_shape(data: Any, name: str) -> None:
    """Refuse JSON nested deeper than ``MAX_NESTING`` or holding more than ``MAX_VALUES``
    values, as YAML is: counted the same way (the whole, each key, each value, each item),
    without recursion."""
    count = 1
    pending: list[tuple[Any, int]] = [(data, 1)]
    while pending:
        value, depth = pending.pop()
        if value.__class__ is dict:
            items: Any = value.values()
            count += 2 * len(value)
        elif value.__class__ is list:
            items = value
            count += len(value)
        else:
            continue
        if depth > MAX_NESTING:
            raise CaseError([Problem(_TOO_DEEP)], name)
        if count > MAX_VALUES:
            raise CaseError([Problem(_TOO_MANY)], name)
        pending.extend((item, depth + 1) for item in items)
