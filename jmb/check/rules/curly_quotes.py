"""A value is written in typographic (curly) quotes, as Word's autocorrect makes them.

``title: “Single online home”`` looks quoted, but YAML knows only the straight quotes ``"`` and ``'``:
it reads the curly ones as part of the text, so the title is published with them, and a date or a
status in curly quotes is not read as one. Use straight quotes, or none. Only a value that starts
with an opening curly quote and ends with the matching closing one is reported, and only when no
other quote of the kind stands between them: a quoted phrase inside a sentence is prose, and so is a
sentence that starts with a quotation and goes on after it. Curly quotes inside straight ones
(``title: "“Single Online Home”"``) or in a block (``|``) are the writer's choice, and pass.

A colon inside curly quotes (``title: “Decision: single online home”``) makes the file fail to
parse; that is JMB001, whose message then says the quotes are the cause.
"""

from __future__ import annotations

from collections.abc import Iterator

from yaml.nodes import ScalarNode

from jmb.check.rules.base import Problem, RecordContext
from jmb.core.findings import Severity
from jmb.record.document import CURLY_OPENING, CURLY_QUOTES_ADVICE, FieldPath

ID = "JMB014"
NAME = "curly-quotes"
SEVERITY = Severity.WARNING
SINCE = "0.2.0"
SCOPE = "record"
SUPPRESSIBLE = True

_DOUBLE = "\u201c\u201d\u201e"
_SINGLE_OPENING = "\u2018\u201a"
# What closes each opening quote: English double and single quotes (U+201C U+201D, U+2018
# U+2019), and German low ones (U+201E closed by U+201C, U+201A by U+2018).
_CLOSES = {
    "\u201c": "\u201d",
    "\u2018": "\u2019",
    "\u201e": "\u201c\u201d",
    "\u201a": "\u2018\u2019",
}


def in_curly_quotes(value: str) -> bool:
    """Whether ``value`` is wholly in typographic quotes: it opens with one, closes with its match,
    and holds no other quote of the kind (an apostrophe, U+2019, inside single quotes is allowed)."""
    if len(value) < 2 or value[0] not in _CLOSES or value[-1] not in _CLOSES[value[0]]:
        return False
    inside = value[1:-1]
    others = _DOUBLE if value[0] in _DOUBLE else _SINGLE_OPENING
    return not any(char in others for char in inside)


def check(context: RecordContext) -> Iterator[Problem]:
    """Report each plain key or value wholly in curly quotes."""
    document = context.document
    text = document.text
    if text.isascii() or not any(quote in text for quote in CURLY_OPENING):
        return  # the cheap answer for almost every record
    scalars: list[tuple[FieldPath, ScalarNode, bool]] = [
        (path, node, at_key)
        for at_key, nodes in ((False, document.value_nodes), (True, document.key_nodes))
        for path, node in nodes.items()
        if isinstance(node, ScalarNode)
    ]
    for path, node, at_key in sorted(scalars, key=lambda scalar: scalar[1].start_mark.index):
        # Quoted and block text keeps what is written: curly quotes there are the writer's choice.
        if node.style in (None, "") and isinstance(node.value, str) and in_curly_quotes(node.value):
            what = "key" if at_key else "value"
            yield Problem(
                path,
                f"the {what} is in {CURLY_QUOTES_ADVICE}",
                at=(node.start_mark.line + 1, node.start_mark.column + 1),
            )
