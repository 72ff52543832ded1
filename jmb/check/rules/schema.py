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
from jmb.core.names import closest, did_you_mean, known_keys, plain_message
from jmb.core.typed_dates import typed_date
from jmb.record.document import FieldPath
from jmb.record.model import APPENDIX_LABEL, Record, meant_label


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


def misspelt_fields(context: RecordContext) -> frozenset[FieldPath]:
    """The fields that are missing because their key is misspelt: for each unknown key whose "did
    you mean" names a field its mapping lacks, that field. JMB006 reports the misspelt key; the
    same mistake is not also a missing field or a missing section. Found once a record, and only
    when asked (a record with a field missing)."""
    found = context.memo.get("misspelt_fields")
    if found is None:
        found = context.memo["misspelt_fields"] = frozenset(_misspelt(context.data, ()))
    return frozenset(found)


def is_misspelt(context: RecordContext, path: FieldPath) -> bool:
    """Whether the field at ``path``, or a mapping it is in, is missing because its key is
    misspelt (see :func:`misspelt_fields`)."""
    misspelt = misspelt_fields(context)
    return bool(misspelt) and any(path[:length] in misspelt for length in range(1, len(path) + 1))


def _misspelt(mapping: dict[str, Any], path: FieldPath) -> Iterator[FieldPath]:
    known = known_keys(Record, path)
    if not known:
        return  # not a mapping of the record format (or one whose keys are free)
    for key, value in mapping.items():
        if key not in known:
            meant = closest(str(key), known)
            if meant is not None and meant not in mapping:
                yield (*path, meant)
        elif isinstance(value, dict):
            yield from _misspelt(value, (*path, key))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, dict):
                    yield from _misspelt(item, (*path, key, index))


def _classify(context: RecordContext, detail: Any) -> tuple[Rule, Problem] | None:
    loc: tuple[int | str, ...] = tuple(detail["loc"])
    kind = detail["type"]
    name = loc[-1] if loc else ""
    if kind == "missing":
        if is_misspelt(context, loc):
            return None  # the misspelt key is reported, with "did you mean" this field
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
    if kind == "string_pattern_mismatch" and detail["ctx"]["pattern"] == APPENDIX_LABEL:
        return wrong_type, Problem(loc, _label_message(detail["input"]))
    message = plain_message(detail["msg"], mapping="a mapping of fields")
    if kind.startswith(("date_", "datetime_")):
        meant = meant_date(detail.get("input"))
        example = f", e.g. {meant.isoformat()}" if meant is not None else ""
        message += f"; write dates as YYYY-MM-DD{example}"
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
    elif (quoted := _quoted(shown)) is not None:
        message += f" (found {quoted})"
    return wrong_type, Problem(loc, message)


def _quoted(value: object) -> str | None:
    """``value`` as a finding quotes what was found (``'Appendix A'``); ``None`` for a value that is
    not a plain one or is too long to quote on the finding's line."""
    if isinstance(value, str | int | float | bool) and len(repr(value)) <= 60:
        return repr(value)
    return None


def _label_message(written: str) -> str:
    """What is wrong with an appendix label, in the words of the form, and the label it is meant
    to be when there is one ("Appendix B" and "b" are B)."""
    message = 'an appendix label is up to three capital letters or digits, as in "Appendix B"'
    quoted = _quoted(written)
    if quoted is None:
        return message
    meant = meant_label(written)
    return (
        f"{message} (found {quoted}; write {meant!r})" if meant else f"{message} (found {quoted})"
    )


_READS_AS = {
    int: "a number",
    float: "a number",
    date: "a date",
    datetime: "a date and time",
}


def meant_date(value: object) -> date | None:
    """The date ``value`` was typed as (12/06/2026, 12 June 2026, 2026-6-12), reading day first as
    UK offices write; ``None`` when it is not one, so that no message invents a date."""
    if not isinstance(value, str) or len(value) > 40:
        return None
    return typed_date(value)
