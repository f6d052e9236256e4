"""What several commands print the same way: warnings, findings, counts, JSON."""

from __future__ import annotations

from typing import Any

import click


def print_warnings(warnings: Any) -> None:
    for warning in warnings:
        click.echo(f"Warning: {warning.describe(with_file=False)}", err=True)


def plural(count: int, noun: str) -> str:
    from letters.advice.report import plural as plural_of

    return plural_of(count, noun)


def echo_findings(findings: Any, *, err: bool = False, summary: bool = True) -> None:
    """Findings grouped by field, each with its suggestion; then (``summary``) the counts."""
    from letters.advice.report import findings_text

    text = findings_text(findings, summary=summary)
    if text:
        click.echo(text, err=err)


def refuse_with_findings(findings: Any) -> None:
    """For --strict: show the warnings and stop before anything is written."""
    warnings = [f for f in findings if f.is_fault]
    if warnings:
        echo_findings(findings, err=True)
        raise click.ClickException(
            f"--strict: nothing written; {plural(len(warnings), 'warning')} to resolve first "
            "(see above, or run swletter check)."
        )


def echo_json(data: Any) -> None:
    import json

    click.echo(json.dumps(data, indent=2, ensure_ascii=False))
