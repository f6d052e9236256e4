"""A bulk run from start to end: ``run_bulk(request)`` plans the cases, decides what each needs,
writes the letters (spread over worker processes), records them in the register, and writes
the report and the combined file. It returns a ``BulkReport``; it prints nothing.

- The output folder is held by one run at a time (``folder.lock_folder``).
- A case is written again only when what its letter is made from changed (``fingerprint.py``,
  remembered in ``state.py``); the letter it replaces is kept in ``previous/``. A letter whose
  case did not change is already done, and the report still describes it as it stands.
- A stop signal (Ctrl-C, SIGTERM, SIGHUP) stops the workers; what was done is recorded and
  reported before the run returns, saying which signal stopped it.
- ``request.dry_run`` checks every case as `swletter check` does and writes nothing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import signal
import time
from collections.abc import Iterable
from pathlib import Path

from letters.bulk.combined import COMBINED_SUFFIXES, write_combined
from letters.bulk.fingerprint import LetterSettings, job_fingerprint, settings_fingerprint
from letters.bulk.folder import (
    ensure_out_dir,
    is_whole_letter,
    lock_folder,
    remove_stale_temporaries,
)
from letters.bulk.letter import CHECK, COMPARE, INCOMPLETE_NOTE, WORDS, WRITE, BulkOptions, Task
from letters.bulk.mapping import NO_MAP, ColumnMap, read_column_map
from letters.bulk.plan import Job, Plan, plan_bulk
from letters.bulk.pool import WorkerStoppedError, run_tasks
from letters.bulk.recorder import Recorder
from letters.bulk.report import (
    ALREADY_DONE,
    WRITTEN,
    BulkReport,
    CaseResult,
    with_unfinished,
    write_report,
)
from letters.bulk.request import BulkOptionError, BulkRequest, OnProgress, Progress
from letters.bulk.state import Remembered, State
from letters.output import check_target
from letters.signals import Interrupted, StopSignals


def _ignore(progress: Progress) -> None:
    pass


def run_bulk(request: BulkRequest, on_progress: OnProgress | None = None) -> BulkReport:
    """Carry out ``request``; see the module. Raises ``BulkOptionError`` (before any work) when
    its options cannot go together, and ``LettersError`` when nothing could be done at all."""
    tell = on_progress or _ignore
    _check_request(request)
    columns = read_column_map(request.columns) if request.columns else NO_MAP
    started = time.perf_counter()
    if request.dry_run:
        report = _check_cases(request, columns, tell)
    else:
        assert request.out_dir is not None  # _check_request
        folder = ensure_out_dir(request.out_dir)
        report_path = _report_path(request, folder)
        with lock_folder(folder):
            report = _write_letters(request, folder, report_path, columns, tell)
    report.elapsed = time.perf_counter() - started
    return report


def _check_request(request: BulkRequest) -> None:
    """Options that cannot go together are usage errors, found before any work."""
    if not request.out_dir and not request.dry_run:
        raise BulkOptionError("give the folder for the letters with --out DIR (or check the "
                              "cases without writing them with --dry-run).", "--out")
    combined = request.combined
    if combined and Path(combined).suffix.lower() not in COMBINED_SUFFIXES:
        raise BulkOptionError(f"the combined file is a .docx or a .pdf; give a name such as "
                              f"{Path(combined).stem or 'all-letters'}.docx.", "--combined")
    if request.evidence_csv and not any(Path(i).suffix.lower() == ".csv" for i in request.inputs):
        raise BulkOptionError("--evidence goes with CSV inputs; a workbook has its own evidence "
                              "sheet.", "--evidence")
    given = {Path(i).resolve() for i in request.inputs}
    for option, path in (("--report", request.report), ("--combined", combined)):
        if path and Path(path).resolve() in given:
            raise BulkOptionError(f"{path} is one of the inputs; choose another file name.",
                                  option)
    _need_libreoffice(request)


def _need_libreoffice(request: BulkRequest) -> None:
    """Say how to install LibreOffice once, before the run, rather than once per case."""
    from letters.writers import pdf_needs_libreoffice

    reference = request.settings.reference_docx
    pdf_combined = bool(request.combined) and Path(request.combined or "").suffix == ".pdf"
    if request.dry_run or not pdf_needs_libreoffice(reference):
        return
    if request.letter_format == "pdf" or pdf_combined:
        from letters.writers.pdf import require_soffice

        require_soffice()


def _options(request: BulkRequest, out_dir: Path, *, record: bool) -> BulkOptions:
    settings = request.settings
    return BulkOptions(out_dir=str(out_dir), fmt=request.letter_format, force=request.force,
                       today=request.today, template_dirs=settings.template_dirs,
                       keep_markdown=bool(request.combined), record=record,
                       reference_docx=str(settings.reference_docx or "") or None,
                       case_defaults=settings.case_defaults,
                       author_in_metadata=settings.author_in_metadata,
                       language=request.language, default_language=settings.language)


def _plan(request: BulkRequest, columns: ColumnMap, reserved: Iterable[str],
          tell: OnProgress) -> Plan:
    tell(Progress("reading"))
    plan = plan_bulk(request.inputs, fmt=request.letter_format,
                     evidence_csv=request.evidence_csv, reserved=reserved, columns=columns)
    tell(Progress("planned", total=len(plan.jobs), problems=tuple(plan.problems)))
    return plan


def _workers(request: BulkRequest) -> int:
    return request.jobs or os.cpu_count() or 1


# --------------------------------------------------------------------------------------------
# Checking (--dry-run, `swletter check SHEET`)


def _check_cases(request: BulkRequest, columns: ColumnMap, tell: OnProgress) -> BulkReport:
    plan = _plan(request, columns, (), tell)
    options = _options(request, Path("."), record=False)
    report = BulkReport(problems=plan.problems, dry_run=True)
    tasks = [Task(job, CHECK) for job in plan.jobs]
    for result in run_tasks(tasks, options, workers=_workers(request)):
        report.results.append(result)
        tell(Progress("done", len(report.results), len(tasks)))
    if request.report:
        report.report_path = write_report(request.report, report, fmt=request.report_format,
                                          force=request.force)
    return report


# --------------------------------------------------------------------------------------------
# Writing


def _report_path(request: BulkRequest, folder: Path) -> Path:
    """Where the report goes, checked (with the combined file) before the run: a report that
    could never be written is said before any work, not after it."""
    default = f"bulk-report.{'json' if request.report_format == 'json' else 'csv'}"
    report_path = Path(request.report) if request.report else folder / default
    for path in (report_path, request.combined):
        if path:
            check_target(path, force=True)
    return report_path


def _write_letters(request: BulkRequest, folder: Path, report_path: Path, columns: ColumnMap,
                   tell: OnProgress) -> BulkReport:
    reserved = [Path(p).name for p in (report_path, request.combined)
                if p and Path(p).resolve().parent == folder.resolve()]
    plan = _plan(request, columns, reserved, tell)
    report = BulkReport(problems=plan.problems, out_dir=folder, register=request.register)
    state = State(folder)
    with Recorder(request.register, folder) as recorder:
        options = _options(request, folder, record=recorder.active)
        tasks, known = _decide(plan.jobs, state, options, recorder, request)
        report.results.extend(known)
        tell(Progress("done", len(known), len(plan.jobs)))
        remove_stale_temporaries(folder, [job.output for job in plan.jobs])
        _run(report, tasks, options, request, state, recorder, tell)
        report.recorded = recorder.new
    report.results = with_unfinished(report.results, plan.jobs)
    report.report_path = write_report(report_path, report, fmt=request.report_format,
                                      force=request.force)
    _combine(report, request, options)
    return report


def _run(report: BulkReport, tasks: list[Task], options: BulkOptions, request: BulkRequest,
         state: State, recorder: Recorder, tell: OnProgress) -> None:
    """Carry out the tasks; a stop signal stops them, and what was done is kept."""
    keys = {task.job.index: task.job for task in tasks}
    total = len(report.results) + len(tasks)
    # SIGTERM and SIGHUP stop the run as Ctrl-C does: the workers are stopped, and what was
    # done is reported and recorded before the run returns, with the signal that stopped it.
    with StopSignals(redeliver=False, interrupt_anywhere=True) as stop:
        try:
            for result in run_tasks(tasks, options, workers=_workers(request)):
                recorder.add(result)
                _remember(state, keys[result.index], result)
                report.results.append(result)
                tell(Progress("done", len(report.results), total))
        except KeyboardInterrupt as err:
            report.stopped_by = err.signum if isinstance(err, Interrupted) else signal.SIGINT
        except WorkerStoppedError:
            report.worker_stopped = True
        finally:
            stop.hold()  # a signal from here on waits until the report is written
            state.save()
        if report.stopped and stop.received is not None:
            # A signal sent to every process of the run can end a worker before this one.
            report.stopped_by, report.worker_stopped = stop.received, False
    if stop.received is not None and report.stopped_by is None:
        report.signal_after = stop.received  # asked to stop while the report was written


def _remember(state: State, job: Job, result: CaseResult) -> None:
    if result.status not in (WRITTEN, ALREADY_DONE) or not result.fingerprint:
        return
    warnings = tuple(w for w in result.warnings if w != INCOMPLETE_NOTE)
    state.remember(job.key, Remembered(
        result.fingerprint, job.output, result.reply_by.isoformat() if result.reply_by else "",
        warnings, result.advice, result.faults))


def _combine(report: BulkReport, request: BulkRequest, options: BulkOptions) -> None:
    if not request.combined or report.stopped:
        return
    letters = [r.letter for r in sorted(report.results, key=lambda r: r.index)
               if r.letter is not None and r.ok]
    if letters:
        report.combined = write_combined(request.combined, letters, force=request.force,
                                         reference_docx=options.reference_docx)
        report.combined_count = len(letters)


# --------------------------------------------------------------------------------------------
# What each case needs


def _decide(jobs: list[Job], state: State, options: BulkOptions, recorder: Recorder,
            request: BulkRequest) -> tuple[list[Task], list[CaseResult]]:
    """The task for each job, and the results of the jobs already done (nothing to do)."""
    settings_hash = settings_fingerprint(LetterSettings(
        options.fmt, options.template_dirs, options.reference_docx, options.case_defaults,
        options.author_in_metadata, options.language, options.default_language))
    planned = {job.output for job in jobs}
    tasks: list[Task] = []
    done: list[CaseResult] = []
    for job in jobs:
        fingerprint = job_fingerprint(job, settings_hash) or ""
        decided = _decide_one(job, fingerprint, state.get(job.key), planned, options, recorder)
        if isinstance(decided, CaseResult):
            done.append(decided)
        else:
            tasks.append(decided)
    return tasks, done


def _decide_one(job: Job, fingerprint: str, remembered: Remembered | None, planned: set[str],
                options: BulkOptions, recorder: Recorder) -> Task | CaseResult:
    """What ``job`` needs, from what the folder holds and what is remembered of its letter."""
    folder = Path(options.out_dir)
    target = folder / job.output
    unchanged = remembered is not None and bool(fingerprint) and \
        remembered.fingerprint == fingerprint
    if remembered is not None and unchanged and remembered.output != job.output and \
            _move_unchanged(folder, remembered.output, job.output, options.fmt):
        remembered = dataclasses.replace(remembered, output=job.output)
    ours = remembered is not None and remembered.output == job.output
    exists = os.path.lexists(target)
    whole = exists and is_whole_letter(target, options.fmt)
    if remembered is not None and unchanged and ours and whole and not options.force:
        if options.keep_markdown or recorder.needs_entry(target):
            return Task(job, WORDS, fingerprint=fingerprint)
        return _already_done(job, remembered, str(target))
    old = remembered.output if remembered is not None and not ours else ""
    move = old if old and old not in planned and (folder / old).is_file() else ""
    if whole and not options.force:
        # This case's letter, and the case changed; or a letter this folder does not remember
        # writing for this case (a run killed before it noted it, or an earlier swletter's):
        # written again only if it is not this very letter, the earlier one kept.
        return Task(job, COMPARE, move=move, fingerprint=fingerprint)
    return Task(job, WRITE, move=move, incomplete=exists and not whole,
                fingerprint=fingerprint)


def _move_unchanged(folder: Path, old: str, new: str, fmt: str) -> bool:
    """An unchanged letter whose name changed (another case now shares its plain name) takes
    its new name rather than being written again. Whether it did."""
    if os.path.lexists(folder / new) or not is_whole_letter(folder / old, fmt):
        return False
    try:
        os.rename(folder / old, folder / new)
    except OSError:
        return False  # written again instead
    return True


def _already_done(job: Job, remembered: Remembered, output: str) -> CaseResult:
    sheet = job.sheet_case
    return CaseResult(job.index, job.label, ALREADY_DONE, output=output,
                      warnings=remembered.warnings, advice=remembered.advice,
                      faults=remembered.faults,
                      reply_by=dt.date.fromisoformat(remembered.reply_by)
                      if remembered.reply_by else None,
                      case_id=sheet.case_id if sheet else "", fingerprint=remembered.fingerprint)


__all__ = ["BulkOptionError", "BulkRequest", "Progress", "run_bulk"]
