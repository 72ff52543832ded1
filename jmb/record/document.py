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
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from jmb.core.findings import Finding, Severity
from jmb.core.names import dotted
from jmb.record.confidential import withhold

try:  # libyaml is the fast path; the pure-Python parser gives the same nodes, only slower.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

#: jmb's one YAML loader. Records are read with it, and the in-place editor
#: (:mod:`jmb.record.roundtrip`) asks it whether a value reads back unchanged: both see one YAML.
YamlLoader = _Loader


class LoadCode(StrEnum):
    """The finding codes of problems met while a file is read; rules JMB001-JMB009 document them."""

    SYNTAX = "JMB001"
    UNREADABLE = "JMB002"
    DUPLICATE_KEY = "JMB003"
    WRONG_TYPE = "JMB007"
    TOO_COMPLEX = "JMB008"
    NOT_A_RECORD = "JMB009"


#: A key path into a record: ``("signatures", 0, "date")``.
FieldPath = tuple[str | int, ...]

#: The byte-order mark some Windows editors put first; read past, and kept when jmb writes the file.
BOM = "\ufeff"

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
# Line breaks as libyaml counts them, so that positions found here agree with its marks.
_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
_SUPPRESSION_ANYWHERE = re.compile(r"#\s*jmb\s*:\s*disable", re.IGNORECASE)
_SUPPRESSION = re.compile(
    r"#\s*jmb\s*:\s*disable\s*=\s*(?P<codes>[A-Za-z]+\d+(?:\s*,\s*[A-Za-z]+\d+)*)"
    r"(?:\s*:)?(?:\s+(?P<reason>\S.*))?$",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Suppression:
    """A ``# jmb: disable=CODE[,CODE] reason`` comment on one line."""

    line: int
    column: int
    codes: tuple[str, ...]
    reason: str
    #: The comment starts like a suppression but cannot be read as one.
    malformed: bool = False


class _LoadProblem(Exception):
    """Stops the node walk; becomes one finding."""

    def __init__(self, code: LoadCode, node: Node, message: str, path: FieldPath) -> None:
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
    #: The byte-order mark the file started with ("" if none); ``text`` is without it.
    bom: str = ""
    _line_starts: list[int] | None = None
    _word_maps: dict[int, tuple[list[int], list[int], list[int]]] = field(default_factory=dict)

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

        The value's words appear in the source in the same order, whatever the scalar style folds
        or indents, so matching them one after another finds the character. Where escapes make them
        differ, the scalar's own position is the answer.
        """
        node = self.value_nodes.get(path)
        if not isinstance(node, ScalarNode) or not isinstance(node.value, str):
            return self.position(path)
        value = node.value
        while offset < len(value) and value[offset].isspace():
            offset += 1
        if offset >= len(value):
            return self.position(path)
        if node.style == "|" and self._literal_maps_lines(node):
            return self._literal_position(node, value, offset)
        source_index = self._aligned(node, offset)
        if source_index is None:
            return self.position(path)
        starts = self._starts()
        line = bisect.bisect_right(starts, source_index) - 1
        return line + 1, source_index - starts[line] + 1

    def _literal_maps_lines(self, node: ScalarNode) -> bool:
        """A ``|`` block whose value lines are the file's lines less the indentation: no
        indentation indicator in its header, and only plain newlines in the file."""
        newline = self.text.find("\n", node.start_mark.index, node.end_mark.index)
        header = self.text[node.start_mark.index : newline if newline >= 0 else node.end_mark.index]
        return (
            newline >= 0
            and not any(char.isdigit() for char in header.split("#")[0])
            and len(self._starts()) == self.text.count("\n") + 1
        )

    def _literal_position(self, node: ScalarNode, value: str, offset: int) -> tuple[int, int]:
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

    def _aligned(self, node: ScalarNode, offset: int) -> int | None:
        """The source index of ``offset`` in ``node``'s value, through the node's word map."""
        ends, value_starts, source_starts = self._word_map(node)
        index = bisect.bisect_right(ends, offset)
        if index >= len(ends):
            return None  # beyond the words that could be matched
        return source_starts[index] + max(offset - value_starts[index], 0)

    def _word_map(self, node: ScalarNode) -> tuple[list[int], list[int], list[int]]:
        """Each word of the value that can be found in the source: its end and start in the
        value, and its start in the source. Built once a scalar, so that many findings in one long
        section cost one pass, not one pass each."""
        cached = self._word_maps.get(id(node))
        if cached is not None:
            return cached
        text = self.text
        cursor, end = self._content_span(node)
        if node.style in ("'", '"'):
            cursor += 1
        ends: list[int] = []
        value_starts: list[int] = []
        source_starts: list[int] = []
        for word in _WORD.finditer(node.value):
            found = text.find(word.group(), cursor, end)
            if found < 0 or (found > cursor and not text[cursor:found].isspace()):
                break  # escapes or folding changed the text from here on: no exact place
            ends.append(word.end())
            value_starts.append(word.start())
            source_starts.append(found)
            cursor = found + len(word.group())
        self._word_maps[id(node)] = (ends, value_starts, source_starts)
        return ends, value_starts, source_starts

    def _starts(self) -> list[int]:
        """Where each line starts, breaking lines where libyaml does (its marks count the same)."""
        if self._line_starts is None:
            self._line_starts = [0, *(match.end() for match in _LINE_BREAK.finditer(self.text))]
        return self._line_starts

    def _lines(self) -> Iterator[tuple[int, int, str]]:
        """Each line's 0-based number, start index and text without its break."""
        starts = self._starts()
        for number, begin in enumerate(starts):
            finish = starts[number + 1] if number + 1 < len(starts) else len(self.text)
            yield number, begin, self.text[begin:finish].rstrip("\r\n\x85\u2028\u2029")

    # -- findings --------------------------------------------------------------------------------

    def finding_at(
        self, line: int, column: int, code: str, severity: Severity, field_name: str, message: str
    ) -> Finding:
        """A finding in this file."""
        return Finding(self.path, line, column, code, severity, field_name, message)

    def _content_span(self, node: ScalarNode) -> tuple[int, int]:
        """The indexes of a scalar's text in the file; a block's header line (``|  # comment``)
        is not text."""
        start, end = node.start_mark.index, node.end_mark.index
        if node.style in ("|", ">"):
            newline = self.text.find("\n", start, end)
            start = newline + 1 if newline >= 0 else end
        return start, end

    def suppressions(self) -> list[Suppression]:
        """The ``# jmb: disable=...`` comments of this file. A ``#`` inside a scalar is text, not
        a comment, so it suppresses nothing (the text would be published)."""
        if _SUPPRESSION_ANYWHERE.search(self.text) is None:
            return []
        spans = sorted(
            self._content_span(node)
            for node in (*self.value_nodes.values(), *self.key_nodes.values())
            if isinstance(node, ScalarNode)
        )
        span_starts = [begin for begin, _ in spans]

        def in_scalar(index: int) -> bool:
            at = bisect.bisect_right(span_starts, index) - 1
            return at >= 0 and spans[at][0] <= index < spans[at][1]

        found: list[Suppression] = []
        for number, begin, line in self._lines():
            for loose in _SUPPRESSION_ANYWHERE.finditer(line):
                if in_scalar(begin + loose.start()):
                    continue
                match = _SUPPRESSION.match(line, loose.start())
                codes = tuple(
                    code
                    for code in re.split(r"[\s,]+", ((match and match["codes"]) or "").upper())
                    if code
                )
                reason = ((match and match["reason"]) or "").strip()
                found.append(
                    Suppression(number + 1, loose.start() + 1, codes, reason, match is None)
                )
                break
        return found


def read_document(path: Path, display: str | None = None) -> Document:
    """Read and parse one record file. Never raises for bad content; problems are findings."""
    document = Document(path=display if display is not None else str(path))
    try:
        if path.is_dir():
            _fail(document, LoadCode.UNREADABLE, 1, 1, "a folder, not a record file")
            return document
        raw = path.read_bytes()
    except OSError as error:
        _fail(document, LoadCode.UNREADABLE, 1, 1, f"cannot be read: {error.strerror or error}")
        return document
    if len(raw) > MAX_BYTES:
        _fail(
            document,
            LoadCode.UNREADABLE,
            1,
            1,
            f"{len(raw):,} bytes; a record is at most {MAX_BYTES:,}",
        )
        return document
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        _fail(
            document,
            LoadCode.UNREADABLE,
            1,
            1,
            "not UTF-8 text: the file is UTF-16 (save the file as UTF-8)",
        )
        return document
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        before = raw[: error.start].removeprefix(b"\xef\xbb\xbf")  # a BOM is not a column
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        message = (
            "binary data, not UTF-8 text"
            if b"\0" in raw
            else f"not UTF-8 text: byte 0x{raw[error.start]:02x} is not valid here "
            "(save the file as UTF-8)"
        )
        _fail(document, LoadCode.UNREADABLE, line, column, message)
        return document
    if "\0" in text:
        line = text.count("\n", 0, text.index("\0")) + 1
        _fail(document, LoadCode.UNREADABLE, line, 1, "binary data, not UTF-8 text")
        return document
    document.bom = BOM if text.startswith(BOM) else ""
    document.text = text.removeprefix(BOM)
    parse_text(document)
    return document


#: What a load finding on a Part 2 field says in place of its message (which may quote the text).
_WITHHELD_WHAT: dict[str, str] = {
    LoadCode.SYNTAX: "YAML syntax error",
    LoadCode.DUPLICATE_KEY: "duplicate key",
    LoadCode.WRONG_TYPE: "wrong type: a tag, key or value YAML cannot read as it is given",
    LoadCode.TOO_COMPLEX: "too complex: an alias bomb, a recursive alias or deep nesting",
}


def parse_text(document: Document) -> None:
    """Fill ``document.data`` and its positions from ``document.text``.

    A finding on a field of Part 2 names the field and the problem, never the text (see
    :mod:`jmb.record.confidential`)."""
    _parse(document)
    document.findings = [
        withhold(finding, _WITHHELD_WHAT.get(finding.code, "cannot be read"))
        for finding in document.findings
    ]


def _parse(document: Document) -> None:
    try:
        root = yaml.compose(document.text, Loader=YamlLoader)
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
            _fail(document, LoadCode.NOT_A_RECORD, line, column, message)
        else:
            _fail(document, LoadCode.SYNTAX, line, column, _yaml_problem(error))
        return
    except yaml.YAMLError as error:  # pragma: no cover - libyaml errors are all marked
        _fail(document, LoadCode.SYNTAX, 1, 1, f"is not valid YAML: {error}")
        return
    if root is None:
        _fail(
            document,
            LoadCode.NOT_A_RECORD,
            1,
            1,
            "empty file; a record is a mapping of fields (start one with jmb new)",
        )
        return
    if not isinstance(root, MappingNode):
        kind = "a list" if isinstance(root, SequenceNode) else "a single value"
        _fail(
            document,
            LoadCode.NOT_A_RECORD,
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
        if problem.code == LoadCode.TOO_COMPLEX and problem.path:
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
        self.constructor = YamlLoader("")  # only its scalar constructors are used

    def build(self, node: Node, path: FieldPath, depth: int) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise _LoadProblem(
                LoadCode.TOO_COMPLEX,
                node,
                f"expands to more than {MAX_NODES:,} values (an alias bomb?); "
                "a record has a few hundred",
                path,
            )
        if depth > MAX_DEPTH:
            raise _LoadProblem(
                LoadCode.TOO_COMPLEX, node, f"nested more than {MAX_DEPTH} levels deep", path
            )
        self.document.value_nodes.setdefault(path, node)
        if isinstance(node, ScalarNode):
            return self._scalar(node, path)
        if id(node) in self.active:
            raise _LoadProblem(
                LoadCode.TOO_COMPLEX,
                node,
                "an alias refers to itself (a recursive structure)",
                path,
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
        except (yaml.YAMLError, ValueError, TypeError, OverflowError) as error:
            # PyYAML's constructors raise plain ValueErrors for impossible values (2019-02-30).
            problem = getattr(error, "problem", None) or f"{node.value!r} cannot be read: {error}"
            raise _LoadProblem(LoadCode.WRONG_TYPE, node, str(problem), path) from None
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
                    LoadCode.WRONG_TYPE,
                    key_node,
                    "a key must be plain text, not a list or mapping",
                    path,
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
                        LoadCode.DUPLICATE_KEY,
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
                raise _LoadProblem(
                    LoadCode.WRONG_TYPE, source, "a merge key (<<) needs a mapping", path
                )
            for key, value in self._mapping(source, path, depth).items():
                merged.setdefault(key, value)
        return merged
