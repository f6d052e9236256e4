"""What templates print and call: ``Markdown`` (text already escaped), ``escape_markdown`` for
user text, and the helpers every template may use (addresses as lines, names, sentences,
citations of enclosures). Each returns Markdown built from escaped parts."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence

from letters.compose.language import Language, surname
from letters.compose.request import Letter


class Markdown(str):
    """Text that is already Markdown and must not be escaped again."""

    __slots__ = ()


# Characters both CommonMark and Python-Markdown accept backslash escapes for.
# A translation table rather than a regex substitution: a field of 20,000 "*" escapes in
# milliseconds instead of seconds.
_ALWAYS = str.maketrans({c: "\\" + c for c in "\\`*_[]"} | {"<": "&lt;"})
# "&" only matters where it would start an entity such as &amp; or &#42;.
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
# What only matters at the start of a line: headings, quotes, list markers, setext underlines.
_LINE_START = re.compile(r"^(?:([#>+\-])|(=)|(\d+)([.)]))")
# Any character the two steps above could change.
_SPECIAL = re.compile(r"[\\`*_\[\]<&]")


def escape_markdown(text: str) -> str:
    """Escape user text so any Markdown reader shows exactly the characters typed.

    ``text`` is expected to be one line (``clean_text`` folds line breaks).
    """
    if _SPECIAL.search(text) is None and _LINE_START.match(text) is None:
        return text  # most names and sentences: a third of the time of escaping them
    text = _ENTITY.sub("&amp;", text)
    text = text.translate(_ALWAYS)
    match = _LINE_START.match(text)
    if match:
        if match.group(1):
            text = "\\" + text
        elif match.group(2):
            text = "&#61;" + text[1:]
        else:
            digits = match.group(3)
            text = f"{digits}\\{text[len(digits):]}"
    return text



# --------------------------------------------------------------------------------------------
# Helpers the templates call. Each returns Markdown built from escaped parts.


def first_name(name: str) -> str:
    """The first word of a name: "Sam Doe" → "Sam"."""
    return name.split()[0] if name.split() else name


_SENTENCE_END = re.compile(r"""(?:[.!?…]|[.!?…]["'”’)\]])$""")


def sentence(text: str) -> str:
    """Text that ends as a sentence: a full stop is added unless it already ends with . ! ? or
    … (perhaps inside a closing quote or bracket)."""
    return text if _SENTENCE_END.search(text) else text + "."


def with_citation(text: str, label: str) -> Markdown:
    """User text as a sentence, its enclosure label placed before the closing full stop:
    "… without my being told (Enclosures 1 and 2)." The user's words are otherwise untouched.
    """
    if not label:
        return Markdown(escape_markdown(sentence(text)))
    if text.endswith(".") and not text.endswith(".."):
        return Markdown(escape_markdown(text[:-1]) + label + ".")
    return Markdown(escape_markdown(text) + label + ".")


def lines(items: Iterable[str | None]) -> Markdown:
    """A block of lines (an address) joined with Markdown hard line breaks."""
    return Markdown("  \n".join(escape_markdown(i) for i in items if i))


def formal_name(title: str | None, name: str) -> str:
    """"Mr John Smith" when there is a title, else "John Smith"."""
    return f"{title} {name}" if title else name


def short_name(title: str | None, name: str) -> str:
    """"Mr Smith" when there is a title, else the full name."""
    return f"{title} {surname(name)}" if title else name


# Callable objects rather than closures: a letter's variables are sent to the process that runs
# a charity's templates, and only objects with a name at module level can be sent.
class Cite:
    """" (Enclosure 2)" or " (Enclosures 2 and 3)"; empty when nothing is cited."""

    def __init__(self, letter: Letter, lang: Language) -> None:
        self._lang = lang
        self._numbers = {e.evidence.id: e.number for e in letter.enclosures
                         if e.evidence is not None}

    def __call__(self, ids: Sequence[str] | str) -> Markdown:
        refs = [ids] if isinstance(ids, str) else list(ids)
        return Markdown(self._lang.enclosure_label(sorted(self._numbers[r] for r in refs)))


class Cited:
    """The user's sentence with its enclosures cited before the full stop."""

    def __init__(self, cite: Callable[[Sequence[str]], Markdown]) -> None:
        self._cite = cite

    def __call__(self, text: str, ids: Sequence[str] | str = ()) -> Markdown:
        return with_citation(text, self._cite(ids))
