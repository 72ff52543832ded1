"""A record that is ``approved`` or ``published`` lacks a configured signature.

Approval means every decision-maker signed and every declaration was made: by default the Police and
Crime Commissioner, the Chief Constable, and the Monitoring Officer's declaration (``[[signatures]]``
in ``jmb.toml``). A published decision with blank signature lines cannot show who decided.
"""

from collections.abc import Iterator

from jmb.check.rules.base import Problem, RecordContext, is_blank
from jmb.core.findings import Severity
from jmb.record.model import SIGNED_STATUSES

ID = "JMB401"
NAME = "missing-signature"
SEVERITY = Severity.ERROR
SINCE = "0.1.0"
SCOPE = "record"
SUPPRESSIBLE = False


def check(context: RecordContext) -> Iterator[Problem]:
    """Report each configured role without a signature on an approved or published record."""
    if context.status not in SIGNED_STATUSES:
        return
    signed = {
        item.get("role")
        for _, item in context.mappings("signatures")
        if not is_blank(item.get("name")) and item.get("date") is not None
    }
    for role in context.config.signatures:
        if role.role not in signed:
            what = "signature" if role.kind == "decision" else "declaration"
            yield Problem(
                ("status",),
                f"the record is {context.status} but has no {what} by the {role.role}",
            )
