"""Finding the appendices a record's text refers to: shared by the appendix rules."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from jmb.check.rules.base import RecordContext
from jmb.record.document import FieldPath

# The same shape as the model's label: up to three capital letters or digits ("A", "B2", "12").
_LABEL = r"(?-i:[A-Z0-9]{1,3})"
_JOIN = r"\s*(?:,\s*(?:and\s+)?|and|&|to|-|\u2013)\s*"
# "Appendix A", "Appendices A and B", "Appendix D and E", "Appendices A to C", "Appendices 1-3".
_MENTION = re.compile(
    rf"\bappendi(?:x|ces)\s+(?P<labels>{_LABEL}(?:{_JOIN}{_LABEL})*)\b", re.IGNORECASE
)
_LABEL_OR_RANGE = re.compile(rf"(?P<first>{_LABEL})(?:\s*(?:to|-|\u2013)\s*(?P<last>{_LABEL}))?")


def _labels(listing: str) -> Iterator[str]:
    """The labels of "A, B and D to F": a range of single letters or of numbers is expanded."""
    for match in _LABEL_OR_RANGE.finditer(listing):
        first, last = match["first"], match["last"]
        if last is None:
            yield first
        elif first.isdigit() and last.isdigit() and int(first) <= int(last):
            yield from (str(number) for number in range(int(first), int(last) + 1))
        elif len(first) == len(last) == 1 and first.isalpha() and last.isalpha() and first <= last:
            yield from (chr(code) for code in range(ord(first), ord(last) + 1))
        else:
            yield from (first, last)


@dataclass(frozen=True, slots=True)
class Mention:
    """ "Appendix <label>" in the text of a field."""

    label: str
    path: FieldPath
    offset: int


def mentions(context: RecordContext) -> list[Mention]:
    """Every appendix mentioned in the record's prose, in file order (found once a record)."""
    found = context.memo.get("appendix-mentions")
    if found is None:
        found = context.memo["appendix-mentions"] = list(_find_mentions(context))
    return found


def _find_mentions(context: RecordContext) -> Iterator[Mention]:
    if "append" not in context.prose_lowered:
        return  # the expression is case-blind and slow; most records name no appendix
    for path, text in context.prose:
        if path[0] == "appendices":
            continue  # an appendix's own title does not refer to it
        if "ppend" not in text and "PPEND" not in text:
            continue  # and most sections of those that do, do not
        for match in _MENTION.finditer(text):
            for label in _labels(match["labels"]):
                yield Mention(label, path, match.start())


def listed(context: RecordContext) -> dict[str, int]:
    """The labels of the listed appendices, with their indexes."""
    return {
        item["label"]: index
        for index, item in context.mappings("appendices")
        if isinstance(item.get("label"), str)
    }
