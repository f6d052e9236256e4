"""Stopped by a signal, swletter leaves nothing running and no letter behind (issue 13, items 5
and 6).

Each test runs swletter as a process of its own, stops it with a signal, and looks for what it
left: its LibreOffice, its bulk workers, the private folder a PDF is made in, files in HOME.
Processes are found by a marker in their environment (tests/processes.py); only those are ever
killed. Two tests use the real LibreOffice (a few seconds each); the rest use a stand-in that
just waits, as a LibreOffice busy with a long letter would.
"""

from __future__ import annotations

import csv
import io
import signal
import stat
import sys
from pathlib import Path

import pytest

from letters.writers.pdf import SOFFICE_ENV, docx_to_pdf

from .conftest import MINIMAL, write_case
from .processes import (
    PATIENCE,
    children,
    cleaned_up,
    command_line,
    marked,
    needs_proc,
    running,
    start_swletter,
    swletter_env,
    wait_for,
)
from .readers import require_programs
from .test_pdf import _letterhead

pytestmark = needs_proc


#: A PDF on a letterhead: the route that still goes through LibreOffice.
_RENDER_PDF = ["render", "case.yaml", "-o", "letter.pdf"]


def _waiting_soffice(folder: Path) -> Path:
    """A stand-in for LibreOffice that starts a helper and waits for it: for longer than any
    test waits, so a test cannot pass by waiting for it to finish."""
    script = folder / "soffice"
    script.write_text("#!/bin/sh\nsleep 600 &\nwait\n", encoding="utf-8")
    script.chmod(stat.S_IRWXU)
    return script


def _everything_in(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def _left_in_tmp(folder: Path) -> list[str]:
    return [p.name for p in (folder / "tmp").iterdir()]


# --------------------------------------------------------------------------------------------
# Item 5: `swletter render -o letter.pdf`, stopped while LibreOffice works


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_a_signal_while_libreoffice_works_stops_it_and_removes_the_letter(
        tmp_path: Path, signum: int) -> None:
    require_programs()
    write_case(tmp_path, MINIMAL)
    with cleaned_up(tmp_path):
        proc = start_swletter(_RENDER_PDF + _letterhead(tmp_path), tmp_path)
        # Wait until LibreOffice itself (soffice.bin, not only its launcher) is running.
        started = wait_for(lambda: any("soffice.bin" in command_line(pid)
                                       for pid in marked(tmp_path)))
        assert started and proc.poll() is None, proc.communicate()
        proc.send_signal(signum)
        _, err = proc.communicate(timeout=PATIENCE)
        # Ended by the signal, as a program that does not handle it would be (143 or 129 in a
        # shell), after cleaning up, and in silence.
        assert proc.returncode == -signum
        assert b"Traceback" not in err
        assert wait_for(lambda: not marked(tmp_path)), [command_line(p) for p in
                                                        marked(tmp_path)]
        assert _left_in_tmp(tmp_path) == []  # no swletter-pdf-* folder holding the letter
        assert _everything_in(tmp_path / "home") == []
        assert not [p for p in tmp_path.iterdir() if p.name.endswith((".pdf", ".tmp"))]


def test_libreoffice_writes_nothing_in_home_or_the_temporary_folder(tmp_path: Path) -> None:
    require_programs()
    write_case(tmp_path, MINIMAL)
    with cleaned_up(tmp_path):
        proc = start_swletter(_RENDER_PDF + _letterhead(tmp_path), tmp_path)
        _, err = proc.communicate(timeout=PATIENCE * 3)
    assert proc.returncode == 0, err
    assert (tmp_path / "letter.pdf").read_bytes().startswith(b"%PDF-")
    # No ~/.config, ~/.cache/dconf, LibreOffice profile or lu*.tmp outside its private folder.
    assert _everything_in(tmp_path / "home") == []
    assert _left_in_tmp(tmp_path) == []


def test_ctrl_c_while_libreoffice_works_stops_it_too(tmp_path: Path) -> None:
    write_case(tmp_path, MINIMAL)
    env = swletter_env(tmp_path)
    env[SOFFICE_ENV] = str(_waiting_soffice(tmp_path))
    with cleaned_up(tmp_path):
        proc = start_swletter(_RENDER_PDF + _letterhead(tmp_path), tmp_path, env=env)
        assert wait_for(lambda: any("sleep" in command_line(pid) for pid in marked(tmp_path)))
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=PATIENCE)
        assert proc.returncode != 0
        assert b"Traceback" not in err
        assert wait_for(lambda: not marked(tmp_path))
        assert _left_in_tmp(tmp_path) == []
        assert not (tmp_path / "letter.pdf").exists()


def test_signal_handlers_are_put_back_after_a_conversion(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    script = tmp_path / "soffice.py"
    script.write_text(f"#!{sys.executable}\nimport sys\nfrom pathlib import Path\n"
                      "args = sys.argv[1:]\nout = Path(args[args.index('--outdir') + 1])\n"
                      "out.mkdir()\n(out / 'letter-00000.pdf').write_bytes(b'%PDF-1.4 %%EOF')\n",
                      encoding="utf-8")
    script.chmod(stat.S_IRWXU)
    monkeypatch.setenv(SOFFICE_ENV, str(script))
    before = {s: signal.getsignal(s) for s in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT)}
    assert docx_to_pdf(b"PK").startswith(b"%PDF-")
    assert {s: signal.getsignal(s) for s in before} == before


# --------------------------------------------------------------------------------------------
# Item 6: `swletter bulk --jobs 2`: the workers end with the parent, however it ends


def _many_cases(folder: Path, count: int) -> Path:
    cases = folder / "cases"
    cases.mkdir()
    for number in range(count):
        write_case(cases, MINIMAL.replace("Mia Green", f"Mia Green {number:04d}"),
                   name=f"case-{number:04d}.yaml")
    return cases


def _workers_of(pid: int) -> list[int]:
    return [child for child in children(pid) if "swletter.cli" in command_line(child)]


@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
def test_bulk_workers_end_with_their_parent(tmp_path: Path, signum: int) -> None:
    total = 2000  # several seconds of work for two workers
    cases = _many_cases(tmp_path, total)
    out = tmp_path / "out"
    with cleaned_up(tmp_path):
        proc = start_swletter(["bulk", str(cases), "--out", str(out), "--jobs", "2"], tmp_path)
        assert wait_for(lambda: len(_workers_of(proc.pid)) == 2
                        and len(list(out.glob("*.docx"))) >= 5), proc.communicate()
        workers = _workers_of(proc.pid)
        proc.send_signal(signum)
        _, err = proc.communicate(timeout=PATIENCE)
        assert proc.returncode == (-signum if signum == signal.SIGKILL else 128 + signum)
        assert wait_for(lambda: not any(running(w) for w in workers)), \
            [command_line(w) for w in workers if running(w)]
        assert not [p.name for p in out.iterdir() if p.name.endswith(".tmp")]
        if signum == signal.SIGTERM:
            # Stopped as Ctrl-C stops it: the report says what was done and what was not.
            message = err.decode()
            assert "Traceback" not in message
            assert "The run was stopped (SIGTERM)." in message
            # (Letters a worker had written but not yet reported are "not done": a second run
            # finds them whole and counts them as already done.)
            report = (out / "bulk-report.csv").read_text(encoding="utf-8-sig")
            rows = list(csv.reader(io.StringIO(report)))[1:]
            assert len(rows) == total
            assert {row[2] for row in rows} <= {"written", "not done"}
            assert any(row[2] == "not done" for row in rows)


@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
def test_bulk_pdf_workers_stop_libreoffice_when_their_parent_ends(tmp_path: Path,
                                                                 signum: int) -> None:
    cases = _many_cases(tmp_path, 4)
    out = tmp_path / "out"
    env = swletter_env(tmp_path)
    env[SOFFICE_ENV] = str(_waiting_soffice(tmp_path))
    with cleaned_up(tmp_path):
        proc = start_swletter(["bulk", str(cases), "--out", str(out), "--jobs", "2",
                               "--format", "pdf", *_letterhead(tmp_path)], tmp_path, env=env)
        # Both workers are waiting for "LibreOffice" (each started one: two helpers sleep).
        assert wait_for(lambda: sum("sleep" in command_line(pid)
                                    for pid in marked(tmp_path)) == 2), proc.communicate()
        proc.send_signal(signum)
        _, err = proc.communicate(timeout=PATIENCE)
        assert wait_for(lambda: not marked(tmp_path)), [command_line(p) for p in
                                                        marked(tmp_path)]
        assert _left_in_tmp(tmp_path) == []  # each worker removed its swletter-pdf-* folder
        if signum == signal.SIGTERM:
            assert proc.returncode == 128 + signum
            assert "The run was stopped (SIGTERM). 4 cases were not done" in err.decode()
            report = (out / "bulk-report.csv").read_text(encoding="utf-8-sig")
            assert report.count(",not done,") == 4
