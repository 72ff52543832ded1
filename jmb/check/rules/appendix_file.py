"""A listed appendix's ``file`` does not exist.

``file`` is a path relative to the record's own folder, so the record and its papers move together.
"""

from collections.abc import Iterator

from jmb.check.rules.base import Problem, RecordContext
from jmb.core.findings import Severity

ID = "JMB302"
NAME = "appendix-file"
SEVERITY = Severity.ERROR
SINCE = "0.1.0"
SCOPE = "record"
SUPPRESSIBLE = True


def check(context: RecordContext) -> Iterator[Problem]:
    """Report each appendix whose file is not there."""
    folder = context.file.parent
    for index, item in context.mappings("appendices"):
        name = item.get("file")
        if isinstance(name, str) and name.strip() and not (folder / name).is_file():
            yield Problem(
                ("appendices", index, "file"),
                f"Appendix {item.get('label', index + 1)}'s file {name!r} does not exist "
                "(the path is relative to the record's own folder)",
            )
