"""Jinja templates looked up in a list of folders (a repository's overrides first, then jmb's own):
one way to set up the environment, and one way to turn a template's failure into a one-line error
naming the template and its line."""

from __future__ import annotations

import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import jinja2

from jmb.core.errors import RecordError


class Templates:
    """The templates of ``folders``, the first folder holding a name winning.

    ``autoescape`` says which templates escape every value for HTML (by name); the others get their
    values as they are, and the caller escapes them for the format (Markdown, YAML).
    """

    def __init__(
        self, folders: Sequence[Path], *, autoescape: Callable[[str | None], bool] | bool = False
    ) -> None:
        self.folders = tuple(folders)
        self.environment = jinja2.Environment(
            loader=jinja2.FileSystemLoader([str(folder) for folder in self.folders]),
            undefined=jinja2.StrictUndefined,
            autoescape=autoescape,
            keep_trailing_newline=True,
        )

    def source(self, name: str) -> str:
        """The text of the file ``name`` (a stylesheet, say), from the first folder holding it."""
        try:
            text, _, _ = self.environment.loader.get_source(self.environment, name)  # type: ignore[union-attr]
        except jinja2.TemplateNotFound:
            raise RecordError(f"no template {name!r} in {self._where()}") from None
        except UnicodeDecodeError:
            raise RecordError(f"{name}: a template is not UTF-8 text") from None
        return text

    def render(self, name: str, **context: Any) -> str:
        """The template ``name`` rendered with ``context``; :class:`RecordError` naming the
        template's file and line when it cannot be (a syntax error, an unknown field, a failing
        expression)."""
        try:
            return self.environment.get_template(name).render(**context)
        except jinja2.TemplateSyntaxError as error:
            raise RecordError(
                f"{error.filename or name}:{error.lineno}: template error: {error.message}"
            ) from None
        except jinja2.TemplateNotFound as error:
            raise RecordError(f"no template {error.name!r} in {self._where()}") from None
        except jinja2.UndefinedError as error:
            raise RecordError(f"{_place(error, name)}: template error: {error.message}") from None
        except UnicodeDecodeError:
            raise RecordError(f"{name}: a template is not UTF-8 text") from None
        except Exception as error:  # a template's own expression failed ({{ 1/0 }}, say)
            raise RecordError(
                f"{_place(error, name)}: template error: {type(error).__name__}: {error}"
            ) from None

    def _where(self) -> str:
        return ", ".join(map(str, self.folders))


def _place(error: Exception, name: str) -> str:
    """``file:line`` of the template line that failed, from the traceback Jinja rewrites for it."""
    for frame in reversed(traceback.extract_tb(error.__traceback__)):
        if frame.filename.endswith(".j2"):
            return f"{frame.filename}:{frame.lineno}"
    return name
