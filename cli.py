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
@_language_option
@config_option
def check(case: str, strict: bool, fmt: str, language: str | None, settings: Any) -> None:
    """Check the case file CASE without writing a letter.

    Reports every problem at once, then advice on tone, readability and evidence, grouped by
    field, each with a suggestion. Exits 0 when the case is valid (advice does not stop a
    letter), 1 when it is not, or with --strict when there is any warning. Notes (a child's own
    words, quoted words, plain-English hints) never count as warnings.
    """
    from letters import api
    from letters.errors import CaseError

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

class _DateOption(click.DateTime):
    """A date option, YYYY-MM-DD, in the years a letter's dates may fall in."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        from letters.dates import FIRST_YEAR, LAST_YEAR

        day = super().convert(value, param, ctx)
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            self.fail(f"{day:%Y-%m-%d} is not in a year a letter can use: give a date from "
                      f"{FIRST_YEAR} to {LAST_YEAR}.", param, ctx)
        return day


_DATE = _DateOption(formats=["%Y-%m-%d"])


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


def _as_date(value: Any) -> Any:
    """click.DateTime gives a datetime; the engine wants the date."""
    return value.date() if value is not None else None


@main.command()
@click.argument("case", type=click.Path(dir_okay=False, path_type=str))
@click.option("--kind", required=True, type=click.Choice(("chaser", "reasons", "complaint")),
              help="chaser: no reply by the reply-by date. reasons: refused without reasons. "
                   "complaint: a complaint under your nation's complaints procedure.")
@_register_option
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
def followup(case: str, kind: str, register_path: str | None, first_letter_date: Any,
             letter_date: Any, output: str | None, fmt: str | None, force: bool,
             language: str | None, settings: Any) -> None:
    """Write the next letter for the case file CASE: a reminder, a request for the reasons,
    or a complaint.

    It cites your first letter by its date and case reference: from the register when the
    letter is there, otherwise from --first-letter-date or the case file's date. It is in the
    language of your first letter when the register has it and neither --language nor the case
    file says otherwise.
    """
    from letters.compose.followup import write_followup
    from letters.dates import long_date

    if output == "-":
        raise click.BadParameter("a follow-up is written to a file so that it can be recorded; "
                                 "give a file name.", param_hint="--output")
    register = _register_path(register_path, settings)
    written = write_followup(
        case, kind, fmt=_choose_format(fmt, output, settings.format), output=output,
        force=force, register_path=register, first_letter_date=_as_date(first_letter_date),
        today=_as_date(letter_date), settings=settings, language=language,
    )
    followup_letter = written.rendered.document
    click.echo(f"Wrote {written.path} (reply by {long_date(followup_letter.reply_by)}), citing "
               f"your letter of {long_date(followup_letter.first.date)} "
               f"(from {written.first_source}).")
    if register and written.registered is not None:
        _echo_recorded(register, written.registered.id, written.newly_recorded)
    _print_warnings(written.rendered.warnings)


@main.group(cls=_Group)
def register() -> None:
    """The register of letters sent: list requests and their status, record replies, export
    it for reports, and put reply-by dates in your calendar."""


_AS_OF = click.option("--as-of", "as_of", type=_DATE, metavar="DATE",
                      help="Work out statuses as they stand on DATE (2026-12-10). "
                           "Default: today.")


def _statuses(register_path: str | None, settings: Any, as_of: Any,
              overdue: bool) -> list[Any]:
    import datetime as dt

    from letters.register.store import open_register

    today = _as_date(as_of) or dt.date.today()
    with open_register(_require_register(register_path, settings), read_only=True) as reg:
        statuses = reg.statuses(today)
    return [s for s in statuses if s.is_overdue] if overdue else statuses


@register.command("list")
@_register_option
@click.option("--overdue", is_flag=True, help="Only requests whose reply-by date has passed.")
@click.option("--format", "fmt", type=click.Choice(("table", "csv", "json")), default="table",
              show_default=True, help="How to print the list.")
@_AS_OF
@config_option
def register_list(register_path: str | None, overdue: bool, fmt: str, as_of: Any,
                  settings: Any) -> None:
    """List every request with its status: awaiting reply, overdue, granted, partly granted,
    refused, refused without reasons, complaint open or complaint overdue."""
    from letters.register.export import rows_csv, rows_json, rows_table, status_rows

    rows = status_rows(_statuses(register_path, settings, as_of, overdue))
    if fmt == "json":
        click.echo(rows_json(rows), nl=False)
    elif fmt == "csv":
        click.echo(rows_csv(rows).decode("utf-8").removeprefix("\ufeff"), nl=False)
    elif not rows:
        click.echo("No overdue requests." if overdue else "The register has no requests yet.")
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
    from letters.case.model import clean_text
    from letters.register.store import open_register

    if reasons and outcome == "granted":
        raise click.BadParameter("--reasons is for a refusal or a partial outcome.",
                                 param_hint="--reasons")
    with open_register(_require_register(register_path, settings), create=False) as reg:
        reply = reg.record_reply(letter_id, reply_date=_as_date(reply_date), outcome=outcome,
                                 reasons=reasons, note=clean_text(note) if note else None)
    click.echo(f"Recorded the reply to letter {reply.letter_id}: {outcome}"
               + {"given": ", reasons given", "not-given": ", no reasons given"}.get(
                   reasons or "", "") + ".")
    if outcome != "granted" and reasons == "not-given":
        click.echo("Next: swletter followup CASE --kind reasons asks for the reasons in writing.")


@register.command("export")
@click.argument("file", type=click.Path(dir_okay=False, path_type=str))
@_register_option
@click.option("--overdue", is_flag=True, help="Only requests whose reply-by date has passed.")
@_AS_OF
@click.option("--force", is_flag=True, help="Replace FILE if it already exists.")
@config_option
def register_export(file: str, register_path: str | None, overdue: bool, as_of: Any,
                    force: bool, settings: Any) -> None:
    """Write every request and its status to FILE.csv or FILE.xlsx, for reports."""
    from letters.output import write_atomic
    from letters.register.export import rows_csv, rows_xlsx, status_rows

    suffix = Path(file).suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise click.BadParameter(f"{file} should end in .csv or .xlsx.", param_hint="FILE")
    rows = status_rows(_statuses(register_path, settings, as_of, overdue))
    data = rows_csv(rows) if suffix == ".csv" else rows_xlsx(rows)
    path = write_atomic(file, data, force=force)
    click.echo(f"Wrote {path} ({len(rows)} request{'s' if len(rows) != 1 else ''}).")


@register.command("ics")
@click.argument("file", type=click.Path(dir_okay=False, path_type=str))
@_register_option
@click.option("--without-names", is_flag=True,
              help="Leave the children's names out of the calendar (for shared or online "
                   "calendars).")
@_AS_OF
@click.option("--force", is_flag=True, help="Replace FILE if it already exists.")
@config_option
def register_ics(file: str, register_path: str | None, without_names: bool, as_of: Any,
                 force: bool, settings: Any) -> None:
    """Write FILE.ics: a calendar reminder for every reply-by date still open."""
    import datetime as dt

    from letters.output import write_atomic
    from letters.register.export import reminders_ics

    statuses = [s for s in _statuses(register_path, settings, as_of, False) if s.is_open]
    stamp = dt.datetime.now(dt.UTC).replace(microsecond=0)
    path = write_atomic(file, reminders_ics(statuses, stamp=stamp, with_names=not without_names),
                        force=force)
    click.echo(f"Wrote {path} ({len(statuses)} reply-by date{'s' if len(statuses) != 1 else ''}).")


@main.command()
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...",
                type=click.Path(exists=True, path_type=str))
@click.option("--out", "out_dir", required=True, metavar="DIR",
              type=click.Path(file_okay=False, path_type=str),
              help="The folder for the letters (created if needed).")
@click.option("--format", "fmt", type=click.Choice(FORMATS),
              help="The format of each letter: docx (default, or `format` in swletter.toml), "
                   "md, html or pdf (a pdf on a --reference-docx letterhead needs LibreOffice, "
                   "and takes a second or two a letter).")
@click.option("--jobs", type=click.IntRange(min=0), default=1, show_default=True, metavar="N",
              help="How many processes share the work; 0 uses one per CPU core.")
@click.option("--force", is_flag=True,
              help="Replace letters that already exist (by default they are skipped).")
@click.option("--report", metavar="FILE", type=click.Path(dir_okay=False, path_type=str),
              help="Where to write the CSV report of every case. Default: DIR/bulk-report.csv.")
@click.option("--combined", metavar="FILE", type=click.Path(dir_okay=False, path_type=str),
              help="Also write every letter into this one .docx for printing: each letter on "
                   "new pages numbered from 1.")
@click.option("--evidence", "evidence_csv", metavar="FILE",
              type=click.Path(exists=True, dir_okay=False, path_type=str),
              help="The evidence CSV (one row per document, keyed by case_id) for CSV inputs.")
@_register_option
@_language_option
@customisation_options
def bulk(inputs: tuple[str, ...], out_dir: str, fmt: str, jobs: int, force: bool,
         report: str | None, combined: str | None, evidence_csv: str | None,
         register_path: str | None, language: str | None, settings: Any) -> None:
    """Write a letter for every case in INPUT...: case files, folders of case files, CSV files
    or .xlsx workbooks (run `swletter bulk-template` for the columns).

    A bad case never stops the others. Every case gets a row in the report (status, output
    file, problems). Letters that already exist are skipped, so an interrupted run can simply
    be run again. Exits 0 when every case succeeded, 1 when any failed.
    """
    import os
    import signal
    import time

    from letters.bulk import run as engine
    from letters.signals import Interrupted, StopSignals

    fmt = fmt or (settings.format if settings.format in FORMATS else "docx")
    from letters.writers import pdf_needs_libreoffice

    if fmt == "pdf" and pdf_needs_libreoffice(settings.reference_docx):
        from letters.writers.pdf import require_soffice

        require_soffice()  # say how to install LibreOffice once, not once per case
    if combined and Path(combined).suffix.lower() != ".docx":
        raise click.BadParameter(f"the combined file is a .docx; give a name such as "
                                 f"{Path(combined).stem or 'all-letters'}.docx.",
                                 param_hint="--combined")
    if evidence_csv and not any(Path(i).suffix.lower() == ".csv" for i in inputs):
        raise click.BadParameter("--evidence goes with CSV inputs; a workbook has its own "
                                 "evidence sheet.", param_hint="--evidence")
    folder = engine.ensure_out_dir(out_dir)
    report_path = Path(report) if report else folder / "bulk-report.csv"
    given = {Path(i).resolve() for i in inputs}
    for option, path in (("--report", report_path), ("--combined", combined)):
        if path and Path(path).resolve() in given:
            raise click.BadParameter(f"{path} is one of the inputs; choose another file name.",
                                     param_hint=option)
    from letters.output import check_target

    for path in (report_path, combined):
        if path:  # a report or combined file that could never be written: say so before the run
            check_target(path, force=True)
    reserved = [Path(p).name for p in (report_path, combined)
                if p and Path(p).resolve().parent == folder.resolve()]
    started = time.perf_counter()
    if sys.stderr.isatty() and any(Path(i).suffix.lower() in (".csv", ".xlsx", ".xlsm")
                                   for i in inputs):
        click.echo("Reading the spreadsheets…", err=True)  # a large workbook takes a while
    planned = engine.plan_bulk(inputs, fmt=fmt, evidence_csv=evidence_csv, reserved=reserved)
    options = engine.BulkOptions(out_dir=str(folder), fmt=fmt, force=force,
                                 keep_markdown=bool(combined),
                                 template_dirs=settings.template_dirs,
                                 reference_docx=str(settings.reference_docx or "") or None,
                                 case_defaults=settings.case_defaults,
                                 author_in_metadata=settings.author_in_metadata,
                                 language=language, default_language=settings.language)
    recorder = _BulkRecorder(_register_path(register_path), planned, options)
    options = recorder.options
    summary = engine.BulkSummary(total=len(planned))
    progress = _Progress(len(planned))
    stopped, status = "", 0
    # SIGTERM and SIGHUP stop the run as Ctrl-C does: the workers are stopped, and what was
    # done is reported and recorded before swletter exits with the signal's usual status.
    with StopSignals(redeliver=False, interrupt_anywhere=True) as stop:
        try:
            for result in engine.run_jobs(planned, options, workers=jobs or os.cpu_count() or 1):
                summary.add(result)
                recorder.add(result)
                progress.advance()
        except KeyboardInterrupt as err:
            stopped, status = _stopped_by(err.signum if isinstance(err, Interrupted)
                                          else signal.SIGINT)
        except engine.WorkerStoppedError:
            stopped, status = "A worker process stopped unexpectedly (out of memory?).", 1
        finally:
            stop.hold()  # a signal from here on waits until the report is written
            progress.close()
            recorder.close()
        if stopped and stop.received is not None:
            # A signal sent to every process of the run can end a worker before this one.
            stopped, status = _stopped_by(stop.received)
        elapsed = time.perf_counter() - started
        results = engine.with_unfinished(summary.results, planned)
        written_report = engine.write_report(report_path, results, force=force)
        if combined and not stopped:
            letters = [r.markdown for r in summary.results if r.markdown]
            if letters:
                path = engine.write_combined(combined, letters, force=force,
                                             reference_docx=options.reference_docx)
                click.echo(f"Combined {len(letters)} letters into {path}.")
        _bulk_summary(summary, elapsed, folder, written_report)
        recorder.echo_summary()
        if stopped:
            click.echo(f"{stopped} {len(planned) - len(summary.results)} cases were not done; "
                       "run the same command again to write them (letters already written are "
                       "skipped).", err=True)
    if not status and stop.received is not None:
        status = 128 + stop.received  # asked to stop while the report was being written
    if status or summary.failed:
        sys.exit(status or 1)


def _stopped_by(signum: int) -> tuple[str, int]:
    """What to say, and the exit status, when a bulk run is stopped by ``signum``."""
    import signal

    from letters.signals import signal_name

    said = ("The run was interrupted." if signum == signal.SIGINT
            else f"The run was stopped ({signal_name(signum)}).")
    return said, 128 + signum


class _Progress:
    """A progress bar on stderr, shown only on a terminal and only once a run takes a moment."""

    def __init__(self, total: int) -> None:
        import time

        self.total, self.done = total, 0
        self.shown: Any = None
        self.start = time.monotonic()

    def advance(self) -> None:
        import time

        self.done += 1
        if self.shown is not None:
            self.shown.update(1)
        elif (self.done < self.total and time.monotonic() - self.start > 0.5
              and sys.stderr.isatty()):
            self.shown = click.progressbar(length=self.total, label="Writing letters",
                                           file=sys.stderr, show_pos=True, show_eta=True)
            self.shown.__enter__()
            self.shown.update(self.done)

    def close(self) -> None:
        if self.shown is not None:
            self.shown.__exit__(None, None, None)


class _BulkRecorder:
    """Records a bulk run's letters in the register from this (parent) process: the one
    writer, so `--jobs N` records every letter exactly once."""

    def __init__(self, path: str | None, planned: Any, options: Any) -> None:
        import dataclasses

        self.path, self.new, self.register = path, 0, None
        self.options = options
        if path:
            from letters.register.store import open_register

            self.register = open_register(path)
            self.options = dataclasses.replace(options, record=True)
            self.jobs = {job.index: job for job in planned}

    def add(self, result: Any) -> None:
        if self.register is not None:
            from letters.bulk.run import record_result

            self.new += record_result(self.register, result, self.jobs[result.index],
                                      self.options)

    def close(self) -> None:
        if self.register is not None:
            self.register.close()

    def echo_summary(self) -> None:
        if self.path:
            click.echo(f"Register: {self.path} ({self.new} new letter"
                       f"{'s' if self.new != 1 else ''} recorded)")


def _bulk_summary(summary: Any, elapsed: float, folder: Path, report: Path) -> None:
    rate = summary.written / elapsed if elapsed > 0 else 0.0
    cases = "case" if summary.total == 1 else "cases"
    click.echo(f"Done: {summary.written} written, {summary.already_done} already done, "
               f"{summary.failed} failed, of {summary.total} {cases}, in {elapsed:.1f} s "
               f"({rate:.0f} letters per second).")
    click.echo(f"Letters: {folder}")
    click.echo(f"Report: {report}")
    warned = sum(1 for result in summary.results if result.ok and result.warnings)
    if warned:
        click.echo(f"Warnings: {warned} of the letters written {'has' if warned == 1 else 'have'} "
                   "warnings to read in the report before sending.")
    shown = 0
    for result in summary.results:
        if result.ok:
            continue
        shown += 1
        if shown > 20:
            click.echo(f"… and {summary.failed - 20} more failed cases: see the report.", err=True)
            break
        click.echo(f"Failed: {result.label}", err=True)
        for problem in result.problems:
            click.echo(f"  - {problem}", err=True)


@main.command("bulk-template")
@click.argument("file", type=click.Path(dir_okay=False, path_type=str), metavar="FILE")
@click.option("--force", is_flag=True, help="Replace FILE if it already exists.")
def bulk_template(file: str, force: bool) -> None:
    """Write a spreadsheet to fill in for `swletter bulk`: FILE.xlsx (cases and evidence
    sheets) or FILE.csv (plus FILE-evidence.csv), with the column names, a row of notes
    explaining each column, and one filled example row.
    """
    from letters.bulk.sheets import write_template

    if Path(file).suffix.lower() not in (".xlsx", ".csv"):
        raise click.BadParameter("give a name ending .xlsx or .csv, such as cases.xlsx.",
                                 param_hint="FILE")
    written = write_template(file, force=force)
    click.echo(f"Wrote {' and '.join(str(p) for p in written)}. Replace the example row with "
               "one row per case, then run:")
    if len(written) == 2:
        click.echo(f"  swletter bulk {written[0]} --evidence {written[1]} --out letters")
    else:
        click.echo(f"  swletter bulk {written[0]} --out letters")


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

    Parts the author has not given yet (how they know the child, what the child has said, why a
    change is in the child's best interests, whether the child agreed to it being shared) are
    marked as prompts in [square brackets] for them to complete before signing.
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
