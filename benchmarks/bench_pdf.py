"""How fast, and how large, is making a PDF letter: Typst in the process against LibreOffice?
Prints figures; asserts nothing.

    python benchmarks/bench_pdf.py              # about a minute; needs LibreOffice (soffice)
    python benchmarks/bench_pdf.py --letters 200 --libreoffice 8 --bulk 100

All in one run, on the full example's letter (a different family's names in each letter, so
nothing is served from a cache):

1. Time per letter, Markdown → PDF bytes, in this process:
   - Typst (swletter's own layout, ``letter_bytes(markdown, "pdf")``): the first letter (the
     template, the fonts and the compiler loaded) and each letter after it;
   - LibreOffice for one letter, as ``render --format pdf --reference-docx`` makes it (the
     .docx, then a LibreOffice start to convert it);
   - LibreOffice per letter in a batch of 16 with one start, as ``bulk`` makes letterhead PDFs.
   Rounds alternate the two, so a change in the machine's load hits both; CPU time (this
   process and its children) is printed beside wall time.
2. Peak memory for one letter, each way in a fresh process: the Python process's peak resident
   size, and LibreOffice's (the largest of its processes), against a .docx-only baseline.
   (Linux: it reads /proc.)
3. `swletter render` of the full example as a whole process: .docx, .pdf by Typst, and .pdf on
   a letterhead (LibreOffice); and `swletter bulk --format pdf` of 40 cases, each way.

Figures depend on the machine and what else runs on it: compare figures from the same run.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from importlib import resources
from pathlib import Path

FIRST = ["Sam", "Lily", "Noah", "Ava", "Leo", "Isla", "Alfie", "Maya", "Theo", "Ruby"]
FAMILY = ["Doe", "Green", "Shah", "Okafor", "Nowak", "Evans", "Hughes", "Kaur", "Murphy", "Lewis"]


def full_example_markdown() -> str:
    """The full example's letter, dated as the golden letter is."""
    import datetime as dt

    from letters.case.validate import load_case
    from letters.compose.request import make_letter

    with resources.as_file(resources.files("letters.example")) as folder:
        case = load_case(Path(folder) / "case.yaml")
    return make_letter(case, today=dt.date(2026, 11, 23)).markdown


def letters(markdown: str, count: int, start: int = 0) -> list[str]:
    """``count`` letters, each naming a different family."""
    out = []
    for n in range(start, start + count):
        first, family = FIRST[n % len(FIRST)], FAMILY[(n // len(FIRST)) % len(FAMILY)]
        out.append(markdown.replace("Doe", f"{family}{n}").replace("Sam", first))
    return out


def clocks() -> tuple[float, float]:
    """Wall time, and CPU time of this process and the children it has waited for."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime
    return time.perf_counter(), cpu


def timed(work: Callable[[], object]) -> tuple[float, float]:
    wall, cpu = clocks()
    work()
    wall_end, cpu_end = clocks()
    return wall_end - wall, cpu_end - cpu


def per_letter(texts: list[str], make: Callable[[list[str]], object]) -> tuple[float, float]:
    """Wall and CPU seconds per letter to make PDFs of ``texts`` with ``make``."""
    wall, cpu = timed(lambda: make(texts))
    return wall / len(texts), cpu / len(texts)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


# --------------------------------------------------------------------------------------------
# Memory: one letter in a fresh process

_ONE_LETTER = """
import resource, sys
from letters.writers import letter_bytes
markdown = sys.stdin.read()
route = sys.argv[1]
if route == "typst":
    data = letter_bytes(markdown, "pdf", title="A letter")
elif route == "libreoffice":
    from letters.writers.docx import build_docx
    from letters.writers.pdf import docx_to_pdf
    data = docx_to_pdf(build_docx([markdown]))
else:
    data = letter_bytes(markdown, "docx")
assert data
# VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the parent process into a child.
with open("/proc/self/status") as status:
    own = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(own, children)
"""


def peak_memory(route: str, markdown: str) -> tuple[float, float]:
    """Peak resident MiB of the Python process and of its largest child, for one letter."""
    run = subprocess.run([sys.executable, "-c", _ONE_LETTER, route], input=markdown, text=True,
                         capture_output=True, check=True, timeout=600)
    own, children = (int(v) / 1024 for v in run.stdout.split())
    return own, children


# --------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--letters", type=int, default=100,
                        help="Typst letters per round (default 100)")
    parser.add_argument("--libreoffice", type=int, default=4,
                        help="single LibreOffice conversions per round (default 4)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--bulk", type=int, default=40, help="cases for the bulk runs (40)")
    args = parser.parse_args()

    from letters.writers import letter_bytes
    from letters.writers.docx import build_docx
    from letters.writers.pdf import docx_to_pdf, docxs_to_pdfs, find_soffice

    if find_soffice() is None:
        sys.exit("LibreOffice (soffice) is needed for the comparison.")
    print(f"Python {platform.python_version()}, {platform.system()} {platform.machine()}, "
          f"{os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.2f}")
    import typst

    soffice = subprocess.run([find_soffice() or "soffice", "--version"], capture_output=True,
                             text=True).stdout.strip()
    print(f"typst {typst.__version__}; {soffice}")

    markdown = full_example_markdown()
    first_wall, first_cpu = timed(lambda: letter_bytes(letters(markdown, 1, 999)[0], "pdf",
                                                       title="A letter"))
    sample = letter_bytes(markdown, "pdf", title="A letter")
    pages = len(re.findall(rb"/Type\s*/Page[^s]", sample))
    print(f"\nThe full example: {pages} pages; Typst's PDF {len(sample) / 1024:.0f} KiB")
    print(f"Typst, first letter in this process (compiler and fonts loaded): {ms(first_wall)} "
          f"(CPU {ms(first_cpu)})")

    typst_rounds: list[tuple[float, float]] = []
    single_rounds: list[tuple[float, float]] = []
    batch_rounds: list[tuple[float, float]] = []
    batch = 16
    for number in range(args.rounds):
        texts = letters(markdown, args.letters, number * args.letters)
        typst_rounds.append(per_letter(texts, lambda t: [letter_bytes(x, "pdf", title="A letter")
                                                         for x in t]))
        texts = letters(markdown, args.libreoffice, 5000 + number * args.libreoffice)
        single_rounds.append(per_letter(texts, lambda t: [docx_to_pdf(build_docx([x]))
                                                          for x in t]))
        texts = letters(markdown, batch, 7000 + number * batch)
        batch_rounds.append(per_letter(texts, lambda t: docxs_to_pdfs([build_docx([x])
                                                                       for x in t])))
        print(f"  round {number + 1}: Typst {ms(typst_rounds[-1][0])}, LibreOffice alone "
              f"{ms(single_rounds[-1][0])}, in a batch of {batch} {ms(batch_rounds[-1][0])} "
              "a letter")

    def median(rounds: list[tuple[float, float]], index: int) -> float:
        return statistics.median(r[index] for r in rounds)

    t_wall, t_cpu = median(typst_rounds, 0), median(typst_rounds, 1)
    print(f"\nTime per letter, Markdown → PDF (median of {args.rounds} rounds; CPU in brackets)")
    print(f"  Typst, in this process:               {ms(t_wall):>10} ({ms(t_cpu)})")
    for label, rounds in (("LibreOffice, one start per letter:", single_rounds),
                          (f"LibreOffice, one start per {batch}:", batch_rounds)):
        wall, cpu = median(rounds, 0), median(rounds, 1)
        print(f"  {label:<38}{ms(wall):>10} ({ms(cpu)})   Typst is {wall / t_wall:.0f}x "
              f"faster (CPU {cpu / t_cpu:.0f}x)")

    print("\nPeak memory for one letter, each in a fresh process (resident, MiB)")
    docx_own, _ = peak_memory("docx", markdown)
    typst_own, _ = peak_memory("typst", markdown)
    lo_own, lo_child = peak_memory("libreoffice", markdown)
    print(f"  .docx only (the baseline):   Python {docx_own:6.1f}")
    print(f"  Typst:                       Python {typst_own:6.1f}   (+{typst_own - docx_own:.1f} "
          "over the baseline)")
    print(f"  LibreOffice:                 Python {lo_own:6.1f} + LibreOffice {lo_child:6.1f}"
          f" = {lo_own + lo_child:.1f}")
    print(f"  LibreOffice's whole / Typst's whole: {(lo_own + lo_child) / typst_own:.1f}x; "
          f"what each adds to a .docx: {lo_child / max(typst_own - docx_own, 0.1):.0f}x")

    print("\n`swletter render` of the full example, as a whole process (median of 5)")
    swletter = str(Path(sys.executable).with_name("swletter"))
    import tempfile

    with tempfile.TemporaryDirectory() as folder, \
            resources.as_file(resources.files("letters.example")) as example:
        for label, extra in ((".docx", []), (".pdf, Typst", []),
                             (".pdf, LibreOffice (a letterhead)", ["--reference-docx", "REF"])):
            fmt = "docx" if label == ".docx" else "pdf"
            if extra:
                reference = Path(folder) / "letterhead.docx"
                reference.write_bytes(build_docx([""]))
                extra = ["--reference-docx", str(reference)]
            times = []
            for _ in range(5):
                out = Path(folder) / f"letter.{fmt}"
                start = time.perf_counter()
                subprocess.run([swletter, "render", str(Path(example) / "case.yaml"), "-o",
                                str(out), "--force", *extra], check=True, capture_output=True)
                times.append(time.perf_counter() - start)
            print(f"  {label:<34}{statistics.median(times):6.2f} s")

    print(f"\n`swletter bulk --format pdf` of {args.bulk} full-example cases, whole process")
    from bench_bulk import make_cases  # the same cases as the bulk benchmark's

    with tempfile.TemporaryDirectory() as folder:
        cases = make_cases(Path(folder) / "cases", args.bulk)
        reference = Path(folder) / "letterhead.docx"
        reference.write_bytes(build_docx([""]))
        for number, (label, extra) in enumerate((
                ("Typst, --jobs 1", ["--jobs", "1"]),
                ("Typst, --jobs 2", ["--jobs", "2"]),
                ("LibreOffice (a letterhead), --jobs 1",
                 ["--jobs", "1", "--reference-docx", str(reference)]))):
            out = Path(folder) / f"out-{number}"
            start = time.perf_counter()
            subprocess.run([swletter, "bulk", str(cases), "--out", str(out), "--format", "pdf",
                            *extra], check=True, capture_output=True)
            wall = time.perf_counter() - start
            print(f"  {label:<38}{wall:6.1f} s, {args.bulk / wall:5.1f} letters a second")


if __name__ == "__main__":
    main()
