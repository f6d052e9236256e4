"""Zipping a letter: the parts every letter shares are deflated once per base document and
copied as they are; only each letter's own text is deflated again."""

from __future__ import annotations

import struct
import zipfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from letters.writers.docx_base import DocxBase

# --------------------------------------------------------------------------------------------
# Zipping: the unchanged parts are compressed once per base, not once per letter

#: Every entry carries the same timestamp (1 January 1980, the zip format's first date), so the
#: same letter always gives the same bytes.
_DOS_TIME, _DOS_DATE = 0, (0 << 9) | (1 << 5) | 1


@dataclass(frozen=True)
class Entry:
    """One zip entry, already deflated: its name, checksum, sizes and compressed bytes."""

    name: bytes
    flags: int
    crc: int
    size: int
    data: bytes

    def local(self) -> bytes:
        return struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, self.flags, zipfile.ZIP_DEFLATED,
                           _DOS_TIME, _DOS_DATE, self.crc, len(self.data), self.size,
                           len(self.name), 0) + self.name + self.data

    def central(self, offset: int) -> bytes:
        return struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, self.flags,
                           zipfile.ZIP_DEFLATED, _DOS_TIME, _DOS_DATE, self.crc,
                           len(self.data), self.size, len(self.name), 0, 0, 0, 0, 0,
                           offset) + self.name


def pack(name: str, data: bytes, level: int = 6) -> Entry:
    encoded = name.encode("utf-8")
    flags = 0 if encoded.isascii() else 0x800  # bit 11: the name is UTF-8
    squeeze = zlib.compressobj(level, zlib.DEFLATED, -15)
    return Entry(encoded, flags, zlib.crc32(data), len(data),
                  squeeze.compress(data) + squeeze.flush())


@dataclass(frozen=True)
class Packed:
    """The base's unchanged parts as ready-made zip bytes: local entries and directory."""

    head: bytes
    directory: bytes
    count: int
    #: The numbering part for each shape of letter seen, by its lists' (numId, start).
    numberings: dict[tuple[tuple[int, int], ...], Entry] = field(default_factory=dict)

    def zip_with(self, entries: Sequence[Entry]) -> bytes:
        """A whole .docx: the unchanged parts first, then ``entries`` (the letter's parts)."""
        body = [self.head]
        directory = [self.directory]
        offset = len(self.head)
        for entry in entries:
            local = entry.local()
            body.append(local)
            directory.append(entry.central(offset))
            offset += len(local)
        central = b"".join(directory)
        count = self.count + len(entries)
        end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, len(central), offset, 0)
        return b"".join(body) + central + end


_PACKED: dict[int, tuple[DocxBase, Packed]] = {}


def packed_parts(base: DocxBase) -> Packed:
    """The compressed unchanged parts of ``base``, made on first use and kept per process."""
    found = _PACKED.get(id(base))
    if found is not None and found[0] is base:
        return found[1]
    # [Content_Types].xml first, as Word writes it; then the other parts in their own order.
    names = sorted(base.parts, key=lambda name: name != "[Content_Types].xml")
    head, directory = [], []
    offset = 0
    for name in names:
        entry = pack(name, base.parts[name], 9)
        local = entry.local()
        head.append(local)
        directory.append(entry.central(offset))
        offset += len(local)
    packed = Packed(b"".join(head), b"".join(directory), len(names))
    if len(_PACKED) > 8:  # a long-lived process given many reference documents
        _PACKED.clear()
    _PACKED[id(base)] = (base, packed)
    return packed
