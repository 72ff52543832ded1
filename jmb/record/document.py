"""Reading one record file: bytes to text to YAML nodes to plain data, keeping every position.

The fast path is libyaml (PyYAML's C parser): it composes the node tree, with a mark on every node, in C.
jmb then builds the plain data from the nodes itself, in one pass that also

- records where each key and value stands, so a finding can point at its line and column without a
  second, round-trip parse;
- reports duplicate keys (which YAML loaders silently collapse);
- refuses what would let one text stand for another: a tag that changes a value's type (``!!binary``,
  ``!!timestamp``, ``!foo``), and anchors, aliases and merge keys, whose text would appear in more
  places than it is written (each alias is read as empty, never expanded);
- counts the values and characters the document would expand to, so a "billion laughs" of aliases
  stops at a limit instead of eating memory.

Nothing here raises on bad input: every problem becomes a :class:`Finding` of the JMB0xx family. A
value that cannot be read is reported and the reading goes on; the document's ``data`` is ``None``
only when there is nothing to check further (not YAML, not a mapping, too complex).
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

from jmb.core.files import (
    FileTooLargeError,
    NotRegularFileError,
    OutsideRootError,
    read_regular_file,
)
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
    """The finding codes of problems met while a file is read; the rules of the same codes document
    them."""

    SYNTAX = "JMB001"
    UNREADABLE = "JMB002"
    DUPLICATE_KEY = "JMB003"
    WRONG_TYPE = "JMB007"
    TOO_COMPLEX = "JMB008"
    NOT_A_RECORD = "JMB009"
    ANCHOR = "JMB011"


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
#: The most characters of text (keys and values) one record may expand to. Without aliases a record
#: never holds more text than its file; with them it could hold gigabytes.
MAX_CHARS = MAX_BYTES
#: Above this size a file's values are counted as it is parsed, before the node tree is built: a
#: tree of a million tiny values costs hundreds of megabytes, the count almost nothing.
_COUNT_FIRST_ABOVE = 256_000
#: The most JMB011 findings one file gets one by one; the rest are summed up in one more.
_ANCHORS_LISTED = 20

_STR = "tag:yaml.org,2002:str"
_NULL = "tag:yaml.org,2002:null"
_MERGE = "tag:yaml.org,2002:merge"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_INT = "tag:yaml.org,2002:int"
_VALUE = "tag:yaml.org,2002:value"
_YAML_TAG = "tag:yaml.org,2002:"
#: What YAML 1.1 reads as null when it is written plain, without a tag.
_PLAIN_NULLS = frozenset({"", "~", "null", "Null", "NULL"})

_WORD = re.compile(r"\S+")
# An anchor (&name) or an alias (*name): the indicator and a name (see _may_hold_anchor).
_ANCHOR_OR_ALIAS = re.compile(r"[&*][^\s\[\]{},]")
#: What may stand just before an anchor or an alias, besides white space and a line start.
_BEFORE_ANCHOR = frozenset("[]{},:\"'\ufeff")
# The line breaks of YAML 1.1 that editors do not show as breaks: NEL, LS and PS.
_HIDDEN_BREAKS = re.compile("[\x85\u2028\u2029]")
_HIDDEN_BREAK_NAMES = {
    "\x85": "U+0085 NEXT LINE (NEL)",
    "\u2028": "U+2028 LINE SEPARATOR",
    "\u2029": "U+2029 PARAGRAPH SEPARATOR",
}
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
    #: Each value written as an alias (read as empty), with the path where its anchor stands.
    aliases: dict[FieldPath, FieldPath] = field(default_factory=dict)
    #: The values the reader reported as unreadable (JMB007): the schema pass says nothing more.
    refused: set[FieldPath] = field(default_factory=set)
    #: The byte-order mark the file started with ("" if none); ``text`` is without it.
    bom: str = ""
    _line_starts: list[int] | None = None
    _word_maps: dict[int, tuple[list[int], list[int], list[int]]] = field(default_factory=dict)
    #: Whether every line break of the text is a plain newline (so a block's lines are the file's).
    _plain_breaks: bool | None = None
    #: For each literal block: where its value's lines start, and the block's indentation.
    _blocks: dict[int, tuple[list[int], int]] = field(default_factory=dict)

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

    def index_position(self, index: int) -> tuple[int, int]:
        """The 1-based line and column of character ``index`` of the text."""
        starts = self._starts()
        line = bisect.bisect_right(starts, index) - 1
        return line + 1, index - starts[line] + 1

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
        if self._plain_breaks is None:  # once a file: a finding each must not cost a pass each
            self._plain_breaks = len(self._starts()) == self.text.count("\n") + 1
        return (
            newline >= 0
            and not any(char.isdigit() for char in header.split("#")[0])
            and self._plain_breaks
        )

    def _literal_position(self, node: ScalarNode, value: str, offset: int) -> tuple[int, int]:
        first = node.start_mark.line + 1  # 0-based: the line after the header
        value_starts, indent = self._block(node, value, first)
        within = bisect.bisect_right(value_starts, offset) - 1
        return first + within + 1, indent + offset - value_starts[within] + 1

    def _block(self, node: ScalarNode, value: str, first: int) -> tuple[list[int], int]:
        """Where each line of a literal block's value starts, and the block's indentation: found
        once a block, so that many findings in one long section cost one pass, not one each."""
        cached = self._blocks.get(id(node))
        if cached is not None:
            return cached
        value_starts = [0]
        index = value.find("\n")
        while index >= 0:
            value_starts.append(index + 1)
            index = value.find("\n", index + 1)
        starts = self._starts()
        indent = 0
        for number in range(first, len(starts)):
            content = self.text[
                starts[number] : starts[number + 1] if number + 1 < len(starts) else None
            ]
            if content.strip():
                indent = len(content) - len(content.lstrip(" "))
                break
        self._blocks[id(node)] = (value_starts, indent)
        return value_starts, indent

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
        cursor, end = self.content_span(node)
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

    def content_span(self, node: ScalarNode) -> tuple[int, int]:
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
            self.content_span(node)
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


def read_document(path: Path, display: str | None = None, *, root: Path | None = None) -> Document:
    """Read and parse one record file. Never raises for bad content; problems are findings.

    Only a regular file (or a link to one) is read, and never more than :data:`MAX_BYTES` of it: a
    FIFO, a device or a socket is a finding, never a wait or an endless read. With ``root`` (the
    repository), a link that leads out of it is refused too: a record's text ends up in findings.
    """
    document = Document(path=display if display is not None else str(path))
    try:
        raw = read_regular_file(path, MAX_BYTES, root=root)
    except NotRegularFileError as error:
        message = "a folder, not a record file" if error.kind == "a folder" else str(error)
        _fail(document, LoadCode.UNREADABLE, 1, 1, message)
        return document
    except FileTooLargeError as error:
        size = (
            f"{error.size:,} bytes" if error.size is not None else f"more than {MAX_BYTES:,} bytes"
        )
        _fail(document, LoadCode.UNREADABLE, 1, 1, f"{size}; a record is at most {MAX_BYTES:,}")
        return document
    except OutsideRootError:
        message = "a link to a file outside the repository; records are read only from inside it"
        _fail(document, LoadCode.UNREADABLE, 1, 1, message)
        return document
    except OSError as error:
        _fail(document, LoadCode.UNREADABLE, 1, 1, f"cannot be read: {error.strerror or error}")
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
    LoadCode.ANCHOR: "a YAML anchor, alias or merge key, which a record may not use",
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
    if len(document.text) > _COUNT_FIRST_ABOVE and _too_many_values(document):
        return
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
            _fail(document, LoadCode.SYNTAX, *_explained(document, error, line, column))
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
    tokens = _Tokens(document.text)
    builder = _Builder(document, track_aliases=bool(tokens.properties()))
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
    _report_anchors(document, tokens, builder)
    _report_hidden_breaks(document, tokens)


def _explained(
    document: Document, error: yaml.MarkedYAMLError, line: int, column: int
) -> tuple[int, int, str]:
    """Where a syntax error is and what it says, in a Word user's terms where the line shows
    the cause libyaml does not name: a tab in the indentation, or a value in curly quotes (which YAML
    reads as text, so a colon inside them breaks the line). Found only once parsing has failed."""
    mark = error.problem_mark
    starts = document._starts()
    if mark is None or mark.line >= len(starts):
        return line, column, _yaml_problem(error)
    end = starts[mark.line + 1] if mark.line + 1 < len(starts) else len(document.text)
    text_line = document.text[starts[mark.line] : end].rstrip("\r\n\x85\u2028\u2029")
    indentation = text_line[: len(text_line) - len(text_line.lstrip(" \t"))]
    if "\t" in indentation:
        return (
            mark.line + 1,
            indentation.index("\t") + 1,
            "a tab is used for indentation; indent with spaces",
        )
    curly = _CURLY_VALUE.match(text_line)
    if (
        curly is not None
        and curly.start("quote") < mark.column
        # The quotes are still open where YAML failed: what broke it is inside them.
        and not any(char in CURLY_CLOSING for char in text_line[curly.end() : mark.column])
    ):
        return (
            mark.line + 1,
            curly.start("quote") + 1,
            f"{_yaml_problem(error)}, because the value starting here is in {CURLY_QUOTES_ADVICE}",
        )
    return line, column, _yaml_problem(error)


#: What a finding says of a value in typographic quotes, as Word's autocorrect makes them.
CURLY_QUOTES_ADVICE = (
    "typographic (curly) quotes, which YAML reads as part of the text, not as quotes; use "
    "straight quotes \" or ', or none"
)
#: The typographic quotes a value may open with: English double and single, German low ones.
CURLY_OPENING = "\u201c\u2018\u201e\u201a"
#: The typographic quotes that close one (a German low quote closes with an English opening one).
CURLY_CLOSING = "\u201d\u2019\u201c\u2018"
# A line whose value (after a key, a list dash, or neither) starts with a typographic quote.
_CURLY_VALUE = re.compile(
    f"[ \\t]*(?:-[ \\t]+)*(?:[^\\s#][^#]*?:[ \\t]+)?(?P<quote>[{CURLY_OPENING}])"
)


def _yaml_problem(error: yaml.MarkedYAMLError) -> str:
    problem = error.problem or error.context or "is not valid YAML"
    if error.context and error.problem and error.context not in problem:
        problem = f"{error.context}: {problem}"
    return f"YAML syntax error: {problem}"


def _fail(document: Document, code: str, line: int, column: int, message: str) -> None:
    document.findings.append(document.finding_at(line, column, code, Severity.ERROR, "", message))


def _too_many_values(document: Document) -> bool:
    """Count a large text's values as libyaml parses it, before any node tree is built; report and
    say so when there are more than :data:`MAX_NODES`."""
    loader = YamlLoader(document.text)
    count = 0
    try:
        while (event := loader.get_event()) is not None:
            if isinstance(event, _NODE_EVENTS):
                count += 1
                if count > MAX_NODES:
                    mark = event.start_mark
                    line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
                    message = f"holds more than {MAX_NODES:,} values; a record has a few hundred"
                    _fail(document, LoadCode.TOO_COMPLEX, line, column, message)
                    return True
    except yaml.YAMLError:
        return False  # composing the text reports it, with its place
    finally:
        loader.dispose()
    return False


_NODE_EVENTS = (
    yaml.ScalarEvent,
    yaml.SequenceStartEvent,
    yaml.MappingStartEvent,
    yaml.AliasEvent,
)

#: The name a key written as an alias is read under (``*heading: x`` is ``{"*": "x"}``).
ALIAS_KEY = "*"

#: What a finding says of an anchor, an alias or a merge key: that none is allowed, and the cure.
_NO_ANCHORS = "a record uses no anchors, aliases or merge keys; write each value out in full"


class _Tokens:
    """What the node tree does not keep: where anchors and aliases are written, and where quoted
    scalars stand. The text is scanned once, and only when it may hold one of them."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.may_hold_anchors = _may_hold_anchor(text)
        self.has_hidden_breaks = not text.isascii() and _HIDDEN_BREAKS.search(text) is not None
        self._scanned = False
        self._properties: list[tuple[str, yaml.Mark]] = []
        self._quoted: list[tuple[int, int]] = []
        #: More anchors and aliases follow those listed (the scan stopped counting).
        self.more = False

    def properties(self) -> list[tuple[str, yaml.Mark]]:
        """``("anchor" | "alias", mark)`` of the anchors and aliases, in the order of the text; at
        most one more than are listed in findings."""
        self._scan()
        return self._properties

    def quoted(self) -> list[tuple[int, int]]:
        """The start and end index of every quoted scalar, in the order of the text."""
        self._scan()
        return self._quoted

    def _scan(self) -> None:
        if self._scanned or not (self.may_hold_anchors or self.has_hidden_breaks):
            return
        self._scanned = True
        loader = YamlLoader(self.text)
        try:
            while (token := loader.get_token()) is not None:
                kind = type(token)
                if kind is yaml.AnchorToken or kind is yaml.AliasToken:
                    if len(self._properties) > _ANCHORS_LISTED:
                        self.more = True
                        if not self.has_hidden_breaks:
                            break  # enough to report, and no quoted span needed
                        continue
                    name = "anchor" if kind is yaml.AnchorToken else "alias"
                    self._properties.append((name, token.start_mark))
                elif kind is yaml.ScalarToken and getattr(token, "style", None) in ("'", '"'):
                    self._quoted.append((token.start_mark.index, token.end_mark.index))
        except yaml.YAMLError:  # pragma: no cover - the text composed, so it scans
            pass
        finally:
            loader.dispose()


def _may_hold_anchor(text: str) -> bool:
    """Whether ``text`` may hold an anchor or an alias: an indicator followed by a name, at the start
    of a line, after white space or after a flow indicator. Prose such as "R&D" or "Q & A" does not
    count, so most files need no token scan to be sure they have neither."""
    if "&" not in text and "*" not in text:
        return False
    for match in _ANCHOR_OR_ALIAS.finditer(text):
        index = match.start()
        if index == 0 or text[index - 1].isspace() or text[index - 1] in _BEFORE_ANCHOR:
            return True
    return False


def _report_anchors(document: Document, tokens: _Tokens, builder: _Builder) -> None:
    """One JMB011 finding for each anchor, alias and merge key, up to :data:`_ANCHORS_LISTED`."""
    properties = tokens.properties()
    if not properties and not builder.merge_keys:
        return
    # An anchor is written where its node starts (the node's properties come first); an alias is
    # read in the order of the text, so the n-th alias written is the n-th the builder met.
    # In the order of the text, so that a key anchored at the start of a block mapping (which
    # starts where its first key does) is found rather than the mapping.
    starts = {node.start_mark.index: path for node, path in (builder.built or {}).values()}
    alias_paths = iter(builder.alias_paths)
    found: list[tuple[int, int, int, FieldPath, str]] = []
    for kind, mark in properties:
        if kind == "anchor":
            path = starts.get(mark.index, ())
            message = f"a YAML anchor (&): {_NO_ANCHORS}"
        else:
            path = next(alias_paths, ())
            message = f"a YAML alias (*), read as empty: {_NO_ANCHORS}"
        found.append((mark.index, mark.line, mark.column, path, message))
    for key_node, path in builder.merge_keys:
        mark = key_node.start_mark
        message = f"a YAML merge key (<<), whose fields are not read: {_NO_ANCHORS}"
        found.append((mark.index, mark.line, mark.column, path, message))
    found.sort(key=lambda entry: entry[0])
    for _, line, column, path, message in found[:_ANCHORS_LISTED]:
        document.findings.append(
            document.finding_at(
                line + 1, column + 1, LoadCode.ANCHOR, Severity.ERROR, dotted(path), message
            )
        )
    if len(found) > _ANCHORS_LISTED or tokens.more:
        _, line, column, path, _ = found[min(_ANCHORS_LISTED, len(found) - 1)]
        document.findings.append(
            document.finding_at(
                line + 1,
                column + 1,
                LoadCode.ANCHOR,
                Severity.ERROR,
                dotted(path),
                f"more anchors, aliases or merge keys from here on (the first {_ANCHORS_LISTED} "
                "are listed)",
            )
        )


def _report_hidden_breaks(document: Document, tokens: _Tokens) -> None:
    """A JMB001 finding for each NEL, LS and PS outside quoted text: YAML ends a line (and so a
    comment) there, where an editor shows one line going on."""
    if not tokens.has_hidden_breaks:
        return
    spans = tokens.quoted()
    span_starts = [start for start, _ in spans]
    for match in _HIDDEN_BREAKS.finditer(document.text):
        index = match.start()
        at = bisect.bisect_right(span_starts, index) - 1
        if at >= 0 and index < spans[at][1]:
            continue  # inside quotes it is text, folded as the quotes say
        line, column = document.index_position(index)
        _fail(
            document,
            LoadCode.SYNTAX,
            line,
            column,
            f"{_HIDDEN_BREAK_NAMES[match.group()]} ends a line for YAML but not in most editors, "
            "so what follows can pass for part of a comment or of the line above; use an "
            "ordinary line break",
        )


class _Builder:
    """Turns composed nodes into plain data, recording positions and duplicate keys on the way."""

    def __init__(self, document: Document, *, track_aliases: bool) -> None:
        self.document = document
        self.nodes = 0
        self.chars = 0
        self.constructor = YamlLoader("")  # only its scalar constructors and resolver are used
        #: In a text with anchors, each node built (keys included) and the path it was first built
        #: at, by the node's id: a node met again is an alias, read as empty rather than copied.
        self.built: dict[int, tuple[Node, FieldPath]] | None = {} if track_aliases else None
        #: The paths of the aliases met, in the order of the text.
        self.alias_paths: list[FieldPath] = []
        #: Each merge key met, with the path of its mapping.
        self.merge_keys: list[tuple[Node, FieldPath]] = []
        self._extents: dict[int, tuple[int, int]] = {}

    def build(self, node: Node, path: FieldPath, depth: int) -> Any:
        built = self.built
        if built is not None:
            if id(node) in built:
                return self._alias(node, path)
            built[id(node)] = (node, path)
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise self._too_many(node, path)
        if depth > MAX_DEPTH:
            raise _LoadProblem(
                LoadCode.TOO_COMPLEX, node, f"nested more than {MAX_DEPTH} levels deep", path
            )
        self.document.value_nodes[path] = node
        if isinstance(node, ScalarNode):
            return self._scalar(node, path)
        if isinstance(node, SequenceNode):
            if node.tag != _SEQ:
                self._refuse_tag(node, path)
            return [
                self.build(item, (*path, index), depth + 1) for index, item in enumerate(node.value)
            ]
        if node.tag != _MAP:
            self._refuse_tag(node, path)
        return self._mapping(node, path, depth)  # type: ignore[arg-type]

    def _implicit_tag(self, value: str) -> str:
        """The tag YAML gives ``value`` written plain, without a tag of its own."""
        return str(self.constructor.resolve(ScalarNode, value, (True, False)))  # type: ignore[no-untyped-call]

    def _too_many(self, node: Node, path: FieldPath) -> _LoadProblem:
        return _LoadProblem(
            LoadCode.TOO_COMPLEX,
            node,
            f"expands to more than {MAX_NODES:,} values (an alias bomb?); a record has a few "
            "hundred",
            path,
        )

    def _count_text(self, text: str, node: Node, path: FieldPath) -> None:
        self.chars += len(text)
        if self.chars > MAX_CHARS:
            raise _LoadProblem(
                LoadCode.TOO_COMPLEX,
                node,
                f"expands to more than {MAX_CHARS:,} characters of text (an alias bomb?); a "
                f"record is at most {MAX_BYTES:,} bytes",
                path,
            )

    def _alias(self, node: Node, path: FieldPath) -> None:
        """An alias: counted as the values and text it would expand to, read as empty."""
        assert self.built is not None
        self.alias_paths.append(path)
        self.document.aliases[path] = self.built[id(node)][1]
        # Its place is its key's: the node's own place is the anchor's, elsewhere.
        self.document.value_nodes.pop(path, None)
        nodes, chars = self._extent(node, path)
        self.nodes += nodes
        if self.nodes > MAX_NODES:
            raise self._too_many(node, path)
        self.chars += chars
        self._count_text("", node, path)
        return None

    def _extent(self, start: Node, path: FieldPath) -> tuple[int, int]:
        """How many values and characters of text ``start`` expands to, aliases included; each
        node is counted once (so a billion laughs costs its size in the file, not its expansion)."""
        extents = self._extents
        open_nodes: set[int] = set()
        stack: list[tuple[Node, bool]] = [(start, False)]
        while stack:
            node, children_done = stack.pop()
            key = id(node)
            if children_done:
                open_nodes.discard(key)
                nodes, chars = 1, 0
                for child in _children(node):
                    child_nodes, child_chars = extents[id(child)]
                    nodes += child_nodes
                    chars += child_chars
                extents[key] = (nodes, chars)
                continue
            if key in extents:
                continue
            if isinstance(node, ScalarNode):
                extents[key] = (1, len(node.value))
                continue
            if key in open_nodes:
                raise _LoadProblem(
                    LoadCode.TOO_COMPLEX,
                    node,
                    "an alias refers to itself (a recursive structure)",
                    path,
                )
            open_nodes.add(key)
            stack.append((node, True))
            stack.extend((child, False) for child in _children(node) if id(child) not in extents)
        return extents[id(start)]

    def _scalar(self, node: ScalarNode, path: FieldPath) -> Any:
        tag = node.tag
        value = node.value
        if tag == _STR:
            self.chars += len(value)  # _count_text, inlined: this is the path of most values
            if self.chars > MAX_CHARS:
                self._count_text("", node, path)
            return value
        plain = node.style in (None, "")
        if tag == _NULL and plain and value in _PLAIN_NULLS:
            return None
        if not plain or self._implicit_tag(value) != tag:
            # An explicit tag that makes the value something other than what is written.
            return self._refuse_tag(node, path)
        if tag in (_MERGE, _VALUE):
            # "<<" and "=" as values: YAML 1.1 has no value for them to be, so they are text.
            self._count_text(value, node, path)
            return value
        try:
            return self.constructor.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, TypeError, OverflowError) as error:
            return self._unreadable(node, path, error)

    def _refuse_tag(self, node: Node, path: FieldPath) -> Any:
        """Report a tag that changes what a value is; a scalar is then read as the text written."""
        self._report(
            node,
            path,
            f"{_tag_name(node.tag)} is not allowed: a record's values are read as written (text, "
            "numbers, dates, lists and mappings); remove the tag",
        )
        if isinstance(node, ScalarNode):
            self._count_text(node.value, node, path)
            return node.value
        return None

    def _unreadable(self, node: ScalarNode, path: FieldPath, error: Exception) -> str:
        """Report a value YAML reads as a date, a number or a boolean but cannot make into one;
        it is then read as the text written."""
        if node.tag == _TIMESTAMP:
            message = f"not a real date or time ({error}); write dates as YYYY-MM-DD"
        elif node.tag == _INT and isinstance(error, ValueError):
            message = "a number too long to read; put it in quotes if it is text"
        else:
            problem = getattr(error, "problem", None) or str(error)
            message = f"cannot be read ({problem}); put it in quotes if it is text"
        self._report(node, path, message)
        self._count_text(node.value, node, path)
        return str(node.value)

    def _report(self, node: Node, path: FieldPath, message: str) -> None:
        self.document.refused.add(path)
        self.document.findings.append(
            self.document.finding_at(
                node.start_mark.line + 1,
                node.start_mark.column + 1,
                LoadCode.WRONG_TYPE,
                Severity.ERROR,
                dotted(path),
                message,
            )
        )

    def _mapping(self, node: MappingNode, path: FieldPath, depth: int) -> dict[str, Any]:
        document = self.document
        built = self.built
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                # Read, for its positions and anchors, but never merged: JMB011 reports it.
                self.merge_keys.append((key_node, path))
                self.build(value_node, (*path, "<<"), depth + 1)
                continue
            if not isinstance(key_node, ScalarNode):
                raise _LoadProblem(
                    LoadCode.WRONG_TYPE,
                    key_node,
                    "a key must be plain text, not a list or mapping",
                    path,
                )
            text = str(key_node.value)
            aliased = built is not None and id(key_node) in built
            # A key written as an alias is read as ALIAS_KEY, as an alias value is read as empty:
            # the text it repeats (a heading of Part 2, say) never becomes a field's name in a finding.
            key = ALIAS_KEY if aliased else text
            child = (*path, key)
            if built is not None:
                if aliased:
                    self.alias_paths.append(child)
                    document.aliases[child] = built[id(key_node)][1]
                else:
                    built[id(key_node)] = (key_node, child)
            self._count_text(text, key_node, child)
            if key_node.tag != _STR and (
                key_node.style not in (None, "") or self._implicit_tag(text) != key_node.tag
            ):
                self._refuse_tag(key_node, child)
            if key in result and not aliased:  # aliases are refused anyway (JMB011)
                previous = document.key_nodes[child].start_mark
                document.findings.append(
                    document.finding_at(
                        key_node.start_mark.line + 1,
                        key_node.start_mark.column + 1,
                        LoadCode.DUPLICATE_KEY,
                        Severity.ERROR,
                        dotted(child),
                        f"duplicate key: also set on line {previous.line + 1}; "
                        "YAML would silently keep only this one",
                    )
                )
            # The last of duplicate keys is the value read, so it is the one whose place is kept.
            document.key_nodes[child] = key_node
            result[key] = self.build(value_node, child, depth + 1)
        return result


def _children(node: Node) -> Iterator[Node]:
    if isinstance(node, SequenceNode):
        yield from node.value
    elif isinstance(node, MappingNode):
        for key, value in node.value:
            yield key
            yield value


def _tag_name(tag: str) -> str:
    """ "the tag !!binary", as the tag is written; "a tag" for one that is not short printable text."""
    shown = "!!" + tag[len(_YAML_TAG) :] if tag.startswith(_YAML_TAG) else tag
    return f"the tag {shown}" if re.fullmatch(r"[!-~]{1,40}", shown) else "a tag"
