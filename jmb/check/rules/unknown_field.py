"""A key that record format 1 does not define.

jmb never drops what a user wrote: a misspelt key (``titel:``, ``implications: {legl: ...}``) would
otherwise make its text vanish from the published decision. The finding suggests the closest known key.
"""

from jmb.core.findings import Severity

ID = "JMB006"
NAME = "unknown-field"
SEVERITY = Severity.ERROR
SINCE = "0.1.0"
SCOPE = "schema"
SUPPRESSIBLE = True
