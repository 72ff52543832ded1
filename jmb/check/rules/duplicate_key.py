"""A key appears twice in the same mapping.

YAML loaders keep only the last value and drop the other without a word, so text a drafter wrote
would silently vanish from the decision. jmb points at the second occurrence and names the line of
the first, and reads the last value, as YAML does. It cannot be silenced: a second key can hide text
from a reviewer that the record still holds.
"""

from jmb.core.findings import Severity
from jmb.record.document import LoadCode

ID: str = LoadCode.DUPLICATE_KEY
NAME = "duplicate-key"
SEVERITY = Severity.ERROR
SINCE = "0.1.0"
SCOPE = "load"
SUPPRESSIBLE = False
