"""What running a charity's templates in a process with limits costs (letters/template_worker.py).

Run: ``python benchmarks/bench_templates.py [--letters 200]``. Prints:

1. the one-off start of the process that runs templates (a fresh Python, the engine imported);
2. the time to word one letter (the full example) with swletter's own templates (in-process,
   no sandbox), with an exported copy of them in a folder (sent to the process, sandboxed),
   how much of that the sandbox takes, and the difference: the cost per letter of a
   ``--templates`` folder;
3. the start again after a template went over the processor limit (the process is replaced).
4. ``swletter render`` of the full example as a whole process, with and without the folder.

Not a test: timings depend on the machine. CPU time is printed beside wall time where it
helps, as it is steadier on a shared machine.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import subprocess
import sys
import tempfile
import time
from importlib import resources
from pathlib import Path

from letters.compose.request import compose_letter
from letters.errors import TemplateError
from letters.templating import worker as template_worker
from letters.templating.environment import (
    LETTER_TEMPLATE,
    render_limited,
    render_markdown,
    template_context,
)
from letters.templating.families import example_case
from letters.templating.house import export_templates

_RENDER = ("from cli import main; import sys; "
           "sys.argv = ['swletter', *sys.argv[1:]]; main()")


def _per_letter(letter: object, dirs: tuple[str, ...], count: int) -> tuple[float, float]:
    """Median wall and mean CPU time of one render, in ms."""
    walls = []
    cpu = time.process_time()
    for _ in range(count):
        start = time.perf_counter()
        render_markdown(letter, template_dirs=dirs)  # type: ignore[arg-type]
        walls.append(time.perf_counter() - start)
    return 1000 * statistics.median(walls), 1000 * (time.process_time() - cpu) / count


def _process(args: list[str], rounds: int = 5) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", _RENDER, *args], check=True,
                       capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--letters", type=int, default=200)
    count = parser.parse_args().letters
    work = Path(tempfile.mkdtemp(prefix="bench-templates-"))
    folder = work / "wording"
    export_templates(folder)
    dirs = (str(folder),)
    letter = compose_letter(example_case())

    start = time.perf_counter()
    template_worker.run_limited(os.getpid, label="start")
    started = time.perf_counter() - start
    print(f"start of the process that runs templates: {1000 * started:.0f} ms")

    render_markdown(letter)  # compile and cache ours first, and the folder's in the process
    render_markdown(letter, template_dirs=dirs)
    ours_wall, ours_cpu = _per_letter(letter, (), count)
    folder_wall, folder_cpu = _per_letter(letter, dirs, count)
    print(f"one letter, swletter's own templates (in-process): {ours_wall:.2f} ms "
          f"(CPU here {ours_cpu:.2f} ms)")
    print(f"one letter, the same templates from a folder (sandboxed, in the process with "
          f"limits): {folder_wall:.2f} ms (CPU here {folder_cpu:.2f} ms)")
    context = template_context(letter)
    render_limited(LETTER_TEMPLATE, context, dirs)
    start = time.perf_counter()
    for _ in range(count):
        render_limited(LETTER_TEMPLATE, context, dirs)
    here = 1000 * (time.perf_counter() - start) / count
    print(f"  of which the sandbox (the same render here, without a process): {here:.2f} ms; "
          f"sending the values and the text between processes: {folder_wall - here:.2f} ms")
    print(f"cost of a --templates folder per letter: {folder_wall - ours_wall:.2f} ms; "
          f"{count} letters: {count * (folder_wall - ours_wall) / 1000:.2f} s")

    busy = work / "busy"
    busy.mkdir()
    (busy / "change_request.md.j2").write_text(
        "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}\n",
        encoding="utf-8")
    start = time.perf_counter()
    with contextlib.suppress(TemplateError):
        render_markdown(letter, template_dirs=(str(busy),))
    stopped = time.perf_counter() - start
    start = time.perf_counter()
    render_markdown(letter, template_dirs=dirs)
    restarted = time.perf_counter() - start
    print(f"a template over the processor limit ({template_worker.CPU_LIMIT_SECONDS} s) is "
          f"stopped after {stopped:.2f} s; the next letter (a new process) takes "
          f"{1000 * restarted:.0f} ms")

    case = resources.files("letters.example").joinpath("case.yaml")
    out = work / "letter.md"
    plain = _process(["render", str(case), "-o", str(out), "--force", "--format", "md"])
    with_folder = _process(["render", str(case), "-o", str(out), "--force", "--format", "md",
                            "--templates", str(folder)])
    print(f"swletter render, full example, median of 5: {plain:.2f} s; with a --templates "
          f"folder: {with_folder:.2f} s (+{1000 * (with_folder - plain):.0f} ms)")


if __name__ == "__main__":
    main()
