"""Case files: validating every field of plain case data and building the ``Case``
(``letters.case.model``); reading a file's text into plain data is ``letters.case.reading``.

Validation collects every problem before raising one ``CaseError``, so a user fixes a file in one
pass: the first ``errors.MAX_PROBLEMS`` of them, and how many more. Each problem names the file,
the line (for YAML), the field path such as ``evidence[2].date`` (items counted from 1), what is
wrong and an example of what is right. Each pass over the data is linear in its size.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from letters.case.grounds import Ground, load_grounds
from letters.case.model import (
    Case,
    Child,
    CopyTo,
    Evidence,
    PathParts,
    Recipient,
    Sender,
    SocialWorker,
    SupportingStatement,
    format_path,
    walk_fields,
)
from letters.case.nations import CaseNation, settle_nation

# The limits and readers were long defined here, and are still imported from here.
from letters.case.reading import MAX_CASE_BYTES as MAX_CASE_BYTES
from letters.case.reading import MAX_NESTING as MAX_NESTING
from letters.case.reading import MAX_VALUES as MAX_VALUES
from letters.case.reading import find_lines, is_json, locate
from letters.case.reading import parse_case_text as parse_case_text
from letters.case.reading import read_case_text as read_case_text
from letters.case.schema import CASE_FIELDS, GROUNDS_EXAMPLE, Field
from letters.case.values import MAX_TEXT as MAX_TEXT
from letters.case.values import (
    EvidenceFiles,
    Validator,
    describe_value,
    did_you_mean,
    some_names,
)
from letters.errors import CaseError, Problem, shorten
from letters.translations import Say, say_en, sayer

if TYPE_CHECKING:
    from letters.config import CaseDefaults


# --------------------------------------------------------------------------------------------
# Reading files (the text and its syntax: case_reading.py)


def load_case(path: str | os.PathLike[str], *, defaults: CaseDefaults | None = None) -> Case:
    """Read, validate and return the case in ``path`` (YAML or JSON).

    ``defaults`` (from swletter.toml) fill in what the file leaves out, such as a charity's
    address. Raises ``CaseError`` listing every problem, each with its line where the file is YAML.
    """
    p = Path(path)
    name = str(path)
    text = read_case_text(p)
    as_json = is_json(p, text)
    data = parse_case_text(text, name, as_json=as_json)
    if defaults is not None:
        data = defaults.apply(data)
    try:
        return case_from_data(data, source=name, base_dir=str(p.parent),
                              evidence_files=files_beside(str(p.parent)))
    except CaseError as err:
        if as_json:
            raise
        lines = find_lines(text, (prob.parts for prob in err.problems))
        located = [locate(prob, lines) for prob in err.problems]
        located.sort(key=lambda prob: prob.line if prob.line is not None else 0)
        raise CaseError(located, name, more=err.more) from None


# --------------------------------------------------------------------------------------------
# Validation (one value against its field: letters.case.values)

def case_from_data(data: Any, *, source: str = "", base_dir: str = ".",
                   evidence_files: EvidenceFiles | None = None, language: str = "en") -> Case:
    """Validate plain data (as parsed from a case file) and build a ``Case``.

    ``evidence_files`` checks each evidence ``file:`` (see ``EvidenceFiles``); without it the
    names are taken as given. Raises ``CaseError`` with every problem found; problems carry
    field paths but no lines, and are said in ``language`` (the web form's, say).
    """
    v = Validator(base_dir=base_dir, evidence_files=evidence_files, say=sayer(language))
    if not isinstance(data, dict):
        raise CaseError([Problem(_not_a_case(data, v.say), example="sender: {name: Jane Doe}",
                                 file=source)], source)
    grounds_registry = load_grounds()
    core = v.fields(CASE_FIELDS, {k: val for k, val in data.items() if k != "grounds"}, ())
    if core.get("incomplete"):
        again = f"swletter new --from {source}" if source else "swletter new --from CASE"
        v.add(("incomplete",), v.say('this case is not finished: the questions were stopped '
                                     'before the end. Run "{command}" to answer the rest, or, '
                                     "once every part is filled in, delete this line.",
                                     command=again))
    grounds = _validate_grounds(v, data.get("grounds"), grounds_registry)
    _cross_check(v, core, grounds, grounds_registry)
    if v.problems:
        raise CaseError(
            [Problem(message=m, path=format_path(p), parts=p, file=source, example=e)
             for p, m, e in v.problems],
            source, more=v.more,
        )
    stated = data.get("jurisdiction")
    nation = settle_nation(core["jurisdiction"] if isinstance(stated, str) and stated.strip()
                           else None, core["recipient"]["organisation"],
                           core["recipient"]["address"], file=source)
    return _build_case(core, grounds, nation, source=source, base_dir=base_dir)


def _validate_grounds(v: Validator, raw: Any, registry: tuple[Ground, ...]) -> dict[str, Any]:
    by_id = {g.id: g for g in registry}
    if raw is None:
        v.add(("grounds",), v.say("at least one ground is needed: the reasons for asking for a "
                                  "change. The grounds are: {grounds}.",
                                  grounds=", ".join(by_id)), GROUNDS_EXAMPLE)
        return {}
    if not isinstance(raw, dict):
        v.wrong_type(("grounds",), v.say("expected a set of grounds, not {what}.",
                                         what=describe_value(raw, v.say)), GROUNDS_EXAMPLE)
        return {}
    if not raw:
        v.add(("grounds",), v.say("at least one ground is needed."), GROUNDS_EXAMPLE)
    out: dict[str, Any] = {}
    for key, value in raw.items():
        ground = by_id.get(key)
        if ground is None:
            v.add(("grounds", str(key)), functools.partial(_unknown_ground, key, by_id, v.say),
                  GROUNDS_EXAMPLE)
            continue
        record = v.value(Field(ground.id, "record", required=True, fields=ground.fields,
                               example=_ground_example(ground)), value, ("grounds", key))
        if record is not None:
            out[key] = record
    # The letter raises grounds in the canonical order, whatever order the file gives.
    return {g.id: out[g.id] for g in registry if g.id in out}


def _unknown_ground(key: Any, by_id: Mapping[str, Ground], say: Say = say_en) -> str:
    hint = did_you_mean(str(key), list(by_id), say) or say(" The grounds are: {grounds}.",
                                                             grounds=", ".join(by_id))
    return say('"{key}" is not a ground swletter knows, so it would be left out of the letter.',
               key=shorten(str(key))) + hint


def _unknown_evidence(ref: str, ids: Mapping[str, int], say: Say = say_en) -> str:
    known = some_names(list(ids), say) if ids else say("none yet")
    return (say('cites "{ref}", but there is no evidence with that id.', ref=shorten(ref))
            + did_you_mean(ref, list(ids), say) + say(" Evidence ids: {ids}.", ids=known))


def _not_a_case(data: Any, say: Say) -> str:
    return say("a case file is a set of fields such as sender: and children:, not {what}.",
               what=describe_value(data, say))


def _ground_example(ground: Ground) -> str:
    required = [f for f in ground.fields if f.required] or list(ground.fields[:1])
    return f"{ground.id}: {{{', '.join(f.example for f in required)}}}"


def shape_problems(data: Any) -> list[Problem]:
    """Where plain case data holds a value of the wrong kind (a list where a set of fields
    belongs, a number where text does): what a case file must not have before a program walks
    it, such as the guided interview over an uploaded file or a web page's saved answers.
    Missing or unfinished answers are not problems of shape."""
    if not isinstance(data, dict):
        return [Problem(_not_a_case(data, say_en), example="sender: {name: Jane Doe}")]
    v = Validator(base_dir=".")
    v.fields(CASE_FIELDS, {k: val for k, val in data.items() if k != "grounds"}, ())
    if data.get("grounds") is not None:
        _validate_grounds(v, data["grounds"], load_grounds())
    return v.mistyped


def evidence_file_problem(base_dir: str, file: str, language: str = "en", *,
                          asked_in: str | None = None) -> str:
    """Why an evidence ``file`` (relative to the case file's folder) is not usable, or "".
    ``asked_in``: the folder, when the guided interview asks for the file's name there."""
    say = sayer(language)
    try:
        if Path(base_dir, file).is_file():
            return ""
    except OSError as err:  # a name too long for the file system, say: not a file we can use
        return say('"{file}" cannot be used as a file name ({reason}). Check it.',
                   file=shorten(file, 60), reason=err.strerror)
    if asked_in is not None:
        return say('"{file}" does not exist (looked for it in {folder}). Check the spelling, or '
                   "press Enter to leave it out.", file=shorten(file, 60), folder=asked_in)
    return say('"{file}" does not exist (looked for it next to the case file). Check the '
               "spelling, or leave file out.", file=shorten(file, 60))


def files_beside(base_dir: str) -> EvidenceFiles:
    """Evidence files checked on disk, relative to ``base_dir`` (the case file's folder)."""
    return functools.partial(evidence_file_problem, base_dir)


def check_value(spec: Field, raw: Any, *, path: PathParts = (), base_dir: str = ".",
                language: str = "en") -> tuple[Any, list[Problem]]:
    """Check one value against its field description, as a case file's value would be.

    Returns the cleaned value (None when absent or wrong) and the problems found, said in
    ``language``. This lets a front end such as the guided interview check each answer as it
    is given, with exactly the rules and messages of a case file.
    """
    v = Validator(base_dir=base_dir, say=sayer(language))
    value = v.value(spec, raw, path)  # one value: its first MAX_PROBLEMS problems are plenty
    return value, [Problem(message=m, path=format_path(p), parts=p, example=e)
                   for p, m, e in v.problems]


def _born_after_the_letter(v: Validator, core: dict[str, Any]) -> None:
    """A child's date of birth after the letter's date (today, when the case gives none) is a
    slip of the keyboard. (The date is not repeated: it is a child's date of birth.)"""
    letter_date = core["date"] or dt.date.today()
    for i, child in enumerate(core["children"]):
        born = child.get("date_of_birth")
        if born is not None and born > letter_date:
            v.add(("children", i, "date_of_birth"), "this date of birth is after the date of "
                  "the letter, so it cannot be right. Check the year for a slip of the "
                  "keyboard.", "date_of_birth: 2017-05-02")


def _cross_check(v: Validator, core: dict[str, Any], grounds: dict[str, Any],
                 registry: tuple[Ground, ...]) -> None:
    _born_after_the_letter(v, core)
    evidence = core["evidence"]
    ids: dict[str, int] = {}
    for i, item in enumerate(evidence):
        if item["id"] is None:
            continue
        if item["id"] in ids:
            other = format_path(("evidence", ids[item["id"]]))
            v.add(("evidence", i, "id"), v.say('the id "{id}" is already used by {other}; each '
                                               "piece of evidence needs its own id.",
                                               id=shorten(item["id"]), other=other),
                  f"id: E{len(evidence) + 1}")
        else:
            ids[item["id"]] = i
        if item["file"] and v.evidence_files is not None:
            missing = v.evidence_files(item["file"])
            if missing:
                v.add(("evidence", i, "file"), missing, "file: evidence/2026-04-03-email.txt")
    children = [c["name"] for c in core["children"] if c["name"]]
    by_id = {g.id: g for g in registry}
    for gid, data in grounds.items():
        for parts, spec, value in walk_fields(by_id[gid].fields, data, ("grounds", gid)):
            if spec.kind == "evidence":
                for j, ref in enumerate(value):
                    if ref not in ids:
                        v.add((*parts, j), functools.partial(_unknown_evidence, ref, ids, v.say),
                              f"evidence: [{{id: {shorten(ref)}, date: 2026-04-03, type: email, "
                              "description: …}]")
            elif spec.kind == "child" and children and value not in children:
                # The children's names are not repeated: messages must not carry personal data.
                v.add(parts, v.say("this is not the name of one of the children in this case. "
                                   "Write it exactly as it is written under children:."),
                      spec.example)


def _build_case(core: dict[str, Any], grounds: dict[str, Any], nation: CaseNation, *,
                source: str, base_dir: str) -> Case:
    return Case(
        date=core["date"],
        jurisdiction=nation.nation,
        jurisdiction_source=nation.source,
        language=core["language"],
        warnings=nation.warnings,
        sender=Sender(**core["sender"]),
        recipient=Recipient(**core["recipient"]),
        social_worker=SocialWorker(**core["social_worker"]),
        case_reference=core["case_reference"],
        children=tuple(Child(**c) for c in core["children"]),
        grounds=grounds,
        evidence=tuple(Evidence(**e) for e in core["evidence"]),
        supporting_statements=tuple(SupportingStatement(**s)
                                    for s in core["supporting_statements"]),
        copy_to=tuple(CopyTo(**c) for c in core["copy_to"]),
        response_within_working_days=core["response_within_working_days"],
        source=source,
        base_dir=base_dir,
    )
