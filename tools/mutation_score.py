"""The mutation score of the last ``mutmut run`` (``make mutate``), by module, and every survivor.

Usage: ``python tools/mutation_score.py [--mutants DIR] [--explained FILE] [--fail-under PERCENT]``.

mutmut 3 keeps the outcome of each mutant in ``mutants/<module path>.meta`` (JSON: the test run's exit
code by mutant name). This reads those files, with the standard library only, and prints for each
mutated module the mutants made, those the tests killed, and the score, then the total, then the name
of every mutant that survived (``mutmut show NAME`` prints its change). A mutant that mypy rejects
counts as killed, as it is in CI (``make lint``); so does one that made the tests time out (the change
was noticed). One that no selected test reaches counts as a survivor, as does anything else (mutmut's
"suspicious", "segfault").

Each survivor must be explained in ``tests/MUTANTS.md`` (its name in backticks, with the reason it is
harmless): the script names those that are not, and exits 1 when there is one, or when the score is
under ``--fail-under`` (95 by default), or when mutmut left a mutant untested (an interrupted run).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent

#: mutmut's exit codes of a mutant's test run (mutmut/stats.py), by what they mean here.
KILLED = frozenset({1, 3})
TIMED_OUT = frozenset({36, 24, -24, 152, 255})
TYPE_CHECKED = 37
SURVIVED = 0
NOT_CHECKED = None


@dataclass
class ModuleScore:
    """The outcome of the mutants of one module."""

    module: str
    #: By the tests (a failure or a timeout), and by mypy.
    killed: int = 0
    typed: int = 0
    survivors: list[str] = field(default_factory=list)
    unchecked: int = 0

    @property
    def total(self) -> int:
        return self.killed + self.typed + len(self.survivors) + self.unchecked

    @property
    def score(self) -> float:
        return 100.0 * (self.killed + self.typed) / self.total if self.total else 100.0


def read_scores(mutants: Path) -> list[ModuleScore]:
    """The score of every module mutmut mutated under ``mutants``, in path order."""
    scores = []
    for meta in sorted(mutants.rglob("*.py.meta")):
        relative = meta.relative_to(mutants).as_posix().removesuffix(".meta")
        outcome = ModuleScore(relative)
        codes: dict[str, int | None] = json.loads(meta.read_text(encoding="utf-8"))[
            "exit_code_by_key"
        ]
        for name, code in sorted(codes.items()):
            if code in KILLED or code in TIMED_OUT:
                outcome.killed += 1
            elif code == TYPE_CHECKED:
                outcome.typed += 1
            elif code is NOT_CHECKED:
                outcome.unchecked += 1
            else:
                outcome.survivors.append(name)
        if outcome.total:
            scores.append(outcome)
    return scores


def explained(text: str) -> set[str]:
    """The mutant names given in backticks in ``tests/MUTANTS.md``."""
    return set(re.findall(r"`([\w.]+__mutmut_\d+)`", text))


def report(scores: Iterable[ModuleScore]) -> tuple[str, ModuleScore]:
    """The table of scores and the total (its ``module`` is "total")."""
    total = ModuleScore("total")
    lines = [f"{'module':<44} {'mutants':>7} {'tests':>6} {'mypy':>6} {'survived':>8} {'score':>7}"]
    for module in scores:
        lines.append(_row(module))
        total.killed += module.killed
        total.typed += module.typed
        total.survivors += module.survivors
        total.unchecked += module.unchecked
    lines.append(_row(total))
    return "\n".join(lines), total


def _row(module: ModuleScore) -> str:
    return (
        f"{module.module:<44} {module.total:>7} {module.killed:>6} {module.typed:>6} "
        f"{len(module.survivors):>8} {module.score:>6.1f}%"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mutants", type=Path, default=PROJECT / "mutants")
    parser.add_argument("--explained", type=Path, default=PROJECT / "tests" / "MUTANTS.md")
    parser.add_argument("--fail-under", type=float, default=95.0)
    arguments = parser.parse_args(argv)

    scores = read_scores(arguments.mutants)
    if not scores:
        print(
            f"mutation_score: no results in {arguments.mutants}; run make mutate", file=sys.stderr
        )
        return 1
    table, total = report(scores)
    print(table)
    listed = (
        explained(arguments.explained.read_text(encoding="utf-8"))
        if arguments.explained.exists()
        else set()
    )
    if total.survivors:
        print(f"\n{len(total.survivors)} survived (mutmut show NAME prints the change):")
        for name in total.survivors:
            print(f"  {name}{'' if name in listed else '   NOT EXPLAINED in tests/MUTANTS.md'}")
    failures = []
    if total.unchecked:
        failures.append(f"{total.unchecked} mutants were not tested (was the run interrupted?)")
    unexplained = [name for name in total.survivors if name not in listed]
    if unexplained:
        failures.append(f"{len(unexplained)} survivors are not explained in tests/MUTANTS.md")
    if total.score < arguments.fail_under:
        failures.append(f"the score {total.score:.1f}% is under {arguments.fail_under:g}%")
    for failure in failures:
        print(f"mutation_score: {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
