"""Privacy and safety: letters are owner-only, nothing goes over the network, and errors and
reports carry no personal data beyond the file and field at fault.

Letters hold sensitive facts about children and are often made on a shared computer (a family
PC, a charity's office machine).
"""

from __future__ import annotations

import builtins
import io
import logging
import os
import shutil
import socket
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

import letters.api
from cli import main
from letters.case.validate import load_case
from letters.errors import CaseError

#: Invented personal details (unlike any example text in swletter's messages) that no message,
#: report or log may repeat.
PERSONAL = ["Keziah", "Okonkwo", "Tobiah", "Quennell", "Marisol", "99 Larkspur Rise", "Wetherby",
            "LS22 9ZZ", "keziah@example.org", "Orla Fenwick", "Fenwick", "Barnaby Twist",
            "Cosmo Vell", "QX-7731"]


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _copy_full_case(shared_examples: Path, folder: Path) -> Path:
    shutil.copytree(shared_examples, folder / "case")
    return folder / "case" / "case-full.yaml"


# --------------------------------------------------------------------------------------------
# Owner-only files


@pytest.fixture
def usual_umask() -> Iterator[None]:
    """The common umask, under which new files are readable by everyone unless made otherwise."""
    old = os.umask(0o022)
    yield
    os.umask(old)


@pytest.mark.parametrize("fmt", ["docx", "md", "html"])
def test_letters_are_owner_only(runner: CliRunner, tmp_path: Path, full_case: Path,
                                fmt: str, usual_umask: None) -> None:
    out = tmp_path / f"letter.{fmt}"
    result = runner.invoke(main, ["render", str(full_case), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert _mode(out) == 0o600


def test_bulk_letters_report_and_combined_file_are_owner_only(runner: CliRunner, tmp_path: Path,
                                                              full_case: Path,
                                                              usual_umask: None) -> None:
    out = tmp_path / "out"
    result = runner.invoke(main, ["bulk", str(full_case), "--out", str(out), "--combined",
                                  str(tmp_path / "all.docx")])
    assert result.exit_code == 0, result.output
    assert _mode(out) == 0o700  # the folder it made, too
    written = sorted(out.iterdir())
    assert [p.name for p in written] == [".swletter", "bulk-report.csv", "letter-case-full.docx"]
    # What the run remembers of each letter (and its lock) is private too.
    assert _mode(out / ".swletter") == 0o700
    kept = sorted((out / ".swletter").iterdir())
    assert [p.name for p in kept] == ["bulk.lock", "letters.jsonl"]
    for path in [*written[1:], *kept, tmp_path / "all.docx"]:
        assert _mode(path) == 0o600, path.name


def test_statement_and_example_are_owner_only(runner: CliRunner, tmp_path: Path,
                                              full_case: Path, usual_umask: None) -> None:
    out = tmp_path / "statement.docx"
    assert runner.invoke(main, ["statement", str(full_case), "-o", str(out)]).exit_code == 0
    assert _mode(out) == 0o600
    assert runner.invoke(main, ["example", str(tmp_path / "ex")]).exit_code == 0
    assert _mode(tmp_path / "ex" / "case.yaml") == 0o600


# --------------------------------------------------------------------------------------------
# No network


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Any attempt to open a connection or look up a name fails the test (and is recorded)."""
    attempts: list[str] = []

    def refuse(name: str) -> Any:
        def blocked(*args: Any, **kwargs: Any) -> Any:
            attempts.append(name)
            raise OSError(f"network access attempted: {name}")
        return blocked

    for name in ("socket", "create_connection", "getaddrinfo", "gethostbyname"):
        monkeypatch.setattr(socket, name, refuse(name))
    return attempts


def test_no_network_access(runner: CliRunner, tmp_path: Path, full_case: Path,
                           no_network: list[str]) -> None:
    for fmt in ("docx", "md", "html"):
        result = runner.invoke(main, ["render", str(full_case), "-o",
                                      str(tmp_path / f"letter.{fmt}")])
        assert result.exit_code == 0, result.output
    assert runner.invoke(main, ["check", str(full_case)]).exit_code == 0
    assert runner.invoke(main, ["statement", str(full_case), "-o",
                                str(tmp_path / "statement.md")]).exit_code == 0
    result = runner.invoke(main, ["bulk", str(full_case), "--out", str(tmp_path / "bulk")])
    assert result.exit_code == 0, result.output
    assert no_network == []


# --------------------------------------------------------------------------------------------
# No personal data in messages, reports or logs


def _broken_full_case(shared_examples: Path, folder: Path) -> Path:
    """The full example for an invented family, with a mistake in most places that hold
    personal details."""
    data = yaml.safe_load((shared_examples / "case-full.yaml").read_text(encoding="utf-8"))
    data["sender"].update(name="Keziah Okonkwo", email="keziah@example.org",
                          address="99 Larkspur Rise, Wetherby, LS22 9ZZ")  # text, not a list
    data["children"][0]["name"] = {"first": "Tobiah", "last": "Quennell"}
    data["children"][1].update(name="Marisol Quennell", date_of_birth="Marisol's birthday")
    data["grounds"]["child_not_engaging"]["child"] = "Tobiah Quennell"  # not one of them now
    data["recipient"] = "Orla Fenwick, 99 Larkspur Rise"
    data["social_worker"]["name"] = ["Barnaby", "Twist"]
    data["evidence"][0]["file"] = "evidence/missing.txt"
    data["supporting_statements"][0].update(author="Cosmo Vell", date="Cosmo Vell's letter")
    data["case_reference"] = {"QX-7731": True}
    path = folder / "case.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_validation_errors_name_file_and_field_but_no_personal_data(
        shared_examples: Path, tmp_path: Path) -> None:
    path = _broken_full_case(shared_examples, tmp_path)
    with pytest.raises(CaseError) as err:
        load_case(path)
    message = str(err.value)
    fields = [p.path for p in err.value.problems]
    assert {"sender.address", "children[1].name", "children[2].date_of_birth",
            "grounds.child_not_engaging.child", "recipient", "social_worker.name",
            "supporting_statements[1].date", "case_reference"} <= set(fields)
    assert message.startswith(f"{path} has {len(fields)} problems:")
    leaked = [word for word in PERSONAL if word in message]
    assert leaked == []


def test_bulk_report_and_summary_carry_no_personal_data(runner: CliRunner, tmp_path: Path,
                                                        shared_examples: Path) -> None:
    path = _broken_full_case(shared_examples, tmp_path)
    report = tmp_path / "report.csv"
    result = runner.invoke(main, ["bulk", str(path), "--out", str(tmp_path / "out"),
                                  "--report", str(report)])
    assert result.exit_code == 1
    for text in (result.output, report.read_text(encoding="utf-8-sig")):
        assert "case.yaml" in text
        assert [word for word in PERSONAL if word in text] == []


def test_an_unexpected_failure_reports_no_personal_data(runner: CliRunner, tmp_path: Path,
                                                        full_case: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(case: Any, **kwargs: Any) -> Any:
        raise RuntimeError(f"internal failure while writing for {case.children[0].name}")

    monkeypatch.setattr(letters.api, "make_letter", broken)
    result = runner.invoke(main, ["render", str(full_case), "-o", str(tmp_path / "x.md")])
    assert result.exit_code == 1
    assert result.output.startswith("Error: swletter hit an unexpected problem (RuntimeError).")
    assert "Sam" not in result.output
    assert "Traceback" not in result.output


def test_nothing_is_logged(runner: CliRunner, tmp_path: Path, full_case: Path,
                           caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG):
        result = runner.invoke(main, ["render", str(full_case), "-o", str(tmp_path / "l.docx")])
        assert result.exit_code == 0
        runner.invoke(main, ["check", str(full_case)])
    assert [r for r in caplog.records if r.name.startswith(("letters", "cli"))] == []
    assert [word for word in PERSONAL if word in caplog.text] == []


# --------------------------------------------------------------------------------------------
# Evidence files: checked for existence, never read


def test_evidence_files_are_only_checked_for_existence(runner: CliRunner, tmp_path: Path,
                                                       shared_examples: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    case = _copy_full_case(shared_examples, tmp_path)
    evidence = (case.parent / "evidence").resolve()
    opened: list[str] = []
    real_open, real_io_open, real_os_open = builtins.open, io.open, os.open

    def guard(real: Any) -> Any:
        def checked(file: Any, *args: Any, **kwargs: Any) -> Any:
            if isinstance(file, str | os.PathLike) and \
                    Path(os.fspath(file)).resolve().is_relative_to(evidence):
                opened.append(os.fspath(file))
                raise PermissionError(f"swletter opened an evidence file: {file}")
            return real(file, *args, **kwargs)
        return checked

    monkeypatch.setattr(builtins, "open", guard(real_open))
    monkeypatch.setattr(io, "open", guard(real_io_open))
    monkeypatch.setattr(os, "open", guard(real_os_open))
    for command in (["check", str(case)],
                    ["render", str(case), "-o", str(tmp_path / "letter.docx")]):
        result = runner.invoke(main, command)
        assert result.exit_code == 0, result.output
    letter = load_case(case)
    assert letter.evidence[0].file == "evidence/2026-04-03-email.txt"  # it was cited and checked
    assert opened == []
