"""Reading one record file: bytes to text to YAML nodes to plain data, keeping every position.

The fast path is libyaml (PyYAML's C parser): it composes the node tree, with a mark on every node, in C.
jmb then builds the plain data from the nodes itself, in one pass that also

- records where each key and value stands, so a finding can point at its line and column without a
  second, round-trip parse;
- reports duplicate keys (which YAML loaders silently collapse);
- counts the nodes it expands, so a "billion laughs" of aliases stops at a limit instead of eating memory.

Nothing here raises on bad input: every problem becomes a :class:`Finding` of the JMB0xx family, and the
document's ``data`` is ``None`` when there is nothing to check further.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from jmb.findings import Finding, Severity

try:  # libyaml is the fast path; the pure-Python parser gives the same nodes, only slower.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

#: A key path into a record: ``("signatures", 0, "date")``.
FieldPath = tuple[str | int, ...]

#: The most nodes one record may expand to. A real record has a few hundred; an alias bomb, billions.
MAX_NODES = 50_000
#: The deepest nesting one record may have. A real record is five levels deep.
MAX_DEPTH = 40
#: The largest file read as a record, in bytes. The reference decision is about 5 KB.
MAX_BYTES = 2_000_000

_STR = "tag:yaml.org,2002:str"
_NULL = "tag:yaml.org,2002:null"
_MERGE = "tag:yaml.org,2002:merge"

_WORD = re.compile(r"\S+")
_SUPPRESSION_ANYWHERE = re.compile(r"#\s*jmb:\s*disable")
_SUPPRESSION = re.compile(
    r"#\s*jmb:\s*disable=(?P<codes>[A-Za-z]+\d+(?:\s*,\s*[A-Za-z]+\d+)*)?(?:\s+(?P<reason>\S.*))?$"
)


def dotted(path: FieldPath) -> str:
    """``("signatures", 0, "date")`` as ``signatures[0].date``."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


@dataclass(frozen=True, slots=True)
class Suppression:
    """A ``# jmb: disable=CODE[,CODE] reason`` comment on one line."""

    line: int
    column: int
    codes: tuple[str, ...]
    reason: str


class _LoadProblem(Exception):
    """Stops the node walk; becomes one finding."""

    def __init__(self, code: str, node: Node, message: str, path: FieldPath) -> None:
        super().__init__(message)
        self.code = code
        self.node = node
        self.path = path


@dataclass
class Document:
    """One record file as read: its text, plain data, positions and load findings."""

    path: str
    text: str = ""
    data: Any = None
    findings: list[Finding] = field(default_factory=list)
    #: The mark of each key, by the path of its value.
    key_nodes: dict[FieldPath, Node] = field(default_factory=dict)
    #: The node of each value, by its path.
    value_nodes: dict[FieldPath, Node] = field(default_factory=dict)
    _line_starts: list[int] | None = None

    # -- positions -------------------------------------------------------------------------------

    def position(self, path: FieldPath) -> tuple[int, int]:
        """Where to point for the field at ``path``: 1-based line and column.

        A filled scalar points at its value; an empty one or a block collection at its key (libyaml
        places an empty value at the next token, which is on another line); a missing field at the
        key of its nearest present parent, or at 1:1.
        """
        node = self.value_nodes.get(path)
        if node is not None and isinstance(node, ScalarNode) and node.value != "":
            return node.start_mark.line + 1, node.start_mark.column + 1
        if node is not None and getattr(node, "flow_style", False):
            return node.start_mark.line + 1, node.start_mark.column + 1
        for length in range(len(path), 0, -1):
            # A key when the field has one; a list item has none, so its own node.
            anchor = self.key_nodes.get(path[:length]) or self.value_nodes.get(path[:length])
            if anchor is not None:
                return anchor.start_mark.line + 1, anchor.start_mark.column + 1
        return 1, 1

    def key_position(self, path: FieldPath) -> tuple[int, int]:
        """The 1-based line and column of the key of ``path`` (1:1 when it has none)."""
        key = self.key_nodes.get(path)
        return (key.start_mark.line + 1, key.start_mark.column + 1) if key is not None else (1, 1)

    def key_line(self, path: FieldPath) -> int:
        """The 1-based line of the key of ``path``, or 0 when it has none."""
        key = self.key_nodes.get(path)
        return key.start_mark.line + 1 if key is not None else 0

    def text_position(self, path: FieldPath, offset: int) -> tuple[int, int]:
        """Where character ``offset`` of the string at ``path`` stands in the file.

        The value's non-blank characters appear in the source in the same order, whatever the scalar
        style folds or indents, so walking both side by side finds the character. Where escapes make
        them differ, the scalar's own position is the answer.
        """
        node = self.value_nodes.get(path)
        if not isinstance(node, ScalarNode) or not isinstance(node.value, str):
            return self.position(path)
        value = node.value
        while offset < len(value) and value[offset].isspace():
            offset += 1
        if offset >= len(value):
            return self.position(path)
        if node.style == "|" and self._literal_header_is_plain(node):
            return self._literal_position(node, value, offset)
        source_index = self._align(node, value, offset)
        if source_index is None:
            return self.position(path)
        starts = self._starts()
        line = bisect.bisect_right(starts, source_index) - 1
        return line + 1, source_index - starts[line] + 1

    def _literal_header_is_plain(self, node: ScalarNode) -> bool:
        """A ``|`` header without an indentation indicator, whose content lines map one to one."""
        newline = self.text.find("\n", node.start_mark.index, node.end_mark.index)
        header = self.text[node.start_mark.index : newline if newline >= 0 else node.end_mark.index]
        return newline >= 0 and not any(char.isdigit() for char in header.split("#")[0])

    def _literal_position(self, node: ScalarNode, value: str, offset: int) -> tuple[int, int]:
        """In a literal block each line of the value is a line of the file, less the indentation."""
        starts = self._starts()
        first = node.start_mark.line + 1  # 0-based: the line after the header
        line = first + value.count("\n", 0, offset)
        column = offset - (value.rfind("\n", 0, offset) + 1)
        indent = 0
        for number in range(first, len(starts)):
            content = self.text[
                starts[number] : starts[number + 1] if number + 1 < len(starts) else None
            ]
            if content.strip():
                indent = len(content) - len(content.lstrip(" "))
                break
        return line + 1, indent + column + 1

    def _align(self, node: ScalarNode, value: str, offset: int) -> int | None:
        text = self.text
        start, end = node.start_mark.index, node.end_mark.index
        cursor = start
        if node.style in ("|", ">"):
            newline = text.find("\n", start, end)
            if newline < 0:
                return None
            cursor = newline + 1
        elif node.style in ("'", '"'):
            cursor = start + 1
        # Find the value's words in the source one after another, with only white space between
        # them; str.find does the scanning in C.
        for word in _WORD.finditer(value):
            found = text.find(word.group(), cursor, end)
            if found < 0 or (found > cursor and not text[cursor:found].isspace()):
                return None  # escapes or folding changed the text: no exact place
            if word.end() > offset:
                return found + max(offset - word.start(), 0)
            cursor = found + len(word.group())
        return None

    def _starts(self) -> list[int]:
        if self._line_starts is None:
            starts = [0]
            find = self.text.find
            newline = find("\n")
            while newline >= 0:
                starts.append(newline + 1)
                newline = find("\n", newline + 1)
            self._line_starts = starts
        return self._line_starts

    # -- findings --------------------------------------------------------------------------------

    def finding_at(
        self, line: int, column: int, code: str, severity: Severity, field_name: str, message: str
    ) -> Finding:
        """A finding in this file."""
        return Finding(self.path, line, column, code, severity, field_name, message)

    def suppressions(self) -> list[Suppression]:
        """The ``# jmb: disable=...`` comments of this file, outside block scalars' text."""
        if _SUPPRESSION_ANYWHERE.search(self.text) is None:
            return []
        block_lines: set[int] = set()
        for node in self.value_nodes.values():
            if isinstance(node, ScalarNode) and node.style in ("|", ">"):
                # A block ends at the start of the next token's line, which is not the block's.
                end = node.end_mark.line + (0 if node.end_mark.column == 0 else 1)
                block_lines.update(range(node.start_mark.line + 1, end))
        found: list[Suppression] = []
        for number, line in enumerate(self.text.splitlines()):
            if "jmb:" not in line or number in block_lines:
                continue
            hash_at = line.find("#")
            while hash_at >= 0:
                match = _SUPPRESSION.match(line, hash_at)
                if match:
                    codes = tuple(
                        code for code in re.split(r"[\s,]+", (match["codes"] or "").upper()) if code
                    )
                    reason = (match["reason"] or "").strip()
                    found.append(Suppression(number + 1, hash_at + 1, codes, reason))
                    break
                hash_at = line.find("#", hash_at + 1)
        return found


def read_document(path: Path, display: str | None = None) -> Document:
    """Read and parse one record file. Never raises for bad content; problems are findings."""
    document = Document(path=display if display is not None else str(path))
    try:
        if path.is_dir():
            _fail(document, "JMB002", 1, 1, "a folder, not a record file")
            return document
        raw = path.read_bytes()
    except OSError as error:
        _fail(document, "JMB002", 1, 1, f"cannot be read: {error.strerror or error}")
        return document
    if len(raw) > MAX_BYTES:
        _fail(document, "JMB002", 1, 1, f"{len(raw):,} bytes; a record is at most {MAX_BYTES:,}")
        return document
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        _fail(
            document, "JMB002", 1, 1, "not UTF-8 text: the file is UTF-16 (save the file as UTF-8)"
        )
        return document
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        before = raw[: error.start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        message = (
            "binary data, not UTF-8 text"
            if b"\0" in raw
            else f"not UTF-8 text: byte 0x{raw[error.start]:02x} is not valid here "
            "(save the file as UTF-8)"
        )
        _fail(document, "JMB002", line, column, message)
        return document
    if "\0" in text:
        line = text.count("\n", 0, text.index("\0")) + 1
        _fail(document, "JMB002", line, 1, "binary data, not UTF-8 text")
        return document
    document.text = text.removeprefix("\ufeff")
    parse_text(document)
    return document


def parse_text(document: Document) -> None:
    """Fill ``document.data`` and its positions from ``document.text``."""
    try:
        root = yaml.compose(document.text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        if (
            error.context_mark is not None
            and mark is not None
            and mark.index >= len(document.text.rstrip())
        ):
            mark = error.context_mark  # "unexpected end of stream": where the unclosed thing opened
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        if "single document" in f"{error.context} {error.problem}":
            message = "a second YAML document starts here; a record is one document"
            _fail(document, "JMB009", line, column, message)
        else:
            _fail(document, "JMB001", line, column, _yaml_problem(error))
        return
    except yaml.YAMLError as error:  # pragma: no cover - libyaml errors are all marked
        _fail(document, "JMB001", 1, 1, f"is not valid YAML: {error}")
        return
    if root is None:
        _fail(
            document,
            "JMB009",
            1,
            1,
            "empty file; a record is a mapping of fields (start one with jmb new)",
        )
        return
    if not isinstance(root, MappingNode):
        kind = "a list" if isinstance(root, SequenceNode) else "a single value"
        _fail(
            document,
            "JMB009",
            root.start_mark.line + 1,
            root.start_mark.column + 1,
            f"the document is {kind}; a record is a mapping of fields",
        )
        return
    builder = _Builder(document)
    try:
        document.data = builder.build(root, (), 0)
    except _LoadProblem as problem:
        mark = problem.node.start_mark
        if problem.code == "JMB008" and problem.path:
            # Deep inside an expansion the node is the anchor's; the top-level key is what the
            # reader can act on.
            mark = document.key_nodes[problem.path[:1]].start_mark
            problem.path = problem.path[:1]
        document.data = None
        document.findings.append(
            document.finding_at(
                mark.line + 1,
                mark.column + 1,
                problem.code,
                Severity.ERROR,
                dotted(problem.path),
                str(problem),
            )
        )


def _yaml_problem(error: yaml.MarkedYAMLError) -> str:
    problem = error.problem or error.context or "is not valid YAML"
    if error.context and error.problem and error.context not in problem:
        problem = f"{error.context}: {problem}"
    return f"YAML syntax error: {problem}"


def _fail(document: Document, code: str, line: int, column: int, message: str) -> None:
    document.findings.append(document.finding_at(line, column, code, Severity.ERROR, "", message))


class _Builder:
    """Turns composed nodes into plain data, recording positions and duplicate keys on the way."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self.nodes = 0
        self.active: set[int] = set()
        self.constructor = _Loader("")  # only its scalar constructors are used

    def build(self, node: Node, path: FieldPath, depth: int) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise _LoadProblem(
                "JMB008",
                node,
                f"expands to more than {MAX_NODES:,} values (an alias bomb?); "
                "a record has a few hundred",
                path,
            )
        if depth > MAX_DEPTH:
            raise _LoadProblem("JMB008", node, f"nested more than {MAX_DEPTH} levels deep", path)
        self.document.value_nodes.setdefault(path, node)
        if isinstance(node, ScalarNode):
            return self._scalar(node, path)
        if id(node) in self.active:
            raise _LoadProblem(
                "JMB008", node, "an alias refers to itself (a recursive structure)", path
            )
        self.active.add(id(node))
        try:
            if isinstance(node, SequenceNode):
                return [
                    self.build(item, (*path, index), depth + 1)
                    for index, item in enumerate(node.value)
                ]
            return self._mapping(node, path, depth)  # type: ignore[arg-type]
        finally:
            self.active.discard(id(node))

    def _scalar(self, node: ScalarNode, path: FieldPath) -> Any:
        tag = node.tag
        if tag == _STR:
            return node.value
        if tag == _NULL:
            return None
        try:
            value = self.constructor.construct_object(node, deep=True)
        except yaml.YAMLError as error:
            problem = getattr(error, "problem", None) or str(error)
            raise _LoadProblem("JMB007", node, str(problem), path) from None
        return value

    def _mapping(self, node: MappingNode, path: FieldPath, depth: int) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        merged: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                merged.update(self._merge(value_node, path, depth))
                continue
            if not isinstance(key_node, ScalarNode):
                raise _LoadProblem(
                    "JMB007", key_node, "a key must be plain text, not a list or mapping", path
                )
            key = self._scalar(key_node, path)
            if not isinstance(key, str):
                key = key_node.value
            child = (*path, key)
            if key in result:
                first = self.document.key_nodes[child].start_mark
                self.document.findings.append(
                    self.document.finding_at(
                        key_node.start_mark.line + 1,
                        key_node.start_mark.column + 1,
                        "JMB003",
                        Severity.ERROR,
                        dotted(child),
                        f"duplicate key: also set on line {first.line + 1}; "
                        "YAML would silently keep only this one",
                    )
                )
            else:
                self.document.key_nodes[child] = key_node
            result[key] = self.build(value_node, child, depth + 1)
        for key, value in merged.items():
            result.setdefault(key, value)
        return result

    def _merge(self, node: Node, path: FieldPath, depth: int) -> dict[Any, Any]:
        sources = node.value if isinstance(node, SequenceNode) else [node]
        merged: dict[Any, Any] = {}
        for source in sources:
            if not isinstance(source, MappingNode):
                raise _LoadProblem("JMB007", source, "a merge key (<<) needs a mapping", path)
            for key, value in self._mapping(source, path, depth).items():
                merged.setdefault(key, value)
        return merged
