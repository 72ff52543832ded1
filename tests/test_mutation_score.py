"""tools/mutation_score.py: the score make mutate prints, read from mutmut's results."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from tests.conftest import ROOT

SCRIPT = ROOT / "tools" / "mutation_score.py"


def _results(folder: Path, module: str, codes: dict[str, int | None]) -> None:
    meta = folder / f"{module}.meta"
    meta.parent.mkdir(parents=True, exist_ok=True)
    # The other keys mutmut writes beside the exit codes; the script reads the exit codes only.
    meta.write_text(json.dumps({"exit_code_by_key": codes, "durations_by_key": {}}))


def _score(folder: Path, explained: str, *options: str) -> subprocess.CompletedProcess[str]:
    notes = folder / "MUTANTS.md"
    notes.write_text(explained)
    return subprocess.run(
        [
            sys.executable,
            str(SCRIPT),
            "--mutants",
            str(folder / "mutants"),
            "--explained",
            str(notes),
            *options,
        ],
        capture_output=True,
        text=True,
        check=False,
    )


def test_scores_by_module_and_in_total_with_timeouts_as_killed(tmp_path: Path) -> None:
    mutants = tmp_path / "mutants"
    # 1: a failing test run; 36: mutmut's timeout; 37: mypy's error; 0: the tests passed; 33: no
    # test reached it.
    _results(
        mutants,
        "jmb/a.py",
        {f"jmb.a.x_f__mutmut_{n}": 1 for n in range(1, 20)} | {"jmb.a.x_f__mutmut_20": 0},
    )
    _results(
        mutants,
        "jmb/b.py",
        {"jmb.b.x_g__mutmut_1": 36, "jmb.b.x_g__mutmut_2": 33, "jmb.b.x_g__mutmut_3": 37},
    )
    result = _score(
        tmp_path,
        "- `jmb.a.x_f__mutmut_20`: equivalent\n- `jmb.b.x_g__mutmut_2`: x\n",
        "--fail-under",
        "90",
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[1].split() == ["jmb/a.py", "20", "19", "0", "1", "95.0%"]
    assert lines[2].split() == ["jmb/b.py", "3", "1", "1", "1", "66.7%"]
    assert lines[3].split() == ["total", "23", "20", "1", "2", "91.3%"]
    assert "  jmb.a.x_f__mutmut_20" in lines
    assert "  jmb.b.x_g__mutmut_2" in lines


def test_fails_on_a_survivor_not_explained_and_a_score_under_the_bar(tmp_path: Path) -> None:
    _results(tmp_path / "mutants", "jmb/a.py", {"jmb.a.x_f__mutmut_1": 1, "jmb.a.x_f__mutmut_2": 0})
    result = _score(tmp_path, "nothing explained\n")
    assert result.returncode == 1
    assert "  jmb.a.x_f__mutmut_2   NOT EXPLAINED in tests/MUTANTS.md" in result.stdout
    assert result.stderr.splitlines() == [
        "mutation_score: 1 survivors are not explained in tests/MUTANTS.md",
        "mutation_score: the score 50.0% is under 95%",
    ]


def test_fails_on_an_interrupted_run_and_on_no_run(tmp_path: Path) -> None:
    _results(
        tmp_path / "mutants", "jmb/a.py", {"jmb.a.x_f__mutmut_1": 1, "jmb.a.x_f__mutmut_2": None}
    )
    result = _score(tmp_path, "", "--fail-under", "0")
    assert result.returncode == 1
    assert "1 mutants were not tested (was the run interrupted?)" in result.stderr

    result = _score(tmp_path / "mutants" / "jmb", "")
    assert result.returncode == 1
    assert "no results in" in result.stderr


def _collected(mutant: str, *files: str) -> list[str]:
    """The tests a mutant's run would run, in order, as tests/mutation_selection.py leaves them."""
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:randomly", *files],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env={**os.environ, "MUTANT_UNDER_TEST": mutant},
    )
    return [line for line in result.stdout.splitlines() if "::" in line]


def test_a_rule_mutant_runs_its_own_cases_first_and_not_the_rendering_tests() -> None:
    files = ("tests/test_render.py", "tests/test_numbering.py", "tests/test_cases.py")
    tests = _collected("jmb.check.rules.missing_signature.x_check__mutmut_7", *files)
    own = sorted(path.name for path in (ROOT / "tests" / "cases" / "JMB401").iterdir())
    assert tests[: len(own)] == [f"tests/test_cases.py::test_case[JMB401/{name}]" for name in own]
    # Then the cases whose report has JMB401 in it, before the other cases and test files.
    assert tests[len(own)] == "tests/test_cases.py::test_case[JMB008/quiet-ordinary-aliases]"
    assert not any(test.startswith("tests/test_render.py") for test in tests)
    assert any(test.startswith("tests/test_numbering.py") for test in tests)


def test_a_view_mutant_runs_the_rendering_tests_first_and_no_run_is_changed_outside_mutmut() -> (
    None
):
    files = ("tests/test_cases.py", "tests/test_render.py")
    tests = _collected("jmb.render.views.x_line__mutmut_3", *files)
    rendering = [test for test in tests if test.startswith("tests/test_render.py")]
    assert rendering and tests[: len(rendering)] == rendering
    assert _collected("", *files) == _collected("stats", *files)
    assert _collected("", *files)[0].startswith("tests/test_cases.py")


def test_each_test_of_the_stats_run_starts_with_the_memos_empty(tmp_path: Path) -> None:
    # Under mutmut's stats run a memo would hide the calls behind it from every test but the first.
    (tmp_path / "test_memo.py").write_text(
        "from jmb.check.rules import RULES, base\n"
        "def test_first():\n"
        "    base.summary(RULES['JMB001'])\n"
        "def test_second():\n"
        "    assert base._SUMMARIES == {}\n"
    )

    def run(mutant: str) -> int:
        command = [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", "-p"]
        return subprocess.run(
            [*command, "tests.mutation_selection", str(tmp_path / "test_memo.py")],
            capture_output=True,
            check=False,
            cwd=tmp_path,
            env={**os.environ, "MUTANT_UNDER_TEST": mutant, "PYTHONPATH": str(ROOT)},
        ).returncode

    assert run("stats") == 0
    assert run("") == 1


# -- tools/mutate.py: which mutants mypy rejected, read with ast instead of libcst ----------------

#: A module with what mutmut can put mutants in: functions, methods, an async method, a method of a
#: class in a class, and statements at the top level that hold no mutant.
SHAPES = """\
import functools

LIMIT = 3 if __debug__ else 4


class Register:
    class Row:
        def width(self, cells: list[str]) -> int:
            return sum(len(cell) + 1 for cell in cells)

    def add(self, row: int) -> int:
        if row < 0:
            return 0
        return row + 1

    async def fetch(self, name: str) -> str:
        return name.upper() + "s"

    @functools.cached_property
    def size(self) -> int:
        return LIMIT * 2


def counted(values: list[int]) -> int:
    total = 0
    for value in values:
        total += value * 2
    return total
"""


def _mutate_tool() -> Any:
    """tools/mutate.py as a module (mutmut, which it imports, is in the dev extra)."""
    spec = importlib.util.spec_from_file_location("mutate_tool", ROOT / "tools" / "mutate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _mutated(name: str, source: str) -> str:
    from mutmut.mutation.file_mutation import mutate_file_contents

    return mutate_file_contents(name, source).code


@pytest.mark.parametrize(
    "name", ["shapes.py", "jmb/repo/calendar.py", "jmb/check/rules/history_order.py"]
)
def test_the_mutant_functions_and_their_lines_are_those_mutmut_finds(name: str) -> None:
    import libcst
    from mutmut.mutation.file_mutation import MutatedMethodsCollector

    tool = _mutate_tool()
    source = SHAPES if name == "shapes.py" else (ROOT / name).read_text(encoding="utf-8")
    code = _mutated(name, source)
    collector = MutatedMethodsCollector(Path(name))
    libcst.MetadataWrapper(libcst.parse_module(code)).visit(collector)
    found = tool.mutant_functions(Path(name), code)
    assert len(found) > 10
    assert found == collector.found_mutants


def test_the_mutants_mypy_rejects_are_those_mutmut_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mutmut import type_checking
    from mutmut.mutation import file_mutation

    tool = _mutate_tool()
    module = tmp_path / "mutants" / "jmb" / "shapes.py"
    module.parent.mkdir(parents=True)
    code = _mutated("jmb/shapes.py", SHAPES)
    module.write_text(code, encoding="utf-8")
    lines = code.splitlines()

    def line_of(text: str) -> int:
        return next(number for number, line in enumerate(lines, 1) if text in line)

    # What mypy would say: errors in two mutants of add, one of fetch, and one of counted.
    errors = [
        type_checking.TypeCheckingError(module, line_of(text) + 1, "an error")
        for text in (
            "def xǁRegisterǁadd__mutmut_1(",
            "def xǁRegisterǁadd__mutmut_2(",
            "async def xǁRegisterǁfetch__mutmut_1(",
            "def x_counted__mutmut_1(",
        )
    ]
    settings = SimpleNamespace(type_check_command=["mypy"])
    for where in (tool, file_mutation):
        monkeypatch.setattr(where, "run_type_checker", lambda command: errors)
        monkeypatch.setattr(where, "config", lambda: settings)
    monkeypatch.chdir(tmp_path)
    ours = tool.mutants_rejected_by_type_checker()
    assert sorted(ours) == [
        "jmb.shapes.x_counted__mutmut_1",
        "jmb.shapes.xǁRegisterǁadd__mutmut_1",
        "jmb.shapes.xǁRegisterǁadd__mutmut_2",
        "jmb.shapes.xǁRegisterǁfetch__mutmut_1",
    ]
    assert ours == file_mutation.filter_mutants_with_type_checker()
    # An error in no mutant: mutmut stops, and so does make mutate, with the file and line.
    outside = line_of("LIMIT = 3")
    errors.append(type_checking.TypeCheckingError(module, outside, "an odd error"))
    with pytest.raises(
        SystemExit,
        match=rf"^mutate: .*shapes\.py:{outside}: a type error in no mutant \(an odd error\)$",
    ):
        tool.mutants_rejected_by_type_checker()
    with pytest.raises(Exception, match="Could not find mutant"):
        file_mutation.filter_mutants_with_type_checker()
