"""The checker's own behaviour: parallel runs agree with serial ones, suppressions, path display."""

from __future__ import annotations

from pathlib import Path

from jmb.checker import PARALLEL_THRESHOLD, display_path, validate
from jmb.config import Config
from tests.conftest import ROOT, TODAY

EXAMPLE = (ROOT / "records/2019/2019-09-single-online-home.yaml").read_text(encoding="utf-8")


def test_a_parallel_run_reports_exactly_what_a_serial_run_does(tmp_path: Path) -> None:
    count = PARALLEL_THRESHOLD + 10
    for index in range(count):
        seq = index % (count - 3) + 1  # the last three numbers repeat earlier ones
        folder = tmp_path / "records" / "2019"
        folder.mkdir(parents=True, exist_ok=True)
        text = EXAMPLE.replace('number: "2019/09"', f'number: "2019/{seq:02d}"')
        (folder / f"2019-{seq:02d}-copy-{index}.yaml").write_text(text, encoding="utf-8")
    config = Config(root=tmp_path)
    serial = validate(config=config, today=TODAY, jobs=1)
    parallel = validate(config=config, today=TODAY, jobs=2)
    assert parallel.findings == serial.findings
    assert parallel.files == serial.files == count
    assert sum(1 for finding in serial.findings if finding.code == "JMB306") == 6
    assert serial.errors == 6 * count + 6


def test_suppression_covers_its_line_and_the_block_under_its_key(tmp_path: Path) -> None:
    record = tmp_path / "records/2019/2019-09-single-online-home.yaml"
    record.parent.mkdir(parents=True)
    text = EXAMPLE.replace(
        "consultation: N/A",
        "consultation: N/A  # jmb: disable=JMB203 nobody to consult on a novation",
    ).replace(
        "  financial: |",
        "  financial: |  # jmb: disable=JMB202,JMB301 the question is answered in Part 2",
    )
    record.write_text(text, encoding="utf-8")
    result = validate(config=Config(root=tmp_path), today=TODAY)
    codes = [(finding.code, finding.field) for finding in result.findings]
    assert ("JMB203", "consultation") not in codes
    assert ("JMB202", "implications.financial") not in codes
    assert ("JMB203", "implications.legal") in codes  # other lines keep their findings
    assert result.suppressed == 2


def test_display_paths(tmp_path: Path) -> None:
    assert display_path(Path("records/../records/x.yaml")) == "records/x.yaml"
    assert display_path(tmp_path / "a" / "b.yaml", tmp_path) == "a/b.yaml"
    assert display_path(Path("/elsewhere/b.yaml"), tmp_path) == "/elsewhere/b.yaml"
