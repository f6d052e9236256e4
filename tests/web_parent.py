"""A parent going through the web form, as a browser would: each page's forms carry the
answers so far (the state) and the token, and the next request sends them back.

Used with Flask's test client (``tests/test_web.py``); the answers are the same invented family
as the terminal interview's tests.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Any

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

_FORM = re.compile(r'<form method="post" action="([^"]+)"[^>]*>(.*?)</form>', re.S)
_HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')
_H1 = re.compile(r"<h1[^>]*>(.*?)</h1>", re.S)
_TAG = re.compile(r"<[^>]+>")

#: (question key, answer) for a whole journey: the answer is text for a box, a value for
#: radios, a list for checkboxes, or a (day, month, year) tuple for a date.
JOURNEY: list[tuple[str, Any]] = [
    ("jurisdiction", "1"),  # the part of the UK first, with no answer offered
    ("sender.name", "Jane Doe"),
    ("sender.relationship", "mother"),
    ("sender.address", "12 High Street\nHastings\nTN34 1AA"),
    ("sender.email", "jane.doe@example.org"),
    ("sender.phone", ""),
    ("children[1].name", "Sam Doe"),
    ("children[1].date_of_birth", ("2", "5", "2017")),
    ("children[1].more", "no"),
    ("social_worker.name", "John Smith"),
    ("social_worker.title", "Mr"),
    ("social_worker.allocated_since", ("12", "January", "2026")),
    ("case_reference", "CP-2026-0413"),
    ("recipient.name", "Sarah Patel"),
    ("recipient.title", "Ms"),
    ("recipient.role", "Team Manager"),
    ("recipient.team", ""),
    ("recipient.organisation", "East Sussex County Council"),
    ("recipient.address", "County Hall, St Anne's Crescent\nLewes\nBN7 1UE"),
    ("recipient.email", ""),
    ("grounds", ["1", "5"]),
    ("grounds.communication_breakdown.summary",
     "Since April most of my emails about contact have gone unanswered."),
    ("grounds.communication_breakdown.impact", "I no longer feel able to share information."),
    ("grounds.complaint.made_on", ("1", "10", "2026")),
    ("grounds.complaint.reference", "COMP-998"),
    ("grounds.complaint.summary", "Missed visits."),
    ("evidence.any", "yes"),
    ("evidence[1].date", ("3rd of April 2026", "", "")),
    ("evidence[1].type", "1"),
    ("evidence[1].description", "My email asking about contact, with no reply."),
    ("evidence[1].supports", ["1"]),
    ("evidence[1].more", "no"),
    ("supporting_statements.any", "no"),
    ("copy_to.any", "no"),
    ("response_within_working_days", "10"),
]


def fields_for(answer: Any) -> dict[str, Any]:
    """The form fields a widget sends for ``answer``."""
    if isinstance(answer, tuple):
        return dict(zip(("answer-day", "answer-month", "answer-year"), answer, strict=True))
    return {"answer": answer}


def text_of(fragment: str) -> str:
    return " ".join(html.unescape(_TAG.sub(" ", fragment)).split())


@dataclass
class Parent:
    """One parent's browser: the page they are on, and the cookie (the test client's)."""

    client: FlaskClient
    page: TestResponse | None = None
    seen: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        assert self.page is not None
        return self.page.get_data(as_text=True)

    @property
    def heading(self) -> str:
        found = _H1.search(self.text)
        return text_of(found.group(1)) if found else ""

    def open(self, path: str) -> TestResponse:
        self.page = self.client.get(path)
        self.seen.append(self.text)
        return self.page

    def hidden(self, action: str) -> dict[str, str]:
        """The hidden fields of this page's first form that posts to ``action``."""
        for form_action, body in _FORM.findall(self.text):
            if form_action == action:
                return {name: html.unescape(value) for name, value in _HIDDEN.findall(body)}
        raise AssertionError(f"no form posts to {action} on the page {self.heading!r}")

    def state(self, action: str = "/questions") -> str:
        return self.hidden(action)["state"]

    def post(self, action: str, data: dict[str, Any] | None = None, *,
             form_of: str | None = None) -> TestResponse:
        """Send the form that posts to ``action`` (or the one that posts to ``form_of``,
        with its hidden fields) with ``data`` added, as the button would."""
        sent = {**self.hidden(form_of or action), **(data or {})}
        self.page = self.client.post(action, data=sent)
        self.seen.append(self.text)
        return self.page

    def answer(self, value: Any, **extra: Any) -> TestResponse:
        return self.post("/questions", {**fields_for(value), **extra})

    def current_key(self) -> str:
        import json

        return str(json.loads(self.state())["at"])

    def go_through(self, journey: list[tuple[str, Any]]) -> None:
        """Answer each question in turn, checking it is the one expected."""
        for key, value in journey:
            assert self.current_key() == key, (key, self.heading)
            response = self.answer(value)
            assert response.status_code == 200
            assert "There is a problem" not in self.text, (key, self.text[:3000])
