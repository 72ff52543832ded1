"""``jmb init``'s core: make a folder a decision repository for an office.

It writes ``jmb.toml`` from the office's answers (checked by the same model that reads it, before
anything is written), the ``records/`` folder, the record schema for editors, a ``.gitignore`` that
keeps outputs and Part 2 out of git, a CI workflow and a pre-commit configuration that run
``jmb validate``, and a README for the office's clerks. An existing ``jmb.toml`` is never replaced;
other files that exist already are kept as they are (the ``.gitignore`` gets the lines it lacks).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Literal

from pydantic import ValidationError

from jmb.core.atomic import create_text_exclusive, write_text_atomic
from jmb.core.constants import CONFIDENTIAL_DIR, CONFIG_FILE, RECORDS_DIR, VERSION
from jmb.core.errors import RecordError, RefusedError, UsageError
from jmb.core.files import read_regular_file
from jmb.core.names import plain_message
from jmb.core.printable import printable
from jmb.record.schema import SCHEMA_FILE, schema_text
from jmb.repo.config import MONITORING_OFFICER_STATEMENT, Config, Numbering

#: The lines of ``.gitignore`` an office's repository needs: rendered outputs and the public site
#: (``build/``), every folder of Part 2 outputs wherever an ``--out`` put it, and the manifests
#: ``jmb publish`` keeps beside a site.
GITIGNORE_LINES = ("build/", f"{CONFIDENTIAL_DIR}/", "*.jmb-manifest.json")

WORKFLOW_FILE = Path(".github/workflows/decisions.yml")
PRECOMMIT_FILE = Path(".pre-commit-config.yaml")
README_FILE = Path("README.md")
GITIGNORE_FILE = Path(".gitignore")
#: Keeps the empty ``records/`` folder in git (jmb skips hidden files when it looks for records).
RECORDS_KEEP = Path(RECORDS_DIR) / ".gitkeep"

#: The regions whose bank holidays jmb knows (``[publication] region``).
REGIONS = ("ENG", "NIR", "SCT", "WLS")

#: The reference form's deciding roles, and its declaring one.
DEFAULT_DECIDERS = ("Police and Crime Commissioner", "Chief Constable")
DEFAULT_DECLARERS = ("Monitoring Officer",)

#: The declaration of the reference form, without the name of the reference form's county: an
#: office's own ``jmb.toml`` carries it, to be edited there.
DECLARATION_STATEMENT = MONITORING_OFFICER_STATEMENT.replace(
    "Police and Crime Commissioner for Lancashire.", "Police and Crime Commissioner."
)


@dataclass(frozen=True)
class Office:
    """The answers ``jmb init`` asks for: what ``jmb.toml`` says about the office."""

    name: str
    board: str = "Joint Management Board"
    pattern: str = Numbering().pattern
    year: Literal["calendar", "financial"] = "calendar"
    #: Roles that decide (sign a decision), in the order they sign on the form.
    deciders: tuple[str, ...] = DEFAULT_DECIDERS
    #: Roles that sign a declaration (the Monitoring Officer's), with the statement they declare.
    declarers: tuple[str, ...] = DEFAULT_DECLARERS
    working_days: int = 3
    region: str = "ENG"
    strapline: str = ""
    #: The day the office starts signing with jmb: a signature on paper dated on or after it is an
    #: error (JMB415), so a new decision cannot have its signatures turned into "paper" ones and
    #: then be edited unnoticed. ``None`` writes no such day.
    digests_from: date | None = None


@dataclass
class Initialised:
    """What :func:`init_repository` did, by path (all under ``root``)."""

    root: Path
    written: list[Path] = field(default_factory=list)
    #: Files that existed and were left as they are.
    kept: list[Path] = field(default_factory=list)


def init_repository(folder: Path, office: Office) -> Initialised:
    """Make ``folder`` (created if missing) a decision repository for ``office``.

    Raises :class:`UsageError` for an answer ``jmb.toml`` could not hold (naming the option), and
    :class:`RefusedError` when ``folder`` has a ``jmb.toml`` already; in both cases nothing is
    written. Every file is written atomically; ``jmb.toml`` last, and only if it is still missing.
    """
    for option, value in (("--name", office.name), ("--board", office.board)):
        if not value.strip():  # printed at the head of every decision
            raise UsageError(f"{option}: is empty; give the name printed on every decision")
    config_text = config_toml(office)
    _check_config(config_text, folder)
    target = folder / CONFIG_FILE
    if target.exists() or target.is_symlink():
        raise RefusedError(f"{target}: exists already; jmb init never replaces a jmb.toml")
    if folder.exists() and not folder.is_dir():
        raise RecordError(f"{folder}: is not a folder")
    done = Initialised(root=folder)
    try:
        records = folder / RECORDS_DIR
        if records.exists() and not records.is_dir():
            raise RecordError(f"{records}: is a file; jmb keeps records in a folder of that name")
        for relative, text in (
            (RECORDS_KEEP, ""),
            (Path("schemas") / SCHEMA_FILE, schema_text()),
            (WORKFLOW_FILE, WORKFLOW),
            (PRECOMMIT_FILE, PRECOMMIT),
            (README_FILE, clerks_readme(office)),
        ):
            _create_unless_there(folder / relative, text, done)
        _complete_gitignore(folder / GITIGNORE_FILE, done)
        try:
            create_text_exclusive(target, config_text)
        except FileExistsError:
            raise RefusedError(
                f"{target}: exists already; jmb init never replaces a jmb.toml"
            ) from None
        done.written.append(target)
    except OSError as error:
        where = f"{error.filename}: " if error.filename else ""
        raise RecordError(f"{where}cannot write: {error.strerror or error}") from None
    return done


def _create_unless_there(path: Path, text: str, done: Initialised) -> None:
    if path.exists() or path.is_symlink():
        done.kept.append(path)
        return
    try:
        create_text_exclusive(path, text)
    except FileExistsError:  # made meanwhile by someone else: theirs stands
        done.kept.append(path)
        return
    done.written.append(path)


def _complete_gitignore(path: Path, done: Initialised) -> None:
    """Write the ``.gitignore``, or add to the office's own the lines it lacks (Part 2's folders
    must stay out of git whatever else it says)."""
    if not (path.exists() or path.is_symlink()):
        _create_unless_there(path, GITIGNORE, done)
        return
    try:
        text = read_regular_file(path, 1_000_000).decode("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise RecordError(f"{path}: cannot be read to add jmb's lines: {error}") from None
    present = {line.strip() for line in text.splitlines()}
    missing = [line for line in GITIGNORE_LINES if line not in present]
    if not missing:
        done.kept.append(path)
        return
    separator = "" if not text or text.endswith("\n") else "\n"
    write_text_atomic(
        path, text + separator + GITIGNORE_HEADER + "".join(f"{m}\n" for m in missing)
    )
    done.written.append(path)


def _check_config(text: str, folder: Path) -> None:
    """Read ``text`` back as jmb reads a ``jmb.toml``: an answer it would refuse is a usage error
    now, naming the option, not a broken file later."""
    import tomllib

    data = tomllib.loads(text)
    try:
        Config.model_validate({**data, "root": folder})
    except ValidationError as error:
        first = error.errors()[0]
        loc = tuple(str(part) for part in first["loc"])
        option = _OPTIONS.get(loc[0] if loc[0] != "numbering" else ".".join(loc[:2]), loc[0])
        raise UsageError(f"{option}: {plain_message(first['msg'], mapping='a table')}") from None


_OPTIONS = {
    "organisation": "--name",
    "board": "--board",
    "numbering.pattern": "--pattern",
    "numbering.year": "--year",
    "signatures": "--signatory",
    "publication": "--working-days or --region",
}


def toml_string(text: str) -> str:
    """``text`` as a TOML basic string: quotes, backslashes and every control character escaped,
    so that any name reads back exactly as given."""
    out = ['"']
    for char in text:
        code = ord(char)
        if char == '"':
            out.append('\\"')
        elif char == "\\":
            out.append("\\\\")
        elif char == "\n":
            out.append("\\n")
        elif char == "\t":
            out.append("\\t")
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\u{code:04X}")
        else:
            out.append(char)
    out.append('"')
    return "".join(out)


def config_toml(office: Office) -> str:
    """The ``jmb.toml`` of ``office``."""
    strapline = office.strapline or ""
    lines = [
        "# The configuration of the office's decision records: see jmb's README,",
        '# "Configuration: jmb.toml", for every key. Written by jmb init; edit it freely.',
        "",
        "[organisation]",
        f"name = {toml_string(office.name)}",
        f"strapline = {toml_string(strapline)}",
        "",
        "[board]",
        f"name = {toml_string(office.board)}",
        "",
        "[numbering]",
        f"pattern = {toml_string(office.pattern)}",
        f"year = {toml_string(office.year)}   # or the financial year: the one April to March starts in",
        "",
    ]
    for role in office.deciders:
        lines += ["[[signatures]]", f"role = {toml_string(role)}", 'kind = "decision"', ""]
    for role in office.declarers:
        lines += [
            "[[signatures]]",
            f"role = {toml_string(role)}",
            'kind = "declaration"',
            f"statement = {toml_string(DECLARATION_STATEMENT)}",
            "",
        ]
    lines += [
        "[publication]",
        f"working_days = {int(office.working_days)}   # Part 1 is due this many working days after"
        " approval",
        f"region = {toml_string(office.region)}   # whose bank holidays do not count: ENG, WLS, SCT,"
        " NIR",
        '# base_url = "https://example.org/decisions/"   # where jmb publish\'s site is served: its'
        " feed and sitemap need it",
        "",
    ]
    if office.digests_from is not None:
        lines += [
            "[signing]",
            "# From this day every signature is made with jmb sign, over a digest of what was signed;",
            "# a signature on paper dated on or after it is an error (JMB415). Archived decisions",
            "# signed in ink before it are imported as signed on paper.",
            f"digests_from = {office.digests_from.isoformat()}",
            "",
        ]
    return "\n".join(lines)


def _one_line(text: str) -> str:
    """``text`` on one line, its control characters shown escaped (a README is read at terminals)."""
    return printable(" ".join(text.split()))


def clerks_readme(office: Office) -> str:
    """The README of the office's repository: the five commands a clerk needs."""
    name = _one_line(office.name)
    board = _one_line(office.board)
    return f"""# Decisions of the {board}, {name}

Each decision of the {board} is one file under `records/`, kept in git and checked by jmb.
These are the five commands you need, run in this folder:

1. `jmb new --title "Estates strategy"`: start the record of a new decision with the next free
   number; it prints the path of the file to fill in (your editor completes its keys from
   `schemas/decision.schema.json`).
2. `jmb validate`: check every record; each finding names the file, line and column, and what to do.
3. `jmb sign NUMBER --role "ROLE" --name "NAME"`: sign a decision in a role (after
   `jmb status NUMBER submitted`); the last signature approves it.
4. `jmb render NUMBER`: the decision's Part 1 as HTML (`--format pdf`, `docx` or `md` for the others);
   `--part 2` writes the confidential Part 2 into `build/confidential/`, private to you.
5. `jmb publish`: build the public website in `build/site/`, Part 1 of the approved decisions only.

While you write, `jmb serve` shows the records in your browser as they will be printed, with what
`jmb validate` finds beside each, and refreshes the page each time you save.

`jmb COMMAND -h` says more about each. The office's settings (its name, numbering, signatories,
working days) are in `jmb.toml`.

Never commit anything from `build/` or any `confidential/` folder: `.gitignore` keeps them out, and
the checks in `.github/workflows/decisions.yml` and `.pre-commit-config.yaml` run `jmb validate` on
every change.
"""


GITIGNORE_HEADER = (
    "# jmb: outputs, Part 2 (confidential) and publish's manifests never go into git\n"
)
GITIGNORE = GITIGNORE_HEADER + "".join(f"{line}\n" for line in GITIGNORE_LINES)

WORKFLOW = f"""# Checks every decision record on each push and pull request: jmb's findings appear as
# annotations on the lines of the records.
name: decisions
on: [push, pull_request]
permissions:
  contents: read
jobs:
  validate:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.11"
      # jmb as the office installs it: this version from its package index, or "jmb @ git+URL"
      - run: python -m pip install "jmb=={VERSION}"
      - run: jmb validate
"""

PRECOMMIT = """# Runs jmb validate before each commit (pre-commit install): uses the jmb installed here.
repos:
  - repo: local
    hooks:
      - id: jmb-validate
        name: jmb validate
        entry: jmb validate
        language: system
        files: ^(records/.*\\.ya?ml|jmb\\.toml)$
        pass_filenames: false
"""

__all__ = [
    "GITIGNORE_LINES",
    "REGIONS",
    "Initialised",
    "Office",
    "config_toml",
    "init_repository",
    "toml_string",
]
