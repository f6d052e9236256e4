"""One case of a bulk run: validated, put into words, checked as `swletter check` checks it, and
(when its task says so) written, replacing its own earlier letter.

Everything here runs in a worker process as well as in the parent, and never raises a user's
error: a ``LettersError`` becomes a failed ``CaseResult`` listing every problem, so one bad case
never stops the others. Anything else is a bug and is left to surface.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from letters.advice.findings import Finding
from letters.advice.review import check_case
from letters.bulk.columns import parse_path
from letters.bulk.folder import keep_previous
from letters.bulk.plan import Job
from letters.bulk.report import (
    ALREADY_DONE,
    FAILED,
    HELD_BACK,
    READY,
    WRITTEN,
    CaseResult,
    LetterText,
)
from letters.bulk.sheets import SheetCase
from letters.case.model import Case
from letters.case.validate import case_from_data, files_beside, load_case
from letters.compose.documents import Rendered, in_language, in_languages
from letters.compose.request import make_letter
from letters.config import CaseDefaults
from letters.errors import CaseError, LettersError, more_problems
from letters.output import write_atomic

#: What a task does with its case: write its letter; write it only if the file there is not
#: already this letter; put it into words only (an unchanged letter, for the combined file or
#: the register); or check it (nothing is written).
WRITE, COMPARE, WORDS, CHECK = "write", "compare", "words", "check"


@dataclass(frozen=True)
class BulkOptions:
    """How to render: the output folder and format, and what to keep."""

    out_dir: str
    fmt: str = "docx"
    force: bool = False
    today: dt.date | None = None
    template_dirs: tuple[str, ...] = ()
    keep_markdown: bool = False
    record: bool = False  # build each letter's register entry (the parent process records it)
    #: A charity's letterhead (see writers/reference.py) and its swletter.toml case defaults.
    reference_docx: str | None = None
    case_defaults: CaseDefaults | None = None
    #: Whether each letter's document properties name its sender (swletter.toml [privacy]).
    author_in_metadata: bool = True
    #: The language asked for on the command line (wins over each case file's), and the
    #: settings' language (used where a case file does not say): see ``letters.api``.
    language: str | None = None
    default_language: str | None = None


@dataclass(frozen=True)
class Task:
    """One job and what to do with it.

    ``COMPARE``: a letter is already at the job's name; when it is not this very letter, it is
    kept in ``previous/`` and replaced. ``move`` names this case's earlier letter under another
    name (its name changed), moved to ``previous/`` once the new one is written.
    ``incomplete``: the file at the job's name is a letter an interrupted run left incomplete,
    to be replaced.
    """

    job: Job
    action: str = WRITE
    move: str = ""
    incomplete: bool = False
    fingerprint: str = ""


#: The warning on a letter written again because an interrupted run left it incomplete.
INCOMPLETE_NOTE = ("the letter left by an earlier run was incomplete (the run was interrupted) "
                   "and has been written again.")


@dataclass(frozen=True)
class Prepared:
    """A job's letter in words, not yet made into a file."""

    task: Task
    case: Case
    rendered: Rendered
    warnings: tuple[str, ...]
    advice: tuple[str, ...]
    faults: int

    def failed(self, err: LettersError) -> CaseResult:
        return _failed(self.task.job, _describe(err, self.task.job.sheet_case))

    def result(self, status: str, options: BulkOptions, *, output: str = "",
               previous: str = "", replaced: str = "",
               warnings: tuple[str, ...] | None = None) -> CaseResult:
        job = self.task.job
        sheet = job.sheet_case
        return CaseResult(
            job.index, job.label, status, output=output,
            warnings=self.warnings if warnings is None else warnings, advice=self.advice,
            faults=self.faults, reply_by=self.rendered.document.reply_by,
            case_id=sheet.case_id if sheet else "", previous=previous, replaced=replaced,
            fingerprint=self.task.fingerprint,
            letter=LetterText(self.rendered.markdown, self.rendered.title,
                              self.rendered.language) if options.keep_markdown else None)


def _failed(job: Job, problems: list[str]) -> CaseResult:
    sheet = job.sheet_case
    return CaseResult(job.index, job.label, FAILED, problems=tuple(problems),
                      case_id=sheet.case_id if sheet else "")


def _describe(err: LettersError, sheet: SheetCase | None) -> list[str]:
    if not isinstance(err, CaseError):
        return [str(err)]
    lines = sheet.locate_all(err.problems) if sheet else \
        [p.describe(with_file=False) for p in err.problems]
    return lines + ([more_problems(err.more)] if err.more else [])


def prepare(task: Task, options: BulkOptions) -> Prepared | CaseResult:
    """Validate and word one job's letter, with `check`'s advice on it: a ``Prepared``, or the
    failed (or held back) ``CaseResult``."""
    job = task.job
    sheet = job.sheet_case
    problems = list(sheet.problems) if sheet else []
    try:
        case = _read(job, options)
        case, rendered = _letter_in_language(case, options)
    except LettersError as err:
        return _failed(job, problems + _describe(err, sheet))
    if problems:
        return _failed(job, problems)
    findings = check_case(case, rendered.warnings)
    prepared = Prepared(task, case, rendered, sheet.warnings if sheet else (),
                        tuple(describe_finding(f, sheet) for f in findings),
                        sum(1 for f in findings if f.is_fault))
    if sheet is not None and sheet.held_back:
        return prepared.result(HELD_BACK, options)
    return prepared


def _letter_in_language(case: Case, options: BulkOptions) -> tuple[Case, Rendered]:
    """The letter for ``case`` in its language (the option's, the case's or the settings')."""
    case, choice = in_language(case, options.language, options.default_language)
    return case, in_languages(choice, lambda code: make_letter(
        case, today=options.today, template_dirs=options.template_dirs, code=code))


def _read(job: Job, options: BulkOptions) -> Case:
    sheet = job.sheet_case
    if sheet is None:
        return load_case(job.case_file, defaults=options.case_defaults)
    data = options.case_defaults.apply(sheet.data) if options.case_defaults else sheet.data
    return case_from_data(data, source=sheet.label, base_dir=sheet.base_dir,
                          evidence_files=files_beside(sheet.base_dir))


def describe_finding(finding: Finding, sheet: SheetCase | None) -> str:
    """A piece of `check`'s advice as one line of the report, located in the sheet (or by the
    case file's field)."""
    if sheet is not None:
        where = sheet.where(parse_path(finding.path)) if finding.path else \
            f"{sheet.sheet}, row {sheet.row}"
    else:
        where = finding.path or "the letter"
    words = f'"{finding.words}": ' if finding.words and f'"{finding.words}"' not in \
        finding.message else ""
    head = f"{finding.severity.capitalize()} ({finding.category.replace('_', ' ')})"
    return f"{where}: {head}: {words}{finding.message} Suggestion: {finding.suggestion}"


def letter_bytes(prepared: Prepared, options: BulkOptions, fmt: str | None = None) -> bytes:
    return prepared.rendered.to_bytes(fmt or options.fmt, reference_docx=options.reference_docx,
                                      author_in_metadata=options.author_in_metadata)


def do_task(task: Task, options: BulkOptions) -> CaseResult:
    """Carry out one task; never raises a user's error."""
    prepared = prepare(task, options)
    if isinstance(prepared, CaseResult):
        return prepared
    if task.action == CHECK:
        return prepared.result(READY, options)
    if task.action == WORDS:
        return _with_entry(prepared.result(ALREADY_DONE, options, output=_target(task, options)),
                           prepared, options, None)
    try:
        data = letter_bytes(prepared, options)
    except LettersError as err:
        return prepared.failed(err)
    return finish(prepared, options, data)


def _target(task: Task, options: BulkOptions) -> str:
    return str(Path(options.out_dir, task.job.output))


def finish(prepared: Prepared, options: BulkOptions, data: bytes) -> CaseResult:
    """Save the letter's ``data`` as its task says, and say how it went."""
    task = prepared.task
    target = Path(_target(task, options))
    same = task.action == COMPARE and _same_file(target, data)
    try:
        kept = "" if same else _write(target, data, keep=task.action == COMPARE,
                                      force=options.force or task.incomplete)
        moved = keep_previous(target.parent, task.move) \
            if task.move and (target.parent / task.move).exists() else ""
    except LettersError as err:
        return prepared.failed(err)
    warnings = prepared.warnings
    if task.incomplete:
        warnings = (INCOMPLETE_NOTE, *warnings)
    result = prepared.result(ALREADY_DONE if same else WRITTEN, options, output=str(target),
                             previous=str(moved or kept), replaced=task.move,
                             warnings=warnings)
    return _with_entry(result, prepared, options, data)


def _same_file(path: Path, data: bytes) -> bool:
    try:
        if path.stat().st_size != len(data):
            return False
        return path.read_bytes() == data
    except OSError:
        return False


def _write(target: Path, data: bytes, *, keep: bool, force: bool) -> Path | str:
    """Write the letter; with ``keep``, the letter already there is kept in ``previous/``
    first. Returns where it was kept ("" when nothing was)."""
    if not keep or not target.exists():
        write_atomic(target, data, force=force, durable=False)
        return ""
    # The earlier letter is linked into previous/ first, then replaced: at every moment one of
    # the two holds it.
    kept = keep_previous(target.parent, target.name, copy=True)
    try:
        write_atomic(target, data, force=True, durable=False)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(kept)
        raise
    return kept


def _with_entry(result: CaseResult, prepared: Prepared, options: BulkOptions,
                data: bytes | None) -> CaseResult:
    """``result`` with its register entry, when the run records one."""
    if not options.record or not result.output:
        return result
    from dataclasses import replace

    from letters.register.records import entry_for_case, entry_for_earlier_letter

    sheet = prepared.task.job.sheet_case
    case_id, caseworker = (sheet.case_id, sheet.caseworker) if sheet else (None, None)
    letter = prepared.rendered.document
    try:
        if data is None:
            entry = entry_for_earlier_letter(prepared.case, result.output,
                                             charity_case_id=case_id, caseworker=caseworker)
        else:
            entry = entry_for_case(prepared.case, kind="request", letter_date=letter.date,
                                   reply_by=letter.reply_by, output_path=result.output,
                                   data=data, charity_case_id=case_id, caseworker=caseworker)
    except LettersError as err:
        return prepared.failed(err)
    return replace(result, entry=entry)
