"""Hostile case files: time and peak memory against size, for each shape that once went quadratic.

Run: ``python benchmarks/bench_case_shapes.py`` (``--sizes 256K,1M,2M``, ``--shapes evidence,…``,
``--commands check,render``). Each shape is a case file built to a target size, up to the 2 MiB
a case file may have; each is run through ``swletter check`` and ``swletter render -o x.md`` as
a process of its own, and the script prints the wall time, the peak resident memory and the
size of what the command printed. Time and memory that grow in proportion to the size (double
the file, double the time) mean the passes over a case are linear; the promise is a verdict
within 2 s and 300 MB for any file under the limit. Not a test: timings depend on the machine.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIMIT = 2 * 1024 * 1024  # letters.case.validate.MAX_CASE_BYTES, without importing the engine here

HEAD = """\
date: 2026-11-23
sender: {name: Jane Doe, address: [12 High Street, Hastings]}
recipient: {organisation: East Sussex County Council, address: [County Hall, Lewes]}
social_worker: {name: John Smith}
children: [{name: Sam Doe}]
"""
GROUND = """\
grounds:
  communication_breakdown:
    summary: My emails about contact arrangements have gone unanswered since April.
    evidence: [E1]
"""
ONE_EVIDENCE = "evidence:\n  - {id: E1, date: 2026-04-03, type: email, description: My email.}\n"


@dataclass(frozen=True)
class Shape:
    """A hostile case file: ``head``, ``item(i)`` for i = 1, 2, … until the target size, then
    ``middle`` and ``second(i)`` for the same i (a second list that goes with the first), then
    ``tail``."""

    name: str
    what: str
    head: str
    item: Callable[[int], str]
    tail: str = ""
    middle: str = ""
    second: Callable[[int], str] | None = None

    def build(self, size: int) -> tuple[str, int]:
        """The file's text (at most ``size`` bytes) and the number of items in it."""
        first: list[str] = []
        then: list[str] = []
        used = sum(len(part.encode()) for part in (self.head, self.middle, self.tail))
        while True:
            i = len(first) + 1
            piece, other = self.item(i), self.second(i) if self.second else ""
            grow = len(piece.encode()) + len(other.encode())
            if used + grow > size:
                break
            first.append(piece)
            then.append(other)
            used += grow
        text = self.head + "".join(first) + self.middle + "".join(then) + self.tail
        return text, len(first)


def _long_text(name: str, words: str, what: str) -> Shape:
    return Shape(
        name, f"one summary field as long as the file allows, {what}",
        HEAD + ONE_EVIDENCE + "grounds:\n  communication_breakdown:\n    evidence: [E1]\n"
        "    summary: >-\n",
        lambda i: f"      {words}\n",
    )


def _evidence_item(i: int) -> str:
    return f"  - {{id: E{i}, date: 2026-04-03, type: email, description: Email {i}.}}\n"


SHAPES = (
    Shape("evidence", "valid evidence items, one cited (issue 13: 30,000 took 88 s to check)",
          HEAD + GROUND + "evidence:\n", _evidence_item),
    Shape("incidents", "incidents under one ground, each citing an evidence item of its own",
          HEAD + "grounds:\n  unprofessional_conduct:\n    incidents:\n",
          lambda i: f"      - {{date: 2026-03-12, what: Visit {i} missed., evidence: [E{i}]}}\n",
          middle="evidence:\n", second=_evidence_item),
    Shape("unknown-citations", "citations of ids that do not exist, beside as many evidence "
          "items (each message listed every id and compared the citation with each)",
          HEAD + "grounds:\n  unprofessional_conduct:\n    incidents:\n"
          "      - date: 2026-03-12\n        what: Visits were missed.\n        evidence:\n",
          lambda i: f"          - X{i}\n", middle="evidence:\n", second=_evidence_item),
    Shape("empty-evidence", "evidence: [{}, {}, …] (issue 13: 600k took 49 s, 4 GB and printed "
          "248 MB of errors)", HEAD + GROUND + "evidence: [", lambda i: "{}, ", "{}]\n"),
    Shape("unknown-keys", "unknown top-level fields (issue 13: render still running after "
          "10 min)", HEAD + GROUND + ONE_EVIDENCE, lambda i: f"k{i}: x\n"),
    Shape("unknown-keys-json", "the same in a .json file",
          '{"date": "2026-11-23", "sender": {"name": "Jane Doe", "address": ["1 High St"]}, '
          '"children": [{"name": "Sam Doe"}], ', lambda i: f'"k{i}": 1, ', '"z": 0}\n'),
    Shape("duplicate-keys", "the same field twice in every evidence item",
          HEAD + GROUND + "evidence:\n", lambda i: "  - {id: E, id: E}\n"),
    Shape("bad-dates", "evidence items whose dates are not real dates",
          HEAD + GROUND + "evidence:\n",
          lambda i: f"  - {{id: E{i}, date: 2026-02-30, type: email, description: x}}\n"),
    Shape("children", "children, each with a date of birth",
          HEAD.replace("children: [{name: Sam Doe}]\n", "") + GROUND + ONE_EVIDENCE
          + "children:\n", lambda i: f"  - {{name: Child Number{i}, date_of_birth: 2017-05-02}}\n"),
    Shape("address-lines", "lines in the sender's address",
          HEAD.replace("sender: {name: Jane Doe, address: [12 High Street, Hastings]}\n", "")
          + GROUND + ONE_EVIDENCE + "sender:\n  name: Jane Doe\n  address:\n",
          lambda i: f"    - {i} High Street\n"),
    _long_text("long-text", "contact " * 8, "plain words"),
    _long_text("long-hostile", "He is a liar and a Liar Smith.", "hostile words the tone check "
               "reports, beside a name (each once took time in proportion to the text before it)"),
    _long_text("long-quotes", '"a" he NEVER listens.', "quotations and capitals"),
    _long_text("long-abbreviations", "Mr. " * 8, '"Mr." over and over (no sentence ends)'),
    _long_text("long-punctuation", "*_[`<&\\" * 8, "all Markdown punctuation"),
)


def _size(text: str) -> int:
    scale = {"K": 1024, "M": 1024 * 1024}
    text = text.strip().upper()
    if text[-1:] in scale:
        return int(float(text[:-1]) * scale[text[-1]])
    return int(text)


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_mib: float
    exit_code: int
    output_bytes: int
    timed_out: bool


def run_command(command: list[str], timeout: float) -> Run:
    """Wall time, peak RSS and output size of one swletter process (killed after ``timeout``)."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
        deadline = started + timeout
        timed_out = False
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                timed_out = True
                break
            time.sleep(0.01)
        proc.returncode = os.waitstatus_to_exitcode(status)  # already reaped: tell Popen
        seconds = time.perf_counter() - started
        size = out.seek(0, os.SEEK_END)
    return Run(seconds, usage.ru_maxrss / 1024, proc.returncode, size, timed_out)


def swletter() -> list[str]:
    return [sys.executable, "-c", "from swletter.cli import main; main()"]


def commands(case: Path, which: list[str]) -> Iterator[tuple[str, list[str]]]:
    for name in which:
        if name == "check":
            yield name, [*swletter(), "check", str(case)]
        elif name == "render":
            yield name, [*swletter(), "render", str(case), "-o",
                         str(case.with_name("letter.md")), "--force"]
        else:
            raise SystemExit(f"unknown command {name!r}: use check or render")


def _human(count: int) -> str:
    return f"{count / 1024 / 1024:.1f} MiB" if count >= 1024 * 1024 else f"{count / 1024:.0f} KiB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="16K,64K,128K,190K,512K,2M",
                        help="file sizes to build (2M means just under the 2 MiB limit)")
    parser.add_argument("--shapes", default=",".join(s.name for s in SHAPES))
    parser.add_argument("--commands", default="check,render")
    parser.add_argument("--timeout", type=float, default=120.0,
                        help="seconds before a run is stopped and shown as '>N s'")
    args = parser.parse_args()
    sizes = [min(_size(s), LIMIT) for s in args.sizes.split(",")]
    chosen = args.shapes.split(",")
    unknown = set(chosen) - {s.name for s in SHAPES}
    if unknown:
        raise SystemExit(f"unknown shapes: {', '.join(sorted(unknown))}")
    which = args.commands.split(",")
    print(f"Python {platform.python_version()}, {platform.machine()}, "
          f"{os.cpu_count()} CPUs; timeout {args.timeout:g} s")
    print()
    print("| shape | file | items | command | time | peak RSS | exit | printed |")
    print("|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as folder:
        for shape in (s for s in SHAPES if s.name in chosen):
            suffix = ".json" if shape.name.endswith("-json") else ".yaml"
            for size in sizes:
                text, count = shape.build(size)
                case = Path(folder, "case" + suffix)
                case.write_text(text, encoding="utf-8")
                for label, command in commands(case, which):
                    run = run_command(command, args.timeout)
                    seconds = f">{args.timeout:g} s" if run.timed_out else f"{run.seconds:.2f} s"
                    print(f"| {shape.name} | {_human(len(text.encode()))} | {count:,} | {label} "
                          f"| {seconds} | {run.peak_mib:.0f} MiB | {run.exit_code} "
                          f"| {_human(run.output_bytes)} |", flush=True)
    print()
    for shape in (s for s in SHAPES if s.name in chosen):
        print(f"- {shape.name}: {shape.what}")


if __name__ == "__main__":
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    main()
