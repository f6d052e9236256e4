"""A fast reader for the plain Markdown our templates produce, checked against markdown-it.

Parsing a letter with markdown-it costs a few milliseconds, more than the whole rest of the .docx
writer; in bulk that is most of the time per letter. The letters use a small, regular subset
(paragraphs, hard line breaks, ``##`` headings, flat lists, a bold paragraph, HTML comment
directives, and user text escaped by ``render.escape_markdown``). ``fast_tokens`` reads exactly
that subset and returns the same token stream markdown-it would give the .docx writer; for any
line or character it is not sure about it returns None and the caller uses markdown-it. The
tests compare both readers on every golden letter and on generated user text.
"""

from __future__ import annotations

import html
import html.entities
import re
from collections.abc import Sequence
from dataclasses import dataclass

#: CommonMark's ASCII punctuation: any of these may be backslash-escaped.
_PUNCT = r"""!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~"""
_ESCAPE_OR_ENTITY = re.compile(
    rf"\\([{_PUNCT}])|&(#[0-9]{{1,7}}|#[xX][0-9a-fA-F]{{1,6}}|[A-Za-z][A-Za-z0-9]{{0,31}});"
)
#: Characters that may start inline syntax this reader does not handle (outside escapes).
_UNSURE_INLINE = re.compile(r"[*_`\[\]<]")
#: Characters that need a closer look: inline syntax, escapes and entities. Text without them
#: is read as it stands (most of a letter).
_MAYBE_SYNTAX = re.compile(r"[\\&*_`\[\]<]")
_THEMATIC_BREAK = re.compile(r"([-*_])( *\1){2,} *")

_HEADING = re.compile(r"(#{1,6}) +(\S.*?)[ \t]*")
#: List items: five spaces or more after the marker would start indented code in the item.
_BULLET = re.compile(r"([-+*]) {1,4}(\S.*)")
_ORDERED = re.compile(r"([0-9]{1,9})\. {1,4}(\S.*)")
_COMMENT = re.compile(r"<!--(?:(?!-->).)*-->[ \t]*")
_SIMPLE_START = re.compile(r"[^\s#>`~<=|\-+*_\[]")
_ANY_ORDERED = re.compile(r"[0-9]{1,10}[.)](?: |$)")


def _plain_start(text: str) -> bool:
    """True when ``text`` at the start of a line can only be paragraph text."""
    return (bool(_SIMPLE_START.match(text)) and not _ANY_ORDERED.match(text)) or \
        text.startswith(("**", "&#", "\\"))


@dataclass(slots=True)
class Token:
    """The parts of a markdown-it token the .docx writer reads.

    Slotted, with no attribute dict unless a token has attributes, and built with positional
    arguments in the usual order (type, content, children): a letter makes a couple of hundred
    of these, and in bulk their construction showed in profiles.
    """

    type: str
    content: str = ""
    children: list[Token] | None = None
    tag: str = ""
    attrs: dict[str, int] | None = None

    def attrGet(self, name: str) -> int | None:
        return self.attrs.get(name) if self.attrs else None


def fast_tokens(markdown: str) -> list[Token] | None:
    """The block tokens of ``markdown``, or None when it uses anything beyond the subset."""
    # Tabs, carriage returns and NULs have subtle rules; the letters never contain them.
    if "\t" in markdown or "\r" in markdown or "\x00" in markdown:
        return None
    reader = _Reader()
    try:
        for line in markdown.split("\n"):
            reader.line(line)
        reader.close_paragraph()
    except _BeyondTheSubset:
        return None
    reader.close_list()
    return reader.tokens


class _BeyondTheSubset(Exception):
    """The Markdown uses something the fast reader leaves to markdown-it."""


class _Reader:
    """The state of ``fast_tokens``' pass: the tokens so far, the paragraph's lines, the list."""

    def __init__(self) -> None:
        self.tokens: list[Token] = []
        self.paragraph: list[str] = []
        self.list_kind = ""  # "", "-", "*", "+" or "." while inside a list
        self.in_item = False
        self.blank_before = True

    def line(self, line: str) -> None:
        first = line[:1]
        if first.isalpha():
            self._text(line)  # most lines: plain paragraph text
        elif not line.strip(" "):
            self.close_paragraph()
            self.in_item = False
            self.blank_before = True
        elif first == " ":
            raise _BeyondTheSubset
        else:
            bullet = _BULLET.fullmatch(line) if first in "-+*" else None
            ordered = _ORDERED.fullmatch(line) if "0" <= first <= "9" else None
            if bullet or ordered:
                self._item(line, bullet, ordered)
            else:
                self._other(line)

    def _text(self, line: str) -> None:
        # A letter cannot start a list item, a heading or any other block, so this is paragraph
        # text (the general rules below, short-cut).
        if self.list_kind and (self.blank_before or not self.in_item):
            self.close_list()
        elif not self.blank_before and self._after_html():
            raise _BeyondTheSubset  # HTML block continuation rules: leave them to markdown-it
        self.paragraph.append(line)
        self.blank_before = False

    def _after_html(self) -> bool:
        return bool(self.tokens) and self.tokens[-1].type == "html_block"

    def _item(self, line: str, bullet: re.Match[str] | None,
              ordered: re.Match[str] | None) -> None:
        kind = bullet.group(1) if bullet else "."
        if bullet and _THEMATIC_BREAK.fullmatch(line):
            raise _BeyondTheSubset  # a thematic break, not an item
        if self.paragraph and not self.in_item and ordered and ordered.group(1) != "1":
            raise _BeyondTheSubset  # would be paragraph text in CommonMark: not worth it
        self.close_paragraph()
        if self.list_kind and self.list_kind != kind:
            self.close_list()
        if not self.list_kind:
            self._open_list(kind, ordered)
        content = (bullet or ordered).group(2)  # type: ignore[union-attr]
        if not _plain_start(content) or (content.startswith("**") and "**" not in content[2:]):
            raise _BeyondTheSubset
        self.paragraph.append(content)
        self.in_item = True
        self.blank_before = False

    def _open_list(self, kind: str, ordered: re.Match[str] | None) -> None:
        if not self.blank_before and self._after_html():
            raise _BeyondTheSubset
        if ordered:
            start = int(ordered.group(1))
            self.tokens.append(Token("ordered_list_open",
                                     attrs={"start": start} if start != 1 else None))
        else:
            self.tokens.append(Token("bullet_list_open"))
        self.list_kind = kind

    def _other(self, line: str) -> None:
        if self.list_kind and (self.blank_before or not self.in_item):
            self.close_list()
        if _ANY_ORDERED.match(line):
            raise _BeyondTheSubset  # "1)" lists and empty items: leave them to markdown-it
        if not _SIMPLE_START.match(line) and self._block(line):
            return
        if self._after_html() and not self.blank_before:
            raise _BeyondTheSubset  # HTML block continuation rules: leave them to markdown-it
        self.paragraph.append(line)
        self.blank_before = False

    def _block(self, line: str) -> bool:
        """A heading or one of our directive comments (True), or text that may start a
        paragraph (False); anything else is beyond the subset."""
        heading = _HEADING.fullmatch(line)
        if heading and not heading.group(2).endswith("#"):
            self.close_paragraph()
            self.close_list()
            tag = f"h{len(heading.group(1))}"
            children = _inline([heading.group(2)])
            if children is None:
                raise _BeyondTheSubset
            self.tokens += [Token("heading_open", tag=tag), Token("inline", "", children),
                            Token("heading_close", tag=tag)]
            self.blank_before = False
            return True
        if _COMMENT.fullmatch(line) and not self.paragraph and self.blank_before:
            self.tokens.append(Token("html_block", content=line + "\n"))
            self.blank_before = False
            return True
        if not (line.startswith(("**", "&#")) or
                (line[0] in "*_" and not re.fullmatch(r"[*_ ]+", line))):
            raise _BeyondTheSubset
        if line.startswith("*") and not line.startswith("**"):
            raise _BeyondTheSubset  # could be a list item or emphasis: leave it to markdown-it
        return False

    def close_paragraph(self) -> None:
        if self.paragraph:
            children = _inline(self.paragraph)
            if children is None:
                raise _BeyondTheSubset
            self.tokens.append(Token("inline", "", children))
            self.paragraph = []

    def close_list(self) -> None:
        if self.list_kind:
            self.tokens.append(Token("ordered_list_close" if self.list_kind == "."
                                     else "bullet_list_close"))
        self.list_kind, self.in_item = "", False


def _inline(lines: Sequence[str]) -> list[Token] | None:
    """Inline tokens for a paragraph's lines: text, breaks, and a bold whole paragraph."""
    plain = _plain_inline(lines)
    if plain is not None:
        return plain
    strong = False
    text_lines = list(lines)
    first, last = text_lines[0], text_lines[-1].rstrip(" ")
    if last[-1:].isspace():
        return None  # markdown-it strips any white space ending a paragraph, not only spaces
    if first.startswith("**") and last.endswith("**") and not last.endswith("\\**"):
        inner_first = first[2:]
        if len(text_lines) == 1:
            inner_first = last[2:-2]
        # The closing ** must follow text on its own line, as CommonMark's flanking rules say.
        if inner_first and not inner_first[0].isspace() and len(last) > 2 and \
                not last[-3].isspace():
            strong = True
            text_lines[0] = inner_first
            if len(text_lines) > 1:
                text_lines[-1] = last[:-2]
    # Text tokens are always separated by a break, so none need joining as markdown-it joins.
    children: list[Token] = [Token("strong_open")] if strong else []
    final = len(text_lines) - 1
    for i, line in enumerate(text_lines):
        stripped = line.rstrip(" ")
        text = _unescape(stripped)
        if text is None:
            return None
        if text:
            children.append(Token("text", text))
        if i < final:
            if stripped[-1:] == "\\" and (len(stripped) - len(stripped.rstrip("\\"))) % 2:
                return None  # an unescaped backslash ending the line: markdown-it's rules
            children.append(Token("hardbreak" if len(line) - len(stripped) >= 2 else "softbreak"))
    if strong:
        children.append(Token("strong_close"))
    return children


def _plain_inline(lines: Sequence[str]) -> list[Token] | None:
    """The usual paragraphs, quickly: one line of plain text, or plain lines ending in a hard
    break (two spaces) or a soft one, as addresses are. None for anything else."""
    if len(lines) == 1:
        only = lines[0].rstrip(" ")
        if only and not only[-1].isspace() and _MAYBE_SYNTAX.search(only) is None:
            return [Token("text", only)]
        return None
    if _MAYBE_SYNTAX.search("\n".join(lines)) is not None:
        return None
    last = lines[-1].rstrip(" ")
    if not last or last[-1].isspace():
        return None
    plain: list[Token] = []
    for line in lines[:-1]:
        stripped = line.rstrip(" ")
        plain.append(Token("text", stripped))
        plain.append(Token("hardbreak" if len(line) - len(stripped) >= 2 else "softbreak"))
    plain.append(Token("text", last))
    return plain


def _unescape(line: str) -> str | None:
    """Backslash escapes and entities resolved; None if other inline syntax may be present."""
    if _MAYBE_SYNTAX.search(line) is None:
        return line
    out = []
    position = 0
    for m in _ESCAPE_OR_ENTITY.finditer(line):
        between = line[position:m.start()]
        if _UNSURE_INLINE.search(between):
            return None
        out.append(between)
        if m.group(1) is not None:
            out.append(m.group(1))
        else:
            entity = m.group(0)
            decoded = _entity(entity)
            if decoded is None:
                return None
            out.append(decoded)
        position = m.end()
    rest = line[position:]
    if _UNSURE_INLINE.search(rest):
        return None
    out.append(rest)
    return "".join(out)


def _entity(entity: str) -> str | None:
    """An entity's character(s), for the plain cases markdown-it decodes the same way."""
    if entity[1] != "#":
        return html.entities.html5.get(entity[1:])
    number = int(entity[3:-1], 16) if entity[2] in "xX" else int(entity[2:-1])
    if 0x20 <= number < 0x7F or 0xA0 <= number < 0xD800:
        return chr(number)
    return None

