from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from jmb.cli import app
from jmb.core.errors import ConfigError, UsageError
from jmb.repo.config import MONITORING_OFFICER_STATEMENT, load_config


def write_config(folder: Path, text: str) -> Path:
    path = folder / "jmb.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_reproduce_the_reference_form(tmp_path: Path) -> None:
    config = load_config(tmp_path)
    assert config.root == tmp_path.resolve()
    assert config.source is None
    assert config.organisation.name == "Lancashire Constabulary"
    assert config.organisation.strapline == "police and communities together"
    assert config.board.name == "Joint Management Board"
    assert config.numbering.pattern == "{year}/{seq:02d}"
    assert config.roles == (
        "Police and Crime Commissioner",
        "Chief Constable",
        "Monitoring Officer",
    )
    assert config.signatures[2].kind == "declaration"
    assert config.signatures[2].statement == MONITORING_OFFICER_STATEMENT
    assert "implications.equality" in config.sections.required
    assert config.publication.working_days == 3
    assert config.publication.region == "ENG"


def test_found_by_walking_up(tmp_path: Path) -> None:
    write_config(tmp_path, '[board]\nname = "Police and Crime Panel"\n')
    deep = tmp_path / "records" / "2019"
    deep.mkdir(parents=True)
    config = load_config(deep)
    assert config.root == tmp_path.resolve()
    assert config.records_dir == tmp_path.resolve() / "records"
    assert config.board.name == "Police and Crime Panel"


def test_everything_can_be_set(tmp_path: Path) -> None:
    write_config(
        tmp_path,
        """
[organisation]
name = "Office of the Police and Crime Commissioner"
strapline = "safer streets"
[board]
name = "Accountability Board"
[numbering]
pattern = "{seq:03d}/{year}"
year = "financial"
[[signatures]]
role = "Police and Crime Commissioner"
[[signatures]]
role = "Chief Finance Officer"
kind = "declaration"
statement = "I confirm the financial advice."
[sections]
required = ["executive_summary", "background_papers"]
[publication]
working_days = 5
region = "WLS"
""",
    )
    config = load_config(tmp_path)
    assert config.number_pattern.format(2019, 7) == "007/2019"
    assert config.numbering.year == "financial"
    assert config.roles == ("Police and Crime Commissioner", "Chief Finance Officer")
    assert config.sections.required == ("executive_summary", "background_papers")
    assert config.publication.region == "WLS"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[board\nname = 1\n", "jmb.toml:1: configuration error: not valid TOML"),
        (
            '[numbering]\npattern = "{year}/{sequence}"\n',
            "jmb.toml:2: configuration error: numbering.pattern: '{year}/{sequence}' uses "
            "{sequence}; only {year} and {seq} are known",
        ),
        (
            '[numbering]\nyear = "fiscal"\n',
            "jmb.toml:2: configuration error: numbering.year: Input should be 'calendar' or "
            "'financial'",
        ),
        (
            '[organisation]\nname = "x"\nstrapine = "y"\n',
            "jmb.toml:3: configuration error: organisation.strapine: unknown key; "
            "did you mean 'strapline'?",
        ),
        (
            '[boards]\nname = "x"\n',
            "jmb.toml:1: configuration error: boards: unknown key; did you mean 'board'?",
        ),
        (
            '[[signatures]]\nrole = "Chief Constable"\n[[signatures]]\nrole = "Chief Constable"\n',
            "jmb.toml:4: configuration error: signatures: the role 'Chief Constable' is "
            "configured twice",
        ),
        (
            '[[signatures]]\nrole = "Chief Constable"\nkind = "declaration"\nstatement = "x"\n',
            "jmb.toml:1: configuration error: signatures: no role of kind 'decision'; somebody "
            "has to decide",
        ),
        (
            "# comment\nnumbering = 3\n",
            "jmb.toml:2: configuration error: numbering: should be a table",
        ),
        (
            '[numbering]\n"pattern" = "{bad}"\n',
            "jmb.toml:2: configuration error: numbering.pattern: '{bad}' uses {bad}; only {year} "
            "and {seq} are known",
        ),
        (
            '\nnumbering.pattern = "{bad}"\n',
            "jmb.toml:2: configuration error: numbering.pattern: '{bad}' uses {bad}; only {year} "
            "and {seq} are known",
        ),
        (
            '[board]\nname = "x"\n\nnumbering = { year = "fiscal" }\n',
            "jmb.toml:4: configuration error: board.numbering: unknown key",
        ),
        (
            'numbering = { year = "fiscal" }\n',
            "jmb.toml:1: configuration error: numbering.year: Input should be 'calendar' or "
            "'financial'",
        ),
        ('root = "/etc"\n', "jmb.toml:1: configuration error: root: unknown key"),
        (
            '[publication]\nworking_days = "3"\n',
            "jmb.toml:2: configuration error: publication.working_days: should be a whole number",
        ),
        (
            "[sections]\nrequired = 'x'\n",
            "jmb.toml:2: configuration error: sections.required: should be a list",
        ),
        (
            '[[signatures]]\nrole = "Chief Constable"\nkind = "declaration"\n',
            "jmb.toml:1: configuration error: signatures[0]: the declaration of 'Chief Constable' "
            "needs a statement to declare",
        ),
        (
            '[sections]\nrequired = ["implications.legl"]\n',
            "jmb.toml:2: configuration error: sections.required: 'implications.legl' is not a "
            "section; did you mean 'implications.legal'?",
        ),
        (
            "[publication]\nworking_days = -1\n",
            "jmb.toml:2: configuration error: publication.working_days: Input should be greater "
            "than or equal to 0",
        ),
    ],
)
def test_malformed_or_contradictory_configuration(tmp_path: Path, text: str, message: str) -> None:
    write_config(tmp_path, text)
    with pytest.raises(ConfigError) as raised:
        load_config(tmp_path)
    shown = str(raised.value)
    assert "\n" not in shown
    assert shown.startswith(str(tmp_path.resolve() / "jmb.toml"))
    assert message.split("configuration error: ", 1)[1] in shown
    if message.startswith("jmb.toml:"):
        assert shown.startswith(f"{tmp_path.resolve() / 'jmb.toml'}:{message.split(':')[1]}:")


def test_a_jmb_toml_that_cannot_be_read_is_an_error_not_ignored(tmp_path: Path) -> None:
    (tmp_path / "jmb.toml").mkdir()
    with pytest.raises(
        ConfigError,
        match=r"jmb\.toml: configuration error: cannot read: not a regular file: a folder",
    ):
        load_config(tmp_path)
    (tmp_path / "jmb.toml").rmdir()
    (tmp_path / "jmb.toml").symlink_to(tmp_path / "gone.toml")
    with pytest.raises(ConfigError, match=r"cannot read: No such file or directory"):
        load_config(tmp_path)
    (tmp_path / "jmb.toml").unlink()
    (tmp_path / "jmb.toml").write_bytes(b'[board]\nname = "caf\xe9"\n')
    with pytest.raises(ConfigError, match=r"jmb.toml:2: configuration error: not UTF-8 text"):
        load_config(tmp_path)


def test_configuration_error_exits_3_with_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_config(tmp_path, '[numbering]\nyear = "fiscal"\n')
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["validate"])
    assert result.exit_code == 3
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert (
        lines[0].startswith("jmb: ")
        and "jmb.toml:2: configuration error: numbering.year" in lines[0]
    )
    assert "Traceback" not in result.output


def test_a_configuration_error_without_a_file_names_no_file() -> None:
    assert str(ConfigError(None, "should be a list", key="sections.required")) == (
        "configuration error: sections.required: should be a list"
    )
    assert str(ConfigError(Path("jmb.toml"), "unknown key", key="x", line=2)) == (
        "jmb.toml:2: configuration error: x: unknown key"
    )


def test_a_role_may_be_given_by_its_short_name(tmp_path: Path) -> None:
    """``short = "PCC"`` in ``[[signatures]]``: ``jmb sign --role pcc`` (and ``jmb keys new``)
    mean the Police and Crime Commissioner; the record holds the role as configured."""
    (tmp_path / "jmb.toml").write_text(
        '[[signatures]]\nrole = "Police and Crime Commissioner"\nkind = "decision"\nshort = "PCC"\n'
        '\n[[signatures]]\nrole = "Chief Constable"\nkind = "decision"\nshort = "CC"\n'
    )
    config = load_config(tmp_path)
    assert config.signing_role("pcc") == "Police and Crime Commissioner"
    assert config.signing_role(" CC ") == "Chief Constable"
    assert config.signing_role("Chief  Constable") == "Chief Constable"
    with pytest.raises(UsageError, match="'PFCC' is not a signing role"):
        config.signing_role("PFCC")


def test_a_short_name_that_is_another_roles_name_is_refused(tmp_path: Path) -> None:
    (tmp_path / "jmb.toml").write_text(
        '[[signatures]]\nrole = "Police and Crime Commissioner"\nkind = "decision"\n'
        'short = "chief constable"\n\n[[signatures]]\nrole = "Chief Constable"\nkind = "decision"\n'
    )
    with pytest.raises(
        ConfigError, match="the short name 'chief constable' is another role's name"
    ):
        load_config(tmp_path)
