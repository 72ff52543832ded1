"""The local server of ``jmb serve``: uvicorn, on a loopback address only, until stopped.

The preview is for the person drafting, on their own computer: it listens on a loopback address
(127.0.0.1 unless told ``::1`` or another of 127.0.0.0/8) and refuses any other, so nothing on the
network can reach the records (Part 2 included). The socket is bound here, before uvicorn starts,
so that a port in use is one clear error, and the port chosen for ``--port 0`` is known.

Ctrl-C, SIGTERM and SIGHUP stop it gracefully (the open event streams end, the watch stops) and
:func:`serve` returns; uvicorn's own handling would raise the signal again once stopped, which
would end the command as interrupted rather than as asked.
"""

from __future__ import annotations

import contextlib
import errno
import ipaddress
import logging
import os
import signal
import socket
import threading
from collections.abc import Callable, Generator, Iterator
from pathlib import Path

import uvicorn

from jmb.core.errors import JmbError, UsageError
from jmb.serve.app import Site, create_app

#: The port ``jmb serve`` listens on unless told otherwise.
DEFAULT_PORT = 8000

#: Seconds the server waits, once told to stop, for responses under way to finish.
GRACE = 2


def loopback_address(host: str) -> str:
    """The address to listen on for ``host``: ``localhost``, or an IP address of this computer's
    loopback (``127.0.0.1``, ``::1``, ``[::1]``). :class:`UsageError` for anything else: the
    preview shows every record, Part 2 included, and must not be reachable from the network."""
    name = host.strip().lower()
    if name == "localhost":
        return "127.0.0.1"  # not resolved: a hosts file could point it anywhere
    if name.startswith("[") and name.endswith("]"):
        name = name[1:-1]
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        address = None
    if address is None or not address.is_loopback:
        raise UsageError(
            f"--host {host!r} is not a loopback address; jmb serve listens on this computer only "
            "(127.0.0.1, ::1 or localhost)"
        )
    return str(address)


def listen(address: str, port: int) -> socket.socket:
    """A socket listening on ``address`` and ``port`` (0: any free port); :class:`JmbError` in one
    line when it cannot be (the port in use, a port only the administrator may use)."""
    if not 0 <= port <= 65535:
        raise UsageError(f"--port {port} is not a port; use 1 to 65535, or 0 for any free one")
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    shown = f"[{address}]:{port}" if family == socket.AF_INET6 else f"{address}:{port}"
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        if os.name == "posix":
            # A port a stopped jmb serve just left is free again at once. On POSIX this never lets
            # two servers share a port (Windows would: there it is not set).
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((address, port))
        sock.listen(128)
    except OSError as error:
        sock.close()
        if error.errno == errno.EADDRINUSE:
            raise JmbError(
                f"cannot listen on {shown}: the port is in use (another jmb serve?); choose "
                "another with --port, or --port 0 for any free one"
            ) from None
        if error.errno in (errno.EACCES, errno.EPERM):
            raise JmbError(
                f"cannot listen on {shown}: that port needs an administrator; use --port 1024 "
                "or above, or --port 0"
            ) from None
        raise JmbError(f"cannot listen on {shown}: {error.strerror or error}") from None
    sock.set_inheritable(False)
    return sock


def serve(
    root: Path,
    port: int = DEFAULT_PORT,
    *,
    host: str = "127.0.0.1",
    on_ready: Callable[[str], None] = lambda url: None,
    warn: Callable[[str], None] = lambda message: None,
) -> None:
    """Serve the live preview of the repository at ``root`` on ``host`` (a loopback address, see
    :func:`loopback_address`) and ``port`` until Ctrl-C, SIGTERM or SIGHUP; then return.

    ``on_ready`` is given the address to open (``http://127.0.0.1:PORT/``) once requests are
    taken; ``warn`` anything the user should know while it runs (one line each, never a
    traceback). Nothing is written to the repository."""
    address = loopback_address(host)
    sock = listen(address, port)
    try:
        bound = sock.getsockname()[1]
        holder: list[uvicorn.Server] = []
        site = Site(
            root.resolve(),
            port=bound,
            address=address,
            stopping=lambda: bool(holder) and holder[0].should_exit,
            warn=warn,
        )
        config = uvicorn.Config(
            create_app(site),
            http="h11",
            ws="none",
            lifespan="on",
            log_config=None,
            access_log=False,
            server_header=False,
            timeout_graceful_shutdown=GRACE,
        )
        server = _Server(config)
        holder.append(server)
        shown = f"[{address}]" if ":" in address else address
        with _logged_to(warn), _stopped_by_signals(server):
            on_ready(f"http://{shown}:{bound}/")
            server.run(sockets=[sock])
    finally:
        sock.close()


class _Server(uvicorn.Server):
    """uvicorn's server with the signals left to :func:`_stopped_by_signals`."""

    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        yield


@contextlib.contextmanager
def _stopped_by_signals(server: uvicorn.Server) -> Iterator[None]:
    """While it runs, Ctrl-C, SIGTERM and SIGHUP ask ``server`` to stop (a second Ctrl-C: at once),
    and then nothing more; the handlers before are put back after. Only the main thread can set
    handlers: elsewhere (a test's thread) the signals keep theirs."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    wanted = [
        getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
    ]
    before = {signum: signal.signal(signum, server.handle_exit) for signum in wanted}
    try:
        yield
    finally:
        for signum, handler in before.items():
            signal.signal(signum, handler)


class _Warner(logging.Handler):
    """A log handler that passes each message on as one line, never with a traceback."""

    def __init__(self, warn: Callable[[str], None]) -> None:
        super().__init__(logging.WARNING)
        self.warn = warn

    def emit(self, record: logging.LogRecord) -> None:
        try:
            message = " ".join(record.getMessage().split())
        except Exception:  # a message that cannot be formatted is still one line
            message = str(record.msg)
        if record.exc_info and record.exc_info[1] is not None:
            error = record.exc_info[1]
            message = f"{message}: {type(error).__name__}: {error}"
        self.warn(message)


@contextlib.contextmanager
def _logged_to(warn: Callable[[str], None]) -> Iterator[None]:
    """What uvicorn and watchfiles log at WARNING and above goes to ``warn`` as one line while the
    server runs, and nowhere else (Python's last-resort handler would print a traceback)."""
    handler = _Warner(warn)
    loggers = [logging.getLogger(name) for name in ("uvicorn", "watchfiles")]
    before = [(logger, logger.propagate) for logger in loggers]
    for logger in loggers:
        logger.addHandler(handler)
        logger.propagate = False
    try:
        yield
    finally:
        for logger, propagate in before:
            logger.removeHandler(handler)
            logger.propagate = propagate


__all__ = ["DEFAULT_PORT", "listen", "loopback_address", "serve"]
