"""What templates print and call: ``Markdown`` (text already escaped), ``escape_markdown`` for
user text, and the helpers every template may use (addresses as lines, names, sentences,
citations of enclosures). Each returns Markdown built from escaped parts."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Sequence

from letters.case.model import case_names as case_names
from letters.compose.language import Language, language, surname
from letters.compose.request import Letter
from letters.dates import age as age
from letters.text import capital as capital


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


_SENTENCE_END = re.compile(r"""(?:[.!?…]|[.!?…]["'”’)\]])$""")


def sentence(text: str) -> str:
    """Text that ends as a sentence: a full stop is added unless it already ends with . ! ? or
    … (perhaps inside a closing quote or bracket)."""
    return text if _SENTENCE_END.search(text) else text + "."


_QUOTE_PAIRS = {'"': '"', "“": "”", "'": "'", "‘": "’"}


def unquoted(text: str) -> str:
    """Words the user wrapped in quotation marks, without them, so that a template can quote
    them in its own marks: '"I don't want to."' → "I don't want to." Text not wholly in
    quotation marks is returned as typed."""
    closing = _QUOTE_PAIRS.get(text[:1])
    inner = text[1:-1]
    if closing and len(text) > 2 and text.endswith(closing) and closing not in inner \
            and text[:1] not in inner:
        return inner
    return text


_DOUBLE_QUOTED = re.compile(r'"([^"\n]+)"|“([^“”\n]+)”')


def quoted_within(text: str) -> str:
    """Words to print inside the template's own double quotation marks: their outer marks
    taken off (``unquoted``), and a quotation inside them in single curly marks, as British
    style nests them: 'Zofia said: "I don't feel listened to."' → "Zofia said: ‘I don't feel
    listened to.’"."""
    return _DOUBLE_QUOTED.sub(lambda m: f"‘{m.group(1) or m.group(2)}’", unquoted(text))


_FIRST_WORD = re.compile(r"[A-Z][a-z]+(?=[\s,;:.]|$)")


class Phrase:
    """The user's phrase as it reads inside a sentence: "Missed visits and …" → "missed
    visits and …". Only a plain capitalised first word is lowered, never a name of the case,
    "I", a month or a word the language keeps capitalised; otherwise it is printed as typed."""

    def __init__(self, names: Iterable[str], lang: Language) -> None:
        kept, not_names = _kept_capital(lang.code)
        # Words of names that are not names (the anonymised copy's "The father", "Child A")
        # would keep "The" and "A" capitalised inside a sentence.
        self._keep = kept | {w.lower() for n in names for w in re.findall(r"\w+", n)
                             if w.lower() not in not_names}

    def __call__(self, text: str) -> str:
        # Plain text, still to be escaped: printed, or passed to cited().
        match = _FIRST_WORD.match(text)
        if match and match.group().lower() not in self._keep and not _name_follows(text,
                                                                                  match.end()):
            return text[:1].lower() + text[1:]
        return text


@functools.cache
def _kept_capital(code: str) -> tuple[frozenset[str], frozenset[str]]:
    """The words language ``code`` keeps capitalised inside a sentence (its ``keep_capital``
    words, the months and the words of the days of the week, "Dydd Llun" as in "Monday"), and
    its words of names that are not names; worked out once, not for every letter in a batch."""
    lang = language(code)
    names = lang.data.get("names", {})
    keep = {str(w).lower() for w in names.get("keep_capital", ())}
    keep |= {w.lower() for day in (*lang.month_names(), *lang.weekday_names())
             for w in day.split()}
    return frozenset(keep), frozenset(str(w).lower() for w in names.get("not_names", ()))


def _name_follows(text: str, end: int) -> bool:
    """Whether the next word is capitalised too, as in a name ("Bristol City Council")."""
    rest = text[end:].split(maxsplit=1)
    return bool(rest) and rest[0][:1].isupper()


def with_citation(text: str, label: str) -> Markdown:
    """User text as a sentence, its enclosure label placed before the closing full stop:
    "… without my being told (Enclosures 1 and 2)." A sentence that ends inside a quotation
    ('… my room."') has its full stop moved after the label, as UK style puts it ('… my
    room" (Enclosure 1).'); the user's words are otherwise untouched.
    """
    if not label:
        return Markdown(escape_markdown(sentence(text)))
    if text.endswith(".") and not text.endswith(".."):
        return Markdown(escape_markdown(text[:-1]) + label + ".")
    if len(text) > 2 and text[-2] == "." and text[-1] in _CLOSING_QUOTES and text[-3] != ".":
        return Markdown(escape_markdown(text[:-2] + text[-1]) + label + ".")
    return Markdown(escape_markdown(text) + label + ".")


_CLOSING_QUOTES = "\"'”’"


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
