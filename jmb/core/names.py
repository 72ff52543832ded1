"""Turning pydantic's error locations into what a user can read: dotted paths and "did you mean"."""

from __future__ import annotations

import difflib
import re
import types
import typing
from typing import Any

from pydantic import BaseModel


def dotted(path: tuple[int | str, ...]) -> str:
    """``("signatures", 0, "date")`` as ``signatures[0].date``: the form findings and errors use."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


_PLAIN = (
    (re.compile(r"^Input should be a valid (?:tuple|list)$"), "should be a list"),
    (
        re.compile(r"^Input should be a valid dictionary(?: or instance of \w+)?$"),
        "should be {mapping}",
    ),
    (re.compile(r"^Input should be a valid string$"), "should be text"),
    (re.compile(r"^Input should be a valid integer$"), "should be a whole number"),
    (re.compile(r"^Value error, "), ""),
)


def plain_message(message: str, *, mapping: str) -> str:
    """pydantic's message in the user's terms, without its class names (``mapping`` names what a
    nested model is to the user: a TOML table, a YAML mapping)."""
    for pattern, replacement in _PLAIN:
        message = pattern.sub(replacement.format(mapping=mapping), message)
    return message


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The model class inside an annotation such as ``list[Appendix] | None``, if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = typing.get_origin(annotation)
    if origin is None and not isinstance(annotation, types.UnionType):
        return None
    for argument in typing.get_args(annotation):
        found = _model_in(argument)
        if found is not None:
            return found
    return None


def known_keys(root: type[BaseModel], loc: tuple[int | str, ...]) -> list[str]:
    """The keys the model at ``loc`` (a location inside ``root``) accepts; empty if none is there."""
    model: type[BaseModel] | None = root
    for part in loc:
        if model is None:
            return []
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part) or next(
            # A table named by its alias: [import] is the field import_.
            (field for field in model.model_fields.values() if field.alias == part),
            None,
        )
        model = _model_in(field.annotation) if field is not None else None
    if model is None:
        return []
    return [field.alias or name for name, field in model.model_fields.items() if not field.exclude]


def closest(name: str, known: list[str]) -> str | None:
    """The known name ``name`` is most likely a misspelling of, or ``None``."""
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    return close[0] if close else None


def did_you_mean(name: str, known: list[str], *, listing: str = "known keys here") -> str:
    """``"; did you mean 'title'?"`` when ``name`` is close to a known one, else the known ones."""
    close = closest(name, known)
    if close is not None:
        return f"; did you mean {close!r}?"
    return f"; {listing}: {', '.join(known)}" if known else ""
