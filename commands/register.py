"""`swletter register …`: the register of letters sent (issue 8), and recording a request in it
as the letter is written."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

import click

from .messages import plural
from .options import DATE, config_option, register_option, require_register


@contextlib.contextmanager
def register_to_write(path: str | None) -> Any:
    """The register at ``path`` opened to write (None without one), closed afterwards."""
    if not path:
        yield None
        return
    from letters.register.store import open_register

    with open_register(path) as reg:
        yield reg


def write_request(rendered: Any, fmt: str, target: str | Path, register_at: str | None, *,
                  settings: Any, force: bool, protect: tuple[str, ...]) -> None:
    """Write the request letter and say so; with a register, record it there. The register is
    opened (and so checked to be writable) before the letter is written."""
    from letters import api
    from letters.dates import long_date

    with register_to_write(register_at) as reg:
        path = api.write_document(rendered, fmt, target, settings=settings, force=force,
                                  protect=protect)
        click.echo(f"Wrote {path} (reply by {long_date(rendered.document.reply_by)}).")
        if reg is not None:
            record_request(reg, rendered.document, path)


def record_request(register: Any, letter: Any, path: Path) -> None:
    """Record a request letter just written in the (open) register."""
    from letters.register.store import entry_for_case

    entry, created = register.record_letter(entry_for_case(
        letter.case, kind="request", letter_date=letter.date, reply_by=letter.reply_by,
        output_path=path))
    echo_recorded(str(register.path), entry.id, created)


def echo_recorded(register: str, letter_id: int, created: bool) -> None:
    if created:
        click.echo(f"Recorded as letter {letter_id} in the register {register}.")
    else:
        click.echo(f"Already in the register {register} as letter {letter_id}.")


@click.group()
def register() -> None:
    """The register of letters sent: list requests and their status, record replies, mark a
    letter void, export it for reports, and put reply-by dates in your calendar."""


_AS_OF = click.option("--as-of", "as_of", type=DATE, metavar="DATE",
                      help="Work out statuses as they stand on DATE (2026-12-10). "
                           "Default: today.")
_CASEWORKER = click.option("--caseworker", metavar="NAME",
                           help="Only the requests of this caseworker (the caseworker column "
                                "of a bulk spreadsheet).")


@register.command("list")
@register_option
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

    rows = status_rows(api.list_requests(require_register(register_path, settings),
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
@click.option("--date", "reply_date", type=DATE, required=True, metavar="DATE",
              help="The date of the reply (2026-12-03).")
@click.option("--outcome", required=True, type=click.Choice(("granted", "refused", "partial")),
              help="What the reply said.")
@click.option("--reasons", type=click.Choice(("given", "not-given")),
              help="Whether a refusal gave its reasons in writing.")
@click.option("--note", metavar="TEXT", help="A short note to keep with the reply.")
@register_option
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
    reply = api.record_reply(require_register(register_path, settings), letter_id,
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
@register_option
@_AS_OF
@config_option
def register_void(letter_id: int, reason: str, register_path: str | None, as_of: Any,
                  settings: Any) -> None:
    """Mark letter ID void: written by mistake, or never sent. It stays in the register (nothing
    is ever deleted) but every list, export and status leaves it out."""
    from letters import api

    if not reason.strip():
        raise click.BadParameter("say why the letter is void.", param_hint="--reason")
    letter, status = api.void_letter(require_register(register_path, settings), letter_id,
                                     reason, as_of=as_of)
    click.echo(f"Letter {letter.id} ({letter.kind} of {letter.letter_date.isoformat()}) is now "
               "void: it is kept in the register, and left out of every list.")
    if status is not None:
        click.echo(f"Request {status.request.id} now stands at: {status.status} (latest letter: "
                   f"{status.latest.kind} {status.latest.id}).")


@register.command("export")
@click.argument("file", type=click.Path(dir_okay=False, path_type=str))
@register_option
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
    path, count = api.export_register(file, require_register(register_path, settings),
                                      as_of=as_of, overdue=overdue, caseworker=caseworker,
                                      force=force)
    click.echo(f"Wrote {path} ({plural(count, 'request')}).")


@register.command("ics")
@click.argument("file", type=click.Path(dir_okay=False, path_type=str))
@register_option
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

    path, count = api.register_calendar(file, require_register(register_path, settings),
                                        as_of=as_of, with_names=not without_names,
                                        caseworker=caseworker, force=force)
    click.echo(f"Wrote {path} ({plural(count, 'reply-by date')}).")
