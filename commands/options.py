"""The options several commands share, and how their values are read: --format (and the
format an -o name implies), the settings options (swletter.toml, --reference-docx,
--templates), --language, --register and date options."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

FORMATS = ("docx", "md", "html", "pdf")
_EXTENSIONS = {".docx": "docx", ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html",
               ".pdf": "pdf"}


def choose_format(fmt: str | None, output: str | None, default: str | None = None) -> str:
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
#     @click.command()
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
format_option = click.option(
    "--format", "fmt", type=click.Choice(FORMATS),
    help="docx (default), md, html or pdf (a pdf on a --reference-docx letterhead needs "
         "LibreOffice). Taken from the -o file name when left out.",
)

#: The languages a document can be written in (letters.compose.language.CHOICES; a test checks
#: they agree): imported lazily, so the list is repeated here.
LANGUAGES = ("en", "cy", "cy+en")

#: ``--language`` on every command that writes or checks a document. What wins: this option,
#: then the case file's ``language``, then swletter.toml's, then English.
language_option = click.option(
    "--language", type=click.Choice(LANGUAGES), metavar="en|cy|cy+en",
    help="Write in English (en), Welsh (cy), or Welsh then English in one document (cy+en). "
         "Default: the case file's language, else swletter.toml's, else English.",
)

#: ``--register FILE`` on every command that writes or reads the register of letters.
register_option = click.option(
    "--register", "register_path", metavar="FILE", envvar="SWLETTER_REGISTER",
    type=click.Path(dir_okay=False, path_type=str),
    help="The register of letters sent (an SQLite file, made on first use). Also "
         "$SWLETTER_REGISTER, or `register` in swletter.toml.",
)


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


DATE = _DateOption()


def register_file(option: str | None, settings: Any = None) -> str | None:
    """The register to use: --register (or $SWLETTER_REGISTER), else swletter.toml's
    ``register`` (from ``settings``, or read from the working folder when not given)."""
    if option:
        return option
    if settings is None:
        from letters.config import load_settings

        settings = load_settings()
    return str(settings.register) if settings.register else None


def require_register(option: str | None, settings: Any) -> str:
    path = register_file(option, settings)
    if not path:
        raise click.UsageError(
            "no register given. Use --register FILE, set SWLETTER_REGISTER=FILE, or add "
            'register = "letters.sqlite" to swletter.toml.'
        )
    return path
