"""A field the record format requires is missing or blank: ``number``, ``title``, ``date``, ``status``,
or a required part of an entry (a signature's ``role``, an appendix's ``title``).

These identify the decision; without them nothing else about it can be checked or published. (A section
left empty is a completeness finding, JMB101, not this one.)
"""

from jmb.core.findings import Severity

ID = "JMB005"
NAME = "missing-field"
SEVERITY = Severity.ERROR
SINCE = "0.1.0"
SCOPE = "schema"
SUPPRESSIBLE = True
