"""`swletter bulk` and `swletter bulk-template`: letters in bulk, for charities (issues 5
and 17)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from .options import (
    FORMATS,
    customisation_options,
    language_option,
    register_file,
    register_option,
)


@click.command()
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...",
                type=click.Path(exists=True, path_type=str))
@click.option("--out", "out_dir", metavar="DIR", type=click.Path(file_okay=False, path_type=str),
              help="The folder for the letters (created if needed).")
@click.option("--format", "fmt", type=click.Choice(FORMATS),
              help="The format of each letter: docx (default, or `format` in swletter.toml), "
                   "md, html or pdf (a pdf on a --reference-docx letterhead needs LibreOffice, "
                   "and takes a second or two a letter).")
@click.option("--jobs", type=click.IntRange(min=0), default=1, show_default=True, metavar="N",
              help="How many processes share the work; 0 uses one per CPU core.")
@click.option("--force", is_flag=True,
              help="Write every letter again, replacing those already written.")
@click.option("--dry-run", is_flag=True,
              help="Check every case as `swletter check` does, and write nothing.")
@click.option("--report", metavar="FILE", type=click.Path(dir_okay=False, path_type=str),
              help="Where to write the report of every case. Default: DIR/bulk-report.csv "
                   "(or .json).")
@click.option("--format-report", "report_format", type=click.Choice(("csv", "json")),
              default="csv", show_default=True, help="The report as CSV, or as JSON.")
@click.option("--combined", metavar="FILE", type=click.Path(dir_okay=False, path_type=str),
              help="Also write every letter into this one .docx or .pdf for printing: each "
                   "letter on new pages numbered from 1.")
@click.option("--evidence", "evidence_csv", metavar="FILE",
              type=click.Path(exists=True, dir_okay=False, path_type=str),
              help="The evidence CSV (one row per document, keyed by case_id) for CSV inputs.")
@click.option("--columns", metavar="FILE", type=click.Path(exists=True, dir_okay=False,
                                                          path_type=str),
              help="A column-mapping file (.toml): your spreadsheet's column names → swletter's.")
@register_option
@language_option
@customisation_options
def bulk(inputs: tuple[str, ...], out_dir: str | None, fmt: str | None, jobs: int, force: bool,
         dry_run: bool, report: str | None, report_format: str, combined: str | None,
         evidence_csv: str | None, columns: str | None, register_path: str | None,
         language: str | None, settings: Any) -> None:
    """Write a letter for every case in INPUT...: case files, folders of case files, CSV files
    or .xlsx workbooks (run `swletter bulk-template` for the columns).

    Each case is checked as `swletter check` checks it, and the advice is in the report. A bad
    case never stops the others. A letter is written again only when its case (or the settings
    that shape it) changed, replacing its own earlier letter, which is kept in DIR/previous; so
    an interrupted run can simply be run again. Exits 0 when every case succeeded, 1 when any
    failed.
    """
    from letters import api

    request = api.BulkRequest(inputs, out_dir, settings, fmt, jobs, force, report,
                              report_format, combined, evidence_csv, columns,
                              None if dry_run else register_file(register_path, settings),
                              dry_run, language=language)
    result = _run_bulk(request)
    echo_bulk(result)
    if result.exit_status:
        sys.exit(result.exit_status)


def _run_bulk(request: Any) -> Any:
    """Run ``request`` with a progress bar; options that cannot go together are usage errors."""
    from letters import api
    from letters.bulk.request import BulkOptionError

    progress = _Progress(request)
    try:
        return api.run_bulk(request, progress)
    except BulkOptionError as err:
        raise click.BadParameter(str(err), param_hint=err.option) from None
    finally:
        progress.close()


def echo_bulk(report: Any) -> None:
    from letters.bulk.summary import check_lines, run_lines

    if report.dry_run:
        for line in check_lines(report):
            click.echo(line)
        return
    out, err = run_lines(report)
    for line in out:
        click.echo(line)
    for line in err:
        click.echo(line, err=True)


class _Progress:
    """What a bulk run says as it goes, on stderr: the problems with its inputs, said once
    before any case, and a progress bar (only on a terminal, once a run takes a moment)."""

    def __init__(self, request: Any) -> None:
        import time

        self.request = request
        self.shown: Any = None
        self.start = time.monotonic()

    def __call__(self, progress: Any) -> None:
        if progress.stage == "reading" and self.request.has_sheets() and sys.stderr.isatty():
            click.echo("Reading the spreadsheets…", err=True)  # a large workbook takes a while
        elif progress.stage == "planned" and not self.request.dry_run:
            from letters.bulk.summary import problem_lines

            for line in problem_lines(progress.problems):
                click.echo(line, err=True)
        elif progress.stage == "done":
            self._advance(progress.done, progress.total)

    def _advance(self, done: int, total: int) -> None:
        import time

        if self.shown is not None:
            self.shown.update(done - self.shown.pos)
        elif done < total and time.monotonic() - self.start > 0.5 and sys.stderr.isatty():
            label = "Checking cases" if self.request.dry_run else "Writing letters"
            self.shown = click.progressbar(length=total, label=label, file=sys.stderr,
                                           show_pos=True, show_eta=True)
            self.shown.__enter__()
            self.shown.update(done)

    def close(self) -> None:
        if self.shown is not None:
            self.shown.__exit__(None, None, None)
            self.shown = None


@click.command("bulk-template")
@click.argument("file", type=click.Path(dir_okay=False, path_type=str), metavar="FILE")
@click.option("--force", is_flag=True, help="Replace FILE if it already exists.")
def bulk_template(file: str, force: bool) -> None:
    """Write a spreadsheet to fill in for `swletter bulk`: FILE.xlsx (cases and evidence
    sheets) or FILE.csv (plus FILE-evidence.csv), with the column names, a row of notes
    explaining each column, and one filled example row.
    """
    from letters.bulk.template import write_template

    if Path(file).suffix.lower() not in (".xlsx", ".csv"):
        raise click.BadParameter("give a name ending .xlsx or .csv, such as cases.xlsx.",
                                 param_hint="FILE")
    written = write_template(file, force=force)
    click.echo(f"Wrote {' and '.join(str(p) for p in written)}. Replace the example row with "
               "one row per case, then check and write them:")
    evidence = f" --evidence {written[1]}" if len(written) == 2 else ""
    click.echo(f"  swletter check {written[0]}{evidence}")
    click.echo(f"  swletter bulk {written[0]}{evidence} --out letters")
