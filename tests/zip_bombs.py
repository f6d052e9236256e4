"""Zip files that lie, built byte by byte in a moment and a few megabytes of memory.

A real 2 GiB part is never made: a deflate block that inflates 1 MiB of zeros, ending with a
full flush (so it refers to nothing before it), is repeated, then the stream is closed. The zip
headers then declare whatever size the test wants.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass

MIB = 1024 * 1024


@dataclass(frozen=True)
class Entry:
    """One entry as it will be written: its name, compressed bytes and what the headers say."""

    name: str
    data: bytes
    crc: int
    declared_size: int
    method: int = zipfile.ZIP_DEFLATED
    flags: int = 0  # bit 0: encrypted


def zeros_stream(mebibytes: int) -> bytes:
    """A raw deflate stream that inflates to ``mebibytes`` MiB of zero bytes (about 1 KB each)."""
    squeeze = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = squeeze.compress(bytes(MIB)) + squeeze.flush(zlib.Z_FULL_FLUSH)
    return block * mebibytes + b"\x03\x00"  # an empty final block closes the stream


def lying_entry(name: str, mebibytes: int, declared_size: int = 1000) -> Entry:
    """An entry that says ``declared_size`` bytes and inflates to ``mebibytes`` MiB of zeros.

    Its checksum is that of the first ``declared_size`` zeros, as a careful attacker would set it.
    """
    return Entry(name, zeros_stream(mebibytes), zlib.crc32(bytes(declared_size)), declared_size)


def honest_entries(package: bytes) -> list[Entry]:
    """The entries of a real zip, recompressed as they are."""
    out = []
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        for info in archive.infolist():
            data = archive.read(info)
            squeeze = zlib.compressobj(6, zlib.DEFLATED, -15)
            out.append(Entry(info.filename, squeeze.compress(data) + squeeze.flush(),
                             zlib.crc32(data), len(data)))
    return out


def build_zip(entries: Iterable[Entry], *, declared_count: int | None = None) -> bytes:
    """A zip of ``entries``, local and central headers both saying each ``declared_size``."""
    body, directory = [], []
    offset = 0
    count = 0
    for entry in entries:
        name = entry.name.encode("utf-8")
        local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, entry.flags, entry.method, 0, 0x21,
                            entry.crc, len(entry.data), entry.declared_size, len(name), 0)
        directory.append(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, entry.flags,
                                     entry.method, 0, 0x21, entry.crc, len(entry.data),
                                     entry.declared_size, len(name), 0, 0, 0, 0, 0, offset)
                         + name)
        body.append(local + name + entry.data)
        offset += len(local) + len(name) + len(entry.data)
        count += 1
    central = b"".join(directory)
    shown = min(count, 0xFFFF) if declared_count is None else declared_count
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, shown, shown, len(central), offset, 0)
    return b"".join(body) + central + end


def many_entries(count: int) -> bytes:
    """A zip of ``count`` empty entries (a few megabytes at most)."""
    return build_zip(Entry(f"x/{i}", b"\x03\x00", 0, 0) for i in range(count))

