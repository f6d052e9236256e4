"""The register seen from outside: status rows as a table, CSV, JSON, an .xlsx workbook, and
calendar reminders (.ics) for every reply-by date still open.

Every export is built from the same rows (``status_rows``), so a charity's spreadsheet, the
terminal table and ``--format json`` always agree. Spreadsheet cells are made safe against CSV
injection: a cell that a spreadsheet would run as a formula is stored as plain text.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Sequence

from letters.dates import long_date
from letters.register.records import RequestStatus

#: (key, heading) for every column of a status row, in order.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("id", "ID"),
    ("status", "Status"),
    ("letter_date", "Sent"),
    ("latest", "Latest letter"),
    ("reply_by", "Reply by"),
    ("case_reference", "Case reference"),
    ("charity_case_id", "Your case id"),
    ("caseworker", "Caseworker"),
    ("children", "Children"),
    ("recipient_organisation", "Organisation"),
    ("jurisdiction", "Nation"),
    ("grounds", "Grounds"),
    ("letters", "Letters"),
    ("last_reply", "Last reply"),
    ("note", "Note"),
    ("output_path", "Request file"),
)

#: The columns the terminal table shows (the rest are in CSV, JSON and the exports).
TABLE_COLUMNS = ("id", "status", "letter_date", "latest", "reply_by", "case_reference",
                 "children", "recipient_organisation")


def status_rows(statuses: Sequence[RequestStatus]) -> list[dict[str, str]]:
    """One row of plain text per request: what every listing and export shows."""
    rows = []
    for st in statuses:
        latest = st.latest
        reply = st.reply
        rows.append({
            "id": str(st.request.id),
            "status": st.status,
            "letter_date": st.request.letter_date.isoformat(),
            "latest": f"{latest.kind} {latest.id} of {latest.letter_date.isoformat()}",
            "reply_by": latest.reply_by.isoformat(),
            "case_reference": st.request.case_reference or "",
            "charity_case_id": st.request.charity_case_id or "",
            "caseworker": st.request.caseworker or "",
            "children": "; ".join(st.request.children),
            "recipient_organisation": st.request.recipient_organisation,
            "jurisdiction": st.request.jurisdiction,
            "grounds": "; ".join(st.request.grounds),
            "letters": "; ".join(f"{x.kind} {x.id}" for x in st.letters),
            "last_reply": _describe_reply(st),
            "note": (reply.note or "") if reply else "",
            "output_path": st.request.output_path,
        })
    return rows


def _describe_reply(st: RequestStatus) -> str:
    reply = st.reply
    if reply is None:
        return ""
    reasons = {"given": ", reasons given", "not-given": ", no reasons given"}.get(
        reply.reasons or "", "")
    return f"{reply.reply_date.isoformat()} {reply.outcome}{reasons}"


def rows_table(rows: Sequence[dict[str, str]]) -> str:
    """The rows as an aligned plain-text table for the terminal."""
    headings = dict(COLUMNS)
    keys = TABLE_COLUMNS
    widths = {k: max([len(headings[k])] + [len(r[k]) for r in rows]) for k in keys}
    lines = ["  ".join(headings[k].ljust(widths[k]) for k in keys).rstrip()]
    lines.append("  ".join("-" * widths[k] for k in keys))
    lines.extend("  ".join(r[k].ljust(widths[k]) for k in keys).rstrip() for r in rows)
    return "\n".join(lines) + "\n"


def rows_json(rows: Sequence[dict[str, str]]) -> str:
    """The rows as a JSON array of objects (keys as in ``COLUMNS``)."""
    return json.dumps(list(rows), ensure_ascii=False, indent=2) + "\n"


# Characters that make a spreadsheet treat a cell as a formula (OWASP's CSV injection list).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(text: str) -> str:
    """A cell value no spreadsheet will run: text starting like a formula gets a leading '."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def rows_csv(rows: Sequence[dict[str, str]]) -> bytes:
    """The rows as CSV (UTF-8 with a byte-order mark, so Excel reads the names right)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([heading for _, heading in COLUMNS])
    for row in rows:
        writer.writerow([safe_cell(row[key]) for key, _ in COLUMNS])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


# Characters an .xlsx file cannot hold (openpyxl refuses them).
_XLSX_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def rows_xlsx(rows: Sequence[dict[str, str]]) -> bytes:
    """The rows as an .xlsx workbook with one sheet, "register". Every cell is text."""
    from openpyxl import Workbook  # imported here: only exports need it

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "register"
    sheet.append([heading for _, heading in COLUMNS])
    for index, row in enumerate(rows, start=2):
        for column, (key, _) in enumerate(COLUMNS, start=1):
            cell = sheet.cell(row=index, column=column)
            cell.value = _XLSX_ILLEGAL.sub("", row[key])
            # A string starting with "=" would otherwise be stored as a formula.
            cell.data_type = "s"
    sheet.freeze_panes = "A2"
    for column, (key, heading) in enumerate(COLUMNS, start=1):
        width = max([len(heading)] + [len(r[key]) for r in rows])
        sheet.column_dimensions[sheet.cell(row=1, column=column).column_letter].width = min(
            width + 2, 60)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


_ICS_LABELS = {
    "request": "your request for a change of social worker",
    "chaser": "your reminder about a change of social worker",
    "reasons": "your request for the reasons for the decision",
    "complaint": "your complaint",
}


def reminders_ics(statuses: Sequence[RequestStatus], *, stamp: dt.datetime,
                  with_names: bool = True) -> bytes:
    """An iCalendar file with an all-day event on every open reply-by date, each with a
    reminder at 9am the day before. ``with_names=False`` leaves the children's names out, for
    calendars kept on shared or online services."""
    from letters.calendar_file import calendar_file

    return calendar_file("register reminders", "swletter: replies due",
                         (_reminder(st, with_names) for st in statuses if st.is_open),
                         stamp=stamp)


def _reminder(st: RequestStatus, with_names: bool) -> tuple[str, dt.date, str, str]:
    """The calendar event for an open request's reply-by date."""
    latest = st.latest
    who = (" for " + " and ".join(st.request.children)) if with_names else ""
    ref = f" ({st.request.case_reference})" if st.request.case_reference else ""
    summary = (f"Complaint response due{who}{ref}" if latest.kind == "complaint"
               else f"Reply due{who}{ref}")
    description = (
        f"{_ICS_LABELS[latest.kind].capitalize()} of {long_date(latest.letter_date)} to "
        f"{st.request.recipient_organisation} asked for a reply by "
        f"{long_date(latest.reply_by)}. When it comes, record it with: swletter register "
        f"reply {latest.id} --date YYYY-MM-DD --outcome granted|refused|partial."
    )
    if latest.kind != "complaint":
        description += (" If none comes, `swletter followup CASE --kind chaser` writes a "
                        "reminder.")
    uid = f"swletter-{latest.sha256[:24]}-{latest.id}@swletter.invalid"
    return uid, latest.reply_by, summary, description
