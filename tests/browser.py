"""Helpers for tests in a real browser: Debian's chromium, driven by Playwright, against the web
form served by waitress in a thread of the test session.

In CI (``CI=true``) a missing chromium or Playwright is a failure, because CI installs them
(``.ci/run``); on a developer's machine the tests are skipped with a reason saying what to
install. Playwright's own browser download is never used.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
#: A browser that starts quickly and talks to nothing but the form.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-dev-shm-usage"]


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def require_browser() -> None:
    """Fail (in CI) or skip unless chromium and Playwright are installed."""
    missing = []
    if not CHROMIUM.exists():
        missing.append("chromium (apt-get install chromium)")
    for module, package in (("playwright", "playwright"),
                            ("axe_playwright_python", "axe-playwright-python")):
        if importlib.util.find_spec(module) is None:
            missing.append(f"{package} (pip install -e '.[test]')")
    if missing:
        message = "needs " + ", ".join(missing)
        if _in_ci():
            pytest.fail(f"CI must install the browser tests' tools: {message}. See .ci/run.")
        pytest.skip(message)


@contextmanager
def served(today: Callable[[], dt.date]) -> Iterator[str]:
    """The web form under waitress on a free port of this computer, in a thread; its address."""
    from waitress import create_server

    from letters.web import create_app
    from letters.web.serve import quiet_logging

    quiet_logging()
    server: Any = create_server(create_app(today=today), host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        server.close()
        thread.join(timeout=10)
