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
- these words are the copy's language's (``[redact]`` in ``grounds/_language_<code>.toml``:
  "Plentyn A", "y gweithiwr cymdeithasol", "[cyfeiriad wedi'i dynnu]" in Welsh);
- dates are printed as month and year only (the language layer's "month" style); evidence
  file names are dropped;
- every free-text field is scanned for the people's names, nicknames and initials, and for
  emails, postcodes, phone numbers, references and dates (``letters.compose.scrub``). What
  could not be decided safely is returned for the person to check.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
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
from letters.compose.scrub import REMOVED, Person, Scrubber, Unsure
from letters.errors import Problem
from letters.text import capital


class _Words:
    """The words that replace people and details in one language (``[redact]``)."""

    def __init__(self, code: str = DEFAULT_LANGUAGE) -> None:
        self.data: Mapping[str, Any] = language(code).data["redact"]

    def __getitem__(self, key: str) -> str:
        return str(self.data[key])

    def role(self, role: str | None, fallback: str) -> str:
        """A person by the role the case gives them ("the independent advocate"), or by
        ``fallback`` (a key of ``[redact]``) where it gives none."""
        if role and role.strip():
            return self["role"].format(role=role.strip().lower())
        return self[fallback]

    def ground_role(self, replaced_by: str | None) -> str:
        """The role a ground gives the person it names (written in English in the ground's
        file), in this language."""
        if not replaced_by:
            return self["other"]
        return str(self.data.get("ground_roles", {}).get(replaced_by, replaced_by))

    def child(self, i: int) -> str:
        if i < 26:
            return self["child"].format(letter=chr(ord("A") + i))
        return self["child_numbered"].format(n=i + 1)


@dataclass(frozen=True)
class Redaction:
    """An anonymised case, and what is left for the person to check (each a ``Problem``
    naming the field and the word)."""

    case: Case
    to_check: tuple[Problem, ...]


def child_labels(children: Sequence[Child], code: str = DEFAULT_LANGUAGE) -> dict[str, str]:
    """Each child's name → "Child A", "Child B" …: the eldest first where every date of birth
    is known, else in the case's order."""
    order = list(children)
    if all(c.date_of_birth for c in order):
        order.sort(key=lambda c: c.date_of_birth or dt.date.min)
    words = _Words(code)
    return {c.name: words.child(i) for i, c in enumerate(order)}


def case_people(case: Case, code: str = DEFAULT_LANGUAGE) -> list[Person]:
    """Everyone the case names, each with the words that replace them."""
    words = _Words(code)
    labels = child_labels(case.children, code)
    people = [Person(label, (name,)) for name, label in labels.items()]
    people.append(Person(words.role(case.sender.relationship, "parent"), (case.sender.name,)))
    people.append(Person(words["social_worker"], (case.social_worker.name,)))
    if case.recipient.name:
        people.append(Person(words.role(case.recipient.role, "manager"),
                             (case.recipient.name,)))
    for gid, data in case.grounds.items():
        for spec, value in _person_fields(get_ground(gid).fields, data):
            people.append(Person(words.ground_role(spec.replaced_by), (value,)))
    for st in case.supporting_statements:
        people.append(Person(words.role(st.role, "author"), (st.author,)))
    for person in case.copy_to:
        people.append(Person(words.role(person.role, "copied"), (person.name,)))
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


def _identifying_strings(case: Case, words: _Words) -> list[tuple[str, str]]:
    """Every exact string in the case that identifies someone, with its replacement."""
    found: list[tuple[str, str]] = []
    for line in (*case.sender.address, *case.recipient.address):
        found.append((line, words["address"]))
    for value, replacement in ((case.sender.phone, "phone"), (case.sender.email, "email"),
                               (case.recipient.email, "email"),
                               (case.case_reference, "reference"),
                               (case.recipient.organisation, "council"),
                               (case.recipient.team, "team")):
        if value:
            found.append((value, words[replacement]))
    for gid, data in case.grounds.items():
        found += [(v, words["reference"])
                  for v in _values(get_ground(gid).fields, data, "reference")]
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

    def __init__(self, case: Case, code: str = DEFAULT_LANGUAGE) -> None:
        self.case = case
        self.words = words = _Words(code)
        self.people = case_people(case, code)
        self.children = child_labels(case.children, code)
        self.scrubber = Scrubber(self.people, _identifying_strings(case, words),
                                 removed={k: words[k] for k in REMOVED}, code=code)
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
        return self.words["name"]

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
                out[spec.name] = self.children.get(value, self.words["name"])
            elif spec.identifies == "person":
                out[spec.name] = self.label_of(str(value))
            elif spec.identifies == "title":
                out[spec.name] = None
            elif spec.identifies == "reference":
                out[spec.name] = self.words["reference"]
            elif spec.kind == "text":
                out[spec.name] = self.text(value, *here)
            elif spec.kind == "lines":
                out[spec.name] = tuple(self.text(v, *here, i) for i, v in enumerate(value))
            else:
                out[spec.name] = value
        return out


def redact_case(case: Case, code: str = DEFAULT_LANGUAGE) -> Redaction:
    """``case`` with every person replaced by their role and every identifying detail removed
    (see the module's notes), in the words of the language ``code``, and what is left for the
    person to check."""
    r = _Redactor(case, code)
    words = r.words
    sender = case.sender
    recipient = case.recipient
    grounds = {gid: r.ground(gid, get_ground(gid).fields, data, ("grounds", gid))
               for gid, data in case.grounds.items()}
    redacted = dataclasses.replace(
        case,
        sender=dataclasses.replace(
            sender, name=capital(r.label_of(sender.name)), address=(words["address"],),
            relationship=r.text(sender.relationship, "sender", "relationship"),
            email=words["email"] if sender.email else None,
            phone=words["phone"] if sender.phone else None),
        recipient=dataclasses.replace(
            recipient, title=None, name=None, team=None, organisation=words["council"],
            address=(words["address"],), role=r.text(recipient.role, "recipient", "role"),
            email=words["email"] if recipient.email else None),
        social_worker=dataclasses.replace(case.social_worker, name=words["social_worker"],
                                          title=None),
        children=tuple(Child(r.children[c.name], c.date_of_birth) for c in case.children),
        grounds=grounds,
        case_reference=words["reference"] if case.case_reference else None,
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


def label_first_name(name: str, labels: frozenset[str] = frozenset()) -> str:
    """A template's ``first_name`` in an anonymised letter: a role (one of ``labels``, or an
    English one) is kept whole."""
    if name in labels or name.startswith(("Child ", "the ", "The ", "[")):
        return name
    return name.split()[0] if name.split() else name


def _unique(problems: Sequence[Problem]) -> tuple[Problem, ...]:
    return tuple(dict.fromkeys(problems))


def make_redacted(case: Case, *, today: dt.date | None = None,
                  template_dirs: Sequence[str] = (),
                  code: str = DEFAULT_LANGUAGE) -> Rendered:
    """The letter composed again from the anonymised case, dates as month and year, with a
    note at the top; its ``warnings`` are what is left for the person to check. Its title
    names no one, its properties name no author, and its file name carries neither."""
    from letters.templating.environment import render_template, template_context

    redaction = redact_case(case, code)
    letter = dataclasses.replace(compose_letter(redaction.case, today=today, code=code),
                                 dates="month", warnings=())
    kind = document_kind("redacted")
    lang = language(code)
    names = [c.name for c in redaction.case.children]
    # "Child A" is the whole of a child's name here: where a template says a child's first
    # name, it is still "Child A", never "Child".
    labels = frozenset(p.label for p in case_people(case, code)) | frozenset(names)
    labels |= {capital(label) for label in labels}
    context = {**template_context(letter),
               # A partial, not a lambda: a charity's templates run in a worker process,
               # which receives the context pickled.
               "first_name": functools.partial(label_first_name, labels=labels),
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
