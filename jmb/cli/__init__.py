"""The ``jmb`` command line: the typer commands only.

Each command parses its options, calls one function of the layer that does the work, and turns the
result into output and an exit code; those layers never print and never exit. jmb's modules are
imported inside the commands, so that ``jmb --version`` starts without loading them. Nothing in jmb
ever imports this package (only ``python -m jmb`` runs it).
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, ParamSpec, TypeVar

import typer

from jmb.core.constants import RC, VERSION
from jmb.core.errors import JmbError, UsageError

app = typer.Typer(
    name="jmb",
    help="Decision records of a Joint Management Board, kept as YAML in git.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

P = ParamSpec("P")
T = TypeVar("T")


def handle_errors(command: Callable[P, T]) -> Callable[P, T]:
    """Turn every :class:`JmbError` into its one-line message on stderr and its exit code."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        try:
            return command(*args, **kwargs)
        except JmbError as error:
            findings = getattr(error, "findings", ())
            if findings:  # a refusal that rests on findings shows them first
                from jmb.check.reporters import finding_text

                for finding in findings:
                    typer.echo(finding_text(finding), err=True)
            typer.echo(f"jmb: {error}", err=True)
            raise typer.Exit(int(error.exit_code)) from None
        except KeyboardInterrupt:
            typer.echo("jmb: interrupted", err=True)
            raise typer.Exit(int(RC.INTERRUPTED)) from None

    return wrapper


def _version(value: bool) -> None:
    if value:
        typer.echo(f"jmb {VERSION}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    """Decision records of a Joint Management Board, kept as YAML in git."""


def _parse_date(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"{option} {value!r} is not a date; write YYYY-MM-DD") from None


@app.command()
@handle_errors
def new(
    title: Annotated[str | None, typer.Option(help="The decision's title.")] = None,
    on: Annotated[
        str | None,
        typer.Option("--date", help="Date of the decision, YYYY-MM-DD (default: today)."),
    ] = None,
    report_by: Annotated[str | None, typer.Option(help="Author of the report.")] = None,
) -> None:
    """Scaffold the record of a new decision with the next free number; print its path."""
    from jmb.repo.config import load_config
    from jmb.repo.scaffold import new_record

    day = _parse_date(on, "--date")
    if title is None:
        if not sys.stdin.isatty() or _in_ci():
            raise UsageError("--title is required when jmb is not run at a terminal")
        title = typer.prompt("Title")
    created = new_record(load_config(), title, day=day, report_by=report_by)
    if created.schema is not None:
        typer.echo(f"jmb: wrote {_shown(created.schema)} for editor completion", err=True)
    if created.schema_error:
        typer.echo(f"jmb: warning: {created.schema_error}", err=True)
    typer.echo(_shown(created.path))


class OutputFormat(StrEnum):
    AUTO = "auto"
    TEXT = "text"
    JSON = "json"
    GITHUB = "github"
    SARIF = "sarif"


class ColorChoice(StrEnum):
    AUTO = "auto"
    ALWAYS = "always"
    NEVER = "never"


@app.command()
@handle_errors
def validate(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Record files or folders (default: every record of the repository)."),
    ] = None,
    output_format: Annotated[
        OutputFormat,
        typer.Option(
            "--format",
            "-f",
            help="Output format; auto is GitHub annotations under Actions, else text.",
        ),
    ] = OutputFormat.AUTO,
    color: Annotated[
        ColorChoice,
        typer.Option(help="Colour the text: auto is at a terminal, unless NO_COLOR is set."),
    ] = ColorChoice.AUTO,
    strict: Annotated[bool, typer.Option(help="Fail on warnings too.")] = False,
    jobs: Annotated[
        int | None,
        typer.Option("--jobs", "-j", min=1, help="Processes to use (default: one a core)."),
    ] = None,
) -> None:
    """Check records and report every finding; exit 1 on errors (or warnings with --strict)."""
    from jmb.check.engine import validate as validate_records
    from jmb.check.reporters import REPORTERS, choose_format, use_color
    from jmb.repo.config import load_config

    result = validate_records(paths or (), config=load_config(), jobs=jobs)
    name = choose_format(output_format.value, environ=os.environ)
    colored = use_color(color.value, environ=os.environ, isatty=sys.stdout.isatty())
    # click strips ANSI codes from output that is not a terminal unless told otherwise: --color
    # always (for a pager, say) keeps them.
    typer.echo(REPORTERS[name](result, color=colored), nl=False, color=colored)
    raise typer.Exit(int(result.exit_code(strict=strict)))


class RenderFormat(StrEnum):
    HTML = "html"
    PDF = "pdf"
    DOCX = "docx"
    MD = "md"


class Part(StrEnum):
    ONE = "1"
    TWO = "2"


@app.command()
@handle_errors
def render(
    refs: Annotated[
        list[str] | None,
        typer.Argument(help="Decision numbers (2019/09) or record paths.", show_default=False),
    ] = None,
    part: Annotated[
        Part, typer.Option(help="1: the public Part 1; 2: the confidential Part 2.")
    ] = Part.ONE,
    output_format: Annotated[
        RenderFormat, typer.Option("--format", "-f", help="Output format.")
    ] = RenderFormat.HTML,
    out: Annotated[
        Path | None,
        typer.Option(
            help="Folder to write to (default: build/); Part 2 always goes into its "
            "confidential/ folder, private to you."
        ),
    ] = None,
    draft: Annotated[
        bool, typer.Option(help="Render records with errors too, with a DRAFT banner.")
    ] = False,
    all_records: Annotated[bool, typer.Option("--all", help="Render every record.")] = False,
) -> None:
    """Render decisions as HTML, PDF, Word or Markdown; print each path written."""
    from jmb.render.renderer import render as render_records
    from jmb.repo.config import load_config

    result = render_records(
        refs or (),
        config=load_config(),
        part=1 if part is Part.ONE else 2,
        fmt=output_format.value,
        out=out,
        draft=draft,
        all_records=all_records,
    )
    for path in result.written:
        typer.echo(_shown(path))
    for warning in result.warnings:
        typer.echo(f"jmb: warning: {warning}", err=True)


@app.command()
@handle_errors
def rules(
    code: Annotated[str | None, typer.Argument(help="Show one rule's documentation.")] = None,
) -> None:
    """List the rules of jmb validate, or document one."""
    from jmb.check.rules import RULES

    if code is not None:
        rule = RULES.get(code.upper())
        if rule is None:
            raise UsageError(f"no rule {code!r}; jmb rules lists them")
        typer.echo(f"{rule.ID} {rule.NAME} ({rule.SEVERITY}, since {rule.SINCE})\n")
        typer.echo((rule.__doc__ or "").strip())
        return
    for rule in RULES.values():
        summary = (rule.__doc__ or "").strip().splitlines()[0]
        typer.echo(f"{rule.ID}  {rule.SEVERITY:<7}  {rule.NAME:<21}  {summary}")


@app.command()
@handle_errors
def schema() -> None:
    """Print the JSON Schema of record format 1."""
    from jmb.record.schema import schema_text

    typer.echo(schema_text(), nl=False)


@app.command()
@handle_errors
def sign(
    ref: Annotated[str, typer.Argument(help="The record: its number (2019/09) or its file.")],
    role: Annotated[str, typer.Option(help="The configured role signing.")],
    name: Annotated[str, typer.Option(help="The signatory's name.")],
    on: Annotated[
        str | None, typer.Option("--date", help="Date of the signature (default: today).")
    ] = None,
    key: Annotated[
        Path | None,
        typer.Option(
            help="Private key file (jmb keys new); its passphrase from JMB_KEY_PASSPHRASE."
        ),
    ] = None,
) -> None:
    """Sign a record in a role; the last signature approves it."""
    from jmb.repo.config import load_config
    from jmb.sign.signing import sign_record

    day = _parse_date(on, "--date")
    passphrase = _passphrase(confirm=False) if key is not None else ""
    signed = sign_record(
        load_config(), ref, role=role, name=name, day=day, key_file=key, passphrase=passphrase
    )
    how = f", key {signed.key_id}" if signed.key_id else ""
    typer.echo(
        f"{_shown(signed.path)}: signed by {signed.name} as {signed.role} on "
        f"{signed.day.isoformat()} ({signed.digest[:19]}…{how})"
    )
    if signed.approved:
        typer.echo(f"{_shown(signed.path)}: every signature made: approved")


keys_app = typer.Typer(
    help="Signing keys: make a key pair, its public half listed in signatories.yaml.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(keys_app, name="keys")


@keys_app.command("new")
@handle_errors
def keys_new(
    role: Annotated[str, typer.Option(help="The configured role the key signs in.")],
    name: Annotated[str, typer.Option(help="The key holder's name.")],
    out: Annotated[
        Path | None,
        typer.Option(
            help="Private key file or folder, outside the repository (default: ~/.config/jmb/keys)."
        ),
    ] = None,
    valid_from: Annotated[
        str | None, typer.Option(help="First day the key signs, YYYY-MM-DD (default: today).")
    ] = None,
    valid_to: Annotated[
        str | None, typer.Option(help="Last day the key signs, YYYY-MM-DD (default: no end).")
    ] = None,
) -> None:
    """Make an Ed25519 key pair: the private key encrypted outside the repository, the public key
    added to signatories.yaml."""
    from jmb.repo.config import load_config
    from jmb.sign.keys import new_key

    start = _parse_date(valid_from, "--valid-from")
    end = _parse_date(valid_to, "--valid-to")
    made = new_key(
        load_config(),
        role=role,
        name=name,
        passphrase=_passphrase(confirm=True),
        out=out,
        valid_from=start,
        valid_to=end,
    )
    typer.echo(f"key id: {made.key_id}")
    typer.echo(f"private key: {made.private_key}")
    typer.echo(f"jmb: added the public key to {_shown(made.roster)}; commit it", err=True)


@app.command()
@handle_errors
def verify(
    refs: Annotated[
        list[str] | None,
        typer.Argument(help="Records: numbers (2019/09) or files (default: every record)."),
    ] = None,
) -> None:
    """Check every signature: the content against its digest, keys against signatories.yaml."""
    from jmb.repo.config import load_config
    from jmb.sign.verify import verify_records, verify_report

    result = verify_records(load_config(), refs or ())
    typer.echo(verify_report(result), nl=False)
    raise typer.Exit(int(RC.FINDINGS if result.failed else RC.SUCCESS))


@app.command()
@handle_errors
def status(
    ref: Annotated[str, typer.Argument(help="The record: its number (2019/09) or its file.")],
    new_status: Annotated[
        str,
        typer.Argument(
            metavar="STATUS", help="submitted, deferred, rejected, withdrawn or published."
        ),
    ],
    on: Annotated[
        str | None, typer.Option("--date", help="Date of the change (default: today).")
    ] = None,
    note: Annotated[str | None, typer.Option(help="Why, for the history.")] = None,
) -> None:
    """Move a record to a new status, recording it in its history."""
    from jmb.repo.config import load_config
    from jmb.sign.lifecycle import change_status

    day = _parse_date(on, "--date")
    changed = change_status(load_config(), ref, new_status, day=day, note=note)
    typer.echo(
        f"{_shown(changed.path)}: {changed.after} (was {changed.before}) "
        f"on {changed.day.isoformat()}"
    )


def _passphrase(*, confirm: bool) -> str:
    """The key passphrase: JMB_KEY_PASSPHRASE, else asked for at a terminal (never echoed)."""
    from jmb.sign.keys import read_passphrase

    def ask() -> str:
        return str(typer.prompt("Passphrase", hide_input=True, confirmation_prompt=confirm))

    at_terminal = sys.stdin.isatty() and not _in_ci()
    return read_passphrase(dict(os.environ), ask if at_terminal else None)


def _in_ci() -> bool:
    """CI services set ``CI`` (to "true", "1", ...); "false", "0" or empty mean not CI."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def _shown(path: Path) -> str:
    from jmb.core.paths import display_path

    return display_path(path)


def main() -> None:
    """The ``jmb`` console script."""
    app(prog_name="jmb")


__all__ = ["RC", "app", "main"]
