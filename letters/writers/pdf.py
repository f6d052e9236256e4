"""The .pdf writer: LibreOffice turns the letter's .docx into a PDF.

A PDF is what Word or LibreOffice would print, so it is made by a real word processor from the
same .docx every other user gets, rather than by a second layout engine that could disagree.
LibreOffice runs headless in a private, owner-only temporary folder that holds its own profile
(``-env:UserInstallation``), so two runs at once never share a profile or lock each other out,
and the letters never leave that folder except as the returned bytes. Everything else LibreOffice
writes (dconf's and fontconfig's caches, ~/.config, its lu*.tmp files) goes there too: its HOME,
XDG and temporary-folder variables point inside it. The folder is removed afterwards, whatever
happened. A conversion that takes longer than ``timeout`` seconds is stopped (the whole LibreOffice
process group) and reported; so is one interrupted by SIGTERM, SIGHUP or Ctrl-C, before the signal
takes effect (``letters.signals``).

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
import time
from collections.abc import Sequence
from pathlib import Path

from letters.errors import PdfError
from letters.signals import StopSignals

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
    """Several .docx files converted to PDFs with one start of LibreOffice, in the same order.

    A stop signal (SIGTERM, SIGHUP, Ctrl-C) while this runs stops LibreOffice and removes the
    private folder before it takes effect (see ``letters.signals``).
    """
    if not documents:
        return []
    program = require_soffice()
    # A signal waits until LibreOffice is being waited for, or until the folder is removed.
    with StopSignals() as stop:
        work = Path(tempfile.mkdtemp(prefix="swletter-pdf-"))  # mode 0700: only this user
        try:
            return _convert(program, work, documents, timeout, stop)
        finally:
            _remove(work)


def _convert(program: str, work: Path, documents: Sequence[bytes], timeout: float,
             stop: StopSignals) -> list[bytes]:
    inputs = []
    for index, data in enumerate(documents):
        source = work / f"letter-{index:05d}.docx"
        fd = os.open(source, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        inputs.append(source)
    out_dir = work / "pdf"
    _run_soffice(program, work, out_dir, inputs, timeout, stop)
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


def _private_environment(work: Path) -> dict[str, str]:
    """LibreOffice's environment: every place it writes (its profile, dconf's cache, fontconfig's
    cache, ~/.config, its lu*.tmp files) is inside the private folder ``work``.

    The user's own fonts stay visible: fontconfig finds them through XDG_DATA_HOME, which is left
    pointing at the user's real one.
    """
    env = dict(os.environ)
    real_data_home = env.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    places = {"HOME": "home", "XDG_CONFIG_HOME": "config", "XDG_CACHE_HOME": "cache",
              "XDG_RUNTIME_DIR": "runtime", "TMPDIR": "tmp", "TMP": "tmp", "TEMP": "tmp"}
    for variable, name in places.items():
        folder = work / name
        folder.mkdir(mode=0o700, exist_ok=True)
        env[variable] = str(folder)
    env["XDG_DATA_HOME"] = real_data_home
    return env


#: LibreOffice's PDF export, tagged: headings, lists and reading order for a screen reader, as
#: swletter's own PDFs have (filter options as JSON, LibreOffice 7.4 and later; an older one
#: reads them as options it does not know and still writes the PDF).
PDF_EXPORT = 'pdf:writer_pdf_Export:{"UseTaggedPDF":{"type":"boolean","value":"true"}}'


def _run_soffice(program: str, work: Path, out_dir: Path, inputs: Sequence[Path],
                 timeout: float, stop: StopSignals) -> None:
    command = [
        program,
        "--headless",
        "--norestore",
        "--nolockcheck",
        "--nodefault",
        "--nologo",
        f"-env:UserInstallation={(work / 'profile').as_uri()}",
        "--convert-to",
        PDF_EXPORT,
        "--outdir",
        str(out_dir),
        *(str(p) for p in inputs),
    ]
    try:
        # A session of its own, so that stopping it stops its helper processes too.
        proc = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            cwd=work,
            env=_private_environment(work),
            start_new_session=os.name == "posix",
        )
    except OSError as err:
        raise PdfError(f"LibreOffice ({program}) could not be started: {err.strerror or err}. "
                       + INSTALL_HELP.split("\n", 1)[1]) from err
    try:
        with stop.interruptible():
            proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        _stop(proc)
        raise PdfError(
            f"LibreOffice took longer than {timeout:g} seconds to make the PDF and was stopped. "
            "Close any LibreOffice windows and try again, or write a .docx (--format docx)."
        ) from None
    except BaseException:
        # Told to stop (a signal, Ctrl-C) while LibreOffice worked: it must not run on.
        _stop(proc)
        raise


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.returncode is not None:
        return  # it had ended, and been waited for: its process group is no longer ours
    if os.name == "posix":
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
    else:  # pragma: no cover - Windows
        proc.kill()
    proc.wait()


def _remove(work: Path) -> None:
    """Remove the private folder. A LibreOffice helper killed a moment ago may still have been
    writing into it, so a folder that is not gone at once is tried again, briefly."""
    for _ in range(20):
        shutil.rmtree(work, ignore_errors=True)
        if not os.path.lexists(work):
            return
        time.sleep(0.05)
