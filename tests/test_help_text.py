"""Issue 11: ``jmb rules`` prints plain text, and usage lines name arguments as users type them.

Rule docstrings are written in reStructuredText (````title````), which is how the documentation
reads in the source; ``jmb rules`` (and SARIF's descriptions) turn them into plain text when they
print them. typer 0.2x writes a required argument as ``{ref}`` and a value as ``<str>``; jmb's
commands write ``REF`` and ``--role ROLE``, as in every other command-line tool's help.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from jmb.check.rules import RULES
from tests.signing_support import invoke


def test_sign_help_names_what_to_type() -> None:
    code, out, _ = invoke("sign", "--help")
    assert code == 0
    assert out == (
        "Usage: jmb sign [OPTIONS] REF\n"
        "\n"
        "  Sign a record in a role; the last signature approves it.\n"
        "\n"
        "Arguments:\n"
        "  REF  The record: its number (2019/09) or its file.  [required]\n"
        "\n"
        "Options:\n"
        "  --role ROLE  The configured role signing.  [required]\n"
        "  --name NAME  The signatory's name.  [required]\n"
        "  --date DATE  Date of the signature (default: today).\n"
        "  --key FILE   Private key file (jmb keys new); its passphrase from\n"
        "               JMB_KEY_PASSPHRASE.\n"
        "  -h, --help   Show this message and exit.\n"
    )


@pytest.mark.parametrize(
    ("command", "usage"),
    [
        ((), "Usage: jmb [OPTIONS] COMMAND [ARGS]..."),
        (("sign",), "Usage: jmb sign [OPTIONS] REF"),
        (("status",), "Usage: jmb status [OPTIONS] REF STATUS"),
        (("import",), "Usage: jmb import [OPTIONS] FILE..."),
        (("validate",), "Usage: jmb validate [OPTIONS] [PATHS]..."),
        (("render",), "Usage: jmb render [OPTIONS] [REFS]..."),
        (("verify",), "Usage: jmb verify [OPTIONS] [REFS]..."),
        (("init",), "Usage: jmb init [OPTIONS] [FOLDER]"),
        (("rules",), "Usage: jmb rules [OPTIONS] [CODE]"),
        (("keys", "new"), "Usage: jmb keys new [OPTIONS]"),
    ],
)
def test_usage_lines_name_arguments_as_users_type_them(
    command: tuple[str, ...], usage: str
) -> None:
    code, out, _ = invoke(*command, "--help")
    assert code == 0
    assert out.splitlines()[0] == usage


def test_render_help_shows_choices_and_value_names_not_python_types() -> None:
    _, out, _ = invoke("render", "--help")
    assert "  REFS...  Decision numbers (2019/09) or record paths.\n" in out
    assert "  --part [1|2]  " in out
    assert "  -f, --format [html|pdf|docx|md|all]\n" in out
    assert "  --out PATH  " in out
    assert "  -j, --jobs N  " in out
    for typer_mark in ("<", ">", "{", "}"):
        assert typer_mark not in out.split("Options:")[0]
    assert "<str>" not in out and "<path>" not in out and "<int range>" not in out


def test_a_missing_argument_is_named_as_in_the_usage_line(tmp_path: Path) -> None:
    assert invoke("sign") == (
        2,
        "",
        "Usage: jmb sign [OPTIONS] REF\nTry 'jmb sign -h' for help.\n\n"
        "Error: Missing argument 'REF'.\n",
    )


def test_rules_lists_each_rule_on_one_line_in_plain_text() -> None:
    code, out, _ = invoke("rules")
    assert code == 0
    lines = out.splitlines()
    assert [line.split()[0] for line in lines] == sorted(RULES)
    assert "`" not in out
    assert lines[1] == (
        "JMB002  error    unreadable-file        The path cannot be read as a record: a folder, "
        "binary data, text that is not UTF-8, too large, not a regular file, or a link out of the "
        "repository; or a folder of records cannot be listed."
    )
    assert lines[3] == (
        "JMB004  error    format-version         The record has no jmb: format version, or one "
        "this jmb does not read."
    )


def test_one_rules_documentation_is_plain_text() -> None:
    code, out, _ = invoke("rules", "JMB004")
    assert code == 0
    assert out == (
        "JMB004 format-version (error, since 0.1.0)\n"
        "\n"
        "The record has no jmb: format version, or one this jmb does not read.\n"
        "\n"
        "Every record starts with jmb: 1, the version of the record format. A record written for a newer\n"
        "format is not checked further: upgrade jmb. A missing version is reported, and the record is checked\n"
        "as format 1.\n"
    )


@pytest.mark.parametrize("code", sorted(RULES))
def test_no_rule_documentation_prints_backticks(code: str) -> None:
    status, out, _ = invoke("rules", code)
    assert status == 0
    assert "`" not in out


def test_sarif_describes_rules_in_plain_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    record = tmp_path / "records/2019/2019-09-x.yaml"
    record.parent.mkdir(parents=True)
    record.write_text("number: '2019/09'\n", encoding="utf-8")  # no jmb: version, no title...
    monkeypatch.chdir(tmp_path)
    _, out, _ = invoke("validate", "--format", "sarif")
    rules = json.loads(out)["runs"][0]["tool"]["driver"]["rules"]
    described = {rule["id"]: rule for rule in rules}
    assert described["JMB004"]["shortDescription"]["text"] == (
        "The record has no jmb: format version, or one this jmb does not read."
    )
    assert all("`" not in json.dumps(rule) for rule in rules)
