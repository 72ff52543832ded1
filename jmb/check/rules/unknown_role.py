"""A signature by a role that is not configured.

Only the roles in ``[[signatures]]`` of ``jmb.toml`` sign (by default the Police and Crime Commissioner,
the Chief Constable and the Monitoring Officer). A misspelt role would leave the real one unsigned.
"""

from collections.abc import Iterator

from jmb.check.rules.base import Problem, RecordContext
from jmb.core.findings import Severity
from jmb.core.names import did_you_mean

ID = "JMB404"
NAME = "unknown-role"
SEVERITY = Severity.ERROR
SINCE = "0.1.0"
SCOPE = "record"
SUPPRESSIBLE = True


def check(context: RecordContext) -> Iterator[Problem]:
    """Report each signature whose role is not a configured one."""
    roles = list(context.config.roles)
    for index, item in context.mappings("signatures"):
        role = item.get("role")
        if isinstance(role, str) and role not in roles:
            hint = did_you_mean(role, roles, listing="configured roles")
            yield Problem(("signatures", index, "role"), f"{role!r} is not a signing role{hint}")
