"""swletter's command line: options in, calls to the engine, messages and exit codes out.

Exit codes: 0 done; 1 invalid input or a letter that could not be written (the message names the
file and field); 2 a usage error. Heavy modules are imported inside the commands so that
``swletter --help`` stays quick.

This module holds the ``main`` group and its error boundary, and the core commands (render,
check, new, grounds, example); the others live in ``commands/``, one module per topic.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

# In the source tree (the tests, mypy) this file is the top-level module ``cli`` beside the
# top-level package ``commands``; installed, it is ``swletter.cli`` beside ``swletter.commands``
# (never a top-level ``commands`` that another distribution could also install).
if TYPE_CHECKING or not __package__:
    from commands import add_commands, bulk, documents, messages, options, register, terminal
else:
    from .commands import add_commands, bulk, documents, messages, options, register, terminal

#: The languages a document can be written in (a test checks they agree with the engine's).
LANGUAGES = options.LANGUAGES

__all__ = ["LANGUAGES", "main"]


class _Group(click.Group):
    """The one place where engine errors become messages: no user ever sees a traceback."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        # A terminal or pipe whose encoding lacks a character of the letter ("’", "—", a
        # name's accent) shows "?" for it rather than ending the command (stderr already
        # escapes what it cannot show).
        if isinstance(sys.stdout, io.TextIOWrapper):
            with contextlib.suppress(ValueError, OSError):
                sys.stdout.reconfigure(errors="replace")
        try:
            return super().main(*args, **kwargs)
        except OSError as err:
            if not _is_output_failure(err):
                raise
            # Output to a full disk, or to /dev/full (click's own help text included).
            _silence_stdout()
            _fail(f"the output could not be written ({err.strerror or err}). If it goes to a "
                  "file, is the disk full?")

    def invoke(self, ctx: click.Context) -> Any:
        from letters.errors import LettersError

        try:
            return super().invoke(ctx)
        except LettersError as err:
            raise click.ClickException(str(err)) from err
        except (click.ClickException, click.exceptions.Exit, click.Abort, KeyboardInterrupt):
            raise
        except BrokenPipeError:
            # The reader went away (`swletter render case.yaml -o - | head`): stop quietly, and
            # point stdout at nothing so Python's own flush at exit cannot fail again.
            _silence_stdout()
            sys.exit(1)
        except MemoryError:
            _fail("swletter ran out of memory. Is the input file much larger than a case file?")
        except Exception as err:  # the CLI's single boundary: anything else is a bug
            if isinstance(err, OSError) and _is_output_failure(err):
                raise  # said in main(), which also sees click's own output fail
            _fail(
                f"swletter hit an unexpected problem ({type(err).__name__}). This is a bug in "
                "swletter, not in your file. Please report it with the command you ran "
                "(but not your case file: it holds personal details)."
            )


#: What writing to a stream that cannot take more raises: a full disk, a quota, a file
#: size limit, a device error.
_OUTPUT_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO})


def _is_output_failure(err: OSError) -> bool:
    """Whether ``err`` is printing failing. The engine turns every OSError of its own files
    into a message, and those name a file; writing to stdout names none."""
    return err.errno in _OUTPUT_ERRNOS and err.filename is None


def _silence_stdout() -> None:
    """Point standard output at nothing, so Python's own flush at exit cannot fail again."""
    with contextlib.suppress(OSError, ValueError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _fail(message: str) -> NoReturn:
    click.echo(f"Error: {message}", err=True)
    sys.exit(1)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="swletter")
def main() -> None:
    """Write a civil, evidence-backed letter asking a children's services manager for a change
    of social worker.

    Start with `swletter new`, which asks plain questions and writes the case file and the
    letter; or `swletter example` for a case file to edit, then `swletter render` it.
    """


@main.command()
@click.argument("case", type=click.Path(dir_okay=False, path_type=str))
@click.option("-o", "--output", metavar="OUT",
              help="Where to write the letter; '-' writes it to the screen. "
                   "Default: next to the case file, named after the first child and the date.")
@options.format_option
@click.option("--force", is_flag=True, help="Replace the output file if it already exists.")
@click.option("--strict", is_flag=True,
              help="Write nothing if `swletter check` has any warning about the case.")
@click.option("--redacted", is_flag=True,
              help="Write the anonymised copy instead (as `swletter redact` does).")
@options.register_option
@options.language_option
@options.customisation_options
def render(case: str, output: str | None, fmt: str | None, force: bool, strict: bool,
           redacted: bool, register_path: str | None, language: str | None,
           settings: Any) -> None:
    """Write the letter for the case file CASE.

    Tone, readability and evidence warnings (as `swletter check` gives them) follow on the
    screen; with --strict a letter with any warning is not written.
    """
    from letters import api

    chosen = options.choose_format(fmt, output, settings.format)
    if redacted:
        documents.write_redacted(case, output, chosen, force, settings, language)
        return
    rendered = api.render_request(api.read_case(case, settings=settings), settings=settings,
                                  language=language)
    findings = api.review(rendered, whole_letter=strict)
    if strict:
        messages.refuse_with_findings(findings)
    register_at = options.register_file(register_path, settings)
    if output == "-":
        _print_letter(rendered, chosen, findings, unrecorded=bool(register_at))
        return
    target = output or Path(case).parent / rendered.file_name(chosen)
    register.write_request(rendered, chosen, target, register_at, settings=settings, force=force,
                           protect=(case,))
    messages.echo_findings(findings, err=True)


def _print_letter(rendered: Any, fmt: str, findings: Any, *, unrecorded: bool) -> None:
    """``render -o -``: the letter on the screen, its advice after it on stderr."""
    click.echo(rendered.to_bytes(fmt).decode("utf-8"), nl=False)
    messages.echo_findings(findings, err=True)
    if unrecorded:
        click.echo("Not recorded in the register: the letter was printed, not saved.", err=True)


@main.command()
@click.argument("case", type=click.Path(dir_okay=False, path_type=str))
@click.option("--strict", is_flag=True,
              help="Exit 1 when there is any warning (notes never count).")
@click.option("--format", "fmt", type=click.Choice(("text", "json")), default="text",
              show_default=True, help="json gives the findings as data for other tools.")
@click.option("--evidence", "evidence_csv", metavar="FILE",
              type=click.Path(exists=True, dir_okay=False, path_type=str),
              help="For a CSV of cases: the evidence CSV that goes with it.")
@click.option("--columns", metavar="FILE", type=click.Path(exists=True, dir_okay=False,
                                                          path_type=str),
              help="For a spreadsheet: a column-mapping file (see `swletter bulk`).")
@options.language_option
@options.config_option
def check(case: str, strict: bool, fmt: str, evidence_csv: str | None, columns: str | None,
          language: str | None, settings: Any) -> None:
    """Check the case file CASE (or every case of a spreadsheet, .csv or .xlsx) without writing
    a letter.

    Reports every problem at once, then advice on tone, readability and evidence, grouped by
    field, each with a suggestion. Exits 0 when the case is valid (advice does not stop a
    letter), 1 when it is not, or with --strict when there is any warning. Notes (a child's own
    words, quoted words, plain-English hints) never count as warnings.
    """
    from letters import api
    from letters.bulk.request import SHEET_SUFFIXES
    from letters.errors import CaseError

    if Path(case).suffix.lower() in SHEET_SUFFIXES or evidence_csv or columns:
        return _check_sheet(case, strict, fmt, evidence_csv, columns, language, settings)
    try:
        report = api.check(api.read_case(case, settings=settings), settings=settings,
                           language=language)
    except CaseError as err:
        if fmt != "json":
            raise
        messages.echo_json(api.problems_as_data(err, case))
        sys.exit(1)
    _echo_check(report, case, fmt)
    if strict and report.warnings:
        raise click.ClickException(
            f"--strict: {messages.plural(report.warnings, 'warning')} to resolve before the "
            "letter is sent.")


def _check_sheet(sheet: str, strict: bool, fmt: str, evidence_csv: str | None,
                 columns: str | None, language: str | None, settings: Any) -> None:
    """`check` on a spreadsheet: every case, as `bulk --dry-run` checks them."""
    from letters import api
    from letters.bulk.report import report_json

    report = api.check_sheets((sheet,), settings=settings, evidence_csv=evidence_csv,
                              columns=columns, language=language)
    if fmt == "json":
        click.echo(report_json(report).decode("utf-8"), nl=False)
    else:
        bulk.echo_bulk(report)
    if report.exit_status or (strict and any(r.has_warnings for r in report.results)):
        sys.exit(1)


def _echo_check(report: Any, case: str, fmt: str) -> None:
    """`check`'s findings, its one-line verdict, and the statements still to complete; or, with
    --format json, all of that as data."""
    from letters.advice.report import count_findings
    from letters.dates import long_date

    if fmt == "json":
        messages.echo_json(report.as_data(case))
        return
    letter = report.rendered.document
    messages.echo_findings(report.findings, summary=False)
    click.echo(f"{case} is valid: {messages.plural(len(letter.grounds), 'ground')}, "
               f"{messages.plural(len(letter.enclosures), 'enclosure')}, reply by "
               f"{long_date(letter.reply_by)}. {count_findings(report.warnings, report.notes)}")
    for author, parts in report.statements_to_complete:
        click.echo(f"Still to complete in the supporting statement by {author}:")
        for part in parts:
            click.echo(f"  - {part.what} ({part.field})")
        click.echo(f"  `swletter statement {case}` drafts it with these parts marked.")


@main.command()
@click.argument("ground_id", required=False, metavar="[ID]")
def grounds(ground_id: str | None) -> None:
    """List the grounds a letter can raise, or show how to write one (ID)."""
    from letters.case.grounds import ground_text, grounds_text

    if ground_id is None:
        click.echo(grounds_text())
        return
    try:
        click.echo(ground_text(ground_id))
    except KeyError as err:
        raise click.BadParameter(str(err.args[0]), param_hint="ID") from None


@main.command()
@click.argument("folder", required=False, default="swletter-example",
                type=click.Path(file_okay=False, path_type=str))
@click.option("--force", is_flag=True, help="Replace files already in FOLDER.")
def example(folder: str, force: bool) -> None:
    """Write a complete example case file (and its evidence folder) into FOLDER to start from."""
    from letters.example import write_example

    written = write_example(folder, force=force)
    click.echo(f"Wrote {written[0]}. Edit it, then run:\n  swletter render {written[0]}")


@main.command()
@click.option("-o", "--output", metavar="CASE", type=click.Path(dir_okay=False, path_type=str),
              help="Where to write the case file. Default: case.yaml in this folder, or the "
                   "--from file.")
@click.option("--from", "from_case", metavar="CASE",
              type=click.Path(dir_okay=False, path_type=str),
              help="Carry on with (or change) this case file: each answer it holds is offered "
                   "again, and pressing Enter keeps it.")
@click.option("--language", type=click.Choice(("en", "cy")), metavar="en|cy",
              help="Ask the questions in English (en) or Welsh (cy: gofyn y cwestiynau yn "
                   "Gymraeg). A Welsh interview writes a Welsh letter unless you choose "
                   "otherwise. Default: the language of the --from case, else English.")
def new(output: str | None, from_case: str | None, language: str | None) -> None:
    """Answer plain questions, one at a time, and get a case file and a letter: no YAML to
    write.

    Stop at any time with Ctrl-C: the answers so far are saved (marked unfinished) and
    `swletter new --from CASE` carries on. Answers can also be piped in, one per line.
    """
    import datetime as dt

    from letters.interview import Interview, default_tone_check, interview_language, load_answers

    target, editing = _case_to_write(output, from_case)
    data = load_answers(from_case) if from_case else {}
    interview = Interview(data, base_dir=str(target.parent), today=dt.date.today(),
                          tone_check=default_tone_check(),
                          language=language or interview_language(data))
    terminal.converse(interview, target, editing)


def _case_to_write(output: str | None, from_case: str | None) -> tuple[Path, bool]:
    """Where `new` writes the case file, and whether that is changing the --from file itself:
    never over another file, never a .json name, never into a folder that does not exist."""
    target = Path(output or from_case or "case.yaml")
    if target.suffix.lower() == ".json":
        raise click.BadParameter("the questions write a YAML case file; give one with a name "
                                 "ending .yaml, such as -o case.yaml.", param_hint="--output")
    editing = bool(from_case) and target.exists() and \
        Path(from_case or "").resolve() == target.resolve()
    if target.exists() and not editing:
        raise click.ClickException(
            f"{target} already exists. To change its answers, run: swletter new --from "
            f"{target}\n(or choose another name for a new case with -o)."
        )
    if not (target.parent if str(target.parent) else Path(".")).is_dir():
        raise click.BadParameter(f"the folder {target.parent} does not exist. Create it first, "
                                 "or choose another place with -o.", param_hint="--output")
    return target, editing


add_commands(main)
