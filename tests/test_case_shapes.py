"""Case files shaped to cost minutes or gigabytes: every one is answered in bounded time and
memory (issue 13, item 4).

Within the 2 MiB a case file may have, one once took 88 s to check (30,000 evidence items),
another 4 GB and 248 MB of error text (600,000 empty items), another more than ten minutes
(200,000 unknown fields). Nothing here times anything (``benchmarks/bench_case_shapes.py``
prints the figures): the tests assert what bounds the work, such as how many problems are kept,
and run the worst files in a process with a memory limit and a hang guard.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main
from letters.advice.review import check_case
from letters.case.model import Case, Child, Evidence, Recipient, Sender, SocialWorker
from letters.case.validate import (
    MAX_CASE_BYTES,
    MAX_VALUES,
    case_from_data,
    load_case,
    parse_case_text,
)
from letters.compose.request import compose_letter
from letters.errors import MAX_PROBLEMS, CaseError

from .conftest import MINIMAL, write_case
from .processes import hang_guard, run_swletter

#: What a run of swletter may use, whatever case file it is given (the promise is 300 MB).
MEMORY = 300 * 1024 * 1024

_HEAD = """\
date: 2026-11-23
sender: {name: Tom Green, relationship: father, address: [4 Mill Lane, Sefton]}
recipient: {organisation: Sefton Council, address: [Bootle Town Hall, Bootle]}
social_worker: {name: Karen White}
children: [{name: Mia Green}]
"""
_GROUND = """\
grounds:
  communication_breakdown:
    summary: My emails about contact have not been answered since April.
    evidence: [E1]
"""


def _fill(head: str, item: Callable[[int], str], tail: str = "",
          size: int = MAX_CASE_BYTES) -> str:
    """``head``, then as many ``item(i)`` as fit, then ``tail``: a file of at most ``size``."""
    parts, used, i = [head], len(head.encode()) + len(tail.encode()), 1
    while True:
        piece = item(i)
        if used + len(piece.encode()) > size:
            break
        parts.append(piece)
        used += len(piece.encode())
        i += 1
    return "".join(parts) + tail


def _evidence(i: int) -> str:
    return f"  - {{id: E{i}, date: 2026-04-03, type: email, description: Email {i}.}}\n"


def _long_summary(words: str, size: int) -> str:
    """A valid case whose one summary holds ``words`` over and over, to ``size`` bytes."""
    head = (_HEAD + "evidence: [{id: E1, date: 2026-04-03, type: email, description: Email.}]\n"
            "grounds:\n  communication_breakdown:\n    evidence: [E1]\n    summary: >-\n")
    return _fill(head, lambda i: f"      {words}\n", size=size)


# Each is just under 2 MiB unless said otherwise.
HOSTILE_FILES = {
    # 28,000 valid evidence items (the 30,000: 88 s to check).
    "many-evidence-items": ("case.yaml", lambda: _fill(_HEAD + _GROUND + "evidence:\n", _evidence)),
    # evidence: [{}, {}, …] (the 600,000: 49 s, 4 GB, 248 MB of errors).
    "many-empty-items": ("case.yaml", lambda: _fill(_HEAD + _GROUND + "evidence: [",
                                                    lambda i: "{}, ", "{}]\n")),
    # 200,000 unknown fields (the issue's: render still running after 10 minutes).
    "many-unknown-fields": ("case.yaml", lambda: _fill(_HEAD + _GROUND, lambda i: f"k{i}: x\n")),
    "many-unknown-fields-json": ("case.json", lambda: _fill(
        '{"sender": {"name": "Tom Green"}, ', lambda i: f'"k{i}": 1, ', '"z": 0}')),
    "many-duplicate-keys": ("case.yaml", lambda: _fill(_HEAD + _GROUND + "evidence:\n",
                                                       lambda i: "  - {id: E, id: E}\n")),
    # Refused as too many values, as is any list of items that long.
    "many-incidents": ("case.yaml", lambda: _fill(
        _HEAD + "grounds:\n  unprofessional_conduct:\n    incidents:\n",
        lambda i: f"      - {{date: 2026-03-12, what: Visit {i} missed., evidence: [E1]}}\n",
        "evidence: [{id: E1, date: 2026-04-03, type: email, description: Email.}]\n")),
    "one-2-mib-field": ("case.yaml", lambda: _long_summary("He is a liar and a Liar Smith.",
                                                            MAX_CASE_BYTES)),
    # Just under the limit on a case's text, so the tone advice reads all of it: each of these
    # once took minutes (every hostile word, quotation or "Mr." looked at all the text before).
    "hostile-words": ("case.yaml", lambda: _long_summary("He is a liar and a Liar Smith.",
                                                         190_000)),
    "quotations": ("case.yaml", lambda: _long_summary('"a"' * 40, 190_000)),
    "abbreviations": ("case.yaml", lambda: _long_summary("Mr. " * 8, 190_000)),
}


@pytest.mark.parametrize("shape", sorted(HOSTILE_FILES))
def test_a_hostile_case_file_is_answered_within_the_memory_limit(tmp_path: Path,
                                                                shape: str) -> None:
    name, build = HOSTILE_FILES[shape]
    case = tmp_path / name
    case.write_text(build(), encoding="utf-8")
    assert case.stat().st_size <= MAX_CASE_BYTES
    result = run_swletter(["check", str(case)], memory=MEMORY)
    errors = result.stderr.decode("utf-8")
    assert result.returncode in (0, 1), errors
    assert "unexpected problem" not in errors
    assert "out of memory" not in errors
    assert "Traceback" not in errors
    if result.returncode == 1:
        assert errors.startswith(f"Error: {case} has ")
        # At most the kept problems and the line that counts the rest.
        assert len(errors.splitlines()) <= MAX_PROBLEMS + 2


def test_problems_are_capped_where_they_are_collected() -> None:
    data = json.loads(json.dumps({"grounds": {"nope": 1}, "evidence": [{}] * 4000}))
    with pytest.raises(CaseError) as caught:
        case_from_data(data, source="case.yaml")
    err = caught.value
    # Every empty item misses its id, date, type and description, and the case its sender …
    assert len(err.problems) == MAX_PROBLEMS
    assert err.more > 4 * 4000 - MAX_PROBLEMS
    lines = str(err).splitlines()
    assert lines[0] == f"case.yaml has {len(err.problems) + err.more:,} problems:"
    assert len(lines) == 1 + MAX_PROBLEMS + 1
    assert lines[-1] == f"  and {err.more:,} more problems."


def test_the_kept_problems_are_the_first_found_and_located(runner: CliRunner,
                                                          tmp_path: Path) -> None:
    text = MINIMAL + "".join(f"unknown_{i}: x\n" for i in range(1, 201))
    case = write_case(tmp_path, text)
    result = runner.invoke(main, ["check", str(case)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0] == f"Error: {case} has 200 problems:"
    first_line = MINIMAL.count("\n") + 1
    assert lines[1].startswith(f'  - line {first_line}, unknown_1: "unknown_1" is not a field')
    assert lines[MAX_PROBLEMS].startswith(f"  - line {first_line + MAX_PROBLEMS - 1}, "
                                          f"unknown_{MAX_PROBLEMS}:")
    assert lines[-1] == f"  and {200 - MAX_PROBLEMS} more problems."


@pytest.mark.parametrize("name", ["case.yaml", "case.json"])
def test_duplicate_keys_are_capped(tmp_path: Path, name: str) -> None:
    text = ("{" + ", ".join(['"a": 1'] * 1000) + "}") if name.endswith(".json") else \
        "".join("a: 1\n" for _ in range(1000))
    with pytest.raises(CaseError) as caught:
        parse_case_text(text, name, as_json=name.endswith(".json"))
    assert len(caught.value.problems) == MAX_PROBLEMS
    assert caught.value.more == 999 - MAX_PROBLEMS
    assert str(caught.value).splitlines()[-1] == f"  and {999 - MAX_PROBLEMS} more problems."


@pytest.mark.parametrize("name", ["case.yaml", "case.json"])
def test_more_values_than_a_case_can_hold_are_refused_at_the_first_past_the_limit(
        tmp_path: Path, name: str) -> None:
    items = MAX_VALUES  # each is one value, beside the list and its key
    if name.endswith(".json"):
        text = '{"evidence": [' + ", ".join(["1"] * items) + "]}"
    else:
        text = "evidence:\n" + "".join(f"  - {i}\n" for i in range(items))
    case = write_case(tmp_path, text, name=name)
    with pytest.raises(CaseError) as caught:
        load_case(case)
    (problem,) = caught.value.problems
    assert problem.message.startswith(f"the file holds more than {MAX_VALUES:,} values")
    if name.endswith(".yaml"):
        # The root, "evidence", the list: the value past the limit is item MAX_VALUES - 2.
        assert problem.line == MAX_VALUES - 2 + 1


def test_a_case_as_large_as_the_limits_allow_is_still_read(tmp_path: Path) -> None:
    # 2,000 pieces of evidence (9 values each) are well within the limit of values.
    text = _HEAD + _GROUND + "evidence:\n" + "".join(_evidence(i) for i in range(1, 2001))
    case = load_case(write_case(tmp_path, text))
    assert len(case.evidence) == 2000


def test_text_past_the_limit_is_refused_naming_the_field(runner: CliRunner,
                                                         tmp_path: Path) -> None:
    case = write_case(tmp_path, _long_summary("We have not been told about the visits.",
                                              400_000))
    result = runner.invoke(main, ["render", str(case), "-o", str(tmp_path / "letter.md")])
    assert result.exit_code == 1
    assert result.output.splitlines()[1].startswith(
        "  - line 10, grounds.communication_breakdown.summary: the text of the case passes "
        "200,000 characters here")
    assert not (tmp_path / "letter.md").exists()


def test_tone_advice_for_30000_evidence_items(tmp_path: Path) -> None:
    # The case, built directly (a case file that large is refused): advice for each
    # uncited item, grouped with its description, in evidence order.
    count = 30_000
    evidence = tuple(Evidence(f"E{i}", dt.date(2026, 4, 3), "email", f"Email number {i}.")
                     for i in range(1, count + 1))
    case = Case(sender=Sender("Tom Green", ("4 Mill Lane",), relationship="father"),
                recipient=Recipient("Sefton Council", ("Bootle Town Hall",)),
                social_worker=SocialWorker("Karen White"), children=(Child("Mia Green"),),
                grounds={"communication_breakdown": {"summary": "No answers since April.",
                                                     "impact": None, "evidence": ("E1",)}},
                evidence=evidence)
    with hang_guard():
        findings = check_case(case, compose_letter(case).warnings)
    uncited = [f.path for f in findings if f.path.startswith("evidence[")]
    assert uncited == [f"evidence[{i}]" for i in range(2, count + 1)]
