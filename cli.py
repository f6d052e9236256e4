"""swletter's command line: options in, calls to the engine, messages and exit codes out.

Exit codes: 0 done; 1 invalid input or a letter that could not be written (the message names the
file and field); 2 a usage error. Heavy modules are imported inside the commands so that
``swletter --help`` stays quick.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import io
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, ClassVar, NoReturn

import click

FORMATS = ("docx", "md", "html", "pdf")
_EXTENSIONS = {".docx": "docx", ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html",
               ".pdf": "pdf"}


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


def _choose_format(fmt: str | None, output: str | None, default: str | None = None) -> str:
    """--format, else the -o file's extension, else ``default`` (swletter.toml), else docx."""
    suffix = Path(output).suffix.lower() if output and output != "-" else ""
    implied = _EXTENSIONS.get(suffix)
    if fmt and implied and fmt != implied:
        raise click.BadParameter(
            f"--format {fmt} does not match the file name {output}. Use a .{fmt} name, or "
            f"leave --format out.", param_hint="--format"
        )
    if output == "-":
        if fmt in ("docx", "pdf"):
            raise click.BadParameter(f"a .{fmt} cannot be written to the screen; use "
                                     "--format md or html with -o -, or give a file name.",
                                     param_hint="--output")
        return fmt or (default if default in ("md", "html") else "md")
    return fmt or implied or default or "docx"


# --------------------------------------------------------------------------------------------
# Settings: swletter.toml and the options that override it (issue 6). Apply one of these to a
# command and it receives ``settings`` (letters.config.Settings) instead of the raw options:
#
#     @main.command()
#     @customisation_options
#     def statement(case: str, settings: Any) -> None:
#         ... load_case(case, defaults=settings.case_defaults)
#         ... make_letter(..., template_dirs=settings.template_dirs)
#         ... rendered.to_bytes(fmt, reference_docx=settings.reference_docx)


def _settings_decorator(*, look: bool) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    options = [click.option(
        "--config", "config_file", metavar="FILE",
        type=click.Path(exists=True, dir_okay=False, path_type=str),
        help="Settings file (default: swletter.toml in this folder, if there is one).")]
    if look:
        options += [
            click.option(
                "--reference-docx", metavar="FILE",
                type=click.Path(exists=True, dir_okay=False, path_type=str),
                help="A .docx (your letterhead) whose styles, page setup, header and footer "
                     "the letter takes."),
            click.option(
                "--templates", "templates_dir", metavar="DIR",
                type=click.Path(exists=True, file_okay=False, path_type=str),
                help="A folder of templates that replace swletter's by name "
                     "(see `swletter templates export`)."),
        ]

    def decorate(command: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(command)
        def wrapper(*args: Any, config_file: str | None = None, reference_docx: str | None = None,
                    templates_dir: str | None = None, **kwargs: Any) -> Any:
            kwargs["settings"] = _load_settings(config_file, reference_docx, templates_dir)
            return command(*args, **kwargs)

        # wraps() shares the wrapped function's click parameter list; give the wrapper its own.
        wrapper.__click_params__ = list(getattr(command, "__click_params__", []))  # type: ignore[attr-defined]
        decorated: Callable[..., Any] = wrapper
        for option in reversed(options):
            decorated = option(decorated)
        return decorated

    return decorate


#: --config, --reference-docx and --templates; the command gets ``settings``.
customisation_options = _settings_decorator(look=True)
#: --config only (for commands that read case files but write no letter); gets ``settings``.
config_option = _settings_decorator(look=False)


def _load_settings(config_file: str | None, reference_docx: str | None,
                   templates_dir: str | None) -> Any:
    """swletter.toml (or --config), with the options given on the command line put over it."""
    from letters.config import load_settings

    return load_settings(config_file).with_options(
        reference_docx=Path(reference_docx) if reference_docx else None,
        templates=Path(templates_dir) if templates_dir else None,
    )


#: ``--format`` on every command that writes one letter (render, followup, statement).
_format_option = click.option(
    "--format", "fmt", type=click.Choice(FORMATS),
    help="docx (default), md, html or pdf (a pdf on a --reference-docx letterhead needs "
         "LibreOffice). Taken from the -o file name when left out.",
)

#: The languages a document can be written in (letters.compose.language.CHOICES; a test checks
#: they agree): imported lazily, so the list is repeated here.
LANGUAGES = ("en", "cy", "cy+en")

#: ``--language`` on every command that writes or checks a document. What wins: this option,
#: then the case file's ``language``, then swletter.toml's, then English.
_language_option = click.option(
    "--language", type=click.Choice(LANGUAGES), metavar="en|cy|cy+en",
    help="Write in English (en), Welsh (cy), or Welsh then English in one document (cy+en). "
         "Default: the case file's language, else swletter.toml's, else English.",
)

#: ``--register FILE`` on every command that writes or reads the register of letters.
_register_option = click.option(
    "--register", "register_path", metavar="FILE", envvar="SWLETTER_REGISTER",
    type=click.Path(dir_okay=False, path_type=str),
    help="The register of letters sent (an SQLite file, made on first use). Also "
         "$SWLETTER_REGISTER, or `register` in swletter.toml.",
)


@main.command()
@click.argument("case", type=click.Path(dir_okay=False, path_type=str))
@click.option("-o", "--output", metavar="OUT",
              help="Where to write the letter; '-' writes it to the screen. "
                   "Default: next to the case file, named after the first child and the date.")
@_format_option
@click.option("--force", is_flag=True, help="Replace the output file if it already exists.")
@click.option("--strict", is_flag=True,
              help="Write nothing if `swletter check` has any warning about the case.")
@click.option("--redacted", is_flag=True,
              help="Write the anonymised copy instead (as `swletter redact` does).")
@_register_option
@_language_option
@customisation_options
def render(case: str, output: str | None, fmt: str | None, force: bool, strict: bool,
           redacted: bool, register_path: str | None, language: str | None,
           settings: Any) -> None:
    """Write the letter for the case file CASE.

    Tone, readability and evidence warnings (as `swletter check` gives them) follow on the
    screen; with --strict a letter with any warning is not written.
    """
    from letters import api

    chosen = _choose_format(fmt, output, settings.format)
    if redacted:
        _redact(case, output, chosen, force, settings, language)
        return
    rendered = api.render_request(api.read_case(case, settings=settings), settings=settings,
                                  language=language)
    findings = api.review(rendered, whole_letter=strict)
    if strict:
        _refuse_with_findings(findings)
    if output == "-":
        click.echo(rendered.to_bytes(chosen).decode("utf-8"), nl=False)
        _echo_findings(findings, err=True)
        if _register_path(register_path, settings):
            click.echo("Not recorded in the register: the letter was printed, not saved.",
                       err=True)
        return
    from letters.dates import long_date

    register = _register_path(register_path, settings)
    # The register is opened (and so checked to be writable) before the letter is written.
    with _register_to_write(register) as reg:
        target = output or Path(case).parent / rendered.file_name(chosen)
        path = api.write_document(rendered, chosen, target, settings=settings, force=force,
                                  protect=(case,))
        click.echo(f"Wrote {path} (reply by {long_date(rendered.document.reply_by)}).")
        if reg is not None:
            _record_request(reg, rendered.document, path)
    _echo_findings(findings, err=True)


def _print_warnings(warnings: Any) -> None:
    for warning in warnings:
        click.echo(f"Warning: {warning.describe(with_file=False)}", err=True)


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
@_language_option
@config_option
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
    from letters.errors import CaseError

    if Path(case).suffix.lower() in (".csv", ".xlsx", ".xlsm") or evidence_csv or columns:
        return _check_sheet(case, strict, fmt, evidence_csv, columns, language, settings)
    try:
        report = api.check(api.read_case(case, settings=settings), settings=settings,
                           language=language)
    except CaseError as err:
        if fmt != "json":
            raise
        _echo_json(api.problems_as_data(err, case))
        sys.exit(1)
    if fmt == "json":
        _echo_json(report.as_data(case))
    else:
        _echo_check(report, case)
    if strict and report.warnings:
        raise click.ClickException(
            f"--strict: {_plural(report.warnings, 'warning')} to resolve before the letter is "
            "sent.")


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
        _echo_bulk(report)
    if report.exit_status or (strict and any(r.has_warnings for r in report.results)):
        sys.exit(1)


def _echo_check(report: Any, case: str) -> None:
    """`check`'s findings, its one-line verdict, and the statements still to complete."""
    from letters.advice.report import count_findings
    from letters.dates import long_date

    letter = report.rendered.document
    _echo_findings(report.findings, summary=False)
    click.echo(f"{case} is valid: {_plural(len(letter.grounds), 'ground')}, "
               f"{_plural(len(letter.enclosures), 'enclosure')}, reply by "
               f"{long_date(letter.reply_by)}. {count_findings(report.warnings, report.notes)}")
    for author, parts in report.statements_to_complete:
        click.echo(f"Still to complete in the supporting statement by {author}:")
        for part in parts:
            click.echo(f"  - {part.what} ({part.field})")
        click.echo(f"  `swletter statement {case}` drafts it with these parts marked.")


def _plural(count: int, noun: str) -> str:
    from letters.advice.report import plural

    return plural(count, noun)


def _echo_findings(findings: Any, *, err: bool = False, summary: bool = True) -> None:
    """Findings grouped by field, each with its suggestion; then (``summary``) the counts."""
    from letters.advice.report import findings_text

    text = findings_text(findings, summary=summary)
    if text:
        click.echo(text, err=err)


def _refuse_with_findings(findings: Any) -> None:
    """For --strict: show the warnings and stop before anything is written."""
    warnings = [f for f in findings if f.is_fault]
    if warnings:
        _echo_findings(findings, err=True)
        raise click.ClickException(
            f"--strict: nothing written; {_plural(len(warnings), 'warning')} to resolve first "
            "(see above, or run swletter check)."
        )


def _echo_json(data: Any) -> None:
    import json

    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


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


# --------------------------------------------------------------------------------------------
# House wording: templates a charity edits (issue 6)


@main.group(cls=_Group)
def templates() -> None:
    """Your own wording: copy swletter's templates to edit, and check the ones you changed."""


@templates.command("export")
@click.argument("folder", type=click.Path(file_okay=False, path_type=str))
@click.option("--force", is_flag=True, help="Replace templates already in FOLDER.")
def templates_export(folder: str, force: bool) -> None:
    """Copy every built-in template into FOLDER, with a README listing what they can use."""
    from letters.templating.house import export_templates

    written = export_templates(folder, force=force)
    click.echo(f"Wrote {len(written) - 1} templates and {written[-1]} to {folder}. Edit the "
               f"wording, delete the ones you keep as they are, then run:\n"
               f"  swletter templates check {folder}\n"
               f"  swletter render CASE --templates {folder}")


@templates.command("check")
@click.argument("folder", type=click.Path(file_okay=False, path_type=str))
def templates_check(folder: str) -> None:
    """Check every template in FOLDER: syntax, variable names, file names, and a trial letter
    from the example cases. Exits 1 if there is any problem."""
    from letters.templating.house import check_templates

    problems = check_templates(folder)
    for problem in problems:
        click.echo(f"- {problem.describe()}")
    count = sum(1 for p in Path(folder).iterdir() if p.name.endswith(".j2"))
    if problems:
        noun = "problem" if len(problems) == 1 else "problems"
        raise click.ClickException(f"{len(problems)} {noun} in {folder}.")
    click.echo(f"{folder}: {count} template{'s' if count != 1 else ''}, no problems.")


# --------------------------------------------------------------------------------------------
# The register of letters sent, and the follow-up letters (issue 8)

# click 8.5 makes ParamType generic, and click 8.1 (our lower bound) cannot subscript it.
class _DateOption(click.ParamType):  # type: ignore[type-arg]
    """A date option, read as a case file's dates are (2026-12-03, 3/12/2026, 3 December 2026,
    today), in the years a letter's dates may fall in."""

    name = "date"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        import datetime as dt

        from letters.case.typed_dates import read_date
        from letters.dates import FIRST_YEAR, LAST_YEAR

        if isinstance(value, dt.date):
            return value
        reading = read_date(str(value))
        if reading.iso is None:
            self.fail(f"{reading.problem} Write the date such as 2026-12-03 or 3 December 2026.",
                      param, ctx)
        day = dt.date.fromisoformat(reading.iso)
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            self.fail(f"{day:%Y-%m-%d} is not in a year a letter can use: give a date from "
                      f"{FIRST_YEAR} to {LAST_YEAR}.", param, ctx)
        return day


_DATE = _DateOption()


def _register_path(option: str | None, settings: Any = None) -> str | None:
    """The register to use: --register (or $SWLETTER_REGISTER), else swletter.toml's
    ``register`` (from ``settings``, or read from the working folder when not given)."""
    if option:
        return option
    if settings is None:
        from letters.config import load_settings

        settings = load_settings()
    return str(settings.register) if settings.register else None


def _require_register(option: str | None, settings: Any) -> str:
    path = _register_path(option, settings)
    if not path:
        raise click.UsageError(
            "no register given. Use --register FILE, set SWLETTER_REGISTER=FILE, or add "
            'register = "letters.sqlite" to swletter.toml.'
        )
    return path


@contextlib.contextmanager
def _register_to_write(path: str | None) -> Any:
    """The register at ``path`` opened to write (None without one), closed afterwards."""
    if not path:
        yield None
        return
    from letters.register.store import open_register

    with open_register(path) as reg:
        yield reg


def _record_request(register: Any, letter: Any, path: Path) -> None:
    """Record a request letter just written in the (open) register."""
    from letters.register.store import entry_for_case

    entry, created = register.record_letter(entry_for_case(
        letter.case, kind="request", letter_date=letter.date, reply_by=letter.reply_by,
        output_path=path))
    _echo_recorded(str(register.path), entry.id, created)


def _echo_recorded(register: str, letter_id: int, created: bool) -> None:
    if created:
        click.echo(f"Recorded as letter {letter_id} in the register {register}.")
    else:
        click.echo(f"Already in the register {register} as letter {letter_id}.")


@main.command()
@click.argument("case", required=False, type=click.Path(dir_okay=False, path_type=str))
@click.option("--kind", required=True, type=click.Choice(("chaser", "reasons", "complaint")),
              help="chaser: no reply by the reply-by date. reasons: refused without reasons. "
                   "complaint: a complaint under your nation's complaints procedure.")
@_register_option
@click.option("--overdue", is_flag=True,
              help="Instead of CASE: a follow-up (chaser or complaint) for every overdue request "
                   "in the register, from the case it kept, written into --out DIR.")
@click.option("--out", "out_dir", metavar="DIR", type=click.Path(file_okay=False, path_type=str),
              help="With --overdue: the folder for the follow-ups (created if needed).")
@click.option("--first-letter-date", type=_DATE, metavar="DATE",
              help="The date of your first letter (2026-11-23), when it is not in the register. "
                   "Default: the case file's date.")
@click.option("--date", "letter_date", type=_DATE, metavar="DATE",
              help="The date of this letter (2026-12-10). Default: today.")
@click.option("-o", "--output", metavar="OUT",
              help="Where to write the letter. Default: next to the case file, named after the "
                   "kind, the first child and the date.")
@_format_option
@click.option("--force", is_flag=True, help="Replace the output file if it already exists.")
@_language_option
@customisation_options
def followup(case: str | None, kind: str, register_path: str | None, overdue: bool,
             out_dir: str | None, first_letter_date: Any, letter_date: Any, output: str | None,
             fmt: str | None, force: bool, language: str | None, settings: Any) -> None:
    """Write the next letter for the case file CASE: a reminder, a request for the reasons,
    or a complaint. With --overdue, write one for every overdue request in the register.

    It cites your first letter by its date and case reference: from the register when the
    letter is there, otherwise from --first-letter-date or the case file's date. It is in the
    language of your first letter when the register has it and neither --language nor the case
    file says otherwise.
    """
    from letters import api

    if overdue or case is None:
        _check_overdue_options(case, kind, overdue, out_dir, output, first_letter_date)
        return _followups_for_overdue(kind, _require_register(register_path, settings),
                                      out_dir or "", letter_date, fmt, force, settings)
    if output == "-":
        raise click.BadParameter("a follow-up is written to a file so that it can be recorded; "
                                 "give a file name.", param_hint="--output")
    register = _register_path(register_path, settings)
    written = api.write_followup(
        api.read_case(case, settings=settings), kind, output=output, folder=Path(case).parent,
        fmt=_choose_format(fmt, output, settings.format), register=register, force=force,
        first_letter_date=first_letter_date, today=letter_date, settings=settings,
        protect=(case,), language=language)
    _echo_followup(written, register)


def _echo_followup(written: Any, register: str | None) -> None:
    from letters.dates import long_date

    letter = written.rendered.document
    click.echo(f"Wrote {written.path} (reply by {long_date(letter.reply_by)}), citing your letter "
               f"of {long_date(letter.first.date)} (from {written.first_source}).")
    if register and written.letter_id is not None:
        _echo_recorded(register, written.letter_id, written.newly_recorded)
    _print_warnings(written.rendered.warnings)


def _check_overdue_options(case: str | None, kind: str, overdue: bool, out_dir: str | None,
                           output: str | None, first_letter_date: Any) -> None:
    """--overdue takes --out DIR, and no CASE, -o or --first-letter-date (the register has
    each request's case and first letter)."""
    if not overdue:
        raise click.UsageError("give the case file CASE, or --overdue --register FILE --out DIR "
                               "to follow up every overdue request in the register.")
    if case is not None:
        raise click.UsageError(f"--overdue writes from the register's cases; leave out {case}.")
    for given, option in ((output, "--output"), (first_letter_date, "--first-letter-date")):
        if given is not None:
            raise click.BadParameter("this goes with a CASE, not --overdue.", param_hint=option)
    if kind == "reasons":
        raise click.BadParameter("with --overdue the kind is chaser (a reminder) or complaint; "
                                 "a request for the reasons follows a refusal, not a silence.",
                                 param_hint="--kind")
    if not out_dir:
        raise click.UsageError("--overdue needs --out DIR: the folder for the follow-ups.")


def _followups_for_overdue(kind: str, register: str, out_dir: str, letter_date: Any,
                           fmt: str | None, force: bool, settings: Any) -> None:
    from letters import api

    written = api.write_overdue_followups(register, kind, out_dir, settings=settings,
                                          fmt=fmt or settings.format or "docx",
                                          today=letter_date, force=force)
    for one in written:
        click.echo(one.describe(), err=one.path is None)
        for warning in one.warnings:
            click.echo(f"  Warning: {warning}", err=True)
    done = sum(1 for one in written if one.path is not None)
    overdue = _plural(len(written), "overdue request")
    click.echo(f"{_plural(done, 'follow-up')} written for {overdue} in the register {register}."
               if written else f"No request in the register {register} is overdue.")
    if done < len(written):
        sys.exit(1)


@main.group(cls=_Group)
def register() -> None:
    """The register of letters sent: list requests and their status, record replies, mark a
    letter void, export it for reports, and put reply-by dates in your calendar."""


_AS_OF = click.option("--as-of", "as_of", type=_DATE, metavar="DATE",
                      help="Work out statuses as they stand on DATE (2026-12-10). "
                           "Default: today.")
_CASEWORKER = click.option("--caseworker", metavar="NAME",
                           help="Only the requests of this caseworker (the caseworker column "
                                "of a bulk spreadsheet).")


@register.command("list")
@_register_option
@click.option("--overdue", is_flag=True, help="Only requests whose reply-by date has passed.")
@_CASEWORKER
@click.option("--format", "fmt", type=click.Choice(("table", "csv", "json")), default="table",
              show_default=True, help="How to print the list.")
@_AS_OF
@config_option
def register_list(register_path: str | None, overdue: bool, caseworker: str | None, fmt: str,
                  as_of: Any, settings: Any) -> None:
    """List every request with its status: awaiting reply, overdue, granted, partly granted,
    refused, refused without reasons, complaint open or complaint overdue."""
    from letters import api
    from letters.register.export import rows_csv, rows_json, rows_table, status_rows

    rows = status_rows(api.list_requests(_require_register(register_path, settings),
                                         as_of=as_of, overdue=overdue, caseworker=caseworker))
    if fmt == "json":
        click.echo(rows_json(rows), nl=False)
    elif fmt == "csv":
        click.echo(rows_csv(rows).decode("utf-8").removeprefix("\ufeff"), nl=False)
    elif not rows:
        click.echo("No overdue requests." if overdue else "No requests for that caseworker."
                   if caseworker else "The register has no requests yet.")
    else:
        click.echo(rows_table(rows), nl=False)


@register.command("reply")
@click.argument("letter_id", metavar="ID", type=click.IntRange(min=1))
@click.option("--date", "reply_date", type=_DATE, required=True, metavar="DATE",
              help="The date of the reply (2026-12-03).")
@click.option("--outcome", required=True, type=click.Choice(("granted", "refused", "partial")),
              help="What the reply said.")
@click.option("--reasons", type=click.Choice(("given", "not-given")),
              help="Whether a refusal gave its reasons in writing.")
@click.option("--note", metavar="TEXT", help="A short note to keep with the reply.")
@_register_option
@config_option
def register_reply(letter_id: int, reply_date: Any, outcome: str, reasons: str | None,
                   note: str | None, register_path: str | None, settings: Any) -> None:
    """Record the reply to letter ID (the number `swletter register list` shows).

    Recording a reply again corrects it: the latest counts, and both are kept.
    """
    from letters import api

    if reasons and outcome == "granted":
        raise click.BadParameter("--reasons is for a refusal or a partial outcome.",
                                 param_hint="--reasons")
    reply = api.record_reply(_require_register(register_path, settings), letter_id,
                             reply_date=reply_date, outcome=outcome, reasons=reasons, note=note)
    click.echo(f"Recorded the reply to letter {reply.letter_id}: {outcome}"
               + {"given": ", reasons given", "not-given": ", no reasons given"}.get(
                   reasons or "", "") + ".")
    if outcome != "granted" and reasons == "not-given":
        click.echo("Next: swletter followup CASE --kind reasons asks for the reasons in writing.")


@register.command("void")
@click.argument("letter_id", metavar="ID", type=click.IntRange(min=1))
@click.option("--reason", required=True, metavar="TEXT",
              help="Why the letter is void (a follow-up of the wrong kind, say).")
@_register_option
@_AS_OF
@config_option
def register_void(letter_id: int, reason: str, register_path: str | None, as_of: Any,
                  settings: Any) -> None:
    """Mark letter ID void: written by mistake, or never sent. It stays in the register (nothing
    is ever deleted) but every list, export and status leaves it out."""
    from letters import api

    if not reason.strip():
        raise click.BadParameter("say why the letter is void.", param_hint="--reason")
    letter, status = api.void_letter(_require_register(register_path, settings), letter_id,
                                     reason, as_of=as_of)
    click.echo(f"Letter {letter.id} ({letter.kind} of {letter.letter_date.isoformat()}) is now "
               "void: it is kept in the register, and left out of every list.")
    if status is not None:
        click.echo(f"Request {status.request.id} now stands at: {status.status} (latest letter: "
                   f"{status.latest.kind} {status.latest.id}).")


@register.command("export")
@click.argument("file", type=click.Path(dir_okay=False, path_type=str))
@_register_option
@click.option("--overdue", is_flag=True, help="Only requests whose reply-by date has passed.")
@_CASEWORKER
@_AS_OF
@click.option("--force", is_flag=True, help="Replace FILE if it already exists.")
@config_option
def register_export(file: str, register_path: str | None, overdue: bool, caseworker: str | None,
                    as_of: Any, force: bool, settings: Any) -> None:
    """Write every request and its status to FILE.csv or FILE.xlsx, for reports."""
    from letters import api

    if Path(file).suffix.lower() not in (".csv", ".xlsx"):
        raise click.BadParameter(f"{file} should end in .csv or .xlsx.", param_hint="FILE")
    path, count = api.export_register(file, _require_register(register_path, settings),
                                      as_of=as_of, overdue=overdue, caseworker=caseworker,
                                      force=force)
    click.echo(f"Wrote {path} ({_plural(count, 'request')}).")


@register.command("ics")
@click.argument("file", type=click.Path(dir_okay=False, path_type=str))
@_register_option
@click.option("--without-names", is_flag=True,
              help="Leave the children's names out of the calendar (for shared or online "
                   "calendars).")
@_CASEWORKER
@_AS_OF
@click.option("--force", is_flag=True, help="Replace FILE if it already exists.")
@config_option
def register_ics(file: str, register_path: str | None, without_names: bool,
                 caseworker: str | None, as_of: Any, force: bool, settings: Any) -> None:
    """Write FILE.ics: a calendar reminder for every reply-by date still open."""
    from letters import api

    path, count = api.register_calendar(file, _require_register(register_path, settings),
                                        as_of=as_of, with_names=not without_names,
                                        caseworker=caseworker, force=force)
    click.echo(f"Wrote {path} ({_plural(count, 'reply-by date')}).")


# --------------------------------------------------------------------------------------------
# Letters in bulk, for charities (issues 5 and 17)


@main.command()
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
@_register_option
@_language_option
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
                              None if dry_run else _register_path(register_path, settings),
                              dry_run, language=language)
    result = _run_bulk(request)
    _echo_bulk(result)
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


def _echo_bulk(report: Any) -> None:
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


@main.command("bulk-template")
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


# --------------------------------------------------------------------------------------------
# swletter new: the guided interview in a terminal. The questions and every check live in
# letters/interview.py; this only shows them and reads the answers.


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
    data = load_answers(from_case) if from_case else {}
    interview = Interview(data, base_dir=str(target.parent), today=dt.date.today(),
                          tone_check=default_tone_check(),
                          language=language or interview_language(data))
    _converse(interview, target, editing)


class _ClickTerminal:
    """The terminal for ``letters.interview.conversation``: click's prompts and colours."""

    _STYLES: ClassVar[dict[str, dict[str, Any]]] = {
        "heading": {"bold": True}, "item": {"bold": True}, "question": {"bold": True},
        "dim": {"dim": True}, "warning": {"fg": "yellow"}, "error": {"fg": "red"}}

    def __init__(self) -> None:
        self.width = _width()
        self.tty = sys.stdin.isatty()
        if self.tty:
            import contextlib

            with contextlib.suppress(ImportError):
                import readline  # noqa: F401  (arrow keys and editing in input())

    def show(self, text: str, style: str = "") -> None:
        click.secho(text, **self._STYLES.get(style, {}))

    def ask(self, prompt: str, default: str = "", *, show_default: bool = False,
            choices: Sequence[str] = (), prefill: str = "") -> str:
        from letters.interview.conversation import Stopped

        kind = click.Choice(list(choices)) if choices else None
        try:
            with self._prefilled(prefill):
                return str(click.prompt(prompt, default=default, show_default=show_default,
                                        prompt_suffix=" ", type=kind, show_choices=False))
        except (click.Abort, KeyboardInterrupt, EOFError):
            raise Stopped from None

    @contextlib.contextmanager
    def _prefilled(self, text: str) -> Iterator[None]:
        """The answer to edit typed in already, where the terminal can (readline)."""
        try:
            import readline
        except ImportError:
            readline = None  # type: ignore[assignment]
        if not (text and self.tty and readline is not None):
            yield
            return
        readline.set_startup_hook(lambda: readline.insert_text(text))
        try:
            yield
        finally:
            readline.set_startup_hook()


def _converse(interview: Any, target: Path, overwrite: bool) -> None:
    """``swletter new``'s conversation, then the letter when the person wants it now."""
    from letters.interview.conversation import Conversation

    talk = Conversation(interview, target, _ClickTerminal(), overwrite=overwrite)
    if not talk.run():
        said, _ = talk.stopped_message()
        click.echo("\n")  # end the unanswered prompt's line, then leave a blank line
        click.echo(said)
        raise click.exceptions.Exit(1)
    _offer_letter(talk)


def _offer_letter(talk: Any) -> None:
    from letters import api
    from letters.dates import long_date
    from letters.errors import CaseError, OutputError

    path, say = talk.target, talk.say
    click.echo("")
    try:
        case = api.read_case(path)
    except CaseError as err:
        talk.save(finished=False)
        click.echo(say("saved_unfinished", path=path), err=True)
        raise click.ClickException(f"{err}\n{say('run_again', path=path)}") from err
    click.echo(say("saved", path=path))
    if not talk.ask_yes_no(say("write_now")):
        click.echo(say("when_ready", path=path))
        return
    rendered = api.render_request(case)
    try:
        letter = api.write_document(rendered, "docx", path.parent / rendered.file_name("docx"),
                                    protect=(path,))
    except OutputError as err:
        raise click.ClickException(f"{err}\n{say('replace_hint', path=path)}") from err
    click.echo(say("wrote", path=letter, reply_by=long_date(rendered.document.reply_by)))
    click.echo(_wrap(say("read_it"), ""))
    if case.supporting_statements:
        click.echo(say("statement_next", author=case.supporting_statements[0].author, path=path))


def _wrap(text: str, indent: str = "  ") -> str:
    """``text`` wrapped to the terminal, continuation lines indented a little further."""
    return click.wrap_text(text, width=_width(), initial_indent=indent,
                           subsequent_indent=indent + "  " if indent else "")


def _width() -> int:
    import shutil

    return max(40, min(88, shutil.get_terminal_size((88, 24)).columns - 2))


# --------------------------------------------------------------------------------------------
# swletter serve: the same questions as a web form, in a browser (letters/web).


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="The address to listen on. Only this computer can reach 127.0.0.1.")
@click.option("--port", type=click.IntRange(0, 65535), default=0,
              help="The port to listen on. Default: a free one.")
@click.option("--no-browser", is_flag=True, help="Print the address without opening it.")
@customisation_options
def serve(host: str, port: int, no_browser: bool, settings: Any) -> None:
    """Answer the questions in your web browser instead: the same letter, and the form keeps
    nothing (save your answers to your own device to carry on later). Stop with Ctrl-C.
    """
    import webbrowser

    from letters.web.serve import serve as run

    def ready(url: str) -> None:
        click.echo(f"swletter's web form is at {url}\nStop it with Ctrl-C.")
        if not no_browser:
            webbrowser.open(url)

    try:
        run(settings, host=host, port=port, ready=ready)
    except KeyboardInterrupt:
        pass
    except OSError as err:  # the port is taken, or the address is not this computer's
        raise click.ClickException(f"could not listen on {host} port {port} "
                                   f"({err.strerror or err}). Choose another --port, or "
                                   "leave it out for a free one.") from err


# --------------------------------------------------------------------------------------------
# swletter statement: a draft supporting statement for a child advocate to finish and sign.


@main.command()
@click.argument("case", type=click.Path(dir_okay=False, path_type=str))
@click.option("--by", "by", metavar="NAME",
              help="The author of the statement to draft, as named under "
                   "supporting_statements. Default: the first.")
@_format_option
@click.option("-o", "--output", metavar="OUT",
              help="Where to write the statement; '-' writes it to the screen. Default: next "
                   "to the case file, named after the author.")
@click.option("--force", is_flag=True, help="Replace the output file if it already exists.")
@_language_option
@customisation_options
def statement(case: str, by: str | None, fmt: str | None, output: str | None,
              force: bool, language: str | None, settings: Any) -> None:
    """Draft the supporting statement for an advocate named in the case file CASE.

    It is written in the author's own voice. Parts the author has not given yet (how they know
    the child, what the child has said, why a change would help the child, whether the child
    agreed to it being shared) are marked as prompts in [square brackets] for them to complete
    before signing.
    """
    from letters import api
    from letters.compose.statement import StatementChoiceError
    from letters.output import write_atomic

    chosen = _choose_format(fmt, output, settings.format)
    loaded = api.read_case(case, settings=settings)
    try:
        draft = api.draft_statement_for(loaded, by, settings=settings, language=language)
    except StatementChoiceError as err:
        raise click.BadParameter(str(err), param_hint="--by") from err
    if output == "-":
        click.echo(draft.to_bytes(chosen).decode("utf-8"), nl=False)
        return
    target = Path(output) if output else Path(loaded.base_dir or ".") / draft.file_name(chosen)
    data = draft.to_bytes(chosen, reference_docx=settings.reference_docx,
                          author_in_metadata=settings.author_in_metadata)
    path = write_atomic(target, data, force=force, protect=(case,))
    click.echo(f"Wrote {path}: a draft statement for {draft.document.statement.author} to "
               "complete and sign.")
    if draft.document.missing:
        click.echo("Still to complete (marked in [square brackets]): "
                   + "; ".join(m.what for m in draft.document.missing) + ".")
    _print_warnings(draft.warnings)


# --------------------------------------------------------------------------------------------
# Beyond the manager (issue 19): the next-steps sheet for the parent, the Easy Read sheet for the
# child, an anonymised copy to share, and one evidence bundle. Each body reads the case, makes one
# `letters.api` call and writes the result next to the case file unless -o says where.


def _output_option(what: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    return click.option("-o", "--output", metavar="OUT",
                        help=f"Where to write {what}; '-' writes it to the screen (md or html). "
                             "Default: next to the case file.")


def _write_beside(rendered: Any, fmt: str, case: str, output: str | None, force: bool,
                  settings: Any) -> Path | None:
    """Write ``rendered`` to -o, or next to the case file under its own name; with -o - print
    it instead (and return None)."""
    from letters import api

    if output == "-":
        click.echo(api.document_bytes(rendered, fmt, settings=settings).decode("utf-8"),
                   nl=False)
        return None
    target = output or Path(case).parent / rendered.file_name(fmt)
    return api.write_document(rendered, fmt, target, settings=settings, force=force,
                              protect=(case,))


@main.command("next-steps")
@click.argument("case", type=click.Path(dir_okay=False, path_type=str))
@_output_option("the sheet")
@_format_option
@click.option("--ics", "ics_file", metavar="FILE", type=click.Path(dir_okay=False, path_type=str),
              help="Where to write the calendar file of the dates. Default: beside the sheet, "
                   "with the same name ending .ics.")
@click.option("--no-ics", is_flag=True, help="Write no calendar file.")
@click.option("--without-names", is_flag=True,
              help="Leave the children's names out of the calendar (for shared calendars).")
@click.option("--force", is_flag=True, help="Replace the output files if they already exist.")
@_language_option
@customisation_options
def next_steps(case: str, output: str | None, fmt: str | None, ics_file: str | None,
               no_ics: bool, without_names: bool, force: bool, language: str | None,
               settings: Any) -> None:
    """Write "what happens next" for the parent: the reply-by date, when to send a reminder,
    and each complaints stage's dates for the case's part of the UK, with a calendar file."""
    from letters import api
    from letters.output import write_atomic

    chosen = _choose_format(fmt, output, settings.format)
    rendered = api.render_next_steps(api.read_case(case, settings=settings), settings=settings,
                                     language=language)
    path = _write_beside(rendered, chosen, case, output, force, settings)
    if path is not None:
        click.echo(f"Wrote {path}.")
    if not no_ics and (ics_file or path is not None):
        ics = Path(ics_file) if ics_file else Path(str(path)).with_suffix(".ics")
        written = write_atomic(ics, api.next_steps_calendar(rendered,
                                                            with_names=not without_names),
                               force=force, protect=(case,))
        click.echo(f"Wrote {written}: the dates, for your calendar.", err=path is None)


@main.command()
@click.argument("case", type=click.Path(dir_okay=False, path_type=str))
@_output_option("the anonymised copy")
@_format_option
@click.option("--force", is_flag=True, help="Replace the output file if it already exists.")
@_language_option
@customisation_options
def redact(case: str, output: str | None, fmt: str | None, force: bool, language: str | None,
           settings: Any) -> None:
    """Write an anonymised copy of the letter, to share with a charity or a forum.

    People are named by their role ("Child A", "the social worker"), addresses, phone numbers,
    emails and references are removed and dates shortened to month and year. Words it could
    not be sure about are listed: check them before you share the copy.
    """
    _redact(case, output, _choose_format(fmt, output, settings.format), force, settings,
            language)


def _redact(case: str, output: str | None, fmt: str, force: bool, settings: Any,
            language: str | None = None) -> None:
    from letters import api

    rendered = api.render_redacted(api.read_case(case, settings=settings), settings=settings,
                                   language=language)
    path = _write_beside(rendered, fmt, case, output, force, settings)
    if path is not None:
        click.echo(f"Wrote {path}: an anonymised copy of the letter.")
    for problem in rendered.warnings:
        click.echo(f"Check: {problem.describe(with_file=False)}", err=True)
    click.echo("Details that identify someone only together with others (events, ages, "
               "places) may remain: read the copy through before you share it.", err=True)


@main.command()
@click.argument("case", type=click.Path(dir_okay=False, path_type=str))
@click.option("--child", metavar="NAME",
              help="Only this child's sheet (a name as under children, or a first name).")
@_output_option("the sheet (with one child, or with --child)")
@_format_option
@click.option("--force", is_flag=True, help="Replace the output files if they already exist.")
@_language_option
@customisation_options
def easyread(case: str, child: str | None, output: str | None, fmt: str | None, force: bool,
             language: str | None, settings: Any) -> None:
    """Write an Easy Read sheet for each child in CASE, written to the child: what the family
    has asked for and why, what happens next, and who the child can talk to."""
    from letters import api

    chosen = _choose_format(fmt, output, settings.format)
    sheets = api.render_easyread(api.read_case(case, settings=settings), settings=settings,
                                 child=child, language=language)
    if output and len(sheets) > 1:
        raise click.BadParameter(f"the case has {len(sheets)} children, and each has a sheet of "
                                 "their own: choose one with --child, or leave -o out to "
                                 "write them all next to the case file.", param_hint="--output")
    for sheet in sheets:
        path = _write_beside(sheet, chosen, case, output, force, settings)
        if path is not None:
            click.echo(f"Wrote {path}: an Easy Read sheet for {sheet.who.split()[0]}.")


@main.command()
@click.argument("case", type=click.Path(dir_okay=False, path_type=str))
@click.option("-o", "--output", metavar="FILE.pdf",
              type=click.Path(dir_okay=False, path_type=str),
              help="Where to write the bundle. Default: next to the case file, named after the "
                   "first child and the date.")
@click.option("--force", is_flag=True, help="Replace the output file if it already exists.")
@_language_option
@customisation_options
def bundle(case: str, output: str | None, force: bool, language: str | None,
           settings: Any) -> None:
    """Write one PDF to email or post: the letter, an index, then every enclosure whose file
    the case names (PDF, photos, text, emails, .docx with LibreOffice), each page stamped
    "Enclosure N — page i of k". Enclosures that cannot be included are listed in the index
    as provided separately, with the reason."""
    from letters import api
    from letters.output import check_target, write_atomic

    if output:
        check_target(output, force=force, protect=(case,))
    made = api.render_bundle(api.read_case(case, settings=settings), settings=settings,
                             language=language)
    target = output or Path(case).parent / made.file_name
    path = write_atomic(target, made.pdf, force=force, protect=(case,))
    click.echo(f"Wrote {path}: {_plural(made.pages, 'page')}, "
               f"{_plural(len(made.parts) - len(made.separately), 'enclosure')} included.")
    for part in made.separately:
        click.echo(f"Enclosure {part.number} is provided separately: {part.reason}.", err=True)
