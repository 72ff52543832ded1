"""Deadlines in working days, ``jmb due`` and ``jmb list``: the register of decisions and what is due."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jmb.cli import app
from jmb.repo.calendar import WorkingDays
from tests.conftest import ROOT

APPROVED = (ROOT / "tests" / "fixtures" / "approved-with-part2.yaml").read_text(encoding="utf-8")


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(
    ("region", "approved", "days", "due"),
    [
        # Monday 19 September 2022 was the State Funeral: a bank holiday everywhere in the UK.
        ("ENG", date(2022, 9, 16), 3, date(2022, 9, 22)),
        # Monday 8 May 2023, the Coronation, came a week after the May Day bank holiday.
        ("ENG", date(2023, 5, 5), 3, date(2023, 5, 11)),
        # St Andrew's Day is a bank holiday in Scotland only; St Patrick's Day in Northern Ireland.
        ("ENG", date(2022, 11, 29), 1, date(2022, 11, 30)),
        ("SCT", date(2022, 11, 29), 1, date(2022, 12, 1)),
        ("ENG", date(2023, 3, 16), 1, date(2023, 3, 17)),
        ("NIR", date(2023, 3, 16), 1, date(2023, 3, 20)),
        # Approved on a Saturday: the count starts on Monday.
        ("WLS", date(2022, 9, 24), 1, date(2022, 9, 26)),
    ],
)
def test_the_nth_working_day_after_approval(
    region: str, approved: date, days: int, due: date
) -> None:
    assert WorkingDays(region).add(approved, days) == due


def test_three_working_days_and_closures() -> None:
    england = WorkingDays("ENG")
    assert england.add(date(2022, 9, 16), 3) == date(2022, 9, 22)
    closed = WorkingDays("ENG", [date(2022, 9, 20)])
    assert closed.add(date(2022, 9, 16), 3) == date(2022, 9, 23)
    assert england.between(date(2022, 9, 22), date(2022, 9, 26)) == 2
    assert england.between(date(2022, 9, 26), date(2022, 9, 22)) == -2
    assert england.add(date(2022, 9, 16), 0) == date(2022, 9, 16)


def record(
    number: str,
    status: str,
    history: str,
    title: str = "Single Online Home",
    review_on: str = "2030-06-12",
) -> str:
    """The approved fixture renumbered, with another status, history, title and review date of its
    Part 2 exemption."""
    text = APPROVED.replace('number: "2019/09"', f'number: "{number}"')
    text = text.replace("review_on: 2021-06-12", f"review_on: {review_on}")
    text = text.replace("status: approved", f"status: {status}", 1)
    text = text.replace("title: Single Online Home", f"title: {title}", 1)
    return text + "history:\n" + history


@pytest.fixture
def office(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Four decisions: approved the Friday before the State Funeral and not yet published; approved
    and published on time; published late; and a draft."""
    folder = tmp_path / "records" / "2019"
    folder.mkdir(parents=True)
    (folder / "2019-09-single-online-home.yaml").write_text(
        record("2019/09", "approved", "  - status: approved\n    date: 2022-09-16\n")
    )
    (folder / "2019-10-estates.yaml").write_text(
        record(
            "2019/10",
            "published",
            "  - status: approved\n    date: 2022-09-16\n"
            "  - status: published\n    date: 2022-09-22\n",
            title="Estates",
        )
    )
    (folder / "2019-11-fleet.yaml").write_text(
        record(
            "2019/11",
            "published",
            "  - status: approved\n    date: 2022-09-16\n"
            "  - status: published\n    date: 2022-09-26\n",
            title="Fleet",
        )
    )
    (folder / "2019-12-draft.yaml").write_text(
        record(
            "2019/12",
            "draft",
            "  - status: draft\n    date: 2022-09-01\n",
            title="A draft",
            review_on="2022-09-23",
        )
    )
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_due_lists_what_is_to_publish_and_to_review(office: Path) -> None:
    code, out, err = invoke("due", "--today", "2022-09-21")
    assert (code, err) == (0, "")
    assert out == (
        "2019/09  publish Part 1 by 2022-09-22: 1 working day left  (Single Online Home)\n"
        "1 due on 2022-09-21: 0 overdue\n"
    )


def test_due_exits_1_once_anything_is_overdue(office: Path) -> None:
    code, out, _ = invoke("due", "--today", "2022-09-26")
    assert code == 1
    assert out.splitlines()[0] == (
        "2019/09  publish Part 1 by 2022-09-22: OVERDUE by 2 working days  (Single Online Home)"
    )
    code, out, _ = invoke("due", "--today", "2022-09-26", "--format", "json")
    assert code == 1
    data = json.loads(out)
    assert data["overdue"] is True
    assert data["items"][0] == {
        "number": "2019/09",
        "title": "Single Online Home",
        "what": "publish Part 1",
        "due": "2022-09-22",
        "working_days_left": -2,
        "overdue": True,
    }


def test_due_names_exemptions_whose_review_has_come(office: Path) -> None:
    (office / "jmb.toml").write_text("[publication]\nworking_days = 10\n")  # nothing else due
    code, out, _ = invoke("due", "--today", "2022-09-23")
    assert code == 0
    assert out.splitlines()[0] == (
        "2019/12  review the Part 2 exemption by 2022-09-23: due today  (A draft)"
    )
    code, out, _ = invoke("due", "--today", "2022-09-24")
    assert code == 1
    assert out.splitlines()[0] == (
        "2019/12  review the Part 2 exemption by 2022-09-23: OVERDUE  (A draft)"
    )


def test_list_is_the_register_in_number_order(office: Path) -> None:
    code, out, err = invoke("list", "--today", "2022-09-26")
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "NUMBER   DATE        STATUS     DUE         TITLE",
        "2019/09  2019-06-12  approved   2022-09-22  Single Online Home",
        "2019/10  2019-06-12  published  2022-09-22  Estates",
        "2019/11  2019-06-12  published  2022-09-22  Fleet",
        "2019/12  2019-06-12  draft      -           A draft",
    ]
    _, out, _ = invoke("list", "--overdue", "--today", "2022-09-26")
    assert [line.split()[0] for line in out.splitlines()[1:]] == ["2019/09"]
    _, out, _ = invoke("list", "--status", "published", "--format", "csv")
    rows = list(csv.reader(io.StringIO(out)))
    assert rows == [
        ["number", "date", "status", "due", "title"],
        ["2019/10", "2019-06-12", "published", "2022-09-22", "Estates"],
        ["2019/11", "2019-06-12", "published", "2022-09-22", "Fleet"],
    ]
    _, out, _ = invoke("list", "--year", "2020", "--format", "json")
    assert json.loads(out) == []
    code, _, err = invoke("list", "--status", "finished")
    assert code == 2 and err.startswith("jmb: --status 'finished' is not a status")


def test_a_late_publication_is_a_warning_by_working_days(office: Path) -> None:
    _, out, _ = invoke("validate", "--format", "json")
    late = [finding for finding in json.loads(out)["findings"] if finding["code"] == "JMB501"]
    assert [(finding["path"], finding["field"], finding["message"]) for finding in late] == [
        (
            "records/2019/2019-11-fleet.yaml",
            "history[1].date",
            "published on 2022-09-26, 2 working days late: approved on 2022-09-16, it was due "
            "by 2022-09-22 (3 working days in ENG)",
        )
    ]


def test_closure_dates_are_configured_and_checked(
    office: Path,
) -> None:
    (office / "jmb.toml").write_text("[publication]\nclosed = [2022-09-20, 2022-09-21]\n")
    code, out, _ = invoke("due", "--today", "2022-09-23")
    assert code == 0
    assert "2019/09  publish Part 1 by 2022-09-26: 1 working day left" in out
    (office / "jmb.toml").write_text('[publication]\nclosed = ["2022-09-20"]\n')
    code, out, err = invoke("due")
    assert (code, out) == (3, "")
    assert "publication.closed: '2022-09-20' is not a date" in err


def test_a_publication_on_the_weekend_after_the_deadline_is_not_late(
    office: Path,
) -> None:
    fleet = office / "records" / "2019" / "2019-11-fleet.yaml"
    # Approved on Tuesday 13 September 2022, so due on Friday 16; published on Saturday 17.
    text = fleet.read_text().replace("date: 2022-09-26", "date: 2022-09-17")
    fleet.write_text(text.replace("date: 2022-09-16", "date: 2022-09-13"))
    _, out, _ = invoke("validate", "--format", "json")
    assert not [finding for finding in json.loads(out)["findings"] if finding["code"] == "JMB501"]
