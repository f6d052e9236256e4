"""The web form (`swletter serve`, letters/web) through Flask's test client: every page, rule
and refusal a parent or a hostile request meets. The same journey in a real browser is in
test_web_browser.py.
"""

from __future__ import annotations

import base64
import html as html_text
import io
import json
import logging
import re
import subprocess
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
import pytest
import yaml
from click.testing import CliRunner
from flask import Flask

from cli import main
from letters.case.validate import load_case
from letters.interview import Interview, state_to_text
from letters.web import create_app
from letters.web.forms import date_text

from .conftest import TODAY
from .processes import SWLETTER
from .test_hostile import HOSTILE
from .test_interview import FULL_RUN, folder, piped  # noqa: F401  (a fixture)
from .web_parent import JOURNEY, Parent, text_of


@pytest.fixture
def app() -> Flask:
    return create_app(today=lambda: TODAY)


@pytest.fixture
def parent(app: Flask) -> Parent:
    return Parent(app.test_client())


def _finished(parent: Parent, journey: list[tuple[str, Any]] = JOURNEY) -> Parent:
    parent.open("/questions")
    parent.go_through(journey)
    assert parent.heading == "Check your answers"
    return parent


def _download(parent: Parent, fmt: str) -> Any:
    response = parent.client.post("/download", data={**parent.hidden("/download"),
                                                     "format": fmt})
    assert response.status_code == 200
    return response


# --------------------------------------------------------------------------------------------
# The journey


def test_a_parent_answers_every_question_and_downloads_the_letter(parent: Parent,
                                                                  tmp_path: Path) -> None:
    _finished(parent)
    page = text_of(parent.text)
    assert "12 High Street, Hastings, TN34 1AA" in page  # the address, one line per line
    assert "County Hall, St Anne's Crescent, Lewes, BN7 1UE" in page
    parent.post("/letter")
    assert parent.heading == "Your letter"
    preview = text_of(parent.text)
    assert "Dear Ms Patel" in preview and "(Enclosure 1)" in preview

    word = _download(parent, "docx")
    assert word.headers["Content-Disposition"] == \
        'attachment; filename="letter-sam-doe-2026-11-23.docx"'
    letter = "\n".join(p.text for p in docx.Document(io.BytesIO(word.data)).paragraphs)
    assert "Dear Ms Patel" in letter
    assert "I am writing as the mother of Sam Doe (born 2 May 2017)" in letter
    assert "County Hall, St Anne's Crescent" in letter  # a line's comma is kept
    pdf = _download(parent, "pdf")
    assert pdf.headers["Content-Type"] == "application/pdf" and pdf.data.startswith(b"%PDF-")
    markdown = _download(parent, "md").get_data(as_text=True)
    assert "Since April most of my emails about contact have gone unanswered (Enclosure 1)." \
        in markdown

    saved = _download(parent, "yaml")
    assert saved.headers["Content-Disposition"] == 'attachment; filename="case.yaml"'
    case_file = tmp_path / "case.yaml"
    case_file.write_bytes(saved.data)
    assert "incomplete" not in saved.get_data(as_text=True)
    # The saved answers are a case file the command line reads too.
    result = CliRunner().invoke(main, ["render", str(case_file), "--format", "md", "-o",
                                       str(tmp_path / "letter.md")])
    assert result.exit_code == 0, result.output
    again = (tmp_path / "letter.md").read_text("utf-8")
    # The same letter (dated the day it is rendered).
    assert again.split("## Enclosures")[1] == markdown.split("## Enclosures")[1]
    assert "Since April most of my emails about contact have gone unanswered" in again


def test_the_part_of_the_uk_comes_first_with_no_answer_chosen(parent: Parent) -> None:
    # Issue 16: the form once had England chosen, so a parent in Cardiff got England's bank
    # holidays and complaints procedure by pressing Continue.
    parent.open("/questions")
    assert parent.current_key() == "jurisdiction"
    assert parent.heading == "Which part of the UK is the council or trust in?"
    assert " checked" not in parent.text
    parent.post("/questions", {})  # Continue, nothing chosen
    assert parent.current_key() == "jurisdiction"
    assert "There is a problem" in parent.text


def test_saved_answers_reopen_at_check_your_answers(parent: Parent) -> None:
    _finished(parent)
    saved = _download(parent, "yaml").data
    again = Parent(parent.client)
    again.open("/")
    again.post("/upload", {"case_file": (io.BytesIO(saved), "case.yaml")})
    assert again.page is not None and again.page.status_code == 200
    assert again.heading == "Check your answers"
    assert "Jane Doe" in text_of(again.text)
    assert "Read your letter" in again.text


def test_answers_saved_part_way_carry_on_where_they_stopped(parent: Parent) -> None:
    parent.open("/questions")
    parent.go_through(JOURNEY[:7])
    saved = _download(parent, "yaml").get_data(as_text=True)
    assert "incomplete: true" in saved
    again = Parent(parent.client)
    again.open("/")
    again.post("/upload", {"case_file": (io.BytesIO(saved.encode()), "case.yaml")})
    assert again.heading == "Check your answers"
    assert "You have not answered every question yet." in again.text
    again.post("/continue")
    assert again.current_key() == JOURNEY[7][0]


def test_change_returns_to_check_your_answers_and_back_goes_back(parent: Parent) -> None:
    _finished(parent)
    parent.post("/change", {"key": "sender.phone"})
    assert parent.current_key() == "sender.phone"
    assert parent.heading == "About you Your phone number (optional)"
    parent.answer("07700 900123")
    assert parent.heading == "Check your answers"
    assert "07700 900123" in text_of(parent.text)
    parent.post("/back")
    assert parent.current_key() == "response_within_working_days"
    parent.post("/back")
    assert parent.current_key() == "copy_to.any"


def test_a_change_that_brings_new_questions_asks_them_then_returns(parent: Parent) -> None:
    _finished(parent)
    parent.post("/change", {"key": "copy_to.any"})
    parent.answer("yes")
    assert parent.current_key() == "copy_to[1].name"
    parent.answer("David Brown")
    parent.answer("Independent Reviewing Officer")
    parent.answer("no")
    assert parent.heading == "Check your answers"


def test_an_empty_field_clears_an_optional_answer(parent: Parent) -> None:
    _finished(parent)
    parent.post("/change", {"key": "sender.email"})
    assert 'value="jane.doe@example.org"' in parent.text  # the answer given, to change
    parent.answer("")
    assert "jane.doe@example.org" not in text_of(parent.text)


def test_evidence_is_never_asked_for_or_looked_for_on_the_servers_disk(
        parent: Parent, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_disk(*args: Any) -> str:
        raise AssertionError("the web form looked at the server's disk")

    monkeypatch.setattr("letters.case.validate.evidence_file_problem", no_disk)
    monkeypatch.setattr("letters.interview.plan.evidence_file_problem", no_disk)
    monkeypatch.setattr("letters.interview.engine.evidence_file_problem", no_disk)
    _finished(parent)
    assert not any("Where is the file" in page for page in parent.seen)
    # A saved case that names files (as swletter new writes them) keeps them, unchecked.
    data = yaml.safe_load(_download(parent, "yaml").data)
    data["evidence"][0]["file"] = "/etc/shadow"
    again = Parent(parent.client)
    again.open("/")
    again.post("/upload", {"case_file": (io.BytesIO(yaml.safe_dump(data).encode()),
                                         "case.yaml")})
    assert again.heading == "Check your answers"
    saved = yaml.safe_load(_download(again, "yaml").data)
    assert saved["evidence"][0]["file"] == "/etc/shadow"
    assert _download(again, "md").status_code == 200


# --------------------------------------------------------------------------------------------
# Widgets and the words beside them


def test_every_kind_of_question_has_its_widget(app: Flask, full_case: Path) -> None:
    data = json.loads(json.dumps(yaml.safe_load(full_case.read_text("utf-8")), default=str))
    interview = Interview(data, base_dir=None, today=TODAY)
    client = app.test_client()
    parent = Parent(client)
    parent.open("/")
    token = parent.hidden("/upload")["csrf_token"]
    widgets = {"text": '<input class="input" id="answer" name="answer"', "lines": "<textarea",
               "date": 'id="answer-day"', "choice": 'type="radio"', "child": 'id="answer-all"',
               "yesno": 'value="yes"', "flag": 'value="no"', "grounds": 'type="checkbox"',
               "cites": 'type="checkbox"', "int": 'inputmode="numeric"'}
    kinds = set()
    for step in interview.plan():
        q = step.question
        kinds.add(q.kind)
        page = client.post("/change", data={"csrf_token": token, "key": q.key,
                                            "state": state_to_text(interview.state())})
        html = page.get_data(as_text=True)
        assert page.status_code == 200
        assert (q.web_text or q.text).replace("'", "&#39;").replace('"', "&#34;") in html, \
            q.key
        assert widgets[q.kind if not q.tone else "lines"] in html, q.key
        assert "Put a comma between the lines" not in html and "press Enter" not in html
    assert kinds == set(widgets)


def test_every_question_appears_in_both_front_ends(app: Flask, runner: CliRunner,
                                                   folder: Path) -> None:  # noqa: F811
    # The terminal asks each question of the full run; the web form has a page for each of
    # the same questions, from the same data. A question added to grounds/_questions.toml
    # shows up in both (or this test says which front end lacks it).
    case_path = folder / "case.yaml"
    result = runner.invoke(main, ["new", "-o", str(case_path)], input=piped(FULL_RUN, ["", "no"]))
    assert result.exit_code == 0, result.output
    terminal = " ".join(result.output.split())
    interview = Interview(yaml.safe_load(case_path.read_text("utf-8")), base_dir=str(folder),
                          today=TODAY)
    web = Interview(yaml.safe_load(case_path.read_text("utf-8")), base_dir=None, today=TODAY)
    web_keys = {s.key for s in web.plan()}
    parent = Parent(app.test_client())
    parent.open("/")
    token = parent.hidden("/upload")["csrf_token"]
    for step in interview.plan():
        q = step.question
        assert " ".join(q.text.split()) in terminal, f"the terminal does not ask {q.key}"
        if step.qspec.needs_folder:
            assert q.key not in web_keys
            continue
        page = parent.client.post("/change", data={"csrf_token": token, "key": q.key,
                                                   "state": state_to_text(web.state())})
        assert text_of(page.get_data(as_text=True)).count(q.web_text or q.text) >= 1, \
            f"the web form does not ask {q.key}"


def test_the_error_summary_links_to_the_field_with_the_same_words(parent: Parent) -> None:
    parent.open("/questions")
    parent.answer("1")  # the part of the UK comes first
    parent.answer("")
    html = parent.text
    assert parent.heading == "About you What is your full name?"
    assert "<title>Error: What is your full name?" in html
    summary = re.search(r'<ul class="error-summary__list">\s*<li><a href="#answer">(.*?)</a>',
                        html)
    assert summary is not None and summary.group(1) == "An answer is needed here."
    assert ('<p id="answer-error" class="error-message"><span class="visually-hidden">Error:'
            '</span> An answer is needed here.</p>') in html
    assert 'aria-describedby="answer-intro answer-hint answer-error"' in html
    assert parent.current_key() == "sender.name"  # nothing was stored


def test_a_date_problem_is_shown_beside_the_boxes_as_typed(parent: Parent) -> None:
    parent.open("/questions")
    parent.go_through(JOURNEY[:7])
    parent.answer(("31", "2", "2017"))
    assert '<a href="#answer-day">There is no 31 February; February has 28 days.</a>' \
        in parent.text
    assert 'value="31"' in parent.text and 'value="2017"' in parent.text
    parent.answer(("3", "4", "2099"))
    assert "3 April 2099 is after today (23 November 2026). Check the year." in \
        text_of(parent.text)


@pytest.mark.parametrize(("boxes", "read_as"), [
    (("3", "4", "2026"), "3/4/2026"),
    (("3", "apr", "2026"), "3 apr 2026"),
    (("3", "April", "26"), "3 April 26"),
    (("3rd of April 2026", "", ""), "3rd of April 2026"),
    (("", "", "3 April 2026"), "3 April 2026"),
    (("", "4", "2026"), "April 2026"),
    (("3", "", "2026"), "3 2026"),
    (("", "", ""), ""),
])
def test_date_boxes_are_read_the_ways_parents_write_dates(boxes: tuple[str, str, str],
                                                         read_as: str) -> None:
    assert date_text(*boxes) == read_as


def test_a_whole_date_typed_in_one_box_is_understood(parent: Parent) -> None:
    parent.open("/questions")
    parent.go_through(JOURNEY[:7])
    parent.answer(("Tuesday 2nd May 2017", "", ""))
    assert parent.current_key() == "children[1].more"
    parent.post("/back")
    assert 'value="2"' in parent.text and 'value="5"' in parent.text


def test_tone_advice_offers_the_tidied_wording_to_use_edit_or_keep(app: Flask) -> None:
    shouting = "The visit was COMPLETELY missed!!!"
    to_summary = JOURNEY[:21]
    for choice, stored in (("use", None), ("keep", shouting), ("check", "The visit was missed.")):
        parent = Parent(app.test_client())
        parent.open("/questions")
        parent.go_through(to_summary)
        parent.answer(shouting)
        html = parent.text
        assert "A suggestion about the wording" in html
        assert parent.current_key() == "grounds.communication_breakdown.summary"
        rewrite = parent.hidden("/questions")["rewrite"]
        assert rewrite != shouting and "!!!" not in rewrite
        assert f'<blockquote class="suggested-wording">{rewrite}</blockquote>' in html
        assert f">{shouting}</textarea>" in html  # their own words, in the box, to edit
        if choice == "check":
            parent.answer(stored, tone="check")
        else:
            parent.answer(shouting, tone=choice)
        assert parent.current_key() == "grounds.communication_breakdown.impact"
        answers = json.loads(parent.state())["answers"]
        assert answers["grounds"]["communication_breakdown"]["summary"] == (stored or rewrite)


@pytest.mark.parametrize(("language", "typed"), [("en", "He is completely USELESS!!!"),
                                                ("cy", "He is USELESS!!!"),
                                                ("cy", "Mae hi'n DDIWERTH!!!")])
def test_an_answer_with_an_insult_is_never_offered_a_tidied_wording(app: Flask, language: str,
                                                                    typed: str) -> None:
    from .test_welsh_interview import WEB_JOURNEY

    parent = Parent(app.test_client())
    if language == "en":
        parent.open("/questions")
        parent.go_through(JOURNEY[:21])
    else:
        parent.open("/questions?language=cy")
        parent.go_through(WEB_JOURNEY[:WEB_JOURNEY.index(("grounds", ["1"])) + 1])
    parent.answer(typed)
    assert parent.current_key() == "grounds.communication_breakdown.summary"
    assert "suggested-wording" not in parent.text
    assert "rewrite" not in parent.hidden("/questions")
    (box,) = re.findall(r"<textarea[^>]*>(.*?)</textarea>", parent.text, re.S)
    assert html_text.unescape(box) == typed  # their own words, in the box, to reword


# --------------------------------------------------------------------------------------------
# Keeps nothing, and safe to host


def test_a_post_without_its_csrf_token_is_refused(parent: Parent) -> None:
    parent.open("/questions")
    state = parent.state()
    for missing in ({"state": state, "answer": "Jane Doe"},
                    {"state": state, "answer": "Jane Doe", "csrf_token": "forged"}):
        response = parent.client.post("/questions", data=missing)
        assert response.status_code == 400
        assert "This form could not be sent" in response.get_data(as_text=True)
    # And a browser without the cookie (another site's form) is refused with the token too.
    stranger = create_app(today=lambda: TODAY).test_client()
    response = stranger.post("/questions", data={**parent.hidden("/questions"),
                                                 "answer": "Jane Doe"})
    assert response.status_code == 400


def _post(parent: Parent, path: str, data: dict[str, Any]) -> Any:
    """A POST whose body may be large, encoded here in memory (``client.post`` would spool a
    large one to a temporary file and leave it for the garbage collector to close)."""
    from werkzeug.datastructures import FileStorage
    from werkzeug.test import encode_multipart

    boundary, body = encode_multipart({
        k: FileStorage(v[0], filename=v[1]) if isinstance(v, tuple) else v
        for k, v in data.items()})
    return parent.client.post(path, data=body,
                              content_type=f"multipart/form-data; boundary={boundary}")


def _cookie_data(parent: Parent) -> dict[str, Any]:
    cookie = parent.client.get_cookie("swletter_csrf")
    assert cookie is not None
    payload = cookie.value.split(".")[0]
    raw = base64.urlsafe_b64decode(payload.lstrip(".") + "=" * (-len(payload) % 4))
    if cookie.value.startswith("."):
        raw = zlib.decompress(raw)
    data: dict[str, Any] = json.loads(raw)
    return data


def test_no_cookie_holds_an_answer_and_no_page_may_be_stored(parent: Parent) -> None:
    _finished(parent)
    assert set(_cookie_data(parent)) == {"csrf_token"}
    cookie = parent.client.get_cookie("swletter_csrf")
    assert cookie is not None and cookie.http_only and cookie.same_site == "Strict"
    parent.post("/letter")
    for path in ("/", "/questions"):
        response = parent.client.get(path)
        _check_headers(response)
    _check_headers(parent.page)
    _check_headers(_download(parent, "pdf"))


def _check_headers(response: Any) -> None:
    assert response.headers["Cache-Control"] == "no-store"
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_pages_have_no_inline_script_or_style(parent: Parent) -> None:
    _finished(parent)
    parent.post("/letter")
    parent.open("/")
    for html in parent.seen:
        assert not re.search(r"<script(?![^>]*\bsrc=)", html)
        assert not re.search(r"\son\w+=|\sstyle=|<style", html)


@pytest.mark.parametrize("state", [
    "", "not json", "[]", '{"version": 1}', json.dumps({"version": 9, "answers": {}, "at": None,
                                                       "done": []}),
    json.dumps({"version": 1, "answers": {"sender": []}, "at": "sender.name", "done": []}),
    json.dumps({"version": 1, "answers": {"grounds": 3}, "at": None, "done": []}),
    json.dumps({"version": 1, "answers": {"children": [{"name": {"x": 1}}]}, "at": None,
                "done": []}),
    "[" * 50_000 + "]" * 50_000,
    json.dumps({"version": 1, "answers": {"evidence": [{"id": str(i)} for i in range(30_000)]},
                "at": None, "done": []}),
    json.dumps({"version": 1, "at": "evidence[1].supports", "done": [], "answers": {
        "evidence": [{"id": f"E{i}", "description": "x"} for i in range(1000)],
        "grounds": {"unprofessional_conduct": {"incidents": [{"what": "x"}] * 1000}}}}),
], ids=["empty", "text", "list", "no-answers", "newer", "sender-list", "grounds-number",
        "name-object", "deep", "huge", "slow"])
def test_a_forged_state_gets_a_clear_page_never_a_crash(parent: Parent, state: str) -> None:
    parent.open("/questions")
    token = parent.hidden("/questions")["csrf_token"]
    for action in ("/questions", "/back", "/change", "/answers", "/letter", "/download"):
        response = _post(parent, action, {"csrf_token": token, "state": state, "answer": "x",
                                          "format": "docx"})
        assert response.status_code in (400, 413), (action, response.status_code)
        body = response.get_data(as_text=True)
        assert "Your answers could not be read" in body or "too large" in body


def test_a_state_at_an_unknown_question_or_the_summary_is_handled(parent: Parent) -> None:
    _finished(parent)
    state = json.loads(parent.state("/change"))
    token = parent.hidden("/change")["csrf_token"]
    for forged in ({**state, "at": "no.such.question"}, {**state, "at": None}):
        response = parent.client.post("/questions", data={"csrf_token": token, "answer": "x",
                                                          "state": json.dumps(forged)})
        assert response.status_code == 200
    response = parent.client.post("/change", data={"csrf_token": token, "key": "../etc",
                                                   "state": json.dumps(state)})
    assert response.status_code == 200


@pytest.mark.parametrize(("content", "name", "expected"), [
    (b"\x00\x01binary", "case.yaml", "This is not a text file."),
    ("sender: {name: Jane}".encode("utf-16"), "case.yaml", "saved as UTF-16"),
    (b"sender:\n  name: [Jane\n", "case.yaml", "Line 3: This is not valid YAML"),
    (b"sender: [1, 2]\n", "case.yaml", "Line 1, sender: Expected a set of fields"),
    (b'{"children": "Sam"}', "case.json", "children: Expected a list"),
    (b"- just\n- a list\n", "case.yaml", "a case file is a set of fields"),
    (b"", "case.yaml", "The file is empty."),
    (b"a: &x [1]\nb: *x\n", "case.yaml", "aliases"),
    (json.dumps({"evidence": [{"id": f"E{i}"} for i in range(201)]}).encode(), "case.json",
     "more than 200 items, more than the web form takes"),
], ids=["binary", "utf16", "yaml", "shape", "json-shape", "list", "empty", "alias", "long"])
def test_a_bad_upload_gets_a_clear_page(parent: Parent, content: bytes, name: str,
                                        expected: str) -> None:
    parent.open("/")
    parent.post("/upload", {"case_file": (io.BytesIO(content), name)})
    assert parent.page is not None and parent.page.status_code == 400
    assert parent.heading == "Write a letter asking for a change of social worker"
    page = text_of(parent.text)
    assert "There is a problem" in page
    assert expected.lower() in page.lower(), page


def test_no_file_and_a_file_too_large_are_explained(parent: Parent) -> None:
    parent.open("/")
    parent.post("/upload", {})
    assert "Choose the file with your saved answers." in text_of(parent.text)
    parent.open("/")
    big = io.BytesIO(b"#" * (3 * 1024 * 1024))
    response = _post(parent, "/upload", {**parent.hidden("/upload"),
                                          "case_file": (big, "case.yaml")})
    assert response.status_code == 413
    assert "The file is too large" in response.get_data(as_text=True)


def test_pages_that_are_not_there_get_a_plain_page(parent: Parent) -> None:
    for response in (parent.client.get("/nowhere"), parent.client.get("/letter")):
        assert response.status_code in (404, 405)
        assert "Page not found" in response.get_data(as_text=True)


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_is_shown_literally_on_every_page_and_download(app: Flask,
                                                                   text: str) -> None:
    from letters.case.model import clean_text

    typed = f"{text} Zed"
    journey = [(key, typed if key in ("sender.name", "recipient.organisation",
                                      "grounds.communication_breakdown.summary",
                                      "evidence[1].description") else value)
               for key, value in JOURNEY]
    parent = Parent(app.test_client())
    parent.open("/questions")
    for key, value in journey:
        parent.answer(value, tone="keep")
        assert "There is a problem" not in parent.text, key
    parent.post("/letter")
    shown = " ".join(clean_text(typed).split())
    for html in parent.seen[-2:]:
        assert shown in text_of(html)
        assert "<script>alert" not in html and "<b>b</b>" not in html
    markdown = _download(parent, "md").get_data(as_text=True)
    assert "<script>" not in markdown or "\\<script>" in markdown
    word = docx.Document(io.BytesIO(_download(parent, "docx").data))
    assert shown in " ".join(" ".join(p.text for p in word.paragraphs).split())


def test_an_unexpected_failure_is_a_plain_page_and_the_log_names_no_one(
        app: Flask, parent: Parent, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    _finished(parent)

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise ValueError("Jane Doe of 12 High Street")

    monkeypatch.setattr("letters.api.render_request", broken)
    response = parent.post("/letter")
    assert response.status_code == 500
    assert "Sorry, there is a problem with this service" in parent.text
    assert "Traceback" not in parent.text and "Jane Doe" not in text_of(parent.text)
    assert "unexpected ValueError on POST /letter" in caplog.text
    _no_answers_in(caplog.text)


def _no_answers_in(log: str) -> None:
    for _, value in JOURNEY:
        values = value if isinstance(value, list | tuple) else [value]
        for v in values:
            if isinstance(v, str) and len(v) > 3 and not v.isdigit():
                for line in v.splitlines():
                    assert line not in log, line


def test_the_log_of_a_whole_journey_holds_no_answer(parent: Parent,
                                                    caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    _finished(parent)
    parent.post("/letter")
    for fmt in ("docx", "pdf", "md", "yaml"):
        _download(parent, fmt)
    parent.client.post("/questions", data={"state": parent.state("/download"), "answer": "x"})
    _no_answers_in(caplog.text)


# --------------------------------------------------------------------------------------------
# swletter serve


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    process = subprocess.Popen([*SWLETTER, "serve", "--no-browser"], cwd=tmp_path, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        yield line, process
    finally:
        process.terminate()
        process.communicate(timeout=30)


def test_serve_prints_a_local_address_that_answers(served: tuple[str, Any]) -> None:
    import urllib.request

    line, _ = served
    found = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
    assert found, line
    with urllib.request.urlopen(found.group(0), timeout=30) as page:
        body = page.read().decode("utf-8")
        assert page.headers["Cache-Control"] == "no-store"
    assert "Write a letter asking for a change of social worker" in body


def test_the_case_file_the_web_form_saves_names_its_parts(parent: Parent,
                                                          tmp_path: Path) -> None:
    _finished(parent)
    text = _download(parent, "yaml").get_data(as_text=True)
    assert "# You: the person writing and signing the letter.\nsender:\n" in text
    (tmp_path / "case.yaml").write_text(text, encoding="utf-8")
    case = load_case(tmp_path / "case.yaml")
    assert case.sender.address == ("12 High Street", "Hastings", "TN34 1AA")
