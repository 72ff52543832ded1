"""A section the configuration requires is missing or empty.

Which sections are required is set by ``[sections] required`` in ``jmb.toml``; by default every section
of the reference form: report by, executive summary, the recommendation's lead, background and advice,
links to the Police and Crime Plan, consultation, the four implications (risks, legal, financial,
equality) and the background papers. An error once the record is ``submitted`` or later; a warning while it is a ``draft``, so a
drafter sees what is left to write without failing CI. (An empty list of recommendations is JMB102.)
"""

from collections.abc import Iterator

from jmb.check.rules.base import Problem, RecordContext, is_blank
from jmb.core.findings import Severity
from jmb.record.model import SECTIONS

ID = "JMB101"
NAME = "required-section"
SEVERITY = Severity.ERROR
SINCE = "0.1.0"
SCOPE = "record"
SUPPRESSIBLE = True


def check(context: RecordContext) -> Iterator[Problem]:
    """Report each required section that is missing or blank."""
    for name in context.config.sections.required:
        if name == "recommendation.items":
            continue  # JMB102 reports it, at any configuration
        path = tuple(name.split("."))
        parent = context.get(path[:-1]) if len(path) > 1 else context.data
        if parent is not None and not isinstance(parent, dict):
            continue  # a wrong type, reported by JMB007
        value = context.get(path)
        if is_blank(value):
            state = (
                "is missing"
                if not isinstance(parent, dict) or path[-1] not in parent
                else "is empty"
            )
            yield Problem(
                path,
                f"{SECTIONS[name].heading} {state}: {SECTIONS[name].guidance[0].lower()}"
                f"{SECTIONS[name].guidance[1:]}",
                severity=context.completeness_severity,
            )
