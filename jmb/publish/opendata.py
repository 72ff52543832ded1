"""The register as open data: ``decisions.csv`` (RFC 4180), ``decisions.json`` with the same rows, and
``datapackage.json``, which describes the CSV as a Frictionless Table Schema.

One table of columns (:data:`COLUMNS`) makes all three, so the CSV, the JSON and the schema that
describes them cannot disagree. Every value is a Part 1 fact of a :class:`PublicDecision`.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from jmb.core.printable import json_safe
from jmb.publish.public import PublicDecision
from jmb.repo.config import Config
from jmb.repo.numbering import slugify


@dataclass(frozen=True)
class Links:
    """How the data files address the site: absolute with a base URL, else relative to the site's
    root (the data folder's readers resolve them against where they found the file)."""

    base: str

    def page(self, decision: PublicDecision) -> str:
        """The decision's permanent address."""
        return f"{self.base}decisions/{decision.stem}/"

    def document(self, decision: PublicDecision, suffix: str) -> str:
        """The address of the decision's Part 1 as a file (``pdf``, ``docx``)."""
        return f"{self.page(decision)}{decision.stem}-part1.{suffix}"


@dataclass(frozen=True)
class Column:
    """A column of the open data: its name, its Frictionless type and description, and its value."""

    name: str
    type: str
    description: str
    value: Callable[[PublicDecision, Links, frozenset[str]], str | bool | None]
    required: bool = False


def _day(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


COLUMNS: tuple[Column, ...] = (
    Column("number", "string", "The decision's number.", lambda d, _, __: d.number, True),
    Column(
        "url", "string", "The decision's permanent page.", lambda d, links, _: links.page(d), True
    ),
    Column("title", "string", "The decision's title.", lambda d, _, __: d.title, True),
    Column(
        "summary",
        "string",
        "The executive summary; paragraphs are separated by a blank line.",
        lambda d, _, __: "\n\n".join(d.summary),
    ),
    Column(
        "decision_maker",
        "string",
        "Who signed the decision, 'Name (Role)', separated by '; '.",
        lambda d, _, __: "; ".join(d.decision_makers),
    ),
    Column("board", "string", "The board that considered it.", lambda d, _, __: d.board),
    Column(
        "date_decided", "date", "The date of the decision.", lambda d, _, __: _day(d.decided), True
    ),
    Column(
        "date_due",
        "date",
        "The last day for publishing Part 1: the configured number of working days after approval.",
        lambda d, _, __: _day(d.due),
    ),
    Column(
        "date_published", "date", "When Part 1 was published.", lambda d, _, __: _day(d.published)
    ),
    Column(
        "status",
        "string",
        "approved, published, withdrawn or rejected.",
        lambda d, _, __: d.status,
        True,
    ),
    Column(
        "part2_exists",
        "boolean",
        "Whether a confidential Part 2 exists (its content is never published).",
        lambda d, _, __: d.has_part2,
        True,
    ),
    Column(
        "exemption",
        "string",
        "The Freedom of Information Act exemption the Part 2 relies on.",
        lambda d, _, __: d.exemption or None,
    ),
    Column(
        "review_date",
        "date",
        "When the Part 2 exemption is to be reviewed.",
        lambda d, _, __: _day(d.review_on),
    ),
    Column(
        "pdf_url",
        "string",
        "The Part 1 as PDF, when the site has it.",
        lambda d, links, formats: links.document(d, "pdf") if "pdf" in formats else None,
    ),
    Column(
        "html_url",
        "string",
        "The Part 1 as a web page.",
        lambda d, links, _: f"{links.page(d)}index.html",
        True,
    ),
)


def rows(
    decisions: Sequence[PublicDecision], links: Links, formats: frozenset[str]
) -> list[dict[str, str | bool | None]]:
    """One row a decision, in the order given, each a dict of :data:`COLUMNS`."""
    return [
        {column.name: column.value(decision, links, formats) for column in COLUMNS}
        for decision in decisions
    ]


def decisions_csv(table: list[dict[str, str | bool | None]]) -> bytes:
    """RFC 4180: a header row, CRLF line ends, fields quoted where they must be, UTF-8; an empty
    field for no value, ``true``/``false`` for booleans."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([column.name for column in COLUMNS])
    for row in table:
        writer.writerow([_csv_value(row[column.name]) for column in COLUMNS])
    return buffer.getvalue().encode("utf-8")


def _csv_value(value: str | bool | None) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def decisions_json(table: list[dict[str, str | bool | None]]) -> bytes:
    """The rows as a JSON array (``null`` for no value)."""
    return (json_safe(json.dumps(table, indent=1, ensure_ascii=False)) + "\n").encode("utf-8")


def datapackage(config: Config) -> bytes:
    """``datapackage.json``: the CSV described as a Frictionless tabular data resource, with its
    primary key and licence."""
    organisation = config.organisation.name
    licence = config.publication.licence
    package: dict[str, Any] = {
        "profile": "tabular-data-package",
        "name": f"{slugify(organisation, limit=80) or 'office'}-decisions",
        "title": f"{organisation}: register of decisions",
        "description": (
            "Decisions of "
            f"{config.board.name}, Part 1 only: the public record of each decision, as published."
        ),
        "licenses": [{"name": licence.name, "title": licence.title, "path": licence.path}],
        "resources": [
            {
                "name": "decisions",
                "path": "decisions.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "dialect": {"delimiter": ",", "lineTerminator": "\r\n", "header": True},
                "schema": {
                    "fields": [_field(column) for column in COLUMNS],
                    "primaryKey": ["number"],
                    "missingValues": [""],
                },
            }
        ],
    }
    text = json.dumps(package, indent=2, ensure_ascii=False)
    return (json_safe(text) + "\n").encode("utf-8")


def _field(column: Column) -> dict[str, Any]:
    described: dict[str, Any] = {
        "name": column.name,
        "type": column.type,
        "description": column.description,
    }
    if column.type == "date":
        described["format"] = "default"
    if column.type == "boolean":
        described["trueValues"] = ["true"]
        described["falseValues"] = ["false"]
    if column.required:
        described["constraints"] = {"required": True}
    if column.name == "number":
        described["constraints"] = {"required": True, "unique": True}
    return described
