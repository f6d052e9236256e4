"""The web form in a real browser (Debian's chromium, driven by Playwright), served by waitress:
a parent completes the whole journey with the keyboard alone, with and without JavaScript, and
downloads a letter whose text is checked; every page has no accessibility violations (axe-core);
saved answers resume at check your answers; a form without its token is refused; nothing one
parent typed reaches another's pages or the server's log.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
import pytest

from .browser import CHROMIUM, CHROMIUM_ARGS, require_browser, served
from .conftest import TODAY
from .web_parent import JOURNEY

#: The journey with every typed answer marked as no question's example is, and those answers,
#: to look for where they must not be.
MARKED = [(key, value.replace("\n", " Qzv\n") + " Qzv" if isinstance(value, str) and value
           and not value.isdigit() and value not in ("yes", "no") else value)
          for key, value in JOURNEY]
TYPED = [line for (_, value), (_, plain) in zip(MARKED, JOURNEY, strict=True)
         if value != plain for line in value.splitlines()]


class _Log(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture(scope="module")
def server_log() -> Iterator[_Log]:
    handler = _Log()
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield handler
    root.removeHandler(handler)
    root.setLevel(old_level)


@pytest.fixture(scope="module")
def address(server_log: _Log) -> Iterator[str]:
    require_browser()
    with served(lambda: TODAY) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                              args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(accept_downloads=True)
    yield context.new_page()
    context.close()


@pytest.fixture
def page_without_scripts(browser: Any) -> Iterator[Any]:
    context = browser.new_context(accept_downloads=True, java_script_enabled=False)
    yield context.new_page()
    context.close()


# --------------------------------------------------------------------------------------------
# The keyboard alone


def _focused(page: Any) -> dict[str, str]:
    """The focused element's tag, type, name and value, read through the accessibility tree
    and the DOM (works with the page's scripts off)."""
    handle = page.locator(":focus")
    if handle.count() == 0:
        return {}
    return {k: handle.get_attribute(k) or "" for k in ("type", "name", "value", "id", "class")}


def _tab_to(page: Any, wanted: Any, limit: int = 80) -> dict[str, str]:
    for _ in range(limit):
        page.keyboard.press("Tab")
        here = _focused(page)
        if here and wanted(here):
            return here
    raise AssertionError("could not reach the element with the Tab key")


def _answer_by_keyboard(page: Any, value: Any) -> None:
    """Give one answer with the keyboard, as a person would, and send it."""
    if isinstance(value, tuple):
        for part, text in zip(("day", "month", "year"), value, strict=True):
            _tab_to(page, lambda f, p=part: f["id"] == f"answer-{p}")
            page.keyboard.type(text)
    elif isinstance(value, list):
        for number in value:
            _tab_to(page, lambda f, n=number: f["type"] == "checkbox" and f["value"] == n)
            page.keyboard.press("Space")
    elif page.locator("input[type=radio][name=answer]").count():
        here = _tab_to(page, lambda f: f["type"] == "radio")
        for _ in range(12):
            if here["value"] == value:
                break
            page.keyboard.press("ArrowDown")
            here = _focused(page)
        page.keyboard.press("Space")
    else:
        _tab_to(page, lambda f: f["id"] == "answer")
        page.keyboard.press("Control+a")
        page.keyboard.press("Delete")
        if value:
            page.keyboard.type(value)
    _tab_to(page, lambda f: f["type"] == "submit" and "button" in f["class"].split()
            and f["name"] == "")
    with page.expect_navigation():
        page.keyboard.press("Enter")


def _journey_by_keyboard(page: Any, address: str) -> None:
    page.goto(address + "/")
    _tab_to(page, lambda f: "button--start" in f["class"])
    with page.expect_navigation():
        page.keyboard.press("Enter")
    for key, value in JOURNEY:
        assert page.locator("input[name=state]").first.input_value().find(f'"at":"{key}"') > 0, \
            (key, page.title())
        _answer_by_keyboard(page, value)
        assert page.locator(".error-summary").count() == 0, (key, page.content()[:2000])
    assert page.locator("h1").inner_text() == "Check your answers"


def _download_by_keyboard(page: Any, value: str) -> bytes:
    _tab_to(page, lambda f: f["name"] == "format" and f["value"] == value)
    with page.expect_download() as caught:
        page.keyboard.press("Enter")
    path = caught.value.path()
    return Path(path).read_bytes()


def _check_the_letter(page: Any) -> None:
    _tab_to(page, lambda f: f["type"] == "submit" and f["class"] == "button"
            and f["name"] == "")  # "Read your letter"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("h1").inner_text() == "Your letter"
    assert "Dear Ms Patel" in page.locator("article.letter").inner_text()
    letter = docx.Document(io.BytesIO(_download_by_keyboard(page, "docx")))
    text = "\n".join(p.text for p in letter.paragraphs)
    assert "Dear Ms Patel" in text
    assert "I am writing as the mother of Sam Doe (born 2 May 2017)" in text
    assert "Since April most of my emails about contact have gone unanswered (Enclosure 1)." \
        in text
    assert "1. 3 April 2026 — Email: My email asking about contact, with no reply." in text \
        or "3 April 2026 — Email: My email asking about contact, with no reply." in text


def test_a_parent_completes_the_journey_with_the_keyboard_alone(page: Any, address: str) -> None:
    _journey_by_keyboard(page, address)
    _check_the_letter(page)


def test_the_same_journey_with_javascript_turned_off(page_without_scripts: Any,
                                                     address: str) -> None:
    _journey_by_keyboard(page_without_scripts, address)
    _check_the_letter(page_without_scripts)
    assert _download_by_keyboard(page_without_scripts, "pdf").startswith(b"%PDF-")


# --------------------------------------------------------------------------------------------
# Accessibility: every page


def _axe(page: Any, label: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    assert results.violations_count == 0, f"{label}: {results.generate_report()}"


def _fill_and_send(page: Any, value: Any, **extra: str) -> None:
    if isinstance(value, tuple):
        for part, text in zip(("day", "month", "year"), value, strict=True):
            page.fill(f"#answer-{part}", text)
    elif isinstance(value, list):
        for number in value:
            page.check(f"input[name=answer][value='{number}']")
    elif page.locator("input[type=radio][name=answer]").count():
        page.check(f"input[name=answer][value='{value}']")
    else:
        page.fill("#answer", value)
    button = "form[action='/questions'] button[type=submit]"
    if extra.get("tone") and page.locator(".tone-advice").count():
        button += f"[value='{extra['tone']}']"
    with page.expect_navigation():
        page.click(button)


def test_every_page_has_no_accessibility_violations(page: Any, address: str) -> None:
    page.goto(address + "/")
    _axe(page, "start")
    page.goto(address + "/questions")
    seen_widgets = set()
    for key, value in JOURNEY:
        widget = key if "[" not in key else key.split("]")[-1]
        if widget not in seen_widgets:
            seen_widgets.add(widget)
            _axe(page, key)
        if key == "sender.name":
            _fill_and_send(page, "")
            assert page.locator(".error-summary").count() == 1
            _axe(page, "an error")
        if key == "children[1].date_of_birth":
            _fill_and_send(page, ("31", "2", "2017"))
            _axe(page, "a date error")
        if key == "grounds.communication_breakdown.summary":
            _fill_and_send(page, "The visit was COMPLETELY missed!!!")
            assert page.locator(".tone-advice").count() == 1
            _axe(page, "tone advice")
        _fill_and_send(page, value)
    assert page.locator("h1").inner_text() == "Check your answers"
    _axe(page, "check your answers")
    with page.expect_navigation():
        page.click("button:has-text('Read your letter')")
    _axe(page, "the letter")
    page.goto(address + "/no-such-page")
    _axe(page, "not found")
    page.goto(address + "/")
    page.set_input_files("#case_file", files=[{"name": "case.yaml", "mimeType": "text/yaml",
                                               "buffer": b"sender: [1, 2]\n"}])
    with page.expect_navigation():
        page.click("button:has-text('Continue from saved answers')")
    assert page.locator(".error-summary").count() == 1
    _axe(page, "a bad upload")


# --------------------------------------------------------------------------------------------
# Saved answers, CSRF, and nothing shared


def test_saved_answers_resume_at_check_your_answers(page: Any, address: str,
                                                    tmp_path: Path) -> None:
    page.goto(address + "/questions")
    for _, value in JOURNEY:
        _fill_and_send(page, value)
    with page.expect_download() as caught:
        page.click("button[value=yaml]")
    saved = tmp_path / "case.yaml"
    saved.write_bytes(Path(caught.value.path()).read_bytes())
    page.goto(address + "/")
    page.set_input_files("#case_file", str(saved))
    with page.expect_navigation():
        page.click("button:has-text('Continue from saved answers')")
    assert page.locator("h1").inner_text() == "Check your answers"
    assert "Jane Doe" in page.locator("main").inner_text()


def test_a_form_sent_without_its_token_is_refused(page: Any, address: str) -> None:
    page.goto(address + "/questions")
    page.check("input[name=answer][value='1']")  # the part of the UK comes first
    page.evaluate("document.querySelector(\"form[action='/questions'] "
                  "input[name=csrf_token]\").remove()")
    with page.expect_navigation():
        page.click("form[action='/questions'] button[type=submit]")
    assert page.locator("h1").inner_text() == "This form could not be sent"
    response = page.request.post(address + "/questions", form={"answer": "1"})
    assert response.status == 400


def test_no_page_or_log_shows_one_parents_answers_to_another(browser: Any, address: str,
                                                             server_log: _Log) -> None:
    first = browser.new_context()
    other = browser.new_context()
    try:
        mine = first.new_page()
        mine.goto(address + "/questions")
        for _, value in MARKED:
            _fill_and_send(mine, value, tone="keep")
        with mine.expect_navigation():
            mine.click("button:has-text('Read your letter')")
        theirs = other.new_page()
        pages = []
        for path in ("/", "/no-such-page", "/questions"):
            theirs.goto(address + path)
            pages.append(theirs.content())
        _fill_and_send(theirs, "1")  # the part of the UK comes first
        _fill_and_send(theirs, "Tom Green")
        pages.append(theirs.content())
        assert mine.locator("h1").inner_text() == "Your letter"
        assert len(TYPED) > 15
        for text in TYPED:
            for html in pages:
                assert text not in html
            assert not [line for line in server_log.lines if text in line]
        assert not [c for c in other.cookies() if c["name"] != "swletter_csrf"]
    finally:
        first.close()
        other.close()
