"""``[signing] order`` in ``jmb.toml``: validated like the rest of the configuration, and enforced by
``jmb sign``."""

from __future__ import annotations

from pathlib import Path

import pytest

from jmb.core.errors import ConfigError
from jmb.repo.config import load_config
from tests.signing_support import CC, MO, PCC, RECORD, invoke


def sign(role: str) -> tuple[int, str, str]:
    return invoke("sign", "2019/09", "--role", role, "--name", "N", "--date", "2019-06-20")


def test_the_default_is_any_order(repo: Path) -> None:
    assert load_config(repo).signing.order == "any"
    assert [sign(role)[0] for role in (CC, MO, PCC)] == [0, 0, 0]


def test_declarations_first(repo: Path) -> None:
    (repo / "jmb.toml").write_text('[signing]\norder = "declarations-first"\n')
    before = (repo / RECORD).read_text()
    assert sign(PCC) == (
        1,
        "",
        f"jmb: the {MO} must sign before the {PCC} "
        '([signing] order = "declarations-first" in jmb.toml)\n',
    )
    assert (repo / RECORD).read_text() == before
    assert [sign(role)[0] for role in (MO, PCC, CC)] == [0, 0, 0]


def test_decisions_first(repo: Path) -> None:
    (repo / "jmb.toml").write_text('[signing]\norder = "decisions-first"\n')
    assert sign(MO)[2] == (
        f"jmb: the {PCC} and the {CC} must sign before the {MO} "
        '([signing] order = "decisions-first" in jmb.toml)\n'
    )
    assert [sign(role)[0] for role in (CC, PCC, MO)] == [0, 0, 0]


def test_an_explicit_order_of_roles(repo: Path) -> None:
    (repo / "jmb.toml").write_text(f'[signing]\norder = ["{MO}", "{CC}"]\n')
    assert sign(CC)[2] == (
        f"jmb: the {MO} must sign before the {CC} ([signing] order = [{MO}, {CC}] in jmb.toml)\n"
    )
    # A role the list leaves out signs at any time.
    assert [sign(role)[0] for role in (PCC, MO, CC)] == [0, 0, 0]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '[signing]\norder = "declaration-first"\n',
            "jmb.toml:2: configuration error: signing.order: 'declaration-first' is not a "
            "signing order; did you mean 'declarations-first'?",
        ),
        (
            '[signing]\norder = "sideways"\n',
            "jmb.toml:2: configuration error: signing.order: 'sideways' is not a signing order; "
            "the named orders are: any, declarations-first, decisions-first (or give a list of "
            "roles)",
        ),
        (
            "[signing]\norder = 3\n",
            "jmb.toml:2: configuration error: signing.order: should be 'any', "
            "'declarations-first', 'decisions-first' or a list of roles",
        ),
        (
            f'[signing]\norder = ["{CC}", "{CC}"]\n',
            "jmb.toml:2: configuration error: signing.order: a role is listed twice in the "
            "signing order",
        ),
        (
            f'[signing]\norder = ["{MO}", "Chief Constabl"]\n',
            "jmb.toml:1: configuration error: signing: the order names 'Chief Constabl', not a "
            "configured role; did you mean 'Chief Constable'?",
        ),
        (
            '[signing]\norder = "any"\nstrict = true\n',
            "jmb.toml:3: configuration error: signing.strict: unknown key; known keys here: order, "
            "require_keys, from, digests_from",
        ),
    ],
)
def test_a_malformed_order_is_a_configuration_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, message: str
) -> None:
    (tmp_path / "jmb.toml").write_text(text)
    with pytest.raises(ConfigError) as raised:
        load_config(tmp_path)
    assert str(raised.value) == f"{tmp_path.resolve()}/{message}"
    monkeypatch.chdir(tmp_path)
    code, _, err = invoke("sign", "2019/09", "--role", CC, "--name", "N")
    assert (code, err) == (3, f"jmb: {tmp_path.resolve()}/{message}\n")
