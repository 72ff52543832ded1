"""A field the record format requires is missing or blank: ``number``, ``title``, ``date``, ``status``,
or a required part of an entry (a signature's ``role``, an appendix's ``title``).

These identify the decision; without them nothing else about it can be checked or published. (A section
left empty is a completeness finding, JMB101, not this one.) A field missing because its key is
misspelt (``titel:``) is reported once, as the unknown key with "did you mean" (JMB006), not as missing
too; the same holds for a section (JMB101) and the recommendation (JMB102).
"""

from jmb.core.findings import Severity

ID = "JMB005"
NAME = "missing-field"
SEVERITY = Severity.ERROR
SINCE = "0.1.0"
SCOPE = "schema"
SUPPRESSIBLE = True
