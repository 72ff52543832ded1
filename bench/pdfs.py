"""Benchmark Part 1 PDFs across processes: PDFs a second with one process, two, and every core.

Usage: ``python bench/pdfs.py [N] [--repeat R]`` (N records, default 60; R rounds, default 1).

What is measured, each as its own cold subprocess timed by wall clock, in the same run:
``jmb render --all --draft --format pdf --jobs J`` over the N generated records of
``bench/corpus.py`` (reference-sized, seeded; ``--draft`` so the few with seeded defects render
too), for J = 1, 2 and the number of cores this process may use (when more than 2). The whole
command is timed, start-up, checks and all, as a user waits for it; the larger N, the less the
start-up weighs.

Target (issue 9): with 2 processes, at least 1.7x the PDFs a second of one. It needs 2 idle cores:
on a machine that is busy with other work (see the load average printed) the processes share what
is left, so the ratio says more about the load than about jmb. So each round also measures what the
machine gives at that moment: the same pure-Python CPU work done by one process, then shared by two
(no I/O, nothing to share: the most two processes can gain). jmb's ratio over that ceiling is the
share of it jmb gets. The CPU seconds a PDF (of the command and its workers) show what the processes
cost apart from waiting. The outputs of every run are compared with those of one process, byte for
byte. With ``--repeat`` the runs rotate their order and each ratio is the median of its rounds.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from corpus import SEED, build_repository
from harness import Run, jmb_revision, ratio_line, timed, tool

TARGET = 1.7

#: The machine's ceiling: CPU work done by one process, then shared by ``jobs`` (seconds each).
CEILING = """\
import sys, time
from concurrent.futures import ProcessPoolExecutor
def spin(count):
    total = 0
    for number in range(count):
        total += number
    return total
units, jobs = 8, int(sys.argv[1])
start = time.perf_counter()
for _ in range(units):
    spin(3_000_000)
alone = time.perf_counter() - start
with ProcessPoolExecutor(jobs) as pool:
    list(pool.map(spin, [1] * jobs))  # started before the clock
    start = time.perf_counter()
    list(pool.map(spin, [3_000_000] * units))
    shared = time.perf_counter() - start
print(alone / shared)
"""


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", nargs="?", type=int, default=60, help="records (60)")
    parser.add_argument("--repeat", type=int, default=1, help="rounds (1)")
    parser.add_argument("--seed", type=int, default=SEED, help="random seed")
    options = parser.parse_args(argv)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    jobs = sorted({1, 2, cores or 1})
    jmb = tool("jmb")
    walls: dict[int, list[float]] = {job: [] for job in jobs}
    cpus: dict[int, list[float]] = {job: [] for job in jobs}
    ceilings: list[float] = []
    print(f"{jmb_revision()}; {cores} usable cores; load average {_load()}")
    with tempfile.TemporaryDirectory(prefix="jmb-pdfs-bench-") as folder:
        repo = Path(folder)
        paths, _, _ = build_repository(repo, options.count, options.seed)
        print(f"{len(paths)} records")
        reference: dict[str, bytes] | None = None
        for round_number in range(options.repeat):
            ceiling = timed([sys.executable, "-c", CEILING, "2"], repo)
            ceilings.append(float(ceiling.stdout))
            print(f"round {round_number + 1}: the machine gives 2 processes {ceilings[-1]:.2f}x")
            shift = round_number % len(jobs)
            for job in jobs[shift:] + jobs[:shift]:
                out = f"jobs-{job}"
                run = timed(
                    [jmb, "render", "--all", "--draft", "-f", "pdf", "--out", out, "-j", str(job)],
                    repo,
                )
                made = _outputs(run, repo / out, len(paths), f"--jobs {job}")
                if reference is None:
                    reference = made
                elif made != reference:
                    raise SystemExit(f"--jobs {job} made other bytes than the first run")
                walls[job].append(run.wall)
                cpus[job].append(run.cpu)
                print(
                    f"round {round_number + 1}, --jobs {job}: {run.wall:6.2f} s, "
                    f"{len(paths) / run.wall:5.2f} PDFs/s, {run.cpu / len(paths):.3f} CPU s a PDF"
                    f" (load average {_load()})"
                )
    print("PDFs a second (median of rounds):")
    for job in jobs:
        print(f"  --jobs {job:<3} {len(paths) / statistics.median(walls[job]):6.2f}")
    print("ratios to one process (median of rounds; quote these, not the seconds):")
    for job in jobs[1:]:
        ratio = statistics.median(
            one / many for one, many in zip(walls[1], walls[job], strict=True)
        )
        if job == 2:
            print(ratio_line("PDFs/s, 2 processes / 1", ratio, ">=", TARGET))
            share = statistics.median(
                one / two / ceiling
                for one, two, ceiling in zip(walls[1], walls[2], ceilings, strict=True)
            )
            print(f"  {'the machine gave 2 processes':<34} {statistics.median(ceilings):6.2f}x")
            print(f"  {'jmb / what the machine gave':<34} {share:6.2f}")
        else:
            print(f"  {f'PDFs/s, {job} processes / 1':<34} {ratio:6.2f}x")
    return 0


def _outputs(run: Run, folder: Path, count: int, label: str) -> dict[str, bytes]:
    if run.returncode != 0:
        raise SystemExit(f"{label} failed ({run.returncode}): {run.stderr[-2000:]}")
    made = {path.name: path.read_bytes() for path in folder.glob("*.pdf")}
    if len(made) != count:
        raise SystemExit(f"{label} made {len(made)} PDFs, not {count}")
    return made


def _load() -> str:
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


if __name__ == "__main__":
    sys.exit(main())
