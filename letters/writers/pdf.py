"""The .pdf writer: LibreOffice turns the letter's .docx into a PDF.

A PDF is what Word or LibreOffice would print, so it is made by a real word processor from the
same .docx every other user gets, rather than by a second layout engine that could disagree.
LibreOffice runs headless in a private, owner-only temporary folder that holds its own profile
(``-env:UserInstallation``), so two runs at once never share a profile or lock each other out,
and the letters never leave that folder except as the returned bytes. The folder is removed
afterwards, whatever happened. A conversion that takes longer than ``timeout`` seconds is stopped
(the whole LibreOffice process group) and reported.

Converting several letters in one call starts LibreOffice once: starting it costs a few seconds,
converting a letter a fraction of one.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from ..errors import PdfError

#: Seconds one LibreOffice run may take before it is stopped (its first start builds a profile).
DEFAULT_TIMEOUT = 180.0

#: Set this to the LibreOffice program when it is not on PATH or in the usual place.
SOFFICE_ENV = "SWLETTER_SOFFICE"

_CANDIDATES = (
    "soffice",
    "libreoffice",
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
    r"C:\Program Files\LibreOffice\program\soffice.exe",
    r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
)

INSTALL_HELP = (
    "PDF output needs LibreOffice, which is not installed (or not on PATH). Install it, then "
    "run the command again:\n"
    "  Debian/Ubuntu: sudo apt-get install libreoffice-writer-nogui\n"
    "  Fedora:        sudo dnf install libreoffice-writer\n"
    "  macOS:         brew install --cask libreoffice\n"
    "  Windows:       https://www.libreoffice.org/download/\n"
    f"If it is installed somewhere unusual, set {SOFFICE_ENV} to the soffice program. "
    "Or write a .docx (--format docx) and save it as PDF from your word processor."
)


def find_soffice() -> str | None:
    """The LibreOffice program to run, or None when it is not installed."""
    override = os.environ.get(SOFFICE_ENV)
    if override:
        return shutil.which(override) or (override if Path(override).is_file() else None)
    for candidate in _CANDIDATES:
        found = shutil.which(candidate)
        if found:
            return found
    return None


def require_soffice() -> str:
    """The LibreOffice program, or a ``PdfError`` saying how to install it."""
    program = find_soffice()
    if program is None:
        raise PdfError(INSTALL_HELP)
    return program


def docx_to_pdf(docx: bytes, *, timeout: float = DEFAULT_TIMEOUT) -> bytes:
    """One .docx (as bytes) converted to a PDF (as bytes)."""
    return docxs_to_pdfs([docx], timeout=timeout)[0]


def docxs_to_pdfs(documents: Sequence[bytes], *, timeout: float = DEFAULT_TIMEOUT) -> list[bytes]:
    """Several .docx files converted to PDFs with one start of LibreOffice, in the same order."""
    if not documents:
        return []
    program = require_soffice()
    work = Path(tempfile.mkdtemp(prefix="swletter-pdf-"))  # mode 0700: only this user
    try:
        inputs = []
        for index, data in enumerate(documents):
            source = work / f"letter-{index:05d}.docx"
            fd = os.open(source, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            inputs.append(source)
        out_dir = work / "pdf"
        _run_soffice(program, work / "profile", out_dir, inputs, timeout)
        results = []
        for source in inputs:
            pdf = out_dir / (source.stem + ".pdf")
            if not pdf.is_file() or pdf.stat().st_size == 0:
                raise PdfError(
                    "LibreOffice could not turn the letter into a PDF. Write a .docx instead "
                    "(--format docx) and save it as PDF from your word processor."
                )
            results.append(pdf.read_bytes())
        return results
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _run_soffice(program: str, profile: Path, out_dir: Path, inputs: Sequence[Path],
                 timeout: float) -> None:
    command = [
        program,
        "--headless",
        "--norestore",
        "--nolockcheck",
        "--nodefault",
        "--nologo",
        f"-env:UserInstallation={profile.as_uri()}",
        "--convert-to",
        "pdf:writer_pdf_Export",
        "--outdir",
        str(out_dir),
        *(str(p) for p in inputs),
    ]
    try:
        # A session of its own, so a timeout stops LibreOffice's helper processes too.
        proc = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            cwd=profile.parent,
            start_new_session=os.name == "posix",
        )
    except OSError as err:
        raise PdfError(f"LibreOffice ({program}) could not be started: {err.strerror or err}. "
                       + INSTALL_HELP.split("\n", 1)[1]) from err
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        _stop(proc)
        raise PdfError(
            f"LibreOffice took longer than {timeout:g} seconds to make the PDF and was stopped. "
            "Close any LibreOffice windows and try again, or write a .docx (--format docx)."
        ) from None


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if os.name == "posix":
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
    else:  # pragma: no cover - Windows
        proc.kill()
    proc.wait()
