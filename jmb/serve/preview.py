"""What ``jmb serve`` shows, as plain values: the register of the repository's records, and each
record's page, Part 1 or Part 2, with its findings.

Everything is read afresh from the repository when a page is asked for (a record page reads one
record; the register is kept until the repository changes, see :meth:`Preview.changed`), and nothing
is ever written. A record is named by its path under ``records/`` (``2019/2019-09-x.yaml``) and found
among the record files the repository has, never by joining a path the request gave: no request can
make it read a file that is not one of them.

A record page shows what ``jmb render`` would make: Part 1 as ``jmb render`` writes it, or as
``jmb render --draft`` does when the record has errors (the draft banner included); nothing when
``jmb render`` would refuse even a draft (Part 2 content in Part 1, fields of the wrong shape), and
the errors that stop a file being read (a YAML error mid-edit), where the preview was. The only
change to the renderer's HTML is an ``id`` on each heading a finding can point at.
"""

from __future__ import annotations

import contextlib
import html
import re
import threading
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal

from pydantic import ValidationError

from jmb.check.engine import check_record, validate
from jmb.check.rules.base import RecordContext
from jmb.core.constants import CONFIG_FILE
from jmb.core.errors import JmbError
from jmb.core.findings import Finding, Severity
from jmb.core.paths import display_path
from jmb.core.printable import printable
from jmb.record.confidential import in_part2
from jmb.record.document import read_document
from jmb.record.form import SECTIONS
from jmb.record.model import PART2_KEY, Record
from jmb.render.part1 import part1_view
from jmb.render.renderer import PART2_LEAKS, Renderer, part2_html
from jmb.repo.config import Config, load_config
from jmb.repo.records import scan_records
from jmb.repo.roster import ROSTER_FILE

Part = Literal[1, 2]

#: The anchor of a preview's ``<h1>``: where a finding on the number, title or date points.
TITLE_ANCHOR = "jmb-title"


@dataclass(frozen=True)
class ShownFinding:
    """A finding as a page lists it; ``anchor`` is the ``id`` in the preview of the heading of its
    field, or ``None`` where no heading of the preview is its field's."""

    line: int
    column: int
    code: str
    severity: str
    field: str
    message: str
    anchor: str | None = None


@dataclass(frozen=True)
class RegisterRow:
    """One record file in the register."""

    ref: str
    file: str
    number: str
    title: str
    status: str
    errors: int
    warnings: int
    #: Whether the file could be read as a record at all.
    readable: bool


@dataclass(frozen=True)
class Register:
    """Every record file of the repository, in path order; ``problem`` when none can be listed."""

    rows: tuple[RegisterRow, ...]
    problem: str = ""


@dataclass(frozen=True)
class RecordPage:
    """One record's page: its Part 1 or its Part 2 (``part``), previewed, with its findings."""

    ref: str
    part: Part
    file: str
    number: str
    title: str
    status: str
    #: The renderer's HTML of the part, an ``id`` added on headings; ``None`` when not previewed.
    preview: str | None
    #: Why there is no preview (empty when there is one).
    refusal: str
    #: The errors that stop the file being read (a YAML error mid-edit): shown where the preview was.
    load_errors: tuple[ShownFinding, ...]
    #: The findings on this part's fields.
    findings: tuple[ShownFinding, ...]
    #: How many findings are on the other part's fields (listed on its page).
    elsewhere: int
    has_part2: bool


class Preview:
    """The repository at ``root`` as ``jmb serve`` shows it."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._lock = threading.Lock()
        self._version = 0
        self._register: tuple[tuple[object, ...], Register] | None = None

    @property
    def version(self) -> int:
        """How many times the repository has been seen to change."""
        return self._version

    def changed(self) -> int:
        """Say that the repository changed (a file saved): the register is read again. Returns the
        new version."""
        with self._lock:
            self._version += 1
            return self._version

    def config(self) -> Config:
        """The repository's configuration, read now (:class:`JmbError` when ``jmb.toml`` is wrong)."""
        return load_config(self.root)

    def records(self, config: Config) -> dict[str, Path]:
        """Every record file of the repository, by its path under ``records/`` (see
        :func:`record_ref`)."""
        folder = config.records_dir
        if not folder.is_dir():
            return {}
        found: dict[str, Path] = {}
        for path in scan_records(folder).files:
            found.setdefault(record_ref(path, folder), path)
        return found

    def register(self, today: date | None = None) -> Register:
        """Every record with its number, title, status and finding counts (drafts included).

        Kept until the repository changes: a change the watch reports, or one it missed (a file
        system without events), seen in the sizes and times of the files it is made from."""
        today = today or date.today()
        key = (self._version, today, self._fingerprint())
        kept = self._register
        if kept is not None and kept[0] == key:
            return kept[1]
        register = self._read_register(today)
        with self._lock:
            self._register = (key, register)
        return register

    def _fingerprint(self) -> tuple[tuple[str, int, int, int], ...]:
        """The size, time and inode of each file the register is made from (a few milliseconds
        for thousands of records, against the seconds checking them takes)."""
        files = [self.root / CONFIG_FILE, self.root / ROSTER_FILE]
        with contextlib.suppress(JmbError):
            files.extend(self.records(self.config()).values())
        stamps = []
        for path in files:
            try:
                stat = path.stat()
            except OSError:
                stamps.append((str(path), -1, -1, -1))
                continue
            stamps.append((str(path), stat.st_mtime_ns, stat.st_size, stat.st_ino))
        return tuple(stamps)

    def _read_register(self, today: date) -> Register:
        try:
            config = self.config()
            files = self.records(config)
            # One process: forking a server's threads (the watcher's, the thread pool's) is unsafe.
            result = validate((), config=config, today=today, jobs=1, observe=register_facts)
        except JmbError as error:
            return Register((), str(error))
        facts = {file: (number, title, status) for file, number, title, status in result.observed}
        counts: Counter[tuple[str, str]] = Counter(
            (finding.path, str(finding.severity)) for finding in result.findings
        )
        rows = []
        for ref, path in files.items():
            shown = display_path(path)  # as the findings name it
            read = facts.get(str(path))
            number, title, status = read if read is not None else ("", "", "")
            rows.append(
                RegisterRow(
                    ref=ref,
                    file=printable(shown),
                    number=number,
                    title=title,
                    status=status,
                    errors=counts[(shown, Severity.ERROR.value)],
                    warnings=counts[(shown, Severity.WARNING.value)],
                    readable=read is not None,
                )
            )
        return Register(tuple(rows))

    def record_page(self, ref: str, part: Part, today: date | None = None) -> RecordPage | None:
        """The page of the record named ``ref`` (its path under ``records/``), Part 1 or Part 2;
        ``None`` when the repository has no such record file. :class:`JmbError` when ``jmb.toml``
        cannot be read."""
        config = self.config()
        path = self.records(config).get(ref)
        if path is None:
            return None
        shown = display_path(path)
        # A link that leads out of the repository is refused as jmb validate refuses it.
        document = read_document(path, shown, root=config.root)
        findings = check_record(document, path, config, today or date.today())
        data = document.data if isinstance(document.data, dict) else None
        mine = [finding for finding in findings if in_part2(finding.field) == (part == 2)]
        page = _Page(ref=ref, part=part, file=printable(shown), data=data or {})
        page.elsewhere = len(findings) - len(mine)
        page.has_part2 = data is not None and data.get(PART2_KEY) is not None
        if data is None:
            page.refusal = "This file cannot be read as a record, so there is nothing to preview."
            page.load_errors = [finding for finding in findings if finding.severity == "error"]
            mine = [finding for finding in mine if finding not in page.load_errors]
        else:
            page.render(findings, config)
        page.findings = [
            _shown(finding, page.anchor(_anchor_of(finding.field, data, config, part)))
            for finding in mine
        ]
        return page.done()


def record_ref(path: Path, folder: Path) -> str:
    """How a page names the record file ``path`` of the records ``folder``: its path under it
    (POSIX), printable (the bytes of a name that is not UTF-8 shown as ``\\xff``, so that every
    name can be written in a page and an address)."""
    return printable(path.relative_to(folder).as_posix())


def register_facts(context: RecordContext) -> list[tuple[str, str, str, str]]:
    """What the register lists of a record read by ``jmb validate``: its file, number, title and
    status (empty where not text). A function of this module, so that worker processes can run it."""
    data = context.data
    return [
        (
            str(context.file),
            _text(data.get("number")),
            _text(data.get("title")),
            _text(data.get("status")),
        )
    ]


def _text(value: Any) -> str:
    return " ".join(value.split()) if isinstance(value, str) else ""


class _Page:
    """A record page being made (see :meth:`Preview.record_page`)."""

    def __init__(self, *, ref: str, part: Part, file: str, data: dict[str, Any]) -> None:
        self.ref = ref
        self.part = part
        self.file = file
        self.data = data
        self.preview: str | None = None
        self.refusal = ""
        self.load_errors: list[Finding] = []
        self.findings: list[ShownFinding] = []
        self.elsewhere = 0
        self.has_part2 = False
        self._placed: set[str] = set()

    def render(self, findings: list[Finding], config: Config) -> None:
        """Make the preview as ``jmb render`` would (see the module), or say why there is none."""
        leaks = sorted({finding.code for finding in findings if finding.code in PART2_LEAKS})
        if leaks and self.part == 1:
            self.refusal = (
                f"Part 2 content is in Part 1 ({', '.join(leaks)}): Part 1 is not previewed, as "
                "jmb render does not render it, until that content is taken out."
            )
            return
        try:
            record = Record.model_validate({"jmb": 1, **self.data})
        except ValidationError:
            self.refusal = (
                "This record cannot be previewed, even as a draft, until its fields have the right "
                "shape: see the findings."
            )
            return
        draft = any(finding.severity == Severity.ERROR for finding in findings)
        try:
            # A new renderer each time: a template saved a moment ago is read again.
            renderer = Renderer(config)
            if self.part == 1:
                page = renderer.html(part1_view(record, config, draft=draft))
            else:
                rendered = part2_html(renderer, record, config, draft=draft)
                if rendered is None:
                    self.refusal = "This decision has no Part 2."
                    return
                page = rendered
        except JmbError as error:  # a template that fails, a template folder refused
            self.refusal = f"This record cannot be previewed: {error}"
            return
        self.preview, self._placed = (
            _part1_anchors(page, config) if self.part == 1 else _part2_anchors(page)
        )

    def anchor(self, name: str | None) -> str | None:
        """``name`` when the preview has an element of that ``id``, else ``None``: a finding links
        only to what is there (a repository's own template may print other headings)."""
        return name if name in self._placed else None

    def done(self) -> RecordPage:
        data = self.data
        return RecordPage(
            ref=self.ref,
            part=self.part,
            file=self.file,
            number=_text(data.get("number")),
            title=_text(data.get("title")),
            status=_text(data.get("status")),
            preview=self.preview,
            refusal=self.refusal,
            load_errors=tuple(_shown(finding, None) for finding in self.load_errors),
            findings=tuple(self.findings),
            elsewhere=self.elsewhere,
            has_part2=self.has_part2,
        )


def _shown(finding: Finding, anchor: str | None) -> ShownFinding:
    return ShownFinding(
        line=finding.line,
        column=finding.column,
        code=finding.code,
        severity=str(finding.severity),
        field=finding.field,
        message=finding.message,
        anchor=anchor,
    )


def section_anchor(key: str) -> str:
    """The ``id`` a preview gives the heading of the form's section ``key``."""
    return "jmb-" + re.sub(r"[^a-z0-9]+", "-", key.lower())


def _printed_key(key: str) -> str:
    """The section whose heading ``key`` is printed under: itself, or for a part not printed under
    a heading of its own (the recommendation's lead and items), its section."""
    row = SECTIONS[key]
    parent = row.parent
    if parent is not None and not SECTIONS[parent].in_report:
        return parent
    return key


def _anchor_of(field: str, data: dict[str, Any] | None, config: Config, part: Part) -> str | None:
    """The anchor of the heading a finding on ``field`` points at, if any."""
    if part == 2:
        section = re.match(rf"{PART2_KEY}\.sections\[(\d+)\]", field)
        if section is not None:
            return f"jmb-section-{int(section.group(1)) + 1}"
        return TITLE_ANCHOR if field else None
    top = re.split(r"[.\[]", field, maxsplit=1)[0]
    if top in ("number", "title", "date", "status", "board"):
        return TITLE_ANCHOR
    if top == "signatures":
        return section_anchor(_signature_block(field, data, config))
    key = re.sub(r"\[\d+\].*", "", field)
    while key:
        if key in SECTIONS:
            return section_anchor(_printed_key(key))
        key = key.rpartition(".")[0]
    return None


def _signature_block(field: str, data: dict[str, Any] | None, config: Config) -> str:
    """The block a signature is printed in: the declarations' for a declaring role."""
    index = re.match(r"signatures\[(\d+)\]", field)
    signatures = (data or {}).get("signatures")
    if index is not None and isinstance(signatures, list) and int(index.group(1)) < len(signatures):
        entry = signatures[int(index.group(1))]
        role = entry.get("role") if isinstance(entry, dict) else None
        for configured in config.signatures:
            if configured.role == role and configured.kind == "declaration":
                return "declaration_block"
    return "signature_block"


#: The elements of a rendered page that can carry a section's anchor: headings, the captions of the
#: signature tables, and the terms of the header's facts (the report's author); as the renderer writes them,
#: without attributes.
_ANCHORABLE = re.compile(r"<(h[1-6]|caption|dt)>(.*?)</\1>", re.DOTALL)


def _words(markup: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]*>", "", markup)).split())


def _part1_anchors(page: str, config: Config) -> tuple[str, set[str]]:
    """``page`` with an ``id`` on the first heading of each section's printed heading (and on the
    ``<h1>``), and the anchors placed."""
    form = config.printed_form
    by_words: dict[str, str] = {}
    for key, row in SECTIONS.items():
        if _printed_key(key) != key:
            continue
        heading = form.subheading(key) if row.parent is not None else form.heading(key)
        by_words.setdefault(" ".join(heading.split()), section_anchor(key))
    placed: set[str] = set()

    def anchor(match: re.Match[str]) -> str:
        tag, inner = match.group(1), match.group(2)
        name = TITLE_ANCHOR if tag == "h1" else by_words.get(_words(inner))
        if name is None or name in placed:
            return match.group(0)
        placed.add(name)
        return f'<{tag} id="{name}">{inner}</{tag}>'

    return _ANCHORABLE.sub(anchor, page), placed


def _part2_anchors(page: str) -> tuple[str, set[str]]:
    """``page`` (a Part 2) with an ``id`` on its ``<h1>`` and on each section's ``<h2>``, numbered
    from 1 in order, and the anchors placed."""
    placed: set[str] = set()
    sections = 0

    def anchor(match: re.Match[str]) -> str:
        nonlocal sections
        tag, inner = match.group(1), match.group(2)
        if tag == "h1" and TITLE_ANCHOR not in placed:
            name = TITLE_ANCHOR
        elif tag == "h2":
            sections += 1
            name = f"jmb-section-{sections}"
        else:
            return match.group(0)
        placed.add(name)
        return f'<{tag} id="{name}">{inner}</{tag}>'

    return _ANCHORABLE.sub(anchor, page), placed
