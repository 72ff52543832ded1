"""Work spread over worker processes, one item at a time, with the results in the order of the items.

What a caller can rely on, whatever happens in a worker:

- a jmb error raised in a worker is raised in the caller as itself (its class, its one-line message,
  its exit code: see :meth:`~jmb.core.errors.JmbError.__reduce__`); anything else a worker raises,
  being a bug, is :class:`WorkerFailed`, one line that names it (as the command line says of a bug);
- the error raised is that of the first item, in their order, that failed: every item before it was
  done, so the outcome does not depend on which worker was quicker;
- nothing waits forever: a worker that dies (killed, out of memory) is :class:`WorkerFailed`;
- after an error, Ctrl-C or SIGTERM in the caller, no item is started that was not already, the items
  under way are finished (a file being written is written whole), and no worker outlives the call;
- a caller killed outright (SIGKILL, the out-of-memory killer) takes its workers with it, on Linux:
  they would otherwise wait for work forever.

Workers are forked where the system can (Linux), so they start in milliseconds with everything the
caller had imported; they ignore Ctrl-C, which a terminal sends to all of them at once: the caller
decides what it means.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from jmb.core.constants import RC
from jmb.core.errors import JmbError

Item = TypeVar("Item")
Result = TypeVar("Result")


class WorkerFailed(JmbError):
    """A worker process failed in a way jmb does not expect: a bug in it, or it was killed."""

    exit_code = RC.INTERNAL


def usable_cores() -> int:
    """The processor cores this process may run on (a container or ``taskset`` may allow fewer than
    the machine has)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


def map_in_processes(
    function: Callable[[Item], Result],
    items: Sequence[Item],
    *,
    jobs: int,
    initializer: Callable[..., None] | None = None,
    initargs: tuple[Any, ...] = (),
) -> list[Result]:
    """``[function(item) for item in items]``, computed in up to ``jobs`` worker processes, each of
    which first calls ``initializer(*initargs)`` (to build, once, what every item needs). See the
    module for what happens when something fails. ``function`` and ``initializer`` must be functions
    of a module (a worker finds them by name); an error the initializer raises is raised for the
    first item the worker is given."""
    if not items:
        return []
    methods = multiprocessing.get_all_start_methods()
    pool = ProcessPoolExecutor(
        max_workers=max(1, min(jobs, len(items))),
        mp_context=multiprocessing.get_context("fork" if "fork" in methods else None),
        initializer=_start_worker,
        initargs=(initializer, initargs, os.getpid()),
    )
    futures: list[Future[Result]] = []
    try:
        futures = [pool.submit(_call, function, item) for item in items]
        return [future.result() for future in futures]
    except BrokenProcessPool:
        raise WorkerFailed(
            "a worker process stopped before its work was done (was it killed, or out of memory?)"
        ) from None
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


#: In a worker: what its initializer raised, if it did (raised again for the first item it is given).
_failed_start: BaseException | None = None


def _start_worker(
    initializer: Callable[..., None] | None, initargs: tuple[Any, ...], caller: int
) -> None:
    global _failed_start
    # Ctrl-C at a terminal goes to every process of the group; a worker carries on with its item
    # and the caller, which gets it too, stops giving out more.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _end_with(caller)
    if initializer is None:
        return
    try:
        initializer(*initargs)
    except BaseException as error:  # an initializer that raises would break the pool, unexplained
        _failed_start = error


#: prctl's request for a signal when the process's parent ends (linux/prctl.h).
_PR_SET_PDEATHSIG = 1


def _end_with(caller: int) -> None:
    """Have the kernel send this worker SIGTERM when ``caller``, its parent, ends (Linux only; a
    worker whose caller ended normally has ended already). A file it is writing then is left as a
    temporary file, which the next write into its folder removes (see :mod:`jmb.core.atomic`)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):  # no C library to ask: the worker lives on as it would
        return
    if os.getppid() != caller:  # the caller ended before the request was made
        os._exit(0)


def _call(function: Callable[[Item], Result], item: Item) -> Result:
    try:
        if _failed_start is not None:
            raise _failed_start
        return function(item)
    except JmbError:
        raise
    except Exception as error:
        # A bug. Its class may not cross to the caller (pickle could not rebuild it there); its
        # name and message do, as the one line the command line shows for a bug.
        raise WorkerFailed(
            f"internal error: {type(error).__name__}: {error}; please report it"
        ) from error
