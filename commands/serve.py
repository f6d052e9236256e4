"""`swletter serve`: the same questions as a web form, in a browser (letters/web)."""

from __future__ import annotations

import functools
from typing import Any

import click

from .options import customisation_options


@click.command()
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
    from letters.web.serve import serve as run

    try:
        run(settings, host=host, port=port, ready=functools.partial(_ready, no_browser))
    except KeyboardInterrupt:
        pass
    except OSError as err:  # the port is taken, or the address is not this computer's
        raise click.ClickException(f"could not listen on {host} port {port} "
                                   f"({err.strerror or err}). Choose another --port, or "
                                   "leave it out for a free one.") from err


def _ready(no_browser: bool, url: str) -> None:
    """Say where the form is, and open it in the browser unless --no-browser."""
    import webbrowser

    click.echo(f"swletter's web form is at {url}\nStop it with Ctrl-C.")
    if not no_browser:
        webbrowser.open(url)
