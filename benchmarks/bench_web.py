"""The web form under load: 20 parents at once, each through the whole journey, against
waitress (the production server) on this computer. Prints figures; asserts nothing.

    python benchmarks/bench_web.py                 # about two minutes
    python benchmarks/bench_web.py --parents 20 --journeys 3 --think 0.25

The server runs in a process of its own, as ``swletter serve`` runs it (waitress, 8 threads).
Each simulated parent is a thread of this process with its own connection and cookie, carrying
the page's state and CSRF token from each page to the next exactly as a browser would
(http.client; nothing but this computer is contacted). A parent opens the start page, answers
every question of a family with two reasons and one piece of evidence (36 pages), reads the
letter, and downloads it as .pdf, .docx and the saved answers; then starts again.

Two runs: with a pause between pages (``--think`` seconds on average, a very quick parent), and
with none at all (every parent sending the next page the moment the last arrives, the worst
burst the server could meet). For each: the 50th and 95th percentile and the slowest response
per kind of page, errors (any status but 200, or a page that is not the one expected), and the
server process's peak memory (VmHWM, Linux) and processor time per request.

Goals (issue 15): question pages p95 <= 50 ms, PDF downloads p95 <= 150 ms, no errors, each
server process under 100 MB.
"""

from __future__ import annotations

import argparse
import html
import http.client
import random
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

_FORM = re.compile(r'<form method="post" action="([^"]+)"[^>]*>(.*?)</form>', re.S)
_HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')

#: The family's answers, as the form's widgets send them.
JOURNEY: list[dict[str, Any]] = [
    {"answer": "Jane Doe"}, {"answer": "mother"},
    {"answer": "12 High Street\nHastings\nTN34 1AA"}, {"answer": "jane.doe@example.org"},
    {"answer": ""}, {"answer": "Sam Doe"},
    {"answer-day": "2", "answer-month": "5", "answer-year": "2017"}, {"answer": "no"},
    {"answer": "John Smith"}, {"answer": "Mr"},
    {"answer-day": "12", "answer-month": "1", "answer-year": "2026"},
    {"answer": "CP-2026-0413"}, {"answer": "Sarah Patel"}, {"answer": "Ms"},
    {"answer": "Team Manager"}, {"answer": ""}, {"answer": "East Sussex County Council"},
    {"answer": "County Hall, St Anne's Crescent\nLewes\nBN7 1UE"}, {"answer": ""},
    {"answer": "1"}, {"answer": ["1", "5"]},
    {"answer": "Since April most of my emails about contact have gone unanswered."},
    {"answer": "I no longer feel able to share information."},
    {"answer-day": "1", "answer-month": "10", "answer-year": "2026"},
    {"answer": "COMP-998"}, {"answer": "Missed visits and an inaccurate record."},
    {"answer": "yes"}, {"answer-day": "3", "answer-month": "4", "answer-year": "2026"},
    {"answer": "1"}, {"answer": "My email asking about contact, with no reply."},
    {"answer": ["1", "2"]}, {"answer": "no"}, {"answer": "no"}, {"answer": "no"},
    {"answer": "10"},
]


class Parent:
    """One browser: a connection, a cookie, the page it is on."""

    def __init__(self, port: int, think: float, seed: int) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookie = ""
        self.page = ""
        self.think = think
        self.random = random.Random(seed)
        self.timings: dict[str, list[float]] = defaultdict(list)
        self.errors: list[str] = []

    def _request(self, kind: str, method: str, path: str, fields: Any = None) -> bytes:
        if self.think:
            time.sleep(self.random.uniform(0.4, 1.6) * self.think)
        headers = {"Cookie": self.cookie} if self.cookie else {}
        body = None
        if fields is not None:
            body = urllib.parse.urlencode(fields, doseq=True).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        start = time.perf_counter()
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        data = response.read()
        self.timings[kind].append(time.perf_counter() - start)
        cookie = response.getheader("Set-Cookie")
        if cookie:
            self.cookie = cookie.split(";", 1)[0]
        if response.status != 200:
            self.errors.append(f"{kind} {path}: HTTP {response.status}")
        return data

    def open(self, kind: str, path: str) -> None:
        self.page = self._request(kind, "GET", path).decode("utf-8")

    def hidden(self, action: str) -> dict[str, str]:
        for form_action, body in _FORM.findall(self.page):
            if form_action == action:
                return {k: html.unescape(v) for k, v in _HIDDEN.findall(body)}
        self.errors.append(f"no form posts to {action}")
        return {}

    def post(self, kind: str, action: str, fields: dict[str, Any], *,
             form_of: str | None = None) -> bytes:
        data = self._request(kind, "POST", action, {**self.hidden(form_of or action), **fields})
        if not data.startswith((b"%PDF", b"PK", b"#")):
            self.page = data.decode("utf-8")
        return data

    def journey(self) -> None:
        self.open("start page", "/")
        self.open("question page", "/questions")
        for answer in JOURNEY:
            self.post("question page", "/questions", answer)
            if "There is a problem" in self.page or "A suggestion about" in self.page:
                self.errors.append("an answer was not taken")
        if "<h1 class=\"heading-l\">Check your answers</h1>" not in self.page:
            self.errors.append("the journey did not reach check your answers")
        self.post("letter preview", "/letter", {})
        for fmt, kind, start in (("pdf", "PDF download", b"%PDF"),
                                 ("docx", "Word download", b"PK"),
                                 ("yaml", "saved answers", b"#")):
            data = self.post(kind, "/download", {"format": fmt})
            if not data.startswith(start):
                self.errors.append(f"{fmt} download was not a {fmt} file")


def _server() -> tuple[subprocess.Popen[str], int]:
    code = ("import sys\n"
            "from letters.web.serve import serve\n"
            "serve(None, ready=lambda url: print(url, flush=True))\n")
    process = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, text=True,
                               stdout=subprocess.PIPE)
    assert process.stdout is not None
    url = process.stdout.readline().strip()
    return process, int(url.rsplit(":", 1)[1].strip("/"))


def _status(pid: int) -> dict[str, str]:
    out = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        out[key] = value.strip()
    return out


def _cpu_seconds(pid: int) -> float:
    import os

    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def run(parents: int, journeys: int, think: float) -> None:
    process, port = _server()
    try:
        warm = Parent(port, 0, 0)
        warm.journey()  # the first PDF loads Typst's fonts: not a parent's wait to measure
        cpu_before = _cpu_seconds(process.pid)
        crowd = [Parent(port, think, seed) for seed in range(parents)]

        def go(parent: Parent) -> None:
            for _ in range(journeys):
                parent.journey()

        threads = [threading.Thread(target=go, args=(p,)) for p in crowd]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
        cpu = _cpu_seconds(process.pid) - cpu_before
        status = _status(process.pid)
    finally:
        process.terminate()
        process.wait(timeout=30)
    timings: dict[str, list[float]] = defaultdict(list)
    errors = [e for p in crowd for e in p.errors]
    for parent in crowd:
        for kind, values in parent.timings.items():
            timings[kind].extend(values)
    requests = sum(len(v) for v in timings.values())
    print(f"{parents} parents x {journeys} journeys, pause between pages "
          f"{f'{think:.2f} s on average' if think else 'none'}: {requests:,} requests in "
          f"{elapsed:.1f} s ({requests / elapsed:.0f} a second)")
    print(f"  {'page':<16} {'count':>6} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for kind in ("start page", "question page", "letter preview", "PDF download",
                 "Word download", "saved answers"):
        values = timings.get(kind, [])
        if values:
            print(f"  {kind:<16} {len(values):>6} {statistics.median(values) * 1000:>8.1f} "
                  f"{_percentile(values, 95) * 1000:>8.1f} {max(values) * 1000:>8.1f}")
    print(f"  errors: {len(errors)}" + (f" (first: {errors[0]})" if errors else ""))
    print(f"  server process: peak memory {status['VmHWM']}, threads {status['Threads']}, "
          f"processor time {cpu * 1000 / requests:.1f} ms a request")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--parents", type=int, default=20)
    parser.add_argument("--journeys", type=int, default=3)
    parser.add_argument("--think", type=float, default=0.25,
                        help="average pause between pages, seconds (the first run)")
    args = parser.parse_args()
    import platform

    print(f"Python {platform.python_version()}, {platform.machine()}, "
          f"{__import__('os').cpu_count()} processors")
    run(args.parents, args.journeys, args.think)
    print()
    run(args.parents, args.journeys, 0.0)


if __name__ == "__main__":
    main()
