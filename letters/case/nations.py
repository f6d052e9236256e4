"""Which part of the UK a letter's recipient is in, from the council's name or its postcode.

The part of the UK sets the bank holidays behind the reply-by date and the complaints procedure a
complaint letter cites, so a case that does not say it must not silently become English. The
facts — every authority with children's social care and the postcode areas of each nation — are
data (``grounds/_authorities.toml``); this module only matches names and postcodes against them.
The indexes are built once per process, and each look-up is a few dictionary probes.
"""

from __future__ import annotations

import functools
import re
import tomllib
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from letters.case.grounds import read_shared_data
from letters.case.schema import JURISDICTIONS
from letters.errors import GroundDefinitionError, Problem

DATA_FILE = "_authorities.toml"

#: How a nation was found: by the recipient's organisation, or by the postcode in its address.
BY_AUTHORITY, BY_POSTCODE = "authority", "postcode"


@dataclass(frozen=True)
class Authority:
    """A council or trust with children's social care, by its official name."""

    name: str
    nation: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class NationGuess:
    """What the recipient tells about the part of the UK.

    ``nation`` is None when nothing could be told, or when what was found points two ways (a
    postcode district that crosses a border); ``note`` then says why, for a message.
    ``found_by`` is ``"authority"`` or ``"postcode"``; ``authority`` is the official name of
    the council or trust when it is known, ``postcode`` the postcode that was used.
    """

    nation: str | None = None
    found_by: str | None = None
    authority: str | None = None
    postcode: str | None = None
    note: str = ""

    @property
    def described(self) -> str:
        """How the nation was found, as words that follow "the recipient" in a message."""
        if self.found_by == BY_POSTCODE:
            return f"'s postcode, {self.postcode},"
        if self.authority:
            return f", {self.authority},"
        return "'s organisation"


@dataclass(frozen=True)
class _Index:
    by_name: Mapping[str, tuple[Authority, ...]]
    longest_name: int
    prefixes: tuple[tuple[str, ...], ...]
    suffixes: tuple[tuple[str, ...], ...]
    same_words: Mapping[str, str]
    areas: Mapping[str, str]
    districts: Mapping[str, str]
    #: District → the nations it straddles, as words ("England and Wales").
    across: Mapping[str, str]


def nation_name(nation: str) -> str:
    """``northern-ireland`` → ``Northern Ireland``."""
    return nation.replace("-", " ").title()


# --------------------------------------------------------------------------------------------
# The data


def _fail(what: str) -> GroundDefinitionError:
    return GroundDefinitionError(f"grounds/{DATA_FILE}: {what}")


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _fail(f"{where} must be a list of text")
    return tuple(value)


def _nation_table(data: Mapping[str, Any], where: str) -> Mapping[str, Any]:
    table = data.get(where.rsplit(".", 1)[-1])
    if not isinstance(table, dict):
        raise _fail(f"[{where}] is missing")
    unknown = set(table) - set(JURISDICTIONS)
    if unknown:
        raise _fail(f"[{where}] names {', '.join(sorted(unknown))}; the parts of the UK are "
                    f"{', '.join(JURISDICTIONS)}")
    return table


@functools.cache
def _data() -> dict[str, Any]:
    try:
        return tomllib.loads(read_shared_data(DATA_FILE))
    except tomllib.TOMLDecodeError as err:
        raise _fail(f"not valid TOML: {err}") from err


@functools.cache
def load_authorities() -> tuple[Authority, ...]:
    """Every authority with children's social care, nation by nation, as the data file lists."""
    table = _nation_table(_data(), "authorities")
    found = []
    for nation in JURISDICTIONS:
        names = table.get(nation, {})
        if not isinstance(names, dict):
            raise _fail(f"[authorities.{nation}] must list names, each = [other names]")
        for name, aliases in names.items():
            found.append(Authority(name, nation, _strings(aliases, f"{nation}.{name}")))
    return tuple(found)


@functools.cache
def _index() -> _Index:
    data = _data()
    matching = data.get("matching", {})
    same = matching.get("same_words", {})
    if not isinstance(same, dict):
        raise _fail("[matching] same_words must be a table of words")

    def phrases(key: str) -> tuple[tuple[str, ...], ...]:
        words = (tuple(_words(p, same)) for p in _strings(matching.get(key, []), key))
        return tuple(sorted(words, key=len, reverse=True))

    prefixes, suffixes = phrases("prefixes"), phrases("suffixes")
    by_name: dict[str, list[Authority]] = {}
    for authority in load_authorities():
        for name in (authority.name, *authority.aliases):
            key = _key(_words(name, same), prefixes, suffixes)
            if not key:
                raise _fail(f"{name!r} has nothing left to match once the words in [matching] "
                            "are taken off")
            owners = by_name.setdefault(key, [])
            if authority not in owners:
                owners.append(authority)
    postcodes = data.get("postcodes", {})
    areas = _nation_table(postcodes, "postcodes.areas")
    districts = _nation_table(postcodes, "postcodes.districts")
    across = postcodes.get("across_borders", {})
    return _Index(
        by_name={k: tuple(v) for k, v in by_name.items()},
        longest_name=max((k.count(" ") + 1 for k in by_name), default=0),
        prefixes=prefixes,
        suffixes=suffixes,
        same_words=same,
        areas={a: n for n, codes in areas.items() for a in _strings(codes, f"areas.{n}")},
        districts={d: n for n, codes in districts.items()
                   for d in _strings(codes, f"districts.{n}")},
        across={d: " and ".join(nation_name(n) for n in nations.split(" and "))
                for nations, codes in across.items()
                for d in _strings(codes, f"across_borders.{nations}")},
    )


# --------------------------------------------------------------------------------------------
# Names

_NOT_A_WORD = re.compile(r"[^0-9a-z]+")


def _words(text: str, same_words: Mapping[str, str]) -> list[str]:
    """The words of a name as compared: no accents, case or punctuation; "&" as "and"."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    plain = plain.casefold().replace("&", " and ").replace("'", "").replace("\u2019", "")
    return [same_words.get(w, w) for w in _NOT_A_WORD.sub(" ", plain).split()]


def _key(words: Sequence[str], prefixes: Sequence[tuple[str, ...]],
         suffixes: Sequence[tuple[str, ...]]) -> str:
    """A name's words without the generic words that start or end it, as one string.

    Something always stays: "Council" alone is not taken down to nothing.
    """
    start, end = 0, len(words)
    changed = True
    while changed:
        changed = False
        for phrase in prefixes:
            if end - start > len(phrase) and tuple(words[start:start + len(phrase)]) == phrase:
                start += len(phrase)
                changed = True
        for phrase in suffixes:
            if end - start > len(phrase) and tuple(words[end - len(phrase):end]) == phrase:
                end -= len(phrase)
                changed = True
    return " ".join(words[start:end])


def name_key(name: str) -> str:
    """The form of an organisation's name that is matched ("The Highland Council" → "highland")."""
    index = _index()
    return _key(_words(name, index.same_words), index.prefixes, index.suffixes)


def _match_name(organisation: str) -> tuple[tuple[Authority, ...], bool]:
    """The authorities an organisation's name stands for, and whether it names one exactly.

    The whole name is tried first ("Cyngor Caerdydd"); failing that, the names of authorities
    found inside it, longest first ("Children's Services, Glasgow City Council").
    """
    index = _index()
    words = _words(organisation, index.same_words)
    exact = index.by_name.get(_key(words, index.prefixes, index.suffixes))
    if exact:
        return exact, True
    found: dict[Authority, None] = {}
    i = 0
    while i < len(words):
        for size in range(min(index.longest_name, len(words) - i), 0, -1):
            owners = index.by_name.get(" ".join(words[i:i + size]))
            if owners:
                found.update(dict.fromkeys(owners))
                i += size
                break
        else:
            i += 1
    return tuple(found), False


def authorities_named(organisation: str) -> tuple[Authority, ...]:
    """The authorities an organisation's name stands for: one, several (a children's trust
    serving two councils), or none."""
    return _match_name(organisation)[0]


def _guess_from_authorities(owners: tuple[Authority, ...]) -> NationGuess:
    nations = {a.nation for a in owners}
    if len(nations) > 1:
        return NationGuess(note="the organisation's name fits authorities in more than one part "
                                "of the UK")
    if not nations:
        return NationGuess()
    return NationGuess(nations.pop(), BY_AUTHORITY, owners[0].name if len(owners) == 1 else None)


# --------------------------------------------------------------------------------------------
# Postcodes

#: A full UK postcode: the outward code (area, district and any sub-district letter) and the
#: inward code, with the letters each position may hold. Upper case; the space is optional.
_POSTCODE = re.compile(
    r"(?<![A-Z0-9])"
    r"(?P<outward>[A-PR-UWYZ](?:[0-9][0-9]?|[A-HK-Y][0-9][0-9]?|[0-9][A-HJKPSTUW]"
    r"|[A-HK-Y][0-9][ABEHMNPRVWXY]))"
    r" ?(?P<inward>[0-9][ABD-HJLNP-UW-Z]{2})(?![A-Z0-9])"
)
_AREA = re.compile(r"[A-Z]+")


def find_postcode(address: Sequence[str]) -> str | None:
    """The last UK postcode in an address, written as ``CF10 4UW``, or None."""
    for line in reversed(address):
        *_, last = (None, *_POSTCODE.finditer(" ".join(line.upper().split())))
        if last is not None:
            return f"{last['outward']} {last['inward']}"
    return None


def nation_for_postcode(postcode: str) -> NationGuess:
    """The part of the UK a postcode (``CF10 4UW``) is in, where its district tells."""
    index = _index()
    district = postcode.split()[0].upper() if postcode.split() else ""
    area = _AREA.match(district)
    if district in index.across:
        return NationGuess(postcode=postcode, note=f"the postcode district {district} has "
                           f"addresses in both {index.across[district]}")
    nation = index.districts.get(district) or (index.areas.get(area.group()) if area else None)
    return NationGuess(nation, BY_POSTCODE if nation else None, postcode=postcode)


# --------------------------------------------------------------------------------------------
# The recipient


def nation_for_recipient(organisation: str | None, address: Sequence[str]) -> NationGuess:
    """The part of the UK the recipient is in, from its organisation's name, else its postcode.

    An organisation named exactly (an authority's name or one of its other names) decides. A
    name found only inside a longer one ("Family Support, Newport …") decides unless the
    postcode points elsewhere, when there is no guess. Whatever points two ways gives none.
    """
    postcode = find_postcode(address)
    by_postcode = nation_for_postcode(postcode) if postcode else NationGuess()
    if not organisation:
        return by_postcode
    owners, exact = _match_name(organisation)
    by_name = _guess_from_authorities(owners)
    if exact or not by_postcode.nation:
        return by_name if by_name.nation or by_name.note else by_postcode
    if by_name.nation and by_name.nation != by_postcode.nation:
        return NationGuess(note=f"the organisation's name points to {nation_name(by_name.nation)}"
                                f" but its postcode, {postcode}, to "
                                f"{nation_name(by_postcode.nation)}")
    return by_name if by_name.nation else by_postcode


@dataclass(frozen=True)
class CaseNation:
    """The part of the UK a case's letters are written for, how it was settled, and advice.

    ``source`` is ``"case file"`` (the case says), ``"recipient"`` (found from the recipient)
    or ``"default"`` (England: neither says).
    """

    nation: str
    source: str
    guess: NationGuess
    warnings: tuple[Problem, ...] = ()


def settle_nation(stated: str | None, organisation: str | None, address: Sequence[str], *,
                  file: str = "") -> CaseNation:
    """The case's part of the UK: as stated, else as the recipient shows, else England.

    Warns when the case says one part of the UK and the recipient is plainly in another, and
    when neither the case nor the recipient tells.
    """
    guess = nation_for_recipient(organisation, address)
    if stated:
        if guess.nation and guess.nation != stated:
            return CaseNation(stated, "case file", guess, (Problem(
                f"this says {nation_name(stated)}, but the recipient{guess.described} is in "
                f"{nation_name(guess.nation)}. Check which part of the UK the council or trust "
                "is in: it sets the bank holidays behind the reply-by date and the complaints "
                "procedure a complaint letter cites.",
                path="jurisdiction", parts=("jurisdiction",), file=file,
                example=f"jurisdiction: {guess.nation}"),))
        return CaseNation(stated, "case file", guess)
    if guess.nation:
        return CaseNation(guess.nation, "recipient", guess)
    why = f" ({guess.note})" if guess.note else ""
    return CaseNation("england", "default", guess, (Problem(
        "the case does not say which part of the UK the council or trust is in, and swletter "
        f"cannot tell from the recipient{why}, so England's bank holidays and complaints "
        "procedure are used. Say which part of the UK (england, wales, scotland or "
        "northern-ireland).",
        path="jurisdiction", parts=("jurisdiction",), file=file,
        example="jurisdiction: wales"),))
