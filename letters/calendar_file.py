"""Calendar files (.ics) of all-day reminders: the register's reply-by dates (`swletter register
ics`) and the "what happens next" sheet's dates are made the same way, by ``calendar_file``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

#: One all-day event: its unique id, its day, its summary and its description.
DayEvent = tuple[str, dt.date, str, str]


def calendar_file(product: str, name: str, events: Iterable[DayEvent], *,
                  stamp: dt.datetime) -> bytes:
    """An iCalendar file named ``name`` with an all-day event for each of ``events``, shown as
    free time, each with a reminder at 9am the day before. ``product`` names what made it."""
    from icalendar import Alarm, Calendar, Event  # imported here: only calendars need it

    calendar = Calendar()
    calendar.add("prodid", f"-//swletter//{product}//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    for uid, day, summary, description in events:
        event = Event()
        event.add("uid", uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", day)
        event.add("dtend", day + dt.timedelta(days=1))
        event.add("summary", summary)
        event.add("description", description)
        event.add("transp", "TRANSPARENT")
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", summary)
        alarm.add("trigger", dt.timedelta(hours=-15))
        event.add_component(alarm)
        calendar.add_component(event)
    return bytes(calendar.to_ical())
