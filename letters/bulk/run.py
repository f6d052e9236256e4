"""Many letters at once, for support charities: plan, render in parallel, report every case.

The run has three steps, each usable on its own from a charity's script:

1. ``plan_bulk`` turns the inputs (case files, folders of case files, CSV files, .xlsx
   workbooks) into ``Job``s, one per case, each with a safe output name fixed before any work
   starts, so a re-run maps every case to the same file and can skip the letters already written.
2. ``run_jobs`` renders the jobs, in this process or spread over worker processes, and yields one
   small ``CaseResult`` per case, in plan order. Workers write their own letters (atomically) and
   return only the outcome, so memory stays flat however large the batch. A bad case never stops
   the others: its result carries every problem found.
3. ``report_bytes`` / ``write_report`` and ``write_combined`` record the outcome.

The parent process sees every result as it arrives: a callback or a list of results is all a
later feature (a register of letters sent) needs.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import functools
import io
import os
import stat
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from letters.bulk.sheets import (
    OrphanRow,
    SheetCase,
    Table,
    cases_from_tables,
    read_csv_table,
    read_workbook_tables,
)
from letters.bulk.workers import Lifeline, start_worker, stop_point, worker_task
from letters.case.model import Case
from letters.case.validate import case_from_data, files_beside, load_case
from letters.compose.documents import Rendered, in_languages, slug
from letters.compose.language import choose_language
from letters.compose.request import make_letter
from letters.config import CaseDefaults
from letters.errors import CaseError, LettersError, OutputError, Problem, more_problems
from letters.output import make_folder, shown_path, temporary_prefix, write_atomic
from letters.register.store import LetterEntry, Register, entry_for_case, entry_for_earlier_letter

if TYPE_CHECKING:
    import multiprocessing.context

#: File endings read as case files when a folder is given.
CASE_SUFFIXES = (".yaml", ".yml", ".json")
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")

WRITTEN, ALREADY_DONE, FAILED, NOT_DONE = "written", "already done", "failed", "not done"


class WorkerStoppedError(LettersError):
    """Raised when a worker process dies mid-run (killed, or out of memory).

    The letters written so far stay; running the same command again writes the rest.
    """

REPORT_HEADERS = ("case", "status", "output", "reply_by", "problems", "warnings")


@dataclass(frozen=True)
class Job:
    """One case to turn into a letter, with its output file name chosen in advance.

    Exactly one of ``case_file`` and ``sheet_case`` is set, or neither when the job is only a
    failure to report (an unreadable workbook, an evidence row that matches no case).
    """

    index: int
    label: str
    output: str = ""
    case_file: str = ""
    sheet_case: SheetCase | None = None
    failure: tuple[str, ...] = ()


@dataclass(frozen=True)
class CaseResult:
    """The outcome for one case: small, so thousands of them cost little memory."""

    index: int
    label: str
    status: str
    output: str = ""
    problems: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    reply_by: dt.date | None = None
    markdown: str | None = None  # only kept when the letters are also combined into one file
    entry: LetterEntry | None = None  # what the register records, when ``options.record``

    @property
    def ok(self) -> bool:
        return self.status != FAILED


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


@dataclass
class BulkSummary:
    """Counts for the terminal summary, filled in as results arrive."""

    total: int
    written: int = 0
    already_done: int = 0
    failed: int = 0
    results: list[CaseResult] = field(default_factory=list)

    def add(self, result: CaseResult) -> None:
        self.results.append(result)
        if result.status == WRITTEN:
            self.written += 1
        elif result.status == ALREADY_DONE:
            self.already_done += 1
        else:
            self.failed += 1


# --------------------------------------------------------------------------------------------
# Planning


@dataclass(frozen=True)
class _Source:
    label: str
    case_file: str = ""
    sheet_case: SheetCase | None = None
    failure: tuple[str, ...] = ()
    names: tuple[str, ...] = ()  # candidate file stems, plain first, then more qualified


def plan_bulk(inputs: Sequence[str | os.PathLike[str]], *, fmt: str = "docx",
              evidence_csv: str | os.PathLike[str] | None = None,
              reserved: Iterable[str] = ()) -> list[Job]:
    """One ``Job`` per case found in ``inputs``, each with a unique, safe output file name.

    A folder contributes its ``.yaml``/``.yml``/``.json`` files (not its subfolders), sorted by
    name. ``evidence_csv`` holds the evidence for the CSV inputs. Inputs that cannot be read
    become failed jobs rather than stopping the plan. ``reserved`` names (such as the report
    file's) are never given to a letter.
    """
    sources: list[_Source] = []
    seen: set[Path] = set()
    csv_tables: list[tuple[Path, Table]] = []
    for raw in inputs:
        path = Path(raw)
        if path.is_dir():
            files = sorted(p for p in path.iterdir()
                           if p.suffix.lower() in CASE_SUFFIXES and not p.name.startswith(".")
                           and p.is_file())
            for file in files:
                _add_case_file(sources, seen, file)
            if not files:
                sources.append(_Source(str(path), failure=(
                    f"{path}: there are no case files (.yaml, .yml or .json) in this folder. "
                    "Spreadsheets are given by name, such as cases.xlsx.",)))
        elif path.suffix.lower() == ".csv":
            try:
                csv_tables.append((path, read_csv_table(path)))
            except CaseError as err:
                sources.append(_Source(str(path), failure=_problem_lines(err)))
        elif path.suffix.lower() in WORKBOOK_SUFFIXES:
            sources.extend(_workbook_sources(path))
        elif path.suffix.lower() == ".xls":
            sources.append(_Source(str(path), failure=(
                f"{path}: this is the old Excel .xls format. Open it and save it as Excel "
                "Workbook (.xlsx), or as CSV.",)))
        else:
            _add_case_file(sources, seen, path)
    if csv_tables or evidence_csv:
        sources.extend(_csv_sources(csv_tables, evidence_csv))
    return _name_jobs(sources, fmt, reserved)


def _add_case_file(sources: list[_Source], seen: set[Path], path: Path) -> None:
    key = path.resolve()
    if key in seen:
        return
    seen.add(key)
    stem = slug(path.stem) or "case"
    parent = slug(path.resolve().parent.name)
    qualified = f"{parent}-{stem}" if parent else stem
    sources.append(_Source(str(path), case_file=str(path),
                           names=(f"letter-{stem}", f"letter-{qualified}")))


def _workbook_sources(path: Path) -> list[_Source]:
    try:
        cases_table, evidence_table = read_workbook_tables(path)
    except CaseError as err:
        return [_Source(str(path), failure=_problem_lines(err))]
    cases, orphans = cases_from_tables([cases_table], evidence_table, source=str(path),
                                       base_dir=str(path.parent))
    return [*(_sheet_source(c, path) for c in cases), *(_orphan_source(o) for o in orphans)]


def _csv_sources(tables: list[tuple[Path, Table]],
                 evidence_csv: str | os.PathLike[str] | None) -> list[_Source]:
    evidence: Table | None = None
    out: list[_Source] = []
    if evidence_csv is not None:
        try:
            evidence = read_csv_table(evidence_csv)
        except CaseError as err:
            out.append(_Source(str(evidence_csv), failure=_problem_lines(err)))
    if not tables:
        return out
    # Paths and folders of the CSV files: evidence files are looked for beside the first.
    first = tables[0][0]
    cases, orphans = cases_from_tables([t for _, t in tables], evidence, source=first.name,
                                       base_dir=str(first.parent))
    by_name = {t.name: p for p, t in tables}
    for case in cases:
        out.append(_sheet_source(case, by_name.get(case.sheet, first)))
    out.extend(_orphan_source(o) for o in orphans)
    return out


def _sheet_source(case: SheetCase, path: Path) -> _Source:
    stem = slug(case.name_hint) or "case"
    book = slug(path.stem)
    return _Source(case.label, sheet_case=case,
                   names=(f"letter-{stem}", f"letter-{book}-{stem}" if book else f"letter-{stem}"))


def _orphan_source(orphan: OrphanRow) -> _Source:
    return _Source(orphan.label, failure=(orphan.problem,))


def _problem_lines(err: CaseError) -> tuple[str, ...]:
    return tuple(f"{err.file}: {p.describe(with_file=False)}" if err.file else p.describe()
                 for p in err.problems) + _more(err)


def _more(err: CaseError) -> tuple[str, ...]:
    """The line that counts the problems not kept (``errors.MAX_PROBLEMS``), if any."""
    return (more_problems(err.more),) if err.more else ()


def _name_jobs(sources: list[_Source], fmt: str, reserved: Iterable[str]) -> list[Job]:
    """Give every source a distinct file name, the same on every run with the same inputs.

    Sources whose plain names clash all take their qualified name (the folder or workbook in
    front); any clash left is settled by a number, in plan order.
    """
    taken = {name.lower() for name in reserved}
    plain_count: dict[str, int] = {}
    for s in sources:
        if s.names:
            plain_count[s.names[0]] = plain_count.get(s.names[0], 0) + 1
    jobs = []
    for index, s in enumerate(sources):
        output = ""
        if s.names:
            stem = s.names[0] if plain_count[s.names[0]] == 1 else s.names[-1]
            output = f"{stem}.{fmt}"
            number = 2
            while output.lower() in taken:
                output = f"{stem}-{number}.{fmt}"
                number += 1
            taken.add(output.lower())
        jobs.append(Job(index, s.label, output, s.case_file, s.sheet_case, s.failure))
    return jobs


# --------------------------------------------------------------------------------------------
# Rendering


def render_job(job: Job, options: BulkOptions, *, write: bool = True,
               replace: bool = False) -> CaseResult:
    """Validate, render and (if ``write``) save one job's letter; never raises a user error.

    Every ``LettersError`` becomes a failed result listing the problems: one bad case must not
    stop the batch. Anything else is a bug and is left to surface. ``replace`` writes over an
    incomplete letter left by an interrupted run.
    """
    prepared = _prepare(job, options)
    if isinstance(prepared, CaseResult):
        return prepared
    try:
        data = prepared.rendered.to_bytes(
            options.fmt, reference_docx=options.reference_docx,
            author_in_metadata=options.author_in_metadata) if write else None
    except LettersError as err:
        return prepared.failed(err)
    return _finish(prepared, options, data, replace=replace)


@dataclass(frozen=True)
class _Prepared:
    """A job's letter in words, not yet made into a file."""

    job: Job
    case: Case
    rendered: Rendered
    warnings: tuple[str, ...]

    def failed(self, err: LettersError) -> CaseResult:
        problems = [*(p.describe(with_file=False) for p in err.problems), *_more(err)] \
            if isinstance(err, CaseError) else [str(err)]
        return CaseResult(self.job.index, self.job.label, FAILED, problems=tuple(problems))


def _prepare(job: Job, options: BulkOptions) -> _Prepared | CaseResult:
    """Validate and word one job's letter: a ``_Prepared``, or the failed ``CaseResult``."""
    if job.failure:
        return CaseResult(job.index, job.label, FAILED, problems=job.failure)
    sheet = job.sheet_case
    problems: list[str] = list(sheet.problems) if sheet else []
    warnings: list[str] = list(sheet.warnings) if sheet else []
    try:
        if sheet is not None:
            try:
                case_data = options.case_defaults.apply(sheet.data) if options.case_defaults \
                    else sheet.data
                case = case_from_data(case_data, source=sheet.label, base_dir=sheet.base_dir,
                                      evidence_files=files_beside(sheet.base_dir))
            except CaseError as err:
                problems.extend(sheet.locate(p) for p in err.problems)
                problems.extend(_more(err))
                return CaseResult(job.index, job.label, FAILED, problems=tuple(problems))
            if problems:
                return CaseResult(job.index, job.label, FAILED, problems=tuple(problems))
        else:
            case = load_case(job.case_file, defaults=options.case_defaults)
        rendered = _letter_in_language(case, options)
    except CaseError as err:
        problems.extend(p.describe(with_file=False) for p in err.problems)
        problems.extend(_more(err))
        return CaseResult(job.index, job.label, FAILED, problems=tuple(problems))
    except LettersError as err:
        problems.append(str(err))
        return CaseResult(job.index, job.label, FAILED, problems=tuple(problems))
    warnings.extend(_describe_warning(w, sheet) for w in rendered.warnings)
    return _Prepared(job, case, rendered, tuple(warnings))


def _letter_in_language(case: Case, options: BulkOptions) -> Rendered:
    """The letter for ``case`` in its language (the option's, the case's or the settings')."""
    choice = choose_language(options.language, case.language, options.default_language)
    if case.language != choice:
        case = dataclasses.replace(case, language=choice)
    return in_languages(choice, lambda code: make_letter(
        case, today=options.today, template_dirs=options.template_dirs, code=code))


def _finish(prepared: _Prepared, options: BulkOptions, data: bytes | None, *,
            replace: bool = False) -> CaseResult:
    """Save the letter's ``data`` (None: it was written by an earlier run) and say how it went."""
    job, case, rendered = prepared.job, prepared.case, prepared.rendered
    target = Path(options.out_dir, job.output)
    try:
        if data is not None:
            # Flushed to disk once per batch (see run_jobs), not once per letter.
            write_atomic(target, data, force=options.force or replace, durable=False)
        entry = None
        if options.record:
            entry = (entry_for_case(case, kind="request", letter_date=rendered.document.date,
                                    reply_by=rendered.document.reply_by, output_path=target,
                                    data=data)
                     if data is not None else entry_for_earlier_letter(case, target))
    except LettersError as err:
        return prepared.failed(err)
    return CaseResult(
        job.index, job.label, WRITTEN if data is not None else ALREADY_DONE, output=str(target),
        warnings=prepared.warnings, reply_by=rendered.document.reply_by,
        markdown=rendered.markdown if options.keep_markdown else None, entry=entry,
    )


def _describe_warning(warning: Problem, sheet: SheetCase | None) -> str:
    if sheet is not None and (warning.parts or warning.path):
        return sheet.locate(warning)
    return warning.describe(with_file=False)


def _warm_up() -> None:
    """Load what every letter needs once per worker process, before the first case."""
    from letters.case.grounds import load_grounds

    load_grounds()


def run_jobs(jobs: Sequence[Job], options: BulkOptions, *, workers: int = 1,
             chunk_size: int = 0) -> Iterator[CaseResult]:
    """Render ``jobs`` and yield one result per job, in plan order.

    A job whose letter already exists is not rendered again (unless ``options.force``): it is
    reported as already done, so a run that was interrupted completes the rest when run again.
    With ``workers`` > 1 the jobs are spread over that many processes in chunks; each worker
    writes its letters and returns only small results.
    """
    out_dir = Path(options.out_dir)
    remove_stale_temporaries(out_dir, jobs)
    tasks: list[_Task] = []
    for job in jobs:
        exists = bool(job.output) and not options.force and (out_dir / job.output).exists()
        whole = exists and is_whole_letter(out_dir / job.output, options.fmt)
        tasks.append((job, not whole, exists and not whole))
    try:
        if workers <= 1 or len(tasks) < 2:
            yield from _render_all(tasks, options)
        else:
            yield from _run_in_processes(tasks, options, workers, chunk_size)
    finally:
        # One flush to disk for the whole run rather than one per letter (an fsync each cost
        # more than making the letter). A crash before it can leave letters incomplete; the
        # next run finds them (is_whole_letter) and writes them again.
        if hasattr(os, "sync"):
            os.sync()


def remove_stale_temporaries(out_dir: Path, jobs: Sequence[Job]) -> int:
    """Delete the partial copies a killed run left behind for these jobs' letters.

    ``write_atomic`` writes each letter to a hidden ``.NAME.XXXX.tmp`` beside it, then moves it
    into place; a process killed in between leaves that temporary file, which holds part of a
    letter (personal data) and would never be cleaned up. Returns how many were removed.
    """
    prefixes = tuple(temporary_prefix(job.output) for job in jobs if job.output)
    if not prefixes:
        return 0
    try:
        entries = list(os.scandir(out_dir))
    except OSError:
        return 0
    removed = 0
    for entry in entries:
        if (entry.name.startswith(prefixes) and entry.name.endswith(".tmp")
                and entry.is_file(follow_symlinks=False)):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(entry.path)
                removed += 1
    return removed


def _run_in_processes(tasks: list[_Task], options: BulkOptions, workers: int,
                      chunk_size: int) -> Iterator[CaseResult]:
    size = chunk_size or max(1, min(64, len(tasks) // (workers * 8) or 1))
    if _libreoffice_pdfs(options) and not chunk_size:
        # Each chunk starts LibreOffice once: as large as a PDF group, while every worker gets
        # a share of a small batch.
        size = max(1, min(PDF_GROUP, -(-len(tasks) // workers)))
    chunks = [tasks[i:i + size] for i in range(0, len(tasks), size)]
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    lifeline = Lifeline()  # the workers end when it closes: when we say so, or when we die
    try:
        with ProcessPoolExecutor(max_workers=min(workers, len(chunks)), initializer=_start_worker,
                                 initargs=lifeline.initargs, mp_context=_worker_start()) as pool:
            try:
                work = functools.partial(_render_chunk_or_skip, options)
                for results in pool.map(work, chunks):
                    yield from results
            except BrokenProcessPool as err:
                raise WorkerStoppedError("a worker process stopped unexpectedly; the letters "
                                         "written so far are kept.") from err
            except BaseException:
                # Interrupted (Ctrl-C, SIGTERM, SIGHUP), or the caller stopped reading: stop
                # the workers now rather than after the chunks they are working on. Each
                # cleans up (no half-written file, no LibreOffice left running) and ends.
                lifeline.cut()
                raise
            finally:
                pool.shutdown(wait=True, cancel_futures=True)
    finally:
        lifeline.close()


def _start_worker(*lifeline: Any) -> None:
    """Each worker process's first step: tie it to this run (letters/workers.py), warm up."""
    start_worker(*lifeline)
    _warm_up()


def _worker_start() -> multiprocessing.context.BaseContext | None:
    """How to start worker processes: the platform's default (fork, the quickest, on Linux),
    unless this process has typeset a PDF.

    Typst keeps worker threads once it has run; a forked child has none of them and would wait
    for them forever. A fork server is a fresh process, forked before any of that.
    """
    import multiprocessing
    import sys

    typeset = sys.modules.get("letters.writers.typst_pdf")
    if typeset is None or not typeset.has_run():
        return None
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


#: (job, write its letter, replace an incomplete file left by an interrupted run)
_Task = tuple[Job, bool, bool]


def is_whole_letter(path: Path, fmt: str) -> bool:
    """Whether an existing letter is complete, not cut short by a crash before it reached disk.

    A .docx must end with the zip directory's end record, a .pdf with its end-of-file marker;
    any other letter must not be empty.
    """
    try:
        info = path.lstat()
        if not stat.S_ISREG(info.st_mode):
            return False  # not a letter at all: writing it will say so
        size = info.st_size
        if fmt == "pdf":
            with path.open("rb") as fh:
                fh.seek(max(0, size - 1024))
                return b"%%EOF" in fh.read()
        if fmt != "docx":
            return size > 0
        with path.open("rb") as fh:
            fh.seek(max(0, size - 22))
            return fh.read(4) == b"PK\x05\x06"
    except OSError:
        return False


def _skip_or_render(task: _Task, options: BulkOptions) -> CaseResult:
    job, write, replace = task
    if write or options.keep_markdown:
        return _noted(render_job(job, options, write=write, replace=replace), replace)
    return CaseResult(job.index, job.label, ALREADY_DONE,
                      output=str(Path(options.out_dir, job.output)))


def _noted(result: CaseResult, replaced: bool) -> CaseResult:
    """``result``, saying so when its letter replaced an incomplete one."""
    if replaced and result.status == WRITTEN:
        note = ("the letter left by an earlier run was incomplete (the run was interrupted) "
                "and has been written again.")
        return dataclasses.replace(result, warnings=(note, *result.warnings))
    return result


def _render_chunk_or_skip(options: BulkOptions, batch: list[_Task]) -> list[CaseResult]:
    """One chunk, in a worker process: told to stop, the worker ends between two letters."""
    with worker_task():
        return list(_render_all(batch, options))


def _render_all(tasks: Sequence[_Task], options: BulkOptions) -> Iterator[CaseResult]:
    """A result for each task as it is done: one by one, or LibreOffice's PDFs a group at once."""
    step = PDF_GROUP if _libreoffice_pdfs(options) else 1
    for start in range(0, len(tasks), step):
        stop_point()
        yield from _render_tasks(tasks[start:start + step], options)


#: PDFs on a reference .docx are made this many at a time with one start of LibreOffice (which
#: costs about two seconds, against a fraction of a second for each further letter).
PDF_GROUP = 16


def _libreoffice_pdfs(options: BulkOptions) -> bool:
    """Whether this run's letters are PDFs made by LibreOffice (on a charity's letterhead).

    swletter's own PDFs are typeset in the process, letter by letter, like every other format.
    """
    from letters.writers import pdf_needs_libreoffice

    return options.fmt == "pdf" and pdf_needs_libreoffice(options.reference_docx)


def _render_tasks(tasks: Sequence[_Task], options: BulkOptions) -> list[CaseResult]:
    """The results for ``tasks``, in order; LibreOffice's PDFs made with one start of it."""
    if not _libreoffice_pdfs(options):
        return [_skip_or_render(task, options) for task in tasks]
    results: list[CaseResult | None] = [None] * len(tasks)
    waiting: list[tuple[int, _Prepared, bool]] = []
    documents: list[bytes] = []
    for position, task in enumerate(tasks):
        stop_point()
        job, write, replace = task
        if not write:
            results[position] = _skip_or_render(task, options)
            continue
        prepared = _prepare(job, options)
        if isinstance(prepared, CaseResult):
            results[position] = prepared
            continue
        try:
            documents.append(prepared.rendered.to_bytes(
                "docx", reference_docx=options.reference_docx,
                author_in_metadata=options.author_in_metadata))
        except LettersError as err:
            results[position] = prepared.failed(err)
            continue
        waiting.append((position, prepared, replace))
    for (position, prepared, replace), pdf in zip(waiting, _pdfs(documents), strict=True):
        results[position] = prepared.failed(pdf) if isinstance(pdf, LettersError) else \
            _noted(_finish(prepared, options, pdf, replace=replace), replace)
    return [result for result in results if result is not None]


def _pdfs(documents: Sequence[bytes]) -> list[bytes | LettersError]:
    """Each .docx as a PDF, or the error that stopped it.

    All are converted with one start of LibreOffice; if that fails, each is tried on its own, so
    a letter LibreOffice cannot convert fails alone rather than taking the others with it.
    """
    from letters.writers.pdf import docx_to_pdf, docxs_to_pdfs

    if not documents:
        return []
    try:
        return list(docxs_to_pdfs(documents))
    except LettersError as err:
        if len(documents) == 1:
            return [err]
    out: list[bytes | LettersError] = []
    for document in documents:
        try:
            out.append(docx_to_pdf(document))
        except LettersError as err:
            out.append(err)
    return out


def run_bulk(jobs: Sequence[Job], options: BulkOptions, *, workers: int = 1,
             on_result: Callable[[CaseResult], None] | None = None) -> BulkSummary:
    """Run every job, calling ``on_result`` in this process for each result as it arrives."""
    summary = BulkSummary(total=len(jobs))
    for result in run_jobs(jobs, options, workers=workers):
        summary.add(result)
        if on_result is not None:
            on_result(result)
    return summary


def record_result(register: Register, result: CaseResult, job: Job,
                  options: BulkOptions) -> bool:
    """Record one result's letter in the register, from the parent process (the one writer).

    A letter written by this run comes with its entry. A letter skipped because it already
    existed is recorded only if the register does not have its file yet (a run killed between
    writing and recording, or run first without a register), so every letter is recorded
    exactly once however often the batch is run. Returns whether a new row was recorded.
    """
    entry = result.entry
    if (entry is None and result.status == ALREADY_DONE and result.output
            and not register.has_output(result.output)):
        redo = render_job(job, dataclasses.replace(options, record=True), write=False)
        entry = redo.entry
    return entry is not None and register.record_letter(entry)[1]


def with_unfinished(results: Sequence[CaseResult], jobs: Sequence[Job]) -> list[CaseResult]:
    """``results`` plus a "not done" row for every job an interrupted run did not reach."""
    done = {r.index for r in results}
    return [*results, *(CaseResult(j.index, j.label, NOT_DONE) for j in jobs
                        if j.index not in done)]


# --------------------------------------------------------------------------------------------
# The report and the combined document

#: A spreadsheet program treats a cell starting with one of these as a formula.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(text: str) -> str:
    """A report cell that a spreadsheet shows as text, never runs as a formula (CSV injection).

    A leading apostrophe is what spreadsheet programs themselves use to mean "this is text".
    """
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def report_bytes(results: Iterable[CaseResult]) -> bytes:
    """The report as UTF-8 CSV (with a byte-order mark, so Excel reads the accents right)."""
    import csv

    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(REPORT_HEADERS)
    for r in results:
        row = (r.label, r.status, r.output, r.reply_by.isoformat() if r.reply_by else "",
               "\n".join(r.problems), "\n".join(r.warnings))
        writer.writerow([neutralise_cell(cell) for cell in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def write_report(path: str | os.PathLike[str], results: Iterable[CaseResult], *,
                 force: bool = False) -> Path:
    """Write the report atomically, owner-only.

    A previous report (recognised by its first line) is replaced; any other existing file is
    only replaced with ``force``, so a mistyped ``--report`` cannot destroy a spreadsheet.
    """
    target = Path(path)
    replace = force or _is_report(target)
    return write_atomic(target, report_bytes(results), force=replace)


def _is_report(path: Path) -> bool:
    try:
        if not stat.S_ISREG(path.lstat().st_mode):
            return False  # a named pipe would never answer; writing will refuse it
        with path.open("rb") as fh:
            first = fh.readline(200)
    except OSError:
        return False
    return first.decode("utf-8", "replace").lstrip("\ufeff").strip() == ",".join(REPORT_HEADERS)


def write_combined(path: str | os.PathLike[str], markdown_letters: Iterable[str], *,
                   force: bool = False, reference_docx: str | None = None) -> Path:
    """All the letters in one .docx, each starting on a new page, for printing.

    Its properties name no author: the letters may be from different senders.
    """
    from letters.writers import base_for
    from letters.writers.docx import build_docx

    data = build_docx(markdown_letters, base=base_for(reference_docx),
                      title="Requests for a change of social worker")
    return write_atomic(path, data, force=force)


def ensure_out_dir(path: str | os.PathLike[str]) -> Path:
    """Create the output folder (owner-only) if needed; ``OutputError`` if that is impossible."""
    folder = Path(path)
    try:
        return make_folder(folder)
    except NotADirectoryError:
        raise OutputError(f"{shown_path(folder)} is a file, not a folder. Give --out a folder "
                          "name.") from None
    except OSError as err:
        raise OutputError(f"cannot create the folder {shown_path(folder)}: "
                          f"{err.strerror or err}.") from err
