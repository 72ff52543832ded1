"""An appendix's ``file`` is not a paper of the decision inside the repository.

``file`` names the appendix's file relative to the record's own folder, inside the repository: not an
absolute path (``/etc/passwd``, ``C:\\papers``), not a path that climbs out (``../../etc/shadow``), and
not one that leaves through a symbolic link; and not a file the repository keeps for itself: a record
(a YAML file, which holds its Part 2), ``jmb.toml``, a key or a template, anything in a hidden folder
(``.git``, where a CI token may be), in a ``confidential/`` folder (Part 2 outputs) or in ``build/``.
``jmb publish`` copies appendix files onto the public website. Such a file is not part of the
decision's papers, and jmb does not look at it: whether it exists is not reported (JMB302 would otherwise tell whoever writes
records which files exist on the machine that checks them). Cannot be silenced.
"""

from collections.abc import Iterator

from jmb.check.rules.appendices import appendix_files
from jmb.check.rules.base import Problem, RecordContext
from jmb.core.findings import Severity

ID = "JMB308"
NAME = "appendix-path"
SEVERITY = Severity.ERROR
SINCE = "0.2.0"
SCOPE = "record"
SUPPRESSIBLE = False


def check(context: RecordContext) -> Iterator[Problem]:
    """Report each appendix whose file is not a relative path inside the repository."""
    for path, label, name, where in appendix_files(context):
        if where.path is None:
            yield Problem(
                path,
                f"Appendix {label}'s file {name!r} {where.outside}: an appendix is a paper of "
                "the decision, inside the repository, named relative to the record's own folder",
            )
