"""What happens next, for the parent: the dates that follow from the letter, on one page.

From the letter's date come its reply-by date, the day to send a reminder if no reply has come
(the first working day after the reply-by date), the reminder's own reply-by date, and, for a
complaint received the working day after that, the date each step of the nation's complaints
procedure is due. Every timescale is data
(``grounds/_complaints.toml``, its ``steps``), counted in that nation's working days
(``letters.dates.add_working_days``); the wording is a template (``next_steps.md.j2``), and the
same dates go into a calendar file (``next_steps_ics``).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from letters.case.model import Case
from letters.compose.documents import Rendered, document_kind
from letters.compose.followup import (
    ComplaintRoute,
    complaint_route,
    complaints_data,
    reminder_reply_by,
)
from letters.compose.language import DEFAULT as DEFAULT_LANGUAGE
from letters.compose.language import language
from letters.compose.request import compose_letter
from letters.dates import add_working_days
from letters.errors import GroundDefinitionError

_WHERE = "grounds/_complaints.toml"


@dataclass(frozen=True)
class Step:
    """One step of a complaints procedure as the data file gives it."""

    stage: int
    what: str
    working_days: int | None = None
    up_to: int | None = None
    after: str = "start"
    #: What the step before is, in words, where the days count from it.
    of: str = ""


@dataclass(frozen=True)
class Procedure:
    """A nation's complaints procedure: the route (as the complaint letter names it), who
    complaints go to, its steps and the ombudsman after it."""

    route: ComplaintRoute
    body: str
    ombudsman: str
    steps: tuple[Step, ...]


@functools.cache
def procedures(code: str = DEFAULT_LANGUAGE) -> dict[str, Procedure]:
    """Every nation's complaints procedure, in the words of the language ``code``, read once
    per process."""
    data = complaints_data(code)
    found = {}
    for nation, spec in data.items():
        missing = [k for k in ("body", "ombudsman", "steps") if k not in spec]
        if missing:
            raise GroundDefinitionError(f"{_WHERE} [{nation}] is missing {', '.join(missing)}")
        steps = []
        for i, step in enumerate(spec["steps"], start=1):
            if "stage" not in step or "what" not in step or \
                    step.get("after", "start") not in ("start", "previous"):
                raise GroundDefinitionError(
                    f"{_WHERE} [[{nation}.steps]] number {i} needs a stage, what, and after = "
                    '"start" or "previous"')
            steps.append(Step(int(step["stage"]), str(step["what"]), step.get("working_days"),
                              step.get("up_to"), str(step.get("after", "start")),
                              str(step.get("of", ""))))
        found[nation] = Procedure(complaint_route(nation, code), str(spec["body"]),
                                  str(spec["ombudsman"]), tuple(steps))
    return found


@dataclass(frozen=True)
class StepDate:
    """A step of the procedure with the dates it falls due: ``due`` by its timescale, and
    ``latest`` where the timescale can be extended. ``starts`` is the day its count starts
    from; a step with no timescale has no dates."""

    step: Step
    starts: dt.date
    due: dt.date | None = None
    latest: dt.date | None = None


@dataclass(frozen=True)
class NextSteps:
    """The dates that follow from a letter, for its nation."""

    case: Case
    letter_date: dt.date
    reply_by: dt.date
    chase_on: dt.date
    #: The reply-by date of a reminder sent on ``chase_on``.
    chaser_reply_by: dt.date
    #: The day the sheet assumes the body receives a complaint: the first working day after
    #: the reminder's reply-by date, so that the family never complains the day they remind.
    complain_on: dt.date
    procedure: Procedure
    steps: tuple[StepDate, ...]
    language: str = DEFAULT_LANGUAGE

    def stage_starts(self) -> dict[int, dt.date]:
        """The day each stage is taken to start."""
        return {s.step.stage: s.starts for s in self.steps if s.step.after == "start"}


def next_working_day(day: dt.date, jurisdiction: str) -> dt.date:
    """The first working day after ``day``."""
    return add_working_days(day, 1, jurisdiction)


def plan_next_steps(case: Case, *, today: dt.date | None = None,
                    code: str = DEFAULT_LANGUAGE) -> NextSteps:
    """The dates for ``case``'s letter: its reply-by date, the reminder and the reminder's
    reply-by date, and each step of the complaints procedure for a complaint received the
    working day after that, each later stage asked for on the day the stage before it ends."""
    letter = compose_letter(case, today=today, code=code)
    nation = case.jurisdiction
    procedure = procedures(code)[nation]
    chase_on = next_working_day(letter.reply_by, nation)
    chaser_due = reminder_reply_by(case, chase_on)
    complain_on = next_working_day(chaser_due, nation)
    return NextSteps(case, letter.date, letter.reply_by, chase_on, chaser_due, complain_on,
                     procedure, _step_dates(procedure.steps, complain_on, nation),
                     language=code)


def _step_dates(steps: Sequence[Step], complaint_on: dt.date,
                nation: str) -> tuple[StepDate, ...]:
    dated: list[StepDate] = []
    stage_start = complaint_on
    stage = steps[0].stage if steps else 1
    last_due = complaint_on
    for step in steps:
        if step.stage != stage:
            # The next stage is asked for on the day the one before it ends.
            stage, stage_start = step.stage, last_due
        starts = last_due if step.after == "previous" else stage_start
        if step.working_days is None:
            dated.append(StepDate(step, starts))
            continue
        due = add_working_days(starts, int(step.working_days), nation)
        latest = add_working_days(starts, int(step.up_to), nation) if step.up_to else None
        dated.append(StepDate(step, starts, due, latest))
        last_due = due
    return tuple(dated)


def make_next_steps(case: Case, *, today: dt.date | None = None,
                    template_dirs: Sequence[str] = (),
                    code: str = DEFAULT_LANGUAGE) -> Rendered:
    """The "what happens next" sheet for the parent, put into words."""
    from letters.templating.environment import render_template

    plan = plan_next_steps(case, today=today, code=code)
    kind = document_kind("next_steps")
    lang = language(code)
    markdown = render_template(kind.template, next_steps_context(plan),
                               template_dirs=template_dirs, code=code)
    names = [c.name for c in case.children]
    return Rendered(kind, markdown, title=lang.subject("next_steps", names, None),
                    language=code, document=plan, warnings=case.warnings,
                    who=names[0] if names else "", date=plan.letter_date,
                    author=case.sender.name)


def next_steps_context(plan: NextSteps) -> dict[str, Any]:
    """Every variable ``next_steps.md.j2`` receives."""
    from letters.templating.environment import case_context

    lang = language(plan.language)
    return {**case_context(plan.case, lang, "next_steps"), "plan": plan,
            "procedure": plan.procedure, "steps": plan.steps, "on_day": lang.day}


def template_family() -> Any:
    """The sheet's template, as ``swletter templates check`` tries it."""
    from letters.templating.families import TemplateFamily, example_case

    def samples() -> dict[str, Any]:
        return next_steps_context(plan_next_steps(example_case(),
                                                  today=dt.date(2026, 11, 23)))

    def trial(case: Case, dirs: tuple[str, ...]) -> object:
        return make_next_steps(case, template_dirs=dirs)

    return TemplateFamily("the “what happens next” sheet",
                          (document_kind("next_steps").template,), lambda: set(samples()),
                          trial, samples)


# -- the calendar -------------------------------------------------------------------------------


def next_steps_ics(plan: NextSteps, *, stamp: dt.datetime, with_names: bool = True) -> bytes:
    """The sheet's dates as an iCalendar file: an all-day event on each, with a reminder at 9am
    the day before (as ``swletter register ics`` makes them). ``with_names=False`` leaves the
    children's names out, for calendars kept on shared or online services."""
    from letters.calendar_file import calendar_file

    lang = language(plan.language)
    words = lang.data["next_steps"]
    who = str(words["for_children"]).format(
        children=lang.join([c.name for c in plan.case.children])) if with_names else ""
    uid = f"swletter-next-{plan.letter_date.isoformat()}-{{}}-{_case_key(plan)}@swletter.invalid"
    return calendar_file("what happens next", str(words["calendar"]), (
        (uid.format(number), day, summary, description)
        for number, (day, summary, description) in enumerate(_events(plan, who), start=1)),
        stamp=stamp)


def _case_key(plan: NextSteps) -> str:
    """A short, stable id for the case's events, with no names in it."""
    import hashlib

    case = plan.case
    text = "|".join([*(c.name for c in case.children), case.recipient.organisation,
                     case.case_reference or ""])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _events(plan: NextSteps, who: str) -> list[tuple[dt.date, str, str]]:
    """(date, summary, description) for every dated event of the sheet, in the words of the
    sheet's language (``[next_steps]`` in its data file)."""
    lang = language(plan.language)
    words = lang.data["next_steps"]
    dates = {"letter": lang.date(plan.letter_date), "reply_by": lang.date(plan.reply_by),
             "chaser_reply_by": lang.date(plan.chaser_reply_by),
             "complain_on": lang.date(plan.complain_on)}
    events = [(day, str(words[kind]).format(who=who), str(words[f"{kind}_text"]).format(**dates))
              for day, kind in ((plan.reply_by, "reply_due"), (plan.chase_on, "chase"),
                                (plan.complain_on, "complain"))]
    for dated in plan.steps:
        step = dated.step
        if dated.due is None or step.working_days is None:
            continue
        days = lang.counted("working_days", step.working_days)
        if step.up_to:
            days = str(words["up_to"]).format(
                days=days, up_to=step.up_to, up_to_days=lang.counted("working_days", step.up_to),
                latest=lang.date(dated.latest or dated.due))
        events.append((dated.due, str(words["step"]).format(what=step.what, who=who)[:200],
                       str(words["step_text"]).format(what=step.what, days=days,
                                                      starts=lang.date(dated.starts),
                                                      **dates)))
    return events
