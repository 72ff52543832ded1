from __future__ import annotations

import json
import multiprocessing
import os
from datetime import date
from pathlib import Path

import jsonschema
import pytest
import yaml
from typer.testing import CliRunner

from jmb.check.engine import validate
from jmb.cli import app
from jmb.record.schema import decision_schema
from jmb.repo.config import load_config
from jmb.repo.scaffold import new_record
from tests.conftest import TODAY, run_in_terminal


def test_new_writes_a_draft_with_every_section_and_prints_its_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(
        app,
        [
            "new",
            "--title",
            "Single Online Home",
            "--date",
            "2019-06-12",
            "--report-by",
            "Ian Dickinson",
        ],
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == "records/2019/2019-01-single-online-home.yaml\n"
    path = tmp_path / "records/2019/2019-01-single-online-home.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../schemas/decision.schema.json\n")
    assert (tmp_path / "schemas/decision.schema.json").is_file()
    data = yaml.safe_load(text)
    assert data["jmb"] == 1
    assert data["number"] == "2019/01"
    assert data["title"] == "Single Online Home"
    assert data["date"] == date(2019, 6, 12)
    assert data["report_by"] == "Ian Dickinson"
    assert data["status"] == "draft"
    assert data["recommendation"] == {
        "lead": "The Police and Crime Commissioner and Chief Constable are recommended to",
        "items": [],
    }
    for section in ("executive_summary", "background", "plan_links", "consultation"):
        assert data[section] == ""
        assert "\n# " in text.split(f"\n{section}:")[0][-200:]  # a guidance comment above it
    assert data["implications"] == {"risks": "", "legal": "", "financial": "", "equality": ""}
    assert data["part2"] is None and data["signatures"] == [] and data["appendices"] == []
    jsonschema.validate(json.loads(json.dumps(data, default=str)), decision_schema())


def test_a_new_draft_has_warnings_only(tmp_path: Path) -> None:
    config = load_config(tmp_path)
    created = new_record(config, "Estates strategy", day=date(2026, 1, 5))
    result = validate([created.path], config=config, today=TODAY)
    assert result.errors == 0
    assert {finding.code for finding in result.findings} == {"JMB101", "JMB102"}


def test_numbers_follow_on_within_the_year_and_restart_in_the_next(tmp_path: Path) -> None:
    config = load_config(tmp_path)
    first = new_record(config, "One", day=date(2019, 1, 10))
    second = new_record(config, "Two", day=date(2019, 12, 31))
    third = new_record(config, "Three", day=date(2020, 1, 2))
    assert (first.number, second.number, third.number) == ("2019/01", "2019/02", "2020/01")
    # A gap stays a gap: the next number is one past the highest.
    (tmp_path / "records/2019/2019-07-hand-made.yaml").write_text('number: "2019/07"\n')
    assert new_record(config, "Four", day=date(2019, 5, 1)).number == "2019/08"


@pytest.mark.parametrize(
    "stated",
    [
        'jmb: 1\n"number": "2019/01"\ntitle: Hand made\n',
        "jmb: 1\n'number': 2019/01\n",
        "jmb: 1\nnumber: !!str 2019/01\n",
        "{jmb: 1, number: 2019/01, title: Hand made}\n",
        "jmb: 1\n# the number follows\nnumber: 2019/01\n",
        "jmb: 1\n? number\n: 2019/01\n",
        "number: 2019/09\nnumber: 2019/01\n",  # YAML keeps the last (and JMB003 reports it)
    ],
)
def test_a_number_however_it_is_written_is_not_handed_out_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stated: str
) -> None:
    """The number is read as YAML reads it, not from a line that starts with ``number:``."""
    hand_made = tmp_path / "records/2019/2019-01-hand-made.yaml"
    hand_made.parent.mkdir(parents=True)
    hand_made.write_text(stated)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["new", "--title", "Estates", "--date", "2019-06-12"])
    assert (result.exit_code, result.stdout) == (0, "records/2019/2019-02-estates.yaml\n")


def test_a_number_in_use_in_another_spelling_or_file_name_is_skipped(tmp_path: Path) -> None:
    config = load_config(tmp_path)
    folder = tmp_path / "records/2019"
    folder.mkdir(parents=True)
    (folder / "2019-001-padded.yaml").write_text('number: "2019/001"\n')  # decision 2019/01
    (folder / "2019-02-hyphenated.yaml").write_text('number: "2019-02"\n')  # the file of 2019/02
    assert new_record(config, "Next", day=date(2019, 5, 1)).number == "2019/03"


def test_a_date_whose_year_the_pattern_cannot_number_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Year 999 would make "999/01", which no four-digit year reads back as: never written."""
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["new", "--title", "x", "--date", "0999-06-01"])
    assert result.exit_code == 2
    assert result.stderr == (
        "jmb: 0999-06-01 would be numbered '999/01', which does not fit the numbering pattern "
        "'{year}/{seq:02d}': numbered years have four digits\n"
    )
    assert not (tmp_path / "records").exists() or not list((tmp_path / "records").rglob("*.yaml"))


def test_financial_year_and_pattern_without_year(tmp_path: Path) -> None:
    (tmp_path / "jmb.toml").write_text(
        '[numbering]\npattern = "WPCC3-{seq:04d}"\nyear = "financial"\n'
    )
    config = load_config(tmp_path)
    first = new_record(config, "Spring", day=date(2020, 3, 31))
    second = new_record(config, "Summer", day=date(2020, 4, 1))
    assert first.number == "WPCC3-0001"
    assert first.path == tmp_path / "records/2019/wpcc3-0001-spring.yaml"
    assert second.number == "WPCC3-0002"
    assert second.path == tmp_path / "records/2020/wpcc3-0002-summer.yaml"


def test_titles_are_quoted_safely(tmp_path: Path) -> None:
    title = 'Café: "the £5m question" # not a comment & {{ 7*7 }}'
    created = new_record(load_config(tmp_path), title, day=date(2019, 2, 1))
    data = yaml.safe_load(created.path.read_text(encoding="utf-8"))
    assert data["title"] == title
    assert created.path.name == "2019-01-cafe-the-5m-question-not-a-comment-7-7.yaml"


def test_never_overwrites_a_file(tmp_path: Path) -> None:
    config = load_config(tmp_path)
    taken = tmp_path / "records/2019/2019-01-same-title.yaml"
    taken.parent.mkdir(parents=True)
    taken.write_text("# someone's unfinished work, with no number line yet\n")
    created = new_record(config, "Same title", day=date(2019, 3, 1))
    assert created.number == "2019/02"
    assert taken.read_text() == "# someone's unfinished work, with no number line yet\n"
    assert sorted(path.name for path in taken.parent.iterdir()) == [
        "2019-01-same-title.yaml",
        "2019-02-same-title.yaml",
    ]


def _make_one(root: str, index: int) -> str:
    return new_record(load_config(Path(root)), f"Concurrent {index}", day=date(2019, 6, 1)).number


def test_concurrent_new_never_share_a_number(tmp_path: Path) -> None:
    count = 12
    with multiprocessing.get_context("spawn").Pool(6) as pool:
        numbers = pool.starmap(_make_one, [(str(tmp_path), index) for index in range(count)])
    assert sorted(numbers) == [f"2019/{seq:02d}" for seq in range(1, count + 1)]
    assert len(list((tmp_path / "records/2019").glob("*.yaml"))) == count
    assert not list((tmp_path / "records/2019").glob(".*.tmp"))


def test_without_title_outside_a_terminal_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["new"])
    assert result.exit_code == 2
    assert result.stderr == "jmb: --title is required when jmb is not run at a terminal\n"
    assert not (tmp_path / "records").exists()


def test_without_title_at_a_terminal_it_asks(tmp_path: Path) -> None:
    """Run the real command in a pseudo-terminal, answer the prompt, and read what it printed."""
    environment = {key: value for key, value in os.environ.items() if key != "CI"}
    code, shown = run_in_terminal(
        ["new", "--date", "2019-06-12"],
        tmp_path,
        environment=environment,
        prompt=b"Title",
        answer=b"Asked for\n",
    )
    assert code == 0
    assert shown.splitlines()[-1] == "records/2019/2019-01-asked-for.yaml"
    assert (tmp_path / "records/2019/2019-01-asked-for.yaml").is_file()


def test_bad_date_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["new", "--title", "x", "--date", "12/06/2019"])
    assert result.exit_code == 2
    assert result.stderr == "jmb: --date '12/06/2019' is not a date; write YYYY-MM-DD\n"


def test_records_that_is_a_file_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "records").write_text("not a folder")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["new", "--title", "x"])
    assert result.exit_code == 1
    assert result.stderr.startswith("jmb: ") and "records is a file" in result.stderr
    assert "Traceback" not in result.output


def test_schema_that_cannot_be_written_warns_and_keeps_the_record(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "schemas").write_text("a file where the folder should be")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["new", "--title", "Kept", "--date", "2019-01-01"])
    assert result.exit_code == 0
    assert result.stdout == "records/2019/2019-01-kept.yaml\n"
    assert result.stderr.startswith("jmb: warning: cannot write ")
    assert (tmp_path / "records/2019/2019-01-kept.yaml").is_file()


def test_a_broken_template_override_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates/record.yaml.j2").write_text("jmb: 1\ntitle: {{ title | yaml }\n")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["new", "--title", "x"])
    assert result.exit_code == 1
    assert result.stderr.startswith("jmb: ")
    assert "record.yaml.j2:2: template error:" in result.stderr
    (tmp_path / "templates/record.yaml.j2").write_text("title: {{ no_such_thing }}\n")
    result = CliRunner().invoke(app, ["new", "--title", "x"])
    assert result.exit_code == 1
    assert "template error: 'no_such_thing' is undefined" in result.stderr
    assert not (tmp_path / "records").exists() or not list((tmp_path / "records").rglob("*.yaml"))


def test_a_template_override_is_used(tmp_path: Path) -> None:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates/record.yaml.j2").write_text(
        "jmb: 1\nnumber: {{ number | yaml }}\ntitle: {{ title | yaml }}\ndate: {{ date }}\n"
        "status: draft\n# our own guidance\n"
    )
    created = new_record(load_config(tmp_path), "Own", day=date(2019, 5, 5))
    assert created.path.read_text().endswith("# our own guidance\n")
