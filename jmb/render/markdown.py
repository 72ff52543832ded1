"""Record text made literal in Markdown: a record cannot inject markup into a rendered page."""

from __future__ import annotations

import re

from jmb.render.views import Heading

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~&!])")
_MARKDOWN_LINE_START = re.compile(r"^(\s*)(?:([-+=>])|(\d+)([.)]))", re.MULTILINE)


def markdown_escape(text: str) -> str:
    """``text`` made literal in CommonMark: every character that can start markup is escaped, and
    so is what would make a paragraph a heading, a list or a quote."""
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", text)
    return _MARKDOWN_LINE_START.sub(_escape_line_start, escaped)


def markdown_escape_inline(text: str) -> str:
    """``text`` made literal where it follows a marker on its line (a heading's ``### ``): every
    character that can start markup is escaped; a line start needs no escape there."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def escape_for_markdown(text: str) -> str:
    """The escape a view's text needs in Markdown: inline for a heading, whole for the rest."""
    return markdown_escape_inline(text) if isinstance(text, Heading) else markdown_escape(text)


def _escape_line_start(match: re.Match[str]) -> str:
    if match[2]:  # "- item", "> quote", "= underline"
        return f"{match[1]}\\{match[2]}"
    return f"{match[1]}{match[3]}\\{match[4]}"  # "1. item" stays readable as "1\. item"
