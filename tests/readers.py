"""Helpers for tests that read our documents with real programs: LibreOffice and poppler.

In CI (``CI=true``) a missing program is a failure, because CI installs them (``.ci/run``); on a
developer's machine the tests are skipped with a reason saying what to install.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from letters.writers.pdf import find_soffice


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def require_programs() -> str:
    """The soffice program, after checking pdftotext and pdfinfo are there too."""
    missing = []
    soffice = find_soffice()
    if soffice is None:
        missing.append("LibreOffice (soffice; apt-get install libreoffice-writer-nogui)")
    _require(missing)
    assert soffice is not None
    return soffice


def require_poppler() -> None:
    """Check pdftotext and pdfinfo are there (PDFs swletter typesets itself need no more)."""
    _require([])


def _require(missing: list[str]) -> None:
    for tool in ("pdftotext", "pdfinfo"):
        if shutil.which(tool) is None:
            missing.append(f"{tool} (apt-get install poppler-utils)")
    if missing:
        message = "needs " + ", ".join(missing)
        if _in_ci():
            pytest.fail(f"CI must install the real readers: {message}. See .ci/run.")
        pytest.skip(message)


def pdf_text(path: Path) -> str:
    """The text of a PDF as pdftotext reads it, white space folded.

    ``-layout`` keeps a hyphen at a line end, which the default mode would drop ("CP-⏎2026").
    """
    out = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"],
                         capture_output=True, check=True, timeout=60)
    return " ".join(out.stdout.decode("utf-8").split())


def pdf_pages(path: Path) -> list[str]:
    """Each page's text as pdftotext reads it (``-layout``), lines kept."""
    pages = int(pdf_info(path)["Pages"])
    return [subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", "-f", str(n), "-l", str(n),
                            str(path), "-"], capture_output=True, check=True,
                           timeout=60).stdout.decode("utf-8")
            for n in range(1, pages + 1)]


def pdf_info(path: Path) -> dict[str, str]:
    """pdfinfo's fields (Pages, Page size …) for a PDF."""
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True, timeout=60)
    info = {}
    for line in out.stdout.decode("utf-8", "replace").splitlines():
        key, _, value = line.partition(":")
        info[key.strip()] = value.strip()
    return info


def is_a4(info: dict[str, str]) -> bool:
    """True when pdfinfo reports A4 pages (595 × 842 points, give or take a point)."""
    size = info.get("Page size", "")
    parts = size.split()
    width, height = float(parts[0]), float(parts[2])
    return abs(width - 595.3) < 1.5 and abs(height - 841.9) < 1.5
