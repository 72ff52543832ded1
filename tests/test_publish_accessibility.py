"""Every kind of page of the public website passes axe-core's WCAG 2.2 AA rules in headless Chromium:
the register, a year, a decision (with its Part 2 notice and downloads), and the search page."""

from __future__ import annotations

from pathlib import Path

import pytest

from jmb.publish.site import publish
from jmb.repo.config import read_config
from tests.publish_support import write_office
from tests.test_accessibility import axe_violations


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = write_office(tmp_path_factory.mktemp("office"))
    return publish(read_config(root / "jmb.toml"), formats=("html", "pdf"), search=True).site


@pytest.mark.parametrize(
    "page",
    ["index.html", "2019/index.html", "decisions/2019-09/index.html", "search/index.html"],
)
def test_the_site_passes_wcag_22_aa(site: Path, page: str, tmp_path: Path) -> None:
    assert axe_violations(site / page, tmp_path) == []
