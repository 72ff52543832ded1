"""Editing a YAML file in place so that the only change is the one meant.

ruamel.yaml's round-trip parser finds where each key and value stands (its nodes keep comments and the
exact marks of the source); the edit then changes only those characters of the original text. Dumping
the whole round-trip document back would be simpler, but it rewraps multi-line plain text and
rewrites ``null`` as nothing, so a signature would come with changes nobody asked for. Every caller
re-reads the edited text and compares its data with what it meant to write before anything is saved.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import yaml

from jmb.core.errors import RecordError
from jmb.record.document import BOM, YamlLoader

#: A value jmb writes: text, a date, a flag or a whole number.
Scalar = str | date | bool | int
#: A mapping jmb writes: of scalars, or of mappings of them (an approval's ``wording``).
Entry = Mapping[str, "Scalar | Entry"]


def render_scalar(value: Scalar) -> str:
    """``value`` as a YAML scalar on one line: plain when it reads back as the same value, else
    double-quoted (a JSON string is a valid YAML double-quoted scalar)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if _plain_reads_back(value):
        return value
    return json.dumps(value, ensure_ascii=False)


def _plain_reads_back(text: str) -> bool:
    if not text or text != text.strip() or any(char < " " for char in text):
        return False
    try:
        loaded = yaml.load(f"k: {text}\n", Loader=YamlLoader)
    except yaml.YAMLError:
        return False
    return isinstance(loaded, dict) and loaded.get("k") == text and type(loaded["k"]) is str


def _in_style(value: Scalar, style: str | None) -> str:
    """``value`` in the quoting style of the scalar it replaces, where that style can carry it."""
    if isinstance(value, str) and style == '"':
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, str) and style == "'" and "\n" not in value:
        return "'" + value.replace("'", "''") + "'"
    return render_scalar(value)


def _field_lines(prefix: str, key: str, value: Scalar | Entry, indent: int) -> list[str]:
    """``key: value`` as block lines, a mapping's fields indented two more than ``indent``."""
    if not isinstance(value, Mapping):
        return [f"{prefix}{render_scalar(key)}: {render_scalar(value)}"]
    if not value:
        return [f"{prefix}{render_scalar(key)}: {{}}"]
    lines = [f"{prefix}{render_scalar(key)}:"]
    for inner, item in value.items():
        lines += _field_lines(" " * (indent + 2), inner, item, indent + 2)
    return lines


@dataclass(frozen=True, order=True)
class _Edit:
    start: int
    order: int
    end: int
    text: str


class YamlEdit:
    """A set of in-place changes to one YAML text; :meth:`result` applies them all."""

    def __init__(self, text: str, *, source: str) -> None:
        from ruamel.yaml import YAML
        from ruamel.yaml.error import YAMLError
        from ruamel.yaml.nodes import MappingNode

        self.bom = BOM if text.startswith(BOM) else ""
        self.text = text.removeprefix(BOM)
        self.source = source
        self.newline = "\r\n" if "\r\n" in self.text else "\n"
        self._edits: list[_Edit] = []
        try:
            root = YAML(typ="rt").compose(self.text)
        except YAMLError as error:
            raise RecordError(f"{source}: cannot be edited: not valid YAML ({error})") from None
        except Exception as error:  # ruamel raises plain errors for some malformed input
            raise RecordError(f"{source}: cannot be edited: {error}") from None
        if not isinstance(root, MappingNode):
            raise RecordError(f"{source}: cannot be edited: not a mapping of fields")
        self.root: Any = root

    # -- reading ---------------------------------------------------------------------------------

    @staticmethod
    def get(mapping: Any, key: str) -> tuple[Any, Any] | None:
        """The key node and value node of ``key`` in ``mapping`` (the last, if repeated)."""
        found = None
        for key_node, value_node in mapping.value:
            if getattr(key_node, "value", None) == key:
                found = (key_node, value_node)
        return found

    def items(self, sequence: Any) -> list[Any]:
        """The item nodes of a sequence node (none for anything else)."""
        from ruamel.yaml.nodes import SequenceNode

        return list(sequence.value) if isinstance(sequence, SequenceNode) else []

    # -- changing --------------------------------------------------------------------------------

    def set_value(self, mapping: Any, key: str, value: Scalar) -> None:
        """Set ``key`` of a block mapping to a scalar: in place when the key is there, else on a new
        line after the mapping's last line, indented like its first key."""
        found = self.get(mapping, key)
        if found is None:
            self._require_block(mapping, "a field")
            indent = mapping.value[0][0].start_mark.column
            line = f"{' ' * indent}{key}: {render_scalar(value)}"
            self._insert_lines(self._end_of(mapping), [line])
            return
        key_node, value_node = found
        from ruamel.yaml.nodes import ScalarNode

        if not isinstance(value_node, ScalarNode):
            raise RecordError(f"{self.source}: cannot set {key}: it holds a list or mapping")
        if self._implicitly_empty(value_node):
            # `name:` with nothing after it: the value goes after the colon, before any comment.
            colon = self.text.index(":", key_node.end_mark.index)
            self._add(colon + 1, colon + 1, " " + render_scalar(value))
            return
        start = value_node.start_mark.index
        end = start + len(self.text[start : value_node.end_mark.index].rstrip())
        self._add(start, end, _in_style(value, value_node.style))

    def append_item(self, mapping: Any, key: str, item: Entry, *, blank_line: bool = True) -> None:
        """Append a mapping ``item`` to the block list under ``key`` of ``mapping``, making the list
        when ``key`` is missing, null or ``[]``. ``blank_line`` puts a blank line before a new key
        at the end of the file."""
        from ruamel.yaml.nodes import ScalarNode, SequenceNode

        found = self.get(mapping, key)
        if found is None:
            self._require_block(mapping, "a list")
            column = mapping.value[0][0].start_mark.column if mapping.value else 0
            lines = [f"{' ' * column}{key}:"]
            lines += self._item_lines(item, column + self._sequence_offset())
            at = self._end_of(mapping)
            if blank_line and at and mapping is self.root:
                lines.insert(0, "")
            self._insert_lines(at, lines)
            return
        key_node, value_node = found
        if isinstance(value_node, SequenceNode) and value_node.value and not value_node.flow_style:
            dash = value_node.start_mark.column
            self._insert_lines(self._end_of(value_node), self._item_lines(item, dash))
            return
        empty_flow = isinstance(value_node, SequenceNode) and not value_node.value
        empty_null = isinstance(value_node, ScalarNode) and str(value_node.tag).endswith(":null")
        if not (empty_flow or empty_null):
            raise RecordError(
                f"{self.source}: cannot add to {key}: write it as a block list (one '- ' a line)"
            )
        colon = self.text.index(":", key_node.end_mark.index)
        if not self._implicitly_empty(value_node):
            self._add(colon + 1, value_node.end_mark.index, "")  # `[]` or `null` goes
        dash = key_node.start_mark.column + self._sequence_offset()
        self._insert_lines(colon + 1, self._item_lines(item, dash))

    def result(self) -> str:
        """The text with every change applied."""
        text = self.text
        # From the end backwards, so earlier offsets stay true; of two changes at one offset the one
        # asked for first ends up first.
        for edit in sorted(self._edits, reverse=True):
            text = text[: edit.start] + edit.text + text[edit.end :]
        return self.bom + text

    # -- helpers ---------------------------------------------------------------------------------

    def _add(self, start: int, end: int, text: str) -> None:
        self._edits.append(_Edit(start, len(self._edits), end, text))

    def _insert_lines(self, after: int, lines: list[str]) -> None:
        """Insert whole lines after the line holding offset ``after - 1``."""
        newline = self.text.find("\n", after)
        at = len(self.text) if newline < 0 else newline + 1
        block = "".join(line + self.newline for line in lines)
        if at == len(self.text) and self.text and not self.text.endswith("\n"):
            block = self.newline + block
        self._add(at, at, block)

    def _item_lines(self, item: Entry, dash: int) -> list[str]:
        lines = []
        for index, (key, value) in enumerate(item.items()):
            prefix = " " * dash + "- " if index == 0 else " " * (dash + 2)
            lines += _field_lines(prefix, key, value, dash + 2)
        return lines

    def _sequence_offset(self) -> int:
        """How far this file indents a block list under its key (0 or 2, say); 2 if it has none."""
        from ruamel.yaml.nodes import MappingNode, SequenceNode

        stack = [self.root]
        while stack:
            node = stack.pop()
            if not isinstance(node, MappingNode):
                continue
            for key_node, value_node in node.value:
                if (
                    isinstance(value_node, SequenceNode)
                    and value_node.value
                    and not value_node.flow_style
                ):
                    offset: int = value_node.start_mark.column - key_node.start_mark.column
                    return max(offset, 0)
                stack.append(value_node)
        return 2

    def _end_of(self, node: Any) -> int:
        """The offset just after the last character of ``node``'s text (trailing blank lines and
        the chomped line breaks of a block scalar not included)."""
        from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

        if isinstance(node, ScalarNode) or getattr(node, "flow_style", False):
            start: int = node.start_mark.index
            return start + len(self.text[start : node.end_mark.index].rstrip())
        ends = [0]
        if isinstance(node, MappingNode):
            for key_node, value_node in node.value:
                if self._implicitly_empty(value_node):
                    ends.append(self.text.index(":", key_node.end_mark.index) + 1)
                else:
                    ends.append(self._end_of(value_node))
        elif isinstance(node, SequenceNode):
            ends.extend(self._end_of(item) for item in node.value)
        return max(ends)

    @staticmethod
    def _implicitly_empty(node: Any) -> bool:
        """A value that is nothing at all (``key:`` and the line ends), whose marks stand at the
        next token, not where the value would be."""
        return (
            getattr(node, "value", None) == ""
            and getattr(node, "style", None) is None
            and node.start_mark.index == node.end_mark.index
        )

    def _require_block(self, mapping: Any, what: str) -> None:
        if getattr(mapping, "flow_style", False):
            raise RecordError(
                f"{self.source}: cannot add {what} to a mapping written in flow style {{...}}"
            )
