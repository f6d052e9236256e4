"""`swletter new` in a terminal: the guided interview's questions shown and answered with
click. The questions and every check live in letters/interview/; this only shows them and reads
the answers."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, ClassVar

import click


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


def converse(interview: Any, target: Path, overwrite: bool) -> None:
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
