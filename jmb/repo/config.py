"""The configuration of a decision repository: ``jmb.toml``, found by walking up from a folder.

With no ``jmb.toml`` jmb uses the current folder and defaults that reproduce the reference form, so
everything works with no configuration at all.
"""

from __future__ import annotations

import re
import string
import tomllib
from datetime import date, datetime
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from jmb.core.constants import CONFIG_FILE, RECORDS_DIR
from jmb.core.errors import ConfigError, UsageError
from jmb.core.files import read_regular_file
from jmb.core.names import did_you_mean, dotted, known_keys, plain_message
from jmb.core.printable import printable
from jmb.core.resources import builtin_dir
from jmb.record.form import DEFAULT_REQUIRED_SECTIONS, FILLABLE, SECTIONS, Form, parts_of
from jmb.repo.calendar import WorkingDays, working_days
from jmb.repo.numbering import NumberPattern

#: The largest ``jmb.toml`` read, in bytes; a real one is a few hundred.
MAX_CONFIG_BYTES = 1_000_000

MONITORING_OFFICER_STATEMENT = (
    "I have been informed about the proposal and confirm that financial, legal and equalities "
    "advice has been taken into account in the preparation of this report. I am satisfied that "
    "this is an appropriate request to be submitted to the Police and Crime Commissioner for "
    "Lancashire."
)


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
    #: A short name the role may be given by on the command line (``jmb sign --role PCC``); the
    #: record always holds the role as configured.
    short: str | None = Field(None, pattern=r"^[A-Za-z0-9][A-Za-z0-9 .&-]{0,30}$")

    @field_validator("role")
    @classmethod
    def _role_is_words(cls, role: str) -> str:
        # jmb sign --role tidies the spaces of what it is given, so "Chief Constable " or " " could
        # never be signed in; and a record's role must read as the form prints it.
        if not role.strip() or role != " ".join(role.split()) or printable(role) != role:
            raise ValueError(
                "a role is words on one line, without spaces around them or control characters"
            )
        return role

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
    #: The sections a record must fill. A parent (``implications``) means all of its parts; the
    #: value kept is the list of parts, in the order given.
    required: tuple[str, ...] = DEFAULT_REQUIRED_SECTIONS

    @field_validator("required")
    @classmethod
    def _known_sections(cls, required: tuple[str, ...]) -> tuple[str, ...]:
        parts: list[str] = []
        for name in required:
            if name not in FILLABLE:
                hint = did_you_mean(name, list(FILLABLE), listing="sections are")
                raise ValueError(f"{name!r} is not a section{hint}")
            for part in parts_of(name):
                if part in parts:
                    raise ValueError(f"{part!r} is listed twice (a parent names all its parts)")
                parts.append(part)
        return tuple(parts)


def _form_section(key: str) -> str:
    if key not in SECTIONS:
        hint = did_you_mean(key, list(SECTIONS), listing="sections are")
        raise ValueError(f"{key!r} is not a section of the form{hint}")
    return key


def _one_line(heading: str) -> str:
    if not heading.strip() or heading != " ".join(heading.split()):
        raise ValueError("a heading is words on one line, without spaces around them")
    return heading


class FormSettings(_Table):
    #: Headings the office prints differently from the reference form, by section:
    #: ``plan_links = "2. Links to the Police, Fire and Crime Plan"``.
    headings: dict[
        Annotated[str, AfterValidator(_form_section)], Annotated[str, AfterValidator(_one_line)]
    ] = Field(default_factory=dict)


def _synonyms_are_headings(headings: tuple[str, ...]) -> tuple[str, ...]:
    for heading in headings:
        _one_line(heading)
    return headings


class ImportSettings(_Table):
    #: More headings ``jmb import`` takes for a section of the form, by section, beyond its own
    #: heading and jmb's synonyms: ``background = ["Supporting information"]``. Headings are
    #: matched by their words, whatever their case, punctuation or number.
    synonyms: dict[
        Annotated[str, AfterValidator(_form_section)],
        Annotated[tuple[str, ...], AfterValidator(_synonyms_are_headings)],
    ] = Field(default_factory=dict)

    @field_validator("synonyms")
    @classmethod
    def _one_section_a_heading(
        cls, synonyms: dict[str, tuple[str, ...]]
    ) -> dict[str, tuple[str, ...]]:
        # One heading for two sections would leave the import guessing which was meant.
        seen: dict[str, str] = {}
        for key, headings in synonyms.items():
            for heading in headings:
                words = heading_words(heading)
                if not words:
                    raise ValueError(f"the heading {heading!r} of {key!r} has no words")
                if seen.get(words, key) != key:
                    raise ValueError(
                        f"the heading {heading!r} is given for both {seen[words]!r} and {key!r}"
                    )
                seen[words] = key
        return synonyms


_NUMBER_FIRST = re.compile(r"^\s*(?:part\s+)?(?:[0-9]{1,3}[a-z]?|[a-z]|[ivx]{1,4})[.)]\s+", re.I)


def heading_words(heading: str) -> str:
    """A heading as the words it is matched by: lower case, its number (``4a.``) and punctuation
    gone, ``&`` read as ``and`` (``4. Equality & Diversity:`` is ``equality and diversity``)."""
    heading = _NUMBER_FIRST.sub("", heading.replace("&", " and "))
    return " ".join(re.findall(r"[0-9a-z]+", heading.casefold()))


ACCESS_STATEMENT = (
    "Information in this form is subject to the Freedom of Information Act 2000 and other "
    "legislation.\n\n"
    "Part 1 of this form will be made available on the PCC website within {working_days} working "
    "days of approval. Any facts/advice/recommendations that should not be made available on "
    "request should not be included in Part 1 but instead on the separate Part 2 form."
)


class Licence(_Table):
    """The licence the open data is published under (``datapackage.json`` names it)."""

    #: An SPDX-style identifier.
    name: str = Field("OGL-UK-3.0", pattern=r"^[A-Za-z0-9.+-]{1,64}$")
    title: str = Field("Open Government Licence v3.0", pattern=r"^[^\x00-\x1f\x7f]{1,200}$")
    path: str = Field(
        "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
        pattern=r"^https?://[^\s\x00-\x1f\x7f<>\"']{1,500}$",
    )


class Publication(_Table):
    working_days: StrictInt = Field(3, ge=0, le=60)
    #: The part of the United Kingdom whose bank holidays count against publication deadlines.
    region: Literal["ENG", "NIR", "SCT", "WLS"] = "ENG"
    #: The office's own closure dates (between Christmas and New Year, say): not working days.
    closed: tuple[date, ...] = ()
    #: The text of section 6 of the form (public access); ``{working_days}`` is filled in.
    access_statement: str = ACCESS_STATEMENT
    #: Where the public site is served from (``https://example.org/decisions/``): the feed and the
    #: sitemap need absolute addresses. ``jmb publish --base-url`` gives it too.
    base_url: str | None = None
    #: Whether the public register lists rejected decisions too.
    include_rejected: StrictBool = False
    licence: Licence = Licence()

    @field_validator("base_url")
    @classmethod
    def _base_url_is_absolute(cls, base_url: str | None) -> str | None:
        return None if base_url is None else checked_base_url(base_url)

    @field_validator("closed", mode="before")
    @classmethod
    def _closed_are_dates(cls, closed: object) -> object:
        # A TOML date is a date; a date-time or text would be a slip worth naming.
        if isinstance(closed, list):
            for value in closed:
                if not isinstance(value, date) or isinstance(value, datetime):
                    raise ValueError(
                        f"{value!r} is not a date: write closure dates as TOML dates, 2026-12-29"
                    )
        return closed

    def calendar(self) -> WorkingDays:
        """The office's working days: weekdays, less its region's bank holidays and closures."""
        return working_days(self.region, tuple(sorted(set(self.closed))))

    def due(self, approved: date) -> date:
        """The day a decision approved on ``approved`` must be published by."""
        return self.calendar().add(approved, self.working_days)

    def access_text(self) -> str:
        """Section 6 as printed: the access statement with the working days filled in."""
        return self.access_statement.format(working_days=self.working_days)

    @field_validator("access_statement")
    @classmethod
    def _statement_formats(cls, statement: str) -> str:
        # Read the fields without formatting: a format spec is run by str.format, and
        # "{working_days:>9999999999}" would ask for ten gigabytes of spaces.
        try:
            fields = [
                (name, spec, conversion)
                for _, name, spec, conversion in string.Formatter().parse(statement)
                if name is not None
            ]
        except ValueError as error:
            raise ValueError(f"not a statement with {{working_days}}: {error}") from None
        for name, spec, conversion in fields:
            if name != "working_days" or spec or conversion:
                written = "{" + name + (f"!{conversion}" if conversion else "")
                written += (f":{spec}" if spec else "") + "}"
                raise ValueError(
                    f"only {{working_days}} can be filled in, as written; not {written[:40]}"
                )
        return statement


def checked_base_url(url: str) -> str:
    """``url`` as the site's base address, ending with ``/``; :class:`ValueError` unless it is an
    absolute ``http`` or ``https`` address with a host and nothing a link could be broken by (no
    spaces, quotes, angle brackets, query or fragment)."""
    if not re.fullmatch(
        r"https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[A-Za-z0-9._~%!$&()*+,;=:@/-]*)?", url
    ):
        raise ValueError(
            f"{printable(url)[:80]!r} is not a site address: give an absolute http or https URL, "
            "such as https://example.org/decisions/"
        )
    return url if url.endswith("/") else url + "/"


#: The narrowest and widest page margins, in millimetres: the running header (the marking, the
#: draft banner) and footer (the number, "Page X of Y") are printed in the top and bottom margins,
#: and a printer cannot print to the page's edge.
MARGIN_LIMITS = {"top": (20, 50), "bottom": (20, 50), "left": (10, 50), "right": (10, 50)}


class Margins(_Table):
    """The page margins of the printed Part 1 and Part 2 (PDF and Word), in millimetres."""

    top: float = 22
    bottom: float = 22
    left: float = 18
    right: float = 18

    @field_validator("top", "bottom", "left", "right", mode="before")
    @classmethod
    def _millimetres(cls, margin: object, info: ValidationInfo) -> object:
        low, high = MARGIN_LIMITS[str(info.field_name)]
        if (
            isinstance(margin, bool)
            or not isinstance(margin, int | float)
            or not low <= margin <= high  # NaN is not either
        ):
            shown = printable(repr(margin))[:40]
            raise ValueError(
                f"{shown} is not a margin: give millimetres as a number from {low} to {high}, "
                "such as 22"
            )
        return margin

    @property
    def css(self) -> str:
        """The margins as CSS's ``margin`` property gives them: top, right, bottom, left."""
        return " ".join(f"{side:g}mm" for side in (self.top, self.right, self.bottom, self.left))


class Render(_Table):
    #: The page margins of PDF and Word output (A4), in millimetres.
    margins: Margins = Margins()


class Templates(_Table):
    #: The repository's folder of template overrides, relative to its root: a file there replaces
    #: jmb's default of the same name.
    folder: str = "templates"


#: The named signing orders of ``[signing] order``; a list of roles is the other way to give one.
SIGNING_ORDERS = ("any", "declarations-first", "decisions-first")


class Signing(_Table):
    #: ``any``; ``declarations-first`` (every declaration before any decision-maker signs);
    #: ``decisions-first``; or a list of roles, each of which signs only after those before it.
    order: Literal["any", "declarations-first", "decisions-first"] | tuple[str, ...] = "any"
    #: Every signature needs a key (``jmb sign --key``), whatever the roster holds.
    require_keys: StrictBool = False
    #: The status a record must have to be signed: ``submitted`` (``jmb status N submitted``
    #: first), or ``draft`` for offices that sign drafts straight to approval.
    from_: Literal["submitted", "draft"] = Field("submitted", alias="from")
    #: From this date every signature needs a digest: a signature on paper (``method: paper``)
    #: dated on or after it is an error (JMB415), so a new decision cannot dodge the digest.
    digests_from: date | None = None

    @field_validator("digests_from", mode="before")
    @classmethod
    def _digests_from_is_a_date(cls, day: object) -> object:
        # A TOML date is a date; a date-time or text would be a slip worth naming.
        if day is not None and (not isinstance(day, date) or isinstance(day, datetime)):
            raise ValueError(f"{day!r} is not a date: write it as a TOML date, 2026-04-01")
        return day

    @field_validator("order", mode="before")
    @classmethod
    def _order_is_known(cls, order: object) -> object:
        known = ", ".join(repr(name) for name in SIGNING_ORDERS)
        if isinstance(order, str):
            if order not in SIGNING_ORDERS:
                hint = did_you_mean(order, list(SIGNING_ORDERS), listing="the named orders are")
                if "did you mean" not in hint:
                    hint += " (or give a list of roles)"
                raise ValueError(f"{order!r} is not a signing order{hint}")
        elif not isinstance(order, list) or not order:
            raise ValueError(f"should be {known} or a list of roles")
        elif not all(isinstance(role, str) for role in order):
            raise ValueError("a signing order lists roles, as text")
        elif len(set(order)) != len(order):
            raise ValueError("a role is listed twice in the signing order")
        return order


class Config(_Table):
    """Everything ``jmb.toml`` can say, with the defaults of the reference form."""

    organisation: Organisation = Organisation()
    board: Board = Board()
    numbering: Numbering = Numbering()
    signatures: tuple[SignatureRole, ...] = DEFAULT_SIGNATURES
    sections: Sections = Sections()
    form: FormSettings = FormSettings()
    publication: Publication = Publication()
    render: Render = Render()
    templates: Templates = Templates()
    signing: Signing = Signing()
    import_: ImportSettings = Field(ImportSettings(), alias="import")
    #: The repository root: the folder holding ``jmb.toml``, or the folder jmb was started in.
    root: Path = Field(default_factory=Path.cwd, exclude=True)
    #: The file this configuration was read from, if any.
    source: Path | None = Field(None, exclude=True)

    @field_validator("signatures")
    @classmethod
    def _signatures_make_sense(
        cls, signatures: tuple[SignatureRole, ...]
    ) -> tuple[SignatureRole, ...]:
        roles = [signature.role for signature in signatures]
        for role in roles:
            if roles.count(role) > 1:
                raise ValueError(f"the role {role!r} is configured twice")
        # A short name means one role: never another role's name, nor another's short name.
        taken = {role.casefold() for role in roles}
        for signature in signatures:
            if signature.short is None:
                continue
            short = signature.short.casefold()
            if short in taken and short != signature.role.casefold():
                raise ValueError(f"the short name {signature.short!r} is another role's name")
            taken.add(short)
        if not any(signature.kind == "decision" for signature in signatures):
            raise ValueError("no role of kind 'decision'; somebody has to decide")
        return signatures

    @field_validator("signing")
    @classmethod
    def _order_names_configured_roles(cls, signing: Signing, info: ValidationInfo) -> Signing:
        # The signatures are validated first (they come first), so their roles are known here.
        configured = [signature.role for signature in info.data.get("signatures", ())]
        if isinstance(signing.order, tuple) and configured:
            for role in signing.order:
                if role not in configured:
                    hint = did_you_mean(role, configured, listing="configured roles")
                    raise ValueError(f"the order names {role!r}, not a configured role{hint}")
        return signing

    @property
    def records_dir(self) -> Path:
        """The folder holding the records."""
        return self.root / RECORDS_DIR

    @cached_property
    def printed_form(self) -> Form:
        """The form as this office prints it: the reference form with the headings renamed."""
        return Form(renamed=dict(self.form.headings))

    @cached_property
    def number_pattern(self) -> NumberPattern:
        """The compiled numbering pattern."""
        return NumberPattern(self.numbering.pattern)

    @property
    def template_dirs(self) -> tuple[Path, ...]:
        """Where templates are looked for: the repository's overrides, then jmb's defaults.

        :class:`ConfigError` when the repository's folder is not one templates may come from (see
        :func:`template_folder_problem`)."""
        folder = self.root / self.templates.folder
        problem = template_folder_problem(self.root, folder)
        if problem:  # named by jmb.toml when it sets the folder, else by the folder itself
            raise ConfigError(self.source or folder, problem, key="templates.folder")
        return (folder, builtin_dir("templates"))

    def signing_role(self, role: str) -> str:
        """``role`` (spaces tidied) when it is a configured signing role, or the role whose
        ``short`` name it is (in any case); else a usage error that names the configured roles."""
        role = " ".join(role.split())
        if role in self.roles:
            return role
        for signature in self.signatures:
            if signature.short is not None and signature.short.casefold() == role.casefold():
                return signature.role
        hint = did_you_mean(role, list(self.roles), listing="configured roles")
        raise UsageError(f"--role {role!r} is not a signing role{hint}")

    @property
    def roles(self) -> tuple[str, ...]:
        """The configured signature roles, in order."""
        return tuple(signature.role for signature in self.signatures)


def template_folder_problem(root: Path, folder: Path) -> str:
    """What is wrong with ``folder`` as the repository's template folder, or ``""``.

    Templates are code, reviewed in the repository: the folder (followed through any link) must be
    inside the repository, and apart from the records, or a template could include a record, Part 2
    and all, into a public output."""
    try:
        resolved = folder.resolve()
        home = root.resolve()
    except (OSError, RuntimeError):  # RuntimeError: a loop of symbolic links, before Python 3.13
        return "cannot be followed to a folder (a loop of symbolic links?)"
    if not resolved.is_relative_to(home):
        how = " through a symbolic link" if folder.is_symlink() else ""
        return (
            f"leads{how} outside the repository (to {resolved}); templates are code: keep them in "
            "the repository"
        )
    records = (home / RECORDS_DIR).resolve()
    if resolved.is_relative_to(records) or records.is_relative_to(resolved):
        return (
            "holds the records or is inside them; a template could include a record and its "
            "Part 2: use a folder of templates only"
        )
    return ""


def find_root(start: Path) -> Path | None:
    """The nearest folder at or above ``start`` that holds a ``jmb.toml``, or ``None``.

    Anything named ``jmb.toml`` counts, a folder or a broken link included: reading it then fails
    loudly, where skipping it would silently apply the defaults."""
    start = start.resolve()
    for folder in (start, *start.parents):
        candidate = folder / CONFIG_FILE
        if candidate.exists() or candidate.is_symlink():
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
        # A regular file only, and no more than a configuration can be: a FIFO or a link to
        # /dev/zero named jmb.toml must not hang every command.
        raw = read_regular_file(path, MAX_CONFIG_BYTES)
    except OSError as error:
        raise ConfigError(path, f"cannot read: {error.strerror or error}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        raise ConfigError(path, "not UTF-8 text (save the file as UTF-8)", line=line) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        line = _toml_error_line(str(error))
        raise ConfigError(path, f"not valid TOML: {error}", line=line) from None
    for internal in ("root", "source"):
        if internal in data:  # fields of Config, but not settings a file may give
            raise ConfigError(
                path, "unknown key", key=internal, line=_locate_key(text, (internal,))
            )
    try:
        config = Config.model_validate({**data, "root": path.parent.resolve(), "source": path})
    except ValidationError as error:
        first = error.errors()[0]
        # A dictionary's key that fails is reported at the key: its place, not "[key]".
        first["loc"] = tuple(part for part in first["loc"] if part != "[key]")
        loc = tuple(str(part) for part in first["loc"])
        message = plain_message(first["msg"], mapping="a table")
        if first["type"] == "extra_forbidden":
            message = "unknown key" + did_you_mean(loc[-1], known_keys(Config, first["loc"][:-1]))
        loc = _blame_duplicate_role(data, loc)
        raise ConfigError(
            path, message, key=dotted(first["loc"]), line=_locate_key(text, loc)
        ) from None
    problem = template_folder_problem(config.root, config.root / config.templates.folder)
    if problem:  # said at once, as every other error of the file, not at the first render
        line = _locate_key(text, ("templates", "folder"))
        raise ConfigError(path, problem, key="templates.folder", line=line)
    return config


def _blame_duplicate_role(data: dict[str, Any], loc: tuple[str, ...]) -> tuple[str, ...]:
    """For "a role configured twice", the second time, not the list."""
    entries = data.get("signatures")
    if loc != ("signatures",) or not isinstance(entries, list):
        return loc
    roles = [entry.get("role") if isinstance(entry, dict) else None for entry in entries]
    for index, role in enumerate(roles):
        if role is not None and role in roles[:index]:
            return ("signatures", str(index), "role")
    return loc


def _toml_error_line(message: str) -> int:
    match = re.search(r"at line (\d+)", message)
    return int(match.group(1)) if match else 0


_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")
_BARE_OR_QUOTED = r"(?:\"[^\"]*\"|'[^']*'|[A-Za-z0-9_-]+)"
_KEY = re.compile(rf"^\s*({_BARE_OR_QUOTED}(?:\s*\.\s*{_BARE_OR_QUOTED})*)\s*=")
_INLINE_KEY = re.compile(rf"[{{,]\s*({_BARE_OR_QUOTED})\s*=")


def _key_parts(text: str) -> tuple[str, ...]:
    return tuple(
        part.strip().strip("\"'") for part in re.findall(r'"[^"]*"|\'[^\']*\'|[^.]+', text)
    )


def _locate_key(text: str, loc: tuple[str, ...]) -> int:
    """The 1-based line where ``loc`` (or its nearest parent) is set in ``text``; 0 if nowhere.

    tomllib keeps no positions, so this reads the lines the way TOML does: table and array-of-table
    headers, bare, quoted and dotted keys, and keys of inline tables."""
    lines: dict[tuple[str, ...], int] = {}
    table: tuple[str, ...] = ()
    counts: dict[tuple[str, ...], int] = {}
    for number, line in enumerate(text.splitlines(), 1):
        header = _HEADER.match(line)
        if header:
            name = _key_parts(header[2])
            lines.setdefault(name, number)
            if header[1] == "[[":
                counts[name] = counts.get(name, -1) + 1
                table = (*name, str(counts[name]))
            else:
                table = name
            lines.setdefault(table, number)
            continue
        key = _KEY.match(line)
        if key:
            path = (*table, *_key_parts(key[1]))
            lines.setdefault(path, number)
            for inner in _INLINE_KEY.findall(line[key.end() :]):
                lines.setdefault((*path, *_key_parts(inner)), number)
    for length in range(len(loc), 0, -1):
        if loc[:length] in lines:
            return lines[loc[:length]]
    return 0
