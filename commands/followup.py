"""`swletter followup`: a reminder, a request for the reasons, or a complaint (issue 8)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from .messages import plural, print_warnings
from .options import (
    DATE,
    choose_format,
    customisation_options,
    format_option,
    language_option,
    register_file,
    register_option,
    require_register,
)
from .register import echo_recorded


@click.command()
@click.argument("case", required=False, type=click.Path(dir_okay=False, path_type=str))
@click.option("--kind", required=True, type=click.Choice(("chaser", "reasons", "complaint")),
              help="chaser: no reply by the reply-by date. reasons: refused without reasons. "
                   "complaint: a complaint under your nation's complaints procedure.")
@register_option
@click.option("--overdue", is_flag=True,
              help="Instead of CASE: a follow-up (chaser or complaint) for every overdue request "
                   "in the register, from the case it kept, written into --out DIR.")
@click.option("--out", "out_dir", metavar="DIR", type=click.Path(file_okay=False, path_type=str),
              help="With --overdue: the folder for the follow-ups (created if needed).")
@click.option("--first-letter-date", type=DATE, metavar="DATE",
              help="The date of your first letter (2026-11-23), when it is not in the register. "
                   "Default: the case file's date.")
@click.option("--date", "letter_date", type=DATE, metavar="DATE",
              help="The date of this letter (2026-12-10). Default: today.")
@click.option("-o", "--output", metavar="OUT",
              help="Where to write the letter. Default: next to the case file, named after the "
                   "kind, the first child and the date.")
@format_option
@click.option("--force", is_flag=True, help="Replace the output file if it already exists.")
@language_option
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
        return _followups_for_overdue(kind, require_register(register_path, settings),
                                      out_dir or "", letter_date, fmt, force, settings)
    if output == "-":
        raise click.BadParameter("a follow-up is written to a file so that it can be recorded; "
                                 "give a file name.", param_hint="--output")
    register = register_file(register_path, settings)
    written = api.write_followup(
        api.read_case(case, settings=settings), kind, output=output, folder=Path(case).parent,
        fmt=choose_format(fmt, output, settings.format), register=register, force=force,
        first_letter_date=first_letter_date, today=letter_date, settings=settings,
        protect=(case,), language=language)
    _echo_followup(written, register)


def _echo_followup(written: Any, register: str | None) -> None:
    from letters.dates import long_date

    letter = written.rendered.document
    click.echo(f"Wrote {written.path} (reply by {long_date(letter.reply_by)}), citing your letter "
               f"of {long_date(letter.first.date)} (from {written.first_source}).")
    if register and written.letter_id is not None:
        echo_recorded(register, written.letter_id, written.newly_recorded)
    print_warnings(written.rendered.warnings)


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
    overdue = plural(len(written), "overdue request")
    click.echo(f"{plural(done, 'follow-up')} written for {overdue} in the register {register}."
               if written else f"No request in the register {register} is overdue.")
    if done < len(written):
        sys.exit(1)
