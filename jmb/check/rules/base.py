"""What a rule sees: one record's data, positions and configuration, with safe typed accessors.

Rules run on the plain data even when the record has schema errors, so one ``jmb validate`` shows every
problem at once. Every accessor therefore returns ``None`` (or nothing) for a value of the wrong type,
and leaves the type error to the schema rules.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any, Protocol

from jmb.core.findings import Finding, Severity
from jmb.core.names import dotted
from jmb.record.confidential import in_part2, withhold
from jmb.record.document import Document, FieldPath
from jmb.record.model import SUBMITTED_OR_LATER, Status, record_date
from jmb.repo.config import Config


class Rule(Protocol):
    """A rule module: a stable ID, its metadata, and (for record rules) a check.

    The module's docstring is the rule's user documentation, shown by ``jmb rules CODE``.
    """

    __doc__: str | None
    ID: str
    NAME: str
    SEVERITY: Severity
    SINCE: str
    #: ``load`` (reported while the file is read), ``schema`` (the format version and the pydantic
    #: pass), ``record`` (a ``check`` of one record) or ``repository`` (across records).
    SCOPE: str
    #: ``False`` for the rules no suppression comment can silence.
    SUPPRESSIBLE: bool


class RecordRule(Rule, Protocol):
    """A rule that looks at one record at a time."""

    def check(self, context: RecordContext) -> Iterator[Problem]: ...


@dataclass(frozen=True, slots=True)
class Problem:
    """What a rule found, before the checker gives it the rule's code and a place in the file.

    ``offset`` points into the text of the field, for findings inside a long section.
    """

    path: FieldPath
    message: str
    offset: int | None = None
    #: Overrides the rule's severity (completeness findings are warnings on drafts).
    severity: Severity | None = None
    #: Point at the field's key rather than its value (an unknown key is the key's fault).
    at_key: bool = False
    #: Point at this 1-based line and column of the file (a character between fields).
    at: tuple[int, int] | None = None


#: The top-level fields that hold prose a reader sees, where content rules look. Identifiers (number,
#: status, file paths, references) are not prose.
_HEADER_PROSE = ("title", "report_by", "executive_summary")
_REPORT_PROSE = ("background", "plan_links", "consultation")
_IMPLICATIONS = ("risks", "legal", "financial", "equality")


@dataclass
class RecordContext:
    """One record under check."""

    document: Document
    config: Config
    today: date
    #: The record file on disk (``document.path`` is how it is displayed).
    file: Path
    #: What rules compute once a record and share (for example the appendices mentioned).
    memo: dict[str, Any] = field(default_factory=dict)

    @property
    def data(self) -> dict[str, Any]:
        """The record's plain data (empty when it could not be read)."""
        return self.document.data if isinstance(self.document.data, dict) else {}

    def get(self, path: FieldPath) -> Any:
        """The raw value at ``path``, or ``None`` where any step is missing or of the wrong type."""
        value: Any = self.data
        for part in path:
            if isinstance(part, int):
                if not isinstance(value, list) or part >= len(value):
                    return None
            elif not isinstance(value, dict):
                return None
            value = value[part] if isinstance(part, int) else value.get(part)
        return value

    def text(self, path: FieldPath) -> str | None:
        """The string at ``path``, or ``None``."""
        value = self.get(path)
        return value if isinstance(value, str) else None

    def mappings(self, key: str) -> Iterator[tuple[int, dict[str, Any]]]:
        """The entries of the top-level list ``key`` that are mappings, with their indexes."""
        value = self.data.get(key)
        if isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, dict):
                    yield index, item

    @cached_property
    def status(self) -> Status | None:
        """The record's status, when it is a known one."""
        return Status.parse(self.data.get("status"))

    @cached_property
    def decision_date(self) -> date | None:
        """The record's ``date``, when it is a date."""
        return as_date(self.data.get("date"))

    @property
    def completeness_severity(self) -> Severity:
        """Errors once a record is submitted or later; warnings while it is a draft."""
        return Severity.ERROR if self.status in SUBMITTED_OR_LATER else Severity.WARNING

    @cached_property
    def prose(self) -> tuple[tuple[FieldPath, str], ...]:
        """Every prose string of the record, with its path, in the order of the form (several
        rules read it, so it is gathered once)."""
        found: list[tuple[FieldPath, str]] = []
        data = self.data

        def add(path: FieldPath, value: Any) -> None:
            if isinstance(value, str):
                found.append((path, value))

        for name in _HEADER_PROSE:
            add((name,), data.get(name))
        recommendation = data.get("recommendation")
        if isinstance(recommendation, dict):
            add(("recommendation", "lead"), recommendation.get("lead"))
            items = recommendation.get("items")
            for index, item in enumerate(items if isinstance(items, list) else ()):
                add(("recommendation", "items", index), item)
        for name in _REPORT_PROSE:
            add((name,), data.get(name))
        implications = data.get("implications")
        if isinstance(implications, dict):
            for name in _IMPLICATIONS:
                add(("implications", name), implications.get(name))
        for key in ("background_papers", "appendices"):
            for index, item in self.mappings(key):
                add((key, index, "title"), item.get("title"))
        part2 = data.get("part2")
        if isinstance(part2, dict):
            add(("part2", "exemption"), part2.get("exemption"))
            sections = part2.get("sections")
            for index, section in enumerate(sections if isinstance(sections, list) else ()):
                if isinstance(section, dict):
                    add(("part2", "sections", index, "heading"), section.get("heading"))
                    add(("part2", "sections", index, "text"), section.get("text"))
        return tuple(found)

    @cached_property
    def prose_lowered(self) -> str:
        """All the prose in lower case, one string: a cheap first look for rules whose expression
        would be slow to run on every field of a record that has nothing to find."""
        return "\n".join(text for _, text in self.prose).lower()

    def to_finding(self, rule: Rule, problem: Problem) -> Finding:
        """The finding ``rule`` makes of ``problem``, placed in the file."""
        if problem.at is not None:
            line, column = problem.at
        elif problem.at_key and self.document.key_line(problem.path):
            line, column = self.document.key_position(problem.path)
        elif problem.offset is None:
            line, column = self.document.position(problem.path)
        else:
            line, column = self.document.text_position(problem.path, problem.offset)
        finding = Finding(
            self.document.path,
            line,
            column,
            rule.ID,
            problem.severity or rule.SEVERITY,
            dotted(problem.path),
            problem.message,
        )
        # A finding on a Part 2 field names the field and the rule, never the text.
        return withhold(finding, summary(rule)) if in_part2(finding.field) else finding


def as_date(value: Any) -> date | None:
    """``value`` as a date: a YAML date, or a quoted ``YYYY-MM-DD``, exactly as the schema reads a
    date (:func:`jmb.record.model.record_date`); ``None`` for anything else, a date and time, a
    number or ``2019-6-1`` included."""
    return record_date(value)


def is_blank(value: Any) -> bool:
    """True for a missing, null, blank-string or empty-list value."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list | dict):
        return not value
    return False


def awaiting_signature(item: dict[str, Any]) -> bool:
    """A signature entry that names its role and nothing else: a line left for the signatory, as
    on the paper form. Before approval it is what a record waits for, not a defect."""
    return not is_blank(item.get("role")) and all(
        is_blank(value) for key, value in item.items() if key != "role"
    )


def signatory(role: object, index: int) -> str:
    """How a message names whoever signed entry ``index`` of ``signatures``: by the role written,
    or, for an entry without one (which JMB005 reports), as "signatory of entry 2", so that "the
    {signatory}'s signature" reads as English either way (it read "the signature 2's
    signature")."""
    return role if isinstance(role, str) and role else f"signatory of entry {index + 1}"


def summary(rule: Rule) -> str:
    """The first clause of the rule's documentation, as a message says it: what the rule finds,
    without the examples (``"placeholder or template text left in the record"``)."""
    known = _SUMMARIES.get(rule.ID)
    if known is None:
        known = _SUMMARIES[rule.ID] = _summary(rule)
    return known


_SUMMARIES: dict[str, str] = {}


def documentation(rule: Rule) -> str:
    """The rule's documentation as plain text, as ``jmb rules`` prints it: the docstring without
    the reStructuredText marks of code (````title```` and ```title``` read ``title``)."""
    return _plain((rule.__doc__ or rule.NAME).strip())


def headline(rule: Rule) -> str:
    """The first paragraph of the rule's documentation, on one line, as plain text."""
    return " ".join(documentation(rule).split("\n\n")[0].split())


def _plain(text: str) -> str:
    return _CODE.sub(lambda match: match.group(1) or match.group(2), text)


# Inline code in a docstring: ``code`` (across a line break too), or `code`.
_CODE = re.compile(r"``(.+?)``|`([^`]+)`", re.DOTALL)


def _summary(rule: Rule) -> str:
    paragraph = " ".join((rule.__doc__ or rule.NAME).strip().split("\n\n")[0].split())
    # Cut at the first full stop or colon that is not inside ``code``.
    outside = re.sub(r"``[^`]*``", lambda match: "x" * len(match.group()), paragraph)
    cut = re.search(r"[.:](?:\s|$)", outside)
    text = paragraph[: cut.start() if cut else len(paragraph)].replace("``", "")
    # "Placeholder ..." reads "placeholder ..." after a field name; a name stays ("Part 2 ...").
    first, _, rest = text.partition(" ")
    keep = (not first[1:].islower() and len(first) > 1) or rest[:1].isdigit()
    return text if keep else text[:1].lower() + text[1:]


def quote(text: str, limit: int = 60) -> str:
    """``text`` on one line, cut to ``limit`` characters, in double quotes."""
    flat = " ".join(text.split())
    if len(flat) > limit:
        flat = flat[: limit - 1].rstrip() + "…"
    return f'"{flat}"'
