"""Finding and changing places in plain case data (the dictionaries a case file is parsed
into), for the interview's plan and the stores of its answers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from letters.case.grounds import Ground, load_grounds
from letters.case.schema import CASE_FIELDS, Field
from letters.errors import GroundDefinitionError
from letters.interview.answers import answer_text
from letters.interview.questions import PathParts, label_for

if TYPE_CHECKING:
    from letters.interview.questions import Questions


def core_field(dotted: str) -> Field:
    """The schema's description of a core case field such as ``sender.name``."""
    spec: Field | None = None
    for part in dotted.split("."):
        spec = next((f for f in CASE_FIELDS if f.name == part), None) if spec is None \
            else spec.sub(part)
        if spec is None:
            raise GroundDefinitionError(
                f"grounds/_questions.toml: {dotted!r} is not a field of a case file")
    assert spec is not None
    return spec


def container_of(data: dict[str, Any], path: PathParts) -> dict[str, Any]:
    """The dictionary that holds the last part of ``path``, created on the way if needed."""
    node: Any = data
    for part in path[:-1]:
        if isinstance(part, int):
            while len(node) <= part:
                node.append({})
            node = node[part]
        else:
            if not isinstance(node.get(part), dict | list):
                node[part] = {}
            node = node[part]
    assert isinstance(node, dict)
    return node


def target_refs(data: dict[str, Any], target: PathParts, *, create: bool = True) -> list[Any]:
    """The evidence ids cited at ``target`` (a ground's or an incident's ``evidence``)."""
    holder = container_of(data, target) if create else _existing(data, target[:-1])
    if holder is None:
        return []
    refs = holder.get(str(target[-1]))
    if isinstance(refs, str):
        refs = [refs]
    if not isinstance(refs, list):
        refs = []
    if create:
        holder[str(target[-1])] = refs
    return refs


def _existing(data: Any, path: PathParts) -> dict[str, Any] | None:
    node = data
    for part in path:
        if isinstance(part, int):
            node = node[part] if isinstance(node, list) and part < len(node) else None
        else:
            node = node.get(part) if isinstance(node, dict) else None
    return node if isinstance(node, dict) else None


def cite_targets(data: dict[str, Any], grounds: Sequence[Ground],
                 questions: Questions | None = None) -> list[tuple[PathParts, str]]:
    """Every place in the chosen grounds that can cite evidence, with a label for it (in the
    language of ``questions``, when given)."""
    targets: list[tuple[PathParts, str]] = []
    chosen = data.get("grounds") or {}
    for ground in grounds:
        gdata = chosen.get(ground.id) if isinstance(chosen, dict) else None
        if not isinstance(gdata, dict):
            continue
        for spec in ground.fields:
            if spec.kind == "evidence":
                title = questions.ground_text(ground, "title") if questions else ground.title
                targets.append((("grounds", ground.id, spec.name), title))
            elif spec.kind == "records" and isinstance(gdata.get(spec.name), list):
                sub = next((s for s in spec.fields if s.kind == "evidence"), None)
                for i, record in enumerate(gdata[spec.name]):
                    if sub is not None and isinstance(record, dict):
                        targets.append((("grounds", ground.id, spec.name, i, sub.name),
                                        record_label(spec, record, i, questions, ground.id)))
    return targets


def lookup(data: Mapping[str, Any], item: Mapping[str, Any], dotted: str) -> Any:
    """The value at ``dotted``, looked for in the current item first, then from the top."""
    for start in (item, data):
        node: Any = start
        for part in dotted.split("."):
            node = node.get(part) if isinstance(node, Mapping) else None
        if node:
            return node
    return None


def child_names(data: Mapping[str, Any]) -> list[str]:
    return [str(c["name"]) for c in data.get("children") or []
            if isinstance(c, dict) and c.get("name")]


def next_evidence_id(items: Sequence[Mapping[str, Any]]) -> str:
    used = {str(i.get("id")) for i in items}
    n = 1
    while f"E{n}" in used:
        n += 1
    return f"E{n}"


def record_label(spec: Field, record: Mapping[str, Any], i: int,
                 questions: Questions | None = None, ground_id: str = "") -> str:
    """"Incident on 12 March 2026: The agreed home visit …" for an item of a ground's list,
    in the language of ``questions`` when given."""
    wording = questions.ground_wording.get(ground_id, {}).get(spec.name, {}) if questions \
        else {}
    word = str(wording.get("item") or label_for(spec.name).rstrip("s"))
    if questions is None:
        when = answer_text(record.get("date"), "date")
        head = f"{word} on {when}" if when else f"{word} {i + 1}"
    else:
        when = questions.answer(record.get("date"), "date")
        head = questions.say("item_on", item=word, date=when) if when else f"{word} {i + 1}"
    what = next((str(v) for k, v in record.items() if isinstance(v, str) and k != "date"), "")
    if len(what) > 50:
        what = what[:50].rsplit(" ", 1)[0] + " …"
    return f"{head}: {what}" if what else head




def drop_items(data: dict[str, Any], path: PathParts, keep: int) -> None:
    """Keep the first ``keep`` items of the list at ``path``; evidence dropped is no longer
    cited anywhere."""
    items = container_of(data, path).get(str(path[-1]))
    if not isinstance(items, list):
        return
    dropped = items[keep:]
    del items[keep:]
    if path == ("evidence",):
        gone = {e.get("id") for e in dropped if isinstance(e, dict)}
        for target, _ in cite_targets(data, load_grounds()):
            refs = target_refs(data, target)
            refs[:] = [r for r in refs if r not in gone]
            if not refs:
                container_of(data, target).pop(str(target[-1]), None)
