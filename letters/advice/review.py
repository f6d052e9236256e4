"""Every piece of advice for a case: the tone and readability of each text the person wrote,
the evidence behind the claims, and the composed letter's warnings, in the case's order."""

from __future__ import annotations

import re
from collections.abc import Sequence

from letters.advice.evidence import check_evidence, warnings_as_findings
from letters.advice.findings import Finding
from letters.advice.tone import check_text
from letters.case.grounds import load_grounds
from letters.case.model import Case, iter_user_text
from letters.errors import Problem

#: Case fields that hold names and references rather than sentences: not checked for tone.
_IDENTIFIER_FIELDS = frozenset({"name", "title", "reference"})
#: Fields that hold a child's own views: everything found there is a note, never a fault.
_CHILD_VIEW_FIELDS = frozenset({"views", "child_views"})


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


_PATH_BREAK = re.compile(r"[.\[]")


def check_case(case: Case, letter_warnings: Sequence[Problem] = ()) -> list[Finding]:
    """Every finding for a case: the tone and readability of each piece of text the user wrote,
    then the evidence behind the claims, then ``letter_warnings`` (what composing the letter
    found, such as evidence that no ground cites) as findings."""
    names = case_names(case)
    # A family writing in Welsh writes its own words in Welsh: only what needs no word list is
    # judged there, and a note says so (letters.advice.tone_marks).
    language = (case.language or "en").split("+")[0]
    findings: list[Finding] = []
    order: list[str] = []
    for path, text in iter_user_text(case):
        order.append(path)
        field_name = path.rsplit(".", 1)[-1]
        if field_name in _IDENTIFIER_FIELDS:
            continue
        kind = "child_views" if field_name in _CHILD_VIEW_FIELDS else "prose"
        findings.extend(check_text(text, path=path, kind=kind, names=names, language=language))
    if language != "en" and order:
        from letters.advice.tone_marks import language_note

        findings.append(language_note(language=language))
    findings.extend(check_evidence(case))
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
    return sorted(findings, key=lambda finding: first.get(finding.path, len(order)))
