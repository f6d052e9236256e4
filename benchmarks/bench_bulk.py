"""How fast is `swletter bulk`, and does its memory stay flat? Prints figures; asserts nothing.

    pip install -e '.[bench]'          # docxtpl, for the baseline
    python benchmarks/bench_bulk.py    # about two minutes; --full adds a 10,000-case batch

What it measures, all in one run on the same cases (the full example, a different family each):

1. Throughput on one core: case file → .docx on disk with swletter's engine (as `bulk --jobs 1`
   runs it), against two docxtpl baselines that load and compose the same cases, put the same
   words into a docxtpl template and save each letter: one template built on swletter's own
   base document (slimmed: the stricter comparison), one on python-docx's default document (what
   a docxtpl user starting from python-docx or Word has). All write through the same atomic
   writer, flushing to disk once per run. CPU time is printed beside wall time: on a shared
   machine it is steadier. The docx step alone is timed too, and where swletter's time goes.
2. Scaling: the `swletter bulk` command with --jobs 1 and --jobs 2, as whole processes.
3. Memory: the peak resident size of `swletter bulk` as the batch grows.
4. Start-up: `swletter render` of the full example, and `swletter --help`, as whole processes.

Figures depend on the machine and on what else runs on it: compare figures from the same run.
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from importlib import resources
from pathlib import Path

from letters.advice.tone import check_case
from letters.bulk.letter import BulkOptions, Task
from letters.bulk.plan import plan_bulk
from letters.bulk.pool import run_tasks
from letters.case.validate import load_case
from letters.compose.request import compose_letter
from letters.output import write_atomic
from letters.templating.environment import render_markdown
from letters.writers.docx import build_docx

FIRST = ["Sam", "Lily", "Noah", "Ava", "Leo", "Isla", "Alfie", "Maya", "Theo", "Ruby"]
SWLETTER = [shutil.which("swletter") or "swletter"]


#: The least a case needs (as ../shared/examples/case-minimal.yaml), for the small-case figures.
MINIMAL = """\
sender:
  name: Tom Green
  address: [4 Mill Lane, Sefton, L30 2PA]
recipient:
  organisation: Sefton Council
  address: [Bootle Town Hall, Oriel Road, Bootle, L20 7AE]
social_worker:
  name: Karen White
children:
  - name: Sam Doe
grounds:
  communication_breakdown:
    summary: We have not been able to agree how to keep in touch, and most of my messages go
      unanswered.
"""


def make_cases(folder: Path, count: int, text: str = "") -> Path:
    """``count`` case files: the packaged full example (or ``text``), each for another family."""
    example = resources.files("letters.example")
    text = text or example.joinpath("case.yaml").read_text("utf-8")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "evidence").mkdir(exist_ok=True)
    for item in example.joinpath("evidence").iterdir():
        (folder / "evidence" / item.name).write_bytes(item.read_bytes())
    for i in range(count):
        name = f"{FIRST[i % len(FIRST)]} Doe{i:05d}"
        (folder / f"case-{i:05d}.yaml").write_text(
            text.replace("Sam Doe", name).replace("CP-2026-0413", f"CP-{i:05d}"), "utf-8")
    return folder


# --------------------------------------------------------------------------------------------
# 1. One core: swletter against docxtpl


def swletter_engine(cases: Path, out: Path) -> int:
    """What `swletter bulk --jobs 1` does for each case, in this process: plan, validate, word
    the letter, check it as `swletter check` does, make the .docx and write it."""
    tasks = [Task(job) for job in plan_bulk([str(cases)], fmt="docx").jobs]
    options = BulkOptions(out_dir=str(out), fmt="docx")
    return sum(1 for r in run_tasks(tasks, options, workers=1) if r.status == "written")


def docxtpl_template(*, plain: bool = False) -> bytes:
    """A docxtpl template, one paragraph per letter paragraph, on swletter's own base document
    (its styles, and none of the parts a letter never uses), or with ``plain`` on python-docx's
    default document, as a docxtpl user starting from python-docx (or from Word) would have."""
    import docx

    document = docx.Document(None if plain else io.BytesIO(build_docx(["x"])))
    body = document.element.body
    for paragraph in list(document.paragraphs):
        body.remove(paragraph._p)
    for text in ("{%p for para in paragraphs %}", "{{ para }}", "{%p endfor %}"):
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


_MARKUP = re.compile(r"\\(.)|[*#]+ ?|<!--.*?-->")


def plain_paragraphs(markdown: str) -> list[str]:
    """The letter's paragraphs as plain text (docxtpl is given the same words)."""
    out = []
    for block in markdown.split("\n\n"):
        text = _MARKUP.sub(lambda m: m.group(1) or "", block).replace("  \n", "\n").strip()
        if text:
            out.append(text)
    return out


def docxtpl_baseline(cases: Path, out: Path, template: bytes) -> int:
    from docxtpl import DocxTemplate

    count = 0
    for path in sorted(cases.glob("*.yaml")):
        letter = compose_letter(load_case(path))
        paragraphs = plain_paragraphs(render_markdown(letter))
        document = DocxTemplate(io.BytesIO(template))
        document.render({"paragraphs": paragraphs})
        data = io.BytesIO()
        document.save(data)
        # Written as bulk writes its letters: no flush per letter, one for the whole run.
        write_atomic(out / f"{path.stem}.docx", data.getvalue(), durable=False)
        count += 1
    os.sync()
    return count


def docx_step_only(cases: Path, template: bytes, limit: int = 100) -> tuple[float, float]:
    """Milliseconds per letter for the .docx step alone: swletter's writer and docxtpl's."""
    from docxtpl import DocxTemplate

    letters = [render_markdown(compose_letter(load_case(p)))
               for p in sorted(cases.glob("*.yaml"))[:limit]]
    build_docx(letters[:1])
    started = time.perf_counter()
    for markdown in letters:
        build_docx([markdown])
    ours = (time.perf_counter() - started) / len(letters) * 1000
    plain = [plain_paragraphs(m) for m in letters]
    started = time.perf_counter()
    for paragraphs in plain:
        document = DocxTemplate(io.BytesIO(template))
        document.render({"paragraphs": paragraphs})
        document.save(io.BytesIO())
    theirs = (time.perf_counter() - started) / len(letters) * 1000
    return ours, theirs


def one_core(work: Path, count: int, text: str, kind: str, templates: dict[str, bytes]) -> Path:
    """Section 1 for one kind of case: five rounds, each timing swletter then each docxtpl
    baseline on its own fifth of the cases, so a change in the machine's load affects all alike."""
    rounds = 5
    per_round = max(1, count // rounds)
    cases = work / "cases"
    for k in range(rounds):
        make_cases(cases / f"r{k}", per_round, text)
    # Warm everything up (base documents, grounds, templates, imports), then time.
    warm = make_cases(work / "warm", 3, text)
    (work / "warm-a").mkdir()
    swletter_engine(warm, work / "warm-a")
    for b, template in enumerate(templates.values()):
        (work / f"warm-b{b}").mkdir()
        docxtpl_baseline(warm, work / f"warm-b{b}", template)
    # [letters, wall seconds, CPU seconds] for swletter, then each baseline; ratios per round.
    totals = [[0.0, 0.0, 0.0] for _ in range(len(templates) + 1)]
    ratios: list[list[float]] = [[] for _ in templates]
    for k in range(rounds):
        (work / f"a{k}").mkdir()
        ours = timed(lambda k=k: swletter_engine(cases / f"r{k}", work / f"a{k}"))
        for i, value in enumerate(ours):
            totals[0][i] += value
        for b, template in enumerate(templates.values()):
            (work / f"b{b}-{k}").mkdir()
            theirs = timed(lambda k=k, b=b, template=template: docxtpl_baseline(
                cases / f"r{k}", work / f"b{b}-{k}", template))
            for i, value in enumerate(theirs):
                totals[b + 1][i] += value
            ratios[b].append((ours[0] / ours[1]) / (theirs[0] / theirs[1]))
    letters, wall, cpu = totals[0]
    print(f"1. One core, {letters:.0f} cases like {kind}, in {rounds} rounds, case file -> .docx "
          "on disk")
    width = max(len(name) for name in templates) + 1
    print(f"   {'swletter (bulk --jobs 1 engine):':{width}} {letters / wall:7.1f} letters/s "
          f"({wall / letters * 1000:.2f} ms per letter)")
    for b, name in enumerate(templates):
        n, t, c = totals[b + 1]
        print(f"   {name + ':':{width}} {n / t:7.1f} letters/s ({t / n * 1000:.2f} ms per letter)")
        print(f"      ratio: {(letters / wall) / (n / t):.1f}x overall, rounds "
              f"{min(ratios[b]):.1f}x to {max(ratios[b]):.1f}x (target >= 8x); CPU time "
              f"{(c / n) / (cpu / letters):.1f}x")
    if letters != count - count % rounds:
        raise SystemExit(f"only {letters:.0f} letters were written: the benchmark cases are "
                         "broken")
    return cases


def stages(cases: Path, out: Path) -> dict[str, float]:
    """Milliseconds per letter in each step of a bulk case, over the cases in ``cases``."""
    from letters.compose.request import make_letter

    spent = dict.fromkeys(("read and validate the case", "compose and word the letter",
                           "check it (tone, readability, evidence)", "the .docx",
                           "write the file"), 0.0)
    steps = list(spent)
    paths = sorted(cases.glob("*.yaml"))
    for path in paths:
        t0 = time.perf_counter()
        case = load_case(path)
        t1 = time.perf_counter()
        rendered = make_letter(case)
        t2 = time.perf_counter()
        check_case(case, rendered.warnings)
        t3 = time.perf_counter()
        data = rendered.to_bytes("docx")
        t4 = time.perf_counter()
        write_atomic(out / f"{path.stem}.docx", data, durable=False)
        t5 = time.perf_counter()
        times = (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4)
        for step, seconds in zip(steps, times, strict=True):
            spent[step] += seconds
    return {step: seconds / len(paths) * 1000 for step, seconds in spent.items()}


def timed(work: Callable[[], int]) -> tuple[int, float, float]:
    """How many letters ``work`` made, the wall time it took and the CPU time it used."""
    started, cpu = time.perf_counter(), time.process_time()
    count = work()
    return count, time.perf_counter() - started, time.process_time() - cpu


# --------------------------------------------------------------------------------------------
# 2–4. Whole processes


def run_bulk_process(cases: Path, out: Path, jobs: int) -> tuple[float, int, float]:
    """Wall-clock seconds, peak RSS (KiB, largest process) and CPU seconds of one
    `swletter bulk` run."""
    probe = (
        "import resource, subprocess, sys, time\n"
        "t = time.perf_counter()\n"
        "r = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
        "u = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
        "print(time.perf_counter() - t, u.ru_maxrss, r.returncode, u.ru_utime + u.ru_stime)\n"
    )
    command = [*SWLETTER, "bulk", str(cases), "--out", str(out), "--jobs", str(jobs)]
    result = subprocess.run([sys.executable, "-c", probe, *command], capture_output=True,
                            text=True, check=True, cwd=ROOT)
    seconds, rss, code, cpu = result.stdout.split()
    if code != "0":
        raise SystemExit(f"swletter bulk failed (exit {code})")
    return float(seconds), int(rss), float(cpu)


def median_seconds(command: list[str], runs: int = 7,
                   env: dict[str, str] | None = None) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, capture_output=True, check=True, cwd=ROOT, env=env)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


ROOT = Path(__file__).resolve().parent.parent


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kib / 1024 / 1024:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    load = f", load average {os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else ""
    return (f"{cpu}, {os.cpu_count()} CPUs{memory}{load}; Python {platform.python_version()} "
            f"on {platform.system()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--cases", type=int, default=300, help="batch size for throughput")
    parser.add_argument("--full", action="store_true", help="also a 10,000-case memory batch")
    parser.add_argument("--sizes", default="100,1000,3000", help="memory batch sizes")
    args = parser.parse_args()
    print(f"Machine: {machine()}\n")
    with tempfile.TemporaryDirectory(prefix="swletter-bench-") as tmp:
        work = Path(tmp)
        template = docxtpl_template()
        templates = {
            "docxtpl on swletter's base document": template,
            "docxtpl on python-docx's default document": docxtpl_template(plain=True),
        }
        for kind, text in (("the full example", ""), ("the minimal example", MINIMAL)):
            one_core(work / kind.split()[1], args.cases, text, kind, templates)
        (work / "stages").mkdir()
        split = stages(work / "full" / "cases" / "r1", work / "stages")
        print("   where swletter's time goes, full example (ms per letter): " + ", ".join(
            f"{step} {ms:.2f}" for step, ms in split.items()))
        step_ours, step_theirs = docx_step_only(work / "full" / "cases" / "r0", template)
        print(f"   .docx step alone: swletter {step_ours:.2f} ms, docxtpl {step_theirs:.2f} ms "
              f"per letter ({step_theirs / step_ours:.0f}x)")
        size = statistics.mean(p.stat().st_size
                               for p in (work / "full" / "a0").glob("*.docx"))
        print(f"   average letter: {size / 1024:.1f} KiB\n")

        print(f"2. Scaling: `swletter bulk` as a whole process, {args.cases} cases")
        every = make_cases(work / "every", args.cases)
        base_rate = 0.0
        for jobs in (1, 2):
            seconds, _, cpu = run_bulk_process(every, work / f"jobs{jobs}", jobs)
            rate = args.cases / seconds
            base_rate = base_rate or rate
            print(f"   --jobs {jobs}: {seconds:5.2f} s, {rate:6.1f} letters/s "
                  f"({rate / base_rate:.2f}x), CPU used {cpu / seconds * 100:.0f}%")
        print()

        print("3. Memory: peak RSS of `swletter bulk --jobs 1` as the batch grows")
        sizes = [int(n) for n in args.sizes.split(",")] + ([10000] if args.full else [])
        big = make_cases(work / "big", max(sizes))
        for size in sizes:
            subset = work / f"subset-{size}"
            subset.mkdir()
            shutil.copytree(big / "evidence", subset / "evidence")
            for path in sorted(big.glob("*.yaml"))[:size]:
                os.link(path, subset / path.name)
            seconds, rss, _ = run_bulk_process(subset, work / f"mem-{size}", 1)
            print(f"   {size:6d} cases: peak RSS {rss / 1024:6.1f} MiB, {seconds:6.1f} s "
                  f"({size / seconds:.0f} letters/s)")
            shutil.rmtree(work / f"mem-{size}")
        print()

        print("4. Start-up, whole processes (median of 7)")
        example = work / "example"
        subprocess.run([*SWLETTER, "example", str(example)], check=True, capture_output=True,
                       cwd=ROOT)
        # The compiled-template cache (letters/template_cache.py) starts empty, as on a
        # user's first run: that run compiles the templates and is shown on its own.
        env = dict(os.environ, XDG_CACHE_HOME=str(work / "cache"))
        command = [*SWLETTER, "render", str(example / "case.yaml"), "-o",
                   str(work / "letter.docx"), "--force"]
        first = median_seconds(command, runs=1, env=env)
        render = median_seconds(command, env=env)
        helptime = median_seconds([*SWLETTER, "--help"])
        print(f"   swletter render (full example): {render:.3f} s (target < 0.5 s)")
        print(f"     its first run (templates not yet compiled): {first:.3f} s")
        print(f"   swletter --help:                {helptime:.3f} s (target < 0.2 s)")


if __name__ == "__main__":
    main()
