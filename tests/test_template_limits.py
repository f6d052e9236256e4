"""A charity's templates folder is untrusted: it cannot read other files, hang the program, fill
its memory or keep the processor busy, and its HTML cannot run or load anything in a letter.

Tests of ``swletter templates check`` on such folders are in ``test_house_templates.py``.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from click.testing import CliRunner

from cli import main
from letters.case.validate import load_case
from letters.compose.request import make_letter
from letters.errors import TemplateError

from .conftest import ROOT, TODAY

if TYPE_CHECKING:
    from letters.templating import worker as template_worker

SECRET = "Invented secret: the sort code 12-34-56"


def skeleton_with(folder: Path, line: str) -> Path:
    """A change_request.md.j2 whose line 2 is ``line``."""
    folder.mkdir(exist_ok=True)
    (folder / "change_request.md.j2").write_text(f"Our letter\n{line}\n", encoding="utf-8")
    return folder


def render_error(case: Path, folder: Path) -> str:
    with pytest.raises(TemplateError) as caught:
        make_letter(load_case(case), today=TODAY, template_dirs=[str(folder)])
    return str(caught.value)


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    path = tmp_path / "private" / "secret.txt"
    path.parent.mkdir()
    path.write_text(SECRET + "\n", encoding="utf-8")
    return path


def run_cli(*args: str, timeout: float = 30) -> subprocess.CompletedProcess[str]:
    """swletter in a process of its own, so a command that would hang fails the test."""
    return subprocess.run([sys.executable, "-c", "from cli import main; main()", *args],
                          capture_output=True, text=True, timeout=timeout, cwd=ROOT,
                          check=False)


# --------------------------------------------------------------------------------------------
# Only ordinary files inside the folder are templates (issue 13, item 2)


def test_a_template_linked_to_a_private_file_is_refused(runner: CliRunner, minimal_case: Path,
                                                        secret: Path, tmp_path: Path) -> None:
    folder = skeleton_with(tmp_path / "t", "{% include 'leak.md.j2' %}")
    (folder / "leak.md.j2").symlink_to(secret)
    out = tmp_path / "letter.md"
    result = runner.invoke(main, ["render", str(minimal_case), "-o", str(out),
                                  "--templates", str(folder)])
    assert result.exit_code == 1
    assert SECRET not in result.output
    assert result.output.startswith(f"Error: {folder}/leak.md.j2: this is a symbolic link "), \
        result.output
    assert "Put a copy of the file (or folder) itself here, or delete the link." in result.output
    assert not out.exists()


def test_a_linked_folder_inside_the_templates_folder_is_refused(minimal_case: Path,
                                                               secret: Path,
                                                               tmp_path: Path) -> None:
    folder = skeleton_with(tmp_path / "t", "{% include 'private/secret.txt' %}")
    (folder / "private").symlink_to(secret.parent, target_is_directory=True)
    message = render_error(minimal_case, folder)
    assert message.startswith(f"{folder}/private: this is a symbolic link"), message
    assert SECRET not in message


def test_a_linked_template_is_not_replaced_by_ours(minimal_case: Path, tmp_path: Path) -> None:
    # The user meant their wording to be used: a link is an error, never a quiet fallback.
    mine = tmp_path / "elsewhere.md.j2"
    mine.write_text("My wording\n", encoding="utf-8")
    folder = tmp_path / "t"
    folder.mkdir()
    (folder / "change_request.md.j2").symlink_to(mine)
    assert render_error(minimal_case, folder).startswith(
        f"{folder}/change_request.md.j2: this is a symbolic link")


def test_the_folder_itself_may_be_reached_through_a_link(minimal_case: Path,
                                                        tmp_path: Path) -> None:
    # The folder is the user's choice (a shared drive, say); only what is inside is checked.
    real = skeleton_with(tmp_path / "real", "Our own words.")
    (tmp_path / "wording").symlink_to(real, target_is_directory=True)
    rendered = make_letter(load_case(minimal_case), today=TODAY,
                           template_dirs=[str(tmp_path / "wording")])
    assert rendered.markdown == "Our letter\nOur own words.\n"


def _named_pipe(path: Path) -> None:
    os.mkfifo(path)


def _socket_file(path: Path) -> None:
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    server.close()


@pytest.mark.parametrize("make", [_named_pipe, _socket_file], ids=["named pipe", "socket"])
def test_a_template_that_is_not_an_ordinary_file_is_refused_without_waiting(
        make: object, minimal_case: Path, tmp_path: Path) -> None:
    folder = skeleton_with(tmp_path / "t", "{% include 'odd.md.j2' %}")
    assert callable(make)
    make(folder / "odd.md.j2")
    result = run_cli("render", str(minimal_case), "-o", str(tmp_path / "l.md"),
                     "--templates", str(folder))
    assert result.returncode == 1
    assert result.stderr.startswith(f"Error: {folder}/odd.md.j2: this is not an ordinary file "
                                    "(it is a named pipe, a device or a socket)."), result.stderr


def test_a_template_larger_than_the_limit_is_refused(minimal_case: Path, tmp_path: Path) -> None:
    folder = tmp_path / "t"
    folder.mkdir()
    (folder / "change_request.md.j2").write_text("Words. " * (1024 * 1024 // 7 + 1),
                                                 encoding="utf-8")
    assert render_error(minimal_case, folder) == (
        f"{folder}/change_request.md.j2: this template is larger than 1024 KiB. A letter's "
        "wording is a few pages at most: check that this is the right file.")


def test_the_loader_never_follows_a_link_anywhere_in_the_path(tmp_path: Path,
                                                             secret: Path) -> None:
    from letters.templating.loader import TemplateFileError, read_template_bytes

    folder = tmp_path / "t"
    (folder / "a" / "b").mkdir(parents=True)
    (folder / "a" / "b" / "c").symlink_to(secret)
    with pytest.raises(TemplateFileError) as caught:
        read_template_bytes(str(folder), ["a", "b", "c"])
    assert caught.value.path == str(folder / "a" / "b" / "c")
    assert read_template_bytes(str(folder), ["a", "missing"]) is None


def test_a_file_swapped_for_a_link_after_it_was_looked_at_is_refused(
        tmp_path: Path, secret: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from letters.templating import loader as template_loader

    folder = tmp_path / "t"
    folder.mkdir()
    (folder / "innocent.md.j2").write_text("Words\n", encoding="utf-8")
    (folder / "leak.md.j2").symlink_to(secret)
    real_stat = os.stat
    looked: list[str] = []

    def stat_before_the_swap(path: object, *args: object, **kwargs: object) -> os.stat_result:
        # The first look at leak.md.j2 sees the ordinary file it was a moment before.
        if path == "leak.md.j2" and not looked:
            looked.append("once")
            path = "innocent.md.j2"
        return real_stat(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(template_loader.os, "stat", stat_before_the_swap)
    with pytest.raises(TemplateError) as caught:
        template_loader.read_template_bytes(str(folder), ["leak.md.j2"])
    assert str(caught.value).startswith(f"{folder}/leak.md.j2: this is a symbolic link")
    assert looked == ["once"]


def test_a_template_that_cannot_be_read_is_named(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from letters.templating import loader as template_loader

    folder = skeleton_with(tmp_path / "t", "Words")
    real_open = os.open

    def refuse(path: object, flags: int, *args: object, **kwargs: object) -> int:
        if path == "change_request.md.j2":
            raise PermissionError(13, "Permission denied")
        return real_open(path, flags, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(template_loader.os, "open", refuse)
    with pytest.raises(TemplateError) as caught:
        template_loader.read_template_bytes(str(folder), ["change_request.md.j2"])
    assert str(caught.value) == (
        f"{folder}/change_request.md.j2: this cannot be read (Permission denied). Check that it "
        "is yours to read, or copy it again.")


@pytest.fixture
def case_folder(shared_examples: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "examples"
    shutil.copytree(shared_examples, folder)
    for path in folder.rglob("*"):
        path.chmod(0o700 if path.is_dir() else 0o600)
    return folder


@pytest.mark.parametrize(("command", "template"), [
    (["render", "{case}", "-o", "{out}/l.md"], "change_request.md.j2"),
    (["followup", "{case}", "--kind", "chaser", "--date", "2026-12-10", "-o", "{out}/f.md"],
     "followup_chaser.md.j2"),
    (["statement", "{case}", "-o", "{out}/s.md"], "supporting_statement.md.j2"),
    (["bulk", "{case}", "--out", "{out}/bulk", "--format", "md"], "change_request.md.j2"),
])
def test_every_command_refuses_a_linked_template(runner: CliRunner, case_folder: Path,
                                                 secret: Path, tmp_path: Path,
                                                 command: list[str], template: str) -> None:
    folder = tmp_path / "t"
    folder.mkdir()
    (folder / template).symlink_to(secret)
    args = [a.format(case=case_folder / "case-full.yaml", out=tmp_path) for a in command]
    result = runner.invoke(main, [*args, "--templates", str(folder)])
    assert result.exit_code == 1, result.output
    assert f"{folder}/{template}: this is a symbolic link" in result.output
    assert SECRET not in result.output
    assert not [p for p in tmp_path.rglob("*.md") if "examples" not in p.parts]


# --------------------------------------------------------------------------------------------
# Memory and time (issue 13, item 3). First what the sandbox refuses at once, by name:

REFUSED = {
    "center": ('{{ "x"|center(3000000000)|length }}', "a width above 1000 is not allowed"),
    "indent": ('{{ "x\\ny"|indent(10**9)|length }}', "an indent above 1000 is not allowed"),
    "format filter": ('{{ "%1000000000s"|format("x")|length }}',
                      "a format width or precision above 1000 is not allowed"),
    "percent": ('{{ ("%.1000000000f" % 1)|length }}',
                "a format width or precision above 1000 is not allowed"),
    "str.format": ('{{ "{:>1000000000}".format(1)|length }}',
                   "a format width or precision above 1000, or taken from a value, is not "
                   "allowed"),
    # Through |attr, str.format skipped these checks before Jinja2 3.1.6 (CVE-2025-27516).
    "str.format by attr": ('{{ ("{:>1000000000}"|attr("format"))(1)|length }}',
                           "a format width or precision above 1000, or taken from a value, is "
                           "not allowed"),
    "ljust": ('{{ "x".ljust(3000000000)|length }}', "a width above 1000 is not allowed"),
    "replace doubling": ('{% set ns = namespace(s="x") %}{% for i in range(40) %}'
                         '{% set ns.s = ns.s|replace("x", "xx") %}{% endfor %}{{ ns.s|length }}',
                         "text longer than 8,000,000 characters is not allowed"),
    "+ doubling": ('{% set ns = namespace(s="x") %}{% for i in range(40) %}'
                   '{% set ns.s = ns.s + ns.s %}{% endfor %}{{ ns.s|length }}',
                   "text longer than 8,000,000 characters is not allowed"),
    "batch": ("{{ [1]|batch(1000000000, 0)|list|length }}",
              "a batch size above 100000 is not allowed"),
    "slice": ("{{ [1]|slice(1000000000)|list|length }}",
              "a number of slices above 100000 is not allowed"),
    "lipsum": ("{{ lipsum(n=10000000)|length }}",
               "placeholder text of more than 100 paragraphs of 1000 words is not allowed"),
    "power tower": ("{{ ((2 ** 100) ** 100) ** 100 }}",
                    "a number with more than 3,000 digits is not allowed"),
}


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_expressions_that_would_fill_memory_are_refused_by_name(name: str, minimal_case: Path,
                                                               tmp_path: Path) -> None:
    line, refusal = REFUSED[name]
    folder = skeleton_with(tmp_path / "t", line)
    assert render_error(minimal_case, folder) == (
        f"{folder}/change_request.md.j2, line 2: {refusal}: a letter never needs so much, and "
        "it could use up the computer's memory or time. Use a smaller number.")


def test_ordinary_widths_and_formats_still_work(minimal_case: Path, tmp_path: Path) -> None:
    folder = skeleton_with(tmp_path / "t", '{{ "ab"|center(6) }}|{{ "%5s" % "x" }}|'
                           '{{ "{:>4}".format(7) }}|{{ "a-b"|replace("-", "+") }}|'
                           "{{ 2 ** 10 }}|{{ [1, 2, 3]|batch(2)|list|length }}")
    rendered = make_letter(load_case(minimal_case), today=TODAY, template_dirs=[str(folder)])
    assert rendered.markdown == "Our letter\n  ab  |    x|   7|a+b|1024|2\n"


# … and then what only the limits of the process templates run in can stop.


def _worker_pid() -> int:
    from letters.templating import worker as template_worker

    pid = template_worker.run_limited(os.getpid, label="test")
    assert isinstance(pid, int) and pid != os.getpid()
    return pid


def _gone(pid: int) -> bool:
    """Whether process ``pid`` has ended (a zombie that no one has reaped yet has ended)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    with contextlib.suppress(OSError):
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    return False


@pytest.mark.parametrize("line", [
    "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
    "{% macro f(n) %}{% if n %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}{% endmacro %}{{ f(40) }}",
], ids=["loops inside loops", "a macro that calls itself twice"])
def test_a_template_that_keeps_the_processor_busy_is_stopped(
        line: str, minimal_case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from letters.templating import worker as template_worker

    # The clock limit has its own test: here it must not fire first on a busy machine.
    monkeypatch.setattr(template_worker, "WALL_LIMIT_SECONDS", 120)
    before = _worker_pid()
    folder = skeleton_with(tmp_path / "t", line)
    message = render_error(minimal_case, folder)
    assert message.startswith(f"{folder}/change_request.md.j2, line 2: the template took more "
                              "than 2 seconds of processor time and was stopped."), message
    # The process was ended and reaped, and the next letter gets a fresh one.
    assert _gone(before)
    assert _worker_pid() != before


def test_a_template_that_fills_memory_is_stopped(minimal_case: Path, tmp_path: Path) -> None:
    # ~ joins text where the sandbox cannot see the size: only the memory limit stops it.
    folder = skeleton_with(tmp_path / "t", '{% set ns = namespace(s="x") %}'
                           "{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}"
                           "{{ ns.s|length }}")
    message = render_error(minimal_case, folder)
    assert message.startswith(f"{folder}/change_request.md.j2, line 2: the template needed "
                              "more than 512 MB of memory and was stopped."), message


def test_a_template_that_writes_too_much_is_stopped(minimal_case: Path, tmp_path: Path) -> None:
    folder = skeleton_with(tmp_path / "t", '{% for i in range(100000) %}{{ "x" * 100000 }}'
                                           "{% endfor %}")
    assert render_error(minimal_case, folder) == (
        f"{folder}/change_request.md.j2: the template wrote more than 8 million characters and "
        "was stopped. A letter is a few pages: look for a loop that prints too much.")


def test_a_macro_that_never_stops_calling_itself(minimal_case: Path, tmp_path: Path) -> None:
    folder = skeleton_with(tmp_path / "t", "{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}"
                                           "{{ f(0) }}")
    assert render_error(minimal_case, folder) == (
        f"{folder}/change_request.md.j2, line 2: the template calls itself (through a macro or "
        "an include) too many times over. Make sure each macro that calls itself stops.")


def test_a_render_that_does_not_finish_by_the_clock_is_stopped(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from letters.templating import worker as template_worker

    # The clock is the last guard, for a system without processor limits or a process stuck
    # waiting: the parent never waits longer.
    before = _worker_pid()
    monkeypatch.setattr(template_worker, "WALL_LIMIT_SECONDS", 0.5)
    with pytest.raises(template_worker.TemplateLimitError) as caught:
        template_worker.run_limited(time.sleep, 30, label="t/change_request.md.j2")
    assert str(caught.value).startswith("t/change_request.md.j2: the template did not finish "
                                        "within 0.5 seconds and was stopped.")
    assert _gone(before)


def test_a_process_that_dies_is_reported_and_replaced() -> None:
    from letters.templating import worker as template_worker

    before = _worker_pid()
    with pytest.raises(template_worker.TemplateLimitError) as caught:
        template_worker.run_limited(os.kill, before, signal.SIGKILL, label="t/x.md.j2")
    assert str(caught.value).startswith("t/x.md.j2: the process that runs templates ended "
                                        "while writing from this template;")
    assert _gone(before)
    assert _worker_pid() != before


def test_the_process_ends_when_swletter_is_killed(tmp_path: Path) -> None:
    script = ("import os, sys\n"
              "from letters.templating import worker as template_worker\n"
              "print(template_worker.run_limited(os.getpid, label='x'), flush=True)\n"
              "os.kill(os.getpid(), 9)\n")
    parent = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            timeout=60, cwd=ROOT, check=False)
    child = int(parent.stdout.strip())
    deadline = time.monotonic() + 10
    while not _gone(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _gone(child)


@contextlib.contextmanager
def counting_workers(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    from letters.templating import worker as template_worker

    started: list[int] = []
    real = template_worker._Worker.__init__

    def counted(self: template_worker._Worker) -> None:
        real(self)
        started.append(self.process.pid)

    monkeypatch.setattr(template_worker._Worker, "__init__", counted)
    template_worker._stop_worker()
    yield started


def test_swletters_own_templates_start_no_process(minimal_case: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    with counting_workers(monkeypatch) as started:
        make_letter(load_case(minimal_case), today=TODAY)
    assert started == []


def test_a_bulk_run_uses_one_process_for_every_letter(runner: CliRunner, case_folder: Path,
                                                      tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "t"
    folder.mkdir()
    (folder / "ground_complaint.md.j2").write_text("## Our complaint\n\nRewritten.\n",
                                                   encoding="utf-8")
    text = (case_folder / "case-full.yaml").read_text(encoding="utf-8")
    cases = []
    for n in range(4):
        cases.append(case_folder / f"case-{n}.yaml")
        cases[-1].write_text(text, encoding="utf-8")
    with counting_workers(monkeypatch) as started:
        result = runner.invoke(main, ["bulk", *map(str, cases), "--out", str(tmp_path / "out"),
                                      "--format", "md", "--jobs", "1",
                                      "--templates", str(folder)])
    assert result.exit_code == 0, result.output
    letters = sorted((tmp_path / "out").glob("*.md"))
    assert len(letters) == 4
    assert all("Rewritten." in p.read_text(encoding="utf-8") for p in letters)
    assert len(started) == 1


# --------------------------------------------------------------------------------------------
# HTML from a template (issue 13, item 10)


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text += data


def test_html_in_a_template_is_shown_as_text_and_cannot_run_or_load(
        runner: CliRunner, minimal_case: Path, tmp_path: Path) -> None:
    folder = skeleton_with(
        tmp_path / "t",
        '<script>alert(1)</script> <img src="http://127.0.0.1:8765/beacon.png">\n\n'
        '<iframe src="http://127.0.0.1:8765/frame"></iframe>\n\n'
        "![logo](http://127.0.0.1:8765/logo.png)")
    out = tmp_path / "letter.html"
    result = runner.invoke(main, ["render", str(minimal_case), "-o", str(out),
                                  "--templates", str(folder)])
    assert result.exit_code == 0, result.output
    page = _Tags()
    page.feed(out.read_text(encoding="utf-8"))
    names = [tag for tag, _ in page.tags]
    assert not {"script", "img", "iframe"} & set(names), names
    assert '<script>alert(1)</script> <img src="http://127.0.0.1:8765/beacon.png">' in page.text
    assert '<iframe src="http://127.0.0.1:8765/frame"></iframe>' in page.text
    assert "logo" in page.text and "8765/logo.png" not in page.text
    assert not any(v and "8765" in v for _, attrs in page.tags for v in attrs.values())
    policies = [attrs.get("content") or "" for tag, attrs in page.tags if tag == "meta"
                and (attrs.get("http-equiv") or "").lower() == "content-security-policy"]
    assert len(policies) == 1
    directives = dict(re.match(r"\s*(\S+)\s*(.*)", d).groups()  # type: ignore[union-attr]
                      for d in policies[0].split(";") if d.strip())
    assert directives["default-src"] == "'none'"
    assert "script-src" not in directives and "img-src" not in directives
    assert directives["style-src"].startswith("'sha256-")  # our own style sheet, nothing else
