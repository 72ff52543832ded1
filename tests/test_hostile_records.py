"""Hostile records: a signed, approved decision with a Part 2, then edited with the YAML features an
attacker or a careless clerk reaches for (tags, anchors and aliases, merge keys, duplicate keys, line
breaks only libyaml sees, control and bidi characters, impossible dates, endless words).

For every edit Hypothesis makes, through the real command line:

- no command ends in a traceback: each exits 0 or 1 with its findings or one line of error;
- the Part 2 secret is in no Part 1 output and in no message of any command;
- if ``jmb verify`` passes, the rendered Part 1 is exactly what was rendered when it was signed: a
  signature proves what the public reads.
"""

from __future__ import annotations

import base64
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from jmb.cli import app
from tests.signing_support import CC, MO, PASSPHRASE, PCC, RECORD, clean_example

#: In the Part 2 text only: a hit anywhere public is a leak.
SECRET = "Q7XKESTRELSECRET"
PART2 = f"""part2:
  marking: OFFICIAL-SENSITIVE
  exemption: s.43 commercial interests
  sections:
    - heading: Commercial terms
      text: |
        The contribution of {SECRET} is commercially confidential until the contract is signed.
"""
#: Base64 that reads as text: the !!binary attack turns it into other words with the same digest.
PAPER_REFERENCE = base64.b64encode(b"Visit the new portal").decode("ascii")
ENV = {"JMB_KEY_PASSPHRASE": PASSPHRASE}


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args), env=ENV)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def signed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A repository whose one record is approved with three keyed signatures, and the Part 1 of
    it rendered when it was signed (``signed/``)."""
    root = tmp_path_factory.mktemp("signed")
    keys = tmp_path_factory.mktemp("keys")
    text = clean_example().replace("part2: null\n", PART2)
    text = text.replace(
        "  - title: National clarification of concerns, May 2019",
        f"  - title: National clarification of concerns, May 2019\n"
        f"    reference: {PAPER_REFERENCE}",
    )
    (root / RECORD).parent.mkdir(parents=True)
    (root / RECORD).write_text(text, encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(root)
        patch.setenv("XDG_CONFIG_HOME", str(keys))
        for role, name in ((PCC, "Jane Ashworth"), (CC, "Andy Rhodes"), (MO, "Abigail Leech")):
            code, out, err = invoke(
                "keys", "new", "--role", role, "--name", name, "--valid-from", "2019-01-01",
                "--out", str(keys / role.replace(" ", "-")),
            )  # fmt: skip
            assert code == 0, err
            key = out.splitlines()[1].removeprefix("private key: ")
            code, out, err = invoke(
                "sign", "2019/09", "--role", role, "--name", name, "--date", "2019-06-21",
                "--key", key,
            )  # fmt: skip
            assert code == 0, err
        code, out, err = invoke("verify")
        assert code == 0, out + err
        for fmt in ("html", "md"):
            code, _, err = invoke("render", "2019/09", "--format", fmt, "--out", "signed")
            assert code == 0, err
    return root


def _sub(old: str, new: str) -> Callable[[str], str]:
    return lambda text: text.replace(old, new, 1)


def _alias_into_part1(text: str) -> str:
    text = text.replace("      text: |\n", "      text: &part2 |\n", 1)
    return _move_to_end(text, "consultation", "consultation: *part2\n")


def _merge_key(text: str) -> str:
    start = text.index("    - heading: Commercial terms")
    end = text.index("signatures:")
    section = (
        "    - {<<: {text: See the annex.}, heading: Commercial terms,\n"
        f"       text: &hidden {SECRET} is the figure}}\n"
    )
    text = text[:start] + section + text[end:]
    return _move_to_end(text, "consultation", "consultation: *hidden\n")


def _duplicate_key(text: str) -> str:
    text = text.replace(
        "      text: |\n", f"      text: &twice {SECRET} is the figure\n      text: |\n", 1
    )
    return _move_to_end(text, "consultation", "consultation: *twice\n")


def _move_to_end(text: str, key: str, new: str) -> str:
    """``text`` without the top-level ``key`` and its block, and ``new`` at its end (an alias must
    come after its anchor, and Part 2 comes late in a record)."""
    start = text.index(f"\n{key}:") + 1
    end = start + 1
    lines = text[start:].splitlines(keepends=True)
    end = start + len(lines[0])
    for line in lines[1:]:
        if line.strip() and not line.startswith((" ", "#")):
            break
        end += len(line)
    return text[:start] + text[end:] + new


def _odd_break(char: str) -> Callable[[str], str]:
    # Every editor shows one comment line; libyaml ends the comment at the character.
    return _sub("\nplan_links:", f"\n# reviewed{char}board: Hidden Board\nplan_links:")


#: Edits that keep what the record says: verify passes and Part 1 must not change.
HARMLESS: dict[str, Callable[[str], str]] = {
    "str-tag": _sub("title: Single Online Home", "title: !!str Single Online Home"),
    "quoted": _sub("title: Single Online Home", 'title: "Single Online Home"  # quoted'),
    "comment": _sub("\nplan_links:", "\n# a reviewer's note\nplan_links:"),
}
#: Edits an attacker makes.
HOSTILE: dict[str, Callable[[str], str]] = {
    "binary-tag": _sub(f"reference: {PAPER_REFERENCE}", f"reference: !!binary {PAPER_REFERENCE}"),
    "alias-into-part1": _alias_into_part1,
    "merge-key": _merge_key,
    "duplicate-key": _duplicate_key,
    "nel": _odd_break("\x85"),
    "line-separator": _odd_break("\u2028"),
    "paragraph-separator": _odd_break("\u2029"),
    "escape-in-name": _sub("name: Andy Rhodes", 'name: "Andy Rhodes\\e[8m"'),
    "bidi-in-title": _sub("title: Single Online Home", "title: Single \u202eemoH enilnO"),
    "crashing-tag": _sub("title: Single Online Home", "title: !!timestamp soon"),
    "bool-tag": _sub("report_by: Ian Dickinson", "report_by: !!bool maybe"),
    "datetime": _sub("date: 2019-06-12", "date: 2019-06-12T10:00:00"),
    "int-date": _sub("date: 2019-06-12", "date: 1560297600"),
    "long-word": _sub("\nplan_links: |\n", "\nplan_links: |\n  " + "x" * 400 + "\n"),
    "signature-2100": _sub("date: 2019-06-21", "date: 2100-06-21"),
}
EDITS = {**HARMLESS, **HOSTILE}


def _outputs(root: Path) -> Iterator[tuple[str, int, str]]:
    """Every command a user or CI runs on the record: its name, exit code and all it printed."""
    for fmt in ("text", "json", "github", "sarif"):
        code, out, err = invoke("validate", "--format", fmt)
        yield f"validate --format {fmt}", code, out + err
    code, out, err = invoke("verify")
    yield "verify", code, out + err
    for fmt in ("html", "md"):
        code, out, err = invoke("render", "2019/09", "--format", fmt, "--draft", "--out", "draft")
        yield f"render --draft --format {fmt}", code, out + err


def _each_alone(test: Callable[..., None]) -> Callable[..., None]:
    """Every edit is tried on its own too, whatever Hypothesis draws."""
    for name in sorted(EDITS):
        test = example(names=[name])(test)
    return test


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@_each_alone
@given(names=st.lists(st.sampled_from(sorted(EDITS)), min_size=2, max_size=3, unique=True))
def test_a_hostile_edit_breaks_no_promise(
    signed: Path, tmp_path_factory: pytest.TempPathFactory, names: list[str]
) -> None:
    root = tmp_path_factory.mktemp("hostile")
    shutil.copytree(signed, root, dirs_exist_ok=True)
    record = root / RECORD
    text = record.read_text(encoding="utf-8")
    for name in names:
        text = EDITS[name](text)
    record.write_text(text, encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(root)
        verified = False
        for command, code, printed in _outputs(root):
            assert code in (0, 1), f"{names}: jmb {command} exited {code}:\n{printed}"
            assert "Traceback" not in printed, f"{names}: jmb {command}:\n{printed}"
            assert SECRET not in printed, f"{names}: jmb {command} printed Part 2:\n{printed}"
            verified = verified or (command == "verify" and code == 0)
        for path in (root / "draft").glob("*"):
            assert SECRET not in path.read_text(encoding="utf-8"), f"{names}: {path.name}"
        if set(names) <= set(HARMLESS):
            assert verified, f"{names} changes nothing the signatures cover, yet verify fails"
        if verified:
            for fmt in ("html", "md"):
                code, _, err = invoke("render", "2019/09", "--format", fmt, "--out", "now")
                assert code == 0, err
                name = f"2019-09-part1.{fmt}"
                assert (root / "now" / name).read_bytes() == (
                    signed / "signed" / name
                ).read_bytes(), f"{names}: verify passes, but Part 1 is not what was signed"
