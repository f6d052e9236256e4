"""Carrying out a bulk run's tasks: in this process, or spread over worker processes.

``run_tasks`` yields one small ``CaseResult`` per task, in plan order. Workers write their own
letters (atomically) and return only the outcome, so memory stays flat however large the batch,
and they never outlive the run (``workers.py``). PDFs on a charity's letterhead are made by
LibreOffice a group at a time, one start of it for many letters.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from letters.bulk.letter import (
    CHECK,
    WORDS,
    BulkOptions,
    Prepared,
    Task,
    do_task,
    finish,
    letter_bytes,
    prepare,
)
from letters.bulk.report import CaseResult
from letters.bulk.workers import Lifeline, start_worker, stop_point, worker_task
from letters.errors import LettersError

if TYPE_CHECKING:
    import multiprocessing.context

#: PDFs on a reference .docx are made this many at a time with one start of LibreOffice (which
#: costs about two seconds, against a fraction of a second for each further letter).
PDF_GROUP = 16


class WorkerStoppedError(LettersError):
    """Raised when a worker process dies mid-run (killed, or out of memory).

    The letters written so far stay; running the same command again writes the rest.
    """


def run_tasks(tasks: Sequence[Task], options: BulkOptions, *, workers: int = 1,
              chunk_size: int = 0) -> Iterator[CaseResult]:
    """Carry out ``tasks`` and yield one result per task, in order.

    With ``workers`` > 1 the tasks are spread over that many processes in chunks; each worker
    writes its letters and returns only small results.
    """
    try:
        if workers <= 1 or len(tasks) < 2:
            yield from _do_all(tasks, options)
        else:
            yield from _run_in_processes(list(tasks), options, workers, chunk_size)
    finally:
        # One flush to disk for the whole run rather than one per letter (an fsync each cost
        # more than making the letter). A crash before it can leave letters incomplete; the
        # next run finds them (is_whole_letter) and writes them again.
        if hasattr(os, "sync") and any(t.action not in (CHECK, WORDS) for t in tasks):
            os.sync()


def _run_in_processes(tasks: list[Task], options: BulkOptions, workers: int,
                      chunk_size: int) -> Iterator[CaseResult]:
    size = chunk_size or max(1, min(64, len(tasks) // (workers * 8) or 1))
    if libreoffice_pdfs(options) and not chunk_size:
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
                work = functools.partial(_do_chunk, options)
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
    """Each worker process's first step: tie it to this run (workers.py), warm up."""
    start_worker(*lifeline)
    from letters.advice.wordlists import word_lists
    from letters.case.grounds import load_grounds

    load_grounds()
    word_lists()


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


def _do_chunk(options: BulkOptions, batch: list[Task]) -> list[CaseResult]:
    """One chunk, in a worker process: told to stop, the worker ends between two letters."""
    with worker_task():
        return list(_do_all(batch, options))


def _do_all(tasks: Sequence[Task], options: BulkOptions) -> Iterator[CaseResult]:
    """A result for each task as it is done: one by one, or LibreOffice's PDFs a group at once."""
    step = PDF_GROUP if libreoffice_pdfs(options) else 1
    for start in range(0, len(tasks), step):
        stop_point()
        group = tasks[start:start + step]
        if step == 1:
            yield do_task(group[0], options)
        else:
            yield from _pdf_group(group, options)


def libreoffice_pdfs(options: BulkOptions) -> bool:
    """Whether this run's letters are PDFs made by LibreOffice (on a charity's letterhead).

    swletter's own PDFs are typeset in the process, letter by letter, like every other format.
    """
    from letters.writers import pdf_needs_libreoffice

    return options.fmt == "pdf" and pdf_needs_libreoffice(options.reference_docx)


def _pdf_group(tasks: Sequence[Task], options: BulkOptions) -> list[CaseResult]:
    """The results for ``tasks``, in order; LibreOffice's PDFs made with one start of it."""
    results: list[CaseResult | None] = [None] * len(tasks)
    waiting: list[tuple[int, Prepared]] = []
    documents: list[bytes] = []
    for position, task in enumerate(tasks):
        stop_point()
        if task.action in (CHECK, WORDS):
            results[position] = do_task(task, options)
            continue
        prepared = prepare(task, options)
        if isinstance(prepared, CaseResult):
            results[position] = prepared
            continue
        try:
            documents.append(letter_bytes(prepared, options, "docx"))
        except LettersError as err:
            results[position] = prepared.failed(err)
            continue
        waiting.append((position, prepared))
    for (position, prepared), pdf in zip(waiting, _pdfs(documents), strict=True):
        results[position] = prepared.failed(pdf) if isinstance(pdf, LettersError) else \
            finish(prepared, options, pdf)
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
