"""Shared fixtures and the ``--update-goldens`` option."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

#: "Today" for every test, so that signature dates in the future stay in the future.
TODAY = date(2026, 11, 30)

ROOT = Path(__file__).resolve().parent.parent


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens",
        action="store_true",
        help="Rewrite golden files (expected outputs) from what jmb produces now; review the diff.",
    )


@pytest.fixture
def update_goldens(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-goldens"))


def check_golden(path: Path, actual: str, update: bool) -> None:
    """Compare ``actual`` with the golden file at ``path``, or rewrite it under --update-goldens."""
    if update:
        path.write_text(actual, encoding="utf-8")
        return
    assert path.exists(), f"no golden file {path}; run pytest --update-goldens and review it"
    assert actual == path.read_text(encoding="utf-8")
