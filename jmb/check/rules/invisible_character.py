"""The record holds an invisible character: a bidi control, a zero-width character, a control code.

A right-to-left override (U+202E) makes the words after it display backwards, so a sentence can read
one way on screen and say another; a zero-width space (U+200B) or a soft hyphen (U+00AD) hides
inside a word, so the word no longer matches what it looks like (to a search, to a placeholder check,
to a comparison with Part 2); a control code written as an escape (``"\\e"``) can rewrite a terminal.
None of them is needed to write a decision: delete them. The finding names the character and where
it is, never the text around it.

The characters: the bidi controls (U+061C, U+200E, U+200F, U+202A-U+202E, U+2066-U+2069), the
zero-width and joining characters (U+200B-U+200D, U+2060-U+2064, U+FEFF other than a byte-order mark
at the start of the file), the other format characters that have no visible form (U+00AD, U+180E,
U+206A-U+206F, U+FFF9-U+FFFB, the tag characters U+E0001 and U+E0020-U+E007F), the Hangul fillers
(U+115F, U+1160, U+3164, U+FFA0), and the control codes other than tab and line feed. Format
characters that are visible signs in their scripts (the Arabic number signs, for one) are allowed.
An office whose records need a directional mark can silence the rule with a reason.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from typing import Any

from yaml.nodes import ScalarNode

from jmb.check.rules.base import Problem, RecordContext
from jmb.core.findings import Severity
from jmb.core.printable import HIDDEN

ID = "JMB012"
NAME = "invisible-character"
SEVERITY = Severity.ERROR
SINCE = "0.2.0"
SCOPE = "record"
SUPPRESSIBLE = True

# What libyaml lets into a file as it is written: the format characters and fillers.
_IN_SOURCE = re.compile(f"[{HIDDEN}]")
# A value can hold more, through the escapes of double-quoted text ("\e", "\x85"): control codes.
_IN_VALUE = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{HIDDEN}]")


def describe(character: str) -> str:
    """``U+202E RIGHT-TO-LEFT OVERRIDE``: a character by its code point and name."""
    name = unicodedata.name(character, "")
    return f"U+{ord(character):04X} {name}" if name else f"U+{ord(character):04X}, a control code"


def check(context: RecordContext) -> Iterator[Problem]:
    """Report each invisible character of a value or a key (once a value, where it first stands,
    with how many times it is there), and each one between values (in a comment, say)."""
    document = context.document
    text = document.text
    written = None if text.isascii() else _IN_SOURCE.search(text)
    escaped = "\\" in text
    if written is None and not escaped:
        return  # the cheap answer for almost every record: nothing written, nothing escaped
    # Each scalar once, under the field where it is written: a key written as an alias is the
    # anchored scalar again (JMB011 reports the alias), and its characters stand at the anchor.
    by_node: dict[int, tuple[int, int, tuple[str | int, ...], bool, ScalarNode]] = {}
    for at_key, nodes in ((False, document.value_nodes), (True, document.key_nodes)):
        for path, node in nodes.items():
            if isinstance(node, ScalarNode) and id(node) not in by_node:
                by_node[id(node)] = (*document.content_span(node), path, at_key, node)
    scalars = sorted(by_node.values(), key=lambda scalar: scalar[:2])
    starts = [start for start, *_ in scalars]
    # (path, at key, character): [count, where it first stands if it is written, not escaped]
    found: dict[tuple[tuple[str | int, ...], bool, str], list[Any]] = {}
    if written is not None:
        for match in _IN_SOURCE.finditer(text, written.start()):
            index = match.start()
            at = bisect.bisect_right(starts, index) - 1
            if at < 0 or index >= scalars[at][1]:
                yield Problem(
                    (),
                    f"{describe(match.group())}: an invisible character outside any value (in a "
                    "comment, say), which can make the line display as something it is not; "
                    "delete it",
                    at=document.index_position(index),
                )
                continue
            _, _, path, at_key, _ = scalars[at]
            entry = found.setdefault((path, at_key, match.group()), [0, None])
            entry[0] += 1
            entry[1] = entry[1] or document.index_position(index)
    if escaped:
        # A double-quoted value can hold what its text does not show: "\e", "\u200b".
        for start, end, path, at_key, node in scalars:
            if node.style != '"' or "\\" not in text[start:end]:
                continue
            # An escape has no place among the value's words (Document.text_position cannot
            # place it), so the finding points at the value, or at the key.
            counts = Counter(match.group() for match in _IN_VALUE.finditer(node.value))
            for character, count in counts.items():
                found.setdefault((path, at_key, character), [0, None])[0] = count
    for (path, at_key, character), (count, place) in found.items():
        where = "key" if at_key else "text"
        times = f" ({count} times in this {where})" if count > 1 else ""
        yield Problem(
            path,
            f"{describe(character)}{times}: an invisible character in the {where}, which can make "
            "it read differently from what it holds; delete it",
            at_key=at_key,
            at=place,
        )
