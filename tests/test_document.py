"""Reading files: positions inside every scalar style, and no traceback for any input."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jmb.check.engine import check_file
from jmb.record.document import Document, parse_text, read_document
from jmb.repo.config import Config
from tests.conftest import TODAY


def parsed(text: str) -> Document:
    document = Document(path="r.yaml", text=text)
    parse_text(document)
    return document


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("a: |\n  first line\n  second NEEDLE here\n", (3, 10)),
        ("a: >\n  first line\n  second NEEDLE here\n", (3, 10)),
        ("a: first line\n  second NEEDLE here\n", (2, 10)),
        ("a: 'first line\n  second NEEDLE here'\n", (2, 10)),
        ('a: "first line\n  second NEEDLE here"\n', (2, 10)),
        ("a: |\n    indented\n\n    after a blank NEEDLE\n", (4, 19)),
        ("a:\n  b:\n    - x\n    - |\n      deep NEEDLE\n", (5, 12)),
        ("a: café NEEDLE\n", (1, 9)),
    ],
)
def test_text_positions_point_at_the_text(text: str, where: tuple[int, int]) -> None:
    document = parsed(text)
    value = document.data["a"]
    path: tuple[str | int, ...] = ("a",)
    while not isinstance(value, str):
        if isinstance(value, dict):
            path, value = (*path, "b"), value["b"]
        else:
            path, value = (*path, 1), value[1]
    assert document.text_position(path, value.index("NEEDLE")) == where


def test_escapes_fall_back_to_the_scalar() -> None:
    document = parsed('a: "tab\\there NEEDLE"\n')
    assert document.text_position(("a",), document.data["a"].index("NEEDLE")) == (1, 4)


def test_positions_of_fields() -> None:
    document = parsed("a:\n  b: text\n  c:\n  d: [1]\nlist:\n  - k: v\n")
    assert document.position(("a", "b")) == (2, 6)  # a value
    assert document.position(("a", "c")) == (3, 3)  # empty: its key
    assert document.position(("a",)) == (1, 1)  # a block mapping: its key
    assert document.position(("a", "d")) == (4, 6)  # a flow list: itself
    assert document.position(("a", "missing")) == (1, 1)  # missing: its parent's key
    assert document.position(("list", 0, "gone")) == (6, 5)  # in a list item: the item
    assert document.position(("nothing",)) == (1, 1)


@pytest.mark.parametrize(
    ("content", "code", "line", "column"),
    [
        (b"", "JMB009", 1, 1),
        (b"# only a comment\n", "JMB009", 1, 1),
        (b"- a\n- b\n", "JMB009", 1, 1),
        (b"just text\n", "JMB009", 1, 1),
        (b"a: 1\n---\nb: 2\n", "JMB009", 2, 1),
        (b"a: b: c\n", "JMB001", 1, 5),
        (b"a: [1, 2\n", "JMB001", 1, 4),  # the unclosed bracket, not the end of the file
        (b"title: caf\xe9\n", "JMB002", 1, 11),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "JMB002", 1, 1),
        (b"a: 1\x00\n", "JMB002", 1, 1),
        (
            b"a: &a [x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
            + b"".join(
                b"%c: &%c [*%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c]\n"
                % ((ord("c") + i,) * 2 + (ord("b") + i,) * 10)
                for i in range(8)
            ),
            "JMB008",
            6,
            1,
        ),
        (b"a: &x [1, *x]\n", "JMB008", 1, 1),
        (b"a: " + b"[" * 60 + b"]" * 60 + b"\n", "JMB008", 1, 1),
        (b"? [a, b]\n: c\n", "JMB007", 1, 3),
    ],
)
def test_broken_input_is_one_finding(
    tmp_path: Path, content: bytes, code: str, line: int, column: int
) -> None:
    path = tmp_path / "record.yaml"
    path.write_bytes(content)
    document = read_document(path, "record.yaml")
    # The anchors and aliases of the alias bombs are JMB011 findings of their own.
    found = [(f.code, f.line, f.column) for f in document.findings if f.code != "JMB011"]
    assert found == [(code, line, column)]
    assert document.data is None


@pytest.mark.parametrize(
    ("content", "column", "read_as"),
    [
        ("a: !!binary notbase64@@\n", 4, "notbase64@@"),
        ("a: 2019-02-30\n", 4, "2019-02-30"),
        ("a: 2019-06-12T25:00:00\n", 4, "2019-06-12T25:00:00"),
        ("a: !!int abc\n", 4, "abc"),
        ("a: !custom x\n", 4, "x"),
    ],
)
def test_a_value_that_cannot_be_read_is_one_finding_and_reading_goes_on(
    content: str, column: int, read_as: str
) -> None:
    """Changed in 0.2.0: a value that cannot be read no longer stops the reading of the file."""
    document = parsed(content + "b: next\n")
    assert [(f.code, f.line, f.column) for f in document.findings] == [("JMB007", 1, column)]
    assert document.data == {"a": read_as, "b": "next"}


def test_a_folder_and_a_missing_file_are_findings(tmp_path: Path) -> None:
    folder = tmp_path / "folder.yaml"
    folder.mkdir()
    found = read_document(folder, "folder.yaml").findings
    assert [(f.code, f.message) for f in found] == [("JMB002", "a folder, not a record file")]
    gone = read_document(tmp_path / "gone.yaml", "gone.yaml").findings
    assert [(f.code, f.message) for f in gone] == [
        ("JMB002", "cannot be read: No such file or directory")
    ]


@pytest.mark.parametrize("separator", ["\u2028", "\u0085", "\r"])
def test_positions_agree_with_libyaml_on_unusual_line_breaks(separator: str) -> None:
    """libyaml breaks lines at U+2028, U+0085 and a lone CR; text positions must count the same."""
    text = f'title: "one{separator}two"\nb: plain XXX\n'.replace(
        "\n", separator if separator == "\r" else "\n"
    )
    document = parsed(text)
    mark = document.value_nodes[("b",)].start_mark
    assert document.text_position(("b",), 6) == (mark.line + 1, mark.column + 7)


def test_many_findings_in_one_long_scalar_are_each_placed(tmp_path: Path) -> None:
    """One pass a scalar, not one a finding: 2,000 questions in a folded section, each placed."""
    body = "Is it ok? " * 2000
    document = parsed(f'a: "{body}"\n')
    offsets = list(range(0, len(body), 10))
    positions = [document.text_position(("a",), offset) for offset in offsets]
    assert positions == [(1, 5 + offset) for offset in offsets]


def test_many_findings_in_one_long_literal_block_are_each_placed() -> None:
    """A ``|`` block of 5,000 lines, a finding on each: every one on its own line and column (and
    the lines of the block are counted once, not once a finding: 20,000 placeholders took 4.4 s,
    now 0.9 s)."""
    lines = [f"{'  ' * (index % 3)}TBC {index}" for index in range(5000)]
    document = parsed("title: x\nplan_links: |\n" + "".join(f"  {line}\n" for line in lines))
    value = "".join(f"{line}\n" for line in lines)
    offsets = [value.index(f"TBC {index}\n") for index in range(0, 5000, 7)]
    positions = [document.text_position(("plan_links",), offset) for offset in offsets]
    assert positions == [(3 + index, 3 + 2 * (index % 3)) for index in range(0, 5000, 7)]


def test_duplicate_keys_are_reported_and_reading_goes_on() -> None:
    document = parsed("title: one\nstatus: draft\ntitle: two\n")
    assert [(f.code, f.line, f.column, f.field, f.message) for f in document.findings] == [
        (
            "JMB003",
            3,
            1,
            "title",
            "duplicate key: also set on line 1; YAML would silently keep only this one",
        )
    ]
    assert document.data == {"title": "two", "status": "draft"}


def test_merge_keys_are_refused_and_not_merged_and_dates_are_read() -> None:
    """Changed in 0.2.0: anchors, aliases and merge keys are JMB011 errors; a merge key's fields
    are not merged and an alias is read as empty."""
    document = parsed("base: &b {x: 1}\nother:\n  <<: *b\n  y: 2\nwhen: 2019-06-12\n")
    assert document.data == {"base": {"x": 1}, "other": {"y": 2}, "when": date(2019, 6, 12)}
    assert [(f.code, f.line, f.column, f.field) for f in document.findings] == [
        ("JMB011", 1, 7, "base"),
        ("JMB011", 3, 3, "other"),
        ("JMB011", 3, 7, "other.<<"),
    ]


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.binary(max_size=400) | st.text(max_size=400).map(str.encode))
def test_no_input_raises(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "fuzz.yaml"
    path.write_bytes(content)
    result = check_file(path, Config(root=tmp_path), TODAY)
    for finding in result.findings:
        assert finding.line >= 1 and finding.column >= 1


YAMLISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=30) | st.dates().map(str),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "jmb",
                    "number",
                    "title",
                    "date",
                    "status",
                    "signatures",
                    "part2",
                    "implications",
                    "recommendation",
                    "items",
                    "role",
                    "name",
                    "appendices",
                    "label",
                    "file",
                    "sections",
                ]
            ),
            children,
            max_size=6,
        )
    ),
    max_leaves=25,
)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(YAMLISH)
def test_no_record_shape_raises(tmp_path: Path, data: object) -> None:
    """Any structure, with record keys in the wrong places and wrong types, gives findings only."""
    import yaml

    path = tmp_path / "records" / "2019" / "2019-01-x.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        yaml.safe_dump({"jmb": 1, "content": data, **(data if isinstance(data, dict) else {})})
    )
    check_file(path, Config(root=tmp_path), TODAY)
