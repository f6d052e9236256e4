"""The pages of the web form, one question per page, driven by the same interview as
``swletter new``.

Nothing is kept between two requests. Each page carries the interview's whole state
(``Interview.state()``: the answers, the question on the page, the questions answered) as JSON
in a hidden field of each of its forms, and each request reads it back and checks it again
exactly as it checks an uploaded case file — the same size, nesting and count limits, the same
shape — because it has been in the browser and may have been changed. It is not signed: it is
the person's own answers, a changed state can only change their own letter, an uploaded case
file must pass the same checks anyway, and a state that is not signed survives a restart of the
server (or a second server) without a shared key.

The interview runs without a folder (``base_dir=None``): the question about an evidence file's
name on this computer is not asked, and no answer makes the server look at its own disk.

The form is in English or Welsh, chosen on the start page (``?language=cy``). The interview's
state carries the language like everything else, so every later page is in it: the questions
and messages from the interview, the pages' own words from ``grounds/_web_<code>.toml``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import tomllib
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from flask import Blueprint, Response, current_app, render_template, request
from markupsafe import Markup

from letters import Rendered, api
from letters.case.grounds import read_shared_data
from letters.compose.language import LANGUAGES, languages_of
from letters.config import Settings
from letters.errors import CaseError, LettersError, Problem
from letters.interview import (
    Accepted,
    Interview,
    Question,
    Rejected,
    StateError,
    ToneConcern,
    answers_from_upload,
    answers_to_yaml,
    state_from_text,
    state_to_text,
    summary_sections,
)
from letters.text import capital
from letters.web.forms import (
    FIELD,
    Shown,
    answer_from_form,
    example_for,
    input_attributes,
    shown_from_answer,
    shown_from_form,
    widget_for,
)

pages = Blueprint("web", __name__)

#: What each download is, and the type it is sent as.
DOWNLOADS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "md": "text/markdown; charset=utf-8",
    "yaml": "application/yaml; charset=utf-8",
}


class _BadStateError(Exception):
    """The answers sent with a form could not be read back."""


def _settings() -> Settings:
    settings: Settings = current_app.config["SWLETTER_SETTINGS"]
    return settings


def _today() -> dt.date:
    day: dt.date = current_app.config["SWLETTER_TODAY"]()
    return day


@functools.cache
def page_words(language: str = "en") -> dict[str, Any]:
    """The words of the form's own pages in ``language`` (``grounds/_web_<code>.toml``)."""
    return tomllib.loads(read_shared_data(f"_web_{language}.toml"))


def _chosen_language() -> str:
    """The language asked for by the link or form that brought the person here."""
    asked = request.values.get("language", "")
    return asked if asked in LANGUAGES else "en"


def _page(template: str, language: str, **context: Any) -> str:
    """A page of the form in ``language``."""
    return render_template(template, w=page_words(language), language=language, **context)


def _new_interview(data: dict[str, Any] | None = None, language: str = "en") -> Interview:
    return Interview(data or {}, base_dir=None, today=_today(),
                     tone_check=current_app.config["SWLETTER_TONE_CHECK"], language=language)


def _interview() -> Interview:
    """The interview whose state came with this form, checked again."""
    try:
        return Interview.from_state(state_from_text(request.form.get("state", "")),
                                    base_dir=None, today=_today(),
                                    tone_check=current_app.config["SWLETTER_TONE_CHECK"])
    except StateError as err:
        raise _BadStateError from err


@pages.app_context_processor
def _helpers() -> dict[str, Any]:
    return {"input_attributes": input_attributes}


@pages.errorhandler(_BadStateError)
def _bad_state(err: _BadStateError) -> tuple[str, int]:
    return render_template("problem.html", title="Your answers could not be read",
                           kind="bad_state", w=page_words("en")), 400


# --------------------------------------------------------------------------------------------
# The pages


@pages.get("/")
def start() -> str:
    return _page("start.html", _chosen_language())


@pages.get("/questions")
def first_question() -> str:
    return _show(_new_interview(language=_chosen_language()))


@pages.post("/questions")
def answer() -> str:
    iv = _interview()
    q = iv.next_question()
    if q is None:
        return _show(iv)
    form, chosen = request.form, request.form.getlist(FIELD)
    tone = form.get("tone", "")
    if tone == "use":
        outcome = iv.submit(form.get("rewrite", ""), check_tone=False, blank_keeps=False)
    else:
        outcome = iv.submit(answer_from_form(q, form, chosen), check_tone=tone != "keep",
                            blank_keeps=False)
    if isinstance(outcome, Rejected):
        return _question_page(iv, q, shown_from_form(q, form, chosen), error=outcome.problem)
    if isinstance(outcome, ToneConcern):
        return _question_page(iv, q, Shown(text=outcome.text), concern=outcome)
    assert isinstance(outcome, Accepted)
    return _show(iv)


@pages.post("/back")
def back() -> str:
    iv = _interview()
    iv.back()
    return _show(iv)


@pages.post("/change")
def change() -> str:
    iv = _interview()
    with contextlib.suppress(KeyError):  # a question that no longer applies: stay put
        iv.go_to(request.form.get("key", ""))
    return _show(iv)


@pages.post("/continue")
def carry_on() -> str:
    iv = _interview()
    iv.resume()
    return _show(iv)


@pages.post("/answers")
def answers() -> str:
    return _show(_interview())


@pages.post("/letter")
def letter() -> str:
    iv = _interview()
    ready = _letter(iv)
    if isinstance(ready, list):
        return _answers_page(iv, ready)
    from letters.compose.language import language

    return _page("letter.html", iv.language, state=state_to_text(iv.state()),
                 letter=Markup(api.preview_html(ready)),  # escaped by the writer
                 letter_lang=language(languages_of(ready.language)[0]).tag)


@pages.post("/download")
def download() -> Response | str:
    iv = _interview()
    fmt = request.form.get("format", "")
    if fmt not in DOWNLOADS:
        return _show(iv)
    if fmt == "yaml":
        finished = iv.first_unanswered() is None
        body = answers_to_yaml(iv.data, finished=finished, today=_today()).encode("utf-8")
        return _attachment(body, "case.yaml", DOWNLOADS[fmt])
    ready = _letter(iv)
    if isinstance(ready, list):
        return _answers_page(iv, ready)
    try:
        body = api.document_bytes(ready, fmt, settings=_settings())
    except LettersError as err:
        return render_template("problem.html", title="The letter could not be written",
                               kind="writer", message=str(err), w=page_words("en"))
    return _attachment(body, ready.file_name(fmt), DOWNLOADS[fmt])


@pages.post("/upload")
def upload() -> tuple[str, int] | str:
    language = _chosen_language()
    sent = request.files.get("case_file")
    if sent is None or not sent.filename:
        return _start_with_problems([Problem(page_words(language)["choose_file"])], language)
    name = PurePath(sent.filename.replace("\\", "/")).name[:80] or "the file"
    try:
        data = answers_from_upload(sent.read(), name)
    except CaseError as err:
        return _start_with_problems(list(err.problems), language, more=err.more, name=name)
    return _show(_new_interview(data, language))


def _start_with_problems(problems: list[Problem], language: str, *, more: int = 0,
                         name: str = "") -> tuple[str, int]:
    return _page("start.html", language, upload_problems=problems, more=more,
                 file_name=name), 400


# --------------------------------------------------------------------------------------------
# Building pages


def _show(iv: Interview) -> str:
    """The page for where the interview is: its question, or the answers to check."""
    q = iv.next_question()
    if q is None:
        return _answers_page(iv)
    return _question_page(iv, q, shown_from_answer(q, q.key in iv.done))


def _question_page(iv: Interview, q: Question, shown: Shown, *, error: Problem | None = None,
                   concern: ToneConcern | None = None) -> str:
    steps = iv.plan()
    keys = [s.key for s in steps]
    here = keys.index(q.key) if q.key in keys else 0
    first_of_section = here == 0 or steps[here - 1].question.section.id != q.section.id
    section = q.section
    say = iv.questions.say
    return _page(
        "question.html", iv.language, q=q, widget=widget_for(q), shown=shown, error=error,
        concern=concern, state=state_to_text(iv.state()),
        text=q.web_text or q.text, help=q.web_help or q.help, example=example_for(q),
        intro=(section.web_intro or section.intro) if first_of_section else "",
        back_to_start=here == 0 and not iv.has_answers,
        # The answers a yes/no question sends are the interview's own words for them.
        yes_no=((say("yes"), "yes"), (say("no"), "no")),
    )


@dataclass(frozen=True)
class _Fix:
    """A problem that stops the letter being written, and the question that fixes it."""

    where: str
    message: str
    key: str | None


def _answers_page(iv: Interview, problems: list[_Fix] | None = None) -> str:
    rows = iv.summary()
    unfinished = iv.first_unanswered() is not None
    if problems is None and not unfinished:
        ready = _letter(iv)
        problems = ready if isinstance(ready, list) else []
    return _page("answers.html", iv.language, sections=summary_sections(rows),
                 state=state_to_text(iv.state()), unfinished=unfinished,
                 problems=problems or [])


def _letter(iv: Interview) -> Rendered | list[_Fix]:
    """The letter from the answers, or what stops it being written."""
    try:
        case = api.read_case_data(iv.data, settings=_settings(), source="your answers",
                                  language=iv.language)
    except CaseError as err:
        return _fixes(iv, err.problems)
    try:
        return api.render_request(case, settings=_settings(), today=_today())
    except LettersError as err:  # a template missing in the letter's language, say
        message = page_words(iv.language)["cannot_write"].format(message=err)
        return [_Fix("", message, None)]


def _fixes(iv: Interview, problems: tuple[Problem, ...] | list[Problem]) -> list[_Fix]:
    keys = {s.key for s in iv.plan()}
    labels = {row.key: f"{row.section}: {row.label}" for row in iv.summary()}
    out = []
    for p in problems:
        key = p.path if p.path in keys else None
        where = labels.get(p.path, "") if key else ""
        message = capital(p.message)
        out.append(_Fix(where or (p.path or ""), message, key))
    return out


def _attachment(body: bytes, name: str, content_type: str) -> Response:
    response = Response(body, content_type=content_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
