"""From a case to a letter plan: what goes in, in which order, with which numbers and dates.

Composition decides everything that is logic rather than wording: the grounds in canonical order,
the enclosure numbers (evidence in the order the letter first cites it, then evidence no ground
cites, then supporting statements), the salutation and its matching sign-off, and the reply-by
date. The templates then only put words around these facts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from letters.case.grounds import Ground, get_ground
from letters.case.model import Case, Evidence, SupportingStatement, case_references
from letters.case.nations import nation_name
from letters.case.schema import Field
from letters.case.timeline import after_the_letter
from letters.compose.documents import Rendered, document_kind
from letters.compose.language import DEFAULT as DEFAULT_LANGUAGE
from letters.compose.language import language
from letters.dates import add_working_days
from letters.errors import Problem


@dataclass(frozen=True)
class Enclosure:
    """One numbered enclosure: a piece of evidence or a supporting statement."""

    number: int
    evidence: Evidence | None = None
    statement: SupportingStatement | None = None
    cited: bool = True

    @property
    def date(self) -> dt.date | None:
        if self.evidence is not None:
            return self.evidence.date
        assert self.statement is not None
        return self.statement.date


@dataclass(frozen=True)
class GroundSection:
    """One ground as the letter raises it: its definition and the case's facts for it."""

    ground: Ground
    data: dict[str, Any]

    @property
    def id(self) -> str:
        return self.ground.id

    @property
    def template(self) -> str:
        return self.ground.template


@dataclass(frozen=True)
class Letter:
    """A composed letter, ready to be put into words by the templates."""

    case: Case
    date: dt.date
    reply_by: dt.date
    salutation: str
    sign_off: str
    grounds: tuple[GroundSection, ...]
    enclosures: tuple[Enclosure, ...]
    warnings: tuple[Problem, ...] = ()
    #: The language the letter is written in (``en``, ``cy``).
    language: str = DEFAULT_LANGUAGE
    #: How its dates are printed: "day" (23 November 2026), or "month" (November 2026) in an
    #: anonymised copy.
    dates: str = "day"

    @property
    def working_days(self) -> int:
        return self.case.response_within_working_days

    @property
    def ground_ids(self) -> tuple[str, ...]:
        return tuple(g.id for g in self.grounds)

    def statement_enclosures(self) -> tuple[Enclosure, ...]:
        return tuple(e for e in self.enclosures if e.statement is not None)


def compose_letter(case: Case, *, today: dt.date | None = None,
                   code: str = DEFAULT_LANGUAGE) -> Letter:
    """Plan the letter for ``case`` in the language ``code``. ``today`` stands in for the date
    when the case gives none."""
    letter_date = case.date or today or dt.date.today()
    warnings = list(case.warnings)
    sections = tuple(
        GroundSection(ground, _for_nation(ground, _sorted_records(ground.fields, data), case,
                                          warnings))
        for ground, data in ((get_ground(gid), d) for gid, d in case.grounds.items())
    )
    sections = tuple(sorted(sections, key=lambda s: s.ground.order))
    cited_order = _dedupe(ref for s in sections for ref in _cited(s.ground.fields, s.data))
    by_id = {e.id: e for e in case.evidence}
    enclosures: list[Enclosure] = []
    for ref in cited_order:
        enclosures.append(Enclosure(len(enclosures) + 1, evidence=by_id[ref]))
    for i, ev in enumerate(case.evidence):
        if ev.id not in cited_order:
            enclosures.append(Enclosure(len(enclosures) + 1, evidence=ev, cited=False))
            warnings.append(Problem(
                f'evidence "{ev.id}" is listed but no ground cites it. It is still enclosed; '
                "add its id to the ground it supports so the letter refers to it.",
                path=f"evidence[{i + 1}]", file=case.source,
                example=f"evidence: [{ev.id}]",
            ))
    if not case.sender.relationship:
        warnings.append(Problem(
            "say how you are related to the child or children (mother, grandfather, kinship "
            "carer …): the manager needs to know who is asking.",
            path="sender.relationship", file=case.source, example="relationship: mother",
        ))
    shared = [i for i, st in enumerate(case.supporting_statements) if _may_share(st)]
    for i in shared:
        enclosures.append(Enclosure(len(enclosures) + 1, statement=case.supporting_statements[i]))
    warnings.extend(_not_shared(case))
    warnings.extend(after_the_letter(case, letter_date, shared))
    salutation, sign_off = language(code).salutation(case.recipient.title, case.recipient.name)
    return Letter(
        case=case,
        date=letter_date,
        reply_by=add_working_days(letter_date, case.response_within_working_days,
                                  case.jurisdiction),
        salutation=salutation,
        sign_off=sign_off,
        grounds=sections,
        enclosures=tuple(enclosures),
        warnings=tuple(warnings),
        language=code,
    )


def _for_nation(ground: Ground, data: dict[str, Any], case: Case,
                warnings: list[Problem]) -> dict[str, Any]:
    """A ground's data without the fields that do not apply in the case's part of the UK
    (Social Work England's standard outside England), each left out with a warning."""
    out = dict(data)
    for spec in ground.fields:
        if spec.nations and out.get(spec.name) and case.jurisdiction not in spec.nations:
            out[spec.name] = None
            where = ", ".join(nation_name(n) for n in spec.nations)
            warnings.append(Problem(
                f"this applies only to letters to a council in {where}, and this case's is in "
                f"{nation_name(case.jurisdiction)}, so the letter leaves it out.",
                path=f"grounds.{ground.id}.{spec.name}", file=case.source))
    return out


def _may_share(statement: SupportingStatement) -> bool:
    """Whether a supporting statement may go with the letter: not when the child has said no,
    or has not been asked (an advocate shares a child's views only with their agreement)."""
    return statement.child_consent in (None, "yes")


def _not_shared(case: Case) -> list[Problem]:
    """Why each supporting statement without the child's agreement is not enclosed."""
    out = []
    for i, st in enumerate(case.supporting_statements):
        if not _may_share(st):
            out.append(Problem(
                f"the supporting statement from {st.author} is not enclosed, and the letter "
                f'does not mention it: its child_consent is "{st.child_consent}", and a '
                "statement of a child's views is shared only with the child's agreement. If the "
                'child agrees later, change it to "yes".',
                path=f"supporting_statements[{i + 1}].child_consent", file=case.source,
                example="child_consent: yes"))
    return out


def _sorted_records(fields: Sequence[Field], data: dict[str, Any]) -> dict[str, Any]:
    """A ground's data with its date-ordered lists (such as incidents) sorted."""
    out = dict(data)
    for spec in fields:
        if spec.kind == "records" and spec.sort_by and out.get(spec.name):
            out[spec.name] = tuple(sorted(out[spec.name], key=lambda r: r[spec.sort_by]))
    return out


def _cited(fields: Sequence[Field], data: dict[str, Any]) -> Iterator[str]:
    """Evidence ids in the order a ground's paragraph cites them."""
    for spec in fields:
        value = data.get(spec.name)
        if not value:
            continue
        if spec.kind == "evidence":
            yield from value
        elif spec.kind == "records":
            for record in value:
                yield from _cited(spec.fields, record)
        elif spec.kind == "record":
            yield from _cited(spec.fields, value)


def _dedupe(items: Iterator[str]) -> list[str]:
    return list(dict.fromkeys(items))


def make_letter(case: Case, *, today: dt.date | None = None,
                template_dirs: Sequence[str] = (), code: str = DEFAULT_LANGUAGE) -> Rendered:
    """Compose the letter for ``case`` in the language ``code`` and put it into words."""
    from letters.templating.environment import render_markdown

    letter = compose_letter(case, today=today, code=code)
    names = [c.name for c in case.children]
    return Rendered(
        kind=document_kind("request"),
        markdown=render_markdown(letter, template_dirs=template_dirs),
        title=language(code).subject("request", names, case.case_reference),
        language=code, document=letter, warnings=letter.warnings,
        who=names[0] if names else "", date=letter.date, author=case.sender.name,
        references=case_references(case),
    )
