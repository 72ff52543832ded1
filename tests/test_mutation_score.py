"""tools/mutation_score.py: the score make mutate prints, read from mutmut's results."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

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
