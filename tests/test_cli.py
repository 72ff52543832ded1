"""The command line through its runner: exit codes, output formats, the bundled example."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jmb import __version__
from jmb.check.rules import RULES
from jmb.cli import app
from tests.conftest import ROOT, check_golden, run_in_terminal

EXAMPLE = ROOT / "records" / "2019" / "2019-09-single-online-home.yaml"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A decision repository holding a copy of the bundled example, as the current folder."""
    target = tmp_path / "records" / "2019"
    target.mkdir(parents=True)
    shutil.copy(EXAMPLE, target)
    monkeypatch.chdir(tmp_path)
    for name in ("GITHUB_ACTIONS", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_bundled_example_findings(repo: Path, update_goldens: bool) -> None:
    code, out, err = invoke("validate")
    assert code == 1
    assert err == ""
    check_golden(ROOT / "tests" / "golden" / "example-findings.txt", out, update_goldens)


def test_bundled_example_defects_are_caught(repo: Path) -> None:
    """The defects of the reference form, each at its place."""
    _, out, _ = invoke("validate")
    path = "records/2019/2019-09-single-online-home.yaml"
    assert f"{path}:45:5: error JMB202 implications.financial: unanswered question" in out
    assert f"{path}:31:213: error JMB301 background: Appendix A is referred to" in out
    assert f"{path}:40:60: error JMB301 implications.risks: Appendix A is referred to" in out
    assert f'{path}:36:15: warning JMB203 consultation: bare "N/A"' in out
    assert f'{path}:41:10: warning JMB203 implications.legal: bare "None"' in out
    assert f'{path}:46:13: warning JMB203 implications.equality: bare "None"' in out
    assert f"{path}:49:20: error JMB101 background_papers: 5. Background Papers is empty" in out
    assert "JMB402" not in out  # blank signature lines await their signatories
    assert out.endswith("1 record checked: 4 errors, 3 warnings\n")


def test_clean_record_exits_0_and_strict_fails_on_warnings(repo: Path) -> None:
    record = repo / "records/2019/2019-09-single-online-home.yaml"
    text = record.read_text()
    text = text.replace("Appendix A", "the national clarification")
    text = text.replace("\n    What are the financial implications of on boarding SOH\n", "")
    text = text.replace(
        "background_papers: []",
        "background_papers:\n  - title: National clarification of concerns, May 2019",
    )
    text = text.split("\n# The form's signature block")[0] + "\nsignatures: []\n"
    record.write_text(text)
    assert invoke("validate")[0] == 0
    code, out, _ = invoke("validate", "--strict")
    assert code == 1
    assert out.endswith("1 record checked: 0 errors, 3 warnings\n")


def test_json_output(repo: Path) -> None:
    code, out, _ = invoke("validate", "--format", "json")
    assert code == 1
    data = json.loads(out)
    assert data["counts"] == {"files": 1, "errors": 4, "warnings": 3, "suppressed": 0}
    assert data["findings"][0] == {
        "path": "records/2019/2019-09-single-online-home.yaml",
        "line": 31,
        "column": 213,
        "code": "JMB301",
        "severity": "error",
        "field": "background",
        "message": "Appendix A is referred to but not listed in appendices",
    }


def test_github_annotations_are_chosen_under_actions(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    _, out, _ = invoke("validate")
    assert out.splitlines()[0] == (
        "::error file=records/2019/2019-09-single-online-home.yaml,line=31,col=213,title=JMB301::"
        "background: Appendix A is referred to but not listed in appendices"
    )
    # An explicit format wins.
    assert invoke("validate", "-f", "text")[1].startswith("records/2019/")


def test_sarif_output(repo: Path) -> None:
    _, out, _ = invoke("validate", "--format", "sarif")
    sarif = json.loads(out)
    run = sarif["runs"][0]
    assert sarif["version"] == "2.1.0"
    assert {rule["id"] for rule in run["tool"]["driver"]["rules"]} == {
        "JMB101",
        "JMB202",
        "JMB203",
        "JMB301",
    }
    first = run["results"][0]
    assert first["ruleId"] == "JMB301"
    assert first["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 31,
        "startColumn": 213,
    }


def test_colour_when_asked_for_and_not_otherwise(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, out, _ = invoke("validate", "--color", "always")
    assert "\033[31merror\033[0m" in out and "\033[33mwarning\033[0m" in out
    assert "\033[" not in invoke("validate")[1]  # the runner is no terminal
    assert "\033[" not in invoke("validate", "--color", "never")[1]


def test_text_is_coloured_at_a_terminal_unless_no_color(tmp_path: Path) -> None:
    """The real command in a pseudo-terminal: colour by default, none under NO_COLOR."""
    target = tmp_path / "records" / "2019"
    target.mkdir(parents=True)
    shutil.copy(EXAMPLE, target)
    outputs = []
    for extra in ({}, {"NO_COLOR": "1"}):
        environment = {
            key: value
            for key, value in os.environ.items()
            if key not in ("GITHUB_ACTIONS", "NO_COLOR")
        }
        environment.update(TERM="xterm", **extra)
        outputs.append(run_in_terminal(["validate"], tmp_path, environment=environment)[1])
    assert "\033[31merror\033[0m" in outputs[0]
    assert "\033[" not in outputs[1] and "error JMB301" in outputs[1]


def test_paths_can_be_files_and_folders(repo: Path) -> None:
    _, out, _ = invoke("validate", "records/2019", "records/2019/2019-09-single-online-home.yaml")
    assert out.endswith("1 record checked: 4 errors, 3 warnings\n")  # the same file once
    code, out, _ = invoke("validate", "records/nothing.yaml")
    assert code == 1
    assert out.startswith("records/nothing.yaml:1:1: error JMB002 no such file or folder\n")


def test_an_empty_repository_passes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert invoke("validate", "-f", "text") == (0, "0 records checked: 0 errors, 0 warnings\n", "")


def test_usage_errors_exit_2(repo: Path) -> None:
    assert invoke("validate", "--format", "xml")[0] == 2
    assert invoke("validate", "--no-such-option")[0] == 2
    assert invoke("rules", "JMB999") == (2, "", "jmb: no rule 'JMB999'; jmb rules lists them\n")


def test_rules_lists_every_rule_and_documents_one() -> None:
    code, out, _ = invoke("rules")
    assert code == 0
    assert [line.split()[0] for line in out.splitlines()] == sorted(RULES)
    assert "JMB202  error    unanswered-question    A question left unanswered in a section." in out
    code, out, _ = invoke("rules", "jmb203")
    assert out.startswith(
        "JMB203 bare-none (warning, since 0.1.0)\n\nAn implication or the consultation"
    )


def test_schema_command_prints_the_committed_schema() -> None:
    code, out, _ = invoke("schema")
    assert code == 0
    committed = (ROOT / "schemas" / "decision.schema.json").read_text(encoding="utf-8")
    assert out == committed, (
        "schemas/decision.schema.json is stale: run `jmb schema > schemas/decision.schema.json`"
    )


def test_python_dash_m_and_version() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "jmb", "--version"], capture_output=True, text=True, check=True
    )
    assert result.stdout == f"jmb {__version__}\n"


def test_the_bundled_example_validates_against_the_json_schema() -> None:
    result = subprocess.run(
        [
            str(Path(sys.executable).with_name("check-jsonschema")),
            "--schemafile",
            str(ROOT / "schemas" / "decision.schema.json"),
            str(EXAMPLE),
        ],
        capture_output=True,
        text=True,
    )
    # The example's defects are content, not shape: the schema accepts it, except the blank
    # signature names, which the schema allows as null.
    assert result.returncode == 0, result.stdout + result.stderr
