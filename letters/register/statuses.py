"""Where each request stands: its letters grouped into requests, and each request's status on a
given day from its newest letter and the replies recorded.

A request written again — the same file with new contents (``--force``), or a letter that
``replaces`` an earlier one (a bulk run writing a changed case again) — is one request, shown as
its newest version, with the follow-ups and replies of every version. A void letter is left out
as if it had never been written: a void follow-up leaves the request where it stood before it,
a void new version of a request leaves the version before it, and a void request is not listed
at all (nor its follow-ups).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from letters.errors import RegisterError
from letters.register.records import (
    AWAITING,
    COMPLAINT_OPEN,
    COMPLAINT_OVERDUE,
    GRANTED,
    OVERDUE,
    PARTLY_GRANTED,
    REFUSED,
    REFUSED_WITHOUT_REASONS,
    RegisteredLetter,
    Reply,
    RequestStatus,
)


def status_for(letters: Sequence[RegisteredLetter], replies: Sequence[Reply],
               today: dt.date) -> tuple[str, Reply | None]:
    """Where a request stands on ``today``, from its letters (oldest first) and replies.

    The newest reply that answers the newest letter decides the outcome; without one, the
    newest letter is awaiting its reply, overdue once its reply-by date has passed.
    """
    latest = letters[-1]
    answering = [r for r in replies if r.answers_through >= latest.id]
    if answering:
        reply = max(answering, key=lambda r: r.id)
        if reply.outcome == "granted":
            return GRANTED, reply
        if reply.outcome == "partial":
            return PARTLY_GRANTED, reply
        if reply.reasons == "not-given":
            return REFUSED_WITHOUT_REASONS, reply
        return REFUSED, reply
    late = today > latest.reply_by
    if latest.kind == "complaint":
        return (COMPLAINT_OVERDUE if late else COMPLAINT_OPEN), _newest(replies)
    return (OVERDUE if late else AWAITING), _newest(replies)


def _newest(replies: Sequence[Reply]) -> Reply | None:
    return max(replies, key=lambda r: r.id) if replies else None


class _Requests:
    """Which request each letter belongs to."""

    def __init__(self, letters: Sequence[RegisteredLetter]) -> None:
        self.by_id = {x.id: x for x in letters}
        # Each request stands for itself, or for the newest request that replaced it (written
        # to the same file again, or naming it in ``replaces``): ``_next`` links each replaced
        # request to the one that replaced it.
        self._next: dict[int, int] = {}
        at_path: dict[str, int] = {}
        for letter in letters:
            if letter.kind != "request":
                continue
            earlier = [at_path.get(letter.output_path)]
            replaced = self.by_id.get(letter.replaces or 0)
            if replaced is not None and replaced.kind == "request":
                earlier.append(replaced.id)
            for old in earlier:
                if old is not None and (head := self.newest(old)) != letter.id:
                    self._next[head] = letter.id
            at_path[letter.output_path] = letter.id

    def newest(self, request_id: int) -> int:
        """The newest version of a request."""
        while request_id in self._next:
            request_id = self._next[request_id]
        return request_id

    def request_of(self, letter_id: int) -> int:
        """The request a letter belongs to. A follow-up whose first letter is not in the
        register (written by hand, say) stands as a request of its own."""
        head = self.by_id[letter_id].follows or letter_id
        return self.newest(head) if head in self.by_id else letter_id

    def is_older_version(self, letter: RegisteredLetter) -> bool:
        return letter.kind == "request" and letter.id in self._next


def request_statuses(letters: Sequence[RegisteredLetter], replies: Sequence[Reply],
                     today: dt.date, register: Path) -> list[RequestStatus]:
    """Every request with its follow-ups and its status on ``today``, oldest first."""
    known = {x.id for x in letters}
    for stray in (r for r in replies if r.letter_id not in known):
        raise RegisterError(
            f"the register {register} has a damaged record: reply {stray.id} is to letter "
            f"{stray.letter_id}, which is not in the register. Was it changed with another "
            "program? Use a backup copy of the register."
        )
    void = {x.id for x in letters if x.void_reason is not None}
    requests = _Requests([x for x in letters if x.id not in void])
    chains: dict[int, list[RegisteredLetter]] = {}
    for letter in requests.by_id.values():
        if requests.is_older_version(letter) or letter.follows in void:
            continue  # an older version; or a follow-up to a request that is void
        chains.setdefault(requests.request_of(letter.id), []).append(letter)
    out = []
    for request_id, chain in chains.items():
        chain_replies = [r for r in replies if r.letter_id in requests.by_id
                         and requests.request_of(r.letter_id) == request_id]
        status, reply = status_for(chain, chain_replies, today)
        out.append(RequestStatus(requests.by_id[request_id], tuple(chain), reply, status))
    return out
