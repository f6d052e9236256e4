"""The letter as a small document model: blocks of runs of text, plain data for a layout engine.

The PDF writer hands this model to Typst as JSON, so nothing a family typed is ever read as
Typst markup: a name such as ``#eval("…")`` or ``*bold*`` arrives as a string and is printed
as one. The model holds only what a letter has, the same things the .docx writer reads from
the Markdown tokens:

- ``{"kind": "paragraph", "runs": [...]}``
- ``{"kind": "heading", "level": 1, "style": 2, "runs": [...]}``: ``style`` is the Markdown
  level, which gives its look (the .docx's Heading 2); ``level`` its place in the outline,
  which starts at 1 and never skips one, as PDF/UA and screen readers expect
- ``{"kind": "list", "ordered": true, "start": 1, "items": [[runs, runs …], …]}`` (an item is
  one or more paragraphs, each a list of runs)
- ``{"kind": "sign-off", "before": paragraph, "close": paragraph, "signed": block}``: the
  close ("Yours sincerely", when a paragraph comes before the ``<!-- signature -->`` directive),
  the paragraph before it (when there is one) and the block after it (the name), to be kept on
  one page with room to sign between close and name, so that the close never starts a page
  alone
- ``{"kind": "page-break"}``

A run is ``{"text": "…"}`` with ``"bold": true`` and/or ``"italic": true`` when so, and
``"whole": true`` for a reference that no line may break inside; or ``{"break": true}`` for a
hard line break (the lines of an address).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from letters.writers.fastmd import fast_tokens

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

Run = dict[str, Any]
Block = dict[str, Any]

#: Characters no text layer should carry: C0 controls other than tab and newline, and lone
#: surrogates (which JSON cannot encode as UTF-8). Case text has them removed already; this
#: keeps a charity's template from smuggling them in.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


@functools.cache
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark")


def letter_blocks(markdown: str) -> list[Block]:
    """The blocks of the letter's Markdown (read as the .docx writer reads it)."""
    fast = fast_tokens(markdown)
    tokens: Sequence[Any] = fast if fast is not None else _parser().parse(markdown)
    # markdown-it marks where each list item opens; the fast reader's items are one paragraph.
    reader = _BlockReader(paragraph_is_item=fast is not None)
    for tok in tokens:
        on_token = _ON_TOKEN.get(tok.type)
        if on_token is not None:
            on_token(reader, tok)
    _outline_levels(reader.blocks)
    return reader.blocks


@dataclass
class _BlockReader:
    """The blocks read so far, and where the reader stands among the Markdown's tokens."""

    paragraph_is_item: bool
    blocks: list[Block] = field(default_factory=list)
    heading_level: int = 0
    #: The lists open, outermost first (a nested list's items join the outer list).
    lists: list[Block] = field(default_factory=list)
    item_open: bool = False  # markdown-it opened a list item that has no paragraph yet
    signature: bool = False  # the next block follows <!-- signature -->

    def add(self, block: Block) -> None:
        if self.signature:
            self.signature = False
            self.blocks.append(_sign_off(self.blocks, block))
        else:
            self.blocks.append(block)

    def inline(self, tok: Any) -> None:
        """A paragraph's text: a heading, a list item, or a paragraph of its own."""
        runs = inline_runs(tok.children or [])
        if self.heading_level:
            self.add({"kind": "heading", "level": self.heading_level,
                      "style": self.heading_level, "runs": runs})
        elif self.lists:
            self._list_paragraph(runs)
        else:
            self.add({"kind": "paragraph", "runs": runs})

    def _list_paragraph(self, runs: list[Run]) -> None:
        items = self.lists[-1]["items"]
        if self.item_open or self.paragraph_is_item or not items:
            items.append([runs])
        else:
            items[-1].append(runs)  # a second paragraph in the same item
        self.item_open = False

    def heading_open(self, tok: Any) -> None:
        self.heading_level = int(tok.tag[1])

    def heading_close(self, tok: Any) -> None:
        self.heading_level = 0

    def list_open(self, tok: Any) -> None:
        ordered = tok.type == "ordered_list_open"
        block: Block = {"kind": "list", "ordered": ordered, "items": []}
        if ordered:
            block["start"] = int(tok.attrGet("start") or 1)
        if not self.lists:
            self.add(block)
        self.lists.append(block)  # a nested list's items join the outer list when it closes

    def list_item_open(self, tok: Any) -> None:
        self.item_open = True

    def list_close(self, tok: Any) -> None:
        inner = self.lists.pop()
        if self.lists:
            self.lists[-1]["items"].extend(inner["items"])

    def html_block(self, tok: Any) -> None:
        """Our templates' two directives; any other HTML block shows nothing."""
        directive = tok.content.strip()
        if directive == "<!-- signature -->":
            self.signature = True
        elif directive == "<!-- page-break -->":
            self.add({"kind": "page-break"})

    def page_break(self, tok: Any) -> None:
        self.add({"kind": "page-break"})

    def code(self, tok: Any) -> None:
        """Code shows as plain paragraphs, one a line."""
        for line in tok.content.splitlines():
            self.add({"kind": "paragraph", "runs": _text_run(line, False, False)})


#: What the reader does with each kind of token; other kinds (paragraph_open, …) add nothing.
_ON_TOKEN: dict[str, Callable[[_BlockReader, Any], None]] = {
    "inline": _BlockReader.inline,
    "heading_open": _BlockReader.heading_open,
    "heading_close": _BlockReader.heading_close,
    "bullet_list_open": _BlockReader.list_open,
    "ordered_list_open": _BlockReader.list_open,
    "list_item_open": _BlockReader.list_item_open,
    "bullet_list_close": _BlockReader.list_close,
    "ordered_list_close": _BlockReader.list_close,
    "html_block": _BlockReader.html_block,
    "hr": _BlockReader.page_break,
    "fence": _BlockReader.code,
    "code_block": _BlockReader.code,
}


def _sign_off(blocks: list[Block], signed: Block) -> Block:
    """The sign-off: the name (``signed``), with the close and the paragraph before it taken
    from the end of ``blocks``."""
    sign_off: Block = {"kind": "sign-off", "signed": signed}
    for part in ("close", "before"):
        if not blocks or blocks[-1]["kind"] != "paragraph":
            break
        sign_off[part] = blocks.pop()
    return sign_off


def _outline_levels(blocks: list[Block]) -> None:
    """Number the headings' outline levels from 1 without gaps (## under no # becomes 1)."""
    above: list[int] = []  # the Markdown levels of the headings the next one may sit under
    for block in blocks:
        if block["kind"] != "heading":
            continue
        while above and above[-1] >= block["style"]:
            above.pop()
        above.append(block["style"])
        block["level"] = len(above)


def inline_runs(children: Sequence[Any]) -> list[Run]:
    """Runs for a paragraph's inline tokens: text with its emphasis, and hard line breaks.

    Links, images and inline HTML show only their text, as in the .docx; user text cannot make
    them (it is escaped in the Markdown).
    """
    runs: list[Run] = []
    bold = italic = 0
    for tok in children:
        kind = tok.type
        if kind == "text" or kind == "code_inline":
            runs += _text_run(tok.content, bold > 0, italic > 0)
        elif kind == "softbreak":
            runs += _text_run(" ", bold > 0, italic > 0)
        elif kind == "hardbreak":
            runs.append({"break": True})
        elif kind == "strong_open":
            bold += 1
        elif kind == "strong_close":
            bold -= 1
        elif kind == "em_open":
            italic += 1
        elif kind == "em_close":
            italic -= 1
    return _merged(runs)


def _text_run(text: str, bold: bool, italic: bool) -> list[Run]:
    text = _UNPRINTABLE.sub("", text)
    if not text:
        return []
    style: Run = {}
    if bold:
        style["bold"] = True
    if italic:
        style["italic"] = True
    if NON_BREAKING_HYPHEN not in text:
        return [{"text": text, **style}]
    # A reference written with non-breaking hyphens (writers.unbroken) is a run kept whole on
    # its line, its hyphens ordinary ones again, so that the PDF's text is what was typed.
    out: list[Run] = []
    for i, part in enumerate(_WHOLE.split(text)):
        if i % 2:
            out.append({"text": part.replace(NON_BREAKING_HYPHEN, "-"), "whole": True, **style})
        elif part:
            out.append({"text": part, **style})
    return out


#: A non-breaking hyphen (U+2011), which looks like "-" but never ends a line: a reference
#: kept whole (``letters.writers.unbroken``); each writer shows it its own way.
NON_BREAKING_HYPHEN = "\u2011"
_WHOLE = re.compile(r"(\S*\u2011\S*)")


def _merged(runs: list[Run]) -> list[Run]:
    """Neighbouring runs of the same style as one (a soft break between two lines of text)."""
    out: list[Run] = []
    for run in runs:
        last = out[-1] if out else None
        if (last is not None and "text" in last and "text" in run
                and not last.get("whole") and not run.get("whole")
                and last.get("bold") == run.get("bold")
                and last.get("italic") == run.get("italic")):
            out[-1] = {**last, "text": last["text"] + run["text"]}
        else:
            out.append(run)
    return out
