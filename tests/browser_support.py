"""What the browser tests share: a web server for a folder on 127.0.0.1, and headless Chromium driven
over the DevTools protocol.

The protocol runs over a pair of pipes (``--remote-debugging-pipe``: the browser reads commands on
its file 3 and answers on its file 4, each message JSON ended by a NUL byte), so the browser opens no
port and nothing but the Python standard library is needed. Every wait has a time limit, the browser
has a profile of its own in the test's temporary folder, and it is stopped (its whole process group)
whatever happens.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import http.server
import json
import os
import queue
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def need_chromium() -> str:
    """Chromium's path; outside CI the test is skipped without it, in CI it fails (as the
    accessibility test does), so a missing install cannot pass unseen."""
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium must be installed in CI (.ci/run installs it)")
        pytest.skip("Chromium is not installed (.ci/run installs it)")
    return CHROMIUM


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass

    def send_head(self) -> Any:  # every GET and HEAD passes here
        requested = getattr(self.server, "requested", None)
        if requested is not None:
            requested.append(self.path)
        return super().send_head()


@contextlib.contextmanager
def serve(folder: Path, requested: list[str] | None = None) -> Iterator[str]:
    """Serve ``folder`` on 127.0.0.1 at a free port while the block runs; its address, ending
    in ``/``. Each path asked for is added to ``requested`` when it is given. The server stops
    at the end of the block."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.requested = requested  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def _above_nine(descriptor: int) -> int:
    """The same open file under a number above 9 (so that it is not 3 or 4, where the browser's
    ends of the pipes go)."""
    high = fcntl.fcntl(descriptor, fcntl.F_DUPFD_CLOEXEC, 10)
    os.close(descriptor)
    return high


class BrowserError(AssertionError):
    """The browser did not answer in time, or answered with an error."""


class Browser:
    """Headless Chromium, and one page open in it (:meth:`open`)."""

    def __init__(self, work: Path, *, timeout: float = 15.0) -> None:
        self.timeout = timeout
        self.log = work / "chromium.log"
        chromium = need_chromium()
        commands, self._to_browser = os.pipe()
        self._from_browser, answers = os.pipe()
        commands, answers = _above_nine(commands), _above_nine(answers)
        flags = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--remote-debugging-pipe",
            f"--user-data-dir={work / 'chromium-profile'}",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-default-apps",
            "--disable-extensions",
            "--disable-sync",
            "--mute-audio",
            "about:blank",
        ]
        # The shell puts the pipes where Chromium looks for them (files 3 and 4), then becomes it
        # (bash: sh may not take file numbers of two digits).
        move = f'exec "$0" "$@" 3<&{commands} 4>&{answers} {commands}<&- {answers}>&-'
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                ["bash", "-c", move, chromium, *flags],
                pass_fds=(commands, answers),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                start_new_session=True,  # its own process group, stopped whole in close()
            )
        os.close(commands)
        os.close(answers)
        self._answers: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self._next_id = 0
        self.events: list[dict[str, Any]] = []

    def _read(self) -> None:
        pending = b""
        while True:
            try:
                chunk = os.read(self._from_browser, 1 << 16)
            except OSError:
                chunk = b""
            if not chunk:
                self._answers.put(None)
                return
            pending += chunk
            *messages, pending = pending.split(b"\0")
            for message in messages:
                self._answers.put(json.loads(message))

    def send(self, method: str, params: dict[str, Any] | None = None, session: str = "") -> Any:
        """Send a command and wait for its result; events that come meanwhile are kept in
        :attr:`events`."""
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._to_browser, json.dumps(message).encode("utf-8") + b"\0")
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                answer = self._answers.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise BrowserError(f"{method}: no answer within {self.timeout} s") from None
            if answer is None:
                raise BrowserError(f"{method}: Chromium went away; see {self.log}")
            if answer.get("id") == self._next_id:
                if "error" in answer:
                    raise BrowserError(f"{method}: {answer['error']}")
                return answer.get("result", {})
            self.events.append(answer)

    def wait_for_event(self, method: str, session: str) -> dict[str, Any]:
        """The first event ``method`` of ``session``, waited for."""
        deadline = time.monotonic() + self.timeout
        while True:
            for event in self.events:
                if event.get("method") == method and event.get("sessionId") == session:
                    self.events.remove(event)
                    return event
            try:
                answer = self._answers.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise BrowserError(f"no {method} within {self.timeout} s") from None
            if answer is None:
                raise BrowserError(f"Chromium went away; see {self.log}")
            self.events.append(answer)

    def open(self, url: str, *, before_load: str = "") -> Page:
        """A new tab showing ``url``, loaded; ``before_load`` runs in every document before its
        own scripts."""
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"
        ]
        page = Page(self, session)
        self.send("Page.enable", session=session)
        self.send("Runtime.enable", session=session)
        if before_load:
            self.send(
                "Page.addScriptToEvaluateOnNewDocument", {"source": before_load}, session=session
            )
        page.go(url)
        return page

    def close(self) -> None:
        """Stop the browser: politely, then its whole process group."""
        with contextlib.suppress(Exception):
            os.write(
                self._to_browser, json.dumps({"id": 0, "method": "Browser.close"}).encode() + b"\0"
            )
        with contextlib.suppress(subprocess.TimeoutExpired):  # then it is stopped below
            self.process.wait(timeout=5)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        for descriptor in (self._to_browser, self._from_browser):
            with contextlib.suppress(OSError):
                os.close(descriptor)
        self._reader.join(timeout=5)

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class Page:
    """A tab of :class:`Browser`."""

    def __init__(self, browser: Browser, session: str) -> None:
        self.browser = browser
        self.session = session

    def go(self, url: str) -> None:
        """Show ``url`` and wait until it has loaded."""
        self.browser.send("Page.navigate", {"url": url}, session=self.session)
        self.browser.wait_for_event("Page.loadEventFired", self.session)

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression in the page (a promise is waited for)."""
        result = self.browser.send(
            "Runtime.evaluate",
            {"expression": expression, "awaitPromise": True, "returnByValue": True},
            session=self.session,
        )
        if "exceptionDetails" in result:
            details = result["exceptionDetails"]
            raise BrowserError(details.get("exception", {}).get("description") or str(details))
        return result.get("result", {}).get("value")

    def type(self, text: str) -> None:
        """Type ``text`` where the focus is, as a keyboard would."""
        self.browser.send("Input.insertText", {"text": text}, session=self.session)

    def exceptions(self) -> list[str]:
        """The uncaught JavaScript exceptions of the page so far."""
        return [
            event["params"]["exceptionDetails"].get("exception", {}).get("description", "")
            or event["params"]["exceptionDetails"].get("text", "")
            for event in self.browser.events
            if event.get("method") == "Runtime.exceptionThrown"
            and event.get("sessionId") == self.session
        ]
