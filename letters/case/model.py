"""The ``Case`` model: a validated case, everything a letter needs, user text already cleaned;
and walking a case's fields (their paths as a user writes them, and the free text in them)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from letters.case.grounds import load_grounds
from letters.case.schema import Field
from letters.errors import Problem, shorten

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
    #: Print ``relationship`` as written, not in the letter's register ("Mum" → "mother").
    keep_relationship: bool = False


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
    #: How to reach the author, printed under their signature.
    phone: str | None = None
    email: str | None = None


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
    #: The language the case asks for (``en``, ``cy``, ``cy+en``); None when it does not say
    #: (the settings' language, else English, is used: see ``letters.api``).
    language: str | None = None
    case_reference: str | None = None
    evidence: tuple[Evidence, ...] = ()
    supporting_statements: tuple[SupportingStatement, ...] = ()
    copy_to: tuple[CopyTo, ...] = ()
    response_within_working_days: int = 10
    jurisdiction_source: str = "case file"
    source: str = ""
    base_dir: str = field(default="", compare=False)
    warnings: tuple[Problem, ...] = field(default=(), compare=False)


def format_path(parts: PathParts) -> str:
    """``("evidence", 1, "date")`` → ``evidence[2].date`` (items counted from 1)."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part + 1}]"
        else:
            part = shorten(part)  # a field name as typed may be of any length
            out += f".{part}" if out else part
    return out


def walk_fields(specs: Sequence[Field], data: Mapping[str, Any],
          parts: PathParts) -> Iterator[tuple[PathParts, Field, Any]]:
    """Every present value under ``data`` with its path and field description."""
    for spec in specs:
        value = data.get(spec.name)
        if value is None or value == ():
            continue
        here = (*parts, spec.name)
        if spec.kind == "record":
            yield from walk_fields(spec.fields, value, here)
        elif spec.kind == "records":
            for i, item in enumerate(value):
                yield from walk_fields(spec.fields, item, (*here, i))
        else:
            yield here, spec, value


def iter_user_text(case: Case) -> Iterator[tuple[str, str]]:
    """Every piece of free text the user wrote in a case, as (field path, text).

    Names and addresses are left out: the tone checker reads what the user says, not who they are.
    """
    by_id = {g.id: g for g in load_grounds()}
    for gid, data in case.grounds.items():
        for parts, spec, value in walk_fields(by_id[gid].fields, data, ("grounds", gid)):
            if spec.kind == "text":
                yield format_path(parts), value
    for i, ev in enumerate(case.evidence):
        yield format_path(("evidence", i, "description")), ev.description
    for i, st in enumerate(case.supporting_statements):
        if st.summary:
            yield format_path(("supporting_statements", i, "summary")), st.summary


def case_names(case: Case) -> tuple[str, ...]:
    """Every person's name in a case, so that no name is taken for a hostile word."""
    names = [case.sender.name, case.social_worker.name, *(c.name for c in case.children),
             *(s.author for s in case.supporting_statements), *(c.name for c in case.copy_to)]
    if case.recipient.name:
        names.append(case.recipient.name)
    for ground in load_grounds():
        data = case.grounds.get(ground.id) or {}
        names += [data[spec.name] for spec in ground.fields
                  if spec.identifies == "person" and data.get(spec.name)]
    return tuple(names)


def case_references(case: Case) -> tuple[str, ...]:
    """The references a case's documents print (the case reference, a complaint's reference:
    the ground fields that identify a reference), for writers that keep them whole."""
    found = [case.case_reference] if case.case_reference else []
    for ground in load_grounds():
        data = case.grounds.get(ground.id) or {}
        found += [data[spec.name] for spec in ground.fields
                  if spec.identifies == "reference" and data.get(spec.name)]
    return tuple(found)
