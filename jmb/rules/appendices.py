"""Finding the appendices a record's text refers to: shared by the appendix rules."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from jmb.document import FieldPath
from jmb.rules.base import RecordContext

_LABEL = r"(?-i:[A-Z]{1,2}|\d{1,3})"
_MENTION = re.compile(
    rf"\bappendix\s+(?P<one>{_LABEL})\b"
    rf"|\bappendices\s+(?P<many>{_LABEL}(?:\s*(?:,|and|&|to|-|\u2013)\s*{_LABEL})*)\b",
    re.IGNORECASE,
)
_EACH_LABEL = re.compile(_LABEL)


@dataclass(frozen=True, slots=True)
class Mention:
    """ "Appendix <label>" in the text of a field."""

    label: str
    path: FieldPath
    offset: int


def mentions(context: RecordContext) -> Iterator[Mention]:
    """Every appendix mentioned in the record's prose, in file order."""
    for path, text in context.prose():
        if path[0] == "appendices":
            continue  # an appendix's own title does not refer to it
        for match in _MENTION.finditer(text):
            if match["one"]:
                yield Mention(match["one"], path, match.start())
            else:
                for label in _EACH_LABEL.findall(match["many"]):
                    yield Mention(label, path, match.start())


def listed(context: RecordContext) -> dict[str, int]:
    """The labels of the listed appendices, with their indexes."""
    return {
        item["label"]: index
        for index, item in context.mappings("appendices")
        if isinstance(item.get("label"), str)
    }
