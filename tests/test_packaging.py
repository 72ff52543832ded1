"""The wheel carries the templates and the schema, and jmb runs from it without the source tree."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--wheel-dir",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("jmb-*.whl")
    return built


def test_wheel_contents(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "jmb/templates/record.yaml.j2" in names
    assert "jmb/schemas/decision.schema.json" in names
    assert "jmb/check/rules/unanswered_question.py" in names
    entry_points = next(name for name in names if name.endswith("entry_points.txt"))
    assert "jmb = jmb.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()


def test_wheel_carries_the_public_websites_layout_and_assets(wheel: Path) -> None:
    """jmb publish builds the site from the wheel alone: its layout, GOV.UK Frontend's CSS with its
    licence, and site.css, byte for byte as in the source tree."""
    archive = zipfile.ZipFile(wheel)
    for name in (
        "site/layout.html.j2",
        "site/assets/govuk-frontend.min.css",
        "site/assets/LICENCE-govuk-frontend.txt",
        "site/assets/site.css",
    ):
        assert archive.read(f"jmb/templates/{name}") == (ROOT / "templates" / name).read_bytes()
    # The npm project that builds the CSS is for refreshing it, not part of jmb.
    assert not [name for name in archive.namelist() if "node_modules" in name or "tools/" in name]


def test_installed_wheel_scaffolds_from_its_own_template(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    work = tmp_path / "work"
    work.mkdir()
    environment = {**os.environ, "PYTHONPATH": str(target)}
    result = subprocess.run(
        [sys.executable, "-c", "import jmb, sys; print(jmb.__file__)"],
        cwd=work,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.startswith(str(target))
    result = subprocess.run(
        [sys.executable, "-m", "jmb", "new", "--title", "From the wheel", "--date", "2020-02-02"],
        cwd=work,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout == "records/2020/2020-01-from-the-wheel.yaml\n"
    assert (work / "schemas/decision.schema.json").read_text() == (
        ROOT / "schemas/decision.schema.json"
    ).read_text()
