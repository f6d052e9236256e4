"""Opening an .xlsx workbook that anyone may have made, for ``sheets.read_workbook_tables``.

A workbook is a zip of XML files. Before openpyxl sees it, the file is read once (never more
than the size limit, whatever size the file system reports), and every part in it is unpacked
and counted by ``safe_zip``: a workbook that says 1,000 bytes for a part that inflates to
gigabytes, or that holds 150,000 parts, is refused in swletter's words without filling memory.
openpyxl is then given those same checked bytes.

Whatever openpyxl raises on a damaged workbook, and whatever it warns about features swletter
does not use, the user sees only swletter's message: the file, the sheet where known, and what
to do.
"""

from __future__ import annotations

import contextlib
import io
import warnings
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from letters import safe_zip
from letters.errors import CaseError, Problem

#: What openpyxl raises on a workbook it cannot make sense of: a part missing (KeyError), a
#: value of the wrong kind (TypeError, ValueError), no workbook part (OSError), XML that is not
#: well formed (lxml's and ElementTree's errors are both SyntaxErrors), and the rest of what a
#: damaged file can lead its readers into.
WORKBOOK_FAILURES: tuple[type[BaseException], ...] = (
    KeyError, TypeError, ValueError, IndexError, AttributeError, OverflowError, OSError,
    SyntaxError, zipfile.BadZipFile, EOFError)

_SAVE_AGAIN = "Open it in your spreadsheet program and save it again as Excel Workbook (.xlsx)."


def open_workbook(path: Path, data: bytes, *, max_unpacked: int) -> Any:
    """The workbook read from ``path`` (its bytes, ``data``), read-only, formulas as text;
    ``CaseError`` if it cannot be."""
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    _check_zip(path, data, max_unpacked)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # about features swletter does not read
            return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (InvalidFileException, *WORKBOOK_FAILURES):
        raise _error(path, "this is not a readable .xlsx workbook: it is damaged, or was not "
                           f"saved by a spreadsheet program. {_SAVE_AGAIN}") from None


@contextlib.contextmanager
def reading_sheet(path: Path, sheet: str) -> Iterator[None]:
    """Turn what openpyxl raises while reading ``sheet`` into swletter's message naming it."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    except WORKBOOK_FAILURES:
        raise _error(path, f'the sheet "{sheet}" is damaged and cannot be read. '
                           f"{_SAVE_AGAIN}") from None


def _error(path: Path, message: str) -> CaseError:
    return CaseError([Problem(message)], str(path))


def _check_zip(path: Path, data: bytes, max_unpacked: int) -> None:
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        # Excel saves both its old .xls format and password-protected workbooks this way.
        raise _error(path, "this is not a readable .xlsx workbook: it is an older Excel .xls "
                           "file, or protected by a password. Open it in your spreadsheet "
                           "program and save it as Excel Workbook (.xlsx) without a password.")
    try:
        safe_zip.check_package(data, max_unpacked=max_unpacked)
    except safe_zip.NotZipError:
        raise _error(path, "this is not a readable .xlsx workbook: it is not a workbook file "
                           f"at all, or its table of contents is damaged. {_SAVE_AGAIN}") \
            from None
    except safe_zip.EncryptedError:
        raise _error(path, "this workbook is protected by a password, so swletter cannot "
                           "read it. Save it again as Excel Workbook (.xlsx) without a "
                           "password.") from None
    except safe_zip.TooLargeError as err:
        raise _error(path, f"this workbook unpacks to {err.unpacked:,} bytes; a spreadsheet of "
                           f"cases may unpack to at most {err.limit:,} bytes. Is this the right "
                           "file? If it is, split it into smaller workbooks.") from None
    except safe_zip.TooManyEntriesError as err:
        raise _error(path, f"this workbook holds more than {err.limit:,} files inside; a "
                           "workbook of cases holds a few dozen. Is this the right file? If it "
                           f"is, {_SAVE_AGAIN[0].lower()}{_SAVE_AGAIN[1:]}") from None
    except safe_zip.PackageError as err:
        where = f" (the part {err.part})" if err.part else ""
        raise _error(path, f"this workbook is damaged{where}: {err}. {_SAVE_AGAIN}") from None
