"""The interview as a list of steps worked out from the answers alone.

``build_plan(data)`` lists every question the interview would ask for the case data as it
stands, in order, each with the function that stores its answer. Nothing else is remembered
between two questions: a front end keeps the answers (plain case data) and the key of the
question it is on, and the plan is built again after each answer. That is what lets a web page
carry the whole interview in a form field, and `swletter new --from` jump to any question.

Building the plan also tidies the data it is given, in ways that are safe to repeat: a list that
needs an item gets an empty one, evidence gets an id, and an answer that no longer applies (a
manager's title once their name is removed) is dropped.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from letters.case.grounds import Ground, load_grounds
from letters.case.model import format_path
from letters.case.nations import nation_for_recipient
from letters.case.schema import Field
from letters.case.validate import check_value, evidence_file_problem
from letters.errors import GroundDefinitionError, Problem
from letters.interview.answers import answer_text
from letters.interview.casedata import (
    child_names,
    cite_targets,
    container_of,
    core_field,
    drop_items,
    lookup,
    next_evidence_id,
    target_refs,
)
from letters.interview.questions import (
    CITES,
    GROUNDS,
    YESNO,
    Choice,
    PathParts,
    Question,
    Questions,
    QuestionSpec,
    Section,
    SectionSpec,
    label_for,
    load_questions,
    paragraphs,
    question_spec,
)

#: Stores an accepted answer in the case data.
Store = Callable[[dict[str, Any], Any], None]


@dataclass(frozen=True)
class Step:
    """One question of the interview, how to check its answer, and how to store it.

    ``answered`` says whether the data already holds an answer; ``in_summary`` whether the
    check-your-answers list shows this step (steering yes/no questions mostly do not).
    """

    question: Question
    spec: Field
    qspec: QuestionSpec
    store: Store
    answered: bool = False
    in_summary: bool = True
    value: Any = None

    @property
    def key(self) -> str:
        return self.question.key


@dataclass
class _Builder:
    data: dict[str, Any]
    #: The case file's folder; None where there is none (the web form): questions that need
    #: one are not asked, and no answer is looked for on this computer.
    base_dir: str | None
    questions: Questions = field(default_factory=load_questions)
    #: The interview's language (the questions', the checks' messages, dates as shown).
    language: str = "en"
    grounds: tuple[Ground, ...] = field(default_factory=load_grounds)
    steps: list[Step] = field(default_factory=list)
    _cite_cache: tuple[list[tuple[PathParts, str]], tuple[Choice, ...],
                       list[frozenset[Any]]] | None = None

    def build(self) -> list[Step]:
        for spec in self.questions.sections:
            section = Section(spec.id, spec.title, paragraphs(spec.intro),
                              paragraphs(spec.web_intro))
            if spec.kind == GROUNDS:
                self._grounds_choice(spec, section)
            elif spec.kind == "ground_details":
                for ground in self.chosen_grounds():
                    self._ground(ground)
            elif spec.group:
                self._group(spec, section, self.data, (spec.group,), core_field(spec.group),
                            spec.questions)
            else:
                for qs in spec.questions:
                    self._field(qs, core_field(qs.field), section, self.data,
                                tuple(qs.field.split(".")))
        return self.steps

    # -- one field ---------------------------------------------------------------------------

    def _field(self, qs: QuestionSpec, spec: Field, section: Section, item: dict[str, Any],
               path: PathParts, *, item_label: str = "",
               context: Mapping[str, str] | None = None) -> None:
        container = container_of(self.data, path)
        key = path[-1]
        assert isinstance(key, str)
        if (qs.when and not self._asked(qs.when, item)) or not self._in_nation(spec):
            container.pop(key, None)  # an answer that no longer applies (a title with no name)
            return
        if qs.needs_folder and self.base_dir is None:
            return  # not asked, and an answer already given is kept as it is
        kind = qs.kind or spec.kind
        existing = container.get(key)
        default, note = self._default_for(spec, existing, kind, path)
        labels = choice_labels(qs, spec)
        choices: tuple[Choice, ...] = ()
        if kind == "choice":
            choices = tuple(Choice(i + 1, value, label)
                            for i, (value, label) in enumerate(zip(spec.choices, labels,
                                                                   strict=True)))
            default = next((c.label for c in choices if c.value == default), default)
        if kind == "flag":
            default = self.questions.say("yes") if existing is True else self.questions.say("no")
        if not default and spec.default is not None and qs.offer_default:
            default = self.questions.answer(spec.default, kind)
            default = next((c.label for c in choices if c.value == default), default)
        required = (spec.required if qs.required is None else qs.required) or kind == "flag"
        fill = functools.partial(self.questions.fill, context=context or {})
        question = Question(
            id=".".join(p for p in path if isinstance(p, str)), key=format_path(path),
            text=fill(qs.text or spec.help), kind=kind, section=section,
            path=path, item=item_label, label=qs.label or label_for(spec.name),
            help=fill(qs.help),
            example=self.questions.say("yes") if kind == "flag"
            else qs.example or _answer_example(spec.example),
            required=required, choices=choices, default=default, note=note, tone=qs.tone,
            month_ok=qs.month_ok, web_text=fill(qs.web_text), web_help=fill(qs.web_help),
        )

        def store(data: dict[str, Any], value: Any) -> None:
            holder = container_of(data, path)
            if value is None or value == [] or value == () or value is False:
                holder.pop(str(key), None)
            else:
                holder[str(key)] = list(value) if isinstance(value, tuple) else value

        self.steps.append(Step(question, spec, qs, store,
                               answered=existing not in (None, "", [], ()), value=existing))

    def _in_nation(self, spec: Field) -> bool:
        """Whether a field applies in the case's part of the UK (as answered, or as the
        recipient shows); while that is not known, every field does."""
        if not spec.nations:
            return True
        nation = self.data.get("jurisdiction")
        if not isinstance(nation, str) or not nation:
            recipient = self.data.get("recipient")
            recipient = recipient if isinstance(recipient, dict) else {}
            address = recipient.get("address")
            nation = nation_for_recipient(
                recipient.get("organisation") if isinstance(recipient.get("organisation"),
                                                            str) else None,
                [a for a in address if isinstance(a, str)] if isinstance(address, list)
                else []).nation
        return nation is None or nation in spec.nations

    def _default_for(self, spec: Field, existing: Any, kind: str,
                     path: PathParts) -> tuple[str, str]:
        """The existing answer to offer, or a note saying why it cannot be offered."""
        if existing is None or existing == [] or existing == "":
            return "", ""
        _, problems = check_value(spec, existing, path=path, language=self.language)
        if (not problems and spec.name == "file" and isinstance(existing, str)
                and self.base_dir is not None):
            missing = evidence_file_problem(self.base_dir, existing, self.language)
            if missing:
                problems = [Problem(missing)]
        if problems:
            return "", self.questions.say("cannot_offer", shown=answer_text(existing, ""),
                                          why=problems[0].message)
        return self.questions.answer(existing, kind), ""

    def _asked(self, when: str, item: dict[str, Any]) -> bool:
        """Whether a question asked only ``when`` is asked: ``field`` (it has a value) or
        ``field=value``, alternatives joined by " or "."""
        for condition in when.split(" or "):
            name, _, wanted = condition.strip().partition("=")
            found = lookup(self.data, item, name)
            if found and (not wanted or found == wanted):
                return True
        return False

    # -- lists (children, evidence, incidents …) --------------------------------------------

    def _group(self, spec: SectionSpec, section: Section, parent: dict[str, Any],
               path: PathParts, field_spec: Field, questions: Sequence[QuestionSpec], *,
               context: Mapping[str, str] | None = None) -> None:
        key = str(path[-1])
        items = parent.get(key)
        items = [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []
        minimum = max(spec.min, field_spec.min_items)
        if minimum and not items:
            items.append({})
        if items or key in parent:
            parent[key] = items
        if key == "evidence":
            for item in items:
                if not item.get("id"):
                    item["id"] = next_evidence_id(items)
        word = spec.item or label_for(field_spec.name)
        group_key = format_path(path)
        if minimum == 0:
            text = spec.first or self.questions.say("any_items", item=word.lower())
            self._yesno(f"{group_key}.any", text, section, bool(items),
                        _add_first(path), in_summary=not items,
                        label=spec.title or label_for(field_spec.name))
            if not items:
                return
        for i, item in enumerate(items):
            label = f"{word} {i + 1}"
            for qs in questions:
                if qs.kind == CITES:
                    self._cites(qs, section, item, (*path, i), label)
                    continue
                sub = field_spec.sub(qs.field)
                if sub is None:
                    raise GroundDefinitionError(
                        f"grounds/_questions.toml: {format_path(path)} has no field {qs.field!r}")
                ctx = {**(context or {}), **_item_context(item)}  # {child} once it is known
                self._field(qs, sub, section, item, (*path, i, qs.field), item_label=label,
                            context=ctx)
            last = i + 1 == len(items)
            text = spec.more or self.questions.say("more_items", item=word.lower())
            self._yesno(f"{group_key}[{i + 1}].more", text, section, not last,
                        _more_after(path, i), item=label, in_summary=last,
                        label=self.questions.say("another", item=word.lower(), Item=word))

    def _yesno(self, key: str, text: str, section: Section, value: bool, store: Store, *,
               item: str = "", in_summary: bool = True, label: str = "") -> None:
        """A yes/no question that adds or removes items; it counts as answered when a later
        item shows what the answer was."""
        say = self.questions.say
        q = Question(id=re.sub(r"\[\d+\]", "", key), key=key, text=text,
                     kind=YESNO, section=section, item=item, label=label,
                     default=say("yes") if value else say("no"), example=say("yes"),
                     required=True)
        self.steps.append(Step(q, Field(key), QuestionSpec(field=""), store, answered=value,
                               in_summary=in_summary, value=value))

    # -- grounds -----------------------------------------------------------------------------

    def _grounds_choice(self, spec: SectionSpec, section: Section) -> None:
        current = self.data.get("grounds")
        current = current if isinstance(current, dict) else {}
        text = self.questions.ground_text
        choices = tuple(Choice(i + 1, g.id, text(g, "title"), text(g, "summary"))
                        for i, g in enumerate(self.grounds))
        default = ", ".join(str(c.number) for c in choices if c.value in current)
        q = Question(id="grounds", key="grounds", text=spec.text, kind=GROUNDS, section=section,
                     path=("grounds",), label=spec.label or "grounds", example=spec.example,
                     required=True, choices=choices, multiple=True, default=default,
                     web_text=spec.web_text)
        known = {g.id for g in self.grounds}

        def store(data: dict[str, Any], chosen: Any) -> None:
            before = data.get("grounds")
            before = before if isinstance(before, dict) else {}
            kept: dict[str, Any] = {
                gid: before.get(gid) if isinstance(before.get(gid), dict) else {}
                for gid in chosen}
            # Keep any grounds this swletter does not know, so an edit never loses them.
            kept.update({k: v for k, v in before.items() if k not in known})
            data["grounds"] = kept

        self.steps.append(Step(q, Field("grounds"), QuestionSpec(field="grounds"), store,
                               answered=bool(current),
                               value=[g for g in current if g in known]))

    def chosen_grounds(self) -> list[Ground]:
        chosen = self.data.get("grounds") or {}
        return [g for g in self.grounds if g.id in chosen]

    def _ground(self, ground: Ground) -> None:
        title = self.questions.say("ground_section",
                                   title=self.questions.ground_text(ground, "title"))
        section = Section(f"ground.{ground.id}", title,
                          paragraphs(self.questions.ground_text(ground, "guidance")))
        wording = self.questions.ground_wording.get(ground.id, {})
        grounds = self.data["grounds"]
        if not isinstance(grounds.get(ground.id), dict):
            grounds[ground.id] = {}
        data = grounds[ground.id]
        children = child_names(self.data)
        path: PathParts = ("grounds", ground.id)
        for spec in ground.fields:
            qs = question_spec(spec.name, wording.get(spec.name, {}))
            context = {"child": self._child_for(data, children)}
            if spec.kind == "evidence" or spec.kind == "record":
                continue  # evidence is asked about with each piece of evidence
            if spec.kind == "child":
                if len(children) < 2:
                    data.pop(spec.name, None)
                    continue
                self._child(qs, spec, section, data, (*path, spec.name), children)
            elif spec.kind == "records":
                sub_wording = wording.get(spec.name, {})
                group = SectionSpec(id=spec.name,
                                    item=sub_wording.get("item", label_for(spec.name)),
                                    more=sub_wording.get("more", ""),
                                    min=spec.min_items or (1 if spec.required else 0))
                subs = tuple(question_spec(sub.name, sub_wording.get(sub.name, {}))
                             for sub in spec.fields if sub.kind != "evidence")
                self._group(group, section, data, (*path, spec.name), spec, subs,
                            context=context)
            else:
                self._field(qs, spec, section, data, (*path, spec.name), context=context)

    def _child(self, qs: QuestionSpec, spec: Field, section: Section, data: dict[str, Any],
               path: PathParts, children: list[str]) -> None:
        choices = tuple(Choice(i + 1, name, name) for i, name in enumerate(children))
        existing = data.get(spec.name)
        default = existing if existing in children else ""
        note = self.questions.say("not_a_child_here", shown=existing) \
            if existing and not default else ""
        q = Question(id=".".join(str(p) for p in path), key=format_path(path),
                     text=qs.text or spec.help, kind="child", section=section, path=path,
                     label=qs.label or label_for(spec.name), example=children[0],
                     choices=choices, default=default, note=note,
                     help=qs.help or self.questions.say("about_all_children"),
                     web_help=qs.web_help or self.questions.say("web_about_all_children"))
        self.steps.append(Step(q, spec, qs, _plain_store(path), answered=bool(default),
                               value=default or None))

    def _child_for(self, data: Mapping[str, Any], children: list[str]) -> str:
        chosen = data.get("child") if isinstance(data.get("child"), str) else None
        names = [chosen] if chosen else children
        first = [n.split()[0] for n in names if n and n.split()]
        if len(first) > 1:
            return self.questions.say("each_child")
        return first[0] if first else self.questions.say("your_child")

    # -- evidence and what it supports -------------------------------------------------------

    def _cite_choices(self) -> tuple[list[tuple[PathParts, str]], tuple[Choice, ...],
                                     list[frozenset[Any]]]:
        """The places evidence can support, as choices, and the ids each cites: worked out
        once per plan (the evidence questions come after every ground's, and change nothing
        they read), so a case with many pieces of evidence and incidents costs their product
        in set lookups, not in walks of the case."""
        if self._cite_cache is None:
            targets = cite_targets(self.data, self.grounds, self.questions)
            choices = tuple(Choice(i + 1, format_path(t), lab)
                            for i, (t, lab) in enumerate(targets))
            cited = [frozenset(r for r in target_refs(self.data, t, create=False)
                               if isinstance(r, str)) for t, _ in targets]
            self._cite_cache = (targets, choices, cited)
        return self._cite_cache

    def _cites(self, qs: QuestionSpec, section: Section, item: dict[str, Any], path: PathParts,
               label: str) -> None:
        targets, choices, cited = self._cite_choices()
        evidence_id = item.get("id")
        if not targets or not isinstance(evidence_id, str):
            return
        chosen = {c.value for c, ids in zip(choices, cited, strict=True) if evidence_id in ids}
        key = format_path((*path, "supports"))
        if len(targets) == 1:
            q = Question(id="evidence.supports", key=key, kind=YESNO, section=section,
                         text=self.questions.say("supports_one", reason=targets[0][1]),
                         path=(*path, "supports"), item=label, label=qs.label or "supports",
                         default=self.questions.say("yes" if chosen or not item.get(
                             "description") else "no"),
                         example=self.questions.say("yes"), required=True)
        else:
            q = Question(id="evidence.supports", key=key, text=qs.text, kind=CITES,
                         section=section, path=(*path, "supports"), item=label,
                         label=qs.label or "supports", example=qs.example, choices=choices,
                         web_text=qs.web_text,
                         multiple=True, default=", ".join(
                             str(c.number) for c in choices if c.value in chosen))
        grounds = self.grounds
        only = choices[0].value if len(targets) == 1 else ""

        def store(data: dict[str, Any], value: Any) -> None:
            wanted = ([only] if value else []) if only else list(value or [])
            for target, _ in cite_targets(data, grounds):
                refs = target_refs(data, target)
                if format_path(target) in wanted:
                    if evidence_id not in refs:
                        refs.append(evidence_id)
                elif evidence_id in refs:
                    refs.remove(evidence_id)
                if not refs:
                    container_of(data, target).pop(str(target[-1]), None)

        self.steps.append(Step(q, Field("supports"), qs, store, answered=bool(chosen),
                               value=[lab for c, (t, lab) in zip(choices, targets, strict=True)
                                      if c.value in chosen]))


def build_plan(data: dict[str, Any], *, base_dir: str | None = ".",
               language: str = "en") -> list[Step]:
    """Every question the interview asks for ``data`` as it stands, in order (``data`` is tidied
    in place; see the module's docstring). ``base_dir`` None: there is no case file's folder.
    ``language``: the questions', and their checks', language."""
    return _Builder(data, base_dir, load_questions(language), language).build()


# --------------------------------------------------------------------------------------------
# Stores for yes/no questions that add or remove items of a list


def _add_first(path: PathParts) -> Store:
    def store(data: dict[str, Any], yes: Any) -> None:
        parent = container_of(data, path)
        key = str(path[-1])
        if yes:
            if not parent.get(key):
                parent[key] = [{}]
        else:
            drop_items(data, path, 0)
            parent.pop(key, None)
    return store


def _more_after(path: PathParts, index: int) -> Store:
    def store(data: dict[str, Any], yes: Any) -> None:
        items = container_of(data, path).get(str(path[-1]))
        if not isinstance(items, list):
            return
        if yes:
            if len(items) == index + 1:
                items.append({})
        else:
            drop_items(data, path, index + 1)
    return store


def _plain_store(path: PathParts) -> Store:
    def store(data: dict[str, Any], value: Any) -> None:
        holder = container_of(data, path)
        if value is None:
            holder.pop(str(path[-1]), None)
        else:
            holder[str(path[-1])] = value
    return store


def choice_labels(qs: QuestionSpec, spec: Field) -> list[str]:
    """How each of a field's choices is shown: the questions file's labels, else capitalised."""
    given = list(qs.choice_labels)
    return [given[i] if i < len(given) else label_for(c) for i, c in enumerate(spec.choices)]


def _item_context(item: Mapping[str, Any]) -> dict[str, str]:
    name = item.get("name")
    return {"child": name.split()[0]} if isinstance(name, str) and name.split() else {}


def _answer_example(example: str) -> str:
    """A schema example such as ``name: Jane Doe`` as the answer someone would type."""
    return example.split(": ", 1)[1] if ": " in example else example
