"""``jmb publish``'s core: the public decisions website, built from the repository as static files.

The site (``build/site/`` by default) holds the register (``index.html``, the newest year's
decisions, and a page a year, ``2019/index.html``), a page per decision at a permanent address built
from its number (``decisions/2019-09/``) with its Part 1 as PDF and Word beside it, the search page
and its index, the open data (``data/``: CSV, JSON, the Frictionless descriptor and the Atom feed)
and ``sitemap.xml``. Every page is rendered from the Part 1 view; Part 2 has no way in (the import
contracts keep :mod:`jmb.render.part2` out of this package).

The same repository builds the same bytes: nothing reads the clock, and everything is sorted. The
manifest (:mod:`jmb.publish.manifest`, beside the site) makes a second build rewrite only what
changed and remove what no longer belongs, never a file it did not write.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from importlib import metadata
from pathlib import Path, PurePosixPath
from typing import Any
from xml.etree import ElementTree

from jmb.check.engine import validate
from jmb.check.rules.appendices import locate_appendix
from jmb.core.atomic import write_bytes_atomic
from jmb.core.constants import CONFIDENTIAL_DIR, VERSION
from jmb.core.errors import RecordError, RefusedError, UsageError
from jmb.core.files import read_regular_file
from jmb.core.locks import held
from jmb.core.paths import display_path
from jmb.core.templating import Templates
from jmb.publish.manifest import (
    Made,
    Manifest,
    digest,
    manifest_path,
    read_manifest,
    site_path,
    stale,
    unchanged,
    write_manifest,
)
from jmb.publish.opendata import Links, datapackage, decisions_csv, decisions_json, rows
from jmb.publish.public import PublicDecision, is_public, public_decision, public_view
from jmb.publish.search import BUNDLE_DIR, index_site, remove_index
from jmb.record.document import MAX_BYTES
from jmb.record.model import LABEL_SHAPE, Record, Status
from jmb.render.part1 import Part1View, exempt_under
from jmb.render.renderer import (
    PART2_LEAKS,
    Part1File,
    RenderRefused,
    load_record,
    render_part1_files,
    template_folders,
)
from jmb.render.views import long_date
from jmb.repo.config import Config, Licence, checked_base_url
from jmb.repo.records import record_files
from jmb.repo.roster import MAX_ROSTER_BYTES, ROSTER_FILE
from jmb.sign.lifecycle import change_status

#: The documents a decision's page can offer beside it; the page itself is always HTML.
DOCUMENT_FORMATS = ("pdf", "docx")
SITE_FORMATS = ("html", *DOCUMENT_FORMATS)

#: The feed lists the newest decisions only.
FEED_SIZE = 50

#: The largest appendix file copied into the site.
MAX_APPENDIX_BYTES = 200_000_000


@dataclass(frozen=True)
class PublishResult:
    """What a build did: the site, how many decisions it carries, the files it wrote and removed
    (paths in the site), how many it left as they were, and what the user should know."""

    site: Path
    decisions: int
    written: list[str]
    removed: list[str]
    unchanged: int
    notices: list[str] = field(default_factory=list)
    #: Records moved to ``published`` by ``--mark-published``: their files and numbers.
    marked: list[tuple[Path, str]] = field(default_factory=list)
    #: The number of records that changed since the last build (or all, on a first build).
    changed_records: int = 0


@dataclass(frozen=True)
class SiteInfo:
    """What every page says of the office."""

    organisation: str
    board: str
    search: bool
    feed: bool
    #: The licence the site's content and open data are under (the footer states it).
    licence: Licence


def publish(
    config: Config,
    *,
    out: Path | None = None,
    base_url: str | None = None,
    formats: Sequence[str] = SITE_FORMATS,
    search: bool = True,
    jobs: int | None = None,
    mark_published: bool = False,
    day: date | None = None,
    today: date | None = None,
) -> PublishResult:
    """Build the public website of the repository into ``out`` (default ``build/site``).

    Every record that is public (:func:`~jmb.publish.public.is_public`) is checked first; one with
    errors, or with Part 2 content in its Part 1, refuses the build (:class:`RenderRefused`), as
    ``jmb render`` refuses it. With ``mark_published``, every approved decision the site carries
    is then moved to ``published`` on ``day`` (default today), as ``jmb status`` moves it, and its
    page made again.
    """
    documents = _documents(formats)
    base = checked_url(base_url) if base_url is not None else config.publication.base_url
    site = out if out is not None else config.root / "build" / "site"
    guard_site(site, config)
    with held("site", site, busy=f"another jmb publish into {display_path(site)}"):
        # The manifest is read once the lock is held: the build before may be rewriting it.
        build = _Build(config, site, documents, base, search, jobs, today)
        result = build.run()
    if not mark_published:
        return result
    day = day if day is not None else (today if today is not None else date.today())
    early = [
        decision.number
        for _, decision in build.approved
        if decision.approved is not None and decision.approved > day
    ]
    if early:
        raise UsageError(
            f"--date {day.isoformat()} is before the approval of {', '.join(early)}: a decision "
            "is published after it is approved; nothing was marked"
        )
    marked: list[tuple[Path, str]] = []
    for path, decision in build.approved:
        try:
            change_status(config, str(path), Status.PUBLISHED, day=day, today=today)
        except RefusedError as error:
            if marked:
                done = ", ".join(number for _, number in marked)
                raise RefusedError(
                    f"{error} (already marked published: {done})", error.findings
                ) from None
            raise
        marked.append((path, decision.number))
    if not marked:
        return result
    # The pages of the decisions just marked say so: build again (only they, the register and the
    # data files change).
    with held("site", site, busy=f"another jmb publish into {display_path(site)}"):
        again = _Build(config, site, documents, base, search, jobs, today).run()
    return PublishResult(
        site,
        again.decisions,
        sorted(set(result.written) | set(again.written)),
        sorted(set(result.removed) | set(again.removed)),
        again.unchanged,
        result.notices,
        marked,
        result.changed_records,
    )


def checked_url(url: str) -> str:
    """``--base-url`` checked as ``[publication] base_url`` is (:class:`UsageError` otherwise)."""
    try:
        return checked_base_url(url)
    except ValueError as error:
        raise UsageError(f"--base-url: {error}") from None


def _documents(formats: Sequence[str]) -> tuple[str, ...]:
    unknown = [name for name in formats if name not in SITE_FORMATS]
    if unknown:
        raise UsageError(
            f"--formats: {', '.join(map(repr, unknown))} is not a site format; "
            f"formats are {', '.join(SITE_FORMATS)}"
        )
    if "html" not in formats:
        raise UsageError("--formats must include html: every decision has its page")
    return tuple(name for name in DOCUMENT_FORMATS if name in formats)


def guard_site(site: Path, config: Config) -> None:
    """Refuse a site folder that could publish what must not be (:class:`RecordError`): one that is,
    holds or is inside the repository's records or templates, a symbolic link, or a folder holding
    a ``confidential/`` folder anywhere (Part 2 outputs: a deploy copies the folder whole)."""
    shown = display_path(site)
    if site.is_symlink():
        raise RecordError(f"{shown} is a symbolic link; the site is built only into a real folder")
    if site.exists() and not site.is_dir():
        raise RecordError(f"{shown} is not a folder")
    where = site.resolve()
    root = config.root.resolve()
    kept = [
        config.records_dir.resolve(),
        *(folder.resolve() for folder in config.template_dirs[:-1]),
    ]
    # The site may be inside the repository (build/site), but never be it, hold it, or be inside
    # its records or templates: a build removes what it wrote before, and indexes what is there.
    if root.is_relative_to(where) or any(
        where.is_relative_to(folder) or folder.is_relative_to(where) for folder in kept
    ):
        raise RecordError(
            f"{shown}: the site is built into a folder of its own, not into the repository, its "
            "records or its templates; choose another --out"
        )
    if not site.is_dir():
        return
    for here, folders, files in os.walk(site):
        for name in (*folders, *files):
            if name == CONFIDENTIAL_DIR:
                found = display_path(Path(here) / name)
                raise RecordError(
                    f"{found}: Part 2 outputs are kept in confidential/ folders, and the public "
                    f"site is never built where one is; move it out of {shown}, or choose another "
                    "--out"
                )


class _Build:
    """One build of the site (see :func:`publish`)."""

    def __init__(
        self,
        config: Config,
        site: Path,
        documents: tuple[str, ...],
        base: str | None,
        search: bool,
        jobs: int | None,
        today: date | None,
    ) -> None:
        self.config = config
        self.site = site
        self.documents = documents
        self.base = base
        self.search = search
        self.jobs = jobs
        self.today = today
        self.folders = template_folders(config)
        self.templates = Templates(
            self.folders,
            autoescape=lambda name: name is not None and name.endswith((".html.j2", ".xml.j2")),
        )
        self.before = read_manifest(site)
        self.after = Manifest()
        self.written: list[str] = []
        self.kept = 0
        self.notices: list[str] = []
        #: Approved decisions the site carries, with their record files (for --mark-published).
        self.approved: list[tuple[Path, PublicDecision]] = []
        self._checked_dirs: set[Path] = set()
        #: Files of the search index the indexer removed (it owns pagefind/).
        self.removed_by_index: list[str] = []
        #: The folders of decisions/ that the site carries.
        self.stems: frozenset[str] = frozenset()
        #: Each public record's appendices: (label, file as the record names it, or empty).
        self.appendix_files: dict[Path, list[tuple[str, str]]] = {}

    # -- what the site carries -------------------------------------------------------------------

    def run(self) -> PublishResult:
        """Build the site. When the build fails, or is stopped, the files it wrote are still
        recorded (with the records' facts as they were before), so that the next build removes
        those that do not belong, and checks every record that changed."""
        try:
            return self._run()
        except BaseException:
            partial = Manifest(
                {**self.before.files, **self.after.files}, self.before.records, self.before.context
            )
            with contextlib.suppress(OSError):
                write_manifest(self.site, partial)
            raise

    def _roster(self) -> bytes:
        """The roster's bytes: the keys a signature is checked against (a key added, or one
        whose validity ends, changes what the checks find in unchanged records)."""
        try:
            return read_regular_file(self.config.root / ROSTER_FILE, MAX_ROSTER_BYTES)
        except (OSError, ValueError):
            return b""

    def _run(self) -> PublishResult:
        # Due dates count bank holidays: a new release of the holidays package can move them.
        facts_context = digest(
            VERSION,
            metadata.version("holidays"),
            self.config.model_dump_json(),
            self._roster(),
            "facts",
        )
        self.after.context = facts_context
        reuse = self.before.context == facts_context
        decisions: list[tuple[Path, str, PublicDecision]] = []
        changed: list[tuple[Path, Record]] = []
        for path in (
            record_files(self.config.records_dir) if self.config.records_dir.is_dir() else ()
        ):
            name = self._record_name(path)
            try:
                content = read_regular_file(path, MAX_BYTES, root=self.config.root)
            except (OSError, ValueError):
                content = b""  # load_record says what is wrong with it
            sha = digest(content)
            known = self.before.records.get(name) if reuse else None
            facts: dict[str, Any] | None = None
            if known is not None and known[0] == sha:
                facts = known[1]
            else:
                record = load_record(path)
                if is_public(record, self.config):
                    facts = _facts(record, self.config)
                    changed.append((path, record))
                else:
                    facts = {"public": False}
            self.after.records[name] = (sha, facts)
            if facts.get("public"):
                try:
                    decision = PublicDecision.from_row(facts)
                except (KeyError, TypeError, ValueError):
                    # A manifest that was tampered with, or is damaged: read the record itself.
                    record = load_record(path)
                    facts = _facts(record, self.config)
                    decision = PublicDecision.from_row(facts)
                    self.after.records[name] = (sha, facts)
                    changed.append((path, record))
                decisions.append((path, sha, decision))
                self.appendix_files[path] = _appendix_files(facts)
        self._check([path for path, _ in changed])
        self._refuse_shared_addresses(decisions)
        self.stems = frozenset(decision.stem for _, _, decision in decisions)
        self.approved = [
            (path, decision)
            for path, _, decision in decisions
            if decision.status == Status.APPROVED
        ]
        newest_first = sorted(
            (decision for _, _, decision in decisions),
            key=lambda decision: (decision.decided, decision.number),
            reverse=True,
        )
        info = SiteInfo(
            organisation=self.config.organisation.name,
            board=self.config.board.name,
            search=self.search,
            feed=self.base is not None,
            licence=self.config.publication.licence,
        )
        self.pages_context = digest(
            VERSION,
            self.config.model_dump_json(),
            self._templates_digest(),
            self.base or "",
            repr(self.search),
        )
        records = dict(changed)
        document_tasks: list[tuple[Path, str, str, str]] = []
        for path, sha, decision in decisions:
            self._decision_files(path, sha, decision, info, records, document_tasks)
        self._render_documents(document_tasks)
        self._register(newest_first, info)
        self._data(decisions, newest_first, info)
        self._assets()
        removed = self._remove_stale()
        if self.search:
            self._index(bool(self.written or removed))
        else:
            self.removed_by_index += remove_index(self.site)
        try:
            write_manifest(self.site, self.after)
        except OSError as error:
            raise RecordError(
                f"cannot write {display_path(manifest_path(self.site))}, the record of what the "
                f"site was made from, beside it: {error.strerror or error}; choose an --out "
                "whose parent folder you can write"
            ) from None
        return PublishResult(
            self.site,
            len(decisions),
            sorted(self.written),
            sorted([*removed, *self.removed_by_index]),
            self.kept,
            self.notices,
            changed_records=len(changed),
        )

    def _record_name(self, path: Path) -> str:
        try:
            return path.resolve().relative_to(self.config.root.resolve()).as_posix()
        except ValueError:
            return path.as_posix()

    def _check(self, paths: list[Path]) -> None:
        """Refuse the build when a record it publishes has errors, or Part 2 content in Part 1."""
        if not paths:
            return
        result = validate(paths, config=self.config, today=self.today, jobs=self.jobs)
        leaks = [finding for finding in result.findings if finding.code in PART2_LEAKS]
        if result.errors or leaks:
            raise RenderRefused(
                result,
                outcome="not published",
                advice="fix them; the public site carries no record with errors",
            )

    def _refuse_shared_addresses(self, decisions: list[tuple[Path, str, PublicDecision]]) -> None:
        seen: dict[str, tuple[Path, str]] = {}
        for path, _, decision in decisions:
            first = seen.setdefault(decision.stem, (path, decision.number))
            if first[0] != path:
                raise RecordError(
                    f"{display_path(first[0])} ({first[1]!r}) and {display_path(path)} "
                    f"({decision.number!r}) would both be published at decisions/{decision.stem}/; "
                    "give them numbers that make different addresses"
                )

    def _templates_digest(self) -> str:
        """A digest of every template file the pages could use: a changed template remakes them."""
        parts: list[str | bytes] = []
        for folder in self.folders:
            if not folder.is_dir():
                continue
            for where, folders, files in os.walk(folder):
                folders[:] = sorted(name for name in folders if name != CONFIDENTIAL_DIR)
                for name in sorted(files):
                    path = Path(where) / name
                    if path.is_symlink() or not path.is_file():
                        continue
                    parts += [path.relative_to(folder).as_posix(), path.read_bytes()]
        return digest(*parts)

    # -- writing ---------------------------------------------------------------------------------

    def _put(self, name: str, content: bytes, source: str | None = None) -> None:
        """Write ``content`` to the site file ``name`` when it differs from what is there."""
        sha = digest(content)
        source = source if source is not None else sha
        made = self.before.files.get(name)
        target = self._target(name)
        kept = unchanged(self.site, name, made.source, self.before) if made is not None else None
        if kept is not None and kept.sha256 == sha:
            self.after.files[name] = Made(source, sha, kept.size, kept.mtime_ns)
            self.kept += 1
            return
        try:
            write_bytes_atomic(target, content, durable=False)
        except OSError as error:
            raise RecordError(
                f"cannot write {display_path(target)}: {error.strerror or error}"
            ) from None
        self._made(name, target, source, sha)

    def _made(self, name: str, target: Path, source: str, sha: str) -> None:
        """Record in the manifest the file ``name`` just written at ``target``."""
        status = target.lstat()
        self.after.files[name] = Made(source, sha, status.st_size, status.st_mtime_ns)
        self.written.append(name)

    def _keep(self, name: str, source: str) -> bool:
        """Whether ``name`` is as the last build made it from ``source`` (so it is kept as it is)."""
        made = unchanged(self.site, name, source, self.before)
        if made is None:
            return False
        self.after.files[name] = made
        self.kept += 1
        return True

    def _target(self, name: str) -> Path:
        """The file ``name`` of the site, its folders made; never through a symbolic link (each
        folder on the way is looked at before it is used or made)."""
        pure = site_path(name)
        if pure is None:
            raise RecordError(f"{name!r} is not a path inside the site")
        target = self.site.joinpath(*pure.parts)
        if target.parent not in self._checked_dirs:
            self._real_folders(pure, make=True)
            self._checked_dirs.add(target.parent)
        return target

    def _real_folders(self, pure: PurePosixPath, *, make: bool) -> bool:
        """Whether every folder of the site on the way to ``pure`` is a real folder (made where
        missing, with ``make``); :class:`RecordError` for one that is a symbolic link."""
        self.site.mkdir(parents=True, exist_ok=True)
        here = self.site
        for part in pure.parts[:-1]:
            here = here / part
            if here.is_symlink():
                raise RecordError(
                    f"{display_path(here)} is a symbolic link; jmb writes and removes files of "
                    "the site only in real folders: remove the link"
                )
            if not here.exists():
                if not make:
                    return False
                here.mkdir()
        return True

    def _page(self, template: str, name: str, **context: Any) -> bytes:
        depth = len(PurePosixPath(name).parts) - 1
        root = "../" * depth
        canonical = ""
        if self.base is not None:
            address = name[: -len("index.html")] if name.endswith("index.html") else name
            canonical = self.base + address
        page = self.templates.render(
            template,
            root=root,
            canonical=canonical,
            long_date=long_date,
            exempt_under=exempt_under,
            **context,
        )
        _check_policy(template, page)
        return page.encode("utf-8")

    # -- the pages -------------------------------------------------------------------------------

    def _decision_files(
        self,
        path: Path,
        sha: str,
        decision: PublicDecision,
        info: SiteInfo,
        records: dict[Path, Record],
        tasks: list[tuple[Path, str, str, str]],
    ) -> None:
        folder = f"decisions/{decision.stem}"
        page = f"{folder}/index.html"
        source = digest(self.pages_context, sha, "page", ",".join(self.documents))
        appendix_links = self._appendices(path, folder)
        if not self._keep(page, digest(source, *appendix_links)):
            record = records.get(path) or load_record(path)
            view = public_view(record, self.config)
            documents = [
                (label, f"{decision.stem}-part1.{suffix}")
                for suffix, label in (("pdf", "PDF"), ("docx", "Word"))
                if suffix in self.documents
            ]
            self._put(
                page,
                self._page(
                    "site/decision.html.j2",
                    page,
                    site=info,
                    view=view,
                    decision=decision,
                    documents=documents,
                    appendices=_appendix_list(view, appendix_links),
                ),
                digest(source, *appendix_links),
            )
        for suffix in self.documents:
            name = f"{folder}/{decision.stem}-part1.{suffix}"
            if not self._keep(name, digest(self.pages_context, sha, suffix)):
                tasks.append((path, sha, name, suffix))

    def _appendices(self, path: Path, folder: str) -> list[str]:
        """Copy the decision's appendix files beside its page (read each build: a file changes
        without its record changing); their names in the site, in the record's order (empty for
        an appendix with no file). The name is made from the label and the file's extension, never
        from the rest of the name, which could be anything."""
        links: list[str] = []
        for label, file in self.appendix_files.get(path, ()):
            if not file:
                links.append("")
                continue
            where = locate_appendix(path, file, self.config.root)
            if where.path is None:
                raise RecordError(
                    f"{display_path(path)}: appendix {label}'s file {where.outside}; run jmb validate"
                )
            source = where.path
            extension = Path(file).suffix.lower()
            suffix = extension if re.fullmatch(r"\.[a-z0-9]{1,8}", extension) else ""
            name = f"{folder}/appendix-{label}{suffix}"
            try:
                content = read_regular_file(source, MAX_APPENDIX_BYTES, root=self.config.root)
            except (OSError, ValueError) as error:
                raise RecordError(
                    f"{display_path(path)}: appendix {label}'s file cannot be published: "
                    f"{getattr(error, 'strerror', None) or error}"
                ) from None
            self._put(name, content)
            links.append(name.rsplit("/", 1)[1])
        return links

    def _render_documents(self, tasks: list[tuple[Path, str, str, str]]) -> None:
        """The decisions' Part 1 as PDF and Word files, beside their pages, made across the cores
        (:func:`~jmb.render.renderer.render_part1_files`, which writes each whole or not at all)."""
        files = [
            Part1File(path, self._target(name), "pdf" if suffix == "pdf" else "docx")
            for path, _, name, suffix in tasks
        ]
        render_part1_files(files, self.config, jobs=self.jobs)
        for (_, sha, name, suffix), file in zip(tasks, files, strict=True):
            made = digest(file.output.read_bytes())
            self._made(name, file.output, digest(self.pages_context, sha, suffix), made)

    def _register(self, newest_first: list[PublicDecision], info: SiteInfo) -> None:
        years: dict[int, list[PublicDecision]] = {}
        for decision in newest_first:
            years.setdefault(decision.year, []).append(decision)
        counts = [(year, len(listed)) for year, listed in sorted(years.items(), reverse=True)]
        newest = counts[0][0] if counts else None
        self._put(
            "index.html",
            self._page(
                "site/register.html.j2",
                "index.html",
                current="register",
                site=info,
                year=newest,
                home=True,
                years=counts,
                decisions=years.get(newest, []) if newest is not None else [],
            ),
        )
        for year, listed in years.items():
            name = f"{year}/index.html"
            self._put(
                name,
                self._page(
                    "site/register.html.j2",
                    name,
                    current="register",
                    site=info,
                    year=year,
                    home=False,
                    years=counts,
                    decisions=listed,
                ),
            )
        if self.search:
            self._put(
                "search/index.html",
                self._page(
                    "site/search.html.j2",
                    "search/index.html",
                    current="search",
                    site=info,
                    years=counts,
                ),
            )

    def _data(
        self,
        decisions: list[tuple[Path, str, PublicDecision]],
        newest_first: list[PublicDecision],
        info: SiteInfo,
    ) -> None:
        in_order = [decision for _, _, decision in decisions]
        table = rows(in_order, Links(self.base or "../"), frozenset(self.documents))
        self._put("data/decisions.csv", decisions_csv(table))
        self._put("data/decisions.json", decisions_json(table))
        self._put("data/datapackage.json", datapackage(self.config))
        if self.base is None:
            self.notices.append(
                "no feed.xml or sitemap.xml: they need absolute addresses; set [publication] "
                "base_url in jmb.toml, or give --base-url"
            )
            return
        newest = newest_first[:FEED_SIZE]
        updated = max((decision.latest for decision in newest), default=None)
        self._put(
            "data/feed.xml",
            _well_formed(
                "site/feed.xml.j2",
                self.templates.render(
                    "site/feed.xml.j2",
                    site=info,
                    base=self.base,
                    decisions=newest,
                    updated=updated,
                    links=Links(self.base),
                ),
            ),
        )
        pages = ["", *(f"{year}/" for year in sorted({d.year for d in newest_first}))]
        pages += [
            f"decisions/{decision.stem}/" for decision in sorted(newest_first, key=lambda d: d.stem)
        ]
        if self.search:
            pages.append("search/")
        self._put(
            "sitemap.xml",
            self.templates.render("site/sitemap.xml.j2", base=self.base, pages=pages).encode(
                "utf-8"
            ),
        )

    def _assets(self) -> None:
        """Copy the site's static files (``site/assets/`` of the template folders, the repository's
        winning by name) to ``assets/``."""
        names: set[str] = set()
        for folder in self.folders:
            assets = folder / "site" / "assets"
            if assets.is_dir() and not assets.is_symlink():
                names.update(
                    entry.name
                    for entry in assets.iterdir()
                    if entry.is_file() and not entry.is_symlink()
                )
        for name in sorted(names):
            found = self.templates.file(f"site/assets/{name}", self.folders)
            if found is None:
                continue
            self._put(f"assets/{name}", read_regular_file(found, MAX_APPENDIX_BYTES))

    def _remove_stale(self) -> list[str]:
        gone = stale(self.before, self.after.files)
        folders: set[Path] = set()
        for name in gone:
            pure = site_path(name)
            if (
                pure is None
                or pure.parts[0] == BUNDLE_DIR
                or not self._real_folders(pure, make=False)
            ):
                continue
            target = self.site.joinpath(*pure.parts)
            try:
                if target.is_file() or target.is_symlink():
                    target.unlink()
            except OSError as error:
                raise RecordError(
                    f"cannot remove {display_path(target)}: {error.strerror or error}"
                ) from None
            folders.update(target.parents)
        for folder in sorted(folders, key=lambda path: len(path.parts), reverse=True):
            if folder.is_relative_to(self.site) and folder != self.site:
                with contextlib.suppress(OSError):  # not empty: something else is there
                    folder.rmdir()
        return gone

    def _index(self, changed: bool) -> None:
        """The search index, made again when a page changed (it rewrites only files that differ)."""
        if changed or not (self.site / BUNDLE_DIR).is_dir():
            index = index_site(self.site, only=self.stems)
            self.written += list(index.written)
            self.removed_by_index += list(index.removed)


#: What a page's Content-Security-Policy may allow: the site's own files, ``data:`` images, and
#: WebAssembly (Pagefind's search); nothing from elsewhere.
_ALLOWED_SOURCES = frozenset({"'self'", "'none'", "data:", "'wasm-unsafe-eval'"})
_POLICY = re.compile(
    r'<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"', re.IGNORECASE
)


def _check_policy(template: str, page: str) -> None:
    """Refuse a page (a repository's template, say) whose policy is missing or lets it fetch from
    elsewhere: the site promises that no request leaves it."""
    found = _POLICY.search(page)
    directives = (
        [part.split() for part in found.group(1).split(";") if part.strip()] if found else []
    )
    named = {words[0] for words in directives if words}
    sources = {source for words in directives for source in words[1:]}
    if "default-src" not in named or not sources <= _ALLOWED_SOURCES:
        raise RecordError(
            f"{template}: every page of the site carries a Content-Security-Policy meta tag with "
            "default-src and no source but 'self', 'none', data: and 'wasm-unsafe-eval': no "
            "request may leave the site"
        )


def _well_formed(template: str, text: str) -> bytes:
    """``text`` as bytes, when it is well-formed XML: a feed reader drops a feed that is not (a
    control character in the office's name would do it), so it is never published."""
    try:
        ElementTree.fromstring(text.encode("utf-8"))
    except ElementTree.ParseError as error:
        raise RecordError(
            f"{template} made XML that is not well-formed ({error}); check the text in jmb.toml "
            "and the template"
        ) from None
    return text.encode("utf-8")


def _facts(record: Record, config: Config) -> dict[str, Any]:
    """What the manifest keeps of a public record: its public facts and its appendices' files."""
    decision = public_decision(record, public_view(record, config), config)
    appendices = [[appendix.label, appendix.file or ""] for appendix in record.appendices or ()]
    return {"public": True, **decision.as_row(), "appendices": appendices}


def _appendix_files(facts: dict[str, Any]) -> list[tuple[str, str]]:
    found = facts.get("appendices")
    if not isinstance(found, list):
        return []
    return [
        (item[0], item[1])
        for item in found
        if isinstance(item, list)
        and len(item) == 2
        and all(isinstance(part, str) for part in item)
        and re.fullmatch(LABEL_SHAPE, item[0])
    ]


def _appendix_list(view: Part1View, links: Sequence[str]) -> list[tuple[str, str, str]]:
    """Each appendix as (label, title, file name in the decision's folder, or empty)."""
    return [
        (appendix.label, appendix.title, link)
        for appendix, link in zip(
            view.appendices, (*links, *[""] * len(view.appendices)), strict=False
        )
    ]
