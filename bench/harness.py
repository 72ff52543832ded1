"""The measuring machinery the benchmarks share: the tools, timed subprocesses, and ratios.

Each tool runs as its own subprocess from a cold start (a new interpreter, imports included), timed by
wall clock around ``subprocess.run``, with the CPU time of it and its children. The machines are shared
and noisy, so the figures to quote are ratios between tools measured side by side in the same run
(``median_ratio``, ``ratio_line``); the seconds are only context.

Only the standard library is used; the tools are run from the project's virtualenv.
"""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent

# -- the tools ----------------------------------------------------------------------------------------


def tool(name: str) -> str:
    """The project's virtualenv copy of ``name``, else the one on PATH."""
    local = PROJECT / ".venv" / "bin" / name
    if local.exists():
        return str(local)
    found = shutil.which(name)
    if found is None:
        sys.exit(f"bench: {name} not found (looked in {local.parent} and on PATH)")
    return found


# -- measuring ------------------------------------------------------------------------------------------


@dataclass
class Run:
    """One timed subprocess."""

    wall: float
    cpu: float
    returncode: int
    stdout: str
    stderr: str


def timed(command: Sequence[str], cwd: Path) -> Run:
    """Run ``command`` in ``cwd``; its wall time and the CPU time of it and its children."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Run(wall, cpu, done.returncode, done.stdout, done.stderr)


def must_succeed(run: Run, label: str) -> None:
    """Stop the benchmark when ``run`` failed: its figures would mean nothing."""
    if run.returncode != 0:
        raise SystemExit(f"{label} failed ({run.returncode}): {run.stderr[-2000:]}")


class Failure(Exception):
    """A tool did not do what the benchmark needs; the figures would mean nothing."""


def fits_command_line(command: Sequence[str]) -> bool:
    """Whether ``command`` fits in one exec (argument and environment bytes under ARG_MAX)."""
    limit = os.sysconf("SC_ARG_MAX")
    used = sum(len(arg.encode()) + 1 + 8 for arg in command)
    used += sum(len(k) + len(v) + 2 + 8 for k, v in os.environ.items())
    return used < limit - 4096


@dataclass
class Tool:
    """One contender: its label, command, and a check of its output."""

    label: str
    command: list[str]
    check: Callable[[Run], str]
    runs: list[Run] = field(default_factory=list)

    @property
    def walls(self) -> list[float]:
        return [run.wall for run in self.runs]


def tail(text: str, lines: int = 8) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])


def ratio_line(label: str, value: float, op: str, target: float) -> str:
    held = value <= target if op == "<=" else value >= target
    return f"  {label:<34} {value:6.2f}x   target {op} {target:g}x   {'MET' if held else 'MISSED'}"


def median_ratio(numerators: list[float], denominators: list[float]) -> float:
    return statistics.median(n / d for n, d in zip(numerators, denominators, strict=True))


def jmb_revision() -> str:
    """The commit jmb is at, and whether jmb/ has uncommitted changes (read-only git calls)."""
    git = ["git", "--no-optional-locks", "-C", str(PROJECT)]
    try:
        head = subprocess.run(
            [*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run([*git, "diff", "--quiet", "HEAD", "--", "jmb"], check=False)
    except (OSError, subprocess.CalledProcessError):
        return "unknown revision"
    return f"jmb at {head}{' + uncommitted changes' if dirty.returncode else ''}"
