"""swletter's commands beyond the core ones in cli.py, one module per topic.

Each module defines its click commands without a group; ``add_commands`` puts them on cli.py's
``main`` group, whose error boundary covers them all. Installed as ``swletter.commands`` beside
``swletter.cli``; nothing here imports cli.py (which is ``cli`` in the source tree and
``swletter.cli`` once installed), and nothing in ``letters/`` imports this.
"""

from __future__ import annotations

import click

from . import bulk, documents, followup, register, serve, templates


def add_commands(group: click.Group) -> None:
    """Put every command of this package on ``group`` (swletter's ``main``)."""
    for command in (templates.templates, followup.followup, register.register, bulk.bulk,
                    bulk.bulk_template, serve.serve, documents.statement, documents.next_steps,
                    documents.redact, documents.easyread, documents.bundle):
        group.add_command(command)
