"""The web front door: the same questions as ``swletter new``, in a browser, keeping nothing.

``create_app(settings)`` is the WSGI application (Flask); ``swletter serve`` runs it on this
computer, and a charity hosts it with ``waitress-serve --call letters.web:create_app``.
"""

from letters.web.app import create_app

__all__ = ["create_app"]
