"""An anonymised copy of the letter, to share with a charity or a forum.

The copy is not the letter with words blacked out afterwards: the case itself is anonymised
(``redact_case``) and the letter is composed from it again, so every template, enclosure and
date goes through the same path as the real letter. In the anonymised case:

- every person is replaced by their role: the children by "Child A", "Child B" … (the eldest
  first where dates of birth are known), the writer by their relationship ("The mother"), the
  worker by "the social worker", the manager by "Dear Sir or Madam", a supporting statement's
  author by their role ("the independent advocate"), a ground's named person by the role its
  data gives (``identifies = "person"`` in ``grounds/*.toml``);
- addresses, phone numbers, emails, the council's name and team, case and complaint references
  are replaced by "[… removed]";
- dates are printed as month and year only (the language layer's "month" style); evidence
  file names are dropped;
- every free-text field is scanned for the people's names, nicknames and initials, and for
  emails, postcodes, phone numbers, references and dates (``letters.compose.scrub``). What
  could not be decided safely is returned for the person to check.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from letters.case.grounds import get_ground
from letters.case.model import Case, Child, CopyTo, Evidence, SupportingStatement, format_path
from letters.case.schema import Field
from letters.compose.documents import Rendered, document_kind
from letters.compose.language import DEFAULT as DEFAULT_LANGUAGE
from letters.compose.language import language
from letters.compose.request import compose_letter
from letters.compose.scrub import Person, Scrubber, Unsure
from letters.errors import Problem

ADDRESS = "[address removed]"
PHONE = "[phone number removed]"
EMAIL = "[email removed]"
REFERENCE = "[reference removed]"
ORGANISATION = "[council removed]"


@dataclass(frozen=True)
class Redaction:
    """An anonymised case, and what is left for the person to check (each a ``Problem``
    naming the field and the word)."""

    case: Case
    to_check: tuple[Problem, ...]


def child_labels(children: Sequence[Child]) -> dict[str, str]:
    """Each child's name → "Child A", "Child B" …: the eldest first where every date of birth
    is known, else in the case's order."""
    order = list(children)
    if all(c.date_of_birth for c in order):
        order.sort(key=lambda c: c.date_of_birth or dt.date.min)
    return {c.name: f"Child {chr(ord('A') + i)}" if i < 26 else f"Child {i + 1}"
            for i, c in enumerate(order)}


def _role(role: str | None, fallback: str) -> str:
    return f"the {role.strip().lower()}" if role and role.strip() else fallback


def case_people(case: Case) -> list[Person]:
    """Everyone the case names, each with the words that replace them."""
    labels = child_labels(case.children)
    people = [Person(label, (name,)) for name, label in labels.items()]
    people.append(Person(_role(case.sender.relationship, "the parent"), (case.sender.name,)))
    people.append(Person("the social worker", (case.social_worker.name,)))
    if case.recipient.name:
        people.append(Person(_role(case.recipient.role, "the team manager"),
                             (case.recipient.name,)))
    for gid, data in case.grounds.items():
        for spec, value in _person_fields(get_ground(gid).fields, data):
            people.append(Person(spec.replaced_by or "another person", (value,)))
    for st in case.supporting_statements:
        people.append(Person(_role(st.role, "the author of a supporting statement"),
                             (st.author,)))
    for person in case.copy_to:
        people.append(Person(_role(person.role, "a person copied in"), (person.name,)))
    return people


def _person_fields(fields: Sequence[Field], data: Mapping[str, Any]) -> list[tuple[Field, str]]:
    found = []
    for spec in fields:
        value = data.get(spec.name)
        if not value:
            continue
        if spec.kind == "text" and spec.identifies == "person":
            found.append((spec, str(value)))
        elif spec.kind == "record":
            found += _person_fields(spec.fields, value)
        elif spec.kind == "records":
            for record in value:
                found += _person_fields(spec.fields, record)
    return found


def _identifying_strings(case: Case) -> list[tuple[str, str]]:
    """Every exact string in the case that identifies someone, with its replacement."""
    found: list[tuple[str, str]] = []
    for line in (*case.sender.address, *case.recipient.address):
        found.append((line, ADDRESS))
    for value, replacement in ((case.sender.phone, PHONE), (case.sender.email, EMAIL),
                               (case.recipient.email, EMAIL),
                               (case.case_reference, REFERENCE),
                               (case.recipient.organisation, ORGANISATION),
                               (case.recipient.team, "[team removed]")):
        if value:
            found.append((value, replacement))
    for gid, data in case.grounds.items():
        found += [(v, REFERENCE) for v in _values(get_ground(gid).fields, data, "reference")]
    return found


def _values(fields: Sequence[Field], data: Mapping[str, Any], identifies: str) -> list[str]:
    out = []
    for spec in fields:
        value = data.get(spec.name)
        if not value:
            continue
        if spec.identifies == identifies:
            out.append(str(value))
        elif spec.kind == "record":
            out += _values(spec.fields, value, identifies)
        elif spec.kind == "records":
            for record in value:
                out += _values(spec.fields, record, identifies)
    return out


class _Redactor:
    """Rebuilds a case field by field, collecting what is left to check."""

    def __init__(self, case: Case) -> None:
        self.case = case
        self.people = case_people(case)
        self.children = child_labels(case.children)
        self.scrubber = Scrubber(self.people, _identifying_strings(case))
        self.to_check: list[Problem] = []

    def text(self, value: str | None, *path: str | int) -> str | None:
        if value is None:
            return None
        clean, unsure = self.scrubber.scrub(value)
        self.to_check += [self._problem(u, path) for u in unsure]
        return clean

    def _problem(self, unsure: Unsure, path: tuple[str | int, ...]) -> Problem:
        return Problem(f'"{unsure.word}" {unsure.why}: check it before you share the copy.',
                       path=format_path(path), file=self.case.source)

    def label_of(self, name: str) -> str:
        for person in self.people:
            if name in person.names:
                return person.label
        return "[name removed]"

    def ground(self, gid: str, fields: Sequence[Field], data: Mapping[str, Any],
               path: tuple[str | int, ...]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for spec in fields:
            value = data.get(spec.name)
            here = (*path, spec.name)
            if value is None or value == ():
                out[spec.name] = value
            elif spec.kind == "record":
                out[spec.name] = self.ground(gid, spec.fields, value, here)
            elif spec.kind == "records":
                out[spec.name] = tuple(self.ground(gid, spec.fields, r, (*here, i))
                                       for i, r in enumerate(value))
            elif spec.kind == "child":
                out[spec.name] = self.children.get(value, "[name removed]")
            elif spec.identifies == "person":
                out[spec.name] = self.label_of(str(value))
            elif spec.identifies == "title":
                out[spec.name] = None
            elif spec.identifies == "reference":
                out[spec.name] = REFERENCE
            elif spec.kind == "text":
                out[spec.name] = self.text(value, *here)
            elif spec.kind == "lines":
                out[spec.name] = tuple(self.text(v, *here, i) for i, v in enumerate(value))
            else:
                out[spec.name] = value
        return out


def redact_case(case: Case) -> Redaction:
    """``case`` with every person replaced by their role and every identifying detail removed
    (see the module's notes), and what is left for the person to check."""
    r = _Redactor(case)
    sender = case.sender
    recipient = case.recipient
    grounds = {gid: r.ground(gid, get_ground(gid).fields, data, ("grounds", gid))
               for gid, data in case.grounds.items()}
    redacted = dataclasses.replace(
        case,
        sender=dataclasses.replace(
            sender, name=_capital(r.label_of(sender.name)), address=(ADDRESS,),
            relationship=r.text(sender.relationship, "sender", "relationship"),
            email=EMAIL if sender.email else None, phone=PHONE if sender.phone else None),
        recipient=dataclasses.replace(
            recipient, title=None, name=None, team=None, organisation=ORGANISATION,
            address=(ADDRESS,), role=r.text(recipient.role, "recipient", "role"),
            email=EMAIL if recipient.email else None),
        social_worker=dataclasses.replace(case.social_worker, name="the social worker",
                                          title=None),
        children=tuple(Child(r.children[c.name], c.date_of_birth) for c in case.children),
        grounds=grounds,
        case_reference=REFERENCE if case.case_reference else None,
        evidence=tuple(Evidence(e.id, e.date, e.type,
                                r.text(e.description, "evidence", i, "description") or "")
                       for i, e in enumerate(case.evidence)),
        supporting_statements=tuple(_statement(r, st, i)
                                    for i, st in enumerate(case.supporting_statements)),
        copy_to=tuple(CopyTo(r.label_of(p.name)) for p in case.copy_to),
        warnings=(),
    )
    return Redaction(redacted, _unique(r.to_check))


def _statement(r: _Redactor, st: SupportingStatement, i: int) -> SupportingStatement:
    def text(value: str | None, name: str) -> str | None:
        return r.text(value, "supporting_statements", i, name)

    return SupportingStatement(
        author=r.label_of(st.author), role=None, organisation=None, date=st.date,
        summary=text(st.summary, "summary"), relationship=text(st.relationship, "relationship"),
        child_views=text(st.child_views, "child_views"), opinion=text(st.opinion, "opinion"),
        child_consent=st.child_consent)


def label_first_name(name: str) -> str:
    """A template's ``first_name`` in an anonymised letter: a role is kept whole."""
    if name.startswith(("Child ", "the ", "The ", "[")):
        return name
    return name.split()[0] if name.split() else name


def _capital(label: str) -> str:
    return label[:1].upper() + label[1:]


def _unique(problems: Sequence[Problem]) -> tuple[Problem, ...]:
    return tuple(dict.fromkeys(problems))


def make_redacted(case: Case, *, today: dt.date | None = None,
                  template_dirs: Sequence[str] = (),
                  code: str = DEFAULT_LANGUAGE) -> Rendered:
    """The letter composed again from the anonymised case, dates as month and year, with a
    note at the top; its ``warnings`` are what is left for the person to check. Its title
    names no one, its properties name no author, and its file name carries neither."""
    from letters.templating.environment import render_template, template_context

    redaction = redact_case(case)
    letter = dataclasses.replace(compose_letter(redaction.case, today=today, code=code),
                                 dates="month", warnings=())
    kind = document_kind("redacted")
    lang = language(code)
    names = [c.name for c in redaction.case.children]
    # "Child A" is the whole of a child's name here: where a template says a child's first
    # name, it is still "Child A", never "Child".
    context = {**template_context(letter), "first_name": label_first_name,
               "children_first_names": lang.join(names)}
    markdown = render_template(kind.template, context, template_dirs=template_dirs, code=code,
                               dates="month")
    return Rendered(kind, markdown,
                    title=lang.subject("redacted", sorted(names), redaction.case.case_reference),
                    language=code, document=letter, warnings=redaction.to_check)


def template_family() -> Any:
    """The anonymised copy's template, as ``swletter templates check`` tries it: it includes
    the letter's own, with the letter's variables."""
    from letters.templating.families import (
        GROUND_TEMPLATE_VARIABLES,
        VARIABLE_HELP,
        TemplateFamily,
    )

    def trial(case: Case, dirs: tuple[str, ...]) -> object:
        return make_redacted(case, template_dirs=dirs)

    return TemplateFamily("the anonymised copy", (document_kind("redacted").template,),
                          lambda: set(VARIABLE_HELP) | set(GROUND_TEMPLATE_VARIABLES), trial)
