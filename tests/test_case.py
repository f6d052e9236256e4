"""Case-file validation: every problem at once, each with line, field path, what and an example."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from letters.case.validate import load_case
from letters.errors import CaseError

from .conftest import MINIMAL, write_case


def problems(path: Path) -> list[str]:
    with pytest.raises(CaseError) as info:
        load_case(path)
    return [p.describe(with_file=False) for p in info.value.problems]


def test_both_shared_examples_load(full_case: Path, minimal_case: Path) -> None:
    full = load_case(full_case)
    assert [c.name for c in full.children] == ["Sam Doe", "Lily Doe"]
    assert list(full.grounds) == [
        "communication_breakdown", "unprofessional_conduct", "child_not_engaging",
        "recommended_worker", "complaint",
    ]
    assert full.evidence[0].date == dt.date(2026, 4, 3)
    assert full.sender.phone == "07700 900123"
    minimal = load_case(minimal_case)
    assert minimal.jurisdiction == "england"
    assert minimal.response_within_working_days == 10
    assert minimal.recipient.name is None


def test_every_problem_is_reported_at_once_with_lines(tmp_path: Path) -> None:
    text = MINIMAL.replace("date: 2026-11-23", "date: 2026-02-30").replace(
        "  name: Tom Green\n", "  name: Tom Green\n  adress: [1 Road]\n"
    ) + """\
evidence:
  - id: E1
    date: 2026-04-03
    type: emial
    description: My email.
  - id: E1
    date: 2026-04-04
    type: email
    description: Another email.
"""
    text = text.replace("    summary: We have", "    evidence: [E9]\n    summary: We have")
    found = problems(write_case(tmp_path, text))
    assert found == [
        "line 1, date: there is no 30 February; February has 28 days. For example: "
        "date: 2026-11-23",
        'line 4, sender.adress: "adress" is not a field swletter knows, so it would be left out '
        'of the letter. Did you mean "address"? For example: address: [12 High Street, '
        "Hastings, TN34 1AA]",
        'line 15, grounds.communication_breakdown.evidence[1]: cites "E9", but there is no '
        'evidence with that id. Evidence ids: E1. For example: evidence: [{id: E9, date: '
        "2026-04-03, type: email, description: …}]",
        'line 20, evidence[1].type: "emial" is not one of email, letter, text message, call '
        'log, record, report, statement, note, other. Did you mean "email"? For example: '
        "type: email",
        'line 22, evidence[2].id: the id "E1" is already used by evidence[1]; each piece of '
        "evidence needs its own id. For example: id: E3",
    ]


def test_misspelt_ground_is_an_error_not_a_missing_paragraph(tmp_path: Path) -> None:
    text = MINIMAL.replace("communication_breakdown:", "comunication_breakdown:")
    assert problems(write_case(tmp_path, text)) == [
        'line 13, grounds.comunication_breakdown: "comunication_breakdown" is not a ground '
        'swletter knows, so it would be left out of the letter. Did you mean '
        '"communication_breakdown"? For example: grounds: {communication_breakdown: {summary: '
        "Most of my messages go unanswered.}}",
    ]


def test_misspelt_ground_field_is_an_error(tmp_path: Path) -> None:
    text = MINIMAL.replace("    summary:", "    sumary:")
    found = problems(write_case(tmp_path, text))
    assert found[0].startswith("line 13, grounds.communication_breakdown.summary: this is "
                               "required but missing.")
    assert found[1].startswith('line 14, grounds.communication_breakdown.sumary: "sumary" is '
                               "not a field swletter knows")
    assert 'Did you mean "summary"?' in found[1]


def test_at_least_one_ground(tmp_path: Path) -> None:
    text = MINIMAL.split("grounds:")[0] + "grounds: {}\n"
    assert problems(write_case(tmp_path, text)) == [
        "line 12, grounds: at least one ground is needed. For example: grounds: "
        "{communication_breakdown: {summary: Most of my messages go unanswered.}}",
    ]


def test_missing_grounds_names_them_all(tmp_path: Path) -> None:
    text = MINIMAL.split("grounds:")[0]
    (found,) = problems(write_case(tmp_path, text))
    assert found.startswith("grounds: at least one ground is needed: the reasons for asking for "
                            "a change. The grounds are: communication_breakdown, "
                            "unprofessional_conduct, child_not_engaging, recommended_worker, "
                            "complaint.")


def test_unknown_jurisdiction(tmp_path: Path) -> None:
    text = "jurisdiction: Englnd\n" + MINIMAL
    assert problems(write_case(tmp_path, text)) == [
        'line 1, jurisdiction: "Englnd" is not one of england, wales, scotland, '
        'northern-ireland. Did you mean "england"? For example: jurisdiction: wales',
    ]


def test_jurisdiction_is_case_insensitive(tmp_path: Path) -> None:
    case = load_case(write_case(tmp_path, "jurisdiction: Wales\n" + MINIMAL))
    assert case.jurisdiction == "wales"


def test_evidence_file_must_exist_relative_to_the_case(tmp_path: Path) -> None:
    (tmp_path / "evidence").mkdir()
    (tmp_path / "evidence" / "here.txt").write_text("x")
    text = MINIMAL + """\
evidence:
  - {id: E1, date: 2026-04-03, type: email, description: Found., file: evidence/here.txt}
  - {id: E2, date: 2026-04-03, type: email, description: Lost., file: evidence/gone.txt}
"""
    (found,) = problems(write_case(tmp_path, text))
    assert found == (
        'line 17, evidence[2].file: "evidence/gone.txt" does not exist (looked for it next to '
        "the case file). Check the spelling, or leave file out. For example: file: "
        "evidence/2026-04-03-email.txt"
    )


def test_child_named_in_a_ground_must_be_one_of_the_children(tmp_path: Path) -> None:
    text = MINIMAL + "  child_not_engaging:\n    child: Mia Gren\n"
    (found,) = problems(write_case(tmp_path, text))
    assert found == ("line 16, grounds.child_not_engaging.child: this is not the name of one of "
                     "the children in this case. Write it exactly as it is written under "
                     "children:. For example: child: Sam Doe")


def test_wrong_types_are_explained(tmp_path: Path) -> None:
    data = {
        "sender": {"name": 42, "address": "4 Mill Lane"},
        "recipient": ["Sefton Council"],
        "social_worker": {"name": "Karen White"},
        "children": {"name": "Mia Green"},
        "grounds": {"communication_breakdown": {"summary": "Text."}},
        "response_within_working_days": "ten",
    }
    path = tmp_path / "case.json"
    path.write_text(json.dumps(data))
    assert problems(path) == [
        "sender.name: expected text here, not the number 42 (put text in quotes). For "
        "example: name: Jane Doe",
        "sender.address: expected a list of lines in square brackets, not text. For "
        "example: address: [12 High Street, Hastings, TN34 1AA]",
        "recipient: expected a set of fields (title, name, role, team, organisation, address, "
        "email), not a list. For example: recipient: {organisation: Sefton Council, address: "
        "[Bootle Town Hall, Bootle]}",
        'children: expected a list (each item starting with "- "), not a set of fields. For '
        "example: children: [{name: Sam Doe, date_of_birth: 2017-05-02}]",
        "response_within_working_days: expected a whole number, not text. For example: "
        "response_within_working_days: 10",
    ]


def test_yaml_keeps_text_as_typed(tmp_path: Path) -> None:
    text = MINIMAL.replace("  name: Tom Green", "  name: Tom Green\n  phone: 0770 0900")
    text = text.replace("  name: Karen White", "  name: No")
    case = load_case(write_case(tmp_path, text + "case_reference: 012345\n"))
    assert case.sender.phone == "0770 0900"
    assert case.social_worker.name == "No"
    assert case.case_reference == "012345"


def test_json_case_loads(tmp_path: Path) -> None:
    import yaml

    path = tmp_path / "case.json"
    path.write_text(json.dumps(yaml.safe_load(MINIMAL), default=str))
    assert load_case(path).children[0].name == "Mia Green"


def test_user_text_is_folded_and_stripped_of_control_characters(tmp_path: Path) -> None:
    text = MINIMAL.replace(
        "summary: We have not been able to agree how to keep in touch.",
        'summary: "Line one\\nline\\ttwo \\u0007bell \\u202eoverride"',
    )
    case = load_case(write_case(tmp_path, text))
    assert case.grounds["communication_breakdown"]["summary"] == "Line one line two bell override"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "the file is empty."),
        (b"\x00\x01binary", "this is not a text file."),
        (b"name: caf\xe9\n", "line 1: the file is not UTF-8 text."),
        (b"sender: [unclosed\n", "line 2: this is not valid YAML (column 1): a bracket [ or { is "
                                 "opened but not closed"),
        (b"a: &x [1]\nb: *x\n", "line 2: aliases (*name) are not allowed in a case file."),
        (b"sender: 1\nsender: 2\n", 'line 2: "sender" appears more than once in the same place'),
        (b'{"sender": 1, "sender": 2}', '"sender" appears more than once in the same object'),
        (b'{"sender": ', "line 1: this is not valid JSON (column 12). Check for a missing comma"),
        (b"- just\n- a list\n", "a case file is a set of fields such as sender: and children:"),
    ],
)
def test_unreadable_files_get_a_clear_problem(tmp_path: Path, content: bytes,
                                               expected: str) -> None:
    name = "case.json" if content.startswith(b"{") else "case.yaml"
    path = tmp_path / name
    path.write_bytes(content)
    (found,) = problems(path)
    assert found.startswith(expected)


def test_validation_touches_no_files_unless_the_caller_says_where_they_are(tmp_path: Path) -> None:
    from letters.case.reading import parse_case_text
    from letters.case.validate import case_from_data, files_beside

    data = parse_case_text(MINIMAL + "evidence:\n  - {id: E1, date: 2026-04-03, type: email, "
                           "description: An email., file: evidence/missing.pdf}\n", "case.yaml")
    # A web upload has no files beside it: the name is taken as given, nothing is looked up.
    assert case_from_data(data, source="upload").evidence[0].file == "evidence/missing.pdf"
    with pytest.raises(CaseError, match="does not exist"):
        case_from_data(data, source="case.yaml", evidence_files=files_beside(str(tmp_path)))
