"""The families of templates (the request, the follow-ups, the statement): which built-in
templates each owns, the variables each receives, and the example cases a charity's templates
are tried out on. Both ``templates export`` (its README) and ``templates check`` use these."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

from jinja2 import nodes

from letters.case.grounds import load_grounds
from letters.case.model import Case
from letters.case.schema import CASE_FIELDS, Field
from letters.case.validate import case_from_data, parse_case_text
from letters.compose.documents import document_kind
from letters.compose.request import compose_letter
from letters.errors import CaseError
from letters.templating.environment import (
    LETTER_TEMPLATE,
    render_markdown,
)

#: What each variable of the letter templates is, in a charity's words. A test checks that this
#: names exactly the variables ``template_context`` gives, so a new one cannot go unexplained.
VARIABLE_HELP: dict[str, str] = {
    "letter": "The letter being written: its date, reply-by date, salutation and sign-off.",
    "case": "The whole case file, as checked by swletter.",
    "sender": "Who writes and signs the letter.",
    "relationship": 'How the writer is related to the children, in the letter\'s words: the case '
                    'file\'s "Mum" is "mother" (as written when sender.keep_relationship is true).',
    "recipient": "The manager the letter is addressed to.",
    "worker": "The social worker the family asks to change.",
    "children": "The children, in the order of the case file (a list).",
    "children_names": 'The children\'s full names joined: "Sam Doe and Lily Doe".',
    "children_first_names": 'The children\'s first names joined: "Sam and Lily" ("Child 1" stays '
                            "whole).",
    "children_together": 'How the letter calls the children once it has named them: "Sam and '
                         'Lily", or "the children" when there are more than two.',
    "phrase": "phrase(text) gives the family's phrase as it reads inside a sentence, its first "
              'word lowered unless it is a name: "Missed visits" → "missed visits".',
    "subject": 'The subject line, also the document\'s title: "Request for a change of social '
               'worker for Sam Doe (case reference CP-2026-0413)".',
    "grounds": "The grounds raised, by id, each with its fields (see below). Test for one with "
               '{% if "complaint" in grounds %}.',
    "sections": "The grounds raised, in the letter's order; each has .id, .template and .data.",
    "enclosures": "The numbered enclosures, in order (a list).",
    "cite": "cite(ids) gives \" (Enclosure 2)\" or \" (Enclosures 2 and 3)\" for evidence ids.",
    "cited": "cited(text, ids) gives the user's sentence with its enclosures cited before the "
             "full stop.",
    "language": 'The language this template writes: "en", or "cy" in a Welsh template '
                "(change_request.cy.md.j2).",
    "languages": 'The case\'s language choice: "en", "cy", or "cy+en" (Welsh then English, in '
                 "one document: each language's template writes its own half).",
    "bilingual": "True when the document is in Welsh and English (languages is \"cy+en\").",
    "anonymised": "True in the anonymised copy, where people are named by their role and dates "
                  'are month and year: write "in {{ date }}" there ("in April 2026"), '
                  '"on {{ date }}" otherwise.',
    "language_choice": "The sentence that says the family's language choice and asks for the "
                       "reply in it, in this template's language; empty for a letter in English "
                       "alone. Print it as it is: {{ language_choice }}.",
}

#: Variables the letter skeleton sets for each ground's template (see change_request.md.j2).
GROUND_TEMPLATE_VARIABLES = {
    "g": "This ground's fields, as listed under its name below.",
    "section": "This ground's section (.id, .template, .data).",
    "kids": "How the letter calls the children, as children_together.",
}

# Names Jinja2 provides by itself inside templates.
JINJA_NAMES = frozenset({"loop", "self", "super", "caller", "varargs", "kwargs", "true",
                          "false", "none", "True", "False", "None"})


def builtin_template_names() -> list[str]:
    """The names of swletter's own templates."""
    folder = resources.files("letters.templates")
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".j2"))


# --------------------------------------------------------------------------------------------
# Example cases, for the README and for trial renders


def example_case() -> Any:
    """The full example case swletter ships (every ground, every optional field)."""
    return case_from_data(_example_data(), source="the example case", base_dir=_example_dir())


def _example_dir() -> str:
    return str(resources.files("letters.example"))


def _example_data() -> Any:
    text = resources.files("letters.example").joinpath("case.yaml").read_text("utf-8")
    return parse_case_text(text, "the example case")


def _required_only(specs: Sequence[Field], data: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for spec in specs:
        if not spec.required or spec.name not in data:
            continue
        value = data[spec.name]
        if spec.kind == "record" and isinstance(value, dict):
            value = _required_only(spec.fields, value)
        elif spec.kind == "records" and isinstance(value, list):
            value = [_required_only(spec.fields, v) for v in value if isinstance(v, dict)]
        out[spec.name] = value
    return out


def trial_cases() -> list[tuple[str, Any]]:
    """Cases that exercise templates both ways: every field filled in, and only what is needed.

    The second has every ground with only its required fields, so a template that prints an
    optional field without testing it first fails here rather than in a family's letter.
    """
    full = _example_data()
    lean = _required_only(CASE_FIELDS, full)
    grounds = {g.id: g for g in load_grounds()}
    lean["grounds"] = {gid: _required_only(grounds[gid].fields, value)
                       for gid, value in full.get("grounds", {}).items() if gid in grounds}
    for ground in lean["grounds"].values():
        for value in ground.values():
            if isinstance(value, list):
                for item in value:
                    if isinstance(item, dict):
                        item.pop("evidence", None)
    out = []
    for label, data in (("the full example case", full),
                        ("the example case with only required fields", lean)):
        try:
            out.append((label, case_from_data(data, source=label, base_dir=_example_dir())))
        except CaseError:
            continue  # the shipped example no longer fits the schema: the meta tests catch it
    return out


# --------------------------------------------------------------------------------------------
# Check


@dataclass(frozen=True)
class TemplateFamily:
    """The templates of one kind of document, and how to try them out.

    ``prefixes`` say which template names belong to it; ``variables`` gives the names its code
    passes in; ``trial`` writes the document for a case through a template folder (raising
    ``TemplateError`` when a template fails).
    """

    title: str
    prefixes: tuple[str, ...]
    variables: Callable[[], set[str]]
    trial: Callable[[Case, tuple[str, ...]], object]
    #: Example values of the variables, where the code can give them, for the README.
    samples: Callable[[], dict[str, Any]] = dict

    def owns(self, name: str) -> bool:
        return name.startswith(self.prefixes)


def template_families() -> list[TemplateFamily]:
    """Every kind of document swletter writes from templates. Add a kind here."""
    from letters.compose import easyread, followup, next_steps, redact, statement

    def request(case: Case, dirs: tuple[str, ...]) -> object:
        return render_markdown(compose_letter(case), template_dirs=dirs)

    def followups(case: Case, dirs: tuple[str, ...]) -> object:
        first_date = case.date or dt.date(2026, 11, 23)
        answered = followup.FirstLetter(
            date=first_date, reply_by=first_date + dt.timedelta(days=14), register_id=1,
            chased_on=first_date + dt.timedelta(days=20),
            reply_date=first_date + dt.timedelta(days=25), outcome="refused",
            reasons="not-given")
        for kind in followup.KINDS:
            for first in (followup.FirstLetter(date=first_date), answered):
                followup.make_followup(case, kind, first,
                                       today=first_date + dt.timedelta(days=30),
                                       template_dirs=dirs)
        return None

    def statements(case: Case, dirs: tuple[str, ...]) -> object:
        if case.supporting_statements:
            statement.draft_statement(case, template_dirs=dirs)
        return None

    def followup_samples() -> dict[str, Any]:
        first = followup.FirstLetter(date=dt.date(2026, 11, 23))
        plan = followup.compose_followup(example_case(), "complaint", first,
                                         today=dt.date(2026, 12, 23))
        return followup.followup_context(plan)

    return [
        TemplateFamily("the request letter", (LETTER_TEMPLATE, "ground_"),
                       lambda: set(VARIABLE_HELP) | set(GROUND_TEMPLATE_VARIABLES), request),
        TemplateFamily("the follow-up letters", ("followup_",),
                       lambda: set(followup_samples()), followups, followup_samples),
        TemplateFamily("the supporting statement", (document_kind("statement").template,), set,
                       statements),
        # The documents beyond the letter (issue 19): each module describes its own.
        *(module.template_family() for module in (next_steps, easyread, redact)),
    ]


def assigned_names(tree: nodes.Template) -> set[str]:
    names = {n.name for n in tree.find_all(nodes.Name) if n.ctx in ("store", "param")}
    names |= {m.name for m in tree.find_all(nodes.Macro)}
    return names
