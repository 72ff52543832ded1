"""Under ``make mutate``: which of the tests that reach a mutant judge it, and in what order.

mutmut runs, for each mutant, every selected test that reaches the mutated function. Two things make
that slow without making it stricter, and this plugin settles both:

- **Which.** ``jmb render`` checks a record before it renders it, so ``tests/test_render.py`` reaches
  every rule; but it judges rendering, and its PDF and Word runs cost 13 s a mutant. It judges the
  mutants of ``jmb/render/`` only. A rule is judged by its acceptance cases and the numbering,
  checker and signing tests, as the issue that set up ``make mutate`` chose.
- **Order.** mutmut stops at the first failure (``-x``) but hands the tests over in no useful order
  (a set), and for a rule that is every acceptance case, since ``jmb validate`` runs every rule on
  every case. The cases of the rules the mutated module serves go first, then the cases whose
  expected report names one of those rules, then the test file about the mutated module, then the
  rest as they came.

It does nothing outside mutmut's runs: mutmut names the mutant in ``MUTANT_UNDER_TEST``, and
``stats`` while it records which tests reach which function. In that run a memo (a rule's
summary, an ``lru_cache``) would hide every call after a test's first from the record, and a mutant
of the function behind it would then be tried without the tests that notice it; so each test of
that run starts with jmb's memos empty; so does each mutant's run, which is forked from a process
that ran the tests unmutated and would otherwise answer from what they left.
"""

from __future__ import annotations

import os
import sys
from functools import cache
from pathlib import Path
from types import ModuleType

import pytest

CASES = Path(__file__).parent / "cases"

#: The test file about each mutated module that is not a rule (the rules have their cases).
TEST_FILE_OF_MODULE = {
    "jmb.record.canonical": "test_signing.py",
    "jmb.repo.numbering": "test_numbering.py",
    "jmb.repo.calendar": "test_register.py",
    "jmb.render.views": "test_render.py",
    "jmb.render.part1": "test_render.py",
}


def mutated_module(mutant: str) -> str | None:
    """The module of a mutmut mutant's name (``jmb.check.rules.appendices.x_check__mutmut_3``)."""
    if "__mutmut_" not in mutant:
        return None
    return mutant.rsplit(".", 1)[0]


@cache
def codes_served_by(module: str) -> frozenset[str]:
    """The codes of the rules that are ``module``, import it, or import a function or class of it."""
    from jmb.check.rules import RULES

    def uses(value: object) -> bool:
        if isinstance(value, ModuleType):
            return value.__name__ == module
        return getattr(value, "__module__", None) == module

    return frozenset(
        code
        for code, rule in RULES.items()
        if getattr(rule, "__name__", None) == module or any(map(uses, vars(rule).values()))
    )


@cache
def codes_reported(folder: Path) -> frozenset[str]:
    """The codes in a case's expected report (its last line is the summary)."""
    lines = (folder / "expected.txt").read_text(encoding="utf-8").splitlines()[:-1]
    return frozenset(line.split()[2] for line in lines if len(line.split()) > 2)


def priority(item: pytest.Item, module: str, codes: frozenset[str]) -> int:
    """0 for the tests likeliest to fail on a mutant of ``module``, higher for the less likely."""
    callspec = getattr(item, "callspec", None)
    folder = callspec.params.get("folder") if callspec is not None else None
    if isinstance(folder, Path) and folder.parent.parent == CASES:
        if folder.parent.name in codes:
            return 0
        return 1 if codes & codes_reported(folder) else 3
    return 2 if item.path.name == TEST_FILE_OF_MODULE.get(module) else 4


def forget_memos() -> None:
    """Empty every ``functools`` cache in jmb's modules, and the rules' summaries."""
    for name, module in list(sys.modules.items()):
        if name == "jmb" or name.startswith("jmb."):
            for value in list(vars(module).values()):
                clear = getattr(value, "cache_clear", None)
                if callable(clear):
                    clear()
    from jmb.check.rules import base

    base._SUMMARIES.clear()


def pytest_runtest_setup(item: pytest.Item) -> None:
    if os.environ.get("MUTANT_UNDER_TEST") == "stats":
        forget_memos()


def pytest_sessionstart(session: pytest.Session) -> None:
    # A mutant's run is forked from the process that recorded the stats: what its memos kept from
    # the unmutated code would answer for the mutant, which would then never be called.
    if mutated_module(os.environ.get("MUTANT_UNDER_TEST", "")) is not None:
        forget_memos()


def judges(item: pytest.Item, module: str) -> bool:
    """Whether ``item`` is one of the tests that judge the mutants of ``module``."""
    return item.path.name != "test_render.py" or module.startswith("jmb.render.")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    module = mutated_module(os.environ.get("MUTANT_UNDER_TEST", ""))
    if module is None:
        return
    left_out = [item for item in items if not judges(item, module)]
    if left_out:
        config.hook.pytest_deselected(items=left_out)
    codes = codes_served_by(module)
    # sorted() is stable: within a class the tests keep the order they came in.
    items[:] = sorted(
        (item for item in items if judges(item, module)),
        key=lambda item: priority(item, module, codes),
    )
