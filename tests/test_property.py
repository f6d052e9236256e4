"""Property tests: whatever a case holds, the result is a letter that opens, or a clear error.

1. Random but well-typed cases (the full example's shape, a random choice of grounds and dates,
   and random hostile strings in every text field) give a letter that python-docx and the
   CommonMark parser read back, with every user string present as typed (after ``clean_text``).
2. Any data at all, and any bytes in a case file, give a ``Case`` or a ``CaseError``, never
   another exception.

Example counts come from the hypothesis profile in conftest.py (moderate by default so CI stays
fast; ``HYPOTHESIS_PROFILE=thorough`` for a long run).
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from pathlib import Path
from typing import Any

from hypothesis import example, given
from hypothesis import strategies as st

from letters.case.model import clean_text
from letters.case.validate import case_from_data, load_case
from letters.compose.request import make_letter
from letters.errors import CaseError

from .conftest import SHARED_EXAMPLES, TODAY
from .test_hostile import (
    FULL,
    HOSTILE,
    LETTER_TAGS,
    TEXT_FIELDS,
    assert_shown_literally,
    docx_text,
    html_text,
)

GROUND_IDS = tuple(FULL["grounds"])

# Any character a file can carry except lone surrogates (they cannot be saved as UTF-8), with
# the hostile fragments mixed in so Markdown, HTML and template syntax turn up often.
_ANY_CHAR = st.characters(blacklist_categories=("Cs",))
hostile_text = st.lists(
    st.one_of(st.text(_ANY_CHAR, min_size=1, max_size=30), st.sampled_from(HOSTILE),
              st.sampled_from([*"*_`[]<>&#=+-.!\\{}%|~", "1. ", "> ", "# ", "&amp;"])),
    min_size=1, max_size=6,
).map("".join).filter(lambda s: clean_text(s) != "")
dates = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2030, 12, 31))


@st.composite
def well_typed_cases(draw: st.DrawFn) -> tuple[dict[str, Any], dict[tuple[Any, ...], str]]:
    """A case shaped like the full example with random content; and the text typed per field."""
    data = copy.deepcopy(FULL)
    typed: dict[tuple[Any, ...], str] = {}
    for path in TEXT_FIELDS:
        here = data
        for part in path[:-1]:
            here = here[part]
        here[path[-1]] = typed[path] = draw(hostile_text)
    data["grounds"]["child_not_engaging"]["child"] = data["children"][0]["name"]
    data["jurisdiction"] = draw(st.sampled_from(["england", "wales", "scotland",
                                                 "northern-ireland"]))
    letter_date = draw(dates)
    data["date"] = letter_date.isoformat()
    for child in data["children"]:
        # Born before the letter is written (a later date of birth is a problem, not a case).
        child["date_of_birth"] = draw(st.dates(min_value=dt.date(1990, 1, 1),
                                               max_value=letter_date)).isoformat()
    for item in data["evidence"]:
        item["date"] = draw(dates).isoformat()
        item.pop("file", None)
    kept = draw(st.sets(st.sampled_from(GROUND_IDS), min_size=1))
    data["grounds"] = {gid: fields for gid, fields in data["grounds"].items() if gid in kept}
    printed = {path: text for path, text in typed.items()
               if path[0] != "grounds" or path[1] in kept}
    return data, printed


@given(well_typed_cases())
def test_any_well_typed_case_gives_a_letter_that_reads_back(
        generated: tuple[dict[str, Any], dict[tuple[Any, ...], str]]) -> None:
    data, typed = generated
    case = case_from_data(data, source="case.yaml", base_dir=str(SHARED_EXAMPLES))
    assert_shown_literally(make_letter(case, today=TODAY),
                           {path: _as_cited(text) for path, text in typed.items()},
                           first_letter_lowered=True)


def _as_cited(text: str) -> str:
    """The text as a reader sees it: a closing full stop moves after an enclosure reference
    ("… without a reply (Enclosure 3)."), by design; every other character stays."""
    shown = clean_text(text)
    return shown[:-1] if shown.endswith(".") and not shown.endswith("..") else shown


# --------------------------------------------------------------------------------------------
# Any input at all

_KNOWN_KEYS = sorted({str(part) for path in TEXT_FIELDS for part in path if isinstance(part, str)}
                     | set(FULL) | set(GROUND_IDS) | {"evidence", "date", "id", "type", "file"})
_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=20),
                     dates, st.sampled_from(["2026-02-30", "E1", "england", "", " "]))
any_data = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.one_of(st.sampled_from(_KNOWN_KEYS), st.text(max_size=10)), inner,
                        max_size=6),
    ),
    max_leaves=30,
)


def _case_or_case_error(data: Any) -> None:
    try:
        case_from_data(data, source="case.yaml", base_dir="/nonexistent")
    except CaseError as err:
        assert err.problems
        assert str(err).startswith("case.yaml has ")


@given(any_data)
def test_any_data_gives_a_case_or_a_case_error(data: Any) -> None:
    _case_or_case_error(data)


def _positions(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = []
    if isinstance(data, dict | list):
        for key in (data if isinstance(data, dict) else range(len(data))):
            out.append((*path, key))
            out.extend(_positions(data[key], (*path, key)))
    return out


FULL_POSITIONS = _positions(FULL)


@given(st.lists(st.tuples(st.sampled_from(FULL_POSITIONS), any_data), min_size=1, max_size=4))
def test_the_full_example_with_anything_anywhere(changes: list[tuple[Any, Any]]) -> None:
    """Close to a real case, so validation goes deep before it meets the bad values."""
    data = copy.deepcopy(FULL)
    for path, value in changes:
        here = data
        try:
            for part in path[:-1]:
                here = here[part]
            here[path[-1]] = value
        except (KeyError, IndexError, TypeError):
            continue  # an earlier change replaced the container this path went through
    _case_or_case_error(data)


@given(st.one_of(st.binary(max_size=300), st.text(max_size=300).map(str.encode)),
       st.sampled_from(["case.yaml", "case.json", "case.txt"]))
def test_any_file_gives_a_case_or_a_case_error(tmp_path_factory: Any, content: bytes,
                                               name: str) -> None:
    path = Path(tmp_path_factory.mktemp("any")) / name
    path.write_bytes(content)
    try:
        load_case(path)
    except CaseError as err:
        assert err.problems


def test_helpers_read_what_they_claim() -> None:
    """The read-back helpers see text and tags (so the property above can fail)."""
    assert html_text("<p>a &amp; <b>b</b></p>") == ("a & b", {"p", "b"})
    assert "b" not in LETTER_TAGS
    rendered = make_letter(case_from_data(copy.deepcopy(FULL), base_dir=str(SHARED_EXAMPLES)),
                           today=TODAY)
    assert "Dear Ms Patel" in docx_text(rendered.to_bytes("docx"))


@given(st.text(st.one_of(st.characters(whitelist_categories=("L", "N", "P", "S")), st.just(" "),
                         st.characters(), st.sampled_from("\t\n\r\xa0\u2028\u202e\x85\x00")),
               max_size=40))
@example("Sam  Doe")
@example(" Sam")
@example("Sam ")
@example("Sam\u202e")
@example("")
def test_clean_text_removes_only_controls_and_folds_only_white_space(text: str) -> None:
    # Its shortcut for text that is already clean must agree with the full cleaning.
    unwanted = re.compile(
        "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufffe\uffff"
        "\ud800-\udfff]")
    assert clean_text(text) == " ".join(unwanted.sub("", text).split())
