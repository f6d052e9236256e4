"""The use-case layer: one function per thing a person does with swletter.

Every front door — the command line (``cli.py``), the web form (``letters.web``), a charity's
own script — calls these and nothing deeper. Each takes data and settings and returns a result
(a rendered document, advice, warnings); none chooses a path it was not given, prints, or exits.
Where a function writes a file, the caller names it.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from letters.advice.findings import Finding, faults
from letters.advice.readability import check_letter_text
from letters.advice.review import check_case, people_of
from letters.advice.shape import letter_length
from letters.advice.tone import in_their_names
from letters.case.model import Case
from letters.case.validate import case_from_data, load_case
from letters.compose.documents import Rendered
from letters.compose.followup import FirstLetter, make_followup
from letters.compose.request import make_letter
from letters.compose.statement import MissingPart, draft_statement, statement_todo
from letters.config import Settings
from letters.errors import CaseError
from letters.output import check_target, write_atomic

__all__ = [
    "CheckReport",
    "FirstLetter",
    "check",
    "document_bytes",
    "draft_statement_for",
    "problems_as_data",
    "read_case",
    "read_case_data",
    "render_followup",
    "render_request",
    "review",
    "write_document",
]


def _settings(settings: Settings | None) -> Settings:
    return settings or Settings()


# -- reading a case -----------------------------------------------------------------------------


def read_case(path: str | os.PathLike[str], *, settings: Settings | None = None) -> Case:
    """The case in the file ``path`` (YAML or JSON), checked, with the settings' defaults (a
    charity's address, say) filled in. ``CaseError`` lists every problem, with lines."""
    return load_case(path, defaults=_settings(settings).case_defaults)


def read_case_data(data: Mapping[str, Any], *, settings: Settings | None = None,
                   source: str = "") -> Case:
    """A case from plain data (an upload, the web form's answers), checked. Nothing on this
    computer is looked at: evidence ``file:`` names are taken as given."""
    return case_from_data(_settings(settings).case_defaults.apply(dict(data)), source=source)


# -- documents ----------------------------------------------------------------------------------


def render_request(case: Case, *, settings: Settings | None = None,
                   today: dt.date | None = None, language: str = "en") -> Rendered:
    """The letter asking for a change of social worker, put into words."""
    return make_letter(case, today=today, template_dirs=_settings(settings).template_dirs,
                       code=language)


def render_followup(case: Case, kind: str, first: FirstLetter, *,
                    settings: Settings | None = None, today: dt.date | None = None,
                    language: str = "en") -> Rendered:
    """A follow-up to the letter ``first`` describes: a ``chaser``, a request for the
    ``reasons``, or a ``complaint``. (Where the register knows the first letter, see
    ``letters.register.store.first_letter_for``.)"""
    return make_followup(case, kind, first, today=today,
                         template_dirs=_settings(settings).template_dirs, code=language)


def draft_statement_for(case: Case, by: str | None = None, *,
                        settings: Settings | None = None, language: str = "en") -> Rendered:
    """The supporting statement by ``by`` (or the first author) drafted for them to finish;
    its ``document.missing`` lists the parts still to complete."""
    return draft_statement(case, by, template_dirs=_settings(settings).template_dirs,
                           code=language)


def document_bytes(rendered: Rendered, fmt: str, *, settings: Settings | None = None) -> bytes:
    """A rendered document as a file's bytes: docx, md, html or pdf, on the settings'
    letterhead, its properties naming its author unless the settings say not to."""
    settings = _settings(settings)
    return rendered.to_bytes(fmt, reference_docx=settings.reference_docx,
                             author_in_metadata=settings.author_in_metadata)


def write_document(rendered: Rendered, fmt: str, target: str | os.PathLike[str], *,
                   settings: Settings | None = None, force: bool = False,
                   protect: tuple[str | os.PathLike[str], ...] = ()) -> Path:
    """Write ``rendered`` to ``target`` as one step: whole or not at all, owner-only, never
    over an existing file without ``force``, never over a file in ``protect`` (the case file).
    The target is checked before a slow conversion."""
    check_target(target, force=force, protect=protect)
    return write_atomic(target, document_bytes(rendered, fmt, settings=settings), force=force,
                        protect=protect)


# -- advice -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckReport:
    """What ``swletter check`` says about a valid case: the letter it would give, the advice
    on tone, readability and evidence, and the supporting statements still to complete."""

    rendered: Rendered
    findings: tuple[Finding, ...]
    statements_to_complete: tuple[tuple[str, tuple[MissingPart, ...]], ...] = field(default=())

    @property
    def warnings(self) -> int:
        """Findings to resolve before sending (notes never count)."""
        return len(faults(self.findings))

    @property
    def notes(self) -> int:
        return len(self.findings) - self.warnings

    def as_data(self, source: str) -> dict[str, Any]:
        """The report as JSON-ready data (``check --format json``)."""
        letter = self.rendered.document
        return {"file": source, "valid": True, "grounds": list(letter.ground_ids),
                "enclosures": len(letter.enclosures), "reply_by": letter.reply_by.isoformat(),
                "warnings": self.warnings, "notes": self.notes,
                "findings": [f.to_dict() for f in self.findings]}


def check(case: Case, *, settings: Settings | None = None, today: dt.date | None = None,
          whole_letter: bool = True) -> CheckReport:
    """Everything ``swletter check`` reports for a valid case. ``whole_letter=False`` leaves
    out the finished letter's reading scores (a fraction of a second): what ``render`` shows."""
    rendered = render_request(case, settings=settings, today=today)
    findings = review(rendered, whole_letter=whole_letter)
    todo = tuple((st.author, parts) for _, st, parts in statement_todo(case))
    return CheckReport(rendered, tuple(findings), todo)


def problems_as_data(err: CaseError, source: str) -> dict[str, Any]:
    """A case that is not valid, as JSON-ready data (``check --format json``)."""
    return {"file": source, "valid": False,
            "problems": [{"path": p.path, "line": p.line, "message": p.message,
                          "example": p.example} for p in err.problems],
            "more_problems": err.more}


def review(rendered: Rendered, *, whole_letter: bool = True) -> list[Finding]:
    """The advice on a rendered letter: the case's own words, the letter's warnings, and (with
    ``whole_letter``) the finished letter's reading scores."""
    case = rendered.document.case
    findings = check_case(case, rendered.warnings)
    findings.extend(letter_length(case, rendered.markdown))
    if not whole_letter:
        return findings
    letter = rendered.document
    whole = check_letter_text(rendered.markdown, letter.salutation, letter.sign_off)
    return findings + in_their_names(whole, people_of(case))
