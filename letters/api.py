"""The use-case layer: one function per thing a person does with swletter.

Every front door — the command line (``cli.py``), the web form (``letters.web``), a charity's
own script — calls these and nothing deeper. Each takes data and settings and returns a result
(a rendered document, advice, warnings); none chooses a path it was not given, prints, or exits.
Where a function writes a file, the caller names it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from letters.advice.findings import Finding, faults
from letters.advice.readability import check_letter_text
from letters.advice.review import check_case, people_of
from letters.advice.shape import letter_length
from letters.advice.tone import in_their_names
from letters.bulk.request import BulkRequest, OnProgress
from letters.case.model import Case
from letters.case.validate import case_from_data, load_case
from letters.compose.documents import Rendered, in_language, in_languages
from letters.compose.followup import FirstLetter, first_letter_given, make_followup
from letters.compose.language import choose_language, languages_of
from letters.compose.request import make_letter
from letters.compose.statement import MissingPart, draft_statement, statement_todo
from letters.config import Settings
from letters.errors import CaseError
from letters.output import check_target, write_atomic
from letters.writers.bundle import Bundle

if TYPE_CHECKING:
    from letters.bulk.followups import OverdueFollowUp
    from letters.bulk.report import BulkReport
    from letters.register.records import RegisteredLetter, Reply, RequestStatus

__all__ = [
    "BulkRequest",
    "Bundle",
    "CheckReport",
    "FirstLetter",
    "WrittenFollowUp",
    "check",
    "check_sheets",
    "document_bytes",
    "draft_statement_for",
    "export_register",
    "language_for",
    "list_requests",
    "next_steps_calendar",
    "preview_html",
    "problems_as_data",
    "read_case",
    "read_case_data",
    "record_reply",
    "register_calendar",
    "render_bundle",
    "render_easyread",
    "render_followup",
    "render_next_steps",
    "render_redacted",
    "render_request",
    "review",
    "run_bulk",
    "void_letter",
    "write_document",
    "write_followup",
    "write_overdue_followups",
]


def _settings(settings: Settings | None) -> Settings:
    return settings or Settings()


def language_for(case: Case, language: str | None = None, *,
                 settings: Settings | None = None) -> str:
    """The language a document about ``case`` is written in: ``language`` when the person gave
    one (``--language``), else the case file's, else the settings' (a charity's default in
    swletter.toml), else English. ``en``, ``cy`` or ``cy+en``."""
    return choose_language(language, case.language, _settings(settings).language)


def _in_language(case: Case, language: str | None, settings: Settings) -> tuple[Case, str]:
    """The case as its documents see it (its ``language`` the one chosen), and that choice."""
    return in_language(case, language, settings.language)


def _render(case: Case, language: str | None, settings: Settings | None,
            make: Callable[[Case, str, Settings], Rendered]) -> Rendered:
    """The document ``make(case, code, settings)`` puts into words, in each language chosen
    (see ``language_for``): ``cy+en`` is one document, Welsh then English."""
    settings = _settings(settings)
    case, choice = _in_language(case, language, settings)
    return in_languages(choice, lambda code: make(case, code, settings))


# -- reading a case -----------------------------------------------------------------------------


def read_case(path: str | os.PathLike[str], *, settings: Settings | None = None) -> Case:
    """The case in the file ``path`` (YAML or JSON), checked, with the settings' defaults (a
    charity's address, say) filled in. ``CaseError`` lists every problem, with lines."""
    return load_case(path, defaults=_settings(settings).case_defaults)


def read_case_data(data: Mapping[str, Any], *, settings: Settings | None = None,
                   source: str = "", language: str = "en") -> Case:
    """A case from plain data (an upload, the web form's answers), checked, its problems said
    in ``language``. Nothing on this computer is looked at: evidence ``file:`` names are taken
    as given."""
    return case_from_data(_settings(settings).case_defaults.apply(dict(data)), source=source,
                          language=language)


# -- documents ----------------------------------------------------------------------------------


def render_request(case: Case, *, settings: Settings | None = None,
                   today: dt.date | None = None, language: str | None = None) -> Rendered:
    """The letter asking for a change of social worker, put into words, in ``language`` (or
    the case's, or the settings'; see ``language_for``): ``cy+en`` is one document, Welsh then
    English."""
    return _render(case, language, settings, lambda case, code, settings: make_letter(
        case, today=today, template_dirs=settings.template_dirs, code=code))


def render_followup(case: Case, kind: str, first: FirstLetter, *,
                    settings: Settings | None = None, today: dt.date | None = None,
                    language: str | None = None) -> Rendered:
    """A follow-up to the letter ``first`` describes: a ``chaser``, a request for the
    ``reasons``, or a ``complaint``, in ``language`` (see ``language_for``; a first letter
    in the register gives its own language when the case and option do not: see
    ``write_followup``). (Where the register knows the first letter, see
    ``letters.register.followups.find_first_letter``; ``write_followup`` does both.)"""
    return _render(case, language, settings, lambda case, code, settings: make_followup(
        case, kind, first, today=today, template_dirs=settings.template_dirs, code=code))


def draft_statement_for(case: Case, by: str | None = None, *,
                        settings: Settings | None = None,
                        language: str | None = None) -> Rendered:
    """The supporting statement by ``by`` (or the first author) drafted for them to finish;
    its ``document.missing`` lists the parts still to complete."""
    return _render(case, language, settings, lambda case, code, settings: draft_statement(
        case, by, template_dirs=settings.template_dirs, code=code))


def document_bytes(rendered: Rendered, fmt: str, *, settings: Settings | None = None) -> bytes:
    """A rendered document as a file's bytes: docx, md, html or pdf, on the settings'
    letterhead, its properties naming its author unless the settings say not to."""
    settings = _settings(settings)
    return rendered.to_bytes(fmt, reference_docx=settings.reference_docx,
                             author_in_metadata=settings.author_in_metadata)


def preview_html(rendered: Rendered) -> str:
    """The document's body as HTML to show inside a web page: the .html file's markup (user
    text escaped; no links, images or scripts), without its page around it."""
    from letters.writers.html import letter_body_html

    return letter_body_html(rendered.markdown)


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
          whole_letter: bool = True, language: str | None = None) -> CheckReport:
    """Everything ``swletter check`` reports for a valid case. ``whole_letter=False`` leaves
    out the finished letter's reading scores (a fraction of a second): what ``render`` shows."""
    rendered = render_request(case, settings=settings, today=today, language=language)
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
    # A letter in two languages is as long as one of them.
    first = rendered.parts[0] if rendered.parts else rendered
    findings.extend(letter_length(case, first.markdown, first.language))
    # The finished letter's reading scores are English formulas: a Welsh letter is not scored.
    if not whole_letter or rendered.language != "en":
        return findings
    letter = rendered.document
    whole = check_letter_text(rendered.markdown, letter.salutation, letter.sign_off)
    return findings + in_their_names(whole, people_of(case))


# -- beyond the manager: documents for the parent, the child, a forum, and one bundle ------------
# (issue 19) Each reads the same case as the letter and returns what a front door writes.


def render_next_steps(case: Case, *, settings: Settings | None = None,
                      today: dt.date | None = None, language: str | None = None) -> Rendered:
    """The "what happens next" sheet for the parent: the reply-by date, the day to send a
    reminder, and each complaints stage's dates for the case's nation (see
    ``letters.compose.next_steps``)."""
    from letters.compose.next_steps import make_next_steps

    return _render(case, language, settings, lambda case, code, settings: make_next_steps(
        case, today=today, template_dirs=settings.template_dirs, code=code))


def next_steps_calendar(rendered: Rendered, *, stamp: dt.datetime | None = None,
                        with_names: bool = True) -> bytes:
    """The dates of a "what happens next" sheet (``render_next_steps``) as an .ics file's
    bytes: one all-day event on each, with a reminder the day before."""
    from letters.compose.next_steps import next_steps_ics

    return next_steps_ics(rendered.document, with_names=with_names,
                          stamp=stamp or dt.datetime.now(dt.UTC).replace(microsecond=0))


def render_redacted(case: Case, *, settings: Settings | None = None,
                    today: dt.date | None = None, language: str | None = None) -> Rendered:
    """The letter rebuilt from an anonymised copy of ``case``, to share with a charity or a
    forum: people as roles, addresses, numbers and references removed, dates as month and
    year, a note at the top. Its ``warnings`` list what could not be replaced safely, for the
    person to check; its properties name no author (see ``letters.compose.redact``)."""
    from letters.compose.redact import make_redacted

    return _render(case, language, settings, lambda case, code, settings: make_redacted(
        case, today=today, template_dirs=settings.template_dirs, code=code))


def render_easyread(case: Case, *, settings: Settings | None = None,
                    today: dt.date | None = None, language: str | None = None,
                    child: str | None = None) -> tuple[Rendered, ...]:
    """The Easy Read sheet for each child (or only for ``child``, by name or first name),
    written to the child: what the family has asked for and why, what happens next, and who
    the child can talk to (see ``letters.compose.easyread``). ``LettersError`` when
    ``child`` is none of them."""
    from letters.compose.easyread import make_easyread
    from letters.compose.language import languages_of
    from letters.errors import LettersError

    settings = _settings(settings)
    case, choice = _in_language(case, language, settings)
    # A sheet a child reads is in one language: Welsh and English give a sheet in each.
    sheets = tuple(sheet for code in languages_of(choice) for sheet in make_easyread(
        case, today=today, template_dirs=settings.template_dirs, code=code))
    if child is None:
        return sheets
    chosen = tuple(s for s in sheets
                   if child.casefold() in (s.who.casefold(), s.who.split()[0].casefold()))
    if not chosen:
        # The message names no one (see SECURITY.md): the person knows the children's names.
        raise LettersError(f"the case file {case.source} has no child of the name given to "
                           "--child. Give a name as it is written under children: in the "
                           "case file, or a first name (for example --child Sam).")
    return chosen


def render_bundle(case: Case, *, settings: Settings | None = None,
                  today: dt.date | None = None, language: str | None = None) -> Bundle:
    """One PDF to email or post: the letter, an index, then every enclosure whose file the case
    names (PDFs, photos, text, emails, .docx where LibreOffice is installed), each page stamped
    with its enclosure and the bundle's page number. Enclosures that cannot be included are in
    the index as provided separately, with the reason (``Bundle.separately``). Evidence files
    are read only from inside the case file's folder (see ``letters.writers.enclosures``)."""

    from letters.compose.language import language as language_of
    from letters.writers.bundle import assemble, enclosure_parts

    settings = _settings(settings)
    rendered = render_request(case, settings=settings, today=today, language=language)
    lang = language_of(languages_of(rendered.language)[0])
    bundle = assemble(document_bytes(rendered, "pdf", settings=settings),
                      enclosure_parts(rendered.document, case.base_dir),
                      title=rendered.title,
                      author=rendered.author if settings.author_in_metadata else "",
                      lang=lang.code, region=lang.tag.partition("-")[2] or "GB")
    # bundle-sam-doe-2026-11-23.pdf, beside the letter's own name.
    name = "bundle" + rendered.file_name("pdf").removeprefix(rendered.kind.stem)
    return dataclasses.replace(bundle, file_name=name)


# -- follow-ups ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class WrittenFollowUp:
    """A follow-up written to a file; where its first letter's details came from ("the
    register", "--first-letter-date" or "the case file's date"); its number in the register."""

    path: Path
    rendered: Rendered
    first_source: str
    letter_id: int | None = None
    newly_recorded: bool = False


def write_followup(case: Case, kind: str, *, fmt: str, output: str | os.PathLike[str] | None,
                   folder: str | os.PathLike[str], register: str | os.PathLike[str] | None = None,
                   first_letter_date: dt.date | None = None, today: dt.date | None = None,
                   settings: Settings | None = None, force: bool = False,
                   protect: tuple[str | os.PathLike[str], ...] = (),
                   language: str | None = None) -> WrittenFollowUp:
    """Write a follow-up of ``kind`` to ``output`` (else its own name in ``folder``) and, with a
    ``register``, record it there. The first letter it cites comes from the register when it
    has it, else from ``first_letter_date`` or the case's date. The register is opened (and so
    checked to be writable) before anything is written.

    The language is ``language`` (``--language``), else the case's, else the one the first
    letter was written in (the register keeps it: a reminder of a Welsh request is in Welsh),
    else the settings', else English."""
    from letters.register.followups import find_first_letter
    from letters.register.records import entry_for_case
    from letters.register.store import open_register

    date = today or dt.date.today()
    if register is None:
        first, source = first_letter_given(case, first_letter_date)
        rendered = render_followup(case, kind, first, settings=settings, today=date,
                                   language=language)
        path = write_document(rendered, fmt, output or Path(folder, rendered.file_name(fmt)),
                              settings=settings, force=force, protect=protect)
        return WrittenFollowUp(path, rendered, source)
    with open_register(register) as reg:
        found = find_first_letter(reg, case, today=date, first_letter_date=first_letter_date)
        first_language = found.request.language if found.request else None
        rendered = render_followup(case, kind, found.first, settings=settings, today=date,
                                   language=language or case.language or first_language)
        path = write_document(rendered, fmt, output or Path(folder, rendered.file_name(fmt)),
                              settings=settings, force=force, protect=protect)
        letter = rendered.document
        registered, created = reg.record_letter(entry_for_case(
            letter.case, kind=kind,
            letter_date=letter.date, reply_by=letter.reply_by, output_path=path,
            follows=found.request.id if found.request else None,
            charity_case_id=found.request.charity_case_id if found.request else None,
            caseworker=found.request.caseworker if found.request else None))
    return WrittenFollowUp(path, rendered, found.source, registered.id, created)


def write_overdue_followups(register: str, kind: str, out_dir: str, *, fmt: str = "docx",
                            settings: Settings | None = None, today: dt.date | None = None,
                            force: bool = False) -> list[OverdueFollowUp]:
    """A follow-up of ``kind`` (``chaser`` or ``complaint``) in ``out_dir`` for every overdue
    request in the register, from the case the register kept; each recorded there."""
    from letters.bulk.followups import write_overdue_followups as write_all

    return write_all(register, kind, out_dir, settings=settings, fmt=fmt, today=today,
                     force=force)


# -- many letters -------------------------------------------------------------------------------


def run_bulk(request: BulkRequest, on_progress: OnProgress | None = None) -> BulkReport:
    """A letter for every case in ``request.inputs`` (case files, folders, CSV files, .xlsx
    workbooks), each checked as ``check`` checks one; the report of every case."""
    from letters.bulk.run import run_bulk as run

    return run(request, on_progress)


def check_sheets(inputs: tuple[str, ...], *, settings: Settings | None = None,
                 evidence_csv: str | None = None, columns: str | None = None,
                 jobs: int = 1, language: str | None = None) -> BulkReport:
    """Every problem, warning and piece of advice for every case of ``inputs``, as ``bulk``
    would find them; nothing is written."""
    from letters.bulk.run import run_bulk as run

    return run(BulkRequest(inputs, settings=_settings(settings), evidence_csv=evidence_csv,
                           columns=columns, jobs=jobs, dry_run=True, language=language))


# -- the register -------------------------------------------------------------------------------


def list_requests(register: str | os.PathLike[str], *, as_of: dt.date | None = None,
                  overdue: bool = False, caseworker: str | None = None) -> list[RequestStatus]:
    """Every request in the register with its status on ``as_of`` (today); only the overdue
    ones, or one caseworker's, when asked. Void letters are left out."""
    from letters.register.listing import list_requests as listed

    return listed(register, today=as_of or dt.date.today(), overdue=overdue,
                  caseworker=caseworker)


def record_reply(register: str | os.PathLike[str], letter_id: int, *, reply_date: dt.date,
                 outcome: str, reasons: str | None = None, note: str | None = None) -> Reply:
    """Record the reply to letter ``letter_id`` (recording it again corrects it)."""
    from letters.case.model import clean_text
    from letters.register.store import open_register

    with open_register(register, create=False) as reg:
        return reg.record_reply(letter_id, reply_date=reply_date, outcome=outcome,
                                reasons=reasons, note=clean_text(note) if note else None)


def void_letter(register: str | os.PathLike[str], letter_id: int, reason: str, *,
                as_of: dt.date | None = None) -> tuple[RegisteredLetter, RequestStatus | None]:
    """Mark letter ``letter_id`` void: kept, never deleted, left out of every list. Returns
    the letter and where its request now stands (None when the request itself is void)."""
    from letters.register.listing import void_letter as void

    return void(register, letter_id, reason, as_of or dt.date.today())


def export_register(file: str | os.PathLike[str], register: str | os.PathLike[str], *,
                    as_of: dt.date | None = None, overdue: bool = False,
                    caseworker: str | None = None, force: bool = False) -> tuple[Path, int]:
    """Write the register's requests to ``file`` (.csv or .xlsx); the path and how many."""
    from letters.register.export import rows_csv, rows_xlsx, status_rows
    from letters.register.listing import write_register_file

    rows = status_rows(list_requests(register, as_of=as_of, overdue=overdue,
                                     caseworker=caseworker))
    data = rows_xlsx(rows) if Path(file).suffix.lower() == ".xlsx" else rows_csv(rows)
    return write_register_file(file, data, force=force), len(rows)


def register_calendar(file: str | os.PathLike[str], register: str | os.PathLike[str], *,
                      as_of: dt.date | None = None, with_names: bool = True,
                      caseworker: str | None = None, force: bool = False) -> tuple[Path, int]:
    """Write ``file`` (.ics): a reminder on every reply-by date still open; the path and how
    many."""
    from letters.register.export import reminders_ics
    from letters.register.listing import open_statuses, write_register_file

    statuses = open_statuses(list_requests(register, as_of=as_of, caseworker=caseworker))
    stamp = dt.datetime.now(dt.UTC).replace(microsecond=0)
    data = reminders_ics(statuses, stamp=stamp, with_names=with_names)
    return write_register_file(file, data, force=force), len(statuses)
