"""The part of the UK, found from the recipient when a case does not say it, and checked when it
does: the authorities and postcode areas in grounds/_authorities.toml, and how cases use them."""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main
from letters.case.grounds import read_shared_data
from letters.case.nations import (
    authorities_named,
    find_postcode,
    load_authorities,
    name_key,
    nation_for_postcode,
    nation_for_recipient,
)
from letters.case.schema import JURISDICTIONS
from letters.case.validate import load_case
from letters.compose.followup import FirstLetter, make_followup
from letters.compose.request import compose_letter
from letters.dates import add_working_days

from .conftest import CASES, MINIMAL, SHARED_EXAMPLES, write_case

#: How many authorities with children's social care each nation has. England: the 153 local
#: authorities of the Department for Education's children's services statistics since the
#: Cumbria reorganisation of April 2023 (21 county councils, 36 metropolitan boroughs, 32 London
#: boroughs and the City of London, 62 unitary authorities, the Isles of Scilly). Wales: 22
#: principal councils. Scotland: 32 councils. Northern Ireland: 5 Health and Social Care Trusts.
EXPECTED_COUNTS = {"england": 153, "wales": 22, "scotland": 32, "northern-ireland": 5}


def case_for(tmp_path: Path, organisation: str, address: str, *, jurisdiction: str = "",
             date: str = "2026-11-23") -> Path:
    """The minimal case, addressed to ``organisation`` at ``address``."""
    text = MINIMAL.replace("organisation: Sefton Council", f"organisation: {organisation}")
    text = text.replace("address: [Bootle Town Hall, Oriel Road, Bootle, L20 7AE]",
                        f"address: [{address}]")
    text = text.replace("date: 2026-11-23", f"date: {date}")
    if jurisdiction:
        text = f"jurisdiction: {jurisdiction}\n" + text
    return write_case(tmp_path, text)


def jurisdiction_warnings(path: Path) -> list[str]:
    return [str(w) for w in compose_letter(load_case(path)).warnings
            if w.path == "jurisdiction"]


# --------------------------------------------------------------------------------------------
# Cases without jurisdiction:


def test_a_case_to_cardiff_council_is_welsh_and_its_complaint_cites_the_welsh_procedure(
        tmp_path: Path) -> None:
    case = load_case(case_for(tmp_path, "Cardiff Council", "County Hall, Atlantic Wharf, Cardiff"))
    assert (case.jurisdiction, case.jurisdiction_source) == ("wales", "recipient")
    assert not jurisdiction_warnings(case_for(tmp_path, "Cardiff Council", "County Hall"))
    complaint = make_followup(case, "complaint", FirstLetter(dt.date(2026, 11, 23)),
                              today=dt.date(2026, 12, 10))
    words = " ".join(complaint.markdown.replace("\\", "").split())
    assert "Social Services and Well-being (Wales) Act 2014" in words
    assert "Children Act 1989" not in words
    assert "(England)" not in words


def test_glasgow_city_council_gets_scotlands_bank_holidays(tmp_path: Path) -> None:
    # St Andrew's Day, Monday 30 November 2026, is a bank holiday in Scotland only.
    case = load_case(case_for(tmp_path, "Glasgow City Council", "City Chambers, George Square"))
    assert case.jurisdiction == "scotland"
    letter = compose_letter(case)
    assert letter.reply_by == dt.date(2026, 12, 8)
    assert add_working_days(dt.date(2026, 11, 23), 10, "england") == dt.date(2026, 12, 7)


def test_an_unknown_organisation_with_a_belfast_postcode_is_in_northern_ireland(
        tmp_path: Path) -> None:
    case = load_case(case_for(tmp_path, "Family Support Hub",
                              "Trust Headquarters, Lisburn Road, Belfast, BT9 7AB"))
    assert (case.jurisdiction, case.jurisdiction_source) == ("northern-ireland", "recipient")
    assert case.warnings == ()


def test_nothing_to_go_on_keeps_england_and_asks_for_the_part_of_the_uk(tmp_path: Path) -> None:
    path = case_for(tmp_path, "Children's Services", "Civic Centre, High Street")
    case = load_case(path)
    assert (case.jurisdiction, case.jurisdiction_source) == ("england", "default")
    assert jurisdiction_warnings(path) == [
        f"{path}, jurisdiction: the case does not say which part of the UK the council or trust "
        "is in, and swletter cannot tell from the recipient, so England's bank holidays and "
        "complaints procedure are used. Say which part of the UK (england, wales, scotland or "
        "northern-ireland). For example: jurisdiction: wales"]


def test_a_postcode_district_across_the_border_gives_no_guess_and_says_why(
        tmp_path: Path) -> None:
    path = case_for(tmp_path, "Children's Services", "Civic Centre, Oswestry, SY10 7AB")
    assert load_case(path).jurisdiction_source == "default"
    [warning] = jurisdiction_warnings(path)
    assert "(the postcode district SY10 has addresses in both England and Wales)" in warning


# --------------------------------------------------------------------------------------------
# Cases that say it


def test_a_stated_nation_that_the_recipient_contradicts_is_kept_with_a_warning(
        tmp_path: Path) -> None:
    path = case_for(tmp_path, "Cyngor Caerdydd", "County Hall, Cardiff, CF10 4UW",
                    jurisdiction="england")
    case = load_case(path)
    assert (case.jurisdiction, case.jurisdiction_source) == ("england", "case file")
    assert jurisdiction_warnings(path) == [
        f"{path}, jurisdiction: this says England, but the recipient, Cardiff Council, is in "
        "Wales. Check which part of the UK the council or trust is in: it sets the bank "
        "holidays behind the reply-by date and the complaints procedure a complaint letter "
        "cites. For example: jurisdiction: wales"]


def test_a_stated_nation_the_postcode_contradicts_names_the_postcode(tmp_path: Path) -> None:
    path = case_for(tmp_path, "Children's Services", "Civic Centre, Edinburgh, EH8 8BG",
                    jurisdiction="wales")
    [warning] = jurisdiction_warnings(path)
    assert "this says Wales, but the recipient's postcode, EH8 8BG, is in Scotland." in warning


def test_a_stated_nation_the_recipient_agrees_with_gives_no_warning(tmp_path: Path) -> None:
    path = case_for(tmp_path, "Cardiff Council", "County Hall, CF10 4UW", jurisdiction="wales")
    assert jurisdiction_warnings(path) == []


def test_check_and_the_complaint_show_the_disagreement(runner: CliRunner,
                                                       tmp_path: Path) -> None:
    path = case_for(tmp_path, "Glasgow City Council", "City Chambers, Glasgow, G2 1DU",
                    jurisdiction="england")
    result = runner.invoke(main, ["check", str(path)])
    assert result.exit_code == 0, result.output
    assert "jurisdiction:" in result.output
    assert "this says England, but the recipient, Glasgow City Council, is in Scotland." in \
        " ".join(result.output.split())
    followup = make_followup(load_case(path), "complaint", FirstLetter(dt.date(2026, 11, 23)),
                             today=dt.date(2026, 12, 10))
    assert [w.path for w in followup.warnings] == ["jurisdiction"]


def test_no_example_or_test_case_changes_nation_or_warns(shared_examples: Path) -> None:
    for path in [*sorted(shared_examples.glob("*.yaml")), *sorted(CASES.iterdir())]:
        case = load_case(path)
        assert not [w for w in case.warnings if w.path == "jurisdiction"], path
        stated = re.search(r'"?jurisdiction"?: "?([a-z-]+)', path.read_text(encoding="utf-8"))
        assert case.jurisdiction == (stated.group(1) if stated else "england"), path


# --------------------------------------------------------------------------------------------
# Matching names


@pytest.mark.parametrize(("organisation", "nation", "authority"), [
    ("Cardiff Council", "wales", "Cardiff Council"),
    ("City of Cardiff Council", "wales", "Cardiff Council"),
    ("Cardiff County Council", "wales", "Cardiff Council"),
    ("cyngor caerdydd", "wales", "Cardiff Council"),
    ("Rhondda Cynon Taf", "wales", "Rhondda Cynon Taf County Borough Council"),
    ("RCT", "wales", "Rhondda Cynon Taf County Borough Council"),
    ("Cyngor Sir Ynys Môn", "wales", "Isle of Anglesey County Council"),
    ("Belfast HSC Trust", "northern-ireland", "Belfast Health and Social Care Trust"),
    ("Belfast Health & Social Care Trust", "northern-ireland",
     "Belfast Health and Social Care Trust"),
    ("The Highland Council", "scotland", "The Highland Council"),
    ("Highland Council", "scotland", "The Highland Council"),
    ("City of Edinburgh Council", "scotland", "City of Edinburgh Council"),
    ("Comhairle nan Eilean Siar", "scotland", "Comhairle nan Eilean Siar"),
    ("Barnet Council", "england", "London Borough of Barnet"),
    ("Royal Borough of Kensington & Chelsea", "england",
     "Royal Borough of Kensington and Chelsea"),
    ("Saint Helens Council", "england", "St Helens Borough Council"),
    ("BCP Council", "england", "Bournemouth, Christchurch and Poole Council"),
    ("North Yorkshire County Council", "england", "North Yorkshire Council"),
    ("Westmorland & Furness Council", "england", "Westmorland and Furness Council"),
    ("Children's Services, Glasgow City Council", "scotland", "Glasgow City Council"),
    ("Glasgow City Health and Social Care Partnership", "scotland", "Glasgow City Council"),
    ("Northamptonshire Children's Trust", "england", None),
])
def test_names_people_write_find_the_authority(organisation: str, nation: str,
                                               authority: str | None) -> None:
    guess = nation_for_recipient(organisation, [])
    assert (guess.nation, guess.found_by, guess.authority) == (nation, "authority", authority)


def test_a_name_found_inside_another_gives_way_to_a_postcode_that_disagrees() -> None:
    guess = nation_for_recipient("Newport Family Centre", ["Town Hall", "Newport", "PO30 1UD"])
    assert guess.nation is None
    assert "points to Wales but its postcode, PO30 1UD, to England" in guess.note
    # A name given exactly is the authority itself, wherever its letters are sent.
    assert nation_for_recipient("Newport City Council", ["PO30 1UD"]).nation == "wales"


def test_every_authority_is_found_by_its_official_name_and_its_other_names() -> None:
    for authority in load_authorities():
        assert authorities_named(authority.name) == (authority,), authority.name
        for alias in authority.aliases:
            assert authority in authorities_named(alias), alias
            assert nation_for_recipient(alias, []).nation == authority.nation, alias


def test_no_name_belongs_to_two_nations() -> None:
    nations: dict[str, set[str]] = {}
    for authority in load_authorities():
        for name in (authority.name, *authority.aliases):
            nations.setdefault(name_key(name), set()).add(authority.nation)
    assert {k: v for k, v in nations.items() if len(v) > 1} == {}


def test_no_official_name_is_shared() -> None:
    keys = Counter(name_key(a.name) for a in load_authorities())
    assert [k for k, n in keys.items() if n > 1] == []


def test_each_nation_has_the_authorities_it_should() -> None:
    counts = Counter(a.nation for a in load_authorities())
    assert dict(counts) == EXPECTED_COUNTS


# --------------------------------------------------------------------------------------------
# Postcodes


@pytest.mark.parametrize(("address", "postcode"), [
    (["County Hall", "Cardiff", "CF10 4UW"], "CF10 4UW"),
    (["county hall, cardiff cf104uw"], "CF10 4UW"),
    (["10 Downing Street", "London SW1A 2AA", "United Kingdom"], "SW1A 2AA"),
    (["PO Box 2", "EC1A 1BB", "then moved to M1 1AE"], "M1 1AE"),
    (["Flat 2B", "12 High Street"], None),
    (["Ref QQ1 1AA"], None),  # Q never starts a postcode
    (["ABCD1 1AA"], None),  # not on its own
])
def test_the_last_postcode_in_the_address_is_used(address: list[str],
                                                  postcode: str | None) -> None:
    assert find_postcode(address) == postcode


@pytest.mark.parametrize(("postcode", "nation"), [
    ("BT9 7AB", "northern-ireland"), ("G2 1DU", "scotland"), ("TD1 1AA", "scotland"),
    ("TD15 1AA", None), ("CH5 1AA", "wales"), ("CH2 1AA", "england"), ("CH1 1AA", None),
    ("SY3 8AA", "england"), ("SY23 1AA", "wales"), ("SY22 6AA", None), ("NP20 4UR", "wales"),
    ("NP16 5AA", None), ("CA3 8QG", "england"), ("DG16 5AA", None), ("EC1A 1BB", "england"),
    ("GY1 1AA", None),  # Guernsey: not in the UK's four nations
])
def test_postcodes_by_area_and_district(postcode: str, nation: str | None) -> None:
    assert nation_for_postcode(postcode).nation == nation


def test_the_postcode_data_is_consistent() -> None:
    data = tomllib.loads(read_shared_data("_authorities.toml"))["postcodes"]
    areas = [a for nation in JURISDICTIONS for a in data["areas"].get(nation, [])]
    assert [a for a, n in Counter(areas).items() if n > 1] == []
    listed = [d for codes in (*data["districts"].values(), *data["across_borders"].values())
              for d in codes]
    assert [d for d, n in Counter(listed).items() if n > 1] == []
    for district in listed:
        assert re.match(r"[A-Z]+", district).group() in areas, district  # type: ignore[union-attr]


def test_recipients_in_the_shared_examples_are_recognised() -> None:
    for path in sorted(SHARED_EXAMPLES.glob("*.yaml")):
        case = load_case(path)
        guess = nation_for_recipient(case.recipient.organisation, case.recipient.address)
        assert guess.authority is not None, path
