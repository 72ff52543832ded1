"""A section the configuration requires is missing or empty.

Which sections are required is set by ``[sections] required`` in ``jmb.toml`` (a parent such as
``implications`` means all of its parts). An error once the record is ``submitted`` or later; a warning
while it is a ``draft``, so a drafter sees what is left to write without failing CI. (An empty list of
recommendations is JMB102.) The findings name each section by its heading, as the office prints it
(``[form.headings]``).

By default every section of the reference form is required:
"""

from collections.abc import Iterator

from jmb.check.rules.base import Problem, RecordContext, is_blank
from jmb.check.rules.schema import is_misspelt
from jmb.core.findings import Severity
from jmb.record.form import DEFAULT_REQUIRED_SECTIONS, SECTIONS

ID = "JMB101"
NAME = "required-section"
SEVERITY = Severity.ERROR
SINCE = "0.1.0"
SCOPE = "record"
SUPPRESSIBLE = True

# The list of default sections is the form's, so the documentation cannot drift from it.
__doc__ = (__doc__ or "") + "".join(
    f"\n- ``{key}``: {SECTIONS[key].heading}" for key in DEFAULT_REQUIRED_SECTIONS
)


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
        if is_blank(value) and not is_misspelt(context, path):
            state = (
                "is missing"
                if not isinstance(parent, dict) or path[-1] not in parent
                else "is empty"
            )
            guidance = SECTIONS[name].guidance
            yield Problem(
                path,
                f"{context.config.printed_form.heading(name)} {state}: "
                f"{guidance[0].lower()}{guidance[1:]}",
                severity=context.completeness_severity,
            )
