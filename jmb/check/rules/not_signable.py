"""A record that reads well but that ``jmb sign`` and ``jmb status`` cannot edit in place.

``jmb sign`` and ``jmb status`` change only the characters they mean to (a signature's values, the
status, a new history entry), with a second YAML parser that finds where each value stands. Some
files that YAML, and so ``jmb validate``, read without trouble, that parser cannot edit:

- a tab outside quoted or block text and comments (``title:<tab>Single Online Home``, a tab at the
  end of a line): write a space instead;
- lines that end in a carriage return alone (CR, as old Mac editors saved files): save the file with
  LF (or CRLF) line ends;
- ``signatures`` or ``history`` written in flow style (``signatures: [{role: ...}]``), or the whole
  record as one ``{...}``: write the signatures as a block list, one ``- role: ...`` entry per
  signature, each value on a line of its own.

Such a record is refused by ``jmb sign`` and ``jmb status`` with this rule's words, so the time to
change it is before it goes for signature. A comment cannot make the file editable, so this warning
cannot be silenced.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from jmb.check.rules.base import Problem, RecordContext
from jmb.core.findings import Severity
from jmb.record.document import Document, FieldPath

ID = "JMB414"
NAME = "not-signable"
SEVERITY = Severity.WARNING
SINCE = "0.2.0"
SCOPE = "record"
SUPPRESSIBLE = False

_LONE_CR = re.compile(r"\r(?!\n)")
# Line breaks as libyaml counts them, so that the positions given agree with every other finding's.
_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
_EDITED_LISTS = ("signatures", "history")
_WHAT = {"signatures": "signature", "history": "history entry"}


def check(context: RecordContext) -> Iterator[Problem]:
    """Report what in the file keeps jmb from editing it in place."""
    document = context.document
    text = document.text
    lone = _LONE_CR.search(text) if "\r" in text else None
    if lone is not None:
        yield Problem(
            (),
            "the lines end in a carriage return alone (CR): jmb sign and jmb status cannot edit "
            "the file in place; save it with LF (or CRLF) line ends",
            at=_position(text, lone.start()),
        )
    yield from _flow_style(document)
    if "\t" in text:  # rare: the cheap test keeps the common record from paying for the rest
        tab = _unreadable_tab(document)
        if tab is not None:
            yield Problem(
                _field_at(document, tab),
                f"{_tab_described(text, tab)}: jmb sign and jmb status cannot edit the file in "
                "place (their YAML parser takes tabs only in quoted or block text and comments); "
                "write a space instead",
                at=_position(text, tab),
            )


def _flow_style(document: Document) -> Iterator[Problem]:
    root = document.value_nodes.get(())
    if isinstance(root, MappingNode) and root.flow_style:
        yield Problem(
            (),
            "the record is written in flow style ({...}): jmb sign and jmb status cannot add "
            "to it; write it as a block mapping, one 'key: value' a line",
        )
        return
    for key in _EDITED_LISTS:
        listed = document.value_nodes.get((key,))
        if not isinstance(listed, SequenceNode):
            continue
        if listed.flow_style and listed.value:
            yield Problem(
                (key,),
                "written in flow style ([...]): jmb sign and jmb status cannot edit it; "
                f"write the {key} as a block list, one '- {_first_key(key)}: ...' entry per "
                f"{_WHAT[key]}, each value on a line of its own",
            )
            continue
        for index, item in enumerate(listed.value):
            if isinstance(item, MappingNode) and item.flow_style:
                yield Problem(
                    (key, index),
                    "written in flow style ({...}): jmb sign and jmb status cannot edit it; "
                    f"write the {_WHAT[key]} as '- {_first_key(key)}: ...' with each value on a "
                    "line of its own",
                )


def _first_key(key: str) -> str:
    return "role" if key == "signatures" else "status"


def _unreadable_tab(document: Document) -> int | None:
    """The offset of the first tab where the editor's parser (ruamel.yaml, stricter than libyaml)
    stops: outside quoted or block text and comments, and, inside a flow collection (``[...]``,
    ``{...}``), in unquoted text. Found from the positions the record was read with, not by
    running that parser, which is slow enough on a large file to matter to a run."""
    text = document.text
    spans = sorted(_text_spans(document))
    flows = list(_node_spans(document, flow=True))
    plains = list(_node_spans(document, flow=False))
    # Where quoted text or a flow collection closes: a "#" straight after its closing quote or
    # bracket starts a comment for both parsers, though no white space comes before it.
    closes = {end for _, end in spans} | {end for _, end in flows}
    for index in _tabs(text):
        if _inside(spans, closes, index, text):
            continue
        in_flow = any(start <= index < end for start, end in flows)
        if not in_flow or any(start <= index < end for start, end in plains):
            return index
    return None


def _node_spans(document: Document, *, flow: bool) -> Iterator[tuple[int, int]]:
    """Where the flow collections (``flow``), or else the plain scalars, of the record stand."""
    for node in (*document.value_nodes.values(), *document.key_nodes.values()):
        if isinstance(node, ScalarNode):
            wanted = not flow and not node.style  # plain: "" from libyaml, None from PyYAML
        else:
            wanted = flow and bool(getattr(node, "flow_style", False))
        if wanted:
            yield node.start_mark.index, node.end_mark.index


def _tabs(text: str) -> Iterator[int]:
    index = text.find("\t")
    while index >= 0:
        yield index
        index = text.find("\t", index + 1)


def _text_spans(document: Document) -> Iterator[tuple[int, int]]:
    """Where quoted and block text stands in the file (a block's header line not included)."""
    text = document.text
    for node in (*document.value_nodes.values(), *document.key_nodes.values()):
        if not isinstance(node, ScalarNode) or node.style not in ("'", '"', "|", ">"):
            continue
        start, end = node.start_mark.index, node.end_mark.index
        if node.style in ("|", ">"):
            # The header ends at the first line break of any kind libyaml reads: a file saved with
            # CR line ends has no "\n" at all, and its block text is text all the same.
            header_end = _LINE_BREAK.search(text, start, end)
            start = header_end.end() if header_end is not None else end
        yield start, end


def _inside(spans: list[tuple[int, int]], closes: set[int], index: int, text: str) -> bool:
    """Whether the character at ``index`` is quoted or block text, or part of a comment."""
    if any(start <= index < end for start, end in spans):
        return True
    line_start = max(text.rfind("\n", 0, index), text.rfind("\r", 0, index)) + 1
    hash_at = text.find("#", line_start, index)
    while hash_at >= 0:
        preceded = hash_at == line_start or text[hash_at - 1] in " \t" or hash_at in closes
        if preceded and not any(start <= hash_at < end for start, end in spans):
            return True
        hash_at = text.find("#", hash_at + 1, index)
    return False


def _tab_described(text: str, index: int) -> str:
    line_start = max(text.rfind("\n", 0, index), text.rfind("\r", 0, index)) + 1
    before = text[line_start:index].rstrip(" \t")
    if before.endswith(":"):
        return "a tab after a colon"
    if before.endswith("-") and not before[:-1].strip():
        return "a tab after a dash"
    after = re.match(r"[ \t]*(#|\r|\n|$)", text[index:])
    if after is not None:
        return "a tab at the end of a line"
    return "a tab in text that is not quoted"


def _field_at(document: Document, index: int) -> FieldPath:
    """The field whose key or value starts last on the line of ``index`` before it: the field
    the character belongs to, for the finding's field name."""
    line = _position(document.text, index)[0] - 1
    best: tuple[int, FieldPath] | None = None
    nodes: list[tuple[FieldPath, Node]] = [
        *document.value_nodes.items(),
        *document.key_nodes.items(),
    ]
    for path, node in nodes:
        mark = node.start_mark
        on_line = isinstance(node, ScalarNode) and mark.line == line and mark.index <= index
        if on_line and (best is None or mark.index > best[0]):
            best = (mark.index, path)
    return best[1] if best is not None else ()


def _position(text: str, index: int) -> tuple[int, int]:
    """The 1-based line and column of offset ``index``, lines broken where libyaml breaks them."""
    breaks = list(_LINE_BREAK.finditer(text, 0, index))
    start = breaks[-1].end() if breaks else 0
    return len(breaks) + 1, index - start + 1
