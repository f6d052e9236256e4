"""The register engine: recording, replies, statuses on a fixed date, migrations from an older
schema, concurrent writers, and a batch that is killed and run again."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import sqlite3
from pathlib import Path

import pytest

from letters.errors import RegisterError
from letters.register.store import (
    SCHEMA_VERSION,
    LetterEntry,
    entry_for_case,
    open_register,
    sha256_file,
)

REQUEST_DATE = dt.date(2026, 11, 23)
REPLY_BY = dt.date(2026, 12, 7)


def entry(n: int = 1, *, kind: str = "request", follows: int | None = None,
          letter_date: dt.date = REQUEST_DATE, reply_by: dt.date = REPLY_BY) -> LetterEntry:
    return LetterEntry(
        kind=kind, letter_date=letter_date, reply_by=reply_by,
        children=(f"Child {n}", "Lily Doe"), recipient_organisation="East Sussex County Council",
        grounds=("communication_breakdown",), output_path=f"/letters/{kind}-{n}.docx",
        sha256=f"{n:064x}", case_reference=f"CP-{n}", follows=follows,
    )


def statuses_on(path: Path, day: dt.date) -> list[tuple[int, str]]:
    with open_register(path) as register:
        return [(s.request.id, s.status) for s in register.statuses(day)]


def test_round_trip_record_reply_list_and_overdue(tmp_path: Path) -> None:
    path = tmp_path / "register.sqlite"
    with open_register(path) as register:
        first, created = register.record_letter(entry(1))
        second, _ = register.record_letter(entry(2))
    assert created and (first.id, second.id) == (1, 2)
    assert first.children == ("Child 1", "Lily Doe") and first.reply_by == REPLY_BY

    # On the reply-by date a request is still awaited; the day after, it is overdue.
    assert statuses_on(path, REPLY_BY) == [(1, "awaiting reply"), (2, "awaiting reply")]
    assert statuses_on(path, REPLY_BY + dt.timedelta(days=1)) == [(1, "overdue"), (2, "overdue")]

    with open_register(path) as register:
        register.record_reply(1, reply_date=dt.date(2026, 12, 3), outcome="refused",
                              reasons="not-given", note="Phone call, no letter")
        register.record_reply(2, reply_date=dt.date(2026, 12, 4), outcome="granted")
    assert statuses_on(path, dt.date(2027, 1, 1)) == [
        (1, "refused without reasons"), (2, "granted")]

    # A correction is a new reply; the latest counts and the first stays on record.
    with open_register(path) as register:
        register.record_reply(1, reply_date=dt.date(2026, 12, 3), outcome="partial",
                              reasons="given")
        assert [(r.letter_id, r.outcome) for r in register.replies()] == [
            (1, "refused"), (2, "granted"), (1, "partial")]
    assert statuses_on(path, dt.date(2027, 1, 1))[0] == (1, "partly granted")


def test_follow_ups_belong_to_their_request_and_reset_its_status(tmp_path: Path) -> None:
    path = tmp_path / "register.sqlite"
    with open_register(path) as register:
        register.record_letter(entry(1))
        register.record_reply(1, reply_date=dt.date(2026, 12, 3), outcome="refused",
                              reasons="not-given")
        reasons, _ = register.record_letter(entry(1, kind="reasons", follows=1,
                                                  letter_date=dt.date(2026, 12, 4),
                                                  reply_by=dt.date(2026, 12, 18)))
        status = register.statuses(dt.date(2026, 12, 10))[0]
    # The reasons letter awaits its own reply; the refusal is still shown as the last reply.
    assert [x.kind for x in status.letters] == ["request", "reasons"]
    assert status.status == "awaiting reply" and status.latest.id == reasons.id
    assert status.reply is not None and status.reply.outcome == "refused"
    assert statuses_on(path, dt.date(2026, 12, 21)) == [(1, "overdue")]

    with open_register(path) as register:
        register.record_letter(entry(1, kind="complaint", follows=1,
                                     letter_date=dt.date(2026, 12, 22),
                                     reply_by=dt.date(2027, 1, 8)))
    assert statuses_on(path, dt.date(2027, 1, 8)) == [(1, "complaint open")]
    assert statuses_on(path, dt.date(2027, 1, 11)) == [(1, "complaint overdue")]


def test_a_reply_recorded_after_a_chaser_answers_the_chaser_too(tmp_path: Path) -> None:
    path = tmp_path / "register.sqlite"
    with open_register(path) as register:
        register.record_letter(entry(1))
        register.record_letter(entry(1, kind="chaser", follows=1,
                                     letter_date=dt.date(2026, 12, 8),
                                     reply_by=dt.date(2026, 12, 22)))
        # The parent records the reply against the first letter's number.
        register.record_reply(1, reply_date=dt.date(2026, 12, 9), outcome="granted")
    assert statuses_on(path, dt.date(2027, 1, 1)) == [(1, "granted")]


def test_recording_is_idempotent_on_path_and_hash(tmp_path: Path) -> None:
    path = tmp_path / "register.sqlite"
    with open_register(path) as register:
        first, created = register.record_letter(entry(1))
        again, created_again = register.record_letter(entry(1))
        assert (created, created_again, again.id) == (True, False, first.id)
        # The same file written again with different contents (--force) is a new row; the
        # list shows the newest version of the request only.
        rewritten = LetterEntry(**{**entry(1).__dict__, "sha256": "f" * 64})
        newer, created_newer = register.record_letter(rewritten)
        assert created_newer and len(register.letters()) == 2
        assert [s.request.id for s in register.statuses(REQUEST_DATE)] == [newer.id]


def test_new_register_is_owner_only_in_wal_mode(tmp_path: Path) -> None:
    path = tmp_path / "register.sqlite"
    with open_register(path) as register:
        register.record_letter(entry(1))
        assert path.stat().st_mode & 0o777 == 0o600
        wal = tmp_path / "register.sqlite-wal"
        assert wal.exists() and wal.stat().st_mode & 0o777 == 0o600
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    db.close()


def test_nothing_is_ever_deleted_or_changed(tmp_path: Path) -> None:
    path = tmp_path / "register.sqlite"
    with open_register(path) as register:
        register.record_letter(entry(1))
        register.record_reply(1, reply_date=dt.date(2026, 12, 3), outcome="granted")
    db = sqlite3.connect(path)
    for sql in ("DELETE FROM letters", "UPDATE letters SET reply_by = '2030-01-01'",
                "DELETE FROM replies", "UPDATE replies SET outcome = 'refused'"):
        with pytest.raises(sqlite3.DatabaseError, match="nothing is changed or deleted"):
            db.execute(sql)
    db.close()
    with open_register(path) as register:
        assert len(register.letters()) == 1 and len(register.replies()) == 1


# The schema of the first release, as it created it: letters and replies only.
V1_SCHEMA = """
PRAGMA application_id = 1398230098;  -- "SWLR"
CREATE TABLE letters (
    id INTEGER PRIMARY KEY, recorded_at TEXT NOT NULL, kind TEXT NOT NULL,
    letter_date TEXT NOT NULL, reply_by TEXT NOT NULL, case_reference TEXT,
    children TEXT NOT NULL, recipient_organisation TEXT NOT NULL, grounds TEXT NOT NULL,
    output_path TEXT NOT NULL, sha256 TEXT NOT NULL, UNIQUE (output_path, sha256));
CREATE TABLE replies (
    id INTEGER PRIMARY KEY, letter_id INTEGER NOT NULL REFERENCES letters(id),
    recorded_at TEXT NOT NULL, reply_date TEXT NOT NULL, outcome TEXT NOT NULL,
    reasons TEXT, note TEXT);
INSERT INTO letters VALUES (1, '2026-11-23T10:00:00+00:00', 'request', '2026-11-23',
    '2026-12-07', 'CP-1', '["Sam Doe"]', 'East Sussex County Council',
    '["communication_breakdown"]', '/letters/one.docx', 'aa');
INSERT INTO letters VALUES (2, '2026-11-24T10:00:00+00:00', 'request', '2026-11-24',
    '2026-12-08', NULL, '["Mia Green"]', 'Sefton Council', '["complaint"]',
    '/letters/two.docx', 'bb');
INSERT INTO replies VALUES (1, 1, '2026-12-02T09:00:00+00:00', '2026-12-01', 'refused',
    'not-given', 'by phone');
PRAGMA user_version = 1;
"""


def test_a_version_1_register_is_upgraded_and_keeps_everything(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    db = sqlite3.connect(path)
    db.executescript(V1_SCHEMA)
    db.close()

    with open_register(path) as register:
        letters = register.letters()
        assert [(x.id, x.case_reference, x.jurisdiction, x.follows) for x in letters] == [
            (1, "CP-1", "england", None), (2, None, "england", None)]
        assert [(r.letter_id, r.outcome, r.reasons, r.note, r.answers_through)
                for r in register.replies()] == [(1, "refused", "not-given", "by phone", 1)]
        assert [(s.request.id, s.status) for s in register.statuses(dt.date(2026, 12, 10))] == [
            (1, "refused without reasons"), (2, "overdue")]
        # And the upgraded register takes new letters and follow-ups.
        chaser, _ = register.record_letter(entry(9, kind="chaser", follows=2))
        assert chaser.follows == 2
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    db.close()


def test_a_register_from_a_newer_swletter_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite"
    db = sqlite3.connect(path)
    db.executescript(V1_SCHEMA.replace("user_version = 1", "user_version = 99"))
    db.close()
    with pytest.raises(RegisterError) as err:
        open_register(path)
    assert str(err.value) == (
        f"{path} was written by a newer swletter (register version 99; this swletter reads up "
        f"to version {SCHEMA_VERSION}). Upgrade swletter to use it."
    )


def test_files_that_are_not_registers_are_refused_and_left_alone(tmp_path: Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("not a database, just notes\n" * 20, encoding="utf-8")
    with pytest.raises(RegisterError, match="is not a swletter register"):
        open_register(text)
    assert text.read_text(encoding="utf-8").startswith("not a database")

    other = tmp_path / "other.sqlite"
    db = sqlite3.connect(other)
    db.execute("CREATE TABLE t (x)")
    db.commit()
    db.close()
    with pytest.raises(RegisterError, match="an SQLite file but not a swletter register"):
        open_register(other)


def test_reading_a_missing_register_does_not_create_one(tmp_path: Path) -> None:
    path = tmp_path / "missing.sqlite"
    with pytest.raises(RegisterError, match="does not exist yet"):
        open_register(path, create=False)
    assert not path.exists()


def test_unknown_letter_and_impossible_reply_dates_are_clear_errors(tmp_path: Path) -> None:
    path = tmp_path / "register.sqlite"
    with open_register(path) as register:
        register.record_letter(entry(1))
        with pytest.raises(RegisterError) as err:
            register.record_reply(7, reply_date=REQUEST_DATE, outcome="granted")
        assert str(err.value) == (f"there is no letter 7 in the register {path}. `swletter "
                                  "register list` shows each request's number.")
        with pytest.raises(RegisterError) as err:
            register.record_reply(1, reply_date=dt.date(2026, 11, 1), outcome="granted")
        assert str(err.value) == (
            "the reply date 1 November 2026 is before letter 1's date (23 November 2026). "
            "Check the date, written as 2026-11-23.")
        assert register.replies() == []


def _record_many(path: str, start: int, count: int) -> None:
    """One of several processes recording overlapping letters into one register."""
    with open_register(path) as register:
        for n in range(start, start + count):
            register.record_letter(entry(n))


def test_concurrent_writers_record_each_letter_exactly_once(tmp_path: Path) -> None:
    path = tmp_path / "register.sqlite"
    # Four processes, each recording 30 letters; their ranges overlap, 60 letters in all.
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_record_many, args=(str(path), start, 30))
               for start in (0, 10, 20, 30)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(60)
    assert [w.exitcode for w in workers] == [0, 0, 0, 0]
    with open_register(path) as register:
        letters = register.letters()
    assert sorted(x.sha256 for x in letters) == [f"{n:064x}" for n in range(60)]
    assert [x.id for x in letters] == list(range(1, 61))


class Killed(Exception):
    """Stands in for the process being killed part-way through a batch."""


def _run_batch(register_path: Path, out: Path, names: list[str], *,
               kill_after_writing: int | None = None) -> None:
    """A batch as `swletter bulk` runs it: skip letters already written, record each letter
    after its file is in place (an existing file is recorded too, from its contents)."""
    from letters.case.validate import case_from_data
    from letters.output import write_atomic

    with open_register(register_path) as register:
        for i, name in enumerate(names):
            target = out / f"{name}.md"
            if not target.exists():
                write_atomic(target, f"Letter for {name}\n".encode())
                if kill_after_writing is not None and i == kill_after_writing:
                    raise Killed  # after the file, before its record: the worst moment
            case = case_from_data({
                "sender": {"name": "Ann Lee", "address": ["1 Road"]},
                "recipient": {"organisation": "Leeds City Council", "address": ["Civic Hall"]},
                "social_worker": {"name": "Kim Ray"},
                "children": [{"name": name}],
                "grounds": {"communication_breakdown": {"summary": "Calls go unanswered."}},
            }, source=f"{name}.yaml")
            register.record_letter(entry_for_case(case, kind="request",
                                                  letter_date=REQUEST_DATE, reply_by=REPLY_BY,
                                                  output_path=target))


def test_a_killed_batch_run_again_leaves_no_duplicates_and_no_gaps(tmp_path: Path) -> None:
    path = tmp_path / "register.sqlite"
    out = tmp_path / "letters"
    out.mkdir()
    names = [f"Child {n}" for n in range(8)]
    with pytest.raises(Killed):
        _run_batch(path, out, names, kill_after_writing=4)
    with open_register(path) as register:
        assert len(register.letters()) == 4  # letter 5 was written but not yet recorded
    _run_batch(path, out, names)
    _run_batch(path, out, names)  # and a third run changes nothing
    with open_register(path) as register:
        letters = register.letters()
    assert sorted(x.children[0] for x in letters) == sorted(names)
    for letter in letters:
        assert letter.sha256 == sha256_file(letter.output_path)


def test_a_follow_up_whose_first_letter_is_not_recorded_is_listed_on_its_own(
        tmp_path: Path) -> None:
    path = tmp_path / "register.sqlite"
    with open_register(path) as register:
        register.record_letter(entry(1, kind="chaser", letter_date=dt.date(2026, 12, 10),
                                     reply_by=dt.date(2026, 12, 24)))
        [status] = register.statuses(dt.date(2026, 12, 28))
    assert (status.request.kind, status.status) == ("chaser", "overdue")


def test_a_request_written_again_keeps_its_follow_ups_and_replies(tmp_path: Path) -> None:
    path = tmp_path / "register.sqlite"
    with open_register(path) as register:
        register.record_letter(entry(1))
        register.record_letter(entry(1, kind="chaser", follows=1,
                                     letter_date=dt.date(2026, 12, 8),
                                     reply_by=dt.date(2026, 12, 22)))
        # The request's file is written again (--force): new contents, same file.
        again, _ = register.record_letter(LetterEntry(**{**entry(1).__dict__, "sha256": "e" * 64}))
        [status] = register.statuses(dt.date(2026, 12, 10))
        assert status.request.id == again.id
        assert [(x.kind, x.id) for x in status.letters] == [("chaser", 2), ("request", 3)]
        # A reply recorded against the first version answers the whole request.
        register.record_reply(1, reply_date=dt.date(2026, 12, 9), outcome="granted")
        assert [s.status for s in register.statuses(dt.date(2026, 12, 10))] == ["granted"]
