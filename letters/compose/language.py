"""The language layer: every word a document takes from its language rather than a template.

One data file per language, ``grounds/_language_<code>.toml``, gives dates, lists, possessives,
salutations and closes, enclosure labels, the page header and footer, the document language tag
and each document's subject line. ``language("en")`` reads it once per process. Templates are
chosen by language as well (see ``letters.templating.environment``): a new language is a data
file and templates, not Python.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from letters.case.grounds import read_shared_data
from letters.errors import GroundDefinitionError, LettersError
from letters.text import capital

#: The languages a document can be written in, and ``cy+en``: Welsh then English.
LANGUAGES = ("en", "cy")
BILINGUAL = "cy+en"
DEFAULT = "en"


class LanguageError(LettersError):
    """Raised when a document is asked for in a language swletter has no wording for."""


@dataclass(frozen=True)
class Language:
    """One language's words for documents, read from its data file."""

    code: str
    tag: str
    locale: str
    data: Mapping[str, Any]

    # -- dates, lists and names --------------------------------------------------------------

    def date(self, day: dt.date, style: str = "day") -> str:
        """``2026-11-23`` → "23 November 2026" (in Welsh, "23 Tachwedd 2026"); in the style
        ``"month"``, "November 2026" (an anonymised copy gives no day)."""
        dates = self.data["dates"]
        pattern = dates.get("month_pattern", "{month} {year}") if style == "month" \
            else dates["pattern"]
        return str(pattern).format(day=day.day, month=self._months()[day.month - 1],
                                   year=day.year)

    def day(self, day: dt.date) -> str:
        """``2026-12-07`` → "Monday 7 December 2026": a date with its day of the week, for a
        person planning what to do when."""
        names = self.data["dates"].get("weekdays") or _babel_weekdays(self.locale)
        pattern = self.data["dates"].get("weekday_pattern", "{weekday} {date}")
        return str(pattern).format(weekday=names[day.weekday()], date=self.date(day))

    def _months(self) -> Sequence[str]:
        given = self.data["dates"].get("months")
        return given if given else _babel_months(self.locale)

    def month_names(self) -> tuple[str, ...]:
        """The names of the months, January first, as this language writes them in a date."""
        return tuple(str(m) for m in self._months())

    def weekday_names(self) -> tuple[str, ...]:
        """The names of the days of the week, Monday first."""
        return tuple(str(d) for d in
                     (self.data["dates"].get("weekdays") or _babel_weekdays(self.locale)))

    def join(self, items: Iterable[str]) -> str:
        """``["Sam", "Lily", "Ava"]`` → "Sam, Lily and Ava"."""
        names = [n for n in items if n]
        if len(names) <= 1:
            return "".join(names)
        lists = self.data["lists"]
        if len(names) == 2:
            return self._pattern(lists["pair"], names[0], names[1])
        text = names[0]
        for name in names[1:-1]:
            text = str(lists["more"]).format(text, name)
        return self._pattern(lists["last"], text, names[-1])

    def _pattern(self, pattern: str, first: str, second: str) -> str:
        # A language may join differently before a vowel (Welsh "a" / "ac").
        lists = self.data["lists"]
        vowel = lists.get("before_vowel")
        if vowel and self._starts_with_vowel(second):
            pattern = vowel
        else:
            # Welsh "a" mutates the word after it: "Plentyn A a Phlentyn B" (data: only
            # swletter's own words, never a name).
            word, space, rest = second.partition(" ")
            second = str(lists.get("after_and", {}).get(word, word)) + space + rest
        return str(pattern).format(first, second)

    def _starts_with_vowel(self, text: str) -> bool:
        """Whether ``text`` begins with a vowel sound, as the data's ``vowel_pattern`` (a
        regular expression, which can count numbers read aloud) or ``vowels`` say."""
        lists = self.data["lists"]
        pattern = lists.get("vowel_pattern")
        if pattern:
            return _compiled(str(pattern)).match(text.lower()) is not None
        return text[:1].lower() in str(lists.get("vowels", "aeiouy"))

    def possessive(self, name: str) -> str:
        """``Sam`` → "Sam's"."""
        return str(self.data["possessive"]["name"]).format(name=name)

    def first_name(self, name: str) -> str:
        """A child's short name: ``Sam Doe`` → "Sam", but ``Child 1`` and ``Baby A`` stay
        whole, since their first word is not a name."""
        words = name.split()
        if len(words) < 2:
            return name
        not_names = {str(w).lower() for w in self.data.get("names", {}).get("not_names", ())}
        if words[0].lower().strip(".,") in not_names or any(
                len(w) == 1 or any(ch.isdigit() for ch in w) for w in words[1:]):
            return name
        return words[0]

    def first_names(self, names: Sequence[str]) -> list[str]:
        """Each child's short name (see ``first_name``); children whose short names would be
        the same are called by their full names."""
        short = [self.first_name(n) for n in names]
        return [n if short.count(s) > 1 else s for n, s in zip(names, short, strict=True)]

    def children_together(self, names: Sequence[str]) -> str:
        """How the letter calls the children once it has named them: "Sam and Lily", or for
        more than a few, "the children"."""
        words = self.data.get("children", {})
        if len(names) > int(words.get("by_name_up_to", len(names))) and words.get("together"):
            return str(words["together"])
        return self.join(self.first_names(names))

    def all_children(self, n: int) -> str:
        """Every one of ``n`` children, counted: "both children", "all three children"."""
        words = self.data.get("children", {})
        named = words.get("all", [])
        if 2 <= n < 2 + len(named):
            return str(named[n - 2])
        return str(words.get("all_more", "{n}")).format(n=n)

    def after(self, word: str, phrase: str) -> str:
        """``phrase`` after ``word``, joined as the language joins them: in Welsh the article
        "y"/"yr" after a word ending in a vowel becomes "'r" ("cefnogi'r plant", "Nid yw'r
        plant"; ``[elision]`` in the data file). Only swletter's own words take this, never a
        name or the family's text."""
        rule = self.data.get("elision", {})
        article, _, rest = phrase.partition(" ")
        if (rest and article.lower() in rule.get("articles", ())
                and re.search(str(rule.get("after", "(?!)")), word, re.IGNORECASE)):
            return f"{word}{rule['elided']} {rest}"
        return f"{word} {phrase}"

    def relationship(self, word: str | None, *, keep: bool = False) -> str | None:
        """The family's word for their relationship in the letter's register: "Mum" →
        "mother", "nan" → "grandmother"; as written with ``keep`` or when it is not listed."""
        if not word or keep:
            return word
        table = self.data.get("relationships", {})
        return str(table.get(" ".join(word.lower().split()), word))

    def evidence_type(self, kind: str) -> str:
        """How a kind of evidence is named in the enclosures: "email" → "Email"; "" to leave
        it out."""
        names = self.data.get("evidence_types", {})
        return str(names[kind]) if kind in names else capital(kind)

    def salutation(self, title: str | None, name: str | None) -> tuple[str, str]:
        """The greeting and its matching close: "Dear Ms Patel" … "Yours sincerely" for a named
        reader, "Dear Sir or Madam" … "Yours faithfully" otherwise. Without a title the full
        name is used rather than a guessed one."""
        words = self.data["salutation"]
        if not name:
            return str(words["unnamed"]), str(words["close_unnamed"])
        if title:
            return (str(words["named_with_title"]).format(title=title, surname=surname(name)),
                    str(words["close_named"]))
        return str(words["named"]).format(name=name), str(words["close_named"])

    def enclosure_label(self, numbers: Sequence[int]) -> str:
        """" (Enclosure 2)" / " (Enclosures 2 and 3)" with its leading space, or ""."""
        if not numbers:
            return ""
        words = self.data["enclosures"]
        label = str(words["one" if len(numbers) == 1 else "other"]).format(
            numbers=self.join([str(n) for n in numbers]))
        return str(words["cited"]).format(label=label)

    def plural(self, n: int) -> str:
        """The CLDR plural category of ``n`` in this language: English has "one" and "other";
        Welsh "zero", "one", "two", "few", "many" and "other" (Babel's plural rules)."""
        return _plural_form(self.locale, n)

    def counted(self, what: str, n: int) -> str:
        """``n`` things of the kind ``what`` (``[counts]`` in the data file), in the form the
        number's plural category takes: "10 working days"; in Welsh "2 ddiwrnod gwaith"."""
        forms = self.data.get("counts", {}).get(what)
        if not forms:
            raise LanguageError(f"grounds/_language_{self.code}.toml has no [counts] {what}.")
        form = forms.get(self.plural(n), forms.get("other"))
        return str(form).format(n=n)

    def language_choice(self, choice: str, nation: str) -> str:
        """The sentence saying the family's language choice (``cy``, ``cy+en``) and asking for
        the reply in it, in this language; "" where there is none (a letter in English). Only
        in Wales do the Welsh Language Standards let the letter ask for a Welsh reply and for
        the choice to be recorded; elsewhere the sentence only welcomes a reply in Welsh."""
        where = "wales" if nation == "wales" else "elsewhere"
        return str(self.data.get("language_choice", {}).get(where, {}).get(choice, ""))

    # -- documents ---------------------------------------------------------------------------

    def subject(self, kind: str, children: Sequence[str], reference: str | None) -> str:
        """The subject line of a document of ``kind`` about ``children``."""
        subjects = self.data["subjects"]
        ref = str(subjects["reference"]).format(reference=reference) if reference else ""
        return str(subjects[kind]).format(children=self.join(children), reference=ref)

    def title(self, kind: str, **values: str) -> str | None:
        """The title of a document whose title is not its subject line, else None."""
        pattern = self.data.get("titles", {}).get(kind)
        return str(pattern).format(**values) if pattern else None

    def page(self, part: str) -> str:
        """The page header ("Private and confidential") or footer pattern ("Page {page} of
        {pages}")."""
        return str(self.data["page"][part])

    def footer_parts(self) -> tuple[str, str, str]:
        """The footer's words around its two numbers: ("Page ", " of ", "")."""
        before, _, rest = self.page("footer").partition("{page}")
        between, _, after = rest.partition("{pages}")
        return before, between, after

    @property
    def region(self) -> tuple[str, str]:
        """The language tag's parts: ("en", "GB")."""
        code, _, region = self.tag.partition("-")
        return code, region


def surname(name: str) -> str:
    """The last word of a name: "Sarah Patel" → "Patel"."""
    return name.split()[-1] if name.split() else name


@functools.cache
def language(code: str = DEFAULT) -> Language:
    """The language ``code`` (``en``, ``cy``), read once per process."""
    if code not in LANGUAGES:
        raise LanguageError(f'"{code}" is not a language swletter writes. The languages are: '
                            f"{', '.join((*LANGUAGES, BILINGUAL))}.")
    where = f"grounds/_language_{code}.toml"
    try:
        data = tomllib.loads(read_shared_data(f"_language_{code}.toml"))
    except FileNotFoundError:
        raise LanguageError(f"swletter has no wording for the language {code!r} ({where} is "
                            "missing).") from None
    except tomllib.TOMLDecodeError as err:
        raise GroundDefinitionError(f"{where} is not valid TOML: {err}") from err
    missing = [k for k in ("code", "tag", "locale", "dates", "lists", "possessive",
                           "salutation", "enclosures", "page", "subjects") if k not in data]
    if missing or data.get("code") != code:
        raise GroundDefinitionError(f"{where} is missing {', '.join(missing) or 'its code'}")
    return Language(code, str(data["tag"]), str(data["locale"]), data)


def languages_of(choice: str) -> tuple[str, ...]:
    """The languages a document is written in, in order: ``cy+en`` → ("cy", "en")."""
    return tuple(choice.split("+"))


#: Every language choice a case, an option or the settings may give: one language, or Welsh
#: then English in one document.
CHOICES = (*LANGUAGES, BILINGUAL)


def choose_language(*choices: str | None) -> str:
    """The first choice given, in the order the caller ranks them (the command line's option,
    then the case file, then the settings); English when none is."""
    chosen = next((c for c in choices if c), DEFAULT)
    if chosen not in CHOICES:
        raise LanguageError(f'"{chosen}" is not a language swletter writes. The languages are: '
                            f"{', '.join(CHOICES)}.")
    return chosen


@functools.cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


@functools.cache
def _plural_form(locale: str, n: int) -> str:
    from babel import Locale

    return str(Locale.parse(locale).plural_form(n))


@functools.cache
def _babel_weekdays(locale: str) -> tuple[str, ...]:
    """Weekday names (Monday first) from Babel's CLDR data."""
    from babel import Locale

    wide = Locale.parse(locale).days["format"]["wide"]
    return tuple(str(wide[i]) for i in range(7))


@functools.cache
def _babel_months(locale: str) -> tuple[str, ...]:
    """Month names from Babel's CLDR data, for a language whose data file gives none."""
    from babel import Locale  # imported only for such a language: it takes a moment

    wide = Locale.parse(locale).months["format"]["wide"]
    return tuple(str(wide[i]) for i in range(1, 13))
