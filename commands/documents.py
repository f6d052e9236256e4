"""The documents beside the letter: the advocate's supporting statement (`swletter
statement`) and, beyond the manager (issue 19), the next-steps sheet for the parent, the Easy
Read sheet for the child, an anonymised copy to share, and one evidence bundle. Each body reads
the case, makes one `letters.api` call and writes the result next to the case file unless -o
says where."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from .messages import plural, print_warnings
from .options import choose_format, customisation_options, format_option, language_option


@click.command()
@click.argument("case", type=click.Path(dir_okay=False, path_type=str))
@click.option("--by", "by", metavar="NAME",
              help="The author of the statement to draft, as named under "
                   "supporting_statements. Default: the first.")
@format_option
@click.option("-o", "--output", metavar="OUT",
              help="Where to write the statement; '-' writes it to the screen. Default: next "
                   "to the case file, named after the author.")
@click.option("--force", is_flag=True, help="Replace the output file if it already exists.")
@language_option
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

    chosen = choose_format(fmt, output, settings.format)
    loaded = api.read_case(case, settings=settings)
    try:
        draft = api.draft_statement_for(loaded, by, settings=settings, language=language)
    except StatementChoiceError as err:
        raise click.BadParameter(str(err), param_hint="--by") from err
    path = _write_beside(draft, chosen, case, output, force, settings)
    if path is not None:
        _echo_statement(path, draft)


def _echo_statement(path: Path, draft: Any) -> None:
    """What `statement` wrote, and the parts its author still has to complete."""
    click.echo(f"Wrote {path}: a draft statement for {draft.document.statement.author} to "
               "complete and sign.")
    if draft.document.missing:
        click.echo("Still to complete (marked in [square brackets]): "
                   + "; ".join(m.what for m in draft.document.missing) + ".")
    print_warnings(draft.warnings)


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


@click.command("next-steps")
@click.argument("case", type=click.Path(dir_okay=False, path_type=str))
@_output_option("the sheet")
@format_option
@click.option("--ics", "ics_file", metavar="FILE", type=click.Path(dir_okay=False, path_type=str),
              help="Where to write the calendar file of the dates. Default: beside the sheet, "
                   "with the same name ending .ics.")
@click.option("--no-ics", is_flag=True, help="Write no calendar file.")
@click.option("--without-names", is_flag=True,
              help="Leave the children's names out of the calendar (for shared calendars).")
@click.option("--force", is_flag=True, help="Replace the output files if they already exist.")
@language_option
@customisation_options
def next_steps(case: str, output: str | None, fmt: str | None, ics_file: str | None,
               no_ics: bool, without_names: bool, force: bool, language: str | None,
               settings: Any) -> None:
    """Write "what happens next" for the parent: the reply-by date, when to send a reminder,
    and each complaints stage's dates for the case's part of the UK, with a calendar file."""
    from letters import api
    from letters.output import write_atomic

    chosen = choose_format(fmt, output, settings.format)
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


@click.command()
@click.argument("case", type=click.Path(dir_okay=False, path_type=str))
@_output_option("the anonymised copy")
@format_option
@click.option("--force", is_flag=True, help="Replace the output file if it already exists.")
@language_option
@customisation_options
def redact(case: str, output: str | None, fmt: str | None, force: bool, language: str | None,
           settings: Any) -> None:
    """Write an anonymised copy of the letter, to share with a charity or a forum.

    People are named by their role ("Child A", "the social worker"), addresses, phone numbers,
    emails and references are removed and dates shortened to month and year. Words it could
    not be sure about are listed: check them before you share the copy.
    """
    write_redacted(case, output, choose_format(fmt, output, settings.format), force, settings,
            language)


def write_redacted(case: str, output: str | None, fmt: str, force: bool, settings: Any,
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


@click.command()
@click.argument("case", type=click.Path(dir_okay=False, path_type=str))
@click.option("--child", metavar="NAME",
              help="Only this child's sheet (a name as under children, or a first name).")
@_output_option("the sheet (with one child, or with --child)")
@format_option
@click.option("--force", is_flag=True, help="Replace the output files if they already exist.")
@language_option
@customisation_options
def easyread(case: str, child: str | None, output: str | None, fmt: str | None, force: bool,
             language: str | None, settings: Any) -> None:
    """Write an Easy Read sheet for each child in CASE, written to the child: what the family
    has asked for and why, what happens next, and who the child can talk to."""
    from letters import api

    chosen = choose_format(fmt, output, settings.format)
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


@click.command()
@click.argument("case", type=click.Path(dir_okay=False, path_type=str))
@click.option("-o", "--output", metavar="FILE.pdf",
              type=click.Path(dir_okay=False, path_type=str),
              help="Where to write the bundle. Default: next to the case file, named after the "
                   "first child and the date.")
@click.option("--force", is_flag=True, help="Replace the output file if it already exists.")
@language_option
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
    click.echo(f"Wrote {path}: {plural(made.pages, 'page')}, "
               f"{plural(len(made.parts) - len(made.separately), 'enclosure')} included.")
    for part in made.separately:
        click.echo(f"Enclosure {part.number} is provided separately: {part.reason}.", err=True)
