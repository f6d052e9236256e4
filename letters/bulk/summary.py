"""What a person reads after a bulk run or a check of spreadsheets: the lines to show, as text.

Front doors print these; the report file holds the same and more. Nothing here quotes a case's
personal details: the lines name cases by file, sheet and row, and problems by column.
"""

from __future__ import annotations

from collections.abc import Sequence

from letters.bulk.report import (
    ALREADY_DONE,
    FAILED,
    HELD_BACK,
    READY,
    WRITTEN,
    BulkReport,
    CaseResult,
)
from letters.bulk.sheets import InputProblem
from letters.output import shown_path

#: Failed cases listed on the screen after a run (the report lists them all).
MAX_SHOWN = 20


def _plural(count: int, noun: str, plural: str = "") -> str:
    return f"{count} {noun if count == 1 else plural or noun + 's'}"


def problem_lines(problems: Sequence[InputProblem]) -> list[str]:
    """The problems with the inputs as a whole, grouped by input, each said once."""
    lines: list[str] = []
    by_source: dict[str, list[InputProblem]] = {}
    for problem in problems:
        by_source.setdefault(problem.source, []).append(problem)
    for source, found in by_source.items():
        lines.append(f"Problem with {source}:" if len(found) == 1 else
                     f"{len(found)} problems with {source}:")
        lines.extend(f"  - {p.message}" for p in found)
        if any(p.holds_back for p in found):
            lines.append(f"  No letter is written from {source} until this is fixed (its rows "
                         "are still checked, below).")
    return lines


def run_lines(report: BulkReport) -> tuple[list[str], list[str]]:
    """The summary of a run: (lines for standard output, lines for the error stream)."""
    out: list[str] = []
    if report.combined is not None:
        out.append(f"Combined {report.combined_count} letters into {report.combined}.")
    written, total = report.count(WRITTEN), len(report.results)
    rate = written / report.elapsed if report.elapsed > 0 else 0.0
    out.append(f"Done: {written} written, {report.count(ALREADY_DONE)} already done, "
               f"{report.count(FAILED)} failed, of {_plural(total, 'case')}, in "
               f"{report.elapsed:.1f} s ({rate:.0f} letters per second).")
    held = report.count(HELD_BACK)
    if held:
        out.append(f"Held back: {_plural(held, 'case')}, not written until the problems with "
                   "the spreadsheet's columns are fixed (see above).")
    if report.rewritten and report.out_dir is not None:
        out.append(f"Rewritten: {_plural(report.rewritten, 'letter')} whose case changed since "
                   "it was written; each earlier letter is kept in "
                   f"{shown_path(report.out_dir / 'previous')}.")
    out.append(f"Letters: {report.out_dir}")
    out.append(f"Report: {report.report_path}")
    warned = sum(1 for r in report.results if r.ok and r.has_warnings)
    if warned:
        out.append(f"Warnings: {warned} of the letters written {'has' if warned == 1 else 'have'}"
                   " warnings to read in the report before sending.")
    if report.register:
        out.append(f"Register: {report.register} ({_plural(report.recorded, 'new letter')} "
                   "recorded)")
    return out, _failure_lines(report)


def _failure_lines(report: BulkReport) -> list[str]:
    err: list[str] = []
    failed = [r for r in sorted(report.results, key=lambda r: r.index) if r.status == FAILED]
    for shown, result in enumerate(failed):
        if shown == MAX_SHOWN:
            err.append(f"… and {len(failed) - MAX_SHOWN} more failed cases: see the report.")
            break
        err.append(f"Failed: {result.label}")
        err.extend(f"  - {problem}" for problem in result.problems)
    if report.problems:
        err.append(f"{_plural(len(report.problems), 'problem')} with the inputs: see above, and "
                   "the report.")
    stopped = stopped_line(report)
    if stopped:
        err.append(stopped)
    return err


def stopped_line(report: BulkReport) -> str:
    """What to say when the run did not finish, or ""."""
    from letters.bulk.report import NOT_DONE

    if report.worker_stopped:
        said = "A worker process stopped unexpectedly (out of memory?)."
    elif report.stopped_by is not None:
        import signal

        from letters.signals import signal_name

        said = ("The run was interrupted." if report.stopped_by == signal.SIGINT
                else f"The run was stopped ({signal_name(report.stopped_by)}).")
    else:
        return ""
    return (f"{said} {report.count(NOT_DONE)} cases were not done; run the same command again "
            "to write them (letters already written are skipped).")


def check_lines(report: BulkReport) -> list[str]:
    """A check of spreadsheets (or ``bulk --dry-run``): every problem, warning and piece of
    advice for every case, then the totals."""
    lines = problem_lines(report.problems)
    for result in sorted(report.results, key=lambda r: r.index):
        found = [*result.problems, *result.warnings, *result.advice]
        if not found and result.status != HELD_BACK:
            continue
        lines.append(f"{result.label}: {_verdict(result)}")
        lines.extend(f"  - {line}" for line in found)
    lines.append(_check_totals(report))
    return lines


def _verdict(result: CaseResult) -> str:
    if result.status == FAILED:
        return f"not ready, {_plural(len(result.problems), 'problem')} to fix."
    if result.status == HELD_BACK:
        return "ready, but held back by the problems with the spreadsheet's columns."
    return "ready; read the advice before sending." if result.advice else \
        "ready; read the warnings before sending."


def _check_totals(report: BulkReport) -> str:
    ready, failed = report.count(READY), report.count(FAILED)
    faults = sum(r.faults for r in report.results)
    notes = sum(len(r.advice) - r.faults for r in report.results)
    warnings = sum(len(r.warnings) for r in report.results)
    parts = [f"{ready} ready to write", f"{failed} with problems"]
    if report.count(HELD_BACK):
        parts.append(f"{report.count(HELD_BACK)} held back")
    text = f"Checked {_plural(len(report.results), 'case')}: {', '.join(parts)}."
    if report.problems:
        text += f" {_plural(len(report.problems), 'problem')} with the inputs."
    return (f"{text} Tone, readability and evidence: {_plural(faults, 'warning')} and "
            f"{_plural(notes, 'note')}; {_plural(warnings, 'other warning')}.")
