"""The record has no ``jmb:`` format version, or one this jmb does not read.

Every record starts with ``jmb: 1``, the version of the record format. A record written for a newer
format is not checked further: upgrade jmb. A missing version is reported, and the record is checked
as format 1.
"""

from collections.abc import Iterator

from jmb.check.rules.base import Problem, RecordContext
from jmb.core.constants import FORMAT_VERSION
from jmb.core.findings import Severity

ID = "JMB004"
NAME = "format-version"
SEVERITY = Severity.ERROR
SINCE = "0.1.0"
SCOPE = "schema"
SUPPRESSIBLE = True


def supported(context: RecordContext) -> bool:
    """Whether the record's format can be checked at all (missing counts as format 1)."""
    version = context.data.get("jmb", FORMAT_VERSION)
    return type(version) is int and version == FORMAT_VERSION


def check(context: RecordContext) -> Iterator[Problem]:
    """Report a missing or unsupported ``jmb`` version."""
    if "jmb" not in context.data:
        yield Problem((), f"no format version: add `jmb: {FORMAT_VERSION}` as the first line")
    elif not supported(context):
        version = context.data["jmb"]
        yield Problem(
            ("jmb",),
            f"format version {version!r} is not supported; this jmb reads format "
            f"{FORMAT_VERSION} (an integer)",
        )
