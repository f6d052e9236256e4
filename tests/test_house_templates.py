"""House wording: a charity's templates replace ours by name, safely, with clear errors."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main
from letters.case.validate import load_case
from letters.compose.request import compose_letter, make_letter
from letters.errors import TemplateError
from letters.templating.environment import template_context
from letters.templating.families import VARIABLE_HELP, builtin_template_names, example_case
from letters.templating.readme import FIELD_HELP, variables_readme

from .conftest import TODAY


def skeleton_with(folder: Path, line: str) -> Path:
    """A change_request.md.j2 whose line 2 is ``line``."""
    folder.mkdir(exist_ok=True)
    (folder / "change_request.md.j2").write_text(f"Our letter\n{line}\n", encoding="utf-8")
    return folder


def render_error(case: Path, folder: Path) -> str:
    with pytest.raises(TemplateError) as caught:
        make_letter(load_case(case), today=TODAY, template_dirs=[str(folder)])
    return str(caught.value)


# --------------------------------------------------------------------------------------------
# Overriding


def test_a_template_in_the_folder_replaces_ours_by_name(runner: CliRunner, full_case: Path,
                                                        tmp_path: Path) -> None:
    ours = tmp_path / "ours"
    ours.mkdir()
    (ours / "ground_complaint.md.j2").write_text(
        "## Our complaint\n\nWe at Hillside helped the family complain on {{ g.made_on }}.\n",
        encoding="utf-8")
    result = runner.invoke(main, ["render", str(full_case), "-o", "-", "--templates", str(ours)])
    assert result.exit_code == 0, result.output
    assert "We at Hillside helped the family complain on 1 October 2026." in result.output
    assert "## My complaint" not in result.output
    # Templates the folder does not hold are still ours.
    assert "## What I am asking" in result.output


def test_the_override_applies_to_the_docx_too(runner: CliRunner, full_case: Path,
                                              tmp_path: Path) -> None:
    import docx

    ours = tmp_path / "ours"
    ours.mkdir()
    (ours / "ground_complaint.md.j2").write_text("## Our complaint\n\nRewritten.\n",
                                                 encoding="utf-8")
    out = tmp_path / "letter.docx"
    result = runner.invoke(main, ["render", str(full_case), "-o", str(out),
                                  "--templates", str(ours)])
    assert result.exit_code == 0, result.output
    text = [p.text for p in docx.Document(str(out)).paragraphs]
    assert "Our complaint" in text and "Rewritten." in text


# --------------------------------------------------------------------------------------------
# The sandbox: each escape is refused, names the template and line, and runs nothing.

ESCAPES = {
    "mro": "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "subclasses": "{% for c in ().__class__.__base__.__subclasses__() %}"
                  "{% if c.__name__ == 'catch_warnings' %}"
                  "{{ c()._module.__builtins__['open'](marker, 'w') }}{% endif %}{% endfor %}",
    "globals": "{{ lines.__globals__['__builtins__']['open'](marker, 'w') }}",
    "cycler_globals": "{{ cycler.__init__.__globals__.os.system('touch ' ~ marker) }}",
    "self": "{{ self._TemplateReference__context }}",
    # str.format reached through |attr skipped the sandbox's format checks before Jinja2 3.1.6
    # (CVE-2025-27516), and read the globals here.
    "attr_format": "{{ ('{0.__init__.__globals__}'|attr('format'))(cycler) }}",
}


@pytest.mark.parametrize("name", sorted(ESCAPES))
def test_the_sandbox_refuses_each_escape(name: str, minimal_case: Path, tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    folder = skeleton_with(tmp_path / "t", "{% set marker = '" + str(marker) + "' %}"
                           + ESCAPES[name])
    message = render_error(minimal_case, folder)
    assert message.startswith(f"{folder}/change_request.md.j2, line 2: the template tried to "
                              "reach into Python (access to attribute '_"), message
    assert "which templates may not do; nothing was run." in message
    assert not marker.exists()


def test_os_is_not_a_variable(minimal_case: Path, tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    folder = skeleton_with(tmp_path / "t", "{{ os.system('touch " + str(marker) + "') }}")
    assert render_error(minimal_case, folder) == (
        f'{folder}/change_request.md.j2, line 2: there is no variable "os". The variables are '
        "listed in the templates README (swletter templates export).")
    assert not marker.exists()


@pytest.mark.parametrize("line", ["{% import 'os' as os %}{{ os.system('true') }}",
                                  "{% from 'subprocess' import run %}",
                                  "{% include '../../../etc/passwd' %}"])
def test_imports_and_other_files_are_refused(line: str, minimal_case: Path,
                                            tmp_path: Path) -> None:
    folder = skeleton_with(tmp_path / "t", line)
    message = render_error(minimal_case, folder)
    assert message.startswith(f"{folder}/change_request.md.j2, line 2: there is no template "
                              "called '"), message
    assert "cannot import Python modules or read other files" in message


def test_arithmetic_that_would_hang_is_refused(minimal_case: Path, tmp_path: Path) -> None:
    folder = skeleton_with(tmp_path / "t", "{{ 'x' * 10 ** 9 }}")
    assert "repeating text that many times is not allowed" in render_error(minimal_case, folder)


# --------------------------------------------------------------------------------------------
# Mistakes: named with the template, the line and the variable; never a blank or "None".


def test_a_misspelt_field_names_its_line_and_the_right_spelling(minimal_case: Path,
                                                                tmp_path: Path) -> None:
    folder = skeleton_with(tmp_path / "t", "Yours, {{ sender.nmae }}")
    assert render_error(minimal_case, folder) == (
        f'{folder}/change_request.md.j2, line 2: a Sender has no "nmae". Did you mean "name"? '
        "Its fields are: name, address, relationship, email, phone, keep_relationship.")


def test_a_misspelt_variable_names_its_line(minimal_case: Path, tmp_path: Path) -> None:
    folder = skeleton_with(tmp_path / "t", "Dear {{ recipent.name }}")
    assert render_error(minimal_case, folder) == (
        f'{folder}/change_request.md.j2, line 2: there is no variable "recipent". Did you mean '
        '"recipient"? The variables are listed in the templates README (swletter templates '
        "export).")


def test_a_misspelt_field_inside_an_if_still_fails(minimal_case: Path, tmp_path: Path) -> None:
    folder = skeleton_with(tmp_path / "t", "{% if sender.emial %}Email me.{% endif %}")
    assert 'line 2: a Sender has no "emial". Did you mean "email"?' in render_error(
        minimal_case, folder)


def test_a_missing_optional_value_is_not_printed_as_none(minimal_case: Path,
                                                         tmp_path: Path) -> None:
    folder = skeleton_with(tmp_path / "t", "Email: {{ recipient.email }}")
    assert render_error(minimal_case, folder) == (
        f"{folder}/change_request.md.j2, line 2: the template printed None: a value is "
        "missing. Test it with {% if … %} before printing it. The line prints: "
        "{{ recipient.email }}.")


def test_a_ground_the_case_does_not_raise(minimal_case: Path, tmp_path: Path) -> None:
    folder = skeleton_with(tmp_path / "t", "{{ grounds.complaint.reference }}")
    assert render_error(minimal_case, folder) == (
        f'{folder}/change_request.md.j2, line 2: there is no "complaint" here. If it is a ground '
        'or a field a case may leave out, test it first, as in {% if "complaint" in grounds %} '
        "or {% if g.reference %}.")


def test_a_syntax_error_names_the_users_file(minimal_case: Path, tmp_path: Path) -> None:
    folder = skeleton_with(tmp_path / "t", "{% if sender.phone %}Phone me.")
    message = render_error(minimal_case, folder)
    assert message.startswith(f"{folder}/change_request.md.j2, line 2: Unexpected end of "
                              "template."), message
    assert "each {% if %} and {% for %} needs its {% endif %} or {% endfor %}" in message


def test_an_error_in_our_own_template_is_named_without_a_path(minimal_case: Path,
                                                             tmp_path: Path) -> None:
    folder = skeleton_with(tmp_path / "t", "{% include 'ground_communication_breakdown.md.j2' %}")
    message = render_error(minimal_case, folder)
    # The ground's template needs `g`, which only the real skeleton sets.
    assert message.startswith("ground_communication_breakdown.md.j2, line "), message


def test_a_template_error_through_the_cli_is_one_clear_line(runner: CliRunner,
                                                            minimal_case: Path,
                                                            tmp_path: Path) -> None:
    folder = skeleton_with(tmp_path / "t", "{{ ''.__class__ }}")
    result = runner.invoke(main, ["render", str(minimal_case), "-o", str(tmp_path / "l.docx"),
                                  "--templates", str(folder)])
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {folder}/change_request.md.j2, line 2: ")
    assert "Traceback" not in result.output
    assert not (tmp_path / "l.docx").exists()


# --------------------------------------------------------------------------------------------
# Export and check


def test_export_copies_every_template_and_a_readme(runner: CliRunner, tmp_path: Path) -> None:
    folder = tmp_path / "wording"
    result = runner.invoke(main, ["templates", "export", str(folder)])
    assert result.exit_code == 0, result.output
    names = builtin_template_names()
    assert sorted(p.name for p in folder.iterdir()) == sorted([*names, "README.md"])
    readme = (folder / "README.md").read_text(encoding="utf-8")
    assert "swletter templates check" in readme


def test_the_readme_lists_every_variable_the_letter_templates_receive() -> None:
    letter = compose_letter(example_case())
    context = template_context(letter)
    assert set(VARIABLE_HELP) == set(context), "describe each new variable in VARIABLE_HELP"
    readme = variables_readme()
    for name in context:
        assert f"| `{name}` |" in readme
    for field in ("reply_by", "salutation", "sign_off", "organisation", "date_of_birth",
                  "made_on", "incidents", "recommended_by"):
        assert f"- `{field}`" in readme or f"  - `{field}`" in readme


def test_field_help_names_real_fields() -> None:
    from letters.compose import request as compose

    for class_name, field in FIELD_HELP:
        assert hasattr(getattr(compose, class_name), field) or field in {
            f.name for f in __import__("dataclasses").fields(getattr(compose, class_name))}


def test_export_never_overwrites_without_force(runner: CliRunner, tmp_path: Path) -> None:
    folder = tmp_path / "wording"
    assert runner.invoke(main, ["templates", "export", str(folder)]).exit_code == 0
    (folder / "ground_complaint.md.j2").write_text("Our careful rewording.\n", encoding="utf-8")
    result = runner.invoke(main, ["templates", "export", str(folder)])
    assert result.exit_code == 1
    assert "Use --force to replace them, or choose another folder." in result.output
    assert (folder / "ground_complaint.md.j2").read_text(encoding="utf-8") == \
        "Our careful rewording.\n"


def test_check_passes_an_untouched_export(runner: CliRunner, tmp_path: Path) -> None:
    folder = tmp_path / "wording"
    runner.invoke(main, ["templates", "export", str(folder)])
    result = runner.invoke(main, ["templates", "check", str(folder)])
    assert result.exit_code == 0, result.output
    assert result.output == f"{folder}: {len(builtin_template_names())} templates, no problems.\n"


def test_check_reports_every_problem_with_file_and_line(runner: CliRunner,
                                                        tmp_path: Path) -> None:
    folder = tmp_path / "wording"
    folder.mkdir()
    (folder / "ground_complaint.md.j2").write_text(
        "## Complaint\n\nMade on {{ g.made_on }}.\n{% if g.reference %}\n", encoding="utf-8")
    (folder / "ground_recommended_worker.md.j2").write_text(
        "## A worker\n\nWe suggest {{ g.nmae }} {{ recomended }}.\n", encoding="utf-8")
    (folder / "change_requst.md.j2").write_text("Hello\n", encoding="utf-8")
    result = runner.invoke(main, ["templates", "check", str(folder)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert f"- {folder}/change_requst.md.j2: this replaces no built-in template, so it is " \
           'never used. Did you mean "change_request.md.j2"? Rename the file.' in lines
    assert any(line.startswith(f"- {folder}/ground_complaint.md.j2, line 4: Unexpected end of "
                               "template.") for line in lines), lines
    assert f'- {folder}/ground_recommended_worker.md.j2, line 3: there is no variable ' \
           '"recomended". The variables are listed in the README that `swletter templates ' \
           "export` writes." in lines
    # Found by writing the example letter through the folder: a field that does not exist.
    assert any(line.startswith(f"- {folder}/ground_recommended_worker.md.j2, line 3: there is "
                               'no "nmae" here.') for line in lines), lines
    assert lines[-1] == f"Error: 4 problems in {folder}."


def test_check_finds_an_optional_field_printed_without_a_test(runner: CliRunner,
                                                              tmp_path: Path) -> None:
    folder = tmp_path / "wording"
    folder.mkdir()
    (folder / "ground_complaint.md.j2").write_text(
        "## Complaint\n\nOur reference {{ g.reference }}.\n", encoding="utf-8")
    result = runner.invoke(main, ["templates", "check", str(folder)])
    assert result.exit_code == 1
    assert (f"- {folder}/ground_complaint.md.j2, line 3: the template printed None: a value is "
            "missing.") in result.output
    assert "only required fields" in result.output


def test_check_of_a_missing_folder(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["templates", "check", str(tmp_path / "nowhere")])
    assert result.exit_code == 1
    assert result.output == (f"Error: {tmp_path / 'nowhere'}: this is not a folder of templates. "
                             f"Make one with `swletter templates export {tmp_path / 'nowhere'}`.\n")


# --------------------------------------------------------------------------------------------
# Check, on a folder made to do harm (issue 13, items 2 and 3)


def test_check_reports_links_and_never_reads_through_them(runner: CliRunner,
                                                         tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("Invented secret: the sort code 12-34-56\n", encoding="utf-8")
    (tmp_path / "private").mkdir()
    folder = tmp_path / "wording"
    folder.mkdir()
    (folder / "change_request.md.j2").write_text("Our letter\n{% include 'leak.md.j2' %}\n",
                                                 encoding="utf-8")
    (folder / "leak.md.j2").symlink_to(secret)
    (folder / "private").symlink_to(tmp_path / "private", target_is_directory=True)
    result = runner.invoke(main, ["templates", "check", str(folder)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    for name in ("leak.md.j2", "private"):
        assert any(line.startswith(f"- {folder}/{name}: this is a symbolic link (a shortcut to "
                                   "a file or folder elsewhere).") for line in lines), lines
    assert "sort code" not in result.output
    assert lines[-1] == f"Error: 2 problems in {folder}."


def test_check_of_a_named_pipe_does_not_wait_for_it(tmp_path: Path) -> None:
    import subprocess
    import sys

    from .conftest import ROOT

    folder = tmp_path / "wording"
    folder.mkdir()
    (folder / "change_request.md.j2").write_text("Our letter\n", encoding="utf-8")
    os.mkfifo(folder / "ground_complaint.md.j2")
    result = subprocess.run([sys.executable, "-c", "from cli import main; main()", "templates",
                             "check", str(folder)], capture_output=True, text=True, timeout=60,
                            cwd=ROOT, check=False)
    assert result.returncode == 1
    assert result.stdout.startswith(f"- {folder}/ground_complaint.md.j2: this is not an "
                                     "ordinary file (it is a named pipe, a device or a "
                                     "socket)."), result.stdout


def test_check_of_a_template_that_would_fill_memory(runner: CliRunner, tmp_path: Path) -> None:
    # Checking compiles the template, and compiling works out constant expressions such as
    # this one: that happens in the process with limits, and the sandbox refuses it there.
    folder = tmp_path / "wording"
    folder.mkdir()
    (folder / "change_request.md.j2").write_text(
        'Our letter\n{{ "x"|center(3000000000)|length }}\n', encoding="utf-8")
    result = runner.invoke(main, ["templates", "check", str(folder)])
    assert result.exit_code == 1
    assert result.output.startswith(f"- {folder}/change_request.md.j2, line 2: a width above "
                                    "1000 is not allowed: a letter never needs so much"), \
        result.output


def test_check_of_a_template_that_keeps_the_processor_busy(
        runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from letters.templating import worker as template_worker

    monkeypatch.setattr(template_worker, "WALL_LIMIT_SECONDS", 120)  # the processor limit first
    folder = tmp_path / "wording"
    folder.mkdir()
    (folder / "ground_complaint.md.j2").write_text(
        "## Complaint\n{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}"
        "{% endfor %}\n", encoding="utf-8")
    result = runner.invoke(main, ["templates", "check", str(folder)])
    assert result.exit_code == 1
    # Reported once, not once per trial letter (each would cost the processor limit again).
    assert result.output == (
        f"- {folder}/ground_complaint.md.j2, line 2: the template took more than 2 seconds of "
        "processor time and was stopped. Writing a letter takes a fraction of a second: look "
        "for a loop inside a loop, or a macro that calls itself, and simplify it. (found by "
        "writing the request letter for the full example case)\n"
        f"Error: 1 problem in {folder}.\n")
