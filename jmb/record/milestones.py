"""When a decision was approved and when it was published, read from the record itself.

The approval date is the date of the ``approved`` entry of the history (the last signature adds it),
else, for a record approved before jmb kept a history, the latest signature's date. The publication
date is the date of the ``published`` entry. Both come from the record alone, never from the clock,
so what is said of them (a late publication) is the same in every run.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date
from typing import Any

from jmb.record.model import Status, record_date


def _entries(data: Mapping[str, Any], key: str) -> Iterator[Mapping[str, Any]]:
    value = data.get(key)
    for item in value if isinstance(value, list) else ():
        if isinstance(item, Mapping):
            yield item


def _history_date(data: Mapping[str, Any], status: Status) -> date | None:
    found = [
        record_date(entry.get("date"))
        for entry in _entries(data, "history")
        if entry.get("status") == status
    ]
    known = [day for day in found if day is not None]
    return known[-1] if known else None


def approval_date(data: Mapping[str, Any]) -> date | None:
    """When the record was approved: its ``approved`` history entry, else its latest signature."""
    approved = _history_date(data, Status.APPROVED)
    if approved is not None:
        return approved
    signed = [record_date(entry.get("date")) for entry in _entries(data, "signatures")]
    known = [day for day in signed if day is not None]
    return max(known) if known else None


def publication_date(data: Mapping[str, Any]) -> date | None:
    """When the record was published: its ``published`` history entry, if it has one."""
    return _history_date(data, Status.PUBLISHED)
