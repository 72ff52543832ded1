"""A listed appendix's ``file`` does not exist.

``file`` is a path relative to the record's own folder, so the record and its papers move together.
A path that is not inside the repository is JMB308's, and nothing is said of whether it exists.
"""

from collections.abc import Iterator

from jmb.check.rules.appendices import appendix_files
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
    for path, label, name, where in appendix_files(context):
        if where.path is None:
            continue  # not a path inside the repository (JMB308): whether it exists is not told
        if not where.exists:
            yield Problem(
                path,
                f"Appendix {label}'s file {name!r} does not exist "
                "(the path is relative to the record's own folder)",
            )
