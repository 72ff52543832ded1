"""The configuration of a decision repository: ``jmb.toml``, found by walking up from a folder.

With no ``jmb.toml`` jmb uses the current folder and defaults that reproduce the reference form, so
everything works with no configuration at all.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from jmb.constants import CONFIG_FILE, RECORDS_DIR
from jmb.errors import ConfigError
from jmb.model import DEFAULT_REQUIRED_SECTIONS, SECTIONS
from jmb.numbering import NumberPattern
from jmb.pydantic_paths import did_you_mean, known_keys

MONITORING_OFFICER_STATEMENT = (
    "I have been informed about the proposal and confirm that financial, legal and equalities "
    "advice has been taken into account in the preparation of this report. I am satisfied that "
    "this is an appropriate request to be submitted to the Police and Crime Commissioner for "
    "Lancashire."
)

#: The parts of the United Kingdom whose bank holidays count against publication deadlines.
UK_REGIONS = ("ENG", "NIR", "SCT", "WLS")


class _Table(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Organisation(_Table):
    name: str = "Lancashire Constabulary"
    strapline: str = "police and communities together"


class Board(_Table):
    name: str = "Joint Management Board"


class Numbering(_Table):
    pattern: str = "{year}/{seq:02d}"
    year: Literal["calendar", "financial"] = "calendar"

    @field_validator("pattern")
    @classmethod
    def _pattern_compiles(cls, pattern: str) -> str:
        NumberPattern(pattern)
        return pattern


class SignatureRole(_Table):
    role: str = Field(min_length=1)
    kind: Literal["decision", "declaration"] = "decision"
    statement: str | None = None

    @model_validator(mode="after")
    def _declaration_has_statement(self) -> SignatureRole:
        if self.kind == "declaration" and not (self.statement or "").strip():
            raise ValueError(f"the declaration of {self.role!r} needs a statement to declare")
        return self


DEFAULT_SIGNATURES = (
    SignatureRole(role="Police and Crime Commissioner", kind="decision"),
    SignatureRole(role="Chief Constable", kind="decision"),
    SignatureRole(
        role="Monitoring Officer", kind="declaration", statement=MONITORING_OFFICER_STATEMENT
    ),
)


class Sections(_Table):
    required: tuple[str, ...] = DEFAULT_REQUIRED_SECTIONS

    @field_validator("required")
    @classmethod
    def _known_sections(cls, required: tuple[str, ...]) -> tuple[str, ...]:
        for name in required:
            if name not in SECTIONS:
                close = difflib.get_close_matches(name, list(SECTIONS), n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                known = ", ".join(SECTIONS)
                raise ValueError(f"{name!r} is not a section{hint}; sections are: {known}")
        if len(set(required)) != len(required):
            raise ValueError("a section is listed twice")
        return required


class Publication(_Table):
    working_days: int = Field(3, ge=0, le=60)
    region: Literal["ENG", "NIR", "SCT", "WLS"] = "ENG"


class Config(_Table):
    """Everything ``jmb.toml`` can say, with the defaults of the reference form."""

    organisation: Organisation = Organisation()
    board: Board = Board()
    numbering: Numbering = Numbering()
    signatures: tuple[SignatureRole, ...] = DEFAULT_SIGNATURES
    sections: Sections = Sections()
    publication: Publication = Publication()
    #: The repository root: the folder holding ``jmb.toml``, or the folder jmb was started in.
    root: Path = Field(default_factory=Path.cwd, exclude=True)
    #: The file this configuration was read from, if any.
    source: Path | None = Field(None, exclude=True)

    @model_validator(mode="after")
    def _signatures_make_sense(self) -> Config:
        roles = [signature.role for signature in self.signatures]
        for role in roles:
            if roles.count(role) > 1:
                raise ValueError(f"signatures: the role {role!r} is configured twice")
        if not any(signature.kind == "decision" for signature in self.signatures):
            raise ValueError("signatures: no role of kind 'decision'; somebody has to decide")
        return self

    @property
    def records_dir(self) -> Path:
        """The folder holding the records."""
        return self.root / RECORDS_DIR

    @cached_property
    def number_pattern(self) -> NumberPattern:
        """The compiled numbering pattern."""
        return NumberPattern(self.numbering.pattern)

    @property
    def roles(self) -> tuple[str, ...]:
        """The configured signature roles, in order."""
        return tuple(signature.role for signature in self.signatures)


def find_root(start: Path) -> Path | None:
    """The nearest folder at or above ``start`` that holds a ``jmb.toml``, or ``None``."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / CONFIG_FILE).is_file():
            return folder
    return None


def load_config(start: Path | None = None) -> Config:
    """The configuration of the repository containing ``start`` (default: the current folder).

    Raises :class:`ConfigError` for a malformed or contradictory ``jmb.toml``.
    """
    start = Path.cwd() if start is None else start
    root = find_root(start)
    if root is None:
        return Config(root=start.resolve())
    return read_config(root / CONFIG_FILE)


def read_config(path: Path) -> Config:
    """Read one ``jmb.toml``; its folder is the repository root."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(path, f"cannot read: {error}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        line = _toml_error_line(str(error))
        raise ConfigError(path, f"not valid TOML: {error}", line=line) from None
    try:
        return Config.model_validate({**data, "root": path.parent.resolve(), "source": path})
    except ValidationError as error:
        first = error.errors()[0]
        loc = tuple(str(part) for part in first["loc"])
        key = dotted_toml_key(first["loc"])
        message = first["msg"].removeprefix("Value error, ")
        if first["type"] == "extra_forbidden":
            message = _unknown_key_message(loc)
        raise ConfigError(path, message, key=key, line=_locate_key(text, loc)) from None


def dotted_toml_key(loc: tuple[int | str, ...]) -> str:
    """``('signatures', 1, 'role')`` as ``signatures[1].role``."""
    key = ""
    for part in loc:
        if isinstance(part, int):
            key += f"[{part}]"
        else:
            key += f".{part}" if key else part
    return key


def _unknown_key_message(loc: tuple[str, ...]) -> str:
    return "unknown key" + did_you_mean(loc[-1], known_keys(Config, loc[:-1]))


def _toml_error_line(message: str) -> int:
    match = re.search(r"at line (\d+)", message)
    return int(match.group(1)) if match else 0


def _locate_key(text: str, loc: tuple[str, ...]) -> int:
    """The 1-based line where ``loc`` is set in ``text``, as near as a line scan can tell (0: unknown).

    tomllib keeps no positions, so this finds the table header and then the key below it.
    """
    lines = text.splitlines()
    table, index, key = (*loc, "", "", "")[:3]
    start, seen = 0, -1
    for number, line in enumerate(lines):
        stripped = line.strip()
        if stripped in (f"[{table}]", f"[[{table}]]"):
            seen += 1
            if not index.isdigit() or seen == int(index):
                start = number + 1
                break
    else:
        return 0
    wanted = key if index.isdigit() else index
    if not wanted:
        return start
    for number in range(start, len(lines)):
        stripped = lines[number].strip()
        if stripped.startswith("["):
            break
        if re.match(rf"{re.escape(wanted)}\s*=", stripped):
            return number + 1
    return start
