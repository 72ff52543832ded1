"""Jinja templates looked up in a list of folders (a repository's overrides first, then jmb's own):
one way to set up the environment, and one way to turn a template's failure into a one-line error
naming the template and its line.

A repository's templates are code that anyone with commit access can change, run on the machine of
whoever renders. So every template runs in Jinja's immutable sandbox (no attributes that start with
an underscore, no calls that change the values given, no way from a value to Python's internals:
``cycler.__init__.__globals__`` is refused), and a template file, or any file read through the
loader (``style.css``, the Word base), is read only when it is a regular file inside its folder: a
symbolic link, or anything that resolves outside the folder, is refused rather than followed, so a
link cannot pull a file from elsewhere on the machine into an output.
"""

from __future__ import annotations

import os
import stat
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import jinja2
from jinja2.exceptions import SecurityError
from jinja2.loaders import split_template_path
from jinja2.sandbox import ImmutableSandboxedEnvironment

from jmb.core.constants import CONFIDENTIAL_DIR
from jmb.core.errors import RecordError


class TemplateRefused(RecordError):
    """A template file that jmb will not read: a symbolic link, not a regular file, or outside its
    folder."""


class _ConfinedLoader(jinja2.BaseLoader):
    """Jinja's file system loader, without following links: the first folder holding ``name`` as a
    regular file wins; a link on the way, or a name that leads outside, is refused."""

    def __init__(self, folders: Sequence[Path]) -> None:
        self.folders = tuple(folders)

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        path = self.find(template)
        if path is None:
            raise jinja2.TemplateNotFound(template)
        # Read once, here: the text checked is the text rendered. A template cannot change while
        # jmb runs, so Jinja's cached copy is always up to date.
        return path.read_bytes().decode("utf-8"), str(path), lambda: True

    def find(self, name: str, folders: Sequence[Path] | None = None) -> Path | None:
        """The file ``name`` in the first of ``folders`` (default: every folder) that has it, or
        ``None``; :class:`TemplateRefused` for one that is there but may not be read."""
        pieces = split_template_path(name)  # refuses ".." itself
        for folder in self.folders if folders is None else folders:
            candidate = folder.joinpath(*pieces)
            if os.path.lexists(candidate):
                _check_confined(folder, pieces, candidate)
                return candidate
        return None


def _check_confined(folder: Path, pieces: list[str], candidate: Path) -> None:
    """Refuse ``candidate`` (``folder`` joined with ``pieces``) unless every step below ``folder`` is
    a real folder or, last, a regular file, and it resolves inside ``folder``; and anything in a
    ``confidential`` folder, where Part 2 outputs are written."""
    if CONFIDENTIAL_DIR in pieces[:-1]:
        raise TemplateRefused(
            f"{candidate}: jmb reads no template from a {CONFIDENTIAL_DIR}/ folder: that is "
            "where Part 2 is written"
        )
    step = folder
    for index, piece in enumerate(pieces):
        step = step / piece
        mode = os.lstat(step).st_mode
        if stat.S_ISLNK(mode):
            raise TemplateRefused(
                f"{step}: a template file may not be a symbolic link (it could bring in any file "
                "on this machine); put the file itself in the template folder"
            )
        last = index == len(pieces) - 1
        if last and not stat.S_ISREG(mode):
            raise TemplateRefused(f"{step}: a template must be a regular file")
        if not last and not stat.S_ISDIR(mode):
            raise TemplateRefused(f"{step}: not a folder")
    if not candidate.resolve().is_relative_to(folder.resolve()):
        raise TemplateRefused(f"{candidate}: a template file must be inside its folder {folder}")


class Templates:
    """The templates of ``folders``, the first folder holding a name winning.

    ``autoescape`` says which templates escape every value for HTML (by name); the others get their
    values as they are, and the caller escapes them for the format (Markdown, YAML).
    """

    def __init__(
        self, folders: Sequence[Path], *, autoescape: Callable[[str | None], bool] | bool = False
    ) -> None:
        self.folders = tuple(folders)
        self.loader = _ConfinedLoader(self.folders)
        self.environment = ImmutableSandboxedEnvironment(
            loader=self.loader,
            undefined=jinja2.StrictUndefined,
            autoescape=autoescape,
            keep_trailing_newline=True,
        )

    def source(self, name: str) -> str:
        """The text of the file ``name`` (a stylesheet, say), from the first folder holding it."""
        try:
            text, _, _ = self.loader.get_source(self.environment, name)
        except jinja2.TemplateNotFound:
            raise RecordError(f"no template {name!r} in {self._where()}") from None
        except UnicodeDecodeError:
            raise RecordError(f"{name}: a template is not UTF-8 text") from None
        except OSError as error:
            raise RecordError(f"{name}: cannot be read: {error.strerror or error}") from None
        return text

    def file(self, name: str, folders: Sequence[Path]) -> Path | None:
        """The file ``name`` in the first of ``folders`` (some of this object's folders) holding
        it, under the same rules as a template; ``None`` where none has it."""
        try:
            return self.loader.find(name, folders)
        except (jinja2.TemplateNotFound, OSError):
            return None

    def render(self, name: str, *, withhold_values: bool = False, **context: Any) -> str:
        """The template ``name`` rendered with ``context``; :class:`RecordError` naming the
        template's file and line when it cannot be (a syntax error, an unknown field, a failing
        expression, something the sandbox refuses).

        ``withhold_values`` leaves out what the failure says of the values it met (for a
        confidential view: ``{{ view.x[view.marking] }}`` would name the marking)."""
        try:
            return self.environment.get_template(name).render(**context)
        except TemplateRefused:
            raise
        except jinja2.TemplateSyntaxError as error:
            raise RecordError(
                f"{error.filename or name}:{error.lineno}: template error: {error.message}"
            ) from None
        except jinja2.TemplateNotFound as error:
            raise RecordError(f"no template {error.name!r} in {self._where()}") from None
        except UnicodeDecodeError:
            raise RecordError(f"{name}: a template is not UTF-8 text") from None
        except Exception as error:  # a template's own expression failed ({{ 1/0 }}, say)
            if withhold_values:
                what = f"{type(error).__name__} (the details are withheld: they could quote Part 2)"
            elif isinstance(error, jinja2.UndefinedError):
                what = str(error.message)
            elif isinstance(error, SecurityError):
                what = f"the sandbox refuses it: {error}"
            else:
                what = f"{type(error).__name__}: {error}"
            raise RecordError(f"{_place(error, name)}: template error: {what}") from None

    def _where(self) -> str:
        return ", ".join(map(str, self.folders))


def _place(error: Exception, name: str) -> str:
    """``file:line`` of the template line that failed, from the traceback Jinja rewrites for it."""
    for frame in reversed(traceback.extract_tb(error.__traceback__)):
        if frame.filename.endswith(".j2"):
            return f"{frame.filename}:{frame.lineno}"
    return name
