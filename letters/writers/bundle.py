"""One evidence bundle: the letter, an index, then every enclosure, as one PDF to email or post.

The letter's PDF comes first, then an index page listing each enclosure in the letter's order
with its pages in the bundle, or "provided separately" and why (no file was given, a password,
a kind of file swletter cannot convert …): nothing is left out in silence. Then each enclosure
that could be converted (``letters.writers.enclosures``), every page stamped "Enclosure N — page
i of k" in the top margin; every page of the bundle is numbered at the foot. The stamps and the
index are typeset by Typst (``bundle.typ``) and laid over the pages with pypdf: no PDF is
written by hand.
"""

from __future__ import annotations

import functools
import io
import json
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

from letters.errors import PdfError
from letters.writers.enclosures import Converted, Unavailable

TEMPLATE = "bundle.typ"
_LOCK = threading.Lock()


@dataclass(frozen=True)
class Part:
    """One enclosure as the index lists it: its number, description, and its pages or the
    reason it is provided separately."""

    number: int
    description: str
    pdf: bytes | None = None
    pages: int = 0
    reason: str = ""
    first: int | None = None

    @property
    def last(self) -> int | None:
        return None if self.first is None else self.first + self.pages - 1


@dataclass(frozen=True)
class Bundle:
    """The bundle's PDF and what is in it."""

    pdf: bytes
    pages: int
    letter_pages: int
    parts: tuple[Part, ...]
    #: The name to give the file when the person has not chosen one.
    file_name: str = "bundle.pdf"

    @property
    def separately(self) -> tuple[Part, ...]:
        """The enclosures not in the bundle, provided separately."""
        return tuple(p for p in self.parts if p.first is None)


def part_from(number: int, description: str, result: Converted | Unavailable | None,
              no_file: str) -> Part:
    """An enclosure's part from its conversion (None: the case gives no file for it)."""
    if result is None:
        return Part(number, description, reason=no_file)
    if isinstance(result, Unavailable):
        return Part(number, description, reason=result.reason)
    return Part(number, description, result.pdf, result.pages)


@functools.cache
def _compiler() -> Any:
    import typst

    return typst.Compiler()


def typeset(data: dict[str, Any]) -> bytes:
    """One of ``bundle.typ``'s documents (an index, a text, the stamps) as a PDF."""
    import typst

    source = resources.files("letters.writers").joinpath(TEMPLATE).read_bytes()
    inputs = {"bundle": json.dumps(data, ensure_ascii=False)}
    with _LOCK:
        try:
            pdf = _compiler().compile(source, format="pdf", sys_inputs=inputs)
        except typst.TypstError as err:
            raise PdfError("swletter could not typeset the bundle's pages. Please report this "
                           "problem.") from err
    if not isinstance(pdf, bytes):
        raise TypeError(f"typst returned {type(pdf).__name__} for a PDF")
    return pdf


def text_typesetter(lang: str = "en", region: str = "GB") -> Callable[[str], Converted]:
    """Text (a .txt file, an email) as A4 pages in the bundle's layout."""
    def to_pdf(text: str) -> Converted:
        pdf = typeset({"mode": "text", "title": "", "author": "", "lang": lang,
                       "region": region, "lines": [line.rstrip() for line in
                                                   text.splitlines()] or [""]})
        return Converted(pdf, _count(pdf))

    return to_pdf


def enclosure_parts(letter: Any, base_dir: str) -> list[Part]:
    """Every enclosure of a composed letter (``letters.compose.request.Letter``), in its
    order, converted where the case names its file."""
    from letters.compose.language import language
    from letters.writers.enclosures import convert

    lang = language(letter.language)
    to_pdf = text_typesetter(lang.code, lang.tag.partition("-")[2] or "GB")
    parts = []
    for enc in letter.enclosures:
        if enc.evidence is not None:
            ev = enc.evidence
            description = f"{lang.date(ev.date)} — {ev.type}: {ev.description}"
            result = convert(base_dir, ev.file, text_to_pdf=to_pdf) if ev.file else None
            parts.append(part_from(enc.number, description, result,
                                   "the case file names no file for it"))
        else:
            st = enc.statement
            who = ", ".join(x for x in (st.author, st.role, st.organisation) if x)
            parts.append(Part(enc.number, f"Supporting statement from {who}",
                              reason="a supporting statement is enclosed by its author or "
                                     "separately"))
    return parts


def _count(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def assemble(letter_pdf: bytes, parts: Sequence[Part], *, title: str, author: str = "",
             lang: str = "en", region: str = "GB") -> Bundle:
    """The bundle: the letter, the index, the enclosures, stamped and numbered."""
    from pypdf import PdfReader, PdfWriter

    letter_pages = _count(letter_pdf)
    index_pages = 1
    while True:  # the index's own length moves every page after it
        placed = _place(parts, letter_pages + index_pages + 1)
        index = typeset(_index_data(placed, letter_pages, index_pages, title, author, lang,
                                    region))
        if _count(index) == index_pages:
            break
        index_pages = _count(index)
    writer = PdfWriter()
    for pdf in (letter_pdf, index, *(p.pdf for p in placed if p.pdf is not None)):
        writer.append(PdfReader(io.BytesIO(pdf)))
    _stamp(writer, placed, lang, region)
    writer.add_metadata({"/Title": title, **({"/Author": author} if author else {})})
    out = io.BytesIO()
    writer.write(out)
    return Bundle(out.getvalue(), len(writer.pages), letter_pages, tuple(placed))


def _place(parts: Sequence[Part], first_page: int) -> list[Part]:
    placed = []
    page = first_page
    for part in parts:
        if part.pdf is None:
            placed.append(part)
            continue
        placed.append(Part(part.number, part.description, part.pdf, part.pages, first=page))
        page += part.pages
    return placed


def _index_data(parts: Sequence[Part], letter_pages: int, index_pages: int, title: str,
                author: str, lang: str, region: str) -> dict[str, Any]:
    return {
        "mode": "index", "title": title, "author": author, "lang": lang, "region": region,
        "letter": {"first": 1, "last": letter_pages},
        "index": {"first": letter_pages + 1, "last": letter_pages + index_pages},
        "enclosures": [{"number": p.number, "description": p.description, "first": p.first,
                        "last": p.last, "reason": p.reason} for p in parts],
    }


def _stamp(writer: Any, parts: Sequence[Part], lang: str, region: str) -> None:
    """Lay the stamps over every page: the bundle's page numbers, and each enclosure's."""
    from pypdf import PdfReader, Transformation

    total = len(writer.pages)
    marks: list[dict[str, Any]] = []
    owners: dict[int, tuple[int, int, int]] = {}
    for part in parts:
        if part.first is not None:
            for i in range(part.pages):
                owners[part.first + i] = (part.number, i + 1, part.pages)
    for number, page in enumerate(writer.pages, start=1):
        if page.get("/Rotate"):
            page.transfer_rotation_to_content()
        box = page.cropbox
        mark: dict[str, Any] = {"number": number, "total": total,
                                "width": float(box.width), "height": float(box.height)}
        if number in owners:
            mark["enclosure"], mark["page"], mark["pages"] = owners[number]
        marks.append(mark)
    stamps = PdfReader(io.BytesIO(typeset({"mode": "stamps", "title": "", "author": "",
                                           "lang": lang, "region": region, "pages": marks})))
    for page, stamp in zip(writer.pages, stamps.pages, strict=True):
        box = page.cropbox
        page.merge_transformed_page(
            stamp, Transformation().translate(float(box.left), float(box.bottom)))
