"""``jmb render``'s core: records to the public Part 1 and the confidential Part 2, in four formats.

One :class:`Renderer` serves a whole batch (one template environment, one stylesheet), so rendering a
thousand records costs one process. A batch of Part 1 PDFs or Word files, which take a tenth of a
second and more each, is spread over the machine's cores (:func:`render_part1_files`). Part 1 is
rendered from a :class:`~jmb.render.views.Part1View`, which has no room for Part 2 content; see
:mod:`jmb.render.views`.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal, NamedTuple, NoReturn

from pydantic import ValidationError

from jmb.check.engine import validate
from jmb.check.result import ValidationResult
from jmb.check.rules import part2_alias, part2_in_part1
from jmb.core.atomic import PRIVATE_FILE, private_folder, write_bytes_atomic
from jmb.core.constants import CONFIDENTIAL_DIR
from jmb.core.errors import RecordError, RefusedError, UsageError
from jmb.core.paths import display_path
from jmb.core.processes import map_in_processes, usable_cores
from jmb.core.templating import Templates
from jmb.record.confidential import in_part2
from jmb.record.document import read_document
from jmb.record.model import Record
from jmb.render.clock import record_clock
from jmb.render.docx import WORD_BASE, build_docx
from jmb.render.markdown import (
    escape_for_markdown,
    markdown_blocks,
    markdown_inlines,
    markdown_url,
)
from jmb.render.part1 import Part1View, part1_view
from jmb.render.part2 import Part2View, has_part2, part2_view
from jmb.render.views import map_text
from jmb.repo.config import Config
from jmb.repo.numbering import number_stem
from jmb.repo.records import NumberLine, find_records, number_lines, record_files
from jmb.repo.wording import approved_on, wording_changes

#: The findings of Part 2 content in Part 1, which no render goes ahead with, draft or not.
PART2_LEAKS = frozenset({part2_alias.ID, part2_in_part1.ID})

Format = Literal["html", "pdf", "docx", "md"]
FORMATS: tuple[Format, ...] = ("html", "pdf", "docx", "md")
#: The formats slow enough (a tenth of a second a record and more) that a batch of them is worth
#: spreading over processes; HTML and Markdown take a millisecond or two, less than starting one.
WORTH_PROCESSES: frozenset[Format] = frozenset({"pdf", "docx"})


class RenderRefused(RefusedError):
    """Records with errors are not rendered (unless as drafts); the findings say why.

    A refused Part 1 does not show the findings on Part 2 fields at all (they name a field and a
    rule, never the text, but a Part 1 render is run by people and in places that have no business
    with Part 2): it says how many there are, and ``jmb validate`` shows them."""

    def __init__(
        self,
        result: ValidationResult,
        *,
        part: int = 1,
        outcome: str = "not rendered",
        advice: str = "fix them, or render with --draft",
    ) -> None:
        self.result = result
        records = len({finding.path for finding in result.findings if finding.severity == "error"})
        noun = "record has" if records == 1 else "records have"
        shown = result.findings
        message = f"{outcome}: {records} {noun} errors; {advice}"
        if part == 1:
            shown = [finding for finding in result.findings if not in_part2(finding.field)]
            withheld = len(result.findings) - len(shown)
            if withheld:
                message += (
                    f"; {withheld} finding{'' if withheld == 1 else 's'} in Part 2 not shown: "
                    "run jmb validate"
                )
        super().__init__(message, shown)


@dataclass(frozen=True)
class RenderResult:
    """The files written, in the order of the records, and what the user should know of them."""

    written: list[Path]
    #: One sentence each, for the user to read (the command line prints them as warnings).
    warnings: list[str] = field(default_factory=list)


def render(
    refs: Sequence[str] = (),
    *,
    config: Config,
    part: Literal[1, 2] = 1,
    fmt: Format | Literal["all"] = "html",
    out: Path | None = None,
    draft: bool = False,
    all_records: bool = False,
    today: date | None = None,
    jobs: int | None = None,
) -> RenderResult:
    """Render the records named by ``refs`` (numbers or paths), or every record with ``all_records``.

    A record with errors is refused with its findings (:class:`RenderRefused`) unless ``draft``;
    drafts, and anything not yet approved, carry a "DRAFT - not approved" banner. ``fmt`` ``all``
    renders every format of :data:`FORMATS`, each record's files in that order. Files are written
    as ``<number>-part<part>.<format>``: Part 1 into ``out`` (by default ``build/`` of the
    repository), Part 2 into its ``confidential/`` folder, mode 0700, each file 0600. Several Part 1
    PDFs or Word files are made in up to ``jobs`` processes (default: one a core; see
    :func:`render_part1_files`); everything else in this one.
    """
    if not refs and not all_records:
        raise UsageError(
            "name the records to render (a number such as 2019/09, or a path), or --all"
        )
    # Named records are looked up among the repository's numbers, and must not replace the
    # outputs of the others (see _outputs).
    in_repository = [] if all_records else number_lines(config.records_dir)
    files = resolve(refs, config, all_records=all_records, in_repository=in_repository)
    # Every record at once is the repository-wide check; named records are compared with the rest.
    result = validate(() if all_records else files, config=config, today=today, jobs=1)
    leaks = [finding for finding in result.findings if finding.code in PART2_LEAKS]
    if (result.errors and not draft) or leaks:
        # Part 2 content in Part 1 is refused even for a draft: a draft is still published to
        # someone.
        raise RenderRefused(result, part=part)
    records = [(path, load_record(path)) for path in files]
    if part == 2:
        if all_records:
            records = [(path, record) for path, record in records if has_part2(record)]
        for path, record in records:
            if not has_part2(record):
                raise RecordError(f"{display_path(path)}: decision {record.number} has no Part 2")
    renderer = Renderer(config)
    target = out if out is not None else config.root / "build"
    if part == 2:
        target = confidential_folder(target)
    written = []
    warnings = []
    for source, record in records:
        changed = wording_changes(record, config, part=part)
        if changed:
            when = approved_on(record)
            on = f" on {when.isoformat()}" if when is not None else ""
            warnings.append(
                f"{display_path(source)}: the wording in jmb.toml has changed since decision "
                f"{record.number} was approved{on}: {'; '.join(changed)}"
            )
    formats: tuple[Format, ...] = FORMATS if fmt == "all" else (fmt,)
    # Each record's files together, in the order of FORMATS (every format's outputs are of the
    # same records, in the same order).
    by_format = [_outputs(records, in_repository, target, part, each) for each in formats]
    outputs: list[tuple[Path, Path, Record, Format]] = [
        (path, source, record, each)
        for same_record in zip(*(list(paths.items()) for paths in by_format), strict=True)
        for each, (path, (source, record)) in zip(formats, same_record, strict=True)
    ]
    if part == 1 and sum(output[3] in WORTH_PROCESSES for output in outputs) > 1 and jobs != 1:
        # The workers read each record again: a millisecond, next to a tenth of a second a file.
        tasks = [Part1File(source, path, each) for path, source, _, each in outputs]
        return RenderResult(render_part1_files(tasks, config, jobs=jobs, draft=draft), warnings)
    # A record's files are all made before any is written, so that one that cannot be made (a
    # reference.docx that is no Word document, say) leaves none of that record's formats behind.
    for _, same_record in itertools.groupby(outputs, key=lambda output: id(output[2])):
        made: list[tuple[Path, bytes]] = []
        for path, _, record, each in same_record:
            view: Part1View | Part2View = (
                part1_view(record, config, draft=draft)
                if part == 1
                else part2_view(record, config, draft=draft)
            )
            made.append((path, renderer.render(view, each)))
        for path, content in made:
            _write(path, content, private=part == 2)
            written.append(path)
    return RenderResult(written, warnings)


def _write(path: Path, content: bytes, *, private: bool = False) -> None:
    """Write a rendered file whole or not at all (0600 when ``private``); :class:`RecordError` when
    it cannot be."""
    try:
        write_bytes_atomic(path, content, durable=False, mode=PRIVATE_FILE if private else None)
    except OSError as error:
        raise RecordError(f"cannot write {path}: {error.strerror or error}") from None


def _outputs(
    records: list[tuple[Path, Record]],
    in_repository: Sequence[NumberLine],
    target: Path,
    part: int,
    fmt: Format,
) -> dict[Path, tuple[Path, Record]]:
    """The file each record is written to. Two records are never written to one file, not even
    drafts (the second would replace the first): :class:`RecordError`, before anything is written,
    when two of ``records``, or one of them and another record of the repository (of those
    ``in_repository``), have numbers that make the same file name (``2019/09`` and ``2019-09``)."""
    outputs: dict[Path, tuple[Path, Record]] = {}
    for source, record in records:
        output = target / f"{number_stem(record.number)}-part{part}.{fmt}"
        first = outputs.setdefault(output, (source, record))
        if not _same_file(first[0], source):
            _refuse(output, (first[0], first[1].number), (source, record.number))
    stems = {number_stem(record.number): (source, record.number) for source, record in records}
    for other in in_repository:
        rendered = stems.get(number_stem(other.number))
        if rendered is not None and not _same_file(rendered[0], other.path):
            output = target / f"{number_stem(other.number)}-part{part}.{fmt}"
            _refuse(output, rendered, (other.path, other.number))
    return outputs


def _same_file(one: Path, other: Path) -> bool:
    return one == other or os.path.realpath(one) == os.path.realpath(other)


def _refuse(output: Path, first: tuple[Path, str], second: tuple[Path, str]) -> NoReturn:
    raise RecordError(
        f"{display_path(output)}: {display_path(first[0])} ({first[1]!r}) and "
        f"{display_path(second[0])} ({second[1]!r}) would both be written to it; "
        "give them numbers that make different file names"
    )


def confidential_folder(out: Path) -> Path:
    """``out/confidential``, made a private folder (0700, see :func:`private_folder`): where Part 2
    goes whatever ``--out`` says, so that a folder published whole never carries it readable.

    Refused (:class:`RecordError`) when it is a symbolic link, which could lead Part 2 anywhere (into
    the public Part 1 folder, say), or is not a folder."""
    folder = out / CONFIDENTIAL_DIR
    shown = display_path(folder)
    if folder.is_symlink():
        raise RecordError(
            f"{shown} is a symbolic link; Part 2 is written only into a real folder: remove the "
            "link, or choose another --out"
        )
    if folder.exists() and not folder.is_dir():
        raise RecordError(f"{shown} is not a folder; Part 2 is written into {shown}/")
    try:
        private_folder(folder)
    except OSError as error:
        raise RecordError(f"cannot make {shown} private: {error.strerror or error}") from None
    return folder


def resolve(
    refs: Sequence[str],
    config: Config,
    *,
    all_records: bool = False,
    in_repository: Sequence[NumberLine] | None = None,
) -> list[Path]:
    """The record files named by ``refs``: paths as they are, numbers looked up under ``records/``
    (among the numbers ``in_repository``, when the caller has read them already)."""
    if all_records:
        return list(record_files(config.records_dir)) if config.records_dir.is_dir() else []
    return find_records(config.records_dir, refs, in_repository)


def load_record(path: Path) -> Record:
    """The typed record in ``path``; a record whose shape is wrong cannot be rendered, even as a draft."""
    document = read_document(path, display_path(path))
    if not isinstance(document.data, dict):
        raise RecordError(f"{document.path}: cannot be read as a record; run jmb validate")
    try:
        return Record.model_validate({"jmb": 1, **document.data})
    except ValidationError:
        raise RecordError(
            f"{document.path}: cannot be rendered, even as a draft, until its fields have the "
            "right shape; run jmb validate"
        ) from None


def template_folders(config: Config) -> tuple[Path, ...]:
    """The folders templates are looked up in: the repository's overrides, then jmb's own."""
    return tuple(folder.resolve() for folder in config.template_dirs)


class Renderer:
    """Renders views with one template environment: the repository's templates, then jmb's."""

    def __init__(self, config: Config) -> None:
        self.folders = template_folders(config)
        # Record text is data: HTML templates escape every value; Markdown gets an escaped view.
        self.templates = Templates(
            self.folders, autoescape=lambda name: name is not None and ".html" in name
        )
        # Section text reaches a template as blocks (jmb.render.blocks); Markdown templates write
        # them with these (HTML ones with the macros of text.html.j2).
        self.templates.environment.filters.update(
            markdown_blocks=markdown_blocks,
            markdown_inlines=markdown_inlines,
            markdown_url=markdown_url,
        )
        self._stylesheet: str | None = None
        #: The office's page margins (of PDF and Word), and as CSS.
        self.margins = config.render.margins
        self.page_margins = self.margins.css

    def render(self, view: Part1View | Part2View, fmt: Format) -> bytes:
        """The file content of ``view`` in ``fmt``."""
        if fmt == "html":
            return self.html(view).encode("utf-8")
        if fmt == "md":
            return self.templates.render(
                f"part{view.part}.md.j2",
                withhold_values=view.part == 2,
                view=map_text(view, escape_for_markdown),
            ).encode("utf-8")
        if fmt == "pdf":
            return self.pdf(view)
        if fmt == "docx":
            return build_docx(view, self._word_base(), self.margins)
        raise UsageError(f"unknown format {fmt!r}; formats are {', '.join(FORMATS)}")

    def html(self, view: Part1View | Part2View) -> str:
        """One self-contained HTML file: the stylesheet inlined, nothing fetched."""
        if self._stylesheet is None:
            self._stylesheet = self.templates.source("style.css")
        return self.templates.render(
            f"part{view.part}.html.j2",
            # A failing Part 2 template is reported without the values it met: they are Part 2's.
            withhold_values=view.part == 2,
            view=view,
            stylesheet=self._stylesheet,
            page_margins=self.page_margins,
        )

    def pdf(self, view: Part1View | Part2View) -> bytes:
        """A tagged PDF (PDF/UA-1: language, title, structure tree) made from the HTML by WeasyPrint."""
        import weasyprint

        document = weasyprint.HTML(
            string=self.html(view),
            # Relative URLs in templates (a logo) are the repository's override folder's, if it has
            # one, else jmb's own.
            base_url=next(
                folder for folder in (*self.folders, self.folders[-1]) if folder.is_dir()
            ).as_uri()
            + "/",
            url_fetcher=_confined_fetcher(self.folders),
        )
        # The same record makes the same bytes in any process, at any time (see jmb.render.clock).
        with record_clock(date.fromisoformat(view.header.date_iso)):
            pdf: bytes = document.write_pdf(pdf_variant="pdf/ua-1")
        return pdf

    def _word_base(self) -> Path | None:
        """The Word document whose styles, page set-up, headers and footers the Word output starts
        from, when the repository's template folder has one (``reference.docx``); jmb's own
        look otherwise. It is read as a template is: a symbolic link, or a file outside the
        folder, is refused (:class:`~jmb.core.templating.TemplateRefused`)."""
        return self.templates.file(WORD_BASE, self.folders[:-1])


def part2_html(renderer: Renderer, record: Record, config: Config, *, draft: bool) -> str | None:
    """The HTML ``jmb render --part 2`` makes of ``record`` (with ``draft``, as ``--draft`` does),
    or ``None`` when it has no Part 2. For the local preview (``jmb serve``), which may reach Part 2
    only through this module (the ``part2-readers`` import contract)."""
    if not has_part2(record):
        return None
    return renderer.html(part2_view(record, config, draft=draft))


def _confined_fetcher(folders: tuple[Path, ...]) -> Any:
    """WeasyPrint's fetcher, confined to files in the template folders (and ``data:`` URLs): a
    template cannot make a PDF depend on the network or on files elsewhere on the machine, nor
    embed (as an image or an attachment) a Part 2 output from a ``confidential/`` folder."""
    from urllib.parse import unquote, urlparse

    from weasyprint.urls import URLFetcher

    class ConfinedFetcher(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("data:"):
                return super().fetch(url, headers)
            if url.startswith("file:"):
                path = Path(unquote(urlparse(url).path)).resolve()
                if any(
                    path.is_relative_to(folder)
                    and CONFIDENTIAL_DIR not in path.relative_to(folder).parts
                    for folder in folders
                ):
                    return super().fetch(url, headers)
            raise ValueError(f"jmb fetches nothing outside its template folders: {url}")

    return ConfinedFetcher()


class Part1File(NamedTuple):
    """A Part 1 file to make: of the record in the file ``record``, written to ``output``, in ``fmt``."""

    record: Path
    output: Path
    fmt: Format


def render_part1_files(
    files: Sequence[Part1File | tuple[Path, Path, Format]],
    config: Config,
    *,
    jobs: int | None = None,
    draft: bool = False,
) -> list[Path]:
    """Make each Part 1 file of ``files``: its record read from its file, its Part 1 view rendered
    (as a draft with ``draft``) and written whole or not at all. Returns the outputs, in order.

    The records are not checked here: the caller refuses those that must not be rendered, as
    :func:`render` does. The files are made in up to ``jobs`` processes (default: one a core the
    process may use), each with its own :class:`Renderer`; in this process when ``jobs`` is 1 or
    there is one file. A failure is the :class:`~jmb.core.errors.JmbError` (:class:`RecordError`
    for a record that cannot be read or a file that cannot be written, say) of the first file, in
    order, that failed; the files before it are made, those after it may not be, and of the files
    of one record, next to each other in ``files``, none is written unless all could be made.
    After an error or
    Ctrl-C the files under way are finished and no more are started: see
    :mod:`jmb.core.processes`."""
    tasks = [Part1File(*file) for file in files]
    # Files of one record next to each other are one job: all made before any is written.
    jobs_of_records = [
        tuple(same_record) for _, same_record in itertools.groupby(tasks, key=lambda t: t.record)
    ]
    workers = min(jobs if jobs is not None else usable_cores(), len(jobs_of_records))
    if workers <= 1:
        maker = _Part1Maker(config, draft)
        return [path for job in jobs_of_records for path in maker.make(job)]
    if any(task.fmt == "pdf" for task in tasks):
        # Loaded once here (a second or so), not in every worker: they are forked with it.
        import weasyprint  # noqa: F401
    made = map_in_processes(
        _make_part1_files,
        jobs_of_records,
        jobs=workers,
        initializer=_start_part1_maker,
        initargs=(config, draft),
    )
    return [path for paths in made for path in paths]


class _Part1Maker:
    """Makes Part 1 files with one :class:`Renderer` (one a process)."""

    def __init__(self, config: Config, draft: bool) -> None:
        self.config = config
        self.draft = draft
        self.renderer = Renderer(config)

    def make(self, job: tuple[Part1File, ...]) -> list[Path]:
        """Make the files of ``job``, all of one record: each rendered before any is written."""
        view = part1_view(load_record(job[0].record), self.config, draft=self.draft)
        made = [(task.output, self.renderer.render(view, task.fmt)) for task in job]
        for output, content in made:
            _write(output, content)
        return [output for output, _ in made]


#: A worker's maker of Part 1 files (see render_part1_files).
_maker: _Part1Maker | None = None


def _start_part1_maker(config: Config, draft: bool) -> None:
    global _maker
    _maker = _Part1Maker(config, draft)


def _make_part1_files(job: tuple[Part1File, ...]) -> list[Path]:
    assert _maker is not None, "a worker making Part 1 files starts with _start_part1_maker"
    return _maker.make(job)
