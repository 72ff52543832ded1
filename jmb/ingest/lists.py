"""Typed list markers ("1.", "a)", "(ii)", "•"), which Word and PDF forms share with typed text."""

from __future__ import annotations

import re

# A typed list marker at the start of a paragraph, and what follows it. Numbers and letters are
# numbered items; roman numerals of two letters or more ("ii", "iv") sit one level below letters
# (a lone "i", "v" or "x" is read as a letter: it follows "h", "u" or "w" more often than not).
_TYPED_MARKER = re.compile(
    r"^\s*(?:"
    r"(?P<number>\d{1,3})[.)]"
    r"|\((?P<pnumber>\d{1,3})\)"
    r"|(?P<roman>(?:iii|ii|iv|viii|vii|vi|ix))[.)]"
    r"|\((?P<proman>(?:iii|ii|iv|viii|vii|vi|ix))\)"
    r"|(?P<letter>[a-z])[.)]"
    r"|\((?P<pletter>[a-z])\)"
    r"|(?P<bullet>[•·▪◦‣●○■□\u2013\-*])"
    r")\s+(?P<text>\S.*)$",
    re.DOTALL,
)


def typed_list_item(text: str) -> tuple[str, bool, int] | None:
    """The text after a typed list marker, whether it is numbered, and its depth; None if none.

    "1. Enter into" and "(2) Enter" are numbered at depth 0, "a) Risks" at depth 1, "ii. Legal"
    at depth 2, "• Approve" a bullet at depth 0.
    """
    match = _TYPED_MARKER.match(text)
    if match is None:
        return None
    rest = match["text"].strip()
    if match["bullet"]:
        return rest, False, 0
    if match["number"] or match["pnumber"]:
        return rest, True, 0
    if match["roman"] or match["proman"]:
        return rest, True, 2
    return rest, True, 1
