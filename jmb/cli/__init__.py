"""The ``jmb`` command line: the typer commands only.

Each command parses its options, calls one function of the layer that does the work, and turns the
result into output and an exit code; those layers never print and never exit. jmb's modules are
imported inside the commands, so that ``jmb --version`` starts without loading them. Nothing in jmb
ever imports this package (only ``python -m jmb`` runs it).
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import signal
import sys
import threading
import typing
from collections.abc import Callable, Iterator
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, NoReturn, ParamSpec, TypeVar

import typer
from typer.core import TyperCommand
from typer.models import CommandFunctionType

from jmb.core.constants import RC, VERSION
from jmb.core.errors import JmbError, UsageError
from jmb.core.printable import printable

if typing.TYPE_CHECKING:
    # typer's own click (typer 0.2x carries one): the types its commands are built of.
    from typer._click import Context, HelpFormatter, Parameter

    from jmb.repo.config import Config


def _complete_numbers(incomplete: str) -> list[str]:
    """The decision numbers of the repository here that start with what was typed, for shell
    completion of a record argument. Completion must never fail: any error completes nothing."""
    try:
        from jmb.repo.config import load_config
        from jmb.repo.records import number_lines

        numbers = {found.number for found in number_lines(load_config().records_dir)}
    except Exception:  # a broken jmb.toml or records folder completes nothing
        return []
    # A number with a control character (a newline would make two completions) is not offered.
    return sorted(
        number
        for number in numbers
        if number.startswith(incomplete) and printable(number) == number
    )


def _complete_roles(incomplete: str) -> list[str]:
    """The configured signing roles that start with what was typed (in any case), for --role."""
    try:
        from jmb.repo.config import load_config

        roles = load_config().roles
    except Exception:  # a broken jmb.toml completes nothing
        return []
    return [role for role in roles if role.casefold().startswith(incomplete.casefold())]


#: ``-h`` is ``--help``, for jmb and every command (a command's context inherits them).
HELP_OPTIONS = {"help_option_names": ["-h", "--help"]}

# The name of a value as typer labels it in help: "<str>", "<list[Path]>", "<auto|text|json>".
_TYPE_LABEL = re.compile(r" <([^<>]*)>")


def _argument_name(argument: Parameter) -> str:
    """An argument as users type it: ``REF``, ``FILE...`` (for any number of them)."""
    name = (argument.metavar or argument.name or "").upper().removesuffix("...")
    return f"{name}..." if argument.nargs != 1 else name


#: The values whose option's name does not say what to type.
_VALUE_NAMES = {
    "--jobs": "N",
    "--working-days": "N",
    "--today": "DATE",
    "--valid-from": "DATE",
    "--valid-to": "DATE",
    "--out": "PATH",
    "--key": "FILE",
    "--base-url": "URL",
    "--report-by": "NAME",
}


def _value_name(option: Parameter) -> Callable[[re.Match[str]], str]:
    """What stands for an option's value in help: its choices (``[html|pdf]``) or its long name in
    capitals (``--role ROLE``), in place of typer's Python type labels."""
    long_names = [name for name in option.opts if name.startswith("--")]
    long_name = long_names[0] if long_names else f"--{option.name or 'value'}"
    name = _VALUE_NAMES.get(long_name) or long_name[2:].upper().replace("-", "_")

    def replace(label: re.Match[str]) -> str:
        choices = label.group(1)
        return f" [{choices}]" if "|" in choices and "[" not in choices else f" {name}"

    return replace


class _Command(TyperCommand):
    """A command whose usage line and help name arguments and values as users type them
    (``jmb sign [OPTIONS] REF``, ``--role ROLE``), not as typer marks them (``{ref}``, ``<str>``)."""

    def __init__(self, *args: typing.Any, **kwargs: typing.Any) -> None:
        super().__init__(*args, **kwargs)
        for param in self.params:
            if param.param_type_name == "argument" and param.metavar is None:
                # "Missing argument 'REF'" names it as the usage line does.
                param.metavar = _argument_name(param)

    def collect_usage_pieces(self, ctx: Context) -> list[str]:
        pieces = [self.options_metavar] if self.options_metavar else []
        for param in self.get_params(ctx):
            if param.param_type_name == "argument":
                name = _argument_name(param)
                many = name.endswith("...")
                if not param.required:  # click's way: [PATHS]... for any number, or none
                    name = f"[{name.removesuffix('...')}]" + ("..." if many else "")
                pieces.append(name)
        return pieces

    def format_options(self, ctx: Context, formatter: HelpFormatter) -> None:
        arguments: list[tuple[str, str]] = []
        options: list[tuple[str, str]] = []
        for param in self.get_params(ctx):
            record = param.get_help_record(ctx)
            if record is None:
                continue
            names, help_text = record
            if param.param_type_name == "argument":
                arguments.append((_argument_name(param), help_text))
            else:
                options.append((_TYPE_LABEL.sub(_value_name(param), names), help_text))
        for title, rows in (("Arguments", arguments), ("Options", options)):
            if rows:
                with formatter.section(title):
                    formatter.write_dl(rows)


class _App(typer.Typer):
    """jmb's typer application: every command is a :class:`_Command`."""

    def command(
        self, *args: typing.Any, **kwargs: typing.Any
    ) -> Callable[[CommandFunctionType], CommandFunctionType]:
        kwargs.setdefault("cls", _Command)
        return super().command(*args, **kwargs)


app = _App(
    name="jmb",
    help="Decision records of a Joint Management Board, kept as YAML in git.",
    no_args_is_help=True,
    add_completion=True,  # jmb --install-completion: numbers and roles complete too (below)
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings=HELP_OPTIONS,
)

P = ParamSpec("P")
T = TypeVar("T")

#: Parameters that are text and must be UTF-8 (``--title``, ``--name``, ...), by contrast with the
#: paths and record references, which may name a file whose name is not UTF-8.
_MAY_BE_FILE_NAMES = frozenset({"paths", "refs", "ref", "out", "key"})


class Stopped(BaseException):
    """SIGTERM or SIGHUP, raised where the program is, as Ctrl-C is: every ``finally`` and every
    ``except BaseException`` on the way out runs, so temporary files are removed and locks let go
    (the default action of those signals ends the process at once and runs none of them). Not a
    KeyboardInterrupt, which a prompt would take for Ctrl-C; like one, no ``except Exception``
    stops it."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


#: The process whose command the signal handlers stop (see _stop).
_handling_pid = 0


def _stop(signum: int, _frame: object) -> None:
    if os.getpid() != _handling_pid:
        # A worker forked by the command (validate's process pool) inherits the handler; there the
        # signal does what it does by default, as the worker has no command to stop and clean up.
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)
        return
    raise Stopped(signum)


@contextlib.contextmanager
def _signals_stop_the_command() -> Iterator[None]:
    """Turn SIGTERM and SIGHUP into :class:`Stopped` while a command runs (only the main thread may
    set handlers; elsewhere, under a test runner's thread say, the signals keep their actions)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    global _handling_pid
    _handling_pid = os.getpid()
    wanted = [getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)]
    before = {signum: signal.signal(signum, _stop) for signum in wanted}
    try:
        yield
    finally:
        for signum, handler in before.items():
            signal.signal(signum, handler)


def handle_errors(command: Callable[P, T]) -> Callable[P, T]:
    """The CLI's one error handler: turn every :class:`JmbError` into its one-line message on stderr
    and its exit code; an interruption into "interrupted" (130, or 128 + the signal's number); and
    anything unexpected into one line saying so (:attr:`RC.INTERNAL`), never a traceback."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        try:
            with _signals_stop_the_command():
                _refuse_undecodable_text(command, kwargs)
                return command(*args, **kwargs)
        except JmbError as error:
            findings = getattr(error, "findings", ())
            if findings:  # a refusal that rests on findings shows them first
                from jmb.check.reporters import finding_text

                for finding in findings:
                    _echo(finding_text(finding), err=True)
            _fail(str(error), error.exit_code)
        except (typer.Exit, typer.TyperException):
            raise  # how a command ends with its exit code, and click's own usage errors
        except Stopped as stopped:
            _fail(f"stopped by {signal.Signals(stopped.signum).name}", 128 + stopped.signum)
        except (KeyboardInterrupt, typer.Abort):  # Abort: Ctrl-C or end of input at a prompt
            _fail("interrupted", RC.INTERRUPTED)
        except BrokenPipeError:
            # The reader of the output went away (``jmb rules | head -1``): nothing is left to say
            # to it. Point stdout at nothing, so the final flush on exit does not fail again.
            with contextlib.suppress(OSError):
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise typer.Exit(int(RC.BROKEN_PIPE)) from None
        except Exception as error:
            # A bug, not a situation jmb knows: still one line, that says so and what it was.
            kind = type(error).__name__
            _fail(f"internal error: {kind}: {error}; please report it", RC.INTERNAL)

    return wrapper


def _fail(message: str, exit_code: int) -> NoReturn:
    """Say ``jmb: message`` on one line of stderr and exit with ``exit_code``."""
    _echo(f"jmb: {message}", err=True)
    raise typer.Exit(int(exit_code)) from None


def _echo(text: str, *, err: bool = False, nl: bool = True, lines: bool = False) -> None:
    """Print ``text``. Every line a command prints goes through here (the findings of ``validate``
    through its reporter), so a control character from a record, a file name or an argument is shown
    escaped (``\\x1b``), never obeyed. A newline is escaped too, so that such text cannot start a
    line of its own, unless ``lines``: a text of several lines that made each of its lines safe
    where it built them (``jmb verify``'s report)."""
    typer.echo(printable(text, keep_newlines=lines), err=err, nl=nl)


def _refuse_undecodable_text(command: Callable[..., object], values: dict[str, object]) -> None:
    """A usage error for text given on the command line that is not UTF-8 (``--title $'\\xff'``):
    Python carries its bytes as lone surrogates, which no record, key or output can hold."""
    for name, value in values.items():
        if name in _MAY_BE_FILE_NAMES:
            continue
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str) and _SURROGATE.search(item):
                shown = printable(item)
                raise UsageError(f"{_parameter_name(command, name)} '{shown}' is not UTF-8 text")


_SURROGATE = re.compile("[\ud800-\udfff]")


def _parameter_name(command: Callable[..., object], name: str) -> str:
    """How the user wrote parameter ``name`` of ``command``: its option (``--date``) or argument."""
    from typer.models import ArgumentInfo, OptionInfo

    hint = typing.get_type_hints(command, include_extras=True).get(name)
    for info in getattr(hint, "__metadata__", ()):
        if isinstance(info, OptionInfo):
            # Under Annotated, typer.Option("--date") keeps "--date" as its default until typer
            # moves it into the declarations when it builds the command.
            decls = info.param_decls or (info.default,)
            named = [decl for decl in decls if isinstance(decl, str) and decl.startswith("--")]
            return named[0] if named else f"--{name.replace('_', '-')}"
        if isinstance(info, ArgumentInfo):
            return info.metavar or name.upper()
    return name


def _version(value: bool) -> None:
    if value:
        _echo(f"jmb {VERSION}")
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
    from jmb.repo.scaffold import new_record

    day = _parse_date(on, "--date")
    if title is None:
        if not sys.stdin.isatty() or _in_ci():
            raise UsageError("--title is required when jmb is not run at a terminal")
        title = typer.prompt("Title")
    created = new_record(_office_config(), title, day=day, report_by=report_by)
    if created.schema is not None:
        _echo(f"jmb: wrote {_shown(created.schema)} for editor completion", err=True)
    if created.schema_error:
        _echo(f"jmb: warning: {created.schema_error}", err=True)
    _echo(_shown(created.path))


class YearKind(StrEnum):
    CALENDAR = "calendar"
    FINANCIAL = "financial"


@app.command()
@handle_errors
def init(
    folder: Annotated[
        Path, typer.Argument(help="The folder to make a decision repository (default: here).")
    ] = Path(),
    name: Annotated[
        str | None, typer.Option(help="The organisation's name, printed on every decision.")
    ] = None,
    board: Annotated[str | None, typer.Option(help="The board that decides.")] = None,
    pattern: Annotated[
        str | None,
        typer.Option(help="The numbering pattern (default: {year}/{seq:02d}, as 2026/01)."),
    ] = None,
    year: Annotated[
        YearKind | None,
        typer.Option(help="The year numbers count in: calendar, or financial (April to March)."),
    ] = None,
    signatory: Annotated[
        list[str] | None,
        typer.Option(
            help="A role that decides (signs decisions); repeat for each, in signing order "
            "(default: Police and Crime Commissioner, Chief Constable)."
        ),
    ] = None,
    declaration: Annotated[
        list[str] | None,
        typer.Option(
            help="A role that signs a declaration; repeat for each (default: Monitoring Officer)."
        ),
    ] = None,
    working_days: Annotated[
        int | None,
        typer.Option(help="Working days after approval by which Part 1 must be published."),
    ] = None,
    region: Annotated[
        str | None,
        typer.Option(help="Whose bank holidays do not count: ENG, WLS, SCT or NIR."),
    ] = None,
    yes: Annotated[
        bool,
        typer.Option("--yes", "-y", help="Ask nothing: the defaults for every answer not given."),
    ] = False,
) -> None:
    """Make a folder a decision repository: jmb.toml, records/, the schema, .gitignore, CI and
    pre-commit checks, and a README for clerks; asks at a terminal for what is not given."""
    from jmb.repo.init import DEFAULT_DECIDERS, DEFAULT_DECLARERS, REGIONS, Office, init_repository

    defaults = Office(name="")
    ask = _asks_at_terminal() and not yes
    if name is None:
        if not ask:
            raise UsageError("--name is required when jmb init does not ask at a terminal")
        name = str(typer.prompt("Organisation (printed on every decision)"))
    if ask:
        board = board or str(typer.prompt("Board", default=defaults.board))
        pattern = pattern or str(typer.prompt("Numbering pattern", default=defaults.pattern))
        if year is None:
            year = YearKind(
                _ask_choice("Numbering year", defaults.year, [kind.value for kind in YearKind])
            )
        if signatory is None:
            answer = typer.prompt(
                "Roles that decide, separated by commas", default=", ".join(DEFAULT_DECIDERS)
            )
            signatory = [role for role in str(answer).split(",") if role.strip()]
        if declaration is None:
            answer = typer.prompt(
                "Roles that sign a declaration, separated by commas (- for none)",
                default=", ".join(DEFAULT_DECLARERS),
            )
            declaration = [role for role in str(answer).split(",") if role.strip() != "-"]
            declaration = [role for role in declaration if role.strip()]
        if working_days is None:
            working_days = int(
                typer.prompt("Working days to publish in", default=defaults.working_days, type=int)
            )
        if region is None:
            region = _ask_choice("Bank holidays of", defaults.region, REGIONS)
    office = Office(
        name=name,
        board=board if board is not None else defaults.board,
        pattern=pattern if pattern is not None else defaults.pattern,
        year="financial" if year is YearKind.FINANCIAL else "calendar",
        deciders=_roles(signatory, DEFAULT_DECIDERS),
        declarers=_roles(declaration, DEFAULT_DECLARERS),
        working_days=working_days if working_days is not None else defaults.working_days,
        region=(region if region is not None else defaults.region).upper(),
        digests_from=date.today(),
    )
    done = init_repository(folder, office)
    for path in done.written:
        _echo(_shown(path))
    for path in done.kept:
        _echo(f"jmb: kept {_shown(path)} as it was", err=True)
    _echo(
        f"jmb: {_shown(done.root)} is a decision repository; next: jmb new --title TITLE", err=True
    )


def _roles(given: list[str] | None, default: tuple[str, ...]) -> tuple[str, ...]:
    """Roles as given (spaces tidied, as jmb sign --role tidies them), or the default."""
    if given is None:
        return default
    return tuple(" ".join(role.split()) for role in given)


def _ask_choice(question: str, default: str, choices: typing.Sequence[str]) -> str:
    """Ask ``question`` until the answer is one of ``choices`` (in any case); the one chosen."""
    by_case = {choice.casefold(): choice for choice in choices}
    while True:
        answer = str(typer.prompt(f"{question} ({', '.join(choices)})", default=default))
        chosen = by_case.get(answer.strip().casefold())
        if chosen is not None:
            return chosen
        _echo(f"jmb: {answer!r} is not one of {', '.join(choices)}", err=True)


def _asks_at_terminal() -> bool:
    """Whether a command may ask its questions: at a terminal, and not under CI."""
    return sys.stdin.isatty() and not _in_ci()


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
        # readable=False: click would refuse an unreadable file as a usage error (exit 2); jmb
        # reports it as a finding, JMB002, as it does for one found in a folder.
        typer.Argument(
            help="Record files or folders (default: every record of the repository).",
            readable=False,
        ),
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
    # always (for a pager, say) keeps them. The reporters escape what came from records and file
    # names themselves (their own colour codes must get through), so this is not _echo.
    typer.echo(REPORTERS[name](result, color=colored), nl=False, color=colored)
    raise typer.Exit(int(result.exit_code(strict=strict)))


class RenderFormat(StrEnum):
    HTML = "html"
    PDF = "pdf"
    DOCX = "docx"
    MD = "md"
    ALL = "all"


class Part(StrEnum):
    ONE = "1"
    TWO = "2"


@app.command()
@handle_errors
def render(
    refs: Annotated[
        list[str] | None,
        typer.Argument(
            help="Decision numbers (2019/09) or record paths.",
            show_default=False,
            autocompletion=_complete_numbers,
        ),
    ] = None,
    part: Annotated[
        Part, typer.Option(help="1: the public Part 1; 2: the confidential Part 2.")
    ] = Part.ONE,
    output_format: Annotated[
        RenderFormat,
        typer.Option("--format", "-f", help="Output format; all: every one, in one run."),
    ] = RenderFormat.HTML,
    out: Annotated[
        Path | None,
        typer.Option(
            help="Folder to write to (default: build/); Part 2 always goes into its "
            "confidential/ folder, private to you.",
            readable=False,  # jmb says what is wrong with it, in one line
        ),
    ] = None,
    draft: Annotated[
        bool, typer.Option(help="Render records with errors too, with a DRAFT banner.")
    ] = False,
    all_records: Annotated[bool, typer.Option("--all", help="Render every record.")] = False,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs",
            "-j",
            min=1,
            help="Processes for Part 1 PDF and Word files (default: one a core).",
        ),
    ] = None,
) -> None:
    """Render decisions as HTML, PDF, Word or Markdown; print each path written."""
    from jmb.render.renderer import render as render_records

    result = render_records(
        refs or (),
        config=_office_config(),
        part=1 if part is Part.ONE else 2,
        fmt=output_format.value,
        out=out,
        draft=draft,
        all_records=all_records,
        jobs=jobs,
    )
    for path in result.written:
        _echo(_shown(path))
    for warning in result.warnings:
        _echo(f"jmb: warning: {warning}", err=True)


@app.command()
@handle_errors
def rules(
    code: Annotated[str | None, typer.Argument(help="Show one rule's documentation.")] = None,
) -> None:
    """List the rules of jmb validate, or document one."""
    from jmb.check.rules import RULES
    from jmb.check.rules.base import documentation, headline

    if code is not None:
        rule = RULES.get(code.upper())
        if rule is None:
            raise UsageError(f"no rule {code!r}; jmb rules lists them")
        _echo(f"{rule.ID} {rule.NAME} ({rule.SEVERITY}, since {rule.SINCE})\n", lines=True)
        _echo(documentation(rule), lines=True)
        return
    for rule in RULES.values():
        _echo(f"{rule.ID}  {rule.SEVERITY:<7}  {rule.NAME:<21}  {headline(rule)}")


@app.command()
@handle_errors
def schema() -> None:
    """Print the JSON Schema of record format 1."""
    from jmb.record.schema import schema_text

    _echo(schema_text(), nl=False, lines=True)


@app.command()
@handle_errors
def sign(
    ref: Annotated[
        str,
        typer.Argument(
            help="The record: its number (2019/09) or its file.", autocompletion=_complete_numbers
        ),
    ],
    role: Annotated[
        str, typer.Option(help="The configured role signing.", autocompletion=_complete_roles)
    ],
    name: Annotated[str, typer.Option(help="The signatory's name.")],
    on: Annotated[
        str | None, typer.Option("--date", help="Date of the signature (default: today).")
    ] = None,
    key: Annotated[
        Path | None,
        typer.Option(
            help="Private key file (jmb keys new); its passphrase from JMB_KEY_PASSPHRASE.",
            readable=False,  # jmb says what is wrong with it, in one line
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
    _echo(
        f"{_shown(signed.path)}: signed by {signed.name} as {signed.role} on "
        f"{signed.day.isoformat()} ({signed.digest[:19]}…{how})"
    )
    if signed.approved:
        _echo(f"{_shown(signed.path)}: every signature made: approved")


keys_app = _App(
    help="Signing keys: make a key pair, its public half listed in signatories.yaml.",
    no_args_is_help=True,
    rich_markup_mode=None,
    context_settings=HELP_OPTIONS,
)
app.add_typer(keys_app, name="keys")


@keys_app.command("new")
@handle_errors
def keys_new(
    role: Annotated[
        str,
        typer.Option(help="The configured role the key signs in.", autocompletion=_complete_roles),
    ],
    name: Annotated[str, typer.Option(help="The key holder's name.")],
    out: Annotated[
        str | None,
        typer.Option(
            help="Private key file, or folder (one that exists, or ending in /), outside the "
            "repository (default: ~/.config/jmb/keys).",
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
        out=Path(out) if out is not None else None,
        # pathlib forgets a trailing slash; it means a folder, which is made if it is missing
        out_is_folder=out is not None and out.endswith(("/", os.sep)),
        valid_from=start,
        valid_to=end,
    )
    _echo(f"key id: {made.key_id}")
    _echo(f"private key: {made.private_key}")
    _echo(f"jmb: added the public key to {_shown(made.roster)}; commit it", err=True)


@app.command()
@handle_errors
def verify(
    refs: Annotated[
        list[str] | None,
        typer.Argument(
            help="Records: numbers (2019/09) or files (default: every record).",
            autocompletion=_complete_numbers,
        ),
    ] = None,
) -> None:
    """Check every signature: the content against its digest, keys against signatories.yaml."""
    from jmb.repo.config import load_config
    from jmb.sign.verify import verify_records, verify_report

    result = verify_records(load_config(), refs or ())
    _echo(verify_report(result), nl=False, lines=True)  # its lines are made safe as it builds them
    raise typer.Exit(int(RC.FINDINGS if result.failed else RC.SUCCESS))


class ListFormat(StrEnum):
    TEXT = "text"
    JSON = "json"
    CSV = "csv"


@app.command("list")
@handle_errors
def list_records(
    status_filter: Annotated[
        str | None, typer.Option("--status", help="Only decisions of this status.")
    ] = None,
    year: Annotated[int | None, typer.Option(help="Only decisions dated in this year.")] = None,
    overdue: Annotated[
        bool, typer.Option(help="Only approved decisions past their publication day.")
    ] = False,
    today: Annotated[
        str | None, typer.Option(help="The day to count from, YYYY-MM-DD (default: today).")
    ] = None,
    output_format: Annotated[
        ListFormat, typer.Option("--format", "-f", help="text for people; json, csv for scripts.")
    ] = ListFormat.TEXT,
) -> None:
    """The register: one line a decision (number, date, status, due, title), in number order."""
    from jmb.publish.register import LIST_FORMATS, read_register, select
    from jmb.record.model import Status
    from jmb.repo.config import load_config

    if status_filter is not None and Status.parse(status_filter) is None:
        choices = ", ".join(str(status) for status in Status)
        raise UsageError(f"--status {status_filter!r} is not a status; statuses are {choices}")
    day = _parse_date(today, "--today") or date.today()
    config = load_config()
    register = read_register(config)
    entries = select(
        register, config, status=status_filter, year=year, overdue_on=day if overdue else None
    )
    _echo(LIST_FORMATS[output_format.value](entries), nl=False, lines=True)
    _warn_unreadable(register.unreadable)


class DueFormat(StrEnum):
    TEXT = "text"
    JSON = "json"


@app.command()
@handle_errors
def due(
    today: Annotated[
        str | None, typer.Option(help="The day to count from, YYYY-MM-DD (default: today).")
    ] = None,
    output_format: Annotated[DueFormat, typer.Option("--format", "-f")] = DueFormat.TEXT,
) -> None:
    """What must be published, or reviewed, and by when; exit 1 when anything is overdue."""
    from jmb.publish.register import DUE_FORMATS, due_report
    from jmb.repo.config import load_config

    report = due_report(load_config(), _parse_date(today, "--today"))
    _echo(DUE_FORMATS[output_format.value](report), nl=False, lines=True)
    _warn_unreadable(report.unreadable)
    raise typer.Exit(int(RC.FINDINGS if report.overdue else RC.SUCCESS))


@app.command()
@handle_errors
def publish(
    out: Annotated[
        Path | None,
        typer.Option(help="Folder to build the site in (default: build/site/).", readable=False),
    ] = None,
    base_url: Annotated[
        str | None,
        typer.Option(
            help="Where the site is served from, for the feed and sitemap "
            "(default: [publication] base_url in jmb.toml)."
        ),
    ] = None,
    formats: Annotated[
        str, typer.Option(help="The formats of each decision: html, and pdf and docx beside it.")
    ] = "html,pdf,docx",
    search: Annotated[
        bool, typer.Option("--search/--no-search", help="Build the search index (Pagefind).")
    ] = True,
    jobs: Annotated[
        int | None,
        typer.Option(help="Processes to check and render with (default: one a CPU).", min=1),
    ] = None,
    mark_published: Annotated[
        bool,
        typer.Option(
            help="Then move every approved decision the site carries to published, in its file."
        ),
    ] = False,
    on: Annotated[
        str | None,
        typer.Option("--date", help="The publication date for --mark-published (default: today)."),
    ] = None,
) -> None:
    """Build the public website: the register, a page per decision, search and open data."""
    from jmb.publish.site import publish as publish_site

    result = publish_site(
        _office_config(),
        out=out,
        base_url=base_url,
        formats=[name.strip() for name in formats.split(",") if name.strip()],
        search=search,
        jobs=jobs,
        mark_published=mark_published,
        day=_parse_date(on, "--date"),
    )
    for notice in result.notices:
        _echo(f"jmb: notice: {notice}", err=True)
    for path, number in result.marked:
        _echo(f"{_shown(path)}: published ({number})")
    decisions = f"{result.decisions} decision{'' if result.decisions == 1 else 's'}"
    _echo(
        f"{_shown(result.site)}: {decisions}; {len(result.written)} files written, "
        f"{len(result.removed)} removed, {result.unchanged} unchanged; "
        f"open {_shown(result.site / 'index.html')}"
    )


@app.command("import")
@handle_errors
def import_command(
    paths: Annotated[
        list[Path],
        typer.Argument(
            metavar="FILE...", help="Decision forms: text or Markdown (.txt, .md).", readable=False
        ),
    ],
    status_name: Annotated[
        str,
        typer.Option(
            "--status", help="The status the records are written with (draft, submitted, ...)."
        ),
    ] = "submitted",
    dry_run: Annotated[
        bool, typer.Option(help="Write nothing; say where each record would go and its findings.")
    ] = False,
    title_case: Annotated[
        bool,
        typer.Option(help='A title or author in capitals in title case ("Single Online Home").'),
    ] = False,
) -> None:
    """Write a record of each decision form; print its path and the findings on it."""
    from jmb.check.reporters import finding_text
    from jmb.ingest.importer import Imported, import_forms
    from jmb.record.model import Status
    from jmb.repo.config import load_config

    status = Status.parse(status_name)
    if status is None:
        names = ", ".join(item.value for item in Status)
        raise UsageError(f"--status {status_name!r} is not a status; use one of {names}")

    def show(one: Imported) -> None:
        if one.written:
            _echo(_shown(one.path))
        else:
            _echo(f"{_shown(one.path)} (not written: --dry-run)")
        for finding in one.findings:
            _echo(finding_text(finding))
        if one.schema_error:
            _echo(f"jmb: warning: {one.schema_error}", err=True)

    # Each record is shown as soon as it is written: if a later one fails, what was written is said.
    import_forms(
        paths, load_config(), status=status, title_case=title_case, dry_run=dry_run, each=show
    )


@app.command()
@handle_errors
def serve(
    port: Annotated[
        int,
        typer.Option(min=0, max=65535, help="The port to listen on (0: any free port)."),
    ] = 8000,
    host: Annotated[
        str,
        typer.Option(
            help="The loopback address to listen on: 127.0.0.1, ::1 or localhost; no other is "
            "allowed."
        ),
    ] = "127.0.0.1",
) -> None:
    """Preview the records as you draft them: a local website on this computer (the register, each
    record's Part 1 with its findings, its Part 2) that refreshes when a file is saved."""
    from jmb.repo.config import find_root
    from jmb.serve.server import serve as serve_preview

    def ready(url: str) -> None:
        _echo(f"Serving on {url} (Ctrl-C to stop)")

    def warn(message: str) -> None:
        _echo(f"jmb: warning: {message}", err=True)

    here = Path.cwd()
    serve_preview(find_root(here) or here, port, host=host, on_ready=ready, warn=warn)


def _office_config() -> Config:
    """The configuration, for a command that writes under the office's name (new, render,
    publish): with no jmb.toml, said once on stderr, as an office must never publish under the
    reference form's name without being told. Commands that only read or check stay quiet."""
    from jmb.repo.config import load_config

    config = load_config()
    if config.source is None and NO_CONFIG_NOTICE:
        _echo(NO_CONFIG_NOTICE, err=True)
    return config


#: What a command that writes under the office's name says when there is no jmb.toml.
NO_CONFIG_NOTICE = (
    "jmb: notice: no jmb.toml here or above: using the built-in defaults of the reference form "
    "(Lancashire); run jmb init to set up your office"
)


def _warn_unreadable(paths: list[str]) -> None:
    if paths:
        count = f"{len(paths)} record{'' if len(paths) == 1 else 's'}"
        _echo(
            f"jmb: warning: {count} could not be read and are left out; run jmb validate", err=True
        )


@app.command()
@handle_errors
def status(
    ref: Annotated[
        str,
        typer.Argument(
            help="The record: its number (2019/09) or its file.", autocompletion=_complete_numbers
        ),
    ],
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
    _echo(
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
