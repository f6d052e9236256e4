"""``swletter serve``: the web form on this computer, served by waitress.

waitress is the production server too (``waitress-serve --call letters.web:create_app``): one
process answering with threads, never forking, so Typst's threads (see letters/bulk/run.py) are
never copied into a child. The address is only announced: the caller prints it and opens the
browser.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from letters.config import Settings

#: Threads answering requests at once; a PDF takes Typst's lock in turn (tens of milliseconds).
THREADS = 8


def quiet_logging() -> None:
    """waitress's log says when it starts and what kind of failure happened; nothing that
    names a person (it has no access log, and Flask's own record is replaced, see app.py)."""
    logging.getLogger("waitress").setLevel(logging.WARNING)
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)


def make_server(settings: Settings | None, host: str = "127.0.0.1", port: int = 0,
                threads: int = THREADS) -> Any:
    """A waitress server for the web form on ``host``:``port`` (0: a free port), not yet
    running; its ``effective_port`` is the port it has, and ``run()`` serves until stopped."""
    from waitress import create_server

    from letters.web.app import create_app

    quiet_logging()
    return create_server(create_app(settings), host=host, port=port, threads=threads,
                         ident="swletter", clear_untrusted_proxy_headers=True)


def serve(settings: Settings | None, *, host: str = "127.0.0.1", port: int = 0,
          ready: Callable[[str], None] | None = None) -> None:
    """Serve the web form until stopped (Ctrl-C); ``ready`` is told its address first."""
    server = make_server(settings, host, port)
    shown = f"[{host}]" if ":" in host else host
    if ready is not None:
        ready(f"http://{shown}:{server.effective_port}/")
    try:
        server.run()
    finally:
        server.close()
