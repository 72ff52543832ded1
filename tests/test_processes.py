"""Work spread over worker processes (jmb.core.processes): results in order, a worker's error raised
as itself, a bug or a dead worker as one line, and never a hang."""

from __future__ import annotations

import os
import pickle
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from jmb.check.result import ValidationResult
from jmb.core.errors import ConfigError, RecordError
from jmb.core.findings import Finding, Severity
from jmb.core.processes import WorkerFailed, map_in_processes
from jmb.render.renderer import RenderRefused


def test_results_come_in_the_order_of_the_items() -> None:
    assert map_in_processes(_square, list(range(20)), jobs=2) == [item * item for item in range(20)]
    assert map_in_processes(_square, [], jobs=2) == []


def _square(item: int) -> int:
    if item % 3 == 0:
        time.sleep(0.01)  # so that the workers finish out of order
    return item * item


def test_the_first_failure_in_order_is_raised_whichever_worker_is_quicker() -> None:
    with pytest.raises(RecordError, match=r"^item 1$"):
        map_in_processes(_fail_slowly_on_one, [0, 1, 2, 3], jobs=2)


def _fail_slowly_on_one(item: int) -> int:
    if item == 1:
        time.sleep(0.5)
    if item in (1, 2):
        raise RecordError(f"item {item}")
    return item


def test_a_bug_in_a_worker_is_one_line_that_names_it() -> None:
    with pytest.raises(WorkerFailed) as raised:
        map_in_processes(_divide, [1, 0], jobs=2)
    assert str(raised.value) == (
        "internal error: ZeroDivisionError: division by zero; please report it"
    )
    assert raised.value.exit_code == 70


def _divide(item: int) -> float:
    return 1 / item


def test_a_worker_that_dies_is_an_error_not_a_hang() -> None:
    started = time.monotonic()
    with pytest.raises(WorkerFailed, match="a worker process stopped before its work was done"):
        map_in_processes(_die_on_one, [0, 1, 2], jobs=2)
    assert time.monotonic() - started < 60


def _die_on_one(item: int) -> int:
    if item == 1:
        os.kill(os.getpid(), signal.SIGKILL)
    return item


def test_an_error_starting_a_worker_is_raised_for_its_first_item() -> None:
    with pytest.raises(ConfigError, match=r"templates\.folder: no such folder$"):
        map_in_processes(_divide, [1, 2], jobs=2, initializer=_refuse_to_start)


def _refuse_to_start() -> None:
    raise ConfigError(Path("jmb.toml"), "no such folder", key="templates.folder", line=4)


def test_jmb_errors_cross_processes_as_themselves() -> None:
    """A worker's error reaches the caller through pickle: rebuilt as its own class, message and
    attributes, even where its __init__ takes other parameters than the message."""
    config = ConfigError(Path("jmb.toml"), "not a folder", key="templates.folder", line=4)
    again = pickle.loads(pickle.dumps(config))
    assert type(again) is ConfigError
    assert (str(again), again.key, again.line, again.exit_code) == (
        "jmb.toml:4: configuration error: templates.folder: not a folder",
        "templates.folder",
        4,
        3,
    )
    finding = Finding("a.yaml", 3, 5, "JMB202", Severity.ERROR, "title", "unanswered question")
    refused = pickle.loads(pickle.dumps(RenderRefused(ValidationResult([finding], files=1))))
    assert type(refused) is RenderRefused
    assert str(refused) == "not rendered: 1 record has errors; fix them, or render with --draft"
    assert refused.findings == [finding]


WAITING_CALLER = """\
import os, sys, time
from pathlib import Path
from jmb.core.processes import map_in_processes
folder = Path(sys.argv[1])
def wait(item):
    (folder / str(os.getpid())).write_text("")
    time.sleep(120)
    return item
map_in_processes(wait, [1, 2], jobs=2)
"""


def _running(pid: int) -> bool:
    """Whether process ``pid`` is there and not a zombie (an orphan's end, until it is reaped)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the kernel's parent-death signal")
def test_workers_end_with_a_caller_killed_outright(tmp_path: Path) -> None:
    """A caller killed with SIGKILL (the out-of-memory killer, a CI timeout) runs no clean-up: its
    workers, left waiting for work that never comes, would stay for ever."""
    caller = subprocess.Popen([sys.executable, "-c", WAITING_CALLER, str(tmp_path)])
    deadline = time.monotonic() + 60
    while len(list(tmp_path.iterdir())) < 2 and time.monotonic() < deadline:
        time.sleep(0.02)
    workers = [int(path.name) for path in tmp_path.iterdir()]
    assert len(workers) == 2
    caller.kill()
    caller.wait(timeout=10)
    deadline = time.monotonic() + 10
    while any(_running(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    left = [pid for pid in workers if _running(pid)]
    for pid in left:  # not to leave them behind when the test fails
        os.kill(pid, signal.SIGKILL)
    assert left == []
