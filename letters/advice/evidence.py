"""Evidence: claims without evidence behind them, and the composed letter's own warnings (such
as evidence no ground cites) as findings."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from letters.advice.findings import Finding
from letters.advice.wordlists import word_lists
from letters.case.grounds import get_ground
from letters.case.model import Case, format_path
from letters.case.schema import Field
from letters.dates import long_date
from letters.errors import Problem


def check_evidence(case: Case) -> list[Finding]:
    """Claims without evidence: an incident with no evidence, or a serious claim (a false or
    inaccurate record, an assessment without evidence) where neither the text nor its ground
    cites any, weakens the letter. (Evidence that no ground cites is the composed letter's
    warning, passed to ``check_case``: one source.)"""
    findings: list[Finding] = []
    for gid, data in case.grounds.items():
        findings.extend(_support(get_ground(gid).fields, data, ("grounds", gid), ()))
    return findings


def _serious_words(text: str) -> list[str]:
    pattern = word_lists().serious
    if pattern is None:
        return []
    found = (" ".join(m.group().split()) for m in pattern.finditer(text.replace("’", "'")))
    return list(dict.fromkeys(found))


def _support(specs: Sequence[Field], data: Mapping[str, Any], parts: tuple[str | int, ...],
             inherited: tuple[str, ...]) -> Iterator[Finding]:
    own = next((tuple(data.get(s.name) or ()) for s in specs if s.kind == "evidence"), ())
    cited = own or inherited
    for spec in specs:
        value = data.get(spec.name)
        if not value:
            continue
        here = (*parts, spec.name)
        if spec.kind == "text" and not cited:
            words = _serious_words(value)
            if words:
                yield _serious_finding(format_path(here), words)
        elif spec.kind == "record":
            yield from _support(spec.fields, value, here, cited)
        elif spec.kind == "records":
            for i, record in enumerate(value):
                yield from _record_support(spec, record, (*here, i), cited)


def _record_support(spec: Field, record: Mapping[str, Any], parts: tuple[str | int, ...],
                    inherited: tuple[str, ...]) -> Iterator[Finding]:
    found = list(_support(spec.fields, record, parts, inherited))
    yield from found
    has_evidence_field = any(s.kind == "evidence" for s in spec.fields)
    if has_evidence_field and not found and not record.get("evidence") and not inherited:
        when = next((record[s.name] for s in spec.fields if s.kind == "date" and
                     record.get(s.name)), None)
        on = f" on {long_date(when)}" if when else ""
        yield Finding(
            path=format_path(parts), category="evidence", words="",
            message=f"the incident{on} cites no evidence. An incident backed by a document is "
                    "much harder to dismiss.",
            suggestion="Add what shows it happened (the message you sent that day, a diary "
                       "note, a record extract) under evidence, and cite its id here: "
                       "evidence: [E3]",
        )


def _serious_finding(path: str, words: Sequence[str]) -> Finding:
    return Finding(
        path=path, category="evidence", words=", ".join(words),
        message="this is a serious claim (a false or inaccurate record, or an assessment "
                "without evidence) with no evidence cited. Without evidence it weakens the "
                "letter.",
        suggestion="Enclose what shows the record is wrong (a hospital letter, a school note, "
                   "a message from that day) and cite it: evidence: [E4, E5]. If you have "
                   "nothing to show, describe only what you know happened.",
    )


def warnings_as_findings(warnings: Sequence[Problem]) -> Iterator[Finding]:
    """A composed letter's warnings (evidence no ground cites, say) as findings."""
    for problem in warnings:
        about_evidence = problem.path.startswith("evidence")
        if not problem.example:
            suggestion = "See the message above."
        elif about_evidence:
            suggestion = f"Under the ground it supports, add: {problem.example}"
        else:
            suggestion = f"For example: {problem.example}"
        yield Finding(path=problem.path, category="evidence" if about_evidence else "letter",
                      words="", message=problem.message, suggestion=suggestion)
