"""``jmb init``: a decision repository for an office in one command."""

from __future__ import annotations

import json
import tomllib
from datetime import date
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from jmb.cli import app
from jmb.record.schema import schema_text
from jmb.repo.config import read_config
from jmb.repo.init import Office, config_toml, init_repository, toml_string

HOSTILE = 'Avon "&" \\ Somerset\nPCC\t\x1b[31m'


def invoke(*args: str, input: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args), input=input)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CI", raising=False)
    return tmp_path


def test_init_with_options_writes_a_repository_that_jmb_reads(here: Path) -> None:
    code, out, err = invoke(
        "init",
        "office",
        "--name",
        "Avon and Somerset PCC",
        "--board",
        "Executive Board",
        "--pattern",
        "PCC/{year}/{seq:03d}",
        "--year",
        "financial",
        "--signatory",
        "Police and Crime Commissioner",
        "--signatory",
        "Chief Executive",
        "--declaration",
        "Chief Finance Officer",
        "--working-days",
        "5",
        "--region",
        "wls",
    )
    assert code == 0, err
    root = here / "office"
    assert out.splitlines() == [
        "office/records/.gitkeep",
        "office/schemas/decision.schema.json",
        "office/.github/workflows/decisions.yml",
        "office/.pre-commit-config.yaml",
        "office/README.md",
        "office/.gitignore",
        "office/jmb.toml",
    ]
    config = read_config(root / "jmb.toml")
    assert config.organisation.name == "Avon and Somerset PCC"
    assert config.board.name == "Executive Board"
    assert config.numbering.pattern == "PCC/{year}/{seq:03d}"
    assert config.numbering.year == "financial"
    assert [(s.role, s.kind) for s in config.signatures] == [
        ("Police and Crime Commissioner", "decision"),
        ("Chief Executive", "decision"),
        ("Chief Finance Officer", "declaration"),
    ]
    assert config.publication.working_days == 5
    assert config.publication.region == "WLS"
    assert (root / "records").is_dir()
    assert (root / "schemas/decision.schema.json").read_text(encoding="utf-8") == schema_text()
    ignored = (root / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert {"build/", "confidential/", "*.jmb-manifest.json"} <= set(ignored)
    workflow = yaml.safe_load((root / ".github/workflows/decisions.yml").read_text("utf-8"))
    assert workflow["jobs"]["validate"]["steps"][-1] == {"run": "jmb validate"}
    hooks = yaml.safe_load((root / ".pre-commit-config.yaml").read_text("utf-8"))
    assert hooks["repos"][0]["hooks"][0]["entry"] == "jmb validate"
    readme = (root / "README.md").read_text(encoding="utf-8")
    for command in (
        "jmb new",
        "jmb validate",
        "jmb sign",
        "jmb render",
        "jmb publish",
        "jmb serve",
    ):
        assert f"`{command}" in readme
    assert "Executive Board, Avon and Somerset PCC" in readme


def test_validate_and_new_work_in_the_new_repository(
    here: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert invoke("init", "--name", "Avon and Somerset PCC", "--yes")[0] == 0
    code, out, err = invoke("validate", "--format", "text")
    assert (code, out, err) == (0, "0 records checked: 0 errors, 0 warnings\n", "")
    code, out, err = invoke("new", "--title", "Estates", "--date", "2026-05-01")
    assert (code, out) == (0, "records/2026/2026-01-estates.yaml\n"), err
    assert "Lancashire" not in err


def test_a_hostile_name_reads_back_exactly(here: Path) -> None:
    code, _, err = invoke("init", "--name", HOSTILE, "--board", 'B"\\oard', "--yes")
    assert code == 0, err
    config = read_config(here / "jmb.toml")
    assert config.organisation.name == HOSTILE
    assert config.board.name == 'B"\\oard'
    readme = (here / "README.md").read_text(encoding="utf-8")
    # The README shows the name on one line, its control characters escaped, never obeyed.
    assert (
        readme.splitlines()[0] == '# Decisions of the B"\\oard, Avon "&" \\ Somerset PCC \\x1b[31m'
    )
    assert "\x1b" not in readme


def test_toml_string_round_trips_every_character() -> None:
    text = "".join(chr(code) for code in range(0, 0x250)) + "\u2028\U0001f600"
    assert tomllib.loads(f"x = {toml_string(text)}")["x"] == text


def test_an_existing_jmb_toml_is_refused_and_nothing_is_written(here: Path) -> None:
    (here / "jmb.toml").write_text("# mine\n", encoding="utf-8")
    code, out, err = invoke("init", "--name", "X", "--yes")
    assert (code, out, err) == (
        1,
        "",
        "jmb: jmb.toml: exists already; jmb init never replaces a jmb.toml\n",
    )
    assert sorted(path.name for path in here.iterdir()) == ["jmb.toml"]
    assert (here / "jmb.toml").read_text(encoding="utf-8") == "# mine\n"


def test_a_bad_answer_is_a_usage_error_naming_its_option_and_nothing_is_written(
    here: Path,
) -> None:
    code, out, err = invoke("init", "--name", "X", "--pattern", "{year}", "--yes")
    assert code == 2 and out == ""
    assert err.startswith("jmb: --pattern: ") and err.count("\n") == 1
    code, _, err = invoke("init", "--name", "X", "--signatory", " ", "--yes")
    assert code == 2 and err.startswith("jmb: --signatory: "), err
    code, _, err = invoke("init", "--name", "X", "--region", "FRA", "--yes")
    assert code == 2 and err.startswith("jmb: --working-days or --region: "), err
    code, _, err = invoke("init", "--name", " \n", "--yes")
    assert (code, err) == (2, "jmb: --name: is empty; give the name printed on every decision\n")
    code, _, err = invoke("init", "--name", "X", "--board", "", "--yes")
    assert (code, err) == (2, "jmb: --board: is empty; give the name printed on every decision\n")
    assert list(here.iterdir()) == []


def test_without_a_terminal_the_name_is_required(here: Path) -> None:
    code, out, err = invoke("init")
    assert (code, out) == (2, "")
    assert err == "jmb: --name is required when jmb init does not ask at a terminal\n"
    assert list(here.iterdir()) == []


def test_at_a_terminal_it_asks_for_every_answer(
    here: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("jmb.cli._asks_at_terminal", lambda: True)
    answers = "\n".join(
        [
            "Cumbria OPFCC",  # organisation
            "Board",  # board
            "{seq:04d}/{year}",  # pattern
            "financial",  # year
            "Commissioner",  # deciders
            "-",  # no declarations
            "10",  # working days
            "sct",  # region
        ]
    )
    code, _, err = invoke("init", input=answers + "\n")
    assert code == 0, err
    config = read_config(here / "jmb.toml")
    assert config.organisation.name == "Cumbria OPFCC"
    assert config.numbering.pattern == "{seq:04d}/{year}"
    assert config.numbering.year == "financial"
    assert config.roles == ("Commissioner",)
    assert config.publication.working_days == 10
    assert config.publication.region == "SCT"


def test_existing_files_are_kept_and_gitignore_completed(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("ours\n", encoding="utf-8")
    (tmp_path / ".gitignore").write_text("*.pyc\nbuild/", encoding="utf-8")
    done = init_repository(tmp_path, Office(name="X"))
    assert tmp_path / "README.md" in done.kept
    assert (tmp_path / "README.md").read_text(encoding="utf-8") == "ours\n"
    lines = (tmp_path / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert lines[:2] == ["*.pyc", "build/"]
    assert lines.count("build/") == 1
    assert "confidential/" in lines and "*.jmb-manifest.json" in lines
    assert json.loads((tmp_path / "schemas/decision.schema.json").read_text("utf-8"))


def test_gitignore_keeps_outputs_and_part2_out_of_git(tmp_path: Path) -> None:
    import shutil
    import subprocess

    git = shutil.which("git")
    if git is None:
        pytest.skip("git is not installed")
    init_repository(tmp_path, Office(name="X"))
    subprocess.run([git, "init", "-q", str(tmp_path)], check=True)
    for name in ("build/a.html", "out/confidential/b.html", "build/site.jmb-manifest.json"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    ignored = subprocess.run(
        [git, "-C", str(tmp_path), "check-ignore", "build/a.html", "out/confidential/b.html"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.split()
    assert ignored == ["build/a.html", "out/confidential/b.html"]
    manifest = subprocess.run(
        [git, "-C", str(tmp_path), "check-ignore", "x.jmb-manifest.json"],
        capture_output=True,
        check=False,
    )
    assert manifest.returncode == 0


NOTICE = (
    "jmb: notice: no jmb.toml here or above: using the built-in defaults of the reference form "
    "(Lancashire); run jmb init to set up your office\n"
)


@pytest.mark.notice_of_defaults
def test_without_jmb_toml_commands_that_write_under_the_office_name_say_so_once(
    here: Path,
) -> None:
    code, out, err = invoke("new", "--title", "Estates", "--date", "2026-05-01")
    assert (code, out) == (0, "records/2026/2026-01-estates.yaml\n")
    assert err.count(NOTICE) == 1 and err.startswith(NOTICE), err
    code, out, err = invoke("render", "2026/01", "--draft", "--format", "md")
    assert code == 0, err
    assert err == NOTICE
    code, _, err = invoke("publish", "--formats", "html", "--no-search")
    assert code == 0, err
    assert err.count(NOTICE) == 1, err


@pytest.mark.notice_of_defaults
def test_commands_that_only_read_stay_quiet_and_a_jmb_toml_silences_the_notice(
    here: Path,
) -> None:
    assert invoke("new", "--title", "Estates", "--date", "2026-05-01")[0] == 0
    for args in (("validate", "--format", "text"), ("list",), ("verify",), ("rules",)):
        assert "notice" not in invoke(*args)[2], args
    (here / "jmb.toml").write_text("", encoding="utf-8")
    code, _, err = invoke("render", "2026/01", "--draft", "--format", "md")
    assert (code, err) == (0, "")


def test_an_office_without_a_strapline_renders_no_empty_strapline(here: Path) -> None:
    assert invoke("init", "--name", "Avon and Somerset PCC", "--yes")[0] == 0
    assert invoke("new", "--title", "Estates", "--date", "2026-05-01")[0] == 0
    for fmt in ("md", "html", "docx"):
        code, _, err = invoke("render", "2026/01", "--draft", "--format", fmt)
        assert code == 0, err
    markdown = (here / "build/2026-01-part1.md").read_text(encoding="utf-8")
    assert "Avon and Somerset PCC, Joint Management Board\n" in markdown
    assert "PCC, _" not in markdown and "Lancashire" not in markdown
    html = (here / "build/2026-01-part1.html").read_text(encoding="utf-8")
    assert 'class="strapline"' not in html and "Lancashire" not in html
    import docx

    paragraphs = [p.text for p in docx.Document(str(here / "build/2026-01-part1.docx")).paragraphs]
    # The board is in capitals by its style (Board), as the HTML's is by the stylesheet.
    assert paragraphs[:2] == ["Avon and Somerset PCC", "Joint Management Board"]


def test_the_commented_base_url_is_ready_to_uncomment(tmp_path: Path) -> None:
    init_repository(tmp_path, Office(name="X"))
    path = tmp_path / "jmb.toml"
    assert read_config(path).publication.base_url is None
    path.write_text(path.read_text("utf-8").replace("# base_url", "base_url"), encoding="utf-8")
    assert read_config(path).publication.base_url == "https://example.org/decisions/"


def test_init_sets_the_day_signatures_need_digests_from(here: Path) -> None:
    """A new office signs with jmb from the day it starts: a signature on paper after that day is
    an error, so a record's signatures cannot be turned into paper ones and the record edited."""
    assert invoke("init", "--name", "An office", "--yes")[0] == 0
    config = read_config(here / "jmb.toml")
    assert config.signing.digests_from == date.today()
    text = (here / "jmb.toml").read_text(encoding="utf-8")
    assert "[signing]\n" in text and f"digests_from = {date.today().isoformat()}\n" in text
    assert "digests_from" not in config_toml(Office(name="An office"))
