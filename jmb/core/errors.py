"""The one exception root of jmb; the command line turns each into a one-line message and an exit code."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jmb.core.constants import RC

if TYPE_CHECKING:
    from jmb.core.findings import Finding


class JmbError(Exception):
    """Root of every error jmb raises on purpose. ``str(error)`` is the one-line message."""

    exit_code: RC = RC.FINDINGS

    def __reduce__(self) -> tuple[Any, ...]:
        # An error raised in a worker process reaches the command as itself: its class, message
        # and attributes (a refusal's findings), rebuilt without calling __init__, whose
        # parameters differ from class to class (pickle would call it with the message alone).
        return (_rebuilt, (type(self), self.args, self.__dict__))


def _rebuilt(kind: type[JmbError], args: tuple[Any, ...], state: dict[str, Any]) -> JmbError:
    """The error of class ``kind`` with ``args`` and attributes ``state`` (see JmbError.__reduce__)."""
    error = kind.__new__(kind)
    error.args = args
    error.__dict__.update(state)
    return error


class UsageError(JmbError):
    """The command was called wrongly (for example no title and no terminal to ask for one)."""

    exit_code = RC.USAGE


class ConfigError(JmbError):
    """``jmb.toml`` cannot be read, or says something malformed or contradictory."""

    exit_code = RC.CONFIG

    def __init__(self, path: Path | None, message: str, *, key: str = "", line: int = 0) -> None:
        self.path = path
        self.key = key
        self.line = line
        where = f"{path}:" if path is not None else ""
        if path is not None and line:
            where = f"{path}:{line}:"
        prefix = f"{key}: " if key else ""
        # Without a file (a setting made in code) the message says only what is wrong.
        super().__init__(f"{where} configuration error: {prefix}{message}".lstrip())


class RecordError(JmbError):
    """An operation on a record (creating, finding) cannot go ahead."""


class RefusedError(RecordError):
    """``jmb sign`` or ``jmb status`` will not do what was asked; ``findings`` are the reasons
    found in the record, if that is what the refusal rests on."""

    def __init__(self, message: str, findings: Sequence[Finding] = ()) -> None:
        super().__init__(message)
        self.findings = list(findings)


class KeyFileError(JmbError):
    """A private key file cannot be read or opened. The message never holds the passphrase."""


class FormReadError(RecordError):
    """A form given to ``jmb import`` cannot be read: not the format its name says, malformed,
    password-protected, too large, or a scan with no text. The message names the file."""

    def __init__(self, path: Path, reason: str) -> None:
        self.path = path
        super().__init__(f"{path}: {reason}")
