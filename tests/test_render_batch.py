"""Part 1 files made across processes (issue 9): the same bytes as one process makes, in the order
asked, with a worker's error raised as itself, and Ctrl-C leaving nothing half-written."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jmb.cli import app
from jmb.core.errors import RecordError
from jmb.render import renderer
from jmb.render.renderer import Part1File, render_part1_files
from jmb.repo.config import Config
from tests.conftest import ROOT

EXAMPLE = ROOT / "records" / "2019" / "2019-09-single-online-home.yaml"


def example_records(root: Path, count: int) -> list[Path]:
    """``count`` copies of the example decision, 2019/10 onwards: drafts with errors, as jmb ships it."""
    text = EXAMPLE.read_text(encoding="utf-8")
    paths = []
    for number in range(10, 10 + count):
        path = root / "records" / "2019" / f"2019-{number}-copy.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            text.replace('number: "2019/09"', f'number: "2019/{number}"').replace(
                "title: Single Online Home", f"title: Single Online Home, part {number}"
            ),
            encoding="utf-8",
        )
        paths.append(path)
    return paths


def tasks(records: list[Path], out: Path, fmt: str) -> list[Part1File]:
    return [Part1File(path, out / f"{path.stem}.{fmt}", fmt) for path in records]


def leftovers(folder: Path) -> list[str]:
    """jmb's temporary files in ``folder``: a write that did not finish."""
    return sorted(path.name for path in folder.iterdir() if path.name.endswith(".tmp"))


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "jmb.toml").write_text(
        "", encoding="utf-8"
    )  # its office's jmb.toml: no notice of the defaults in the stderr compared whole
    return tmp_path


# -- the bytes and the order ---------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_two_processes_make_the_same_files_as_one_in_the_order_asked(repo: Path, fmt: str) -> None:
    records = example_records(repo, 2)
    config = Config(root=repo)
    one = render_part1_files(tasks(records, repo / "one", fmt), config, jobs=1, draft=True)
    two = render_part1_files(tasks(records, repo / "two", fmt), config, jobs=2, draft=True)
    assert one == [repo / "one" / f"{path.stem}.{fmt}" for path in records]
    assert two == [repo / "two" / f"{path.stem}.{fmt}" for path in records]
    assert [path.read_bytes() for path in one] == [path.read_bytes() for path in two]
    assert len({path.read_bytes() for path in one}) == 2  # two records, two documents
    assert leftovers(repo / "two") == []


def test_one_job_is_made_in_this_process(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_processes(*_: object, **__: object) -> None:
        raise AssertionError("jobs=1 started processes")

    monkeypatch.setattr(renderer, "map_in_processes", no_processes)
    (record,) = example_records(repo, 1)
    made = render_part1_files(
        [(record, repo / "out.html", "html"), (record, repo / "out.pdf", "pdf")],
        Config(root=repo),
        jobs=1,
        draft=True,
    )
    assert made == [repo / "out.html", repo / "out.pdf"]
    assert (repo / "out.pdf").read_bytes().startswith(b"%PDF-")


def test_jmb_render_spreads_pdfs_over_jobs_and_prints_them_in_order(repo: Path) -> None:
    example_records(repo, 2)
    runner = CliRunner()
    one = runner.invoke(app, ["render", "--all", "--draft", "-f", "pdf", "--out", "one", "-j", "1"])
    two = runner.invoke(app, ["render", "--all", "--draft", "-f", "pdf", "--out", "two", "-j", "2"])
    assert (one.exit_code, two.exit_code) == (0, 0)
    names = ["2019-10-part1.pdf", "2019-11-part1.pdf"]
    assert one.stdout == "".join(f"one/{name}\n" for name in names)
    assert two.stdout == "".join(f"two/{name}\n" for name in names)
    for name in names:
        assert (repo / "one" / name).read_bytes() == (repo / "two" / name).read_bytes()


def test_jobs_must_be_a_positive_number(repo: Path) -> None:
    example_records(repo, 1)
    result = CliRunner().invoke(app, ["render", "--all", "--draft", "-f", "pdf", "--jobs", "0"])
    assert result.exit_code == 2
    assert "--jobs" in result.stderr


# -- errors ---------------------------------------------------------------------------------------


def test_a_record_that_cannot_be_rendered_is_the_same_error_from_a_worker(repo: Path) -> None:
    records = example_records(repo, 3)
    text = records[1].read_text(encoding="utf-8")
    records[1].write_text(text.replace("title: Single Online Home, part 11", "title: [a, b]"))
    config = Config(root=repo)
    errors = []
    for jobs in (1, 2):
        out = repo / f"jobs{jobs}"
        with pytest.raises(RecordError) as raised:
            render_part1_files(tasks(records, out, "pdf"), config, jobs=jobs, draft=True)
        errors.append(str(raised.value))
        assert (out / "2019-10-copy.pdf").read_bytes().startswith(b"%PDF-")  # made before it
        assert leftovers(out) == []
    assert (
        errors
        == [
            "records/2019/2019-11-copy.yaml: cannot be rendered, even as a draft, until its fields "
            "have the right shape; run jmb validate"
        ]
        * 2
    )


def test_a_file_that_cannot_be_written_is_one_line_and_exit_1(repo: Path) -> None:
    example_records(repo, 3)
    (repo / "site" / "2019-11-part1.pdf").mkdir(parents=True)  # in the way of the second PDF
    command = ["render", "--all", "--draft", "-f", "pdf", "--out", "site", "--jobs", "2"]
    run = subprocess.run(
        [sys.executable, "-m", "jmb", *command],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert (run.returncode, run.stdout) == (1, "")
    assert run.stderr == "jmb: cannot write site/2019-11-part1.pdf: Is a directory\n"
    assert (repo / "site" / "2019-10-part1.pdf").read_bytes().startswith(b"%PDF-")
    assert leftovers(repo / "site") == []


# -- Ctrl-C ---------------------------------------------------------------------------------------


def test_ctrl_c_leaves_no_half_written_file(repo: Path) -> None:
    """Ctrl-C at a terminal reaches jmb and its workers at once: jmb says "interrupted" (130), the
    PDFs under way are finished and no more are started; each file there is whole."""
    example_records(repo, 16)
    build = repo / "build"
    process = subprocess.Popen(
        [sys.executable, "-m", "jmb", "render", "--all", "--draft", "-f", "pdf", "--jobs", "2"],
        cwd=repo,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a terminal's foreground job is
    )
    deadline = time.monotonic() + 120
    while not (build.is_dir() and any(build.glob("*.pdf"))) and time.monotonic() < deadline:
        time.sleep(0.02)
    os.killpg(process.pid, signal.SIGINT)
    stdout, stderr = process.communicate(timeout=120)
    assert (process.returncode, stdout, stderr) == (130, "", "jmb: interrupted\n")
    made = sorted(build.glob("*.pdf"))
    assert 0 < len(made) < 16
    for path in made:
        content = path.read_bytes()
        assert content.startswith(b"%PDF-") and content.endswith(b"%%EOF\n"), path
    assert leftovers(build) == []
