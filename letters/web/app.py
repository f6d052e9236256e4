"""The Flask application: settings, limits, security headers, error pages and logging.

``create_app(settings)`` builds it (Flask's application factory), so any WSGI server can host it:
``swletter serve`` runs it with waitress on this computer; a charity runs the same with
``waitress-serve --call letters.web:create_app`` (settings from ``SWLETTER_CONFIG``).

What it keeps: nothing. The answers travel with each page (``views``); the only cookie holds
the token that proves a form came from this site's own page (CSRF), never an answer; every
response says not to store it; the log says what kind of thing went wrong, never what anyone
typed.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import secrets
from collections.abc import Callable
from typing import Any

from flask import Flask, Response, render_template, request
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.exceptions import HTTPException

from letters.case.reading import MAX_CASE_BYTES
from letters.config import Settings, load_settings
from letters.interview import default_tone_check

#: A request may be as large as the largest case file, plus the rest of its form.
MAX_REQUEST_BYTES = MAX_CASE_BYTES + 256 * 1024

#: Where "Exit this page" goes: a neutral page that gives nothing away (as GOV.UK's does).
EXIT_URL = "https://www.bbc.co.uk/weather"

#: Nothing loads from elsewhere, no inline script or style runs, and no other site may frame
#: these pages or receive their forms.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)

_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    # Pages hold a family's answers: no browser or proxy may keep a copy.
    "Cache-Control": "no-store",
    "Pragma": "no-cache",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    # The form's own pages send where they came from (the CSRF check over HTTPS reads it);
    # "Exit this page" and any other link away send nothing.
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}

log = logging.getLogger("letters.web")


class _App(Flask):
    def log_exception(self, exc_info: Any) -> None:
        # Flask's own record carries the exception's message, which can quote what was typed.
        # Say only what kind of failure, and where.
        kind = exc_info[0].__name__ if exc_info and exc_info[0] else "unknown"
        log.error("unexpected %s on %s %s", kind, request.method, request.path)


def create_app(settings: Settings | None = None, *, secret_key: str | bytes | None = None,
               today: Callable[[], dt.date] | None = None) -> Flask:
    """The web form as a WSGI application.

    ``settings`` are a charity's (letterhead, templates, default sender); without them,
    ``SWLETTER_CONFIG`` names a settings file, else ``swletter.toml`` in the working folder is
    used if there is one. ``secret_key`` signs the CSRF cookie (``SWLETTER_SECRET_KEY``, else a
    new one each start). Set ``SWLETTER_SECURE_COOKIES=1`` when hosting behind HTTPS.
    """
    from letters.web.views import pages

    if settings is None:
        settings = load_settings(os.environ.get("SWLETTER_CONFIG") or None)
    app = _App(__name__, template_folder="pages", static_folder="static")
    app.config.update(
        SECRET_KEY=secret_key or os.environ.get("SWLETTER_SECRET_KEY") or secrets.token_bytes(32),
        MAX_CONTENT_LENGTH=MAX_REQUEST_BYTES,
        MAX_FORM_MEMORY_SIZE=MAX_REQUEST_BYTES,
        SESSION_COOKIE_NAME="swletter_csrf",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
        SESSION_COOKIE_SECURE=os.environ.get("SWLETTER_SECURE_COOKIES", "") in ("1", "true"),
        # A parent may take an hour over one answer: the token lasts as long as the browser's
        # session, rather than Flask-WTF's default hour, after which the answer would be lost.
        WTF_CSRF_TIME_LIMIT=None,
        SEND_FILE_MAX_AGE_DEFAULT=0,
        SWLETTER_SETTINGS=settings,
        SWLETTER_TODAY=today or dt.date.today,
        SWLETTER_TONE_CHECK=default_tone_check(),
        SWLETTER_EXIT_URL=EXIT_URL,
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    CSRFProtect(app)
    app.register_blueprint(pages)
    app.after_request(_secure_headers)
    app.register_error_handler(CSRFError, _csrf_refused)
    # Every other failure reaches Flask as a 500 (InternalServerError), after log_exception.
    app.register_error_handler(HTTPException, _http_error)
    return app


def _secure_headers(response: Response) -> Response:
    for name, value in _HEADERS.items():
        response.headers[name] = value
    return response


def _csrf_refused(err: CSRFError) -> tuple[str, int]:
    log.warning("a form without its page's token was refused (%s %s)", request.method,
                request.path)
    from letters.web.views import page_words

    return render_template("problem.html", title="This form could not be sent",
                           kind="csrf", w=page_words("en")), 400


_PROBLEMS = {
    404: ("not_found", "Page not found"),
    405: ("not_found", "Page not found"),
    413: ("too_large", "The file is too large"),
    500: ("unexpected", "Sorry, there is a problem with this service"),
}


def _http_error(err: HTTPException) -> tuple[str, int]:
    status = err.code or 500
    kind, title = _PROBLEMS.get(status, ("bad_request", "Something was wrong with that request"))
    from letters.web.views import page_words

    return render_template("problem.html", title=title, kind=kind, limit=MAX_CASE_BYTES,
                           w=page_words("en")), status
