"""Reading .docx and .xlsx files (zip archives) that anyone may have made, within fixed limits.

A zip says how many entries it holds and how large each one is unpacked, and both can lie: a
2 MB file can say 1,000 bytes for an entry that inflates to 2 GiB, and Python's ``zipfile``
allocates what an entry really inflates to before it notices. So nothing here trusts the
headers. Before ``zipfile`` reads the directory, the end record's entry count and directory
size are checked (150,000 tiny entries are refused at once, not parsed for seconds); then every
entry is inflated in small chunks by zlib itself, counting the bytes that really come out
against the size the entry declares and the limit for the whole file, and stopping at the first
byte over either.

``read_package`` returns every entry's bytes (a letterhead, read whole); ``check_package``
inflates and discards them, so that a library that opens the zip itself (openpyxl) is only ever
given one whose entries are exactly as large as they say.

Errors are ``PackageError`` subclasses whose text is swletter's, without the file name: the
caller names the file and says what to do, in its own terms (a letterhead, a workbook).
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterator

#: More entries than any letterhead or workbook of cases has (they hold tens, a workbook with
#: hundreds of sheets a few thousand).
MAX_ENTRIES = 10_000
#: Directory bytes allowed per entry: a name, its sizes and a zip64 field fit in far less.
_DIRECTORY_BYTES_PER_ENTRY = 256
#: Bytes inflated at a time.
_CHUNK = 256 * 1024

_END = b"PK\x05\x06"
_END_ZIP64 = b"PK\x06\x06"
_LOCATOR_ZIP64 = b"PK\x06\x07"
_LOCAL = b"PK\x03\x04"


class PackageError(Exception):
    """A zip archive that cannot be read safely; the text says why, in swletter's words."""

    #: The entry at fault, where there is one ("xl/worksheets/sheet1.xml").
    part: str = ""


class NotZipError(PackageError):
    """Raised when the file is not a zip archive at all."""


class EncryptedError(PackageError):
    """Raised when the archive, or one entry in it, is protected by a password."""


class DamagedError(PackageError):
    """Raised when an entry cannot be unpacked, or unpacks to other than it says it does."""

    def __init__(self, message: str, part: str = "") -> None:
        super().__init__(message)
        self.part = part


class TooLargeError(PackageError):
    """Raised when the entries add up to more than the limit, declared or really unpacked."""

    def __init__(self, message: str, *, unpacked: int, limit: int) -> None:
        super().__init__(message)
        #: The declared total when that is what is over the limit, else the bytes counted.
        self.unpacked = unpacked
        self.limit = limit


class TooManyEntriesError(PackageError):
    """Raised when the archive holds more entries than ``max_entries``."""

    def __init__(self, message: str, *, limit: int) -> None:
        super().__init__(message)
        self.limit = limit


def read_package(data: bytes, *, max_unpacked: int,
                 max_entries: int = MAX_ENTRIES) -> dict[str, bytes]:
    """Every file entry of the zip in ``data``, by name, each unpacked within the limits."""
    parts: dict[str, bytes] = {}

    def keep(info: zipfile.ZipInfo, chunks: list[bytes]) -> None:
        parts[info.filename] = b"".join(chunks)

    _unpack(data, max_unpacked, max_entries, keep)
    return parts


def check_package(data: bytes, *, max_unpacked: int, max_entries: int = MAX_ENTRIES) -> None:
    """Unpack every entry of the zip in ``data`` within the limits, keeping nothing.

    After this, ``zipfile`` (and so openpyxl) can open ``data``: each entry inflates to exactly
    the size it declares, and those sizes add up to at most ``max_unpacked``.
    """
    _unpack(data, max_unpacked, max_entries, None)


def _unpack(data: bytes, max_unpacked: int, max_entries: int,
            sink: Callable[[zipfile.ZipInfo, list[bytes]], None] | None) -> None:
    _check_directory(data, max_entries)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        # zipfile raises the last three for a directory that points past the end of the file.
        raise NotZipError("it is not a zip package, or its table of contents is damaged") \
            from None
    with archive:
        infos = [info for info in archive.infolist() if not info.is_dir()]
        if len(archive.infolist()) > max_entries:
            raise _too_many(max_entries)
        declared = sum(info.file_size for info in infos)
        if declared > max_unpacked:
            raise TooLargeError(f"it unpacks to {declared:,} bytes; the limit is "
                                f"{max_unpacked:,} bytes", unpacked=declared,
                                limit=max_unpacked)
        budget = max_unpacked
        for info in infos:
            chunks = _inflate(data, info, budget, keep=sink is not None)
            budget -= info.file_size
            if sink is not None:
                sink(info, chunks)


def _too_many(limit: int) -> TooManyEntriesError:
    return TooManyEntriesError(f"it holds more than {limit:,} files inside; the limit is "
                               f"{limit:,}", limit=limit)


def _check_directory(data: bytes, max_entries: int) -> None:
    """Refuse, from the end record alone, a directory too large to be worth parsing."""
    end = data.rfind(_END, max(0, len(data) - 22 - 0xFFFF))
    if end < 0 or len(data) < end + 22:
        return  # not a zip: zipfile says so next
    entries, directory_size = struct.unpack_from("<HI", data, end + 10)
    if entries == 0xFFFF or directory_size == 0xFFFFFFFF:
        locator = end - 20
        if locator >= 0 and data[locator:locator + 4] == _LOCATOR_ZIP64:
            (record,) = struct.unpack_from("<Q", data, locator + 8)
            if data[record:record + 4] == _END_ZIP64 and len(data) >= record + 56:
                entries, directory_size = struct.unpack_from("<QQ", data, record + 32)
    # The entry count can lie too; the directory's size bounds what zipfile will parse.
    if entries > max_entries or directory_size > max_entries * _DIRECTORY_BYTES_PER_ENTRY:
        raise _too_many(max_entries)


def _inflate(data: bytes, info: zipfile.ZipInfo, budget: int, *, keep: bool) -> list[bytes]:
    """The entry's bytes (as chunks, if ``keep``), counted as they come out of zlib."""
    name = info.filename
    if info.flag_bits & 0x1:
        raise EncryptedError("it is protected by a password")
    start = info.header_offset
    if data[start:start + 4] != _LOCAL or len(data) < start + 30:
        raise DamagedError("a file inside it is damaged", name)
    name_length, extra_length = struct.unpack_from("<HH", data, start + 26)
    begin = start + 30 + name_length + extra_length
    raw = memoryview(data)[begin:begin + info.compress_size]
    if len(raw) != info.compress_size:
        raise DamagedError("a file inside it is cut short", name)
    limit = min(info.file_size, budget)
    chunks: list[bytes] = []
    crc = size = 0
    for piece in _pieces(raw, info.compress_type, name):
        size += len(piece)
        if size > limit:  # stop at once: the rest is never inflated
            raise DamagedError("a file inside it unpacks to more than the package says it "
                               "holds: it is damaged, or made to fill the computer's memory",
                               name)
        crc = zlib.crc32(piece, crc)
        if keep:
            chunks.append(piece)
    if size != info.file_size or crc != info.CRC:
        raise DamagedError("a file inside it is damaged (it does not unpack to what the "
                           "package says it holds)", name)
    return chunks


def _pieces(raw: memoryview, compress_type: int, name: str) -> Iterator[bytes]:
    """The entry's unpacked bytes, at most ``_CHUNK`` at a time, however compressed."""
    if compress_type == zipfile.ZIP_STORED:
        for at in range(0, len(raw), _CHUNK):
            yield bytes(raw[at:at + _CHUNK])
        return
    if compress_type != zipfile.ZIP_DEFLATED:
        # Word, Excel and LibreOffice only ever store or deflate; anything else is not theirs.
        raise DamagedError("a file inside it is compressed in a way Word, Excel and LibreOffice "
                           "do not use", name)
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    try:
        for at in range(0, len(raw), _CHUNK):
            pending = bytes(raw[at:at + _CHUNK])
            while pending and not inflater.eof:
                yield inflater.decompress(pending, _CHUNK)
                pending = inflater.unconsumed_tail
            if inflater.eof:
                break
        while not inflater.eof:
            # The input is used up but zlib may still hold output (a long run of one byte).
            piece = inflater.decompress(b"", _CHUNK)
            if not piece:
                break
            yield piece
    except zlib.error:
        raise DamagedError("a file inside it is damaged", name) from None
    if not inflater.eof:
        raise DamagedError("a file inside it is cut short", name)
