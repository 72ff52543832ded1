"""Benchmark ``jmb validate`` against its floor and its nearest peer, in one run.

Usage: ``python bench/validate.py [N] [--repeat R] [--keep DIR]`` (N records, default 10000).

What is measured
----------------
The script generates a decision repository of N realistic records with ``bench/corpus.py`` (each
about the size and shape of the reference record ``records/2019/2019-09-single-online-home.yaml``,
with prose in every section; the text is varied with a seeded random generator, so every run builds
the same repository). About 5% of the records carry a realistic defect (a bare "None" implication, a
question left in, an appendix referred to but not listed) so that jmb's finding path is exercised too;
the script checks that jmb reports exactly those records and no clean one.

Then, each as its own subprocess from a cold start (a new interpreter, imports included), timed by
wall clock around ``subprocess.run``:

- the floor: one Python process that finds every record and parses it with PyYAML's libyaml loader
  (``yaml.load(text, Loader=yaml.CSafeLoader)``). No validator can read the files faster than that;
- ``jmb validate --format json`` in the generated repository (exit 1 is expected: the seeded defects);
- ``check-jsonschema --schemafile decision.schema.json <every file>``, the generic way to check the
  same files against the same schema (it checks less than jmb: the schema alone, no content rules).

Targets: jmb at most 2x the floor, and at least 3x faster than check-jsonschema. Start-up is measured
apart: ``jmb --version`` against ``check-jsonschema --version``, alternately, 15 times each; target jmb
at most half.

Why the peers are measured in the same run
------------------------------------------
This runs on shared, noisy machines (CI runners, laptops), where absolute times move by tens of per
cent from one minute to the next. A time measured yesterday cannot be compared with one measured
today, but two tools measured side by side, in alternation, under the same load, can: so the
figures to quote are the ratios, and the seconds are only context. With ``--repeat R`` the tools run
in R rounds, in rotating order, and each ratio is the median of its per-round ratios.

The record generator is ``bench/corpus.py``; the timing machinery, shared with
``bench/render.py``, is ``bench/harness.py``. The tools are run from the project's virtualenv.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from corpus import SEED, build_repository
from harness import (
    Failure,
    Run,
    Tool,
    fits_command_line,
    jmb_revision,
    median_ratio,
    ratio_line,
    tail,
    timed,
    tool,
)

VERSION_ROUNDS = 15
#: Targets: jmb / floor at most, check-jsonschema / jmb at least, jmb / check-jsonschema start-up at most.
TARGET_FLOOR = 2.0
TARGET_PEER = 3.0
TARGET_STARTUP = 0.5

# -- the tools ----------------------------------------------------------------------------------------


FLOOR_SCRIPT = """\
import os, sys, yaml
count = 0
for folder, dirs, names in os.walk(sys.argv[1]):
    dirs[:] = sorted(d for d in dirs if not d.startswith("."))
    for name in sorted(names):
        if name.endswith((".yaml", ".yml")):
            with open(os.path.join(folder, name), encoding="utf-8") as stream:
                yaml.load(stream.read(), Loader=yaml.CSafeLoader)
            count += 1
print(count)
"""


# -- measuring ------------------------------------------------------------------------------------------


def check_floor(count: int) -> Callable[[Run], str]:
    def check(run: Run) -> str:
        if run.returncode != 0 or run.stdout.strip() != str(count):
            raise Failure(
                f"bare parse: exit {run.returncode}, output {run.stdout.strip()!r}\n"
                f"{tail(run.stderr)}"
            )
        return f"{count} files parsed"

    return check


def check_jmb(count: int, defective: set[str]) -> Callable[[Run], str]:
    def check(run: Run) -> str:
        if run.returncode not in (0, 1):
            raise Failure(f"jmb validate: exit {run.returncode}\n{tail(run.stderr)}")
        try:
            report = json.loads(run.stdout)
        except json.JSONDecodeError as error:
            raise Failure(
                f"jmb validate: output is not JSON ({error})\n{tail(run.stdout)}"
            ) from None
        counts = report["counts"]
        if counts["files"] != count:
            raise Failure(f"jmb validate checked {counts['files']} files, not {count}")
        flagged = {finding["path"] for finding in report["findings"]}
        codes = sorted({finding["code"] for finding in report["findings"]})
        stray = sorted(flagged - defective)
        missed = sorted(defective - flagged)
        note = (
            f"exit {run.returncode}, {counts['errors']} errors + {counts['warnings']} warnings "
            f"({', '.join(codes)}) in {len(flagged)} records; seeded defects {len(defective)}"
        )
        if stray or missed:
            sample = [f for f in report["findings"] if f["path"] in stray][:3]
            note += (
                f"; MISMATCH: {len(stray)} clean records flagged, {len(missed)} defects missed "
                f"{json.dumps(sample)[:400]}"
            )
        else:
            note += ", all found, no clean record flagged"
        return note

    return check


def check_peer(run: Run) -> str:
    if run.returncode != 0:
        raise Failure(
            f"check-jsonschema: exit {run.returncode}\n{tail(run.stdout)}\n{tail(run.stderr)}"
        )
    return run.stdout.strip().splitlines()[-1] if run.stdout.strip() else "ok"


def measure_validation(
    repo: Path, paths: list[str], defective: set[str], repeat: int
) -> tuple[list[Tool], list[str]]:
    python = tool("python")
    count = len(paths)
    schema = "schemas/decision.schema.json"
    tools = [
        Tool(
            "bare parse (CSafeLoader)", [python, "-c", FLOOR_SCRIPT, "records"], check_floor(count)
        ),
        Tool(
            "jmb validate --format json",
            [tool("jmb"), "validate", "--format", "json"],
            check_jmb(count, defective),
        ),
        Tool(
            "check-jsonschema",
            [tool("check-jsonschema"), "--schemafile", schema, *paths],
            check_peer,
        ),
    ]
    if not fits_command_line(tools[2].command):
        raise Failure(f"{count} paths do not fit on one check-jsonschema command line (ARG_MAX)")
    notes: dict[str, str] = {}
    for round_ in range(repeat):
        order = tools[round_ % 3 :] + tools[: round_ % 3]
        for contender in order:
            run = timed(contender.command, repo)
            notes[contender.label] = contender.check(run)
            contender.runs.append(run)
    return tools, [f"  {label}: {note}" for label, note in notes.items()]


def measure_startup(rounds: int) -> tuple[list[float], list[float]]:
    jmb = [tool("jmb"), "--version"]
    peer = [tool("check-jsonschema"), "--version"]
    here = Path.cwd()
    jmb_walls: list[float] = []
    peer_walls: list[float] = []
    for round_ in range(rounds):
        pair = ((jmb, jmb_walls), (peer, peer_walls))
        for command, walls in pair if round_ % 2 == 0 else reversed(pair):
            run = timed(command, here)
            if run.returncode != 0 or not run.stdout.strip():
                raise Failure(f"{' '.join(command)}: exit {run.returncode}\n{tail(run.stderr)}")
            walls.append(run.wall)
    return jmb_walls, peer_walls


def report(
    count: int,
    total_bytes: int,
    repeat: int,
    tools: list[Tool],
    notes: list[str],
    startup: tuple[list[float], list[float]],
) -> None:
    floor, jmb, peer = tools
    print(
        f"jmb validate benchmark: {count} records, mean {total_bytes / count / 1024:.1f} KB "
        f"({total_bytes / 2**20:.1f} MB), {os.cpu_count()} CPUs, {repeat} round(s), "
        f"Python {sys.version.split()[0]}, {jmb_revision()}"
    )
    print(f"  {'tool':<28} {'wall s':>8} {'records/s':>10} {'cpu s':>8}")
    for contender in tools:
        wall = statistics.median(contender.walls)
        cpu = statistics.median(run.cpu for run in contender.runs)
        print(f"  {contender.label:<28} {wall:8.2f} {count / wall:10.0f} {cpu:8.2f}")
    print("\n".join(notes))
    print("ratios (median of per-round ratios; quote these, not the seconds):")
    print(ratio_line("jmb / bare parse", median_ratio(jmb.walls, floor.walls), "<=", TARGET_FLOOR))
    print(
        ratio_line("check-jsonschema / jmb", median_ratio(peer.walls, jmb.walls), ">=", TARGET_PEER)
    )
    cpu_ratio = median_ratio([r.cpu for r in jmb.runs], [r.cpu for r in floor.runs])
    print(
        f"  {'jmb / bare parse, CPU seconds':<34} {cpu_ratio:6.2f}x   (for information: jmb uses every core)"
    )
    jmb_start, peer_start = startup
    print(f"start-up, {len(jmb_start)} alternating runs each:")
    for label, walls in (("jmb --version", jmb_start), ("check-jsonschema --version", peer_start)):
        print(f"  {label:<28} median {statistics.median(walls):6.3f} s   min {min(walls):6.3f} s")
    print(
        ratio_line(
            "jmb / check-jsonschema (median)",
            statistics.median(jmb_start) / statistics.median(peer_start),
            "<=",
            TARGET_STARTUP,
        )
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("count", nargs="?", type=int, default=10_000, help="records (10000)")
    parser.add_argument("--repeat", type=int, default=1, help="rounds of the three tools (1)")
    parser.add_argument("--keep", type=Path, help="build the repository here and keep it")
    parser.add_argument("--seed", type=int, default=SEED, help=f"random seed ({SEED})")
    args = parser.parse_args(argv)
    if args.count < 1 or args.repeat < 1:
        parser.error("N and --repeat must be at least 1")
    if args.keep is not None and args.keep.exists() and any(args.keep.iterdir()):
        parser.error(f"--keep {args.keep}: the folder is not empty")

    with tempfile.TemporaryDirectory(prefix="jmb-bench-") as scratch:
        repo = args.keep.resolve() if args.keep is not None else Path(scratch) / "repo"
        started = time.perf_counter()
        paths, defective, total = build_repository(repo, args.count, args.seed)
        print(
            f"generated {len(paths)} records ({len(defective)} with seeded defects) in {repo} "
            f"in {time.perf_counter() - started:.1f} s",
            file=sys.stderr,
        )
        try:
            for command in ([tool("jmb"), "--version"], [tool("check-jsonschema"), "--version"]):
                timed(command, repo)  # untimed warm-up: byte-code and disk caches
            tools, notes = measure_validation(repo, paths, defective, args.repeat)
            startup = measure_startup(VERSION_ROUNDS)
        except Failure as failure:
            print(f"bench: {failure}", file=sys.stderr)
            return 1
        report(len(paths), total, args.repeat, tools, notes, startup)
    return 0


if __name__ == "__main__":
    sys.exit(main())
