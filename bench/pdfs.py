"""Benchmark Part 1 PDFs across processes: PDFs a second with one process, two, and every core.

Usage: ``python bench/pdfs.py [N] [--repeat R]`` (N records, default 60; R rounds, default 1).

What is measured, each as its own cold subprocess timed by wall clock, in the same run:
``jmb render --all --draft --format pdf --jobs J`` over the N generated records of
``bench/corpus.py`` (reference-sized, seeded; ``--draft`` so the few with seeded defects render
too), for J = 1, 2 and the number of cores this process may use (when more than 2), and the same
command for the first 4 records alone. Two rates come of it:

- the whole command, start-up, checks and all, as a user waits for it: N / T(N);
- beyond start-up, the rate of a long batch such as a site build (jmb publish): the PDFs after the
  first 4 over the time they added, (N - 4) / (T(N) - T(4)). Start-up (the interpreter, loading
  WeasyPrint, checking the records) happens once, whatever J: it weighs on the first rate only.

Target (issue 9): with 2 processes, at least 1.7x the PDFs a second of one. It needs 2 idle cores:
on a machine busy with other work (see the load average printed) the processes share what is left,
and the ratio says more about the load than about jmb. So each round also measures what the machine
gives at that moment: the same pure-Python CPU work done by one process, then shared by two (no I/O,
nothing shared: the most two processes can gain). The CPU seconds a PDF (of the command and its
workers) show what the processes cost apart from waiting. The outputs of every run are compared
with those of the first, byte for byte. With ``--repeat`` the runs rotate their order and each
ratio is the median of its rounds.
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
#: The records of the short batch that measures start-up.
FIRST = 4

#: The machine's ceiling: CPU work done by one process, then shared by ``jobs``.
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
    if options.count <= FIRST:
        parser.error(f"N must be more than {FIRST}")
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    jobs = sorted({1, 2, cores or 1})
    jmb = tool("jmb")
    whole: dict[int, list[float]] = {job: [] for job in jobs}
    short: dict[int, list[float]] = {job: [] for job in jobs}
    ceilings: list[float] = []
    print(f"{jmb_revision()}; {cores} usable cores; load average {_load()}")
    with tempfile.TemporaryDirectory(prefix="jmb-pdfs-bench-") as folder:
        repo = Path(folder)
        paths, _, _ = build_repository(repo, options.count, options.seed)
        first = [_number(repo / path) for path in paths[:FIRST]]
        print(f"{len(paths)} records")
        reference: dict[str, bytes] = {}
        for round_number in range(options.repeat):
            ceiling = timed([sys.executable, "-c", CEILING, "2"], repo)
            ceilings.append(float(ceiling.stdout))
            print(f"round {round_number + 1}: the machine gives 2 processes {ceilings[-1]:.2f}x")
            shift = round_number % len(jobs)
            for job in jobs[shift:] + jobs[:shift]:
                common = ["--draft", "-f", "pdf", "-j", str(job)]
                out = f"first-{job}"
                run = timed([jmb, "render", *first, *common, "--out", out], repo)
                _compare(reference, _outputs(run, repo / out, FIRST, f"--jobs {job}, {FIRST}"))
                short[job].append(run.wall)
                out = f"all-{job}"
                run = timed([jmb, "render", "--all", *common, "--out", out], repo)
                _compare(reference, _outputs(run, repo / out, len(paths), f"--jobs {job}"))
                whole[job].append(run.wall)
                print(
                    f"round {round_number + 1}, --jobs {job}: {FIRST} PDFs {short[job][-1]:5.2f} s,"
                    f" {len(paths)} PDFs {run.wall:6.2f} s, {run.cpu / len(paths):.3f} CPU s a PDF"
                    f" (load average {_load()})"
                )
    beyond = {
        job: [
            (len(paths) - FIRST) / (full - start)
            for full, start in zip(whole[job], short[job], strict=True)
        ]
        for job in jobs
    }
    print("PDFs a second (median of rounds):     whole command   beyond start-up")
    for job in jobs:
        rate = len(paths) / statistics.median(whole[job])
        print(f"  --jobs {job:<3}{'':<26}{rate:6.2f}{statistics.median(beyond[job]):17.2f}")
    print("ratios to one process (median of rounds; quote these, not the seconds):")
    for job in jobs[1:]:
        of_whole = statistics.median(o / m for o, m in zip(whole[1], whole[job], strict=True))
        of_beyond = statistics.median(m / o for o, m in zip(beyond[1], beyond[job], strict=True))
        if job == 2:
            print(ratio_line("whole command, 2 processes / 1", of_whole, ">=", TARGET))
            print(ratio_line("beyond start-up, 2 processes / 1", of_beyond, ">=", TARGET))
            print(f"  {'the machine gave 2 processes':<34} {statistics.median(ceilings):6.2f}x")
        else:
            print(f"  {f'whole command, {job} processes / 1':<34} {of_whole:6.2f}x")
            print(f"  {f'beyond start-up, {job} processes / 1':<34} {of_beyond:6.2f}x")
    return 0


def _outputs(run: Run, folder: Path, count: int, label: str) -> dict[str, bytes]:
    if run.returncode != 0:
        raise SystemExit(f"{label} failed ({run.returncode}): {run.stderr[-2000:]}")
    made = {path.name: path.read_bytes() for path in folder.glob("*.pdf")}
    if len(made) != count:
        raise SystemExit(f"{label} made {len(made)} PDFs, not {count}")
    return made


def _compare(reference: dict[str, bytes], made: dict[str, bytes]) -> None:
    """Every PDF the same bytes as the first run made of it."""
    for name, content in made.items():
        if reference.setdefault(name, content) != content:
            raise SystemExit(f"{name}: other bytes than the first run made")


def _number(path: Path) -> str:
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("number:"):
            return line.split(":", 1)[1].strip().strip('"')
    raise SystemExit(f"{path} has no number line")


def _load() -> str:
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


if __name__ == "__main__":
    sys.exit(main())
