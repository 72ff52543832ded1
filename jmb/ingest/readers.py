"""The readers of ``jmb import`` by file suffix: each turns a file into blocks.

Each reader takes the path of a form and returns its :class:`~jmb.ingest.blocks.Block` values in
reading order, or raises :class:`~jmb.core.errors.FormReadError` naming the file. This module
holds the Word and PDF readers; the text readers (".txt", ".md") join them here.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from jmb.ingest.blocks import Block
from jmb.ingest.pdf import read_pdf
from jmb.ingest.word import read_docx

#: A reader of one format: a form's path to its blocks.
Reader = Callable[[Path], list[Block]]

#: The reader of each suffix (lower case, with its dot).
READERS: dict[str, Reader] = {
    ".docx": read_docx,
    ".pdf": read_pdf,
}
