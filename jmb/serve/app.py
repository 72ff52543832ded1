"""The web application of ``jmb serve``: its pages, the events that refresh them, and the watch on
the repository that sends those events.

A local tool still treats every request as hostile:

- the ``Host`` header must name this server as the browser reached it (``127.0.0.1``,
  ``localhost`` or ``[::1]``, with the port), so that a web page elsewhere cannot read the preview
  through a name it points at 127.0.0.1 (DNS rebinding);
- only ``GET`` (and ``HEAD``) are answered, and nothing a request says is a path: a record is looked
  up among the repository's record files (:mod:`jmb.serve.preview`);
- every response says ``X-Content-Type-Options: nosniff``, is not to be stored (a Part 2 page
  must not stay in a browser's cache) and carries a Content-Security-Policy that allows this
  server's own files only (``/_jmb/``: the page script and stylesheet; no inline script at all). A
  preview, the renderer's self-contained HTML, may use its own inline stylesheet (by its hash) and
  nothing else, not even a script of its own.

The events (``/events``, server-sent events) name the record files that changed, never their
content, and ``all`` when the configuration, the roster or the templates changed.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import json
import os
import re
import secrets
import stat
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import watchfiles
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response, StreamingResponse
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from watchfiles._rust_notify import WatchfilesRustInternalError

from jmb.core.constants import RECORDS_DIR
from jmb.core.errors import JmbError
from jmb.core.resources import builtin_dir
from jmb.core.templating import Templates
from jmb.repo.config import load_config
from jmb.repo.records import RECORD_SUFFIXES
from jmb.serve.preview import Part, Preview, RecordPage, record_ref

#: The Content-Security-Policy of jmb serve's own pages.
PAGE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; frame-src 'self'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'"
)
#: How often an open event stream says it is alive, in seconds (a proxy or the browser could
#: otherwise give up on a quiet connection).
KEEP_ALIVE = 15.0
#: How often an event stream looks whether the server is stopping, in seconds.
STOP_CHECK = 0.2
#: The files of the repository whose change concerns every page (not a record of its own).
SHARED_FILES = ("jmb.toml", "signatories.yaml")


@dataclass(frozen=True)
class Change:
    """What a change of the repository concerns: some record files (by their path under
    ``records/``), or every page."""

    version: str
    records: tuple[str, ...] = ()
    all: bool = False

    def event(self, name: str = "change") -> bytes:
        """The change as a server-sent event."""
        data = json.dumps({"version": self.version, "records": list(self.records), "all": self.all})
        return f"event: {name}\ndata: {data}\n\n".encode()


@dataclass
class Listeners:
    """The open event streams, each with its queue of changes to send."""

    queues: set[asyncio.Queue[Change]] = field(default_factory=set)

    def send(self, change: Change) -> None:
        for queue in self.queues:
            queue.put_nowait(change)


class Site:
    """What the application serves: the preview of the repository at ``root``, its pages and its
    events. ``stopping`` says whether the server is stopping (the event streams then end, so that
    it can); ``warn`` is told what the user should know (a watch that could not be set up)."""

    def __init__(
        self,
        root: Path,
        *,
        port: int,
        address: str = "127.0.0.1",
        stopping: Callable[[], bool] = lambda: False,
        warn: Callable[[str], None] = lambda message: None,
    ) -> None:
        self.root = root
        self.port = port
        self.address = address
        self.stopping = stopping
        self.warn = warn
        self.preview = Preview(root)
        # Pages say which version of the repository they show; a new server is a new series.
        self.series = secrets.token_hex(4)
        self.listeners = Listeners()
        folder = builtin_dir("templates") / "serve"
        self.templates = Templates([folder], autoescape=True)
        self.assets = {
            "live.js": (
                "text/javascript; charset=utf-8",
                (folder / "assets" / "live.js").read_bytes(),
            ),
            "serve.css": (
                "text/css; charset=utf-8",
                (folder / "assets" / "serve.css").read_bytes(),
            ),
        }

    @property
    def version(self) -> str:
        """Which state of the repository a page shows (see live.js)."""
        return f"{self.series}-{self.preview.version}"

    def allowed_hosts(self) -> frozenset[str]:
        """The ``Host`` headers a request may carry: this server's loopback names, with its port."""
        bound = f"[{self.address}]" if ":" in self.address else self.address
        names = ("127.0.0.1", "localhost", "[::1]", bound)
        hosts = {f"{name}:{self.port}" for name in names}
        if self.port == 80:
            hosts.update(names)  # a browser leaves out the default port
        return frozenset(hosts)

    # The pages --------------------------------------------------------------------------------

    def register_page(self) -> str:
        """The register's page."""
        version = self.version  # before reading: a change meanwhile makes the page reload
        register = self.preview.register()
        return self.templates.render(
            "register.html.j2",
            version=version,
            watch="*",
            problem=register.problem,
            register=register,
        )

    def record_page(self, ref: str, part: Part) -> tuple[int, str]:
        """The status and page of a record's Part 1 or Part 2 (404: no such record or part)."""
        version = self.version
        try:
            page = self.preview.record_page(ref, part)
        except JmbError as error:
            return 200, self.templates.render(
                "register.html.j2", version=version, watch="*", problem=str(error), register=None
            )
        # A Part 2 page mid-edit shows the error, as Part 1's does; else only a Part 2 has one.
        if page is None or (part == 2 and not page.has_part2 and not page.load_errors):
            return 404, self._missing(page)
        return 200, self.templates.render(
            "record.html.j2", version=version, watch=ref, problem="", page=page
        )

    def preview_of(self, ref: str, part: Part) -> RecordPage | None:
        """The page whose preview (the renderer's HTML) the record page's frame shows."""
        try:
            return self.preview.record_page(ref, part)
        except JmbError:
            return None

    def _missing(self, page: RecordPage | None) -> str:
        message = (
            "There is no such record file under records/."
            if page is None
            else f"Decision {page.number or page.file} has no Part 2."
        )
        return self.templates.render(
            "missing.html.j2", version=self.version, watch="*", problem="", message=message
        )

    # The watch ---------------------------------------------------------------------------------

    def changed(self, paths: Iterable[str]) -> None:
        """Tell the open pages that ``paths`` (absolute) changed."""
        records = set()
        everything = False
        folder = self._records_folder()
        for name in paths:
            path = Path(name)
            if path.is_relative_to(folder) and path.suffix in RECORD_SUFFIXES:
                records.add(record_ref(path, folder))
            elif not path.is_relative_to(folder):
                everything = True  # jmb.toml, the roster, a template
        self._tell(records, everything=everything)

    def _tell(self, records: Iterable[str], *, everything: bool) -> None:
        """Tell the open pages that ``records`` changed, or with ``everything``, all else."""
        changed = tuple(sorted(records))
        if not changed and not everything:
            return
        self.preview.changed()
        self.listeners.send(Change(self.version, changed, everything))

    def _records_folder(self) -> Path:
        try:
            return load_config(self.root).records_dir
        except JmbError:  # a jmb.toml mid-edit: the records are where they are by default
            return self.root / RECORDS_DIR

    def watched(self) -> tuple[list[Path], frozenset[str]]:
        """What to watch: the folders watched with all they hold (the records, the templates),
        and the names of the root's own entries that matter (``jmb.toml``, the roster, and those
        folders, which may be made or removed). The root is watched alone, not with all it holds,
        which may be a virtual environment of thousands of files."""
        try:
            config = load_config(self.root)
            folders = [config.records_dir, config.root / config.templates.folder]
        except JmbError:
            folders = [self.root / RECORDS_DIR, self.root / "templates"]
        names = {*SHARED_FILES, *(folder.relative_to(self.root).parts[0] for folder in folders)}
        return [folder for folder in folders if folder.is_dir()], frozenset(names)

    async def watch(self) -> None:
        """Watch the repository and tell the open pages of every change, until cancelled; the
        watch is set up again when ``jmb.toml`` changes (it names the template folder) or a
        watched folder, or a folder in one, is made or removed.

        Each folder is watched on its own, with the folders found in it without following a
        symbolic link: a watch of the whole tree follows links, and a link in a repository to
        ``/`` or a home folder would have the preview watch every file there (tens of thousands
        of the computer's watches, and a page reloaded for files outside the repository)."""
        again_after_a_change = False
        while True:
            folders, names = self.watched()
            tree = _folders_in(folders)
            again = asyncio.Event()
            tasks = [asyncio.create_task(self._follow([self.root], names, again))]
            if tree:
                tasks.append(asyncio.create_task(self._follow(tree, None, again)))
            if again_after_a_change:
                # The pages are told of the change that made the watch start again only now that
                # the new watch is in place (each task sets its watch up in its first step, which
                # this lets run): a file saved while no watch was set up then reaches the pages
                # too. Told before, a page could reload, and its user save again, unwatched.
                await asyncio.sleep(0)
                self._tell((), everything=True)
            again_after_a_change = True
            try:
                await again.wait()
            finally:
                again.set()
                for task in tasks:
                    task.cancel()
                await asyncio.gather(*tasks, return_exceptions=True)

    async def _follow(
        self, paths: Sequence[Path], names: frozenset[str] | None, again: asyncio.Event
    ) -> None:
        """Report the changes of the entries directly in ``paths``: all of them, or with
        ``names`` only those of that name. A change that the watch must take in (a folder made
        or removed among ``paths``, a change of one of ``names``) or that it cannot name (a file
        whose name is not UTF-8) sets ``again`` instead: the watch starts again and then tells
        every page."""
        watched = set(paths)
        try:
            async for changes in watchfiles.awatch(
                *paths, recursive=False, debounce=400, step=50, stop_event=again
            ):
                changed = {name for _, name in changes}
                if names is not None:
                    if any(Path(name).name in names for name in changed):
                        again.set()
                        return
                elif any(_is_folder(Path(name)) or Path(name) in watched for name in changed):
                    # A folder made (the next year's) or removed: what it holds is read afresh.
                    again.set()
                    return
                else:
                    self.changed(changed)
        except Exception as error:  # the watch failed: the pages must go on being served
            if any(_unnamed_path(problem) for problem in _leaves(error)):
                # A file whose name is not UTF-8 changed, and watchfiles cannot name it.
                again.set()
                return
            shown = ", ".join(str(path) for path in paths)
            self.warn(f"cannot watch {shown} for saved files ({error}); reload pages by hand")
            await asyncio.Event().wait()  # until the watch is set up again

    # The events --------------------------------------------------------------------------------

    async def events(self) -> AsyncIterator[bytes]:
        """The event stream of one open page: ``hello`` with the repository's version, then each
        change, until the server stops."""
        queue: asyncio.Queue[Change] = asyncio.Queue()
        self.listeners.queues.add(queue)
        try:
            yield b"retry: 1000\n\n"
            yield Change(self.version).event("hello")
            quiet = 0.0
            while not self.stopping():
                try:
                    change = await asyncio.wait_for(queue.get(), STOP_CHECK)
                except TimeoutError:
                    quiet += STOP_CHECK
                    if quiet >= KEEP_ALIVE:
                        quiet = 0.0
                        yield b": still here\n\n"
                    continue
                quiet = 0.0
                yield change.event()
        finally:
            self.listeners.queues.discard(queue)


def _folders_in(folders: Iterable[Path]) -> list[Path]:
    """``folders`` and every folder in them, however deep, without following a symbolic link."""
    found: list[Path] = []
    for top in folders:
        found.append(top)
        for parent, names, _ in os.walk(top):  # os.walk does not go down a link
            found.extend(
                Path(parent, name) for name in sorted(names) if not _is_link(Path(parent, name))
            )
    return found


def _is_folder(path: Path) -> bool:
    """Whether ``path`` is a folder, not a symbolic link to one."""
    try:
        return stat.S_ISDIR(path.lstat().st_mode)
    except OSError:
        return False


def _is_link(path: Path) -> bool:
    try:
        return path.is_symlink()
    except OSError:
        return True  # what cannot be looked at is not watched


def _leaves(error: BaseException) -> list[BaseException]:
    """``error``, or the errors an exception group holds, however deep."""
    if isinstance(error, BaseExceptionGroup):
        return [leaf for inner in error.exceptions for leaf in _leaves(inner)]
    return [error]


def _unnamed_path(error: BaseException) -> bool:
    """Whether ``error`` is watchfiles saying it cannot name a changed file (not UTF-8)."""
    return isinstance(error, WatchfilesRustInternalError) and "decode path" in str(error)


def style_hashes(page: str) -> list[str]:
    """The CSP sources (``'sha256-...'``) of the inline stylesheets of ``page``."""
    return [
        "'sha256-" + base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode() + "'"
        for body in re.findall(r"<style>(.*?)</style>", page, re.DOTALL)
    ]


def preview_csp(page: str) -> str:
    """The Content-Security-Policy of a preview: its own inline stylesheet, ``data:`` images, and
    nothing else; shown only in a frame of jmb serve's own pages."""
    styles = " ".join(style_hashes(page)) or "'none'"
    return (
        f"default-src 'none'; style-src {styles}; img-src data:; base-uri 'none'; "
        "form-action 'none'; frame-ancestors 'self'"
    )


class Guard:
    """The checks every request passes and the headers every response carries (see the module)."""

    def __init__(self, app: ASGIApp, site: Site) -> None:
        self.app = app
        self.site = site

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        host = headers.get(b"host", b"").decode("latin-1").lower()
        if host not in self.site.allowed_hosts():
            response: Response = PlainTextResponse(
                "jmb serve answers only requests for this computer's own address "
                f"(http://127.0.0.1:{self.site.port}/).\n",
                status_code=421,
            )
            await self._secured(response)(scope, receive, send)
            return
        if scope["method"] not in ("GET", "HEAD"):
            response = PlainTextResponse("jmb serve only shows pages.\n", status_code=405)
            response.headers["Allow"] = "GET, HEAD"
            await self._secured(response)(scope, receive, send)
            return

        async def send_secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                given = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(name, value) for name, value in _SECURITY_HEADERS if name not in given]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, send_secured)

    @staticmethod
    def _secured(response: Response) -> Response:
        for name, value in _SECURITY_HEADERS:
            response.headers[name.decode()] = value.decode()
        return response


#: What every response says, unless it says otherwise (a preview's own policy and framing).
_SECURITY_HEADERS: list[tuple[bytes, bytes]] = [
    (b"x-content-type-options", b"nosniff"),
    (b"content-security-policy", PAGE_CSP.encode()),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cache-control", b"no-store"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
]


def _html(page: str, status: int = 200) -> Response:
    """``page`` as a response. Anything that cannot be UTF-8 (a lone surrogate, the byte of a file
    name that is not UTF-8 that escaped being made printable) is shown escaped, never a failure."""
    body = page.encode("utf-8", "backslashreplace")
    return Response(body, status_code=status, media_type="text/html; charset=utf-8")


def create_app(site: Site) -> ASGIApp:
    """The ASGI application of ``site``, with its watch running while it is served."""

    async def register(request: Request) -> Response:
        return _html(await run_in_threadpool(site.register_page))

    def record(part: Part) -> Callable[[Request], Any]:
        async def page(request: Request) -> Response:
            status, body = await run_in_threadpool(
                site.record_page, request.path_params["ref"], part
            )
            return _html(body, status)

        return page

    def preview(part: Part) -> Callable[[Request], Any]:
        async def page(request: Request) -> Response:
            shown = await run_in_threadpool(site.preview_of, request.path_params["ref"], part)
            if shown is None or shown.preview is None:
                return PlainTextResponse("Not previewed: see the record's page.\n", status_code=404)
            response = _html(shown.preview)
            response.headers["content-security-policy"] = preview_csp(shown.preview)
            response.headers["x-frame-options"] = "SAMEORIGIN"
            return response

        return page

    async def asset(request: Request) -> Response:
        found = site.assets.get(request.path_params["name"])
        if found is None:
            return PlainTextResponse("Not found.\n", status_code=404)
        media_type, body = found
        return Response(body, media_type=media_type)

    async def events(request: Request) -> Response:
        return StreamingResponse(
            site.events(),
            media_type="text/event-stream",
            headers={"x-accel-buffering": "no"},
        )

    async def not_found(request: Request, error: Exception) -> Response:
        return PlainTextResponse("Not found.\n", status_code=404)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        watching = asyncio.create_task(site.watch())
        try:
            yield
        finally:
            watching.cancel()
            await asyncio.gather(watching, return_exceptions=True)

    methods = ["GET", "HEAD"]
    application = Starlette(
        routes=[
            Route("/", register, methods=methods),
            Route("/part1/{ref:path}", record(1), methods=methods),
            Route("/part2/{ref:path}", record(2), methods=methods),
            Route("/preview/part1/{ref:path}", preview(1), methods=methods),
            Route("/preview/part2/{ref:path}", preview(2), methods=methods),
            Route("/_jmb/{name}", asset, methods=methods),
            Route("/events", events, methods=["GET"]),
        ],
        exception_handlers={404: not_found},
        lifespan=lifespan,
    )
    return Guard(application, site)


__all__ = ["PAGE_CSP", "Change", "Guard", "Site", "create_app", "preview_csp"]
