"""Text from records and file names made safe to print: control characters shown, never obeyed.

A record is written by whoever has commit access, and its text reaches terminals, CI logs and
annotations through findings, ``jmb verify``'s lines and error messages. A name ending in ``ESC[8m``
would hide the rest of a report; a right-to-left override (U+202E) would make a line read backwards.
:func:`printable` shows each such character as an escape (``\\x1b``, ``\\u202e``) instead.
"""

from __future__ import annotations

import re

# C0 (newline apart: see printable), DEL and C1; the bidirectional controls (embeddings, overrides,
# isolates, marks, the Arabic letter mark); the line and paragraph separators, which end a line for
# some readers; and lone surrogates, which are how Python carries the bytes of a file name that is not
# UTF-8 (they cannot even be written to a UTF-8 stream).
_CONTROLS = (
    "\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
    "\ud800-\udfff"
)
_UNSAFE = re.compile(f"[{_CONTROLS}]")
_UNSAFE_OR_NEWLINE = re.compile(f"[{_CONTROLS}\n]")

_SHORT = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}

#: The format characters and fillers that show as nothing (the zero-width space and joiners, the
#: soft hyphen, the byte order mark, the Hangul fillers, the tag characters), which libyaml lets
#: into a file: JMB012 reports them in a record, and a field's name is printed with them escaped,
#: so that a key "ti\u200btle" is not shown as "title" beside "did you mean 'title'?".
HIDDEN = (
    "\u00ad\u061c\u115f\u1160\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\u3164"
    "\ufeff\ufff9-\ufffb\uffa0\U000e0001\U000e0020-\U000e007f"
)
_UNSAFE_OR_HIDDEN = re.compile(f"[{_CONTROLS}\n{HIDDEN}]")


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if char in _SHORT:
        return _SHORT[char]
    if 0xDC80 <= code <= 0xDCFF:  # a byte of a file name that is not UTF-8 (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    if code > 0xFFFF:  # a tag character: \U and eight digits, as Python and YAML write it
        return f"\\U{code:08x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str, *, keep_newlines: bool = False) -> str:
    """``text`` with every control character escaped (``\\x1b``, ``\\t``, ``\\u202e``; a byte of a
    file name that is not UTF-8 as ``\\xff``). Newlines are escaped too, unless ``keep_newlines``
    (for a text of several lines whose lines are each made safe where they are built)."""
    pattern = _UNSAFE if keep_newlines else _UNSAFE_OR_NEWLINE
    return pattern.sub(_escape, text)


def visible_name(name: str) -> str:
    """A field's name (``ti\\u200btle``, ``appendices[0].label``) with every control character and
    every character that shows as nothing escaped: a name is read character by character."""
    return _UNSAFE_OR_HIDDEN.sub(_escape, name)


#: What JSON leaves as it is (``ensure_ascii=False``) but a terminal may obey: DEL, C1, the bidi
#: controls, the line separators. JSON encoders escape C0 already.
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def json_safe(encoded: str) -> str:
    """JSON text (from :func:`json.dumps` with ``ensure_ascii=False``) made safe to print and valid
    UTF-8: the characters a terminal may obey become ``\\u`` escapes (the same string once decoded),
    and a lone surrogate, which no UTF-8 JSON can carry, becomes the text ``\\xff`` shown for the byte
    of a file name that is not UTF-8. These characters appear only inside strings, where an escape
    is always allowed."""
    encoded = _JSON_UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", encoded)
    return _SURROGATE.sub(lambda match: "\\" + _escape(match), encoded)
