"""Recording a bulk run's letters in the register, from the parent process: the one writer, so
``--jobs N`` records every letter exactly once.

A letter written by the run comes with its entry. A letter already written is recorded only if
the register does not have its file yet (a run killed between writing a letter and recording
it, or run first without a register), so every letter is recorded exactly once however often
the batch is run. A letter written again because its case changed is recorded as replacing the
earlier one, so the register lists the request once, as its newest version.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from letters.bulk.report import CaseResult
from letters.register.store import Register, open_register


class Recorder:
    """The register a run records into (none when ``path`` is None); a context manager."""

    def __init__(self, path: str | None, out_dir: Path) -> None:
        self.path = path
        self.out_dir = out_dir
        self.new = 0
        self.register: Register | None = None
        self._outputs: set[str] = set()

    @property
    def active(self) -> bool:
        return self.path is not None

    def __enter__(self) -> Recorder:
        if self.path:
            # Opened (and so checked to be writable) before any letter is written.
            self.register = open_register(self.path)
            self._outputs = self.register.outputs()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.register is not None:
            self.register.close()
            self.register = None

    def needs_entry(self, letter: Path) -> bool:
        """Whether the letter at ``letter`` (already written) is missing from the register."""
        return self.register is not None and str(letter.resolve()) not in self._outputs

    def add(self, result: CaseResult) -> None:
        """Record ``result``'s letter, if it brings an entry."""
        entry = result.entry
        if self.register is None or entry is None:
            return
        if result.replaced:
            earlier = self.register.request_at(self.out_dir / result.replaced)
            if earlier is not None:
                entry = dataclasses.replace(entry, replaces=earlier.id)
        _, created = self.register.record_letter(entry)
        self._outputs.add(entry.output_path)
        self.new += created
