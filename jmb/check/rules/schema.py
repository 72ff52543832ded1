"""The schema pass: record format 1's pydantic models applied to a record's plain data.

Not a rule itself: it runs once per record and sorts pydantic's errors into the three schema rules.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

from pydantic import ValidationError
from yaml.nodes import ScalarNode

from jmb.check.rules import missing_field, unknown_field, wrong_type
from jmb.check.rules.base import Problem, RecordContext, Rule
from jmb.core.names import did_you_mean, known_keys, plain_message
from jmb.record.model import Record


def schema_problems(context: RecordContext) -> Iterator[tuple[Rule, Problem]]:
    """Each schema error of the record, with the rule it belongs to."""
    data = context.data
    if "jmb" not in data:  # reported by JMB004; check the rest as format 1
        data = {**data, "jmb": 1}
    try:
        Record.model_validate(data)
    except ValidationError as error:
        refused = context.document.refused
        for detail in error.errors(include_url=False):
            if refused and tuple(detail["loc"]) in refused:
                continue  # the reader reported this value already (a tag, a date that is not one)
            classified = _classify(context, detail)
            if classified is not None:
                yield classified


def _classify(context: RecordContext, detail: Any) -> tuple[Rule, Problem] | None:
    loc: tuple[int | str, ...] = tuple(detail["loc"])
    kind = detail["type"]
    name = loc[-1] if loc else ""
    if kind == "missing":
        return missing_field, Problem(loc, "required field is missing")
    if kind == "extra_forbidden":
        hint = did_you_mean(str(name), known_keys(Record, loc[:-1]))
        return unknown_field, Problem(loc, f"unknown field{hint}", at_key=True)
    blank = isinstance(detail.get("input"), str) and not detail["input"].strip()
    if kind == "string_pattern_mismatch" and blank and isinstance(name, str):
        return missing_field, Problem(loc, "required field is empty")
    if detail.get("input") is None and isinstance(name, str):
        # Only required fields refuse null, so an empty required field is a missing one.
        return missing_field, Problem(loc, "required field is empty")
    if detail.get("input") is None and loc[:2] == ("recommendation", "items"):
        return None  # a blank recommendation: JMB102 reports it
    message = plain_message(detail["msg"], mapping="a mapping of fields")
    if kind.startswith(("date_", "datetime_")):
        message += "; write dates as YYYY-MM-DD"
    node = context.document.value_nodes.get(loc)
    shown = detail.get("input")
    if kind == "string_type" and isinstance(node, ScalarNode) and node.style in (None, ""):
        # YAML read the user's words as something else: say what they wrote, and the cure.
        reads_as = (
            str(shown).lower()
            if isinstance(shown, bool)
            else _READS_AS.get(type(shown), "something other than text")
        )
        message += f" (found {node.value!r}, which YAML reads as {reads_as}; put it in quotes)"
    elif isinstance(shown, str | int | float | bool) and len(repr(shown)) <= 60:
        message += f" (found {shown!r})"
    return wrong_type, Problem(loc, message)


_READS_AS = {
    int: "a number",
    float: "a number",
    date: "a date",
    datetime: "a date and time",
}
