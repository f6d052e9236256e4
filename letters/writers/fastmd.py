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
    tokens: list[Token] = []
    paragraph: list[str] = []
    list_kind = ""  # "", "-", "*", "+" or "." while inside a list
    in_item = False

    def close_paragraph() -> bool:
        nonlocal paragraph
        if paragraph:
            children = _inline(paragraph)
            if children is None:
                return False
            tokens.append(Token("inline", "", children))
            paragraph = []
        return True

    def close_list() -> None:
        nonlocal list_kind, in_item
        if list_kind:
            tokens.append(Token("ordered_list_close" if list_kind == "." else "bullet_list_close"))
        list_kind, in_item = "", False

    blank_before = True
    for line in markdown.split("\n"):
        first = line[:1]
        if first.isalpha():
            # Most lines: a letter cannot start a list item, a heading or any other block, so
            # this is paragraph text (the general rules below, short-cut).
            if list_kind and (blank_before or not in_item):
                close_list()
            elif not blank_before and tokens and tokens[-1].type == "html_block":
                return None  # HTML block continuation rules: leave them to markdown-it
            paragraph.append(line)
            blank_before = False
            continue
        if not line.strip(" "):
            if not close_paragraph():
                return None
            in_item = False
            blank_before = True
            continue
        if first == " ":
            return None
        bullet = _BULLET.fullmatch(line) if first in "-+*" else None
        ordered = _ORDERED.fullmatch(line) if "0" <= first <= "9" else None
        if bullet or ordered:
            kind = bullet.group(1) if bullet else "."
            if bullet and _THEMATIC_BREAK.fullmatch(line):
                return None  # a thematic break, not an item
            if paragraph and not in_item and ordered and ordered.group(1) != "1":
                return None  # would be paragraph text in CommonMark; not worth the subtlety
            if not close_paragraph():
                return None
            if list_kind and list_kind != kind:
                close_list()
            if not list_kind:
                if not blank_before and tokens and tokens[-1].type == "html_block":
                    return None
                if ordered:
                    start = int(ordered.group(1))
                    tokens.append(Token("ordered_list_open",
                                        attrs={"start": start} if start != 1 else None))
                else:
                    tokens.append(Token("bullet_list_open"))
                list_kind = kind
            content = (bullet or ordered).group(2)  # type: ignore[union-attr]
            if not _plain_start(content) or (content.startswith("**") and "**" not in content[2:]):
                return None
            paragraph.append(content)
            in_item = True
            blank_before = False
            continue
        if list_kind and (blank_before or not in_item):
            close_list()
        if _ANY_ORDERED.match(line):
            return None  # "1)" lists and empty items: leave them to markdown-it
        if not _SIMPLE_START.match(line):
            heading = _HEADING.fullmatch(line)
            if heading and not heading.group(2).endswith("#"):
                if not close_paragraph():
                    return None
                close_list()
                tag = f"h{len(heading.group(1))}"
                children = _inline([heading.group(2)])
                if children is None:
                    return None
                tokens += [Token("heading_open", tag=tag), Token("inline", "", children),
                           Token("heading_close", tag=tag)]
                blank_before = False
                continue
            if _COMMENT.fullmatch(line) and not paragraph and blank_before:
                tokens.append(Token("html_block", content=line + "\n"))
                blank_before = False
                continue
            if not (line.startswith(("**", "&#")) or
                    (line[0] in "*_" and not re.fullmatch(r"[*_ ]+", line))):
                return None
            if line.startswith("*") and not line.startswith("**"):
                return None  # could be a list item or emphasis: leave it to markdown-it
        if tokens and tokens[-1].type == "html_block" and not blank_before:
            return None  # HTML block continuation rules: leave them to markdown-it
        paragraph.append(line)
        blank_before = False
    if not close_paragraph():
        return None
    close_list()
    return tokens


def _inline(lines: Sequence[str]) -> list[Token] | None:
    """Inline tokens for a paragraph's lines: text, breaks, and a bold whole paragraph."""
    if len(lines) == 1:
        # Most paragraphs: one line of plain text.
        only = lines[0].rstrip(" ")
        if only and not only[-1].isspace() and _MAYBE_SYNTAX.search(only) is None:
            return [Token("text", only)]
    elif _MAYBE_SYNTAX.search("\n".join(lines)) is None:
        # Addresses: plain lines ending in a hard break (two spaces) or a soft one.
        last = lines[-1].rstrip(" ")
        if last and not last[-1].isspace():
            plain: list[Token] = []
            for line in lines[:-1]:
                stripped = line.rstrip(" ")
                plain.append(Token("text", stripped))
                plain.append(Token("hardbreak" if len(line) - len(stripped) >= 2 else "softbreak"))
            plain.append(Token("text", last))
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

