"""Shared fixtures and the ``--update-goldens`` option."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

# The signing tests' shared fixtures (``repo``: the clean example as the current folder), and the
# choice and order of tests under make mutate.
pytest_plugins = ["tests.signing_support", "tests.mutation_selection"]

#: "Today" for every test, so that signature dates in the future stay in the future.
TODAY = date(2026, 11, 30)

ROOT = Path(__file__).resolve().parent.parent


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens",
        action="store_true",
        help="Rewrite golden files (expected outputs) from what jmb produces now; review the diff.",
    )


@pytest.fixture(autouse=True)
def own_cache_folder(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Each test's own user cache folder (jmb keeps the numbers it read there), so that no test
    reads what another left, nor writes to the cache of the person running the tests."""
    folder = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
    return folder


@pytest.fixture(autouse=True)
def no_notice_of_defaults(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Most tests run in repositories without a jmb.toml and compare stderr exactly: the notice
    that the reference form's defaults are in use (tests/test_init.py tests it) is not theirs to
    see. Tests marked ``notice_of_defaults`` see it."""
    if request.node.get_closest_marker("notice_of_defaults") is None:
        monkeypatch.setattr("jmb.cli.NO_CONFIG_NOTICE", "")


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


def run_in_terminal(
    args: list[str],
    cwd: Path,
    *,
    environment: dict[str, str],
    prompt: bytes = b"",
    answer: bytes = b"",
) -> tuple[int, str]:
    """Run ``python -m jmb ARGS`` in a pseudo-terminal, as a person at a terminal would; when
    ``prompt`` appears, type ``answer``. Returns the exit code and everything the terminal showed."""
    import contextlib
    import os
    import pty
    import subprocess
    import sys

    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "jmb", *args],
        stdin=terminal,
        stdout=terminal,
        stderr=terminal,
        cwd=cwd,
        env=environment,
    )
    os.close(terminal)
    output = b""
    if prompt:
        while prompt not in output:
            output += os.read(controller, 1024)
        os.write(controller, answer)
    with contextlib.suppress(OSError):  # the terminal closes when the process ends
        while chunk := os.read(controller, 4096):
            output += chunk
    code = process.wait(timeout=60)
    os.close(controller)
    return code, output.decode()
