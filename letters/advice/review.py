"""Every piece of advice for a case: the tone and readability of each text the person wrote,
the evidence behind the claims, and the composed letter's warnings, in the case's order."""

from __future__ import annotations

import re
from collections.abc import Sequence

from letters.advice.evidence import check_evidence, warnings_as_findings
from letters.advice.findings import Finding
from letters.advice.mixed_language import english_answers
from letters.advice.shape import child_impact, copies, relationship_word
from letters.advice.tone import check_text
from letters.case.model import Case, case_names, iter_user_text
from letters.compose.language import language, languages_of, surname
from letters.errors import Problem

#: Case fields that hold names and references rather than sentences: not checked for tone.
_IDENTIFIER_FIELDS = frozenset({"name", "title", "reference"})
#: Fields that hold a child's own views: everything found there is a note, never a fault.
_CHILD_VIEW_FIELDS = frozenset({"views", "child_views"})


def people_of(case: Case) -> dict[str, str]:
    """The child and the worker the advice's examples name: the first child by first name,
    and the worker as the letter names them ("Mr Smith")."""
    lang = language()
    worker = case.social_worker
    out = {"worker": f"{worker.title} {surname(worker.name)}" if worker.title else worker.name}
    if case.children:
        out["child"] = lang.first_names([c.name for c in case.children])[0]
    return out


_PATH_BREAK = re.compile(r"[.\[]")


def check_case(case: Case, letter_warnings: Sequence[Problem] = ()) -> list[Finding]:
    """Every finding for a case: the tone and readability of each piece of text the user wrote,
    then the evidence behind the claims, then ``letter_warnings`` (what composing the letter
    found, such as evidence that no ground cites) as findings."""
    names = case_names(case)
    people = people_of(case)
    # A family writing in Welsh writes its own words in Welsh: only what needs no word list is
    # judged there, and a note says so (letters.advice.tone_marks).
    code = languages_of(case.language or "en")[0]
    findings: list[Finding] = []
    order: list[str] = []
    prose: list[tuple[str, str]] = []
    for path, text in iter_user_text(case):
        order.append(path)
        field_name = path.rsplit(".", 1)[-1]
        if field_name in _IDENTIFIER_FIELDS:
            continue
        prose.append((path, text))
        kind = "child_views" if field_name in _CHILD_VIEW_FIELDS else "prose"
        findings.extend(check_text(text, path=path, kind=kind, names=names, people=people,
                                   language=code))
    if code != "en" and order:
        from letters.advice.tone_marks import language_note

        findings.append(language_note(language=code))
    findings.extend(english_answers(prose, case.language))
    findings.extend(check_evidence(case))
    findings.extend(child_impact(case))
    findings.extend(copies(case))
    findings.extend(relationship_word(case))
    findings.extend(warnings_as_findings(letter_warnings))

    # Evidence findings sit with the text they are about, so each field reads as one group: a
    # finding goes where the first text at or under its path ("evidence[2]" holds
    # "evidence[2].description") was checked. Every path's own prefixes are noted once, so
    # placing each finding is a look-up, not a search through every path.
    first: dict[str, int] = {}
    for i, path in enumerate(order):
        first.setdefault(path, i)
        for m in _PATH_BREAK.finditer(path):
            first.setdefault(path[:m.start()], i)
    return sorted(findings, key=lambda finding: _place(finding.path, first, len(order)))


def _place(path: str, first: dict[str, int], last: int) -> int:
    """Where a finding goes: at its own path, else with the nearest field above it (the note
    on a ground's empty ``impact`` sits with that ground's other findings)."""
    while path:
        if path in first:
            return first[path]
        cut = max(path.rfind("."), path.rfind("["))
        path = path[:cut] if cut > 0 else ""
    return last
