"""Acceptance cases: each folder under ``tests/cases/<CODE>/`` is a small decision repository.

A case folder holds ``records/...`` (and, when the case needs one, a ``jmb.toml``), and ``expected.txt``:
the exact text report of ``jmb validate`` run in that folder, today being ``conftest.TODAY``. Folders
named ``fires-*`` must report their rule's code; folders named ``quiet-*`` must not. Every rule has
at least one of each.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from jmb.check.engine import validate
from jmb.check.reporters import text_report
from jmb.check.rules import RULES
from jmb.repo.config import Config, read_config
from tests.conftest import TODAY, check_golden

CASES = Path(__file__).parent / "cases"
ALL_CASES = sorted(path for path in CASES.glob("*/*") if path.is_dir())


def run_case(folder: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.chdir(folder)
    # A case is the whole repository: the git history of the project it is kept in is not its own
    # (JMB406 looks there for the version signed).
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(CASES))
    # The case's own jmb.toml, or the defaults: never a jmb.toml further up the tree.
    own = folder / "jmb.toml"
    config = read_config(own) if own.exists() else Config(root=folder)
    return text_report(validate(config=config, today=TODAY, jobs=1))


@pytest.mark.parametrize("folder", ALL_CASES, ids=lambda path: f"{path.parent.name}/{path.name}")
def test_case(folder: Path, monkeypatch: pytest.MonkeyPatch, update_goldens: bool) -> None:
    report = run_case(folder, monkeypatch)
    check_golden(folder / "expected.txt", report, update_goldens)
    code = folder.parent.name
    codes_reported = {line.split()[2] for line in report.splitlines()[:-1]}
    if folder.name.startswith("fires-"):
        assert code in codes_reported, f"{folder.name} should report {code}"
    else:
        assert folder.name.startswith("quiet-"), "case folders are named fires-* or quiet-*"
        assert code not in codes_reported, f"{folder.name} should not report {code}"


@pytest.mark.parametrize("code", sorted(RULES))
def test_every_rule_has_cases_both_ways(code: str) -> None:
    names = [path.name for path in (CASES / code).glob("*") if path.is_dir()]
    assert any(name.startswith("fires-") for name in names), f"{code} has no fires-* case"
    assert any(name.startswith("quiet-") for name in names), f"{code} has no quiet-* case"
