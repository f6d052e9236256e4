"""`swletter templates export|check`: house wording, templates a charity edits (issue 6)."""

from __future__ import annotations

from pathlib import Path

import click


@click.group()
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
